/* SPDX-License-Identifier: MIT */
/* 临时救助 assessment: the type and cause (社会救助暂行办法 第四十七条,
 * 民发〔2018〕23号), the 支出型 income and asset tests, then the band in
 * months of the 低保 standard × persons, the township ceiling and 一事一议.
 * Every rule writes one explanation line. */
#include "domain/tempaid.h"

#include <string.h>

#include "domain/engine.h"

#define TEMPLATE "重庆 NOT FOUND (渝民发〔2017〕60号): TEMPLATE key "

#define ENGINE_RULES "domain/tempaid_rules.def"
#include "domain/rule_table.h"

#undef TEMPLATE

static int
params_ok(const struct tempaid_params *p)
{
    return engine_standard_ok(p->dibao_standard_urban_fen) &&
           engine_standard_ok(p->dibao_standard_rural_fen) &&
           engine_range_ok(p->expense_min_months, 1, 120) &&
           engine_range_ok(p->expense_max_months, p->expense_min_months, 120) &&
           engine_range_ok(p->township_approval_max_months, 0, 120) &&
           engine_range_ok(p->emergency_max_months, 1, 120) &&
           engine_money_ok(p->expense_income_limit_urban_annual_fen) &&
           engine_money_ok(p->expense_income_limit_rural_annual_fen);
}

static int
request_ok(const struct tempaid_request *rq)
{
    if (!engine_range_ok((int)rq->type, TEMPAID_EMERGENCY, TEMPAID_EXPENSE) ||
        !engine_enum_ok((int)rq->cause, TEMPAID_CAUSE__COUNT) ||
        !engine_range_ok((int)rq->standard_area, HH_AREA_URBAN,
                         HH_AREA_RURAL) ||
        !engine_range_ok(rq->persons, 1, HH_MAX_MEMBERS) ||
        !engine_money_ok(rq->income_per_capita_annual_fen) ||
        !engine_money_ok(rq->expense_fen))
        return 0;
    if (rq->type == TEMPAID_EMERGENCY &&
        !engine_range_ok(rq->months_needed, 1, 120))
        return 0;
    return 1;
}

static int
cause_is_emergency(enum tempaid_cause c)
{
    return c == TEMPAID_CAUSE_FIRE || c == TEMPAID_CAUSE_TRAFFIC ||
           c == TEMPAID_CAUSE_ACCIDENT || c == TEMPAID_CAUSE_SUDDEN_ILLNESS;
}

static int
cause_is_expense(enum tempaid_cause c)
{
    return c == TEMPAID_CAUSE_MEDICAL || c == TEMPAID_CAUSE_EDUCATION ||
           c == TEMPAID_CAUSE_OTHER_EXPENSE;
}

/* 支出型 income, asset and expense tests; 1 if all pass, 0 if one fails,
 * -1 if one can only be reviewed. */
static int
expense_tests(const struct tempaid_request *rq, const struct tempaid_params *p,
              struct explain *ex)
{
    struct explain_line *l;
    int rc = 1;
    if (rq->dibao_family) {
        explain_add(ex, &rules[R_DIBAO_FAMILY], EXPLAIN_PASS, -1, 0);
    } else {
        int64_t limit = rq->standard_area == HH_AREA_RURAL
                            ? p->expense_income_limit_rural_annual_fen
                            : p->expense_income_limit_urban_annual_fen;
        if (limit <= 0) {
            l = explain_add(ex, &rules[R_INCOME_UNSET], EXPLAIN_REVIEW, -1, 0);
            explain_value_add(l, EXPLAIN_N_INCOME_ANNUAL,
                              rq->income_per_capita_annual_fen);
            rc = -1;
        } else {
            /* "低于": strictly below */
            int below = rq->income_per_capita_annual_fen < limit;
            l = explain_add(ex, &rules[R_INCOME], engine_pass_fail(below), -1,
                            0);
            explain_value_add(l, EXPLAIN_N_INCOME_ANNUAL,
                              rq->income_per_capita_annual_fen);
            explain_value_add(l, EXPLAIN_N_LIMIT, limit);
            if (!below)
                rc = 0;
        }
        l = explain_add(ex, &rules[R_ASSETS],
                        engine_pass_fail(rq->assets_within_rules), -1, 0);
        explain_value_add(l, EXPLAIN_N_FLAG, rq->assets_within_rules != 0);
        if (!rq->assets_within_rules)
            rc = 0;
    }
    if (rq->expense_fen <= 0) {
        explain_add(ex, &rules[R_EXPENSE_NONE], EXPLAIN_FAIL, -1, 0);
        rc = 0;
    }
    return rc;
}

enum dd_status
tempaid_assess(const struct tempaid_request *rq, const struct tempaid_params *p,
               struct tempaid_result *out, struct explain *ex)
{
    if (!engine_start(out, sizeof(*out),
                      rq != NULL && p != NULL && params_ok(p) &&
                          request_ok(rq)))
        return DD_EINVAL;

    int64_t standard = rq->standard_area == HH_AREA_RURAL
                           ? p->dibao_standard_rural_fen
                           : p->dibao_standard_urban_fen;
    int64_t unit = standard * rq->persons;
    out->standard_fen = standard;
    out->unit_fen = unit;
    struct explain_line *l =
        explain_add(ex, &rules[R_STANDARD], EXPLAIN_INFO, -1, 0);
    explain_value_add(l, EXPLAIN_N_STANDARD, standard);
    explain_value_add(l, EXPLAIN_N_MEMBERS, rq->persons);
    explain_value_add(l, EXPLAIN_N_RURAL, rq->standard_area == HH_AREA_RURAL);
    explain_value_add(l, EXPLAIN_N_BASE, unit);

    enum tempaid_decision decision = TEMPAID_ELIGIBLE;
    int emergency = rq->type == TEMPAID_EMERGENCY;
    int other = rq->cause == TEMPAID_CAUSE_OTHER;
    int fits = other || (emergency ? cause_is_emergency(rq->cause)
                                   : cause_is_expense(rq->cause));
    if (!fits) {
        l = explain_add(ex, &rules[R_CAUSE_MISMATCH], EXPLAIN_FAIL, -1, 0);
        explain_value_add(l, EXPLAIN_N_KIND, rq->cause);
        explain_value_add(l, EXPLAIN_N_MODE, rq->type);
        decision = TEMPAID_NOT_ELIGIBLE;
        goto total;
    }
    if (other) {
        explain_add(ex, &rules[R_OTHER], EXPLAIN_REVIEW, -1, 0);
        decision = TEMPAID_REVIEW;
    } else {
        l = explain_add(ex, emergency ? &rules[R_EMERGENCY] : &rules[R_EXPENSE],
                        EXPLAIN_PASS, -1, 0);
        explain_value_add(l, EXPLAIN_N_KIND, rq->cause);
    }

    int months, need;
    if (emergency) {
        out->assist_first = 1;
        explain_add(ex, &rules[R_ASSIST_FIRST], EXPLAIN_INFO, -1, 0);
        need = rq->months_needed;
        months =
            need < p->emergency_max_months ? need : p->emergency_max_months;
        l = explain_add(ex, &rules[R_EMERGENCY_BAND], EXPLAIN_INFO, -1, 0);
        explain_value_add(l, EXPLAIN_N_MONTHS, need);
        explain_value_add(l, EXPLAIN_N_PERIOD, p->emergency_max_months);
    } else {
        int t = expense_tests(rq, p, ex);
        if (t == 0) {
            decision = TEMPAID_NOT_ELIGIBLE;
            goto total;
        }
        if (t < 0)
            decision = TEMPAID_REVIEW;
        /* months to cover the expense, rounded up; the expense is at most
         * 10^13 and unit ≥ 1, so need fits once capped at max + 1 */
        int64_t m64 = (rq->expense_fen + unit - 1) / unit;
        need =
            m64 > p->expense_max_months ? p->expense_max_months + 1 : (int)m64;
        months = need < p->expense_min_months   ? p->expense_min_months
                 : need > p->expense_max_months ? p->expense_max_months
                                                : need;
        l = explain_add(ex, &rules[R_EXPENSE_BAND], EXPLAIN_INFO, -1, 0);
        explain_value_add(l, EXPLAIN_N_AMOUNT, rq->expense_fen);
        explain_value_add(l, EXPLAIN_N_MONTHS, m64);
        explain_value_add(l, EXPLAIN_N_PERIOD, p->expense_min_months);
        explain_value_add(l, EXPLAIN_N_MAX_COUNT, p->expense_max_months);
    }
    if (need > months) {
        out->case_by_case = 1;
        explain_add(ex, &rules[R_CASE_BY_CASE], EXPLAIN_REVIEW, -1, 0);
    }
    out->months = months;
    out->amount_fen = unit * months;
    out->parts[0].kind = TEMPAID_PART_BAND;
    out->parts[0].amount_fen = out->amount_fen;
    out->part_count = 1;
    l = explain_add(ex, &rules[R_AMOUNT], EXPLAIN_AMOUNT, -1, out->amount_fen);
    explain_value_add(l, EXPLAIN_N_MONTHS, months);
    explain_value_add(l, EXPLAIN_N_STANDARD, standard);
    explain_value_add(l, EXPLAIN_N_MEMBERS, rq->persons);
    out->township_may_approve = months <= p->township_approval_max_months;
    l = explain_add(
        ex, out->township_may_approve ? &rules[R_TOWNSHIP] : &rules[R_COUNTY],
        EXPLAIN_INFO, -1, 0);
    explain_value_add(l, EXPLAIN_N_MONTHS, months);
    explain_value_add(l, EXPLAIN_N_PERIOD, p->township_approval_max_months);

total:
    out->decision = decision;
    if (decision == TEMPAID_NOT_ELIGIBLE) {
        out->amount_fen = 0;
        out->part_count = 0;
        out->months = 0;
    }
    l = explain_add(ex, &rules[R_TOTAL],
                    decision == TEMPAID_ELIGIBLE ? EXPLAIN_PASS
                    : decision == TEMPAID_REVIEW ? EXPLAIN_REVIEW
                                                 : EXPLAIN_FAIL,
                    -1, 0);
    explain_value_add(l, EXPLAIN_N_AMOUNT, out->amount_fen);
    explain_value_add(l, EXPLAIN_N_MONTHS, out->months);
    return DD_OK;
}
