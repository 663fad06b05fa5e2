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

static void
test_match_found(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(match(f, "GET", "/x/items", 2), ROUTER_FOUND);
    assert_ptr_equal(f->req.route, &items[0]);
    assert_int_equal(f->req.path_param_count, 0);
    assert_null(router_path_param(&f->req, 0));

    assert_int_equal(match(f, "POST", "/x/items", 2), ROUTER_FOUND);
    assert_ptr_equal(f->req.route, &items[1]);

    assert_int_equal(match(f, "GET", "/x/items/42", 2), ROUTER_FOUND);
    assert_ptr_equal(f->req.route, &items[2]);
    assert_int_equal(f->req.path_param_count, 1);
    assert_string_equal(router_path_param(&f->req, 0), "42");
    assert_null(router_path_param(&f->req, 1));

    assert_int_equal(match(f, "DELETE", "/x/items/7/tags/red-1", 2),
                     ROUTER_FOUND);
    assert_ptr_equal(f->req.route, &items[3]);
    assert_int_equal(f->req.path_param_count, 2);
    assert_string_equal(router_path_param(&f->req, 0), "7");
    assert_string_equal(router_path_param(&f->req, 1), "red-1");

    /* captures are raw: validation is router_validate's job */
    assert_int_equal(match(f, "GET", "/x/items/not%20digits", 2),
                     ROUTER_FOUND);
    assert_string_equal(router_path_param(&f->req, 0), "not%20digits");

    /* the second table */
    assert_int_equal(match(f, "GET", "/y", 2), ROUTER_FOUND);
    assert_ptr_equal(f->req.route, &others[0]);
    assert_int_equal(match(f, "PUT", "/x/items/9", 2), ROUTER_FOUND);
    assert_ptr_equal(f->req.route, &others[1]);
    assert_string_equal(router_path_param(&f->req, 0), "9");
}

/* Table order is matching order: the earlier {id} route wins. */
static void
test_match_first_wins(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(match(f, "GET", "/x/items/special", 2), ROUTER_FOUND);
    assert_ptr_equal(f->req.route, &items[2]);
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

struct check_case {
    struct param_spec spec;
    const char *value;
    int ok;
    const char *code; /* when !ok */
};

#define S(t, maxlen, mn, mx) {"p", t, 0, maxlen, mn, mx}

static void
run_cases(const struct check_case *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct dd_error err = {0};
        enum dd_status rc = param_check(&c[i].spec, c[i].value, &err);
        if ((rc == DD_OK) != c[i].ok)
            fail_msg("type %d value '%s': got %s, want %s",
                     (int)c[i].spec.type, c[i].value, dd_status_name(rc),
                     c[i].ok ? "OK" : "EINVAL");
        if (!c[i].ok) {
            assert_int_equal(rc, DD_EINVAL);
            assert_string_equal(err.field, "p");
            if (strcmp(err.code, c[i].code) != 0)
                fail_msg("type %d value '%s': code %s, want %s",
                         (int)c[i].spec.type, c[i].value, err.code,
                         c[i].code);
            assert_non_null(err.message);
            assert_non_null(err.message_zh);
        }
    }
}

#define RUN(cases) run_cases(cases, sizeof(cases) / sizeof(cases[0]))
#define BAD "INVALID_PARAMETER"

TEST_CASE(test_param_string)
{
    static const struct check_case cases[] = {
        {S(PARAM_STRING, 5, 0, 0), "abc", 1, NULL},
        {S(PARAM_STRING, 5, 0, 0), "", 1, NULL},
        {S(PARAM_STRING, 5, 0, 0), "abcde", 1, NULL},
        {S(PARAM_STRING, 5, 0, 0), "a b/é", 0, BAD}, /* 6 bytes: over */
        {S(PARAM_STRING, 5, 0, 0), "abcdef", 0, BAD},
        {S(PARAM_STRING, 0, 0, 0), "no limit at all, any length", 1, NULL},
    };
    RUN(cases);
    struct dd_error err = {0};
    assert_int_equal(param_check(&cases[4].spec, "abcdef", &err), DD_EINVAL);
    assert_string_equal(err.message, "the parameter is too long");
}

TEST_CASE(test_param_int)
{
    static const struct check_case cases[] = {
        {S(PARAM_INT, 4, 1, 500), "1", 1, NULL},
        {S(PARAM_INT, 4, 1, 500), "500", 1, NULL},
        {S(PARAM_INT, 4, 1, 500), "042", 1, NULL},
        {S(PARAM_INT, 4, 1, 500), "0", 0, BAD},
        {S(PARAM_INT, 4, 1, 500), "501", 0, BAD},
        {S(PARAM_INT, 4, 1, 500), "-1", 0, BAD},
        {S(PARAM_INT, 4, 1, 500), "00001", 0, BAD}, /* over max_len */
        {S(PARAM_INT, 4, 1, 500), "", 0, BAD},
        {S(PARAM_INT, 4, 1, 500), "abc", 0, BAD},
        {S(PARAM_INT, 4, 1, 500), "1.5", 0, BAD},
        {S(PARAM_INT, 4, 1, 500), "+5", 0, BAD},
        {S(PARAM_INT, 4, 1, 500), " 5", 0, BAD},
        {S(PARAM_INT, 4, 1, 500), "5 ", 0, BAD},
        {S(PARAM_INT, 4, 1, 500), "0x1", 0, BAD},
        {S(PARAM_INT, 4, 1, 500), "-", 0, BAD},
        {S(PARAM_INT, 4, 1, 500), "1-2", 0, BAD},
        {S(PARAM_INT, 4, -10, 10), "-10", 1, NULL},
        {S(PARAM_INT, 4, -10, 10), "-11", 0, BAD},
        {S(PARAM_INT, 19, 0, INT64_MAX), "9223372036854775807", 1, NULL},
        {S(PARAM_INT, 20, 0, INT64_MAX), "9223372036854775808", 0, BAD},
        {S(PARAM_INT, 19, 0, INT64_MAX), "0", 1, NULL},
    };
    RUN(cases);
    struct dd_error err = {0};
    assert_int_equal(param_check(&cases[4].spec, "501", &err), DD_EINVAL);
    assert_string_equal(err.message,
                        "the parameter is outside its allowed range");
    assert_int_equal(param_check(&cases[4].spec, "x", &err), DD_EINVAL);
    assert_string_equal(err.message, "the parameter must be an integer");
}

TEST_CASE(test_param_date)
{
    static const struct check_case cases[] = {
        {S(PARAM_DATE, 20, 0, 0), "2024-02-29", 1, NULL},
        {S(PARAM_DATE, 20, 0, 0), "2024-01-01T00:00:00Z", 1, NULL},
        {S(PARAM_DATE, 20, 0, 0), "2024-12-31T23:59:59Z", 1, NULL},
        {S(PARAM_DATE, 20, 0, 0), "2023-02-29", 0, BAD},
        {S(PARAM_DATE, 20, 0, 0), "2024-13-01", 0, BAD},
        {S(PARAM_DATE, 20, 0, 0), "2024-04-31", 0, BAD},
        {S(PARAM_DATE, 20, 0, 0), "2024-1-1", 0, BAD},
        {S(PARAM_DATE, 20, 0, 0), "2024/01/01", 0, BAD},
        {S(PARAM_DATE, 20, 0, 0), "2024-01-01T24:00:00Z", 0, BAD},
        {S(PARAM_DATE, 20, 0, 0), "2024-01-01T12:00:00", 0, BAD},
        /* sscanf alone would take these: the shape is checked first */
        {S(PARAM_DATE, 20, 0, 0), "2024-+1-01", 0, BAD},
        {S(PARAM_DATE, 20, 0, 0), "2024-01- 1", 0, BAD},
        {S(PARAM_DATE, 20, 0, 0), "2024-01-01T+1:00:00Z", 0, BAD},
        {S(PARAM_DATE, 20, 0, 0), "2024-01-01T12:00:00+08:00", 0, BAD},
        {S(PARAM_DATE, 20, 0, 0), "20240101", 0, BAD},
        {S(PARAM_DATE, 20, 0, 0), "", 0, BAD},
        {S(PARAM_DATE, 20, 0, 0), "1899-12-31", 0, BAD},
    };
    RUN(cases);
}

TEST_CASE(test_param_region)
{
    static const struct check_case cases[] = {
        {S(PARAM_REGION, 12, 0, 0), "50", 1, NULL},
        {S(PARAM_REGION, 12, 0, 0), "500103", 1, NULL},
        {S(PARAM_REGION, 12, 0, 0), "500103001", 1, NULL},
        {S(PARAM_REGION, 12, 0, 0), "500103001003", 1, NULL},
        {S(PARAM_REGION, 12, 0, 0), "5", 0, "INVALID_REGION_CODE"},
        {S(PARAM_REGION, 12, 0, 0), "5001", 0, "INVALID_REGION_CODE"},
        {S(PARAM_REGION, 12, 0, 0), "50010300100", 0, "INVALID_REGION_CODE"},
        {S(PARAM_REGION, 12, 0, 0), "50a103", 0, "INVALID_REGION_CODE"},
        {S(PARAM_REGION, 12, 0, 0), "", 0, "INVALID_REGION_CODE"},
        {S(PARAM_REGION, 12, 0, 0), "-50103", 0, "INVALID_REGION_CODE"},
        /* over max_len: the length rule answers first */
        {S(PARAM_REGION, 12, 0, 0), "5001030010031", 0, BAD},
    };
    RUN(cases);
}

TEST_CASE(test_param_digits)
{
    static const struct check_case cases[] = {
        {S(PARAM_DIGITS, 18, 0, 0), "0", 1, NULL},
        {S(PARAM_DIGITS, 18, 0, 0), "123456789012345678", 1, NULL},
        {S(PARAM_DIGITS, 18, 0, 0), "1234567890123456789", 0, BAD},
        {S(PARAM_DIGITS, 18, 0, 0), "", 0, BAD},
        {S(PARAM_DIGITS, 18, 0, 0), "12a", 0, BAD},
        {S(PARAM_DIGITS, 18, 0, 0), "-1", 0, BAD},
        {S(PARAM_DIGITS, 18, 0, 0), " 1", 0, BAD},
    };
    RUN(cases);
}

TEST_CASE(test_param_name)
{
    static const struct check_case cases[] = {
        {S(PARAM_NAME, 10, 0, 0), "a.b_c-1", 1, NULL},
        {S(PARAM_NAME, 10, 0, 0), "z", 1, NULL},
        {S(PARAM_NAME, 10, 0, 0), "abcdefghij", 1, NULL},
        {S(PARAM_NAME, 10, 0, 0), "abcdefghijk", 0, BAD},
        {S(PARAM_NAME, 10, 0, 0), "", 0, BAD},
        {S(PARAM_NAME, 10, 0, 0), "Abc", 0, BAD},
        {S(PARAM_NAME, 10, 0, 0), "a b", 0, BAD},
        {S(PARAM_NAME, 10, 0, 0), "a/b", 0, BAD},
        {S(PARAM_NAME, 10, 0, 0), "ü", 0, BAD},
    };
    RUN(cases);
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
