/* SPDX-License-Identifier: MIT */
/* Regions of Chongqing (city, counties, townships, villages) and the
 * functional zones: reference data every signed-in user may read. */
#include "api/api_internal.h"

#include <stdlib.h>
#include <string.h>

#define PAGE_MAX 500

static void
region_get(struct http_request *req)
{
    struct api *a = API(req);
    long i = api_region_find(a, router_path_param(req, 0));
    if (i < 0) {
        api_error(req, 404, "REGION_NOT_FOUND", "code",
                  "no region has this code", "没有此行政区划代码");
        return;
    }
    http_reply_json(req, 200, a->region_json[i]);
}

static void
region_list(struct http_request *req)
{
    struct store_tx *tx;
    const char *parent = http_query(req, "parent");
    const char *cursor = http_query(req, "cursor");
    const char *limit_s = http_query(req, "limit");
    size_t limit = limit_s ? (size_t)strtoul(limit_s, NULL, 10) : 100;
    size_t n = 0;
    struct region *rs = api_alloc(req, (limit + 1) * sizeof(*rs));
    if (!rs)
        return;
    if (api_begin(req, STORE_READ, &tx))
        return;
    enum dd_status rc =
        store_region_children(tx, parent ? parent : "500000",
                              cursor ? cursor : "", rs, limit + 1, &n);
    if (api_check(req, rc, NULL))
        return;
    const char *next = NULL;
    if (n > limit) {
        n = limit;
        next = rs[n - 1].code;
    }
    const char *body = json_encode_region_list(req->arena, rs, n, next);
    api_reply(req, 200, body);
}

static void
zone_list(struct http_request *req)
{
    struct api *a = API(req);
    const char *body =
        json_encode_zone_list(req->arena, a->zones, a->zone_count);
    api_reply(req, 200, body);
}

static const struct param_spec code_param[] = {
    {"code", PARAM_REGION, 1, 12, 0, 0},
};
static const struct param_spec list_query[] = {
    {"parent", PARAM_REGION, 0, 12, 0, 0},
    {"cursor", PARAM_REGION, 0, 12, 0, 0},
    {"limit", PARAM_INT, 0, 4, 1, PAGE_MAX},
    {NULL, 0, 0, 0, 0, 0},
};

/* clang-format off: one route per line */
static const struct route routes[] = {
    {"GET", "/api/v1/regions/{code}", code_param, api_no_query, AUTHZ_REGION_READ, 0, region_get, "one region by its code"},
    {"GET", "/api/v1/regions", NULL, list_query, AUTHZ_REGION_READ, 0, region_list, "the children of a region (default: the counties)"},
    {"GET", "/api/v1/zones", NULL, api_no_query, AUTHZ_REGION_READ, 0, zone_list, "the functional zones and their townships"},
};
/* clang-format on */

const struct route_table api_region_routes = {
    "regions", routes, sizeof(routes) / sizeof(routes[0])};
