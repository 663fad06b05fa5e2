/* SPDX-License-Identifier: MIT */
/* The monthly statistics return (民政统计月报) as one table: for each
 * programme its urban, rural and total rows, then the total over
 * programmes; money in yuan with 2 decimals. Written as CSV (UTF-8 with a
 * BOM, so that Excel opens the Chinese headers as UTF-8 and not as the
 * system's GBK) or as an xlsx sheet with the figures as numbers. */
#ifndef DD_IO_REPORT_EXPORT_H
#define DD_IO_REPORT_EXPORT_H

#include <stdio.h>

#include "core/status.h"
#include "report/caseload_report.h"

/* The report and the names the table shows: item_names[i] is
 * r->items[i]'s (Chinese) name, "" when the catalog has none. */
struct report_table {
    const struct monthly_report *r;
    const char *region_name;
    const char *const *item_names;
};

/* RFC 4180 with CRLF after the BOM. DD_EINTERNAL when writing fails. */
enum dd_status report_export_csv(const struct report_table *t, FILE *f) DD_WUR;
/* A workbook at path with one sheet "monthly". DD_EINTERNAL on failure. */
enum dd_status report_export_xlsx(const struct report_table *t,
                                  const char *path) DD_WUR;

#endif
