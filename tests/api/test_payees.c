/* SPDX-License-Identifier: MIT */
/* Payees and their bank accounts (issue 13 §2) through the API on both
 * stores: a UnionPay card with its Luhn digit entered by a township clerk
 * and confirmed by the county (four eyes: the clerk confirming it is 409
 * SAME_PERSON), a second account superseding it, a third rejected; bad
 * numbers, names, banks and kinds (400 naming each); the number never in
 * a masked reply's bytes, shown and audited on ?unmask=true; out of scope
 * 404; the bank file's question (the active account unsealed); an
 * orphan's entitlement paid to the guardian, and a payee named by the
 * county (version-checked, audited), who then cannot be removed from
 * the household (409 MEMBER_IN_PAYMENTS); `doudi check` after all of it, and
 * on SQLite naming an account changed or its number moved outside
 * Doudi. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/payees.h"
#include "cases_helpers.h"
#include "crypto/pii.h"
#include "harness.h"

static struct server srv;
static struct store *st;
static struct client clerk101, reviewer101, county101, county103, assistant;

/* Worked in tests/unit/test_payee.c: 622202123456789012 + Luhn digit 8,
 * and 622202123456789 + 4. */
#define CARD19 "6222021234567890128"
#define CARD16 "6222021234567894"

static int
group_setup(void **state)
{
    (void)state;
    if (suite_start(&srv, "payees", NULL, &st) != 0)
        return -1;
    logins_ok(&srv, "clerk.500101001", &clerk101, "reviewer.500101001",
              &reviewer101, "county.500101", &county101, "county.500103",
              &county103, "assistant.500103001003", &assistant, NULL);
    return 0;
}

/* POST an account for person as sess; the reply in r. */
static void
enter(const struct client *sess, long long person, const char *kind,
      const char *bank, const char *account, const char *name,
      struct response *r)
{
    api_call(&srv, sess, "POST",
             fmt("/api/v1/persons/%lld/payee-accounts", person),
             fmt("{\"kind\":\"%s\",\"bank_code\":\"%s\",\"account\":\"%s\","
                 "\"account_name\":\"%s\"}",
                 kind, bank, account, name),
             r);
}

/* enter() that must answer 201 pending: the account's id. */
static long long
enter_ok(long long person, const char *account, const char *name)
{
    struct response r = {0};
    enter(&clerk101, person, "bank_card", "CQRCB", account, name, &r);
    expect_status(&r, 201);
    assert_string_equal(resp_str(&r, "account.state"), "pending");
    assert_int_equal(json_integer_value(resp_get(&r, "account.version")), 1);
    long long id = json_integer_value(resp_get(&r, "account.id"));
    response_free(&r);
    return id;
}

/* POST /api/v1/payee-accounts/{id}/ACTION as sess with body. */
static void
decide(const struct client *sess, long long id, const char *action,
       const char *body, struct response *r)
{
    api_call(&srv, sess, "POST",
             fmt("/api/v1/payee-accounts/%lld/%s", id, action), body, r);
}

/* Audit rows of action on object. */
static size_t
audits(const char *object, const char *action)
{
    struct store_tx *tx = NULL;
    struct audit_row rows[16];
    size_t n = 0;
    struct audit_filter f = {.object = object, .action = action};
    assert_int_equal(store_tx_begin(st, STORE_READ, &tx), DD_OK);
    assert_int_equal(store_audit_list(tx, &f, rows, 16, &n), DD_OK);
    store_tx_rollback(tx);
    for (size_t i = 0; i < n; i++)
        if (strcmp(action, "payee_account.unmask") != 0)
            assert_non_null(strstr(rows[i].detail, "\"digest\":\""));
    return n;
}

static long long person1;
static long long acct1, acct2;

/* Bad input: each refused with the field named, nothing written. */
TEST_CASE(test_refusals)
{
    struct response r = {0};
    int64_t hh = couple_post(&srv, &county101, "白岩路 21 号", "王建华",
                             "19600505", "刘芳", "19620606", 701);
    person1 = member_id(&srv, &county101, hh, "王建华");
    /* the Luhn digit of 622202123456789012 is 8, not 0 */
    enter(&clerk101, person1, "bank_card", "CQRCB", "6222021234567890120",
          "王建华", &r);
    expect_error(&r, 400, "ACCOUNT_CHECK_DIGIT", "account");
    /* 15 digits: under a card's 16 */
    enter(&clerk101, person1, "sscard", "ICBC", "622202123456789", "王建华",
          &r);
    expect_error(&r, 400, "ACCOUNT_LENGTH", "account");
    enter(&clerk101, person1, "bank_card", "CQRCB", "6222-0212-3456-7894",
          "王建华", &r);
    expect_error(&r, 400, "ACCOUNT_NOT_DIGITS", "account");
    /* the spouse's name is not the payee's */
    enter(&clerk101, person1, "bank_card", "CQRCB", CARD19, "刘芳", &r);
    expect_error(&r, 400, "ACCOUNT_NAME_MISMATCH", "account_name");
    enter(&clerk101, person1, "bank_card", "NOSUCH", CARD19, "王建华", &r);
    expect_error(&r, 400, "UNKNOWN_BANK", "bank_code");
    enter(&clerk101, person1, "credit_card", "CQRCB", CARD19, "王建华", &r);
    expect_error(&r, 400, "INVALID_ACCOUNT_KIND", "kind");
    api_call(&srv, &clerk101, "POST",
             fmt("/api/v1/persons/%lld/payee-accounts", person1),
             "{\"kind\":\"bank_card\",\"bank_code\":\"CQRCB\"}", &r);
    expect_error(&r, 400, "MISSING_FIELD", "account");
    /* out of scope: not found; a village assistant elsewhere likewise */
    enter(&county103, person1, "bank_card", "CQRCB", CARD19, "王建华", &r);
    expect_status(&r, 404);
    enter(&assistant, person1, "bank_card", "CQRCB", CARD19, "王建华", &r);
    expect_status(&r, 404);
    api_call(&srv, &county101, "GET",
             fmt("/api/v1/persons/%lld/payee-accounts", person1), NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "accounts")), 0);
    api_call(&srv, &county101, "GET", "/api/v1/persons/999999/payee-accounts",
             NULL, &r);
    expect_status(&r, 404);
    response_free(&r);
}

/* Four eyes: entered, refused to its enterer, confirmed by another; the
 * next confirmed supersedes it; a third rejected with its reason. */
TEST_CASE(test_four_eyes)
{
    struct response r = {0};
    char object[48];
    /* grouping spaces are taken off; the name's spaces too */
    enter(&clerk101, person1, "bank_card", "CQRCB", "6222 0212 3456 7890 128",
          "王 建华", &r);
    expect_status(&r, 201);
    acct1 = json_integer_value(resp_get(&r, "account.id"));
    assert_string_equal(resp_str(&r, "account.account"), "****0128");
    assert_int_equal(json_integer_value(resp_get(&r, "shared_with_persons")),
                     0);
    /* the reply's bytes never hold the number, nor its first 12 digits */
    assert_null(strstr(r.body, CARD19));
    assert_null(strstr(r.body, "622202123456"));
    /* the enterer cannot confirm it */
    decide(&clerk101, acct1, "confirm", "{\"version\":1}", &r);
    expect_error(&r, 409, "SAME_PERSON", NULL);
    decide(&county101, acct1, "confirm", "{}", &r);
    expect_error(&r, 428, "VERSION_REQUIRED", "version");
    decide(&county101, acct1, "confirm", "{\"version\":2}", &r);
    expect_error(&r, 409, "VERSION_CONFLICT", "version");
    decide(&county103, acct1, "confirm", "{\"version\":1}", &r);
    expect_status(&r, 404);
    decide(&county101, acct1, "confirm", "{\"version\":1}", &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "account.state"), "active");
    assert_string_equal(resp_str(&r, "account.confirmed_by"), "county.500101");
    assert_true(json_is_null(resp_get(&r, "superseded_id")));
    decide(&reviewer101, acct1, "confirm", "{\"version\":2}", &r);
    expect_error(&r, 409, "NOT_PENDING", NULL);
    /* a second account, confirmed by the township's reviewer: the first
     * is superseded */
    acct2 = enter_ok(person1, CARD16, "王建华");
    decide(&reviewer101, acct2, "confirm", "{\"version\":1}", &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "account.state"), "active");
    assert_int_equal(json_integer_value(resp_get(&r, "superseded_id")), acct1);
    /* a third, rejected: a reason is required */
    long long acct3 = enter_ok(person1, CARD19, "王建华");
    decide(&county101, acct3, "reject", "{\"version\":1}", &r);
    expect_error(&r, 400, "REASON_REQUIRED", "reason");
    decide(&county101, acct3, "reject",
           "{\"version\":1,\"reason\":\"户名与存折不符\"}", &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "account.state"), "rejected");
    assert_string_equal(resp_str(&r, "account.reason"), "户名与存折不符");
    /* the list, newest first, masked */
    api_call(&srv, &clerk101, "GET",
             fmt("/api/v1/persons/%lld/payee-accounts", person1), NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_array_size(resp_get(&r, "accounts")), 3);
    assert_string_equal(jstr(item_at(&r, "accounts", 0), "state"), "rejected");
    assert_string_equal(jstr(item_at(&r, "accounts", 1), "state"), "active");
    assert_string_equal(jstr(item_at(&r, "accounts", 1), "account"),
                        "****7894");
    assert_string_equal(jstr(item_at(&r, "accounts", 2), "state"),
                        "superseded");
    assert_null(strstr(r.body, CARD19));
    assert_null(strstr(r.body, CARD16));
    assert_null(strstr(r.body, "622202123"));
    /* each write audited with the row's digest */
    snprintf(object, sizeof(object), "payee_account:%lld", acct1);
    assert_int_equal(audits(object, "payee_account.enter"), 1);
    assert_int_equal(audits(object, "payee_account.confirm"), 1);
    assert_int_equal(audits(object, "payee_account.supersede"), 1);
    snprintf(object, sizeof(object), "payee_account:%lld", acct3);
    assert_int_equal(audits(object, "payee_account.reject"), 1);
    response_free(&r);
}

/* ?unmask=true: the numbers in full for a role that reads personal data,
 * one audit row per account shown; a bad value is 400. */
TEST_CASE(test_unmask)
{
    struct response r = {0};
    char object[48];
    snprintf(object, sizeof(object), "payee_account:%lld", acct2);
    assert_int_equal(audits(object, "payee_account.unmask"), 0);
    api_call(&srv, &county101, "GET",
             fmt("/api/v1/persons/%lld/payee-accounts?unmask=yes", person1),
             NULL, &r);
    expect_error(&r, 400, "INVALID_PARAMETER", "unmask");
    api_call(&srv, &county101, "GET",
             fmt("/api/v1/persons/%lld/payee-accounts?unmask=true", person1),
             NULL, &r);
    expect_status(&r, 200);
    assert_true(json_is_true(resp_get(&r, "unmasked")));
    assert_string_equal(jstr(item_at(&r, "accounts", 1), "account"), CARD16);
    assert_string_equal(jstr(item_at(&r, "accounts", 2), "account"), CARD19);
    assert_int_equal(audits(object, "payee_account.unmask"), 1);
    response_free(&r);
}

/* The bank file's question: the active account of a payee, unsealed on
 * its row; none for a person without one. */
TEST_CASE(test_active_for_bank_file)
{
    struct pii_keys *k = NULL;
    struct store_tx *tx = NULL;
    struct payee_account_row a;
    char number[PAYEE_NUMBER_MAX + 1];
    assert_int_equal(pii_keys_load(srv.key_path, &k), DD_OK);
    assert_int_equal(store_tx_begin(st, STORE_READ, &tx), DD_OK);
    assert_int_equal(cases_payee_account_active(tx, k, person1, &a, number),
                     DD_OK);
    assert_int_equal(a.id, acct2);
    assert_string_equal(number, CARD16);
    assert_string_equal(a.bank_code, "CQRCB");
    assert_string_equal(a.account_name, "王建华");
    assert_int_equal(cases_payee_account_active(tx, k, 999999, &a, number),
                     DD_ENOTFOUND);
    store_tx_rollback(tx);
    pii_keys_free(k);
}

/* 孤儿 (domain.md §5) of a boy of 10 who is the household's applicant,
 * living with his grandmother: the entitlement is paid to her, the
 * guardian first in 民法典 Art. 27's order; then the county names his
 * aunt instead (a guardian appointed under Art. 31), at the version
 * read. */
TEST_CASE(test_guardian_payee)
{
    struct response r = {0};
    int64_t hh = household_post(
        &srv, &county101, "500101001001", "白岩路 23 号",
        fmt("{\"id_number\":\"%s\",\"name\":\"陈小军\",\"relation\":"
            "\"applicant\",\"schooling\":\"compulsory\"},"
            "{\"id_number\":\"%s\",\"name\":\"陈桂芳\",\"relation\":"
            "\"grandparent\"},"
            "{\"id_number\":\"%s\",\"name\":\"陈丽\",\"relation\":"
            "\"other\"}",
            idnum_in("500101", "20160505", 711),
            idnum_in("500101", "19570303", 712),
            idnum_in("500101", "19850707", 713)));
    long long child = member_id(&srv, &county101, hh, "陈小军");
    long long grandma = member_id(&srv, &county101, hh, "陈桂芳");
    long long aunt = member_id(&srv, &county101, hh, "陈丽");
    long long id = apply_ok(&srv, &clerk101, hh, "\"orphan\"",
                            "\"id_card\",\"hukou\",\"guardian_id\","
                            "\"parents_status_proof\"",
                            NULL, NULL);
    act(&srv, &clerk101, id, "submit", NULL, 200);
    act(&srv, &county101, id, "approve",
        fmt(",\"facts\":{\"member_id\":%lld,\"placement\":\"scattered\","
            "\"parents\":[{\"dead\":true},{\"dead\":true}]}",
            child),
        200);
    item_get(&srv, &county101, id, &r);
    long long ent = json_integer_value(resp_get(&r, "entitlement.id"));
    assert_true(ent > 0);
    api_call(&srv, &county101, "GET", fmt("/api/v1/entitlements/%lld", ent),
             NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(
        json_integer_value(resp_get(&r, "entitlement.payee_person_id")),
        grandma);
    long long v = json_integer_value(resp_get(&r, "entitlement.version"));
    const char *path = fmt("/api/v1/entitlements/%lld/payee", ent);
    /* the township does not decide a county item's payee */
    api_call(&srv, &reviewer101, "POST", path,
             fmt("{\"person_id\":%lld,\"version\":%lld}", aunt, v), &r);
    expect_error(&r, 403, "NOT_DECIDING_LEVEL", NULL);
    api_call(&srv, &county101, "POST", path,
             fmt("{\"person_id\":%lld}", aunt), &r);
    expect_error(&r, 428, "VERSION_REQUIRED", "version");
    api_call(&srv, &county101, "POST", path,
             fmt("{\"person_id\":%lld,\"version\":%lld}", aunt, v + 1), &r);
    expect_error(&r, 409, "VERSION_CONFLICT", "version");
    api_call(&srv, &county101, "POST", path,
             fmt("{\"person_id\":%lld,\"version\":%lld}", grandma, v), &r);
    expect_error(&r, 400, "SAME_PAYEE", "person_id");
    api_call(&srv, &county101, "POST", path,
             fmt("{\"person_id\":999999,\"version\":%lld}", v), &r);
    expect_error(&r, 400, "UNKNOWN_PERSON", "person_id");
    api_call(&srv, &county103, "POST", path,
             fmt("{\"person_id\":%lld,\"version\":%lld}", aunt, v), &r);
    expect_status(&r, 404);
    api_call(&srv, &county101, "POST", path,
             fmt("{\"person_id\":%lld,\"version\":%lld}", aunt, v), &r);
    expect_status(&r, 200);
    assert_int_equal(
        json_integer_value(resp_get(&r, "entitlement.payee_person_id")), aunt);
    assert_int_equal(json_integer_value(resp_get(&r, "entitlement.version")),
                     v + 1);
    assert_int_equal(audits(fmt("entitlement:%lld", ent), "entitlement.payee"),
                     1);
    /* the aunt, now the payee, stays on record: removing her is 409
     * naming the member, the household unchanged; the grandmother, no
     * longer named anywhere in the payments, may leave */
    api_call(&srv, &county101, "GET", fmt("/api/v1/households/%lld", (long long)hh),
             NULL, &r);
    long long hv = json_integer_value(resp_get(&r, "version"));
    /* a PUT leaving her out is the same, naming members */
    const char *im = strdup(fmt("If-Match: \"%lld\"", hv));
    struct request put = {
        .method = "PUT",
        .path = fmt("/api/v1/households/%lld", (long long)hh),
        .sess = &county101,
        .headers = (const char *const[]){im, NULL},
        .body = fmt(
            "{\"region_code\":\"500101001001\",\"hukou_region\":"
            "\"500101001001\",\"address\":\"白岩路 23 号\","
            "\"urban_or_rural\":\"urban\",\"members\":["
            "{\"id_number\":\"%s\",\"name\":\"陈小军\",\"relation\":"
            "\"applicant\",\"schooling\":\"compulsory\"},"
            "{\"id_number\":\"%s\",\"name\":\"陈桂芳\",\"relation\":"
            "\"grandparent\"}]}",
            idnum_in("500101", "20160505", 711),
            idnum_in("500101", "19570303", 712))};
    http_do(&srv, &put, &r);
    expect_error(&r, 409, "MEMBER_IN_PAYMENTS", "members");
    api_call(&srv, &county101, "GET",
             fmt("/api/v1/households/%lld", (long long)hh), NULL, &r);
    assert_int_equal(json_integer_value(resp_get(&r, "version")), hv);
    struct request rq = {
        .method = "DELETE",
        .path = fmt("/api/v1/households/%lld/members/%lld", (long long)hh, aunt),
        .sess = &county101,
        .headers = (const char *const[]){im, NULL}};
    http_do(&srv, &rq, &r);
    expect_error(&r, 409, "MEMBER_IN_PAYMENTS", "member");
    assert_non_null(strstr(resp_str(&r, "error.message_zh"), "领取人"));
    rq.path = fmt("/api/v1/households/%lld/members/%lld", (long long)hh, grandma);
    http_do(&srv, &rq, &r);
    expect_status(&r, 200);
    assert_int_equal(json_integer_value(resp_get(&r, "version")), hv + 1);
    response_free(&r);
    free((char *)im);
}

/* sql run on the suite's SQLite file by the sqlite3 shell, outside
 * Doudi. */
static void
sqlite_shell(const char *sql)
{
    char cmd[2048];
    snprintf(cmd, sizeof(cmd), "sqlite3 '%s' \"%s\"", harness_db_url() + 7,
             sql);
    assert_int_equal(system(cmd), 0);
}

/* `doudi check` must fail naming want (NULL: must pass). */
static void
check_says(const char *want)
{
    char out[4096] = "";
    int status = doudi_check_run(&srv, out, sizeof(out));
    if (want ? status == 0 || !strstr(out, want)
             : status != 0 || !strstr(out, "rows: as audited"))
        fail_msg("doudi check, wanting %s: %s", want ? want : "a pass", out);
}

/* The accounts and the entitlement whose payee was named pass the check;
 * on SQLite, an account's bank changed outside Doudi is named, and so is
 * a sealed number copied from another account's row. */
TEST_CASE(test_check)
{
    check_says(NULL);
    if (strncmp(harness_db_url(), "sqlite:", 7) != 0)
        return; /* the edits are made with SQLite's own shell */
    sqlite_shell(fmt("UPDATE payee_account SET bank_code = 'ICBC'"
                     " WHERE id = %lld",
                     acct2));
    check_says(fmt("rows: DIFFER at payee_account %lld: its person, bank",
                   acct2));
    sqlite_shell(fmt("UPDATE payee_account SET bank_code = 'CQRCB'"
                     " WHERE id = %lld",
                     acct2));
    check_says(NULL);
    /* the superseded account's number onto the active one */
    sqlite_shell(fmt("CREATE TABLE saved AS SELECT account_sealed"
                     " FROM payee_account WHERE id = %lld;"
                     " UPDATE payee_account SET account_sealed ="
                     " (SELECT account_sealed FROM payee_account"
                     " WHERE id = %lld) WHERE id = %lld",
                     acct2, acct1, acct2));
    check_says(fmt("payee_account %lld: account_sealed does not open", acct2));
    sqlite_shell(fmt("UPDATE payee_account SET account_sealed ="
                     " (SELECT account_sealed FROM saved) WHERE id = %lld;"
                     " DROP TABLE saved",
                     acct2));
    check_says(NULL);
}

API_SUITE("payees", group_setup, &srv, &st, cmocka_unit_test(test_refusals),
          cmocka_unit_test(test_four_eyes), cmocka_unit_test(test_unmask),
          cmocka_unit_test(test_active_for_bank_file),
          cmocka_unit_test(test_guardian_payee), cmocka_unit_test(test_check))
