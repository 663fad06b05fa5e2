/* SPDX-License-Identifier: MIT */
/* What the service's files share and nobody else calls: the day of a
 * stored date, filling an error, the policy lock, and the engines' runs
 * on a stored household (decision.c) for the transition and the 公示. */
#ifndef DD_CASES_INTERNAL_H
#define DD_CASES_INTERNAL_H

#include "assess/assess_case.h"
#include "audit/digest.h"
#include "cases/cases.h"

/* The day of "YYYY-MM-DD", INT32_MIN when empty or bad. */
int32_t cases_day_of(const char *s);
/* Fills err (may be NULL). */
void cases_err(struct dd_error *err, const char *code, const char *field,
               const char *en, const char *zh);
/* Whether role decides at level (the catalog's decide_level), as the
 * approval itself: a county item by a county officer, a township item by
 * a township reviewer (entitlements.c). */
int cases_level_fits(enum role role, const char *level);
void cases_policy_lock(const struct cases_ctx *x);
void cases_policy_unlock(const struct cases_ctx *x);

/* The engine's monthly amount for the item's program on x->day (低保 and
 * 特困; other programs: DD_ENOTFOUND without err) and its explanation as
 * JSON; *decision (may be NULL) gets the engine's decision. DD_EINVAL with
 * err ENGINE_NOT_ELIGIBLE when the engine finds the household not
 * eligible (the explanation is set); DD_EREFUSED with err when a key is
 * not in force. */
enum dd_status cases_engine_amount(const struct cases_ctx *x,
                                   const struct case_item_row *c,
                                   const struct catalog_item *it,
                                   int64_t *amount, const char **explanation,
                                   enum assess_decision *decision,
                                   struct dd_error *err) DD_WUR;

/* Runs the engine e of an item whose engine needs more than the household
 * (assess_case.h) with the decider's facts (JSON text, NULL when absent)
 * on x->day: out gets the outcome and its explanation as JSON, with the
 * decider's review_fen when the engine asks for review (-1: none, a dry
 * run). DD_EINVAL naming facts or the first missing or bad facts field;
 * DD_EREFUSED with err when a 低保 or 特困 key is not in force;
 * DD_ECONFLICT HOUSEHOLD_NOT_ASSESSABLE. */
enum dd_status cases_decide_facts(const struct cases_ctx *x,
                                  const struct case_item_row *c,
                                  enum case_engine e, const char *facts,
                                  int64_t review_fen, struct case_outcome *out,
                                  const char **explanation,
                                  struct dd_error *err) DD_WUR;

/* The entitlement an approval of c opens (item it, application applied
 * on applied_on): the first month paid per the item's start rule. */
enum dd_status cases_entitle(const struct cases_ctx *x,
                             const struct case_item_row *c,
                             const struct catalog_item *it) DD_WUR;

/* The digests c's audit row carries (audit/digest.h), from its rows as
 * now written: when decided, facts_digest is the digest of the household
 * and the decider's facts (NULL = none) it was decided on, else ""; digest
 * is c's decision, amount and entitlement with facts_digest. */
enum dd_status
cases_decision_digests(const struct cases_ctx *x, const struct case_item_row *c,
                       int decided, const char *facts,
                       char digest[DIGEST_HEX_LEN + 1],
                       char facts_digest[DIGEST_HEX_LEN + 1]) DD_WUR;

/* Leaving a 公示 for step to: closed, or objected to (back to
 * investigation) with the objection's text recorded. */
enum dd_status cases_publicity_leave(const struct cases_ctx *x,
                                     const struct case_item_row *c,
                                     struct publicity_row *pub, const char *to,
                                     const char *reasons) DD_WUR;
/* A department's answer on leaving its step from: accepted (the referred
 * step's accept) or answered, with its result when given. */
enum dd_status cases_referral_answer(const struct cases_ctx *x,
                                     const struct case_item_row *c,
                                     const struct wf_step *from,
                                     const char *action,
                                     const char *result) DD_WUR;

/* Opens e's next review after day last (the approval, or the review
 * just decided) by its program's schedule (reviews.c): irregular puts
 * 低保 on the short cycle, card_expiry ("" = for life) dates
 * 两项补贴's. Nothing for a program without a schedule. */
enum dd_status cases_review_next(const struct cases_ctx *x,
                                 const struct entitlement_row *e,
                                 int32_t last, int irregular,
                                 const char *card_expiry,
                                 struct dd_error *err) DD_WUR;

#endif
