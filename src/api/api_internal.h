/* SPDX-License-Identifier: MIT */
/* What the resource modules share: the application context, the signed-in
 * principal, and helpers that reply with the error envelope. Each helper
 * that fails has already replied; the handler just returns. */
#ifndef DD_API_INTERNAL_H
#define DD_API_INTERNAL_H

#include <pthread.h>
#include <stdio.h>

#include "api/api.h"
#include "api/session_cache.h"
#include "core/buf.h"
#include "core/ratelimit.h"
#include "domain/authz.h"
#include "accounts/citizen.h"
#include "domain/policy.h"
#include "json/json.h"
#include "refdata/refdata.h"

struct api {
    struct store *store;
    /* the standby the reports read (db-replica), or NULL: the store */
    struct store *replica;
    /* signed-in sessions remembered (PostgreSQL), or NULL */
    struct session_cache *sessions;
    const struct config *cfg;
    struct zone_township *zones; /* sorted by zone */
    size_t zone_count;
    struct region *regions;   /* reference data, sorted by code */
    const char **region_json; /* each region's reply, rendered at start */
    size_t region_count;
    struct arena *reference; /* owns region_json */
    struct ratelimit *login_limit;
    int cookie_secure; /* the session cookie carries Secure */
    struct ratelimit *calculator_limit; /* api_assess.c */
    char dummy_hash[128]; /* verified against for unknown users */
    struct pii_keys *pii; /* the data key, loaded once (api_households.c) */
    /* policy parameters: every version, read under the read lock and
     * extended (never changed) under the write lock (api_policy.c) */
    struct policy_table *policy;
    pthread_rwlock_t policy_lock;
    int policy_lock_ready;
    /* the holiday calendar (domain/workcal.h): loaded from the holiday
     * table at start and replaced whole, never changed in place, when a
     * year's version is loaded (api_calendar.c); read through
     * api_calendar(). A replaced one stays until api_free: a request may
     * still hold it. */
    struct workcal *calendar;
    struct workcal **calendar_retired;
    size_t calendar_retired_count;
    /* citizens signing in by phone (api_citizen.c): rate limits per
     * phone (keyed by its blind index) and per address, and the code
     * sender (NULL: none configured, so code requests are 503) */
    struct ratelimit *otp_phone_limit, *otp_address_limit;
    struct ratelimit *filing_address_limit; /* online applications */
    const struct otp_sender *otp_sender;
    struct sms_gateway *sms; /* the SMS gateway, or NULL */
    struct oidc *oidc; /* OpenID Connect sign-in (api_oidc.c), or NULL */
    /* the service catalog: every version, extended (never changed) under
     * the write lock (api_catalog.c) */
    struct catalog *catalog;
    pthread_rwlock_t catalog_lock;
    int catalog_lock_ready;
    /* the step templates (data/catalog/steps.csv), read at start and
     * read-only after, so read without a lock (api_catalog.c) */
    struct wf_book *steps;
};

#define API(req) ((struct api *)(req)->app)
#define PRINCIPAL(req) ((struct principal *)(req)->principal)

/* The holiday calendar in force now (api_calendar.c); api_calendar_free
 * frees it and every one it replaced. */
const struct workcal *api_calendar(struct api *a);
void api_calendar_free(struct api *a);

/* api_begin's read for a report (the KPI report, the monthly return,
 * the caseload dashboard): on the standby when db-replica names one, so
 * that a city's reports do not load the database the windows write to. A
 * standby is behind by its replication lag. */
int api_begin_report(struct http_request *req, struct store_tx **tx);
/* size bytes in the request's arena; NULL after replying 503. */
void *api_alloc(struct http_request *req, size_t size);
/* Replies with status and a fresh error. */
void api_error(struct http_request *req, int status, const char *code,
               const char *field, const char *en, const char *zh);
/* Replies for a status code from a lower layer; err may be NULL. */
void api_fail(struct http_request *req, enum dd_status st,
              const struct dd_error *err);
/* Replies with an encoded body, or 503 when encoding ran out of memory
 * (body NULL). */
void api_reply(struct http_request *req, int status, const char *body);
/* Replies with what w wrote (its text becomes the body, freed with the
 * request), or with w's error: 413 over the reply cap, 503 out of memory,
 * else 500. */
struct jw;
void api_reply_jw(struct http_request *req, int status, struct jw *w);
/* Takes a sign-in attempt from the client's address (staff or citizen):
 * 0, or -1 after replying 429 with an audit row action on object. */
int api_signin_limit(struct http_request *req, int64_t now,
                     const char *action, const char *object);
/* The one session cookie, staff or citizen. */
#define API_COOKIE_NAME "doudi_session"
/* Replies 201 with body (NULL: out of memory, 503) and sets the session
 * cookie to token for max_age_s seconds. */
void api_reply_signed_in(struct http_request *req, const char *token,
                         int max_age_s, const char *body);
/* Replies 204 and clears the session cookie. */
void api_reply_signed_out(struct http_request *req);
/* The n-th path parameter as an id (the router validated it). */
int64_t api_path_id(struct http_request *req, size_t n);
/* The audit row of a bulk export (SECURITY.md): action on object
 * "export" in region (NULL: the caller's whole scope), its detail the
 * caller's fields (filters, counts; fields is called with ctx once the
 * file is written), then the caller's scope, the format, the bytes and
 * the SM3 (hex) of the file served. */
struct api_export_audit {
    const char *action;
    const char *region;
    void (*fields)(void *ctx, struct jw *w);
};
/* Writes a download into a temporary file (to_xlsx writes the file at
 * path, to_csv into the open file f, each with ctx), writes its audit row
 * in a transaction of its own and replies 200 with the whole file,
 * name.csv (text/csv) or name.xlsx, sent from the file as the client
 * reads (no size cap, memory flat). Nothing is replied when it fails: the
 * writer's status, DD_EINTERNAL for the temporary file, the store's status
 * for the audit row, DD_ENOMEM. */
enum dd_status
api_reply_export(struct http_request *req, int xlsx, const char *name,
                 enum dd_status (*to_xlsx)(void *ctx, const char *path),
                 enum dd_status (*to_csv)(void *ctx, FILE *f), void *ctx,
                 const struct api_export_audit *audit) DD_WUR;
/* Closes f when the request ends (a file a reply is sent from): 0, or -1
 * with f closed already. */
int api_close_at_end(struct http_request *req, FILE *f);
/* Whether the body's Content-Type is type: 0, or -1 after replying 415. */
int api_content_type(struct http_request *req, const char *type);
/* The query's as_of, a date an assessment may take (absent: today in
 * Asia/Shanghai, kept in td): 0, or -1 after replying 400. */
struct civil_day;
int api_assess_date(struct http_request *req, struct civil_day *td,
                    const char **as_of, int *y, int *m, int *d);
/* Decodes the JSON body; 0 on success, -1 after replying 400. */
int api_decode(struct http_request *req, const struct json_field *fields,
               size_t count, void *dest, unsigned *present);
/* The request owns its transaction. api_begin begins one and records it
 * on the request (0, or -1 after replying 503; a second one while the
 * first is open is a bug, 500). api_commit commits it (0, or -1 after
 * replying 503). Whatever is still open when the handler returns is
 * rolled back by the pipeline, so an error path replies and returns.
 * api_end rolls back early, for the rare handler that must end a read
 * before slow work or a second transaction. */
int api_begin(struct http_request *req, enum store_mode mode,
              struct store_tx **tx);
/* api_begin without the reply: the status, for a handler with its own. */
enum dd_status api_tx_begin(struct http_request *req, enum store_mode mode,
                            struct store_tx **tx) DD_WUR;
/* api_commit without the reply: the status. */
enum dd_status api_tx_commit(struct http_request *req,
                             struct store_tx *tx) DD_WUR;
int api_commit(struct http_request *req, struct store_tx *tx);
/* 0 when rc is DD_OK, else -1 after replying rc (with err, which may be
 * NULL) through api_fail. Inline: it stands on every path, the household
 * read's too. */
static inline int
api_check(struct http_request *req, enum dd_status rc,
          const struct dd_error *err)
{
    if (rc == DD_OK)
        return 0;
    api_fail(req, rc, err);
    return -1;
}
/* Ends a write on the status of its work: rc failed replies it (with err,
 * which may be NULL) and returns -1; else commits as api_commit does. */
int api_finish(struct http_request *req, struct store_tx *tx, enum dd_status rc,
               const struct dd_error *err);
void api_end(struct http_request *req);
/* The record-level decision; 0, or -1 after replying 403/404. */
int api_authorise(struct http_request *req, enum authz_action action,
                  const char *region, const char *department);
/* Replies 403 when denied (the role may not), else 404 (the record is
 * out of scope), as api_authorise does. */
void api_refuse(struct http_request *req, int denied);
/* The audit object of a staff account, "user:<id>" (arena; NULL when
 * out of memory). */
const char *api_user_object(struct http_request *req, int64_t id);
/* Ends a sign-out: with rc (of deleting the session) DD_OK, writes the
 * audit row (action on object), commits, clears the cookie and replies
 * 204; else replies the error. */
void api_sign_out(struct http_request *req, struct store_tx *tx,
                  enum dd_status rc, const char *action, const char *object);
/* Appends an audit row for this request; returns its status. */
enum dd_status api_audit(struct http_request *req, struct store_tx *tx,
                         const char *action, const char *object,
                         const char *region, const char *detail) DD_WUR;

/* The index of the region with this code in the in-memory copy, or -1. */
long api_region_find(const struct api *a, const char *code);

/* Fills p from a scope string ("500103,zone:wansheng"), expanding zones.
 * DD_EINVAL when an entry names an unknown zone. */
enum dd_status api_scope_expand(const struct api *a, const char *scope,
                                struct principal *p) DD_WUR;

/* Authentication (api_session.c): resolves the cookie or bearer token into
 * req->principal. 0, or -1 after replying 401. */
int api_authenticate(struct http_request *req);
/* Whether the request carries the session's CSRF token (writes only). */
int api_csrf_ok(struct http_request *req);

/* Citizens (api_citizen.c). A cookie value starting with
 * CITIZEN_TOKEN_PREFIX is a citizen session: resolved into req->principal
 * with role citizen; 0, or -1 after replying 401. */
int api_citizen_authenticate(struct http_request *req, const char *cookie);
/* Whether a citizen's write carries its session's CSRF token. */
int api_citizen_csrf_ok(struct http_request *req);
/* The signed-in citizen of a request: its phone's blind index (as
 * citizen_phone_index computes it) and masked form. 0 when the caller is
 * a citizen, else -1 (nothing is replied). */
struct api_citizen {
    char phone_hash[PII_BLIND_INDEX_LEN + 1];
    char phone_masked[CITIZEN_MASKED_LEN];
    char id_hash[PII_BLIND_INDEX_LEN + 1]; /* the proved ID's, "" = none */
};
int api_citizen_of(struct http_request *req, struct api_citizen *out);
/* The audit actor and object for a phone or an ID number: its blind
 * index (citizen_phone_index or pii_blind_index: domains of their own),
 * shortened, so that no digit of the number is in the audit log (arena;
 * NULL when out of memory). */
const char *api_citizen_actor(struct http_request *req, const char *index);
/* Logs at start how citizens can sign in (phone, OpenID Connect, or
 * neither, so their sign-in routes answer 503); with citizen-portal=on
 * and neither, logs why and returns DD_EINVAL: serve does not start. */
enum dd_status api_citizen_portal_check(const struct api *a) DD_WUR;
/* Sets the session cookie to token for max_age_s seconds: 0, or -1 after
 * replying 503. */
int api_set_session_cookie(struct http_request *req, const char *token,
                           int max_age_s);
/* The service catalog (api_catalog.c): loading at start and freeing
 * (the case service copies items under the lock: cases_item_version). */
struct catalog_item;
enum dd_status api_catalog_load(struct api *a, struct store_tx *tx) DD_WUR;
void api_catalog_free(struct api *a);
/* it's materials as "materials":[{code, name_zh, name_en}] into w's open
 * object (api_catalog.c). */
void api_put_materials(struct jw *w, const struct catalog_item *it);

/* A department officer sees a household only through a referral of one
 * of its items to the officer's department (api_cases.c); every other
 * role as the grant table says. visible: 1 or 0 (0 on a store error
 * too). check: 0, or -1 after replying 404 (or the store's error). */
int api_household_dept_visible(struct http_request *req, struct store_tx *tx,
                               int64_t household_id);
int api_household_dept_check(struct http_request *req, struct store_tx *tx,
                             int64_t household_id);

/* Registers the household described by the JSON text body inside tx as
 * POST /api/v1/households does (the registry's checks, the caller's
 * scope, one active household per person, the household.create audit
 * row) and loads it into rh (api_households.c). 0, or -1 after replying;
 * the caller then rolls tx back. */
struct registry_household;
int api_household_insert_json(struct http_request *req, struct store_tx *tx,
                              const char *body, size_t len,
                              struct registry_household *rh);

/* The parameters most routes share: the path's {id}, and no query. */
/* The expected version of a versioned record: If-Match ("3", "\"3\"" or
 * W/"3") before the body's "version" (-1 when neither). 0, or -1 after
 * replying 400 INVALID_IF_MATCH (api_households.c). */
int api_expected_version(struct http_request *req, int64_t body_version,
                         int64_t *out);
/* api_expected_version, and a 428 VERSION_REQUIRED when neither gives a
 * version (body_version -1): 0, or -1 after replying. */
int api_version_required(struct http_request *req, int64_t body_version,
                         int64_t *out);
/* The query's unmask=true|false (absent: false): 0, or -1 after
 * replying 400 (api_households.c). */
int api_want_unmask(struct http_request *req, int *out);
extern const struct param_spec api_id_param[1];
extern const struct param_spec api_no_query[1];

/* The resource tables. */
extern const struct route_table api_system_routes;
extern const struct route_table api_session_routes;
extern const struct route_table api_region_routes;
extern const struct route_table api_user_routes;
extern const struct route_table api_audit_routes;
extern const struct route_table api_policy_routes;
extern const struct route_table api_household_routes;
extern const struct route_table api_assess_routes;
extern const struct route_table api_import_routes;
extern const struct route_table api_calendar_routes;
extern const struct route_table api_citizen_routes;
extern const struct route_table api_oidc_routes;
extern const struct route_table api_catalog_routes;
extern const struct route_table api_kpi_routes;
extern const struct route_table api_report_routes;
extern const struct route_table api_application_routes;
extern const struct route_table api_case_routes;
extern const struct route_table api_history_routes;
extern const struct route_table api_entitlement_routes;
extern const struct route_table api_payee_routes;
extern const struct route_table api_payment_routes;
extern const struct route_table api_review_routes;
extern const struct route_table api_death_routes;
extern const struct route_table api_recovery_routes;
extern const struct route_table api_payment_file_routes;
/* A payment batch as key into w (api_payments.c; the bank-file routes
 * reply it too). */
struct payment_batch_row;
void api_put_payment_batch(struct jw *w, const char *key,
                           const struct payment_batch_row *b);
/* The stop's 公示 running on entitlement e under key (null when none):
 * the day it opened, its last day and the first day the stop may be
 * decided (api_entitlements.c; a review's decision replies it too). */
struct entitlement_row;
void api_put_stop_publicity(struct jw *w, const char *key,
                            const struct entitlement_row *e);

#endif
