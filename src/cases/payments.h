/* SPDX-License-Identifier: MIT */
/* The monthly payment batches (发放, issue 13 §3, docs/payments.md): a
 * county's batch of one item for one month built from the entitlements
 * (their month and the back pay owed, less the recovery deduction),
 * checked against last month's, approved by a third person, closed. Each
 * step is one audited write at the batch's version; the database's
 * guards refuse a total that is not the lines' sum, a second payment of
 * a month and any change to a closed batch. No SQL here. */
#ifndef DD_CASES_PAYMENTS_H
#define DD_CASES_PAYMENTS_H

#include <stddef.h>
#include <stdint.h>

#include "cases/cases.h"

/* What a build is asked for. */
struct cases_pay_build {
    const char *county; /* 6 digits */
    const char *item;   /* a catalog item's code */
    const char *month;  /* YYYY-MM */
    const char *kind;   /* "regular" (NULL) or "correction" */
};

/* Builds (or, while it is still "built", rebuilds) the batch in *out:
 * for each entitlement of the county and item, a line for every month
 * from its start through the batch's month that ent_owed owes (> 0) and
 * that no line not failed pays yet (the month's own and the back pay,
 * 补发), each less the open recovery balance not yet deducted. *created
 * is 1 for a new batch. A rebuild that would write the same lines
 * writes nothing: the lines keep their ids and the batch its version.
 * DD_EINVAL naming county, item, month or kind; DD_ECONFLICT
 * BATCH_EXISTS when the regular batch has left "built"; DD_EREFUSED when
 * the programme's parameters are not in force. Audited
 * (payment_batch.build). */
enum dd_status cases_payment_build(const struct cases_ctx *x,
                                   const struct cases_pay_build *in,
                                   struct payment_batch_row *out, int *created,
                                   struct dd_error *err) DD_WUR;

/* The steps after the build, each at version (DD_ECONFLICT
 * VERSION_CONFLICT), from the state it needs (DD_ECONFLICT BATCH_STATE):
 *   check    built → checked, by someone other than the builder
 *   approve  checked → approved, by neither the builder nor the checker;
 *            records each line's deduction in the recovery ledger
 *   close    reconciled → closed: immutable from then on
 * A maker acting as checker is DD_EDENIED MAKER_CHECKER. Audited
 * (payment_batch.<step>). */
enum cases_pay_step { CASES_PAY_CHECK, CASES_PAY_APPROVE, CASES_PAY_CLOSE };
enum dd_status cases_payment_step(const struct cases_ctx *x,
                                  struct payment_batch_row *b,
                                  enum cases_pay_step step, int64_t version,
                                  struct dd_error *err) DD_WUR;

/* One total: lines and their sum. */
struct cases_pay_total {
    char key[16]; /* "urban"/"rural" or a township code */
    int64_t lines, total_fen;
};

/* One difference from last month: the entitlement, its amounts (0 where
 * it had no line) and its payee accounts then and now. */
struct cases_pay_diff {
    int64_t entitlement_id;
    int64_t before_fen, after_fen;
    int64_t before_account, after_account;
};

/* The most differences listed per kind (their counts are all). */
#define CASES_PAY_DIFF_MAX 1000

enum { PAY_DIFF_NEW, PAY_DIFF_STOPPED, PAY_DIFF_CHANGED, PAY_DIFF_ACCOUNT,
       PAY_DIFF__COUNT };

/* A batch's check: totals by urban/rural and by township, and the
 * differences of its month's lines from those of last month's regular
 * batch of the county and item (previous_id 0 = none: every line new):
 * new, stopped, changed amount, same amount paid to another account.
 * Only a regular batch is compared (compared 1): a reissue or a
 * correction pays a few lines of its month, and every other line would
 * read as stopped. */
struct cases_pay_review {
    int compared;
    struct cases_pay_total urban_rural[2];
    struct cases_pay_total *townships;
    size_t township_count;
    int64_t previous_id;
    struct cases_pay_diff *diffs[PAY_DIFF__COUNT];
    size_t diff_count[PAY_DIFF__COUNT]; /* all of them */
    size_t diff_listed[PAY_DIFF__COUNT];
};

/* Reads b's check into *out (its arrays in x->arena). */
enum dd_status cases_payment_review(const struct cases_ctx *x,
                                    const struct payment_batch_row *b,
                                    struct cases_pay_review *out) DD_WUR;

#endif
