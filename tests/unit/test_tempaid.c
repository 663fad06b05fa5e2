/* SPDX-License-Identifier: MIT */
/* 临时救助 engine: cases worked by hand from domain.md §3 with Chongqing's
 * 2024-09 低保 standards (§7.1: urban 750, rural 610) and the seeded
 * TEMPLATE bands (支出型 2–12 months, township ≤2 months, 急难 ≤3 months),
 * each with its arithmetic and rule in a comment; then a property test
 * over generated requests (fixed seed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "unit_main.h"

#include "domain/tempaid.h"
#include "engine_fixture.h"
#include "test_rng.h"

/* last year's per-capita disposable income: ASSUMED figures for the tests
 * (a statistic, not in domain.md): urban 47 435 yuan, rural 20 820 yuan */
#define LIMIT_URBAN 4743500
#define LIMIT_RURAL 2082000

static struct tempaid_params
cq_params(void)
{
    struct tempaid_params p;
    memset(&p, 0, sizeof(p));
    p.dibao_standard_urban_fen = 75000; /* 2024-09 */
    p.dibao_standard_rural_fen = 61000;
    p.expense_min_months = 2;           /* TEMPLATE */
    p.expense_max_months = 12;          /* TEMPLATE */
    p.township_approval_max_months = 2; /* TEMPLATE */
    p.emergency_max_months = 3;         /* TEMPLATE */
    p.expense_income_limit_urban_annual_fen = LIMIT_URBAN;
    p.expense_income_limit_rural_annual_fen = LIMIT_RURAL;
    return p;
}

static struct tempaid_request
emergency(enum tempaid_cause cause, enum hh_area area, int persons, int months)
{
    struct tempaid_request rq;
    memset(&rq, 0, sizeof(rq));
    rq.type = TEMPAID_EMERGENCY;
    rq.cause = cause;
    rq.standard_area = area;
    rq.persons = persons;
    rq.months_needed = months;
    return rq;
}

static struct tempaid_request
expense(enum tempaid_cause cause, enum hh_area area, int persons,
        int64_t income_annual, int64_t expense_fen)
{
    struct tempaid_request rq;
    memset(&rq, 0, sizeof(rq));
    rq.type = TEMPAID_EXPENSE;
    rq.cause = cause;
    rq.standard_area = area;
    rq.persons = persons;
    rq.income_per_capita_annual_fen = income_annual;
    rq.assets_within_rules = 1;
    rq.expense_fen = expense_fen;
    return rq;
}

/* Assesses with and without an explanation; checks they agree, that the
 * amount is not negative and that parts and explanation add up. */
static struct tempaid_result
assess(const struct tempaid_request *rq, const struct tempaid_params *p)
{
    struct tempaid_result a, b;
    explain_init(&ex_buf);
    assert_int_equal(tempaid_assess(rq, p, &a, NULL), DD_OK);
    assert_int_equal(tempaid_assess(rq, p, &b, &ex_buf), DD_OK);
    results_agree(&a, &b, sizeof(a), a.amount_fen, PARTS_SUM(&a));
    return a;
}

/* 急难型, fire (Art. 47(1)), urban family of 3, two months disrupted:
 * unit 750 × 3 = 2 250 yuan; 2 months ≤ 3 (TEMPLATE max) → 4 500 yuan;
 * 2 ≤ township ceiling 2 → the township approves; 先行救助. */
TEST_CASE(test_emergency_fire)
{
    struct tempaid_params p = cq_params();
    struct tempaid_request rq =
        emergency(TEMPAID_CAUSE_FIRE, HH_AREA_URBAN, 3, 2);
    struct tempaid_result r = assess(&rq, &p);
    assert_int_equal(r.decision, TEMPAID_ELIGIBLE);
    assert_int_equal(r.unit_fen, 225000);
    assert_int_equal(r.months, 2);
    assert_int_equal(r.amount_fen, 450000);
    assert_true(r.township_may_approve);
    assert_true(r.assist_first);
    assert_false(r.case_by_case);
    assert_true(has_rule("tempaid.emergency.assist_first", EXPLAIN_INFO));
}

/* 急难型, sudden major illness, rural single person, 5 months disrupted:
 * capped at tempaid.emergency.max_months 3 → 3 × 610 = 1 830 yuan; the
 * rest is 一事一议 (case_by_case); 3 > 2 → county approval. No income or
 * asset test applies to 急难 (2020 意见): a high income changes nothing. */
TEST_CASE(test_emergency_capped)
{
    struct tempaid_params p = cq_params();
    struct tempaid_request rq =
        emergency(TEMPAID_CAUSE_SUDDEN_ILLNESS, HH_AREA_RURAL, 1, 5);
    rq.income_per_capita_annual_fen = 100000000; /* 1 million yuan */
    struct tempaid_result r = assess(&rq, &p);
    assert_int_equal(r.decision, TEMPAID_ELIGIBLE);
    assert_int_equal(r.months, 3);
    assert_int_equal(r.amount_fen, 183000);
    assert_true(r.case_by_case);
    assert_false(r.township_may_approve);
    assert_true(has_rule("tempaid.county_approval", EXPLAIN_INFO));
}

/* 支出型, medical, urban family of 4, per-capita disposable income 30 000 <
 * 47 435: expense 10 000 yuan; unit 750 × 4 = 3 000; ceil(10 000 / 3 000)
 * = 4 months (within 2–12) → 12 000 yuan; 4 > 2 → county approval. */
TEST_CASE(test_expense_medical)
{
    struct tempaid_params p = cq_params();
    struct tempaid_request rq =
        expense(TEMPAID_CAUSE_MEDICAL, HH_AREA_URBAN, 4, 3000000, 1000000);
    struct tempaid_result r = assess(&rq, &p);
    assert_int_equal(r.decision, TEMPAID_ELIGIBLE);
    assert_int_equal(r.months, 4);
    assert_int_equal(r.amount_fen, 1200000);
    assert_false(r.township_may_approve);
    assert_false(r.assist_first);
    assert_true(has_rule("tempaid.expense.income", EXPLAIN_PASS));
}

/* 支出型, exact multiple: expense 9 000 yuan = 3 units of 3 000 → exactly
 * 3 months (no rounding up beyond the multiple) → 9 000 yuan; 9 001 yuan
 * needs a 4th month → 12 000. */
TEST_CASE(test_expense_exact_multiple)
{
    struct tempaid_params p = cq_params();
    struct tempaid_request rq =
        expense(TEMPAID_CAUSE_EDUCATION, HH_AREA_URBAN, 4, 3000000, 900000);
    struct tempaid_result r = assess(&rq, &p);
    assert_int_equal(r.months, 3);
    assert_int_equal(r.amount_fen, 900000);
    rq.expense_fen = 900100;
    r = assess(&rq, &p);
    assert_int_equal(r.months, 4);
    assert_int_equal(r.amount_fen, 1200000);
}

/* 支出型 for a 低保 family (Art. 47(2)): income and assets already tested
 * (even with the asset flag unset); rural single person, expense 100 yuan
 * → 1 month needed, raised to the lowest band 2 → 2 × 610 = 1 220 yuan;
 * 2 ≤ 2 → township. */
TEST_CASE(test_expense_dibao_family_min_band)
{
    struct tempaid_params p = cq_params();
    struct tempaid_request rq =
        expense(TEMPAID_CAUSE_OTHER_EXPENSE, HH_AREA_RURAL, 1, 0, 10000);
    rq.dibao_family = 1;
    rq.assets_within_rules = 0;
    struct tempaid_result r = assess(&rq, &p);
    assert_int_equal(r.decision, TEMPAID_ELIGIBLE);
    assert_int_equal(r.months, 2);
    assert_int_equal(r.amount_fen, 122000);
    assert_true(r.township_may_approve);
    assert_true(has_rule("tempaid.expense.dibao_family", EXPLAIN_PASS));
}

/* 支出型, very large expense: urban couple, 500 000 yuan; unit 1 500 →
 * 334 months needed, capped at 12 → 18 000 yuan; the rest 一事一议. */
TEST_CASE(test_expense_capped)
{
    struct tempaid_params p = cq_params();
    struct tempaid_request rq =
        expense(TEMPAID_CAUSE_MEDICAL, HH_AREA_URBAN, 2, 2000000, 50000000);
    struct tempaid_result r = assess(&rq, &p);
    assert_int_equal(r.decision, TEMPAID_ELIGIBLE);
    assert_int_equal(r.months, 12);
    assert_int_equal(r.amount_fen, 1800000);
    assert_true(r.case_by_case);
    assert_true(has_rule("tempaid.case_by_case", EXPLAIN_REVIEW));
}

/* 支出型 income test "低于" is strict (民发〔2018〕23号): per-capita
 * disposable income exactly 20 820 yuan (the rural figure) is not below →
 * not eligible, nothing paid; 1 fen less passes. */
TEST_CASE(test_expense_income_at_limit)
{
    struct tempaid_params p = cq_params();
    struct tempaid_request rq =
        expense(TEMPAID_CAUSE_MEDICAL, HH_AREA_RURAL, 3, LIMIT_RURAL, 500000);
    struct tempaid_result r = assess(&rq, &p);
    assert_int_equal(r.decision, TEMPAID_NOT_ELIGIBLE);
    assert_int_equal(r.amount_fen, 0);
    assert_int_equal(r.part_count, 0);
    assert_true(has_rule("tempaid.expense.income", EXPLAIN_FAIL));
    rq.income_per_capita_annual_fen = LIMIT_RURAL - 1;
    r = assess(&rq, &p);
    /* unit 610 × 3 = 1 830; ceil(5 000 / 1 830) = 3 → 5 490 yuan */
    assert_int_equal(r.decision, TEMPAID_ELIGIBLE);
    assert_int_equal(r.amount_fen, 549000);
}

/* 支出型 asset test (local rules; caseworker's finding) fails → not
 * eligible; no expense at all → not eligible (Art. 47(2) needs one). */
TEST_CASE(test_expense_assets_and_no_expense)
{
    struct tempaid_params p = cq_params();
    struct tempaid_request rq =
        expense(TEMPAID_CAUSE_MEDICAL, HH_AREA_URBAN, 2, 1000000, 300000);
    rq.assets_within_rules = 0;
    struct tempaid_result r = assess(&rq, &p);
    assert_int_equal(r.decision, TEMPAID_NOT_ELIGIBLE);
    assert_true(has_rule("tempaid.expense.assets", EXPLAIN_FAIL));
    rq.assets_within_rules = 1;
    rq.expense_fen = 0;
    r = assess(&rq, &p);
    assert_int_equal(r.decision, TEMPAID_NOT_ELIGIBLE);
    assert_true(has_rule("tempaid.expense.none", EXPLAIN_FAIL));
}

/* A cause of the other type (an education expense asked as 急难) does not
 * fit → not eligible; 其他特殊困难 (Art. 47(3)) → REVIEW (一事一议) with the
 * 急难 band as an indication: 1 month × 750 × 2 = 1 500 yuan. */
TEST_CASE(test_cause_mismatch_and_other)
{
    struct tempaid_params p = cq_params();
    struct tempaid_request rq =
        emergency(TEMPAID_CAUSE_EDUCATION, HH_AREA_URBAN, 2, 1);
    struct tempaid_result r = assess(&rq, &p);
    assert_int_equal(r.decision, TEMPAID_NOT_ELIGIBLE);
    assert_int_equal(r.amount_fen, 0);
    assert_true(has_rule("tempaid.cause_mismatch", EXPLAIN_FAIL));
    rq.cause = TEMPAID_CAUSE_OTHER;
    r = assess(&rq, &p);
    assert_int_equal(r.decision, TEMPAID_REVIEW);
    assert_int_equal(r.amount_fen, 150000);
    assert_true(has_rule("tempaid.other_hardship", EXPLAIN_REVIEW));
}

/* Last year's per-capita disposable income not set (0: a statistic the
 * bureau must enter) → the 支出型 income test cannot be made → REVIEW,
 * band as an indication: urban 1 person, 2 000 yuan → ceil(2000/750) = 3
 * months → 2 250 yuan. */
TEST_CASE(test_income_limit_unset)
{
    struct tempaid_params p = cq_params();
    p.expense_income_limit_urban_annual_fen = 0;
    struct tempaid_request rq =
        expense(TEMPAID_CAUSE_MEDICAL, HH_AREA_URBAN, 1, 1000000, 200000);
    struct tempaid_result r = assess(&rq, &p);
    assert_int_equal(r.decision, TEMPAID_REVIEW);
    assert_int_equal(r.months, 3);
    assert_int_equal(r.amount_fen, 225000);
    assert_true(has_rule("tempaid.expense.income_limit_unset", EXPLAIN_REVIEW));
}

/* Bad inputs are DD_EINVAL and leave a zeroed result. */
TEST_CASE(test_invalid)
{
    struct tempaid_params p = cq_params();
    struct tempaid_request rq =
        emergency(TEMPAID_CAUSE_FIRE, HH_AREA_URBAN, 1, 1);
    struct tempaid_result r;
    assert_int_equal(tempaid_assess(NULL, &p, &r, NULL), DD_EINVAL);
    assert_int_equal(tempaid_assess(&rq, NULL, &r, NULL), DD_EINVAL);
    assert_int_equal(tempaid_assess(&rq, &p, NULL, NULL), DD_EINVAL);
    rq.persons = 0;
    assert_int_equal(tempaid_assess(&rq, &p, &r, NULL), DD_EINVAL);
    assert_int_equal(r.amount_fen, 0);
    rq.persons = 1;
    rq.months_needed = 0; /* 急难 needs ≥ 1 month */
    assert_int_equal(tempaid_assess(&rq, &p, &r, NULL), DD_EINVAL);
    rq.months_needed = 1;
    rq.cause = TEMPAID_CAUSE__COUNT;
    assert_int_equal(tempaid_assess(&rq, &p, &r, NULL), DD_EINVAL);
    rq.cause = TEMPAID_CAUSE_FIRE;
    rq.expense_fen = -1;
    assert_int_equal(tempaid_assess(&rq, &p, &r, NULL), DD_EINVAL);
    rq.expense_fen = 0;
    p.expense_max_months = 1; /* below min 2 */
    assert_int_equal(tempaid_assess(&rq, &p, &r, NULL), DD_EINVAL);
    p = cq_params();
    p.dibao_standard_rural_fen = 0;
    assert_int_equal(tempaid_assess(&rq, &p, &r, NULL), DD_EINVAL);
}

/* Both renderings name the TEMPLATE origin of the band (Chongqing NOT
 * FOUND) and carry the amount. */
TEST_CASE(test_render)
{
    struct tempaid_params p = cq_params();
    struct tempaid_request rq =
        expense(TEMPAID_CAUSE_MEDICAL, HH_AREA_URBAN, 4, 3000000, 1000000);
    (void)assess(&rq, &p);
    render_has(0, 16384, "TEMPLATE", "NOT FOUND", "12000.00 yuan", NULL);
    render_has(1, 16384, "支出型档次", "12000.00元", NULL);
}

/* ---- property test ---- */

/* 4000 generated requests under varied parameters: amount ≥ 0, a whole
 * number of units within the band, parts and explanation summing to it,
 * same result with and without explanation (in assess); more expense
 * never lowers the amount. */
TEST_CASE(test_properties)
{
    rng_state = 20260101;
    int paid = 0;
    for (int it = 0; it < 4000; it++) {
        struct tempaid_params p = cq_params();
        p.expense_min_months = 1 + (int)rnd(3);
        p.expense_max_months = p.expense_min_months + (int)rnd(12);
        p.emergency_max_months = 1 + (int)rnd(6);
        p.township_approval_max_months = (int)rnd(7);
        if (rnd(8) == 0)
            p.expense_income_limit_urban_annual_fen = 0;
        struct tempaid_request rq;
        memset(&rq, 0, sizeof(rq));
        rq.type = rnd(2) ? TEMPAID_EXPENSE : TEMPAID_EMERGENCY;
        rq.cause = (enum tempaid_cause)rnd(TEMPAID_CAUSE__COUNT);
        rq.standard_area = rnd(2) ? HH_AREA_RURAL : HH_AREA_URBAN;
        rq.persons = 1 + (int)rnd(HH_MAX_MEMBERS);
        rq.dibao_family = rnd(4) == 0;
        rq.income_per_capita_annual_fen = rnd(8000000);
        rq.assets_within_rules = rnd(5) != 0;
        rq.expense_fen = rnd(6) == 0 ? 0 : rnd(rnd(2) ? 3000000 : 200000000);
        rq.months_needed = 1 + (int)rnd(10);
        struct tempaid_result r = assess(&rq, &p);
        if (r.decision == TEMPAID_NOT_ELIGIBLE) {
            assert_int_equal(r.amount_fen, 0);
            continue;
        }
        paid++;
        assert_int_equal(r.amount_fen, r.unit_fen * r.months);
        int max = rq.type == TEMPAID_EMERGENCY ? p.emergency_max_months
                                               : p.expense_max_months;
        assert_true(r.months >= 1 && r.months <= max);
        if (rq.type == TEMPAID_EXPENSE) {
            assert_true(r.months >= p.expense_min_months);
            struct tempaid_request rq2 = rq;
            rq2.expense_fen += 1 + rnd(500000);
            struct tempaid_result r2 = assess(&rq2, &p);
            assert_true(r2.amount_fen >= r.amount_fen);
        }
    }
    assert_true(paid > 1000);
    assert_true(paid < 3900);
}

UNIT_TESTS(NULL, NULL, cmocka_unit_test(test_emergency_fire),
           cmocka_unit_test(test_emergency_capped),
           cmocka_unit_test(test_expense_medical),
           cmocka_unit_test(test_expense_exact_multiple),
           cmocka_unit_test(test_expense_dibao_family_min_band),
           cmocka_unit_test(test_expense_capped),
           cmocka_unit_test(test_expense_income_at_limit),
           cmocka_unit_test(test_expense_assets_and_no_expense),
           cmocka_unit_test(test_cause_mismatch_and_other),
           cmocka_unit_test(test_income_limit_unset),
           cmocka_unit_test(test_invalid), cmocka_unit_test(test_render),
           cmocka_unit_test(test_properties))
