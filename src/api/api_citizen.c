/* SPDX-License-Identifier: MIT */
/* Citizens signing in with a phone number: a one-time code (POST
 * /api/v1/citizen/otp), then a short citizen session (POST
 * /api/v1/citizen/session) with a cookie and a CSRF token like staff
 * sessions, but role citizen, which has no staff grant. Phone numbers are
 * sealed at rest and only their masked form is shown or logged. A session
 * OpenID Connect opened (api_oidc.c) is read and ended here too. */
#include "api/api_internal.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "crypto/crypto.h"
#include "crypto/token.h"
#include "json/jw.h"


/* What req->principal points at for a citizen. */
struct citizen_auth {
    struct principal p; /* first: PRINCIPAL(req) casts to it */
    struct citizen_session_row s;
};

const char *
api_citizen_actor(struct http_request *req, const char *index)
{
    return arena_printf(req->arena, "citizen:%.16s", index);
}

/* Names the request's actor after the phone's blind index: 0, or -1 after
 * replying. */
static int
act_as(struct http_request *req, const char *phone_hash)
{
    req->actor = api_citizen_actor(req, phone_hash);
    if (!req->actor) {
        api_fail(req, DD_ENOMEM, NULL);
        return -1;
    }
    return 0;
}

int
api_citizen_authenticate(struct http_request *req, const char *cookie)
{
    struct store_tx *tx;
    struct citizen_auth *au = api_alloc(req, sizeof(*au));
    if (!au)
        return -1;
    memset(au, 0, sizeof(*au));
    if (api_begin(req, STORE_READ, &tx))
        return -1;
    enum dd_status rc = citizen_session_find(tx, cookie, time_now(), &au->s);
    api_end(req);
    if (rc == DD_ENOTFOUND) {
        api_error(req, 401, "SESSION_INVALID",
                  NULL, "please sign in again with your phone",
                  "请重新用手机号登录");
        return -1;
    }
    if (api_check(req, rc, NULL))
        return -1;
    au->p.role = ROLE_CITIZEN;
    const char *actor = api_citizen_actor(
        req, au->s.phone_hash[0] ? au->s.phone_hash : au->s.id_hash);
    if (!actor) {
        api_fail(req, DD_ENOMEM, NULL);
        return -1;
    }
    str_copy(au->p.name, sizeof(au->p.name), actor);
    req->actor = actor;
    req->principal = au;
    return 0;
}

int
api_citizen_csrf_ok(struct http_request *req)
{
    const struct citizen_auth *au = req->principal;
    const char *h = http_header(req, "X-CSRF-Token");
    return h && token_equal(h, au->s.csrf_token);
}

int
api_citizen_of(struct http_request *req, struct api_citizen *out)
{
    const struct principal *p = PRINCIPAL(req);
    if (!p || p->role != ROLE_CITIZEN)
        return -1;
    const struct citizen_auth *au = req->principal;
    str_copy(out->phone_hash, sizeof(out->phone_hash), au->s.phone_hash);
    str_copy(out->phone_masked, sizeof(out->phone_masked),
             au->s.phone_masked);
    str_copy(out->id_hash, sizeof(out->id_hash), au->s.id_hash);
    return 0;
}

/* Checks the phone field; 0, or -1 after replying 400. */
static int
phone_ok(struct http_request *req, const char *phone)
{
    if (citizen_phone_valid(phone))
        return 0;
    api_error(req, 400, "INVALID_PHONE", "phone",
              "the phone must be a mainland mobile number: 11 digits "
              "starting 13 to 19",
              "手机号须为 11 位中国大陆手机号码（以 13 至 19 开头）");
    return -1;
}

struct otp_body {
    const char *phone;
};

static const struct json_field otp_fields[] = {
    {"phone", JSON_T_STRING, 1, 1, 11, offsetof(struct otp_body, phone)},
};

static void
otp_create(struct http_request *req)
{
    struct api *a = API(req);
    struct otp_body b = {0};
    unsigned present;
    struct store_tx *tx;
    char index[PII_BLIND_INDEX_LEN + 1], masked[CITIZEN_MASKED_LEN];
    char code[CITIZEN_CODE_LEN + 1];
    int64_t now = time_now();

    if (api_decode(req, otp_fields, 1, &b, &present) || phone_ok(req, b.phone))
        return;
    if (!a->otp_sender) {
        api_error(req, 503, "OTP_SENDER_UNAVAILABLE", NULL,
                  "sign-in by phone is not available: no way to send codes "
                  "is configured (otp-sender)",
                  "手机号登录暂不可用：未配置验证码发送方式");
        return;
    }
    if (!ratelimit_take(a->otp_address_limit, req->client_addr, now)) {
        api_error(req, 429, "TOO_MANY_REQUESTS", NULL,
                  "too many codes requested from this address; try again "
                  "later",
                  "此地址请求验证码过多，请稍后再试");
        return;
    }
    citizen_phone_index(a->pii, b.phone, index);
    citizen_phone_mask(b.phone, masked);
    /* the limiter keys are 63 bytes at most: half the index is plenty */
    char key[40];
    snprintf(key, sizeof(key), "tel:%.32s", index);
    if (!ratelimit_take(a->otp_phone_limit, key, now)) {
        api_error(req, 429, "TOO_MANY_REQUESTS", "phone",
                  "too many codes for this phone number; try again later",
                  "此手机号请求验证码过多，请稍后再试");
        return;
    }
    if (act_as(req, index))
        return;
    if (api_begin(req, STORE_WRITE, &tx))
        return;
    enum dd_status rc =
        citizen_otp_issue(tx, a->pii, b.phone, now, a->cfg->otp_ttl_s, code);
    if (rc == DD_OK)
        rc = api_audit(req, tx, "citizen.otp", req->actor, NULL,
                       json_object_of_strings(
                           req->arena,
                           (const char *[]){"sender", a->otp_sender->name,
                                            "client", req->client_addr},
                           2));
    if (rc != DD_OK) {
        crypto_wipe(code, sizeof(code));
        api_fail(req, rc, NULL);
        return;
    }
    if (api_commit(req, tx)) {
        crypto_wipe(code, sizeof(code));
        return;
    }
    /* sent once stored: a code that fails to go out is simply asked again */
    rc = a->otp_sender->send(a->otp_sender, b.phone, masked, code,
                             req->request_id);
    crypto_wipe(code, sizeof(code));
    if (rc != DD_OK) {
        api_error(req, 503, "OTP_SEND_FAILED", NULL,
                  "the code could not be sent; try again later",
                  "验证码发送失败，请稍后再试");
        return;
    }
    struct jw w;
    jw_init(&w, 4096);
    jw_obj(&w, NULL);
    jw_str(&w, "phone_masked", masked);
    jw_time(&w, "expires_at", now + a->cfg->otp_ttl_s);
    jw_int(&w, "expires_in_s", a->cfg->otp_ttl_s);
    jw_int(&w, "attempts", a->cfg->otp_attempts);
    jw_end(&w);
    api_reply_jw(req, 202, &w);
}

struct signin_body {
    const char *phone;
    const char *code;
};

static const struct json_field signin_fields[] = {
    {"phone", JSON_T_STRING, 1, 1, 11, offsetof(struct signin_body, phone)},
    {"code", JSON_T_STRING, 1, 1, 6, offsetof(struct signin_body, code)},
};

static const char *
citizen_json(struct http_request *req, const struct citizen_session_row *s)
{
    struct jw w;
    jw_init(&w, 4096);
    jw_obj(&w, NULL);
    jw_str(&w, "csrf_token", s->csrf_token);
    jw_time(&w, "expires_at", s->expires_at);
    jw_obj(&w, "citizen");
    jw_str(&w, "role", "citizen");
    jw_str(&w, "phone_masked", s->phone_masked);
    /* a session OpenID Connect proved: the ID number, masked */
    jw_str(&w, "id_masked", s->id_masked);
    jw_str(&w, "signed_in_by", s->id_hash[0] ? "oidc" : "phone");
    jw_end(&w);
    jw_end(&w);
    return jw_finish_arena(&w, req->arena);
}

enum dd_status
api_citizen_portal_check(const struct api *a)
{
    const struct config *cfg = a->cfg;
    if (a->otp_sender || a->oidc) {
        log_info("citizen portal: sign-in by phone %s, by OpenID Connect %s",
                 a->otp_sender ? a->otp_sender->name : "off (503)",
                 a->oidc ? cfg->oidc_issuer : "off (503)");
        return DD_OK;
    }
    if (strcmp(cfg->citizen_portal, "on") == 0) {
        log_error("citizen-portal is on but citizens have no way to sign "
                  "in: configure an SMS gateway (sms-url, sms-key) or "
                  "OpenID Connect (oidc-issuer, oidc-client-id, "
                  "oidc-redirect-uri), or set citizen-portal=auto");
        return DD_EINVAL;
    }
    log_warn("citizen portal: no sign-in configured (no SMS gateway: "
             "sms-url; no OpenID Connect: oidc-issuer): citizens' sign-in "
             "routes answer 503; citizen-portal=on refuses to start so");
    return DD_OK;
}

/* The reply to a refused code, once the attempt is committed. */
static void
refused(struct http_request *req, enum citizen_otp_result res, int left)
{
    switch (res) {
    case CITIZEN_OTP_EXPIRED:
        api_error(req, 401, "OTP_EXPIRED", "code",
                  "the code has expired; ask for a new one",
                  "验证码已过期，请重新获取");
        break;
    case CITIZEN_OTP_EXHAUSTED:
        api_error(req, 429, "OTP_ATTEMPTS_EXCEEDED", "code",
                  "too many wrong codes; ask for a new one",
                  "验证码错误次数过多，请重新获取");
        break;
    case CITIZEN_OTP_WRONG:
        api_error(req, 401, "OTP_INVALID", "code",
                  arena_printf(req->arena,
                               "wrong code; %d more tries with this code",
                               left),
                  arena_printf(req->arena, "验证码错误，还可尝试 %d 次", left));
        break;
    default:
        api_error(req, 401, "OTP_INVALID", "code",
                  "no code was sent to this phone, or it was used; ask for "
                  "a new one",
                  "此手机号没有待用的验证码，请重新获取");
    }
}

static void
citizen_session_create_route(struct http_request *req)
{
    struct api *a = API(req);
    struct signin_body b = {0};
    unsigned present;
    struct store_tx *tx;
    struct citizen_session_row s;
    char index[PII_BLIND_INDEX_LEN + 1];
    char cookie[CITIZEN_COOKIE_LEN + 1];
    enum citizen_otp_result res;
    int left = 0;
    int64_t now = time_now();

    /* guessing codes across many phones counts against the sign-in limit */
    if (api_signin_limit(req, now, "citizen.session.failed",
                         "citizen:unknown"))
        return;
    if (api_decode(req, signin_fields, 2, &b, &present) ||
        phone_ok(req, b.phone))
        return;
    citizen_phone_index(a->pii, b.phone, index);
    if (act_as(req, index))
        return;
    if (api_begin(req, STORE_WRITE, &tx))
        return;
    enum dd_status rc = citizen_otp_verify(tx, a->pii, b.phone, b.code, now,
                                           a->cfg->otp_attempts, &res, &left);
    if (rc == DD_OK && res == CITIZEN_OTP_OK)
        rc = citizen_session_create(tx, a->pii, CITIZEN_BY_PHONE, b.phone,
                                    now, a->cfg->citizen_session_s, cookie,
                                    &s);
    if (rc == DD_OK) {
        static const char *const results[] = {"ok", "no code", "expired",
                                              "wrong", "attempts exceeded"};
        rc = api_audit(req, tx,
                       res == CITIZEN_OTP_OK ? "citizen.session.create"
                                             : "citizen.session.failed",
                       req->actor, NULL,
                       json_object_of_strings(
                           req->arena,
                           (const char *[]){"result", results[res], "client",
                                            req->client_addr},
                           2));
    }
    /* a wrong try is committed too: it counts */
    if (api_finish(req, tx, rc, NULL))
        return;
    if (res != CITIZEN_OTP_OK) {
        refused(req, res, left);
        return;
    }
    api_reply_signed_in(req, cookie, a->cfg->citizen_session_s,
                        citizen_json(req, &s));
    crypto_wipe(cookie, sizeof(cookie));
}

static void
citizen_session_get(struct http_request *req)
{
    const struct citizen_auth *au = req->principal;
    api_reply(req, 200, citizen_json(req, &au->s));
}

static void
citizen_session_delete(struct http_request *req)
{
    const struct citizen_auth *au = req->principal;
    struct store_tx *tx;
    if (api_begin(req, STORE_WRITE, &tx))
        return;
    api_sign_out(req, tx, store_citizen_session_delete(tx, au->s.token_hash),
                 "citizen.session.delete", req->actor);
}

/* clang-format off: one route per line */
static const struct route routes[] = {
    {"POST", "/api/v1/citizen/otp", NULL, NULL, AUTHZ_PUBLIC, ROUTE_PUBLIC | ROUTE_BODY, otp_create, "send a one-time sign-in code to a mainland mobile number"},
    {"POST", "/api/v1/citizen/session", NULL, NULL, AUTHZ_PUBLIC, ROUTE_PUBLIC | ROUTE_BODY, citizen_session_create_route, "sign in as a citizen with the phone and its code"},
    {"GET", "/api/v1/citizen/session", NULL, NULL, AUTHZ_CITIZEN_SELF, 0, citizen_session_get, "the signed-in citizen and the CSRF token"},
    {"DELETE", "/api/v1/citizen/session", NULL, NULL, AUTHZ_CITIZEN_SELF, 0, citizen_session_delete, "sign the citizen out"},
};
/* clang-format on */

const struct route_table api_citizen_routes = {
    "citizen", routes, sizeof(routes) / sizeof(routes[0])};
