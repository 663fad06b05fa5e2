/* SPDX-License-Identifier: MIT */
/* JSON for the KPI report (GET /api/v1/kpis). Part of the json module. */
#ifndef DD_JSON_KPI_H
#define DD_JSON_KPI_H

#include "core/arena.h"
#include "domain/kpi.h"

/* {"region","region_name","from","to","as_of","calendar_uncovered",
 *  "definitions":{...},"catalog":{"mean_compression","online_rate_items",
 *  "visits_per_item"},"total":{counts and rates},"by_item":[...],
 *  "by_region":[...],"dibao_standard":{urban_fen, rural_fen,
 *  rural_urban_ratio}}. Rates are fractions with 4 places; the per-item
 *  and per-case variants are named so. NULL on ENOMEM. */
char *json_encode_kpis(struct arena *a, const struct kpi_view *v);

#endif
