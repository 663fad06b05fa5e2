/* SPDX-License-Identifier: MIT */
/* The monthly return's and the dashboard's pure parts: summary rows
 * into programme × urban/rural with each programme's total and the total
 * over programmes, the month's case counts, rows refused that the report
 * cannot hold, the trend's grid by district and month; and the table as
 * CSV (the BOM, the header, yuan with 2 decimals, each row) and xlsx. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "unit_main.h"

#include "domain/month.h"
#include "io/report_export.h"
#include "report/caseload_report.h"

static struct payment_summary_row
summary(const char *item, const char *area, int64_t households, int64_t persons,
        int64_t lines, int64_t fen)
{
    struct payment_summary_row r = {.households = households,
                                    .persons = persons,
                                    .elderly = 1,
                                    .minors = 2,
                                    .disabled = 3,
                                    .lines = lines,
                                    .amount_fen = fen};
    snprintf(r.item_code, sizeof(r.item_code), "%s", item);
    snprintf(r.urban_rural, sizeof(r.urban_rural), "%s", area);
    return r;
}

static void
add_ok(struct monthly_report *r, struct payment_summary_row s)
{
    assert_int_equal(monthly_report_add(r, &s), 0);
}

static void
move_add(struct monthly_report *r, const char *kind, const char *item,
         int64_t n, int expect)
{
    struct caseload_move_row m = {.cases = n};
    snprintf(m.kind, sizeof(m.kind), "%s", kind);
    snprintf(m.item_code, sizeof(m.item_code), "%s", item);
    assert_int_equal(monthly_report_add_move(r, &m), expect);
}

/* A report for 500101 in 2026-03: tekun urban, dibao urban and rural
 * (two townships' rows of dibao rural), cases of dibao and of
 * disability_living (a programme with no payment that month). */
static void
sample(struct monthly_report *r)
{
    monthly_report_init(r, "500101", "2026-03");
    add_ok(r, summary("tekun", "urban", 1, 1, 1, 120000));
    add_ok(r, summary("dibao", "rural", 2, 5, 4, 150050));
    add_ok(r, summary("dibao", "urban", 3, 6, 3, 300000));
    add_ok(r, summary("dibao", "rural", 1, 2, 1, 50000));
    move_add(r, "new", "dibao", 2, 0);
    move_add(r, "stopped", "dibao", 1, 0);
    move_add(r, "changed", "dibao", 3, 0);
    move_add(r, "new", "disability_living", 4, 0);
}

static void
test_monthly_rows(void **state)
{
    (void)state;
    struct monthly_report *r = calloc(1, sizeof(*r));
    assert_non_null(r);
    sample(r);
    /* programmes in code order, whichever came first */
    assert_int_equal(r->n_items, 3);
    assert_string_equal(r->items[0].code, "dibao");
    assert_string_equal(r->items[1].code, "disability_living");
    assert_string_equal(r->items[2].code, "tekun");
    const struct report_item *d = &r->items[0];
    /* rural: the two townships' rows, 2 + 1 households, 5 + 2 persons,
     * 150050 + 50000 = 200050 fen in 4 + 1 lines */
    assert_int_equal(d->rural.households, 3);
    assert_int_equal(d->rural.persons, 7);
    assert_int_equal(d->rural.lines, 5);
    assert_int_equal(d->rural.amount_fen, 200050);
    assert_int_equal(d->rural.disabled, 6);
    assert_int_equal(d->urban.households, 3);
    assert_int_equal(d->urban.amount_fen, 300000);
    /* total: urban + rural, 6 households, 13 persons, 500050 fen */
    assert_int_equal(d->total.households, 6);
    assert_int_equal(d->total.persons, 13);
    assert_int_equal(d->total.amount_fen, 500050);
    assert_int_equal(d->total.elderly, 3);
    assert_int_equal(d->new_cases, 2);
    assert_int_equal(d->stopped_cases, 1);
    assert_int_equal(d->changed_cases, 3);
    /* a programme with cases and no money */
    assert_int_equal(r->items[1].new_cases, 4);
    assert_int_equal(r->items[1].total.amount_fen, 0);
    /* over programmes: 500050 + 120000 = 620050 fen, 7 households */
    assert_int_equal(r->all.amount_fen, 620050);
    assert_int_equal(r->all.households, 7);
    assert_int_equal(r->all.lines, 9);
    free(r);
}

static void
test_monthly_refused(void **state)
{
    (void)state;
    struct monthly_report *r = calloc(1, sizeof(*r));
    assert_non_null(r);
    monthly_report_init(r, "50", "2026-03");
    struct payment_summary_row bad = summary("dibao", "suburb", 1, 1, 1, 1);
    assert_int_equal(monthly_report_add(r, &bad), -1);
    move_add(r, "moved", "dibao", 1, -1);
    assert_int_equal(r->n_items, 0); /* nothing half-added */
    char code[32];
    for (int i = 0; i < REPORT_ITEMS_MAX; i++) {
        snprintf(code, sizeof(code), "item%02d", i);
        add_ok(r, summary(code, "urban", 1, 1, 1, 1));
    }
    struct payment_summary_row more = summary("zzz", "urban", 1, 1, 1, 1);
    assert_int_equal(monthly_report_add(r, &more), -1);
    move_add(r, "new", "zzz", 1, -1);
    /* a programme already there still adds */
    add_ok(r, summary("item00", "rural", 1, 1, 1, 1));
    assert_int_equal(r->items[0].total.households, 2);
    free(r);
}

static struct payment_trend_row
trend_row(const char *month, const char *county, int64_t households)
{
    struct payment_trend_row t = {.households = households,
                                  .persons = households * 2,
                                  .amount_fen = households * 50000};
    snprintf(t.month, sizeof(t.month), "%s", month);
    snprintf(t.county_code, sizeof(t.county_code), "%s", county);
    return t;
}

static void
test_trend(void **state)
{
    (void)state;
    static const char *const codes[] = {"500101", "500102", "500103"};
    struct caseload_trend *t = calloc(1, sizeof(*t));
    assert_non_null(t);
    int32_t last;
    assert_int_equal(month_parse("2026-02", &last), 0);
    assert_int_equal(caseload_trend_init(t, last, 37, codes, 3), -1);
    assert_int_equal(caseload_trend_init(t, last, 0, codes, 3), -1);
    /* 3 months ending 2026-02: 2025-12, 2026-01, 2026-02 */
    assert_int_equal(caseload_trend_init(t, last, 3, codes, 3), 0);
    struct payment_trend_row rows[] = {
        trend_row("2025-12", "500103", 4), trend_row("2026-02", "500101", 7),
        trend_row("2026-02", "500103", 1),
        trend_row("2026-01", "500199", 5), /* not a district listed */
    };
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(caseload_trend_add(t, &rows[i]), 0);
    struct payment_trend_row early = trend_row("2025-11", "500101", 1);
    struct payment_trend_row late = trend_row("2026-03", "500101", 1);
    assert_int_equal(caseload_trend_add(t, &early), -1);
    assert_int_equal(caseload_trend_add(t, &late), -1);
    assert_int_equal(t->cells[2][0].households, 4);
    assert_int_equal(t->cells[0][2].households, 7);
    assert_int_equal(t->cells[0][2].amount_fen, 350000);
    assert_int_equal(t->cells[1][2].households, 0);
    /* the totals: 4; 5 (the unlisted one); 7 + 1 = 8 */
    assert_int_equal(t->total[0].households, 4);
    assert_int_equal(t->total[1].households, 5);
    assert_int_equal(t->total[2].households, 8);
    assert_int_equal(t->total[2].persons, 16);
    free(t);
}

/* The table of sample(): the BOM, the header, then each programme's
 * urban, rural and total rows, and the total over programmes. */
static void
test_csv(void **state)
{
    (void)state;
    struct monthly_report *r = calloc(1, sizeof(*r));
    assert_non_null(r);
    sample(r);
    const char *names[] = {"最低生活保障", "困难残疾人生活补贴",
                           "特困人员救助供养"};
    struct report_table t = {r, "万州区", names};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(report_export_csv(&t, f), DD_OK);
    fclose(f);
    assert_memory_equal(buf, "\xEF\xBB\xBF", 3);
    assert_non_null(strstr(buf, "\xEF\xBB\xBF地区代码 region,地区 region "
                                "name,月份 month,"));
    /* dibao rural: 3 households, 7 persons, 2+2+... of whom, 5 lines,
     * 200050 fen = 2000.50 yuan; no case counts on an area's row */
    assert_non_null(strstr(buf, "\r\n500101,万州区,2026-03,dibao,"
                                "最低生活保障,农村 rural,3,7,2,4,6,5,"
                                "2000.50,,,\r\n"));
    /* dibao total: 6, 13, 3, 6, 9, 8 lines, 5000.50 yuan, 2 new, 1
     * stopped, 3 changed */
    assert_non_null(strstr(buf, "\r\n500101,万州区,2026-03,dibao,"
                                "最低生活保障,小计 total,6,13,3,6,9,8,"
                                "5000.50,2,1,3\r\n"));
    assert_non_null(strstr(buf, ",disability_living,困难残疾人生活补贴,"
                                "小计 total,0,0,0,0,0,0,0.00,4,0,0\r\n"));
    /* the last row: over programmes, 6200.50 yuan */
    assert_non_null(strstr(buf, ",all,合计(户次、人次) all programmes,"
                                "合计 total,7,14,4,8,12,9,6200.50,,,\r\n"));
    /* 1 header + 3 programmes × 3 + 1 */
    int rows = 0;
    for (const char *p = buf; (p = strstr(p, "\r\n")); p += 2)
        rows++;
    assert_int_equal(rows, 11);
    free(buf);
    free(r);
}

static void
test_xlsx(void **state)
{
    (void)state;
    struct monthly_report *r = calloc(1, sizeof(*r));
    assert_non_null(r);
    sample(r);
    const char *names[] = {"a", "b", "c"};
    struct report_table t = {r, "万州区", names};
    char path[] = "/tmp/doudi-report-test-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(report_export_xlsx(&t, path), DD_OK);
    char head[2] = {0};
    assert_int_equal(read(fd, head, 2), 2);
    assert_memory_equal(head, "PK", 2); /* a zip: the workbook */
    close(fd);
    unlink(path);
    assert_int_equal(report_export_xlsx(&t, "/nonexistent/dir/x.xlsx"),
                     DD_EINTERNAL);
    free(r);
}

UNIT_TESTS(NULL, NULL, cmocka_unit_test(test_monthly_rows),
           cmocka_unit_test(test_monthly_refused), cmocka_unit_test(test_trend),
           cmocka_unit_test(test_csv), cmocka_unit_test(test_xlsx))
