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
    snprintf(g.body, sizeof(g.body), "%.*s", (int)req.resp_len,
             req.resp_body);
    arena_free(req.arena);
    return g;
}

TEST_CASE(test_wants)
{
    struct http_request r = {0};
    r.method = "GET";
    r.path = "/cases/12";
    assert_true(http_static_wants(&r));
    r.path = "/";
    assert_true(http_static_wants(&r));
    r.path = "/api/v1/session";
    assert_false(http_static_wants(&r));
    r.path = "/api";
    assert_false(http_static_wants(&r));
    r.path = "/healthz";
    assert_false(http_static_wants(&r));
    r.path = "/metrics";
    assert_false(http_static_wants(&r));
    r.path = "/version";
    assert_false(http_static_wants(&r));
    r.path = "/apiary"; /* only the /api segment is the API's */
    assert_true(http_static_wants(&r));
    r.method = "POST";
    r.path = "/cases/12";
    assert_false(http_static_wants(&r));
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

static void
test_files_and_fallback(void **state)
{
    struct http_static *st;
    (void)state;
    assert_int_equal(http_static_open(web, &st), DD_OK);

    struct got g = get(st, "GET", "/");
    assert_int_equal(g.status, 200);
    assert_string_equal(g.type, "text/html; charset=utf-8");
    assert_string_equal(g.cache, "no-store");
    assert_non_null(strstr(g.body, "id=app"));

    g = get(st, "GET", "/assets/index-abc123.js");
    assert_int_equal(g.status, 200);
    assert_string_equal(g.type, "text/javascript; charset=utf-8");
    assert_string_equal(g.cache, "public, max-age=31536000, immutable");
    assert_string_equal(g.body, "console.log(1)");

    g = get(st, "HEAD", "/assets/index-abc123.css");
    assert_int_equal(g.status, 200);
    assert_string_equal(g.type, "text/css; charset=utf-8");

    g = get(st, "GET", "/favicon.svg");
    assert_int_equal(g.status, 200);
    assert_string_equal(g.type, "image/svg+xml");
    assert_string_equal(g.cache, "no-cache");

    /* history routing: any app path is index.html */
    g = get(st, "GET", "/cases/42/timeline");
    assert_int_equal(g.status, 200);
    assert_string_equal(g.cache, "no-store");
    assert_non_null(strstr(g.body, "id=app"));
    g = get(st, "GET", "/assets");
    assert_int_equal(g.status, 404); /* the assets directory itself */

    /* a missing asset or file is 404, not the page */
    g = get(st, "GET", "/assets/index-gone.js");
    assert_int_equal(g.status, 404);
    assert_non_null(strstr(g.body, "NOT_FOUND"));
    g = get(st, "GET", "/robots.txt");
    assert_int_equal(g.status, 404);
    http_static_free(st);
}

static void
test_escapes(void **state)
{
    struct http_static *st;
    (void)state;
    assert_int_equal(http_static_open(web, &st), DD_OK);
    struct got g = get(st, "GET", "/../secret.txt");
    assert_int_equal(g.status, 404);
    g = get(st, "GET", "/assets/../../secret.txt");
    assert_int_equal(g.status, 404);
    g = get(st, "GET", "/leak.txt"); /* symlink to a file outside */
    assert_int_equal(g.status, 404);
    assert_null(strstr(g.body, "the key"));
    g = get(st, "GET", "/up/secret.txt"); /* symlinked directory */
    assert_int_equal(g.status, 404);
    assert_null(strstr(g.body, "the key"));
    g = get(st, "GET", "/assets\\..\\..\\secret.txt");
    assert_int_equal(g.status, 404);
    http_static_free(st);
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
