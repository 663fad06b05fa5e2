/* SPDX-License-Identifier: MIT */
/* The service catalog's seed: an RFC 4180 CSV (the source column holds
 * commas) read whole (it is a few KiB), each row checked by
 * catalog_item_from_fields and stored as version 1 unless stored. */
#include "refdata/refdata_catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "io/csv.h"
#include "refdata/refdata.h"

static int
add_one(const struct catalog_item *it, void *ctx)
{
    return catalog_add(ctx, it) != DD_OK;
}

enum dd_status
refdata_catalog_read(struct store_tx *tx, struct catalog *c)
{
    catalog_clear(c);
    enum dd_status rc = store_catalog_each(tx, add_one, c);
    if (rc == DD_OK && c->count == 0)
        return DD_OK;
    return rc;
}

enum dd_status
refdata_catalog_load(struct store *st, const char *data_dir,
                     const struct wf_book *book, size_t *added,
                     size_t *bad_line, char *why, size_t why_len)
{
    struct catalog have = {0};
    struct store_tx *tx = NULL;
    struct refdata_csv csv;
    struct csv_record rec;
    struct dd_error err = {0};

    *added = 0;
    *bad_line = 0;
    why[0] = '\0';
    enum dd_status rc = refdata_csv_open(&csv, data_dir, REFDATA_CATALOG_FILE);
    if (rc != DD_OK)
        return rc;
    rc = store_tx_begin(st, STORE_WRITE, &tx);
    if (rc == DD_OK)
        rc = refdata_catalog_read(tx, &have);
    if (rc != DD_OK)
        goto out;
    int header = 1;
    for (;;) {
        rc = refdata_csv_next(&csv, &rec, why, why_len);
        if (rc == DD_ENOTFOUND) {
            rc = DD_OK;
            break;
        }
        if (rc != DD_OK) {
            *bad_line = (size_t)rec.line;
            goto out;
        }
        if (header) {
            header = 0;
            continue;
        }
        struct catalog_item it;
        rc = catalog_item_from_fields(rec.fields, rec.count, book, &it, &err);
        if (rc != DD_OK) {
            *bad_line = (size_t)rec.line;
            snprintf(why, why_len, "%s: %s", err.field ? err.field : "row",
                     err.message ? err.message : "invalid");
            goto out;
        }
        if (catalog_find_version(&have, it.code, 1))
            continue;
        snprintf(it.created_by, sizeof(it.created_by), "cli");
        rc = store_catalog_insert(tx, &it);
        if (rc == DD_OK)
            rc = catalog_add(&have, &it);
        if (rc != DD_OK)
            goto out;
        (*added)++;
    }
    const char *keys[] = {"added"};
    rc = refdata_audit_counts(tx, "cli", "catalog.load", "catalog",
                              REFDATA_CATALOG_FILE, keys, added, 1);
    if (rc == DD_OK) {
        rc = store_tx_commit(tx);
        tx = NULL;
    }
out:
    store_tx_rollback(tx);
    refdata_csv_close(&csv);
    catalog_clear(&have);
    return rc;
}
