/* SPDX-License-Identifier: MIT */
/* `doudi init` and `doudi migrate`. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"

int
cli_init(int argc, char **argv)
{
    struct config cfg;
    struct store *st;
    int go = cli_start(
        &argc, argv,
        "usage: doudi init [settings]\n\n"
        "Creates the database named by --db / DOUDI_DB and applies "
        "the migrations,\nloads the regions and functional zones from "
        "--data-dir, creates the data\nkey file (0600) if missing, "
        "and creates the first admin (sysadmin) with a\npassword "
        "from DOUDI_ADMIN_PASSWORD or a random one it prints.\n\n",
        &cfg, &st);
    if (go != CLI_GO)
        return go;
    int rc = cli_setup(&cfg, st, getenv("DOUDI_ADMIN_PASSWORD"), 0);
    store_close(st);
    if (rc == 0)
        printf("init: done\n");
    return rc ? 1 : 0;
}

int
cli_migrate(int argc, char **argv)
{
    struct config cfg;
    struct store *st;
    int from, to;
    int go =
        cli_start(&argc, argv,
                  "usage: doudi migrate [settings]\n\nApplies every database "
                  "migration not yet applied.\n\n",
                  &cfg, &st);
    if (go != CLI_GO)
        return go;
    enum dd_status rc = store_migrate(st, &from, &to);
    store_close(st);
    if (rc != DD_OK) {
        fprintf(stderr, "doudi: migration failed: %s\n", dd_status_name(rc));
        return 1;
    }
    printf("schema: version %d -> %d\n", from, to);
    return 0;
}
