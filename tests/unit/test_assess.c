/* SPDX-License-Identifier: MIT */
/* The assessment service: parameters resolved from the shipped seed
 * (data/policy/params.csv) on dates either side of the 2023-09 rise, a key
 * missing from the table named, and one household assessed through
 * assess_household against an amount worked by hand from domain.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "unit_main.h"

#include "assess/assess.h"
#include "engine_fixture.h"
#include "refdata/refdata.h"

/* §7.1: 636/515 from 2021-09, 735/600 from 2023-09; §2: 特困 827 → 955. */
TEST_CASE(test_resolve_dates)
{
    struct assess_params before, after;
    struct dd_error err = {0};
    assert_int_equal(
        assess_params_resolve(seed, "500103", 2022, 8, 31, &before, &err),
        DD_OK);
    assert_int_equal(
        assess_params_resolve(seed, "500103001", 2023, 10, 1, &after, &err),
        DD_OK);
    /* the 特困 engine's 第六条 test sees the same 低保 standards; then
     * unchanged figures and the seeded engine keys: housing stored as
     * 3000 ‰, the engine's whole multiple; basic pension exempt 2021–2025;
     * care base 0 in amounts mode */
    /* clang-format off */
    ROW_EXPECT("resolve_dates",
        {"before dibao urban", 63600, before.dibao.standard_urban_fen},
        {"before dibao rural", 51500, before.dibao.standard_rural_fen},
        {"after dibao urban", 73500, after.dibao.standard_urban_fen},
        {"after dibao rural", 60000, after.dibao.standard_rural_fen},
        {"before tekun basic", 82700, before.tekun.basic_fen}, {"after tekun basic", 95500, after.tekun.basic_fen},
        {"tekun urban", 73500, after.tekun.dibao_standard_urban_fen}, {"tekun rural", 60000, after.tekun.dibao_standard_rural_fen},
        {"disabled", 4000, after.dibao.increment_disabled_fen}, {"student", 10000, after.dibao.increment_student_fen},
        {"preschool age", 6, after.dibao.increment_preschool_max_age},
        {"housing area", 1300, after.dibao.asset_housing_area_dm2}, {"housing multiple", 3, after.dibao.asset_housing_area_multiple},
        {"basic pension", 1, after.dibao.exempt_basic_pension},
        {"care full", 30000, after.tekun.care_full_fen}, {"care items", 4, after.tekun.care_full_min_items},
        {"care partial items", 3, after.tekun.care_partial_max_items}, {"items assessed", 6, after.tekun.care_items},
        {"basic floor", 1300, after.tekun.basic_min_permille},
        {"minor age", 16, after.tekun.work_minor_max_age}, {"care mode", TEKUN_CARE_AMOUNTS, after.tekun.care_mode},
        {"care base", 0, after.tekun.care_base_fen});
    /* clang-format on */
    /* the basic-pension exclusion ends with the 14th Five-Year Plan */
    struct assess_params later;
    assert_int_equal(
        assess_params_resolve(seed, "50", 2026, 1, 1, &later, &err), DD_OK);
    assert_int_equal(later.dibao.exempt_basic_pension, 0);
}

/* A copy of the seed without one key. */
static struct policy_table *
seed_without(const char *key)
{
    struct policy_table *t = policy_table_new();
    assert_non_null(t);
    for (size_t i = 0; i < policy_table_count(seed); i++) {
        const struct policy_param *p = policy_table_at(seed, i);
        if (strcmp(p->key, key) != 0)
            assert_int_equal(policy_table_add(t, p), DD_OK);
    }
    return t;
}

/* The programs assess_household does not run get their parameters too;
 * a key with no version in force marks its program only. */
TEST_CASE(test_resolve_extra)
{
    struct assess_params p;
    struct dd_error err = {0};
    assert_int_equal(
        assess_params_resolve(seed, "500103", 2023, 10, 1, &p, &err), DD_OK);
    /* 两项补贴 from 2022-10-01: 80, grade 1 90 (img.ccschy.com, §4) */
    assert_null(p.unresolved_key[ASSESS_X_DISABILITY]);
    assert_int_equal(p.disability.living_subsidy_fen, 8000);
    assert_int_equal(p.disability.care_subsidy_grade1_fen, 9000);
    assert_int_equal(p.disability.living_subsidy_near_poor, 1);
    /* 临时救助: TEMPLATE months; the income limit is not set (0) */
    assert_null(p.unresolved_key[ASSESS_X_TEMPAID]);
    assert_int_equal(p.tempaid.dibao_standard_urban_fen, 73500);
    assert_int_equal(p.tempaid.expense_max_months, 12);
    assert_int_equal(p.tempaid.expense_income_limit_urban_annual_fen, 0);
    /* children: 渝民发〔2023〕10号 scattered 1405; no institutional
     * de-facto standard before 2025-07-01 (0 = use defacto.standard) */
    assert_null(p.unresolved_key[ASSESS_X_CHILDREN]);
    assert_int_equal(p.children.orphan_standard_scattered_fen, 140500);
    assert_int_equal(p.children.defacto_standard_fen, 140500);
    assert_int_equal(p.children.defacto_standard_institutional_fen, 0);
    assert_int_equal(p.children.orphan_student_extension, 1);
    assert_int_equal(p.children.defacto_condition_min_months, 6);
    /* 刚性支出 starts with the 2025 measures */
    assert_string_equal(p.unresolved_key[ASSESS_X_LOWINCOME],
                        "rigid.lookback_months");
    assert_int_equal(p.lowincome.dibao.standard_urban_fen, 73500);

    assert_int_equal(assess_params_resolve(seed, "50", 2025, 8, 1, &p, &err),
                     DD_OK);
    assert_null(p.unresolved_key[ASSESS_X_LOWINCOME]);
    assert_int_equal(p.lowincome.rigid_lookback_months, 12);
    assert_int_equal(p.lowincome.rigid_expense_ratio_permille, 0);
    assert_int_equal(p.lowincome.dibao.standard_urban_fen, 77000);
    assert_int_equal(p.children.defacto_standard_institutional_fen, 185100);

    /* without a key of its own, a program is marked, the rest resolve */
    struct policy_table *t = seed_without("orphan.student_extension");
    assert_int_equal(assess_params_resolve(t, "50", 2025, 8, 1, &p, &err),
                     DD_OK);
    assert_string_equal(p.unresolved_key[ASSESS_X_CHILDREN],
                        "orphan.student_extension");
    assert_null(p.unresolved_key[ASSESS_X_DISABILITY]);
    policy_table_free(t);
}

/* Resolving t for region on y-m-d fails with rc, naming field (NULL: not
 * checked). */
static void
resolve_fails(const struct policy_table *t, const char *region, int y, int m,
              int d, enum dd_status rc, const char *field)
{
    struct assess_params p;
    struct dd_error err = {0};
    assert_int_equal(assess_params_resolve(t, region, y, m, d, &p, &err), rc);
    if (field)
        assert_string_equal(err.field, field);
}

TEST_CASE(test_resolve_missing)
{
    struct assess_params p;
    struct dd_error err = {0};
    struct policy_table *t = seed_without("dibao.increment.preschool_max_age");
    assert_int_equal(assess_params_resolve(t, "500103", 2023, 10, 1, &p, &err),
                     DD_ENOTFOUND);
    assert_string_equal(err.code, "POLICY_NOT_IN_FORCE");
    assert_string_equal(err.field, "dibao.increment.preschool_max_age");
    assert_non_null(err.message_zh);
    policy_table_free(t);

    /* a 特困 key */
    t = seed_without("tekun.obligor.income_limit.rural");
    resolve_fails(t, "50", 2024, 10, 1, DD_ENOTFOUND,
                  "tekun.obligor.income_limit.rural");
    policy_table_free(t);
    /* before the 2021 measures nothing sets the 低保边缘 ratio yet */
    resolve_fails(seed, "500103", 2019, 5, 1, DD_ENOTFOUND,
                  "dibao.near_poor.income_ratio");
    /* malformed region and date */
    resolve_fails(seed, "12", 2023, 10, 1, DD_EINVAL, "region");
    resolve_fails(seed, "500103", 2023, 2, 30, DD_EINVAL, "as_of");
    resolve_fails(NULL, "50", 2023, 1, 1, DD_EINVAL, NULL);
}

/* A ratio-mode version of tekun.care.mode makes the ratio keys required,
 * and the missing one is named. */
TEST_CASE(test_resolve_ratio_mode)
{
    struct policy_table *t = seed_without("nothing");
    struct policy_param v = *policy_table_at(seed, 0);
    snprintf(v.key, sizeof(v.key), "tekun.care.mode");
    snprintf(v.effective_from, sizeof(v.effective_from), "2024-01-01");
    snprintf(v.unit, sizeof(v.unit), "mode");
    v.value = TEKUN_CARE_RATIOS;
    assert_int_equal(policy_table_add(t, &v), DD_OK);
    struct assess_params p;
    struct dd_error err = {0};
    assert_int_equal(assess_params_resolve(t, "50", 2023, 12, 31, &p, &err),
                     DD_OK);
    assert_int_equal(assess_params_resolve(t, "50", 2024, 1, 1, &p, &err),
                     DD_ENOTFOUND);
    assert_string_equal(err.field, "tekun.care.base");
    policy_table_free(t);
}

/* The household of the hand-worked case (urban, 渝中区 500103):
 *   0 applicant, born 1980-03-15, wages 600.00/month;
 *   1 spouse, born 1982-06-01, 肢体 grade 2 (一至二级重残), no work, gets
 *     the 残疾人两项补贴 80.00 (not counted: §1.3 government assistance);
 *   2 child, born 2012-09-01, in compulsory school (在校学生);
 *   deposits 5,000.00 owned jointly; one dwelling of 60 m².
 * The applicant is the spouse's and the child's support obligor. */
static void
household_build(struct household *h)
{
    memset(h, 0, sizeof(*h));
    h->standard_area = HH_AREA_URBAN;
    memcpy(h->hukou_county, "500103", 7);
    h->member_count = 3;
    /* clang-format off */
    h->members[0] = (struct hh_person){
        .relation = HH_REL_APPLICANT, .sex = HH_SEX_MALE,
        .birth_y = 1980, .birth_m = 3, .birth_d = 15,
        .employed = 1, .income_fen[HH_INC_WAGES] = 60000};
    h->members[1] = (struct hh_person){
        .relation = HH_REL_SPOUSE, .sex = HH_SEX_FEMALE,
        .birth_y = 1982, .birth_m = 6, .birth_d = 1,
        .disability_category = HH_DIS_PHYSICAL, .disability_grade = 2,
        .work_capacity = HH_WORK_NONE,
        .income_fen[HH_INC_EX_DISABILITY_SUBSIDY] = 8000};
    h->members[2] = (struct hh_person){
        .relation = HH_REL_CHILD, .sex = HH_SEX_FEMALE,
        .birth_y = 2012, .birth_m = 9, .birth_d = 1,
        .schooling = HH_SCHOOL_COMPULSORY};
    /* clang-format on */
    h->asset_count = 2;
    h->assets[0] = (struct hh_asset){.kind = HH_ASSET_DEPOSIT,
                                     .owner_member = HH_ASSET_JOINT,
                                     .value_fen = 500000};
    h->assets[1] = (struct hh_asset){.kind = HH_ASSET_DWELLING,
                                     .owner_member = HH_ASSET_JOINT,
                                     .floor_area_dm2 = 6000};
    h->obligor_count = 2;
    for (int i = 0; i < 2; i++) {
        h->obligors[i] = (struct hh_obligor){.of_member = i + 1,
                                             .relation = i == 0 ? HH_REL_SPOUSE
                                                                : HH_REL_PARENT,
                                             .birth_y = 1980,
                                             .birth_m = 3,
                                             .birth_d = 15,
                                             .income_monthly_fen = 60000};
    }
}

static void
check_sum(const struct explain *ex, int64_t amount)
{
    assert_false(ex->truncated);
    assert_int_equal(explain_amount_sum(ex), amount);
}

/* The locals of a test of household_build's household: h (static: large),
 * built afresh; its explanations ex (and exs, pointing at them) and
 * result r (static: large); parameters p and err. */
#define WORKED_LOCALS                                                          \
    static struct household h;                                                 \
    static struct explain ex[ASSESS__COUNT];                                   \
    struct explain *exs[ASSESS__COUNT] = {&ex[0], &ex[1]};                     \
    static struct assess_result r;                                             \
    struct assess_params p;                                                    \
    struct dd_error err = {0};                                                 \
    household_build(&h)

/* 2022-08-31, urban standard 636 (渝民〔2021〕143号):
 *   counted income 600 (the 80 subsidy not counted), per capita 200;
 *   deposits 5,000 ≤ 3 × 636 × 12 = 22,896; one dwelling < 2;
 *   gap (636 − 200) × 3 = 1,308;
 *   spouse: 一至二级重残 +60 and 残疾人员 +40; child: 在校学生 +100;
 *   1,308 + 60 + 40 + 100 = 1,508.00.
 * 2023-10-01, standard 735 (渝民发〔2023〕10号): (735 − 200) × 3 = 1,605;
 *   + 200 = 1,805.00.
 * 特困: nobody (the applicant can work; the spouse and the child have an
 * able obligor, 第八条). */
TEST_CASE(test_household_hand_worked)
{
    WORKED_LOCALS;

    assert_int_equal(
        assess_params_resolve(seed, "500103", 2022, 8, 31, &p, &err), DD_OK);
    assert_int_equal(assess_household(&h, &p, 2022, 8, 31, &r, exs), DD_OK);
    assert_int_equal(r.decision[ASSESS_DIBAO], ASSESS_ELIGIBLE);
    assert_int_equal(r.amount_fen[ASSESS_DIBAO], 150800);
    assert_int_equal(r.dibao.members_counted, 3);
    assert_int_equal(r.dibao.income_counted_fen, 60000);
    assert_int_equal(r.dibao.income_exempt_fen, 8000);
    check_sum(&ex[ASSESS_DIBAO], 150800);
    assert_int_equal(r.decision[ASSESS_TEKUN], ASSESS_NOT_ELIGIBLE);
    assert_int_equal(r.amount_fen[ASSESS_TEKUN], 0);
    assert_int_equal(r.tekun_count, 3);
    check_sum(&ex[ASSESS_TEKUN], 0);
    assert_true(ex[ASSESS_TEKUN].count > 0);

    assert_int_equal(
        assess_params_resolve(seed, "500103", 2023, 10, 1, &p, &err), DD_OK);
    assert_int_equal(assess_household(&h, &p, 2023, 10, 1, &r, exs), DD_OK);
    assert_int_equal(r.amount_fen[ASSESS_DIBAO], 180500);
    check_sum(&ex[ASSESS_DIBAO], 180500);

    /* without explanations: the same result */
    static struct assess_result bare;
    assert_int_equal(assess_household(&h, &p, 2023, 10, 1, &bare, NULL), DD_OK);
    assert_int_equal(bare.amount_fen[ASSESS_DIBAO], 180500);

    /* 特困: the spouse's one obligor is the applicant, her husband in the
     * household (derived, 民法典 第一千零五十九条), now in prison with the
     * joint deposits 5,000 ≤ 12 × 750 and one dwelling (第八条(五)):
     * unable, so (3) is met; 2024-10-01: basic 975, no care items failed
     * → care 0: 975.00. The child keeps an able listed obligor. */
    h.obligor_count = 1;
    h.obligors[0].of_member = 2; /* the child's obligor only */
    h.members[0].absence = HH_ABSENT_PRISON;
    h.members[1].income_fen[HH_INC_EX_DISABILITY_SUBSIDY] = 0;
    assert_int_equal(
        assess_params_resolve(seed, "500103", 2024, 10, 1, &p, &err), DD_OK);
    assert_int_equal(assess_household(&h, &p, 2024, 10, 1, &r, exs), DD_OK);
    assert_int_equal(r.tekun[1].decision, TEKUN_ELIGIBLE);
    assert_int_equal(r.decision[ASSESS_TEKUN], ASSESS_ELIGIBLE);
    assert_int_equal(r.amount_fen[ASSESS_TEKUN], 97500);
    check_sum(&ex[ASSESS_TEKUN], 97500);

    /* a household out of range is the engines' DD_EINVAL */
    h.member_count = HH_MAX_MEMBERS + 1;
    assert_int_equal(assess_household(&h, &p, 2024, 10, 1, &r, exs), DD_EINVAL);
    assert_int_equal(assess_household(NULL, &p, 2024, 10, 1, &r, NULL),
                     DD_EINVAL);
}

/* domain.md §7.1 with the seed: 南岸 500108 applies the urban figure to
 * all residents (dibao.area.default 1 from 2023-09-01); the city default
 * is 0 (mixed: each household decides). The household of
 * household_build with its hukou in 500108, on 2023-10-01 (735 urban, 600
 * rural, 渝民发〔2023〕10号):
 *   "district" → the district's urban: (735 − 200) × 3 = 1,605 + 60 + 40
 *     + 100 = 1,805.00, the explanation saying so first;
 *   explicit "rural" → rural, the household's setting winning: deposits
 *     5,000 ≤ 3 × 600 × 12 = 21,600; (600 − 200) × 3 = 1,200 + 200 =
 *     1,400.00;
 *   "district" in 渝中 500103 (mixed) → no standard: DISTRICT_AREA_MIXED
 *     naming urban_or_rural; in 500108 on 2022-08-31, before its row, the
 *     city's mixed default → the same error. */
TEST_CASE(test_area_hand_worked)
{
    WORKED_LOCALS;
    memcpy(h.hukou_county, "500108", 7);
    h.standard_area = HH_AREA_RURAL; /* to be overwritten */

    assert_int_equal(
        assess_params_resolve(seed, "500108001001", 2023, 10, 1, &p, &err),
        DD_OK);
    assert_int_equal(assess_area_resolve(seed, "500108001001", 2023, 10, 1,
                                         AREA_SETTING_DISTRICT, &p, &h, &err),
                     DD_OK);
    assert_int_equal(h.standard_area, HH_AREA_URBAN);
    assert_true(p.area.resolved);
    assert_int_equal(p.area.basis, AREA_BASIS_DISTRICT);
    assert_int_equal(p.area.district, AREA_DISTRICT_URBAN);
    assert_int_equal(assess_household(&h, &p, 2023, 10, 1, &r, exs), DD_OK);
    assert_int_equal(r.dibao.standard_fen, 73500);
    assert_int_equal(r.amount_fen[ASSESS_DIBAO], 180500);
    check_sum(&ex[ASSESS_DIBAO], 180500);
    for (int k = 0; k < ASSESS__COUNT; k++) {
        assert_string_equal(ex[k].lines[0].rule->id, "area.district");
        assert_int_equal(ex[k].lines[0].values[0].value, 0); /* not rural */
        assert_int_equal(ex[k].lines[0].values[1].value, 1);
    }

    /* explicit rural wins over the district's urban */
    assert_int_equal(assess_area_resolve(seed, "500108", 2023, 10, 1,
                                         AREA_SETTING_RURAL, &p, &h, &err),
                     DD_OK);
    assert_int_equal(h.standard_area, HH_AREA_RURAL);
    assert_int_equal(p.area.basis, AREA_BASIS_HOUSEHOLD);
    assert_int_equal(assess_household(&h, &p, 2023, 10, 1, &r, exs), DD_OK);
    assert_int_equal(r.dibao.standard_fen, 60000);
    assert_int_equal(r.amount_fen[ASSESS_DIBAO], 140000);
    check_sum(&ex[ASSESS_DIBAO], 140000);
    assert_string_equal(ex[ASSESS_DIBAO].lines[0].rule->id, "area.household");
    assert_int_equal(ex[ASSESS_DIBAO].lines[0].values[0].value, 1);

    /* the decision and the household must agree */
    h.standard_area = HH_AREA_URBAN;
    assert_int_equal(assess_household(&h, &p, 2023, 10, 1, &r, exs), DD_EINVAL);

    /* "district" where the district leaves it to the household */
    err = (struct dd_error){0};
    assert_int_equal(assess_area_resolve(seed, "500103001006", 2023, 10, 1,
                                         AREA_SETTING_DISTRICT, &p, &h, &err),
                     DD_ENOTFOUND);
    assert_string_equal(err.code, "DISTRICT_AREA_MIXED");
    assert_string_equal(err.field, "urban_or_rural");
    assert_non_null(strstr(err.message_zh, "urban 或 rural"));
    err = (struct dd_error){0};
    assert_int_equal(assess_area_resolve(seed, "500108", 2022, 8, 31,
                                         AREA_SETTING_DISTRICT, NULL, NULL,
                                         &err),
                     DD_ENOTFOUND);
    assert_string_equal(err.field, "urban_or_rural");
    /* 大渡口 500104 too; explicit settings need no district value */
    assert_int_equal(assess_area_resolve(seed, "500104", 2024, 1, 1,
                                         AREA_SETTING_DISTRICT, NULL, &h, &err),
                     DD_OK);
    assert_int_equal(h.standard_area, HH_AREA_URBAN);
    assert_int_equal(assess_area_resolve(seed, "500103", 2015, 1, 1,
                                         AREA_SETTING_RURAL, NULL, &h, &err),
                     DD_OK);
    assert_int_equal(h.standard_area, HH_AREA_RURAL);
    /* malformed */
    assert_int_equal(assess_area_resolve(seed, "12", 2024, 1, 1,
                                         AREA_SETTING_URBAN, NULL, NULL, &err),
                     DD_EINVAL);
    assert_int_equal(assess_area_resolve(NULL, "500108", 2024, 1, 1,
                                         AREA_SETTING_URBAN, NULL, NULL, &err),
                     DD_EINVAL);
}

UNIT_TESTS(seed_setup, seed_teardown, cmocka_unit_test(test_resolve_dates),
           cmocka_unit_test(test_resolve_missing),
           cmocka_unit_test(test_resolve_extra),
           cmocka_unit_test(test_resolve_ratio_mode),
           cmocka_unit_test(test_household_hand_worked),
           cmocka_unit_test(test_area_hand_worked))
