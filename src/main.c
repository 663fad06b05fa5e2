/* SPDX-License-Identifier: MIT */
/* doudi: the one binary. Maps the first argument to a subcommand. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"init", cli_init,
     "create the database, load reference data, create the key file and "
     "the first admin"},
    {"serve", cli_serve, "serve the API and the web UI"},
    {"demo", cli_demo, "a fresh demo database with demo users, then serve"},
    {"migrate", cli_migrate, "apply pending database migrations"},
    {"check", cli_check, "verify the audit hash chain and the database"},
    {"user", cli_user, "manage accounts: add, list, lock, unlock, passwd"},
    {"gen", cli_gen, "generate a synthetic population (CSV, summary, --store)"},
    {"import", cli_import, "import households from a CSV file"},
    {"export", cli_export, "export households to CSV or xlsx"},
    {"calendar", cli_calendar,
     "load a year's holiday notice: calendar load FILE"},
};

static void
usage(FILE *f)
{
    fprintf(f, "doudi %s: social-assistance information system (兜底)\n\n"
               "usage: doudi COMMAND [options]   (doudi COMMAND --help)\n\n",
            DOUDI_VERSION);
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n");
}

int
main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("doudi %s\n", DOUDI_VERSION);
        return 0;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "doudi: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return 2;
}
