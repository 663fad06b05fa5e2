/* SPDX-License-Identifier: MIT */
/* SM3 (GB/T 32905) and HMAC-SM3 over OpenSSL 3's EVP, for 商用密码
 * compliance: token hashes, the audit hash chain and the SM4 record MAC. */
#ifndef DD_SM3_H
#define DD_SM3_H

#include <stddef.h>

#define SM3_DIGEST_LEN 32
#define SM3_HEX_LEN (2 * SM3_DIGEST_LEN) /* without the NUL */

/* OpenSSL must provide SM3 and HMAC; that is a fact of the build, checked
 * once on first use, and the process aborts if it is false. After that the
 * functions below cannot fail except by OpenSSL running out of memory for
 * a context, which they also treat as fatal because their signatures have
 * no way to report it (sm3_new is the exception: it returns NULL). */

/* out = SM3(data[0..len)). data may be NULL when len is 0. */
void sm3_digest(const void *data, size_t len,
    unsigned char out[SM3_DIGEST_LEN]);

/* A streaming SM3 computation: sm3_new, any number of sm3_update, then
 * sm3_final, which writes the digest and resets the context so it can
 * start a new message. sm3_new returns NULL on ENOMEM; sm3_free(NULL) is
 * fine. A context is not shared between threads. */
struct sm3_ctx;
struct sm3_ctx *sm3_new(void);
void sm3_update(struct sm3_ctx *ctx, const void *data, size_t len);
void sm3_final(struct sm3_ctx *ctx, unsigned char out[SM3_DIGEST_LEN]);
void sm3_free(struct sm3_ctx *ctx);

/* out = HMAC-SM3(key, data) (RFC 2104 with SM3). key may be NULL when
 * key_len is 0, and data when len is 0. */
void hmac_sm3(const void *key, size_t key_len, const void *data, size_t len,
    unsigned char out[SM3_DIGEST_LEN]);

/* Writes in[0..len) as lowercase hex into out, which holds 2*len+1 bytes,
 * NUL-terminated. */
void hex_encode(const unsigned char *in, size_t len, char *out);

#endif
