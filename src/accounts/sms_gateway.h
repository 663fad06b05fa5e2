/* SPDX-License-Identifier: MIT */
/* The SMS gateway: an otp_sender that hands a one-time code to an HTTP
 * SMS gateway (the sms-* settings, docs/config.md). One POST per code,
 * JSON {"phone": the full number, "message": the sms-template with
 * {code} and {minutes} filled in}, the key in the sms-key-header header;
 * any 2xx reply is "sent". Its log lines name the masked phone only:
 * never the code, the key, the message or the reply. */
#ifndef DD_SMS_GATEWAY_H
#define DD_SMS_GATEWAY_H

#include "accounts/citizen.h"
#include "core/config.h"

struct sms_gateway;

/* The gateway of cfg's sms-* settings in *out, NULL when sms-url is
 * empty. DD_EINVAL (err naming the setting) when sms-url is not http(s)
 * or sms-template has no {code}; DD_ENOMEM. */
enum dd_status sms_gateway_new(const struct config *cfg,
                               struct sms_gateway **out,
                               struct dd_error *err) DD_WUR;
void sms_gateway_free(struct sms_gateway *g);
/* Its sender (NULL for NULL), living as long as g. */
const struct otp_sender *sms_gateway_sender(const struct sms_gateway *g);

#endif
