/* SPDX-License-Identifier: MIT */
/* The service catalog's seed: an RFC 4180 CSV (the source column holds
 * commas) read whole (it is a few KiB), each row checked by
 * catalog_item_from_fields and stored as version 1 unless stored. */
#include "refdata/refdata_catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/buf.h"
#include "io/csv.h"
#include "refdata/refdata.h"

#define CATALOG_FILE_MAX (256u * 1024u)

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
    char path[1024];
    char *data = NULL;
    size_t len = 0;
    struct catalog have = {0};
    struct store_tx *tx = NULL;
    struct csv_reader *rd = NULL;
    struct csv_record rec;
    struct dd_error err = {0};

    *added = 0;
    *bad_line = 0;
    why[0] = '\0';
    snprintf(path, sizeof(path), "%s/%s", data_dir, REFDATA_CATALOG_FILE);
    enum dd_status rc = buf_file_read(path, CATALOG_FILE_MAX, &data, &len);
    if (rc != DD_OK)
        return rc;
    struct csv_mem mem = {data, len, 0};
    rd = csv_reader_new(csv_mem_source, &mem, 8192);
    if (!rd) {
        rc = DD_ENOMEM;
        goto out;
    }
    rc = store_tx_begin(st, STORE_WRITE, &tx);
    if (rc == DD_OK)
        rc = refdata_catalog_read(tx, &have);
    if (rc != DD_OK)
        goto out;
    int header = 1;
    for (;;) {
        rc = csv_reader_next(rd, &rec);
        if (rc == DD_ENOTFOUND) {
            rc = DD_OK;
            break;
        }
        if (rc != DD_OK) {
            *bad_line = (size_t)rec.line;
            snprintf(why, why_len, "%s",
                     csv_reader_error(rd) ? csv_reader_error(rd) : "read");
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
    csv_reader_free(rd);
    catalog_clear(&have);
    free(data);
    return rc;
}
