/* SPDX-License-Identifier: MIT */
/* Loading the reference data that ships in data/: the regions of
 * Chongqing and the functional zones. Idempotent (upserts). */
#ifndef DD_REFDATA_H
#define DD_REFDATA_H

#include <stddef.h>

#include "core/status.h"
#include "store/store.h"

struct refdata_counts {
    size_t province, county, township, village, zone_rows;
};

/* Loads data_dir/regions-chongqing.csv and data_dir/functional-zones.csv
 * in one write transaction. On a malformed line: DD_EINVAL with *bad_line
 * set. */
enum dd_status refdata_load(struct store *st, const char *data_dir,
                            struct refdata_counts *counts,
                            size_t *bad_line) DD_WUR;

#endif
