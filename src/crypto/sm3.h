/* SPDX-License-Identifier: MIT */
/* SM3 (GB/T 32905) and HMAC-SM3 over OpenSSL 3's EVP, for 商用密码
 * compliance: token hashes, the audit hash chain and the SM4 record MAC. */
#ifndef DD_SM3_H
#define DD_SM3_H

#include <stddef.h>

#include "core/status.h"

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
/* out = SM3(data[0..len)) as lowercase hex, NUL-terminated; the binary
 * digest is wiped (a token's hash, token.h). */
void sm3_hex(const void *data, size_t len, char out[SM3_HEX_LEN + 1]);

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

/* A pre-keyed HMAC-SM3: the key is absorbed once by hmac_sm3_key_new
 * (OpenSSL's HMAC keeps the inner and outer SM3 states of key ^ ipad and
 * key ^ opad), and each hmac_sm3_keyed only restarts from those states,
 * where hmac_sm3 fetches, allocates, keys and frees a new context per call
 * (bench/crypto_bench measures the difference). The keyed contexts sit in
 * a ctxpool (crypto/ctxpool.h): a call takes an idle one, or copies a new
 * one from the keyed template, and gives it back, so one hmac_sm3_key may
 * be used by any number of threads at once. The key lives only in those
 * OpenSSL contexts, which OpenSSL cleanses when hmac_sm3_key_free frees
 * them; the caller still owns (and should wipe) its copy of the key. */
struct hmac_sm3_key;

/* Keys a new *out with key[0..key_len) (key may be NULL when key_len is
 * 0). DD_ENOMEM if OpenSSL or the pool cannot have memory. */
enum dd_status hmac_sm3_key_new(const void *key, size_t key_len,
    struct hmac_sm3_key **out) DD_WUR;
/* Frees hk and every context keyed with it; NULL is fine. No other thread
 * may be using hk. */
void hmac_sm3_key_free(struct hmac_sm3_key *hk);
/* out = HMAC-SM3(hk's key, data[0..len)), the same bytes as hmac_sm3 with
 * that key. data may be NULL when len is 0. Fatal only if OpenSSL runs out
 * of memory for a context, as hmac_sm3. */
void hmac_sm3_keyed(struct hmac_sm3_key *hk, const void *data, size_t len,
    unsigned char out[SM3_DIGEST_LEN]);

/* Writes in[0..len) as lowercase hex into out, which holds 2*len+1 bytes,
 * NUL-terminated. */
void hex_encode(const unsigned char *in, size_t len, char *out);

#endif
