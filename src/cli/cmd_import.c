/* SPDX-License-Identifier: MIT */
/* `doudi import households FILE`: imports a CSV file of households
 * (docs/import.md) in UTF-8 or GB18030, prints the counts and every
 * rejected row with its line, column and reason. */
#include <stdio.h>
#include <string.h>

#include "assess/assess.h"
#include "cli/cli.h"
#include "crypto/pii.h"
#include "domain/area.h"
#include "domain/policy.h"
#include "refdata/refdata.h"
#include "io/encoding.h"
#include "io/import.h"

static void
usage(FILE *f)
{
    fprintf(f,
            "usage: doudi import households FILE [--scope PREFIX] "
            "[settings]\n\n"
            "Imports households from a CSV file (UTF-8 or GB18030, detected; "
            "the columns\nare in docs/import.md and docs/import-template.csv). "
            "Valid households go in;\neach rejected one is listed with its "
            "line, column and reason. A household\nwhose applicant is already "
            "stored updates it when it differs (a new\nversion) and is "
            "skipped when it is the same, so a re-run changes nothing.\n"
            "--scope PREFIX rejects households whose residence region does "
            "not start\nwith PREFIX. Exits 1 when the file cannot be read to "
            "the end.\n\n");
    config_print_help(f);
}

static int
prefix_scope(void *ctx, const char *region)
{
    const char *p = ctx;
    return strncmp(region, p, strlen(p)) == 0;
}

/* domain.md §7.1: a household may follow its hukou district only where
 * the district sets one standard for all residents today (ctx: the
 * policy table, as the registry's create checks it). */
static enum dd_status
area_ok(void *ctx, const struct household_row *h, int y, int m, int d,
        struct dd_error *err)
{
    enum area_setting s;
    if (area_setting_parse(h->urban_or_rural, &s) != 0 ||
        s != AREA_SETTING_DISTRICT)
        return DD_OK;
    enum dd_status rc =
        assess_area_resolve(ctx, h->hukou_region, y, m, d, s, NULL, NULL, err);
    return rc == DD_ENOTFOUND ? DD_EINVAL : rc;
}

/* The file's reader, counting its lines and telling how far into the
 * file it is (cli_progress). */
struct progress_reader {
    struct enc_reader *er;
    FILE *f;
    long size;
    uint64_t lines;
    struct cli_progress progress;
};

static enum dd_status
progress_read(void *ctx, char *buf, size_t cap, size_t *got)
{
    struct progress_reader *pr = ctx;
    enum dd_status rc = enc_reader_read(pr->er, buf, cap, got);
    for (size_t i = 0; rc == DD_OK && i < *got; i++)
        pr->lines += buf[i] == '\n';
    long at = ftell(pr->f);
    cli_progress_tick(&pr->progress, pr->lines,
                      at > 0 && pr->size > 0 ? (double)at / (double)pr->size
                                             : 0);
    return rc;
}

int
cli_import(int argc, char **argv)
{
    struct config cfg;
    struct store *st = NULL;
    struct pii_keys *keys = NULL;
    struct enc_reader *er = NULL;
    struct import_result res = {0};
    struct policy_table *policy = NULL;
    struct store_tx *tx = NULL;
    const char *scope = NULL, *file = NULL;
    enum enc_kind kind;
    FILE *f = NULL;
    int status = 1;

    if (cli_wants_help(argc, argv)) {
        usage(stdout);
        return 0;
    }
    if (cli_config(&cfg, &argc, argv))
        return 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--scope") == 0 && i + 1 < argc)
            scope = argv[++i];
        else if (i == 1 && strcmp(argv[i], "households") == 0)
            continue;
        else if (i == 2 && argv[i][0] != '-')
            file = argv[i];
        else {
            usage(stderr);
            return 2;
        }
    }
    if (argc < 3 || strcmp(argv[1], "households") != 0 || !file ||
        (scope && (!*scope || scope[strspn(scope, "0123456789")]))) {
        usage(stderr);
        return 2;
    }
    f = fopen(file, "rb");
    if (!f) {
        fprintf(stderr, "doudi import: cannot open %s\n", file);
        return 1;
    }
    if (enc_detect_file(f, &kind) != DD_OK) {
        fprintf(stderr, "doudi import: cannot read %s\n", file);
        goto out;
    }
    er = enc_reader_new(f, kind);
    if (!er || pii_keys_load(cfg.key_file, &keys) != DD_OK) {
        fprintf(stderr, "doudi import: cannot load the key file %s\n",
                cfg.key_file);
        goto out;
    }
    if (cli_open(&cfg, &st))
        goto out;
    if (store_tx_begin(st, STORE_READ, &tx) != DD_OK ||
        refdata_policy_table(tx, &policy) != DD_OK) {
        store_tx_rollback(tx);
        fprintf(stderr, "doudi import: cannot read the policy table\n");
        goto out;
    }
    store_tx_rollback(tx);
    struct import_opts o = {
        .keys = keys,
        .actor = "cli",
        .request_id = "",
        .in_scope = scope ? prefix_scope : NULL,
        .scope_ctx = (void *)scope,
        .area_ok = area_ok,
        .area_ctx = policy,
        .batch = 100000,
        .bulk = 1,
    };
    struct progress_reader pr = {er, f, 0, 0, {0}};
    long start = ftell(f);
    if (start >= 0 && fseek(f, 0, SEEK_END) == 0)
        pr.size = ftell(f);
    if (pr.size < 0 || fseek(f, start, SEEK_SET) != 0) {
        fprintf(stderr, "doudi import: cannot read %s\n", file);
        goto out;
    }
    cli_progress_start(&pr.progress, "doudi import", "lines", 0);
    enum dd_status rc = import_households(st, &o, progress_read, &pr, &res);
    if (rc == DD_EINVAL && enc_reader_bad_offset(er) >= 0) {
        fprintf(stderr,
                "doudi import: %s is neither UTF-8 nor GB18030 (bad byte "
                "at offset %lld) / 文件编码既不是 UTF-8 也不是 GB18030\n",
                file, enc_reader_bad_offset(er));
        goto out;
    }
    if (rc != DD_OK) {
        fprintf(stderr, "doudi import: %s (households committed before "
                        "this stay)\n",
                dd_status_name(rc));
        goto out;
    }
    printf("file: %s (%s), %lld rows\n", file, enc_name(kind),
           (long long)res.rows);
    printf("inserted %lld, updated %lld, skipped %lld, rejected %lld\n",
           (long long)res.inserted, (long long)res.updated,
           (long long)res.skipped, (long long)res.rejected);
    for (size_t i = 0; i < res.listed; i++) {
        const struct import_rejection *j = &res.list[i];
        printf("line %ld, %s: %s: %s / %s\n", j->line,
               *j->column ? j->column : "-", j->code, j->message,
               j->message_zh);
    }
    if (res.rejected > (int64_t)res.listed)
        printf("(%lld more rejections not listed)\n",
               (long long)(res.rejected - (int64_t)res.listed));
    status = res.fatal ? 1 : 0;
out:
    import_result_free(&res);
    policy_table_free(policy);
    store_close(st);
    pii_keys_free(keys);
    enc_reader_free(er);
    if (f)
        fclose(f);
    return status;
}
