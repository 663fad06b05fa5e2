/* SPDX-License-Identifier: MIT */
/* Engine decisions for every item with an engine, end to end through the
 * API on the real server (both stores): each case is filed through
 * POST /api/v1/applications, walked through its steps and approved with
 * the decider's facts; the amount is worked by hand below from
 * docs/domain.md and the seed (data/policy/params.csv, the versions in
 * force today, i.e. from 2025-07-01 on), and the notice carries the
 * engine's explanation. Also: NOT_ELIGIBLE is 422, REVIEW needs the
 * decider's amount, a bad or missing fact is 400 naming it, the dry run
 * (POST /api/v1/case-items/{id}/assessment) changes nothing. */
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

static struct server srv;
static struct store *st;
static struct client clerk101, reviewer101, county101, auditor;

/* An urban household in 万州区 高笋塘街道 东方广场社区 with the members
 * given (JSON array text); its id. */
static int64_t
household_new(const char *members)
{
    return household_post(&srv, &county101, "500101001001", "白岩路 2 号",
                          members);
}

/* Such a household of one applicant, name born birth (ID number sequence
 * seq), with the fields given (JSON text after a comma, "": none). */
static int64_t
household_of_one(const char *name, const char *birth, int seq,
                 const char *fields)
{
    return household_new(fmt("{\"id_number\":\"%s\",\"name\":\"%s\","
                             "\"relation\":\"applicant\"%s}",
                             idnum_in("500101", birth, seq), name, fields));
}

/* Such a household whose applicant name, born birth (ID number sequence
 * seq), has a disability of category and grade and its card; more: the
 * other members (JSON text after a comma, "": none). */
static int64_t
disabled_household(const char *name, const char *birth, int seq, int category,
                   int grade, const char *more)
{
    char num[24];
    snprintf(num, sizeof(num), "%s", idnum_in("500101", birth, seq));
    return household_new(
        fmt("{\"id_number\":\"%s\",\"name\":\"%s\",\"relation\":"
            "\"applicant\",\"disability_category\":%d,\"disability_grade\":%d,"
            "\"disability_card\":\"%s%d%d\"}%s",
            num, name, category, grade, num, category, grade, more));
}

/* Files one item with its papers at the 万州 window; the case item id. */
static long long
file_item(int64_t hh, const char *item, const char *materials)
{
    return apply_ok(&srv, &clerk101, hh, fmt("\"%s\"", item), materials, NULL,
                    NULL);
}

/* The item's amount and the notice's first program: checks the notice
 * carries the engine's explanation for program with amount. */
static void
expect_notice(long long id, const char *program, const char *decision,
              long long amount)
{
    struct response r = {0};
    api_call(&srv, &clerk101, "GET", fmt("/api/v1/case-items/%lld/notice", id),
             NULL, &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "decision"), "approved");
    assert_int_equal(json_integer_value(resp_get(&r, "amount_fen")), amount);
    json_t *prog = json_array_get(resp_get(&r, "explanation.programs"), 0);
    assert_non_null(prog);
    assert_string_equal(json_string_value(json_object_get(prog, "program")),
                        program);
    assert_string_equal(json_string_value(json_object_get(prog, "decision")),
                        decision);
    json_t *lines = json_object_get(prog, "explanation");
    assert_true(json_array_size(lines) >= 2);
    /* every line is rendered in both languages */
    json_t *l0 = json_array_get(lines, 0);
    assert_non_null(json_string_value(json_object_get(l0, "text_zh")));
    assert_non_null(json_string_value(json_object_get(l0, "text_en")));
    api_call(&srv, &clerk101, "GET",
             fmt("/api/v1/case-items/%lld/notice?format=html", id), NULL, &r);
    expect_status(&r, 200);
    assert_non_null(
        strstr(r.body, fmt("%lld.%02lld", amount / 100, amount % 100)));
    /* an entitlement pays monthly; 临时救助 is paid once */
    assert_non_null(strstr(r.body, strncmp(program, "tempaid", 7) == 0
                                       ? "发放金额（一次性）"
                                       : "月发放金额"));
    response_free(&r);
}

/* The facts recorded on the item's last approving event. */
static json_t *
last_facts(long long id, struct response *r)
{
    item_get(&srv, &clerk101, id, r);
    json_t *tl = resp_get(r, "timeline");
    json_t *facts = NULL;
    for (size_t i = 0; i < json_array_size(tl); i++) {
        json_t *f = json_object_get(
            json_object_get(json_array_get(tl, i), "fields"), "facts");
        if (f)
            facts = f;
    }
    return facts;
}

/* An action the decider tries and the server refuses: its facts, the
 * member's id (0: none) then the other fields given (NULL and no member:
 * no facts at all), and the error as expect_error has it. */
struct refusal {
    long long member;
    const char *facts;
    long status;
    const char *code, *field;
};

/* Each action of t[0 .. n) on item id as sess, refused as t says; a
 * failure names the row and its facts. */
static void
refused_(const struct client *sess, long long id, const char *action,
         const struct refusal *t, size_t n, int line)
{
    struct response r = {0};
    for (size_t i = 0; i < n; i++) {
        char extra[512] = "";
        if (t[i].member || t[i].facts)
            snprintf(extra, sizeof(extra), ",\"facts\":{%s%s%s}",
                     t[i].member ? fmt("\"member_id\":%lld", t[i].member) : "",
                     t[i].member && t[i].facts ? "," : "",
                     t[i].facts ? t[i].facts : "");
        act_r(&srv, sess, id, action, extra, &r);
        if (error_mismatch(&r, t[i].status, t[i].code, t[i].field))
            print_error("refusal %zu: %s%s\n", i, action, extra);
        expect_error_(&r, t[i].status, t[i].code, t[i].field, __FILE__, line);
    }
    response_free(&r);
}
#define refused(sess, id, action, t)                                           \
    refused_((sess), (id), (action), (t), sizeof(t) / sizeof((t)[0]), __LINE__)

/* ---- the group ---- */

static int
group_setup(void **state)
{
    (void)state;
    if (suite_start(&srv, "decisions", NULL, &st) != 0)
        return -1;
    logins_ok(&srv, "clerk.500101001", &clerk101, "reviewer.500101001",
              &reviewer101, "county.500101", &county101, "auditor", &auditor,
              NULL);
    return 0;
}

/* ---- 重度残疾人护理补贴: eligible, the facts checked ---- */

TEST_CASE(test_disability_care)
{
    struct response r = {0};
    /* 王建国, 肢体 (category 4) grade 1, and his wife */
    int64_t hh = disabled_household(
        "王建国", "19600101", 11, 4, 1,
        fmt(",{\"id_number\":\"%s\",\"name\":\"李秀英\",\"relation\":"
            "\"spouse\"}",
            idnum_in("500101", "19620202", 12)));
    long long who = member_id(&srv, &county101, hh, "王建国");
    long long id = file_item(hh, "disability_care",
                             "\"id_card\",\"hukou\",\"disability_card\"");
    /* 初审 by the township's reviewer → 审定 */
    act(&srv, &reviewer101, id, "submit", NULL, 200);

    /* the approval needs the facts, each checked and named */
    const struct refusal bad[] = {
        {0, NULL, 400, "REQUIRED", "facts"},
        {who, "\"care_months\":12", 400, "REQUIRED", "facts.card_valid"},
        {who, "\"card_valid\":true,\"care_months\":12,\"colour\":\"red\"", 400,
         "UNKNOWN_FIELD", "facts.colour"},
        /* a field of another item's engine is unknown here too */
        {who,
         "\"card_valid\":true,\"care_months\":12,\"placement\":\"scattered\"",
         400, "UNKNOWN_FIELD", "facts.placement"},
        {999999999, "\"card_valid\":true,\"care_months\":12", 400,
         "INVALID_VALUE", "facts.member_id"},
        {who, "\"card_valid\":\"yes\",\"care_months\":12", 400, "WRONG_TYPE",
         "facts.card_valid"},
        {who, "\"card_valid\":true,\"care_months\":-1", 400, "OUT_OF_RANGE",
         "facts.care_months"},
    };
    refused(&county101, id, "approve", bad);

    /* the dry run: the decider sees the engine's decision first; only
     * who may act on the step may ask (the township clerk is outside the
     * county's step, as for the actions), and nothing changes */
    char facts[128], path[64], body[160], extra[160];
    snprintf(facts, sizeof(facts),
             "{\"member_id\":%lld,\"card_valid\":true,\"care_months\":12}",
             who);
    snprintf(path, sizeof(path), "/api/v1/case-items/%lld/assessment", id);
    snprintf(body, sizeof(body), "{\"facts\":%s}", facts);
    snprintf(extra, sizeof(extra), "{\"facts\":%s,\"extra\":1}", facts);
    const struct call_want dry[] = {
        {&clerk101, "POST", path, body, 404, "NOT_FOUND", NULL},
        {&county101, "POST", path, extra, 400, "UNKNOWN_FIELD", "extra"},
        {&county101, "POST", path, "{}", 400, "REQUIRED", "facts"},
    };
    calls_expect(&srv, dry);
    api_call(&srv, &county101, "POST", path, body, &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "program"), "disability_care");
    assert_string_equal(resp_str(&r, "decision"), "eligible");
    /* domain.md §4: grade 1 of any category needing long-term care for
     * 12 ≥ disability.long_term_care_months (6) months gets
     * disability.care_subsidy.grade1, 9000 fen (90 元) a month from
     * 2022-10-01; the living subsidy does not apply (no 低保, 低保边缘 or
     * 特困 entitlement) and is another item anyway */
    assert_int_equal(json_integer_value(resp_get(&r, "amount_fen")), 9000);
    assert_string_equal(resp_str(&r, "explanation.programs.0.decision"),
                        "eligible");
    item_get(&srv, &county101, id, &r);
    assert_string_equal(resp_str(&r, "item.step"), "decide");
    assert_true(json_is_null(resp_get(&r, "entitlement")));
    /* the read of personal data is audited */
    api_call(&srv, &auditor, "GET",
             fmt("/api/v1/audit?object=case_item:%lld", id), NULL, &r);
    expect_status(&r, 200);
    assert_non_null(strstr(r.body, "case.assess"));

    act(&srv, &county101, id, "approve", fmt(",\"facts\":%s", facts), 200);
    item_get(&srv, &county101, id, &r);
    assert_string_equal(resp_str(&r, "item.decision"), "approved");
    assert_int_equal(json_integer_value(resp_get(&r, "item.amount_fen")), 9000);
    assert_int_equal(
        json_integer_value(resp_get(&r, "entitlement.monthly_fen")), 9000);
    /* 两项补贴 are paid from the application month (domain.md §4) */
    assert_string_equal(resp_str(&r, "entitlement.start_month"),
                        today_month(0));
    json_t *f = last_facts(id, &r);
    assert_non_null(f);
    assert_true(json_is_true(json_object_get(f, "card_valid")));
    assert_int_equal(json_integer_value(json_object_get(f, "care_months")), 12);
    act(&srv, &clerk101, id, "notify", NULL, 200);
    expect_notice(id, "disability_care", "eligible", 9000);
    response_free(&r);
}

/* ---- 困难残疾人生活补贴 outside 低保: NOT_ELIGIBLE → 422 ---- */

TEST_CASE(test_disability_living_not_eligible)
{
    struct response r = {0};
    int64_t hh = disabled_household("赵明", "19750505", 21, 1, 3, "");
    long long who = member_id(&srv, &county101, hh, "赵明");
    long long id = file_item(hh, "disability_living",
                             "\"id_card\",\"hukou\",\"disability_card\"");
    act(&srv, &reviewer101, id, "submit", NULL, 200);
    /* domain.md §4: the living subsidy is for 低保 (and, with
     * disability.living_subsidy.near_poor = 1, 低保边缘) families; the
     * household receives neither: not eligible, reject with reasons */
    act_r(&srv, &county101, id, "approve",
          fmt(",\"facts\":{\"member_id\":%lld,\"card_valid\":true}", who), &r);
    expect_error(&r, 422, "ENGINE_NOT_ELIGIBLE", "action");
    api_call(
        &srv, &county101, "POST", fmt("/api/v1/case-items/%lld/assessment", id),
        fmt("{\"facts\":{\"member_id\":%lld,\"card_valid\":true}}", who), &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "decision"), "not_eligible");
    assert_int_equal(json_integer_value(resp_get(&r, "amount_fen")), 0);
    act(&srv, &county101, id, "reject",
        ",\"reasons\":\"不属于低保或低保边缘家庭\"", 200);
    response_free(&r);
}

/* ---- 孤儿 ---- */

TEST_CASE(test_orphan)
{
    struct response r = {0};
    /* a grandmother and her grandson, born 2015-03-01, in 义务教育 */
    int64_t hh = household_new(
        fmt("{\"id_number\":\"%s\",\"name\":\"陈桂兰\",\"relation\":"
            "\"applicant\"},{\"id_number\":\"%s\",\"name\":\"陈小宝\","
            "\"relation\":\"grandchild\",\"schooling\":\"compulsory\"}",
            idnum_in("500101", "19580303", 31),
            idnum_in("500101", "20150301", 32)));
    long long child = member_id(&srv, &county101, hh, "陈小宝");
    long long id = file_item(hh, "orphan",
                             "\"id_card\",\"hukou\",\"guardian_id\","
                             "\"parents_status_proof\"");
    act(&srv, &clerk101, id, "submit", NULL, 200); /* 查验 → 认定 */
    /* a parent in prison is a 事实无人抚养 condition, not an orphan's */
    const struct refusal bad[] = {
        {child,
         "\"placement\":\"scattered\",\"parents\":[{\"dead\":true},"
         "{\"custody\":\"prison\",\"custody_months\":24}]",
         422, "ENGINE_NOT_ELIGIBLE", "action"},
        {child,
         "\"placement\":\"scattered\","
         "\"parents\":[{\"dead\":true,\"custody\":\"jail\"}]",
         400, "INVALID_VALUE", "facts.parents[0].custody"},
        {child, "\"placement\":\"scattered\"", 400, "REQUIRED",
         "facts.parents"},
    };
    refused(&county101, id, "approve", bad);
    /* domain.md §5: both parents dead → 孤儿; aged 11 < orphan.max_age
     * (18), Chongqing 户籍, scattered (散居): orphan.standard.scattered,
     * 165100 fen (1651 元) a month from 2025-07-01, in full (no 补差 for
     * orphans) */
    act(&srv, &county101, id, "approve",
        fmt(",\"facts\":{\"member_id\":%lld,\"placement\":\"scattered\","
            "\"parents\":[{\"dead\":true},{\"dead\":true}]}",
            child),
        200);
    item_get(&srv, &county101, id, &r);
    assert_int_equal(json_integer_value(resp_get(&r, "item.amount_fen")),
                     165100);
    assert_int_equal(
        json_integer_value(resp_get(&r, "entitlement.monthly_fen")), 165100);
    act(&srv, &clerk101, id, "notify", NULL, 200);
    expect_notice(id, "orphan", "eligible", 165100);
    response_free(&r);
}

/* ---- 低保 first, then 事实无人抚养 with 补差 and 临时救助 支出 ---- */

/* The whole 低保 procedure of a one-member household of a schoolgirl,
 * approved (57号 Arts. 15-22). */
static void
dibao_walk(long long id)
{
    walk_past_publicity(&srv, st, &clerk101, &county101, &reviewer101, id);
    act(&srv, &county101, id, "submit", NULL, 200);
    /* the dry run works for 低保 too (facts ignored): no income, the
     * urban standard 77000 for one member plus the 在校学生 increment
     * (dibao.increment.student) 10000 = 87000 fen a month */
    struct response r = {0};
    api_call(&srv, &county101, "POST",
             fmt("/api/v1/case-items/%lld/assessment", id), "{}", &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "program"), "dibao");
    assert_string_equal(resp_str(&r, "decision"), "eligible");
    assert_int_equal(json_integer_value(resp_get(&r, "amount_fen")), 87000);
    response_free(&r);
    act(&srv, &county101, id, "approve", NULL, 200);
    act(&srv, &clerk101, id, "notify", NULL, 200);
}

TEST_CASE(test_defacto_and_expense)
{
    struct response r = {0};
    /* a girl of 11 (born 2015-06-01, in 义务教育) on her own register */
    int64_t hh = household_of_one("周小燕", "20150601", 41,
                                  ",\"schooling\":\"compulsory\"");
    long long girl = member_id(&srv, &county101, hh, "周小燕");
    long long dibao = file_item(hh, "dibao", DIBAO_PAPERS);
    dibao_walk(dibao);
    /* 低保 (domain.md §1): no income, so the gap is the urban standard,
     * 77000, for one member, plus the 在校学生 increment (dibao.increment.
     * student) 10000: 87000 fen a month */
    item_get(&srv, &county101, dibao, &r);
    assert_int_equal(
        json_integer_value(resp_get(&r, "entitlement.monthly_fen")), 87000);

    /* 事实无人抚养: the father dead, the mother in prison for 24 ≥
     * defacto.condition_min_months (6) months */
    long long id = file_item(hh, "unsupported_child",
                             "\"id_card\",\"hukou\",\"guardian_id\","
                             "\"parents_status_proof\"");
    act(&srv, &clerk101, id, "submit", NULL, 200);
    char facts[256];
    snprintf(facts, sizeof(facts),
             "{\"member_id\":%lld,\"placement\":\"scattered\","
             "\"parents\":[{\"dead\":true},{\"custody\":\"prison\","
             "\"custody_months\":24}]}",
             girl);
    /* domain.md §5 补差: defacto.standard 165100 − the child's 低保 share
     * (the household's 87000 ÷ 1 member = 87000) = 78100 fen a month */
    api_call(&srv, &county101, "POST",
             fmt("/api/v1/case-items/%lld/assessment", id),
             fmt("{\"facts\":%s}", facts), &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "program"), "unsupported_child");
    assert_int_equal(json_integer_value(resp_get(&r, "amount_fen")), 78100);
    assert_string_equal(resp_str(&r, "explanation.programs.0.parts.0.kind"),
                        "top_up");
    act(&srv, &county101, id, "approve", fmt(",\"facts\":%s", facts), 200);
    item_get(&srv, &county101, id, &r);
    assert_int_equal(
        json_integer_value(resp_get(&r, "entitlement.monthly_fen")), 78100);
    act(&srv, &clerk101, id, "notify", NULL, 200);
    expect_notice(id, "unsupported_child", "eligible", 78100);

    /* 临时救助 支出型 for a medical bill of 2000 元 after insurance: a 低保
     * family passes the income and asset tests (Art. 47(2)); the unit is
     * the urban standard 77000 × 1 person; ceil(200000 ÷ 77000) = 3
     * months, within tempaid.expense.min_months (2) and max_months (12):
     * a one-off 231000 fen; above tempaid.township_approval.max_months
     * (2), so the county approves */
    id = file_item(
        hh, "tempaid_expense",
        "\"id_card\",\"hukou\",\"income_proof\",\"expense_receipts\"");
    act(&srv, &clerk101, id, "submit",
        ",\"investigators\":[\"刘一\",\"陈二\"]", 200);
    act(&srv, &reviewer101, id, "approve", NULL, 200);
    /* its 公示 has no amount yet: the county sets it on the facts */
    api_call(&srv, &clerk101, "GET",
             "/api/v1/publicity?village=500101001001&format=html", NULL, &r);
    expect_status(&r, 200);
    assert_non_null(strstr(r.body, "<td>临时救助（支出型）</td><td>周*燕</td>"
                                   "<td>1</td><td>待审批确定</td>"));
    publicity_elapse(st, id);
    act(&srv, &clerk101, id, "close", NULL, 200);
    act(&srv, &county101, id, "approve",
        ",\"facts\":{\"cause\":\"medical\",\"expense_fen\":200000,"
        "\"assets_within_rules\":true}",
        200);
    item_get(&srv, &county101, id, &r);
    assert_int_equal(json_integer_value(resp_get(&r, "item.amount_fen")),
                     231000);
    /* a one-off grant: no monthly entitlement, as before */
    assert_true(json_is_null(resp_get(&r, "entitlement")));
    act(&srv, &clerk101, id, "notify", NULL, 200);
    expect_notice(id, "tempaid_expense", "eligible", 231000);
    api_call(&srv, &clerk101, "GET", fmt("/api/v1/case-items/%lld/notice", id),
             NULL, &r);
    assert_int_equal(json_integer_value(resp_get(
                         &r, "explanation.programs.0.one_off_amount_fen")),
                     231000);
    /* the printed notice does not call the grant monthly */
    api_call(&srv, &clerk101, "GET",
             fmt("/api/v1/case-items/%lld/notice?format=html", id), NULL, &r);
    expect_status(&r, 200);
    assert_null(strstr(r.body, "月发放金额"));
    response_free(&r);
}

/* ---- 临时救助 急难型 ---- */

TEST_CASE(test_tempaid_urgent)
{
    struct response r = {0};
    /* ID number sequences 51 and 52 */
    int64_t hh =
        household_new(couple("孙志强", "19800808", "吴丽", "19820909", 25));
    long long id =
        file_item(hh, "tempaid_urgent", "\"id_card\",\"emergency_statement\"");
    /* 先行救助: the township grants first, the paperwork follows */
    act(&srv, &clerk101, id, "grant", ",\"amount_fen\":100000", 200);
    const struct refusal bad[] = {
        {0, "\"cause\":\"fire\",\"months_needed\":2,\"expense_fen\":1", 400,
         "UNKNOWN_FIELD", "facts.expense_fen"},
        {0, "\"cause\":\"fire\"", 400, "REQUIRED", "facts.months_needed"},
    };
    refused(&clerk101, id, "complete", bad);
    /* a fire (急难, no means test): the urban standard 77000 × 2 persons
     * (the member count: persons not given) × 2 months needed (within
     * tempaid.emergency.max_months, 3) = 308000 fen, one-off */
    act(&srv, &clerk101, id, "complete",
        ",\"facts\":{\"cause\":\"fire\",\"months_needed\":2}", 200);
    item_get(&srv, &clerk101, id, &r);
    assert_string_equal(resp_str(&r, "item.decision"), "approved");
    assert_int_equal(json_integer_value(resp_get(&r, "item.amount_fen")),
                     308000);
    json_t *f = last_facts(id, &r);
    assert_non_null(f);
    assert_string_equal(json_string_value(json_object_get(f, "cause")), "fire");
    act(&srv, &clerk101, id, "notify", NULL, 200);
    expect_notice(id, "tempaid_urgent", "eligible", 308000);
    response_free(&r);
}

/* ---- REVIEW: the decider's amount is required ---- */

TEST_CASE(test_review_needs_amount)
{
    struct response r = {0};
    int64_t hh = household_of_one("郑国华", "19700707", 61, "");
    long long id = file_item(
        hh, "tempaid_expense",
        "\"id_card\",\"hukou\",\"income_proof\",\"expense_receipts\"");
    walk_past_publicity(&srv, st, &clerk101, NULL, &reviewer101, id);
    /* not a 低保 family, and tempaid.expense.income_limit.urban is not
     * seeded (last year's per-capita disposable income, a statistic):
     * the engine asks for review (tempaid.h), amount indicative */
    const char *facts = ",\"facts\":{\"cause\":\"medical\","
                        "\"expense_fen\":200000,\"assets_within_rules\":true}";
    act_r(&srv, &county101, id, "approve", facts, &r);
    expect_error(&r, 400, "REQUIRED", "amount_fen");
    act(&srv, &county101, id, "approve", fmt("%s,\"amount_fen\":150000", facts),
        200);
    item_get(&srv, &county101, id, &r);
    assert_int_equal(json_integer_value(resp_get(&r, "item.amount_fen")),
                     150000);
    act(&srv, &clerk101, id, "notify", NULL, 200);
    expect_notice(id, "tempaid_expense", "review", 150000);
    api_call(&srv, &clerk101, "GET", fmt("/api/v1/case-items/%lld/notice", id),
             NULL, &r);
    assert_int_equal(
        json_integer_value(
            resp_get(&r, "explanation.programs.0.review.decided_amount_fen")),
        150000);
    assert_non_null(resp_str(&r, "explanation.programs.0.review.note_zh"));
    response_free(&r);
}

API_SUITE("decisions", group_setup, &srv, &st,
          cmocka_unit_test(test_disability_care),
          cmocka_unit_test(test_disability_living_not_eligible),
          cmocka_unit_test(test_orphan),
          cmocka_unit_test(test_defacto_and_expense),
          cmocka_unit_test(test_tempaid_urgent),
          cmocka_unit_test(test_review_needs_amount))
