/* SPDX-License-Identifier: MIT */
/* A payment batch's bank files (issue 13 §3; docs/payments.md, "Bank
 * files and templates"):
 * the export of an approved batch in a bank's template, the same file
 * again byte for byte, the bank's return file reconciled line by line,
 * the reissue of failed lines in a new batch and staff resolving a line
 * whose outcome is unknown. Each takes the caller's write transaction
 * (x->tx) and writes its audit row there; the caller commits. */
#ifndef DD_CASES_PAYMENT_FILES_H
#define DD_CASES_PAYMENT_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "cases/cases.h"
#include "io/bankfile.h"
#include "store/store_payment_files.h"

/* Writes the 'approved' batch b (at version; -1: any) in template t
 * (code bank_code) to sink, dated today: every line with the payee's
 * name, ID number and account unsealed; then b is 'exported' with the
 * file's SM3 and bank_code, audited as a read of personal data. res has
 * the lines, sum, bytes and SM3. DD_ECONFLICT: BATCH_STATE,
 * VERSION_CONFLICT, PAYEE_ACCOUNT_MISSING (how many lines lack one);
 * DD_EREFUSED when the template cannot write a line (err names the line
 * and field); the sink's status. Whatever reached the sink before an
 * error is the caller's to drop. */
enum dd_status
cases_payfile_export(const struct cases_ctx *x, struct payment_batch_row *b,
                     const struct bank_template *t, const char *bank_code,
                     int64_t version, bank_sink_fn sink, void *sink_ctx,
                     struct bank_result *res, struct dd_error *err) DD_WUR;

/* The exported batch b's file again, in its template t and dated the day
 * it was exported, audited; DD_ECONFLICT FILE_CHANGED when the bytes
 * would differ from the SM3 recorded at export (the template or a payee
 * changed since): the caller must not serve them. */
enum dd_status cases_payfile_again(const struct cases_ctx *x,
                                   const struct payment_batch_row *b,
                                   const struct bank_template *t,
                                   bank_sink_fn sink, void *sink_ctx,
                                   struct bank_result *res,
                                   struct dd_error *err) DD_WUR;

/* A count and sum of lines. */
struct payfile_tally {
    int64_t count, sum_fen;
};
/* What a return file did to a batch's lines. The unknown ones, by why. */
struct payfile_outcome {
    struct payfile_tally paid, failed, unknown;
    struct payfile_tally not_in_file, duplicate, mismatch;
};

/* o as key into w: {paid, failed, unknown, not_in_file, duplicate,
 * mismatch}, each {lines, sum_fen}. */
struct jw;
void cases_payfile_outcome_put(struct jw *w, const char *key,
                               const struct payfile_outcome *o);

/* Reconciles the 'exported' batch b with the bank's return file
 * (bytes[0..len), read strictly by t's [return] sections, where t is the
 * template b was exported in): each line of b matched by its line id,
 * account and amount is 'paid' or becomes 'failed' (with the bank's
 * reason code and text), and 'unknown' when it is in the file twice, not
 * in it, or its amount or account differ (only these two are written: a
 * paid line stays 'pending', shown as 'paid' once b is reconciled, see
 * store.h payment_line_row); then b is 'reconciled', audited with
 * out's figures and the file's SM3. DD_EINVAL (err names the line of the
 * file and the field) for a malformed file, control totals that do not
 * add up, or a line id that is not b's: nothing is written. */
enum dd_status cases_payfile_reconcile(
    const struct cases_ctx *x, struct payment_batch_row *b,
    const struct bank_template *t, const char *bytes, size_t len,
    int64_t version, struct payfile_outcome *out, struct dd_error *err) DD_WUR;

/* What a reissue says beside its batch. */
struct payfile_reissue_notes {
    int64_t unknown_waiting; /* b's lines still unknown (staff resolve
                                them first) */
    int64_t same_account;    /* the new lines paid into the very account
                                their line failed in: no new account */
};

/* A new batch of kind 'reissue' (out) for b's county, item and month,
 * with one line for each failed line of the reconciled batch b not
 * reissued yet, same entitlement, month and amount, paid to the payee's
 * active account now; audited.
 * DD_ECONFLICT: BATCH_STATE, ALREADY_REISSUED, NOTHING_TO_REISSUE. */
enum dd_status cases_payfile_reissue(const struct cases_ctx *x,
                                     const struct payment_batch_row *b,
                                     struct payment_batch_row *out,
                                     struct payfile_reissue_notes *notes,
                                     struct dd_error *err) DD_WUR;

/* Staff resolve the unknown line l of the reconciled batch b as "paid" or
 * "failed" with their reason (l is updated); audited. DD_EINVAL naming
 * status or reason; DD_ECONFLICT: BATCH_STATE, LINE_NOT_UNKNOWN. */
enum dd_status cases_payfile_resolve(const struct cases_ctx *x,
                                     const struct payment_batch_row *b,
                                     struct payment_line_row *l,
                                     const char *status, const char *reason,
                                     struct dd_error *err) DD_WUR;

#endif
