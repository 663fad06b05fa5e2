/* SPDX-License-Identifier: MIT */
/* The store's side of a payment batch's bank files (issue 13 §3): the
 * batch as the export and the reconciliation read it, its lines with
 * what a bank file prints (payee name, sealed ID number and account) in
 * id order, the batch marked exported or reconciled at the version read,
 * line outcomes written in batches of ids, the reissue of failed lines
 * into a new batch, and an unknown line resolved by staff. The tables
 * are the payments module's (payment_batch, payment_line). */
#ifndef DD_STORE_PAYMENT_FILES_H
#define DD_STORE_PAYMENT_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

struct payfile_batch {
    int64_t id;
    char county_code[8];
    char item_code[32];
    char month[8];
    char kind[16];
    int64_t seq;
    char state[16];
    int64_t line_count, total_fen;
    int64_t exported_at;
    char file_sm3[72];
    char bank_code[40];
    int64_t version;
};
enum dd_status store_payfile_batch_get(struct store_tx *tx, int64_t id,
                                       struct payfile_batch *out) DD_WUR;

/* One line as the bank file prints it. The account is sealed where the
 * payee's account is kept (account_table, account_column, bound to
 * account_row), "" when the payee has none. */
struct payfile_line {
    int64_t id, amount_fen;
    char month[8];
    char status[16];
    char region_code[16];
    char name[128];
    char id_hash[72];
    char id_enc[192];
    char account_enc[192];
    char account_row[24];
};
/* The table and column the account of a payfile_line is sealed in. */
extern const char store_payfile_account_table[];
extern const char store_payfile_account_column[];
typedef int (*store_payfile_line_fn)(const struct payfile_line *l, void *ctx);
/* Each line of batch_id in id order until fn returns non-zero. */
enum dd_status store_payfile_lines_each(struct store_tx *tx, int64_t batch_id,
                                        store_payfile_line_fn fn,
                                        void *ctx) DD_WUR;

/* The batch, 'approved' at b->version, becomes 'exported' by actor at
 * now with the file's SM3 and template; b->version is the new one.
 * DD_ECONFLICT when it moved meanwhile. */
enum dd_status store_payfile_exported(struct store_tx *tx,
                                      struct payfile_batch *b,
                                      const char *actor, int64_t now) DD_WUR;
/* The batch, 'exported' at b->version, becomes 'reconciled'. */
enum dd_status store_payfile_reconciled(struct store_tx *tx,
                                        struct payfile_batch *b) DD_WUR;

/* The most ids one store_payfile_lines_set writes. */
#define STORE_PAYFILE_IDS_MAX 1000
/* Lines ids[0..n) of batch_id take status and reason_code (reason text
 * ''), one statement for up to STORE_PAYFILE_IDS_MAX ids. */
enum dd_status store_payfile_lines_set(struct store_tx *tx, int64_t batch_id,
                                       const char *status,
                                       const char *reason_code,
                                       const int64_t *ids, size_t n) DD_WUR;
/* One line of batch_id takes status with its reason. */
enum dd_status store_payfile_line_set(struct store_tx *tx, int64_t batch_id,
                                      int64_t line_id, const char *status,
                                      const char *reason_code,
                                      const char *reason_text) DD_WUR;

/* What a reconciled batch's failures are. */
struct payfile_failures {
    int64_t failed;    /* lines 'failed' */
    int64_t open;      /* of those, not yet reissued */
    int64_t unknown;   /* lines 'unknown' (staff resolve them first) */
};
enum dd_status store_payfile_failures(struct store_tx *tx, int64_t batch_id,
                                      struct payfile_failures *out) DD_WUR;
/* A new 'built' batch of kind 'reissue' (the next seq for src's county,
 * item and month) with one 'pending' line for each 'failed' line of src
 * not yet reissued (reissue_of = it; same entitlement, month and
 * amounts) and its totals; out is the new batch. DD_ECONFLICT when a
 * line is paid already (payment_line_once) or reissued already. */
enum dd_status store_payfile_reissue(struct store_tx *tx,
                                     const struct payfile_batch *src,
                                     const char *actor, int64_t now,
                                     struct payfile_batch *out) DD_WUR;

/* A line of a batch, for staff resolving it. */
struct payfile_line_state {
    int64_t id, batch_id, amount_fen;
    char status[16];
    char reason_code[32];
};
enum dd_status store_payfile_line_get(struct store_tx *tx, int64_t id,
                                      struct payfile_line_state *out) DD_WUR;
/* The 'unknown' line id becomes status with its reason; DD_ECONFLICT when
 * it is no longer unknown. */
enum dd_status store_payfile_line_resolve(struct store_tx *tx, int64_t id,
                                          const char *status,
                                          const char *reason_text) DD_WUR;

#endif
