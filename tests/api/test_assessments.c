/* SPDX-License-Identifier: MIT */
/* Policy parameters and the assessments that read them, through the API on
 * the real server (src/api/api_policy.c, api_assess.c): versioned
 * parameters, the self-check calculator, assessing a stored household,
 * and the urban or rural standard (the household's or its district's). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cases_helpers.h"
#include "harness.h"
#include "principals.h"

#include "accounts/citizen.h"
#include "api/api.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/timeutil.h"
#include "crypto/pii.h"
#include "crypto/token.h"
#include "http/request.h"
#include "http/router.h"
#include "domain/authz.h"
#include "domain/household.h"
#include "domain/idcard.h"
#include "registry/registry.h"

/* ---- 11. policy parameters ---- */

/* The item of key in a reply's items, or NULL. */
static json_t *
policy_item(const struct response *r, const char *key)
{
    json_t *items = resp_get(r, "items"), *it;
    size_t i;
    json_array_foreach(items, i, it) {
        if (strcmp(json_string_value(json_object_get(it, "key")), key) == 0)
            return it;
    }
    return NULL;
}

static json_int_t
item_int(json_t *it, const char *field)
{
    assert_non_null(it);
    return json_integer_value(json_object_get(it, field));
}

static const char *
item_str(json_t *it, const char *field)
{
    assert_non_null(it);
    return json_string_value(json_object_get(it, field));
}

static char *
policy_body(const char *key, const char *region, const char *date,
            long long value, const char *unit, const char *source)
{
    json_t *o = json_object();
    json_object_set_new(o, "key", json_string(key));
    json_object_set_new(o, "region_code", json_string(region));
    json_object_set_new(o, "effective_from", json_string(date));
    json_object_set_new(o, "value", json_integer(value));
    json_object_set_new(o, "unit", json_string(unit));
    if (source)
        json_object_set_new(o, "source", json_string(source));
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

TEST_CASE(test_policy)
{
    struct response r = {0};
    struct client *city = &sess[P_CITY], *clerk = &sess[P_CLERK103];
    const char *urban = "dibao.standard.urban";

    /* the seed is loaded: 2023-09 raised the urban standard 717 → 735
     * (渝民发〔2023〕10号) */
    api_call(&srv, clerk, "GET", "/api/v1/policy?as_of=2023-08-31", NULL,
             &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "as_of"), "2023-08-31");
    assert_string_equal(resp_str(&r, "region"), "50");
    json_t *it = policy_item(&r, urban);
    assert_int_equal(item_int(it, "value"), 71700);
    assert_string_equal(item_str(it, "effective_from"), "2022-09-01");
    assert_string_equal(item_str(it, "region_code"), "50");
    assert_string_equal(item_str(it, "unit"), "fen/month");
    assert_non_null(item_str(it, "source"));
    assert_non_null(item_str(it, "confidence"));
    assert_int_equal(item_int(policy_item(&r, "dibao.standard.rural"),
                              "value"),
                     58100);
    /* 刚性支出 rules start 2025-01-01: not in force yet, left out */
    assert_null(policy_item(&r, "rigid.lookback_months"));
    api_call(&srv, clerk, "GET", "/api/v1/policy?as_of=2023-09-01", NULL,
             &r);
    expect_status(&r, 200);
    it = policy_item(&r, urban);
    assert_int_equal(item_int(it, "value"), 73500);
    assert_string_equal(item_str(it, "effective_from"), "2023-09-01");
    assert_int_equal(item_int(policy_item(&r, "tekun.basic"), "value"),
                     95500);
    /* today by default, one key */
    api_call(&srv, clerk, "GET", fmt("/api/v1/policy?key=%s", urban), NULL,
             &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "items")), 1);
    assert_true(item_int(policy_item(&r, urban), "value") >= 77000);
    assert_int_equal(strlen(resp_str(&r, "as_of")), 10);

    /* a district override through the API, from 2024-01-01 in 渝中区 */
    int64_t seq0 = audit_tail_seq();
    char *b = policy_body(urban, "500103", "2024-01-01", 80000, "fen/month",
                          "渝中区 test notice 2023-12");
    api_call(&srv, city, "POST", "/api/v1/policy", b, &r);
    expect_status(&r, 201);
    assert_string_equal(resp_str(&r, "region_code"), "500103");
    assert_string_equal(resp_str(&r, "effective_from"), "2024-01-01");
    assert_string_equal(resp_str(&r, "confidence"), "H");
    assert_string_equal(resp_str(&r, "created_by"), "city");
    assert_int_equal(json_integer_value(resp_get(&r, "value")), 80000);
    /* audited in the same transaction: exactly one row */
    assert_int_equal(audit_tail_seq(), seq0 + 1);
    json_t *rows = audit_rows(&sess[P_AUDITOR],
                              "object=policy:dibao.standard.urban/500103/"
                              "2024-01-01");
    assert_int_equal(json_array_size(rows), 1);
    json_t *row = json_array_get(rows, 0);
    assert_string_equal(json_string_value(json_object_get(row, "action")),
                        "policy.create");
    assert_string_equal(json_string_value(json_object_get(row, "actor")),
                        "city");
    assert_string_equal(json_string_value(json_object_get(row, "region")),
                        "500103");
    json_decref(rows);

    /* it takes effect at once, from its date, in its county only */
    const struct {
        const char *query;
        long long want;
        const char *from;
    } cases[] = {
        {"as_of=2024-01-01&region=500103", 80000, "500103"},
        {"as_of=2024-06-30&region=500103001", 80000, "500103"},
        {"as_of=2024-06-30&region=500103001003", 80000, "500103"},
        {"as_of=2023-12-31&region=500103", 73500, "50"},
        {"as_of=2024-01-01&region=500101", 73500, "50"},
        {"as_of=2024-01-01", 73500, "50"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        api_call(&srv, clerk, "GET",
                 fmt("/api/v1/policy?key=%s&%s", urban, cases[i].query), NULL,
                 &r);
        expect_status(&r, 200);
        it = policy_item(&r, urban);
        if (item_int(it, "value") != cases[i].want ||
            strcmp(item_str(it, "region_code"), cases[i].from) != 0)
            fail_msg("%s: got %lld from %s", cases[i].query,
                     (long long)item_int(it, "value"),
                     item_str(it, "region_code"));
    }
    /* and in the history, with the city's versions */
    api_call(&srv, &sess[P_MEDICAL], "GET",
             fmt("/api/v1/policy/history?key=%s", urban), NULL, &r);
    expect_status(&r, 200);
    json_t *items = resp_get(&r, "items");
    assert_true(json_array_size(items) >= 9);
    json_t *last = json_array_get(items, json_array_size(items) - 1);
    assert_string_equal(item_str(last, "region_code"), "500103");
    assert_string_equal(item_str(last, "created_by"), "city");
    assert_string_equal(item_str(json_array_get(items, 0), "effective_from"),
                        "2018-01-01");
    assert_string_equal(item_str(json_array_get(items, 0), "created_by"),
                        "cli");

    /* refusals leave no version and no audit row */
    seq0 = audit_tail_seq();
    /* a town clerk may read but not write */
    api_call(&srv, clerk, "POST", "/api/v1/policy", b, &r);
    expect_error(&r, 403, "FORBIDDEN", NULL);
    /* the same version again: 409, whatever the value */
    api_call(&srv, city, "POST", "/api/v1/policy", b, &r);
    expect_error(&r, 409, "POLICY_VERSION_EXISTS", "effective_from");
    free(b);
    b = policy_body(urban, "500103", "2024-01-01", 1, "fen/month", "x");
    api_call(&srv, city, "POST", "/api/v1/policy", b, &r);
    expect_error(&r, 409, "POLICY_VERSION_EXISTS", "effective_from");
    free(b);
    /* clang-format off */
    const struct {
        const char *key, *region, *date, *unit, *source;
        long long value;
        const char *code, *field;
    } bad[] = {
        {urban, "500103", "2024-02-30", "fen/month", "s", 1, "INVALID_DATE", "effective_from"},
        {urban, "500103", "2024/03/01", "fen/month", "s", 1, "INVALID_DATE", "effective_from"},
        {urban, "500103", "1999-03-01", "fen/month", "s", 1, "INVALID_DATE", "effective_from"},
        {urban, "500103", "2024-3-1", "fen/month", "s", 1, "TOO_SHORT", "effective_from"},
        {"dibao.standard.suburban", "50", "2024-03-01", "fen/month", "s", 1, "UNKNOWN_POLICY_KEY", "key"},
        {"DIBAO", "50", "2024-03-01", "fen/month", "s", 1, "UNKNOWN_POLICY_KEY", "key"},
        {urban, "500199", "2024-03-01", "fen/month", "s", 1, "UNKNOWN_REGION", "region_code"},
        {urban, "500103", "2024-03-01", "fen/month", "s", 1, NULL, NULL},
        {urban, "51", "2024-03-01", "fen/month", "s", 1, "UNKNOWN_REGION", "region_code"},
        {urban, "500000", "2024-03-01", "fen/month", "s", 1, "UNKNOWN_REGION", "region_code"},
        {urban, "50", "2024-03-01", "yuan/month", "s", 1, "UNIT_MISMATCH", "unit"},
        {urban, "50", "2024-03-01", "fen/month", "  ", 1, "SOURCE_REQUIRED", "source"},
        {urban, "50", "2024-03-01", "fen/month", "", 1, "TOO_SHORT", "source"},
        {urban, "50", "2024-03-01", "fen/month", NULL, 1, "MISSING_FIELD", "source"},
        {urban, "50", "2024-03-01", "fen/month", "s", -1, "OUT_OF_RANGE", "value"},
        {urban, "50", "2024-03-01", "fen/month", "s", 1000000001, "OUT_OF_RANGE", "value"},
        /* dibao.area.default is 0 mixed, 1 urban or 2 rural; a flag 0/1;
         * the spot-check share a percent */
        {"dibao.area.default", "500103", "2024-03-01", "mode", "s", 3, "OUT_OF_RANGE", "value"},
        {"dibao.confirm.delegated", "500103", "2024-03-01", "flag", "s", 2, "OUT_OF_RANGE", "value"},
        {"tekun.spot_check.percent", "500103", "2024-03-01", "percent", "s", 101, "OUT_OF_RANGE", "value"},
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (!bad[i].code)
            continue; /* a 9-digit township is covered next */
        b = policy_body(bad[i].key, bad[i].region, bad[i].date, bad[i].value,
                        bad[i].unit, bad[i].source);
        api_call(&srv, city, "POST", "/api/v1/policy", b, &r);
        free(b);
        expect_error(&r, 400, bad[i].code, bad[i].field);
    }
    /* a township is not a level that carries overrides */
    b = policy_body(urban, "500103001", "2024-03-01", 1, "fen/month", "s");
    api_call(&srv, city, "POST", "/api/v1/policy", b, &r);
    free(b);
    expect_error(&r, 400, "TOO_LONG", "region_code");
/* a version of the urban standard but for its last fields */
#define URBAN_50                                                               \
    "{\"key\":\"dibao.standard.urban\",\"region_code\":\"50\","                \
    "\"effective_from\":\"2024-03-01\",\"value\":1,"                           \
    "\"unit\":\"fen/month\",\"source\":\"s\""
    /* clang-format off */
    const struct call_want fields_refused[] = {
        {city, "POST", "/api/v1/policy", URBAN_50 ",\"confidence\":\"sure\"}", 400, "INVALID_CONFIDENCE", "confidence"},
        {city, "POST", "/api/v1/policy", URBAN_50 ",\"note\":\"x\"}", 400, "UNKNOWN_FIELD", "note"},
    };
    /* clang-format on */
#undef URBAN_50
    calls_expect(&srv, fields_refused);
    assert_int_equal(audit_tail_seq(), seq0);
    api_call(&srv, clerk, "GET",
             fmt("/api/v1/policy?key=%s&as_of=2024-03-01", urban), NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(item_int(policy_item(&r, urban), "value"), 73500);

    /* query parameters */
    /* clang-format off */
    const struct call_want params_refused[] = {
        {clerk, "GET", "/api/v1/policy?as_of=2023-13-01", NULL, 400, "INVALID_PARAMETER", "as_of"},
        {clerk, "GET", "/api/v1/policy?as_of=2023-10-01T00:00:00Z", NULL, 400, "INVALID_PARAMETER", "as_of"},
        {clerk, "GET", "/api/v1/policy?region=5001", NULL, 400, "INVALID_REGION_CODE", "region"},
        {clerk, "GET", "/api/v1/policy?region=510104", NULL, 404, "REGION_NOT_FOUND", "region"},
        {clerk, "GET", "/api/v1/policy?key=no.such.key", NULL, 404, "POLICY_KEY_NOT_FOUND", "key"},
        {clerk, "GET", "/api/v1/policy/history", NULL, 400, "MISSING_PARAMETER", "key"},
        {clerk, "GET", "/api/v1/policy/history?key=no.such.key", NULL, 404, "POLICY_KEY_NOT_FOUND", "key"},
    };
    /* clang-format on */
    calls_expect(&srv, params_refused);
    /* before the seed's first date nothing is in force */
    api_call(&srv, clerk, "GET", "/api/v1/policy?as_of=2017-12-31", NULL,
             &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "items")), 0);
    response_free(&r);
}

/* ---- the self-check calculator ---- */

/* The program object of name in a calculator reply, or NULL. */
static json_t *
calc_program(const struct response *r, const char *name)
{
    json_t *progs = resp_get(r, "programs"), *p;
    size_t i;
    json_array_foreach(progs, i, p)
    {
        if (strcmp(json_string_value(json_object_get(p, "program")), name) ==
            0)
            return p;
    }
    return NULL;
}

static json_int_t
calc_amount(const struct response *r, const char *name)
{
    json_t *p = calc_program(r, name);
    assert_non_null(p);
    return json_integer_value(json_object_get(p, "monthly_amount_fen"));
}

/* r answers 200 as of as_of for region, program with decision and
 * amount; program's object in it. */
static json_t *
calc_expect(const struct response *r, const char *as_of, const char *region,
            const char *program, const char *decision, json_int_t amount)
{
    expect_status(r, 200);
    assert_string_equal(resp_str(r, "as_of"), as_of);
    assert_string_equal(resp_str(r, "region_code"), region);
    assert_int_equal(calc_amount(r, program), amount);
    json_t *p = calc_program(r, program);
    assert_string_equal(json_string_value(json_object_get(p, "decision")),
                        decision);
    return p;
}

TEST_CASE(test_calculator)
{
    struct response r = {0};

    /* 2022-08-31, urban standard 636 (渝民〔2021〕143号): per capita
     * 600 / 3 = 200; gap (636 − 200) × 3 = 1,308; spouse 重残 +60 and
     * 残疾人员 +40; child 在校学生 +100: 1,508.00 */
    api_call(&srv, NULL, "POST", "/api/v1/calculator?as_of=2022-08-31",
             CALC_HOUSEHOLD, &r);
    json_t *dibao =
        calc_expect(&r, "2022-08-31", "500103", "dibao", "eligible", 150800);
    /* the parts and the explanation's amounts add up to the amount */
    json_int_t sum = 0;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(dibao, "parts"), i, x)
        sum += json_integer_value(json_object_get(x, "amount_fen"));
    assert_int_equal(sum, 150800);
    sum = 0;
    json_t *lines = json_object_get(dibao, "explanation");
    assert_true(json_array_size(lines) > 3);
    json_array_foreach(lines, i, x)
    {
        sum += json_integer_value(json_object_get(x, "amount_fen"));
        assert_non_null(json_string_value(json_object_get(x, "rule")));
        assert_non_null(json_string_value(json_object_get(x, "clause")));
        assert_true(json_is_object(json_object_get(x, "values")));
        assert_true(strlen(json_string_value(json_object_get(x, "text_zh"))) >
                    0);
        assert_true(strlen(json_string_value(json_object_get(x, "text_en"))) >
                    0);
    }
    assert_int_equal(sum, 150800);
    assert_int_equal(calc_amount(&r, "tekun"), 0);
    assert_string_equal(json_string_value(json_object_get(
                            calc_program(&r, "tekun"), "decision")),
                        "not_eligible");

    /* 2023-10-01, standard 735 (渝民发〔2023〕10号): (735 − 200) × 3 = 1,605
     * + 200 = 1,805.00; a signed-in caller gets the same (public route) */
    api_call(&srv, &sess[P_CITY], "POST",
             "/api/v1/calculator?as_of=2023-10-01", CALC_HOUSEHOLD, &r);
    expect_status(&r, 200);
    assert_int_equal(calc_amount(&r, "dibao"), 180500);

    /* as_of defaults to today: some answer, dated */
    api_call(&srv, NULL, "POST", "/api/v1/calculator", CALC_MINIMAL, &r);
    expect_status(&r, 200);
    assert_non_null(resp_str(&r, "as_of"));

    /* bad bodies name the field by its path */
    /* the start of most bodies below */
#define CALC_HEAD "{\"region_code\":\"500103\",\"urban_or_rural\":\"urban\","
    static const struct {
        const char *body, *code, *field;
    } bad[] = {
        {CALC_HEAD "\"members\":[{\"relation\":\"applicant\",\"age\":40},"
                   "{\"relation\":\"spouse\",\"age\":38,\"incomes\":{\"wages\":"
                   "\"lots\"}}]}",
         "WRONG_TYPE", "members[1].incomes.wages"},
        {CALC_HEAD "\"members\":[{\"relation\":\"applicant\",\"age\":40,"
                   "\"incomes\":{\"wages\":-1}}]}",
         "OUT_OF_RANGE", "members[0].incomes.wages"},
        {CALC_HEAD "\"members\":[{\"relation\":\"applicant\",\"age\":40,"
                   "\"incomes\":{\"salary\":1}}]}",
         "UNKNOWN_FIELD", "members[0].incomes.salary"},
        /* no identity is taken */
        {CALC_HEAD "\"members\":[{\"relation\":\"applicant\",\"age\":40,"
                   "\"name\":\"张三\"}]}",
         "UNKNOWN_FIELD", "members[0].name"},
        {CALC_HEAD "\"id_number\":\"x\",\"members\":[]}", "UNKNOWN_FIELD",
         "id_number"},
        {CALC_HEAD "\"members\":[{\"age\":40}]}", "MISSING_FIELD",
         "members[0].relation"},
        {CALC_HEAD "\"members\":[{\"relation\":\"applicant\"}]}",
         "MISSING_FIELD", "members[0].birth_date"},
        {CALC_HEAD "\"members\":[{\"relation\":\"cousin\",\"age\":40}]}",
         "INVALID_VALUE", "members[0].relation"},
        {CALC_HEAD "\"members\":[{\"relation\":\"applicant\",\"age\":40,"
                   "\"selfcare_unable\":[\"eating\",\"flying\"]}]}",
         "INVALID_VALUE", "members[0].selfcare_unable[1]"},
        {CALC_HEAD "\"members\":[{\"relation\":\"applicant\",\"age\":40,"
                   "\"disability_category\":\"visual\"}]}",
         "INVALID_VALUE", "members[0].disability_grade"},
        {CALC_HEAD "\"members\":[{\"relation\":\"applicant\",\"age\":40}],"
                   "\"assets\":[{\"kind\":\"deposit\",\"owner_member\":3,"
                   "\"value_fen\":1}]}",
         "INVALID_VALUE", "assets[0].owner_member"},
        {"{\"region_code\":\"500103\",\"urban_or_rural\":\"town\","
         "\"members\":[{\"relation\":\"applicant\",\"age\":40}]}",
         "INVALID_VALUE", "urban_or_rural"},
        {"{\"urban_or_rural\":\"urban\","
         "\"members\":[{\"relation\":\"applicant\",\"age\":40}]}",
         "MISSING_FIELD", "region_code"},
        {"{\"region_code\":\"5001\",\"urban_or_rural\":\"urban\","
         "\"members\":[{\"relation\":\"applicant\",\"age\":40}]}",
         "INVALID_REGION_CODE", "region_code"},
        {"{\"region_code\":\"500199\",\"urban_or_rural\":\"urban\","
         "\"members\":[{\"relation\":\"applicant\",\"age\":40}]}",
         "REGION_NOT_FOUND", "region_code"},
        {CALC_HEAD "\"members\":{}}", "WRONG_TYPE", "members"},
        {"[1]", "NOT_AN_OBJECT", NULL},
        {"{\"region_code\":", "MALFORMED_JSON", NULL},
    };
#undef CALC_HEAD
    for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        api_call(&srv, NULL, "POST", "/api/v1/calculator?as_of=2023-10-01",
                 bad[k].body, &r);
        expect_error(&r, 400, bad[k].code, bad[k].field);
    }
    /* the date */
    const struct call_want bad_dates[] = {
        {NULL, "POST", "/api/v1/calculator?as_of=2023-02-30", CALC_MINIMAL, 400,
         "INVALID_PARAMETER", "as_of"},
        {NULL, "POST", "/api/v1/calculator?as_of=2023-10-01&x=1", CALC_MINIMAL,
         400, "UNKNOWN_PARAMETER", "x"},
        /* before the policy table covers: the missing key is named */
        {NULL, "POST", "/api/v1/calculator?as_of=2015-06-01", CALC_MINIMAL, 422,
         "POLICY_NOT_IN_FORCE", "dibao.standard.urban"},
    };
    calls_expect(&srv, bad_dates);
    /* JSON only */
    struct request rq = {.method = "POST",
                         .path = "/api/v1/calculator?as_of=2023-10-01",
                         .body = CALC_MINIMAL,
                         .content_type = "text/plain"};
    http_do(&srv, &rq, &r);
    expect_error(&r, 415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type");
    /* one route, POST only */
    api_call(&srv, NULL, "GET", "/api/v1/calculator", NULL, &r);
    expect_error(&r, 405, "METHOD_NOT_ALLOWED", NULL);
    response_free(&r);
}

/* ---- assessing a stored household ---- */

/* ID numbers in 渝中 for CALC_HOUSEHOLD's applicant (born 1980-03-15),
 * spouse (1982-06-01) and child (2012-09-01): sequences base + 1, + 2 and
 * + 4. */
static void
calc_ids(int base, char *app, char *spouse, char *kid)
{
    idnums_in("500103", app, "19800315", base + 1, spouse, "19820601", base + 2,
              kid, "20120901", base + 4, NULL);
}

TEST_CASE(test_household_assessment)
{
    struct response r = {0};
    struct client *clerk = &sess[P_CLERK103];
    char app[19], spouse[19], kid[19];
    calc_ids(610, app, spouse, kid);

    /* CALC_HOUSEHOLD registered with identities (urban, 渝中区 village
     * 500103001006): applicant wages 600.00; spouse 肢体 grade 2 with the
     * 两项补贴 80.00 (an excluded income); a child in compulsory school;
     * deposits 5,000.00; one 60 m² dwelling; the applicant is the others'
     * obligor */
    int64_t id = household_create(
        &srv, clerk,
        fmt("{\"region_code\":\"500103001006\",\"hukou_region\":"
            "\"500103001006\",\"address\":\"和平路 9 号\","
            "\"urban_or_rural\":\"urban\",\"members\":["
            "{\"id_number\":\"%s\",\"name\":\"李大\",\"relation\":"
            "\"applicant\",\"employed\":true,\"incomes\":[{\"kind\":"
            "\"wages\",\"monthly_fen\":60000}]},"
            "{\"id_number\":\"%s\",\"name\":\"王二\",\"relation\":"
            "\"spouse\",\"disability_category\":4,"
            "\"disability_grade\":2,\"disability_card\":\"%s42\","
            "\"work_capacity\":\"none\","
            "\"incomes\":[{\"kind\":\"ex_disability_subsidy\","
            "\"monthly_fen\":8000}]},"
            "{\"id_number\":\"%s\",\"name\":\"李小\",\"relation\":"
            "\"child\",\"schooling\":\"compulsory\"}],"
            "\"assets\":[{\"kind\":\"deposit\",\"value_fen\":500000},"
            "{\"kind\":\"dwelling\",\"area_dm2\":6000}],"
            "\"obligors\":[{\"of_member\":1,\"relation\":\"spouse\","
            "\"name\":\"李大\",\"birth_date\":\"1980-03-15\","
            "\"income_monthly_fen\":60000},{\"of_member\":2,"
            "\"relation\":\"parent\",\"name\":\"李大\",\"birth_date\":"
            "\"1980-03-15\",\"income_monthly_fen\":60000}]}",
            app, spouse, spouse, kid));
    char obj[40], path[64]; /* fmt's buffers are reused */
    snprintf(obj, sizeof(obj), "household:%lld", (long long)id);
    snprintf(path, sizeof(path), "/api/v1/households/%lld/assessment",
             (long long)id);
    size_t audited = audit_rows_of(obj);

    /* 2022-08-31, urban standard 636.00 (渝民〔2021〕143号): per capita
     * 600 / 3 = 200; gap (636 − 200) × 3 = 1,308; spouse 重残 +60 and
     * 残疾人员 +40; child 在校学生 +100: 1,508.00 */
    api_call(&srv, clerk, "POST", fmt("%s?as_of=2022-08-31", path), NULL, &r);
    json_t *dibao = calc_expect(&r, "2022-08-31", "500103001006", "dibao",
                                "eligible", 150800);
    assert_true(json_array_size(json_object_get(dibao, "explanation")) > 3);
    assert_true(json_array_size(json_object_get(dibao, "parts")) > 0);
    assert_int_equal(calc_amount(&r, "tekun"), 0);
    /* no identity in the reply */
    assert_null(strstr(r.body, app));
    assert_null(strstr(r.body, spouse));
    /* a read of personal data: one household.assess row */
    assert_int_equal(audit_rows_of(obj), audited + 1);

    /* 2023-10-01, standard 735.00 (渝民发〔2023〕10号): (735 − 200) × 3 =
     * 1,605 + 200 = 1,805.00, the calculator's figure */
    api_call(&srv, &sess[P_COUNTY103], "POST",
             fmt("%s?as_of=2023-10-01", path), NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(calc_amount(&r, "dibao"), 180500);
    assert_int_equal(audit_rows_of(obj), audited + 2);

    /* today by default */
    api_call(&srv, clerk, "POST", path, NULL, &r);
    expect_status(&r, 200);
    assert_non_null(resp_str(&r, "as_of"));

    /* out of scope: not found, and not audited; the sysadmin: forbidden */
    api_call(&srv, &sess[P_COUNTY101], "POST",
             fmt("%s?as_of=2023-10-01", path), NULL, &r);
    expect_error(&r, 404, "NOT_FOUND", NULL);
    api_call(&srv, &sess[P_CLERK101], "POST",
             fmt("%s?as_of=2023-10-01", path), NULL, &r);
    expect_error(&r, 404, "NOT_FOUND", NULL);
    api_call(&srv, &sess[P_ADMIN], "POST", fmt("%s?as_of=2023-10-01", path),
             NULL, &r);
    expect_error(&r, 403, "FORBIDDEN", NULL);
    assert_int_equal(audit_rows_of(obj), audited + 3);
    /* a household that does not exist, a bad date, a date before the
     * policy table */
    const struct call_want missing_or_bad[] = {
        {clerk, "POST", "/api/v1/households/999999/assessment", NULL, 404,
         "NOT_FOUND", NULL},
        {clerk, "POST", fmt("%s?as_of=2023-02-30", path), NULL, 400,
         "INVALID_PARAMETER", "as_of"},
        {clerk, "POST", fmt("%s?as_of=2015-06-01", path), NULL, 422,
         "POLICY_NOT_IN_FORCE", "dibao.standard.urban"},
    };
    calls_expect(&srv, missing_or_bad);
    assert_int_equal(audit_rows_of(obj), audited + 3);
    response_free(&r);
}

/* ---- the urban or rural standard: the household's or its district's ---- */

/* s with the first "from" replaced by "to" (in one of fmt's buffers). */
static const char *
replaced(const char *s, const char *from, const char *to)
{
    const char *at = strstr(s, from);
    assert_non_null(at);
    return fmt("%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
}

/* The first explanation line's rule of a program in an assessment reply. */
static const char *
first_rule(const struct response *r, const char *prog)
{
    json_t *lines = json_object_get(calc_program(r, prog), "explanation");
    return json_string_value(json_object_get(json_array_get(lines, 0), "rule"));
}

/* domain.md §7.1 and the seed: 南岸 500108 applies the urban figure to all
 * residents from 2023-09-01 (dibao.area.default 1); the city default is 0
 * (mixed: each household's own setting). CALC_HOUSEHOLD with its hukou in
 * 南岸, on 2023-10-01 (urban 735, rural 600, 渝民发〔2023〕10号):
 *   "district" (the default when omitted) → urban: per capita 600 / 3 =
 *     200; (735 − 200) × 3 = 1,605 + 重残 60 + 残疾人员 40 + 在校学生 100
 *     = 1,805.00;
 *   explicit "rural" wins: (600 − 200) × 3 = 1,200 + 200 = 1,400.00;
 *   "district" with the hukou in 渝中 500103 (mixed) → 400 on create or
 *     replace, 422 on assessment and in the calculator, naming
 *     urban_or_rural; 南岸 on 2022-08-31, before its row, is mixed too. */
TEST_CASE(test_household_area)
{
    struct response r = {0};
    struct client *clerk = &sess[P_CLERK103];
    char app[19], spouse[19], kid[19];
    calc_ids(620, app, spouse, kid);
    /* living in 渝中 (the clerk's scope), hukou in 南岸; no urban_or_rural */
    char *body = strdup(fmt(
        "{\"region_code\":\"500103001006\",\"hukou_region\":"
        "\"500108001002\",\"address\":\"和平路 10 号\",\"members\":["
        "{\"id_number\":\"%s\",\"name\":\"赵大\",\"relation\":"
        "\"applicant\",\"employed\":true,\"incomes\":[{\"kind\":"
        "\"wages\",\"monthly_fen\":60000}]},"
        "{\"id_number\":\"%s\",\"name\":\"钱二\",\"relation\":"
        "\"spouse\",\"disability_category\":4,"
        "\"disability_grade\":2,\"disability_card\":\"%s42\","
        "\"work_capacity\":\"none\","
        "\"incomes\":[{\"kind\":\"ex_disability_subsidy\","
        "\"monthly_fen\":8000}]},"
        "{\"id_number\":\"%s\",\"name\":\"赵小\",\"relation\":"
        "\"child\",\"schooling\":\"compulsory\"}],"
        "\"assets\":[{\"kind\":\"deposit\",\"value_fen\":500000},"
        "{\"kind\":\"dwelling\",\"area_dm2\":6000}]}",
        app, spouse, spouse, kid));

    /* the same household with its hukou in 渝中 (mixed): refused, and
     * nothing stored */
    api_call(&srv, clerk, "POST", "/api/v1/households",
             replaced(body, "\"hukou_region\":\"500108001002\"",
                      "\"hukou_region\":\"500103001006\""),
             &r);
    expect_error(&r, 400, "DISTRICT_AREA_MIXED", "urban_or_rural");
    assert_non_null(strstr(r.body, "urban"));
    api_call(&srv, clerk, "POST", "/api/v1/households",
             replaced(body, "\"members\"", "\"urban_or_rural\":\"town\","
                                           "\"members\""),
             &r);
    expect_error(&r, 400, "UNKNOWN_CODE", "urban_or_rural");

    api_call(&srv, clerk, "POST", "/api/v1/households", body, &r);
    expect_status(&r, 201);
    assert_string_equal(resp_str(&r, "urban_or_rural"), "district");
    int64_t id = (int64_t)json_integer_value(resp_get(&r, "id"));
    char path[64], hpath[48];
    snprintf(path, sizeof(path), "/api/v1/households/%lld/assessment",
             (long long)id);
    snprintf(hpath, sizeof(hpath), "/api/v1/households/%lld", (long long)id);

    api_call(&srv, clerk, "POST", fmt("%s?as_of=2023-10-01", path), NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(calc_amount(&r, "dibao"), 180500);
    assert_string_equal(first_rule(&r, "dibao"), "area.district");
    assert_string_equal(first_rule(&r, "tekun"), "area.district");
    /* before 南岸's row: the city's mixed default, nothing to follow */
    api_call(&srv, clerk, "POST", fmt("%s?as_of=2022-08-31", path), NULL, &r);
    expect_error(&r, 422, "DISTRICT_AREA_MIXED", "urban_or_rural");

    /* a replace to explicit rural: the household's setting wins */
    api_call(&srv, clerk, "PUT", hpath,
             replaced(body, "\"members\"",
                      "\"urban_or_rural\":\"rural\",\"version\":1,"
                      "\"members\""),
             &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "urban_or_rural"), "rural");
    api_call(&srv, clerk, "POST", fmt("%s?as_of=2023-10-01", path), NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(calc_amount(&r, "dibao"), 140000);
    assert_string_equal(first_rule(&r, "dibao"), "area.household");
    /* a replace to "district" with the hukou moved to 渝中: refused */
    api_call(&srv, clerk, "PUT", hpath,
             replaced(replaced(body, "\"members\"",
                               "\"urban_or_rural\":\"district\","
                               "\"version\":2,\"members\""),
                      "\"hukou_region\":\"500108001002\"",
                      "\"hukou_region\":\"500103001006\""),
             &r);
    expect_error(&r, 400, "DISTRICT_AREA_MIXED", "urban_or_rural");
    api_call(&srv, clerk, "GET", hpath, NULL, &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "urban_or_rural"), "rural");
    free(body);

    /* the calculator: "district" follows county_code, else region_code's
     * county */
    const char *calc = replaced(CALC_HOUSEHOLD, "\"urban_or_rural\":\"urban\"",
                                "\"urban_or_rural\":\"district\","
                                "\"county_code\":\"500108\"");
    api_call(&srv, NULL, "POST", "/api/v1/calculator?as_of=2023-10-01", calc,
             &r);
    expect_status(&r, 200);
    assert_int_equal(calc_amount(&r, "dibao"), 180500);
    assert_string_equal(first_rule(&r, "dibao"), "area.district");
    api_call(&srv, NULL, "POST", "/api/v1/calculator?as_of=2023-10-01",
             replaced(CALC_HOUSEHOLD, "\"urban_or_rural\":\"urban\"",
                      "\"urban_or_rural\":\"rural\","
                      "\"county_code\":\"500108\""),
             &r);
    expect_status(&r, 200);
    assert_int_equal(calc_amount(&r, "dibao"), 140000);
    const struct call_want district_refused[] = {
        {NULL, "POST", "/api/v1/calculator?as_of=2023-10-01",
         replaced(CALC_HOUSEHOLD, "\"urban_or_rural\":\"urban\"",
                  "\"urban_or_rural\":\"district\""),
         422, "DISTRICT_AREA_MIXED", "urban_or_rural"},
        {NULL, "POST", "/api/v1/calculator?as_of=2023-10-01",
         replaced(CALC_HOUSEHOLD, "\"urban_or_rural\":\"urban\"",
                  "\"urban_or_rural\":\"district\","
                  "\"county_code\":\"500199\""),
         400, "REGION_NOT_FOUND", "county_code"},
        {NULL, "POST", "/api/v1/calculator?as_of=2023-10-01",
         replaced(CALC_HOUSEHOLD, "\"urban_or_rural\":\"urban\"",
                  "\"urban_or_rural\":\"district\","
                  "\"county_code\":\"500108001\""),
         400, "INVALID_REGION_CODE", "county_code"},
    };
    calls_expect(&srv, district_refused);
    response_free(&r);
}

API_SUITE("assessments", principals_setup, &srv, &st,
          cmocka_unit_test(test_policy), cmocka_unit_test(test_calculator),
          cmocka_unit_test(test_household_assessment),
          cmocka_unit_test(test_household_area))
