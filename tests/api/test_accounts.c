/* SPDX-License-Identifier: MIT */
/* Accounts through the API on the real server (src/api/api_session.c,
 * api_users.c, api_audit.c, api_citizen.c's sign-in): staff sessions,
 * lockout, idle and absolute expiry, the audit log that records them and
 * its scope, the users API and partner tokens, and citizens signing in by
 * phone. Where the API cannot get there (time), the test opens the same
 * store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "matrix.h"
#include "principals.h"

#include "accounts/citizen.h"
#include "api/api.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/timeutil.h"
#include "crypto/pii.h"
#include "crypto/token.h"
#include "http/request.h"
#include "http/router.h"
#include "domain/authz.h"
#include "domain/household.h"
#include "domain/idcard.h"
#include "registry/registry.h"

/* ---- 1. sessions ---- */

TEST_CASE(test_session)
{
    struct response r = {0};
    struct client s, other;
    char *body = login_body("city", TEST_PASSWORD);

    api_call(&srv, NULL, "POST", "/api/v1/session", body, &r);
    free(body);
    expect_status(&r, 201);
    const char *sc = resp_header(&r, "Set-Cookie");
    assert_non_null(sc);
    assert_true(strncmp(sc, "doudi_session=", 14) == 0);
    assert_non_null(strstr(sc, "HttpOnly"));
    assert_non_null(strstr(sc, "SameSite=Strict"));
    assert_non_null(strstr(sc, "Path=/"));
    assert_non_null(resp_str(&r, "csrf_token"));
    assert_true(strlen(resp_str(&r, "csrf_token")) >= 32);
    assert_string_equal(resp_str(&r, "user.role"), "city_supervisor");
    assert_string_equal(resp_str(&r, "user.username"), "city");
    assert_non_null(resp_str(&r, "expires_at"));
    assert_false(has_key(&r, "user.pw_hash"));
    assert_false(has_key(&r, "user.password"));
    /* the cookie value is not in the body */
    session_from_login(&r, "city", &s);
    assert_true(s.token[0] != '\0');
    assert_null(strstr(r.body, s.token));

    api_call(&srv, &s, "GET", "/api/v1/session", NULL, &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "user.username"), "city");
    assert_string_equal(resp_str(&r, "user.role"), "city_supervisor");
    assert_string_equal(resp_str(&r, "csrf_token"), s.csrf);

    /* wrong password, unknown user, a name that cannot be a user: the
     * same answer */
    const char *bad[][2] = {
        {"city", "Wrong-Password-1"},
        {"no.such.user", TEST_PASSWORD},
        {"Not A Username!", TEST_PASSWORD},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        body = login_body(bad[i][0], bad[i][1]);
        api_call(&srv, NULL, "POST", "/api/v1/session", body, &r);
        free(body);
        expect_error(&r, 401, "INVALID_CREDENTIALS", "password");
        assert_null(resp_header(&r, "Set-Cookie"));
    }

    /* no cookie, a forged cookie */
    api_call(&srv, NULL, "GET", "/api/v1/session", NULL, &r);
    expect_error(&r, 401, "SESSION_REQUIRED", NULL);
    struct client forged = {0};
    snprintf(forged.token, sizeof(forged.token), "%s",
             "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    api_call(&srv, &forged, "GET", "/api/v1/session", NULL, &r);
    expect_error(&r, 401, "SESSION_INVALID", NULL);

    /* logout needs the CSRF token: none, a wrong one, another session's */
    struct request rq = {.method = "DELETE", .path = "/api/v1/session",
                         .sess = &s, .no_csrf = 1};
    http_do(&srv, &rq, &r);
    expect_error(&r, 403, "CSRF_TOKEN_INVALID", "X-CSRF-Token");
    rq.no_csrf = 0;
    rq.csrf = "not-the-token";
    http_do(&srv, &rq, &r);
    expect_error(&r, 403, "CSRF_TOKEN_INVALID", "X-CSRF-Token");
    login_ok(&srv, "city", TEST_PASSWORD, &other);
    assert_string_not_equal(other.csrf, s.csrf);
    rq.csrf = other.csrf;
    http_do(&srv, &rq, &r);
    expect_error(&r, 403, "CSRF_TOKEN_INVALID", "X-CSRF-Token");
    /* the refused logouts ended nothing */
    api_call(&srv, &s, "GET", "/api/v1/session", NULL, &r);
    expect_status(&r, 200);

    api_call(&srv, &s, "DELETE", "/api/v1/session", NULL, &r);
    expect_status(&r, 204);
    assert_int_equal(r.body_len, 0);
    sc = resp_header(&r, "Set-Cookie");
    assert_non_null(sc);
    assert_non_null(strstr(sc, "Max-Age=0"));
    api_call(&srv, &s, "GET", "/api/v1/session", NULL, &r);
    expect_error(&r, 401, "SESSION_INVALID", NULL);
    api_call(&srv, &s, "DELETE", "/api/v1/session", NULL, &r);
    expect_error(&r, 401, "SESSION_INVALID", NULL);
    /* the other session of the same user lives on */
    api_call(&srv, &other, "GET", "/api/v1/session", NULL, &r);
    expect_status(&r, 200);
    api_call(&srv, &other, "DELETE", "/api/v1/session", NULL, &r);
    expect_status(&r, 204);
    response_free(&r);
}

/* ---- 2. lockout ---- */

/* The admin sets user id's lock (PATCH): 200, the user locked and
 * disabled, or neither. */
static void
lock_set(int64_t id, int locked, struct response *r)
{
    api_call(&srv, &sess[P_ADMIN], "PATCH",
             fmt("/api/v1/users/%lld", (long long)id),
             locked ? "{\"locked\":true}" : "{\"locked\":false}", r);
    expect_status(r, 200);
    assert_int_equal(json_is_true(resp_get(r, "locked")), locked);
    assert_int_equal(json_is_true(resp_get(r, "disabled")), locked);
}

TEST_CASE(test_lockout)
{
    struct response r = {0};
    struct client a, b;
    struct user u;
    const char *name = "lock.victim";
    int64_t id = create_user_ok(name, "town_clerk", NULL, "500103001");
    char *good = login_body(name, TEST_PASSWORD);
    char *wrong = login_body(name, "Wrong-Password-9");

    login_ok(&srv, name, TEST_PASSWORD, &a);
    for (int i = 1; i <= 4; i++) {
        api_call(&srv, NULL, "POST", "/api/v1/session", wrong, &r);
        expect_error(&r, 401, "INVALID_CREDENTIALS", "password");
    }
    user_by_name(name, &u);
    assert_int_equal(u.failed_logins, 4);
    assert_int_equal(u.locked_until, 0);
    /* the fifth failure locks this client address out of the account
     * (DOUDI_LOCKOUT_FAILURES defaults to 5; test_hardening_auth.c has
     * the other addresses) */
    api_call(&srv, NULL, "POST", "/api/v1/session", wrong, &r);
    expect_error(&r, 403, "ACCOUNT_LOCKED", "username");
    api_call(&srv, NULL, "POST", "/api/v1/session", good, &r);
    expect_error(&r, 403, "ACCOUNT_LOCKED", "username");
    assert_null(resp_header(&r, "Set-Cookie"));
    /* the account is not locked: a session opened before goes on */
    api_call(&srv, &a, "GET", "/api/v1/session", NULL, &r);
    expect_status(&r, 200);
    api_call(&srv, &sess[P_ADMIN], "GET", fmt("/api/v1/users/%lld",
                                              (long long)id), NULL, &r);
    expect_status(&r, 200);
    assert_false(json_is_true(resp_get(&r, "locked")));
    assert_int_equal(json_integer_value(resp_get(&r, "failed_logins")), 5);
    struct login_failure lf;
    {
        struct store_tx *tx = begin(STORE_READ);
        assert_int_equal(store_login_failure_get(tx, id, "127.0.0.1", &lf),
                         DD_OK);
        store_tx_rollback(tx);
    }
    int64_t now = time_now();
    assert_true(lf.locked_until > now + 800 && lf.locked_until <= now + 900);

    /* the lock lapses (moved into the past through the store) */
    {
        struct store_tx *tx = begin(STORE_WRITE);
        assert_int_equal(
            store_login_failure_lock(tx, id, "127.0.0.1", time_now() - 1),
            DD_OK);
        assert_int_equal(store_tx_commit(tx), DD_OK);
    }
    login_ok(&srv, name, TEST_PASSWORD, &b);
    user_by_name(name, &u);
    assert_int_equal(u.failed_logins, 0);
    api_call(&srv, &a, "GET", "/api/v1/session", NULL, &r);
    expect_status(&r, 200);

    /* the admin locks: sessions end, the right password is refused */
    lock_set(id, 1, &r);
    api_call(&srv, &a, "GET", "/api/v1/session", NULL, &r);
    expect_error(&r, 401, "SESSION_INVALID", NULL);
    api_call(&srv, &b, "GET", "/api/v1/session", NULL, &r);
    expect_error(&r, 401, "SESSION_INVALID", NULL);
    api_call(&srv, NULL, "POST", "/api/v1/session", good, &r);
    expect_error(&r, 403, "ACCOUNT_LOCKED", "username");
    /* an administrator's lock does not lapse with time */
    user_by_name(name, &u);
    assert_int_equal(u.disabled, 1);

    /* and unlocks */
    lock_set(id, 0, &r);
    login_ok(&srv, name, TEST_PASSWORD, &a);
    api_call(&srv, &a, "GET", "/api/v1/session", NULL, &r);
    expect_status(&r, 200);

    /* a lock by failures is lifted by the admin's unlock too */
    for (int i = 1; i <= 5; i++)
        api_call(&srv, NULL, "POST", "/api/v1/session", wrong, &r);
    expect_error(&r, 403, "ACCOUNT_LOCKED", "username");
    api_call(&srv, &sess[P_ADMIN], "PATCH",
             fmt("/api/v1/users/%lld", (long long)id), "{\"locked\":false}",
             &r);
    expect_status(&r, 200);
    login_ok(&srv, name, TEST_PASSWORD, &a);

    free(good);
    free(wrong);
    response_free(&r);
}

/* ---- 3. idle and absolute expiry ---- */

static void
set_last_seen(const char *cookie, int64_t t)
{
    char hash[TOKEN_HASH_LEN + 1];
    token_hash(cookie, hash);
    struct store_tx *tx = begin(STORE_WRITE);
    assert_int_equal(store_session_touch(tx, hash, t), DD_OK);
    assert_int_equal(store_tx_commit(tx), DD_OK);
}

/* A session row made directly in the store (there is no setter for
 * created_at), under a cookie made here. */
static void
insert_session(int64_t user_id, int64_t created, int64_t last_seen,
               struct client *out)
{
    struct session row = {0};
    char tok[TOKEN_LEN + 1], csrf[TOKEN_LEN + 1];
    assert_int_equal(token_new(tok), DD_OK);
    assert_int_equal(token_new(csrf), DD_OK);
    token_hash(tok, row.token_hash);
    snprintf(row.csrf_token, sizeof(row.csrf_token), "%s", csrf);
    row.user_id = user_id;
    row.created_at = created;
    row.last_seen_at = last_seen;
    struct store_tx *tx = begin(STORE_WRITE);
    assert_int_equal(store_session_insert(tx, &row), DD_OK);
    assert_int_equal(store_tx_commit(tx), DD_OK);
    memset(out, 0, sizeof(*out));
    snprintf(out->token, sizeof(out->token), "%s", tok);
    snprintf(out->csrf, sizeof(out->csrf), "%s", csrf);
}

TEST_CASE(test_expiry)
{
    struct response r = {0};
    struct client s;
    struct session row;
    int64_t id = create_user_ok("expiry.user", "town_clerk", NULL,
                                "500103001");
    login_ok(&srv, "expiry.user", TEST_PASSWORD, &s);

    /* idle 29 minutes: still good, and the request renews last_seen_at */
    set_last_seen(s.token, time_now() - 29 * 60);
    api_call(&srv, &s, "GET", "/api/v1/session", NULL, &r);
    expect_status(&r, 200);
    session_row(s.token, &row);
    assert_true(row.last_seen_at >= time_now() - 10);

    /* idle 31 minutes (DOUDI_SESSION_IDLE defaults to 1800 s): expired */
    set_last_seen(s.token, time_now() - 31 * 60);
    api_call(&srv, &s, "GET", "/api/v1/session", NULL, &r);
    expect_error(&r, 401, "SESSION_EXPIRED", NULL);
    /* and it stays expired: the refused request did not renew it */
    api_call(&srv, &s, "GET", "/api/v1/session", NULL, &r);
    expect_error(&r, 401, "SESSION_EXPIRED", NULL);
    /* writes too */
    api_call(&srv, &s, "DELETE", "/api/v1/session", NULL, &r);
    expect_error(&r, 401, "SESSION_EXPIRED", NULL);

    /* the absolute limit (DOUDI_SESSION_MAX, 43200 s): a session created
     * 11 h 59 min ago and used a minute ago is good, one created 12 h 1 min
     * ago is not, however recently used */
    int64_t now = time_now();
    struct client young, old;
    insert_session(id, now - 43200 + 60, now - 60, &young);
    insert_session(id, now - 43200 - 60, now - 60, &old);
    api_call(&srv, &young, "GET", "/api/v1/session", NULL, &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "user.username"), "expiry.user");
    /* expires_at is the absolute end: created_at + 12 h */
    int64_t exp = 0;
    assert_non_null(resp_str(&r, "expires_at"));
    assert_int_equal(time_parse_iso8601(resp_str(&r, "expires_at"), &exp),
                     0);
    assert_int_equal(exp, now + 60);
    api_call(&srv, &old, "GET", "/api/v1/session", NULL, &r);
    expect_error(&r, 401, "SESSION_EXPIRED", NULL);
    response_free(&r);
}

/* ---- 8. audit and metrics ---- */

TEST_CASE(test_audit)
{
    struct response r = {0};
    struct client s;
    struct client *aud = &sess[P_AUDITOR];
    const char *name = "audit.subject";
    int64_t id = create_user_ok(name, "town_reviewer", NULL, "500103001");
    const char *object = fmt("user:%lld", (long long)id);
    char obj_s[64];
    snprintf(obj_s, sizeof(obj_s), "%s", object);

    login_ok(&srv, name, TEST_PASSWORD, &s);
    assert_int_equal(login(&srv, name, "Wrong-Password-3", NULL), 401);
    assert_int_equal(login(&srv, "ghost.user", "Wrong-Password-3", NULL),
                     401);

    /* by actor */
    json_t *rows = audit_rows(aud, fmt("actor=%s", name));
    assert_true(json_array_size(rows) >= 2);
    assert_int_equal(count_rows(rows, name, "session.create", obj_s), 1);
    assert_int_equal(count_rows(rows, name, "session.create.failed", obj_s),
                     1);
    assert_int_equal(count_rows(rows, name, NULL, NULL),
                     json_array_size(rows));
    size_t i;
    json_t *it;
    json_array_foreach(rows, i, it)
    {
        json_t *detail = json_object_get(it, "detail");
        const char *result = json_string_value(
            json_object_get(detail, "result"));
        assert_non_null(result);
        if (strcmp(jstr(it, "action"), "session.create") == 0)
            assert_string_equal(result, "ok");
        else
            assert_string_equal(result, "wrong password");
        /* never a password */
        char *dump = json_dumps(it, 0);
        assert_null(strstr(dump, "Wrong-Password-3"));
        assert_null(strstr(dump, TEST_PASSWORD));
        free(dump);
        assert_non_null(jstr(it, "request_id"));
        assert_non_null(jstr(it, "at"));
    }
    json_decref(rows);

    /* an unknown user's attempt is recorded under the name tried */
    rows = audit_rows(aud, "actor=ghost.user");
    assert_int_equal(json_array_size(rows), 1);
    assert_int_equal(count_rows(rows, "ghost.user", "session.create.failed",
                                "user:unknown"),
                     1);
    json_decref(rows);

    /* by object: its creation by the admin, and the two sign-ins */
    rows = audit_rows(aud, fmt("object=%s", obj_s));
    assert_int_equal(count_rows(rows, NULL, NULL, obj_s),
                     json_array_size(rows));
    assert_int_equal(count_rows(rows, "admin", "user.create", obj_s), 1);
    assert_int_equal(count_rows(rows, name, "session.create", obj_s), 1);
    assert_int_equal(count_rows(rows, name, "session.create.failed", obj_s),
                     1);
    assert_int_equal(json_array_size(rows), 3);
    json_decref(rows);

    /* both filters; and one that matches nothing */
    rows = audit_rows(aud, fmt("actor=admin&object=%s", obj_s));
    assert_int_equal(json_array_size(rows), 1);
    json_decref(rows);
    rows = audit_rows(aud, "actor=nobody.ever");
    assert_int_equal(json_array_size(rows), 0);
    json_decref(rows);
    rows = audit_rows(aud, "actor=x%27%20OR%20%271%27%3D%271");
    assert_int_equal(json_array_size(rows), 0);
    json_decref(rows);

    /* reading is itself audited */
    rows = audit_rows(aud, "actor=auditor");
    assert_true(count_rows(rows, "auditor", "audit.read", "audit") >= 5);
    json_decref(rows);

    /* time filters: everything is from today, nothing from 2001 */
    char today[32];
    time_iso8601(time_now(), today, sizeof(today));
    today[10] = '\0';
    rows = audit_rows(aud, fmt("actor=%s&from=%s&to=%s", name, today,
                               today));
    assert_int_equal(json_array_size(rows), 2);
    json_decref(rows);
    rows = audit_rows(aud, fmt("actor=%s&to=2001-01-01", name));
    assert_int_equal(json_array_size(rows), 0);
    json_decref(rows);

    /* the district auditor sees only rows of its district */
    rows = audit_rows(&sess[P_AUDITOR103], "");
    json_array_foreach(rows, i, it)
    {
        const char *region = jstr(it, "region");
        assert_non_null(region);
        assert_true(strncmp(region, "500103", 6) == 0);
    }
    json_decref(rows);

    /* paging: limit 2 gives two rows and a cursor to the third */
    api_call(&srv, aud, "GET", "/api/v1/audit?limit=2", NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "items")), 2);
    assert_int_equal(json_integer_value(resp_get(&r, "next_cursor")), 2);
    assert_int_equal(json_integer_value(json_object_get(
                         json_array_get(resp_get(&r, "items"), 0), "seq")),
                     1);

    /* the whole log chains: seq 1, 2, 3...; each prev_hash is the hash
     * of the row before; the first follows 64 zeros */
    rows = audit_rows(aud, "");
    assert_true(json_array_size(rows) > 50);
    const char *prev = "0000000000000000000000000000000000000000000000000000"
                       "000000000000";
    json_array_foreach(rows, i, it)
    {
        assert_int_equal(json_integer_value(json_object_get(it, "seq")),
                         (json_int_t)i + 1);
        const char *ph = jstr(it, "prev_hash"), *h = jstr(it, "hash");
        assert_non_null(ph);
        assert_non_null(h);
        assert_int_equal(strlen(h), 64);
        if (strcmp(ph, prev) != 0)
            fail_msg("audit row %zu: prev_hash %s, the row before has %s",
                     i + 1, ph, prev);
        assert_string_not_equal(h, ph);
        prev = h;
    }
    size_t nrows = json_array_size(rows);
    json_decref(rows);
    /* and the hashes are right (checked through the store) */
    struct audit_verdict v = {0};
    assert_int_equal(audit_verify(st, &v), DD_OK);
    if (v.bad_seq)
        fail_msg("audit chain broken at %lld: %s", (long long)v.bad_seq,
                 v.reason ? v.reason : "?");
    assert_true(v.rows >= (int64_t)nrows);

    /* metrics */
    api_call(&srv, NULL, "GET", "/metrics", NULL, &r);
    expect_status(&r, 200);
    assert_non_null(strstr(r.body, "# TYPE doudi_http_requests_total "
                                   "counter"));
    assert_non_null(strstr(r.body, "doudi_http_requests_total{route=\""));
    assert_non_null(strstr(r.body, "doudi_http_requests_total{route=\"POST "
                                   "/api/v1/session\",status=\"201\"}"));
    assert_non_null(strstr(r.body, "doudi_http_requests_total{route=\"GET "
                                   "/api/v1/audit\",status=\"200\"}"));
    assert_non_null(strstr(r.body, "doudi_db_pool_connections{state=\"size\""
                                   "}"));
    assert_non_null(strstr(r.body, "doudi_db_pool_connections{state=\""
                                   "in_use\"}"));
    /* no query strings or personal data in the labels */
    assert_null(strstr(r.body, "actor="));
    assert_null(strstr(r.body, "500103001003\""));
    response_free(&r);
}

/* 8b. A district auditor sees only its districts' rows. No route writes
 * region-tagged audit rows yet (households and cases will), so two are
 * appended through the library, chain and all. */
TEST_CASE(test_audit_scope)
{
    struct client multi;
    struct store_tx *tx = begin(STORE_WRITE);
    assert_int_equal(audit_log(tx, "test", "test.event", "household:inside",
                               "500103001", "test-1", NULL),
                     DD_OK);
    assert_int_equal(audit_log(tx, "test", "test.event", "household:outside",
                               "500110004", "test-2", NULL),
                     DD_OK);
    assert_int_equal(store_tx_commit(tx), DD_OK);

    json_t *rows = audit_rows(&sess[P_AUDITOR], "actor=test");
    assert_int_equal(count_rows(rows, "test", "test.event", NULL), 2);
    json_decref(rows);
    rows = audit_rows(&sess[P_AUDITOR103], "");
    assert_int_equal(count_rows(rows, "test", "test.event",
                                "household:inside"), 1);
    assert_int_equal(count_rows(rows, NULL, NULL, "household:outside"), 0);
    json_decref(rows);
    rows = audit_rows(&sess[P_AUDITOR103], "region=500103001");
    assert_int_equal(count_rows(rows, NULL, NULL, "household:inside"), 1);
    json_decref(rows);

    /* an auditor's scope is one region; one with two (made in the store,
     * past the validation) reads nothing unfiltered */
    struct response r = {0};
    create_user("auditor.two", "auditor", NULL, "500103,500101",
                TEST_PASSWORD, &r);
    expect_error(&r, 400, "SCOPE_SINGLE_ENTRY", "scope");
    struct user u;
    user_by_name("auditor.500103", &u);
    u.id = 0;
    snprintf(u.username, sizeof(u.username), "auditor.two");
    snprintf(u.scope, sizeof(u.scope), "500103,500101");
    tx = begin(STORE_WRITE);
    assert_int_equal(store_user_insert(tx, &u), DD_OK);
    assert_int_equal(store_tx_commit(tx), DD_OK);
    login_ok(&srv, "auditor.two", TEST_PASSWORD, &multi);
    api_call(&srv, &multi, "GET", "/api/v1/audit", NULL, &r);
    expect_error(&r, 403, "SCOPE_UNSUPPORTED", "scope");
    api_call(&srv, &multi, "GET", "/api/v1/audit?region=500110", NULL, &r);
    expect_error(&r, 404, "NOT_FOUND", NULL);
    api_call(&srv, &multi, "GET", "/api/v1/audit?region=500101", NULL, &r);
    expect_status(&r, 200);
    size_t i;
    json_t *it;
    json_array_foreach(resp_get(&r, "items"), i, it)
    {
        assert_non_null(jstr(it, "region"));
        assert_true(strncmp(jstr(it, "region"), "500101", 6) == 0);
    }
    response_free(&r);
}


/* ---- 9. the users API and partner tokens ---- */

static int
user_listed(const char *username)
{
    struct response r = {0};
    long long cursor = 0;
    int found = 0;
    for (int pages = 0; pages < 100; pages++) {
        api_call(&srv, &sess[P_ADMIN], "GET",
                 cursor ? fmt("/api/v1/users?limit=200&cursor=%lld", cursor)
                        : "/api/v1/users?limit=200",
                 NULL, &r);
        expect_status(&r, 200);
        size_t i;
        json_t *it;
        json_array_foreach(resp_get(&r, "items"), i, it)
        {
            assert_null(json_object_get(it, "pw_hash"));
            assert_null(json_object_get(it, "password"));
            if (strcmp(jstr(it, "username"), username) == 0)
                found++;
        }
        json_t *next = resp_get(&r, "next_cursor");
        if (!next || json_is_null(next))
            break;
        cursor = (long long)json_integer_value(next);
    }
    response_free(&r);
    return found;
}

TEST_CASE(test_users)
{
    struct response r = {0};
    struct client *admin = &sess[P_ADMIN];
    struct user u;

    /* a good one, shown without its password hash */
    int64_t id = create_user_ok("users.ok", "dept_officer", "medical",
                                "500103");
    api_call(&srv, admin, "GET", fmt("/api/v1/users/%lld", (long long)id),
             NULL, &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "department"), "medical");
    assert_false(has_key(&r, "pw_hash"));
    assert_false(has_key(&r, "password"));
    assert_null(strstr(r.body, "argon2"));
    assert_int_equal(user_listed("users.ok"), 1);

    /* refusals leave no user and no audit row */
    int64_t seq0 = audit_tail_seq();
    /* clang-format off */
    const struct {
        const char *username, *role, *dept, *scope, *password;
        long status;
        const char *code, *field;
    } bad[] = {
        {"users.weak1", "town_clerk", NULL, "500103001", "Sh0rt!pw", 400, "PASSWORD_TOO_SHORT", "password"},
        {"users.weak2", "town_clerk", NULL, "500103001", "alllowercaseletters", 400, "PASSWORD_TOO_WEAK", "password"},
        {"users.weak3", "town_clerk", NULL, "500103001", "My-users.weak3-pw", 400, "PASSWORD_CONTAINS_USERNAME", "password"},
        {"users.ok", "town_clerk", NULL, "500103001", TEST_PASSWORD, 409, "USERNAME_TAKEN", "username"},
        {"users.scope1", "town_clerk", NULL, "500103", TEST_PASSWORD, 400, "SCOPE_NOT_FOR_ROLE", "scope"},
        {"users.scope2", "village_assistant", NULL, "500103001", TEST_PASSWORD, 400, "SCOPE_NOT_FOR_ROLE", "scope"},
        {"users.scope3", "town_clerk", NULL, "500103999", TEST_PASSWORD, 400, "SCOPE_UNKNOWN_REGION", "scope"},
        {"users.scope4", "county_officer", NULL, "500199", TEST_PASSWORD, 400, "SCOPE_UNKNOWN_REGION", "scope"},
        {"users.scope5", "county_officer", NULL, "zone:atlantis", TEST_PASSWORD, 400, "SCOPE_UNKNOWN_ZONE", "scope"},
        {"users.scope6", "town_clerk", NULL, ",500103001", TEST_PASSWORD, 400, "SCOPE_INVALID", "scope"},
        {"users.dept1", "dept_officer", NULL, "500103", TEST_PASSWORD, 400, "DEPARTMENT_INVALID", "department"},
        {"users.dept2", "dept_officer", "police", "500103", TEST_PASSWORD, 400, "DEPARTMENT_INVALID", "department"},
        {"users.dept3", "town_clerk", "medical", "500103001", TEST_PASSWORD, 400, "DEPARTMENT_NOT_ALLOWED", "department"},
        {"users.role1", "superuser", NULL, "50", TEST_PASSWORD, 400, "ROLE_INVALID", "role"},
        {"users.role2", "partner", NULL, "500103", TEST_PASSWORD, 400, "ROLE_INVALID", "role"},
        {"Users Bad", "town_clerk", NULL, "500103001", TEST_PASSWORD, 400, "USERNAME_INVALID", "username"},
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        create_user(bad[i].username, bad[i].role, bad[i].dept, bad[i].scope,
                    bad[i].password, &r);
        expect_error(&r, bad[i].status, bad[i].code, bad[i].field);
        if (strcmp(bad[i].username, "users.ok") != 0) {
            struct store_tx *tx = begin(STORE_READ);
            enum dd_status rc =
                store_user_get_by_name(tx, bad[i].username, &u);
            store_tx_rollback(tx);
            assert_int_equal(rc, DD_ENOTFOUND);
            assert_int_equal(user_listed(bad[i].username), 0);
        }
    }
    assert_int_equal(user_listed("users.ok"), 1);
    assert_int_equal(audit_tail_seq(), seq0);
    /* a good create adds exactly its own row */
    int64_t id2 = create_user_ok("users.ok2", "county_officer", NULL,
                                 "zone:wansheng");
    assert_int_equal(audit_tail_seq(), seq0 + 1);
    json_t *rows = audit_rows(&sess[P_AUDITOR],
                              fmt("object=user:%lld", (long long)id2));
    assert_int_equal(json_array_size(rows), 1);
    assert_int_equal(count_rows(rows, "admin", "user.create", NULL), 1);
    json_decref(rows);

    /* changes */
    const char *path = fmt("/api/v1/users/%lld", (long long)id);
    char upath[64];
    snprintf(upath, sizeof(upath), "%s", path);
    api_call(&srv, admin, "PATCH", upath, "{\"username\":\"renamed\"}", &r);
    expect_error(&r, 400, "FIELD_READ_ONLY", "username");
    api_call(&srv, admin, "PATCH", upath, "{\"scope\":\"500103001\"}", &r);
    expect_error(&r, 400, "SCOPE_NOT_FOR_ROLE", "scope");
    api_call(&srv, admin, "PATCH", upath, "{\"password\":\"short\"}", &r);
    expect_error(&r, 400, "PASSWORD_TOO_SHORT", "password");
    user_by_name("users.ok", &u);
    assert_string_equal(u.scope, "500103");
    api_call(&srv, admin, "PATCH", "/api/v1/users/999999",
             "{\"display_name\":\"x\"}", &r);
    expect_error(&r, 404, "NOT_FOUND", NULL);
    api_call(&srv, admin, "PATCH", fmt("/api/v1/users/%lld",
                                       (long long)admin->user_id),
             "{\"role\":\"auditor\"}", &r);
    expect_error(&r, 409, "SELF_CHANGE_REFUSED", "role");
    api_call(&srv, admin, "PATCH", fmt("/api/v1/users/%lld",
                                       (long long)admin->user_id),
             "{\"locked\":true}", &r);
    expect_error(&r, 409, "SELF_CHANGE_REFUSED", "locked");
    /* a new password ends the user's sessions; the new one works */
    struct client us;
    login_ok(&srv, "users.ok", TEST_PASSWORD, &us);
    api_call(&srv, admin, "PATCH", upath,
             "{\"password\":\"Another-Passw0rd\",\"display_name\":\"新名\"}",
             &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "display_name"), "新名");
    api_call(&srv, &us, "GET", "/api/v1/session", NULL, &r);
    expect_error(&r, 401, "SESSION_INVALID", NULL);
    assert_int_equal(login(&srv, "users.ok", TEST_PASSWORD, NULL), 401);
    login_ok(&srv, "users.ok", "Another-Passw0rd", &us);
    /* a role change that suits the scope */
    api_call(&srv, admin, "PATCH", upath,
             "{\"role\":\"county_officer\",\"department\":\"\"}", &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "role"), "county_officer");
    api_call(&srv, &us, "GET", "/api/v1/session", NULL, &r);
    expect_error(&r, 401, "SESSION_INVALID", NULL);

    /* partner tokens */
    api_call(&srv, admin, "POST", "/api/v1/api-tokens",
             "{\"name\":\"partner.one\",\"department\":\"medical\","
             "\"scope\":\"500103\"}",
             &r);
    expect_status(&r, 201);
    assert_string_equal(resp_str(&r, "role"), "partner");
    assert_string_equal(resp_str(&r, "name"), "partner.one");
    const char *tok = resp_str(&r, "token");
    assert_non_null(tok);
    assert_int_equal(strlen(tok), TOKEN_LEN);
    struct client p = {0};
    snprintf(p.bearer, sizeof(p.bearer), "%s", tok);
    snprintf(p.user, sizeof(p.user), "token:partner.one");
    api_call(&srv, &p, "GET", "/api/v1/regions/500103", NULL, &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "name"), "渝中区");
    api_call(&srv, &p, "GET", "/api/v1/users", NULL, &r);
    expect_error(&r, 403, "FORBIDDEN", NULL);
    api_call(&srv, &p, "POST", "/api/v1/users", "{}", &r);
    expect_error(&r, 403, "FORBIDDEN", NULL);
    api_call(&srv, &p, "GET", "/api/v1/audit", NULL, &r);
    expect_error(&r, 403, "FORBIDDEN", NULL);
    struct client wrong = p;
    wrong.bearer[0] = wrong.bearer[0] == 'A' ? 'B' : 'A';
    api_call(&srv, &wrong, "GET", "/api/v1/regions/500103", NULL, &r);
    expect_error(&r, 401, "TOKEN_INVALID", NULL);
    snprintf(wrong.bearer, sizeof(wrong.bearer), "x");
    api_call(&srv, &wrong, "GET", "/api/v1/regions/500103", NULL, &r);
    expect_error(&r, 401, "TOKEN_INVALID", NULL);
    /* the token is stored hashed only */
    {
        struct api_token t;
        char hash[TOKEN_HASH_LEN + 1];
        token_hash(p.bearer, hash);
        struct store_tx *tx = begin(STORE_READ);
        assert_int_equal(store_api_token_get(tx, hash, &t), DD_OK);
        store_tx_rollback(tx);
        assert_string_equal(t.name, "partner.one");
        assert_string_equal(t.scope, "500103");
        assert_string_not_equal(t.token_hash, p.bearer);
    }
    /* clang-format off */
    const struct call_want refused[] = {
        {admin, "POST", "/api/v1/api-tokens", "{\"name\":\"partner.one\",\"scope\":\"500103\"}", 409, "TOKEN_NAME_TAKEN", "name"},
        {admin, "POST", "/api/v1/api-tokens", "{\"name\":\"Partner One\",\"scope\":\"500103\"}", 400, "TOKEN_NAME_INVALID", "name"},
        {admin, "POST", "/api/v1/api-tokens", "{\"name\":\"partner.two\",\"scope\":\"500103001\"}", 400, "SCOPE_NOT_FOR_ROLE", "scope"},
        {admin, "POST", "/api/v1/api-tokens", "{\"name\":\"partner.three\"}", 400, "MISSING_FIELD", "scope"},
    };
    /* clang-format on */
    calls_expect(&srv, refused);
    /* every scope entry is checked: an empty entry once let "1" or "5"
     * through unchecked, widening a county token to every "5..." code */
    static const struct {
        const char *scope, *code;
    } bad_scopes[] = {
        {",1", "SCOPE_INVALID"},
        {"500103,,5", "SCOPE_INVALID"},
        {"500103,", "SCOPE_INVALID"},
        {"500103,500101", "SCOPE_SINGLE_ENTRY"},
        {"11", "SCOPE_UNKNOWN_REGION"},
        {"500199", "SCOPE_UNKNOWN_REGION"},
        {"zone:wansheng", "SCOPE_NOT_FOR_ROLE"},
    };
    for (size_t i = 0; i < sizeof(bad_scopes) / sizeof(bad_scopes[0]); i++) {
        char body[128];
        snprintf(body, sizeof(body),
                 "{\"name\":\"partner.bad%zu\",\"scope\":\"%s\"}", i,
                 bad_scopes[i].scope);
        api_call(&srv, admin, "POST", "/api/v1/api-tokens", body, &r);
        expect_error(&r, 400, bad_scopes[i].code, "scope");
    }
    response_free(&r);
}

/* ---- citizens signing in by phone ---- */

/* POST /api/v1/citizen/session with phone and code. */
static void
signin(const struct server *sv, const char *phone, const char *code,
       struct response *r)
{
    api_call(sv, NULL, "POST", "/api/v1/citizen/session",
             fmt("{\"phone\":\"%s\",\"code\":\"%s\"}", phone, code), r);
}

/* A code that is not the right one. */
static const char *
other_code(const char *code)
{
    static char w[8];
    snprintf(w, sizeof(w), "%s", code);
    w[0] = w[0] == '9' ? '0' : (char)(w[0] + 1);
    return w;
}


TEST_CASE(test_citizen)
{
    struct response r = {0};
    struct client cit;
    char code[8], code2[8];
    const char *p1 = "13812340001";

    /* only mainland mobile numbers */
    const char *bad[] = {"12812340001", "1381234000", "1381234000a",
                         "23812340001", "+8613812340"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        api_call(&srv, NULL, "POST", "/api/v1/citizen/otp",
                 fmt("{\"phone\":\"%s\"}", bad[i]), &r);
        expect_error(&r, 400, "INVALID_PHONE", "phone");
    }
    api_call(&srv, NULL, "POST", "/api/v1/citizen/otp",
             "{\"phone\":\"138123400012\"}", &r);
    expect_error(&r, 400, "TOO_LONG", "phone");
    api_call(&srv, NULL, "POST", "/api/v1/citizen/otp", "{}", &r);
    expect_error(&r, 400, "MISSING_FIELD", "phone");

    /* a code, a wrong try, then the right one */
    otp_for(&srv, p1, code);
    signin(&srv, p1, other_code(code), &r);
    expect_error(&r, 401, "OTP_INVALID", "code");
    signin(&srv, "13812340002", code, &r); /* another phone has none */
    expect_error(&r, 401, "OTP_INVALID", "code");
    signin(&srv, p1, code, &r);
    expect_status(&r, 201);
    assert_string_equal(resp_str(&r, "citizen.role"), "citizen");
    assert_string_equal(resp_str(&r, "citizen.phone_masked"), "138****0001");
    session_from_login(&r, "citizen", &cit);
    assert_true(strncmp(cit.token, "c.", 2) == 0);
    assert_true(cit.csrf[0] != '\0');
    assert_non_null(strstr(resp_header(&r, "Set-Cookie"), "HttpOnly"));
    /* a code is used once */
    signin(&srv, p1, code, &r);
    expect_error(&r, 401, "OTP_INVALID", "code");

    /* who am I */
    api_call(&srv, &cit, "GET", "/api/v1/citizen/session", NULL, &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "citizen.phone_masked"), "138****0001");
    assert_string_equal(resp_str(&r, "csrf_token"), cit.csrf);

    /* no staff grant at all: households, regions, the calendar, the staff
     * session, the audit log */
    const char *staff_gets[] = {
        "/api/v1/households", fmt("/api/v1/households/%lld", (long long)hh_id),
        "/api/v1/regions", "/api/v1/calendar?from=2024-01-01&to=2024-01-02",
        "/api/v1/session", "/api/v1/audit", "/api/v1/policy", "/api/v1/users"};
    for (size_t i = 0; i < sizeof(staff_gets) / sizeof(staff_gets[0]); i++) {
        api_call(&srv, &cit, "GET", staff_gets[i], NULL, &r);
        expect_error(&r, 403, "FORBIDDEN", NULL);
    }
    /* every staff route of the matrix is refused to a citizen: public
     * routes aside, the citizen's only grant is citizen.self */
    for (size_t j = 0; j < NROWS; j++) {
        const struct mrow *m = &matrix[j];
        const struct route *rt = route_of(m->method, row_path(m));
        assert_non_null(rt);
        if ((rt->flags & ROUTE_PUBLIC) || rt->action == AUTHZ_CITIZEN_SELF)
            continue;
        api_call(&srv, &cit, m->method, row_path(m), NULL, &r);
        if (error_mismatch(&r, 403, "FORBIDDEN", NULL))
            fail_msg("a citizen got %ld on %s %s: %.300s", r.status,
                     m->method, row_path(m), r.body ? r.body : "");
    }
    /* writes need the session's CSRF token */
    struct request rq = {.method = "DELETE",
                         .path = "/api/v1/citizen/session", .sess = &cit,
                         .no_csrf = 1};
    http_do(&srv, &rq, &r);
    expect_error(&r, 403, "CSRF_TOKEN_INVALID", "X-CSRF-Token");
    api_call(&srv, &cit, "DELETE", "/api/v1/citizen/session", NULL, &r);
    expect_status(&r, 204);
    api_call(&srv, &cit, "GET", "/api/v1/citizen/session", NULL, &r);
    expect_error(&r, 401, "SESSION_INVALID", NULL);
    /* a session past its lifetime (written by the test, as the store
     * would hold it 30 minutes on) */
    {
        struct citizen_session_row row;
        struct store_tx *tx = NULL;
        memset(&row, 0, sizeof(row));
        token_hash("c.expired-citizen-session-for-the-test", row.token_hash);
        snprintf(row.phone_hash, sizeof(row.phone_hash), "%064d", 0);
        snprintf(row.phone_enc, sizeof(row.phone_enc), "v1:x");
        snprintf(row.phone_masked, sizeof(row.phone_masked), "138****0009");
        snprintf(row.csrf_token, sizeof(row.csrf_token), "csrf");
        row.created_at = time_now() - 1801;
        row.expires_at = time_now() - 1;
        assert_int_equal(store_tx_begin(st, STORE_WRITE, &tx), DD_OK);
        assert_int_equal(store_citizen_session_insert(tx, &row), DD_OK);
        assert_int_equal(store_tx_commit(tx), DD_OK);
        snprintf(cit.token, sizeof(cit.token),
                 "c.expired-citizen-session-for-the-test");
        api_call(&srv, &cit, "GET", "/api/v1/citizen/session", NULL, &r);
        expect_error(&r, 401, "SESSION_INVALID", NULL);
    }
    /* a made-up citizen cookie */
    snprintf(cit.token, sizeof(cit.token), "c.not-a-token");
    api_call(&srv, &cit, "GET", "/api/v1/citizen/session", NULL, &r);
    expect_error(&r, 401, "SESSION_INVALID", NULL);

    /* five tries per code (otp-attempts): four wrong ones are told how
     * many are left, the fifth uses the code up, even for the right one */
    const char *p2 = "15912340002";
    otp_for(&srv, p2, code);
    for (int i = 1; i <= 4; i++) {
        signin(&srv, p2, other_code(code), &r);
        expect_error(&r, 401, "OTP_INVALID", "code");
        assert_non_null(strstr(resp_str(&r, "error.message"),
                               fmt("%d more", 5 - i)));
    }
    signin(&srv, p2, other_code(code), &r);
    expect_error(&r, 429, "OTP_ATTEMPTS_EXCEEDED", "code");
    signin(&srv, p2, code, &r);
    expect_error(&r, 429, "OTP_ATTEMPTS_EXCEEDED", "code");
    /* a new code starts afresh */
    otp_for(&srv, p2, code2);
    signin(&srv, p2, code2, &r);
    expect_status(&r, 201);

    /* an expired code (the test moves its expiry into the past) */
    const char *p3 = "17712340003";
    otp_for(&srv, p3, code);
    {
        struct pii_keys *k = NULL;
        struct citizen_otp_row row;
        char index[PII_BLIND_INDEX_LEN + 1];
        struct store_tx *tx = NULL;
        assert_int_equal(pii_keys_load(srv.key_path, &k), DD_OK);
        citizen_phone_index(k, p3, index);
        pii_keys_free(k);
        assert_int_equal(store_tx_begin(st, STORE_WRITE, &tx), DD_OK);
        assert_int_equal(store_citizen_otp_attempt(tx, index, &row), DD_OK);
        /* sealed, not in the clear */
        assert_null(strstr(row.phone_enc, p3));
        assert_int_equal(row.attempts, 1);
        row.expires_at = time_now() - 1;
        assert_int_equal(store_citizen_otp_put(tx, &row), DD_OK);
        assert_int_equal(store_tx_commit(tx), DD_OK);
    }
    signin(&srv, p3, code, &r);
    expect_error(&r, 401, "OTP_EXPIRED", "code");

    /* five codes an hour per phone (otp-phone-rate); p2 had two */
    const char *p4 = "18612340004";
    for (int i = 0; i < 5; i++)
        otp_for(&srv, p4, code);
    api_call(&srv, NULL, "POST", "/api/v1/citizen/otp",
             fmt("{\"phone\":\"%s\"}", p4), &r);
    expect_error(&r, 429, "TOO_MANY_REQUESTS", "phone");

    /* phones never reach the log in full, nor the audit log at all */
    assert_false(file_has(srv.log_path, p1));
    assert_false(file_has(srv.log_path, p2));
    assert_true(file_has(srv.log_path, "138****0001"));
    {
        struct pii_keys *k = NULL;
        char index[PII_BLIND_INDEX_LEN + 1];
        assert_int_equal(pii_keys_load(srv.key_path, &k), DD_OK);
        citizen_phone_index(k, p1, index);
        pii_keys_free(k);
        api_call(&srv, &sess[P_AUDITOR], "GET",
                 fmt("/api/v1/audit?actor=citizen:%.16s", index), NULL, &r);
        expect_status(&r, 200);
        /* the code, the wrong try, the sign-in, the reused code, sign-out */
        assert_int_equal(json_array_size(resp_get(&r, "items")), 5);
        assert_non_null(strstr(r.body, "\"citizen.otp\""));
        assert_non_null(strstr(r.body, "\"citizen.session.create\""));
        assert_non_null(strstr(r.body, "\"citizen.session.failed\""));
        assert_non_null(strstr(r.body, "\"citizen.session.delete\""));
        assert_null(strstr(r.body, p1));
        assert_null(strstr(r.body, "138****"));
    }

    /* a server of its own: two codes an hour per address */
    {
        struct server small;
        const char *env[] = {"DOUDI_OTP_ADDRESS_RATE=2", NULL};
        small_start(&small, "otp", env);
        otp_for(&small, "13812340005", code);
        otp_for(&small, "13812340006", code);
        api_call(&small, NULL, "POST", "/api/v1/citizen/otp",
                 "{\"phone\":\"13812340007\"}", &r);
        expect_error(&r, 429, "TOO_MANY_REQUESTS", NULL);
        assert_int_equal(server_stop(&small), 0);
    }
    /* and one with no sender: 503, as outside `doudi demo` */
    {
        struct server small;
        const char *env[] = {"DOUDI_OTP_SENDER=none", NULL};
        small_start(&small, "nosender", env);
        api_call(&small, NULL, "POST", "/api/v1/citizen/otp",
                 "{\"phone\":\"13812340008\"}", &r);
        expect_error(&r, 503, "OTP_SENDER_UNAVAILABLE", NULL);
        assert_int_equal(server_stop(&small), 0);
    }
    response_free(&r);
}

API_SUITE("accounts", principals_setup, &srv, &st,
          cmocka_unit_test(test_session), cmocka_unit_test(test_lockout),
          cmocka_unit_test(test_expiry), cmocka_unit_test(test_audit),
          cmocka_unit_test(test_audit_scope), cmocka_unit_test(test_users),
          cmocka_unit_test(test_citizen))
