/* SPDX-License-Identifier: MIT */
/* The OpenID Connect documents Doudi reads (OpenID Connect Core 1.0,
 * Discovery 1.0, RFC 7517 JWK sets, RFC 7515 JOSE headers, RFC 6749 token
 * replies): the members it uses, as arena strings. Unlike request bodies,
 * unknown members are ignored: providers add their own. Each decoder
 * returns DD_EINVAL with *bad naming the missing or mistyped member (or
 * "(document)" when the text is no JSON object). */
#ifndef DD_JSON_OIDC_H
#define DD_JSON_OIDC_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/status.h"

/* The provider's metadata (.well-known/openid-configuration). */
struct json_oidc_discovery {
    const char *issuer, *authorization_endpoint, *token_endpoint, *jwks_uri;
};
enum dd_status json_oidc_discovery(struct arena *a, const char *text,
                                   size_t len, struct json_oidc_discovery *out,
                                   const char **bad) DD_WUR;

/* One key of a JWK set; absent members are "". */
struct json_jwk {
    const char *kty, *kid, *alg, *use, *crv, *n, *e, *x, *y;
};
/* The keys of a JWK set {"keys": [...]}, in *keys (arena), their number
 * in *count. */
enum dd_status json_oidc_jwks(struct arena *a, const char *text, size_t len,
                              struct json_jwk **keys, size_t *count,
                              const char **bad) DD_WUR;

/* The id_token of a token endpoint's reply. */
enum dd_status json_oidc_token_reply(struct arena *a, const char *text,
                                     size_t len, const char **id_token,
                                     const char **bad) DD_WUR;

/* A JWS header: alg, and kid ("" when absent). */
enum dd_status json_oidc_jose_header(struct arena *a, const char *text,
                                     size_t len, const char **alg,
                                     const char **kid, const char **bad) DD_WUR;

/* The claims of an ID token Doudi checks. aud may be a string or an array
 * (Core §2): aud_ok is 1 when client_id is among them, aud_count how
 * many; azp "" when absent; has_nbf when nbf is present. id_value is the
 * string claim named id_claim ("" when absent; a number is not taken: an
 * ID number may end in X). */
struct json_oidc_claims {
    const char *iss, *sub, *nonce, *azp, *id_value;
    int64_t exp, iat, nbf;
    int has_nbf, aud_ok, aud_count;
};
enum dd_status json_oidc_claims(struct arena *a, const char *text, size_t len,
                                const char *client_id, const char *id_claim,
                                struct json_oidc_claims *out,
                                const char **bad) DD_WUR;

#endif
