/* SPDX-License-Identifier: MIT */
/* The figures a bureau reports (issue 13 §6): the monthly statistics
 * return (民政统计月报) of a region and month, by programme × urban/rural,
 * and the city dashboard's 在保户数 / 在保人数 / 月度资金 by district with
 * its trend. Both are the closed payment batches' paid lines, counted in
 * the month of the batch that paid them (a failed line reissued later
 * counts once, in the reissue batch's month; back pay counts in the month
 * paid), read from payment_summary (store_payment_reports.c). Used by
 * GET /api/v1/reports/monthly and /api/v1/reports/caseload. */
#ifndef DD_CASELOAD_REPORT_H
#define DD_CASELOAD_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "store/store.h"

/* Programmes in one report (the catalog has fewer). */
#define REPORT_ITEMS_MAX 32
/* Months of a trend, and its districts (Chongqing has 38). */
#define TREND_MONTHS_MAX 36
#define TREND_DISTRICTS_MAX 64

struct report_figures {
    int64_t households, persons, elderly, minors, disabled;
    int64_t lines, amount_fen;
};

/* One programme's rows: urban, rural and their total (households are
 * either, so the total's households are distinct too); the month's new,
 * stopped and changed cases are the programme's, not split by area. */
struct report_item {
    char code[32];
    struct report_figures urban, rural, total;
    int64_t new_cases, stopped_cases, changed_cases;
};

struct monthly_report {
    char region[STORE_CODE_LEN]; /* its code: 500000, a county, a township */
    char month[8];               /* "YYYY-MM" */
    struct report_item items[REPORT_ITEMS_MAX]; /* by code */
    size_t n_items;
    /* summed over programmes: a household in two programmes counts in
     * each (户次, 人次) */
    struct report_figures all;
};

/* Empties r for region (its code: 500000 for the city) and month (both
 * copied). */
void monthly_report_init(struct monthly_report *r, const char *region,
                         const char *month);
/* Adds a summary row to its programme's urban or rural row, its total and
 * r->all. 0, or -1 for an area other than urban or rural, or a programme
 * past REPORT_ITEMS_MAX. Pure. */
int monthly_report_add(struct monthly_report *r,
                       const struct payment_summary_row *row);
/* Adds a count of new, stopped or changed cases to its programme. 0, or
 * -1 for another kind or a programme past REPORT_ITEMS_MAX. Pure. */
int monthly_report_add_move(struct monthly_report *r,
                            const struct caseload_move_row *m);
/* Fills *out (init first) with the month's figures of the codes under
 * region ("50" for the city, a county, a township) in read transaction
 * tx. DD_ESTORE;
 * DD_EINTERNAL when the store gives a row the report cannot hold. */
enum dd_status monthly_report_run(struct store_tx *tx, const char *region,
                                  const char *month,
                                  struct monthly_report *out) DD_WUR;

struct trend_point {
    int64_t households, persons, amount_fen;
};

/* The districts × months grid of the dashboard. */
struct caseload_trend {
    int32_t first; /* domain/month.h month of column 0 */
    int n_months;
    const char *const *codes; /* the districts, sorted (the caller's) */
    size_t n_districts;
    struct trend_point cells[TREND_DISTRICTS_MAX][TREND_MONTHS_MAX];
    struct trend_point total[TREND_MONTHS_MAX]; /* every district */
};

/* Empties t for n_months months ending with month last, and the
 * districts codes (sorted, at most TREND_DISTRICTS_MAX, n_months at most
 * TREND_MONTHS_MAX: -1 otherwise). */
int caseload_trend_init(struct caseload_trend *t, int32_t last, int n_months,
                        const char *const *codes, size_t n_districts);
/* Adds a row to its district's cell and the month's total. A row of a
 * district not listed counts in the total only. 0, or -1 for a month
 * outside the trend. Pure. */
int caseload_trend_add(struct caseload_trend *t,
                       const struct payment_trend_row *row);
/* Fills t (init first) for the region prefix and one programme (item ""
 * = all) in read transaction tx. DD_ESTORE; DD_EINTERNAL as above. */
enum dd_status caseload_trend_run(struct store_tx *tx, const char *region,
                                  const char *item,
                                  struct caseload_trend *t) DD_WUR;

#endif
