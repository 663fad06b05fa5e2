/* SPDX-License-Identifier: MIT */
/* A payment batch's bank files in the store (store_payment_files.h): the
 * lines with what the file prints, the batch's moves to 'exported' and
 * 'reconciled', the lines' outcomes written by id lists (one statement
 * per thousand lines, so a city's 1.5 million lines load in seconds, not
 * in 1.5 million round trips), the reissue of failed lines, and staff
 * resolving an unknown line. */
#include "store/store_payment_files.h"

#include <inttypes.h>
#include <stdio.h>

#include "store/store_internal.h"

/* Until the payees module's payee_account is merged, the account paid
 * into is the household's (migration 10), sealed bound to its id. */
const char store_payfile_account_table[] = "household";
const char store_payfile_account_column[] = "bank_account_enc";

#define BATCH_COLS                                                             \
    "id, county_code, item_code, month, kind, seq, state, line_count, "       \
    "total_fen, coalesce(exported_at, 0), file_sm3, bank_code, version"
ROW_MAPPER(row_to_batch, struct payfile_batch, COL(id), COL(county_code),
           COL(item_code), COL(month), COL(kind), COL(seq), COL(state),
           COL(line_count), COL(total_fen), COL(exported_at), COL(file_sm3),
           COL(bank_code), COL(version))

#define LINE_COLS                                                              \
    "l.id, l.amount_fen, l.month, l.status, l.region_code, "                  \
    "coalesce(p.name, ''), coalesce(p.id_hash, ''), coalesce(p.id_enc, ''), " \
    "coalesce(h.bank_account_enc, ''), CAST(l.household_id AS TEXT)"
ROW_MAPPER(row_to_line, struct payfile_line, COL(id), COL(amount_fen),
           COL(month), COL(status), COL(region_code), COL(name), COL(id_hash),
           COL(id_enc), COL(account_enc), COL(account_row))

#define LINE_STATE_COLS "id, batch_id, amount_fen, status, reason_code"
ROW_MAPPER(row_to_line_state, struct payfile_line_state, COL(id),
           COL(batch_id), COL(amount_fen), COL(status), COL(reason_code))

ROW_MAPPER(row_to_failures, struct payfile_failures, COL(failed), COL(open),
           COL(unknown))

static const struct stmt_text stmts[] = {
    {STMT_PAYFILE_BATCH_GET,
     .sql = "SELECT " BATCH_COLS " FROM payment_batch WHERE id = ?1"},
    /* a batch's lines in id order (payment_line(batch_id, id)) with the
     * payee's name and sealed ID number and the account paid into */
    {STMT_PAYFILE_LINES,
     .sql = "SELECT " LINE_COLS " FROM payment_line l"
            " LEFT JOIN person p ON p.id = l.payee_person_id"
            " LEFT JOIN household h ON h.id = l.household_id"
            " WHERE l.batch_id = ?1 ORDER BY l.id"},
    /* 'approved' → 'exported', at the version read */
    {STMT_PAYFILE_EXPORTED,
     .sql = "UPDATE payment_batch SET state = 'exported', exported_by = ?3,"
            " exported_at = ?4, file_sm3 = ?5, bank_code = ?6,"
            " version = version + 1"
            " WHERE id = ?1 AND version = ?2 AND state = 'approved'"
            " RETURNING version"},
    /* 'exported' → 'reconciled', at the version read */
    {STMT_PAYFILE_RECONCILED,
     .sql = "UPDATE payment_batch SET state = 'reconciled',"
            " version = version + 1"
            " WHERE id = ?1 AND version = ?2 AND state = 'exported'"
            " RETURNING version"},
    /* an outcome for a list of line ids, "12,13,15" (SQLite reads it as
     * a JSON array, PostgreSQL as a bigint array) */
    {STMT_PAYFILE_LINES_SET,
     .sql = "UPDATE payment_line SET status = ?2, reason_code = ?3,"
            " reason_text = '' WHERE batch_id = ?1 AND id IN"
            " (SELECT value FROM json_each('[' || ?4 || ']'))",
     .pg = "UPDATE payment_line SET status = $2, reason_code = $3,"
           " reason_text = '' WHERE batch_id = $1"
           " AND id = ANY(CAST(string_to_array($4, ',') AS bigint[]))"},
    /* one line's outcome with its reason */
    {STMT_PAYFILE_LINE_SET,
     .sql = "UPDATE payment_line SET status = ?3, reason_code = ?4,"
            " reason_text = ?5 WHERE id = ?2 AND batch_id = ?1"},
    /* the failed lines of a batch, those not reissued, the unknown ones */
    {STMT_PAYFILE_FAILURES,
     .sql = "SELECT coalesce(sum(CASE WHEN l.status = 'failed' THEN 1"
            " ELSE 0 END), 0), coalesce(sum(CASE WHEN l.status = 'failed'"
            " AND NOT EXISTS (SELECT 1 FROM payment_line r"
            " WHERE r.reissue_of = l.id) THEN 1 ELSE 0 END), 0),"
            " coalesce(sum(CASE WHEN l.status = 'unknown' THEN 1"
            " ELSE 0 END), 0)"
            " FROM payment_line l WHERE l.batch_id = ?1"},
    /* a reissue batch, the next seq of its county, item and month */
    {STMT_PAYFILE_REISSUE_BATCH,
     .sql = "INSERT INTO payment_batch(county_code, item_code, month, kind,"
            " seq, state, line_count, total_fen, built_by, built_at)"
            " SELECT ?1, ?2, ?3, 'reissue', coalesce(max(seq), 0) + 1,"
            " 'built', 0, 0, ?4, ?5 FROM payment_batch"
            " WHERE county_code = ?1 AND item_code = ?2 AND month = ?3"
            " AND kind = 'reissue' RETURNING id"},
    /* a line for each failed line of the source not yet reissued */
    {STMT_PAYFILE_REISSUE_LINES,
     .sql = "INSERT INTO payment_line(batch_id, county_code, township_code,"
            " region_code, entitlement_id, household_id, payee_person_id,"
            " payee_account_id, month, gross_fen, deduction_fen, amount_fen,"
            " urban_rural, persons, elderly, minors, disabled, status,"
            " reason_code, reason_text, reissue_of)"
            " SELECT ?1, l.county_code, l.township_code, l.region_code,"
            " l.entitlement_id, l.household_id, l.payee_person_id,"
            " l.payee_account_id, l.month, l.gross_fen, l.deduction_fen,"
            " l.amount_fen, l.urban_rural, l.persons, l.elderly, l.minors,"
            " l.disabled, 'pending', '', '', l.id FROM payment_line l"
            " WHERE l.batch_id = ?2 AND l.status = 'failed'"
            " AND NOT EXISTS (SELECT 1 FROM payment_line r"
            " WHERE r.reissue_of = l.id) ORDER BY l.id"},
    /* a built batch's totals from its lines */
    {STMT_PAYFILE_TOTALS,
     .sql = "UPDATE payment_batch SET line_count = (SELECT count(*)"
            " FROM payment_line WHERE batch_id = ?1), total_fen ="
            " (SELECT coalesce(sum(amount_fen), 0) FROM payment_line"
            " WHERE batch_id = ?1) WHERE id = ?1 RETURNING id"},
    {STMT_PAYFILE_LINE_GET, .sql = "SELECT " LINE_STATE_COLS
                                   " FROM payment_line WHERE id = ?1"},
    /* staff resolve an unknown line */
    {STMT_PAYFILE_LINE_RESOLVE,
     .sql = "UPDATE payment_line SET status = ?2, reason_code = 'RESOLVED',"
            " reason_text = ?3 WHERE id = ?1 AND status = 'unknown'"
            " RETURNING id"},
};

const struct stmt_family store_stmts_payment_files =
    STMT_FAMILY("payment_files", stmts);

enum dd_status
store_payfile_batch_get(struct store_tx *tx, int64_t id,
                        struct payfile_batch *out)
{
    return store_get_by(tx, STMT_PAYFILE_BATCH_GET, KEY_INT(id), row_to_batch,
                        out);
}

EACH_CALL(line_call, store_payfile_line_fn)

enum dd_status
store_payfile_lines_each(struct store_tx *tx, int64_t batch_id,
                         store_payfile_line_fn fn, void *ctx)
{
    struct payfile_line row;
    struct store_param p[] = {P_INT(batch_id)};
    return store_each(tx, STMT_PAYFILE_LINES, p, NPARAMS(p), row_to_line, &row,
                      line_call, (store_any_fn)fn, ctx);
}

enum dd_status
store_payfile_exported(struct store_tx *tx, struct payfile_batch *b,
                       const char *actor, int64_t now)
{
    struct store_param p[] = {P_INT(b->id),         P_INT(b->version),
                              P_TEXT(actor),        P_INT(now),
                              P_TEXT(b->file_sm3),  P_TEXT(b->bank_code)};
    enum dd_status rc =
        store_update_versioned(tx, STMT_PAYFILE_EXPORTED, p, NPARAMS(p),
                               STMT_PAYFILE_BATCH_GET, b->id, &b->version);
    if (rc == DD_OK) {
        b->exported_at = now;
        str_copy(b->state, sizeof(b->state), "exported");
    }
    return rc;
}

enum dd_status
store_payfile_reconciled(struct store_tx *tx, struct payfile_batch *b)
{
    struct store_param p[] = {P_INT(b->id), P_INT(b->version)};
    enum dd_status rc =
        store_update_versioned(tx, STMT_PAYFILE_RECONCILED, p, NPARAMS(p),
                               STMT_PAYFILE_BATCH_GET, b->id, &b->version);
    if (rc == DD_OK)
        str_copy(b->state, sizeof(b->state), "reconciled");
    return rc;
}

/* The longest decimal id and its comma. */
#define ID_TEXT_MAX 21

enum dd_status
store_payfile_lines_set(struct store_tx *tx, int64_t batch_id,
                        const char *status, const char *reason_code,
                        const int64_t *ids, size_t n)
{
    char list[STORE_PAYFILE_IDS_MAX * ID_TEXT_MAX];
    size_t pos = 0;
    if (n == 0)
        return DD_OK;
    if (n > STORE_PAYFILE_IDS_MAX)
        return DD_EINTERNAL;
    for (size_t i = 0; i < n; i++)
        pos += (size_t)snprintf(list + pos, sizeof(list) - pos, "%s%" PRId64,
                                i ? "," : "", ids[i]);
    struct store_param p[] = {P_INT(batch_id), P_TEXT(status),
                              P_TEXT(reason_code), P_TEXT(list)};
    return store_write(tx, STMT_PAYFILE_LINES_SET, p, NPARAMS(p));
}

enum dd_status
store_payfile_line_set(struct store_tx *tx, int64_t batch_id, int64_t line_id,
                       const char *status, const char *reason_code,
                       const char *reason_text)
{
    struct store_param p[] = {P_INT(batch_id), P_INT(line_id), P_TEXT(status),
                              P_TEXT(reason_code), P_TEXT(reason_text)};
    return store_write(tx, STMT_PAYFILE_LINE_SET, p, NPARAMS(p));
}

enum dd_status
store_payfile_failures(struct store_tx *tx, int64_t batch_id,
                       struct payfile_failures *out)
{
    return store_get_by(tx, STMT_PAYFILE_FAILURES, KEY_INT(batch_id),
                        row_to_failures, out);
}

enum dd_status
store_payfile_reissue(struct store_tx *tx, const struct payfile_batch *src,
                      const char *actor, int64_t now, struct payfile_batch *out)
{
    int64_t id = 0;
    struct store_param b[] = {P_TEXT(src->county_code), P_TEXT(src->item_code),
                              P_TEXT(src->month), P_TEXT(actor), P_INT(now)};
    enum dd_status rc =
        store_insert_id(tx, STMT_PAYFILE_REISSUE_BATCH, b, NPARAMS(b), &id);
    struct store_param l[] = {P_INT(id), P_INT(src->id)};
    if (rc == DD_OK)
        rc = store_write(tx, STMT_PAYFILE_REISSUE_LINES, l, NPARAMS(l));
    if (rc == DD_OK)
        rc = store_write_one_by(tx, STMT_PAYFILE_TOTALS, KEY_INT(id));
    return rc == DD_OK ? store_payfile_batch_get(tx, id, out) : rc;
}

enum dd_status
store_payfile_line_get(struct store_tx *tx, int64_t id,
                       struct payfile_line_state *out)
{
    return store_get_by(tx, STMT_PAYFILE_LINE_GET, KEY_INT(id),
                        row_to_line_state, out);
}

enum dd_status
store_payfile_line_resolve(struct store_tx *tx, int64_t id, const char *status,
                           const char *reason_text)
{
    struct store_param p[] = {P_INT(id), P_TEXT(status), P_TEXT(reason_text)};
    enum dd_status rc =
        store_write_one(tx, STMT_PAYFILE_LINE_RESOLVE, p, NPARAMS(p));
    return rc == DD_ENOTFOUND ? DD_ECONFLICT : rc;
}
