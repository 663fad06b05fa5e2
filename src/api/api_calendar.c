/* SPDX-License-Identifier: MIT */
/* The working-day calendar for staff: the days of a span marked working
 * or off with the holiday's name, and a deadline N working or calendar
 * days after a date. Read from the calendar loaded at start (api_new);
 * the convention is docs/calendar.md's: the start day is not counted. */
#include "api/api_internal.h"

#include <stdlib.h>
#include <string.h>

#include "json/jw.h"
#include "domain/workcal.h"

#define SPAN_MAX_DAYS 366     /* one leap year, both ends included */
#define WORKING_DAYS_MAX 1000 /* no statutory period comes near */
#define CALENDAR_DAYS_MAX 3660
#define REPLY_CAP (256u << 10)

/* Parses a YYYY-MM-DD query parameter; 0, or -1 after replying 400. */
static int
date_param(struct http_request *req, const char *name, int32_t *day)
{
    if (workcal_parse_date(http_query(req, name), day) == 0)
        return 0;
    api_error(req, 400, "INVALID_PARAMETER", name,
              "the parameter must be a real date YYYY-MM-DD",
              "参数必须是有效日期 YYYY-MM-DD");
    return -1;
}

static const char *
day_kind(const struct workcal *c, int32_t day)
{
    int is_off;
    if (workcal_marked(c, day, &is_off))
        return is_off ? "holiday" : "adjusted_workday";
    return workcal_weekday(day) < 5 ? "workday" : "weekend";
}

/* "years":[{"year":Y,"covered":B},...] for the years of [from, to]. */
static void
put_years(struct jw *w, const struct workcal *c, int32_t from, int32_t to)
{
    int y0, y1, m, d;
    workcal_ymd_from_day(from, &y0, &m, &d);
    workcal_ymd_from_day(to, &y1, &m, &d);
    jw_arr(w, "years");
    for (int y = y0; y <= y1; y++) {
        jw_obj(w, NULL);
        jw_int(w, "year", y);
        jw_bool(w, "covered", workcal_covers_year(c, y));
        jw_end(w);
    }
    jw_end(w);
}

static void
calendar_get(struct http_request *req)
{
    const struct workcal *c = API(req)->calendar;
    int32_t from, to;
    if (date_param(req, "from", &from) || date_param(req, "to", &to))
        return;
    if (to < from) {
        api_error(req, 400, "INVALID_PARAMETER", "to",
                  "to must not be before from", "结束日期不能早于开始日期");
        return;
    }
    if (to - from >= SPAN_MAX_DAYS) {
        api_error(req, 400, "INVALID_PARAMETER", "to",
                  "the span from..to is at most 366 days",
                  "查询跨度最多 366 天");
        return;
    }
    struct jw w;
    char ds[11], fs[11], ts[11];
    int unc;
    jw_init(&w, REPLY_CAP);
    workcal_format_date(from, fs);
    workcal_format_date(to, ts);
    int working = workcal_is_working_day(c, from) +
                  workcal_working_days_between(c, from, to, &unc);
    jw_obj(&w, NULL);
    jw_str(&w, "from", fs);
    jw_str(&w, "to", ts);
    jw_int(&w, "working_days", working);
    put_years(&w, c, from, to);
    jw_arr(&w, "days");
    for (int32_t day = from; w.rc == DD_OK && day <= to; day++) {
        workcal_format_date(day, ds);
        jw_obj(&w, NULL);
        jw_str(&w, "date", ds);
        jw_int(&w, "weekday", workcal_weekday(day) + 1);
        jw_bool(&w, "working", workcal_is_working_day(c, day));
        jw_str(&w, "kind", day_kind(c, day));
        jw_str(&w, "name", workcal_name(c, day));
        jw_end(&w);
    }
    jw_end(&w);
    jw_end(&w);
    api_reply_jw(req, 200, &w);
}

/* A count parameter already checked by the router (digits in bounds). */
static int
count_param(struct http_request *req, const char *name, int *n)
{
    const char *v = http_query(req, name);
    if (!v)
        return 0;
    *n = (int)strtol(v, NULL, 10);
    return 1;
}

static void
deadline_get(struct http_request *req)
{
    const struct workcal *c = API(req)->calendar;
    int32_t from, due;
    int wd = 0, cd = 0, unc = 0;
    if (date_param(req, "from", &from))
        return;
    int has_wd = count_param(req, "working_days", &wd);
    int has_cd = count_param(req, "calendar_days", &cd);
    if (has_wd == has_cd) {
        api_error(req, 400,
                  has_wd ? "INVALID_PARAMETER" : "MISSING_PARAMETER",
                  has_wd ? "calendar_days" : "working_days",
                  "give either working_days or calendar_days, not both",
                  "须且只能给出 working_days 或 calendar_days 之一");
        return;
    }
    if (has_wd) {
        due = workcal_add_working_days(c, from, wd, &unc);
    } else {
        /* calendar days never look at the calendar; the flag still says
         * whether the span reaches a year without data */
        due = from + cd;
        (void)workcal_working_days_between(c, from, due, &unc);
    }
    char fs[11], ds[11];
    workcal_format_date(from, fs);
    workcal_format_date(due, ds);
    struct jw w;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    jw_str(&w, "from", fs);
    jw_int(&w, has_wd ? "working_days" : "calendar_days", has_wd ? wd : cd);
    jw_str(&w, "deadline", ds);
    jw_bool(&w, "deadline_is_working_day", workcal_is_working_day(c, due));
    jw_bool(&w, "uncovered", unc);
    jw_end(&w);
    api_reply_jw(req, 200, &w);
}

static const struct param_spec span_query[] = {
    {"from", PARAM_STRING, 1, 10, 0, 0},
    {"to", PARAM_STRING, 1, 10, 0, 0},
    {NULL, 0, 0, 0, 0, 0},
};
static const struct param_spec deadline_query[] = {
    {"from", PARAM_STRING, 1, 10, 0, 0},
    {"working_days", PARAM_INT, 0, 4, 0, WORKING_DAYS_MAX},
    {"calendar_days", PARAM_INT, 0, 4, 0, CALENDAR_DAYS_MAX},
    {NULL, 0, 0, 0, 0, 0},
};

/* Reference data: every signed-in user, like the regions. */
/* clang-format off: one route per line */
static const struct route routes[] = {
    {"GET", "/api/v1/calendar", NULL, span_query, AUTHZ_REGION_READ, 0, calendar_get, "the days of a span (at most 366): working or off"},
    {"GET", "/api/v1/calendar/deadline", NULL, deadline_query, AUTHZ_REGION_READ, 0, deadline_get, "the day N working or calendar days after a date"},
};
/* clang-format on */

const struct route_table api_calendar_routes = {
    "calendar", routes, sizeof(routes) / sizeof(routes[0])};
