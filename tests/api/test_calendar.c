/* SPDX-License-Identifier: MIT */
/* A year's holiday notice loaded into the running server (issue 12), on
 * both stores: POST /api/v1/calendar/years as the city supervisor stores
 * it as a version of the year, audited, and the open case whose deadline
 * was counted on weekdays only (the year uncovered) gets the deadline the
 * year's holidays give, no longer flagged; a township clerk is refused,
 * and a malformed file is refused naming its line.
 *
 * The server runs on a copy of data/ whose holiday file lacks 2019, and
 * the year loaded is the 2019 of the shipped data/cn-holidays.csv (国办发明电
 * 〔2018〕15号): real dates, so the case can be a paper application of
 * 2019-03-01 whose 30 working days cross 清明节 (Friday 2019-04-05),
 * whatever the day the test runs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cases_helpers.h"
#include "domain/workcal.h"
#include "harness.h"
#include "refdata/refdata.h"

#define YEAR "2019"
#define HEADER "date,is_off_day,name,notice_url\n"

static struct server srv;
static struct store *st;
static struct client city, clerk101, county101;
static char data_dir[PATH_MAX];
static char year_csv[8192]; /* the header and the shipped 2019 lines */
static size_t year_days;

/* data_dir: the shipped data/ (links) with a holiday file without 2019;
 * year_csv: the 2019 lines. 0, or -1. */
static int
data_without_year(void)
{
    static const char *const keep[] = {"regions-chongqing.csv",
                                       "functional-zones.csv", "policy",
                                       "catalog", "passwords", "banks"};
    const char *src = getenv("DOUDI_TEST_DATA");
    char from[PATH_MAX], to[PATH_MAX + 64], real[PATH_MAX], line[1024];
    harness_tmp_path(data_dir, sizeof(data_dir), "calendar-data");
    if (!src || (mkdir(data_dir, 0700) != 0))
        return -1;
    for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
        snprintf(from, sizeof(from), "%s/%s", src, keep[i]);
        snprintf(to, sizeof(to), "%s/%s", data_dir, keep[i]);
        if (!realpath(from, real) || symlink(real, to) != 0)
            return -1;
    }
    snprintf(from, sizeof(from), "%s/cn-holidays.csv", src);
    snprintf(to, sizeof(to), "%s/cn-holidays.csv", data_dir);
    FILE *in = fopen(from, "r"), *out = fopen(to, "w");
    size_t len = strlen(HEADER);
    memcpy(year_csv, HEADER, len + 1);
    int ok = in && out;
    while (ok && fgets(line, sizeof(line), in)) {
        if (strncmp(line, YEAR "-", 5) != 0) {
            ok = fputs(line, out) >= 0;
            continue;
        }
        size_t n = strlen(line);
        ok = len + n < sizeof(year_csv);
        if (ok) {
            memcpy(year_csv + len, line, n + 1);
            len += n;
            year_days++;
        }
    }
    if (in)
        fclose(in);
    if (out && fclose(out) != 0)
        ok = 0;
    return ok && year_days > 0 ? 0 : -1;
}

static int
group_setup(void **state)
{
    (void)state;
    static char env_data[PATH_MAX + 32];
    static const char *env[] = {env_data, NULL};
    if (data_without_year() != 0) {
        fprintf(stderr, "test_calendar: cannot lay out the data copy\n");
        return -1;
    }
    snprintf(env_data, sizeof(env_data), "DOUDI_DATA_DIR=%s", data_dir);
    if (suite_start(&srv, "calendar", env, &st) != 0)
        return -1;
    logins_ok(&srv, "city", &city, "clerk.500101001", &clerk101,
              "county.500101", &county101, NULL);
    return 0;
}

/* POST /api/v1/calendar/years as sess with a CSV body. */
static void
year_post(const struct client *sess, const char *csv, struct response *r)
{
    struct request rq = {.method = "POST",
                         .path = "/api/v1/calendar/years",
                         .body = csv,
                         .sess = sess,
                         .content_type = "text/csv"};
    http_do(&srv, &rq, r);
}

/* The audit rows on object, how many of them have action (by actor). */
static size_t
audits(const char *object, const char *action, const char *actor)
{
    struct store_tx *tx = NULL;
    struct audit_row rows[16];
    size_t n = 0, found = 0;
    struct audit_filter f = {.object = object};
    assert_int_equal(store_tx_begin(st, STORE_READ, &tx), DD_OK);
    assert_int_equal(store_audit_list(tx, &f, rows, 16, &n), DD_OK);
    store_tx_rollback(tx);
    for (size_t i = 0; i < n; i++)
        found += strcmp(rows[i].action, action) == 0 &&
                 strcmp(rows[i].actor, actor) == 0;
    return found;
}

/* Whether the calendar the server serves covers 2019. */
static int
served_covers_year(void)
{
    struct response r = {0};
    api_call(&srv, &clerk101, "GET",
             "/api/v1/calendar?from=" YEAR "-04-05&to=" YEAR "-04-05", NULL,
             &r);
    expect_status(&r, 200);
    int covered = json_is_true(resp_get(&r, "years.0.covered"));
    assert_string_equal(resp_str(&r, "days.0.kind"),
                        covered ? "holiday" : "workday");
    response_free(&r);
    return covered;
}

TEST_CASE(test_refused)
{
    struct response r = {0};
    /* not the township clerk's to load */
    year_post(&clerk101, year_csv, &r);
    expect_error(&r, 403, "FORBIDDEN", NULL);
    /* a CSV body only */
    struct request rq = {.method = "POST", .path = "/api/v1/calendar/years",
                         .body = "{}", .sess = &city};
    http_do(&srv, &rq, &r);
    assert_int_equal(r.status, 415);
    /* malformed: each named by its line */
    static const struct {
        const char *csv, *line, *why;
    } bad[] = {
        {HEADER "2019-01-01,2,元旦,x\n", "line 2", "is_off_day"},
        {HEADER "2019-01-01,1,元旦,x\n2020-01-01,1,元旦,x\n", "line 3",
         "one year per file"},
        {HEADER "2019-01-01,1,元旦,x\n2019-01-01,1,元旦,x\n", "line 3",
         "given twice"},
        {HEADER "2019-04-08,0,清明节,x\n", "line 2", "weekday"},
        {HEADER "2019-02-30,1,春节,x\n", "line 2", "real day"},
        {"date,off,name\n2019-01-01,1,元旦\n", "line 1", "header"},
        {HEADER, "line 1", "names no day"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        year_post(&city, bad[i].csv, &r);
        expect_error(&r, 400, "INVALID_CALENDAR", bad[i].line);
        if (!strstr(resp_str(&r, "error.message"), bad[i].why))
            fail_msg("case %zu: %s", i, r.body);
    }
    response_free(&r);
    /* nothing stored, nothing audited, the year still uncovered */
    assert_int_equal(audits("calendar:" YEAR, "calendar.year", "city"), 0);
    assert_false(served_covers_year());
}

TEST_CASE(test_year_loaded)
{
    struct response r = {0};
    int32_t d0;
    assert_int_equal(workcal_parse_date(YEAR "-03-01", &d0), 0);
    /* the deadline the year's holidays give (test_workcal's calendar) */
    struct workcal *cal = workcal_new();
    size_t bad_line = 0;
    char why[256], path[PATH_MAX + 32];
    snprintf(path, sizeof(path), "%s/cn-holidays.csv",
             getenv("DOUDI_TEST_DATA"));
    assert_int_equal(refdata_holidays_read(path, cal, &bad_line, why,
                                           sizeof(why)),
                     DD_OK);
    char want[11];
    int wunc = 1;
    workcal_format_date(workcal_add_working_days(cal, d0, 30, &wunc), want);
    assert_false(wunc);
    workcal_free(cal);

    /* a paper application of 2019-03-01, still open: its deadline was
     * counted on weekdays only */
    int64_t hh = couple_post(&srv, &county101, "白岩路 5 号", "孙立",
                             "19700505", "周红", "19720606", 1);
    apply(&srv, &clerk101, hh, "\"dibao\"", DIBAO_PAPERS,
          ",\"applied_on\":\"" YEAR "-03-01\"", &r);
    expect_status(&r, 201);
    json_t *it = item_at(&r, "items", 0);
    long long id = jint(it, "id");
    char before[11];
    snprintf(before, sizeof(before), "%s", jstr(it, "deadline"));
    assert_true(json_is_true(json_object_get(it, "deadline_uncovered")));
    assert_string_not_equal(before, want);

    year_post(&city, year_csv, &r);
    expect_status(&r, 201);
    assert_int_equal(json_integer_value(resp_get(&r, "year")), 2019);
    assert_int_equal(json_integer_value(resp_get(&r, "version")), 1);
    assert_int_equal(json_integer_value(resp_get(&r, "days")), year_days);
    assert_true(json_integer_value(resp_get(&r, "deadlines_moved")) >= 1);

    /* served at once, and the case's clock recomputed */
    assert_true(served_covers_year());
    item_get(&srv, &clerk101, id, &r);
    assert_string_equal(resp_str(&r, "item.deadline"), want);
    assert_false(json_is_true(resp_get(&r, "item.deadline_uncovered")));
    /* one audit row for the load, one for the case's change */
    assert_int_equal(audits("calendar:" YEAR, "calendar.year", "city"), 1);
    char object[48];
    snprintf(object, sizeof(object), "case_item:%lld", id);
    assert_int_equal(audits(object, "case.deadline", "city"), 1);

    /* the same notice again: version 2, nothing more to move */
    year_post(&city, year_csv, &r);
    expect_status(&r, 201);
    assert_int_equal(json_integer_value(resp_get(&r, "version")), 2);
    assert_int_equal(json_integer_value(resp_get(&r, "deadlines_moved")), 0);
    assert_int_equal(audits("calendar:" YEAR, "calendar.year", "city"), 2);
    assert_int_equal(audits(object, "case.deadline", "city"), 1);
    response_free(&r);
}

API_SUITE("calendar", group_setup, &srv, &st,
          cmocka_unit_test(test_refused),
          cmocka_unit_test(test_year_loaded))
