/* SPDX-License-Identifier: MIT */
/* Case items (协同办理) over HTTP: the item with its timeline, the actions
 * on its step, the dry run of its engine, decision notices, the inbox
 * (GET /api/v1/tasks) and the village 公示 with its objections. Each
 * handler parses, authorises, calls the case service (src/cases/) and
 * encodes; the workflow's rules are the service's. */
#include "api/api_cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "json/json_cases.h"

#define REPLY_CAP (1u << 20)
#define EXPLANATION_CAP (256u * 1024u)
#define TIMELINE_MAX 200
#define INBOX_MAX 200

void
api_case_ctx(struct http_request *req, struct store_tx *tx,
             struct cases_ctx *x)
{
    struct api *a = API(req);
    const struct principal *p = PRINCIPAL(req);
    memset(x, 0, sizeof(*x));
    x->tx = tx;
    x->arena = req->arena;
    x->catalog = a->catalog;
    x->catalog_lock = a->catalog_lock_ready ? &a->catalog_lock : NULL;
    x->policy = a->policy;
    x->policy_lock = a->policy_lock_ready ? &a->policy_lock : NULL;
    x->steps = a->steps;
    x->calendar = api_calendar(a);
    x->pii = a->pii;
    x->actor.name = req->actor;
    x->actor.role = p ? p->role : ROLE_NONE;
    x->actor.region = p && p->prefix_count ? p->prefixes[0] : "";
    x->request_id = req->request_id;
    civil_today(&x->day);
    x->now = time_now();
}

void
api_case_put_item(const struct cases_ctx *x, struct jw *w, const char *key,
                  const struct case_item_row *c)
{
    struct catalog_item it;
    int used = 0, left = 0;
    if (cases_item_version(x, c->item_code, c->catalog_version, &it) !=
        DD_OK) {
        if (w->rc == DD_OK)
            w->rc = DD_ENOMEM;
        return;
    }
    cases_days(x, c, &used, &left);
    json_cases_put_item(w, key, c, &it, cases_step(x, &it, c->step), used,
                        left);
}

const char *
api_case_html(struct http_request *req, const char *s)
{
    struct buf b;
    buf_init(&b, 1u << 20);
    enum dd_status rc = DD_OK;
    for (const char *p = s ? s : ""; rc == DD_OK && *p; p++) {
        switch (*p) {
        case '<': rc = buf_puts(&b, "&lt;"); break;
        case '>': rc = buf_puts(&b, "&gt;"); break;
        case '&': rc = buf_puts(&b, "&amp;"); break;
        case '"': rc = buf_puts(&b, "&quot;"); break;
        case '\'': rc = buf_puts(&b, "&#39;"); break;
        default: rc = buf_append(&b, p, 1); break;
        }
    }
    const char *out =
        rc == DD_OK ? arena_strndup(req->arena, b.data ? b.data : "", b.len)
                    : "";
    buf_free(&b);
    return out ? out : "";
}

int
api_case_may_read(struct http_request *req, const struct case_item_row *c,
                  const struct catalog_item *it)
{
    const struct principal *p = PRINCIPAL(req);
    const char *regions[] = {c->owner_region, c->intake_region,
                             c->village_code};
    int denied = 0;
    for (size_t i = 0; i < 3; i++) {
        enum dd_status rc =
            authz_decide(p, AUTHZ_CASE_READ, regions[i], it->department);
        if (rc == DD_OK)
            return 0;
        denied |= rc == DD_EDENIED;
    }
    api_refuse(req, denied);
    return -1;
}

/* Whether the caller sees the household: a department officer through a
 * referral of one of its items to the officer's department, every other
 * role as the grant table says (1). The store's status. */
static enum dd_status
dept_sees(struct http_request *req, struct store_tx *tx, int64_t household_id,
          int *has)
{
    const struct principal *p = PRINCIPAL(req);
    *has = 1;
    if (!p || p->role != ROLE_DEPT_OFFICER)
        return DD_OK;
    *has = 0;
    return store_referral_dept_household(tx, household_id, p->department, has);
}

int
api_household_dept_visible(struct http_request *req, struct store_tx *tx,
                           int64_t household_id)
{
    int has;
    return dept_sees(req, tx, household_id, &has) == DD_OK && has;
}

int
api_household_dept_check(struct http_request *req, struct store_tx *tx,
                         int64_t household_id)
{
    int has;
    if (api_check(req, dept_sees(req, tx, household_id, &has), NULL))
        return -1;
    if (!has) {
        api_refuse(req, 0);
        return -1;
    }
    return 0;
}

/* Loads the item of the path and its catalog version; 0, or -1 after
 * replying. */
static int
item_of_path(struct http_request *req, const struct cases_ctx *x,
             struct case_item_row *c, struct catalog_item *it)
{
    enum dd_status rc = store_case_item_get(x->tx, api_path_id(req, 0), c);
    if (rc == DD_OK &&
        cases_item_version(x, c->item_code, c->catalog_version, it) != DD_OK)
        rc = DD_EINTERNAL;
    return api_check(req, rc, NULL);
}

/* ... and checks the caller may read it. */
static int
load_item(struct http_request *req, const struct cases_ctx *x,
          struct case_item_row *c, struct catalog_item *it)
{
    return item_of_path(req, x, c, it) ? -1 : api_case_may_read(req, c, it);
}

/* ... and checks the caller may act on it: the owner's scope; department
 * steps need the department's officer. */
static int
load_item_to_act(struct http_request *req, const struct cases_ctx *x,
                 struct case_item_row *c, struct catalog_item *it)
{
    if (item_of_path(req, x, c, it))
        return -1;
    return c->owner_department[0]
               ? api_authorise(req, AUTHZ_REFERRAL_HANDLE, c->owner_region,
                               c->owner_department)
               : api_authorise(req, AUTHZ_CASE_WRITE, c->owner_region, NULL);
}

/* An optional row: found (1), not there (0, DD_OK) or the store's error. */
static enum dd_status
optional(enum dd_status rc, int *found)
{
    *found = rc == DD_OK;
    return rc == DD_ENOTFOUND ? DD_OK : rc;
}

/* Begins the request's transaction in mode and loads the path's item
 * into c and it: to read it (STORE_READ) or to act on it (STORE_WRITE).
 * 0, or -1 after replying. */
static int
begin_item(struct http_request *req, enum store_mode mode, struct cases_ctx *x,
           struct case_item_row *c, struct catalog_item *it)
{
    struct store_tx *tx;
    if (api_begin(req, mode, &tx))
        return -1;
    api_case_ctx(req, tx, x);
    return mode == STORE_WRITE ? load_item_to_act(req, x, c, it)
                               : load_item(req, x, c, it);
}

/* GET /api/v1/case-items/{id}: the item, its timeline, its referral,
 * entitlement and 公示. */
static void
case_item_get(struct http_request *req)
{
    struct case_item_row c;
    struct catalog_item it;
    struct cases_ctx x;
    struct referral_row ref;
    struct entitlement_row ent;
    int has_ref = 0, has_ent = 0, unverified = 0;
    size_t n = 0;
    if (begin_item(req, STORE_READ, &x, &c, &it))
        return;
    struct case_event_row *ev =
        arena_alloc(req->arena, TIMELINE_MAX * sizeof(*ev));
    enum dd_status rc =
        ev ? store_case_event_list(x.tx, c.id, ev, TIMELINE_MAX, &n)
           : DD_ENOMEM;
    if (rc == DD_OK)
        rc = optional(store_referral_get(x.tx, c.id, &ref), &has_ref);
    if (rc == DD_OK)
        rc = optional(store_entitlement_by_case_item(x.tx, c.id, &ent),
                      &has_ent);
    if (rc == DD_OK)
        rc = store_household_unverified(x.tx, c.household_id, &unverified);
    if (api_check(req, rc, NULL))
        return;
    struct jw w;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    api_case_put_item(&x, &w, "item", &c);
    /* a new applicant who declared themselves online: the township
     * verifies them before the first step is left (docs/cases.md) */
    jw_bool(&w, "applicant_unverified", unverified);
    jw_arr(&w, "timeline");
    for (size_t i = 0; i < n; i++) {
        const struct wf_step *s = cases_step(&x, &it, ev[i].step_to);
        json_cases_put_event(&w, &ev[i], s ? s->name_zh : ev[i].step_to);
    }
    jw_end(&w);
    json_cases_put_referral(&w, "referral", has_ref ? &ref : NULL);
    json_cases_put_entitlement(&w, "entitlement", has_ent ? &ent : NULL);
    jw_end(&w);
    api_reply_jw(req, 200, &w);
}

struct action_body {
    const char *action, *reasons, *result, *note, *checker;
    int64_t version, amount_fen;
    const char **investigators;
    size_t investigator_count;
};

#define AB(f) offsetof(struct action_body, f)
static const struct json_field action_fields[] = {
    {"action", JSON_T_STRING, 1, 1, 23, AB(action)},
    {"version", JSON_T_INT, 1, 1, INT32_MAX, AB(version)},
    {"reasons", JSON_T_STRING, 0, 0, 500, AB(reasons)},
    {"result", JSON_T_STRING, 0, 0, 500, AB(result)},
    {"note", JSON_T_STRING, 0, 0, 500, AB(note)},
    {"amount_fen", JSON_T_INT, 0, 0, 100000000, AB(amount_fen)},
    {"checker", JSON_T_STRING, 0, 0, 60, AB(checker)},
};
static const struct json_list_field action_lists[] = {
    {"investigators", 0, 8, 60, AB(investigators), AB(investigator_count)},
};

/* What an action records on its event: the facts a decision was based on
 * (compact, as taken out of the body), the investigators and the other
 * fields given; only the facts when all of it would not fit. */
static const char *
action_event_fields(struct http_request *req, const struct action_body *b,
                    const char *facts, int all)
{
    struct jw w;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    if (facts)
        jw_raw(&w, "facts", facts);
    if (all && b->investigator_count) {
        jw_arr(&w, "investigators");
        for (size_t i = 0; i < b->investigator_count; i++)
            jw_str(&w, NULL, b->investigators[i]);
        jw_end(&w);
    }
    if (all && b->result)
        jw_str(&w, "result", b->result);
    if (all && b->note)
        jw_str(&w, "note", b->note);
    if (all && b->checker)
        jw_str(&w, "checker", b->checker);
    if (all && b->amount_fen)
        jw_str(&w, "amount_fen",
               arena_printf(req->arena, "%lld", (long long)b->amount_fen));
    jw_end(&w);
    char *s = jw_finish(&w);
    const char *out = s ? arena_strdup(req->arena, s) : NULL;
    free(s);
    if (out && facts && all &&
        strlen(out) >= sizeof(((struct case_event_row *)0)->fields))
        return action_event_fields(req, b, facts, 0);
    return out;
}

/* POST /api/v1/case-items/{id}/actions: one transition by the step's
 * actor, at the version the caller read (stale → 409). */
static void
case_item_action(struct http_request *req)
{
    struct action_body b = {0};
    unsigned present = 0;
    struct dd_error err = {0};
    struct case_item_row c;
    struct catalog_item it;
    struct cases_ctx x;
    const char *facts = NULL, *rest = NULL;
    /* the decider's facts are an object: taken out here, decoded for the
     * item's engine by the transition */
    enum dd_status rc = json_cases_take_object(
        req->arena, req->body.data ? req->body.data : "", req->body.len,
        "facts", &facts, &rest, &err);
    if (rc == DD_OK)
        rc = json_cases_decode(req->arena, rest, strlen(rest), action_fields,
                               sizeof(action_fields) / sizeof(action_fields[0]),
                               action_lists, 1, &b, &present, &err);
    if (api_check(req, rc, &err))
        return;
    if (begin_item(req, STORE_WRITE, &x, &c, &it))
        return;
    if (b.version != c.version) {
        api_error(req, 409, "VERSION_CONFLICT", "version",
                  "the case item was changed meanwhile; reload it",
                  "该事项已被他人修改，请刷新后重试");
        return;
    }
    struct cases_input in = {
        .action = b.action,
        .reasons = b.reasons,
        .investigators = b.investigators,
        .investigator_count = b.investigator_count,
        .amount_fen = b.amount_fen,
        .result = b.result,
        .checker = b.checker,
        .fields_json = action_event_fields(req, &b, facts, 1),
        .facts = facts};
    rc = cases_transition(&x, &c, &in, 1, &err);
    if (api_finish(req, x.tx, rc, &err))
        return;
    struct jw w;
    jw_init(&w, REPLY_CAP);
    api_case_put_item(&x, &w, NULL, &c);
    api_reply_jw(req, 200, &w);
}

/* POST /api/v1/case-items/{id}/assessment {"facts":{...}}: a dry run of
 * the item's engine with the facts, for the caller who may act on the
 * item now (as the actions route checks): {"program","decision",
 * "amount_fen","explanation"}. Nothing changes but one "case.assess"
 * audit row, since the household's personal data are read. 低保 and 特困
 * ignore the facts. 409 NO_ENGINE for an item no engine decides. */
static void
case_item_assess(struct http_request *req)
{
    struct dd_error err = {0};
    struct case_item_row c;
    struct catalog_item it;
    struct cases_ctx x;
    struct cases_assessment out;
    const char *facts = NULL, *rest = NULL;
    struct { int unused; } none;
    unsigned present = 0;
    enum dd_status rc = json_cases_take_object(
        req->arena, req->body.len ? req->body.data : "{}",
        req->body.len ? req->body.len : 2, "facts", &facts, &rest, &err);
    if (rc == DD_OK)
        rc = json_decode_object(req->arena, rest, strlen(rest), NULL, 0, &none,
                                &present, &err);
    if (api_check(req, rc, &err))
        return;
    if (begin_item(req, STORE_WRITE, &x, &c, &it))
        return;
    rc = cases_assess(&x, &c, facts, &out, &err);
    if (api_finish(req, x.tx, rc, &err))
        return;
    struct jw w;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    jw_str(&w, "program", out.program);
    jw_str(&w, "decision", assess_decision_name(out.decision));
    jw_int(&w, "amount_fen", out.amount_fen);
    jw_raw(&w, "explanation", out.explanation);
    jw_end(&w);
    api_reply_jw(req, 200, &w);
}

/* The printable notice (every value escaped). */
static void
notice_html(struct http_request *req, const struct case_item_row *c,
            const struct catalog_item *it, const char *masked,
            const struct entitlement_row *ent)
{
    int approved = strcmp(c->decision, "approved") == 0;
    const char *html = arena_printf(
        req->arena,
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        "<title>%s</title><style>body{font-family:serif;max-width:40em;"
        "margin:2em auto}td{padding:.2em 1em}</style></head><body>"
        "<h1>%s决定通知书</h1><table>"
        "<tr><td>案件编号</td><td>%s</td></tr>"
        "<tr><td>申请人</td><td>%s</td></tr>"
        "<tr><td>事项</td><td>%s (%s)</td></tr>"
        "<tr><td>决定</td><td>%s</td></tr>"
        "<tr><td>%s</td><td>%lld.%02lld 元</td></tr>"
        "<tr><td>起始月份</td><td>%s</td></tr>"
        "<tr><td>理由</td><td>%s</td></tr>"
        "<tr><td>决定日期</td><td>%s</td></tr></table>"
        "<p>如对本决定不服，可依法申请行政复议或提起行政诉讼。</p>"
        "</body></html>",
        api_case_html(req, c->case_no), api_case_html(req, it->name_zh),
        api_case_html(req, c->case_no), api_case_html(req, masked),
        api_case_html(req, it->name_zh), api_case_html(req, it->name_en),
        approved ? "批准 (approved)" : "不予批准 (rejected)",
        /* an entitlement pays monthly; an approval without one (临时救助,
         * a department's grant) is paid once */
        ent || !approved ? "月发放金额" : "发放金额（一次性）",
        (long long)(c->amount_fen / 100), (long long)(c->amount_fen % 100),
        ent ? api_case_html(req, ent->start_month) : "—",
        api_case_html(req, c->reasons),
        api_case_html(req, c->closed_on[0] ? c->closed_on
                                           : c->step_started_on));
    if (!html) {
        api_fail(req, DD_ENOMEM, NULL);
        return;
    }
    http_reply(req, 200, "text/html; charset=utf-8", html, strlen(html));
}

/* GET /api/v1/case-items/{id}/notice(?format=html): the decision notice
 * with the engine's explanation. 409 NO_DECISION before a decision. */
static void
case_item_notice(struct http_request *req)
{
    struct case_item_row c;
    struct catalog_item it;
    struct cases_ctx x;
    struct entitlement_row ent;
    int has_ent = 0;
    char masked[64] = "";
    int64_t size = 0;
    const char *format = http_query(req, "format");
    if (format && strcmp(format, "html") != 0 && strcmp(format, "json") != 0) {
        api_error(req, 400, "INVALID_PARAMETER", "format",
                  "format is json or html", "format 须为 json 或 html");
        return;
    }
    if (begin_item(req, STORE_READ, &x, &c, &it))
        return;
    char *expl = arena_alloc(req->arena, EXPLANATION_CAP);
    enum dd_status rc = expl ? store_case_item_explanation_get(x.tx, c.id, expl,
                                                               EXPLANATION_CAP)
                             : DD_ENOMEM;
    if (rc == DD_OK)
        rc = optional(store_entitlement_by_case_item(x.tx, c.id, &ent),
                      &has_ent);
    if (rc == DD_OK)
        rc = cases_applicant(&x, c.household_id, masked, sizeof(masked),
                             &size);
    if (api_check(req, rc, NULL))
        return;
    if (!c.decision[0]) {
        api_error(req, 409, "NO_DECISION", NULL,
                  "the item has no decision yet", "该事项尚未作出决定");
        return;
    }
    if (format && strcmp(format, "html") == 0) {
        notice_html(req, &c, &it, masked, has_ent ? &ent : NULL);
        return;
    }
    struct jw w;
    jw_init(&w, REPLY_CAP + EXPLANATION_CAP);
    jw_obj(&w, NULL);
    jw_str(&w, "case_no", c.case_no);
    jw_str(&w, "item_code", c.item_code);
    jw_str(&w, "name_zh", it.name_zh);
    jw_str(&w, "name_en", it.name_en);
    jw_str(&w, "applicant", masked);
    jw_int(&w, "household_size", size);
    jw_str(&w, "decision", c.decision);
    jw_int(&w, "amount_fen", c.amount_fen);
    if (has_ent)
        jw_str(&w, "start_month", ent.start_month);
    else
        jw_null(&w, "start_month");
    jw_str_or_null(&w, "reasons", c.reasons);
    jw_raw(&w, "explanation", expl[0] ? expl : "null");
    jw_end(&w);
    api_reply_jw(req, 200, &w);
}

/* GET /api/v1/tasks: the caller's inbox. Items at the caller's own level
 * (the township's for town roles, the county's for county officers, the
 * department's for its officers) in scope, soonest deadline first, with
 * working days left (warning at 1); items past their deadline owned
 * below the caller's level also show (the supervising level). */
static void
tasks_list(struct http_request *req)
{
    const struct principal *p = PRINCIPAL(req);
    struct store_tx *tx;
    struct cases_ctx x;
    struct case_item_row *rows = api_alloc(req, INBOX_MAX * sizeof(*rows));
    if (!rows)
        return;
    const char *dept = p->role == ROLE_DEPT_OFFICER ? p->department : "";
    if (api_begin(req, STORE_READ, &tx))
        return;
    api_case_ctx(req, tx, &x);
    struct jw w;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    jw_str(&w, "today", x.day.s);
    jw_arr(&w, "items");
    enum dd_status rc = DD_OK;
    for (size_t i = 0; rc == DD_OK && i < p->prefix_count; i++) {
        size_t n = 0;
        rc = store_case_item_inbox(tx, p->prefixes[i], dept, x.day.s, rows,
                                   INBOX_MAX, &n);
        for (size_t k = 0; rc == DD_OK && k < n; k++) {
            const struct case_item_row *c = &rows[k];
            int own = strcmp(c->owner_region, p->prefixes[i]) == 0 &&
                      (dept[0] || cases_role_fits(&x, p->role, c));
            int left = cases_days_left(&x, c);
            if (!own && left >= 0)
                continue;
            jw_obj(&w, NULL);
            jw_bool(&w, "warning", left >= 0 && left <= 1);
            jw_bool(&w, "overdue", left < 0);
            jw_bool(&w, "supervising", !own);
            api_case_put_item(&x, &w, "item", c);
            jw_end(&w);
        }
    }
    jw_end(&w);
    jw_end(&w);
    if (rc != DD_OK) {
        jw_free(&w);
        api_fail(req, rc, NULL);
        return;
    }
    api_reply_jw(req, 200, &w);
}

/* The 公示 as a print page: every value escaped. */
static enum dd_status
publicity_html(struct http_request *req, struct buf *b, const char *vname,
               const struct publicity_row *rows, const char *const *names,
               const char *const *amounts, size_t n)
{
    enum dd_status rc = buf_printf(
        b,
        "<!doctype html><html lang=\"zh-CN\"><head>"
        "<meta charset=\"utf-8\"><title>公示</title>"
        "</head><body><h1>%s 社会救助公示</h1><table>"
        "<tr><th>编号</th><th>事项</th><th>姓名</th>"
        "<th>家庭人口</th><th>金额（元）</th>"
        "<th>公示期</th></tr>",
        api_case_html(req, vname));
    for (size_t i = 0; rc == DD_OK && i < n; i++)
        rc = buf_printf(b,
                        "<tr><td>%lld</td><td>%s</td><td>%s</td>"
                        "<td>%lld</td><td>%s</td>"
                        "<td>%s 至 %s</td></tr>",
                        (long long)rows[i].id, api_case_html(req, names[i]),
                        api_case_html(req, rows[i].masked_name),
                        (long long)rows[i].household_size,
                        api_case_html(req, amounts[i]),
                        api_case_html(req, rows[i].start_day),
                        api_case_html(req, rows[i].end_day));
    if (rc == DD_OK)
        rc = buf_puts(b, "</table><p>公示期内如有异议，请向乡镇（街道）"
                         "反映。</p></body></html>");
    return rc;
}

/* A department officer reads only the 公示 rows of households with a
 * referral to the department (as it reads households: dept_sees); every
 * other role the village's whole 公示. Keeps those rows of rows[0..*n). */
static enum dd_status
publicity_dept_filter(struct http_request *req, struct store_tx *tx,
                      struct publicity_row *rows, size_t *n)
{
    const struct principal *p = PRINCIPAL(req);
    size_t kept = 0;
    if (!p || p->role != ROLE_DEPT_OFFICER)
        return DD_OK;
    for (size_t i = 0; i < *n; i++) {
        struct case_item_row c;
        int has = 0;
        enum dd_status rc = store_case_item_get(tx, rows[i].case_item_id, &c);
        if (rc == DD_OK)
            rc = dept_sees(req, tx, c.household_id, &has);
        if (rc != DD_OK)
            return rc;
        if (has)
            rows[kept++] = rows[i];
    }
    *n = kept;
    return DD_OK;
}

/* GET /api/v1/publicity?village=CODE(&format=html): the village's open
 * 公示: masked name, household size, amount, the days; no ID numbers. */
static void
publicity_list(struct http_request *req)
{
    struct arena *ar = req->arena;
    const char *village = http_query(req, "village");
    const char *format = http_query(req, "format");
    struct store_tx *tx;
    struct cases_ctx x;
    if (strlen(village) != 12) {
        api_error(req, 400, "INVALID_PARAMETER", "village",
                  "village is a 12-digit village code",
                  "village 须为 12 位村（社区）代码");
        return;
    }
    if (format && strcmp(format, "html") != 0 && strcmp(format, "json") != 0) {
        api_error(req, 400, "INVALID_PARAMETER", "format",
                  "format is json or html", "format 须为 json 或 html");
        return;
    }
    if (api_authorise(req, AUTHZ_CASE_READ, village, NULL))
        return;
    struct publicity_row *rows = arena_alloc(ar, INBOX_MAX * sizeof(*rows));
    const char **names = arena_alloc(ar, INBOX_MAX * sizeof(*names));
    const char **amounts = arena_alloc(ar, INBOX_MAX * sizeof(*amounts));
    size_t n = 0;
    if (!rows || !names || !amounts) {
        api_fail(req, DD_ENOMEM, NULL);
        return;
    }
    if (api_begin(req, STORE_READ, &tx))
        return;
    api_case_ctx(req, tx, &x);
    enum dd_status rc =
        store_publicity_by_village(tx, village, rows, INBOX_MAX, &n);
    if (rc == DD_OK)
        rc = publicity_dept_filter(req, tx, rows, &n);
    if (api_check(req, rc, NULL))
        return;
    for (size_t i = 0; i < n; i++) {
        struct catalog_item it;
        names[i] = rows[i].item_code;
        if (cases_item_on(&x, rows[i].item_code, NULL, &it) == DD_OK)
            names[i] = arena_strdup(ar, it.name_zh);
        /* a monthly amount, or none yet: 临时救助 支出's is set by the
         * county's approval on the facts, after the 公示 */
        amounts[i] = rows[i].amount_fen > 0
                         ? arena_printf(ar, "%lld.%02lld（月）",
                                        (long long)(rows[i].amount_fen / 100),
                                        (long long)(rows[i].amount_fen % 100))
                         : "待审批确定";
    }
    if (format && strcmp(format, "html") == 0) {
        long ri = api_region_find(API(req), village);
        struct buf b;
        buf_init(&b, REPLY_CAP);
        rc = publicity_html(req, &b,
                            ri >= 0 ? API(req)->regions[ri].name : village,
                            rows, names, amounts, n);
        const char *body =
            rc == DD_OK ? arena_strndup(ar, b.data ? b.data : "", b.len)
                        : NULL;
        buf_free(&b);
        if (!body)
            api_fail(req, rc == DD_OK ? DD_ENOMEM : rc, NULL);
        else
            http_reply(req, 200, "text/html; charset=utf-8", body,
                       strlen(body));
        return;
    }
    struct jw w;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    jw_str(&w, "village", village);
    jw_arr(&w, "items");
    for (size_t i = 0; i < n; i++) {
        jw_obj(&w, NULL);
        jw_int(&w, "id", rows[i].id);
        jw_str(&w, "item_code", rows[i].item_code);
        jw_str(&w, "item_name_zh", names[i]);
        jw_str(&w, "name", rows[i].masked_name);
        jw_int(&w, "household_size", rows[i].household_size);
        jw_int(&w, "amount_fen", rows[i].amount_fen);
        jw_str(&w, "start_day", rows[i].start_day);
        jw_str(&w, "end_day", rows[i].end_day);
        jw_end(&w);
    }
    jw_end(&w);
    jw_end(&w);
    api_reply_jw(req, 200, &w);
}

struct objection_body {
    const char *text;
};
static const struct json_field objection_fields[] = {
    {"text", JSON_T_STRING, 1, 1, 500, offsetof(struct objection_body, text)},
};

/* POST /api/v1/publicity/{id}/objections: records an objection during the
 * 公示; the case goes back to investigation (民发〔2021〕57号 Art. 19). */
static void
objection_create(struct http_request *req)
{
    struct objection_body b = {0};
    unsigned present = 0;
    struct publicity_row pub;
    struct case_item_row c;
    struct store_tx *tx;
    struct cases_ctx x;
    struct dd_error err = {0};
    if (api_decode(req, objection_fields, 1, &b, &present))
        return;
    if (api_begin(req, STORE_WRITE, &tx))
        return;
    api_case_ctx(req, tx, &x);
    enum dd_status rc = store_publicity_get(tx, api_path_id(req, 0), &pub);
    if (rc == DD_OK &&
        api_authorise(req, AUTHZ_CASE_WRITE, pub.village_code, NULL))
        return;
    if (rc == DD_OK && strcmp(pub.state, "open") != 0) {
        api_error(req, 409, "PUBLICITY_CLOSED", NULL,
                  "this publicity has ended", "该公示已结束");
        return;
    }
    if (rc == DD_OK)
        rc = store_case_item_get(tx, pub.case_item_id, &c);
    if (api_check(req, rc, NULL))
        return;
    struct cases_input in = {.action = "object", .reasons = b.text};
    rc = cases_transition(&x, &c, &in, 0, &err);
    if (api_finish(req, tx, rc, &err))
        return;
    struct jw w;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    jw_int(&w, "publicity_id", pub.id);
    api_case_put_item(&x, &w, "item", &c);
    jw_end(&w);
    api_reply_jw(req, 201, &w);
}

static const struct param_spec notice_query[] = {
    {"format", PARAM_NAME, 0, 4, 0, 0},
    {NULL, 0, 0, 0, 0, 0},
};
static const struct param_spec publicity_query[] = {
    {"village", PARAM_REGION, 1, 12, 0, 0},
    {"format", PARAM_NAME, 0, 4, 0, 0},
    {NULL, 0, 0, 0, 0, 0},
};

/* clang-format off: one route per line */
static const struct route routes[] = {
    {"GET", "/api/v1/case-items/{id}", api_id_param, api_no_query, AUTHZ_CASE_READ, 0, case_item_get, "one case item with its timeline"},
    {"POST", "/api/v1/case-items/{id}/actions", api_id_param, api_no_query, AUTHZ_CASE_READ, ROUTE_BODY, case_item_action, "act on a case item's step (version-checked, audited)"},
    {"POST", "/api/v1/case-items/{id}/assessment", api_id_param, api_no_query, AUTHZ_CASE_READ, ROUTE_BODY, case_item_assess, "a dry run of the item's engine with the decider's facts (audited)"},
    {"GET", "/api/v1/case-items/{id}/notice", api_id_param, notice_query, AUTHZ_CASE_READ, 0, case_item_notice, "the decision notice with the engine's explanation"},
    {"GET", "/api/v1/tasks", NULL, api_no_query, AUTHZ_CASE_READ, 0, tasks_list, "the caller's inbox, soonest deadline first"},
    {"GET", "/api/v1/publicity", NULL, publicity_query, AUTHZ_CASE_READ, 0, publicity_list, "a village's open 公示 (JSON or a print page)"},
    {"POST", "/api/v1/publicity/{id}/objections", api_id_param, api_no_query, AUTHZ_CASE_WRITE, ROUTE_BODY, objection_create, "record an objection; the case goes back to investigation"},
};
/* clang-format on */

const struct route_table api_case_routes = {
    "cases", routes, sizeof(routes) / sizeof(routes[0])};

int64_t
api_query_int(struct http_request *req, const char *name, int64_t dflt)
{
    const char *s = http_query(req, name);
    return s ? strtoll(s, NULL, 10) : dflt;
}

const char *
api_case_list_region(struct http_request *req)
{
    const struct principal *p = PRINCIPAL(req);
    const char *region = http_query(req, "region");
    if (!region && p->prefix_count != 1) {
        api_error(req, 400, "REGION_REQUIRED", "region",
                  "your scope has several regions: name one in region",
                  "您的管辖范围包含多个区域，请用 region 指定其一");
        return NULL;
    }
    if (!region)
        region = p->prefixes[0];
    return api_authorise(req, AUTHZ_CASE_READ, region, "") ? NULL : region;
}

void
api_case_page_reply(struct http_request *req, const char *key,
                    const void *rows, size_t size, size_t id_offset, size_t n,
                    size_t limit, api_put_row_fn put)
{
    size_t got = n > limit ? limit : n;
    int64_t last = 0;
    struct jw w;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    jw_arr(&w, key);
    for (size_t i = 0; i < got; i++)
        put(&w, NULL, (const char *)rows + i * size);
    jw_end(&w);
    if (got)
        memcpy(&last, (const char *)rows + (got - 1) * size + id_offset,
               sizeof(last));
    if (n > limit)
        jw_int(&w, "next_after", last);
    else
        jw_null(&w, "next_after");
    jw_end(&w);
    api_reply_jw(req, 200, &w);
}
