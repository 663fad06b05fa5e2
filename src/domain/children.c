/* SPDX-License-Identifier: MIT */
/* 孤儿 and 事实无人抚养儿童 assessment: each parent's situation (gone, or a
 * de-facto condition), the kind, age and 户籍, the standard by placement,
 * and 补差 for a de-facto unsupported child. Every rule writes one
 * explanation line. */
#include "domain/children.h"

#include <string.h>

#include "domain/engine.h"

#define ORPHAN "国办发〔2010〕54号"
#define DEFACTO "民发〔2019〕62号"

#define ENGINE_RULES "domain/children_rules.def"
#include "domain/rule_table.h"

#undef ORPHAN
#undef DEFACTO

static int
params_ok(const struct children_params *p)
{
    return engine_standard_ok(p->orphan_standard_institutional_fen) &&
           engine_standard_ok(p->orphan_standard_scattered_fen) &&
           engine_range_ok(p->orphan_max_age, 1, 200) &&
           engine_flag_ok(p->orphan_student_extension) &&
           engine_standard_ok(p->defacto_standard_fen) &&
           engine_money_ok(p->defacto_standard_institutional_fen) &&
           engine_months_ok(p->defacto_condition_min_months);
}

static int
parent_ok(const struct child_parent *pa)
{
    return engine_disability_ok((int)pa->disability_category,
                                pa->disability_grade) &&
           engine_enum_ok((int)pa->custody, CHILD_CUSTODY__COUNT) &&
           engine_months_ok(pa->custody_months) &&
           engine_months_ok(pa->lost_contact_months);
}

static int
applicant_ok(const struct child_applicant *c)
{
    return engine_enum_ok((int)c->schooling, HH_SCHOOL__COUNT) &&
           engine_range_ok((int)c->placement, CHILD_SCATTERED,
                           CHILD_INSTITUTIONAL) &&
           parent_ok(&c->parents[0]) && parent_ok(&c->parents[1]) &&
           engine_money_ok(c->dibao_share_fen) &&
           engine_money_ok(c->tekun_fen) &&
           engine_money_ok(c->disability_living_fen);
}

int
children_parent_condition(const struct child_parent *pa, int min_months)
{
    enum hh_disability cat = pa->disability_category;
    int g = pa->disability_grade;
    /* 重残: grade 1–2, or grade 3–4 mental or intellectual */
    int severe = cat != HH_DIS_NONE &&
                 ((g >= 1 && g <= 2) ||
                  ((cat == HH_DIS_MENTAL || cat == HH_DIS_INTELLECTUAL) &&
                   g >= 3 && g <= 4));
    /* custody and 失联 must last ≥ 6 months (the parameter) */
    int custody =
        pa->custody != CHILD_CUSTODY_NONE && pa->custody_months >= min_months;
    int lost =
        pa->lost_contact_months > 0 && pa->lost_contact_months >= min_months;
    return severe || pa->serious_illness || custody || lost;
}

static int
parent_gone(const struct child_parent *pa)
{
    return pa->dead || pa->declared_missing;
}

enum dd_status
children_assess(const struct child_applicant *c,
                const struct children_params *p, int y, int m, int d,
                int member, struct children_result *out, struct explain *ex)
{
    if (!engine_start(out, sizeof(*out),
                      c != NULL && p != NULL && params_ok(p) &&
                          applicant_ok(c) && member >= -1))
        return DD_EINVAL;
    int age = hh_age_years(c->birth_y, c->birth_m, c->birth_d, y, m, d);
    if (age < 0)
        return DD_EINVAL;
    out->age = age;

    struct explain_line *l;
    int gone[2], cond[2];
    for (int i = 0; i < 2; i++) {
        const struct child_parent *pa = &c->parents[i];
        gone[i] = parent_gone(pa);
        cond[i] = !gone[i] && children_parent_condition(
                                  pa, p->defacto_condition_min_months);
        l = explain_add(ex,
                        gone[i]   ? &rules[R_PARENT_GONE]
                        : cond[i] ? &rules[R_PARENT_COND]
                                  : &rules[R_PARENT_NONE],
                        EXPLAIN_INFO, member, 0);
        explain_value_add(l, EXPLAIN_N_RELATION, HH_REL_PARENT);
        explain_value_add(l, EXPLAIN_N_GRADE, pa->disability_grade);
        explain_value_add(l, EXPLAIN_N_MONTHS,
                          pa->custody != CHILD_CUSTODY_NONE
                              ? pa->custody_months
                              : pa->lost_contact_months);
        explain_value_add(l, EXPLAIN_N_PERIOD, p->defacto_condition_min_months);
    }

    enum children_decision decision = CHILDREN_NOT_ELIGIBLE;
    if (gone[0] && gone[1]) {
        out->kind = CHILDREN_ORPHAN;
        explain_add(ex, &rules[R_ORPHAN], EXPLAIN_PASS, member, 0);
    } else if ((cond[0] || gone[0]) && (cond[1] || gone[1])) {
        /* both meet a condition, or one gone and the other meets one */
        out->kind = CHILDREN_DEFACTO;
        explain_add(ex, &rules[R_DEFACTO], EXPLAIN_PASS, member, 0);
    } else {
        explain_add(ex, &rules[R_NEITHER], EXPLAIN_FAIL, member, 0);
        goto total;
    }

    /* age: under orphan.max_age; an orphan of that age or more still in
     * 中学 or 中职 when the extension is in force */
    int under = age < p->orphan_max_age;
    int student =
        c->schooling == HH_SCHOOL_COMPULSORY || c->schooling == HH_SCHOOL_HIGH;
    int extended = !under && out->kind == CHILDREN_ORPHAN &&
                   p->orphan_student_extension && student;
    l = explain_add(ex, extended ? &rules[R_AGE_STUDENT] : &rules[R_AGE],
                    under || extended ? EXPLAIN_PASS : EXPLAIN_FAIL, member, 0);
    explain_value_add(l, EXPLAIN_N_AGE, age);
    explain_value_add(l, EXPLAIN_N_MAX_COUNT, p->orphan_max_age);
    explain_add(ex, &rules[R_HUKOU],
                c->hukou_local ? EXPLAIN_PASS : EXPLAIN_FAIL, member, 0);
    if (!(under || extended) || !c->hukou_local)
        goto total;

    int inst = c->placement == CHILD_INSTITUTIONAL;
    const struct explain_rule *std_rule;
    if (out->kind == CHILDREN_ORPHAN) {
        out->standard_fen = inst ? p->orphan_standard_institutional_fen
                                 : p->orphan_standard_scattered_fen;
        std_rule = inst ? &rules[R_STD_ORPHAN_INST] : &rules[R_STD_ORPHAN_SCAT];
    } else if (inst && p->defacto_standard_institutional_fen > 0) {
        out->standard_fen = p->defacto_standard_institutional_fen;
        std_rule = &rules[R_STD_DEFACTO_INST];
    } else {
        out->standard_fen = p->defacto_standard_fen;
        std_rule = &rules[R_STD_DEFACTO];
    }
    l = explain_add(ex, std_rule, EXPLAIN_INFO, member, 0);
    explain_value_add(l, EXPLAIN_N_STANDARD, out->standard_fen);
    explain_value_add(l, EXPLAIN_N_FLAG, inst);

    decision = CHILDREN_ELIGIBLE;
    int64_t fen;
    if (out->kind == CHILDREN_ORPHAN) {
        fen = out->standard_fen;
        if (c->tekun_fen > 0) {
            l = explain_add(ex, &rules[R_ORPHAN_TEKUN], EXPLAIN_REVIEW, member,
                            0);
            explain_value_add(l, EXPLAIN_N_INCOME, c->tekun_fen);
            decision = CHILDREN_REVIEW;
        }
        if (c->disability_living_fen > 0) {
            l = explain_add(ex, &rules[R_ORPHAN_LIVING], EXPLAIN_INFO, member,
                            0);
            explain_value_add(l, EXPLAIN_N_INCOME, c->disability_living_fen);
        }
        out->parts[0].kind = CHILDREN_PART_FULL;
        l = explain_add(ex, &rules[R_FULL], EXPLAIN_AMOUNT, member, fen);
        explain_value_add(l, EXPLAIN_N_STANDARD, out->standard_fen);
    } else {
        int64_t other =
            c->dibao_share_fen + c->tekun_fen + c->disability_living_fen;
        out->other_benefits_fen = other;
        if (other > 0) {
            const int64_t got[3] = {c->dibao_share_fen, c->tekun_fen,
                                    c->disability_living_fen};
            const struct explain_rule *const why[3] = {&rules[R_OTHER_DIBAO],
                                                       &rules[R_OTHER_TEKUN],
                                                       &rules[R_OTHER_LIVING]};
            for (int i = 0; i < 3; i++) {
                if (got[i] <= 0)
                    continue;
                l = explain_add(ex, why[i], EXPLAIN_INFO, member, 0);
                explain_value_add(l, EXPLAIN_N_INCOME, got[i]);
            }
            out->top_up = 1;
            fen = other < out->standard_fen ? out->standard_fen - other : 0;
            out->parts[0].kind = CHILDREN_PART_TOP_UP;
            l = explain_add(ex, &rules[R_TOP_UP], EXPLAIN_AMOUNT, member, fen);
            explain_value_add(l, EXPLAIN_N_STANDARD, out->standard_fen);
            explain_value_add(l, EXPLAIN_N_AMOUNT, other);
        } else {
            fen = out->standard_fen;
            out->parts[0].kind = CHILDREN_PART_FULL;
            l = explain_add(ex, &rules[R_FULL], EXPLAIN_AMOUNT, member, fen);
            explain_value_add(l, EXPLAIN_N_STANDARD, out->standard_fen);
        }
    }
    out->amount_fen = fen;
    out->parts[0].amount_fen = fen;
    out->part_count = fen > 0 ? 1 : 0;

total:
    out->decision = decision;
    l = explain_add(ex, &rules[R_TOTAL],
                    decision == CHILDREN_ELIGIBLE ? EXPLAIN_PASS
                    : decision == CHILDREN_REVIEW ? EXPLAIN_REVIEW
                                                  : EXPLAIN_FAIL,
                    member, 0);
    explain_value_add(l, EXPLAIN_N_CATEGORY, out->kind);
    explain_value_add(l, EXPLAIN_N_AMOUNT, out->amount_fen);
    return DD_OK;
}
