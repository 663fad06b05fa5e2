/* SPDX-License-Identifier: MIT */
/* The router: matching by segments with {param} captures, 404 versus 405,
 * and param_check for every parameter type with good and bad values.
 * router_validate needs a libmicrohttpd connection for the query string,
 * so it is covered by the API tests; its building block is tested here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "unit_main.h"

#include "core/arena.h"
#include "http/request.h"
#include "http/router.h"

static void h(struct http_request *req) { (void)req; }

static const struct param_spec id_p[] = {{"id", PARAM_DIGITS, 1, 18, 0, 0}};
static const struct param_spec two_p[] = {
    {"id", PARAM_DIGITS, 1, 18, 0, 0}, {"tag", PARAM_NAME, 1, 16, 0, 0}};

static const struct route items[] = {
    {"GET", "/x/items", NULL, NULL, 0, 0, h, "list"},
    {"POST", "/x/items", NULL, NULL, 0, ROUTE_BODY, h, "create"},
    {"GET", "/x/items/{id}", id_p, NULL, 0, 0, h, "one"},
    {"DELETE", "/x/items/{id}/tags/{tag}", two_p, NULL, 0, 0, h, "untag"},
    {"GET", "/x/items/special", NULL, NULL, 0, 0, h, "shadowed"},
};
static const struct route others[] = {
    {"GET", "/y", NULL, NULL, 0, 0, h, "y"},
    {"PUT", "/x/items/{id}", id_p, NULL, 0, ROUTE_BODY, h, "replace"},
    {"GET", "/z/{a}/{b}/{c}/{d}/{e}", NULL, NULL, 0, 0, h, "too many"},
};
static const struct route_table tables[] = {
    {"items", items, sizeof(items) / sizeof(items[0])},
    {"others", others, sizeof(others) / sizeof(others[0])},
};

struct fixture {
    struct arena *arena;
    struct http_request req;
};

static int
setup(void **state)
{
    struct fixture *f = test_calloc(1, sizeof(*f));
    f->arena = arena_new(1 << 16);
    if (!f->arena)
        return -1;
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;
    arena_free(f->arena);
    test_free(f);
    return 0;
}

static enum router_result
match(struct fixture *f, const char *method, const char *path,
      size_t ntables)
{
    memset(&f->req, 0, sizeof(f->req));
    f->req.arena = f->arena;
    f->req.method = method;
    f->req.path = path;
    return router_match(tables, ntables, &f->req);
}

/* method path, searched in both tables, is found and routed to route. */
static void
found(struct fixture *f, const char *method, const char *path,
      const struct route *route)
{
    if (match(f, method, path, 2) != ROUTER_FOUND)
        fail_msg("%s '%s' should be found", method, path);
    assert_ptr_equal(f->req.route, route);
}

static void
test_match_found(void **state)
{
    struct fixture *f = *state;
    found(f, "GET", "/x/items", &items[0]);
    assert_int_equal(f->req.path_param_count, 0);
    assert_null(router_path_param(&f->req, 0));

    found(f, "POST", "/x/items", &items[1]);

    found(f, "GET", "/x/items/42", &items[2]);
    assert_int_equal(f->req.path_param_count, 1);
    assert_string_equal(router_path_param(&f->req, 0), "42");
    assert_null(router_path_param(&f->req, 1));

    found(f, "DELETE", "/x/items/7/tags/red-1", &items[3]);
    assert_int_equal(f->req.path_param_count, 2);
    assert_string_equal(router_path_param(&f->req, 0), "7");
    assert_string_equal(router_path_param(&f->req, 1), "red-1");

    /* captures are raw: validation is router_validate's job */
    assert_int_equal(match(f, "GET", "/x/items/not%20digits", 2),
                     ROUTER_FOUND);
    assert_string_equal(router_path_param(&f->req, 0), "not%20digits");

    /* the second table */
    found(f, "GET", "/y", &others[0]);
    found(f, "PUT", "/x/items/9", &others[1]);
    assert_string_equal(router_path_param(&f->req, 0), "9");
}

/* Table order is matching order: the earlier {id} route wins. */
static void
test_match_first_wins(void **state)
{
    struct fixture *f = *state;
    found(f, "GET", "/x/items/special", &items[2]);
    assert_string_equal(router_path_param(&f->req, 0), "special");
}

static void
test_match_not_found(void **state)
{
    struct fixture *f = *state;
    static const char *const paths[] = {
        "/x/items/",         /* an empty segment is no parameter */
        "/x/items/42/",      /* trailing slash */
        "/x/itemsz",         /* longer literal */
        "/x/item",           /* shorter literal */
        "/x",
        "/",
        "",
        "/x/items/1/tags",   /* pattern continues */
        "/x/items/1/tags/",  /* empty last parameter */
        "/x/items//tags/a",  /* empty first parameter */
        "/X/ITEMS",          /* case matters */
        "/z/1/2/3/4/5",      /* more than HTTP_MAX_PATH_PARAMS captures */
    };
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        if (match(f, "GET", paths[i], 2) != ROUTER_NOT_FOUND)
            fail_msg("GET '%s' should be not found", paths[i]);
        assert_int_equal(f->req.path_param_count, 0);
        assert_null(f->req.route);
    }
    /* a route in a table that is not searched */
    assert_int_equal(match(f, "GET", "/y", 1), ROUTER_NOT_FOUND);
}

static void
test_match_bad_method(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(match(f, "PUT", "/x/items", 2), ROUTER_BAD_METHOD);
    assert_null(f->req.route);
    assert_int_equal(f->req.path_param_count, 0);
    assert_int_equal(match(f, "DELETE", "/x/items/42", 2), ROUTER_BAD_METHOD);
    assert_int_equal(f->req.path_param_count, 0);
    assert_int_equal(match(f, "GET", "/x/items/1/tags/a", 2),
                     ROUTER_BAD_METHOD);
    assert_int_equal(match(f, "get", "/x/items", 2), ROUTER_BAD_METHOD);
    assert_int_equal(match(f, "POST", "/y", 2), ROUTER_BAD_METHOD);
    /* PUT /x/items/{id} lives only in the second table */
    assert_int_equal(match(f, "PUT", "/x/items/9", 1), ROUTER_BAD_METHOD);
}

/* param_check ------------------------------------------------------- */

#define S(t, maxlen, mn, mx) {"p", t, 0, maxlen, mn, mx}
#define BAD "INVALID_PARAMETER"

/* Checks each value (NULL after the last) against spec s: code NULL, each
 * passes (DD_OK); else each is DD_EINVAL with field "p", that code and
 * both messages; a failure names the type and the value. */
static void
values_check(const struct param_spec *s, const char *code, ...)
{
    va_list ap;
    va_start(ap, code);
    for (const char *v; (v = va_arg(ap, const char *)) != NULL;) {
        struct dd_error err = {0};
        enum dd_status rc = param_check(s, v, &err);
        if ((rc == DD_OK) != (code == NULL))
            fail_msg("type %d value '%s': got %s, want %s", (int)s->type, v,
                     dd_status_name(rc), code == NULL ? "OK" : "EINVAL");
        if (code == NULL)
            continue;
        assert_int_equal(rc, DD_EINVAL);
        assert_string_equal(err.field, "p");
        if (strcmp(err.code, code) != 0)
            fail_msg("type %d value '%s': code %s, want %s", (int)s->type, v,
                     err.code, code);
        assert_non_null(err.message);
        assert_non_null(err.message_zh);
    }
    va_end(ap);
}
#define PASS(s, ...) values_check((s), NULL, __VA_ARGS__, NULL)
#define FAIL(s, code, ...) values_check((s), (code), __VA_ARGS__, NULL)

TEST_CASE(test_param_string)
{
    const struct param_spec s = S(PARAM_STRING, 5, 0, 0);
    PASS(&s, "abc", "", "abcde");
    FAIL(&s, BAD, "a b/é" /* 6 bytes: over */, "abcdef");
    const struct param_spec unlimited = S(PARAM_STRING, 0, 0, 0);
    PASS(&unlimited, "no limit at all, any length");
    struct dd_error err = {0};
    assert_int_equal(param_check(&s, "abcdef", &err), DD_EINVAL);
    assert_string_equal(err.message, "the parameter is too long");
}

TEST_CASE(test_param_int)
{
    const struct param_spec s = S(PARAM_INT, 4, 1, 500);
    PASS(&s, "1", "500", "042");
    FAIL(&s, BAD, "0", "501", "-1", "00001" /* over max_len */, "", "abc",
         "1.5", "+5", " 5", "5 ", "0x1", "-", "1-2");
    const struct param_spec neg = S(PARAM_INT, 4, -10, 10);
    PASS(&neg, "-10");
    FAIL(&neg, BAD, "-11");
    const struct param_spec max19 = S(PARAM_INT, 19, 0, INT64_MAX);
    const struct param_spec max20 = S(PARAM_INT, 20, 0, INT64_MAX);
    PASS(&max19, "9223372036854775807", "0");
    FAIL(&max20, BAD, "9223372036854775808");
    struct dd_error err = {0};
    assert_int_equal(param_check(&s, "501", &err), DD_EINVAL);
    assert_string_equal(err.message,
                        "the parameter is outside its allowed range");
    assert_int_equal(param_check(&s, "x", &err), DD_EINVAL);
    assert_string_equal(err.message, "the parameter must be an integer");
}

TEST_CASE(test_param_date)
{
    const struct param_spec s = S(PARAM_DATE, 20, 0, 0);
    PASS(&s, "2024-02-29", "2024-01-01T00:00:00Z", "2024-12-31T23:59:59Z");
    FAIL(&s, BAD, "2023-02-29", "2024-13-01", "2024-04-31", "2024-1-1",
         "2024/01/01", "2024-01-01T24:00:00Z", "2024-01-01T12:00:00");
    /* sscanf alone would take these: the shape is checked first */
    FAIL(&s, BAD, "2024-+1-01", "2024-01- 1", "2024-01-01T+1:00:00Z",
         "2024-01-01T12:00:00+08:00", "20240101", "", "1899-12-31");
}

TEST_CASE(test_param_region)
{
    const struct param_spec s = S(PARAM_REGION, 12, 0, 0);
    PASS(&s, "50", "500103", "500103001", "500103001003");
    FAIL(&s, "INVALID_REGION_CODE", "5", "5001", "50010300100", "50a103", "",
         "-50103");
    /* over max_len: the length rule answers first */
    FAIL(&s, BAD, "5001030010031");
}

TEST_CASE(test_param_digits)
{
    const struct param_spec s = S(PARAM_DIGITS, 18, 0, 0);
    PASS(&s, "0", "123456789012345678");
    FAIL(&s, BAD, "1234567890123456789", "", "12a", "-1", " 1");
}

TEST_CASE(test_param_name)
{
    const struct param_spec s = S(PARAM_NAME, 10, 0, 0);
    PASS(&s, "a.b_c-1", "z", "abcdefghij");
    FAIL(&s, BAD, "abcdefghijk", "", "Abc", "a b", "a/b", "ü");
}

/* An unknown type is refused, not passed. */
TEST_CASE(test_param_unknown_type)
{
    struct param_spec s = {"p", (enum param_type)99, 0, 0, 0, 0};
    struct dd_error err = {0};
    assert_int_equal(param_check(&s, "x", &err), DD_EINVAL);
}

UNIT_TESTS(
    NULL, NULL,
    cmocka_unit_test_setup_teardown(test_match_found, setup, teardown),
    cmocka_unit_test_setup_teardown(test_match_first_wins, setup, teardown),
    cmocka_unit_test_setup_teardown(test_match_not_found, setup, teardown),
    cmocka_unit_test_setup_teardown(test_match_bad_method, setup, teardown),
    cmocka_unit_test(test_param_string), cmocka_unit_test(test_param_int),
    cmocka_unit_test(test_param_date), cmocka_unit_test(test_param_region),
    cmocka_unit_test(test_param_digits), cmocka_unit_test(test_param_name),
    cmocka_unit_test(test_param_unknown_type))
