/* SPDX-License-Identifier: MIT */
/* Wall-clock and monotonic time, ISO-8601 formatting in UTC, and the
 * calendar day in Asia/Shanghai. */
#ifndef DD_TIMEUTIL_H
#define DD_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

/* Seconds since the epoch, UTC. */
int64_t time_now(void);
uint64_t time_mono_us(void);
/* "2026-11-29T02:01:06Z" into out (at least 21 bytes). */
void time_iso8601(int64_t t, char *out, size_t len);
/* Parses "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ"; returns 0 or -1. */
int time_parse_iso8601(const char *s, int64_t *out);
/* The number of days in month m (1 to 12) of year y, proleptic
 * Gregorian. */
int time_days_in_month(int y, int m);
/* Writes y-m-d as "YYYY-MM-DD" and a NUL into out (y 0 to 9999, m and d
 * 1 to 99: the caller checks). */
void time_date_format(int y, int m, int d, char out[11]);

/* A calendar day in Asia/Shanghai (UTC+8 all year, no summer time): the
 * day every statutory clock, effective date and report counts in. */
struct civil_day {
    int32_t day; /* days since 1970-01-01 */
    char s[11];  /* YYYY-MM-DD */
    int y, m, d;
};
/* The day of instant t, and today. */
void civil_day_of(int64_t t, struct civil_day *out);
void civil_today(struct civil_day *out);

#endif
