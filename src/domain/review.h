/* SPDX-License-Identifier: MIT */
/* When an entitlement is next reviewed (定期核查 and 复核): by the 低保
 * household's category (57号 Art. 31, domain.md §1.6), yearly for 特困,
 * at the disability card's expiry for 两项补贴 (§4), at 18 or the end of
 * school for children's items (§2, §5), at the end of a 刚性支出
 * recognition, and within 3 months of a death (2022 notice §1(3), §1.6).
 * Pure: no I/O, no allocation; the parameters are resolved by the caller
 * for the date and region. Days are workcal day numbers. */
#ifndef DD_REVIEW_H
#define DD_REVIEW_H

#include <stdint.h>

#include "core/status.h"

/* A day not given: a card valid for life (长期), a child not in school. */
#define REVIEW_NO_DATE INT32_MIN

enum review_programme {
    REVIEW_DIBAO = 0,  /* 低保 */
    REVIEW_TEKUN,      /* 特困 */
    REVIEW_DISABILITY, /* 残疾人两项补贴 */
    REVIEW_ORPHAN,     /* 孤儿 */
    REVIEW_DEFACTO,    /* 事实无人抚养儿童 */
    REVIEW_RIGID,      /* 刚性支出困难家庭 (低收入) */
    REVIEW__COUNT
};

/* Why the review falls on that day. */
enum review_ground {
    REVIEW_GROUND_PERIOD = 0,  /* the programme's cycle from the last review */
    REVIEW_GROUND_CARD_EXPIRY, /* the 残疾人证 expires */
    REVIEW_GROUND_AGE,         /* the child reaches the age limit */
    REVIEW_GROUND_SCHOOL_END,  /* an orphan over the age limit leaves school */
    REVIEW_GROUND_DEATH,       /* the re-check after a member's death */
    REVIEW_GROUND_NONE,        /* no date: a card valid for life */
    REVIEW_GROUND__COUNT
};

/* "period", "card_expiry", "age", "school_end", "death", "none". */
const char *review_ground_name(enum review_ground g);

/* The parameters, with their policy keys and the seed values:
 *   dibao.review.stable_months     [12; Art. 31: stable finances, yearly]
 *   dibao.review.irregular_months  [6; Art. 31: irregular income and a
 *                                   member able to work]
 *   tekun.review.months            [12; NOT yet in params.csv: issue 13
 *                                   "特困 is reviewed yearly"; domain.md §2
 *                                   gives no cycle]
 *   tekun.minor.max_age            [18; Arts. 24–26, domain.md §2]
 *   orphan.max_age                 [18; 国办发〔2010〕54号, domain.md §5;
 *                                   事实无人抚养 takes the same age, §5]
 *   orphan.student_extension       [1; Chongqing: 18+ in 中学 or 中职]
 *   rigid.validity_months          [12; a recognition lasts ≤ 12 months]
 *   dibao.death.recheck_months     [3; NOT yet in params.csv: the 2022
 *                                   notice §1(3), domain.md §1.6] */
struct review_params {
    int dibao_stable_months;      /* dibao.review.stable_months */
    int dibao_irregular_months;   /* dibao.review.irregular_months */
    int tekun_months;             /* tekun.review.months */
    int tekun_minor_max_age;      /* tekun.minor.max_age */
    int orphan_max_age;           /* orphan.max_age */
    int orphan_student_extension; /* orphan.student_extension */
    int rigid_validity_months;    /* rigid.validity_months */
    int death_recheck_months;     /* dibao.death.recheck_months */
};

/* What the schedule reads of an entitlement. */
struct review_subject {
    enum review_programme programme;
    int32_t last_day; /* the last review, or the approval */
    /* 低保 (Art. 31): both set → the irregular cycle, else the stable */
    int irregular_income;
    int member_able_to_work;
    int32_t card_expiry; /* 两项补贴: the card's expiry, or REVIEW_NO_DATE */
    int32_t birth; /* 特困, 孤儿, 事实无人抚养: the person's birth day
                      (特困: REVIEW_NO_DATE when not needed) */
    int32_t school_end; /* 孤儿 in 中学/中职: the expected end of school,
                           or REVIEW_NO_DATE */
};

struct review_due {
    int32_t day; /* REVIEW_NO_DATE with REVIEW_GROUND_NONE */
    enum review_ground ground;
};

/* The next review of s:
 *   低保: last + irregular_months when irregular_income and
 *         member_able_to_work, else last + stable_months;
 *   特困: last + tekun_months, or a minor's birthday at tekun_minor_max_age
 *         when that comes first (support to 18, longer in school: the
 *         review then decides);
 *   两项补贴: the card's expiry (none for a card valid for life);
 *   孤儿: the birthday at orphan_max_age; with orphan_student_extension,
 *         the end of school instead when it is later;
 *   事实无人抚养: the birthday at orphan_max_age;
 *   刚性支出: last + rigid_validity_months.
 * Months are added with month_add_to_day (31 August + 6 = end of
 * February). DD_EINVAL (INVALID_REVIEW, naming the field) for a NULL
 * argument, a parameter out of range, or a date the programme needs
 * missing. */
enum dd_status review_next(const struct review_params *p,
                           const struct review_subject *s,
                           struct review_due *out, struct dd_error *err) DD_WUR;

/* The re-check after a member's death on day died: due by died +
 * death_recheck_months (2022 notice §1(3), domain.md §1.6), ground
 * REVIEW_GROUND_DEATH. */
struct review_due review_after_death(const struct review_params *p,
                                     int32_t died);

#endif
