/* SPDX-License-Identifier: MIT */
/* OpenID Connect sign-in: the provider's metadata and keys cached under a
 * mutex, sign-ins under way in the store, the code exchanged and the ID
 * token checked (Core 1.0 §3.1.3.7) before its ID number is believed. */
#include "accounts/oidc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/webclient.h"
#include "core/log.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "crypto/crypto.h"
#include "crypto/jws.h"
#include "crypto/token.h"
#include "domain/idcard.h"
#include "json/json_oidc.h"

#define URL_MAX 1024
#define TOKEN_MAX (64u * 1024) /* bytes of an ID token accepted */

struct oidc_key {
    char kid[128];
    struct jws_key *key;
};

struct oidc {
    const struct config *cfg;
    pthread_mutex_t lock; /* guards everything below */
    int have_meta;
    char authorize[URL_MAX], token[URL_MAX], jwks[URL_MAX];
    struct oidc_key *keys;
    size_t nkeys;
    int64_t jwks_at; /* when the key set was fetched; 0: never */
};

static const char *const failure_names[] = {
    [OIDC_OK] = "ok",
    [OIDC_PROVIDER_DOWN] = "provider unavailable",
    [OIDC_STATE_UNKNOWN] = "unknown state",
    [OIDC_STATE_EXPIRED] = "state expired",
    [OIDC_STATE_BROWSER] = "state of another browser",
    [OIDC_DENIED] = "denied by the provider",
    [OIDC_ISSUER_MISMATCH] = "another issuer in the callback",
    [OIDC_CODE_REFUSED] = "code refused",
    [OIDC_TOKEN_INVALID] = "ID token invalid",
    [OIDC_NONCE_MISMATCH] = "nonce mismatch",
    [OIDC_ID_MISSING] = "no ID number claim",
    [OIDC_ID_INVALID] = "invalid ID number claim",
};

const char *
oidc_failure_name(enum oidc_failure f)
{
    return failure_names[f];
}

static enum dd_status
bad_setting(struct dd_error *err, const char *name, const char *en,
            const char *zh)
{
    *err = (struct dd_error){"SETTING_NOT_ALLOWED", name, en, zh};
    return DD_EINVAL;
}

enum dd_status
oidc_new(const struct config *cfg, struct oidc **out, struct dd_error *err)
{
    *out = NULL;
    if (!cfg->oidc_issuer[0])
        return DD_OK;
    if (!webclient_url_ok(cfg->oidc_issuer))
        return bad_setting(err, "oidc-issuer",
                           "oidc-issuer must be an http(s) URL",
                           "oidc-issuer 必须是 http(s) 地址");
    if (!webclient_url_ok(cfg->oidc_redirect_uri))
        return bad_setting(err, "oidc-redirect-uri",
                           "oidc-redirect-uri must be the http(s) URL of "
                           "/api/v1/citizen/oidc/callback",
                           "oidc-redirect-uri 必须是 "
                           "/api/v1/citizen/oidc/callback 的 http(s) 地址");
    if (!cfg->oidc_client_id[0])
        return bad_setting(err, "oidc-client-id",
                           "oidc-client-id is needed with oidc-issuer",
                           "配置 oidc-issuer 时须配置 oidc-client-id");
    if (!cfg->oidc_id_claim[0])
        return bad_setting(err, "oidc-id-claim",
                           "oidc-id-claim names the ID number claim",
                           "oidc-id-claim 须指明身份证号所在的声明");
    if (strncmp(cfg->oidc_scopes, "openid", 6) != 0 ||
        (cfg->oidc_scopes[6] != ' ' && cfg->oidc_scopes[6] != '\0'))
        return bad_setting(err, "oidc-scopes",
                           "oidc-scopes must start with openid",
                           "oidc-scopes 必须以 openid 开头");
    if (cfg->oidc_return_to[0] != '/' || cfg->oidc_return_to[1] == '/')
        return bad_setting(err, "oidc-return-to",
                           "oidc-return-to must be a local path such as "
                           "/citizen",
                           "oidc-return-to 必须是本站路径，如 /citizen");
    if (webclient_init() != DD_OK)
        return DD_EINTERNAL;
    struct oidc *o = calloc(1, sizeof(*o));
    if (!o)
        return DD_ENOMEM;
    if (pthread_mutex_init(&o->lock, NULL) != 0) {
        free(o);
        return DD_ENOMEM;
    }
    o->cfg = cfg;
    *out = o;
    return DD_OK;
}

static void
keys_free(struct oidc *o)
{
    for (size_t i = 0; i < o->nkeys; i++)
        jws_key_free(o->keys[i].key);
    free(o->keys);
    o->keys = NULL;
    o->nkeys = 0;
}

void
oidc_free(struct oidc *o)
{
    if (!o)
        return;
    keys_free(o);
    pthread_mutex_destroy(&o->lock);
    free(o);
}

/* GETs a document of the provider (what names it in the log) into reply;
 * 0, or -1 after logging why (never the body). */
static int
fetch(const struct oidc *o, const char *what, const char *url,
      struct buf *reply, const char *request_id)
{
    long status = 0;
    const char *why = "";
    const char *headers[] = {"Accept: application/json", NULL};
    struct webclient_request r = {
        .url = url, .headers = headers, .timeout_ms = o->cfg->oidc_timeout_ms};
    enum dd_status rc = webclient_call(&r, reply, &status, &why);
    if (rc == DD_OK && status == 200)
        return 0;
    if (rc == DD_OK)
        log_msg(LOG_WARN, request_id, "oidc: the provider's %s: HTTP %ld", what,
                status);
    else
        log_msg(LOG_WARN, request_id, "oidc: the provider's %s: %s", what,
                why[0] ? why : dd_status_name(rc));
    return -1;
}

/* The provider's metadata (Discovery 1.0 §4), once; under o->lock. */
static int
ensure_meta(struct oidc *o, struct arena *a, const char *request_id)
{
    struct json_oidc_discovery d;
    struct buf reply;
    const char *bad = "";
    if (o->have_meta)
        return 0;
    const char *issuer = o->cfg->oidc_issuer;
    size_t n = strlen(issuer);
    const char *url =
        arena_printf(a, "%.*s/.well-known/openid-configuration",
                     (int)(n > 0 && issuer[n - 1] == '/' ? n - 1 : n), issuer);
    buf_init(&reply, WEBCLIENT_REPLY_MAX);
    int fail = !url || fetch(o, "discovery document", url, &reply, request_id);
    if (!fail &&
        json_oidc_discovery(a, reply.data, reply.len, &d, &bad) != DD_OK) {
        log_msg(LOG_WARN, request_id,
                "oidc: the provider's discovery document: no valid %s", bad);
        fail = 1;
    }
    buf_free(&reply);
    if (fail)
        return -1;
    /* Discovery §4.3: the document's issuer is exactly the one configured,
     * else another party's metadata could be passed off */
    if (strcmp(d.issuer, issuer) != 0 || !webclient_url_ok(d.token_endpoint) ||
        !webclient_url_ok(d.jwks_uri) ||
        !webclient_url_ok(d.authorization_endpoint)) {
        log_msg(LOG_WARN, request_id,
                "oidc: the provider's discovery document names another "
                "issuer or a non-http(s) endpoint");
        return -1;
    }
    if (strlen(d.authorization_endpoint) >= URL_MAX ||
        strlen(d.token_endpoint) >= URL_MAX || strlen(d.jwks_uri) >= URL_MAX) {
        log_msg(LOG_WARN, request_id, "oidc: an endpoint URL is too long");
        return -1;
    }
    str_copy(o->authorize, sizeof(o->authorize), d.authorization_endpoint);
    str_copy(o->token, sizeof(o->token), d.token_endpoint);
    str_copy(o->jwks, sizeof(o->jwks), d.jwks_uri);
    o->have_meta = 1;
    return 0;
}

/* Fetches the key set again, keeping the signing keys Doudi can use;
 * under o->lock. 0, or -1 (the old keys kept). */
static int
load_keys(struct oidc *o, struct arena *a, int64_t now, const char *request_id)
{
    struct buf reply;
    struct json_jwk *jwk = NULL;
    size_t n = 0, used = 0;
    const char *bad = "";
    o->jwks_at = now;
    buf_init(&reply, WEBCLIENT_REPLY_MAX);
    int fail = fetch(o, "key set", o->jwks, &reply, request_id);
    if (!fail &&
        json_oidc_jwks(a, reply.data, reply.len, &jwk, &n, &bad) != DD_OK) {
        log_msg(LOG_WARN, request_id,
                "oidc: the provider's key set: no valid %s", bad);
        fail = 1;
    }
    buf_free(&reply);
    struct oidc_key *keys = fail ? NULL : calloc(n ? n : 1, sizeof(*keys));
    if (!keys)
        return -1;
    for (size_t i = 0; i < n; i++) {
        /* encryption keys and kinds Doudi does not verify are skipped */
        if ((jwk[i].use[0] && strcmp(jwk[i].use, "sig") != 0) ||
            strlen(jwk[i].kid) >= sizeof(keys[used].kid) ||
            jws_key_new(jwk[i].kty, jwk[i].alg, jwk[i].crv, jwk[i].n, jwk[i].e,
                        jwk[i].x, jwk[i].y, &keys[used].key) != DD_OK)
            continue;
        str_copy(keys[used].kid, sizeof(keys[used].kid), jwk[i].kid);
        used++;
    }
    keys_free(o);
    o->keys = keys;
    o->nkeys = used;
    return 0;
}

/* Whether a key of kid ("" matches any) verifies token: DD_OK; DD_EINVAL
 * when one was tried and failed; DD_ENOTFOUND when none has that kid.
 * Under o->lock. */
static enum dd_status
verify_known(const struct oidc *o, const char *kid, const char *alg,
             const char *token)
{
    enum dd_status rc = DD_ENOTFOUND;
    for (size_t i = 0; i < o->nkeys; i++) {
        if (kid[0] && strcmp(o->keys[i].kid, kid) != 0)
            continue;
        if (jws_verify(o->keys[i].key, alg, token) == DD_OK)
            return DD_OK;
        rc = DD_EINVAL;
    }
    return rc;
}

/* The signature, with the key set fetched again once for an unknown key
 * (the provider rotated its keys), at most every OIDC_JWKS_REFRESH_S. */
static int
signature_ok(struct oidc *o, struct arena *a, const char *kid, const char *alg,
             const char *token, int64_t now, const char *request_id)
{
    pthread_mutex_lock(&o->lock);
    enum dd_status rc = verify_known(o, kid, alg, token);
    if (rc == DD_ENOTFOUND &&
        (o->jwks_at == 0 || now - o->jwks_at >= OIDC_JWKS_REFRESH_S) &&
        load_keys(o, a, now, request_id) == 0)
        rc = verify_known(o, kid, alg, token);
    pthread_mutex_unlock(&o->lock);
    return rc == DD_OK;
}

/* Part i (0-2) of a compact JWS decoded into a (NUL-terminated); NULL
 * when malformed. */
static char *
jws_part(struct arena *a, const char *token, int i, size_t *len)
{
    const char *p = token;
    for (; i > 0 && p; i--) {
        p = strchr(p, '.');
        p = p ? p + 1 : NULL;
    }
    if (!p)
        return NULL;
    const char *end = strchr(p, '.');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    char *out = arena_alloc(a, n + 1);
    if (!out || jws_b64url_decode(p, n, (unsigned char *)out, n, len) != DD_OK)
        return NULL;
    out[*len] = '\0';
    return out;
}

/* Refuses the ID token: logs why (never the token) and sets *failure. */
static enum dd_status
refuse(enum oidc_failure *failure, enum oidc_failure f, const char *why,
       const char *request_id)
{
    log_msg(LOG_WARN, request_id, "oidc: sign-in refused: %s", why);
    *failure = f;
    return DD_OK;
}

/* The checks of Core 1.0 §3.1.3.7 on the claims, then the ID number. */
static enum dd_status
check_claims(const struct oidc *o, const struct json_oidc_claims *c,
             const char *nonce_hash, int64_t now, char id_number[19],
             enum oidc_failure *failure, const char *request_id)
{
    const char *client = o->cfg->oidc_client_id;
    char h[TOKEN_HASH_LEN + 1];
    struct civil_day today;
    struct idcard id;
    if (strcmp(c->iss, o->cfg->oidc_issuer) != 0)
        return refuse(failure, OIDC_TOKEN_INVALID, "iss is another issuer",
                      request_id);
    if (!c->aud_ok ||
        ((c->aud_count > 1 || c->azp[0]) && strcmp(c->azp, client) != 0))
        return refuse(failure, OIDC_TOKEN_INVALID,
                      "aud or azp is not this client", request_id);
    if (c->exp <= now - OIDC_SKEW_S)
        return refuse(failure, OIDC_TOKEN_INVALID, "expired (exp)", request_id);
    if (c->iat > now + OIDC_SKEW_S ||
        (c->has_nbf && c->nbf > now + OIDC_SKEW_S))
        return refuse(failure, OIDC_TOKEN_INVALID,
                      "issued in the future (iat or nbf)", request_id);
    token_hash(c->nonce, h);
    if (!c->nonce[0] || !token_equal(h, nonce_hash))
        return refuse(failure, OIDC_NONCE_MISMATCH,
                      "the nonce is not this sign-in's", request_id);
    if (!c->id_value[0])
        return refuse(failure, OIDC_ID_MISSING, "no ID number claim",
                      request_id);
    civil_today(&today);
    if (idcard_parse(c->id_value, today.y, today.m, today.d, &id, NULL) !=
        DD_OK)
        return refuse(failure, OIDC_ID_INVALID,
                      "the ID number claim is no valid ID number", request_id);
    str_copy(id_number, 19, id.number);
    crypto_wipe(&id, sizeof(id));
    *failure = OIDC_OK;
    return DD_OK;
}

static enum dd_status
check_id_token(struct oidc *o, struct arena *a, const char *token,
               const char *nonce_hash, int64_t now, char id_number[19],
               enum oidc_failure *failure, const char *request_id)
{
    const char *alg, *kid, *bad = "";
    struct json_oidc_claims c;
    size_t hlen, plen;
    char *header = jws_part(a, token, 0, &hlen);
    char *payload = header ? jws_part(a, token, 1, &plen) : NULL;
    if (!payload ||
        json_oidc_jose_header(a, header, hlen, &alg, &kid, &bad) != DD_OK)
        return refuse(failure, OIDC_TOKEN_INVALID, "a malformed ID token",
                      request_id);
    if (!signature_ok(o, a, kid, alg, token, now, request_id))
        return refuse(failure, OIDC_TOKEN_INVALID,
                      "the signature does not verify with the provider's "
                      "keys",
                      request_id);
    if (json_oidc_claims(a, payload, plen, o->cfg->oidc_client_id,
                         o->cfg->oidc_id_claim, &c, &bad) != DD_OK) {
        log_msg(LOG_WARN, request_id, "oidc: the ID token has no valid %s",
                bad);
        *failure = OIDC_TOKEN_INVALID;
        return DD_OK;
    }
    enum dd_status rc =
        check_claims(o, &c, nonce_hash, now, id_number, failure, request_id);
    crypto_wipe(payload, plen);
    return rc;
}

enum dd_status
oidc_begin(struct oidc *o, const struct pii_keys *k, struct arena *a,
           int64_t now, struct oidc_pending_row *row, const char **url,
           char state[OIDC_STATE_LEN + 1], enum oidc_failure *failure,
           const char *request_id)
{
    char nonce[TOKEN_LEN + 1], verifier[TOKEN_LEN + 1];
    char challenge[JWS_PKCE_LEN + 1];
    *url = NULL;
    *failure = OIDC_OK;
    memset(row, 0, sizeof(*row));
    pthread_mutex_lock(&o->lock);
    const char *authorize = ensure_meta(o, a, request_id) == 0
                                ? arena_strdup(a, o->authorize)
                                : NULL;
    int ready = o->have_meta;
    pthread_mutex_unlock(&o->lock);
    if (!ready) {
        *failure = OIDC_PROVIDER_DOWN;
        return DD_OK;
    }
    if (!authorize)
        return DD_ENOMEM;
    enum dd_status rc = token_new(state);
    if (rc == DD_OK)
        rc = token_new(nonce);
    if (rc == DD_OK)
        rc = token_new(verifier);
    if (rc != DD_OK)
        return rc;
    token_hash(state, row->state_hash);
    token_hash(nonce, row->nonce_hash);
    jws_pkce_challenge(verifier, challenge);
    rc = pii_seal(k, &PII_AD_OIDC_VERIFIER(row->state_hash), verifier,
                  row->verifier_enc, sizeof(row->verifier_enc));
    crypto_wipe(verifier, sizeof(verifier));
    row->created_at = now;
    row->expires_at = now + OIDC_PENDING_S;
    const struct config *cfg = o->cfg;
    const char *client = webclient_escape(a, cfg->oidc_client_id);
    const char *redirect = webclient_escape(a, cfg->oidc_redirect_uri);
    const char *scope = webclient_escape(a, cfg->oidc_scopes);
    if (rc == DD_OK && (!client || !redirect || !scope))
        rc = DD_ENOMEM;
    if (rc == DD_OK) {
        /* state, nonce and challenge are base64url: nothing to escape */
        *url = arena_printf(a,
                            "%s%cresponse_type=code&client_id=%s"
                            "&redirect_uri=%s&scope=%s&state=%s&nonce=%s"
                            "&code_challenge=%s&code_challenge_method=S256",
                            authorize, strchr(authorize, '?') ? '&' : '?',
                            client, redirect, scope, state, nonce, challenge);
        rc = *url ? DD_OK : DD_ENOMEM;
    }
    crypto_wipe(nonce, sizeof(nonce));
    return rc;
}

enum dd_status
oidc_pending_save(struct store_tx *tx, const struct oidc_pending_row *row,
                  int64_t now)
{
    enum dd_status rc = store_oidc_pending_purge(tx, now);
    return rc == DD_OK ? store_oidc_pending_put(tx, row) : rc;
}

enum dd_status
oidc_pending_take(struct store_tx *tx, const char *state,
                  const char *browser_state, int64_t now,
                  struct oidc_pending_row *row, enum oidc_failure *failure)
{
    char h[TOKEN_HASH_LEN + 1];
    memset(row, 0, sizeof(*row));
    /* the state must come back to the browser that started the sign-in
     * (its cookie), else a sign-in started by someone else could be
     * slipped to a citizen (login CSRF, RFC 6749 §10.12) */
    if (!browser_state || !token_equal(browser_state, state)) {
        *failure = OIDC_STATE_BROWSER;
        return DD_OK;
    }
    token_hash(state, h);
    enum dd_status rc = store_oidc_pending_take(tx, h, row);
    *failure = rc == DD_ENOTFOUND                      ? OIDC_STATE_UNKNOWN
               : rc == DD_OK && row->expires_at <= now ? OIDC_STATE_EXPIRED
                                                       : OIDC_OK;
    return rc == DD_ENOTFOUND ? DD_OK : rc;
}

enum oidc_failure
oidc_check_iss(const struct oidc *o, const char *iss)
{
    return !iss || strcmp(iss, o->cfg->oidc_issuer) == 0 ? OIDC_OK
                                                         : OIDC_ISSUER_MISMATCH;
}

/* The token request's form body: the code with its verifier, and the
 * client id when there is no secret to authenticate with (a public
 * client, RFC 7636). NULL when out of memory. */
static const char *
token_form(const struct oidc *o, struct arena *a, const char *code,
           const char *verifier)
{
    const struct config *cfg = o->cfg;
    const char *c = webclient_escape(a, code);
    const char *r = webclient_escape(a, cfg->oidc_redirect_uri);
    const char *id = webclient_escape(a, cfg->oidc_client_id);
    if (!c || !r || !id)
        return NULL;
    return arena_printf(a,
                        "grant_type=authorization_code&code=%s"
                        "&redirect_uri=%s&code_verifier=%s%s%s",
                        c, r, verifier,
                        cfg->oidc_client_secret[0] ? "" : "&client_id=",
                        cfg->oidc_client_secret[0] ? "" : id);
}

/* Exchanges code (Core §3.1.3.1) for the ID token; DD_OK with *failure
 * set, or an error. */
static enum dd_status
exchange(struct oidc *o, struct arena *a, const char *code,
         const char *verifier, const char **id_token,
         enum oidc_failure *failure, const char *request_id)
{
    const struct config *cfg = o->cfg;
    struct buf reply;
    long status = 0;
    const char *why = "", *bad = "";
    *id_token = NULL;
    pthread_mutex_lock(&o->lock);
    const char *url =
        ensure_meta(o, a, request_id) == 0 ? arena_strdup(a, o->token) : NULL;
    pthread_mutex_unlock(&o->lock);
    const char *form = url ? token_form(o, a, code, verifier) : NULL;
    if (!form) {
        *failure = OIDC_PROVIDER_DOWN;
        return DD_OK;
    }
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded",
                             "Accept: application/json", NULL};
    /* client_secret_basic, the id and secret form-encoded first
     * (RFC 6749 §2.3.1) */
    struct webclient_request r = {
        .url = url,
        .headers = headers,
        .body = form,
        .basic_user = cfg->oidc_client_secret[0]
                          ? webclient_escape(a, cfg->oidc_client_id)
                          : NULL,
        .basic_password = cfg->oidc_client_secret[0]
                              ? webclient_escape(a, cfg->oidc_client_secret)
                              : NULL,
        .timeout_ms = cfg->oidc_timeout_ms};
    buf_init(&reply, WEBCLIENT_REPLY_MAX);
    enum dd_status rc = webclient_call(&r, &reply, &status, &why);
    if (r.basic_password)
        crypto_wipe((char *)r.basic_password, strlen(r.basic_password));
    *failure = OIDC_OK;
    if (rc != DD_OK) {
        log_msg(LOG_WARN, request_id, "oidc: the token endpoint: %s",
                why[0] ? why : dd_status_name(rc));
        *failure = OIDC_PROVIDER_DOWN;
    } else if (status >= 400 && status < 500) {
        log_msg(LOG_WARN, request_id,
                "oidc: the token endpoint refused the code: HTTP %ld", status);
        *failure = OIDC_CODE_REFUSED;
    } else if (status != 200 ||
               json_oidc_token_reply(a, reply.data, reply.len, id_token,
                                     &bad) != DD_OK ||
               strlen(*id_token) > TOKEN_MAX) {
        log_msg(LOG_WARN, request_id,
                "oidc: the token endpoint's reply: HTTP %ld, no valid %s",
                status, bad[0] ? bad : "id_token");
        *failure = OIDC_PROVIDER_DOWN;
    }
    if (reply.data)
        crypto_wipe(reply.data, reply.len);
    buf_free(&reply);
    return DD_OK;
}

enum dd_status
oidc_finish(struct oidc *o, const struct pii_keys *k, struct arena *a,
            const char *code, const struct oidc_pending_row *row, int64_t now,
            char id_number[19], enum oidc_failure *failure,
            const char *request_id)
{
    char verifier[TOKEN_LEN + 1];
    const char *id_token = NULL;
    id_number[0] = '\0';
    enum dd_status rc =
        pii_open(k, &PII_AD_OIDC_VERIFIER(row->state_hash), row->verifier_enc,
                 verifier, sizeof(verifier));
    if (rc != DD_OK)
        return rc;
    rc = exchange(o, a, code, verifier, &id_token, failure, request_id);
    crypto_wipe(verifier, sizeof(verifier));
    if (rc != DD_OK || *failure != OIDC_OK)
        return rc;
    return check_id_token(o, a, id_token, row->nonce_hash, now, id_number,
                          failure, request_id);
}
