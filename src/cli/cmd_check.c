/* SPDX-License-Identifier: MIT */
/* `doudi check`: verifies the audit log's SM3 hash chain and names the
 * first broken row, then the rows against the digests the audit rows
 * carry and every sealed value on its row (audit/facts_check.h), naming
 * the first row that does not hold. Exit 0 when all holds, 1 when
 * something is broken or unreadable. */
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "audit/facts_check.h"
#include "cli/cli.h"

/* The rows against their audited digests; 0 when all holds, 1 when not
 * or when they cannot be read. */
static int
check_facts(const struct config *cfg, struct store *st)
{
    struct pii_keys *keys = NULL;
    struct facts_verdict f;
    enum dd_status rc = pii_keys_load(cfg->key_file, &keys);
    if (rc != DD_OK) {
        fprintf(stderr, "doudi check: cannot load the data key file %s: %s\n",
                cfg->key_file, dd_status_name(rc));
        return 1;
    }
    rc = facts_check(st, keys, &f);
    pii_keys_free(keys);
    if (rc != DD_OK) {
        fprintf(stderr, "doudi check: cannot read the rows: %s\n",
                dd_status_name(rc));
        return 1;
    }
    if (f.bad[0]) {
        printf("rows: DIFFER at %s\n", f.bad);
        return 1;
    }
    printf("rows: as audited, %lld households, %lld case items, %lld "
           "entitlements, %lld sealed values opened\n",
           (long long)f.households, (long long)f.case_items,
           (long long)f.entitlements, (long long)f.sealed);
    return 0;
}

int
cli_check(int argc, char **argv)
{
    struct config cfg;
    struct store *st;
    struct audit_verdict v;
    int go =
        cli_start(&argc, argv,
                  "usage: doudi check [settings]\n\nRuns the database's own "
                  "consistency check, then verifies the audit\nlog's hash "
                  "chain row by row and names the first broken row, then\n"
                  "compares each household and each decided case item with "
                  "the\ndigest its latest audit row carries and opens every "
                  "sealed value\non its row (the data key is needed), naming "
                  "the first row that\ndiffers. Exits 1 if any fails.\n\n",
                  &cfg, &st);
    if (go != CLI_GO)
        return go;
    char verdict[256] = "";
    struct store_tx *tx;
    enum dd_status rc = store_tx_begin(st, STORE_READ, &tx);
    if (rc == DD_OK) {
        rc = store_integrity_check(tx, verdict);
        store_tx_rollback(tx);
    }
    if (rc != DD_OK || strcmp(verdict, "ok") != 0) {
        printf("database: NOT consistent: %s\n",
               rc == DD_OK ? verdict : dd_status_name(rc));
        store_close(st);
        return 1;
    }
    printf("database: ok (%s)\n", store_backend(st));
    rc = audit_verify(st, &v);
    if (rc != DD_OK) {
        fprintf(stderr, "doudi check: cannot read the audit log: %s\n",
                dd_status_name(rc));
        store_close(st);
        return 1;
    }
    if (v.bad_seq) {
        printf("audit chain: BROKEN at row %lld: %s (%lld rows checked)\n",
               (long long)v.bad_seq, v.reason, (long long)v.rows);
        store_close(st);
        return 1;
    }
    printf("audit chain: intact, %lld rows\n", (long long)v.rows);
    int broken = check_facts(&cfg, st);
    store_close(st);
    return broken;
}
