/* SPDX-License-Identifier: MIT */
/* The household registry through the API on the real server
 * (src/api/api_households.c, api_imports.c): create, read masked and
 * unmasked, validation, one active household per person, optimistic
 * concurrency, members, deactivation, a full replace, listing for a
 * functional zone, and CSV imports and exports with their rows. */
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

#include "harness.h"
#include "principals.h"
#include "sqlite_plan.h"

#include "accounts/citizen.h"
#include "api/api.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/timeutil.h"
#include "crypto/pii.h"
#include "crypto/token.h"
#include "http/request.h"
#include "store/store_internal.h"
#include "http/router.h"
#include "domain/authz.h"
#include "domain/household.h"
#include "domain/idcard.h"
#include "registry/registry.h"


TEST_CASE(test_households)
{
    struct response r = {0};
    struct client *clerk = &sess[P_CLERK103], *c101 = &sess[P_COUNTY101];
    const char *a1 = idnum_in("500103", "19600315", 11),
               *kid = idnum_in("500103", "20150607", 22);
    char applicant[19], child[19];
    snprintf(applicant, sizeof(applicant), "%s", a1);
    snprintf(child, sizeof(child), "%s", kid);
    char *b;

    /* create: masked reply, version 1, the derived fields */
    b = household_body("500103001006", applicant, child, -1);
    api_call(&srv, clerk, "POST", "/api/v1/households", b, &r);
    free(b);
    expect_status(&r, 201);
    int64_t id = (int64_t)json_integer_value(resp_get(&r, "id"));
    assert_true(id > 0);
    assert_int_equal(json_integer_value(resp_get(&r, "version")), 1);
    assert_string_equal(resp_header(&r, "ETag"), "\"1\"");
    assert_string_equal(resp_str(&r, "county_code"), "500103");
    json_t *ms = resp_get(&r, "members");
    assert_int_equal(json_array_size(ms), 2);
    json_t *m0 = json_array_get(ms, 0), *m1 = json_array_get(ms, 1);
    assert_string_equal(json_string_value(json_object_get(m0, "id_number")),
                        fmt("%.6s********%s", applicant, applicant + 14));
    assert_string_equal(json_string_value(json_object_get(m0, "sex")), "M");
    assert_string_equal(json_string_value(json_object_get(m0, "birth_date")),
                        "1960-03-15");
    assert_string_equal(json_string_value(json_object_get(m1, "sex")), "F");
    assert_string_equal(
        json_string_value(json_object_get(m1, "disability_card")),
        fmt("%.6s********%s42", child, child + 14));
    assert_int_equal(json_array_size(json_object_get(m1, "selfcare_unable")),
                     2);
    assert_null(strstr(r.body, applicant));
    assert_null(strstr(r.body, child));
    int64_t kid_id = (int64_t)json_integer_value(json_object_get(m1, "id"));
    int64_t app_id = (int64_t)json_integer_value(json_object_get(m0, "id"));
    assert_int_equal(audit_rows_of(fmt("household:%lld", (long long)id)), 1);

    /* the database alone does not reveal the number */
    struct person_row ps[4];
    size_t n = 0;
    struct store_tx *tx = begin(STORE_READ);
    assert_int_equal(store_person_list(tx, id, ps, 4, &n), DD_OK);
    store_tx_rollback(tx);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < n; i++) {
        assert_null(strstr(ps[i].id_enc, applicant));
        assert_null(strstr(ps[i].id_enc, child));
        assert_null(strstr(ps[i].disability_card_enc, child));
        assert_int_equal(strncmp(ps[i].id_enc, "v2:", 3), 0);
        assert_int_equal(strlen(ps[i].id_hash), 64);
        assert_int_equal(ps[i].active, 1);
    }

    /* the engine's model */
    struct arena *ar = arena_new(1 << 20);
    struct registry_household rh;
    struct household hh;
    tx = begin(STORE_READ);
    assert_int_equal(registry_load(tx, ar, id, &rh), DD_OK);
    store_tx_rollback(tx);
    assert_int_equal(registry_to_household(&rh, "2026-01-01", &hh, NULL), DD_OK);
    assert_int_equal(hh.member_count, 2);
    assert_int_equal(hh.members[0].relation, HH_REL_APPLICANT);
    assert_int_equal(hh.members[0].income_fen[HH_INC_WAGES], 120000);
    assert_int_equal(hh.members[0].income_fen[HH_INC_TRANSFERS_OUT], 10000);
    assert_int_equal(hh.members[1].disability_category, HH_DIS_PHYSICAL);
    assert_int_equal(hh.members[1].disability_grade, 2);
    assert_int_equal(hh.members[1].selfcare_unable[HH_ADL_WALKING], 1);
    assert_int_equal(hh.members[1].income_fen[HH_INC_EX_DISABILITY_SUBSIDY],
                     8000);
    assert_int_equal(hh.members[1].birth_y, 2015);
    assert_int_equal(hh.asset_count, 2);
    assert_int_equal(hh.assets[0].kind, HH_ASSET_DWELLING);
    assert_int_equal(hh.assets[0].owner_member, 0);
    assert_int_equal(hh.assets[0].floor_area_dm2, 6500);
    assert_int_equal(hh.assets[1].owner_member, HH_ASSET_JOINT);
    assert_int_equal(hh.obligor_count, 1);
    assert_int_equal(hh.obligors[0].in_prison, 1);
    assert_int_equal(hh.obligors[0].birth_y, 1995);
    assert_int_equal(hh.standard_area, HH_AREA_URBAN);
    assert_string_equal(hh.hukou_county, "500103");
    arena_free(ar);

    /* validation names the field */
    b = household_body("500103001006", idnum_in("500103", "19600315", 13),
                       idnum_in("500103", "20150607", 24), -1);
    char *bad = strdup(b);
    char *p = strstr(bad, "2015-06-07");
    assert_non_null(p);
    memcpy(p, "2015-06-08", 10);
    api_call(&srv, clerk, "POST", "/api/v1/households", bad, &r);
    expect_error(&r, 400, "BIRTH_DATE_MISMATCH", "members[1].birth_date");
    free(bad);
    free(b);
    char wrong[19];
    snprintf(wrong, sizeof(wrong), "%s", idnum_in("500103", "19600315", 15));
    wrong[17] = wrong[17] == '0' ? '1' : '0';
    b = household_body("500103001006", wrong, NULL, -1);
    api_call(&srv, clerk, "POST", "/api/v1/households", b, &r);
    free(b);
    expect_error(&r, 400, "INVALID_ID_CHECKSUM", "members[0].id_number");
    b = household_body("500103001099", idnum_in("500103", "19600315", 17), NULL,
                       -1);
    api_call(&srv, clerk, "POST", "/api/v1/households", b, &r);
    free(b);
    expect_error(&r, 400, "UNKNOWN_REGION", "region_code");
    api_call(&srv, clerk, "POST", "/api/v1/households",
             fmt("{\"region_code\":\"500103001006\",\"hukou_region\":"
                 "\"500103001006\",\"urban_or_rural\":\"urban\",\"members\":"
                 "[{\"id_number\":\"%s\",\"name\":\"王\",\"relation\":"
                 "\"applicant\",\"disability_category\":4,"
                 "\"disability_grade\":1,\"disability_card\":\"%s42\"}]}",
                 idnum_in("500103", "19600315", 19),
                 idnum_in("500103", "19600315", 19)),
             &r);
    expect_error(&r, 400, "DISABILITY_CARD_MISMATCH",
                 "members[0].disability_grade");

    /* one active household per person: named in scope, not out of it */
    b = household_body("500103001003", idnum_in("500103", "19700101", 901),
                       child, -1);
    api_call(&srv, clerk, "POST", "/api/v1/households", b, &r);
    free(b);
    expect_error(&r, 409, "PERSON_IN_ANOTHER_HOUSEHOLD",
                 "members[1].id_number");
    assert_non_null(strstr(resp_str(&r, "error.message"),
                           fmt("%lld", (long long)id)));
    b = household_body("500101001001", applicant, NULL, -1);
    api_call(&srv, c101, "POST", "/api/v1/households", b, &r);
    free(b);
    expect_error(&r, 409, "PERSON_IN_ANOTHER_HOUSEHOLD",
                 "members[0].id_number");
    assert_null(strstr(resp_str(&r, "error.message"),
                       fmt("%lld", (long long)id)));

    /* scope: out of scope is not found */
    api_call(&srv, c101, "GET", fmt("/api/v1/households/%lld", (long long)id),
             NULL, &r);
    expect_error(&r, 404, "NOT_FOUND", NULL);

    /* unmasked reads: audited, one row per member, and only for roles
     * that may read personal data */
    size_t before = audit_rows_of(fmt("person:%lld", (long long)app_id));
    api_call(&srv, clerk, "GET",
             fmt("/api/v1/households/%lld?unmask=true", (long long)id), NULL,
             &r);
    expect_status(&r, 200);
    assert_non_null(strstr(r.body, applicant));
    assert_non_null(strstr(r.body, fmt("%s42", child)));
    assert_int_equal(audit_rows_of(fmt("person:%lld", (long long)app_id)),
                     before + 1);
    assert_int_equal(audit_rows_of(fmt("person:%lld", (long long)kid_id)),
                     1);
    api_call(&srv, &sess[P_ASSISTANT], "GET",
             fmt("/api/v1/households/%lld?unmask=true", (long long)id), NULL,
             &r);
    expect_status(&r, 404); /* 500103001006 is outside 500103001003 */
    api_call(&srv, &sess[P_CITY], "GET",
             fmt("/api/v1/households/%lld?unmask=true", (long long)id), NULL,
             &r);
    expect_error(&r, 403, "FORBIDDEN", NULL);
    api_call(&srv, clerk, "GET",
             fmt("/api/v1/households/%lld?unmask=yes", (long long)id), NULL,
             &r);
    expect_error(&r, 400, "INVALID_PARAMETER", "unmask");

    /* lookup by full ID number, in scope only */
    api_call(&srv, clerk, "GET",
             fmt("/api/v1/households?id_number=%s", child), NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "items")), 1);
    assert_int_equal(json_integer_value(json_object_get(
                         json_array_get(resp_get(&r, "items"), 0), "id")),
                     id);
    api_call(&srv, c101, "GET", fmt("/api/v1/households?id_number=%s", child),
             NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "items")), 0);
    api_call(&srv, clerk, "GET", "/api/v1/households?id_number=12345", NULL,
             &r);
    expect_error(&r, 400, "INVALID_ID_LENGTH", "id_number");
    /* the list and its cursor */
    api_call(&srv, clerk, "GET",
             "/api/v1/households?region=500103001006&limit=1", NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "items")), 1);
    api_call(&srv, c101, "GET", "/api/v1/households?region=500103", NULL,
             &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "items")), 0);
    /* a region wider than the scope: the scope's households, the same
     * as with none */
    api_call(&srv, clerk, "GET", "/api/v1/households?limit=200", NULL, &r);
    expect_status(&r, 200);
    size_t own = json_array_size(resp_get(&r, "items"));
    assert_true(own > 0);
    api_call(&srv, clerk, "GET", "/api/v1/households?region=500103&limit=200",
             NULL, &r);
    expect_status(&r, 200);
    json_t *items = resp_get(&r, "items");
    assert_int_equal(json_array_size(items), own);
    for (size_t i = 0; i < own; i++)
        assert_int_equal(strncmp(json_string_value(json_object_get(
                                     json_array_get(items, i), "region_code")),
                                 "500103001", 9),
                         0);

    /* optimistic concurrency */
    b = household_body("500103001006", applicant, child, 99);
    api_call(&srv, clerk, "PUT", fmt("/api/v1/households/%lld", (long long)id),
             b, &r);
    free(b);
    expect_error(&r, 409, "VERSION_CONFLICT", "version");
    b = household_body("500103001006", applicant, child, -1);
    api_call(&srv, clerk, "PUT", fmt("/api/v1/households/%lld", (long long)id),
             b, &r);
    free(b);
    expect_error(&r, 428, "VERSION_REQUIRED", "version");
    b = household_body("500103001006", applicant, NULL, 1);
    api_call(&srv, clerk, "PUT", fmt("/api/v1/households/%lld", (long long)id),
             b, &r);
    free(b);
    expect_status(&r, 200);
    assert_int_equal(json_integer_value(resp_get(&r, "version")), 2);
    assert_int_equal(json_array_size(resp_get(&r, "members")), 1);

    /* members: add (the child again, now free), remove */
    api_call(&srv, clerk, "POST",
             fmt("/api/v1/households/%lld/members", (long long)id),
             fmt("{\"id_number\":\"%s\",\"name\":\"张小\",\"relation\":"
                 "\"child\",\"version\":2}",
                 child),
             &r);
    expect_status(&r, 201);
    assert_int_equal(json_integer_value(resp_get(&r, "version")), 3);
    kid_id = (int64_t)json_integer_value(
        json_object_get(json_array_get(resp_get(&r, "members"), 1), "id"));
    app_id = (int64_t)json_integer_value(
        json_object_get(json_array_get(resp_get(&r, "members"), 0), "id"));
    api_call(&srv, clerk, "POST",
             fmt("/api/v1/households/%lld/members", (long long)id),
             fmt("{\"id_number\":\"%s\",\"name\":\"张小\",\"relation\":"
                 "\"child\",\"version\":2}",
                 idnum_in("500103", "20100101", 31)),
             &r);
    expect_error(&r, 409, "VERSION_CONFLICT", "version");
    api_call(&srv, clerk, "DELETE",
             fmt("/api/v1/households/%lld/members/%lld", (long long)id,
                 (long long)app_id),
             NULL, &r);
    expect_error(&r, 409, "APPLICANT_REQUIRED", NULL);
    api_call(&srv, clerk, "DELETE",
             fmt("/api/v1/households/%lld/members/%lld", (long long)id,
                 (long long)kid_id),
             NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "members")), 1);
    assert_int_equal(json_integer_value(resp_get(&r, "version")), 4);

    /* deactivation frees the members for another household */
    api_call(&srv, clerk, "DELETE",
             fmt("/api/v1/households/%lld", (long long)id), NULL, &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "status"), "inactive");
    api_call(&srv, clerk, "DELETE",
             fmt("/api/v1/households/%lld", (long long)id), NULL, &r);
    expect_error(&r, 409, "HOUSEHOLD_INACTIVE", NULL);
    assert_int_equal(audit_rows_of(fmt("household:%lld", (long long)id)), 5);
    int64_t id2 = create_household_ok(clerk, "500103001006", applicant, NULL);
    assert_true(id2 != id);
    api_call(&srv, clerk, "GET",
             fmt("/api/v1/households?id_number=%s", applicant), NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "items")), 2);
    response_free(&r);
}

/* A request with extra header lines (NULL-terminated). */
static void
call_with(const struct client *s, const char *method, const char *path,
          const char *body, const char *const *headers, struct response *r)
{
    struct request rq = {.method = method, .path = path, .body = body,
                         .sess = s, .headers = headers};
    http_do(&srv, &rq, r);
}

static int64_t
member_id(const struct response *r, size_t i)
{
    return (int64_t)json_integer_value(
        json_object_get(json_array_get(resp_get(r, "members"), i), "id"));
}

/* A full replace keeps the ids of the members it keeps (matched by ID
 * number), rewrites them in place, removes those left out (freeing them
 * for another household) and inserts the new; If-Match carries the
 * version: stale is 409, current is 200, malformed is 400 naming it. */
TEST_CASE(test_household_replace)
{
    struct response r = {0};
    struct client *clerk = &sess[P_CLERK103];
    char app[19], kid1[19], kid2[19];
    idnums_in("500103", app, "19520101", 101, kid1, "20180808", 102, kid2,
              "20180808", 104, NULL);
    char *b = household_body("500103001006", app, kid1, -1);
    api_call(&srv, clerk, "POST", "/api/v1/households", b, &r);
    free(b);
    expect_status(&r, 201);
    int64_t id = (int64_t)json_integer_value(resp_get(&r, "id"));
    int64_t app_id = member_id(&r, 0), kid1_id = member_id(&r, 1);
    const char *path = strdup(fmt("/api/v1/households/%lld", (long long)id));

    /* If-Match: stale, malformed, then current (it wins over a stale
     * "version" in the body) */
    b = household_body("500103001006", app, kid2, -1);
    call_with(clerk, "PUT", path, b,
              (const char *const[]){"If-Match: \"7\"", NULL}, &r);
    expect_error(&r, 409, "VERSION_CONFLICT", "version");
    call_with(clerk, "PUT", path, b,
              (const char *const[]){"If-Match: seven", NULL}, &r);
    expect_error(&r, 400, "INVALID_IF_MATCH", "If-Match");
    call_with(clerk, "PUT", path, b,
              (const char *const[]){"If-Match: \"\"", NULL}, &r);
    expect_error(&r, 400, "INVALID_IF_MATCH", "If-Match");
    assert_int_equal(household_version(id), 1);
    free(b);
    b = household_body("500103001006", app, kid2, 7);
    call_with(clerk, "PUT", path, b,
              (const char *const[]){"If-Match: \"1\"", NULL}, &r);
    free(b);
    expect_status(&r, 200);
    assert_int_equal(json_integer_value(resp_get(&r, "version")), 2);
    assert_string_equal(resp_header(&r, "ETag"), "\"2\"");
    /* the applicant kept their id; the first child left, the second is
     * new */
    assert_int_equal(json_array_size(resp_get(&r, "members")), 2);
    assert_int_equal(member_id(&r, 0), app_id);
    int64_t kid2_id = member_id(&r, 1);
    assert_true(kid2_id != kid1_id && kid2_id != app_id);
    assert_string_equal(
        json_string_value(json_object_get(
            json_array_get(resp_get(&r, "members"), 1), "id_number")),
        fmt("%.6s********%s", kid2, kid2 + 14));
    /* the holdings point at the members as they are now */
    json_t *ob = json_array_get(resp_get(&r, "obligors"), 0);
    assert_int_equal(json_integer_value(json_object_get(ob, "of_member")), 0);
    json_t *as = json_array_get(resp_get(&r, "assets"), 0);
    assert_int_equal(json_integer_value(json_object_get(as, "owner_member")),
                     0);
    /* the first child is gone from the store, and free to join another
     * household */
    struct person_row ps[4];
    size_t n = 0;
    struct store_tx *tx = begin(STORE_READ);
    assert_int_equal(store_person_list(tx, id, ps, 4, &n), DD_OK);
    store_tx_rollback(tx);
    assert_int_equal(n, 2);
    assert_int_equal(ps[0].id, app_id);
    assert_int_equal(ps[1].id, kid2_id);
    int64_t other = create_household_ok(
        clerk, "500103001006", idnum_in("500103", "19520101", 105), NULL);
    api_call(&srv, clerk, "POST",
             fmt("/api/v1/households/%lld/members", (long long)other),
             fmt("{\"id_number\":\"%s\",\"name\":\"张小\",\"relation\":"
                 "\"child\",\"version\":1}",
                 kid1),
             &r);
    expect_status(&r, 201);

    /* the same people again, with the applicant's name, income and
     * schooling changed: same ids, new values, in place (W/ is taken) */
    char *b0 = household_body("500103001006", app, kid2, -1);
    char *p = strstr(b0, "张大");
    assert_non_null(p);
    b = strdup(fmt("%.*s张大伟%s", (int)(p - b0), b0, p + strlen("张大")));
    free(b0);
    p = strstr(b, "120000");
    assert_non_null(p);
    memcpy(p, "130000", 6);
    call_with(clerk, "PUT", path, b,
              (const char *const[]){"If-Match: W/\"2\"", NULL}, &r);
    free(b);
    expect_status(&r, 200);
    assert_int_equal(json_integer_value(resp_get(&r, "version")), 3);
    assert_int_equal(member_id(&r, 0), app_id);
    assert_int_equal(member_id(&r, 1), kid2_id);
    json_t *m0 = json_array_get(resp_get(&r, "members"), 0);
    assert_string_equal(json_string_value(json_object_get(m0, "name")),
                        "张大伟");
    json_t *inc = json_array_get(json_object_get(m0, "incomes"), 0);
    assert_string_equal(json_string_value(json_object_get(inc, "kind")),
                        "wages");
    assert_int_equal(json_integer_value(json_object_get(inc, "monthly_fen")),
                     130000);
    assert_int_equal(json_array_size(json_object_get(m0, "incomes")), 2);
    assert_int_equal(
        json_array_size(json_object_get(
            json_array_get(resp_get(&r, "members"), 1), "incomes")),
        1);
    /* what was read back is what is stored */
    api_call(&srv, clerk, "GET", path, NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(member_id(&r, 0), app_id);
    assert_int_equal(member_id(&r, 1), kid2_id);

    /* a new member active elsewhere is refused, named at its place */
    b = household_body("500103001006", app, kid1, -1);
    call_with(clerk, "PUT", path, b,
              (const char *const[]){"If-Match: 3", NULL}, &r);
    free(b);
    expect_error(&r, 409, "PERSON_IN_ANOTHER_HOUSEHOLD",
                 "members[1].id_number");
    assert_int_equal(household_version(id), 3);
    free((char *)path);
    response_free(&r);
}

/* The household plain (a JSON object) with fields put first, sent by
 * clerk as method to path; version, when not 0, the If-Match it carries. */
static void
call_fields(const struct client *clerk, const char *method, const char *path,
            const char *fields, const char *plain, int version,
            struct response *r)
{
    char *b = strdup(fmt("{%s,%s", fields, plain + 1));
    const char *const if_match[] = {fmt("If-Match: \"%d\"", version), NULL};
    call_with(clerk, method, path, b, version ? if_match : NULL, r);
    free(b);
}

/* Listing households for a functional-zone scope (several township
 * prefixes): only the zone's, in id order, page by page through the
 * cursor, and narrowed by a region within it. */
/* The contact phone and payee bank account (PIPL sensitive data): checked
 * with the field named, shown masked only, sealed bound to the household
 * (opening needs its row key), the phone's blind index the citizen sign-in
 * index, kept when a replace leaves them out or sends the masked form
 * back, cleared with "", and each write's audit row carries the digest
 * `doudi check` compares. */
TEST_CASE(test_household_contact)
{
    struct response r = {0};
    struct client *clerk = &sess[P_CLERK103];
    char app[19];
    idnums_in("500103", app, "19580202", 131, NULL);
    char *plain = household_body("500103001006", app, NULL, -1);

    call_fields(clerk, "POST", "/api/v1/households",
                "\"contact_phone\":\"12812345678\"", plain, 0, &r);
    expect_error(&r, 400, "INVALID_VALUE", "contact_phone");
    assert_non_null(strstr(resp_str(&r, "error.message_zh"), "手机号码"));
    call_fields(clerk, "POST", "/api/v1/households",
                "\"bank_account\":\"62220212345\"", plain, 0, &r);
    expect_error(&r, 400, "INVALID_VALUE", "bank_account");
    call_fields(clerk, "POST", "/api/v1/households",
                "\"bank_account\":\"6222 0212 3456 7890\"", plain, 0, &r);
    expect_error(&r, 400, "INVALID_VALUE", "bank_account");

    call_fields(clerk, "POST", "/api/v1/households",
                "\"contact_phone\":\"13812345678\","
                "\"bank_account\":\"6222021234567890123\"",
                plain, 0, &r);
    expect_status(&r, 201);
    int64_t id = (int64_t)json_integer_value(resp_get(&r, "id"));
    assert_string_equal(resp_str(&r, "contact_phone"), "138****5678");
    assert_string_equal(resp_str(&r, "bank_account"), "6222***********0123");
    assert_null(strstr(r.body, "13812345678"));
    assert_null(strstr(r.body, "6222021234567890123"));
    const char *path = strdup(fmt("/api/v1/households/%lld", (long long)id));
    api_call(&srv, clerk, "GET", fmt("%s?unmask=true", path), NULL, &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "contact_phone"), "138****5678");
    assert_null(strstr(r.body, "6222021234567890123"));

    /* sealed for this household's row only; the phone's index is the one
     * a citizen signing in with it gets */
    struct pii_keys *k = NULL;
    struct household_row h;
    char back[32], index[PII_BLIND_INDEX_LEN + 1], row[24], other[24];
    assert_int_equal(pii_keys_load(srv.key_path, &k), DD_OK);
    struct store_tx *tx = begin(STORE_READ);
    assert_int_equal(store_household_get(tx, id, &h), DD_OK);
    store_tx_rollback(tx);
    snprintf(row, sizeof(row), "%lld", (long long)id);
    snprintf(other, sizeof(other), "%lld", (long long)id + 1);
    assert_null(strstr(h.bank_account_enc, "0123"));
    assert_int_equal(pii_open(k, &PII_AD_HOUSEHOLD_BANK(row),
                              h.bank_account_enc, back, sizeof(back)),
                     DD_OK);
    assert_string_equal(back, "6222021234567890123");
    assert_int_equal(pii_open(k, &PII_AD_HOUSEHOLD_BANK(other),
                              h.bank_account_enc, back, sizeof(back)),
                     DD_EINVAL);
    assert_int_equal(pii_open(k, &PII_AD_HOUSEHOLD_PHONE(row),
                              h.bank_account_enc, back, sizeof(back)),
                     DD_EINVAL);
    assert_int_equal(pii_open(k, &PII_AD_HOUSEHOLD_PHONE(row),
                              h.contact_phone_enc, back, sizeof(back)),
                     DD_OK);
    assert_string_equal(back, "13812345678");
    citizen_phone_index(k, "13812345678", index);
    assert_string_equal(h.contact_phone_hash, index);
    pii_keys_free(k);

    /* a replace without them, or with the masked forms back, keeps them */
    call_with(clerk, "PUT", path, plain,
              (const char *const[]){"If-Match: \"1\"", NULL}, &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "bank_account"), "6222***********0123");
    call_fields(clerk, "PUT", path,
                "\"contact_phone\":\"138****5678\","
                "\"bank_account\":\"6222***********0123\"",
                plain, 2, &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "contact_phone"), "138****5678");
    tx = begin(STORE_READ);
    struct household_row h2;
    assert_int_equal(store_household_get(tx, id, &h2), DD_OK);
    store_tx_rollback(tx);
    assert_string_equal(h2.bank_account_enc, h.bank_account_enc);
    assert_string_equal(h2.contact_phone_hash, h.contact_phone_hash);
    /* a new number, and "" clears */
    call_fields(clerk, "PUT", path,
                "\"contact_phone\":\"15900001111\",\"bank_account\":\"\"",
                plain, 3, &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "contact_phone"), "159****1111");
    assert_true(json_is_null(resp_get(&r, "bank_account")));
    /* every write's audit row carries the household's digest */
    assert_int_equal(audit_rows_of(fmt("household:%lld", (long long)id)), 4);
    struct audit_row ar[4];
    struct audit_filter f = {.object = fmt("household:%lld", (long long)id)};
    size_t an = 0;
    tx = begin(STORE_READ);
    assert_int_equal(store_audit_list(tx, &f, ar, 4, &an), DD_OK);
    store_tx_rollback(tx);
    assert_int_equal(an, 4);
    for (size_t i = 0; i < an; i++)
        assert_non_null(strstr(ar[i].detail, "\"digest\":\""));
    response_free(&r);
    free(plain);
    free((char *)path);
}

/* A county's list pages through its villages in turn, in (village, id)
 * order from the cursor household's key, each household once, whatever
 * order they were made in; on SQLite the page is a range of
 * household_by_region, neither a scan of the table nor a sort. */
TEST_CASE(test_household_list_by_village)
{
    struct response r = {0};
    struct client county;
    create_user_ok("qijiang.lister", "county_officer", NULL, "500110");
    login_ok(&srv, "qijiang.lister", TEST_PASSWORD, &county);
    /* made B, A, B, A, C: listed A, A, B, B, C */
    static const char *const villages[] = {"500110002003", "500110002002",
                                           "500110002003", "500110002002",
                                           "500110003001"};
    static const int order[] = {1, 3, 0, 2, 4};
    int64_t id[5];
    for (int i = 0; i < 5; i++)
        id[i] = create_household_ok(&county, villages[i],
                                    idnum_in("500110", "19600101", 301 + 2 * i),
                                    NULL);
    const char *cursor = NULL;
    int seen = 0;
    for (int page = 0; page < 4; page++) {
        api_call(&srv, &county, "GET",
                 fmt("/api/v1/households?region=500110&limit=2%s%s",
                     cursor ? "&cursor=" : "", cursor ? cursor : ""),
                 NULL, &r);
        expect_status(&r, 200);
        json_t *items = resp_get(&r, "items");
        for (size_t i = 0; i < json_array_size(items); i++, seen++) {
            assert_true(seen < 5);
            assert_int_equal(json_integer_value(json_object_get(
                                 json_array_get(items, i), "id")),
                             id[order[seen]]);
        }
        json_t *next = resp_get(&r, "next_cursor");
        cursor = json_is_null(next)
                     ? NULL
                     : fmt("%lld", (long long)json_integer_value(next));
        if (!cursor)
            break;
    }
    assert_null(cursor);
    assert_int_equal(seen, 5);
    response_free(&r);
    plan_expect("household list",
                sqlite_plan(store_stmt_sql(STMT_HOUSEHOLD_LIST, 0)),
                "SEARCH household USING INDEX household_by_region",
                "SCAN household", "TEMP B-TREE", NULL);
    plan_expect("household list",
                pg_plan(store_stmt_sql(STMT_HOUSEHOLD_LIST, 1), NULL),
                "Index Cond: ((region_code >= $1)", "Seq Scan", "Sort", NULL);
}

/* An auditor's log of a county, or of a finer region: the rows under it
 * and no others, read from audit_by_county in seq order (on SQLite and
 * PostgreSQL, by plan). */
TEST_CASE(test_audit_by_region)
{
    struct response r = {0};
    struct client county, auditor;
    create_user_ok("jiangbei.clerk", "county_officer", NULL, "500105");
    create_user_ok("jiangbei.auditor", "auditor", NULL, "500105");
    login_ok(&srv, "jiangbei.clerk", TEST_PASSWORD, &county);
    login_ok(&srv, "jiangbei.auditor", TEST_PASSWORD, &auditor);
    static const char *const villages[] = {"500105001001", "500105002001",
                                           "500105001002"};
    for (int i = 0; i < 3; i++)
        create_household_ok(&county, villages[i],
                            idnum_in("500105", "19700101", 401 + 2 * i), NULL);
    /* the county: its three creations, and the township: two of them */
    static const struct {
        const char *region;
        size_t rows;
    } want[] = {{"500105", 3}, {"500105001", 2}, {"500105002001", 1}};
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        api_call(&srv, &auditor, "GET",
                 fmt("/api/v1/audit?region=%s&action=household.create",
                     want[i].region),
                 NULL, &r);
        expect_status(&r, 200);
        json_t *items = resp_get(&r, "items");
        assert_int_equal(json_array_size(items), want[i].rows);
        for (size_t k = 0; k < json_array_size(items); k++)
            assert_int_equal(strncmp(json_string_value(json_object_get(
                                         json_array_get(items, k), "region")),
                                     want[i].region, strlen(want[i].region)),
                             0);
    }
    response_free(&r);
    plan_expect("audit by county",
                sqlite_plan(store_stmt_sql(STMT_AUDIT_LIST_COUNTY, 0)),
                "SEARCH audit USING INDEX audit_by_county", "TEMP B-TREE",
                NULL);
    plan_expect("audit by county",
                pg_plan(store_stmt_sql(STMT_AUDIT_LIST_COUNTY, 1), "ittiiitt"),
                "audit_by_county", "Seq Scan", "Sort", NULL);
}

TEST_CASE(test_household_zone_list)
{
    struct response r = {0};
    struct client zone, qj;
    create_user_ok("zone.officer", "county_officer", NULL, "zone:wansheng");
    create_user_ok("qijiang.officer", "county_officer", NULL, "500110");
    login_ok(&srv, "zone.officer", TEST_PASSWORD, &zone);
    login_ok(&srv, "qijiang.officer", TEST_PASSWORD, &qj);
    /* 万盛街道 (500110004) and 东林街道 (500110005) are in the zone, 古南街道
     * (500110001) is not, nor is 渝中区 */
    int64_t in[4];
    int64_t out1 = create_household_ok(
        &qj, "500110001001", idnum_in("500103", "19520101", 201), NULL);
    in[0] = create_household_ok(&zone, "500110004001",
                                idnum_in("500103", "19520101", 203), NULL);
    in[1] = create_household_ok(&zone, "500110005001",
                                idnum_in("500103", "19520101", 205), NULL);
    int64_t out2 =
        create_household_ok(&sess[P_CLERK103], "500103001006",
                            idnum_in("500103", "19520101", 207), NULL);
    in[2] = create_household_ok(&qj, "500110004002",
                                idnum_in("500103", "19520101", 209), NULL);
    int64_t out3 = create_household_ok(
        &qj, "500110001002", idnum_in("500103", "19520101", 211), NULL);
    in[3] = create_household_ok(&zone, "500110005002",
                                idnum_in("500103", "19520101", 213), NULL);
    (void)out1;
    (void)out2;
    (void)out3;

    /* two per page: 2 + 2, the cursor after each */
    const char *cursor = NULL;
    size_t seen = 0;
    for (int page = 0; page < 3; page++) {
        api_call(&srv, &zone, "GET",
                 cursor ? fmt("/api/v1/households?limit=2&cursor=%s", cursor)
                        : "/api/v1/households?limit=2",
                 NULL, &r);
        expect_status(&r, 200);
        json_t *items = resp_get(&r, "items");
        for (size_t i = 0; i < json_array_size(items); i++) {
            assert_true(seen < 4);
            assert_int_equal(json_integer_value(json_object_get(
                                 json_array_get(items, i), "id")),
                             in[seen]);
            seen++;
        }
        json_t *next = resp_get(&r, "next_cursor");
        if (json_is_null(next)) {
            cursor = NULL;
            break;
        }
        assert_int_equal(json_array_size(items), 2);
        assert_int_equal(json_integer_value(next), in[seen - 1]);
        cursor = fmt("%lld", (long long)json_integer_value(next));
    }
    assert_null(cursor);
    assert_int_equal(seen, 4);
    /* all at once: exactly four, no cursor */
    api_call(&srv, &zone, "GET", "/api/v1/households?limit=200", NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "items")), 4);
    assert_true(json_is_null(resp_get(&r, "next_cursor")));
    /* narrowed to 东林街道; a region outside the zone gives nothing */
    api_call(&srv, &zone, "GET", "/api/v1/households?region=500110005",
             NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "items")), 2);
    assert_int_equal(json_integer_value(json_object_get(
                         json_array_get(resp_get(&r, "items"), 0), "id")),
                     in[1]);
    assert_int_equal(json_integer_value(json_object_get(
                         json_array_get(resp_get(&r, "items"), 1), "id")),
                     in[3]);
    api_call(&srv, &zone, "GET",
             fmt("/api/v1/households?region=500110005&limit=1&cursor=%lld",
                 (long long)in[1]),
             NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "items")), 1);
    assert_int_equal(json_integer_value(json_object_get(
                         json_array_get(resp_get(&r, "items"), 0), "id")),
                     in[3]);
    assert_true(json_is_null(resp_get(&r, "next_cursor")));
    api_call(&srv, &zone, "GET", "/api/v1/households?region=500110001",
             NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "items")), 0);
    /* a household out of the zone is not found by id either */
    api_call(&srv, &zone, "GET",
             fmt("/api/v1/households/%lld", (long long)out3), NULL, &r);
    expect_error(&r, 404, "NOT_FOUND", NULL);
    response_free(&r);
}

/* ---- imports and exports ---- */

/* The n-th rejection's field as text ("" when absent). */
static const char *
rejection(const struct response *r, size_t n, const char *field)
{
    json_t *v = json_object_get(json_array_get(resp_get(r, "rejected"), n),
                                field);
    static char out[64];
    if (json_is_integer(v))
        snprintf(out, sizeof(out), "%lld", (long long)json_integer_value(v));
    else
        snprintf(out, sizeof(out), "%s",
                 json_is_string(v) ? json_string_value(v) : "");
    return out;
}

/* Posts rq (an import) into r: 200 with these many rows inserted,
 * updated, skipped and rejected (-1: not checked). */
static void
import_expect(const struct request *rq, struct response *r, long long inserted,
              long long updated, long long skipped, long long rejected)
{
    static const char *const what[] = {"inserted", "updated", "skipped",
                                       "rejected_count"};
    const long long want[] = {inserted, updated, skipped, rejected};
    http_do(&srv, rq, r);
    expect_status(r, 200);
    for (size_t i = 0; i < 4; i++) {
        long long got = json_integer_value(resp_get(r, what[i]));
        if (want[i] != -1 && got != want[i])
            fail_msg("%s: %s %lld expected, got %lld: %.1000s", r->what,
                     what[i], want[i], got, r->body ? r->body : "");
    }
}

TEST_CASE(test_imports)
{
    struct response r = {0};
    char good[19], bad[19], far[19];
    idnums_in("500103", good, "19740404", 1, bad, "19740404", 2, far,
              "19740404", 3, NULL);
    bad[17] = bad[17] == '0' ? '1' : '0'; /* a wrong check character */
    const char *csv = fmt(
        "户编号,与申请人关系,姓名,公民身份号码,现居住地区划代码,"
        "户籍地区划代码,城乡,工资性收入（元/月）\r\n"
        "A,申请人,导入甲,%s,500103001003,500103001003,城镇,1500.00\r\n"
        "B,申请人,导入乙,%s,500103001003,500103001003,城镇,\r\n"
        "C,申请人,导入丙,%s,500101017200,500101017200,农村,\r\n",
        good, bad, far);
    struct request rq = {.method = "POST", .path = "/api/v1/imports",
                         .body = csv, .sess = &sess[P_CLERK103],
                         .content_type = "text/csv"};
    import_expect(&rq, &r, 1, -1, 0, 2);
    assert_string_equal(rejection(&r, 0, "line"), "3");
    assert_string_equal(rejection(&r, 0, "column"), "公民身份号码");
    assert_string_equal(rejection(&r, 0, "code"), "INVALID_ID_CHECKSUM");
    assert_string_equal(rejection(&r, 1, "line"), "4");
    assert_string_equal(rejection(&r, 1, "column"), "现居住地区划代码");
    assert_string_equal(rejection(&r, 1, "code"), "OUT_OF_SCOPE");

    /* the same body again changes nothing */
    import_expect(&rq, &r, 0, -1, 1, -1);

    /* JSON is not CSV; the village assistant does not import */
    rq.content_type = NULL;
    http_do(&srv, &rq, &r);
    expect_error(&r, 415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type");
    rq.content_type = "text/csv";
    rq.sess = &sess[P_ASSISTANT];
    http_do(&srv, &rq, &r);
    expect_error(&r, 403, "FORBIDDEN", NULL);

    /* the export holds the imported household, masked */
    char masked[19];
    snprintf(masked, sizeof(masked), "%.6s********%.4s", good, good + 14);
    api_call(&srv, &sess[P_CLERK103], "GET",
             "/api/v1/exports/households?region=500103001003", NULL, &r);
    expect_status(&r, 200);
    assert_non_null(r.body);
    assert_non_null(strstr(r.body, fmt("导入甲,%s,500103001003", masked)));
    assert_null(strstr(r.body, good));
    assert_non_null(strstr(resp_header(&r, "Content-Type"), "text/csv"));
    api_call(&srv, &sess[P_CLERK103], "GET",
             "/api/v1/exports/households?format=xlsx", NULL, &r);
    expect_status(&r, 200);
    assert_true(r.body_len > 100 && memcmp(r.body, "PK", 2) == 0);
    api_call(&srv, &sess[P_CLERK103], "GET",
             "/api/v1/exports/households?format=pdf", NULL, &r);
    expect_error(&r, 400, "INVALID_PARAMETER", "format");
    /* out of scope: 404, as every read outside it */
    api_call(&srv, &sess[P_COUNTY101], "GET",
             "/api/v1/exports/households?region=500103", NULL, &r);
    expect_error(&r, 404, "NOT_FOUND", NULL);
    response_free(&r);
}

/* The household with this applicant, read back (id and version). */
static int64_t
imported(const char *applicant, struct response *r)
{
    api_call(&srv, &sess[P_CLERK103], "GET",
             fmt("/api/v1/households?id_number=%s", applicant), NULL, r);
    expect_status(r, 200);
    assert_int_equal(json_array_size(resp_get(r, "items")), 1);
    int64_t id = json_integer_value(
        json_object_get(json_array_get(resp_get(r, "items"), 0), "id"));
    api_call(&srv, &sess[P_CLERK103], "GET",
             fmt("/api/v1/households/%lld", (long long)id), NULL, r);
    expect_status(r, 200);
    return id;
}

/* Asset and obligor rows, a household's rows apart, a changed household
 * updated with a new version and an unchanged re-run that changes
 * nothing, on either store. */
TEST_CASE(test_imports_rows)
{
    struct response r = {0};
    char a1[19], a2[19], e1[19];
    idnums_in("500103", a1, "19740505", 1, a2, "19740505", 2, e1, "19740505", 3,
              NULL);
    const char *head =
        "户编号,行类型,与申请人关系,姓名,公民身份号码,现居住地区划代码,"
        "户籍地区划代码,城乡,工资性收入（元/月）,基础养老金（元/月）,"
        "所属成员身份号码,与所属成员关系,资产类别,资产价值（元）,"
        "住房面积（平方米）,义务人情形\r\n";
    /* D's spouse, dwelling and obligor come after E */
    char *body = strdup(fmt(
        "%s"
        "D,,申请人,行甲,%s,500103001003,500103001003,城镇,1500.00,,,,,,,\r\n"
        "E,,申请人,行丙,%s,500103001003,500103001003,农村,,,,,,,,\r\n"
        "D,成员,配偶,行乙,%s,,,,,120.00,,,,,,\r\n"
        "D,资产,,,,,,,,,%s,,住房,250000.00,64.50,\r\n"
        "D,义务人,,行父,,,,,,,%s,子女,,,,服刑、低保对象\r\n",
        head, a1, e1, a2, a1, a1));
    assert_non_null(body);
    struct request rq = {.method = "POST", .path = "/api/v1/imports",
                         .body = body, .sess = &sess[P_CLERK103],
                         .content_type = "text/csv"};
    import_expect(&rq, &r, 2, -1, -1, 0);
    int64_t id = imported(a1, &r);
    assert_int_equal(json_integer_value(resp_get(&r, "version")), 1);
    assert_int_equal(json_array_size(resp_get(&r, "members")), 2);
    json_t *as = json_array_get(resp_get(&r, "assets"), 0);
    assert_string_equal(json_string_value(json_object_get(as, "kind")),
                        "dwelling");
    assert_int_equal(json_integer_value(json_object_get(as, "value_fen")),
                     25000000);
    assert_int_equal(json_integer_value(json_object_get(as, "area_dm2")), 6450);
    assert_int_equal(json_integer_value(json_object_get(as, "owner_member")), 0);
    json_t *ob = json_array_get(resp_get(&r, "obligors"), 0);
    assert_int_equal(json_integer_value(json_object_get(ob, "of_member")), 0);
    assert_string_equal(json_string_value(json_object_get(ob, "relation")),
                        "child");
    assert_true(json_is_true(json_object_get(ob, "in_prison")));
    assert_true(json_is_true(json_object_get(ob, "is_dibao_recipient")));
    assert_true(json_is_false(json_object_get(ob, "is_tekun")));
    int64_t audits = audit_rows_of(fmt("household:%lld", (long long)id));

    /* the same body again changes nothing */
    import_expect(&rq, &r, 0, 0, 2, -1);
    imported(a1, &r);
    assert_int_equal(json_integer_value(resp_get(&r, "version")), 1);
    assert_int_equal(audit_rows_of(fmt("household:%lld", (long long)id)),
                     audits);

    /* D's wages change and the obligor goes: a new version of D, with a
     * household.update audit row; E is unchanged */
    char *changed = strdup(fmt(
        "%s"
        "D,,申请人,行甲,%s,500103001003,500103001003,城镇,1800.00,,,,,,,\r\n"
        "E,,申请人,行丙,%s,500103001003,500103001003,农村,,,,,,,,\r\n"
        "D,成员,配偶,行乙,%s,,,,,120.00,,,,,,\r\n"
        "D,资产,,,,,,,,,%s,,住房,250000.00,64.50,\r\n",
        head, a1, e1, a2, a1));
    assert_non_null(changed);
    rq.body = changed;
    import_expect(&rq, &r, 0, 1, 1, -1);
    assert_int_equal(imported(a1, &r), id);
    assert_int_equal(json_integer_value(resp_get(&r, "version")), 2);
    assert_int_equal(json_array_size(resp_get(&r, "obligors")), 0);
    assert_int_equal(json_array_size(resp_get(&r, "members")), 2);
    assert_int_equal(audit_rows_of(fmt("household:%lld", (long long)id)),
                     audits + 1);
    /* ... and again: nothing */
    import_expect(&rq, &r, -1, 0, 2, -1);
    imported(a1, &r);
    assert_int_equal(json_integer_value(resp_get(&r, "version")), 2);

    /* an asset naming no member: rejected on its line and column */
    char f1[19];
    snprintf(f1, sizeof(f1), "%s", idnum_in("500103", "19740505", 4));
    rq.body = fmt("%s"
                  "F,,申请人,行丁,%s,500103001003,500103001003,城镇,,,,,,,,"
                  "\r\n"
                  "F,资产,,,,,,,,,%s,,车辆,1000,,\r\n",
                  head, f1, e1 /* E's applicant: not in F */);
    import_expect(&rq, &r, 0, -1, -1, -1);
    assert_string_equal(rejection(&r, 0, "line"), "3");
    assert_string_equal(rejection(&r, 0, "column"), "所属成员身份号码");
    assert_string_equal(rejection(&r, 0, "code"), "NO_SUCH_MEMBER");
    response_free(&r);
    free(body);
    free(changed);
}

API_SUITE("households", principals_setup, &srv, &st,
          cmocka_unit_test(test_households),
          cmocka_unit_test(test_household_replace),
          cmocka_unit_test(test_household_contact),
          cmocka_unit_test(test_household_list_by_village),
          cmocka_unit_test(test_audit_by_region),
          cmocka_unit_test(test_household_zone_list),
          cmocka_unit_test(test_imports), cmocka_unit_test(test_imports_rows))
