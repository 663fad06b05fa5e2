/* SPDX-License-Identifier: MIT */
/* 残疾人两项补贴 assessment for one person: the card and 户籍, the living
 * subsidy's household test and child exclusions, the care subsidy's grade
 * and long-term-care tests and the 工伤 choice. Every rule writes one
 * explanation line. */
#include "domain/disability.h"

#include <string.h>

#include "domain/engine.h"

#define R(name, id_, clause_, en_, zh_)                                        \
    static const struct explain_rule name = {id_, clause_, en_, zh_}

#define GF "国发〔2015〕52号 "

R(R_CARD, "disability.card", GF "; 重庆 (荣昌 2022): 第二代残疾人证",
  "Holds a valid 2nd-generation disability card", "持有效第二代残疾人证");
R(R_HUKOU, "disability.hukou", GF "; 重庆 (荣昌 2022): 重庆户籍",
  "Chongqing 户籍", "具有重庆户籍");
R(R_LIVING_DIBAO, "disability.living.dibao_family", GF "(困难残疾人生活补贴)",
  "Living subsidy: disabled person in a dibao family",
  "生活补贴：低保家庭中的残疾人");
R(R_LIVING_NEAR_POOR, "disability.living.near_poor_family",
  GF "(可扩大到低收入残疾人); 重庆 (荣昌 2022): 低收入边缘残疾家庭; "
     "parameter disability.living_subsidy.near_poor",
  "Living subsidy: disabled person in a near-dibao family",
  "生活补贴：低保边缘家庭中的残疾人");
R(R_LIVING_TEKUN, "disability.living.tekun",
  "domain.md §4 silent on 特困 persons: caseworker decides",
  "Living subsidy for a 特困 person: to decide",
  "特困人员申领生活补贴：需人工审核");
R(R_LIVING_HOUSEHOLD_NO, "disability.living.household",
  GF "(困难残疾人生活补贴: 低保家庭)",
  "Living subsidy: not in a qualifying household",
  "生活补贴：非符合条件的家庭");
R(R_LIVING_ORPHAN, "disability.living.orphan_excluded",
  "domain.md §4 (享受孤儿基本生活保障的残疾儿童不享受生活补贴)",
  "No living subsidy: child under orphan protection",
  "享受孤儿基本生活保障的残疾儿童不享受生活补贴");
R(R_LIVING_DEFACTO, "disability.living.defacto_excluded",
  "民发〔2019〕62号 (全额领取事实无人抚养儿童补贴的不享受生活补贴)",
  "No living subsidy: child on the full de-facto-unsupported subsidy",
  "全额领取事实无人抚养儿童基本生活补贴的不享受生活补贴");
R(R_LIVING, "disability.living_subsidy", GF "; 重庆 2022-10-01 (80元)",
  "困难残疾人生活补贴", "困难残疾人生活补贴");
R(R_CARE_GRADE, "disability.care.grade",
  GF "(一级、二级); 重庆 (荣昌 2022): 三级、四级智力和精神残疾",
  "Care subsidy: grade 1–2, or grade 3–4 intellectual/mental",
  "护理补贴：一、二级，或三、四级智力、精神残疾");
R(R_CARE_LONG_TERM, "disability.care.long_term", GF "(长期照护 ≥6个月)",
  "Care subsidy: long-term care needed (at least the set months)",
  "护理补贴：需长期照护（不少于规定月数）");
R(R_CARE_G34_RATE, "disability.care.grade34_rate_assumed",
  "domain.md §4, §10 item 8: grade 3–4 rate NOT FOUND, grade-2 rate assumed "
  "(disability.care_subsidy.grade34_mental)",
  "Grade 3–4 intellectual/mental rate: NOT FOUND, the grade-2 rate assumed",
  "三、四级智力、精神残疾护理补贴标准未查到，暂按二级标准");
R(R_WORK_INJURY_KEEP, "disability.care.work_injury_higher",
  "domain.md §4 (工伤生活护理费 择高享受, L)",
  "工伤 care allowance is at least the care subsidy: keeps the allowance",
  "工伤生活护理费不低于护理补贴：择高享受工伤待遇");
R(R_WORK_INJURY_FORGO, "disability.care.work_injury_lower",
  "domain.md §4 (工伤生活护理费 择高享受, L)",
  "Care subsidy higher than the 工伤 allowance: the allowance stops",
  "护理补贴高于工伤生活护理费：择高享受护理补贴");
R(R_CARE, "disability.care_subsidy",
  GF "; 重庆 2022-10-01 (一级90元, 二级80元)", "重度残疾人护理补贴",
  "重度残疾人护理补贴");
R(R_TOTAL, "disability.total", GF "(两项补贴可同时享受)",
  "两项补贴 monthly amount", "两项补贴月金额");

#undef R
#undef GF

static int
params_ok(const struct disability_params *p)
{
    return engine_money_ok(p->living_subsidy_fen) &&
           engine_money_ok(p->care_subsidy_grade1_fen) &&
           engine_money_ok(p->care_subsidy_grade2_fen) &&
           engine_money_ok(p->care_subsidy_grade34_mental_fen) &&
           engine_range_ok(p->long_term_care_months, 0, 1200) &&
           engine_range_ok(p->living_subsidy_near_poor, 0, 1);
}

static int
applicant_ok(const struct disability_applicant *a)
{
    return engine_disability_ok((int)a->category, a->grade) &&
           engine_range_ok((int)a->household, 0, DISABILITY_HH__COUNT - 1) &&
           engine_range_ok(a->care_months, 0, 1200) &&
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

static enum explain_result
pass_fail(int ok)
{
    return ok ? EXPLAIN_PASS : EXPLAIN_FAIL;
}

static enum disability_decision
living_assess(const struct disability_applicant *a,
              const struct disability_params *p, int member, struct explain *ex)
{
    struct explain_line *l;
    switch (a->household) {
    case DISABILITY_HH_DIBAO:
        explain_add(ex, &R_LIVING_DIBAO, EXPLAIN_PASS, member, 0);
        break;
    case DISABILITY_HH_NEAR_POOR:
        l = explain_add(ex, &R_LIVING_NEAR_POOR,
                        pass_fail(p->living_subsidy_near_poor), member, 0);
        explain_value_add(l, EXPLAIN_N_FLAG, p->living_subsidy_near_poor);
        if (!p->living_subsidy_near_poor)
            return DISABILITY_NOT_ELIGIBLE;
        break;
    case DISABILITY_HH_TEKUN: break; /* after the child exclusions */
    default:
        explain_add(ex, &R_LIVING_HOUSEHOLD_NO, EXPLAIN_FAIL, member, 0);
        return DISABILITY_NOT_ELIGIBLE;
    }
    if (a->orphan_protected) {
        explain_add(ex, &R_LIVING_ORPHAN, EXPLAIN_FAIL, member, 0);
        return DISABILITY_NOT_ELIGIBLE;
    }
    if (a->defacto_full_subsidy) {
        explain_add(ex, &R_LIVING_DEFACTO, EXPLAIN_FAIL, member, 0);
        return DISABILITY_NOT_ELIGIBLE;
    }
    if (a->household == DISABILITY_HH_TEKUN) {
        explain_add(ex, &R_LIVING_TEKUN, EXPLAIN_REVIEW, member, 0);
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
    struct explain_line *l =
        explain_add(ex, &R_CARE_GRADE, pass_fail(grade_ok), member, 0);
    explain_value_add(l, EXPLAIN_N_CATEGORY, a->category);
    explain_value_add(l, EXPLAIN_N_GRADE, a->grade);
    if (!grade_ok)
        return DISABILITY_NOT_ELIGIBLE;
    /* 长期照护: care lasting at least the set months */
    int long_term =
        a->care_months > 0 && a->care_months >= p->long_term_care_months;
    l = explain_add(ex, &R_CARE_LONG_TERM, pass_fail(long_term), member, 0);
    explain_value_add(l, EXPLAIN_N_MONTHS, a->care_months);
    explain_value_add(l, EXPLAIN_N_PERIOD, p->long_term_care_months);
    if (!long_term)
        return DISABILITY_NOT_ELIGIBLE;
    if (a->grade >= 3) {
        l = explain_add(ex, &R_CARE_G34_RATE, EXPLAIN_INFO, member, 0);
        explain_value_add(l, EXPLAIN_N_STANDARD, rate);
    }
    if (a->work_injury_care_fen > 0) {
        int keep = a->work_injury_care_fen >= rate;
        l = explain_add(ex, keep ? &R_WORK_INJURY_KEEP : &R_WORK_INJURY_FORGO,
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
    if (out == NULL)
        return DD_EINVAL;
    memset(out, 0, sizeof(*out));
    if (a == NULL || p == NULL || !params_ok(p) || !applicant_ok(a) ||
        member < -1)
        return DD_EINVAL;

    int disabled = a->category != HH_DIS_NONE;
    struct explain_line *l = explain_add(
        ex, &R_CARD, pass_fail(disabled && a->card_valid), member, 0);
    explain_value_add(l, EXPLAIN_N_CATEGORY, a->category);
    explain_value_add(l, EXPLAIN_N_GRADE, a->grade);
    explain_add(ex, &R_HUKOU, pass_fail(a->hukou_local), member, 0);
    if (disabled && a->card_valid && a->hukou_local) {
        out->living = living_assess(a, p, member, ex);
        int64_t care_fen = 0;
        out->care = care_assess(a, p, member, out, ex, &care_fen);
        if (out->living != DISABILITY_NOT_ELIGIBLE) {
            out->living_fen = p->living_subsidy_fen;
            part_add(out, DISABILITY_PART_LIVING, out->living_fen);
            explain_add(ex, &R_LIVING, EXPLAIN_AMOUNT, member, out->living_fen);
        }
        if (out->care != DISABILITY_NOT_ELIGIBLE) {
            out->care_fen = care_fen;
            part_add(out, DISABILITY_PART_CARE, care_fen);
            l = explain_add(ex, &R_CARE, EXPLAIN_AMOUNT, member, care_fen);
            explain_value_add(l, EXPLAIN_N_GRADE, a->grade);
        }
    }
    enum explain_result res =
        out->living == DISABILITY_ELIGIBLE || out->care == DISABILITY_ELIGIBLE
            ? EXPLAIN_PASS
        : out->living == DISABILITY_REVIEW ? EXPLAIN_REVIEW
                                           : EXPLAIN_FAIL;
    l = explain_add(ex, &R_TOTAL, res, member, 0);
    explain_value_add(l, EXPLAIN_N_AMOUNT, out->amount_fen);
    return DD_OK;
}
