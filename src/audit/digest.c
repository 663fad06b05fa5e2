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
#include "core/str.h"
#include "crypto/sm3.h"

enum dd_status
digest_begin(struct digest *d, const char *kind)
{
    d->ctx = sm3_new();
    if (!d->ctx)
        return DD_ENOMEM;
    digest_str(d, "kind", kind);
    return DD_OK;
}

void
digest_str(struct digest *d, const char *name, const char *value)
{
    char head[96];
    size_t len = strlen(value);
    int n = snprintf(head, sizeof(head), "%s=%zu:", name, len);
    sm3_update(d->ctx, head, (size_t)n);
    sm3_update(d->ctx, value, len);
    sm3_update(d->ctx, ";", 1);
}

void
digest_int(struct digest *d, const char *name, int64_t value)
{
    char v[24];
    snprintf(v, sizeof(v), "%" PRId64, value);
    digest_str(d, name, v);
}

void
digest_end(struct digest *d, char out[DIGEST_HEX_LEN + 1])
{
    unsigned char md[SM3_DIGEST_LEN];
    sm3_final(d->ctx, md);
    sm3_free(d->ctx);
    d->ctx = NULL;
    hex_encode(md, sizeof(md), out);
}

static void
put_household(struct digest *d, const struct household_row *h)
{
    digest_int(d, "household.id", h->id);
    digest_str(d, "region_code", h->region_code);
    digest_str(d, "hukou_region", h->hukou_region);
    digest_str(d, "address", h->address);
    digest_str(d, "urban_or_rural", h->urban_or_rural);
    digest_str(d, "status", h->status);
    digest_str(d, "contact_phone_hash", h->contact_phone_hash);
    digest_str(d, "contact_phone_enc", h->contact_phone_enc);
    digest_str(d, "contact_phone_masked", h->contact_phone_masked);
    digest_str(d, "bank_account_enc", h->bank_account_enc);
    digest_str(d, "bank_account_masked", h->bank_account_masked);
}

static void
put_person(struct digest *d, const struct person_row *p)
{
    digest_int(d, "person.id", p->id);
    digest_int(d, "household_id", p->household_id);
    digest_str(d, "id_hash", p->id_hash);
    digest_str(d, "id_enc", p->id_enc);
    digest_str(d, "id_masked", p->id_masked);
    digest_str(d, "name", p->name);
    digest_str(d, "sex", p->sex);
    digest_str(d, "birth_date", p->birth_date);
    digest_int(d, "relation", p->relation);
    digest_int(d, "disability_category", p->disability_category);
    digest_int(d, "disability_grade", p->disability_grade);
    digest_str(d, "disability_card_enc", p->disability_card_enc);
    digest_int(d, "major_illness", !!p->major_illness);
    digest_int(d, "work_capacity", p->work_capacity);
    digest_int(d, "schooling", p->schooling);
    digest_int(d, "employed", !!p->employed);
    digest_int(d, "selfcare_unable", p->selfcare_unable);
}

/* By its natural key (person, kind: unique), not its id, which the
 * importer's bulk insert does not read back. */
static void
put_income(struct digest *d, const struct income_row *r)
{
    digest_int(d, "income.person_id", r->person_id);
    digest_int(d, "kind", r->kind);
    digest_int(d, "monthly_fen", r->monthly_fen);
}

static void
put_asset(struct digest *d, const struct asset_row *r)
{
    digest_int(d, "asset.id", r->id);
    digest_int(d, "owner_person_id", r->owner_person_id);
    digest_int(d, "kind", r->kind);
    digest_int(d, "value_fen", r->value_fen);
    digest_int(d, "count", r->count);
    digest_int(d, "area_dm2", r->area_dm2);
    digest_int(d, "exempt", !!r->exempt);
}

static void
put_obligor(struct digest *d, const struct obligor_row *r)
{
    digest_int(d, "obligor.id", r->id);
    digest_int(d, "of_person_id", r->of_person_id);
    digest_int(d, "relation", r->relation);
    digest_str(d, "name", r->name);
    digest_str(d, "birth_date", r->birth_date);
    digest_int(d, "disability_category", r->disability_category);
    digest_int(d, "disability_grade", r->disability_grade);
    digest_int(d, "flags", r->flags);
    digest_int(d, "income_monthly_fen", r->income_monthly_fen);
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
    digest_str(&d, "household", household_digest);
    digest_str(&d, "facts", facts);
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
    digest_int(&d, "case_item.id", c->id);
    digest_int(&d, "household_id", c->household_id);
    digest_str(&d, "item_code", c->item_code);
    digest_str(&d, "decision", c->decision);
    digest_int(&d, "amount_fen", c->amount_fen);
    digest_str(&d, "reasons", c->reasons);
    digest_str(&d, "facts", facts_digest);
    if (e) {
        digest_int(&d, "entitlement.id", e->id);
        digest_int(&d, "household_id", e->household_id);
        digest_str(&d, "item_code", e->item_code);
        digest_int(&d, "monthly_fen", e->monthly_fen);
        digest_str(&d, "start_month", e->start_month);
        digest_str(&d, "end_month", e->end_month);
        digest_str(&d, "state", e->state);
    }
    digest_end(&d, out);
    return DD_OK;
}

enum dd_status
digest_batch_add(struct digest_batch *b, int64_t household_id,
                 const char digest[DIGEST_HEX_LEN + 1])
{
    if (b->count == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 256;
        struct audit_digest_row *r = realloc(b->rows, cap * sizeof(*r));
        if (!r)
            return DD_ENOMEM;
        b->rows = r;
        b->cap = cap;
    }
    struct audit_digest_row *r = &b->rows[b->count++];
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
        digest_int(&d, "n", rows[i].n);
        digest_str(&d, rows[i].object, rows[i].digest);
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
    for (size_t i = 0; rc == DD_OK && i < b->count; i++) {
        b->rows[i].seq = seq;
        rc = store_audit_digest_insert(tx, &b->rows[i]);
    }
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
