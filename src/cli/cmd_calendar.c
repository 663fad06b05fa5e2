/* SPDX-License-Identifier: MIT */
/* `doudi calendar load FILE`: a year's State Council holiday notice (the
 * columns of data/cn-holidays.csv, every date in one year) loaded as a
 * new version of that year, as POST /api/v1/calendar/years does: checked,
 * stored, audited, and the open cases' deadlines that reach into the year
 * recomputed, in one transaction. A running server serves it after
 * SIGHUP (`systemctl reload doudi`). */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "cli/cli.h"
#include "refdata/refdata.h"

static const char usage[] =
    "usage: doudi calendar load FILE [settings]\n\n"
    "Loads one year of holidays and adjusted working days (a CSV with the\n"
    "header date,is_off_day,name,notice_url, as data/cn-holidays.csv; see\n"
    "docs/calendar.md) as a new version of that year, audited, and\n"
    "recomputes the deadlines of the open cases that reach into it. A\n"
    "running `doudi serve` picks it up on SIGHUP (systemctl reload doudi).\n\n";

static int
load(const struct config *cfg, struct store *st, const char *path)
{
    struct api *api = NULL;
    struct refdata_year y = {0};
    size_t moved = 0;
    int version = 0;
    if (store_schema_version(st, &version) != DD_OK || version == 0) {
        fprintf(stderr, "doudi calendar: the database has no schema; run "
                        "`doudi init` first\n");
        return 1;
    }
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "doudi calendar: cannot open %s\n", path);
        return 1;
    }
    enum dd_status rc = api_new(st, cfg, &api);
    if (rc == DD_OK)
        rc = api_calendar_load(api, f, path, "cli", "", &y, &moved);
    fclose(f);
    api_free(api);
    if (rc == DD_EINVAL) {
        fprintf(stderr, "doudi calendar: %s: line %zu: %s\n", path, y.bad_line,
                y.reason);
        return 1;
    }
    if (rc != DD_OK) {
        fprintf(stderr, "doudi calendar: cannot load %s: %s\n", path,
                dd_status_name(rc));
        return 1;
    }
    printf("calendar %d: version %lld, %zu days (%zu off, %zu worked); "
           "%zu open case items' deadlines moved\n",
           y.year, (long long)y.version, y.days, y.off, y.worked, moved);
    return 0;
}

int
cli_calendar(int argc, char **argv)
{
    struct config cfg;
    struct store *st;
    if (argc >= 2 && strcmp(argv[1], "load") != 0 && !cli_wants_help(argc, argv)) {
        fprintf(stderr, "doudi calendar: unknown subcommand '%s'\n%s",
                argv[1], usage);
        return 2;
    }
    int go = cli_start(&argc, argv, usage, &cfg, &st);
    if (go != CLI_GO)
        return go;
    int rc = 2;
    if (argc != 3)
        fputs(usage, stderr);
    else
        rc = load(&cfg, st, argv[2]);
    store_close(st);
    return rc;
}
