/* SPDX-License-Identifier: MIT */
/* The 特困人员 (extremely poor person) assessment for one member of a
 * household: the three conditions of 特困人员认定办法 (2021) 第四条 to
 * 第九条, and the monthly amount: the basic living standard plus the care
 * tier given by the six self-care items (第二十条 to 第二十三条). Policy
 * values arrive resolved in struct tekun_params. Pure: no I/O, no
 * allocation. */
#ifndef DD_TEKUN_H
#define DD_TEKUN_H

#include <stdint.h>

#include "core/status.h"
#include "domain/explain.h"
#include "domain/household.h"

/* Policy keys the engine reads, one per field below. Values in brackets
 * are Chongqing's, or the national default where domain.md says NOT FOUND.
 *
 *   dibao.standard.urban                      fen [75000 from 2024-09]
 *   dibao.standard.rural                      fen [61000 from 2024-09]
 *   tekun.standard.basic                      fen [97500 from 2024-09;
 *                                             published figure, not 1.3×]
 *   tekun.care.mode                           0 amounts, 1 ‰ of a base [0]
 *   tekun.care.self                           fen [0: no 全自理 tier stated]
 *   tekun.care.partial                        fen [20000: 半护理]
 *   tekun.care.full                           fen [30000: 全护理]
 *   tekun.care.base                           fen [e.g. a minimum wage]
 *   tekun.care.self_ratio                     ‰ of base
 *   tekun.care.partial_ratio                  ‰ of base
 *   tekun.care.full_ratio                     ‰ of base
 *   tekun.care.full_min_items                 items [4: ≥4 failed = 全护理]
 *   tekun.selfcare.partial_max_failed         items [3: ≤3 failed = 半护理;
 *                                             the tiers meet: full_min − 1]
 *   tekun.selfcare.items                      items [6: 第二十条's six, the
 *                                             ones a household records]
 *   tekun.basic.min_ratio                     ‰ [1300: the basic standard
 *                                             is at least this share of the
 *                                             higher 低保 standard, to the
 *                                             yuan below; a check: below it
 *                                             the explanation says so and
 *                                             the published figure is paid;
 *                                             0 = no floor]
 *   tekun.work.elderly_min_age                years [60]
 *   tekun.work.minor_max_age                  years [16: under 16]
 *   tekun.minor.support_until_age             years [18]
 *   tekun.income.exempt_disability_subsidy    0/1 [1]
 *   tekun.income.exempt_kin_support           0/1 [1]
 *   tekun.asset.deposit_months                months [12; NOT FOUND]
 *   tekun.asset.vehicle_max                   count [0; NOT FOUND]
 *   tekun.asset.dwelling_max                  count [1; NOT FOUND]
 *   tekun.asset.shop_max                      count [0; NOT FOUND]
 *   tekun.asset.company_max                   count [0; NOT FOUND]
 *   tekun.obligor.dibao_min_age               years [60]
 *   tekun.obligor.elderly_min_age             years [70]
 *   tekun.obligor.income_limit.urban          fen/year [last year's urban
 *                                             per-capita disposable income]
 *   tekun.obligor.income_limit.rural          fen/year [rural, same]
 */
/* Where domain.md is silent or ambiguous, the engine chooses:
 *  - The amount is the published basic standard in full plus the care
 *    tier (no income gap): domain.md states no 补差 for 特困.
 *  - Care tier: 0 failed items → self-caring (Chongqing states no amount:
 *    a parameter, 0), 1..partial_max_items → 半护理, more → 全护理.
 *    Ratio mode rounds base × ‰ half up to the fen.
 *  - Income below the standard is strict ("低于"); the person's own income
 *    only; the urban or rural 低保 standard follows the household flag
 *    (第十九条's mapping is the caller's).
 *  - Excluded income: every kind §1.3 excludes for 低保, plus 第六条's
 *    basic pension, social insurance, 优待抚恤金 and 高龄津贴; disability
 *    subsidies and kin support by parameter.
 *  - Assets (第七条, Chongqing NOT FOUND): the person's own plus the
 *    household's joint assets in full, against parameterised limits.
 *  - 第五条(四) "other provincial cases": work_capacity NONE without an
 *    enumerated ground gives REVIEW, not a pass.
 *  - A supported person keeps condition (1) under 18, or while in
 *    compulsory or high-school/vocational education (第二十五条).
 *  - 第八条: obligors living in the household are derived from the
 *    members' relations to the applicant (the spouse; the parents; the
 *    adult children), and judged on the same grounds as listed ones with
 *    what the household records of them (特困, the household's 低保,
 *    age, own counted income, disability, missing or in prison; assets:
 *    their own and the joint ones within the 特困 asset parameters).
 *    Listed obligors are judged too; one able obligor fails (3).
 *  - 第八条(四) "severely disabled" is read as grade 1–2 of any category;
 *    the income test compares 12 × monthly income with last year's
 *    per-capita disposable income (urban or rural by the household flag).
 */
struct tekun_params {
    int64_t dibao_standard_urban_fen; /* dibao.standard.urban */
    int64_t dibao_standard_rural_fen; /* dibao.standard.rural */
    int64_t basic_fen;                /* tekun.standard.basic */

    int care_mode;             /* tekun.care.mode */
    int64_t care_self_fen;     /* tekun.care.self */
    int64_t care_partial_fen;  /* tekun.care.partial */
    int64_t care_full_fen;     /* tekun.care.full */
    int64_t care_base_fen;     /* tekun.care.base */
    int care_self_permille;    /* tekun.care.self_ratio */
    int care_partial_permille; /* tekun.care.partial_ratio */
    int care_full_permille;    /* tekun.care.full_ratio */
    int care_full_min_items;   /* tekun.care.full_min_items */
    int care_partial_max_items; /* tekun.selfcare.partial_max_failed */
    int care_items;             /* tekun.selfcare.items */
    int basic_min_permille;     /* tekun.basic.min_ratio (0 = no floor) */

    int work_elderly_min_age;    /* tekun.work.elderly_min_age */
    int work_minor_max_age;      /* tekun.work.minor_max_age (exclusive) */
    int minor_support_until_age; /* tekun.minor.support_until_age */

    int exempt_disability_subsidy; /* tekun.income.exempt_disability_subsidy */
    int exempt_kin_support;        /* tekun.income.exempt_kin_support */

    int asset_deposit_months; /* tekun.asset.deposit_months */
    int asset_vehicle_max;    /* tekun.asset.vehicle_max */
    int asset_dwelling_max;   /* tekun.asset.dwelling_max */
    int asset_shop_max;       /* tekun.asset.shop_max */
    int asset_company_max;    /* tekun.asset.company_max */

    int obligor_dibao_min_age;   /* tekun.obligor.dibao_min_age */
    int obligor_elderly_min_age; /* tekun.obligor.elderly_min_age */
    int64_t obligor_income_limit_urban_annual_fen; /* tekun.obligor.income_limit.urban
                                                    */
    int64_t obligor_income_limit_rural_annual_fen; /* tekun.obligor.income_limit.rural
                                                    */
};

enum tekun_care_mode { TEKUN_CARE_AMOUNTS = 0, TEKUN_CARE_RATIOS };

enum tekun_decision {
    TEKUN_NOT_ELIGIBLE = 0,
    TEKUN_ELIGIBLE,
    TEKUN_REVIEW, /* a caseworker must decide; amount is indicative */
};

enum tekun_care_tier {
    TEKUN_CARE_SELF = 0, /* all six items achieved: 具备生活自理能力 */
    TEKUN_CARE_PARTIAL,  /* 1–3 failed: 部分丧失, 半护理 */
    TEKUN_CARE_FULL,     /* ≥4 failed: 完全丧失, 全护理 */
};

/* A condition's outcome. */
enum tekun_cond { TEKUN_COND_FAIL = 0, TEKUN_COND_PASS, TEKUN_COND_REVIEW };

struct tekun_result {
    enum tekun_decision decision;
    int age;
    enum tekun_cond no_work_capacity; /* 第五条 */
    enum tekun_cond no_means;         /* 第六条, 第七条 */
    enum tekun_cond no_able_obligor;  /* 第八条 */
    int chose_child_scheme;           /* 第九条 */
    int64_t income_counted_fen;       /* the person's own, monthly */
    int64_t income_exempt_fen;
    int64_t standard_fen; /* the 低保 standard for 第六条 */
    int items_unable;     /* of the six */
    enum tekun_care_tier tier;
    int64_t basic_fen;
    int64_t care_fen;
    int64_t amount_fen; /* basic + care; 0 when not eligible */
};

/* Assesses h->members[member] for 特困 on y-m-d with p resolved for that
 * date and region. Writes *out (zeroed first). ex may be NULL; when given
 * (explain_init'ed) its amount lines add up to out->amount_fen. The
 * person's assets are those they own plus the household's joint assets.
 * DD_EINVAL for NULL arguments, an invalid date, member out of range, or
 * a household or parameter out of range. */
DD_WUR enum dd_status tekun_assess(const struct household *h, int member,
                                   const struct tekun_params *p, int y, int m,
                                   int d, struct tekun_result *out,
                                   struct explain *ex);

/* The care tier for a count of failed self-care items (0..6). */
enum tekun_care_tier tekun_care_tier_of(int items_unable,
                                        const struct tekun_params *p);

#endif
