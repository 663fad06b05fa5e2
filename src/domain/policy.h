/* SPDX-License-Identifier: MIT */
/* Effective-dated policy parameters: an in-memory table of versions of
 * (key, region) and the lookup "which version is in force on this date
 * for this place". Pure: no I/O; the store and the seed file fill it.
 * Versions are append-only: adding one never changes another. */
#ifndef DD_POLICY_H
#define DD_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

#define POLICY_KEY_LEN 64     /* [a-z0-9._], dot-separated, + NUL */
#define POLICY_REGION_LEN 7   /* "50" (city) or a 6-digit county, + NUL */
#define POLICY_DATE_LEN 11    /* YYYY-MM-DD + NUL */
#define POLICY_UNIT_LEN 24
#define POLICY_SOURCE_LEN 512
#define POLICY_CONF_LEN 20    /* H, M, L, NATIONAL-DEFAULT */
#define POLICY_ACTOR_LEN 64
/* The largest value of any version: 10 million yuan in fen, far above
 * any figure of a safety net */
#define POLICY_VALUE_MAX 1000000000

/* The city default's region code. */
#define POLICY_CITY "50"

/* One version of one parameter. value is an integer in unit: fen per
 * person per month for money, permille for ratios, plain counts, ... */
struct policy_param {
    char key[POLICY_KEY_LEN];
    char region_code[POLICY_REGION_LEN];
    char effective_from[POLICY_DATE_LEN];
    int64_t value;
    char unit[POLICY_UNIT_LEN];
    char source[POLICY_SOURCE_LEN];
    char confidence[POLICY_CONF_LEN];
    int64_t created_at; /* epoch s; 0 when not known */
    char created_by[POLICY_ACTOR_LEN];
};

struct policy_table;

/* An empty table; NULL on ENOMEM. free(NULL) is fine. */
struct policy_table *policy_table_new(void);
void policy_table_free(struct policy_table *t);

/* Adds a copy of p. DD_EINVAL when a field is malformed (see
 * policy_param_check), DD_ECONFLICT when (key, region, effective_from)
 * already has a version (whatever its value: versions are never edited),
 * DD_ENOMEM. The table stays sorted by key, region, date. */
enum dd_status policy_table_add(struct policy_table *t,
                                const struct policy_param *p) DD_WUR;
/* Makes room for n more versions, so that the next n adds cannot fail
 * for memory (used before a commit that must be mirrored in memory). */
enum dd_status policy_table_reserve(struct policy_table *t, size_t n) DD_WUR;

/* The number of versions and the i-th in (key, region, date) order. */
size_t policy_table_count(const struct policy_table *t);
const struct policy_param *policy_table_at(const struct policy_table *t,
                                           size_t i);
/* The versions of key: *first is the index of the first, *count how many
 * (0 when the key is unknown). */
void policy_table_key_range(const struct policy_table *t, const char *key,
                            size_t *first, size_t *count);
/* The version with exactly this key, region and date, or NULL. */
const struct policy_param *policy_table_find(const struct policy_table *t,
                                             const char *key,
                                             const char *region_code,
                                             const char *effective_from);

/* The version of key in force on y-m-d for region_code (2, 6, 9 or 12
 * digits): the newest version of the county (the first 6 digits) whose
 * effective_from is on or before that date, else the newest such version
 * of the city default "50". A county override therefore applies from its
 * own date on, and until then the city default in force applies.
 * DD_ENOTFOUND when neither has a version by then (or the key is unknown);
 * DD_EINVAL for a malformed region or date. *out points into the table. */
enum dd_status policy_lookup(const struct policy_table *t, const char *key,
                             const char *region_code, int y, int m, int d,
                             const struct policy_param **out) DD_WUR;

/* Strict YYYY-MM-DD, a real date of 1900-9999; 0 or -1. */
int policy_date_parse(const char *s, int *y, int *m, int *d);
/* Whether key is 1-63 characters of [a-z0-9._] in dot-separated
 * non-empty parts ("dibao.standard.urban"). */
int policy_key_valid(const char *key);
/* Whether region_code is "50" or 6 digits starting with "50". */
int policy_region_valid(const char *region_code);
/* Whether c is H, M, L or NATIONAL-DEFAULT. */
int policy_confidence_valid(const char *c);
/* The largest value a version of key in unit may take: 1 for a flag, 100
 * for a percent, an engine's last mode for a mode (0 for a mode key no
 * engine reads), else POLICY_VALUE_MAX. The least is always 0. */
int64_t policy_value_max(const char *key, const char *unit);
/* Checks every field of p (key, region, date, value in 0 ..
 * policy_value_max, unit and source non-empty, confidence); on failure
 * returns the name of the first bad field, else NULL. */
const char *policy_param_check(const struct policy_param *p);

#endif
