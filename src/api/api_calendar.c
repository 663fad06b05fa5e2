/* SPDX-License-Identifier: MIT */
/* The working-day calendar for staff: the days of a span marked working
 * or off with the holiday's name, and a deadline N working or calendar
 * days after a date; the convention is docs/calendar.md's: the start day
 * is not counted. And a new year's State Council notice loaded into the
 * running server (city supervisor, or `doudi calendar load`): stored as
 * a new version of the year, the open cases' deadlines recomputed, and
 * the new calendar served at once. */
#include "api/api_internal.h"

#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "core/log.h"
#include "core/str.h"
#include "json/jw.h"
#include "domain/workcal.h"

#define SPAN_MAX_DAYS 366     /* one leap year, both ends included */
#define WORKING_DAYS_MAX 1000 /* no statutory period comes near */
#define CALENDAR_DAYS_MAX 3660
#define REPLY_CAP (256u << 10)

/* ---- the calendar in force ---- */

/* Loads and reloads one at a time; requests read the pointer without a
 * lock (a calendar is never changed once served, only replaced). */
static pthread_mutex_t calendar_mutex = PTHREAD_MUTEX_INITIALIZER;

const struct workcal *
api_calendar(struct api *a)
{
    return __atomic_load_n(&a->calendar, __ATOMIC_ACQUIRE);
}

void
api_calendar_free(struct api *a)
{
    workcal_free(a->calendar);
    for (size_t i = 0; i < a->calendar_retired_count; i++)
        workcal_free(a->calendar_retired[i]);
    free(a->calendar_retired);
    a->calendar = NULL;
    a->calendar_retired = NULL;
    a->calendar_retired_count = 0;
}

/* Room to retire two more calendars (the one served and, should the
 * commit fail, the new one), so that serving one never fails; under
 * calendar_mutex. */
static enum dd_status
retire_room(struct api *a)
{
    struct workcal **r = realloc(a->calendar_retired,
                                 (a->calendar_retired_count + 2) * sizeof(*r));
    if (!r)
        return DD_ENOMEM;
    a->calendar_retired = r;
    return DD_OK;
}

/* Serves c from now on; the one it replaces is kept (retire_room made
 * room). Under calendar_mutex. */
static void
serve(struct api *a, struct workcal *c)
{
    a->calendar_retired[a->calendar_retired_count++] = a->calendar;
    __atomic_store_n(&a->calendar, c, __ATOMIC_RELEASE);
}

/* The case service's context for the recomputation, on calendar c. */
static void
recompute_ctx(struct api *a, struct store_tx *tx, struct arena *arena,
              const struct workcal *c, const char *actor,
              const char *request_id, struct cases_ctx *x)
{
    memset(x, 0, sizeof(*x));
    x->tx = tx;
    x->arena = arena;
    x->catalog = a->catalog;
    x->catalog_lock = a->catalog_lock_ready ? &a->catalog_lock : NULL;
    x->policy = a->policy;
    x->policy_lock = a->policy_lock_ready ? &a->policy_lock : NULL;
    x->steps = a->steps;
    x->calendar = c;
    x->pii = a->pii;
    x->actor.name = actor;
    x->actor.role = ROLE_NONE;
    x->actor.region = "50";
    x->request_id = request_id;
    civil_today(&x->day);
    x->now = time_now();
}

enum dd_status
api_calendar_load(struct api *a, FILE *f, const char *file, const char *actor,
                  const char *request_id, struct refdata_year *y,
                  size_t *recomputed)
{
    struct store_tx *tx = NULL;
    struct workcal *c = NULL;
    struct cases_ctx x;
    char cause[48];
    *recomputed = 0;
    memset(y, 0, sizeof(*y));
    /* the open items of a page and their audit rows */
    struct arena *arena = arena_new(4u << 20);
    if (!arena)
        return DD_ENOMEM;
    pthread_mutex_lock(&calendar_mutex);
    struct workcal *was = a->calendar;
    enum dd_status rc = retire_room(a);
    if (rc == DD_OK)
        rc = store_tx_begin(a->store, STORE_WRITE, &tx);
    if (rc == DD_OK)
        rc = refdata_calendar_year_load(tx, f, file, actor, request_id, &c, y);
    if (rc == DD_OK) {
        snprintf(cause, sizeof(cause), "calendar %d version %lld", y->year,
                 (long long)y->version);
        recompute_ctx(a, tx, arena, c, actor, request_id, &x);
        rc = cases_deadlines_recompute(&x, y->year, cause, recomputed);
    }
    if (rc != DD_OK) {
        if (tx)
            store_tx_rollback(tx);
        workcal_free(c);
    } else {
        /* served before the commit: a request that writes after this
         * load (writers wait for it) computes on the new year */
        serve(a, c);
        rc = store_tx_commit(tx);
        if (rc != DD_OK) {
            /* not stored: the old one again; c kept, a request may hold
             * it */
            a->calendar_retired[a->calendar_retired_count - 1] = c;
            __atomic_store_n(&a->calendar, was, __ATOMIC_RELEASE);
        }
    }
    pthread_mutex_unlock(&calendar_mutex);
    arena_free(arena);
    if (rc == DD_OK)
        log_info("calendar %d: version %lld loaded by %s, %zu days; %zu "
                 "open case items' deadlines moved",
                 y->year, (long long)y->version, actor, y->days, *recomputed);
    return rc;
}

enum dd_status
api_calendar_reload(struct api *a)
{
    struct store_tx *tx = NULL;
    struct workcal *c = NULL;
    pthread_mutex_lock(&calendar_mutex);
    enum dd_status rc = retire_room(a);
    if (rc == DD_OK)
        rc = store_tx_begin(a->store, STORE_READ, &tx);
    if (rc == DD_OK) {
        rc = refdata_workcal(tx, &c);
        store_tx_rollback(tx);
    }
    if (rc == DD_OK)
        serve(a, c);
    pthread_mutex_unlock(&calendar_mutex);
    return rc;
}

/* ---- reading it ---- */

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
    const struct workcal *c = api_calendar(API(req));
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
    const struct workcal *c = api_calendar(API(req));
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

/* POST /api/v1/calendar/years (city_supervisor): a year's notice as a
 * CSV body (text/csv, the columns of data/cn-holidays.csv). */
static void
year_post(struct http_request *req)
{
    struct refdata_year y;
    size_t moved = 0;
    if (api_content_type(req, "text/csv"))
        return;
    /* fmemopen refuses a size of 0: an empty body is an empty file */
    static char empty[1];
    FILE *f = req->body.len ? fmemopen(req->body.data, req->body.len, "r")
                            : fmemopen(empty, 1, "r");
    if (!f) {
        api_fail(req, DD_ENOMEM, NULL);
        return;
    }
    if (!req->body.len)
        (void)fgetc(f); /* at the end */
    enum dd_status rc = api_calendar_load(API(req), f, "request body",
                                          req->actor, req->request_id, &y,
                                          &moved);
    fclose(f);
    if (rc == DD_EINVAL) {
        struct arena *ar = req->arena;
        api_error(req, 400, "INVALID_CALENDAR",
                  arena_printf(ar, "line %zu", y.bad_line),
                  arena_printf(ar, "line %zu: %s", y.bad_line, y.reason),
                  arena_printf(ar, "日历文件第 %zu 行有误（%s）", y.bad_line,
                               y.reason));
        return;
    }
    if (api_check(req, rc, NULL))
        return;
    struct jw w;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    jw_int(&w, "year", y.year);
    jw_int(&w, "version", y.version);
    jw_int(&w, "days", (int64_t)y.days);
    jw_int(&w, "off_days", (int64_t)y.off);
    jw_int(&w, "worked_days", (int64_t)y.worked);
    jw_int(&w, "deadlines_moved", (int64_t)moved);
    jw_end(&w);
    api_reply_jw(req, 201, &w);
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

/* Reference data: every signed-in user reads it, like the regions; the
 * city supervisor loads a year, as policy versions. */
/* clang-format off: one route per line */
static const struct route routes[] = {
    {"GET", "/api/v1/calendar", NULL, span_query, AUTHZ_REGION_READ, 0, calendar_get, "the days of a span (at most 366): working or off"},
    {"GET", "/api/v1/calendar/deadline", NULL, deadline_query, AUTHZ_REGION_READ, 0, deadline_get, "the day N working or calendar days after a date"},
    {"POST", "/api/v1/calendar/years", NULL, api_no_query, AUTHZ_POLICY_WRITE, ROUTE_BODY, year_post, "load a year's holiday notice as a new version (city_supervisor, audited; open deadlines recomputed)"},
};
/* clang-format on */

const struct route_table api_calendar_routes = {
    "calendar", routes, sizeof(routes) / sizeof(routes[0])};
