/* SPDX-License-Identifier: MIT */
/* Random bearer tokens (sessions, CSRF, API clients), their storage hash,
 * constant-time comparison, and random digit strings for one-time codes. */
#ifndef DD_TOKEN_H
#define DD_TOKEN_H

#include <stddef.h>

#include "core/status.h"

#define TOKEN_RAW_LEN 32
#define TOKEN_LEN 43      /* base64url of 32 bytes, unpadded */
#define TOKEN_HASH_LEN 64 /* SM3 in hex */

/* Writes a new token, 32 bytes from libsodium's CSPRNG as unpadded
 * base64url (43 characters of [A-Za-z0-9_-]) plus the NUL, into out. The
 * caller keeps it in memory it wipes. Always DD_OK: libsodium aborts
 * rather than return bad randomness. */
enum dd_status token_new(char out[TOKEN_LEN + 1]) DD_WUR;

/* out = lowercase hex SM3 of the token string, what the store keeps. A
 * plain hash is right here because tokens carry 256 bits of entropy. */
void token_hash(const char *token, char out[TOKEN_HASH_LEN + 1]);

/* 1 if the two NUL-terminated strings are equal, else 0, in time that
 * depends only on their lengths. NULL and the empty string equal nothing,
 * so a missing token never matches a missing one. */
int token_equal(const char *a, const char *b) DD_WUR;

/* Writes ndigits uniformly random decimal digits and a NUL into out, which
 * holds ndigits + 1 bytes. DD_EINVAL if out is NULL or ndigits is 0. */
enum dd_status token_digits(char *out, size_t ndigits) DD_WUR;

#endif
