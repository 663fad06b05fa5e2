/* SPDX-License-Identifier: MIT */
/* The context pool of ctxpool.h: a fixed array under one mutex. Taking
 * and giving are a lock, a pointer move and an unlock, far below the cost
 * of setting up a keyed OpenSSL context. */
#include "crypto/ctxpool.h"

#include <stdlib.h>

int
ctxpool_init(struct ctxpool *p)
{
    p->count = 0;
    return pthread_mutex_init(&p->mu, NULL);
}

/* A mutex that cannot be locked or unlocked is a broken invariant of this
 * file (the pool is always initialised and never locked twice), not a
 * condition to report. */
static void
lock(struct ctxpool *p)
{
    if (pthread_mutex_lock(&p->mu) != 0)
        abort();
}

static void
unlock(struct ctxpool *p)
{
    if (pthread_mutex_unlock(&p->mu) != 0)
        abort();
}

void *
ctxpool_take(struct ctxpool *p, ctxpool_make_fn make, void *arg)
{
    void *item;

    lock(p);
    if (p->count > 0)
        item = p->items[--p->count];
    else
        item = make(arg);
    unlock(p);
    return item;
}

void
ctxpool_give(struct ctxpool *p, void *item, ctxpool_free_fn free_item)
{
    lock(p);
    if (p->count < CTXPOOL_MAX) {
        p->items[p->count++] = item;
        item = NULL;
    }
    unlock(p);
    if (item != NULL)
        free_item(item);
}

void
ctxpool_destroy(struct ctxpool *p, ctxpool_free_fn free_item)
{
    while (p->count > 0)
        free_item(p->items[--p->count]);
    pthread_mutex_destroy(&p->mu);
}
