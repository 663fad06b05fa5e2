/* SPDX-License-Identifier: MIT */
/* Compact months and the month arithmetic on days, worked by hand: a
 * month is year × 12 + month − 1, so 2026-01 = 2026 × 12 + 0 = 24312 and
 * 2025-12 = 2025 × 12 + 11 = 24311, one before it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "day_fixture.h"
#include "unit_main.h"

#include "domain/month.h"

static void
test_month_numbers(void **state)
{
    (void)state;
    char s[8];
    int y, m;
    assert_int_equal(month_of(2026, 1), 24312);  /* 2026 × 12 + 0 */
    assert_int_equal(month_of(2025, 12), 24311); /* 2025 × 12 + 11 */
    assert_int_equal(month_of(2026, 0), -1);
    assert_int_equal(month_of(2026, 13), -1);
    assert_int_equal(month_of(1899, 12), -1); /* before MONTH_MIN */
    month_ym(24311, &y, &m);
    assert_int_equal(y, 2025);
    assert_int_equal(m, 12);
    month_format(24312, s);
    assert_string_equal(s, "2026-01");
    month_format(-5, s);
    assert_string_equal(s, "0000-00");
}

static void
test_month_parse(void **state)
{
    (void)state;
    int32_t mo = 7;
    assert_int_equal(month_parse("2026-03", &mo), 0);
    assert_int_equal(mo, 24314); /* 2026 × 12 + 2 */
    static const char *const bad[] = {"2026-3",  "2026-13", "2026-00",
                                      "202603",  "2026/03", "2026-03-01",
                                      "20a6-03", ""};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        mo = 7;
        assert_int_equal(month_parse(bad[i], &mo), -1);
        assert_int_equal(mo, 7); /* nothing written */
    }
    assert_int_equal(month_parse(NULL, &mo), -1);
}

static void
test_month_of_day(void **state)
{
    (void)state;
    /* the last and first day of a month fall in their own month */
    assert_int_equal(month_of_day(D("2026-03-31")), 24314);
    assert_int_equal(month_of_day(D("2026-04-01")), 24315);
    assert_int_equal(month_first_day(24315), D("2026-04-01"));
    assert_int_equal(month_of_day(D("2025-12-31")) + 1, 24312);
}

static void
test_month_add_to_day(void **state)
{
    (void)state;
    /* 31 August + 6 months: February has no 31st; its last day */
    assert_int_equal(month_add_to_day(D("2025-08-31"), 6), D("2026-02-28"));
    /* in a leap year the last day is the 29th */
    assert_int_equal(month_add_to_day(D("2023-08-31"), 6), D("2024-02-29"));
    /* a day every month has is kept; a year boundary is crossed */
    assert_int_equal(month_add_to_day(D("2025-11-15"), 12), D("2026-11-15"));
    assert_int_equal(month_add_to_day(D("2025-11-15"), 3), D("2026-02-15"));
    assert_int_equal(month_add_to_day(D("2026-02-15"), -3), D("2025-11-15"));
}

static void
test_month_birthday(void **state)
{
    (void)state;
    /* born 29 February 2008: 18 in 2026, a common year: 1 March, as
     * hh_age_years counts (the 28th is still 17) */
    assert_int_equal(month_birthday(D("2008-02-29"), 18), D("2026-03-01"));
    /* 16 in 2024, a leap year: the 29th itself */
    assert_int_equal(month_birthday(D("2008-02-29"), 16), D("2024-02-29"));
    assert_int_equal(month_birthday(D("2010-07-20"), 18), D("2028-07-20"));
}

UNIT_TESTS(NULL, NULL, cmocka_unit_test(test_month_numbers),
           cmocka_unit_test(test_month_parse),
           cmocka_unit_test(test_month_of_day),
           cmocka_unit_test(test_month_add_to_day),
           cmocka_unit_test(test_month_birthday))
