/* SPDX-License-Identifier: MIT */
/* Payees and their bank accounts (issue 13 §2, §1's payee rule): an
 * account entered by one officer and confirmed by another (four eyes),
 * checked by domain/payee.h, sealed bound to its row; the active account
 * unsealed for the bank file; who an entitlement is paid to, at approval
 * and when an officer names another payee. Every write is audited in the
 * caller's transaction with the digest of the row written. */
#ifndef DD_CASES_PAYEES_H
#define DD_CASES_PAYEES_H

#include <stdint.h>

#include "audit/digest.h"
#include "cases/cases.h"
#include "domain/payee.h"
#include "store/store_payees.h"

/* What an officer enters (JSON fields of the same names). */
struct cases_payee_input {
    const char *kind;         /* payee_kind_name */
    const char *bank_code;    /* data/banks/banks.csv */
    const char *account;      /* digits; ASCII spaces are dropped */
    const char *account_name; /* as the bank holds it */
};

/* Enters a 'pending' account for person p (read by the caller, in scope)
 * by x->actor, a town clerk, town reviewer or county officer (else
 * DD_EDENIED NOT_PAYEE_OFFICER): DD_EINVAL naming kind, bank_code,
 * account (ACCOUNT_NOT_DIGITS, ACCOUNT_LENGTH, ACCOUNT_CHECK_DIGIT: the
 * Luhn digit for bank cards and 社保卡, for passbooks where the bank's
 * row says) or account_name (ACCOUNT_NAME_MISMATCH: not p's name once
 * normalised). *sharing is how many other persons have a pending or
 * active account with that number. Audited payee_account.enter. */
enum dd_status cases_payee_account_enter(const struct cases_ctx *x,
                                         const struct payee_person_row *p,
                                         const struct cases_payee_input *in,
                                         struct payee_account_row *out,
                                         int64_t *sharing,
                                         struct dd_error *err) DD_WUR;

/* Confirms a pending account at version: it becomes 'active' and the
 * person's previous active account 'superseded' (its id into
 * *superseded, 0 = none). By an officer as for entering, who did not
 * enter it (DD_ECONFLICT SAME_PERSON); DD_ECONFLICT NOT_PENDING or
 * VERSION_CONFLICT. Audited payee_account.confirm. */
enum dd_status cases_payee_account_confirm(const struct cases_ctx *x,
                                           struct payee_account_row *a,
                                           int64_t version,
                                           int64_t *superseded,
                                           struct dd_error *err) DD_WUR;
/* Rejects a pending account at version with a reason (DD_EINVAL
 * REASON_REQUIRED naming reason); the same refusals as confirming.
 * Audited payee_account.reject. */
enum dd_status cases_payee_account_reject(const struct cases_ctx *x,
                                          struct payee_account_row *a,
                                          int64_t version, const char *reason,
                                          struct dd_error *err) DD_WUR;

/* The account number of a, unsealed on its row into number (wiped by the
 * caller after use): DD_EINTERNAL when it does not open. */
enum dd_status cases_payee_account_number(const struct pii_keys *k,
                                          const struct payee_account_row *a,
                                          char number[PAYEE_NUMBER_MAX + 1])
    DD_WUR;

/* The bank file's question: the active account of a payment line's
 * payee, its row in *a (a->id is the line's payee_account_id, a->bank_code
 * and a->account_name go on the line) and its number unsealed into
 * number (wipe it after writing the line). DD_ENOTFOUND when the person
 * has no active account; DD_EINTERNAL when the number does not open on
 * its row (tampered). */
enum dd_status cases_payee_account_active(struct store_tx *tx,
                                          const struct pii_keys *k,
                                          int64_t person_id,
                                          struct payee_account_row *a,
                                          char number[PAYEE_NUMBER_MAX + 1])
    DD_WUR;

/* The digest an account's audit row carries (payee_account/v1): every
 * column but the sealed token, whose binding `doudi check` tests by
 * opening it. */
enum dd_status cases_payee_account_digest(const struct payee_account_row *a,
                                          char out[DIGEST_HEX_LEN + 1]) DD_WUR;

/* Who household_id's new entitlement is paid to on x->day
 * (payee_member_index): the member's id into *person_id, 0 = nobody. */
enum dd_status cases_payee_of_household(const struct cases_ctx *x,
                                        int64_t household_id,
                                        int64_t *person_id) DD_WUR;

/* Names p the payee of e at version, by the level that decides e's item
 * (DD_EDENIED NOT_DECIDING_LEVEL); DD_ECONFLICT VERSION_CONFLICT;
 * DD_EINVAL SAME_PAYEE (person_id) when p is already the payee.
 * Audited entitlement.payee with the digest of e's new state. */
enum dd_status cases_entitlement_payee(const struct cases_ctx *x,
                                       struct entitlement_row *e,
                                       const struct payee_person_row *p,
                                       int64_t version,
                                       struct dd_error *err) DD_WUR;

#endif
