/* SPDX-License-Identifier: MIT */
/* The HTTP server: libmicrohttpd in epoll thread-pool mode. It caps
 * connections in all and per peer address, closes silent ones, reads the
 * request (capping the body), hands the whole request to one handler
 * (which may pass heavy work to the heavy pool, http_defer),
 * sends the reply with the security headers and the request id, writes the
 * access log line and the metrics, and frees the request's arena. */
#ifndef DD_HTTP_SERVER_H
#define DD_HTTP_SERVER_H

#include <stddef.h>

#include "core/status.h"
#include "http/request.h"

typedef void (*http_handler_fn)(struct http_request *req, void *ctx);

struct http_server_config {
    const char *listen; /* "127.0.0.1:8080" */
    int threads;
    size_t body_limit;
    size_t upload_limit; /* the body of a route that takes a file */
    int connection_limit;
    int connections_per_address;    /* from one peer address; 0: no cap */
    int read_timeout_s;             /* silence that closes a connection */
    int heavy_workers, heavy_queue; /* the heavy pool (http_defer) */
    const char *trusted_proxy;      /* addresses whose X-Forwarded-For counts */
    size_t arena_cap; /* per-request memory cap */
    const char *web_dir; /* the built UI served on GET (NULL: none) */
    http_handler_fn handler;
    void *ctx;
    /* Whether req (method and path known, nothing else) goes to a route
     * that takes a file as its body (ROUTE_UPLOAD): its body may reach
     * upload_limit instead of body_limit. NULL: no route does. */
    int (*takes_upload)(struct http_request *req, void *ctx);
};

struct http_server;

enum dd_status http_server_start(const struct http_server_config *cfg,
                                 struct http_server **out) DD_WUR;
int http_server_port(const struct http_server *srv);
/* Stops accepting, waits up to timeout_ms for in-flight requests to
 * finish, then stops. */
void http_server_stop(struct http_server *srv, int timeout_ms);

#endif
