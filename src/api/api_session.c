/* SPDX-License-Identifier: MIT */
/* Sessions: login (POST), who am I (GET), logout (DELETE); and the
 * authentication of every other request by session cookie or partner
 * bearer token. Lockout after repeated failures; idle and absolute
 * expiry; a CSRF token per session for every write. */
#include "api/api_internal.h"

#include <stdio.h>
#include <string.h>

#include "accounts/accounts.h"
#include "core/log.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "crypto/crypto.h"
#include "crypto/password.h"
#include "crypto/token.h"
#include "json/jw.h"

/* last_seen_at is written at most this often, so reads stay reads */
#define TOUCH_INTERVAL_S 60

/* What req->principal points at. */
struct auth {
    struct principal p; /* first: PRINCIPAL(req) casts to it */
    char token_hash[STORE_HASH_LEN];
    char csrf[STORE_HASH_LEN];
    int by_cookie;
    int64_t expires_at;
};

static void
unauthorised(struct http_request *req, const char *code, const char *en,
             const char *zh)
{
    api_error(req, 401, code, NULL, en, zh);
}

static int
principal_of_user(struct http_request *req, const struct user *u,
                  struct auth *au)
{
    au->p.role = role_from_name(u->role);
    au->p.user_id = u->id;
    str_copy(au->p.name, sizeof(au->p.name), u->username);
    str_copy(au->p.department, sizeof(au->p.department), u->department);
    if (api_scope_expand(API(req), u->scope, &au->p) != DD_OK ||
        au->p.role == ROLE_NONE) {
        log_msg(LOG_ERROR, req->request_id,
                "user %lld has an invalid role or scope", (long long)u->id);
        api_fail(req, DD_EINTERNAL, NULL);
        return -1;
    }
    req->actor = arena_strdup(req->arena, u->username);
    return 0;
}

static int
auth_bearer(struct http_request *req, const char *token)
{
    struct api *a = API(req);
    struct store_tx *tx;
    struct api_token t;
    char hash[STORE_HASH_LEN];
    struct auth *au = api_alloc(req, sizeof(*au));
    if (!au)
        return -1;
    token_hash(token, hash);
    if (api_begin(req, STORE_READ, &tx))
        return -1;
    enum dd_status rc = store_api_token_get(tx, hash, &t);
    api_end(req);
    if (rc == DD_ENOTFOUND || (rc == DD_OK && t.revoked)) {
        unauthorised(req, "TOKEN_INVALID", "the API token is not valid",
                     "API 令牌无效");
        return -1;
    }
    if (api_check(req, rc, NULL))
        return -1;
    au->p.role = role_from_name(t.role);
    char *name = arena_printf(req->arena, "token:%s", t.name);
    if (!name) {
        api_fail(req, DD_ENOMEM, NULL);
        return -1;
    }
    str_copy(au->p.name, sizeof(au->p.name), name);
    str_copy(au->p.department, sizeof(au->p.department), t.department);
    if (api_scope_expand(a, t.scope, &au->p) != DD_OK) {
        api_fail(req, DD_EINTERNAL, NULL);
        return -1;
    }
    req->actor = arena_strdup(req->arena, au->p.name);
    req->principal = au;
    return 0;
}

static int
auth_cookie(struct http_request *req, const char *cookie)
{
    struct api *a = API(req);
    struct store_tx *tx;
    struct session s;
    struct user u;
    int64_t now = time_now();
    struct auth *au = api_alloc(req, sizeof(*au));
    if (!au)
        return -1;
    token_hash(cookie, au->token_hash);
    enum dd_status rc = DD_OK;
    uint64_t mark = session_cache_mark(a->sessions);
    int cached = session_cache_get(a->sessions, au->token_hash, &s, &u);
    if (!cached) {
        /* one statement: on PostgreSQL, no BEGIN and no ROLLBACK */
        if (api_begin(req, STORE_READ_ONE, &tx))
            return -1;
        rc = store_session_auth(tx, au->token_hash, &s, &u);
        api_end(req);
    }
    if (rc == DD_ENOTFOUND) {
        unauthorised(req, "SESSION_INVALID", "please sign in", "请先登录");
        return -1;
    }
    if (api_check(req, rc, NULL))
        return -1;
    if (now - s.last_seen_at > a->cfg->session_idle_s ||
        now - s.created_at > a->cfg->session_max_s) {
        unauthorised(req, "SESSION_EXPIRED",
                     "the session has expired; please sign in again",
                     "会话已过期，请重新登录");
        return -1;
    }
    if (u.disabled || u.locked_until > now) {
        unauthorised(req, "ACCOUNT_LOCKED", "the account is locked",
                     "账号已被锁定");
        return -1;
    }
    if (principal_of_user(req, &u, au))
        return -1;
    str_copy(au->csrf, sizeof(au->csrf), s.csrf_token);
    au->by_cookie = 1;
    au->expires_at = s.created_at + a->cfg->session_max_s;
    req->principal = au;
    if (now - s.last_seen_at >= TOUCH_INTERVAL_S) {
        if (api_begin(req, STORE_WRITE, &tx))
            return -1;
        rc = store_session_touch(tx, au->token_hash, now);
        if (api_check(req, rc, NULL))
            return -1;
        if (api_commit(req, tx))
            return -1;
        s.last_seen_at = now;
    }
    /* remembered as read (a remembered one is not read again before it
     * is forgotten or too old) */
    if (!cached)
        session_cache_put(a->sessions, mark, &s, &u);
    return 0;
}

int
api_authenticate(struct http_request *req)
{
    const char *authz = http_header(req, "Authorization");
    if (authz && strncmp(authz, "Bearer ", 7) == 0 && authz[7])
        return auth_bearer(req, authz + 7);
    const char *cookie = http_cookie(req, API_COOKIE_NAME);
    if (cookie && strncmp(cookie, CITIZEN_TOKEN_PREFIX,
                          strlen(CITIZEN_TOKEN_PREFIX)) == 0)
        return api_citizen_authenticate(req, cookie);
    if (cookie && *cookie)
        return auth_cookie(req, cookie);
    unauthorised(req, "SESSION_REQUIRED", "please sign in", "请先登录");
    return -1;
}

int
api_csrf_ok(struct http_request *req)
{
    struct auth *au = req->principal;
    if (PRINCIPAL(req)->role == ROLE_CITIZEN)
        return api_citizen_csrf_ok(req);
    if (!au->by_cookie)
        return 1; /* bearer tokens carry no ambient authority */
    const char *h = http_header(req, "X-CSRF-Token");
    return h && token_equal(h, au->csrf);
}

/* Usernames: [a-z0-9._-]{1,63}. Anything else is not a user of ours, and
 * is not echoed into the audit log (it may be a mistyped password). */
static int
username_ok(const char *s)
{
    size_t n = strlen(s);
    return n > 0 && n < 64 &&
           s[strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789._-")] == '\0';
}

struct login_body {
    const char *username;
    const char *password;
};

static const struct json_field login_fields[] = {
    {"username", JSON_T_STRING, 1, 1, 64,
     offsetof(struct login_body, username)},
    {"password", JSON_T_STRING, 1, 1, 256,
     offsetof(struct login_body, password)},
};

/* The audit detail of a sign-in attempt. */
static const char *
attempt_detail(struct http_request *req, const char *result)
{
    return json_object_of_strings(
        req->arena,
        (const char *[]){"result", result, "client", req->client_addr}, 2);
}

/* A guessing attack spread over many addresses: its own audit row, for
 * the auditors' filter, and a warning line for the operators (the user
 * by id; never a password or token). */
static enum dd_status
spread_alert(struct http_request *req, struct store_tx *tx,
             const struct user *u, const struct signin_failure *f)
{
    const struct config *cfg = API(req)->cfg;
    struct jw w;
    jw_init(&w, 256);
    jw_obj(&w, NULL);
    jw_int(&w, "addresses", f->addresses);
    jw_int(&w, "window_seconds", cfg->lockout_spread_window_s);
    jw_str(&w, "client", req->client_addr);
    jw_time(&w, "locked_until", u->locked_until);
    jw_end(&w);
    const char *detail = jw_finish_arena(&w, req->arena);
    if (!detail)
        return DD_ENOMEM;
    log_msg(LOG_WARN, req->request_id,
            "sign-in failures on user %lld from %lld addresses within %d s: "
            "the account is locked until an administrator unlocks it or the "
            "lock ends (audit action session.spread_attack)",
            (long long)u->id, (long long)f->addresses,
            cfg->lockout_spread_window_s);
    return api_audit(req, tx, "session.spread_attack",
                     api_user_object(req, u->id), NULL, detail);
}

/* Records a failed or refused login in its own transaction: a wrong
 * password of u is counted (count_failure), an attempt on a locked
 * account or address is not (locked). */
static void
login_refused(struct http_request *req, struct user *u, int count_failure,
              int locked, const char *actor, const char *why)
{
    struct api *a = API(req);
    struct store_tx *tx;
    struct signin_failure f = {0};
    const struct lockout_rules rules = {
        a->cfg->lockout_failures, a->cfg->lockout_s,
        a->cfg->lockout_spread_addresses, a->cfg->lockout_spread_window_s};
    if (api_begin(req, STORE_WRITE, &tx))
        return;
    enum dd_status rc = DD_OK;
    if (u && count_failure)
        rc = accounts_signin_failed(tx, u, req->client_addr, time_now(),
                                    &rules, &f);
    locked |= f.address_locked || f.spread;
    req->actor = actor;
    if (rc == DD_OK)
        rc = api_audit(req, tx, "session.create.failed",
                       u ? api_user_object(req, u->id) : "user:unknown", NULL,
                       attempt_detail(req, f.address_locked || f.spread
                                               ? "locked"
                                               : why));
    if (rc == DD_OK && f.spread)
        rc = spread_alert(req, tx, u, &f);
    if (api_finish(req, tx, rc, NULL))
        return;
    if (locked)
        api_error(req, 403, "ACCOUNT_LOCKED", "username",
                  "the account is locked after repeated failed sign-ins; "
                  "try again later or ask an administrator",
                  "多次登录失败，账号已被锁定；请稍后再试或联系管理员");
    else
        api_error(req, 401, "INVALID_CREDENTIALS", "password",
                  "wrong username or password", "用户名或密码错误");
}

static const char *
session_json(struct http_request *req, const struct user *u, const char *csrf,
             int64_t expires_at)
{
    struct jw w;
    jw_init(&w, 8192);
    jw_obj(&w, NULL);
    jw_str(&w, "csrf_token", csrf);
    jw_time(&w, "expires_at", expires_at);
    json_put_user(&w, "user", u, time_now());
    jw_end(&w);
    return jw_finish_arena(&w, req->arena);
}

static void
session_create(struct http_request *req)
{
    struct api *a = API(req);
    struct login_body b = {0};
    unsigned present;
    struct store_tx *tx;
    struct user u;
    int64_t now = time_now();

    if (api_signin_limit(req, now, "session.create.failed", "user:unknown"))
        return;
    if (api_decode(req, login_fields, 2, &b, &present))
        return;
    if (!username_ok(b.username)) {
        password_verify(a->dummy_hash, b.password);
        login_refused(req, NULL, 0, 0, "anonymous", "unknown user");
        return;
    }
    if (api_begin(req, STORE_READ, &tx))
        return;
    int locked = 0;
    enum dd_status rc = store_user_get_by_name(tx, b.username, &u);
    if (rc == DD_OK)
        rc = accounts_signin_locked(tx, &u, req->client_addr, now, &locked);
    api_end(req);
    if (rc == DD_ENOTFOUND) {
        password_verify(a->dummy_hash, b.password);
        login_refused(req, NULL, 0, 0, b.username, "unknown user");
        return;
    }
    if (api_check(req, rc, NULL))
        return;
    if (locked) {
        login_refused(req, &u, 0, 1, u.username, "account locked");
        return;
    }
    if (!password_verify(u.pw_hash, b.password)) {
        login_refused(req, &u, 1, 0, u.username, "wrong password");
        return;
    }

    char token[44], csrf[44];
    struct session s = {0};
    if (token_new(token) != DD_OK || token_new(csrf) != DD_OK) {
        api_fail(req, DD_EINTERNAL, NULL);
        return;
    }
    token_hash(token, s.token_hash);
    str_copy(s.csrf_token, sizeof(s.csrf_token), csrf);
    s.user_id = u.id;
    s.created_at = s.last_seen_at = now;
    req->actor = arena_strdup(req->arena, u.username);

    if (api_begin(req, STORE_WRITE, &tx))
        return;
    rc = accounts_signin_ok(tx, &u, req->client_addr);
    if (rc == DD_OK)
        rc = store_session_insert(tx, &s);
    if (rc == DD_OK)
        rc = api_audit(req, tx, "session.create", api_user_object(req, u.id),
                       NULL, attempt_detail(req, "ok"));
    if (api_finish(req, tx, rc, NULL))
        return;
    api_reply_signed_in(
        req, token, a->cfg->session_max_s,
        session_json(req, &u, csrf, now + a->cfg->session_max_s));
    crypto_wipe(token, sizeof(token));
}

static void
session_get(struct http_request *req)
{
    struct auth *au = req->principal;
    struct store_tx *tx;
    struct user u;
    if (!au->by_cookie) {
        const char *kv[] = {"name", au->p.name, "role", role_name(au->p.role)};
        http_reply_json(req, 200, json_object_of_strings(req->arena, kv, 2));
        return;
    }
    if (api_begin(req, STORE_READ, &tx))
        return;
    enum dd_status rc = store_user_get(tx, au->p.user_id, &u);
    if (api_check(req, rc, NULL))
        return;
    const char *body = session_json(req, &u, au->csrf, au->expires_at);
    api_reply(req, 200, body);
}

static void
session_delete(struct http_request *req)
{
    struct auth *au = req->principal;
    struct store_tx *tx;
    if (!au->by_cookie) {
        api_error(req, 400, "NOT_A_SESSION", NULL,
                  "an API token has no session to end",
                  "API 令牌没有可注销的会话");
        return;
    }
    if (api_begin(req, STORE_WRITE, &tx))
        return;
    api_sign_out(req, tx, store_session_delete(tx, au->token_hash),
                 "session.delete", api_user_object(req, au->p.user_id));
    /* forgotten here at once, not only when the announcement is heard */
    session_cache_forget(API(req)->sessions, au->token_hash);
}

/* clang-format off: one route per line */
static const struct route routes[] = {
    {"POST", "/api/v1/session", NULL, NULL, AUTHZ_PUBLIC, ROUTE_PUBLIC | ROUTE_BODY, session_create, "sign in; sets the session cookie and returns the CSRF token"},
    {"GET", "/api/v1/session", NULL, NULL, AUTHZ_SELF, 0, session_get, "the signed-in user and the CSRF token"},
    {"DELETE", "/api/v1/session", NULL, NULL, AUTHZ_SELF, 0, session_delete, "sign out"},
};
/* clang-format on */

const struct route_table api_session_routes = {
    "session", routes, sizeof(routes) / sizeof(routes[0])};
