/* SPDX-License-Identifier: MIT */
/* JWS verification of ID tokens: tokens signed here with keys generated
 * here (OpenSSL 3), RS256 and ES256 verified from their JWK parameters;
 * a changed payload, header or signature, another key, an algorithm the
 * key is not for ("none" among them), weak or unknown keys are refused;
 * PKCE S256 against RFC 7636's own example. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <sodium.h>

#include "unit_main.h"

#include "crypto/jws.h"

#define B64 sodium_base64_VARIANT_URLSAFE_NO_PADDING

/* base64url of n bytes, in a static buffer of its own (slot 0-3). */
static const char *
b64(const void *p, size_t n, int slot)
{
    static char out[4][2048];
    assert_true(sodium_base64_ENCODED_LEN(n, B64) <= sizeof(out[0]));
    return sodium_bin2base64(out[slot], sizeof(out[slot]), p, n, B64);
}

/* A parameter of a key as base64url, big-endian, pad bytes wide (0: as
 * short as the number). */
static const char *
param(const EVP_PKEY *k, const char *name, int pad, int slot)
{
    BIGNUM *bn = NULL;
    unsigned char raw[1024];
    assert_int_equal(EVP_PKEY_get_bn_param(k, name, &bn), 1);
    int n = pad ? BN_bn2binpad(bn, raw, pad) : BN_bn2bin(bn, raw);
    assert_true(n > 0);
    BN_free(bn);
    return b64(raw, (size_t)n, slot);
}

/* The compact JWS of header and payload signed by k (RS256, or ES256 as
 * r || s); the caller frees it. */
static char *
sign(EVP_PKEY *k, int es256, const char *header, const char *payload)
{
    char input[4096];
    unsigned char sig[1024], rs[64];
    size_t len = sizeof(sig);
    snprintf(input, sizeof(input), "%s", b64(header, strlen(header), 0));
    size_t at = strlen(input);
    snprintf(input + at, sizeof(input) - at, ".%s",
             b64(payload, strlen(payload), 0));
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    assert_int_equal(
        EVP_DigestSignInit_ex(c, NULL, "SHA256", NULL, NULL, k, NULL), 1);
    assert_int_equal(
        EVP_DigestSign(c, sig, &len, (unsigned char *)input, strlen(input)), 1);
    EVP_MD_CTX_free(c);
    const char *s = b64(sig, len, 1);
    if (es256) {
        const unsigned char *p = sig;
        ECDSA_SIG *e = d2i_ECDSA_SIG(NULL, &p, (long)len);
        assert_non_null(e);
        BN_bn2binpad(ECDSA_SIG_get0_r(e), rs, 32);
        BN_bn2binpad(ECDSA_SIG_get0_s(e), rs + 32, 32);
        ECDSA_SIG_free(e);
        s = b64(rs, sizeof(rs), 1);
    }
    size_t n = strlen(input) + strlen(s) + 2;
    char *out = calloc(1, n);
    assert_non_null(out);
    snprintf(out, n, "%s.%s", input, s);
    return out;
}

/* Every single-character change of t (one per part, in the middle of
 * each) is refused by key. */
static void
assert_changes_refused(const struct jws_key *key, const char *alg, char *t)
{
    const char *dot1 = strchr(t, '.'), *dot2 = strrchr(t, '.');
    size_t at[3] = {(size_t)(dot1 - t) / 2,
                    (size_t)(dot1 - t) + (size_t)(dot2 - dot1) / 2,
                    (size_t)(dot2 - t) + strlen(dot2) / 2};
    for (int i = 0; i < 3; i++) {
        char was = t[at[i]];
        t[at[i]] = was == 'A' ? 'B' : 'A';
        assert_int_equal(jws_verify(key, alg, t), DD_EINVAL);
        t[at[i]] = was;
    }
    assert_int_equal(jws_verify(key, alg, t), DD_OK);
}

static struct jws_key *
rsa_jwk(EVP_PKEY *k)
{
    struct jws_key *key = NULL;
    assert_int_equal(
        jws_key_new("RSA", "RS256", "", param(k, OSSL_PKEY_PARAM_RSA_N, 0, 2),
                    param(k, OSSL_PKEY_PARAM_RSA_E, 0, 3), "", "", &key),
        DD_OK);
    return key;
}

static struct jws_key *
ec_jwk(EVP_PKEY *k, const char *alg)
{
    struct jws_key *key = NULL;
    assert_int_equal(jws_key_new("EC", alg, "P-256", "", "",
                                 param(k, OSSL_PKEY_PARAM_EC_PUB_X, 32, 2),
                                 param(k, OSSL_PKEY_PARAM_EC_PUB_Y, 32, 3),
                                 &key),
                     DD_OK);
    return key;
}

static const char claims[] =
    "{\"iss\":\"http://127.0.0.1:4000\",\"sub\":\"p1\",\"aud\":\"doudi\","
    "\"nonce\":\"n\",\"id_number\":\"11010519491231002X\"}";

TEST_CASE(test_rs256)
{
    EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    EVP_PKEY *other = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    assert_non_null(k);
    assert_non_null(other);
    struct jws_key *key = rsa_jwk(k), *other_key = rsa_jwk(other);
    char *t = sign(k, 0, "{\"alg\":\"RS256\",\"kid\":\"k1\"}", claims);
    assert_int_equal(jws_verify(key, "RS256", t), DD_OK);
    assert_changes_refused(key, "RS256", t);
    /* another key, or an algorithm the key is not for */
    assert_int_equal(jws_verify(other_key, "RS256", t), DD_EINVAL);
    assert_int_equal(jws_verify(key, "ES256", t), DD_EINVAL);
    assert_int_equal(jws_verify(key, "none", t), DD_EINVAL);
    assert_int_equal(jws_verify(key, "HS256", t), DD_EINVAL);
    /* not three parts */
    *strrchr(t, '.') = '\0';
    assert_int_equal(jws_verify(key, "RS256", t), DD_EINVAL);
    free(t);
    jws_key_free(key);
    jws_key_free(other_key);
    EVP_PKEY_free(k);
    EVP_PKEY_free(other);
}

TEST_CASE(test_es256)
{
    EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    assert_non_null(k);
    struct jws_key *key = ec_jwk(k, "ES256"), *any = ec_jwk(k, "");
    char *t = sign(k, 1, "{\"alg\":\"ES256\"}", claims);
    assert_int_equal(jws_verify(key, "ES256", t), DD_OK);
    assert_int_equal(jws_verify(any, "ES256", t), DD_OK);
    assert_changes_refused(key, "ES256", t);
    assert_int_equal(jws_verify(key, "RS256", t), DD_EINVAL);
    /* a signature one byte short of r || s */
    char *dot = strrchr(t, '.');
    unsigned char raw[64];
    size_t n;
    assert_int_equal(
        jws_b64url_decode(dot + 1, strlen(dot + 1), raw, sizeof(raw), &n),
        DD_OK);
    assert_int_equal(n, 64);
    snprintf(dot + 1, strlen(dot + 1) + 1, "%s", b64(raw, 63, 0));
    assert_int_equal(jws_verify(key, "ES256", t), DD_EINVAL);
    free(t);
    jws_key_free(key);
    jws_key_free(any);
    EVP_PKEY_free(k);
}

/* Keys Doudi does not take: short RSA moduli, other curves and types,
 * algorithms other than RS256 and ES256, points off the curve, bad
 * base64url. */
TEST_CASE(test_keys_refused)
{
    struct jws_key *key = NULL;
    EVP_PKEY *small = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
    EVP_PKEY *rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    EVP_PKEY *ec = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    assert_non_null(small);
    assert_non_null(rsa);
    assert_non_null(ec);
    assert_int_equal(
        jws_key_new("RSA", "", "", param(small, OSSL_PKEY_PARAM_RSA_N, 0, 2),
                    param(small, OSSL_PKEY_PARAM_RSA_E, 0, 3), "", "", &key),
        DD_EINVAL);
    assert_null(key);
    assert_int_equal(
        jws_key_new("RSA", "RS512", "", param(rsa, OSSL_PKEY_PARAM_RSA_N, 0, 2),
                    param(rsa, OSSL_PKEY_PARAM_RSA_E, 0, 3), "", "", &key),
        DD_EINVAL);
    assert_int_equal(
        jws_key_new("RSA", "", "", "not*base64", "AQAB", "", "", &key),
        DD_EINVAL);
    assert_int_equal(jws_key_new("oct", "", "", "", "", "", "", &key),
                     DD_EINVAL);
    const char *x = param(ec, OSSL_PKEY_PARAM_EC_PUB_X, 32, 2);
    const char *y = param(ec, OSSL_PKEY_PARAM_EC_PUB_Y, 32, 3);
    assert_int_equal(jws_key_new("EC", "", "P-384", "", "", x, y, &key),
                     DD_EINVAL);
    /* x with y swapped for x: no point of the curve */
    assert_int_equal(jws_key_new("EC", "", "P-256", "", "", x, x, &key),
                     DD_EINVAL);
    assert_null(key);
    EVP_PKEY_free(small);
    EVP_PKEY_free(rsa);
    EVP_PKEY_free(ec);
}

/* RFC 7636 Appendix B. */
TEST_CASE(test_pkce_s256)
{
    char c[JWS_PKCE_LEN + 1];
    jws_pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", c);
    assert_string_equal(c, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

UNIT_TESTS(NULL, NULL, cmocka_unit_test(test_rs256),
           cmocka_unit_test(test_es256), cmocka_unit_test(test_keys_refused),
           cmocka_unit_test(test_pkce_s256))
