/* SPDX-License-Identifier: MIT */
/* One-door intake (一门受理、一表登记): one application per household with
 * one or more catalog items, taken at any window (异地受理 included), by a
 * village assistant, or online. The pre-assessment proposes other items
 * (主动发现); ONE missing-materials notice lists everything missing
 * (一次性告知), and items with missing papers wait in 补正 with their clock
 * paused. The case number is county + year + a per-county-per-year
 * sequence allocated in the same transaction; the query code is random,
 * stored hashed, shown once. Also: the materials that complete 补正, the
 * printable receipt (受理回执) and the anonymous progress query. */
#include "api/api_cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/assess.h"
#include "core/buf.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "crypto/pii.h"
#include "crypto/token.h"
#include "domain/idcard.h"
#include "json/json_assess.h"
#include "json/json_cases.h"
#include "registry/registry.h"

#define MAX_ITEMS 8
#define MAX_MATERIALS 32
#define QUERY_CODE_LEN 10
/* no 0/O, 1/I/L: read aloud and typed from a receipt */
static const char query_alphabet[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

struct app_body {
    int64_t household_id;
    const char *channel, *applied_on;
    const char **items;
    size_t item_count;
    const char **materials;
    size_t material_count;
};

#define APB(f) offsetof(struct app_body, f)
static const struct json_field app_fields[] = {
    {"household_id", JSON_T_INT, 0, 1, INT64_MAX, APB(household_id)},
    {"channel", JSON_T_STRING, 1, 1, 12, APB(channel)},
    {"applied_on", JSON_T_STRING, 0, 10, 10, APB(applied_on)},
};
static const struct json_list_field app_lists[] = {
    {"items", 1, MAX_ITEMS, 31, APB(items), APB(item_count)},
    {"materials", 0, MAX_MATERIALS, 40, APB(materials), APB(material_count)},
};

static int
provided(const struct app_body *b, const char *code)
{
    for (size_t i = 0; i < b->material_count; i++)
        if (strcmp(b->materials[i], code) == 0)
            return 1;
    return 0;
}

/* The checked intake: the items' catalog versions in force on the
 * application day and what each is missing. */
struct intake {
    struct app_body b;
    const char *household_json; /* a household to register, or NULL */
    struct civil_day applied; /* the application day */
    struct catalog_item items[MAX_ITEMS];
    char missing[MAX_ITEMS][256];
    struct registry_household rh;
};

/* Checks a decoded body; 0, or -1 after replying. */
static int
intake_validate(struct http_request *req, struct intake *in, int online)
{
    struct civil_day today;
    civil_today(&today);
    const char *ch = in->b.channel;
    if (strcmp(ch, "window") != 0 && strcmp(ch, "assistant") != 0 &&
        strcmp(ch, "online") != 0) {
        api_error(req, 400, "INVALID_VALUE", "channel",
                  "channel is window, assistant or online",
                  "channel 须为 window、assistant 或 online");
        return -1;
    }
    if ((strcmp(ch, "online") == 0) != online) {
        api_error(req, 400, "INVALID_VALUE", "channel",
                  "online applications come from the citizen's own session",
                  "网上申请须由申请人本人登录提交");
        return -1;
    }
    in->applied = today;
    if (in->b.applied_on) {
        /* a paper application registered later keeps its own day */
        int32_t d;
        if (workcal_parse_date(in->b.applied_on, &d) != 0 ||
            d > today.day || d < workcal_day_from_ymd(2018, 1, 1)) {
            api_error(req, 400, "INVALID_VALUE", "applied_on",
                      "applied_on is a date from 2018-01-01 to today",
                      "applied_on 须为 2018-01-01 至今天之间的日期");
            return -1;
        }
        in->applied.day = d;
        workcal_ymd_from_day(d, &in->applied.y, &in->applied.m,
                             &in->applied.d);
        workcal_format_date(d, in->applied.s);
    }
    for (size_t i = 0; i < in->b.item_count; i++) {
        const char *field = arena_printf(req->arena, "items[%zu]", i);
        for (size_t k = 0; k < i; k++)
            if (strcmp(in->b.items[k], in->b.items[i]) == 0) {
                api_error(req, 400, "DUPLICATE_ITEM", field,
                          "an item is named twice", "事项重复");
                return -1;
            }
        if (api_catalog_copy(API(req), in->b.items[i], in->applied.s,
                             &in->items[i])) {
            api_error(req, 400, "UNKNOWN_ITEM", field,
                      "no such catalog item in force on the application day",
                      "申请日无此事项");
            return -1;
        }
        /* 一次性告知: everything the item needs that was not brought */
        char buf[256];
        const char *codes[CATALOG_MAX_MATERIALS];
        size_t n = catalog_materials_split(&in->items[i], buf, sizeof(buf),
                                           codes, CATALOG_MAX_MATERIALS);
        size_t used = 0;
        in->missing[i][0] = '\0';
        for (size_t k = 0; k < n; k++)
            if (!provided(&in->b, codes[k]))
                used += (size_t)snprintf(
                    in->missing[i] + used, sizeof(in->missing[i]) - used,
                    "%s%s", used ? ";" : "", codes[k]);
    }
    for (size_t k = 0; k < in->b.material_count; k++)
        if (!catalog_material_name(in->b.materials[k], 1)) {
            api_error(req, 400, "UNKNOWN_MATERIAL",
                      arena_printf(req->arena, "materials[%zu]", k),
                      "no such material code", "无此材料代码");
            return -1;
        }
    return 0;
}

/* Decodes and checks the body; 0, or -1 after replying. */
static int
intake_check(struct http_request *req, struct intake *in, int online)
{
    struct dd_error err = {0};
    unsigned present = 0;
    const char *body = req->body.data ? req->body.data : "";
    size_t len = req->body.len;
    /* a household registered with the application (POST only) */
    in->household_json = NULL;
    if (!online) {
        enum dd_status trc = json_cases_take_object(
            req->arena, body, len, "household", &in->household_json, &body,
            &err);
        if (trc != DD_OK) {
            api_fail(req, trc, &err);
            return -1;
        }
        len = strlen(body);
    }
    enum dd_status rc = json_cases_decode(
        req->arena, body, len, app_fields,
        sizeof(app_fields) / sizeof(app_fields[0]), app_lists, 2, &in->b,
        &present, &err);
    if (rc == DD_OK && !in->b.household_id == !in->household_json) {
        api_error(req, 400, "HOUSEHOLD_REQUIRED", "household_id",
                  "name one household: household_id, or a household to "
                  "register",
                  "请指定一个家庭：household_id 或随申请登记的 household");
        return -1;
    }
    if (rc != DD_OK) {
        api_fail(req, rc, &err);
        return -1;
    }
    return intake_validate(req, in, online);
}

/* {"items":[{"item_code","name_zh","materials":[{code,name_zh,name_en}]}]}
 * for the items missing anything: the one notice. */
static enum dd_status
put_notice(struct http_request *req, struct buf *b, const struct intake *in)
{
    enum dd_status rc = buf_puts(b, "\"missing_notice\":[");
    int first = 1;
    for (size_t i = 0; rc == DD_OK && i < in->b.item_count; i++) {
        if (!in->missing[i][0])
            continue;
        rc = buf_printf(b, "%s{\"item_code\":\"%s\",\"name_zh\":%s,"
                           "\"materials\":[",
                        first ? "" : ",", in->items[i].code,
                        json_quote(req->arena, in->items[i].name_zh));
        first = 0;
        char buf[256];
        struct catalog_item tmp;
        str_copy(tmp.materials, sizeof(tmp.materials), in->missing[i]);
        const char *codes[CATALOG_MAX_MATERIALS];
        size_t n = catalog_materials_split(&tmp, buf, sizeof(buf), codes,
                                           CATALOG_MAX_MATERIALS);
        for (size_t k = 0; rc == DD_OK && k < n; k++)
            rc = buf_printf(
                b, "%s{\"code\":\"%s\",\"name_zh\":%s,\"name_en\":%s}",
                k ? "," : "", codes[k],
                json_quote(req->arena, catalog_material_name(codes[k], 1)),
                json_quote(req->arena, catalog_material_name(codes[k], 0)));
        if (rc == DD_OK)
            rc = buf_puts(b, "]}");
    }
    if (rc == DD_OK)
        rc = buf_puts(b, "]");
    return rc;
}

static const char *
intake_region_of(struct http_request *req)
{
    const struct principal *p = PRINCIPAL(req);
    return p && p->prefix_count ? p->prefixes[0] : "";
}

/* Loads the household named in the body (active); 0, or -1 after
 * replying. */
static int
household_of(struct http_request *req, struct store_tx *tx, struct intake *in)
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
    if (rc != DD_OK) {
        api_fail(req, rc, NULL);
        return -1;
    }
    if (strcmp(in->rh.h.status, "active") != 0) {
        api_error(req, 409, "HOUSEHOLD_INACTIVE", "household_id",
                  "the household is no longer active", "该家庭已注销");
        return -1;
    }
    return 0;
}

/* The work of a pre-assessment, in the request's arena. */
struct preview_work {
    struct household h;
    struct assess_params p;
    struct assess_result r;
    struct explain ex[ASSESS__COUNT];
};

/* POST /api/v1/applications/preview: the missing-materials notice and
 * the engine's proposals (主动发现): programs the household may qualify
 * for that it did not ask for. Nothing is stored; reading the household
 * is audited (application.preview). */
static void
application_preview(struct http_request *req)
{
    struct api *a = API(req);
    struct dd_error err = {0};
    struct store_tx *tx;
    struct intake *in = arena_alloc(req->arena, sizeof(*in));
    struct preview_work *w = arena_alloc(req->arena, sizeof(*w));
    if (!in || !w) {
        api_fail(req, DD_ENOMEM, NULL);
        return;
    }
    memset(in, 0, sizeof(*in));
    if (intake_check(req, in, 0))
        return;
    if (in->household_json) {
        /* a preview stores nothing: not even the household */
        api_error(req, 400, "HOUSEHOLD_REQUIRED", "household_id",
                  "a preview reads a registered household: household_id",
                  "预评估只读取已登记的家庭：请提供 household_id");
        return;
    }
    if (api_begin(req, STORE_WRITE, &tx))
        return;
    if (household_of(req, tx, in)) {
        return;
    }
    enum dd_status rc = registry_to_household(&in->rh, &w->h);
    if (rc == DD_OK) {
        pthread_rwlock_rdlock(&a->policy_lock);
        rc = assess_params_resolve(a->policy, in->rh.h.region_code,
                                   in->applied.y, in->applied.m,
                                   in->applied.d, &w->p, &err);
        pthread_rwlock_unlock(&a->policy_lock);
    }
    struct explain *ex[ASSESS__COUNT];
    for (int i = 0; i < ASSESS__COUNT; i++)
        ex[i] = &w->ex[i];
    if (rc == DD_OK)
        rc = assess_household(&w->h, &w->p, in->applied.y, in->applied.m,
                              in->applied.d, &w->r, ex);
    int assessed = rc == DD_OK;
    rc = api_audit(req, tx, "application.preview",
                   arena_printf(req->arena, "household:%lld",
                                (long long)in->rh.h.id),
                   in->rh.h.region_code, NULL);
    if (rc != DD_OK || api_commit(req, tx)) {
        if (rc != DD_OK) {
            api_fail(req, rc, NULL);
        }
        return;
    }
    struct buf b;
    buf_init(&b, 1u << 20);
    rc = buf_printf(&b, "{\"household_id\":%lld,\"applied_on\":\"%s\",",
                    (long long)in->rh.h.id, in->applied.s);
    if (rc == DD_OK)
        rc = put_notice(req, &b, in);
    if (rc == DD_OK)
        rc = buf_puts(&b, ",\"proposals\":[");
    static const struct {
        enum assess_program prog;
        const char *code;
    } progs[] = {{ASSESS_DIBAO, "dibao"}, {ASSESS_TEKUN, "tekun"}};
    int first = 1;
    for (size_t i = 0; assessed && rc == DD_OK && i < 2; i++) {
        int asked = 0;
        for (size_t k = 0; k < in->b.item_count; k++)
            asked |= strcmp(in->b.items[k], progs[i].code) == 0;
        enum assess_decision d = w->r.decision[progs[i].prog];
        if (asked || d == ASSESS_NOT_ELIGIBLE)
            continue;
        rc = buf_printf(&b,
                        "%s{\"item_code\":\"%s\",\"decision\":\"%s\","
                        "\"amount_fen\":%lld}",
                        first ? "" : ",", progs[i].code,
                        assess_decision_name(d),
                        (long long)w->r.amount_fen[progs[i].prog]);
        first = 0;
    }
    if (rc == DD_OK)
        rc = buf_printf(&b, "],\"assessed\":%s}", assessed ? "true" : "false");
    api_reply_buf(req, 200, &b, rc);
}

/* A query code of QUERY_CODE_LEN characters from the alphabet: each is
 * one base64url character of a fresh token (64 symbols) mod 31 would be
 * biased, so characters of 62+ are skipped. */
static void
query_code_new(char out[QUERY_CODE_LEN + 1])
{
    static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    size_t n = 0;
    while (n < QUERY_CODE_LEN) {
        char tok[TOKEN_LEN + 1];
        if (token_new(tok) != DD_OK)
            continue;
        for (size_t i = 0; i < TOKEN_LEN && n < QUERY_CODE_LEN; i++) {
            const char *p = strchr(b64, tok[i]);
            size_t v = p ? (size_t)(p - b64) : 63;
            if (v < 62)
                out[n++] = query_alphabet[v % 31];
        }
    }
    out[n] = '\0';
}

/* Files the application in tx for the caller (staff or citizen); fills
 * case_no, the query code and the items' rows. 0, or -1 after replying. */
static int
intake_store(struct http_request *req, struct store_tx *tx, struct intake *in,
             struct application_row *app, struct case_item_row *rows,
             char query_code[QUERY_CODE_LEN + 1])
{
    struct api *a = API(req);
    struct civil_day today;
    int64_t seq = 0;
    civil_today(&today);
    const char *county = in->rh.h.county_code;
    /* the owning county is the hukou county (户籍地) */
    char hukou_county[7];
    snprintf(hukou_county, sizeof(hukou_county), "%.6s",
             in->rh.h.hukou_region);
    county = hukou_county;
    enum dd_status rc = store_case_seq_next(tx, county, in->applied.y, &seq);
    memset(app, 0, sizeof(*app));
    snprintf(app->case_no, sizeof(app->case_no), "%s%04d%06lld", county,
             in->applied.y % 10000, (long long)(seq % 1000000));
    str_copy(app->county_code, sizeof(app->county_code), county);
    app->household_id = in->rh.h.id;
    str_copy(app->channel, sizeof(app->channel), in->b.channel);
    /* online: the hukou township is where it is taken */
    if (strcmp(in->b.channel, "online") == 0)
        snprintf(app->intake_region, sizeof(app->intake_region), "%.9s",
                 in->rh.h.hukou_region);
    else
        str_copy(app->intake_region, sizeof(app->intake_region),
                 intake_region_of(req));
    str_copy(app->intake_user, sizeof(app->intake_user), req->actor);
    /* a citizen's own applications are found by the phone's blind index */
    struct api_citizen who;
    if (api_citizen_of(req, &who) == 0)
        str_copy(app->citizen_hash, sizeof(app->citizen_hash),
                 who.phone_hash);
    query_code_new(query_code);
    token_hash(query_code, app->query_code_hash);
    str_copy(app->applied_on, sizeof(app->applied_on), in->applied.s);
    size_t used = 0;
    for (size_t i = 0; i < in->b.item_count; i++)
        if (in->missing[i][0] && used < sizeof(app->missing))
            used += (size_t)snprintf(app->missing + used,
                                     sizeof(app->missing) - used, "%s%s:%s",
                                     used ? "|" : "", in->items[i].code,
                                     in->missing[i]);
    if (rc == DD_OK)
        rc = store_application_insert(tx, app);
    for (size_t i = 0; rc == DD_OK && i < in->b.item_count; i++) {
        const struct catalog_item *it = &in->items[i];
        const struct wf_template *t =
            wf_template_find(a->steps, it->template_code);
        int paused = in->missing[i][0] != '\0';
        const struct wf_step *s =
            wf_step_find(t, paused ? WF_SUPPLEMENT : t->first);
        struct case_item_row *c = &rows[i];
        memset(c, 0, sizeof(*c));
        c->application_id = app->id;
        str_copy(c->county_code, sizeof(c->county_code), county);
        c->household_id = in->rh.h.id;
        str_copy(c->village_code, sizeof(c->village_code),
                 in->rh.h.hukou_region);
        str_copy(c->intake_region, sizeof(c->intake_region),
                 app->intake_region);
        str_copy(c->item_code, sizeof(c->item_code), it->code);
        c->catalog_version = it->version;
        str_copy(c->step, sizeof(c->step), s->code);
        str_copy(c->state, sizeof(c->state), paused ? "paused" : "open");
        str_copy(c->accepted_on, sizeof(c->accepted_on), in->applied.s);
        if (paused)
            str_copy(c->paused_since, sizeof(c->paused_since),
                     in->applied.s);
        str_copy(c->missing, sizeof(c->missing), in->missing[i]);
        str_copy(c->case_no, sizeof(c->case_no), app->case_no);
        /* 特困人员认定办法 Art. 16 (domain.md §2): the county spot-checks
         * at least <item>.spot_check.percent of the item's cases: the
         * n-th of the county's year (a counter beside the case numbers,
         * under the key county/item) is flagged when it brings the
         * flagged share back to the percent (docs/cases.md) */
        for (size_t k = 0; rc == DD_OK && k < t->step_count; k++)
            if (t->steps[k].flags & WF_SPOT_CHECK) {
                const struct policy_param *pp = NULL;
                /* no parameter in force: every case is checked */
                int64_t pct = 100, n = 0;
                const char *key = arena_printf(
                    req->arena, "%s.spot_check.percent", it->code);
                const char *counter =
                    arena_printf(req->arena, "%s/%s", county, it->code);
                if (!key || !counter) {
                    rc = DD_ENOMEM;
                    break;
                }
                pthread_rwlock_rdlock(&a->policy_lock);
                if (policy_lookup(a->policy, key, county, today.y, today.m,
                                  today.d, &pp) == DD_OK &&
                    pp)
                    pct = pp->value;
                pthread_rwlock_unlock(&a->policy_lock);
                rc = store_case_seq_next(tx, counter, in->applied.y, &n);
                c->spot_check = wf_spot_check(n, (int)pct);
            }
        if (rc != DD_OK)
            break;
        /* the applicant at a window is one visit (到现场次数) */
        int visit = strcmp(in->b.channel, "window") == 0;
        c->visits = visit;
        cases_route(a, c, it, s, &today);
        cases_clock(a, c, it, s, &in->applied);
        /* the step's own clock starts today, when it was registered */
        if (catalog_step_limit(it, s) > 0 && in->applied.day != today.day) {
            struct case_item_row tmp = *c;
            cases_clock(a, &tmp, it, s, &today);
            str_copy(c->step_deadline, sizeof(c->step_deadline),
                     tmp.step_deadline);
            str_copy(c->step_started_on, sizeof(c->step_started_on),
                     today.s);
        }
        rc = store_case_item_insert(tx, c);
        if (rc == DD_OK)
            rc = cases_enter(req, tx, c, it, &today);
        if (rc == DD_OK)
            rc = cases_event(req, tx, c, "", "accept", NULL,
                             arena_printf(req->arena,
                                          "{\"channel\":\"%s\"}",
                                          in->b.channel),
                             visit, &today);
    }
    if (rc == DD_OK)
        rc = api_audit(req, tx, "application.create",
                       arena_printf(req->arena, "application:%lld",
                                    (long long)app->id),
                       in->rh.h.hukou_region,
                       json_object_of_strings(
                           req->arena,
                           (const char *[]){"case_no", app->case_no,
                                            "channel", app->channel,
                                            "intake_region",
                                            app->intake_region},
                           3));
    if (rc != DD_OK) {
        api_fail(req, rc, NULL);
        return -1;
    }
    return 0;
}

static enum dd_status
put_application(struct http_request *req, struct buf *b,
                const struct application_row *app,
                const struct case_item_row *rows, size_t n,
                const char *query_code)
{
    struct civil_day day;
    civil_today(&day);
    enum dd_status rc = buf_printf(
        b,
        "{\"id\":%lld,\"case_no\":\"%s\",\"county_code\":\"%s\","
        "\"household_id\":%lld,\"channel\":\"%s\",\"intake_region\":\"%s\","
        "\"applied_on\":\"%s\",",
        (long long)app->id, app->case_no, app->county_code,
        (long long)app->household_id, app->channel, app->intake_region,
        app->applied_on);
    if (rc == DD_OK && query_code)
        rc = buf_printf(b, "\"query_code\":\"%s\",", query_code);
    if (rc == DD_OK)
        rc = buf_puts(b, "\"items\":[");
    for (size_t i = 0; rc == DD_OK && i < n; i++) {
        const char *item = cases_item_json(req, &rows[i], &day);
        rc = item ? buf_printf(b, "%s%s", i ? "," : "", item) : DD_ENOMEM;
    }
    if (rc == DD_OK)
        rc = buf_puts(b, "]");
    return rc;
}

/* POST /api/v1/applications: files one application (staff channels). */
static void
application_create(struct http_request *req)
{
    struct store_tx *tx;
    struct application_row app;
    char code[QUERY_CODE_LEN + 1];
    struct intake *in = arena_alloc(req->arena, sizeof(*in));
    struct case_item_row *rows =
        arena_alloc(req->arena, MAX_ITEMS * sizeof(*rows));
    if (!in || !rows) {
        api_fail(req, DD_ENOMEM, NULL);
        return;
    }
    memset(in, 0, sizeof(*in));
    if (intake_check(req, in, 0))
        return;
    if (api_begin(req, STORE_WRITE, &tx))
        return;
    if (household_of(req, tx, in) ||
        intake_store(req, tx, in, &app, rows, code)) {
        return;
    }
    if (api_commit(req, tx))
        return;
    struct buf b;
    buf_init(&b, 1u << 20);
    enum dd_status rc =
        put_application(req, &b, &app, rows, in->b.item_count, code);
    if (rc == DD_OK)
        rc = buf_puts(&b, ",");
    if (rc == DD_OK)
        rc = put_notice(req, &b, in);
    if (rc == DD_OK)
        rc = buf_puts(&b, "}");
    api_reply_buf(req, 201, &b, rc);
}

struct citizen_body {
    const char *id_number;
    const char **items;
    size_t item_count;
    const char **materials;
    size_t material_count;
};

/* POST /api/v1/citizen/applications: a citizen signed in by phone applies
 * online (channel online) for the household in which the person with
 * id_number is active; taken at the household's hukou township. The
 * reply carries the case number and the query code for the progress
 * query, and nothing of the household. */
static void
citizen_application_create(struct http_request *req)
{
    static const struct json_field fields[] = {
        {"id_number", JSON_T_STRING, 1, 15, 18,
         offsetof(struct citizen_body, id_number)},
    };
    static const struct json_list_field lists[] = {
        {"items", 1, MAX_ITEMS, 31, offsetof(struct citizen_body, items),
         offsetof(struct citizen_body, item_count)},
        {"materials", 0, MAX_MATERIALS, 40,
         offsetof(struct citizen_body, materials),
         offsetof(struct citizen_body, material_count)},
    };
    struct citizen_body cb = {0};
    struct dd_error err = {0};
    unsigned present = 0;
    struct store_tx *tx;
    struct application_row app;
    struct idcard id;
    struct civil_day today;
    char code[QUERY_CODE_LEN + 1], hash[PII_BLIND_INDEX_LEN + 1];
    struct intake *in = arena_alloc(req->arena, sizeof(*in));
    struct case_item_row *rows =
        arena_alloc(req->arena, MAX_ITEMS * sizeof(*rows));
    if (!in || !rows) {
        api_fail(req, DD_ENOMEM, NULL);
        return;
    }
    memset(in, 0, sizeof(*in));
    enum dd_status rc = json_cases_decode(
        req->arena, req->body.data ? req->body.data : "", req->body.len,
        fields, 1, lists, 2, &cb, &present, &err);
    civil_today(&today);
    if (rc == DD_OK) {
        rc = idcard_parse(cb.id_number, today.y, today.m, today.d, &id, &err);
        if (rc != DD_OK)
            err.field = "id_number";
    }
    if (rc != DD_OK) {
        api_fail(req, rc, &err);
        return;
    }
    in->b.channel = "online";
    in->b.items = cb.items;
    in->b.item_count = cb.item_count;
    in->b.materials = cb.materials;
    in->b.material_count = cb.material_count;
    if (intake_validate(req, in, 1))
        return;
    pii_blind_index(API(req)->pii, id.number, hash);
    if (api_begin(req, STORE_WRITE, &tx))
        return;
    rc = store_person_active_household(tx, hash, &in->b.household_id);
    if (rc == DD_ENOTFOUND) {
        api_error(req, 404, "NOT_FOUND", "id_number",
                  "no household registers this person; apply at a window",
                  "未找到登记此人的家庭，请到窗口申请");
        return;
    }
    if (rc != DD_OK) {
        api_fail(req, rc, NULL);
        return;
    }
    if (household_of(req, tx, in) ||
        intake_store(req, tx, in, &app, rows, code)) {
        return;
    }
    if (api_commit(req, tx))
        return;
    struct buf b;
    buf_init(&b, 1u << 20);
    rc = buf_printf(&b,
                    "{\"case_no\":\"%s\",\"query_code\":\"%s\","
                    "\"applied_on\":\"%s\",\"items\":[",
                    app.case_no, code, app.applied_on);
    for (size_t i = 0; rc == DD_OK && i < in->b.item_count; i++)
        rc = buf_printf(&b,
                        "%s{\"item_code\":\"%s\",\"step\":\"%s\","
                        "\"state\":\"%s\",\"deadline\":\"%s\"}",
                        i ? "," : "", rows[i].item_code, rows[i].step,
                        rows[i].state, rows[i].deadline);
    if (rc == DD_OK)
        rc = buf_puts(&b, "],");
    if (rc == DD_OK)
        rc = put_notice(req, &b, in);
    if (rc == DD_OK)
        rc = buf_puts(&b, "}");
    api_reply_buf(req, 201, &b, rc);
}

/* Loads an application and its items and checks the caller may read it
 * (in scope of the intake office or of any item); 0, or -1 after
 * replying. */
static int
load_application(struct http_request *req, struct store_tx *tx, int64_t id,
                 struct application_row *app, struct case_item_row *rows,
                 size_t *n)
{
    enum dd_status rc = store_application_get(tx, id, app);
    if (rc == DD_OK)
        rc = store_case_item_by_application(tx, id, rows, MAX_ITEMS, n);
    if (rc != DD_OK) {
        api_fail(req, rc, NULL);
        return -1;
    }
    struct catalog_item it;
    if (*n == 0 || api_catalog_copy_version(API(req), rows[0].item_code,
                                            rows[0].catalog_version, &it)) {
        api_fail(req, DD_ENOTFOUND, NULL);
        return -1;
    }
    return cases_may_read(req, &rows[0], &it);
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
        {"materials", 1, MAX_MATERIALS, 40,
         offsetof(struct materials_body, materials),
         offsetof(struct materials_body, count)},
    };
    struct materials_body b = {0};
    unsigned present = 0;
    struct dd_error err = {0};
    struct store_tx *tx;
    struct application_row app;
    size_t n = 0;
    struct case_item_row *rows =
        arena_alloc(req->arena, MAX_ITEMS * sizeof(*rows));
    enum dd_status rc =
        rows ? json_cases_decode(req->arena,
                                 req->body.data ? req->body.data : "",
                                 req->body.len, NULL, 0, lists, 1, &b,
                                 &present, &err)
             : DD_ENOMEM;
    if (rc != DD_OK) {
        api_fail(req, rc, &err);
        return;
    }
    for (size_t k = 0; k < b.count; k++)
        if (!catalog_material_name(b.materials[k], 1)) {
            api_error(req, 400, "UNKNOWN_MATERIAL",
                      arena_printf(req->arena, "materials[%zu]", k),
                      "no such material code", "无此材料代码");
            return;
        }
    if (api_begin(req, STORE_WRITE, &tx))
        return;
    if (load_application(req, tx, strtoll(router_path_param(req, 0), NULL, 10),
                         &app, rows, &n)) {
        return;
    }
    /* papers are taken at the intake office or by the owning township */
    if (authz_decide(PRINCIPAL(req), AUTHZ_CASE_WRITE, app.intake_region,
                     NULL) != DD_OK &&
        api_authorise(req, AUTHZ_CASE_WRITE, rows[0].village_code, NULL)) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        struct case_item_row *c = &rows[i];
        if (strcmp(c->step, WF_SUPPLEMENT) != 0)
            continue;
        char left[256] = "";
        size_t used = 0;
        struct catalog_item tmp;
        str_copy(tmp.materials, sizeof(tmp.materials), c->missing);
        char buf[256];
        const char *codes[CATALOG_MAX_MATERIALS];
        size_t m = catalog_materials_split(&tmp, buf, sizeof(buf), codes,
                                           CATALOG_MAX_MATERIALS);
        for (size_t k = 0; k < m; k++) {
            int got = 0;
            for (size_t j = 0; j < b.count; j++)
                got |= strcmp(b.materials[j], codes[k]) == 0;
            if (!got)
                used += (size_t)snprintf(left + used, sizeof(left) - used,
                                         "%s%s", used ? ";" : "", codes[k]);
        }
        str_copy(c->missing, sizeof(c->missing), left);
        if (left[0]) {
            int64_t v = c->version;
            rc = store_case_item_update(tx, c, v);
            if (rc != DD_OK)
                break;
            continue;
        }
        struct cases_input in = {
            .action = "complete",
            .fields_json = json_object_of_strings(
                req->arena, (const char *[]){"materials", "complete"}, 1)};
        if (cases_transition(req, tx, c, &in, 0)) {
            return;
        }
    }
    if (rc != DD_OK) {
        api_fail(req, rc == DD_ECONFLICT ? DD_ECONFLICT : rc, NULL);
        return;
    }
    if (api_commit(req, tx))
        return;
    struct buf out;
    buf_init(&out, 1u << 20);
    rc = put_application(req, &out, &app, rows, n, NULL);
    if (rc == DD_OK)
        rc = buf_puts(&out, "}");
    api_reply_buf(req, 200, &out, rc);
}

/* GET /api/v1/applications/{id}: the application and its items. */
static void
application_get(struct http_request *req)
{
    struct store_tx *tx;
    struct application_row app;
    size_t n = 0;
    struct case_item_row *rows =
        arena_alloc(req->arena, MAX_ITEMS * sizeof(*rows));
    if (!rows) {
        api_fail(req, DD_ENOMEM, NULL);
        return;
    }
    if (api_begin(req, STORE_READ, &tx))
        return;
    int bad = load_application(
        req, tx, strtoll(router_path_param(req, 0), NULL, 10), &app, rows, &n);
    if (bad)
        return;
    struct buf b;
    buf_init(&b, 1u << 20);
    enum dd_status rc = put_application(req, &b, &app, rows, n, NULL);
    if (rc == DD_OK)
        rc = buf_puts(&b, "}");
    api_reply_buf(req, 200, &b, rc);
}

/* GET /api/v1/applications/{id}/receipt: the printable 受理回执 (HTML;
 * every value escaped; the applicant's name masked, no ID numbers). */
static void
application_receipt(struct http_request *req)
{
    struct store_tx *tx;
    struct application_row app;
    size_t n = 0;
    struct case_item_row *rows =
        arena_alloc(req->arena, MAX_ITEMS * sizeof(*rows));
    if (!rows) {
        api_fail(req, DD_ENOMEM, NULL);
        return;
    }
    if (api_begin(req, STORE_READ, &tx))
        return;
    if (load_application(req, tx, strtoll(router_path_param(req, 0), NULL, 10),
                         &app, rows, &n)) {
        return;
    }
    cases_receipt_reply(req, tx, &app, rows, n);
}

void
cases_receipt_reply(struct http_request *req, struct store_tx *tx,
                    const struct application_row *app_in,
                    const struct case_item_row *rows, size_t n)
{
    struct registry_household rh;
    const struct application_row app = *app_in;
    enum dd_status rc = registry_load(tx, req->arena, app.household_id, &rh);
    if (rc != DD_OK) {
        api_fail(req, rc, NULL);
        return;
    }
    char masked[64];
    const char *name = rh.member_count ? rh.members[0].name : "";
    cases_mask_name(name, masked, sizeof(masked));
    long ri = api_region_find(API(req), app.intake_region);
    const char *office = ri >= 0 ? API(req)->regions[ri].name : app.intake_region;
    struct buf b;
    buf_init(&b, 1u << 20);
    rc = buf_printf(
        &b,
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        "<title>受理回执 %s</title><style>body{font-family:serif;"
        "max-width:40em;margin:2em auto}td,th{padding:.2em 1em;"
        "text-align:left}</style></head><body><h1>社会救助申请受理回执</h1>"
        "<p>案件编号：%s<br>申请人：%s<br>受理日期：%s<br>受理单位：%s"
        "<br>受理方式：%s</p><table><tr><th>事项</th><th>办理单位</th>"
        "<th>法定办结期限</th><th>待补材料</th></tr>",
        cases_html(req, app.case_no), cases_html(req, app.case_no),
        cases_html(req, masked), cases_html(req, app.applied_on),
        cases_html(req, office), cases_html(req, app.channel));
    for (size_t i = 0; rc == DD_OK && i < n; i++) {
        struct catalog_item it;
        if (api_catalog_copy_version(API(req), rows[i].item_code,
                                     rows[i].catalog_version, &it))
            continue;
        char mbuf[256];
        str_copy(it.materials, sizeof(it.materials), rows[i].missing);
        const char *codes[CATALOG_MAX_MATERIALS];
        size_t m = catalog_materials_split(&it, mbuf, sizeof(mbuf), codes,
                                           CATALOG_MAX_MATERIALS);
        rc = buf_printf(&b, "<tr><td>%s</td><td>%s%s%s</td><td>%s%s</td><td>",
                        cases_html(req, it.name_zh),
                        cases_html(req, rows[i].owner_region),
                        rows[i].owner_department[0] ? " " : "",
                        cases_html(req, rows[i].owner_department),
                        cases_html(req, rows[i].deadline),
                        rows[i].deadline_uncovered ? "（节假日数据未覆盖）"
                                                   : "");
        for (size_t k = 0; rc == DD_OK && k < m; k++)
            rc = buf_printf(&b, "%s%s", k ? "、" : "",
                            cases_html(req, catalog_material_name(codes[k], 1)));
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
    struct buf b;
    buf_init(&b, 1u << 20);
    if (rc == DD_OK)
        rc = buf_printf(&b,
                        "{\"case_no\":\"%s\",\"applied_on\":\"%s\","
                        "\"items\":[",
                        app.case_no, app.applied_on);
    if (rc == DD_OK)
        rc = cases_applicant_items(req, tx, app.id, &b);
    if (rc == DD_ENOTFOUND) {
        buf_free(&b);
        api_error(req, 404, "NOT_FOUND", NULL,
                  "no application with this case number and query code",
                  "案件编号或查询码不正确");
        return;
    }
    if (rc == DD_OK)
        rc = buf_puts(&b, "]}");
    api_reply_buf(req, 200, &b, rc);
}

static const struct param_spec id_param[] = {
    {"id", PARAM_DIGITS, 1, 18, 0, 0},
};
static const struct param_spec no_query[] = {{NULL, 0, 0, 0, 0, 0}};
static const struct param_spec progress_query[] = {
    {"case_no", PARAM_DIGITS, 1, 16, 0, 0},
    {"query_code", PARAM_STRING, 1, 16, 0, 0},
    {NULL, 0, 0, 0, 0, 0},
};

static const struct route routes[] = {
    {"POST", "/api/v1/applications", NULL, no_query, AUTHZ_CASE_WRITE,
     ROUTE_BODY, application_create,
     "file one application for a household with one or more items"},
    {"POST", "/api/v1/applications/preview", NULL, no_query, AUTHZ_CASE_WRITE,
     ROUTE_BODY, application_preview,
     "the missing-materials notice and the engine's proposals"},
    {"GET", "/api/v1/applications/{id}", id_param, no_query, AUTHZ_CASE_READ,
     0, application_get, "one application with its items"},
    {"POST", "/api/v1/applications/{id}/materials", id_param, no_query,
     AUTHZ_CASE_WRITE, ROUTE_BODY, materials_add,
     "papers brought for items waiting in 补正"},
    {"GET", "/api/v1/applications/{id}/receipt", id_param, no_query,
     AUTHZ_CASE_READ, 0, application_receipt,
     "the printable acceptance receipt (受理回执)"},
    {"POST", "/api/v1/citizen/applications", NULL, no_query,
     AUTHZ_CITIZEN_SELF, ROUTE_BODY, citizen_application_create,
     "a citizen signed in by phone applies online"},
    {"GET", "/api/v1/citizen/applications", NULL, no_query,
     AUTHZ_CITIZEN_SELF, 0, cases_citizen_application_list,
     "the signed-in citizen's own online applications with their notices"},
    {"GET", "/api/v1/progress", NULL, progress_query, AUTHZ_PUBLIC,
     ROUTE_PUBLIC, progress_get,
     "anonymous progress by case number and query code"},
};

const struct route_table api_application_routes = {
    "applications", routes, sizeof(routes) / sizeof(routes[0])};
