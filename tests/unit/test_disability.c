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
    return (struct disability_applicant){.category = cat,
                                         .grade = grade,
                                         .card_valid = 1,
                                         .hukou_local = 1,
                                         .household = hh,
                                         .care_months = care_months};
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

/* A hand-worked case, "test/step": the applicant (category, grade,
 * household, care months), what differs from cq_params(0) and a valid
 * local card (flags), the 工伤 生活护理费 received, and the answer: living
 * and care decisions, living, care and total amounts, parts, whether the
 * 工伤 allowance stops (ROW_ANY: not checked), and up to two rule lines
 * with their results (NULL: none). */
struct dcase {
    const char *name;
    enum hh_disability cat;
    int grade;
    enum disability_household hh;
    int care_months, flags;
    int64_t work_injury_fen;
    int64_t living, care, living_fen, care_fen, amount, parts, forgo;
    const char *rule;
    enum explain_result rule_res;
    const char *rule2;
    enum explain_result rule2_res;
};

enum {
    BEFORE2022 = 1,    /* cq_params(1) */
    NEAR_POOR_OFF = 2, /* disability.living_subsidy.near_poor 0 */
    ORPHAN = 4,
    DEFACTO = 8,
    NO_CARD = 16,
    NOT_LOCAL = 32
};

#define ANY ROW_ANY
#define NOT DISABILITY_NOT_ELIGIBLE
#define ELIG DISABILITY_ELIGIBLE
#define REVIEW DISABILITY_REVIEW
#define INFO EXPLAIN_INFO
#define FAIL EXPLAIN_FAIL

/* clang-format off */
static const struct dcase dcases[] = {
    /* Grade 1 physical in a 低保 family, care needed 12 months ≥ 6: living
     * subsidy 80 (dibao family, 国发〔2015〕52号) + care subsidy grade 1 90
     * (both may be received together) = 170 yuan a month. */
    {"dibao_grade1_both", HH_DIS_PHYSICAL, 1, DISABILITY_HH_DIBAO, 12, 0, 0,
     ELIG, ELIG, 8000, 9000, 17000, 2, ANY, NULL, 0, NULL, 0},
    /* Before 2022-10-01 the same person got 70 + 80 = 150 (the earlier
     * rates, 90/80 − 10 and 80 − 10, §4). */
    {"rates_before_2022", HH_DIS_PHYSICAL, 1, DISABILITY_HH_DIBAO, 12, BEFORE2022, 0,
     ANY, ANY, ANY, ANY, 15000, ANY, ANY, NULL, 0, NULL, 0},
    /* 长期照护 = care lasting ≥ 6 months (国发〔2015〕52号): grade 2 visual in
     * a 低保 family with 6 months → 80 + 80 = 160; with 5 months → living
     * 80 only. */
    {"long_term_boundary/6_months", HH_DIS_VISUAL, 2, DISABILITY_HH_DIBAO, 6, 0, 0,
     ANY, ANY, ANY, ANY, 16000, ANY, ANY, NULL, 0, NULL, 0},
    {"long_term_boundary/5_months", HH_DIS_VISUAL, 2, DISABILITY_HH_DIBAO, 5, 0, 0,
     ANY, NOT, ANY, ANY, 8000, ANY, ANY, "disability.care.long_term", FAIL, NULL, 0},
    /* Grade 3 intellectual, not a 低保 or 边缘 family, care 12 months: no
     * living subsidy (household); care subsidy under Chongqing's grade 3–4
     * intellectual/mental extension at the assumed grade-2 rate 80 (NOT
     * FOUND, said in the explanation). Grade 4 mental: the same. */
    {"grade34_mental_care_only/intellectual3", HH_DIS_INTELLECTUAL, 3, DISABILITY_HH_OTHER, 12, 0, 0,
     NOT, ELIG, ANY, ANY, 8000, ANY, ANY, "disability.care.grade34_rate_assumed", INFO,
     "disability.living.household", FAIL},
    {"grade34_mental_care_only/mental4", HH_DIS_MENTAL, 4, DISABILITY_HH_OTHER, 12, 0, 0,
     ANY, ANY, ANY, 8000, ANY, ANY, ANY, NULL, 0, NULL, 0},
    /* Grade 3 physical (and grade 4 多重) get no care subsidy: the extension
     * is for intellectual and mental only; in a 低保 family the living
     * subsidy 80 is still paid. */
    {"grade3_physical_living_only/physical3", HH_DIS_PHYSICAL, 3, DISABILITY_HH_DIBAO, 24, 0, 0,
     ANY, NOT, 8000, ANY, 8000, ANY, ANY, "disability.care.grade", FAIL, NULL, 0},
    {"grade3_physical_living_only/multiple4", HH_DIS_MULTIPLE, 4, DISABILITY_HH_DIBAO, 24, 0, 0,
     ANY, ANY, ANY, 0, 8000, ANY, ANY, NULL, 0, NULL, 0},
    /* 低保边缘 family (Chongqing lists 低收入边缘残疾家庭, parameter
     * disability.living_subsidy.near_poor): 1 → living 80; 0 → nothing. */
    {"near_poor_parameter/1", HH_DIS_HEARING, 4, DISABILITY_HH_NEAR_POOR, 0, 0, 0,
     ELIG, ANY, ANY, ANY, 8000, ANY, ANY, NULL, 0, NULL, 0},
    {"near_poor_parameter/0", HH_DIS_HEARING, 4, DISABILITY_HH_NEAR_POOR, 0, NEAR_POOR_OFF, 0,
     NOT, ANY, ANY, ANY, 0, ANY, ANY, NULL, 0, NULL, 0},
    /* A disabled child under orphan protection gets no living subsidy (§4),
     * nor one on the full 事实无人抚养 subsidy (民发〔2019〕62号); both may
     * still get the care subsidy: grade 1 → 90 only. */
    {"child_exclusions/orphan", HH_DIS_INTELLECTUAL, 1, DISABILITY_HH_DIBAO, 12, ORPHAN, 0,
     NOT, ANY, ANY, ANY, 9000, ANY, ANY, "disability.living.orphan_excluded", FAIL, NULL, 0},
    {"child_exclusions/defacto", HH_DIS_INTELLECTUAL, 1, DISABILITY_HH_DIBAO, 12, DEFACTO, 0,
     ANY, ANY, ANY, ANY, 9000, ANY, ANY, "disability.living.defacto_excluded", FAIL, NULL, 0},
    /* 特困 person, grade 2 mental, care 6 months: §4 does not name 特困 for
     * the living subsidy → REVIEW with 80 indicated; care subsidy 80
     * eligible; total 160. */
    {"tekun_review", HH_DIS_MENTAL, 2, DISABILITY_HH_TEKUN, 6, 0, 0,
     REVIEW, ELIG, ANY, ANY, 16000, ANY, ANY, "disability.living.tekun", EXPLAIN_REVIEW, NULL, 0},
    /* No valid 2nd-generation card, or no Chongqing 户籍 (§4 Chongqing
     * eligibility): neither subsidy; no disability at all: nothing. */
    {"card_and_hukou/no_card", HH_DIS_PHYSICAL, 1, DISABILITY_HH_DIBAO, 12, NO_CARD, 0,
     ANY, ANY, ANY, ANY, 0, ANY, ANY, "disability.card", FAIL, NULL, 0},
    {"card_and_hukou/not_local", HH_DIS_PHYSICAL, 1, DISABILITY_HH_DIBAO, 12, NOT_LOCAL, 0,
     ANY, ANY, ANY, ANY, 0, ANY, ANY, "disability.hukou", FAIL, NULL, 0},
    {"card_and_hukou/no_disability", HH_DIS_NONE, 0, DISABILITY_HH_DIBAO, 12, 0, 0,
     ANY, ANY, ANY, ANY, 0, ANY, ANY, NULL, 0, NULL, 0},
    /* 工伤 生活护理费 "择高" (§4, L): allowance 100 ≥ grade-1 care 90 →
     * keeps the allowance, no care subsidy; allowance 50 < 90 → care
     * subsidy 90 and the allowance stops. Living subsidy 80 unaffected: 80
     * and 170. */
    {"work_injury_choice/allowance_100", HH_DIS_PHYSICAL, 1, DISABILITY_HH_DIBAO, 12, 0, 10000,
     ANY, NOT, ANY, ANY, 8000, ANY, 0, NULL, 0, NULL, 0},
    {"work_injury_choice/allowance_50", HH_DIS_PHYSICAL, 1, DISABILITY_HH_DIBAO, 12, 0, 5000,
     ANY, ANY, ANY, 9000, 17000, ANY, 1, NULL, 0, NULL, 0},
};
/* clang-format on */

/* Assesses a row (in assess: with and without explanation agreeing,
 * parts and explanation adding up) and checks its answer, a failure
 * naming the row. */
static void
dcase_check(const void *row)
{
    const struct dcase *c = row;
    struct disability_params p = cq_params(!!(c->flags & BEFORE2022));
    if (c->flags & NEAR_POOR_OFF)
        p.living_subsidy_near_poor = 0;
    struct disability_applicant a =
        applicant(c->cat, c->grade, c->hh, c->care_months);
    a.orphan_protected = !!(c->flags & ORPHAN);
    a.defacto_full_subsidy = !!(c->flags & DEFACTO);
    a.card_valid = !(c->flags & NO_CARD);
    a.hukou_local = !(c->flags & NOT_LOCAL);
    a.work_injury_care_fen = c->work_injury_fen;
    struct disability_result r = assess(&a, &p);
    /* clang-format off */
    ROW_EXPECT(c->name, {"living", c->living, r.living}, {"care", c->care, r.care},
               {"living_fen", c->living_fen, r.living_fen}, {"care_fen", c->care_fen, r.care_fen},
               {"amount", c->amount, r.amount_fen}, {"parts", c->parts, r.part_count},
               {"forgo_work_injury_care", c->forgo, !!r.forgo_work_injury_care});
    /* clang-format on */
    row_rule(c->name, c->rule, c->rule_res);
    row_rule(c->name, c->rule2, c->rule2_res);
}

/* clang-format off */
#define DCASE(test)                                                            \
    TEST_CASE(test_##test) { ROWS_WALK(dcases, #test, dcase_check); }
DCASE(dibao_grade1_both) DCASE(rates_before_2022) DCASE(long_term_boundary)
DCASE(grade34_mental_care_only) DCASE(grade3_physical_living_only)
DCASE(near_poor_parameter) DCASE(child_exclusions) DCASE(tekun_review)
DCASE(card_and_hukou) DCASE(work_injury_choice)
/* clang-format on */

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
