/* SPDX-License-Identifier: MIT */
/* The subcommands of `doudi`, one file each, and what they share:
 * loading the settings and opening the store. */
#ifndef DD_CLI_H
#define DD_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "core/config.h"
#include "store/store.h"

/* Each returns the process exit status: 0 ok, 1 failure, 2 usage. */
int cli_init(int argc, char **argv);
int cli_migrate(int argc, char **argv);
int cli_serve(int argc, char **argv);
int cli_demo(int argc, char **argv);
int cli_check(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_gen(int argc, char **argv);
int cli_import(int argc, char **argv);
int cli_export(int argc, char **argv);
int cli_calendar(int argc, char **argv);

/* Loads settings from argv (consuming recognised flags) and the
 * environment; prints the error and returns -1 on a bad value. */
int cli_config(struct config *cfg, int *argc, char **argv);
/* Opens the store named by cfg->db; prints and returns -1 on failure. */
int cli_open(const struct config *cfg, struct store **st);
/* Whether argv holds --help or -h. */
int cli_wants_help(int argc, char **argv);
/* When argv holds --help or -h: prints usage and the settings' help to
 * stdout and returns 1; 0 otherwise. */
int cli_help(int argc, char **argv, const char *usage);
/* The opening of a subcommand: when argv holds --help or -h, prints usage
 * as cli_help does and returns 0; loads the settings, returning 2 when one
 * is bad; CLI_GO when the command goes on. */
#define CLI_GO (-1)
int cli_settings(int *argc, char **argv, const char *usage, struct config *cfg);
/* The same for a subcommand that works on the store, which it also opens
 * into *st; 1 when a setting is bad or the store does not open. */
int cli_start(int *argc, char **argv, const char *usage, struct config *cfg,
              struct store **st);
/* Creates u with password in tx and appends its "user.create" audit row
 * (actor "cli", object "user:<id>") with the detail JSON. */
struct user;
struct dd_error;
enum dd_status cli_user_create(struct store_tx *tx, struct user *u,
                               const char *password, const char *detail,
                               struct dd_error *err);
/* The value after the flag name in argv (argv[0] is the command), or
 * NULL. */
const char *cli_flag(int argc, char **argv, const char *name);
/* Runs migrations, loads reference data, ensures the key file and the
 * first admin. admin_password may be NULL (a random one is printed). */
int cli_setup(const struct config *cfg, struct store *st,
              const char *admin_password, int quiet);
/* A random password that satisfies the policy. */
void cli_random_password(char out[24]);
/* A long command's progress on standard error: a line at most every
 * five seconds with what is done (of total, when known), the rate and
 * the time left. fraction is how far it is, 0 to 1, or < 0 for
 * done / total. */
struct cli_progress {
    const char *command; /* "doudi gen" */
    const char *unit;    /* "households" */
    uint64_t total;      /* 0: not known */
    FILE *out;           /* stderr */
    uint64_t t0_us, last_us; /* time_mono_us: the start, the last line */
};
void cli_progress_start(struct cli_progress *p, const char *command,
                        const char *unit, uint64_t total);
void cli_progress_tick(struct cli_progress *p, uint64_t done, double fraction);
/* Serves until SIGTERM or SIGINT. */
int cli_serve_store(const struct config *cfg, struct store *st);
/* `doudi demo`'s cases (demo_cases.c): a thread that, once the server
 * answers, files applications through the API as the demo users and
 * moves them into every state. 0, or -1 when it cannot start. */
int cli_demo_cases_start(const struct config *cfg, const char *password);
/* The townships the demo's cases are filed in (NULL-ended), and the
 * households `doudi demo` generates there besides demo-households, so
 * that every case finds one to apply for however few there are. */
extern const char *const cli_demo_townships[];
/* `doudi demo`'s caseload after approval (demo_payments.c): the
 * demo-caseload households of each demo township granted their items and
 * paid for 24 months through the case and payment services, before the
 * server starts (none when demo-caseload is 0). 0, or -1 after printing
 * why. */
int cli_demo_payments(const struct config *cfg, struct store *st);
#define CLI_DEMO_TOWN_HOUSEHOLDS 160

/* Generates n households from seed (ages on y-m-d) over the villages of
 * cfg->data_dir (only those under a region code of within, a NULL-ended
 * list, unless within is NULL) and writes them into the registry of st through the
 * registry's checks: ID and card numbers sealed with cfg->key_file, no
 * person in two active households (the blind index is the generator's
 * claim function), 1,000 households per write transaction with one
 * "gen.batch" audit row each. Memory stays bounded. *persons and
 * *seconds (either may be NULL) say what was done. 0, or -1 after
 * printing why (batches committed before stay). (cmd_gen.c) */
int cli_gen_store(const struct config *cfg, struct store *st, uint64_t n,
                  uint64_t seed, const char *const *within, int y, int m,
                  int d, uint64_t *persons, double *seconds);

struct gen_village;
/* Reads the village rows (12-digit codes) of a regions CSV such as
 * data/regions-chongqing.csv into a new array *out of *count (the caller
 * frees it with free); a 村民委员会 is rural, any other village-level
 * unit urban. DD_ENOTFOUND when the file cannot be opened, DD_EINVAL when
 * it holds no village, DD_ENOMEM. (cmd_gen.c) */
enum dd_status gen_villages_from_csv(const char *path,
                                     struct gen_village **out,
                                     size_t *count) DD_WUR;

#endif
