/* SPDX-License-Identifier: MIT */
/* Household import and export over HTTP: POST /api/v1/imports takes a CSV
 * body (text/csv, UTF-8 or GB18030; docs/import.md) and imports it as
 * `doudi import` does, each household's region checked against the
 * caller's scope; GET /api/v1/exports/households writes the households in
 * scope as CSV or xlsx with ID numbers masked, and audits it (one row:
 * filter, counts, the SM3 of the file). Bodies and replies are bounded
 * by the server's limits: large files go through the CLI. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api_internal.h"
#include "assess/assess.h"
#include "domain/area.h"
#include "io/csv.h"
#include "io/encoding.h"
#include "io/export.h"
#include "io/import.h"
#include "json/jw.h"

static int
principal_scope(void *ctx, const char *region)
{
    return authz_in_scope(ctx, region);
}

/* domain.md §7.1: a household may follow its hukou district only where
 * the district sets one standard for all residents today (as the
 * registry's create and replace check it). */
static enum dd_status
area_ok(void *ctx, const struct household_row *h, int y, int m, int d,
        struct dd_error *err)
{
    struct api *a = ctx;
    enum area_setting s;
    if (area_setting_parse(h->urban_or_rural, &s) != 0 ||
        s != AREA_SETTING_DISTRICT)
        return DD_OK;
    pthread_rwlock_rdlock(&a->policy_lock);
    enum dd_status rc = assess_area_resolve(a->policy, h->hukou_region, y, m,
                                            d, s, NULL, NULL, err);
    pthread_rwlock_unlock(&a->policy_lock);
    return rc == DD_ENOTFOUND ? DD_EINVAL : rc;
}

#define RES(key, member) JW_FIELD(struct import_result, key, member, INT)
static const struct jw_field result_counts[] = {
    RES("rows", rows),
    RES("inserted", inserted),
    RES("updated", updated),
    RES("skipped", skipped),
    RES("rejected_count", rejected),
};
#undef RES

/* The result as JSON into w. */
static void
put_result(struct jw *w, const struct import_result *res)
{
    jw_obj(w, NULL);
    JW_FIELDS(w, res, result_counts);
    jw_bool(w, "complete", !res->fatal);
    jw_arr(w, "rejected");
    for (size_t i = 0; i < res->listed; i++) {
        const struct import_rejection *j = &res->list[i];
        jw_obj(w, NULL);
        jw_int(w, "line", j->line);
        jw_str(w, "column", j->column);
        jw_str(w, "code", j->code ? j->code : "");
        jw_str(w, "message", j->message ? j->message : "");
        jw_str(w, "message_zh", j->message_zh ? j->message_zh : "");
        jw_end(w);
    }
    jw_end(w);
    jw_end(w);
}

/* POST /api/v1/imports */
static void
import_post(struct http_request *req)
{
    struct principal *p = PRINCIPAL(req);
    struct import_result res = {0};
    char *text = NULL;
    size_t len = 0;
    enum enc_kind kind;

    /* the registry's front line and county officers import; a village
     * assistant enters households one by one */
    if (p->role != ROLE_TOWN_CLERK && p->role != ROLE_TOWN_REVIEWER &&
        p->role != ROLE_COUNTY_OFFICER) {
        api_error(req, 403, "FORBIDDEN", NULL,
                  "imports are for town clerks, town reviewers and county "
                  "officers",
                  "批量导入仅限乡镇经办人、乡镇审核人和区县经办人");
        return;
    }
    if (api_content_type(req, "text/csv"))
        return;
    enum dd_status rc = enc_to_utf8(req->body.data ? req->body.data : "",
                                    req->body.len, &text, &len, &kind);
    if (rc == DD_EINVAL) {
        api_error(req, 400, "BAD_ENCODING", NULL,
                  "the body is neither UTF-8 nor GB18030",
                  "内容编码既不是 UTF-8 也不是 GB18030");
        return;
    }
    if (api_check(req, rc, NULL))
        return;
    struct csv_mem m = {text, len, 0};
    struct import_opts o = {
        .keys = API(req)->pii,
        .actor = p->name,
        .request_id = req->request_id,
        .in_scope = principal_scope,
        .scope_ctx = p,
        .area_ok = area_ok,
        .area_ctx = API(req),
        .batch = 1000,
    };
    rc = import_households(API(req)->store, &o, csv_mem_source, &m, &res);
    free(text);
    if (rc != DD_OK) {
        import_result_free(&res);
        api_fail(req, rc, NULL);
        return;
    }
    struct jw w;
    jw_init(&w, 8u << 20);
    put_result(&w, &res);
    import_result_free(&res);
    api_reply_jw(req, 200, &w);
}

/* An export for api_reply_export: the households written and their
 * rows. */
struct export_job {
    struct store *store;
    const struct export_opts *o;
    int64_t households, rows;
};

/* The audit detail's own fields: the filter and the counts. */
static void
export_fields(void *ctx, struct jw *w)
{
    struct export_job *j = ctx;
    jw_str(w, "region", j->o->region_prefix);
    jw_bool(w, "unmask", j->o->unmask);
    jw_int(w, "households", j->households);
    jw_int(w, "rows", j->rows);
}

/* A region filter must meet the caller's scope: lie inside it, or hold
 * part of it (the export is then that part). */
static int
holds_scope(const struct principal *p, const char *region)
{
    for (size_t i = 0; i < p->prefix_count; i++)
        if (strncmp(p->prefixes[i], region, strlen(region)) == 0)
            return 1;
    return 0;
}

static enum dd_status
export_to_xlsx(void *ctx, const char *path)
{
    struct export_job *j = ctx;
    struct export_xlsx *x = export_xlsx_open(path);
    enum dd_status rc = x ? export_households(j->store, j->o, export_xlsx_row,
                                              x, &j->households, &j->rows)
                          : DD_EINTERNAL;
    enum dd_status crc = export_xlsx_close(x);
    return rc == DD_OK ? crc : rc;
}

static enum dd_status
export_to_csv(void *ctx, FILE *f)
{
    struct export_job *j = ctx;
    return export_households(j->store, j->o, export_csv_row, f, &j->households,
                             &j->rows);
}

/* GET /api/v1/exports/households?region=PREFIX&format=csv|xlsx */
static void
export_get(struct http_request *req)
{
    const char *region = http_query(req, "region");
    const char *format = http_query(req, "format");
    enum dd_status rc;
    int xlsx;

    /* a department officer sees households only through its referrals,
     * one by one: never a bulk export */
    if (PRINCIPAL(req)->role == ROLE_DEPT_OFFICER) {
        api_error(req, 403, "FORBIDDEN", NULL, "your role may not do this",
                  "您的角色无权执行此操作");
        return;
    }
    if (!format)
        format = "csv";
    xlsx = strcmp(format, "xlsx") == 0;
    if (!xlsx && strcmp(format, "csv") != 0) {
        api_error(req, 400, "INVALID_PARAMETER", "format",
                  "format is csv or xlsx", "format 须为 csv 或 xlsx");
        return;
    }
    /* any other region is out of scope: 404, as every read outside it,
     * not an empty file */
    if (region && !holds_scope(PRINCIPAL(req), region) &&
        api_authorise(req, AUTHZ_HOUSEHOLD_READ, region, NULL))
        return;
    struct export_opts o = {
        .keys = API(req)->pii,
        .region_prefix = region ? region : "",
        .unmask = 0,
        .in_scope = principal_scope,
        .scope_ctx = PRINCIPAL(req),
    };
    struct export_job job = {API(req)->store, &o, 0, 0};
    const struct api_export_audit audit = {"export.households", region,
                                           export_fields};
    rc = api_reply_export(req, xlsx, "households", export_to_xlsx,
                          export_to_csv, &job, &audit);
    if (rc != DD_OK)
        api_fail(req, rc, NULL);
}

static const struct param_spec export_query[] = {
    {"region", PARAM_REGION, 0, 12, 0, 0},
    {"format", PARAM_STRING, 0, 4, 0, 0},
    {NULL, 0, 0, 0, 0, 0},
};

/* clang-format off: one route per line */
static const struct route routes[] = {
    {"POST", "/api/v1/imports", NULL, api_no_query, AUTHZ_HOUSEHOLD_WRITE, ROUTE_BODY | ROUTE_HEAVY | ROUTE_UPLOAD, import_post, "import households from a CSV body (text/csv, UTF-8 or GB18030)"},
    {"GET", "/api/v1/exports/households", NULL, export_query, AUTHZ_HOUSEHOLD_READ, ROUTE_HEAVY, export_get, "households in scope as CSV or xlsx, ID numbers masked"},
};
/* clang-format on */

const struct route_table api_import_routes = {
    "imports", routes, sizeof(routes) / sizeof(routes[0]),
};
