/* SPDX-License-Identifier: MIT */
/* Loading the service catalog's seed (data/catalog/items.csv) into the
 * store as version 1 of each item, and reading every stored version back
 * into memory. Stored versions are never changed. */
#ifndef DD_REFDATA_CATALOG_H
#define DD_REFDATA_CATALOG_H

#include <stddef.h>

#include "core/status.h"
#include "domain/catalog.h"
#include "store/store.h"

#define REFDATA_CATALOG_FILE "catalog/items.csv"

/* Loads data_dir/catalog/items.csv in one write transaction with one
 * catalog.load audit row; each item's template is one of book. Items
 * whose version 1 is stored are skipped. A malformed line: DD_EINVAL
 * with *bad_line and why set. */
enum dd_status refdata_catalog_load(struct store *st, const char *data_dir,
                                    const struct wf_book *book,
                                    size_t *added, size_t *bad_line,
                                    char *why, size_t why_len) DD_WUR;
/* Every stored version into c (cleared first). */
enum dd_status refdata_catalog_read(struct store_tx *tx,
                                    struct catalog *c) DD_WUR;

#endif
