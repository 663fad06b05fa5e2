/* SPDX-License-Identifier: MIT */
/* The tamper-evident audit log. Each row is chained to the one before:
 *     hash = SM3(prev_hash_bytes ‖ canonical_row)
 * where prev_hash_bytes is the previous row's 32-byte digest (32 zero bytes
 * for the first row) and canonical_row is json_audit_canonical(). Rows are
 * appended inside the caller's write transaction, so an action and its
 * audit row commit or vanish together. */
#ifndef DD_AUDIT_H
#define DD_AUDIT_H

#include <stdint.h>

#include "core/status.h"
#include "store/store.h"

/* Fills row->seq, at, prev_hash and hash and inserts it. The caller sets
 * actor, action, object, region, request_id and detail (JSON). */
enum dd_status audit_append(struct store_tx *tx, struct audit_row *row) DD_WUR;

/* Convenience: builds the row from its parts (detail may be NULL = {}). */
enum dd_status audit_log(struct store_tx *tx, const char *actor,
                         const char *action, const char *object,
                         const char *region, const char *request_id,
                         const char *detail) DD_WUR;

/* audit_log, giving the new row's seq. */
enum dd_status audit_log_seq(struct store_tx *tx, const char *actor,
                             const char *action, const char *object,
                             const char *region, const char *request_id,
                             const char *detail, int64_t *seq) DD_WUR;

/* audit_log in a write transaction of its own, committed (rolled back
 * when the row cannot be written). */
enum dd_status audit_log_commit(struct store *st, const char *actor,
                                const char *action, const char *object,
                                const char *region, const char *request_id,
                                const char *detail) DD_WUR;

/* The hash of a row given its prev_hash (hex) and fields, into out. */
enum dd_status audit_row_hash(const struct audit_row *row,
                              char out[STORE_HASH_LEN]) DD_WUR;

struct audit_verdict {
    int64_t rows;      /* rows checked */
    int64_t bad_seq;   /* first broken row, 0 when the chain holds */
    const char *reason; /* why it is broken (static English text) */
};

/* Walks the whole chain in seq order and reports the first broken row. */
enum dd_status audit_verify(struct store *st,
                            struct audit_verdict *out) DD_WUR;

#endif
