/* SPDX-License-Identifier: MIT */
/* What the subcommands share: settings, opening the store, and first-time
 * setup (migrations, reference data, key file, first admin). */
#include "cli/cli.h"

#include <libgen.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accounts/accounts.h"
#include "audit/audit.h"
#include "core/log.h"
#include "crypto/keyfile.h"
#include "crypto/password.h"
#include "crypto/token.h"
#include "refdata/refdata.h"
#include "refdata/refdata_catalog.h"
#include "refdata/refdata_steps.h"

int
cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
    return 0;
}

int
cli_help(int argc, char **argv, const char *usage)
{
    if (!cli_wants_help(argc, argv))
        return 0;
    fputs(usage, stdout);
    config_print_help(stdout);
    return 1;
}

const char *
cli_flag(int argc, char **argv, const char *name)
{
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], name) == 0)
            return argv[i + 1];
    return NULL;
}

/* A setting left at its default folder (./data, ./web/dist: the source
 * tree's, for `make run`) that holds no probe file there: the installed
 * folder BIN/DOUDI_SHARE_FROM_BIN/sub beside the running binary when it
 * holds one (`cmake --install`, under any prefix), so that an installed
 * doudi runs from any folder. A setting given explicitly is kept. */
static void
installed_default(char *value, size_t cap, const char *name, const char *sub,
                  const char *probe)
{
    char exe[PATH_MAX], path[PATH_MAX + 64];
    const char *def = NULL;
    for (size_t i = 0; i < config_settings_count; i++)
        if (strcmp(config_settings[i].name, name) == 0)
            def = config_settings[i].def;
    if (!def || strcmp(value, def) != 0)
        return;
    snprintf(path, sizeof(path), "%s/%s", def, probe);
    if (access(path, R_OK) == 0)
        return;
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n <= 0)
        return;
    exe[n] = '\0';
    int len = snprintf(path, sizeof(path), "%s/%s/%s", dirname(exe),
                       DOUDI_SHARE_FROM_BIN, sub);
    if (len < 0 || (size_t)len >= cap)
        return;
    size_t dir_len = (size_t)len;
    snprintf(path + dir_len, sizeof(path) - dir_len, "/%s", probe);
    if (access(path, R_OK) != 0)
        return;
    path[dir_len] = '\0';
    memcpy(value, path, dir_len + 1);
}

int
cli_config(struct config *cfg, int *argc, char **argv)
{
    struct dd_error err = {0};
    if (config_load(cfg, argc, argv, &err) != DD_OK) {
        fprintf(stderr, "doudi: setting %s: %s (%s)\n",
                err.field ? err.field : "?", err.message, err.message_zh);
        return -1;
    }
    installed_default(cfg->data_dir, sizeof(cfg->data_dir), "data-dir", "data",
                      "regions-chongqing.csv");
    installed_default(cfg->web_dir, sizeof(cfg->web_dir), "web-dir", "web",
                      "index.html");
    if (strcmp(cfg->log_level, "debug") == 0)
        log_set_level(LOG_DEBUG);
    else if (strcmp(cfg->log_level, "warn") == 0)
        log_set_level(LOG_WARN);
    else if (strcmp(cfg->log_level, "error") == 0)
        log_set_level(LOG_ERROR);
    /* a command that sets a password needs the list (accounts refuses
     * without it); the others run without a data directory */
    if (password_blocklist_load(cfg->data_dir) != DD_OK)
        log_msg(LOG_DEBUG, NULL, "no common-password list in %s",
                cfg->data_dir);
    return 0;
}

int
cli_open(const struct config *cfg, struct store **st)
{
    enum dd_status rc =
        store_open(cfg->db,
                   cfg->db_pool ? cfg->db_pool
                                : cfg->threads + cfg->heavy_workers,
                   st);
    if (rc != DD_OK) {
        fprintf(stderr, "doudi: cannot open the database (%s): %s\n",
                strncmp(cfg->db, "sqlite:", 7) == 0 ? cfg->db : "postgresql",
                dd_status_name(rc));
        return -1;
    }
    return 0;
}

int
cli_settings(int *argc, char **argv, const char *usage, struct config *cfg)
{
    if (cli_help(*argc, argv, usage))
        return 0;
    return cli_config(cfg, argc, argv) ? 2 : CLI_GO;
}

int
cli_start(int *argc, char **argv, const char *usage, struct config *cfg,
          struct store **st)
{
    int go = cli_settings(argc, argv, usage, cfg);
    if (go != CLI_GO)
        return go ? 1 : 0;
    return cli_open(cfg, st) ? 1 : CLI_GO;
}

enum dd_status
cli_user_create(struct store_tx *tx, struct user *u, const char *password,
                const char *detail, struct dd_error *err)
{
    enum dd_status rc = accounts_create(tx, u, password, err);
    if (rc != DD_OK)
        return rc;
    char obj[32];
    snprintf(obj, sizeof(obj), "user:%lld", (long long)u->id);
    return audit_log(tx, "cli", "user.create", obj, NULL, "", detail);
}

void
cli_random_password(char out[24])
{
    char t[44];
    if (token_new(t) != DD_OK)
        sodium_misuse();
    /* 18 random URL-safe characters, then one of each class so the
     * policy's "3 of 4 classes" always holds. */
    memcpy(out, t, 18);
    memcpy(out + 18, "Aa7-", 4);
    out[22] = '\0';
    sodium_memzero(t, sizeof(t));
}

static int
count_users(struct store *st, size_t *n)
{
    struct store_tx *tx;
    struct user u;
    if (store_tx_begin(st, STORE_READ, &tx) != DD_OK)
        return -1;
    enum dd_status rc = store_user_list(tx, 0, &u, 1, n);
    store_tx_rollback(tx);
    return rc == DD_OK ? 0 : -1;
}

int
cli_setup(const struct config *cfg, struct store *st,
          const char *admin_password, int quiet)
{
    int from, to, created;
    size_t bad_line, nusers;
    struct refdata_counts c;
    enum dd_status rc = store_migrate(st, &from, &to);
    if (rc != DD_OK) {
        fprintf(stderr, "doudi: migration failed: %s\n", dd_status_name(rc));
        return -1;
    }
    if (!quiet)
        printf("schema: version %d -> %d\n", from, to);
    rc = refdata_load(st, cfg->data_dir, &c, &bad_line);
    if (rc != DD_OK) {
        if (rc == DD_EINVAL)
            fprintf(stderr, "doudi: %s/%s: bad reference data at line %zu%s%s\n",
                    cfg->data_dir, c.bad_file ? c.bad_file : "", bad_line,
                    c.bad_reason[0] ? ": " : "", c.bad_reason);
        else
            fprintf(stderr, "doudi: cannot load reference data from %s: %s\n",
                    cfg->data_dir, dd_status_name(rc));
        return -1;
    }
    if (!quiet)
        printf("regions: %zu counties, %zu townships, %zu villages; "
               "%zu zone memberships\n",
               c.county, c.township, c.village, c.zone_rows);
    if (!quiet)
        printf("policy: %zu versions added, %zu already stored\n",
               c.policy_added, c.policy_unchanged);
    if (!quiet)
        printf("calendar: %zu holiday and adjusted working days\n",
               c.holidays);
    {
        size_t added = 0, bad = 0;
        long bad_step = 0;
        char why[256];
        /* the step templates first: every item names one */
        struct wf_book *book = calloc(1, sizeof(*book));
        if (!book)
            return -1;
        rc = refdata_steps_read(cfg->data_dir, book, &bad_step, why,
                                sizeof(why));
        if (rc != DD_OK) {
            fprintf(stderr, "doudi: %s/%s: bad step templates at line %ld: "
                            "%s%s\n",
                    cfg->data_dir, REFDATA_STEPS_FILE, bad_step, why,
                    rc == DD_EINVAL ? "" : dd_status_name(rc));
            free(book);
            return -1;
        }
        if (!quiet)
            printf("steps: %zu templates, %zu steps\n", book->template_count,
                   book->step_count);
        rc = refdata_catalog_load(st, cfg->data_dir, book, &added, &bad, why,
                                  sizeof(why));
        free(book);
        if (rc != DD_OK) {
            fprintf(stderr, "doudi: %s/%s: bad catalog at line %zu: %s%s\n",
                    cfg->data_dir, REFDATA_CATALOG_FILE, bad, why,
                    rc == DD_EINVAL ? "" : dd_status_name(rc));
            return -1;
        }
        if (!quiet)
            printf("catalog: %zu items added\n", added);
    }
    rc = keyfile_ensure(cfg->key_file, &created);
    if (rc != DD_OK) {
        fprintf(stderr,
                "doudi: key file %s is unusable (it must hold a 32-byte "
                "hex key and be mode 0600)\n",
                cfg->key_file);
        return -1;
    }
    if (!quiet && created)
        printf("key file: created %s (0600); back it up apart from the "
               "database\n",
               cfg->key_file);
    if (count_users(st, &nusers) != 0)
        return -1;
    if (nusers == 0) {
        char pw[24];
        struct user u = {0};
        struct dd_error err = {0};
        struct store_tx *tx;
        if (!admin_password)
            cli_random_password(pw);
        memcpy(u.username, "admin", 6);
        memcpy(u.display_name, "系统管理员", sizeof("系统管理员"));
        memcpy(u.role, "sysadmin", 9);
        memcpy(u.scope, "50", 3);
        rc = store_tx_begin(st, STORE_WRITE, &tx);
        if (rc == DD_OK)
            rc = store_tx_end(
                tx,
                cli_user_create(tx, &u, admin_password ? admin_password : pw,
                                "{\"username\":\"admin\",\"role\":"
                                "\"sysadmin\"}",
                                &err));
        if (rc != DD_OK) {
            fprintf(stderr, "doudi: cannot create the admin: %s%s%s\n",
                    err.message ? err.message : dd_status_name(rc),
                    err.message_zh ? " / " : "",
                    err.message_zh ? err.message_zh : "");
            return -1;
        }
        if (!admin_password)
            printf("first admin: username admin, password %s "
                   "(shown once; change it)\n",
                   pw);
        sodium_memzero(pw, sizeof(pw));
    }
    return 0;
}
