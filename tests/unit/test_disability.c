/* SPDX-License-Identifier: MIT */
/* 残疾人两项补贴 engine: cases worked by hand from domain.md §4 with
 * Chongqing's amounts (from 2022-10-01: living 80; care grade 1: 90,
 * grade 2: 80; grade 3–4 intellectual/mental: NOT FOUND, grade-2 rate 80
 * assumed; before: 70 and 80/70), each with its rule in a comment; then a
 * property test over generated applicants (fixed seed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "unit_main.h"

#include "domain/disability.h"
#include "engine_fixture.h"
#include "test_rng.h"

/* 2022-10-01 onwards (img.ccschy.com, M); before2022: the earlier rates */
static struct disability_params
cq_params(int before2022)
{
    struct disability_params p;
    memset(&p, 0, sizeof(p));
    p.living_subsidy_fen = before2022 ? 7000 : 8000;
    p.care_subsidy_grade1_fen = before2022 ? 8000 : 9000;
    p.care_subsidy_grade2_fen = before2022 ? 7000 : 8000;
    p.care_subsidy_grade34_mental_fen = before2022 ? 7000 : 8000;
    p.long_term_care_months = 6;
    p.living_subsidy_near_poor = 1;
    return p;
}

static struct disability_applicant
applicant(enum hh_disability cat, int grade, enum disability_household hh,
          int care_months)
{
    struct disability_applicant a;
    memset(&a, 0, sizeof(a));
    a.category = cat;
    a.grade = grade;
    a.card_valid = 1;
    a.hukou_local = 1;
    a.household = hh;
    a.care_months = care_months;
    return a;
}

static struct disability_result
assess(const struct disability_applicant *a, const struct disability_params *p)
{
    struct disability_result r1, r2;
    explain_init(&ex_buf);
    assert_int_equal(disability_assess(a, p, 0, &r1, NULL), DD_OK);
    assert_int_equal(disability_assess(a, p, 0, &r2, &ex_buf), DD_OK);
    results_agree(&r1, &r2, sizeof(r1), r1.amount_fen, PARTS_SUM(&r1));
    assert_int_equal(r1.amount_fen, r1.living_fen + r1.care_fen);
    return r1;
}

/* Grade 1 physical in a 低保 family, care needed 12 months ≥ 6: living
 * subsidy 80 (dibao family, 国发〔2015〕52号) + care subsidy grade 1 90
 * (both may be received together) = 170 yuan a month. */
TEST_CASE(test_dibao_grade1_both)
{
    struct disability_params p = cq_params(0);
    struct disability_applicant a =
        applicant(HH_DIS_PHYSICAL, 1, DISABILITY_HH_DIBAO, 12);
    struct disability_result r = assess(&a, &p);
    assert_int_equal(r.living, DISABILITY_ELIGIBLE);
    assert_int_equal(r.care, DISABILITY_ELIGIBLE);
    assert_int_equal(r.living_fen, 8000);
    assert_int_equal(r.care_fen, 9000);
    assert_int_equal(r.amount_fen, 17000);
    assert_int_equal(r.part_count, 2);
}

/* Before 2022-10-01 the same person got 70 + 80 = 150 (the earlier rates,
 * 90/80 − 10 and 80 − 10, §4). */
TEST_CASE(test_rates_before_2022)
{
    struct disability_params p = cq_params(1);
    struct disability_applicant a =
        applicant(HH_DIS_PHYSICAL, 1, DISABILITY_HH_DIBAO, 12);
    struct disability_result r = assess(&a, &p);
    assert_int_equal(r.amount_fen, 15000);
}

/* 长期照护 = care lasting ≥ 6 months (国发〔2015〕52号): grade 2 visual in a
 * 低保 family with 6 months → 80 + 80 = 160; with 5 months → living 80
 * only. */
TEST_CASE(test_long_term_boundary)
{
    struct disability_params p = cq_params(0);
    struct disability_applicant a =
        applicant(HH_DIS_VISUAL, 2, DISABILITY_HH_DIBAO, 6);
    struct disability_result r = assess(&a, &p);
    assert_int_equal(r.amount_fen, 16000);
    a.care_months = 5;
    r = assess(&a, &p);
    assert_int_equal(r.care, DISABILITY_NOT_ELIGIBLE);
    assert_int_equal(r.amount_fen, 8000);
    assert_true(has_rule("disability.care.long_term", EXPLAIN_FAIL));
}

/* Grade 3 intellectual, not a 低保 or 边缘 family, care 12 months: no living
 * subsidy (household); care subsidy under Chongqing's grade 3–4
 * intellectual/mental extension at the assumed grade-2 rate 80 (NOT
 * FOUND, said in the explanation). Grade 4 mental: the same. */
TEST_CASE(test_grade34_mental_care_only)
{
    struct disability_params p = cq_params(0);
    struct disability_applicant a =
        applicant(HH_DIS_INTELLECTUAL, 3, DISABILITY_HH_OTHER, 12);
    struct disability_result r = assess(&a, &p);
    assert_int_equal(r.living, DISABILITY_NOT_ELIGIBLE);
    assert_int_equal(r.care, DISABILITY_ELIGIBLE);
    assert_int_equal(r.amount_fen, 8000);
    assert_true(has_rule("disability.care.grade34_rate_assumed", EXPLAIN_INFO));
    assert_true(has_rule("disability.living.household", EXPLAIN_FAIL));
    a.category = HH_DIS_MENTAL;
    a.grade = 4;
    r = assess(&a, &p);
    assert_int_equal(r.care_fen, 8000);
}

/* Grade 3 physical (and grade 4 多重) get no care subsidy: the extension is
 * for intellectual and mental only; in a 低保 family the living subsidy
 * 80 is still paid. */
TEST_CASE(test_grade3_physical_living_only)
{
    struct disability_params p = cq_params(0);
    struct disability_applicant a =
        applicant(HH_DIS_PHYSICAL, 3, DISABILITY_HH_DIBAO, 24);
    struct disability_result r = assess(&a, &p);
    assert_int_equal(r.living_fen, 8000);
    assert_int_equal(r.care, DISABILITY_NOT_ELIGIBLE);
    assert_int_equal(r.amount_fen, 8000);
    assert_true(has_rule("disability.care.grade", EXPLAIN_FAIL));
    a.category = HH_DIS_MULTIPLE;
    a.grade = 4;
    r = assess(&a, &p);
    assert_int_equal(r.care_fen, 0);
    assert_int_equal(r.amount_fen, 8000);
}

/* 低保边缘 family (Chongqing lists 低收入边缘残疾家庭, parameter
 * disability.living_subsidy.near_poor): 1 → living 80; 0 → nothing. */
TEST_CASE(test_near_poor_parameter)
{
    struct disability_params p = cq_params(0);
    struct disability_applicant a =
        applicant(HH_DIS_HEARING, 4, DISABILITY_HH_NEAR_POOR, 0);
    struct disability_result r = assess(&a, &p);
    assert_int_equal(r.living, DISABILITY_ELIGIBLE);
    assert_int_equal(r.amount_fen, 8000);
    p.living_subsidy_near_poor = 0;
    r = assess(&a, &p);
    assert_int_equal(r.living, DISABILITY_NOT_ELIGIBLE);
    assert_int_equal(r.amount_fen, 0);
}

/* A disabled child under orphan protection gets no living subsidy (§4),
 * nor one on the full 事实无人抚养 subsidy (民发〔2019〕62号); both may still
 * get the care subsidy: grade 1 → 90 only. */
TEST_CASE(test_child_exclusions)
{
    struct disability_params p = cq_params(0);
    struct disability_applicant a =
        applicant(HH_DIS_INTELLECTUAL, 1, DISABILITY_HH_DIBAO, 12);
    a.orphan_protected = 1;
    struct disability_result r = assess(&a, &p);
    assert_int_equal(r.living, DISABILITY_NOT_ELIGIBLE);
    assert_int_equal(r.amount_fen, 9000);
    assert_true(has_rule("disability.living.orphan_excluded", EXPLAIN_FAIL));
    a.orphan_protected = 0;
    a.defacto_full_subsidy = 1;
    r = assess(&a, &p);
    assert_int_equal(r.amount_fen, 9000);
    assert_true(has_rule("disability.living.defacto_excluded", EXPLAIN_FAIL));
}

/* 特困 person, grade 2 mental, care 6 months: §4 does not name 特困 for the
 * living subsidy → REVIEW with 80 indicated; care subsidy 80 eligible;
 * total 160. */
TEST_CASE(test_tekun_review)
{
    struct disability_params p = cq_params(0);
    struct disability_applicant a =
        applicant(HH_DIS_MENTAL, 2, DISABILITY_HH_TEKUN, 6);
    struct disability_result r = assess(&a, &p);
    assert_int_equal(r.living, DISABILITY_REVIEW);
    assert_int_equal(r.care, DISABILITY_ELIGIBLE);
    assert_int_equal(r.amount_fen, 16000);
    assert_true(has_rule("disability.living.tekun", EXPLAIN_REVIEW));
}

/* No valid 2nd-generation card, or no Chongqing 户籍 (§4 Chongqing
 * eligibility): neither subsidy. */
TEST_CASE(test_card_and_hukou)
{
    struct disability_params p = cq_params(0);
    struct disability_applicant a =
        applicant(HH_DIS_PHYSICAL, 1, DISABILITY_HH_DIBAO, 12);
    a.card_valid = 0;
    struct disability_result r = assess(&a, &p);
    assert_int_equal(r.amount_fen, 0);
    assert_true(has_rule("disability.card", EXPLAIN_FAIL));
    a.card_valid = 1;
    a.hukou_local = 0;
    r = assess(&a, &p);
    assert_int_equal(r.amount_fen, 0);
    assert_true(has_rule("disability.hukou", EXPLAIN_FAIL));
    /* no disability at all: nothing */
    a = applicant(HH_DIS_NONE, 0, DISABILITY_HH_DIBAO, 12);
    r = assess(&a, &p);
    assert_int_equal(r.amount_fen, 0);
}

/* 工伤 生活护理费 "择高" (§4, L): allowance 100 ≥ grade-1 care 90 → keeps
 * the allowance, no care subsidy; allowance 50 < 90 → care subsidy 90 and
 * the allowance stops. Living subsidy 80 unaffected: 80 and 170. */
TEST_CASE(test_work_injury_choice)
{
    struct disability_params p = cq_params(0);
    struct disability_applicant a =
        applicant(HH_DIS_PHYSICAL, 1, DISABILITY_HH_DIBAO, 12);
    a.work_injury_care_fen = 10000;
    struct disability_result r = assess(&a, &p);
    assert_int_equal(r.care, DISABILITY_NOT_ELIGIBLE);
    assert_int_equal(r.amount_fen, 8000);
    assert_false(r.forgo_work_injury_care);
    a.work_injury_care_fen = 5000;
    r = assess(&a, &p);
    assert_int_equal(r.care_fen, 9000);
    assert_int_equal(r.amount_fen, 17000);
    assert_true(r.forgo_work_injury_care);
}

TEST_CASE(test_invalid)
{
    struct disability_params p = cq_params(0);
    struct disability_applicant a =
        applicant(HH_DIS_PHYSICAL, 5, DISABILITY_HH_DIBAO, 12);
    struct disability_result r;
    assert_int_equal(disability_assess(&a, &p, 0, &r, NULL), DD_EINVAL);
    a.grade = 1;
    a.household = DISABILITY_HH__COUNT;
    assert_int_equal(disability_assess(&a, &p, 0, &r, NULL), DD_EINVAL);
    a.household = DISABILITY_HH_DIBAO;
    a.work_injury_care_fen = -1;
    assert_int_equal(disability_assess(&a, &p, 0, &r, NULL), DD_EINVAL);
    a.work_injury_care_fen = 0;
    p.living_subsidy_fen = -1;
    assert_int_equal(disability_assess(&a, &p, 0, &r, NULL), DD_EINVAL);
    p = cq_params(0);
    assert_int_equal(disability_assess(NULL, &p, 0, &r, NULL), DD_EINVAL);
    assert_int_equal(disability_assess(&a, NULL, 0, &r, NULL), DD_EINVAL);
    assert_int_equal(disability_assess(&a, &p, 0, NULL, NULL), DD_EINVAL);
    assert_int_equal(disability_assess(&a, &p, 0, &r, NULL), DD_OK);
}

TEST_CASE(test_render)
{
    struct disability_params p = cq_params(0);
    struct disability_applicant a =
        applicant(HH_DIS_MENTAL, 3, DISABILITY_HH_DIBAO, 12);
    (void)assess(&a, &p);
    render_has(0, 8192, "NOT FOUND", "80.00 yuan", NULL);
    render_has(1, 8192, "重度残疾人护理补贴", "160.00元", NULL);
}

/* ---- property test ---- */

/* 3000 generated applicants: amount ≥ 0 and ≤ living + the highest care
 * rate; parts and explanation sum to it; identical with and without
 * explanation (in assess). */
TEST_CASE(test_properties)
{
    rng_state = 20221001;
    int paid = 0;
    for (int it = 0; it < 3000; it++) {
        struct disability_params p = cq_params((int)rnd(2));
        p.living_subsidy_near_poor = (int)rnd(2);
        struct disability_applicant a;
        memset(&a, 0, sizeof(a));
        a.category = (enum hh_disability)rnd(HH_DIS_MULTIPLE + 1);
        a.grade = a.category == HH_DIS_NONE ? 0 : 1 + (int)rnd(4);
        a.card_valid = rnd(8) != 0;
        a.hukou_local = rnd(8) != 0;
        a.household = (enum disability_household)rnd(DISABILITY_HH__COUNT);
        a.care_months = (int)rnd(25);
        a.orphan_protected = rnd(10) == 0;
        a.defacto_full_subsidy = rnd(10) == 0;
        a.work_injury_care_fen = rnd(6) == 0 ? rnd(15000) : 0;
        struct disability_result r = assess(&a, &p);
        assert_true(r.amount_fen <=
                    p.living_subsidy_fen + p.care_subsidy_grade1_fen);
        paid += r.amount_fen > 0;
    }
    assert_true(paid > 500);
    assert_true(paid < 2900);
}

UNIT_TESTS(NULL, NULL, cmocka_unit_test(test_dibao_grade1_both),
           cmocka_unit_test(test_rates_before_2022),
           cmocka_unit_test(test_long_term_boundary),
           cmocka_unit_test(test_grade34_mental_care_only),
           cmocka_unit_test(test_grade3_physical_living_only),
           cmocka_unit_test(test_near_poor_parameter),
           cmocka_unit_test(test_child_exclusions),
           cmocka_unit_test(test_tekun_review),
           cmocka_unit_test(test_card_and_hukou),
           cmocka_unit_test(test_work_injury_choice),
           cmocka_unit_test(test_invalid), cmocka_unit_test(test_render),
           cmocka_unit_test(test_properties))
