/* SPDX-License-Identifier: MIT */
/* The case workflow as a service (协同办理), for whatever moves a case: the
 * API, the CLI, a scheduler, a feed, a peer. Filing an application with
 * its items (case numbers, the query code, the first step, the 补正 pause,
 * the materials that end it), routing each item to the office that acts
 * on its step, the statutory clock on the working-day calendar, the
 * transition (check → leave the step → decide → enter the next step →
 * record), the decisions by the assessment engines, the village 公示 and
 * its objections, referrals to departments and the entitlements.
 *
 * Nothing here sees a request: a struct cases_ctx carries the store
 * transaction (the caller's, which the caller commits or rolls back), the
 * reference data, the actor, the request id for the audit rows and the
 * day (so tests pin the date). Functions return enum dd_status; err (may
 * be NULL) gets what a client sees: its code, field and messages.
 * DD_EREFUSED is a refusal by the rules on the day (no policy version in
 * force, the engine finds the household not eligible; HTTP 422), apart
 * from DD_ENOTFOUND, a missing record.
 *
 * Clock convention (domain/workcal.h): the day a period starts on is not
 * counted; N working days from an acceptance on day D end on the N-th
 * working day after D. A 补正 pause moves the deadline by exactly the
 * working days it lasted. A deadline computed over a year the holiday
 * calendar does not cover is flagged (deadline_uncovered). */
#ifndef DD_CASES_H
#define DD_CASES_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "assess/assess.h"
#include "core/arena.h"
#include "core/status.h"
#include "core/timeutil.h"
#include "crypto/pii.h"
#include "domain/authz.h"
#include "domain/catalog.h"
#include "domain/policy.h"
#include "domain/workcal.h"
#include "domain/workflow.h"
#include "registry/registry.h"
#include "store/store.h"

/* Who acts: recorded on events, objections and audit rows. */
struct cases_actor {
    const char *name;   /* user name; NULL = "anonymous" */
    enum role role;     /* ROLE_NONE: no principal (events say "citizen") */
    const char *region; /* where the actor works ("" = nowhere) */
};

struct cases_ctx {
    struct store_tx *tx;
    struct arena *arena; /* the caller's scratch (explanations, names) */
    /* reference data; a lock, when not NULL, is read-locked around each
     * lookup (the server extends both tables while it runs) */
    const struct catalog *catalog;
    pthread_rwlock_t *catalog_lock;
    const struct policy_table *policy;
    pthread_rwlock_t *policy_lock;
    const struct wf_book *steps;
    const struct workcal *calendar;
    const struct pii_keys *pii;
    struct cases_actor actor;
    const char *request_id; /* on audit rows; NULL = none */
    struct civil_day day;   /* today, Asia/Shanghai */
    int64_t now;            /* epoch seconds, for referral answers */
};

/* ---- reference data (cases.c) ---- */

/* A copy of catalog item code at version (or in force on date, NULL =
 * the newest): DD_OK or DD_ENOTFOUND. */
enum dd_status cases_item_version(const struct cases_ctx *x, const char *code,
                                  int64_t version,
                                  struct catalog_item *out) DD_WUR;
enum dd_status cases_item_on(const struct cases_ctx *x, const char *code,
                             const char *date,
                             struct catalog_item *out) DD_WUR;
/* Step code of item it's template, or NULL. */
const struct wf_step *cases_step(const struct cases_ctx *x,
                                 const struct catalog_item *it,
                                 const char *code);
/* A policy value in force on x->day for a county; dflt when unset. */
int64_t cases_policy_value(const struct cases_ctx *x, const char *key,
                           const char *county, int64_t dflt);

/* ---- routing and the clock (cases.c) ---- */

/* Sets c->owner_region and c->owner_department for step s of item it:
 * township steps go to the hukou township, county steps to the county
 * (to the township where the district delegates confirmation:
 * dibao.confirm.delegated = 1 on x->day), department steps to the county
 * department; a closed item keeps its last owner. */
void cases_route(const struct cases_ctx *x, struct case_item_row *c,
                 const struct catalog_item *it, const struct wf_step *s);
/* Recomputes c->deadline (accepted_on + the statutory limit + the paused
 * working days) and the step's own deadline from day. */
void cases_clock(const struct cases_ctx *x, struct case_item_row *c,
                 const struct catalog_item *it, const struct wf_step *s,
                 const struct civil_day *day);
/* The working days used so far (pauses not counted) and left before the
 * deadline (0 once closed) on x->day. */
void cases_days(const struct cases_ctx *x, const struct case_item_row *c,
                int *used, int *left);
/* Working days from x->day to the item's deadline (negative: overdue). */
int cases_days_left(const struct cases_ctx *x, const struct case_item_row *c);

/* Whether role acts on c's step: the step's actors in
 * data/catalog/steps.csv; a referral by the department's officer; a
 * county step the district delegates to the township by the township's
 * clerk or reviewer. */
int cases_role_fits(const struct cases_ctx *x, enum role role,
                    const struct case_item_row *c);

/* ---- the applicant (cases.c) ---- */

/* The applicant's name masked for print (张*三, 李*), into out. */
void cases_mask_name(const char *name, char *out, size_t cap);
/* The household's applicant, masked, and its size (its living members). */
enum dd_status cases_applicant(const struct cases_ctx *x, int64_t household_id,
                               char *masked, size_t cap,
                               int64_t *size) DD_WUR;

/* ---- the record (cases.c) ---- */

/* Appends a transition to the item's timeline (case_event) by x->actor
 * on x->day. */
enum dd_status cases_event(const struct cases_ctx *x,
                           const struct case_item_row *c, const char *from,
                           const char *action, const char *reasons,
                           const char *fields_json, int visit) DD_WUR;
/* Appends an audit row by x->actor; detail is JSON (NULL = {}). */
enum dd_status cases_audit(const struct cases_ctx *x, const char *action,
                           const char *object, const char *region,
                           const char *detail) DD_WUR;

/* ---- transitions (transition.c) ---- */

/* What an action carries. */
struct cases_input {
    const char *action;
    const char *reasons; /* NULL = none */
    const char **investigators;
    size_t investigator_count;
    int64_t amount_fen;
    const char *result;
    const char *checker;     /* the spot check's checker (特困 Art. 16) */
    const char *fields_json; /* recorded on the event */
    const char *facts; /* the decider's facts object (JSON), NULL = none */
};

/* Moves c by in->action inside x->tx: checks the template (and, with
 * check_role, that x->actor's role acts on the step), leaves the step
 * (the 补正 pause, the 公示, a department's answer), decides (the engine
 * or the decider's amount), enters the next step (owner, clock, a
 * referral or a 公示 row), writes the item (at c->version: a change
 * meanwhile is DD_ECONFLICT VERSION_CONFLICT), an entitlement on an
 * approval, the event and the case.transition audit row. On failure c
 * may be half-changed and the caller rolls x->tx back. */
enum dd_status cases_transition(const struct cases_ctx *x,
                                struct case_item_row *c,
                                const struct cases_input *in, int check_role,
                                struct dd_error *err) DD_WUR;

/* The side effects of entering c's current step (a referral row, a 公示
 * row with the engine's amount). */
enum dd_status cases_enter(const struct cases_ctx *x, struct case_item_row *c,
                           const struct catalog_item *it) DD_WUR;

/* ---- self-declared applicants (cases.c) ---- */

/* Whether transition tr of c from step from may go on: an applicant who
 * declared themselves online (an unverified household) is not moved on
 * from the first step nor approved until cases_verify; rejections always
 * may. DD_ECONFLICT APPLICANT_UNVERIFIED otherwise. */
enum dd_status cases_verified_gate(const struct cases_ctx *x,
                                   const struct case_item_row *c,
                                   const struct wf_step *from,
                                   const struct wf_transition *tr,
                                   struct dd_error *err) DD_WUR;
/* A township officer has verified the declared applicant of c: the
 * household and its member join the registry (active); audited as
 * household.verify. DD_ECONFLICT ALREADY_VERIFIED, or PERSON_REGISTERED
 * when the person is active in another household (the caller rolls
 * back). */
enum dd_status cases_verify(const struct cases_ctx *x,
                            const struct case_item_row *c,
                            struct dd_error *err) DD_WUR;

/* ---- decisions (decision.c) ---- */

/* A dry run of c's engine with the facts (JSON object text, NULL = none)
 * by one who acts on its step now (DD_EDENIED NOT_YOUR_STEP otherwise):
 * out gets the program, the decision, the amount and the explanation
 * (JSON); audited as case.assess, nothing else changes. DD_ECONFLICT
 * NO_ENGINE when no engine decides the item. */
struct cases_assessment {
    const char *program; /* the engine's name */
    enum assess_decision decision;
    int64_t amount_fen;
    const char *explanation; /* JSON (x->arena) */
};
enum dd_status cases_assess(const struct cases_ctx *x,
                            const struct case_item_row *c, const char *facts,
                            struct cases_assessment *out,
                            struct dd_error *err) DD_WUR;

/* ---- filing (filing.c) ---- */

#define CASES_MAX_ITEMS 8
#define CASES_MAX_MATERIALS 32
#define CASES_QUERY_CODE_LEN 10

/* An application as asked for. */
struct cases_filing {
    const char *channel;    /* window, assistant, online */
    const char *applied_on; /* a paper application's own day; NULL = today */
    const char **items;
    size_t item_count; /* 1..CASES_MAX_ITEMS */
    const char **materials;
    size_t material_count;
};

/* A checked application: the application day, the items' catalog
 * versions in force on it and what each is missing (一次性告知). */
struct cases_intake {
    struct civil_day applied;
    const char *channel;
    size_t item_count;
    struct catalog_item items[CASES_MAX_ITEMS];
    char missing[CASES_MAX_ITEMS][256];
};

/* Checks f: the channel (online only from a citizen's session: online),
 * the day (2018-01-01 to x->day), items named once and in force on the
 * day, known material codes. DD_EINVAL with err naming the field. */
enum dd_status cases_intake_check(const struct cases_ctx *x,
                                  const struct cases_filing *f, int online,
                                  struct cases_intake *out,
                                  struct dd_error *err) DD_WUR;

/* Files the checked application for household rh: the case number
 * (county of hukou + year + sequence), a fresh query code (shown once,
 * stored hashed), one item per catalog item on its first step or in 补正
 * (paused) when papers are missing, routed and clocked, the spot-check
 * sample, the accept events and the application.create audit row.
 * intake_region: the office that takes it (online: the hukou township);
 * citizen_hash: the filing citizen's phone index ("" for staff). rows
 * has room for in->item_count items. */
enum dd_status cases_file(const struct cases_ctx *x,
                          const struct cases_intake *in,
                          const struct registry_household *rh,
                          const char *intake_region, const char *citizen_hash,
                          struct application_row *app,
                          struct case_item_row *rows,
                          char query_code[CASES_QUERY_CODE_LEN + 1]) DD_WUR;

/* Which household a citizen may file for, naming the person whose blind
 * index is named_hash (docs/cases.md, "Online applications"): the
 * household in which that person is active when the citizen is that
 * person (id_hash, the ID the session proved, "" for none), a member of it
 * (id_hash active there) or its registered contact (phone_hash, the
 * session's phone index, equal to the household's contact phone index);
 * otherwise 0: the citizen files as a new applicant, whatever the
 * registry holds (so the answer tells nothing of it). */
enum dd_status cases_citizen_household(const struct cases_ctx *x,
                                       const char *phone_hash,
                                       const char *id_hash,
                                       const char *named_hash,
                                       int64_t *household_id) DD_WUR;

/* What a new applicant declares online. */
struct cases_declared {
    const char *id_number; /* checked (GB 11643) */
    const char *name;
    const char *region; /* the 12-digit village of residence (checked) */
    const char *address;
};
/* Registers d as a household of its own, inactive with its one member
 * inactive and marked unverified (the registry's one-active-person rule
 * and its households stay as they were), loaded into rh for filing. */
enum dd_status cases_declare(const struct cases_ctx *x,
                             const struct cases_declared *d,
                             struct registry_household *rh,
                             struct dd_error *err) DD_WUR;

/* The citizen with this index has filed fewer than limit applications on
 * x->day: DD_OK, or DD_ERATE TOO_MANY_APPLICATIONS. */
enum dd_status cases_citizen_quota(const struct cases_ctx *x,
                                   const char *citizen_hash, int limit,
                                   struct dd_error *err) DD_WUR;

/* No item of in is open for the household already (any channel):
 * DD_OK, or DD_ECONFLICT DUPLICATE_APPLICATION naming items[i]. */
enum dd_status cases_duplicate_check(const struct cases_ctx *x,
                                     const struct cases_intake *in,
                                     int64_t household_id,
                                     struct dd_error *err) DD_WUR;

/* Papers brought for the items rows[0..n) of an application waiting in
 * 补正: each item's list shrinks; one whose list empties leaves 补正 by
 * "complete" (the pause ends on x->day). */
enum dd_status cases_materials_add(const struct cases_ctx *x,
                                   struct case_item_row *rows, size_t n,
                                   const char *const *materials, size_t count,
                                   struct dd_error *err) DD_WUR;

/* Whether every code is a known material: DD_OK, or DD_EINVAL
 * UNKNOWN_MATERIAL naming materials[i]. */
enum dd_status cases_materials_check(const struct cases_ctx *x,
                                     const char *const *materials,
                                     size_t count,
                                     struct dd_error *err) DD_WUR;

/* The engine's view of rh on the application day (主动发现): r gets the
 * result; DD_OK when assessed. */
enum dd_status cases_preview(const struct cases_ctx *x,
                             const struct cases_intake *in,
                             const struct registry_household *rh,
                             struct assess_result *r) DD_WUR;

/* ---- a calendar year's new version (deadlines.c) ---- */

/* Recomputes, on x->calendar, the deadlines of the items not closed whose
 * clock reaches into year, with cases_clock from their acceptance and
 * their step's start; each item whose deadline, step deadline or
 * uncovered flag moved is written and gets a "case.deadline" audit row
 * (detail: cause, the deadlines before and after) and a log line of ids
 * and days. *changed counts them. */
enum dd_status cases_deadlines_recompute(const struct cases_ctx *x, int year,
                                         const char *cause,
                                         size_t *changed) DD_WUR;

/* ---- the caseload after approval (entitlements.c) ---- */

struct ent_history;
struct ent_params;
struct ent_change;

/* The most decisions an entitlement's history holds (a monthly payment
 * for decades with a review a year stays far below it). */
#define CASES_ENT_HISTORY_MAX 256

/* A decision on an entitlement (issue 13; domain/entitlement.h). */
/* The reason code of a suspension a recorded death made. */
#define CASES_DEATH_REASON "death"

struct cases_ent_input {
    const char *event;        /* ent_event_name: suspend, resume, ... */
    const char *effect_month; /* "YYYY-MM"; NULL = the programme's lag */
    int64_t amount_fen;       /* increase, decrease: the new amount */
    int64_t months;           /* phaseout: 0 = dibao.phaseout.months */
    const char *reason_code;  /* stop: ent_stop_reason_name; suspend:
                                 CASES_DEATH_REASON from a death, else
                                 NULL */
    const char *reason_text;  /* suspend, increase, decrease, stop other */
    int64_t version;          /* the entitlement's version read */
    int64_t review_id;        /* the review it decides (0 = none) */
    int cancel_publicity;     /* stop: withdraw the 公示 running */
};

/* What the decision's notice says besides the decision: its legal ground
 * for the programme and the appeal route (Art. 38, domain.md §1.6). */
struct cases_ent_notice {
    const char *ground_zh, *ground_en;
    const char *appeal_zh, *appeal_en;
};

/* The lag parameters of program (the catalog item's) in force on x->day
 * for county: <program>.effect.*, dibao.phaseout.months,
 * dibao.publicity_days, dibao.work_refusals. DD_EREFUSED
 * POLICY_KEY_MISSING naming the key when one is not in force,
 * POLICY_OUT_OF_RANGE when ent_params_ok refuses them. */
enum dd_status cases_entitlement_params(const struct cases_ctx *x,
                                        const char *program,
                                        const char *county,
                                        struct ent_params *p,
                                        struct dd_error *err) DD_WUR;

/* e and its n changes (seq order) as the domain's history, its changes
 * in buf (n entries). DD_EINTERNAL when a stored row does not parse. */
enum dd_status
cases_entitlement_history(const struct entitlement_row *e,
                          const struct entitlement_change_row *rows, size_t n,
                          struct ent_change *buf,
                          struct ent_history *h) DD_WUR;

/* Decides in on e (as loaded, the caller having checked its scope) by
 * x->actor on x->day: the actor decides at the item's catalog level (a
 * county officer for a county item, a township reviewer for a township
 * one; DD_EDENIED NOT_DECIDING_LEVEL), at e's version (DD_ECONFLICT
 * VERSION_CONFLICT), as the state machine allows (DD_ECONFLICT with the
 * domain's code: ENTITLEMENT_STOPPED, ...), with the fields the event
 * needs (DD_EINVAL naming the field), from the effect month given or
 * the lag's (one before an earlier decision's: DD_EINVAL
 * EFFECT_MONTH_ORDER). Writes e (its new state, amount, version), the
 * change into *out and the entitlement.<event> audit row with the digest
 * of e's new state; notice gets the decision's legal ground and appeal
 * route. A stop the programme publicises first (<program>.stop.
 * publicity_days in force; not for a death) is two decisions: the first
 * opens the 公示 on e (audited entitlement.stop_publicity; e stays as it
 * is and paid, out->seq 0), the same stop from the day
 * ent_publicity_decision_day gives decides it (before: DD_ECONFLICT
 * PUBLICITY_RUNNING; another reason: DD_ECONFLICT PUBLICITY_REASON);
 * cancel_publicity withdraws it (entitlement.stop_publicity_cancel,
 * none running: DD_ECONFLICT NO_PUBLICITY). On failure the caller rolls
 * x->tx back. */
enum dd_status cases_entitlement_change(const struct cases_ctx *x,
                                        struct entitlement_row *e,
                                        const struct cases_ent_input *in,
                                        struct entitlement_change_row *out,
                                        struct cases_ent_notice *notice,
                                        struct dd_error *err) DD_WUR;
/* The stop's 公示 running on e: 1 with its last day and the first day
 * the stop may be decided (YYYY-MM-DD), 0 when none runs. */
int cases_entitlement_publicity(const struct entitlement_row *e,
                                char until[11], char decision_from[11]);

/* ---- reviews (定期核查 and 复核, reviews.c) ---- */

struct review_params;

/* The schedule's parameters in force on x->day for county
 * (dibao.review.*, tekun.review.months, tekun.minor.max_age, orphan.*,
 * rigid.validity_months, dibao.death.recheck_months; domain/review.h):
 * DD_EREFUSED POLICY_KEY_MISSING naming the key when one is not in
 * force. */
enum dd_status cases_review_params(const struct cases_ctx *x,
                                   const char *county, struct review_params *p,
                                   struct dd_error *err) DD_WUR;

/* Opens a review of e on ground (enum review_ground, domain/review.h) due
 * on day due (a workcal day number), audited review.open. When e already
 * has a review open or proposed, that one is kept (at most one at a
 * time) and, when due is earlier, brought forward to due on ground (a
 * death's re-check overtakes the yearly review), audited review.due.
 * *out gets the review as it stands. DD_EINVAL INVALID_REVIEW for a
 * ground out of range or a stopped entitlement. */
enum dd_status cases_review_open(const struct cases_ctx *x,
                                 const struct entitlement_row *e, int ground,
                                 int32_t due, struct review_row *out,
                                 struct dd_error *err) DD_WUR;

/* What the township records on a review: facts is a JSON object, for
 * 低保 and 特困 the household as the calculator takes it (json_assess.h,
 * no identity), for the other programs the facts their engine takes at
 * approval (docs/cases.md); irregular_income with a member able to work
 * puts 低保 on the short cycle (Art. 31); card_expiry ("YYYY-MM-DD",
 * NULL or "" = valid for life) is the 残疾人证's for 两项补贴's next
 * review. */
struct cases_review_facts {
    const char *facts;
    int irregular_income;
    const char *card_expiry;
    int64_t version; /* the review's version read */
};

/* Records in on the open review r by a township clerk or reviewer
 * (DD_EDENIED NOT_YOUR_STEP), reruns the engine on x->day (the amount,
 * explanation and verdict stored on r) and derives the proposal:
 * unchanged, increase or decrease to the engine's amount, phaseout for
 * the 渐退 months left, stop (income) when not eligible; the facts and
 * the engine's explanation (JSON) are stored with r. DD_ECONFLICT
 * VERSION_CONFLICT or
 * REVIEW_STATE; DD_EINVAL naming a bad facts field; DD_EREFUSED when a
 * key is not in force. Audited review.facts. */
enum dd_status cases_review_facts(const struct cases_ctx *x,
                                  struct review_row *r,
                                  const struct cases_review_facts *in,
                                  struct dd_error *err) DD_WUR;

/* The township reviewer's proposal on r: the engine's (proposal NULL and
 * no figure given), or another with reason_text (REASON_REQUIRED). */
struct cases_review_proposal {
    const char *proposal;    /* unchanged, increase, ... NULL = engine's */
    int64_t amount_fen;      /* increase, decrease: 0 = the engine's */
    int64_t months;          /* phaseout: 0 = the engine's */
    const char *stop_reason; /* stop: NULL = the engine's (income) */
    const char *reason_text;
    int64_t version;
};

/* Proposes in on the open review r (facts recorded: FACTS_REQUIRED).
 * unchanged closes r (decided, audited review.close) and opens the next
 * review; any other leaves r proposed for the deciding level (audited
 * review.propose). */
enum dd_status cases_review_propose(const struct cases_ctx *x,
                                    struct review_row *r,
                                    const struct cases_review_proposal *in,
                                    struct dd_error *err) DD_WUR;

/* Decides the proposed review r at version: applies its proposal through
 * cases_entitlement_change (the item's deciding level, the entitlement's
 * version, the effect month from the lags; the change's review_id r),
 * *ch and *notice as there; r decided (audited review.decide) and the
 * entitlement's next review opened unless it stopped. */
enum dd_status cases_review_decide(const struct cases_ctx *x,
                                   struct review_row *r, int64_t version,
                                   struct entitlement_change_row *ch,
                                   struct cases_ent_notice *notice,
                                   struct dd_error *err) DD_WUR;

/* Opens the next review of county's entitlements that have none (not
 * stopped), ids above after_id, at most max of them: the cycle counted
 * from the last decision on each, else its first month paid. *opened
 * counts the reviews opened; *next_after is the cursor for the next run
 * (0 when done). */
enum dd_status cases_review_schedule(const struct cases_ctx *x,
                                     const char *county, int64_t after_id,
                                     size_t max, size_t *opened,
                                     int64_t *next_after,
                                     struct dd_error *err) DD_WUR;

#endif
