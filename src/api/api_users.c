/* SPDX-License-Identifier: MIT */
/* Accounts (sysadmin only): list, create, read, change, lock and unlock
 * users; issue partner API tokens. Passwords never leave the request. */
#include "api/api_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/accounts.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "crypto/crypto.h"
#include "crypto/token.h"
#include "json/jw.h"

#define PAGE_MAX 200

static void
user_list(struct http_request *req)
{
    struct store_tx *tx;
    const char *cursor = http_query(req, "cursor");
    const char *limit_s = http_query(req, "limit");
    size_t limit = limit_s ? (size_t)strtoul(limit_s, NULL, 10) : 50, n = 0;
    struct user *us = api_alloc(req, (limit + 1) * sizeof(*us));
    if (!us)
        return;
    if (api_begin(req, STORE_READ, &tx))
        return;
    enum dd_status rc = store_user_list(
        tx, cursor ? strtoll(cursor, NULL, 10) : 0, us, limit + 1, &n);
    if (api_check(req, rc, NULL))
        return;
    int64_t next = 0;
    if (n > limit) {
        n = limit;
        next = us[n - 1].id;
    }
    const char *body =
        json_encode_user_list(req->arena, us, n, time_now(), next);
    api_reply(req, 200, body);
}

struct user_body {
    const char *username;
    const char *display_name;
    const char *role;
    const char *department;
    const char *scope;
    const char *password;
    int locked;
};

enum { F_USERNAME, F_DISPLAY, F_ROLE, F_DEPT, F_SCOPE, F_PASSWORD, F_LOCKED };

/* The fields of an account; required (1) in a creation, none (0) in a
 * change. */
#define USER_FIELDS(required)                                                  \
    [F_USERNAME] = {"username", JSON_T_STRING, required, 1, 63,                \
                    offsetof(struct user_body, username)},                     \
    [F_DISPLAY] = {"display_name", JSON_T_STRING, 0, 0, 120,                   \
                   offsetof(struct user_body, display_name)},                  \
    [F_ROLE] = {"role", JSON_T_STRING, required, 1, 23,                        \
                offsetof(struct user_body, role)},                             \
    [F_DEPT] = {"department", JSON_T_STRING, 0, 0, 23,                         \
                offsetof(struct user_body, department)},                       \
    [F_SCOPE] = {"scope", JSON_T_STRING, required, 1, 255,                     \
                 offsetof(struct user_body, scope)},                           \
    [F_PASSWORD] = {"password", JSON_T_STRING, required, 1, 256,               \
                    offsetof(struct user_body, password)}

static const struct json_field create_fields[] = {USER_FIELDS(1)};

/* The same fields, all optional, plus locked. */
static const struct json_field patch_fields[] = {
    USER_FIELDS(0),
    [F_LOCKED] = {"locked", JSON_T_BOOL, 0, 0, 0,
                  offsetof(struct user_body, locked)},
};
#undef USER_FIELDS

/* Names of the fields present, for the audit detail (never the values of
 * secrets). */
static const char *
changed_fields(struct http_request *req, unsigned present)
{
    const char *out = "";
    for (size_t i = 0; i < sizeof(patch_fields) / sizeof(patch_fields[0]); i++)
        if (present & (1u << i))
            out = arena_printf(req->arena, "%s%s%s", out, *out ? "," : "",
                               patch_fields[i].name);
    return out;
}

static void
reply_user(struct http_request *req, int status, const struct user *u)
{
    const char *body = json_encode_user(req->arena, u, time_now());
    api_reply(req, status, body);
}

static void
user_create(struct http_request *req)
{
    struct user_body b = {0};
    unsigned present;
    struct store_tx *tx;
    struct user u = {0};
    struct dd_error err = {0};
    if (api_decode(req, create_fields, F_PASSWORD + 1, &b, &present))
        return;
    str_copy(u.username, sizeof(u.username), b.username);
    str_copy(u.display_name, sizeof(u.display_name), b.display_name);
    str_copy(u.role, sizeof(u.role), b.role);
    str_copy(u.department, sizeof(u.department), b.department);
    str_copy(u.scope, sizeof(u.scope), b.scope);
    if (api_begin(req, STORE_WRITE, &tx))
        return;
    enum dd_status rc = accounts_create(tx, &u, b.password, &err);
    if (rc == DD_OK)
        rc = api_audit(req, tx, "user.create", api_user_object(req, u.id), NULL,
                       json_object_of_strings(
                           req->arena,
                           (const char *[]){"username", u.username, "role",
                                            u.role, "scope", u.scope},
                           3));
    if (api_finish(req, tx, rc, &err))
        return;
    reply_user(req, 201, &u);
}

static void
user_get(struct http_request *req)
{
    struct store_tx *tx;
    struct user u;
    if (api_begin(req, STORE_READ, &tx))
        return;
    enum dd_status rc = store_user_get(tx, api_path_id(req, 0), &u);
    if (api_check(req, rc, NULL))
        return;
    reply_user(req, 200, &u);
}

static void
user_patch(struct http_request *req)
{
    struct user_body b = {0};
    unsigned present;
    struct store_tx *tx;
    struct user u;
    struct dd_error err = {0};
    int64_t id = api_path_id(req, 0);
    if (api_decode(req, patch_fields, F_LOCKED + 1, &b, &present))
        return;
    if (present & (1u << F_USERNAME)) {
        api_error(req, 400, "FIELD_READ_ONLY", "username",
                  "a username cannot be changed", "用户名不可修改");
        return;
    }
    unsigned self_fields =
        present & ((1u << F_ROLE) | (1u << F_LOCKED) | (1u << F_SCOPE));
    if (id == PRINCIPAL(req)->user_id && self_fields) {
        api_error(req, 409, "SELF_CHANGE_REFUSED",
                  patch_fields[__builtin_ctz(self_fields)].name,
                  "you cannot change your own role, scope or lock",
                  "不能修改自己的角色、管辖范围或锁定状态");
        return;
    }
    if (api_begin(req, STORE_WRITE, &tx))
        return;
    enum dd_status rc = store_user_get(tx, id, &u);
    if (rc != DD_OK)
        goto fail;
    if (present & (1u << F_DISPLAY))
        str_copy(u.display_name, sizeof(u.display_name), b.display_name);
    if (present & (1u << F_ROLE))
        str_copy(u.role, sizeof(u.role), b.role);
    if (present & (1u << F_DEPT))
        str_copy(u.department, sizeof(u.department), b.department);
    if (present & (1u << F_SCOPE))
        str_copy(u.scope, sizeof(u.scope), b.scope);
    rc = accounts_validate(tx, &u, &err);
    if (rc == DD_OK && (present & (1u << F_PASSWORD)))
        rc = accounts_set_password(&u, b.password, &err);
    if (rc != DD_OK)
        goto fail;
    int end_sessions =
        (present & ((1u << F_PASSWORD) | (1u << F_ROLE) | (1u << F_SCOPE))) !=
        0;
    if (present & (1u << F_LOCKED)) {
        u.disabled = b.locked;
        if (!b.locked)
            rc = accounts_unlock(tx, &u);
        end_sessions |= b.locked;
    }
    if (rc == DD_OK)
        rc = store_user_update(tx, &u);
    if (rc == DD_OK && end_sessions)
        rc = store_session_delete_user(tx, u.id);
    if (rc == DD_OK)
        rc = api_audit(
            req, tx, "user.update", api_user_object(req, u.id), NULL,
            json_object_of_strings(
                req->arena,
                (const char *[]){"fields", changed_fields(req, present)}, 1));
    if (rc != DD_OK)
        goto fail;
    if (api_commit(req, tx))
        return;
    /* forgotten here at once, not only when the announcement is heard */
    session_cache_forget_user(API(req)->sessions, u.id);
    reply_user(req, 200, &u);
    return;
fail:
    api_fail(req, rc, &err);
}

struct token_body {
    const char *name;
    const char *department;
    const char *scope;
};

static const struct json_field token_fields[] = {
    {"name", JSON_T_STRING, 1, 1, 63, offsetof(struct token_body, name)},
    {"department", JSON_T_STRING, 0, 0, 23,
     offsetof(struct token_body, department)},
    {"scope", JSON_T_STRING, 1, 2, 255, offsetof(struct token_body, scope)},
};

static void
token_create(struct http_request *req)
{
    struct token_body b = {0};
    unsigned present;
    struct store_tx *tx;
    struct api_token t = {0};
    struct dd_error err = {0};
    char token[44];
    if (api_decode(req, token_fields, 3, &b, &present))
        return;
    if (b.name[strspn(b.name, "abcdefghijklmnopqrstuvwxyz0123456789._-")]) {
        api_error(req, 400, "TOKEN_NAME_INVALID", "name",
                  "a token name is a-z, 0-9, '.', '_', '-'",
                  "令牌名称只能包含小写字母、数字、点、下划线和连字符");
        return;
    }
    if (b.department &&
        b.department[strspn(b.department, "abcdefghijklmnopqrstuvwxyz_-")]) {
        api_error(req, 400, "DEPARTMENT_INVALID", "department",
                  "a partner's department is a-z, '_', '-'",
                  "合作方部门只能包含小写字母、下划线和连字符");
        return;
    }
    if (token_new(token) != DD_OK) {
        api_fail(req, DD_EINTERNAL, NULL);
        return;
    }
    str_copy(t.name, sizeof(t.name), b.name);
    str_copy(t.role, sizeof(t.role), "partner");
    str_copy(t.department, sizeof(t.department), b.department);
    str_copy(t.scope, sizeof(t.scope), b.scope);
    token_hash(token, t.token_hash);
    t.created_at = time_now();
    if (api_begin(req, STORE_WRITE, &tx))
        return;
    enum dd_status rc = accounts_scope_check(tx, t.role, t.scope, &err);
    if (rc == DD_OK)
        rc = store_api_token_insert(tx, &t);
    if (rc == DD_ECONFLICT) {
        err = (struct dd_error){"TOKEN_NAME_TAKEN", "name",
                                "a token with this name exists",
                                "已存在同名令牌"};
    }
    if (rc == DD_OK)
        rc = api_audit(
            req, tx, "api_token.create",
            arena_printf(req->arena, "api_token:%lld", (long long)t.id), NULL,
            json_object_of_strings(
                req->arena, (const char *[]){"name", t.name, "scope", t.scope},
                2));
    if (api_finish(req, tx, rc, &err))
        return;
    struct jw w;
    jw_init(&w, 4096);
    jw_obj(&w, NULL);
    jw_int(&w, "id", t.id);
    jw_str(&w, "name", t.name);
    jw_str(&w, "role", "partner");
    jw_str(&w, "scope", t.scope);
    jw_str(&w, "token", token);
    jw_end(&w);
    crypto_wipe(token, sizeof(token));
    api_reply_jw(req, 201, &w);
}

static const struct param_spec list_query[] = {
    {"cursor", PARAM_INT, 0, 19, 0, INT64_MAX},
    {"limit", PARAM_INT, 0, 4, 1, PAGE_MAX},
    {NULL, 0, 0, 0, 0, 0},
};

/* clang-format off: one route per line */
static const struct route routes[] = {
    {"GET", "/api/v1/users", NULL, list_query, AUTHZ_USER_MANAGE, 0, user_list, "list accounts"},
    {"POST", "/api/v1/users", NULL, api_no_query, AUTHZ_USER_MANAGE, ROUTE_BODY, user_create, "create an account"},
    {"GET", "/api/v1/users/{id}", api_id_param, api_no_query, AUTHZ_USER_MANAGE, 0, user_get, "one account"},
    {"PATCH", "/api/v1/users/{id}", api_id_param, api_no_query, AUTHZ_USER_MANAGE, ROUTE_BODY, user_patch, "change an account: display name, role, scope, password, lock"},
    {"POST", "/api/v1/api-tokens", NULL, api_no_query, AUTHZ_USER_MANAGE, ROUTE_BODY, token_create, "issue a partner system's bearer token (shown once)"},
};
/* clang-format on */

const struct route_table api_user_routes = {"users", routes,
                                            sizeof(routes) / sizeof(routes[0])};
