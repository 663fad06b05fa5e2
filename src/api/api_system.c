/* SPDX-License-Identifier: MIT */
/* Operations endpoints: /healthz (checks the database), /metrics
 * (Prometheus), /version (a static reply, also the benchmark baseline),
 * and the landing page at / until the web UI is built. */
#include "api/api_internal.h"

#include <stdio.h>
#include <string.h>

#include "http/metrics.h"

static void
healthz(struct http_request *req)
{
    struct store_tx *tx;
    enum dd_status rc = api_tx_begin(req, STORE_READ, &tx);
    if (rc == DD_OK)
        rc = store_ping(tx);
    if (rc != DD_OK) {
        http_reply_json(req, 503,
                        "{\"status\":\"unavailable\",\"database\":\"down\"}");
        return;
    }
    http_reply_json(req, 200, "{\"status\":\"ok\",\"database\":\"up\"}");
}

static void
metrics(struct http_request *req)
{
    struct buf b;
    struct store_pool_stats ps;
    buf_init(&b, 1 << 20);
    store_pool_stats(API(req)->store, &ps);
    enum dd_status rc = metrics_render(&b);
    if (rc == DD_OK)
        rc = buf_printf(&b,
                        "# HELP doudi_db_pool_connections DB connections.\n"
                        "# TYPE doudi_db_pool_connections gauge\n"
                        "doudi_db_pool_connections{state=\"in_use\"} %d\n"
                        "doudi_db_pool_connections{state=\"size\"} %d\n"
                        "# HELP doudi_db_pool_waits_total Acquisitions that "
                        "waited for a connection.\n"
                        "# TYPE doudi_db_pool_waits_total counter\n"
                        "doudi_db_pool_waits_total %llu\n",
                        ps.in_use, ps.size, (unsigned long long)ps.waits);
    char *text = rc == DD_OK ? arena_strndup(req->arena, b.data, b.len) : NULL;
    buf_free(&b);
    if (!text) {
        api_fail(req, DD_ENOMEM, NULL);
        return;
    }
    http_reply(req, 200, "text/plain; version=0.0.4; charset=utf-8", text,
               strlen(text));
}

static void
version(struct http_request *req)
{
    http_reply_json(req, 200,
                    "{\"name\":\"doudi\",\"version\":\"" DOUDI_VERSION "\"}");
}

static const char landing[] =
    "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
    "<title>兜底 Doudi</title></head><body>"
    "<h1>兜底 Doudi 综合救助信息系统</h1>"
    "<p>The API is served under <code>/api/v1</code>. "
    "Sign in with <code>POST /api/v1/session</code>; see "
    "docs/api/openapi.yaml.</p>"
    "<p>接口位于 <code>/api/v1</code>。</p></body></html>";

static void
index_page(struct http_request *req)
{
    http_reply(req, 200, "text/html; charset=utf-8", landing,
               sizeof(landing) - 1);
}

/* clang-format off: one route per line */
static const struct route routes[] = {
    {"GET", "/healthz", NULL, api_no_query, AUTHZ_PUBLIC, ROUTE_PUBLIC, healthz, "liveness and database check"},
    {"GET", "/metrics", NULL, api_no_query, AUTHZ_PUBLIC, ROUTE_PUBLIC, metrics, "Prometheus metrics"},
    {"GET", "/version", NULL, api_no_query, AUTHZ_PUBLIC, ROUTE_PUBLIC, version, "name and version (a static reply)"},
    {"GET", "/", NULL, api_no_query, AUTHZ_PUBLIC, ROUTE_PUBLIC, index_page, "landing page"},
};
/* clang-format on */

const struct route_table api_system_routes = {
    "system", routes, sizeof(routes) / sizeof(routes[0])};
