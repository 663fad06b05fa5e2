/* SPDX-License-Identifier: MIT */
/* The KPI report as one table (a total row, a row per catalog item, a row
 * per region of the breakdown), written as CSV or as an xlsx worksheet
 * with numbers as numbers. */
#ifndef DD_IO_KPI_EXPORT_H
#define DD_IO_KPI_EXPORT_H

#include <stdio.h>

#include "core/status.h"
#include "domain/kpi.h"

/* RFC 4180 with CRLF, UTF-8 with no BOM. DD_EINTERNAL when writing fails. */
enum dd_status kpi_export_csv(const struct kpi_view *v, FILE *f) DD_WUR;
/* A workbook at path with one sheet "kpis". DD_EINTERNAL on failure. */
enum dd_status kpi_export_xlsx(const struct kpi_view *v,
                               const char *path) DD_WUR;

#endif
