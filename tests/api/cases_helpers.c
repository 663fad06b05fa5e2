/* SPDX-License-Identifier: MIT */
/* Filing and walking cases through the API for the suites. See
 * cases_helpers.h. */
#include "cases_helpers.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/timeutil.h"
#include "crypto/token.h"
#include "domain/workcal.h"

static struct tm
today_tm(void)
{
    time_t t = (time_t)(time_now() + 8 * 3600);
    struct tm tm;
    gmtime_r(&t, &tm);
    return tm;
}

int32_t
today_day(void)
{
    struct tm tm = today_tm();
    return workcal_day_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

const char *
today_date(void)
{
    struct tm tm = today_tm();
    return fmt("%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

const char *
today_month(int add_months)
{
    struct tm tm = today_tm();
    int m = tm.tm_year * 12 + tm.tm_mon + add_months;
    return fmt("%04d-%02d", m / 12 + 1900, m % 12 + 1);
}

int64_t
household_create(const struct server *s, const struct client *sess,
                 const char *body)
{
    struct response r = {0};
    api_call(s, sess, "POST", "/api/v1/households", body, &r);
    expect_status(&r, 201);
    int64_t id = (int64_t)json_integer_value(resp_get(&r, "id"));
    response_free(&r);
    return id;
}

int64_t
household_post(const struct server *s, const struct client *sess,
               const char *village, const char *address, const char *members)
{
    return household_create(
        s, sess,
        fmt("{\"region_code\":\"%s\",\"hukou_region\":\"%s\","
            "\"address\":\"%s\",\"urban_or_rural\":\"urban\","
            "\"members\":[%s]}",
            village, village, address, members));
}

int64_t
couple_post(const struct server *s, const struct client *sess,
            const char *address, const char *applicant, const char *born,
            const char *spouse, const char *spouse_born, int seq)
{
    return household_post(s, sess, "500101001001", address,
                          couple(applicant, born, spouse, spouse_born, seq));
}

const char *
couple(const char *applicant, const char *born, const char *spouse,
       const char *spouse_born, int seq)
{
    return fmt("{\"id_number\":\"%s\",\"name\":\"%s\","
               "\"relation\":\"applicant\"},{\"id_number\":\"%s\","
               "\"name\":\"%s\",\"relation\":\"spouse\"}",
               idnum_in("500101", born, 2 * seq + 1), applicant,
               idnum_in("500101", spouse_born, 2 * seq + 2), spouse);
}

long long
member_id(const struct server *s, const struct client *sess, int64_t hh,
          const char *name)
{
    struct response r = {0};
    api_call(s, sess, "GET", fmt("/api/v1/households/%lld", (long long)hh),
             NULL, &r);
    expect_status(&r, 200);
    json_t *ms = resp_get(&r, "members");
    long long id = 0;
    for (size_t i = 0; i < json_array_size(ms); i++) {
        json_t *m = json_array_get(ms, i);
        if (strcmp(jstr(m, "name"), name) == 0)
            id = jint(m, "id");
    }
    response_free(&r);
    assert_true(id > 0);
    return id;
}

void
apply(const struct server *s, const struct client *sess, int64_t hh,
      const char *items, const char *materials, const char *extra,
      struct response *r)
{
    api_call(s, sess, "POST", "/api/v1/applications",
             fmt("{\"household_id\":%lld,\"channel\":\"window\","
                 "\"items\":[%s],\"materials\":[%s]%s}",
                 (long long)hh, items, materials, extra ? extra : ""),
             r);
}

long long
apply_ok(const struct server *s, const struct client *sess, int64_t hh,
         const char *items, const char *materials, char no[32], char code[16])
{
    struct response r = {0};
    apply(s, sess, hh, items, materials, NULL, &r);
    expect_status(&r, 201);
    if (no)
        snprintf(no, 32, "%s", resp_str(&r, "case_no"));
    if (code)
        snprintf(code, 16, "%s", resp_str(&r, "query_code"));
    long long id = jint(item_at(&r, "items", 0), "id");
    response_free(&r);
    return id;
}

long long
item_get(const struct server *s, const struct client *sess, long long id,
         struct response *r)
{
    api_call(s, sess, "GET", fmt("/api/v1/case-items/%lld", id), NULL, r);
    expect_status(r, 200);
    return (long long)json_integer_value(resp_get(r, "item.version"));
}

const char *
step_of(const struct server *s, const struct client *sess, long long id)
{
    struct response r = {0};
    static char step[32];
    item_get(s, sess, id, &r);
    snprintf(step, sizeof(step), "%s", resp_str(&r, "item.step"));
    response_free(&r);
    return step;
}

void
act_r(const struct server *s, const struct client *sess, long long id,
      const char *action, const char *extra, struct response *r)
{
    long long v = 1; /* what a caller who cannot read it would send */
    api_call(s, sess, "GET", fmt("/api/v1/case-items/%lld", id), NULL, r);
    if (r->status == 200)
        v = (long long)json_integer_value(resp_get(r, "item.version"));
    api_call(s, sess, "POST", fmt("/api/v1/case-items/%lld/actions", id),
             fmt("{\"action\":\"%s\",\"version\":%lld%s}", action, v,
                 extra ? extra : ""),
             r);
}

void
act(const struct server *s, const struct client *sess, long long id,
    const char *action, const char *extra, long status)
{
    struct response r = {0};
    act_r(s, sess, id, action, extra, &r);
    if (r.status != status)
        fail_msg("%s on %lld as %s: %ld, want %ld: %.400s", action, id,
                 sess->user, r.status, status, r.body ? r.body : "");
    response_free(&r);
}

json_t *
inbox_task(const struct server *s, const struct client *sess,
           const char *case_no, long long id, struct response *r)
{
    api_call(s, sess, "GET", "/api/v1/tasks", NULL, r);
    expect_status(r, 200);
    json_t *a = resp_get(r, "items");
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *t = json_array_get(a, i), *it = json_object_get(t, "item");
        if (case_no ? strcmp(jstr(it, "case_no"), case_no) == 0
                    : jint(it, "id") == id)
            return t;
    }
    return NULL;
}

void
progress_get(const struct server *s, const char *case_no,
             const char *query_code, struct response *r)
{
    api_call(
        s, NULL, "GET",
        fmt("/api/v1/progress?case_no=%s&query_code=%s", case_no, query_code),
        NULL, r);
}

void
publicity_elapse(struct store *st, long long case_item_id)
{
    struct store_tx *tx = NULL;
    struct publicity_row p;
    assert_int_equal(store_tx_begin(st, STORE_WRITE, &tx), DD_OK);
    assert_int_equal(store_publicity_open_of_case(tx, case_item_id, &p), DD_OK);
    int32_t t = today_day();
    workcal_format_date(t - 8, p.start_day);
    workcal_format_date(t - 1, p.end_day);
    assert_int_equal(store_publicity_update(tx, &p), DD_OK);
    assert_int_equal(store_tx_commit(tx), DD_OK);
}

void
walk_past_publicity(const struct server *s, struct store *st,
                    const struct client *clerk, const struct client *county,
                    const struct client *reviewer, long long id)
{
    act(s, clerk, id, "submit", ",\"investigators\":[\"刘一\",\"陈二\"]", 200);
    if (county)
        act(s, county, id, "submit", NULL, 200);
    act(s, reviewer, id, "approve", NULL, 200); /* 初审: the reviewer's */
    publicity_elapse(st, id);
    act(s, clerk, id, "close", NULL, 200);
}

void
contact_set(struct store *st, const struct client *cit, int64_t hh)
{
    struct store_tx *tx = NULL;
    struct citizen_session_row row;
    struct household_row h;
    char hash[TOKEN_HASH_LEN + 1];
    token_hash(cit->token, hash);
    assert_int_equal(store_tx_begin(st, STORE_WRITE, &tx), DD_OK);
    assert_int_equal(store_citizen_session_get(tx, hash, &row), DD_OK);
    assert_int_equal(store_household_get(tx, hh, &h), DD_OK);
    snprintf(h.contact_phone_hash, sizeof(h.contact_phone_hash), "%s",
             row.phone_hash);
    assert_int_equal(store_household_update(tx, &h, h.version), DD_OK);
    assert_int_equal(store_tx_commit(tx), DD_OK);
}

int
doudi_check_run(const struct server *s, char *out, size_t cap)
{
    char cmd[4096];
    snprintf(cmd, sizeof(cmd),
             "env DOUDI_DB='%s' DOUDI_KEY_FILE='%s' '%s' check 2>&1",
             s->db_url, s->key_path, harness_doudi());
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, cap - 1, p);
    out[n] = '\0';
    return pclose(p);
}

long long
approved_dibao(const struct server *s, struct store *st,
               const struct client *clerk, const struct client *county,
               const struct client *reviewer, int seq, const char *applicant,
               long long *amount)
{
    struct response r = {0};
    int64_t hh = couple_post(s, county, "白岩路 11 号", applicant, "19600505",
                             "孙红", "19620606", seq);
    long long id =
        apply_ok(s, clerk, hh, "\"dibao\"", DIBAO_PAPERS, NULL, NULL);
    walk_past_publicity(s, st, clerk, county, reviewer, id);
    act(s, county, id, "submit", NULL, 200);
    act(s, county, id, "approve", NULL, 200);
    act(s, clerk, id, "notify", NULL, 200);
    item_get(s, county, id, &r);
    long long ent = json_integer_value(resp_get(&r, "entitlement.id"));
    *amount = json_integer_value(resp_get(&r, "entitlement.monthly_fen"));
    assert_true(ent > 0);
    assert_true(*amount > 20000);
    response_free(&r);
    return ent;
}
