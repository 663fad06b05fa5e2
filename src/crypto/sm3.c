/* SPDX-License-Identifier: MIT */
/* SM3 and HMAC-SM3 through OpenSSL 3, and the pre-keyed HMAC-SM3 of
 * sm3.h. The algorithm objects are fetched once per process and shared by
 * all threads, as OpenSSL allows. */
#include "crypto/sm3.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "crypto/ctxpool.h"

static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;
static EVP_MD *sm3_md;
static EVP_MAC *hmac_mac;

/* Not a log_msg: this runs before or outside anything that could log, and
 * it ends the process. */
static void
fatal(const char *what)
{
    fprintf(stderr, "doudi: crypto: %s\n", what);
    abort();
}

static void
fetch_algorithms(void)
{
    sm3_md = EVP_MD_fetch(NULL, "SM3", NULL);
    if (sm3_md == NULL)
        fatal("OpenSSL does not provide SM3");
    hmac_mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    if (hmac_mac == NULL)
        fatal("OpenSSL does not provide HMAC");
}

static const EVP_MD *
md_get(void)
{
    if (pthread_once(&fetch_once, fetch_algorithms) != 0)
        fatal("pthread_once failed");
    return sm3_md;
}

/* struct sm3_ctx is never defined: a handle is an EVP_MD_CTX under another
 * name, so the API hides OpenSSL without a second allocation. */
static EVP_MD_CTX *
ctx_md(struct sm3_ctx *ctx)
{
    return (EVP_MD_CTX *)ctx;
}

struct sm3_ctx *
sm3_new(void)
{
    const EVP_MD *md = md_get();
    EVP_MD_CTX *c = EVP_MD_CTX_new();

    if (c == NULL)
        return NULL;
    if (EVP_DigestInit_ex(c, md, NULL) != 1) {
        EVP_MD_CTX_free(c);
        return NULL;
    }
    return (struct sm3_ctx *)c;
}

void
sm3_update(struct sm3_ctx *ctx, const void *data, size_t len)
{
    if (len == 0)
        return;
    if (EVP_DigestUpdate(ctx_md(ctx), data, len) != 1)
        fatal("SM3 update failed");
}

void
sm3_final(struct sm3_ctx *ctx, unsigned char out[SM3_DIGEST_LEN])
{
    unsigned int n = 0;

    if (EVP_DigestFinal_ex(ctx_md(ctx), out, &n) != 1 ||
        n != SM3_DIGEST_LEN)
        fatal("SM3 final failed");
    if (EVP_DigestInit_ex(ctx_md(ctx), md_get(), NULL) != 1)
        fatal("SM3 reset failed");
}

void
sm3_free(struct sm3_ctx *ctx)
{
    EVP_MD_CTX_free(ctx_md(ctx));
}

void
sm3_digest(const void *data, size_t len, unsigned char out[SM3_DIGEST_LEN])
{
    unsigned int n = 0;
    static const unsigned char empty[1];

    if (data == NULL)
        data = empty;
    if (EVP_Digest(data, len, out, &n, md_get(), NULL) != 1 ||
        n != SM3_DIGEST_LEN)
        fatal("SM3 digest failed");
}

void
sm3_hex(const void *data, size_t len, char out[SM3_HEX_LEN + 1])
{
    unsigned char d[SM3_DIGEST_LEN];

    sm3_digest(data, len, d);
    hex_encode(d, sizeof(d), out);
    OPENSSL_cleanse(d, sizeof(d));
}

/* Keys mc for HMAC-SM3; EVP_MAC_init's result. OpenSSL reads a NULL key
 * as "keep the previous key", and a fresh context has none, so an empty
 * key must still be a pointer. */
static int
mac_init(EVP_MAC_CTX *mc, const void *key, size_t key_len)
{
    static const unsigned char empty[1];
    char digest_name[] = "SM3";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name,
            0),
        OSSL_PARAM_construct_end(),
    };

    return EVP_MAC_init(mc, key != NULL ? key : empty, key_len, params);
}

void
hmac_sm3(const void *key, size_t key_len, const void *data, size_t len,
    unsigned char out[SM3_DIGEST_LEN])
{
    static const unsigned char empty[1];
    EVP_MAC_CTX *mc;
    size_t n = 0;

    (void)md_get();
    if (data == NULL)
        data = empty;
    mc = EVP_MAC_CTX_new(hmac_mac);
    if (mc == NULL)
        fatal("HMAC-SM3 context allocation failed");
    if (mac_init(mc, key, key_len) != 1 ||
        EVP_MAC_update(mc, data, len) != 1 ||
        EVP_MAC_final(mc, out, &n, SM3_DIGEST_LEN) != 1 ||
        n != SM3_DIGEST_LEN)
        fatal("HMAC-SM3 failed");
    /* EVP_MAC_CTX_free cleanses the key schedule. */
    EVP_MAC_CTX_free(mc);
}

struct hmac_sm3_key {
    /* Keyed by hmac_sm3_key_new and never updated after: only copied, under
     * the pool's lock, into new pool contexts. */
    EVP_MAC_CTX *tmpl;
    struct ctxpool pool;
};

/* The pool's make and free (crypto/ctxpool.h). */
static void *
mac_dup(void *tmpl)
{
    return EVP_MAC_CTX_dup(tmpl);
}

static void
mac_free(void *mc)
{
    /* EVP_MAC_CTX_free cleanses the key and the keyed SM3 states. */
    EVP_MAC_CTX_free(mc);
}

enum dd_status
hmac_sm3_key_new(const void *key, size_t key_len, struct hmac_sm3_key **out)
{
    struct hmac_sm3_key *hk;

    *out = NULL;
    (void)md_get();
    hk = calloc(1, sizeof(*hk));
    if (hk == NULL)
        return DD_ENOMEM;
    if (ctxpool_init(&hk->pool) != 0) {
        free(hk);
        return DD_ENOMEM;
    }
    hk->tmpl = EVP_MAC_CTX_new(hmac_mac);
    if (hk->tmpl == NULL ||
        mac_init(hk->tmpl, key, key_len) != 1) {
        /* With SM3 and HMAC present (md_get), only memory can be short. */
        hmac_sm3_key_free(hk);
        return DD_ENOMEM;
    }
    *out = hk;
    return DD_OK;
}

void
hmac_sm3_key_free(struct hmac_sm3_key *hk)
{
    if (hk == NULL)
        return;
    ctxpool_destroy(&hk->pool, mac_free);
    EVP_MAC_CTX_free(hk->tmpl);
    free(hk);
}

void
hmac_sm3_keyed(struct hmac_sm3_key *hk, const void *data, size_t len,
    unsigned char out[SM3_DIGEST_LEN])
{
    static const unsigned char empty[1];
    EVP_MAC_CTX *mc = ctxpool_take(&hk->pool, mac_dup, hk->tmpl);
    size_t n = 0;

    if (mc == NULL)
        fatal("HMAC-SM3 context allocation failed");
    if (data == NULL)
        data = empty;
    /* A NULL key restarts from the keyed inner state (HMAC_Init_ex with
     * no key): no fetch, no allocation, no key schedule. */
    if (EVP_MAC_init(mc, NULL, 0, NULL) != 1 ||
        EVP_MAC_update(mc, data, len) != 1 ||
        EVP_MAC_final(mc, out, &n, SM3_DIGEST_LEN) != 1 ||
        n != SM3_DIGEST_LEN)
        fatal("HMAC-SM3 failed");
    ctxpool_give(&hk->pool, mc, mac_free);
}

void
hex_encode(const unsigned char *in, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    size_t i;

    for (i = 0; i < len; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 0x0f];
    }
    out[2 * len] = '\0';
}
