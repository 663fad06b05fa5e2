/* SPDX-License-Identifier: MIT */
/* The API tests: `doudi demo` runs as a child process (harness.c) and every
 * test talks HTTP to it. One cmocka test per area:
 *   1 sessions        2 lockout          3 idle and absolute expiry
 *   4 the authorisation matrix (every route x every principal)
 *   5 input validation  6 regions  7 security headers  8 audit and metrics
 *   9 the users API and partner tokens   10 256 keep-alive connections
 *  11 policy parameters
 * Where the API cannot get there (time), the test opens the same store. */
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

static struct server srv;
static struct store *st;
static char log_name[256]; /* the server's log, in the build tree */

/* ---- the principals ---- */

enum princ {
    P_ADMIN,      /* sysadmin, 50 */
    P_CITY,       /* city_supervisor, 50 */
    P_AUDITOR,    /* auditor, 50 */
    P_COUNTY103,  /* county_officer, 500103 渝中区 */
    P_COUNTY101,  /* county_officer, 500101 万州区 */
    P_CLERK103,   /* town_clerk, 500103001 */
    P_REVIEWER103,/* town_reviewer, 500103001 */
    P_CLERK101,   /* town_clerk, 500101001 */
    P_ASSISTANT,  /* village_assistant, 500103001003 */
    P_MEDICAL,    /* dept_officer medical, 500103 */
    P_AUDITOR103, /* auditor, 500103: made by the admin in the setup */
    P_PARTNER,    /* a partner API token, scope 500103 */
    P_ANON,       /* no credentials */
    NPRINC
};

static const char *const princ_name[NPRINC] = {
    "admin", "city", "auditor", "county.500103", "county.500101",
    "clerk.500103001", "reviewer.500103001", "clerk.500101001",
    "assistant.500103001003", "medical.500103", "auditor.500103",
    "token:matrix.partner", "anonymous",
};
static const char *const princ_role[NPRINC] = {
    "sysadmin", "city_supervisor", "auditor", "county_officer",
    "county_officer", "town_clerk", "town_reviewer", "town_clerk",
    "village_assistant", "dept_officer", "auditor", "partner", NULL,
};

/* The principals' sessions (the partner's holds its bearer token; the
 * anonymous one is empty), and the second sessions that the matrix's login
 * row opens and its logout row ends. */
static struct client sess[NPRINC];
static struct client spare[NPRINC];
static int64_t target_id; /* matrix.target, whom the matrix reads/patches */

/* ---- helpers ---- */

/* A JSON object from NULL-terminated key/value string pairs (values NULL
 * are left out); malloc'd. */
static char *
obj(const char *k, ...)
{
    json_t *o = json_object();
    va_list ap;
    va_start(ap, k);
    while (k) {
        const char *v = va_arg(ap, const char *);
        if (v)
            json_object_set_new(o, k, json_string(v));
        k = va_arg(ap, const char *);
    }
    va_end(ap);
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

static char *
login_body(const char *user, const char *pw)
{
    return obj("username", user, "password", pw, NULL);
}

/* POST /api/v1/users as admin. */
static void
create_user(const char *username, const char *role, const char *dept,
            const char *scope, const char *password, struct response *r)
{
    char *b = obj("username", username, "display_name", "测试用户", "role",
                  role, "department", dept, "scope", scope, "password",
                  password, NULL);
    api_call(&srv, &sess[P_ADMIN], "POST", "/api/v1/users", b, r);
    free(b);
}

static int64_t
create_user_ok(const char *username, const char *role, const char *dept,
               const char *scope)
{
    struct response r = {0};
    create_user(username, role, dept, scope, TEST_PASSWORD, &r);
    expect_status(&r, 201);
    assert_string_equal(resp_str(&r, "username"), username);
    assert_string_equal(resp_str(&r, "role"), role);
    assert_string_equal(resp_str(&r, "scope"), scope);
    int64_t id = (int64_t)json_integer_value(resp_get(&r, "id"));
    assert_true(id > 0);
    response_free(&r);
    return id;
}

static int
has_key(const struct response *r, const char *path)
{
    return resp_get(r, path) != NULL;
}

/* store access for what the API cannot do */

static struct store_tx *
begin(enum store_mode mode)
{
    struct store_tx *tx = NULL;
    assert_int_equal(store_tx_begin(st, mode, &tx), DD_OK);
    return tx;
}

static void
user_by_name(const char *name, struct user *u)
{
    struct store_tx *tx = begin(STORE_READ);
    enum dd_status rc = store_user_get_by_name(tx, name, u);
    store_tx_rollback(tx);
    assert_int_equal(rc, DD_OK);
}

static void
session_row(const char *cookie, struct session *out)
{
    char hash[TOKEN_HASH_LEN + 1];
    token_hash(cookie, hash);
    struct store_tx *tx = begin(STORE_READ);
    enum dd_status rc = store_session_get(tx, hash, out);
    store_tx_rollback(tx);
    assert_int_equal(rc, DD_OK);
}

static int64_t
audit_tail_seq(void)
{
    int64_t seq = -1;
    char prev[STORE_HASH_LEN];
    struct store_tx *tx = begin(STORE_READ);
    enum dd_status rc = store_audit_tail(tx, &seq, prev);
    store_tx_rollback(tx);
    assert_int_equal(rc, DD_OK);
    return seq;
}

/* ---- the household registry ---- */

/* A household body in village with one applicant (number) and, when
 * child is set, a child with a disability card. version < 0: none. */
static char *
household_body(const char *village, const char *number, const char *child,
               long long version)
{
    const char *kid =
        child ? fmt(",{\"id_number\":\"%s\",\"name\":\"张小\","
                    "\"relation\":\"child\",\"birth_date\":\"%.4s-%.2s-%.2s\","
                    "\"disability_category\":4,\"disability_grade\":2,"
                    "\"disability_card\":\"%s42\",\"schooling\":"
                    "\"compulsory\",\"selfcare_unable\":[\"walking\","
                    "\"bathing\"],\"incomes\":[{\"kind\":"
                    "\"ex_disability_subsidy\",\"monthly_fen\":8000}]}",
                    child, child + 6, child + 10, child + 12, child)
              : "";
    return strdup(fmt(
        "{\"region_code\":\"%s\",\"hukou_region\":\"%s\",\"address\":"
        "\"和平路 8 号\",\"urban_or_rural\":\"urban\"%s,\"members\":["
        "{\"id_number\":\"%s\",\"name\":\"张大\",\"relation\":\"applicant\","
        "\"employed\":true,\"incomes\":[{\"kind\":\"wages\",\"monthly_fen\":"
        "120000},{\"kind\":\"transfers_out\",\"monthly_fen\":10000}]}%s],"
        "\"assets\":[{\"kind\":\"dwelling\",\"area_dm2\":6500,"
        "\"owner_member\":0},{\"kind\":\"deposit\",\"value_fen\":3000000}],"
        "\"obligors\":[{\"of_member\":0,\"relation\":\"child\",\"name\":"
        "\"张远\",\"birth_date\":\"1995-05-05\",\"in_prison\":true,"
        "\"income_monthly_fen\":50000}]}",
        village, village,
        version >= 0 ? fmt(",\"version\":%lld", version) : "", number, kid));
}

static int64_t hh_id; /* the matrix's household, in 500103001003 */

static int64_t
create_household_ok(const struct client *s, const char *village,
                     const char *number, const char *child)
{
    struct response r = {0};
    char *b = household_body(village, number, child, -1);
    api_call(&srv, s, "POST", "/api/v1/households", b, &r);
    free(b);
    expect_status(&r, 201);
    int64_t id = (int64_t)json_integer_value(resp_get(&r, "id"));
    response_free(&r);
    return id;
}

static long long
household_version(int64_t id)
{
    struct response r = {0};
    api_call(&srv, &sess[P_COUNTY103], "GET",
             fmt("/api/v1/households/%lld", (long long)id), NULL, &r);
    expect_status(&r, 200);
    long long v = (long long)json_integer_value(resp_get(&r, "version"));
    response_free(&r);
    return v;
}

static size_t
audit_rows_of(const char *object)
{
    struct audit_row rows[64];
    size_t n = 0;
    struct audit_filter f = {0};
    f.object = object;
    struct store_tx *tx = begin(STORE_READ);
    assert_int_equal(store_audit_list(tx, &f, rows, 64, &n), DD_OK);
    store_tx_rollback(tx);
    return n;
}


/* ---- the group ---- */

static int
group_setup(void **state)
{
    (void)state;
    const char *url = harness_db_url();
    if (strncmp(url, "sqlite:", 7) == 0) {
        const char *base = strrchr(url, '/');
        snprintf(log_name, sizeof(log_name), "%s.log",
                 base ? base + 1 : url + 7);
    } else {
        snprintf(log_name, sizeof(log_name), "api-postgresql.log");
    }
    if (server_start(&srv, url, log_name, NULL) != 0)
        return -1;
    st = harness_store_open(srv.db_url);
    if (!st) {
        fprintf(stderr, "cannot open the store %s\n", srv.db_url);
        return -1;
    }
    for (int p = P_ADMIN; p <= P_MEDICAL; p++) {
        login_ok(&srv, princ_name[p], TEST_PASSWORD, &sess[p]);
        assert_string_equal(sess[p].role, princ_role[p]);
    }
    /* a district auditor, for the in-scope/out-of-scope audit rows */
    create_user_ok("auditor.500103", "auditor", NULL, "500103");
    login_ok(&srv, "auditor.500103", TEST_PASSWORD, &sess[P_AUDITOR103]);
    /* the user the matrix reads and changes */
    target_id = create_user_ok("matrix.target", "town_clerk", NULL,
                               "500103001");
    /* the household the matrix reads and changes */
    hh_id = create_household_ok(&sess[P_COUNTY103], "500103001003",
                                idnum_in("500103", "19690101", 1), NULL);
    /* a partner token */
    struct response r = {0};
    api_call(&srv, &sess[P_ADMIN], "POST", "/api/v1/api-tokens",
             "{\"name\":\"matrix.partner\",\"scope\":\"500103\"}", &r);
    expect_status(&r, 201);
    assert_non_null(resp_str(&r, "token"));
    snprintf(sess[P_PARTNER].bearer, sizeof(sess[P_PARTNER].bearer), "%s",
             resp_str(&r, "token"));
    snprintf(sess[P_PARTNER].user, sizeof(sess[P_PARTNER].user), "%s",
             princ_name[P_PARTNER]);
    response_free(&r);
    return 0;
}

static int
group_teardown(void **state)
{
    (void)state;
    return suite_stop(&srv, &st);
}

/* ---- 1. sessions ---- */

static void
test_session(void **state)
{
    (void)state;
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

static void
test_lockout(void **state)
{
    (void)state;
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
    /* the fifth failure locks (DOUDI_LOCKOUT_FAILURES defaults to 5) */
    api_call(&srv, NULL, "POST", "/api/v1/session", wrong, &r);
    expect_error(&r, 403, "ACCOUNT_LOCKED", "username");
    api_call(&srv, NULL, "POST", "/api/v1/session", good, &r);
    expect_error(&r, 403, "ACCOUNT_LOCKED", "username");
    assert_null(resp_header(&r, "Set-Cookie"));
    /* a session opened before the lock is refused too */
    api_call(&srv, &a, "GET", "/api/v1/session", NULL, &r);
    expect_error(&r, 401, "ACCOUNT_LOCKED", NULL);
    /* the admin sees the lock */
    api_call(&srv, &sess[P_ADMIN], "GET", fmt("/api/v1/users/%lld",
                                              (long long)id), NULL, &r);
    expect_status(&r, 200);
    assert_true(json_is_true(resp_get(&r, "locked")));
    assert_false(json_is_true(resp_get(&r, "disabled")));
    assert_non_null(resp_str(&r, "locked_until"));
    user_by_name(name, &u);
    int64_t now = time_now();
    assert_true(u.locked_until > now + 800 && u.locked_until <= now + 900);

    /* the lock lapses (moved into the past through the store) */
    {
        user_by_name(name, &u);
        struct store_tx *tx = begin(STORE_WRITE);
        u.locked_until = time_now() - 1;
        assert_int_equal(store_user_update(tx, &u), DD_OK);
        assert_int_equal(store_tx_commit(tx), DD_OK);
    }
    login_ok(&srv, name, TEST_PASSWORD, &b);
    user_by_name(name, &u);
    assert_int_equal(u.failed_logins, 0);
    api_call(&srv, &a, "GET", "/api/v1/session", NULL, &r);
    expect_status(&r, 200);

    /* the admin locks: sessions end, the right password is refused */
    api_call(&srv, &sess[P_ADMIN], "PATCH",
             fmt("/api/v1/users/%lld", (long long)id), "{\"locked\":true}",
             &r);
    expect_status(&r, 200);
    assert_true(json_is_true(resp_get(&r, "locked")));
    assert_true(json_is_true(resp_get(&r, "disabled")));
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
    api_call(&srv, &sess[P_ADMIN], "PATCH",
             fmt("/api/v1/users/%lld", (long long)id), "{\"locked\":false}",
             &r);
    expect_status(&r, 200);
    assert_false(json_is_true(resp_get(&r, "locked")));
    assert_false(json_is_true(resp_get(&r, "disabled")));
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

static void
test_expiry(void **state)
{
    (void)state;
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

/* The household of tests/unit/test_assess.c, described to the calculator
 * (urban, 渝中区): applicant wages 600.00; spouse 肢体 grade 2 with the
 * 两项补贴 80.00 (not counted); a child in compulsory school; deposits
 * 5,000.00; one 60 m² dwelling; the applicant is the others' obligor. */
#define CALC_HOUSEHOLD                                                        \
    "{\"region_code\":\"500103\",\"urban_or_rural\":\"urban\","               \
    "\"members\":["                                                           \
    "{\"relation\":\"applicant\",\"birth_date\":\"1980-03-15\","               \
    "\"sex\":\"male\",\"employed\":true,\"incomes\":{\"wages\":60000}},"       \
    "{\"relation\":\"spouse\",\"birth_date\":\"1982-06-01\","                  \
    "\"disability_category\":\"physical\",\"disability_grade\":2,"            \
    "\"work_capacity\":\"none\",\"incomes\":{\"disability_subsidy\":8000}},"   \
    "{\"relation\":\"child\",\"birth_date\":\"2012-09-01\","                   \
    "\"schooling\":\"compulsory\"}],"                                         \
    "\"assets\":[{\"kind\":\"deposit\",\"value_fen\":500000},"                 \
    "{\"kind\":\"dwelling\",\"floor_area_dm2\":6000}],"                        \
    "\"obligors\":[{\"of_member\":1,\"relation\":\"spouse\","                  \
    "\"birth_date\":\"1980-03-15\",\"income_monthly_fen\":60000},"             \
    "{\"of_member\":2,\"relation\":\"parent\",\"birth_date\":\"1980-03-15\","  \
    "\"income_monthly_fen\":60000}]}"
/* The smallest valid description. */
#define CALC_MINIMAL                                                          \
    "{\"region_code\":\"500103\",\"urban_or_rural\":\"urban\","               \
    "\"members\":[{\"relation\":\"applicant\",\"age\":40}]}"

static void
test_households(void **state)
{
    (void)state;
    struct response r = {0};
    struct client *clerk = &sess[P_CLERK103], *c101 = &sess[P_COUNTY101];
    const char *a1 = idnum_in("500103", "19600315", 11),
               *kid = idnum_in("500103", "20150607", 22);
    char applicant[19], child[19];
    snprintf(applicant, sizeof(applicant), "%s", a1);
    snprintf(child, sizeof(child), "%s", kid);
    char *b;

    /* create: masked reply, version 1, the derived fields */
    b = household_body("500103001006", applicant, child, -1);
    api_call(&srv, clerk, "POST", "/api/v1/households", b, &r);
    free(b);
    expect_status(&r, 201);
    int64_t id = (int64_t)json_integer_value(resp_get(&r, "id"));
    assert_true(id > 0);
    assert_int_equal(json_integer_value(resp_get(&r, "version")), 1);
    assert_string_equal(resp_header(&r, "ETag"), "\"1\"");
    assert_string_equal(resp_str(&r, "county_code"), "500103");
    json_t *ms = resp_get(&r, "members");
    assert_int_equal(json_array_size(ms), 2);
    json_t *m0 = json_array_get(ms, 0), *m1 = json_array_get(ms, 1);
    assert_string_equal(json_string_value(json_object_get(m0, "id_number")),
                        fmt("%.6s********%s", applicant, applicant + 14));
    assert_string_equal(json_string_value(json_object_get(m0, "sex")), "M");
    assert_string_equal(json_string_value(json_object_get(m0, "birth_date")),
                        "1960-03-15");
    assert_string_equal(json_string_value(json_object_get(m1, "sex")), "F");
    assert_string_equal(
        json_string_value(json_object_get(m1, "disability_card")),
        fmt("%.6s********%s42", child, child + 14));
    assert_int_equal(json_array_size(json_object_get(m1, "selfcare_unable")),
                     2);
    assert_null(strstr(r.body, applicant));
    assert_null(strstr(r.body, child));
    int64_t kid_id = (int64_t)json_integer_value(json_object_get(m1, "id"));
    int64_t app_id = (int64_t)json_integer_value(json_object_get(m0, "id"));
    assert_int_equal(audit_rows_of(fmt("household:%lld", (long long)id)), 1);

    /* the database alone does not reveal the number */
    struct person_row ps[4];
    size_t n = 0;
    struct store_tx *tx = begin(STORE_READ);
    assert_int_equal(store_person_list(tx, id, ps, 4, &n), DD_OK);
    store_tx_rollback(tx);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < n; i++) {
        assert_null(strstr(ps[i].id_enc, applicant));
        assert_null(strstr(ps[i].id_enc, child));
        assert_null(strstr(ps[i].disability_card_enc, child));
        assert_int_equal(strncmp(ps[i].id_enc, "v1:", 3), 0);
        assert_int_equal(strlen(ps[i].id_hash), 64);
        assert_int_equal(ps[i].active, 1);
    }

    /* the engine's model */
    struct arena *ar = arena_new(1 << 20);
    struct registry_household rh;
    struct household hh;
    tx = begin(STORE_READ);
    assert_int_equal(registry_load(tx, ar, id, &rh), DD_OK);
    store_tx_rollback(tx);
    assert_int_equal(registry_to_household(&rh, &hh), DD_OK);
    assert_int_equal(hh.member_count, 2);
    assert_int_equal(hh.members[0].relation, HH_REL_APPLICANT);
    assert_int_equal(hh.members[0].income_fen[HH_INC_WAGES], 120000);
    assert_int_equal(hh.members[0].income_fen[HH_INC_TRANSFERS_OUT], 10000);
    assert_int_equal(hh.members[1].disability_category, HH_DIS_PHYSICAL);
    assert_int_equal(hh.members[1].disability_grade, 2);
    assert_int_equal(hh.members[1].selfcare_unable[HH_ADL_WALKING], 1);
    assert_int_equal(hh.members[1].income_fen[HH_INC_EX_DISABILITY_SUBSIDY],
                     8000);
    assert_int_equal(hh.members[1].birth_y, 2015);
    assert_int_equal(hh.asset_count, 2);
    assert_int_equal(hh.assets[0].kind, HH_ASSET_DWELLING);
    assert_int_equal(hh.assets[0].owner_member, 0);
    assert_int_equal(hh.assets[0].floor_area_dm2, 6500);
    assert_int_equal(hh.assets[1].owner_member, HH_ASSET_JOINT);
    assert_int_equal(hh.obligor_count, 1);
    assert_int_equal(hh.obligors[0].in_prison, 1);
    assert_int_equal(hh.obligors[0].birth_y, 1995);
    assert_int_equal(hh.standard_area, HH_AREA_URBAN);
    assert_string_equal(hh.hukou_county, "500103");
    arena_free(ar);

    /* validation names the field */
    b = household_body("500103001006", idnum_in("500103", "19600315", 13),
                       idnum_in("500103", "20150607", 24), -1);
    char *bad = strdup(b);
    char *p = strstr(bad, "2015-06-07");
    assert_non_null(p);
    memcpy(p, "2015-06-08", 10);
    api_call(&srv, clerk, "POST", "/api/v1/households", bad, &r);
    expect_error(&r, 400, "BIRTH_DATE_MISMATCH", "members[1].birth_date");
    free(bad);
    free(b);
    char wrong[19];
    snprintf(wrong, sizeof(wrong), "%s", idnum_in("500103", "19600315", 15));
    wrong[17] = wrong[17] == '0' ? '1' : '0';
    b = household_body("500103001006", wrong, NULL, -1);
    api_call(&srv, clerk, "POST", "/api/v1/households", b, &r);
    free(b);
    expect_error(&r, 400, "INVALID_ID_CHECKSUM", "members[0].id_number");
    b = household_body("500103001099", idnum_in("500103", "19600315", 17), NULL,
                       -1);
    api_call(&srv, clerk, "POST", "/api/v1/households", b, &r);
    free(b);
    expect_error(&r, 400, "UNKNOWN_REGION", "region_code");
    api_call(&srv, clerk, "POST", "/api/v1/households",
             fmt("{\"region_code\":\"500103001006\",\"hukou_region\":"
                 "\"500103001006\",\"urban_or_rural\":\"urban\",\"members\":"
                 "[{\"id_number\":\"%s\",\"name\":\"王\",\"relation\":"
                 "\"applicant\",\"disability_category\":4,"
                 "\"disability_grade\":1,\"disability_card\":\"%s42\"}]}",
                 idnum_in("500103", "19600315", 19),
                 idnum_in("500103", "19600315", 19)),
             &r);
    expect_error(&r, 400, "DISABILITY_CARD_MISMATCH",
                 "members[0].disability_grade");

    /* one active household per person: named in scope, not out of it */
    b = household_body("500103001003", idnum_in("500103", "19700101", 901),
                       child, -1);
    api_call(&srv, clerk, "POST", "/api/v1/households", b, &r);
    free(b);
    expect_error(&r, 409, "PERSON_IN_ANOTHER_HOUSEHOLD",
                 "members[1].id_number");
    assert_non_null(strstr(resp_str(&r, "error.message"),
                           fmt("%lld", (long long)id)));
    b = household_body("500101001001", applicant, NULL, -1);
    api_call(&srv, c101, "POST", "/api/v1/households", b, &r);
    free(b);
    expect_error(&r, 409, "PERSON_IN_ANOTHER_HOUSEHOLD",
                 "members[0].id_number");
    assert_null(strstr(resp_str(&r, "error.message"),
                       fmt("%lld", (long long)id)));

    /* scope: out of scope is not found */
    api_call(&srv, c101, "GET", fmt("/api/v1/households/%lld", (long long)id),
             NULL, &r);
    expect_error(&r, 404, "NOT_FOUND", NULL);

    /* unmasked reads: audited, one row per member, and only for roles
     * that may read personal data */
    size_t before = audit_rows_of(fmt("person:%lld", (long long)app_id));
    api_call(&srv, clerk, "GET",
             fmt("/api/v1/households/%lld?unmask=true", (long long)id), NULL,
             &r);
    expect_status(&r, 200);
    assert_non_null(strstr(r.body, applicant));
    assert_non_null(strstr(r.body, fmt("%s42", child)));
    assert_int_equal(audit_rows_of(fmt("person:%lld", (long long)app_id)),
                     before + 1);
    assert_int_equal(audit_rows_of(fmt("person:%lld", (long long)kid_id)),
                     1);
    api_call(&srv, &sess[P_ASSISTANT], "GET",
             fmt("/api/v1/households/%lld?unmask=true", (long long)id), NULL,
             &r);
    expect_status(&r, 404); /* 500103001006 is outside 500103001003 */
    api_call(&srv, &sess[P_CITY], "GET",
             fmt("/api/v1/households/%lld?unmask=true", (long long)id), NULL,
             &r);
    expect_error(&r, 403, "FORBIDDEN", NULL);
    api_call(&srv, clerk, "GET",
             fmt("/api/v1/households/%lld?unmask=yes", (long long)id), NULL,
             &r);
    expect_error(&r, 400, "INVALID_PARAMETER", "unmask");

    /* lookup by full ID number, in scope only */
    api_call(&srv, clerk, "GET",
             fmt("/api/v1/households?id_number=%s", child), NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "items")), 1);
    assert_int_equal(json_integer_value(json_object_get(
                         json_array_get(resp_get(&r, "items"), 0), "id")),
                     id);
    api_call(&srv, c101, "GET", fmt("/api/v1/households?id_number=%s", child),
             NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "items")), 0);
    api_call(&srv, clerk, "GET", "/api/v1/households?id_number=12345", NULL,
             &r);
    expect_error(&r, 400, "INVALID_ID_LENGTH", "id_number");
    /* the list and its cursor */
    api_call(&srv, clerk, "GET",
             "/api/v1/households?region=500103001006&limit=1", NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "items")), 1);
    api_call(&srv, c101, "GET", "/api/v1/households?region=500103", NULL,
             &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "items")), 0);

    /* optimistic concurrency */
    b = household_body("500103001006", applicant, child, 99);
    api_call(&srv, clerk, "PUT", fmt("/api/v1/households/%lld", (long long)id),
             b, &r);
    free(b);
    expect_error(&r, 409, "VERSION_CONFLICT", "version");
    b = household_body("500103001006", applicant, child, -1);
    api_call(&srv, clerk, "PUT", fmt("/api/v1/households/%lld", (long long)id),
             b, &r);
    free(b);
    expect_error(&r, 428, "VERSION_REQUIRED", "version");
    b = household_body("500103001006", applicant, NULL, 1);
    api_call(&srv, clerk, "PUT", fmt("/api/v1/households/%lld", (long long)id),
             b, &r);
    free(b);
    expect_status(&r, 200);
    assert_int_equal(json_integer_value(resp_get(&r, "version")), 2);
    assert_int_equal(json_array_size(resp_get(&r, "members")), 1);

    /* members: add (the child again, now free), remove */
    api_call(&srv, clerk, "POST",
             fmt("/api/v1/households/%lld/members", (long long)id),
             fmt("{\"id_number\":\"%s\",\"name\":\"张小\",\"relation\":"
                 "\"child\",\"version\":2}",
                 child),
             &r);
    expect_status(&r, 201);
    assert_int_equal(json_integer_value(resp_get(&r, "version")), 3);
    kid_id = (int64_t)json_integer_value(
        json_object_get(json_array_get(resp_get(&r, "members"), 1), "id"));
    app_id = (int64_t)json_integer_value(
        json_object_get(json_array_get(resp_get(&r, "members"), 0), "id"));
    api_call(&srv, clerk, "POST",
             fmt("/api/v1/households/%lld/members", (long long)id),
             fmt("{\"id_number\":\"%s\",\"name\":\"张小\",\"relation\":"
                 "\"child\",\"version\":2}",
                 idnum_in("500103", "20100101", 31)),
             &r);
    expect_error(&r, 409, "VERSION_CONFLICT", "version");
    api_call(&srv, clerk, "DELETE",
             fmt("/api/v1/households/%lld/members/%lld", (long long)id,
                 (long long)app_id),
             NULL, &r);
    expect_error(&r, 409, "APPLICANT_REQUIRED", NULL);
    api_call(&srv, clerk, "DELETE",
             fmt("/api/v1/households/%lld/members/%lld", (long long)id,
                 (long long)kid_id),
             NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "members")), 1);
    assert_int_equal(json_integer_value(resp_get(&r, "version")), 4);

    /* deactivation frees the members for another household */
    api_call(&srv, clerk, "DELETE",
             fmt("/api/v1/households/%lld", (long long)id), NULL, &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "status"), "inactive");
    api_call(&srv, clerk, "DELETE",
             fmt("/api/v1/households/%lld", (long long)id), NULL, &r);
    expect_error(&r, 409, "HOUSEHOLD_INACTIVE", NULL);
    assert_int_equal(audit_rows_of(fmt("household:%lld", (long long)id)), 5);
    int64_t id2 = create_household_ok(clerk, "500103001006", applicant, NULL);
    assert_true(id2 != id);
    api_call(&srv, clerk, "GET",
             fmt("/api/v1/households?id_number=%s", applicant), NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "items")), 2);
    response_free(&r);
}

/* A request with extra header lines (NULL-terminated). */
static void
call_with(const struct client *s, const char *method, const char *path,
          const char *body, const char *const *headers, struct response *r)
{
    struct request rq = {.method = method, .path = path, .body = body,
                         .sess = s, .headers = headers};
    http_do(&srv, &rq, r);
}

static int64_t
member_id(const struct response *r, size_t i)
{
    return (int64_t)json_integer_value(
        json_object_get(json_array_get(resp_get(r, "members"), i), "id"));
}

/* A full replace keeps the ids of the members it keeps (matched by ID
 * number), rewrites them in place, removes those left out (freeing them
 * for another household) and inserts the new; If-Match carries the
 * version: stale is 409, current is 200, malformed is 400 naming it. */
static void
test_household_replace(void **state)
{
    (void)state;
    struct response r = {0};
    struct client *clerk = &sess[P_CLERK103];
    char app[19], kid1[19], kid2[19];
    snprintf(app, sizeof(app), "%s", idnum_in("500103", "19520101", 101));
    snprintf(kid1, sizeof(kid1), "%s", idnum_in("500103", "20180808", 102));
    snprintf(kid2, sizeof(kid2), "%s", idnum_in("500103", "20180808", 104));
    char *b = household_body("500103001006", app, kid1, -1);
    api_call(&srv, clerk, "POST", "/api/v1/households", b, &r);
    free(b);
    expect_status(&r, 201);
    int64_t id = (int64_t)json_integer_value(resp_get(&r, "id"));
    int64_t app_id = member_id(&r, 0), kid1_id = member_id(&r, 1);
    const char *path = strdup(fmt("/api/v1/households/%lld", (long long)id));

    /* If-Match: stale, malformed, then current (it wins over a stale
     * "version" in the body) */
    b = household_body("500103001006", app, kid2, -1);
    call_with(clerk, "PUT", path, b,
              (const char *const[]){"If-Match: \"7\"", NULL}, &r);
    expect_error(&r, 409, "VERSION_CONFLICT", "version");
    call_with(clerk, "PUT", path, b,
              (const char *const[]){"If-Match: seven", NULL}, &r);
    expect_error(&r, 400, "INVALID_IF_MATCH", "If-Match");
    call_with(clerk, "PUT", path, b,
              (const char *const[]){"If-Match: \"\"", NULL}, &r);
    expect_error(&r, 400, "INVALID_IF_MATCH", "If-Match");
    assert_int_equal(household_version(id), 1);
    free(b);
    b = household_body("500103001006", app, kid2, 7);
    call_with(clerk, "PUT", path, b,
              (const char *const[]){"If-Match: \"1\"", NULL}, &r);
    free(b);
    expect_status(&r, 200);
    assert_int_equal(json_integer_value(resp_get(&r, "version")), 2);
    assert_string_equal(resp_header(&r, "ETag"), "\"2\"");
    /* the applicant kept their id; the first child left, the second is
     * new */
    assert_int_equal(json_array_size(resp_get(&r, "members")), 2);
    assert_int_equal(member_id(&r, 0), app_id);
    int64_t kid2_id = member_id(&r, 1);
    assert_true(kid2_id != kid1_id && kid2_id != app_id);
    assert_string_equal(
        json_string_value(json_object_get(
            json_array_get(resp_get(&r, "members"), 1), "id_number")),
        fmt("%.6s********%s", kid2, kid2 + 14));
    /* the holdings point at the members as they are now */
    json_t *ob = json_array_get(resp_get(&r, "obligors"), 0);
    assert_int_equal(json_integer_value(json_object_get(ob, "of_member")), 0);
    json_t *as = json_array_get(resp_get(&r, "assets"), 0);
    assert_int_equal(json_integer_value(json_object_get(as, "owner_member")),
                     0);
    /* the first child is gone from the store, and free to join another
     * household */
    struct person_row ps[4];
    size_t n = 0;
    struct store_tx *tx = begin(STORE_READ);
    assert_int_equal(store_person_list(tx, id, ps, 4, &n), DD_OK);
    store_tx_rollback(tx);
    assert_int_equal(n, 2);
    assert_int_equal(ps[0].id, app_id);
    assert_int_equal(ps[1].id, kid2_id);
    int64_t other = create_household_ok(
        clerk, "500103001006", idnum_in("500103", "19520101", 105), NULL);
    api_call(&srv, clerk, "POST",
             fmt("/api/v1/households/%lld/members", (long long)other),
             fmt("{\"id_number\":\"%s\",\"name\":\"张小\",\"relation\":"
                 "\"child\",\"version\":1}",
                 kid1),
             &r);
    expect_status(&r, 201);

    /* the same people again, with the applicant's name, income and
     * schooling changed: same ids, new values, in place (W/ is taken) */
    char *b0 = household_body("500103001006", app, kid2, -1);
    char *p = strstr(b0, "张大");
    assert_non_null(p);
    b = strdup(fmt("%.*s张大伟%s", (int)(p - b0), b0, p + strlen("张大")));
    free(b0);
    p = strstr(b, "120000");
    assert_non_null(p);
    memcpy(p, "130000", 6);
    call_with(clerk, "PUT", path, b,
              (const char *const[]){"If-Match: W/\"2\"", NULL}, &r);
    free(b);
    expect_status(&r, 200);
    assert_int_equal(json_integer_value(resp_get(&r, "version")), 3);
    assert_int_equal(member_id(&r, 0), app_id);
    assert_int_equal(member_id(&r, 1), kid2_id);
    json_t *m0 = json_array_get(resp_get(&r, "members"), 0);
    assert_string_equal(json_string_value(json_object_get(m0, "name")),
                        "张大伟");
    json_t *inc = json_array_get(json_object_get(m0, "incomes"), 0);
    assert_string_equal(json_string_value(json_object_get(inc, "kind")),
                        "wages");
    assert_int_equal(json_integer_value(json_object_get(inc, "monthly_fen")),
                     130000);
    assert_int_equal(json_array_size(json_object_get(m0, "incomes")), 2);
    assert_int_equal(
        json_array_size(json_object_get(
            json_array_get(resp_get(&r, "members"), 1), "incomes")),
        1);
    /* what was read back is what is stored */
    api_call(&srv, clerk, "GET", path, NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(member_id(&r, 0), app_id);
    assert_int_equal(member_id(&r, 1), kid2_id);

    /* a new member active elsewhere is refused, named at its place */
    b = household_body("500103001006", app, kid1, -1);
    call_with(clerk, "PUT", path, b,
              (const char *const[]){"If-Match: 3", NULL}, &r);
    free(b);
    expect_error(&r, 409, "PERSON_IN_ANOTHER_HOUSEHOLD",
                 "members[1].id_number");
    assert_int_equal(household_version(id), 3);
    free((char *)path);
    response_free(&r);
}

/* Listing households for a functional-zone scope (several township
 * prefixes): only the zone's, in id order, page by page through the
 * cursor, and narrowed by a region within it. */
static void
test_household_zone_list(void **state)
{
    (void)state;
    struct response r = {0};
    struct client zone, qj;
    create_user_ok("zone.officer", "county_officer", NULL, "zone:wansheng");
    create_user_ok("qijiang.officer", "county_officer", NULL, "500110");
    login_ok(&srv, "zone.officer", TEST_PASSWORD, &zone);
    login_ok(&srv, "qijiang.officer", TEST_PASSWORD, &qj);
    /* 万盛街道 (500110004) and 东林街道 (500110005) are in the zone, 古南街道
     * (500110001) is not, nor is 渝中区 */
    int64_t in[4];
    int64_t out1 = create_household_ok(
        &qj, "500110001001", idnum_in("500103", "19520101", 201), NULL);
    in[0] = create_household_ok(&zone, "500110004001",
                                idnum_in("500103", "19520101", 203), NULL);
    in[1] = create_household_ok(&zone, "500110005001",
                                idnum_in("500103", "19520101", 205), NULL);
    int64_t out2 =
        create_household_ok(&sess[P_CLERK103], "500103001006",
                            idnum_in("500103", "19520101", 207), NULL);
    in[2] = create_household_ok(&qj, "500110004002",
                                idnum_in("500103", "19520101", 209), NULL);
    int64_t out3 = create_household_ok(
        &qj, "500110001002", idnum_in("500103", "19520101", 211), NULL);
    in[3] = create_household_ok(&zone, "500110005002",
                                idnum_in("500103", "19520101", 213), NULL);
    (void)out1;
    (void)out2;
    (void)out3;

    /* two per page: 2 + 2, the cursor after each */
    const char *cursor = NULL;
    size_t seen = 0;
    for (int page = 0; page < 3; page++) {
        api_call(&srv, &zone, "GET",
                 cursor ? fmt("/api/v1/households?limit=2&cursor=%s", cursor)
                        : "/api/v1/households?limit=2",
                 NULL, &r);
        expect_status(&r, 200);
        json_t *items = resp_get(&r, "items");
        for (size_t i = 0; i < json_array_size(items); i++) {
            assert_true(seen < 4);
            assert_int_equal(json_integer_value(json_object_get(
                                 json_array_get(items, i), "id")),
                             in[seen]);
            seen++;
        }
        json_t *next = resp_get(&r, "next_cursor");
        if (json_is_null(next)) {
            cursor = NULL;
            break;
        }
        assert_int_equal(json_array_size(items), 2);
        assert_int_equal(json_integer_value(next), in[seen - 1]);
        cursor = fmt("%lld", (long long)json_integer_value(next));
    }
    assert_null(cursor);
    assert_int_equal(seen, 4);
    /* all at once: exactly four, no cursor */
    api_call(&srv, &zone, "GET", "/api/v1/households?limit=200", NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "items")), 4);
    assert_true(json_is_null(resp_get(&r, "next_cursor")));
    /* narrowed to 东林街道; a region outside the zone gives nothing */
    api_call(&srv, &zone, "GET", "/api/v1/households?region=500110005",
             NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "items")), 2);
    assert_int_equal(json_integer_value(json_object_get(
                         json_array_get(resp_get(&r, "items"), 0), "id")),
                     in[1]);
    assert_int_equal(json_integer_value(json_object_get(
                         json_array_get(resp_get(&r, "items"), 1), "id")),
                     in[3]);
    api_call(&srv, &zone, "GET",
             fmt("/api/v1/households?region=500110005&limit=1&cursor=%lld",
                 (long long)in[1]),
             NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "items")), 1);
    assert_int_equal(json_integer_value(json_object_get(
                         json_array_get(resp_get(&r, "items"), 0), "id")),
                     in[3]);
    assert_true(json_is_null(resp_get(&r, "next_cursor")));
    api_call(&srv, &zone, "GET", "/api/v1/households?region=500110001",
             NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "items")), 0);
    /* a household out of the zone is not found by id either */
    api_call(&srv, &zone, "GET",
             fmt("/api/v1/households/%lld", (long long)out3), NULL, &r);
    expect_error(&r, 404, "NOT_FOUND", NULL);
    response_free(&r);
}

/* ---- 4. the authorisation matrix ---- */

enum mbody {
    B_NONE,
    B_LOGIN,      /* the principal's own credentials (anon, partner: city) */
    B_USER_NEW,   /* a new town_clerk with a unique username */
    B_USER_PATCH, /* a new display name for matrix.target */
    B_TOKEN_NEW,  /* a new partner token with a unique name */
    B_POLICY_NEW, /* a new policy version with a date unique to the row */
    B_HH_NEW,     /* a new household, its applicant unique to the cell */
    B_HH_PUT,     /* {hh} replaced at its current version */
    B_HH_MEMBER,  /* a new member of {hh}, unique to the cell */
    B_CALC,       /* a household for the calculator */
    B_CSV,        /* an import CSV (text/csv), its applicant unique */
    B_OTP,        /* a citizen's phone, unique to the cell */
    B_SIGNIN,     /* a citizen's phone and the code just sent to it */
    B_CATALOG_NEW, /* a new version of care_home_filing */
    B_APP_NEW,     /* an application of {hh} for 医疗救助, papers complete */
    B_CASE_ACTION, /* {"action":"submit","version":1} */
    B_MATERIALS,   /* {"materials":["id_card"]} */
    B_OBJECTION,   /* {"text":"..."} */
    B_FACTS,       /* {"facts":{}}: a decision's dry run */
};

struct mrow {
    const char *method;
    const char *pattern; /* the route, exactly as in its route table */
    const char *path;    /* what is sent; {target} = matrix.target's id */
    enum mbody body;
    int spare;           /* use the session that the login row opened */
    short want[NPRINC];
};

/* Derived by hand from the grant table in src/domain/authz.c:
 *   public        everyone, no session
 *   self          every signed-in user and partner tokens
 *   region.read   every signed-in user and partner tokens, any region
 *   user.manage   sysadmin only
 *   audit.read    auditor only, SCOPED: a region filter outside the
 *                 auditor's scope is 404 (not revealed)
 *   policy.read   every staff role, any region: not the sysadmin (三权分立
 *                 leaves it accounts only) and not partner tokens
 *   policy.write  city_supervisor only
 * 401 = no credentials (SESSION_REQUIRED), 403 = FORBIDDEN, 404 =
 * NOT_FOUND; 400 = NOT_A_SESSION (a token "signing out"). Writes by those
 * allowed use bodies that succeed. */
#define ALL(x) {x, x, x, x, x, x, x, x, x, x, x, x, x}
static const struct mrow matrix[] = {
    /* adm  city aud  c103 c101 k103 r103 k101 asst med  a103 part anon */
    {"GET", "/healthz", "/healthz", B_NONE, 0, ALL(200)},
    {"GET", "/metrics", "/metrics", B_NONE, 0, ALL(200)},
    {"GET", "/version", "/version", B_NONE, 0, ALL(200)},
    {"GET", "/", "/", B_NONE, 0, ALL(200)},

    {"POST", "/api/v1/session", "/api/v1/session", B_LOGIN, 0, ALL(201)},
    /* a partner token may ask who it is, but has no session to end */
    {"GET", "/api/v1/session", "/api/v1/session", B_NONE, 0,
     {200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 401}},
    {"DELETE", "/api/v1/session", "/api/v1/session", B_NONE, 1,
     {204, 204, 204, 204, 204, 204, 204, 204, 204, 204, 204, 400, 401}},

    /* reference data is not scoped: in and out of every scope alike */
    {"GET", "/api/v1/regions/{code}", "/api/v1/regions/500103", B_NONE, 0,
     {200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 401}},
    {"GET", "/api/v1/regions/{code}", "/api/v1/regions/500101", B_NONE, 0,
     {200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 401}},
    {"GET", "/api/v1/regions/{code}", "/api/v1/regions/500103001003",
     B_NONE, 0,
     {200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 401}},
    {"GET", "/api/v1/regions", "/api/v1/regions", B_NONE, 0,
     {200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 401}},
    {"GET", "/api/v1/regions", "/api/v1/regions?parent=500103", B_NONE, 0,
     {200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 401}},
    {"GET", "/api/v1/regions", "/api/v1/regions?parent=500101", B_NONE, 0,
     {200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 401}},
    {"GET", "/api/v1/zones", "/api/v1/zones", B_NONE, 0,
     {200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 401}},
    /* the holiday calendar is reference data too */
    {"GET", "/api/v1/calendar",
     "/api/v1/calendar?from=2022-01-28&to=2022-02-08", B_NONE, 0,
     {200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 401}},
    {"GET", "/api/v1/calendar/deadline",
     "/api/v1/calendar/deadline?from=2022-01-28&working_days=3", B_NONE, 0,
     {200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 401}},

    /* citizens: anyone may ask for a code and sign in with it; a citizen's
     * own session is no staff member's (citizen.self) */
    {"POST", "/api/v1/citizen/otp", "/api/v1/citizen/otp", B_OTP, 0,
     ALL(202)},
    {"POST", "/api/v1/citizen/session", "/api/v1/citizen/session", B_SIGNIN,
     0, ALL(201)},
    {"GET", "/api/v1/citizen/session", "/api/v1/citizen/session", B_NONE, 0,
     {403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 401}},
    {"DELETE", "/api/v1/citizen/session", "/api/v1/citizen/session", B_NONE,
     0, {403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 401}},

    /* accounts: the sysadmin only */
    {"GET", "/api/v1/users", "/api/v1/users", B_NONE, 0,
     {200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 401}},
    {"POST", "/api/v1/users", "/api/v1/users", B_USER_NEW, 0,
     {201, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 401}},
    {"GET", "/api/v1/users/{id}", "/api/v1/users/{target}", B_NONE, 0,
     {200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 401}},
    /* a missing account: the denial comes first and reveals nothing */
    {"GET", "/api/v1/users/{id}", "/api/v1/users/999999", B_NONE, 0,
     {404, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 401}},
    {"PATCH", "/api/v1/users/{id}", "/api/v1/users/{target}", B_USER_PATCH,
     0, {200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 401}},
    {"POST", "/api/v1/api-tokens", "/api/v1/api-tokens", B_TOKEN_NEW, 0,
     {201, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 401}},

    /* the audit log: auditors only; the sysadmin may not read it (三权分立);
     * the district auditor only inside 500103 */
    {"GET", "/api/v1/audit", "/api/v1/audit", B_NONE, 0,
     {403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 200, 403, 401}},
    {"GET", "/api/v1/audit", "/api/v1/audit?region=500103", B_NONE, 0,
     {403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 200, 403, 401}},
    {"GET", "/api/v1/audit", "/api/v1/audit?region=500103001", B_NONE, 0,
     {403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 200, 403, 401}},
    {"GET", "/api/v1/audit", "/api/v1/audit?region=500101", B_NONE, 0,
     {403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 404, 403, 401}},
    {"GET", "/api/v1/audit", "/api/v1/audit?region=50", B_NONE, 0,
     {403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 404, 403, 401}},

    /* policy parameters: read by all staff, in and out of scope alike;
     * written by the city supervisor */
    /* KPIs: the caller's own region and below; a region outside the
     * scope is 403 (regions are public, so nothing is hidden) */
    /* adm  city aud  c103 c101 k103 r103 k101 asst med  a103 part anon */
    {"GET", "/api/v1/kpis", "/api/v1/kpis?region=500103", B_NONE, 0,
     {403, 200, 200, 200, 403, 403, 403, 403, 403, 403, 200, 403, 401}},
    {"GET", "/api/v1/kpis", "/api/v1/kpis?region=500103001&format=csv",
     B_NONE, 0,
     {403, 200, 200, 200, 403, 200, 200, 403, 403, 403, 200, 403, 401}},

    {"GET", "/api/v1/policy", "/api/v1/policy", B_NONE, 0,
     {403, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 403, 401}},
    {"GET", "/api/v1/policy", "/api/v1/policy?as_of=2023-10-01&region=500101",
     B_NONE, 0,
     {403, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 403, 401}},
    {"GET", "/api/v1/policy/history",
     "/api/v1/policy/history?key=dibao.standard.urban", B_NONE, 0,
     {403, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 403, 401}},
    {"POST", "/api/v1/policy", "/api/v1/policy", B_POLICY_NEW, 0,
     {403, 201, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 401}},

    /* the self-check calculator: public, anonymous included */
    {"POST", "/api/v1/calculator", "/api/v1/calculator?as_of=2023-10-01",
     B_CALC, 0, ALL(200)},

    /* households: read by staff in scope (a department officer only the
     * households with a referral to its department: {hh} has none yet, so
     * the medical officer's list is filtered and {hh} is not found), full
     * ID numbers only for roles with personal.read, written by the
     * front-line and county roles in scope; {hh} is in 500103001003 */
    {"GET", "/api/v1/households", "/api/v1/households", B_NONE, 0,
     {403, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 403, 401}},
    {"GET", "/api/v1/households/{id}", "/api/v1/households/{hh}", B_NONE, 0,
     {403, 200, 200, 200, 404, 200, 200, 404, 200, 404, 200, 403, 401}},
    {"GET", "/api/v1/households/{id}",
     "/api/v1/households/{hh}?unmask=true", B_NONE, 0,
     {403, 403, 200, 200, 404, 200, 200, 404, 403, 403, 200, 403, 401}},
    {"POST", "/api/v1/households", "/api/v1/households", B_HH_NEW, 0,
     {403, 403, 403, 201, 404, 201, 201, 404, 201, 403, 403, 403, 401}},
    {"PUT", "/api/v1/households/{id}", "/api/v1/households/{hh}", B_HH_PUT,
     0, {403, 403, 403, 200, 404, 200, 200, 404, 200, 403, 403, 403, 401}},
    {"POST", "/api/v1/households/{id}/members",
     "/api/v1/households/{hh}/members", B_HH_MEMBER, 0,
     {403, 403, 403, 201, 404, 201, 201, 404, 201, 403, 403, 403, 401}},
    /* a missing member or household: not found for every writer */
    {"DELETE", "/api/v1/households/{id}/members/{member_id}",
     "/api/v1/households/{hh}/members/999999", B_NONE, 0,
     {403, 403, 403, 404, 404, 404, 404, 404, 404, 403, 403, 403, 401}},
    {"DELETE", "/api/v1/households/{id}", "/api/v1/households/999999",
     B_NONE, 0,
     {403, 403, 403, 404, 404, 404, 404, 404, 404, 403, 403, 403, 401}},
    /* assessing a stored household reads it: as GET */
    {"POST", "/api/v1/households/{id}/assessment",
     "/api/v1/households/{hh}/assessment?as_of=2023-10-01", B_NONE, 0,
     {403, 200, 200, 200, 404, 200, 200, 404, 200, 404, 200, 403, 401}},
    /* a household's file over time reads it: as GET (audited) */
    {"GET", "/api/v1/households/{id}/history",
     "/api/v1/households/{hh}/history", B_NONE, 0,
     {403, 200, 200, 200, 404, 200, 200, 404, 200, 404, 200, 403, 401}},

    /* imports: town clerks, town reviewers and county officers (not the
     * village assistant); a household outside the caller's scope is a
     * rejected row in a 200 reply. Exports: as the household list */
    {"POST", "/api/v1/imports", "/api/v1/imports", B_CSV, 0,
     {403, 403, 403, 200, 200, 200, 200, 200, 403, 403, 403, 403, 401}},
    {"GET", "/api/v1/exports/households",
     "/api/v1/exports/households?region=500103001003", B_NONE, 0,
     {403, 200, 200, 200, 200, 200, 200, 200, 200, 403, 200, 403, 401}},

    /* the service catalog: a public guide; versions by the city
     * supervisor only */
    {"GET", "/api/v1/catalog", "/api/v1/catalog", B_NONE, 0, ALL(200)},
    {"GET", "/api/v1/catalog/{code}", "/api/v1/catalog/dibao", B_NONE, 0,
     ALL(200)},
    {"POST", "/api/v1/catalog/{code}/versions",
     "/api/v1/catalog/care_home_filing/versions", B_CATALOG_NEW, 0,
     {403, 201, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 401}},

    /* intake (一门受理): every front-line and county role may take an
     * application for any household (异地受理 included: 万州区's clerk and
     * county take {hh} of 渝中区); departments, the city supervisor and
     * auditors take none */
    {"POST", "/api/v1/applications", "/api/v1/applications", B_APP_NEW, 0,
     {403, 403, 403, 201, 201, 201, 201, 201, 201, 403, 403, 403, 401}},
    {"POST", "/api/v1/applications/preview", "/api/v1/applications/preview",
     B_APP_NEW, 0,
     {403, 403, 403, 200, 200, 200, 200, 200, 200, 403, 403, 403, 401}},
    /* a missing application or case item: 404 for every reader (case.read
     * is every staff role but the sysadmin), 403 for the rest */
    {"GET", "/api/v1/applications/{id}", "/api/v1/applications/999999",
     B_NONE, 0,
     {403, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 403, 401}},
    {"GET", "/api/v1/applications/{id}/receipt",
     "/api/v1/applications/999999/receipt", B_NONE, 0,
     {403, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 403, 401}},
    {"POST", "/api/v1/applications/{id}/materials",
     "/api/v1/applications/999999/materials", B_MATERIALS, 0,
     {403, 403, 403, 404, 404, 404, 404, 404, 404, 403, 403, 403, 401}},
    {"GET", "/api/v1/case-items/{id}", "/api/v1/case-items/999999", B_NONE,
     0, {403, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 403, 401}},
    {"POST", "/api/v1/case-items/{id}/actions",
     "/api/v1/case-items/999999/actions", B_CASE_ACTION, 0,
     {403, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 403, 401}},
    {"GET", "/api/v1/case-items/{id}/notice",
     "/api/v1/case-items/999999/notice", B_NONE, 0,
     {403, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 403, 401}},
    {"POST", "/api/v1/case-items/{id}/assessment",
     "/api/v1/case-items/999999/assessment", B_FACTS, 0,
     {403, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 403, 401}},
    /* the inbox: every reader, filtered by role and scope */
    {"GET", "/api/v1/tasks", "/api/v1/tasks", B_NONE, 0,
     {403, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 403, 401}},
    /* a village's 公示: readers in scope of the village */
    {"GET", "/api/v1/publicity", "/api/v1/publicity?village=500103001003",
     B_NONE, 0,
     {403, 200, 200, 200, 404, 200, 200, 404, 200, 200, 200, 403, 401}},
    {"POST", "/api/v1/publicity/{id}/objections",
     "/api/v1/publicity/999999/objections", B_OBJECTION, 0,
     {403, 403, 403, 404, 404, 404, 404, 404, 404, 403, 403, 403, 401}},
    /* a citizen's online application: citizens only (citizen.self) */
    {"POST", "/api/v1/citizen/applications", "/api/v1/citizen/applications",
     B_NONE, 0,
     {403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 401}},
    /* a citizen's own applications, one and its receipt: citizens only */
    {"GET", "/api/v1/citizen/applications", "/api/v1/citizen/applications",
     B_NONE, 0,
     {403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 401}},
    {"GET", "/api/v1/citizen/applications/{id}",
     "/api/v1/citizen/applications/999999", B_NONE, 0,
     {403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 401}},
    {"GET", "/api/v1/citizen/applications/{id}/receipt",
     "/api/v1/citizen/applications/999999/receipt", B_NONE, 0,
     {403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 401}},
    /* progress by case number and query code: anonymous; a wrong pair is
     * not found for everyone */
    {"GET", "/api/v1/progress",
     "/api/v1/progress?case_no=5001032026999999&query_code=ABCDEFGHJK",
     B_NONE, 0, ALL(404)},
};
#define NROWS (sizeof(matrix) / sizeof(matrix[0]))

static const char *
code_for(long status)
{
    switch (status) {
    case 400: return "NOT_A_SESSION";
    case 401: return "SESSION_REQUIRED";
    case 403: return "FORBIDDEN";
    case 404: return "NOT_FOUND";
    }
    return "?";
}

static const char *
row_path(const struct mrow *m)
{
    const char *h = strstr(m->path, "{hh}");
    if (h)
        return fmt("%.*s%lld%s", (int)(h - m->path), m->path,
                   (long long)hh_id, h + 4);
    const char *t = strstr(m->path, "{target}");
    if (!t)
        return m->path;
    return fmt("%.*s%lld%s", (int)(t - m->path), m->path,
               (long long)target_id, t + 8);
}

/* Which route the server's router picks for method and path. */
static const struct route *
route_of(const char *method, const char *path)
{
    struct arena *a = arena_new(1 << 16);
    struct http_request req = {0};
    char p[512];
    snprintf(p, sizeof(p), "%.*s", (int)strcspn(path, "?"), path);
    req.arena = a;
    req.method = method;
    req.path = p;
    const struct route *found = NULL;
    for (size_t t = 0; t < api_route_table_count; t++) {
        enum router_result m = router_match(api_route_tables[t], 1, &req);
        if (m == ROUTER_FOUND)
            found = req.route;
        if (m != ROUTER_NOT_FOUND)
            break;
    }
    arena_free(a);
    return found;
}

static char *
row_body(size_t row, const struct mrow *m, int p)
{
    switch (m->body) {
    case B_NONE:
        return NULL;
    case B_LOGIN:
        return login_body(p < P_PARTNER ? princ_name[p] : "city",
                          TEST_PASSWORD);
    case B_USER_NEW:
        return obj("username", fmt("matrix.u%zu.%d", row, p), "role",
                   "town_clerk", "scope", "500103001", "password",
                   TEST_PASSWORD, NULL);
    case B_USER_PATCH:
        return obj("display_name", fmt("矩阵 %d", p), NULL);
    case B_TOKEN_NEW:
        return obj("name", fmt("matrix.t%zu.%d", row, p), "scope", "500103",
                   NULL);
    case B_POLICY_NEW:
        /* far in the future and in 开州区, out of test_policy's way */
        return strdup(fmt("{\"key\":\"tekun.care.full\",\"region_code\":"
                          "\"500154\",\"effective_from\":\"2090-%02zu-%02d\","
                          "\"value\":31000,\"unit\":\"fen/month\","
                          "\"source\":\"matrix\"}",
                          row % 12 + 1, p + 1));
    case B_HH_NEW:
        return household_body(
            "500103001003", idnum_in("500103", "19700101", (int)(row * 16) + p),
            NULL, -1);
    case B_HH_PUT:
        return household_body("500103001003", idnum_in("500103", "19690101", 1),
                              NULL, household_version(hh_id));
    case B_HH_MEMBER:
        return strdup(fmt("{\"id_number\":\"%s\",\"name\":\"成员\","
                          "\"relation\":\"spouse\"}",
                          idnum_in("500103", "19710101", (int)(row * 16) + p)));
    case B_CALC:
        return strdup(CALC_HOUSEHOLD);
    case B_OTP:
        return strdup(fmt("{\"phone\":\"1390%03zu%04d\"}", row, p));
    case B_SIGNIN: {
        char phone[16], code[8];
        snprintf(phone, sizeof(phone), "1370%03zu%04d", row, p);
        otp_for(&srv, phone, code);
        return strdup(fmt("{\"phone\":\"%s\",\"code\":\"%s\"}", phone,
                          code));
    }
    case B_CATALOG_NEW:
        return strdup("{\"effective_from\":\"2090-01-01\","
                      "\"source\":\"matrix\",\"promised_days\":4}");
    case B_APP_NEW:
        return strdup(fmt("{\"household_id\":%lld,\"channel\":\"window\","
                          "\"items\":[\"medical_aid\"],\"materials\":"
                          "[\"id_card\",\"medical_bills\"]}",
                          (long long)hh_id));
    case B_CASE_ACTION:
        return strdup("{\"action\":\"submit\",\"version\":1}");
    case B_MATERIALS:
        return strdup("{\"materials\":[\"id_card\"]}");
    case B_OBJECTION:
        return strdup("{\"text\":\"matrix\"}");
    case B_FACTS:
        return strdup("{\"facts\":{}}");
    case B_CSV:
        return strdup(fmt("户编号,与申请人关系,姓名,公民身份号码,"
                          "现居住地区划代码,户籍地区划代码,城乡\n"
                          "M1,申请人,矩阵,%s,500103001003,500103001003,"
                          "城镇\n",
                          idnum_in("500103", "19730303", (int)(row * 16) + p)));
    }
    return NULL;
}

static void
test_authz_matrix(void **state)
{
    (void)state;
    int bad = 0;

    /* every route of every table has a row, and every row names a route
     * that its path really reaches */
    size_t nroutes = 0;
    for (size_t t = 0; t < api_route_table_count; t++) {
        const struct route_table *tb = api_route_tables[t];
        for (size_t i = 0; i < tb->count; i++) {
            const struct route *rt = &tb->routes[i];
            int rows = 0;
            nroutes++;
            for (size_t j = 0; j < NROWS; j++)
                rows += strcmp(matrix[j].method, rt->method) == 0 &&
                        strcmp(matrix[j].pattern, rt->pattern) == 0;
            if (!rows) {
                print_error("route %s %s (table %s) has no row in the "
                            "authorisation matrix\n",
                            rt->method, rt->pattern, tb->resource);
                bad++;
            }
        }
    }
    assert_true(nroutes >= 16);
    for (size_t j = 0; j < NROWS; j++) {
        const struct route *rt = route_of(matrix[j].method,
                                          row_path(&matrix[j]));
        if (!rt || strcmp(rt->pattern, matrix[j].pattern) != 0 ||
            strcmp(rt->method, matrix[j].method) != 0) {
            print_error("matrix row %zu: %s %s does not route to %s\n", j,
                        matrix[j].method, matrix[j].path, matrix[j].pattern);
            bad++;
        }
    }
    if (bad)
        fail_msg("%d matrix rows missing or wrong", bad);

    struct response r = {0};
    for (size_t j = 0; j < NROWS; j++) {
        const struct mrow *m = &matrix[j];
        char path[256];
        snprintf(path, sizeof(path), "%s", row_path(m));
        for (int p = 0; p < NPRINC; p++) {
            const struct client *s = p == P_ANON ? NULL
                                      : m->spare && p < P_PARTNER
                                          ? &spare[p]
                                          : &sess[p];
            char *body = row_body(j, m, p);
            struct request rq = {.method = m->method, .path = path,
                                 .body = body, .sess = s,
                                 .content_type =
                                     m->body == B_CSV ? "text/csv" : NULL};
            http_do(&srv, &rq, &r);
            free(body);
            long want = m->want[p];
            const char *why = NULL;
            if (want >= 400)
                why = error_mismatch(&r, want, code_for(want), NULL);
            else if (r.status != want)
                why = "status";
            if (why) {
                print_error("matrix: %s %s as %s: got %ld, want %ld (%s): "
                            "%.300s\n",
                            m->method, path, princ_name[p], r.status, want,
                            why, r.body ? r.body : "");
                bad++;
                continue;
            }
            if (m->body == B_LOGIN && p < P_PARTNER)
                session_from_login(&r, princ_name[p], &spare[p]);
        }
    }
    /* the sysadmin cannot read the audit log: stated once more, plainly */
    api_call(&srv, &sess[P_ADMIN], "GET", "/api/v1/audit", NULL, &r);
    expect_error(&r, 403, "FORBIDDEN", NULL);
    /* the matrix's own sessions were not the ones it ended */
    for (int p = 0; p < P_PARTNER; p++) {
        api_call(&srv, &sess[p], "GET", "/api/v1/session", NULL, &r);
        expect_status(&r, 200);
    }
    response_free(&r);
    if (bad)
        fail_msg("%d authorisation matrix cells differ", bad);
}

/* ---- 5. input validation ---- */

static void
test_validation(void **state)
{
    (void)state;
    struct response r = {0};
    struct client *admin = &sess[P_ADMIN], *city = &sess[P_CITY];
    struct request rq = {0};

    /* a body over the 1 MiB default limit */
    size_t big = (1u << 20) + 100;
    char *b = malloc(big + 1);
    assert_non_null(b);
    memset(b, ' ', big);
    memcpy(b, "{\"username\":\"", 13);
    memset(b + 13, 'a', big - 13 - 2);
    memcpy(b + big - 2, "\"}", 2);
    b[big] = '\0';
    rq = (struct request){.method = "POST", .path = "/api/v1/session",
                          .body = b, .body_len = big};
    http_do(&srv, &rq, &r);
    expect_error(&r, 413, "BODY_TOO_LARGE", NULL);
    /* exactly at the limit is not too large (the username is too long) */
    size_t at = 1u << 20;
    memcpy(b + at - 2, "\"}", 2);
    rq.body_len = at;
    http_do(&srv, &rq, &r);
    expect_error(&r, 400, "TOO_LONG", "username");
    free(b);

    /* a server of its own with a 2 KiB body limit and 3 sign-in attempts
     * a minute (on a SQLite file whatever the main backend) */
    {
        struct server small;
        char db[1200], lname[300];
        const char *env[] = {"DOUDI_BODY_LIMIT=2048", "DOUDI_LOGIN_RATE=3",
                             "DOUDI_CALCULATOR_RATE=2", NULL};
        harness_tmp_path(db, sizeof(db), "limits.db");
        memmove(db + 7, db, strlen(db) + 1);
        memcpy(db, "sqlite:", 7);
        snprintf(lname, sizeof(lname), "%s.limits.log", log_name);
        assert_int_equal(server_start(&small, db, lname, env), 0);
        b = malloc(2049 + 1);
        assert_non_null(b);
        memset(b, 'a', 2049);
        memcpy(b, "{\"username\":\"", 13);
        memcpy(b + 2049 - 2, "\"}", 2);
        b[2049] = '\0';
        rq = (struct request){.method = "POST", .path = "/api/v1/session",
                              .body = b, .body_len = 2049};
        http_do(&small, &rq, &r);
        expect_error(&r, 413, "BODY_TOO_LARGE", NULL);
        memcpy(b + 2048 - 2, "\"}", 2);
        rq.body_len = 2048;
        http_do(&small, &rq, &r); /* sign-in attempt 1 */
        expect_error(&r, 400, "TOO_LONG", "username");
        free(b);
        char *wrong = login_body("city", "Wrong-Password-5");
        api_call(&small, NULL, "POST", "/api/v1/session", wrong, &r);
        expect_error(&r, 401, "INVALID_CREDENTIALS", "password");
        assert_int_equal(login(&small, "city", TEST_PASSWORD, NULL), 201);
        api_call(&small, NULL, "POST", "/api/v1/session", wrong, &r);
        expect_error(&r, 429, "TOO_MANY_ATTEMPTS", NULL);
        free(wrong);
        assert_int_equal(login(&small, "city", TEST_PASSWORD, NULL), 429);
        /* other requests are not limited */
        api_call(&small, NULL, "GET", "/version", NULL, &r);
        expect_status(&r, 200);
        /* the calculator has a limit of its own: 2 a minute here, bad
         * bodies counted too */
        api_call(&small, NULL, "POST", "/api/v1/calculator", CALC_MINIMAL,
                 &r);
        expect_status(&r, 200);
        api_call(&small, NULL, "POST", "/api/v1/calculator", "{}", &r);
        expect_error(&r, 400, "MISSING_FIELD", "region_code");
        api_call(&small, NULL, "POST", "/api/v1/calculator", CALC_MINIMAL,
                 &r);
        expect_error(&r, 429, "TOO_MANY_REQUESTS", NULL);
        /* and sign-in's limit is not the calculator's */
        api_call(&small, NULL, "GET", "/version", NULL, &r);
        expect_status(&r, 200);
        int status = server_stop(&small);
        if (status != 0)
            server_log_tail(&small, 20);
        assert_int_equal(status, 0);
    }

    /* bodies that are not the object the route wants */
    const struct {
        const char *body, *code, *field;
    } bodies[] = {
        {"{\"username\":\"city\",", "MALFORMED_JSON", NULL},
        {"", "MALFORMED_JSON", NULL},
        {"{\"username\":\"a\",\"username\":\"b\",\"password\":\"x\"}",
         "MALFORMED_JSON", NULL},
        {"[\"city\",\"pw\"]", "NOT_AN_OBJECT", NULL},
        {"{\"username\":\"city\",\"password\":\"x\",\"remember\":true}",
         "UNKNOWN_FIELD", "remember"},
        {"{\"username\":5,\"password\":\"x\"}", "WRONG_TYPE", "username"},
        {"{\"username\":\"city\",\"password\":[]}", "WRONG_TYPE", "password"},
        {"{\"username\":\"city\"}", "MISSING_FIELD", "password"},
        {"{\"password\":\"x\"}", "MISSING_FIELD", "username"},
        {"{\"username\":\"\",\"password\":\"x\"}", "TOO_SHORT", "username"},
    };
    for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
        rq = (struct request){.method = "POST", .path = "/api/v1/session",
                              .body = bodies[i].body,
                              .body_len = strlen(bodies[i].body)};
        http_do(&srv, &rq, &r);
        expect_error(&r, 400, bodies[i].code, bodies[i].field);
    }
    /* the same decoder behind the admin's routes */
    api_call(&srv, admin, "POST", "/api/v1/users", "{\"username\":5}", &r);
    expect_error(&r, 400, "WRONG_TYPE", "username");
    api_call(&srv, admin, "POST", "/api/v1/users",
             "{\"username\":\"v.x\",\"role\":\"town_clerk\",\"scope\":"
             "\"500103001\",\"password\":\"" TEST_PASSWORD "\",\"admin\":1}",
             &r);
    expect_error(&r, 400, "UNKNOWN_FIELD", "admin");
    api_call(&srv, admin, "POST", "/api/v1/users",
             "{\"username\":\"v.x\",\"role\":\"town_clerk\",\"password\":\""
             TEST_PASSWORD "\"}",
             &r);
    expect_error(&r, 400, "MISSING_FIELD", "scope");
    api_call(&srv, admin, "PATCH",
             fmt("/api/v1/users/%lld", (long long)target_id),
             "{\"locked\":\"yes\"}", &r);
    expect_error(&r, 400, "WRONG_TYPE", "locked");

    /* the Content-Type */
    rq = (struct request){.method = "POST", .path = "/api/v1/session",
                          .body = "{\"username\":\"city\",\"password\":\"x\"}",
                          .content_type = "text/plain"};
    http_do(&srv, &rq, &r);
    expect_error(&r, 415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type");
    rq.content_type = "application/x-www-form-urlencoded";
    http_do(&srv, &rq, &r);
    expect_error(&r, 415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type");
    rq.content_type = "";
    http_do(&srv, &rq, &r);
    expect_error(&r, 415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type");
    rq.content_type = "application/json; charset=utf-8";
    http_do(&srv, &rq, &r);
    expect_error(&r, 401, "INVALID_CREDENTIALS", "password");

    /* a body where none is taken */
    rq = (struct request){.method = "DELETE", .path = "/api/v1/session",
                          .body = "{}", .sess = city};
    http_do(&srv, &rq, &r);
    expect_error(&r, 400, "UNEXPECTED_BODY", NULL);

    /* query parameters */
    api_call(&srv, city, "GET", "/api/v1/regions?foo=1", NULL, &r);
    expect_error(&r, 400, "UNKNOWN_PARAMETER", "foo");
    api_call(&srv, city, "GET", "/api/v1/regions?limit=10&parnet=500103",
             NULL, &r);
    expect_error(&r, 400, "UNKNOWN_PARAMETER", "parnet");
    api_call(&srv, city, "GET", "/api/v1/session?debug=1", NULL, &r);
    expect_error(&r, 400, "UNKNOWN_PARAMETER", "debug");
    api_call(&srv, city, "GET", "/api/v1/regions/500103?x=1", NULL, &r);
    expect_error(&r, 400, "UNKNOWN_PARAMETER", "x");
    const char *limits[] = {"0", "9999", "-1", "abc", "", "10000", "1.5"};
    for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
        api_call(&srv, city, "GET", fmt("/api/v1/regions?limit=%s",
                                         limits[i]), NULL, &r);
        expect_error(&r, 400, "INVALID_PARAMETER", "limit");
    }
    api_call(&srv, admin, "GET", "/api/v1/users?limit=201", NULL, &r);
    expect_error(&r, 400, "INVALID_PARAMETER", "limit");
    api_call(&srv, &sess[P_AUDITOR], "GET", "/api/v1/audit?from=yesterday",
             NULL, &r);
    expect_error(&r, 400, "INVALID_PARAMETER", "from");
    api_call(&srv, &sess[P_AUDITOR], "GET", "/api/v1/audit?to=2026-13-01",
             NULL, &r);
    expect_error(&r, 400, "INVALID_PARAMETER", "to");
    api_call(&srv, admin, "GET", "/api/v1/users/12ab", NULL, &r);
    expect_error(&r, 400, "INVALID_PARAMETER", "id");

    /* region codes */
    const char *codes[] = {"12x", "5001", "5001030", "50010300100x",
                           "5a"};
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        api_call(&srv, city, "GET", fmt("/api/v1/regions/%s", codes[i]),
                 NULL, &r);
        expect_error(&r, 400, "INVALID_REGION_CODE", "code");
    }
    api_call(&srv, city, "GET", "/api/v1/regions/5001030010031", NULL, &r);
    expect_error(&r, 400, "INVALID_PARAMETER", "code"); /* too long */
    api_call(&srv, city, "GET", "/api/v1/regions?parent=5001", NULL, &r);
    expect_error(&r, 400, "INVALID_REGION_CODE", "parent");
    api_call(&srv, &sess[P_AUDITOR], "GET", "/api/v1/audit?region=abc",
             NULL, &r);
    expect_error(&r, 400, "INVALID_REGION_CODE", "region");
    /* well-formed but unknown */
    api_call(&srv, city, "GET", "/api/v1/regions/500199", NULL, &r);
    expect_error(&r, 404, "REGION_NOT_FOUND", "code");

    /* unknown paths and methods */
    const char *paths[] = {"/api/v1/nothing", "/api/v1/regions/500103/x",
                           "/api/v2/regions", "/api/v1/session/",
                           "/healthz/x"};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        api_call(&srv, city, "GET", paths[i], NULL, &r);
        expect_error(&r, 404, "NO_SUCH_ROUTE", NULL);
    }
    api_call(&srv, city, "PUT", "/api/v1/session", NULL, &r);
    expect_error(&r, 405, "METHOD_NOT_ALLOWED", NULL);
    api_call(&srv, city, "DELETE", "/api/v1/regions", NULL, &r);
    expect_error(&r, 405, "METHOD_NOT_ALLOWED", NULL);
    api_call(&srv, NULL, "POST", "/version", "{}", &r);
    expect_error(&r, 405, "METHOD_NOT_ALLOWED", NULL);
    api_call(&srv, admin, "DELETE", "/api/v1/users/1", NULL, &r);
    expect_error(&r, 405, "METHOD_NOT_ALLOWED", NULL);
    response_free(&r);
}

/* ---- 6. regions ---- */

static void
test_regions(void **state)
{
    (void)state;
    struct response r = {0};
    struct client *s = &sess[P_CLERK103];
    char seen[64][STORE_CODE_LEN];
    size_t n = 0;
    int pages = 0;
    char cursor[STORE_CODE_LEN] = "";

    /* the 38 counties of Chongqing, ten at a time */
    for (;;) {
        api_call(&srv, s, "GET",
                 cursor[0] ? fmt("/api/v1/regions?limit=10&cursor=%s",
                                 cursor)
                           : "/api/v1/regions?limit=10",
                 NULL, &r);
        expect_status(&r, 200);
        json_t *items = resp_get(&r, "items");
        assert_true(json_is_array(items));
        assert_true(json_array_size(items) <= 10);
        pages++;
        size_t i;
        json_t *it;
        json_array_foreach(items, i, it)
        {
            const char *code = json_string_value(json_object_get(it, "code"));
            assert_non_null(code);
            assert_string_equal(
                json_string_value(json_object_get(it, "level")), "county");
            assert_string_equal(
                json_string_value(json_object_get(it, "parent_code")),
                "500000");
            assert_int_equal(strlen(code), 6);
            for (size_t k = 0; k < n; k++)
                assert_string_not_equal(seen[k], code);
            /* in code order */
            if (n)
                assert_true(strcmp(seen[n - 1], code) < 0);
            assert_true(n < 64);
            snprintf(seen[n++], STORE_CODE_LEN, "%s", code);
        }
        json_t *next = resp_get(&r, "next_cursor");
        if (!next || json_is_null(next))
            break;
        assert_true(json_is_string(next));
        snprintf(cursor, sizeof(cursor), "%s", json_string_value(next));
        assert_true(pages < 10);
    }
    assert_int_equal(n, 38);
    assert_int_equal(pages, 4);
    /* the same without paging */
    api_call(&srv, s, "GET", "/api/v1/regions", NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "items")), 38);
    assert_true(json_is_null(resp_get(&r, "next_cursor")));

    /* a village */
    api_call(&srv, s, "GET", "/api/v1/regions/500103001003", NULL, &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "code"), "500103001003");
    assert_string_equal(resp_str(&r, "name"), "华一坡社区居民委员会");
    assert_string_equal(resp_str(&r, "level"), "village");
    assert_string_equal(resp_str(&r, "parent_code"), "500103001");
    assert_false(has_key(&r, "zones"));

    /* a county and the city itself */
    api_call(&srv, s, "GET", "/api/v1/regions/500103", NULL, &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "name"), "渝中区");
    assert_string_equal(resp_str(&r, "level"), "county");

    /* the children of 渝中区: its townships */
    api_call(&srv, s, "GET", "/api/v1/regions?parent=500103&limit=500",
             NULL, &r);
    expect_status(&r, 200);
    json_t *items = resp_get(&r, "items");
    assert_true(json_array_size(items) >= 5);
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        const char *code = json_string_value(json_object_get(it, "code"));
        assert_non_null(code);
        assert_int_equal(strlen(code), 9);
        assert_true(strncmp(code, "500103", 6) == 0);
        assert_string_equal(json_string_value(json_object_get(it, "level")),
                            "township");
        assert_string_equal(
            json_string_value(json_object_get(it, "parent_code")), "500103");
    }
    /* a village has no children; an unknown parent neither */
    api_call(&srv, s, "GET", "/api/v1/regions?parent=500103001003", NULL,
             &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "items")), 0);

    /* the functional zones */
    api_call(&srv, s, "GET", "/api/v1/zones", NULL, &r);
    expect_status(&r, 200);
    items = resp_get(&r, "items");
    json_t *wansheng = NULL;
    json_array_foreach(items, i, it)
    {
        const char *code = json_string_value(json_object_get(it, "code"));
        if (code && strcmp(code, "wansheng") == 0)
            wansheng = it;
    }
    assert_non_null(wansheng);
    assert_string_equal(
        json_string_value(json_object_get(wansheng, "name")), "万盛经开区");
    json_t *towns = json_object_get(wansheng, "townships");
    assert_int_equal(json_array_size(towns), 10);
    int has_004 = 0;
    json_array_foreach(towns, i, it)
    {
        assert_int_equal(strlen(json_string_value(it)), 9);
        has_004 |= strcmp(json_string_value(it), "500110004") == 0;
    }
    assert_true(has_004);

    /* a township in a zone says so */
    api_call(&srv, s, "GET", "/api/v1/regions/500110004", NULL, &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "level"), "township");
    assert_string_equal(resp_str(&r, "zones"), "wansheng");
    response_free(&r);
}

/* ---- 7. security headers ---- */

static void
test_headers(void **state)
{
    (void)state;
    struct response r = {0};
    struct client s;
    struct request rq;
    char prev_id[64] = "";
    login_ok(&srv, "clerk.500101001", TEST_PASSWORD, &s);

    /* one of each kind of reply: JSON, text, HTML, empty, and errors from
     * every layer (server, router, decoder, authentication, authz) */
    const struct {
        const char *method, *path, *body;
        int with_session;
        long status;
    } cases[] = {
        {"GET", "/version", NULL, 0, 200},
        {"GET", "/healthz", NULL, 0, 200},
        {"GET", "/metrics", NULL, 0, 200},
        {"GET", "/", NULL, 0, 200},
        {"GET", "/api/v1/regions/500103", NULL, 1, 200},
        {"GET", "/api/v1/session", NULL, 0, 401},
        {"GET", "/api/v1/users", NULL, 1, 403},
        {"GET", "/api/v1/nothing", NULL, 0, 404},
        {"PUT", "/version", NULL, 0, 405},
        {"POST", "/api/v1/session", "{", 0, 400},
        {"GET", "/api/v1/regions?x=1", NULL, 1, 400},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        api_call(&srv, cases[i].with_session ? &s : NULL, cases[i].method,
                 cases[i].path, cases[i].body, &r);
        expect_status(&r, cases[i].status);
        const char *missing = security_headers_missing(&r);
        if (missing)
            fail_msg("%s: no %s", r.what, missing);
        /* every reply its own request id */
        const char *id = resp_header(&r, "X-Request-Id");
        assert_string_not_equal(id, prev_id);
        snprintf(prev_id, sizeof(prev_id), "%s", id);
    }
    assert_string_equal(resp_header(&r, "Content-Type"),
                        "application/json; charset=utf-8");
    api_call(&srv, NULL, "GET", "/metrics", NULL, &r);
    assert_true(strncmp(resp_header(&r, "Content-Type"), "text/plain", 10) ==
                0);
    api_call(&srv, NULL, "GET", "/", NULL, &r);
    assert_true(strncmp(resp_header(&r, "Content-Type"), "text/html", 9) ==
                0);
    /* 413 (replied before any route runs), 415, 201 and 204 */
    size_t big = (1u << 20) + 1;
    char *b = calloc(1, big + 1);
    assert_non_null(b);
    memset(b, '{', big);
    rq = (struct request){.method = "POST", .path = "/api/v1/session",
                          .body = b, .body_len = big};
    http_do(&srv, &rq, &r);
    free(b);
    expect_status(&r, 413);
    assert_null(security_headers_missing(&r));
    rq = (struct request){.method = "POST", .path = "/api/v1/session",
                          .body = "{}", .content_type = "text/plain"};
    http_do(&srv, &rq, &r);
    expect_status(&r, 415);
    assert_null(security_headers_missing(&r));
    char *body = login_body("clerk.500101001", TEST_PASSWORD);
    api_call(&srv, NULL, "POST", "/api/v1/session", body, &r);
    free(body);
    expect_status(&r, 201);
    assert_null(security_headers_missing(&r));
    api_call(&srv, &s, "DELETE", "/api/v1/session", NULL, &r);
    expect_status(&r, 204);
    assert_null(security_headers_missing(&r));

    /* and every reply that every test has had so far */
    assert_true(harness_responses >= 20);
    if (harness_bad_headers)
        fail_msg("%lu of %lu replies lacked a security header; the first: "
                 "%s",
                 harness_bad_headers, harness_responses,
                 harness_bad_header_what);
    response_free(&r);
}

/* ---- 8. audit and metrics ---- */

/* Every audit row matching query (paged), as a new JSON array. */
static json_t *
audit_rows(const struct client *s, const char *query)
{
    struct response r = {0};
    json_t *all = json_array();
    long long cursor = 0;
    for (int pages = 0; pages < 1000; pages++) {
        const char *path =
            cursor ? fmt("/api/v1/audit?limit=500&cursor=%lld%s%s", cursor,
                         *query ? "&" : "", query)
                   : fmt("/api/v1/audit?limit=500%s%s", *query ? "&" : "",
                         query);
        api_call(&srv, s, "GET", path, NULL, &r);
        expect_status(&r, 200);
        json_t *items = resp_get(&r, "items");
        assert_true(json_is_array(items));
        json_array_extend(all, items);
        json_t *next = resp_get(&r, "next_cursor");
        if (!next || json_is_null(next))
            break;
        cursor = (long long)json_integer_value(next);
        assert_true(cursor > 0);
    }
    response_free(&r);
    return all;
}

static size_t
count_rows(json_t *rows, const char *actor, const char *action,
           const char *object)
{
    size_t i, n = 0;
    json_t *it;
    json_array_foreach(rows, i, it)
    {
        if ((!actor || (jstr(it, "actor") &&
                        strcmp(jstr(it, "actor"), actor) == 0)) &&
            (!action || (jstr(it, "action") &&
                         strcmp(jstr(it, "action"), action) == 0)) &&
            (!object || (jstr(it, "object") &&
                         strcmp(jstr(it, "object"), object) == 0)))
            n++;
    }
    return n;
}

static void
test_audit(void **state)
{
    (void)state;
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
static void
test_audit_scope(void **state)
{
    (void)state;
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

static void
test_users(void **state)
{
    (void)state;
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
    const struct {
        const char *username, *role, *dept, *scope, *password;
        long status;
        const char *code, *field;
    } bad[] = {
        {"users.weak1", "town_clerk", NULL, "500103001", "Sh0rt!pw", 400,
         "PASSWORD_TOO_SHORT", "password"},
        {"users.weak2", "town_clerk", NULL, "500103001",
         "alllowercaseletters", 400, "PASSWORD_TOO_WEAK", "password"},
        {"users.weak3", "town_clerk", NULL, "500103001",
         "My-users.weak3-pw", 400, "PASSWORD_CONTAINS_USERNAME", "password"},
        {"users.ok", "town_clerk", NULL, "500103001", TEST_PASSWORD, 409,
         "USERNAME_TAKEN", "username"},
        {"users.scope1", "town_clerk", NULL, "500103", TEST_PASSWORD, 400,
         "SCOPE_NOT_FOR_ROLE", "scope"},
        {"users.scope2", "village_assistant", NULL, "500103001",
         TEST_PASSWORD, 400, "SCOPE_NOT_FOR_ROLE", "scope"},
        {"users.scope3", "town_clerk", NULL, "500103999", TEST_PASSWORD, 400,
         "SCOPE_UNKNOWN_REGION", "scope"},
        {"users.scope4", "county_officer", NULL, "500199", TEST_PASSWORD, 400,
         "SCOPE_UNKNOWN_REGION", "scope"},
        {"users.scope5", "county_officer", NULL, "zone:atlantis",
         TEST_PASSWORD, 400, "SCOPE_UNKNOWN_ZONE", "scope"},
        {"users.scope6", "town_clerk", NULL, ",500103001", TEST_PASSWORD,
         400, "SCOPE_INVALID", "scope"},
        {"users.dept1", "dept_officer", NULL, "500103", TEST_PASSWORD, 400,
         "DEPARTMENT_INVALID", "department"},
        {"users.dept2", "dept_officer", "police", "500103", TEST_PASSWORD,
         400, "DEPARTMENT_INVALID", "department"},
        {"users.dept3", "town_clerk", "medical", "500103001", TEST_PASSWORD,
         400, "DEPARTMENT_NOT_ALLOWED", "department"},
        {"users.role1", "superuser", NULL, "50", TEST_PASSWORD, 400,
         "ROLE_INVALID", "role"},
        {"users.role2", "partner", NULL, "500103", TEST_PASSWORD, 400,
         "ROLE_INVALID", "role"},
        {"Users Bad", "town_clerk", NULL, "500103001", TEST_PASSWORD, 400,
         "USERNAME_INVALID", "username"},
    };
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
    api_call(&srv, admin, "POST", "/api/v1/api-tokens",
             "{\"name\":\"partner.one\",\"scope\":\"500103\"}", &r);
    expect_error(&r, 409, "TOKEN_NAME_TAKEN", "name");
    api_call(&srv, admin, "POST", "/api/v1/api-tokens",
             "{\"name\":\"Partner One\",\"scope\":\"500103\"}", &r);
    expect_error(&r, 400, "TOKEN_NAME_INVALID", "name");
    api_call(&srv, admin, "POST", "/api/v1/api-tokens",
             "{\"name\":\"partner.two\",\"scope\":\"500103001\"}", &r);
    expect_error(&r, 400, "SCOPE_NOT_FOR_ROLE", "scope");
    api_call(&srv, admin, "POST", "/api/v1/api-tokens",
             "{\"name\":\"partner.three\"}", &r);
    expect_error(&r, 400, "MISSING_FIELD", "scope");
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

/* ---- 10. 256 keep-alive connections at once ---- */

#define NCONN 256
#define PORTS_EACH 8

/* A block of NCONN * PORTS_EACH local ports below the kernel's ephemeral
 * range, varied by pid so that reruns do not meet their TIME_WAITs. */
static int
local_port_base(void)
{
    int lo = 32768, hi = 60999;
    FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
    if (f) {
        if (fscanf(f, "%d %d", &lo, &hi) != 2)
            lo = 32768;
        fclose(f);
    }
    int span = NCONN * PORTS_EACH;
    int blocks = (lo - 10000) / span;
    if (blocks < 1)
        return 61000; /* above the range instead */
    return 10000 + (int)(getpid() % blocks) * span;
}

struct conn {
    CURL *h;
    char body[256];
    size_t len;
    long port[2];
    long connects[2];
};

static size_t
conn_body(char *p, size_t size, size_t n, void *ctx)
{
    struct conn *c = ctx;
    size_t add = size * n;
    size_t room = sizeof(c->body) - 1 - c->len;
    memcpy(c->body + c->len, p, add < room ? add : room);
    c->len += add < room ? add : room;
    c->body[c->len] = '\0';
    return add;
}

static void
test_concurrent(void **state)
{
    (void)state;
    struct conn *c = calloc(NCONN, sizeof(*c));
    CURLM *m = curl_multi_init();
    char url[128];
    assert_non_null(c);
    assert_non_null(m);
    int port_base = local_port_base();
    snprintf(url, sizeof(url), "%s/version", srv.base);
    curl_multi_setopt(m, CURLMOPT_MAXCONNECTS, (long)NCONN * 2);
    curl_multi_setopt(m, CURLMOPT_PIPELINING, (long)CURLPIPE_NOTHING);

    double round_s[2] = {0, 0};
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < NCONN; i++) {
            if (!c[i].h) {
                c[i].h = curl_easy_init();
                assert_non_null(c[i].h);
                curl_easy_setopt(c[i].h, CURLOPT_URL, url);
                curl_easy_setopt(c[i].h, CURLOPT_TIMEOUT, 60L);
                curl_easy_setopt(c[i].h, CURLOPT_NOSIGNAL, 1L);
                curl_easy_setopt(c[i].h, CURLOPT_WRITEFUNCTION, conn_body);
                curl_easy_setopt(c[i].h, CURLOPT_WRITEDATA, &c[i]);
            }
            /* Each handle binds its own local port range, which libcurl
             * then also requires of a connection it reuses: so every
             * handle opens a connection of its own in the first round and
             * takes that same one again in the second. */
            curl_easy_setopt(c[i].h, CURLOPT_LOCALPORT,
                             (long)(port_base + i * PORTS_EACH));
            curl_easy_setopt(c[i].h, CURLOPT_LOCALPORTRANGE,
                             (long)PORTS_EACH);
            c[i].len = 0;
            c[i].body[0] = '\0';
            assert_int_equal(curl_multi_add_handle(m, c[i].h), CURLM_OK);
        }
        int running = 1, done = 0, ok = 0;
        uint64_t t0 = time_mono_us();
        while (running) {
            assert_int_equal(curl_multi_perform(m, &running), CURLM_OK);
            if (running)
                assert_int_equal(curl_multi_poll(m, NULL, 0, 1000, NULL),
                                 CURLM_OK);
            if (time_mono_us() - t0 > 90u * 1000 * 1000)
                fail_msg("round %d: transfers stalled (%d still running)",
                         round + 1, running);
        }
        round_s[round] = (double)(time_mono_us() - t0) / 1e6;
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(m, &left))) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            done++;
            struct conn *k = NULL;
            for (int i = 0; i < NCONN; i++)
                if (c[i].h == msg->easy_handle)
                    k = &c[i];
            assert_non_null(k);
            long code = 0;
            curl_easy_getinfo(k->h, CURLINFO_RESPONSE_CODE, &code);
            curl_easy_getinfo(k->h, CURLINFO_LOCAL_PORT, &k->port[round]);
            curl_easy_getinfo(k->h, CURLINFO_NUM_CONNECTS,
                              &k->connects[round]);
            if (msg->data.result == CURLE_OK && code == 200 &&
                strstr(k->body, "\"name\":\"doudi\""))
                ok++;
            else
                print_error("round %d: %s, status %ld\n", round + 1,
                            curl_easy_strerror(msg->data.result), code);
        }
        for (int i = 0; i < NCONN; i++)
            curl_multi_remove_handle(m, c[i].h);
        assert_int_equal(done, NCONN);
        assert_int_equal(ok, NCONN);
    }
    /* the first round opened 256 connections, all open together (each
     * its own local port); the second reused each one and opened none */
    int distinct = 0, reused = 0;
    for (int i = 0; i < NCONN; i++) {
        int dup = 0;
        for (int j = 0; j < i; j++)
            dup |= c[j].port[0] == c[i].port[0];
        distinct += !dup;
        reused += c[i].connects[0] == 1 && c[i].connects[1] == 0 &&
                  c[i].port[1] == c[i].port[0];
    }
    if (reused != NCONN) {
        /* seen once under a load of 7 (none reused): say which part of
         * the reuse failed, and how long each round took against the
         * server's 30 s idle timeout */
        int one = 0, none = 0, same = 0;
        for (int i = 0; i < NCONN; i++) {
            one += c[i].connects[0] == 1;
            none += c[i].connects[1] == 0;
            same += c[i].port[1] == c[i].port[0];
        }
        print_error("reuse: %d of %d opened one connection in round 1, %d "
                    "none in round 2, %d kept their port; rounds took "
                    "%.1f s and %.1f s\n",
                    one, NCONN, none, same, round_s[0], round_s[1]);
    }
    assert_int_equal(distinct, NCONN);
    assert_int_equal(reused, NCONN);
    for (int i = 0; i < NCONN; i++)
        curl_easy_cleanup(c[i].h);
    curl_multi_cleanup(m);

    /* 16 sign-ins at once, half of them failing: every one is audited, and
     * the chain stays whole however the writers interleave */
    int64_t seq0 = audit_tail_seq();
    CURLM *m2 = curl_multi_init();
    CURL *lh[16];
    char *lb[16];
    struct curl_slist *hdr =
        curl_slist_append(NULL, "Content-Type: application/json");
    char lurl[128];
    snprintf(lurl, sizeof(lurl), "%s/api/v1/session", srv.base);
    for (int i = 0; i < 16; i++) {
        lb[i] = login_body(princ_name[i % 10],
                           i % 2 ? "Wrong-Password-7" : TEST_PASSWORD);
        lh[i] = curl_easy_init();
        curl_easy_setopt(lh[i], CURLOPT_URL, lurl);
        curl_easy_setopt(lh[i], CURLOPT_POSTFIELDS, lb[i]);
        curl_easy_setopt(lh[i], CURLOPT_HTTPHEADER, hdr);
        curl_easy_setopt(lh[i], CURLOPT_WRITEFUNCTION, conn_body);
        curl_easy_setopt(lh[i], CURLOPT_WRITEDATA, &c[i]);
        curl_easy_setopt(lh[i], CURLOPT_TIMEOUT, 60L);
        curl_easy_setopt(lh[i], CURLOPT_NOSIGNAL, 1L);
        c[i].len = 0;
        curl_multi_add_handle(m2, lh[i]);
    }
    int running = 1;
    while (running) {
        assert_int_equal(curl_multi_perform(m2, &running), CURLM_OK);
        if (running)
            curl_multi_poll(m2, NULL, 0, 1000, NULL);
    }
    for (int i = 0; i < 16; i++) {
        long code = 0;
        curl_easy_getinfo(lh[i], CURLINFO_RESPONSE_CODE, &code);
        assert_int_equal(code, i % 2 ? 401 : 201);
        curl_multi_remove_handle(m2, lh[i]);
        curl_easy_cleanup(lh[i]);
        free(lb[i]);
    }
    curl_slist_free_all(hdr);
    curl_multi_cleanup(m2);
    assert_int_equal(audit_tail_seq(), seq0 + 16);
    struct audit_verdict v = {0};
    assert_int_equal(audit_verify(st, &v), DD_OK);
    assert_int_equal(v.bad_seq, 0);

    /* the server is still well */
    struct response r = {0};
    api_call(&srv, &sess[P_CITY], "GET", "/api/v1/session", NULL, &r);
    expect_status(&r, 200);
    response_free(&r);
    free(c);
}

/* ---- 11. policy parameters ---- */

/* The item of key in a reply's items, or NULL. */
static json_t *
policy_item(const struct response *r, const char *key)
{
    json_t *items = resp_get(r, "items"), *it;
    size_t i;
    json_array_foreach(items, i, it) {
        if (strcmp(json_string_value(json_object_get(it, "key")), key) == 0)
            return it;
    }
    return NULL;
}

static json_int_t
item_int(json_t *it, const char *field)
{
    assert_non_null(it);
    return json_integer_value(json_object_get(it, field));
}

static const char *
item_str(json_t *it, const char *field)
{
    assert_non_null(it);
    return json_string_value(json_object_get(it, field));
}

static char *
policy_body(const char *key, const char *region, const char *date,
            long long value, const char *unit, const char *source)
{
    json_t *o = json_object();
    json_object_set_new(o, "key", json_string(key));
    json_object_set_new(o, "region_code", json_string(region));
    json_object_set_new(o, "effective_from", json_string(date));
    json_object_set_new(o, "value", json_integer(value));
    json_object_set_new(o, "unit", json_string(unit));
    if (source)
        json_object_set_new(o, "source", json_string(source));
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

static void
test_policy(void **state)
{
    (void)state;
    struct response r = {0};
    struct client *city = &sess[P_CITY], *clerk = &sess[P_CLERK103];
    const char *urban = "dibao.standard.urban";

    /* the seed is loaded: 2023-09 raised the urban standard 717 → 735
     * (渝民发〔2023〕10号) */
    api_call(&srv, clerk, "GET", "/api/v1/policy?as_of=2023-08-31", NULL,
             &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "as_of"), "2023-08-31");
    assert_string_equal(resp_str(&r, "region"), "50");
    json_t *it = policy_item(&r, urban);
    assert_int_equal(item_int(it, "value"), 71700);
    assert_string_equal(item_str(it, "effective_from"), "2022-09-01");
    assert_string_equal(item_str(it, "region_code"), "50");
    assert_string_equal(item_str(it, "unit"), "fen/month");
    assert_non_null(item_str(it, "source"));
    assert_non_null(item_str(it, "confidence"));
    assert_int_equal(item_int(policy_item(&r, "dibao.standard.rural"),
                              "value"),
                     58100);
    /* 刚性支出 rules start 2025-01-01: not in force yet, left out */
    assert_null(policy_item(&r, "rigid.lookback_months"));
    api_call(&srv, clerk, "GET", "/api/v1/policy?as_of=2023-09-01", NULL,
             &r);
    expect_status(&r, 200);
    it = policy_item(&r, urban);
    assert_int_equal(item_int(it, "value"), 73500);
    assert_string_equal(item_str(it, "effective_from"), "2023-09-01");
    assert_int_equal(item_int(policy_item(&r, "tekun.basic"), "value"),
                     95500);
    /* today by default, one key */
    api_call(&srv, clerk, "GET", fmt("/api/v1/policy?key=%s", urban), NULL,
             &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "items")), 1);
    assert_true(item_int(policy_item(&r, urban), "value") >= 77000);
    assert_int_equal(strlen(resp_str(&r, "as_of")), 10);

    /* a district override through the API, from 2024-01-01 in 渝中区 */
    int64_t seq0 = audit_tail_seq();
    char *b = policy_body(urban, "500103", "2024-01-01", 80000, "fen/month",
                          "渝中区 test notice 2023-12");
    api_call(&srv, city, "POST", "/api/v1/policy", b, &r);
    expect_status(&r, 201);
    assert_string_equal(resp_str(&r, "region_code"), "500103");
    assert_string_equal(resp_str(&r, "effective_from"), "2024-01-01");
    assert_string_equal(resp_str(&r, "confidence"), "H");
    assert_string_equal(resp_str(&r, "created_by"), "city");
    assert_int_equal(json_integer_value(resp_get(&r, "value")), 80000);
    /* audited in the same transaction: exactly one row */
    assert_int_equal(audit_tail_seq(), seq0 + 1);
    json_t *rows = audit_rows(&sess[P_AUDITOR],
                              "object=policy:dibao.standard.urban/500103/"
                              "2024-01-01");
    assert_int_equal(json_array_size(rows), 1);
    json_t *row = json_array_get(rows, 0);
    assert_string_equal(json_string_value(json_object_get(row, "action")),
                        "policy.create");
    assert_string_equal(json_string_value(json_object_get(row, "actor")),
                        "city");
    assert_string_equal(json_string_value(json_object_get(row, "region")),
                        "500103");
    json_decref(rows);

    /* it takes effect at once, from its date, in its county only */
    const struct {
        const char *query;
        long long want;
        const char *from;
    } cases[] = {
        {"as_of=2024-01-01&region=500103", 80000, "500103"},
        {"as_of=2024-06-30&region=500103001", 80000, "500103"},
        {"as_of=2024-06-30&region=500103001003", 80000, "500103"},
        {"as_of=2023-12-31&region=500103", 73500, "50"},
        {"as_of=2024-01-01&region=500101", 73500, "50"},
        {"as_of=2024-01-01", 73500, "50"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        api_call(&srv, clerk, "GET",
                 fmt("/api/v1/policy?key=%s&%s", urban, cases[i].query), NULL,
                 &r);
        expect_status(&r, 200);
        it = policy_item(&r, urban);
        if (item_int(it, "value") != cases[i].want ||
            strcmp(item_str(it, "region_code"), cases[i].from) != 0)
            fail_msg("%s: got %lld from %s", cases[i].query,
                     (long long)item_int(it, "value"),
                     item_str(it, "region_code"));
    }
    /* and in the history, with the city's versions */
    api_call(&srv, &sess[P_MEDICAL], "GET",
             fmt("/api/v1/policy/history?key=%s", urban), NULL, &r);
    expect_status(&r, 200);
    json_t *items = resp_get(&r, "items");
    assert_true(json_array_size(items) >= 9);
    json_t *last = json_array_get(items, json_array_size(items) - 1);
    assert_string_equal(item_str(last, "region_code"), "500103");
    assert_string_equal(item_str(last, "created_by"), "city");
    assert_string_equal(item_str(json_array_get(items, 0), "effective_from"),
                        "2018-01-01");
    assert_string_equal(item_str(json_array_get(items, 0), "created_by"),
                        "cli");

    /* refusals leave no version and no audit row */
    seq0 = audit_tail_seq();
    /* a town clerk may read but not write */
    api_call(&srv, clerk, "POST", "/api/v1/policy", b, &r);
    expect_error(&r, 403, "FORBIDDEN", NULL);
    /* the same version again: 409, whatever the value */
    api_call(&srv, city, "POST", "/api/v1/policy", b, &r);
    expect_error(&r, 409, "POLICY_VERSION_EXISTS", "effective_from");
    free(b);
    b = policy_body(urban, "500103", "2024-01-01", 1, "fen/month", "x");
    api_call(&srv, city, "POST", "/api/v1/policy", b, &r);
    expect_error(&r, 409, "POLICY_VERSION_EXISTS", "effective_from");
    free(b);
    const struct {
        const char *key, *region, *date, *unit, *source;
        long long value;
        const char *code, *field;
    } bad[] = {
        {urban, "500103", "2024-02-30", "fen/month", "s", 1, "INVALID_DATE",
         "effective_from"},
        {urban, "500103", "2024/03/01", "fen/month", "s", 1, "INVALID_DATE",
         "effective_from"},
        {urban, "500103", "1999-03-01", "fen/month", "s", 1, "INVALID_DATE",
         "effective_from"},
        {urban, "500103", "2024-3-1", "fen/month", "s", 1, "TOO_SHORT",
         "effective_from"},
        {"dibao.standard.suburban", "50", "2024-03-01", "fen/month", "s", 1,
         "UNKNOWN_POLICY_KEY", "key"},
        {"DIBAO", "50", "2024-03-01", "fen/month", "s", 1,
         "UNKNOWN_POLICY_KEY", "key"},
        {urban, "500199", "2024-03-01", "fen/month", "s", 1,
         "UNKNOWN_REGION", "region_code"},
        {urban, "500103", "2024-03-01", "fen/month", "s", 1, NULL, NULL},
        {urban, "51", "2024-03-01", "fen/month", "s", 1, "UNKNOWN_REGION",
         "region_code"},
        {urban, "500000", "2024-03-01", "fen/month", "s", 1,
         "UNKNOWN_REGION", "region_code"},
        {urban, "50", "2024-03-01", "yuan/month", "s", 1, "UNIT_MISMATCH",
         "unit"},
        {urban, "50", "2024-03-01", "fen/month", "  ", 1, "SOURCE_REQUIRED",
         "source"},
        {urban, "50", "2024-03-01", "fen/month", "", 1, "TOO_SHORT",
         "source"},
        {urban, "50", "2024-03-01", "fen/month", NULL, 1, "MISSING_FIELD",
         "source"},
        {urban, "50", "2024-03-01", "fen/month", "s", -1, "OUT_OF_RANGE",
         "value"},
        {urban, "50", "2024-03-01", "fen/month", "s", 1000000001,
         "OUT_OF_RANGE", "value"},
        /* dibao.area.default is 0 mixed, 1 urban or 2 rural; a flag 0/1;
         * the spot-check share a percent */
        {"dibao.area.default", "500103", "2024-03-01", "mode", "s", 3,
         "OUT_OF_RANGE", "value"},
        {"dibao.confirm.delegated", "500103", "2024-03-01", "flag", "s", 2,
         "OUT_OF_RANGE", "value"},
        {"tekun.spot_check.percent", "500103", "2024-03-01", "percent", "s",
         101, "OUT_OF_RANGE", "value"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (!bad[i].code)
            continue; /* a 9-digit township is covered next */
        b = policy_body(bad[i].key, bad[i].region, bad[i].date, bad[i].value,
                        bad[i].unit, bad[i].source);
        api_call(&srv, city, "POST", "/api/v1/policy", b, &r);
        free(b);
        expect_error(&r, 400, bad[i].code, bad[i].field);
    }
    /* a township is not a level that carries overrides */
    b = policy_body(urban, "500103001", "2024-03-01", 1, "fen/month", "s");
    api_call(&srv, city, "POST", "/api/v1/policy", b, &r);
    free(b);
    expect_error(&r, 400, "TOO_LONG", "region_code");
    api_call(&srv, city, "POST", "/api/v1/policy",
             "{\"key\":\"dibao.standard.urban\",\"region_code\":\"50\","
             "\"effective_from\":\"2024-03-01\",\"value\":1,\"unit\":"
             "\"fen/month\",\"source\":\"s\",\"confidence\":\"sure\"}",
             &r);
    expect_error(&r, 400, "INVALID_CONFIDENCE", "confidence");
    api_call(&srv, city, "POST", "/api/v1/policy",
             "{\"key\":\"dibao.standard.urban\",\"region_code\":\"50\","
             "\"effective_from\":\"2024-03-01\",\"value\":1,\"unit\":"
             "\"fen/month\",\"source\":\"s\",\"note\":\"x\"}",
             &r);
    expect_error(&r, 400, "UNKNOWN_FIELD", "note");
    assert_int_equal(audit_tail_seq(), seq0);
    api_call(&srv, clerk, "GET",
             fmt("/api/v1/policy?key=%s&as_of=2024-03-01", urban), NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(item_int(policy_item(&r, urban), "value"), 73500);

    /* query parameters */
    api_call(&srv, clerk, "GET", "/api/v1/policy?as_of=2023-13-01", NULL,
             &r);
    expect_error(&r, 400, "INVALID_PARAMETER", "as_of");
    api_call(&srv, clerk, "GET",
             "/api/v1/policy?as_of=2023-10-01T00:00:00Z", NULL, &r);
    expect_error(&r, 400, "INVALID_PARAMETER", "as_of");
    api_call(&srv, clerk, "GET", "/api/v1/policy?region=5001", NULL, &r);
    expect_error(&r, 400, "INVALID_REGION_CODE", "region");
    api_call(&srv, clerk, "GET", "/api/v1/policy?region=510104", NULL, &r);
    expect_error(&r, 404, "REGION_NOT_FOUND", "region");
    api_call(&srv, clerk, "GET", "/api/v1/policy?key=no.such.key", NULL, &r);
    expect_error(&r, 404, "POLICY_KEY_NOT_FOUND", "key");
    api_call(&srv, clerk, "GET", "/api/v1/policy/history", NULL, &r);
    expect_error(&r, 400, "MISSING_PARAMETER", "key");
    api_call(&srv, clerk, "GET", "/api/v1/policy/history?key=no.such.key",
             NULL, &r);
    expect_error(&r, 404, "POLICY_KEY_NOT_FOUND", "key");
    /* before the seed's first date nothing is in force */
    api_call(&srv, clerk, "GET", "/api/v1/policy?as_of=2017-12-31", NULL,
             &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "items")), 0);
    response_free(&r);
}

/* ---- the self-check calculator ---- */

/* The program object of name in a calculator reply, or NULL. */
static json_t *
calc_program(const struct response *r, const char *name)
{
    json_t *progs = resp_get(r, "programs"), *p;
    size_t i;
    json_array_foreach(progs, i, p)
    {
        if (strcmp(json_string_value(json_object_get(p, "program")), name) ==
            0)
            return p;
    }
    return NULL;
}

static json_int_t
calc_amount(const struct response *r, const char *name)
{
    json_t *p = calc_program(r, name);
    assert_non_null(p);
    return json_integer_value(json_object_get(p, "monthly_amount_fen"));
}

static void
test_calculator(void **state)
{
    (void)state;
    struct response r = {0};

    /* 2022-08-31, urban standard 636 (渝民〔2021〕143号): per capita
     * 600 / 3 = 200; gap (636 − 200) × 3 = 1,308; spouse 重残 +60 and
     * 残疾人员 +40; child 在校学生 +100: 1,508.00 */
    api_call(&srv, NULL, "POST", "/api/v1/calculator?as_of=2022-08-31",
             CALC_HOUSEHOLD, &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "as_of"), "2022-08-31");
    assert_string_equal(resp_str(&r, "region_code"), "500103");
    assert_int_equal(calc_amount(&r, "dibao"), 150800);
    json_t *dibao = calc_program(&r, "dibao");
    assert_string_equal(
        json_string_value(json_object_get(dibao, "decision")), "eligible");
    /* the parts and the explanation's amounts add up to the amount */
    json_int_t sum = 0;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(dibao, "parts"), i, x)
        sum += json_integer_value(json_object_get(x, "amount_fen"));
    assert_int_equal(sum, 150800);
    sum = 0;
    json_t *lines = json_object_get(dibao, "explanation");
    assert_true(json_array_size(lines) > 3);
    json_array_foreach(lines, i, x)
    {
        sum += json_integer_value(json_object_get(x, "amount_fen"));
        assert_non_null(json_string_value(json_object_get(x, "rule")));
        assert_non_null(json_string_value(json_object_get(x, "clause")));
        assert_true(json_is_object(json_object_get(x, "values")));
        assert_true(strlen(json_string_value(json_object_get(x, "text_zh"))) >
                    0);
        assert_true(strlen(json_string_value(json_object_get(x, "text_en"))) >
                    0);
    }
    assert_int_equal(sum, 150800);
    assert_int_equal(calc_amount(&r, "tekun"), 0);
    assert_string_equal(json_string_value(json_object_get(
                            calc_program(&r, "tekun"), "decision")),
                        "not_eligible");

    /* 2023-10-01, standard 735 (渝民发〔2023〕10号): (735 − 200) × 3 = 1,605
     * + 200 = 1,805.00; a signed-in caller gets the same (public route) */
    api_call(&srv, &sess[P_CITY], "POST",
             "/api/v1/calculator?as_of=2023-10-01", CALC_HOUSEHOLD, &r);
    expect_status(&r, 200);
    assert_int_equal(calc_amount(&r, "dibao"), 180500);

    /* as_of defaults to today: some answer, dated */
    api_call(&srv, NULL, "POST", "/api/v1/calculator", CALC_MINIMAL, &r);
    expect_status(&r, 200);
    assert_non_null(resp_str(&r, "as_of"));

    /* bad bodies name the field by its path */
    static const struct {
        const char *body, *code, *field;
    } bad[] = {
        {"{\"region_code\":\"500103\",\"urban_or_rural\":\"urban\","
         "\"members\":[{\"relation\":\"applicant\",\"age\":40},"
         "{\"relation\":\"spouse\",\"age\":38,\"incomes\":{\"wages\":"
         "\"lots\"}}]}",
         "WRONG_TYPE", "members[1].incomes.wages"},
        {"{\"region_code\":\"500103\",\"urban_or_rural\":\"urban\","
         "\"members\":[{\"relation\":\"applicant\",\"age\":40,"
         "\"incomes\":{\"wages\":-1}}]}",
         "OUT_OF_RANGE", "members[0].incomes.wages"},
        {"{\"region_code\":\"500103\",\"urban_or_rural\":\"urban\","
         "\"members\":[{\"relation\":\"applicant\",\"age\":40,"
         "\"incomes\":{\"salary\":1}}]}",
         "UNKNOWN_FIELD", "members[0].incomes.salary"},
        /* no identity is taken */
        {"{\"region_code\":\"500103\",\"urban_or_rural\":\"urban\","
         "\"members\":[{\"relation\":\"applicant\",\"age\":40,"
         "\"name\":\"张三\"}]}",
         "UNKNOWN_FIELD", "members[0].name"},
        {"{\"region_code\":\"500103\",\"urban_or_rural\":\"urban\","
         "\"id_number\":\"x\",\"members\":[]}",
         "UNKNOWN_FIELD", "id_number"},
        {"{\"region_code\":\"500103\",\"urban_or_rural\":\"urban\","
         "\"members\":[{\"age\":40}]}",
         "MISSING_FIELD", "members[0].relation"},
        {"{\"region_code\":\"500103\",\"urban_or_rural\":\"urban\","
         "\"members\":[{\"relation\":\"applicant\"}]}",
         "MISSING_FIELD", "members[0].birth_date"},
        {"{\"region_code\":\"500103\",\"urban_or_rural\":\"urban\","
         "\"members\":[{\"relation\":\"cousin\",\"age\":40}]}",
         "INVALID_VALUE", "members[0].relation"},
        {"{\"region_code\":\"500103\",\"urban_or_rural\":\"urban\","
         "\"members\":[{\"relation\":\"applicant\",\"age\":40,"
         "\"selfcare_unable\":[\"eating\",\"flying\"]}]}",
         "INVALID_VALUE", "members[0].selfcare_unable[1]"},
        {"{\"region_code\":\"500103\",\"urban_or_rural\":\"urban\","
         "\"members\":[{\"relation\":\"applicant\",\"age\":40,"
         "\"disability_category\":\"visual\"}]}",
         "INVALID_VALUE", "members[0].disability_grade"},
        {"{\"region_code\":\"500103\",\"urban_or_rural\":\"urban\","
         "\"members\":[{\"relation\":\"applicant\",\"age\":40}],"
         "\"assets\":[{\"kind\":\"deposit\",\"owner_member\":3,"
         "\"value_fen\":1}]}",
         "INVALID_VALUE", "assets[0].owner_member"},
        {"{\"region_code\":\"500103\",\"urban_or_rural\":\"town\","
         "\"members\":[{\"relation\":\"applicant\",\"age\":40}]}",
         "INVALID_VALUE", "urban_or_rural"},
        {"{\"urban_or_rural\":\"urban\","
         "\"members\":[{\"relation\":\"applicant\",\"age\":40}]}",
         "MISSING_FIELD", "region_code"},
        {"{\"region_code\":\"5001\",\"urban_or_rural\":\"urban\","
         "\"members\":[{\"relation\":\"applicant\",\"age\":40}]}",
         "INVALID_REGION_CODE", "region_code"},
        {"{\"region_code\":\"500199\",\"urban_or_rural\":\"urban\","
         "\"members\":[{\"relation\":\"applicant\",\"age\":40}]}",
         "REGION_NOT_FOUND", "region_code"},
        {"{\"region_code\":\"500103\",\"urban_or_rural\":\"urban\","
         "\"members\":{}}",
         "WRONG_TYPE", "members"},
        {"[1]", "NOT_AN_OBJECT", NULL},
        {"{\"region_code\":", "MALFORMED_JSON", NULL},
    };
    for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        api_call(&srv, NULL, "POST", "/api/v1/calculator?as_of=2023-10-01",
                 bad[k].body, &r);
        expect_error(&r, 400, bad[k].code, bad[k].field);
    }
    /* the date */
    api_call(&srv, NULL, "POST", "/api/v1/calculator?as_of=2023-02-30",
             CALC_MINIMAL, &r);
    expect_error(&r, 400, "INVALID_PARAMETER", "as_of");
    api_call(&srv, NULL, "POST", "/api/v1/calculator?as_of=2023-10-01&x=1",
             CALC_MINIMAL, &r);
    expect_error(&r, 400, "UNKNOWN_PARAMETER", "x");
    /* before the policy table covers: the missing key is named */
    api_call(&srv, NULL, "POST", "/api/v1/calculator?as_of=2015-06-01",
             CALC_MINIMAL, &r);
    expect_error(&r, 422, "POLICY_NOT_IN_FORCE", "dibao.standard.urban");
    /* JSON only */
    struct request rq = {.method = "POST",
                         .path = "/api/v1/calculator?as_of=2023-10-01",
                         .body = CALC_MINIMAL,
                         .content_type = "text/plain"};
    http_do(&srv, &rq, &r);
    expect_error(&r, 415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type");
    /* one route, POST only */
    api_call(&srv, NULL, "GET", "/api/v1/calculator", NULL, &r);
    expect_error(&r, 405, "METHOD_NOT_ALLOWED", NULL);
    response_free(&r);
}

/* ---- assessing a stored household ---- */

static void
test_household_assessment(void **state)
{
    (void)state;
    struct response r = {0};
    struct client *clerk = &sess[P_CLERK103];
    char app[19], spouse[19], kid[19];
    snprintf(app, sizeof(app), "%s", idnum_in("500103", "19800315", 611));
    snprintf(spouse, sizeof(spouse), "%s", idnum_in("500103", "19820601", 612));
    snprintf(kid, sizeof(kid), "%s", idnum_in("500103", "20120901", 614));

    /* CALC_HOUSEHOLD registered with identities (urban, 渝中区 village
     * 500103001006): applicant wages 600.00; spouse 肢体 grade 2 with the
     * 两项补贴 80.00 (an excluded income); a child in compulsory school;
     * deposits 5,000.00; one 60 m² dwelling; the applicant is the others'
     * obligor */
    api_call(&srv, clerk, "POST", "/api/v1/households",
             fmt("{\"region_code\":\"500103001006\",\"hukou_region\":"
                 "\"500103001006\",\"address\":\"和平路 9 号\","
                 "\"urban_or_rural\":\"urban\",\"members\":["
                 "{\"id_number\":\"%s\",\"name\":\"李大\",\"relation\":"
                 "\"applicant\",\"employed\":true,\"incomes\":[{\"kind\":"
                 "\"wages\",\"monthly_fen\":60000}]},"
                 "{\"id_number\":\"%s\",\"name\":\"王二\",\"relation\":"
                 "\"spouse\",\"disability_category\":4,"
                 "\"disability_grade\":2,\"disability_card\":\"%s42\","
                 "\"work_capacity\":\"none\","
                 "\"incomes\":[{\"kind\":\"ex_disability_subsidy\","
                 "\"monthly_fen\":8000}]},"
                 "{\"id_number\":\"%s\",\"name\":\"李小\",\"relation\":"
                 "\"child\",\"schooling\":\"compulsory\"}],"
                 "\"assets\":[{\"kind\":\"deposit\",\"value_fen\":500000},"
                 "{\"kind\":\"dwelling\",\"area_dm2\":6000}],"
                 "\"obligors\":[{\"of_member\":1,\"relation\":\"spouse\","
                 "\"name\":\"李大\",\"birth_date\":\"1980-03-15\","
                 "\"income_monthly_fen\":60000},{\"of_member\":2,"
                 "\"relation\":\"parent\",\"name\":\"李大\",\"birth_date\":"
                 "\"1980-03-15\",\"income_monthly_fen\":60000}]}",
                 app, spouse, spouse, kid),
             &r);
    expect_status(&r, 201);
    int64_t id = (int64_t)json_integer_value(resp_get(&r, "id"));
    char obj[40], path[64]; /* fmt's buffers are reused */
    snprintf(obj, sizeof(obj), "household:%lld", (long long)id);
    snprintf(path, sizeof(path), "/api/v1/households/%lld/assessment",
             (long long)id);
    size_t audited = audit_rows_of(obj);

    /* 2022-08-31, urban standard 636.00 (渝民〔2021〕143号): per capita
     * 600 / 3 = 200; gap (636 − 200) × 3 = 1,308; spouse 重残 +60 and
     * 残疾人员 +40; child 在校学生 +100: 1,508.00 */
    api_call(&srv, clerk, "POST", fmt("%s?as_of=2022-08-31", path), NULL, &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "as_of"), "2022-08-31");
    assert_string_equal(resp_str(&r, "region_code"), "500103001006");
    assert_int_equal(calc_amount(&r, "dibao"), 150800);
    json_t *dibao = calc_program(&r, "dibao");
    assert_string_equal(
        json_string_value(json_object_get(dibao, "decision")), "eligible");
    assert_true(json_array_size(json_object_get(dibao, "explanation")) > 3);
    assert_true(json_array_size(json_object_get(dibao, "parts")) > 0);
    assert_int_equal(calc_amount(&r, "tekun"), 0);
    /* no identity in the reply */
    assert_null(strstr(r.body, app));
    assert_null(strstr(r.body, spouse));
    /* a read of personal data: one household.assess row */
    assert_int_equal(audit_rows_of(obj), audited + 1);

    /* 2023-10-01, standard 735.00 (渝民发〔2023〕10号): (735 − 200) × 3 =
     * 1,605 + 200 = 1,805.00, the calculator's figure */
    api_call(&srv, &sess[P_COUNTY103], "POST",
             fmt("%s?as_of=2023-10-01", path), NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(calc_amount(&r, "dibao"), 180500);
    assert_int_equal(audit_rows_of(obj), audited + 2);

    /* today by default */
    api_call(&srv, clerk, "POST", path, NULL, &r);
    expect_status(&r, 200);
    assert_non_null(resp_str(&r, "as_of"));

    /* out of scope: not found, and not audited; the sysadmin: forbidden */
    api_call(&srv, &sess[P_COUNTY101], "POST",
             fmt("%s?as_of=2023-10-01", path), NULL, &r);
    expect_error(&r, 404, "NOT_FOUND", NULL);
    api_call(&srv, &sess[P_CLERK101], "POST",
             fmt("%s?as_of=2023-10-01", path), NULL, &r);
    expect_error(&r, 404, "NOT_FOUND", NULL);
    api_call(&srv, &sess[P_ADMIN], "POST", fmt("%s?as_of=2023-10-01", path),
             NULL, &r);
    expect_error(&r, 403, "FORBIDDEN", NULL);
    assert_int_equal(audit_rows_of(obj), audited + 3);
    /* a household that does not exist, a bad date, a date before the
     * policy table */
    api_call(&srv, clerk, "POST", "/api/v1/households/999999/assessment",
             NULL, &r);
    expect_error(&r, 404, "NOT_FOUND", NULL);
    api_call(&srv, clerk, "POST", fmt("%s?as_of=2023-02-30", path), NULL, &r);
    expect_error(&r, 400, "INVALID_PARAMETER", "as_of");
    api_call(&srv, clerk, "POST", fmt("%s?as_of=2015-06-01", path), NULL, &r);
    expect_error(&r, 422, "POLICY_NOT_IN_FORCE", "dibao.standard.urban");
    assert_int_equal(audit_rows_of(obj), audited + 3);
    response_free(&r);
}

/* ---- the urban or rural standard: the household's or its district's ---- */

/* s with the first "from" replaced by "to" (in one of fmt's buffers). */
static const char *
replaced(const char *s, const char *from, const char *to)
{
    const char *at = strstr(s, from);
    assert_non_null(at);
    return fmt("%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
}

/* The first explanation line's rule of a program in an assessment reply. */
static const char *
first_rule(const struct response *r, const char *prog)
{
    json_t *lines = json_object_get(calc_program(r, prog), "explanation");
    return json_string_value(json_object_get(json_array_get(lines, 0), "rule"));
}

/* domain.md §7.1 and the seed: 南岸 500108 applies the urban figure to all
 * residents from 2023-09-01 (dibao.area.default 1); the city default is 0
 * (mixed: each household's own setting). CALC_HOUSEHOLD with its hukou in
 * 南岸, on 2023-10-01 (urban 735, rural 600, 渝民发〔2023〕10号):
 *   "district" (the default when omitted) → urban: per capita 600 / 3 =
 *     200; (735 − 200) × 3 = 1,605 + 重残 60 + 残疾人员 40 + 在校学生 100
 *     = 1,805.00;
 *   explicit "rural" wins: (600 − 200) × 3 = 1,200 + 200 = 1,400.00;
 *   "district" with the hukou in 渝中 500103 (mixed) → 400 on create or
 *     replace, 422 on assessment and in the calculator, naming
 *     urban_or_rural; 南岸 on 2022-08-31, before its row, is mixed too. */
static void
test_household_area(void **state)
{
    (void)state;
    struct response r = {0};
    struct client *clerk = &sess[P_CLERK103];
    char app[19], spouse[19], kid[19];
    snprintf(app, sizeof(app), "%s", idnum_in("500103", "19800315", 621));
    snprintf(spouse, sizeof(spouse), "%s", idnum_in("500103", "19820601", 622));
    snprintf(kid, sizeof(kid), "%s", idnum_in("500103", "20120901", 624));
    /* living in 渝中 (the clerk's scope), hukou in 南岸; no urban_or_rural */
    char *body = strdup(fmt(
        "{\"region_code\":\"500103001006\",\"hukou_region\":"
        "\"500108001002\",\"address\":\"和平路 10 号\",\"members\":["
        "{\"id_number\":\"%s\",\"name\":\"赵大\",\"relation\":"
        "\"applicant\",\"employed\":true,\"incomes\":[{\"kind\":"
        "\"wages\",\"monthly_fen\":60000}]},"
        "{\"id_number\":\"%s\",\"name\":\"钱二\",\"relation\":"
        "\"spouse\",\"disability_category\":4,"
        "\"disability_grade\":2,\"disability_card\":\"%s42\","
        "\"work_capacity\":\"none\","
        "\"incomes\":[{\"kind\":\"ex_disability_subsidy\","
        "\"monthly_fen\":8000}]},"
        "{\"id_number\":\"%s\",\"name\":\"赵小\",\"relation\":"
        "\"child\",\"schooling\":\"compulsory\"}],"
        "\"assets\":[{\"kind\":\"deposit\",\"value_fen\":500000},"
        "{\"kind\":\"dwelling\",\"area_dm2\":6000}]}",
        app, spouse, spouse, kid));

    /* the same household with its hukou in 渝中 (mixed): refused, and
     * nothing stored */
    api_call(&srv, clerk, "POST", "/api/v1/households",
             replaced(body, "\"hukou_region\":\"500108001002\"",
                      "\"hukou_region\":\"500103001006\""),
             &r);
    expect_error(&r, 400, "DISTRICT_AREA_MIXED", "urban_or_rural");
    assert_non_null(strstr(r.body, "urban"));
    api_call(&srv, clerk, "POST", "/api/v1/households",
             replaced(body, "\"members\"", "\"urban_or_rural\":\"town\","
                                           "\"members\""),
             &r);
    expect_error(&r, 400, "UNKNOWN_CODE", "urban_or_rural");

    api_call(&srv, clerk, "POST", "/api/v1/households", body, &r);
    expect_status(&r, 201);
    assert_string_equal(resp_str(&r, "urban_or_rural"), "district");
    int64_t id = (int64_t)json_integer_value(resp_get(&r, "id"));
    char path[64], hpath[48];
    snprintf(path, sizeof(path), "/api/v1/households/%lld/assessment",
             (long long)id);
    snprintf(hpath, sizeof(hpath), "/api/v1/households/%lld", (long long)id);

    api_call(&srv, clerk, "POST", fmt("%s?as_of=2023-10-01", path), NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(calc_amount(&r, "dibao"), 180500);
    assert_string_equal(first_rule(&r, "dibao"), "area.district");
    assert_string_equal(first_rule(&r, "tekun"), "area.district");
    /* before 南岸's row: the city's mixed default, nothing to follow */
    api_call(&srv, clerk, "POST", fmt("%s?as_of=2022-08-31", path), NULL, &r);
    expect_error(&r, 422, "DISTRICT_AREA_MIXED", "urban_or_rural");

    /* a replace to explicit rural: the household's setting wins */
    api_call(&srv, clerk, "PUT", hpath,
             replaced(body, "\"members\"",
                      "\"urban_or_rural\":\"rural\",\"version\":1,"
                      "\"members\""),
             &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "urban_or_rural"), "rural");
    api_call(&srv, clerk, "POST", fmt("%s?as_of=2023-10-01", path), NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(calc_amount(&r, "dibao"), 140000);
    assert_string_equal(first_rule(&r, "dibao"), "area.household");
    /* a replace to "district" with the hukou moved to 渝中: refused */
    api_call(&srv, clerk, "PUT", hpath,
             replaced(replaced(body, "\"members\"",
                               "\"urban_or_rural\":\"district\","
                               "\"version\":2,\"members\""),
                      "\"hukou_region\":\"500108001002\"",
                      "\"hukou_region\":\"500103001006\""),
             &r);
    expect_error(&r, 400, "DISTRICT_AREA_MIXED", "urban_or_rural");
    api_call(&srv, clerk, "GET", hpath, NULL, &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "urban_or_rural"), "rural");
    free(body);

    /* the calculator: "district" follows county_code, else region_code's
     * county */
    const char *calc = replaced(CALC_HOUSEHOLD, "\"urban_or_rural\":\"urban\"",
                                "\"urban_or_rural\":\"district\","
                                "\"county_code\":\"500108\"");
    api_call(&srv, NULL, "POST", "/api/v1/calculator?as_of=2023-10-01", calc,
             &r);
    expect_status(&r, 200);
    assert_int_equal(calc_amount(&r, "dibao"), 180500);
    assert_string_equal(first_rule(&r, "dibao"), "area.district");
    api_call(&srv, NULL, "POST", "/api/v1/calculator?as_of=2023-10-01",
             replaced(CALC_HOUSEHOLD, "\"urban_or_rural\":\"urban\"",
                      "\"urban_or_rural\":\"rural\","
                      "\"county_code\":\"500108\""),
             &r);
    expect_status(&r, 200);
    assert_int_equal(calc_amount(&r, "dibao"), 140000);
    api_call(&srv, NULL, "POST", "/api/v1/calculator?as_of=2023-10-01",
             replaced(CALC_HOUSEHOLD, "\"urban_or_rural\":\"urban\"",
                      "\"urban_or_rural\":\"district\""),
             &r);
    expect_error(&r, 422, "DISTRICT_AREA_MIXED", "urban_or_rural");
    api_call(&srv, NULL, "POST", "/api/v1/calculator?as_of=2023-10-01",
             replaced(CALC_HOUSEHOLD, "\"urban_or_rural\":\"urban\"",
                      "\"urban_or_rural\":\"district\","
                      "\"county_code\":\"500199\""),
             &r);
    expect_error(&r, 400, "REGION_NOT_FOUND", "county_code");
    api_call(&srv, NULL, "POST", "/api/v1/calculator?as_of=2023-10-01",
             replaced(CALC_HOUSEHOLD, "\"urban_or_rural\":\"urban\"",
                      "\"urban_or_rural\":\"district\","
                      "\"county_code\":\"500108001\""),
             &r);
    expect_error(&r, 400, "INVALID_REGION_CODE", "county_code");
    response_free(&r);
}

/* ---- imports and exports ---- */

/* The n-th rejection's field as text ("" when absent). */
static const char *
rejection(const struct response *r, size_t n, const char *field)
{
    json_t *v = json_object_get(json_array_get(resp_get(r, "rejected"), n),
                                field);
    static char out[64];
    if (json_is_integer(v))
        snprintf(out, sizeof(out), "%lld", (long long)json_integer_value(v));
    else
        snprintf(out, sizeof(out), "%s",
                 json_is_string(v) ? json_string_value(v) : "");
    return out;
}

static void
test_imports(void **state)
{
    (void)state;
    struct response r = {0};
    char good[19], bad[19], far[19];
    snprintf(good, sizeof(good), "%s", idnum_in("500103", "19740404", 1));
    snprintf(bad, sizeof(bad), "%s", idnum_in("500103", "19740404", 2));
    bad[17] = bad[17] == '0' ? '1' : '0'; /* a wrong check character */
    snprintf(far, sizeof(far), "%s", idnum_in("500103", "19740404", 3));
    const char *csv = fmt(
        "户编号,与申请人关系,姓名,公民身份号码,现居住地区划代码,"
        "户籍地区划代码,城乡,工资性收入（元/月）\r\n"
        "A,申请人,导入甲,%s,500103001003,500103001003,城镇,1500.00\r\n"
        "B,申请人,导入乙,%s,500103001003,500103001003,城镇,\r\n"
        "C,申请人,导入丙,%s,500101017200,500101017200,农村,\r\n",
        good, bad, far);
    struct request rq = {.method = "POST", .path = "/api/v1/imports",
                         .body = csv, .sess = &sess[P_CLERK103],
                         .content_type = "text/csv"};
    http_do(&srv, &rq, &r);
    expect_status(&r, 200);
    assert_int_equal(json_integer_value(resp_get(&r, "inserted")), 1);
    assert_int_equal(json_integer_value(resp_get(&r, "skipped")), 0);
    assert_int_equal(json_integer_value(resp_get(&r, "rejected_count")), 2);
    assert_string_equal(rejection(&r, 0, "line"), "3");
    assert_string_equal(rejection(&r, 0, "column"), "公民身份号码");
    assert_string_equal(rejection(&r, 0, "code"), "INVALID_ID_CHECKSUM");
    assert_string_equal(rejection(&r, 1, "line"), "4");
    assert_string_equal(rejection(&r, 1, "column"), "现居住地区划代码");
    assert_string_equal(rejection(&r, 1, "code"), "OUT_OF_SCOPE");

    /* the same body again changes nothing */
    http_do(&srv, &rq, &r);
    expect_status(&r, 200);
    assert_int_equal(json_integer_value(resp_get(&r, "inserted")), 0);
    assert_int_equal(json_integer_value(resp_get(&r, "skipped")), 1);

    /* JSON is not CSV; the village assistant does not import */
    rq.content_type = NULL;
    http_do(&srv, &rq, &r);
    expect_error(&r, 415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type");
    rq.content_type = "text/csv";
    rq.sess = &sess[P_ASSISTANT];
    http_do(&srv, &rq, &r);
    expect_error(&r, 403, "FORBIDDEN", NULL);

    /* the export holds the imported household, masked */
    char masked[19];
    snprintf(masked, sizeof(masked), "%.6s********%.4s", good, good + 14);
    api_call(&srv, &sess[P_CLERK103], "GET",
             "/api/v1/exports/households?region=500103001003", NULL, &r);
    expect_status(&r, 200);
    assert_non_null(r.body);
    assert_non_null(strstr(r.body, fmt("导入甲,%s,500103001003", masked)));
    assert_null(strstr(r.body, good));
    assert_non_null(strstr(resp_header(&r, "Content-Type"), "text/csv"));
    api_call(&srv, &sess[P_CLERK103], "GET",
             "/api/v1/exports/households?format=xlsx", NULL, &r);
    expect_status(&r, 200);
    assert_true(r.body_len > 100 && memcmp(r.body, "PK", 2) == 0);
    api_call(&srv, &sess[P_CLERK103], "GET",
             "/api/v1/exports/households?format=pdf", NULL, &r);
    expect_error(&r, 400, "INVALID_PARAMETER", "format");
    /* out of scope: nothing of 万州区 */
    api_call(&srv, &sess[P_COUNTY101], "GET",
             "/api/v1/exports/households?region=500103", NULL, &r);
    expect_status(&r, 200);
    assert_null(strstr(r.body, "导入甲"));
    response_free(&r);
}

/* ---- the working-day calendar (docs/calendar.md) ---- */

static json_t *
day_at(const struct response *r, size_t i)
{
    json_t *days = resp_get(r, "days");
    assert_true(json_is_array(days));
    json_t *d = json_array_get(days, i);
    assert_non_null(d);
    return d;
}

static void
expect_day(const struct response *r, size_t i, const char *date, int working,
           const char *kind, const char *name)
{
    json_t *d = day_at(r, i);
    assert_string_equal(json_string_value(json_object_get(d, "date")), date);
    assert_int_equal(json_is_true(json_object_get(d, "working")), working);
    assert_string_equal(json_string_value(json_object_get(d, "kind")), kind);
    if (name)
        assert_string_equal(json_string_value(json_object_get(d, "name")),
                            name);
    else
        assert_true(json_is_null(json_object_get(d, "name")));
}

/* GET /api/v1/calendar/deadline: the deadline and its uncovered flag. */
static void
expect_deadline(struct client *s, const char *query, const char *want,
                int uncovered)
{
    struct response r = {0};
    api_call(&srv, s, "GET", fmt("/api/v1/calendar/deadline?%s", query), NULL,
             &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "deadline"), want);
    assert_int_equal(json_is_true(resp_get(&r, "uncovered")), uncovered);
    assert_true(json_is_boolean(resp_get(&r, "deadline_is_working_day")));
    response_free(&r);
}

static void
test_calendar(void **state)
{
    (void)state;
    struct response r = {0};
    struct client *s = &sess[P_CLERK103];

    /* Spring Festival 2022 (国办发明电〔2021〕11号): 01-29 and 01-30 worked,
     * 01-31..02-06 off */
    api_call(&srv, s, "GET", "/api/v1/calendar?from=2022-01-28&to=2022-02-08",
             NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "days")), 12);
    expect_day(&r, 0, "2022-01-28", 1, "workday", NULL);
    expect_day(&r, 1, "2022-01-29", 1, "adjusted_workday", "春节");
    expect_day(&r, 2, "2022-01-30", 1, "adjusted_workday", "春节");
    expect_day(&r, 3, "2022-01-31", 0, "holiday", "春节");
    expect_day(&r, 9, "2022-02-06", 0, "holiday", "春节");
    expect_day(&r, 10, "2022-02-07", 1, "workday", NULL);
    assert_int_equal(json_integer_value(json_object_get(day_at(&r, 1),
                                                        "weekday")), 6);
    /* 28, 29, 30, 7, 8 */
    assert_int_equal(json_integer_value(resp_get(&r, "working_days")), 5);
    json_t *years = resp_get(&r, "years");
    assert_int_equal(json_array_size(years), 1);
    assert_true(json_is_true(json_object_get(json_array_get(years, 0),
                                             "covered")));

    /* a span into a year without a notice: 2027 uncovered, weekdays */
    api_call(&srv, s, "GET", "/api/v1/calendar?from=2026-12-31&to=2027-01-02",
             NULL, &r);
    expect_status(&r, 200);
    years = resp_get(&r, "years");
    assert_int_equal(json_array_size(years), 2);
    assert_true(json_is_true(json_object_get(json_array_get(years, 0),
                                             "covered")));
    assert_int_equal(json_integer_value(json_object_get(
                         json_array_get(years, 1), "year")), 2027);
    assert_true(json_is_false(json_object_get(json_array_get(years, 1),
                                              "covered")));
    expect_day(&r, 1, "2027-01-01", 1, "workday", NULL);
    expect_day(&r, 2, "2027-01-02", 0, "weekend", NULL);

    /* a whole leap year is one span; one day more is not */
    api_call(&srv, s, "GET", "/api/v1/calendar?from=2024-01-01&to=2024-12-31",
             NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "days")), 366);
    api_call(&srv, s, "GET", "/api/v1/calendar?from=2024-01-01&to=2025-01-01",
             NULL, &r);
    expect_error(&r, 400, "INVALID_PARAMETER", "to");

    /* deadlines: the start day is never counted */
    expect_deadline(s, "from=2022-01-28&working_days=1", "2022-01-29", 0);
    expect_deadline(s, "from=2022-01-28&working_days=3", "2022-02-07", 0);
    expect_deadline(s, "from=2022-01-29&working_days=2", "2022-02-07", 0);
    expect_deadline(s, "from=2022-02-02&working_days=3", "2022-02-09", 0);
    expect_deadline(s, "from=2023-09-28&working_days=1", "2023-10-07", 0);
    expect_deadline(s, "from=2023-10-07&working_days=2", "2023-10-09", 0);
    expect_deadline(s, "from=2023-09-27&working_days=15", "2023-10-24", 0);
    expect_deadline(s, "from=2023-09-28&calendar_days=7", "2023-10-05", 0);
    expect_deadline(s, "from=2026-12-30&working_days=3", "2027-01-04", 1);
    expect_deadline(s, "from=2026-12-30&calendar_days=2", "2027-01-01", 1);
    expect_deadline(s, "from=2024-02-28&working_days=1", "2024-02-29", 0);
    api_call(&srv, s, "GET",
             "/api/v1/calendar/deadline?from=2023-09-28&calendar_days=7",
             NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_integer_value(resp_get(&r, "calendar_days")), 7);
    assert_true(json_is_false(resp_get(&r, "deadline_is_working_day")));
    assert_false(has_key(&r, "working_days"));

    /* bilingual 400s naming the parameter */
    api_call(&srv, s, "GET", "/api/v1/calendar?from=2023-02-29&to=2023-03-01",
             NULL, &r);
    expect_error(&r, 400, "INVALID_PARAMETER", "from");
    api_call(&srv, s, "GET", "/api/v1/calendar?from=2023-03-01&to=2023-3-2",
             NULL, &r);
    expect_error(&r, 400, "INVALID_PARAMETER", "to");
    api_call(&srv, s, "GET", "/api/v1/calendar?from=2023-03-02&to=2023-03-01",
             NULL, &r);
    expect_error(&r, 400, "INVALID_PARAMETER", "to");
    api_call(&srv, s, "GET", "/api/v1/calendar?from=2023-03-01", NULL, &r);
    expect_error(&r, 400, "MISSING_PARAMETER", "to");
    api_call(&srv, s, "GET", "/api/v1/calendar/deadline?from=2023-03-01",
             NULL, &r);
    expect_error(&r, 400, "MISSING_PARAMETER", "working_days");
    api_call(&srv, s, "GET",
             "/api/v1/calendar/deadline?from=2023-03-01&working_days=1"
             "&calendar_days=1",
             NULL, &r);
    expect_error(&r, 400, "INVALID_PARAMETER", "calendar_days");
    api_call(&srv, s, "GET",
             "/api/v1/calendar/deadline?from=2023-03-01&working_days=1001",
             NULL, &r);
    expect_error(&r, 400, "INVALID_PARAMETER", "working_days");
    api_call(&srv, s, "GET",
             "/api/v1/calendar/deadline?from=2023-03-01&working_days=-1",
             NULL, &r);
    expect_error(&r, 400, "INVALID_PARAMETER", "working_days");
    api_call(&srv, s, "GET",
             "/api/v1/calendar/deadline?from=20230301&working_days=1", NULL,
             &r);
    expect_error(&r, 400, "INVALID_PARAMETER", "from");
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

/* Whether the file holds the text. */
static int
file_has(const char *path, const char *text)
{
    FILE *f = fopen(path, "r");
    char line[4096];
    int found = 0;
    assert_non_null(f);
    while (!found && fgets(line, sizeof(line), f))
        found = strstr(line, text) != NULL;
    fclose(f);
    return found;
}

static void
test_citizen(void **state)
{
    (void)state;
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
        char db[1200], lname[300];
        const char *env[] = {"DOUDI_OTP_ADDRESS_RATE=2", NULL};
        harness_tmp_path(db, sizeof(db), "otp.db");
        memmove(db + 7, db, strlen(db) + 1);
        memcpy(db, "sqlite:", 7);
        snprintf(lname, sizeof(lname), "%s.otp.log", log_name);
        assert_int_equal(server_start(&small, db, lname, env), 0);
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
        char db[1200], lname[300];
        const char *env[] = {"DOUDI_OTP_SENDER=none", NULL};
        harness_tmp_path(db, sizeof(db), "nosender.db");
        memmove(db + 7, db, strlen(db) + 1);
        memcpy(db, "sqlite:", 7);
        snprintf(lname, sizeof(lname), "%s.nosender.log", log_name);
        assert_int_equal(server_start(&small, db, lname, env), 0);
        api_call(&small, NULL, "POST", "/api/v1/citizen/otp",
                 "{\"phone\":\"13812340008\"}", &r);
        expect_error(&r, 503, "OTP_SENDER_UNAVAILABLE", NULL);
        assert_int_equal(server_stop(&small), 0);
    }
    response_free(&r);
}

/* The household with this applicant, read back (id and version). */
static int64_t
imported(const char *applicant, struct response *r)
{
    api_call(&srv, &sess[P_CLERK103], "GET",
             fmt("/api/v1/households?id_number=%s", applicant), NULL, r);
    expect_status(r, 200);
    assert_int_equal(json_array_size(resp_get(r, "items")), 1);
    int64_t id = json_integer_value(
        json_object_get(json_array_get(resp_get(r, "items"), 0), "id"));
    api_call(&srv, &sess[P_CLERK103], "GET",
             fmt("/api/v1/households/%lld", (long long)id), NULL, r);
    expect_status(r, 200);
    return id;
}

/* Asset and obligor rows, a household's rows apart, a changed household
 * updated with a new version and an unchanged re-run that changes
 * nothing, on either store. */
static void
test_imports_rows(void **state)
{
    (void)state;
    struct response r = {0};
    char a1[19], a2[19], e1[19];
    snprintf(a1, sizeof(a1), "%s", idnum_in("500103", "19740505", 1));
    snprintf(a2, sizeof(a2), "%s", idnum_in("500103", "19740505", 2));
    snprintf(e1, sizeof(e1), "%s", idnum_in("500103", "19740505", 3));
    const char *head =
        "户编号,行类型,与申请人关系,姓名,公民身份号码,现居住地区划代码,"
        "户籍地区划代码,城乡,工资性收入（元/月）,基础养老金（元/月）,"
        "所属成员身份号码,与所属成员关系,资产类别,资产价值（元）,"
        "住房面积（平方米）,义务人情形\r\n";
    /* D's spouse, dwelling and obligor come after E */
    char *body = strdup(fmt(
        "%s"
        "D,,申请人,行甲,%s,500103001003,500103001003,城镇,1500.00,,,,,,,\r\n"
        "E,,申请人,行丙,%s,500103001003,500103001003,农村,,,,,,,,\r\n"
        "D,成员,配偶,行乙,%s,,,,,120.00,,,,,,\r\n"
        "D,资产,,,,,,,,,%s,,住房,250000.00,64.50,\r\n"
        "D,义务人,,行父,,,,,,,%s,子女,,,,服刑、低保对象\r\n",
        head, a1, e1, a2, a1, a1));
    assert_non_null(body);
    struct request rq = {.method = "POST", .path = "/api/v1/imports",
                         .body = body, .sess = &sess[P_CLERK103],
                         .content_type = "text/csv"};
    http_do(&srv, &rq, &r);
    expect_status(&r, 200);
    assert_int_equal(json_integer_value(resp_get(&r, "inserted")), 2);
    assert_int_equal(json_integer_value(resp_get(&r, "rejected_count")), 0);
    int64_t id = imported(a1, &r);
    assert_int_equal(json_integer_value(resp_get(&r, "version")), 1);
    assert_int_equal(json_array_size(resp_get(&r, "members")), 2);
    json_t *as = json_array_get(resp_get(&r, "assets"), 0);
    assert_string_equal(json_string_value(json_object_get(as, "kind")),
                        "dwelling");
    assert_int_equal(json_integer_value(json_object_get(as, "value_fen")),
                     25000000);
    assert_int_equal(json_integer_value(json_object_get(as, "area_dm2")), 6450);
    assert_int_equal(json_integer_value(json_object_get(as, "owner_member")), 0);
    json_t *ob = json_array_get(resp_get(&r, "obligors"), 0);
    assert_int_equal(json_integer_value(json_object_get(ob, "of_member")), 0);
    assert_string_equal(json_string_value(json_object_get(ob, "relation")),
                        "child");
    assert_true(json_is_true(json_object_get(ob, "in_prison")));
    assert_true(json_is_true(json_object_get(ob, "is_dibao_recipient")));
    assert_true(json_is_false(json_object_get(ob, "is_tekun")));
    int64_t audits = audit_rows_of(fmt("household:%lld", (long long)id));

    /* the same body again changes nothing */
    http_do(&srv, &rq, &r);
    expect_status(&r, 200);
    assert_int_equal(json_integer_value(resp_get(&r, "inserted")), 0);
    assert_int_equal(json_integer_value(resp_get(&r, "updated")), 0);
    assert_int_equal(json_integer_value(resp_get(&r, "skipped")), 2);
    imported(a1, &r);
    assert_int_equal(json_integer_value(resp_get(&r, "version")), 1);
    assert_int_equal(audit_rows_of(fmt("household:%lld", (long long)id)),
                     audits);

    /* D's wages change and the obligor goes: a new version of D, with a
     * household.update audit row; E is unchanged */
    char *changed = strdup(fmt(
        "%s"
        "D,,申请人,行甲,%s,500103001003,500103001003,城镇,1800.00,,,,,,,\r\n"
        "E,,申请人,行丙,%s,500103001003,500103001003,农村,,,,,,,,\r\n"
        "D,成员,配偶,行乙,%s,,,,,120.00,,,,,,\r\n"
        "D,资产,,,,,,,,,%s,,住房,250000.00,64.50,\r\n",
        head, a1, e1, a2, a1));
    assert_non_null(changed);
    rq.body = changed;
    http_do(&srv, &rq, &r);
    expect_status(&r, 200);
    assert_int_equal(json_integer_value(resp_get(&r, "inserted")), 0);
    assert_int_equal(json_integer_value(resp_get(&r, "updated")), 1);
    assert_int_equal(json_integer_value(resp_get(&r, "skipped")), 1);
    assert_int_equal(imported(a1, &r), id);
    assert_int_equal(json_integer_value(resp_get(&r, "version")), 2);
    assert_int_equal(json_array_size(resp_get(&r, "obligors")), 0);
    assert_int_equal(json_array_size(resp_get(&r, "members")), 2);
    assert_int_equal(audit_rows_of(fmt("household:%lld", (long long)id)),
                     audits + 1);
    /* ... and again: nothing */
    http_do(&srv, &rq, &r);
    expect_status(&r, 200);
    assert_int_equal(json_integer_value(resp_get(&r, "updated")), 0);
    assert_int_equal(json_integer_value(resp_get(&r, "skipped")), 2);
    imported(a1, &r);
    assert_int_equal(json_integer_value(resp_get(&r, "version")), 2);

    /* an asset naming no member: rejected on its line and column */
    char f1[19];
    snprintf(f1, sizeof(f1), "%s", idnum_in("500103", "19740505", 4));
    rq.body = fmt("%s"
                  "F,,申请人,行丁,%s,500103001003,500103001003,城镇,,,,,,,,"
                  "\r\n"
                  "F,资产,,,,,,,,,%s,,车辆,1000,,\r\n",
                  head, f1, e1 /* E's applicant: not in F */);
    http_do(&srv, &rq, &r);
    expect_status(&r, 200);
    assert_int_equal(json_integer_value(resp_get(&r, "inserted")), 0);
    assert_string_equal(rejection(&r, 0, "line"), "3");
    assert_string_equal(rejection(&r, 0, "column"), "所属成员身份号码");
    assert_string_equal(rejection(&r, 0, "code"), "NO_SUCH_MEMBER");
    response_free(&r);
    free(body);
    free(changed);
}

int
main(int argc, char **argv)
{
    if (harness_init(argc, argv) != 0)
        return 2;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_session),
        cmocka_unit_test(test_lockout),
        cmocka_unit_test(test_expiry),
        cmocka_unit_test(test_authz_matrix),
        cmocka_unit_test(test_households),
        cmocka_unit_test(test_household_replace),
        cmocka_unit_test(test_household_zone_list),
        cmocka_unit_test(test_validation),
        cmocka_unit_test(test_regions),
        cmocka_unit_test(test_audit),
        cmocka_unit_test(test_audit_scope),
        cmocka_unit_test(test_users),
        cmocka_unit_test(test_policy),
        cmocka_unit_test(test_calculator),
        cmocka_unit_test(test_household_assessment),
        cmocka_unit_test(test_household_area),
        cmocka_unit_test(test_imports),
        cmocka_unit_test(test_imports_rows),
        cmocka_unit_test(test_calendar),
        cmocka_unit_test(test_citizen),
        cmocka_unit_test(test_concurrent),
        cmocka_unit_test(test_headers),
    };
    int failed = cmocka_run_group_tests_name("api", tests, group_setup,
                                             group_teardown);
    harness_cleanup();
    return failed ? 1 : 0;
}
