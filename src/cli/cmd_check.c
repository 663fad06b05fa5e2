/* SPDX-License-Identifier: MIT */
/* `doudi check`: verifies the audit log's SM3 hash chain and names the
 * first broken row. Exit 0 when intact, 1 when broken or unreadable. */
#include <stdio.h>

#include "audit/audit.h"
#include "cli/cli.h"

int
cli_check(int argc, char **argv)
{
    struct config cfg;
    struct store *st;
    struct audit_verdict v;
    if (cli_wants_help(argc, argv)) {
        printf("usage: doudi check [settings]\n\nVerifies the audit log's "
               "hash chain, row by row, and names the\nfirst broken row. "
               "Exits 1 if the chain is broken.\n\n");
        config_print_help(stdout);
        return 0;
    }
    if (cli_config(&cfg, &argc, argv) || cli_open(&cfg, &st))
        return 1;
    enum dd_status rc = audit_verify(st, &v);
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
