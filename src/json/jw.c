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
jw_init(struct jw *w, size_t cap)
{
    static const char room[JW_FIRST / 2];
    memset(w, 0, sizeof(*w));
    buf_init(&w->b, cap);
    w->rc = buf_append(&w->b, room, cap < sizeof(room) ? cap : sizeof(room));
    buf_reset(&w->b);
}

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

static void
raw(struct jw *w, const char *s, size_t n)
{
    if (w->rc == DD_OK)
        w->rc = buf_append(&w->b, s, n);
}

#define LIT(w, lit) raw((w), "" lit, sizeof(lit) - 1)

/* A JSON string, escaped as jansson escapes it (the text is UTF-8: it came
 * in through the JSON decoder or the importer's conversion). */
static void
quoted(struct jw *w, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    const char *run = s, *end = s + n;
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

/* The comma and the key before a value. */
static void
key(struct jw *w, const char *k)
{
    if (w->depth > 0) {
        if (w->written[w->depth - 1])
            LIT(w, ",");
        w->written[w->depth - 1] = 1;
    }
    if (k) {
        quoted(w, k, strlen(k));
        LIT(w, ":");
    }
}

static void
open_container(struct jw *w, const char *k, char opener, char closer)
{
    key(w, k);
    if (w->depth >= JW_MAX_DEPTH) {
        if (w->rc == DD_OK)
            w->rc = DD_EINTERNAL;
        return;
    }
    raw(w, &opener, 1);
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
    key(w, k);
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
    key(w, k);
    raw(w, d + i, sizeof(d) - i);
}

void
jw_bool(struct jw *w, const char *k, int v)
{
    key(w, k);
    if (v)
        LIT(w, "true");
    else
        LIT(w, "false");
}

void
jw_null(struct jw *w, const char *k)
{
    key(w, k);
    LIT(w, "null");
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
    key(w, k);
    if (json)
        raw(w, json, strlen(json));
    else
        LIT(w, "null");
}
