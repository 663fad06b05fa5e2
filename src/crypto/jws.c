/* SPDX-License-Identifier: MIT */
/* JWS signatures of ID tokens checked with OpenSSL 3 EVP: keys built from
 * JWK parameters with EVP_PKEY_fromdata, RS256 as RSASSA-PKCS1-v1_5 with
 * SHA-256, ES256 as ECDSA P-256 with SHA-256 whose JWS form (r ‖ s, 32
 * bytes each, RFC 7518 §3.4) is turned into the DER OpenSSL verifies. */
#include "crypto/jws.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <sodium.h>

#include "crypto/crypto.h"

#define B64URL sodium_base64_VARIANT_URLSAFE_NO_PADDING
/* RSA moduli under this are refused (NIST SP 800-131A) */
#define RSA_MIN_BITS 2048
#define PARAM_MAX 1024 /* bytes of one decoded JWK parameter (8192 bits) */
#define ES256_COORD 32

enum jws_alg { ALG_RS256, ALG_ES256 };

struct jws_key {
    EVP_PKEY *pkey;
    enum jws_alg alg;
};

enum dd_status
jws_b64url_decode(const char *in, size_t len, unsigned char *out, size_t cap,
                  size_t *out_len)
{
    crypto_ready();
    *out_len = 0;
    if (sodium_base642bin(out, cap, in, len, NULL, out_len, NULL, B64URL) != 0)
        return DD_EINVAL;
    return DD_OK;
}

static enum dd_status
b64_param(const char *in, unsigned char *out, size_t *len)
{
    if (!in || !*in)
        return DD_EINVAL;
    return jws_b64url_decode(in, strlen(in), out, PARAM_MAX, len);
}

static EVP_PKEY *
from_params(const char *type, OSSL_PARAM_BLD *bld)
{
    EVP_PKEY *pkey = NULL;
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
    if (params && ctx && EVP_PKEY_fromdata_init(ctx) == 1 &&
        EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1)
        pkey = NULL;
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    return pkey;
}

static EVP_PKEY *
rsa_key(const char *n64, const char *e64)
{
    unsigned char n[PARAM_MAX], e[PARAM_MAX];
    size_t nl, el;
    EVP_PKEY *pkey = NULL;
    if (b64_param(n64, n, &nl) != DD_OK || b64_param(e64, e, &el) != DD_OK)
        return NULL;
    BIGNUM *bn = BN_bin2bn(n, (int)nl, NULL), *be = BN_bin2bn(e, (int)el, NULL);
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    if (bn && be && bld && BN_num_bits(bn) >= RSA_MIN_BITS &&
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn) &&
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be))
        pkey = from_params("RSA", bld);
    OSSL_PARAM_BLD_free(bld);
    BN_free(bn);
    BN_free(be);
    return pkey;
}

static EVP_PKEY *
ec_key(const char *crv, const char *x64, const char *y64)
{
    unsigned char x[PARAM_MAX], y[PARAM_MAX], point[1 + 2 * ES256_COORD];
    size_t xl, yl;
    EVP_PKEY *pkey = NULL;
    if (!crv || strcmp(crv, "P-256") != 0 || b64_param(x64, x, &xl) != DD_OK ||
        b64_param(y64, y, &yl) != DD_OK || xl != ES256_COORD ||
        yl != ES256_COORD)
        return NULL;
    /* the uncompressed point (SEC 1 §2.3.3); fromdata checks it is on
     * the curve */
    point[0] = 0x04;
    memcpy(point + 1, x, ES256_COORD);
    memcpy(point + 1 + ES256_COORD, y, ES256_COORD);
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    if (bld &&
        OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
                                        "P-256", 0) &&
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point,
                                         sizeof(point)))
        pkey = from_params("EC", bld);
    OSSL_PARAM_BLD_free(bld);
    if (pkey) {
        EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
        if (!c || EVP_PKEY_public_check(c) != 1) {
            EVP_PKEY_free(pkey);
            pkey = NULL;
        }
        EVP_PKEY_CTX_free(c);
    }
    return pkey;
}

enum dd_status
jws_key_new(const char *kty, const char *alg, const char *crv, const char *n,
            const char *e, const char *x, const char *y, struct jws_key **out)
{
    struct jws_key k = {0};
    *out = NULL;
    if (!kty || !alg)
        return DD_EINVAL;
    if (strcmp(kty, "RSA") == 0 && (!*alg || strcmp(alg, "RS256") == 0)) {
        k.alg = ALG_RS256;
        k.pkey = rsa_key(n, e);
    } else if (strcmp(kty, "EC") == 0 && (!*alg || strcmp(alg, "ES256") == 0)) {
        k.alg = ALG_ES256;
        k.pkey = ec_key(crv, x, y);
    }
    if (!k.pkey)
        return DD_EINVAL;
    *out = calloc(1, sizeof(**out));
    if (!*out) {
        EVP_PKEY_free(k.pkey);
        return DD_ENOMEM;
    }
    **out = k;
    return DD_OK;
}

void
jws_key_free(struct jws_key *k)
{
    if (!k)
        return;
    EVP_PKEY_free(k->pkey);
    free(k);
}

/* The JWS ES256 signature r ‖ s as DER; its length, or 0. */
static size_t
es256_der(const unsigned char *sig, size_t len, unsigned char **der)
{
    if (len != 2 * ES256_COORD)
        return 0;
    ECDSA_SIG *s = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(sig, ES256_COORD, NULL);
    BIGNUM *ss = BN_bin2bn(sig + ES256_COORD, ES256_COORD, NULL);
    int n = 0;
    if (s && r && ss && ECDSA_SIG_set0(s, r, ss) == 1) {
        r = ss = NULL; /* s owns them now */
        n = i2d_ECDSA_SIG(s, der);
    }
    BN_free(r);
    BN_free(ss);
    ECDSA_SIG_free(s);
    return n > 0 ? (size_t)n : 0;
}

enum dd_status
jws_verify(const struct jws_key *k, const char *alg, const char *token)
{
    unsigned char sig[PARAM_MAX], *der = NULL;
    size_t sig_len;
    const char *dot1 = strchr(token, '.');
    const char *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
    if (!dot2 || strchr(dot2 + 1, '.'))
        return DD_EINVAL;
    /* the algorithm is the key's, never the token's choice alone (the
     * "alg":"none" and RSA-as-HMAC confusions) */
    if (strcmp(alg, k->alg == ALG_RS256 ? "RS256" : "ES256") != 0)
        return DD_EINVAL;
    if (jws_b64url_decode(dot2 + 1, strlen(dot2 + 1), sig, sizeof(sig),
                          &sig_len) != DD_OK)
        return DD_EINVAL;
    const unsigned char *s = sig;
    if (k->alg == ALG_ES256) {
        sig_len = es256_der(sig, sig_len, &der);
        if (sig_len == 0)
            return DD_EINVAL;
        s = der;
    }
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx &&
             EVP_DigestVerifyInit_ex(ctx, NULL, "SHA256", NULL, NULL, k->pkey,
                                     NULL) == 1 &&
             EVP_DigestVerify(ctx, s, sig_len, (const unsigned char *)token,
                              (size_t)(dot2 - token)) == 1;
    EVP_MD_CTX_free(ctx);
    OPENSSL_free(der);
    return ok ? DD_OK : DD_EINVAL;
}

void
jws_pkce_challenge(const char *verifier, char out[JWS_PKCE_LEN + 1])
{
    unsigned char md[32];
    unsigned int len = 0;
    crypto_ready();
    if (EVP_Digest(verifier, strlen(verifier), md, &len, EVP_sha256(), NULL) !=
            1 ||
        len != sizeof(md)) {
        /* no SHA-256 in OpenSSL: a challenge nothing matches */
        memset(out, 0, JWS_PKCE_LEN + 1);
        return;
    }
    sodium_bin2base64(out, JWS_PKCE_LEN + 1, md, sizeof(md), B64URL);
}
