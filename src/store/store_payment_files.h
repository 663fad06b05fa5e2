/* SPDX-License-Identifier: MIT */
/* The store's side of a payment batch's bank files (issue 13 §3), over
 * the payments module's tables (store.h: payment_batch_row,
 * payment_line_row): the lines with what a bank file prints (payee name,
 * sealed ID number and account) in id order, line outcomes written by
 * lists of ids, a batch's failed lines and their reissue into a new
 * batch, and an unknown line resolved by staff. */
#ifndef DD_STORE_PAYMENT_FILES_H
#define DD_STORE_PAYMENT_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* One line as the bank file prints it. The account paid into is the
 * payee_account the line names (payee_account_id, set at build), else
 * its payee's active one: sealed (crypto/pii.h PII_AD_PAYEE_ACCOUNT of
 * account_row, the account's id), "" when the payee has none. */
struct payfile_line {
    int64_t id, amount_fen;
    char month[8];
    char name[128];
    char id_hash[72];
    char id_enc[192];
    char account_enc[192];
    char account_row[24];
};
typedef int (*store_payfile_line_fn)(const struct payfile_line *l, void *ctx);
/* Each line of batch_id in id order until fn returns non-zero. */
enum dd_status store_payfile_lines_each(struct store_tx *tx, int64_t batch_id,
                                        store_payfile_line_fn fn,
                                        void *ctx) DD_WUR;

/* A batch line as the bank's return is checked against it: its amount
 * and the blind index of the account it was exported to (the first 16
 * hex digits of the payee account's account_index; '' for none), no
 * number unsealed. */
struct payfile_return_line {
    int64_t id, amount_fen;
    char account_index[17];
};
typedef int (*store_payfile_return_line_fn)(
    const struct payfile_return_line *l, void *ctx);
/* Each line of batch_id in id order until fn returns non-zero. */
enum dd_status store_payfile_return_lines_each(struct store_tx *tx,
                                               int64_t batch_id,
                                               store_payfile_return_line_fn fn,
                                               void *ctx) DD_WUR;

/* The most ids one store_payfile_lines_set writes. */
#define STORE_PAYFILE_IDS_MAX 1000
/* Lines ids[0..n) of batch_id take status and reason_code (reason text
 * ''), in one statement for up to STORE_PAYFILE_IDS_MAX ids. */
enum dd_status store_payfile_lines_set(struct store_tx *tx, int64_t batch_id,
                                       const char *status,
                                       const char *reason_code,
                                       const int64_t *ids, size_t n) DD_WUR;

/* A batch's failures. */
struct payfile_failures {
    int64_t failed;  /* lines 'failed' */
    int64_t open;    /* of those, not reissued yet */
    int64_t unknown; /* lines 'unknown' (staff resolve them first) */
};
enum dd_status store_payfile_failures(struct store_tx *tx, int64_t batch_id,
                                      struct payfile_failures *out) DD_WUR;
/* Into the built batch `into`, a 'pending' line for each 'failed' line
 * of batch `from` not reissued yet (reissue_of = it; the same
 * entitlement, month and amounts; the entitlement's payee now and their
 * active account now, none: NULL). DD_ECONFLICT when one is paid or
 * pending already (payment_line_once) or reissued already
 * (payment_line_reissue_once). */
enum dd_status store_payfile_reissue_lines(struct store_tx *tx, int64_t into,
                                           int64_t from) DD_WUR;
/* Of reissue batch batch_id's lines, into *n those paid into the very
 * account their failed line was built for (a closed or frozen account
 * fails again; a line built before its payee had an account, exported
 * into the one active then, is not counted: which it was is not kept). */
enum dd_status store_payfile_same_account(struct store_tx *tx,
                                          int64_t batch_id,
                                          int64_t *n) DD_WUR;
/* The 'unknown' line id becomes status with its reason (reason code
 * "RESOLVED"); DD_ECONFLICT when it is not unknown (any more). */
enum dd_status store_payfile_line_resolve(struct store_tx *tx, int64_t id,
                                          const char *status,
                                          const char *reason_text) DD_WUR;

#endif
