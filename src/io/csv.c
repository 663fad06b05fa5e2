/* SPDX-License-Identifier: MIT */
/* The CSV reader and writer (see csv.h). The reader is a small state
 * machine over a refillable buffer, building the record's fields into one
 * growable buffer capped at the record limit. */
#include "io/csv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define IN_CAP 65536

struct csv_reader {
    csv_source_fn src;
    void *ctx;
    size_t max_len;
    char in[IN_CAP];
    size_t in_len, in_pos;
    int eof;
    int bom_checked;
    int failed;
    long line; /* the line the next byte is on */
    char *text; /* the record's fields, NUL-separated */
    size_t text_len, text_cap;
    size_t *offs; /* where each field starts in text */
    char **fields;
    size_t field_cap;
    const char *error;
};

struct csv_reader *
csv_reader_new(csv_source_fn src, void *ctx, size_t max_record_len)
{
    struct csv_reader *r = calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    r->src = src;
    r->ctx = ctx;
    r->max_len = max_record_len;
    r->line = 1;
    return r;
}

void
csv_reader_free(struct csv_reader *r)
{
    if (!r)
        return;
    free(r->text);
    free(r->offs);
    free(r->fields);
    free(r);
}

const char *
csv_reader_error(const struct csv_reader *r)
{
    return r->error;
}

/* The next byte, or -1 at the end; -2 with *rc set on a source error. */
static int
next_byte(struct csv_reader *r, enum dd_status *rc)
{
    if (r->in_pos == r->in_len) {
        if (r->eof)
            return -1;
        size_t got = 0;
        *rc = r->src(r->ctx, r->in, sizeof(r->in), &got);
        if (*rc != DD_OK)
            return -2;
        r->in_len = got;
        r->in_pos = 0;
        if (got == 0) {
            r->eof = 1;
            return -1;
        }
    }
    return (unsigned char)r->in[r->in_pos++];
}

static int
peek_byte(struct csv_reader *r, enum dd_status *rc)
{
    int c = next_byte(r, rc);
    if (c >= 0)
        r->in_pos--;
    return c;
}

static enum dd_status
put(struct csv_reader *r, char c)
{
    if (r->text_len >= r->max_len) /* bytes and the fields' NULs */
        return DD_EINVAL;
    if (r->text_len == r->text_cap) {
        size_t cap = r->text_cap ? r->text_cap * 2 : 256;
        char *p = realloc(r->text, cap);
        if (!p)
            return DD_ENOMEM;
        r->text = p;
        r->text_cap = cap;
    }
    r->text[r->text_len++] = c;
    return DD_OK;
}

static enum dd_status
start_field(struct csv_reader *r, size_t n)
{
    if (n == r->field_cap) {
        size_t cap = r->field_cap ? r->field_cap * 2 : 16;
        size_t *o = realloc(r->offs, cap * sizeof(*o));
        if (!o)
            return DD_ENOMEM;
        r->offs = o;
        char **f = realloc(r->fields, cap * sizeof(*f));
        if (!f)
            return DD_ENOMEM;
        r->fields = f;
        r->field_cap = cap;
    }
    r->offs[n] = r->text_len;
    return DD_OK;
}

static enum dd_status
fail(struct csv_reader *r, const char *why)
{
    r->failed = 1;
    r->error = why;
    return DD_EINVAL;
}

enum dd_status
csv_reader_next(struct csv_reader *r, struct csv_record *rec)
{
    enum dd_status rc = DD_OK;
    int c;
    if (r->failed)
        return DD_EINVAL;
    if (!r->bom_checked) {
        r->bom_checked = 1;
        /* a UTF-8 byte order mark is not part of the first field */
        if (peek_byte(r, &rc) == 0xEF && r->in_len - r->in_pos >= 3 &&
            memcmp(r->in + r->in_pos, "\xEF\xBB\xBF", 3) == 0)
            r->in_pos += 3;
        if (rc != DD_OK)
            return rc;
    }
    for (;;) { /* skip empty lines */
        c = peek_byte(r, &rc);
        if (c == -2)
            return rc;
        if (c == -1)
            return DD_ENOTFOUND;
        if (c == '\n') {
            r->in_pos++;
            r->line++;
        } else if (c == '\r') {
            r->in_pos++;
            if (peek_byte(r, &rc) == '\n')
                r->in_pos++;
            if (rc != DD_OK)
                return rc;
            r->line++;
        } else {
            break;
        }
    }
    rec->line = r->line;
    r->text_len = 0;
    size_t n = 0;
    enum { FIELD_START, UNQUOTED, QUOTED, AFTER_QUOTE } st = FIELD_START;
    rc = start_field(r, n);
    if (rc != DD_OK)
        return rc;
    for (;;) {
        c = next_byte(r, &rc);
        if (c == -2)
            return rc;
        int end_record = c == -1 || ((c == '\n' || c == '\r') && st != QUOTED);
        if (end_record) {
            if (st == QUOTED)
                return fail(r, "a quoted field is not closed");
            if (c == '\r' && peek_byte(r, &rc) == '\n')
                r->in_pos++;
            if (c != -1)
                r->line++;
            break;
        }
        if (c == ',' && st != QUOTED) {
            if ((rc = put(r, '\0')) != DD_OK)
                goto toolong;
            n++;
            if ((rc = start_field(r, n)) != DD_OK)
                return rc;
            st = FIELD_START;
            continue;
        }
        switch (st) {
        case FIELD_START:
            if (c == '"') {
                st = QUOTED;
                continue;
            }
            st = UNQUOTED;
            break;
        case UNQUOTED:
            if (c == '"')
                return fail(r, "a quote inside an unquoted field");
            break;
        case QUOTED:
            if (c == '"') {
                if (peek_byte(r, &rc) == '"') {
                    r->in_pos++;
                    break; /* a doubled quote is one quote */
                }
                st = AFTER_QUOTE;
                continue;
            }
            if (c == '\n')
                r->line++;
            break;
        case AFTER_QUOTE:
            return fail(r, "text after the closing quote of a field");
        }
        if ((rc = put(r, (char)c)) != DD_OK)
            goto toolong;
    }
    if ((rc = put(r, '\0')) != DD_OK)
        goto toolong;
    n++;
    for (size_t i = 0; i < n; i++)
        r->fields[i] = r->text + r->offs[i];
    rec->fields = r->fields;
    rec->count = n;
    return DD_OK;
toolong:
    if (rc == DD_EINVAL)
        return fail(r, "the record is longer than the limit");
    return rc;
}

enum dd_status
csv_mem_source(void *ctx, char *buf, size_t cap, size_t *got)
{
    struct csv_mem *m = ctx;
    size_t n = m->len - m->pos;
    if (n > cap)
        n = cap;
    memcpy(buf, m->data + m->pos, n);
    m->pos += n;
    *got = n;
    return DD_OK;
}

int
csv_write_field(FILE *f, const char *s, int last)
{
    int rc = 0;
    if (!s)
        s = "";
    if (s[strcspn(s, ",\"\r\n")]) {
        rc |= putc('"', f) == EOF;
        for (const char *p = s; *p; p++) {
            if (*p == '"')
                rc |= putc('"', f) == EOF;
            rc |= putc(*p, f) == EOF;
        }
        rc |= putc('"', f) == EOF;
    } else {
        rc |= fputs(s, f) == EOF;
    }
    rc |= fputs(last ? "\r\n" : ",", f) == EOF;
    return rc ? -1 : 0;
}

int
csv_write_row(FILE *f, const char *const *cells, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (csv_write_field(f, cells[i], i + 1 == n) != 0)
            return -1;
    return 0;
}
