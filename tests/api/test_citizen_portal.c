/* SPDX-License-Identifier: MIT */
/* The citizen portal hardened (issue 12), end to end on both stores:
 *   - a citizen signed in by phone files for a household only as its
 *     registered contact; naming anyone else (registered or not) files
 *     as a new applicant with what the citizen declares, and the two
 *     replies are alike but for the case number and the query code (no
 *     registry oracle);
 *   - a new applicant's household is verified by the township before the
 *     first step is left; a person registered elsewhere is not;
 *   - no second open application for the same item and household, from
 *     any channel (409);
 *   - one citizen files at most DOUDI_CITIZEN_FILINGS a day, one address
 *     at most DOUDI_CITIZEN_FILING_ADDRESS_RATE (429 with Retry-After),
 *     and a flood leaves no more cases than that;
 *   - the anonymous progress query shows no reasons and no explanation
 *     (disability, illness, means); the signed-in applicant reads them;
 *   - a department officer reads the 公示 only of households with a
 *     referral to the department. */
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

/* Online applications one address may file in this suite (the
 * citizen-filing-address-rate setting): more than the tests before the
 * last file, which spends the rest. */
#define ADDRESS_RATE 16
#define DD_STR2(x) #x
#define DD_STR(x) DD_STR2(x)

static struct server srv;
static struct store *st;
static struct client admin, clerk101, reviewer101, county101, clerk103,
    clerk017, medical101;
/* online applications filed (201) from this address so far */
static int filed_online;

static int
group_setup(void **state)
{
    (void)state;
    static const char *const env[] = {
        "DOUDI_CITIZEN_FILING_ADDRESS_RATE=" DD_STR(ADDRESS_RATE),
        "DOUDI_CITIZEN_FILINGS=3", NULL};
    if (suite_start(&srv, "citizen_portal", env, &st) != 0)
        return -1;
    logins_ok(&srv, "admin", &admin, "clerk.500101001", &clerk101,
              "reviewer.500101001", &reviewer101, "county.500101", &county101,
              "clerk.500103001", &clerk103, NULL);
    staff_user(&srv, &admin, "clerk.500101017", "town_clerk", "", "500101017",
               &clerk017);
    staff_user(&srv, &admin, "medical.500101", "dept_officer", "medical",
               "500101", &medical101);
    return 0;
}

/* ---- helpers ---- */

/* A couple of 万州区 东方广场社区 (couple_post) whose applicant is name,
 * the ID numbers' sequence seq. */
static int64_t
household_new(const char *name, int seq)
{
    return couple_post(&srv, &county101, "白岩路 2 号", name, "19600505",
                       "吴芳", "19620606", seq);
}

/* The ID number of household_new(.., seq)'s applicant. */
static const char *
applicant_of(int seq)
{
    return idnum_in("500101", "19600505", 2 * seq + 1);
}

/* What a new applicant declares: the name and a village of residence. */
#define DECLARE(village)                                                       \
    ",\"name\":\"孙小梅\",\"region_code\":\"" village "\","                   \
    "\"address\":\"白岩路 20 号\""

/* POST /api/v1/citizen/applications as cit naming id_number for 低保 with
 * every paper, with extra more members of the body ("" for none); the
 * reply in r. */
static void
citizen_file(const struct client *cit, const char *id_number,
             const char *extra, struct response *r)
{
    api_call(&srv, cit, "POST", "/api/v1/citizen/applications",
             fmt("{\"id_number\":\"%s\",\"items\":[\"dibao\"],"
                 "\"materials\":[" DIBAO_PAPERS "]%s}",
                 id_number, extra),
             r);
    if (r->status == 201)
        filed_online++;
}

/* The first item of case number no in clerk's inbox (asserts one). */
static long long
task_of(const struct client *clerk, const char *no)
{
    struct response r = {0};
    json_t *t = inbox_task(&srv, clerk, no, 0, &r);
    assert_non_null(t);
    long long id = jint(json_object_get(t, "item"), "id");
    response_free(&r);
    return id;
}

/* The application id of case item id, read as sess. */
static long long
application_of(const struct client *sess, long long id)
{
    struct response r = {0};
    item_get(&srv, sess, id, &r);
    long long app =
        (long long)json_integer_value(resp_get(&r, "item.application_id"));
    response_free(&r);
    return app;
}

/* ---- the registry is no oracle ---- */

TEST_CASE(test_no_registry_oracle)
{
    struct response a = {0}, b = {0};
    struct client cit;
    int64_t stranger = household_new("周建国", 1);
    citizen_login(&srv, "13900001201", &cit);
    /* without a declaration both are refused alike */
    citizen_file(&cit, applicant_of(1), "", &a);
    citizen_file(&cit, idnum_in("500101", "19850707", 951), "", &b);
    expect_error(&a, 400, "DECLARATION_REQUIRED", "name");
    expect_error(&b, 400, "DECLARATION_REQUIRED", "name");
    assert_true(json_equal(resp_get(&a, "error"), resp_get(&b, "error")));
    /* a registered stranger and a person in no household: both new
     * applicants, the same answer but for the case number and code */
    citizen_file(&cit, applicant_of(1), DECLARE("500101001001"), &a);
    citizen_file(&cit, idnum_in("500101", "19850707", 951),
                 DECLARE("500101001001"), &b);
    expect_status(&a, 201);
    expect_status(&b, 201);
    assert_string_not_equal(resp_str(&a, "case_no"), resp_str(&b, "case_no"));
    json_object_del(a.json, "case_no");
    json_object_del(a.json, "query_code");
    json_object_del(b.json, "case_no");
    json_object_del(b.json, "query_code");
    if (!json_equal(a.json, b.json))
        fail_msg("the replies differ: %s vs %s", a.body, b.body);
    assert_string_equal(jstr(item_at(&a, "items", 0), "step"), "investigate");
    /* the stranger's household got no case */
    api_call(&srv, &clerk101, "GET",
             fmt("/api/v1/households/%lld/history", (long long)stranger),
             NULL, &a);
    expect_status(&a, 200);
    assert_int_equal(json_array_size(resp_get(&a, "cases")), 0);
    response_free(&a);
    response_free(&b);
}

/* ---- the registered contact, and no duplicates ---- */

TEST_CASE(test_contact_no_duplicates)
{
    struct response r = {0};
    struct client cit;
    char no[32];
    int64_t hh = household_new("郑大海", 2);
    citizen_login(&srv, "13900001202", &cit);
    contact_set(st, &cit, hh);
    citizen_file(&cit, applicant_of(2), "", &r);
    expect_status(&r, 201);
    snprintf(no, sizeof(no), "%s", resp_str(&r, "case_no"));
    assert_null(resp_get(&r, "household_id"));
    /* filed for the household itself, taken at its hukou township */
    json_t *t = inbox_task(&srv, &clerk101, no, 0, &r);
    assert_non_null(t);
    assert_int_equal(jint(json_object_get(t, "item"), "household_id"), hh);
    long long id = jint(json_object_get(t, "item"), "id");
    item_get(&srv, &clerk101, id, &r);
    assert_true(json_is_false(resp_get(&r, "applicant_unverified")));
    /* the same item again, naming the spouse this time: 409 */
    citizen_file(&cit, idnum_in("500101", "19620606", 2 * 2 + 2), "", &r);
    expect_error(&r, 409, "DUPLICATE_APPLICATION", "items[0]");
    /* nor at the window */
    apply(&srv, &clerk101, hh, "\"dibao\"", DIBAO_PAPERS, NULL, &r);
    expect_error(&r, 409, "DUPLICATE_APPLICATION", "items[0]");
    /* another item is no duplicate */
    apply(&srv, &clerk101, hh, "\"medical_aid\"",
          "\"id_card\",\"medical_bills\"", NULL, &r);
    expect_status(&r, 201);
    /* once the 低保 is closed, a new one may be filed */
    act(&srv, &clerk101, id, "terminate", ",\"reasons\":\"申请人撤回\"", 200);
    act(&srv, &clerk101, id, "notify", NULL, 200);
    apply(&srv, &clerk101, hh, "\"dibao\"", DIBAO_PAPERS, NULL, &r);
    expect_status(&r, 201);
    response_free(&r);
}

/* ---- a new applicant is verified first ---- */

TEST_CASE(test_new_applicant_verified)
{
    struct response r = {0};
    struct client cit;
    citizen_login(&srv, "13900001203", &cit);
    const char *me = idnum_in("500101", "19880808", 952);
    citizen_file(&cit, me, DECLARE("500101001002"), &r);
    expect_status(&r, 201);
    long long id = task_of(&clerk101, resp_str(&r, "case_no"));
    long long app = application_of(&clerk101, id);
    /* the 入户调查 step shows it, and goes nowhere before */
    item_get(&srv, &clerk101, id, &r);
    assert_true(json_is_true(resp_get(&r, "applicant_unverified")));
    assert_string_equal(resp_str(&r, "item.step"), "investigate");
    assert_string_equal(resp_str(&r, "item.owner_region"), "500101001");
    act_r(&srv, &clerk101, id, "submit", ",\"investigators\":[\"甲\",\"乙\"]",
          &r);
    expect_error(&r, 409, "APPLICANT_UNVERIFIED", "action");
    /* out of scope: 404; the township verifies */
    call_expect(&srv, &clerk103, "POST",
                fmt("/api/v1/applications/%lld/verification", app), NULL, 404,
                "NOT_FOUND", NULL);
    api_call(&srv, &clerk101, "POST",
             fmt("/api/v1/applications/%lld/verification", app), NULL, &r);
    expect_status(&r, 200);
    call_expect(&srv, &clerk101, "POST",
                fmt("/api/v1/applications/%lld/verification", app), NULL, 409,
                "ALREADY_VERIFIED", NULL);
    item_get(&srv, &clerk101, id, &r);
    assert_true(json_is_false(resp_get(&r, "applicant_unverified")));
    act(&srv, &clerk101, id, "submit", ",\"investigators\":[\"甲\",\"乙\"]",
        200);
    /* the household is in the registry now, its member active */
    long long hh = (long long)json_integer_value(resp_get(&r, "item.household_id"));
    api_call(&srv, &clerk101, "GET", fmt("/api/v1/households/%lld", hh), NULL,
             &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "status"), "active");

    /* a person registered in another household cannot be verified into a
     * second one; the township rejects the application */
    household_new("冯国华", 3);
    citizen_file(&cit, applicant_of(3), DECLARE("500101001001"), &r);
    expect_status(&r, 201);
    id = task_of(&clerk101, resp_str(&r, "case_no"));
    app = application_of(&clerk101, id);
    call_expect(&srv, &clerk101, "POST",
                fmt("/api/v1/applications/%lld/verification", app), NULL, 409,
                "PERSON_REGISTERED", NULL);
    act(&srv, &clerk101, id, "terminate", ",\"reasons\":\"身份信息不符\"", 200);
    response_free(&r);
}

/* ---- the notice is the applicant's ---- */

TEST_CASE(test_notice_private)
{
    struct response r = {0};
    struct client cit;
    char no[32], code[16];
    const char *applicant = idnum_in("500101", "19550303", 961);
    int64_t hh = household_post(
        &srv, &county101, "500101001001", "白岩路 40 号",
        fmt("{\"id_number\":\"%s\",\"name\":\"褚明\",\"relation\":"
            "\"applicant\",\"major_illness\":true,\"disability_category\":4,"
            "\"disability_grade\":1,\"disability_card\":\"%s41\","
            "\"work_capacity\":\"none\"}",
            applicant, applicant));
    citizen_login(&srv, "13900001204", &cit);
    contact_set(st, &cit, hh);
    citizen_file(&cit, applicant, "", &r);
    expect_status(&r, 201);
    snprintf(no, sizeof(no), "%s", resp_str(&r, "case_no"));
    snprintf(code, sizeof(code), "%s", resp_str(&r, "query_code"));
    long long id = task_of(&clerk101, no);
    long long app = application_of(&clerk101, id);
    walk_past_publicity(&srv, st, &clerk101, &county101, &reviewer101, id);
    act(&srv, &county101, id, "submit", NULL, 200);
    act(&srv, &county101, id, "approve", NULL, 200);
    /* the anonymous query: the outcome, nothing of why */
    progress_get(&srv, no, code, &r);
    expect_status(&r, 200);
    json_t *n = json_object_get(item_at(&r, "items", 0), "notice");
    assert_string_equal(jstr(n, "decision"), "approved");
    assert_true(jint(n, "amount_fen") > 0);
    assert_null(json_object_get(n, "explanation"));
    assert_null(json_object_get(n, "reasons"));
    static const char *const facts[] = {"disab", "illness", "残", "病",
                                        "explanation", "褚"};
    for (size_t i = 0; i < sizeof(facts) / sizeof(facts[0]); i++)
        if (strstr(r.body, facts[i]))
            fail_msg("the progress query shows \"%s\": %s", facts[i], r.body);
    /* the signed-in applicant reads the whole notice */
    api_call(&srv, &cit, "GET", fmt("/api/v1/citizen/applications/%lld", app),
             NULL, &r);
    expect_status(&r, 200);
    n = json_object_get(item_at(&r, "items", 0), "notice");
    assert_true(json_is_object(json_object_get(n, "explanation")));
    assert_non_null(strstr(r.body, "severe_disability"));
    response_free(&r);
}

/* ---- 公示 for departments ---- */

/* A 低保 of hh filed at the window with more items and papers, walked to
 * its 公示; the 低保 item. */
static void
dibao_to_publicity(int64_t hh, const char *more_items, const char *more_papers)
{
    struct response r = {0};
    apply(&srv, &clerk101, hh, fmt("\"dibao\"%s", more_items),
          fmt(DIBAO_PAPERS "%s", more_papers), NULL, &r);
    expect_status(&r, 201);
    long long id = 0;
    json_t *items = resp_get(&r, "items");
    for (size_t i = 0; i < json_array_size(items); i++)
        if (strcmp(jstr(json_array_get(items, i), "item_code"), "dibao") == 0)
            id = jint(json_array_get(items, i), "id");
    assert_true(id > 0);
    act(&srv, &clerk101, id, "submit", ",\"investigators\":[\"甲\",\"乙\"]",
        200);
    act(&srv, &county101, id, "submit", NULL, 200);
    act(&srv, &reviewer101, id, "approve", NULL, 200);
    assert_string_equal(step_of(&srv, &clerk101, id), "publicity");
    response_free(&r);
}

/* Whether the village's 公示 read as sess lists the masked name. */
static int
publicity_lists(const struct client *sess, const char *masked)
{
    struct response r = {0};
    api_call(&srv, sess, "GET", "/api/v1/publicity?village=500101001001",
             NULL, &r);
    expect_status(&r, 200);
    int found = 0;
    json_t *a = resp_get(&r, "items");
    for (size_t i = 0; i < json_array_size(a); i++)
        found |= strcmp(jstr(json_array_get(a, i), "name"), masked) == 0;
    response_free(&r);
    return found;
}

TEST_CASE(test_publicity_department)
{
    dibao_to_publicity(household_new("蒋文斌", 4), "", "");
    dibao_to_publicity(household_new("沈文博", 5), ",\"medical_aid\"",
                       ",\"medical_bills\"");
    /* the township reads both */
    assert_true(publicity_lists(&clerk101, "蒋*斌"));
    assert_true(publicity_lists(&clerk101, "沈*博"));
    /* the medical department only the household referred to it */
    assert_false(publicity_lists(&medical101, "蒋*斌"));
    assert_true(publicity_lists(&medical101, "沈*博"));
}

/* ---- limits ---- */

/* How many items stand in clerk's inbox. */
static size_t
inbox_size(const struct client *clerk)
{
    struct response r = {0};
    api_call(&srv, clerk, "GET", "/api/v1/tasks", NULL, &r);
    expect_status(&r, 200);
    size_t n = json_array_size(resp_get(&r, "items"));
    response_free(&r);
    return n;
}

/* Asserts r is 429 code with a Retry-After of 1 s to a day. */
static void
expect_429(const struct response *r, const char *code)
{
    expect_error(r, 429, code, NULL);
    const char *ra = resp_header(r, "Retry-After");
    assert_non_null(ra);
    long s = atol(ra);
    assert_true(s >= 1 && s <= 86400);
}

TEST_CASE(test_citizen_flood)
{
    struct response r = {0};
    struct client cit;
    citizen_login(&srv, "13900001205", &cit);
    assert_int_equal(inbox_size(&clerk017), 0);
    int ok = 0;
    for (int i = 0; i < 50; i++) {
        citizen_file(&cit, idnum_in("500101", "19900101", 100 + i),
                     DECLARE("500101017001"), &r);
        if (i < 3) {
            expect_status(&r, 201);
            ok++;
        } else {
            expect_429(&r, "TOO_MANY_APPLICATIONS");
        }
    }
    assert_int_equal(ok, 3);
    /* no more cases than the limit in 太白街道's inbox */
    assert_int_equal(inbox_size(&clerk017), 3);
    response_free(&r);
}

/* Last: it spends the address's allowance. */
TEST_CASE(test_address_limit)
{
    struct response r = {0};
    int limited = 0;
    for (int c = 0; c < 20 && !limited; c++) {
        struct client cit;
        citizen_login(&srv, fmt("139000013%02d", c), &cit);
        for (int i = 0; i < 3 && !limited; i++) {
            citizen_file(&cit, idnum_in("500101", "19910101", 10 * c + i),
                         DECLARE("500101017001"), &r);
            if (r.status == 429) {
                expect_429(&r, "TOO_MANY_REQUESTS");
                limited = 1;
            } else {
                expect_status(&r, 201);
            }
        }
    }
    assert_true(limited);
    assert_true(filed_online <= ADDRESS_RATE);
    response_free(&r);
}

API_SUITE("citizen_portal", group_setup, &srv, &st,
          cmocka_unit_test(test_no_registry_oracle),
          cmocka_unit_test(test_contact_no_duplicates),
          cmocka_unit_test(test_new_applicant_verified),
          cmocka_unit_test(test_notice_private),
          cmocka_unit_test(test_publicity_department),
          cmocka_unit_test(test_citizen_flood),
          cmocka_unit_test(test_address_limit))
