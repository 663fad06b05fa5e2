/* SPDX-License-Identifier: MIT */
/* 低保 assessment. Order: validate, decide who is counted (57号 第七条),
 * then either the household unit or a 单人保 unit (第八条), and for the
 * unit: counted income (第十三条), assets (第十四条), the gap (社会救助暂行
 * 办法 第十二条), Chongqing's increments (2018, unchanged to 2025) and
 * 渐退 (第三十三条). Every rule writes one explanation line. */
#include "domain/dibao.h"

#include <string.h>

#include "domain/engine.h"

/* ---- rules, with the clause each comes from (dibao_rules.def) ---- */

#define ENGINE_RULES "domain/dibao_rules.def"
#include "domain/rule_table.h"

/* ---- validation ---- */

static int
person_ok(const struct hh_person *pp)
{
    if (!engine_enum_ok((int)pp->relation, HH_REL__COUNT) ||
        !engine_disability_ok((int)pp->disability_category,
                              pp->disability_grade) ||
        !engine_range_ok((int)pp->work_capacity, 0, HH_WORK_NONE) ||
        !engine_enum_ok((int)pp->schooling, HH_SCHOOL__COUNT) ||
        !engine_enum_ok((int)pp->absence, HH_ABSENT__COUNT))
        return 0;
    for (int k = 0; k < HH_INC__COUNT; k++)
        if (!engine_money_ok(pp->income_fen[k]))
            return 0;
    return 1;
}

/* ages (optional) receives each member's age on y-m-d. */
static int
household_valid(const struct household *h, int y, int m, int d, int *ages)
{
    if (!hh_date_valid(y, m, d))
        return 0;
    if (!engine_range_ok(h->member_count, 1, HH_MAX_MEMBERS) ||
        !engine_range_ok(h->asset_count, 0, HH_MAX_ASSETS) ||
        !engine_range_ok(h->obligor_count, 0, HH_MAX_OBLIGORS) ||
        !engine_range_ok((int)h->standard_area, HH_AREA_URBAN, HH_AREA_RURAL))
        return 0;
    for (int i = 0; i < h->member_count; i++) {
        const struct hh_person *pp = &h->members[i];
        int age = hh_age_years(pp->birth_y, pp->birth_m, pp->birth_d, y, m, d);
        if (!person_ok(pp) || age < 0)
            return 0;
        if (ages != NULL)
            ages[i] = age;
    }
    for (int i = 0; i < h->asset_count; i++) {
        const struct hh_asset *a = &h->assets[i];
        if (!engine_enum_ok((int)a->kind, HH_ASSET__COUNT) ||
            !engine_money_ok(a->value_fen) || a->floor_area_dm2 < 0 ||
            a->floor_area_dm2 > HH_AREA_MAX_DM2 ||
            (a->owner_member != HH_ASSET_JOINT &&
             !engine_range_ok(a->owner_member, 0, h->member_count - 1)))
            return 0;
    }
    for (int i = 0; i < h->obligor_count; i++) {
        const struct hh_obligor *o = &h->obligors[i];
        if (!engine_range_ok(o->of_member, 0, h->member_count - 1) ||
            !engine_enum_ok((int)o->relation, HH_REL__COUNT) ||
            !engine_disability_ok((int)o->disability_category,
                                  o->disability_grade) ||
            !engine_money_ok(o->income_monthly_fen) ||
            hh_age_years(o->birth_y, o->birth_m, o->birth_d, y, m, d) < 0)
            return 0;
    }
    if (h->dibao.months_since_exceeding < 0 ||
        h->dibao.months_since_exceeding > 1200 ||
        !engine_money_ok(h->dibao.last_amount_fen))
        return 0;
    if (h->dibao_single &&
        !engine_range_ok(h->dibao_single_member, 0, h->member_count - 1))
        return 0;
    return 1;
}

enum dd_status
dibao_household_validate(const struct household *h, int y, int m, int d)
{
    if (h == NULL || !household_valid(h, y, m, d, NULL))
        return DD_EINVAL;
    return DD_OK;
}

static int
params_ok(const struct dibao_params *p)
{
    return engine_standard_ok(p->standard_urban_fen) &&
           engine_standard_ok(p->standard_rural_fen) &&
           engine_months_ok(p->asset_deposit_months) &&
           engine_count_ok(p->asset_vehicle_max) &&
           engine_range_ok(p->asset_dwelling_min_count, 1, 1000) &&
           p->asset_housing_area_dm2 >= 0 &&
           p->asset_housing_area_dm2 <= HH_AREA_MAX_DM2 &&
           engine_count_ok(p->asset_housing_area_multiple) &&
           engine_count_ok(p->asset_shop_max) &&
           engine_count_ok(p->asset_company_max) &&
           engine_money_ok(p->increment_disabled_fen) &&
           engine_money_ok(p->increment_severe_disability_fen) &&
           engine_money_ok(p->increment_major_illness_fen) &&
           engine_money_ok(p->increment_elderly_fen) &&
           engine_money_ok(p->increment_preschool_fen) &&
           engine_money_ok(p->increment_student_fen) &&
           engine_age_ok(p->increment_elderly_min_age) &&
           engine_age_ok(p->increment_preschool_max_age) &&
           engine_permille_ok(p->near_poor_ratio_permille) &&
           engine_range_ok(p->single_amount_mode, DIBAO_SINGLE_GAP,
                           DIBAO_SINGLE_SHARE) &&
           engine_permille_ok(p->single_share_permille) &&
           engine_range_ok(p->phaseout_months, 0, 120);
}

/* ---- members (57号 第七条) ---- */

static int
is_student(enum hh_schooling s)
{
    /* full-time study at bachelor level or below */
    return s == HH_SCHOOL_COMPULSORY || s == HH_SCHOOL_HIGH ||
           s == HH_SCHOOL_BACHELOR;
}

/* 1 if counted, 0 if not; *why is the rule that decided. */
static int
member_counted(const struct hh_person *pp, int age,
               const struct explain_rule **why)
{
    /* Art. 7 exclusions override everything */
    if (pp->absence != HH_ABSENT_NONE) {
        *why = &rules[R_MEMBER_EXCLUDED];
        return 0;
    }
    switch (pp->relation) {
    case HH_REL_APPLICANT:
    case HH_REL_SPOUSE: /* Art. 7(1) 配偶 */
        *why = &rules[R_MEMBER_IN];
        return 1;
    case HH_REL_CHILD:
        /* Art. 7(2) 未成年子女; 7(3) adult children who cannot live
         * independently, incl. full-time students at bachelor or below */
        if (age < 18 || pp->cannot_live_independently ||
            is_student(pp->schooling)) {
            *why = &rules[R_MEMBER_IN];
            return 1;
        }
        break;
    default: break;
    }
    /* Art. 7(4): others with a statutory duty of support who live with the
     * family long-term: the caller's finding */
    *why =
        pp->in_household_register ? &rules[R_MEMBER_IN] : &rules[R_MEMBER_OUT];
    return pp->in_household_register != 0;
}

/* ---- income (57号 第十三条) ---- */

/* Whether an exempt kind is excluded for 低保 under p; 0 means the kind
 * is counted as ordinary income. */
static int
kind_excluded(int k, const struct dibao_params *p)
{
    switch (k) {
    case HH_INC_EX_BASIC_PENSION: return p->exempt_basic_pension != 0;
    case HH_INC_EX_DISABILITY_SUBSIDY: return p->exempt_disability_subsidy != 0;
    case HH_INC_EX_KIN_SUPPORT: return p->exempt_kin_support != 0;
    case HH_INC_EX_OLD_AGE_ALLOWANCE: return p->exempt_old_age_allowance != 0;
    case HH_INC_EX_SOCIAL_INSURANCE: return p->exempt_social_insurance != 0;
    default: return k >= HH_INC_FIRST_EXEMPT;
    }
}

static const struct explain_rule *const exempt_rules[HH_INC__COUNT] = {
    [HH_INC_EX_VETERANS] = &rules[R_EX_VETERANS],
    [HH_INC_EX_FAMILY_PLANNING] = &rules[R_EX_FAMILY],
    [HH_INC_EX_SCHOLARSHIP] = &rules[R_EX_SCHOLAR],
    [HH_INC_EX_HEROISM] = &rules[R_EX_HERO],
    [HH_INC_EX_SOCIAL_ASSISTANCE] = &rules[R_EX_ASSIST],
    [HH_INC_EX_BASIC_PENSION] = &rules[R_EX_PENSION],
    [HH_INC_EX_DISABILITY_SUBSIDY] = &rules[R_EX_DISAB],
    [HH_INC_EX_UNSUPPORTED_CHILD] = &rules[R_EX_CHILD],
    [HH_INC_EX_KIN_SUPPORT] = &rules[R_EX_KIN],
    [HH_INC_EX_OLD_AGE_ALLOWANCE] = &rules[R_EX_AGED],
    [HH_INC_EX_SOCIAL_INSURANCE] = &rules[R_EX_SOCINS],
    [HH_INC_EX_LOCAL] = &rules[R_EX_LOCAL],
};

struct income {
    int64_t gross;      /* counted kinds (incl. exempt kinds counted by p) */
    int64_t deductions; /* transfers out + rigid deductions */
    int64_t counted;    /* max(gross − deductions, 0) */
    int64_t employment; /* wages + business: 就业 incl. self-employment */
    int64_t exempt;
    int64_t by_kind[HH_INC__COUNT];
};

static void
income_sum(const struct household *h, uint32_t mask,
           const struct dibao_params *p, struct income *inc)
{
    memset(inc, 0, sizeof(*inc));
    for (int i = 0; i < h->member_count; i++) {
        if (!(mask & (1u << i)))
            continue;
        for (int k = 0; k < HH_INC__COUNT; k++)
            inc->by_kind[k] += h->members[i].income_fen[k];
    }
    for (int k = 0; k < HH_INC__COUNT; k++) {
        int64_t v = inc->by_kind[k];
        if (k == HH_INC_TRANSFERS_OUT || k == HH_INC_RIGID_DEDUCTION)
            inc->deductions += v;
        else if (k >= HH_INC_FIRST_EXEMPT && kind_excluded(k, p))
            inc->exempt += v;
        else
            inc->gross += v;
    }
    inc->employment =
        inc->by_kind[HH_INC_WAGES] + inc->by_kind[HH_INC_BUSINESS];
    /* net income cannot go below zero: deductions larger than income do
     * not raise the gap above the standard */
    inc->counted =
        inc->gross > inc->deductions ? inc->gross - inc->deductions : 0;
}

static void
explain_income(struct explain *ex, const struct income *inc,
               const struct dibao_params *p, int members)
{
    if (ex == NULL)
        return;
    for (int k = HH_INC_FIRST_EXEMPT; k < HH_INC__COUNT; k++) {
        if (inc->by_kind[k] == 0)
            continue;
        struct explain_line *l;
        if (kind_excluded(k, p)) {
            l = explain_add(ex, exempt_rules[k], EXPLAIN_INFO, -1, 0);
            explain_value_add(l, EXPLAIN_N_EXEMPT, inc->by_kind[k]);
        } else {
            l = explain_add(ex, &rules[R_COUNTED_PARAM], EXPLAIN_INFO, -1, 0);
            explain_value_add(l, EXPLAIN_N_INCOME, inc->by_kind[k]);
            explain_value_add(l, EXPLAIN_N_KIND, k);
        }
    }
    struct explain_line *l =
        explain_add(ex, &rules[R_INCOME], EXPLAIN_INFO, -1, 0);
    explain_value_add(l, EXPLAIN_N_GROSS_INCOME, inc->gross);
    explain_value_add(l, EXPLAIN_N_DEDUCTIONS, inc->deductions);
    explain_value_add(l, EXPLAIN_N_COUNTED_TOTAL, inc->counted);
    l = explain_add(ex, &rules[R_PER_CAPITA], EXPLAIN_INFO, -1, 0);
    explain_value_add(l, EXPLAIN_N_COUNTED_TOTAL, inc->counted);
    explain_value_add(l, EXPLAIN_N_MEMBERS, members);
    explain_value_add(l, EXPLAIN_N_PER_CAPITA, inc->counted / members);
}

/* ---- assets (57号 第十四条; Chongqing 2013 template as parameters) ---- */

/* owner < 0: every asset of the household; else only that member's own. */
static unsigned
assets_test(const struct household *h, int owner, int members, int64_t standard,
            const struct dibao_params *p, struct explain *ex)
{
    struct hh_asset_tally t = {0};
    for (int i = 0; i < h->asset_count; i++) {
        const struct hh_asset *a = &h->assets[i];
        if (owner >= 0 && a->owner_member != owner)
            continue;
        if (!a->exempt) /* exempt: necessary for production or daily life */
            hh_asset_tally_add(&t, a);
    }
    int64_t money = t.deposits + t.securities, area = t.area_dm2;
    int vehicles = t.vehicles, dwellings = t.dwellings, shops = t.shops,
        companies = t.companies;
    unsigned failed = 0;
    /* deposits + securities > members × standard × months disqualifies */
    int64_t limit = (int64_t)members * standard * p->asset_deposit_months;
    if (money > limit)
        failed |= DIBAO_ASSET_DEPOSITS;
    if (vehicles > p->asset_vehicle_max)
        failed |= DIBAO_ASSET_VEHICLE;
    /* ≥ N dwellings AND area per head > multiple × standard area; compared
     * as total > multiple × standard × members so nothing is rounded */
    int64_t area_limit_head =
        (int64_t)p->asset_housing_area_multiple * p->asset_housing_area_dm2;
    if (dwellings >= p->asset_dwelling_min_count &&
        area > area_limit_head * members)
        failed |= DIBAO_ASSET_HOUSING;
    if (shops > p->asset_shop_max)
        failed |= DIBAO_ASSET_SHOP;
    if (companies > p->asset_company_max)
        failed |= DIBAO_ASSET_COMPANY;

    if (ex != NULL) {
        struct explain_line *l;
        l = engine_explain_test(ex, &rules[R_DEPOSITS],
                                (failed & DIBAO_ASSET_DEPOSITS) != 0, owner);
        explain_value_add(l, EXPLAIN_N_ASSETS, money);
        explain_value_add(l, EXPLAIN_N_LIMIT, limit);
        explain_value_add(l, EXPLAIN_N_MEMBERS, members);
        explain_value_add(l, EXPLAIN_N_MONTHS, p->asset_deposit_months);
        engine_explain_count(ex, &rules[R_VEHICLE],
                             (failed & DIBAO_ASSET_VEHICLE) != 0, owner,
                             vehicles, p->asset_vehicle_max);
        l = engine_explain_test(ex, &rules[R_HOUSING],
                                (failed & DIBAO_ASSET_HOUSING) != 0, owner);
        explain_value_add(l, EXPLAIN_N_COUNT, dwellings);
        explain_value_add(l, EXPLAIN_N_AREA, area);
        explain_value_add(l, EXPLAIN_N_MEMBERS, members);
        explain_value_add(l, EXPLAIN_N_AREA_LIMIT, area_limit_head);
        engine_explain_count(ex, &rules[R_SHOP],
                             (failed & DIBAO_ASSET_SHOP) != 0, owner, shops,
                             p->asset_shop_max);
        engine_explain_count(ex, &rules[R_COMPANY],
                             (failed & DIBAO_ASSET_COMPANY) != 0, owner,
                             companies, p->asset_company_max);
    }
    return failed;
}

/* ---- increments (Chongqing 分类施保, 2018; domain.md §1.5) ---- */

static int
is_disabled(const struct hh_person *pp)
{
    return pp->disability_category != HH_DIS_NONE &&
           pp->disability_grade >= 1 && pp->disability_grade <= 4;
}

static const struct explain_rule *const category_rules[DIBAO_CAT__COUNT] = {
    [DIBAO_CAT_SEVERE_DISABILITY] = &rules[R_CAT_SEVERE],
    [DIBAO_CAT_MAJOR_ILLNESS] = &rules[R_CAT_ILLNESS],
    [DIBAO_CAT_ELDERLY] = &rules[R_CAT_ELDERLY],
    [DIBAO_CAT_PRESCHOOL] = &rules[R_CAT_PRESCHOOL],
    [DIBAO_CAT_STUDENT] = &rules[R_CAT_STUDENT],
};

enum dibao_category
dibao_category_pick(const struct hh_person *pp, int age,
                    const struct dibao_params *p, int64_t *category_fen,
                    int64_t *disabled_fen)
{
    /* "此五类对象不交叉重复享受": one of 重残, 重病, 70岁以上, 学龄前, 在校
     * 学生 — the highest (ties: the first in this order); "残疾人员可同时
     * 享受": any disabled person also takes the 残疾人员 increment. */
    enum dibao_category best = DIBAO_CAT_NONE;
    int64_t best_fen = 0;
    int64_t cand[DIBAO_CAT__COUNT] = {0};
    if (is_disabled(pp) && pp->disability_grade <= 2)
        cand[DIBAO_CAT_SEVERE_DISABILITY] = p->increment_severe_disability_fen;
    if (pp->major_illness)
        cand[DIBAO_CAT_MAJOR_ILLNESS] = p->increment_major_illness_fen;
    /* 70岁以上 includes 70 (民法典 第一千二百五十九条) */
    if (age >= p->increment_elderly_min_age)
        cand[DIBAO_CAT_ELDERLY] = p->increment_elderly_fen;
    /* 学龄前儿童: in kindergarten, or under school age and not in school */
    if (pp->schooling == HH_SCHOOL_PRESCHOOL ||
        (pp->schooling == HH_SCHOOL_NONE &&
         age < p->increment_preschool_max_age))
        cand[DIBAO_CAT_PRESCHOOL] = p->increment_preschool_fen;
    /* 在校学生: compulsory, high school/vocational, bachelor or below */
    if (is_student(pp->schooling))
        cand[DIBAO_CAT_STUDENT] = p->increment_student_fen;
    for (int c = DIBAO_CAT_NONE + 1; c < DIBAO_CAT__COUNT; c++) {
        if (cand[c] > best_fen) {
            best_fen = cand[c];
            best = (enum dibao_category)c;
        }
    }
    if (category_fen != NULL)
        *category_fen = best_fen;
    if (disabled_fen != NULL)
        *disabled_fen = is_disabled(pp) ? p->increment_disabled_fen : 0;
    return best;
}

/* ---- the unit assessment ---- */

static void
part_add(struct dibao_result *out, enum dibao_part_kind kind,
         enum dibao_category cat, int member, int64_t fen)
{
    if (fen <= 0 || out->part_count >= DIBAO_MAX_PARTS)
        return;
    out->parts[out->part_count++] = (struct dibao_part){
        .kind = kind, .category = cat, .member = member, .amount_fen = fen};
    out->amount_fen += fen;
}

static void
increments_add(const struct household *h, uint32_t mask,
               const struct dibao_params *p, const int *ages,
               struct dibao_result *out, struct explain *ex)
{
    for (int i = 0; i < h->member_count; i++) {
        if (!(mask & (1u << i)))
            continue;
        int64_t cat_fen, dis_fen;
        enum dibao_category c =
            dibao_category_pick(&h->members[i], ages[i], p, &cat_fen, &dis_fen);
        if (cat_fen > 0) {
            part_add(out, DIBAO_PART_CATEGORY, c, i, cat_fen);
            struct explain_line *l =
                explain_add(ex, category_rules[c], EXPLAIN_AMOUNT, i, cat_fen);
            explain_value_add(l, EXPLAIN_N_AGE, ages[i]);
        }
        if (dis_fen > 0) {
            part_add(out, DIBAO_PART_DISABLED, DIBAO_CAT_NONE, i, dis_fen);
            struct explain_line *l =
                explain_add(ex, &rules[R_DISABLED], EXPLAIN_AMOUNT, i, dis_fen);
            explain_value_add(l, EXPLAIN_N_CATEGORY,
                              h->members[i].disability_category);
            explain_value_add(l, EXPLAIN_N_GRADE,
                              h->members[i].disability_grade);
        }
    }
}

/* Assesses the unit `mask` (owner ≥ 0: a 单人保 unit whose own assets are
 * tested). share_mode: 单人保 share of the standard instead of the gap. */
static void
unit_assess(const struct household *h, uint32_t mask, int owner,
            const struct dibao_params *p, int64_t standard, const int *ages,
            int share_mode, struct dibao_result *out, struct explain *ex)
{
    int n = 0;
    for (int i = 0; i < h->member_count; i++)
        n += (mask >> i) & 1u;
    out->members_counted = n;
    out->counted_mask = mask;
    if (n == 0) {
        explain_add(ex, &rules[R_MEMBERS_NONE], EXPLAIN_FAIL, -1, 0);
        out->decision = DIBAO_NOT_ELIGIBLE;
        return;
    }

    struct income inc;
    income_sum(h, mask, p, &inc);
    out->income_counted_fen = inc.counted;
    out->income_exempt_fen = inc.exempt;
    /* floor to the fen (counted ≥ 0, so / truncates = floors). Eligibility
     * below is tested exactly as counted < standard × n, which is the same
     * as floor(counted / n) < standard for an integer standard, so the
     * rounding never decides eligibility; it only makes the gap per person
     * a whole fen (at most n − 1 fen in the household's favour). */
    int64_t pc = inc.counted / n;
    out->income_per_capita_fen = pc;
    explain_income(ex, &inc, p, n);

    out->asset_failed = assets_test(h, owner, n, standard, p, ex);

    int below = inc.counted < standard * n;
    struct explain_line *l = explain_add(
        ex, &rules[R_BELOW], below ? EXPLAIN_PASS : EXPLAIN_FAIL, -1, 0);
    explain_value_add(l, EXPLAIN_N_PER_CAPITA, pc);
    explain_value_add(l, EXPLAIN_N_STANDARD, standard);

    if (out->asset_failed != 0) {
        out->decision = DIBAO_NOT_ELIGIBLE;
        return;
    }

    if (!below) {
        /* 渐退 (Art. 33): receiving, and the rise is from employment: the
         * income without wages and business income is still below */
        const struct hh_dibao_state *st = &h->dibao;
        int64_t non_emp = inc.gross - inc.employment - inc.deductions;
        int by_employment = non_emp < standard * n;
        if (!st->receiving || !by_employment) {
            out->decision = DIBAO_NOT_ELIGIBLE;
            return;
        }
        int left = p->phaseout_months - st->months_since_exceeding;
        l = explain_add(ex, &rules[R_PHASEOUT],
                        left > 0 ? EXPLAIN_PASS : EXPLAIN_FAIL, -1, 0);
        explain_value_add(l, EXPLAIN_N_INCOME, inc.employment);
        explain_value_add(l, EXPLAIN_N_MONTHS, st->months_since_exceeding);
        explain_value_add(l, EXPLAIN_N_PERIOD, p->phaseout_months);
        if (left <= 0) {
            out->decision = DIBAO_NOT_ELIGIBLE;
            return;
        }
        out->phaseout = 1;
        out->phaseout_months_left = left;
        if (st->last_amount_fen <= 0) {
            explain_add(ex, &rules[R_PHASEOUT_UNKNOWN], EXPLAIN_REVIEW, -1, 0);
            out->decision = DIBAO_REVIEW;
            return;
        }
        part_add(out, DIBAO_PART_PHASEOUT, DIBAO_CAT_NONE, -1,
                 st->last_amount_fen);
        l = explain_add(ex, &rules[R_PHASEOUT_AMOUNT], EXPLAIN_AMOUNT, -1,
                        st->last_amount_fen);
        explain_value_add(l, EXPLAIN_N_LAST_AMOUNT, st->last_amount_fen);
        out->decision = DIBAO_ELIGIBLE;
        return;
    }

    if (share_mode) {
        /* standard × share ‰, rounded half up to the fen */
        int64_t fen = (standard * p->single_share_permille + 500) / 1000;
        part_add(out, DIBAO_PART_SHARE, DIBAO_CAT_NONE, -1, fen);
        l = explain_add(ex, &rules[R_SHARE], EXPLAIN_AMOUNT, -1, fen);
        explain_value_add(l, EXPLAIN_N_STANDARD, standard);
        explain_value_add(l, EXPLAIN_N_RATIO, p->single_share_permille);
    } else {
        int64_t gap = standard - pc;
        int64_t fen = gap * n;
        part_add(out, DIBAO_PART_GAP, DIBAO_CAT_NONE, -1, fen);
        l = explain_add(ex, &rules[R_GAP], EXPLAIN_AMOUNT, -1, fen);
        explain_value_add(l, EXPLAIN_N_STANDARD, standard);
        explain_value_add(l, EXPLAIN_N_PER_CAPITA, pc);
        explain_value_add(l, EXPLAIN_N_GAP_PER_CAPITA, gap);
        explain_value_add(l, EXPLAIN_N_MEMBERS, n);
    }
    increments_add(h, mask, p, ages, out, ex);
    out->decision = DIBAO_ELIGIBLE;
}

/* ---- 单人保 (57号 第八条; 2022 notice) ---- */

enum single_ground {
    GROUND_NONE = 0,
    GROUND_DISABLED_NEAR_POOR, /* 8(1): grade 1–2, or intellectual/mental 3 */
    GROUND_ILLNESS_NEAR_POOR,  /* 8(2): major illness */
    GROUND_CLERGY,             /* 8(3) */
    GROUND_COUNTY,             /* 8(4) */
    GROUND_SEVERE_ADULT, /* 2022 notice: 成年无业重度残疾人 参照单人户 */
};

static enum single_ground
single_ground(const struct hh_person *pp, int age)
{
    if (pp->absence == HH_ABSENT_CLERGY)
        return GROUND_CLERGY;
    if (pp->single_named_by_county)
        return GROUND_COUNTY;
    int severe = is_disabled(pp) && pp->disability_grade <= 2;
    if (severe && age >= 18 && !pp->employed)
        return GROUND_SEVERE_ADULT;
    if (severe || ((pp->disability_category == HH_DIS_INTELLECTUAL ||
                    pp->disability_category == HH_DIS_MENTAL) &&
                   pp->disability_grade == 3))
        return GROUND_DISABLED_NEAR_POOR;
    if (pp->major_illness)
        return GROUND_ILLNESS_NEAR_POOR;
    return GROUND_NONE;
}

static void
result_reset(struct dibao_result *out, int64_t standard)
{
    memset(out, 0, sizeof(*out));
    out->standard_fen = standard;
}

enum dd_status
dibao_assess(const struct household *h, const struct dibao_params *p, int y,
             int m, int d, struct dibao_result *out, struct explain *ex)
{
    int ages[HH_MAX_MEMBERS];
    if (!engine_start(out, sizeof(*out),
                      h != NULL && p != NULL && params_ok(p) &&
                          household_valid(h, y, m, d, ages)))
        return DD_EINVAL;

    int64_t standard = h->standard_area == HH_AREA_RURAL
                           ? p->standard_rural_fen
                           : p->standard_urban_fen;
    out->standard_fen = standard;
    struct explain_line *l =
        explain_add(ex, &rules[R_STANDARD], EXPLAIN_INFO, -1, 0);
    explain_value_add(l, EXPLAIN_N_STANDARD, standard);
    explain_value_add(l, EXPLAIN_N_RURAL, h->standard_area == HH_AREA_RURAL);

    uint32_t mask = 0;
    for (int i = 0; i < h->member_count; i++) {
        const struct hh_person *pp = &h->members[i];
        const struct explain_rule *why = NULL;
        if (member_counted(pp, ages[i], &why))
            mask |= 1u << i;
        l = explain_add(ex, why, EXPLAIN_INFO, i, 0);
        explain_value_add(l, EXPLAIN_N_AGE, ages[i]);
    }

    if (!h->dibao_single) {
        unit_assess(h, mask, -1, p, standard, ages, 0, out, ex);
        goto total;
    }

    /* 单人保 */
    int s = h->dibao_single_member;
    enum single_ground g = single_ground(&h->members[s], ages[s]);
    l = explain_add(ex, &rules[R_SINGLE_GROUND],
                    g != GROUND_NONE ? EXPLAIN_PASS : EXPLAIN_FAIL, s, 0);
    explain_value_add(l, EXPLAIN_N_GROUND, g);
    explain_value_add(l, EXPLAIN_N_AGE, ages[s]);
    if (g == GROUND_NONE) {
        out->single = 1;
        out->decision = DIBAO_NOT_ELIGIBLE;
        goto total;
    }
    if (g != GROUND_CLERGY) {
        /* the family as a whole first: if it qualifies, it must be covered
         * as a household, not only some members (2022 notice) */
        struct dibao_result fam;
        result_reset(&fam, standard);
        unit_assess(h, mask, -1, p, standard, ages, 0, &fam, ex);
        if (fam.decision != DIBAO_NOT_ELIGIBLE) {
            *out = fam;
            out->decision = DIBAO_REVIEW;
            explain_add(ex, &rules[R_SINGLE_HOUSEHOLD], EXPLAIN_REVIEW, -1, 0);
            goto total;
        }
        if (g == GROUND_DISABLED_NEAR_POOR || g == GROUND_ILLNESS_NEAR_POOR) {
            /* 低保边缘家庭: not eligible (known), per-capita income <
             * ratio × standard, exactly: counted × 1000 < ratio × std × n,
             * and assets within the rules (the 低保 asset tests) */
            int n = fam.members_counted;
            int near = n > 0 && fam.asset_failed == 0 &&
                       fam.income_counted_fen * 1000 <
                           (int64_t)p->near_poor_ratio_permille * standard * n;
            l = explain_add(ex, &rules[R_NEAR_POOR],
                            near ? EXPLAIN_PASS : EXPLAIN_FAIL, -1, 0);
            explain_value_add(l, EXPLAIN_N_PER_CAPITA,
                              fam.income_per_capita_fen);
            explain_value_add(l, EXPLAIN_N_STANDARD, standard);
            explain_value_add(l, EXPLAIN_N_RATIO, p->near_poor_ratio_permille);
            if (!near) {
                result_reset(out, standard);
                out->single = 1;
                out->income_per_capita_fen = fam.income_per_capita_fen;
                out->income_counted_fen = fam.income_counted_fen;
                out->members_counted = fam.members_counted;
                out->counted_mask = fam.counted_mask;
                out->asset_failed = fam.asset_failed;
                out->decision = DIBAO_NOT_ELIGIBLE;
                goto total;
            }
        }
    }
    l = explain_add(ex, &rules[R_SINGLE_MODE], EXPLAIN_INFO, s, 0);
    explain_value_add(l, EXPLAIN_N_MODE, p->single_amount_mode);
    result_reset(out, standard);
    out->single = 1;
    unit_assess(h, 1u << s, s, p, standard, ages,
                p->single_amount_mode == DIBAO_SINGLE_SHARE, out, ex);

total:
    if (out->decision == DIBAO_NOT_ELIGIBLE) {
        /* nothing is paid; drop any parts (none are added on this path) */
        out->amount_fen = 0;
        out->part_count = 0;
    }
    l = explain_add(ex, &rules[R_TOTAL],
                    out->decision == DIBAO_ELIGIBLE ? EXPLAIN_PASS
                    : out->decision == DIBAO_REVIEW ? EXPLAIN_REVIEW
                                                    : EXPLAIN_FAIL,
                    -1, 0);
    explain_value_add(l, EXPLAIN_N_AMOUNT, out->amount_fen);
    explain_value_add(l, EXPLAIN_N_MEMBERS, out->members_counted);
    return DD_OK;
}
