/* SPDX-License-Identifier: MIT */
/* Exporting households as rows in the import layout (docs/import.md), so
 * that an unmasked export reads back with `doudi import`: a header row,
 * then one row per member of each active household in a region, ID
 * numbers masked unless asked otherwise. Rows go to a caller's sink (CSV
 * or xlsx). */
#ifndef DD_IO_EXPORT_H
#define DD_IO_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "crypto/pii.h"
#include "io/import.h"
#include "store/store.h"

/* Takes one row of IMPORT_COLUMNS cells (the first call is the header);
 * amounts are "1234.50" or "". 0, or -1 to stop (DD_EINTERNAL). */
typedef int (*export_row_fn)(void *ctx, const char *const *cells);

struct export_opts {
    const struct pii_keys *keys;
    const char *region_prefix; /* "" = all */
    int unmask;                /* full ID and card numbers */
    int (*in_scope)(void *ctx, const char *region); /* NULL = any */
    void *scope_ctx;
};

/* Writes every active household whose region starts with region_prefix
 * (and is in scope) in id order, in one read transaction. Sets
 * *households and *rows. DD_ESTORE, DD_ENOMEM, DD_EINTERNAL (the sink or
 * a sealed number that does not open). */
enum dd_status export_households(struct store *st, const struct export_opts *o,
                                 export_row_fn row, void *ctx,
                                 int64_t *households, int64_t *rows) DD_WUR;

/* Sinks. export_csv_row: ctx is a FILE *, rows in RFC 4180 with CRLF.
 * export_xlsx_*: one worksheet "households" with every cell as text,
 * streamed (constant memory); open returns NULL when the file cannot be
 * created; close writes the file and frees x (NULL is fine), DD_EINTERNAL
 * when writing fails. */
int export_csv_row(void *ctx, const char *const *cells);
struct export_xlsx;
struct export_xlsx *export_xlsx_open(const char *path);
/* The same sink for any table: a worksheet named sheet whose rows have
 * columns cells; below the first row (the header), a cell of column
 * numbers_from or after that reads wholly as a number is written as one
 * (figures the bureau sums), every other cell as text. */
struct export_xlsx *export_xlsx_open_sheet(const char *path, const char *sheet,
                                           size_t columns, size_t numbers_from);
int export_xlsx_row(void *ctx, const char *const *cells);
enum dd_status export_xlsx_close(struct export_xlsx *x) DD_WUR;

#endif
