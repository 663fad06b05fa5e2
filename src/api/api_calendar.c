/* SPDX-License-Identifier: MIT */
/* The working-day calendar for staff: the days of a span marked working
 * or off with the holiday's name, and a deadline N working or calendar
 * days after a date. Read from the calendar loaded at start (api_new);
 * the convention is docs/calendar.md's: the start day is not counted. */
#include "api/api_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
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

/* Hands the buffer's text to the request arena; NULL when out of memory. */
static const char *
to_arena(struct http_request *req, struct buf *b, enum dd_status rc)
{
    const char *body = rc == DD_OK ? arena_strdup(req->arena, b->data) : NULL;
    buf_free(b);
    return body;
}

/* "years":[{"year":Y,"covered":B},...] for the years of [from, to]. */
static enum dd_status
put_years(struct buf *b, const struct workcal *c, int32_t from, int32_t to)
{
    int y0, y1, m, d;
    workcal_ymd_from_day(from, &y0, &m, &d);
    workcal_ymd_from_day(to, &y1, &m, &d);
    enum dd_status rc = buf_puts(b, "\"years\":[");
    for (int y = y0; rc == DD_OK && y <= y1; y++)
        rc = buf_printf(b, "%s{\"year\":%d,\"covered\":%s}", y > y0 ? "," : "",
                        y, workcal_covers_year(c, y) ? "true" : "false");
    if (rc == DD_OK)
        rc = buf_puts(b, "]");
    return rc;
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
    struct buf b;
    char ds[11], fs[11], ts[11];
    int unc;
    buf_init(&b, REPLY_CAP);
    workcal_format_date(from, fs);
    workcal_format_date(to, ts);
    int working = workcal_is_working_day(c, from) +
                  workcal_working_days_between(c, from, to, &unc);
    enum dd_status rc =
        buf_printf(&b, "{\"from\":\"%s\",\"to\":\"%s\",\"working_days\":%d,",
                   fs, ts, working);
    if (rc == DD_OK)
        rc = put_years(&b, c, from, to);
    if (rc == DD_OK)
        rc = buf_puts(&b, ",\"days\":[");
    for (int32_t day = from; rc == DD_OK && day <= to; day++) {
        const char *name = workcal_name(c, day);
        const char *quoted = name ? json_quote(req->arena, name) : "null";
        if (!quoted) {
            rc = DD_ENOMEM;
            break;
        }
        workcal_format_date(day, ds);
        rc = buf_printf(&b,
                        "%s{\"date\":\"%s\",\"weekday\":%d,\"working\":%s,"
                        "\"kind\":\"%s\",\"name\":%s}",
                        day > from ? "," : "", ds, workcal_weekday(day) + 1,
                        workcal_is_working_day(c, day) ? "true" : "false",
                        day_kind(c, day), quoted);
    }
    if (rc == DD_OK)
        rc = buf_puts(&b, "]}");
    api_reply(req, 200, to_arena(req, &b, rc));
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
    const char *body = arena_printf(
        req->arena,
        "{\"from\":\"%s\",\"%s\":%d,\"deadline\":\"%s\","
        "\"deadline_is_working_day\":%s,\"uncovered\":%s}",
        fs, has_wd ? "working_days" : "calendar_days", has_wd ? wd : cd, ds,
        workcal_is_working_day(c, due) ? "true" : "false",
        unc ? "true" : "false");
    api_reply(req, 200, body);
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
static const struct route routes[] = {
    {"GET", "/api/v1/calendar", NULL, span_query, AUTHZ_REGION_READ, 0,
     calendar_get, "the days of a span (at most 366): working or off"},
    {"GET", "/api/v1/calendar/deadline", NULL, deadline_query,
     AUTHZ_REGION_READ, 0, deadline_get,
     "the day N working or calendar days after a date"},
};

const struct route_table api_calendar_routes = {
    "calendar", routes, sizeof(routes) / sizeof(routes[0])};
