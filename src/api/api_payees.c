/* SPDX-License-Identifier: MIT */
/* Payees over HTTP (issue 13 §2): a person's bank accounts, masked to
 * their last 4 digits unless a role that may read personal data asks
 * ?unmask=true (each account unmasked audited in the same transaction);
 * an account entered by one officer, confirmed or rejected by another
 * (four eyes); and the payee an entitlement names. Each handler parses,
 * authorises, calls the case service (src/cases/payees.c) and encodes;
 * the account number is never logged. */
#include "api/api_cases.h"

#include <string.h>

#include "cases/payees.h"
#include "core/str.h"
#include "crypto/crypto.h"

#define REPLY_CAP (64u * 1024u)

/* One account, its number masked to the last 4 digits, or in full in
 * number when not NULL. */
static void
put_account(struct jw *w, const char *key, const struct payee_account_row *a,
            const char *number)
{
    char masked[16];
    snprintf(masked, sizeof(masked), "****%s", a->account_last4);
    jw_obj(w, key);
    jw_int(w, "id", a->id);
    jw_int(w, "version", a->version);
    jw_int(w, "person_id", a->person_id);
    jw_int(w, "household_id", a->household_id);
    jw_str(w, "kind", a->kind);
    jw_str(w, "bank_code", a->bank_code);
    jw_str(w, "account", number ? number : masked);
    jw_str(w, "account_last4", a->account_last4);
    jw_str(w, "account_name", a->account_name);
    jw_str(w, "state", a->state);
    jw_str(w, "entered_by", a->entered_by);
    jw_time(w, "entered_at", a->entered_at);
    jw_str_or_null(w, "confirmed_by",
                   a->confirmed_by[0] ? a->confirmed_by : NULL);
    if (a->confirmed_at)
        jw_time(w, "confirmed_at", a->confirmed_at);
    else
        jw_null(w, "confirmed_at");
    jw_str_or_null(w, "reason", a->reason[0] ? a->reason : NULL);
    jw_end(w);
}

/* Loads the path's person in tx and authorises action on their
 * household's village (no department owns a payee): 0, or -1 after
 * replying (out of scope: 404). */
static int
load_person(struct http_request *req, struct store_tx *tx,
            enum authz_action action, struct payee_person_row *p)
{
    enum dd_status rc = store_payee_person_get(tx, api_path_id(req, 0), p);
    return api_check(req, rc, NULL)
               ? -1
               : api_authorise(req, action, p->region_code, "");
}

/* GET /api/v1/persons/{id}/payee-accounts: newest first. */
static void
accounts_list(struct http_request *req)
{
    struct payee_person_row p;
    struct store_tx *tx;
    size_t n = 0;
    int unmask;
    if (api_want_unmask(req, &unmask) ||
        api_begin(req, unmask ? STORE_WRITE : STORE_READ, &tx) ||
        load_person(req, tx, AUTHZ_HOUSEHOLD_READ, &p) ||
        (unmask &&
         api_authorise(req, AUTHZ_PERSONAL_READ, p.region_code, "")))
        return;
    struct payee_account_row *rows =
        api_alloc(req, STORE_PAYEE_ACCOUNTS_MAX * sizeof(*rows));
    if (!rows)
        return;
    enum dd_status rc = store_payee_account_list(
        tx, p.id, rows, STORE_PAYEE_ACCOUNTS_MAX, &n);
    struct jw w;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    jw_int(&w, "person_id", p.id);
    jw_bool(&w, "unmasked", unmask);
    jw_arr(&w, "accounts");
    for (size_t i = 0; rc == DD_OK && i < n; i++) {
        char number[PAYEE_NUMBER_MAX + 1] = "";
        if (unmask)
            rc = cases_payee_account_number(API(req)->pii, &rows[i], number);
        /* each account read in full is audited, in this transaction */
        if (rc == DD_OK && unmask)
            rc = api_audit(
                req, tx, "payee_account.unmask",
                arena_printf(req->arena, "payee_account:%lld",
                             (long long)rows[i].id),
                rows[i].region_code,
                json_object_of_strings(
                    req->arena,
                    (const char *[]){"person",
                                     arena_printf(req->arena, "%lld",
                                                  (long long)p.id)},
                    1));
        if (rc == DD_OK)
            put_account(&w, NULL, &rows[i], unmask ? number : NULL);
        crypto_wipe(number, sizeof(number));
    }
    jw_end(&w);
    jw_end(&w);
    if (api_finish(req, tx, rc, NULL)) {
        jw_free(&w);
        return;
    }
    api_reply_jw(req, 200, &w);
}

struct enter_body {
    const char *kind, *bank_code, *account, *account_name;
};

#define EB(f) offsetof(struct enter_body, f)
static const struct json_field enter_fields[] = {
    {"kind", JSON_T_STRING, 1, 1, 11, EB(kind)},
    {"bank_code", JSON_T_STRING, 1, 1, 15, EB(bank_code)},
    /* 19 digits with grouping spaces */
    {"account", JSON_T_STRING, 1, 1, 40, EB(account)},
    {"account_name", JSON_T_STRING, 1, 1, PAYEE_NAME_MAX, EB(account_name)},
};

/* POST /api/v1/persons/{id}/payee-accounts: a pending account. */
static void
account_enter(struct http_request *req)
{
    struct enter_body b = {0};
    struct payee_person_row p;
    struct payee_account_row a;
    struct dd_error err = {0};
    struct cases_ctx x;
    struct store_tx *tx;
    unsigned present = 0;
    int64_t sharing = 0;
    if (api_begin(req, STORE_WRITE, &tx) ||
        load_person(req, tx, AUTHZ_HOUSEHOLD_WRITE, &p) ||
        api_decode(req, enter_fields,
                   sizeof(enter_fields) / sizeof(enter_fields[0]), &b,
                   &present))
        return;
    api_case_ctx(req, tx, &x);
    struct cases_payee_input in = {.kind = b.kind,
                                   .bank_code = b.bank_code,
                                   .account = b.account,
                                   .account_name = b.account_name};
    enum dd_status rc =
        cases_payee_account_enter(&x, &p, &in, &a, &sharing, &err);
    if (api_finish(req, tx, rc, &err))
        return;
    struct jw w;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    put_account(&w, "account", &a, NULL);
    /* other persons paid into the same account (fund integrity) */
    jw_int(&w, "shared_with_persons", sharing);
    jw_end(&w);
    api_reply_jw(req, 201, &w);
}

struct decide_body {
    const char *reason;
    int64_t version;
};

#define DB(f) offsetof(struct decide_body, f)
static const struct json_field decide_fields[] = {
    {"version", JSON_T_INT, 0, 1, INT32_MAX, DB(version)},
    {"reason", JSON_T_STRING, 0, 0, 500, DB(reason)},
};

/* POST /api/v1/payee-accounts/{id}/confirm and /reject, at the version
 * read (If-Match or "version"; none is 428). */
static void
account_decide(struct http_request *req, int confirm)
{
    struct decide_body b = {.version = -1};
    struct payee_account_row a;
    struct dd_error err = {0};
    struct cases_ctx x;
    struct store_tx *tx;
    unsigned present = 0;
    int64_t want = -1, superseded = 0;
    if (api_begin(req, STORE_WRITE, &tx))
        return;
    enum dd_status rc = store_payee_account_get(tx, api_path_id(req, 0), &a);
    if (api_check(req, rc, NULL) ||
        api_authorise(req, AUTHZ_HOUSEHOLD_WRITE, a.region_code, "") ||
        api_decode(req, decide_fields,
                   sizeof(decide_fields) / sizeof(decide_fields[0]), &b,
                   &present) ||
        api_version_required(req, b.version, &want))
        return;
    api_case_ctx(req, tx, &x);
    rc = confirm ? cases_payee_account_confirm(&x, &a, want, &superseded, &err)
                 : cases_payee_account_reject(&x, &a, want, b.reason, &err);
    if (api_finish(req, tx, rc, &err))
        return;
    struct jw w;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    put_account(&w, "account", &a, NULL);
    if (superseded)
        jw_int(&w, "superseded_id", superseded);
    else
        jw_null(&w, "superseded_id");
    jw_end(&w);
    api_reply_jw(req, 200, &w);
}

static void
account_confirm(struct http_request *req)
{
    account_decide(req, 1);
}

static void
account_reject(struct http_request *req)
{
    account_decide(req, 0);
}

struct payee_body {
    int64_t person_id, version;
};

#define PB(f) offsetof(struct payee_body, f)
static const struct json_field payee_fields[] = {
    {"person_id", JSON_T_INT, 1, 1, INT64_MAX, PB(person_id)},
    {"version", JSON_T_INT, 0, 1, INT32_MAX, PB(version)},
};

/* POST /api/v1/entitlements/{id}/payee: names the person paid, at the
 * version read, by the level that decides the item; a person unknown or
 * out of the caller's scope is a 400 naming person_id. */
static void
entitlement_payee(struct http_request *req)
{
    struct payee_body b = {.version = -1};
    struct entitlement_row e;
    struct payee_person_row p;
    struct dd_error err = {0};
    struct cases_ctx x;
    struct store_tx *tx;
    unsigned present = 0;
    int64_t want = -1;
    if (api_begin(req, STORE_WRITE, &tx))
        return;
    enum dd_status rc = store_entitlement_get(tx, api_path_id(req, 0), &e);
    if (api_check(req, rc, NULL) ||
        api_authorise(req, AUTHZ_CASE_WRITE, e.region_code, "") ||
        api_decode(req, payee_fields,
                   sizeof(payee_fields) / sizeof(payee_fields[0]), &b,
                   &present) ||
        api_version_required(req, b.version, &want))
        return;
    rc = store_payee_person_get(tx, b.person_id, &p);
    if (rc == DD_ENOTFOUND ||
        (rc == DD_OK && !authz_in_scope(PRINCIPAL(req), p.region_code))) {
        api_error(req, 400, "UNKNOWN_PERSON", "person_id",
                  "no such person in your scope", "您的管辖范围内没有该人员");
        return;
    }
    if (api_check(req, rc, NULL))
        return;
    api_case_ctx(req, tx, &x);
    rc = cases_entitlement_payee(&x, &e, &p, want, &err);
    if (api_finish(req, tx, rc, &err))
        return;
    struct jw w;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    jw_obj(&w, "entitlement");
    jw_int(&w, "id", e.id);
    jw_int(&w, "version", e.version);
    jw_int(&w, "payee_person_id", e.payee_person_id);
    jw_end(&w);
    jw_end(&w);
    api_reply_jw(req, 200, &w);
}

static const struct param_spec list_query[] = {
    {"unmask", PARAM_STRING, 0, 5, 0, 0},
    {NULL, 0, 0, 0, 0, 0},
};

/* clang-format off: one route per line */
static const struct route routes[] = {
    {"GET", "/api/v1/persons/{id}/payee-accounts", api_id_param, list_query, AUTHZ_HOUSEHOLD_READ, 0, accounts_list, "a person's bank accounts, masked; ?unmask=true shows the numbers (audited)"},
    {"POST", "/api/v1/persons/{id}/payee-accounts", api_id_param, api_no_query, AUTHZ_HOUSEHOLD_READ, ROUTE_BODY, account_enter, "enter a bank account, pending until another officer confirms it"},
    {"POST", "/api/v1/payee-accounts/{id}/confirm", api_id_param, api_no_query, AUTHZ_HOUSEHOLD_READ, ROUTE_BODY, account_confirm, "confirm a pending account (not by who entered it): it becomes the one paid into"},
    {"POST", "/api/v1/payee-accounts/{id}/reject", api_id_param, api_no_query, AUTHZ_HOUSEHOLD_READ, ROUTE_BODY, account_reject, "reject a pending account, with a reason (not by who entered it)"},
    {"POST", "/api/v1/entitlements/{id}/payee", api_id_param, api_no_query, AUTHZ_CASE_READ, ROUTE_BODY, entitlement_payee, "name the person an entitlement is paid to (version-checked, audited)"},
};
/* clang-format on */

const struct route_table api_payee_routes = {
    "payees", routes, sizeof(routes) / sizeof(routes[0])};
