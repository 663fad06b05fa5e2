/* SPDX-License-Identifier: MIT */
/* The JSON layer: decoding a body against a field table (unknown fields,
 * types, required, bounds, duplicates, nulls, malformed input), the error
 * envelope, the canonical audit form the hash chain depends on, and the
 * small helpers and encoders. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "unit_main.h"
#include <jansson.h>

#include "core/arena.h"
#include "json/json.h"

/* A bounded copy into a char array (strcpy is banned). */
#define SET(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

struct body {
    const char *name;
    int64_t age;
    int active;
    const char *note;
};

static const struct json_field fields[] = {
    {"name", JSON_T_STRING, 1, 1, 8, offsetof(struct body, name)},
    {"age", JSON_T_INT, 1, 0, 150, offsetof(struct body, age)},
    {"active", JSON_T_BOOL, 0, 0, 0, offsetof(struct body, active)},
    {"note", JSON_T_STRING, 0, 0, 0, offsetof(struct body, note)},
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static int
setup(void **state)
{
    *state = arena_new(1 << 20);
    return *state ? 0 : -1;
}

static int
teardown(void **state)
{
    arena_free(*state);
    return 0;
}

static enum dd_status
decode(struct arena *a, const char *text, struct body *b, unsigned *present,
       struct dd_error *err)
{
    memset(b, 0, sizeof(*b));
    memset(err, 0, sizeof(*err));
    return json_decode_object(a, text, strlen(text), fields, NFIELDS, b,
                              present, err);
}

static void
test_decode_valid(void **state)
{
    struct body b;
    unsigned present;
    struct dd_error err;
    assert_int_equal(decode(*state,
                            "{\"name\":\"Li\",\"age\":30,\"active\":true,"
                            "\"note\":\"a longer note than eight bytes\"}",
                            &b, &present, &err),
                     DD_OK);
    assert_string_equal(b.name, "Li");
    assert_int_equal(b.age, 30);
    assert_int_equal(b.active, 1);
    assert_string_equal(b.note, "a longer note than eight bytes");
    assert_int_equal(present, 0xF);

    /* order does not matter; optional fields may be absent */
    assert_int_equal(
        decode(*state, "{\"age\":0,\"name\":\"王\"}", &b, &present, &err),
        DD_OK);
    assert_string_equal(b.name, "王");
    assert_int_equal(b.age, 0);
    assert_null(b.note);
    assert_int_equal(present, 0x3);

    /* null for an optional field is as if absent */
    assert_int_equal(decode(*state,
                            "{\"name\":\"a\",\"age\":150,\"active\":null,"
                            "\"note\":null}",
                            &b, &present, &err),
                     DD_OK);
    assert_int_equal(present, 0x3);
    assert_int_equal(b.age, 150);
    assert_null(b.note);

    /* false is a value */
    assert_int_equal(decode(*state,
                            "{\"name\":\"a\",\"age\":1,\"active\":false}", &b,
                            &present, &err),
                     DD_OK);
    assert_int_equal(present, 0x7);
    assert_int_equal(b.active, 0);

    /* only len bytes are read */
    const char *text = "{\"name\":\"a\",\"age\":1}trailing";
    memset(&b, 0, sizeof(b));
    assert_int_equal(json_decode_object(*state, text, 20, fields, NFIELDS, &b,
                                        &present, &err),
                     DD_OK);
    assert_int_equal(b.age, 1);
}

struct bad {
    const char *text;
    const char *code;
    const char *field; /* NULL: no field */
};

static void
test_decode_rejects(void **state)
{
    /* clang-format off */
    static const struct bad cases[] = {
        /* unknown field */
        {"{\"name\":\"a\",\"age\":1,\"x\":1}", "UNKNOWN_FIELD", "x"}, {"{\"Name\":\"a\",\"age\":1}", "UNKNOWN_FIELD", "Name"},
        /* wrong types */
        {"{\"name\":5,\"age\":1}", "WRONG_TYPE", "name"}, {"{\"name\":[\"a\"],\"age\":1}", "WRONG_TYPE", "name"},
        {"{\"name\":\"a\",\"age\":\"30\"}", "WRONG_TYPE", "age"}, {"{\"name\":\"a\",\"age\":1.5}", "WRONG_TYPE", "age"},
        {"{\"name\":\"a\",\"age\":1.0}", "WRONG_TYPE", "age"}, {"{\"name\":\"a\",\"age\":true}", "WRONG_TYPE", "age"},
        {"{\"name\":\"a\",\"age\":1,\"active\":\"true\"}", "WRONG_TYPE", "active"},
        {"{\"name\":\"a\",\"age\":1,\"active\":1}", "WRONG_TYPE", "active"}, {"{\"name\":\"a\",\"age\":1,\"note\":{}}", "WRONG_TYPE", "note"},
        /* null for a required field is a wrong type, not absence */
        {"{\"name\":null,\"age\":1}", "WRONG_TYPE", "name"}, {"{\"name\":\"a\",\"age\":null}", "WRONG_TYPE", "age"},
        /* missing required */
        {"{\"name\":\"a\"}", "MISSING_FIELD", "age"}, {"{\"age\":1}", "MISSING_FIELD", "name"}, {"{}", "MISSING_FIELD", "name"},
        /* bounds */
        {"{\"name\":\"a\",\"age\":-1}", "OUT_OF_RANGE", "age"}, {"{\"name\":\"a\",\"age\":151}", "OUT_OF_RANGE", "age"},
        {"{\"name\":\"a\",\"age\":99999999999999999}", "OUT_OF_RANGE", "age"},
        {"{\"name\":\"\",\"age\":1}", "TOO_SHORT", "name"}, {"{\"name\":\"abcdefghi\",\"age\":1}", "TOO_LONG", "name"},
        /* max counts bytes: three 3-byte characters are 9 bytes */
        {"{\"name\":\"王小明\",\"age\":1}", "TOO_LONG", "name"},
        /* duplicates */
        {"{\"name\":\"a\",\"name\":\"b\",\"age\":1}", "MALFORMED_JSON", NULL},
        /* not JSON, or not an object */
        {"", "MALFORMED_JSON", NULL}, {"{", "MALFORMED_JSON", NULL}, {"{\"name\":\"a\",\"age\":1} x", "MALFORMED_JSON", NULL},
        {"{'name':'a','age':1}", "MALFORMED_JSON", NULL}, {"{\"name\":\"a\\u0000b\",\"age\":1}", "MALFORMED_JSON", NULL},
        {"{\"name\":\"\xff\",\"age\":1}", "MALFORMED_JSON", NULL},
        {"[]", "NOT_AN_OBJECT", NULL}, {"[{\"name\":\"a\",\"age\":1}]", "NOT_AN_OBJECT", NULL},
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct body b;
        unsigned present;
        struct dd_error err;
        enum dd_status rc = decode(*state, cases[i].text, &b, &present, &err);
        if (rc != DD_EINVAL || !err.code ||
            strcmp(err.code, cases[i].code) != 0)
            fail_msg("%s: got %s %s, want EINVAL %s", cases[i].text,
                     dd_status_name(rc), err.code ? err.code : "(null)",
                     cases[i].code);
        if (cases[i].field ? !err.field || strcmp(err.field, cases[i].field)
                           : err.field != NULL)
            fail_msg("%s: field %s, want %s", cases[i].text,
                     err.field ? err.field : "(null)",
                     cases[i].field ? cases[i].field : "(null)");
        assert_non_null(err.message);
        assert_non_null(err.message_zh);
    }
}

/* Parses text and returns the root, failing the test if it is not JSON. */
static json_t *
parse(const char *text)
{
    json_error_t je;
    assert_non_null(text);
    json_t *v = json_loads(text, JSON_REJECT_DUPLICATES, &je);
    if (!v)
        fail_msg("not JSON (%s): %s", je.text, text);
    return v;
}

static void
test_error_envelope(void **state)
{
    struct dd_error err = {"MISSING_FIELD", "members[2].id_number",
                           "this field is required", "缺少必填字段"};
    char *text = json_error_envelope(*state, &err, "0000abcd-000000000001");
    json_t *v = parse(text);
    assert_int_equal(json_object_size(v), 2);
    json_t *e = json_object_get(v, "error");
    assert_true(json_is_object(e));
    assert_int_equal(json_object_size(e), 4);
    assert_string_equal(json_string_value(json_object_get(e, "code")),
                        "MISSING_FIELD");
    assert_string_equal(json_string_value(json_object_get(e, "message")),
                        "this field is required");
    assert_string_equal(json_string_value(json_object_get(e, "message_zh")),
                        "缺少必填字段");
    assert_string_equal(json_string_value(json_object_get(e, "field")),
                        "members[2].id_number");
    assert_string_equal(json_string_value(json_object_get(v, "request_id")),
                        "0000abcd-000000000001");
    json_decref(v);

    /* no field: null, still present; missing parts get defaults */
    struct dd_error bare = {0};
    text = json_error_envelope(*state, &bare, NULL);
    assert_string_equal(text, "{\"error\":{\"code\":\"ERROR\",\"message\":"
                              "\"\",\"message_zh\":\"\",\"field\":null},"
                              "\"request_id\":\"\"}");
    v = parse(text);
    e = json_object_get(v, "error");
    assert_true(json_is_null(json_object_get(e, "field")));
    json_decref(v);

    /* text that needs escaping stays valid JSON */
    struct dd_error q = {"X", "a\"b", "line\nbreak \\ \"quoted\"", "中"};
    v = parse(json_error_envelope(*state, &q, "r"));
    e = json_object_get(v, "error");
    assert_string_equal(json_string_value(json_object_get(e, "field")), "a\"b");
    assert_string_equal(json_string_value(json_object_get(e, "message")),
                        "line\nbreak \\ \"quoted\"");
    json_decref(v);
}

static void
fill_row(struct audit_row *r)
{
    memset(r, 0, sizeof(*r));
    r->seq = 7;
    r->at = 1700000000;
    SET(r->actor, "alice");
    SET(r->action, "user.create");
    SET(r->object, "user:12");
    SET(r->region, "500103");
    SET(r->request_id, "0000abcd-000000000007");
    SET(r->detail, "{\"username\":\"bob\",\"role\":\"auditor\"}");
    memset(r->prev_hash, 'a', 64);
    memset(r->hash, 'b', 64);
}

TEST_CASE(test_audit_canonical)
{
    struct audit_row r;
    fill_row(&r);
    char *c1 = json_audit_canonical(&r);
    assert_non_null(c1);
    assert_string_equal(c1, "[7,1700000000,\"alice\",\"user.create\","
                            "\"user:12\",\"500103\",\"0000abcd-000000000007\","
                            "\"{\\\"username\\\":\\\"bob\\\",\\\"role\\\":"
                            "\\\"auditor\\\"}\"]");
    /* stable: the same row gives the same text */
    char *c2 = json_audit_canonical(&r);
    assert_string_equal(c1, c2);
    free(c2);
    /* the hashes are not part of it */
    memset(r.prev_hash, 'c', 64);
    memset(r.hash, 'd', 64);
    c2 = json_audit_canonical(&r);
    assert_string_equal(c1, c2);
    free(c2);
    /* every field is: change one, the text changes */
    r.seq = 8;
    c2 = json_audit_canonical(&r);
    assert_string_not_equal(c1, c2);
    free(c2);
    fill_row(&r);
    SET(r.detail, "{\"role\":\"auditor\",\"username\":\"bob\"}");
    c2 = json_audit_canonical(&r);
    assert_string_not_equal(c1, c2); /* detail is kept byte for byte */
    free(c2);
    fill_row(&r);
    r.region[0] = '\0';
    c2 = json_audit_canonical(&r);
    assert_non_null(strstr(c2, "\"user:12\",\"\","));
    free(c2);
    /* UTF-8 is kept as is, not \u-escaped */
    fill_row(&r);
    SET(r.actor, "王小明");
    c2 = json_audit_canonical(&r);
    assert_non_null(strstr(c2, ",\"王小明\","));
    free(c2);
    free(c1);
}

static void
test_helpers(void **state)
{
    const char *kv[] = {"a", "1", "b", NULL, "c", "x\"y"};
    char *o = json_object_of_strings(*state, kv, 3);
    json_t *v = parse(o);
    assert_int_equal(json_object_size(v), 3);
    assert_string_equal(json_string_value(json_object_get(v, "a")), "1");
    assert_true(json_is_null(json_object_get(v, "b")));
    assert_string_equal(json_string_value(json_object_get(v, "c")), "x\"y");
    json_decref(v);
    assert_string_equal(json_object_of_strings(*state, kv, 0), "{}");
}

static void
test_encode_user(void **state)
{
    struct user u;
    memset(&u, 0, sizeof(u));
    u.id = 12;
    SET(u.username, "clerk.500103001");
    SET(u.display_name, "七星岗街道 窗口");
    SET(u.role, "town_clerk");
    SET(u.scope, "500103001");
    SET(u.pw_hash, "$argon2id$v=19$secret");
    u.failed_logins = 2;
    u.created_at = 0;
    u.locked_until = 2000;
    char *text = json_encode_user(*state, &u, 1000);
    assert_null(strstr(text, "argon2id")); /* never the hash */
    json_t *v = parse(text);
    assert_int_equal(json_integer_value(json_object_get(v, "id")), 12);
    assert_true(json_is_null(json_object_get(v, "department")));
    assert_true(json_is_false(json_object_get(v, "disabled")));
    assert_true(json_is_true(json_object_get(v, "locked")));
    assert_string_equal(json_string_value(json_object_get(v, "locked_until")),
                        "1970-01-01T00:33:20Z");
    assert_string_equal(json_string_value(json_object_get(v, "created_at")),
                        "1970-01-01T00:00:00Z");
    json_decref(v);
    /* the lock from failures has run out */
    v = parse(json_encode_user(*state, &u, 3000));
    assert_true(json_is_false(json_object_get(v, "locked")));
    assert_true(json_is_null(json_object_get(v, "locked_until")));
    json_decref(v);

    v = parse(json_encode_user_list(*state, &u, 1, 3000, 0));
    assert_int_equal(json_array_size(json_object_get(v, "items")), 1);
    assert_true(json_is_null(json_object_get(v, "next_cursor")));
    json_decref(v);
    v = parse(json_encode_user_list(*state, &u, 1, 3000, 12));
    assert_int_equal(json_integer_value(json_object_get(v, "next_cursor")), 12);
    json_decref(v);
}

UNIT_TESTS(NULL, NULL,
           cmocka_unit_test_setup_teardown(test_decode_valid, setup, teardown),
           cmocka_unit_test_setup_teardown(test_decode_rejects, setup,
                                           teardown),
           cmocka_unit_test_setup_teardown(test_error_envelope, setup,
                                           teardown),
           cmocka_unit_test(test_audit_canonical),
           cmocka_unit_test_setup_teardown(test_helpers, setup, teardown),
           cmocka_unit_test_setup_teardown(test_encode_user, setup, teardown))
