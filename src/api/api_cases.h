/* SPDX-License-Identifier: MIT */
/* What the intake and case modules share (api_applications.c,
 * api_cases.c, api_history.c): the case service's context for a request,
 * its failures as replies, who may read an item, the item as JSON, and
 * the pieces of replies more than one route sends. The workflow itself
 * is src/cases/. */
#ifndef DD_API_CASES_H
#define DD_API_CASES_H

#include "api/api_internal.h"
#include "cases/cases.h"
#include "json/jw.h"

/* The case service's context for req inside tx: the server's reference
 * data, the principal as the actor, the request id and today. */
void api_case_ctx(struct http_request *req, struct store_tx *tx,
                  struct cases_ctx *x);

/* Whether the caller may read c: in scope of its owner, its intake office
 * or its household's village, for its department. 0, or -1 after
 * replying 403/404. */
int api_case_may_read(struct http_request *req, const struct case_item_row *c,
                      const struct catalog_item *it);

/* Writes one item (with its step names and days on x->day) under key;
 * a catalog version that is not loaded fails w (DD_ENOMEM, as before). */
void api_case_put_item(const struct cases_ctx *x, struct jw *w,
                       const char *key, const struct case_item_row *c);

/* HTML text escaping into the request's arena. */
const char *api_case_html(struct http_request *req, const char *s);

/* Replies with the printable receipt (受理回执) of app and its items
 * rows[0..n): the applicant's name masked, no ID numbers. Reads the
 * household in tx (api_applications.c). */
void api_case_receipt_reply(struct http_request *req, struct store_tx *tx,
                            const struct application_row *app,
                            const struct case_item_row *rows, size_t n);

/* The index a citizen's applications are recorded, found and counted
 * under: the session's phone index, or the proved ID's when the session
 * has no phone; "" (who untouched) for anyone but a citizen
 * (api_applications.c). */
const char *api_case_citizen_index(struct http_request *req,
                                   struct api_citizen *who);

/* The items of application app_id as the applicant sees them (the
 * progress query, a citizen's own applications): step, state, deadline,
 * decision and, once decided, the notice; written into w's open array
 * (api_history.c). full: the notice's reasons and the engine's
 * explanation (health and disability facts among them) too, for the
 * signed-in applicant only; the anonymous query has the outcome alone. */
enum dd_status api_case_applicant_items(struct http_request *req,
                                        struct store_tx *tx, int64_t app_id,
                                        int full, struct jw *w) DD_WUR;

/* GET /api/v1/citizen/applications (api_history.c; routed from
 * api_applications.c's table, beside the POST on the same path). */
void api_case_citizen_list(struct http_request *req);

/* An integer query parameter (the router checked its form and bounds),
 * else dflt. */
int64_t api_query_int(struct http_request *req, const char *name,
                      int64_t dflt);

/* The region prefix a scoped list reads (the caseload, the reviews): the
 * query's region, or the caller's one scope entry (several: 400
 * REGION_REQUIRED), in which the caller reads cases (else 404). NULL
 * after replying. */
const char *api_case_list_region(struct http_request *req);

/* One row of a page into w under key (NULL in an array). */
typedef void (*api_put_row_fn)(struct jw *w, const char *key,
                               const void *row);

/* Replies 200 with a page of a scoped list: {key: the first
 * min(n, limit) of rows (size bytes apart, each by put), next_after: the
 * id (an int64_t at id_offset in a row) of the last shown when more rows
 * came than limit (n > limit), else null}. */
void api_case_page_reply(struct http_request *req, const char *key,
                         const void *rows, size_t size, size_t id_offset,
                         size_t n, size_t limit, api_put_row_fn put);

#endif
