/* SPDX-License-Identifier: MIT */
/* A payee's bank account (惠民惠农"一卡通", domain.md §1.2 Arts. 25–26:
 * paid monthly by bank or credit union into the household's account):
 * the number's format by kind, the Luhn check digit where the bank's
 * cards carry one, the account name against the payee's name, and the
 * masked display form. Pure: no I/O, no allocation (names are normalised
 * on the stack, within PAYEE_NAME_MAX).
 *
 * Sources for the lengths (domain.md is silent; confidence M/L):
 *  - bank card: ISO/IEC 7812-1 numbers run to 19 digits with a Luhn
 *    (mod 10) check digit last; UnionPay (62…) debit cards are 16 or 19
 *    digits, a few banks issue 17 or 18: 16–19 accepted.
 *  - passbook or credit-union (农信社/农商行) account: bank-internal
 *    numbers with no public standard, commonly 12 to 18 digits: 12–18
 *    accepted, the Luhn check only where the bank says it applies.
 *  - 社保卡: the account paid into is the card's financial account, a
 *    UnionPay debit card number (third-generation cards), checked as a
 *    bank card. The 社会保障号码 (the citizen ID) and the 9-character card
 *    identifier are not account numbers; public pages disagree on "the
 *    社保卡 number" (9, 18 or 19 characters), so no other format is
 *    assumed. */
#ifndef DD_PAYEE_H
#define DD_PAYEE_H

#include <stddef.h>

#include "core/status.h"

enum payee_kind {
    PAYEE_BANK_CARD = 0, /* "bank_card": 银行卡 */
    PAYEE_PASSBOOK,      /* "passbook": 存折, credit-union account */
    PAYEE_SSCARD,        /* "sscard": 社保卡 (its financial account) */
    PAYEE_KIND__COUNT
};

const char *payee_kind_name(enum payee_kind k);
/* The kind named name into *out: 0, or -1 for an unknown name. */
int payee_kind_parse(const char *name, enum payee_kind *out);

/* The longest account number, and the buffer its masked form needs. */
#define PAYEE_NUMBER_MAX 19
#define PAYEE_MASK_LEN (PAYEE_NUMBER_MAX + 1)

/* The Luhn check digit ('0'..'9') of the digits at payload, or 0 when
 * payload is empty or holds a non-digit: from the right, every other
 * digit starting with the last is doubled (9 taken off above 9), all
 * summed, and the check makes the sum a multiple of 10. */
char payee_luhn_digit(const char *payload);
/* Whether digits (at least 2, all digits) end in their Luhn digit. */
int payee_luhn_ok(const char *digits);

/* Checks number for kind, in this order, each failure DD_EINVAL with
 * err->field "account_number" and err->code:
 *   ACCOUNT_NOT_DIGITS   empty, or anything but 0-9 (nothing trimmed:
 *                        the caller strips grouping spaces)
 *   ACCOUNT_LENGTH       outside the kind's lengths (header)
 *   ACCOUNT_CHECK_DIGIT  luhn is 1 (the bank's row says its numbers
 *                        carry a Luhn digit) and the last digit is wrong
 * DD_EINVAL (INVALID_ACCOUNT_KIND, field "kind") for an unknown kind. */
enum dd_status payee_account_check(enum payee_kind kind, const char *number,
                                   int luhn, struct dd_error *err) DD_WUR;

/* The longest name, in bytes of UTF-8, before and after normalising. */
#define PAYEE_NAME_MAX 128

/* Writes the comparison form of a name into out (cap bytes): spaces
 * (U+0020, U+0009, U+00A0, U+3000) and the separator dots of minority
 * and foreign names (U+00B7 ·, U+2022 •, U+2027 ‧, U+30FB ・, U+FF0E ．,
 * U+FF65 ･, and '.') are dropped, since banks' systems write the dot
 * in any of these forms or not at all; full-width ASCII (U+FF01–FF5E)
 * becomes half-width, and ASCII letters upper case. DD_EINVAL
 * (INVALID_NAME) for invalid UTF-8 or a name over PAYEE_NAME_MAX bytes;
 * DD_ETOOBIG when cap is too small. */
enum dd_status payee_name_normalise(const char *in, char *out, size_t cap,
                                    struct dd_error *err) DD_WUR;

/* DD_OK when the two names are equal once normalised and not empty;
 * DD_EINVAL with err->field "account_name" and code ACCOUNT_NAME_MISMATCH
 * when they differ, or INVALID_NAME as payee_name_normalise. */
enum dd_status payee_name_match(const char *account_name,
                                const char *payee_name,
                                struct dd_error *err) DD_WUR;

/* The display form: the first 4 and last 4 digits with '*' between
 * ("6222***********0128" keeps the length). A number that is not 9 to
 * PAYEE_NUMBER_MAX digits comes out as "****", so nothing leaks. */
void payee_mask(const char *number, char out[PAYEE_MASK_LEN]);

/* ---- who is paid ---- */

/* Full age (民法典 Art. 17: a person of 18 is an adult). */
#define PAYEE_ADULT_AGE 18

/* A household member as the payee rule sees them: the relation to the
 * applicant (enum hh_relation) and full years of age on the decision
 * day (-1 when unknown: not counted as an adult). */
struct payee_member {
    int relation;
    int age;
};

/* The member an entitlement is paid to (issue 13 §1): the household's
 * applicant (申请人, relation HH_REL_APPLICANT, the head), an adult.
 * When the applicant is a minor (a child's own 孤儿, 事实无人抚养 or
 * 特困 item) the child's guardian by the order of 民法典 Art. 27: a
 * parent; then a grandparent; then an adult sibling (兄、姐); then
 * another adult member (Art. 27(3)); within a rank the first listed. A
 * guardian appointed otherwise (Arts. 29-32) is named through the
 * entitlement's payee change. The applicant when no adult qualifies;
 * -1 when there is no applicant. */
int payee_member_index(const struct payee_member *m, size_t n);

#endif
