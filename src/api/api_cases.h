/* SPDX-License-Identifier: MIT */
/* What the intake and case modules share (api_applications.c,
 * api_cases.c): today in Asia/Shanghai, routing a case item to the office
 * that acts on its step, the statutory clock, and the one transition
 * function that every action, material completion and objection goes
 * through. */
#ifndef DD_API_CASES_H
#define DD_API_CASES_H

#include "api/api_internal.h"
#include "core/timeutil.h"
#include "domain/catalog.h"
#include "domain/workcal.h"
#include "domain/workflow.h"

/* The working-day calendar loaded at start. */
const struct workcal *cases_calendar(struct api *a);

/* Sets c->owner_region and c->owner_department for step s of item it:
 * township steps go to the hukou township, county steps to the county
 * (to the township where the district delegates confirmation:
 * dibao.confirm.delegated = 1 on day), department steps to the county
 * department; a closed item keeps its last owner. */
void cases_route(struct api *a, struct case_item_row *c,
                 const struct catalog_item *it, const struct wf_step *s,
                 const struct civil_day *day);
/* Recomputes c->deadline (accepted_on + the statutory limit + the paused
 * working days) and the step's own deadline from day. */
void cases_clock(struct api *a, struct case_item_row *c,
                 const struct catalog_item *it, const struct wf_step *s,
                 const struct civil_day *day);

/* Appends a transition to the item's timeline (case_event). */
enum dd_status cases_event(struct http_request *req, struct store_tx *tx,
                           const struct case_item_row *c, const char *from,
                           const char *action, const char *reasons,
                           const char *fields_json, int visit,
                           const struct civil_day *day) DD_WUR;
/* The side effects of entering c's current step (a referral row, a 公示
 * row). */
enum dd_status cases_enter(struct http_request *req, struct store_tx *tx,
                           struct case_item_row *c,
                           const struct catalog_item *it,
                           const struct civil_day *day) DD_WUR;

/* What an action carries. */
struct cases_input {
    const char *action;
    const char *reasons;        /* NULL = none */
    const char **investigators;
    size_t investigator_count;
    int64_t amount_fen;
    const char *result;
    const char *checker;     /* the spot check's checker (特困 Art. 16) */
    const char *fields_json; /* recorded on the event */
    const char *facts; /* the decider's facts object (JSON), NULL = none */
};

/* Moves c by in->action inside tx: checks the template, applies the side
 * effects (公示, referral, decision, entitlement), writes the item
 * (version-checked), its event and its audit row. check_role: the caller
 * must be the step's actor. 0, or -1 after replying (tx is then rolled
 * back by the caller). */
int cases_transition(struct http_request *req, struct store_tx *tx,
                     struct case_item_row *c, const struct cases_input *in,
                     int check_role);

/* Whether the caller may read c: in scope of its owner, its intake office
 * or its household's village, for its department. 0, or -1 after
 * replying 403/404. */
int cases_may_read(struct http_request *req, const struct case_item_row *c,
                   const struct catalog_item *it);

/* The applicant's name masked for print (张*三, 李*), into out. */
void cases_mask_name(const char *name, char *out, size_t cap);

/* A JSON view of one item (with its step names and days left). */
const char *cases_item_json(struct http_request *req,
                            const struct case_item_row *c,
                            const struct civil_day *day);

/* HTML text escaping into the request's arena. */
const char *cases_html(struct http_request *req, const char *s);

/* Replies with the printable receipt (受理回执) of app and its items
 * rows[0..n): the applicant's name masked, no ID numbers. Reads the
 * household in tx and ends tx (api_applications.c). */
void cases_receipt_reply(struct http_request *req, struct store_tx *tx,
                         const struct application_row *app,
                         const struct case_item_row *rows, size_t n);

/* The items of application app_id as the applicant sees them (the
 * progress query, a citizen's own applications): step, state, deadline,
 * decision and, once decided, the notice; appended to b as JSON objects
 * separated by commas (api_history.c). */
struct buf;
enum dd_status cases_applicant_items(struct http_request *req,
                                     struct store_tx *tx, int64_t app_id,
                                     struct buf *b) DD_WUR;

/* GET /api/v1/citizen/applications (api_history.c; routed from
 * api_applications.c's table, beside the POST on the same path). */
void cases_citizen_application_list(struct http_request *req);

#endif
