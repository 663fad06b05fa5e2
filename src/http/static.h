/* SPDX-License-Identifier: MIT */
/* The built web UI (web/dist) served on the API's origin: files under one
 * directory with their content types, hashed assets cached for a year and
 * everything else no-store, and index.html for any other GET path so the
 * single-page app's history routing works. */
#ifndef DD_HTTP_STATIC_H
#define DD_HTTP_STATIC_H

#include <stddef.h>

#include "core/status.h"
#include "http/request.h"

struct http_static;

/* Opens the directory dir (resolved once, symlinks and all). DD_ENOTFOUND
 * when it does not exist or holds no index.html: the server then runs
 * without the UI. */
enum dd_status http_static_open(const char *dir,
                                struct http_static **out) DD_WUR;
void http_static_free(struct http_static *st);
/* The resolved directory. */
const char *http_static_dir(const struct http_static *st);

/* Whether the request is the UI's rather than the API's: a GET or HEAD
 * whose path is not under /api/ nor /healthz, /metrics or /version. */
int http_static_wants(const struct http_request *req);

/* Replies to req (a path http_static_wants) from the directory: the file,
 * or 404 for a missing file under /assets/ or with a dot in its last
 * segment, or index.html. Paths with a ".." segment or that resolve
 * outside the directory (a symlink escape) are 404 too. The body is read
 * into the request's arena. */
void http_static_serve(struct http_static *st, struct http_request *req);

/* The Content-Type for a file name by its extension. */
const char *http_static_type(const char *name);

#endif
