/* SPDX-License-Identifier: MIT */
/* The step templates' file: an RFC 4180 CSV (the source column holds
 * commas) read whole, its header checked, each row parsed by
 * wf_book_add_row and the whole book checked by wf_book_check. */
#include "refdata/refdata_steps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"
#include "refdata/refdata.h"

/* Whether the record is exactly the expected header. */
static int
header_ok(const struct csv_record *rec)
{
    const char *h = wf_csv_header;
    for (size_t i = 0; i < rec->count; i++) {
        size_t n = strlen(rec->fields[i]);
        if (strncmp(h, rec->fields[i], n) != 0)
            return 0;
        h += n;
        if (i + 1 < rec->count) {
            if (*h != ',')
                return 0;
            h++;
        }
    }
    return *h == '\0';
}

enum dd_status
refdata_steps_read(const char *data_dir, struct wf_book *b, long *bad_line,
                   char *why, size_t why_len)
{
    struct refdata_csv csv;
    struct csv_record rec;
    struct dd_error err = {0};

    memset(b, 0, sizeof(*b));
    *bad_line = 0;
    why[0] = '\0';
    enum dd_status rc = refdata_csv_open(&csv, data_dir, REFDATA_STEPS_FILE);
    if (rc != DD_OK)
        return rc;
    for (int header = 1;; header = 0) {
        rc = refdata_csv_next(&csv, &rec, why, why_len);
        if (rc == DD_ENOTFOUND) {
            rc = header ? DD_EINVAL : DD_OK;
            if (header)
                snprintf(why, why_len, "empty file");
            break;
        }
        if (rc != DD_OK) {
            *bad_line = rec.line;
            goto out;
        }
        if (header) {
            if (!header_ok(&rec)) {
                *bad_line = rec.line;
                snprintf(why, why_len, "the header is not %s",
                         wf_csv_header);
                rc = DD_EINVAL;
                goto out;
            }
            continue;
        }
        rc = wf_book_add_row(b, rec.fields, rec.count, rec.line, &err);
        if (rc != DD_OK) {
            *bad_line = rec.line;
            snprintf(why, why_len, "%s: %s", err.field ? err.field : "row",
                     err.message ? err.message : "invalid");
            goto out;
        }
    }
    if (rc == DD_OK) {
        rc = wf_book_check(b, bad_line, &err);
        if (rc != DD_OK)
            snprintf(why, why_len, "%s: %s", err.field ? err.field : "step",
                     err.message ? err.message : "invalid");
    }
out:
    refdata_csv_close(&csv);
    return rc;
}
