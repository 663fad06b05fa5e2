/* SPDX-License-Identifier: MIT */
/* The monthly report's figures (issue 13 §6, migration 21): the summary of
 * the closed payment batches kept when a batch closes, read by month and
 * region prefix; the month's new, stopped and changed cases; the
 * dashboard's trend by county. */
#include "store/store.h"

#include <string.h>

#include "store/store_internal.h"

/* The batch whose county, programme and month the summary is brought up
 * to date with. */
struct summary_key {
    char county_code[STORE_CODE_LEN];
    char item_code[32];
    char month[8];
};
#define SUMMARY_KEY_COLS "county_code, item_code, month"
ROW_MAPPER(row_to_summary_key, struct summary_key, COL(county_code),
           COL(item_code), COL(month))

#define SUMMARY_COLS                                                           \
    "item_code, urban_rural, sum(households), sum(persons), sum(elderly),"     \
    " sum(minors), sum(disabled), sum(lines), sum(amount_fen)"
ROW_MAPPER(row_to_summary, struct payment_summary_row, COL(item_code),
           COL(urban_rural), COL(households), COL(persons), COL(elderly),
           COL(minors), COL(disabled), COL(lines), COL(amount_fen))

#define MOVE_COLS "kind, item_code, cases"
ROW_MAPPER(row_to_move, struct caseload_move_row, COL(kind), COL(item_code),
           COL(cases))

#define TREND_COLS                                                             \
    "month, substr(township_code, 1, 6), sum(households), sum(persons),"       \
    " sum(amount_fen)"
ROW_MAPPER(row_to_trend, struct payment_trend_row, COL(month), COL(county_code),
           COL(households), COL(persons), COL(amount_fen))

/* A region prefix as a range of codes: '9' < ';', and codes sort bytewise
 * (COLLATE "C" on PostgreSQL), so [p, p || ';') is every code under p. */
#define UNDER(col, p) col " >= " p " AND " col " < CAST(" p " AS TEXT) || ';'"

static const struct stmt_text stmts[] = {
    {STMT_PAYMENT_SUMMARY_BATCH,
     .sql = "SELECT " SUMMARY_KEY_COLS " FROM payment_batch WHERE id = ?1"},
    /* the rows of one county, programme and month, before their refill */
    {STMT_PAYMENT_SUMMARY_CLEAR,
     .sql = "DELETE FROM payment_summary WHERE month = ?1"
            " AND " UNDER("township_code", "?3") " AND item_code = ?2"},
    /* the paid lines of the county's closed batches of the programme and
     * month (?4, the batch closing now, counted as closed; a line of a
     * reconciled batch still 'pending' is one the bank paid), one row per
     * household first: a household paid several lines in a month (back
     * pay, a reissue) is one household, with its largest line's persons */
    {STMT_PAYMENT_SUMMARY_FILL,
     .sql = "INSERT INTO payment_summary(month, township_code, item_code,"
            " urban_rural, households, persons, elderly, minors, disabled,"
            " lines, amount_fen)"
            " SELECT ?3, township_code, ?2, urban_rural, count(*),"
            " sum(persons), sum(elderly), sum(minors), sum(disabled),"
            " sum(lines), sum(amount_fen) FROM (SELECT l.township_code,"
            " l.urban_rural, l.household_id, max(l.persons) AS persons,"
            " max(l.elderly) AS elderly, max(l.minors) AS minors,"
            " max(l.disabled) AS disabled, count(*) AS lines,"
            " sum(l.amount_fen) AS amount_fen"
            " FROM payment_batch b JOIN payment_line l ON l.batch_id = b.id"
            " WHERE b.county_code = ?1 AND b.item_code = ?2"
            " AND b.month = ?3 AND (b.state = 'closed' OR b.id = ?4)"
            " AND l.status IN ('paid', 'pending')"
            " GROUP BY l.township_code, l.urban_rural, l.household_id) h"
            " GROUP BY township_code, urban_rural"},
    /* a month's programmes × urban/rural in a region: one range of
     * payment_summary_key (month, then the township prefix) */
    {STMT_PAYMENT_SUMMARY_EACH,
     .sql = "SELECT " SUMMARY_COLS " FROM payment_summary"
            " WHERE month = ?2 AND " UNDER(
                "township_code", "?1") " GROUP BY item_code, urban_rural"
                                       " ORDER BY item_code, urban_rural"},
    /* new cases by entitlement_start, stops and changes in effect by
     * entitlement_change_effect, each in the region by the entitlement's
     * village */
    {STMT_CASELOAD_MOVE_EACH,
     .sql =
         "SELECT 'new' AS kind, item_code, count(*) AS cases"
         " FROM entitlement WHERE start_month = ?2"
         " AND " UNDER(
             "region_code",
             "?1") " GROUP BY item_code"
                   " UNION ALL SELECT CASE c.event WHEN 'stop' THEN 'stopped'"
                   " ELSE 'changed' END, e.item_code, count(DISTINCT e.id)"
                   " FROM entitlement_change c"
                   " JOIN entitlement e ON e.id = c.entitlement_id"
                   " WHERE c.effect_month = ?2 AND c.event IN ('stop', "
                   "'increase',"
                   " 'decrease', 'phaseout') AND " UNDER(
                       "e.region_code",
                       "?1") " GROUP BY CASE c.event WHEN 'stop' THEN 'stopped'"
                             " ELSE 'changed' END, e.item_code"},
    /* months [?2, ?3] by county: a range of payment_summary_key */
    {STMT_PAYMENT_TREND_EACH,
     .sql = "SELECT " TREND_COLS " FROM payment_summary"
            " WHERE month >= ?2 AND month <= ?3"
            " AND " UNDER("township_code",
                          "?1") " AND (CAST(?4 AS TEXT) = '' OR item_code = ?4)"
                                " GROUP BY month, substr(township_code, 1, 6)"
                                " ORDER BY month, substr(township_code, 1, 6)"},
};

const struct stmt_family store_stmts_payment_reports =
    STMT_FAMILY("payment_reports", stmts);

enum dd_status
store_payment_summary_add_batch(struct store_tx *tx, int64_t batch_id)
{
    struct summary_key k;
    enum dd_status rc = store_get_by(tx, STMT_PAYMENT_SUMMARY_BATCH,
                                     KEY_INT(batch_id), row_to_summary_key, &k);
    if (rc != DD_OK)
        return rc;
    struct store_param clear[] = {P_TEXT(k.month), P_TEXT(k.item_code),
                                  P_TEXT(k.county_code)};
    rc = store_write(tx, STMT_PAYMENT_SUMMARY_CLEAR, clear, NPARAMS(clear));
    if (rc != DD_OK)
        return rc;
    struct store_param fill[] = {P_TEXT(k.county_code), P_TEXT(k.item_code),
                                 P_TEXT(k.month), P_INT(batch_id)};
    return store_write(tx, STMT_PAYMENT_SUMMARY_FILL, fill, NPARAMS(fill));
}

EACH_CALL(call_summary, store_payment_summary_fn)

enum dd_status
store_payment_summary_each(struct store_tx *tx, const char *region_prefix,
                           const char *month, store_payment_summary_fn fn,
                           void *ctx)
{
    struct payment_summary_row row;
    struct store_param p[] = {P_TEXT(region_prefix), P_TEXT(month)};
    return store_each(tx, STMT_PAYMENT_SUMMARY_EACH, p, NPARAMS(p),
                      row_to_summary, &row, call_summary, (store_any_fn)fn,
                      ctx);
}

EACH_CALL(call_move, store_caseload_move_fn)

enum dd_status
store_caseload_move_each(struct store_tx *tx, const char *region_prefix,
                         const char *month, store_caseload_move_fn fn,
                         void *ctx)
{
    struct caseload_move_row row;
    struct store_param p[] = {P_TEXT(region_prefix), P_TEXT(month)};
    return store_each(tx, STMT_CASELOAD_MOVE_EACH, p, NPARAMS(p), row_to_move,
                      &row, call_move, (store_any_fn)fn, ctx);
}

EACH_CALL(call_trend, store_payment_trend_fn)

enum dd_status
store_payment_trend_each(struct store_tx *tx, const char *region_prefix,
                         const char *from, const char *to,
                         const char *item_code, store_payment_trend_fn fn,
                         void *ctx)
{
    struct payment_trend_row row;
    struct store_param p[] = {P_TEXT(region_prefix), P_TEXT(from), P_TEXT(to),
                              P_TEXT(item_code)};
    return store_each(tx, STMT_PAYMENT_TREND_EACH, p, NPARAMS(p), row_to_trend,
                      &row, call_trend, (store_any_fn)fn, ctx);
}
