/* SPDX-License-Identifier: MIT */
/* Encoding detection and conversion: UTF-8 stays, GB18030 is converted,
 * bytes valid in neither are refused; the streaming reader across chunk
 * boundaries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "unit_main.h"

#include "io/encoding.h"

/* "户编号,姓名" in GB18030 (户 BBA7, 编 B1E0, 号 BAC5, 姓 D0D5, 名 C3FB) */
static const char gb[] = "\xBB\xA7\xB1\xE0\xBA\xC5,\xD0\xD5\xC3\xFB";
static const char utf[] = "户编号,姓名";

TEST_CASE(test_utf8_check)
{
    static const struct {
        const char *s;
        int ok;
    } cases[] = {
        {"ascii", 1},
        {"重庆", 1},
        {"\xF0\x9F\x98\x80", 1},  /* U+1F600 */
        {"\xC0\xAF", 0},          /* overlong '/' */
        {"\xED\xA0\x80", 0},      /* a surrogate */
        {"\xE9\x87", 0},          /* truncated */
        {"\xFF", 0},
        {gb, 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct enc_utf8_state s = {0};
        enc_utf8_feed(&s, cases[i].s, strlen(cases[i].s));
        if (enc_utf8_finish(&s) != cases[i].ok)
            fail_msg("case %zu", i);
    }
    /* a character split across two chunks is still valid */
    struct enc_utf8_state s = {0};
    enc_utf8_feed(&s, "\xE9\x87", 2);
    enc_utf8_feed(&s, "\x8D", 1);
    assert_true(enc_utf8_finish(&s));
}

TEST_CASE(test_to_utf8)
{
    char *out;
    size_t len;
    enum enc_kind k;
    assert_int_equal(enc_to_utf8(utf, strlen(utf), &out, &len, &k), DD_OK);
    assert_int_equal(k, ENC_UTF8);
    assert_string_equal(out, utf);
    free(out);
    assert_int_equal(enc_to_utf8(gb, strlen(gb), &out, &len, &k), DD_OK);
    assert_int_equal(k, ENC_GB18030);
    assert_string_equal(out, utf);
    assert_int_equal(len, strlen(utf));
    free(out);
    /* 0x80 0xFF is neither UTF-8 nor GB18030 */
    assert_int_equal(enc_to_utf8("a\x80\xFF", 3, &out, &len, &k), DD_EINVAL);
}

/* A GB18030 file much larger than one chunk, through detection and the
 * streaming reader. */
TEST_CASE(test_file)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    size_t n = 30000;
    for (size_t i = 0; i < n; i++) {
        assert_true(fputs(gb, f) >= 0);
        assert_int_equal(putc('\n', f), '\n');
    }
    rewind(f);
    enum enc_kind k;
    assert_int_equal(enc_detect_file(f, &k), DD_OK);
    assert_int_equal(k, ENC_GB18030);
    struct enc_reader *r = enc_reader_new(f, k);
    assert_non_null(r);
    char buf[1000], line[64];
    size_t got, total = 0, ll = 0, lines = 0;
    do {
        assert_int_equal(enc_reader_read(r, buf, sizeof(buf), &got), DD_OK);
        for (size_t i = 0; i < got; i++) {
            if (buf[i] == '\n') {
                line[ll] = '\0';
                assert_string_equal(line, utf);
                ll = 0;
                lines++;
            } else {
                assert_true(ll < sizeof(line) - 1);
                line[ll++] = buf[i];
            }
        }
        total += got;
    } while (got);
    assert_int_equal(lines, n);
    assert_int_equal(total, n * (strlen(utf) + 1));
    enc_reader_free(r);
    /* a bad byte part-way is DD_EINVAL with its offset */
    rewind(f);
    assert_true(fputs("\x80\xFF", f) >= 0);
    rewind(f);
    r = enc_reader_new(f, ENC_GB18030);
    enum dd_status rc;
    while ((rc = enc_reader_read(r, buf, sizeof(buf), &got)) == DD_OK && got)
        ;
    assert_int_equal(rc, DD_EINVAL);
    assert_int_equal(enc_reader_bad_offset(r), 0);
    enc_reader_free(r);
    fclose(f);
}

UNIT_TESTS(NULL, NULL, cmocka_unit_test(test_utf8_check),
           cmocka_unit_test(test_to_utf8), cmocka_unit_test(test_file))
