/* SPDX-License-Identifier: MIT */
/* A member's death over HTTP (issue 13 §5): POST
 * /api/v1/persons/{id}/death records it and replies with what it did
 * (entitlements suspended, re-checks opened, recoveries owed). Parses,
 * authorises on the household's village and calls src/cases/deaths.c,
 * where the rules are. */
#include "api/api_cases.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cases/deaths.h"

#define REPLY_CAP (1u << 20)

struct death_body {
    const char *died_on, *source, *note;
    int64_t version;
};

#define DB(f) offsetof(struct death_body, f)
static const struct json_field death_fields[] = {
    {"died_on", JSON_T_STRING, 1, 10, 10, DB(died_on)},
    {"source", JSON_T_STRING, 1, 1, 11, DB(source)},
    {"note", JSON_T_STRING, 0, 0, 500, DB(note)},
    {"version", JSON_T_INT, 0, 1, INT32_MAX, DB(version)},
};

/* The death as recorded, and when withdrawn by whom and why. */
static void
put_death(struct jw *w, const struct person_death_row *d)
{
    jw_obj(w, "death");
    jw_int(w, "person_id", d->person_id);
    jw_int(w, "household_id", d->household_id);
    jw_str(w, "died_on", d->died_on);
    jw_str(w, "source", d->source);
    jw_str(w, "note", d->note);
    jw_str(w, "recorded_by", d->recorded_by);
    if (d->withdrawn_at) {
        jw_str(w, "withdrawn_by", d->withdrawn_by);
        jw_int(w, "withdrawn_at", d->withdrawn_at);
        jw_str(w, "withdrawn_reason", d->withdrawn_reason);
    }
    jw_end(w);
}

/* The opening both routes share: the write transaction (x->tx), the
 * person's household into rh (404 for no such person), case.write on its
 * village, the body decoded into body (whose version field is *version)
 * and the version wanted. 0 to go on; -1 once replied. */
static int
death_open(struct http_request *req, struct cases_ctx *x,
           struct registry_household *rh, const struct json_field *fields,
           size_t nfields, void *body, const int64_t *version, int64_t *want)
{
    struct store_tx *tx;
    unsigned present = 0;
    if (api_begin(req, STORE_WRITE, &tx))
        return -1;
    api_case_ctx(req, tx, x);
    enum dd_status rc = cases_death_household(x, api_path_id(req, 0), rh);
    return api_check(req, rc, NULL) ||
                   api_authorise(req, AUTHZ_CASE_WRITE, rh->h.region_code,
                                 "") ||
                   api_decode(req, fields, nfields, body, &present) ||
                   api_expected_version(req, *version, want)
               ? -1
               : 0;
}

static void
put_result(struct jw *w, const struct cases_death_result *r)
{
    put_death(w, &r->death);
    jw_arr(w, "suspended");
    for (size_t i = 0; i < r->suspended_count; i++) {
        jw_obj(w, NULL);
        jw_int(w, "entitlement_id", r->suspended[i].entitlement_id);
        jw_str(w, "effect_month", r->suspended[i].effect_month);
        jw_str(w, "reason_text", r->suspended[i].reason_text);
        jw_end(w);
    }
    jw_end(w);
    jw_arr(w, "reviews");
    for (size_t i = 0; i < r->review_count; i++) {
        jw_obj(w, NULL);
        jw_int(w, "review_id", r->reviews[i].review_id);
        jw_int(w, "entitlement_id", r->reviews[i].entitlement_id);
        jw_str(w, "due_day", r->reviews[i].due_day);
        jw_end(w);
    }
    jw_end(w);
    jw_arr(w, "recoveries");
    for (size_t i = 0; i < r->recovery_count; i++) {
        const struct cases_death_recovery *rc = &r->recoveries[i];
        jw_obj(w, NULL);
        jw_int(w, "recovery_id", rc->recovery_id);
        jw_int(w, "entitlement_id", rc->entitlement_id);
        jw_arr(w, "months");
        for (size_t k = 0; k < rc->month_count; k++)
            jw_str(w, NULL, rc->months[k]);
        jw_end(w);
        jw_int(w, "amount_fen", rc->amount_fen);
        jw_end(w);
    }
    jw_end(w);
}

/* POST /api/v1/persons/{id}/death: the person's household in the
 * caller's scope (else 404), the death recorded with what follows from
 * it in one transaction. */
static void
death_record(struct http_request *req)
{
    struct death_body b = {.version = -1};
    struct cases_death_result res;
    struct dd_error err = {0};
    struct cases_ctx x;
    int64_t want = -1;
    memset(&res, 0, sizeof(res));
    if (death_open(req, &x, &res.rh, death_fields,
                   sizeof(death_fields) / sizeof(death_fields[0]), &b,
                   &b.version, &want))
        return;
    struct cases_death_input in = {.person_id = api_path_id(req, 0),
                                   .died_on = b.died_on,
                                   .source = b.source,
                                   .note = b.note,
                                   .version = want};
    enum dd_status rc = cases_death_record(&x, &in, &res, &err);
    if (api_finish(req, x.tx, rc, &err))
        return;
    struct jw w;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    put_result(&w, &res);
    jw_end(&w);
    api_reply_jw(req, 201, &w);
}

struct withdraw_body {
    const char *reason;
    int64_t version;
};

#define WB(f) offsetof(struct withdraw_body, f)
static const struct json_field withdraw_fields[] = {
    {"reason", JSON_T_STRING, 1, 1, 500, WB(reason)},
    {"version", JSON_T_INT, 0, 1, INT32_MAX, WB(version)},
};

static void
put_withdrawal(struct jw *w, const struct cases_death_withdraw_result *r)
{
    put_death(w, &r->death);
    jw_arr(w, "resumed");
    for (size_t i = 0; i < r->resumed_count; i++) {
        jw_obj(w, NULL);
        jw_int(w, "entitlement_id", r->resumed[i].entitlement_id);
        jw_str(w, "effect_month", r->resumed[i].effect_month);
        jw_end(w);
    }
    jw_end(w);
    jw_arr(w, "recoveries");
    for (size_t i = 0; i < r->waiver_count; i++) {
        jw_obj(w, NULL);
        jw_int(w, "recovery_id", r->waivers[i].recovery_id);
        jw_int(w, "entitlement_id", r->waivers[i].entitlement_id);
        jw_int(w, "waived_fen", r->waivers[i].waived_fen);
        jw_int(w, "refund_fen", r->waivers[i].refund_fen);
        jw_end(w);
    }
    jw_end(w);
    jw_arr(w, "reviews_cancelled");
    for (size_t i = 0; i < r->cancelled_count; i++)
        jw_int(w, NULL, r->cancelled[i]);
    jw_end(w);
}

/* POST /api/v1/persons/{id}/death/withdraw: a death recorded in error
 * withdrawn, at the household's version (cases_death_withdraw) */
static void
death_withdraw(struct http_request *req)
{
    struct withdraw_body b = {.version = -1};
    struct cases_death_withdraw_result res;
    struct dd_error err = {0};
    struct cases_ctx x;
    int64_t want = -1;
    memset(&res, 0, sizeof(res));
    if (death_open(req, &x, &res.rh, withdraw_fields,
                   sizeof(withdraw_fields) / sizeof(withdraw_fields[0]), &b,
                   &b.version, &want))
        return;
    struct cases_death_withdrawal in = {
        .person_id = api_path_id(req, 0), .reason = b.reason, .version = want};
    enum dd_status rc = cases_death_withdraw(&x, &in, &res, &err);
    if (api_finish(req, x.tx, rc, &err))
        return;
    struct jw w;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    put_withdrawal(&w, &res);
    jw_end(&w);
    api_reply_jw(req, 200, &w);
}

/* clang-format off: one route per line */
static const struct route routes[] = {
    {"POST", "/api/v1/persons/{id}/death", api_id_param, api_no_query, AUTHZ_CASE_READ, ROUTE_BODY, death_record, "record a member's death: suspend what only they drew, re-check the household, recover overpayments"},
    {"POST", "/api/v1/persons/{id}/death/withdraw", api_id_param, api_no_query, AUTHZ_CASE_READ, ROUTE_BODY, death_withdraw, "withdraw a death recorded in error: resume what it suspended, waive its recoveries, cancel its re-check"},
};
/* clang-format on */

const struct route_table api_death_routes = {"deaths", routes,
                                             sizeof(routes) /
                                                 sizeof(routes[0])};
