/* SPDX-License-Identifier: MIT */
/* Issue 12's findings on sign-in and bulk reads, on the real server: every
 * export audited with the SM3 of the bytes served and 404 out of scope;
 * rate-limited sign-ins audited; the common-password list; the cookie's
 * Secure attribute; duplicated query parameters; wrong passwords locking
 * the client address rather than the account, and failures from many
 * addresses alerting. Client addresses are other loopback ones (the
 * harness's request source). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "principals.h"

#include "crypto/sm3.h"

/* The audit rows of an action, newest last, read by the city auditor. */
static void
audit_of(const char *action, struct response *r)
{
    api_call(&srv, &sess[P_AUDITOR], "GET",
             fmt("/api/v1/audit?action=%s&limit=500", action), NULL, r);
    expect_status(r, 200);
}

static size_t
count_of(const char *action)
{
    struct response r = {0};
    audit_of(action, &r);
    size_t n = json_array_size(resp_get(&r, "items"));
    response_free(&r);
    return n;
}

/* The newest row of the audit reply r. */
static json_t *
newest(const struct response *r)
{
    size_t n = json_array_size(resp_get(r, "items"));
    assert_true(n > 0);
    return json_array_get(resp_get(r, "items"), n - 1);
}

/* The SM3 of r's body in hex, into a fmt buffer. */
static const char *
body_sm3(const struct response *r)
{
    char hex[SM3_HEX_LEN + 1];
    sm3_hex(r->body, r->body_len, hex);
    return fmt("%s", hex);
}

/* One export as sess must answer 200 and leave exactly one audit row of
 * action by user for region, format, with the hash of the body. */
static void
export_audited(const struct client *c, const char *path, const char *action,
               const char *region, const char *format)
{
    struct response r = {0}, a = {0};
    size_t before = count_of(action);
    api_call(&srv, c, "GET", path, NULL, &r);
    expect_status(&r, 200);
    assert_true(r.body_len > 0);
    assert_int_equal(count_of(action), before + 1);
    audit_of(action, &a);
    json_t *row = newest(&a);
    json_t *d = json_object_get(row, "detail");
    assert_string_equal(jstr(row, "actor"), c->user);
    assert_string_equal(jstr(row, "object"), "export");
    assert_string_equal(jstr(row, "region"), region);
    assert_string_equal(jstr(d, "format"), format);
    assert_string_equal(jstr(d, "sm3"), body_sm3(&r));
    assert_int_equal(jint(d, "bytes"), (long long)r.body_len);
    assert_non_null(json_object_get(d, "rows"));
    assert_true(json_array_size(json_object_get(d, "scope")) > 0);
    response_free(&r);
    response_free(&a);
}

TEST_CASE(test_exports_audited)
{
    struct response r = {0};
    /* households, CSV and xlsx: the row counts the household and its
     * member rows */
    export_audited(&sess[P_CLERK103],
                   "/api/v1/exports/households?region=500103001003",
                   "export.households", "500103001003", "csv");
    export_audited(&sess[P_COUNTY103],
                   "/api/v1/exports/households?region=500103&format=xlsx",
                   "export.households", "500103", "xlsx");
    audit_of("export.households", &r);
    json_t *d = json_object_get(newest(&r), "detail");
    assert_true(jint(d, "households") >= 1);
    assert_true(jint(d, "rows") >= jint(d, "households"));
    assert_string_equal(jstr(d, "region"), "500103");
    response_free(&r);
    /* KPI files too; the JSON report is an aggregate and writes none */
    export_audited(&sess[P_CITY], "/api/v1/kpis?region=500103&format=csv",
                   "export.kpis", "500103", "csv");
    export_audited(&sess[P_COUNTY103], "/api/v1/kpis?region=500103&format=xlsx",
                   "export.kpis", "500103", "xlsx");
    size_t kpis = count_of("export.kpis");
    call_expect(&srv, &sess[P_CITY], "GET", "/api/v1/kpis?region=500103", NULL,
                200, NULL, NULL);
    assert_int_equal(count_of("export.kpis"), kpis);

    /* out of scope: 404 as every read outside it, and no row; a region
     * holding the scope exports the scope's part */
    size_t households = count_of("export.households");
    call_expect(&srv, &sess[P_CLERK101], "GET",
                "/api/v1/exports/households?region=500103", NULL, 404, NULL,
                NULL);
    call_expect(&srv, &sess[P_CLERK101], "GET",
                "/api/v1/exports/households?region=500103001003&format=xlsx",
                NULL, 404, NULL, NULL);
    call_expect(&srv, &sess[P_COUNTY101], "GET",
                "/api/v1/kpis?region=500103&format=csv", NULL, 404, NULL, NULL);
    assert_int_equal(count_of("export.households"), households);
    assert_int_equal(count_of("export.kpis"), kpis);
    api_call(&srv, &sess[P_CLERK103], "GET",
             "/api/v1/exports/households?region=50", NULL, &r);
    expect_status(&r, 200);
    response_free(&r);
}

TEST_CASE(test_duplicate_query_parameter)
{
    static const struct call_want calls[] = {
        {&sess[P_AUDITOR], "GET", "/api/v1/audit?limit=1&limit=2", NULL, 400,
         "DUPLICATE_PARAMETER", "limit"},
        {&sess[P_AUDITOR], "GET", "/api/v1/audit?limit=1&actor=a&limit=1", NULL,
         400, "DUPLICATE_PARAMETER", "limit"},
        {&sess[P_CLERK103], "GET",
         "/api/v1/exports/households?region=500103&region=500101", NULL, 400,
         "DUPLICATE_PARAMETER", "region"},
        {&sess[P_CITY], "GET", "/api/v1/kpis?format=csv&format=json", NULL, 400,
         "DUPLICATE_PARAMETER", "format"},
        /* one of each is fine */
        {&sess[P_AUDITOR], "GET", "/api/v1/audit?limit=1&actor=a", NULL, 200,
         NULL, NULL},
    };
    calls_expect(&srv, calls);
}

TEST_CASE(test_common_passwords)
{
    struct response r = {0};
    /* long enough and three classes, but common (or common plus digits
     * or symbols, or with substitutions), whatever the case */
    const char *common[] = {"Password12",  "PASSWORD123!", "Woaini1314!",
                            "Qq123456789", "P@ssw0rd2024", "Qwerty123!!",
                            "Iloveyou-520"};
    for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++) {
        create_user(fmt("common.%zu", i), "town_clerk", NULL, "500103001",
                    common[i], &r);
        if (error_mismatch(&r, 400, "PASSWORD_TOO_COMMON", "password"))
            fail_msg("%s: %s", common[i], r.body);
    }
    create_user("common.ok", "town_clerk", NULL, "500103001",
                "Qwerty-Lantern-71", &r);
    expect_status(&r, 201);
    int64_t id = (int64_t)json_integer_value(resp_get(&r, "id"));
    /* a change of password is checked too */
    api_call(&srv, &sess[P_ADMIN], "PATCH",
             fmt("/api/v1/users/%lld", (long long)id),
             "{\"password\":\"Abc123456789\"}", &r);
    expect_error(&r, 400, "PASSWORD_TOO_COMMON", "password");
    assert_non_null(resp_str(&r, "error.message_zh"));
    response_free(&r);
}

/* POST /api/v1/session for user with pw from source. */
static void
signin_from(const char *source, const char *user, const char *pw,
            struct response *r)
{
    char *b = login_body(user, pw);
    struct request rq = {.method = "POST",
                         .path = "/api/v1/session",
                         .body = b,
                         .source = source};
    http_do(&srv, &rq, r);
    free(b);
}

/* The administrator unlocks user id, named user: then it signs in from
 * source. */
static void
unlock_then_signin(int64_t id, const char *user, const char *source,
                   struct response *r)
{
    api_call(&srv, &sess[P_ADMIN], "PATCH",
             fmt("/api/v1/users/%lld", (long long)id), "{\"locked\":false}",
             r);
    expect_status(r, 200);
    signin_from(source, user, TEST_PASSWORD, r);
    expect_status(r, 201);
}

TEST_CASE(test_lockout_per_address)
{
    struct response r = {0};
    int64_t id = create_user_ok("lock.victim", "town_clerk", NULL, "500103001");
    /* five wrong passwords from one address lock that address: the
     * fifth answers locked, and so does the right password from it */
    for (int i = 1; i <= 5; i++) {
        signin_from("127.0.0.2", "lock.victim", "Wrong-Password-9", &r);
        if (i < 5)
            expect_error(&r, 401, "INVALID_CREDENTIALS", "password");
        else
            expect_error(&r, 403, "ACCOUNT_LOCKED", "username");
    }
    signin_from("127.0.0.2", "lock.victim", TEST_PASSWORD, &r);
    expect_error(&r, 403, "ACCOUNT_LOCKED", "username");
    /* the user from another address signs in */
    signin_from("127.0.0.3", "lock.victim", TEST_PASSWORD, &r);
    expect_status(&r, 201);
    /* the account itself is not locked, and no alert went out */
    api_call(&srv, &sess[P_ADMIN], "GET",
             fmt("/api/v1/users/%lld", (long long)id), NULL, &r);
    expect_status(&r, 200);
    assert_false(json_is_true(resp_get(&r, "locked")));
    assert_true(json_is_null(resp_get(&r, "spread_alert_at")));
    /* the locking failure, then the refusal, are on record with the
     * address */
    audit_of("session.create.failed", &r);
    size_t n = json_array_size(resp_get(&r, "items"));
    const char *results[] = {"locked", "account locked"};
    for (size_t i = 0; i < 2; i++) {
        json_t *row = json_array_get(resp_get(&r, "items"), n - 2 + i);
        json_t *d = json_object_get(row, "detail");
        assert_string_equal(jstr(row, "object"),
                            fmt("user:%lld", (long long)id));
        assert_string_equal(jstr(d, "result"), results[i]);
        assert_string_equal(jstr(d, "client"), "127.0.0.2");
    }
    /* the administrator's unlock lifts the address's lock */
    unlock_then_signin(id, "lock.victim", "127.0.0.2", &r);
    response_free(&r);
}

TEST_CASE(test_spread_alert)
{
    struct response r = {0};
    const char *wrong = "Spread-Guess-0001";
    int64_t id =
        create_user_ok("spread.victim", "town_clerk", NULL, "500103001");
    size_t alerts = count_of("session.spread_attack");
    /* one wrong password from each of 10 addresses (lockout-spread-
     * addresses): the tenth locks the account and alerts */
    for (int i = 0; i < 10; i++) {
        signin_from(fmt("127.0.1.%d", 10 + i), "spread.victim", wrong, &r);
        if (i < 9)
            expect_error(&r, 401, "INVALID_CREDENTIALS", "password");
        else
            expect_error(&r, 403, "ACCOUNT_LOCKED", "username");
    }
    assert_int_equal(count_of("session.spread_attack"), alerts + 1);
    audit_of("session.spread_attack", &r);
    json_t *row = newest(&r);
    assert_string_equal(jstr(row, "object"), fmt("user:%lld", (long long)id));
    assert_int_equal(jint(json_object_get(row, "detail"), "addresses"), 10);
    assert_null(strstr(r.body, wrong));
    /* the whole account is locked now, from any address */
    signin_from("127.0.1.30", "spread.victim", TEST_PASSWORD, &r);
    expect_error(&r, 403, "ACCOUNT_LOCKED", "username");
    assert_int_equal(count_of("session.spread_attack"), alerts + 1);
    /* the administrator sees it on the account */
    api_call(&srv, &sess[P_ADMIN], "GET",
             fmt("/api/v1/users/%lld", (long long)id), NULL, &r);
    expect_status(&r, 200);
    assert_true(json_is_true(resp_get(&r, "locked")));
    assert_non_null(resp_str(&r, "spread_alert_at"));
    /* and the operators a warning line, without the password */
    assert_true(file_has(srv.log_path, "session.spread_attack"));
    assert_false(file_has(srv.log_path, wrong));
    /* an unlock lets the user in again */
    unlock_then_signin(id, "spread.victim", "127.0.1.10", &r);
    response_free(&r);
}

static void
small_stop(struct server *s)
{
    int status = server_stop(s);
    if (status != 0)
        server_log_tail(s, 20);
    assert_int_equal(status, 0);
}

TEST_CASE(test_rate_limited_signin_audited)
{
    struct server small;
    struct response r = {0};
    struct client aud;
    const char *env[] = {"DOUDI_LOGIN_RATE=2", NULL};
    small_start(&small, "ratelimit", env);
    login_ok(&small, "auditor", TEST_PASSWORD, &aud);
    char *b = login_body("city", "Limited-Secret-77");
    api_call(&small, NULL, "POST", "/api/v1/session", b, &r);
    expect_error(&r, 401, "INVALID_CREDENTIALS", "password");
    api_call(&small, NULL, "POST", "/api/v1/session", b, &r);
    expect_error(&r, 429, "TOO_MANY_ATTEMPTS", NULL);
    free(b);
    api_call(&small, &aud, "GET", "/api/v1/audit?action=session.create.failed",
             NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "items")), 2);
    json_t *d = json_object_get(newest(&r), "detail");
    assert_string_equal(jstr(d, "result"), "rate limited");
    assert_string_equal(jstr(d, "client"), "127.0.0.1");
    assert_null(strstr(r.body, "Limited-Secret-77"));
    /* a citizen's sign-in shares the limit, and its refusal is recorded
     * under the citizen's action */
    api_call(&small, NULL, "POST", "/api/v1/citizen/session",
             "{\"phone\":\"13812340001\",\"code\":\"123456\"}", &r);
    expect_error(&r, 429, "TOO_MANY_ATTEMPTS", NULL);
    api_call(&small, &aud, "GET", "/api/v1/audit?action=citizen.session.failed",
             NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "items")), 1);
    response_free(&r);
    small_stop(&small);
}

/* The session cookie as s sets it: staff sign-in, sign-out, and a
 * citizen's sign-in; each must (want) or must not carry Secure. */
static void
cookies_secure(const struct server *s, int want)
{
    struct response r = {0};
    struct client c;
    char code[8];
    char *b = login_body("city", TEST_PASSWORD);
    api_call(s, NULL, "POST", "/api/v1/session", b, &r);
    free(b);
    expect_status(&r, 201);
    assert_true(!strstr(resp_header(&r, "Set-Cookie"), "; Secure") == !want);
    session_from_login(&r, "city", &c);
    api_call(s, &c, "DELETE", "/api/v1/session", NULL, &r);
    expect_status(&r, 204);
    assert_true(!strstr(resp_header(&r, "Set-Cookie"), "; Secure") == !want);
    otp_for(s, "13812340009", code);
    api_call(s, NULL, "POST", "/api/v1/citizen/session",
             fmt("{\"phone\":\"13812340009\",\"code\":\"%s\"}", code), &r);
    expect_status(&r, 201);
    assert_true(!strstr(resp_header(&r, "Set-Cookie"), "; Secure") == !want);
    response_free(&r);
}

TEST_CASE(test_cookie_secure)
{
    struct server on;
    const char *env[] = {"DOUDI_COOKIE_SECURE=on", NULL};
    /* doudi demo serves plain HTTP on loopback: no Secure by default */
    cookies_secure(&srv, 0);
    small_start(&on, "cookie", env);
    cookies_secure(&on, 1);
    small_stop(&on);
}

API_SUITE("hardening_auth", principals_setup, &srv, &st,
          cmocka_unit_test(test_exports_audited),
          cmocka_unit_test(test_duplicate_query_parameter),
          cmocka_unit_test(test_common_passwords),
          cmocka_unit_test(test_lockout_per_address),
          cmocka_unit_test(test_spread_alert),
          cmocka_unit_test(test_rate_limited_signin_audited),
          cmocka_unit_test(test_cookie_secure))
