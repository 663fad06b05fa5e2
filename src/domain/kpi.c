/* SPDX-License-Identifier: MIT */
/* Service KPIs over a cohort of case items (definitions in kpi.h). */
#include "domain/kpi.h"

#include <string.h>

int
kpi_begin(struct kpi_result *r, int32_t from, int32_t to, int32_t as_of)
{
    memset(r, 0, sizeof(*r));
    if (from > to || as_of < to)
        return -1;
    r->from = from;
    r->to = to;
    r->as_of = as_of;
    return 0;
}

/* The facts of one case item as of r->as_of, added to one slice. */
struct kpi_facts {
    int closed, approved, rejected, on_time, overdue, online_full;
    int64_t handling_days, money_fen;
    int referral, answered;
    int64_t referral_days;
};

static void
count(struct kpi_counts *k, const struct kpi_facts *f, const struct kpi_case *c)
{
    k->items++;
    k->approved += f->approved;
    k->rejected += f->rejected;
    k->closed += f->closed;
    k->on_time += f->on_time;
    k->overdue += f->overdue;
    k->handling_days += f->handling_days;
    k->online_full += f->online_full;
    k->online_applied += c->online != 0;
    k->visits += c->visits;
    k->referrals += f->referral;
    k->referrals_answered += f->answered;
    k->referral_days += f->referral_days;
    k->money_fen += f->money_fen;
}

void
kpi_add(struct kpi_result *r, const struct workcal *cal,
        const struct kpi_case *c, int n_items, int n_regions)
{
    if (c->accepted_day < r->from || c->accepted_day > r->to ||
        c->item < 0 || c->item >= n_items || n_items > KPI_ITEMS_MAX ||
        c->region < 0 || c->region >= n_regions ||
        n_regions > KPI_REGIONS_MAX) {
        r->skipped++;
        return;
    }
    struct kpi_facts f;
    memset(&f, 0, sizeof(f));
    int uncovered = 0;
    /* A closure after as_of has not happened yet. */
    f.closed = c->closed_day >= 0 && c->closed_day <= r->as_of;
    if (f.closed) {
        f.approved = c->outcome == KPI_APPROVED;
        f.rejected = c->outcome == KPI_REJECTED;
        f.money_fen = f.approved ? c->monthly_fen : 0;
        f.on_time = c->closed_day <= c->deadline_day;
        f.overdue = !f.on_time;
        int used = workcal_working_days_between(cal, c->accepted_day,
                                                c->closed_day, &uncovered);
        used -= c->paused_working_days;
        f.handling_days = used > 0 ? used : 0;
        f.online_full = c->online && c->visits == 0;
    } else {
        f.overdue = r->as_of > c->deadline_day;
    }
    if (c->referred_day >= 0) {
        f.referral = 1;
        f.answered = c->answered_day >= 0 && c->answered_day <= r->as_of;
        if (f.answered) {
            int u = 0;
            f.referral_days = workcal_working_days_between(
                cal, c->referred_day, c->answered_day, &u);
            uncovered |= u;
        }
    }
    r->uncovered |= uncovered;
    count(&r->total, &f, c);
    count(&r->by_item[c->item], &f, c);
    count(&r->by_region[c->region], &f, c);
}

int64_t
kpi_ppm(int64_t num, int64_t den)
{
    if (den <= 0)
        return 0;
    /* Rounded half up; num and den stay far below 2^43 in practice. */
    return (num * 1000000 + den / 2) / den;
}

int64_t
kpi_item_compression_ppm(const struct kpi_item *it)
{
    if (it->statutory_days <= 0)
        return 0;
    return kpi_ppm(it->statutory_days - it->promised_days, it->statutory_days);
}

int64_t
kpi_mean_compression_ppm(const struct kpi_item *items, int n)
{
    int64_t sum = 0;
    int counted = 0;
    for (int i = 0; i < n; i++) {
        if (items[i].statutory_days <= 0)
            continue;
        sum += kpi_item_compression_ppm(&items[i]);
        counted++;
    }
    return counted ? (sum + counted / 2) / counted : 0;
}

int64_t
kpi_item_online_ppm(const struct kpi_item *items, int n)
{
    int64_t online = 0;
    for (int i = 0; i < n; i++)
        online += items[i].fully_online != 0;
    return kpi_ppm(online, n);
}

int64_t
kpi_item_visits_ppm(const struct kpi_item *items, int n)
{
    int64_t visits = 0;
    for (int i = 0; i < n; i++)
        visits += items[i].visits_required;
    return kpi_ppm(visits, n);
}
