/* SPDX-License-Identifier: MIT */
/* Request accessors and response builders over libmicrohttpd. */
#include "http/request.h"

#include <microhttpd.h>
#include <string.h>

#include "json/json_error.h"

const char *
http_query(struct http_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *
http_header(struct http_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *
http_cookie(struct http_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

struct each_ctx {
    http_query_fn fn;
    void *ctx;
    int rc;
};

static enum MHD_Result
each_arg(void *cls, enum MHD_ValueKind kind, const char *key,
         const char *value)
{
    struct each_ctx *c = cls;
    (void)kind;
    c->rc = c->fn(key, value, c->ctx);
    return c->rc ? MHD_NO : MHD_YES;
}

int
http_query_each(struct http_request *req, http_query_fn fn, void *ctx)
{
    struct each_ctx c = {fn, ctx, 0};
    MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, each_arg, &c);
    return c.rc;
}

enum dd_status
http_set_header(struct http_request *req, const char *name, const char *value)
{
    if (req->resp_header_count >= HTTP_MAX_RESP_HEADERS)
        return DD_ENOMEM;
    req->resp_headers[req->resp_header_count][0] = name;
    req->resp_headers[req->resp_header_count][1] = value;
    req->resp_header_count++;
    return DD_OK;
}

void
http_reply(struct http_request *req, int status, const char *content_type,
           const char *body, size_t len)
{
    req->status = status;
    req->content_type = content_type;
    req->resp_body = body;
    req->resp_len = len;
    req->resp_fd = -1;
    req->replied = 1;
}

void
http_reply_file(struct http_request *req, int status, const char *content_type,
                int fd, size_t len)
{
    http_reply(req, status, content_type, NULL, len);
    req->resp_fd = fd;
}

void
http_reply_json(struct http_request *req, int status, const char *json)
{
    http_reply(req, status, "application/json; charset=utf-8", json,
               strlen(json));
}

void
http_reply_error(struct http_request *req, int status,
                 const struct dd_error *err)
{
    char *body = json_error_envelope(req->arena, err, req->request_id);
    if (!body)
        body = "{\"error\":{\"code\":\"OUT_OF_MEMORY\",\"message\":\"out of "
               "memory\",\"message_zh\":\"内存不足\",\"field\":null}}";
    http_reply_json(req, status, body);
}
