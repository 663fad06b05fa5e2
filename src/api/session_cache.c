/* SPDX-License-Identifier: MIT */
/* The sessions a server remembers for a few seconds (session_cache.h):
 * a table of SESSION_SLOTS entries by the token hash's first bits, under
 * one mutex, emptied of a session or a user on each announcement and
 * whole when the listener starts or loses its connection. */
#include "api/session_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "crypto/crypto.h"

#define SESSION_SLOTS 4096 /* a power of two */
#define CHANNEL "doudi_revoke"

struct entry {
    struct session s;
    struct user u;
    uint64_t read_us; /* 0: empty */
};

struct session_cache {
    pthread_mutex_t mu;
    uint64_t forgotten; /* counts every forgetting: session_cache_mark */
    struct store_listener *listener;
    struct entry slots[SESSION_SLOTS];
};

static size_t
slot_of(const char *token_hash)
{
    size_t h = 0;
    for (int i = 0; i < 8 && token_hash[i]; i++)
        h = h * 31 + (unsigned char)token_hash[i];
    return h & (SESSION_SLOTS - 1);
}

static void
wipe(struct entry *e)
{
    crypto_wipe(e, sizeof(*e));
}

/* Called with mu held. */
static void
forget_all(struct session_cache *c)
{
    for (size_t i = 0; i < SESSION_SLOTS; i++)
        if (c->slots[i].read_us)
            wipe(&c->slots[i]);
    c->forgotten++;
}

static void
forget_token(struct session_cache *c, const char *token_hash)
{
    struct entry *e = &c->slots[slot_of(token_hash)];
    if (e->read_us && strcmp(e->s.token_hash, token_hash) == 0)
        wipe(e);
    c->forgotten++;
}

static void
forget_user(struct session_cache *c, int64_t user_id)
{
    for (size_t i = 0; i < SESSION_SLOTS; i++)
        if (c->slots[i].read_us && c->slots[i].s.user_id == user_id)
            wipe(&c->slots[i]);
    c->forgotten++;
}

/* An announcement (migration 30): "s:<token hash>", "u:<user id>", or
 * NULL: the listener (re)started or lost its connection. */
static void
heard(void *ctx, const char *payload)
{
    struct session_cache *c = ctx;
    pthread_mutex_lock(&c->mu);
    if (payload && strncmp(payload, "s:", 2) == 0)
        forget_token(c, payload + 2);
    else if (payload && strncmp(payload, "u:", 2) == 0)
        forget_user(c, strtoll(payload + 2, NULL, 10));
    else
        forget_all(c);
    pthread_mutex_unlock(&c->mu);
}

enum dd_status
session_cache_new(struct store *st, struct session_cache **out)
{
    *out = NULL;
    struct session_cache *c = calloc(1, sizeof(*c));
    if (!c)
        return DD_ENOMEM;
    if (pthread_mutex_init(&c->mu, NULL) != 0) {
        free(c);
        return DD_ENOMEM;
    }
    enum dd_status rc = store_listen(st, CHANNEL, heard, c, &c->listener);
    if (rc != DD_OK) {
        pthread_mutex_destroy(&c->mu);
        free(c);
        return rc;
    }
    *out = c;
    return DD_OK;
}

void
session_cache_free(struct session_cache *c)
{
    if (!c)
        return;
    store_listen_stop(c->listener);
    crypto_wipe(c->slots, sizeof(c->slots));
    pthread_mutex_destroy(&c->mu);
    free(c);
}

int
session_cache_get(struct session_cache *c, const char *token_hash,
                  struct session *s, struct user *u)
{
    int found = 0;
    if (!c || !store_listener_up(c->listener))
        return 0;
    uint64_t now = time_mono_us();
    pthread_mutex_lock(&c->mu);
    struct entry *e = &c->slots[slot_of(token_hash)];
    if (e->read_us && now - e->read_us < SESSION_CACHE_US &&
        strcmp(e->s.token_hash, token_hash) == 0) {
        *s = e->s;
        *u = e->u;
        found = 1;
    }
    pthread_mutex_unlock(&c->mu);
    return found;
}

uint64_t
session_cache_mark(struct session_cache *c)
{
    if (!c)
        return 0;
    pthread_mutex_lock(&c->mu);
    uint64_t m = c->forgotten;
    pthread_mutex_unlock(&c->mu);
    return m;
}

void
session_cache_put(struct session_cache *c, uint64_t mark,
                  const struct session *s, const struct user *u)
{
    if (!c || !store_listener_up(c->listener))
        return;
    pthread_mutex_lock(&c->mu);
    /* something was forgotten since the store was read: what was read
     * may be what was forgotten */
    if (c->forgotten == mark) {
        struct entry *e = &c->slots[slot_of(s->token_hash)];
        e->s = *s;
        e->u = *u;
        crypto_wipe(e->u.pw_hash, sizeof(e->u.pw_hash));
        e->read_us = time_mono_us();
        if (e->read_us == 0)
            e->read_us = 1;
    }
    pthread_mutex_unlock(&c->mu);
}

void
session_cache_forget(struct session_cache *c, const char *token_hash)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->mu);
    forget_token(c, token_hash);
    pthread_mutex_unlock(&c->mu);
}

void
session_cache_forget_user(struct session_cache *c, int64_t user_id)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->mu);
    forget_user(c, user_id);
    pthread_mutex_unlock(&c->mu);
}
