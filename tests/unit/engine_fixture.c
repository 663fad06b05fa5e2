/* SPDX-License-Identifier: MIT */
/* The engines' shared test scaffolding: see engine_fixture.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "engine_fixture.h"

#include "domain/policy.h"
#include "refdata/refdata.h"

struct explain ex_buf;

int
has_rule(const char *id, enum explain_result res)
{
    for (size_t i = 0; i < ex_buf.count; i++)
        if (strcmp(ex_buf.lines[i].rule->id, id) == 0 &&
            ex_buf.lines[i].result == res)
            return 1;
    return 0;
}

const struct explain_line *
line_find(const char *rule_id)
{
    for (size_t i = 0; i < ex_buf.count; i++)
        if (strcmp(ex_buf.lines[i].rule->id, rule_id) == 0)
            return &ex_buf.lines[i];
    return NULL;
}

int
lines_count(const char *rule_id)
{
    int n = 0;
    for (size_t i = 0; i < ex_buf.count; i++)
        n += strcmp(ex_buf.lines[i].rule->id, rule_id) == 0;
    return n;
}

void
row_expect(const char *row, const struct row_figure *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (f[i].want != ROW_ANY && f[i].want != f[i].got)
            fail_msg("row %s: %s %lld expected, got %lld", row, f[i].what,
                     (long long)f[i].want, (long long)f[i].got);
}

void
row_rule(const char *row, const char *rule, enum explain_result res)
{
    if (rule != NULL && !has_rule(rule, res))
        fail_msg("row %s: no line %s with result %d", row, rule, (int)res);
}

void
row_line(const char *row, const char *rule, int res)
{
    if (rule == NULL)
        return;
    const struct explain_line *l = line_find(rule);
    if (l == NULL)
        fail_msg("row %s: no line %s", row, rule);
    if (res != ROW_ANY && (int)l->result != res)
        fail_msg("row %s: line %s has result %d, %d expected", row, rule,
                 (int)l->result, res);
}

int
row_of(const char *row, const char *test)
{
    size_t n = strlen(test);
    return strncmp(row, test, n) == 0 && (row[n] == '\0' || row[n] == '/');
}

void
rows_walk(const void *table, size_t n, size_t stride, const char *test,
          void (*check)(const void *row))
{
    int rows = 0;
    for (size_t i = 0; i < n; i++) {
        const void *row = (const char *)table + i * stride;
        const char *name;
        memcpy(&name, row, sizeof(name));
        if (row_of(name, test)) {
            check(row);
            rows++;
        }
    }
    if (rows == 0)
        fail_msg("no rows of %s", test);
}

void
explain_adds_up(int64_t amount_fen)
{
    assert_false(ex_buf.truncated);
    assert_int_equal(explain_amount_sum(&ex_buf), amount_fen);
}

void
results_agree(const void *a, const void *b, size_t size, int64_t amount_fen,
              int64_t parts_sum)
{
    assert_memory_equal(a, b, size);
    assert_true(amount_fen >= 0);
    assert_int_equal(parts_sum, amount_fen);
    explain_adds_up(amount_fen);
}

void
render_has(int zh, size_t cap, ...)
{
    static char text[16384];
    assert_true(cap <= sizeof(text));
    assert_int_equal(explain_render(&ex_buf, zh, text, cap), DD_OK);
    va_list ap;
    va_start(ap, cap);
    for (const char *want; (want = va_arg(ap, const char *)) != NULL;)
        if (strstr(text, want) == NULL)
            fail_msg("the %s explanation lacks \"%s\":\n%s",
                     zh ? "Chinese" : "English", want, text);
    va_end(ap);
}

int64_t
parts_sum_(const void *parts, size_t stride, size_t offset, size_t count)
{
    const char *p = parts;
    int64_t s = 0;
    for (size_t i = 0; i < count; i++) {
        int64_t v;
        memcpy(&v, p + i * stride + offset, sizeof(v));
        s += v;
    }
    return s;
}

struct policy_table *
seed_policy_load(void)
{
    char path[1024], reason[256];
    size_t bad_line = 0;
    snprintf(path, sizeof(path), "%s/data/%s", DOUDI_SOURCE_DIR,
             REFDATA_POLICY_FILE);
    struct policy_table *t = policy_table_new();
    if (!t)
        return NULL;
    enum dd_status rc =
        refdata_policy_read(path, t, &bad_line, reason, sizeof(reason));
    if (rc != DD_OK) {
        fprintf(stderr, "%s: line %zu: %s (%s)\n", path, bad_line, reason,
                dd_status_name(rc));
        policy_table_free(t);
        return NULL;
    }
    return t;
}

struct policy_table *seed;

int
seed_setup(void **state)
{
    (void)state;
    seed = seed_policy_load();
    return seed ? 0 : -1;
}

int
seed_teardown(void **state)
{
    (void)state;
    policy_table_free(seed);
    seed = NULL;
    return 0;
}
