/* SPDX-License-Identifier: MIT */
/* Policy parameters: which version of each is in force on a date for a
 * place, the history of one key, and new versions (city_supervisor only).
 * The table is held in memory (struct api, loaded at start); requests read
 * it under the read lock, and a new version is added under the write lock
 * in the same critical section as its transaction, so the reply to the
 * POST is sent only once every later read sees the version. */
#include "api/api_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "json/jw.h"
#include "core/log.h"
#include "core/str.h"
#include "core/timeutil.h"

#define LIST_CAP (4u << 20) /* bytes of one reply, far above the seed's */
/* A sane range for effective dates: Doudi's records start after 2000. */
#define YEAR_MIN 2000
#define YEAR_MAX 2099

/* Appends one version as a JSON object; with_meta adds who added it and
 * when. */
static void
put_version(struct jw *w, const struct policy_param *p, int with_meta)
{
    jw_obj(w, NULL);
    jw_str(w, "key", p->key);
    jw_int(w, "value", p->value);
    jw_str(w, "unit", p->unit);
    jw_str(w, "effective_from", p->effective_from);
    jw_str(w, "region_code", p->region_code);
    jw_str(w, "source", p->source);
    jw_str(w, "confidence", p->confidence);
    if (with_meta) {
        if (p->created_at)
            jw_time(w, "created_at", p->created_at);
        else
            jw_null(w, "created_at");
        jw_str(w, "created_by", p->created_by);
    }
    jw_end(w);
}

/* Gives up a listing of a key no version has: drops w, lets the table
 * go and replies 404. */
static void
key_not_found(struct http_request *req, struct jw *w)
{
    pthread_rwlock_unlock(&API(req)->policy_lock);
    jw_free(w);
    api_error(req, 404, "POLICY_KEY_NOT_FOUND", "key",
              "no policy parameter has this key", "没有此政策参数");
}

/* GET /api/v1/policy: every key's version in force on as_of (default
 * today in Asia/Shanghai) for region (default the city), or one key's. */
static void
policy_in_force(struct http_request *req)
{
    struct api *a = API(req);
    const char *as_of = http_query(req, "as_of");
    const char *region = http_query(req, "region");
    const char *key = http_query(req, "key");
    char today[POLICY_DATE_LEN];
    struct civil_day td;
    int y, m, d;
    if (!as_of) {
        civil_today(&td);
        str_copy(today, sizeof(today), td.s);
        as_of = today;
    }
    if (policy_date_parse(as_of, &y, &m, &d) != 0) {
        /* the router allows a date-time too; this route wants a date */
        api_error(req, 400, "INVALID_PARAMETER", "as_of",
                  "as_of must be a date YYYY-MM-DD",
                  "as_of 必须是日期 YYYY-MM-DD");
        return;
    }
    if (!region)
        region = POLICY_CITY;
    if (strcmp(region, POLICY_CITY) != 0 &&
        (strncmp(region, POLICY_CITY, 2) != 0 ||
         api_region_find(a, region) < 0)) {
        api_error(req, 404, "REGION_NOT_FOUND", "region",
                  "no region of Chongqing has this code",
                  "重庆市没有此行政区划代码");
        return;
    }

    struct jw w;
    jw_init(&w, LIST_CAP);
    pthread_rwlock_rdlock(&a->policy_lock);
    const struct policy_table *t = a->policy;
    size_t first = 0, count = policy_table_count(t);
    if (key) {
        policy_table_key_range(t, key, &first, &count);
        if (count == 0) {
            key_not_found(req, &w);
            return;
        }
    }
    jw_obj(&w, NULL);
    jw_str(&w, "as_of", as_of);
    jw_str(&w, "region", region);
    jw_arr(&w, "items");
    const char *prev = "";
    for (size_t i = first; w.rc == DD_OK && i < first + count; i++) {
        const struct policy_param *k = policy_table_at(t, i), *p = NULL;
        if (strcmp(k->key, prev) == 0)
            continue; /* one answer per key */
        prev = k->key;
        if (policy_lookup(t, k->key, region, y, m, d, &p) != DD_OK)
            continue; /* nothing in force yet */
        put_version(&w, p, 0);
    }
    pthread_rwlock_unlock(&a->policy_lock);
    jw_end(&w);
    jw_end(&w);
    api_reply_jw(req, 200, &w);
}

/* GET /api/v1/policy/history: every version of one key, every region. */
static void
policy_history(struct http_request *req)
{
    struct api *a = API(req);
    const char *key = http_query(req, "key");
    struct jw w;
    size_t first, count;
    jw_init(&w, LIST_CAP);
    pthread_rwlock_rdlock(&a->policy_lock);
    policy_table_key_range(a->policy, key, &first, &count);
    if (count == 0) {
        key_not_found(req, &w);
        return;
    }
    jw_obj(&w, NULL);
    jw_str(&w, "key", key);
    jw_arr(&w, "items");
    for (size_t i = first; w.rc == DD_OK && i < first + count; i++)
        put_version(&w, policy_table_at(a->policy, i), 1);
    pthread_rwlock_unlock(&a->policy_lock);
    jw_end(&w);
    jw_end(&w);
    api_reply_jw(req, 200, &w);
}

struct policy_body {
    const char *key;
    const char *region_code;
    const char *effective_from;
    int64_t value;
    const char *unit;
    const char *source;
    const char *confidence;
};

enum { F_KEY, F_REGION, F_DATE, F_VALUE, F_UNIT, F_SOURCE, F_CONF, F__N };

#define PB(f) offsetof(struct policy_body, f)
static const struct json_field create_fields[F__N] = {
    [F_KEY] = {"key", JSON_T_STRING, 1, 1, POLICY_KEY_LEN - 1, PB(key)},
    [F_REGION] = {"region_code", JSON_T_STRING, 1, 2, POLICY_REGION_LEN - 1, PB(region_code)},
    [F_DATE] = {"effective_from", JSON_T_STRING, 1, 10, POLICY_DATE_LEN - 1, PB(effective_from)},
    [F_VALUE] = {"value", JSON_T_INT, 1, 0, POLICY_VALUE_MAX, PB(value)},
    [F_UNIT] = {"unit", JSON_T_STRING, 1, 1, POLICY_UNIT_LEN - 1, PB(unit)},
    [F_SOURCE] = {"source", JSON_T_STRING, 1, 1, POLICY_SOURCE_LEN - 1, PB(source)},
    [F_CONF] = {"confidence", JSON_T_STRING, 0, 1, POLICY_CONF_LEN - 1, PB(confidence)},
};
#undef PB

/* Checks the body against the table (held locked by the caller); 0, or
 * -1 after replying. */
static int
check_body(struct http_request *req, const struct policy_body *b,
           const struct policy_param *p)
{
    struct api *a = API(req);
    size_t first, count;
    int y, m, d;
    policy_table_key_range(a->policy, b->key, &first, &count);
    if (count == 0) {
        api_error(req, 400, "UNKNOWN_POLICY_KEY", "key",
                  "no policy parameter has this key; new keys come with "
                  "the code that reads them",
                  "没有此政策参数；新参数随读取它的程序一同发布");
        return -1;
    }
    long ri = api_region_find(a, b->region_code);
    if (!policy_region_valid(b->region_code) ||
        (strcmp(b->region_code, POLICY_CITY) != 0 &&
         (ri < 0 || strcmp(a->regions[ri].level, "county") != 0))) {
        api_error(req, 400, "UNKNOWN_REGION", "region_code",
                  "region_code is 50 (the city) or the code of a county of "
                  "Chongqing",
                  "region_code 应为 50（全市）或重庆市的区县代码");
        return -1;
    }
    if (policy_date_parse(b->effective_from, &y, &m, &d) != 0 ||
        y < YEAR_MIN || y > YEAR_MAX) {
        api_error(req, 400, "INVALID_DATE", "effective_from",
                  "effective_from must be a real date YYYY-MM-DD in "
                  "2000-2099",
                  "effective_from 必须是 2000 至 2099 年间的有效日期 "
                  "YYYY-MM-DD");
        return -1;
    }
    const struct policy_param *had = policy_table_at(a->policy, first);
    if (strcmp(had->unit, b->unit) != 0) {
        api_error(req, 400, "UNIT_MISMATCH", "unit",
                  "a key keeps its unit; this key's unit is another",
                  "参数的单位不可更改，与已有版本的单位不一致");
        return -1;
    }
    /* a flag is 0 or 1, a percent 0-100, a mode one the engine knows
     * (dibao.area.default: 0 mixed, 1 urban, 2 rural) */
    int64_t max = policy_value_max(b->key, b->unit);
    if (b->value > max) {
        api_error(req, 400, "OUT_OF_RANGE", "value",
                  arena_printf(req->arena,
                               "this key's value is 0 to %lld (%s)",
                               (long long)max, b->unit),
                  arena_printf(req->arena, "此参数的取值为 0 至 %lld（%s）",
                               (long long)max, b->unit));
        return -1;
    }
    if (b->source[strspn(b->source, " \t\r\n")] == '\0') {
        api_error(req, 400, "SOURCE_REQUIRED", "source",
                  "name the document that sets this figure",
                  "请填写规定此数值的文件");
        return -1;
    }
    if (!policy_confidence_valid(p->confidence)) {
        api_error(req, 400, "INVALID_CONFIDENCE", "confidence",
                  "confidence is H, M, L or NATIONAL-DEFAULT",
                  "可信度应为 H、M、L 或 NATIONAL-DEFAULT");
        return -1;
    }
    if (policy_table_find(a->policy, p->key, p->region_code,
                          p->effective_from)) {
        api_error(req, 409, "POLICY_VERSION_EXISTS", "effective_from",
                  "this key already has a version for this region and "
                  "date; versions are never changed, add one with a new "
                  "date",
                  "该参数在此地区和日期已有版本；版本不可修改，请以新的生效日期新增");
        return -1;
    }
    return 0;
}

/* POST /api/v1/policy: a new version, validated, stored and audited in
 * one transaction, then added to the in-memory table. */
static void
policy_create(struct http_request *req)
{
    struct api *a = API(req);
    struct policy_body b = {0};
    unsigned present = 0;
    struct policy_param p = {0};
    struct policy_row row;
    struct store_tx *tx = NULL;
    if (api_decode(req, create_fields, F__N, &b, &present))
        return;
    str_copy(p.key, sizeof(p.key), b.key);
    str_copy(p.region_code, sizeof(p.region_code), b.region_code);
    str_copy(p.effective_from, sizeof(p.effective_from), b.effective_from);
    p.value = b.value;
    str_copy(p.unit, sizeof(p.unit), b.unit);
    str_copy(p.source, sizeof(p.source), b.source);
    /* entered from the document named in source */
    str_copy(p.confidence, sizeof(p.confidence),
             b.confidence ? b.confidence : "H");
    p.created_at = time_now();
    str_copy(p.created_by, sizeof(p.created_by), req->actor);

    /* Writers are serialised by the lock for the whole transaction, so
     * the check, the row and the table stay in step; readers wait for one
     * short transaction, which only a city supervisor can cause. */
    pthread_rwlock_wrlock(&a->policy_lock);
    if (check_body(req, &b, &p))
        goto unlock;
    enum dd_status rc = policy_table_reserve(a->policy, 1);
    if (rc != DD_OK) {
        api_fail(req, rc, NULL);
        goto unlock;
    }
    if (api_begin(req, STORE_WRITE, &tx))
        goto unlock;
    refdata_policy_to_row(&p, &row);
    rc = store_policy_insert(tx, &row);
    if (rc == DD_OK) {
        char value[24];
        snprintf(value, sizeof(value), "%lld", (long long)p.value);
        rc = api_audit(
            req, tx, "policy.create",
            arena_printf(req->arena, "policy:%s/%s/%s", p.key, p.region_code,
                         p.effective_from),
            p.region_code,
            json_object_of_strings(
                req->arena,
                (const char *[]){"key", p.key, "region_code", p.region_code,
                                 "effective_from", p.effective_from, "value",
                                 value, "unit", p.unit, "source", p.source,
                                 "confidence", p.confidence},
                7));
    }
    if (rc != DD_OK) {
        if (rc == DD_ECONFLICT) /* another process added it */
            api_error(req, 409, "POLICY_VERSION_EXISTS", "effective_from",
                      "this key already has a version for this region and "
                      "date",
                      "该参数在此地区和日期已有版本");
        else
            api_fail(req, rc, NULL);
        goto unlock;
    }
    if (api_commit(req, tx))
        goto unlock;
    /* room was reserved and the version checked: this cannot fail */
    rc = policy_table_add(a->policy, &p);
    if (rc != DD_OK)
        log_msg(LOG_ERROR, req->request_id,
                "policy: stored version %s not added in memory: %s", p.key,
                dd_status_name(rc));
    pthread_rwlock_unlock(&a->policy_lock);

    struct jw out;
    jw_init(&out, LIST_CAP);
    put_version(&out, &p, 1);
    api_reply_jw(req, 201, &out);
    return;
unlock:
    pthread_rwlock_unlock(&a->policy_lock);
}

static const struct param_spec in_force_query[] = {
    {"as_of", PARAM_DATE, 0, 10, 0, 0},
    {"region", PARAM_REGION, 0, 12, 0, 0},
    {"key", PARAM_NAME, 0, 63, 0, 0},
    {NULL, 0, 0, 0, 0, 0},
};
static const struct param_spec history_query[] = {
    {"key", PARAM_NAME, 1, 63, 0, 0},
    {NULL, 0, 0, 0, 0, 0},
};

/* clang-format off: one route per line */
static const struct route routes[] = {
    {"GET", "/api/v1/policy", NULL, in_force_query, AUTHZ_POLICY_READ, 0, policy_in_force, "every policy parameter in force on a date for a place"},
    {"GET", "/api/v1/policy/history", NULL, history_query, AUTHZ_POLICY_READ, 0, policy_history, "every version of one policy parameter"},
    {"POST", "/api/v1/policy", NULL, api_no_query, AUTHZ_POLICY_WRITE, ROUTE_BODY, policy_create, "add a version of a policy parameter (city_supervisor)"},
};
/* clang-format on */

const struct route_table api_policy_routes = {
    "policy", routes, sizeof(routes) / sizeof(routes[0])};
