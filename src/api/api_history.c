/* SPDX-License-Identifier: MIT */
/* A household's file over time, and what applicants read of their own
 * cases. GET /api/v1/households/{id}/history: the household's case items
 * (newest application first), its entitlements and the engine's
 * assessments recorded with each decision, for staff in scope of the
 * household, audited as a read of personal data. For applicants: the
 * items of one application with each decision's notice (the anonymous
 * progress query shows them too), and a citizen's own online
 * applications, one of them and its receipt; another citizen's
 * application is not found. */
#include "api/api_cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "json/json_cases.h"

/* A household has at most a few hundred case items in its life; its file
 * shows this many, newest application first, and says when there are
 * more ("truncated"). */
#define HISTORY_MAX_ITEMS 500
/* A citizen's own applications: the items shown at most (newest
 * application first; "truncated" says when there are more). */
#define CITIZEN_MAX_ITEMS 200
/* Items of one application (api_applications.c takes at most 8). */
#define APPLICATION_MAX_ITEMS 8
/* Replies are built in malloc'd buffers, not the request's arena: a
 * file of hundreds of explained decisions runs to megabytes. */
#define REPLY_CAP (32u << 20)

/* ---- pieces ---- */

/* A quoted JSON string, or null for "" (NULL when out of memory). */
static const char *
str_or_null(struct http_request *req, const char *s)
{
    return s[0] ? json_quote(req->arena, s) : "null";
}

/* The catalog's names of an item and of its step, quoted for JSON; the
 * codes themselves when the catalog version is not loaded. 0, or -1 when
 * out of memory. */
struct names {
    const char *item_zh, *item_en, *step_zh, *step_en;
};

static int
names_of(struct http_request *req, const struct case_item_row *c,
         struct names *out)
{
    struct arena *ar = req->arena;
    struct catalog_item it;
    const struct wf_step *s = NULL;
    const char *zh = c->item_code, *en = c->item_code;
    if (api_catalog_copy_version(API(req), c->item_code, c->catalog_version,
                                 &it) == 0) {
        zh = it.name_zh;
        en = it.name_en;
        s = wf_step_find(wf_template_find(API(req)->steps, it.template_code),
                         c->step);
    }
    out->item_zh = json_quote(ar, zh);
    out->item_en = json_quote(ar, en);
    out->step_zh = json_quote(ar, s ? s->name_zh : c->step);
    out->step_en = json_quote(ar, s ? s->name_en : c->step);
    return out->item_zh && out->item_en && out->step_zh && out->step_en ? 0
                                                                        : -1;
}

/* The stored explanation as JSON, or null when there is none (or it is
 * not an object: it is embedded as it is, never as text). */
static const char *
explanation_of(const struct case_history_row *h)
{
    return json_cases_is_object(h->explanation) ? h->explanation : "null";
}

/* The notice of a decided item, or null before the decision:
 * {"decision","amount_fen","start_month" (the entitlement's, if any),
 * "reasons","decided_on","explanation"}. Nothing of the household. */
static enum dd_status
put_notice(struct http_request *req, struct buf *b,
           const struct case_history_row *h)
{
    const struct case_item_row *c = &h->c;
    if (!c->decision[0])
        return buf_puts(b, "null");
    const char *decision = json_quote(req->arena, c->decision);
    const char *start = h->ent.id ? str_or_null(req, h->ent.start_month)
                                  : "null";
    const char *reasons = str_or_null(req, c->reasons);
    const char *day = str_or_null(req, h->decided_on);
    if (!decision || !start || !reasons || !day)
        return DD_ENOMEM;
    enum dd_status rc = buf_printf(
        b,
        "{\"decision\":%s,\"amount_fen\":%lld,\"start_month\":%s,"
        "\"reasons\":%s,\"decided_on\":%s,\"explanation\":",
        decision, (long long)c->amount_fen, start, reasons, day);
    if (rc == DD_OK)
        rc = buf_puts(b, explanation_of(h));
    if (rc == DD_OK)
        rc = buf_puts(b, "}");
    return rc;
}

/* One item as its applicant sees it: the step, state and deadline, the
 * decision and the notice. */
static enum dd_status
put_applicant_item(struct http_request *req, struct buf *b,
                   const struct case_history_row *h, int first)
{
    const struct case_item_row *c = &h->c;
    struct names n;
    const char *code = json_quote(req->arena, c->item_code);
    const char *step = json_quote(req->arena, c->step);
    const char *state = json_quote(req->arena, c->state);
    const char *deadline = str_or_null(req, c->deadline);
    const char *decision = str_or_null(req, c->decision);
    const char *missing = str_or_null(req, c->missing);
    if (names_of(req, c, &n) || !code || !step || !state || !deadline ||
        !decision || !missing)
        return DD_ENOMEM;
    enum dd_status rc = buf_printf(
        b,
        "%s{\"item_code\":%s,\"name_zh\":%s,\"name_en\":%s,\"step\":%s,"
        "\"step_name_zh\":%s,\"step_name_en\":%s,\"state\":%s,"
        "\"deadline\":%s,\"decision\":%s,\"amount_fen\":%lld,"
        "\"missing\":%s,\"notice\":",
        first ? "" : ",", code, n.item_zh, n.item_en, step, n.step_zh,
        n.step_en, state, deadline, decision,
        (long long)(c->decision[0] ? c->amount_fen : 0), missing);
    if (rc == DD_OK)
        rc = put_notice(req, b, h);
    if (rc == DD_OK)
        rc = buf_puts(b, "}");
    return rc;
}

/* The body in b handed to the request (freed with its arena) and sent;
 * or the failure replied. */
static void
reply_owned(struct http_request *req, struct buf *b, enum dd_status rc)
{
    char *body = rc == DD_OK ? buf_steal(b) : NULL;
    buf_free(b);
    if (rc == DD_OK && !body)
        rc = DD_ENOMEM;
    if (rc == DD_OK && arena_cleanup_add(req->arena, free, body) != 0)
        rc = DD_ENOMEM; /* body already freed */
    if (rc != DD_OK) {
        api_fail(req, rc, NULL);
        return;
    }
    api_reply(req, 200, body);
}

/* ---- the items of one application, for its applicant ---- */

struct applicant_walk {
    struct http_request *req;
    struct buf *b;
    size_t count;
    enum dd_status rc;
};

static int
applicant_row(const struct case_history_row *h, void *ctx)
{
    struct applicant_walk *w = ctx;
    w->rc = put_applicant_item(w->req, w->b, h, w->count == 0);
    w->count++;
    return w->rc != DD_OK;
}

enum dd_status
cases_applicant_items(struct http_request *req, struct store_tx *tx,
                      int64_t app_id, struct buf *b)
{
    struct applicant_walk w = {req, b, 0, DD_OK};
    enum dd_status rc = store_case_history_application(
        tx, app_id, APPLICATION_MAX_ITEMS, applicant_row, &w);
    return rc != DD_OK ? rc : w.rc;
}

/* ---- GET /api/v1/households/{id}/history ---- */

struct history_ent {
    int64_t created_at, id;
    const char *json;
};

struct history_assessment {
    char decided_on[STORE_DAY_LEN];
    int64_t case_item_id;
    size_t off, len; /* the piece in the walk's assessments buffer */
};

struct history_walk {
    struct http_request *req;
    struct buf cases, assessments;
    struct history_ent *ents;
    size_t ent_count;
    struct history_assessment *as;
    size_t as_count;
    size_t count;
    int truncated;
    enum dd_status rc;
};

static enum dd_status
history_case(struct history_walk *w, const struct case_history_row *h,
             const struct names *n)
{
    struct http_request *req = w->req;
    const struct case_item_row *c = &h->c;
    const char *q[] = {
        json_quote(req->arena, c->case_no),
        json_quote(req->arena, c->item_code),
        json_quote(req->arena, h->channel),
        json_quote(req->arena, c->intake_region),
        json_quote(req->arena, c->owner_region),
        str_or_null(req, c->owner_department),
        json_quote(req->arena, c->step),
        json_quote(req->arena, c->state),
        str_or_null(req, c->decision),
        str_or_null(req, c->reasons),
        str_or_null(req, c->accepted_on),
        str_or_null(req, c->deadline),
        str_or_null(req, c->closed_on),
    };
    for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++)
        if (!q[i])
            return DD_ENOMEM;
    return buf_printf(
        &w->cases,
        "%s{\"case_item_id\":%lld,\"application_id\":%lld,\"case_no\":%s,"
        "\"item_code\":%s,\"item_name_zh\":%s,\"item_name_en\":%s,"
        "\"channel\":%s,\"intake_region\":%s,\"owner_region\":%s,"
        "\"owner_department\":%s,\"step\":%s,\"step_name_zh\":%s,"
        "\"step_name_en\":%s,\"state\":%s,\"decision\":%s,"
        "\"amount_fen\":%lld,\"reasons\":%s,\"accepted_on\":%s,"
        "\"deadline\":%s,\"closed_on\":%s,\"visits\":%lld}",
        w->count ? "," : "", (long long)c->id, (long long)c->application_id,
        q[0], q[1], n->item_zh, n->item_en, q[2], q[3], q[4], q[5], q[6],
        n->step_zh, n->step_en, q[7], q[8], (long long)c->amount_fen, q[9],
        q[10], q[11], q[12], (long long)c->visits);
}

static enum dd_status
history_entitlement(struct history_walk *w, const struct case_history_row *h,
                    const struct names *n)
{
    struct http_request *req = w->req;
    const struct entitlement_row *e = &h->ent;
    const char *q[] = {
        json_quote(req->arena, h->c.case_no),
        json_quote(req->arena, e->item_code),
        str_or_null(req, e->start_month),
        str_or_null(req, e->end_month),
        json_quote(req->arena, e->state),
    };
    for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++)
        if (!q[i])
            return DD_ENOMEM;
    struct history_ent *x = &w->ents[w->ent_count];
    x->created_at = e->created_at;
    x->id = e->id;
    x->json = arena_printf(
        req->arena,
        "{\"id\":%lld,\"case_item_id\":%lld,\"case_no\":%s,"
        "\"item_code\":%s,\"item_name_zh\":%s,\"item_name_en\":%s,"
        "\"monthly_fen\":%lld,\"start_month\":%s,\"end_month\":%s,"
        "\"state\":%s}",
        (long long)e->id, (long long)e->case_item_id, q[0], q[1],
        n->item_zh, n->item_en, (long long)e->monthly_fen, q[2], q[3], q[4]);
    if (!x->json)
        return DD_ENOMEM;
    w->ent_count++;
    return DD_OK;
}

static enum dd_status
history_assessment(struct history_walk *w, const struct case_history_row *h)
{
    struct http_request *req = w->req;
    const struct case_item_row *c = &h->c;
    const char *q[] = {
        json_quote(req->arena, c->case_no),
        json_quote(req->arena, c->item_code),
        str_or_null(req, h->decided_on),
        json_quote(req->arena, c->decision),
    };
    for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++)
        if (!q[i])
            return DD_ENOMEM;
    struct history_assessment *x = &w->as[w->as_count];
    str_copy(x->decided_on, sizeof(x->decided_on), h->decided_on);
    x->case_item_id = c->id;
    x->off = w->assessments.len;
    enum dd_status rc = buf_printf(
        &w->assessments,
        "{\"case_item_id\":%lld,\"case_no\":%s,\"item_code\":%s,"
        "\"decided_on\":%s,\"decision\":%s,\"amount_fen\":%lld,"
        "\"explanation\":",
        (long long)c->id, q[0], q[1], q[2], q[3], (long long)c->amount_fen);
    if (rc == DD_OK)
        rc = buf_puts(&w->assessments, explanation_of(h));
    if (rc == DD_OK)
        rc = buf_puts(&w->assessments, "}");
    if (rc == DD_OK) {
        x->len = w->assessments.len - x->off;
        w->as_count++;
    }
    return rc;
}

static int
history_row(const struct case_history_row *h, void *ctx)
{
    struct history_walk *w = ctx;
    struct names n;
    if (w->count == HISTORY_MAX_ITEMS) {
        w->truncated = 1;
        return 1;
    }
    w->rc = names_of(w->req, &h->c, &n) ? DD_ENOMEM : DD_OK;
    if (w->rc == DD_OK)
        w->rc = history_case(w, h, &n);
    if (w->rc == DD_OK && h->ent.id)
        w->rc = history_entitlement(w, h, &n);
    if (w->rc == DD_OK && h->c.decision[0])
        w->rc = history_assessment(w, h);
    w->count++;
    return w->rc != DD_OK;
}

/* entitlements newest first */
static int
ent_cmp(const void *pa, const void *pb)
{
    const struct history_ent *a = pa, *b = pb;
    if (a->created_at != b->created_at)
        return a->created_at < b->created_at ? 1 : -1;
    return a->id < b->id ? 1 : a->id > b->id ? -1 : 0;
}

/* assessments newest decision first */
static int
assessment_cmp(const void *pa, const void *pb)
{
    const struct history_assessment *a = pa, *b = pb;
    int c = strcmp(b->decided_on, a->decided_on);
    if (c != 0)
        return c;
    return a->case_item_id < b->case_item_id   ? 1
           : a->case_item_id > b->case_item_id ? -1
                                               : 0;
}

/* The reply from the walk: {"household_id","cases","entitlements",
 * "assessments","truncated"}. */
static enum dd_status
history_body(struct history_walk *w, int64_t household_id, struct buf *b)
{
    qsort(w->ents, w->ent_count, sizeof(*w->ents), ent_cmp);
    qsort(w->as, w->as_count, sizeof(*w->as), assessment_cmp);
    enum dd_status rc = buf_printf(b, "{\"household_id\":%lld,\"cases\":[",
                                   (long long)household_id);
    if (rc == DD_OK && w->cases.len)
        rc = buf_append(b, w->cases.data, w->cases.len);
    if (rc == DD_OK)
        rc = buf_puts(b, "],\"entitlements\":[");
    for (size_t i = 0; rc == DD_OK && i < w->ent_count; i++)
        rc = buf_printf(b, "%s%s", i ? "," : "", w->ents[i].json);
    if (rc == DD_OK)
        rc = buf_puts(b, "],\"assessments\":[");
    for (size_t i = 0; rc == DD_OK && i < w->as_count; i++) {
        if (i)
            rc = buf_puts(b, ",");
        if (rc == DD_OK)
            rc = buf_append(b, w->assessments.data + w->as[i].off,
                            w->as[i].len);
    }
    if (rc == DD_OK)
        rc = buf_printf(b, "],\"truncated\":%s}",
                        w->truncated ? "true" : "false");
    return rc;
}

/* GET /api/v1/households/{id}/history: the household's file over time,
 * read as GET /api/v1/households/{id} is (in scope; a department officer
 * only through a referral to the department) and audited
 * ("household.history") in the same transaction, which commits only once
 * the reply is built. */
static void
household_history(struct http_request *req)
{
    struct store_tx *tx;
    struct household_row h;
    struct buf b;
    enum dd_status rc;
    int64_t id = strtoll(router_path_param(req, 0), NULL, 10);
    struct history_walk *w = arena_alloc(req->arena, sizeof(*w));
    if (w) {
        memset(w, 0, sizeof(*w));
        w->ents = arena_alloc(req->arena,
                              HISTORY_MAX_ITEMS * sizeof(*w->ents));
        w->as = arena_alloc(req->arena, HISTORY_MAX_ITEMS * sizeof(*w->as));
    }
    if (!w || !w->ents || !w->as) {
        api_fail(req, DD_ENOMEM, NULL);
        return;
    }
    w->req = req;
    buf_init(&w->cases, REPLY_CAP);
    buf_init(&w->assessments, REPLY_CAP);
    buf_init(&b, REPLY_CAP);
    if (api_begin(req, STORE_WRITE, &tx))
        goto out;
    rc = store_household_get(tx, id, &h);
    if (rc != DD_OK) {
        api_fail(req, rc, NULL);
        goto out;
    }
    if (api_authorise(req, AUTHZ_HOUSEHOLD_READ, h.region_code, NULL) ||
        api_household_dept_check(req, tx, h.id)) {
        goto out;
    }
    rc = store_case_history_household(tx, id, HISTORY_MAX_ITEMS + 1,
                                      history_row, w);
    if (rc == DD_OK)
        rc = w->rc;
    if (rc == DD_OK)
        rc = history_body(w, id, &b);
    /* nothing is audited as read that was not sent */
    if (rc == DD_OK)
        rc = api_audit(
            req, tx, "household.history",
            arena_printf(req->arena, "household:%lld", (long long)id),
            h.region_code,
            json_object_of_strings(
                req->arena,
                (const char *[]){
                    "cases", arena_printf(req->arena, "%zu", w->count),
                    "truncated", w->truncated ? "true" : "false"},
                2));
    if (rc != DD_OK) {
        api_fail(req, rc, NULL);
        goto out;
    }
    if (api_commit(req, tx))
        goto out;
    reply_owned(req, &b, DD_OK);
out:
    buf_free(&w->cases);
    buf_free(&w->assessments);
    buf_free(&b);
}

/* ---- a citizen's own applications ---- */

struct citizen_walk {
    struct http_request *req;
    struct buf *b;
    int64_t application_id; /* the one being written, 0 before the first */
    size_t count;
    int truncated;
    enum dd_status rc;
};

/* {"id","case_no","applied_on","channel","items":[ */
static enum dd_status
put_application_head(struct http_request *req, struct buf *b,
                     const struct case_history_row *h)
{
    const char *no = json_quote(req->arena, h->c.case_no);
    const char *day = str_or_null(req, h->applied_on);
    const char *channel = json_quote(req->arena, h->channel);
    if (!no || !day || !channel)
        return DD_ENOMEM;
    return buf_printf(b,
                      "{\"id\":%lld,\"case_no\":%s,\"applied_on\":%s,"
                      "\"channel\":%s,\"items\":[",
                      (long long)h->c.application_id, no, day, channel);
}

static int
citizen_row(const struct case_history_row *h, void *ctx)
{
    struct citizen_walk *w = ctx;
    int first = 0;
    if (w->count == CITIZEN_MAX_ITEMS) {
        w->truncated = 1;
        return 1;
    }
    if (h->c.application_id != w->application_id) {
        if (w->application_id)
            w->rc = buf_puts(w->b, "]},");
        if (w->rc == DD_OK)
            w->rc = put_application_head(w->req, w->b, h);
        w->application_id = h->c.application_id;
        first = 1;
    }
    if (w->rc == DD_OK)
        w->rc = put_applicant_item(w->req, w->b, h, first);
    w->count++;
    return w->rc != DD_OK;
}

/* GET /api/v1/citizen/applications: the applications the signed-in
 * citizen filed online, newest first, each with its items, steps and
 * notices. Found by the phone's blind index recorded at filing; nothing
 * of the household is shown. */
void
cases_citizen_application_list(struct http_request *req)
{
    struct api_citizen who;
    struct store_tx *tx;
    struct buf b;
    if (api_citizen_of(req, &who) != 0) {
        api_fail(req, DD_EDENIED, NULL);
        return;
    }
    buf_init(&b, REPLY_CAP);
    struct citizen_walk w = {req, &b, 0, 0, 0, DD_OK};
    if (api_begin(req, STORE_READ, &tx)) {
        buf_free(&b);
        return;
    }
    enum dd_status rc = buf_puts(&b, "{\"applications\":[");
    if (rc == DD_OK)
        rc = store_case_history_citizen(tx, who.phone_hash,
                                        CITIZEN_MAX_ITEMS + 1, citizen_row,
                                        &w);
    if (rc == DD_OK)
        rc = w.rc;
    if (rc == DD_OK && w.application_id)
        rc = buf_puts(&b, "]}");
    if (rc == DD_OK)
        rc = buf_printf(&b, "],\"truncated\":%s}",
                        w.truncated ? "true" : "false");
    reply_owned(req, &b, rc);
}

/* Loads application id if the signed-in citizen filed it; 0, or -1 after
 * replying (404 for another's, exactly as for none). */
static int
own_application(struct http_request *req, struct store_tx *tx,
                struct application_row *app)
{
    struct api_citizen who;
    if (api_citizen_of(req, &who) != 0) {
        api_fail(req, DD_EDENIED, NULL);
        return -1;
    }
    enum dd_status rc = store_application_get(
        tx, strtoll(router_path_param(req, 0), NULL, 10), app);
    if (rc == DD_OK &&
        (!app->citizen_hash[0] || strcmp(app->citizen_hash, who.phone_hash)))
        rc = DD_ENOTFOUND;
    if (rc == DD_ENOTFOUND) {
        api_error(req, 404, "NOT_FOUND", NULL,
                  "you filed no application with this id",
                  "您没有提交过此申请");
        return -1;
    }
    if (rc != DD_OK) {
        api_fail(req, rc, NULL);
        return -1;
    }
    return 0;
}

/* GET /api/v1/citizen/applications/{id}: one of the citizen's own
 * applications with its items, steps and notices. */
static void
citizen_application_get(struct http_request *req)
{
    struct store_tx *tx;
    struct application_row app;
    struct buf b;
    if (api_begin(req, STORE_READ, &tx))
        return;
    if (own_application(req, tx, &app)) {
        return;
    }
    buf_init(&b, REPLY_CAP);
    const char *no = json_quote(req->arena, app.case_no);
    const char *channel = json_quote(req->arena, app.channel);
    enum dd_status rc =
        no && channel
            ? buf_printf(&b,
                         "{\"id\":%lld,\"case_no\":%s,\"applied_on\":\"%s\","
                         "\"channel\":%s,\"items\":[",
                         (long long)app.id, no, app.applied_on, channel)
            : DD_ENOMEM;
    if (rc == DD_OK)
        rc = cases_applicant_items(req, tx, app.id, &b);
    if (rc == DD_OK)
        rc = buf_puts(&b, "]}");
    reply_owned(req, &b, rc);
}

/* GET /api/v1/citizen/applications/{id}/receipt: the printable 受理回执 of
 * one of the citizen's own applications. */
static void
citizen_application_receipt(struct http_request *req)
{
    struct store_tx *tx;
    struct application_row app;
    size_t n = 0;
    struct case_item_row *rows =
        arena_alloc(req->arena, APPLICATION_MAX_ITEMS * sizeof(*rows));
    if (!rows) {
        api_fail(req, DD_ENOMEM, NULL);
        return;
    }
    if (api_begin(req, STORE_READ, &tx))
        return;
    if (own_application(req, tx, &app)) {
        return;
    }
    enum dd_status rc = store_case_item_by_application(
        tx, app.id, rows, APPLICATION_MAX_ITEMS, &n);
    if (rc != DD_OK) {
        api_fail(req, rc, NULL);
        return;
    }
    cases_receipt_reply(req, tx, &app, rows, n); /* ends tx */
}

/* ---- routes ---- */

static const struct param_spec id_param[] = {
    {"id", PARAM_DIGITS, 1, 18, 0, 0},
};
static const struct param_spec no_query[] = {{NULL, 0, 0, 0, 0, 0}};

/* GET /api/v1/citizen/applications sits in api_applications.c's table,
 * beside the POST on the same path. */
static const struct route routes[] = {
    {"GET", "/api/v1/households/{id}/history", id_param, no_query,
     AUTHZ_HOUSEHOLD_READ, 0, household_history,
     "a household's cases, entitlements and assessments over time "
     "(audited)"},
    {"GET", "/api/v1/citizen/applications/{id}", id_param, no_query,
     AUTHZ_CITIZEN_SELF, 0, citizen_application_get,
     "one of the signed-in citizen's own applications with its notices"},
    {"GET", "/api/v1/citizen/applications/{id}/receipt", id_param, no_query,
     AUTHZ_CITIZEN_SELF, 0, citizen_application_receipt,
     "the receipt of one of the signed-in citizen's own applications"},
};

const struct route_table api_history_routes = {
    "history", routes, sizeof(routes) / sizeof(routes[0])};
