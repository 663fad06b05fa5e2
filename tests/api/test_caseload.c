/* SPDX-License-Identifier: MIT */
/* The caseload after approval (在保对象, issue 13) end to end through the
 * API on both stores: an approved 低保's entitlement decreased from next
 * month, suspended and resumed, stopped for a death, and then refused a
 * resumption (409 ENTITLEMENT_STOPPED); a stale version (409), no version
 * (428), a township reviewer deciding a county item (403), bad fields
 * (400 naming each), out of scope (404); `doudi check` still passes;
 * the list's filters and its
 * cursor over several pages; the review-due filter, the next review day
 * and the household's masked name on each row; on SQLite, the list's
 * plan is a range of the entitlement_scope index. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases_helpers.h"
#include "harness.h"
#include "sqlite_plan.h"
#include "store/store_internal.h"

static struct server srv;
static struct store *st;
static struct client clerk101, reviewer101, county101, county103;

/* The entitlements the suite approves: the life test's, the conflict
 * test's, then the list's. */
static long long ents[3];
static long long amounts[3];

static int
group_setup(void **state)
{
    (void)state;
    if (suite_start(&srv, "caseload", NULL, &st) != 0)
        return -1;
    logins_ok(&srv, "clerk.500101001", &clerk101, "reviewer.500101001",
              &reviewer101, "county.500101", &county101, "county.500103",
              &county103, NULL);
    return 0;
}

/* POST a change as sess with body and If-Match version (< 0: none). */
static void
change(const struct client *sess, long long ent, long long version,
       const char *body, struct response *r)
{
    char im[48];
    snprintf(im, sizeof(im), "If-Match: \"%lld\"", version);
    const char *headers[] = {im, NULL};
    struct request rq = {.method = "POST",
                         .path = fmt("/api/v1/entitlements/%lld/changes", ent),
                         .body = body,
                         .sess = sess,
                         .headers = version >= 0 ? headers : NULL};
    http_do(&srv, &rq, r);
}

/* change() that must answer 200: the entitlement's new version. */
static long long
change_ok(long long ent, long long version, const char *body, const char *state,
          const char *effect_month)
{
    struct response r = {0};
    change(&county101, ent, version, body, &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "entitlement.state"), state);
    assert_string_equal(resp_str(&r, "change.effect_month"), effect_month);
    /* the notice: the legal ground of 低保 and the appeal route */
    assert_non_null(strstr(resp_str(&r, "notice.legal_ground"), "57号"));
    assert_non_null(strstr(resp_str(&r, "notice.appeal"), "60日"));
    assert_non_null(strstr(resp_str(&r, "notice.appeal"), "6个月"));
    long long v = json_integer_value(resp_get(&r, "entitlement.version"));
    assert_int_equal(v, version + 1);
    response_free(&r);
    return v;
}

/* How many audit rows of action name entitlement ent, each with a
 * digest. */
static int
audits(long long ent, const char *action)
{
    struct store_tx *tx = NULL;
    struct audit_row rows[16];
    size_t n = 0;
    char object[64];
    snprintf(object, sizeof(object), "entitlement:%lld", ent);
    struct audit_filter f = {.object = object, .action = action};
    assert_int_equal(store_tx_begin(st, STORE_READ, &tx), DD_OK);
    assert_int_equal(store_audit_list(tx, &f, rows, 16, &n), DD_OK);
    store_tx_rollback(tx);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(rows[i].region, "500101001001");
        assert_non_null(strstr(rows[i].detail, "\"digest\":\""));
    }
    return (int)n;
}

TEST_CASE(test_life)
{
    struct response r = {0};
    long long e = ents[0] =
        approved_dibao(&srv, st, &clerk101, &county101, &reviewer101, 61,
                       "李建国", &amounts[0]);
    long long amount = amounts[0];
    /* 减发 from next month (dibao.effect.decrease_lag_months 1) */
    long long v = change_ok(e, 1,
                            fmt("{\"event\":\"decrease\",\"amount_fen\":%lld,"
                                "\"reason_text\":\"家庭收入增加\"}",
                                amount - 10000),
                            "active", today_month(1));
    api_call(&srv, &county101, "GET", fmt("/api/v1/entitlements/%lld", e), NULL,
             &r);
    expect_status(&r, 200);
    assert_int_equal(json_integer_value(resp_get(&r, "entitlement.amount_fen")),
                     amount - 10000);
    assert_int_equal(
        json_integer_value(resp_get(&r, "entitlement.approved_fen")), amount);
    response_free(&r);
    /* 暂停 from next month, then 恢复 (lag 0, brought up to the
     * suspension's month) */
    v = change_ok(e, v, "{\"event\":\"suspend\",\"reason_text\":\"外出失联\"}",
                  "suspended", today_month(1));
    change(&county101, e, v, "{\"event\":\"suspend\",\"reason_text\":\"x\"}",
           &r);
    expect_error(&r, 409, "ALREADY_SUSPENDED", "event");
    v = change_ok(e, v, "{\"event\":\"resume\"}", "active", today_month(1));
    /* 停发 on death: the month after (dibao.effect.death_lag_months 1) */
    v = change_ok(e, v, "{\"event\":\"stop\",\"reason_code\":\"death\"}",
                  "stopped", today_month(1));
    /* nothing happens to a stopped entitlement */
    change(&county101, e, v, "{\"event\":\"resume\"}", &r);
    expect_error(&r, 409, "ENTITLEMENT_STOPPED", "event");
    /* its history, oldest first */
    api_call(&srv, &county101, "GET", fmt("/api/v1/entitlements/%lld", e), NULL,
             &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "entitlement.stop_reason"), "death");
    json_t *ch = resp_get(&r, "changes");
    assert_int_equal(json_array_size(ch), 4);
    const char *events[] = {"decrease", "suspend", "resume", "stop"};
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(jstr(json_array_get(ch, i), "event"), events[i]);
        assert_int_equal(jint(json_array_get(ch, i), "seq"), (long long)i + 1);
        assert_string_equal(jstr(json_array_get(ch, i), "decided_by"),
                            "county.500101");
    }
    assert_int_equal(jint(json_array_get(ch, 0), "amount_fen"), amount - 10000);
    assert_string_equal(jstr(json_array_get(ch, 3), "reason_code"), "death");
    response_free(&r);
    /* one audited decision each */
    assert_int_equal(audits(e, "entitlement.decrease"), 1);
    assert_int_equal(audits(e, "entitlement.suspend"), 1);
    assert_int_equal(audits(e, "entitlement.resume"), 1);
    assert_int_equal(audits(e, "entitlement.stop"), 1);
}

TEST_CASE(test_refusals)
{
    struct response r = {0};
    long long e = ents[1] =
        approved_dibao(&srv, st, &clerk101, &county101, &reviewer101, 63,
                       "周建华", &amounts[1]);
    /* a stale version, and none */
    change_ok(e, 1, "{\"event\":\"suspend\",\"reason_text\":\"核查中\"}",
              "suspended", today_month(1));
    change(&county101, e, 1, "{\"event\":\"resume\"}", &r);
    expect_error(&r, 409, "VERSION_CONFLICT", "version");
    change(&county101, e, -1, "{\"event\":\"resume\"}", &r);
    expect_error(&r, 428, "VERSION_REQUIRED", "version");
    /* the township does not decide a county item's changes */
    change(&reviewer101, e, 2, "{\"event\":\"resume\"}", &r);
    expect_error(&r, 403, "NOT_DECIDING_LEVEL", NULL);
    /* out of scope: not revealed */
    change(&county103, e, 2, "{\"event\":\"resume\"}", &r);
    expect_error(&r, 404, "NOT_FOUND", NULL);
    api_call(&srv, &county103, "GET", fmt("/api/v1/entitlements/%lld", e), NULL,
             &r);
    expect_error(&r, 404, "NOT_FOUND", NULL);
    /* each bad field named */
    change(&county101, e, 2, "{\"event\":\"pause\"}", &r);
    expect_error(&r, 400, "INVALID_EVENT", "event");
    change(&county101, e, 2, "{\"event\":\"stop\"}", &r);
    expect_error(&r, 400, "INVALID_REASON", "reason_code");
    change(&county101, e, 2, "{\"event\":\"stop\",\"reason_code\":\"other\"}",
           &r);
    expect_error(&r, 400, "REASON_REQUIRED", "reason_text");
    change(&county101, e, 2, "{\"event\":\"decrease\",\"amount_fen\":1000}",
           &r);
    expect_error(&r, 400, "REASON_REQUIRED", "reason_text");
    change(&county101, e, 2,
           fmt("{\"event\":\"increase\",\"amount_fen\":%lld,"
               "\"reason_text\":\"x\"}",
               amounts[1]),
           &r);
    expect_error(&r, 400, "INVALID_AMOUNT", "amount_fen");
    change(&county101, e, 2,
           "{\"event\":\"resume\",\"effect_month\":\"2026-13\"}", &r);
    expect_error(&r, 400, "INVALID_MONTH", "effect_month");
    change(&county101, e, 2,
           "{\"event\":\"resume\",\"effect_month\":\"2001-01\"}", &r);
    expect_error(&r, 400, "EFFECT_MONTH_ORDER", "effect_month");
    change(&county101, e, 2, "{\"event\":\"resume\",\"colour\":1}", &r);
    expect_error(&r, 400, "UNKNOWN_FIELD", "colour");
    /* 渐退 while suspended is refused; resumed, it is allowed for up to
     * dibao.phaseout.months (6) */
    change(&county101, e, 2, "{\"event\":\"phaseout\",\"months\":3}", &r);
    expect_error(&r, 409, "ENTITLEMENT_SUSPENDED", "event");
    change_ok(e, 2, "{\"event\":\"resume\"}", "active", today_month(1));
    change(&county101, e, 3, "{\"event\":\"phaseout\",\"months\":7}", &r);
    expect_error(&r, 400, "PHASEOUT_MONTHS", "months");
    change_ok(e, 3, "{\"event\":\"phaseout\",\"months\":3}", "active",
              today_month(1));
    /* 3 months from next month: stopped from the fourth month on */
    change(&county101, e, 4,
           fmt("{\"event\":\"suspend\",\"reason_text\":\"x\","
               "\"effect_month\":\"%s\"}",
               today_month(4)),
           &r);
    expect_error(&r, 409, "ENTITLEMENT_STOPPED", "event");
    response_free(&r);
}

/* One statement on the SQLite database, outside Doudi. */
static void
sqlite_run(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* `doudi check` still finds every decided item as audited once its
 * entitlement has changed (the decision's digest covers the entitlement
 * as the approval opened it), and each changed entitlement as its latest
 * decision's audit row vouches. On SQLite, an amount raised outside
 * Doudi is then named, and the check holds again once it is put back. */
TEST_CASE(test_check_after_changes)
{
    char out[4096] = "";
    if (doudi_check_run(&srv, out, sizeof(out)) != 0 || !strstr(out, "rows: as audited"))
        fail_msg("doudi check: %s", out);
    const char *url = harness_db_url();
    if (strncmp(url, "sqlite:", 7) != 0)
        return; /* the edit is made with SQLite's own library */
    const char *raise = "UPDATE entitlement SET amount_fen = amount_fen + 100"
                        " WHERE id = (SELECT max(entitlement_id)"
                        " FROM entitlement_change)";
    const char *undo = "UPDATE entitlement SET amount_fen = amount_fen - 100"
                       " WHERE id = (SELECT max(entitlement_id)"
                       " FROM entitlement_change)";
    sqlite_run(url + 7, raise);
    int status = doudi_check_run(&srv, out, sizeof(out));
    sqlite_run(url + 7, undo);
    if (status == 0 || !strstr(out, "rows: DIFFER at entitlement "))
        fail_msg("doudi check after a raised amount: %s", out);
    if (doudi_check_run(&srv, out, sizeof(out)) != 0)
        fail_msg("doudi check after the amount was put back: %s", out);
}

/* The ids of a list reply's entitlements into ids (at most max): their
 * number. */
static size_t
ids_of(const struct response *r, long long *ids, size_t max)
{
    json_t *a = resp_get(r, "entitlements");
    size_t n = json_array_size(a);
    for (size_t i = 0; i < n && i < max; i++)
        ids[i] = jint(json_array_get(a, i), "id");
    return n;
}

TEST_CASE(test_list)
{
    struct response r = {0};
    long long ids[8];
    ents[2] = approved_dibao(&srv, st, &clerk101, &county101, &reviewer101, 65,
                             "吴志强", &amounts[2]);
    /* every page of one, in id order, by the cursor */
    long long after = 0, seen[8];
    size_t pages = 0;
    for (;;) {
        api_call(&srv, &county101, "GET",
                 fmt("/api/v1/entitlements?limit=1&after=%lld", after), NULL,
                 &r);
        expect_status(&r, 200);
        assert_true(ids_of(&r, ids, 8) <= 1);
        if (ids_of(&r, ids, 8) == 1)
            seen[pages++] = ids[0];
        json_t *next = resp_get(&r, "next_after");
        if (json_is_null(next))
            break;
        after = json_integer_value(next);
        assert_true(pages < 8);
    }
    assert_int_equal(pages, 3);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(seen[i], ents[i]);
    /* filters: state, programme, amount, region */
    api_call(&srv, &county101, "GET", "/api/v1/entitlements?state=stopped",
             NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(ids_of(&r, ids, 8), 1);
    assert_int_equal(ids[0], ents[0]);
    api_call(&srv, &county101, "GET",
             "/api/v1/entitlements?state=active&programme=dibao", NULL, &r);
    assert_int_equal(ids_of(&r, ids, 8), 2);
    api_call(&srv, &county101, "GET", "/api/v1/entitlements?programme=tekun",
             NULL, &r);
    assert_int_equal(ids_of(&r, ids, 8), 0);
    api_call(&srv, &county101, "GET",
             fmt("/api/v1/entitlements?min_fen=%lld&max_fen=%lld",
                 amounts[0] - 10000, amounts[0] - 10000),
             NULL, &r);
    assert_int_equal(ids_of(&r, ids, 8), 1);
    assert_int_equal(ids[0], ents[0]);
    api_call(&srv, &clerk101, "GET", "/api/v1/entitlements?region=500101001001",
             NULL, &r);
    assert_int_equal(ids_of(&r, ids, 8), 3);
    /* another district sees none of them; a region outside the caller's
     * scope is not revealed; a bad filter is named */
    api_call(&srv, &county103, "GET", "/api/v1/entitlements", NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(ids_of(&r, ids, 8), 0);
    api_call(&srv, &county101, "GET", "/api/v1/entitlements?region=500103",
             NULL, &r);
    expect_error(&r, 404, "NOT_FOUND", NULL);
    api_call(&srv, &county101, "GET", "/api/v1/entitlements?state=ended", NULL,
             &r);
    expect_error(&r, 400, "INVALID_STATE", "state");
    api_call(&srv, &county101, "GET", "/api/v1/entitlements?limit=501", NULL,
             &r);
    expect_status(&r, 400);
    response_free(&r);
}

/* Moves the open review the approval gave entitlement ent to day, or
 * cancels it (day NULL), straight in the store. */
static void
review_due(long long ent, const char *day)
{
    struct store_tx *tx = NULL;
    struct review_row rv;
    assert_int_equal(store_tx_begin(st, STORE_WRITE, &tx), DD_OK);
    enum dd_status rc = store_review_open_of(tx, ent, &rv);
    if (rc == DD_ENOTFOUND && !day) {
        store_tx_rollback(tx);
        return;
    }
    assert_int_equal(rc, DD_OK);
    if (day)
        snprintf(rv.due_day, sizeof(rv.due_day), "%s", day);
    else
        snprintf(rv.state, sizeof(rv.state), "cancelled");
    assert_int_equal(store_review_update(tx, &rv), DD_OK);
    assert_int_equal(store_tx_commit(tx), DD_OK);
}

/* The list with review_due_before=day: the ids, in order, into ids. */
static size_t
due_by(const char *day, long long *ids, size_t max)
{
    struct response r = {0};
    api_call(&srv, &county101, "GET",
             fmt("/api/v1/entitlements?review_due_before=%s", day), NULL, &r);
    expect_status(&r, 200);
    size_t n = ids_of(&r, ids, max);
    response_free(&r);
    return n;
}

/* The review-due filter (on or before the day; none open: never) and
 * each row's next review day and names: the household head's masked
 * (吴志强 → 吴*强), never in full, and the payee's masked only when the
 * payee is someone else (孙红 → 孙*). */
TEST_CASE(test_list_review_due)
{
    struct response r = {0};
    long long ids[8];
    review_due(ents[0], NULL);
    review_due(ents[1], "2030-03-01");
    review_due(ents[2], "2030-01-10");
    assert_int_equal(due_by("2030-01-09", ids, 8), 0);
    assert_int_equal(due_by("2030-01-10", ids, 8), 1);
    assert_int_equal(ids[0], ents[2]);
    assert_int_equal(due_by("2030-02-28", ids, 8), 1);
    assert_int_equal(ids[0], ents[2]);
    assert_int_equal(due_by("2030-03-01", ids, 8), 2);
    assert_int_equal(ids[0], ents[1]);
    assert_int_equal(ids[1], ents[2]);
    /* with the other filters */
    api_call(&srv, &county101, "GET",
             "/api/v1/entitlements?review_due_before=2030-12-31&state=stopped",
             NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(ids_of(&r, ids, 8), 0);
    api_call(&srv, &county101, "GET",
             "/api/v1/entitlements?review_due_before=2030-02-30", NULL, &r);
    expect_status(&r, 400);
    assert_string_equal(resp_str(&r, "error.field"), "review_due_before");
    /* the last one paid to the head's spouse 孙红 instead */
    api_call(&srv, &county101, "GET", fmt("/api/v1/entitlements/%lld", ents[2]),
             NULL, &r);
    expect_status(&r, 200);
    long long spouse =
        member_id(&srv, &county101,
                  json_integer_value(resp_get(&r, "entitlement.household_id")),
                  "孙红");
    long long version =
        json_integer_value(resp_get(&r, "entitlement.version"));
    api_call(&srv, &county101, "POST",
             fmt("/api/v1/entitlements/%lld/payee", ents[2]),
             fmt("{\"person_id\":%lld,\"version\":%lld}", spouse, version),
             &r);
    expect_status(&r, 200);
    /* the rows */
    api_call(&srv, &county101, "GET", "/api/v1/entitlements", NULL, &r);
    expect_status(&r, 200);
    json_t *a = resp_get(&r, "entitlements");
    assert_int_equal(json_array_size(a), 3);
    assert_true(json_is_null(json_object_get(json_array_get(a, 0),
                                             "next_review_day")));
    assert_string_equal(jstr(json_array_get(a, 1), "next_review_day"),
                        "2030-03-01");
    assert_string_equal(jstr(json_array_get(a, 2), "next_review_day"),
                        "2030-01-10");
    const char *masked[] = {"李*国", "周*华", "吴*强"};
    for (size_t i = 0; i < 3; i++) {
        json_t *row = json_array_get(a, i);
        assert_string_equal(jstr(row, "household_name"), masked[i]);
        if (i < 2)
            assert_true(json_is_null(json_object_get(row, "payee_name")));
    }
    assert_string_equal(jstr(json_array_get(a, 2), "payee_name"), "孙*");
    /* the raw bytes: no full name, no ID number's birth date part */
    const char *full[] = {"李建国", "周建华", "吴志强", "孙红", "19600505"};
    assert_non_null(memmem(r.body, r.body_len, "吴*强", strlen("吴*强")));
    for (size_t i = 0; i < sizeof(full) / sizeof(full[0]); i++)
        if (memmem(r.body, r.body_len, full[i], strlen(full[i])))
            fail_msg("the list shows %s", full[i]);
    response_free(&r);
}

/* On SQLite: the list's statement searches entitlement_scope by a range
 * of region_code (the scope), not a scan of the table, and its open
 * review by review_open_once, its names by person's indexes, with the
 * review-due filter as without it. */
TEST_CASE(test_list_plan)
{
    const char *plan = sqlite_plan(store_stmt_sql(STMT_ENTITLEMENT_PAGE, 0));
    if (!plan)
        return;
    assert_non_null(strstr(plan, "USING INDEX entitlement_scope "
                                 "(region_code>? AND region_code<?)"));
    /* no table walked: entitlement, review r, person h and p */
    const char *scans[] = {"SCAN entitlement", "SCAN r", "SCAN h", "SCAN p"};
    for (size_t i = 0; i < sizeof(scans) / sizeof(scans[0]); i++)
        if (strstr(plan, scans[i]))
            fail_msg("%s in %s", scans[i], plan);
    assert_non_null(strstr(plan, "USING INDEX review_open_once"));
    assert_non_null(strstr(plan, "USING INDEX person_by_household"));
}

API_SUITE("caseload", group_setup, &srv, &st, cmocka_unit_test(test_life),
          cmocka_unit_test(test_refusals),
          cmocka_unit_test(test_check_after_changes),
          cmocka_unit_test(test_list), cmocka_unit_test(test_list_review_due),
          cmocka_unit_test(test_list_plan))
