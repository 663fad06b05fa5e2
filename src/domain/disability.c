/* SPDX-License-Identifier: MIT */
/* 残疾人两项补贴 assessment for one person: the card and 户籍, the living
 * subsidy's household test and child exclusions, the care subsidy's grade
 * and long-term-care tests and the 工伤 choice. Every rule writes one
 * explanation line. */
#include "domain/disability.h"

#include <string.h>

#include "domain/engine.h"

#define GF "国发〔2015〕52号 "

#define ENGINE_RULES "domain/disability_rules.def"
#include "domain/rule_table.h"

#undef GF

static int
params_ok(const struct disability_params *p)
{
    return engine_money_ok(p->living_subsidy_fen) &&
           engine_money_ok(p->care_subsidy_grade1_fen) &&
           engine_money_ok(p->care_subsidy_grade2_fen) &&
           engine_money_ok(p->care_subsidy_grade34_mental_fen) &&
           engine_months_ok(p->long_term_care_months) &&
           engine_flag_ok(p->living_subsidy_near_poor);
}

static int
applicant_ok(const struct disability_applicant *a)
{
    return engine_disability_ok((int)a->category, a->grade) &&
           engine_enum_ok((int)a->household, DISABILITY_HH__COUNT) &&
           engine_months_ok(a->care_months) &&
           engine_money_ok(a->work_injury_care_fen);
}

int64_t
disability_care_rate(enum hh_disability category, int grade,
                     const struct disability_params *p)
{
    if (category == HH_DIS_NONE)
        return 0;
    if (grade == 1)
        return p->care_subsidy_grade1_fen;
    if (grade == 2)
        return p->care_subsidy_grade2_fen;
    if ((grade == 3 || grade == 4) &&
        (category == HH_DIS_INTELLECTUAL || category == HH_DIS_MENTAL))
        return p->care_subsidy_grade34_mental_fen;
    return 0;
}

static void
part_add(struct disability_result *out, enum disability_part_kind kind,
         int64_t fen)
{
    if (fen <= 0 || out->part_count >= DISABILITY_MAX_PARTS)
        return;
    out->parts[out->part_count].kind = kind;
    out->parts[out->part_count].amount_fen = fen;
    out->part_count++;
    out->amount_fen += fen;
}

static enum disability_decision
living_assess(const struct disability_applicant *a,
              const struct disability_params *p, int member, struct explain *ex)
{
    struct explain_line *l;
    switch (a->household) {
    case DISABILITY_HH_DIBAO:
        explain_add(ex, &rules[R_LIVING_DIBAO], EXPLAIN_PASS, member, 0);
        break;
    case DISABILITY_HH_NEAR_POOR:
        l = explain_add(ex, &rules[R_LIVING_NEAR_POOR],
                        engine_pass_fail(p->living_subsidy_near_poor), member,
                        0);
        explain_value_add(l, EXPLAIN_N_FLAG, p->living_subsidy_near_poor);
        if (!p->living_subsidy_near_poor)
            return DISABILITY_NOT_ELIGIBLE;
        break;
    case DISABILITY_HH_TEKUN: break; /* after the child exclusions */
    default:
        explain_add(ex, &rules[R_LIVING_HOUSEHOLD_NO], EXPLAIN_FAIL, member, 0);
        return DISABILITY_NOT_ELIGIBLE;
    }
    if (a->orphan_protected) {
        explain_add(ex, &rules[R_LIVING_ORPHAN], EXPLAIN_FAIL, member, 0);
        return DISABILITY_NOT_ELIGIBLE;
    }
    if (a->defacto_full_subsidy) {
        explain_add(ex, &rules[R_LIVING_DEFACTO], EXPLAIN_FAIL, member, 0);
        return DISABILITY_NOT_ELIGIBLE;
    }
    if (a->household == DISABILITY_HH_TEKUN) {
        explain_add(ex, &rules[R_LIVING_TEKUN], EXPLAIN_REVIEW, member, 0);
        return DISABILITY_REVIEW;
    }
    return DISABILITY_ELIGIBLE;
}

/* Returns the care decision and writes the amount to *fen. */
static enum disability_decision
care_assess(const struct disability_applicant *a,
            const struct disability_params *p, int member,
            struct disability_result *out, struct explain *ex, int64_t *fen)
{
    *fen = 0;
    int64_t rate = disability_care_rate(a->category, a->grade, p);
    int grade_ok = a->category != HH_DIS_NONE &&
                   (a->grade <= 2 || a->category == HH_DIS_INTELLECTUAL ||
                    a->category == HH_DIS_MENTAL);
    struct explain_line *l = explain_add(ex, &rules[R_CARE_GRADE],
                                         engine_pass_fail(grade_ok), member, 0);
    explain_value_add(l, EXPLAIN_N_CATEGORY, a->category);
    explain_value_add(l, EXPLAIN_N_GRADE, a->grade);
    if (!grade_ok)
        return DISABILITY_NOT_ELIGIBLE;
    /* 长期照护: care lasting at least the set months */
    int long_term =
        a->care_months > 0 && a->care_months >= p->long_term_care_months;
    l = explain_add(ex, &rules[R_CARE_LONG_TERM], engine_pass_fail(long_term),
                    member, 0);
    explain_value_add(l, EXPLAIN_N_MONTHS, a->care_months);
    explain_value_add(l, EXPLAIN_N_PERIOD, p->long_term_care_months);
    if (!long_term)
        return DISABILITY_NOT_ELIGIBLE;
    if (a->grade >= 3) {
        l = explain_add(ex, &rules[R_CARE_G34_RATE], EXPLAIN_INFO, member, 0);
        explain_value_add(l, EXPLAIN_N_STANDARD, rate);
    }
    if (a->work_injury_care_fen > 0) {
        int keep = a->work_injury_care_fen >= rate;
        l = explain_add(
            ex, keep ? &rules[R_WORK_INJURY_KEEP] : &rules[R_WORK_INJURY_FORGO],
            EXPLAIN_INFO, member, 0);
        explain_value_add(l, EXPLAIN_N_INCOME, a->work_injury_care_fen);
        explain_value_add(l, EXPLAIN_N_STANDARD, rate);
        if (keep)
            return DISABILITY_NOT_ELIGIBLE;
        out->forgo_work_injury_care = 1;
    }
    *fen = rate;
    return DISABILITY_ELIGIBLE;
}

enum dd_status
disability_assess(const struct disability_applicant *a,
                  const struct disability_params *p, int member,
                  struct disability_result *out, struct explain *ex)
{
    if (!engine_start(out, sizeof(*out),
                      a != NULL && p != NULL && params_ok(p) &&
                          applicant_ok(a) && member >= -1))
        return DD_EINVAL;

    int disabled = a->category != HH_DIS_NONE;
    struct explain_line *l =
        explain_add(ex, &rules[R_CARD],
                    engine_pass_fail(disabled && a->card_valid), member, 0);
    explain_value_add(l, EXPLAIN_N_CATEGORY, a->category);
    explain_value_add(l, EXPLAIN_N_GRADE, a->grade);
    explain_add(ex, &rules[R_HUKOU], engine_pass_fail(a->hukou_local), member,
                0);
    if (disabled && a->card_valid && a->hukou_local) {
        out->living = living_assess(a, p, member, ex);
        int64_t care_fen = 0;
        out->care = care_assess(a, p, member, out, ex, &care_fen);
        if (out->living != DISABILITY_NOT_ELIGIBLE) {
            out->living_fen = p->living_subsidy_fen;
            part_add(out, DISABILITY_PART_LIVING, out->living_fen);
            explain_add(ex, &rules[R_LIVING], EXPLAIN_AMOUNT, member,
                        out->living_fen);
        }
        if (out->care != DISABILITY_NOT_ELIGIBLE) {
            out->care_fen = care_fen;
            part_add(out, DISABILITY_PART_CARE, care_fen);
            l = explain_add(ex, &rules[R_CARE], EXPLAIN_AMOUNT, member,
                            care_fen);
            explain_value_add(l, EXPLAIN_N_GRADE, a->grade);
        }
    }
    enum explain_result res =
        out->living == DISABILITY_ELIGIBLE || out->care == DISABILITY_ELIGIBLE
            ? EXPLAIN_PASS
        : out->living == DISABILITY_REVIEW ? EXPLAIN_REVIEW
                                           : EXPLAIN_FAIL;
    l = explain_add(ex, &rules[R_TOTAL], res, member, 0);
    explain_value_add(l, EXPLAIN_N_AMOUNT, out->amount_fen);
    return DD_OK;
}
