/* SPDX-License-Identifier: MIT */
/* `doudi check`: verifies the audit log's SM3 hash chain and names the
 * first broken row. Exit 0 when intact, 1 when broken or unreadable. */
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "cli/cli.h"

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
                  "chain row by row and names the first broken row. Exits 1\n"
                  "if either fails.\n\n",
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
    store_close(st);
    if (rc != DD_OK) {
        fprintf(stderr, "doudi check: cannot read the audit log: %s\n",
                dd_status_name(rc));
        return 1;
    }
    if (v.bad_seq) {
        printf("audit chain: BROKEN at row %lld: %s (%lld rows checked)\n",
               (long long)v.bad_seq, v.reason, (long long)v.rows);
        return 1;
    }
    printf("audit chain: intact, %lld rows\n", (long long)v.rows);
    return 0;
}
