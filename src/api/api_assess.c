/* SPDX-License-Identifier: MIT */
/* The anonymous self-check calculator: a household described without
 * identity is assessed for every program with the policy in force on a
 * date for its region. Nothing is stored and no audit row is written (no
 * personal data is held); requests are rate-limited per client address.
 * The policy table is the API's in-memory copy, read under its lock. */
#include "api/api_internal.h"

#include <string.h>
#include <time.h>

#include "assess/assess.h"
#include "core/timeutil.h"
#include "json/json_assess.h"

/* The work of one request, allocated in its arena (a household and two
 * explanations are tens of KiB: too much for a thread's stack habits). */
struct calc {
    struct household h;
    struct assess_params p;
    struct assess_result r;
    struct explain ex[ASSESS__COUNT];
};

static void
invalid_household(struct http_request *req)
{
    api_error(req, 400, "INVALID_HOUSEHOLD", NULL,
              "the household is inconsistent (members, relations, dates or "
              "amounts)",
              "家庭情况前后不一致（成员、关系、日期或金额）");
}

/* POST /api/v1/calculator?as_of=YYYY-MM-DD */
static void
calculator(struct http_request *req)
{
    struct api *a = API(req);
    struct dd_error err = {0};
    struct civil_day today;
    char region[JSON_ASSESS_REGION_LEN];
    enum area_setting setting;
    int y, m, d;

    /* every request counts, valid or not: the limit protects the CPU */
    if (!ratelimit_take(a->calculator_limit, req->client_addr, time_now())) {
        api_error(req, 429, "TOO_MANY_REQUESTS", NULL,
                  "too many calculations from this address; wait a minute",
                  "此地址计算请求过多，请一分钟后再试");
        return;
    }
    const char *as_of;
    if (api_assess_date(req, &today, &as_of, &y, &m, &d))
        return;
    if (api_content_type(req, "application/json"))
        return;
    struct calc *c = api_alloc(req, sizeof(*c));
    if (!c)
        return;
    enum dd_status rc =
        json_decode_household(req->arena, req->body.data ? req->body.data : "",
                              req->body.len, y, m, d, &c->h, region, &setting,
                              &err);
    if (rc != DD_OK) {
        api_fail(req, rc, rc == DD_EINVAL ? &err : NULL);
        return;
    }
    /* 9- and 12-digit codes must be known too; 6 digits name the county */
    if (api_region_find(a, region) < 0) {
        api_error(req, 400, "REGION_NOT_FOUND", "region_code",
                  "no region of Chongqing has this code",
                  "重庆市没有此行政区划代码");
        return;
    }
    /* the county a "district" household follows (§7.1): a real one */
    if (api_region_find(a, c->h.hukou_county) < 0) {
        api_error(req, 400, "REGION_NOT_FOUND", "county_code",
                  "no county of Chongqing has this code",
                  "重庆市没有此区县代码");
        return;
    }
    if (dibao_household_validate(&c->h, y, m, d) != DD_OK) {
        invalid_household(req);
        return;
    }

    pthread_rwlock_rdlock(&a->policy_lock);
    rc = assess_params_resolve(a->policy, region, y, m, d, &c->p, &err);
    if (rc == DD_OK) /* urban or rural: the household's or its county's */
        rc = assess_area_resolve(a->policy, c->h.hukou_county, y, m, d,
                                 setting, &c->p, &c->h, &err);
    pthread_rwlock_unlock(&a->policy_lock);
    if (rc == DD_ENOTFOUND) {
        /* a date before the policy table covers, or a key not yet set */
        api_error(req, 422, err.code, err.field, err.message, err.message_zh);
        return;
    }
    if (rc != DD_OK) {
        api_fail(req, rc, rc == DD_EINVAL ? &err : NULL);
        return;
    }

    struct explain *ex[ASSESS__COUNT];
    for (int i = 0; i < ASSESS__COUNT; i++)
        ex[i] = &c->ex[i];
    rc = assess_household(&c->h, &c->p, y, m, d, &c->r, ex);
    if (rc == DD_EINVAL) {
        invalid_household(req);
        return;
    }
    if (api_check(req, rc, NULL))
        return;
    api_reply(req, 200,
              json_encode_assessment(req->arena, as_of, region, &c->r, ex));
}

static const struct param_spec calculator_query[] = {
    {"as_of", PARAM_DATE, 0, 10, 0, 0},
    {NULL, 0, 0, 0, 0, 0},
};

/* clang-format off: one route per line */
static const struct route routes[] = {
    {"POST", "/api/v1/calculator", NULL, calculator_query, AUTHZ_PUBLIC, ROUTE_PUBLIC | ROUTE_BODY, calculator, "anonymous self-check: assess a described household (nothing stored)"},
};
/* clang-format on */

const struct route_table api_assess_routes = {
    "assess", routes, sizeof(routes) / sizeof(routes[0])};
