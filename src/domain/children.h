/* SPDX-License-Identifier: MIT */
/* 孤儿 (orphan) recognition and the 事实无人抚养儿童 (de-facto unsupported
 * child) subsidy for one child, domain.md §5: the parents' situations,
 * age, the institutional or scattered standard, and for a de-facto
 * unsupported child the 补差 (top-up) against the benefits the child
 * already receives. Pure: no I/O, no allocation. */
#ifndef DD_CHILDREN_H
#define DD_CHILDREN_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "domain/explain.h"
#include "domain/household.h"

/* Policy keys the engine reads, one per field below. Values in brackets
 * are the seed's from 2025-07-01.
 *
 *   orphan.standard.institutional      fen/month [185100]
 *   orphan.standard.scattered          fen/month [165100]
 *   orphan.max_age                     years [18: under 18]
 *   orphan.student_extension           0/1 [NOT SEEDED; 1: Chongqing
 *                                      (Qianjiang 2024): 18 or older and
 *                                      still in 中学 or 中职]
 *   defacto.standard                   fen/month [165100]
 *   defacto.standard.institutional     fen/month [185100; none before
 *                                      2025-07-01: 0 = use defacto.standard]
 *   defacto.condition_min_months       months [NOT SEEDED; 6: 民发〔2019〕
 *                                      62号 失联 and detention ≥6 months]
 */
/* Where domain.md is silent, the engine chooses:
 *  - "Missing" for an orphan is a court's 宣告失踪 (declared_missing), as
 *    §5 defines it for 事实无人抚养; a parent merely out of contact is
 *    失联 (a de-facto condition), not missing.
 *  - The orphan student extension has no upper age; it covers 中学 (the
 *    compulsory junior years and senior high) and 中职, i.e. schooling
 *    COMPULSORY or HIGH. 事实无人抚养 uses orphan.max_age with no
 *    extension (§5: under 18).
 *  - 重残 = grade 1–2 of any category, or grade 3–4 intellectual or
 *    mental (§5); 多重 3–4 is not included. 重病 is the caller's finding
 *    (defined locally).
 *  - 补差 (§5, 民发〔2019〕62号) applies to 事实无人抚养 only: amount =
 *    standard − (the child's 低保 share + 特困 + 困难残疾人生活补贴), not
 *    below 0; 0 still recognises the child. An orphan is paid the full
 *    standard (§5 gives no 补差 for orphans); an orphan also supported as
 *    特困 must choose one scheme (特困人员认定办法 第九条): REVIEW.
 *  - The child's benefits are paid by the 户籍 place (§5): Chongqing
 *    户籍 is required for both.
 */
struct children_params {
    int64_t orphan_standard_institutional_fen;  /* orphan.standard.
                                                   institutional */
    int64_t orphan_standard_scattered_fen;      /* orphan.standard.scattered */
    int orphan_max_age;                         /* orphan.max_age */
    int orphan_student_extension;               /* orphan.student_extension */
    int64_t defacto_standard_fen;               /* defacto.standard */
    int64_t defacto_standard_institutional_fen; /* defacto.standard.
                                                   institutional; 0 none */
    int defacto_condition_min_months; /* defacto.condition_min_months */
};

/* A deprivation of liberty (民发〔2019〕62号). */
enum child_custody {
    CHILD_CUSTODY_NONE = 0,
    CHILD_CUSTODY_PRISON,     /* 服刑 */
    CHILD_CUSTODY_DETENTION,  /* 在押 (detention) */
    CHILD_CUSTODY_DRUG_REHAB, /* 强制隔离戒毒 */
    CHILD_CUSTODY_OTHER,      /* other 限制人身自由的措施 */
    CHILD_CUSTODY__COUNT
};

struct child_parent {
    int dead;             /* natural death, or declared dead by a court */
    int declared_missing; /* 宣告失踪 by a court */
    enum hh_disability disability_category;
    int disability_grade;       /* 0 none, 1..4 */
    int serious_illness;        /* 重病 as defined locally */
    enum child_custody custody; /* now */
    int custody_months;         /* length of the custody, months */
    int lost_contact_months;    /* 失联: out of contact and not caring */
};

enum child_placement {
    CHILD_SCATTERED = 0, /* 散居 (with relatives or a foster family) */
    CHILD_INSTITUTIONAL, /* 集中供养 in a child-welfare institution */
};

struct child_applicant {
    int birth_y, birth_m, birth_d;
    enum hh_schooling schooling;
    int hukou_local; /* Chongqing 户籍 */
    enum child_placement placement;
    struct child_parent parents[2];
    /* benefits the child receives now, monthly, for 补差 */
    int64_t dibao_share_fen;       /* the child's per-head 低保 share */
    int64_t tekun_fen;             /* 特困 support */
    int64_t disability_living_fen; /* 困难残疾人生活补贴 */
};

enum children_kind {
    CHILDREN_NONE = 0,
    CHILDREN_ORPHAN,  /* 孤儿 */
    CHILDREN_DEFACTO, /* 事实无人抚养儿童 */
};

enum children_decision {
    CHILDREN_NOT_ELIGIBLE = 0,
    CHILDREN_ELIGIBLE,
    CHILDREN_REVIEW, /* a caseworker must decide; amount indicative */
};

enum children_part_kind {
    CHILDREN_PART_FULL = 0, /* the standard in full */
    CHILDREN_PART_TOP_UP,   /* 补差: standard − other benefits */
};

struct children_part {
    enum children_part_kind kind;
    int64_t amount_fen;
};

#define CHILDREN_MAX_PARTS 1

struct children_result {
    enum children_decision decision;
    enum children_kind kind;
    int age;
    int64_t standard_fen;       /* the standard that applies */
    int64_t other_benefits_fen; /* 低保 share + 特困 + living subsidy */
    int top_up;                 /* paid as 补差 */
    int64_t amount_fen;         /* monthly; 0 when not eligible */
    size_t part_count;
    struct children_part parts[CHILDREN_MAX_PARTS]; /* sum == amount_fen */
};

/* Assesses c on y-m-d under p. Writes *out (zeroed first). ex may be
 * NULL; when given (explain_init'ed) its amount lines add up to
 * out->amount_fen; member is written on the lines (-1 for none).
 * DD_EINVAL for NULL arguments, an invalid date or a birth after it,
 * enums out of range, a grade inconsistent with the category, months
 * outside 0..1200, money outside [0, HH_MONEY_MAX], or parameters out of
 * range (the orphan and defacto standards must be > 0). */
DD_WUR enum dd_status children_assess(const struct child_applicant *c,
                                      const struct children_params *p, int y,
                                      int m, int d, int member,
                                      struct children_result *out,
                                      struct explain *ex);

/* 1 if the parent meets one of the de-facto conditions of 民发〔2019〕62号
 * (重残, 重病, custody or 失联 for at least min_months); for tests. */
int children_parent_condition(const struct child_parent *pa, int min_months);

#endif
