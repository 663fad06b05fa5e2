/* SPDX-License-Identifier: MIT */
/* The 低保 (minimum living guarantee) assessment: who is counted, counted
 * income, the asset tests, the income gap, Chongqing's classified
 * increments, 单人保 and 渐退. Policy values arrive already resolved for
 * the date and region in struct dibao_params. Pure: no I/O, no allocation;
 * the caller owns the result and the optional explanation. */
#ifndef DD_DIBAO_H
#define DD_DIBAO_H

#include <stdint.h>

#include "core/status.h"
#include "domain/explain.h"
#include "domain/household.h"

/* Policy keys the engine reads (policy_param.key), one per field below.
 * Values in brackets are Chongqing's, or the national default where
 * domain.md marks the Chongqing figure NOT FOUND.
 *
 *   dibao.standard.urban                   fen/person/month [75000 from
 * 2024-09] dibao.standard.rural                   fen/person/month [61000 from
 * 2024-09] dibao.income.exempt_basic_pension      0/1 [1 through 2025-12-31:
 * 14th FYP] dibao.income.exempt_disability_subsidy 0/1 [1; domain.md §1.3, M]
 *   dibao.income.exempt_kin_support        0/1 [1; 2022 notice "may"]
 *   dibao.income.exempt_old_age_allowance  0/1 [0; not in §1.3's list]
 *   dibao.income.exempt_social_insurance   0/1 [0; not in §1.3's list]
 *   dibao.asset.deposit_months             months [12; 2013 template]
 *   dibao.asset.vehicle_max                count [0]
 *   dibao.asset.dwelling_min_count         count [2]
 *   dibao.asset.housing_area_per_head      dm² [NOT FOUND: 住房保障 minimum]
 *   dibao.asset.housing_area_multiple      × [3]
 *   dibao.asset.shop_max                   count [0]
 *   dibao.asset.company_max                count [0]
 *   dibao.increment.disabled               fen [4000]
 *   dibao.increment.severe_disability      fen [6000] (grades 1–2)
 *   dibao.increment.major_illness          fen [6000]
 *   dibao.increment.elderly                fen [6000]
 *   dibao.increment.elderly_min_age        years [70] (“70岁以上” includes 70)
 *   dibao.increment.preschool              fen [10000]
 *   dibao.increment.preschool_max_age      years [6] (under 6 = 学龄前)
 *   dibao.increment.student                fen [10000]
 *   dibao.near_poor.income_ratio           permille [1500]
 *   dibao.single.amount_mode               0 gap on own income, 1 share [0]
 *   dibao.single.share                     permille of standard [1000]
 *   dibao.phaseout.months                  months [6; ≤6 in principle]
 */
/* Where domain.md is silent or ambiguous, the engine chooses:
 *  - Per-capita income is floored to the fen; eligibility is tested exactly
 *    (counted < standard × members), equivalent for integer standards. The
 *    gap part is (standard − floored per capita) × members, so it may
 *    exceed the exact gap by at most members − 1 fen, in the family's
 *    favour. Amounts stay in fen (no rounding to whole yuan).
 *  - Income exactly at the standard is not "低于" (below): not eligible,
 *    no increments. Net household income below 0 is taken as 0.
 *  - Increments: "不交叉重复享受" is read as one of 重残 / 重病 / 70岁以上 /
 *    学龄前 / 在校学生 per person, the highest (ties: that order); the
 *    残疾人员 +40 goes to any disabled person (grades 1–4) on top, grade
 *    1–2 included. 学龄前 = in kindergarten, or under 6 and not in school.
 *    Increments are paid only to an eligible unit's counted members.
 *  - 单人保: grounds of 57号 第八条 (grade 1–2, or intellectual/mental 3, in
 *    a 低保边缘 family; major illness in such a family; clergy; named by
 *    the county) and the 2022 notice (unemployed adult with grade 1–2: no
 *    family test). 低保边缘 uses the 低保 asset tests (local rule NOT
 *    FOUND). If the whole family qualifies, the result is REVIEW with the
 *    household figure ("不得只将部分成员纳入"). The single unit's income is
 *    the person's own and its assets those the person owns; the amount
 *    rule is a parameter (gap, or a share of the standard), plus the
 *    person's increments.
 *  - 渐退: needs the household receiving, assets passing, and counted
 *    income without wages and business income below the standard (the
 *    rise is from employment, incl. self-employment). It lasts while
 *    months_since_exceeding < dibao.phaseout.months. domain.md gives no
 *    amount rule: the last amount paid is kept (REVIEW if none on record),
 *    and the explanation says so.
 *  - Members (第七条): applicant and spouse always; children under 18, and
 *    adult children unable to live alone or studying full time at bachelor
 *    level or below; anyone else by in_household_register. Any Art. 7
 *    absence excludes, whatever the relation.
 */
struct dibao_params {
    int64_t standard_urban_fen; /* dibao.standard.urban */
    int64_t standard_rural_fen; /* dibao.standard.rural */

    int exempt_basic_pension;      /* dibao.income.exempt_basic_pension */
    int exempt_disability_subsidy; /* dibao.income.exempt_disability_subsidy */
    int exempt_kin_support;        /* dibao.income.exempt_kin_support */
    int exempt_old_age_allowance;  /* dibao.income.exempt_old_age_allowance */
    int exempt_social_insurance;   /* dibao.income.exempt_social_insurance */

    int asset_deposit_months;        /* dibao.asset.deposit_months */
    int asset_vehicle_max;           /* dibao.asset.vehicle_max */
    int asset_dwelling_min_count;    /* dibao.asset.dwelling_min_count */
    int64_t asset_housing_area_dm2;  /* dibao.asset.housing_area_per_head */
    int asset_housing_area_multiple; /* dibao.asset.housing_area_multiple */
    int asset_shop_max;              /* dibao.asset.shop_max */
    int asset_company_max;           /* dibao.asset.company_max */

    int64_t increment_disabled_fen; /* dibao.increment.disabled */
    int64_t
        increment_severe_disability_fen; /* dibao.increment.severe_disability */
    int64_t increment_major_illness_fen; /* dibao.increment.major_illness */
    int64_t increment_elderly_fen;       /* dibao.increment.elderly */
    int increment_elderly_min_age;       /* dibao.increment.elderly_min_age */
    int64_t increment_preschool_fen;     /* dibao.increment.preschool */
    int increment_preschool_max_age;     /* dibao.increment.preschool_max_age */
    int64_t increment_student_fen;       /* dibao.increment.student */

    int near_poor_ratio_permille; /* dibao.near_poor.income_ratio */
    int single_amount_mode;       /* dibao.single.amount_mode */
    int single_share_permille;    /* dibao.single.share */

    int phaseout_months; /* dibao.phaseout.months */
};

enum dibao_single_mode {
    DIBAO_SINGLE_GAP = 0, /* (standard − own counted income) + increments */
    DIBAO_SINGLE_SHARE,   /* standard × share ‰ (half up) + increments */
};

enum dibao_decision {
    DIBAO_NOT_ELIGIBLE = 0,
    DIBAO_ELIGIBLE,
    DIBAO_REVIEW, /* a caseworker must decide; amount is indicative */
};

/* The one classified increment a person takes (the categories do not
 * stack); the disabled +40 is a separate part on top. */
enum dibao_category {
    DIBAO_CAT_NONE = 0,
    DIBAO_CAT_SEVERE_DISABILITY, /* 一至二级重残 */
    DIBAO_CAT_MAJOR_ILLNESS,     /* 患重大疾病 */
    DIBAO_CAT_ELDERLY,           /* 70岁以上老人 */
    DIBAO_CAT_PRESCHOOL,         /* 学龄前儿童 */
    DIBAO_CAT_STUDENT,           /* 在校学生 */
    DIBAO_CAT__COUNT
};

enum dibao_part_kind {
    DIBAO_PART_GAP = 0,  /* gap per person × members (household) */
    DIBAO_PART_SHARE,    /* 单人保 share of the standard */
    DIBAO_PART_CATEGORY, /* a person's classified increment */
    DIBAO_PART_DISABLED, /* a disabled person's +40 */
    DIBAO_PART_PHASEOUT, /* 渐退: the last amount kept */
};

struct dibao_part {
    enum dibao_part_kind kind;
    enum dibao_category category; /* DIBAO_PART_CATEGORY only */
    int member;                   /* -1 for household parts */
    int64_t amount_fen;
};

#define DIBAO_MAX_PARTS (1 + 2 * HH_MAX_MEMBERS)

/* Asset tests, as bits of dibao_result.asset_failed. */
enum {
    DIBAO_ASSET_DEPOSITS = 1 << 0,
    DIBAO_ASSET_VEHICLE = 1 << 1,
    DIBAO_ASSET_HOUSING = 1 << 2,
    DIBAO_ASSET_SHOP = 1 << 3,
    DIBAO_ASSET_COMPANY = 1 << 4,
};

struct dibao_result {
    enum dibao_decision decision;
    int64_t amount_fen;            /* monthly; 0 when not eligible */
    int64_t standard_fen;          /* the standard applied */
    int members_counted;           /* in the benefit unit */
    uint32_t counted_mask;         /* bit i: members[i] is in the unit */
    int64_t income_counted_fen;    /* unit's monthly counted income (≥ 0) */
    int64_t income_exempt_fen;     /* excluded income, shown not counted */
    int64_t income_per_capita_fen; /* counted / members, floored to the fen */
    unsigned asset_failed;         /* DIBAO_ASSET_* bits */
    int single;                    /* assessed as 单人保 */
    int phaseout;                  /* in the 渐退 period */
    int phaseout_months_left;      /* including this month */
    size_t part_count;
    struct dibao_part parts[DIBAO_MAX_PARTS]; /* sum == amount_fen */
};

/* Assesses h for 低保 on y-m-d with p resolved for that date and region.
 * Writes *out (always, also on error: zeroed). ex may be NULL; when given
 * it must have been explain_init'ed and gets one line per rule tested,
 * whose amount_fen add up to out->amount_fen (unless ex->truncated).
 * DD_EINVAL for a NULL argument, an invalid date, or a household or
 * parameter out of range (counts, enums, negative or huge money). */
DD_WUR enum dd_status dibao_assess(const struct household *h,
                                   const struct dibao_params *p, int y, int m,
                                   int d, struct dibao_result *out,
                                   struct explain *ex);

/* DD_OK if h is well-formed for an assessment on y-m-d: counts within the
 * arrays, enums in range, disability grade consistent with category,
 * money within [0, HH_MONEY_MAX], birth dates valid and not after the
 * date, obligors and assets pointing at members. DD_EINVAL otherwise. */
DD_WUR enum dd_status dibao_household_validate(const struct household *h, int y,
                                               int m, int d);

/* The per-person classified increment a member would take, and whether
 * the disabled +40 applies; exposed for tests and the intake preview. */
enum dibao_category dibao_category_pick(const struct hh_person *person, int age,
                                        const struct dibao_params *p,
                                        int64_t *category_fen,
                                        int64_t *disabled_fen);

#endif
