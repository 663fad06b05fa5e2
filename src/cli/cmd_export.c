/* SPDX-License-Identifier: MIT */
/* `doudi export households`: the active households of a region as CSV or
 * xlsx in the import layout (docs/import.md), ID numbers masked unless
 * --unmask. Every export leaves one audit row with the SM3 of the file. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "crypto/sm3.h"
#include "cli/cli.h"
#include "io/export.h"
#include "json/jw.h"

/* The export's one audit row (SECURITY.md): the filter, the counts, the
 * format and the SM3 of the file's bytes; export.unmask when the ID
 * numbers are in full. */
static enum dd_status
export_audit(struct store *st, FILE *f, const char *region, const char *format,
             int unmask, int64_t households, int64_t rows)
{
    unsigned char buf[65536], digest[SM3_DIGEST_LEN];
    char hex[SM3_HEX_LEN + 1], detail[512];
    size_t n;
    int64_t bytes = 0;
    struct sm3_ctx *c = sm3_new();
    if (!c || fseek(f, 0, SEEK_SET) != 0) {
        sm3_free(c);
        return c ? DD_EINTERNAL : DD_ENOMEM;
    }
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
        sm3_update(c, buf, n);
        bytes += (int64_t)n;
    }
    sm3_final(c, digest);
    sm3_free(c);
    if (ferror(f))
        return DD_EINTERNAL;
    hex_encode(digest, sizeof(digest), hex);
    struct jw w;
    jw_init(&w, sizeof(detail));
    jw_obj(&w, NULL);
    jw_str(&w, "region", region);
    jw_bool(&w, "unmask", unmask);
    jw_int(&w, "households", households);
    jw_int(&w, "rows", rows);
    jw_str(&w, "format", format);
    jw_int(&w, "bytes", bytes);
    jw_str(&w, "sm3", hex);
    jw_end(&w);
    enum dd_status rc = jw_finish_into(&w, detail, sizeof(detail));
    if (rc != DD_OK)
        return rc;
    return audit_log_commit(st, "cli",
                            unmask ? "export.unmask" : "export.households",
                            "export", *region ? region : NULL, "", detail);
}

/* Copies f from its start to out. */
static enum dd_status
copy_out(FILE *f, FILE *out)
{
    char buf[65536];
    size_t n;
    if (fseek(f, 0, SEEK_SET) != 0)
        return DD_EINTERNAL;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            return DD_EINTERNAL;
    return ferror(f) || fflush(out) != 0 ? DD_EINTERNAL : DD_OK;
}

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
            "--unmask writes them (and disability card numbers)\nin full. "
            "Every export leaves an audit row (export.households, or\n"
            "export.unmask) with the counts and the SM3 of the file.\n\n");
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
    char tmp[PATH_MAX + 8] = "";
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
    struct export_opts o = {.keys = keys, .region_prefix = region,
                            .unmask = unmask};
    /* the file is written aside (next to its destination, or a temporary
     * file for standard output) and reaches its place only once its audit
     * row stands, with the hash of exactly those bytes */
    if (path) {
        int fd = (size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) <
                         sizeof(tmp)
                     ? mkstemp(tmp)
                     : -1;
        if (fd < 0 || !(f = fdopen(fd, "w+b"))) {
            if (fd >= 0)
                close(fd);
            fprintf(stderr, "doudi export: cannot create %s\n", tmp);
            tmp[0] = '\0';
            goto out;
        }
    } else if (!(f = tmpfile())) {
        fprintf(stderr, "doudi export: cannot create a temporary file\n");
        goto out;
    }
    if (strcmp(format, "xlsx") == 0) {
        x = export_xlsx_open(tmp);
        rc = x ? export_households(st, &o, export_xlsx_row, x, &households,
                                   &rows)
               : DD_EINTERNAL;
        enum dd_status crc = export_xlsx_close(x);
        if (rc == DD_OK)
            rc = crc;
        /* the workbook was written at the path: read what it holds */
        if (rc == DD_OK && !(f = freopen(tmp, "rb", f)))
            rc = DD_EINTERNAL;
    } else {
        rc = export_households(st, &o, export_csv_row, f, &households, &rows);
        if (fflush(f) != 0 && rc == DD_OK)
            rc = DD_EINTERNAL;
    }
    if (rc == DD_OK)
        rc = export_audit(st, f, region, format, unmask, households, rows);
    if (rc == DD_OK)
        rc = path ? (rename(tmp, path) == 0 ? DD_OK : DD_EINTERNAL)
                  : copy_out(f, stdout);
    if (rc != DD_OK) {
        fprintf(stderr, "doudi export: %s\n", dd_status_name(rc));
        goto out;
    }
    tmp[0] = '\0';
    fprintf(stderr, "exported %lld households, %lld rows (%s%s)\n",
            (long long)households, (long long)rows, format,
            unmask ? ", unmasked" : ", ID numbers masked");
    status = 0;
out:
    if (f)
        fclose(f);
    if (tmp[0])
        unlink(tmp);
    store_close(st);
    pii_keys_free(keys);
    return status;
}
