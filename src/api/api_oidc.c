/* SPDX-License-Identifier: MIT */
/* Citizens signing in through an OpenID Connect provider (the oidc-*
 * settings; accounts/oidc.h): GET /api/v1/citizen/oidc/start sends the
 * browser to the provider with a state bound to it by a cookie, and GET
 * /api/v1/citizen/oidc/callback exchanges the code, checks the ID token,
 * and opens a citizen session recording the verified ID number's blind
 * index, then sends the browser back to the citizen page. Every callback
 * is audited, signed in or refused. */
#include "api/api_internal.h"

#include <string.h>

#include "accounts/oidc.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "crypto/crypto.h"

#define STATE_COOKIE "doudi_oidc"

/* Sets the cookie binding a sign-in under way to the browser that started
 * it (value "" and max_age_s 0 clear it): Lax, as the provider sends the
 * browser back with a cross-site GET; only for the callback's path;
 * Secure as the session cookie is (cookie-secure). 0, or -1 after
 * replying 503. */
static int
state_cookie(struct http_request *req, const char *value, int max_age_s)
{
    const char *c = arena_printf(req->arena,
                                 STATE_COOKIE "=%s; Path=/api/v1/citizen/oidc; "
                                              "HttpOnly; SameSite=Lax; "
                                              "Max-Age=%d%s",
                                 value, max_age_s,
                                 API(req)->cookie_secure ? "; Secure" : "");
    if (!c || http_set_header(req, "Set-Cookie", c)) {
        api_fail(req, DD_ENOMEM, NULL);
        return -1;
    }
    return 0;
}

/* The reply to each failure; field NULL for the ID claim, named by the
 * oidc-id-claim setting. */
static const struct {
    int http;
    const char *code, *field, *en, *zh;
} failures[] = {
    [OIDC_PROVIDER_DOWN] = {503, "OIDC_PROVIDER_UNAVAILABLE", NULL,
                            "the sign-in provider cannot be reached; try "
                            "again later",
                            "统一身份认证平台暂时无法访问，请稍后再试"},
    [OIDC_STATE_UNKNOWN] = {400, "OIDC_STATE_INVALID", "state",
                            "this sign-in is unknown or was already used; "
                            "sign in again",
                            "此次登录无效或已使用，请重新登录"},
    [OIDC_STATE_EXPIRED] = {400, "OIDC_STATE_EXPIRED", "state",
                            "this sign-in took too long; sign in again",
                            "登录超时，请重新登录"},
    [OIDC_STATE_BROWSER] = {400, "OIDC_STATE_MISMATCH", "state",
                            "this sign-in was started in another browser; "
                            "sign in again here",
                            "此次登录不是在本浏览器发起的，请重新登录"},
    [OIDC_DENIED] = {401, "OIDC_DENIED", "error",
                     "the sign-in provider did not sign you in",
                     "统一身份认证平台未完成登录"},
    [OIDC_ISSUER_MISMATCH] = {400, "OIDC_ISSUER_MISMATCH", "iss",
                              "the answer names another sign-in provider",
                              "应答来自其他身份认证平台"},
    [OIDC_CODE_REFUSED] =
        {400, "OIDC_CODE_INVALID", "code",
         "the sign-in provider refused this sign-in's code; "
         "sign in again",
         "统一身份认证平台拒绝了此次登录的授权码，请重新登录"},
    [OIDC_TOKEN_INVALID] = {401, "OIDC_TOKEN_INVALID", "id_token",
                            "the sign-in provider's answer could not be "
                            "verified",
                            "无法验证统一身份认证平台的应答"},
    [OIDC_NONCE_MISMATCH] = {401, "OIDC_NONCE_MISMATCH", "nonce",
                             "the sign-in provider's answer belongs to "
                             "another sign-in",
                             "统一身份认证平台的应答不属于此次登录"},
    [OIDC_ID_MISSING] = {422, "OIDC_ID_NUMBER_MISSING", NULL,
                         "the sign-in provider did not hand over a verified "
                         "ID number",
                         "统一身份认证平台未提供经核验的身份证号"},
    [OIDC_ID_INVALID] = {422, "OIDC_ID_NUMBER_INVALID", NULL,
                         "the ID number the sign-in provider handed over is "
                         "not a valid ID number",
                         "统一身份认证平台提供的身份证号无效"},
};

/* 0 when OpenID Connect is configured, else -1 after replying 503. */
static int
configured(struct http_request *req)
{
    if (API(req)->oidc)
        return 0;
    api_error(req, 503, "OIDC_NOT_CONFIGURED", NULL,
              "sign-in through the provincial identity platform is not "
              "configured (oidc-issuer)",
              "未配置统一身份认证平台登录");
    return -1;
}

/* A 302 to url (arena or static). */
static void
redirect(struct http_request *req, const char *url)
{
    if (http_set_header(req, "Location", url)) {
        api_fail(req, DD_ENOMEM, NULL);
        return;
    }
    http_reply(req, 302, NULL, "", 0);
}

static void
oidc_start(struct http_request *req)
{
    struct api *a = API(req);
    struct oidc_pending_row row;
    struct store_tx *tx;
    char state[OIDC_STATE_LEN + 1];
    enum oidc_failure failure;
    const char *url;
    int64_t now = time_now();

    req->actor = "citizen:oidc";
    if (configured(req) ||
        api_signin_limit(req, now, "citizen.session.failed", "citizen:oidc"))
        return;
    /* the provider's metadata may be fetched here: before the transaction */
    enum dd_status rc = oidc_begin(a->oidc, a->pii, req->arena, now, &row, &url,
                                   state, &failure, req->request_id);
    if (api_check(req, rc, NULL))
        return;
    if (failure != OIDC_OK) {
        api_error(req, failures[failure].http, failures[failure].code, NULL,
                  failures[failure].en, failures[failure].zh);
        return;
    }
    if (api_begin(req, STORE_WRITE, &tx) ||
        api_finish(req, tx, oidc_pending_save(tx, &row, now), NULL) ||
        state_cookie(req, state, OIDC_PENDING_S))
        return;
    redirect(req, url);
}

/* Writes the callback's audit row and the session (when signed in) in
 * one transaction: 0, or -1 after replying. */
static int
record(struct http_request *req, enum oidc_failure failure,
       const char *id_number, char cookie[CITIZEN_COOKIE_LEN + 1],
       struct citizen_session_row *s)
{
    struct api *a = API(req);
    struct store_tx *tx;
    enum dd_status rc = DD_OK;
    if (api_begin(req, STORE_WRITE, &tx))
        return -1;
    if (failure == OIDC_OK) {
        rc = citizen_session_create(tx, a->pii, CITIZEN_BY_ID, id_number,
                                    time_now(), a->cfg->citizen_session_s,
                                    cookie, s);
        req->actor = api_citizen_actor(req, s->id_hash);
        if (rc == DD_OK && !req->actor)
            rc = DD_ENOMEM;
    }
    if (rc == DD_OK)
        rc = api_audit(
            req, tx,
            failure == OIDC_OK ? "citizen.session.create"
                               : "citizen.session.failed",
            req->actor, NULL,
            json_object_of_strings(req->arena,
                                   (const char *[]){"method", "oidc", "result",
                                                    oidc_failure_name(failure),
                                                    "client", req->client_addr},
                                   3));
    return api_finish(req, tx, rc, NULL);
}

static void
oidc_callback(struct http_request *req)
{
    struct api *a = API(req);
    struct oidc_pending_row row;
    struct citizen_session_row s;
    struct store_tx *tx;
    enum oidc_failure failure = OIDC_OK;
    char id_number[19] = "", cookie[CITIZEN_COOKIE_LEN + 1] = "";
    const char *code = http_query(req, "code");
    int64_t now = time_now();

    req->actor = "citizen:oidc"; /* nobody known yet */
    if (configured(req) ||
        api_signin_limit(req, now, "citizen.session.failed", "citizen:oidc"))
        return;
    /* the sign-in under way is used up first, in a transaction of its own:
     * the calls out to the provider hold none */
    if (api_begin(req, STORE_WRITE, &tx))
        return;
    enum dd_status rc =
        oidc_pending_take(tx, http_query(req, "state"),
                          http_cookie(req, STATE_COOKIE), now, &row, &failure);
    if (api_finish(req, tx, rc, NULL))
        return;
    if (failure == OIDC_OK)
        failure = oidc_check_iss(a->oidc, http_query(req, "iss"));
    if (failure == OIDC_OK && (http_query(req, "error") || !code))
        failure = http_query(req, "error") ? OIDC_DENIED : OIDC_CODE_REFUSED;
    if (failure == OIDC_OK)
        rc = oidc_finish(a->oidc, a->pii, req->arena, code, &row, now,
                         id_number, &failure, req->request_id);
    if (api_check(req, rc, NULL) ||
        record(req, failure, id_number, cookie, &s)) {
        crypto_wipe(id_number, sizeof(id_number));
        return;
    }
    crypto_wipe(id_number, sizeof(id_number));
    if (failure != OIDC_OK) {
        api_error(req, failures[failure].http, failures[failure].code,
                  failures[failure].field ? failures[failure].field
                                          : a->cfg->oidc_id_claim,
                  failures[failure].en, failures[failure].zh);
        return;
    }
    log_msg(LOG_INFO, req->request_id, "oidc: citizen %s signed in",
            s.id_masked);
    int bad = api_set_session_cookie(req, cookie, a->cfg->citizen_session_s);
    crypto_wipe(cookie, sizeof(cookie));
    if (bad)
        return;
    if (state_cookie(req, "", 0) == 0)
        redirect(req, a->cfg->oidc_return_to);
}

/* What the provider adds to the callback (OAuth 2.0 §4.1.2, RFC 9207's
 * iss, Session Management's session_state). */
static const struct param_spec callback_query[] = {
    {"state", PARAM_STRING, 1, 128, 0, 0},
    {"code", PARAM_STRING, 0, 2048, 0, 0},
    {"iss", PARAM_STRING, 0, 511, 0, 0},
    {"error", PARAM_STRING, 0, 128, 0, 0},
    {"error_description", PARAM_STRING, 0, 1024, 0, 0},
    {"session_state", PARAM_STRING, 0, 512, 0, 0},
    {NULL, 0, 0, 0, 0, 0},
};

/* clang-format off: one route per line */
static const struct route routes[] = {
    {"GET", "/api/v1/citizen/oidc/start", NULL, api_no_query, AUTHZ_PUBLIC, ROUTE_PUBLIC, oidc_start, "sign in as a citizen through the provincial identity platform (OpenID Connect): a redirect to it"},
    {"GET", "/api/v1/citizen/oidc/callback", NULL, callback_query, AUTHZ_PUBLIC, ROUTE_PUBLIC, oidc_callback, "where the identity platform sends the citizen back: the session cookie and a redirect to the citizen page"},
};
/* clang-format on */

const struct route_table api_oidc_routes = {
    "citizen", routes, sizeof(routes) / sizeof(routes[0])};
