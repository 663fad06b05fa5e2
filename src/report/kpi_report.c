/* SPDX-License-Identifier: MIT */
/* Builds a KPI report from the store (see kpi_report.h). */
#include "report/kpi_report.h"

#include <string.h>

struct scan {
    const struct kpi_report_in *in;
    struct kpi_report *out;
};

/* -1 for "" (none) or a malformed day. */
static int32_t
day_of(const char *s)
{
    int32_t d;
    return s && *s && workcal_parse_date(s, &d) == 0 ? d : -1;
}

/* The Asia/Shanghai day (UTC+8, no summer time) of an epoch second. */
static int32_t
day_of_epoch(int64_t t)
{
    if (t <= 0)
        return -1;
    int64_t d = (t + 8 * 3600) / 86400;
    return (int32_t)d;
}

static int
find_item(const struct kpi_report *r, int n, const char *code)
{
    for (int i = 0; i < n; i++)
        if (strcmp(r->items[i].code, code) == 0)
            return i;
    return -1;
}

/* The breakdown child whose code is a prefix of the case's village. */
static int
find_child(const struct kpi_report_in *in, const char *village)
{
    size_t lo = 0, hi = in->n_children;
    while (lo < hi) { /* children are sorted; codes of one level share a length */
        size_t mid = lo + (hi - lo) / 2;
        const char *c = in->children[mid].code;
        int cmp = strncmp(village, c, strlen(c));
        if (cmp == 0)
            return (int)mid;
        if (cmp < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return -1;
}

static int
on_row(const struct kpi_case_row *row, void *ctx)
{
    struct scan *s = ctx;
    struct kpi_report *r = s->out;
    struct kpi_case c;
    memset(&c, 0, sizeof(c));
    c.item = find_item(r, s->out->view.n_items, row->item_code);
    c.region = find_child(s->in, row->village_code);
    c.accepted_day = day_of(row->accepted_on);
    c.deadline_day = day_of(row->deadline);
    c.closed_day = strcmp(row->state, "closed") == 0 ? day_of(row->closed_on)
                                                      : -1;
    c.paused_working_days = (int)row->paused_working_days;
    if (strcmp(row->decision, "approved") == 0)
        c.outcome = KPI_APPROVED;
    else if (strcmp(row->decision, "rejected") == 0)
        c.outcome = KPI_REJECTED;
    else
        c.outcome = c.closed_day >= 0 ? KPI_DONE : KPI_OPEN;
    c.monthly_fen = row->amount_fen;
    c.online = strcmp(row->channel, "online") == 0;
    c.visits = (int)row->visits;
    c.referred_day = day_of_epoch(row->referral_sent_at);
    c.answered_day = day_of_epoch(row->referral_answered_at);
    kpi_add(&r->result, s->in->cal, &c, r->view.n_items, r->view.n_regions);
    r->rows++;
    return 0;
}

/* The newest version in force on date of every code in the catalog. */
static void
collect_items(struct kpi_report *r, const struct catalog *cat,
              const char *date)
{
    int n = 0;
    for (size_t i = 0; i < cat->count && n < KPI_ITEMS_MAX; i++) {
        const char *code = cat->items[i].code;
        if (find_item(r, n, code) >= 0)
            continue;
        const struct catalog_item *it = catalog_find(cat, code, date);
        if (!it)
            continue;
        r->items[n] = (struct kpi_item){
            .code = it->code,
            .statutory_days = (int)it->statutory_days,
            .promised_days = (int)it->promised_days,
            .visits_required = (int)it->visits_required,
            .fully_online = it->fully_online != 0,
        };
        r->names_zh[n] = it->name_zh;
        r->names_en[n] = it->name_en;
        n++;
    }
    r->view.n_items = n;
}

/* The 低保 standards in force on date for the region (the city's when
 * the region is the city); 0 when not found. */
static void
standards(const struct kpi_report_in *in, int y, int m, int d,
          struct kpi_view *v)
{
    const struct policy_param *p;
    if (!in->policy)
        return;
    if (policy_lookup(in->policy, "dibao.standard.urban", in->region, y, m, d,
                      &p) == DD_OK)
        v->standard_urban_fen = p->value;
    if (policy_lookup(in->policy, "dibao.standard.rural", in->region, y, m, d,
                      &p) == DD_OK)
        v->standard_rural_fen = p->value;
}

enum dd_status
kpi_report_run(struct store_tx *tx, const struct kpi_report_in *in,
               struct kpi_report *out)
{
    memset(out, 0, sizeof(*out));
    int32_t from = day_of(in->from), to = day_of(in->to),
            as_of = day_of(in->as_of);
    if (from < 0 || to < 0 || as_of < 0 || in->n_children > KPI_REGIONS_MAX ||
        kpi_begin(&out->result, from, to, as_of) != 0)
        return DD_EINVAL;
    struct kpi_view *v = &out->view;
    v->region = in->region;
    v->region_name = in->region_name;
    v->from = in->from;
    v->to = in->to;
    v->as_of = in->as_of;
    v->result = &out->result;
    collect_items(out, in->catalog, in->to);
    v->items = out->items;
    v->item_names_zh = out->names_zh;
    v->item_names_en = out->names_en;
    for (size_t i = 0; i < in->n_children; i++) {
        out->region_codes[i] = in->children[i].code;
        out->region_names[i] = in->children[i].name;
    }
    v->n_regions = (int)in->n_children;
    v->region_codes = out->region_codes;
    v->region_names = out->region_names;
    int y, m, d;
    workcal_ymd_from_day(to, &y, &m, &d);
    standards(in, y, m, d, v);

    struct scan s = {in, out};
    /* the city (500000, or "50" as scopes write it) is everything */
    const char *prefix = strcmp(in->region, "500000") == 0 ||
                                 strcmp(in->region, POLICY_CITY) == 0
                             ? ""
                             : in->region;
    return store_kpi_case_each(tx, prefix, in->from, in->to, on_row, &s);
}
