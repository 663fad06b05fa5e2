/* SPDX-License-Identifier: MIT */
/* The capped growable buffer. */
#include "core/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
buf_init(struct buf *b, size_t cap)
{
    memset(b, 0, sizeof(*b));
    b->cap = cap;
}

void
buf_free(struct buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->alloc = 0;
}

void
buf_reset(struct buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

enum dd_status
buf_append(struct buf *b, const void *p, size_t len)
{
    if (len > b->cap || b->len + len > b->cap)
        return DD_ETOOBIG;
    if (b->len + len + 1 > b->alloc) {
        size_t n = b->alloc ? b->alloc : 256;
        while (n < b->len + len + 1)
            n *= 2;
        if (n > b->cap + 1)
            n = b->cap + 1;
        char *d = realloc(b->data, n);
        if (!d)
            return DD_ENOMEM;
        b->data = d;
        b->alloc = n;
    }
    memcpy(b->data + b->len, p, len);
    b->len += len;
    b->data[b->len] = '\0';
    return DD_OK;
}

enum dd_status
buf_puts(struct buf *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}

enum dd_status
buf_printf(struct buf *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
        return DD_EINTERNAL;
    if ((size_t)n < sizeof(small))
        return buf_append(b, small, (size_t)n);
    char *big = malloc((size_t)n + 1);
    if (!big)
        return DD_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    enum dd_status rc = buf_append(b, big, (size_t)n);
    free(big);
    return rc;
}

char *
buf_steal(struct buf *b)
{
    char *d = b->data;
    if (!d)
        d = calloc(1, 1);
    b->data = NULL;
    b->len = b->alloc = 0;
    return d;
}

enum dd_status
buf_file_read(const char *path, size_t max, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return DD_ENOTFOUND;
    char *data = calloc(1, max + 1);
    size_t n = data ? fread(data, 1, max + 1, f) : 0;
    int err = ferror(f);
    fclose(f);
    if (!data)
        return DD_ENOMEM;
    if (err || n > max) {
        free(data);
        return DD_EINVAL;
    }
    *out = data;
    *len = n;
    return DD_OK;
}
