/* SPDX-License-Identifier: MIT */
/* Payees and their bank accounts (migration 18, store_payees.c): the
 * banks a roster pays into, each person's accounts with their four-eyes
 * state, the one active account the bank file is paid into, and the
 * payee an entitlement names. Part of store.h's interface, kept in a
 * header of its own. */
#ifndef DD_STORE_PAYEES_H
#define DD_STORE_PAYEES_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "store/store.h"

/* A bank of data/banks/banks.csv: passbook_luhn 1 when its passbook
 * numbers end in a Luhn digit. */
struct bank_row {
    char code[16];
    char name[STORE_NAME_LEN];
    char name_en[STORE_NAME_LEN];
    int passbook_luhn;
};

/* A person as a payee: the household, its county and village (the
 * scope), the name the account must bear, age and relation for the
 * payee rule. */
struct payee_person_row {
    int64_t id;
    int64_t household_id;
    char county_code[7];
    char region_code[STORE_CODE_LEN];
    char name[STORE_NAME_LEN];
    char birth_date[11]; /* YYYY-MM-DD */
    int relation;        /* enum hh_relation */
};

/* One account (payee_account). kind is payee_kind_name; the number is
 * sealed bound to the row's id (PII_AD_PAYEE_ACCOUNT), account_index its
 * keyed blind index; state pending, active, superseded or rejected. */
struct payee_account_row {
    int64_t id;
    int64_t person_id;
    int64_t household_id;
    char county_code[7];
    char region_code[STORE_CODE_LEN];
    char kind[12];
    char bank_code[16];
    char account_sealed[STORE_SEALED_LEN];
    char account_index[STORE_HASH_LEN];
    char account_last4[5];
    char account_name[STORE_NAME_LEN];
    char state[12];
    char entered_by[64];
    int64_t entered_at;
    char confirmed_by[64]; /* who confirmed or rejected it, "" = nobody */
    int64_t confirmed_at;
    char reason[512]; /* a rejection's */
    int64_t version;
};

/* The most accounts a person's list returns. */
#define STORE_PAYEE_ACCOUNTS_MAX 64

/* A bank's row, inserted or updated (refdata). */
enum dd_status store_bank_put(struct store_tx *tx,
                              const struct bank_row *b) DD_WUR;
enum dd_status store_bank_get(struct store_tx *tx, const char *code,
                              struct bank_row *out) DD_WUR;

/* A person with the household's region: DD_ENOTFOUND when none. */
enum dd_status store_payee_person_get(struct store_tx *tx, int64_t person_id,
                                      struct payee_person_row *out) DD_WUR;

/* Inserts a (with a->account_sealed the placeholder "v2:"), setting its
 * id, entered_at (when 0) and version 1; then store_payee_account_seal
 * writes the value sealed for that id. */
enum dd_status store_payee_account_insert(struct store_tx *tx,
                                          struct payee_account_row *a) DD_WUR;
enum dd_status store_payee_account_seal(struct store_tx *tx, int64_t id,
                                        const char *sealed) DD_WUR;
enum dd_status store_payee_account_get(struct store_tx *tx, int64_t id,
                                       struct payee_account_row *out) DD_WUR;
/* A person's accounts, newest first, at most max. */
enum dd_status store_payee_account_list(struct store_tx *tx, int64_t person_id,
                                        struct payee_account_row *out,
                                        size_t max, size_t *count) DD_WUR;
/* The person's active account (the one paid into): DD_ENOTFOUND when
 * none. */
enum dd_status store_payee_account_active(struct store_tx *tx,
                                          int64_t person_id,
                                          struct payee_account_row *out) DD_WUR;
/* How many other persons have a pending or active account at the blind
 * index (one account paying several persons: the fund-integrity
 * check's question). */
enum dd_status store_payee_account_sharing(struct store_tx *tx,
                                           const char *account_index,
                                           int64_t person_id,
                                           int64_t *count) DD_WUR;
/* Writes a's state, confirmed_by, confirmed_at and reason at a->version,
 * which becomes the new one: DD_ECONFLICT when the row is at another
 * version (or a second active account for the person). */
enum dd_status store_payee_account_decide(struct store_tx *tx,
                                          struct payee_account_row *a) DD_WUR;
/* The person's active account, if any, becomes 'superseded' (its
 * version moves on); its id into *superseded (0 = none). */
enum dd_status store_payee_account_supersede(struct store_tx *tx,
                                             int64_t person_id,
                                             int64_t *superseded) DD_WUR;
/* Every account with an id above after_id, in id order, at most max
 * (`doudi check`). */
enum dd_status store_payee_account_after(struct store_tx *tx, int64_t after_id,
                                         struct payee_account_row *out,
                                         size_t max, size_t *count) DD_WUR;

/* Writes e->payee_person_id at e->version, which becomes the new one:
 * DD_ECONFLICT at another version, DD_ENOTFOUND without the row. */
enum dd_status store_entitlement_payee_set(struct store_tx *tx,
                                           struct entitlement_row *e) DD_WUR;

#endif
