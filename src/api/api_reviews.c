/* SPDX-License-Identifier: MIT */
/* Reviews (定期核查 and 复核, issue 13 §4) over HTTP: the township inbox
 * in the caller's scope page by page, one review with its facts and the
 * engine's explanation, recording the facts, the township's proposal,
 * the deciding level's decision, and the schedule run that opens the
 * reviews a county's entitlements are due. Each handler parses,
 * authorises, calls the case service (src/cases/reviews.c) and encodes. */
#include "api/api_cases.h"

#include <stdint.h>
#include <string.h>

#include "json/json_cases.h"

#define REPLY_CAP (1u << 20)
#define PAGE_DEFAULT 100
/* a page of the inbox: a township's reviews due in a month fit a few */
#define PAGE_MAX 500
#define AMOUNT_MAX 100000000
/* the facts and the explanation a review shows (the explanation of a
 * household of ten is about 20 KiB) */
#define TEXT_CAP (256u * 1024u)
/* the entitlements one schedule run looks at */
#define SCHEDULE_MAX 2000

static void
put_review(struct jw *w, const char *key, const struct review_row *r)
{
    jw_obj(w, key);
    jw_int(w, "id", r->id);
    jw_int(w, "version", r->version);
    jw_int(w, "entitlement_id", r->entitlement_id);
    jw_int(w, "household_id", r->household_id);
    jw_str(w, "item", r->item_code);
    jw_str(w, "county_code", r->county_code);
    jw_str(w, "township_code", r->township_code);
    jw_str(w, "region_code", r->region_code);
    jw_str(w, "ground", r->ground);
    jw_str(w, "due_day", r->due_day);
    jw_str(w, "state", r->state);
    jw_bool(w, "facts_recorded", r->facts_at != 0);
    if (r->facts_at) {
        jw_bool(w, "eligible", r->eligible != 0);
        jw_int(w, "computed_fen", r->computed_fen);
        jw_bool(w, "irregular", r->irregular != 0);
        jw_str_or_null(w, "card_expiry",
                       r->card_expiry[0] ? r->card_expiry : NULL);
    }
    jw_str_or_null(w, "proposal", r->proposal[0] ? r->proposal : NULL);
    if (r->proposed_amount_fen)
        jw_int(w, "proposed_amount_fen", r->proposed_amount_fen);
    if (r->proposed_months)
        jw_int(w, "proposed_months", r->proposed_months);
    jw_str_or_null(w, "stop_reason", r->stop_reason[0] ? r->stop_reason : NULL);
    jw_str(w, "reason_text", r->reason_text);
    jw_str_or_null(w, "proposed_by", r->proposed_by[0] ? r->proposed_by : NULL);
    jw_str_or_null(w, "decided_by", r->decided_by[0] ? r->decided_by : NULL);
    if (r->change_id)
        jw_int(w, "change_id", r->change_id);
    else
        jw_null(w, "change_id");
    jw_end(w);
}

/* put_review for api_case_page_reply. */
static void
put_review_row(struct jw *w, const char *key, const void *row)
{
    put_review(w, key, row);
}

/* GET /api/v1/reviews: the inbox under the region given (inside the
 * caller's scope) or the caller's one scope, by state, item and due day,
 * in id order after the cursor `after`. */
static void
reviews_list(struct http_request *req)
{
    struct review_filter f = {.state = http_query(req, "state"),
                              .item_code = http_query(req, "item"),
                              .due_before = http_query(req, "due_before"),
                              .after_id = api_query_int(req, "after", 0)};
    size_t limit = (size_t)api_query_int(req, "limit", PAGE_DEFAULT);
    struct store_tx *tx;
    size_t n = 0;
    if (!(f.region_prefix = api_case_list_region(req)))
        return;
    if (f.state && strcmp(f.state, "open") != 0 &&
        strcmp(f.state, "proposed") != 0 && strcmp(f.state, "decided") != 0 &&
        strcmp(f.state, "cancelled") != 0) {
        api_error(req, 400, "INVALID_STATE", "state",
                  "state is open, proposed, decided or cancelled",
                  "state 须为 open、proposed、decided 或 cancelled");
        return;
    }
    struct review_row *rows = api_alloc(req, (limit + 1) * sizeof(*rows));
    if (!rows || api_begin(req, STORE_READ, &tx))
        return;
    enum dd_status rc = store_review_page(tx, &f, rows, limit + 1, &n);
    if (api_check(req, rc, NULL))
        return;
    api_case_page_reply(req, "reviews", rows, sizeof(*rows),
                        offsetof(struct review_row, id), n, limit,
                        put_review_row);
}

/* Loads the path's review in tx and checks the caller may read it (its
 * village; out of scope: 404): 0, or -1 after replying. */
static int
load(struct http_request *req, struct store_tx *tx, struct review_row *r)
{
    enum dd_status rc = store_review_get(tx, api_path_id(req, 0), r);
    return api_check(req, rc, NULL)
               ? -1
               : api_authorise(req, AUTHZ_CASE_READ, r->region_code, "");
}

/* The review with its facts and the engine's explanation, and what a
 * decision did (ch, may be NULL): the change it made, or, for a stop the
 * programme publicises first (特困, 公示), the publicity it opened on the
 * entitlement (no change yet: the stop is decided on the entitlement once
 * the 公示 has run), as the reply's object. */
static enum dd_status
put_full(struct http_request *req, struct store_tx *tx, struct jw *w,
         const struct review_row *r, const struct entitlement_change_row *ch)
{
    char *facts = arena_alloc(req->arena, TEXT_CAP);
    char *expl = arena_alloc(req->arena, TEXT_CAP);
    if (!facts || !expl)
        return DD_ENOMEM;
    enum dd_status rc =
        store_review_facts_get(tx, r->id, facts, TEXT_CAP, expl, TEXT_CAP);
    if (rc != DD_OK)
        return rc;
    jw_obj(w, NULL);
    put_review(w, "review", r);
    if (facts[0])
        jw_raw(w, "facts", facts);
    else
        jw_null(w, "facts");
    if (expl[0])
        jw_raw(w, "explanation", expl);
    else
        jw_null(w, "explanation");
    if (ch && !ch->id) {
        struct entitlement_row e;
        rc = store_entitlement_get(tx, r->entitlement_id, &e);
        if (rc != DD_OK)
            return rc;
        jw_null(w, "change");
        api_put_stop_publicity(w, "stop_publicity", &e);
    } else if (ch) {
        jw_obj(w, "change");
        jw_int(w, "id", ch->id);
        jw_str(w, "event", ch->event);
        jw_str(w, "effect_month", ch->effect_month);
        if (ch->amount_fen)
            jw_int(w, "amount_fen", ch->amount_fen);
        if (ch->months)
            jw_int(w, "months", ch->months);
        jw_end(w);
    }
    jw_end(w);
    return DD_OK;
}

/* GET /api/v1/reviews/{id} */
static void
review_get(struct http_request *req)
{
    struct review_row r;
    struct store_tx *tx;
    struct jw w;
    if (api_begin(req, STORE_READ, &tx) || load(req, tx, &r))
        return;
    jw_init(&w, REPLY_CAP);
    enum dd_status rc = put_full(req, tx, &w, &r, NULL);
    if (rc != DD_OK) {
        jw_free(&w);
        api_fail(req, rc, NULL);
        return;
    }
    api_reply_jw(req, 200, &w);
}

/* Begins a write on the path's review: in scope to write (the record
 * first: out of scope is 404 whatever the body). 0, or -1 after
 * replying. */
static int
begin_write(struct http_request *req, struct store_tx **tx,
            struct review_row *r, struct cases_ctx *x)
{
    if (api_begin(req, STORE_WRITE, tx) || load(req, *tx, r) ||
        api_authorise(req, AUTHZ_CASE_WRITE, r->region_code, ""))
        return -1;
    api_case_ctx(req, *tx, x);
    return 0;
}

/* Ends the step's write: its failure replied (with err), else the
 * review as it now stands committed and replied. */
static void
end_write(struct http_request *req, struct store_tx *tx, enum dd_status rc,
          const struct dd_error *err, const struct review_row *r,
          const struct entitlement_change_row *ch)
{
    struct jw w;
    jw_init(&w, REPLY_CAP);
    if (rc == DD_OK)
        rc = put_full(req, tx, &w, r, ch);
    if (api_finish(req, tx, rc, err)) {
        jw_free(&w);
        return;
    }
    api_reply_jw(req, 200, &w);
}

struct facts_body {
    int irregular_income;
    const char *card_expiry;
    int64_t version;
};

#define FB(f) offsetof(struct facts_body, f)
static const struct json_field facts_fields[] = {
    {"irregular_income", JSON_T_BOOL, 0, 0, 1, FB(irregular_income)},
    {"card_expiry", JSON_T_STRING, 0, 0, 10, FB(card_expiry)},
    {"version", JSON_T_INT, 1, 1, INT32_MAX, FB(version)},
};

/* POST /api/v1/reviews/{id}/facts {facts, irregular_income, card_expiry,
 * version}: the facts recorded and the engine rerun on them. */
static void
review_facts(struct http_request *req)
{
    struct facts_body b = {0};
    struct review_row r;
    struct cases_ctx x;
    struct store_tx *tx;
    struct dd_error err = {0};
    unsigned present = 0;
    const char *facts = NULL, *rest = NULL;
    if (begin_write(req, &tx, &r, &x))
        return;
    enum dd_status rc =
        json_cases_take_object(req->arena, req->body.data ? req->body.data : "",
                               req->body.len, "facts", &facts, &rest, &err);
    if (rc == DD_OK)
        rc = json_decode_object(req->arena, rest, strlen(rest), facts_fields,
                                sizeof(facts_fields) / sizeof(facts_fields[0]),
                                &b, &present, &err);
    if (api_check(req, rc, &err))
        return;
    struct cases_review_facts in = {.facts = facts,
                                    .irregular_income = b.irregular_income,
                                    .card_expiry = b.card_expiry,
                                    .version = b.version};
    rc = cases_review_facts(&x, &r, &in, &err);
    end_write(req, tx, rc, &err, &r, NULL);
}

struct propose_body {
    const char *proposal, *stop_reason, *reason_text;
    int64_t amount_fen, months, version;
};

#define PB(f) offsetof(struct propose_body, f)
static const struct json_field propose_fields[] = {
    {"proposal", JSON_T_STRING, 0, 1, 11, PB(proposal)},
    {"amount_fen", JSON_T_INT, 0, 1, AMOUNT_MAX, PB(amount_fen)},
    {"months", JSON_T_INT, 0, 1, 12, PB(months)},
    {"stop_reason", JSON_T_STRING, 0, 1, 15, PB(stop_reason)},
    {"reason_text", JSON_T_STRING, 0, 0, 500, PB(reason_text)},
    {"version", JSON_T_INT, 1, 1, INT32_MAX, PB(version)},
};

/* POST /api/v1/reviews/{id}/propose: the township reviewer confirms the
 * engine's proposal or gives another with reasons; unchanged closes. */
static void
review_propose(struct http_request *req)
{
    struct propose_body b = {0};
    struct review_row r;
    struct cases_ctx x;
    struct store_tx *tx;
    struct dd_error err = {0};
    unsigned present = 0;
    if (begin_write(req, &tx, &r, &x) ||
        api_decode(req, propose_fields,
                   sizeof(propose_fields) / sizeof(propose_fields[0]), &b,
                   &present))
        return;
    struct cases_review_proposal in = {.proposal = b.proposal,
                                       .amount_fen = b.amount_fen,
                                       .months = b.months,
                                       .stop_reason = b.stop_reason,
                                       .reason_text = b.reason_text,
                                       .version = b.version};
    enum dd_status rc = cases_review_propose(&x, &r, &in, &err);
    end_write(req, tx, rc, &err, &r, NULL);
}

struct decide_body {
    int64_t version;
};

static const struct json_field decide_fields[] = {
    {"version", JSON_T_INT, 1, 1, INT32_MAX,
     offsetof(struct decide_body, version)},
};

/* POST /api/v1/reviews/{id}/decide {version}: the item's deciding level
 * applies the proposal to the entitlement. */
static void
review_decide(struct http_request *req)
{
    struct decide_body b = {0};
    struct review_row r;
    struct cases_ctx x;
    struct store_tx *tx;
    struct dd_error err = {0};
    struct entitlement_change_row ch;
    struct cases_ent_notice notice;
    unsigned present = 0;
    if (begin_write(req, &tx, &r, &x) ||
        api_decode(req, decide_fields, 1, &b, &present))
        return;
    enum dd_status rc =
        cases_review_decide(&x, &r, b.version, &ch, &notice, &err);
    end_write(req, tx, rc, &err, &r, &ch);
}

/* POST /api/v1/reviews/schedule?county=&after=&limit=: opens the next
 * review of the county's entitlements that have none (a migrated
 * caseload, the demo); the reply's next_after continues the run. */
static void
reviews_schedule(struct http_request *req)
{
    const char *county = http_query(req, "county");
    struct cases_ctx x;
    struct store_tx *tx;
    struct dd_error err = {0};
    size_t opened = 0;
    int64_t next_after = 0;
    if (api_authorise(req, AUTHZ_CASE_WRITE, county, "") ||
        api_begin(req, STORE_WRITE, &tx))
        return;
    api_case_ctx(req, tx, &x);
    enum dd_status rc =
        cases_review_schedule(&x, county, api_query_int(req, "after", 0),
                              (size_t)api_query_int(req, "limit", SCHEDULE_MAX),
                              &opened, &next_after, &err);
    if (api_finish(req, tx, rc, &err))
        return;
    struct jw w;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    jw_int(&w, "opened", (int64_t)opened);
    if (next_after)
        jw_int(&w, "next_after", next_after);
    else
        jw_null(&w, "next_after");
    jw_end(&w);
    api_reply_jw(req, 200, &w);
}

static const struct param_spec schedule_query[] = {
    {"county", PARAM_DIGITS, 1, 6, 0, 0},
    {"after", PARAM_INT, 0, 0, 0, INT64_MAX},
    {"limit", PARAM_INT, 0, 0, 1, SCHEDULE_MAX},
    {NULL, 0, 0, 0, 0, 0},
};

static const struct param_spec list_query[] = {
    {"region", PARAM_REGION, 0, 12, 0, 0},
    {"item", PARAM_NAME, 0, 31, 0, 0},
    {"state", PARAM_NAME, 0, 11, 0, 0},
    {"due_before", PARAM_DATE, 0, 10, 0, 0},
    {"after", PARAM_INT, 0, 0, 0, INT64_MAX},
    {"limit", PARAM_INT, 0, 0, 1, PAGE_MAX},
    {NULL, 0, 0, 0, 0, 0},
};

/* clang-format off: one route per line */
static const struct route routes[] = {
    {"GET", "/api/v1/reviews", NULL, list_query, AUTHZ_CASE_READ, 0,
     reviews_list, "the review inbox in the caller's scope, page by page"},
    {"POST", "/api/v1/reviews/schedule", NULL, schedule_query, AUTHZ_CASE_WRITE,
     0, reviews_schedule,
     "open the reviews a county's entitlements are due (audited)"},
    {"GET", "/api/v1/reviews/{id}", api_id_param, api_no_query, AUTHZ_CASE_READ,
     0, review_get, "one review with its facts and the engine's explanation"},
    {"POST", "/api/v1/reviews/{id}/facts", api_id_param, api_no_query,
     AUTHZ_CASE_READ, ROUTE_BODY, review_facts,
     "record the review's facts and rerun the engine (version-checked, "
     "audited)"},
    {"POST", "/api/v1/reviews/{id}/propose", api_id_param, api_no_query,
     AUTHZ_CASE_READ, ROUTE_BODY, review_propose,
     "the township's proposal; unchanged closes the review (version-checked, "
     "audited)"},
    {"POST", "/api/v1/reviews/{id}/decide", api_id_param, api_no_query,
     AUTHZ_CASE_READ, ROUTE_BODY, review_decide,
     "the deciding level applies the proposal to the entitlement "
     "(version-checked, audited)"},
};
/* clang-format on */

const struct route_table api_review_routes = {
    "reviews", routes, sizeof(routes) / sizeof(routes[0])};
