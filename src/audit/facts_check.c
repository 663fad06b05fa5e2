/* SPDX-License-Identifier: MIT */
/* The rows against the digests their audit rows carry, and every sealed
 * value opened on its row (see facts_check.h). The audited digests are
 * gathered first, by id (ids are dense), then the rows are walked in id
 * order: households with their members, the other sealed values, the
 * case items, the entitlements, the payees' accounts. */
#include "audit/facts_check.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/digest.h"
#include "cases/payees.h"
#include "core/grow.h"
#include "core/str.h"
#include "crypto/crypto.h"
#include "registry/registry.h"
#include "json/json_digest.h"

#define PAGE 256
#define ARENA_CAP (1u << 20)

/* The latest digest vouched for an object, and by which audit row. */
struct vouched {
    int64_t seq; /* 0: none */
    char digest[DIGEST_HEX_LEN + 1];
    char facts[DIGEST_HEX_LEN + 1]; /* a decision's facts_digest */
    int decided;                    /* a case item with a decision */
};

/* By id, grown as ids are seen. */
struct vouched_map {
    struct vouched *v;
    size_t cap;
};

/* A batch's audit row: how many rows it vouches for, and their sum. */
struct batch {
    int64_t seq, count;
    char digest[DIGEST_HEX_LEN + 1];
};

struct check {
    struct store_tx *tx;
    const struct pii_keys *k;
    struct facts_verdict *out;
    struct vouched_map households, items, entitlements, accounts;
    struct batch *batches;
    size_t batch_count, batch_cap;
    /* the audit_digest walk: the batch being summed */
    struct audit_digest_row *rows;
    size_t row_count, row_cap;
    enum dd_status rc;
};

static void fail(struct check *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
fail(struct check *c, const char *fmt, ...)
{
    va_list ap;
    if (c->out->bad[0])
        return; /* the first is named */
    va_start(ap, fmt);
    vsnprintf(c->out->bad, sizeof(c->out->bad), fmt, ap);
    va_end(ap);
}

static struct vouched *
vouched_at(struct check *c, struct vouched_map *m, int64_t id)
{
    if (id <= 0)
        return NULL;
    if ((size_t)id >= m->cap) {
        size_t cap = m->cap ? m->cap : 1024;
        while (cap <= (size_t)id)
            cap *= 2;
        struct vouched *v = realloc(m->v, cap * sizeof(*v));
        if (!v) {
            c->rc = DD_ENOMEM;
            return NULL;
        }
        memset(v + m->cap, 0, (cap - m->cap) * sizeof(*v));
        m->v = v;
        m->cap = cap;
    }
    return &m->v[id];
}

/* Records digest for object ("household:N", "case_item:N",
 * "entitlement:N") at seq when
 * it is the latest. */
static void
vouch(struct check *c, const char *object, int64_t seq, const char *digest,
      const char *facts)
{
    struct vouched_map *m = NULL;
    int64_t id = 0;
    if (sscanf(object, "household:%" SCNd64, &id) == 1)
        m = &c->households;
    else if (sscanf(object, "case_item:%" SCNd64, &id) == 1)
        m = &c->items;
    else if (sscanf(object, "entitlement:%" SCNd64, &id) == 1)
        m = &c->entitlements;
    else if (sscanf(object, "payee_account:%" SCNd64, &id) == 1)
        m = &c->accounts;
    struct vouched *v = m ? vouched_at(c, m, id) : NULL;
    if (!v || v->seq > seq)
        return;
    v->seq = seq;
    str_copy(v->digest, sizeof(v->digest), digest);
    str_copy(v->facts, sizeof(v->facts), facts ? facts : "");
}

/* ---- 1. the audit rows' digests ---- */

static enum dd_status
read_audit(struct check *c)
{
    struct audit_filter f = {0};
    struct audit_row *rows = calloc(PAGE, sizeof(*rows));
    size_t n = 0;
    enum dd_status rc = rows ? DD_OK : DD_ENOMEM;
    while (rc == DD_OK && c->rc == DD_OK) {
        rc = store_audit_list(c->tx, &f, rows, PAGE, &n);
        for (size_t i = 0; rc == DD_OK && i < n; i++) {
            struct json_digests d;
            json_audit_digests(rows[i].detail, &d);
            if (d.digests >= 0 && d.digest[0]) {
                struct batch *all = grow_room(c->batches, c->batch_count,
                                              &c->batch_cap, sizeof(*all), 64);
                if (!all)
                    return DD_ENOMEM;
                c->batches = all;
                struct batch *b = &all[c->batch_count++];
                b->seq = rows[i].seq;
                b->count = d.digests;
                str_copy(b->digest, sizeof(b->digest), d.digest);
            } else if (d.digest[0]) {
                vouch(c, rows[i].object, rows[i].seq, d.digest, d.facts_digest);
            }
        }
        if (n < PAGE)
            break;
        f.after_seq = rows[n - 1].seq;
    }
    free(rows);
    return rc != DD_OK ? rc : c->rc;
}

/* ---- 2. the batches' rows, each batch against its audit row ---- */

static struct batch *
batch_of(struct check *c, int64_t seq)
{
    /* in seq order, as read */
    size_t lo = 0, hi = c->batch_count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c->batches[mid].seq < seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->batch_count && c->batches[lo].seq == seq ? &c->batches[lo]
                                                            : NULL;
}

/* The rows gathered for one seq against its batch's audit row; then
 * each row vouches for its object. */
static void
batch_close(struct check *c)
{
    char sum[DIGEST_HEX_LEN + 1];
    if (c->row_count == 0)
        return;
    int64_t seq = c->rows[0].seq;
    struct batch *b = batch_of(c, seq);
    if (digest_batch_sum(c->rows, c->row_count, sum) != DD_OK) {
        c->rc = DD_ENOMEM;
        return;
    }
    if (!b || b->count != (int64_t)c->row_count || strcmp(sum, b->digest) != 0)
        fail(c,
             "audit_digest rows of audit row %" PRId64
             ": they differ from the digest that row carries",
             seq);
    else
        for (size_t i = 0; i < c->row_count; i++)
            vouch(c, c->rows[i].object, seq, c->rows[i].digest, NULL);
    if (b)
        b->count = -1; /* seen */
    c->row_count = 0;
}

static int
digest_row(const struct audit_digest_row *r, void *ctx)
{
    struct check *c = ctx;
    if (c->row_count > 0 && c->rows[0].seq != r->seq)
        batch_close(c);
    struct audit_digest_row *x =
        grow_room(c->rows, c->row_count, &c->row_cap, sizeof(*x), 1024);
    if (!x) {
        c->rc = DD_ENOMEM;
        return 1;
    }
    c->rows = x;
    c->rows[c->row_count++] = *r;
    return c->rc != DD_OK;
}

static enum dd_status
read_batches(struct check *c)
{
    enum dd_status rc = store_audit_digest_each(c->tx, digest_row, c);
    if (rc == DD_OK)
        batch_close(c);
    /* a batch row whose audit_digest rows are all gone */
    for (size_t i = 0; rc == DD_OK && i < c->batch_count; i++)
        if (c->batches[i].count > 0)
            fail(c, "audit_digest rows of audit row %" PRId64 ": missing",
                 c->batches[i].seq);
    return rc != DD_OK ? rc : c->rc;
}

/* ---- 3. the households: sealed values open, digests match ---- */

/* Opens sealed on its row; names the row when it does not open. */
static void
must_open(struct check *c, const struct pii_ad *ad, const char *sealed,
          const char *table, int64_t id)
{
    char plain[PII_PLAINTEXT_MAX + 1];
    if (!sealed[0])
        return;
    c->out->sealed++;
    if (pii_open(c->k, ad, sealed, plain, sizeof(plain)) != DD_OK)
        fail(c,
             "%s %" PRId64 ": %s does not open on its row (moved from "
             "another row or altered)",
             table, id, ad->column);
    crypto_wipe(plain, sizeof(plain));
}

static void
household_check(struct check *c, const struct registry_household *rh)
{
    char row[24], digest[DIGEST_HEX_LEN + 1];
    for (size_t i = 0; i < rh->member_count; i++) {
        const struct person_row *p = &rh->members[i];
        must_open(c, &PII_AD_PERSON_ID(p->id_hash), p->id_enc, "person", p->id);
        must_open(c, &PII_AD_PERSON_CARD(p->id_hash), p->disability_card_enc,
                  "person", p->id);
    }
    snprintf(row, sizeof(row), "%" PRId64, rh->h.id);
    must_open(c, &PII_AD_HOUSEHOLD_PHONE(row), rh->h.contact_phone_enc,
              "household", rh->h.id);
    must_open(c, &PII_AD_HOUSEHOLD_BANK(row), rh->h.bank_account_enc,
              "household", rh->h.id);
    if (digest_household(rh, digest) != DD_OK) {
        c->rc = DD_ENOMEM;
        return;
    }
    struct vouched *v = vouched_at(c, &c->households, rh->h.id);
    if (v && v->seq == 0)
        fail(c, "household %" PRId64 ": no audit row vouches for it", rh->h.id);
    else if (v && strcmp(v->digest, digest) != 0)
        fail(c,
             "household %" PRId64
             ": its rows (members, incomes, assets, obligors) differ from "
             "the digest audited in row %" PRId64,
             rh->h.id, v->seq);
    c->out->households++;
}

static enum dd_status
read_households(struct check *c)
{
    struct household_row *page = calloc(PAGE, sizeof(*page));
    int64_t after = 0;
    size_t n = 0;
    enum dd_status rc = page ? DD_OK : DD_ENOMEM;
    while (rc == DD_OK && c->rc == DD_OK && !c->out->bad[0]) {
        rc = store_household_list(c->tx, "", after, page, PAGE, &n);
        for (size_t i = 0; rc == DD_OK && i < n && !c->out->bad[0]; i++) {
            struct registry_household rh;
            struct arena *a = arena_new(ARENA_CAP);
            rc = a ? registry_load(c->tx, a, page[i].id, &rh) : DD_ENOMEM;
            if (rc == DD_OK)
                household_check(c, &rh);
            arena_free(a);
        }
        if (n < PAGE)
            break;
        after = page[n - 1].id;
    }
    free(page);
    return rc != DD_OK ? rc : c->rc;
}

/* ---- 4. the other sealed values ---- */

static int
sealed_row(const struct store_sealed_row *r, void *ctx)
{
    struct check *c = ctx;
    struct pii_ad ad = {r->table, "phone_enc", r->row_key};
    char plain[PII_PLAINTEXT_MAX + 1];
    c->out->sealed++;
    if (pii_open(c->k, &ad, r->sealed, plain, sizeof(plain)) != DD_OK)
        fail(c,
             "%s (phone_hash %.8s...): phone_enc does not open on its row "
             "(moved from another row or altered)",
             r->table, r->row_key);
    crypto_wipe(plain, sizeof(plain));
    return c->out->bad[0] != '\0';
}

/* ---- 5. the decided case items ---- */

static void
item_check(struct check *c, int64_t id)
{
    struct vouched *v = vouched_at(c, &c->items, id);
    struct case_item_row item;
    struct entitlement_row e;
    char digest[DIGEST_HEX_LEN + 1];
    if (!v)
        return;
    if (v->seq == 0) {
        fail(c,
             "case_item %" PRId64 ": decided, but no audit row vouches "
             "for its decision",
             id);
        return;
    }
    enum dd_status rc = store_case_item_get(c->tx, id, &item);
    if (rc == DD_OK)
        rc = store_entitlement_by_case_item(c->tx, id, &e);
    if (rc == DD_OK || rc == DD_ENOTFOUND)
        rc = digest_decision(&item, rc == DD_OK ? &e : NULL, v->facts, digest);
    if (rc != DD_OK) {
        c->rc = rc;
        return;
    }
    if (strcmp(digest, v->digest) != 0)
        fail(c,
             "case_item %" PRId64
             ": its decision, amount or entitlement differs from the "
             "digest audited in row %" PRId64,
             id, v->seq);
    c->out->case_items++;
}

/* Marks a decided item (checked after the walk: no query inside it). */
static int
decided_item(const int64_t *id, void *ctx)
{
    struct check *c = ctx;
    struct vouched *v = vouched_at(c, &c->items, *id);
    if (v)
        v->decided = 1;
    return c->rc != DD_OK;
}

static enum dd_status
read_items(struct check *c)
{
    enum dd_status rc = store_decided_case_items_each(c->tx, decided_item, c);
    /* every decided item, and every item an audit row vouches for (its
     * decision may be gone) */
    for (size_t id = 1;
         rc == DD_OK && c->rc == DD_OK && !c->out->bad[0] && id < c->items.cap;
         id++)
        if (c->items.v[id].decided || c->items.v[id].seq > 0)
            item_check(c, (int64_t)id);
    return rc != DD_OK ? rc : c->rc;
}

/* ---- 6. the entitlements after approval ---- */

/* An entitlement decided on since its approval must give the digest of
 * its latest decision's audit row; one never decided on must still be as
 * its approval opened it (active at the amount approved), which the
 * case item's own decision digest vouches for. */
static void
entitlement_check(struct check *c, const struct entitlement_row *e)
{
    struct vouched *v = vouched_at(c, &c->entitlements, e->id);
    struct entitlement_change_row last;
    char digest[DIGEST_HEX_LEN + 1];
    if (!v)
        return;
    c->out->entitlements++;
    if (v->seq == 0) {
        if (strcmp(e->state, "active") != 0 ||
            e->amount_fen != e->monthly_fen || e->stop_reason[0])
            fail(c,
                 "entitlement %" PRId64 ": its state or amount changed, "
                 "but no audit row vouches for a decision on it",
                 e->id);
        return;
    }
    /* none: only its payee was named (seq 0, cases/payees.c); were its
     * changes gone, the digest differs from their audit row's */
    enum dd_status rc = store_entitlement_change_last(c->tx, e->id, &last);
    if (rc == DD_ENOTFOUND) {
        memset(&last, 0, sizeof(last));
        rc = DD_OK;
    }
    if (rc == DD_OK)
        rc = digest_entitlement(e, &last, digest);
    if (rc != DD_OK) {
        c->rc = rc;
        return;
    }
    if (strcmp(digest, v->digest) != 0)
        fail(c,
             "entitlement %" PRId64
             ": its state, amount, payee or latest change differs from the "
             "digest audited in row %" PRId64,
             e->id, v->seq);
}

static enum dd_status
read_entitlements(struct check *c)
{
    struct entitlement_row *page = calloc(PAGE, sizeof(*page));
    int64_t after = 0;
    size_t n = 0;
    enum dd_status rc = page ? DD_OK : DD_ENOMEM;
    while (rc == DD_OK && c->rc == DD_OK && !c->out->bad[0]) {
        rc = store_entitlement_after(c->tx, after, page, PAGE, &n);
        for (size_t i = 0; rc == DD_OK && i < n && !c->out->bad[0]; i++)
            entitlement_check(c, &page[i]);
        if (n < PAGE)
            break;
        after = page[n - 1].id;
    }
    free(page);
    return rc != DD_OK ? rc : c->rc;
}

/* ---- 7. the payees' accounts ---- */

/* An account must give the digest of its latest audit row (entered,
 * confirmed, rejected or superseded: cases/payees.c) and its number must
 * open on its own row. */
static void
account_check(struct check *c, const struct payee_account_row *a)
{
    struct vouched *v = vouched_at(c, &c->accounts, a->id);
    char digest[DIGEST_HEX_LEN + 1];
    char number[PAYEE_NUMBER_MAX + 1];
    if (!v)
        return;
    c->out->sealed++;
    enum dd_status rc = cases_payee_account_digest(a, digest);
    if (rc != DD_OK) {
        c->rc = rc;
        return;
    }
    if (v->seq == 0 || strcmp(digest, v->digest) != 0)
        fail(c,
             "payee_account %" PRId64
             ": its person, bank, name or state differs from the digest "
             "audited in row %" PRId64,
             a->id, v->seq);
    else if (cases_payee_account_number(c->k, a, number) != DD_OK)
        fail(c,
             "payee_account %" PRId64 ": account_sealed does not open on "
             "its row (moved from another row or altered)",
             a->id);
    crypto_wipe(number, sizeof(number));
}

static enum dd_status
read_accounts(struct check *c)
{
    struct payee_account_row *page = calloc(PAGE, sizeof(*page));
    int64_t after = 0;
    size_t n = 0;
    enum dd_status rc = page ? DD_OK : DD_ENOMEM;
    while (rc == DD_OK && c->rc == DD_OK && !c->out->bad[0]) {
        rc = store_payee_account_after(c->tx, after, page, PAGE, &n);
        for (size_t i = 0; rc == DD_OK && i < n && !c->out->bad[0]; i++)
            account_check(c, &page[i]);
        if (n < PAGE)
            break;
        after = page[n - 1].id;
    }
    free(page);
    return rc != DD_OK ? rc : c->rc;
}

enum dd_status
facts_check(struct store *st, const struct pii_keys *k,
            struct facts_verdict *out)
{
    struct check c;
    memset(&c, 0, sizeof(c));
    memset(out, 0, sizeof(*out));
    c.k = k;
    c.out = out;
    enum dd_status rc = store_tx_begin(st, STORE_READ, &c.tx);
    if (rc != DD_OK)
        return rc;
    rc = read_audit(&c);
    if (rc == DD_OK)
        rc = read_batches(&c);
    if (rc == DD_OK && !out->bad[0])
        rc = read_households(&c);
    if (rc == DD_OK && !out->bad[0])
        rc = store_sealed_each(c.tx, sealed_row, &c);
    if (rc == DD_OK && !out->bad[0])
        rc = read_items(&c);
    if (rc == DD_OK && !out->bad[0])
        rc = read_entitlements(&c);
    if (rc == DD_OK && !out->bad[0])
        rc = read_accounts(&c);
    store_tx_rollback(c.tx);
    free(c.households.v);
    free(c.items.v);
    free(c.entitlements.v);
    free(c.accounts.v);
    free(c.batches);
    free(c.rows);
    return rc;
}
