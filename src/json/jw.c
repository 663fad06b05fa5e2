/* SPDX-License-Identifier: MIT */
/* The streaming JSON writer (jw.h): escaped strings, commas and nesting
 * written straight into one capped buffer, no intermediate values. */
#include "json/jw.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/timeutil.h"

/* Most replies fit: one allocation up front instead of doublings. */
#define JW_FIRST 4096

void
jw_free(struct jw *w)
{
    buf_free(&w->b);
}

char *
jw_finish(struct jw *w)
{
    if (w->rc == DD_OK && w->depth != 0)
        w->rc = DD_EINTERNAL;
    if (w->rc != DD_OK || !w->b.data) {
        if (w->rc == DD_OK)
            w->rc = DD_ENOMEM;
        buf_free(&w->b);
        return NULL;
    }
    w->b.data[w->b.len] = '\0';
    return buf_steal(&w->b);
}

/* Below this a text is copied into the arena and the writer's block (its
 * JW_FIRST up front) freed at once: what is kept long, like the regions'
 * replies built at start, does not hold a mostly empty block each. */
#define JW_COPY_BELOW 1024

char *
jw_finish_arena(struct jw *w, struct arena *a)
{
    size_t len = w->b.len;
    char *text = jw_finish(w);
    if (!text)
        return NULL;
    if (len < JW_COPY_BELOW) {
        char *copy = arena_strndup(a, text, len);
        free(text);
        if (!copy)
            w->rc = DD_ENOMEM;
        return copy;
    }
    if (arena_cleanup_add(a, free, text) != 0) {
        w->rc = DD_ENOMEM; /* already freed */
        return NULL;
    }
    return text;
}

enum dd_status
jw_finish_into(struct jw *w, char *out, size_t cap)
{
    size_t len = w->b.len;
    char *text = jw_finish(w);
    if (!text)
        return w->rc;
    enum dd_status rc = len < cap ? DD_OK : DD_ETOOBIG;
    if (rc == DD_OK)
        memcpy(out, text, len + 1);
    free(text);
    return rc;
}

/* Room for n more bytes and the final NUL, growing as core/buf.c does
 * (doubling, never past the cap); the text is written straight into the
 * block and terminated once, in jw_finish. 0, or -1 with w->rc set. */
static int
reserve(struct jw *w, size_t n)
{
    struct buf *b = &w->b;
    if (w->rc != DD_OK)
        return -1;
    if (n > b->cap || b->len + n > b->cap) {
        w->rc = DD_ETOOBIG;
        return -1;
    }
    if (b->len + n + 1 > b->alloc) {
        size_t m = b->alloc ? b->alloc : 256;
        while (m < b->len + n + 1)
            m *= 2;
        if (m > b->cap + 1)
            m = b->cap + 1;
        char *d = realloc(b->data, m);
        if (!d) {
            w->rc = DD_ENOMEM;
            return -1;
        }
        b->data = d;
        b->alloc = m;
    }
    return 0;
}

static void
raw(struct jw *w, const char *s, size_t n)
{
    if (reserve(w, n) == 0) {
        memcpy(w->b.data + w->b.len, s, n);
        w->b.len += n;
    }
}

void
jw_init(struct jw *w, size_t cap)
{
    memset(w, 0, sizeof(*w));
    buf_init(&w->b, cap);
    /* one allocation up front instead of doublings from 256 */
    (void)reserve(w, cap < JW_FIRST ? cap : JW_FIRST - 1);
    if (w->b.data)
        w->b.data[0] = '\0';
}

/* One byte, room already reserved. */
#define PUT(w, c) ((w)->b.data[(w)->b.len++] = (c))

#define LIT(w, lit) raw((w), "" lit, sizeof(lit) - 1)

/* Whether s[0..n) has a byte JSON wants escaped (below 0x20, '"', '\\'),
 * eight bytes at a time with the exact "has a byte below N" and "has a
 * zero byte" word tests ('"' and '\\' are zero after the xor). */
static int
needs_escape(const char *s, size_t n)
{
    const uint64_t ones = 0x0101010101010101u, tops = 0x8080808080808080u;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x, q, b;
        memcpy(&x, s + i, 8);
        q = x ^ (ones * '"');
        b = x ^ (ones * '\\');
        if ((((x - ones * 0x20) & ~x) | ((q - ones) & ~q) |
             ((b - ones) & ~b)) & tops)
            return 1;
    }
    for (; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == '"' || c == '\\')
            return 1;
    }
    return 0;
}

/* A JSON string, escaped as jansson escapes it (the text is UTF-8: it came
 * in through the JSON decoder or the importer's conversion). */
static void
quoted(struct jw *w, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    const char *run = s, *end = s + n;
    if (!needs_escape(s, n)) {
        /* the usual text: one reservation, one copy */
        if (reserve(w, n + 2) == 0) {
            PUT(w, '"');
            memcpy(w->b.data + w->b.len, s, n);
            w->b.len += n;
            PUT(w, '"');
        }
        return;
    }
    LIT(w, "\"");
    for (; s < end; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        raw(w, run, (size_t)(s - run));
        run = s + 1;
        switch (c) {
        case '"': LIT(w, "\\\""); break;
        case '\\': LIT(w, "\\\\"); break;
        case '\b': LIT(w, "\\b"); break;
        case '\f': LIT(w, "\\f"); break;
        case '\n': LIT(w, "\\n"); break;
        case '\r': LIT(w, "\\r"); break;
        case '\t': LIT(w, "\\t"); break;
        default: {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            raw(w, u, sizeof(u));
        }
        }
    }
    raw(w, run, (size_t)(s - run));
    LIT(w, "\"");
}

/* The comma and the key before a value, with room reserved for `room`
 * more bytes of the value after it. 0, or -1 with w->rc set. */
static int
key(struct jw *w, const char *k, size_t room)
{
    int comma = 0;
    if (w->depth > 0) {
        comma = w->written[w->depth - 1];
        w->written[w->depth - 1] = 1;
    }
    if (!k) {
        if (reserve(w, 1 + room) != 0)
            return -1;
        if (comma)
            PUT(w, ',');
        return 0;
    }
    size_t n = strlen(k);
    if (needs_escape(k, n)) {
        if (comma)
            LIT(w, ",");
        quoted(w, k, n);
        LIT(w, ":");
        return reserve(w, room);
    }
    /* the usual key, a plain literal: one reservation, no escaping */
    if (reserve(w, n + 4 + room) != 0)
        return -1;
    if (comma)
        PUT(w, ',');
    PUT(w, '"');
    memcpy(w->b.data + w->b.len, k, n);
    w->b.len += n;
    PUT(w, '"');
    PUT(w, ':');
    return 0;
}

static void
open_container(struct jw *w, const char *k, char opener, char closer)
{
    if (key(w, k, 1) != 0)
        return;
    if (w->depth >= JW_MAX_DEPTH) {
        w->rc = DD_EINTERNAL;
        return;
    }
    PUT(w, opener);
    w->closer[w->depth] = closer;
    w->written[w->depth++] = 0;
}

void
jw_obj(struct jw *w, const char *k)
{
    open_container(w, k, '{', '}');
}

void
jw_arr(struct jw *w, const char *k)
{
    open_container(w, k, '[', ']');
}

void
jw_end(struct jw *w)
{
    if (w->depth == 0) {
        if (w->rc == DD_OK)
            w->rc = DD_EINTERNAL;
        return;
    }
    w->depth--;
    raw(w, &w->closer[w->depth], 1);
}

void
jw_strn(struct jw *w, const char *k, const char *v, size_t n)
{
    if (key(w, k, 0) == 0)
        quoted(w, v, n);
}

void
jw_str(struct jw *w, const char *k, const char *v)
{
    if (!v) {
        jw_null(w, k);
        return;
    }
    jw_strn(w, k, v, strlen(v));
}

void
jw_str_or_null(struct jw *w, const char *k, const char *v)
{
    jw_str(w, k, v && v[0] ? v : NULL);
}

void
jw_int(struct jw *w, const char *k, int64_t v)
{
    char d[24];
    size_t i = sizeof(d);
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        d[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        d[--i] = '-';
    if (key(w, k, sizeof(d) - i) == 0) {
        memcpy(w->b.data + w->b.len, d + i, sizeof(d) - i);
        w->b.len += sizeof(d) - i;
    }
}

void
jw_bool(struct jw *w, const char *k, int v)
{
    if (key(w, k, 5) != 0)
        return;
    if (v) {
        memcpy(w->b.data + w->b.len, "true", 4);
        w->b.len += 4;
    } else {
        memcpy(w->b.data + w->b.len, "false", 5);
        w->b.len += 5;
    }
}

void
jw_null(struct jw *w, const char *k)
{
    if (key(w, k, 4) != 0)
        return;
    memcpy(w->b.data + w->b.len, "null", 4);
    w->b.len += 4;
}

void
jw_time(struct jw *w, const char *k, int64_t t)
{
    char at[32];
    time_iso8601(t, at, sizeof(at));
    jw_str(w, k, at);
}

void
jw_raw(struct jw *w, const char *k, const char *json)
{
    if (key(w, k, 0) != 0)
        return;
    if (json)
        raw(w, json, strlen(json));
    else
        LIT(w, "null");
}

/* An integer member of size bytes (an int or an int64_t) at p. */
static int64_t
field_int(const unsigned char *p, size_t size)
{
    if (size == sizeof(int)) {
        int v;
        memcpy(&v, p, sizeof(v));
        return v;
    }
    int64_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

void
jw_fields(struct jw *w, const void *row, const struct jw_field *f, size_t n)
{
    const unsigned char *base = row;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *p = base + f[i].off;
        switch (f[i].kind) {
        case JW_K_STR:
            jw_str(w, f[i].key, (const char *)p);
            break;
        case JW_K_STR_NULL:
            jw_str_or_null(w, f[i].key, (const char *)p);
            break;
        case JW_K_INT:
            jw_int(w, f[i].key, field_int(p, f[i].size));
            break;
        case JW_K_BOOL:
            jw_bool(w, f[i].key, field_int(p, f[i].size) != 0);
            break;
        case JW_K_TIME:
            jw_time(w, f[i].key, field_int(p, f[i].size));
            break;
        }
    }
}
