/* SPDX-License-Identifier: MIT */
/* Service KPIs (domain.md §9): time-limit compression, handling time in
 * working days, on-time rate, overdue count, full-online rate and
 * in-person visits (per catalog item and per case, labelled), referral
 * loop closure, and applications, approvals, rejections and money by
 * region and item. Pure: the caller streams case items through
 * kpi_add(); no I/O, no allocation.
 *
 * Which case items count: the cohort ACCEPTED in [from, to] (inclusive
 * day numbers). Their state is read as of the day `as_of` (normally
 * today, never before `to`): a decision or closure after as_of is not
 * seen. This makes a period's figures stable once its cases close, and
 * every figure is explainable from the listed rows.
 *
 * Definitions (domain.md §9; the formulas it marks NOT FOUND are chosen
 * here and labelled in the output):
 *   compression     (statutory − promised) / statutory per catalog item,
 *                   and the plain mean over the catalog's items;
 *   handling days   working days from acceptance to closure, less the
 *                   working days the clock was paused (补正); mean over
 *                   the closed items;
 *   on time         closed on or before the deadline (which already
 *                   carries the paused days) / closed;
 *   overdue         closed late + open past the deadline on as_of;
 *   online (item)   catalog items that can be done fully online / items;
 *   online (case)   items applied for online that closed with no
 *                   in-person visit / items;
 *   visits (item)   Σ required visits / catalog items;
 *   visits (case)   Σ recorded visits / items;
 *   referral loop   referrals answered / referrals, and the mean working
 *                   days from referral to answer. */
#ifndef DD_KPI_H
#define DD_KPI_H

#include <stdint.h>

#include "domain/workcal.h"

#define KPI_ITEMS_MAX 48
#define KPI_REGIONS_MAX 128 /* the children of one region: 38 counties,
                               ≤ 60 townships, ≤ 128 villages */

/* One catalog item as the KPIs need it. */
struct kpi_item {
    const char *code;
    int statutory_days; /* 法定时限 */
    int promised_days;  /* 承诺时限, in the same unit */
    int visits_required;
    int fully_online;
};

enum kpi_outcome {
    KPI_OPEN = 0,
    KPI_APPROVED, /* an entitlement or a recognition */
    KPI_REJECTED,
    KPI_DONE,     /* closed otherwise: a referral answered, a filing, … */
};

/* One case item, as of as_of. Days are workcal day numbers; -1 = none. */
struct kpi_case {
    int item;                /* index into the item array */
    int region;              /* index of the breakdown region */
    int32_t accepted_day;
    int32_t deadline_day;    /* with the paused days already added */
    int32_t closed_day;      /* -1 while open */
    int paused_working_days; /* 补正 */
    enum kpi_outcome outcome;
    int64_t monthly_fen;     /* the approved amount; 0 otherwise */
    int online;              /* applied through the online channel */
    int visits;              /* in-person visits recorded */
    int32_t referred_day;    /* -1 when not a referral */
    int32_t answered_day;    /* -1 until the department answers */
};

/* Counters for one slice (everything, one item, one region). */
struct kpi_counts {
    int64_t items;          /* case items accepted in the period */
    int64_t approved;
    int64_t rejected;
    int64_t closed;
    int64_t on_time;
    int64_t overdue;        /* closed late + open past the deadline */
    int64_t handling_days;  /* Σ working days over the closed */
    int64_t online_full;    /* online, closed, no visit */
    int64_t online_applied;
    int64_t visits;
    int64_t referrals;
    int64_t referrals_answered;
    int64_t referral_days;  /* Σ working days over the answered */
    int64_t money_fen;      /* Σ approved monthly amounts */
};

struct kpi_result {
    int32_t from, to, as_of;
    int uncovered;                       /* a day in a year with no
                                            calendar data was counted */
    int64_t skipped;                     /* rows outside the period or
                                            with a bad item/region */
    struct kpi_counts total;
    struct kpi_counts by_item[KPI_ITEMS_MAX];
    struct kpi_counts by_region[KPI_REGIONS_MAX];
};

/* Zeroes r for the period. Returns -1 when from > to or as_of < to. */
int kpi_begin(struct kpi_result *r, int32_t from, int32_t to, int32_t as_of);
/* Counts one case item; n_items and n_regions bound c->item and
 * c->region (rows outside are counted in r->skipped). */
void kpi_add(struct kpi_result *r, const struct workcal *cal,
             const struct kpi_case *c, int n_items, int n_regions);

/* A finished computation with the names a report shows: what the JSON,
 * CSV and xlsx renderings read. Strings are borrowed. */
struct kpi_view {
    const char *region, *region_name;
    const char *from, *to, *as_of;       /* YYYY-MM-DD */
    const struct kpi_result *result;
    const struct kpi_item *items;        /* the catalog in force on to */
    const char *const *item_names_zh;
    const char *const *item_names_en;
    int n_items;
    const char *const *region_codes;     /* the breakdown */
    const char *const *region_names;
    int n_regions;
    int64_t standard_urban_fen;          /* 低保 in force on to; 0 = unknown */
    int64_t standard_rural_fen;
};

/* Rates in parts per million (0 when the denominator is 0), so callers
 * print them without floating point surprises. */
int64_t kpi_ppm(int64_t num, int64_t den);
/* The item's compression in ppm; 0 when statutory_days <= 0. */
int64_t kpi_item_compression_ppm(const struct kpi_item *it);
/* Means over the catalog (per item): compression, visits, online. */
int64_t kpi_mean_compression_ppm(const struct kpi_item *items, int n);
int64_t kpi_item_online_ppm(const struct kpi_item *items, int n);
int64_t kpi_item_visits_ppm(const struct kpi_item *items, int n);

#endif
