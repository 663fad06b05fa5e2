/* SPDX-License-Identifier: MIT */
/* UTF-8 validation and GB18030 → UTF-8 conversion (see encoding.h). */
#include "io/encoding.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK 65536

void
enc_utf8_feed(struct enc_utf8_state *s, const char *p, size_t len)
{
    for (size_t i = 0; i < len && !s->bad; i++) {
        unsigned c = (unsigned char)p[i];
        if (s->need) {
            if ((c & 0xC0) != 0x80) {
                s->bad = 1;
                break;
            }
            s->cp = (s->cp << 6) | (c & 0x3F);
            if (--s->need == 0 &&
                (s->cp < s->min_cp || s->cp > 0x10FFFF ||
                 (s->cp >= 0xD800 && s->cp <= 0xDFFF)))
                s->bad = 1;
        } else if (c < 0x80) {
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            s->need = 1, s->cp = c & 0x1F, s->min_cp = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            s->need = 2, s->cp = c & 0x0F, s->min_cp = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            s->need = 3, s->cp = c & 0x07, s->min_cp = 0x10000;
        } else {
            s->bad = 1;
        }
    }
}

int
enc_utf8_finish(const struct enc_utf8_state *s)
{
    return !s->bad && s->need == 0;
}

const char *
enc_name(enum enc_kind k)
{
    return k == ENC_UTF8 ? "UTF-8" : "GB18030";
}

enum dd_status
enc_detect_file(FILE *f, enum enc_kind *out)
{
    struct enc_utf8_state s = {0};
    char buf[CHUNK];
    size_t n;
    while (!s.bad && (n = fread(buf, 1, sizeof(buf), f)) > 0)
        enc_utf8_feed(&s, buf, n);
    if (ferror(f))
        return DD_EINVAL;
    *out = enc_utf8_finish(&s) ? ENC_UTF8 : ENC_GB18030;
    if (fseek(f, 0, SEEK_SET) != 0)
        return DD_EINVAL;
    return DD_OK;
}

struct enc_reader {
    FILE *f;
    enum enc_kind kind;
    iconv_t cd;
    char in[CHUNK];
    size_t in_len;      /* unconverted bytes held at the front of in */
    long long consumed; /* input bytes converted so far */
    long long bad_offset;
    int eof;
};

struct enc_reader *
enc_reader_new(FILE *f, enum enc_kind k)
{
    struct enc_reader *r = calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    r->f = f;
    r->kind = k;
    r->cd = (iconv_t)-1;
    r->bad_offset = -1;
    if (k == ENC_GB18030) {
        r->cd = iconv_open("UTF-8", "GB18030");
        if (r->cd == (iconv_t)-1) {
            free(r);
            return NULL;
        }
    }
    return r;
}

void
enc_reader_free(struct enc_reader *r)
{
    if (!r)
        return;
    if (r->cd != (iconv_t)-1)
        iconv_close(r->cd);
    free(r);
}

long long
enc_reader_bad_offset(const struct enc_reader *r)
{
    return r->bad_offset;
}

enum dd_status
enc_reader_read(void *ctx, char *buf, size_t cap, size_t *got)
{
    struct enc_reader *r = ctx;
    *got = 0;
    if (r->kind == ENC_UTF8) {
        *got = fread(buf, 1, cap, r->f);
        return ferror(r->f) ? DD_EINVAL : DD_OK;
    }
    while (*got == 0) {
        if (!r->eof && r->in_len < sizeof(r->in)) {
            size_t n = fread(r->in + r->in_len, 1, sizeof(r->in) - r->in_len,
                             r->f);
            if (ferror(r->f))
                return DD_EINVAL;
            if (n == 0)
                r->eof = 1;
            r->in_len += n;
        }
        if (r->in_len == 0)
            return DD_OK; /* the end */
        char *ip = r->in, *op = buf;
        size_t il = r->in_len, ol = cap;
        size_t res = iconv(r->cd, &ip, &il, &op, &ol);
        int e = errno;
        size_t used = r->in_len - il;
        memmove(r->in, ip, il);
        r->in_len = il;
        r->consumed += (long long)used;
        *got = cap - ol;
        if (res == (size_t)-1) {
            if (e == EILSEQ || (e == EINVAL && r->eof)) {
                if (*got)
                    return DD_OK; /* deliver what converted first */
                r->bad_offset = r->consumed;
                return DD_EINVAL;
            }
            /* E2BIG: buf is full; EINVAL: a split sequence, read more */
        }
    }
    return DD_OK;
}

enum dd_status
enc_to_utf8(const char *in, size_t len, char **out, size_t *out_len,
            enum enc_kind *kind)
{
    struct enc_utf8_state s = {0};
    enc_utf8_feed(&s, in, len);
    if (enc_utf8_finish(&s)) {
        char *p = calloc(1, len + 1);
        if (!p)
            return DD_ENOMEM;
        memcpy(p, in, len);
        *out = p;
        *out_len = len;
        *kind = ENC_UTF8;
        return DD_OK;
    }
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return DD_EINTERNAL;
    /* GB18030 takes at most 4 bytes per character and UTF-8 at most 4
     * per character; a 2-byte Chinese character grows to 3 */
    size_t cap = len * 2 + 1;
    char *p = calloc(1, cap);
    if (!p) {
        iconv_close(cd);
        return DD_ENOMEM;
    }
    char *ip = (char *)in, *op = p;
    size_t il = len, ol = cap - 1;
    size_t res = iconv(cd, &ip, &il, &op, &ol);
    iconv_close(cd);
    if (res == (size_t)-1) {
        free(p);
        return DD_EINVAL;
    }
    *out = p;
    *out_len = (size_t)(op - p);
    *kind = ENC_GB18030;
    return DD_OK;
}
