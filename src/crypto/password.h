/* SPDX-License-Identifier: MIT */
/* Password hashing (argon2id via libsodium) and the password policy that
 * every new or changed password must pass. */
#ifndef DD_PASSWORD_H
#define DD_PASSWORD_H

#include <stddef.h>

#include "core/status.h"

#define PASSWORD_HASH_LEN 128 /* crypto_pwhash_STRBYTES, NUL included */
#define PASSWORD_MIN_CHARS 10 /* Unicode code points */
#define PASSWORD_MAX_BYTES 128
#define PASSWORD_MIN_CLASSES 3 /* of lower, upper, digit, other */

/* Sets the argon2id cost used by password_hash and password_needs_rehash.
 * The default is libsodium's INTERACTIVE limits; tests lower it to MIN.
 * Values are clamped to libsodium's bounds. Call it before any thread
 * hashes (it is atomic, but hashes made meanwhile use either cost). */
void password_set_cost(unsigned long long ops, size_t mem);

/* Hashes password into out as an argon2id string ("$argon2id$v=19$...",
 * NUL-terminated) with a fresh random salt. The caller owns the password
 * and wipes it. DD_EINVAL if password is NULL, DD_ENOMEM if argon2 could
 * not get its memory. */
enum dd_status password_hash(const char *password,
    char out[PASSWORD_HASH_LEN]) DD_WUR;

/* 1 if password matches hash, 0 if not or if hash is not a valid argon2
 * string (or either is NULL). Runs in time independent of the match. Not
 * warn_unused_result: a login for an unknown user verifies against a dummy
 * hash only to spend the same time, and discards the answer. */
int password_verify(const char *hash, const char *password);

/* 1 if hash is not argon2id at the current cost (or is not valid), so the
 * caller should rehash the password at the next successful login. */
int password_needs_rehash(const char *hash) DD_WUR;

/* The common-password list, under the data directory. */
#define PASSWORD_BLOCKLIST_FILE "passwords/common.txt"

/* Loads DATA_DIR/passwords/common.txt (one password a line, '#' comments)
 * as the process's common-password list, replacing any list loaded
 * before. Call it before threads check passwords. DD_ENOTFOUND when the
 * file cannot be opened, DD_EINVAL when it cannot be read or is empty,
 * DD_ENOMEM. */
enum dd_status password_blocklist_load(const char *data_dir) DD_WUR;
/* 1 once a list is loaded: whoever sets a password must have one. */
int password_blocklist_loaded(void);

/* Checks password against the policy: at most PASSWORD_MAX_BYTES bytes, at
 * least PASSWORD_MIN_CHARS code points, at least PASSWORD_MIN_CLASSES
 * character classes (non-ASCII counts as "other"), no copy of a
 * non-empty username, compared case-insensitively for ASCII letters, and
 * (when a list is loaded) not a common password: an entry of the list,
 * compared case-insensitively, or one followed by digits and punctuation,
 * with @, 0, $ and 3 read as a, o, s and e in that base.
 * The first failing rule, in that order, fills err (field "password",
 * codes PASSWORD_TOO_LONG, PASSWORD_TOO_SHORT, PASSWORD_TOO_WEAK,
 * PASSWORD_CONTAINS_USERNAME, PASSWORD_TOO_COMMON; static strings) and
 * gives DD_EINVAL. err may be NULL; username may be NULL. The text is
 * assumed to be UTF-8, which the JSON layer has already checked. */
enum dd_status password_policy_check(const char *username,
    const char *password, struct dd_error *err) DD_WUR;

#endif
