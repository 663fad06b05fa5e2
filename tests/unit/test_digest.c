/* SPDX-License-Identifier: MIT */
/* The digests `doudi check` recomputes (src/audit/digest.h): the encoding
 * rebuilt by hand (length ':' value ';', a long value past the buffer),
 * a household digested as loaded equal to the same household digested as
 * the bulk writers insert it, and different once one fact changes (an
 * income, a sealed phone, a member's field), a decision's digest moved by
 * its amount and its facts, and a batch's sum by each row and its order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "unit_main.h"

#include "audit/digest.h"
#include "crypto/sm3.h"

static void
test_encoding(void **state)
{
    struct digest d;
    char got[DIGEST_HEX_LEN + 1], want[DIGEST_HEX_LEN + 1];
    static char big[DIGEST_BUF + 100], text[DIGEST_BUF + 200];
    (void)state;
    assert_int_equal(digest_begin(&d, "k/v1"), DD_OK);
    digest_str(&d, "ab");
    digest_int(&d, -5);
    digest_int(&d, INT64_MIN);
    digest_str(&d, "");
    digest_end(&d, got);
    snprintf(text, sizeof(text), "4:k/v1;2:ab;2:-5;20:%lld;0:;",
             (long long)INT64_MIN);
    sm3_hex(text, strlen(text), want);
    assert_string_equal(got, want);
    /* a value longer than the buffer goes through whole */
    memset(big, 'x', sizeof(big) - 1);
    assert_int_equal(digest_begin(&d, "k"), DD_OK);
    digest_str(&d, big);
    digest_end(&d, got);
    int n = snprintf(text, sizeof(text), "1:k;%zu:%s;", strlen(big), big);
    sm3_hex(text, (size_t)n, want);
    assert_string_equal(got, want);
}

/* One household twice: as the bulk writers hold it (members with their
 * incomes) and as registry_load returns it (incomes of all members in id
 * order). */
struct fixture {
    struct registry_member m[2];
    struct registry_input in;
    struct person_row p[2];
    struct income_row inc[3];
    struct registry_household rh;
};

static void
fixture_fill(struct fixture *f)
{
    memset(f, 0, sizeof(*f));
    struct household_row h = {.id = 7,
                              .county_code = "500103",
                              .region_code = "500103001003",
                              .hukou_region = "500103001003",
                              .urban_or_rural = "urban",
                              .status = "active"};
    snprintf(h.contact_phone_hash, sizeof(h.contact_phone_hash), "%064d", 1);
    snprintf(h.contact_phone_enc, sizeof(h.contact_phone_enc), "v2:phone");
    snprintf(h.bank_account_enc, sizeof(h.bank_account_enc), "v2:bank");
    f->in.h = h;
    for (int i = 0; i < 2; i++) {
        struct person_row *p = &f->m[i].p;
        p->id = 20 + i;
        p->household_id = 7;
        snprintf(p->id_hash, sizeof(p->id_hash), "%064d", 2 + i);
        snprintf(p->name, sizeof(p->name), "%s", i ? "李娜" : "张伟");
        snprintf(p->sex, sizeof(p->sex), "%s", i ? "F" : "M");
        snprintf(p->birth_date, sizeof(p->birth_date), "1980-01-0%d", i + 1);
        p->relation = i;
        p->employed = 5; /* any non-zero: stored as 1 */
    }
    f->m[0].incomes[0] = (struct income_row){
        .id = 1, .person_id = 20, .kind = 0, .monthly_fen = 210000};
    f->m[0].incomes[1] = (struct income_row){
        .id = 2, .person_id = 20, .kind = 3, .monthly_fen = 5000};
    f->m[0].income_count = 2;
    f->m[1].incomes[0] = (struct income_row){
        .id = 3, .person_id = 21, .kind = 0, .monthly_fen = 120000};
    f->m[1].income_count = 1;
    f->in.members = f->m;
    f->in.member_count = 2;
    f->in.assets[0] = (struct asset_row){.id = 9,
                                         .household_id = 7,
                                         .owner_person_id = 20,
                                         .kind = 2,
                                         .value_fen = 3000000,
                                         .count = 1};
    f->in.asset_count = 1;

    f->rh.h = f->in.h;
    f->rh.h.version = 3; /* versions and times are not facts */
    f->rh.h.updated_at = 1700000000;
    for (int i = 0; i < 2; i++) {
        f->p[i] = f->m[i].p;
        f->p[i].employed = 1;
        f->p[i].active = 1;
    }
    f->rh.members = f->p;
    f->rh.member_count = 2;
    f->inc[0] = f->m[0].incomes[0];
    f->inc[1] = f->m[0].incomes[1];
    f->inc[2] = f->m[1].incomes[0];
    f->rh.incomes = f->inc;
    f->rh.income_count = 3;
    f->rh.assets = f->in.assets;
    f->rh.asset_count = 1;
}

static void
test_household(void **state)
{
    static struct fixture f;
    char a[DIGEST_HEX_LEN + 1], b[DIGEST_HEX_LEN + 1];
    (void)state;
    fixture_fill(&f);
    assert_int_equal(digest_household_input(&f.in, a), DD_OK);
    assert_int_equal(digest_household(&f.rh, b), DD_OK);
    assert_string_equal(a, b);
    /* the bulk insert does not read income ids back: not digested */
    f.m[1].incomes[0].id = 0;
    assert_int_equal(digest_household_input(&f.in, a), DD_OK);
    assert_string_equal(a, b);

    f.inc[2].monthly_fen = 0; /* issue 12 (b) */
    assert_int_equal(digest_household(&f.rh, a), DD_OK);
    assert_string_not_equal(a, b);
    fixture_fill(&f);
    snprintf(f.rh.h.bank_account_enc, sizeof(f.rh.h.bank_account_enc),
             "v2:another");
    assert_int_equal(digest_household(&f.rh, a), DD_OK);
    assert_string_not_equal(a, b);
    fixture_fill(&f);
    f.p[1].disability_grade = 1;
    assert_int_equal(digest_household(&f.rh, a), DD_OK);
    assert_string_not_equal(a, b);
    fixture_fill(&f);
    f.rh.asset_count = 0;
    assert_int_equal(digest_household(&f.rh, a), DD_OK);
    assert_string_not_equal(a, b);
}

static void
test_decision(void **state)
{
    struct case_item_row c = {.id = 8,
                              .household_id = 7,
                              .item_code = "dibao",
                              .decision = "approved",
                              .amount_fen = 154000};
    struct entitlement_row e = {.id = 3,
                                .household_id = 7,
                                .item_code = "dibao",
                                .case_item_id = 8,
                                .monthly_fen = 154000,
                                .start_month = "2026-12",
                                .state = "active"};
    char base[DIGEST_HEX_LEN + 1], x[DIGEST_HEX_LEN + 1];
    char facts[DIGEST_HEX_LEN + 1], facts2[DIGEST_HEX_LEN + 1];
    (void)state;
    assert_int_equal(digest_facts("aa", "{}", facts), DD_OK);
    assert_int_equal(digest_facts("ab", "{}", facts2), DD_OK);
    assert_string_not_equal(facts, facts2);
    assert_int_equal(digest_decision(&c, &e, facts, base), DD_OK);
    c.amount_fen += 50000; /* issue 12 (a) */
    assert_int_equal(digest_decision(&c, &e, facts, x), DD_OK);
    assert_string_not_equal(x, base);
    c.amount_fen -= 50000;
    e.monthly_fen += 1;
    assert_int_equal(digest_decision(&c, &e, facts, x), DD_OK);
    assert_string_not_equal(x, base);
    e.monthly_fen -= 1;
    assert_int_equal(digest_decision(&c, &e, facts2, x), DD_OK);
    assert_string_not_equal(x, base);
    assert_int_equal(digest_decision(&c, NULL, facts, x), DD_OK);
    assert_string_not_equal(x, base);
    assert_int_equal(digest_decision(&c, &e, facts, x), DD_OK);
    assert_string_equal(x, base);
}

static void
test_batch(void **state)
{
    struct digest_batch b = {0};
    char one[DIGEST_HEX_LEN + 1], two[DIGEST_HEX_LEN + 1];
    char sum[DIGEST_HEX_LEN + 1], x[DIGEST_HEX_LEN + 1];
    (void)state;
    memset(one, 'a', DIGEST_HEX_LEN);
    one[DIGEST_HEX_LEN] = '\0';
    memset(two, 'b', DIGEST_HEX_LEN);
    two[DIGEST_HEX_LEN] = '\0';
    assert_int_equal(digest_batch_add(&b, 1, one), DD_OK);
    assert_int_equal(digest_batch_add(&b, 2, two), DD_OK);
    assert_int_equal(b.count, 2);
    assert_string_equal(b.rows[1].object, "household:2");
    assert_int_equal(b.rows[1].n, 2);
    assert_int_equal(digest_batch_sum(b.rows, b.count, sum), DD_OK);
    /* each row counts, and where it stands */
    b.rows[1].digest[0] = 'c';
    assert_int_equal(digest_batch_sum(b.rows, b.count, x), DD_OK);
    assert_string_not_equal(x, sum);
    b.rows[1].digest[0] = 'b';
    struct audit_digest_row t = b.rows[0];
    b.rows[0] = b.rows[1];
    b.rows[1] = t;
    assert_int_equal(digest_batch_sum(b.rows, b.count, x), DD_OK);
    assert_string_not_equal(x, sum);
    assert_int_equal(digest_batch_sum(b.rows, 1, x), DD_OK);
    assert_string_not_equal(x, sum);
    digest_batch_free(&b);
    assert_int_equal(b.count, 0);
}

UNIT_TESTS(NULL, NULL, cmocka_unit_test(test_encoding),
           cmocka_unit_test(test_household), cmocka_unit_test(test_decision),
           cmocka_unit_test(test_batch))
