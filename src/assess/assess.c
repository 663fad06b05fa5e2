/* SPDX-License-Identifier: MIT */
/* Resolving the engines' parameters from the policy table, and running
 * every program on a household. One table below maps each policy key to
 * its field, so a key the engines need and the table lacks is named. */
#include "assess/assess.h"

#include <limits.h>
#include <stddef.h>
#include <string.h>

enum spec_type { SPEC_INT = 0, SPEC_I64 };

enum spec_flags {
    SPEC_RATIO_MODE = 1u << 0,     /* read only when tekun.care.mode is 1 */
    SPEC_WHOLE_PERMILLE = 1u << 1, /* stored ‰, the field is a whole × */
    SPEC_OPTIONAL = 1u << 2,       /* no version in force: 0, the engine's "not
                                      set" (its header says what 0 does) */
};

/* Which program a key serves: the core ones fail the resolution, the
 * extra ones (enum assess_extra + 1) only mark their program. */
enum spec_group {
    G_CORE = 0,
    G_DISABILITY = ASSESS_X_DISABILITY + 1,
    G_TEMPAID = ASSESS_X_TEMPAID + 1,
    G_CHILDREN = ASSESS_X_CHILDREN + 1,
    G_LOWINCOME = ASSESS_X_LOWINCOME + 1,
};

struct key_spec {
    const char *key;
    size_t offset; /* into struct assess_params */
    enum spec_type type;
    unsigned flags;
    enum spec_group group;
};

#define DB(f) offsetof(struct assess_params, dibao.f)
#define TK(f) offsetof(struct assess_params, tekun.f)
#define DS(f) offsetof(struct assess_params, disability.f)
#define TA(f) offsetof(struct assess_params, tempaid.f)
#define CH(f) offsetof(struct assess_params, children.f)
#define LI(f) offsetof(struct assess_params, lowincome.f)

/* Each engine field and its key (the names in dibao.h and tekun.h; where
 * the seed named a key first, the seed's name is used: tekun.basic,
 * tekun.selfcare.full_min_failed, tekun.minor.max_age). tekun.care.mode
 * comes before the ratio keys, which depend on it. */
static const struct key_spec specs[] = {
    {"dibao.standard.urban", DB(standard_urban_fen), SPEC_I64, 0, G_CORE},
    {"dibao.standard.rural", DB(standard_rural_fen), SPEC_I64, 0, G_CORE},
    {"dibao.income.exempt_basic_pension", DB(exempt_basic_pension), SPEC_INT, 0,
     G_CORE},
    {"dibao.income.exempt_disability_subsidy", DB(exempt_disability_subsidy),
     SPEC_INT, 0, G_CORE},
    {"dibao.income.exempt_kin_support", DB(exempt_kin_support), SPEC_INT, 0,
     G_CORE},
    {"dibao.income.exempt_old_age_allowance", DB(exempt_old_age_allowance),
     SPEC_INT, 0, G_CORE},
    {"dibao.income.exempt_social_insurance", DB(exempt_social_insurance),
     SPEC_INT, 0, G_CORE},
    {"dibao.asset.deposit_months", DB(asset_deposit_months), SPEC_INT, 0,
     G_CORE},
    {"dibao.asset.vehicle_max", DB(asset_vehicle_max), SPEC_INT, 0, G_CORE},
    {"dibao.asset.dwelling_min_count", DB(asset_dwelling_min_count), SPEC_INT,
     0, G_CORE},
    {"dibao.asset.housing_area_per_head", DB(asset_housing_area_dm2), SPEC_I64,
     0, G_CORE},
    {"dibao.asset.housing_area_multiple", DB(asset_housing_area_multiple),
     SPEC_INT, SPEC_WHOLE_PERMILLE, G_CORE},
    {"dibao.asset.shop_max", DB(asset_shop_max), SPEC_INT, 0, G_CORE},
    {"dibao.asset.company_max", DB(asset_company_max), SPEC_INT, 0, G_CORE},
    {"dibao.increment.disabled", DB(increment_disabled_fen), SPEC_I64, 0,
     G_CORE},
    {"dibao.increment.severe_disability", DB(increment_severe_disability_fen),
     SPEC_I64, 0, G_CORE},
    {"dibao.increment.major_illness", DB(increment_major_illness_fen), SPEC_I64,
     0, G_CORE},
    {"dibao.increment.elderly", DB(increment_elderly_fen), SPEC_I64, 0, G_CORE},
    {"dibao.increment.elderly_min_age", DB(increment_elderly_min_age), SPEC_INT,
     0, G_CORE},
    {"dibao.increment.preschool", DB(increment_preschool_fen), SPEC_I64, 0,
     G_CORE},
    {"dibao.increment.preschool_max_age", DB(increment_preschool_max_age),
     SPEC_INT, 0, G_CORE},
    {"dibao.increment.student", DB(increment_student_fen), SPEC_I64, 0, G_CORE},
    {"dibao.near_poor.income_ratio", DB(near_poor_ratio_permille), SPEC_INT, 0,
     G_CORE},
    {"dibao.single.amount_mode", DB(single_amount_mode), SPEC_INT, 0, G_CORE},
    {"dibao.single.share", DB(single_share_permille), SPEC_INT, 0, G_CORE},
    {"dibao.phaseout.months", DB(phaseout_months), SPEC_INT, 0, G_CORE},

    {"dibao.standard.urban", TK(dibao_standard_urban_fen), SPEC_I64, 0, G_CORE},
    {"dibao.standard.rural", TK(dibao_standard_rural_fen), SPEC_I64, 0, G_CORE},
    {"tekun.basic", TK(basic_fen), SPEC_I64, 0, G_CORE},
    {"tekun.care.mode", TK(care_mode), SPEC_INT, 0, G_CORE},
    {"tekun.care.self", TK(care_self_fen), SPEC_I64, 0, G_CORE},
    {"tekun.care.partial", TK(care_partial_fen), SPEC_I64, 0, G_CORE},
    {"tekun.care.full", TK(care_full_fen), SPEC_I64, 0, G_CORE},
    {"tekun.care.base", TK(care_base_fen), SPEC_I64, SPEC_RATIO_MODE, G_CORE},
    {"tekun.care.self_ratio", TK(care_self_permille), SPEC_INT, SPEC_RATIO_MODE,
     G_CORE},
    {"tekun.care.partial_ratio", TK(care_partial_permille), SPEC_INT,
     SPEC_RATIO_MODE, G_CORE},
    {"tekun.care.full_ratio", TK(care_full_permille), SPEC_INT, SPEC_RATIO_MODE,
     G_CORE},
    {"tekun.selfcare.full_min_failed", TK(care_full_min_items), SPEC_INT, 0,
     G_CORE},
    {"tekun.selfcare.partial_max_failed", TK(care_partial_max_items), SPEC_INT,
     0, G_CORE},
    {"tekun.selfcare.items", TK(care_items), SPEC_INT, 0, G_CORE},
    {"tekun.basic.min_ratio", TK(basic_min_permille), SPEC_INT, 0, G_CORE},
    {"tekun.work.elderly_min_age", TK(work_elderly_min_age), SPEC_INT, 0,
     G_CORE},
    {"tekun.work.minor_max_age", TK(work_minor_max_age), SPEC_INT, 0, G_CORE},
    {"tekun.minor.max_age", TK(minor_support_until_age), SPEC_INT, 0, G_CORE},
    {"tekun.income.exempt_disability_subsidy", TK(exempt_disability_subsidy),
     SPEC_INT, 0, G_CORE},
    {"tekun.income.exempt_kin_support", TK(exempt_kin_support), SPEC_INT, 0,
     G_CORE},
    {"tekun.asset.deposit_months", TK(asset_deposit_months), SPEC_INT, 0,
     G_CORE},
    {"tekun.asset.vehicle_max", TK(asset_vehicle_max), SPEC_INT, 0, G_CORE},
    {"tekun.asset.dwelling_max", TK(asset_dwelling_max), SPEC_INT, 0, G_CORE},
    {"tekun.asset.shop_max", TK(asset_shop_max), SPEC_INT, 0, G_CORE},
    {"tekun.asset.company_max", TK(asset_company_max), SPEC_INT, 0, G_CORE},
    {"tekun.obligor.dibao_min_age", TK(obligor_dibao_min_age), SPEC_INT, 0,
     G_CORE},
    {"tekun.obligor.elderly_min_age", TK(obligor_elderly_min_age), SPEC_INT, 0,
     G_CORE},
    {"tekun.obligor.income_limit.urban",
     TK(obligor_income_limit_urban_annual_fen), SPEC_I64, 0, G_CORE},
    {"tekun.obligor.income_limit.rural",
     TK(obligor_income_limit_rural_annual_fen), SPEC_I64, 0, G_CORE},

    {"disability.living_subsidy", DS(living_subsidy_fen), SPEC_I64, 0,
     G_DISABILITY},
    {"disability.care_subsidy.grade1", DS(care_subsidy_grade1_fen), SPEC_I64, 0,
     G_DISABILITY},
    {"disability.care_subsidy.grade2", DS(care_subsidy_grade2_fen), SPEC_I64, 0,
     G_DISABILITY},
    {"disability.care_subsidy.grade34_mental",
     DS(care_subsidy_grade34_mental_fen), SPEC_I64, 0, G_DISABILITY},
    {"disability.long_term_care_months", DS(long_term_care_months), SPEC_INT, 0,
     G_DISABILITY},
    {"disability.living_subsidy.near_poor", DS(living_subsidy_near_poor),
     SPEC_INT, 0, G_DISABILITY},

    {"dibao.standard.urban", TA(dibao_standard_urban_fen), SPEC_I64, 0,
     G_TEMPAID},
    {"dibao.standard.rural", TA(dibao_standard_rural_fen), SPEC_I64, 0,
     G_TEMPAID},
    {"tempaid.expense.min_months", TA(expense_min_months), SPEC_INT, 0,
     G_TEMPAID},
    {"tempaid.expense.max_months", TA(expense_max_months), SPEC_INT, 0,
     G_TEMPAID},
    {"tempaid.township_approval.max_months", TA(township_approval_max_months),
     SPEC_INT, 0, G_TEMPAID},
    {"tempaid.emergency.max_months", TA(emergency_max_months), SPEC_INT, 0,
     G_TEMPAID},
    {"tempaid.expense.income_limit.urban",
     TA(expense_income_limit_urban_annual_fen), SPEC_I64, SPEC_OPTIONAL,
     G_TEMPAID},
    {"tempaid.expense.income_limit.rural",
     TA(expense_income_limit_rural_annual_fen), SPEC_I64, SPEC_OPTIONAL,
     G_TEMPAID},

    {"orphan.standard.institutional", CH(orphan_standard_institutional_fen),
     SPEC_I64, 0, G_CHILDREN},
    {"orphan.standard.scattered", CH(orphan_standard_scattered_fen), SPEC_I64,
     0, G_CHILDREN},
    {"orphan.max_age", CH(orphan_max_age), SPEC_INT, 0, G_CHILDREN},
    {"orphan.student_extension", CH(orphan_student_extension), SPEC_INT, 0,
     G_CHILDREN},
    {"defacto.standard", CH(defacto_standard_fen), SPEC_I64, 0, G_CHILDREN},
    {"defacto.standard.institutional", CH(defacto_standard_institutional_fen),
     SPEC_I64, SPEC_OPTIONAL, G_CHILDREN},
    {"defacto.condition_min_months", CH(defacto_condition_min_months), SPEC_INT,
     0, G_CHILDREN},

    /* lowincome.dibao is copied from dibao after the loop */
    {"rigid.lookback_months", LI(rigid_lookback_months), SPEC_INT, 0,
     G_LOWINCOME},
    {"rigid.validity_months", LI(rigid_validity_months), SPEC_INT, 0,
     G_LOWINCOME},
    {"rigid.expense_ratio", LI(rigid_expense_ratio_permille), SPEC_INT,
     SPEC_OPTIONAL, G_LOWINCOME},
    {"rigid.income_limit.urban", LI(rigid_income_limit_urban_annual_fen),
     SPEC_I64, SPEC_OPTIONAL, G_LOWINCOME},
    {"rigid.income_limit.rural", LI(rigid_income_limit_rural_annual_fen),
     SPEC_I64, SPEC_OPTIONAL, G_LOWINCOME},
};

#undef DB
#undef TK
#undef DS
#undef TA
#undef CH
#undef LI

static void
fail(struct dd_error *err, const char *code, const char *field, const char *en,
     const char *zh)
{
    (void)dd_invalid(err, code, field, en, zh);
}

const char *
assess_program_name(enum assess_program prog)
{
    switch (prog) {
    case ASSESS_DIBAO: return "dibao";
    case ASSESS_TEKUN: return "tekun";
    default: return "?";
    }
}

const char *
assess_decision_name(enum assess_decision d)
{
    switch (d) {
    case ASSESS_NOT_ELIGIBLE: return "not_eligible";
    case ASSESS_ELIGIBLE: return "eligible";
    case ASSESS_REVIEW: return "review";
    }
    return "?";
}

/* Marks the extra program of s as unresolved (the first key is kept). */
static void
unresolved(struct assess_params *out, const struct key_spec *s)
{
    const char **k = &out->unresolved_key[s->group - 1];
    if (!*k)
        *k = s->key;
}

enum dd_status
assess_params_resolve(const struct policy_table *t, const char *region_code,
                      int y, int m, int d, struct assess_params *out,
                      struct dd_error *err)
{
    if (!t || !region_code || !out)
        return DD_EINVAL;
    memset(out, 0, sizeof(*out));
    if (!policy_region_valid(region_code) &&
        !(strlen(region_code) == 9 || strlen(region_code) == 12)) {
        fail(err, "INVALID_REGION_CODE", "region",
             "the region is not a Chongqing region code",
             "地区不是重庆市行政区划代码");
        return DD_EINVAL;
    }
    if (!hh_date_valid(y, m, d)) {
        fail(err, "INVALID_PARAMETER", "as_of", "the date is not valid",
             "日期无效");
        return DD_EINVAL;
    }
    int ratio_mode = 0;
    for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
        const struct key_spec *s = &specs[i];
        if ((s->flags & SPEC_RATIO_MODE) && !ratio_mode)
            continue; /* stays 0: the amounts mode ignores it */
        const struct policy_param *p = NULL;
        enum dd_status rc = policy_lookup(t, s->key, region_code, y, m, d, &p);
        if (rc == DD_EINVAL) {
            fail(err, "INVALID_REGION_CODE", "region",
                 "the region is not a Chongqing region code",
                 "地区不是重庆市行政区划代码");
            return DD_EINVAL;
        }
        if (rc != DD_OK && (s->flags & SPEC_OPTIONAL))
            continue; /* stays 0: "not set", as the engine defines it */
        if (rc != DD_OK && s->group != G_CORE) {
            unresolved(out, s);
            continue;
        }
        if (rc != DD_OK) {
            fail(err, "POLICY_NOT_IN_FORCE", s->key,
                 "no version of this policy parameter is in force on the "
                 "date for the region",
                 "该日期该地区没有生效的此项政策参数");
            return DD_ENOTFOUND;
        }
        int64_t v = p->value;
        if (s->flags & SPEC_WHOLE_PERMILLE) {
            if (v % 1000 != 0)
                goto bad_value;
            v /= 1000;
        }
        char *dst = (char *)out + s->offset;
        if (s->type == SPEC_I64) {
            memcpy(dst, &v, sizeof(v));
        } else {
            if (v < 0 || v > INT_MAX)
                goto bad_value;
            int iv = (int)v;
            memcpy(dst, &iv, sizeof(iv));
        }
        if (strcmp(s->key, "tekun.care.mode") == 0)
            ratio_mode = v == TEKUN_CARE_RATIOS;
        continue;
    bad_value:
        if (s->group != G_CORE) {
            unresolved(out, s);
            continue;
        }
        fail(err, "POLICY_VALUE_INVALID", s->key,
             "the policy parameter's value does not fit the engine",
             "该政策参数的取值不适用于计算");
        return DD_EINVAL;
    }
    out->lowincome.dibao = out->dibao;
    return DD_OK;
}

enum dd_status
assess_area_resolve(const struct policy_table *t, const char *county, int y,
                    int m, int d, enum area_setting setting,
                    struct assess_params *p, struct household *h,
                    struct dd_error *err)
{
    if (!t || !county)
        return DD_EINVAL;
    const struct policy_param *v = NULL;
    int64_t district = AREA_DISTRICT_MIXED;
    enum dd_status rc = policy_lookup(t, AREA_POLICY_KEY, county, y, m, d, &v);
    if (strncmp(county, "50", 2) != 0)
        rc = DD_EINVAL; /* not in Chongqing */
    if (rc == DD_EINVAL) {
        fail(err, "INVALID_PARAMETER",
             hh_date_valid(y, m, d) ? "region" : "as_of",
             "the county or the date is not valid", "区县或日期无效");
        return DD_EINVAL;
    }
    if (rc == DD_OK)
        district = v->value; /* no version: mixed, each household decides */
    struct area_decision a;
    rc = area_resolve(setting, district, &a);
    if (rc == DD_ENOTFOUND) {
        fail(err, "DISTRICT_AREA_MIXED", "urban_or_rural",
             "the household follows its district (\"district\"), but the "
             "district of its hukou applies the urban or the rural standard "
             "household by household: set \"urban\" or \"rural\"",
             "本户城乡类别为“按区县”（district），但户籍所在区县按户区分"
             "城市、农村标准：请设为 urban 或 rural");
        return DD_ENOTFOUND;
    }
    if (rc != DD_OK) {
        fail(err, "POLICY_VALUE_INVALID", AREA_POLICY_KEY,
             "the policy parameter's value does not fit the engine",
             "该政策参数的取值不适用于计算");
        return DD_EINVAL;
    }
    if (p)
        p->area = a;
    if (h)
        h->standard_area = a.applied;
    return DD_OK;
}

/* The program decision for 特困 over every member: eligible when one is,
 * else review when one is, else not eligible. */
static enum assess_decision
tekun_overall(const struct assess_result *r)
{
    enum assess_decision d = ASSESS_NOT_ELIGIBLE;
    for (int i = 0; i < r->tekun_count; i++) {
        if (r->tekun[i].decision == TEKUN_ELIGIBLE)
            return ASSESS_ELIGIBLE;
        if (r->tekun[i].decision == TEKUN_REVIEW)
            d = ASSESS_REVIEW;
    }
    return d;
}

enum dd_status
assess_household(const struct household *h, const struct assess_params *p,
                 int y, int m, int d, struct assess_result *out,
                 struct explain *ex_per_program[])
{
    if (!out)
        return DD_EINVAL;
    memset(out, 0, sizeof(*out));
    if (!h || !p)
        return DD_EINVAL;
    struct explain *ex_dibao =
        ex_per_program ? ex_per_program[ASSESS_DIBAO] : NULL;
    struct explain *ex_tekun =
        ex_per_program ? ex_per_program[ASSESS_TEKUN] : NULL;
    explain_init(ex_dibao);
    explain_init(ex_tekun);
    if (p->area.resolved) {
        /* domain.md §7.1: which standard, and why, first */
        if (h->standard_area != p->area.applied)
            return DD_EINVAL;
        area_explain(&p->area, ex_dibao);
        area_explain(&p->area, ex_tekun);
    }

    enum dd_status rc =
        dibao_assess(h, &p->dibao, y, m, d, &out->dibao, ex_dibao);
    if (rc != DD_OK)
        goto fail;
    out->decision[ASSESS_DIBAO] =
        out->dibao.decision == DIBAO_ELIGIBLE ? ASSESS_ELIGIBLE
        : out->dibao.decision == DIBAO_REVIEW ? ASSESS_REVIEW
                                              : ASSESS_NOT_ELIGIBLE;
    out->amount_fen[ASSESS_DIBAO] = out->dibao.amount_fen;

    out->tekun_count = h->member_count;
    for (int i = 0; i < h->member_count; i++) {
        rc = tekun_assess(h, i, &p->tekun, y, m, d, &out->tekun[i], ex_tekun);
        if (rc != DD_OK)
            goto fail;
    }
    out->decision[ASSESS_TEKUN] = tekun_overall(out);
    /* every member eligible or in review adds the amount the engine
     * computed (indicative for review), as the explanation's amount lines
     * do, so parts and explanation add up to the program's amount */
    for (int i = 0; i < out->tekun_count; i++)
        out->amount_fen[ASSESS_TEKUN] += out->tekun[i].amount_fen;
    return DD_OK;
fail:
    memset(out, 0, sizeof(*out));
    return rc;
}
