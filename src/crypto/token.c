/* SPDX-License-Identifier: MIT */
/* Tokens from libsodium's CSPRNG, hashed with SM3 for storage. */
#include "crypto/token.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto/crypto.h"
#include "crypto/sm3.h"

_Static_assert(sodium_base64_ENCODED_LEN(
                   TOKEN_RAW_LEN, sodium_base64_VARIANT_URLSAFE_NO_PADDING) ==
                   TOKEN_LEN + 1,
               "TOKEN_LEN must match base64url of TOKEN_RAW_LEN bytes");
_Static_assert(TOKEN_HASH_LEN == SM3_HEX_LEN, "TOKEN_HASH_LEN is SM3 hex");

enum dd_status
token_new(char out[TOKEN_LEN + 1])
{
    unsigned char raw[TOKEN_RAW_LEN];

    crypto_ready();
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(out, TOKEN_LEN + 1, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
    return DD_OK;
}

void
token_hash(const char *token, char out[TOKEN_HASH_LEN + 1])
{
    sm3_hex(token, strlen(token), out);
}

int
token_equal(const char *a, const char *b)
{
    size_t len;

    crypto_ready();
    if (a == NULL || b == NULL)
        return 0;
    len = strlen(a);
    /* Leaks only the length, which is public for our fixed-size tokens. */
    if (len == 0 || len != strlen(b))
        return 0;
    return sodium_memcmp(a, b, len) == 0;
}

enum dd_status
token_digits(char *out, size_t ndigits)
{
    size_t i;
    enum dd_status rc = DD_OK;

    crypto_ready();
    if (out == NULL || ndigits == 0) {
        rc = DD_EINVAL;
        goto out;
    }
    /* randombytes_uniform rejects the biased tail, so each digit is
     * exactly uniform. */
    for (i = 0; i < ndigits; i++)
        out[i] = (char)('0' + randombytes_uniform(10));
    out[ndigits] = '\0';
out:
    return rc;
}
