/* SPDX-License-Identifier: MIT */
/* A payment batch's bank files in the store (store_payment_files.h): the
 * lines with what the file prints, or with the blind index a return
 * checks; the return's exceptions written by id lists (one statement per
 * thousand lines) and its paid lines in one statement, the reissue of
 * failed lines, and staff resolving an unknown line. */
#include "store/store_payment_files.h"

#include <inttypes.h>
#include <stdio.h>

#include "store/store_internal.h"

#define LINE_COLS                                                              \
    "l.id, l.amount_fen, l.month, coalesce(p.name, ''), "                      \
    "coalesce(p.id_hash, ''), coalesce(p.id_enc, ''), "                        \
    "coalesce(a.account_sealed, ''), coalesce(CAST(a.id AS TEXT), '')"
ROW_MAPPER(row_to_line, struct payfile_line, COL(id), COL(amount_fen),
           COL(month), COL(name), COL(id_hash), COL(id_enc), COL(account_enc),
           COL(account_row))

ROW_MAPPER(row_to_return_line, struct payfile_return_line, COL(id),
           COL(amount_fen), COL(account_index))

/* the account a line is paid into: its own, else the payee's active one
 * (payee_account_active) */
#define LINE_ACCOUNT_ID                                                        \
    "coalesce(l.payee_account_id, (SELECT o.id FROM payee_account o"           \
    " WHERE o.person_id = l.payee_person_id AND o.state = 'active'))"
#define LINE_ACCOUNT " LEFT JOIN payee_account a ON a.id = " LINE_ACCOUNT_ID
/* PostgreSQL's: a probe of the primary keys per line. As joins, the
 * planner hashed the whole person and payee_account tables for each
 * county's batch (95 ms for a batch of 6,089 lines among 150,000
 * accounts, then ten times that at the city's size); a LATERAL
 * subquery with a LIMIT is never turned back into a join. */
#define LINE_PERSON_PG                                                         \
    " LEFT JOIN LATERAL (SELECT p.name, p.id_hash, p.id_enc FROM person p"     \
    " WHERE p.id = l.payee_person_id LIMIT 1) p ON true"
#define LINE_ACCOUNT_PG                                                        \
    " LEFT JOIN LATERAL (SELECT a.id, a.account_sealed FROM payee_account a"   \
    " WHERE a.id = " LINE_ACCOUNT_ID " LIMIT 1) a ON true"

ROW_MAPPER(row_to_failures, struct payfile_failures, COL(failed), COL(open),
           COL(unknown))

struct count_row {
    int64_t n;
};
ROW_MAPPER(row_to_count, struct count_row, COL(n))

static const struct stmt_text stmts[] = {
    /* a batch's lines in id order (payment_line_by_batch) with the
     * payee's name and sealed ID number and the account paid into: the
     * line's, else the payee's active one (payee_account_active) */
    {STMT_PAYFILE_LINES,
     .sqlite = "SELECT " LINE_COLS " FROM payment_line l"
               " LEFT JOIN person p ON p.id = l.payee_person_id" LINE_ACCOUNT
               " WHERE l.batch_id = ?1 ORDER BY l.id",
     .pg = "SELECT " LINE_COLS " FROM payment_line l" LINE_PERSON_PG
           LINE_ACCOUNT_PG " WHERE l.batch_id = ?1 ORDER BY l.id",
     .pg_stream = 1},
    /* the same lines as a return checks them: the account's blind index,
     * its first 64 bits (cases/payment_files.c compares no more), by a
     * probe per line (on PostgreSQL a join hashed the whole table) */
    {STMT_PAYFILE_RETURN_LINES,
     .sql = "SELECT l.id, l.amount_fen,"
            " coalesce((SELECT substr(a.account_index, 1, 16)"
            " FROM payee_account a WHERE a.id = " LINE_ACCOUNT_ID "), '')"
            " FROM payment_line l WHERE l.batch_id = ?1 ORDER BY l.id",
     .pg_stream = 1},
    /* an outcome for a list of line ids, "12,13,15" (SQLite reads it as
     * a JSON array, PostgreSQL as a bigint array) */
    {STMT_PAYFILE_LINES_SET,
     .sql = "UPDATE payment_line SET status = ?2, reason_code = ?3,"
            " reason_text = '', failed = " FAILED_OF("?2") " WHERE batch_id = ?1"
            " AND id IN (SELECT value FROM json_each('[' || ?4 || ']'))",
     .pg = "UPDATE payment_line l SET status = $2, reason_code = $3,"
           " reason_text = '', failed = " FAILED_OF("$2") " FROM"
           " unnest(CAST(string_to_array($4, ',') AS bigint[])) AS u(id)"
           " WHERE l.id = u.id AND l.batch_id = $1"},
    /* the failed lines of a batch, those not reissued, the unknown ones */
    {STMT_PAYFILE_FAILURES,
     .sql = "SELECT coalesce(sum(CASE WHEN l.status = 'failed' THEN 1"
            " ELSE 0 END), 0), coalesce(sum(CASE WHEN l.status = 'failed'"
            " AND NOT EXISTS (SELECT 1 FROM payment_line r"
            " WHERE r.reissue_of = l.id) THEN 1 ELSE 0 END), 0),"
            " coalesce(sum(CASE WHEN l.status = 'unknown' THEN 1"
            " ELSE 0 END), 0)"
            " FROM payment_line l WHERE l.batch_id = ?1"},
    /* a line for each failed line of the source not yet reissued, paid
     * to the entitlement's payee now into their active account now (the
     * failure was often the account: closed, frozen, a wrong name) */
    {STMT_PAYFILE_REISSUE_LINES,
     .sql = "INSERT INTO payment_line(batch_id, county_code, township_code,"
            " region_code, entitlement_id, household_id, payee_person_id,"
            " payee_account_id, month, gross_fen, deduction_fen, amount_fen,"
            " urban_rural, persons, elderly, minors, disabled, status,"
            " reason_code, reason_text, reissue_of)"
            " SELECT ?1, l.county_code, l.township_code, l.region_code,"
            " l.entitlement_id, l.household_id, e.payee_person_id,"
            " (SELECT o.id FROM payee_account o WHERE o.person_id ="
            " e.payee_person_id AND o.state = 'active'),"
            " l.month, l.gross_fen, l.deduction_fen,"
            " l.amount_fen, l.urban_rural, l.persons, l.elderly, l.minors,"
            " l.disabled, 'pending', '', '', l.id FROM payment_line l"
            " JOIN entitlement e ON e.id = l.entitlement_id"
            " WHERE l.batch_id = ?2 AND l.status = 'failed'"
            " AND NOT EXISTS (SELECT 1 FROM payment_line r"
            " WHERE r.reissue_of = l.id) ORDER BY l.id"},
    /* a reissue's lines paid into the account their failed line was
     * built for (by batch, then each failed line by its key) */
    {STMT_PAYFILE_SAME_ACCOUNT,
     .sql = "SELECT count(*) FROM payment_line r"
            " JOIN payment_line f ON f.id = r.reissue_of"
            " WHERE r.batch_id = ?1 AND r.payee_account_id = f.payee_account_id"},
    /* staff resolve an unknown line */
    {STMT_PAYFILE_LINE_RESOLVE,
     .sql = "UPDATE payment_line SET status = ?2, reason_code = 'RESOLVED',"
            " reason_text = ?3, failed = " FAILED_OF("?2")
            " WHERE id = ?1 AND status = 'unknown' RETURNING id"},
};

const struct stmt_family store_stmts_payment_files =
    STMT_FAMILY("payment_files", stmts);

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

EACH_CALL(return_line_call, store_payfile_return_line_fn)

enum dd_status
store_payfile_return_lines_each(struct store_tx *tx, int64_t batch_id,
                                store_payfile_return_line_fn fn, void *ctx)
{
    struct payfile_return_line row;
    struct store_param p[] = {P_INT(batch_id)};
    return store_each(tx, STMT_PAYFILE_RETURN_LINES, p, NPARAMS(p),
                      row_to_return_line, &row, return_line_call,
                      (store_any_fn)fn, ctx);
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
store_payfile_failures(struct store_tx *tx, int64_t batch_id,
                       struct payfile_failures *out)
{
    return store_get_by(tx, STMT_PAYFILE_FAILURES, KEY_INT(batch_id),
                        row_to_failures, out);
}

enum dd_status
store_payfile_same_account(struct store_tx *tx, int64_t batch_id, int64_t *n)
{
    struct count_row c;
    enum dd_status rc = store_get_by(tx, STMT_PAYFILE_SAME_ACCOUNT,
                                     KEY_INT(batch_id), row_to_count, &c);
    *n = rc == DD_OK ? c.n : 0;
    return rc;
}

enum dd_status
store_payfile_reissue_lines(struct store_tx *tx, int64_t into, int64_t from)
{
    struct store_param p[] = {P_INT(into), P_INT(from)};
    return store_write(tx, STMT_PAYFILE_REISSUE_LINES, p, NPARAMS(p));
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
