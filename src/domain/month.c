/* SPDX-License-Identifier: MIT */
/* Compact months and the day arithmetic on them, built on workcal's
 * civil-date conversions (one proleptic Gregorian calendar). */
#include "domain/month.h"

#include <string.h>

#include "core/timeutil.h"
#include "domain/workcal.h"

int32_t
month_of(int y, int m)
{
    if (m < 1 || m > 12)
        return -1;
    int32_t mo = (int32_t)y * 12 + m - 1;
    return month_ok(mo) ? mo : -1;
}

void
month_ym(int32_t mo, int *y, int *m)
{
    *y = (int)(mo / 12);
    *m = (int)(mo % 12) + 1;
}

int
month_ok(int32_t mo)
{
    return mo >= MONTH_MIN && mo <= MONTH_MAX;
}

int
month_parse(const char *s, int32_t *out)
{
    if (s == NULL || strlen(s) != 7 || s[4] != '-')
        return -1;
    for (int i = 0; i < 7; i++)
        if (i != 4 && (s[i] < '0' || s[i] > '9'))
            return -1;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
            (s[3] - '0');
    int32_t mo = month_of(y, (s[5] - '0') * 10 + (s[6] - '0'));
    if (mo < 0)
        return -1;
    *out = mo;
    return 0;
}

void
month_format(int32_t mo, char out[8])
{
    char day[11];
    int y, m;
    if (!month_ok(mo)) {
        memcpy(out, "0000-00", 8);
        return;
    }
    month_ym(mo, &y, &m);
    time_date_format(y, m, 1, day);
    memcpy(out, day, 7);
    out[7] = '\0';
}

int32_t
month_of_day(int32_t day)
{
    int y, m, d;
    workcal_ymd_from_day(day, &y, &m, &d);
    return (int32_t)y * 12 + m - 1;
}

int32_t
month_first_day(int32_t mo)
{
    int y, m;
    month_ym(mo, &y, &m);
    return workcal_day_from_ymd(y, m, 1);
}

int32_t
month_add_to_day(int32_t day, int n)
{
    int y, m, d;
    workcal_ymd_from_day(day, &y, &m, &d);
    int32_t mo = (int32_t)y * 12 + m - 1 + n;
    month_ym(mo, &y, &m);
    int last = time_days_in_month(y, m);
    return workcal_day_from_ymd(y, m, d < last ? d : last);
}

int32_t
month_birthday(int32_t birth, int n)
{
    int y, m, d;
    workcal_ymd_from_day(birth, &y, &m, &d);
    if (m == 2 && d == 29 && time_days_in_month(y + n, 2) == 28)
        return workcal_day_from_ymd(y + n, 3, 1);
    return workcal_day_from_ymd(y + n, m, d);
}
