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

#include "core/str.h"
#include "json/json_cases.h"

/* A household has at most a few hundred case items in its life; its file
 * shows this many, newest application first, and says when there are
 * more ("truncated"). */
#define HISTORY_MAX_ITEMS 500
/* A citizen's own applications: the items shown at most (newest
 * application first; "truncated" says when there are more). */
#define CITIZEN_MAX_ITEMS 200
/* Replies are written by the streaming writer into malloc'd buffers, not
 * the request's arena: a file of hundreds of explained decisions runs to
 * megabytes. */
#define REPLY_CAP (32u << 20)

/* ---- pieces ---- */

/* The catalog's names of an item and of its step; the codes themselves
 * when the catalog version is not loaded. */
struct names {
    const char *item_zh, *item_en, *step_zh, *step_en;
};

static void
names_of(const struct cases_ctx *x, const struct case_item_row *c,
         struct names *out)
{
    struct catalog_item it;
    const struct wf_step *s = NULL;
    out->item_zh = out->item_en = c->item_code;
    if (cases_item_version(x, c->item_code, c->catalog_version, &it) ==
        DD_OK) {
        out->item_zh = arena_strdup(x->arena, it.name_zh);
        out->item_en = arena_strdup(x->arena, it.name_en);
        s = cases_step(x, &it, c->step);
    }
    out->step_zh = s ? s->name_zh : c->step;
    out->step_en = s ? s->name_en : c->step;
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
 * "decided_on"} and, when full, "reasons" and "explanation": they name
 * the household's disabilities, illnesses and means, which only the
 * signed-in applicant reads, never the anonymous progress query (a case
 * number and query code on a lost receipt). Nothing of the household. */
static void
put_notice(struct jw *w, const struct case_history_row *h, int full)
{
    const struct case_item_row *c = &h->c;
    if (!c->decision[0]) {
        jw_null(w, "notice");
        return;
    }
    jw_obj(w, "notice");
    jw_str(w, "decision", c->decision);
    jw_int(w, "amount_fen", c->amount_fen);
    jw_str_or_null(w, "start_month", h->ent.id ? h->ent.start_month : NULL);
    jw_str_or_null(w, "decided_on", h->decided_on);
    if (full) {
        jw_str_or_null(w, "reasons", c->reasons);
        jw_raw(w, "explanation", explanation_of(h));
    }
    jw_end(w);
}

/* One item as its applicant sees it: the step, state and deadline, the
 * decision and the notice. */
static void
put_applicant_item(const struct cases_ctx *x, struct jw *w,
                   const struct case_history_row *h, int full)
{
    const struct case_item_row *c = &h->c;
    struct names n;
    names_of(x, c, &n);
    jw_obj(w, NULL);
    jw_str(w, "item_code", c->item_code);
    jw_str(w, "name_zh", n.item_zh);
    jw_str(w, "name_en", n.item_en);
    jw_str(w, "step", c->step);
    jw_str(w, "step_name_zh", n.step_zh);
    jw_str(w, "step_name_en", n.step_en);
    jw_str(w, "state", c->state);
    jw_str_or_null(w, "deadline", c->deadline);
    jw_str_or_null(w, "decision", c->decision);
    jw_int(w, "amount_fen", c->decision[0] ? c->amount_fen : 0);
    jw_str_or_null(w, "missing", c->missing);
    put_notice(w, h, full);
    jw_end(w);
}

/* Sends what w wrote, or the failure rc of the walk. */
static void
reply(struct http_request *req, struct jw *w, enum dd_status rc)
{
    if (rc != DD_OK) {
        jw_free(w);
        api_fail(req, rc, NULL);
        return;
    }
    api_reply_jw(req, 200, w);
}

/* ---- the items of one application, for its applicant ---- */

struct applicant_walk {
    struct cases_ctx x;
    struct jw *w;
    int full;
};

static int
applicant_row(const struct case_history_row *h, void *ctx)
{
    struct applicant_walk *aw = ctx;
    put_applicant_item(&aw->x, aw->w, h, aw->full);
    return aw->w->rc != DD_OK;
}

enum dd_status
api_case_applicant_items(struct http_request *req, struct store_tx *tx,
                         int64_t app_id, int full, struct jw *w)
{
    struct applicant_walk aw;
    api_case_ctx(req, tx, &aw.x);
    aw.w = w;
    aw.full = full;
    enum dd_status rc = store_case_history_application(
        tx, app_id, CASES_MAX_ITEMS, applicant_row, &aw);
    return rc != DD_OK ? rc : w->rc;
}

/* ---- GET /api/v1/households/{id}/history ---- */

/* An entitlement or an assessment, rendered apart to be sorted. */
struct history_piece {
    int64_t created_at, id;
    char decided_on[STORE_DAY_LEN];
    const char *json; /* freed with the request */
};

struct history_walk {
    struct cases_ctx x;
    struct http_request *req;
    struct jw *w; /* the reply, its "cases" array open */
    struct history_piece *ents, *as;
    size_t ent_count, as_count;
    size_t count;
    int truncated;
    enum dd_status rc;
};

#define CASE(key, member, kind) JW_FIELD(struct case_item_row, key, member, kind)
/* A case's own fields in three runs, between which stand its item's
 * names, its channel and its step's names. */
static const struct jw_field history_head[] = {
    CASE("case_item_id", id, INT),
    CASE("application_id", application_id, INT),
    CASE("case_no", case_no, STR),
    CASE("item_code", item_code, STR),
};
static const struct jw_field history_where[] = {
    CASE("intake_region", intake_region, STR),
    CASE("owner_region", owner_region, STR),
    CASE("owner_department", owner_department, STR_NULL),
    CASE("step", step, STR),
};
static const struct jw_field history_outcome[] = {
    CASE("state", state, STR),
    CASE("decision", decision, STR_NULL),
    CASE("amount_fen", amount_fen, INT),
    CASE("reasons", reasons, STR_NULL),
    CASE("accepted_on", accepted_on, STR_NULL),
    CASE("deadline", deadline, STR_NULL),
    CASE("closed_on", closed_on, STR_NULL),
    CASE("visits", visits, INT),
};
#undef CASE

static void
history_case(struct jw *w, const struct case_history_row *h,
             const struct names *n)
{
    const struct case_item_row *c = &h->c;
    jw_obj(w, NULL);
    JW_FIELDS(w, c, history_head);
    jw_str(w, "item_name_zh", n->item_zh);
    jw_str(w, "item_name_en", n->item_en);
    jw_str(w, "channel", h->channel);
    JW_FIELDS(w, c, history_where);
    jw_str(w, "step_name_zh", n->step_zh);
    jw_str(w, "step_name_en", n->step_en);
    JW_FIELDS(w, c, history_outcome);
    jw_end(w);
}

/* What pw wrote, kept until the request ends as the text of the next
 * piece, which *count then counts; DD_OK or why not. */
static enum dd_status
piece_keep(struct http_request *req, struct jw *pw, const char **out,
           size_t *count)
{
    char *s = jw_finish(pw);
    if (!s)
        return pw->rc;
    if (arena_cleanup_add(req->arena, free, s) != 0)
        return DD_ENOMEM; /* s already freed */
    *out = s;
    (*count)++;
    return DD_OK;
}

static enum dd_status
history_entitlement(struct history_walk *hw, const struct case_history_row *h,
                    const struct names *n)
{
    const struct entitlement_row *e = &h->ent;
    struct history_piece *p = &hw->ents[hw->ent_count];
    struct jw pw;
    jw_init(&pw, REPLY_CAP);
    jw_obj(&pw, NULL);
    jw_int(&pw, "id", e->id);
    jw_int(&pw, "case_item_id", e->case_item_id);
    jw_str(&pw, "case_no", h->c.case_no);
    jw_str(&pw, "item_code", e->item_code);
    jw_str(&pw, "item_name_zh", n->item_zh);
    jw_str(&pw, "item_name_en", n->item_en);
    jw_int(&pw, "monthly_fen", e->monthly_fen);
    jw_str_or_null(&pw, "start_month", e->start_month);
    jw_str_or_null(&pw, "end_month", e->end_month);
    jw_str(&pw, "state", e->state);
    jw_end(&pw);
    p->created_at = e->created_at;
    p->id = e->id;
    return piece_keep(hw->req, &pw, &p->json, &hw->ent_count);
}

static enum dd_status
history_assessment(struct history_walk *hw, const struct case_history_row *h)
{
    const struct case_item_row *c = &h->c;
    struct history_piece *p = &hw->as[hw->as_count];
    struct jw pw;
    jw_init(&pw, REPLY_CAP);
    jw_obj(&pw, NULL);
    jw_int(&pw, "case_item_id", c->id);
    jw_str(&pw, "case_no", c->case_no);
    jw_str(&pw, "item_code", c->item_code);
    jw_str_or_null(&pw, "decided_on", h->decided_on);
    jw_str(&pw, "decision", c->decision);
    jw_int(&pw, "amount_fen", c->amount_fen);
    jw_raw(&pw, "explanation", explanation_of(h));
    jw_end(&pw);
    str_copy(p->decided_on, sizeof(p->decided_on), h->decided_on);
    p->id = c->id;
    return piece_keep(hw->req, &pw, &p->json, &hw->as_count);
}

static int
history_row(const struct case_history_row *h, void *ctx)
{
    struct history_walk *hw = ctx;
    struct names n;
    if (hw->count == HISTORY_MAX_ITEMS) {
        hw->truncated = 1;
        return 1;
    }
    names_of(&hw->x, &h->c, &n);
    history_case(hw->w, h, &n);
    hw->rc = hw->w->rc;
    if (hw->rc == DD_OK && h->ent.id)
        hw->rc = history_entitlement(hw, h, &n);
    if (hw->rc == DD_OK && h->c.decision[0])
        hw->rc = history_assessment(hw, h);
    hw->count++;
    return hw->rc != DD_OK;
}

/* entitlements newest first */
static int
ent_cmp(const void *pa, const void *pb)
{
    const struct history_piece *a = pa, *b = pb;
    if (a->created_at != b->created_at)
        return a->created_at < b->created_at ? 1 : -1;
    return a->id < b->id ? 1 : a->id > b->id ? -1 : 0;
}

/* assessments newest decision first */
static int
assessment_cmp(const void *pa, const void *pb)
{
    const struct history_piece *a = pa, *b = pb;
    int c = strcmp(b->decided_on, a->decided_on);
    if (c != 0)
        return c;
    return a->id < b->id ? 1 : a->id > b->id ? -1 : 0;
}

/* The rest of the reply after the walk: "entitlements", "assessments"
 * and "truncated". */
static void
history_tail(struct history_walk *hw)
{
    struct jw *w = hw->w;
    qsort(hw->ents, hw->ent_count, sizeof(*hw->ents), ent_cmp);
    qsort(hw->as, hw->as_count, sizeof(*hw->as), assessment_cmp);
    jw_end(w);
    jw_arr(w, "entitlements");
    for (size_t i = 0; i < hw->ent_count; i++)
        jw_raw(w, NULL, hw->ents[i].json);
    jw_end(w);
    jw_arr(w, "assessments");
    for (size_t i = 0; i < hw->as_count; i++)
        jw_raw(w, NULL, hw->as[i].json);
    jw_end(w);
    jw_bool(w, "truncated", hw->truncated);
    jw_end(w);
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
    struct jw w;
    enum dd_status rc;
    int64_t id = api_path_id(req, 0);
    struct history_walk *hw = arena_alloc(req->arena, sizeof(*hw));
    if (hw) {
        memset(hw, 0, sizeof(*hw));
        hw->ents =
            arena_alloc(req->arena, HISTORY_MAX_ITEMS * sizeof(*hw->ents));
        hw->as = arena_alloc(req->arena, HISTORY_MAX_ITEMS * sizeof(*hw->as));
    }
    if (!hw || !hw->ents || !hw->as) {
        api_fail(req, DD_ENOMEM, NULL);
        return;
    }
    if (api_begin(req, STORE_WRITE, &tx))
        return;
    api_case_ctx(req, tx, &hw->x);
    hw->req = req;
    hw->w = &w;
    rc = store_household_get(tx, id, &h);
    if (api_check(req, rc, NULL))
        return;
    if (api_authorise(req, AUTHZ_HOUSEHOLD_READ, h.region_code, NULL) ||
        api_household_dept_check(req, tx, h.id))
        return;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    jw_int(&w, "household_id", id);
    jw_arr(&w, "cases");
    rc = store_case_history_household(tx, id, HISTORY_MAX_ITEMS + 1,
                                      history_row, hw);
    if (rc == DD_OK)
        rc = hw->rc;
    if (rc == DD_OK) {
        history_tail(hw);
        rc = w.rc;
    }
    /* nothing is audited as read that was not sent */
    if (rc == DD_OK)
        rc = cases_audit(
            &hw->x, "household.history",
            arena_printf(req->arena, "household:%lld", (long long)id),
            h.region_code,
            json_object_of_strings(
                req->arena,
                (const char *[]){
                    "cases", arena_printf(req->arena, "%zu", hw->count),
                    "truncated", hw->truncated ? "true" : "false"},
                2));
    if (rc != DD_OK) {
        reply(req, &w, rc);
        return;
    }
    if (api_commit(req, tx)) {
        jw_free(&w);
        return;
    }
    reply(req, &w, DD_OK);
}

/* ---- a citizen's own applications ---- */

struct citizen_walk {
    struct cases_ctx x;
    struct jw *w;
    int64_t application_id; /* the one being written, 0 before the first */
    size_t count;
    int truncated;
};

static int
citizen_row(const struct case_history_row *h, void *ctx)
{
    struct citizen_walk *cw = ctx;
    struct jw *w = cw->w;
    if (cw->count == CITIZEN_MAX_ITEMS) {
        cw->truncated = 1;
        return 1;
    }
    if (h->c.application_id != cw->application_id) {
        if (cw->application_id) {
            jw_end(w);
            jw_end(w);
        }
        jw_obj(w, NULL);
        jw_int(w, "id", h->c.application_id);
        jw_str(w, "case_no", h->c.case_no);
        jw_str_or_null(w, "applied_on", h->applied_on);
        jw_str(w, "channel", h->channel);
        jw_arr(w, "items");
        cw->application_id = h->c.application_id;
    }
    put_applicant_item(&cw->x, w, h, 1);
    cw->count++;
    return w->rc != DD_OK;
}

/* GET /api/v1/citizen/applications: the applications the signed-in
 * citizen filed online, newest first, each with its items, steps and
 * notices. Found by the phone's blind index recorded at filing; nothing
 * of the household is shown. */
void
api_case_citizen_list(struct http_request *req)
{
    struct api_citizen who;
    struct store_tx *tx;
    struct jw w;
    struct citizen_walk cw;
    if (api_citizen_of(req, &who) != 0) {
        api_fail(req, DD_EDENIED, NULL);
        return;
    }
    if (api_begin(req, STORE_READ, &tx))
        return;
    memset(&cw, 0, sizeof(cw));
    api_case_ctx(req, tx, &cw.x);
    cw.w = &w;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    jw_arr(&w, "applications");
    enum dd_status rc = store_case_history_citizen(
        tx, api_case_citizen_index(req, &who), CITIZEN_MAX_ITEMS + 1,
        citizen_row, &cw);
    if (rc == DD_OK)
        rc = w.rc;
    if (rc == DD_OK && cw.application_id) {
        jw_end(&w);
        jw_end(&w);
    }
    jw_end(&w);
    jw_bool(&w, "truncated", cw.truncated);
    jw_end(&w);
    reply(req, &w, rc);
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
    enum dd_status rc = store_application_get(tx, api_path_id(req, 0), app);
    if (rc == DD_OK &&
        (!app->citizen_hash[0] ||
         strcmp(app->citizen_hash, api_case_citizen_index(req, &who))))
        rc = DD_ENOTFOUND;
    if (rc == DD_ENOTFOUND) {
        api_error(req, 404, "NOT_FOUND", NULL,
                  "you filed no application with this id",
                  "您没有提交过此申请");
        return -1;
    }
    return api_check(req, rc, NULL);
}

/* GET /api/v1/citizen/applications/{id}: one of the citizen's own
 * applications with its items, steps and notices. */
static void
citizen_application_get(struct http_request *req)
{
    struct store_tx *tx;
    struct application_row app;
    struct jw w;
    if (api_begin(req, STORE_READ, &tx))
        return;
    if (own_application(req, tx, &app))
        return;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    jw_int(&w, "id", app.id);
    jw_str(&w, "case_no", app.case_no);
    jw_str(&w, "applied_on", app.applied_on);
    jw_str(&w, "channel", app.channel);
    jw_arr(&w, "items");
    enum dd_status rc = api_case_applicant_items(req, tx, app.id, 1, &w);
    jw_end(&w);
    jw_end(&w);
    reply(req, &w, rc);
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
        api_alloc(req, CASES_MAX_ITEMS * sizeof(*rows));
    if (!rows)
        return;
    if (api_begin(req, STORE_READ, &tx))
        return;
    if (own_application(req, tx, &app))
        return;
    enum dd_status rc = store_case_item_by_application(
        tx, app.id, rows, CASES_MAX_ITEMS, &n);
    if (api_check(req, rc, NULL))
        return;
    api_case_receipt_reply(req, tx, &app, rows, n);
}

/* ---- routes ---- */


/* GET /api/v1/citizen/applications sits in api_applications.c's table,
 * beside the POST on the same path. */
/* clang-format off: one route per line */
static const struct route routes[] = {
    {"GET", "/api/v1/households/{id}/history", api_id_param, api_no_query, AUTHZ_HOUSEHOLD_READ, 0, household_history, "a household's cases, entitlements and assessments over time " "(audited)"},
    {"GET", "/api/v1/citizen/applications/{id}", api_id_param, api_no_query, AUTHZ_CITIZEN_SELF, 0, citizen_application_get, "one of the signed-in citizen's own applications with its notices"},
    {"GET", "/api/v1/citizen/applications/{id}/receipt", api_id_param, api_no_query, AUTHZ_CITIZEN_SELF, 0, citizen_application_receipt, "the receipt of one of the signed-in citizen's own applications"},
};
/* clang-format on */

const struct route_table api_history_routes = {
    "history", routes, sizeof(routes) / sizeof(routes[0])};
