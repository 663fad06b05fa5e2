/* SPDX-License-Identifier: MIT */
/* The KPI report for a region and a period: streams the store's case
 * items through the pure accumulator (domain/kpi.h) with the catalog in
 * force on the period's last day, the working-day calendar, and the 低保
 * standards from the policy table. Used by GET /api/v1/kpis and by
 * `doudi kpis`. */
#ifndef DD_KPI_REPORT_H
#define DD_KPI_REPORT_H

#include <stddef.h>

#include "core/status.h"
#include "domain/catalog.h"
#include "domain/kpi.h"
#include "domain/policy.h"
#include "domain/workcal.h"
#include "store/store.h"

struct kpi_report_in {
    const char *region;      /* "50", a county, a township or a village */
    const char *region_name;
    const char *from, *to, *as_of; /* YYYY-MM-DD, checked by the caller */
    const struct catalog *catalog;
    const struct workcal *cal;
    const struct policy_table *policy; /* NULL: no standard ratio */
    /* the breakdown: the region's children (codes sorted), at most
     * KPI_REGIONS_MAX */
    const struct region *children;
    size_t n_children;
};

struct kpi_report {
    struct kpi_result result;
    struct kpi_item items[KPI_ITEMS_MAX];
    const char *names_zh[KPI_ITEMS_MAX], *names_en[KPI_ITEMS_MAX];
    const char *region_codes[KPI_REGIONS_MAX], *region_names[KPI_REGIONS_MAX];
    struct kpi_view view; /* points into this struct and into in */
    int64_t rows;         /* case items read from the store */
};

/* Fills *out (a large struct: allocate it) in one read transaction tx.
 * DD_EINVAL for a bad period (from > to, as_of < to) or too many
 * children; DD_ESTORE. */
enum dd_status kpi_report_run(struct store_tx *tx, const struct kpi_report_in *in,
                              struct kpi_report *out) DD_WUR;

#endif
