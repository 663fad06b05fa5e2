/* SPDX-License-Identifier: MIT */
/* `doudi export households`: the active households of a region as CSV or
 * xlsx in the import layout (docs/import.md), ID numbers masked unless
 * --unmask, which leaves an audit row. */
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "cli/cli.h"
#include "io/export.h"
#include "json/jw.h"

static void
usage(FILE *f)
{
    fprintf(f,
            "usage: doudi export households [--region PREFIX] "
            "[--format csv|xlsx] [--out FILE] [--unmask] [settings]\n\n"
            "Writes the active households whose residence region starts "
            "with PREFIX\n(default: all) one row per member, asset and "
            "support obligor, in the\ncolumns of docs/import.md (an unmasked "
            "export imports back as the same\nhouseholds). CSV goes to standard "
            "output unless --out; xlsx needs --out.\nID numbers are masked; "
            "--unmask writes them (and disability card numbers)\nin full and "
            "leaves an export.unmask audit row.\n\n");
    config_print_help(f);
}

int
cli_export(int argc, char **argv)
{
    struct config cfg;
    struct store *st = NULL;
    struct pii_keys *keys = NULL;
    struct export_xlsx *x = NULL;
    const char *region = "", *format = "csv", *path = NULL;
    int unmask = 0, status = 1;
    FILE *f = NULL;
    int64_t households = 0, rows = 0;
    enum dd_status rc;

    if (cli_wants_help(argc, argv)) {
        usage(stdout);
        return 0;
    }
    if (cli_config(&cfg, &argc, argv))
        return 1;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--region") == 0 && i + 1 < argc)
            region = argv[++i];
        else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
            format = argv[++i];
        else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            path = argv[++i];
        else if (strcmp(argv[i], "--unmask") == 0)
            unmask = 1;
        else {
            usage(stderr);
            return 2;
        }
    }
    if (argc < 2 || strcmp(argv[1], "households") != 0 ||
        region[strspn(region, "0123456789")] || strlen(region) > 12 ||
        (strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0) ||
        (strcmp(format, "xlsx") == 0 && !path)) {
        usage(stderr);
        return 2;
    }
    if (pii_keys_load(cfg.key_file, &keys) != DD_OK) {
        fprintf(stderr, "doudi export: cannot load the key file %s\n",
                cfg.key_file);
        return 1;
    }
    if (cli_open(&cfg, &st))
        goto out;
    if (unmask) {
        /* the audit row stands before any number is written */
        char detail[96];
        struct jw w;
        jw_init(&w, sizeof(detail));
        jw_obj(&w, NULL);
        jw_str(&w, "region", region);
        jw_str(&w, "format", format);
        jw_end(&w);
        rc = jw_finish_into(&w, detail, sizeof(detail));
        if (rc == DD_OK)
            rc = audit_log_commit(st, "cli", "export.unmask", "households",
                                  *region ? region : NULL, "", detail);
        if (rc != DD_OK) {
            fprintf(stderr, "doudi export: cannot write the audit row: %s\n",
                    dd_status_name(rc));
            goto out;
        }
    }
    struct export_opts o = {.keys = keys, .region_prefix = region,
                            .unmask = unmask};
    if (strcmp(format, "xlsx") == 0) {
        x = export_xlsx_open(path);
        if (!x) {
            fprintf(stderr, "doudi export: cannot create %s\n", path);
            goto out;
        }
        rc = export_households(st, &o, export_xlsx_row, x, &households, &rows);
        enum dd_status crc = export_xlsx_close(x);
        if (rc == DD_OK)
            rc = crc;
    } else {
        f = path ? fopen(path, "wb") : stdout;
        if (!f) {
            fprintf(stderr, "doudi export: cannot create %s\n", path);
            goto out;
        }
        rc = export_households(st, &o, export_csv_row, f, &households, &rows);
        if (fflush(f) != 0 && rc == DD_OK)
            rc = DD_EINTERNAL;
        if (path && fclose(f) != 0 && rc == DD_OK)
            rc = DD_EINTERNAL;
    }
    if (rc != DD_OK) {
        fprintf(stderr, "doudi export: %s\n", dd_status_name(rc));
        goto out;
    }
    fprintf(stderr, "exported %lld households, %lld rows (%s%s)\n",
            (long long)households, (long long)rows, format,
            unmask ? ", unmasked" : ", ID numbers masked");
    status = 0;
out:
    store_close(st);
    pii_keys_free(keys);
    return status;
}
