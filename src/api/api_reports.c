/* SPDX-License-Identifier: MIT */
/* The figures a bureau reports (issue 13 §6): GET /api/v1/reports/monthly,
 * the monthly statistics return of a region in the caller's scope as
 * JSON, CSV or xlsx, and GET /api/v1/reports/caseload, the dashboard's
 * 在保户数 / 在保人数 / 月度资金 by district with their trend. Both read
 * the closed batches' summary (report/caseload_report.h) in one read
 * transaction; aggregates hold no personal data, so JSON writes no audit
 * row and a file, a bulk export, writes one (api_reply_export), as the
 * KPIs do. */
#include "api/api_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "domain/catalog.h"
#include "domain/month.h"
#include "io/report_export.h"
#include "report/caseload_report.h"
#include "json/jw.h"

#define CITY_CODE "500000" /* the region table's; "50" in scopes */
/* 38 districts × 36 months × 3 figures stay well under this */
#define REPLY_CAP (1u << 20)

/* The region a report is of: the one asked, or the caller's one scope,
 * at one of the levels given ("province,county,township"); in scope.
 * Sets *prefix (the codes under it start with it: "50" for the city) and
 * *ri. 0, or -1 after replying. */
static int
report_region(struct http_request *req, const char *levels, const char **prefix,
              long *ri)
{
    const struct principal *p = PRINCIPAL(req);
    const struct api *a = API(req);
    const char *region = http_query(req, "region");
    if (!region && p->prefix_count != 1) {
        api_error(req, 400, "REGION_REQUIRED", "region",
                  "your scope has several regions: name one in region",
                  "您的管辖范围包含多个区域，请用 region 指定其一");
        return -1;
    }
    if (!region)
        region = p->prefixes[0];
    if (strcmp(region, POLICY_CITY) == 0)
        region = CITY_CODE;
    if ((*ri = api_region_find(a, region)) < 0) {
        api_error(req, 404, "REGION_NOT_FOUND", "region",
                  "no region of Chongqing has this code",
                  "重庆市没有此行政区划代码");
        return -1;
    }
    const char *level = a->regions[*ri].level;
    if (!strstr(levels, level) || !*level) {
        api_error(req, 400, "INVALID_REGION_LEVEL", "region",
                  strstr(levels, "township")
                      ? "the report is of the city, a district or a township"
                      : "the dashboard is of the city or a district",
                  strstr(levels, "township") ? "报表按全市、区县或乡镇统计"
                                             : "看板按全市或区县统计");
        return -1;
    }
    *prefix =
        strcmp(region, CITY_CODE) == 0 ? POLICY_CITY : a->regions[*ri].code;
    return api_authorise(req, AUTHZ_KPI_READ, a->regions[*ri].code, NULL);
}

/* The month parameter name ("YYYY-MM"), by default last month in
 * Asia/Shanghai (this month's batches are still open). 0, or -1 after
 * replying 400. */
static int
month_param(struct http_request *req, const char *name, int32_t *mo)
{
    const char *v = http_query(req, name);
    if (!v) {
        struct civil_day td;
        civil_today(&td);
        *mo = month_of_day(td.day) - 1;
        return 0;
    }
    if (month_parse(v, mo) == 0)
        return 0;
    api_error(req, 400, "INVALID_PARAMETER", name, "the month must be YYYY-MM",
              "月份须为 YYYY-MM");
    return -1;
}

static void
put_figures(struct jw *w, const char *key, const struct report_figures *f)
{
    jw_obj(w, key);
    jw_int(w, "households", f->households);
    jw_int(w, "persons", f->persons);
    jw_int(w, "elderly", f->elderly);
    jw_int(w, "minors", f->minors);
    jw_int(w, "disabled", f->disabled);
    jw_int(w, "lines", f->lines);
    jw_int(w, "amount_fen", f->amount_fen);
    jw_end(w);
}

static void
put_monthly(struct jw *w, const struct report_table *t, const char *const *en)
{
    const struct monthly_report *r = t->r;
    jw_obj(w, NULL);
    jw_str(w, "region", r->region);
    jw_str(w, "region_name", t->region_name);
    jw_str(w, "month", r->month);
    jw_arr(w, "programmes");
    for (size_t i = 0; i < r->n_items; i++) {
        const struct report_item *it = &r->items[i];
        jw_obj(w, NULL);
        jw_str(w, "code", it->code);
        jw_str(w, "name_zh", t->item_names[i]);
        jw_str(w, "name_en", en[i]);
        put_figures(w, "urban", &it->urban);
        put_figures(w, "rural", &it->rural);
        put_figures(w, "total", &it->total);
        jw_int(w, "new_cases", it->new_cases);
        jw_int(w, "stopped_cases", it->stopped_cases);
        jw_int(w, "changed_cases", it->changed_cases);
        jw_end(w);
    }
    jw_end(w);
    put_figures(w, "all", &r->all);
    jw_end(w);
}

/* The audit detail's own fields: the month and the programmes. */
static void
monthly_fields(void *ctx, struct jw *w)
{
    const struct monthly_report *r = ((const struct report_table *)ctx)->r;
    jw_str(w, "month", r->month);
    jw_int(w, "programmes", (int64_t)r->n_items);
}

static enum dd_status
monthly_xlsx(void *ctx, const char *path)
{
    return report_export_xlsx(ctx, path);
}

static enum dd_status
monthly_csv(void *ctx, FILE *f)
{
    return report_export_csv(ctx, f);
}

/* The programmes' names from the catalog's newest versions ("" when it
 * has none), zh into zh[i] and en into en[i]. */
static void
item_names(struct api *a, const struct monthly_report *r, const char **zh,
           const char **en, struct arena *ar)
{
    pthread_rwlock_rdlock(&a->catalog_lock);
    for (size_t i = 0; i < r->n_items; i++) {
        const struct catalog_item *it =
            catalog_find(a->catalog, r->items[i].code, NULL);
        zh[i] = it ? arena_strdup(ar, it->name_zh) : "";
        en[i] = it ? arena_strdup(ar, it->name_en) : "";
        if (!zh[i] || !en[i])
            zh[i] = en[i] = "";
    }
    pthread_rwlock_unlock(&a->catalog_lock);
}

/* GET /api/v1/reports/monthly?region=&month=&format=json|csv|xlsx */
static void
monthly_get(struct http_request *req)
{
    struct api *a = API(req);
    const char *format = http_query(req, "format"), *prefix;
    long ri;
    int32_t mo;
    if (!format)
        format = "json";
    int xlsx = strcmp(format, "xlsx") == 0, csv = strcmp(format, "csv") == 0;
    if (!xlsx && !csv && strcmp(format, "json") != 0) {
        api_error(req, 400, "INVALID_PARAMETER", "format",
                  "format is json, csv or xlsx",
                  "format 须为 json、csv 或 xlsx");
        return;
    }
    if (month_param(req, "month", &mo) ||
        report_region(req, "province,county,township", &prefix, &ri))
        return;
    char month[8];
    month_format(mo, month);
    struct monthly_report *r = api_alloc(req, sizeof(*r));
    const char **zh = api_alloc(req, REPORT_ITEMS_MAX * sizeof(*zh));
    const char **en = api_alloc(req, REPORT_ITEMS_MAX * sizeof(*en));
    struct store_tx *tx;
    if (!r || !zh || !en || api_begin_report(req, &tx))
        return;
    monthly_report_init(r, a->regions[ri].code, month);
    if (api_finish(req, tx, monthly_report_run(tx, prefix, month, r), NULL))
        return;
    item_names(a, r, zh, en, req->arena);
    struct report_table t = {r, a->regions[ri].name, zh};
    if (xlsx || csv) {
        const struct api_export_audit audit = {
            "export.report_monthly", a->regions[ri].code, monthly_fields};
        enum dd_status rc = api_reply_export(req, xlsx, "monthly", monthly_xlsx,
                                             monthly_csv, &t, &audit);
        if (rc != DD_OK)
            api_fail(req, rc, NULL);
        return;
    }
    struct jw w;
    jw_init(&w, REPLY_CAP);
    put_monthly(&w, &t, en);
    api_reply_jw(req, 200, &w);
}

/* One trend: its last month's figures, then each month's in arrays. */
static void
put_trend(struct jw *w, const struct trend_point *p, int n)
{
    jw_int(w, "households", p[n - 1].households);
    jw_int(w, "persons", p[n - 1].persons);
    jw_int(w, "amount_fen", p[n - 1].amount_fen);
    jw_obj(w, "trend");
    jw_arr(w, "households");
    for (int i = 0; i < n; i++)
        jw_int(w, NULL, p[i].households);
    jw_end(w);
    jw_arr(w, "persons");
    for (int i = 0; i < n; i++)
        jw_int(w, NULL, p[i].persons);
    jw_end(w);
    jw_arr(w, "amount_fen");
    for (int i = 0; i < n; i++)
        jw_int(w, NULL, p[i].amount_fen);
    jw_end(w);
    jw_end(w);
}

/* The districts of the dashboard: the city's (level county, sorted as
 * the reference data is) or the one asked; their indexes into idx. */
static size_t
districts_of(const struct api *a, long ri, const char **codes, long *idx)
{
    size_t n = 0;
    if (strcmp(a->regions[ri].level, "county") == 0) {
        codes[0] = a->regions[ri].code;
        idx[0] = ri;
        return 1;
    }
    for (size_t i = 0; i < a->region_count && n < TREND_DISTRICTS_MAX; i++)
        if (strcmp(a->regions[i].level, "county") == 0) {
            codes[n] = a->regions[i].code;
            idx[n++] = (long)i;
        }
    return n;
}

/* GET /api/v1/reports/caseload?region=&months=&to=&programme= */
static void
caseload_get(struct http_request *req)
{
    struct api *a = API(req);
    const char *item = http_query(req, "programme"), *prefix;
    const char *ms = http_query(req, "months");
    int months = ms ? (int)strtol(ms, NULL, 10) : 24;
    long ri;
    int32_t to;
    if (month_param(req, "to", &to) ||
        report_region(req, "province,county", &prefix, &ri))
        return;
    const char **codes = api_alloc(req, TREND_DISTRICTS_MAX * sizeof(*codes));
    long *idx = api_alloc(req, TREND_DISTRICTS_MAX * sizeof(*idx));
    struct caseload_trend *t = api_alloc(req, sizeof(*t));
    struct store_tx *tx;
    if (!codes || !idx || !t)
        return;
    size_t n = districts_of(a, ri, codes, idx);
    if (caseload_trend_init(t, to, months, codes, n) != 0) {
        api_fail(req, DD_EINTERNAL, NULL);
        return;
    }
    if (api_begin_report(req, &tx) ||
        api_finish(req, tx, caseload_trend_run(tx, prefix, item ? item : "", t),
                   NULL))
        return;
    struct jw w;
    char mbuf[8];
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    jw_str(&w, "region", a->regions[ri].code);
    jw_str_or_null(&w, "programme", item);
    jw_arr(&w, "months");
    for (int i = 0; i < months; i++) {
        month_format(t->first + i, mbuf);
        jw_str(&w, NULL, mbuf);
    }
    jw_end(&w);
    jw_arr(&w, "districts");
    for (size_t d = 0; d < n; d++) {
        jw_obj(&w, NULL);
        jw_str(&w, "code", codes[d]);
        jw_str(&w, "name", a->regions[idx[d]].name);
        put_trend(&w, t->cells[d], months);
        jw_end(&w);
    }
    jw_end(&w);
    jw_obj(&w, "total");
    put_trend(&w, t->total, months);
    jw_end(&w);
    jw_end(&w);
    api_reply_jw(req, 200, &w);
}

static const struct param_spec monthly_query[] = {
    {"region", PARAM_REGION, 0, 12, 0, 0},
    {"month", PARAM_STRING, 0, 7, 0, 0},
    {"format", PARAM_STRING, 0, 4, 0, 0},
    {NULL, 0, 0, 0, 0, 0},
};

static const struct param_spec caseload_query[] = {
    {"region", PARAM_REGION, 0, 12, 0, 0},
    {"months", PARAM_INT, 0, 0, 1, TREND_MONTHS_MAX},
    {"to", PARAM_STRING, 0, 7, 0, 0},
    {"programme", PARAM_NAME, 0, 31, 0, 0},
    {NULL, 0, 0, 0, 0, 0},
};

/* clang-format off: one route per line */
static const struct route routes[] = {
    {"GET", "/api/v1/reports/monthly", NULL, monthly_query, AUTHZ_KPI_READ, 0,
     monthly_get,
     "the monthly statistics return of a region: the closed batches by "
     "programme and urban/rural (JSON, CSV or xlsx)"},
    {"GET", "/api/v1/reports/caseload", NULL, caseload_query, AUTHZ_KPI_READ, 0,
     caseload_get,
     "the dashboard: households, persons and money paid by district, with "
     "their trend"},
};
/* clang-format on */

const struct route_table api_report_routes = {
    "reports", routes, sizeof(routes) / sizeof(routes[0])};
