/* SPDX-License-Identifier: MIT */
/* A death stops the money (issue 13 §5) end to end through the API on
 * both stores, worked by hand:
 *  - a death on the 31st (2026-10-31) in a couple's household with the
 *    November payment already exported: the dead man's 重度残疾人护理补贴
 *    (his alone) suspended from 2026-11 (nothing owed for December), the
 *    household's 低保 re-checked by 2027-01-31, November's 90 元 owed
 *    back; then a repayment and a waiver settle it, and a waiver by the
 *    township is refused;
 *  - a death on the 1st (2026-11-01): November owed, December paid and
 *    owed back, January's line taken out of its batch still being built;
 *  - the refusals: a future day, another source, a second death, the
 *    township deciding a county item's suspension, out of scope;
 *  - the ledger's list and its scope; `doudi check`'s rows still hold.
 * The payments are written through the store (the batch build is the
 * payment helper's): batches whose lines are set by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/facts_check.h"
#include "cases/cases.h"
#include "cases_helpers.h"
#include "domain/entitlement.h"
#include "domain/month.h"
#include "harness.h"

static struct server srv;
static struct store *st;
static struct client admin, clerk101, reviewer101, county101, county103,
    pay101;

static int
group_setup(void **state)
{
    (void)state;
    if (suite_start(&srv, "deaths", NULL, &st) != 0)
        return -1;
    logins_ok(&srv, "admin", &admin, "clerk.500101001", &clerk101,
              "reviewer.500101001", &reviewer101, "county.500101", &county101,
              "county.500103", &county103, NULL);
    staff_user(&srv, &admin, "pay.500101", "payments_officer", "", "500101",
               &pay101);
    return 0;
}

/* ---- the fixtures ---- */

/* A household in 万州区 东方广场社区 whose applicant name, born birth (ID
 * sequence seq), is 肢体 (category 4) grade 1 with a card; more: other
 * members (JSON text after a comma, "": none). */
static int64_t
disabled_household(const char *name, const char *birth, int seq,
                   const char *more)
{
    char num[24];
    snprintf(num, sizeof(num), "%s", idnum_in("500101", birth, seq));
    return household_post(
        &srv, &county101, "500101001001", "白岩路 9 号",
        fmt("{\"id_number\":\"%s\",\"name\":\"%s\",\"relation\":"
            "\"applicant\",\"disability_category\":4,\"disability_grade\":1,"
            "\"disability_card\":\"%s41\"}%s",
            num, name, num, more));
}

/* The entitlement of approved case item id, as county101 reads it. */
static long long
entitlement_of(long long id, const char *start_month, long long amount)
{
    struct response r = {0};
    item_get(&srv, &county101, id, &r);
    long long ent = json_integer_value(resp_get(&r, "entitlement.id"));
    assert_true(ent > 0);
    assert_string_equal(resp_str(&r, "entitlement.start_month"), start_month);
    assert_int_equal(json_integer_value(resp_get(&r, "entitlement.monthly_fen")),
                     amount);
    response_free(&r);
    return ent;
}

/* 重度残疾人护理补贴 for member who of hh, applied for on paper on
 * 2026-09-10: paid from the application month (domain.md §4), 2026-09,
 * at disability.care_subsidy.grade1, 9000 fen (90 元) a month since
 * 2022-10-01 (grade 1, care needed for 12 ≥ 6 months). Its entitlement. */
static long long
care_subsidy(int64_t hh, long long who)
{
    struct response r = {0};
    apply(&srv, &clerk101, hh, "\"disability_care\"",
          "\"id_card\",\"hukou\",\"disability_card\"",
          ",\"applied_on\":\"2026-09-10\"", &r);
    expect_status(&r, 201);
    long long id = jint(json_array_get(resp_get(&r, "items"), 0), "id");
    response_free(&r);
    act(&srv, &reviewer101, id, "submit", NULL, 200);
    act(&srv, &county101, id, "approve",
        fmt(",\"facts\":{\"member_id\":%lld,\"card_valid\":true,"
            "\"care_months\":12}",
            who),
        200);
    act(&srv, &clerk101, id, "notify", NULL, 200);
    return entitlement_of(id, "2026-09", 9000);
}

/* 低保 for household hh through every step: paid from the month after
 * the approval (57号 Art. 21). Its entitlement. */
static long long
dibao(int64_t hh)
{
    struct response r = {0};
    long long id =
        apply_ok(&srv, &clerk101, hh, "\"dibao\"", DIBAO_PAPERS, NULL, NULL);
    walk_past_publicity(&srv, st, &clerk101, &county101, &reviewer101, id);
    act(&srv, &county101, id, "submit", NULL, 200);
    act(&srv, &county101, id, "approve", NULL, 200);
    act(&srv, &clerk101, id, "notify", NULL, 200);
    item_get(&srv, &county101, id, &r);
    long long ent = json_integer_value(resp_get(&r, "entitlement.id"));
    response_free(&r);
    return ent;
}

/* A regular batch of disability_care in 万州区 for month (each the next
 * seq of its month, as the tests' households are paid apart) with one
 * line per ents[i] (household hh, gross fen a month) for that month,
 * left in state: the bank's file already out ("exported") or still being
 * built. The batch's id. */
static long long
batch(const char *month, const long long *ents, size_t n, int64_t hh,
      long long gross, const char *state)
{
    static int64_t seq;
    struct store_tx *tx = NULL;
    struct payment_batch_row b = {.seq = ++seq, .version = 1};
    struct payment_line_row l[4];
    snprintf(b.county_code, sizeof(b.county_code), "500101");
    snprintf(b.item_code, sizeof(b.item_code), "disability_care");
    snprintf(b.month, sizeof(b.month), "%s", month);
    snprintf(b.kind, sizeof(b.kind), "regular");
    snprintf(b.state, sizeof(b.state), "built");
    snprintf(b.built_by, sizeof(b.built_by), "test");
    b.built_at = 1;
    assert_int_equal(store_tx_begin(st, STORE_WRITE, &tx), DD_OK);
    assert_int_equal(store_payment_batch_insert(tx, &b), DD_OK);
    memset(l, 0, sizeof(l));
    for (size_t i = 0; i < n; i++) {
        l[i].batch_id = b.id;
        snprintf(l[i].county_code, sizeof(l[i].county_code), "500101");
        snprintf(l[i].township_code, sizeof(l[i].township_code), "500101001");
        snprintf(l[i].region_code, sizeof(l[i].region_code), "500101001001");
        l[i].entitlement_id = ents[i];
        l[i].household_id = hh;
        snprintf(l[i].month, sizeof(l[i].month), "%s", month);
        l[i].gross_fen = l[i].amount_fen = gross;
        snprintf(l[i].urban_rural, sizeof(l[i].urban_rural), "urban");
        l[i].persons = 1;
        snprintf(l[i].status, sizeof(l[i].status), "pending");
    }
    assert_int_equal(store_payment_line_insert_many(tx, l, n), DD_OK);
    b.line_count = (int64_t)n;
    b.total_fen = (int64_t)n * gross;
    snprintf(b.state, sizeof(b.state), "%s", state);
    assert_int_equal(store_payment_batch_update(tx, &b), DD_OK);
    assert_int_equal(store_tx_commit(tx), DD_OK);
    return b.id;
}

/* A batch's line count and total as the database has them. */
static void
batch_sum(long long id, long long count, long long total)
{
    struct store_tx *tx = NULL;
    struct payment_batch_row b;
    int64_t n = -1, sum = -1;
    assert_int_equal(store_tx_begin(st, STORE_READ, &tx), DD_OK);
    assert_int_equal(store_payment_batch_get(tx, id, &b), DD_OK);
    assert_int_equal(store_payment_batch_sum(tx, id, &n, &sum), DD_OK);
    store_tx_rollback(tx);
    assert_int_equal(n, count);
    assert_int_equal(sum, total);
    assert_int_equal(b.line_count, count);
    assert_int_equal(b.total_fen, total);
}

/* What entitlement ent is owed for month (YYYY-MM) by its history, under
 * the seed's lags for the 两项补贴 (1 month each, resumption 0, a death's
 * 1; 渐退 6; 公示 7 days; 3 refusals). */
static long long
owed(long long ent, const char *month)
{
    static const struct ent_params p = {1, 1, 1, 1, 0, 1, 6, 7, 3};
    struct store_tx *tx = NULL;
    struct entitlement_row e;
    struct entitlement_change_row rows[8];
    struct ent_change buf[8];
    struct ent_history h;
    struct ent_due due;
    size_t n = 0;
    int32_t mo = 0;
    assert_int_equal(store_tx_begin(st, STORE_READ, &tx), DD_OK);
    assert_int_equal(store_entitlement_get(tx, ent, &e), DD_OK);
    assert_int_equal(store_entitlement_change_list(tx, ent, rows, 8, &n),
                     DD_OK);
    store_tx_rollback(tx);
    assert_int_equal(cases_entitlement_history(&e, rows, n, buf, &h), DD_OK);
    assert_int_equal(month_parse(month, &mo), 0);
    assert_int_equal(ent_owed(&p, &h, mo, &due, NULL), DD_OK);
    return due.amount_fen;
}

/* How many audit rows of action name object. */
static int
audits(const char *object, const char *action)
{
    struct store_tx *tx = NULL;
    struct audit_row rows[8];
    size_t n = 0;
    struct audit_filter f = {.object = object, .action = action};
    assert_int_equal(store_tx_begin(st, STORE_READ, &tx), DD_OK);
    assert_int_equal(store_audit_list(tx, &f, rows, 8, &n), DD_OK);
    store_tx_rollback(tx);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(rows[i].region, "500101001001");
    return (int)n;
}

/* The detail of the first audit row of action naming object. */
static const char *
audit_detail(const char *object, const char *action)
{
    static struct audit_row rows[2];
    struct store_tx *tx = NULL;
    size_t n = 0;
    struct audit_filter f = {.object = object, .action = action};
    assert_int_equal(store_tx_begin(st, STORE_READ, &tx), DD_OK);
    assert_int_equal(store_audit_list(tx, &f, rows, 2, &n), DD_OK);
    store_tx_rollback(tx);
    assert_true(n > 0);
    return rows[0].detail;
}

/* POST the death of person as sess with body; the reply in r. */
static void
death(const struct client *sess, long long person, const char *body,
      struct response *r)
{
    api_call(&srv, sess, "POST", fmt("/api/v1/persons/%lld/death", person),
             body, r);
}

/* POST an entry on recovery rec as sess; the reply in r. */
static void
entry(const struct client *sess, long long rec, const char *body,
      struct response *r)
{
    api_call(&srv, sess, "POST", fmt("/api/v1/recoveries/%lld/entries", rec),
             body, r);
}

/* ---- the tests ---- */

/* the recoveries of the death on the 31st and of the one on the 1st */
static long long rec31, rec1;

TEST_CASE(test_death_on_31st)
{
    struct response r = {0};
    /* 王建国 (grade 1) and his wife 李秀英 */
    int64_t hh = disabled_household(
        "王建国", "19600101", 41,
        fmt(",{\"id_number\":\"%s\",\"name\":\"李秀英\",\"relation\":"
            "\"spouse\"}",
            idnum_in("500101", "19620202", 42)));
    long long who = member_id(&srv, &county101, hh, "王建国");
    long long care = care_subsidy(hh, who);
    long long db = dibao(hh);
    /* September and October paid and closed, November's file out to
     * the bank */
    batch("2026-09", &care, 1, hh, 9000, "closed");
    long long oct = batch("2026-10", &care, 1, hh, 9000, "closed");
    long long nov = batch("2026-11", &care, 1, hh, 9000, "exported");

    death(&county101, who,
          "{\"died_on\":\"2026-10-31\",\"source\":\"staff\","
          "\"note\":\"殡仪馆火化证明\"}",
          &r);
    expect_status(&r, 201);
    assert_string_equal(resp_str(&r, "death.died_on"), "2026-10-31");
    /* the care subsidy was his alone: suspended from the month after the
     * death (disability_care.effect.death_lag_months 1): 2026-11 */
    assert_int_equal(json_array_size(resp_get(&r, "suspended")), 1);
    assert_int_equal(json_integer_value(resp_get(&r, "suspended.0.entitlement_id")),
                     care);
    assert_string_equal(resp_str(&r, "suspended.0.effect_month"), "2026-11");
    /* the 低保 is his wife's too: re-checked within
     * dibao.death.recheck_months (3) of 2026-10-31, by 2027-01-31 */
    assert_int_equal(json_array_size(resp_get(&r, "reviews")), 1);
    assert_int_equal(json_integer_value(resp_get(&r, "reviews.0.entitlement_id")),
                     db);
    assert_string_equal(resp_str(&r, "reviews.0.due_day"), "2027-01-31");
    long long review = json_integer_value(resp_get(&r, "reviews.0.review_id"));
    /* October is owed (he lived through it); November's 9000 was paid
     * for a month after the death: 9000 fen owed back */
    assert_int_equal(json_array_size(resp_get(&r, "recoveries")), 1);
    assert_int_equal(json_integer_value(resp_get(&r, "recoveries.0.amount_fen")),
                     9000);
    assert_int_equal(json_array_size(resp_get(&r, "recoveries.0.months")), 1);
    assert_string_equal(resp_str(&r, "recoveries.0.months.0"), "2026-11");
    rec31 = json_integer_value(resp_get(&r, "recoveries.0.recovery_id"));
    /* the batches are as they were */
    batch_sum(oct, 1, 9000);
    batch_sum(nov, 1, 9000);

    /* the entitlement: suspended from 2026-11, so a December roster owes
     * it nothing; October still 9000 */
    api_call(&srv, &county101, "GET", fmt("/api/v1/entitlements/%lld", care),
             NULL, &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "entitlement.state"), "suspended");
    assert_string_equal(resp_str(&r, "changes.0.event"), "suspend");
    assert_non_null(strstr(resp_str(&r, "changes.0.reason_text"), "2026-10-31"));
    assert_int_equal(owed(care, "2026-10"), 9000);
    assert_int_equal(owed(care, "2026-12"), 0);
    /* and the December roster the payments officer builds has no line
     * of it (nor back pay: September to November have theirs) */
    api_call(&srv, &pay101, "POST", "/api/v1/payment-batches",
             "{\"county\":\"500101\",\"item\":\"disability_care\","
             "\"month\":\"2026-12\"}",
             &r);
    expect_status(&r, 201);
    long long dec = json_integer_value(resp_get(&r, "batch.id"));
    api_call(&srv, &pay101, "GET",
             fmt("/api/v1/payment-batches/%lld/lines", dec), NULL, &r);
    expect_status(&r, 200);
    json_t *lines = resp_get(&r, "lines");
    for (size_t i = 0; i < json_array_size(lines); i++)
        assert_int_not_equal(jint(json_array_get(lines, i), "entitlement_id"),
                             care);
    /* the re-check in the township's inbox, on the ground of the death */
    api_call(&srv, &county101, "GET", fmt("/api/v1/reviews/%lld", review), NULL,
             &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "review.ground"), "death");
    assert_string_equal(resp_str(&r, "review.due_day"), "2027-01-31");

    /* the ledger: 9000 owed */
    api_call(&srv, &clerk101, "GET", fmt("/api/v1/recoveries/%lld", rec31),
             NULL, &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "recovery.cause"), "death");
    assert_string_equal(resp_str(&r, "recovery.state"), "open");
    assert_int_equal(json_integer_value(resp_get(&r, "recovery.person_id")),
                     who);
    assert_int_equal(json_integer_value(resp_get(&r, "recovery.balance_fen")),
                     9000);
    assert_string_equal(resp_str(&r, "entries.0.kind"), "owed");
    assert_non_null(strstr(resp_str(&r, "entries.0.reason_text"), "2026-11"));

    /* the widow repays 40 元 at the township: 9000 - 4000 = 5000 */
    entry(&clerk101, rec31,
          "{\"kind\":\"repaid\",\"amount_fen\":4000,"
          "\"decided_on\":\"2026-12-01\"}",
          &r);
    expect_status(&r, 201);
    assert_int_equal(json_integer_value(resp_get(&r, "recovery.balance_fen")),
                     5000);
    /* the township may not waive the rest */
    entry(&clerk101, rec31,
          "{\"kind\":\"waived\",\"amount_fen\":5000,\"reason\":\"困难\","
          "\"decided_on\":\"2026-12-01\"}",
          &r);
    expect_error(&r, 403, "WAIVER_COUNTY_LEVEL", NULL);
    /* nor anyone take more than the balance, or state no reason */
    entry(&county101, rec31,
          "{\"kind\":\"waived\",\"amount_fen\":5001,\"reason\":\"困难\","
          "\"decided_on\":\"2026-12-01\"}",
          &r);
    expect_error(&r, 400, "AMOUNT_OVER_BALANCE", "amount_fen");
    entry(&county101, rec31,
          "{\"kind\":\"waived\",\"amount_fen\":5000,"
          "\"decided_on\":\"2026-12-01\"}",
          &r);
    expect_error(&r, 400, "REASON_REQUIRED", "reason_text");
    entry(&county101, rec31,
          "{\"kind\":\"deducted\",\"amount_fen\":1,"
          "\"decided_on\":\"2026-12-01\"}",
          &r);
    expect_error(&r, 400, "INVALID_VALUE", "kind");
    /* a stale version */
    api_call(&srv, &county101, "GET", fmt("/api/v1/recoveries/%lld", rec31),
             NULL, &r);
    long long v = json_integer_value(resp_get(&r, "recovery.version"));
    assert_int_equal(v, 2); /* opened at 1, the repayment made it 2 */
    entry(&county101, rec31,
          "{\"kind\":\"waived\",\"amount_fen\":5000,\"reason\":\"困难\","
          "\"decided_on\":\"2026-12-01\",\"version\":1}",
          &r);
    expect_error(&r, 409, "VERSION_CONFLICT", "version");
    /* the county waives the 5000 left: settled at 0 */
    entry(&county101, rec31,
          "{\"kind\":\"waived\",\"amount_fen\":5000,"
          "\"reason\":\"家庭困难，无力退还\",\"decided_on\":\"2026-12-02\","
          "\"version\":2}",
          &r);
    expect_status(&r, 201);
    assert_int_equal(json_integer_value(resp_get(&r, "recovery.balance_fen")),
                     0);
    assert_string_equal(resp_str(&r, "recovery.state"), "settled");
    assert_int_equal(json_array_size(resp_get(&r, "entries")), 3);
    assert_string_equal(resp_str(&r, "entries.2.decided_by"), "county.500101");
    entry(&county101, rec31,
          "{\"kind\":\"repaid\",\"amount_fen\":1,"
          "\"decided_on\":\"2026-12-02\"}",
          &r);
    expect_error(&r, 409, "RECOVERY_SETTLED", NULL);
    /* each step audited on the village: the death, the suspension, the
     * debt, the repayment, the waiver */
    assert_int_equal(audits(fmt("person:%lld", who), "person.death"), 1);
    assert_int_equal(
        audits(fmt("entitlement:%lld", care), "entitlement.suspend"), 1);
    const char *obj = fmt("recovery:%lld", rec31);
    char object[48];
    snprintf(object, sizeof(object), "%s", obj);
    assert_int_equal(audits(object, "recovery.open"), 1);
    assert_int_equal(audits(object, "recovery.repaid"), 1);
    assert_int_equal(audits(object, "recovery.waived"), 1);

    /* a second death of him is refused */
    death(&county101, who, "{\"died_on\":\"2026-10-31\",\"source\":\"staff\"}",
          &r);
    expect_error(&r, 409, "ALREADY_DEAD", "person_id");
    response_free(&r);
}

TEST_CASE(test_death_on_1st)
{
    struct response r = {0};
    /* 赵德福 (grade 1) alone */
    int64_t hh = disabled_household("赵德福", "19550505", 43, "");
    long long who = member_id(&srv, &county101, hh, "赵德福");
    long long care = care_subsidy(hh, who);
    batch("2026-11", &care, 1, hh, 9000, "exported");
    batch("2026-12", &care, 1, hh, 9000, "exported");
    long long jan = batch("2027-01", &care, 1, hh, 9000, "built");

    /* the township's clerk does not decide the county item's suspension:
     * nothing is written */
    death(&clerk101, who, "{\"died_on\":\"2026-11-01\",\"source\":\"staff\"}",
          &r);
    expect_error(&r, 403, "NOT_DECIDING_LEVEL", NULL);
    batch_sum(jan, 1, 9000);

    death(&county101, who, "{\"died_on\":\"2026-11-01\",\"source\":\"staff\"}",
          &r);
    expect_status(&r, 201);
    /* died on 1 November: November is owed, from December on nothing
     * (death_lag_months 1 counts from the month of death) */
    assert_string_equal(resp_str(&r, "suspended.0.effect_month"), "2026-12");
    assert_int_equal(json_array_size(resp_get(&r, "reviews")), 0);
    /* December's 9000 paid: owed back; January's line was still being
     * built: taken out of its batch (0 lines, 0 fen), not owed */
    assert_int_equal(json_integer_value(resp_get(&r, "recoveries.0.amount_fen")),
                     9000);
    assert_int_equal(json_array_size(resp_get(&r, "recoveries.0.months")), 1);
    assert_string_equal(resp_str(&r, "recoveries.0.months.0"), "2026-12");
    rec1 = json_integer_value(resp_get(&r, "recoveries.0.recovery_id"));
    batch_sum(jan, 0, 0);
    assert_int_equal(owed(care, "2026-11"), 9000);
    assert_int_equal(owed(care, "2026-12"), 0);
    response_free(&r);
}

/* The 低保 amount the stored household's assessment gives as of day on,
 * as county101 asks it. */
static long long
dibao_on(int64_t hh, const char *on, struct response *r)
{
    api_call(&srv, &county101, "POST",
             fmt("/api/v1/households/%lld/assessment?as_of=%s", (long long)hh,
                 on),
             NULL, r);
    expect_status(r, 200);
    json_t *p;
    size_t i;
    json_array_foreach(resp_get(r, "programs"), i, p)
    {
        if (strcmp(json_string_value(json_object_get(p, "program")), "dibao") ==
            0)
            return json_integer_value(json_object_get(p, "monthly_amount_fen"));
    }
    fail_msg("no dibao in %s", r->body);
    return -1;
}

/* A death takes the member out of the household's means test, from the
 * day of the death (they stay on the file: the payments name them). A
 * couple with no income and no assets is paid the urban standard for each
 * member (差额, domain.md §1.3): as of the day before the wife's death
 * twice what it is from that day. The husband's death then leaves no
 * applicant: the assessment is refused until the file names one. */
TEST_CASE(test_dead_member_not_counted)
{
    struct response r = {0};
    int64_t hh = couple_post(&srv, &county101, "白岩路 11 号", "赵明",
                             "19800303", "钱芳", "19820404", 26);
    long long wife = member_id(&srv, &county101, hh, "钱芳");
    long long husband = member_id(&srv, &county101, hh, "赵明");
    death(&county101, wife,
          "{\"died_on\":\"2026-10-03\",\"source\":\"staff\"}", &r);
    expect_status(&r, 201);
    long long two = dibao_on(hh, "2026-10-02", &r);
    long long one = dibao_on(hh, "2026-10-03", &r);
    assert_true(one > 0);
    assert_int_equal(two, 2 * one);
    /* the file shows the death on the member */
    api_call(&srv, &county101, "GET", fmt("/api/v1/households/%lld", (long long)hh),
             NULL, &r);
    expect_status(&r, 200);
    json_t *m;
    size_t i;
    int seen = 0;
    json_array_foreach(resp_get(&r, "members"), i, m)
    {
        json_t *died = json_object_get(m, "died_on");
        if (json_integer_value(json_object_get(m, "id")) == wife) {
            assert_string_equal(json_string_value(died), "2026-10-03");
            seen++;
        } else {
            assert_true(json_is_null(died));
        }
    }
    assert_int_equal(seen, 1);
    /* the household's 低保 approved after her death is his alone: the
     * engine's amount at the approval is one standard (as the calculator
     * has it today), and the notice's household is 1 person */
    char today[11];
    snprintf(today, sizeof(today), "%s", today_date());
    long long single = dibao_on(hh, today, &r);
    long long db = dibao(hh);
    api_call(&srv, &county101, "GET", fmt("/api/v1/entitlements/%lld", db),
             NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_integer_value(resp_get(&r, "entitlement.approved_fen")),
                     single);
    long long item =
        json_integer_value(resp_get(&r, "entitlement.case_item_id"));
    api_call(&srv, &county101, "GET",
             fmt("/api/v1/case-items/%lld/notice", item), NULL, &r);
    expect_status(&r, 200);
    assert_int_equal(json_integer_value(resp_get(&r, "household_size")), 1);
    /* her ID number joins no household, as a new one or a member added;
     * nothing is written */
    char her_id[19];
    snprintf(her_id, sizeof(her_id), "%s", idnum_in("500101", "19820404", 54));
    api_call(&srv, &county101, "POST", "/api/v1/households",
             fmt("{\"region_code\":\"500101001001\",\"hukou_region\":"
                 "\"500101001001\",\"address\":\"白岩路 12 号\","
                 "\"urban_or_rural\":\"urban\",\"members\":[{\"id_number\":"
                 "\"%s\",\"name\":\"钱芳\",\"relation\":\"applicant\"}]}",
                 her_id),
             &r);
    expect_error(&r, 409, "PERSON_DECEASED", "members[0].id_number");
    assert_non_null(strstr(r.body, "2026-10-03"));
    assert_null(strstr(r.body, her_id));
    int64_t other = couple_post(&srv, &county101, "白岩路 13 号", "孙强",
                                "19700505", "周丽", "19720606", 27);
    api_call(&srv, &county101, "POST",
             fmt("/api/v1/households/%lld/members", (long long)other),
             fmt("{\"id_number\":\"%s\",\"name\":\"钱芳\","
                 "\"relation\":\"other\",\"version\":1}",
                 her_id),
             &r);
    expect_error(&r, 409, "PERSON_DECEASED", "id_number");
    death(&county101, husband,
          "{\"died_on\":\"2026-11-01\",\"source\":\"staff\"}", &r);
    expect_status(&r, 201);
    api_call(&srv, &county101, "POST",
             fmt("/api/v1/households/%lld/assessment?as_of=2026-11-01",
                 (long long)hh),
             NULL, &r);
    expect_error(&r, 409, "APPLICANT_DECEASED", "members");
    assert_non_null(strstr(r.body, "2026-11-01"));
    /* before his death it is still hers and his, less hers */
    assert_int_equal(dibao_on(hh, "2026-10-31", &r), one);
    response_free(&r);
}

TEST_CASE(test_refusals)
{
    struct response r = {0};
    int64_t hh = disabled_household("钱志明", "19580808", 45, "");
    long long who = member_id(&srv, &county101, hh, "钱志明");
    const char *future = fmt("{\"died_on\":\"%s-28\",\"source\":\"staff\"}",
                             today_month(1));
    char future_body[96];
    snprintf(future_body, sizeof(future_body), "%s", future);
    const char *path = fmt("/api/v1/persons/%lld/death", who);
    char p[64];
    snprintf(p, sizeof(p), "%s", path);
    const struct call_want t[] = {
        {&county101, "POST", p, future_body, 400, "INVALID_VALUE", "died_on"},
        {&county101, "POST", p,
         "{\"died_on\":\"1950-01-01\",\"source\":\"staff\"}", 400,
         "INVALID_VALUE", "died_on"},
        {&county101, "POST", p,
         "{\"died_on\":\"2026-11-31\",\"source\":\"staff\"}", 400,
         "INVALID_VALUE", "died_on"},
        {&county101, "POST", p,
         "{\"died_on\":\"2026-11-01\",\"source\":\"police\"}", 400,
         "INVALID_VALUE", "source"},
        {&county101, "POST", p, "{\"died_on\":\"2026-11-01\"}", 400,
         "MISSING_FIELD", "source"},
        {&county101, "POST", p,
         "{\"died_on\":\"2026-11-01\",\"source\":\"staff\",\"version\":99}",
         409, "VERSION_CONFLICT", "version"},
        /* out of scope, and no such person: not revealed */
        {&county103, "POST", p,
         "{\"died_on\":\"2026-11-01\",\"source\":\"staff\"}", 404, "NOT_FOUND",
         NULL},
        {&county101, "POST", "/api/v1/persons/999999/death",
         "{\"died_on\":\"2026-11-01\",\"source\":\"staff\"}", 404, "NOT_FOUND",
         NULL},
    };
    calls_expect(&srv, t);
    /* with nothing to suspend, the township records it; the household's
     * version read is accepted */
    api_call(&srv, &clerk101, "GET", fmt("/api/v1/households/%lld", (long long)hh), NULL,
             &r);
    long long v = json_integer_value(resp_get(&r, "version"));
    death(&clerk101, who,
          fmt("{\"died_on\":\"2026-11-01\",\"source\":\"staff\","
              "\"version\":%lld}",
              v),
          &r);
    expect_status(&r, 201);
    assert_int_equal(json_array_size(resp_get(&r, "suspended")), 0);
    assert_int_equal(json_array_size(resp_get(&r, "recoveries")), 0);
    response_free(&r);
}

/* A one-person 低保 approved today is paid from next month (57号 Art.
 * 21); its member died last month, before the approval: suspended from
 * its first month, not from the month after the death, which is before
 * its start. */
TEST_CASE(test_death_before_start)
{
    struct response r = {0};
    int64_t hh = disabled_household("孙德明", "19520202", 47, "");
    long long who = member_id(&srv, &county101, hh, "孙德明");
    long long db = dibao(hh);
    death(&county101, who,
          fmt("{\"died_on\":\"%s-01\",\"source\":\"staff\"}",
              today_month(-1)),
          &r);
    expect_status(&r, 201);
    assert_int_equal(
        json_integer_value(resp_get(&r, "suspended.0.entitlement_id")), db);
    assert_string_equal(resp_str(&r, "suspended.0.effect_month"),
                        today_month(1));
    assert_int_equal(json_array_size(resp_get(&r, "reviews")), 0);
    assert_int_equal(json_array_size(resp_get(&r, "recoveries")), 0);
    response_free(&r);
}

/* The list reply r has n recoveries, the first (when n > 0) first, with
 * balance_fen balance. */
static void
list_is(const struct response *r, size_t n, long long first, long long balance)
{
    json_t *a = resp_get(r, "recoveries");
    assert_int_equal(json_array_size(a), n);
    if (n == 0)
        return;
    assert_int_equal(jint(json_array_get(a, 0), "id"), first);
    assert_int_equal(jint(json_array_get(a, 0), "balance_fen"), balance);
}

TEST_CASE(test_ledger_list)
{
    struct response r = {0};
    /* the two recoveries the deaths opened, a page each by the cursor */
    api_call(&srv, &county101, "GET", "/api/v1/recoveries?limit=1", NULL, &r);
    expect_status(&r, 200);
    list_is(&r, 1, rec31, 0);
    long long next = json_integer_value(resp_get(&r, "next_after"));
    assert_int_equal(next, rec31);
    api_call(&srv, &county101, "GET",
             fmt("/api/v1/recoveries?limit=1&after=%lld", next), NULL, &r);
    list_is(&r, 1, rec1, 9000);
    assert_true(json_is_null(resp_get(&r, "next_after")));
    /* by state: the first settled, the second open (9000 fen to recover),
     * as the villages' township sees them too */
    api_call(&srv, &county101, "GET", "/api/v1/recoveries?state=settled", NULL,
             &r);
    list_is(&r, 1, rec31, 0);
    api_call(&srv, &clerk101, "GET", "/api/v1/recoveries?state=open", NULL, &r);
    expect_status(&r, 200);
    list_is(&r, 1, rec1, 9000);
    /* another district sees none, and not one of them */
    api_call(&srv, &county103, "GET", "/api/v1/recoveries", NULL, &r);
    expect_status(&r, 200);
    list_is(&r, 0, 0, 0);
    api_call(&srv, &county103, "GET", fmt("/api/v1/recoveries/%lld", rec31),
             NULL, &r);
    expect_error(&r, 404, "NOT_FOUND", NULL);
    api_call(&srv, &county101, "GET", "/api/v1/recoveries?region=500103", NULL,
             &r);
    expect_error(&r, 404, "NOT_FOUND", NULL);
    api_call(&srv, &county101, "GET", "/api/v1/recoveries?state=paid", NULL,
             &r);
    expect_error(&r, 400, "INVALID_STATE", "state");
    response_free(&r);
}

/* The member of household hh called name, as county101 reads it: its
 * died_on ("" when none) and whether it is active. */
static void
member_state(int64_t hh, const char *name, const char **died, int *active)
{
    static char day[16];
    struct response r = {0};
    api_call(&srv, &county101, "GET",
             fmt("/api/v1/households/%lld", (long long)hh), NULL, &r);
    expect_status(&r, 200);
    json_t *ms = resp_get(&r, "members");
    *died = NULL;
    for (size_t i = 0; i < json_array_size(ms); i++) {
        json_t *m = json_array_get(ms, i);
        if (strcmp(json_string_value(json_object_get(m, "name")), name) != 0)
            continue;
        json_t *d = json_object_get(m, "died_on");
        snprintf(day, sizeof(day), "%s",
                 json_is_string(d) ? json_string_value(d) : "");
        *died = day;
        *active = json_is_true(json_object_get(m, "active"));
    }
    assert_non_null(*died);
    response_free(&r);
}

/* A death recorded in error (撤销死亡登记): 陈志强 (grade 1) recorded
 * dead on 2026-10-20 in his couple's household, his care subsidy
 * suspended from 2026-11, November's and December's 9000 each (both
 * exported) owed back, 18000, of which his wife repays 5000; the
 * household's 低保 re-checked by 2027-01-20. The death was another man
 * of the same name: withdrawn by the county, the subsidy resumes from
 * 2026-11 (owed 9000 a month again), the 13000 left is waived and the
 * 5000 repaid is to be refunded, the re-check is cancelled, he is a
 * living member again, and his true death later can still be recorded. */
TEST_CASE(test_death_withdrawn)
{
    struct response r = {0};
    int64_t hh = disabled_household(
        "陈志强", "19580303", 45,
        fmt(",{\"id_number\":\"%s\",\"name\":\"周桂兰\",\"relation\":"
            "\"spouse\"}",
            idnum_in("500101", "19600404", 46)));
    long long who = member_id(&srv, &county101, hh, "陈志强");
    long long care = care_subsidy(hh, who);
    dibao(hh);
    batch("2026-11", &care, 1, hh, 9000, "exported");
    batch("2026-12", &care, 1, hh, 9000, "exported");
    death(&county101, who, "{\"died_on\":\"2026-10-20\",\"source\":\"staff\"}",
          &r);
    expect_status(&r, 201);
    assert_string_equal(resp_str(&r, "suspended.0.effect_month"), "2026-11");
    long long review = json_integer_value(resp_get(&r, "reviews.0.review_id"));
    long long rec =
        json_integer_value(resp_get(&r, "recoveries.0.recovery_id"));
    assert_int_equal(
        json_integer_value(resp_get(&r, "recoveries.0.amount_fen")), 18000);
    entry(&clerk101, rec,
          "{\"kind\":\"repaid\",\"amount_fen\":5000,"
          "\"decided_on\":\"2026-12-01\"}",
          &r);
    expect_status(&r, 201);
    assert_int_equal(owed(care, "2026-11"), 0);

    const char *died;
    int active = 1;
    const char *path = fmt("/api/v1/persons/%lld/death/withdraw", who);
    /* the township's clerk does not decide the county item's resumption:
     * nothing is written */
    api_call(&srv, &clerk101, "POST", path, "{\"reason\":\"同名误报\"}", &r);
    expect_error(&r, 403, "NOT_DECIDING_LEVEL", NULL);
    member_state(hh, "陈志强", &died, &active);
    assert_string_equal(died, "2026-10-20");
    /* a withdrawal states why */
    api_call(&srv, &county101, "POST", path, "{}", &r);
    expect_error(&r, 400, "MISSING_FIELD", "reason");

    api_call(&srv, &county101, "POST", path,
             "{\"reason\":\"殡仪馆核实为同名的另一人，系误报\"}", &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "death.died_on"), "2026-10-20");
    assert_string_equal(resp_str(&r, "death.withdrawn_by"), "county.500101");
    /* the care subsidy resumes from the suspension's own month */
    assert_int_equal(json_array_size(resp_get(&r, "resumed")), 1);
    assert_int_equal(
        json_integer_value(resp_get(&r, "resumed.0.entitlement_id")), care);
    assert_string_equal(resp_str(&r, "resumed.0.effect_month"), "2026-11");
    /* 18000 owed - 5000 repaid: 13000 waived, 5000 to refund */
    assert_int_equal(json_array_size(resp_get(&r, "recoveries")), 1);
    assert_int_equal(
        json_integer_value(resp_get(&r, "recoveries.0.waived_fen")), 13000);
    assert_int_equal(
        json_integer_value(resp_get(&r, "recoveries.0.refund_fen")), 5000);
    assert_int_equal(json_integer_value(resp_get(&r, "reviews_cancelled.0")),
                     review);
    /* owed every month again: the months between are the next build's */
    assert_int_equal(owed(care, "2026-11"), 9000);
    assert_int_equal(owed(care, "2026-12"), 9000);
    assert_int_equal(owed(care, "2027-01"), 9000);
    member_state(hh, "陈志强", &died, &active);
    assert_string_equal(died, "");
    assert_true(active);
    api_call(&srv, &county101, "GET", fmt("/api/v1/recoveries/%lld", rec), NULL,
             &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "recovery.state"), "settled");
    assert_int_equal(json_integer_value(resp_get(&r, "recovery.balance_fen")),
                     0);
    api_call(&srv, &county101, "GET", fmt("/api/v1/reviews/%lld", review), NULL,
             &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "review.state"), "cancelled");
    assert_int_equal(audits(fmt("person:%lld", who), "person.death.withdraw"),
                     1);
    const char *detail =
        audit_detail(fmt("person:%lld", who), "person.death.withdraw");
    assert_non_null(strstr(detail, "\"waived_fen\":\"13000\""));
    assert_non_null(strstr(detail, "\"refund_fen\":\"5000\""));
    assert_non_null(strstr(detail, "\"reviews_cancelled\":\"1\""));
    /* once only */
    api_call(&srv, &county101, "POST", path, "{\"reason\":\"再次撤销\"}", &r);
    expect_error(&r, 409, "NOT_DEAD", "person_id");

    /* he dies in truth on 2026-12-03: recorded, suspended from 2027-01
     * (December he lived into is his; nothing after it was paid) */
    death(&county101, who, "{\"died_on\":\"2026-12-03\",\"source\":\"staff\"}",
          &r);
    expect_status(&r, 201);
    assert_string_equal(resp_str(&r, "suspended.0.effect_month"), "2027-01");
    assert_int_equal(json_array_size(resp_get(&r, "recoveries")), 0);
    member_state(hh, "陈志强", &died, &active);
    assert_string_equal(died, "2026-12-03");
    response_free(&r);
}

/* The deaths keep every household, item and entitlement as audited:
 * `doudi check`'s row checks, run in process on the suite's database. */
TEST_CASE(test_rows_as_audited)
{
    struct pii_keys *k = NULL;
    struct facts_verdict v;
    assert_int_equal(pii_keys_load(srv.key_path, &k), DD_OK);
    assert_int_equal(facts_check(st, k, &v), DD_OK);
    pii_keys_free(k);
    if (v.bad[0])
        fail_msg("doudi check: %s", v.bad);
    /* the five households, their six decided items and entitlements
     * (four of them suspended by a death, one resumed on its withdrawal
     * before it) */
    assert_int_equal(v.households, 5);
    assert_int_equal(v.case_items, 6);
    assert_int_equal(v.entitlements, 6);
}

API_SUITE("deaths", group_setup, &srv, &st,
          cmocka_unit_test(test_death_on_31st),
          cmocka_unit_test(test_death_on_1st), cmocka_unit_test(test_refusals),
          cmocka_unit_test(test_death_before_start),
          cmocka_unit_test(test_ledger_list),
          cmocka_unit_test(test_death_withdrawn),
          cmocka_unit_test(test_rows_as_audited),
          cmocka_unit_test(test_dead_member_not_counted))
