/* SPDX-License-Identifier: MIT */
/* `doudi user add|list|lock|unlock|passwd`: account administration from
 * the shell. Passwords come from DOUDI_USER_PASSWORD or one line of
 * standard input, never from the command line (ps would show them). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/accounts.h"
#include "audit/audit.h"
#include "cli/cli.h"
#include "core/str.h"
#include "core/timeutil.h"

static void
usage(FILE *f)
{
    fprintf(f, "usage: doudi user add NAME --role ROLE --scope SCOPE "
               "[--department DEPT] [--display-name TEXT]\n"
               "       doudi user list\n"
               "       doudi user lock NAME\n"
               "       doudi user unlock NAME\n"
               "       doudi user passwd NAME\n\n"
               "Roles: village_assistant town_clerk town_reviewer "
               "county_officer dept_officer\n"
               "       city_supervisor auditor sysadmin\n"
               "SCOPE: comma-separated region-code prefixes (50, 500103, "
               "500103001, ...) or zone:NAME.\n"
               "The password is read from DOUDI_USER_PASSWORD or one line of "
               "standard input.\n");
}

static int
read_password(char *out, size_t cap)
{
    const char *env = getenv("DOUDI_USER_PASSWORD");
    if (env) {
        str_copy(out, cap, env);
        return 0;
    }
    if (!fgets(out, (int)cap, stdin))
        return -1;
    out[strcspn(out, "\r\n")] = '\0';
    return 0;
}

static int
print_error(enum dd_status rc, const struct dd_error *err)
{
    if (err->message)
        fprintf(stderr, "doudi user: %s: %s / %s\n",
                err->field ? err->field : "", err->message, err->message_zh);
    else
        fprintf(stderr, "doudi user: %s\n", dd_status_name(rc));
    return 1;
}

static int
user_add(struct store *st, int argc, char **argv)
{
    struct user u = {0};
    struct dd_error err = {0};
    struct store_tx *tx;
    char pw[256], obj[32];
    const char *role = cli_flag(argc, argv, "--role");
    const char *scope = cli_flag(argc, argv, "--scope");
    const char *dept = cli_flag(argc, argv, "--department");
    const char *display = cli_flag(argc, argv, "--display-name");
    if (argc < 3 || !role || !scope) {
        usage(stderr);
        return 2;
    }
    str_copy(u.username, sizeof(u.username), argv[2]);
    str_copy(u.role, sizeof(u.role), role);
    str_copy(u.scope, sizeof(u.scope), scope);
    str_copy(u.department, sizeof(u.department), dept ? dept : "");
    str_copy(u.display_name, sizeof(u.display_name), display ? display : "");
    if (read_password(pw, sizeof(pw))) {
        fprintf(stderr, "doudi user: no password given\n");
        return 1;
    }
    enum dd_status rc = store_tx_begin(st, STORE_WRITE, &tx);
    if (rc == DD_OK) {
        rc = accounts_create(tx, &u, pw, &err);
        snprintf(obj, sizeof(obj), "user:%lld", (long long)u.id);
        if (rc == DD_OK)
            rc = audit_log(tx, "cli", "user.create", obj, NULL, "", NULL);
        if (rc == DD_OK)
            rc = store_tx_commit(tx);
        else
            store_tx_rollback(tx);
    }
    sodium_memzero(pw, sizeof(pw));
    if (rc != DD_OK)
        return print_error(rc, &err);
    printf("user %s created (id %lld)\n", u.username, (long long)u.id);
    return 0;
}

static int
user_list(struct store *st)
{
    struct store_tx *tx;
    struct user us[100];
    size_t n;
    int64_t after = 0, now = time_now();
    printf("%-6s %-24s %-18s %-10s %-16s %s\n", "id", "username", "role",
           "department", "scope", "state");
    do {
        if (store_tx_begin(st, STORE_READ, &tx) != DD_OK)
            return 1;
        enum dd_status rc = store_user_list(tx, after, us, 100, &n);
        store_tx_rollback(tx);
        if (rc != DD_OK)
            return 1;
        for (size_t i = 0; i < n; i++) {
            const struct user *u = &us[i];
            printf("%-6lld %-24s %-18s %-10s %-16s %s\n", (long long)u->id,
                   u->username, u->role, u->department, u->scope,
                   u->disabled             ? "locked"
                   : u->locked_until > now ? "locked (failures)"
                                           : "active");
            after = u->id;
        }
    } while (n == 100);
    return 0;
}

/* lock, unlock, passwd: read, change, write, audit, in one transaction. */
static int
user_change(struct store *st, const char *what, const char *name)
{
    struct store_tx *tx;
    struct user u;
    struct dd_error err = {0};
    char pw[256] = "", obj[32];
    int passwd = strcmp(what, "passwd") == 0;
    if (passwd && read_password(pw, sizeof(pw))) {
        fprintf(stderr, "doudi user: no password given\n");
        return 1;
    }
    enum dd_status rc = store_tx_begin(st, STORE_WRITE, &tx);
    if (rc != DD_OK)
        return print_error(rc, &err);
    rc = store_user_get_by_name(tx, name, &u);
    if (rc == DD_OK) {
        if (passwd) {
            rc = accounts_set_password(&u, pw, &err);
        } else if (strcmp(what, "lock") == 0) {
            u.disabled = 1;
        } else {
            rc = accounts_unlock(tx, &u);
        }
    }
    if (rc == DD_OK)
        rc = store_user_update(tx, &u);
    if (rc == DD_OK && strcmp(what, "unlock") != 0)
        rc = store_session_delete_user(tx, u.id);
    snprintf(obj, sizeof(obj), "user:%lld", (long long)u.id);
    if (rc == DD_OK)
        rc = audit_log(tx, "cli",
                       passwd                      ? "user.passwd"
                       : strcmp(what, "lock") == 0 ? "user.lock"
                                                   : "user.unlock",
                       obj, NULL, "", NULL);
    if (rc == DD_OK)
        rc = store_tx_commit(tx);
    else
        store_tx_rollback(tx);
    sodium_memzero(pw, sizeof(pw));
    if (rc == DD_ENOTFOUND) {
        fprintf(stderr, "doudi user: no user named %s\n", name);
        return 1;
    }
    if (rc != DD_OK)
        return print_error(rc, &err);
    printf("user %s: %s done\n", name, what);
    return 0;
}

int
cli_user(int argc, char **argv)
{
    struct config cfg;
    struct store *st;
    if (argc < 2 || cli_wants_help(argc, argv)) {
        usage(argc < 2 ? stderr : stdout);
        if (argc >= 2)
            config_print_help(stdout);
        return argc < 2 ? 2 : 0;
    }
    if (cli_config(&cfg, &argc, argv))
        return 2;
    const char *sub = argv[1];
    int known = strcmp(sub, "add") == 0 || strcmp(sub, "list") == 0 ||
                strcmp(sub, "lock") == 0 || strcmp(sub, "unlock") == 0 ||
                strcmp(sub, "passwd") == 0;
    if (!known || (strcmp(sub, "list") != 0 && argc < 3)) {
        usage(stderr);
        return 2;
    }
    if (cli_open(&cfg, &st))
        return 1;
    int rc;
    if (strcmp(sub, "add") == 0)
        rc = user_add(st, argc, argv);
    else if (strcmp(sub, "list") == 0)
        rc = user_list(st);
    else
        rc = user_change(st, sub, argv[2]);
    store_close(st);
    return rc;
}
