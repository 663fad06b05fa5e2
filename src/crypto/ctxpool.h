/* SPDX-License-Identifier: MIT */
/* A small mutex-guarded stack of keyed OpenSSL contexts, so that a key is
 * set up once and its contexts are reused by whichever thread needs one. */
#ifndef DD_CTXPOOL_H
#define DD_CTXPOOL_H

#include <pthread.h>
#include <stddef.h>

/* More than the HTTP threads (DOUDI_THREADS is at most 256) plus the
 * workers ever hold at once; a context given back to a full pool is freed
 * by its owner instead, which is correct, only slower. */
#define CTXPOOL_MAX 256

/* The pool does not know what its items are: the owner makes them (from
 * a keyed template: ctxpool_take's make) and frees them (ctxpool_give's
 * and ctxpool_destroy's free_item), so the key schedules are cleansed by
 * the library that made them. */
typedef void *(*ctxpool_make_fn)(void *arg);
typedef void (*ctxpool_free_fn)(void *item);

struct ctxpool {
    pthread_mutex_t mu;
    size_t count;
    void *items[CTXPOOL_MAX];
};

/* Initialises an empty pool; 0 or an errno value from pthread. */
int ctxpool_init(struct ctxpool *p);
/* An idle context, or a new one from make(arg) if none is idle (NULL if
 * make fails). make runs under the pool's lock, so it may read a template
 * that only the pool's users share. The caller has the context to itself
 * until it gives it back. */
void *ctxpool_take(struct ctxpool *p, ctxpool_make_fn make, void *arg);
/* Gives a context back for the next caller, or frees it with free_item if
 * the pool is full. */
void ctxpool_give(struct ctxpool *p, void *item, ctxpool_free_fn free_item);
/* Frees every idle context with free_item and destroys the lock. No
 * context may be out (taken and not given back). */
void ctxpool_destroy(struct ctxpool *p, ctxpool_free_fn free_item);

#endif
