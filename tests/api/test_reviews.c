/* SPDX-License-Identifier: MIT */
/* Reviews (定期核查 and 复核, issue 13 §4) end to end through the API on
 * both stores, each figure worked by hand from the seed
 * (data/policy/params.csv, the versions in force today: from 2025-07-01
 * dibao.standard.rural is 63000 fen a month): a rural 低保 couple whose
 * wage rose, decreased from next month; a 渐退 over 6 months, owed month
 * by month and stopped from month 7; an unchanged review closed by the
 * township; the schedule (stable 12 months, irregular 6); 两项补贴's next
 * review at the card's expiry; the schedule run for an entitlement
 * without a review; the inbox's filters and, on SQLite, its plan: a
 * range of the review_scope index. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "cases_helpers.h"
#include "domain/entitlement.h"
#include "domain/month.h"
#include "domain/workcal.h"
#include "harness.h"
#include "sqlite_plan.h"
#include "store/store_internal.h"

static struct server srv;
static struct store *st;
static struct client clerk101, reviewer101, county101, county103, city, auditor;

/* The unchanged test's entitlement, for the schedule run. */
static long long unchanged_ent;

static int
group_setup(void **state)
{
    (void)state;
    if (suite_start(&srv, "reviews", NULL, &st) != 0)
        return -1;
    logins_ok(&srv, "clerk.500101001", &clerk101, "reviewer.500101001",
              &reviewer101, "county.500101", &county101, "county.500103",
              &county103, "city", &city, "auditor", &auditor, NULL);
    return 0;
}

/* A rural couple (ID sequence seq) of 东方广场社区 with no income through
 * every 低保 step to the notification: the entitlement's id and amount. */
static long long
approved_rural(int seq, const char *applicant, const char *born,
               const char *spouse, const char *spouse_born, long long *amount)
{
    struct response r = {0};
    int64_t hh = household_create(
        &srv, &county101,
        fmt("{\"region_code\":\"500101001001\",\"hukou_region\":"
            "\"500101001001\",\"address\":\"白岩路 21 号\","
            "\"urban_or_rural\":\"rural\",\"members\":[%s]}",
            couple(applicant, born, spouse, spouse_born, seq)));
    long long id =
        apply_ok(&srv, &clerk101, hh, "\"dibao\"", DIBAO_PAPERS, NULL, NULL);
    walk_past_publicity(&srv, st, &clerk101, &county101, &reviewer101, id);
    act(&srv, &county101, id, "submit", NULL, 200);
    act(&srv, &county101, id, "approve", NULL, 200);
    act(&srv, &clerk101, id, "notify", NULL, 200);
    item_get(&srv, &county101, id, &r);
    long long ent = json_integer_value(resp_get(&r, "entitlement.id"));
    *amount = json_integer_value(resp_get(&r, "entitlement.monthly_fen"));
    assert_true(ent > 0);
    response_free(&r);
    return ent;
}

/* The day months after today (YYYY-MM-DD, in a fmt buffer). */
static const char *
today_plus(int months)
{
    char out[11];
    workcal_format_date(month_add_to_day(today_day(), months), out);
    return fmt("%s", out);
}

/* The open or proposed review of entitlement ent from the inbox, into r
 * (which holds the list): its JSON object. */
static json_t *
open_review(long long ent, struct response *r)
{
    api_call(&srv, &clerk101, "GET",
             "/api/v1/reviews?region=500101001001&limit=500", NULL, r);
    expect_status(r, 200);
    json_t *a = resp_get(r, "reviews");
    json_t *found = NULL;
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *v = json_array_get(a, i);
        const char *s = jstr(v, "state");
        if (jint(v, "entitlement_id") == ent &&
            (strcmp(s, "open") == 0 || strcmp(s, "proposed") == 0)) {
            assert_null(found); /* one at a time */
            found = v;
        }
    }
    assert_non_null(found);
    return found;
}

/* POST body to /api/v1/reviews/{id}/step as sess into r. */
static void
step(const struct client *sess, long long id, const char *what,
     const char *body, struct response *r)
{
    api_call(&srv, sess, "POST", fmt("/api/v1/reviews/%lld/%s", id, what), body,
             r);
}

/* The household as the calculator takes it: the rural couple born on
 * the days given, the applicant earning wages fen a month. */
static const char *
rural_facts(const char *born, const char *spouse_born, long long wages)
{
    return fmt("{\"region_code\":\"500101001001\",\"urban_or_rural\":"
               "\"rural\",\"members\":[{\"relation\":\"applicant\","
               "\"birth_date\":\"%s\",\"employed\":%s,\"incomes\":"
               "{\"wages\":%lld}},{\"relation\":\"spouse\","
               "\"birth_date\":\"%s\"}]}",
               born, wages ? "true" : "false", wages, spouse_born);
}

/* How many audit rows of action name review id, as the auditor reads
 * the log. */
static size_t
audits(long long id, const char *action)
{
    struct response r = {0};
    api_call(&srv, &auditor, "GET",
             fmt("/api/v1/audit?object=review:%lld&action=%s", id, action),
             NULL, &r);
    expect_status(&r, 200);
    size_t n = json_array_size(resp_get(&r, "items"));
    response_free(&r);
    return n;
}

/* A rural couple aged 66 and 64 with no income: 2 × 63000 = 126000 fen.
 * The wage rises to 30000 fen a month: counted income 30000 below the
 * standard for two, 126000, so the amount is the gap, 96000 (57号 Art.
 * 31 review, Art. 32 reduction), from next month (dibao.effect.
 * decrease_lag_months 1); the next review a year on (stable). */
TEST_CASE(test_decrease)
{
    struct response r = {0}, l = {0};
    long long amount;
    long long e =
        approved_rural(71, "赵大山", "19600505", "钱小芳", "19620606", &amount);
    assert_int_equal(amount, 126000);
    /* the approval opened the first review: a year on */
    json_t *v = open_review(e, &l);
    long long id = jint(v, "id");
    assert_string_equal(jstr(v, "ground"), "period");
    assert_string_equal(jstr(v, "due_day"), today_plus(12));
    assert_string_equal(jstr(v, "township_code"), "500101001");
    assert_string_equal(jstr(v, "item"), "dibao");
    assert_int_equal(jint(v, "version"), 1);
    step(&clerk101, id, "facts",
         fmt("{\"facts\":%s,\"version\":1}",
             rural_facts("1960-05-05", "1962-06-06", 30000)),
         &r);
    expect_status(&r, 200);
    assert_int_equal(json_integer_value(resp_get(&r, "review.computed_fen")),
                     96000);
    assert_string_equal(resp_str(&r, "review.proposal"), "decrease");
    assert_int_equal(
        json_integer_value(resp_get(&r, "review.proposed_amount_fen")), 96000);
    assert_true(json_is_true(resp_get(&r, "review.eligible")));
    assert_string_equal(resp_str(&r, "explanation.programs.0.program"),
                        "dibao");
    assert_int_equal(
        json_integer_value(resp_get(&r, "facts.members.0.incomes.wages")),
        30000);
    /* the clerk does not propose; the reviewer does not decide a county
     * item; the county does not decide before the proposal */
    step(&clerk101, id, "propose", "{\"version\":2}", &r);
    expect_error(&r, 403, "NOT_YOUR_STEP", NULL);
    step(&county101, id, "decide", "{\"version\":2}", &r);
    expect_error(&r, 409, "REVIEW_STATE", "state");
    step(&reviewer101, id, "propose", "{\"version\":2}", &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "review.state"), "proposed");
    step(&reviewer101, id, "decide", "{\"version\":3}", &r);
    expect_error(&r, 403, "NOT_DECIDING_LEVEL", NULL);
    step(&county101, id, "decide", "{\"version\":2}", &r);
    expect_error(&r, 409, "VERSION_CONFLICT", "version");
    step(&county101, id, "decide", "{\"version\":3}", &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "review.state"), "decided");
    assert_string_equal(resp_str(&r, "change.event"), "decrease");
    assert_string_equal(resp_str(&r, "change.effect_month"), today_month(1));
    assert_int_equal(json_integer_value(resp_get(&r, "change.amount_fen")),
                     96000);
    /* the entitlement: 96000 decided, 126000 approved */
    api_call(&srv, &county101, "GET", fmt("/api/v1/entitlements/%lld", e), NULL,
             &r);
    expect_status(&r, 200);
    assert_int_equal(json_integer_value(resp_get(&r, "entitlement.amount_fen")),
                     96000);
    assert_int_equal(
        json_integer_value(resp_get(&r, "entitlement.approved_fen")), 126000);
    /* the change names the review */
    struct store_tx *tx = NULL;
    struct entitlement_change_row ch;
    assert_int_equal(store_tx_begin(st, STORE_READ, &tx), DD_OK);
    assert_int_equal(store_entitlement_change_last(tx, e, &ch), DD_OK);
    store_tx_rollback(tx);
    assert_int_equal(ch.review_id, id);
    /* the next review, a year from the decision (stable finances) */
    v = open_review(e, &l);
    assert_true(jint(v, "id") != id);
    assert_string_equal(jstr(v, "due_day"), today_plus(12));
    assert_int_equal(audits(id, "review.open"), 1);
    assert_int_equal(audits(id, "review.facts"), 1);
    assert_int_equal(audits(id, "review.propose"), 1);
    assert_int_equal(audits(id, "review.decide"), 1);
    response_free(&r);
    response_free(&l);
}

/* A rural couple aged 46 and 44, approved at 126000 with no income. The
 * husband's job pays 200000 fen a month: above the standard for two,
 * 126000, by employment alone, so 渐退 (Art. 33) keeps 126000 for
 * dibao.phaseout.months = 6 months from next month (M1..M6) and stops it
 * (reason income) from M7. Irregular income with a member able to work:
 * the next review after dibao.review.irregular_months = 6. */
TEST_CASE(test_phaseout)
{
    struct response r = {0}, l = {0};
    long long amount;
    long long e =
        approved_rural(73, "孙志刚", "19800303", "周丽", "19820404", &amount);
    assert_int_equal(amount, 126000);
    long long id = jint(open_review(e, &l), "id");
    step(&clerk101, id, "facts",
         fmt("{\"facts\":%s,\"irregular_income\":true,\"version\":1}",
             rural_facts("1980-03-03", "1982-04-04", 200000)),
         &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "review.proposal"), "phaseout");
    assert_int_equal(json_integer_value(resp_get(&r, "review.proposed_months")),
                     6);
    assert_int_equal(json_integer_value(resp_get(&r, "review.computed_fen")),
                     126000);
    assert_true(json_is_true(resp_get(&r, "review.irregular")));
    step(&reviewer101, id, "propose", "{\"version\":2}", &r);
    expect_status(&r, 200);
    step(&county101, id, "decide", "{\"version\":3}", &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "change.event"), "phaseout");
    assert_string_equal(resp_str(&r, "change.effect_month"), today_month(1));
    assert_int_equal(json_integer_value(resp_get(&r, "change.months")), 6);
    /* owed month by month, as a roster asks (the seed's lags) */
    struct ent_params p = {.increase_lag_months = 1,
                           .decrease_lag_months = 1,
                           .stop_lag_months = 1,
                           .suspend_lag_months = 1,
                           .resume_lag_months = 0,
                           .death_lag_months = 1,
                           .phaseout_months = 6,
                           .publicity_days = 7,
                           .work_refusals = 3};
    struct store_tx *tx = NULL;
    struct entitlement_row ent;
    struct entitlement_change_row rows[4];
    struct ent_change buf[4];
    struct ent_history h;
    size_t n = 0;
    assert_int_equal(store_tx_begin(st, STORE_READ, &tx), DD_OK);
    assert_int_equal(store_entitlement_get(tx, e, &ent), DD_OK);
    assert_int_equal(store_entitlement_change_list(tx, e, rows, 4, &n), DD_OK);
    store_tx_rollback(tx);
    assert_int_equal(n, 1);
    assert_int_equal(cases_entitlement_history(&ent, rows, n, buf, &h), DD_OK);
    int32_t m1;
    assert_int_equal(month_parse(today_month(1), &m1), 0);
    for (int i = 1; i <= 7; i++) {
        struct ent_due d;
        assert_int_equal(ent_owed(&p, &h, m1 + i - 1, &d, NULL), DD_OK);
        if (i <= 6) {
            assert_int_equal(d.amount_fen, 126000);
            assert_int_equal(d.phaseout_month, i);
            assert_int_equal(d.state, ENT_ACTIVE);
        } else {
            assert_int_equal(d.amount_fen, 0);
            assert_int_equal(d.state, ENT_STOPPED);
            assert_int_equal(d.reason, ENT_STOP_INCOME);
        }
    }
    /* the next review: 6 months on (irregular income, a member able) */
    json_t *v = open_review(e, &l);
    assert_string_equal(jstr(v, "due_day"), today_plus(6));
    assert_string_equal(jstr(v, "ground"), "period");
    response_free(&r);
    response_free(&l);
}

/* No material change (Art. 31): the engine gives the amount paid, 126000,
 * and the township reviewer closes the review without a county decision;
 * the entitlement is untouched and the next review opened a year on. */
TEST_CASE(test_unchanged)
{
    struct response r = {0}, l = {0};
    long long amount;
    long long e = unchanged_ent =
        approved_rural(75, "钱永福", "19580101", "吴桂兰", "19590202", &amount);
    assert_int_equal(amount, 126000);
    long long id = jint(open_review(e, &l), "id");
    /* out of scope: not revealed */
    api_call(&srv, &county103, "GET", fmt("/api/v1/reviews/%lld", id), NULL,
             &r);
    expect_error(&r, 404, "NOT_FOUND", NULL);
    step(&county103, id, "facts", "{\"version\":1}", &r);
    expect_error(&r, 404, "NOT_FOUND", NULL);
    /* no facts yet: no proposal; bad facts named */
    step(&reviewer101, id, "propose", "{\"version\":1}", &r);
    expect_error(&r, 409, "FACTS_REQUIRED", "facts");
    step(&clerk101, id, "facts", "{\"version\":1}", &r);
    expect_error(&r, 400, "REQUIRED", "facts");
    step(&clerk101, id, "facts",
         "{\"facts\":{\"region_code\":\"500101001001\"},\"version\":1}", &r);
    expect_status(&r, 400);
    step(&clerk101, id, "facts",
         fmt("{\"facts\":%s,\"card_expiry\":\"2027-02-30\",\"version\":1}",
             rural_facts("1958-01-01", "1959-02-02", 0)),
         &r);
    expect_error(&r, 400, "INVALID_DATE", "card_expiry");
    step(&clerk101, id, "facts",
         fmt("{\"facts\":%s,\"version\":1}",
             rural_facts("1958-01-01", "1959-02-02", 0)),
         &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "review.proposal"), "unchanged");
    assert_int_equal(json_integer_value(resp_get(&r, "review.computed_fen")),
                     126000);
    /* another proposal than the engine's states its reasons */
    step(&reviewer101, id, "propose",
         "{\"proposal\":\"decrease\",\"amount_fen\":100000,\"version\":2}", &r);
    expect_error(&r, 400, "REASON_REQUIRED", "reason_text");
    step(&reviewer101, id, "propose", "{\"proposal\":\"hold\",\"version\":2}",
         &r);
    expect_error(&r, 400, "INVALID_PROPOSAL", "proposal");
    step(&reviewer101, id, "propose", "{\"version\":1}", &r);
    expect_error(&r, 409, "VERSION_CONFLICT", "version");
    step(&reviewer101, id, "propose", "{\"version\":2}", &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "review.state"), "decided");
    assert_string_equal(resp_str(&r, "review.decided_by"),
                        "reviewer.500101001");
    assert_true(json_is_null(resp_get(&r, "review.change_id")));
    assert_int_equal(audits(id, "review.close"), 1);
    /* a closed review takes nothing more */
    step(&county101, id, "decide", "{\"version\":3}", &r);
    expect_error(&r, 409, "REVIEW_STATE", "state");
    api_call(&srv, &county101, "GET", fmt("/api/v1/entitlements/%lld", e), NULL,
             &r);
    assert_int_equal(json_integer_value(resp_get(&r, "entitlement.version")),
                     1);
    assert_int_equal(json_array_size(resp_get(&r, "changes")), 0);
    json_t *v = open_review(e, &l);
    assert_string_equal(jstr(v, "due_day"), today_plus(12));
    response_free(&r);
    response_free(&l);
}

/* 两项补贴 (domain.md §4): the card's expiry dates the next review. The
 * approval knows no expiry, so it opens none; a review (here the one a
 * death's re-check opens, ground death) records the card valid to
 * 2028-03-31, and the care subsidy grade 1 is unchanged at 9000 fen
 * (disability.care_subsidy.grade1 from 2022-10-01): closed, the next
 * review falls on 2028-03-31. */
TEST_CASE(test_card_expiry)
{
    struct response r = {0}, l = {0};
    char num[24];
    snprintf(num, sizeof(num), "%s", idnum_in("500101", "19600101", 181));
    int64_t hh = household_post(
        &srv, &county101, "500101001001", "白岩路 23 号",
        fmt("{\"id_number\":\"%s\",\"name\":\"王建军\",\"relation\":"
            "\"applicant\",\"disability_category\":4,\"disability_grade\":1,"
            "\"disability_card\":\"%s41\"}",
            num, num));
    long long who = member_id(&srv, &county101, hh, "王建军");
    long long item =
        apply_ok(&srv, &clerk101, hh, "\"disability_care\"",
                 "\"id_card\",\"hukou\",\"disability_card\"", NULL, NULL);
    act(&srv, &reviewer101, item, "submit", NULL, 200);
    const char *facts =
        fmt("{\"member_id\":%lld,\"card_valid\":true,\"care_months\":12}", who);
    act(&srv, &county101, item, "approve", fmt(",\"facts\":%s", facts), 200);
    item_get(&srv, &county101, item, &r);
    long long e = json_integer_value(resp_get(&r, "entitlement.id"));
    assert_int_equal(
        json_integer_value(resp_get(&r, "entitlement.monthly_fen")), 9000);
    api_call(&srv, &clerk101, "GET", "/api/v1/reviews?item=disability_care",
             NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "reviews")), 0);
    /* the re-check a death opens (the deaths service's call) */
    struct store_tx *tx = NULL;
    struct entitlement_row ent;
    struct review_row rv = {0};
    assert_int_equal(store_tx_begin(st, STORE_WRITE, &tx), DD_OK);
    assert_int_equal(store_entitlement_get(tx, e, &ent), DD_OK);
    rv.entitlement_id = e;
    rv.household_id = ent.household_id;
    snprintf(rv.county_code, sizeof(rv.county_code), "%s", ent.county_code);
    snprintf(rv.township_code, sizeof(rv.township_code), "%.9s",
             ent.region_code);
    snprintf(rv.region_code, sizeof(rv.region_code), "%s", ent.region_code);
    snprintf(rv.item_code, sizeof(rv.item_code), "%s", ent.item_code);
    snprintf(rv.ground, sizeof(rv.ground), "death");
    snprintf(rv.due_day, sizeof(rv.due_day), "%s", today_plus(3));
    assert_int_equal(store_review_insert(tx, &rv), DD_OK);
    assert_int_equal(store_tx_commit(tx), DD_OK);
    long long first = rv.id;
    /* one open at a time (the partial unique index) */
    assert_int_equal(store_tx_begin(st, STORE_WRITE, &tx), DD_OK);
    assert_int_equal(store_review_insert(tx, &rv), DD_ECONFLICT);
    store_tx_rollback(tx);
    step(&clerk101, first, "facts",
         fmt("{\"facts\":%s,\"card_expiry\":\"2028-03-31\",\"version\":1}",
             facts),
         &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "review.proposal"), "unchanged");
    assert_int_equal(json_integer_value(resp_get(&r, "review.computed_fen")),
                     9000);
    step(&reviewer101, first, "propose", "{\"version\":2}", &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "review.state"), "decided");
    json_t *v = open_review(e, &l);
    assert_string_equal(jstr(v, "ground"), "card_expiry");
    assert_string_equal(jstr(v, "due_day"), "2028-03-31");
    response_free(&r);
    response_free(&l);
}

/* An entitlement without a review (a migrated caseload: here the
 * unchanged test's, its review cancelled) gets one from the schedule
 * run: a year from its first month paid, next month's first day, as it
 * has no decision since. A second run opens none. */
TEST_CASE(test_schedule)
{
    struct response r = {0}, l = {0};
    struct store_tx *tx = NULL;
    struct review_row rv;
    assert_int_equal(store_tx_begin(st, STORE_WRITE, &tx), DD_OK);
    assert_int_equal(store_review_open_of(tx, unchanged_ent, &rv), DD_OK);
    snprintf(rv.state, sizeof(rv.state), "cancelled");
    assert_int_equal(store_review_update(tx, &rv), DD_OK);
    assert_int_equal(store_tx_commit(tx), DD_OK);
    api_call(&srv, &county103, "POST", "/api/v1/reviews/schedule?county=500101",
             NULL, &r);
    expect_error(&r, 404, "NOT_FOUND", NULL);
    api_call(&srv, &county101, "POST", "/api/v1/reviews/schedule?county=500101",
             NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_integer_value(resp_get(&r, "opened")), 1);
    assert_true(json_is_null(resp_get(&r, "next_after")));
    int32_t start;
    char due[11];
    assert_int_equal(month_parse(today_month(1), &start), 0);
    workcal_format_date(month_add_to_day(month_first_day(start), 12), due);
    json_t *v = open_review(unchanged_ent, &l);
    assert_string_equal(jstr(v, "due_day"), due);
    api_call(&srv, &county101, "POST", "/api/v1/reviews/schedule?county=500101",
             NULL, &r);
    assert_int_equal(json_integer_value(resp_get(&r, "opened")), 0);
    response_free(&r);
    response_free(&l);
}

/* The inbox: filters by state, item and due day, the cursor, scope. */
TEST_CASE(test_list)
{
    struct response r = {0};
    api_call(&srv, &clerk101, "GET", "/api/v1/reviews?state=open", NULL, &r);
    expect_status(&r, 200);
    /* decrease, phaseout, unchanged (rescheduled), card expiry: 4 open */
    size_t open = json_array_size(resp_get(&r, "reviews"));
    assert_int_equal(open, 4);
    api_call(&srv, &clerk101, "GET",
             fmt("/api/v1/reviews?state=open&due_before=%s", today_plus(6)),
             NULL, &r);
    assert_int_equal(json_array_size(resp_get(&r, "reviews")), 1);
    api_call(&srv, &clerk101, "GET", "/api/v1/reviews?state=decided&item=dibao",
             NULL, &r);
    assert_int_equal(json_array_size(resp_get(&r, "reviews")), 3);
    long long after = 0;
    size_t pages = 0;
    for (;;) {
        api_call(&srv, &clerk101, "GET",
                 fmt("/api/v1/reviews?state=open&limit=1&after=%lld", after),
                 NULL, &r);
        expect_status(&r, 200);
        pages += json_array_size(resp_get(&r, "reviews"));
        json_t *next = resp_get(&r, "next_after");
        if (json_is_null(next))
            break;
        after = json_integer_value(next);
        assert_true(pages < 10);
    }
    assert_int_equal(pages, open);
    api_call(&srv, &county103, "GET", "/api/v1/reviews", NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "reviews")), 0);
    api_call(&srv, &county101, "GET", "/api/v1/reviews?region=500103", NULL,
             &r);
    expect_error(&r, 404, "NOT_FOUND", NULL);
    api_call(&srv, &county101, "GET", "/api/v1/reviews?state=closed", NULL, &r);
    expect_error(&r, 400, "INVALID_STATE", "state");
    response_free(&r);
}

/* On SQLite: the inbox's statement searches review_scope by a range of
 * region_code (the scope), not a scan of the table, and the schedule
 * run's likewise (PostgreSQL's planner picks by table size: not
 * asserted). */
TEST_CASE(test_list_plan)
{
    const char *plan = sqlite_plan(store_stmt_sql(STMT_REVIEW_PAGE, 0));
    if (!plan)
        return;
    assert_non_null(strstr(plan, "USING INDEX review_scope "
                                 "(region_code>? AND region_code<?)"));
    /* the schedule run: the county a range of the caseload's index, each
     * entitlement's open review a probe of the partial unique index */
    plan = sqlite_plan(store_stmt_sql(STMT_REVIEW_UNSCHEDULED, 0));
    assert_non_null(strstr(plan, "INDEX entitlement_scope "
                                 "(region_code>? AND region_code<?)"));
    assert_non_null(
        strstr(plan, "USING INDEX review_open_once (entitlement_id=?)"));
}

/* Files a 低保 for a new couple (ID sequence seq) of 东方广场社区: its
 * item read into r. */
static void
filed_dibao(int seq, struct response *r)
{
    int64_t hh = couple_post(&srv, &county101, "白岩路 25 号", "马国强",
                             "19610303", "冯秀兰", "19630404", seq);
    long long id =
        apply_ok(&srv, &clerk101, hh, "\"dibao\"", DIBAO_PAPERS, NULL, NULL);
    item_get(&srv, &clerk101, id, r);
    assert_string_equal(resp_str(r, "item.step"), "investigate");
}

/* The law's dated limits read over the catalog's clocks (the census): a
 * 低保 filed today has the catalog's 30 working days left; once 万州区
 * takes dibao.limit.total 20 and dibao.limit.investigation_start 2 from
 * today, one filed now has 20 left and its 入户调查 falls due before the
 * first's (2 working days, not the catalog's 3): a catalog may promise
 * less than the law, never more. */
TEST_CASE(test_law_limits)
{
    struct response before = {0}, r = {0};
    filed_dibao(91, &before);
    assert_int_equal(
        json_integer_value(resp_get(&before, "item.working_days_left")), 30);
    const char *keys[][2] = {{"dibao.limit.total", "20"},
                             {"dibao.limit.investigation_start", "2"}};
    for (size_t i = 0; i < 2; i++) {
        api_call(&srv, &city, "POST", "/api/v1/policy",
                 fmt("{\"key\":\"%s\",\"region_code\":\"500101\","
                     "\"effective_from\":\"%s\",\"value\":%s,"
                     "\"unit\":\"workdays\",\"source\":\"test\"}",
                     keys[i][0], today_date(), keys[i][1]),
                 &r);
        expect_status(&r, 201);
    }
    filed_dibao(93, &r);
    assert_int_equal(json_integer_value(resp_get(&r, "item.working_days_left")),
                     20);
    assert_true(strcmp(resp_str(&r, "item.step_deadline"),
                       resp_str(&before, "item.step_deadline")) < 0);
    assert_true(strcmp(resp_str(&r, "item.step_deadline"), today_date()) > 0);
    response_free(&r);
    response_free(&before);
}

API_SUITE("reviews", group_setup, &srv, &st, cmocka_unit_test(test_decrease),
          cmocka_unit_test(test_phaseout), cmocka_unit_test(test_unchanged),
          cmocka_unit_test(test_card_expiry), cmocka_unit_test(test_schedule),
          cmocka_unit_test(test_list), cmocka_unit_test(test_list_plan),
          cmocka_unit_test(test_law_limits))
