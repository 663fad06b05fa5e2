/* SPDX-License-Identifier: MIT */
/* The monthly statistics return and the dashboard's trend, assembled from
 * the payment summary (see caseload_report.h). */
#include "report/caseload_report.h"

#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "domain/month.h"

void
monthly_report_init(struct monthly_report *r, const char *region,
                    const char *month)
{
    memset(r, 0, sizeof(*r));
    str_copy(r->region, sizeof(r->region), region);
    str_copy(r->month, sizeof(r->month), month);
}

/* The programme's entry, inserted in code order when new; NULL when the
 * report is full. */
static struct report_item *
item_of(struct monthly_report *r, const char *code)
{
    size_t i = 0;
    while (i < r->n_items && strcmp(r->items[i].code, code) < 0)
        i++;
    if (i < r->n_items && strcmp(r->items[i].code, code) == 0)
        return &r->items[i];
    if (r->n_items == REPORT_ITEMS_MAX)
        return NULL;
    memmove(&r->items[i + 1], &r->items[i],
            (r->n_items - i) * sizeof(r->items[0]));
    r->n_items++;
    memset(&r->items[i], 0, sizeof(r->items[i]));
    str_copy(r->items[i].code, sizeof(r->items[i].code), code);
    return &r->items[i];
}

static void
figures_add(struct report_figures *to, const struct payment_summary_row *s)
{
    to->households += s->households;
    to->persons += s->persons;
    to->elderly += s->elderly;
    to->minors += s->minors;
    to->disabled += s->disabled;
    to->lines += s->lines;
    to->amount_fen += s->amount_fen;
}

int
monthly_report_add(struct monthly_report *r,
                   const struct payment_summary_row *row)
{
    int urban = strcmp(row->urban_rural, "urban") == 0;
    if (!urban && strcmp(row->urban_rural, "rural") != 0)
        return -1;
    struct report_item *it = item_of(r, row->item_code);
    if (!it)
        return -1;
    figures_add(urban ? &it->urban : &it->rural, row);
    figures_add(&it->total, row);
    figures_add(&r->all, row);
    return 0;
}

int
monthly_report_add_move(struct monthly_report *r,
                        const struct caseload_move_row *m)
{
    static const char *const kinds[] = {"new", "stopped", "changed"};
    size_t k = 0;
    while (k < 3 && strcmp(m->kind, kinds[k]) != 0)
        k++;
    struct report_item *it = k < 3 ? item_of(r, m->item_code) : NULL;
    if (!it)
        return -1;
    int64_t *counts[] = {&it->new_cases, &it->stopped_cases,
                         &it->changed_cases};
    *counts[k] += m->cases;
    return 0;
}

/* The store walks' context: the report or trend filled, and whether a
 * row did not fit (DD_EINTERNAL once the walk ends). */
struct walk {
    void *to;
    int bad;
};

static enum dd_status
walk_end(enum dd_status rc, const struct walk *w)
{
    return rc == DD_OK && w->bad ? DD_EINTERNAL : rc;
}

static int
add_summary(const struct payment_summary_row *row, void *ctx)
{
    struct walk *w = ctx;
    return w->bad = monthly_report_add(w->to, row) != 0;
}

static int
add_move(const struct caseload_move_row *m, void *ctx)
{
    struct walk *w = ctx;
    return w->bad = monthly_report_add_move(w->to, m) != 0;
}

enum dd_status
monthly_report_run(struct store_tx *tx, const char *region, const char *month,
                   struct monthly_report *out)
{
    struct walk w = {out, 0};
    enum dd_status rc =
        store_payment_summary_each(tx, region, month, add_summary, &w);
    if (rc == DD_OK && !w.bad)
        rc = store_caseload_move_each(tx, region, month, add_move, &w);
    return walk_end(rc, &w);
}

int
caseload_trend_init(struct caseload_trend *t, int32_t last, int n_months,
                    const char *const *codes, size_t n_districts)
{
    if (n_months < 1 || n_months > TREND_MONTHS_MAX ||
        n_districts > TREND_DISTRICTS_MAX)
        return -1;
    memset(t, 0, sizeof(*t));
    t->first = last - n_months + 1;
    t->n_months = n_months;
    t->codes = codes;
    t->n_districts = n_districts;
    return 0;
}

static int
code_cmp(const void *key, const void *elem)
{
    return strcmp(key, *(const char *const *)elem);
}

static void
point_add(struct trend_point *p, const struct payment_trend_row *row)
{
    p->households += row->households;
    p->persons += row->persons;
    p->amount_fen += row->amount_fen;
}

int
caseload_trend_add(struct caseload_trend *t,
                   const struct payment_trend_row *row)
{
    int32_t mo;
    if (month_parse(row->month, &mo) != 0 || mo < t->first ||
        mo >= t->first + t->n_months)
        return -1;
    const char *const *d =
        t->n_districts == 0
            ? NULL
            : bsearch(row->county_code, t->codes, t->n_districts,
                      sizeof(*t->codes), code_cmp);
    if (d)
        point_add(&t->cells[d - t->codes][mo - t->first], row);
    point_add(&t->total[mo - t->first], row);
    return 0;
}

static int
add_trend(const struct payment_trend_row *row, void *ctx)
{
    struct walk *w = ctx;
    return w->bad = caseload_trend_add(w->to, row) != 0;
}

enum dd_status
caseload_trend_run(struct store_tx *tx, const char *region, const char *item,
                   struct caseload_trend *t)
{
    char from[8], to[8];
    struct walk w = {t, 0};
    month_format(t->first, from);
    month_format(t->first + t->n_months - 1, to);
    enum dd_status rc =
        store_payment_trend_each(tx, region, from, to, item, add_trend, &w);
    return walk_end(rc, &w);
}
