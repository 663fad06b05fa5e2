/* SPDX-License-Identifier: MIT */
/* 临时救助 (temporary assistance): the 急难型 (emergency) and 支出型
 * (expense-driven) types of 社会救助暂行办法 第四十七条 and 民发〔2018〕23号,
 * and a one-off amount in whole months of the local 低保 standard × the
 * persons covered, bounded by parameterised bands. Chongqing's amounts are
 * NOT FOUND (domain.md §3, §10 item 3): the bands are the seeded TEMPLATE
 * keys, and the explanation says so. Pure: no I/O, no allocation. */
#ifndef DD_TEMPAID_H
#define DD_TEMPAID_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "domain/explain.h"
#include "domain/household.h"

/* Policy keys the engine reads, one per field below. Values in brackets
 * are the seed's.
 *
 *   dibao.standard.urban                   fen/month [75000 from 2024-09]
 *   dibao.standard.rural                   fen/month [61000 from 2024-09]
 *   tempaid.expense.min_months             months [2; TEMPLATE, Shenzhen]
 *   tempaid.expense.max_months             months [12; TEMPLATE, Shenzhen]
 *   tempaid.township_approval.max_months   months [2; TEMPLATE, Shenzhen]
 *   tempaid.emergency.max_months           months [3; TEMPLATE, Tianjin]
 *   tempaid.expense.income_limit.urban     fen/year [NOT SEEDED: last
 *                                          year's urban per-capita
 *                                          disposable income, a statistic;
 *                                          0 = not set → REVIEW]
 *   tempaid.expense.income_limit.rural     fen/year [same, rural]
 */
/* Where domain.md is silent, the engine chooses:
 *  - Band unit = the 低保 standard (urban or rural by the household flag)
 *    × the persons covered; amounts are whole months of it, so no
 *    rounding is ever needed.
 *  - 支出型: months = ceil(out-of-pocket expense / unit), raised to
 *    tempaid.expense.min_months and capped at tempaid.expense.max_months;
 *    a need above the cap is flagged 一事一议 (case_by_case) and the cap is
 *    paid. Any positive necessary expense after insurance and other aid
 *    qualifies ("突然超出承受能力" has no figure in domain.md).
 *  - 支出型 income test: per-capita disposable income over the last 12
 *    months < last year's local per-capita disposable income, strictly;
 *    a 低保 family passes it and the asset test (Art. 47(2); already
 *    means-tested). Otherwise the asset test is the caller's finding
 *    (local rules NOT FOUND).
 *  - 急难型: no income, asset or 户籍 test (2020 意见; 39号: apply where
 *    the emergency happens); months = the caseworker's estimate of months
 *    of basic living disrupted, capped at tempaid.emergency.max_months
 *    (above: case_by_case). Always 先行救助 (assist_first).
 *  - "Other special hardship" (Art. 47(3)) under either type is REVIEW
 *    (一事一议), with the band computed as for the type as an indication.
 *  - Township approval: months ≤ tempaid.township_approval.max_months.
 */
struct tempaid_params {
    int64_t dibao_standard_urban_fen; /* dibao.standard.urban */
    int64_t dibao_standard_rural_fen; /* dibao.standard.rural */
    int expense_min_months;           /* tempaid.expense.min_months */
    int expense_max_months;           /* tempaid.expense.max_months */
    int township_approval_max_months; /* tempaid.township_approval.max_months
                                       */
    int emergency_max_months;         /* tempaid.emergency.max_months */
    int64_t expense_income_limit_urban_annual_fen; /* tempaid.expense.
                                                      income_limit.urban */
    int64_t expense_income_limit_rural_annual_fen; /* tempaid.expense.
                                                      income_limit.rural */
};

enum tempaid_type {
    TEMPAID_EMERGENCY = 0, /* 急难型 */
    TEMPAID_EXPENSE,       /* 支出型 */
};

enum tempaid_cause {
    TEMPAID_CAUSE_FIRE = 0,       /* 火灾 (急难) */
    TEMPAID_CAUSE_TRAFFIC,        /* 交通事故 (急难) */
    TEMPAID_CAUSE_ACCIDENT,       /* other 意外事件 (急难) */
    TEMPAID_CAUSE_SUDDEN_ILLNESS, /* 家庭成员突发重大疾病 (急难) */
    TEMPAID_CAUSE_MEDICAL,        /* necessary medical expense (支出) */
    TEMPAID_CAUSE_EDUCATION,      /* necessary education expense (支出) */
    TEMPAID_CAUSE_OTHER_EXPENSE,  /* other necessary living expense (支出) */
    TEMPAID_CAUSE_OTHER, /* 其他特殊困难 (Art. 47(3)): 一事一议 */
    TEMPAID_CAUSE__COUNT
};

struct tempaid_request {
    enum tempaid_type type;
    enum tempaid_cause cause;
    enum hh_area standard_area; /* which 低保 standard is the unit */
    int persons;                /* household members covered, 1..16 */
    int dibao_family;           /* the household receives 低保 now */
    /* 支出型 only */
    int64_t income_per_capita_annual_fen; /* disposable, last 12 months */
    int assets_within_rules;              /* caller's finding, local rules */
    int64_t expense_fen; /* out of pocket after insurance and other aid */
    /* 急难型 only */
    int months_needed; /* months of basic living disrupted, ≥ 1 */
};

enum tempaid_decision {
    TEMPAID_NOT_ELIGIBLE = 0,
    TEMPAID_ELIGIBLE,
    TEMPAID_REVIEW, /* 一事一议: the amount is an indication */
};

enum tempaid_part_kind {
    TEMPAID_PART_BAND = 0, /* months × standard × persons */
};

struct tempaid_part {
    enum tempaid_part_kind kind;
    int64_t amount_fen;
};

#define TEMPAID_MAX_PARTS 1

struct tempaid_result {
    enum tempaid_decision decision;
    int64_t standard_fen;     /* the 低保 standard applied */
    int64_t unit_fen;         /* standard × persons: one month of the band */
    int months;               /* band, in months of the unit */
    int64_t amount_fen;       /* one-off; 0 when not eligible */
    int township_may_approve; /* within the township's ceiling */
    int assist_first;         /* 急难: 先行救助, formalities afterwards */
    int case_by_case; /* need above the highest band: 一事一议 (county) */
    size_t part_count;
    struct tempaid_part parts[TEMPAID_MAX_PARTS]; /* sum == amount_fen */
};

/* Assesses a 临时救助 request under p. Writes *out (zeroed first). ex may
 * be NULL; when given (explain_init'ed) its amount lines add up to
 * out->amount_fen. DD_EINVAL for NULL arguments, enums out of range,
 * persons outside 1..HH_MAX_MEMBERS, money outside [0, HH_MONEY_MAX], a
 * 急难 request with months_needed outside 1..120, or parameters out of
 * range (standards must be > 0, 1 ≤ min ≤ max months ≤ 120). */
DD_WUR enum dd_status tempaid_assess(const struct tempaid_request *rq,
                                     const struct tempaid_params *p,
                                     struct tempaid_result *out,
                                     struct explain *ex);

#endif
