/* SPDX-License-Identifier: MIT */
/* The monthly payment batches (发放, issue 13 §3) over HTTP: build a
 * county's batch, list and read batches and their lines, the check's
 * figures, and the check, approval and closing, each at the version
 * read. Each handler parses, authorises (the batch's county is its
 * scope), calls the service (src/cases/payments.c) and encodes. */
#include "api/api_cases.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cases/payments.h"
#include "core/str.h"

#define REPLY_CAP (4u << 20)
#define PAGE_DEFAULT 100
/* a page of lines: a county's 60,000 in a few hundred pages */
#define PAGE_MAX 1000

/* v, or null for 0: no id, or a step not taken yet (its time). */
static void
put_or_null(struct jw *w, const char *key, int64_t v)
{
    if (v)
        jw_int(w, key, v);
    else
        jw_null(w, key);
}

void
api_put_payment_batch(struct jw *w, const char *key,
                      const struct payment_batch_row *b)
{
    jw_obj(w, key);
    jw_int(w, "id", b->id);
    jw_int(w, "version", b->version);
    jw_str(w, "county", b->county_code);
    jw_str(w, "item", b->item_code);
    jw_str(w, "month", b->month);
    jw_str(w, "kind", b->kind);
    jw_int(w, "seq", b->seq);
    jw_str(w, "state", b->state);
    jw_int(w, "line_count", b->line_count);
    jw_int(w, "total_fen", b->total_fen);
    jw_str(w, "built_by", b->built_by);
    jw_int(w, "built_at", b->built_at);
    jw_str_or_null(w, "checked_by", b->checked_by[0] ? b->checked_by : NULL);
    put_or_null(w, "checked_at", b->checked_at);
    jw_str_or_null(w, "approved_by",
                   b->approved_by[0] ? b->approved_by : NULL);
    put_or_null(w, "approved_at", b->approved_at);
    jw_str_or_null(w, "exported_by",
                   b->exported_by[0] ? b->exported_by : NULL);
    put_or_null(w, "exported_at", b->exported_at);
    jw_str_or_null(w, "file_sm3", b->file_sm3[0] ? b->file_sm3 : NULL);
    jw_str_or_null(w, "bank_code", b->bank_code[0] ? b->bank_code : NULL);
    jw_str_or_null(w, "closed_by", b->closed_by[0] ? b->closed_by : NULL);
    put_or_null(w, "closed_at", b->closed_at);
    jw_end(w);
}

/* Replies {batch}. */
static void
reply_batch(struct http_request *req, int status,
            const struct payment_batch_row *b)
{
    struct jw w;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    api_put_payment_batch(&w, "batch", b);
    jw_end(&w);
    api_reply_jw(req, status, &w);
}

/* One line into w's open array (a put_row_fn): its id. */
static int64_t
put_line(struct jw *w, const void *row)
{
    const struct payment_line_row *l = row;
    jw_obj(w, NULL);
    jw_int(w, "id", l->id);
    jw_str(w, "township", l->township_code);
    jw_str(w, "region_code", l->region_code);
    jw_int(w, "entitlement_id", l->entitlement_id);
    jw_int(w, "household_id", l->household_id);
    put_or_null(w, "payee_person_id", l->payee_person_id);
    put_or_null(w, "payee_account_id", l->payee_account_id);
    jw_str(w, "month", l->month);
    jw_int(w, "gross_fen", l->gross_fen);
    jw_int(w, "deduction_fen", l->deduction_fen);
    jw_int(w, "amount_fen", l->amount_fen);
    jw_str(w, "urban_rural", l->urban_rural);
    jw_int(w, "persons", l->persons);
    jw_int(w, "elderly", l->elderly);
    jw_int(w, "minors", l->minors);
    jw_int(w, "disabled", l->disabled);
    jw_str(w, "status", l->status);
    jw_str_or_null(w, "reason_code", l->reason_code[0] ? l->reason_code : NULL);
    jw_str(w, "reason_text", l->reason_text);
    put_or_null(w, "reissue_of", l->reissue_of);
    jw_end(w);
    return l->id;
}

static int64_t
query_int(struct http_request *req, const char *name, int64_t dflt)
{
    const char *s = http_query(req, name);
    return s ? strtoll(s, NULL, 10) : dflt;
}

/* One row of a page: it written into w's open array, and its id. */
typedef int64_t (*put_row_fn)(struct jw *w, const void *row);

static int64_t
put_batch_row(struct jw *w, const void *row)
{
    const struct payment_batch_row *b = row;
    api_put_payment_batch(w, NULL, b);
    return b->id;
}

/* Replies {key: the first limit of the n rows (size bytes apart),
 * next_after: the last one's id when there were more, else null}. */
static void
reply_page(struct http_request *req, const char *key, const void *rows,
           size_t size, size_t n, size_t limit, put_row_fn put)
{
    int64_t last = 0;
    struct jw w;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    jw_arr(&w, key);
    for (size_t i = 0; i < n && i < limit; i++)
        last = put(&w, (const char *)rows + i * size);
    jw_end(&w);
    if (n > limit)
        jw_int(&w, "next_after", last);
    else
        jw_null(&w, "next_after");
    jw_end(&w);
    api_reply_jw(req, 200, &w);
}

/* Loads the path's batch in tx and checks the caller may do action on
 * it (its county): 0, or -1 after replying (out of scope: 404). */
static int
load(struct http_request *req, struct store_tx *tx, enum authz_action action,
     struct payment_batch_row *b)
{
    enum dd_status rc = store_payment_batch_get(tx, api_path_id(req, 0), b);
    return api_check(req, rc, NULL)
               ? -1
               : api_authorise(req, action, b->county_code, "");
}

/* GET /api/v1/payment-batches: the batches of the county given (inside
 * the caller's scope) or the caller's one scope, filtered by item,
 * month and state, in id order after the cursor. */
static void
batches_list(struct http_request *req)
{
    const struct principal *p = PRINCIPAL(req);
    const char *county = http_query(req, "county");
    struct payment_batch_filter f = {.item_code = http_query(req, "item"),
                                     .month = http_query(req, "month"),
                                     .state = http_query(req, "state"),
                                     .after_id = query_int(req, "after", 0)};
    size_t limit = (size_t)query_int(req, "limit", PAGE_DEFAULT);
    struct store_tx *tx;
    size_t n = 0;
    if (!county && (p->prefix_count != 1 || strlen(p->prefixes[0]) != 6)) {
        api_error(req, 400, "COUNTY_REQUIRED", "county",
                  "name the county (6 digits) in county",
                  "请用 county 指定区县（6位代码）");
        return;
    }
    f.county_code = county ? county : p->prefixes[0];
    if (api_authorise(req, AUTHZ_PAYMENT_READ, f.county_code, ""))
        return;
    struct payment_batch_row *rows =
        api_alloc(req, (limit + 1) * sizeof(*rows));
    if (!rows || api_begin(req, STORE_READ, &tx))
        return;
    enum dd_status rc = store_payment_batch_page(tx, &f, rows, limit + 1, &n);
    if (api_check(req, rc, NULL))
        return;
    reply_page(req, "batches", rows, sizeof(*rows), n, limit, put_batch_row);
}

/* GET /api/v1/payment-batches/{id} */
static void
batch_get(struct http_request *req)
{
    struct payment_batch_row b;
    struct store_tx *tx;
    if (api_begin(req, STORE_READ, &tx) ||
        load(req, tx, AUTHZ_PAYMENT_READ, &b))
        return;
    api_end(req);
    reply_batch(req, 200, &b);
}

/* GET /api/v1/payment-batches/{id}/lines: a page in id order after the
 * cursor, filtered by status and township. */
static void
lines_list(struct http_request *req)
{
    struct payment_batch_row b;
    struct store_tx *tx;
    size_t limit = (size_t)query_int(req, "limit", PAGE_DEFAULT), n = 0;
    if (api_begin(req, STORE_READ, &tx) ||
        load(req, tx, AUTHZ_PAYMENT_READ, &b))
        return;
    struct payment_line_filter f = {.batch_id = b.id,
                                    .status = http_query(req, "status"),
                                    .township_code =
                                        http_query(req, "township"),
                                    .after_id = query_int(req, "after", 0)};
    struct payment_line_row *rows = api_alloc(req, (limit + 1) * sizeof(*rows));
    if (!rows) {
        api_end(req);
        return;
    }
    enum dd_status rc = store_payment_line_page(tx, &f, rows, limit + 1, &n);
    if (api_check(req, rc, NULL))
        return;
    api_end(req);
    reply_page(req, "lines", rows, sizeof(*rows), n, limit, put_line);
}

static void
put_totals(struct jw *w, const char *key, const struct cases_pay_total *t,
           size_t n, const char *const *names)
{
    jw_arr(w, key);
    for (size_t i = 0; i < n; i++) {
        jw_obj(w, NULL);
        jw_str(w, "key", t[i].key);
        if (names)
            jw_str_or_null(w, "name", names[i]);
        jw_int(w, "lines", t[i].lines);
        jw_int(w, "total_fen", t[i].total_fen);
        jw_end(w);
    }
    jw_end(w);
}

/* GET /api/v1/payment-batches/{id}/check: the totals by urban/rural and
 * township and the differences from last month's regular batch. */
/* The check's differences from last month: null for a batch not
 * compared (a reissue, a correction). */
static void
put_differences(struct jw *w, const struct cases_pay_review *r)
{
    static const char *const kinds[PAY_DIFF__COUNT] = {
        "new", "stopped", "changed", "account_changed"};
    if (!r->compared) {
        jw_null(w, "differences");
        return;
    }
    jw_obj(w, "differences");
    for (int k = 0; k < PAY_DIFF__COUNT; k++) {
        jw_obj(w, kinds[k]);
        jw_int(w, "count", (int64_t)r->diff_count[k]);
        jw_arr(w, "entitlements");
        for (size_t i = 0; i < r->diff_listed[k]; i++) {
            const struct cases_pay_diff *d = &r->diffs[k][i];
            jw_obj(w, NULL);
            jw_int(w, "entitlement_id", d->entitlement_id);
            jw_int(w, "before_fen", d->before_fen);
            jw_int(w, "after_fen", d->after_fen);
            put_or_null(w, "before_account_id", d->before_account);
            put_or_null(w, "after_account_id", d->after_account);
            jw_end(w);
        }
        jw_end(w);
        jw_end(w);
    }
    jw_end(w);
}

static void
check_get(struct http_request *req)
{
    struct payment_batch_row b;
    struct cases_pay_review r;
    struct cases_ctx x;
    struct store_tx *tx;
    if (api_begin(req, STORE_READ, &tx) ||
        load(req, tx, AUTHZ_PAYMENT_READ, &b))
        return;
    api_case_ctx(req, tx, &x);
    enum dd_status rc = cases_payment_review(&x, &b, &r);
    /* each township's name (reference data; none when it is not there) */
    const char **names =
        rc == DD_OK ? api_alloc(req, (r.township_count + 1) * sizeof(*names))
                    : NULL;
    if (rc == DD_OK && !names)
        return;
    for (size_t i = 0; rc == DD_OK && i < r.township_count; i++) {
        struct region g;
        enum dd_status grc = store_region_get(tx, r.townships[i].key, &g);
        names[i] = grc == DD_OK ? arena_strdup(req->arena, g.name) : NULL;
        if (grc != DD_OK && grc != DD_ENOTFOUND)
            rc = grc;
    }
    if (api_check(req, rc, NULL))
        return;
    api_end(req);
    struct jw w;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    api_put_payment_batch(&w, "batch", &b);
    put_totals(&w, "by_urban_rural", r.urban_rural, 2, NULL);
    put_totals(&w, "by_township", r.townships, r.township_count, names);
    put_or_null(&w, "previous_batch_id", r.previous_id);
    put_differences(&w, &r);
    jw_end(&w);
    api_reply_jw(req, 200, &w);
}

struct build_body {
    const char *county, *item, *month, *kind;
};

#define BB(f) offsetof(struct build_body, f)
static const struct json_field build_fields[] = {
    {"county", JSON_T_STRING, 1, 6, 6, BB(county)},
    {"item", JSON_T_STRING, 1, 1, 31, BB(item)},
    {"month", JSON_T_STRING, 1, 7, 7, BB(month)},
    {"kind", JSON_T_STRING, 0, 1, 11, BB(kind)},
};

/* POST /api/v1/payment-batches: builds the month's batch of a county and
 * item, or rebuilds it while it is "built" (201 new, 200 rebuilt). */
static void
batch_build(struct http_request *req)
{
    struct build_body in = {0};
    struct payment_batch_row b;
    struct dd_error err = {0};
    struct cases_ctx x;
    struct store_tx *tx;
    unsigned present = 0;
    int created = 0;
    if (api_decode(req, build_fields,
                   sizeof(build_fields) / sizeof(build_fields[0]), &in,
                   &present) ||
        api_authorise(req, AUTHZ_PAYMENT_WRITE, in.county, "") ||
        api_begin(req, STORE_WRITE, &tx))
        return;
    api_case_ctx(req, tx, &x);
    struct cases_pay_build bi = {in.county, in.item, in.month, in.kind};
    enum dd_status rc = cases_payment_build(&x, &bi, &b, &created, &err);
    if (api_finish(req, tx, rc, &err))
        return;
    reply_batch(req, created ? 201 : 200, &b);
}

/* POST /api/v1/payment-batches/{id}/check|approve|close at the version
 * read (If-Match or "version"). */
static void
batch_step(struct http_request *req, enum cases_pay_step step)
{
    static const struct json_field fields[] = {
        {"version", JSON_T_INT, 0, 1, INT32_MAX, 0},
    };
    int64_t version = -1, want = -1;
    struct payment_batch_row b;
    struct dd_error err = {0};
    struct cases_ctx x;
    struct store_tx *tx;
    unsigned present = 0;
    if (api_begin(req, STORE_WRITE, &tx) ||
        load(req, tx, AUTHZ_PAYMENT_WRITE, &b) ||
        (req->body.len > 0 && api_decode(req, fields, 1, &version, &present)) ||
        api_expected_version(req, version, &want))
        return;
    if (want < 0) {
        api_error(req, 428, "VERSION_REQUIRED", "version",
                  "a batch's step needs the version read (If-Match or "
                  "version)",
                  "批次操作须提供读取时的版本号（If-Match 或 version）");
        return;
    }
    api_case_ctx(req, tx, &x);
    enum dd_status rc = cases_payment_step(&x, &b, step, want, &err);
    if (api_finish(req, tx, rc, &err))
        return;
    reply_batch(req, 200, &b);
}

static void
batch_check(struct http_request *req)
{
    batch_step(req, CASES_PAY_CHECK);
}

static void
batch_approve(struct http_request *req)
{
    batch_step(req, CASES_PAY_APPROVE);
}

static void
batch_close(struct http_request *req)
{
    batch_step(req, CASES_PAY_CLOSE);
}

static const struct param_spec list_query[] = {
    {"county", PARAM_DIGITS, 0, 6, 0, 0},
    {"item", PARAM_NAME, 0, 31, 0, 0},
    {"month", PARAM_STRING, 0, 7, 0, 0},
    {"state", PARAM_NAME, 0, 11, 0, 0},
    {"after", PARAM_INT, 0, 0, 0, INT64_MAX},
    {"limit", PARAM_INT, 0, 0, 1, PAGE_MAX},
    {NULL, 0, 0, 0, 0, 0},
};

static const struct param_spec lines_query[] = {
    {"status", PARAM_NAME, 0, 7, 0, 0},
    {"township", PARAM_DIGITS, 0, 9, 0, 0},
    {"after", PARAM_INT, 0, 0, 0, INT64_MAX},
    {"limit", PARAM_INT, 0, 0, 1, PAGE_MAX},
    {NULL, 0, 0, 0, 0, 0},
};

/* clang-format off: one route per line */
static const struct route routes[] = {
    {"GET", "/api/v1/payment-batches", NULL, list_query, AUTHZ_PAYMENT_READ, 0, batches_list, "a county's payment batches, page by page"},
    {"POST", "/api/v1/payment-batches", NULL, api_no_query, AUTHZ_PAYMENT_WRITE, ROUTE_BODY | ROUTE_HEAVY, batch_build, "build (or rebuild while built) a county's batch of an item for a month (audited)"},
    {"GET", "/api/v1/payment-batches/{id}", api_id_param, api_no_query, AUTHZ_PAYMENT_READ, 0, batch_get, "one payment batch"},
    {"GET", "/api/v1/payment-batches/{id}/lines", api_id_param, lines_query, AUTHZ_PAYMENT_READ, 0, lines_list, "a batch's lines, page by page"},
    {"GET", "/api/v1/payment-batches/{id}/check", api_id_param, api_no_query, AUTHZ_PAYMENT_READ, 0, check_get, "a batch's totals and its differences from last month"},
    {"POST", "/api/v1/payment-batches/{id}/check", api_id_param, api_no_query, AUTHZ_PAYMENT_WRITE, ROUTE_BODY, batch_check, "mark a built batch checked (not by its builder; version-checked, audited)"},
    {"POST", "/api/v1/payment-batches/{id}/approve", api_id_param, api_no_query, AUTHZ_PAYMENT_WRITE, ROUTE_BODY, batch_approve, "approve a checked batch (neither its builder nor its checker; version-checked, audited)"},
    {"POST", "/api/v1/payment-batches/{id}/close", api_id_param, api_no_query, AUTHZ_PAYMENT_WRITE, ROUTE_BODY, batch_close, "close a reconciled batch: immutable from then on (version-checked, audited)"},
};
/* clang-format on */

const struct route_table api_payment_routes = {
    "payments", routes, sizeof(routes) / sizeof(routes[0])};
