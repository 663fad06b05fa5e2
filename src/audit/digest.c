/* SPDX-License-Identifier: MIT */
/* Digests of a household's facts and of a decision, recomputable from the
 * rows (see digest.h for the encoding). Only stored fields go in, as the
 * store returns them: booleans as 0 or 1, no timestamps or versions (the
 * bulk writers digest before reading anything back). */
#include "audit/digest.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/grow.h"
#include "core/str.h"
#include "crypto/sm3.h"

enum dd_status
digest_begin(struct digest *d, const char *kind)
{
    d->ctx = sm3_new();
    d->len = 0;
    if (!d->ctx)
        return DD_ENOMEM;
    digest_str(d, kind);
    return DD_OK;
}

static void
put(struct digest *d, const void *p, size_t n)
{
    if (d->len + n > sizeof(d->buf)) {
        sm3_update(d->ctx, d->buf, d->len);
        d->len = 0;
        if (n > sizeof(d->buf)) {
            sm3_update(d->ctx, p, n);
            return;
        }
    }
    memcpy(d->buf + d->len, p, n);
    d->len += n;
}

/* v in decimal at the end of buf[0..size), returning where it starts: no
 * printf, which the bulk writers would feel once per field */
static size_t
decimal(uint64_t v, char *buf, size_t size)
{
    size_t i = size;
    do
        buf[--i] = (char)('0' + v % 10);
    while ((v /= 10) != 0 && i > 0);
    return i;
}

/* length ':' value ';' */
static void
put_field(struct digest *d, const char *value, size_t len)
{
    char n[24];
    size_t i = decimal(len, n, sizeof(n));
    put(d, n + i, sizeof(n) - i);
    put(d, ":", 1);
    put(d, value, len);
    put(d, ";", 1);
}

void
digest_str(struct digest *d, const char *value)
{
    put_field(d, value, strlen(value));
}

void
digest_int(struct digest *d, int64_t value)
{
    char v[24];
    size_t i = decimal(value < 0 ? 0 - (uint64_t)value : (uint64_t)value, v,
                       sizeof(v));
    if (value < 0)
        v[--i] = '-';
    put_field(d, v + i, sizeof(v) - i);
}

void
digest_end(struct digest *d, char out[DIGEST_HEX_LEN + 1])
{
    unsigned char md[SM3_DIGEST_LEN];
    sm3_update(d->ctx, d->buf, d->len);
    sm3_final(d->ctx, md);
    sm3_free(d->ctx);
    d->ctx = NULL;
    d->len = 0;
    hex_encode(md, sizeof(md), out);
}

static void
put_household(struct digest *d, const struct household_row *h)
{
    digest_str(d, "household");
    digest_int(d, h->id);
    digest_str(d, h->region_code);
    digest_str(d, h->hukou_region);
    digest_str(d, h->address);
    digest_str(d, h->urban_or_rural);
    digest_str(d, h->status);
    digest_str(d, h->contact_phone_hash);
    digest_str(d, h->contact_phone_enc);
    digest_str(d, h->contact_phone_masked);
    digest_str(d, h->bank_account_enc);
    digest_str(d, h->bank_account_masked);
}

static void
put_person(struct digest *d, const struct person_row *p)
{
    digest_str(d, "person");
    digest_int(d, p->id);
    digest_int(d, p->household_id);
    /* not id_enc: it opens only under id_hash (crypto/pii.h), so it can
     * only hold the number id_hash indexes, and `doudi check` opens it */
    digest_str(d, p->id_hash);
    digest_str(d, p->id_masked);
    digest_str(d, p->name);
    digest_str(d, p->sex);
    digest_str(d, p->birth_date);
    digest_int(d, p->relation);
    digest_int(d, p->disability_category);
    digest_int(d, p->disability_grade);
    digest_str(d, p->disability_card_enc);
    digest_int(d, !!p->major_illness);
    digest_int(d, p->work_capacity);
    digest_int(d, p->schooling);
    digest_int(d, !!p->employed);
    digest_int(d, p->selfcare_unable);
}

/* By its natural key (person, kind: unique), not its id, which the
 * importer's bulk insert does not read back. */
static void
put_income(struct digest *d, const struct income_row *r)
{
    digest_str(d, "income");
    digest_int(d, r->person_id);
    digest_int(d, r->kind);
    digest_int(d, r->monthly_fen);
}

static void
put_asset(struct digest *d, const struct asset_row *r)
{
    digest_str(d, "asset");
    digest_int(d, r->id);
    digest_int(d, r->owner_person_id);
    digest_int(d, r->kind);
    digest_int(d, r->value_fen);
    digest_int(d, r->count);
    digest_int(d, r->area_dm2);
    digest_int(d, !!r->exempt);
}

static void
put_obligor(struct digest *d, const struct obligor_row *r)
{
    digest_str(d, "obligor");
    digest_int(d, r->id);
    digest_int(d, r->of_person_id);
    digest_int(d, r->relation);
    digest_str(d, r->name);
    digest_str(d, r->birth_date);
    digest_int(d, r->disability_category);
    digest_int(d, r->disability_grade);
    digest_int(d, r->flags);
    digest_int(d, r->income_monthly_fen);
}

enum dd_status
digest_household(const struct registry_household *rh,
                 char out[DIGEST_HEX_LEN + 1])
{
    struct digest d;
    enum dd_status rc = digest_begin(&d, "household/v1");
    if (rc != DD_OK)
        return rc;
    put_household(&d, &rh->h);
    for (size_t i = 0; i < rh->member_count; i++) {
        put_person(&d, &rh->members[i]);
        for (size_t j = 0; j < rh->income_count; j++)
            if (rh->incomes[j].person_id == rh->members[i].id)
                put_income(&d, &rh->incomes[j]);
    }
    for (size_t i = 0; i < rh->asset_count; i++)
        put_asset(&d, &rh->assets[i]);
    for (size_t i = 0; i < rh->obligor_count; i++)
        put_obligor(&d, &rh->obligors[i]);
    digest_end(&d, out);
    return DD_OK;
}

enum dd_status
digest_household_input(const struct registry_input *in,
                       char out[DIGEST_HEX_LEN + 1])
{
    struct digest d;
    enum dd_status rc = digest_begin(&d, "household/v1");
    if (rc != DD_OK)
        return rc;
    put_household(&d, &in->h);
    /* inserted in this order, so their ids ascend in it too */
    for (size_t i = 0; i < in->member_count; i++) {
        put_person(&d, &in->members[i].p);
        for (size_t j = 0; j < in->members[i].income_count; j++)
            put_income(&d, &in->members[i].incomes[j]);
    }
    for (size_t i = 0; i < in->asset_count; i++)
        put_asset(&d, &in->assets[i]);
    for (size_t i = 0; i < in->obligor_count; i++)
        put_obligor(&d, &in->obligors[i]);
    digest_end(&d, out);
    return DD_OK;
}

enum dd_status
digest_facts(const char *household_digest, const char *facts,
             char out[DIGEST_HEX_LEN + 1])
{
    struct digest d;
    enum dd_status rc = digest_begin(&d, "facts/v1");
    if (rc != DD_OK)
        return rc;
    digest_str(&d, household_digest);
    digest_str(&d, facts);
    digest_end(&d, out);
    return DD_OK;
}

enum dd_status
digest_decision(const struct case_item_row *c, const struct entitlement_row *e,
                const char *facts_digest, char out[DIGEST_HEX_LEN + 1])
{
    struct digest d;
    enum dd_status rc = digest_begin(&d, "decision/v1");
    if (rc != DD_OK)
        return rc;
    digest_int(&d, c->id);
    digest_int(&d, c->household_id);
    digest_str(&d, c->item_code);
    digest_str(&d, c->decision);
    digest_int(&d, c->amount_fen);
    digest_str(&d, c->reasons);
    digest_str(&d, facts_digest);
    if (e) {
        digest_str(&d, "entitlement");
        digest_int(&d, e->id);
        digest_int(&d, e->household_id);
        digest_str(&d, e->item_code);
        digest_int(&d, e->monthly_fen);
        digest_str(&d, e->start_month);
        digest_str(&d, e->end_month);
        /* as opened: an approval opens an active entitlement; its later
         * state is vouched for by its own decisions' audit rows
         * (entitlement/v1, cases/entitlements.c) */
        digest_str(&d, "active");
    }
    digest_end(&d, out);
    return DD_OK;
}

enum dd_status
digest_entitlement(const struct entitlement_row *e,
                   const struct entitlement_change_row *c,
                   char out[DIGEST_HEX_LEN + 1])
{
    struct digest d;
    enum dd_status rc = digest_begin(&d, "entitlement/v1");
    if (rc != DD_OK)
        return rc;
    digest_int(&d, e->id);
    digest_int(&d, e->household_id);
    digest_str(&d, e->item_code);
    digest_str(&d, e->state);
    digest_int(&d, e->version);
    digest_int(&d, e->amount_fen);
    digest_int(&d, e->payee_person_id);
    digest_str(&d, e->stop_reason);
    /* a stop's 公示 running (migration 23); none leaves the digest as it
     * was before it, so older audit rows still vouch for their rows */
    if (e->publicity_from[0]) {
        digest_str(&d, e->publicity_from);
        digest_int(&d, e->publicity_days);
        digest_str(&d, e->publicity_reason);
    }
    digest_str(&d, "change");
    digest_int(&d, c->seq);
    digest_str(&d, c->event);
    digest_str(&d, c->effect_month);
    digest_int(&d, c->amount_fen);
    digest_int(&d, c->months);
    digest_str(&d, c->reason_code);
    digest_str(&d, c->reason_text);
    digest_end(&d, out);
    return DD_OK;
}

enum dd_status
digest_batch_add(struct digest_batch *b, int64_t household_id,
                 const char digest[DIGEST_HEX_LEN + 1])
{
    struct audit_digest_row *rows =
        grow_room(b->rows, b->count, &b->cap, sizeof(*rows), 256);
    if (!rows)
        return DD_ENOMEM;
    b->rows = rows;
    struct audit_digest_row *r = &rows[b->count++];
    r->seq = 0;
    r->n = (int64_t)b->count;
    snprintf(r->object, sizeof(r->object), "household:%" PRId64, household_id);
    str_copy(r->digest, sizeof(r->digest), digest);
    return DD_OK;
}

enum dd_status
digest_batch_sum(const struct audit_digest_row *rows, size_t count,
                 char out[DIGEST_HEX_LEN + 1])
{
    struct digest d;
    enum dd_status rc = digest_begin(&d, "batch/v1");
    if (rc != DD_OK)
        return rc;
    for (size_t i = 0; i < count; i++) {
        digest_int(&d, rows[i].n);
        digest_str(&d, rows[i].object);
        digest_str(&d, rows[i].digest);
    }
    digest_end(&d, out);
    return DD_OK;
}

enum dd_status
digest_batch_log(struct store_tx *tx, struct digest_batch *b, const char *actor,
                 const char *action, const char *object, const char *request_id,
                 const char *detail)
{
    int64_t seq = 0;
    enum dd_status rc = audit_log_seq(tx, actor, action, object, NULL,
                                      request_id, detail, &seq);
    for (size_t i = 0; i < b->count; i++)
        b->rows[i].seq = seq;
    if (rc == DD_OK)
        rc = store_audit_digest_insert_many(tx, b->rows, b->count);
    b->count = 0;
    return rc;
}

void
digest_batch_free(struct digest_batch *b)
{
    free(b->rows);
    memset(b, 0, sizeof(*b));
}

void
digest_batch_detail(const struct digest_batch *b, struct jw *w)
{
    char sum[DIGEST_HEX_LEN + 1];
    jw_int(w, "digests", (int64_t)b->count);
    if (digest_batch_sum(b->rows, b->count, sum) != DD_OK) {
        w->rc = DD_ENOMEM;
        return;
    }
    jw_str(w, "digest", sum);
}
