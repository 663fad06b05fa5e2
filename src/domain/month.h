/* SPDX-License-Identifier: MIT */
/* Calendar months as one compact integer (year × 12 + month − 1, so
 * 2026-01 is 24312), the "YYYY-MM" text form, and the month arithmetic
 * the caseload rules share: the month of a day, a day N months on, and
 * a birthday N years on. Pure: no I/O, no allocation. Days are workcal
 * day numbers (days since 1970-01-01). */
#ifndef DD_MONTH_H
#define DD_MONTH_H

#include <stdint.h>

/* The months Doudi handles: 1900-01 to 2199-12. */
#define MONTH_MIN (1900 * 12)
#define MONTH_MAX (2199 * 12 + 11)

/* y-m as a month, or -1 when y or m is out of range. */
int32_t month_of(int y, int m);
/* The year and month (1 to 12) of mo. */
void month_ym(int32_t mo, int *y, int *m);
/* Whether mo lies in MONTH_MIN..MONTH_MAX. */
int month_ok(int32_t mo);
/* Strict "YYYY-MM" into *out: 0, or -1 (nothing written). */
int month_parse(const char *s, int32_t *out);
/* mo as "YYYY-MM" and a NUL ("0000-00" for a month out of range). */
void month_format(int32_t mo, char out[8]);
/* The month that day number day falls in. */
int32_t month_of_day(int32_t day);
/* The first day of mo, as a day number. */
int32_t month_first_day(int32_t mo);

/* The day n months after day (n may be negative), on the same day of
 * the month, or the month's last day when it has no such day
 * (2025-08-31 + 6 months = 2026-02-28): a period of months never ends
 * later than its length, so a deadline built on it is never late. */
int32_t month_add_to_day(int32_t day, int n);
/* The day on which someone born on day birth turns n (n >= 0): the
 * birthday in year birth + n, a 29 February birthday reached on 1 March
 * in a common year (as hh_age_years counts ages). */
int32_t month_birthday(int32_t birth, int n);

#endif
