/* SPDX-License-Identifier: MIT */
/* The recovery ledger (追缴, issue 13 §5) over HTTP: the recoveries in
 * the caller's scope page by page, one with its entries and balance,
 * and a repayment or waiver on one. Scoped by the village of the
 * entitlement each recovers from; the rules are src/cases/recoveries.c. */
#include "api/api_cases.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cases/recoveries.h"

#define REPLY_CAP (1u << 20)
#define PAGE_DEFAULT 100
#define PAGE_MAX 500
/* the most entries a recovery shows: one owed, then a deduction a month
 * and the odd repayment for years */
#define ENTRIES_MAX 256
#define AMOUNT_MAX 100000000

static void
put_recovery(struct jw *w, const char *key, const struct recovery_row *r,
             int64_t balance)
{
    jw_obj(w, key);
    jw_int(w, "id", r->id);
    jw_int(w, "version", r->version);
    jw_str(w, "county_code", r->county_code);
    jw_int(w, "household_id", r->household_id);
    jw_int(w, "entitlement_id", r->entitlement_id);
    if (r->person_id)
        jw_int(w, "person_id", r->person_id);
    else
        jw_null(w, "person_id");
    jw_str(w, "cause", r->cause);
    jw_str(w, "state", r->state);
    jw_str(w, "note", r->note);
    jw_str(w, "created_by", r->created_by);
    jw_time(w, "created_at", r->created_at);
    jw_int(w, "balance_fen", balance);
    jw_end(w);
}

/* r with its balance under "recovery", and its entries. */
static enum dd_status
put_full(struct http_request *req, struct store_tx *tx, struct jw *w,
         const struct recovery_row *r)
{
    int64_t balance = 0;
    size_t n = 0;
    struct recovery_entry_row *en =
        api_alloc(req, ENTRIES_MAX * sizeof(*en));
    enum dd_status rc = en ? store_recovery_balance(tx, r->id, &balance)
                           : DD_ENOMEM;
    if (rc == DD_OK)
        rc = store_recovery_entry_list(tx, r->id, en, ENTRIES_MAX, &n);
    if (rc != DD_OK)
        return rc;
    put_recovery(w, "recovery", r, balance);
    jw_arr(w, "entries");
    for (size_t i = 0; i < n; i++) {
        jw_obj(w, NULL);
        jw_int(w, "seq", en[i].seq);
        jw_str(w, "kind", en[i].kind);
        jw_int(w, "amount_fen", en[i].amount_fen);
        if (en[i].payment_line_id)
            jw_int(w, "payment_line_id", en[i].payment_line_id);
        jw_str(w, "decided_by", en[i].decided_by);
        jw_str(w, "decided_on", en[i].decided_on);
        jw_str(w, "reason_text", en[i].reason_text);
        jw_end(w);
    }
    jw_end(w);
    return DD_OK;
}

/* A recovery in the list, with its balance. */
struct listed {
    struct recovery_row r;
    int64_t balance;
};

static void
put_listed(struct jw *w, const char *key, const void *row)
{
    const struct listed *l = row;
    put_recovery(w, key, &l->r, l->balance);
}

/* GET /api/v1/recoveries: those of entitlements under the region given
 * (inside the caller's scope) or the caller's one scope, in a state, in
 * id order after the cursor `after`. */
static void
recoveries_list(struct http_request *req)
{
    const char *state = http_query(req, "state");
    size_t limit = (size_t)api_query_int(req, "limit", PAGE_DEFAULT);
    struct store_tx *tx;
    size_t n = 0;
    if (state && strcmp(state, "open") != 0 && strcmp(state, "settled") != 0) {
        api_error(req, 400, "INVALID_STATE", "state",
                  "state is open or settled", "state 须为 open 或 settled");
        return;
    }
    const char *region = api_case_list_region(req);
    if (!region)
        return;
    int64_t *ids = api_alloc(req, (limit + 1) * sizeof(*ids));
    struct listed *rows = api_alloc(req, (limit + 1) * sizeof(*rows));
    if (!ids || !rows || api_begin(req, STORE_READ, &tx))
        return;
    enum dd_status rc =
        store_recovery_page(tx, region, state ? state : "",
                            api_query_int(req, "after", 0), ids, limit + 1, &n);
    for (size_t i = 0; rc == DD_OK && i < n; i++) {
        rc = store_recovery_get(tx, ids[i], &rows[i].r);
        if (rc == DD_OK)
            rc = store_recovery_balance(tx, ids[i], &rows[i].balance);
    }
    if (api_check(req, rc, NULL))
        return;
    api_case_page_reply(req, "recoveries", rows, sizeof(*rows),
                        offsetof(struct listed, r.id), n, limit, put_listed);
}

/* Loads the path's recovery and its entitlement in tx, the caller
 * allowed action on the entitlement's village: 0, or -1 after replying
 * (out of scope: 404). */
static int
load(struct http_request *req, struct store_tx *tx, enum authz_action action,
     struct recovery_row *r, struct entitlement_row *e)
{
    enum dd_status rc = store_recovery_get(tx, api_path_id(req, 0), r);
    if (rc == DD_OK)
        rc = store_entitlement_get(tx, r->entitlement_id, e);
    if (api_check(req, rc, NULL) ||
        api_authorise(req, AUTHZ_CASE_READ, e->region_code, ""))
        return -1;
    return action == AUTHZ_CASE_READ
               ? 0
               : api_authorise(req, action, e->region_code, "");
}

/* GET /api/v1/recoveries/{id}: one with its entries and balance. */
static void
recovery_get(struct http_request *req)
{
    struct recovery_row r;
    struct entitlement_row e;
    struct store_tx *tx;
    struct jw w;
    if (api_begin(req, STORE_READ, &tx) ||
        load(req, tx, AUTHZ_CASE_READ, &r, &e))
        return;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    enum dd_status rc = put_full(req, tx, &w, &r);
    jw_end(&w);
    if (rc != DD_OK) {
        jw_free(&w);
        api_fail(req, rc, NULL);
        return;
    }
    api_reply_jw(req, 200, &w);
}

struct entry_body {
    const char *kind, *reason, *decided_on;
    int64_t amount_fen, version;
};

#define EB(f) offsetof(struct entry_body, f)
static const struct json_field entry_fields[] = {
    {"kind", JSON_T_STRING, 1, 1, 11, EB(kind)},
    {"amount_fen", JSON_T_INT, 1, 1, AMOUNT_MAX, EB(amount_fen)},
    {"reason", JSON_T_STRING, 0, 0, 500, EB(reason)},
    {"decided_on", JSON_T_STRING, 1, 10, 10, EB(decided_on)},
    {"version", JSON_T_INT, 0, 1, INT32_MAX, EB(version)},
};

/* POST /api/v1/recoveries/{id}/entries: a repayment or a waiver, at the
 * version read when one is given (If-Match or "version"); the reply is
 * the recovery with its entries and balance after it. */
static void
recovery_entry(struct http_request *req)
{
    struct entry_body b = {.version = -1};
    struct recovery_row r;
    struct entitlement_row e;
    struct recovery_entry_row en;
    struct dd_error err = {0};
    struct cases_ctx x;
    struct store_tx *tx;
    unsigned present = 0;
    int64_t want = -1, balance = 0;
    if (api_begin(req, STORE_WRITE, &tx) ||
        load(req, tx, AUTHZ_CASE_WRITE, &r, &e) ||
        api_decode(req, entry_fields,
                   sizeof(entry_fields) / sizeof(entry_fields[0]), &b,
                   &present) ||
        api_expected_version(req, b.version, &want))
        return;
    api_case_ctx(req, tx, &x);
    struct cases_recovery_input in = {.kind = b.kind,
                                      .amount_fen = b.amount_fen,
                                      .reason_text = b.reason,
                                      .decided_on = b.decided_on,
                                      .version = want};
    enum dd_status rc =
        cases_recovery_entry(&x, &r, &e, &in, &en, &balance, &err);
    struct jw w;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    if (rc == DD_OK)
        rc = put_full(req, tx, &w, &r);
    jw_end(&w);
    if (api_finish(req, tx, rc, &err)) {
        jw_free(&w);
        return;
    }
    api_reply_jw(req, 201, &w);
}

static const struct param_spec list_query[] = {
    {"region", PARAM_REGION, 0, 12, 0, 0},
    {"state", PARAM_NAME, 0, 11, 0, 0},
    {"after", PARAM_INT, 0, 0, 0, INT64_MAX},
    {"limit", PARAM_INT, 0, 0, 1, PAGE_MAX},
    {NULL, 0, 0, 0, 0, 0},
};

/* clang-format off: one route per line */
static const struct route routes[] = {
    {"GET", "/api/v1/recoveries", NULL, list_query, AUTHZ_CASE_READ, 0, recoveries_list, "the recovery ledger (追缴) in the caller's scope, page by page"},
    {"GET", "/api/v1/recoveries/{id}", api_id_param, api_no_query, AUTHZ_CASE_READ, 0, recovery_get, "one recovery with its entries and balance"},
    {"POST", "/api/v1/recoveries/{id}/entries", api_id_param, api_no_query, AUTHZ_CASE_READ, ROUTE_BODY, recovery_entry, "a repayment, or a waiver by the county (audited)"},
};
/* clang-format on */

const struct route_table api_recovery_routes = {
    "recoveries", routes, sizeof(routes) / sizeof(routes[0])};
