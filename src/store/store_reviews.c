/* SPDX-License-Identifier: MIT */
/* Reviews (定期核查 and 复核, migration 19): one entitlement's review task
 * in the township inbox, opened with its due day, the facts recorded and
 * the engine's answer, the township's proposal and the decision; the
 * inbox's pages over the region range of review_scope, and the
 * entitlements a schedule run has still to give a review. */
#include "store/store.h"

#include <string.h>

#include "core/timeutil.h"
#include "store/store_internal.h"

#define REVIEW_COLS                                                            \
    "id, entitlement_id, household_id, county_code, township_code, "           \
    "region_code, item_code, ground, due_day, state, facts_at, eligible, "     \
    "computed_fen, irregular, card_expiry, proposal, proposed_amount_fen, "    \
    "proposed_months, stop_reason, reason_text, proposed_by, proposed_at, "    \
    "decided_by, decided_at, coalesce(change_id, 0), version, created_at"
ROW_MAPPER(row_to_review, struct review_row, COL(id), COL(entitlement_id),
           COL(household_id), COL(county_code), COL(township_code),
           COL(region_code), COL(item_code), COL(ground), COL(due_day),
           COL(state), COL(facts_at), COL(eligible), COL(computed_fen),
           COL(irregular), COL(card_expiry), COL(proposal),
           COL(proposed_amount_fen), COL(proposed_months), COL(stop_reason),
           COL(reason_text), COL(proposed_by), COL(proposed_at),
           COL(decided_by), COL(decided_at), COL(change_id), COL(version),
           COL(created_at))

static const struct stmt_text stmts[] = {
    {STMT_REVIEW_INSERT,
     .sql = "INSERT INTO review(entitlement_id, household_id, county_code,"
            " township_code, region_code, item_code, ground, due_day,"
            " state, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
            " 'open', ?9) RETURNING id"},
    {STMT_REVIEW_GET,
     .sql = "SELECT " REVIEW_COLS " FROM review WHERE id = ?1"},
    /* the partial unique index review_open_once holds at most one */
    {STMT_REVIEW_OPEN_OF, .sql = "SELECT " REVIEW_COLS
                                 " FROM review WHERE entitlement_id = ?1"
                                 " AND state IN ('open', 'proposed')"},
    {STMT_REVIEW_UPDATE,
     .sql = "UPDATE review SET ground = ?3, due_day = ?4, state = ?5,"
            " facts_at = ?6, eligible = ?7, computed_fen = ?8,"
            " irregular = ?9, proposal = ?10, proposed_amount_fen = ?11,"
            " proposed_months = ?12, stop_reason = ?13, reason_text = ?14,"
            " proposed_by = ?15, proposed_at = ?16, decided_by = ?17,"
            " decided_at = ?18, change_id = NULLIF(?19, 0),"
            " card_expiry = ?20,"
            " version = version + 1"
            " WHERE id = ?1 AND version = ?2 RETURNING version"},
    {STMT_REVIEW_FACTS_SET,
     .sql = "UPDATE review SET facts_json = ?2, explanation_json = ?3"
            " WHERE id = ?1"},
    {STMT_REVIEW_FACTS_GET,
     .sql = "SELECT facts_json, explanation_json FROM review WHERE id = ?1"},
    /* the inbox: the region prefix is a range of review_scope ('9' <
     * ';', codes sort bytewise), then state and due day in the same
     * index; "+id" as the caseload's page keeps SQLite on that range */
    {STMT_REVIEW_PAGE, .sql = "SELECT " REVIEW_COLS " FROM review"
                              " WHERE region_code >= ?1"
                              " AND region_code < CAST(?1 AS TEXT) || ';'"
                              " AND (CAST(?2 AS TEXT) = '' OR state = ?2)"
                              " AND (CAST(?3 AS TEXT) = '' OR item_code = ?3)"
                              " AND (CAST(?4 AS TEXT) = '' OR due_day <= ?4)"
                              " AND +id > ?5 ORDER BY id LIMIT ?6"},
    /* the county's entitlements not stopped with no review open or
     * proposed: the county is a range of entitlement_scope (as the
     * caseload's page), the review a probe of review_open_once */
    {STMT_REVIEW_UNSCHEDULED,
     .sql = "SELECT e.id FROM entitlement e WHERE e.region_code >= ?1"
            " AND e.region_code < CAST(?1 AS TEXT) || ';'"
            " AND e.state <> 'stopped' AND +e.id > ?2 AND NOT EXISTS"
            " (SELECT 1 FROM review r WHERE r.entitlement_id = e.id"
            " AND r.state IN ('open', 'proposed'))"
            " ORDER BY e.id LIMIT ?3"},
};

const struct stmt_family store_stmts_reviews = STMT_FAMILY("reviews", stmts);

enum dd_status
store_review_insert(struct store_tx *tx, struct review_row *r)
{
    if (r->created_at == 0)
        r->created_at = time_now();
    struct store_param p[] = {
        P_INT(r->entitlement_id), P_INT(r->household_id),
        P_TEXT(r->county_code),   P_TEXT(r->township_code),
        P_TEXT(r->region_code),   P_TEXT(r->item_code),
        P_TEXT(r->ground),        P_TEXT(r->due_day),
        P_INT(r->created_at)};
    enum dd_status rc =
        store_insert_id(tx, STMT_REVIEW_INSERT, p, NPARAMS(p), &r->id);
    if (rc == DD_OK) {
        r->version = 1;
        str_copy(r->state, sizeof(r->state), "open");
    }
    return rc;
}

enum dd_status
store_review_get(struct store_tx *tx, int64_t id, struct review_row *out)
{
    return store_get_by(tx, STMT_REVIEW_GET, KEY_INT(id), row_to_review, out);
}

enum dd_status
store_review_open_of(struct store_tx *tx, int64_t entitlement_id,
                     struct review_row *out)
{
    return store_get_by(tx, STMT_REVIEW_OPEN_OF, KEY_INT(entitlement_id),
                        row_to_review, out);
}

enum dd_status
store_review_update(struct store_tx *tx, struct review_row *r)
{
    struct store_param p[] = {P_INT(r->id),
                              P_INT(r->version),
                              P_TEXT(r->ground),
                              P_TEXT(r->due_day),
                              P_TEXT(r->state),
                              P_INT(r->facts_at),
                              P_INT(r->eligible),
                              P_INT(r->computed_fen),
                              P_INT(r->irregular),
                              P_TEXT(r->proposal),
                              P_INT(r->proposed_amount_fen),
                              P_INT(r->proposed_months),
                              P_TEXT(r->stop_reason),
                              P_TEXT(r->reason_text),
                              P_TEXT(r->proposed_by),
                              P_INT(r->proposed_at),
                              P_TEXT(r->decided_by),
                              P_INT(r->decided_at),
                              P_INT(r->change_id),
                              P_TEXT(r->card_expiry)};
    return store_update_versioned(tx, STMT_REVIEW_UPDATE, p, NPARAMS(p),
                                  STMT_REVIEW_GET, r->id, &r->version);
}

enum dd_status
store_review_facts_set(struct store_tx *tx, int64_t id, const char *facts_json,
                       const char *explanation_json)
{
    struct store_param p[] = {P_INT(id), P_TEXT(facts_json),
                              P_TEXT(explanation_json)};
    return store_write(tx, STMT_REVIEW_FACTS_SET, p, NPARAMS(p));
}

/* The two texts into the caller's buffers. */
struct facts_out {
    char *facts, *explanation;
    size_t facts_cap, explanation_cap;
};

static void
row_to_facts(struct col_cursor *c, void *out)
{
    struct facts_out *f = out;
    cur_copy(c, f->facts, f->facts_cap);
    cur_copy(c, f->explanation, f->explanation_cap);
}

enum dd_status
store_review_facts_get(struct store_tx *tx, int64_t id, char *facts,
                       size_t facts_cap, char *explanation,
                       size_t explanation_cap)
{
    struct facts_out f = {facts, explanation, facts_cap, explanation_cap};
    return store_get_by(tx, STMT_REVIEW_FACTS_GET, KEY_INT(id), row_to_facts,
                        &f);
}

enum dd_status
store_review_page(struct store_tx *tx, const struct review_filter *f,
                  struct review_row *out, size_t max, size_t *count)
{
    struct store_param p[] = {P_TEXT(f->region_prefix ? f->region_prefix : ""),
                              P_TEXT(f->state ? f->state : ""),
                              P_TEXT(f->item_code ? f->item_code : ""),
                              P_TEXT(f->due_before ? f->due_before : ""),
                              P_INT(f->after_id),
                              P_INT(store_limit(max))};
    return store_get_many(tx, STMT_REVIEW_PAGE, p, NPARAMS(p), row_to_review,
                          out, sizeof(*out), max, count);
}

static void
row_to_id(struct col_cursor *c, void *out)
{
    *(int64_t *)out = cur_int(c);
}

enum dd_status
store_review_unscheduled(struct store_tx *tx, const char *county,
                         int64_t after_id, int64_t *out, size_t max,
                         size_t *count)
{
    struct store_param p[] = {P_TEXT(county), P_INT(after_id),
                              P_INT(store_limit(max))};
    return store_get_many(tx, STMT_REVIEW_UNSCHEDULED, p, NPARAMS(p), row_to_id,
                          out, sizeof(*out), max, count);
}
