/* SPDX-License-Identifier: MIT */
/* The recovery ledger (追缴, issue 13 §5): what is owed back from an
 * entitlement's payments, and each repayment, deduction and waiver, each
 * decided and audited; the balance is owed − repaid − deducted − waived
 * and a recovery is settled when it reaches 0. */
#ifndef DD_CASES_RECOVERIES_H
#define DD_CASES_RECOVERIES_H

#include "cases/cases.h"

/* Opens a recovery of e (cause: death, fraud, income, other; person_id 0
 * = none) with its 'owed' entry of amount_fen (> 0), reason its text,
 * decided by x->actor on x->day; audited recovery.open on e's village.
 * *out gets the recovery. */
enum dd_status cases_recovery_open(const struct cases_ctx *x,
                                   const struct entitlement_row *e,
                                   int64_t person_id, const char *cause,
                                   int64_t amount_fen, const char *reason,
                                   struct recovery_row *out) DD_WUR;

/* An entry a person decides: a repayment or a waiver. */
struct cases_recovery_input {
    const char *kind;        /* "repaid" or "waived" */
    int64_t amount_fen;      /* 1 .. the balance */
    const char *reason_text; /* required for a waiver */
    const char *decided_on;  /* YYYY-MM-DD, on or before x->day */
    int64_t version;         /* the recovery's version read; -1 = unchecked */
};

/* Appends in to r (as loaded, the caller having checked its scope; e its
 * entitlement, for the audit row's village) by x->actor on x->day: a
 * waiver only by the county (DD_EDENIED WAIVER_COUNTY_LEVEL), an amount
 * no more than the balance (DD_EINVAL AMOUNT_OVER_BALANCE), nothing on a
 * settled recovery (DD_ECONFLICT RECOVERY_SETTLED), at r's version
 * (DD_ECONFLICT VERSION_CONFLICT). r becomes settled when the balance
 * reaches 0, and its version moves on with every entry. The entry into
 * *out, the balance after it into *balance; audited recovery.<kind>. */
enum dd_status cases_recovery_entry(const struct cases_ctx *x,
                                    struct recovery_row *r,
                                    const struct entitlement_row *e,
                                    const struct cases_recovery_input *in,
                                    struct recovery_entry_row *out,
                                    int64_t *balance,
                                    struct dd_error *err) DD_WUR;

#endif
