/* SPDX-License-Identifier: MIT */
/* The principals and the setup of the staff-facing API suites: see
 * principals.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "principals.h"

#include "crypto/token.h"

struct server srv;
struct store *st;
char log_name[256];

/* ---- the principals ---- */

const char *const princ_name[NPRINC] = {
    "admin", "city", "auditor", "county.500103", "county.500101",
    "clerk.500103001", "reviewer.500103001", "clerk.500101001",
    "assistant.500103001003", "medical.500103", "auditor.500103",
    "token:matrix.partner", "anonymous",
};
const char *const princ_role[NPRINC] = {
    "sysadmin", "city_supervisor", "auditor", "county_officer",
    "county_officer", "town_clerk", "town_reviewer", "town_clerk",
    "village_assistant", "dept_officer", "auditor", "partner", NULL,
};

struct client sess[NPRINC];
struct client spare[NPRINC];
int64_t target_id;

/* ---- helpers ---- */

/* A JSON object from NULL-terminated key/value string pairs (values NULL
 * are left out); malloc'd. */
char *
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

char *
login_body(const char *user, const char *pw)
{
    return obj("username", user, "password", pw, NULL);
}

/* POST /api/v1/users as admin. */
void
create_user(const char *username, const char *role, const char *dept,
            const char *scope, const char *password, struct response *r)
{
    char *b = obj("username", username, "display_name", "测试用户", "role",
                  role, "department", dept, "scope", scope, "password",
                  password, NULL);
    api_call(&srv, &sess[P_ADMIN], "POST", "/api/v1/users", b, r);
    free(b);
}

int64_t
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

int
has_key(const struct response *r, const char *path)
{
    return resp_get(r, path) != NULL;
}

/* store access for what the API cannot do */

struct store_tx *
begin(enum store_mode mode)
{
    struct store_tx *tx = NULL;
    assert_int_equal(store_tx_begin(st, mode, &tx), DD_OK);
    return tx;
}

void
user_by_name(const char *name, struct user *u)
{
    struct store_tx *tx = begin(STORE_READ);
    enum dd_status rc = store_user_get_by_name(tx, name, u);
    store_tx_rollback(tx);
    assert_int_equal(rc, DD_OK);
}

void
session_row(const char *cookie, struct session *out)
{
    char hash[TOKEN_HASH_LEN + 1];
    token_hash(cookie, hash);
    struct store_tx *tx = begin(STORE_READ);
    enum dd_status rc = store_session_get(tx, hash, out);
    store_tx_rollback(tx);
    assert_int_equal(rc, DD_OK);
}

int64_t
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
char *
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

int64_t hh_id;

int64_t
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

long long
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

size_t
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

/* ---- the audit log, through the API ---- */

/* Every audit row matching query (paged), as a new JSON array. */
json_t *
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

size_t
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

/* ---- the group ---- */

int
principals_setup(void **state)
{
    (void)state;
    const char *url = harness_db_url();
    snprintf(log_name, sizeof(log_name), "%s-%s.log", harness_suite(),
             strncmp(url, "sqlite:", 7) == 0 ? "sqlite" : "postgresql");
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

/* Whether the file holds the text. */
int
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

/* Starts s, a server of its own with env (NULL-terminated), on the SQLite
 * database NAME.db in the harness's temporary directory, its log
 * LOG_NAME.NAME.log. */
void
small_start(struct server *s, const char *name, const char *const *env)
{
    char db[1200], lname[300];
    harness_tmp_path(db, sizeof(db), fmt("%s.db", name));
    memmove(db + 7, db, strlen(db) + 1);
    memcpy(db, "sqlite:", 7);
    snprintf(lname, sizeof(lname), "%s.%s.log", log_name, name);
    assert_int_equal(server_start(s, db, lname, env), 0);
}
