/* SPDX-License-Identifier: MIT */
/* Citizens signing in through an OpenID Connect provider (a provincial
 * real-name platform such as 渝快办) that hands over a verified resident
 * ID number: the authorization code flow (Core 1.0 §3.1) with PKCE S256
 * (RFC 7636), state and nonce. A sign-in under way is a row in the store
 * (state and nonce hashed, the verifier sealed), so the callback may land
 * on any thread, or after a restart. The ID token is checked against the
 * provider's keys (discovery document and JWK set, cached, fetched again
 * when a token names an unknown key): signature (RS256 or ES256), iss,
 * aud (and azp), exp, iat and nbf within OIDC_SKEW_S, nonce; then the
 * ID number claim (oidc-id-claim) must be a valid ID number. The client
 * secret and the tokens are never logged. */
#ifndef DD_OIDC_H
#define DD_OIDC_H

#include <stdint.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/status.h"
#include "crypto/pii.h"
#include "store/store.h"

#define OIDC_PENDING_S 600 /* a sign-in under way lasts this long */
#define OIDC_SKEW_S 60     /* clock difference allowed with the provider */
/* a JWK set is fetched again for an unknown key at most this often */
#define OIDC_JWKS_REFRESH_S 10
#define OIDC_STATE_LEN 43 /* a token_new token */

struct oidc;

/* The sign-in of cfg's oidc-* settings in *out; NULL when oidc-issuer is
 * empty. DD_EINVAL (err naming the setting) when the issuer or the
 * redirect URI is not an http(s) URL, the client id or the ID claim is
 * empty, or the scopes lack openid; DD_ENOMEM. Nothing is fetched yet. */
enum dd_status oidc_new(const struct config *cfg, struct oidc **out,
                        struct dd_error *err) DD_WUR;
void oidc_free(struct oidc *o);

/* Why a sign-in failed (api_oidc.c turns each into a reply). */
enum oidc_failure {
    OIDC_OK,
    OIDC_PROVIDER_DOWN,   /* discovery, keys or token endpoint unreachable,
                             a 5xx, or a document that is not one */
    OIDC_STATE_UNKNOWN,   /* no sign-in under way has this state */
    OIDC_STATE_EXPIRED,   /* it had, but it is over OIDC_PENDING_S old */
    OIDC_STATE_BROWSER,   /* the browser is not the one that started it */
    OIDC_DENIED,          /* the provider answered with an error (the
                             citizen cancelled, say) */
    OIDC_ISSUER_MISMATCH, /* the callback names another issuer (RFC 9207:
                             a mix-up of providers) */
    OIDC_CODE_REFUSED,    /* the token endpoint refused the code (4xx) */
    OIDC_TOKEN_INVALID,   /* signature, key, alg, iss, aud, azp, times */
    OIDC_NONCE_MISMATCH,  /* the ID token's nonce is not this sign-in's */
    OIDC_ID_MISSING,      /* no ID number claim */
    OIDC_ID_INVALID,      /* a claim that is no valid ID number */
};
/* A short English name of a failure for the audit row and the log. */
const char *oidc_failure_name(enum oidc_failure f);

/* Starts a sign-in: fetches the provider's metadata when not yet cached,
 * draws state, nonce and PKCE verifier, fills row (to be stored with
 * oidc_pending_save) and writes in *url (arena) the provider's
 * authorization URL and in state (for the browser's cookie) the state.
 * *failure is OIDC_PROVIDER_DOWN when the metadata cannot be had. */
enum dd_status oidc_begin(struct oidc *o, const struct pii_keys *k,
                          struct arena *a, int64_t now,
                          struct oidc_pending_row *row, const char **url,
                          char state[OIDC_STATE_LEN + 1],
                          enum oidc_failure *failure,
                          const char *request_id) DD_WUR;
/* Stores a sign-in under way (expired ones purged on the way). */
enum dd_status oidc_pending_save(struct store_tx *tx,
                                 const struct oidc_pending_row *row,
                                 int64_t now) DD_WUR;
/* Takes the sign-in of state out of the store (so it serves once) into
 * row: *failure OIDC_STATE_UNKNOWN or OIDC_STATE_EXPIRED, or
 * OIDC_STATE_BROWSER when browser_state (the cookie set at the start) is
 * not state. */
enum dd_status oidc_pending_take(struct store_tx *tx, const char *state,
                                 const char *browser_state, int64_t now,
                                 struct oidc_pending_row *row,
                                 enum oidc_failure *failure) DD_WUR;
/* Whether the callback's iss parameter (RFC 9207; NULL when the provider
 * sends none) names the configured issuer: OIDC_OK, or
 * OIDC_ISSUER_MISMATCH. */
enum oidc_failure oidc_check_iss(const struct oidc *o, const char *iss);
/* Finishes a taken sign-in: exchanges code at the token endpoint with the
 * verifier, checks the ID token and writes the verified ID number
 * (normalised, 18 characters) into id_number, else *failure says why. No
 * store: the caller holds no transaction over these calls out. */
enum dd_status oidc_finish(struct oidc *o, const struct pii_keys *k,
                           struct arena *a, const char *code,
                           const struct oidc_pending_row *row, int64_t now,
                           char id_number[19], enum oidc_failure *failure,
                           const char *request_id) DD_WUR;

#endif
