/* SPDX-License-Identifier: MIT */
/* Citizen ID numbers (公民身份号码, GB 11643-1999) and the residence permits
 * for Hong Kong, Macao and Taiwan residents that share their structure, plus
 * the 2nd-generation disability card number built on them (domain.md §8).
 * Pure: no I/O, no allocation; the caller passes today's date. */
#ifndef DD_IDCARD_H
#define DD_IDCARD_H

#include "core/status.h"

enum idcard_kind {
    IDCARD_RESIDENT = 0, /* a mainland 居民身份证 number */
    IDCARD_PERMIT_HK,    /* 港澳台居民居住证, address code 810000 */
    IDCARD_PERMIT_MO,    /* address code 820000 */
    IDCARD_PERMIT_TW,    /* address code 830000 */
};

struct idcard {
    char number[19]; /* normalised: 18 characters, the check 'X' upper case */
    int birth_year, birth_month, birth_day;
    char sex;       /* 'M' (odd sequence) or 'F' (even), GB 11643-1999 §5.4 */
    char region[7]; /* the 6-digit address code (GB/T 2260) */
    enum idcard_kind kind;
    int upgraded_from_15; /* 1 when the input was a 15-digit number */
};

/* Parses a citizen ID or residence-permit number into *out.
 *
 * Accepts 18 characters (17 digits and a check digit or 'x'/'X') or a legacy
 * 15-digit number (GB 11643-1989), which is upgraded by inserting "19" before
 * the 2-digit year and computing the check character. Nothing is trimmed:
 * surrounding spaces are an error (the caller trims).
 *
 * today_y/m/d is the date a birth date may not be after. On DD_OK *out is
 * filled in (out NULL is a bug: DD_EINTERNAL); otherwise *out is left
 * unspecified and DD_EINVAL comes back with
 * err->code (err may be NULL; err->field is always left NULL, the caller sets
 * the JSON path):
 *   INVALID_ID_LENGTH      not 18 or 15 characters
 *   INVALID_ID_FORMAT      a non-digit (other than the 18th 'x'/'X')
 *   INVALID_ID_CHECKSUM    the 18th character is not the ISO 7064 check
 *   INVALID_ID_REGION      the address code is no GB/T 2260 province, or a
 *                          permit prefix other than 810000/820000/830000
 *   INVALID_ID_BIRTH_DATE  no such date, before 1900, or after today
 * The checks run in that order. */
enum dd_status idcard_parse(const char *text, int today_y, int today_m,
                            int today_d, struct idcard *out,
                            struct dd_error *err) DD_WUR;

/* The ISO 7064 MOD 11-2 check character ('0'-'9' or 'X') of the 17 digits
 * at first17, or 0 when one of them is not a digit. Reads at most 17 bytes
 * and stops at a NUL. */
int idcard_check_char(const char *first17);

/* Writes the display form of an 18-character number into out: the first 6
 * characters, 8 '*', the last 4 ("500103********123X"). Anything that is not
 * exactly 18 characters comes out as 18 '*', so nothing leaks. */
void idcard_mask(const char *number18, char out[19]);

/* Full years of age on y-m-d, or -1 when that date is before the birth.
 * Someone born on 29 February turns a year older on 1 March in a non-leap
 * year (on 28 February they are still the younger age). */
int idcard_age_on(const struct idcard *id, int y, int m, int d);

/* Parses a 2nd-generation disability card number (第二代残疾人证号):
 * the holder's 18-character ID number, the category [1-7], the grade [1-4],
 * and optionally "B" and a reissue digit [1-9]: 20 or 22 characters.
 * The ID part must equal id_number18 (an 'x' there matches 'X').
 * On DD_OK sets *category and *grade; otherwise DD_EINVAL with err->code
 * DISABILITY_CARD_INVALID (length, characters, category, grade, suffix) or
 * DISABILITY_CARD_MISMATCH (a well-formed card of another ID number). */
enum dd_status idcard_disability_card_parse(const char *text,
                                            const char *id_number18,
                                            int *category, int *grade,
                                            struct dd_error *err) DD_WUR;

/* The name of a disability category 1-7 in English (zh == 0) or Chinese,
 * or NULL for any other number. Static strings. */
const char *idcard_disability_category_name(int category, int zh);

#endif
