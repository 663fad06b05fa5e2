/* SPDX-License-Identifier: MIT */
/* A growable byte buffer with a size cap (curl's dynbuf). Always
 * NUL-terminated, so it can be handed out as a C string. */
#ifndef DD_BUF_H
#define DD_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "core/status.h"

struct buf {
    char *data;
    size_t len;
    size_t alloc;
    size_t cap; /* never grow beyond this */
};

void buf_init(struct buf *b, size_t cap);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);
enum dd_status buf_append(struct buf *b, const void *p, size_t len) DD_WUR;
enum dd_status buf_puts(struct buf *b, const char *s) DD_WUR;
enum dd_status buf_printf(struct buf *b, const char *fmt, ...) DD_WUR
    __attribute__((format(printf, 2, 3)));
/* Hands the data to the caller (free() it); the buffer is left empty. */
char *buf_steal(struct buf *b);

/* Reads the whole file at path, at most max bytes, into *out
 * (NUL-terminated; free() it) and its length into *len. DD_ENOTFOUND
 * when it cannot be opened, DD_EINVAL when it cannot be read or holds
 * more than max bytes, DD_ENOMEM. */
enum dd_status buf_file_read(const char *path, size_t max, char **out,
                             size_t *len) DD_WUR;

#endif
