/* SPDX-License-Identifier: MIT */
/* RFC 4180 CSV: a streaming reader (quoted fields, doubled quotes, CRLF or
 * LF, a leading UTF-8 BOM, a cap on a record's length, the line number
 * where each record starts) and a writer that quotes only when needed. */
#ifndef DD_IO_CSV_H
#define DD_IO_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "core/status.h"

/* Where the reader gets its bytes: fills buf with up to cap bytes and sets
 * *got (0 at the end). Any status but DD_OK stops the reader. */
typedef enum dd_status (*csv_source_fn)(void *ctx, char *buf, size_t cap,
                                        size_t *got);

struct csv_reader;

/* A record: count fields, each NUL-terminated (owned by the reader, valid
 * until the next csv_reader_next). line is the 1-based line where the
 * record starts. */
struct csv_record {
    char **fields;
    size_t count;
    long line;
};

/* A reader over src; a record longer than max_record_len bytes is an
 * error. NULL when out of memory. csv_reader_free(NULL) is allowed. */
struct csv_reader *csv_reader_new(csv_source_fn src, void *ctx,
                                  size_t max_record_len);
void csv_reader_free(struct csv_reader *r);

/* The next record into rec. DD_ENOTFOUND at the end of input; DD_EINVAL on
 * a malformed record (an unterminated quote, a quote inside an unquoted
 * field, text after a closing quote, a record over the cap), with
 * csv_reader_error naming why and rec->line where; the reader cannot go
 * on after DD_EINVAL. DD_ENOMEM; a source's own status. An empty line
 * is skipped. */
enum dd_status csv_reader_next(struct csv_reader *r,
                               struct csv_record *rec) DD_WUR;
/* Why the last DD_EINVAL: static English text, or NULL. */
const char *csv_reader_error(const struct csv_reader *r);

/* A source reading a memory buffer: ctx is a struct csv_mem. */
struct csv_mem {
    const char *data;
    size_t len, pos;
};
enum dd_status csv_mem_source(void *ctx, char *buf, size_t cap, size_t *got);

/* Writes one field to f, quoted when it holds a comma, a quote, CR or LF
 * (quotes doubled), followed by a comma or, when last, CRLF. Returns -1
 * on a write error. */
int csv_write_field(FILE *f, const char *s, int last);
/* Writes the n cells of one record as csv_write_field does. 0, or -1. */
int csv_write_row(FILE *f, const char *const *cells, size_t n);

#endif
