/* SPDX-License-Identifier: MIT */
/* What the engines' unit tests share (not a test itself: the unit tests
 * are tests/unit/test_*.c): the explanation buffer each assessment fills
 * and the look-ups into it, the checks that parts and explanation lines
 * add up to the amount, and the seed's policy table for the tests that
 * resolve parameters from data/policy/params.csv. */
#ifndef DD_TEST_ENGINE_FIXTURE_H
#define DD_TEST_ENGINE_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "domain/explain.h"

struct policy_table;

/* The explanation of the last assessment (17 KB: off the stack). */
extern struct explain ex_buf;

/* Whether ex_buf has a line of rule id with result res. */
int has_rule(const char *id, enum explain_result res);
/* The first line of ex_buf with rule_id, or NULL. */
const struct explain_line *line_find(const char *rule_id);
/* How many lines of ex_buf have rule_id. */
int lines_count(const char *rule_id);

/* An engine's result assessed without (a) and with (b) ex_buf: the two
 * agree to the byte, the amount is not negative, and both the parts
 * (parts_sum) and ex_buf's lines add up to it. */
void results_agree(const void *a, const void *b, size_t size,
                   int64_t amount_fen, int64_t parts_sum);

/* ex_buf was not truncated and its lines' amounts add up to amount_fen. */
void explain_adds_up(int64_t amount_fen);

/* ex_buf rendered in Chinese (zh 1) or English (zh 0) into a buffer of
 * cap bytes (at most 16384) is DD_OK and has each of the strings that
 * follow, NULL after the last; a missing one fails naming it and showing
 * the text. */
void render_has(int zh, size_t cap, ...);

/* The sum of an engine result's parts[0 .. part_count) amount_fen, for
 * any engine's result (struct dibao_result, tempaid_result, ...). */
int64_t parts_sum_(const void *parts, size_t stride, size_t offset,
                   size_t count);
#define PARTS_SUM(r)                                                           \
    parts_sum_((r)->parts, sizeof((r)->parts[0]),                              \
               (size_t)((const char *)&(r)->parts[0].amount_fen -              \
                        (const char *)&(r)->parts[0]),                         \
               (r)->part_count)

/* ---- tables of hand-worked cases ----
 * A row of a case table names itself "test/step" (the cmocka test that
 * walks it, then the step); rows_of(table's names, count, test) gives the
 * rows of one test. A row's expected figures are checked by row_expect:
 * each {what, want, got}, want ROW_ANY (-1) not checked, a difference
 * failing with the row's name, the figure's name and both values. */
#define ROW_ANY (-1)
struct row_figure {
    const char *what;
    int64_t want, got;
};
void row_expect(const char *row, const struct row_figure *f, size_t n);
#define ROW_EXPECT(row, ...)                                                   \
    row_expect((row), (const struct row_figure[]){__VA_ARGS__},                \
               sizeof((const struct row_figure[]){__VA_ARGS__}) /             \
                   sizeof(struct row_figure))
/* ex_buf has a line of rule with result res (rule NULL: nothing checked),
 * else fails naming the row. */
void row_rule(const char *row, const char *rule, enum explain_result res);
/* ex_buf's first line of rule (NULL: nothing checked) exists and, res
 * not ROW_ANY, has result res, else fails naming the row. */
void row_line(const char *row, const char *rule, int res);
/* Whether row name "test/step" (or "test") belongs to test. */
int row_of(const char *row, const char *test);
/* Calls check on each row of test in table (n rows of stride bytes, each
 * starting with its name, a const char *); fails when test has none. */
void rows_walk(const void *table, size_t n, size_t stride, const char *test,
               void (*check)(const void *row));
#define ROWS_WALK(table, test, check)                                          \
    rows_walk((table), sizeof(table) / sizeof((table)[0]), sizeof((table)[0]), \
              (test), (check))

/* The seed's policy table (DOUDI_SOURCE_DIR/data/policy/params.csv), or
 * NULL having said why on stderr; the caller frees it. */
struct policy_table *seed_policy_load(void);

/* The seed's policy table of a group: seed_setup loads it into seed
 * (-1 when it cannot), seed_teardown frees it (seed NULL after). */
extern struct policy_table *seed;
int seed_setup(void **state);
int seed_teardown(void **state);

#endif
