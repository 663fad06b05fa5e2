/* SPDX-License-Identifier: MIT */
/* One HTTP request as the handlers see it: method, path, query, headers,
 * cookies, body, and the response being built. Everything a request
 * allocates lives in its arena and dies with it. */
#ifndef DD_HTTP_REQUEST_H
#define DD_HTTP_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/status.h"

#define HTTP_MAX_PATH_PARAMS 4
#define HTTP_MAX_RESP_HEADERS 8

struct route;

struct http_request {
    struct arena *arena;
    void *conn;   /* struct MHD_Connection, opaque above http/ */
    void *server; /* struct http_server, opaque above http/ */
    const char *method;
    const char *path; /* without the query string */
    char request_id[40];
    char client_addr[64];
    uint64_t start_us;
    struct buf body;
    int body_too_big;
    /* set by http_defer: the handler a heavy worker runs */
    void (*deferred)(struct http_request *req);

    /* set by the router */
    const struct route *route;
    const char *path_params[HTTP_MAX_PATH_PARAMS];
    size_t path_param_count;

    void *app;        /* the application's context */
    int metrics_slot; /* set by the application; -1 when unmatched */

    /* set by the application: who is asking (for the access log) */
    const char *actor;
    void *principal;
    /* set by the application: the transaction the request holds open,
     * opaque here; the application ends it after its handler */
    void *app_tx;

    /* the response */
    int status;
    const char *content_type;
    const char *resp_body;
    size_t resp_len;
    int resp_fd; /* >= 0: the body is this file's resp_len bytes instead */
    const char *resp_headers[HTTP_MAX_RESP_HEADERS][2];
    size_t resp_header_count;
    int replied;
};

const char *http_query(struct http_request *req, const char *name);
const char *http_header(struct http_request *req, const char *name);
const char *http_cookie(struct http_request *req, const char *name);
/* Calls fn for every query argument; stops at a non-zero return and
 * returns it. */
typedef int (*http_query_fn)(const char *name, const char *value, void *ctx);
int http_query_each(struct http_request *req, http_query_fn fn, void *ctx);

/* Adds a response header; name and value must outlive the request (static
 * or arena). Returns DD_ENOMEM when the header table is full. */
enum dd_status http_set_header(struct http_request *req, const char *name,
                               const char *value) DD_WUR;
/* Sets the response; body must outlive the request (static or arena). */
void http_reply(struct http_request *req, int status, const char *content_type,
                const char *body, size_t len);
void http_reply_json(struct http_request *req, int status, const char *json);
/* Sets the response to the first len bytes of the open file fd, sent
 * from the file as the client reads (a bank file of a million lines is
 * never held in memory). fd stays the caller's: it must stay open until
 * the request ends (an arena cleanup that closes it). */
void http_reply_file(struct http_request *req, int status,
                     const char *content_type, int fd, size_t len);
/* Runs fn(req) on the heavy pool (http/heavy.h), off the threads that
 * serve every other request and /healthz: the connection waits,
 * suspended, and the reply fn makes is sent when it returns. When the
 * pool is full, replies 503 SERVER_BUSY with Retry-After instead. Either
 * way, the caller must not touch req afterwards. */
void http_defer(struct http_request *req, void (*fn)(struct http_request *req));
/* The error envelope {"error":{code,message,message_zh,field}} and the
 * request id. */
void http_reply_error(struct http_request *req, int status,
                      const struct dd_error *err);

#endif
