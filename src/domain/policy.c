/* SPDX-License-Identifier: MIT */
/* The policy table: a sorted array of versions, searched by key, then
 * scanned for the place and date. A table holds a few hundred versions,
 * so insertion moves memory and lookup is a binary search plus a short
 * scan; no index structure is worth its code. */
#include "domain/policy.h"

#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "domain/area.h"
#include "domain/dibao.h"
#include "domain/tekun.h"

struct policy_table {
    struct policy_param *v; /* sorted by key, region_code, effective_from */
    size_t count, cap;
};

struct policy_table *
policy_table_new(void)
{
    return calloc(1, sizeof(struct policy_table));
}

void
policy_table_free(struct policy_table *t)
{
    if (!t)
        return;
    free(t->v);
    free(t);
}

static int
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int
policy_date_parse(const char *s, int *y, int *m, int *d)
{
    static const char shape[] = "9999-99-99";
    for (size_t i = 0; i < sizeof(shape) - 1; i++) {
        if (shape[i] == '9' ? !is_digit(s[i]) : s[i] != shape[i])
            return -1;
    }
    if (s[10] != '\0')
        return -1;
    int yy = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
             (s[3] - '0');
    int mm = (s[5] - '0') * 10 + (s[6] - '0');
    int dd = (s[8] - '0') * 10 + (s[9] - '0');
    if (yy < 1900 || mm < 1 || mm > 12 || dd < 1 ||
        dd > time_days_in_month(yy, mm))
        return -1;
    *y = yy;
    *m = mm;
    *d = dd;
    return 0;
}

int
policy_key_valid(const char *key)
{
    size_t n = strlen(key);
    if (n == 0 || n >= POLICY_KEY_LEN || key[0] == '.' || key[n - 1] == '.')
        return 0;
    if (key[strspn(key, "abcdefghijklmnopqrstuvwxyz0123456789._")] != '\0')
        return 0;
    return strstr(key, "..") == NULL;
}

int
policy_region_valid(const char *r)
{
    size_t n = strlen(r);
    if (n != 2 && n != 6)
        return 0;
    if (r[strspn(r, "0123456789")] != '\0')
        return 0;
    return r[0] == '5' && r[1] == '0';
}

int
policy_confidence_valid(const char *c)
{
    return strcmp(c, "H") == 0 || strcmp(c, "M") == 0 ||
           strcmp(c, "L") == 0 || strcmp(c, "NATIONAL-DEFAULT") == 0;
}

/* The keys whose value picks one of an engine's modes, and the last mode
 * each engine knows. */
static const struct {
    const char *key;
    int64_t max;
} mode_keys[] = {
    {AREA_POLICY_KEY, AREA_DISTRICT_RURAL},
    {"dibao.single.amount_mode", DIBAO_SINGLE_SHARE},
    {"tekun.care.mode", TEKUN_CARE_RATIOS},
};

int64_t
policy_value_max(const char *key, const char *unit)
{
    if (strcmp(unit, "flag") == 0)
        return 1;
    if (strcmp(unit, "percent") == 0)
        return 100;
    if (strcmp(unit, "mode") == 0) {
        for (size_t i = 0; i < sizeof(mode_keys) / sizeof(mode_keys[0]); i++)
            if (strcmp(key, mode_keys[i].key) == 0)
                return mode_keys[i].max;
        return 0; /* a mode no engine reads: only the default */
    }
    return POLICY_VALUE_MAX;
}

const char *
policy_param_check(const struct policy_param *p)
{
    int y, m, d;
    if (!policy_key_valid(p->key))
        return "key";
    if (!policy_region_valid(p->region_code))
        return "region_code";
    if (policy_date_parse(p->effective_from, &y, &m, &d) != 0)
        return "effective_from";
    if (p->value < 0 || p->value > policy_value_max(p->key, p->unit))
        return "value";
    if (!p->unit[0])
        return "unit";
    if (!p->source[0])
        return "source";
    if (!policy_confidence_valid(p->confidence))
        return "confidence";
    return NULL;
}

/* The table's order. Dates compare as text: YYYY-MM-DD sorts by time. */
static int
cmp3(const char *key, const char *region, const char *date,
     const struct policy_param *b)
{
    int c = strcmp(key, b->key);
    if (c == 0)
        c = strcmp(region, b->region_code);
    if (c == 0)
        c = strcmp(date, b->effective_from);
    return c;
}

/* The index of the first version not before (key, region, date). */
static size_t
lower_bound(const struct policy_table *t, const char *key, const char *region,
            const char *date)
{
    size_t lo = 0, hi = t->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp3(key, region, date, &t->v[mid]) > 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

enum dd_status
policy_table_reserve(struct policy_table *t, size_t n)
{
    if (t->count + n <= t->cap)
        return DD_OK;
    size_t cap = t->cap ? t->cap : 64;
    while (cap < t->count + n)
        cap *= 2;
    struct policy_param *nv = realloc(t->v, cap * sizeof(*nv));
    if (!nv)
        return DD_ENOMEM;
    t->v = nv;
    t->cap = cap;
    return DD_OK;
}

enum dd_status
policy_table_add(struct policy_table *t, const struct policy_param *p)
{
    if (policy_param_check(p))
        return DD_EINVAL;
    size_t i = lower_bound(t, p->key, p->region_code, p->effective_from);
    if (i < t->count &&
        cmp3(p->key, p->region_code, p->effective_from, &t->v[i]) == 0)
        return DD_ECONFLICT;
    enum dd_status rc = policy_table_reserve(t, 1);
    if (rc != DD_OK)
        return rc;
    memmove(&t->v[i + 1], &t->v[i], (t->count - i) * sizeof(t->v[0]));
    t->v[i] = *p;
    t->count++;
    return DD_OK;
}

size_t
policy_table_count(const struct policy_table *t)
{
    return t->count;
}

const struct policy_param *
policy_table_at(const struct policy_table *t, size_t i)
{
    return i < t->count ? &t->v[i] : NULL;
}

void
policy_table_key_range(const struct policy_table *t, const char *key,
                       size_t *first, size_t *count)
{
    size_t i = lower_bound(t, key, "", "");
    size_t j = i;
    while (j < t->count && strcmp(t->v[j].key, key) == 0)
        j++;
    *first = i;
    *count = j - i;
}

const struct policy_param *
policy_table_find(const struct policy_table *t, const char *key,
                  const char *region_code, const char *effective_from)
{
    size_t i = lower_bound(t, key, region_code, effective_from);
    if (i < t->count &&
        cmp3(key, region_code, effective_from, &t->v[i]) == 0)
        return &t->v[i];
    return NULL;
}

/* The newest version of (key, region) on or before date, or NULL. The
 * versions of one (key, region) are contiguous and in date order. */
static const struct policy_param *
in_force(const struct policy_table *t, const char *key, const char *region,
         const char *date)
{
    /* the first version after date, then step back one */
    size_t i = lower_bound(t, key, region, date);
    if (i < t->count && cmp3(key, region, date, &t->v[i]) == 0)
        return &t->v[i]; /* effective that very day */
    if (i == 0)
        return NULL;
    const struct policy_param *p = &t->v[i - 1];
    if (strcmp(p->key, key) != 0 || strcmp(p->region_code, region) != 0)
        return NULL;
    return p;
}

enum dd_status
policy_lookup(const struct policy_table *t, const char *key,
              const char *region_code, int y, int m, int d,
              const struct policy_param **out)
{
    char date[POLICY_DATE_LEN], county[POLICY_REGION_LEN];
    size_t n = strlen(region_code);
    *out = NULL;
    if ((n != 2 && n != 6 && n != 9 && n != 12) ||
        region_code[strspn(region_code, "0123456789")] != '\0')
        return DD_EINVAL;
    if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 ||
        d > time_days_in_month(y, m))
        return DD_EINVAL;
    /* y, m and d are bounded above, so the text is exactly 10 bytes */
    time_date_format(y, m, d, date);
    const struct policy_param *p = NULL;
    if (n >= 6) {
        memcpy(county, region_code, 6);
        county[6] = '\0';
        p = in_force(t, key, county, date);
    }
    /* a place outside Chongqing has no city default */
    if (!p && region_code[0] == '5' && region_code[1] == '0')
        p = in_force(t, key, POLICY_CITY, date);
    if (!p)
        return DD_ENOTFOUND;
    *out = p;
    return DD_OK;
}
