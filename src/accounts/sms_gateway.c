/* SPDX-License-Identifier: MIT */
/* The SMS gateway sender: the template filled in, the request made with
 * the web client, the outcome logged without a secret in it. */
#include "accounts/sms_gateway.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/webclient.h"
#include "core/log.h"
#include "crypto/crypto.h"
#include "json/jw.h"

#define MESSAGE_MAX 1024 /* bytes of a filled-in message */

struct sms_gateway {
    struct otp_sender sender; /* first: send() casts back */
    const struct config *cfg;
    char key_line[512]; /* "Header: key" */
};

/* The template with {code} and {minutes} replaced; DD_ETOOBIG when the
 * result does not fit. */
static enum dd_status
fill_template(const char *tpl, const char *code, const char *minutes,
              struct buf *out)
{
    enum dd_status rc = DD_OK;
    while (rc == DD_OK && *tpl) {
        const char *brace = strchr(tpl, '{');
        if (!brace)
            return buf_puts(out, tpl);
        rc = buf_append(out, tpl, (size_t)(brace - tpl));
        if (rc != DD_OK)
            break;
        if (strncmp(brace, "{code}", 6) == 0) {
            rc = buf_puts(out, code);
            tpl = brace + 6;
        } else if (strncmp(brace, "{minutes}", 9) == 0) {
            rc = buf_puts(out, minutes);
            tpl = brace + 9;
        } else {
            rc = buf_append(out, "{", 1);
            tpl = brace + 1;
        }
    }
    return rc;
}

static enum dd_status
gateway_send(const struct otp_sender *s, const char *phone, const char *masked,
             const char *code, const char *request_id)
{
    const struct sms_gateway *g = (const struct sms_gateway *)s;
    char minutes[16];
    struct buf msg, reply;
    struct jw w;
    long status = 0;
    const char *why = "";

    snprintf(minutes, sizeof(minutes), "%d", (g->cfg->otp_ttl_s + 59) / 60);
    buf_init(&msg, MESSAGE_MAX);
    buf_init(&reply, WEBCLIENT_REPLY_MAX);
    enum dd_status rc =
        fill_template(g->cfg->sms_template, code, minutes, &msg);
    jw_init(&w, MESSAGE_MAX + 256);
    jw_obj(&w, NULL);
    jw_str(&w, "phone", phone);
    jw_str(&w, "message", msg.data ? msg.data : "");
    jw_end(&w);
    char *body = jw_finish(&w);
    if (rc == DD_OK && !body)
        rc = w.rc;
    const char *headers[] = {"Content-Type: application/json; charset=utf-8",
                             g->key_line[0] ? g->key_line : NULL, NULL};
    if (rc == DD_OK) {
        struct webclient_request r = {.url = g->cfg->sms_url,
                                      .headers = headers,
                                      .body = body,
                                      .timeout_ms = g->cfg->sms_timeout_ms};
        rc = webclient_call(&r, &reply, &status, &why);
    }
    if (body) {
        crypto_wipe(body, strlen(body));
        free(body);
    }
    if (msg.data)
        crypto_wipe(msg.data, msg.len);
    buf_free(&msg);
    buf_free(&reply);
    if (rc == DD_OK && (status < 200 || status > 299)) {
        log_msg(LOG_WARN, request_id,
                "sms gateway: the code for %s was not accepted: HTTP %ld",
                masked, status);
        return DD_EINTERNAL;
    }
    if (rc != DD_OK) {
        log_msg(LOG_WARN, request_id,
                "sms gateway: the code for %s was not sent: %s", masked,
                why[0] ? why : dd_status_name(rc));
        return rc;
    }
    log_msg(LOG_INFO, request_id, "sms gateway: a code was sent to %s", masked);
    return DD_OK;
}

enum dd_status
sms_gateway_new(const struct config *cfg, struct sms_gateway **out,
                struct dd_error *err)
{
    *out = NULL;
    if (!cfg->sms_url[0])
        return DD_OK;
    if (!webclient_url_ok(cfg->sms_url)) {
        *err = (struct dd_error){"SETTING_NOT_ALLOWED", "sms-url",
                                 "sms-url must start with http:// or https://",
                                 "sms-url 必须以 http:// 或 https:// 开头"};
        return DD_EINVAL;
    }
    if (!strstr(cfg->sms_template, "{code}")) {
        *err = (struct dd_error){"SETTING_NOT_ALLOWED", "sms-template",
                                 "sms-template must contain {code}",
                                 "sms-template 必须包含 {code}"};
        return DD_EINVAL;
    }
    if (strchr(cfg->sms_key_header, ':') || strchr(cfg->sms_key, '\n') ||
        strchr(cfg->sms_key, '\r')) {
        *err = (struct dd_error){"SETTING_NOT_ALLOWED", "sms-key-header",
                                 "sms-key-header and sms-key must be one "
                                 "header name and one line",
                                 "sms-key-header 和 sms-key 须为一个请求头名"
                                 "和一行内容"};
        return DD_EINVAL;
    }
    struct sms_gateway *g = calloc(1, sizeof(*g));
    if (!g)
        return DD_ENOMEM;
    g->sender = (struct otp_sender){"sms", gateway_send};
    g->cfg = cfg;
    if (cfg->sms_key[0] && cfg->sms_key_header[0])
        snprintf(g->key_line, sizeof(g->key_line), "%s: %s",
                 cfg->sms_key_header, cfg->sms_key);
    *out = g;
    return DD_OK;
}

void
sms_gateway_free(struct sms_gateway *g)
{
    if (!g)
        return;
    crypto_wipe(g->key_line, sizeof(g->key_line));
    free(g);
}

const struct otp_sender *
sms_gateway_sender(const struct sms_gateway *g)
{
    return g ? &g->sender : NULL;
}
