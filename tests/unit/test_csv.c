/* SPDX-License-Identifier: MIT */
/* The CSV reader and writer: quoting, doubled quotes, CRLF and LF, the
 * BOM, empty lines, the record cap, line numbers, malformed input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "unit_main.h"

#include "io/csv.h"

/* Reads all of text; joins each record's fields with '|' and records
 * with ';' prefixed by the line ("1:a|b;3:c"). Returns the final status. */
static enum dd_status
read_all(const char *text, size_t cap, char *out, size_t out_cap)
{
    struct csv_mem m = {text, strlen(text), 0};
    struct csv_reader *r = csv_reader_new(csv_mem_source, &m, cap);
    struct csv_record rec;
    enum dd_status rc;
    size_t len = 0;
    out[0] = '\0';
    assert_non_null(r);
    while ((rc = csv_reader_next(r, &rec)) == DD_OK) {
        len += (size_t)snprintf(out + len, out_cap - len, "%ld:", rec.line);
        for (size_t i = 0; i < rec.count; i++)
            len += (size_t)snprintf(out + len, out_cap - len, "%s%s",
                                    i ? "|" : "", rec.fields[i]);
        len += (size_t)snprintf(out + len, out_cap - len, ";");
    }
    if (rc == DD_EINVAL) {
        assert_non_null(csv_reader_error(r));
        len += (size_t)snprintf(out + len, out_cap - len, "E%ld", rec.line);
    }
    csv_reader_free(r);
    return rc;
}

static const struct {
    const char *in, *want;
    enum dd_status rc;
} cases[] = {
    {"a,b\nc,d\n", "1:a|b;2:c|d;", DD_ENOTFOUND},
    {"a,b\r\nc,d", "1:a|b;2:c|d;", DD_ENOTFOUND},
    {"\xEF\xBB\xBF户,b\n", "1:户|b;", DD_ENOTFOUND},
    {"\"x,y\",\"say \"\"hi\"\"\"\n", "1:x,y|say \"hi\";", DD_ENOTFOUND},
    {"\"two\nlines\",z\nnext\n", "1:two\nlines|z;3:next;", DD_ENOTFOUND},
    {"a,,\n\n\r\nb\n", "1:a||;4:b;", DD_ENOTFOUND},
    {",\n", "1:|;", DD_ENOTFOUND},
    {"\"\"\n", "1:;", DD_ENOTFOUND},
    {"", "", DD_ENOTFOUND},
    {"a\n\"open\n", "1:a;E2", DD_EINVAL},
    {"a\nb\"c\n", "1:a;E2", DD_EINVAL},
    {"\"q\"x\n", "E1", DD_EINVAL},
    {"ok\n0123456789012345678901234567890123456789\n", "1:ok;E2", DD_EINVAL},
};

TEST_CASE(test_cases)
{
    char out[256];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        enum dd_status rc = read_all(cases[i].in, 32, out, sizeof(out));
        if (strcmp(out, cases[i].want) != 0 || rc != cases[i].rc)
            fail_msg("case %zu: got \"%s\" (%d), want \"%s\"", i, out, rc,
                     cases[i].want);
    }
}

/* A record split across the reader's 64 KiB refills reads whole. */
TEST_CASE(test_long_input)
{
    size_t n = 20000, len = 0;
    char *text = calloc(1, n * 9 + 1);
    assert_non_null(text);
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, n * 9 + 1 - len, "%05zu,\"\"\n", i);
    struct csv_mem m = {text, len, 0};
    struct csv_reader *r = csv_reader_new(csv_mem_source, &m, 64);
    struct csv_record rec;
    size_t got = 0;
    while (csv_reader_next(r, &rec) == DD_OK) {
        char want[8];
        snprintf(want, sizeof(want), "%05zu", got);
        assert_int_equal(rec.count, 2);
        assert_string_equal(rec.fields[0], want);
        assert_string_equal(rec.fields[1], "");
        assert_int_equal(rec.line, (long)got + 1);
        got++;
    }
    assert_int_equal(got, n);
    csv_reader_free(r);
    free(text);
}

/* What the writer writes, the reader reads back. */
TEST_CASE(test_round_trip)
{
    const char *fields[] = {"plain", "a,b", "q\"q", "l1\nl2", "", "重庆"};
    char *data = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&data, &len);
    assert_non_null(f);
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(csv_write_field(f, fields[i], i == 5), 0);
    fclose(f);
    assert_string_equal(data, "plain,\"a,b\",\"q\"\"q\",\"l1\nl2\",,重庆\r\n");
    struct csv_mem m = {data, len, 0};
    struct csv_reader *r = csv_reader_new(csv_mem_source, &m, 1024);
    struct csv_record rec;
    assert_int_equal(csv_reader_next(r, &rec), DD_OK);
    assert_int_equal(rec.count, 6);
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(rec.fields[i], fields[i]);
    assert_int_equal(csv_reader_next(r, &rec), DD_ENOTFOUND);
    csv_reader_free(r);
    free(data);
}

UNIT_TESTS(NULL, NULL, cmocka_unit_test(test_cases),
           cmocka_unit_test(test_long_input), cmocka_unit_test(test_round_trip))
