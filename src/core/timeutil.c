/* SPDX-License-Identifier: MIT */
/* Time helpers. All instants are UTC seconds; display zones are the UI's. */
#define _POSIX_C_SOURCE 200809L
#include "core/timeutil.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t
time_now(void)
{
    return (int64_t)time(NULL);
}

uint64_t
time_mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void
time_iso8601(int64_t t, char *out, size_t len)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; Howard Hinnant). */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

int
time_days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

void
time_date_format(int y, int m, int d, char out[11])
{
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

/* Whether s matches pattern, where '9' stands for any digit. */
static int
shape(const char *s, const char *pattern)
{
    for (; *pattern; s++, pattern++) {
        if (*pattern == '9' ? (*s < '0' || *s > '9') : *s != *pattern)
            return 0;
    }
    return *s == '\0';
}

int
time_parse_iso8601(const char *s, int64_t *out)
{
    int y, mo, d, h = 0, mi = 0, se = 0, n = 0;
    size_t len = strlen(s);
    if (!shape(s, "9999-99-99") && !shape(s, "9999-99-99T99:99:99Z"))
        return -1;
    if (len == 10) {
        if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
            return -1;
    } else if (len == 20) {
        if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &se,
                   &n) != 6 || n != 20)
            return -1;
    } else {
        return -1;
    }
    if (s[4] != '-' || s[7] != '-')
        return -1;
    if (y < 1900 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
        d > time_days_in_month(y, mo) || h > 23 || mi > 59 || se > 59 ||
        h < 0 || mi < 0 || se < 0)
        return -1;
    *out = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 +
           mi * 60 + se;
    return 0;
}

void
civil_day_of(int64_t t, struct civil_day *out)
{
    /* Asia/Shanghai: UTC+8 all year */
    int64_t local = t + 8 * 3600;
    int64_t day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
    time_t at = (time_t)(day * 86400);
    struct tm tm;
    gmtime_r(&at, &tm);
    out->day = (int32_t)day;
    out->y = tm.tm_year + 1900;
    out->m = tm.tm_mon + 1;
    out->d = tm.tm_mday;
    char s[40]; /* room for any int, to please -Wformat-truncation */
    snprintf(s, sizeof(s), "%04d-%02d-%02d", out->y, out->m, out->d);
    memcpy(out->s, s, sizeof(out->s) - 1);
    out->s[sizeof(out->s) - 1] = '\0';
}

void
civil_today(struct civil_day *out)
{
    civil_day_of(time_now(), out);
}
