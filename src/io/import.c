/* SPDX-License-Identifier: MIT */
/* The household importer (see import.h and docs/import.md): reads the
 * records into groups by 户编号 (import_rows.c parses them, the window of
 * import_window.c holds the open ones), then for each closed group the
 * registry's checks with their fields mapped back to CSV lines and
 * columns, and the write: a household of new people inserted with no
 * lookup first (the unique index on active people decides; on PostgreSQL
 * a thousand at a time by COPY, the store asked first about all their
 * people in one statement), one whose applicant is already active
 * compared with what is stored and skipped when the same or updated with
 * a new version, in batches with audit rows. */
#include "io/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accounts/citizen.h"
#include "audit/audit.h"
#include "audit/digest.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/grow.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "crypto/crypto.h"
#include "io/import_rows.h"
#include "io/import_window.h"
#include "registry/contact.h"
#include "registry/registry.h"
#include "json/jw.h"

#define LISTED_CHUNK 256

struct importer {
    struct store *st;
    const struct import_opts *o;
    struct import_result *res;
    struct store_tx *tx;
    size_t in_tx;
    long batch_first, batch_last;
    int64_t run_first_id; /* the first household inserted by this run */
    int ty, tm, td;
    int colidx[IMPORT_COLUMNS]; /* header position of each column, -1 absent */
    char **header;
    size_t ncols;
    char last_village[13];
    struct import_window win;  /* the open households */
    struct import_set updated; /* ids of households updated by this run */
    struct digest_batch batch; /* the open batch's new households */
    struct import_decoded dec; /* the flushed household as the registry
                                  takes it */
    struct pending *pend;      /* checked households not written yet */
    size_t npend, pend_cap;
    struct store_bulk *bulk; /* their bulk load (COPY on PostgreSQL) */
};

/* A household checked and waiting for its batch's write (pend_write),
 * with the contact values the file gives. */
struct pending {
    struct import_group *g;
    struct registry_input chk;
    const char *phone, *bank;
    int now; /* written row by row (someone in it may be active) */
};

static enum dd_status
add_rejection(struct importer *im, long line, const char *column,
              const char *code, const char *en, const char *zh)
{
    struct import_result *r = im->res;
    r->rejected++;
    if (r->listed >= IMPORT_MAX_LISTED)
        return DD_OK;
    if (r->listed % LISTED_CHUNK == 0) {
        struct import_rejection *p =
            realloc(r->list, (r->listed + LISTED_CHUNK) * sizeof(*p));
        if (!p)
            return DD_ENOMEM;
        r->list = p;
    }
    struct import_rejection *j = &r->list[r->listed++];
    j->line = line;
    str_copy(j->column, sizeof(j->column), column ? column : "");
    j->code = code;
    j->message = en;
    j->message_zh = zh;
    return DD_OK;
}

/* ---- transactions ---- */

static enum dd_status
begin(struct importer *im)
{
    if (im->tx)
        return DD_OK;
    im->in_tx = 0;
    im->batch_first = im->batch_last = 0;
    return store_tx_begin(im->st, STORE_WRITE, &im->tx);
}

/* Commits the open transaction with its "import.batch" row (or rolls it
 * back when nothing was written in it). */
static enum dd_status
commit_batch(struct importer *im)
{
    enum dd_status rc;
    char detail[320];
    if (!im->tx)
        return DD_OK;
    if (im->in_tx == 0) {
        store_tx_rollback(im->tx);
        im->tx = NULL;
        return DD_OK;
    }
    struct jw w;
    jw_init(&w, sizeof(detail));
    jw_obj(&w, NULL);
    jw_int(&w, "households", (int64_t)im->in_tx);
    jw_int(&w, "first_line", im->batch_first);
    jw_int(&w, "last_line", im->batch_last);
    digest_batch_detail(&im->batch, &w);
    jw_end(&w);
    rc = jw_finish_into(&w, detail, sizeof(detail));
    if (rc == DD_OK)
        rc = digest_batch_log(
            im->tx, &im->batch, im->o->actor, "import.batch", "import",
            im->o->request_id ? im->o->request_id : "", detail);
    if (rc == DD_OK)
        rc = store_tx_commit(im->tx);
    else
        store_tx_rollback(im->tx);
    im->tx = NULL;
    return rc;
}

/* A 12-digit village code in the reference data. The last village found
 * is remembered: a file's households come village by village. */
static enum dd_status
village(struct importer *im, const char *code, int *ok)
{
    struct region r;
    *ok = 0;
    if (strlen(code) != 12 || code[strspn(code, "0123456789")])
        return DD_OK;
    if (strcmp(code, im->last_village) == 0) {
        *ok = 1;
        return DD_OK;
    }
    enum dd_status rc = store_region_get(im->tx, code, &r);
    if (rc == DD_ENOTFOUND)
        return DD_OK;
    if (rc == DD_OK)
        *ok = strcmp(r.level, "village") == 0;
    if (*ok)
        str_copy(im->last_village, sizeof(im->last_village), code);
    return rc;
}

/* ---- writing ---- */

/* The households a transaction writes (and a batch waits for). */
static size_t
batch_size(const struct importer *im)
{
    return im->o->batch ? im->o->batch : 1000;
}

/* Counts a household written into the open batch. */
static void
count_written(struct importer *im, const struct import_group *g)
{
    if (im->in_tx++ == 0 || g->first_line < im->batch_first)
        im->batch_first = g->first_line;
    if (g->last_line > im->batch_last)
        im->batch_last = g->last_line;
}

/* Counts a household written into the open batch, and commits the
 * batch when it is full. */
static enum dd_status
written(struct importer *im, const struct import_group *g)
{
    count_written(im, g);
    if (im->in_tx >= batch_size(im))
        return commit_batch(im);
    return DD_OK;
}

/* Inserts the members (the unique index on active people refusing one
 * already active, with no lookup first: then *taken is set and the rest
 * is left), their incomes, the assets and the obligors under h. */
static enum dd_status
insert_children(struct importer *im, struct registry_input *in, int *taken)
{
    const struct household_row *h = &in->h;
    enum dd_status rc = DD_OK;
    *taken = 0;
    for (size_t i = 0; rc == DD_OK && i < in->member_count; i++) {
        struct registry_member *m = &in->members[i];
        m->p.household_id = h->id;
        str_copy(m->p.county_code, sizeof(m->p.county_code), h->county_code);
        m->p.active = 1;
        rc = store_import_person_insert(im->tx, &m->p);
        if (rc == DD_ECONFLICT) {
            *taken = 1;
            return DD_OK;
        }
        for (size_t j = 0; rc == DD_OK && j < m->income_count; j++) {
            m->incomes[j].person_id = m->p.id;
            str_copy(m->incomes[j].county_code,
                     sizeof(m->incomes[j].county_code), h->county_code);
            rc = store_import_income_insert(im->tx, &m->incomes[j]);
        }
    }
    if (rc == DD_OK)
        rc = registry_insert_holdings(im->tx, h, in);
    return rc;
}

/* Whether the contact values the file gives (blank: keep) are those of
 * stored household h: the phone by its blind index, the bank account
 * opened where it is stored. */
static enum dd_status
contact_same_as(struct importer *im, const struct import_group *g,
                const struct household_row *h, int *same)
{
    const char *phone = g->hh[IMPORT_C_PHONE], *bank = g->hh[IMPORT_C_BANK];
    char index[PII_BLIND_INDEX_LEN + 1], row[24], stored[32] = "";
    *same = 0;
    if (phone) {
        citizen_phone_index(im->o->keys, phone, index);
        if (strcmp(index, h->contact_phone_hash) != 0)
            return DD_OK;
    }
    if (bank) {
        snprintf(row, sizeof(row), "%lld", (long long)h->id);
        if (h->bank_account_enc[0]) {
            enum dd_status rc =
                pii_open(im->o->keys, &PII_AD_HOUSEHOLD_BANK(row),
                         h->bank_account_enc, stored, sizeof(stored));
            if (rc != DD_OK)
                return rc;
        }
        *same = strcmp(stored, bank) == 0;
        crypto_wipe(stored, sizeof(stored));
        return DD_OK;
    }
    *same = 1;
    return DD_OK;
}

/* Whether the stored household cur holds exactly what the file gives
 * (in, with the card numbers as written in g). */
static enum dd_status
same_household(struct importer *im, const struct import_group *g,
               const struct registry_input *in,
               const struct registry_household *cur, int *same)
{
    const struct household_row *a = &in->h, *b = &cur->h;
    char card[STORE_SEALED_LEN];
    *same = 0;
    if (strcmp(a->region_code, b->region_code) != 0 ||
        strcmp(a->hukou_region, b->hukou_region) != 0 ||
        strcmp(a->address, b->address) != 0 ||
        strcmp(a->urban_or_rural, b->urban_or_rural) != 0 ||
        in->member_count != cur->member_count ||
        in->asset_count != cur->asset_count ||
        in->obligor_count != cur->obligor_count)
        return DD_OK;
    size_t incomes = 0;
    int stored_of[HHJ_MAX_MEMBERS]; /* file member -> stored member */
    for (size_t i = 0; i < in->member_count; i++) {
        const struct person_row *p = &in->members[i].p, *q = NULL;
        for (size_t j = 0; j < cur->member_count && !q; j++)
            if (strcmp(cur->members[j].id_hash, p->id_hash) == 0) {
                q = &cur->members[j];
                stored_of[i] = (int)j;
            }
        if (!q || strcmp(p->name, q->name) != 0 ||
            strcmp(p->sex, q->sex) != 0 ||
            strcmp(p->birth_date, q->birth_date) != 0 ||
            p->relation != q->relation ||
            p->disability_category != q->disability_category ||
            p->disability_grade != q->disability_grade ||
            !p->major_illness != !q->major_illness ||
            p->work_capacity != q->work_capacity ||
            p->schooling != q->schooling || !p->employed != !q->employed ||
            p->selfcare_unable != q->selfcare_unable)
            return DD_OK;
        const char *want = g->rows[i]->m.disability_card;
        card[0] = '\0';
        if (*q->disability_card_enc) {
            enum dd_status rc =
                pii_open(im->o->keys, &PII_AD_PERSON_CARD(q->id_hash),
                         q->disability_card_enc, card, sizeof(card));
            if (rc != DD_OK)
                return rc;
        }
        if (strcmp(card, want ? want : "") != 0)
            return DD_OK;
        for (size_t k = 0; k < in->members[i].income_count; k++) {
            const struct income_row *r = &in->members[i].incomes[k];
            int found = 0;
            for (size_t j = 0; j < cur->income_count && !found; j++)
                found = cur->incomes[j].person_id == q->id &&
                        cur->incomes[j].kind == r->kind &&
                        cur->incomes[j].monthly_fen == r->monthly_fen;
            if (!found)
                return DD_OK;
            incomes++;
        }
    }
    if (incomes != cur->income_count)
        return DD_OK;
    int contact_same = 0;
    enum dd_status crc = contact_same_as(im, g, &cur->h, &contact_same);
    if (crc != DD_OK || !contact_same)
        return crc;
    /* assets and obligors in the file's order, owners by person */
    for (size_t i = 0; i < in->asset_count; i++) {
        const struct asset_row *r = &in->assets[i], *s = &cur->assets[i];
        int64_t owner = in->asset_owner[i] >= 0
                            ? cur->members[stored_of[in->asset_owner[i]]].id
                            : 0;
        if (r->kind != s->kind || r->value_fen != s->value_fen ||
            r->count != s->count || r->area_dm2 != s->area_dm2 ||
            !r->exempt != !s->exempt || owner != s->owner_person_id)
            return DD_OK;
    }
    for (size_t i = 0; i < in->obligor_count; i++) {
        const struct obligor_row *r = &in->obligors[i], *s = &cur->obligors[i];
        if (r->relation != s->relation || strcmp(r->name, s->name) != 0 ||
            strcmp(r->birth_date, s->birth_date) != 0 ||
            r->disability_category != s->disability_category ||
            r->disability_grade != s->disability_grade ||
            r->flags != s->flags ||
            r->income_monthly_fen != s->income_monthly_fen ||
            cur->members[stored_of[in->obligor_of[i]]].id != s->of_person_id)
            return DD_OK;
    }
    *same = 1;
    return DD_OK;
}

/* Rewrites stored household cur with what the file gives: a new version
 * and the children replaced (as PUT /api/v1/households/{id} does), with a
 * "household.update" audit row in the batch. */
static enum dd_status
update_household(struct importer *im, const struct import_group *g,
                 struct registry_input *in,
                 const struct registry_household *cur)
{
    char object[40], detail[240], digest[DIGEST_HEX_LEN + 1];
    size_t refused = 0;
    int changed = 0;
    in->h.id = cur->h.id;
    in->h.created_at = cur->h.created_at;
    /* the contact values the file leaves blank are kept */
    contact_copy(&in->h, &cur->h);
    enum dd_status rc = contact_seal(im->o->keys, g->hh[IMPORT_C_PHONE],
                                     g->hh[IMPORT_C_BANK], &in->h, &changed);
    if (rc == DD_OK)
        rc = store_household_update(im->tx, &in->h, cur->h.version);
    /* members kept by ID number keep their member id, as in PUT */
    if (rc == DD_OK)
        rc = registry_replace_children(im->tx, &in->h, cur, in, &refused);
    if (rc == DD_ECONFLICT)
        rc = DD_EINTERNAL; /* every member was free or in this household */
    /* the digest of the household as now stored (kept members keep their
     * ids, so read it back rather than trust the file's order) */
    struct registry_household now;
    if (rc == DD_OK)
        rc = registry_load(im->tx, g->a, cur->h.id, &now);
    if (rc == DD_OK)
        rc = digest_household(&now, digest);
    if (rc != DD_OK)
        return rc;
    snprintf(object, sizeof(object), "household:%lld",
             (long long)cur->h.id);
    struct jw w;
    jw_init(&w, sizeof(detail));
    jw_obj(&w, NULL);
    jw_str(&w, "via", "import");
    jw_int(&w, "line", g->first_line);
    jw_int(&w, "version", in->h.version);
    jw_str(&w, "digest", digest);
    jw_end(&w);
    rc = jw_finish_into(&w, detail, sizeof(detail));
    if (rc == DD_OK)
        rc = audit_log(im->tx, im->o->actor, "household.update", object,
                       in->h.region_code,
                       im->o->request_id ? im->o->request_id : "", detail);
    if (rc == DD_OK)
        rc = import_set_add(&im->updated, (uint64_t)cur->h.id);
    if (rc != DD_OK)
        return rc;
    im->res->updated++;
    return written(im, g);
}

/* A household some of whose people are active already. It is known by
 * its applicant: when the applicant is the applicant of a stored active
 * household (not written by this run), that household is compared and
 * skipped or updated; the applicant active as another member, or any
 * other member active elsewhere, is PERSON_CONFLICT. */
static enum dd_status
rerun(struct importer *im, struct import_group *g, struct registry_input *chk)
{
    int64_t app_hid = 0;
    enum dd_status rc;
    size_t app = 0;
    for (size_t i = 0; i < chk->member_count; i++)
        if (chk->members[i].p.relation == HH_REL_APPLICANT)
            app = i;
    rc = store_person_active_household(im->tx, chk->members[app].p.id_hash,
                                       &app_hid);
    if (rc == DD_ENOTFOUND)
        app_hid = 0;
    else if (rc != DD_OK)
        return rc;
    for (size_t i = 0; i < chk->member_count; i++) {
        int64_t hid = 0;
        if (i == app)
            continue;
        rc = store_person_active_household(im->tx, chk->members[i].p.id_hash,
                                           &hid);
        if (rc == DD_ENOTFOUND)
            continue;
        if (rc != DD_OK)
            return rc;
        if (hid != app_hid)
            return add_rejection(
                im, g->rows[i]->line, import_columns[IMPORT_C_ID],
                "PERSON_CONFLICT",
                "this person is already a member of another active household",
                "此人已是另一有效家庭的成员");
    }
    if (app_hid == 0)
        return DD_EINTERNAL; /* someone was active: the loop found them */
    if ((im->run_first_id > 0 && app_hid >= im->run_first_id) ||
        import_set_has(&im->updated, (uint64_t)app_hid))
        return add_rejection(im, g->rows[app]->line,
                             import_columns[IMPORT_C_ID], "DUPLICATE_IN_FILE",
                             "this household is already in the file above",
                             "该家庭在文件前面已出现");
    struct registry_household cur;
    int same = 0;
    rc = registry_load(im->tx, g->a, app_hid, &cur);
    if (rc != DD_OK)
        return rc;
    /* the stored household outside the caller's scope, or the applicant
     * there someone else: this person belongs to another household (not
     * named) */
    if (im->o->in_scope && !im->o->in_scope(im->o->scope_ctx, cur.h.region_code))
        return add_rejection(
            im, g->rows[app]->line, import_columns[IMPORT_C_ID],
            "PERSON_CONFLICT",
            "this person is already a member of another active household",
            "此人已是另一有效家庭的成员");
    for (size_t j = 0; j < cur.member_count; j++)
        if (strcmp(cur.members[j].id_hash, chk->members[app].p.id_hash) == 0 &&
            cur.members[j].relation != HH_REL_APPLICANT)
            return add_rejection(
                im, g->rows[app]->line, import_columns[IMPORT_C_ID],
                "PERSON_CONFLICT",
                "this person is already a member of another active household",
                "此人已是另一有效家庭的成员");
    rc = same_household(im, g, chk, &cur, &same);
    if (rc != DD_OK)
        return rc;
    if (same) {
        im->res->skipped++;
        return DD_OK;
    }
    return update_household(im, g, chk, &cur);
}

/* A household just inserted: its contact values sealed bound to its id
 * and written, and its digest added to the batch. */
static enum dd_status
new_household_sealed(struct importer *im, const char *phone, const char *bank,
                     struct registry_input *chk)
{
    char digest[DIGEST_HEX_LEN + 1];
    int changed = 0;
    enum dd_status rc =
        contact_seal(im->o->keys, phone, bank, &chk->h, &changed);
    if (rc == DD_OK && changed)
        rc = store_household_contact_set(im->tx, &chk->h);
    if (rc == DD_OK)
        rc = digest_household_input(chk, digest);
    if (rc == DD_OK)
        rc = digest_batch_add(&im->batch, chk->h.id, digest);
    return rc;
}

/* Writes a waiting household row by row: its people inserted with no
 * lookup first (the unique index on active people refuses one active
 * already), else undone and the re-run rule. */
static enum dd_status
write_now(struct importer *im, struct import_group *g,
          struct registry_input *chk, const char *phone, const char *bank)
{
    int taken = 0;
    enum dd_status rc = begin(im);
    if (rc == DD_OK)
        rc = store_import_household_insert(im->tx, &chk->h);
    if (rc == DD_OK)
        rc = insert_children(im, chk, &taken);
    if (rc != DD_OK)
        return rc;
    if (!taken) {
        rc = new_household_sealed(im, phone, bank, chk);
        if (rc != DD_OK)
            return rc;
        if (im->run_first_id == 0)
            im->run_first_id = chk->h.id;
        im->res->inserted++;
        return written(im, g);
    }
    /* someone is active already: undo (the rows cascade), then the
     * re-run rule */
    rc = store_import_household_delete(im->tx, chk->h.id);
    if (rc != DD_OK)
        return rc;
    return rerun(im, g, chk);
}

/* Writes a waiting household of new people into the bulk load: its id
 * first, for the contact values sealed bound to it. */
static enum dd_status
write_bulk(struct importer *im, struct pending *p)
{
    struct registry_input *chk = &p->chk;
    char digest[DIGEST_HEX_LEN + 1];
    int changed = 0;
    enum dd_status rc = store_bulk_household_id(im->bulk, &chk->h.id);
    if (rc == DD_OK)
        rc = contact_seal(im->o->keys, p->phone, p->bank, &chk->h, &changed);
    if (rc == DD_OK)
        rc = store_bulk_household(im->bulk, &chk->h);
    if (rc == DD_OK)
        rc = registry_bulk_children(im->bulk, &chk->h, chk);
    if (rc == DD_OK)
        rc = digest_household_input(chk, digest);
    if (rc == DD_OK)
        rc = digest_batch_add(&im->batch, chk->h.id, digest);
    if (rc != DD_OK)
        return rc;
    if (im->run_first_id == 0)
        im->run_first_id = chk->h.id;
    im->res->inserted++;
    count_written(im, p->g);
    return DD_OK;
}

/* A blind index as a set key: its first 64 bits, never 0. */
static uint64_t
hash_key(const char *hex)
{
    uint64_t k = 0;
    for (int i = 0; i < 16 && hex[i]; i++)
        k = k << 4 | (uint64_t)(hex[i] <= '9' ? hex[i] - '0'
                                              : (hex[i] | 0x20) - 'a' + 10);
    return k | 1;
}

static int
note_active(const char *id_hash, void *ctx)
{
    return import_set_add(ctx, hash_key(id_hash)) != DD_OK;
}

/* Marks the waiting households to write row by row: those with someone
 * the store holds active, or someone in a household before them in the
 * batch (asked in one statement, not a lookup per person). */
static enum dd_status
pend_mark(struct importer *im)
{
    struct import_set active = {0}, seen = {0};
    struct buf hashes;
    enum dd_status rc = DD_OK;
    buf_init(&hashes, (size_t)1 << 30);
    for (size_t i = 0; rc == DD_OK && i < im->npend; i++) {
        const struct registry_input *c = &im->pend[i].chk;
        for (size_t j = 0; rc == DD_OK && j < c->member_count; j++) {
            if (hashes.len)
                rc = buf_append(&hashes, ",", 1);
            if (rc == DD_OK)
                rc = buf_puts(&hashes, c->members[j].p.id_hash);
        }
    }
    if (rc == DD_OK && hashes.len)
        rc = store_person_active_among(im->tx, hashes.data, note_active,
                                       &active);
    for (size_t i = 0; rc == DD_OK && i < im->npend; i++) {
        struct pending *p = &im->pend[i];
        p->now = 0;
        for (size_t j = 0; j < p->chk.member_count; j++) {
            uint64_t k = hash_key(p->chk.members[j].p.id_hash);
            p->now |= import_set_has(&active, k) || import_set_has(&seen, k);
        }
        for (size_t j = 0; rc == DD_OK && j < p->chk.member_count; j++)
            rc = import_set_add(&seen, hash_key(p->chk.members[j].p.id_hash));
    }
    buf_free(&hashes);
    import_set_free(&active);
    import_set_free(&seen);
    return rc;
}

static void
pend_free(struct importer *im)
{
    for (size_t i = 0; i < im->npend; i++)
        import_group_free(im->pend[i].g);
    im->npend = 0;
}

/* Writes the waiting households, committing the batch once it is full:
 * those of new people by the bulk load (one COPY a table on PostgreSQL),
 * then the others row by row in file order (the re-run rule reads what
 * the store holds by then). */
static enum dd_status
pend_write(struct importer *im)
{
    if (im->npend == 0)
        return DD_OK;
    enum dd_status rc = begin(im);
    if (rc == DD_OK)
        rc = pend_mark(im);
    if (rc == DD_OK)
        store_bulk_begin(im->bulk, im->tx);
    for (size_t i = 0; rc == DD_OK && i < im->npend; i++)
        if (!im->pend[i].now)
            rc = write_bulk(im, &im->pend[i]);
    if (rc == DD_OK)
        rc = store_bulk_flush(im->bulk);
    for (size_t i = 0; rc == DD_OK && i < im->npend; i++) {
        struct pending *p = &im->pend[i];
        if (p->now)
            rc = write_now(im, p->g, &p->chk, p->phone, p->bank);
    }
    pend_free(im);
    return rc == DD_OK && im->in_tx >= batch_size(im) ? commit_batch(im) : rc;
}

/* The households that wait at most for their write: their memory, and
 * one statement asking the store about all their people. */
#define PEND_MAX 1000

/* Keeps checked group g to be written with the others waiting (taking
 * it); writes them when PEND_MAX wait or the batch is full. */
static enum dd_status
pend_add(struct importer *im, struct import_group *g,
         const struct registry_input *chk, const struct hhj_household *in)
{
    struct pending *v =
        grow_room(im->pend, im->npend, &im->pend_cap, sizeof(*v), 64);
    if (!v)
        return DD_ENOMEM;
    im->pend = v;
    v[im->npend++] =
        (struct pending){g, *chk, in->contact_phone, in->bank_account, 0};
    return im->npend >= PEND_MAX || im->in_tx + im->npend >= batch_size(im)
               ? pend_write(im)
               : DD_OK;
}

/* Checks one group: rejected, or kept to be written with its batch
 * (*kept: pend_add took it). */
static enum dd_status
flush_group(struct importer *im, struct import_group *g, int *kept)
{
    struct hhj_household in;
    struct registry_input chk;
    struct dd_error err = {0};
    enum dd_status rc = DD_OK;
    int ok;

    if (!g->bad)
        import_assemble(g, &im->dec, &in);
    if (g->bad)
        return add_rejection(im, g->err.line, g->err.column, g->err.code,
                             g->err.message, g->err.message_zh);
    if ((rc = begin(im)) != DD_OK)
        return rc;
    static const int region_cols[2] = {IMPORT_C_REGION, IMPORT_C_HUKOU};
    for (int i = 0; i < 2; i++) {
        if ((rc = village(im, g->hh[region_cols[i]], &ok)) != DD_OK)
            return rc;
        if (!ok)
            return add_rejection(
                im, g->first_line, import_columns[region_cols[i]],
                "UNKNOWN_REGION",
                "this is not the 12-digit code of a village in Chongqing",
                "该代码不是重庆市村（社区）的 12 位行政区划代码");
    }
    if (im->o->in_scope && !im->o->in_scope(im->o->scope_ctx, in.region_code))
        return add_rejection(
            im, g->first_line, import_columns[IMPORT_C_REGION], "OUT_OF_SCOPE",
            "this region is outside your scope", "该区划不在您的管辖范围内");
    rc = registry_check_household(im->o->keys, g->a, &in, im->ty, im->tm,
                                  im->td, &chk, &err);
    if (rc == DD_EINVAL) {
        long line;
        const char *column;
        import_map_field(g, err.field, &line, &column);
        return add_rejection(im, line, column, err.code, err.message,
                             err.message_zh);
    }
    if (rc != DD_OK)
        return rc;
    if (im->o->area_ok) {
        rc = im->o->area_ok(im->o->area_ctx, &chk.h, im->ty, im->tm, im->td,
                            &err);
        if (rc == DD_EINVAL)
            return add_rejection(im, g->first_line, import_columns[IMPORT_C_UR],
                                 err.code, err.message, err.message_zh);
        if (rc != DD_OK)
            return rc;
    }

    rc = contact_check(g->a, "", in.contact_phone, in.bank_account, &err);
    if (rc == DD_EINVAL)
        return add_rejection(
            im, g->first_line,
            import_columns[strcmp(err.field, "contact_phone") == 0
                               ? IMPORT_C_PHONE
                               : IMPORT_C_BANK],
            err.code, err.message, err.message_zh);

    /* on SQLite written now: the unique index on active people decides
     * at no cost there, and asking first would only look twice */
    if (!store_bulk_holds(im->tx))
        return write_now(im, g, &chk, in.contact_phone, in.bank_account);
    *kept = 1;
    return pend_add(im, g, &chk, &in);
}

/* ---- open groups ---- */

/* Flushes and frees group g (its key is remembered as written). */
static enum dd_status
close_group(struct importer *im, struct import_group *g)
{
    int kept = 0;
    enum dd_status rc = import_window_close(&im->win, g);
    if (rc == DD_OK)
        rc = flush_group(im, g, &kept);
    if (!kept)
        import_group_free(g);
    return rc;
}

/* The open group for key, opened when new (closing the least recently
 * used one when IMPORT_WINDOW are open); NULL in *out when the key's
 * household was already written (its rows are too far apart). */
static enum dd_status
group_for(struct importer *im, const char *key, long line,
          struct import_group **out)
{
    *out = import_window_find(&im->win, key);
    if (*out || import_window_was_closed(&im->win, key))
        return DD_OK;
    if (im->win.open >= IMPORT_WINDOW) {
        enum dd_status rc = close_group(im, im->win.lru_head);
        if (rc != DD_OK)
            return rc;
    }
    return import_window_open(&im->win, key, line, out);
}

static enum dd_status
read_header(struct importer *im, struct csv_reader *r, int *ok)
{
    struct csv_record rec;
    enum dd_status rc = csv_reader_next(r, &rec);
    *ok = 0;
    if (rc == DD_ENOTFOUND)
        return add_rejection(im, 1, "", "EMPTY_FILE", "the file is empty",
                             "文件为空");
    if (rc == DD_EINVAL && csv_reader_error(r))
        return add_rejection(im, rec.line, "", "MALFORMED_CSV",
                             csv_reader_error(r), "CSV 格式错误");
    if (rc != DD_OK)
        return rc;
    im->header = calloc(rec.count, sizeof(*im->header));
    if (!im->header)
        return DD_ENOMEM;
    im->ncols = rec.count;
    import_header_map(rec.fields, rec.count, im->colidx);
    for (size_t i = 0; i < rec.count; i++) {
        im->header[i] = strdup(rec.fields[i]);
        if (!im->header[i])
            return DD_ENOMEM;
    }
    int missing = import_header_missing(im->colidx);
    if (missing >= 0)
        return add_rejection(
            im, rec.line, import_columns[missing], "MISSING_COLUMN",
            "the header lacks this required column", "表头缺少此必填列");
    *ok = 1;
    return DD_OK;
}

/* Reads the records after the header into their groups. */
static enum dd_status
read_rows(struct importer *im, struct csv_reader *r)
{
    struct import_result *out = im->res;
    struct csv_record rec;
    enum dd_status rc = DD_OK;
    while (rc == DD_OK) {
        rc = csv_reader_next(r, &rec);
        if (rc == DD_ENOTFOUND)
            return DD_OK;
        if (rc == DD_EINVAL && csv_reader_error(r)) {
            out->fatal = 1;
            return add_rejection(im, rec.line, "", "MALFORMED_CSV",
                                 csv_reader_error(r),
                                 "CSV 格式错误，读取中止");
        }
        if (rc != DD_OK)
            return rc;
        out->rows++;
        if (rec.count != im->ncols) {
            /* too short: name the first missing column */
            int short_row = rec.count < im->ncols;
            rc = add_rejection(
                im, rec.line, short_row ? im->header[rec.count] : "",
                short_row ? "MISSING_COLUMN" : "EXTRA_COLUMN",
                short_row ? "the row has fewer fields than the header"
                          : "the row has more fields than the header",
                short_row ? "该行字段数少于表头" : "该行字段数多于表头");
            continue;
        }
        const char *key = import_cell(im->colidx, &rec, IMPORT_C_KEY);
        if (!*key || strlen(key) >= IMPORT_KEY_MAX) {
            rc = add_rejection(im, rec.line, import_columns[IMPORT_C_KEY],
                               *key ? "TOO_LONG" : "MISSING_FIELD",
                               "户编号 is required (at most 63 bytes)",
                               "户编号为必填（最多 63 字节）");
            continue;
        }
        struct import_group *g;
        rc = group_for(im, key, rec.line, &g);
        if (rc == DD_OK && !g)
            rc = add_rejection(
                im, rec.line, import_columns[IMPORT_C_KEY], "NON_CONSECUTIVE",
                "this household was already taken from its rows above "
                "(imported, or rejected on their lines): its rows are too "
                "far apart (docs/import.md); put them together and import "
                "again",
                "该户已按前面的行处理（已导入，或已在其所在行被拒绝）："
                "同一户的行相隔过远（见 "
                "docs/import.md），请将其放在一起后重新导入");
        else if (rc == DD_OK)
            rc = import_row_add(g, im->colidx, &rec);
    }
    return rc;
}

static int
by_line(const void *a, const void *b)
{
    const struct import_rejection *x = a, *y = b;
    return (x->line > y->line) - (x->line < y->line);
}

enum dd_status
import_households(struct store *st, const struct import_opts *o,
                  csv_source_fn src, void *src_ctx, struct import_result *out)
{
    struct importer *im = calloc(1, sizeof(*im));
    struct csv_reader *r = NULL;
    enum dd_status rc;
    int ok = 0;

    memset(out, 0, sizeof(*out));
    if (!im)
        return DD_ENOMEM;
    im->st = st;
    im->o = o;
    im->res = out;
    if (store_bulk_new(&im->bulk) != DD_OK) {
        free(im);
        return DD_ENOMEM;
    }
    /* "today" for birth dates is Asia/Shanghai's (UTC+8 all year) */
    time_t t = (time_t)(time_now() + 8 * 3600);
    struct tm tm;
    gmtime_r(&t, &tm);
    im->ty = tm.tm_year + 1900;
    im->tm = tm.tm_mon + 1;
    im->td = tm.tm_mday;

    if (o->bulk) {
        /* in a transaction of its own: the settings take effect from the
         * next one */
        struct store_tx *tx;
        rc = store_tx_begin(st, STORE_WRITE, &tx);
        if (rc == DD_OK) {
            rc = store_import_tune(tx);
            store_tx_rollback(tx);
        }
        if (rc != DD_OK) {
            store_bulk_free(im->bulk);
            free(im);
            return rc;
        }
    }
    r = csv_reader_new(src, src_ctx, IMPORT_MAX_RECORD);
    rc = r ? read_header(im, r, &ok) : DD_ENOMEM;
    if (rc == DD_OK && !ok)
        out->fatal = 1;
    if (rc == DD_OK && ok)
        rc = read_rows(im, r);
    /* the households still open, oldest first (after an error too, to
     * free them; only written while all is well) */
    while (im->win.lru_head) {
        struct import_group *g = im->win.lru_head;
        if (rc == DD_OK) {
            rc = close_group(im, g);
            continue;
        }
        import_window_drop(&im->win, g);
        import_group_free(g);
    }
    if (rc == DD_OK)
        rc = pend_write(im);
    if (rc == DD_OK)
        rc = commit_batch(im);
    pend_free(im);
    if (rc != DD_OK && im->tx)
        store_tx_rollback(im->tx);
    im->tx = NULL;
    if (rc == DD_OK) {
        char detail[240];
        struct jw w;
        jw_init(&w, sizeof(detail));
        jw_obj(&w, NULL);
        jw_int(&w, "rows", out->rows);
        jw_int(&w, "inserted", out->inserted);
        jw_int(&w, "updated", out->updated);
        jw_int(&w, "skipped", out->skipped);
        jw_int(&w, "rejected", out->rejected);
        jw_end(&w);
        rc = jw_finish_into(&w, detail, sizeof(detail));
        if (rc == DD_OK)
            rc = audit_log_commit(st, o->actor, "import.done", "import",
                                  NULL, o->request_id ? o->request_id : "",
                                  detail);
    }
    /* households are written as their rows close, not in file order:
     * the list reads in line order */
    if (out->listed > 1)
        qsort(out->list, out->listed, sizeof(*out->list), by_line);
    for (size_t i = 0; im->header && i < im->ncols; i++)
        free(im->header[i]);
    free(im->header);
    import_set_free(&im->win.closed);
    import_set_free(&im->updated);
    digest_batch_free(&im->batch);
    free(im->pend);
    store_bulk_free(im->bulk);
    free(im);
    csv_reader_free(r);
    return rc;
}

void
import_result_free(struct import_result *r)
{
    if (!r)
        return;
    free(r->list);
    r->list = NULL;
    r->listed = 0;
}
