/* SPDX-License-Identifier: MIT */
/* Operations endpoints: /healthz (the store's health), /metrics
 * (Prometheus), /version (a static reply, also the benchmark baseline),
 * and the landing page at / until the web UI is built. */
#include "api/api_internal.h"

#include <stdio.h>
#include <string.h>

#include "http/metrics.h"
#include "json/jw.h"

/* How long /healthz waits for a database connection: a probe answers
 * well within 50 ms, and a pool busy that long is ordinary load. */
#define HEALTH_WAIT_MS 20

/* 200 when the store answers a trivial read, its writes are not failing
 * and its disk has room; else 503 naming each problem. A pool still busy
 * after the probe's wait is a problem only when a request has also timed
 * out waiting for a connection lately: then the database is stuck. */
static void
healthz(struct http_request *req)
{
    static const char *const db_state[] = {"up", "down", "busy"};
    struct store_health h;
    struct jw w;
    store_health(API(req)->store, HEALTH_WAIT_MS, &h);
    int disk_low =
        h.free_bytes >= 0 &&
        h.free_bytes < (int64_t)API(req)->cfg->health_min_free_mb << 20;
    int stuck = h.database == STORE_BUSY && h.pool_timed_out;
    int ok = h.database != STORE_DOWN && !h.writes_failing && !disk_low &&
             !stuck;
    jw_init(&w, 1024);
    jw_obj(&w, NULL);
    jw_str(&w, "status", ok ? "ok" : "unavailable");
    jw_str(&w, "database", db_state[h.database]);
    jw_str(&w, "writes", h.writes_failing ? "failing" : "ok");
    if (h.free_bytes >= 0)
        jw_int(&w, "disk_free_mb", h.free_bytes >> 20);
    jw_obj(&w, "pool");
    jw_int(&w, "in_use", h.pool.in_use);
    jw_int(&w, "open", h.pool.size);
    jw_end(&w);
    jw_arr(&w, "problems");
    if (h.database == STORE_DOWN)
        jw_str(&w, NULL, "database_down");
    if (h.writes_failing)
        jw_str(&w, NULL, "writes_failing");
    if (disk_low)
        jw_str(&w, NULL, "disk_low");
    if (stuck)
        jw_str(&w, NULL, "pool_exhausted");
    jw_end(&w);
    jw_end(&w);
    api_reply_jw(req, ok ? 200 : 503, &w);
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
    if (rc == DD_OK && API(req)->replica) {
        store_pool_stats(API(req)->replica, &ps);
        rc = buf_printf(&b,
                        "# HELP doudi_db_replica_pool_connections Connections "
                        "to the standby the reports read (db-replica).\n"
                        "# TYPE doudi_db_replica_pool_connections gauge\n"
                        "doudi_db_replica_pool_connections{state=\"in_use\"}"
                        " %d\n"
                        "doudi_db_replica_pool_connections{state=\"size\"}"
                        " %d\n",
                        ps.in_use, ps.size);
    }
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
    {"GET", "/healthz", NULL, api_no_query, AUTHZ_PUBLIC, ROUTE_PUBLIC, healthz, "liveness and the store's health (503 naming problems)"},
    {"GET", "/metrics", NULL, api_no_query, AUTHZ_PUBLIC, ROUTE_PUBLIC, metrics, "Prometheus metrics"},
    {"GET", "/version", NULL, api_no_query, AUTHZ_PUBLIC, ROUTE_PUBLIC, version, "name and version (a static reply)"},
    {"GET", "/", NULL, api_no_query, AUTHZ_PUBLIC, ROUTE_PUBLIC, index_page, "landing page"},
};
/* clang-format on */

const struct route_table api_system_routes = {
    "system", routes, sizeof(routes) / sizeof(routes[0])};
