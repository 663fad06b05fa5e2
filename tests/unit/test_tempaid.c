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

/* A request: type, cause, area, persons, months needed (急难), per-capita
 * annual disposable income, expense, 低保 family, assets within rules. */
#define RQ(type_, cause_, area_, persons_, months_, income_, expense_,         \
           dibao_, assets_)                                                    \
    {.type = TEMPAID_##type_,                                                  \
     .cause = TEMPAID_CAUSE_##cause_,                                          \
     .standard_area = HH_AREA_##area_,                                         \
     .persons = (persons_),                                                    \
     .months_needed = (months_),                                               \
     .income_per_capita_annual_fen = (income_),                                \
     .expense_fen = (expense_),                                                \
     .dibao_family = (dibao_),                                                 \
     .assets_within_rules = (assets_)}

/* A hand-worked case, "test/step": the request, whether the urban income
 * limit is unset (0), and the answer: decision, unit, months, amount,
 * parts, township may approve, assist first, case by case (ROW_ANY: not
 * checked) and a rule line with its result (NULL: none). */
struct tcase {
    const char *name;
    struct tempaid_request rq;
    int limit_unset;
    int64_t decision, unit, months, amount, parts;
    int64_t township, assist_first, case_by_case;
    const char *rule;
    enum explain_result rule_res;
};

#define ANY ROW_ANY
#define NOT TEMPAID_NOT_ELIGIBLE
#define ELIG TEMPAID_ELIGIBLE
#define REVIEW TEMPAID_REVIEW

static const struct tcase tcases[] = {
    /* 急难型, fire (Art. 47(1)), urban family of 3, two months disrupted:
     * unit 750 × 3 = 2 250 yuan; 2 months ≤ 3 (TEMPLATE max) → 4 500
     * yuan; 2 ≤ township ceiling 2 → the township approves; 先行救助. */
    {"emergency_fire", RQ(EMERGENCY, FIRE, URBAN, 3, 2, 0, 0, 0, 0), 0, ELIG,
     225000, 2, 450000, ANY, 1, 1, 0, "tempaid.emergency.assist_first",
     EXPLAIN_INFO},
    /* 急难型, sudden major illness, rural single person, 5 months
     * disrupted: capped at tempaid.emergency.max_months 3 → 3 × 610 =
     * 1 830 yuan; the rest is 一事一议 (case_by_case); 3 > 2 → county
     * approval. No income or asset test applies to 急难 (2020 意见): a
     * high income (1 million yuan) changes nothing. */
    {"emergency_capped",
     RQ(EMERGENCY, SUDDEN_ILLNESS, RURAL, 1, 5, 100000000, 0, 0, 0), 0, ELIG,
     ANY, 3, 183000, ANY, 0, ANY, 1, "tempaid.county_approval", EXPLAIN_INFO},
    /* 支出型, medical, urban family of 4, per-capita disposable income
     * 30 000 < 47 435: expense 10 000 yuan; unit 750 × 4 = 3 000;
     * ceil(10 000 / 3 000) = 4 months (within 2–12) → 12 000 yuan; 4 > 2
     * → county approval. */
    {"expense_medical", RQ(EXPENSE, MEDICAL, URBAN, 4, 0, 3000000, 1000000, 0, 1),
     0, ELIG, ANY, 4, 1200000, ANY, 0, 0, ANY, "tempaid.expense.income",
     EXPLAIN_PASS},
    /* 支出型, exact multiple: expense 9 000 yuan = 3 units of 3 000 →
     * exactly 3 months (no rounding up beyond the multiple) → 9 000 yuan;
     * 9 001 yuan needs a 4th month → 12 000. */
    {"expense_exact_multiple/9000",
     RQ(EXPENSE, EDUCATION, URBAN, 4, 0, 3000000, 900000, 0, 1), 0, ANY, ANY,
     3, 900000, ANY, ANY, ANY, ANY, NULL, 0},
    {"expense_exact_multiple/9001",
     RQ(EXPENSE, EDUCATION, URBAN, 4, 0, 3000000, 900100, 0, 1), 0, ANY, ANY,
     4, 1200000, ANY, ANY, ANY, ANY, NULL, 0},
    /* 支出型 for a 低保 family (Art. 47(2)): income and assets already
     * tested (even with the asset flag unset); rural single person,
     * expense 100 yuan → 1 month needed, raised to the lowest band 2 →
     * 2 × 610 = 1 220 yuan; 2 ≤ 2 → township. */
    {"expense_dibao_family_min_band",
     RQ(EXPENSE, OTHER_EXPENSE, RURAL, 1, 0, 0, 10000, 1, 0), 0, ELIG, ANY, 2,
     122000, ANY, 1, ANY, ANY, "tempaid.expense.dibao_family", EXPLAIN_PASS},
    /* 支出型, very large expense: urban couple, 500 000 yuan; unit 1 500 →
     * 334 months needed, capped at 12 → 18 000 yuan; the rest 一事一议. */
    {"expense_capped",
     RQ(EXPENSE, MEDICAL, URBAN, 2, 0, 2000000, 50000000, 0, 1), 0, ELIG, ANY,
     12, 1800000, ANY, ANY, ANY, 1, "tempaid.case_by_case", EXPLAIN_REVIEW},
    /* 支出型 income test "低于" is strict (民发〔2018〕23号): per-capita
     * disposable income exactly 20 820 yuan (the rural figure) is not
     * below → not eligible, nothing paid; 1 fen less passes: unit 610 × 3
     * = 1 830; ceil(5 000 / 1 830) = 3 → 5 490 yuan. */
    {"expense_income_at_limit/at",
     RQ(EXPENSE, MEDICAL, RURAL, 3, 0, LIMIT_RURAL, 500000, 0, 1), 0, NOT, ANY,
     ANY, 0, 0, ANY, ANY, ANY, "tempaid.expense.income", EXPLAIN_FAIL},
    {"expense_income_at_limit/below",
     RQ(EXPENSE, MEDICAL, RURAL, 3, 0, LIMIT_RURAL - 1, 500000, 0, 1), 0, ELIG,
     ANY, ANY, 549000, ANY, ANY, ANY, ANY, NULL, 0},
    /* 支出型 asset test (local rules; caseworker's finding) fails → not
     * eligible; no expense at all → not eligible (Art. 47(2) needs one). */
    {"expense_assets_and_no_expense/assets",
     RQ(EXPENSE, MEDICAL, URBAN, 2, 0, 1000000, 300000, 0, 0), 0, NOT, ANY,
     ANY, ANY, ANY, ANY, ANY, ANY, "tempaid.expense.assets", EXPLAIN_FAIL},
    {"expense_assets_and_no_expense/no_expense",
     RQ(EXPENSE, MEDICAL, URBAN, 2, 0, 1000000, 0, 0, 1), 0, NOT, ANY, ANY,
     ANY, ANY, ANY, ANY, ANY, "tempaid.expense.none", EXPLAIN_FAIL},
    /* A cause of the other type (an education expense asked as 急难) does
     * not fit → not eligible; 其他特殊困难 (Art. 47(3)) → REVIEW (一事一议)
     * with the 急难 band as an indication: 1 month × 750 × 2 = 1 500 yuan. */
    {"cause_mismatch_and_other/mismatch",
     RQ(EMERGENCY, EDUCATION, URBAN, 2, 1, 0, 0, 0, 0), 0, NOT, ANY, ANY, 0,
     ANY, ANY, ANY, ANY, "tempaid.cause_mismatch", EXPLAIN_FAIL},
    {"cause_mismatch_and_other/other",
     RQ(EMERGENCY, OTHER, URBAN, 2, 1, 0, 0, 0, 0), 0, REVIEW, ANY, ANY,
     150000, ANY, ANY, ANY, ANY, "tempaid.other_hardship", EXPLAIN_REVIEW},
    /* Last year's per-capita disposable income not set (0: a statistic the
     * bureau must enter) → the 支出型 income test cannot be made → REVIEW,
     * band as an indication: urban 1 person, 2 000 yuan → ceil(2000/750) =
     * 3 months → 2 250 yuan. */
    {"income_limit_unset",
     RQ(EXPENSE, MEDICAL, URBAN, 1, 0, 1000000, 200000, 0, 1), 1, REVIEW, ANY,
     3, 225000, ANY, ANY, ANY, ANY, "tempaid.expense.income_limit_unset",
     EXPLAIN_REVIEW},
};

/* Assesses each row of test (in assess: with and without explanation
 * agreeing, parts and explanation adding up) and checks its answer, a
 * failure naming the row. */
static void
tcases_check(const char *test)
{
    int rows = 0;
    for (size_t i = 0; i < sizeof(tcases) / sizeof(tcases[0]); i++) {
        const struct tcase *c = &tcases[i];
        if (!row_of(c->name, test))
            continue;
        struct tempaid_params p = cq_params();
        if (c->limit_unset)
            p.expense_income_limit_urban_annual_fen = 0;
        struct tempaid_result r = assess(&c->rq, &p);
        ROW_EXPECT(c->name, {"decision", c->decision, r.decision},
                   {"unit", c->unit, r.unit_fen}, {"months", c->months, r.months},
                   {"amount", c->amount, r.amount_fen},
                   {"parts", c->parts, r.part_count},
                   {"township", c->township, !!r.township_may_approve},
                   {"assist_first", c->assist_first, !!r.assist_first},
                   {"case_by_case", c->case_by_case, !!r.case_by_case});
        row_rule(c->name, c->rule, c->rule_res);
        rows++;
    }
    assert_true(rows > 0);
}

#define TCASE(test)                                                            \
    TEST_CASE(test_##test) { tcases_check(#test); }
TCASE(emergency_fire)
TCASE(emergency_capped)
TCASE(expense_medical)
TCASE(expense_exact_multiple)
TCASE(expense_dibao_family_min_band)
TCASE(expense_capped)
TCASE(expense_income_at_limit)
TCASE(expense_assets_and_no_expense)
TCASE(cause_mismatch_and_other)
TCASE(income_limit_unset)

/* Bad inputs are DD_EINVAL and leave a zeroed result. */
TEST_CASE(test_invalid)
{
    struct tempaid_params p = cq_params();
    struct tempaid_request rq = RQ(EMERGENCY, FIRE, URBAN, 1, 1, 0, 0, 0, 0);
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
    (void)assess(&tcases[2].rq, &p); /* expense_medical */
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
