/* SPDX-License-Identifier: MIT */
/* The audit chain: each row carries the hash of the one before it, so
 * appends are serialised (the tail is read under a lock held to the end
 * of the transaction) and rows are only ever added, then listed. */
#include "store/store.h"

#include <string.h>

#include "core/buf.h"
#include "store/store_internal.h"

/* The columns the row mapper reads, in order, followed by its mapper:
 * the fields they fill (ROW_MAPPER). */
#define AUDIT_COLS                                                             \
    "seq, at, actor, action, object, region, request_id, detail, "             \
    "prev_hash, hash"
ROW_MAPPER(row_to_audit, struct audit_row, COL(seq), COL(at), COL(actor),
           COL(action), COL(object), COL(region), COL(request_id), COL(detail),
           COL(prev_hash), COL(hash))

#define AUDIT_LIST_TAIL                                                        \
    " AND (?4 = 0 OR at >= ?4) AND (?5 = 0 OR at <= ?5)"                       \
    " AND (?7 IS NULL OR substr(region, 1, length(?7)) = ?7)"                  \
    " AND (?8 IS NULL OR action = ?8)"                                         \
    " ORDER BY seq LIMIT ?6"

static const struct stmt_text stmts[] = {
    /* serialises audit appends (SQLite: BEGIN IMMEDIATE already does) */
    {STMT_AUDIT_LOCK, .pg = "SELECT pg_advisory_xact_lock(4470831002)",
     .sqlite_noop = 1},
    /* the last audit row */
    {STMT_AUDIT_TAIL,
     .sql = "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"},
    /* appends an audit row */
    {STMT_AUDIT_INSERT,
     .sql = "INSERT INTO audit(" AUDIT_COLS ") VALUES (?1, ?2, ?3, ?4,"
            " ?5, ?6, ?7, ?8, ?9, ?10)"},
    /* audit rows after a cursor, any actor and object (?2, ?3 NULL) */
    {STMT_AUDIT_LIST,
     .sql = "SELECT " AUDIT_COLS " FROM audit WHERE seq > ?1"
            " AND (?2 IS NULL OR actor = ?2)"
            " AND (?3 IS NULL OR object = ?3)" AUDIT_LIST_TAIL},
    /* audit rows under a county or a finer region (?7, six digits or
     * more), any actor and object: audit_by_county's range in seq order,
     * the finer prefix checked on each */
    {STMT_AUDIT_LIST_COUNTY,
     .sql = "SELECT " AUDIT_COLS " FROM audit"
            " WHERE substr(region, 1, 6) = substr(?7, 1, 6) AND seq > ?1"
            " AND (?2 IS NULL OR actor = ?2)"
            " AND (?3 IS NULL OR object = ?3)" AUDIT_LIST_TAIL},
    /* audit rows of one actor (uses the (actor, seq) index) */
    {STMT_AUDIT_LIST_ACTOR,
     .sql = "SELECT " AUDIT_COLS " FROM audit WHERE actor = ?2"
            " AND seq > ?1 AND (?3 IS NULL OR object = ?3)" AUDIT_LIST_TAIL},
    /* audit rows of one object (uses the (object, seq) index) */
    {STMT_AUDIT_LIST_OBJECT,
     .sql = "SELECT " AUDIT_COLS " FROM audit WHERE object = ?3"
            " AND seq > ?1 AND (?2 IS NULL OR actor = ?2)" AUDIT_LIST_TAIL},
    /* the digests a batch's audit row covers */
    {STMT_AUDIT_DIGEST_INSERT,
     .sql = "INSERT INTO audit_digest(seq, n, object, digest)"
            " VALUES (?1, ?2, ?3, ?4)"},
    {STMT_AUDIT_DIGEST_EACH,
     .sql = "SELECT seq, n, object, digest FROM audit_digest"
            " ORDER BY seq, n"},
    /* `doudi check`: the sealed phones outside the registry, by the
     * tables' own row keys (crypto/pii.h) */
    {STMT_AUDIT_SEALED_EACH,
     .sql = "SELECT 'citizen_otp', phone_hash, phone_enc FROM citizen_otp"
            " UNION ALL SELECT 'citizen_session', phone_hash, phone_enc"
            " FROM citizen_session"},
    {STMT_AUDIT_DECIDED_EACH,
     .sql = "SELECT id FROM case_item WHERE decision <> '' ORDER BY id"},
};

const struct stmt_family store_stmts_audit = STMT_FAMILY("audit", stmts);

/* The tail's seq and hash (STMT_AUDIT_TAIL's columns). */
struct audit_tail {
    int64_t *seq;
    char *hash;
};

static void
row_to_audit_tail(struct col_cursor *c, void *out)
{
    struct audit_tail *x = out;
    *x->seq = cur_int(c);
    cur_copy(c, x->hash, STORE_HASH_LEN);
}

enum dd_status
store_audit_tail(struct store_tx *tx, int64_t *seq,
                 char prev_hash[STORE_HASH_LEN])
{
    struct audit_tail tail;
    enum dd_status rc;

    *seq = 0;
    memset(prev_hash, '0', STORE_HASH_LEN - 1);
    prev_hash[STORE_HASH_LEN - 1] = '\0';
    tail.seq = seq;
    tail.hash = prev_hash;
    if (store_tx_writes(tx)) {
        /* held until the transaction ends, so the next appender reads the
         * tail only after this one's row is committed */
        rc = store_run(tx, STMT_AUDIT_LOCK, NULL, 0);
        if (rc != DD_OK)
            return rc;
    }
    rc = store_get_one(tx, STMT_AUDIT_TAIL, NULL, 0, row_to_audit_tail,
                       &tail);
    return rc == DD_ENOTFOUND ? DD_OK : rc; /* an empty chain */
}

enum dd_status
store_audit_insert(struct store_tx *tx, const struct audit_row *a)
{
    struct store_param p[] = {P_INT(a->seq),         P_INT(a->at),
                              P_TEXT(a->actor),      P_TEXT(a->action),
                              P_TEXT(a->object),     P_TEXT(a->region),
                              P_TEXT(a->request_id), P_TEXT(a->detail),
                              P_TEXT(a->prev_hash),  P_TEXT(a->hash)};
    return store_write(tx, STMT_AUDIT_INSERT, p, NPARAMS(p));
}

enum dd_status
store_audit_digest_insert_many(struct store_tx *tx,
                               const struct audit_digest_row *rows, size_t n)
{
    enum dd_status rc = DD_OK;
    struct buf b;
    int copies = n > 1 && store_tx_copies(tx);
    buf_init(&b, (size_t)1 << 30);
    for (size_t i = 0; rc == DD_OK && i < n; i++) {
        const struct audit_digest_row *r = &rows[i];
        struct store_param p[] = {P_INT(r->seq), P_INT(r->n), P_TEXT(r->object),
                                  P_TEXT(r->digest)};
        rc = copies ? store_copy_row(&b, p, NPARAMS(p), 0)
                    : store_write(tx, STMT_AUDIT_DIGEST_INSERT, p, NPARAMS(p));
    }
    /* PostgreSQL's in one COPY: a batch's digests are one a household */
    if (rc == DD_OK && copies)
        rc = store_copy_in(tx,
                           "COPY audit_digest(seq, n, object, digest)"
                           " FROM STDIN",
                           b.data, b.len);
    buf_free(&b);
    return rc;
}

ROW_MAPPER(row_to_audit_digest, struct audit_digest_row, COL(seq), COL(n),
           COL(object), COL(digest))
STORE_EACH_FN(store_audit_digest_each, store_audit_digest_fn,
              STMT_AUDIT_DIGEST_EACH, struct audit_digest_row,
              row_to_audit_digest)

ROW_MAPPER(row_to_sealed, struct store_sealed_row, COL(table), COL(row_key),
           COL(sealed))
STORE_EACH_FN(store_sealed_each, store_sealed_fn, STMT_AUDIT_SEALED_EACH,
              struct store_sealed_row, row_to_sealed)

static void
row_to_id(struct col_cursor *c, void *out)
{
    *(int64_t *)out = cur_int(c);
}
STORE_EACH_FN(store_decided_case_items_each, store_id_fn,
              STMT_AUDIT_DECIDED_EACH, int64_t, row_to_id)

enum dd_status
store_audit_list(struct store_tx *tx, const struct audit_filter *f,
                 struct audit_row *out, size_t max, size_t *count)
{
    enum stmt id = STMT_AUDIT_LIST;
    if (f->actor)
        id = STMT_AUDIT_LIST_ACTOR;
    else if (f->object)
        id = STMT_AUDIT_LIST_OBJECT;
    else if (f->region_prefix && strlen(f->region_prefix) >= 6)
        id = STMT_AUDIT_LIST_COUNTY;
    struct store_param p[] = {
        P_INT(f->after_seq),      P_TEXT(f->actor), P_TEXT(f->object),
        P_INT(f->from),           P_INT(f->to),     P_INT(store_limit(max)),
        P_TEXT(f->region_prefix), P_TEXT(f->action)};
    return store_get_many(tx, id, p, NPARAMS(p), row_to_audit, out,
                          sizeof(*out), max, count);
}
