/* SPDX-License-Identifier: MIT */
/* 特困 engine: cases worked by hand from domain.md §2 with Chongqing's
 * figures (§7.1 basic standard, care 300/200), each with its arithmetic
 * and article in a comment, then property tests over generated persons
 * (fixed seed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "unit_main.h"

#include "domain/tekun.h"
#include "engine_fixture.h"
#include "test_rng.h"

struct cq_row {
    int y, m, d;
    int64_t urban, rural, basic;
};

/* §7.1; months taken as starting on the 1st */
static const struct cq_row cq_rows[] = {
    {2021, 9, 1, 63600, 51500, 82700},  {2022, 9, 1, 71700, 58100, 93200},
    {2023, 9, 1, 73500, 60000, 95500},  {2024, 9, 1, 75000, 61000, 97500},
    {2025, 7, 1, 77000, 63000, 100100},
};

/* Chongqing's parameters other than the dated figures of cq_rows. */
/* clang-format off */
static const struct tekun_params cq_fixed = {
    .care_mode = TEKUN_CARE_AMOUNTS,
    .care_self_fen = 0,        /* no 全自理 tier stated */
    .care_partial_fen = 20000, /* 半护理 200 */
    .care_full_fen = 30000,    /* 全护理 300 */
    .care_full_min_items = 4, .care_partial_max_items = 3, .care_items = 6,
    .basic_min_permille = 1300,
    .work_elderly_min_age = 60, .work_minor_max_age = 16,
    .minor_support_until_age = 18,
    .exempt_disability_subsidy = 1, .exempt_kin_support = 1,
    .asset_deposit_months = 12, /* NOT FOUND: 低保 template */
    .asset_vehicle_max = 0, .asset_dwelling_max = 1, .asset_shop_max = 0,
    .asset_company_max = 0,
    .obligor_dibao_min_age = 60, .obligor_elderly_min_age = 70,
    /* ASSUMED for the tests: 45,000 / 20,000 yuan a year (not in
     * domain.md; the real figure is last year's statistics) */
    .obligor_income_limit_urban_annual_fen = 4500000,
    .obligor_income_limit_rural_annual_fen = 2000000,
};
/* clang-format on */

/* cq_fixed with the figures of the last row of cq_rows in force on
 * y-m-d. */
static struct tekun_params
cq_params(int y, int m, int d)
{
    struct tekun_params p = cq_fixed;
    int key = y * 10000 + m * 100 + d;
    for (const struct cq_row *r = cq_rows;
         r < cq_rows + sizeof(cq_rows) / sizeof(cq_rows[0]); r++)
        if (key >= r->y * 10000 + r->m * 100 + r->d) {
            p.dibao_standard_urban_fen = r->urban;
            p.dibao_standard_rural_fen = r->rural;
            p.basic_fen = r->basic;
        }
    return p;
}

static struct household *
hh_init(struct household *h, enum hh_area area)
{
    memset(h, 0, sizeof(*h));
    h->standard_area = area;
    return h;
}

static struct hh_person *
person_add(struct household *h, int by, int bm, int bd)
{
    struct hh_person *pp = &h->members[h->member_count];
    pp->relation = h->member_count == 0 ? HH_REL_APPLICANT : HH_REL_OTHER;
    pp->birth_y = by;
    pp->birth_m = bm;
    pp->birth_d = bd;
    h->member_count++;
    return pp;
}

static struct hh_obligor *
obligor_add(struct household *h, int of, enum hh_relation rel, int by)
{
    struct hh_obligor *o = &h->obligors[h->obligor_count++];
    memset(o, 0, sizeof(*o));
    o->of_member = of;
    o->relation = rel;
    o->birth_y = by;
    o->birth_m = 1;
    o->birth_d = 1;
    return o;
}

static void
unable_set(struct hh_person *pp, int n)
{
    for (int k = 0; k < HH_ADL__COUNT; k++)
        pp->selfcare_unable[k] = k < n;
}

static struct tekun_result
assess(const struct household *h, int member, int y, int m, int d,
       const struct tekun_params *p)
{
    struct tekun_result a, b;
    explain_init(&ex_buf);
    assert_int_equal(tekun_assess(h, member, p, y, m, d, &a, NULL), DD_OK);
    assert_int_equal(tekun_assess(h, member, p, y, m, d, &b, &ex_buf), DD_OK);
    assert_int_equal(a.decision, b.decision);
    assert_int_equal(a.amount_fen, b.amount_fen);
    assert_int_equal(a.tier, b.tier);
    assert_true(a.amount_fen >= 0);
    assert_int_equal(a.amount_fen, a.basic_fen + a.care_fen);
    explain_adds_up(a.amount_fen);
    if (a.decision == TEKUN_NOT_ELIGIBLE)
        assert_int_equal(a.amount_fen, 0);
    return a;
}

/* member of h assessed on 2023-10-01 with that day's parameters, the day
 * most cases are worked on. */
static struct tekun_result
oct23(const struct household *h, int member)
{
    struct tekun_params p = cq_params(2023, 10, 1);
    return assess(h, member, 2023, 10, 1, &p);
}

/* r is not eligible, failing on condition cond (one of r's). */
static void
refused(const struct tekun_result *r, enum tekun_cond cond)
{
    assert_int_equal(r->decision, TEKUN_NOT_ELIGIBLE);
    assert_int_equal(cond, TEKUN_COND_FAIL);
}

/* r is eligible for amount_fen. */
static void
granted(const struct tekun_result *r, int64_t amount_fen)
{
    assert_int_equal(r->decision, TEKUN_ELIGIBLE);
    assert_int_equal(r->amount_fen, amount_fen);
}

/* A 75-year-old living alone in town, no income, no obligor. */
static void
elderly_alone(struct household *h)
{
    person_add(hh_init(h, HH_AREA_URBAN), 1948, 3, 1);
}

/* 1–5. 第四条 all three met (≥60, no income, no obligor) on 2023-10-01:
 * basic 955; care tier by failed items (第二十二条: 0 self-caring, ≤3
 * partly, ≥4 fully): 0 → 955 + 0; 2 → 955 + 200 = 1155; 3 → 1155 (≤3 is
 * still 半护理); 4 → 955 + 300 = 1255; 6 → 1255. */
TEST_CASE(test_elderly_tiers)
{
    static const struct {
        int unable;
        enum tekun_care_tier tier;
        int64_t amount;
    } rows[] = {
        {0, TEKUN_CARE_SELF, 95500},     {2, TEKUN_CARE_PARTIAL, 115500},
        {3, TEKUN_CARE_PARTIAL, 115500}, {4, TEKUN_CARE_FULL, 125500},
        {6, TEKUN_CARE_FULL, 125500},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct household h;
        elderly_alone(&h);
        unable_set(&h.members[0], rows[i].unable);
        struct tekun_result r = oct23(&h, 0);
        assert_int_equal(r.decision, TEKUN_ELIGIBLE);
        assert_int_equal(r.age, 75);
        assert_int_equal(r.items_unable, rows[i].unable);
        assert_int_equal(r.tier, rows[i].tier);
        assert_int_equal(r.basic_fen, 95500);
        assert_int_equal(r.amount_fen, rows[i].amount);
    }
    assert_non_null(line_find("tekun.obligor.none"));
    assert_non_null(line_find("tekun.care.full"));
}

/* 6–7. 第五条(一) age ≥60: born 1963-10-01 is 60 on 2023-10-01 → 955;
 * born 1963-10-02 is 59, no disability, able → not eligible. */
TEST_CASE(test_age_60_boundary)
{
    struct household h;
    person_add(hh_init(&h, HH_AREA_URBAN), 1963, 10, 1);
    struct tekun_result r = oct23(&h, 0);
    assert_int_equal(r.amount_fen, 95500);
    h.members[0].birth_d = 2;
    r = oct23(&h, 0);
    refused(&r, r.no_work_capacity);
    assert_int_equal(line_find("tekun.work.capable")->result, EXPLAIN_FAIL);
}

/* 8–9. 第五条(二) under 16: a 15-year-old without obligors → 955; on the
 * 16th birthday (not yet supported) → not eligible. */
TEST_CASE(test_minor_16_boundary)
{
    struct household h;
    person_add(hh_init(&h, HH_AREA_URBAN), 2007, 10, 2);
    assert_int_equal(oct23(&h, 0).amount_fen, 95500);
    h.members[0].birth_d = 1;
    assert_int_equal(oct23(&h, 0).decision, TEKUN_NOT_ELIGIBLE);
}

/* 10. 第二十五条: a supported minor continues to 18: the 16-year-old of
 * case 9, already 特困 → still 955. */
TEST_CASE(test_minor_continued)
{
    struct household h;
    person_add(hh_init(&h, HH_AREA_URBAN), 2007, 10, 1)->tekun_receiving = 1;
    struct tekun_result r = oct23(&h, 0);
    assert_int_equal(r.amount_fen, 95500);
    assert_non_null(line_find("tekun.work.minor_continued"));
}

/* 11–16. 第五条(三): a 40-year-old qualifies with intellectual or mental
 * grade 1–3, physical 1–2, visual 1; not with physical 3 or visual 2 or
 * hearing 1. Eligible → 955. */
TEST_CASE(test_work_disability)
{
    static const struct {
        enum hh_disability cat;
        int grade;
        enum tekun_decision want;
    } rows[] = {
        {HH_DIS_INTELLECTUAL, 3, TEKUN_ELIGIBLE},
        {HH_DIS_MENTAL, 1, TEKUN_ELIGIBLE},
        {HH_DIS_PHYSICAL, 2, TEKUN_ELIGIBLE},
        {HH_DIS_PHYSICAL, 3, TEKUN_NOT_ELIGIBLE},
        {HH_DIS_VISUAL, 1, TEKUN_ELIGIBLE},
        {HH_DIS_VISUAL, 2, TEKUN_NOT_ELIGIBLE},
        {HH_DIS_HEARING, 1, TEKUN_NOT_ELIGIBLE},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct household h;
        struct hh_person *pp =
            person_add(hh_init(&h, HH_AREA_URBAN), 1983, 1, 1);
        pp->disability_category = rows[i].cat;
        pp->disability_grade = rows[i].grade;
        struct tekun_result r = oct23(&h, 0);
        assert_int_equal(r.decision, rows[i].want);
        assert_int_equal(r.amount_fen,
                         rows[i].want == TEKUN_ELIGIBLE ? 95500 : 0);
    }
}

/* 17. 第五条(四): assessed unable to work on a provincial ground, none of
 * (一)–(三) → review; indicative amount 955. */
TEST_CASE(test_work_assessed_review)
{
    struct household h;
    person_add(hh_init(&h, HH_AREA_URBAN), 1978, 1, 1)->work_capacity =
        HH_WORK_NONE;
    struct tekun_result r = oct23(&h, 0);
    assert_int_equal(r.decision, TEKUN_REVIEW);
    assert_int_equal(r.no_work_capacity, TEKUN_COND_REVIEW);
    assert_int_equal(r.amount_fen, 95500);
}

/* 18–19. 第六条 income below the 低保 standard (rural 630 on 2025-07-01;
 * basic 1001): pension 629.99 < 630 → 1001.00; 630.00 is not below → not
 * eligible. */
TEST_CASE(test_income_boundary)
{
    struct tekun_params p = cq_params(2025, 7, 1);
    struct household h;
    person_add(hh_init(&h, HH_AREA_RURAL), 1958, 1, 1)
        ->income_fen[HH_INC_TRANSFERS_IN] = 62999;
    struct tekun_result r = assess(&h, 0, 2025, 7, 1, &p);
    assert_int_equal(r.standard_fen, 63000);
    assert_int_equal(r.amount_fen, 100100);
    h.members[0].income_fen[HH_INC_TRANSFERS_IN] = 63000;
    r = assess(&h, 0, 2025, 7, 1, &p);
    refused(&r, r.no_means);
}

/* 20. 第六条 exclusions: an 80-year-old with 基础养老金 150, 高龄津贴 100,
 * medical-insurance payouts 500, 优待抚恤金 300 and other pension 200:
 * counted 200 < 735 → eligible 955; 1050 shown as excluded. */
TEST_CASE(test_income_exclusions)
{
    struct household h;
    struct hh_person *pp = person_add(hh_init(&h, HH_AREA_URBAN), 1943, 1, 1);
    pp->income_fen[HH_INC_EX_BASIC_PENSION] = 15000;
    pp->income_fen[HH_INC_EX_OLD_AGE_ALLOWANCE] = 10000;
    pp->income_fen[HH_INC_EX_SOCIAL_INSURANCE] = 50000;
    pp->income_fen[HH_INC_EX_VETERANS] = 30000;
    pp->income_fen[HH_INC_TRANSFERS_IN] = 20000;
    struct tekun_result r = oct23(&h, 0);
    assert_int_equal(r.income_counted_fen, 20000);
    assert_int_equal(r.income_exempt_fen, 105000);
    assert_int_equal(r.amount_fen, 95500);
}

/* 21. 第四条(三): a son of 45 earning 5000 a month is able to support →
 * not eligible even though the mother (75) meets (一) and (二). */
TEST_CASE(test_obligor_able)
{
    struct household h;
    elderly_alone(&h);
    obligor_add(&h, 0, HH_REL_CHILD, 1978)->income_monthly_fen = 500000;
    struct tekun_result r = oct23(&h, 0);
    refused(&r, r.no_able_obligor);
    assert_int_equal(line_find("tekun.obligor.able")->result, EXPLAIN_FAIL);
}

/* 22–23. 第八条(二): the son is a 低保 recipient aged 62 → unable → 955;
 * at 59 (1964-01-01 is 59 on 2023-10-01) that ground does not apply →
 * able → not eligible. */
TEST_CASE(test_obligor_dibao_elderly)
{
    struct household h;
    person_add(hh_init(&h, HH_AREA_URBAN), 1938, 1, 1);
    obligor_add(&h, 0, HH_REL_CHILD, 1961)->is_dibao_recipient = 1;
    assert_int_equal(oct23(&h, 0).amount_fen, 95500);
    assert_non_null(line_find("tekun.obligor.dibao_elderly"));
    h.obligors[0].birth_y = 1964;
    assert_int_equal(oct23(&h, 0).decision, TEKUN_NOT_ELIGIBLE);
}

/* 24–25. 第八条(三): a spouse aged 72 with 3000 a month: 36,000 a year <
 * 45,000 (assumed per-capita disposable income), assets within the rule →
 * unable → 955; with 4000 a month, 48,000 ≥ 45,000 → able → not
 * eligible. */
TEST_CASE(test_obligor_elderly_income)
{
    struct household h;
    elderly_alone(&h);
    struct hh_obligor *o = obligor_add(&h, 0, HH_REL_SPOUSE, 1951);
    o->income_monthly_fen = 300000;
    o->assets_within_low_income_rule = 1;
    assert_int_equal(oct23(&h, 0).amount_fen, 95500);
    h.obligors[0].income_monthly_fen = 400000;
    assert_int_equal(oct23(&h, 0).decision, TEKUN_NOT_ELIGIBLE);
}

/* 26. 第八条(四)/(五): a daughter with a grade-2 disability and low income,
 * and a son in prison with assets within the rule: both unable → 955 +
 * 半护理 200 (one item) = 1155. */
TEST_CASE(test_obligors_disabled_and_prison)
{
    struct household h;
    elderly_alone(&h);
    unable_set(&h.members[0], 1);
    struct hh_obligor *o = obligor_add(&h, 0, HH_REL_CHILD, 1975);
    o->disability_category = HH_DIS_PHYSICAL;
    o->disability_grade = 2;
    o->income_monthly_fen = 100000;
    o->assets_within_low_income_rule = 1;
    o = obligor_add(&h, 0, HH_REL_CHILD, 1977);
    o->in_prison = 1;
    o->assets_within_low_income_rule = 1;
    struct tekun_result r = oct23(&h, 0);
    granted(&r, 115500);
    assert_non_null(line_find("tekun.obligor.disabled_low_income"));
    assert_non_null(line_find("tekun.obligor.incapacitated"));
}

/* An applicant born 1948-03-01 (75 on 2023-10-01, no income) and a spouse
 * born 1958-05-01 (65) in the same household. */
static void
couple(struct household *h)
{
    elderly_alone(h);
    person_add(h, 1958, 5, 1)->relation = HH_REL_SPOUSE;
}

/* H1. 第四条(三), 第八条; 民法典 第一千零五十九条: the spouse living in the
 * household is an obligor though not listed. 65, no ground of 第八条
 * (not 特困, no 低保, under 70, no disability, not missing or in prison)
 * → able → not eligible, whatever the applicant's own conditions. */
TEST_CASE(test_household_spouse_able)
{
    struct household h;
    couple(&h);
    struct tekun_result r = oct23(&h, 0);
    assert_int_equal(r.no_work_capacity, TEKUN_COND_PASS);
    assert_int_equal(r.no_means, TEKUN_COND_PASS);
    assert_int_equal(r.no_able_obligor, TEKUN_COND_FAIL);
    assert_int_equal(r.decision, TEKUN_NOT_ELIGIBLE);
    assert_int_equal(r.amount_fen, 0);
    const struct explain_line *l = line_find("tekun.obligor.household.spouse");
    assert_non_null(l);
    assert_int_equal(l->result, EXPLAIN_INFO);
    assert_int_equal(l->values[0].name, EXPLAIN_N_MEMBER);
    assert_int_equal(l->values[0].value, 1);
    l = line_find("tekun.obligor.able");
    assert_int_equal(l->result, EXPLAIN_FAIL);
    assert_int_equal(l->values[0].value, HH_REL_SPOUSE);
    assert_int_equal(l->values[1].value, 65);
    assert_null(line_find("tekun.obligor.none"));
    /* the applicant is the spouse's obligor too: 75, but the applicant is
     * not 特困 and not on 低保, and 第八条(三) needs income below the
     * limit: 4,000 a month × 12 = 48,000 ≥ 45,000 → able */
    h.members[0].income_fen[HH_INC_WAGES] = 400000;
    r = oct23(&h, 1);
    assert_int_equal(r.no_able_obligor, TEKUN_COND_FAIL);
    assert_int_equal(
        line_find("tekun.obligor.household.spouse")->values[0].value, 0);
}

/* H2–H5. 第八条(一) and (四): the spouse in the household is 特困 → unable
 * → the applicant (75, no income) is eligible for the basic 955 on
 * 2023-10-01 (§7.1). Severely disabled instead (肢体 grade 1), own income
 * 0 × 12 < 45,000 and no assets → unable (四) → 955. The same spouse
 * earning 4,000 a month: 48,000 ≥ 45,000 → able → not eligible. */
TEST_CASE(test_household_spouse_unable)
{
    struct household h;
    couple(&h);
    h.members[1].tekun_receiving = 1;
    struct tekun_result r = oct23(&h, 0);
    granted(&r, 95500);
    assert_int_equal(line_find("tekun.obligor.is_tekun")->result, EXPLAIN_PASS);

    couple(&h);
    h.members[1].disability_category = HH_DIS_PHYSICAL;
    h.members[1].disability_grade = 1;
    r = oct23(&h, 0);
    granted(&r, 95500);
    const struct explain_line *l =
        line_find("tekun.obligor.disabled_low_income");
    assert_non_null(l);
    assert_int_equal(l->values[2].value, 0);       /* annual income */
    assert_int_equal(l->values[3].value, 4500000); /* limit */

    h.members[1].income_fen[HH_INC_WAGES] = 400000;
    r = oct23(&h, 0);
    assert_int_equal(r.decision, TEKUN_NOT_ELIGIBLE);
    assert_int_equal(line_find("tekun.obligor.able")->values[2].value, 4800000);
    /* a deposit of the spouse's own over 12 × 735 = 8,820 fails the asset
     * test of 第八条(四): able again, though the income is 0 */
    h.members[1].income_fen[HH_INC_WAGES] = 0;
    struct hh_asset *a = &h.assets[h.asset_count++];
    a->kind = HH_ASSET_DEPOSIT;
    a->owner_member = 1;
    a->value_fen = 900000;
    r = oct23(&h, 0);
    assert_int_equal(r.no_able_obligor, TEKUN_COND_FAIL);
}

/* H6. 第八条(三) both ways: a couple both born 1948-03-01 (75), no income,
 * no assets: each is the other's obligor, aged ≥70 with 0 < 45,000 a year
 * and assets within the rule → unable; both are 特困: 955 each. */
TEST_CASE(test_household_elderly_couple)
{
    struct household h;
    elderly_alone(&h);
    person_add(&h, 1948, 3, 1)->relation = HH_REL_SPOUSE;
    for (int i = 0; i < 2; i++) {
        struct tekun_result r = oct23(&h, i);
        granted(&r, 95500);
        assert_int_equal(lines_count("tekun.obligor.elderly_low_income"), 1);
    }
}

/* H7–H8. 民法典 第一千零六十七条第一款, 第八条: a minor with a working parent
 * in the household. The applicant (born 1985-04-01, 38, wages 5,000) and
 * the child (born 2013-06-01, 10 on 2023-10-01, relation child): the child
 * meets (1) (under 16) and (2) (no income), but the parent is an able
 * obligor → not eligible. The parent's parent in the household (relation
 * parent, born 1950-01-01, 73) has the applicant as an adult child
 * (第一千零六十七条第二款): able too → not eligible. */
TEST_CASE(test_household_minor_with_parent)
{
    struct household h;
    struct hh_person *pa = person_add(hh_init(&h, HH_AREA_URBAN), 1985, 4, 1);
    pa->employed = 1;
    pa->income_fen[HH_INC_WAGES] = 500000;
    person_add(&h, 2013, 6, 1)->relation = HH_REL_CHILD;
    person_add(&h, 1950, 1, 1)->relation = HH_REL_PARENT;

    struct tekun_result r = oct23(&h, 1);
    assert_int_equal(r.age, 10);
    assert_int_equal(r.no_work_capacity, TEKUN_COND_PASS);
    assert_int_equal(r.no_means, TEKUN_COND_PASS);
    assert_int_equal(r.no_able_obligor, TEKUN_COND_FAIL);
    assert_int_equal(r.decision, TEKUN_NOT_ELIGIBLE);
    const struct explain_line *l = line_find("tekun.obligor.household.parent");
    assert_non_null(l);
    assert_int_equal(l->values[0].value, 0);
    assert_int_equal(lines_count("tekun.obligor.household.parent"), 1);
    /* the grandparent is not derived for the child (第一千零七十四条 is
     * conditional: a caseworker lists it) */
    assert_int_equal(lines_count("tekun.obligor.able"), 1);

    r = oct23(&h, 2);
    assert_int_equal(r.decision, TEKUN_NOT_ELIGIBLE);
    l = line_find("tekun.obligor.household.child");
    assert_non_null(l);
    assert_int_equal(l->values[0].value, 0);
    /* the minor grandchild is no obligor of anyone */
    assert_int_equal(lines_count("tekun.obligor.household.child"), 1);
}

/* H9–H10. 第一千零六十七条第二款 needs an adult child: an applicant born
 * 1961-01-01 (62) with a child born 2008-01-01 (15) in the household has
 * no obligor (the child is under 18), so 第四条(三) holds: 955. At 18
 * (born 2005-10-01) the child is an obligor, able → not eligible. */
TEST_CASE(test_household_minor_child_no_obligor)
{
    struct household h;
    person_add(hh_init(&h, HH_AREA_URBAN), 1961, 1, 1);
    person_add(&h, 2008, 1, 1)->relation = HH_REL_CHILD;
    struct tekun_result r = oct23(&h, 0);
    granted(&r, 95500);
    assert_non_null(line_find("tekun.obligor.none"));
    h.members[1].birth_y = 2005;
    h.members[1].birth_m = 10;
    r = oct23(&h, 0);
    assert_int_equal(r.decision, TEKUN_NOT_ELIGIBLE);
    assert_non_null(line_find("tekun.obligor.household.child"));
}

/* 27. 第九条: a 10-year-old orphan who chose the orphan scheme is not 特困. */
TEST_CASE(test_child_scheme)
{
    struct household h;
    person_add(hh_init(&h, HH_AREA_RURAL), 2013, 5, 1)->chose_orphan_scheme = 1;
    struct tekun_result r = oct23(&h, 0);
    assert_int_equal(r.decision, TEKUN_NOT_ELIGIBLE);
    assert_true(r.chose_child_scheme);
}

/* 28–29. 第七条 assets (Chongqing NOT FOUND: 12 × the 低保 standard as a
 * parameter): own 5,000 + joint 3,820 = 8,820.00 = 12 × 735 → within →
 * 955; one fen more → not eligible. A second dwelling also fails. */
TEST_CASE(test_assets)
{
    struct household h;
    elderly_alone(&h);
    struct hh_asset *a = &h.assets[h.asset_count++];
    a->kind = HH_ASSET_DEPOSIT;
    a->owner_member = 0;
    a->value_fen = 500000;
    a = &h.assets[h.asset_count++];
    a->kind = HH_ASSET_DEPOSIT;
    a->owner_member = HH_ASSET_JOINT;
    a->value_fen = 382000;
    assert_int_equal(oct23(&h, 0).amount_fen, 95500);
    h.assets[1].value_fen = 382001;
    assert_int_equal(oct23(&h, 0).decision, TEKUN_NOT_ELIGIBLE);
    h.assets[1].value_fen = 0;
    for (int i = 0; i < 2; i++) {
        a = &h.assets[h.asset_count++];
        a->kind = HH_ASSET_DWELLING;
        a->owner_member = 0;
        a->floor_area_dm2 = 4000;
    }
    assert_int_equal(oct23(&h, 0).decision, TEKUN_NOT_ELIGIBLE);
}

/* 30. §7.1 basic standard by date for a self-caring 75-year-old. */
TEST_CASE(test_basic_by_date)
{
    static const struct {
        int y, m, d;
        int64_t want;
    } rows[] = {
        {2021, 10, 1, 82700}, {2022, 10, 1, 93200}, {2023, 10, 1, 95500},
        {2024, 10, 1, 97500}, {2025, 6, 30, 97500}, {2025, 7, 1, 100100},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct tekun_params p = cq_params(rows[i].y, rows[i].m, rows[i].d);
        struct household h;
        person_add(hh_init(&h, HH_AREA_URBAN), rows[i].y - 75, 1, 1);
        assert_int_equal(
            assess(&h, 0, rows[i].y, rows[i].m, rows[i].d, &p).amount_fen,
            rows[i].want);
    }
}

/* 31. Care as ratios of a base (parameterised mode; e.g. Changsha's
 * 1/10, 1/6, 1/3): base 2000.03, partly 167‰ → 334.00501 → half up →
 * 334.01; basic 955 + 334.01 = 1289.01. */
TEST_CASE(test_care_ratio_mode)
{
    struct tekun_params p = cq_params(2023, 10, 1);
    p.care_mode = TEKUN_CARE_RATIOS;
    p.care_base_fen = 200003;
    p.care_self_permille = 100;
    p.care_partial_permille = 167;
    p.care_full_permille = 333;
    struct household h;
    elderly_alone(&h);
    unable_set(&h.members[0], 2);
    struct tekun_result r = assess(&h, 0, 2023, 10, 1, &p);
    assert_int_equal(r.care_fen, 33401);
    assert_int_equal(r.amount_fen, 95500 + 33401);
}

/* 32. Invalid input → DD_EINVAL. */
TEST_CASE(test_invalid)
{
    struct tekun_params p = cq_params(2023, 10, 1);
    struct household h;
    struct tekun_result r;
    elderly_alone(&h);
    assert_int_equal(tekun_assess(&h, 1, &p, 2023, 10, 1, &r, NULL), DD_EINVAL);
    assert_int_equal(tekun_assess(&h, -1, &p, 2023, 10, 1, &r, NULL),
                     DD_EINVAL);
    assert_int_equal(tekun_assess(NULL, 0, &p, 2023, 10, 1, &r, NULL),
                     DD_EINVAL);
    assert_int_equal(tekun_assess(&h, 0, &p, 2023, 13, 1, &r, NULL), DD_EINVAL);
    obligor_add(&h, 3, HH_REL_CHILD, 1970); /* of a member that is not */
    assert_int_equal(tekun_assess(&h, 0, &p, 2023, 10, 1, &r, NULL), DD_EINVAL);
    elderly_alone(&h);
    p.care_full_min_items = 0;
    assert_int_equal(tekun_assess(&h, 0, &p, 2023, 10, 1, &r, NULL), DD_EINVAL);
}

/* The seed's self-care counts are read: tiers that do not meet, or a
 * count other than the six items recorded, refuse the parameters. The
 * basic standard's floor is a check: 955 for 1.3 × 735 = 955.5 passes
 * silently; 954.5, a full yuan below, is paid as published with an
 * explanation line saying so. */
TEST_CASE(test_params_selfcare_and_floor)
{
    struct household h;
    struct tekun_result r;
    elderly_alone(&h);
    struct tekun_params p = cq_params(2023, 10, 1);
    assert_int_equal(p.basic_fen, 95500);
    assess(&h, 0, 2023, 10, 1, &p);
    assert_null(line_find("tekun.basic.below_floor"));
    p.basic_fen = 95450;
    assert_int_equal(assess(&h, 0, 2023, 10, 1, &p).basic_fen, 95450);
    const struct explain_line *l = line_find("tekun.basic.below_floor");
    assert_non_null(l);
    assert_int_equal(l->result, EXPLAIN_INFO);
    p.basic_min_permille = 0; /* no floor */
    assess(&h, 0, 2023, 10, 1, &p);
    assert_null(line_find("tekun.basic.below_floor"));
    p = cq_params(2023, 10, 1);
    p.care_partial_max_items = 2;
    assert_int_equal(tekun_assess(&h, 0, &p, 2023, 10, 1, &r, NULL), DD_EINVAL);
    p = cq_params(2023, 10, 1);
    p.care_items = 5;
    assert_int_equal(tekun_assess(&h, 0, &p, 2023, 10, 1, &r, NULL), DD_EINVAL);
}

/* ---- properties ---- */

/* Over 3000 generated persons: amount = basic + care ≥ 0, explanation sums
 * to it, with/without explanation agree, the tier is monotone in the
 * failed items, and more counted income never turns "not eligible" into
 * eligible nor changes an amount (特困 is not a gap payment). */
TEST_CASE(test_properties)
{
    rng_state = 1001;
    static struct household h, h2;
    int eligible = 0;
    for (int it = 0; it < 3000; it++) {
        int y = 2022 + (int)rnd(4), m = 1 + (int)rnd(12), d = 1 + (int)rnd(28);
        struct tekun_params p = cq_params(y, m, d);
        hh_init(&h, rnd(2) ? HH_AREA_URBAN : HH_AREA_RURAL);
        struct hh_person *pp =
            person_add(&h, y - 1 - (int)rnd(95), 1 + (int)rnd(12), 1);
        if (rnd(4) == 0) {
            pp->disability_category = (enum hh_disability)(1 + rnd(7));
            pp->disability_grade = 1 + (int)rnd(4);
        }
        pp->work_capacity = (enum hh_work_capacity)rnd(3);
        pp->tekun_receiving = rnd(5) == 0;
        unable_set(pp, (int)rnd(7));
        if (rnd(2))
            pp->income_fen[HH_INC_TRANSFERS_IN] = rnd(90000);
        if (rnd(4) == 0)
            pp->income_fen[HH_INC_EX_BASIC_PENSION] = rnd(30000);
        int no = (int)rnd(3);
        for (int i = 0; i < no; i++) {
            struct hh_obligor *o =
                obligor_add(&h, 0, HH_REL_CHILD, y - 20 - (int)rnd(60));
            o->income_monthly_fen = rnd(600000);
            o->is_dibao_recipient = rnd(4) == 0;
            o->assets_within_low_income_rule = rnd(2);
            o->in_prison = rnd(10) == 0;
        }
        if (rnd(5) == 0) {
            struct hh_asset *a = &h.assets[h.asset_count++];
            a->kind = HH_ASSET_DEPOSIT;
            a->owner_member = 0;
            a->value_fen = rnd(2000000);
        }
        struct tekun_result r = assess(&h, 0, y, m, d, &p);
        eligible += r.decision == TEKUN_ELIGIBLE;
        assert_int_equal(r.tier, tekun_care_tier_of(r.items_unable, &p));
        h2 = h;
        h2.members[0].income_fen[HH_INC_TRANSFERS_IN] += 100;
        struct tekun_result r2 = assess(&h2, 0, y, m, d, &p);
        if (r.decision == TEKUN_NOT_ELIGIBLE)
            assert_int_equal(r2.decision, TEKUN_NOT_ELIGIBLE);
        if (r2.decision == r.decision)
            assert_int_equal(r2.amount_fen, r.amount_fen);
    }
    for (int k = 1; k <= HH_ADL__COUNT; k++) {
        struct tekun_params p = cq_params(2023, 10, 1);
        assert_true(tekun_care_tier_of(k, &p) >= tekun_care_tier_of(k - 1, &p));
    }
    assert_true(eligible > 300);
    assert_true(eligible < 2700);
}

UNIT_TESTS(NULL, NULL, cmocka_unit_test(test_elderly_tiers),
           cmocka_unit_test(test_age_60_boundary),
           cmocka_unit_test(test_minor_16_boundary),
           cmocka_unit_test(test_minor_continued),
           cmocka_unit_test(test_work_disability),
           cmocka_unit_test(test_work_assessed_review),
           cmocka_unit_test(test_income_boundary),
           cmocka_unit_test(test_income_exclusions),
           cmocka_unit_test(test_obligor_able),
           cmocka_unit_test(test_obligor_dibao_elderly),
           cmocka_unit_test(test_obligor_elderly_income),
           cmocka_unit_test(test_obligors_disabled_and_prison),
           cmocka_unit_test(test_household_spouse_able),
           cmocka_unit_test(test_household_spouse_unable),
           cmocka_unit_test(test_household_elderly_couple),
           cmocka_unit_test(test_household_minor_with_parent),
           cmocka_unit_test(test_household_minor_child_no_obligor),
           cmocka_unit_test(test_child_scheme), cmocka_unit_test(test_assets),
           cmocka_unit_test(test_basic_by_date),
           cmocka_unit_test(test_care_ratio_mode),
           cmocka_unit_test(test_invalid),
           cmocka_unit_test(test_params_selfcare_and_floor),
           cmocka_unit_test(test_properties))
