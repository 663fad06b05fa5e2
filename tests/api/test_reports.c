/* SPDX-License-Identifier: MIT */
/* The figures a bureau reports (issue 13 §6) through the API on both
 * stores. Batches are written through the store as the payment service
 * writes them (built, exported with the bank's answer, closed with
 * store_payment_summary_add_batch in the closing transaction) for four
 * approved 低保 entitlements. Hand-worked: back pay counted in the month
 * paid, a failed line counted once in its reissue batch's month, a batch
 * not closed left out, each region level and scope, CSV (BOM) and xlsx
 * with their audit rows, the dashboard's trend by district; the month's
 * new, stopped and changed cases; a batch closed through the API, and
 * one built by the payment service itself. A property test: random
 * batches over six months, the report equal to the closed batches' paid
 * lines summed by programme and urban/rural. On SQLite, the statements'
 * plans are index ranges. */
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
static struct client clerk101, reviewer101, county101, county103, city;
static struct client payer; /* a payments officer of 500101 */

/* The four households: their entitlement, and where their lines are paid
 * (a household is always paid in one township, urban or rural). */
#define HH 4
static long long ents[HH], hhs[HH];
static const char *const township[HH] = {"500101001", "500101001", "500101017",
                                         "500103001"};
static const char *const area[HH] = {"urban", "rural", "urban", "rural"};

static int
group_setup(void **state)
{
    (void)state;
    if (suite_start(&srv, "reports", NULL, &st) != 0)
        return -1;
    logins_ok(&srv, "clerk.500101001", &clerk101, "reviewer.500101001",
              &reviewer101, "county.500101", &county101, "county.500103",
              &county103, "city", &city, NULL);
    static const char *const names[HH] = {"钱学文", "冯志远", "陈立新",
                                          "褚国平"};
    for (int i = 0; i < HH; i++) {
        struct response r = {0};
        long long amount;
        ents[i] = approved_dibao(&srv, st, &clerk101, &county101, &reviewer101,
                                 81 + 2 * i, names[i], &amount);
        api_call(&srv, &county101, "GET",
                 fmt("/api/v1/entitlements/%lld", ents[i]), NULL, &r);
        expect_status(&r, 200);
        hhs[i] = json_integer_value(resp_get(&r, "entitlement.household_id"));
        response_free(&r);
    }
    return 0;
}

/* One line of a batch: household h's money for a month. */
struct line_in {
    int h;
    const char *for_month;
    int64_t gross, deduction;
    int64_t persons, elderly, minors, disabled;
    const char *status; /* the bank's answer */
    int64_t reissue_of; /* the failed line it re-pays, 0 none */
};

static void
line_row(struct payment_line_row *l, const char *county, int64_t batch,
         const struct line_in *in)
{
    memset(l, 0, sizeof(*l));
    l->batch_id = batch;
    snprintf(l->county_code, sizeof(l->county_code), "%s", county);
    snprintf(l->township_code, sizeof(l->township_code), "%s", township[in->h]);
    snprintf(l->region_code, sizeof(l->region_code), "%s001", township[in->h]);
    l->entitlement_id = ents[in->h];
    l->household_id = hhs[in->h];
    snprintf(l->month, sizeof(l->month), "%s", in->for_month);
    l->gross_fen = in->gross;
    l->deduction_fen = in->deduction;
    l->amount_fen = in->gross - in->deduction;
    snprintf(l->urban_rural, sizeof(l->urban_rural), "%s", area[in->h]);
    l->persons = in->persons;
    l->elderly = in->elderly;
    l->minors = in->minors;
    l->disabled = in->disabled;
    snprintf(l->status, sizeof(l->status), "pending");
    l->reissue_of = in->reissue_of;
}

/* A batch as the payment service leaves it, in one transaction: built
 * with the lines, exported, the bank's answer on each line, then closed
 * (with the summary brought up to date, as the close does) when close is
 * 1, reconciled when it is LEAVE_RECONCILED. Its lines' ids into ids (n
 * of them). */
#define LEAVE_RECONCILED 2
static int64_t
batch_put(const char *county, const char *item, const char *month,
          const char *kind, const struct line_in *in, size_t n, int close,
          int64_t *ids)
{
    struct store_tx *tx = NULL;
    struct payment_batch_row b = {.seq = 1, .version = 1}, last;
    struct payment_line_row lines[64];
    size_t got = 0;
    assert_true(n <= 64);
    assert_int_equal(store_tx_begin(st, STORE_WRITE, &tx), DD_OK);
    if (store_payment_batch_last(tx, county, item, month, kind, &last) == DD_OK)
        b.seq = last.seq + 1;
    snprintf(b.county_code, sizeof(b.county_code), "%s", county);
    snprintf(b.item_code, sizeof(b.item_code), "%s", item);
    snprintf(b.month, sizeof(b.month), "%s", month);
    snprintf(b.kind, sizeof(b.kind), "%s", kind);
    snprintf(b.state, sizeof(b.state), "built");
    snprintf(b.built_by, sizeof(b.built_by), "county.%s", county);
    b.built_at = 1;
    assert_int_equal(store_payment_batch_insert(tx, &b), DD_OK);
    for (size_t i = 0; i < n; i++) {
        line_row(&lines[i], county, b.id, &in[i]);
        b.line_count++;
        b.total_fen += lines[i].amount_fen;
    }
    assert_int_equal(store_payment_line_insert_many(tx, lines, n), DD_OK);
    snprintf(b.state, sizeof(b.state), "exported");
    assert_int_equal(store_payment_batch_update(tx, &b), DD_OK);
    struct payment_line_filter f = {
        .batch_id = b.id, .status = "", .township_code = ""};
    assert_int_equal(store_payment_line_page(tx, &f, lines, 64, &got), DD_OK);
    assert_int_equal(got, n);
    for (size_t i = 0; i < n; i++) {
        ids[i] = lines[i].id;
        assert_int_equal(
            store_payment_line_set_status(tx, ids[i], in[i].status, "", ""),
            DD_OK);
    }
    if (close == LEAVE_RECONCILED) {
        snprintf(b.state, sizeof(b.state), "reconciled");
        assert_int_equal(store_payment_batch_update(tx, &b), DD_OK);
    } else if (close) {
        snprintf(b.state, sizeof(b.state), "closed");
        snprintf(b.closed_by, sizeof(b.closed_by), "county.%s", county);
        b.closed_at = 2;
        assert_int_equal(store_payment_batch_update(tx, &b), DD_OK);
        assert_int_equal(store_payment_summary_add_batch(tx, b.id), DD_OK);
    }
    assert_int_equal(store_tx_commit(tx), DD_OK);
    return b.id;
}

/* GET path as sess, which must answer 200, into r. */
static void
get_ok(const struct client *sess, const char *path, struct response *r)
{
    api_call(&srv, sess, "GET", path, NULL, r);
    expect_status(r, 200);
}

/* The figures of programme item, row which ("urban", "rural", "total")
 * in the monthly reply r; NULL when the programme is absent. */
static json_t *
figures(const struct response *r, const char *item, const char *which)
{
    json_t *ps = resp_get(r, "programmes");
    for (size_t i = 0; i < json_array_size(ps); i++)
        if (strcmp(jstr(json_array_get(ps, i), "code"), item) == 0)
            return json_object_get(json_array_get(ps, i), which);
    return NULL;
}

/* The figures f: households, persons, elderly, minors, disabled, lines
 * and fen, as expected. */
static void
expect_figures(json_t *f, long long households, long long persons,
               long long elderly, long long minors, long long disabled,
               long long lines, long long fen)
{
    assert_non_null(f);
    assert_int_equal(jint(f, "households"), households);
    assert_int_equal(jint(f, "persons"), persons);
    assert_int_equal(jint(f, "elderly"), elderly);
    assert_int_equal(jint(f, "minors"), minors);
    assert_int_equal(jint(f, "disabled"), disabled);
    assert_int_equal(jint(f, "lines"), lines);
    assert_int_equal(jint(f, "amount_fen"), fen);
}

static const char *
monthly(const char *region, const char *month)
{
    return fmt("/api/v1/reports/monthly?region=%s&month=%s", region, month);
}

/* How many audit rows of action there are. */
static size_t
audit_count(const char *action)
{
    struct store_tx *tx = NULL;
    struct audit_row rows[32];
    size_t n = 0;
    struct audit_filter f = {.action = action};
    assert_int_equal(store_tx_begin(st, STORE_READ, &tx), DD_OK);
    assert_int_equal(store_audit_list(tx, &f, rows, 32, &n), DD_OK);
    store_tx_rollback(tx);
    return n;
}

/* 2026-03 and -04, by hand. */
TEST_CASE(test_hand_worked)
{
    struct response r = {0};
    int64_t a[8], b[8], c[8], d[8];
    /* 500101's 低保 for March: H0 (urban, 2 persons, both elderly) back
     * paid January to March, 500 yuan each; H1 (rural, 2 persons, a
     * minor) failed at the bank; H2 (urban, 1 disabled person) 600 yuan
     * less 100 recovered */
    const struct line_in march[] = {
        {0, "2026-01", 50000, 0, 2, 2, 0, 0, "paid", 0},
        {0, "2026-02", 50000, 0, 2, 2, 0, 0, "paid", 0},
        {0, "2026-03", 50000, 0, 2, 2, 0, 0, "paid", 0},
        {1, "2026-03", 45000, 0, 2, 0, 1, 0, "failed", 0},
        {2, "2026-03", 60000, 10000, 1, 0, 0, 1, "paid", 0},
    };
    int64_t march_id =
        batch_put("500101", "dibao", "2026-03", "regular", march, 5, 1, a);
    /* H1's March reissued and paid in April's reissue batch */
    const struct line_in reissue[] = {
        {1, "2026-03", 45000, 0, 2, 0, 1, 0, "paid", a[3]}};
    batch_put("500101", "dibao", "2026-04", "reissue", reissue, 1, 1, b);
    /* April's regular batch: exported, not closed */
    const struct line_in april[] = {
        {0, "2026-04", 50000, 0, 2, 2, 0, 0, "paid", 0},
        {1, "2026-04", 45000, 0, 2, 0, 1, 0, "paid", 0},
    };
    batch_put("500101", "dibao", "2026-04", "regular", april, 2, 0, c);
    /* 500103's 特困 for March: H3, rural, one elderly person, 700 yuan */
    const struct line_in tekun[] = {
        {3, "2026-03", 70000, 0, 1, 1, 0, 0, "paid", 0}};
    batch_put("500103", "tekun", "2026-03", "regular", tekun, 1, 1, d);

    /* 500101, March: urban H0 and H2, 2 households, 2 + 1 persons, 2
     * elderly, 1 disabled, 4 lines, 3 × 50000 + 50000 = 200000 fen; rural
     * nothing (H1 failed); no 特困 here */
    get_ok(&county101, monthly("500101", "2026-03"), &r);
    assert_string_equal(resp_str(&r, "region"), "500101");
    assert_string_equal(resp_str(&r, "region_name"), "万州区");
    assert_string_equal(resp_str(&r, "month"), "2026-03");
    expect_figures(figures(&r, "dibao", "urban"), 2, 3, 2, 0, 1, 4, 200000);
    expect_figures(figures(&r, "dibao", "rural"), 0, 0, 0, 0, 0, 0, 0);
    expect_figures(figures(&r, "dibao", "total"), 2, 3, 2, 0, 1, 4, 200000);
    assert_null(figures(&r, "tekun", "total"));
    assert_string_equal(jstr(item_at(&r, "programmes", 0), "name_zh"),
                        "最低生活保障");
    expect_figures(resp_get(&r, "all"), 2, 3, 2, 0, 1, 4, 200000);
    /* April: only the reissue (the regular batch is not closed): H1, 2
     * persons, a minor, 45000 fen, counted once, in April */
    get_ok(&county101, monthly("500101", "2026-04"), &r);
    expect_figures(figures(&r, "dibao", "rural"), 1, 2, 0, 1, 0, 1, 45000);
    expect_figures(figures(&r, "dibao", "urban"), 0, 0, 0, 0, 0, 0, 0);
    /* the city in March: 500101's 低保 and 500103's 特困 (1 household, 1
     * elderly person, 70000 fen): 270000 fen in all */
    get_ok(&city, monthly("50", "2026-03"), &r);
    assert_string_equal(resp_str(&r, "region"), "500000");
    assert_string_equal(resp_str(&r, "region_name"), "重庆市");
    expect_figures(figures(&r, "dibao", "total"), 2, 3, 2, 0, 1, 4, 200000);
    expect_figures(figures(&r, "tekun", "rural"), 1, 1, 1, 0, 0, 1, 70000);
    expect_figures(resp_get(&r, "all"), 3, 4, 3, 0, 1, 5, 270000);
    /* townships: 500101001 has H0 (150000 fen), 500101017 H2 (50000) */
    get_ok(&clerk101, monthly("500101001", "2026-03"), &r);
    expect_figures(figures(&r, "dibao", "urban"), 1, 2, 2, 0, 0, 3, 150000);
    get_ok(&county101, monthly("500101017", "2026-03"), &r);
    expect_figures(figures(&r, "dibao", "urban"), 1, 1, 0, 0, 1, 1, 50000);
    /* the caller's one scope by default: 500103 sees its 特困 only */
    get_ok(&county103, "/api/v1/reports/monthly?month=2026-03", &r);
    assert_string_equal(resp_str(&r, "region"), "500103");
    assert_null(figures(&r, "dibao", "total"));
    expect_figures(figures(&r, "tekun", "total"), 1, 1, 1, 0, 0, 1, 70000);
    /* a second refill of a closed batch's month changes nothing */
    struct store_tx *tx = NULL;
    assert_int_equal(store_tx_begin(st, STORE_WRITE, &tx), DD_OK);
    assert_int_equal(store_payment_summary_add_batch(tx, march_id), DD_OK);
    assert_int_equal(store_payment_summary_add_batch(tx, 999999), DD_ENOTFOUND);
    assert_int_equal(store_tx_commit(tx), DD_OK);
    get_ok(&county101, monthly("500101", "2026-03"), &r);
    expect_figures(figures(&r, "dibao", "total"), 2, 3, 2, 0, 1, 4, 200000);
    response_free(&r);
}

/* POST .../close of batch id as the payments officer, at the version
 * read: it must answer 200 with the batch closed. */
static void
close_via_api(int64_t id)
{
    struct response r = {0};
    get_ok(&payer, fmt("/api/v1/payment-batches/%lld", (long long)id), &r);
    long long v = jint(resp_get(&r, "batch"), "version");
    api_call(&srv, &payer, "POST",
             fmt("/api/v1/payment-batches/%lld/close", (long long)id),
             fmt("{\"version\":%lld}", v), &r);
    expect_status(&r, 200);
    assert_string_equal(resp_str(&r, "batch.state"), "closed");
    response_free(&r);
}

/* A batch closed through the API (POST .../close by a payments officer)
 * counts from then on: the close brings the summary up to date in its
 * own transaction. */
TEST_CASE(test_close_via_api)
{
    struct response r = {0};
    int64_t ids[1];
    /* the demo's payments officer of 万州区 (cmd_serve.c's demo users) */
    logins_ok(&srv, "payments.500101", &payer, NULL);
    /* H0's May, 500 yuan, reconciled: not in May's report yet */
    const struct line_in may[] = {
        {0, "2026-05", 50000, 0, 2, 2, 0, 0, "paid", 0}};
    int64_t id = batch_put("500101", "dibao", "2026-05", "regular", may, 1,
                           LEAVE_RECONCILED, ids);
    get_ok(&county101, monthly("500101", "2026-05"), &r);
    assert_int_equal(json_array_size(resp_get(&r, "programmes")), 0);
    close_via_api(id);
    /* now: 1 urban household, 2 elderly persons, 50000 fen */
    get_ok(&county101, monthly("500101", "2026-05"), &r);
    expect_figures(figures(&r, "dibao", "urban"), 1, 2, 2, 0, 0, 1, 50000);
    response_free(&r);
}

/* The refusals: each bad parameter named, out of scope not revealed. */
TEST_CASE(test_refusals)
{
    const struct call_want t[] = {
        {&county101, "GET",
         "/api/v1/reports/monthly?region=500101&month=2026-13", NULL, 400,
         "INVALID_PARAMETER", "month"},
        {&county101, "GET", "/api/v1/reports/monthly?region=500101&month=26-03",
         NULL, 400, "INVALID_PARAMETER", "month"},
        {&county101, "GET", "/api/v1/reports/monthly?region=500101&format=pdf",
         NULL, 400, "INVALID_PARAMETER", "format"},
        {&county101, "GET", "/api/v1/reports/monthly?region=500101001001", NULL,
         400, "INVALID_REGION_LEVEL", "region"},
        {&county101, "GET", "/api/v1/reports/monthly?region=500199", NULL, 404,
         "REGION_NOT_FOUND", "region"},
        {&county101, "GET", "/api/v1/reports/monthly?region=500103", NULL, 404,
         "NOT_FOUND", NULL},
        {&county101, "GET", "/api/v1/reports/caseload?region=500101001", NULL,
         400, "INVALID_REGION_LEVEL", "region"},
        {&county101, "GET", "/api/v1/reports/caseload?to=2026-1", NULL, 400,
         "INVALID_PARAMETER", "to"},
        {&county101, "GET", "/api/v1/reports/caseload?region=500103", NULL, 404,
         "NOT_FOUND", NULL},
        {&county101, "GET", "/api/v1/reports/caseload?region=50", NULL, 404,
         "NOT_FOUND", NULL},
    };
    calls_expect(&srv, t);
    call_expect(&srv, &city, "GET", "/api/v1/reports/caseload?months=37", NULL,
                400, NULL, "months");
    call_expect(&srv, &city, "GET", "/api/v1/reports/caseload?months=0", NULL,
                400, NULL, "months");
}

/* The return as CSV (UTF-8 with a BOM, yuan with 2 decimals) and xlsx,
 * each an export with its audit row. */
TEST_CASE(test_files)
{
    struct response r = {0};
    size_t before = audit_count("export.report_monthly");
    get_ok(&county101, fmt("%s&format=csv", monthly("500101", "2026-03")), &r);
    assert_non_null(strstr(resp_header(&r, "Content-Type"), "text/csv"));
    assert_memory_equal(r.body, "\xEF\xBB\xBF地区代码 region,", 18);
    /* 低保 urban in March as worked above: 2000.00 yuan; no case counts
     * on an area's row */
    assert_non_null(strstr(r.body, "\r\n500101,万州区,2026-03,dibao,"
                                   "最低生活保障,城镇 urban,2,3,2,0,1,4,"
                                   "2000.00,,,\r\n"));
    assert_non_null(strstr(r.body, ",dibao,最低生活保障,小计 total,2,3,2,0,"
                                   "1,4,2000.00,"));
    get_ok(&county101, fmt("%s&format=xlsx", monthly("500101", "2026-03")), &r);
    assert_memory_equal(r.body, "PK", 2);
    assert_int_equal(audit_count("export.report_monthly"), before + 2);
    /* the JSON read writes none */
    get_ok(&county101, monthly("500101", "2026-03"), &r);
    assert_int_equal(audit_count("export.report_monthly"), before + 2);
    response_free(&r);
}

/* The district's figures (last month) and trend in the dashboard reply
 * r, as expected over its 3 months. */
static void
expect_trend(json_t *d, const long long households[3], const long long fen[3])
{
    assert_non_null(d);
    json_t *t = json_object_get(d, "trend");
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(json_integer_value(json_array_get(
                             json_object_get(t, "households"), i)),
                         households[i]);
        assert_int_equal(json_integer_value(json_array_get(
                             json_object_get(t, "amount_fen"), i)),
                         fen[i]);
    }
    assert_int_equal(jint(d, "households"), households[2]);
    assert_int_equal(jint(d, "amount_fen"), fen[2]);
}

/* The district of code in the dashboard reply r. */
static json_t *
district(const struct response *r, const char *code)
{
    json_t *ds = resp_get(r, "districts");
    for (size_t i = 0; i < json_array_size(ds); i++)
        if (strcmp(jstr(json_array_get(ds, i), "code"), code) == 0)
            return json_array_get(ds, i);
    return NULL;
}

/* The dashboard over February to April 2026, from the hand-worked
 * batches: the city's 38 districts, a county's own. */
TEST_CASE(test_dashboard)
{
    struct response r = {0};
    get_ok(&city, "/api/v1/reports/caseload?to=2026-04&months=3", &r);
    assert_int_equal(json_array_size(resp_get(&r, "months")), 3);
    assert_string_equal(
        json_string_value(json_array_get(resp_get(&r, "months"), 0)),
        "2026-02");
    assert_int_equal(json_array_size(resp_get(&r, "districts")), 38);
    assert_string_equal(jstr(district(&r, "500101"), "name"), "万州区");
    /* 500101: March 2 households 200000 fen, April the reissue: 1 and
     * 45000; 500103: March's 特困; the city: their sums */
    expect_trend(district(&r, "500101"), (long long[]){0, 2, 1},
                 (long long[]){0, 200000, 45000});
    expect_trend(district(&r, "500103"), (long long[]){0, 1, 0},
                 (long long[]){0, 70000, 0});
    expect_trend(district(&r, "500102"), (long long[]){0, 0, 0},
                 (long long[]){0, 0, 0});
    expect_trend(resp_get(&r, "total"), (long long[]){0, 3, 1},
                 (long long[]){0, 270000, 45000});
    /* one programme */
    get_ok(&city,
           "/api/v1/reports/caseload?to=2026-04&months=3&programme=tekun", &r);
    assert_string_equal(resp_str(&r, "programme"), "tekun");
    expect_trend(resp_get(&r, "total"), (long long[]){0, 1, 0},
                 (long long[]){0, 70000, 0});
    /* a county officer: its own district only, 24 months by default */
    get_ok(&county101, "/api/v1/reports/caseload?to=2026-04", &r);
    assert_int_equal(json_array_size(resp_get(&r, "districts")), 1);
    assert_int_equal(json_array_size(resp_get(&r, "months")), 24);
    assert_string_equal(resp_str(&r, "months.23"), "2026-04");
    assert_int_equal(jint(district(&r, "500101"), "households"), 1);
    response_free(&r);
}

/* The month's new, stopped and changed cases of 500101: the four
 * entitlements start in their approval's month; a 减发 and a 停发 take
 * effect the month after, a 暂停 is neither. */
TEST_CASE(test_moves)
{
    struct response r = {0};
    get_ok(&county101, fmt("/api/v1/entitlements/%lld", ents[0]), &r);
    char start[8];
    snprintf(start, sizeof(start), "%s",
             resp_str(&r, "entitlement.start_month"));
    const char *bodies[] = {"{\"event\":\"decrease\",\"amount_fen\":1000,"
                            "\"reason_text\":\"收入增加\"}",
                            "{\"event\":\"stop\",\"reason_code\":\"death\"}",
                            "{\"event\":\"suspend\",\"reason_text\":\"外出\"}"};
    char next[8] = "";
    for (int i = 0; i < 3; i++) {
        const char *im = "If-Match: \"1\"";
        const char *headers[] = {im, NULL};
        struct request rq = {
            .method = "POST",
            .path = fmt("/api/v1/entitlements/%lld/changes", ents[i + 1]),
            .body = bodies[i],
            .sess = &county101,
            .headers = headers};
        http_do(&srv, &rq, &r);
        expect_status(&r, 200);
        snprintf(next, sizeof(next), "%s", resp_str(&r, "change.effect_month"));
    }
    /* an approval's entitlement starts the month after it (or this
     * month), so the changes' month may be the start's too */
    int same = strcmp(start, next) == 0;
    get_ok(&county101, monthly("500101", start), &r);
    json_t *d = item_at(&r, "programmes", 0);
    assert_string_equal(jstr(d, "code"), "dibao");
    assert_int_equal(jint(d, "new_cases"), HH);
    assert_int_equal(jint(d, "stopped_cases"), same);
    get_ok(&county101, monthly("500101", next), &r);
    d = item_at(&r, "programmes", 0);
    assert_int_equal(jint(d, "new_cases"), same ? HH : 0);
    assert_int_equal(jint(d, "stopped_cases"), 1);
    assert_int_equal(jint(d, "changed_cases"), 1);
    /* not in another district */
    get_ok(&county103, monthly("500103", next), &r);
    assert_int_equal(json_array_size(resp_get(&r, "programmes")), 0);
    response_free(&r);
}

/* ---- the property: report = the closed batches' paid lines ---- */

#define PROP_MONTHS 6
#define PROP_ITEMS 3
#define PROP_LINES 1200
static const char *const prop_items[PROP_ITEMS] = {"dibao", "disability_living",
                                                   "tekun"};

/* Every line written, and whether it counts (paid in a closed batch). */
struct prop_line {
    int month, item, h;
    int64_t persons, elderly, minors, disabled, fen;
    int counts;
    char urban_rural[8], township[10];
};
static struct prop_line prop[PROP_LINES];
static size_t n_prop;
static unsigned long long rng = 13;
/* The next for-month of each household (unique per entitlement). */
static int next_for[HH];

static unsigned
draw(unsigned n)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)(rng >> 33) % n;
}

static const char *
prop_month(int m)
{
    return fmt("2025-%02d", m + 1);
}

/* A random line of household h (its status drawn unless status). */
static struct line_in
random_line(int h, const char *status)
{
    static char months[HH][64][16];
    static const char *const statuses[] = {
        "paid", "paid",   "paid",   "paid",    "paid",
        "paid", "failed", "failed", "unknown", "pending"};
    int k = next_for[h]++;
    assert_true(k < 64);
    snprintf(months[h][k], 16, "%04d-%02d", 2010 + k / 12, k % 12 + 1);
    struct line_in l = {.h = h, .for_month = months[h][k]};
    l.gross = 10000 + 100 * (int64_t)draw(900);
    l.deduction = draw(4) == 0 ? (int64_t)draw((unsigned)l.gross / 2) : 0;
    l.persons = 1 + draw(5);
    l.elderly = draw((unsigned)l.persons + 1);
    l.minors = draw((unsigned)(l.persons - l.elderly) + 1);
    l.disabled = draw((unsigned)l.persons + 1);
    l.status = status ? status : statuses[draw(10)];
    return l;
}

static void
record(int m, int item, const struct line_in *l, int closed)
{
    assert_true(n_prop < PROP_LINES);
    struct prop_line *p = &prop[n_prop++];
    *p = (struct prop_line){.month = m,
                            .item = item,
                            .h = l->h,
                            .persons = l->persons,
                            .elderly = l->elderly,
                            .minors = l->minors,
                            .disabled = l->disabled,
                            .fen = l->gross - l->deduction,
                            /* the return writes only exceptions: a
                             * line left pending was paid */
                            .counts = closed && (!strcmp(l->status, "paid") ||
                                                 !strcmp(l->status, "pending"))};
    snprintf(p->urban_rural, sizeof(p->urban_rural), "%s", area[l->h]);
    snprintf(p->township, sizeof(p->township), "%s", township[l->h]);
}

/* One county's batch of item in month m over its households, and a
 * reissue next month of its failures when drawn. */
static void
prop_batch(const char *county, int m, int item)
{
    struct line_in in[32];
    int64_t ids[32];
    size_t n = 0;
    for (int h = 0; h < HH; h++) {
        if (strncmp(township[h], county, 6) != 0 || draw(4) == 0)
            continue;
        for (unsigned k = 1 + draw(3); k > 0; k--) /* with back pay */
            in[n++] = random_line(h, NULL);
    }
    if (n == 0)
        return;
    int close = draw(5) != 0;
    batch_put(county, prop_items[item], prop_month(m), "regular", in, n, close,
              ids);
    for (size_t i = 0; i < n; i++)
        record(m, item, &in[i], close);
    if (!close || m + 1 >= PROP_MONTHS || draw(2) == 0)
        return;
    struct line_in re[32];
    int64_t re_ids[32];
    size_t nr = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(in[i].status, "failed") == 0) {
            re[nr] = in[i];
            re[nr].status = draw(4) == 0 ? "failed" : "paid";
            re[nr++].reissue_of = ids[i];
        }
    if (nr == 0)
        return;
    batch_put(county, prop_items[item], prop_month(m + 1), "reissue", re, nr, 1,
              re_ids);
    for (size_t i = 0; i < nr; i++)
        record(m + 1, item, &re[i], 1);
}

/* The expected figures of month m, item and area a (or NULL both) over
 * the households under region: distinct households, each with its
 * largest line's persons, and every counted line's fen. */
static struct payment_summary_row
expected(const struct prop_line *lines, size_t n, int m, int item,
         const char *a, const char *region)
{
    struct payment_summary_row e = {0};
    int64_t best[HH][4] = {{0}};
    int seen[HH] = {0};
    for (size_t i = 0; i < n; i++) {
        const struct prop_line *p = &lines[i];
        if (!p->counts || p->month != m || p->item != item ||
            strcmp(p->urban_rural, a) != 0 ||
            strncmp(p->township, region, strlen(region)) != 0)
            continue;
        int64_t v[4] = {p->persons, p->elderly, p->minors, p->disabled};
        for (int k = 0; k < 4; k++)
            if (v[k] > best[p->h][k])
                best[p->h][k] = v[k];
        seen[p->h] = 1;
        e.lines++;
        e.amount_fen += p->fen;
    }
    for (int h = 0; h < HH; h++) {
        e.households += seen[h];
        e.persons += best[h][0];
        e.elderly += best[h][1];
        e.minors += best[h][2];
        e.disabled += best[h][3];
    }
    return e;
}

static void
expect_summary(json_t *f, const struct payment_summary_row *e)
{
    expect_figures(f, e->households, e->persons, e->elderly, e->minors,
                   e->disabled, e->lines, e->amount_fen);
}

TEST_CASE(test_property)
{
    struct response r = {0};
    static const char *const regions[] = {"50", "500101", "500103", "500101001",
                                          "500101017"};
    for (int m = 0; m < PROP_MONTHS; m++)
        for (int item = 0; item < PROP_ITEMS; item++) {
            prop_batch("500101", m, item);
            prop_batch("500103", m, item);
        }
    int64_t city_households[PROP_MONTHS] = {0}, city_fen[PROP_MONTHS] = {0};
    for (int m = 0; m < PROP_MONTHS; m++)
        for (size_t g = 0; g < sizeof(regions) / sizeof(regions[0]); g++) {
            get_ok(&city, monthly(regions[g], prop_month(m)), &r);
            size_t listed = 0;
            for (int item = 0; item < PROP_ITEMS; item++) {
                struct payment_summary_row u =
                    expected(prop, n_prop, m, item, "urban", regions[g]);
                struct payment_summary_row v =
                    expected(prop, n_prop, m, item, "rural", regions[g]);
                if (u.lines + v.lines == 0) {
                    assert_null(figures(&r, prop_items[item], "total"));
                    continue;
                }
                listed++;
                expect_summary(figures(&r, prop_items[item], "urban"), &u);
                expect_summary(figures(&r, prop_items[item], "rural"), &v);
                assert_int_equal(
                    jint(figures(&r, prop_items[item], "total"), "amount_fen"),
                    u.amount_fen + v.amount_fen);
                if (g == 0) {
                    city_households[m] += u.households + v.households;
                    city_fen[m] += u.amount_fen + v.amount_fen;
                }
            }
            assert_int_equal(json_array_size(resp_get(&r, "programmes")),
                             listed);
        }
    /* the dashboard's city trend: the same sums over programmes */
    get_ok(&city, "/api/v1/reports/caseload?to=2025-06&months=6", &r);
    json_t *t = resp_get(&r, "total.trend");
    for (int m = 0; m < PROP_MONTHS; m++) {
        assert_int_equal(json_integer_value(json_array_get(
                             json_object_get(t, "households"), (size_t)m)),
                         city_households[m]);
        assert_int_equal(json_integer_value(json_array_get(
                             json_object_get(t, "amount_fen"), (size_t)m)),
                         city_fen[m]);
    }
    response_free(&r);
}

/* The payment service's own build of 500101's 低保 for the entitlements'
 * first month, its lines answered by the bank (the first failed), then
 * closed through the API: the return is its paid lines. */
TEST_CASE(test_build_to_report)
{
    struct response r = {0};
    struct prop_line built[64];
    size_t n = 0;
    get_ok(&county101, fmt("/api/v1/entitlements/%lld", ents[0]), &r);
    char month[8];
    snprintf(month, sizeof(month), "%s",
             resp_str(&r, "entitlement.start_month"));
    api_call(&srv, &payer, "POST", "/api/v1/payment-batches",
             fmt("{\"county\":\"500101\",\"item\":\"dibao\","
                 "\"month\":\"%s\"}",
                 month),
             &r);
    expect_status(&r, 201);
    int64_t id = jint(resp_get(&r, "batch"), "id");
    get_ok(&payer,
           fmt("/api/v1/payment-batches/%lld/lines?limit=64", (long long)id),
           &r);
    json_t *lines = resp_get(&r, "lines");
    assert_true(json_array_size(lines) > 0);
    /* exported, the bank's answer, reconciled: as the bank files do */
    struct store_tx *tx = NULL;
    struct payment_batch_row b;
    assert_int_equal(store_tx_begin(st, STORE_WRITE, &tx), DD_OK);
    assert_int_equal(store_payment_batch_get(tx, id, &b), DD_OK);
    snprintf(b.state, sizeof(b.state), "exported");
    assert_int_equal(store_payment_batch_update(tx, &b), DD_OK);
    for (size_t i = 0; i < json_array_size(lines) && n < 64; i++) {
        json_t *l = json_array_get(lines, i);
        const char *status =
            i == 0 && json_array_size(lines) > 1 ? "failed" : "paid";
        assert_int_equal(
            store_payment_line_set_status(tx, jint(l, "id"), status, "", ""),
            DD_OK);
        /* the suite's households are urban (couple_post) */
        assert_string_equal(jstr(l, "urban_rural"), "urban");
        struct prop_line *p = &built[n++];
        *p = (struct prop_line){.h = HH,
                                .persons = jint(l, "persons"),
                                .elderly = jint(l, "elderly"),
                                .minors = jint(l, "minors"),
                                .disabled = jint(l, "disabled"),
                                .fen = jint(l, "amount_fen"),
                                .counts = strcmp(status, "paid") == 0};
        for (int h = 0; h < HH; h++)
            if (hhs[h] == jint(l, "household_id"))
                p->h = h;
        assert_true(p->h < HH); /* one of the suite's households */
        snprintf(p->urban_rural, sizeof(p->urban_rural), "urban");
        snprintf(p->township, sizeof(p->township), "%s", jstr(l, "township"));
    }
    snprintf(b.state, sizeof(b.state), "reconciled");
    assert_int_equal(store_payment_batch_update(tx, &b), DD_OK);
    assert_int_equal(store_tx_commit(tx), DD_OK);
    close_via_api(id);
    get_ok(&county101, monthly("500101", month), &r);
    struct payment_summary_row u = expected(built, n, 0, 0, "urban", "500101");
    assert_true(u.lines > 0);
    expect_summary(figures(&r, "dibao", "urban"), &u);
    response_free(&r);
}

/* On SQLite: the text of plan of statement id. */
static void
plan_of(enum stmt id, char *plan, size_t cap)
{
    const char *url = harness_db_url();
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    plan[0] = '\0';
    assert_int_equal(sqlite3_open_v2(url + 7, &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    const char *sql = fmt("EXPLAIN QUERY PLAN %s", store_stmt_sql(id, 0));
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    while (sqlite3_step(q) == SQLITE_ROW) {
        size_t len = strlen(plan);
        snprintf(plan + len, cap - len, "%s;",
                 (const char *)sqlite3_column_text(q, 3));
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
}

/* On SQLite: each statement reads a range of its index, never a whole
 * table (24 months × 1.5M lines, a city's caseload). */
TEST_CASE(test_plans)
{
    char plan[4096];
    if (strncmp(harness_db_url(), "sqlite:", 7) != 0)
        return; /* PostgreSQL's planner picks by table size: not asserted */
    plan_of(STMT_PAYMENT_SUMMARY_EACH, plan, sizeof(plan));
    if (!strstr(plan, "USING INDEX payment_summary_key (month=? AND "
                      "township_code>? AND township_code<?)"))
        fail_msg("summary plan: %s", plan);
    plan_of(STMT_PAYMENT_TREND_EACH, plan, sizeof(plan));
    if (!strstr(plan, "USING INDEX payment_summary_key (month>? AND month<?)"))
        fail_msg("trend plan: %s", plan);
    /* the batches of a county, programme and month by their unique key,
     * then each one's lines */
    plan_of(STMT_PAYMENT_SUMMARY_FILL, plan, sizeof(plan));
    if (!strstr(plan, "SEARCH b USING INDEX ") ||
        !strstr(plan, "(county_code=? AND item_code=? AND month=?)") ||
        !strstr(plan,
                "SEARCH l USING INDEX payment_line_by_batch (batch_id=?)"))
        fail_msg("fill plan: %s", plan);
    plan_of(STMT_CASELOAD_MOVE_EACH, plan, sizeof(plan));
    if (!strstr(plan, "USING INDEX entitlement_start (start_month=? AND "
                      "region_code>? AND region_code<?)") ||
        !strstr(plan, "INDEX entitlement_change_effect (effect_month=? "
                      "AND event=?)"))
        fail_msg("moves plan: %s", plan);
    /* the KPI cohort: the region's range of case_item_by_village with the
     * report's days, not every item of the city */
    plan_of(STMT_KPI_CASE_EACH, plan, sizeof(plan));
    if (!strstr(plan, "SEARCH c USING INDEX case_item_by_village "
                      "(village_code>? AND village_code<?)") ||
        strstr(plan, "SCAN c"))
        fail_msg("KPI cohort plan: %s", plan);
}

/* The same ranges on PostgreSQL (sqlite_plan.h pg_plan: sequential scans
 * priced out, so a scan left is one no index serves). */
TEST_CASE(test_plans_pg)
{
    plan_expect("KPI cohort",
                pg_plan(store_stmt_sql(STMT_KPI_CASE_EACH, 1), NULL),
                "Index Cond: ((village_code >= $1)", "Seq Scan on case_item",
                NULL);
    plan_expect("summary",
                pg_plan(store_stmt_sql(STMT_PAYMENT_SUMMARY_EACH, 1), NULL),
                "payment_summary_key", "Seq Scan", NULL);
}

API_SUITE("reports", group_setup, &srv, &st, cmocka_unit_test(test_hand_worked),
          cmocka_unit_test(test_close_via_api), cmocka_unit_test(test_refusals),
          cmocka_unit_test(test_files), cmocka_unit_test(test_dashboard),
          cmocka_unit_test(test_moves), cmocka_unit_test(test_property),
          cmocka_unit_test(test_build_to_report), cmocka_unit_test(test_plans),
          cmocka_unit_test(test_plans_pg))
