/* SPDX-License-Identifier: MIT */
/* One-door intake (一门受理、一表登记) over HTTP: one application per
 * household with one or more catalog items, taken at any window (异地受理
 * included), by a village assistant, or online; the pre-assessment's
 * proposals (主动发现) and the one missing-materials notice (一次性告知);
 * the materials that complete 补正, the printable receipt (受理回执) and
 * the anonymous progress query. Filing itself is the case service's
 * (src/cases/filing.c): these handlers parse, authorise, call and
 * encode. */
#include "api/api_cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "crypto/pii.h"
#include "crypto/token.h"
#include "domain/idcard.h"
#include "json/json_cases.h"

#define REPLY_CAP (1u << 20)

struct app_body {
    int64_t household_id;
    const char *id_number; /* a preview's applicant, for 异地受理 */
    struct cases_filing f;
};

#define APB(f) offsetof(struct app_body, f)
static const struct json_field app_fields[] = {
    {"household_id", JSON_T_INT, 0, 1, INT64_MAX, APB(household_id)},
    {"channel", JSON_T_STRING, 1, 1, 12, APB(f.channel)},
    {"applied_on", JSON_T_STRING, 0, 10, 10, APB(f.applied_on)},
    {"id_number", JSON_T_STRING, 0, 15, 18, APB(id_number)},
};
static const struct json_list_field app_lists[] = {
    {"items", 1, CASES_MAX_ITEMS, 31, APB(f.items), APB(f.item_count)},
    {"materials", 0, CASES_MAX_MATERIALS, 40, APB(f.materials),
     APB(f.material_count)},
};

/* A request's intake: the body, a household to register with it, the
 * checked application and the household it is for. */
struct intake {
    struct app_body b;
    const char *household_json; /* a household to register, or NULL */
    struct cases_intake in;
    struct registry_household rh;
};

/* Decodes and checks the body; 0, or -1 after replying. */
static int
intake_check(struct http_request *req, const struct cases_ctx *x,
             struct intake *in)
{
    struct dd_error err = {0};
    unsigned present = 0;
    const char *body = req->body.data ? req->body.data : "";
    /* a household registered with the application */
    in->household_json = NULL;
    enum dd_status rc =
        json_cases_take_object(req->arena, body, req->body.len, "household",
                               &in->household_json, &body, &err);
    if (rc == DD_OK)
        rc = json_cases_decode(req->arena, body, strlen(body), app_fields,
                               sizeof(app_fields) / sizeof(app_fields[0]),
                               app_lists, 2, &in->b, &present, &err);
    if (rc == DD_OK && !in->b.household_id == !in->household_json) {
        api_error(req, 400, "HOUSEHOLD_REQUIRED", "household_id",
                  "name one household: household_id, or a household to "
                  "register",
                  "请指定一个家庭：household_id 或随申请登记的 household");
        return -1;
    }
    if (rc == DD_OK)
        rc = cases_intake_check(x, &in->b.f, 0, &in->in, &err);
    return api_check(req, rc, &err);
}

/* "missing_notice":[{"item_code","name_zh","materials":[{code,name_zh,
 * name_en}]}] for the items missing anything: the one notice. */
static void
put_notice(struct jw *w, const struct cases_intake *in)
{
    jw_arr(w, "missing_notice");
    for (size_t i = 0; i < in->item_count; i++) {
        if (!in->missing[i][0])
            continue;
        jw_obj(w, NULL);
        jw_str(w, "item_code", in->items[i].code);
        jw_str(w, "name_zh", in->items[i].name_zh);
        struct catalog_item tmp;
        str_copy(tmp.materials, sizeof(tmp.materials), in->missing[i]);
        api_put_materials(w, &tmp);
        jw_end(w);
    }
    jw_end(w);
}

/* Whether the household in->rh is the caller's to read: in scope as every
 * household read is, or, for 异地受理 at a window out of scope, named with
 * the ID number of a person active in it (id_hash, "" = none; the
 * applicant's ID card at the window). 0, or -1 after replying 404 as for
 * none. */
static int
in_reach(struct http_request *req, struct store_tx *tx,
         const struct intake *in, const char *id_hash)
{
    int64_t hh = 0;
    if (authz_decide(PRINCIPAL(req), AUTHZ_HOUSEHOLD_READ,
                     in->rh.h.region_code, NULL) == DD_OK)
        return api_household_dept_check(req, tx, in->rh.h.id);
    enum dd_status rc = id_hash[0] ? store_person_active_household(
                                         tx, id_hash, &hh)
                                   : DD_ENOTFOUND;
    if (rc == DD_OK && hh != in->rh.h.id)
        rc = DD_ENOTFOUND;
    if (rc == DD_ENOTFOUND)
        return api_authorise(req, AUTHZ_HOUSEHOLD_READ, in->rh.h.region_code,
                             NULL);
    return api_check(req, rc, NULL);
}

/* Loads the household named in the body (active; when scope_id is not
 * NULL, within the caller's reach: in_reach), or registers the one it
 * carries; 0, or -1 after replying. */
static int
household_of(struct http_request *req, struct store_tx *tx, struct intake *in,
             const char *scope_id)
{
    if (in->household_json) {
        if (api_household_insert_json(req, tx, in->household_json,
                                      strlen(in->household_json), &in->rh))
            return -1;
        in->b.household_id = in->rh.h.id;
        return 0;
    }
    enum dd_status rc =
        registry_load(tx, req->arena, in->b.household_id, &in->rh);
    if (rc == DD_ENOTFOUND) {
        api_error(req, 404, "NOT_FOUND", "household_id", "no such household",
                  "无此家庭");
        return -1;
    }
    if (api_check(req, rc, NULL))
        return -1;
    if (scope_id && in_reach(req, tx, in, scope_id))
        return -1;
    if (strcmp(in->rh.h.status, "active") != 0) {
        api_error(req, 409, "HOUSEHOLD_INACTIVE", "household_id",
                  "the household is no longer active", "该家庭已注销");
        return -1;
    }
    return 0;
}

/* An intake in the request's arena; NULL after replying. */
static struct intake *
intake_new(struct http_request *req)
{
    struct intake *in = api_alloc(req, sizeof(*in));
    if (!in)
        return NULL;
    memset(in, 0, sizeof(*in));
    return in;
}

/* Room for an application's items in the request's arena; NULL after
 * replying. */
static struct case_item_row *
item_rows(struct http_request *req)
{
    return api_alloc(req, CASES_MAX_ITEMS * sizeof(struct case_item_row));
}

/* POST /api/v1/applications/preview: the missing-materials notice and
 * the engine's proposals (主动发现): programs the household may qualify
 * for that it did not ask for. Nothing is stored; reading the household
 * is audited (application.preview). */
static void
application_preview(struct http_request *req)
{
    struct store_tx *tx;
    struct cases_ctx x;
    struct intake *in = intake_new(req);
    struct assess_result *r = arena_alloc(req->arena, sizeof(*r));
    if (!in)
        return;
    if (!r) {
        api_fail(req, DD_ENOMEM, NULL);
        return;
    }
    api_case_ctx(req, NULL, &x);
    if (intake_check(req, &x, in))
        return;
    char id_hash[PII_BLIND_INDEX_LEN + 1] = "";
    if (in->b.id_number) {
        struct idcard id;
        struct dd_error err = {0};
        enum dd_status rc = idcard_parse(in->b.id_number, x.day.y, x.day.m,
                                         x.day.d, &id, &err);
        if (rc != DD_OK)
            err.field = "id_number";
        if (api_check(req, rc, &err))
            return;
        pii_blind_index(API(req)->pii, id.number, id_hash);
    }
    if (in->household_json) {
        /* a preview stores nothing: not even the household */
        api_error(req, 400, "HOUSEHOLD_REQUIRED", "household_id",
                  "a preview reads a registered household: household_id",
                  "预评估只读取已登记的家庭：请提供 household_id");
        return;
    }
    if (api_begin(req, STORE_WRITE, &tx))
        return;
    x.tx = tx;
    /* an assessment reads the household's means: in scope, or at a
     * window elsewhere (异地受理) with the applicant's ID number */
    if (household_of(req, tx, in, id_hash))
        return;
    int assessed = cases_preview(&x, &in->in, &in->rh, r) == DD_OK;
    enum dd_status rc = cases_audit(
        &x, "application.preview",
        arena_printf(req->arena, "household:%lld", (long long)in->rh.h.id),
        in->rh.h.region_code, NULL);
    if (api_finish(req, tx, rc, NULL))
        return;
    static const struct {
        enum assess_program prog;
        const char *code;
    } progs[] = {{ASSESS_DIBAO, "dibao"}, {ASSESS_TEKUN, "tekun"}};
    struct jw w;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    jw_int(&w, "household_id", in->rh.h.id);
    jw_str(&w, "applied_on", in->in.applied.s);
    put_notice(&w, &in->in);
    jw_arr(&w, "proposals");
    for (size_t i = 0; assessed && i < 2; i++) {
        int asked = 0;
        for (size_t k = 0; k < in->b.f.item_count; k++)
            asked |= strcmp(in->b.f.items[k], progs[i].code) == 0;
        enum assess_decision d = r->decision[progs[i].prog];
        if (asked || d == ASSESS_NOT_ELIGIBLE)
            continue;
        jw_obj(&w, NULL);
        jw_str(&w, "item_code", progs[i].code);
        jw_str(&w, "decision", assess_decision_name(d));
        jw_int(&w, "amount_fen", r->amount_fen[progs[i].prog]);
        jw_end(&w);
    }
    jw_end(&w);
    jw_bool(&w, "assessed", assessed);
    jw_end(&w);
    api_reply_jw(req, 200, &w);
}

/* The application's members and its items, in w's open object; the query
 * code only when just filed. */
static void
put_application(const struct cases_ctx *x, struct jw *w,
                const struct application_row *app,
                const struct case_item_row *rows, size_t n,
                const char *query_code)
{
    jw_int(w, "id", app->id);
    jw_str(w, "case_no", app->case_no);
    jw_str(w, "county_code", app->county_code);
    jw_int(w, "household_id", app->household_id);
    jw_str(w, "channel", app->channel);
    jw_str(w, "intake_region", app->intake_region);
    jw_str(w, "applied_on", app->applied_on);
    if (query_code)
        jw_str(w, "query_code", query_code);
    jw_arr(w, "items");
    for (size_t i = 0; i < n; i++)
        api_case_put_item(x, w, NULL, &rows[i]);
    jw_end(w);
}

const char *
api_case_citizen_index(struct http_request *req, struct api_citizen *who)
{
    if (api_citizen_of(req, who) != 0)
        return "";
    return who->phone_hash[0] ? who->phone_hash : who->id_hash;
}

/* Files the checked intake in tx, unless the household has an item of it
 * open already (any channel: no duplicate cases in the inboxes); 0, or -1
 * after replying. */
static int
intake_file(struct http_request *req, const struct cases_ctx *x,
            struct intake *in, struct application_row *app,
            struct case_item_row *rows,
            char code[CASES_QUERY_CODE_LEN + 1])
{
    const struct principal *p = PRINCIPAL(req);
    struct api_citizen who;
    struct dd_error err = {0};
    enum dd_status rc = cases_duplicate_check(x, &in->in, in->rh.h.id, &err);
    if (rc == DD_OK)
        rc = cases_file(x, &in->in, &in->rh,
                        p && p->prefix_count ? p->prefixes[0] : "",
                        api_case_citizen_index(req, &who), app, rows, code);
    return api_check(req, rc, &err);
}

/* Files the intake inside x->tx (its household found or registered
 * first) and commits: 0, or -1 after replying. */
static int
intake_commit(struct http_request *req, struct cases_ctx *x, struct intake *in,
              struct application_row *app, struct case_item_row *rows,
              char *code)
{
    if (household_of(req, x->tx, in, NULL) ||
        intake_file(req, x, in, app, rows, code))
        return -1;
    return api_commit(req, x->tx);
}

/* POST /api/v1/applications: files one application (staff channels). */
static void
application_create(struct http_request *req)
{
    struct store_tx *tx;
    struct cases_ctx x;
    struct application_row app;
    char code[CASES_QUERY_CODE_LEN + 1];
    struct intake *in = intake_new(req);
    struct case_item_row *rows = in ? item_rows(req) : NULL;
    if (!rows)
        return;
    api_case_ctx(req, NULL, &x);
    if (intake_check(req, &x, in))
        return;
    if (in->b.id_number) {
        api_error(req, 400, "UNKNOWN_FIELD", "id_number",
                  "id_number names a preview's applicant; a filing names "
                  "the household",
                  "id_number 仅用于预评估；受理请指定家庭");
        return;
    }
    if (api_begin(req, STORE_WRITE, &tx))
        return;
    x.tx = tx;
    if (intake_commit(req, &x, in, &app, rows, code))
        return;
    struct jw w;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    put_application(&x, &w, &app, rows, in->in.item_count, code);
    put_notice(&w, &in->in);
    jw_end(&w);
    api_reply_jw(req, 201, &w);
}

struct citizen_body {
    const char *id_number;
    struct cases_declared d; /* a new applicant's declaration */
    struct cases_filing f;
};

/* 429 with Retry-After (seconds, as the arena's text) and the error. */
static void
too_many(struct http_request *req, int64_t retry_s, const struct dd_error *err)
{
    const char *v = arena_printf(req->arena, "%lld", (long long)retry_s);
    if (!v || http_set_header(req, "Retry-After", v) != DD_OK) {
        api_fail(req, DD_ENOMEM, NULL);
        return;
    }
    api_error(req, 429, err->code, err->field, err->message, err->message_zh);
}

/* Checks a new applicant's declaration (the name is checked with the ID
 * number when registered); 0, or -1 after replying 400. */
static int
declaration_ok(struct http_request *req, const struct cases_declared *d)
{
    static const char *const names[] = {"name", "region_code", "address"};
    const char *const vals[] = {d->name, d->region, d->address};
    for (size_t i = 0; i < 3; i++)
        if (!vals[i]) {
            api_error(req, 400, "DECLARATION_REQUIRED", names[i],
                      "an applicant the township has not verified declares "
                      "name, region_code (the village of residence) and "
                      "address",
                      "待核实的申请人须申报姓名 name、居住地村（社区）代码 "
                      "region_code 和住址 address");
            return -1;
        }
    long ri = api_region_find(API(req), d->region);
    if (ri < 0 || strcmp(API(req)->regions[ri].level, "village") != 0) {
        api_error(req, 400, "UNKNOWN_REGION", "region_code",
                  "region_code is the 12-digit code of a village or "
                  "community",
                  "region_code 须为 12 位村（社区）代码");
        return -1;
    }
    return 0;
}

/* The household a citizen files for (the rule is the case service's:
 * cases_citizen_household), or the new applicant's declared one, into
 * in->rh; 0, or -1 after replying. */
static int
citizen_household(struct http_request *req, struct cases_ctx *x,
                  const struct api_citizen *who, struct citizen_body *cb,
                  const char *named_hash, struct intake *in)
{
    struct dd_error err = {0};
    enum dd_status rc = cases_citizen_household(
        x, who->phone_hash, who->id_hash, named_hash, &in->b.household_id);
    if (api_check(req, rc, NULL))
        return -1;
    if (in->b.household_id)
        return household_of(req, x->tx, in, NULL);
    if (declaration_ok(req, &cb->d))
        return -1;
    cb->d.id_number = cb->id_number;
    rc = cases_declare(x, &cb->d, &in->rh, &err);
    return api_check(req, rc, &err);
}

/* Seconds from now to the next midnight in Asia/Shanghai (UTC+8, no
 * daylight saving): when the daily count starts again. */
static int64_t
to_midnight(void)
{
    int64_t t = time_now() + 8 * 3600;
    return 86400 - t % 86400;
}

/* POST /api/v1/citizen/applications: a citizen signed in applies online
 * (channel online) for the household of the person with id_number when
 * the citizen is that person, a member or its registered contact; else as
 * a new applicant with what they declare (name, region_code, address),
 * which the township verifies at the first step. Either way the reply is
 * the same: the case number, the query code and the items, nothing of
 * the household or of the registry. Limited per citizen per day (in the
 * store) and per client address. */
static void
citizen_application_create(struct http_request *req)
{
#define CB(f) offsetof(struct citizen_body, f)
    static const struct json_field fields[] = {
        {"id_number", JSON_T_STRING, 1, 15, 18, CB(id_number)},
        {"name", JSON_T_STRING, 0, 1, 60, CB(d.name)},
        {"region_code", JSON_T_STRING, 0, 12, 12, CB(d.region)},
        {"address", JSON_T_STRING, 0, 1, 200, CB(d.address)},
    };
    static const struct json_list_field lists[] = {
        {"items", 1, CASES_MAX_ITEMS, 31, CB(f.items), CB(f.item_count)},
        {"materials", 0, CASES_MAX_MATERIALS, 40, CB(f.materials),
         CB(f.material_count)},
    };
#undef CB
    struct citizen_body cb = {0};
    struct dd_error err = {0};
    unsigned present = 0;
    struct store_tx *tx;
    struct cases_ctx x;
    struct application_row app;
    struct api_citizen who;
    struct idcard id;
    char code[CASES_QUERY_CODE_LEN + 1], hash[PII_BLIND_INDEX_LEN + 1];
    struct intake *in = intake_new(req);
    struct case_item_row *rows = in ? item_rows(req) : NULL;
    if (!rows)
        return;
    api_case_ctx(req, NULL, &x);
    enum dd_status rc = json_cases_decode(
        req->arena, req->body.data ? req->body.data : "", req->body.len,
        fields, sizeof(fields) / sizeof(fields[0]), lists, 2, &cb, &present,
        &err);
    if (rc == DD_OK) {
        rc = idcard_parse(cb.id_number, x.day.y, x.day.m, x.day.d, &id, &err);
        if (rc != DD_OK)
            err.field = "id_number";
    }
    if (rc == DD_OK) {
        cb.f.channel = "online";
        rc = cases_intake_check(&x, &cb.f, 1, &in->in, &err);
    }
    if (api_check(req, rc, &err))
        return;
    const char *citizen = api_case_citizen_index(req, &who);
    struct api *a = API(req);
    pii_blind_index(a->pii, id.number, hash);
    if (api_begin(req, STORE_WRITE, &tx))
        return;
    x.tx = tx;
    /* the citizen's own count first: one citizen's flood spends none of
     * the address's allowance, which others behind it share */
    rc = cases_citizen_quota(&x, citizen, a->cfg->citizen_filings_per_day,
                             &err);
    if (rc == DD_ERATE) {
        too_many(req, to_midnight(), &err);
        return;
    }
    if (rc == DD_OK && !ratelimit_take(a->filing_address_limit,
                                       req->client_addr, time_now())) {
        err = (struct dd_error){
            .code = "TOO_MANY_REQUESTS",
            .message = "too many applications from this address; try "
                       "again later",
            .message_zh = "此地址提交的申请过多，请稍后再试"};
        too_many(req, 86400 / a->cfg->citizen_filing_address_per_day + 1,
                 &err);
        return;
    }
    if (api_check(req, rc, NULL) ||
        citizen_household(req, &x, &who, &cb, hash, in) ||
        intake_file(req, &x, in, &app, rows, code) || api_commit(req, tx))
        return;
    struct jw w;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    jw_str(&w, "case_no", app.case_no);
    jw_str(&w, "query_code", code);
    jw_str(&w, "applied_on", app.applied_on);
    jw_arr(&w, "items");
    for (size_t i = 0; i < in->in.item_count; i++) {
        jw_obj(&w, NULL);
        jw_str(&w, "item_code", rows[i].item_code);
        jw_str(&w, "step", rows[i].step);
        jw_str(&w, "state", rows[i].state);
        jw_str(&w, "deadline", rows[i].deadline);
        jw_end(&w);
    }
    jw_end(&w);
    put_notice(&w, &in->in);
    jw_end(&w);
    api_reply_jw(req, 201, &w);
}

/* Loads an application and its items and checks the caller may read it
 * (in scope of the intake office or of any item); 0, or -1 after
 * replying. */
static int
load_application(struct http_request *req, const struct cases_ctx *x,
                 int64_t id, struct application_row *app,
                 struct case_item_row *rows, size_t *n)
{
    enum dd_status rc = store_application_get(x->tx, id, app);
    if (rc == DD_OK)
        rc = store_case_item_by_application(x->tx, id, rows, CASES_MAX_ITEMS,
                                            n);
    if (api_check(req, rc, NULL))
        return -1;
    struct catalog_item it;
    if (*n == 0 || cases_item_version(x, rows[0].item_code,
                                      rows[0].catalog_version, &it) != DD_OK) {
        api_fail(req, DD_ENOTFOUND, NULL);
        return -1;
    }
    return api_case_may_read(req, &rows[0], &it);
}

/* Replies 200 with the application and its items. */
static void
application_reply(struct http_request *req, const struct cases_ctx *x,
                  const struct application_row *app,
                  const struct case_item_row *rows, size_t n)
{
    struct jw w;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    put_application(x, &w, app, rows, n, NULL);
    jw_end(&w);
    api_reply_jw(req, 200, &w);
}

struct materials_body {
    const char **materials;
    size_t count;
};

/* POST /api/v1/applications/{id}/materials: papers brought for items in
 * 补正; an item whose list empties leaves 补正 (its pause ends today, and
 * the deadline moves by the paused working days). */
static void
materials_add(struct http_request *req)
{
    static const struct json_list_field lists[] = {
        {"materials", 1, CASES_MAX_MATERIALS, 40,
         offsetof(struct materials_body, materials),
         offsetof(struct materials_body, count)},
    };
    struct materials_body b = {0};
    unsigned present = 0;
    struct dd_error err = {0};
    struct store_tx *tx;
    struct cases_ctx x;
    struct application_row app;
    size_t n = 0;
    struct case_item_row *rows =
        arena_alloc(req->arena, CASES_MAX_ITEMS * sizeof(*rows));
    api_case_ctx(req, NULL, &x);
    enum dd_status rc =
        rows ? json_cases_decode(req->arena,
                                 req->body.data ? req->body.data : "",
                                 req->body.len, NULL, 0, lists, 1, &b,
                                 &present, &err)
             : DD_ENOMEM;
    if (rc == DD_OK)
        rc = cases_materials_check(&x, b.materials, b.count, &err);
    if (api_check(req, rc, &err))
        return;
    if (api_begin(req, STORE_WRITE, &tx))
        return;
    x.tx = tx;
    if (load_application(req, &x, api_path_id(req, 0), &app, rows, &n))
        return;
    /* papers are taken at the intake office or by the owning township */
    if (authz_decide(PRINCIPAL(req), AUTHZ_CASE_WRITE, app.intake_region,
                     NULL) != DD_OK &&
        api_authorise(req, AUTHZ_CASE_WRITE, rows[0].village_code, NULL))
        return;
    rc = cases_materials_add(&x, rows, n, b.materials, b.count, &err);
    if (api_finish(req, tx, rc, &err))
        return;
    application_reply(req, &x, &app, rows, n);
}

/* POST /api/v1/applications/{id}/verification: the township records that
 * it verified a new applicant who declared themselves online (identity,
 * residence, household) at the first step; the household joins the
 * registry and the items may go on (docs/cases.md). */
static void
verification_create(struct http_request *req)
{
    struct dd_error err = {0};
    struct store_tx *tx;
    struct cases_ctx x;
    struct application_row app;
    size_t n = 0;
    struct case_item_row *rows = item_rows(req);
    if (!rows || api_begin(req, STORE_WRITE, &tx))
        return;
    api_case_ctx(req, tx, &x);
    if (load_application(req, &x, api_path_id(req, 0), &app, rows, &n) ||
        api_authorise(req, AUTHZ_CASE_WRITE, rows[0].village_code, NULL))
        return;
    enum dd_status rc = cases_verify(&x, &rows[0], &err);
    if (api_finish(req, tx, rc, &err))
        return;
    application_reply(req, &x, &app, rows, n);
}

/* An application and its items read for the path's id. */
struct application_read {
    struct cases_ctx x;
    struct application_row app;
    struct case_item_row *rows;
    size_t n;
};

/* Begins a read and loads the path's application into r, as the caller
 * may read it: 0, or -1 after replying. */
static int
read_application(struct http_request *req, struct application_read *r)
{
    struct store_tx *tx;
    r->n = 0;
    r->rows = item_rows(req);
    if (!r->rows || api_begin(req, STORE_READ, &tx))
        return -1;
    api_case_ctx(req, tx, &r->x);
    return load_application(req, &r->x, api_path_id(req, 0), &r->app, r->rows,
                            &r->n);
}

/* GET /api/v1/applications/{id}: the application and its items. */
static void
application_get(struct http_request *req)
{
    struct application_read r;
    if (read_application(req, &r) == 0)
        application_reply(req, &r.x, &r.app, r.rows, r.n);
}

/* GET /api/v1/applications/{id}/receipt: the printable 受理回执 (HTML;
 * every value escaped; the applicant's name masked, no ID numbers). */
static void
application_receipt(struct http_request *req)
{
    struct application_read r;
    if (read_application(req, &r) == 0)
        api_case_receipt_reply(req, r.x.tx, &r.app, r.rows, r.n);
}

void
api_case_receipt_reply(struct http_request *req, struct store_tx *tx,
                       const struct application_row *app,
                       const struct case_item_row *rows, size_t n)
{
    struct registry_household rh;
    struct cases_ctx x;
    api_case_ctx(req, tx, &x);
    enum dd_status rc = registry_load(tx, req->arena, app->household_id, &rh);
    if (api_check(req, rc, NULL))
        return;
    char masked[64];
    cases_mask_name(rh.member_count ? rh.members[0].name : "", masked,
                    sizeof(masked));
    long ri = api_region_find(API(req), app->intake_region);
    const char *office =
        ri >= 0 ? API(req)->regions[ri].name : app->intake_region;
    struct buf b;
    buf_init(&b, REPLY_CAP);
    rc = buf_printf(
        &b,
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        "<title>受理回执 %s</title><style>body{font-family:serif;"
        "max-width:40em;margin:2em auto}td,th{padding:.2em 1em;"
        "text-align:left}</style></head><body><h1>社会救助申请受理回执</h1>"
        "<p>案件编号：%s<br>申请人：%s<br>受理日期：%s<br>受理单位：%s"
        "<br>受理方式：%s</p><table><tr><th>事项</th><th>办理单位</th>"
        "<th>法定办结期限</th><th>待补材料</th></tr>",
        api_case_html(req, app->case_no), api_case_html(req, app->case_no),
        api_case_html(req, masked), api_case_html(req, app->applied_on),
        api_case_html(req, office), api_case_html(req, app->channel));
    for (size_t i = 0; rc == DD_OK && i < n; i++) {
        struct catalog_item it;
        if (cases_item_version(&x, rows[i].item_code, rows[i].catalog_version,
                               &it) != DD_OK)
            continue;
        char mbuf[256];
        str_copy(it.materials, sizeof(it.materials), rows[i].missing);
        const char *codes[CATALOG_MAX_MATERIALS];
        size_t m = catalog_materials_split(&it, mbuf, sizeof(mbuf), codes,
                                           CATALOG_MAX_MATERIALS);
        rc = buf_printf(&b, "<tr><td>%s</td><td>%s%s%s</td><td>%s%s</td><td>",
                        api_case_html(req, it.name_zh),
                        api_case_html(req, rows[i].owner_region),
                        rows[i].owner_department[0] ? " " : "",
                        api_case_html(req, rows[i].owner_department),
                        api_case_html(req, rows[i].deadline),
                        rows[i].deadline_uncovered ? "（节假日数据未覆盖）"
                                                   : "");
        for (size_t k = 0; rc == DD_OK && k < m; k++)
            rc = buf_printf(
                &b, "%s%s", k ? "、" : "",
                api_case_html(req, catalog_material_name(codes[k], 1)));
        if (rc == DD_OK)
            rc = buf_puts(&b, "</td></tr>");
    }
    if (rc == DD_OK)
        rc = buf_puts(&b,
                      "</table><p>期限按工作日计算，受理当日不计入。凭案件编号"
                      "和查询码可查询办理进度。</p></body></html>");
    const char *body =
        rc == DD_OK ? arena_strndup(req->arena, b.data ? b.data : "", b.len)
                    : NULL;
    buf_free(&b);
    if (!body) {
        api_fail(req, rc == DD_OK ? DD_ENOMEM : rc, NULL);
        return;
    }
    http_reply(req, 200, "text/html; charset=utf-8", body, strlen(body));
}

/* The progress query's own limit per client address (the calculator's
 * rate setting), made on first use and kept for the process. */
static pthread_once_t progress_once = PTHREAD_ONCE_INIT;
static struct ratelimit *progress_limit;
static int progress_rate = 30;

static void
progress_limit_new(void)
{
    progress_limit = ratelimit_new(progress_rate, 60);
}

/* GET /api/v1/progress?case_no=&query_code=: anonymous, limited per
 * address; the items, their steps and decisions with each decided item's
 * notice (no names, no IDs). A wrong pair is 404 either way. */
static void
progress_get(struct http_request *req)
{
    struct api *a = API(req);
    struct store_tx *tx;
    struct application_row app;
    progress_rate = a->cfg->calculator_rate_per_min;
    pthread_once(&progress_once, progress_limit_new);
    if (!progress_limit ||
        !ratelimit_take(progress_limit, req->client_addr, time_now())) {
        api_error(req, 429, "TOO_MANY_REQUESTS", NULL,
                  "too many queries from this address; wait a minute",
                  "此地址查询过多，请一分钟后再试");
        return;
    }
    const char *case_no = http_query(req, "case_no");
    const char *code = http_query(req, "query_code");
    char hash[TOKEN_HASH_LEN + 1];
    token_hash(code, hash);
    if (api_begin(req, STORE_READ, &tx))
        return;
    /* an unknown case number and a wrong code are the same 404 (no
     * oracle) */
    enum dd_status rc = store_application_by_case_no(tx, case_no, &app);
    if (rc == DD_OK && !token_equal(hash, app.query_code_hash))
        rc = DD_ENOTFOUND;
    struct jw w;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    if (rc == DD_OK) {
        jw_str(&w, "case_no", app.case_no);
        jw_str(&w, "applied_on", app.applied_on);
        jw_arr(&w, "items");
        rc = api_case_applicant_items(req, tx, app.id, 0, &w);
    }
    if (rc == DD_ENOTFOUND) {
        jw_free(&w);
        api_error(req, 404, "NOT_FOUND", NULL,
                  "no application with this case number and query code",
                  "案件编号或查询码不正确");
        return;
    }
    if (rc != DD_OK) {
        jw_free(&w);
        api_fail(req, rc == DD_ETOOBIG || rc == DD_ENOMEM ? rc : DD_EINTERNAL,
                 NULL);
        return;
    }
    jw_end(&w);
    jw_end(&w);
    api_reply_jw(req, 200, &w);
}

static const struct param_spec progress_query[] = {
    {"case_no", PARAM_DIGITS, 1, 16, 0, 0},
    {"query_code", PARAM_STRING, 1, 16, 0, 0},
    {NULL, 0, 0, 0, 0, 0},
};

/* clang-format off: one route per line */
static const struct route routes[] = {
    {"POST", "/api/v1/applications", NULL, api_no_query, AUTHZ_CASE_WRITE, ROUTE_BODY, application_create, "file one application for a household with one or more items"},
    {"POST", "/api/v1/applications/preview", NULL, api_no_query, AUTHZ_CASE_WRITE, ROUTE_BODY, application_preview, "the missing-materials notice and the engine's proposals"},
    {"GET", "/api/v1/applications/{id}", api_id_param, api_no_query, AUTHZ_CASE_READ, 0, application_get, "one application with its items"},
    {"POST", "/api/v1/applications/{id}/materials", api_id_param, api_no_query, AUTHZ_CASE_WRITE, ROUTE_BODY, materials_add, "papers brought for items waiting in 补正"},
    {"POST", "/api/v1/applications/{id}/verification", api_id_param, api_no_query, AUTHZ_CASE_WRITE, 0, verification_create, "the township verified a new applicant who declared themselves online"},
    {"GET", "/api/v1/applications/{id}/receipt", api_id_param, api_no_query, AUTHZ_CASE_READ, 0, application_receipt, "the printable acceptance receipt (受理回执)"},
    {"POST", "/api/v1/citizen/applications", NULL, api_no_query, AUTHZ_CITIZEN_SELF, ROUTE_BODY, citizen_application_create, "a citizen signed in applies online (for a household they may file for, or as a new applicant)"},
    {"GET", "/api/v1/citizen/applications", NULL, api_no_query, AUTHZ_CITIZEN_SELF, 0, api_case_citizen_list, "the signed-in citizen's own online applications with their notices"},
    {"GET", "/api/v1/progress", NULL, progress_query, AUTHZ_PUBLIC, ROUTE_PUBLIC, progress_get, "anonymous progress by case number and query code"},
};
/* clang-format on */

const struct route_table api_application_routes = {
    "applications", routes, sizeof(routes) / sizeof(routes[0])};
