/* SPDX-License-Identifier: MIT */
/* The working-day calendar: statutory holidays and adjusted working days
 * (调休) from the State Council's yearly notices, and the deadline
 * arithmetic every statutory clock uses. Pure: no I/O; refdata fills it
 * from data/cn-holidays.csv (and the holiday table).
 *
 * Days are day numbers: days since 1970-01-01 (proleptic Gregorian), so
 * 1970-01-01 is 0 and 2022-01-31 is 19023.
 *
 * Convention (document it wherever a deadline is shown): the day a
 * period starts on is never counted. N working days from an event on day
 * D end on the N-th working day after D; N calendar days from D end on
 * D + N. A day is a working day when the calendar marks it as one (调休),
 * or when it is Monday to Friday and not marked off. A year with no rows
 * in the calendar ("uncovered") is computed as weekdays only, and every
 * result that looked at such a year says so. */
#ifndef DD_WORKCAL_H
#define DD_WORKCAL_H

#include <stdint.h>

#include "core/status.h"

#define WORKCAL_YEAR_MIN 1970
#define WORKCAL_YEAR_MAX 2199

struct workcal;

/* An empty calendar (every year uncovered); NULL on ENOMEM. */
struct workcal *workcal_new(void);
void workcal_free(struct workcal *c);

/* Marks day as off (is_off = 1: a holiday) or as a working day
 * (is_off = 0: an adjusted working weekend), and the day's year as
 * covered. A day given twice with different marks is DD_ECONFLICT; a day
 * outside WORKCAL_YEAR_MIN..MAX is DD_EINVAL. */
enum dd_status workcal_mark(struct workcal *c, int32_t day, int is_off) DD_WUR;
/* workcal_mark with the holiday's name (as in the notice, e.g. "春节";
 * at most WORKCAL_NAME_LEN - 1 bytes, longer is DD_EINVAL; NULL or ""
 * for none). The name is kept for display: workcal_name. */
#define WORKCAL_NAME_LEN 64
enum dd_status workcal_mark_named(struct workcal *c, int32_t day, int is_off,
                                  const char *name) DD_WUR;
/* The name given to a marked day, or NULL. */
const char *workcal_name(const struct workcal *c, int32_t day);
/* 1 when the calendar marks day (off or worked), with *is_off set. */
int workcal_marked(const struct workcal *c, int32_t day, int *is_off);

/* 1 when the calendar has any row for year y. */
int workcal_covers_year(const struct workcal *c, int y);
/* 1 when day is a working day. */
int workcal_is_working_day(const struct workcal *c, int32_t day);

/* The N-th working day after day (n >= 0; n = 0 gives day itself).
 * *uncovered (may be NULL) is set to 1 when any day looked at lies in an
 * uncovered year, else 0. */
int32_t workcal_add_working_days(const struct workcal *c, int32_t day, int n,
                                 int *uncovered);
/* The number of working days in (from, to]: 0 when to <= from. Used for
 * "working days used" and for a clock paused from one day to another. */
int workcal_working_days_between(const struct workcal *c, int32_t from,
                                 int32_t to, int *uncovered);
/* Working days left from today until deadline: positive while the
 * deadline is ahead, 0 on the deadline day, negative once past (minus the
 * working days since the deadline). */
int workcal_working_days_left(const struct workcal *c, int32_t today,
                              int32_t deadline, int *uncovered);

/* Day numbers and civil dates. workcal_day_from_ymd returns INT32_MIN for
 * an impossible date. workcal_parse_date takes strict YYYY-MM-DD. */
int32_t workcal_day_from_ymd(int y, int m, int d);
void workcal_ymd_from_day(int32_t day, int *y, int *m, int *d);
int workcal_parse_date(const char *s, int32_t *day);          /* 0 or -1 */
void workcal_format_date(int32_t day, char out[11]);          /* YYYY-MM-DD */
/* 0 = Monday ... 6 = Sunday. */
int workcal_weekday(int32_t day);

#endif
