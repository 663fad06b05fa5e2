/* SPDX-License-Identifier: MIT */
/* The one outgoing HTTP client (libcurl), for the services that call out:
 * the SMS gateway and the OpenID Connect provider. Bounded: a total and a
 * connect timeout, a capped reply, http and https only, no redirects
 * followed, no proxy from the environment, no signals (threads). It
 * never logs: requests carry codes and secrets, and the caller logs what
 * it may. */
#ifndef DD_WEBCLIENT_H
#define DD_WEBCLIENT_H

#include "core/arena.h"
#include "core/buf.h"
#include "core/status.h"

#define WEBCLIENT_REPLY_MAX (256u * 1024) /* bytes of a reply body kept */

struct webclient_request {
    const char *url;
    const char *const *headers; /* "Name: value" lines, NULL-terminated;
                                   NULL for none */
    const char *body;           /* NULL: GET; else POST these bytes */
    const char *basic_user;     /* HTTP basic credentials, or NULL */
    const char *basic_password;
    int timeout_ms; /* the whole exchange; connecting gets at most half */
};

/* Whether url is one the client calls: http:// or https://. */
int webclient_url_ok(const char *url);

/* Sets up libcurl once per process; call before any thread calls out. */
enum dd_status webclient_init(void) DD_WUR;

/* Performs r. DD_OK once a reply came: *status its HTTP status, reply its
 * body (at most WEBCLIENT_REPLY_MAX bytes; reply is reset first). Else
 * DD_EINTERNAL (no reply: refused, timed out, a TLS failure, a reply over
 * the cap) or DD_ENOMEM, with why a short reason that names no part of the
 * request (libcurl's message for its error code). */
enum dd_status webclient_call(const struct webclient_request *r,
                              struct buf *reply, long *status,
                              const char **why) DD_WUR;

/* s percent-encoded for a URL query or a form body (RFC 3986 unreserved
 * characters kept), in a; NULL when out of memory. */
char *webclient_escape(struct arena *a, const char *s);

#endif
