/* SPDX-License-Identifier: MIT */
/* Account validation and creation, and the sign-in lockout per client
 * address. */
#include "accounts/accounts.h"

#include <string.h>

#include "core/timeutil.h"
#include "crypto/password.h"
#include "domain/authz.h"

static enum dd_status
fail(struct dd_error *err, const char *code, const char *field, const char *en,
     const char *zh)
{
    return dd_invalid(err, code, field, en, zh);
}

struct zone_find {
    const char *name;
    size_t len;
    int found;
};

static int
find_zone(const struct zone_township *z, void *ctx)
{
    struct zone_find *f = ctx;
    if (strlen(z->zone) == f->len && memcmp(z->zone, f->name, f->len) == 0)
        f->found = 1;
    return f->found;
}

enum dd_status
accounts_scope_check(struct store_tx *tx, const char *role_text,
                     const char *scope, struct dd_error *err)
{
    enum dd_status rc;
    enum role role = role_from_name(role_text);
    const char *s = scope;
    if (!*s)
        return fail(err, "SCOPE_REQUIRED", "scope",
                    "a scope (region code prefix) is required",
                    "必须指定管辖范围（行政区划代码）");
    if (s[strlen(s) - 1] == ',')
        return fail(err, "SCOPE_INVALID", "scope",
                    "the scope is a comma-separated list of codes",
                    "管辖范围应为逗号分隔的代码列表");
    size_t entries = 0;
    while (*s) {
        size_t n = strcspn(s, ",");
        char entry[STORE_SCOPE_LEN];
        if (n == 0 || n >= sizeof(entry))
            return fail(err, "SCOPE_INVALID", "scope",
                        "the scope is a comma-separated list of codes",
                        "管辖范围应为逗号分隔的代码列表");
        memcpy(entry, s, n);
        entry[n] = '\0';
        rc = authz_scope_entry_check(role, entry, err);
        if (rc != DD_OK)
            return rc;
        if (strncmp(entry, "zone:", 5) == 0) {
            struct zone_find f = {entry + 5, n - 5, 0};
            rc = store_zone_each(tx, find_zone, &f);
            if (rc != DD_OK)
                return rc;
            if (!f.found)
                return fail(err, "SCOPE_UNKNOWN_ZONE", "scope",
                            "no functional zone has this name", "没有此功能区");
        } else if (n > 2) {
            struct region r;
            rc = store_region_get(tx, entry, &r);
            if (rc == DD_ENOTFOUND)
                return fail(err, "SCOPE_UNKNOWN_REGION", "scope",
                            "no region has this code", "没有此行政区划代码");
            if (rc != DD_OK)
                return rc;
        } else if (strcmp(entry, "50") != 0) {
            return fail(err, "SCOPE_UNKNOWN_REGION", "scope",
                        "the city-wide scope is 50", "全市范围的代码是 50");
        }
        s += n;
        if (*s == ',')
            s++;
        entries++;
    }
    if (entries > 1 && (role == ROLE_AUDITOR || role == ROLE_CITY_SUPERVISOR ||
                        role == ROLE_SYSADMIN || role == ROLE_PARTNER))
        return fail(err, "SCOPE_SINGLE_ENTRY", "scope",
                    "this role's scope is one region",
                    "该角色的管辖范围只能是一个区域");
    return DD_OK;
}

enum dd_status
accounts_validate(struct store_tx *tx, const struct user *u,
                  struct dd_error *err)
{
    size_t n = strlen(u->username);
    if (n == 0 || n > 63 ||
        u->username[strspn(u->username,
                           "abcdefghijklmnopqrstuvwxyz0123456789._-")])
        return fail(err, "USERNAME_INVALID", "username",
                    "a username is 1-63 characters of a-z, 0-9, '.', '_', "
                    "'-'",
                    "用户名为 1-63 个小写字母、数字、点、下划线或连字符");
    enum role role = role_from_name(u->role);
    /* partners are tokens and citizens sign in by phone: neither is an
     * account */
    if (role == ROLE_NONE || role == ROLE_PARTNER || role == ROLE_CITIZEN)
        return fail(err, "ROLE_INVALID", "role", "no such role for a user",
                    "没有此用户角色");
    if (role == ROLE_DEPT_OFFICER) {
        if (!authz_department_valid(u->department))
            return fail(err, "DEPARTMENT_INVALID", "department",
                        "a department officer needs a department: medical, "
                        "education, housing, hrss, emergency or disabled",
                        "部门经办人须指定部门：medical、education、housing、"
                        "hrss、emergency 或 disabled");
    } else if (u->department[0]) {
        return fail(err, "DEPARTMENT_NOT_ALLOWED", "department",
                    "only department officers have a department",
                    "只有部门经办人才有所属部门");
    }
    return accounts_scope_check(tx, u->role, u->scope, err);
}

enum dd_status
accounts_set_password(struct user *u, const char *password,
                      struct dd_error *err)
{
    /* the list is data: a server or command without it must not let a
     * common password through */
    if (!password_blocklist_loaded())
        return fail(err, "PASSWORD_LIST_MISSING", NULL,
                    "the common-password list (" PASSWORD_BLOCKLIST_FILE
                    " in the data directory) is not loaded",
                    "未加载常见密码列表（数据目录下的 " PASSWORD_BLOCKLIST_FILE
                    "）");
    enum dd_status rc = password_policy_check(u->username, password, err);
    if (rc != DD_OK)
        return rc;
    return password_hash(password, u->pw_hash);
}

enum dd_status
accounts_create(struct store_tx *tx, struct user *u, const char *password,
                struct dd_error *err)
{
    enum dd_status rc = accounts_validate(tx, u, err);
    if (rc != DD_OK)
        return rc;
    rc = accounts_set_password(u, password, err);
    if (rc != DD_OK)
        return rc;
    u->created_at = time_now();
    rc = store_user_insert(tx, u);
    if (rc == DD_ECONFLICT)
        fail(err, "USERNAME_TAKEN", "username", "this username is taken",
             "该用户名已被使用");
    return rc;
}

enum dd_status
accounts_signin_locked(struct store_tx *tx, const struct user *u,
                       const char *client, int64_t now, int *locked)
{
    struct login_failure f;
    *locked = u->disabled || u->locked_until > now;
    if (*locked)
        return DD_OK;
    enum dd_status rc = store_login_failure_get(tx, u->id, client, &f);
    if (rc == DD_OK)
        *locked = f.locked_until > now;
    return rc == DD_ENOTFOUND ? DD_OK : rc;
}

enum dd_status
accounts_signin_failed(struct store_tx *tx, struct user *u, const char *client,
                       int64_t now, const struct lockout_rules *r,
                       struct signin_failure *out)
{
    struct login_failure f;
    memset(out, 0, sizeof(*out));
    /* re-read inside the write transaction: concurrent failures add */
    enum dd_status rc = store_user_get(tx, u->id, u);
    if (rc == DD_OK)
        rc = store_login_failure_add(tx, u->id, client, now, &f);
    if (rc == DD_OK && f.failures >= r->failures) {
        out->address_locked = 1;
        rc = store_login_failure_lock(tx, u->id, client, now + r->lock_s);
    }
    if (rc == DD_OK)
        rc = store_login_failure_addresses(tx, u->id, now - r->spread_window_s,
                                           &out->addresses);
    if (rc != DD_OK)
        return rc;
    u->failed_logins++;
    /* attempts on a locked account are refused uncounted, so this fires
     * once per lock, and again if the failures go on after it */
    if (out->addresses >= r->spread_addresses) {
        out->spread = 1;
        u->locked_until = now + r->lock_s;
        u->spread_alert_at = now;
    }
    return store_user_update(tx, u);
}

enum dd_status
accounts_signin_ok(struct store_tx *tx, struct user *u, const char *client)
{
    enum dd_status rc = store_user_get(tx, u->id, u);
    if (rc == DD_OK && (u->failed_logins || u->locked_until)) {
        u->failed_logins = 0;
        u->locked_until = 0;
        rc = store_user_update(tx, u);
    }
    if (rc == DD_OK)
        rc = store_login_failure_clear(tx, u->id, client);
    return rc;
}

enum dd_status
accounts_unlock(struct store_tx *tx, struct user *u)
{
    u->disabled = 0;
    u->locked_until = 0;
    u->failed_logins = 0;
    return store_login_failure_clear(tx, u->id, NULL);
}
