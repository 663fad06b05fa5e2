/* SPDX-License-Identifier: MIT */
/* Personal data at rest: SM4-CTR then HMAC-SM3 (encrypt-then-MAC), because
 * Debian 12's OpenSSL 3.0 has no SM4-GCM, and a keyed blind index. The
 * token format and the key derivation are documented in pii.h. Each key is
 * set up once in pii_keys_new, and calls reuse pooled keyed contexts. */
#include "crypto/pii.h"

#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <sodium.h>

#include "crypto/crypto.h"
#include "crypto/ctxpool.h"
#include "crypto/sm3.h"

#define SUBKEY_LEN SM3_DIGEST_LEN
#define SM4_KEY_LEN 16
#define B64_VARIANT sodium_base64_VARIANT_URLSAFE_NO_PADDING
/* The tag covers the version without its colon, the associated data
 * (pii.h), then IV ‖ C. */
#define MAC_PREFIX "v2"
#define MAC_PREFIX_LEN (sizeof(MAC_PREFIX) - 1)
#define PREFIX_LEN (sizeof(PII_PREFIX) - 1)
#define OVERHEAD (PII_IV_LEN + PII_TAG_LEN)
/* Each of the three parts of the associated data: a length byte, then
 * the part. */
#define AD_MAX (3 * (1 + PII_AD_PART_MAX))
/* The working buffer: "v2" ‖ AD ‖ IV ‖ C ‖ T, so that the MAC input is one
 * run and the token body is its tail from IV on. */
#define WORK_MAX (MAC_PREFIX_LEN + AD_MAX + OVERHEAD + PII_PLAINTEXT_MAX)
/* The longest base64 body of a valid token, without the NUL. */
#define B64_MAX                                                                \
    (sodium_base64_ENCODED_LEN(OVERHEAD + PII_PLAINTEXT_MAX, B64_VARIANT) - 1)

_Static_assert(SUBKEY_LEN >= SM4_KEY_LEN, "the SM4 key is a subkey prefix");
_Static_assert(PII_TAG_LEN == SM3_DIGEST_LEN, "the tag is one HMAC-SM3");
_Static_assert(PII_BLIND_INDEX_LEN == SM3_HEX_LEN, "the index is SM3 hex");
_Static_assert(PII_PLAINTEXT_MAX < INT_MAX, "EVP lengths are int");

/* The subkeys of pii.h, only while pii_keys_new keys the contexts with
 * them: sodium_malloc'd, wiped and freed before it returns. */
struct subkeys {
    unsigned char enc_key[SUBKEY_LEN]; /* SM4 uses the first 16 bytes */
    unsigned char mac_key[SUBKEY_LEN];
    unsigned char blind_key[SUBKEY_LEN];
};

/* SM4-CTR keyed once: the template holds the key schedule and no IV, and
 * the pool holds copies of it that each call restarts with its own IV. */
struct sm4_key {
    EVP_CIPHER_CTX *tmpl; /* never used to encrypt: only copied */
    struct ctxpool pool;
};

/* Only pointers, fixed after pii_keys_new; the key material is in the
 * OpenSSL contexts behind them. */
struct pii_keys {
    struct sm4_key *enc;
    struct hmac_sm3_key *mac;
    struct hmac_sm3_key *blind;
};

static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;
/* Fetched once and kept for the life of the process, shared by all
 * threads as OpenSSL allows; NULL if this OpenSSL has no usable SM4-CTR. */
static EVP_CIPHER *sm4_ctr;

static void
fetch_cipher(void)
{
    EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, "SM4-CTR", NULL);

    if (c != NULL && (EVP_CIPHER_get_key_length(c) != SM4_KEY_LEN ||
                      EVP_CIPHER_get_iv_length(c) != PII_IV_LEN)) {
        EVP_CIPHER_free(c);
        c = NULL;
    }
    sm4_ctr = c;
}

static const EVP_CIPHER *
cipher_get(void)
{
    if (pthread_once(&fetch_once, fetch_cipher) != 0)
        return NULL;
    return sm4_ctr;
}

/* The pool's make and free (crypto/ctxpool.h). */
static void *
sm4_dup(void *tmpl)
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();

    if (c != NULL && EVP_CIPHER_CTX_copy(c, tmpl) != 1) {
        EVP_CIPHER_CTX_free(c);
        c = NULL;
    }
    return c;
}

static void
sm4_free(void *c)
{
    /* Frees and cleanses the key schedule. */
    EVP_CIPHER_CTX_free(c);
}

static void
sm4_key_free(struct sm4_key *sk)
{
    if (sk == NULL)
        return;
    ctxpool_destroy(&sk->pool, sm4_free);
    EVP_CIPHER_CTX_free(sk->tmpl);
    free(sk);
}

/* Keys a new *out with the 16-byte SM4 key. DD_ENOMEM or, if the cipher
 * refuses the key, DD_EINTERNAL. */
static enum dd_status
sm4_key_new(const EVP_CIPHER *cipher, const unsigned char key[SM4_KEY_LEN],
            struct sm4_key **out)
{
    struct sm4_key *sk = calloc(1, sizeof(*sk));
    enum dd_status rc = DD_ENOMEM;

    *out = NULL;
    if (sk == NULL)
        return DD_ENOMEM;
    if (ctxpool_init(&sk->pool) != 0) {
        free(sk);
        return DD_ENOMEM;
    }
    sk->tmpl = EVP_CIPHER_CTX_new();
    if (sk->tmpl == NULL)
        goto out;
    rc = DD_EINTERNAL;
    if (EVP_EncryptInit_ex2(sk->tmpl, cipher, key, NULL, NULL) != 1)
        goto out;
    *out = sk;
    sk = NULL;
    rc = DD_OK;
out:
    sm4_key_free(sk);
    return rc;
}

/* out[0..len) = SM4-CTR(enc_key, iv, in[0..len)). CTR is its own inverse,
 * so this both encrypts and decrypts. A pooled context keeps the key
 * schedule; setting only the IV restarts the counter at the IV with no
 * buffered keystream, as a fresh context would. */
static enum dd_status
ctr_apply(const struct pii_keys *k, const unsigned char iv[PII_IV_LEN],
          const unsigned char *in, size_t len, unsigned char *out)
{
    EVP_CIPHER_CTX *ctx;
    int n = 0, fin = 0;

    if (len == 0)
        return DD_OK;
    ctx = ctxpool_take(&k->enc->pool, sm4_dup, k->enc->tmpl);
    if (ctx == NULL)
        return DD_ENOMEM;
    if (EVP_EncryptInit_ex2(ctx, NULL, NULL, iv, NULL) != 1 ||
        EVP_EncryptUpdate(ctx, out, &n, in, (int)len) != 1 ||
        EVP_EncryptFinal_ex(ctx, out + n, &fin) != 1 ||
        (size_t)n + (size_t)fin != len) {
        /* A context in an unknown state does not go back to the pool. */
        sm4_free(ctx);
        return DD_EINTERNAL;
    }
    ctxpool_give(&k->enc->pool, ctx, sm4_free);
    return DD_OK;
}

enum dd_status
pii_keys_new(const unsigned char data_key[KEYFILE_KEY_LEN],
             struct pii_keys **out)
{
    static const char enc_label[] = "doudi/v1/sm4-enc";
    static const char mac_label[] = "doudi/v1/mac";
    static const char blind_label[] = "doudi/v1/blind-index";
    const EVP_CIPHER *cipher;
    struct subkeys *sub = NULL;
    struct pii_keys *k = NULL;
    enum dd_status rc = DD_EINTERNAL;

    *out = NULL;
    crypto_ready();
    cipher = cipher_get();
    if (cipher == NULL)
        goto out;
    rc = DD_ENOMEM;
    sub = sodium_malloc(sizeof(*sub));
    k = calloc(1, sizeof(*k));
    if (sub == NULL || k == NULL)
        goto out;
    hmac_sm3(data_key, KEYFILE_KEY_LEN, enc_label, sizeof(enc_label) - 1,
             sub->enc_key);
    hmac_sm3(data_key, KEYFILE_KEY_LEN, mac_label, sizeof(mac_label) - 1,
             sub->mac_key);
    hmac_sm3(data_key, KEYFILE_KEY_LEN, blind_label, sizeof(blind_label) - 1,
             sub->blind_key);
    rc = sm4_key_new(cipher, sub->enc_key, &k->enc);
    if (rc != DD_OK)
        goto out;
    rc = hmac_sm3_key_new(sub->mac_key, SUBKEY_LEN, &k->mac);
    if (rc != DD_OK)
        goto out;
    rc = hmac_sm3_key_new(sub->blind_key, SUBKEY_LEN, &k->blind);
    if (rc != DD_OK)
        goto out;
    *out = k;
    k = NULL;
out:
    /* sodium_free zeroes the subkeys before unmapping them. */
    if (sub != NULL)
        sodium_free(sub);
    pii_keys_free(k);
    return rc;
}

enum dd_status
pii_keys_load(const char *key_file, struct pii_keys **out)
{
    unsigned char *data_key;
    enum dd_status rc;

    *out = NULL;
    crypto_ready();
    data_key = sodium_malloc(KEYFILE_KEY_LEN);
    if (data_key == NULL)
        return DD_ENOMEM;
    rc = keyfile_read(key_file, data_key);
    if (rc == DD_OK)
        rc = pii_keys_new(data_key, out);
    crypto_wipe(data_key, KEYFILE_KEY_LEN);
    sodium_free(data_key);
    return rc;
}

void
pii_keys_free(struct pii_keys *k)
{
    /* Each context's key schedule is cleansed by OpenSSL as it is freed. */
    if (k == NULL)
        return;
    sm4_key_free(k->enc);
    hmac_sm3_key_free(k->mac);
    hmac_sm3_key_free(k->blind);
    free(k);
}

size_t
pii_sealed_len(size_t plaintext_len)
{
    if (plaintext_len > SIZE_MAX / 2)
        return SIZE_MAX;
    return PREFIX_LEN +
           sodium_base64_ENCODED_LEN(OVERHEAD + plaintext_len, B64_VARIANT);
}

/* Writes "v2" ‖ len ‖ table ‖ len ‖ column ‖ len ‖ row at the start of
 * work and returns its length, or 0 when a part is missing, empty (a
 * value bound to no row would be movable) or over PII_AD_PART_MAX bytes. The
 * length bytes keep ("ab", "c") and ("a", "bc") apart. */
static size_t
ad_put(const struct pii_ad *ad, unsigned char *work)
{
    const char *part[3] = {ad->table, ad->column, ad->row};
    size_t n = MAC_PREFIX_LEN;

    memcpy(work, MAC_PREFIX, MAC_PREFIX_LEN);
    for (int i = 0; i < 3; i++) {
        size_t len;
        if (part[i] == NULL)
            return 0;
        len = strnlen(part[i], PII_AD_PART_MAX + 1);
        if (len == 0 || len > PII_AD_PART_MAX)
            return 0;
        work[n++] = (unsigned char)len;
        memcpy(work + n, part[i], len);
        n += len;
    }
    return n;
}

enum dd_status
pii_seal(const struct pii_keys *k, const struct pii_ad *ad,
         const char *plaintext, char *out, size_t out_len)
{
    unsigned char work[WORK_MAX];
    unsigned char *iv, *ct;
    size_t len, ad_len, work_len = 0;
    enum dd_status rc;

    if (out_len > 0)
        out[0] = '\0';
    len = strnlen(plaintext, PII_PLAINTEXT_MAX + 1);
    if (len > PII_PLAINTEXT_MAX || out_len < pii_sealed_len(len))
        return DD_ETOOBIG;
    ad_len = ad_put(ad, work);
    if (ad_len == 0)
        return DD_EINVAL;
    iv = work + ad_len;
    ct = iv + PII_IV_LEN;
    crypto_ready();
    randombytes_buf(iv, PII_IV_LEN);
    rc = ctr_apply(k, iv, (const unsigned char *)plaintext, len, ct);
    if (rc != DD_OK)
        goto out;
    work_len = ad_len + PII_IV_LEN + len;
    hmac_sm3_keyed(k->mac, work, work_len, work + work_len);
    work_len += PII_TAG_LEN;
    memcpy(out, PII_PREFIX, PREFIX_LEN);
    sodium_bin2base64(out + PREFIX_LEN, out_len - PREFIX_LEN, iv,
                      work_len - ad_len, B64_VARIANT);
out:
    /* Only ciphertext and IV were here, but leave no trace on the stack. */
    crypto_wipe(work, sizeof(work));
    return rc;
}

/* A byte's URL-safe base64 digit value, -1 for any other byte. */
/* clang-format off */
static const signed char B64_DIGIT[256] = {
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 62, -1, -1,
    52, 53, 54, 55, 56, 57, 58, 59, 60, 61, -1, -1, -1, -1, -1, -1,
    -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
    15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1, 63,
    -1, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
    41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
};
/* clang-format on */

/* Decodes URL-safe base64 without padding, strictly, as sodium does for
 * B64_VARIANT (one spelling per token: every byte a digit, no padding,
 * a final 1-digit group refused, no stray bits in the last digit), into
 * out (cap bytes); -1 when it does not decode or fit. Not constant-time:
 * it reads sealed tokens, whose bytes are no secret (a fifth of
 * pii_open's time went to sodium's constant-time decoder). */
static int
b64_decode_strict(const char *in, size_t len, unsigned char *out, size_t cap,
                  size_t *out_len)
{
    size_t n = len / 4 * 3 + (len % 4 ? len % 4 - 1 : 0);
    if (len % 4 == 1 || n > cap)
        return -1;
    uint32_t acc = 0;
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        int d = B64_DIGIT[(unsigned char)in[i]];
        if (d < 0)
            return -1;
        acc = acc << 6 | (uint32_t)d;
        if (i % 4 == 3) {
            out[o++] = (unsigned char)(acc >> 16);
            out[o++] = (unsigned char)(acc >> 8);
            out[o++] = (unsigned char)acc;
            acc = 0;
        }
    }
    switch (len % 4) {
    case 2: /* 12 bits: one byte, 4 left over */
        if (acc & 0xf)
            return -1;
        out[o++] = (unsigned char)(acc >> 4);
        break;
    case 3: /* 18 bits: two bytes, 2 left over */
        if (acc & 0x3)
            return -1;
        out[o++] = (unsigned char)(acc >> 10);
        out[o++] = (unsigned char)(acc >> 2);
        break;
    }
    *out_len = o;
    return 0;
}

enum dd_status
pii_open(const struct pii_keys *k, const struct pii_ad *ad, const char *sealed,
         char *out, size_t out_len)
{
    unsigned char work[WORK_MAX];
    unsigned char tag[PII_TAG_LEN];
    unsigned char *iv, *ct;
    const char *b64;
    size_t b64_len, ad_len, raw_len = 0, ct_len = 0;
    enum dd_status rc = DD_EINVAL;

    if (out_len > 0)
        out[0] = '\0';
    ad_len = ad_put(ad, work);
    if (ad_len == 0 || strncmp(sealed, PII_PREFIX, PREFIX_LEN) != 0)
        goto out;
    iv = work + ad_len;
    ct = iv + PII_IV_LEN;
    b64 = sealed + PREFIX_LEN;
    b64_len = strnlen(b64, B64_MAX + 1);
    if (b64_len > B64_MAX)
        goto out;
    /* Strict decoding: no padding, no ignored characters, every character
     * consumed and no stray bits in the last one, so that one token has one
     * spelling. */
    if (b64_decode_strict(b64, b64_len, iv, sizeof(work) - ad_len,
                          &raw_len) != 0 ||
        raw_len < OVERHEAD)
        goto out;
    ct_len = raw_len - OVERHEAD;
    hmac_sm3_keyed(k->mac, work, ad_len + PII_IV_LEN + ct_len, tag);
    /* Authenticate first: nothing unauthenticated reaches the cipher, and
     * a token sealed for another row or column fails here. */
    if (sodium_memcmp(tag, ct + ct_len, PII_TAG_LEN) != 0)
        goto out;
    if (out_len < ct_len + 1) {
        rc = DD_ETOOBIG;
        goto out;
    }
    rc = ctr_apply(k, iv, ct, ct_len, (unsigned char *)out);
    if (rc != DD_OK)
        goto out;
    /* pii_seal takes a C string, so an authentic plaintext has no NUL; one
     * would mean the key sealed something else, and would truncate. */
    if (memchr(out, '\0', ct_len) != NULL) {
        rc = DD_EINVAL;
        goto out;
    }
    out[ct_len] = '\0';
out:
    if (rc != DD_OK && out_len > 0)
        crypto_wipe(out, out_len < ct_len + 1 ? out_len : ct_len + 1);
    crypto_wipe(tag, sizeof(tag));
    crypto_wipe(work, sizeof(work));
    return rc;
}

void
pii_blind_index(const struct pii_keys *k, const char *normalised_value,
                char out[PII_BLIND_INDEX_LEN + 1])
{
    unsigned char mac[SM3_DIGEST_LEN];

    hmac_sm3_keyed(k->blind, normalised_value, strlen(normalised_value), mac);
    hex_encode(mac, sizeof(mac), out);
    crypto_wipe(mac, sizeof(mac));
}
