/* SPDX-License-Identifier: MIT */
/* The working-day calendar as one bitmap of working days over
 * WORKCAL_YEAR_MIN..MAX with a running count per 64-day word, so that
 * "working days in (a, b]" is two prefix counts and "the N-th working day
 * after D" a binary search over them: no loop over days, no allocation
 * after workcal_new. Days outside the table count as weekdays. */
#include "domain/workcal.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "core/timeutil.h"

#define YEARS (WORKCAL_YEAR_MAX - WORKCAL_YEAR_MIN + 1)

struct named_day {
    int32_t day;
    char name[WORKCAL_NAME_LEN];
};

struct workcal {
    int32_t first, end;  /* the table covers day numbers [first, end) */
    size_t words;
    uint64_t *working;   /* bit set: a working day */
    uint64_t *marked;    /* bit set: the calendar has a row for the day */
    int64_t *before;     /* working days in [first, first + 64 * w) */
    unsigned char covered[YEARS];
    struct named_day *names; /* sorted by day */
    size_t name_count, name_cap;
};

/* ---- civil dates (H. Hinnant's algorithms, proleptic Gregorian) ---- */

static int64_t
floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int32_t
workcal_day_from_ymd(int y, int m, int d)
{
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 ||
        d > time_days_in_month(y, m))
        return INT32_MIN;
    int64_t yy = m <= 2 ? y - 1 : y;
    int64_t era = floor_div(yy, 400);
    int64_t yoe = yy - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

void
workcal_ymd_from_day(int32_t day, int *y, int *m, int *d)
{
    int64_t z = (int64_t)day + 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
    int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (mm <= 2));
    *m = mm;
    *d = dd;
}

int
workcal_parse_date(const char *s, int32_t *day)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return -1;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
            (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    int32_t n = workcal_day_from_ymd(y, m, d);
    if (n == INT32_MIN)
        return -1;
    *day = n;
    return 0;
}

void
workcal_format_date(int32_t day, char out[11])
{
    int y, m, d;
    workcal_ymd_from_day(day, &y, &m, &d);
    if (y < 0 || y > 9999) {
        memcpy(out, "0000-00-00", 11);
        return;
    }
    time_date_format(y, m, d, out);
}

int
workcal_weekday(int32_t day)
{
    /* 1970-01-01 was a Thursday (3) */
    return (int)(((int64_t)day % 7 + 7 + 3) % 7);
}

/* Monday to Friday in [MONDAY0, x), negative below it: closed form. */
#define MONDAY0 (-3) /* 1969-12-29 */
static int64_t
weekdays_to(int64_t x)
{
    int64_t rel = x - MONDAY0;
    int64_t weeks = floor_div(rel, 7);
    int64_t rem = rel - weeks * 7;
    return weeks * 5 + (rem < 5 ? rem : 5);
}

/* ---- the table ---- */

static int
in_table(const struct workcal *c, int64_t day)
{
    return day >= c->first && day < c->end;
}

static int
bit(const uint64_t *v, size_t i)
{
    return (int)((v[i >> 6] >> (i & 63)) & 1u);
}

static int
popcount64(uint64_t x)
{
    return __builtin_popcountll(x);
}

/* Working days in [first, x) for x in [first, end]. */
static int64_t
table_prefix(const struct workcal *c, int64_t x)
{
    size_t i = (size_t)(x - c->first);
    size_t w = i >> 6;
    if (w >= c->words)
        return c->before[c->words - 1] +
               popcount64(c->working[c->words - 1]);
    uint64_t mask = (i & 63) ? (UINT64_MAX >> (64 - (i & 63))) : 0;
    return c->before[w] + popcount64(c->working[w] & mask);
}

/* P(x): a running count of working days, P(b) - P(a) being the working
 * days in [a, b) for any a <= b. Outside the table: weekdays. */
static int64_t
prefix(const struct workcal *c, int64_t x)
{
    if (x <= c->first)
        return -(weekdays_to(c->first) - weekdays_to(x));
    if (x >= c->end)
        return table_prefix(c, c->end) + weekdays_to(x) -
               weekdays_to(c->end);
    return table_prefix(c, x);
}

struct workcal *
workcal_new(void)
{
    struct workcal *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->first = workcal_day_from_ymd(WORKCAL_YEAR_MIN, 1, 1);
    c->end = workcal_day_from_ymd(WORKCAL_YEAR_MAX, 12, 31) + 1;
    size_t n = (size_t)(c->end - c->first);
    c->words = (n + 63) / 64;
    c->working = calloc(c->words, sizeof(*c->working));
    c->marked = calloc(c->words, sizeof(*c->marked));
    c->before = calloc(c->words, sizeof(*c->before));
    if (!c->working || !c->marked || !c->before) {
        workcal_free(c);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        if (workcal_weekday(c->first + (int32_t)i) < 5)
            c->working[i >> 6] |= UINT64_C(1) << (i & 63);
    int64_t run = 0;
    for (size_t w = 0; w < c->words; w++) {
        c->before[w] = run;
        run += popcount64(c->working[w]);
    }
    return c;
}

void
workcal_free(struct workcal *c)
{
    if (!c)
        return;
    free(c->working);
    free(c->marked);
    free(c->before);
    free(c->names);
    free(c);
}

static int
year_of(int64_t day)
{
    int y, m, d;
    if (day < INT32_MIN + 1 || day > INT32_MAX)
        return day < 0 ? INT_MIN : INT_MAX;
    workcal_ymd_from_day((int32_t)day, &y, &m, &d);
    return y;
}

int
workcal_covers_year(const struct workcal *c, int y)
{
    return y >= WORKCAL_YEAR_MIN && y <= WORKCAL_YEAR_MAX &&
           c->covered[y - WORKCAL_YEAR_MIN];
}

/* 1 when any year holding a day of [a, b] is uncovered (a <= b). */
static int
any_uncovered(const struct workcal *c, int64_t a, int64_t b)
{
    int ya = year_of(a), yb = year_of(b);
    if (ya < WORKCAL_YEAR_MIN || yb > WORKCAL_YEAR_MAX)
        return 1;
    for (int y = ya; y <= yb; y++)
        if (!c->covered[y - WORKCAL_YEAR_MIN])
            return 1;
    return 0;
}

int
workcal_is_working_day(const struct workcal *c, int32_t day)
{
    if (!in_table(c, day))
        return workcal_weekday(day) < 5;
    return bit(c->working, (size_t)(day - c->first));
}

int
workcal_marked(const struct workcal *c, int32_t day, int *is_off)
{
    if (!in_table(c, day))
        return 0;
    size_t i = (size_t)(day - c->first);
    if (!bit(c->marked, i))
        return 0;
    if (is_off)
        *is_off = !bit(c->working, i);
    return 1;
}

static int
name_cmp(const void *key, const void *elem)
{
    int32_t k = *(const int32_t *)key;
    int32_t d = ((const struct named_day *)elem)->day;
    return (k > d) - (k < d);
}

const char *
workcal_name(const struct workcal *c, int32_t day)
{
    const struct named_day *n =
        c->name_count ? bsearch(&day, c->names, c->name_count,
                                sizeof(*c->names), name_cmp)
                      : NULL;
    return n ? n->name : NULL;
}

static enum dd_status
set_name(struct workcal *c, int32_t day, const char *name)
{
    if (workcal_name(c, day))
        return DD_OK; /* the first name given stays */
    struct named_day *n =
        grow_room(c->names, c->name_count, &c->name_cap, sizeof(*n), 64);
    if (!n)
        return DD_ENOMEM;
    c->names = n;
    /* the files come in date order: this is an append in practice */
    size_t at = c->name_count;
    while (at > 0 && c->names[at - 1].day > day)
        at--;
    memmove(&c->names[at + 1], &c->names[at],
            (c->name_count - at) * sizeof(*c->names));
    c->names[at].day = day;
    memcpy(c->names[at].name, name, strlen(name) + 1);
    c->name_count++;
    return DD_OK;
}

enum dd_status
workcal_mark_named(struct workcal *c, int32_t day, int is_off,
                   const char *name)
{
    if (!in_table(c, day) || (is_off != 0 && is_off != 1))
        return DD_EINVAL;
    if (name && strlen(name) >= WORKCAL_NAME_LEN)
        return DD_EINVAL;
    size_t i = (size_t)(day - c->first);
    int working = !is_off;
    int was = bit(c->working, i);
    if (bit(c->marked, i)) {
        if (was != working)
            return DD_ECONFLICT;
    } else if (was != working) {
        uint64_t m = UINT64_C(1) << (i & 63);
        c->working[i >> 6] ^= m;
        for (size_t w = (i >> 6) + 1; w < c->words; w++)
            c->before[w] += working ? 1 : -1;
    }
    if (name && name[0]) {
        enum dd_status rc = set_name(c, day, name);
        if (rc != DD_OK)
            return rc;
    }
    c->marked[i >> 6] |= UINT64_C(1) << (i & 63);
    c->covered[year_of(day) - WORKCAL_YEAR_MIN] = 1;
    return DD_OK;
}

enum dd_status
workcal_mark(struct workcal *c, int32_t day, int is_off)
{
    return workcal_mark_named(c, day, is_off, NULL);
}

int32_t
workcal_add_working_days(const struct workcal *c, int32_t day, int n,
                         int *uncovered)
{
    if (uncovered)
        *uncovered = 0;
    if (n <= 0)
        return day;
    /* the answer x is the smallest with P(x + 1) - P(day + 1) = n: the
     * n-th working day in (day, x]; search y = x + 1 over (day + 1, hi] */
    int64_t target = prefix(c, (int64_t)day + 1) + n;
    int64_t lo = (int64_t)day + 1, hi = (int64_t)day + 1 + n;
    while (prefix(c, hi) < target)
        hi += hi - lo; /* at least one working day in every 7 */
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (prefix(c, mid) >= target)
            hi = mid;
        else
            lo = mid + 1;
    }
    int64_t x = lo - 1;
    if (uncovered)
        *uncovered = any_uncovered(c, (int64_t)day + 1, x);
    return x > INT32_MAX ? INT32_MAX : (int32_t)x;
}

int
workcal_working_days_between(const struct workcal *c, int32_t from,
                             int32_t to, int *uncovered)
{
    if (uncovered)
        *uncovered = 0;
    if (to <= from)
        return 0;
    if (uncovered)
        *uncovered = any_uncovered(c, (int64_t)from + 1, to);
    return (int)(prefix(c, (int64_t)to + 1) - prefix(c, (int64_t)from + 1));
}

int
workcal_working_days_left(const struct workcal *c, int32_t today,
                          int32_t deadline, int *uncovered)
{
    if (deadline >= today)
        return workcal_working_days_between(c, today, deadline, uncovered);
    return -workcal_working_days_between(c, deadline, today, uncovered);
}
