/* SPDX-License-Identifier: MIT */
/* Serving the built web UI: content types, cache headers (hashed assets a
 * year, index.html no-store), the history fallback to index.html, 404 for
 * missing assets, and ".." and symlink escapes refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "text_file.h"

#include "unit_main.h"

#include "core/arena.h"
#include "http/request.h"
#include "http/static.h"

static char root[256], web[300], outside[300];

static void
put(const char *path, const char *text)
{
    text_put(path, text);
}

static int
setup(void **state)
{
    char p[512];
    (void)state;
    snprintf(root, sizeof(root), "/tmp/doudi-static-XXXXXX");
    if (!mkdtemp(root))
        return -1;
    snprintf(web, sizeof(web), "%s/dist", root);
    snprintf(outside, sizeof(outside), "%s/secret.txt", root);
    mkdir(web, 0700);
    snprintf(p, sizeof(p), "%s/assets", web);
    mkdir(p, 0700);
    snprintf(p, sizeof(p), "%s/index.html", web);
    put(p, "<!doctype html><div id=app></div>");
    snprintf(p, sizeof(p), "%s/assets/index-abc123.js", web);
    put(p, "console.log(1)");
    snprintf(p, sizeof(p), "%s/assets/index-abc123.css", web);
    put(p, "body{}");
    snprintf(p, sizeof(p), "%s/favicon.svg", web);
    put(p, "<svg/>");
    put(outside, "the key");
    snprintf(p, sizeof(p), "%s/leak.txt", web);
    if (symlink(outside, p) != 0)
        return -1;
    snprintf(p, sizeof(p), "%s/up", web);
    if (symlink(root, p) != 0)
        return -1;
    return 0;
}

static int
teardown(void **state)
{
    char cmd[600];
    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

struct got {
    int status;
    char type[64];
    char cache[64];
    char body[256];
};

static struct got
get(struct http_static *st, const char *method, const char *path)
{
    struct got g = {0};
    struct http_request req = {0};
    req.arena = arena_new(1 << 20);
    assert_non_null(req.arena);
    req.method = method;
    req.path = path;
    assert_true(http_static_wants(&req));
    http_static_serve(st, &req);
    assert_true(req.replied);
    g.status = req.status;
    snprintf(g.type, sizeof(g.type), "%s", req.content_type);
    for (size_t i = 0; i < req.resp_header_count; i++)
        if (strcmp(req.resp_headers[i][0], "Cache-Control") == 0)
            snprintf(g.cache, sizeof(g.cache), "%s", req.resp_headers[i][1]);
    snprintf(g.body, sizeof(g.body), "%.*s", (int)req.resp_len, req.resp_body);
    arena_free(req.arena);
    return g;
}

TEST_CASE(test_wants)
{
    /* clang-format off */
    static const struct {
        const char *method, *path;
        int wants;
    } rows[] = {
        {"GET", "/cases/12", 1}, {"GET", "/", 1},
        {"GET", "/api/v1/session", 0}, {"GET", "/api", 0},
        {"GET", "/healthz", 0}, {"GET", "/metrics", 0}, {"GET", "/version", 0},
        {"GET", "/apiary", 1}, /* only the /api segment is the API's */
        {"POST", "/cases/12", 0},
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct http_request r = {0};
        r.method = rows[i].method;
        r.path = rows[i].path;
        if (!http_static_wants(&r) != !rows[i].wants)
            fail_msg("%s %s: wants %d, want %d", r.method, r.path,
                     http_static_wants(&r), rows[i].wants);
    }
}

static void
test_open(void **state)
{
    struct http_static *st;
    (void)state;
    assert_int_equal(http_static_open(root, &st), DD_ENOTFOUND); /* no index */
    assert_int_equal(http_static_open("/nonexistent/web", &st), DD_ENOTFOUND);
    assert_int_equal(http_static_open("", &st), DD_ENOTFOUND);
    assert_int_equal(http_static_open(web, &st), DD_OK);
    http_static_free(st);
    http_static_free(NULL);
}

/* A request and what its answer must be: NULL (or status 0) not checked;
 * has is a substring of the body, is the whole body, lacks is not in it. */
struct fetch {
    const char *method, *path;
    int status;
    const char *type, *cache, *has, *is, *lacks;
};

/* Each fetch of rows[0 .. n) served by a fresh http_static on web; a
 * difference fails naming the request. */
static void
fetch_rows(const struct fetch *rows, size_t n)
{
    struct http_static *st;
    assert_int_equal(http_static_open(web, &st), DD_OK);
    for (size_t i = 0; i < n; i++) {
        const struct fetch *w = &rows[i];
        struct got g = get(st, w->method, w->path);
        const char *bad = NULL;
        if (w->status && g.status != w->status)
            bad = "status";
        else if (w->type && strcmp(g.type, w->type) != 0)
            bad = "type";
        else if (w->cache && strcmp(g.cache, w->cache) != 0)
            bad = "cache";
        else if (w->has && !strstr(g.body, w->has))
            bad = "has";
        else if (w->is && strcmp(g.body, w->is) != 0)
            bad = "is";
        else if (w->lacks && strstr(g.body, w->lacks))
            bad = "lacks";
        if (bad)
            fail_msg("%s %s: %s differs (got %d, \"%s\", \"%s\", \"%s\")",
                     w->method, w->path, bad, g.status, g.type, g.cache,
                     g.body);
    }
    http_static_free(st);
}

/* clang-format off */
static const struct fetch files_and_fallback[] = {
    {"GET", "/", 200, "text/html; charset=utf-8", "no-store", "id=app", NULL, NULL},
    {"GET", "/assets/index-abc123.js", 200, "text/javascript; charset=utf-8",
     "public, max-age=31536000, immutable", NULL, "console.log(1)", NULL},
    {"HEAD", "/assets/index-abc123.css", 200, "text/css; charset=utf-8", NULL, NULL, NULL, NULL},
    {"GET", "/favicon.svg", 200, "image/svg+xml", "no-cache", NULL, NULL, NULL},
    /* history routing: any app path is index.html */
    {"GET", "/cases/42/timeline", 200, NULL, "no-store", "id=app", NULL, NULL},
    {"GET", "/assets", 404, NULL, NULL, NULL, NULL, NULL}, /* the assets directory itself */
    /* a missing asset or file is 404, not the page */
    {"GET", "/assets/index-gone.js", 404, NULL, NULL, "NOT_FOUND", NULL, NULL},
    {"GET", "/robots.txt", 404, NULL, NULL, NULL, NULL, NULL},
};

static const struct fetch escapes[] = {
    {"GET", "/../secret.txt", 404, NULL, NULL, NULL, NULL, NULL},
    {"GET", "/assets/../../secret.txt", 404, NULL, NULL, NULL, NULL, NULL},
    {"GET", "/leak.txt", 404, NULL, NULL, NULL, NULL, "the key"}, /* symlink to a file outside */
    {"GET", "/up/secret.txt", 404, NULL, NULL, NULL, NULL, "the key"}, /* symlinked directory */
    {"GET", "/assets\\..\\..\\secret.txt", 404, NULL, NULL, NULL, NULL, NULL},
};
/* clang-format on */

TEST_CASE(test_files_and_fallback)
{
    fetch_rows(files_and_fallback,
               sizeof(files_and_fallback) / sizeof(files_and_fallback[0]));
}

TEST_CASE(test_escapes)
{
    fetch_rows(escapes, sizeof(escapes) / sizeof(escapes[0]));
}

TEST_CASE(test_types)
{
    assert_string_equal(http_static_type("a/b.woff2"), "font/woff2");
    assert_string_equal(http_static_type("x.PNG"), "image/png");
    assert_string_equal(http_static_type("x.d/noext"),
                        "application/octet-stream");
    assert_string_equal(http_static_type("x"), "application/octet-stream");
}

UNIT_TESTS(setup, teardown, cmocka_unit_test(test_wants),
           cmocka_unit_test(test_open),
           cmocka_unit_test(test_files_and_fallback),
           cmocka_unit_test(test_escapes), cmocka_unit_test(test_types))
