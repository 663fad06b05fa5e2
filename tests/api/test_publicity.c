/* SPDX-License-Identifier: MIT */
/* A 特困 termination's 7-day 公示 (特困人员认定办法 Art. 26, domain.md §2;
 * issue 13 §1) through the API on both stores: the stop of a 特困
 * entitlement opened on day D leaves it active and paid (a payment batch
 * still pays it) and shows its 公示; the same stop is refused on D+7
 * (409 PUBLICITY_RUNNING naming D+8) and decided on D+8 (7 calendar days
 * after D, the start not counted; the decision the day after the end),
 * effective the next month; a withdrawal (cancel_publicity); a death
 * and a 低保 stop still stop at once; a county's days beyond 30 are out
 * of range (422); `doudi check` passes but for the 公示 moved in the
 * table.
 * The day is today: a later day is the 公示's start moved back in the
 * store, as cases_helpers' publicity_elapse does for an application. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "cases_helpers.h"
#include "domain/workcal.h"
#include "harness.h"

#define VILLAGE "500101001001"
/* what a 特困 application asks for (data/catalog/items.csv) */
#define TEKUN_PAPERS DIBAO_PAPERS ",\"selfcare_assessment\""

static struct server srv;
static struct store *st;
static struct client admin, city, clerk101, reviewer101, county101, pay1;

static int
group_setup(void **state)
{
    (void)state;
    if (suite_start(&srv, "publicity", NULL, &st) != 0)
        return -1;
    logins_ok(&srv, "admin", &admin, "city", &city, "clerk.500101001",
              &clerk101,
              "reviewer.500101001", &reviewer101, "county.500101", &county101,
              NULL);
    staff_user(&srv, &admin, "pay1.500101", "payments_officer", "", "500101",
               &pay1);
    return 0;
}

/* A one-person household of someone aged over 80 in VILLAGE through every
 * 特困 step to the notification (the spot check when the case is
 * flagged): the entitlement's id, its monthly amount in *amount. */
static long long
approved_tekun(int seq, const char *name, long long *amount)
{
    struct response r = {0};
    int64_t hh = household_post(
        &srv, &county101, VILLAGE, fmt("特困路 %d 号", seq),
        fmt("{\"id_number\":\"%s\",\"name\":\"%s\",\"relation\":\"applicant\"}",
            idnum_in("500101", "19400404", 900 + seq), name));
    apply(&srv, &clerk101, hh, "\"tekun\"", TEKUN_PAPERS, NULL, &r);
    expect_status(&r, 201);
    json_t *it = item_at(&r, "items", 0);
    long long id = jint(it, "id");
    int flagged = json_is_true(json_object_get(it, "spot_check"));
    walk_past_publicity(&srv, st, &clerk101, NULL, &reviewer101, id);
    if (flagged)
        act(&srv, &county101, id, "spot_check",
            ",\"result\":\"入户抽查属实\",\"checker\":\"周八\"", 200);
    act(&srv, &county101, id, "submit", NULL, 200);
    act(&srv, &county101, id, "approve", NULL, 200);
    act(&srv, &clerk101, id, "notify", NULL, 200);
    item_get(&srv, &county101, id, &r);
    long long ent = json_integer_value(resp_get(&r, "entitlement.id"));
    *amount = json_integer_value(resp_get(&r, "entitlement.monthly_fen"));
    assert_true(ent > 0);
    assert_true(*amount > 0);
    response_free(&r);
    return ent;
}

/* POST a change of ent as the county officer, body's members then the
 * version, into r. */
static void
post_change(long long ent, long long version, const char *members,
            struct response *r)
{
    api_call(&srv, &county101, "POST",
             fmt("/api/v1/entitlements/%lld/changes", ent),
             fmt("{%s,\"version\":%lld}", members, version), r);
}

/* The entitlement's version in reply r. */
static long long
version_of(const struct response *r)
{
    return json_integer_value(resp_get(r, "entitlement.version"));
}

/* The 公示 running on ent is moved to have opened days_ago days before
 * today, in st: its new version. */
static long long
publicity_opened_ago(long long ent, int days_ago)
{
    struct store_tx *tx = NULL;
    struct entitlement_row e;
    assert_int_equal(store_tx_begin(st, STORE_WRITE, &tx), DD_OK);
    assert_int_equal(store_entitlement_get(tx, ent, &e), DD_OK);
    assert_true(e.publicity_from[0] != '\0');
    workcal_format_date(today_day() - days_ago, e.publicity_from);
    assert_int_equal(store_entitlement_update(tx, &e), DD_OK);
    assert_int_equal(store_tx_commit(tx), DD_OK);
    return e.version;
}

/* How many audit rows of action name ent, each with its digest. */
static int
audited(long long ent, const char *action)
{
    struct store_tx *tx = NULL;
    struct audit_row rows[8];
    size_t n = 0;
    struct audit_filter f = {.object = fmt("entitlement:%lld", ent),
                             .action = action};
    assert_int_equal(store_tx_begin(st, STORE_READ, &tx), DD_OK);
    assert_int_equal(store_audit_list(tx, &f, rows, 8, &n), DD_OK);
    store_tx_rollback(tx);
    for (size_t i = 0; i < n; i++)
        assert_non_null(strstr(rows[i].detail, "\"digest\":\""));
    return (int)n;
}

static void
check_passes(void)
{
    char out[4096];
    assert_int_equal(doudi_check_run(&srv, out, sizeof(out)), 0);
}

#define STOP_INCOME                                                            \
    "\"event\":\"stop\",\"reason_code\":\"income\","                           \
    "\"reason_text\":\"收入超过特困供养标准\""

/* Opened on D, refused on D (the 公示 runs) and on D+7, decided on D+8
 * from the next month (tekun.effect.stop_lag_months 1). */
TEST_CASE(test_tekun_stop)
{
    struct response r = {0};
    long long amount;
    long long e = approved_tekun(1, "钱老汉", &amount);
    int32_t d = today_day();
    char until[11], decision[11];
    workcal_format_date(d + 7, until);
    workcal_format_date(d + 8, decision);

    post_change(e, 1, STOP_INCOME, &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "entitlement.state"), "active");
    assert_true(json_is_null(resp_get(&r, "change")));
    assert_string_equal(resp_str(&r, "stop_publicity.from"), today_date());
    assert_string_equal(resp_str(&r, "stop_publicity.until"), until);
    assert_string_equal(resp_str(&r, "stop_publicity.decision_from"), decision);
    assert_string_equal(resp_str(&r, "stop_publicity.reason_code"), "income");
    assert_non_null(strstr(resp_str(&r, "notice.legal_ground"), "特困"));
    long long v = version_of(&r);
    assert_int_equal(v, 2);
    assert_int_equal(audited(e, "entitlement.stop_publicity"), 1);
    /* GET shows it; nothing is decided yet */
    api_call(&srv, &county101, "GET", fmt("/api/v1/entitlements/%lld", e), NULL,
             &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "stop_publicity.decision_from"), decision);
    assert_int_equal(json_array_size(resp_get(&r, "changes")), 0);
    check_passes();

    /* day D: running; another reason is not the stop publicised */
    post_change(e, v, STOP_INCOME, &r);
    expect_error(&r, 409, "PUBLICITY_RUNNING", "event");
    assert_non_null(strstr(resp_str(&r, "error.message"), decision));
    post_change(e, v,
                "\"event\":\"stop\",\"reason_code\":\"moved_away\","
                "\"reason_text\":\"迁出\"",
                &r);
    expect_error(&r, 409, "PUBLICITY_REASON", "reason_code");

    /* day D+7: the 公示's last day (moved in the store, which the audit
     * digest does not vouch for: `doudi check` says so until the
     * decision's audit row vouches for the stopped entitlement) */
    v = publicity_opened_ago(e, 7);
    char out[4096];
    assert_int_not_equal(doudi_check_run(&srv, out, sizeof(out)), 0);
    assert_non_null(strstr(out, fmt("entitlement %lld", e)));
    workcal_format_date(d + 1, decision);
    post_change(e, v, STOP_INCOME, &r);
    expect_error(&r, 409, "PUBLICITY_RUNNING", "event");
    assert_non_null(strstr(resp_str(&r, "error.message"), decision));
    assert_non_null(strstr(resp_str(&r, "error.message_zh"), decision));

    /* day D+8: decided, from next month; the 公示 is over */
    v = publicity_opened_ago(e, 8);
    post_change(e, v, STOP_INCOME, &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "entitlement.state"), "stopped");
    assert_string_equal(resp_str(&r, "entitlement.stop_reason"), "income");
    assert_string_equal(resp_str(&r, "change.effect_month"), today_month(1));
    assert_true(json_is_null(resp_get(&r, "stop_publicity")));
    assert_int_equal(audited(e, "entitlement.stop"), 1);
    response_free(&r);
    check_passes();
}

/* Paid while the 公示 runs; withdrawn; a death is not publicised; the
 * withdrawal's own refusals. */
/* A yearly review that stops a 特困 entitlement: the county's decision
 * opens the stop's 公示 and makes no change yet (the stop is decided on
 * the entitlement once it has run), and the reply says so as the
 * entitlement's own reply does: change null, stop_publicity from today.
 * The facts: the elderly man has 3,000.00 a month of rent, above any
 * basic living standard. Once the 公示 has run the stop is decided on
 * the entitlement (so that no later batch here pays it). */
TEST_CASE(test_review_opens_publicity)
{
    struct response r = {0};
    long long amount;
    long long e = approved_tekun(7, "孙老伯", &amount);
    api_call(&srv, &clerk101, "GET",
             "/api/v1/reviews?region=" VILLAGE "&limit=500", NULL, &r);
    expect_status(&r, 200);
    long long id = 0;
    json_t *a = resp_get(&r, "reviews");
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *v = json_array_get(a, i);
        if (jint(v, "entitlement_id") == e && strcmp(jstr(v, "state"), "open") == 0)
            id = jint(v, "id");
    }
    assert_true(id > 0);
    api_call(&srv, &clerk101, "POST", fmt("/api/v1/reviews/%lld/facts", id),
             "{\"facts\":{\"region_code\":\"" VILLAGE "\",\"urban_or_rural\":"
             "\"urban\",\"members\":[{\"relation\":\"applicant\","
             "\"birth_date\":\"1940-04-04\",\"incomes\":"
             "{\"property\":300000}}]},\"version\":1}",
             &r);
    expect_status(&r, 200);
    assert_false(json_is_true(resp_get(&r, "review.eligible")));
    api_call(&srv, &reviewer101, "POST", fmt("/api/v1/reviews/%lld/propose", id),
             "{\"proposal\":\"stop\",\"stop_reason\":\"income\","
             "\"reason_text\":\"养老金收入超过基本生活标准\",\"version\":2}",
             &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "review.state"), "proposed");
    api_call(&srv, &county101, "POST", fmt("/api/v1/reviews/%lld/decide", id),
             "{\"version\":3}", &r);
    expect_status(&r, 200);
    assert_true(json_is_null(resp_get(&r, "change")));
    assert_string_equal(resp_str(&r, "stop_publicity.from"), today_date());
    assert_string_equal(resp_str(&r, "stop_publicity.reason_code"), "income");
    assert_true(json_is_null(resp_get(&r, "review.change_id")));
    api_call(&srv, &county101, "GET", fmt("/api/v1/entitlements/%lld", e), NULL,
             &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "entitlement.state"), "active");
    assert_string_equal(resp_str(&r, "stop_publicity.from"), today_date());
    assert_int_equal(json_array_size(resp_get(&r, "changes")), 0);
    post_change(e, publicity_opened_ago(e, 8), STOP_INCOME, &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "change.event"), "stop");
    response_free(&r);
}

TEST_CASE(test_cancel_and_death)
{
    struct response r = {0};
    long long amount;
    long long e = approved_tekun(2, "孙大娘", &amount);
    post_change(e, 1, STOP_INCOME, &r);
    expect_status(&r, 200);
    long long v = version_of(&r);

    /* next month's batch (the entitlement's first) pays it in full: the
     * other entitlement's stop takes effect that month */
    api_call(&srv, &pay1, "POST", "/api/v1/payment-batches",
             fmt("{\"county\":\"500101\",\"item\":\"tekun\",\"month\":\"%s\"}",
                 today_month(1)),
             &r);
    expect_status(&r, 201);
    assert_int_equal(json_integer_value(resp_get(&r, "batch.line_count")), 1);
    assert_int_equal(json_integer_value(resp_get(&r, "batch.total_fen")),
                     amount);

    /* cancel_publicity goes with a stop */
    post_change(e, v, "\"event\":\"suspend\",\"cancel_publicity\":true", &r);
    expect_error(&r, 400, "INVALID_EVENT", "cancel_publicity");
    post_change(e, v, "\"event\":\"stop\",\"cancel_publicity\":true", &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "entitlement.state"), "active");
    assert_true(json_is_null(resp_get(&r, "stop_publicity")));
    assert_true(json_is_null(resp_get(&r, "change")));
    v = version_of(&r);
    assert_int_equal(audited(e, "entitlement.stop_publicity_cancel"), 1);
    post_change(e, v, "\"event\":\"stop\",\"cancel_publicity\":true", &r);
    expect_error(&r, 409, "NO_PUBLICITY", "cancel_publicity");
    check_passes();

    /* a death stops at once (tekun.effect.death_lag_months 1) */
    post_change(e, v, "\"event\":\"stop\",\"reason_code\":\"death\"", &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "entitlement.state"), "stopped");
    assert_string_equal(resp_str(&r, "change.effect_month"), today_month(1));
    response_free(&r);
    check_passes();
}

/* 低保 has no dibao.stop.publicity_days: its stop is decided at once. */
TEST_CASE(test_dibao_immediate)
{
    struct response r = {0};
    long long amount;
    long long e = approved_dibao(&srv, st, &clerk101, &county101, &reviewer101,
                                 3, "周家明", &amount);
    post_change(e, 1,
                "\"event\":\"stop\",\"reason_code\":\"income\","
                "\"reason_text\":\"家庭收入增加\"",
                &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "entitlement.state"), "stopped");
    assert_string_equal(resp_str(&r, "change.effect_month"), today_month(1));
    assert_true(json_is_null(resp_get(&r, "stop_publicity")));
    response_free(&r);
}

/* A county version of tekun.stop.publicity_days beyond 30 days (last:
 * the county's 特困 stops are refused from then on) is refused as out
 * of range, the entitlement untouched. */
TEST_CASE(test_days_out_of_range)
{
    struct response r = {0};
    long long amount;
    long long e = approved_tekun(4, "吴阿婆", &amount);
    api_call(&srv, &city, "POST", "/api/v1/policy",
             "{\"key\":\"tekun.stop.publicity_days\",\"region_code\":"
             "\"500101\",\"effective_from\":\"2021-07-01\",\"value\":31,"
             "\"unit\":\"days\",\"source\":\"test\"}",
             &r);
    expect_status(&r, 201);
    post_change(e, 1, STOP_INCOME, &r);
    expect_error(&r, 422, "POLICY_OUT_OF_RANGE", "event");
    api_call(&srv, &county101, "GET", fmt("/api/v1/entitlements/%lld", e), NULL,
             &r);
    assert_int_equal(version_of(&r), 1);
    assert_true(json_is_null(resp_get(&r, "stop_publicity")));
    response_free(&r);
}

API_SUITE("publicity", group_setup, &srv, &st,
          cmocka_unit_test(test_tekun_stop),
          cmocka_unit_test(test_review_opens_publicity),
          cmocka_unit_test(test_cancel_and_death),
          cmocka_unit_test(test_dibao_immediate),
          cmocka_unit_test(test_days_out_of_range))
