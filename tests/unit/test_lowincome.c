/* SPDX-License-Identifier: MIT */
/* 低保边缘 and 刚性支出 recognition: cases worked by hand from domain.md
 * §1.1 and §6 with Chongqing's 2025-07-01 standards (urban 770, rural 630;
 * 边缘 line 1.5 × = 1155 and 945), each with its rule in a comment; the
 * locally set figures NOT FOUND are test values, said where used. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "unit_main.h"

#include "domain/lowincome.h"
#include "engine_fixture.h"
#include "test_rng.h"

/* ASSUMED for the tests (NOT FOUND / statistics): last year's per-capita
 * disposable income urban 47 435, rural 20 820 yuan; rigid ratio 250 ‰ */
#define LIMIT_URBAN 4743500
#define LIMIT_RURAL 2082000

static struct lowincome_params
cq_params(void)
{
    struct lowincome_params p;
    memset(&p, 0, sizeof(p));
    struct dibao_params *d = &p.dibao;
    /* 2025-07-01 */
    d->standard_urban_fen = 77000, d->standard_rural_fen = 63000;
    d->exempt_basic_pension = 1, d->exempt_disability_subsidy = 1;
    d->exempt_kin_support = 1;
    d->asset_deposit_months = 12; /* 2013 template */
    d->asset_vehicle_max = 0;
    d->asset_dwelling_min_count = 2;
    d->asset_housing_area_dm2 = 1300, d->asset_housing_area_multiple = 3;
    d->increment_disabled_fen = 4000;
    d->increment_severe_disability_fen = 6000;
    d->increment_major_illness_fen = 6000;
    d->increment_elderly_fen = 6000, d->increment_elderly_min_age = 70;
    d->increment_preschool_fen = 10000, d->increment_preschool_max_age = 6;
    d->increment_student_fen = 10000;
    d->near_poor_ratio_permille = 1500; /* dibao.near_poor.income_ratio */
    d->single_share_permille = 1000;
    d->phaseout_months = 6;
    p.rigid_lookback_months = 12;
    p.rigid_validity_months = 12;
    p.rigid_expense_ratio_permille = 250; /* ASSUMED */
    p.rigid_income_limit_urban_annual_fen = LIMIT_URBAN;
    p.rigid_income_limit_rural_annual_fen = LIMIT_RURAL;
    return p;
}

/* Household of n adults (applicant, spouse, then adult children in full-
 * time study so they are counted), urban, total monthly wages split over
 * the first member. */
static void
family(struct household *h, int n, int64_t wages_fen)
{
    memset(h, 0, sizeof(*h));
    h->standard_area = HH_AREA_URBAN;
    snprintf(h->hukou_county, sizeof(h->hukou_county), "%s", "500103");
    static const enum hh_relation rels[] = {HH_REL_APPLICANT, HH_REL_SPOUSE,
                                            HH_REL_CHILD, HH_REL_CHILD};
    for (int i = 0; i < n; i++) {
        struct hh_person *pp = &h->members[h->member_count++];
        pp->relation = rels[i];
        pp->birth_y = i < 2 ? 1975 : 2012 + i;
        pp->birth_m = 6;
        pp->birth_d = 1;
        pp->schooling = i < 2 ? HH_SCHOOL_NONE : HH_SCHOOL_COMPULSORY;
    }
    h->members[0].income_fen[HH_INC_WAGES] = wages_fen;
}

static struct household hh;

static struct lowincome_result
assess(const struct household *h, const struct lowincome_params *p,
       const struct lowincome_rigid *rigid)
{
    struct lowincome_result a, b;
    explain_init(&ex_buf);
    assert_int_equal(lowincome_assess(h, p, rigid, 2025, 9, 1, &a, NULL),
                     DD_OK);
    assert_int_equal(lowincome_assess(h, p, rigid, 2025, 9, 1, &b, &ex_buf),
                     DD_OK);
    assert_memory_equal(&a, &b, sizeof(a));
    /* recognition only: no amount anywhere */
    explain_adds_up(0);
    return a;
}

/* A hand-worked case, "test/step": a family of members with monthly wages
 * (family), what differs (flags), the 刚性支出 over the lookback (medical,
 * education; none: no spending given), the rigid ratio (ROW_ANY: as in
 * cq_params), and the answer: status, per capita, 边缘 line, valid
 * months, rigid spending, income and ratio, standard, members counted,
 * whether the deposits failed (ROW_ANY: not checked) and a rule line with
 * its result (NULL: none). */
struct lcase {
    const char *name;
    int members, flags;
    int64_t wages, medical, education, ratio;
    int64_t status, per_capita, line, valid, spending, income, ratio_pm,
        standard, counted, deposits;
    const char *rule;
    enum explain_result rule_res;
};

enum {
    DEPOSITS_20000 = 1,    /* joint deposits of 20 000 yuan */
    TEKUN_MEMBER = 2,      /* the third member 特困 */
    RURAL_SINGLE = 4,      /* rural, marked 单人保 for the spouse */
    INCOME_LIMIT_UNSET = 8 /* last year's urban disposable income 0 */
};

#define ANY ROW_ANY
#define NONE LOWINCOME_NONE
#define NEAR LOWINCOME_NEAR_POOR
#define RIGID LOWINCOME_RIGID
#define REVIEW LOWINCOME_REVIEW

/* clang-format off */
static const struct lcase lcases[] = {
    /* 低保边缘 (57号 第八条; 39号): couple, wages 2 000 a month → per
     * capita 1 000: above the standard 770 (not 低保), below 1.5 × 770 =
     * 1 155, no assets → near-dibao. */
    {"near_poor", 2, 0, 200000, 0, 0, ANY,
     NEAR, 100000, 115500, 0, ANY, ANY, ANY, ANY, ANY, ANY, "lowincome.near_poor", EXPLAIN_PASS},
    /* The line is strict ("低于 1.5 倍"): counted 2 310 for 2 = exactly
     * 1 155 per head → not 边缘 (and with no rigid spending, nothing);
     * 2 309.99 → 1 154.99 (floored) → 边缘. */
    {"near_poor_boundary/at_line", 2, 0, 231000, 0, 0, ANY,
     NONE, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, "lowincome.near_poor", EXPLAIN_FAIL},
    {"near_poor_boundary/below", 2, 0, 230999, 0, 0, ANY,
     NEAR, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, NULL, 0},
    /* Per capita below the standard (couple, 1 400 → 700 < 770), assets
     * fine: eligible for 低保 itself, so neither type (apply for 低保). */
    {"dibao_first", 2, 0, 140000, 0, 0, ANY,
     LOWINCOME_DIBAO, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, "lowincome.dibao_eligible", EXPLAIN_FAIL},
    /* Assets (39号: "财产状况符合规定"; the 低保 template: deposits ≤
     * members × standard × 12 = 2 × 770 × 12 = 18 480): per capita 1 000
     * but deposits 20 000 → not 边缘, and the 刚性支出 asset condition
     * fails too → none. */
    {"assets_fail", 2, DEPOSITS_20000, 200000, 5000000, 0, ANY,
     NONE, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, 1, "lowincome.assets", EXPLAIN_FAIL},
    /* 刚性支出 (2025 measures): family of 3, wages 4 500 → per capita
     * 1 500 (above the 边缘 line 1 155; 18 000 a year < 47 435). Over the
     * 12 months: medical 12 000 + education 3 000 = 15 000; income 4 500
     * × 12 = 54 000; 15 000 / 54 000 = 277 ‰ > 250 ‰ (ASSUMED local
     * ratio) → recognised, valid 12 months. With a 300 ‰ ratio it is
     * not. */
    {"rigid/250", 3, 0, 450000, 1200000, 300000, ANY,
     RIGID, ANY, ANY, 12, 1500000, 5400000, 277, ANY, ANY, ANY, "lowincome.rigid.spending", EXPLAIN_PASS},
    {"rigid/300", 3, 0, 450000, 1200000, 300000, 300,
     NONE, ANY, ANY, 0, ANY, ANY, ANY, ANY, ANY, ANY, "lowincome.rigid.spending", EXPLAIN_FAIL},
    /* 刚性支出 income condition: a single earner of 8 000 for a couple →
     * 4 000 per head → 48 000 a year, not below 47 435 → none, whatever
     * the spending; exactly 47 435 a year (couple, 7 905.84 → counted ×
     * 12 = 94 870.08 ≥ 94 870) is not below either: 94 870 yuan a year
     * for 2 = 790 583.33… fen a month: 790 584 × 12 = 9 487 008 ≥
     * 9 487 000 → not below; 790 583 × 12 = 9 486 996 < 9 487 000 →
     * below. */
    {"rigid_income_fails/8000", 2, 0, 800000, 50000000, 0, ANY,
     NONE, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, "lowincome.rigid.income", EXPLAIN_FAIL},
    {"rigid_income_fails/790584", 2, 0, 790584, 50000000, 0, ANY,
     ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, "lowincome.rigid.income", EXPLAIN_FAIL},
    {"rigid_income_fails/790583", 2, 0, 790583, 50000000, 0, ANY,
     RIGID, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, NULL, 0},
    /* "Not on 低保 or 特困": a counted member already supported as 特困 →
     * the 刚性支出 type fails (same family as test_rigid otherwise). */
    {"rigid_tekun_member", 3, TEKUN_MEMBER, 450000, 1200000, 300000, ANY,
     NONE, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, "lowincome.rigid.not_tekun", EXPLAIN_FAIL},
    /* The local ratio is NOT FOUND and has no national default: unset (0)
     * → REVIEW; last year's disposable income unset → REVIEW as well. */
    {"rigid_unset_review/ratio", 3, 0, 450000, 1200000, 300000, 0,
     REVIEW, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, "lowincome.rigid.ratio_unset", EXPLAIN_REVIEW},
    {"rigid_unset_review/income_limit", 3, INCOME_LIMIT_UNSET, 450000, 1200000, 300000, ANY,
     REVIEW, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, "lowincome.rigid.income_limit_unset", EXPLAIN_REVIEW},
    /* Rural standard 630 → line 945: couple on 1 800 → 900 per head →
     * 边缘; a 单人保 flag on the household is ignored (assessed whole). */
    {"rural_and_single_ignored", 2, RURAL_SINGLE, 180000, 0, 0, ANY,
     NEAR, ANY, 94500, ANY, ANY, ANY, ANY, 63000, 2, ANY, NULL, 0},
    /* A 边缘 family is not assessed for 刚性支出 (it must "not be
     * recognised as 低保边缘"): heavy spending changes nothing. */
    {"near_poor_takes_precedence", 2, 0, 200000, 9000000, 0, ANY,
     NEAR, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, "lowincome.rigid.near_poor_first", EXPLAIN_INFO},
};
/* clang-format on */

/* Assesses a row (in assess: with and without explanation agreeing, no
 * amount anywhere) and checks its answer, a failure naming the row. */
static void
lcase_check(const void *row)
{
    const struct lcase *c = row;
    struct lowincome_params p = cq_params();
    if (c->ratio != ANY)
        p.rigid_expense_ratio_permille = (int)c->ratio;
    if (c->flags & INCOME_LIMIT_UNSET)
        p.rigid_income_limit_urban_annual_fen = 0;
    family(&hh, c->members, c->wages);
    if (c->flags & DEPOSITS_20000) {
        struct hh_asset *a = &hh.assets[hh.asset_count++];
        a->kind = HH_ASSET_DEPOSIT;
        a->owner_member = HH_ASSET_JOINT;
        a->value_fen = 2000000;
    }
    if (c->flags & TEKUN_MEMBER)
        hh.members[2].tekun_receiving = 1;
    if (c->flags & RURAL_SINGLE) {
        hh.standard_area = HH_AREA_RURAL;
        hh.dibao_single = 1;
        hh.dibao_single_member = 1;
    }
    struct lowincome_rigid rg = {.medical_fen = c->medical,
                                 .education_fen = c->education};
    int spent = c->medical != 0 || c->education != 0;
    struct lowincome_result r = assess(&hh, &p, spent ? &rg : NULL);
    /* clang-format off */
    ROW_EXPECT(c->name, {"status", c->status, r.status}, {"per_capita", c->per_capita, r.income_per_capita_fen}, {"line", c->line, r.near_poor_line_fen},
               {"valid_months", c->valid, r.valid_months}, {"rigid_spending", c->spending, r.rigid_spending_fen}, {"rigid_income", c->income, r.rigid_income_fen},
               {"rigid_ratio", c->ratio_pm, r.rigid_ratio_permille}, {"standard", c->standard, r.standard_fen}, {"members", c->counted, r.members_counted},
               {"deposits_failed", c->deposits, !!(r.asset_failed & DIBAO_ASSET_DEPOSITS)});
    /* clang-format on */
    row_rule(c->name, c->rule, c->rule_res);
}

/* clang-format off */
#define LCASE(test)                                                            \
    TEST_CASE(test_##test) { ROWS_WALK(lcases, #test, lcase_check); }
LCASE(near_poor) LCASE(near_poor_boundary) LCASE(dibao_first)
LCASE(assets_fail)
LCASE(rigid) LCASE(rigid_income_fails) LCASE(rigid_tekun_member) LCASE(rigid_unset_review)
LCASE(rural_and_single_ignored) LCASE(near_poor_takes_precedence)
/* clang-format on */

TEST_CASE(test_invalid)
{
    struct lowincome_params p = cq_params();
    family(&hh, 2, 200000);
    struct lowincome_result r;
    struct lowincome_rigid rg = {.other_fen = -1};
    assert_int_equal(lowincome_assess(&hh, &p, &rg, 2025, 9, 1, &r, NULL),
                     DD_EINVAL);
    assert_int_equal(lowincome_assess(NULL, &p, NULL, 2025, 9, 1, &r, NULL),
                     DD_EINVAL);
    assert_int_equal(lowincome_assess(&hh, &p, NULL, 2025, 9, 1, NULL, NULL),
                     DD_EINVAL);
    assert_int_equal(lowincome_assess(&hh, &p, NULL, 2025, 13, 1, &r, NULL),
                     DD_EINVAL);
    p.rigid_lookback_months = 0;
    assert_int_equal(lowincome_assess(&hh, &p, NULL, 2025, 9, 1, &r, NULL),
                     DD_EINVAL);
    p = cq_params();
    hh.member_count = 0;
    assert_int_equal(lowincome_assess(&hh, &p, NULL, 2025, 9, 1, &r, NULL),
                     DD_EINVAL);
}

TEST_CASE(test_render)
{
    struct lowincome_params p = cq_params();
    family(&hh, 3, 450000);
    struct lowincome_rigid rg = {.medical_fen = 1200000,
                                 .education_fen = 300000};
    (void)assess(&hh, &p, &rg);
    render_has(0, 8192, "Rigid spending", "15000.00 yuan", NULL);
    render_has(1, 8192, "刚性支出困难家庭", "低保边缘", NULL);
}

/* ---- property test ---- */

/* 3000 generated families: identical with and without explanation and no
 * amount in it (in assess); 低保 status exactly when dibao_assess makes
 * the household eligible; 边缘 only with assets passing and per capita in
 * [standard, 1.5 × standard); 刚性支出 only with spending, a validity, and
 * income over the 边缘 line. */
TEST_CASE(test_properties)
{
    rng_state = 20250101;
    struct lowincome_params p = cq_params();
    int seen[LOWINCOME_REVIEW + 1] = {0};
    for (int it = 0; it < 3000; it++) {
        family(&hh, 1 + (int)rnd(4), rnd(800000));
        hh.standard_area = rnd(2) ? HH_AREA_RURAL : HH_AREA_URBAN;
        if (rnd(3) == 0)
            hh.members[1 % hh.member_count].income_fen[HH_INC_PROPERTY] =
                rnd(100000);
        if (rnd(4) == 0) {
            struct hh_asset *a = &hh.assets[hh.asset_count++];
            a->kind = HH_ASSET_DEPOSIT;
            a->owner_member = HH_ASSET_JOINT;
            a->value_fen = rnd(5000000);
        }
        hh.members[0].tekun_receiving = rnd(20) == 0;
        struct lowincome_rigid rg = {.medical_fen = rnd(3000000),
                                     .education_fen = rnd(500000)};
        p.rigid_expense_ratio_permille = rnd(10) == 0 ? 0 : 100 + (int)rnd(400);
        struct lowincome_result r = assess(&hh, &p, rnd(5) ? &rg : NULL);
        seen[r.status]++;
        struct dibao_result dr;
        assert_int_equal(dibao_assess(&hh, &p.dibao, 2025, 9, 1, &dr, NULL),
                         DD_OK);
        assert_int_equal(r.status == LOWINCOME_DIBAO,
                         dr.decision == DIBAO_ELIGIBLE);
        int64_t n = r.members_counted;
        if (r.status == LOWINCOME_NEAR_POOR) {
            assert_int_equal(r.asset_failed, 0);
            assert_true(r.income_counted_fen >= r.standard_fen * n);
            assert_true(r.income_counted_fen * 1000 <
                        1500 * r.standard_fen * n);
        }
        if (r.status == LOWINCOME_RIGID) {
            assert_int_equal(r.asset_failed, 0);
            assert_true(r.rigid_spending_fen > 0);
            assert_int_equal(r.valid_months, 12);
            assert_true(r.income_counted_fen * 1000 >=
                        1500 * r.standard_fen * n);
        } else {
            assert_int_equal(r.valid_months, 0);
        }
    }
    assert_true(seen[LOWINCOME_NEAR_POOR] > 100);
    assert_true(seen[LOWINCOME_RIGID] > 50);
    assert_true(seen[LOWINCOME_DIBAO] > 100);
    assert_true(seen[LOWINCOME_NONE] > 100);
}

UNIT_TESTS(NULL, NULL, cmocka_unit_test(test_near_poor),
           cmocka_unit_test(test_near_poor_boundary),
           cmocka_unit_test(test_dibao_first),
           cmocka_unit_test(test_assets_fail), cmocka_unit_test(test_rigid),
           cmocka_unit_test(test_rigid_income_fails),
           cmocka_unit_test(test_rigid_tekun_member),
           cmocka_unit_test(test_rigid_unset_review),
           cmocka_unit_test(test_rural_and_single_ignored),
           cmocka_unit_test(test_near_poor_takes_precedence),
           cmocka_unit_test(test_invalid), cmocka_unit_test(test_render),
           cmocka_unit_test(test_properties))
