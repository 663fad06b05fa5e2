/* SPDX-License-Identifier: MIT */
/* A household's file over time and the notices applicants read, end to
 * end through the API on both stores:
 *   - GET /api/v1/households/{id}/history of a household with a rejected
 *     and an approved 低保 (its cases newest first, the entitlement, the
 *     assessments with the engine's explanation), refused out of scope
 *     (404) and to the sysadmin (403), audited;
 *   - the progress query's notice after an approval and after a
 *     rejection (its reasons); a wrong query code answers as an unknown
 *     case number; the rate limit still applies;
 *   - a citizen lists the applications they filed online, with notices,
 *     and cannot read another citizen's (404). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases_helpers.h"
#include "harness.h"

/* The progress query's limit per address and minute in this suite (the
 * calculator-rate setting; the harness lifts it for other suites). The
 * tests before the last query progress fewer times than this. */
#define PROGRESS_RATE 20
#define DD_STR2(x) #x
#define DD_STR(x) DD_STR2(x)

static struct server srv;
static struct store *st;
static struct client admin, clerk101, reviewer101, county101, clerk103,
    county103, medical101;

/* What test_household_history leaves for the progress test. */
static struct {
    int64_t household;
    long long approved_item, rejected_item;
    char approved_no[32], approved_code[16];
    char rejected_no[32], rejected_code[16];
} filed;

/* 赵国强 and 钱丽's household (couple_post), the ID numbers' sequence
 * seq. */
static int64_t
household_new(int seq)
{
    return couple_post(&srv, &county101, "白岩路 9 号", "赵国强", "19650303",
                       "钱丽", "19680404", seq);
}

/* Files a 低保 application at the 万州 window with every paper; its
 * case number and query code, and the item's id. */
static long long
apply_dibao(int64_t hh, char no[32], char code[16])
{
    return apply_ok(&srv, &clerk101, hh, "\"dibao\"", DIBAO_PAPERS, no, code);
}

/* Every 低保 step to the approval and the notification. */
static void
approve_dibao(long long id)
{
    walk_past_publicity(&srv, st, &clerk101, &county101, &reviewer101, id);
    act(&srv, &county101, id, "submit", NULL, 200);
    act(&srv, &county101, id, "approve", NULL, 200);
    act(&srv, &clerk101, id, "notify", NULL, 200);
}

/* The engine's monthly 低保 amount in a stored explanation. */
static long long
dibao_in(json_t *explanation)
{
    json_t *progs = json_object_get(explanation, "programs");
    assert_true(json_is_array(progs));
    for (size_t i = 0; i < json_array_size(progs); i++) {
        json_t *p = json_array_get(progs, i);
        if (strcmp(jstr(p, "program"), "dibao") == 0)
            return jint(p, "monthly_amount_fen");
    }
    fail_msg("no dibao program in the explanation");
    return -1;
}

/* ---- the group ---- */

static int
group_setup(void **state)
{
    (void)state;
    static const char *const env[] = {
        "DOUDI_CALCULATOR_RATE=" DD_STR(PROGRESS_RATE), NULL};
    if (suite_start(&srv, "history", env, &st) != 0)
        return -1;
    logins_ok(&srv, "admin", &admin, "clerk.500101001", &clerk101,
              "reviewer.500101001", &reviewer101, "county.500101", &county101,
              "clerk.500103001", &clerk103, "county.500103", &county103, NULL);
    staff_user(&srv, &admin, "medical.500101", "dept_officer", "medical",
               "500101", &medical101);
    return 0;
}

/* ---- the household's file ---- */

/* How many household.history audit rows name the household and actor. */
static int
history_audits(int64_t hh, const char *actor)
{
    struct store_tx *tx = NULL;
    struct audit_row rows[64];
    size_t n = 0;
    int found = 0;
    char object[64];
    snprintf(object, sizeof(object), "household:%lld", (long long)hh);
    struct audit_filter f = {.object = object};
    assert_int_equal(store_tx_begin(st, STORE_READ, &tx), DD_OK);
    assert_int_equal(store_audit_list(tx, &f, rows, 64, &n), DD_OK);
    store_tx_rollback(tx);
    for (size_t i = 0; i < n; i++)
        if (strcmp(rows[i].action, "household.history") == 0 &&
            strcmp(rows[i].actor, actor) == 0) {
            found++;
            assert_string_equal(rows[i].region, "500101001001");
            assert_non_null(strstr(rows[i].detail, "\"cases\":\"2\""));
        }
    return found;
}

TEST_CASE(test_household_history)
{
    struct response r = {0};
    int64_t hh = household_new(1);
    filed.household = hh;

    /* the first application: 低保 ended at the investigation with
     * reasons (a rejection, 民发〔2021〕57号 Art. 21) */
    long long rej = apply_dibao(hh, filed.rejected_no, filed.rejected_code);
    act(&srv, &clerk101, rej, "terminate",
        ",\"reasons\":\"家庭人均收入高于当地低保标准\"", 200);
    act(&srv, &clerk101, rej, "notify", NULL, 200);
    filed.rejected_item = rej;
    /* the second: 低保 approved through every step */
    long long ok = apply_dibao(hh, filed.approved_no, filed.approved_code);
    approve_dibao(ok);
    filed.approved_item = ok;

    assert_int_equal(history_audits(hh, "clerk.500101001"), 0);
    api_call(&srv, &clerk101, "GET",
             fmt("/api/v1/households/%lld/history", (long long)hh), NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(jint(r.json, "household_id"), hh);
    assert_true(json_is_false(resp_get(&r, "truncated")));
    /* the cases, newest application first */
    assert_int_equal(json_array_size(resp_get(&r, "cases")), 2);
    json_t *c = item_at(&r, "cases", 0);
    assert_int_equal(jint(c, "case_item_id"), ok);
    assert_string_equal(jstr(c, "case_no"), filed.approved_no);
    assert_string_equal(jstr(c, "item_code"), "dibao");
    assert_string_equal(jstr(c, "channel"), "window");
    assert_string_equal(jstr(c, "intake_region"), "500101001");
    assert_string_equal(jstr(c, "step"), "closed");
    assert_string_equal(jstr(c, "step_name_zh"), "办结");
    assert_string_equal(jstr(c, "step_name_en"), "closed");
    assert_string_equal(jstr(c, "state"), "closed");
    assert_string_equal(jstr(c, "decision"), "approved");
    /* two urban members with no income and no assets: the urban standard
     * in force today twice (dibao.standard.urban 770 元 from 2025-07-01,
     * domain.md §1.3 差额 × members): 1,540 元 */
    assert_int_equal(jint(c, "amount_fen"), 154000);
    assert_true(json_is_null(json_object_get(c, "reasons")));
    assert_string_equal(jstr(c, "accepted_on"), today_date());
    assert_string_equal(jstr(c, "closed_on"), today_date());
    assert_int_equal(jint(c, "visits"), 1); /* the window intake */
    assert_non_null(jstr(c, "item_name_zh"));
    assert_non_null(jstr(c, "item_name_en"));
    assert_true(json_is_null(json_object_get(c, "owner_department")));
    assert_true(jint(c, "application_id") > 0);
    c = item_at(&r, "cases", 1);
    assert_int_equal(jint(c, "case_item_id"), rej);
    assert_string_equal(jstr(c, "case_no"), filed.rejected_no);
    assert_string_equal(jstr(c, "decision"), "rejected");
    assert_string_equal(jstr(c, "reasons"), "家庭人均收入高于当地低保标准");
    assert_true(jint(item_at(&r, "cases", 0), "application_id") >
                jint(c, "application_id"));
    /* one entitlement: the approval's, from the next month */
    assert_int_equal(json_array_size(resp_get(&r, "entitlements")), 1);
    json_t *e = item_at(&r, "entitlements", 0);
    assert_true(jint(e, "id") > 0);
    assert_int_equal(jint(e, "case_item_id"), ok);
    assert_string_equal(jstr(e, "case_no"), filed.approved_no);
    assert_string_equal(jstr(e, "item_code"), "dibao");
    assert_int_equal(jint(e, "monthly_fen"), 154000);
    assert_string_equal(jstr(e, "start_month"), today_month(1));
    assert_true(json_is_null(json_object_get(e, "end_month")));
    assert_string_equal(jstr(e, "state"), "active");
    assert_non_null(jstr(e, "item_name_zh"));
    /* an assessment per decision, newest first (both today: the later
     * item first); the approval's holds the engine's explanation, the
     * rejection at the investigation ran no engine */
    assert_int_equal(json_array_size(resp_get(&r, "assessments")), 2);
    json_t *a = item_at(&r, "assessments", 0);
    assert_int_equal(jint(a, "case_item_id"), ok);
    assert_string_equal(jstr(a, "case_no"), filed.approved_no);
    assert_string_equal(jstr(a, "item_code"), "dibao");
    assert_string_equal(jstr(a, "decided_on"), today_date());
    assert_string_equal(jstr(a, "decision"), "approved");
    assert_int_equal(jint(a, "amount_fen"), 154000);
    assert_true(json_is_object(json_object_get(a, "explanation")));
    assert_int_equal(dibao_in(json_object_get(a, "explanation")), 154000);
    a = item_at(&r, "assessments", 1);
    assert_int_equal(jint(a, "case_item_id"), rej);
    assert_string_equal(jstr(a, "decision"), "rejected");
    assert_string_equal(jstr(a, "decided_on"), today_date());
    assert_true(json_is_null(json_object_get(a, "explanation")));
    /* no ID number in the file */
    assert_null(strstr(r.body, "500101196503"));
    /* the read is audited, once per read */
    assert_int_equal(history_audits(hh, "clerk.500101001"), 1);

    /* the county in scope reads it too */
    api_call(&srv, &county101, "GET",
             fmt("/api/v1/households/%lld/history", (long long)hh), NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(history_audits(hh, "county.500101"), 1);
    const struct {
        const struct client *who;
        long status;
        const char *code;
    } refused[] = {
        /* out of scope: not found, as the household itself */
        {&clerk103, 404, "NOT_FOUND"},
        {&county103, 404, "NOT_FOUND"},
        /* a department officer without a referral of the household */
        {&medical101, 404, "NOT_FOUND"},
        /* the sysadmin has no grant on households (三权分立) */
        {&admin, 403, "FORBIDDEN"},
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        api_call(&srv, refused[i].who, "GET",
                 fmt("/api/v1/households/%lld/history", (long long)hh), NULL,
                 &r);
        const char *why =
            error_mismatch(&r, refused[i].status, refused[i].code, NULL);
        if (why)
            fail_msg("%s as %s: %s\n%s", r.what, refused[i].who->user, why,
                     r.body ? r.body : "");
    }
    api_call(&srv, &clerk101, "GET", "/api/v1/households/999999/history",
             NULL, &r);
    expect_status(&r, 404);
    /* refusals are not audited as reads */
    assert_int_equal(history_audits(hh, "clerk.500103001"), 0);
    assert_int_equal(history_audits(hh, "admin"), 0);
    response_free(&r);
}

/* A household with no case has an empty file. */
TEST_CASE(test_history_empty)
{
    struct response r = {0};
    int64_t hh = household_new(2);
    api_call(&srv, &clerk101, "GET",
             fmt("/api/v1/households/%lld/history", (long long)hh), NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "cases")), 0);
    assert_int_equal(json_array_size(resp_get(&r, "entitlements")), 0);
    assert_int_equal(json_array_size(resp_get(&r, "assessments")), 0);
    response_free(&r);
}

/* ---- the progress query's notice ---- */

TEST_CASE(test_progress_notice)
{
    struct response r = {0}, u = {0};
    assert_true(filed.approved_item > 0);
    /* after the approval: the amount and the start month; the reasons
     * and the engine's explanation (the household's health, disability
     * and means) are the signed-in applicant's only */
    progress_get(&srv, filed.approved_no, filed.approved_code, &r);
    expect_status(&r, 200);
    json_t *it = item_at(&r, "items", 0);
    assert_string_equal(jstr(it, "decision"), "approved");
    json_t *n = json_object_get(it, "notice");
    assert_true(json_is_object(n));
    assert_string_equal(jstr(n, "decision"), "approved");
    assert_int_equal(jint(n, "amount_fen"), 154000);
    assert_string_equal(jstr(n, "start_month"), today_month(1));
    assert_null(json_object_get(n, "reasons"));
    assert_string_equal(jstr(n, "decided_on"), today_date());
    assert_null(json_object_get(n, "explanation"));
    assert_null(strstr(r.body, "explanation"));
    /* masked names only, and not even those here; never an ID number */
    assert_null(strstr(r.body, "赵国强"));
    assert_null(strstr(r.body, "500101196503"));

    /* after the rejection: no start month, no reasons, no explanation */
    progress_get(&srv, filed.rejected_no, filed.rejected_code, &r);
    expect_status(&r, 200);
    n = json_object_get(item_at(&r, "items", 0), "notice");
    assert_string_equal(jstr(n, "decision"), "rejected");
    assert_null(json_object_get(n, "reasons"));
    assert_true(json_is_null(json_object_get(n, "start_month")));
    assert_null(json_object_get(n, "explanation"));
    assert_string_equal(jstr(n, "decided_on"), today_date());

    /* before a decision there is no notice */
    char no[32], code[16];
    int64_t hh = household_new(3);
    apply_dibao(hh, no, code);
    progress_get(&srv, no, code, &r);
    expect_status(&r, 200);
    assert_string_equal(jstr(item_at(&r, "items", 0), "step"), "investigate");
    assert_true(json_is_null(json_object_get(item_at(&r, "items", 0),
                                             "notice")));

    /* a wrong query code answers exactly as an unknown case number */
    progress_get(&srv, filed.approved_no, "AAAAAAAAAA", &r);
    progress_get(&srv, "5001012026999999", "AAAAAAAAAA", &u);
    expect_error(&r, 404, "NOT_FOUND", NULL);
    expect_error(&u, 404, "NOT_FOUND", NULL);
    assert_true(json_equal(resp_get(&r, "error"), resp_get(&u, "error")));
    assert_null(strstr(r.body, "notice"));
    response_free(&r);
    response_free(&u);
}

/* ---- a citizen's own applications ---- */

/* Applies online for the household of the person born on birth with seq;
 * the case number into no. */
static void
citizen_apply(const struct client *c, const char *id_number, char no[32])
{
    struct response r = {0};
    api_call(&srv, c, "POST", "/api/v1/citizen/applications",
             fmt("{\"id_number\":\"%s\",\"items\":[\"dibao\"],"
                 "\"materials\":[\"id_card\",\"hukou\"]}",
                 id_number),
             &r);
    expect_status(&r, 201);
    snprintf(no, 32, "%s", resp_str(&r, "case_no"));
    response_free(&r);
}

TEST_CASE(test_citizen_applications)
{
    struct response r = {0};
    struct client alice, bob;
    char a_no[32], b_no[32];
    int64_t a_hh = household_new(4), b_hh = household_new(5);
    citizen_login(&srv, "13900000401", &alice);
    citizen_login(&srv, "13900000402", &bob);
    /* each the registered contact of a household */
    contact_set(st, &alice, a_hh);
    contact_set(st, &bob, b_hh);
    /* nothing filed yet */
    api_call(&srv, &alice, "GET", "/api/v1/citizen/applications", NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "applications")), 0);
    assert_true(json_is_false(resp_get(&r, "truncated")));

    citizen_apply(&alice, idnum_in("500101", "19650303", 2 * 4 + 1), a_no);
    citizen_apply(&bob, idnum_in("500101", "19650303", 2 * 5 + 1), b_no);

    /* alice sees her application only, with its items and steps */
    api_call(&srv, &alice, "GET", "/api/v1/citizen/applications", NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "applications")), 1);
    json_t *app = item_at(&r, "applications", 0);
    assert_string_equal(jstr(app, "case_no"), a_no);
    assert_string_equal(jstr(app, "channel"), "online");
    assert_string_equal(jstr(app, "applied_on"), today_date());
    long long a_id = jint(app, "id");
    json_t *it = json_array_get(json_object_get(app, "items"), 0);
    assert_string_equal(jstr(it, "item_code"), "dibao");
    assert_string_equal(jstr(it, "step"), "supplement");
    assert_string_equal(jstr(it, "state"), "paused");
    assert_true(json_is_null(json_object_get(it, "notice")));
    assert_null(strstr(r.body, b_no));
    assert_null(strstr(r.body, "赵国强"));
    assert_null(strstr(r.body, "household"));
    /* bob's id, from his own list */
    api_call(&srv, &bob, "GET", "/api/v1/citizen/applications", NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "applications")), 1);
    assert_string_equal(jstr(item_at(&r, "applications", 0), "case_no"),
                        b_no);
    long long b_id = jint(item_at(&r, "applications", 0), "id");
    assert_true(b_id != a_id);

    /* one application and its receipt: her own */
    api_call(&srv, &alice, "GET",
             fmt("/api/v1/citizen/applications/%lld", a_id), NULL, &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "case_no"), a_no);
    assert_string_equal(jstr(item_at(&r, "items", 0), "step"), "supplement");
    api_call(&srv, &alice, "GET",
             fmt("/api/v1/citizen/applications/%lld/receipt", a_id), NULL,
             &r);
    expect_status(&r, 200);
    assert_non_null(strstr(r.body, a_no));
    assert_non_null(strstr(r.body, "赵*强"));
    assert_null(strstr(r.body, "赵国强"));
    /* never another's: 404, as for none */
    api_call(&srv, &alice, "GET",
             fmt("/api/v1/citizen/applications/%lld", b_id), NULL, &r);
    expect_error(&r, 404, "NOT_FOUND", NULL);
    api_call(&srv, &alice, "GET",
             fmt("/api/v1/citizen/applications/%lld/receipt", b_id), NULL,
             &r);
    expect_error(&r, 404, "NOT_FOUND", NULL);
    assert_null(strstr(r.body, b_no));
    api_call(&srv, &alice, "GET", "/api/v1/citizen/applications/999999",
             NULL, &r);
    expect_error(&r, 404, "NOT_FOUND", NULL);
    /* nor one filed at a window */
    assert_true(filed.approved_item > 0);
    api_call(&srv, &clerk101, "GET",
             fmt("/api/v1/case-items/%lld", filed.approved_item), NULL, &r);
    expect_status(&r, 200);
    long long window_app = (long long)json_integer_value(
        resp_get(&r, "item.application_id"));
    api_call(&srv, &alice, "GET",
             fmt("/api/v1/citizen/applications/%lld", window_app), NULL, &r);
    expect_error(&r, 404, "NOT_FOUND", NULL);

    /* the township ends alice's application in 补正 with reasons: her
     * list carries the notice */
    json_t *task = inbox_task(&srv, &clerk101, a_no, 0, &r);
    assert_non_null(task);
    long long item = jint(json_object_get(task, "item"), "id");
    assert_true(item > 0);
    act(&srv, &clerk101, item, "withdraw", ",\"reasons\":\"申请人撤回申请\"",
        200);
    api_call(&srv, &alice, "GET", "/api/v1/citizen/applications", NULL, &r);
    expect_status(&r, 200);
    it = json_array_get(
        json_object_get(item_at(&r, "applications", 0), "items"), 0);
    assert_string_equal(jstr(it, "decision"), "rejected");
    json_t *n = json_object_get(it, "notice");
    assert_string_equal(jstr(n, "decision"), "rejected");
    assert_string_equal(jstr(n, "reasons"), "申请人撤回申请");
    assert_string_equal(jstr(n, "decided_on"), today_date());
    /* bob's is untouched */
    api_call(&srv, &bob, "GET", fmt("/api/v1/citizen/applications/%lld", b_id),
             NULL, &r);
    expect_status(&r, 200);
    assert_true(json_is_null(json_object_get(item_at(&r, "items", 0),
                                             "notice")));
    /* staff and the anonymous have no citizen routes */
    api_call(&srv, &clerk101, "GET", "/api/v1/citizen/applications", NULL,
             &r);
    expect_status(&r, 403);
    api_call(&srv, NULL, "GET", "/api/v1/citizen/applications", NULL, &r);
    expect_status(&r, 401);
    response_free(&r);
}

/* ---- the progress query's rate limit (last: it spends the minute) ---- */

TEST_CASE(test_progress_rate_limit)
{
    struct response r = {0};
    long limited = 0;
    /* PROGRESS_RATE a minute per address: within two windows' worth of
     * queries one is refused, and then even the right pair gets no data */
    for (int i = 0; i < 2 * PROGRESS_RATE + 2 && !limited; i++) {
        progress_get(&srv, filed.approved_no, "AAAAAAAAAA", &r);
        if (r.status == 429)
            limited = 1;
        else
            expect_status(&r, 404);
    }
    assert_true(limited);
    expect_error(&r, 429, "TOO_MANY_REQUESTS", NULL);
    progress_get(&srv, filed.approved_no, filed.approved_code, &r);
    if (r.status != 429) {
        /* a new minute began between the two: spend it again */
        for (int i = 0; i < PROGRESS_RATE + 1 && r.status != 429; i++)
            progress_get(&srv, filed.approved_no, filed.approved_code, &r);
    }
    expect_error(&r, 429, "TOO_MANY_REQUESTS", NULL);
    assert_null(strstr(r.body, "notice"));
    response_free(&r);
}

API_SUITE("history", group_setup, &srv, &st,
          cmocka_unit_test(test_household_history),
          cmocka_unit_test(test_history_empty),
          cmocka_unit_test(test_progress_notice),
          cmocka_unit_test(test_citizen_applications),
          cmocka_unit_test(test_progress_rate_limit))
