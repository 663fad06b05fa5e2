/* SPDX-License-Identifier: MIT */
/* A payment batch's bank files (issue 13 §3) end to end through the API
 * on both stores. Three approved 低保 households paid in one batch: the
 * export in the UTF-8 example template (every line with the payee's full
 * account and ID number, the header's declared totals, the file's SM3 on
 * the batch and in its audit row), the same bytes again, the bank's
 * return with one failure, the reissue of that one line for the same
 * amount and a second reissue refused, and the database refusing a
 * double payment by raw inserts. A return file whose trailer sum is
 * wrong is 400 naming its line and field and changes nothing; lines in
 * the file twice, missing, with another amount or paid into another
 * account are unknown until staff resolve them. A GB18030 template
 * round trip with Chinese names, a payee without an account, and the
 * refusals (state, scope, bank). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases_helpers.h"
#include "crypto/sm3.h"
#include "harness.h"

static struct server srv;
static struct store *st;
static struct client admin, clerk101, reviewer101, county101, pay101, pay103;

/* An approved 低保: its entitlement, household, payee and amount. */
struct ent {
    long long id, household, payee, amount;
    long long account_id; /* its payee's active payee_account, 0 = none */
    char account[24];
};
/* the three of the hand-worked batch, then one without an account */
static struct ent ents[4];

static void account_confirmed(struct ent *e, const char *bank,
                              const char *account, const char *name);

/* A couple's household (seq unique) whose 低保 is walked to its notice,
 * its payee paid into the bank card account of bank ("" = none) entered
 * by the township's clerk and confirmed by the county (four eyes). */
static void
approved(struct ent *e, int seq, const char *applicant, const char *bank,
         const char *account)
{
    struct response r = {0};
    int64_t hh = couple_post(&srv, &county101, "白岩路 11 号", applicant,
                             "19600505", "孙红", "19620606", seq);
    long long id =
        apply_ok(&srv, &clerk101, hh, "\"dibao\"", DIBAO_PAPERS, NULL, NULL);
    walk_past_publicity(&srv, st, &clerk101, &county101, &reviewer101, id);
    act(&srv, &county101, id, "submit", NULL, 200);
    act(&srv, &county101, id, "approve", NULL, 200);
    act(&srv, &clerk101, id, "notify", NULL, 200);
    item_get(&srv, &county101, id, &r);
    e->id = json_integer_value(resp_get(&r, "entitlement.id"));
    response_free(&r);
    api_call(&srv, &county101, "GET", fmt("/api/v1/entitlements/%lld", e->id),
             NULL, &r);
    expect_status(&r, 200);
    e->household = json_integer_value(resp_get(&r, "entitlement.household_id"));
    e->payee = json_integer_value(resp_get(&r, "entitlement.payee_person_id"));
    e->amount = json_integer_value(resp_get(&r, "entitlement.amount_fen"));
    response_free(&r);
    assert_int_equal(e->household, hh);
    assert_true(e->payee > 0 && e->amount > 20000);
    if (*account)
        account_confirmed(e, bank, account, applicant);
}

/* e's payee's new bank card account of bank, entered by the township's
 * clerk and confirmed by the county (four eyes): the active one. */
static void
account_confirmed(struct ent *e, const char *bank, const char *account,
                  const char *name)
{
    struct response r = {0};
    snprintf(e->account, sizeof(e->account), "%s", account);
    api_call(&srv, &clerk101, "POST",
             fmt("/api/v1/persons/%lld/payee-accounts", e->payee),
             fmt("{\"kind\":\"bank_card\",\"bank_code\":\"%s\","
                 "\"account\":\"%s\",\"account_name\":\"%s\"}",
                 bank, account, name),
             &r);
    expect_status(&r, 201);
    e->account_id = json_integer_value(resp_get(&r, "account.id"));
    api_call(&srv, &county101, "POST",
             fmt("/api/v1/payee-accounts/%lld/confirm", e->account_id),
             "{\"version\":1}", &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "account.state"), "active");
    response_free(&r);
}

static int
group_setup(void **state)
{
    (void)state;
    if (suite_start(&srv, "payment_files", NULL, &st) != 0)
        return -1;
    logins_ok(&srv, "admin", &admin, "clerk.500101001", &clerk101,
              "reviewer.500101001", &reviewer101, "county.500101", &county101,
              "payments.500103", &pay103, "payments.500101", &pay101, NULL);
    approved(&ents[0], 71, "李建国", "ICBC", "6222021234567890128");
    approved(&ents[1], 73, "周建华", "CCB", "6217001234567893");
    approved(&ents[2], 75, "阿依古丽·买买提", "ABC", "6228481234567890128");
    approved(&ents[3], 77, "王无卡", "", "");
    return 0;
}

/* The lines of the large batch: one entitlement's, each for another
 * month ("1800-01", "1800-02", ...: the months are only keys here). */
#define MANY 2500
static const char *
many_month(size_t i)
{
    return fmt("%04zu-%02zu", 1800 + i / 12, i % 12 + 1);
}

/* Whether batch_make's lines name their payee's account (as the build
 * does once it knows it), or leave the export to find the active one. */
static int pin_accounts;

/* A batch of 万州区 低保 for month, one line per entitlement given (its
 * whole amount, no deduction; more than 4 lines: many_month's months),
 * moved on to state ("built", "checked" or "approved") through the store
 * as the payments module does; its id. */
static long long
batch_make(const char *month, const struct ent *const *e, size_t n,
           const char *state)
{
    static struct payment_line_row l[MANY];
    struct store_tx *tx = NULL;
    struct payment_batch_row b = {.seq = 1};
    assert_true(n <= MANY);
    snprintf(b.county_code, sizeof(b.county_code), "500101");
    snprintf(b.item_code, sizeof(b.item_code), "dibao");
    snprintf(b.month, sizeof(b.month), "%s", month);
    snprintf(b.kind, sizeof(b.kind), "regular");
    snprintf(b.state, sizeof(b.state), "built");
    snprintf(b.built_by, sizeof(b.built_by), "county.500101");
    assert_int_equal(store_tx_begin(st, STORE_WRITE, &tx), DD_OK);
    assert_int_equal(store_payment_batch_insert(tx, &b), DD_OK);
    memset(l, 0, sizeof(l));
    for (size_t i = 0; i < n; i++) {
        l[i].batch_id = b.id;
        snprintf(l[i].county_code, sizeof(l[i].county_code), "500101");
        snprintf(l[i].township_code, sizeof(l[i].township_code), "500101001");
        snprintf(l[i].region_code, sizeof(l[i].region_code), "500101001001");
        l[i].entitlement_id = e[i]->id;
        l[i].household_id = e[i]->household;
        l[i].payee_person_id = e[i]->payee;
        l[i].payee_account_id = pin_accounts ? e[i]->account_id : 0;
        snprintf(l[i].month, sizeof(l[i].month), "%s",
                 n > 4 ? many_month(i) : month);
        l[i].gross_fen = l[i].amount_fen = e[i]->amount;
        snprintf(l[i].urban_rural, sizeof(l[i].urban_rural), "urban");
        l[i].persons = 2;
        b.line_count++;
        b.total_fen += e[i]->amount;
    }
    assert_int_equal(store_payment_line_insert_many(tx, l, n), DD_OK);
    const char *states[] = {"checked", "approved"};
    for (size_t i = 0; i < 2 && strcmp(b.state, state) != 0; i++) {
        snprintf(b.state, sizeof(b.state), "%s", states[i]);
        assert_int_equal(store_payment_batch_update(tx, &b), DD_OK);
    }
    assert_int_equal(store_tx_commit(tx), DD_OK);
    return b.id;
}

static void
batch_get(long long id, struct payment_batch_row *b)
{
    struct store_tx *tx = NULL;
    assert_int_equal(store_tx_begin(st, STORE_READ, &tx), DD_OK);
    assert_int_equal(store_payment_batch_get(tx, id, b), DD_OK);
    store_tx_rollback(tx);
}

/* The lines of batch id in id order, at most max. */
static size_t
lines_upto(long long id, struct payment_line_row *out, size_t max)
{
    struct store_tx *tx = NULL;
    struct payment_line_filter f = {.batch_id = id};
    size_t n = 0;
    assert_int_equal(store_tx_begin(st, STORE_READ, &tx), DD_OK);
    assert_int_equal(store_payment_line_page(tx, &f, out, max, &n), DD_OK);
    store_tx_rollback(tx);
    return n;
}

static size_t
lines_of(long long id, struct payment_line_row *out)
{
    return lines_upto(id, out, 4);
}

static void
export_as(long long batch, const char *bank, struct response *r)
{
    api_call(&srv, &pay101, "POST",
             fmt("/api/v1/payment-batches/%lld/export", batch),
             fmt("{\"bank\":\"%s\"}", bank), r);
}

/* POST the return file body (len bytes) for batch. */
static void
post_return(long long batch, const char *body, size_t len, struct response *r)
{
    struct request rq = {.method = "POST",
                         .path =
                             fmt("/api/v1/payment-batches/%lld/return", batch),
                         .body = body,
                         .body_len = len,
                         .sess = &pay101,
                         .content_type = "text/csv"};
    http_do(&srv, &rq, r);
}

/* How many audit rows of action name object, the last one's detail in
 * detail (when not NULL). */
static int
audits(const char *object, const char *action, char *detail, size_t cap)
{
    struct store_tx *tx = NULL;
    struct audit_row rows[8];
    size_t n = 0;
    struct audit_filter f = {.object = object, .action = action};
    assert_int_equal(store_tx_begin(st, STORE_READ, &tx), DD_OK);
    assert_int_equal(store_audit_list(tx, &f, rows, 8, &n), DD_OK);
    store_tx_rollback(tx);
    if (n && detail)
        snprintf(detail, cap, "%s", rows[0].detail);
    return (int)n;
}

static int
has(const struct response *r, const char *s)
{
    return memmem(r->body, r->body_len, s, strlen(s)) != NULL;
}

TEST_CASE(test_export_return_reissue)
{
    struct response r = {0}, again = {0};
    struct payment_batch_row b;
    struct payment_line_row l[4];
    const struct ent *e[] = {&ents[0], &ents[1], &ents[2]};
    long long a0 = ents[0].amount, a1 = ents[1].amount, a2 = ents[2].amount;
    /* each line: the 低保 of a couple without income in 万州区, the urban
     * standard 77000 fen × 2 members = 154000 fen; the batch 3 lines,
     * 462000 fen */
    assert_int_equal(a0, 154000);
    assert_int_equal(a1, 154000);
    assert_int_equal(a2, 154000);
    /* the lines name their accounts, as the build sets them */
    pin_accounts = 1;
    long long id = batch_make("2026-01", e, 3, "approved");
    pin_accounts = 0;
    assert_int_equal(lines_of(id, l), 3);
    batch_get(id, &b);
    assert_int_equal(b.line_count, 3);
    assert_int_equal(b.total_fen, 462000);

    export_as(id, "plain-utf8", &r);
    expect_status(&r, 200);
    assert_string_equal(resp_header(&r, "Content-Type"),
                        "application/octet-stream");
    /* line 1: the batch with its declared count and sum, in fen */
    assert_true(
        has(&r, fmt("%lld|500101|dibao|2026-01|3|%lld\n", id, a0 + a1 + a2)));
    /* a line per payment: id, name, the full ID number and account, fen */
    for (int i = 0; i < 3; i++)
        assert_true(
            has(&r, fmt("%lld|", (long long)l[i].id)) &&
            has(&r, fmt("|%s|%lld\n", ents[i].account, ents[i].amount)));
    assert_true(has(&r, "阿依古丽·买买提"));
    assert_true(has(&r, idnum_in("500101", "19600505", 2 * 71 + 1)));
    /* the file's SM3: on the reply, on the batch and in its audit row */
    char hex[SM3_HEX_LEN + 1], detail[2048];
    sm3_hex(r.body, r.body_len, hex);
    assert_string_equal(resp_header(&r, "X-File-SM3"), hex);
    batch_get(id, &b);
    assert_string_equal(b.state, "exported");
    assert_string_equal(b.file_sm3, hex);
    assert_string_equal(b.bank_code, "plain-utf8");
    assert_string_equal(b.exported_by, "payments.500101");
    const char *object = fmt("payment_batch:%lld", id);
    assert_int_equal(
        audits(object, "payment_batch.export", detail, sizeof(detail)), 1);
    assert_non_null(strstr(detail, hex));
    assert_non_null(strstr(detail, "\"personal_data\""));
    /* no second export; the same bytes again, audited */
    export_as(id, "plain-utf8", &again);
    expect_error(&again, 409, "BATCH_STATE", NULL);
    api_call(&srv, &pay101, "GET", fmt("/api/v1/payment-batches/%lld/file", id),
             NULL, &again);
    expect_status(&again, 200);
    assert_int_equal(again.body_len, r.body_len);
    assert_memory_equal(again.body, r.body, r.body_len);
    assert_int_equal(audits(object, "payment_batch.file", NULL, 0), 1);
    response_free(&again);
    response_free(&r);

    /* the bank pays lines 1 and 3; line 2's account is closed */
    const char *ret =
        fmt("%lld,%s,%lld,成功,\n%lld,%s,%lld,失败,账户已销户\n"
            "%lld,%s,%lld,成功,\n3,%lld\n",
            (long long)l[0].id, ents[0].account, a0, (long long)l[1].id,
            ents[1].account, a1, (long long)l[2].id, ents[2].account, a2,
            a0 + a1 + a2);
    post_return(id, ret, 0, &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "batch.state"), "reconciled");
    /* paid: 2 lines, a0 + a2 = 308000; failed: 1 line, a1 = 154000;
     * none unknown */
    assert_int_equal(json_integer_value(resp_get(&r, "outcome.paid.lines")), 2);
    assert_int_equal(json_integer_value(resp_get(&r, "outcome.paid.sum_fen")),
                     a0 + a2);
    assert_int_equal(json_integer_value(resp_get(&r, "outcome.failed.lines")),
                     1);
    assert_int_equal(json_integer_value(resp_get(&r, "outcome.failed.sum_fen")),
                     a1);
    assert_int_equal(json_integer_value(resp_get(&r, "outcome.unknown.lines")),
                     0);
    response_free(&r);
    assert_int_equal(lines_of(id, l), 3);
    assert_string_equal(l[0].status, "paid");
    assert_string_equal(l[1].status, "failed");
    assert_string_equal(l[1].reason_text, "账户已销户");
    assert_string_equal(l[2].status, "paid");
    assert_int_equal(audits(object, "payment_batch.reconcile", NULL, 0), 1);
    /* the paid lines are left 'pending' by the return and read as paid,
     * by the list's filter too */
    const char *const shown[][2] = {{"paid", "2"}, {"pending", "0"},
                                    {"failed", "1"}};
    for (size_t i = 0; i < 3; i++) {
        api_call(&srv, &pay101, "GET",
                 fmt("/api/v1/payment-batches/%lld/lines?status=%s", id,
                     shown[i][0]),
                 NULL, &r);
        expect_status(&r, 200);
        assert_int_equal(json_array_size(resp_get(&r, "lines")),
                         atoi(shown[i][1]));
        response_free(&r);
    }

    /* line 2's payee brings a new card, confirmed: the reissue pays
     * into it */
    long long closed_account = ents[1].account_id;
    account_confirmed(&ents[1], "CCB", "6217009876543210122", "周建华");
    assert_true(ents[1].account_id != closed_account);
    /* the reissue: one line, line 2's amount (154000 fen), for the same
     * month; 308000 + 154000 paid in all, once each */
    api_call(&srv, &pay101, "POST",
             fmt("/api/v1/payment-batches/%lld/reissue", id), NULL, &r);
    expect_status(&r, 201);
    assert_string_equal(resp_str(&r, "batch.kind"), "reissue");
    assert_string_equal(resp_str(&r, "batch.state"), "built");
    assert_string_equal(resp_str(&r, "batch.month"), "2026-01");
    assert_int_equal(json_integer_value(resp_get(&r, "batch.seq")), 1);
    assert_int_equal(json_integer_value(resp_get(&r, "batch.line_count")), 1);
    assert_int_equal(json_integer_value(resp_get(&r, "batch.total_fen")), a1);
    /* into the new card, not the closed one */
    assert_int_equal(json_integer_value(resp_get(&r, "same_account")), 0);
    long long rid = json_integer_value(resp_get(&r, "batch.id"));
    response_free(&r);
    struct payment_line_row rl[4];
    assert_int_equal(lines_of(rid, rl), 1);
    assert_int_equal(rl[0].reissue_of, l[1].id);
    assert_int_equal(rl[0].entitlement_id, ents[1].id);
    assert_string_equal(rl[0].month, "2026-01");
    assert_int_equal(rl[0].amount_fen, a1);
    assert_string_equal(rl[0].status, "pending");
    assert_int_equal(rl[0].payee_person_id, ents[1].payee);
    assert_int_equal(rl[0].payee_account_id, ents[1].account_id);
    /* its check: one line of 2026-01 and no comparison with last month
     * (the source's other two lines are not stopped) */
    api_call(&srv, &pay101, "GET",
             fmt("/api/v1/payment-batches/%lld/check", rid), NULL, &r);
    expect_status(&r, 200);
    assert_true(json_is_null(resp_get(&r, "differences")));
    assert_int_equal(json_integer_value(resp_get(&r, "by_urban_rural.0.lines")),
                     1);
    /* the source batch itself is compared */
    api_call(&srv, &pay101, "GET",
             fmt("/api/v1/payment-batches/%lld/check", id), NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(
        json_integer_value(resp_get(&r, "differences.new.count")), 3);
    /* a second reissue of the same failure */
    api_call(&srv, &pay101, "POST",
             fmt("/api/v1/payment-batches/%lld/reissue", id), NULL, &r);
    expect_error(&r, 409, "ALREADY_REISSUED", NULL);
    response_free(&r);

    /* the database refuses a double payment whatever the code does: a
     * raw line for the same entitlement and month (payment_line_once:
     * the reissue's line is pending), and a second line re-paying the
     * same failure even for another month (payment_line_reissue_once) */
    struct store_tx *tx = NULL;
    struct payment_batch_row nb = {.seq = 2};
    snprintf(nb.county_code, sizeof(nb.county_code), "500101");
    snprintf(nb.item_code, sizeof(nb.item_code), "dibao");
    snprintf(nb.month, sizeof(nb.month), "2026-01");
    snprintf(nb.kind, sizeof(nb.kind), "reissue");
    snprintf(nb.state, sizeof(nb.state), "built");
    snprintf(nb.built_by, sizeof(nb.built_by), "county.500101");
    assert_int_equal(store_tx_begin(st, STORE_WRITE, &tx), DD_OK);
    assert_int_equal(store_payment_batch_insert(tx, &nb), DD_OK);
    struct payment_line_row dup = rl[0];
    dup.batch_id = nb.id;
    assert_int_equal(store_payment_line_insert_many(tx, &dup, 1), DD_ECONFLICT);
    store_tx_rollback(tx);
    assert_int_equal(store_tx_begin(st, STORE_WRITE, &tx), DD_OK);
    assert_int_equal(store_payment_batch_insert(tx, &nb), DD_OK);
    dup.batch_id = nb.id;
    snprintf(dup.month, sizeof(dup.month), "2025-12");
    assert_int_equal(store_payment_line_insert_many(tx, &dup, 1), DD_ECONFLICT);
    store_tx_rollback(tx);
    /* the reissue is one more batch, audited; nothing else was added */
    assert_int_equal(audits(fmt("payment_batch:%lld", rid),
                            "payment_batch.reissue", NULL, 0),
                     1);
}

/* The three households' batch for month, approved and exported in the
 * UTF-8 template: its id, its lines in l. */
static long long
three_exported(const char *month, struct payment_line_row l[4])
{
    struct response r = {0};
    const struct ent *e[] = {&ents[0], &ents[1], &ents[2]};
    long long id = batch_make(month, e, 3, "approved");
    assert_int_equal(lines_of(id, l), 3);
    export_as(id, "plain-utf8", &r);
    expect_status(&r, 200);
    response_free(&r);
    return id;
}

TEST_CASE(test_return_refused_and_unknown)
{
    struct response r = {0};
    struct payment_line_row l[4];
    long long a0 = ents[0].amount, a1 = ents[1].amount, a2 = ents[2].amount;
    /* the lines name their accounts, as the build sets them (a reissue
     * then says whether it pays into the same one) */
    pin_accounts = 1;
    long long id = three_exported("2026-02", l);
    pin_accounts = 0;
    const char *lines =
        fmt("%lld,%s,%lld,成功,\n%lld,%s,%lld,成功,\n%lld,%s,%lld,成功,\n",
            (long long)l[0].id, ents[0].account, a0, (long long)l[1].id,
            ents[1].account, a1, (long long)l[2].id, ents[2].account, a2);
    /* the trailer's sum 1 fen short: line 4, field sum; nothing changed */
    char body[1024];
    snprintf(body, sizeof(body), "%s3,%lld\n", lines, a0 + a1 + a2 - 1);
    post_return(id, body, 0, &r);
    expect_error(&r, 400, "BANK_RETURN", "sum");
    assert_non_null(strstr(resp_str(&r, "error.message"), "line 4"));
    assert_non_null(strstr(resp_str(&r, "error.message_zh"), "第4行"));
    struct payment_batch_row b;
    batch_get(id, &b);
    assert_string_equal(b.state, "exported");
    assert_int_equal(lines_of(id, l), 3);
    for (int i = 0; i < 3; i++)
        assert_string_equal(l[i].status, "pending");
    /* a line id that is not the batch's: named by its line */
    snprintf(body, sizeof(body), "%s999999,%s,%lld,成功,\n4,%lld\n", lines,
             ents[0].account, a0, a0 + a0 + a1 + a2);
    post_return(id, body, 0, &r);
    expect_error(&r, 400, "BANK_RETURN", "line_id");
    assert_non_null(strstr(resp_str(&r, "error.message"), "line 4"));
    /* line 1 twice, line 2 missing, line 3 with 1 fen more: all three
     * unknown (4 return lines, a0 + a0 + a2 + 1 in the trailer) */
    snprintf(body, sizeof(body),
             "%lld,%s,%lld,成功,\n%lld,%s,%lld,成功,\n%lld,%s,%lld,成功,\n"
             "3,%lld\n",
             (long long)l[0].id, ents[0].account, a0, (long long)l[0].id,
             ents[0].account, a0, (long long)l[2].id, ents[2].account, a2 + 1,
             a0 + a0 + a2 + 1);
    post_return(id, body, 0, &r);
    expect_status(&r, 200);
    assert_int_equal(json_integer_value(resp_get(&r, "outcome.unknown.lines")),
                     3);
    assert_int_equal(
        json_integer_value(resp_get(&r, "outcome.unknown.sum_fen")),
        a0 + a1 + a2);
    assert_int_equal(
        json_integer_value(resp_get(&r, "outcome.duplicate.lines")), 1);
    assert_int_equal(
        json_integer_value(resp_get(&r, "outcome.not_in_file.lines")), 1);
    assert_int_equal(json_integer_value(resp_get(&r, "outcome.mismatch.lines")),
                     1);
    assert_int_equal(json_integer_value(resp_get(&r, "outcome.paid.lines")), 0);
    response_free(&r);
    assert_int_equal(lines_of(id, l), 3);
    assert_string_equal(l[0].reason_code, "DUPLICATE");
    assert_string_equal(l[1].reason_code, "NOT_IN_FILE");
    assert_string_equal(l[2].reason_code, "MISMATCH");
    /* an unknown line is not reissued: nothing failed yet */
    api_call(&srv, &pay101, "POST",
             fmt("/api/v1/payment-batches/%lld/reissue", id), NULL, &r);
    expect_error(&r, 409, "NOTHING_TO_REISSUE", NULL);
    /* staff resolve: line 2 failed (the bank confirmed), line 1 paid */
#define resolve "/api/v1/payment-batches/%lld/lines/%lld/resolve"
    api_call(&srv, &pay101, "POST", fmt(resolve, id, (long long)l[1].id),
             "{\"status\":\"maybe\",\"reason\":\"x\"}", &r);
    expect_error(&r, 400, "INVALID_STATUS", "status");
    api_call(&srv, &pay101, "POST", fmt(resolve, id, (long long)l[1].id),
             "{\"status\":\"failed\",\"reason\":\"银行回函：账户冻结\"}", &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "line.status"), "failed");
    api_call(&srv, &pay101, "POST", fmt(resolve, id, (long long)l[0].id),
             "{\"status\":\"paid\",\"reason\":\"银行回函：已入账\"}", &r);
    expect_status(&r, 200);
    api_call(&srv, &pay101, "POST", fmt(resolve, id, (long long)l[0].id),
             "{\"status\":\"failed\",\"reason\":\"x\"}", &r);
    expect_error(&r, 409, "LINE_NOT_UNKNOWN", "status");
#undef resolve
    assert_int_equal(audits(fmt("payment_line:%lld", (long long)l[0].id),
                            "payment_line.resolve", NULL, 0),
                     1);
    /* the database's guard: in a reconciled batch only an unknown line
     * may take a status, paid or failed */
    struct store_tx *tx = NULL;
    assert_int_equal(store_tx_begin(st, STORE_WRITE, &tx), DD_OK);
    assert_int_equal(
        store_payment_line_set_status(tx, l[0].id, "failed", "X", "raw"),
        DD_ECONFLICT);
    store_tx_rollback(tx);
    assert_int_equal(store_tx_begin(st, STORE_WRITE, &tx), DD_OK);
    assert_int_equal(
        store_payment_line_set_status(tx, l[2].id, "pending", "", ""),
        DD_ECONFLICT);
    store_tx_rollback(tx);
    assert_int_equal(store_tx_begin(st, STORE_WRITE, &tx), DD_OK);
    assert_int_equal(
        store_payment_line_set_status(tx, l[2].id, "paid", "X", "raw"), DD_OK);
    store_tx_rollback(tx);
    /* now line 2 is reissued; line 3 still waits */
    api_call(&srv, &pay101, "POST",
             fmt("/api/v1/payment-batches/%lld/reissue", id), NULL, &r);
    expect_status(&r, 201);
    assert_int_equal(json_integer_value(resp_get(&r, "batch.line_count")), 1);
    assert_int_equal(json_integer_value(resp_get(&r, "batch.total_fen")), a1);
    assert_int_equal(json_integer_value(resp_get(&r, "unknown_waiting")), 1);
    /* the frozen account is still the payee's: the reissue says so */
    assert_int_equal(json_integer_value(resp_get(&r, "same_account")), 1);
    /* the first reissue batch of 2026-02 */
    assert_int_equal(json_integer_value(resp_get(&r, "batch.seq")), 1);
    response_free(&r);
}

/* An account the bank names that is not the one exported, the amount
 * right: the line is unknown (MISMATCH), compared by the accounts' blind
 * index; the paid and failed lines around it take their own outcome.
 * The batch closes only once the unknown line is settled. */
TEST_CASE(test_return_other_account)
{
    struct response r = {0};
    struct payment_line_row l[4];
    long long a0 = ents[0].amount, a1 = ents[1].amount, a2 = ents[2].amount;
    long long id = three_exported("2026-07", l);
    /* line 2 paid into line 1's account; line 3 failed */
    post_return(id,
                fmt("%lld,%s,%lld,成功,\n%lld,%s,%lld,成功,\n"
                    "%lld,%s,%lld,失败,账户已冻结\n3,%lld\n",
                    (long long)l[0].id, ents[0].account, a0,
                    (long long)l[1].id, ents[0].account, a1,
                    (long long)l[2].id, ents[2].account, a2, a0 + a1 + a2),
                0, &r);
    expect_status(&r, 200);
    assert_int_equal(json_integer_value(resp_get(&r, "outcome.paid.lines")), 1);
    assert_int_equal(json_integer_value(resp_get(&r, "outcome.paid.sum_fen")),
                     a0);
    assert_int_equal(json_integer_value(resp_get(&r, "outcome.mismatch.lines")),
                     1);
    assert_int_equal(
        json_integer_value(resp_get(&r, "outcome.mismatch.sum_fen")), a1);
    assert_int_equal(json_integer_value(resp_get(&r, "outcome.failed.lines")),
                     1);
    response_free(&r);
    assert_int_equal(lines_of(id, l), 3);
    assert_string_equal(l[0].status, "paid");
    assert_string_equal(l[1].status, "unknown");
    assert_string_equal(l[1].reason_code, "MISMATCH");
    assert_string_equal(l[2].status, "failed");
    /* not closed while line 2 is unknown (a closed batch's line could
     * never be settled); settled paid, it closes, line 3's failure still
     * to reissue */
    struct payment_batch_row b;
    batch_get(id, &b);
    const char *close = fmt("/api/v1/payment-batches/%lld/close", id);
    api_call(&srv, &pay101, "POST", close,
             fmt("{\"version\":%lld}", (long long)b.version), &r);
    expect_error(&r, 409, "UNKNOWN_WAITING", "state");
    assert_non_null(strstr(resp_str(&r, "error.message_zh"), "1 笔"));
    batch_get(id, &b);
    assert_string_equal(b.state, "reconciled");
    api_call(&srv, &pay101, "POST",
             fmt("/api/v1/payment-batches/%lld/lines/%lld/resolve", id,
                 (long long)l[1].id),
             "{\"status\":\"paid\",\"reason\":\"银行回函：已入账\"}", &r);
    expect_status(&r, 200);
    batch_get(id, &b);
    api_call(&srv, &pay101, "POST", close,
             fmt("{\"version\":%lld}", (long long)b.version), &r);
    expect_status(&r, 200);
    batch_get(id, &b);
    assert_string_equal(b.state, "closed");
    response_free(&r);
}

/* s (UTF-8) in GB18030, in a fmt-sized static buffer. */
static const char *
gb(const char *s, size_t *len)
{
    static char out[4096];
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    assert_true(cd != (iconv_t)-1);
    char *in = (char *)s, *o = out;
    size_t il = strlen(s), ol = sizeof(out) - 1;
    assert_true(iconv(cd, &in, &il, &o, &ol) != (size_t)-1);
    iconv_close(cd);
    *o = '\0';
    *len = (size_t)(o - out);
    return out;
}

/* Renames e's payee in the store, behind the registry's back. */
static void
rename_payee(const struct ent *e, const char *name)
{
    struct store_tx *tx = NULL;
    struct person_row p[4];
    size_t n = 0;
    assert_int_equal(store_tx_begin(st, STORE_WRITE, &tx), DD_OK);
    assert_int_equal(store_person_list(tx, e->household, p, 4, &n), DD_OK);
    for (size_t i = 0; i < n; i++)
        if (p[i].id == e->payee) {
            snprintf(p[i].name, sizeof(p[i].name), "%s", name);
            assert_int_equal(store_person_update(tx, &p[i]), DD_OK);
        }
    assert_int_equal(store_tx_commit(tx), DD_OK);
}

TEST_CASE(test_gb18030_round_trip)
{
    struct response r = {0};
    struct payment_line_row l[4];
    const struct ent *e[] = {&ents[2], &ents[0]};
    long long a0 = ents[2].amount, a1 = ents[0].amount;
    /* the lines name their accounts, as the build sets them */
    pin_accounts = 1;
    long long id = batch_make("2026-03", e, 2, "approved");
    pin_accounts = 0;
    assert_int_equal(lines_of(id, l), 2);
    export_as(id, "yikatong-csv", &r);
    expect_status(&r, 200);
    /* the names in GB18030, the amounts in yuan, CRLF */
    size_t n;
    const char *name = gb("阿依古丽·买买提", &n);
    assert_non_null(memmem(r.body, r.body_len, name, n));
    name = gb("李建国", &n);
    assert_non_null(memmem(r.body, r.body_len, name, n));
    assert_null(memmem(r.body, r.body_len, "李建国", strlen("李建国")));
    assert_true(has(&r, fmt(",%s,%lld.%02lld,dibao,202603\r\n", ents[0].account,
                            a1 / 100, a1 % 100)));
    assert_true(
        has(&r, fmt("T,2,%lld.%02lld\r\n", (a0 + a1) / 100, (a0 + a1) % 100)));
    /* the payee renamed since: the file is not served again */
    struct response again = {0};
    rename_payee(&ents[0], "李建华");
    api_call(&srv, &pay101, "GET", fmt("/api/v1/payment-batches/%lld/file", id),
             NULL, &again);
    expect_error(&again, 409, "FILE_CHANGED", NULL);
    rename_payee(&ents[0], "李建国");
    api_call(&srv, &pay101, "GET", fmt("/api/v1/payment-batches/%lld/file", id),
             NULL, &again);
    expect_status(&again, 200);
    assert_int_equal(again.body_len, r.body_len);
    assert_memory_equal(again.body, r.body, r.body_len);
    assert_int_equal(
        audits(fmt("payment_batch:%lld", id), "payment_batch.file", NULL, 0),
        1);
    response_free(&again);
    response_free(&r);
    /* the bank's GB18030 answer: line 1 paid, line 2 failed */
    const char *ret =
        gb(fmt("明细编号,账号,金额,状态,失败原因代码,失败原因\r\n"
               "%lld,%s,%lld.%02lld,S,,\r\n%lld,%s,%lld.%02lld,F,E041,"
               "户名与账号不符\r\nT,2,%lld.%02lld,1,%lld.%02lld\r\n",
               (long long)l[0].id, ents[2].account, a0 / 100, a0 % 100,
               (long long)l[1].id, ents[0].account, a1 / 100, a1 % 100,
               (a0 + a1) / 100, (a0 + a1) % 100, a0 / 100, a0 % 100),
           &n);
    post_return(id, ret, n, &r);
    expect_status(&r, 200);
    assert_int_equal(json_integer_value(resp_get(&r, "outcome.paid.sum_fen")),
                     a0);
    assert_int_equal(json_integer_value(resp_get(&r, "outcome.failed.sum_fen")),
                     a1);
    response_free(&r);
    assert_int_equal(lines_of(id, l), 2);
    assert_string_equal(l[1].status, "failed");
    assert_string_equal(l[1].reason_code, "E041");
    assert_string_equal(l[1].reason_text, "户名与账号不符");
}

TEST_CASE(test_refusals)
{
    struct response r = {0};
    const struct ent *e[] = {&ents[0], &ents[3]};
    long long id = batch_make("2026-04", e, 2, "approved");
    /* one payee has no account: refused, and counted */
    export_as(id, "plain-utf8", &r);
    expect_error(&r, 409, "PAYEE_ACCOUNT_MISSING", NULL);
    assert_non_null(strstr(resp_str(&r, "error.message"), "1 lines"));
    struct payment_batch_row b;
    batch_get(id, &b);
    assert_string_equal(b.state, "approved");
    assert_string_equal(b.file_sm3, "");
    /* no such template; a code that is not a file name */
    export_as(id, "no-such-bank", &r);
    expect_error(&r, 400, "UNKNOWN_BANK", "bank");
    export_as(id, "../banks/plain-utf8", &r);
    expect_error(&r, 400, "UNKNOWN_BANK", "bank");
    /* out of scope: not revealed */
    api_call(&srv, &pay103, "POST",
             fmt("/api/v1/payment-batches/%lld/export", id),
             "{\"bank\":\"plain-utf8\"}", &r);
    expect_status(&r, 404);
    /* the county office reads batches; only its payments officer
     * exports them */
    api_call(&srv, &county101, "POST",
             fmt("/api/v1/payment-batches/%lld/export", id),
             "{\"bank\":\"plain-utf8\"}", &r);
    expect_error(&r, 403, "FORBIDDEN", NULL);
    /* a stale version */
    api_call(&srv, &pay101, "POST",
             fmt("/api/v1/payment-batches/%lld/export", id),
             "{\"bank\":\"plain-utf8\",\"version\":1}", &r);
    expect_error(&r, 409, "VERSION_CONFLICT", "version");
    /* a batch only checked is not exported, nor its file served, nor
     * reconciled, nor reissued */
    const struct ent *one[] = {&ents[1]};
    long long checked = batch_make("2026-05", one, 1, "checked");
    export_as(checked, "plain-utf8", &r);
    expect_error(&r, 409, "BATCH_STATE", NULL);
    api_call(&srv, &pay101, "GET",
             fmt("/api/v1/payment-batches/%lld/file", checked), NULL, &r);
    expect_error(&r, 409, "BATCH_STATE", NULL);
    post_return(checked, "1,2,3\n", 0, &r);
    expect_error(&r, 409, "BATCH_STATE", NULL);
    api_call(&srv, &pay101, "POST",
             fmt("/api/v1/payment-batches/%lld/reissue", checked), NULL, &r);
    expect_error(&r, 409, "BATCH_STATE", NULL);
    response_free(&r);
}

/* 2,500 lines (one entitlement's, over 2,500 months): the export and a
 * return of 2,497 paid and 3 failed, the paid ones written in three id
 * lists of at most 1,000 (store_payfile_lines_set) on both stores. */
TEST_CASE(test_many_lines)
{
    static const struct ent *e[MANY];
    static struct payment_line_row l[MANY];
    static char body[MANY * 64];
    struct response r = {0};
    long long a = ents[1].amount;
    for (size_t i = 0; i < MANY; i++)
        e[i] = &ents[1];
    long long id = batch_make("2026-06", e, MANY, "approved");
    assert_int_equal(lines_upto(id, l, MANY), MANY);
    export_as(id, "plain-utf8", &r);
    expect_status(&r, 200);
    /* a header, then a line each: 2,501 LF; the lines in id order with
     * the account opened, across the unsealer's chunks of 512 (the last
     * one partial) */
    size_t lf = 0;
    for (size_t i = 0; i < r.body_len; i++)
        lf += r.body[i] == '\n';
    assert_int_equal(lf, MANY + 1);
    const char *at = strchr(r.body, '\n') + 1;
    for (size_t i = 0; i < MANY; i++) {
        char want[64];
        int n = snprintf(want, sizeof(want), "%lld|", (long long)l[i].id);
        if (strncmp(at, want, (size_t)n) != 0)
            fail_msg("line %zu is not line id %lld", i + 1, (long long)l[i].id);
        const char *end = strchr(at, '\n');
        char row[512];
        snprintf(row, sizeof(row), "%.*s", (int)(end - at), at);
        assert_non_null(strstr(row, ents[1].account));
        at = end + 1;
    }
    response_free(&r);
    /* lines 1, 1,001 and 2,500 failed; the rest paid */
    size_t pos = 0;
    for (size_t i = 0; i < MANY; i++) {
        int failed = i == 0 || i == 1000 || i == MANY - 1;
        pos += (size_t)snprintf(body + pos, sizeof(body) - pos,
                                "%lld,%s,%lld,%s,%s\n", (long long)l[i].id,
                                ents[1].account, a, failed ? "失败" : "成功",
                                failed ? "账户冻结" : "");
    }
    snprintf(body + pos, sizeof(body) - pos, "%d,%lld\n", MANY, a * MANY);
    post_return(id, body, 0, &r);
    expect_status(&r, 200);
    /* paid: 2,497 lines of a fen; failed: 3 */
    assert_int_equal(json_integer_value(resp_get(&r, "outcome.paid.lines")),
                     MANY - 3);
    assert_int_equal(json_integer_value(resp_get(&r, "outcome.paid.sum_fen")),
                     a * (MANY - 3));
    assert_int_equal(json_integer_value(resp_get(&r, "outcome.failed.lines")),
                     3);
    response_free(&r);
    assert_int_equal(lines_upto(id, l, MANY), MANY);
    size_t paid = 0;
    for (size_t i = 0; i < MANY; i++)
        paid += strcmp(l[i].status, "paid") == 0;
    assert_int_equal(paid, MANY - 3);
    assert_string_equal(l[0].status, "failed");
    assert_string_equal(l[1000].status, "failed");
    assert_string_equal(l[MANY - 1].status, "failed");
    assert_string_equal(l[MANY - 1].reason_text, "账户冻结");
}

API_SUITE("payment_files", group_setup, &srv, &st,
          cmocka_unit_test(test_export_return_reissue),
          cmocka_unit_test(test_return_refused_and_unknown),
          cmocka_unit_test(test_return_other_account),
          cmocka_unit_test(test_gb18030_round_trip),
          cmocka_unit_test(test_refusals), cmocka_unit_test(test_many_lines))
