/* SPDX-License-Identifier: MIT */
/* The importer's window of open households (import_window.h). */
#include "io/import_window.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/str.h"

static uint64_t
hash_key(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h ? h : 1;
}

int
import_set_has(const struct import_set *s, uint64_t v)
{
    if (!s->cap)
        return 0;
    v = v ? v : 1;
    for (size_t i = (size_t)(v * 0x9E3779B97F4A7C15ull) & (s->cap - 1); s->v[i];
         i = (i + 1) & (s->cap - 1))
        if (s->v[i] == v)
            return 1;
    return 0;
}

enum dd_status
import_set_add(struct import_set *s, uint64_t v)
{
    v = v ? v : 1;
    if ((s->n + 1) * 2 > s->cap) {
        struct import_set t = {.cap = s->cap ? s->cap * 2 : 1024};
        t.v = calloc(t.cap, sizeof(*t.v));
        if (!t.v)
            return DD_ENOMEM;
        for (size_t i = 0; i < s->cap; i++)
            if (s->v[i] && import_set_add(&t, s->v[i]) != DD_OK)
                return DD_ENOMEM;
        free(s->v);
        *s = t;
    }
    size_t i = (size_t)(v * 0x9E3779B97F4A7C15ull) & (s->cap - 1);
    for (; s->v[i]; i = (i + 1) & (s->cap - 1))
        if (s->v[i] == v)
            return DD_OK;
    s->v[i] = v;
    s->n++;
    return DD_OK;
}

void
import_set_free(struct import_set *s)
{
    free(s->v);
    s->v = NULL;
    s->cap = s->n = 0;
}

static void
lru_unlink(struct import_window *w, struct import_group *g)
{
    if (g->prev)
        g->prev->next = g->next;
    else
        w->lru_head = g->next;
    if (g->next)
        g->next->prev = g->prev;
    else
        w->lru_tail = g->prev;
    g->prev = g->next = NULL;
}

static void
lru_append(struct import_window *w, struct import_group *g)
{
    g->prev = w->lru_tail;
    g->next = NULL;
    if (w->lru_tail)
        w->lru_tail->next = g;
    else
        w->lru_head = g;
    w->lru_tail = g;
}

struct import_group *
import_window_find(struct import_window *w, const char *key)
{
    uint64_t h = hash_key(key);
    for (struct import_group *g = w->buckets[h & (IMPORT_BUCKETS - 1)]; g;
         g = g->hnext)
        if (g->hash == h && strcmp(g->key, key) == 0) {
            lru_unlink(w, g);
            lru_append(w, g);
            return g;
        }
    return NULL;
}

int
import_window_was_closed(const struct import_window *w, const char *key)
{
    return import_set_has(&w->closed, hash_key(key));
}

enum dd_status
import_window_open(struct import_window *w, const char *key, long line,
                   struct import_group **out)
{
    uint64_t h = hash_key(key);
    struct import_group *g = calloc(1, sizeof(*g));
    *out = NULL;
    if (!g)
        return DD_ENOMEM;
    g->a = arena_new(4u << 20);
    if (!g->a) {
        free(g);
        return DD_ENOMEM;
    }
    g->hash = h;
    str_copy(g->key, sizeof(g->key), key);
    g->first_line = line;
    g->hnext = w->buckets[h & (IMPORT_BUCKETS - 1)];
    w->buckets[h & (IMPORT_BUCKETS - 1)] = g;
    lru_append(w, g);
    w->open++;
    *out = g;
    return DD_OK;
}

void
import_window_drop(struct import_window *w, struct import_group *g)
{
    struct import_group **pp = &w->buckets[g->hash & (IMPORT_BUCKETS - 1)];
    while (*pp != g)
        pp = &(*pp)->hnext;
    *pp = g->hnext;
    lru_unlink(w, g);
    w->open--;
}

enum dd_status
import_window_close(struct import_window *w, struct import_group *g)
{
    import_window_drop(w, g);
    return import_set_add(&w->closed, g->hash);
}

void
import_group_free(struct import_group *g)
{
    if (!g)
        return;
    arena_free(g->a);
    free(g);
}
