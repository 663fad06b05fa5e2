/* SPDX-License-Identifier: MIT */
/* The service catalog (事项目录): every item in force on a date, one item
 * with its version history and step template, and new versions by the
 * city supervisor (audited; a version is never changed). The versions
 * are held in memory (loaded at start) under a rwlock, like the policy
 * table: a new version is added in the same critical section as its
 * transaction. */
#include "api/api_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assess/assess_case.h"
#include "core/log.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "domain/catalog.h"
#include "domain/workflow.h"
#include "json/json_cases.h"
#include "json/jw.h"
#include "refdata/refdata_catalog.h"
#include "refdata/refdata_steps.h"

#define REPLY_CAP (1u << 20)

/* An open case at a step its catalog version's template no longer has
 * (a step renamed or removed in data/catalog/steps.csv) could never move
 * again: each such step is logged, and start-up stops. */
struct stranded {
    const struct api *a;
    int64_t cases;
};

static int
stranded_step(const struct case_step_count *c, void *ctx)
{
    struct stranded *sd = ctx;
    const struct api *a = sd->a;
    const struct catalog_item *it =
        catalog_find_version(a->catalog, c->item_code, c->catalog_version);
    const struct wf_template *t =
        it ? wf_template_find(a->steps, it->template_code) : NULL;
    if (t && wf_step_find(t, c->step))
        return 0;
    log_error("%lld open cases of %s (catalog version %lld) stand at step "
              "%s, which template %s does not have",
              (long long)c->count, c->item_code, (long long)c->catalog_version,
              c->step, it ? it->template_code : "(none)");
    sd->cases += c->count;
    return 0;
}

enum dd_status
api_catalog_load(struct api *a, struct store_tx *tx)
{
    long bad_line = 0;
    char why[256];
    a->catalog = calloc(1, sizeof(*a->catalog));
    a->steps = calloc(1, sizeof(*a->steps));
    if (!a->catalog || !a->steps)
        return DD_ENOMEM;
    enum dd_status rc = refdata_steps_read(a->cfg->data_dir, a->steps,
                                           &bad_line, why, sizeof(why));
    if (rc != DD_OK) {
        log_error("%s/%s: bad step templates at line %ld: %s%s",
                  a->cfg->data_dir, REFDATA_STEPS_FILE, bad_line, why,
                  rc == DD_EINVAL ? "" : dd_status_name(rc));
        return rc;
    }
    rc = refdata_catalog_read(tx, a->catalog);
    /* every stored version's template is in the file */
    for (size_t i = 0; rc == DD_OK && i < a->catalog->count; i++)
        if (!wf_template_find(a->steps, a->catalog->items[i].template_code)) {
            log_error("catalog item %s version %lld names the step template "
                      "%s, which %s/%s does not hold",
                      a->catalog->items[i].code,
                      (long long)a->catalog->items[i].version,
                      a->catalog->items[i].template_code, a->cfg->data_dir,
                      REFDATA_STEPS_FILE);
            rc = DD_EINVAL;
        }
    struct stranded sd = {a, 0};
    if (rc == DD_OK)
        rc = store_case_item_steps_each(tx, stranded_step, &sd);
    if (rc == DD_OK && sd.cases) {
        log_error("%lld open cases stand at steps %s/%s no longer has: "
                  "restore those steps (or move the cases) before starting",
                  (long long)sd.cases, a->cfg->data_dir,
                  REFDATA_STEPS_FILE);
        rc = DD_EINVAL;
    }
    if (rc == DD_OK && pthread_rwlock_init(&a->catalog_lock, NULL) != 0)
        rc = DD_ENOMEM;
    if (rc == DD_OK)
        a->catalog_lock_ready = 1;
    return rc;
}

void
api_catalog_free(struct api *a)
{
    if (a->catalog_lock_ready)
        pthread_rwlock_destroy(&a->catalog_lock);
    if (a->catalog)
        catalog_clear(a->catalog);
    free(a->catalog);
    a->catalog = NULL;
    free(a->steps);
    a->steps = NULL;
}

#define ITEM(key, member, kind) JW_FIELD(struct catalog_item, key, member, kind)
/* An item's fields before its compression, and after it. */
static const struct jw_field item_head[] = {
    ITEM("code", code, STR),
    ITEM("version", version, INT),
    ITEM("effective_from", effective_from, STR),
    ITEM("name_zh", name_zh, STR),
    ITEM("name_en", name_en, STR),
    ITEM("department", department, STR),
    ITEM("decide_level", decide_level, STR),
    ITEM("template", template_code, STR),
    ITEM("statutory_days", statutory_days, INT),
    ITEM("statutory_unit", statutory_unit, STR),
    ITEM("promised_days", promised_days, INT),
};
static const struct jw_field item_tail[] = {
    ITEM("visits_required", visits_required, INT),
    ITEM("fully_online", fully_online, BOOL),
    ITEM("cross_region_mode", cross_region_mode, STR),
    ITEM("program", program, STR),
    ITEM("start_rule", start_rule, STR),
    ITEM("source", source, STR),
    ITEM("created_by", created_by, STR),
};
#undef ITEM

void
api_put_materials(struct jw *w, const struct catalog_item *it)
{
    char mat[sizeof(it->materials)];
    const char *codes[CATALOG_MAX_MATERIALS];
    size_t n = catalog_materials_split(it, mat, sizeof(mat), codes,
                                       CATALOG_MAX_MATERIALS);
    jw_arr(w, "materials");
    for (size_t i = 0; i < n; i++) {
        jw_obj(w, NULL);
        jw_str(w, "code", codes[i]);
        jw_str(w, "name_zh", catalog_material_name(codes[i], 1));
        jw_str(w, "name_en", catalog_material_name(codes[i], 0));
        jw_end(w);
    }
    jw_end(w);
}

static void
put_item(struct jw *w, const char *key, const struct wf_book *book,
         const struct catalog_item *it, int with_template)
{
    /* 时限压缩 (domain.md §9): (法定 − 承诺) ÷ 法定, in basis points */
    int64_t compression_bp =
        (it->statutory_days - it->promised_days) * 10000 / it->statutory_days;
    jw_obj(w, key);
    JW_FIELDS(w, it, item_head);
    jw_int(w, "compression_bp", compression_bp);
    JW_FIELDS(w, it, item_tail);
    api_put_materials(w, it);
    /* the engine that decides an approving action on the decider's facts
     * (its "outcome" is "approve" below), what it needs and gives */
    enum case_engine eng = assess_case_engine(it->program, it->code);
    if (assess_case_decides(eng)) {
        jw_obj(w, "approval_engine");
        jw_str(w, "name", assess_case_engine_name(eng));
        jw_bool(w, "needs_facts", assess_case_needs_facts(eng));
        jw_bool(w, "amount", assess_case_has_amount(eng));
        jw_bool(w, "one_off", assess_case_one_off(eng));
        jw_end(w);
    } else {
        jw_null(w, "approval_engine");
    }
    const struct wf_template *t = wf_template_find(book, it->template_code);
    if (with_template && t) {
        jw_arr(w, "steps");
        for (size_t i = 0; i < t->step_count; i++) {
            const struct wf_step *s = &t->steps[i];
            jw_obj(w, NULL);
            jw_str(w, "code", s->code);
            jw_str(w, "name_zh", s->name_zh);
            jw_str(w, "name_en", s->name_en);
            jw_str(w, "level", wf_level_name(s->level));
            jw_int(w, "limit_days", catalog_step_limit(it, s));
            jw_int(w, "template_limit_days", s->limit_days);
            jw_str(w, "limit_unit", s->limit_calendar ? "calendar" : "working");
            jw_bool(w, "visit", s->flags & WF_VISIT);
            jw_bool(w, "pauses_clock", s->flags & WF_PAUSE);
            jw_bool(w, "spot_check", s->flags & WF_SPOT_CHECK);
            jw_str(w, "source", s->source);
            jw_arr(w, "actors");
            for (int r = ROLE_NONE + 1; r < ROLE__COUNT; r++)
                if (wf_step_actor(s, (enum role)r))
                    jw_str(w, NULL, role_name((enum role)r));
            jw_end(w);
            /* each action with what it needs (the step form's fields) */
            jw_arr(w, "actions");
            for (int k = 0; k < WF_MAX_NEXT && s->next[k].action[0]; k++) {
                enum wf_outcome o = s->next[k].outcome;
                jw_obj(w, NULL);
                jw_str(w, "action", s->next[k].action);
                jw_str(w, "to", s->next[k].to);
                jw_str(w, "outcome", o == WF_OUT_APPROVE  ? "approve"
                                     : o == WF_OUT_REJECT ? "reject"
                                                          : NULL);
                jw_arr(w, "needs");
                const char *need;
                for (size_t j = 0; (need = wf_need_name(&s->next[k], j)); j++)
                    if (*need)
                        jw_str(w, NULL, need);
                jw_end(w);
                jw_end(w);
            }
            jw_end(w);
            jw_end(w);
        }
        jw_end(w);
    }
    jw_end(w);
}

/* GET /api/v1/catalog?as_of=: every item's version in force on as_of
 * (default today), in code order. */
static void
catalog_list(struct http_request *req)
{
    struct api *a = API(req);
    char today[11];
    struct civil_day td;
    const char *as_of = http_query(req, "as_of");
    if (!as_of) {
        civil_today(&td);
        str_copy(today, sizeof(today), td.s);
        as_of = today;
    }
    struct jw w;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    jw_strn(&w, "as_of", as_of, strnlen(as_of, 10));
    jw_arr(&w, "items");
    pthread_rwlock_rdlock(&a->catalog_lock);
    /* items are stored in (code, version) order: one per code */
    for (size_t i = 0; w.rc == DD_OK && i < a->catalog->count; i++) {
        const struct catalog_item *it = &a->catalog->items[i];
        const struct catalog_item *cur =
            catalog_find(a->catalog, it->code, as_of);
        if (cur == it)
            put_item(&w, NULL, API(req)->steps, it, 0);
    }
    pthread_rwlock_unlock(&a->catalog_lock);
    jw_end(&w);
    jw_end(&w);
    api_reply_jw(req, 200, &w);
}

/* GET /api/v1/catalog/{code}: the newest version with its step template,
 * and every version. */
static void
catalog_get(struct http_request *req)
{
    struct api *a = API(req);
    const char *code = router_path_param(req, 0);
    struct jw w;
    jw_init(&w, REPLY_CAP);
    pthread_rwlock_rdlock(&a->catalog_lock);
    const struct catalog_item *cur = catalog_find(a->catalog, code, NULL);
    if (cur) {
        jw_obj(&w, NULL);
        put_item(&w, "current", API(req)->steps, cur, 1);
        jw_arr(&w, "versions");
        for (size_t i = 0; w.rc == DD_OK && i < a->catalog->count; i++) {
            const struct catalog_item *it = &a->catalog->items[i];
            if (strcmp(it->code, code) == 0)
                put_item(&w, NULL, API(req)->steps, it, 0);
        }
        jw_end(&w);
        jw_end(&w);
    }
    pthread_rwlock_unlock(&a->catalog_lock);
    if (!cur) {
        jw_free(&w);
        api_error(req, 404, "NOT_FOUND", "code", "no such catalog item",
                  "无此事项");
        return;
    }
    api_reply_jw(req, 200, &w);
}

/* The body of a new version: what it changes from the newest one. */
struct version_body {
    const char *effective_from, *name_zh, *name_en, *department,
        *decide_level, *template_code, *statutory_unit, *cross_region_mode,
        *program, *start_rule, *materials, *source;
    int64_t statutory_days, promised_days, visits_required;
    int fully_online;
};

#define VB(f) offsetof(struct version_body, f)
static const struct json_field version_fields[] = {
    {"effective_from", JSON_T_STRING, 1, 10, 10, VB(effective_from)},
    {"source", JSON_T_STRING, 1, 1, 500, VB(source)},
    {"name_zh", JSON_T_STRING, 0, 1, 120, VB(name_zh)},
    {"name_en", JSON_T_STRING, 0, 1, 120, VB(name_en)},
    {"department", JSON_T_STRING, 0, 1, 23, VB(department)},
    {"decide_level", JSON_T_STRING, 0, 1, 11, VB(decide_level)},
    {"template", JSON_T_STRING, 0, 1, 23, VB(template_code)},
    {"statutory_unit", JSON_T_STRING, 0, 1, 11, VB(statutory_unit)},
    {"cross_region_mode", JSON_T_STRING, 0, 1, 11, VB(cross_region_mode)},
    {"program", JSON_T_STRING, 0, 1, 23, VB(program)},
    {"start_rule", JSON_T_STRING, 0, 1, 19, VB(start_rule)},
    {"materials", JSON_T_STRING, 0, 0, 255, VB(materials)},
    {"statutory_days", JSON_T_INT, 0, 1, 365, VB(statutory_days)},
    {"promised_days", JSON_T_INT, 0, 1, 365, VB(promised_days)},
    {"visits_required", JSON_T_INT, 0, 0, 9, VB(visits_required)},
    {"fully_online", JSON_T_BOOL, 0, 0, 1, VB(fully_online)},
};
#define NVF (sizeof(version_fields) / sizeof(version_fields[0]))

/* The body of a new version: the fields of version_fields and
 * "step_limits", an object of step codes to days (at most 8, 1..365)
 * kept as "step=days;..." in *limits (NULL when absent). 0, or -1 after
 * replying. */
static int
decode_version(struct http_request *req, struct version_body *b,
               unsigned *present, const char **limits)
{
    struct dd_error err = {0};
    const char *obj = NULL, *rest = NULL;
    const char *ct = http_header(req, "Content-Type");
    *limits = NULL;
    if (!ct || strncmp(ct, "application/json", 16) != 0)
        return api_decode(req, version_fields, NVF, b, present); /* 415 */
    enum dd_status rc = json_cases_take_object(
        req->arena, req->body.data ? req->body.data : "", req->body.len,
        "step_limits", &obj, &rest, &err);
    if (rc == DD_OK)
        rc = json_decode_object(req->arena, rest, strlen(rest),
                                version_fields, NVF, b, present, &err);
    if (rc == DD_OK && obj)
        rc = json_cases_int_map(req->arena, obj, "step_limits", 1, 365, 8,
                                limits, &err);
    return api_check(req, rc, &err);
}

static void
set_text(char *dst, size_t cap, const char *v)
{
    if (v)
        str_copy(dst, cap, v);
}

/* POST /api/v1/catalog/{code}/versions (city_supervisor): a new version
 * from the newest one with the body's changes; checked, stored and
 * audited in one transaction, then added in memory. */
static void
catalog_version_create(struct http_request *req)
{
    struct api *a = API(req);
    struct version_body b = {0};
    unsigned present = 0;
    struct catalog_item it;
    struct dd_error err = {0};
    struct store_tx *tx = NULL;
    const char *code = router_path_param(req, 0);
    const char *limits = NULL;

    if (decode_version(req, &b, &present, &limits))
        return;
    pthread_rwlock_wrlock(&a->catalog_lock);
    const struct catalog_item *cur = catalog_find(a->catalog, code, NULL);
    if (!cur) {
        api_error(req, 404, "NOT_FOUND", "code", "no such catalog item",
                  "无此事项");
        goto unlock;
    }
    it = *cur;
    for (size_t i = 0; i < a->catalog->count; i++)
        if (strcmp(a->catalog->items[i].code, code) == 0 &&
            a->catalog->items[i].version >= it.version)
            it.version = a->catalog->items[i].version;
    it.version++;
    set_text(it.effective_from, sizeof(it.effective_from), b.effective_from);
    set_text(it.source, sizeof(it.source), b.source);
    set_text(it.name_zh, sizeof(it.name_zh), b.name_zh);
    set_text(it.name_en, sizeof(it.name_en), b.name_en);
    set_text(it.department, sizeof(it.department), b.department);
    set_text(it.decide_level, sizeof(it.decide_level), b.decide_level);
    set_text(it.template_code, sizeof(it.template_code), b.template_code);
    set_text(it.statutory_unit, sizeof(it.statutory_unit), b.statutory_unit);
    set_text(it.cross_region_mode, sizeof(it.cross_region_mode),
             b.cross_region_mode);
    set_text(it.program, sizeof(it.program), b.program);
    set_text(it.start_rule, sizeof(it.start_rule), b.start_rule);
    set_text(it.materials, sizeof(it.materials), b.materials);
    /* the body's step limits replace the inherited ones */
    set_text(it.step_limits, sizeof(it.step_limits), limits);
    for (size_t i = 0; i < NVF; i++) {
        if (!(present & (1u << i)))
            continue;
        if (version_fields[i].offset == VB(statutory_days))
            it.statutory_days = b.statutory_days;
        else if (version_fields[i].offset == VB(promised_days))
            it.promised_days = b.promised_days;
        else if (version_fields[i].offset == VB(visits_required))
            it.visits_required = b.visits_required;
        else if (version_fields[i].offset == VB(fully_online))
            it.fully_online = b.fully_online;
    }
    str_copy(it.created_by, sizeof(it.created_by), req->actor);
    it.created_at = time_now();
    enum dd_status rc = catalog_item_check(&it, a->steps, &err);
    if (rc != DD_OK) {
        api_fail(req, rc, &err);
        goto unlock;
    }
    if (api_begin(req, STORE_WRITE, &tx))
        goto unlock;
    rc = store_catalog_insert(tx, &it);
    if (rc == DD_OK)
        rc = api_audit(
            req, tx, "catalog.version",
            arena_printf(req->arena, "catalog:%s/%lld", it.code,
                         (long long)it.version),
            NULL,
            json_object_of_strings(
                req->arena,
                (const char *[]){"effective_from", it.effective_from,
                                 "source", it.source},
                2));
    if (rc != DD_OK) {
        api_fail(req, rc, NULL);
        goto unlock;
    }
    rc = catalog_add(a->catalog, &it); /* reserve before commit */
    if (rc != DD_OK) {
        api_fail(req, rc, NULL);
        goto unlock;
    }
    if (api_commit(req, tx)) {
        a->catalog->count--; /* not stored: take it back */
        goto unlock;
    }
    pthread_rwlock_unlock(&a->catalog_lock);
    struct jw w;
    jw_init(&w, REPLY_CAP);
    put_item(&w, NULL, API(req)->steps, &it, 1);
    api_reply_jw(req, 201, &w);
    return;
unlock:
    pthread_rwlock_unlock(&a->catalog_lock);
}

static const struct param_spec code_param[] = {
    {"code", PARAM_NAME, 1, 31, 0, 0},
};
static const struct param_spec list_query[] = {
    {"as_of", PARAM_DATE, 0, 10, 0, 0},
    {NULL, 0, 0, 0, 0, 0},
};

/* clang-format off: one route per line */
static const struct route routes[] = {
    {"GET", "/api/v1/catalog", NULL, list_query, AUTHZ_PUBLIC, ROUTE_PUBLIC, catalog_list, "every service item in force on a date (public guide)"},
    {"GET", "/api/v1/catalog/{code}", code_param, api_no_query, AUTHZ_PUBLIC, ROUTE_PUBLIC, catalog_get, "one service item with its steps and every version"},
    {"POST", "/api/v1/catalog/{code}/versions", code_param, api_no_query, AUTHZ_POLICY_WRITE, ROUTE_BODY, catalog_version_create, "add a version of a service item (city_supervisor, audited)"},
};
/* clang-format on */

const struct route_table api_catalog_routes = {
    "catalog", routes, sizeof(routes) / sizeof(routes[0])};
