/* SPDX-License-Identifier: MIT */
/* The monthly payment batches (发放, migration 17): batches, their lines,
 * the months an entitlement has been paid, and the recovery ledger (追缴)
 * whose balance a build deducts. The database's own guards (triggers,
 * payment_line_once) refuse what must never be written; these are the
 * typed reads and writes. */
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/timeutil.h"
#include "store/store_internal.h"

#define BATCH_COLS                                                             \
    "id, county_code, item_code, month, kind, seq, state, line_count, "        \
    "total_fen, built_by, built_at, checked_by, checked_at, approved_by, "     \
    "approved_at, exported_by, exported_at, file_sm3, bank_code, closed_by, "  \
    "closed_at, version"
ROW_MAPPER(row_to_batch, struct payment_batch_row, COL(id), COL(county_code),
           COL(item_code), COL(month), COL(kind), COL(seq), COL(state),
           COL(line_count), COL(total_fen), COL(built_by), COL(built_at),
           COL(checked_by), COL(checked_at), COL(approved_by),
           COL(approved_at), COL(exported_by), COL(exported_at),
           COL(file_sm3), COL(bank_code), COL(closed_by), COL(closed_at),
           COL(version))

/* A line's status as shown: the bank's return writes only its
 * exceptions (failed, unknown), so a line still 'pending' in a batch
 * reconciled or closed is one the bank paid (staff settling an unknown
 * line write 'paid' itself). l is the line, b its batch. */
#define LINE_STATUS                                                            \
    "CASE WHEN l.status = 'pending' AND b.state IN ('reconciled', 'closed')"   \
    " THEN 'paid' ELSE l.status END"
#define LINE_COLS                                                              \
    "l.id, l.batch_id, l.county_code, l.township_code, l.region_code, "        \
    "l.entitlement_id, l.household_id, coalesce(l.payee_person_id, 0), "       \
    "coalesce(l.payee_account_id, 0), l.month, l.gross_fen, "                  \
    "l.deduction_fen, l.amount_fen, l.urban_rural, l.persons, l.elderly, "     \
    "l.minors, l.disabled, " LINE_STATUS ", l.reason_code, l.reason_text, "    \
    "coalesce(l.reissue_of, 0)"
#define LINE_FROM                                                              \
    " FROM payment_line l JOIN payment_batch b ON b.id = l.batch_id"
ROW_MAPPER(row_to_line, struct payment_line_row, COL(id), COL(batch_id),
           COL(county_code), COL(township_code), COL(region_code),
           COL(entitlement_id), COL(household_id), COL(payee_person_id),
           COL(payee_account_id), COL(month), COL(gross_fen),
           COL(deduction_fen), COL(amount_fen), COL(urban_rural),
           COL(persons), COL(elderly), COL(minors), COL(disabled),
           COL(status), COL(reason_code), COL(reason_text), COL(reissue_of))

#define RECOVERY_COLS                                                          \
    "id, county_code, household_id, entitlement_id, coalesce(person_id, 0), "  \
    "cause, state, note, created_by, created_at, version"
ROW_MAPPER(row_to_recovery, struct recovery_row, COL(id), COL(county_code),
           COL(household_id), COL(entitlement_id), COL(person_id), COL(cause),
           COL(state), COL(note), COL(created_by), COL(created_at),
           COL(version))

#define ENTRY_COLS                                                             \
    "id, recovery_id, seq, kind, amount_fen, coalesce(payment_line_id, 0), "   \
    "decided_by, decided_on, reason_text, created_at"
ROW_MAPPER(row_to_entry, struct recovery_entry_row, COL(id), COL(recovery_id),
           COL(seq), COL(kind), COL(amount_fen), COL(payment_line_id),
           COL(decided_by), COL(decided_on), COL(reason_text),
           COL(created_at))

#define LINE_INSERT_COLS                                                       \
    "payment_line(batch_id, county_code, township_code, region_code, "        \
    "entitlement_id, household_id, payee_person_id, payee_account_id, "       \
    "month, gross_fen, deduction_fen, amount_fen, urban_rural, persons, "     \
    "elderly, minors, disabled, status, reason_code, reason_text, "           \
    "reissue_of)"

/* a build's scan: entitlement_scope's order, and the range of a page of
 * it as row values (?3..?6 after, ?7..?10 up to) */
#define SCAN_ORDER "e.region_code, e.state, e.item_code, e.id"
#define SCAN_KEY "(" SCAN_ORDER ")"
/* The key's row value is the range's start (the first key is the
 * county's code and nothing else, below every key under it), then the
 * item: on SQLite compared as an expression (an index term on it would
 * have SQLite sort each page again rather than walk the index from the
 * key), on PostgreSQL as itself (the expression's unknown selectivity
 * would have it scan the table and sort instead) */
#define SCAN_RANGE(item)                                                       \
    " " SCAN_KEY " > (?3, ?4, ?5, ?6)"                                         \
    " AND e.region_code < CAST(?1 AS TEXT) || ';' AND " item " = ?2"
/* A page's entitlements by id (?1, a JSON array of ids): one probe of
 * the primary key each, whatever the page's range */
#define IDS_SQLITE " FROM json_each(?1) AS j JOIN entitlement e ON e.id = j.value"
#define IDS_PG                                                                 \
    " FROM json_array_elements_text(CAST(?1 AS json)) AS j(v)"                 \
    " JOIN entitlement e ON e.id = CAST(j.v AS bigint)"
#define SCAN_CHANGES                                                           \
    " JOIN entitlement_change c ON c.entitlement_id = e.id"                    \
    " ORDER BY " SCAN_ORDER ", c.seq"
#define PAID_OF(l)                                                             \
    " " l ".entitlement_id = e.id AND " l ".failed = 0 AND " l ".month <= ?2"  \
    " AND " l ".batch_id <> ?3 AND " l ".month >= " CHECK_FROM("?4", "?5")
#define SCAN_PAID                                                              \
    " JOIN payment_line l ON" PAID_OF("l") " ORDER BY " SCAN_ORDER ", l.month"
/* PostgreSQL's: payment_line_once's range per entitlement, the subquery
 * kept whole (OFFSET 0) so that it is never turned into a hash join
 * that reads the whole table for a page of a few hundred entitlements */
#define SCAN_PAID_PG                                                           \
    " CROSS JOIN LATERAL (SELECT l.entitlement_id, l.month"                    \
    " FROM payment_line l WHERE" PAID_OF("l") " OFFSET 0) l"                   \
    " ORDER BY " SCAN_ORDER ", l.month"

/* The first month a build checks for back pay, given the last regular
 * batch before it (built at epoch t, covering every month owed before
 * month m then): '' (every month from the start) for an entitlement made
 * or decided on since, or with a line that failed; else m. */
#define CHECK_FROM(t, m)                                                       \
    "CASE WHEN e.created_at >= " t " OR EXISTS (SELECT 1"                      \
    " FROM entitlement_change x WHERE x.entitlement_id = e.id"                 \
    " AND x.created_at >= " t ") OR EXISTS (SELECT 1 FROM payment_line f"      \
    " WHERE f.entitlement_id = e.id AND f.failed = 1)"                         \
    " THEN '' ELSE CAST(" m " AS TEXT) END"

/* A page's columns around the household's member counts (members). */
#define SCAN_COLS(members)                                                     \
    "e.id, e.county_code, e.household_id, e.item_code, e.case_item_id, "       \
    "e.monthly_fen, e.start_month, e.end_month, e.state, e.created_at, "       \
    "e.version, e.amount_fen, e.region_code, "                                 \
    "coalesce(e.payee_person_id, 0), e.stop_reason, h.urban_or_rural, "        \
    members "(SELECT coalesce(max(a.id), 0) FROM payee_account a"              \
    " WHERE a.person_id = e.payee_person_id AND a.state = 'active'), "         \
    CHECK_FROM("?10", "?11")
/* A member counted in the batch's month (?12): not dead before its first
 * day ('YYYY-MM-DD' < 'YYYY-MM' is a day of an earlier month): the dead
 * stay on the file */
#define LIVING(p)                                                              \
    " AND NOT EXISTS (SELECT 1 FROM person_death d"                            \
    " WHERE d.person_id = " p ".id AND d.withdrawn_at = 0"                     \
    " AND d.died_on < ?12)"
/* SQLite counts a household's members in one walk of
 * person_by_household, grouped in the scan's own order (no sort; four
 * correlated counts would read each member four times). PostgreSQL
 * would hash the county's whole join for each page to group it, so it
 * counts them in a lateral subquery per household: one index probe, each
 * member read once (four correlated counts, each probing the deaths too:
 * 17.9 s against 15.5 s for a 0.1-scale city's roster). */
#define MEMBERS_GROUPED                                                        \
    "count(p.id), count(CASE WHEN p.birth_date <= ?8 THEN 1 END), "            \
    "count(CASE WHEN p.birth_date > ?9 THEN 1 END), "                          \
    "count(CASE WHEN p.disability_category > 0 THEN 1 END), "
#define MEMBERS_COUNTED "m.persons, m.elderly, m.minors, m.disabled, "
#define MEMBERS_LATERAL                                                        \
    " CROSS JOIN LATERAL (SELECT count(*) AS persons,"                         \
    " count(*) FILTER (WHERE p.birth_date <= ?8) AS elderly,"                  \
    " count(*) FILTER (WHERE p.birth_date > ?9) AS minors,"                    \
    " count(*) FILTER (WHERE p.disability_category > 0) AS disabled"           \
    " FROM person p WHERE p.household_id = h.id" LIVING("p") ") m"
#define SCAN_FROM " FROM entitlement e JOIN household h ON h.id = e.household_id"
ROW_MAPPER(row_to_scan, struct payment_scan_row, COL(e.id),
           COL(e.county_code), COL(e.household_id), COL(e.item_code),
           COL(e.case_item_id), COL(e.monthly_fen), COL(e.start_month),
           COL(e.end_month), COL(e.state), COL(e.created_at), COL(e.version),
           COL(e.amount_fen), COL(e.region_code), COL(e.payee_person_id),
           COL(e.stop_reason), COL(urban_rural), COL(persons), COL(elderly),
           COL(minors), COL(disabled), COL(payee_account_id),
           COL(check_from))

#define SCAN_CHANGE_COLS                                                       \
    "c.id, c.entitlement_id, c.county_code, c.seq, c.event, c.effect_month, "  \
    "c.amount_fen, c.months, c.reason_code, c.reason_text, c.decided_by, "     \
    "c.decided_on, coalesce(c.case_item_id, 0), coalesce(c.review_id, 0), "    \
    "c.created_at"
ROW_MAPPER(row_to_change, struct entitlement_change_row, COL(id),
           COL(entitlement_id), COL(county_code), COL(seq), COL(event),
           COL(effect_month), COL(amount_fen), COL(months), COL(reason_code),
           COL(reason_text), COL(decided_by), COL(decided_on),
           COL(case_item_id), COL(review_id), COL(created_at))

/* The most bytes of one array parameter: a chunk of a few thousand
 * lines or ids, each value far below 1 KiB. */
#define ARRAY_CAP (64u << 20)

/* what a balance sums: owed adds, every other kind takes away */
#define BALANCE_SUM                                                            \
    "coalesce(sum(CASE e.kind WHEN 'owed' THEN e.amount_fen"                   \
    " ELSE -e.amount_fen END), 0)"

static const struct stmt_text stmts[] = {
    {STMT_PAYMENT_BATCH_INSERT,
     .sql = "INSERT INTO payment_batch(county_code, item_code, month, kind,"
            " seq, state, line_count, total_fen, built_by, built_at,"
            " version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
            " RETURNING id"},
    {STMT_PAYMENT_BATCH_GET,
     .sql = "SELECT " BATCH_COLS " FROM payment_batch WHERE id = ?1"},
    /* the unique key's index, its last seq */
    {STMT_PAYMENT_BATCH_LAST,
     .sql = "SELECT " BATCH_COLS " FROM payment_batch WHERE county_code = ?1"
            " AND item_code = ?2 AND month = ?3 AND kind = ?4"
            " ORDER BY seq DESC LIMIT 1"},
    /* the last batch of a kind for a month before ?3 */
    {STMT_PAYMENT_BATCH_BEFORE,
     .sql = "SELECT " BATCH_COLS " FROM payment_batch WHERE county_code = ?1"
            " AND item_code = ?2 AND month < ?3 AND kind = ?4"
            " ORDER BY month DESC, seq DESC LIMIT 1"},
    /* a move on, at the version read (the triggers may refuse it) */
    {STMT_PAYMENT_BATCH_UPDATE,
     .sql = "UPDATE payment_batch SET state = ?3, line_count = ?4,"
            " total_fen = ?5, built_by = ?6, built_at = ?7,"
            " checked_by = ?8, checked_at = ?9, approved_by = ?10,"
            " approved_at = ?11, exported_by = ?12, exported_at = ?13,"
            " file_sm3 = ?14, bank_code = ?15, closed_by = ?16,"
            " closed_at = ?17, version = version + 1"
            " WHERE id = ?1 AND version = ?2 RETURNING version"},
    /* a page: a county's range of payment_batch_by_month, or every
     * county's in id order */
    {STMT_PAYMENT_BATCH_PAGE,
     .sql = "SELECT " BATCH_COLS " FROM payment_batch"
            " WHERE (CAST(?1 AS TEXT) = '' OR county_code = ?1)"
            " AND (CAST(?2 AS TEXT) = '' OR item_code = ?2)"
            " AND (CAST(?3 AS TEXT) = '' OR month = ?3)"
            " AND (CAST(?4 AS TEXT) = '' OR state = ?4)"
            " AND id > ?5 ORDER BY id LIMIT ?6"},
    {STMT_PAYMENT_BATCH_SUM,
     .sql = "SELECT count(*), coalesce(sum(amount_fen), 0)"
            " FROM payment_line WHERE batch_id = ?1"},
    /* lines: SQLite's prepared statement row by row (as fast there as
     * any multi-row form); PostgreSQL's the next, one round trip per
     * chunk (a no-op here on PostgreSQL: the caller takes the other) */
    {STMT_PAYMENT_LINE_INSERT,
     .sqlite = "INSERT INTO " LINE_INSERT_COLS " VALUES (?1, ?2, ?3, ?4,"
               " ?5, ?6, NULLIF(?7, 0), NULLIF(?8, 0), ?9, ?10, ?11, ?12,"
               " ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, NULLIF(?21, 0))"},
    /* a chunk of lines as one array per column (PostgreSQL's array
     * literals), zipped by unnest */
    {STMT_PAYMENT_LINE_INSERT_ARRAYS,
     .sqlite_noop = 1,
     .pg = "INSERT INTO " LINE_INSERT_COLS " SELECT b, c, t, r, e, h,"
           " NULLIF(pp, 0), NULLIF(pa, 0), m, g, d, a, u, ps, el, mi, di,"
           " s, rc, rt, NULLIF(ri, 0) FROM unnest(CAST(?1 AS bigint[]),"
           " CAST(?2 AS text[]), CAST(?3 AS text[]), CAST(?4 AS text[]),"
           " CAST(?5 AS bigint[]), CAST(?6 AS bigint[]),"
           " CAST(?7 AS bigint[]), CAST(?8 AS bigint[]), CAST(?9 AS text[]),"
           " CAST(?10 AS bigint[]), CAST(?11 AS bigint[]),"
           " CAST(?12 AS bigint[]), CAST(?13 AS text[]),"
           " CAST(?14 AS bigint[]), CAST(?15 AS bigint[]),"
           " CAST(?16 AS bigint[]), CAST(?17 AS bigint[]),"
           " CAST(?18 AS text[]), CAST(?19 AS text[]), CAST(?20 AS text[]),"
           " CAST(?21 AS bigint[])) AS x(b, c, t, r, e, h, pp, pa, m, g, d,"
           " a, u, ps, el, mi, di, s, rc, rt, ri)"},
    {STMT_PAYMENT_LINE_CLEAR,
     .sql = "DELETE FROM payment_line WHERE batch_id = ?1 AND id > ?2"},
    {STMT_PAYMENT_LINE_GET,
     .sql = "SELECT " LINE_COLS LINE_FROM " WHERE l.id = ?1"},
    /* a page of payment_line_by_batch's range */
    {STMT_PAYMENT_LINE_PAGE,
     .sql = "SELECT " LINE_COLS LINE_FROM " WHERE l.batch_id = ?1"
            " AND (CAST(?2 AS TEXT) = '' OR " LINE_STATUS " = ?2)"
            " AND (CAST(?3 AS TEXT) = '' OR l.township_code = ?3)"
            " AND l.id > ?4 ORDER BY l.batch_id, l.id LIMIT ?5"},
    {STMT_PAYMENT_LINE_SET_STATUS,
     .sql = "UPDATE payment_line SET status = ?2, reason_code = ?3,"
            " reason_text = ?4, failed = " FAILED_OF("?2")
            " WHERE id = ?1 RETURNING id"},
    /* payment_line_once's range for a run of entitlements */
    {STMT_PAYMENT_PAID_MONTHS,
     .sql = "SELECT entitlement_id, month FROM payment_line"
            " WHERE entitlement_id >= ?1 AND entitlement_id <= ?2"
            " AND month >= ?3 AND month < ?4 AND failed = 0"
            " ORDER BY entitlement_id, month"},
    {STMT_RECOVERY_INSERT,
     .sql = "INSERT INTO recovery(county_code, household_id, entitlement_id,"
            " person_id, cause, state, note, created_by, created_at, version)"
            " VALUES (?1, ?2, ?3, NULLIF(?4, 0), ?5, ?6, ?7, ?8, ?9, ?10)"
            " RETURNING id"},
    {STMT_RECOVERY_GET,
     .sql = "SELECT " RECOVERY_COLS " FROM recovery WHERE id = ?1"},
    {STMT_RECOVERY_UPDATE,
     .sql = "UPDATE recovery SET state = ?3, note = ?4, version = version + 1"
            " WHERE id = ?1 AND version = ?2 RETURNING version"},
    {STMT_RECOVERY_OF_ENTITLEMENT,
     .sql = "SELECT " RECOVERY_COLS " FROM recovery"
            " WHERE entitlement_id = ?1 ORDER BY id LIMIT ?2"},
    /* the next seq (one taken meanwhile is the unique key's conflict) */
    {STMT_RECOVERY_ENTRY_INSERT,
     .sql = "INSERT INTO recovery_entry(recovery_id, seq, kind, amount_fen,"
            " payment_line_id, decided_by, decided_on, reason_text,"
            " created_at) VALUES (?1, (SELECT coalesce(max(seq), 0) + 1"
            " FROM recovery_entry WHERE recovery_id = ?1), ?2, ?3,"
            " NULLIF(?4, 0), ?5, ?6, ?7, ?8) RETURNING id, seq"},
    {STMT_RECOVERY_ENTRY_LIST,
     .sql = "SELECT " ENTRY_COLS " FROM recovery_entry"
            " WHERE recovery_id = ?1 ORDER BY seq LIMIT ?2"},
    {STMT_RECOVERY_BALANCE,
     .sql = "SELECT " BALANCE_SUM " FROM recovery_entry e"
            " WHERE e.recovery_id = ?1"},
    {STMT_RECOVERY_BALANCE_OF_ENTITLEMENT,
     .sql = "SELECT " BALANCE_SUM " FROM recovery r JOIN recovery_entry e"
            " ON e.recovery_id = r.id"
            " WHERE r.entitlement_id = ?1 AND r.state = 'open'"},
    /* what each entitlement of a county and item still owes: its open
     * recoveries' balance (recovery_by_county's range) less what the
     * lines of its batches not yet approved, other than ?3, deduct */
    {STMT_RECOVERY_BALANCES,
     .sql = "SELECT t.entitlement_id, sum(t.fen) FROM ("
            " SELECT r.entitlement_id, CASE e.kind WHEN 'owed'"
            "  THEN e.amount_fen ELSE -e.amount_fen END AS fen"
            "  FROM recovery r JOIN recovery_entry e ON e.recovery_id = r.id"
            "  JOIN entitlement n ON n.id = r.entitlement_id"
            "  WHERE r.county_code = ?1 AND r.state = 'open'"
            "  AND n.item_code = ?2"
            " UNION ALL"
            " SELECT l.entitlement_id, -l.deduction_fen AS fen"
            "  FROM payment_batch b JOIN payment_line l ON l.batch_id = b.id"
            "  WHERE b.county_code = ?1 AND b.item_code = ?2"
            "  AND b.state IN ('built', 'checked') AND b.id <> ?3"
            "  AND l.deduction_fen > 0) t"
            " GROUP BY t.entitlement_id ORDER BY t.entitlement_id"},
    /* a page of the build's scan: a range of entitlement_scope from the
     * last key read (no sort, no rescan), the household's members
     * counted by person_by_household */
    {STMT_PAYMENT_SCAN_PAGE,
     .sqlite = "SELECT " SCAN_COLS(MEMBERS_GROUPED) SCAN_FROM
               " LEFT JOIN person p ON p.household_id = e.household_id"
               LIVING("p") " WHERE" SCAN_RANGE("e.item_code || ''")
               " GROUP BY " SCAN_ORDER " ORDER BY " SCAN_ORDER " LIMIT ?7",
     .pg = "SELECT " SCAN_COLS(MEMBERS_COUNTED) SCAN_FROM MEMBERS_LATERAL
           " WHERE" SCAN_RANGE("e.item_code") " ORDER BY " SCAN_ORDER
           " LIMIT ?7"},
    {STMT_PAYMENT_SCAN_CHANGES,
     .sqlite = "SELECT " SCAN_CHANGE_COLS IDS_SQLITE SCAN_CHANGES,
     .pg = "SELECT " SCAN_CHANGE_COLS IDS_PG SCAN_CHANGES},
    /* payment_line_once's range per entitlement, from the month its
     * back pay is checked */
    {STMT_PAYMENT_SCAN_PAID,
     .sqlite = "SELECT l.entitlement_id, l.month" IDS_SQLITE SCAN_PAID,
     .pg = "SELECT l.entitlement_id, l.month" IDS_PG SCAN_PAID_PG,
     /* a build reads payment_line while it writes it: planned at each
      * page on the table as it is then, not on a plan cached when the
      * month's lines were few (a cached hash join read the whole table
      * for each page of the first roster: 28 ms a page, 7.4 of a
      * 0.1-scale roster's 17 seconds) */
     .pg_plan_each = 1},
};

const struct stmt_family store_stmts_payments = STMT_FAMILY("payments", stmts);

/* ---- batches ---- */

enum dd_status
store_payment_batch_insert(struct store_tx *tx, struct payment_batch_row *b)
{
    if (b->built_at == 0)
        b->built_at = time_now();
    if (b->version == 0)
        b->version = 1;
    struct store_param p[] = {
        P_TEXT(b->county_code), P_TEXT(b->item_code), P_TEXT(b->month),
        P_TEXT(b->kind),        P_INT(b->seq),        P_TEXT(b->state),
        P_INT(b->line_count),   P_INT(b->total_fen),  P_TEXT(b->built_by),
        P_INT(b->built_at),     P_INT(b->version)};
    return store_insert_id(tx, STMT_PAYMENT_BATCH_INSERT, p, NPARAMS(p),
                           &b->id);
}

enum dd_status
store_payment_batch_get(struct store_tx *tx, int64_t id,
                        struct payment_batch_row *out)
{
    return store_get_by(tx, STMT_PAYMENT_BATCH_GET, KEY_INT(id), row_to_batch,
                        out);
}

enum dd_status
store_payment_batch_last(struct store_tx *tx, const char *county_code,
                         const char *item_code, const char *month,
                         const char *kind, struct payment_batch_row *out)
{
    struct store_param p[] = {P_TEXT(county_code), P_TEXT(item_code),
                              P_TEXT(month), P_TEXT(kind)};
    return store_get_one(tx, STMT_PAYMENT_BATCH_LAST, p, NPARAMS(p),
                         row_to_batch, out);
}

enum dd_status
store_payment_batch_before(struct store_tx *tx, const char *county_code,
                           const char *item_code, const char *month,
                           const char *kind, struct payment_batch_row *out)
{
    struct store_param p[] = {P_TEXT(county_code), P_TEXT(item_code),
                              P_TEXT(month), P_TEXT(kind)};
    return store_get_one(tx, STMT_PAYMENT_BATCH_BEFORE, p, NPARAMS(p),
                         row_to_batch, out);
}

enum dd_status
store_payment_batch_update(struct store_tx *tx, struct payment_batch_row *b)
{
    struct store_param p[] = {
        P_INT(b->id),           P_INT(b->version),      P_TEXT(b->state),
        P_INT(b->line_count),   P_INT(b->total_fen),    P_TEXT(b->built_by),
        P_INT(b->built_at),     P_TEXT(b->checked_by),  P_INT(b->checked_at),
        P_TEXT(b->approved_by), P_INT(b->approved_at),  P_TEXT(b->exported_by),
        P_INT(b->exported_at),  P_TEXT(b->file_sm3),    P_TEXT(b->bank_code),
        P_TEXT(b->closed_by),   P_INT(b->closed_at)};
    return store_update_versioned(tx, STMT_PAYMENT_BATCH_UPDATE, p, NPARAMS(p),
                                  STMT_PAYMENT_BATCH_GET, b->id, &b->version);
}

enum dd_status
store_payment_batch_page(struct store_tx *tx,
                         const struct payment_batch_filter *f,
                         struct payment_batch_row *out, size_t max,
                         size_t *count)
{
    struct store_param p[] = {P_TEXT(f->county_code ? f->county_code : ""),
                              P_TEXT(f->item_code ? f->item_code : ""),
                              P_TEXT(f->month ? f->month : ""),
                              P_TEXT(f->state ? f->state : ""),
                              P_INT(f->after_id),
                              P_INT(store_limit(max))};
    return store_get_many(tx, STMT_PAYMENT_BATCH_PAGE, p, NPARAMS(p),
                          row_to_batch, out, sizeof(*out), max, count);
}

struct two_ints {
    int64_t a, b;
};

static void
row_to_two_ints(struct col_cursor *c, void *out)
{
    struct two_ints *t = out;
    t->a = cur_int(c);
    t->b = cur_int(c);
}

enum dd_status
store_payment_batch_sum(struct store_tx *tx, int64_t batch_id,
                        int64_t *line_count, int64_t *total_fen)
{
    struct two_ints t = {0, 0};
    enum dd_status rc = store_get_by(tx, STMT_PAYMENT_BATCH_SUM,
                                     KEY_INT(batch_id), row_to_two_ints, &t);
    *line_count = t.a;
    *total_fen = t.b;
    return rc;
}

/* ---- lines ---- */

/* The columns of a line to insert, in LINE_INSERT_COLS order. */
#define LINE_NCOLS 21

static void
line_params(const struct payment_line_row *r, struct store_param *p)
{
    struct store_param v[LINE_NCOLS] = {
        P_INT(r->batch_id),        P_TEXT(r->county_code),
        P_TEXT(r->township_code),  P_TEXT(r->region_code),
        P_INT(r->entitlement_id),  P_INT(r->household_id),
        P_INT(r->payee_person_id), P_INT(r->payee_account_id),
        P_TEXT(r->month),          P_INT(r->gross_fen),
        P_INT(r->deduction_fen),   P_INT(r->amount_fen),
        P_TEXT(r->urban_rural),    P_INT(r->persons),
        P_INT(r->elderly),         P_INT(r->minors),
        P_INT(r->disabled),        P_TEXT(r->status[0] ? r->status : "pending"),
        P_TEXT(r->reason_code),    P_TEXT(r->reason_text),
        P_INT(r->reissue_of)};
    memcpy(p, v, sizeof(v));
}

/* Runs id; *noop says whether the backend skipped it (the statement is
 * the other backend's). */
static enum dd_status
run_or_skip(struct store_tx *tx, enum stmt id, const struct store_param *p,
            int n, int *noop)
{
    struct store_rows r;
    int has_row = 0;
    enum dd_status rc = store_query(tx, id, p, n, &r);
    if (rc != DD_OK)
        return rc;
    *noop = r.noop;
    rc = r.ops->next(&r, &has_row);
    r.ops->done(&r);
    return rc;
}

/* Appends v to a PostgreSQL array literal: a number as is, a text
 * quoted with its quotes and backslashes escaped. */
static enum dd_status
array_add(struct buf *b, const struct store_param *v)
{
    char num[24];
    enum dd_status rc = buf_append(b, b->len > 1 ? "," : "", b->len > 1);
    if (rc != DD_OK || v->type == STORE_P_INT64) {
        snprintf(num, sizeof(num), "%lld", (long long)v->i64);
        return rc == DD_OK ? buf_puts(b, num) : rc;
    }
    rc = buf_append(b, "\"", 1);
    for (const char *c = v->text; rc == DD_OK && *c; c++) {
        if (*c == '"' || *c == '\\')
            rc = buf_append(b, "\\", 1);
        if (rc == DD_OK)
            rc = buf_append(b, c, 1);
    }
    return rc == DD_OK ? buf_append(b, "\"", 1) : rc;
}

/* The lines as one array per column, in one statement. */
static enum dd_status
insert_arrays(struct store_tx *tx, const struct payment_line_row *l, size_t n)
{
    struct buf cols[LINE_NCOLS];
    struct store_param p[LINE_NCOLS], v[LINE_NCOLS];
    enum dd_status rc = DD_OK;
    for (int c = 0; c < LINE_NCOLS; c++) {
        buf_init(&cols[c], ARRAY_CAP);
        if (rc == DD_OK)
            rc = buf_append(&cols[c], "{", 1);
    }
    for (size_t i = 0; rc == DD_OK && i < n; i++) {
        line_params(&l[i], v);
        for (int c = 0; rc == DD_OK && c < LINE_NCOLS; c++)
            rc = array_add(&cols[c], &v[c]);
    }
    for (int c = 0; c < LINE_NCOLS; c++) {
        if (rc == DD_OK)
            rc = buf_append(&cols[c], "}", 1);
        p[c] = (struct store_param)P_TEXT(cols[c].data);
    }
    int noop = 0;
    if (rc == DD_OK)
        rc = run_or_skip(tx, STMT_PAYMENT_LINE_INSERT_ARRAYS, p, LINE_NCOLS,
                         &noop);
    for (int c = 0; c < LINE_NCOLS; c++)
        buf_free(&cols[c]);
    return rc;
}

enum dd_status
store_payment_line_insert_many(struct store_tx *tx,
                               const struct payment_line_row *l, size_t n)
{
    struct store_param p[LINE_NCOLS];
    int noop = 0;
    enum dd_status rc = store_need_write(tx);
    /* row by row where the row statement runs (SQLite), else arrays */
    for (size_t i = 0; rc == DD_OK && !noop && i < n; i++) {
        line_params(&l[i], p);
        rc = run_or_skip(tx, STMT_PAYMENT_LINE_INSERT, p, LINE_NCOLS, &noop);
    }
    return rc == DD_OK && noop ? insert_arrays(tx, l, n) : rc;
}

enum dd_status
store_payment_line_clear(struct store_tx *tx, int64_t batch_id,
                         int64_t after_id)
{
    struct store_param p[] = {P_INT(batch_id), P_INT(after_id)};
    return store_write(tx, STMT_PAYMENT_LINE_CLEAR, p, NPARAMS(p));
}

enum dd_status
store_payment_line_get(struct store_tx *tx, int64_t id,
                       struct payment_line_row *out)
{
    return store_get_by(tx, STMT_PAYMENT_LINE_GET, KEY_INT(id), row_to_line,
                        out);
}

enum dd_status
store_payment_line_page(struct store_tx *tx,
                        const struct payment_line_filter *f,
                        struct payment_line_row *out, size_t max,
                        size_t *count)
{
    struct store_param p[] = {P_INT(f->batch_id),
                              P_TEXT(f->status ? f->status : ""),
                              P_TEXT(f->township_code ? f->township_code : ""),
                              P_INT(f->after_id), P_INT(store_limit(max))};
    return store_get_many(tx, STMT_PAYMENT_LINE_PAGE, p, NPARAMS(p),
                          row_to_line, out, sizeof(*out), max, count);
}

enum dd_status
store_payment_line_set_status(struct store_tx *tx, int64_t id,
                              const char *status, const char *reason_code,
                              const char *reason_text)
{
    struct store_param p[] = {P_INT(id), P_TEXT(status), P_TEXT(reason_code),
                              P_TEXT(reason_text)};
    return store_write_one(tx, STMT_PAYMENT_LINE_SET_STATUS, p, NPARAMS(p));
}

struct paid_walk {
    store_paid_month_fn fn;
    void *ctx;
};

static int
paid_visit(struct col_cursor *c, void *arg)
{
    struct paid_walk *w = arg;
    int64_t id = cur_int(c);
    return w->fn(id, cur_text(c), w->ctx);
}

enum dd_status
store_payment_paid_months(struct store_tx *tx, int64_t lo, int64_t hi,
                          const char *from, const char *to,
                          store_paid_month_fn fn, void *ctx)
{
    struct store_param p[] = {P_INT(lo), P_INT(hi), P_TEXT(from), P_TEXT(to)};
    struct paid_walk w = {fn, ctx};
    return store_walk(tx, STMT_PAYMENT_PAID_MONTHS, p, NPARAMS(p), paid_visit,
                      &w);
}

/* ---- a build's scan ---- */

enum dd_status
store_payment_scan_page(struct store_tx *tx, const struct payment_scan *s,
                        const struct payment_scan_key *a,
                        struct payment_scan_row *out, size_t max,
                        size_t *count)
{
    struct store_param p[] = {
        P_TEXT(s->county_code),     P_TEXT(s->item_code),
        P_TEXT(a->region_code),     P_TEXT(a->state),
        P_TEXT(a->item_code),       P_INT(a->id),
        P_INT(store_limit(max)),    P_TEXT(s->elderly_born_by),
        P_TEXT(s->minor_born_after), P_INT(s->since),
        P_TEXT(s->since_month),     P_TEXT(s->month)};
    return store_get_many(tx, STMT_PAYMENT_SCAN_PAGE, p, NPARAMS(p),
                          row_to_scan, out, sizeof(*out), max, count);
}

/* The ids of rows[0..n) as a JSON array of numbers into b. */
static enum dd_status
ids_of(const struct payment_scan_row *rows, size_t n, struct buf *b)
{
    char num[24];
    enum dd_status rc = buf_append(b, "[", 1);
    for (size_t i = 0; rc == DD_OK && i < n; i++) {
        snprintf(num, sizeof(num), "%s%lld", i ? "," : "",
                 (long long)rows[i].e.id);
        rc = buf_puts(b, num);
    }
    return rc == DD_OK ? buf_append(b, "]", 1) : rc;
}

/* Walks statement id over the page's ids with the scan's month, batch
 * and checkpoint (?2 to ?5, which the paid months read). */
static enum dd_status
page_walk(struct store_tx *tx, enum stmt id, const struct payment_scan *s,
          const struct payment_scan_row *rows, size_t n, int nparams,
          row_visit_fn visit, void *arg)
{
    struct buf ids;
    buf_init(&ids, ARRAY_CAP);
    enum dd_status rc = ids_of(rows, n, &ids);
    struct store_param p[] = {P_TEXT(ids.data), P_TEXT(s->month),
                              P_INT(s->batch_id), P_INT(s->since),
                              P_TEXT(s->since_month)};
    if (rc == DD_OK)
        rc = store_walk(tx, id, p, nparams, visit, arg);
    buf_free(&ids);
    return rc;
}

struct change_walk {
    store_scan_change_fn fn;
    void *ctx;
};

static int
change_visit(struct col_cursor *c, void *arg)
{
    struct change_walk *w = arg;
    struct entitlement_change_row row;
    row_to_change(c, &row);
    return w->fn(&row, w->ctx);
}

enum dd_status
store_payment_scan_changes(struct store_tx *tx, const struct payment_scan *s,
                           const struct payment_scan_row *rows, size_t n,
                           store_scan_change_fn fn, void *ctx)
{
    struct change_walk w = {fn, ctx};
    /* ?1 alone is in this statement's text */
    return page_walk(tx, STMT_PAYMENT_SCAN_CHANGES, s, rows, n, 1,
                     change_visit, &w);
}

enum dd_status
store_payment_scan_paid(struct store_tx *tx, const struct payment_scan *s,
                        const struct payment_scan_row *rows, size_t n,
                        store_paid_month_fn fn, void *ctx)
{
    struct paid_walk w = {fn, ctx};
    return page_walk(tx, STMT_PAYMENT_SCAN_PAID, s, rows, n, 5, paid_visit,
                     &w);
}

/* ---- the recovery ledger ---- */

enum dd_status
store_recovery_insert(struct store_tx *tx, struct recovery_row *r)
{
    if (r->created_at == 0)
        r->created_at = time_now();
    if (r->version == 0)
        r->version = 1;
    if (!r->state[0])
        str_copy(r->state, sizeof(r->state), "open");
    struct store_param p[] = {
        P_TEXT(r->county_code), P_INT(r->household_id), P_INT(r->entitlement_id),
        P_INT(r->person_id),    P_TEXT(r->cause),       P_TEXT(r->state),
        P_TEXT(r->note),        P_TEXT(r->created_by),  P_INT(r->created_at),
        P_INT(r->version)};
    return store_insert_id(tx, STMT_RECOVERY_INSERT, p, NPARAMS(p), &r->id);
}

enum dd_status
store_recovery_get(struct store_tx *tx, int64_t id, struct recovery_row *out)
{
    return store_get_by(tx, STMT_RECOVERY_GET, KEY_INT(id), row_to_recovery,
                        out);
}

enum dd_status
store_recovery_update(struct store_tx *tx, struct recovery_row *r)
{
    struct store_param p[] = {P_INT(r->id), P_INT(r->version), P_TEXT(r->state),
                              P_TEXT(r->note)};
    return store_update_versioned(tx, STMT_RECOVERY_UPDATE, p, NPARAMS(p),
                                  STMT_RECOVERY_GET, r->id, &r->version);
}

enum dd_status
store_recovery_of_entitlement(struct store_tx *tx, int64_t entitlement_id,
                              struct recovery_row *out, size_t max,
                              size_t *count)
{
    return store_list_by(tx, STMT_RECOVERY_OF_ENTITLEMENT,
                         KEY_INT(entitlement_id), row_to_recovery, out,
                         sizeof(*out), max, count);
}

enum dd_status
store_recovery_entry_insert(struct store_tx *tx, struct recovery_entry_row *e)
{
    if (e->created_at == 0)
        e->created_at = time_now();
    struct store_param p[] = {
        P_INT(e->recovery_id),    P_TEXT(e->kind),       P_INT(e->amount_fen),
        P_INT(e->payment_line_id), P_TEXT(e->decided_by), P_TEXT(e->decided_on),
        P_TEXT(e->reason_text),   P_INT(e->created_at)};
    enum dd_status rc = store_need_write(tx);
    struct two_ints t = {0, 0};
    if (rc == DD_OK)
        rc = store_get_one(tx, STMT_RECOVERY_ENTRY_INSERT, p, NPARAMS(p),
                           row_to_two_ints, &t);
    if (rc == DD_ENOTFOUND)
        rc = DD_ESTORE;
    if (rc == DD_OK) {
        e->id = t.a;
        e->seq = t.b;
    }
    return rc;
}

enum dd_status
store_recovery_entry_list(struct store_tx *tx, int64_t recovery_id,
                          struct recovery_entry_row *out, size_t max,
                          size_t *count)
{
    return store_list_by(tx, STMT_RECOVERY_ENTRY_LIST, KEY_INT(recovery_id),
                         row_to_entry, out, sizeof(*out), max, count);
}

enum dd_status
store_recovery_balance(struct store_tx *tx, int64_t recovery_id,
                       int64_t *balance_fen)
{
    struct store_param p[] = {P_INT(recovery_id)};
    return store_run_int(tx, STMT_RECOVERY_BALANCE, p, NPARAMS(p),
                         balance_fen);
}

struct balance_walk {
    store_balance_fn fn;
    void *ctx;
};

static int
balance_visit(struct col_cursor *c, void *arg)
{
    struct balance_walk *w = arg;
    int64_t id = cur_int(c);
    return w->fn(id, cur_int(c), w->ctx);
}

enum dd_status
store_recovery_balances(struct store_tx *tx, const char *county_code,
                        const char *item_code, int64_t batch_id,
                        store_balance_fn fn, void *ctx)
{
    struct store_param p[] = {P_TEXT(county_code), P_TEXT(item_code),
                              P_INT(batch_id)};
    struct balance_walk w = {fn, ctx};
    return store_walk(tx, STMT_RECOVERY_BALANCES, p, NPARAMS(p),
                      balance_visit, &w);
}

enum dd_status
store_recovery_balance_of_entitlement(struct store_tx *tx,
                                      int64_t entitlement_id,
                                      int64_t *balance_fen)
{
    struct store_param p[] = {P_INT(entitlement_id)};
    return store_run_int(tx, STMT_RECOVERY_BALANCE_OF_ENTITLEMENT, p,
                         NPARAMS(p), balance_fen);
}
