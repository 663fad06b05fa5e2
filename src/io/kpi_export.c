/* SPDX-License-Identifier: MIT */
/* Writes the KPI report table as CSV or xlsx (see kpi_export.h). */
#include "io/kpi_export.h"

#include <inttypes.h>
#include <string.h>

#include "io/csv.h"
#include "io/export.h"

enum {
    COL_BREAKDOWN, COL_CODE, COL_NAME_ZH, COL_NAME_EN, COL_APPLICATIONS,
    COL_APPROVED, COL_REJECTED, COL_CLOSED, COL_ON_TIME_RATE, COL_OVERDUE,
    COL_HANDLING_DAYS, COL_ONLINE_CASE_RATE, COL_VISITS_PER_CASE,
    COL_REFERRALS, COL_REFERRAL_CLOSURE, COL_REFERRAL_DAYS, COL_MONEY,
    COL_STATUTORY, COL_PROMISED, COL_COMPRESSION, COL_ONLINE_ITEM_RATE,
    COL_VISITS_PER_ITEM, COL_RURAL_URBAN_RATIO, COLS
};

/* Header cells: the Chinese label and its English gloss. */
static const char *const header[COLS] = {
    "口径 breakdown", "代码 code", "名称", "name", "受理件数 applications",
    "批准 approved", "不予批准 rejected", "办结 closed",
    "按时办结率 on-time rate", "超期 overdue",
    "平均办理工作日 mean working days", "全程网办率(按件) online rate (cases)",
    "平均跑动次数(按件) visits per case", "转办 referrals",
    "转办反馈率 referral closure rate", "平均反馈工作日 referral working days",
    "批准月金额(元) approved monthly amount (yuan)", "法定时限 statutory",
    "承诺时限 promised", "时限压缩 compression",
    "全程网办率(按事项) online rate (items)",
    "平均跑动次数(按事项) visits per item", "城乡低保标准比 rural/urban"};

typedef int (*row_fn)(void *ctx, const char *const *cells);

/* ppm as a decimal fraction with 4 places: 666667 → "0.6667". */
static void
rate(char *out, size_t n, int64_t ppm)
{
    int64_t r = (ppm + 50) / 100; /* 10^-4 units */
    snprintf(out, n, "%" PRId64 ".%04" PRId64, r / 10000, r % 10000);
}

/* num / den with 2 places, "" when den is 0. */
static void
mean(char *out, size_t n, int64_t num, int64_t den)
{
    if (den <= 0) {
        *out = '\0';
        return;
    }
    int64_t r = (num * 100 + den / 2) / den;
    snprintf(out, n, "%" PRId64 ".%02" PRId64, r / 100, r % 100);
}

static void
yuan(char *out, size_t n, int64_t fen)
{
    snprintf(out, n, "%" PRId64 ".%02" PRId64, fen / 100, fen % 100);
}

struct cells {
    char buf[COLS][64];
    const char *p[COLS];
};

static void
fill_counts(struct cells *c, const struct kpi_counts *k)
{
    snprintf(c->buf[COL_APPLICATIONS], 64, "%" PRId64, k->items);
    snprintf(c->buf[COL_APPROVED], 64, "%" PRId64, k->approved);
    snprintf(c->buf[COL_REJECTED], 64, "%" PRId64, k->rejected);
    snprintf(c->buf[COL_CLOSED], 64, "%" PRId64, k->closed);
    rate(c->buf[COL_ON_TIME_RATE], 64, kpi_ppm(k->on_time, k->closed));
    snprintf(c->buf[COL_OVERDUE], 64, "%" PRId64, k->overdue);
    mean(c->buf[COL_HANDLING_DAYS], 64, k->handling_days, k->closed);
    rate(c->buf[COL_ONLINE_CASE_RATE], 64, kpi_ppm(k->online_full, k->items));
    mean(c->buf[COL_VISITS_PER_CASE], 64, k->visits, k->items);
    snprintf(c->buf[COL_REFERRALS], 64, "%" PRId64, k->referrals);
    rate(c->buf[COL_REFERRAL_CLOSURE], 64,
         kpi_ppm(k->referrals_answered, k->referrals));
    mean(c->buf[COL_REFERRAL_DAYS], 64, k->referral_days,
         k->referrals_answered);
    yuan(c->buf[COL_MONEY], 64, k->money_fen);
}

static void
cells_reset(struct cells *c, const char *breakdown)
{
    memset(c->buf, 0, sizeof(c->buf));
    for (int i = 0; i < COLS; i++)
        c->p[i] = c->buf[i];
    c->p[COL_BREAKDOWN] = breakdown;
}

static int
write_table(const struct kpi_view *v, row_fn row, void *ctx)
{
    struct cells c;
    const struct kpi_result *r = v->result;

    if (row(ctx, header) != 0)
        return -1;
    cells_reset(&c, "total");
    c.p[COL_CODE] = v->region;
    c.p[COL_NAME_ZH] = v->region_name ? v->region_name : "";
    fill_counts(&c, &r->total);
    rate(c.buf[COL_COMPRESSION], 64,
         kpi_mean_compression_ppm(v->items, v->n_items));
    rate(c.buf[COL_ONLINE_ITEM_RATE], 64,
         kpi_item_online_ppm(v->items, v->n_items));
    mean(c.buf[COL_VISITS_PER_ITEM], 64,
         kpi_item_visits_ppm(v->items, v->n_items), 1000000);
    if (v->standard_urban_fen > 0 && v->standard_rural_fen > 0)
        rate(c.buf[COL_RURAL_URBAN_RATIO], 64,
             kpi_ppm(v->standard_rural_fen, v->standard_urban_fen));
    if (row(ctx, c.p) != 0)
        return -1;
    for (int i = 0; i < v->n_items; i++) {
        const struct kpi_item *it = &v->items[i];
        cells_reset(&c, "item");
        c.p[COL_CODE] = it->code;
        c.p[COL_NAME_ZH] = v->item_names_zh[i];
        c.p[COL_NAME_EN] = v->item_names_en[i];
        fill_counts(&c, &r->by_item[i]);
        snprintf(c.buf[COL_STATUTORY], 64, "%d", it->statutory_days);
        snprintf(c.buf[COL_PROMISED], 64, "%d", it->promised_days);
        rate(c.buf[COL_COMPRESSION], 64, kpi_item_compression_ppm(it));
        snprintf(c.buf[COL_ONLINE_ITEM_RATE], 64, "%d", it->fully_online != 0);
        snprintf(c.buf[COL_VISITS_PER_ITEM], 64, "%d", it->visits_required);
        if (row(ctx, c.p) != 0)
            return -1;
    }
    for (int i = 0; i < v->n_regions; i++) {
        cells_reset(&c, "region");
        c.p[COL_CODE] = v->region_codes[i];
        c.p[COL_NAME_ZH] = v->region_names[i];
        fill_counts(&c, &r->by_region[i]);
        if (row(ctx, c.p) != 0)
            return -1;
    }
    return 0;
}

static int
csv_row(void *ctx, const char *const *cells)
{
    return csv_write_row(ctx, cells, COLS);
}

enum dd_status
kpi_export_csv(const struct kpi_view *v, FILE *f)
{
    return write_table(v, csv_row, f) == 0 ? DD_OK : DD_EINTERNAL;
}

enum dd_status
kpi_export_xlsx(const struct kpi_view *v, const char *path)
{
    /* figures as numbers (so the bureau can sum them), names as text */
    struct export_xlsx *x =
        export_xlsx_open_sheet(path, "kpis", COLS, COL_APPLICATIONS);
    if (!x)
        return DD_EINTERNAL;
    int bad = write_table(v, export_xlsx_row, x) != 0;
    return export_xlsx_close(x) != DD_OK || bad ? DD_EINTERNAL : DD_OK;
}
