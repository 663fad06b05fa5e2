/* SPDX-License-Identifier: MIT */
/* The one JSON writer for replies: a streaming, escaping writer into a
 * capped buffer, in the spirit of kcgi's kcgijson. Keys are given with each
 * value (NULL inside an array or at the top); commas and nesting are the
 * writer's business, and the first failure (out of memory, over the cap)
 * sticks in w->rc so callers write a whole reply and check once:
 *
 *     struct jw w;
 *     jw_init(&w, REPLY_CAP);
 *     jw_obj(&w, NULL);
 *     jw_str(&w, "case_no", c->case_no);
 *     jw_int(&w, "version", c->version);
 *     jw_end(&w);
 *     char *body = jw_finish(&w); // NULL: w.rc says why
 */
#ifndef DD_JW_H
#define DD_JW_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/status.h"

#define JW_MAX_DEPTH 32

struct jw {
    struct buf b;
    enum dd_status rc;
    unsigned depth;
    /* per level: whether a value has been written (a comma is due) */
    unsigned char written[JW_MAX_DEPTH];
    char closer[JW_MAX_DEPTH]; /* '}' or ']' */
};

/* A writer whose text may grow up to cap bytes. */
void jw_init(struct jw *w, size_t cap);
/* Frees what was written (a writer given up on). */
void jw_free(struct jw *w);
/* The text (the caller frees it), or NULL with w->rc set when any write
 * failed or a container was left open. The writer is left empty. */
char *jw_finish(struct jw *w);

struct arena;
/* jw_finish, the text handed to arena a (freed with it); NULL with w->rc
 * set as jw_finish, or out of memory with w->rc DD_ENOMEM. */
char *jw_finish_arena(struct jw *w, struct arena *a);
/* jw_finish, the text copied into out (cap bytes with the NUL): for small
 * texts such as audit details. DD_OK, DD_ETOOBIG or w's error. */
enum dd_status jw_finish_into(struct jw *w, char *out, size_t cap) DD_WUR;

/* Containers: jw_obj / jw_arr open one (under key inside an object),
 * jw_end closes the innermost. */
void jw_obj(struct jw *w, const char *key);
void jw_arr(struct jw *w, const char *key);
void jw_end(struct jw *w);

/* Values. A NULL string is written as null. */
void jw_str(struct jw *w, const char *key, const char *v);
/* A string, or null when v is NULL or empty (stored "not set"). */
void jw_str_or_null(struct jw *w, const char *key, const char *v);
void jw_strn(struct jw *w, const char *key, const char *v, size_t n);
void jw_int(struct jw *w, const char *key, int64_t v);
void jw_bool(struct jw *w, const char *key, int v);
void jw_null(struct jw *w, const char *key);
/* An instant (seconds since the epoch) as "2026-11-29T02:01:06Z". */
void jw_time(struct jw *w, const char *key, int64_t t);
/* Already-encoded JSON text (a value rendered elsewhere), as it is; NULL
 * is written as null. */
void jw_raw(struct jw *w, const char *key, const char *json);

/* A row's members as a table walked in order by jw_fields, which writes
 * what the jw_* calls of each row's kind would, byte for byte: for
 * encoders whose fields are plain members of one struct. */
enum jw_kind {
    JW_K_STR,      /* a char array: jw_str */
    JW_K_STR_NULL, /* a char array: jw_str_or_null */
    JW_K_INT,      /* an int or int64_t: jw_int */
    JW_K_BOOL,     /* an int or int64_t: jw_bool, true when not 0 */
    JW_K_TIME,     /* an int64_t, epoch s: jw_time */
};
struct jw_field {
    const char *key;
    size_t off;  /* of the member in the row */
    size_t size; /* of the member: an integer's width */
    enum jw_kind kind;
};
/* One row of a table: JW_FIELD(struct user, "id", id, INT). */
#define JW_FIELD(type, key, member, kind)                                 \
    {(key), offsetof(type, member), sizeof(((type *)0)->member), JW_K_##kind}
/* Writes the n fields of table f read from row. */
void jw_fields(struct jw *w, const void *row, const struct jw_field *f,
               size_t n);
#define JW_FIELDS(w, row, table)                                          \
    jw_fields((w), (row), (table), sizeof(table) / sizeof((table)[0]))

#endif
