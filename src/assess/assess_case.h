/* SPDX-License-Identifier: MIT */
/* A case item's engine decision: which engine decides a catalog item, and
 * the pure mapping "registry household + its active entitlements + the
 * decider's facts → engine request" for the engines assess_household does
 * not run (两项补贴, 孤儿 / 事实无人抚养, 临时救助, 低保边缘 / 刚性支出), then
 * the run itself. No SQL, no HTTP, no allocation: the caller loads the
 * household and the entitlements and decodes the facts (json_facts.h). */
#ifndef DD_ASSESS_CASE_H
#define DD_ASSESS_CASE_H

#include <stdint.h>

#include "assess/assess.h"

/* The engine deciding a catalog item. */
enum case_engine {
    CASE_ENGINE_NONE = 0,          /* the decider's amount, or none */
    CASE_ENGINE_DIBAO,             /* assess_household */
    CASE_ENGINE_TEKUN,             /* assess_household */
    CASE_ENGINE_DISABILITY_LIVING, /* disability_assess, the living part */
    CASE_ENGINE_DISABILITY_CARE,   /* disability_assess, the care part */
    CASE_ENGINE_ORPHAN,            /* children_assess, kind orphan */
    CASE_ENGINE_DEFACTO,           /* children_assess, kind de-facto */
    CASE_ENGINE_TEMPAID_URGENT,    /* tempaid_assess, 急难型 */
    CASE_ENGINE_TEMPAID_EXPENSE,   /* tempaid_assess, 支出型 */
    CASE_ENGINE_NEAR_POOR,         /* lowincome_assess, 低保边缘 */
    CASE_ENGINE_RIGID,             /* lowincome_assess, 刚性支出 */
    CASE_ENGINE__COUNT
};

/* The engine of a catalog item: by its program column (dibao, tekun,
 * disability_living, disability_care, orphan, unsupported_child), else by
 * its code for the items whose program is "none" because they pay no
 * monthly entitlement (tempaid_urgent, tempaid_expense: one-off grants;
 * lowincome_edge, rigid_expense: recognition only). */
enum case_engine assess_case_engine(const char *program, const char *code);
/* The name the API shows ("disability_care", "tempaid_urgent", ...). */
const char *assess_case_engine_name(enum case_engine e);
/* 1 when the engine decides the item's approval at the decision step
 * itself, with the decider's facts (all but 低保 and 特困, whose amount
 * the engine gives from the household file at every step). */
int assess_case_decides(enum case_engine e);
/* 1 when the engine needs the decider's facts object (all but 低保, 特困
 * and 低保边缘, which read the household alone). */
int assess_case_needs_facts(enum case_engine e);
/* 1 when the engine's decision carries an amount (monthly, or one-off for
 * 临时救助); 0 for the recognitions (低保边缘, 刚性支出). */
int assess_case_has_amount(enum case_engine e);
/* 1 for 临时救助: the amount is a one-off grant, not monthly. */
int assess_case_one_off(enum case_engine e);
/* The extra-parameter group of the engine (enum assess_extra), or -1. */
int assess_case_extra(enum case_engine e);

/* What the household receives now, from its active entitlements. */
struct case_entitlements {
    int dibao;                     /* a 低保 entitlement */
    int64_t dibao_fen;             /* its monthly amount (the household's) */
    int near_poor;                 /* recognised as 低保边缘 */
    int tekun;                     /* a 特困 entitlement */
    int64_t tekun_fen;             /* its monthly amount */
    int64_t disability_living_fen; /* 困难残疾人生活补贴, monthly */
};

/* Adds one active entitlement of catalog item item_code paying
 * monthly_fen to *e (items other than dibao, tekun, lowincome_edge and
 * disability_living are ignored). */
void assess_case_entitlement_add(struct case_entitlements *e,
                                 const char *item_code, int64_t monthly_fen);

/* case_facts.present bits: which facts the decider gave. */
#define CASE_F_MEMBER (1u << 0)
#define CASE_F_CARD_VALID (1u << 1)
#define CASE_F_CARE_MONTHS (1u << 2)
#define CASE_F_PLACEMENT (1u << 3)
#define CASE_F_PARENTS (1u << 4)
#define CASE_F_CAUSE (1u << 5)
#define CASE_F_PERSONS (1u << 6)
#define CASE_F_MONTHS_NEEDED (1u << 7)
#define CASE_F_EXPENSE (1u << 8)
#define CASE_F_ASSETS (1u << 9)

/* The decider's facts, decoded (json_facts_decode). Absent ones are 0. */
struct case_facts {
    unsigned present;
    int64_t member_id; /* a person id of the household */
    /* 两项补贴 */
    int card_valid, orphan_protected, defacto_full_subsidy;
    int care_months;
    int64_t work_injury_care_fen;
    /* 孤儿 / 事实无人抚养 */
    enum child_placement placement;
    int parent_count; /* 1..2 */
    struct child_parent parents[2];
    /* 临时救助 */
    enum tempaid_cause cause;
    int persons;             /* default: the member count */
    int months_needed;       /* 急难 */
    int64_t expense_fen;     /* 支出 */
    int assets_within_rules; /* 支出 */
    /* 刚性支出: spending over rigid.lookback_months */
    struct lowincome_rigid rigid;
};

/* One engine request, built by assess_case_request. */
struct case_request {
    enum case_engine engine;
    int member; /* index in the household, -1 for the household */
    struct disability_applicant disability;
    struct child_applicant child;
    struct tempaid_request tempaid;
    struct lowincome_rigid rigid;
};

/* Builds the request of engine e (not DIBAO or TEKUN) for household h on
 * y-m-d under p (resolved with assess_params_resolve and, for the
 * standard area, assess_area_resolve), where member_ids[i] is the person
 * id of h->members[i], hukou_region the household's hukou region code,
 * ent what the household receives now and f the decider's facts:
 *   - 两项补贴: category and grade from the member, hukou_local from a
 *     Chongqing (50…) hukou region, the household situation from ent
 *     (低保, else 特困, else 低保边缘);
 *   - children: birth date and schooling from the member, the 补差
 *     benefits from ent (domain.md §5);
 *   - 临时救助: the standard area from h, persons default the member
 *     count, dibao_family from ent, the annual per-capita income as the
 *     低保 engine counts it (dibao_assess: its monthly per-capita counted
 *     income × 12);
 *   - 刚性支出: the spending figures.
 * DD_EINVAL with *missing the facts path ("facts", "facts.member_id",
 * "facts.cause", ...) when a required fact is absent or the member is not
 * in the household; DD_EINVAL with *missing NULL for bad arguments or a
 * household the 低保 engine refuses. */
DD_WUR enum dd_status assess_case_request(
    enum case_engine e, const struct household *h, const int64_t *member_ids,
    const char *hukou_region, const struct assess_params *p, int y, int m,
    int d, const struct case_entitlements *ent, const struct case_facts *f,
    struct case_request *out, const char **missing);

/* A part of the amount, as the API shows it. */
struct case_part {
    const char *kind; /* "living", "care", "full", "top_up", "band" */
    int64_t amount_fen;
};

struct case_outcome {
    enum case_engine engine;
    enum assess_decision decision;
    int64_t amount_fen; /* monthly; one-off for 临时救助; 0 recognitions;
                           indicative when decision is REVIEW */
    const char *unresolved_key; /* a parameter with no version: REVIEW */
    int part_count;
    struct case_part parts[2];
    int lowincome_status; /* enum lowincome_status, recognitions only */
};

/* Runs rq's engine on y-m-d under p, with h for the recognitions. When
 * p names an unresolved key for the engine's group, the engine is not
 * run: the decision is REVIEW, amount 0, and ex gets one review line
 * (the key is out->unresolved_key). Otherwise the item's decision:
 *   - 两项补贴: the living or the care part's decision and amount;
 *   - 孤儿 / 事实无人抚养: the engine's decision when the kind it finds is
 *     the item's, NOT_ELIGIBLE when it finds the other kind (the child is
 *     recognised under the other item) or neither;
 *   - 临时救助: the engine's decision and one-off amount;
 *   - 低保边缘 / 刚性支出: ELIGIBLE when recognised as the item's type,
 *     REVIEW when the engine asks for a caseworker, else NOT_ELIGIBLE.
 * ex may be NULL (else explain_init'ed here). DD_EINVAL as the engines. */
DD_WUR enum dd_status assess_case_run(const struct case_request *rq,
                                      const struct household *h,
                                      const struct assess_params *p, int y,
                                      int m, int d, struct case_outcome *out,
                                      struct explain *ex);

#endif
