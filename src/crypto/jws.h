/* SPDX-License-Identifier: MIT */
/* JSON Web Signatures (RFC 7515) as an OpenID Connect ID token uses them:
 * public keys from their JWK parameters (RFC 7518 §6: RSA n and e, EC P-256
 * x and y), RS256 and ES256 signatures checked with OpenSSL 3 EVP, and the
 * base64url (no padding) and PKCE S256 (RFC 7636 §4.2) they are written
 * in. No JSON here: the caller hands over the members it decoded. */
#ifndef DD_JWS_H
#define DD_JWS_H

#include <stddef.h>

#include "core/status.h"

/* A PKCE S256 challenge: base64url of 32 bytes. */
#define JWS_PKCE_LEN 43

/* A public key for one algorithm; opaque. */
struct jws_key;

/* The key of a JWK: kty "RSA" with n and e, or kty "EC" with crv "P-256",
 * x and y (each base64url). alg is the JWK's "alg" or "" when it has none;
 * the key then serves RS256 (RSA) or ES256 (EC). DD_EINVAL for another
 * type, curve, algorithm or a malformed parameter (an RSA modulus under
 * 2048 bits too); DD_ENOMEM. */
enum dd_status jws_key_new(const char *kty, const char *alg, const char *crv,
                           const char *n, const char *e, const char *x,
                           const char *y, struct jws_key **out) DD_WUR;
void jws_key_free(struct jws_key *k);

/* Checks the compact JWS token "header.payload.signature" made with alg
 * ("RS256" or "ES256") against k. DD_OK when the signature is right and
 * alg is the key's; DD_EINVAL for anything else (alg "none" included). */
enum dd_status jws_verify(const struct jws_key *k, const char *alg,
                          const char *token) DD_WUR;

/* Decodes the base64url text in[0..len) into out (cap bytes); *out_len
 * gets the length. DD_EINVAL when it is not base64url or does not fit. */
enum dd_status jws_b64url_decode(const char *in, size_t len, unsigned char *out,
                                 size_t cap, size_t *out_len) DD_WUR;

/* The S256 challenge of a PKCE verifier (a token_new token serves as
 * one): base64url(SHA-256(verifier)). */
void jws_pkce_challenge(const char *verifier, char out[JWS_PKCE_LEN + 1]);

#endif
