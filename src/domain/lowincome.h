/* SPDX-License-Identifier: MIT */
/* Recognition of the two low-income family types of 国办发〔2023〕39号
 * (domain.md §1.1, §6): 低保边缘家庭 (near-dibao: not eligible for 低保,
 * per-capita income below 1.5 × the standard, assets within the rules)
 * and 刚性支出困难家庭 (rigid-expenditure hardship, 2025 measures).
 * Recognition only: no monthly amount. Counted income, members and the
 * asset tests are the 低保 engine's (dibao_assess). Pure: no I/O, no
 * allocation. */
#ifndef DD_LOWINCOME_H
#define DD_LOWINCOME_H

#include <stdint.h>

#include "core/status.h"
#include "domain/dibao.h"
#include "domain/explain.h"
#include "domain/household.h"

/* Policy keys the engine reads: every key of struct dibao_params (see
 * dibao.h; dibao.near_poor.income_ratio [1500 ‰] is the 边缘 multiplier),
 * and one per field below.
 *
 *   rigid.lookback_months              months [12]
 *   rigid.validity_months              months [12]
 *   rigid.expense_ratio                permille [NOT SEEDED: set locally,
 *                                      NOT FOUND, no national default;
 *                                      0 = not set → REVIEW]
 *   rigid.income_limit.urban           fen/year [NOT SEEDED: last year's
 *                                      urban per-capita disposable income;
 *                                      0 = not set → REVIEW]
 *   rigid.income_limit.rural           fen/year [same, rural]
 */
/* Where domain.md is silent, the engine chooses:
 *  - 低保边缘: per-capita income < ratio × standard, strictly ("低于"
 *    and "<" in §1.1 and 57号 第八条; dibao.c's 单人保 test is the same);
 *    the 低保 asset tests stand for the local ones (NOT FOUND). Any
 *    household that would get 低保 now (incl. 渐退) or needs a 低保 review
 *    is not 边缘.
 *  - 刚性支出: "not on 低保 or 特困" = the 低保 engine does not make the
 *    household eligible and no counted member is already 特困; the
 *    income test compares counted monthly income × 12 with the annual
 *    limit × members, strictly; the spending test compares the rigid
 *    spending over rigid.lookback_months with the counted monthly income
 *    × rigid.lookback_months: spending × 1000 > ratio × income (any
 *    spending passes when that income is 0). The 低保 counted income is
 *    used for both (so a rigid deduction already taken there is not taken
 *    twice by the caller).
 *  - 单人保 is not considered: the household is always assessed whole.
 */
struct lowincome_params {
    struct dibao_params dibao;                   /* the 低保 keys */
    int rigid_lookback_months;                   /* rigid.lookback_months */
    int rigid_validity_months;                   /* rigid.validity_months */
    int rigid_expense_ratio_permille;            /* rigid.expense_ratio */
    int64_t rigid_income_limit_urban_annual_fen; /* rigid.income_limit.urban
                                                  */
    int64_t rigid_income_limit_rural_annual_fen; /* rigid.income_limit.rural
                                                  */
};

/* Rigid spending over the lookback period, fen, each ≥ 0 (刚性支出困难
 * 家庭认定办法: receipts, net of insurance, aid and subsidies). */
struct lowincome_rigid {
    int64_t basic_living_fen;   /* basic living spending */
    int64_t medical_fen;        /* out of pocket after insurance and aid */
    int64_t education_fen;      /* fees at public-school rates */
    int64_t rehabilitation_fen; /* disability rehabilitation, net */
    int64_t other_fen;          /* other necessary items */
};

enum lowincome_status {
    LOWINCOME_NONE = 0,  /* neither type */
    LOWINCOME_DIBAO,     /* eligible for (or in 渐退 on) 低保: not these */
    LOWINCOME_NEAR_POOR, /* 低保边缘家庭 */
    LOWINCOME_RIGID,     /* 刚性支出困难家庭 */
    LOWINCOME_REVIEW,    /* a caseworker must decide */
};

struct lowincome_result {
    enum lowincome_status status;
    int members_counted;
    int64_t standard_fen;          /* the 低保 standard applied */
    int64_t income_counted_fen;    /* household, monthly */
    int64_t income_per_capita_fen; /* monthly, floored to the fen */
    int64_t near_poor_line_fen;    /* standard × ratio ‰, floored */
    unsigned asset_failed;         /* DIBAO_ASSET_* bits */
    int64_t rigid_spending_fen;    /* over the lookback */
    int64_t rigid_income_fen;      /* counted income × lookback months */
    int64_t rigid_ratio_permille;  /* spending / income, ‰, floored;
                                      -1 when the income is 0 */
    int valid_months; /* a 刚性支出 recognition's validity; 0 otherwise */
};

/* Recognises h on y-m-d as 低保边缘 or 刚性支出 under p; rigid may be NULL
 * (no spending declared: the 刚性支出 test fails). Writes *out (zeroed
 * first). ex may be NULL; when given (explain_init'ed) it gets one line
 * per rule tested, none with an amount. DD_EINVAL as dibao_assess, and
 * for rigid amounts outside [0, HH_MONEY_MAX] or parameters out of
 * range. */
DD_WUR enum dd_status
lowincome_assess(const struct household *h, const struct lowincome_params *p,
                 const struct lowincome_rigid *rigid, int y, int m, int d,
                 struct lowincome_result *out, struct explain *ex);

#endif
