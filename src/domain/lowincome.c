/* SPDX-License-Identifier: MIT */
/* 低保边缘 and 刚性支出 recognition: the 低保 engine gives members, counted
 * income, the asset tests and whether 低保 itself applies; then the
 * near-dibao line, and failing that the four 刚性支出 conditions. Every
 * rule writes one explanation line; none carries an amount. */
#include "domain/lowincome.h"

#include <string.h>

#include "domain/engine.h"

#define RIGID "刚性支出困难家庭认定办法 (2025) "

#define ENGINE_RULES "domain/lowincome_rules.def"
#include "domain/rule_table.h"

#undef RIGID

static int
params_ok(const struct lowincome_params *p)
{
    return p->rigid_lookback_months >= 1 && p->rigid_lookback_months <= 120 &&
           p->rigid_validity_months >= 0 && p->rigid_validity_months <= 120 &&
           p->rigid_expense_ratio_permille >= 0 &&
           p->rigid_expense_ratio_permille <= 100000 &&
           engine_money_ok(p->rigid_income_limit_urban_annual_fen) &&
           engine_money_ok(p->rigid_income_limit_rural_annual_fen);
}

static int
rigid_ok(const struct lowincome_rigid *r)
{
    return r == NULL || (engine_money_ok(r->basic_living_fen) &&
                         engine_money_ok(r->medical_fen) &&
                         engine_money_ok(r->education_fen) &&
                         engine_money_ok(r->rehabilitation_fen) &&
                         engine_money_ok(r->other_fen));
}

/* The four 刚性支出 conditions after 低保 and 边缘 are ruled out; returns
 * LOWINCOME_RIGID, LOWINCOME_NONE or LOWINCOME_REVIEW. */
static enum lowincome_status
rigid_assess(const struct household *h, const struct dibao_result *dr,
             const struct lowincome_params *p,
             const struct lowincome_rigid *rigid, struct lowincome_result *out,
             struct explain *ex)
{
    int n = dr->members_counted;
    int64_t counted = dr->income_counted_fen;
    int fail = 0, review = 0;
    struct explain_line *l;

    int tekun = 0;
    for (int i = 0; i < h->member_count; i++)
        if ((dr->counted_mask >> i) & 1u)
            tekun += h->members[i].tekun_receiving != 0;
    l = explain_add(ex, &rules[R_TEKUN], engine_pass_fail(tekun == 0), -1, 0);
    explain_value_add(l, EXPLAIN_N_COUNT, tekun);
    fail |= tekun != 0;

    int64_t limit = h->standard_area == HH_AREA_RURAL
                        ? p->rigid_income_limit_rural_annual_fen
                        : p->rigid_income_limit_urban_annual_fen;
    if (limit <= 0) {
        l = explain_add(ex, &rules[R_INCOME_UNSET], EXPLAIN_REVIEW, -1, 0);
        explain_value_add(l, EXPLAIN_N_INCOME_ANNUAL,
                          dr->income_per_capita_fen * 12);
        review = 1;
    } else {
        /* per-capita annual < limit, exactly: counted × 12 < limit × n */
        int below = counted * 12 < limit * n;
        l = explain_add(ex, &rules[R_INCOME], engine_pass_fail(below), -1, 0);
        explain_value_add(l, EXPLAIN_N_INCOME_ANNUAL,
                          dr->income_per_capita_fen * 12);
        explain_value_add(l, EXPLAIN_N_LIMIT, limit);
        fail |= !below;
    }

    /* assets: already tested for 低保 (the caller's line is above) */
    fail |= dr->asset_failed != 0;

    int64_t spending = 0;
    if (rigid != NULL)
        spending = rigid->basic_living_fen + rigid->medical_fen +
                   rigid->education_fen + rigid->rehabilitation_fen +
                   rigid->other_fen;
    int64_t income_lb = counted * p->rigid_lookback_months;
    out->rigid_spending_fen = spending;
    out->rigid_income_fen = income_lb;
    out->rigid_ratio_permille =
        income_lb > 0 ? spending * 1000 / income_lb : -1;
    if (p->rigid_expense_ratio_permille <= 0) {
        l = explain_add(ex, &rules[R_RATIO_UNSET], EXPLAIN_REVIEW, -1, 0);
        explain_value_add(l, EXPLAIN_N_DEDUCTIONS, spending);
        explain_value_add(l, EXPLAIN_N_INCOME, income_lb);
        review = 1;
    } else {
        /* spending / income > ratio ‰, exactly; 128-bit as income × ratio
         * can pass 2^63 for extreme (validated) inputs */
        int over = spending > 0 &&
                   (income_lb == 0 ||
                    (__int128)spending * 1000 >
                        (__int128)p->rigid_expense_ratio_permille * income_lb);
        l = explain_add(ex, &rules[R_SPENDING], engine_pass_fail(over), -1, 0);
        explain_value_add(l, EXPLAIN_N_DEDUCTIONS, spending);
        explain_value_add(l, EXPLAIN_N_INCOME, income_lb);
        explain_value_add(l, EXPLAIN_N_PERIOD, p->rigid_lookback_months);
        explain_value_add(l, EXPLAIN_N_RATIO, p->rigid_expense_ratio_permille);
        fail |= !over;
    }

    /* information: what is left per head and month after the spending */
    int64_t after = counted - spending / p->rigid_lookback_months;
    l = explain_add(ex, &rules[R_AFTER], EXPLAIN_INFO, -1, 0);
    explain_value_add(l, EXPLAIN_N_PER_CAPITA, after / n);
    explain_value_add(l, EXPLAIN_N_STANDARD, dr->standard_fen);

    if (fail)
        return LOWINCOME_NONE;
    if (review)
        return LOWINCOME_REVIEW;
    out->valid_months = p->rigid_validity_months;
    l = explain_add(ex, &rules[R_RIGID], EXPLAIN_PASS, -1, 0);
    explain_value_add(l, EXPLAIN_N_PERIOD, p->rigid_validity_months);
    return LOWINCOME_RIGID;
}

enum dd_status
lowincome_assess(const struct household *h, const struct lowincome_params *p,
                 const struct lowincome_rigid *rigid, int y, int m, int d,
                 struct lowincome_result *out, struct explain *ex)
{
    if (!engine_start(out, sizeof(*out),
                      h != NULL && p != NULL && params_ok(p) &&
                          rigid_ok(rigid)))
        return DD_EINVAL;

    /* the household as a whole: 单人保 is not a low-income type */
    struct household whole = *h;
    whole.dibao_single = 0;
    whole.dibao_single_member = 0;
    struct dibao_result dr;
    enum dd_status rc = dibao_assess(&whole, &p->dibao, y, m, d, &dr, NULL);
    if (rc != DD_OK)
        return rc;

    int n = dr.members_counted;
    int64_t standard = dr.standard_fen;
    int ratio = p->dibao.near_poor_ratio_permille;
    out->members_counted = n;
    out->standard_fen = standard;
    out->income_counted_fen = dr.income_counted_fen;
    out->income_per_capita_fen = dr.income_per_capita_fen;
    out->near_poor_line_fen = standard * ratio / 1000;
    out->asset_failed = dr.asset_failed;
    out->rigid_ratio_permille = -1;

    struct explain_line *l =
        explain_add(ex, &rules[R_BASIS], EXPLAIN_INFO, -1, 0);
    explain_value_add(l, EXPLAIN_N_MEMBERS, n);
    explain_value_add(l, EXPLAIN_N_COUNTED_TOTAL, dr.income_counted_fen);
    explain_value_add(l, EXPLAIN_N_PER_CAPITA, dr.income_per_capita_fen);
    explain_value_add(l, EXPLAIN_N_STANDARD, standard);

    enum lowincome_status st;
    if (n == 0) {
        explain_add(ex, &rules[R_NO_MEMBERS], EXPLAIN_FAIL, -1, 0);
        st = LOWINCOME_NONE;
        goto total;
    }
    if (dr.decision == DIBAO_ELIGIBLE) {
        l = explain_add(ex, &rules[R_DIBAO], EXPLAIN_FAIL, -1, 0);
        explain_value_add(l, EXPLAIN_N_FLAG, dr.phaseout);
        st = LOWINCOME_DIBAO;
        goto total;
    }
    if (dr.decision == DIBAO_REVIEW) {
        explain_add(ex, &rules[R_DIBAO_REVIEW], EXPLAIN_REVIEW, -1, 0);
        st = LOWINCOME_REVIEW;
        goto total;
    }

    l = explain_add(ex, &rules[R_ASSETS],
                    engine_pass_fail(dr.asset_failed == 0), -1, 0);
    explain_value_add(l, EXPLAIN_N_MODE, dr.asset_failed);

    /* 低保边缘: per-capita < ratio × standard, exactly: counted × 1000 <
     * ratio × standard × n */
    int near = dr.asset_failed == 0 &&
               dr.income_counted_fen * 1000 < (int64_t)ratio * standard * n;
    l = explain_add(ex, &rules[R_NEAR_POOR], engine_pass_fail(near), -1, 0);
    explain_value_add(l, EXPLAIN_N_PER_CAPITA, dr.income_per_capita_fen);
    explain_value_add(l, EXPLAIN_N_STANDARD, standard);
    explain_value_add(l, EXPLAIN_N_RATIO, ratio);
    explain_value_add(l, EXPLAIN_N_LIMIT, out->near_poor_line_fen);
    if (near) {
        explain_add(ex, &rules[R_NEAR_POOR_RIGID], EXPLAIN_INFO, -1, 0);
        st = LOWINCOME_NEAR_POOR;
        goto total;
    }
    st = rigid_assess(&whole, &dr, p, rigid, out, ex);

total:
    out->status = st;
    l = explain_add(ex, &rules[R_TOTAL],
                    st == LOWINCOME_NEAR_POOR || st == LOWINCOME_RIGID
                        ? EXPLAIN_PASS
                    : st == LOWINCOME_REVIEW ? EXPLAIN_REVIEW
                                             : EXPLAIN_FAIL,
                    -1, 0);
    explain_value_add(l, EXPLAIN_N_MODE, st);
    return DD_OK;
}
