/* SPDX-License-Identifier: MIT */
/* Route tables. Each resource module declares its routes: method, path
 * pattern with {params}, the query parameters it accepts with their
 * validators, the authorisation action, and the handler. Anything
 * undeclared is rejected with 400 (Kore's validators). */
#ifndef DD_HTTP_ROUTER_H
#define DD_HTTP_ROUTER_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "http/request.h"

enum param_type {
    PARAM_STRING,  /* any text up to max_len bytes */
    PARAM_INT,     /* decimal integer within [min, max] */
    PARAM_DATE,    /* YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ */
    PARAM_REGION,  /* 2, 6, 9 or 12 digits */
    PARAM_DIGITS,  /* 1..max_len digits */
    PARAM_NAME,    /* [a-z0-9._-], 1..max_len */
};

struct param_spec {
    const char *name;
    enum param_type type;
    int required;
    size_t max_len;
    int64_t min, max;
};

enum route_flags {
    ROUTE_PUBLIC = 1u << 0, /* no session needed */
    ROUTE_BODY = 1u << 1,   /* takes a JSON body */
    ROUTE_HEAVY = 1u << 2,  /* runs on the heavy pool (http_defer) */
    ROUTE_UPLOAD = 1u << 3, /* takes a file as its body, to upload-limit */
};

typedef void (*route_handler_fn)(struct http_request *req);

struct route {
    const char *method;
    const char *pattern; /* "/api/v1/regions/{code}" */
    const struct param_spec *path;  /* one per {param}, in order */
    const struct param_spec *query; /* terminated by {NULL} */
    int action;                     /* authz action, opaque here */
    unsigned flags;
    route_handler_fn handler;
    const char *summary; /* one line, for the route listing */
};

struct route_table {
    const char *resource;
    const struct route *routes;
    size_t count;
};

enum router_result { ROUTER_FOUND, ROUTER_NOT_FOUND, ROUTER_BAD_METHOD };

/* Finds the route for method and path among the tables; on ROUTER_FOUND
 * fills req->route and the raw path parameters. */
enum router_result router_match(const struct route_table *tables,
                                size_t ntables, struct http_request *req);
/* Validates the path and query parameters of req against its route:
 * unknown query parameters, missing required ones and bad values are
 * DD_EINVAL with err naming the parameter. */
enum dd_status router_validate(struct http_request *req,
                               struct dd_error *err) DD_WUR;
/* Checks one value against a spec; used by the router and by handlers. */
enum dd_status param_check(const struct param_spec *spec, const char *value,
                           struct dd_error *err) DD_WUR;
/* The n-th path parameter of the matched route. */
const char *router_path_param(struct http_request *req, size_t n);

#endif
