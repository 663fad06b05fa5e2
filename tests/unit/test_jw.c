/* SPDX-License-Identifier: MIT */
/* The JSON writer (json/jw.h): nesting and commas, escaping identical to
 * jansson's json_dumps (every control character, quotes, backslash, UTF-8
 * passed through), null for NULL, the cap and out-of-memory errors that
 * stick, unbalanced containers. */
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

#include "json/jw.h"

/* Checks that w finished into exactly want, and frees it. */
static void
finish_is(struct jw *w, const char *want)
{
    char *got = jw_finish(w);
    assert_non_null(got);
    assert_int_equal(w->rc, DD_OK);
    assert_string_equal(got, want);
    free(got);
}

/* w started with a cap of cap bytes and an object opened. */
static void
obj_open(struct jw *w, size_t cap)
{
    jw_init(w, cap);
    jw_obj(w, NULL);
}

/* What jansson writes for the string s (n bytes), quotes included. */
static char *
jansson_of(const char *s, size_t n)
{
    json_t *v = json_stringn(s, n);
    assert_non_null(v);
    char *out = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(v);
    assert_non_null(out);
    return out;
}

/* What jw writes for s (n bytes) as a top-level string. */
static char *
jw_of(const char *s, size_t n)
{
    struct jw w;
    jw_init(&w, 1u << 16);
    jw_strn(&w, NULL, s, n);
    char *out = jw_finish(&w);
    assert_non_null(out);
    return out;
}

TEST_CASE(nesting_and_commas)
{
    struct jw w;
    obj_open(&w, 4096);
    jw_int(&w, "id", 7);
    jw_str(&w, "name", "张三");
    jw_arr(&w, "items");
    jw_int(&w, NULL, -1);
    jw_obj(&w, NULL);
    jw_end(&w);
    jw_arr(&w, NULL);
    jw_end(&w);
    jw_bool(&w, NULL, 1);
    jw_bool(&w, NULL, 0);
    jw_null(&w, NULL);
    jw_end(&w);
    jw_obj(&w, "empty");
    jw_end(&w);
    jw_arr(&w, "none");
    jw_end(&w);
    jw_int(&w, "min", INT64_MIN);
    jw_int(&w, "max", INT64_MAX);
    jw_int(&w, "zero", 0);
    jw_raw(&w, "raw", "{\"a\":[1,2]}");
    jw_raw(&w, "raw_null", NULL);
    jw_time(&w, "at", 0);
    jw_end(&w);
    finish_is(&w, "{\"id\":7,\"name\":\"张三\",\"items\":[-1,{},[],true,"
                  "false,null],\"empty\":{},\"none\":[],"
                  "\"min\":-9223372036854775808,"
                  "\"max\":9223372036854775807,\"zero\":0,"
                  "\"raw\":{\"a\":[1,2]},\"raw_null\":null,"
                  "\"at\":\"1970-01-01T00:00:00Z\"}");
}

TEST_CASE(top_level_values)
{
    struct jw w;
    jw_init(&w, 64);
    jw_str(&w, NULL, "x");
    finish_is(&w, "\"x\"");
    jw_init(&w, 64);
    jw_arr(&w, NULL);
    jw_end(&w);
    finish_is(&w, "[]");
    jw_init(&w, 64);
    jw_int(&w, NULL, 42);
    finish_is(&w, "42");
}

TEST_CASE(null_for_null)
{
    struct jw w;
    obj_open(&w, 256);
    jw_str(&w, "a", NULL);
    jw_str_or_null(&w, "b", NULL);
    jw_str_or_null(&w, "c", "");
    jw_str_or_null(&w, "d", "x");
    jw_str(&w, "e", "");
    jw_end(&w);
    finish_is(&w, "{\"a\":null,\"b\":null,\"c\":null,\"d\":\"x\",\"e\":\"\"}");
}

/* Every byte below 0x20, then quote, backslash, slash and DEL, each
 * alone and inside text: the same bytes as jansson's. */
TEST_CASE(escaping_matches_jansson)
{
    for (int c = 1; c < 0x80; c++) {
        char one[8] = {(char)c};
        char mid[8] = {'a', (char)c, 'b'};
        const char *cases[] = {one, mid};
        for (size_t k = 0; k < 2; k++) {
            char *want = jansson_of(cases[k], strlen(cases[k]));
            char *got = jw_of(cases[k], strlen(cases[k]));
            assert_string_equal(got, want);
            free(want);
            free(got);
        }
    }
    /* the named escapes and the \u form are what jansson writes */
    char *got = jw_of("\"\\\b\f\n\r\t\x01\x1f/", 10);
    assert_string_equal(got, "\"\\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u001F/\"");
    free(got);
}

TEST_CASE(utf8_passthrough)
{
    const char *texts[] = {
        "重庆市渝中区解放碑街道",          "欧阳娜娜·李",
        "é ñ ü — “quoted” ‘single’",       "emoji 😀 and 𠀀 (4-byte)",
        "混合 \"quotes\" and \\ 与\n换行", "",
    };
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        char *want = jansson_of(texts[i], strlen(texts[i]));
        char *got = jw_of(texts[i], strlen(texts[i]));
        assert_string_equal(got, want);
        free(want);
        free(got);
    }
    /* keys are escaped too, as jansson escapes them */
    struct jw w;
    obj_open(&w, 256);
    jw_str(&w, "键\"\n", "值");
    jw_end(&w);
    json_t *o = json_object();
    json_object_set_new(o, "键\"\n", json_string("值"));
    char *want = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    finish_is(&w, want);
    free(want);
}

/* jw_strn writes exactly n bytes, an embedded NUL as \u0000. */
TEST_CASE(strn_lengths)
{
    char *got = jw_of("abcdef", 3);
    assert_string_equal(got, "\"abc\"");
    free(got);
    got = jw_of("a\0b", 3);
    char *want = jansson_of("a\0b", 3);
    assert_string_equal(got, want);
    assert_string_equal(got, "\"a\\u0000b\"");
    free(got);
    free(want);
}

/* Over the cap: DD_ETOOBIG, and it sticks through later writes. */
TEST_CASE(cap_is_sticky)
{
    struct jw w;
    obj_open(&w, 32);
    jw_str(&w, "long", "0123456789012345678901234567890123456789");
    assert_int_equal(w.rc, DD_ETOOBIG);
    jw_int(&w, "n", 1); /* fits, but the error stays */
    jw_end(&w);
    assert_int_equal(w.rc, DD_ETOOBIG);
    assert_null(jw_finish(&w));
    assert_int_equal(w.rc, DD_ETOOBIG);

    /* exactly at the cap is fine */
    jw_init(&w, 8);
    jw_str(&w, NULL, "12345");
    finish_is(&w, "\"12345\"");
}

/* An error set by the caller (a failed unsealing, say) sticks as well. */
TEST_CASE(caller_error_is_sticky)
{
    struct jw w;
    obj_open(&w, 256);
    w.rc = DD_ENOMEM;
    jw_str(&w, "a", "b");
    jw_end(&w);
    assert_null(jw_finish(&w));
    assert_int_equal(w.rc, DD_ENOMEM);
}

TEST_CASE(unbalanced_is_error)
{
    struct jw w;
    /* left open */
    obj_open(&w, 256);
    jw_arr(&w, "a");
    jw_end(&w);
    assert_null(jw_finish(&w));
    assert_int_equal(w.rc, DD_EINTERNAL);
    /* closed once too often */
    jw_init(&w, 256);
    jw_arr(&w, NULL);
    jw_end(&w);
    jw_end(&w);
    assert_null(jw_finish(&w));
    assert_int_equal(w.rc, DD_EINTERNAL);
    /* nested deeper than JW_MAX_DEPTH */
    jw_init(&w, 4096);
    for (int i = 0; i <= JW_MAX_DEPTH; i++)
        jw_arr(&w, NULL);
    assert_int_equal(w.rc, DD_EINTERNAL);
    jw_free(&w);
    /* given up on: jw_free releases it */
    obj_open(&w, 256);
    jw_free(&w);
}

UNIT_TESTS(NULL, NULL, cmocka_unit_test(nesting_and_commas),
           cmocka_unit_test(top_level_values), cmocka_unit_test(null_for_null),
           cmocka_unit_test(escaping_matches_jansson),
           cmocka_unit_test(utf8_passthrough), cmocka_unit_test(strn_lengths),
           cmocka_unit_test(cap_is_sticky),
           cmocka_unit_test(caller_error_is_sticky),
           cmocka_unit_test(unbalanced_is_error))
