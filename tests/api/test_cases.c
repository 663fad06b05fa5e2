/* SPDX-License-Identifier: MIT */
/* One-door intake and coordinated handling, end to end through the API on
 * the real server (both stores, like test_api.c):
 *   (a) a 低保 case of a 万州区 family taken at a 渝中区 window: routed to
 *       万州, every step with the 公示 objection loop, approved with the
 *       engine's amount, the entitlement from the next month, the result
 *       visible at the intake office;
 *   (b) one application for 低保 + 医疗救助 + 教育救助, both referrals
 *       closed by the departments' officers;
 *   (c) 补正 pauses the clock: the deadline moves by exactly the paused
 *       working days;
 *   (d) a deadline across the 2023 National Day (调休 weekends worked);
 *   (e) a stale version is 409;
 *   (f) a department officer does not see another department's items; a
 *       township clerk cannot act outside the township.
 * Plus the catalog, the receipt, the progress query and the tasks.
 * Where the API cannot get there (the 7 days of a 公示), the test opens
 * the same store. */
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
#include "sqlite_plan.h"

#include "domain/workcal.h"
#include "refdata/refdata.h"
#include "store/store_internal.h"

/* a village of 涪陵区 敦仁街道 */
#define DELEGATED_VILLAGE "500102006001"

static struct server srv;
static struct store *st;
static struct workcal *cal;
static struct client admin, clerk103, clerk101, reviewer101, county101,
    county103, medical101, education101, medical103, city;

static int32_t
day_of(const char *s)
{
    int32_t d = 0;
    assert_non_null(s);
    assert_int_equal(workcal_parse_date(s, &d), 0);
    return d;
}

/* 王大明 and 李芳's household (couple_post), the ID numbers' sequence
 * seq. */
static int64_t
household_new(int seq)
{
    return couple_post(&srv, &county101, "白岩路 1 号", "王大明", "19700101",
                       "李芳", "19720202", seq);
}

static long long
publicity_id_of(const char *village, const char *name)
{
    struct response r = {0};
    api_call(&srv, &clerk101, "GET",
             fmt("/api/v1/publicity?village=%s", village), NULL, &r);
    expect_status(&r, 200);
    long long id = 0;
    json_t *a = resp_get(&r, "items");
    for (size_t i = 0; i < json_array_size(a); i++)
        if (strcmp(jstr(json_array_get(a, i), "name"), name) == 0)
            id = jint(json_array_get(a, i), "id");
    response_free(&r);
    return id;
}

/* ---- the group ---- */

static void
dept_user(const char *name, const char *dept, const char *scope,
          struct client *s)
{
    staff_user(&srv, &admin, name, "dept_officer", dept, scope, s);
}

static void
cal_free(void)
{
    workcal_free(cal);
    cal = NULL;
}

static int
group_setup(void **state)
{
    (void)state;
    if (suite_start(&srv, "cases", NULL, &st) != 0)
        return -1;
    cal = workcal_new();
    harness_on_stop(cal_free);
    char path[1024], why[128];
    size_t bad = 0;
    snprintf(path, sizeof(path), "%s/cn-holidays.csv",
             getenv("DOUDI_TEST_DATA"));
    if (!cal || refdata_holidays_read(path, cal, &bad, why, sizeof(why)) !=
                    DD_OK)
        return -1;
    logins_ok(&srv, "admin", &admin, "clerk.500103001", &clerk103,
              "clerk.500101001", &clerk101, "county.500101", &county101,
              "county.500103", &county103, "medical.500103", &medical103,
              "city", &city, NULL);
    dept_user("medical.500101", "medical", "500101", &medical101);
    dept_user("education.500101", "education", "500101", &education101);
    /* the township's reviewer, for 初审 */
    login_ok(&srv, "reviewer.500101001", TEST_PASSWORD, &reviewer101);
    return 0;
}

/* ---- the catalog ---- */

TEST_CASE(test_catalog)
{
    struct response r = {0};
    api_call(&srv, NULL, "GET", "/api/v1/catalog?as_of=2024-01-01", NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "items")), 16);
    api_call(&srv, NULL, "GET", "/api/v1/catalog/dibao", NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_integer_value(resp_get(&r, "current.statutory_days")),
                     30);
    /* (30 − 20) ÷ 30 = 33.33 % (domain.md §9) */
    assert_int_equal(json_integer_value(resp_get(&r, "current.compression_bp")),
                     3333);
    assert_true(json_array_size(resp_get(&r, "current.steps")) >= 8);
    /* each action says what it needs, as steps.csv has it (the step
     * form's fields): investigators for the investigation, reasons for a
     * rejection, the 7 days for closing the 公示 */
    const char *want[][4] = {
        {"investigate", "submit", "[\"investigators\"]", NULL},
        {"investigate", "terminate", "[\"reasons\"]", "reject"},
        {"publicity", "close", "[\"publicity_over\"]", NULL},
        {"decide", "approve", "[]", "approve"}};
    for (size_t w = 0; w < sizeof(want) / sizeof(want[0]); w++) {
        json_t *steps = resp_get(&r, "current.steps"), *step, *ac;
        size_t i, k;
        int found = 0;
        json_array_foreach(steps, i, step) {
            if (strcmp(json_string_value(json_object_get(step, "code")),
                       want[w][0]) != 0)
                continue;
            json_array_foreach(json_object_get(step, "actions"), k, ac) {
                if (strcmp(json_string_value(json_object_get(ac, "action")),
                           want[w][1]) != 0)
                    continue;
                char *needs = json_dumps(json_object_get(ac, "needs"),
                                         JSON_COMPACT);
                assert_string_equal(needs, want[w][2]);
                free(needs);
                /* and the outcome it gives the item, if any */
                json_t *o = json_object_get(ac, "outcome");
                if (want[w][3])
                    assert_string_equal(json_string_value(o), want[w][3]);
                else
                    assert_true(json_is_null(o));
                found = 1;
            }
        }
        assert_true(found);
    }
    /* 低保's amount is the engine's at every step, from the file: no
     * engine decides its approval on facts; 孤儿's engine does, with an
     * amount, and 刚性支出's recognises with none */
    assert_true(json_is_null(resp_get(&r, "current.approval_engine")));
    api_call(&srv, NULL, "GET", "/api/v1/catalog/orphan", NULL, &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "current.approval_engine.name"), "orphan");
    assert_true(json_is_true(resp_get(&r, "current.approval_engine.needs_facts")));
    assert_true(json_is_true(resp_get(&r, "current.approval_engine.amount")));
    api_call(&srv, NULL, "GET", "/api/v1/catalog/rigid_expense", NULL, &r);
    expect_status(&r, 200);
    assert_true(json_is_false(resp_get(&r, "current.approval_engine.amount")));
    api_call(&srv, NULL, "GET", "/api/v1/catalog/tempaid_urgent", NULL, &r);
    expect_status(&r, 200);
    assert_true(json_is_true(resp_get(&r, "current.approval_engine.one_off")));
    /* a new version never changes the old one */
    api_call(&srv, &city, "POST", "/api/v1/catalog/tekun/versions",
             "{\"effective_from\":\"2030-01-01\",\"source\":\"test\","
             "\"promised_days\":20}",
             &r);
    expect_status(&r, 201);
    assert_int_equal(json_integer_value(resp_get(&r, "version")), 2);
    api_call(&srv, NULL, "GET", "/api/v1/catalog/tekun", NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "versions")), 2);
    assert_int_equal(
        jint(item_at(&r, "versions", 0), "promised_days"), 30);
    api_call(&srv, &city, "POST", "/api/v1/catalog/tekun/versions",
             "{\"effective_from\":\"2030-01-01\",\"source\":\"test\","
             "\"promised_days\":99}",
             &r);
    expect_error(&r, 400, "INVALID_CATALOG_ITEM", "promised_days");
    api_call(&srv, NULL, "GET", "/api/v1/catalog/nosuch", NULL, &r);
    expect_status(&r, 404);
    response_free(&r);
}

/* ---- step limits versioned with the catalog ---- */

#define CHILD_PAPERS                                                           \
    "\"id_card\",\"hukou\",\"guardian_id\",\"parents_status_proof\""
#define TEKUN_PAPERS DIBAO_PAPERS ",\"selfcare_assessment\""

/* The step deadline of item id, and its catalog version in *version. */
static const char *
step_deadline_of(long long id, long long *version)
{
    static char out[16];
    struct response r = {0};
    item_get(&srv, &clerk101, id, &r);
    snprintf(out, sizeof(out), "%s", resp_str(&r, "item.step_deadline"));
    *version = (long long)json_integer_value(
        resp_get(&r, "item.catalog_version"));
    response_free(&r);
    return out;
}

/* The working day n working days after today, as text. */
static const char *
wd_after(int n)
{
    static char out[8][11];
    static int next;
    char *b = out[next++ % 8];
    int unc = 0;
    workcal_format_date(workcal_add_working_days(cal, today_day(), n, &unc),
                        b);
    return b;
}

/* Every number is versioned: 事实无人抚养 (domain.md §5) is checked by the
 * township in 15 wd and recognised by the county in 15 wd under version
 * 1 of the catalog; a version in force today with {"check":5,"decide":3}
 * gives a new case 5 wd at 查验 and 3 wd at 认定, while a case accepted
 * under version 1 keeps 15 wd at both. */
TEST_CASE(test_step_limits)
{
    struct response r = {0};
    char today[11];
    long long version = 0;
    workcal_format_date(today_day(), today);
    int64_t hh_old = household_new(20), hh_new = household_new(21);
    long long old_id =
        apply_ok(&srv, &clerk101, hh_old, "\"unsupported_child\"", CHILD_PAPERS,
                 NULL, NULL);
    assert_string_equal(step_deadline_of(old_id, &version), wd_after(15));
    assert_int_equal(version, 1);

    /* refused: a step not in the template, the 补正 step, 0 days, not an
     * object */
    static const struct {
        const char *limits, *code, *field;
    } bad[] = {
        {"{\"investigate\":3}", "INVALID_CATALOG_ITEM", "step_limits"},
        {"{\"supplement\":3}", "INVALID_CATALOG_ITEM", "step_limits"},
        {"{\"check\":0}", "OUT_OF_RANGE", "step_limits.check"},
        {"3", "WRONG_TYPE", "step_limits"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        api_call(&srv, &city, "POST",
                 "/api/v1/catalog/unsupported_child/versions",
                 fmt("{\"effective_from\":\"%s\",\"source\":\"test\","
                     "\"step_limits\":%s}",
                     today, bad[i].limits),
                 &r);
        expect_error(&r, 400, bad[i].code, bad[i].field);
    }
    api_call(&srv, &city, "POST", "/api/v1/catalog/unsupported_child/versions",
             fmt("{\"effective_from\":\"%s\",\"source\":\"test\","
                 "\"step_limits\":{\"check\":5,\"decide\":3}}",
                 today),
             &r);
    expect_status(&r, 201);
    assert_int_equal(json_integer_value(resp_get(&r, "version")), 2);
    /* the steps with their effective limits */
    api_call(&srv, NULL, "GET", "/api/v1/catalog/unsupported_child", NULL, &r);
    expect_status(&r, 200);
    json_t *steps = resp_get(&r, "current.steps");
    int seen = 0;
    for (size_t i = 0; i < json_array_size(steps); i++) {
        json_t *s = json_array_get(steps, i);
        if (strcmp(jstr(s, "code"), "check") == 0) {
            assert_int_equal(jint(s, "limit_days"), 5);
            assert_int_equal(jint(s, "template_limit_days"), 15);
            seen++;
        }
    }
    assert_int_equal(seen, 1);

    long long new_id =
        apply_ok(&srv, &clerk101, hh_new, "\"unsupported_child\"", CHILD_PAPERS,
                 NULL, NULL);
    assert_string_equal(step_deadline_of(new_id, &version), wd_after(5));
    assert_int_equal(version, 2);
    assert_string_equal(step_deadline_of(old_id, &version), wd_after(15));
    assert_int_equal(version, 1);
    /* and at the county's step each keeps its own version's limit */
    act(&srv, &clerk101, old_id, "submit", NULL, 200);
    act(&srv, &clerk101, new_id, "submit", NULL, 200);
    assert_string_equal(step_deadline_of(old_id, &version), wd_after(15));
    assert_string_equal(step_deadline_of(new_id, &version), wd_after(3));
    response_free(&r);
}

/* ---- (a) 低保, 异地受理, the whole procedure ---- */

TEST_CASE(test_dibao_cross_region)
{
    struct response r = {0};
    int64_t hh = household_new(1);
#define PREVIEW(hh, extra)                                                     \
    fmt("{\"household_id\":%lld,\"channel\":\"window\",%s"                 \
        "\"items\":[\"medical_aid\"],\"materials\":[\"id_card\"]}",         \
        (hh), (extra))
    /* a window out of the household's scope assesses it only with the
     * applicant's ID number (异地受理): a bare id, or another person's
     * number, is 404 as for no household */
    api_call(&srv, &clerk103, "POST", "/api/v1/applications/preview",
             PREVIEW((long long)hh, ""), &r);
    expect_error(&r, 404, "NOT_FOUND", NULL);
    api_call(&srv, &clerk103, "POST", "/api/v1/applications/preview",
             PREVIEW((long long)hh,
                     fmt("\"id_number\":\"%s\",",
                         idnum_in("500101", "19991231", 998))),
             &r);
    expect_error(&r, 404, "NOT_FOUND", NULL);
    /* the pre-assessment proposes 低保 when only 医疗救助 is asked for */
    api_call(&srv, &clerk103, "POST", "/api/v1/applications/preview",
             PREVIEW((long long)hh,
                     fmt("\"id_number\":\"%s\",",
                         idnum_in("500101", "19700101", 2 * 1 + 1))),
             &r);
#undef PREVIEW
    expect_status(&r, 200);
    assert_string_equal(jstr(item_at(&r, "proposals", 0), "item_code"),
                        "dibao");
    /* one notice: the medical bills are missing */
    assert_string_equal(
        jstr(json_array_get(json_object_get(item_at(&r, "missing_notice", 0),
                                            "materials"),
                            0),
             "code"),
        "medical_bills");

    /* a filing names the household, not the preview's applicant */
    apply(&srv, &clerk103, hh, "\"dibao\"", DIBAO_PAPERS,
          fmt(",\"id_number\":\"%s\"",
              idnum_in("500101", "19700101", 2 * 1 + 1)),
          &r);
    expect_error(&r, 400, "UNKNOWN_FIELD", "id_number");
    /* taken at the 渝中区 七星岗 window, every paper brought */
    apply(&srv, &clerk103, hh, "\"dibao\"", DIBAO_PAPERS, NULL, &r);
    expect_status(&r, 201);
    const char *case_no = resp_str(&r, "case_no");
    /* county (the hukou county) + year + sequence */
    assert_int_equal(strlen(case_no), 16);
    assert_memory_equal(case_no, "500101", 6);
    assert_memory_equal(case_no + 6, today_date(), 4);
    char no[32], code[16];
    snprintf(no, sizeof(no), "%s", case_no);
    snprintf(code, sizeof(code), "%s", resp_str(&r, "query_code"));
    assert_int_equal(strlen(code), 10);
    long long app = (long long)json_integer_value(resp_get(&r, "id"));
    json_t *it = item_at(&r, "items", 0);
    long long id = jint(it, "id");
    /* 异地受理: routed to the hukou township, 万州区 高笋塘街道 */
    assert_string_equal(jstr(it, "owner_region"), "500101001");
    assert_string_equal(jstr(it, "intake_region"), "500103001");
    assert_string_equal(jstr(it, "step"), "investigate");
    assert_int_equal(json_array_size(resp_get(&r, "missing_notice")), 0);
    /* the deadline: 30 working days after today (today not counted) */
    int unc = 0;
    char want[11];
    workcal_format_date(workcal_add_working_days(cal, today_day(), 30, &unc),
                        want);
    assert_string_equal(jstr(it, "deadline"), want);

    /* the intake window cannot act on 万州's step; 万州's clerk can */
    act(&srv, &clerk103, id, "submit", NULL, 404);
    /* 入户调查 needs two investigators (Art. 16) */
    act(&srv, &clerk101, id, "submit", ",\"investigators\":[\"刘一\"]", 400);
    act(&srv, &clerk101, id, "submit", ",\"investigators\":[\"刘一\",\"陈二\"]",
        200);
    /* 信息核对 is the county's: outside the township's scope */
    act(&srv, &clerk101, id, "submit", NULL, 404);
    act(&srv, &county101, id, "submit", NULL, 200);
    /* 初审 is the reviewer's: the clerk who investigated does not also
     * give the first-review opinion (four eyes) */
    act(&srv, &clerk101, id, "approve", NULL, 403);
    act(&srv, &reviewer101, id, "approve", NULL, 200);
    assert_string_equal(step_of(&srv, &clerk101, id), "publicity");
    /* the 公示 shows the masked name, the size and the amount, no IDs */
    api_call(&srv, &clerk101, "GET",
             "/api/v1/publicity?village=500101001001", NULL, &r);
    expect_status(&r, 200);
    assert_null(strstr(r.body, "500101197001"));
    long long pub = publicity_id_of("500101001001", "王*明");
    assert_true(pub > 0);
    api_call(&srv, &clerk101, "GET",
             "/api/v1/publicity?village=500101001001&format=html", NULL, &r);
    expect_status(&r, 200);
    assert_non_null(strstr(r.body, "王*明"));
    /* 低保's monthly amount is the engine's at the 公示 */
    assert_non_null(strstr(r.body, "（月）</td>"));
    assert_null(strstr(r.body, "待审批确定"));
    /* closing before the 7 days is refused */
    act(&srv, &clerk101, id, "close", NULL, 400);
    /* an objection sends the case back to the investigation */
    api_call(&srv, &clerk101, "POST",
             fmt("/api/v1/publicity/%lld/objections", pub),
             "{\"text\":\"邻居反映家中有经营收入\"}", &r);
    expect_status(&r, 201);
    assert_string_equal(step_of(&srv, &clerk101, id), "investigate");
    api_call(&srv, &clerk101, "POST",
             fmt("/api/v1/publicity/%lld/objections", pub),
             "{\"text\":\"again\"}", &r);
    expect_error(&r, 409, "PUBLICITY_CLOSED", NULL);
    /* the second round */
    walk_past_publicity(&srv, st, &clerk101, &county101, &reviewer101, id);
    assert_string_equal(step_of(&srv, &clerk101, id), "confirm");
    act(&srv, &county101, id, "submit", NULL, 200);
    act(&srv, &county101, id, "approve", NULL, 200);
    act(&srv, &clerk101, id, "notify", NULL, 200);

    /* approved with the engine's amount: two urban members with no
     * income and no assets get the urban standard in force today twice
     * (dibao.standard.urban, 770 元 from 2025-07-01: 1,540 元) */
    long long v = item_get(&srv, &clerk101, id, &r);
    (void)v;
    assert_string_equal(resp_str(&r, "item.decision"), "approved");
    assert_string_equal(resp_str(&r, "item.state"), "closed");
    assert_int_equal(json_integer_value(resp_get(&r, "item.amount_fen")),
                     154000);
    assert_int_equal(
        json_integer_value(resp_get(&r, "entitlement.monthly_fen")), 154000);
    /* paid from the month after the decision (Art. 21) */
    assert_string_equal(resp_str(&r, "entitlement.start_month"),
                        today_month(1));
    /* the timeline holds every transition: accept; submit, submit,
     * approve; the objection; submit, submit, approve; close; submit;
     * approve; notify */
    json_t *tl = resp_get(&r, "timeline");
    assert_int_equal(json_array_size(tl), 12);
    assert_string_equal(jstr(json_array_get(tl, 4), "action"), "object");
    assert_string_equal(jstr(json_array_get(tl, 4), "to"), "investigate");
    assert_string_equal(jstr(json_array_get(tl, 0), "action"), "accept");
    assert_true(json_is_true(json_object_get(json_array_get(tl, 0), "visit")));

    /* the result is visible at the intake office */
    item_get(&srv, &clerk103, id, &r);
    assert_string_equal(resp_str(&r, "item.decision"), "approved");
    api_call(&srv, &clerk103, "GET", fmt("/api/v1/case-items/%lld/notice", id),
             NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_integer_value(resp_get(&r, "amount_fen")), 154000);
    assert_true(json_is_object(resp_get(&r, "explanation")));
    api_call(&srv, &clerk103, "GET",
             fmt("/api/v1/case-items/%lld/notice?format=html", id), NULL, &r);
    expect_status(&r, 200);
    assert_non_null(strstr(r.body, "1540.00"));
    /* the receipt: masked, escaped, printable */
    api_call(&srv, &clerk103, "GET",
             fmt("/api/v1/applications/%lld/receipt", app), NULL, &r);
    expect_status(&r, 200);
    assert_non_null(strstr(r.body, no));
    assert_non_null(strstr(r.body, "王*明"));
    assert_null(strstr(r.body, "王大明"));
    /* progress by case number and query code, anonymously */
    progress_get(&srv, no, code, &r);
    expect_status(&r, 200);
    assert_string_equal(jstr(item_at(&r, "items", 0), "decision"),
                        "approved");
    progress_get(&srv, no, "AAAAAAAAAA", &r);
    expect_status(&r, 404);
    response_free(&r);
}

/* ---- (b) one application, two referrals ---- */

TEST_CASE(test_referrals)
{
    struct response r = {0};
    int64_t hh = household_new(2);
    apply(&srv, &clerk101, hh, "\"dibao\",\"medical_aid\",\"education_aid\"",
          "\"id_card\",\"hukou\",\"income_proof\",\"asset_declaration\","
          "\"check_consent\",\"medical_bills\",\"school_enrolment\"",
          NULL, &r);
    expect_status(&r, 201);
    long long dibao = jint(item_at(&r, "items", 0), "id");
    long long med = jint(item_at(&r, "items", 1), "id");
    long long edu = jint(item_at(&r, "items", 2), "id");
    assert_string_equal(jstr(item_at(&r, "items", 1), "owner_department"),
                        "medical");
    assert_string_equal(jstr(item_at(&r, "items", 2), "owner_department"),
                        "education");
    assert_string_equal(jstr(item_at(&r, "items", 0), "step"), "investigate");
    /* each department sees its own referral in its inbox */
    api_call(&srv, &medical101, "GET", "/api/v1/tasks", NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "items")), 1);
    assert_int_equal(
        jint(json_object_get(item_at(&r, "items", 0), "item"), "id"), med);
    /* (f) and not the other department's, nor the civil-affairs item */
    api_call(&srv, &medical101, "GET", fmt("/api/v1/case-items/%lld", edu),
             NULL, &r);
    expect_status(&r, 404);
    api_call(&srv, &medical101, "GET", fmt("/api/v1/case-items/%lld", dibao),
             NULL, &r);
    expect_status(&r, 404);
    act(&srv, &medical101, edu, "accept", NULL, 404);
    /* 渝中区's medical officer is another county */
    act(&srv, &medical103, med, "accept", NULL, 404);
    /* accept, then answer with a result: the loop closes at the township */
    act(&srv, &medical101, med, "accept", NULL, 200);
    /* the result is required */
    act(&srv, &medical101, med, "approve", NULL, 400);
    act(&srv, &medical101, med, "approve",
        ",\"result\":\"住院费用按 70% 救助\",\"amount_fen\":500000", 200);
    act(&srv, &education101, edu, "accept", NULL, 200);
    act(&srv, &education101, edu, "reject",
        ",\"result\":\"不符合条件\",\"reasons\":\"已享受助学金\"", 200);
    act(&srv, &clerk101, med, "notify", NULL, 200);
    act(&srv, &clerk101, edu, "notify", NULL, 200);
    item_get(&srv, &clerk101, med, &r);
    assert_string_equal(resp_str(&r, "item.state"), "closed");
    assert_string_equal(resp_str(&r, "item.decision"), "approved");
    assert_true(json_integer_value(resp_get(&r, "referral.accepted_at")) > 0);
    assert_true(json_integer_value(resp_get(&r, "referral.answered_at")) > 0);
    assert_string_equal(resp_str(&r, "referral.result"), "住院费用按 70% 救助");
    item_get(&srv, &clerk101, edu, &r);
    assert_string_equal(resp_str(&r, "item.decision"), "rejected");
    assert_string_equal(resp_str(&r, "item.reasons"), "已享受助学金");
    /* a department officer sees the household of its referral, and no
     * other: 医疗救助 was referred for hh, nothing for another household */
    api_call(&srv, &medical101, "GET",
             fmt("/api/v1/households/%lld", (long long)hh), NULL, &r);
    expect_status(&r, 200);
    int64_t other = household_new(12);
    api_call(&srv, &medical101, "GET",
             fmt("/api/v1/households/%lld", (long long)other), NULL, &r);
    expect_status(&r, 404);
    api_call(&srv, &medical101, "GET", "/api/v1/households?region=500101",
             NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "items")), 1);
    assert_int_equal(jint(item_at(&r, "items", 0), "id"), hh);
    /* the medical inbox is empty again */
    api_call(&srv, &medical101, "GET", "/api/v1/tasks", NULL, &r);
    assert_int_equal(json_array_size(resp_get(&r, "items")), 0);
    response_free(&r);
}

/* ---- (c) 补正 pauses the clock ---- */

TEST_CASE(test_supplement_pause)
{
    struct response r = {0};
    int64_t hh = household_new(3);
    int32_t today = today_day(), d0 = today - 20;
    char applied[11];
    workcal_format_date(d0, applied);
    /* a paper application of 20 days ago, two papers missing */
    apply(&srv, &clerk101, hh, "\"dibao\"",
          "\"id_card\",\"hukou\",\"income_proof\"",
          fmt(",\"applied_on\":\"%s\"", applied), &r);
    expect_status(&r, 201);
    long long app = (long long)json_integer_value(resp_get(&r, "id"));
    json_t *it = item_at(&r, "items", 0);
    long long id = jint(it, "id");
    assert_string_equal(jstr(it, "step"), "supplement");
    assert_string_equal(jstr(it, "state"), "paused");
    /* one notice lists both */
    json_t *mats =
        json_object_get(item_at(&r, "missing_notice", 0), "materials");
    assert_int_equal(json_array_size(mats), 2);
    assert_string_equal(jstr(json_array_get(mats, 0), "code"),
                        "asset_declaration");
    assert_string_equal(jstr(json_array_get(mats, 1), "code"),
                        "check_consent");
    int unc = 0;
    int32_t before = day_of(jstr(it, "deadline"));
    assert_int_equal(before, workcal_add_working_days(cal, d0, 30, &unc));
    /* one of two papers: still paused */
    api_call(&srv, &clerk101, "POST",
             fmt("/api/v1/applications/%lld/materials", app),
             "{\"materials\":[\"asset_declaration\"]}", &r);
    expect_status(&r, 200);
    assert_string_equal(jstr(item_at(&r, "items", 0), "step"), "supplement");
    api_call(&srv, &clerk101, "POST",
             fmt("/api/v1/applications/%lld/materials", app),
             "{\"materials\":[\"check_consent\"]}", &r);
    expect_status(&r, 200);
    it = item_at(&r, "items", 0);
    assert_string_equal(jstr(it, "step"), "investigate");
    /* the pause lasted the working days in (d0, today] */
    int paused = workcal_working_days_between(cal, d0, today, &unc);
    assert_true(paused >= 12); /* 20 calendar days hold 12+ working days */
    assert_int_equal(jint(it, "paused_working_days"), paused);
    int32_t after = day_of(jstr(it, "deadline"));
    /* the deadline moved by exactly the paused working days */
    assert_int_equal(workcal_working_days_between(cal, before, after, &unc),
                     paused);
    assert_int_equal(after, workcal_add_working_days(cal, d0, 30 + paused,
                                                     &unc));
    /* the papers brought in person count a visit */
    item_get(&srv, &clerk101, id, &r);
    assert_int_equal(json_integer_value(resp_get(&r, "item.visits")), 2);
    (void)id;
    response_free(&r);
}

/* ---- (d) a deadline across the 2023 National Day ---- */

TEST_CASE(test_national_day)
{
    struct response r = {0};
    int64_t hh = household_new(4);
    /* accepted Wednesday 2023-09-27. Working days after it: 9-28 (1);
     * 9-29 to 10-6 off (中秋节、国庆节); Saturday 10-7 (2) and Sunday
     * 10-8 (3) worked (调休); 10-9..13 (4-8), 16-20 (9-13), 23-27
     * (14-18), 10-30..11-3 (19-23), 11-6..10 (24-28), 11-13 (29), 11-14
     * (30). */
    apply(&srv, &clerk101, hh, "\"dibao\"", DIBAO_PAPERS,
          ",\"applied_on\":\"2023-09-27\"", &r);
    expect_status(&r, 201);
    json_t *it = item_at(&r, "items", 0);
    assert_string_equal(jstr(it, "accepted_on"), "2023-09-27");
    assert_string_equal(jstr(it, "deadline"), "2023-11-14");
    assert_false(json_is_true(json_object_get(it, "deadline_uncovered")));
    long long id = jint(it, "id");
    /* overdue now: the 万州 county supervises it in its inbox */
    json_t *t = inbox_task(&srv, &county101, NULL, id, &r);
    if (!t)
        fail_msg("not in the county's inbox: %.2000s", r.body);
    assert_true(json_is_true(json_object_get(t, "overdue")));
    assert_true(json_is_true(json_object_get(t, "supervising")));
    response_free(&r);
}

/* A case of programs with papers filed by 万州's clerk for a new household
 * (household_new(seq)): its id. */
static long long
case_filed(int seq, const char *programs, const char *papers)
{
    return apply_ok(&srv, &clerk101, household_new(seq), programs, papers, NULL,
                    NULL);
}

/* ---- (e) a stale version ---- */

TEST_CASE(test_stale_version)
{
    struct response r = {0};
    long long id = case_filed(5, "\"tekun\"", TEKUN_PAPERS);
    long long v = item_get(&srv, &clerk101, id, &r);
    /* two clerks read version v; the first acts, the second is stale */
    api_call(&srv, &clerk101, "POST", fmt("/api/v1/case-items/%lld/actions", id),
             fmt("{\"action\":\"submit\",\"version\":%lld,"
                 "\"investigators\":[\"甲\",\"乙\"]}",
                 v),
             &r);
    expect_status(&r, 200);
    assert_int_equal(json_integer_value(resp_get(&r, "version")), v + 1);
    api_call(&srv, &clerk101, "POST", fmt("/api/v1/case-items/%lld/actions", id),
             fmt("{\"action\":\"approve\",\"version\":%lld}", v), &r);
    expect_error(&r, 409, "VERSION_CONFLICT", "version");
    /* an action the step does not have */
    act(&srv, &reviewer101, id, "fly", NULL, 409);
    response_free(&r);
}

/* ---- (f) scope ---- */

TEST_CASE(test_scope)
{
    struct response r = {0};
    long long id = case_filed(6, "\"dibao\"", DIBAO_PAPERS);
    /* 渝中区's clerk and county see nothing of a 万州 case they did not
     * take; acting is 404 too */
    api_call(&srv, &clerk103, "GET", fmt("/api/v1/case-items/%lld", id), NULL,
             &r);
    expect_status(&r, 404);
    act(&srv, &clerk103, id, "submit", ",\"investigators\":[\"甲\",\"乙\"]",
        404);
    act(&srv, &county103, id, "submit", NULL, 404);
    /* the county sees it, but the step is the township's */
    act(&srv, &county101, id, "submit", ",\"investigators\":[\"甲\",\"乙\"]",
        403);
    /* a department officer reads no civil-affairs item */
    api_call(&srv, &medical101, "GET", fmt("/api/v1/case-items/%lld", id),
             NULL, &r);
    expect_status(&r, 404);
    /* the township's inbox holds it, with working days left */
    json_t *t = inbox_task(&srv, &clerk101, NULL, id, &r);
    assert_non_null(t);
    assert_int_equal(jint(json_object_get(t, "item"), "working_days_left"), 30);
    response_free(&r);
}

/* ---- a citizen applies online ---- */

TEST_CASE(test_citizen_online)
{
    struct response r = {0};
    struct client cit;
    char no[32], qc[16];
    int64_t hh = household_new(7);
    citizen_login(&srv, "13900000077", &cit);
    /* the household's registered contact names the applicant */
    contact_set(st, &cit, hh);
    api_call(&srv, &cit, "POST", "/api/v1/citizen/applications",
             fmt("{\"id_number\":\"%s\",\"items\":[\"dibao\"],"
                 "\"materials\":[\"id_card\",\"hukou\"]}",
                 idnum_in("500101", "19700101", 2 * 7 + 1)),
             &r);
    expect_status(&r, 201);
    snprintf(no, sizeof(no), "%s", resp_str(&r, "case_no"));
    snprintf(qc, sizeof(qc), "%s", resp_str(&r, "query_code"));
    assert_string_equal(jstr(item_at(&r, "items", 0), "step"), "supplement");
    assert_int_equal(json_array_size(resp_get(&r, "missing_notice")), 1);
    assert_null(resp_get(&r, "household_id"));
    /* a person in no household applies as a new applicant, who declares
     * who and where they are (tests/api/test_citizen_portal.c) */
    api_call(&srv, &cit, "POST", "/api/v1/citizen/applications",
             fmt("{\"id_number\":\"%s\",\"items\":[\"dibao\"]}",
                 idnum_in("500101", "19991231", 999)),
             &r);
    expect_error(&r, 400, "DECLARATION_REQUIRED", "name");
    /* the case reached the hukou township as an online application */
    json_t *t = inbox_task(&srv, &clerk101, no, 0, &r);
    assert_non_null(t);
    t = json_object_get(t, "item");
    assert_string_equal(jstr(t, "intake_region"), "500101001");
    assert_int_equal(jint(t, "visits"), 0);
    assert_int_equal(jint(t, "household_id"), hh);
    /* and the citizen follows it by case number and query code */
    progress_get(&srv, no, qc, &r);
    expect_status(&r, 200);
    assert_string_equal(jstr(item_at(&r, "items", 0), "state"), "paused");
    /* staff cannot use the citizen's route */
    api_call(&srv, &clerk101, "POST", "/api/v1/citizen/applications",
             "{\"id_number\":\"x\",\"items\":[\"dibao\"]}", &r);
    expect_status(&r, 403);
    response_free(&r);
}

/* ---- delegated confirmation ---- */

/* The city supervisor adds a version of key for county from 2021-07-01
 * (source "test"): 201. */
static void
county_version(const char *key, const char *county, int value, const char *unit,
               struct response *r)
{
    api_call(&srv, &city, "POST", "/api/v1/policy",
             fmt("{\"key\":\"%s\",\"region_code\":\"%s\","
                 "\"effective_from\":\"2021-07-01\",\"value\":%d,"
                 "\"unit\":\"%s\",\"source\":\"test\"}",
                 key, county, value, unit),
             r);
    expect_status(r, 201);
}

/* 涪陵区 delegates 审核确认 to its townships (dibao.confirm.delegated = 1,
 * a county version added by the city supervisor): after the 公示 the
 * township confirms and decides (2022 notice §4). */
TEST_CASE(test_delegated)
{
    struct response r = {0};
    struct client town, county, reviewer;
    county_version("dibao.confirm.delegated", "500102", 1, "flag", &r);
    staff_user(&srv, &admin, "clerk.500102006", "town_clerk", "", "500102006",
               &town);
    staff_user(&srv, &admin, "county.500102", "county_officer", "", "500102",
               &county);
    staff_user(&srv, &admin, "reviewer.500102006", "town_reviewer", "",
               "500102006", &reviewer);
    int64_t hh = household_post(&srv, &county, DELEGATED_VILLAGE, "一号",
                                fmt("{\"id_number\":\"%s\",\"name\":\"赵六\","
                                    "\"relation\":\"applicant\"}",
                                    idnum_in("500101", "19650505", 601)));
    long long id =
        apply_ok(&srv, &town, hh, "\"dibao\"", DIBAO_PAPERS, NULL, NULL);
    act(&srv, &town, id, "submit", ",\"investigators\":[\"甲\",\"乙\"]", 200);
    /* the means check stays the county's (Art. 17) */
    item_get(&srv, &town, id, &r);
    assert_string_equal(resp_str(&r, "item.owner_region"), "500102");
    act(&srv, &county, id, "submit", NULL, 200);
    act(&srv, &reviewer, id, "approve", NULL, 200);
    publicity_elapse(st, id);
    act(&srv, &town, id, "close", NULL, 200);
    item_get(&srv, &town, id, &r);
    assert_string_equal(resp_str(&r, "item.step"), "confirm");
    assert_string_equal(resp_str(&r, "item.owner_region"), "500102006");
    act(&srv, &county, id, "submit", NULL, 403); /* the township's now */
    act(&srv, &town, id, "submit", NULL, 200);
    act(&srv, &town, id, "approve", NULL, 200);
    item_get(&srv, &town, id, &r);
    assert_string_equal(resp_str(&r, "item.decision"), "approved");
    assert_true(json_integer_value(resp_get(&r, "entitlement.monthly_fen")) >
                0);
    response_free(&r);
}

/* ---- the 特困 spot check ---- */

#define SPOT_VILLAGE "500104001001" /* 大渡口区 新山村街道, no other case */

/* A one-person household in SPOT_VILLAGE filed for 特困 by clerk; the
 * case item's id, and its spot_check flag in *flagged. */
static long long
tekun_case(const struct client *county, const struct client *clerk, int seq,
           int *flagged)
{
    struct response r = {0};
    int64_t hh = household_post(&srv, county, SPOT_VILLAGE, "一号",
                                fmt("{\"id_number\":\"%s\",\"name\":\"孙七\","
                                    "\"relation\":\"applicant\"}",
                                    idnum_in("500101", "19450404", 800 + seq)));
    apply(&srv, clerk, hh, "\"tekun\"", TEKUN_PAPERS, NULL, &r);
    expect_status(&r, 201);
    json_t *it = item_at(&r, "items", 0);
    long long id = jint(it, "id");
    *flagged = json_is_true(json_object_get(it, "spot_check"));
    response_free(&r);
    return id;
}

/* 特困人员认定办法 Art. 16 (domain.md §2): the county spot-checks at least
 * tekun.spot_check.percent (30 % in the seed) of its 特困 cases. By hand:
 * of a county's first n cases of the year ceil(0.3 n) are flagged, so
 * the 1st and the 4th of four, not the 2nd and 3rd; with the county's own
 * parameter at 100 % the 5th is flagged too (at 30 % it would not be:
 * ceil(1.5) = 2 = ceil(1.2)). A flagged case cannot leave 审核确认 before
 * a spot_check records its result and checker; an unflagged one can. */
TEST_CASE(test_spot_check)
{
    struct response r = {0};
    struct client clerk, reviewer, county;
    staff_user(&srv, &admin, "clerk.500104001", "town_clerk", "", "500104001",
               &clerk);
    staff_user(&srv, &admin, "reviewer.500104001", "town_reviewer", "",
               "500104001", &reviewer);
    staff_user(&srv, &admin, "county.500104", "county_officer", "", "500104",
               &county);
    int flags[5];
    long long ids[5];
    for (int i = 0; i < 4; i++)
        ids[i] = tekun_case(&county, &clerk, i, &flags[i]);
    assert_true(flags[0]);
    assert_false(flags[1]);
    assert_false(flags[2]);
    assert_true(flags[3]);
    county_version("tekun.spot_check.percent", "500104", 100, "percent", &r);
    ids[4] = tekun_case(&county, &clerk, 4, &flags[4]);
    assert_true(flags[4]);

    /* the flagged 1st and the unflagged 2nd to 审核确认 */
    for (int i = 0; i < 2; i++) {
        act(&srv, &clerk, ids[i], "submit",
            ",\"investigators\":[\"甲\",\"乙\"]", 200);
        /* 初审: the reviewer's */
        act(&srv, &clerk, ids[i], "approve", NULL, 403);
        act(&srv, &reviewer, ids[i], "approve", NULL, 200);
        publicity_elapse(st, ids[i]);
        act(&srv, &clerk, ids[i], "close", NULL, 200);
        assert_string_equal(step_of(&srv, &county, ids[i]), "confirm");
    }
    act(&srv, &county, ids[0], "submit", NULL, 409);
    act(&srv, &county, ids[0], "return", ",\"reasons\":\"补充调查\"", 409);
    item_get(&srv, &county, ids[0], &r);
    const char *step_deadline = resp_str(&r, "item.step_deadline");
    char before[16];
    snprintf(before, sizeof(before), "%s", step_deadline);
    assert_false(json_is_true(resp_get(&r, "item.spot_check_done")));
    /* the spot check needs its result and its checker */
    act(&srv, &county, ids[0], "spot_check", ",\"result\":\"入户抽查属实\"",
        400);
    act(&srv, &county, ids[0], "spot_check", ",\"checker\":\"周八\"", 400);
    /* the county's step: outside the township's scope */
    act(&srv, &clerk, ids[0], "spot_check",
        ",\"result\":\"入户抽查属实\",\"checker\":\"周八\"", 404);
    act(&srv, &county, ids[0], "spot_check",
        ",\"result\":\"入户抽查属实\",\"checker\":\"周八\"", 200);
    /* it stays in 审核确认 on the same step clock, checked, recorded */
    item_get(&srv, &county, ids[0], &r);
    assert_string_equal(resp_str(&r, "item.step"), "confirm");
    assert_string_equal(resp_str(&r, "item.step_deadline"), before);
    assert_true(json_is_true(resp_get(&r, "item.spot_check_done")));
    json_t *tl = resp_get(&r, "timeline");
    json_t *last = json_array_get(tl, json_array_size(tl) - 1);
    assert_string_equal(jstr(last, "action"), "spot_check");
    char *dump = json_dumps(last, 0);
    assert_non_null(dump);
    assert_non_null(strstr(dump, "周八"));
    free(dump);
    act(&srv, &county, ids[0], "submit", NULL, 200);
    assert_string_equal(step_of(&srv, &county, ids[0]), "decide");
    /* the unflagged case leaves at once */
    act(&srv, &county, ids[1], "submit", NULL, 200);
    response_free(&r);
}

/* ---- a household registered with its application ---- */

TEST_CASE(test_inline_household)
{
    struct response r = {0};
    const char *hh =
        fmt("{\"region_code\":\"500101001002\",\"hukou_region\":"
            "\"500101001002\",\"address\":\"二号\",\"urban_or_rural\":"
            "\"urban\",\"members\":[{\"id_number\":\"%s\",\"name\":"
            "\"孙七\",\"relation\":\"applicant\"}]}",
            idnum_in("500101", "19600606", 701));
    char body[2048];
    snprintf(body, sizeof(body),
             "{\"household\":%s,\"channel\":\"window\",\"items\":"
             "[\"dibao\"],\"materials\":[\"id_card\"]}",
             hh);
    api_call(&srv, &clerk101, "POST", "/api/v1/applications", body, &r);
    expect_status(&r, 201);
    long long hid = (long long)json_integer_value(resp_get(&r, "household_id"));
    assert_true(hid > 0);
    assert_string_equal(jstr(item_at(&r, "items", 0), "owner_region"),
                        "500101001");
    /* registered with the registry's checks, in the same transaction */
    api_call(&srv, &clerk101, "GET", fmt("/api/v1/households/%lld", hid), NULL,
             &r);
    expect_status(&r, 200);
    /* the same person cannot be registered twice: nothing is filed */
    api_call(&srv, &clerk101, "POST", "/api/v1/applications", body, &r);
    expect_status(&r, 409);
    /* the registry's validation names the field inside the household */
    api_call(&srv, &clerk101, "POST", "/api/v1/applications",
             "{\"household\":{\"region_code\":\"x\"},\"channel\":"
             "\"window\",\"items\":[\"dibao\"]}",
             &r);
    expect_status(&r, 400);
    /* one household: an id or one to register, not both, not neither */
    api_call(&srv, &clerk101, "POST", "/api/v1/applications",
             "{\"channel\":\"window\",\"items\":[\"dibao\"]}", &r);
    expect_error(&r, 400, "HOUSEHOLD_REQUIRED", "household_id");
    /* a household outside the clerk's scope is not registered */
    api_call(&srv, &clerk103, "POST", "/api/v1/applications", body, &r);
    expect_status(&r, 404);
    response_free(&r);
}

/* An inbox is the office's range of case_item_inbox, and a department
 * officer's household list its department's referrals, whatever the
 * city's size: no scan of the items or the households, on SQLite
 * (PostgreSQL's planner picks by table size). */
TEST_CASE(test_list_plans)
{
    plan_expect("inbox", sqlite_plan(store_stmt_sql(STMT_CASE_ITEM_INBOX, 0)),
                "SEARCH c USING INDEX case_item_inbox "
                "(owner_region>? AND owner_region<?)",
                "SCAN c", NULL);
    plan_expect("department's households",
                sqlite_plan(store_stmt_sql(STMT_HOUSEHOLD_LIST_DEPT, 0)),
                "SEARCH r USING COVERING INDEX referral_by_department "
                "(department=?)",
                "SCAN", NULL);
    /* PostgreSQL: the same ranges and the department's index; no scan
     * that an index could not serve */
    plan_expect("inbox", pg_plan(store_stmt_sql(STMT_CASE_ITEM_INBOX, 1), NULL),
                "Index Cond: ((owner_region >= $1)", "Seq Scan", NULL);
    plan_expect("department's households",
                pg_plan(store_stmt_sql(STMT_HOUSEHOLD_LIST_DEPT, 1), NULL),
                "referral_by_department", "Seq Scan", NULL);
}

API_SUITE("cases", group_setup, &srv, &st, cmocka_unit_test(test_catalog),
          cmocka_unit_test(test_step_limits),
          cmocka_unit_test(test_dibao_cross_region),
          cmocka_unit_test(test_referrals),
          cmocka_unit_test(test_supplement_pause),
          cmocka_unit_test(test_national_day),
          cmocka_unit_test(test_stale_version), cmocka_unit_test(test_scope),
          cmocka_unit_test(test_citizen_online),
          cmocka_unit_test(test_delegated), cmocka_unit_test(test_spot_check),
          cmocka_unit_test(test_inline_household),
          cmocka_unit_test(test_list_plans))
