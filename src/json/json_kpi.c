/* SPDX-License-Identifier: MIT */
/* Encodes the KPI report (see json_kpi.h). */
#include "json/json_kpi.h"

#include "json/json_internal.h"

/* A ppm rate as a JSON number with 4 decimal places. */
static json_t *
rate(int64_t ppm)
{
    return json_real((double)((ppm + 50) / 100) / 10000.0);
}

/* num / den with 2 places, or null when den is 0. */
static json_t *
mean(int64_t num, int64_t den)
{
    if (den <= 0)
        return json_null();
    return json_real((double)((num * 100 + den / 2) / den) / 100.0);
}

static json_t *
counts(const struct kpi_counts *k)
{
    return json_pack(
        "{s:I, s:I, s:I, s:I, s:I, s:o, s:I, s:o, s:o, s:o, s:I, s:o, s:o,"
        " s:I}",
        "applications", (json_int_t)k->items, "approved",
        (json_int_t)k->approved, "rejected", (json_int_t)k->rejected,
        "closed", (json_int_t)k->closed, "on_time", (json_int_t)k->on_time,
        "on_time_rate", rate(kpi_ppm(k->on_time, k->closed)), "overdue",
        (json_int_t)k->overdue, "mean_handling_working_days",
        mean(k->handling_days, k->closed), "online_rate_cases",
        rate(kpi_ppm(k->online_full, k->items)), "visits_per_case",
        mean(k->visits, k->items), "referrals", (json_int_t)k->referrals,
        "referral_closure_rate",
        rate(kpi_ppm(k->referrals_answered, k->referrals)),
        "mean_referral_working_days",
        mean(k->referral_days, k->referrals_answered), "approved_monthly_fen",
        (json_int_t)k->money_fen);
}

/* What each figure means, for whoever reads the export (domain.md §9). */
static json_t *
definitions(void)
{
    return json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s}", "cohort",
        "case items accepted from..to, their state as of as_of",
        "compression", "(statutory - promised) / statutory per catalog item; "
                       "mean over the catalog (domain.md §9 减时间)",
        "online_rate_items",
        "catalog items that can be done fully online / catalog items",
        "online_rate_cases",
        "case items applied for online and closed with no in-person visit / "
        "case items",
        "visits", "per item: required visits in the catalog; per case: "
                  "visits recorded on the case's steps",
        "working_days", "the start day is not counted; paused (补正) days "
                        "are taken off; see docs/calendar.md");
}

char *
json_encode_kpis(struct arena *a, const struct kpi_view *v)
{
    const struct kpi_result *r = v->result;
    json_t *items = json_array(), *regions = json_array();
    if (!items || !regions)
        goto fail;
    for (int i = 0; i < v->n_items; i++) {
        const struct kpi_item *it = &v->items[i];
        json_t *o = counts(&r->by_item[i]);
        if (!o || json_array_append_new(items, o) != 0 ||
            json_object_update_missing_new(
                o, json_pack("{s:s, s:s, s:s, s:i, s:i, s:o, s:b, s:i}",
                             "item", it->code, "name_zh", v->item_names_zh[i],
                             "name_en", v->item_names_en[i], "statutory_days",
                             it->statutory_days, "promised_days",
                             it->promised_days, "compression",
                             rate(kpi_item_compression_ppm(it)),
                             "fully_online", it->fully_online != 0,
                             "visits_required", it->visits_required)) != 0)
            goto fail;
    }
    for (int i = 0; i < v->n_regions; i++) {
        json_t *o = counts(&r->by_region[i]);
        if (!o || json_array_append_new(regions, o) != 0 ||
            json_object_update_missing_new(
                o, json_pack("{s:s, s:s}", "region", v->region_codes[i],
                             "name", v->region_names[i])) != 0)
            goto fail;
    }
    json_t *standard = json_pack(
        "{s:I, s:I, s:o}", "urban_fen", (json_int_t)v->standard_urban_fen,
        "rural_fen", (json_int_t)v->standard_rural_fen, "rural_urban_ratio",
        v->standard_urban_fen > 0
            ? rate(kpi_ppm(v->standard_rural_fen, v->standard_urban_fen))
            : json_null());
    json_t *catalog = json_pack(
        "{s:o, s:o, s:o}", "mean_compression",
        rate(kpi_mean_compression_ppm(v->items, v->n_items)),
        "online_rate_items", rate(kpi_item_online_ppm(v->items, v->n_items)),
        "visits_per_item",
        mean(kpi_item_visits_ppm(v->items, v->n_items), 1000000));
    return json_to_arena(
        a, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:I, s:o, s:o, s:o, "
                     "s:o, s:o, s:o}",
                     "region", v->region, "region_name",
                     v->region_name ? v->region_name : "", "from", v->from,
                     "to", v->to, "as_of", v->as_of, "calendar_uncovered",
                     r->uncovered != 0, "skipped", (json_int_t)r->skipped,
                     "definitions", definitions(), "catalog", catalog,
                     "total", counts(&r->total), "by_item", items,
                     "by_region", regions, "dibao_standard", standard));
fail:
    json_decref(items);
    json_decref(regions);
    return NULL;
}
