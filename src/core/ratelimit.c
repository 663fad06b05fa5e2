/* SPDX-License-Identifier: MIT */
/* The per-key fixed-window counter. */
#include "core/ratelimit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 4096
#define PROBES 8

struct slot {
    char key[64];
    int64_t window;
    int count;
};

struct ratelimit {
    pthread_mutex_t lock;
    int limit, window_s;
    struct slot slots[SLOTS];
};

struct ratelimit *
ratelimit_new(int limit, int window_s)
{
    struct ratelimit *rl = calloc(1, sizeof(*rl));
    if (!rl)
        return NULL;
    pthread_mutex_init(&rl->lock, NULL);
    rl->limit = limit;
    rl->window_s = window_s;
    return rl;
}

void
ratelimit_free(struct ratelimit *rl)
{
    if (!rl)
        return;
    pthread_mutex_destroy(&rl->lock);
    free(rl);
}

static uint32_t
fnv1a(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

int
ratelimit_take(struct ratelimit *rl, const char *key, int64_t now)
{
    int64_t window = now / rl->window_s;
    uint32_t h = fnv1a(key);
    int allowed;
    pthread_mutex_lock(&rl->lock);
    struct slot *s = NULL, *oldest = NULL;
    for (int i = 0; i < PROBES; i++) {
        struct slot *c = &rl->slots[(h + (uint32_t)i) % SLOTS];
        if (strncmp(c->key, key, sizeof(c->key) - 1) == 0) {
            s = c;
            break;
        }
        if (!oldest || c->window < oldest->window)
            oldest = c;
    }
    if (!s) {
        s = oldest;
        memset(s, 0, sizeof(*s));
        strncpy(s->key, key, sizeof(s->key) - 1);
    }
    if (s->window != window) {
        s->window = window;
        s->count = 0;
    }
    allowed = s->count < rl->limit;
    if (allowed)
        s->count++;
    pthread_mutex_unlock(&rl->lock);
    return allowed;
}
