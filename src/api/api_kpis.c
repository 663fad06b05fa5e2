/* SPDX-License-Identifier: MIT */
/* GET /api/v1/kpis: the service KPIs (domain.md §9) for a region in the
 * caller's scope and a period, broken down by catalog item and by the
 * region's children, as JSON, CSV or xlsx. The figures come from the
 * case items accepted in the period (report/kpi_report.h), read in one
 * read transaction: aggregates hold no personal data, so the JSON read
 * writes no audit row; a CSV or xlsx file is a bulk export and writes
 * one (api_reply_export). */
#include "api/api_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/timeutil.h"
#include "io/kpi_export.h"
#include "json/jw.h"
#include "json/json_kpi.h"
#include "report/kpi_report.h"

#define KPI_CITY "500000"

/* An optional date parameter; 0 (with *day set, or left at its default),
 * or -1 after replying 400. */
static int
date_param(struct http_request *req, const char *name, int32_t *day)
{
    const char *v = http_query(req, name);
    if (!v || workcal_parse_date(v, day) == 0)
        return 0;
    api_error(req, 400, "INVALID_PARAMETER", name,
              "the parameter must be a real date YYYY-MM-DD",
              "参数必须是有效日期 YYYY-MM-DD");
    return -1;
}

/* The region's children, copied from the sorted reference data. */
static size_t
children_of(const struct api *a, const char *code, struct region *out,
            size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < a->region_count; i++) {
        const struct region *r = &a->regions[i];
        if (strcmp(r->parent_code, code) == 0 && strcmp(r->level, "zone") != 0) {
            if (n == max)
                return max + 1;
            out[n++] = *r;
        }
    }
    return n;
}

/* The report for api_reply_export. */
struct kpi_file {
    const struct kpi_view *v;
};

/* The audit detail's own fields: the period and the table's rows (the
 * total, one per item, one per sub-region). */
static void
kpi_fields(void *ctx, struct jw *w)
{
    const struct kpi_view *v = ((struct kpi_file *)ctx)->v;
    jw_str(w, "region", v->region);
    jw_str(w, "from", v->from);
    jw_str(w, "to", v->to);
    jw_str(w, "as_of", v->as_of);
    jw_int(w, "rows", 1 + (int64_t)v->n_items + v->n_regions);
}

static enum dd_status
kpi_xlsx(void *ctx, const char *path)
{
    return kpi_export_xlsx(((struct kpi_file *)ctx)->v, path);
}

static enum dd_status
kpi_csv(void *ctx, FILE *f)
{
    return kpi_export_csv(((struct kpi_file *)ctx)->v, f);
}

/* Writes the report as CSV or xlsx into a temporary file and replies. */
static void
reply_file(struct http_request *req, const struct kpi_view *v, int xlsx)
{
    struct kpi_file kf = {v};
    const struct api_export_audit audit = {"export.kpis", v->region,
                                           kpi_fields};
    enum dd_status rc =
        api_reply_export(req, xlsx, "kpis", kpi_xlsx, kpi_csv, &kf, &audit);
    if (rc != DD_OK)
        api_fail(req, rc, NULL);
}

/* GET /api/v1/kpis?region=&from=&to=&as_of=&format=json|csv|xlsx */
static void
kpis_get(struct http_request *req)
{
    struct api *a = API(req);
    const char *region = http_query(req, "region");
    const char *format = http_query(req, "format");
    struct civil_day td;
    civil_today(&td);
    int32_t now = td.day, from, to, as_of;
    int y, m, d;

    /* the whole city: "500000" in the region table, "50" in scopes */
    if (!region || strcmp(region, POLICY_CITY) == 0)
        region = KPI_CITY;
    if (!format)
        format = "json";
    int xlsx = strcmp(format, "xlsx") == 0, csv = strcmp(format, "csv") == 0;
    if (!xlsx && !csv && strcmp(format, "json") != 0) {
        api_error(req, 400, "INVALID_PARAMETER", "format",
                  "format is json, csv or xlsx", "format 须为 json、csv 或 xlsx");
        return;
    }
    /* by default: this year up to today */
    workcal_ymd_from_day(now, &y, &m, &d);
    from = workcal_day_from_ymd(y, 1, 1);
    to = now;
    if (date_param(req, "from", &from) || date_param(req, "to", &to))
        return;
    as_of = to > now ? to : now;
    if (date_param(req, "as_of", &as_of))
        return;
    if (from > to) {
        api_error(req, 400, "INVALID_PARAMETER", "to",
                  "to must not be before from", "结束日期不能早于开始日期");
        return;
    }
    if (as_of < to) {
        api_error(req, 400, "INVALID_PARAMETER", "as_of",
                  "as_of must not be before to", "统计截止日不能早于结束日期");
        return;
    }
    long ri = api_region_find(a, region);
    if (ri < 0) {
        api_error(req, 404, "REGION_NOT_FOUND", "region",
                  "no region of Chongqing has this code",
                  "重庆市没有此行政区划代码");
        return;
    }
    /* a region outside the caller's scope is 404, as every read outside
     * it (the route's grant has already refused a role without one) */
    if (api_authorise(req, AUTHZ_KPI_READ, region, NULL))
        return;

    struct region *children = arena_alloc(
        req->arena, sizeof(*children) * (KPI_REGIONS_MAX + 1));
    struct kpi_report *rep = arena_alloc(req->arena, sizeof(*rep));
    if (!children || !rep) {
        api_fail(req, DD_ENOMEM, NULL);
        return;
    }
    char fs[11], ts[11], as[11];
    workcal_format_date(from, fs);
    workcal_format_date(to, ts);
    workcal_format_date(as_of, as);
    struct kpi_report_in in = {
        .region = a->regions[ri].code,
        .region_name = a->regions[ri].name,
        .from = fs,
        .to = ts,
        .as_of = as,
        .cal = api_calendar(a),
    };
    in.n_children = children_of(a, region, children, KPI_REGIONS_MAX);
    in.children = children;

    struct store_tx *tx;
    if (api_begin_report(req, &tx))
        return;
    pthread_rwlock_rdlock(&a->policy_lock);
    pthread_rwlock_rdlock(&a->catalog_lock);
    in.policy = a->policy;
    in.catalog = a->catalog;
    enum dd_status rc = kpi_report_run(tx, &in, rep);
    pthread_rwlock_unlock(&a->catalog_lock);
    pthread_rwlock_unlock(&a->policy_lock);
    if (api_finish(req, tx, rc, NULL))
        return;
    if (xlsx || csv)
        reply_file(req, &rep->view, xlsx);
    else
        api_reply(req, 200, json_encode_kpis(req->arena, &rep->view));
}

static const struct param_spec kpi_query[] = {
    {"region", PARAM_REGION, 0, 12, 0, 0},
    {"from", PARAM_STRING, 0, 10, 0, 0},
    {"to", PARAM_STRING, 0, 10, 0, 0},
    {"as_of", PARAM_STRING, 0, 10, 0, 0},
    {"format", PARAM_STRING, 0, 4, 0, 0},
    {NULL, 0, 0, 0, 0, 0},
};

/* clang-format off: one route per line */
static const struct route routes[] = {
    {"GET", "/api/v1/kpis", NULL, kpi_query, AUTHZ_KPI_READ, ROUTE_HEAVY, kpis_get, "service KPIs for a region and period, by item and sub-region " "(JSON, CSV or xlsx)"},
};
/* clang-format on */

const struct route_table api_kpi_routes = {"kpis", routes,
                                           sizeof(routes) / sizeof(routes[0])};
