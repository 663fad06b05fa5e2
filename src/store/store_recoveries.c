/* SPDX-License-Identifier: MIT */
/* A death stops the money (issue 13 §5): the deaths recorded on members
 * (person_death, migration 20, append-only) and the recovery ledger (追缴:
 * recovery and its append-only entries, the payments schema). */
#include "store/store.h"

#include <string.h>

#include "core/timeutil.h"
#include "store/store_internal.h"

#define DEATH_COLS                                                             \
    "id, person_id, household_id, county_code, region_code, id_hash, "         \
    "died_on, source, note, recorded_by, recorded_at, withdrawn_at, "          \
    "withdrawn_by, withdrawn_reason"
ROW_MAPPER(row_to_death, struct person_death_row, COL(id), COL(person_id),
           COL(household_id), COL(county_code), COL(region_code),
           COL(id_hash), COL(died_on), COL(source), COL(note),
           COL(recorded_by), COL(recorded_at), COL(withdrawn_at),
           COL(withdrawn_by), COL(withdrawn_reason))

#define PAID_COLS                                                              \
    "l.id, l.batch_id, l.month, l.gross_fen, l.status, b.state"
ROW_MAPPER(row_to_paid, struct paid_line_row, COL(line_id), COL(batch_id),
           COL(month), COL(gross_fen), COL(status), COL(batch_state))

/* A recovery's id: the ledger's pages are read by id, then each row
 * through store_recovery_get (store_payments.c owns its columns). */
struct recovery_id {
    int64_t id;
};
ROW_MAPPER(row_to_recovery_id, struct recovery_id, COL(id))

static const struct stmt_text stmts[] = {
    /* a death (a second one for the person is person_death_current's
     * conflict) */
    {STMT_PERSON_DEATH_INSERT,
     .sql = "INSERT INTO person_death(person_id, household_id, county_code,"
            " region_code, id_hash, died_on, source, note, recorded_by,"
            " recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
            " RETURNING id"},
    /* the dead member no longer holds the one-active-household rule */
    {STMT_PERSON_DEATH_UNMARK,
     .sql = "UPDATE person SET active_id_hash = NULL WHERE id = ?1"
            " RETURNING id"},
    /* a person's death: the one not withdrawn (person_death_current) */
    {STMT_PERSON_DEATH_GET,
     .sql = "SELECT " DEATH_COLS " FROM person_death WHERE person_id = ?1"
            " AND withdrawn_at = 0"},
    {STMT_PERSON_DEATH_BY_HASH,
     .sql = "SELECT " DEATH_COLS " FROM person_death WHERE id_hash = ?1"
            " AND withdrawn_at = 0 ORDER BY id LIMIT 1"},
    /* a household's deaths not withdrawn (person_death_by_household) */
    {STMT_PERSON_DEATH_OF_HOUSEHOLD,
     .sql = "SELECT " DEATH_COLS " FROM person_death WHERE household_id = ?1"
            " AND withdrawn_at = 0 ORDER BY person_id LIMIT ?2"},
    /* a death recorded in error withdrawn, once (migration 29) */
    {STMT_PERSON_DEATH_WITHDRAW,
     .sql = "UPDATE person_death SET withdrawn_at = ?2, withdrawn_by = ?3,"
            " withdrawn_reason = ?4 WHERE id = ?1 AND withdrawn_at = 0"
            " RETURNING id"},
    /* the person holds the one-active-household rule again, while their
     * household is active (another active record of the number is the
     * unique key's conflict) */
    {STMT_PERSON_DEATH_REMARK,
     .sql = "UPDATE person SET active_id_hash = id_hash WHERE id = ?1"
            " AND (SELECT h.status FROM household h"
            " WHERE h.id = person.household_id) = 'active'"},
    {STMT_PERSON_HOUSEHOLD,
     .sql = "SELECT household_id FROM person WHERE id = ?1"},
    /* an entitlement's payments from a month on, not failed: a range of
     * payment_line_once (entitlement_id, month) */
    {STMT_DEATH_PAID_FROM,
     .sql = "SELECT " PAID_COLS " FROM payment_line l"
            " JOIN payment_batch b ON b.id = l.batch_id"
            " WHERE l.entitlement_id = ?1 AND l.month >= ?2"
            " AND l.failed = 0 ORDER BY l.month LIMIT ?3"},
    /* a line of a batch still built (the guards refuse any other) */
    {STMT_DEATH_LINE_DELETE,
     .sql = "DELETE FROM payment_line WHERE id = ?1 RETURNING id"},
    /* the ledger under a region prefix: a county's by recovery_by_county
     * (county_code, state, id), each within the prefix by its
     * entitlement's village (a township's, a county's, the city's) */
    {STMT_RECOVERY_PAGE,
     .sql = "SELECT r.id FROM recovery r"
            " JOIN entitlement e ON e.id = r.entitlement_id"
            " WHERE (length(?1) < 6 OR r.county_code = substr(?1, 1, 6))"
            " AND e.region_code >= ?1"
            " AND e.region_code < CAST(?1 AS TEXT) || ';'"
            " AND (CAST(?2 AS TEXT) = '' OR r.state = ?2) AND r.id > ?3"
            " ORDER BY r.id LIMIT ?4"},
};

const struct stmt_family store_stmts_recoveries =
    STMT_FAMILY("recoveries", stmts);

/* ---- deaths ---- */

enum dd_status
store_person_death_insert(struct store_tx *tx, struct person_death_row *d)
{
    if (d->recorded_at == 0)
        d->recorded_at = time_now();
    struct store_param p[] = {
        P_INT(d->person_id),    P_INT(d->household_id), P_TEXT(d->county_code),
        P_TEXT(d->region_code), P_TEXT(d->id_hash),     P_TEXT(d->died_on),
        P_TEXT(d->source),      P_TEXT(d->note),        P_TEXT(d->recorded_by),
        P_INT(d->recorded_at)};
    enum dd_status rc =
        store_insert_id(tx, STMT_PERSON_DEATH_INSERT, p, NPARAMS(p), &d->id);
    return rc == DD_OK ? store_write_one_by(tx, STMT_PERSON_DEATH_UNMARK,
                                            KEY_INT(d->person_id))
                       : rc;
}

enum dd_status
store_person_death_withdraw(struct store_tx *tx,
                            const struct person_death_row *d, const char *by,
                            int64_t at, const char *reason)
{
    struct store_param p[] = {P_INT(d->id), P_INT(at), P_TEXT(by),
                              P_TEXT(reason)};
    enum dd_status rc =
        store_write_one(tx, STMT_PERSON_DEATH_WITHDRAW, p, NPARAMS(p));
    return rc == DD_OK ? store_write_by(tx, STMT_PERSON_DEATH_REMARK,
                                        KEY_INT(d->person_id))
                       : rc;
}

enum dd_status
store_person_death_get(struct store_tx *tx, int64_t person_id,
                       struct person_death_row *out)
{
    return store_get_by(tx, STMT_PERSON_DEATH_GET, KEY_INT(person_id),
                        row_to_death, out);
}

enum dd_status
store_person_death_by_hash(struct store_tx *tx, const char *id_hash,
                           struct person_death_row *out)
{
    return store_get_by(tx, STMT_PERSON_DEATH_BY_HASH, KEY_TEXT(id_hash),
                        row_to_death, out);
}

enum dd_status
store_person_death_of_household(struct store_tx *tx, int64_t household_id,
                                struct person_death_row *out, size_t max,
                                size_t *count)
{
    return store_list_by(tx, STMT_PERSON_DEATH_OF_HOUSEHOLD,
                         KEY_INT(household_id), row_to_death, out,
                         sizeof(*out), max, count);
}

enum dd_status
store_person_household(struct store_tx *tx, int64_t person_id,
                       int64_t *household_id)
{
    struct store_param p[] = {P_INT(person_id)};
    return store_run_int(tx, STMT_PERSON_HOUSEHOLD, p, NPARAMS(p),
                         household_id);
}

/* ---- payments after a death, the ledger's pages ---- */

enum dd_status
store_paid_lines_from(struct store_tx *tx, int64_t entitlement_id,
                      const char *from, struct paid_line_row *out, size_t max,
                      size_t *count)
{
    struct store_param p[] = {P_INT(entitlement_id), P_TEXT(from),
                              P_INT(store_limit(max))};
    return store_get_many(tx, STMT_DEATH_PAID_FROM, p, NPARAMS(p), row_to_paid,
                          out, sizeof(*out), max, count);
}

enum dd_status
store_payment_line_delete(struct store_tx *tx, int64_t id)
{
    return store_write_one_by(tx, STMT_DEATH_LINE_DELETE, KEY_INT(id));
}

enum dd_status
store_recovery_page(struct store_tx *tx, const char *region_prefix,
                    const char *state, int64_t after_id, int64_t *ids,
                    size_t max, size_t *count)
{
    struct store_param p[] = {P_TEXT(region_prefix), P_TEXT(state), P_INT(after_id),
                              P_INT(store_limit(max))};
    _Static_assert(sizeof(struct recovery_id) == sizeof(*ids),
                   "a page of ids is an array of struct recovery_id");
    return store_get_many(tx, STMT_RECOVERY_PAGE, p, NPARAMS(p),
                          row_to_recovery_id, ids, sizeof(*ids), max, count);
}
