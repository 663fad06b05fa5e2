/* SPDX-License-Identifier: MIT */
/* The monthly payment batches (发放, issue 13 §3): the build from the
 * entitlements' histories (domain/entitlement.h's ent_owed, month by
 * month, back pay included) less the recovery deduction, a rebuild that
 * writes only what changed, the check against last month, and the
 * maker-checker steps. See cases/payments.h and docs/payments.md. */
#include "cases/payments.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases_internal.h"
#include "core/grow.h"
#include "core/str.h"
#include "domain/entitlement.h"
#include "domain/month.h"
#include "domain/workcal.h"
#include "json/json.h"
#include "store/store_payment_files.h"

/* Entitlements read per page of the build's scan: its changes, paid
 * months and lines are read and written per page, in a few statements. */
#define SCAN_PAGE 2048
/* The lines one page may give: a month and its back pay each; more
 * back pay than this for one page is flushed early. */
#define LINE_BUF 8192
/* The most paid months a page keeps (its entitlements' months to now). */
#define PAID_BUF (SCAN_PAGE * 128)

static enum dd_status
invalid(struct dd_error *err, const char *code, const char *field,
        const char *en, const char *zh)
{
    cases_err(err, code, field, en, zh);
    return DD_EINVAL;
}

/* ---- the recovery balances ---- */

struct balance {
    int64_t entitlement_id;
    int64_t fen; /* still to deduct */
};

struct balances {
    struct balance *items;
    size_t n, cap;
    int nomem;
};

static int
balance_add(int64_t entitlement_id, int64_t fen, void *ctx)
{
    struct balances *b = ctx;
    if (fen <= 0)
        return 0;
    struct balance *room =
        grow_room(b->items, b->n, &b->cap, sizeof(*room), 64);
    if (!room) {
        b->nomem = 1;
        return 1;
    }
    b->items = room;
    b->items[b->n++] = (struct balance){entitlement_id, fen};
    return 0;
}

static struct balance *
balance_of(const struct balances *b, int64_t id)
{
    size_t lo = 0, hi = b->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->items[mid].entitlement_id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < b->n && b->items[lo].entitlement_id == id ? &b->items[lo]
                                                          : NULL;
}

/* ---- one page of the scan ---- */

struct page {
    struct payment_scan_row rows[SCAN_PAGE];
    size_t n;
    /* each row's changes: change_at[i] .. change_at[i + 1] */
    struct entitlement_change_row *changes;
    size_t change_n, change_cap;
    size_t change_at[SCAN_PAGE + 1];
    size_t change_row; /* the walk's row */
    /* each row's months paid, as months, the same way */
    int32_t paid[PAID_BUF];
    size_t paid_n;
    size_t paid_at[SCAN_PAGE + 1];
    size_t paid_row;
    int failed;
};

/* Moves *row on to the row of entitlement id (the walks come in the
 * page's order), marking where each row's items start. */
static int
page_row(const struct page *pg, size_t *row, size_t *at, size_t count,
         int64_t id)
{
    while (*row < pg->n && pg->rows[*row].e.id != id) {
        (*row)++;
        at[*row] = count;
    }
    return *row < pg->n;
}

static int
change_add(const struct entitlement_change_row *c, void *ctx)
{
    struct page *pg = ctx;
    if (!page_row(pg, &pg->change_row, pg->change_at, pg->change_n,
                  c->entitlement_id) ||
        pg->change_n - pg->change_at[pg->change_row] >= CASES_ENT_HISTORY_MAX) {
        pg->failed = 1;
        return 1;
    }
    struct entitlement_change_row *room = grow_room(
        pg->changes, pg->change_n, &pg->change_cap, sizeof(*room), 256);
    if (!room) {
        pg->failed = 1;
        return 1;
    }
    pg->changes = room;
    pg->changes[pg->change_n++] = *c;
    return 0;
}

static int
paid_add(int64_t entitlement_id, const char *month, void *ctx)
{
    struct page *pg = ctx;
    int32_t mo;
    if (!page_row(pg, &pg->paid_row, pg->paid_at, pg->paid_n, entitlement_id) ||
        pg->paid_n >= PAID_BUF || month_parse(month, &mo) != 0) {
        pg->failed = 1;
        return 1;
    }
    pg->paid[pg->paid_n++] = mo;
    return 0;
}

/* Closes the walks' bookkeeping: the rows after the last one seen. */
static void
page_close(struct page *pg, size_t *row, size_t *at, size_t count)
{
    while (*row < pg->n) {
        (*row)++;
        at[*row] = count;
    }
}

static void
key_of(const struct payment_scan_row *r, struct payment_scan_key *k)
{
    str_copy(k->region_code, sizeof(k->region_code), r->e.region_code);
    str_copy(k->state, sizeof(k->state), r->e.state);
    str_copy(k->item_code, sizeof(k->item_code), r->e.item_code);
    k->id = r->e.id;
}

/* ---- the build ---- */

struct build {
    const struct cases_ctx *x;
    const struct ent_params *params;
    struct payment_scan scan;
    struct balances bal;
    int32_t month;
    struct payment_batch_row *b;
    struct payment_line_row *lines; /* LINE_BUF */
    size_t line_n;
    struct payment_line_row *old; /* the batch's lines read to compare */
    int compare;         /* still comparing with the lines there */
    int64_t matched_id;  /* the last line there found the same */
    int changed;
    int64_t count, total;
};

static int
line_same(const struct payment_line_row *a, const struct payment_line_row *b)
{
    return strcmp(a->county_code, b->county_code) == 0 &&
           strcmp(a->township_code, b->township_code) == 0 &&
           strcmp(a->region_code, b->region_code) == 0 &&
           a->entitlement_id == b->entitlement_id &&
           a->household_id == b->household_id &&
           a->payee_person_id == b->payee_person_id &&
           a->payee_account_id == b->payee_account_id &&
           strcmp(a->month, b->month) == 0 && a->gross_fen == b->gross_fen &&
           a->deduction_fen == b->deduction_fen &&
           a->amount_fen == b->amount_fen &&
           strcmp(a->urban_rural, b->urban_rural) == 0 &&
           a->persons == b->persons && a->elderly == b->elderly &&
           a->minors == b->minors && a->disabled == b->disabled &&
           strcmp(a->status, b->status) == 0 &&
           strcmp(a->reason_code, b->reason_code) == 0 &&
           strcmp(a->reason_text, b->reason_text) == 0 &&
           a->reissue_of == b->reissue_of;
}

/* Writes the buffered lines: while the batch's lines there are the same
 * (a rebuild), nothing; from the first that differs, the lines there
 * after the last same one go and the rest are inserted. */
static enum dd_status
flush(struct build *bd)
{
    struct store_tx *tx = bd->x->tx;
    size_t from = 0;
    enum dd_status rc = DD_OK;
    if (bd->compare && bd->line_n > 0) {
        struct payment_line_filter f = {.batch_id = bd->b->id,
                                        .after_id = bd->matched_id};
        size_t n = 0;
        rc = store_payment_line_page(tx, &f, bd->old, bd->line_n, &n);
        while (rc == DD_OK && from < n && from < bd->line_n &&
               line_same(&bd->old[from], &bd->lines[from]))
            bd->matched_id = bd->old[from++].id;
        if (rc == DD_OK && from < bd->line_n) {
            bd->compare = 0;
            bd->changed = 1;
            rc = store_payment_line_clear(tx, bd->b->id, bd->matched_id);
        }
    }
    if (rc == DD_OK && from < bd->line_n)
        rc = store_payment_line_insert_many(tx, bd->lines + from,
                                            bd->line_n - from);
    bd->line_n = 0;
    return rc;
}

/* The lines of row i of the page: each month from its start (or its
 * check_from) through the batch's month owed and not yet paid (its paid
 * months come in order: one pointer walks them), less the deduction. */
static enum dd_status
row_lines(struct build *bd, const struct page *pg, size_t i)
{
    const struct payment_scan_row *r = &pg->rows[i];
    struct ent_change buf[CASES_ENT_HISTORY_MAX];
    struct ent_history h;
    size_t nch = pg->change_at[i + 1] - pg->change_at[i];
    enum dd_status rc = cases_entitlement_history(
        &r->e, pg->changes + pg->change_at[i], nch, buf, &h);
    struct balance *bal = balance_of(&bd->bal, r->e.id);
    size_t paid = pg->paid_at[i];
    int32_t from = 0;
    if (rc == DD_OK && r->check_from[0] &&
        month_parse(r->check_from, &from) != 0)
        rc = DD_EINTERNAL;
    for (int32_t mo = from > h.start_month ? from : h.start_month;
         rc == DD_OK && mo <= bd->month; mo++) {
        struct ent_due due;
        while (paid < pg->paid_at[i + 1] && pg->paid[paid] < mo)
            paid++;
        rc = ent_owed(bd->params, &h, mo, &due, NULL);
        if (rc != DD_OK || due.amount_fen <= 0 ||
            (paid < pg->paid_at[i + 1] && pg->paid[paid] == mo))
            continue;
        if (bd->line_n == LINE_BUF && (rc = flush(bd)) != DD_OK)
            break;
        struct payment_line_row *l = &bd->lines[bd->line_n++];
        memset(l, 0, sizeof(*l));
        l->batch_id = bd->b->id;
        str_copy(l->county_code, sizeof(l->county_code), r->e.county_code);
        snprintf(l->township_code, sizeof(l->township_code), "%.9s",
                 r->e.region_code);
        str_copy(l->region_code, sizeof(l->region_code), r->e.region_code);
        l->entitlement_id = r->e.id;
        l->household_id = r->e.household_id;
        l->payee_person_id = r->e.payee_person_id;
        l->payee_account_id = r->payee_account_id;
        month_format(mo, l->month);
        l->gross_fen = due.amount_fen;
        l->deduction_fen = bal ? (bal->fen < l->gross_fen ? bal->fen
                                                          : l->gross_fen)
                               : 0;
        if (bal)
            bal->fen -= l->deduction_fen;
        l->amount_fen = l->gross_fen - l->deduction_fen;
        str_copy(l->urban_rural, sizeof(l->urban_rural), r->urban_rural);
        l->persons = r->persons;
        l->elderly = r->elderly;
        l->minors = r->minors;
        l->disabled = r->disabled;
        str_copy(l->status, sizeof(l->status), "pending");
        bd->count++;
        bd->total += l->amount_fen;
    }
    return rc == DD_EINVAL ? DD_EINTERNAL : rc; /* a stored history */
}

/* One page: its changes and paid months, then its lines. */
static enum dd_status
build_page(struct build *bd, struct page *pg)
{
    struct store_tx *tx = bd->x->tx;
    pg->change_n = pg->paid_n = 0;
    pg->change_row = pg->paid_row = 0;
    pg->change_at[0] = pg->paid_at[0] = 0;
    pg->failed = 0;
    enum dd_status rc = store_payment_scan_changes(tx, &bd->scan, pg->rows,
                                                   pg->n, change_add, pg);
    page_close(pg, &pg->change_row, pg->change_at, pg->change_n);
    if (rc == DD_OK)
        rc = store_payment_scan_paid(tx, &bd->scan, pg->rows, pg->n, paid_add,
                                     pg);
    page_close(pg, &pg->paid_row, pg->paid_at, pg->paid_n);
    if (rc == DD_OK && pg->failed)
        rc = DD_ETOOBIG;
    for (size_t i = 0; rc == DD_OK && i < pg->n; i++)
        rc = row_lines(bd, pg, i);
    return rc;
}

/* The born-by bounds of a month's end: 60 or over, under 18. */
#define DAY_BUF 40 /* "%04d-%02d-%02d" of any int, as the compiler counts */

static void
age_bounds(int32_t mo, char elderly[DAY_BUF], char minor[DAY_BUF])
{
    int y, m, d;
    workcal_ymd_from_day(month_first_day(mo + 1) - 1, &y, &m, &d);
    snprintf(elderly, DAY_BUF, "%04d-%02d-%02d", y - 60, m, d);
    snprintf(minor, DAY_BUF, "%04d-%02d-%02d", y - 18, m, d);
}

static enum dd_status
build_all(struct build *bd)
{
    struct page *pg = calloc(1, sizeof(*pg));
    bd->lines = calloc(LINE_BUF, sizeof(*bd->lines));
    bd->old = calloc(LINE_BUF, sizeof(*bd->old));
    enum dd_status rc = pg && bd->lines && bd->old ? DD_OK : DD_ENOMEM;
    struct payment_scan_key after = {.id = 0};
    str_copy(after.region_code, sizeof(after.region_code),
             bd->scan.county_code);
    while (rc == DD_OK) {
        rc = store_payment_scan_page(bd->x->tx, &bd->scan, &after, pg->rows,
                                     SCAN_PAGE, &pg->n);
        if (rc != DD_OK || pg->n == 0)
            break;
        rc = build_page(bd, pg);
        if (rc == DD_OK)
            rc = flush(bd);
        key_of(&pg->rows[pg->n - 1], &after);
    }
    /* fewer lines than there were: the rest go */
    if (rc == DD_OK && bd->compare) {
        int64_t n = 0, total = 0;
        rc = store_payment_batch_sum(bd->x->tx, bd->b->id, &n, &total);
        if (rc == DD_OK && (n != bd->count || total != bd->total)) {
            bd->changed = 1;
            rc = store_payment_line_clear(bd->x->tx, bd->b->id,
                                          bd->matched_id);
        }
    }
    if (pg)
        free(pg->changes);
    free(pg);
    free(bd->lines);
    free(bd->old);
    return rc;
}

/* The programme's parameters: its own lags, else 低保's (a programme
 * with no effect.* keys of its own yet, 两项补贴 and the children's
 * items: the build needs only the 渐退 bound, 低保's for all). */
static enum dd_status
build_params(const struct cases_ctx *x, const struct catalog_item *it,
             const char *county, struct ent_params *p, struct dd_error *err)
{
    enum dd_status rc = cases_entitlement_params(x, it->program, county, p,
                                                 NULL);
    if (rc == DD_EREFUSED)
        rc = cases_entitlement_params(x, "dibao", county, p, err);
    return rc;
}

static enum dd_status
build_input(const struct cases_ctx *x, const struct cases_pay_build *in,
            struct catalog_item *it, int32_t *mo, struct dd_error *err)
{
    if (!in->county || strlen(in->county) != 6 ||
        in->county[strspn(in->county, "0123456789")] != '\0')
        return invalid(err, "INVALID_COUNTY", "county",
                       "county is a county's 6-digit code",
                       "county 须为6位区县代码");
    if (!in->month || month_parse(in->month, mo) != 0)
        return invalid(err, "INVALID_MONTH", "month",
                       "month is a month YYYY-MM", "month 须为 YYYY-MM 月份");
    if (in->kind && strcmp(in->kind, "regular") != 0 &&
        strcmp(in->kind, "correction") != 0)
        return invalid(err, "INVALID_KIND", "kind",
                       "kind is regular or correction (a reissue is the "
                       "bank return's)",
                       "kind 须为 regular 或 correction（补发失败款由回盘生成）");
    if (!in->item || cases_item_on(x, in->item, NULL, it) != DD_OK ||
        strcmp(it->start_rule, "none") == 0)
        return invalid(err, "UNKNOWN_ITEM", "item",
                       "item is a catalog item paid monthly",
                       "item 须为按月发放的服务事项");
    return DD_OK;
}

/* The batch to (re)build: the one still "built", else a new one. */
static enum dd_status
batch_for(const struct cases_ctx *x, const struct cases_pay_build *in,
          const char *kind, struct payment_batch_row *b, int *created,
          struct dd_error *err)
{
    enum dd_status rc = store_payment_batch_last(x->tx, in->county, in->item,
                                                 in->month, kind, b);
    int64_t seq = 1;
    if (rc == DD_OK && strcmp(b->state, "built") == 0) {
        *created = 0;
        return DD_OK;
    }
    if (rc == DD_OK && strcmp(kind, "regular") == 0) {
        cases_err(err, "BATCH_EXISTS", "month",
                  "the month's regular batch has been checked already; "
                  "pay what it missed with a correction batch",
                  "该月常规批次已复核，遗漏款项请以更正批次发放");
        return DD_ECONFLICT;
    }
    if (rc == DD_OK)
        seq = b->seq + 1;
    else if (rc != DD_ENOTFOUND)
        return rc;
    memset(b, 0, sizeof(*b));
    str_copy(b->county_code, sizeof(b->county_code), in->county);
    str_copy(b->item_code, sizeof(b->item_code), in->item);
    str_copy(b->month, sizeof(b->month), in->month);
    str_copy(b->kind, sizeof(b->kind), kind);
    b->seq = seq;
    str_copy(b->state, sizeof(b->state), "built");
    str_copy(b->built_by, sizeof(b->built_by),
             x->actor.name ? x->actor.name : "anonymous");
    b->built_at = x->now;
    *created = 1;
    return store_payment_batch_insert(x->tx, b);
}

static enum dd_status
batch_audit(const struct cases_ctx *x, const char *step,
            const struct payment_batch_row *b, const char *changed)
{
    char lines[24], total[24], version[24];
    snprintf(lines, sizeof(lines), "%lld", (long long)b->line_count);
    snprintf(total, sizeof(total), "%lld", (long long)b->total_fen);
    snprintf(version, sizeof(version), "%lld", (long long)b->version);
    return cases_audit(
        x, arena_printf(x->arena, "payment_batch.%s", step),
        arena_printf(x->arena, "payment_batch:%lld", (long long)b->id),
        b->county_code,
        json_object_of_strings(
            x->arena,
            (const char *[]){"item", b->item_code, "month", b->month, "kind",
                             b->kind, "lines", lines, "total_fen", total,
                             "version", version, "changed", changed},
            7));
}

/* Where the scan may start each entitlement's back pay: the last
 * regular batch before this month covered every month owed before the
 * month after its own, as of when it was (re)built (a batch leaves
 * "built" only to be fixed; its lines are then the database's). */
static enum dd_status
since_of(const struct cases_ctx *x, const struct cases_pay_build *in,
         struct payment_scan *s, char since_month[8])
{
    struct payment_batch_row prev;
    int32_t mo;
    enum dd_status rc = store_payment_batch_before(x->tx, in->county, in->item,
                                                   in->month, "regular", &prev);
    if (rc == DD_ENOTFOUND)
        return DD_OK;
    if (rc == DD_OK && month_parse(prev.month, &mo) != 0)
        rc = DD_EINTERNAL;
    if (rc != DD_OK)
        return rc;
    month_format(mo + 1, since_month);
    s->since = prev.built_at;
    s->since_month = since_month;
    return DD_OK;
}

static int
balance_cmp(const void *a, const void *b)
{
    const struct balance *x = a, *y = b;
    return (x->entitlement_id > y->entitlement_id) -
           (x->entitlement_id < y->entitlement_id);
}

enum dd_status
cases_payment_build(const struct cases_ctx *x, const struct cases_pay_build *in,
                    struct payment_batch_row *out, int *created,
                    struct dd_error *err)
{
    struct catalog_item it;
    struct ent_params params;
    char elderly[DAY_BUF], minor[DAY_BUF], since_month[8];
    struct build bd = {.x = x, .params = &params, .b = out, .compare = 0};
    enum dd_status rc = build_input(x, in, &it, &bd.month, err);
    if (rc == DD_OK)
        rc = build_params(x, &it, in->county, &params, err);
    if (rc == DD_OK)
        rc = batch_for(x, in, in->kind ? in->kind : "regular", out, created,
                       err);
    if (rc != DD_OK)
        return rc;
    age_bounds(bd.month, elderly, minor);
    bd.scan = (struct payment_scan){.county_code = in->county,
                                    .item_code = in->item,
                                    .elderly_born_by = elderly,
                                    .minor_born_after = minor,
                                    .month = in->month,
                                    .batch_id = out->id,
                                    .since_month = ""};
    rc = since_of(x, in, &bd.scan, since_month);
    if (rc != DD_OK)
        return rc;
    bd.compare = !*created;
    rc = store_recovery_balances(x->tx, in->county, in->item, out->id,
                                 balance_add, &bd.bal);
    if (rc == DD_OK && bd.bal.nomem)
        rc = DD_ENOMEM;
    if (rc == DD_OK) {
        if (bd.bal.n > 0)
            qsort(bd.bal.items, bd.bal.n, sizeof(*bd.bal.items), balance_cmp);
        rc = build_all(&bd);
    }
    free(bd.bal.items);
    if (rc != DD_OK)
        return rc;
    if (*created || bd.changed) {
        out->line_count = bd.count;
        out->total_fen = bd.total;
        str_copy(out->built_by, sizeof(out->built_by),
                 x->actor.name ? x->actor.name : "anonymous");
        out->built_at = x->now;
        rc = store_payment_batch_update(x->tx, out);
    }
    if (rc != DD_OK)
        return rc;
    return batch_audit(x, "build", out,
                       *created ? "new" : bd.changed ? "yes" : "no");
}

/* ---- check, approve, close ---- */

static enum dd_status
state_conflict(struct dd_error *err, const char *en, const char *zh)
{
    cases_err(err, "BATCH_STATE", "state", en, zh);
    return DD_ECONFLICT;
}

static enum dd_status
maker_checker(struct dd_error *err)
{
    cases_err(err, "MAKER_CHECKER", NULL,
              "the person who built or checked a batch may not check or "
              "approve it",
              "批次的制单人、复核人不得复核或审批本批次");
    return DD_EDENIED;
}

/* Records line l's deduction in its entitlement's open recoveries, the
 * oldest first, settling each that it clears. */
static enum dd_status
deduct_line(const struct cases_ctx *x, const struct payment_line_row *l)
{
    struct recovery_row rec[16];
    size_t n = 0;
    int64_t left = l->deduction_fen;
    enum dd_status rc =
        store_recovery_of_entitlement(x->tx, l->entitlement_id, rec, 16, &n);
    for (size_t i = 0; rc == DD_OK && i < n && left > 0; i++) {
        int64_t bal = 0;
        if (strcmp(rec[i].state, "open") != 0)
            continue;
        rc = store_recovery_balance(x->tx, rec[i].id, &bal);
        if (rc != DD_OK || bal <= 0)
            continue;
        struct recovery_entry_row e = {.recovery_id = rec[i].id,
                                       .amount_fen = bal < left ? bal : left,
                                       .payment_line_id = l->id};
        str_copy(e.kind, sizeof(e.kind), "deducted");
        str_copy(e.decided_by, sizeof(e.decided_by),
                 x->actor.name ? x->actor.name : "anonymous");
        str_copy(e.decided_on, sizeof(e.decided_on), x->day.s);
        snprintf(e.reason_text, sizeof(e.reason_text),
                 "payment batch %lld, %s", (long long)l->batch_id, l->month);
        rc = store_recovery_entry_insert(x->tx, &e);
        left -= e.amount_fen;
        if (rc == DD_OK && e.amount_fen == bal) {
            str_copy(rec[i].state, sizeof(rec[i].state), "settled");
            rc = store_recovery_update(x->tx, &rec[i]);
        }
    }
    return rc == DD_OK && left > 0 ? DD_EINTERNAL : rc;
}

/* The deductions of b's lines into the recovery ledger (on approval:
 * the lines are fixed from then on). */
static enum dd_status
deduct_all(const struct cases_ctx *x, const struct payment_batch_row *b)
{
    struct payment_line_row *rows = calloc(SCAN_PAGE, sizeof(*rows));
    struct payment_line_filter f = {.batch_id = b->id};
    size_t n = SCAN_PAGE;
    enum dd_status rc = rows ? DD_OK : DD_ENOMEM;
    while (rc == DD_OK && n == SCAN_PAGE) {
        rc = store_payment_line_page(x->tx, &f, rows, SCAN_PAGE, &n);
        for (size_t i = 0; rc == DD_OK && i < n; i++)
            if (rows[i].deduction_fen > 0)
                rc = deduct_line(x, &rows[i]);
        if (n > 0)
            f.after_id = rows[n - 1].id;
    }
    free(rows);
    return rc;
}

enum dd_status
cases_payment_step(const struct cases_ctx *x, struct payment_batch_row *b,
                   enum cases_pay_step step, int64_t version,
                   struct dd_error *err)
{
    const char *me = x->actor.name ? x->actor.name : "anonymous";
    static const char *const names[] = {"check", "approve", "close"};
    static const char *const need[] = {"built", "checked", "reconciled"};
    static const char *const next[] = {"checked", "approved", "closed"};
    if (version != b->version) {
        cases_err(err, "VERSION_CONFLICT", "version",
                  "the batch was changed meanwhile; reload it",
                  "该批次已被他人修改，请刷新后重试");
        return DD_ECONFLICT;
    }
    if (strcmp(b->state, need[step]) != 0)
        return state_conflict(
            err,
            arena_printf(x->arena, "a batch is %s only when %s (it is %s)",
                         names[step], need[step], b->state),
            arena_printf(x->arena, "批次须为 %s 状态方可%s（现为 %s）",
                         need[step],
                         step == CASES_PAY_CHECK     ? "复核"
                         : step == CASES_PAY_APPROVE ? "审批"
                                                     : "关闭",
                         b->state));
    if ((step == CASES_PAY_CHECK && strcmp(me, b->built_by) == 0) ||
        (step == CASES_PAY_APPROVE &&
         (strcmp(me, b->built_by) == 0 || strcmp(me, b->checked_by) == 0)))
        return maker_checker(err);
    enum dd_status rc = DD_OK;
    if (step == CASES_PAY_CHECK) {
        str_copy(b->checked_by, sizeof(b->checked_by), me);
        b->checked_at = x->now;
    } else if (step == CASES_PAY_APPROVE) {
        str_copy(b->approved_by, sizeof(b->approved_by), me);
        b->approved_at = x->now;
        rc = deduct_all(x, b);
    } else {
        /* an unknown line is settled only while the batch is open: a
         * close would leave it unknown for good */
        struct payfile_failures f;
        rc = store_payfile_failures(x->tx, b->id, &f);
        if (rc == DD_OK && f.unknown > 0) {
            cases_err(err, "UNKNOWN_WAITING", "state",
                      arena_printf(x->arena,
                                   "%lld line(s) the bank's answer left "
                                   "unknown must be settled (paid or "
                                   "failed) before the batch is closed",
                                   (long long)f.unknown),
                      arena_printf(x->arena,
                                   "尚有 %lld 笔回盘待核实明细，须先核实为"
                                   "已到账或失败，方可关闭批次",
                                   (long long)f.unknown));
            return DD_ECONFLICT;
        }
        str_copy(b->closed_by, sizeof(b->closed_by), me);
        b->closed_at = x->now;
    }
    str_copy(b->state, sizeof(b->state), next[step]);
    if (rc == DD_OK)
        rc = store_payment_batch_update(x->tx, b);
    if (rc == DD_OK && step == CASES_PAY_CLOSE) /* the monthly report's */
        rc = store_payment_summary_add_batch(x->tx, b->id);
    if (rc == DD_ECONFLICT)
        cases_err(err, "VERSION_CONFLICT", "version",
                  "the batch was changed meanwhile; reload it",
                  "该批次已被他人修改，请刷新后重试");
    return rc == DD_OK ? batch_audit(x, names[step], b, "") : rc;
}

/* ---- the check's figures ---- */

/* A batch's lines of its own month, by entitlement. */
struct month_line {
    int64_t entitlement_id, amount_fen, account;
};

static int
month_line_cmp(const void *a, const void *b)
{
    const struct month_line *x = a, *y = b;
    return (x->entitlement_id > y->entitlement_id) -
           (x->entitlement_id < y->entitlement_id);
}

struct lines_read {
    struct month_line *items;
    size_t n, cap;
};

static struct cases_pay_total *
total_for(const struct cases_ctx *x, struct cases_pay_review *r,
          const char *township, size_t *cap)
{
    for (size_t i = 0; i < r->township_count; i++)
        if (strcmp(r->townships[i].key, township) == 0)
            return &r->townships[i];
    if (r->township_count == *cap) {
        size_t ncap = *cap ? *cap * 2 : 32;
        struct cases_pay_total *t = arena_alloc(x->arena, ncap * sizeof(*t));
        if (!t)
            return NULL;
        if (r->township_count)
            memcpy(t, r->townships, r->township_count * sizeof(*t));
        r->townships = t;
        *cap = ncap;
    }
    struct cases_pay_total *t = &r->townships[r->township_count++];
    memset(t, 0, sizeof(*t));
    str_copy(t->key, sizeof(t->key), township);
    return t;
}

/* Reads batch b's lines: its month's into *out, and (r not NULL) every
 * line into r's totals. */
static enum dd_status
read_lines(const struct cases_ctx *x, const struct payment_batch_row *b,
           struct lines_read *out, struct cases_pay_review *r)
{
    struct payment_line_row *rows = calloc(SCAN_PAGE, sizeof(*rows));
    struct payment_line_filter f = {.batch_id = b->id};
    size_t n = SCAN_PAGE, tcap = 0;
    enum dd_status rc = rows ? DD_OK : DD_ENOMEM;
    while (rc == DD_OK && n == SCAN_PAGE) {
        rc = store_payment_line_page(x->tx, &f, rows, SCAN_PAGE, &n);
        for (size_t i = 0; rc == DD_OK && i < n; i++) {
            const struct payment_line_row *l = &rows[i];
            if (r) {
                struct cases_pay_total *u =
                    &r->urban_rural[strcmp(l->urban_rural, "urban") != 0];
                struct cases_pay_total *t =
                    total_for(x, r, l->township_code, &tcap);
                if (!t) {
                    rc = DD_ENOMEM;
                    break;
                }
                u->lines++;
                u->total_fen += l->amount_fen;
                t->lines++;
                t->total_fen += l->amount_fen;
            }
            if (strcmp(l->month, b->month) != 0)
                continue;
            struct month_line *room =
                grow_room(out->items, out->n, &out->cap, sizeof(*room), 256);
            if (!room) {
                rc = DD_ENOMEM;
                break;
            }
            out->items = room;
            out->items[out->n++] =
                (struct month_line){l->entitlement_id, l->amount_fen,
                                    l->payee_account_id};
        }
        if (n > 0)
            f.after_id = rows[n - 1].id;
    }
    free(rows);
    if (rc == DD_OK && out->n > 0)
        qsort(out->items, out->n, sizeof(*out->items), month_line_cmp);
    return rc;
}

static void
diff_add(struct cases_pay_review *r, int kind, const struct month_line *a,
         const struct month_line *b)
{
    size_t k = r->diff_count[kind]++;
    if (k >= CASES_PAY_DIFF_MAX || !r->diffs[kind])
        return;
    r->diffs[kind][k] = (struct cases_pay_diff){
        a ? a->entitlement_id : b->entitlement_id,
        a ? a->amount_fen : 0,
        b ? b->amount_fen : 0,
        a ? a->account : 0,
        b ? b->account : 0};
    r->diff_listed[kind] = k + 1;
}

/* Walks the two sorted lists of month lines together. */
static void
diff_all(struct cases_pay_review *r, const struct lines_read *before,
         const struct lines_read *after)
{
    size_t i = 0, j = 0;
    while (i < before->n && j < after->n) {
        const struct month_line *a = &before->items[i], *b = &after->items[j];
        if (a->entitlement_id < b->entitlement_id) {
            diff_add(r, PAY_DIFF_STOPPED, a, NULL);
            i++;
        } else if (b->entitlement_id < a->entitlement_id) {
            diff_add(r, PAY_DIFF_NEW, NULL, b);
            j++;
        } else {
            if (a->amount_fen != b->amount_fen)
                diff_add(r, PAY_DIFF_CHANGED, a, b);
            else if (a->account != b->account)
                diff_add(r, PAY_DIFF_ACCOUNT, a, b);
            i++;
            j++;
        }
    }
    for (; i < before->n; i++)
        diff_add(r, PAY_DIFF_STOPPED, &before->items[i], NULL);
    for (; j < after->n; j++)
        diff_add(r, PAY_DIFF_NEW, NULL, &after->items[j]);
}

enum dd_status
cases_payment_review(const struct cases_ctx *x,
                     const struct payment_batch_row *b,
                     struct cases_pay_review *out)
{
    struct lines_read now = {0}, before = {0};
    struct payment_batch_row prev;
    int32_t mo;
    char prev_month[8];
    memset(out, 0, sizeof(*out));
    str_copy(out->urban_rural[0].key, sizeof(out->urban_rural[0].key),
             "urban");
    str_copy(out->urban_rural[1].key, sizeof(out->urban_rural[1].key),
             "rural");
    if (month_parse(b->month, &mo) != 0)
        return DD_EINTERNAL;
    month_format(mo - 1, prev_month);
    for (int k = 0; k < PAY_DIFF__COUNT; k++)
        if (!(out->diffs[k] = arena_alloc(
                  x->arena, CASES_PAY_DIFF_MAX * sizeof(*out->diffs[k]))))
            return DD_ENOMEM;
    enum dd_status rc = read_lines(x, b, &now, out);
    out->compared = strcmp(b->kind, "regular") == 0;
    if (rc == DD_OK && out->compared) {
        rc = store_payment_batch_last(x->tx, b->county_code, b->item_code,
                                      prev_month, "regular", &prev);
        if (rc == DD_OK) {
            out->previous_id = prev.id;
            rc = read_lines(x, &prev, &before, NULL);
        } else if (rc == DD_ENOTFOUND) {
            rc = DD_OK;
        }
    }
    if (rc == DD_OK && out->compared)
        diff_all(out, &before, &now);
    free(now.items);
    free(before.items);
    return rc;
}
