/* SPDX-License-Identifier: MIT */
/* The caseload (在保对象, migration 16): the entitlement an approval
 * opens, its state, version and amount now decided, the pages of the
 * caseload in a region, and its append-only history of decisions
 * (entitlement_change). */
#include "store/store.h"

#include <string.h>

#include "core/timeutil.h"
#include "store/store_internal.h"

#define ENTITLEMENT_COLS                                                       \
    "id, county_code, household_id, item_code, case_item_id, monthly_fen, "    \
    "start_month, end_month, state, created_at, version, amount_fen, "         \
    "region_code, coalesce(payee_person_id, 0), stop_reason, "                \
    "stop_publicity_from, stop_publicity_days, stop_publicity_reason"
ROW_MAPPER(row_to_entitlement, struct entitlement_row, COL(id),
           COL(county_code), COL(household_id), COL(item_code),
           COL(case_item_id), COL(monthly_fen), COL(start_month),
           COL(end_month), COL(state), COL(created_at), COL(version),
           COL(amount_fen), COL(region_code), COL(payee_person_id),
           COL(stop_reason), COL(publicity_from), COL(publicity_days),
           COL(publicity_reason))

#define CHANGE_COLS                                                            \
    "id, entitlement_id, county_code, seq, event, effect_month, amount_fen, "  \
    "months, reason_code, reason_text, decided_by, decided_on, "               \
    "coalesce(case_item_id, 0), coalesce(review_id, 0), created_at"
ROW_MAPPER(row_to_change, struct entitlement_change_row, COL(id),
           COL(entitlement_id), COL(county_code), COL(seq), COL(event),
           COL(effect_month), COL(amount_fen), COL(months), COL(reason_code),
           COL(reason_text), COL(decided_by), COL(decided_on),
           COL(case_item_id), COL(review_id), COL(created_at))

/* The caseload page's row (store.h: entitlement_list_row): the
 * entitlement's columns, then the page's own. */
static void
row_to_list_entry(struct col_cursor *c, void *out)
{
    struct entitlement_list_row *l = out;
    row_to_entitlement(c, &l->e);
    CUR_TEXT(c, l->next_review_day);
    l->head_person_id = cur_int(c);
    CUR_TEXT(c, l->head_name);
    CUR_TEXT(c, l->payee_name);
}

/* the due day of the entitlement's open or proposed review (at most one) */
#define OPEN_REVIEW                                                            \
    "SELECT r.due_day FROM review r WHERE r.entitlement_id = entitlement.id"  \
    " AND r.state IN ('open', 'proposed')"
/* the household's head: its applicant (relation 0), else its first member */
#define HEAD_OF                                                                \
    "SELECT h.id FROM person h"                                                \
    " WHERE h.household_id = entitlement.household_id"                         \
    " ORDER BY h.relation <> 0, h.id LIMIT 1"

static const struct stmt_text stmts[] = {
    /* an entitlement from an approval, paid to the payee the caller's
     * rule names (cases/payees.h; 0 = nobody yet) */
    {STMT_ENTITLEMENT_INSERT,
     .sql = "INSERT INTO entitlement(county_code, household_id,"
            " item_code, case_item_id, monthly_fen, start_month,"
            " end_month, state, created_at, version, amount_fen,"
            " region_code, payee_person_id) VALUES (?1, ?2, ?3, ?4, ?5,"
            " ?6, ?7, ?8, ?9, 1, ?5, ?10, NULLIF(?11, 0))"
            " RETURNING id"},
    {STMT_ENTITLEMENT_GET,
     .sql = "SELECT " ENTITLEMENT_COLS " FROM entitlement WHERE id = ?1"},
    {STMT_ENTITLEMENT_BY_CASE_ITEM, .sql = "SELECT " ENTITLEMENT_COLS
                                           " FROM entitlement"
                                           " WHERE case_item_id = ?1"},
    {STMT_ENTITLEMENT_ACTIVE_OF_HOUSEHOLD,
     .sql = "SELECT " ENTITLEMENT_COLS " FROM entitlement"
            " WHERE household_id = ?1 AND state = 'active'"
            " ORDER BY id LIMIT ?2"},
    /* a household's entitlements in every state (entitlement_by_household) */
    {STMT_ENTITLEMENT_OF_HOUSEHOLD,
     .sql = "SELECT " ENTITLEMENT_COLS " FROM entitlement"
            " WHERE household_id = ?1 ORDER BY id LIMIT ?2"},
    /* a decision or a stop's 公示, at the version read */
    {STMT_ENTITLEMENT_UPDATE,
     .sql = "UPDATE entitlement SET state = ?3, amount_fen = ?4,"
            " stop_reason = ?5, stop_publicity_from = ?6,"
            " stop_publicity_days = ?7, stop_publicity_reason = ?8,"
            " version = version + 1"
            " WHERE id = ?1 AND version = ?2 RETURNING version"},
    /* a page of the caseload: the region prefix is a range of
     * entitlement_scope ('9' < ';'; codes sort bytewise, COLLATE "C" on
     * PostgreSQL), then state and item in the same index; the cursor's
     * "+id" keeps SQLite from walking the whole table in id order
     * instead (a township's page in a city's caseload) */
    /* Each row also carries its open review's due day (a probe of
     * review_open_once, the one review open or proposed), the
     * household head (the applicant, else the first member: as
     * cases_applicant) and the payee's name (probes of person_by_household
     * and person's key); review_due_before keeps the rows whose open
     * review is due on or before that day. */
    {STMT_ENTITLEMENT_PAGE,
     .sql = "SELECT " ENTITLEMENT_COLS ", coalesce((" OPEN_REVIEW
            "), ''), coalesce((" HEAD_OF "), 0),"
            " coalesce((SELECT p.name FROM person p WHERE p.id = (" HEAD_OF
            ")), ''), coalesce((SELECT p.name FROM person p"
            " WHERE p.id = entitlement.payee_person_id), '')"
            " FROM entitlement"
            " WHERE region_code >= ?1"
            " AND region_code < CAST(?1 AS TEXT) || ';'"
            " AND (CAST(?2 AS TEXT) = '' OR state = ?2)"
            " AND (CAST(?3 AS TEXT) = '' OR item_code = ?3)"
            " AND amount_fen >= ?4 AND amount_fen <= ?5 AND +id > ?6"
            " AND (CAST(?8 AS TEXT) = '' OR (" OPEN_REVIEW ") <= ?8)"
            " ORDER BY id LIMIT ?7"},
    /* a change (a seq taken meanwhile is the unique key's conflict) */
    {STMT_ENTITLEMENT_CHANGE_INSERT,
     .sql = "INSERT INTO entitlement_change(entitlement_id, county_code,"
            " seq, event, effect_month, amount_fen, months, reason_code,"
            " reason_text, decided_by, decided_on, case_item_id,"
            " review_id, created_at) VALUES (?1, ?2, ?14, ?3, ?4, ?5, ?6,"
            " ?7, ?8, ?9, ?10, NULLIF(?11, 0), NULLIF(?12, 0), ?13)"
            " RETURNING id"},
    {STMT_ENTITLEMENT_CHANGE_LIST,
     .sql = "SELECT " CHANGE_COLS " FROM entitlement_change"
            " WHERE entitlement_id = ?1 ORDER BY seq LIMIT ?2"},
    /* a page of every entitlement after a cursor id, in id order (the
     * primary key's range: `doudi check`) */
    {STMT_ENTITLEMENT_AFTER, .sql = "SELECT " ENTITLEMENT_COLS
                                    " FROM entitlement WHERE id > ?1"
                                    " ORDER BY id LIMIT ?2"},
    /* an entitlement's latest change */
    {STMT_ENTITLEMENT_CHANGE_LAST,
     .sql = "SELECT " CHANGE_COLS " FROM entitlement_change"
            " WHERE entitlement_id = ?1 ORDER BY seq DESC LIMIT 1"},
};

const struct stmt_family store_stmts_entitlements =
    STMT_FAMILY("entitlements", stmts);

enum dd_status
store_entitlement_insert(struct store_tx *tx, struct entitlement_row *e)
{
    if (e->created_at == 0)
        e->created_at = time_now();
    struct store_param p[] = {P_TEXT(e->county_code), P_INT(e->household_id),
                              P_TEXT(e->item_code),   P_INT(e->case_item_id),
                              P_INT(e->monthly_fen),  P_TEXT(e->start_month),
                              P_TEXT(e->end_month),   P_TEXT(e->state),
                              P_INT(e->created_at),   P_TEXT(e->region_code),
                              P_INT(e->payee_person_id)};
    enum dd_status rc =
        store_insert_id(tx, STMT_ENTITLEMENT_INSERT, p, NPARAMS(p), &e->id);
    if (rc == DD_OK) {
        e->version = 1;
        e->amount_fen = e->monthly_fen;
    }
    return rc;
}

enum dd_status
store_entitlement_get(struct store_tx *tx, int64_t id,
                      struct entitlement_row *out)
{
    return store_get_by(tx, STMT_ENTITLEMENT_GET, KEY_INT(id),
                        row_to_entitlement, out);
}

enum dd_status
store_entitlement_by_case_item(struct store_tx *tx, int64_t case_item_id,
                               struct entitlement_row *out)
{
    return store_get_by(tx, STMT_ENTITLEMENT_BY_CASE_ITEM,
                        KEY_INT(case_item_id), row_to_entitlement, out);
}

enum dd_status
store_entitlement_active_of_household(struct store_tx *tx, int64_t household_id,
                                      struct entitlement_row *out, size_t max,
                                      size_t *count)
{
    return store_list_by(tx, STMT_ENTITLEMENT_ACTIVE_OF_HOUSEHOLD,
                         KEY_INT(household_id), row_to_entitlement, out,
                         sizeof(*out), max, count);
}

enum dd_status
store_entitlement_of_household(struct store_tx *tx, int64_t household_id,
                               struct entitlement_row *out, size_t max,
                               size_t *count)
{
    return store_list_by(tx, STMT_ENTITLEMENT_OF_HOUSEHOLD,
                         KEY_INT(household_id), row_to_entitlement, out,
                         sizeof(*out), max, count);
}

enum dd_status
store_entitlement_update(struct store_tx *tx, struct entitlement_row *e)
{
    struct store_param p[] = {P_INT(e->id), P_INT(e->version), P_TEXT(e->state),
                              P_INT(e->amount_fen), P_TEXT(e->stop_reason),
                              P_TEXT(e->publicity_from),
                              P_INT(e->publicity_days),
                              P_TEXT(e->publicity_reason)};
    return store_update_versioned(tx, STMT_ENTITLEMENT_UPDATE, p, NPARAMS(p),
                                  STMT_ENTITLEMENT_GET, e->id, &e->version);
}

enum dd_status
store_entitlement_page(struct store_tx *tx, const struct entitlement_filter *f,
                       struct entitlement_list_row *out, size_t max,
                       size_t *count)
{
    struct store_param p[] = {P_TEXT(f->region_prefix ? f->region_prefix : ""),
                              P_TEXT(f->state ? f->state : ""),
                              P_TEXT(f->item_code ? f->item_code : ""),
                              P_INT(f->min_fen),
                              P_INT(f->max_fen),
                              P_INT(f->after_id),
                              P_INT(store_limit(max)),
                              P_TEXT(f->review_due_before
                                         ? f->review_due_before
                                         : "")};
    return store_get_many(tx, STMT_ENTITLEMENT_PAGE, p, NPARAMS(p),
                          row_to_list_entry, out, sizeof(*out), max, count);
}

enum dd_status
store_entitlement_change_insert(struct store_tx *tx,
                                struct entitlement_change_row *c)
{
    if (c->created_at == 0)
        c->created_at = time_now();
    struct store_param p[] = {
        P_INT(c->entitlement_id), P_TEXT(c->county_code), P_TEXT(c->event),
        P_TEXT(c->effect_month),  P_INT(c->amount_fen),   P_INT(c->months),
        P_TEXT(c->reason_code),   P_TEXT(c->reason_text), P_TEXT(c->decided_by),
        P_TEXT(c->decided_on),    P_INT(c->case_item_id), P_INT(c->review_id),
        P_INT(c->created_at),     P_INT(c->seq)};
    return store_insert_id(tx, STMT_ENTITLEMENT_CHANGE_INSERT, p, NPARAMS(p),
                           &c->id);
}

enum dd_status
store_entitlement_change_list(struct store_tx *tx, int64_t entitlement_id,
                              struct entitlement_change_row *out, size_t max,
                              size_t *count)
{
    return store_list_by(tx, STMT_ENTITLEMENT_CHANGE_LIST,
                         KEY_INT(entitlement_id), row_to_change, out,
                         sizeof(*out), max, count);
}

enum dd_status
store_entitlement_after(struct store_tx *tx, int64_t after_id,
                        struct entitlement_row *out, size_t max, size_t *count)
{
    struct store_param p[] = {P_INT(after_id), P_INT(store_limit(max))};
    return store_get_many(tx, STMT_ENTITLEMENT_AFTER, p, NPARAMS(p),
                          row_to_entitlement, out, sizeof(*out), max, count);
}

enum dd_status
store_entitlement_change_last(struct store_tx *tx, int64_t entitlement_id,
                              struct entitlement_change_row *out)
{
    return store_get_by(tx, STMT_ENTITLEMENT_CHANGE_LAST,
                        KEY_INT(entitlement_id), row_to_change, out);
}
