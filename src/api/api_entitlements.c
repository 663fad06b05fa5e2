/* SPDX-License-Identifier: MIT */
/* The caseload (在保对象, issue 13) over HTTP: the entitlements in the
 * caller's scope page by page, one with its history of decisions, and a
 * decision on one (suspend, resume, increase, decrease, stop, phaseout).
 * Each handler parses, authorises, calls the case service
 * (src/cases/entitlements.c) and encodes; the rules are the domain's. */
#include "api/api_cases.h"

#include <stdint.h>
#include <string.h>

#include "core/str.h"

#define REPLY_CAP (1u << 20)
#define PAGE_DEFAULT 100
/* a page of the caseload: a county's few thousand entitlements in tens
 * of pages, each reply far below REPLY_CAP */
#define PAGE_MAX 500
#define AMOUNT_MAX 100000000

/* An entitlement's record scope: its village; no department owns one
 * (a department's officer reads referred items only). */
static int
may_read(struct http_request *req, const struct entitlement_row *e)
{
    return api_authorise(req, AUTHZ_CASE_READ, e->region_code, "");
}

/* The entitlement's fields into the object open in w. */
static void
put_entitlement_fields(struct jw *w, const struct entitlement_row *e)
{
    jw_int(w, "id", e->id);
    jw_int(w, "version", e->version);
    jw_int(w, "household_id", e->household_id);
    jw_str(w, "item", e->item_code);
    jw_int(w, "case_item_id", e->case_item_id);
    jw_str(w, "county_code", e->county_code);
    jw_str(w, "region_code", e->region_code);
    jw_str(w, "state", e->state);
    jw_int(w, "approved_fen", e->monthly_fen);
    jw_int(w, "amount_fen", e->amount_fen);
    jw_str(w, "start_month", e->start_month);
    jw_str_or_null(w, "stop_reason", e->stop_reason[0] ? e->stop_reason : NULL);
    if (e->payee_person_id)
        jw_int(w, "payee_person_id", e->payee_person_id);
    else
        jw_null(w, "payee_person_id");
}

static void
put_entitlement(struct jw *w, const char *key, const struct entitlement_row *e)
{
    jw_obj(w, key);
    put_entitlement_fields(w, e);
    jw_end(w);
}

/* The stop's 公示 running on e under key (null when none): the day it
 * opened, its last day and the first day the stop may be decided. */
void
api_put_stop_publicity(struct jw *w, const char *key,
                       const struct entitlement_row *e)
{
    char until[11], decision[11];
    if (!cases_entitlement_publicity(e, until, decision)) {
        jw_null(w, key);
        return;
    }
    jw_obj(w, key);
    jw_str(w, "from", e->publicity_from);
    jw_str(w, "until", until);
    jw_str(w, "decision_from", decision);
    jw_str(w, "reason_code", e->publicity_reason);
    jw_end(w);
}

static void
put_change(struct jw *w, const char *key,
           const struct entitlement_change_row *c)
{
    jw_obj(w, key);
    jw_int(w, "seq", c->seq);
    jw_str(w, "event", c->event);
    jw_str(w, "effect_month", c->effect_month);
    if (c->amount_fen)
        jw_int(w, "amount_fen", c->amount_fen);
    if (c->months)
        jw_int(w, "months", c->months);
    jw_str_or_null(w, "reason_code", c->reason_code[0] ? c->reason_code : NULL);
    jw_str(w, "reason_text", c->reason_text);
    jw_str(w, "decided_by", c->decided_by);
    jw_str(w, "decided_on", c->decided_on);
    jw_end(w);
}

/* A name as a list shows it: masked (张*三), as the 公示 and the
 * notices print it; the full name is never in a list reply. */
static void
put_masked(struct jw *w, const char *key, const char *name)
{
    char masked[64];
    cases_mask_name(name, masked, sizeof(masked));
    jw_str(w, key, masked);
}

/* A row of the caseload's page for api_case_page_reply: the
 * entitlement's fields, then its next review day, the household head's
 * masked name and the payee's when the payee is someone else. Like the
 * household list, a list shows no ID number and audits no read. */
static void
put_list_row(struct jw *w, const char *key, const void *row)
{
    const struct entitlement_list_row *l = row;
    jw_obj(w, key);
    put_entitlement_fields(w, &l->e);
    jw_str_or_null(w, "next_review_day",
                   l->next_review_day[0] ? l->next_review_day : NULL);
    if (l->head_person_id)
        put_masked(w, "household_name", l->head_name);
    else
        jw_null(w, "household_name");
    if (l->e.payee_person_id && l->e.payee_person_id != l->head_person_id &&
        l->payee_name[0])
        put_masked(w, "payee_name", l->payee_name);
    else
        jw_null(w, "payee_name");
    jw_end(w);
}

/* GET /api/v1/entitlements: the caseload under the region given (inside
 * the caller's scope) or the caller's one scope, with the state, item,
 * amount and review-due filters, in id order after the cursor `after`. */
static void
entitlements_list(struct http_request *req)
{
    struct entitlement_filter f = {
        .state = http_query(req, "state"),
        .item_code = http_query(req, "programme"),
        .min_fen = api_query_int(req, "min_fen", 0),
        .max_fen = api_query_int(req, "max_fen", AMOUNT_MAX),
        .review_due_before = http_query(req, "review_due_before"),
        .after_id = api_query_int(req, "after", 0)};
    size_t limit = (size_t)api_query_int(req, "limit", PAGE_DEFAULT);
    struct store_tx *tx;
    size_t n = 0;
    if (!(f.region_prefix = api_case_list_region(req)))
        return;
    if (f.state && strcmp(f.state, "active") != 0 &&
        strcmp(f.state, "suspended") != 0 && strcmp(f.state, "stopped") != 0) {
        api_error(req, 400, "INVALID_STATE", "state",
                  "state is active, suspended or stopped",
                  "state 须为 active、suspended 或 stopped");
        return;
    }
    struct entitlement_list_row *rows =
        api_alloc(req, (limit + 1) * sizeof(*rows));
    if (!rows || api_begin(req, STORE_READ, &tx))
        return;
    enum dd_status rc = store_entitlement_page(tx, &f, rows, limit + 1, &n);
    if (api_check(req, rc, NULL))
        return;
    api_case_page_reply(req, "entitlements", rows, sizeof(*rows),
                        offsetof(struct entitlement_list_row, e.id), n, limit,
                        put_list_row);
}

/* Loads the path's entitlement in tx and checks the caller may read it:
 * 0, or -1 after replying (out of scope: 404). */
static int
load(struct http_request *req, struct store_tx *tx, struct entitlement_row *e)
{
    enum dd_status rc = store_entitlement_get(tx, api_path_id(req, 0), e);
    return api_check(req, rc, NULL) ? -1 : may_read(req, e);
}

/* The entitlement and its decisions, oldest first, under "entitlement"
 * and "changes". */
static enum dd_status
put_with_history(struct http_request *req, struct store_tx *tx, struct jw *w,
                 const struct entitlement_row *e)
{
    size_t n = 0;
    struct entitlement_change_row *ch =
        arena_alloc(req->arena, CASES_ENT_HISTORY_MAX * sizeof(*ch));
    enum dd_status rc = ch ? store_entitlement_change_list(
                                 tx, e->id, ch, CASES_ENT_HISTORY_MAX, &n)
                           : DD_ENOMEM;
    if (rc != DD_OK)
        return rc;
    put_entitlement(w, "entitlement", e);
    api_put_stop_publicity(w, "stop_publicity", e);
    jw_arr(w, "changes");
    for (size_t i = 0; i < n; i++)
        put_change(w, NULL, &ch[i]);
    jw_end(w);
    return DD_OK;
}

/* GET /api/v1/entitlements/{id}: one with its history of decisions. */
static void
entitlement_get(struct http_request *req)
{
    struct entitlement_row e;
    struct store_tx *tx;
    struct jw w;
    if (api_begin(req, STORE_READ, &tx) || load(req, tx, &e))
        return;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    enum dd_status rc = put_with_history(req, tx, &w, &e);
    jw_end(&w);
    if (rc != DD_OK) {
        jw_free(&w);
        api_fail(req, rc, NULL);
        return;
    }
    api_reply_jw(req, 200, &w);
}

struct change_body {
    const char *event, *effect_month, *reason_code, *reason_text;
    int64_t amount_fen, months, version;
    int cancel_publicity;
};

#define CB(f) offsetof(struct change_body, f)
static const struct json_field change_fields[] = {
    {"event", JSON_T_STRING, 1, 1, 12, CB(event)},
    {"effect_month", JSON_T_STRING, 0, 7, 7, CB(effect_month)},
    {"amount_fen", JSON_T_INT, 0, 1, AMOUNT_MAX, CB(amount_fen)},
    {"months", JSON_T_INT, 0, 1, 12, CB(months)},
    {"reason_code", JSON_T_STRING, 0, 1, 15, CB(reason_code)},
    {"reason_text", JSON_T_STRING, 0, 0, 500, CB(reason_text)},
    {"version", JSON_T_INT, 0, 1, INT32_MAX, CB(version)},
    {"cancel_publicity", JSON_T_BOOL, 0, 0, 0, CB(cancel_publicity)},
};

/* POST /api/v1/entitlements/{id}/changes: one decision at the version
 * read (If-Match or "version"; stale → 409 VERSION_CONFLICT), by the
 * level that decides the item; the reply carries the entitlement with
 * its history, the change and its notice. */
static void
entitlement_change(struct http_request *req)
{
    struct change_body b = {.version = -1};
    struct entitlement_row e;
    struct entitlement_change_row ch;
    struct cases_ent_notice notice;
    struct dd_error err = {0};
    struct cases_ctx x;
    struct store_tx *tx;
    unsigned present = 0;
    int64_t want = -1;
    /* the record first: out of scope is 404 whatever the body */
    if (api_begin(req, STORE_WRITE, &tx) || load(req, tx, &e) ||
        api_authorise(req, AUTHZ_CASE_WRITE, e.region_code, "") ||
        api_decode(req, change_fields,
                   sizeof(change_fields) / sizeof(change_fields[0]), &b,
                   &present) ||
        api_version_required(req, b.version, &want))
        return;
    api_case_ctx(req, tx, &x);
    struct cases_ent_input in = {.event = b.event,
                                 .effect_month = b.effect_month,
                                 .amount_fen = b.amount_fen,
                                 .months = b.months,
                                 /* a stop's reason; a suspension's
                                  * code is a recorded death's alone */
                                 .reason_code = strcmp(b.event, "stop") == 0
                                                    ? b.reason_code
                                                    : NULL,
                                 .reason_text = b.reason_text,
                                 .version = want,
                                 .cancel_publicity = b.cancel_publicity};
    enum dd_status rc =
        cases_entitlement_change(&x, &e, &in, &ch, &notice, &err);
    struct jw w;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    if (rc == DD_OK)
        rc = put_with_history(req, tx, &w, &e);
    if (api_finish(req, tx, rc, &err)) {
        jw_free(&w);
        return;
    }
    /* a 公示 opened or withdrawn adds no change (cases.h) */
    if (ch.seq)
        put_change(&w, "change", &ch);
    else
        jw_null(&w, "change");
    jw_obj(&w, "notice");
    jw_str(&w, "legal_ground", notice.ground_zh);
    jw_str(&w, "legal_ground_en", notice.ground_en);
    jw_str(&w, "appeal", notice.appeal_zh);
    jw_str(&w, "appeal_en", notice.appeal_en);
    jw_end(&w);
    jw_end(&w);
    api_reply_jw(req, 200, &w);
}

static const struct param_spec list_query[] = {
    {"region", PARAM_REGION, 0, 12, 0, 0},
    {"programme", PARAM_NAME, 0, 31, 0, 0},
    {"state", PARAM_NAME, 0, 11, 0, 0},
    {"min_fen", PARAM_INT, 0, 0, 0, AMOUNT_MAX},
    {"max_fen", PARAM_INT, 0, 0, 0, AMOUNT_MAX},
    {"review_due_before", PARAM_DATE, 0, 10, 0, 0},
    {"after", PARAM_INT, 0, 0, 0, INT64_MAX},
    {"limit", PARAM_INT, 0, 0, 1, PAGE_MAX},
    {NULL, 0, 0, 0, 0, 0},
};

/* clang-format off: one route per line */
static const struct route routes[] = {
    {"GET", "/api/v1/entitlements", NULL, list_query, AUTHZ_CASE_READ, 0, entitlements_list, "the caseload in the caller's scope, page by page"},
    {"GET", "/api/v1/entitlements/{id}", api_id_param, api_no_query, AUTHZ_CASE_READ, 0, entitlement_get, "one entitlement with its history of decisions"},
    {"POST", "/api/v1/entitlements/{id}/changes", api_id_param, api_no_query, AUTHZ_CASE_READ, ROUTE_BODY, entitlement_change, "suspend, resume, increase, decrease, stop or phase out (version-checked, audited)"},
};
/* clang-format on */

const struct route_table api_entitlement_routes = {
    "entitlements", routes, sizeof(routes) / sizeof(routes[0])};
