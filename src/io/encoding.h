/* SPDX-License-Identifier: MIT */
/* Import files arrive in UTF-8 or GB18030 (what Excel on a Chinese Windows
 * saves as "CSV"). Valid UTF-8 is taken as UTF-8; anything else is read
 * as GB18030 and converted to UTF-8 with iconv; bytes valid in neither are
 * an error. A file is checked in one streaming pass, then read through
 * the converter in a second. */
#ifndef DD_IO_ENCODING_H
#define DD_IO_ENCODING_H

#include <stddef.h>
#include <stdio.h>

#include "core/status.h"

enum enc_kind { ENC_UTF8, ENC_GB18030 };

/* Streaming UTF-8 check: state starts zeroed; feed chunks, then finish. */
struct enc_utf8_state {
    unsigned need;   /* continuation bytes still expected */
    unsigned min_cp; /* smallest code point the sequence may encode */
    unsigned cp;
    int bad;
};
void enc_utf8_feed(struct enc_utf8_state *s, const char *p, size_t len);
/* 1 when everything fed was valid UTF-8 (no overlongs, no surrogates). */
int enc_utf8_finish(const struct enc_utf8_state *s);

const char *enc_name(enum enc_kind k);

/* Detects f's encoding by reading it to the end, then rewinds it.
 * DD_EINVAL when f cannot be read or rewound. */
enum dd_status enc_detect_file(FILE *f, enum enc_kind *out) DD_WUR;

/* A reader delivering f's bytes as UTF-8 (a csv_source_fn: ctx is the
 * struct enc_reader). Invalid GB18030 is DD_EINVAL with the byte offset
 * in bad_offset. enc_reader_free(NULL) is allowed. */
struct enc_reader;
struct enc_reader *enc_reader_new(FILE *f, enum enc_kind k);
void enc_reader_free(struct enc_reader *r);
enum dd_status enc_reader_read(void *ctx, char *buf, size_t cap, size_t *got);
long long enc_reader_bad_offset(const struct enc_reader *r);

/* Converts a whole buffer: *out (free with free) holds len bytes of UTF-8
 * and a NUL; *kind says what the input was. DD_EINVAL when the input is
 * neither UTF-8 nor GB18030; DD_ENOMEM. */
enum dd_status enc_to_utf8(const char *in, size_t len, char **out,
                           size_t *out_len, enum enc_kind *kind) DD_WUR;

#endif
