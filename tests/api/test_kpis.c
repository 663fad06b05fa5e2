/* SPDX-License-Identifier: MIT */
/* GET /api/v1/kpis on the real server (both stores): a small fixed set of
 * case items accepted in September 2023, around the National Day holiday
 * (2023-09-29..10-06 off, Saturday 10-07 and Sunday 10-08 worked), is
 * written straight into the store with fixed days (the API files cases on
 * today's date only), and every figure the report gives is recomputed by
 * hand below (the same cohort as tests/unit/test_kpi.c, now through SQL,
 * the catalog and the JSON/CSV/xlsx renderings). Also: scope, parameters,
 * and the rural/urban standard ratio. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases_helpers.h"
#include "harness.h"

#include "domain/workcal.h"

static struct server srv;
static struct store *st;
static struct client city, county101, county103, clerk101, admin, medical;

/* A one-person household in village; its id. */
static int64_t
household_in(const char *village, int seq)
{
    return household_post(&srv, &county101, village, "1 号",
                          fmt("{\"id_number\":\"%s\",\"name\":\"王%c明\","
                              "\"relation\":\"applicant\"}",
                              idnum_in("500101", "19700101", seq), 'a' + seq));
}

/* One case item of the fixed set. closed "" = still open. */
struct fixed {
    const char *item, *village, *channel;
    const char *accepted, *deadline, *closed, *decision;
    int64_t amount_fen, paused, visits;
    const char *referred, *answered; /* YYYY-MM-DD, NULL = none */
};

/* 10:00 in Shanghai on day s, as epoch seconds. */
static int64_t
at_ten(const char *s)
{
    int32_t d;
    assert_int_equal(workcal_parse_date(s, &d), 0);
    return (int64_t)d * 86400 + 2 * 3600;
}

static void
put(struct store_tx *tx, int64_t hh, int n, const struct fixed *f)
{
    struct application_row a;
    memset(&a, 0, sizeof(a));
    snprintf(a.case_no, sizeof(a.case_no), "5001012023%06d", 900000 + n);
    snprintf(a.county_code, sizeof(a.county_code), "500101");
    a.household_id = hh;
    snprintf(a.channel, sizeof(a.channel), "%s", f->channel);
    snprintf(a.intake_region, sizeof(a.intake_region), "%.9s", f->village);
    snprintf(a.intake_user, sizeof(a.intake_user), "kpi.fixture");
    memset(a.query_code_hash, 'a', 64);
    snprintf(a.applied_on, sizeof(a.applied_on), "%s", f->accepted);
    assert_int_equal(store_application_insert(tx, &a), DD_OK);

    struct case_item_row c;
    memset(&c, 0, sizeof(c));
    c.application_id = a.id;
    snprintf(c.county_code, sizeof(c.county_code), "500101");
    c.household_id = hh;
    snprintf(c.village_code, sizeof(c.village_code), "%s", f->village);
    snprintf(c.intake_region, sizeof(c.intake_region), "%.9s", f->village);
    snprintf(c.item_code, sizeof(c.item_code), "%s", f->item);
    c.catalog_version = 1;
    snprintf(c.owner_region, sizeof(c.owner_region), "500101");
    snprintf(c.step, sizeof(c.step), "review");
    snprintf(c.state, sizeof(c.state), "open");
    snprintf(c.accepted_on, sizeof(c.accepted_on), "%s", f->accepted);
    snprintf(c.deadline, sizeof(c.deadline), "%s", f->deadline);
    snprintf(c.step_started_on, sizeof(c.step_started_on), "%s", f->accepted);
    snprintf(c.step_deadline, sizeof(c.step_deadline), "%s", f->deadline);
    c.paused_working_days = f->paused;
    c.visits = f->visits;
    assert_int_equal(store_case_item_insert(tx, &c), DD_OK);
    if (*f->closed) {
        snprintf(c.state, sizeof(c.state), "closed");
        snprintf(c.step, sizeof(c.step), "closed");
        snprintf(c.closed_on, sizeof(c.closed_on), "%s", f->closed);
        snprintf(c.decision, sizeof(c.decision), "%s", f->decision);
        c.amount_fen = f->amount_fen;
        assert_int_equal(store_case_item_update(tx, &c, 1), DD_OK);
    }
    if (f->referred) {
        struct referral_row r;
        memset(&r, 0, sizeof(r));
        r.case_item_id = c.id;
        snprintf(r.county_code, sizeof(r.county_code), "500101");
        snprintf(r.department, sizeof(r.department), "medical");
        snprintf(r.region, sizeof(r.region), "500101");
        r.sent_at = at_ten(f->referred);
        assert_int_equal(store_referral_insert(tx, &r), DD_OK);
        if (f->answered) {
            r.accepted_at = r.sent_at;
            r.answered_at = at_ten(f->answered);
            snprintf(r.result, sizeof(r.result), "已救助");
            assert_int_equal(store_referral_update(tx, &r), DD_OK);
        }
    }
}

#define V1 "500101001001" /* 高笋塘街道 东方广场社区 */
#define V2 "500101017001" /* 太白街道 青羊宫社区 */

/* The cohort of tests/unit/test_kpi.c, with the hand-worked facts:
 *  c1 低保 window 09-04, due 10-08 (20 wd), approved 10-07: 19 wd, on time
 *  c2 低保 online 09-15, 3 wd paused, rejected 10-25 after 10-20: 24 − 3 =
 *     21 wd, late; online with no visit
 *  c3 医疗救助 online 09-20, referred and answered 09-28: 6 wd, on time
 *  c4 特困 09-28, open past 10-20 on as_of 10-31: overdue
 *  c5 低保 09-25, approved 11-02 (after as_of): open, not due
 *  c6 低保 08-31: outside the period
 *  c7 医疗救助 09-26, referred, unanswered, due 10-16: overdue */
static const struct fixed set[] = {
    {"dibao", V1, "window", "2023-09-04", "2023-10-08", "2023-10-07",
     "approved", 150000, 0, 1, NULL, NULL},
    {"dibao", V2, "online", "2023-09-15", "2023-10-20", "2023-10-25",
     "rejected", 0, 3, 0, NULL, NULL},
    {"medical_aid", V1, "online", "2023-09-20", "2023-10-12", "2023-09-28", "",
     0, 0, 0, "2023-09-20", "2023-09-28"},
    {"tekun", V2, "window", "2023-09-28", "2023-10-20", "", "", 0, 0, 2, NULL,
     NULL},
    {"dibao", V1, "window", "2023-09-25", "2023-11-15", "2023-11-02",
     "approved", 99900, 0, 1, NULL, NULL},
    {"dibao", V1, "window", "2023-08-31", "2023-10-20", "", "", 0, 0, 0, NULL,
     NULL},
    {"medical_aid", V1, "window", "2023-09-26", "2023-10-16", "", "", 0, 0, 0,
     "2023-09-26", NULL},
};

static int
group_setup(void **state)
{
    (void)state;
    if (suite_start(&srv, "kpis", NULL, &st) != 0)
        return -1;
    logins_ok(&srv, "city", &city, "county.500101", &county101, "county.500103",
              &county103, "clerk.500101001", &clerk101, "admin", &admin,
              "medical.500103", &medical, NULL);

    int64_t h1 = household_in(V1, 1), h2 = household_in(V2, 2);
    struct store_tx *tx = NULL;
    if (store_tx_begin(st, STORE_WRITE, &tx) != DD_OK)
        return -1;
    for (size_t i = 0; i < sizeof(set) / sizeof(set[0]); i++)
        put(tx, strcmp(set[i].village, V1) == 0 ? h1 : h2, (int)i, &set[i]);
    return store_tx_commit(tx) == DD_OK ? 0 : -1;
}

static json_t *
by(const struct response *r, const char *list, const char *key,
   const char *value)
{
    json_t *a = resp_get(r, list), *o;
    size_t i;
    json_array_foreach(a, i, o) {
        if (strcmp(json_string_value(json_object_get(o, key)), value) == 0)
            return o;
    }
    fail_msg("no %s with %s = %s", list, key, value);
    return NULL;
}

static long long
num(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    assert_true(json_is_integer(v));
    return (long long)json_integer_value(v);
}

static double
real(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    assert_true(json_is_number(v));
    return json_number_value(v);
}

#define PERIOD "from=2023-09-01&to=2023-09-30&as_of=2023-10-31"

TEST_CASE(test_fixed_set_by_hand)
{
    struct response r = {0};
    api_call(&srv, &county101, "GET", "/api/v1/kpis?region=500101&" PERIOD,
             NULL, &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "region"), "500101");
    assert_string_equal(resp_str(&r, "as_of"), "2023-10-31");
    json_t *t = resp_get(&r, "total");
    assert_int_equal(num(t, "applications"), 6);
    assert_int_equal(num(t, "approved"), 1);  /* c5's is after as_of */
    assert_int_equal(num(t, "rejected"), 1);
    assert_int_equal(num(t, "closed"), 3);    /* c1, c2, c3 */
    assert_int_equal(num(t, "on_time"), 2);   /* c1, c3 */
    assert_int_equal(num(t, "overdue"), 3);   /* c2 late, c4, c7 */
    assert_int_equal(num(t, "referrals"), 2);
    assert_int_equal(num(t, "approved_monthly_fen"), 150000);
    /* (19 + 21 + 6) / 3 = 15.33; on time 2/3; online (cases) 2/6;
     * visits 4/6 = 0.67; referrals answered 1/2 in 6 working days */
    assert_float_equal(real(t, "mean_handling_working_days"), 15.33, 1e-9);
    assert_float_equal(real(t, "on_time_rate"), 0.6667, 1e-9);
    assert_float_equal(real(t, "online_rate_cases"), 0.3333, 1e-9);
    assert_float_equal(real(t, "visits_per_case"), 0.67, 1e-9);
    assert_float_equal(real(t, "referral_closure_rate"), 0.5, 1e-9);
    assert_float_equal(real(t, "mean_referral_working_days"), 6.0, 1e-9);

    json_t *dibao = by(&r, "by_item", "item", "dibao");
    assert_int_equal(num(dibao, "applications"), 3);
    assert_int_equal(num(dibao, "closed"), 2);
    assert_float_equal(real(dibao, "mean_handling_working_days"), 20.0, 1e-9);
    /* (30 − 20) / 30 */
    assert_float_equal(real(dibao, "compression"), 0.3333, 1e-9);
    assert_int_equal(num(by(&r, "by_item", "item", "tekun"), "overdue"), 1);
    assert_int_equal(num(by(&r, "by_item", "item", "orphan"), "applications"),
                     0);

    /* the breakdown is by township: 高笋塘 c1 c3 c5 c7, 太白 c2 c4 */
    json_t *t1 = by(&r, "by_region", "region", "500101001");
    json_t *t2 = by(&r, "by_region", "region", "500101017");
    assert_int_equal(num(t1, "applications"), 4);
    assert_int_equal(num(t1, "approved_monthly_fen"), 150000);
    assert_int_equal(num(t2, "applications"), 2);
    assert_int_equal(num(t2, "overdue"), 2);

    /* the catalog's 16 items: only 低保 is promised below its statutory
     * limit, 10/30 / 16 = 0.0208; 3 of 16 fully online; 8 of 16 items
     * need one visit: 0.5 per item */
    assert_float_equal(real(resp_get(&r, "catalog"), "mean_compression"),
                        0.0208, 1e-9);
    assert_float_equal(real(resp_get(&r, "catalog"), "online_rate_items"),
                        0.1875, 1e-9);
    assert_float_equal(real(resp_get(&r, "catalog"), "visits_per_item"), 0.5,
                        1e-9);
    /* the standards in force on 2023-09-30 (渝民发〔2023〕10号, from
     * 2023-09-01): urban 735, rural 600; 600 / 735 = 0.8163 */
    json_t *s = resp_get(&r, "dibao_standard");
    assert_int_equal(num(s, "urban_fen"), 73500);
    assert_int_equal(num(s, "rural_fen"), 60000);
    assert_float_equal(real(s, "rural_urban_ratio"), 0.8163, 1e-9);
    response_free(&r);

    /* as of the day after c5's approval it counts, and no longer open */
    api_call(&srv, &county101, "GET",
             "/api/v1/kpis?region=500101&from=2023-09-01&to=2023-09-30"
             "&as_of=2023-11-02",
             NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(num(resp_get(&r, "total"), "approved"), 2);
    assert_int_equal(num(resp_get(&r, "total"), "approved_monthly_fen"),
                     249900);
    response_free(&r);

    /* a township narrows to its own items, broken down by village */
    api_call(&srv, &clerk101, "GET", "/api/v1/kpis?region=500101001&" PERIOD,
             NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(num(resp_get(&r, "total"), "applications"), 4);
    assert_int_equal(
        num(by(&r, "by_region", "region", V1), "applications"), 4);
    response_free(&r);
}

TEST_CASE(test_exports)
{
    struct response r = {0};
    api_call(&srv, &city, "GET", "/api/v1/kpis?region=500101&format=csv&" PERIOD,
             NULL, &r);
    expect_status(&r, 200);
    assert_non_null(strstr(resp_header(&r, "Content-Type"), "text/csv"));
    /* header + total + 16 items + 52 townships of 万州 */
    int lines = 0;
    for (const char *p = r.body; (p = strchr(p, '\n')); p++)
        lines++;
    assert_int_equal(lines, 1 + 1 + 16 + 52);
    assert_non_null(strstr(r.body, "\r\ntotal,500101,万州区,,6,1,1,3,0.6667,3,"
                                   "15.33,0.3333,0.67,2,0.5000,6.00,1500.00,"));
    response_free(&r);
    api_call(&srv, &city, "GET",
             "/api/v1/kpis?region=500101&format=xlsx&" PERIOD, NULL, &r);
    expect_status(&r, 200);
    assert_true(r.body_len > 4);
    assert_memory_equal(r.body, "PK\x03\x04", 4); /* a zip: the workbook */
    response_free(&r);
}

TEST_CASE(test_scope_and_parameters)
{
    struct response r = {0};
    /* the city may look anywhere; a county only at its own */
    api_call(&srv, &city, "GET", "/api/v1/kpis?" PERIOD, NULL, &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "region"), "500000");
    assert_int_equal(num(resp_get(&r, "total"), "applications"), 6);
    assert_int_equal(
        num(by(&r, "by_region", "region", "500101"), "applications"), 6);
    response_free(&r);
    api_call(&srv, &county103, "GET", "/api/v1/kpis?region=500101&" PERIOD,
             NULL, &r);
    expect_error(&r, 404, "NOT_FOUND", NULL);
    response_free(&r);
    api_call(&srv, &admin, "GET", "/api/v1/kpis?region=500101", NULL, &r);
    expect_status(&r, 403);
    response_free(&r);
    api_call(&srv, &medical, "GET", "/api/v1/kpis?region=500103", NULL, &r);
    expect_status(&r, 403);
    response_free(&r);
    api_call(&srv, NULL, "GET", "/api/v1/kpis", NULL, &r);
    expect_status(&r, 401);
    response_free(&r);

    api_call(&srv, &city, "GET", "/api/v1/kpis?from=2023-02-30", NULL, &r);
    expect_error(&r, 400, "INVALID_PARAMETER", "from");
    response_free(&r);
    api_call(&srv, &city, "GET",
             "/api/v1/kpis?from=2023-10-01&to=2023-09-01&as_of=2023-12-01",
             NULL, &r);
    expect_error(&r, 400, "INVALID_PARAMETER", "to");
    response_free(&r);
    api_call(&srv, &city, "GET",
             "/api/v1/kpis?from=2023-09-01&to=2023-09-30&as_of=2023-09-29",
             NULL, &r);
    expect_error(&r, 400, "INVALID_PARAMETER", "as_of");
    response_free(&r);
    api_call(&srv, &city, "GET", "/api/v1/kpis?format=pdf", NULL, &r);
    expect_error(&r, 400, "INVALID_PARAMETER", "format");
    response_free(&r);
    api_call(&srv, &city, "GET", "/api/v1/kpis?region=500199", NULL, &r);
    expect_error(&r, 404, "REGION_NOT_FOUND", "region");
    response_free(&r);
    api_call(&srv, &city, "GET", "/api/v1/kpis?regoin=50", NULL, &r);
    expect_status(&r, 400);
    response_free(&r);
}

API_SUITE("kpis", group_setup, &srv, &st,
          cmocka_unit_test(test_fixed_set_by_hand),
          cmocka_unit_test(test_exports),
          cmocka_unit_test(test_scope_and_parameters))
