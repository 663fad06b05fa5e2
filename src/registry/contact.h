/* SPDX-License-Identifier: MIT */
/* A household's contact phone and the bank account its benefit is paid
 * into (PIPL art. 28 sensitive data): checked, masked, indexed and sealed
 * bound to the household's row (crypto/pii.h). Replies show the masked
 * forms only. */
#ifndef DD_CONTACT_H
#define DD_CONTACT_H

#include "core/arena.h"
#include "core/status.h"
#include "crypto/pii.h"
#include "store/store.h"

/* The payee account: 12 to 19 digits. Chinese bank card numbers (GB/T
 * 19584 / ISO 7812 PANs) are 16 to 19 digits, and passbook and
 * co-operative bank account numbers 12 to 18; no check digit is
 * required, since the latter carry none. */
#define CONTACT_BANK_MIN 12
#define CONTACT_BANK_MAX 19

int contact_bank_account_valid(const char *account);

/* Checks the given values (NULL = not given, "" = to clear): a mainland
 * mobile number (citizen_phone_valid) and a bank account; DD_EINVAL with
 * err naming prefix "contact_phone" or "bank_account". */
enum dd_status contact_check(struct arena *a, const char *prefix,
                             const char *phone, const char *bank_account,
                             struct dd_error *err) DD_WUR;

/* Writes the given values into h, whose id is set (the row key): the
 * phone's blind index (citizen_phone_index, so a citizen signed in with
 * it is recognised as the contact), each value sealed and masked; ""
 * clears, NULL leaves h's value. *changed is set when anything was
 * written. DD_EINTERNAL if sealing fails. */
enum dd_status contact_seal(const struct pii_keys *k, const char *phone,
                            const char *bank_account, struct household_row *h,
                            int *changed) DD_WUR;

/* Copies from's contact values into to (the same household: they stay
 * bound to its id). */
void contact_copy(struct household_row *to, const struct household_row *from);

#endif
