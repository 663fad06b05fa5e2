/* SPDX-License-Identifier: MIT */
/* Citizens signing in with a phone number: mainland mobile numbers, their
 * masked form and keyed blind index, one-time codes (stored as a keyed
 * hash, expiring, a few attempts each), the pluggable sender that
 * delivers them, and citizen sessions (proved by a phone, or by an ID
 * number an OpenID Connect provider verified: accounts/oidc.h). Phone numbers are sealed at rest
 * like ID numbers (crypto/pii.h) and never logged unmasked. */
#ifndef DD_CITIZEN_H
#define DD_CITIZEN_H

#include <stdint.h>

#include "core/status.h"
#include "crypto/pii.h"
#include "store/store.h"

#define CITIZEN_PHONE_LEN 11  /* digits */
#define CITIZEN_MASKED_LEN 12 /* "138****5678" and its NUL */
#define CITIZEN_CODE_LEN 6    /* digits of a one-time code */
/* A citizen session's cookie value is this prefix and a token, so the
 * authentication knows which table to look in. */
#define CITIZEN_TOKEN_PREFIX "c."

/* 1 when phone is a mainland mobile number: 11 digits, 1[3-9]xxxxxxxxx. */
int citizen_phone_valid(const char *phone);
/* The masked form shown and logged: the first 3 and last 4 digits. */
void citizen_phone_mask(const char *phone, char out[CITIZEN_MASKED_LEN]);
/* The keyed blind index of a (valid) phone number: 64 hex digits. */
void citizen_phone_index(const struct pii_keys *k, const char *phone,
                         char out[PII_BLIND_INDEX_LEN + 1]);

/* How a one-time code reaches the citizen. send returns DD_OK once the
 * code is handed over; phone is the full number (for a gateway), masked
 * the form that may be logged. */
struct otp_sender {
    const char *name;
    enum dd_status (*send)(const struct otp_sender *s, const char *phone,
                           const char *masked, const char *code,
                           const char *request_id);
};

/* Writes the code and the masked phone to the server log: for `doudi
 * demo` only, where nobody has a real phone. */
extern const struct otp_sender citizen_otp_log_sender;

/* The sender for the otp-sender setting, gateway being the SMS gateway's
 * (NULL when none is configured): "sms" is the gateway, refused
 * (DD_EINVAL) without one; "log" is the log sender, refused outside demo
 * mode; "none" is none; "" means the gateway if there is one, else the log
 * sender under `doudi demo`, else none. *out is NULL for none. */
enum dd_status citizen_otp_sender_select(const char *setting, int demo_mode,
                                         const struct otp_sender *gateway,
                                         const struct otp_sender **out) DD_WUR;

/* A new code for phone, valid until now + ttl_s, replacing any earlier
 * one and its attempts; only its keyed hash is stored, with the phone
 * sealed. code gets the digits, for the sender. */
enum dd_status citizen_otp_issue(struct store_tx *tx,
                                 const struct pii_keys *k, const char *phone,
                                 int64_t now, int ttl_s,
                                 char code[CITIZEN_CODE_LEN + 1]) DD_WUR;

enum citizen_otp_result {
    CITIZEN_OTP_OK,        /* right: the code is used up */
    CITIZEN_OTP_NONE,      /* no code was issued for this phone */
    CITIZEN_OTP_EXPIRED,   /* past its lifetime */
    CITIZEN_OTP_WRONG,     /* wrong; *attempts_left more may be tried */
    CITIZEN_OTP_EXHAUSTED, /* max_attempts used: a new code is needed */
};

/* Checks code for phone. Every try counts as one attempt, counted
 * atomically in tx (so concurrent tries cannot exceed max_attempts); the
 * caller commits tx whatever the result. */
enum dd_status citizen_otp_verify(struct store_tx *tx,
                                  const struct pii_keys *k, const char *phone,
                                  const char *code, int64_t now,
                                  int max_attempts,
                                  enum citizen_otp_result *result,
                                  int *attempts_left) DD_WUR;

/* How the citizen proved who they are: a one-time code to their phone,
 * or an OpenID Connect provider that verified their ID number. */
enum citizen_by {
    CITIZEN_BY_PHONE, /* who: the 11-digit phone */
    CITIZEN_BY_ID,    /* who: the ID number, 18 characters as idcard_parse
                       * normalised it */
};
/* A new session for the citizen who (see enum citizen_by) lasting
 * lifetime_s: the row (token hash, CSRF token, and for a phone its index,
 * sealed and masked forms, for an ID number its blind index in id_hash
 * and masked form in id_masked, the other columns "") is written; cookie
 * gets CITIZEN_TOKEN_PREFIX and the token, which is never stored. Expired
 * sessions are purged on the way. DD_EINVAL for a malformed who. */
#define CITIZEN_COOKIE_LEN (2 + 43)
enum dd_status citizen_session_create(struct store_tx *tx,
                                      const struct pii_keys *k,
                                      enum citizen_by by, const char *who,
                                      int64_t now, int lifetime_s,
                                      char cookie[CITIZEN_COOKIE_LEN + 1],
                                      struct citizen_session_row *out) DD_WUR;
/* The live session for a cookie value: DD_ENOTFOUND when there is none or
 * it has expired. */
enum dd_status citizen_session_find(struct store_tx *tx, const char *cookie,
                                    int64_t now,
                                    struct citizen_session_row *out) DD_WUR;

#endif
