/* SPDX-License-Identifier: MIT */
/* The working-day calendar: deadlines worked by hand from the State
 * Council's notices for the 2022 Spring Festival (国办发明电〔2021〕11号:
 * 1月31日至2月6日放假, 1月29日(周六)、1月30日(周日)上班) and the 2023
 * Mid-Autumn and National Day (国办发明电〔2022〕16号: 9月29日至10月6日放
 * 假, 10月7日(周六)、10月8日(周日)上班), then the shipped
 * data/cn-holidays.csv giving the same answers, and its reader's
 * refusals. Convention (docs/calendar.md): the start day is never counted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "text_file.h"

#include "unit_main.h"

#include "domain/workcal.h"
#include "refdata/refdata.h"

#ifndef DOUDI_SOURCE_DIR
#define DOUDI_SOURCE_DIR "."
#endif

static int32_t
D(const char *s)
{
    int32_t d;
    if (workcal_parse_date(s, &d) != 0)
        fail_msg("bad test date %s", s);
    return d;
}

static const char *
S(int32_t day)
{
    static char bufs[4][11];
    static int next;
    char *b = bufs[next++ % 4];
    workcal_format_date(day, b);
    return b;
}

static void
mark_range(struct workcal *c, const char *from, const char *to, int is_off,
           const char *name)
{
    for (int32_t d = D(from); d <= D(to); d++)
        assert_int_equal(workcal_mark_named(c, d, is_off, name), DD_OK);
}

/* The two notices' rows, entered by hand (2022 and 2023 only). */
static struct workcal *
by_hand(void)
{
    struct workcal *c = workcal_new();
    assert_non_null(c);
    mark_range(c, "2022-01-29", "2022-01-30", 0, "春节");
    mark_range(c, "2022-01-31", "2022-02-06", 1, "春节");
    mark_range(c, "2023-09-29", "2023-10-06", 1, "中秋节、国庆节");
    mark_range(c, "2023-10-07", "2023-10-08", 0, "中秋节、国庆节");
    return c;
}

static struct workcal *
shipped(void)
{
    struct workcal *c = workcal_new();
    size_t line = 0;
    char why[160];
    assert_non_null(c);
    enum dd_status rc = refdata_holidays_read(
        DOUDI_SOURCE_DIR "/data/cn-holidays.csv", c, &line, why, sizeof(why));
    if (rc != DD_OK)
        fail_msg("cn-holidays.csv line %zu: %s", line, why);
    return c;
}

/* The N-th working day after from, and whether it was flagged. */
static const char *
add(const struct workcal *c, const char *from, int n, int *uncovered)
{
    int unc = -1;
    int32_t d = workcal_add_working_days(c, D(from), n, &unc);
    assert_true(unc == 0 || unc == 1);
    if (uncovered)
        *uncovered = unc;
    return S(d);
}

/* from + n working days on c is want, flagged as beyond the calendar or
 * not as flagged says. */
static void
add_is(const struct workcal *c, const char *from, int n, const char *want,
       int flagged)
{
    int unc;
    assert_string_equal(add(c, from, n, &unc), want);
    assert_int_equal(unc, flagged);
}

TEST_CASE(test_dates)
{
    assert_int_equal(workcal_day_from_ymd(1970, 1, 1), 0);
    assert_int_equal(workcal_day_from_ymd(2022, 1, 31), 19023);
    assert_int_equal(workcal_weekday(0), 3);               /* Thursday */
    assert_int_equal(workcal_weekday(D("2022-01-29")), 5); /* Saturday */
    assert_int_equal(workcal_weekday(D("2023-10-08")), 6); /* Sunday */
    assert_int_equal(workcal_weekday(D("1969-12-29")), 0); /* Monday */
    /* Feb 29: leap years only (2000 yes, 2100 no) */
    assert_int_not_equal(workcal_day_from_ymd(2024, 2, 29), INT32_MIN);
    assert_int_equal(workcal_day_from_ymd(2023, 2, 29), INT32_MIN);
    assert_int_equal(workcal_day_from_ymd(2100, 2, 29), INT32_MIN);
    assert_int_not_equal(workcal_day_from_ymd(2000, 2, 29), INT32_MIN);
    assert_int_equal(D("2024-03-01") - D("2024-02-28"), 2);
    int32_t d;
    assert_int_equal(workcal_parse_date("2023-02-29", &d), -1);
    assert_int_equal(workcal_parse_date("2023-13-01", &d), -1);
    assert_int_equal(workcal_parse_date("2023-1-01", &d), -1);
    assert_int_equal(workcal_parse_date("2023-01-01T00", &d), -1);
    assert_int_equal(workcal_parse_date("2O23-01-01", &d), -1);
    assert_int_equal(workcal_parse_date("", &d), -1);
    /* round trips across a range of years, leap days included */
    for (int32_t x = D("1999-12-25"); x < D("2030-01-05"); x++) {
        int y, m, dd;
        char s[11];
        workcal_ymd_from_day(x, &y, &m, &dd);
        assert_int_equal(workcal_day_from_ymd(y, m, dd), x);
        workcal_format_date(x, s);
        assert_int_equal(workcal_parse_date(s, &d), 0);
        assert_int_equal(d, x);
    }
    assert_string_equal(S(D("2024-02-29")), "2024-02-29");
    assert_string_equal(S(D("1970-01-01") - 1), "1969-12-31");
}

/* A working-day sum worked by hand: from + n working days is want. */
struct add_row {
    const char *from;
    int n;
    const char *want;
};

/* Each row of rows[0 .. n) added on c; the first also not flagged as
 * beyond the calendar. A difference fails naming the row. */
static void
adds_walk(const struct workcal *c, const struct add_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int unc;
        const char *got = add(c, rows[i].from, rows[i].n, &unc);
        if (strcmp(got, rows[i].want) != 0 || (i == 0 && unc != 0))
            fail_msg("%s + %d working days: %s (flagged %d), want %s",
                     rows[i].from, rows[i].n, got, unc, rows[i].want);
    }
}

/* Spring Festival 2022 (国办发明电〔2021〕11号). */
/* clang-format off */
static const struct add_row spring_2022[] = {
    /* accepted Friday 01-28: day 1 is Saturday 01-29, worked (调休) */
    {"2022-01-28", 1, "2022-01-29"}, {"2022-01-28", 2, "2022-01-30"},
    /* then 01-31..02-06 are off: day 3 is Monday 02-07 */
    {"2022-01-28", 3, "2022-02-07"}, {"2022-01-28", 5, "2022-02-09"},
    /* 15 working days from Thursday 01-27: 28, 29, 30 | 7, 8, 9, 10, 11 |
     * 14..18 | 21, 22 */
    {"2022-01-27", 15, "2022-02-22"},
    /* starting ON the worked Saturday: it is not counted */
    {"2022-01-29", 1, "2022-01-30"}, {"2022-01-29", 2, "2022-02-07"},
    {"2022-01-30", 1, "2022-02-07"},
    /* starting inside the holiday */
    {"2022-01-31", 1, "2022-02-07"}, {"2022-02-02", 3, "2022-02-09"},
    {"2022-02-06", 1, "2022-02-07"},
    /* n = 0 is the day itself, even a holiday */
    {"2022-02-02", 0, "2022-02-02"},
};

/* Mid-Autumn and National Day 2023 (国办发明电〔2022〕16号). */
static const struct add_row national_2023[] = {
    /* Thursday 09-28: Friday 09-29 is off; day 1 is Saturday 10-07 */
    {"2023-09-28", 1, "2023-10-07"}, {"2023-09-28", 2, "2023-10-08"},
    {"2023-09-28", 3, "2023-10-09"},
    /* 15 from Wednesday 09-27: 28 | 7, 8, 9..13 | 16..20 | 23, 24 */
    {"2023-09-27", 15, "2023-10-24"},
    /* starting ON the worked Saturday 10-07, and on the Sunday */
    {"2023-10-07", 1, "2023-10-08"}, {"2023-10-07", 2, "2023-10-09"},
    {"2023-10-08", 1, "2023-10-09"},
    /* starting inside the holiday, on a Sunday and on a weekday */
    {"2023-10-01", 1, "2023-10-07"}, {"2023-10-03", 3, "2023-10-09"},
    {"2023-10-06", 1, "2023-10-07"},
};
/* clang-format on */

static void
spring_festival_2022(const struct workcal *c)
{
    adds_walk(c, spring_2022, sizeof(spring_2022) / sizeof(spring_2022[0]));
    assert_true(workcal_is_working_day(c, D("2022-01-29")));
    assert_true(workcal_is_working_day(c, D("2022-01-30")));
    assert_false(workcal_is_working_day(c, D("2022-01-31")));
    assert_false(workcal_is_working_day(c, D("2022-02-04")));
    assert_false(workcal_is_working_day(c, D("2022-02-05")));
    assert_true(workcal_is_working_day(c, D("2022-02-07")));
    assert_string_equal(workcal_name(c, D("2022-02-01")), "春节");
    assert_string_equal(workcal_name(c, D("2022-01-29")), "春节");
    assert_null(workcal_name(c, D("2022-02-07")));
}

static void
national_day_2023(const struct workcal *c)
{
    adds_walk(c, national_2023,
              sizeof(national_2023) / sizeof(national_2023[0]));
    /* the 公示's 7 calendar days do not look at the calendar at all:
     * 09-28 + 7 = 10-05, a holiday */
    assert_string_equal(S(D("2023-09-28") + 7), "2023-10-05");
}

/* The working days in (from, to] on c. */
static int
between(const struct workcal *c, const char *from, const char *to)
{
    return workcal_working_days_between(c, D(from), D(to), NULL);
}

static void
between_and_left(const struct workcal *c)
{
    int unc = -1;
    /* (01-28, 02-07]: 29, 30, 7 */
    assert_int_equal(
        workcal_working_days_between(c, D("2022-01-28"), D("2022-02-07"), &unc),
        3);
    assert_int_equal(unc, 0);
    /* the holiday alone holds none */
    assert_int_equal(between(c, "2022-01-30", "2022-02-06"), 0);
    /* (09-28, 10-09]: 7, 8, 9 */
    assert_int_equal(between(c, "2023-09-28", "2023-10-09"), 3);
    /* to <= from: 0 */
    assert_int_equal(between(c, "2023-10-09", "2023-09-28"), 0);
    assert_int_equal(between(c, "2023-10-09", "2023-10-09"), 0);
    /* a clock paused from 01-28 to 02-08 moves the deadline by 4 */
    int paused =
        workcal_working_days_between(c, D("2022-01-28"), D("2022-02-08"), NULL);
    assert_int_equal(paused, 4);
    assert_string_equal(
        S(workcal_add_working_days(c, D("2022-02-22"), paused, NULL)),
        "2022-02-28");
    /* left: ahead, on the day, past */
    int32_t deadline = D("2023-10-09");
    assert_int_equal(
        workcal_working_days_left(c, D("2023-09-28"), deadline, NULL), 3);
    assert_int_equal(
        workcal_working_days_left(c, D("2023-10-01"), deadline, NULL), 3);
    assert_int_equal(
        workcal_working_days_left(c, D("2023-10-08"), deadline, NULL), 1);
    assert_int_equal(workcal_working_days_left(c, deadline, deadline, NULL), 0);
    assert_int_equal(
        workcal_working_days_left(c, D("2023-10-10"), deadline, NULL), -1);
    assert_int_equal(
        workcal_working_days_left(c, D("2023-10-16"), deadline, NULL), -5);
    /* a deadline of 10-07 seen from 10-10: 8, 9, 10 since */
    assert_int_equal(
        workcal_working_days_left(c, D("2023-10-10"), D("2023-10-07"), NULL),
        -3);
    /* between and add agree everywhere near the holidays */
    for (int32_t from = D("2022-01-20"); from < D("2022-02-15"); from++)
        for (int n = 0; n < 25; n++) {
            int32_t to = workcal_add_working_days(c, from, n, NULL);
            assert_int_equal(workcal_working_days_between(c, from, to, NULL),
                             n);
            if (n > 0)
                assert_true(workcal_is_working_day(c, to));
        }
}

TEST_CASE(test_by_hand)
{
    struct workcal *c = by_hand();
    spring_festival_2022(c);
    national_day_2023(c);
    between_and_left(c);
    /* 2024 has no rows here: flagged, weekdays only */
    add_is(c, "2024-02-08", 1, "2024-02-09", 1);
    workcal_free(c);
}

TEST_CASE(test_shipped)
{
    struct workcal *c = shipped();
    spring_festival_2022(c);
    national_day_2023(c);
    between_and_left(c);
    for (int y = 2018; y <= 2026; y++)
        assert_true(workcal_covers_year(c, y));
    assert_false(workcal_covers_year(c, 2017));
    assert_false(workcal_covers_year(c, 2027));
    int unc = -1;
    /* inside 2026: covered; 2026-10-10 (Saturday) is worked */
    add_is(c, "2026-10-09", 1, "2026-10-10", 0);
    /* Wednesday 2026-12-30 + 3 reaches into 2027: 31 | Jan 1 (Friday, no
     * notice yet, so a weekday) | Monday Jan 4, flagged */
    add_is(c, "2026-12-30", 3, "2027-01-04", 1);
    add_is(c, "2026-12-30", 1, "2026-12-31", 0);
    assert_int_equal(
        workcal_working_days_between(c, D("2026-12-30"), D("2027-01-04"), &unc),
        3);
    assert_int_equal(unc, 1);
    assert_int_equal(
        workcal_working_days_left(c, D("2027-01-04"), D("2026-12-31"), &unc),
        -2);
    assert_int_equal(unc, 1);
    /* Feb 29 2024 is an ordinary Thursday */
    add_is(c, "2024-02-28", 1, "2024-02-29", 0);
    /* a year past the table (2199 is its last): weekdays, flagged */
    add_is(c, "2199-12-30", 2, "2200-01-01", 1);
    workcal_free(c);
}

TEST_CASE(test_bad_marks)
{
    struct workcal *c = workcal_new();
    assert_non_null(c);
    int is_off = -1;
    assert_false(workcal_covers_year(c, 2022));
    assert_int_equal(workcal_mark(c, D("2022-01-31"), 1), DD_OK);
    assert_true(workcal_covers_year(c, 2022));
    assert_true(workcal_marked(c, D("2022-01-31"), &is_off));
    assert_int_equal(is_off, 1);
    assert_false(workcal_marked(c, D("2022-02-07"), &is_off));
    /* the same mark again is harmless; the other one is a conflict */
    assert_int_equal(workcal_mark(c, D("2022-01-31"), 1), DD_OK);
    assert_int_equal(workcal_mark(c, D("2022-01-31"), 0), DD_ECONFLICT);
    assert_false(workcal_is_working_day(c, D("2022-01-31")));
    /* a working Saturday, then that Saturday declared off: conflict */
    assert_int_equal(workcal_mark(c, D("2022-01-29"), 0), DD_OK);
    assert_int_equal(workcal_mark(c, D("2022-01-29"), 1), DD_ECONFLICT);
    /* outside the table, or a mark that is neither 0 nor 1 */
    assert_int_equal(workcal_mark(c, D("1969-12-31"), 1), DD_EINVAL);
    assert_int_equal(workcal_mark(c, workcal_day_from_ymd(2200, 1, 1), 1),
                     DD_EINVAL);
    assert_int_equal(workcal_mark(c, D("2022-05-02"), 2), DD_EINVAL);
    assert_false(workcal_marked(c, D("2022-05-02"), NULL));
    char long_name[WORKCAL_NAME_LEN + 1];
    memset(long_name, 'x', sizeof(long_name) - 1);
    long_name[sizeof(long_name) - 1] = '\0';
    assert_int_equal(workcal_mark_named(c, D("2022-05-03"), 1, long_name),
                     DD_EINVAL);
    /* a weekend day marked off and a weekday marked worked change nothing
     * but still count as rows for the year */
    assert_int_equal(workcal_mark(c, D("2025-01-04"), 1), DD_OK);
    assert_true(workcal_covers_year(c, 2025));
    workcal_free(c);
    workcal_free(NULL);
}

/* Writes text to a temporary file and reads it as a holiday file; returns
 * the status, with *line and why set. */
static enum dd_status
read_text(const char *text, size_t *line, char *why, size_t why_len)
{
    char path[] = "/tmp/test_workcal_XXXXXX";
    text_temp(path, text);
    struct workcal *c = workcal_new();
    assert_non_null(c);
    enum dd_status rc = refdata_holidays_read(path, c, line, why, why_len);
    workcal_free(c);
    unlink(path);
    return rc;
}

#define HEADER "date,is_off_day,name,notice_url\n"
#define URL "http://www.gov.cn/x.htm"

static void
expect_bad(const char *text, size_t want_line, const char *want_in_reason)
{
    size_t line = 0;
    char why[160] = "";
    assert_int_equal(read_text(text, &line, why, sizeof(why)), DD_EINVAL);
    assert_int_equal(line, want_line);
    if (!strstr(why, want_in_reason))
        fail_msg("reason \"%s\" lacks \"%s\"", why, want_in_reason);
}

TEST_CASE(test_reader)
{
    size_t line = 0;
    char why[160];
    assert_int_equal(read_text(HEADER "2022-01-31,1,春节," URL "\n"
                                      "2022-01-29,0,春节," URL "\r\n\n",
                               &line, why, sizeof(why)),
                     DD_OK);
    expect_bad("date,off,name\n", 1, "header");
    expect_bad(HEADER "2022-1-31,1,春节," URL "\n", 2, "date");
    expect_bad(HEADER "2022-01-31,1,春节," URL "\n2023-02-29,1,x," URL "\n", 3,
               "date");
    expect_bad(HEADER "2022-01-31,2,春节," URL "\n", 2, "is_off_day");
    expect_bad(HEADER "2022-01-31,,春节," URL "\n", 2, "is_off_day");
    expect_bad(HEADER "2022-01-31,1,," URL "\n", 2, "name");
    expect_bad(HEADER "2022-01-31,1,春节\n", 2, "4 comma-separated");
    expect_bad(HEADER "2022-01-31,1,\"春节\"," URL "\n", 2,
               "4 comma-separated");
    /* a date twice is refused even with the same mark */
    expect_bad(HEADER "2022-01-31,1,春节," URL "\n"
                      "2022-02-01,1,春节," URL "\n"
                      "2022-01-31,1,春节," URL "\n",
               4, "twice");
    expect_bad(HEADER "1960-01-01,1,x," URL "\n", 2, "date");
    assert_int_equal(read_text("", &line, why, sizeof(why)), DD_EINVAL);
    struct workcal *c = workcal_new();
    assert_int_equal(refdata_holidays_read("/nonexistent/cn-holidays.csv", c,
                                           &line, why, sizeof(why)),
                     DD_ENOTFOUND);
    workcal_free(c);
}

UNIT_TESTS(NULL, NULL, cmocka_unit_test(test_dates),
           cmocka_unit_test(test_by_hand), cmocka_unit_test(test_shipped),
           cmocka_unit_test(test_bad_marks), cmocka_unit_test(test_reader))
