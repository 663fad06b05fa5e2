/* SPDX-License-Identifier: MIT */
/* 残疾人两项补贴 for one disabled person: the 困难残疾人生活补贴 (living
 * subsidy) and the 重度残疾人护理补贴 (care subsidy) of 国发〔2015〕52号 as
 * Chongqing applies them (domain.md §4), monthly, amounts from the
 * disability.* keys. Pure: no I/O, no allocation. */
#ifndef DD_DISABILITY_H
#define DD_DISABILITY_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "domain/explain.h"
#include "domain/household.h"

/* Policy keys the engine reads, one per field below. Values in brackets
 * are the seed's from 2022-10-01.
 *
 *   disability.living_subsidy                 fen/month [8000]
 *   disability.care_subsidy.grade1            fen/month [9000]
 *   disability.care_subsidy.grade2            fen/month [8000]
 *   disability.care_subsidy.grade34_mental    fen/month [8000; NOT FOUND,
 *                                             the grade-2 rate assumed]
 *   disability.long_term_care_months          months [6]
 *   disability.living_subsidy.near_poor       0/1 [NOT SEEDED; 1: the
 *                                             Chongqing (Rongchang) page
 *                                             lists 低收入边缘残疾家庭]
 */
/* Where domain.md is silent, the engine chooses:
 *  - Both subsidies need a valid 2nd-generation 残疾人证 and Chongqing
 *    户籍 (§4 Chongqing eligibility names both for the living subsidy;
 *    the care subsidy is applied for at the 户籍 township too).
 *  - Living subsidy: any category and grade 1–4 in a 低保 family; in a
 *    低保边缘 family when disability.living_subsidy.near_poor is 1. A
 *    特困 person is not named by §4: REVIEW, with the subsidy as an
 *    indication. Not paid to a child under orphan protection or on the
 *    full 事实无人抚养 subsidy (§4, §5).
 *  - Care subsidy: grade 1 or 2 of any category, or grade 3–4
 *    intellectual or mental (Chongqing extension; 多重 3–4 is not
 *    included), needing long-term care for at least
 *    disability.long_term_care_months. Not means-tested.
 *  - 工伤 care allowance ("choose the higher", L): when the allowance is
 *    at least the care subsidy, no care subsidy; when lower, the care
 *    subsidy is paid and forgo_work_injury_care says the allowance stops.
 */
struct disability_params {
    int64_t living_subsidy_fen;      /* disability.living_subsidy */
    int64_t care_subsidy_grade1_fen; /* disability.care_subsidy.grade1 */
    int64_t care_subsidy_grade2_fen; /* disability.care_subsidy.grade2 */
    int64_t care_subsidy_grade34_mental_fen; /* disability.care_subsidy.
                                                grade34_mental */
    int long_term_care_months;    /* disability.long_term_care_months */
    int living_subsidy_near_poor; /* disability.living_subsidy.near_poor */
};

/* The household situation that qualifies for the living subsidy. */
enum disability_household {
    DISABILITY_HH_OTHER = 0, /* none of the below */
    DISABILITY_HH_DIBAO,     /* a member of a 低保 family */
    DISABILITY_HH_NEAR_POOR, /* a member of a 低保边缘 family */
    DISABILITY_HH_TEKUN,     /* supported as 特困 */
    DISABILITY_HH__COUNT
};

struct disability_applicant {
    enum hh_disability category; /* as on the 残疾人证 */
    int grade;                   /* 1..4 (0 with HH_DIS_NONE) */
    int card_valid;              /* holds a valid 2nd-generation 残疾人证 */
    int hukou_local;             /* Chongqing 户籍 */
    enum disability_household household;
    int care_months;      /* assessed length of the care need, months; 0 none */
    int orphan_protected; /* a child under orphan protection */
    int defacto_full_subsidy; /* a child on the full 事实无人抚养 subsidy */
    int64_t work_injury_care_fen; /* 工伤 生活护理费, monthly; 0 none */
};

enum disability_decision {
    DISABILITY_NOT_ELIGIBLE = 0,
    DISABILITY_ELIGIBLE,
    DISABILITY_REVIEW, /* a caseworker must decide; amount indicative */
};

enum disability_part_kind {
    DISABILITY_PART_LIVING = 0, /* 困难残疾人生活补贴 */
    DISABILITY_PART_CARE,       /* 重度残疾人护理补贴 */
};

struct disability_part {
    enum disability_part_kind kind;
    int64_t amount_fen;
};

#define DISABILITY_MAX_PARTS 2

struct disability_result {
    enum disability_decision living; /* the living subsidy */
    enum disability_decision care;   /* the care subsidy */
    int64_t living_fen;              /* 0 unless living is not NOT_ELIGIBLE */
    int64_t care_fen;                /* 0 unless care is not NOT_ELIGIBLE */
    int forgo_work_injury_care;      /* the 工伤 allowance stops */
    int64_t amount_fen;              /* living + care, monthly */
    size_t part_count;
    struct disability_part parts[DISABILITY_MAX_PARTS]; /* sum == amount */
};

/* Assesses both subsidies for a under p (both may be received together,
 * 国发〔2015〕52号). Writes *out (zeroed first). ex may be NULL; when given
 * (explain_init'ed) its amount lines add up to out->amount_fen; member is
 * the index written on the lines (-1 for none). DD_EINVAL for NULL
 * arguments, an enum out of range, a grade inconsistent with the
 * category, care_months outside 0..1200, money outside [0, HH_MONEY_MAX],
 * or parameters out of range. */
DD_WUR enum dd_status disability_assess(const struct disability_applicant *a,
                                        const struct disability_params *p,
                                        int member,
                                        struct disability_result *out,
                                        struct explain *ex);

/* The care-subsidy rate for a category and grade under p (0 when neither
 * grade 1–2 nor grade 3–4 intellectual/mental); for tests and previews. */
int64_t disability_care_rate(enum hh_disability category, int grade,
                             const struct disability_params *p);

#endif
