/* SPDX-License-Identifier: MIT */
/* The per-key token bucket (ratelimit.h), kept as the generic cell rate
 * algorithm: one number per key, the time at which its bucket would be
 * full again (tat). An event is allowed when, counting it, the bucket is
 * not more than limit events behind; the time is absolute, so frequent
 * callers lose no fraction of a refill to rounding. In milliseconds. */
#include "core/ratelimit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 4096
#define PROBES 8

struct slot {
    char key[64];
    int64_t tat_ms; /* the bucket is full again at this time, epoch ms */
};

struct ratelimit {
    pthread_mutex_t lock;
    int64_t interval_ms; /* one event comes back each window / limit */
    int64_t burst_ms;    /* limit × interval: how far behind a bucket may be */
    struct slot slots[SLOTS];
};

struct ratelimit *
ratelimit_new(int limit, int window_s)
{
    if (limit < 1 || window_s < 1)
        return NULL;
    struct ratelimit *rl = calloc(1, sizeof(*rl));
    if (!rl)
        return NULL;
    pthread_mutex_init(&rl->lock, NULL);
    /* rounded up: never more lenient than the setting */
    rl->interval_ms = ((int64_t)window_s * 1000 + limit - 1) / limit;
    rl->burst_ms = rl->interval_ms * limit;
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
    uint32_t h = fnv1a(key);
    int64_t now_ms = now * 1000;
    int allowed;

    pthread_mutex_lock(&rl->lock);
    struct slot *s = NULL, *oldest = NULL;
    for (int i = 0; i < PROBES; i++) {
        struct slot *c = &rl->slots[(h + (uint32_t)i) % SLOTS];
        if (strncmp(c->key, key, sizeof(c->key) - 1) == 0) {
            s = c;
            break;
        }
        if (!oldest || c->tat_ms < oldest->tat_ms)
            oldest = c;
    }
    if (!s) { /* a new key, or one forgotten for room: a full bucket */
        s = oldest;
        memset(s, 0, sizeof(*s));
        strncpy(s->key, key, sizeof(s->key) - 1);
    }
    int64_t tat = (s->tat_ms > now_ms ? s->tat_ms : now_ms) + rl->interval_ms;
    allowed = tat - now_ms <= rl->burst_ms;
    if (allowed)
        s->tat_ms = tat;
    pthread_mutex_unlock(&rl->lock);
    return allowed;
}
