/* SPDX-License-Identifier: MIT */
/* Outgoing HTTP through libcurl's easy interface, one handle per call (the
 * calls are rare: a code sent, a sign-in), so threads share nothing. */
#include "accounts/webclient.h"

#include <pthread.h>
#include <string.h>

#include <curl/curl.h>

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static CURLcode init_rc = CURLE_FAILED_INIT;

static void
init_curl(void)
{
    init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

int
webclient_url_ok(const char *url)
{
    return strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0;
}

enum dd_status
webclient_init(void)
{
    if (pthread_once(&init_once, init_curl) != 0 || init_rc != CURLE_OK)
        return DD_EINTERNAL;
    return DD_OK;
}

static size_t
on_data(char *p, size_t size, size_t n, void *ctx)
{
    struct buf *b = ctx;
    /* a reply over the cap ends the transfer (CURLE_WRITE_ERROR) */
    return buf_append(b, p, size * n) == DD_OK ? size * n : 0;
}

enum dd_status
webclient_call(const struct webclient_request *r, struct buf *reply,
               long *status, const char **why)
{
    struct curl_slist *headers = NULL;
    *status = 0;
    *why = "";
    buf_reset(reply);
    if (webclient_init() != DD_OK) {
        *why = "libcurl cannot start";
        return DD_EINTERNAL;
    }
    CURL *c = curl_easy_init();
    if (!c)
        return DD_ENOMEM;
    for (size_t i = 0; r->headers && r->headers[i]; i++) {
        struct curl_slist *h = curl_slist_append(headers, r->headers[i]);
        if (!h) {
            curl_slist_free_all(headers);
            curl_easy_cleanup(c);
            return DD_ENOMEM;
        }
        headers = h;
    }
    curl_easy_setopt(c, CURLOPT_URL, r->url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)r->timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)r->timeout_ms / 2);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, reply);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "doudi/" DOUDI_VERSION);
    if (r->body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, r->body);
    }
    if (r->basic_user) {
        curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
        curl_easy_setopt(c, CURLOPT_USERNAME, r->basic_user);
        curl_easy_setopt(c, CURLOPT_PASSWORD,
                         r->basic_password ? r->basic_password : "");
    }
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
    else
        *why = curl_easy_strerror(rc);
    curl_slist_free_all(headers);
    curl_easy_cleanup(c);
    return rc == CURLE_OK ? DD_OK : DD_EINTERNAL;
}

char *
webclient_escape(struct arena *a, const char *s)
{
    if (webclient_init() != DD_OK)
        return NULL;
    char *e = curl_easy_escape(NULL, s, (int)strlen(s));
    char *out = e ? arena_strdup(a, e) : NULL;
    curl_free(e);
    return out;
}
