/* SPDX-License-Identifier: MIT */
/* Citizen phone sign-in: phone checks, one-time codes and citizen
 * sessions between the API and the store. Codes are 6 random digits kept
 * only as HMAC-SM3 under the blind-index key, bound to the phone, so a
 * copy of the database does not give them away. */
#include "accounts/citizen.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/str.h"
#include "crypto/crypto.h"
#include "crypto/token.h"
#include "domain/idcard.h"

/* Rows of codes expired longer ago than this are purged when a new code is
 * issued (until then a late try is told "expired", not "no code"). */
#define OTP_PURGE_AFTER_S 3600

int
citizen_phone_valid(const char *phone)
{
    /* 工业和信息化部 numbering plan: mobile numbers are 1[3-9] + 9 digits */
    return phone && strlen(phone) == CITIZEN_PHONE_LEN && phone[0] == '1' &&
           phone[1] >= '3' && phone[1] <= '9' &&
           phone[strspn(phone, "0123456789")] == '\0';
}

void
citizen_phone_mask(const char *phone, char out[CITIZEN_MASKED_LEN])
{
    if (!citizen_phone_valid(phone)) {
        str_copy(out, CITIZEN_MASKED_LEN, "***********");
        return;
    }
    memcpy(out, phone, 3);
    memcpy(out + 3, "****", 4);
    memcpy(out + 7, phone + 7, 4);
    out[11] = '\0';
}

void
citizen_phone_index(const struct pii_keys *k, const char *phone,
                    char out[PII_BLIND_INDEX_LEN + 1])
{
    char v[32];
    /* a domain of its own, apart from ID numbers' indexes */
    snprintf(v, sizeof(v), "tel:%s", phone);
    pii_blind_index(k, v, out);
}

/* The stored form of a code: keyed, and bound to the phone's index. */
static void
code_hash(const struct pii_keys *k, const char *phone_hash, const char *code,
          char out[PII_BLIND_INDEX_LEN + 1])
{
    char v[PII_BLIND_INDEX_LEN + 16];
    snprintf(v, sizeof(v), "otp:%s:%s", phone_hash, code);
    pii_blind_index(k, v, out);
    crypto_wipe(v, sizeof(v));
}

static enum dd_status
log_send(const struct otp_sender *s, const char *phone, const char *masked,
         const char *code, const char *request_id)
{
    (void)s;
    (void)phone; /* never logged: only the masked form */
    log_msg(LOG_INFO, request_id,
            "otp: one-time code %s for %s (demo mode: codes are written to "
            "this log, not sent)",
            code, masked);
    return DD_OK;
}

const struct otp_sender citizen_otp_log_sender = {"log", log_send};

enum dd_status
citizen_otp_sender_select(const char *setting, int demo_mode,
                          const struct otp_sender *gateway,
                          const struct otp_sender **out)
{
    *out = NULL;
    if (strcmp(setting, "none") == 0)
        return DD_OK;
    if (strcmp(setting, "sms") == 0 || (setting[0] == '\0' && gateway)) {
        *out = gateway;
        return gateway ? DD_OK : DD_EINVAL;
    }
    if (strcmp(setting, "") == 0 || strcmp(setting, "log") == 0) {
        if (demo_mode)
            *out = &citizen_otp_log_sender;
        /* codes in a production log would let its readers sign in as
         * anyone: "log" is for the demo only */
        return demo_mode || setting[0] == '\0' ? DD_OK : DD_EINVAL;
    }
    return DD_EINVAL;
}

enum dd_status
citizen_otp_issue(struct store_tx *tx, const struct pii_keys *k,
                  const char *phone, int64_t now, int ttl_s,
                  char code[CITIZEN_CODE_LEN + 1])
{
    struct citizen_otp_row r;
    memset(&r, 0, sizeof(r));
    if (!citizen_phone_valid(phone))
        return DD_EINVAL;
    enum dd_status rc = token_digits(code, CITIZEN_CODE_LEN);
    if (rc != DD_OK)
        return rc;
    citizen_phone_index(k, phone, r.phone_hash);
    rc = pii_seal(k, &PII_AD_OTP_PHONE(r.phone_hash), phone, r.phone_enc,
                  sizeof(r.phone_enc));
    if (rc != DD_OK)
        return rc;
    code_hash(k, r.phone_hash, code, r.code_hash);
    r.created_at = now;
    r.expires_at = now + ttl_s;
    rc = store_citizen_otp_purge(tx, now - OTP_PURGE_AFTER_S);
    if (rc == DD_OK)
        rc = store_citizen_otp_put(tx, &r);
    return rc;
}

enum dd_status
citizen_otp_verify(struct store_tx *tx, const struct pii_keys *k,
                   const char *phone, const char *code, int64_t now,
                   int max_attempts, enum citizen_otp_result *result,
                   int *attempts_left)
{
    struct citizen_otp_row r;
    char index[PII_BLIND_INDEX_LEN + 1], want[PII_BLIND_INDEX_LEN + 1];
    *result = CITIZEN_OTP_NONE;
    *attempts_left = 0;
    if (!citizen_phone_valid(phone))
        return DD_OK;
    citizen_phone_index(k, phone, index);
    enum dd_status rc = store_citizen_otp_attempt(tx, index, &r);
    if (rc == DD_ENOTFOUND)
        return DD_OK;
    if (rc != DD_OK)
        return rc;
    if (r.attempts > max_attempts) {
        *result = CITIZEN_OTP_EXHAUSTED;
        return DD_OK;
    }
    if (r.expires_at <= now) {
        *result = CITIZEN_OTP_EXPIRED;
        return DD_OK;
    }
    code_hash(k, index, code, want);
    if (strlen(code) == CITIZEN_CODE_LEN && token_equal(want, r.code_hash)) {
        *result = CITIZEN_OTP_OK;
        return store_citizen_otp_delete(tx, index);
    }
    *attempts_left = max_attempts - r.attempts;
    *result = *attempts_left > 0 ? CITIZEN_OTP_WRONG : CITIZEN_OTP_EXHAUSTED;
    return DD_OK;
}

/* Fills the session's identity columns for who (enum citizen_by). */
static enum dd_status
session_identity(const struct pii_keys *k, enum citizen_by by,
                 const char *who, struct citizen_session_row *out)
{
    if (by == CITIZEN_BY_ID) {
        if (strlen(who) != 18)
            return DD_EINVAL;
        /* the registry's own index of the number (registry.c), so the
         * session finds the person's household */
        pii_blind_index(k, who, out->id_hash);
        idcard_mask(who, out->id_masked);
        return DD_OK;
    }
    if (!citizen_phone_valid(who))
        return DD_EINVAL;
    citizen_phone_index(k, who, out->phone_hash);
    citizen_phone_mask(who, out->phone_masked);
    return pii_seal(k, &PII_AD_SESSION_PHONE(out->phone_hash), who,
                    out->phone_enc, sizeof(out->phone_enc));
}

enum dd_status
citizen_session_create(struct store_tx *tx, const struct pii_keys *k,
                       enum citizen_by by, const char *who, int64_t now,
                       int lifetime_s, char cookie[CITIZEN_COOKIE_LEN + 1],
                       struct citizen_session_row *out)
{
    memset(out, 0, sizeof(*out));
    enum dd_status rc = session_identity(k, by, who, out);
    if (rc != DD_OK)
        return rc;
    char token[TOKEN_LEN + 1], csrf[TOKEN_LEN + 1];
    rc = token_new(token);
    if (rc == DD_OK)
        rc = token_new(csrf);
    if (rc != DD_OK)
        return rc;
    snprintf(cookie, CITIZEN_COOKIE_LEN + 1, CITIZEN_TOKEN_PREFIX "%s",
             token);
    token_hash(cookie, out->token_hash);
    crypto_wipe(token, sizeof(token));
    str_copy(out->csrf_token, sizeof(out->csrf_token), csrf);
    out->created_at = now;
    out->expires_at = now + lifetime_s;
    rc = store_citizen_session_purge(tx, now);
    if (rc == DD_OK)
        rc = store_citizen_session_insert(tx, out);
    return rc;
}

enum dd_status
citizen_session_find(struct store_tx *tx, const char *cookie, int64_t now,
                     struct citizen_session_row *out)
{
    char hash[TOKEN_HASH_LEN + 1];
    if (strncmp(cookie, CITIZEN_TOKEN_PREFIX,
                strlen(CITIZEN_TOKEN_PREFIX)) != 0)
        return DD_ENOTFOUND;
    token_hash(cookie, hash);
    enum dd_status rc = store_citizen_session_get(tx, hash, out);
    if (rc == DD_OK && out->expires_at <= now)
        rc = DD_ENOTFOUND;
    return rc;
}
