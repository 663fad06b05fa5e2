/* SPDX-License-Identifier: MIT */
/* Reports: the KPI cohort, case items streamed with their application's
 * channel and their referral's times for domain/kpi.c to count. */
#include "store/store.h"

#include <string.h>

#include "store/store_internal.h"

/* The columns the row mapper reads, in order, followed by its mapper:
 * the fields they fill (ROW_MAPPER). */
#define KPI_CASE_COLS                                                          \
    "c.item_code, c.village_code, c.state, c.accepted_on,"                    \
    " c.deadline, c.closed_on, c.paused_working_days,"                        \
    " c.decision, c.amount_fen, c.visits, a.channel,"                         \
    " COALESCE(r.sent_at, 0), COALESCE(r.answered_at, 0)"
ROW_MAPPER(row_to_kpi_case, struct kpi_case_row, COL(item_code),
           COL(village_code), COL(state), COL(accepted_on), COL(deadline),
           COL(closed_on), COL(paused_working_days), COL(decision),
           COL(amount_fen), COL(visits), COL(channel), COL(referral_sent_at),
           COL(referral_answered_at))


static const struct stmt_text stmts[] = {
    /* the KPI cohort: case items accepted in [?2, ?3] whose household's
     * village starts with ?1 ('' = all), with the application's channel
     * and the referral's times (KPIs stream these through domain/kpi.c):
     * the prefix a range of case_item_by_village ('9' < ';'), each
     * village's items read from the first day of the months, so that a
     * county's report reads the county's items and no others */
    {STMT_KPI_CASE_EACH,
     .sql = "SELECT " KPI_CASE_COLS
            " FROM case_item c JOIN application a ON a.id = c.application_id"
            " LEFT JOIN referral r ON r.case_item_id = c.id"
            " WHERE c.village_code >= ?1"
            " AND c.village_code < CAST(?1 AS TEXT) || ';'"
            " AND c.accepted_on BETWEEN ?2 AND ?3",
     .pg_stream = 1},
};

const struct stmt_family store_stmts_reports = STMT_FAMILY("reports", stmts);

EACH_CALL(call_kpi_case, store_kpi_case_fn)

enum dd_status
store_kpi_case_each(struct store_tx *tx, const char *region_prefix,
                    const char *from, const char *to, store_kpi_case_fn fn,
                    void *ctx)
{
    struct kpi_case_row row;
    struct store_param p[] = {P_TEXT(region_prefix), P_TEXT(from), P_TEXT(to)};
    return store_each(tx, STMT_KPI_CASE_EACH, p, NPARAMS(p), row_to_kpi_case,
                      &row, call_kpi_case, (store_any_fn)fn, ctx);
}
