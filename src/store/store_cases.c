/* SPDX-License-Identifier: MIT */
/* Intake and case handling (migration 7): case numbers, applications,
 * their case items and every transition of one (case_event), referrals,
 * 公示 rows and objections, and a case item's history as a household's
 * file or a citizen's own applications show it (migration 8); the
 * entitlements are store_entitlements.c's. */
#include "store/store.h"

#include <string.h>

#include "core/timeutil.h"
#include "store/store_internal.h"

/* The columns each row mapper reads, in order, each followed by its
 * mapper: the fields they fill (ROW_MAPPER). */
#define APPLICATION_COLS                                                       \
    "id, case_no, county_code, household_id, channel, intake_region, "        \
    "intake_user, query_code_hash, applied_on, missing, created_at, "         \
    "coalesce(citizen_hash, '')"
ROW_MAPPER(row_to_application, struct application_row, COL(id), COL(case_no),
           COL(county_code), COL(household_id), COL(channel),
           COL(intake_region), COL(intake_user), COL(query_code_hash),
           COL(applied_on), COL(missing), COL(created_at), COL(citizen_hash))

#define CASE_ITEM_COLS                                                         \
    "c.id, c.application_id, c.county_code, c.household_id, c.village_code, " \
    "c.intake_region, c.item_code, c.catalog_version, c.owner_region, "       \
    "c.owner_department, c.step, c.state, c.accepted_on, c.deadline, "        \
    "c.deadline_uncovered, c.step_started_on, c.step_deadline, "              \
    "c.paused_since, c.paused_working_days, c.version, c.decision, "          \
    "c.amount_fen, c.reasons, c.missing, c.visits, c.spot_check, "            \
    "c.closed_on, c.created_at, c.updated_at, a.case_no"
ROW_MAPPER(row_to_case_item, struct case_item_row, COL(id), COL(application_id),
           COL(county_code), COL(household_id), COL(village_code),
           COL(intake_region), COL(item_code), COL(catalog_version),
           COL(owner_region), COL(owner_department), COL(step), COL(state),
           COL(accepted_on), COL(deadline), COL(deadline_uncovered),
           COL(step_started_on), COL(step_deadline), COL(paused_since),
           COL(paused_working_days), COL(version), COL(decision),
           COL(amount_fen), COL(reasons), COL(missing), COL(visits),
           COL(spot_check), COL(closed_on), COL(created_at), COL(updated_at),
           COL(case_no))

#define CASE_STEP_COLS "item_code, catalog_version, step, count(*)"
ROW_MAPPER(row_to_case_step, struct case_step_count, COL(item_code),
           COL(catalog_version), COL(step), COL(count))

#define CASE_EVENT_COLS                                                        \
    "id, case_item_id, county_code, seq, step_from, step_to, action, actor, " \
    "role, region, at, day, reasons, fields, visit"
ROW_MAPPER(row_to_case_event, struct case_event_row, COL(id), COL(case_item_id),
           COL(county_code), COL(seq), COL(step_from), COL(step_to),
           COL(action), COL(actor), COL(role), COL(region), COL(at), COL(day),
           COL(reasons), COL(fields), COL(visit))

#define REFERRAL_COLS                                                          \
    "id, case_item_id, county_code, department, region, sent_at, "            \
    "accepted_at, answered_at, result"
ROW_MAPPER(row_to_referral, struct referral_row, COL(id), COL(case_item_id),
           COL(county_code), COL(department), COL(region), COL(sent_at),
           COL(accepted_at), COL(answered_at), COL(result))

#define PUBLICITY_COLS                                                         \
    "id, case_item_id, county_code, village_code, item_code, masked_name, "   \
    "household_size, amount_fen, start_day, end_day, state, created_at"
ROW_MAPPER(row_to_publicity, struct publicity_row, COL(id), COL(case_item_id),
           COL(county_code), COL(village_code), COL(item_code),
           COL(masked_name), COL(household_size), COL(amount_fen),
           COL(start_day), COL(end_day), COL(state), COL(created_at))

/* A case item with its application (CASE_ITEM_COLS) */
#define CASE_ITEM_FROM                                                         \
    " FROM case_item c JOIN application a ON a.id = c.application_id"
/* CASE_ITEM_COLS, then its application's channel and day, its decision
 * day, its entitlement (zeros when none) and its explanation: what
 * row_to_case_history reads */
#define CASE_HISTORY_SELECT                                                    \
    "SELECT " CASE_ITEM_COLS ", a.channel, a.applied_on,"                     \
    " CASE WHEN c.decision = '' THEN '' ELSE coalesce((SELECT max(e.day)"     \
    " FROM case_event e WHERE e.case_item_id = c.id AND (e.step_to ="         \
    " 'notify' OR (e.step_to = 'closed' AND e.step_from <> 'notify'))),"      \
    " c.closed_on) END, coalesce(n.id, 0), coalesce(n.monthly_fen, 0),"       \
    " coalesce(n.start_month, ''), coalesce(n.end_month, ''),"                \
    " coalesce(n.state, ''), coalesce(n.created_at, 0), c.explanation"        \
    CASE_ITEM_FROM " LEFT JOIN entitlement n ON n.case_item_id = c.id"

static const struct stmt_text stmts[] = {
    /* the next case number of a county and year, allocated in the
     * caller's transaction */
    {STMT_CASE_SEQ_NEXT,
     .sql = "INSERT INTO case_seq(county_code, year, last_no)"
            " VALUES (?1, ?2, 1) ON CONFLICT (county_code, year)"
            " DO UPDATE SET last_no = case_seq.last_no + 1"
            " RETURNING last_no"},
    /* a new application */
    {STMT_APPLICATION_INSERT,
     .sql = "INSERT INTO application(case_no, county_code, household_id,"
            " channel, intake_region, intake_user, query_code_hash,"
            " applied_on, missing, created_at, citizen_hash) VALUES (?1,"
            " ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, NULLIF(?11, ''))"
            " RETURNING id"},
    /* one application by id */
    {STMT_APPLICATION_GET,
     .sql = "SELECT " APPLICATION_COLS " FROM application WHERE id = ?1"},
    /* one application by case number */
    {STMT_APPLICATION_BY_CASE_NO,
     .sql = "SELECT " APPLICATION_COLS
            " FROM application WHERE case_no = ?1"},
    /* how many applications a citizen filed on a day (the daily limit;
     * application_by_citizen_day) */
    {STMT_APPLICATION_CITIZEN_DAY,
     .sql = "SELECT count(*) FROM application"
            " WHERE citizen_hash = ?1 AND applied_on = ?2"},
    /* the citizen's lock until the transaction ends, taken before that
     * count: on PostgreSQL (read committed) two filings by one citizen
     * would otherwise both count the same day and both pass; SQLite's
     * write transactions already run one at a time */
    {STMT_APPLICATION_CITIZEN_LOCK,
     .sqlite = "SELECT ?1",
     .pg = "SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))"},
    /* a household's items of one catalog item not closed (no duplicate
     * application; case_item_by_household) */
    {STMT_CASE_ITEM_OPEN_OF_HOUSEHOLD,
     .sql = "SELECT count(*) FROM case_item WHERE household_id = ?1"
            " AND item_code = ?2 AND state <> 'closed'"},
    /* whether a household is a citizen's declaration not yet verified */
    {STMT_HOUSEHOLD_UNVERIFIED,
     .sql = "SELECT unverified FROM household WHERE id = ?1"},
    {STMT_HOUSEHOLD_DECLARED,
     .sql = "UPDATE household SET unverified = 1 WHERE id = ?1"
            " RETURNING id"},
    /* a township verified a declared household: it joins the registry */
    {STMT_HOUSEHOLD_VERIFY,
     .sql = "UPDATE household SET unverified = 0, status = 'active',"
            " version = version + 1, updated_at = ?2"
            " WHERE id = ?1 AND unverified = 1 RETURNING id"},
    /* its members become active: a person active elsewhere violates the
     * unique index (DD_ECONFLICT) */
    {STMT_PERSON_ACTIVATE,
     .sql = "UPDATE person SET active_id_hash = id_hash"
            " WHERE household_id = ?1"},
    /* a new case item */
    {STMT_CASE_ITEM_INSERT,
     .sql = "INSERT INTO case_item(application_id, county_code,"
            " household_id, village_code, intake_region, item_code,"
            " catalog_version, owner_region, owner_department, step,"
            " state, accepted_on, deadline, deadline_uncovered,"
            " step_started_on, step_deadline, paused_since,"
            " paused_working_days, missing, visits, spot_check,"
            " created_at, updated_at, version) VALUES (?1, ?2, ?3, ?4,"
            " ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
            " ?18, ?19, ?20, ?21, ?22, ?22, 1) RETURNING id"},
    /* one case item with its case number */
    {STMT_CASE_ITEM_GET,
     .sql = "SELECT " CASE_ITEM_COLS CASE_ITEM_FROM " WHERE c.id = ?1"},
    /* rewrites a case item if its version is still ?2 */
    {STMT_CASE_ITEM_UPDATE,
     .sql = "UPDATE case_item SET owner_region = ?3,"
            " owner_department = ?4, step = ?5, state = ?6,"
            " deadline = ?7, deadline_uncovered = ?8,"
            " step_started_on = ?9, step_deadline = ?10,"
            " paused_since = ?11, paused_working_days = ?12,"
            " decision = ?13, amount_fen = ?14, reasons = ?15,"
            " missing = ?16, visits = ?17, spot_check = ?18,"
            " closed_on = ?19, updated_at = ?20, accepted_on = ?21,"
            " version = version + 1"
            " WHERE id = ?1 AND version = ?2 RETURNING version"},
    /* the items of one application */
    {STMT_CASE_ITEM_BY_APPLICATION,
     .sql = "SELECT " CASE_ITEM_COLS CASE_ITEM_FROM
            " WHERE c.application_id = ?1 ORDER BY c.id"},
    /* an inbox: items not closed of a department ('' = civil affairs)
     * owned by the office ?1 itself, or under it and past their deadline
     * (before the day ?4), soonest deadline first: the office's range of
     * case_item_inbox ('9' < ';'), not a scan of the city's items */
    {STMT_CASE_ITEM_INBOX,
     .sql = "SELECT " CASE_ITEM_COLS CASE_ITEM_FROM
            " WHERE c.state <> 'closed'"
            " AND c.owner_region >= ?1"
            " AND c.owner_region < CAST(?1 AS TEXT) || ';'"
            " AND c.owner_department = ?2"
            " AND (c.owner_region = ?1 OR c.deadline < ?4)"
            " ORDER BY c.deadline, c.id LIMIT ?3"},
    /* the engine's explanation of a decision */
    {STMT_CASE_ITEM_EXPLANATION_SET,
     .sql = "UPDATE case_item SET explanation = ?2 WHERE id = ?1"},
    {STMT_CASE_ITEM_EXPLANATION_GET,
     .sql = "SELECT explanation FROM case_item WHERE id = ?1"},
    /* where the items not closed stand (start-up's template check) */
    {STMT_CASE_ITEM_STEPS,
     .sql = "SELECT " CASE_STEP_COLS
            " FROM case_item WHERE state <> 'closed'"
            " GROUP BY item_code, catalog_version, step"
            " ORDER BY item_code, catalog_version, step"},
    /* one transition; seq is the next of the item's */
    {STMT_CASE_EVENT_INSERT,
     .sql = "INSERT INTO case_event(case_item_id, county_code, seq,"
            " step_from, step_to, action, actor, role, region, at, day,"
            " reasons, fields, visit) VALUES (?1, ?2,"
            " (SELECT coalesce(max(seq), 0) + 1 FROM case_event"
            "  WHERE case_item_id = ?1), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
            " ?11, ?12, ?13) RETURNING id"},
    /* the timeline of an item */
    {STMT_CASE_EVENT_LIST,
     .sql = "SELECT " CASE_EVENT_COLS " FROM case_event"
            " WHERE case_item_id = ?1 ORDER BY seq LIMIT ?2"},
    /* a referral to a department */
    {STMT_REFERRAL_INSERT,
     .sql = "INSERT INTO referral(case_item_id, county_code, department,"
            " region, sent_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id"},
    {STMT_REFERRAL_UPDATE,
     .sql = "UPDATE referral SET accepted_at = ?2, answered_at = ?3,"
            " result = ?4 WHERE case_item_id = ?1"},
    {STMT_REFERRAL_GET,
     .sql = "SELECT " REFERRAL_COLS " FROM referral WHERE case_item_id = ?1"},
    /* whether a household has a referral to a department */
    {STMT_REFERRAL_DEPT_HOUSEHOLD,
     .sql = "SELECT count(*) FROM referral r"
            " JOIN case_item c ON c.id = r.case_item_id"
            " WHERE c.household_id = ?1 AND r.department = ?2"},
    /* a 公示 row */
    {STMT_PUBLICITY_INSERT,
     .sql = "INSERT INTO publicity(case_item_id, county_code,"
            " village_code, item_code, masked_name, household_size,"
            " amount_fen, start_day, end_day, state, created_at)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
            " RETURNING id"},
    {STMT_PUBLICITY_GET,
     .sql = "SELECT " PUBLICITY_COLS " FROM publicity WHERE id = ?1"},
    {STMT_PUBLICITY_UPDATE,
     .sql = "UPDATE publicity SET start_day = ?2, end_day = ?3,"
            " state = ?4 WHERE id = ?1"},
    /* the open 公示 of a village */
    {STMT_PUBLICITY_BY_VILLAGE,
     .sql = "SELECT " PUBLICITY_COLS " FROM publicity"
            " WHERE village_code = ?1 AND state = 'open'"
            " ORDER BY id LIMIT ?2"},
    {STMT_PUBLICITY_OPEN_OF_CASE,
     .sql = "SELECT " PUBLICITY_COLS " FROM publicity"
            " WHERE case_item_id = ?1 AND state = 'open'"},
    {STMT_OBJECTION_INSERT,
     .sql = "INSERT INTO objection(publicity_id, county_code, text,"
            " recorded_by, at, day) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
            " RETURNING id"},
    /* a household's items over time, newest application first, each
     * with its channel, the day it was decided (the transition into 告知,
     * or straight to 办结 for a filing), its entitlement and the engine's
     * explanation */
    {STMT_CASE_HISTORY_HOUSEHOLD,
     .sql = CASE_HISTORY_SELECT " WHERE c.household_id = ?1"
                                " ORDER BY c.application_id DESC, c.id"
                                " LIMIT ?2"},
    /* the same for the applications a citizen filed online */
    {STMT_CASE_HISTORY_CITIZEN,
     .sql = CASE_HISTORY_SELECT " WHERE a.citizen_hash = ?1"
                                " ORDER BY c.application_id DESC, c.id"
                                " LIMIT ?2"},
    /* the same for one application */
    {STMT_CASE_HISTORY_APPLICATION,
     .sql = CASE_HISTORY_SELECT " WHERE c.application_id = ?1"
                                " ORDER BY c.id LIMIT ?2"},
    /* a page of the items not closed whose clock reaches into the days
     * ?1..?2 (a calendar year given a new version), after the id ?3 */
    {STMT_CASE_ITEM_CALENDAR_PAGE,
     .sql = "SELECT " CASE_ITEM_COLS CASE_ITEM_FROM
            " WHERE c.state <> 'closed' AND c.accepted_on <= ?2"
            " AND (c.deadline >= ?1 OR c.step_deadline >= ?1)"
            " AND c.id > ?3 ORDER BY c.id LIMIT ?4"},
};

const struct stmt_family store_stmts_cases = STMT_FAMILY("cases", stmts);

/* ---- row mappers that are not a table ---- */

/* CASE_HISTORY_SELECT's columns. The entitlement's columns are zeros
 * when there is none; when there is one, the rest of it is the case
 * item's. */
static void
row_to_case_history(struct col_cursor *c, void *out)
{
    struct case_history_row *x = out;
    struct entitlement_row *n = &x->ent;
    row_to_case_item(c, &x->c);
    CUR_TEXT(c, x->channel);
    CUR_TEXT(c, x->applied_on);
    CUR_TEXT(c, x->decided_on);
    memset(n, 0, sizeof(*n));
    n->id = cur_int(c);
    n->monthly_fen = cur_int(c);
    CUR_TEXT(c, n->start_month);
    CUR_TEXT(c, n->end_month);
    CUR_TEXT(c, n->state);
    n->created_at = cur_int(c);
    if (n->id) {
        str_copy(n->county_code, sizeof(n->county_code), x->c.county_code);
        n->household_id = x->c.household_id;
        str_copy(n->item_code, sizeof(n->item_code), x->c.item_code);
        n->case_item_id = x->c.id;
    }
    x->explanation = cur_text(c);
}

/* ---- case numbers and applications ---- */

enum dd_status
store_case_seq_next(struct store_tx *tx, const char *county, int year,
                    int64_t *out)
{
    struct store_param p[] = {P_TEXT(county), P_INT(year)};
    return store_insert_id(tx, STMT_CASE_SEQ_NEXT, p, NPARAMS(p), out);
}

enum dd_status
store_application_insert(struct store_tx *tx, struct application_row *a)
{
    if (a->created_at == 0)
        a->created_at = time_now();
    struct store_param p[] = {
        P_TEXT(a->case_no),         P_TEXT(a->county_code),
        P_INT(a->household_id),     P_TEXT(a->channel),
        P_TEXT(a->intake_region),   P_TEXT(a->intake_user),
        P_TEXT(a->query_code_hash), P_TEXT(a->applied_on),
        P_TEXT(a->missing),         P_INT(a->created_at),
        P_TEXT(a->citizen_hash)};
    return store_insert_id(tx, STMT_APPLICATION_INSERT, p, NPARAMS(p), &a->id);
}

enum dd_status
store_application_get(struct store_tx *tx, int64_t id,
                      struct application_row *out)
{
    return store_get_by(tx, STMT_APPLICATION_GET, KEY_INT(id),
                        row_to_application, out);
}

enum dd_status
store_application_by_case_no(struct store_tx *tx, const char *case_no,
                             struct application_row *out)
{
    return store_get_by(tx, STMT_APPLICATION_BY_CASE_NO, KEY_TEXT(case_no),
                        row_to_application, out);
}

enum dd_status
store_application_citizen_day(struct store_tx *tx, const char *citizen_hash,
                              const char *day, int64_t *count)
{
    struct store_param p[] = {P_TEXT(citizen_hash), P_TEXT(day)};
    *count = 0;
    enum dd_status rc = store_run(tx, STMT_APPLICATION_CITIZEN_LOCK, p, 1);
    if (rc != DD_OK)
        return rc;
    return store_run_int(tx, STMT_APPLICATION_CITIZEN_DAY, p, NPARAMS(p),
                         count);
}

/* ---- self-declared households ---- */

enum dd_status
store_household_unverified(struct store_tx *tx, int64_t id, int *unverified)
{
    int64_t v = 0;
    struct store_param p[] = {P_INT(id)};
    enum dd_status rc =
        store_run_int(tx, STMT_HOUSEHOLD_UNVERIFIED, p, NPARAMS(p), &v);
    *unverified = v != 0;
    return rc;
}

enum dd_status
store_household_declared(struct store_tx *tx, int64_t id)
{
    return store_write_one_by(tx, STMT_HOUSEHOLD_DECLARED, KEY_INT(id));
}

enum dd_status
store_household_verify(struct store_tx *tx, int64_t id)
{
    struct store_param p[] = {P_INT(id), P_INT(time_now())};
    enum dd_status rc =
        store_write_one(tx, STMT_HOUSEHOLD_VERIFY, p, NPARAMS(p));
    if (rc == DD_OK)
        rc = store_write_by(tx, STMT_PERSON_ACTIVATE, KEY_INT(id));
    return rc;
}

/* ---- case items ---- */

enum dd_status
store_case_item_insert(struct store_tx *tx, struct case_item_row *c)
{
    c->created_at = c->updated_at = time_now();
    struct store_param p[] = {
        P_INT(c->application_id),    P_TEXT(c->county_code),
        P_INT(c->household_id),      P_TEXT(c->village_code),
        P_TEXT(c->intake_region),    P_TEXT(c->item_code),
        P_INT(c->catalog_version),   P_TEXT(c->owner_region),
        P_TEXT(c->owner_department), P_TEXT(c->step),
        P_TEXT(c->state),            P_TEXT(c->accepted_on),
        P_TEXT(c->deadline),         P_INT(c->deadline_uncovered),
        P_TEXT(c->step_started_on),  P_TEXT(c->step_deadline),
        P_TEXT(c->paused_since),     P_INT(c->paused_working_days),
        P_TEXT(c->missing),          P_INT(c->visits),
        P_INT(c->spot_check),        P_INT(c->created_at)};
    enum dd_status rc =
        store_insert_id(tx, STMT_CASE_ITEM_INSERT, p, NPARAMS(p), &c->id);
    if (rc == DD_OK)
        c->version = 1;
    return rc;
}

enum dd_status
store_case_item_get(struct store_tx *tx, int64_t id, struct case_item_row *out)
{
    return store_get_by(tx, STMT_CASE_ITEM_GET, KEY_INT(id), row_to_case_item,
                        out);
}

enum dd_status
store_case_item_update(struct store_tx *tx, struct case_item_row *c,
                       int64_t expected_version)
{
    enum dd_status rc = store_need_write(tx);
    if (rc != DD_OK)
        return rc;
    c->updated_at = time_now();
    struct store_param p[] = {
        P_INT(c->id),                P_INT(expected_version),
        P_TEXT(c->owner_region),     P_TEXT(c->owner_department),
        P_TEXT(c->step),             P_TEXT(c->state),
        P_TEXT(c->deadline),         P_INT(c->deadline_uncovered),
        P_TEXT(c->step_started_on),  P_TEXT(c->step_deadline),
        P_TEXT(c->paused_since),     P_INT(c->paused_working_days),
        P_TEXT(c->decision),         P_INT(c->amount_fen),
        P_TEXT(c->reasons),          P_TEXT(c->missing),
        P_INT(c->visits),            P_INT(c->spot_check),
        P_TEXT(c->closed_on),        P_INT(c->updated_at),
        P_TEXT(c->accepted_on)};
    return store_update_versioned(tx, STMT_CASE_ITEM_UPDATE, p, NPARAMS(p),
                                  STMT_CASE_ITEM_GET, c->id, &c->version);
}

enum dd_status
store_case_item_open_of_household(struct store_tx *tx, int64_t household_id,
                                  const char *item_code, int64_t *count)
{
    struct store_param p[] = {P_INT(household_id), P_TEXT(item_code)};
    *count = 0;
    return store_run_int(tx, STMT_CASE_ITEM_OPEN_OF_HOUSEHOLD, p, NPARAMS(p),
                         count);
}

enum dd_status
store_case_item_by_application(struct store_tx *tx, int64_t application_id,
                               struct case_item_row *out, size_t max,
                               size_t *count)
{
    struct store_param p[] = {P_INT(application_id)};
    return store_get_many(tx, STMT_CASE_ITEM_BY_APPLICATION, p, NPARAMS(p),
                          row_to_case_item, out, sizeof(*out), max, count);
}

enum dd_status
store_case_item_inbox(struct store_tx *tx, const char *region_prefix,
                      const char *department, const char *today,
                      struct case_item_row *out, size_t max, size_t *count)
{
    struct store_param p[] = {P_TEXT(region_prefix), P_TEXT(department),
                              P_INT(store_limit(max)), P_TEXT(today)};
    return store_get_many(tx, STMT_CASE_ITEM_INBOX, p, NPARAMS(p),
                          row_to_case_item, out, sizeof(*out), max, count);
}

enum dd_status
store_case_item_explanation_set(struct store_tx *tx, int64_t id,
                                const char *json)
{
    struct store_param p[] = {P_INT(id), P_TEXT(json)};
    return store_write(tx, STMT_CASE_ITEM_EXPLANATION_SET, p, NPARAMS(p));
}

/* The explanation into a caller's buffer of cap bytes. */
struct text_out {
    char *buf;
    size_t cap;
};

static void
row_to_text(struct col_cursor *c, void *out)
{
    struct text_out *x = out;
    cur_copy(c, x->buf, x->cap);
}

enum dd_status
store_case_item_explanation_get(struct store_tx *tx, int64_t id, char *out,
                                size_t cap)
{
    struct store_param p[] = {P_INT(id)};
    struct text_out x = {out, cap};
    return store_get_one(tx, STMT_CASE_ITEM_EXPLANATION_GET, p, NPARAMS(p),
                         row_to_text, &x);
}

STORE_EACH_FN(store_case_item_steps_each, store_case_step_fn,
              STMT_CASE_ITEM_STEPS, struct case_step_count, row_to_case_step)

/* ---- transitions ---- */

enum dd_status
store_case_event_insert(struct store_tx *tx, struct case_event_row *e)
{
    if (e->at == 0)
        e->at = time_now();
    struct store_param p[] = {
        P_INT(e->case_item_id), P_TEXT(e->county_code), P_TEXT(e->step_from),
        P_TEXT(e->step_to),     P_TEXT(e->action),      P_TEXT(e->actor),
        P_TEXT(e->role),        P_TEXT(e->region),      P_INT(e->at),
        P_TEXT(e->day),         P_TEXT(e->reasons),
        P_TEXT(e->fields[0] ? e->fields : "{}"),        P_INT(e->visit)};
    return store_insert_id(tx, STMT_CASE_EVENT_INSERT, p, NPARAMS(p), &e->id);
}

enum dd_status
store_case_event_list(struct store_tx *tx, int64_t case_item_id,
                      struct case_event_row *out, size_t max, size_t *count)
{
    return store_list_by(tx, STMT_CASE_EVENT_LIST, KEY_INT(case_item_id),
                         row_to_case_event, out, sizeof(*out), max, count);
}

/* ---- referrals ---- */

enum dd_status
store_referral_insert(struct store_tx *tx, struct referral_row *f)
{
    if (f->sent_at == 0)
        f->sent_at = time_now();
    struct store_param p[] = {P_INT(f->case_item_id), P_TEXT(f->county_code),
                              P_TEXT(f->department), P_TEXT(f->region),
                              P_INT(f->sent_at)};
    return store_insert_id(tx, STMT_REFERRAL_INSERT, p, NPARAMS(p), &f->id);
}

enum dd_status
store_referral_update(struct store_tx *tx, const struct referral_row *f)
{
    struct store_param p[] = {P_INT(f->case_item_id), P_INT(f->accepted_at),
                              P_INT(f->answered_at), P_TEXT(f->result)};
    return store_write(tx, STMT_REFERRAL_UPDATE, p, NPARAMS(p));
}

enum dd_status
store_referral_get(struct store_tx *tx, int64_t case_item_id,
                   struct referral_row *out)
{
    return store_get_by(tx, STMT_REFERRAL_GET, KEY_INT(case_item_id),
                        row_to_referral, out);
}

enum dd_status
store_referral_dept_household(struct store_tx *tx, int64_t household_id,
                              const char *dept, int *has)
{
    int64_t n = 0;
    struct store_param p[] = {P_INT(household_id), P_TEXT(dept)};
    enum dd_status rc =
        store_run_int(tx, STMT_REFERRAL_DEPT_HOUSEHOLD, p, NPARAMS(p), &n);
    *has = rc == DD_OK && n > 0;
    return rc == DD_ENOTFOUND ? DD_OK : rc;
}

/* ---- 公示 and objections ---- */

enum dd_status
store_publicity_insert(struct store_tx *tx, struct publicity_row *u)
{
    if (u->created_at == 0)
        u->created_at = time_now();
    struct store_param p[] = {
        P_INT(u->case_item_id),  P_TEXT(u->county_code),
        P_TEXT(u->village_code), P_TEXT(u->item_code),
        P_TEXT(u->masked_name),  P_INT(u->household_size),
        P_INT(u->amount_fen),    P_TEXT(u->start_day),
        P_TEXT(u->end_day),      P_TEXT(u->state),
        P_INT(u->created_at)};
    return store_insert_id(tx, STMT_PUBLICITY_INSERT, p, NPARAMS(p), &u->id);
}

enum dd_status
store_publicity_get(struct store_tx *tx, int64_t id, struct publicity_row *out)
{
    return store_get_by(tx, STMT_PUBLICITY_GET, KEY_INT(id), row_to_publicity,
                        out);
}

enum dd_status
store_publicity_update(struct store_tx *tx, const struct publicity_row *u)
{
    struct store_param p[] = {P_INT(u->id), P_TEXT(u->start_day),
                              P_TEXT(u->end_day), P_TEXT(u->state)};
    return store_write(tx, STMT_PUBLICITY_UPDATE, p, NPARAMS(p));
}

enum dd_status
store_publicity_by_village(struct store_tx *tx, const char *village,
                           struct publicity_row *out, size_t max,
                           size_t *count)
{
    return store_list_by(tx, STMT_PUBLICITY_BY_VILLAGE, KEY_TEXT(village),
                         row_to_publicity, out, sizeof(*out), max, count);
}

enum dd_status
store_publicity_open_of_case(struct store_tx *tx, int64_t case_item_id,
                             struct publicity_row *out)
{
    return store_get_by(tx, STMT_PUBLICITY_OPEN_OF_CASE, KEY_INT(case_item_id),
                        row_to_publicity, out);
}

enum dd_status
store_objection_insert(struct store_tx *tx, struct objection_row *o)
{
    if (o->at == 0)
        o->at = time_now();
    struct store_param p[] = {P_INT(o->publicity_id), P_TEXT(o->county_code),
                              P_TEXT(o->text), P_TEXT(o->recorded_by),
                              P_INT(o->at), P_TEXT(o->day)};
    return store_insert_id(tx, STMT_OBJECTION_INSERT, p, NPARAMS(p), &o->id);
}

/* ---- a household's file and a citizen's applications ---- */

EACH_CALL(call_case_history, store_case_history_fn)

static enum dd_status
case_history_each(struct store_tx *tx, enum stmt id, struct store_param key,
                  size_t max, store_case_history_fn fn, void *ctx)
{
    struct case_history_row row;
    struct store_param p[] = {key, P_INT(store_limit(max))};
    if (max == 0)
        return DD_OK;
    return store_each(tx, id, p, NPARAMS(p), row_to_case_history, &row,
                      call_case_history, (store_any_fn)fn, ctx);
}

enum dd_status
store_case_history_household(struct store_tx *tx, int64_t household_id,
                             size_t max, store_case_history_fn fn, void *ctx)
{
    struct store_param key = P_INT(household_id);
    return case_history_each(tx, STMT_CASE_HISTORY_HOUSEHOLD, key, max, fn,
                             ctx);
}

enum dd_status
store_case_history_citizen(struct store_tx *tx, const char *citizen_hash,
                           size_t max, store_case_history_fn fn, void *ctx)
{
    struct store_param key = P_TEXT(citizen_hash);
    return case_history_each(tx, STMT_CASE_HISTORY_CITIZEN, key, max, fn,
                             ctx);
}

enum dd_status
store_case_history_application(struct store_tx *tx, int64_t application_id,
                               size_t max, store_case_history_fn fn,
                               void *ctx)
{
    struct store_param key = P_INT(application_id);
    return case_history_each(tx, STMT_CASE_HISTORY_APPLICATION, key, max,
                             fn, ctx);
}

enum dd_status
store_case_item_calendar_page(struct store_tx *tx, const char *from,
                              const char *to, int64_t after_id,
                              struct case_item_row *out, size_t max,
                              size_t *count)
{
    struct store_param p[] = {P_TEXT(from), P_TEXT(to), P_INT(after_id),
                              P_INT(store_limit(max))};
    return store_get_many(tx, STMT_CASE_ITEM_CALENDAR_PAGE, p, NPARAMS(p),
                          row_to_case_item, out, sizeof(*out), max, count);
}
