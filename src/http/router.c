/* SPDX-License-Identifier: MIT */
/* Route matching by segments, and parameter validation. */
#include "http/router.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"

/* Matches path against pattern segment by segment; {x} matches one
 * non-empty segment. Captures go into req. */
static int
match(const char *pattern, const char *path, struct http_request *req)
{
    size_t n = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p == '{') {
            const char *end = strchr(s, '/');
            size_t len = end ? (size_t)(end - s) : strlen(s);
            if (len == 0 || n >= HTTP_MAX_PATH_PARAMS)
                return 0;
            req->path_params[n++] = arena_strndup(req->arena, s, len);
            s += len;
            p = strchr(p, '}');
            if (!p)
                return 0;
            p++;
        } else if (*p == *s) {
            p++;
            s++;
        } else {
            return 0;
        }
    }
    if (*p || *s)
        return 0;
    req->path_param_count = n;
    return 1;
}

enum router_result
router_match(const struct route_table *tables, size_t ntables,
             struct http_request *req)
{
    int path_seen = 0;
    for (size_t t = 0; t < ntables; t++) {
        for (size_t i = 0; i < tables[t].count; i++) {
            const struct route *r = &tables[t].routes[i];
            if (!match(r->pattern, req->path, req))
                continue;
            path_seen = 1;
            /* HEAD is GET without the body (libmicrohttpd drops it) */
            if (strcmp(r->method, req->method) == 0 ||
                (strcmp(req->method, "HEAD") == 0 &&
                 strcmp(r->method, "GET") == 0)) {
                req->route = r;
                return ROUTER_FOUND;
            }
        }
    }
    req->path_param_count = 0;
    return path_seen ? ROUTER_BAD_METHOD : ROUTER_NOT_FOUND;
}

static int
all_chars(const char *s, const char *allowed)
{
    return s[strspn(s, allowed)] == '\0';
}

enum dd_status
param_check(const struct param_spec *spec, const char *v, struct dd_error *err)
{
    size_t len = strlen(v);
    err->field = spec->name;
    err->code = "INVALID_PARAMETER";
    if (spec->max_len && len > spec->max_len) {
        err->message = "the parameter is too long";
        err->message_zh = "参数过长";
        return DD_EINVAL;
    }
    switch (spec->type) {
    case PARAM_STRING: return DD_OK;
    case PARAM_INT: {
        char *end;
        errno = 0;
        long long n = strtoll(v, &end, 10);
        if (len == 0 || errno || *end || !all_chars(v, "-0123456789")) {
            err->message = "the parameter must be an integer";
            err->message_zh = "参数必须是整数";
            return DD_EINVAL;
        }
        if (n < spec->min || n > spec->max) {
            err->message = "the parameter is outside its allowed range";
            err->message_zh = "参数超出允许范围";
            return DD_EINVAL;
        }
        return DD_OK;
    }
    case PARAM_DATE: {
        int64_t t;
        if (time_parse_iso8601(v, &t) != 0) {
            err->message = "the parameter must be a date YYYY-MM-DD or a "
                           "time YYYY-MM-DDTHH:MM:SSZ";
            err->message_zh = "参数必须是日期 YYYY-MM-DD 或时间 "
                              "YYYY-MM-DDTHH:MM:SSZ";
            return DD_EINVAL;
        }
        return DD_OK;
    }
    case PARAM_REGION:
        if (!all_chars(v, "0123456789") ||
            (len != 2 && len != 6 && len != 9 && len != 12)) {
            err->code = "INVALID_REGION_CODE";
            err->message = "a region code has 2, 6, 9 or 12 digits";
            err->message_zh = "行政区划代码应为 2、6、9 或 12 位数字";
            return DD_EINVAL;
        }
        return DD_OK;
    case PARAM_DIGITS:
        if (len == 0 || !all_chars(v, "0123456789")) {
            err->message = "the parameter must be digits";
            err->message_zh = "参数必须是数字";
            return DD_EINVAL;
        }
        return DD_OK;
    case PARAM_NAME:
        if (len == 0 ||
            !all_chars(v, "abcdefghijklmnopqrstuvwxyz0123456789._-")) {
            err->message = "the parameter may hold only a-z, 0-9, '.', '_' "
                           "and '-'";
            err->message_zh = "参数只能包含小写字母、数字、点、下划线和连字符";
            return DD_EINVAL;
        }
        return DD_OK;
    }
    return DD_EINVAL;
}

struct query_ctx {
    const struct route *route;
    struct dd_error *err;
    struct arena *arena;
    enum dd_status rc;
    uint64_t seen; /* bit i: route->query[i] was given */
};

static int
check_query_arg(const char *name, const char *value, void *cls)
{
    struct query_ctx *c = cls;
    const struct param_spec *q = c->route->query;
    for (size_t i = 0; q && q[i].name; i++) {
        if (strcmp(q[i].name, name) != 0)
            continue;
        /* ?limit=1&limit=2: which one counts would depend on the reader,
         * and a filter checked on one copy could be applied from the
         * other */
        uint64_t bit = i < 64 ? (uint64_t)1 << i : 0;
        if (c->seen & bit) {
            c->err->field = q[i].name;
            c->err->code = "DUPLICATE_PARAMETER";
            c->err->message = "this query parameter is given more than once";
            c->err->message_zh = "查询参数重复出现";
            c->rc = DD_EINVAL;
            return 1;
        }
        c->seen |= bit;
        c->rc = param_check(&q[i], value ? value : "", c->err);
        return c->rc != DD_OK;
    }
    c->err->field = arena_strdup(c->arena, name);
    c->err->code = "UNKNOWN_PARAMETER";
    c->err->message = "this query parameter is not accepted here";
    c->err->message_zh = "不接受此查询参数";
    c->rc = DD_EINVAL;
    return 1;
}

enum dd_status
router_validate(struct http_request *req, struct dd_error *err)
{
    const struct route *r = req->route;
    enum dd_status rc;
    for (size_t i = 0; i < req->path_param_count; i++) {
        rc = param_check(&r->path[i], req->path_params[i], err);
        if (rc != DD_OK)
            return rc;
    }
    struct query_ctx c = {r, err, req->arena, DD_OK, 0};
    http_query_each(req, check_query_arg, &c);
    if (c.rc != DD_OK)
        return c.rc;
    for (const struct param_spec *q = r->query; q && q->name; q++) {
        if (q->required && !http_query(req, q->name)) {
            err->field = q->name;
            err->code = "MISSING_PARAMETER";
            err->message = "this query parameter is required";
            err->message_zh = "缺少必填的查询参数";
            return DD_EINVAL;
        }
    }
    return DD_OK;
}

const char *
router_path_param(struct http_request *req, size_t n)
{
    return n < req->path_param_count ? req->path_params[n] : NULL;
}
