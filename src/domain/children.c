/* SPDX-License-Identifier: MIT */
/* 孤儿 and 事实无人抚养儿童 assessment: each parent's situation (gone, or a
 * de-facto condition), the kind, age and 户籍, the standard by placement,
 * and 补差 for a de-facto unsupported child. Every rule writes one
 * explanation line. */
#include "domain/children.h"

#include <string.h>

#include "domain/engine.h"

#define R(name, id_, clause_, en_, zh_)                                        \
    static const struct explain_rule name = {id_, clause_, en_, zh_}

#define ORPHAN "国办发〔2010〕54号"
#define DEFACTO "民发〔2019〕62号"

R(R_PARENT_GONE, "children.parent.dead_or_missing",
  DEFACTO " (死亡: 自然死亡或人民法院宣告死亡; 失踪: 人民法院宣告失踪)",
  "Parent dead or declared missing", "父（母）死亡或宣告失踪");
R(R_PARENT_COND, "children.parent.condition",
  DEFACTO " (重残、重病、服刑在押、强制隔离戒毒、限制人身自由、失联)",
  "Parent severely disabled, seriously ill, in custody or out of contact "
  "(≥ the set months)",
  "父（母）重残、重病、服刑在押、强制隔离戒毒、被限制人身自由或失联");
R(R_PARENT_NONE, "children.parent.able", DEFACTO,
  "Parent meets none of the conditions", "父（母）不符合任何情形");
R(R_ORPHAN, "children.orphan",
  ORPHAN " (失去父母、查找不到生父母); 重庆 渝民发〔2010〕184号",
  "Orphan: both parents dead or declared missing",
  "孤儿：父母双方死亡或宣告失踪");
R(R_DEFACTO, "children.defacto",
  DEFACTO " (父母双方均符合情形，或一方死亡失踪、另一方符合情形)",
  "De-facto unsupported: both parents meet a condition, or one is gone and "
  "the other meets one",
  "事实无人抚养：父母双方均符合情形，或一方死亡、失踪，另一方符合情形");
R(R_NEITHER, "children.neither", ORPHAN "; " DEFACTO,
  "Neither an orphan nor de-facto unsupported", "不属于孤儿或事实无人抚养儿童");
R(R_AGE, "children.age", ORPHAN " (未满18周岁); " DEFACTO,
  "Under the maximum age", "未满规定年龄");
R(R_AGE_STUDENT, "children.age.student_extension",
  "重庆 (黔江 2024): 年满18周岁仍在中学、中职就读; parameter "
  "orphan.student_extension",
  "Orphan aged 18 or over still in secondary school",
  "年满18周岁仍在中学、中职就读的孤儿");
R(R_HUKOU, "children.hukou", ORPHAN "; " DEFACTO " (户籍所在地申请、发放)",
  "Chongqing 户籍", "具有重庆户籍");
R(R_STD_ORPHAN_INST, "children.standard.orphan_institutional",
  ORPHAN " (集中供养); 重庆标准 (渝民规〔2025〕6号 等)",
  "Orphan standard: institutional", "孤儿基本生活保障标准：集中供养");
R(R_STD_ORPHAN_SCAT, "children.standard.orphan_scattered",
  ORPHAN " (散居); 重庆标准 (渝民规〔2025〕6号 等)",
  "Orphan standard: scattered", "孤儿基本生活保障标准：散居");
R(R_STD_DEFACTO, "children.standard.defacto",
  DEFACTO " (参照孤儿标准); 重庆标准", "De-facto unsupported child standard",
  "事实无人抚养儿童基本生活补贴标准");
R(R_STD_DEFACTO_INST, "children.standard.defacto_institutional",
  "渝民规〔2025〕6号 (机构内事实无人抚养儿童按集中供养孤儿标准)",
  "De-facto unsupported child in an institution: institutional standard",
  "机构内事实无人抚养儿童：按集中供养孤儿标准");
R(R_ORPHAN_TEKUN, "children.orphan.tekun_choice",
  "特困人员认定办法 第九条 (选择孤儿或特困保障)",
  "Orphan also supported as 特困: must choose one scheme",
  "孤儿同时为特困人员：须选择其一");
R(R_ORPHAN_LIVING, "children.orphan.living_subsidy_stops",
  "domain.md §4 (享受孤儿保障的残疾儿童不享受困难残疾人生活补贴)",
  "The disability living subsidy stops once orphan protection is paid",
  "享受孤儿保障后停发困难残疾人生活补贴");
R(R_FULL, "children.full", ORPHAN "; " DEFACTO, "Paid the standard in full",
  "按标准全额发放");
R(R_OTHER_DIBAO, "children.defacto.has_dibao", DEFACTO " (补差)",
  "Already receives a 低保 share", "已享受低保（人均份额）");
R(R_OTHER_TEKUN, "children.defacto.has_tekun", DEFACTO " (补差)",
  "Already receives 特困 support", "已享受特困人员救助供养");
R(R_OTHER_LIVING, "children.defacto.has_living_subsidy", DEFACTO " (补差)",
  "Already receives the disability living subsidy", "已享受困难残疾人生活补贴");
R(R_TOP_UP, "children.defacto.top_up", DEFACTO " (低于补贴标准的，补差发放)",
  "Top-up: standard − benefits already received (not below 0)",
  "补差：标准−已享受待遇（不低于0）");
R(R_TOTAL, "children.total", ORPHAN "; " DEFACTO,
  "Child protection decision and monthly amount", "儿童保障结论及月金额");

#undef R
#undef ORPHAN
#undef DEFACTO

static int
params_ok(const struct children_params *p)
{
    return p->orphan_standard_institutional_fen > 0 &&
           engine_money_ok(p->orphan_standard_institutional_fen) &&
           p->orphan_standard_scattered_fen > 0 &&
           engine_money_ok(p->orphan_standard_scattered_fen) &&
           engine_range_ok(p->orphan_max_age, 1, 200) &&
           engine_range_ok(p->orphan_student_extension, 0, 1) &&
           p->defacto_standard_fen > 0 &&
           engine_money_ok(p->defacto_standard_fen) &&
           engine_money_ok(p->defacto_standard_institutional_fen) &&
           engine_range_ok(p->defacto_condition_min_months, 0, 1200);
}

static int
parent_ok(const struct child_parent *pa)
{
    return engine_disability_ok((int)pa->disability_category,
                                pa->disability_grade) &&
           engine_range_ok((int)pa->custody, 0, CHILD_CUSTODY__COUNT - 1) &&
           engine_range_ok(pa->custody_months, 0, 1200) &&
           engine_range_ok(pa->lost_contact_months, 0, 1200);
}

static int
applicant_ok(const struct child_applicant *c)
{
    return engine_range_ok((int)c->schooling, 0, HH_SCHOOL__COUNT - 1) &&
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
    if (out == NULL)
        return DD_EINVAL;
    memset(out, 0, sizeof(*out));
    if (c == NULL || p == NULL || !params_ok(p) || !applicant_ok(c) ||
        member < -1)
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
                        gone[i]   ? &R_PARENT_GONE
                        : cond[i] ? &R_PARENT_COND
                                  : &R_PARENT_NONE,
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
        explain_add(ex, &R_ORPHAN, EXPLAIN_PASS, member, 0);
    } else if ((cond[0] || gone[0]) && (cond[1] || gone[1])) {
        /* both meet a condition, or one gone and the other meets one */
        out->kind = CHILDREN_DEFACTO;
        explain_add(ex, &R_DEFACTO, EXPLAIN_PASS, member, 0);
    } else {
        explain_add(ex, &R_NEITHER, EXPLAIN_FAIL, member, 0);
        goto total;
    }

    /* age: under orphan.max_age; an orphan of that age or more still in
     * 中学 or 中职 when the extension is in force */
    int under = age < p->orphan_max_age;
    int student =
        c->schooling == HH_SCHOOL_COMPULSORY || c->schooling == HH_SCHOOL_HIGH;
    int extended = !under && out->kind == CHILDREN_ORPHAN &&
                   p->orphan_student_extension && student;
    l = explain_add(ex, extended ? &R_AGE_STUDENT : &R_AGE,
                    under || extended ? EXPLAIN_PASS : EXPLAIN_FAIL, member, 0);
    explain_value_add(l, EXPLAIN_N_AGE, age);
    explain_value_add(l, EXPLAIN_N_MAX_COUNT, p->orphan_max_age);
    explain_add(ex, &R_HUKOU, c->hukou_local ? EXPLAIN_PASS : EXPLAIN_FAIL,
                member, 0);
    if (!(under || extended) || !c->hukou_local)
        goto total;

    int inst = c->placement == CHILD_INSTITUTIONAL;
    const struct explain_rule *std_rule;
    if (out->kind == CHILDREN_ORPHAN) {
        out->standard_fen = inst ? p->orphan_standard_institutional_fen
                                 : p->orphan_standard_scattered_fen;
        std_rule = inst ? &R_STD_ORPHAN_INST : &R_STD_ORPHAN_SCAT;
    } else if (inst && p->defacto_standard_institutional_fen > 0) {
        out->standard_fen = p->defacto_standard_institutional_fen;
        std_rule = &R_STD_DEFACTO_INST;
    } else {
        out->standard_fen = p->defacto_standard_fen;
        std_rule = &R_STD_DEFACTO;
    }
    l = explain_add(ex, std_rule, EXPLAIN_INFO, member, 0);
    explain_value_add(l, EXPLAIN_N_STANDARD, out->standard_fen);
    explain_value_add(l, EXPLAIN_N_FLAG, inst);

    decision = CHILDREN_ELIGIBLE;
    int64_t fen;
    if (out->kind == CHILDREN_ORPHAN) {
        fen = out->standard_fen;
        if (c->tekun_fen > 0) {
            l = explain_add(ex, &R_ORPHAN_TEKUN, EXPLAIN_REVIEW, member, 0);
            explain_value_add(l, EXPLAIN_N_INCOME, c->tekun_fen);
            decision = CHILDREN_REVIEW;
        }
        if (c->disability_living_fen > 0) {
            l = explain_add(ex, &R_ORPHAN_LIVING, EXPLAIN_INFO, member, 0);
            explain_value_add(l, EXPLAIN_N_INCOME, c->disability_living_fen);
        }
        out->parts[0].kind = CHILDREN_PART_FULL;
        l = explain_add(ex, &R_FULL, EXPLAIN_AMOUNT, member, fen);
        explain_value_add(l, EXPLAIN_N_STANDARD, out->standard_fen);
    } else {
        int64_t other =
            c->dibao_share_fen + c->tekun_fen + c->disability_living_fen;
        out->other_benefits_fen = other;
        if (other > 0) {
            const int64_t got[3] = {c->dibao_share_fen, c->tekun_fen,
                                    c->disability_living_fen};
            const struct explain_rule *const why[3] = {
                &R_OTHER_DIBAO, &R_OTHER_TEKUN, &R_OTHER_LIVING};
            for (int i = 0; i < 3; i++) {
                if (got[i] <= 0)
                    continue;
                l = explain_add(ex, why[i], EXPLAIN_INFO, member, 0);
                explain_value_add(l, EXPLAIN_N_INCOME, got[i]);
            }
            out->top_up = 1;
            fen = other < out->standard_fen ? out->standard_fen - other : 0;
            out->parts[0].kind = CHILDREN_PART_TOP_UP;
            l = explain_add(ex, &R_TOP_UP, EXPLAIN_AMOUNT, member, fen);
            explain_value_add(l, EXPLAIN_N_STANDARD, out->standard_fen);
            explain_value_add(l, EXPLAIN_N_AMOUNT, other);
        } else {
            fen = out->standard_fen;
            out->parts[0].kind = CHILDREN_PART_FULL;
            l = explain_add(ex, &R_FULL, EXPLAIN_AMOUNT, member, fen);
            explain_value_add(l, EXPLAIN_N_STANDARD, out->standard_fen);
        }
    }
    out->amount_fen = fen;
    out->parts[0].amount_fen = fen;
    out->part_count = fen > 0 ? 1 : 0;

total:
    out->decision = decision;
    l = explain_add(ex, &R_TOTAL,
                    decision == CHILDREN_ELIGIBLE ? EXPLAIN_PASS
                    : decision == CHILDREN_REVIEW ? EXPLAIN_REVIEW
                                                  : EXPLAIN_FAIL,
                    member, 0);
    explain_value_add(l, EXPLAIN_N_CATEGORY, out->kind);
    explain_value_add(l, EXPLAIN_N_AMOUNT, out->amount_fen);
    return DD_OK;
}
