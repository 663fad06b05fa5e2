/* SPDX-License-Identifier: MIT */
/* Importing households from CSV (docs/import.md): one row per member, the
 * rows of a household grouped by the file's own key 户编号. Each household
 * is checked with the registry's rules; a rejected one is listed with its
 * line, the CSV column and the reason, and the rest go in, in write
 * transactions of a batch of households each with an "import.batch" audit
 * row, then one "import.done". A household whose members are already
 * exactly an active household is skipped, so a re-run changes nothing.
 * Streaming: at most one household's rows are held at a time. */
#ifndef DD_IO_IMPORT_H
#define DD_IO_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "crypto/pii.h"
#include "io/csv.h"
#include "store/store.h"

/* Rejections listed in a result; beyond this they are only counted. */
#define IMPORT_MAX_LISTED 10000
/* The longest record (bytes) the reader accepts. */
#define IMPORT_MAX_RECORD 8192

/* The columns of docs/import-template.csv, in order: 户编号 ... 就业, then
 * the six monthly amounts (元) for the income kinds 0-5 of
 * src/domain/household.h (wages ... rigid_deduction). */
#define IMPORT_COLUMNS 21
#define IMPORT_COL_FIRST_INCOME 15
extern const char *const import_columns[IMPORT_COLUMNS];

struct import_rejection {
    long line;        /* 1-based line in the file */
    char column[64];  /* the CSV column (Chinese header), "" if none */
    const char *code; /* static strings */
    const char *message, *message_zh;
};

struct import_result {
    int64_t rows;     /* member rows read (header excluded) */
    int64_t inserted; /* households */
    int64_t skipped;  /* already stored, unchanged */
    int64_t rejected; /* households rejected */
    struct import_rejection *list; /* the first IMPORT_MAX_LISTED */
    size_t listed;
    int fatal; /* the file could not be read to the end (see list) */
};

/* Whether the caller may write a household in this 12-digit region. */
typedef int (*import_scope_fn)(void *ctx, const char *region);

struct import_opts {
    const struct pii_keys *keys;
    const char *actor;      /* the audit rows' actor */
    const char *request_id; /* or "" */
    import_scope_fn in_scope; /* NULL = any region */
    void *scope_ctx;
    size_t batch; /* households per transaction; 0 = 1000 (the CLI uses
                   * 10,000: fewer commits and checkpoints) */
};

/* Reads UTF-8 CSV from src and imports it into st. DD_OK when the file
 * was read (rejections are in out, out->fatal set when reading stopped
 * early on a malformed record or a bad header); the source's own status
 * (e.g. DD_EINVAL for bytes it cannot convert), DD_ESTORE, DD_ENOMEM
 * otherwise (batches committed before stay). Free out with
 * import_result_free. */
enum dd_status import_households(struct store *st,
                                 const struct import_opts *o,
                                 csv_source_fn src, void *src_ctx,
                                 struct import_result *out) DD_WUR;
void import_result_free(struct import_result *r);

#endif
