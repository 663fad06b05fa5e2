/* SPDX-License-Identifier: MIT */
/* 特困 assessment for one person: 无劳动能力 (第五条), 无生活来源 (第六条,
 * 第七条), no obligor able to perform (第八条: the spouse, parents and adult
 * children living in the household, and the listed ones), the child-scheme choice
 * (第九条), then the basic standard plus the care tier from the self-care
 * items (第二十条 to 第二十三条). Every rule writes one explanation line. */
#include "domain/tekun.h"

#include <string.h>

#include "domain/dibao.h"
#include "domain/engine.h"

#define RULES "特困人员认定办法 (2021) "

#define ENGINE_RULES "domain/tekun_rules.def"
#include "domain/rule_table.h"

#undef RULES

/* The higher 低保 standard when the basic standard is below
 * tekun.basic.min_ratio of it (国发〔2016〕14号, domain.md §2), a
 * published figure being rounded to the yuan below (955 for 1.3 × 735 =
 * 955.5 is not); else 0. A check only: the published figure is paid. */
static int64_t
basic_below_floor(const struct tekun_params *p)
{
    int64_t std = p->dibao_standard_urban_fen > p->dibao_standard_rural_fen
                      ? p->dibao_standard_urban_fen
                      : p->dibao_standard_rural_fen;
    return p->basic_fen * 1000 > std * p->basic_min_permille - 100 * 1000
               ? 0
               : std;
}

static int
params_ok(const struct tekun_params *p)
{
    return engine_standard_ok(p->dibao_standard_urban_fen) &&
           engine_standard_ok(p->dibao_standard_rural_fen) &&
           engine_money_ok(p->basic_fen) &&
           engine_range_ok(p->care_mode, TEKUN_CARE_AMOUNTS,
                           TEKUN_CARE_RATIOS) &&
           engine_money_ok(p->care_self_fen) &&
           engine_money_ok(p->care_partial_fen) &&
           engine_money_ok(p->care_full_fen) &&
           engine_money_ok(p->care_base_fen) &&
           engine_permille_ok(p->care_self_permille) &&
           engine_permille_ok(p->care_partial_permille) &&
           engine_permille_ok(p->care_full_permille) &&
           engine_range_ok(p->care_full_min_items, 1, HH_ADL__COUNT) &&
           /* the tiers meet (第二十一条), over the six items the household
            * records (第二十条): other counts are a change to the code */
           p->care_partial_max_items == p->care_full_min_items - 1 &&
           p->care_items == HH_ADL__COUNT &&
           engine_range_ok(p->basic_min_permille, 0, 10000) &&
           engine_age_ok(p->work_elderly_min_age) &&
           engine_age_ok(p->work_minor_max_age) &&
           engine_age_ok(p->minor_support_until_age) &&
           engine_months_ok(p->asset_deposit_months) &&
           engine_count_ok(p->asset_vehicle_max) &&
           engine_count_ok(p->asset_dwelling_max) &&
           engine_count_ok(p->asset_shop_max) &&
           engine_count_ok(p->asset_company_max) &&
           engine_age_ok(p->obligor_dibao_min_age) &&
           engine_age_ok(p->obligor_elderly_min_age) &&
           engine_money_ok(p->obligor_income_limit_urban_annual_fen) &&
           engine_money_ok(p->obligor_income_limit_rural_annual_fen);
}

enum tekun_care_tier
tekun_care_tier_of(int items_unable, const struct tekun_params *p)
{
    /* 第二十二条: all achieved → self-caring; ≤3 failed → partly;
     * ≥4 failed → fully */
    if (items_unable <= 0)
        return TEKUN_CARE_SELF;
    return items_unable <= p->care_partial_max_items ? TEKUN_CARE_PARTIAL
                                                     : TEKUN_CARE_FULL;
}

/* 第五条: (1) ≥60, (2) <16, (3) disability grades; continuation of a
 * supported minor (第二十五条); (4) an assessed provincial case → review. */
static enum tekun_cond
work_capacity(const struct hh_person *pp, int age, const struct tekun_params *p,
              int member, struct explain *ex)
{
    const struct explain_rule *r = NULL;
    enum tekun_cond c = TEKUN_COND_PASS;
    enum hh_disability cat = pp->disability_category;
    int g = pp->disability_grade;
    if (age >= p->work_elderly_min_age)
        r = &rules[R_AGE_ELDERLY];
    else if (age < p->work_minor_max_age)
        r = &rules[R_AGE_MINOR];
    else if (((cat == HH_DIS_INTELLECTUAL || cat == HH_DIS_MENTAL) && g >= 1 &&
              g <= 3) ||
             (cat == HH_DIS_PHYSICAL && g >= 1 && g <= 2) ||
             (cat == HH_DIS_VISUAL && g == 1))
        r = &rules[R_WORK_DISABILITY];
    else if (pp->tekun_receiving && (age < p->minor_support_until_age ||
                                     pp->schooling == HH_SCHOOL_COMPULSORY ||
                                     pp->schooling == HH_SCHOOL_HIGH))
        r = &rules[R_WORK_MINOR_CONT];
    else if (pp->work_capacity == HH_WORK_NONE) {
        r = &rules[R_WORK_ASSESSED];
        c = TEKUN_COND_REVIEW;
    } else {
        r = &rules[R_WORK_FAIL];
        c = TEKUN_COND_FAIL;
    }
    struct explain_line *l =
        explain_add(ex, r,
                    c == TEKUN_COND_PASS   ? EXPLAIN_PASS
                    : c == TEKUN_COND_FAIL ? EXPLAIN_FAIL
                                           : EXPLAIN_REVIEW,
                    member, 0);
    explain_value_add(l, EXPLAIN_N_AGE, age);
    explain_value_add(l, EXPLAIN_N_CATEGORY, cat);
    explain_value_add(l, EXPLAIN_N_GRADE, g);
    return c;
}

/* Kinds not counted for 特困: every kind §1.3 excludes for 低保, and 第六条
 * names the basic pension, basic medical and other social insurance,
 * 优待抚恤金 and 高龄津贴; two kinds follow parameters. */
static int
kind_excluded(int k, const struct tekun_params *p)
{
    if (k == HH_INC_EX_DISABILITY_SUBSIDY)
        return p->exempt_disability_subsidy != 0;
    if (k == HH_INC_EX_KIN_SUPPORT)
        return p->exempt_kin_support != 0;
    return k >= HH_INC_FIRST_EXEMPT;
}

static unsigned
assets_fail(const struct household *h, int member, int64_t standard,
            const struct tekun_params *p, struct explain *ex)
{
    struct hh_asset_tally t = {0};
    for (int i = 0; i < h->asset_count; i++) {
        const struct hh_asset *a = &h->assets[i];
        /* own assets and the household's joint ones (in full) */
        if (a->owner_member != member && a->owner_member != HH_ASSET_JOINT)
            continue;
        if (!a->exempt)
            hh_asset_tally_add(&t, a);
    }
    int64_t money = t.deposits + t.securities;
    int vehicles = t.vehicles, dwellings = t.dwellings, shops = t.shops,
        companies = t.companies;
    int64_t limit = standard * p->asset_deposit_months;
    unsigned failed = 0;
    failed |= (money > limit) << 0;
    failed |= (vehicles > p->asset_vehicle_max) << 1;
    failed |= (dwellings > p->asset_dwelling_max) << 2;
    failed |= (shops > p->asset_shop_max) << 3;
    failed |= (companies > p->asset_company_max) << 4;
    if (ex != NULL) {
        struct explain_line *l;
        l = engine_explain_test(ex, &rules[R_DEPOSITS], (failed & 1u) != 0,
                                member);
        explain_value_add(l, EXPLAIN_N_ASSETS, money);
        explain_value_add(l, EXPLAIN_N_LIMIT, limit);
        explain_value_add(l, EXPLAIN_N_MONTHS, p->asset_deposit_months);
        static const enum rule_id kinds[4] = {R_VEHICLE, R_DWELLING, R_SHOP,
                                              R_COMPANY};
        const int counts[4] = {vehicles, dwellings, shops, companies};
        const int maxes[4] = {p->asset_vehicle_max, p->asset_dwelling_max,
                              p->asset_shop_max, p->asset_company_max};
        for (int k = 0; k < 4; k++)
            engine_explain_count(ex, &rules[kinds[k]],
                                 (failed & (2u << k)) != 0, member, counts[k],
                                 maxes[k]);
    }
    return failed;
}

/* What 第八条 needs to know of one obligor, listed or derived. */
struct obligor_facts {
    enum hh_relation relation; /* the obligor's relation to the person */
    int age;
    enum hh_disability disability_category;
    int disability_grade;
    int is_tekun;
    int is_dibao_recipient;
    int lacks_civil_capacity;
    int declared_missing;
    int in_prison;
    int64_t income_monthly_fen;
    int assets_ok; /* within the local 低收入家庭 asset rule */
    int other_provincial_unable;
};

/* 第八条: the first ground that makes the obligor unable, or NULL. */
static const struct explain_rule *
obligor_unable(const struct obligor_facts *o, int64_t limit_annual,
               const struct tekun_params *p)
{
    int low_income = o->income_monthly_fen * 12 < limit_annual;
    int assets_ok = o->assets_ok != 0;
    int severe = o->disability_category != HH_DIS_NONE &&
                 o->disability_grade >= 1 && o->disability_grade <= 2;
    int mental3 = (o->disability_category == HH_DIS_INTELLECTUAL ||
                   o->disability_category == HH_DIS_MENTAL) &&
                  o->disability_grade == 3;
    if (o->is_tekun)
        return &rules[R_OBL_TEKUN];
    if (o->is_dibao_recipient && o->age >= p->obligor_dibao_min_age)
        return &rules[R_OBL_DIBAO];
    if (o->age >= p->obligor_elderly_min_age && low_income && assets_ok)
        return &rules[R_OBL_ELDERLY];
    if ((severe || mental3) && low_income && assets_ok)
        return &rules[R_OBL_DISABLED];
    if ((o->lacks_civil_capacity || o->declared_missing || o->in_prison) &&
        assets_ok)
        return &rules[R_OBL_CAPACITY];
    if (o->other_provincial_unable)
        return &rules[R_OBL_PROVINCE];
    return NULL;
}

/* One obligor's line: the ground that makes them unable (PASS), or
 * R_OBL_ABLE (FAIL). 1 when able. */
static int
obligor_judge(const struct obligor_facts *o, int member, int64_t limit,
              const struct tekun_params *p, struct explain *ex)
{
    const struct explain_rule *why = obligor_unable(o, limit, p);
    struct explain_line *l =
        explain_add(ex, why ? why : &rules[R_OBL_ABLE],
                    why ? EXPLAIN_PASS : EXPLAIN_FAIL, member, 0);
    explain_value_add(l, EXPLAIN_N_RELATION, o->relation);
    explain_value_add(l, EXPLAIN_N_AGE, o->age);
    explain_value_add(l, EXPLAIN_N_INCOME_ANNUAL, o->income_monthly_fen * 12);
    explain_value_add(l, EXPLAIN_N_LIMIT, limit);
    return why == NULL;
}

/* A member's own counted monthly income for 第八条: the kinds 第六条
 * counts, less the deductions (the same counting as condition (2)). */
static int64_t
counted_income(const struct hh_person *pp, const struct tekun_params *p)
{
    int64_t gross = 0, deductions = 0;
    for (int k = 0; k < HH_INC__COUNT; k++) {
        int64_t v = pp->income_fen[k];
        if (k == HH_INC_TRANSFERS_OUT || k == HH_INC_RIGID_DEDUCTION)
            deductions += v;
        else if (!(k >= HH_INC_FIRST_EXEMPT && kind_excluded(k, p)))
            gross += v;
    }
    return gross > deductions ? gross - deductions : 0;
}

/* How member `other` is a statutory obligor of member `member` when both
 * live in the household, from their relations to the applicant (申请人):
 *  - spouses (民法典 第一千零五十九条 扶养): the applicant and the spouse;
 *  - parents (第一千零六十七条第一款 抚养, a minor or an adult who cannot
 *    live independently; 特困 applicants are such adults): the applicant's
 *    parents for the applicant, the applicant and spouse for a child;
 *  - adult children (第一千零六十七条第二款 赡养): the children for the
 *    applicant and the spouse, the applicant and the applicant's siblings
 *    for a parent; a child under minor_support_until_age is not one.
 * Grandparents, grandchildren and siblings owe support only when the
 * nearer obligors are dead or unable (第一千零七十四条, 第一千零七十五条):
 * those are listed as obligors by the caseworker, not derived. Returns
 * the obligor's relation to the person (SPOUSE, PARENT or CHILD), or
 * HH_REL_OTHER when other is not an obligor of member. */
static enum hh_relation
derived_relation(const struct hh_person *pm, const struct hh_person *po,
                 int other_age, const struct tekun_params *p)
{
    enum hh_relation m = pm->relation, o = po->relation;
    int adult = other_age >= p->minor_support_until_age;
    if ((m == HH_REL_APPLICANT && o == HH_REL_SPOUSE) ||
        (m == HH_REL_SPOUSE && o == HH_REL_APPLICANT))
        return HH_REL_SPOUSE;
    if ((m == HH_REL_APPLICANT && o == HH_REL_PARENT) ||
        (m == HH_REL_CHILD && (o == HH_REL_APPLICANT || o == HH_REL_SPOUSE)))
        return HH_REL_PARENT;
    if (adult && (((m == HH_REL_APPLICANT || m == HH_REL_SPOUSE) &&
                   o == HH_REL_CHILD) ||
                  (m == HH_REL_PARENT &&
                   (o == HH_REL_APPLICANT || o == HH_REL_SIBLING))))
        return HH_REL_CHILD;
    return HH_REL_OTHER;
}

/* 第四条(三), 第八条: every statutory obligor of the person, first those
 * living in the household (derived from the members' relations), then
 * those the caller listed. A derived obligor is judged on what the
 * household says of them: 特困 (tekun_receiving), a 低保 recipient when
 * the household receives 低保, age, own counted income, disability, missing
 * or in prison (the absence), and assets: the household's joint assets and
 * their own within the 特困 asset parameters (重庆's 低收入 asset rule is
 * NOT FOUND). Civil capacity and provincial cases are not recorded for a
 * member: a derived obligor can be found unable only on the other grounds
 * (list them as obligors when those apply). */
static enum tekun_cond
obligors(const struct household *h, int member, const struct tekun_params *p,
         int y, int m, int d, struct explain *ex)
{
    int64_t limit = h->standard_area == HH_AREA_RURAL
                        ? p->obligor_income_limit_rural_annual_fen
                        : p->obligor_income_limit_urban_annual_fen;
    int64_t standard = h->standard_area == HH_AREA_RURAL
                           ? p->dibao_standard_rural_fen
                           : p->dibao_standard_urban_fen;
    int any = 0;
    enum tekun_cond c = TEKUN_COND_PASS;
    const struct hh_person *pm = &h->members[member];
    for (int j = 0; j < h->member_count; j++) {
        if (j == member)
            continue;
        const struct hh_person *po = &h->members[j];
        int age = hh_age_years(po->birth_y, po->birth_m, po->birth_d, y, m, d);
        enum hh_relation rel = derived_relation(pm, po, age, p);
        if (rel == HH_REL_OTHER)
            continue;
        any = 1;
        static const struct explain_rule *const from[3] = {
            &rules[R_OBL_HH_SPOUSE], &rules[R_OBL_HH_PARENT],
            &rules[R_OBL_HH_CHILD]};
        struct explain_line *l = explain_add(
            ex,
            from[rel == HH_REL_SPOUSE ? 0 : rel == HH_REL_PARENT ? 1 : 2],
            EXPLAIN_INFO, member, 0);
        explain_value_add(l, EXPLAIN_N_MEMBER, j);
        explain_value_add(l, EXPLAIN_N_RELATION, rel);
        struct obligor_facts f = {
            .relation = rel,
            .age = age,
            .disability_category = po->disability_category,
            .disability_grade = po->disability_grade,
            .is_tekun = po->tekun_receiving,
            .is_dibao_recipient = h->dibao.receiving,
            .declared_missing = po->absence == HH_ABSENT_MISSING,
            .in_prison = po->absence == HH_ABSENT_PRISON,
            .income_monthly_fen = counted_income(po, p),
            .assets_ok = assets_fail(h, j, standard, p, NULL) == 0,
        };
        if (obligor_judge(&f, member, limit, p, ex))
            c = TEKUN_COND_FAIL;
    }
    for (int i = 0; i < h->obligor_count; i++) {
        const struct hh_obligor *o = &h->obligors[i];
        if (o->of_member != member)
            continue;
        any = 1;
        struct obligor_facts f = {
            .relation = o->relation,
            .age = hh_age_years(o->birth_y, o->birth_m, o->birth_d, y, m, d),
            .disability_category = o->disability_category,
            .disability_grade = o->disability_grade,
            .is_tekun = o->is_tekun,
            .is_dibao_recipient = o->is_dibao_recipient,
            .lacks_civil_capacity = o->lacks_civil_capacity,
            .declared_missing = o->declared_missing,
            .in_prison = o->in_prison,
            .income_monthly_fen = o->income_monthly_fen,
            .assets_ok = o->assets_within_low_income_rule,
            .other_provincial_unable = o->other_provincial_unable,
        };
        if (obligor_judge(&f, member, limit, p, ex))
            c = TEKUN_COND_FAIL;
    }
    if (!any)
        explain_add(ex, &rules[R_NO_OBLIGOR], EXPLAIN_PASS, member, 0);
    return c;
}

static int64_t
ratio_fen(int64_t base, int permille)
{
    /* half up to the fen */
    return (base * permille + 500) / 1000;
}

enum dd_status
tekun_assess(const struct household *h, int member,
             const struct tekun_params *p, int y, int m, int d,
             struct tekun_result *out, struct explain *ex)
{
    if (!engine_start(out, sizeof(*out),
                      h != NULL && p != NULL && params_ok(p) &&
                          dibao_household_validate(h, y, m, d) == DD_OK &&
                          member >= 0 && member < h->member_count))
        return DD_EINVAL;

    const struct hh_person *pp = &h->members[member];
    int age = hh_age_years(pp->birth_y, pp->birth_m, pp->birth_d, y, m, d);
    out->age = age;

    /* (1) 无劳动能力 */
    out->no_work_capacity = work_capacity(pp, age, p, member, ex);

    /* (2) 无生活来源: own income < the local 低保 standard (第六条); the
     * urban or rural standard per the household (第十九条 mapping is the
     * caller's) */
    int64_t standard = h->standard_area == HH_AREA_RURAL
                           ? p->dibao_standard_rural_fen
                           : p->dibao_standard_urban_fen;
    out->standard_fen = standard;
    int64_t gross = 0, deductions = 0, exempt = 0;
    for (int k = 0; k < HH_INC__COUNT; k++) {
        int64_t v = pp->income_fen[k];
        if (k == HH_INC_TRANSFERS_OUT || k == HH_INC_RIGID_DEDUCTION)
            deductions += v;
        else if (k >= HH_INC_FIRST_EXEMPT && kind_excluded(k, p))
            exempt += v;
        else
            gross += v;
    }
    int64_t income = gross > deductions ? gross - deductions : 0;
    out->income_counted_fen = income;
    out->income_exempt_fen = exempt;
    struct explain_line *l;
    if (exempt > 0) {
        l = explain_add(ex, &rules[R_EXEMPT], EXPLAIN_INFO, member, 0);
        explain_value_add(l, EXPLAIN_N_EXEMPT, exempt);
    }
    int income_ok = income < standard;
    l = explain_add(ex, &rules[R_INCOME],
                    income_ok ? EXPLAIN_PASS : EXPLAIN_FAIL, member, 0);
    explain_value_add(l, EXPLAIN_N_GROSS_INCOME, gross);
    explain_value_add(l, EXPLAIN_N_DEDUCTIONS, deductions);
    explain_value_add(l, EXPLAIN_N_INCOME, income);
    explain_value_add(l, EXPLAIN_N_STANDARD, standard);
    unsigned af = assets_fail(h, member, standard, p, ex);
    out->no_means = income_ok && af == 0 ? TEKUN_COND_PASS : TEKUN_COND_FAIL;

    /* (3) no obligor, or none able to perform */
    out->no_able_obligor = obligors(h, member, p, y, m, d, ex);

    /* 第九条: a minor who chose the child scheme is not 特困 */
    out->chose_child_scheme = pp->chose_orphan_scheme && age < 18;
    if (out->chose_child_scheme)
        explain_add(ex, &rules[R_CHILD_SCHEME], EXPLAIN_FAIL, member, 0);

    /* care tier from the six items (第二十条 to 第二十二条) */
    int unable = 0;
    for (int k = 0; k < HH_ADL__COUNT; k++)
        unable += pp->selfcare_unable[k] != 0;
    out->items_unable = unable;
    out->tier = tekun_care_tier_of(unable, p);
    l = explain_add(ex, &rules[R_SELFCARE], EXPLAIN_INFO, member, 0);
    explain_value_add(l, EXPLAIN_N_ITEMS_UNABLE, unable);
    explain_value_add(l, EXPLAIN_N_TIER, out->tier);

    if (out->no_work_capacity == TEKUN_COND_FAIL ||
        out->no_means == TEKUN_COND_FAIL ||
        out->no_able_obligor == TEKUN_COND_FAIL || out->chose_child_scheme)
        out->decision = TEKUN_NOT_ELIGIBLE;
    else if (out->no_work_capacity == TEKUN_COND_REVIEW ||
             out->no_able_obligor == TEKUN_COND_REVIEW)
        out->decision = TEKUN_REVIEW;
    else
        out->decision = TEKUN_ELIGIBLE;

    if (out->decision != TEKUN_NOT_ELIGIBLE) {
        /* the published basic figure, paid in full (no gap); care by tier */
        out->basic_fen = p->basic_fen;
        static const struct explain_rule *const care_rules[3] = {
            &rules[R_CARE_SELF], &rules[R_CARE_PARTIAL], &rules[R_CARE_FULL]};
        const int64_t amounts[3] = {p->care_self_fen, p->care_partial_fen,
                                    p->care_full_fen};
        const int ratios[3] = {p->care_self_permille, p->care_partial_permille,
                               p->care_full_permille};
        out->care_fen = p->care_mode == TEKUN_CARE_RATIOS
                            ? ratio_fen(p->care_base_fen, ratios[out->tier])
                            : amounts[out->tier];
        out->amount_fen = out->basic_fen + out->care_fen;
        l = explain_add(ex, &rules[R_BASIC], EXPLAIN_AMOUNT, member,
                        out->basic_fen);
        explain_value_add(l, EXPLAIN_N_AMOUNT, out->basic_fen);
        int64_t floor_std = basic_below_floor(p);
        if (floor_std) {
            l = explain_add(ex, &rules[R_BASIC_FLOOR], EXPLAIN_INFO, member, 0);
            explain_value_add(l, EXPLAIN_N_STANDARD, floor_std);
            explain_value_add(l, EXPLAIN_N_RATIO, p->basic_min_permille);
        }
        l = explain_add(ex, care_rules[out->tier], EXPLAIN_AMOUNT, member,
                        out->care_fen);
        explain_value_add(l, EXPLAIN_N_ITEMS_UNABLE, unable);
        if (p->care_mode == TEKUN_CARE_RATIOS) {
            explain_value_add(l, EXPLAIN_N_BASE, p->care_base_fen);
            explain_value_add(l, EXPLAIN_N_RATIO, ratios[out->tier]);
        }
    }
    l = explain_add(ex, &rules[R_TOTAL],
                    out->decision == TEKUN_ELIGIBLE ? EXPLAIN_PASS
                    : out->decision == TEKUN_REVIEW ? EXPLAIN_REVIEW
                                                    : EXPLAIN_FAIL,
                    member, 0);
    explain_value_add(l, EXPLAIN_N_AMOUNT, out->amount_fen);
    return DD_OK;
}
