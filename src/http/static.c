/* SPDX-License-Identifier: MIT */
/* Serves the built web UI from one directory on the API's origin, with
 * history-routing fallback to index.html; refuses ".." and symlink escapes
 * by resolving every path and checking it stays under the directory. */
#include "http/static.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"

#define STATIC_FILE_MAX (16u << 20) /* larger files are not served */

struct http_static {
    char dir[PATH_MAX]; /* resolved, no trailing slash */
    size_t dir_len;
};

static const struct {
    const char *ext, *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".woff", "font/woff"},
    {".ttf", "font/ttf"},
    {".txt", "text/plain; charset=utf-8"},
    {".map", "application/json; charset=utf-8"},
};

const char *
http_static_type(const char *name)
{
    const char *dot = strrchr(name, '.');
    const char *slash = strrchr(name, '/');
    if (dot && (!slash || dot > slash))
        for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
            if (strcasecmp(dot, types[i].ext) == 0)
                return types[i].type;
    return "application/octet-stream";
}

enum dd_status
http_static_open(const char *dir, struct http_static **out)
{
    char resolved[PATH_MAX], index[PATH_MAX + 16];
    struct stat sb;
    *out = NULL;
    if (!dir || !*dir || !realpath(dir, resolved))
        return DD_ENOTFOUND;
    size_t n = strlen(resolved);
    while (n > 1 && resolved[n - 1] == '/')
        resolved[--n] = '\0';
    if (snprintf(index, sizeof(index), "%s/index.html", resolved) >=
            (int)sizeof(index) ||
        stat(index, &sb) != 0 || !S_ISREG(sb.st_mode))
        return DD_ENOTFOUND;
    struct http_static *st = calloc(1, sizeof(*st));
    if (!st)
        return DD_ENOMEM;
    memcpy(st->dir, resolved, n + 1);
    st->dir_len = n;
    *out = st;
    return DD_OK;
}

void
http_static_free(struct http_static *st)
{
    free(st);
}

const char *
http_static_dir(const struct http_static *st)
{
    return st->dir;
}

static int
is_prefix_path(const char *path, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(path, prefix, n) == 0 &&
           (path[n] == '\0' || path[n] == '/');
}

int
http_static_wants(const struct http_request *req)
{
    const char *p = req->path;
    if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0)
        return 0;
    if (!p || p[0] != '/')
        return 0;
    return !is_prefix_path(p, "/api") && !is_prefix_path(p, "/healthz") &&
           !is_prefix_path(p, "/metrics") && !is_prefix_path(p, "/version");
}

/* A path the directory may hold: no "..", no NUL smuggling, no
 * backslashes, no empty segments that would look like the root. */
static int
path_clean(const char *p)
{
    if (strchr(p, '\\'))
        return 0;
    for (const char *s = p; *s; s++) {
        if (s[0] == '/' && s[1] == '.' && s[2] == '.' &&
            (s[3] == '/' || s[3] == '\0'))
            return 0;
    }
    return 1;
}

/* Reads the regular file at the resolved path into the arena. DD_ENOTFOUND
 * when it is missing, not a regular file or outside the directory. */
static enum dd_status
read_file(struct http_static *st, struct http_request *req, const char *rel,
          char **body, size_t *len)
{
    char joined[PATH_MAX], real[PATH_MAX];
    struct stat sb;
    if (snprintf(joined, sizeof(joined), "%s%s", st->dir, rel) >=
        (int)sizeof(joined))
        return DD_ENOTFOUND;
    if (!realpath(joined, real))
        return DD_ENOTFOUND;
    /* the resolved file must lie strictly under the directory */
    if (strncmp(real, st->dir, st->dir_len) != 0 || real[st->dir_len] != '/')
        return DD_ENOTFOUND;
    int fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return DD_ENOTFOUND;
    enum dd_status rc = DD_OK;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        rc = DD_ENOTFOUND;
        goto out;
    }
    if ((uint64_t)sb.st_size > STATIC_FILE_MAX) {
        rc = DD_ETOOBIG;
        goto out;
    }
    *len = (size_t)sb.st_size;
    *body = arena_alloc(req->arena, *len + 1);
    if (!*body) {
        rc = DD_ENOMEM;
        goto out;
    }
    size_t got = 0;
    while (got < *len) {
        ssize_t r = read(fd, *body + got, *len - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            rc = DD_EINTERNAL;
            goto out;
        }
        got += (size_t)r;
    }
out:
    close(fd);
    return rc;
}

static void
not_found(struct http_request *req)
{
    struct dd_error err = {"NOT_FOUND", NULL, "no such file", "没有此文件"};
    http_reply_error(req, 404, &err);
}

void
http_static_serve(struct http_static *st, struct http_request *req)
{
    const char *path = req->path;
    char *body = NULL;
    size_t len = 0;
    enum dd_status rc = DD_ENOTFOUND;
    const char *last = strrchr(path, '/');
    int asset = is_prefix_path(path, "/assets");
    int has_dot = last && strchr(last, '.') != NULL;

    if (!path_clean(path)) {
        not_found(req);
        return;
    }
    if (strcmp(path, "/") != 0 && strcmp(path, "/index.html") != 0)
        rc = read_file(st, req, path, &body, &len);
    if (rc == DD_ENOTFOUND && (asset || has_dot)) {
        not_found(req);
        return;
    }
    if (rc == DD_ENOTFOUND) {
        /* a route of the app: its index.html, never cached, so a new
         * build's asset names are picked up at once */
        path = "/index.html";
        rc = read_file(st, req, path, &body, &len);
        asset = 0;
    }
    if (rc != DD_OK) {
        struct dd_error err = {"STATIC_UNAVAILABLE", NULL,
                               "the file cannot be served",
                               "无法提供该文件"};
        log_warn("static: %s: %s", path, dd_status_name(rc));
        http_reply_error(req, rc == DD_ENOTFOUND ? 404 : 503, &err);
        return;
    }
    /* Vite names every file under assets/ by its content hash */
    if (http_set_header(req, "Cache-Control",
                        asset ? "public, max-age=31536000, immutable"
                              : (strcmp(path, "/index.html") == 0
                                     ? "no-store"
                                     : "no-cache")) != DD_OK) {
        not_found(req);
        return;
    }
    http_reply(req, 200, http_static_type(path), body, len);
}
