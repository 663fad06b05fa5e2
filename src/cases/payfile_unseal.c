/* SPDX-License-Identifier: MIT */
/* The export's unsealing pipeline (payfile_unseal.h). Opening a line's
 * two numbers (HMAC-SM3 checked, then SM4-CTR) costs about as much as
 * reading the line and writing it out; with the opening on a helper
 * thread the two halves run side by side. Two chunks: while the helper
 * opens one, the caller fills the other from the store and writes out
 * the one opened before. One chunk is handed over at a time, so the
 * lines come back in the order they were pushed. */
#include "cases/payfile_unseal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Lines per chunk: handing one over costs nothing beside opening its
 * lines (a few microseconds each), and two stay under 1 MiB. */
#define CHUNK_LINES 512

enum chunk_state { CHUNK_FILLING, CHUNK_QUEUED, CHUNK_DONE };

struct chunk {
    struct unsealed_line *lines;
    size_t n;
    enum chunk_state state;
    enum dd_status rc; /* of the opening */
};

struct unsealer {
    const struct pii_keys *pii;
    unsealed_fn fn;
    void *ctx;
    struct chunk c[2];
    int fill;   /* the chunk the caller fills */
    int queued; /* the chunk handed over and not yet delivered, or -1 */
    int threaded, stop;
    pthread_t helper;
    pthread_mutex_t mu;
    pthread_cond_t cv;
};

static enum dd_status
open_chunk(const struct pii_keys *pii, struct chunk *c)
{
    for (size_t i = 0; i < c->n; i++) {
        struct unsealed_line *u = &c->lines[i];
        enum dd_status rc =
            pii_open(pii, &PII_AD_PERSON_ID(u->l.id_hash), u->l.id_enc,
                     u->id_number, sizeof(u->id_number));
        if (rc == DD_OK)
            rc = pii_open(pii, &PII_AD_PAYEE_ACCOUNT(u->l.account_row),
                          u->l.account_enc, u->account, sizeof(u->account));
        if (rc != DD_OK)
            return rc;
    }
    return DD_OK;
}

static void *
helper_main(void *arg)
{
    struct unsealer *u = arg;
    pthread_mutex_lock(&u->mu);
    for (;;) {
        while (!u->stop &&
               (u->queued < 0 || u->c[u->queued].state != CHUNK_QUEUED))
            pthread_cond_wait(&u->cv, &u->mu);
        if (u->stop)
            break;
        struct chunk *c = &u->c[u->queued];
        pthread_mutex_unlock(&u->mu);
        enum dd_status rc = open_chunk(u->pii, c);
        pthread_mutex_lock(&u->mu);
        c->rc = rc;
        c->state = CHUNK_DONE;
        pthread_cond_broadcast(&u->cv);
    }
    pthread_mutex_unlock(&u->mu);
    return NULL;
}

/* Gives c's lines to fn in order, wiping each opened number after, and
 * empties c. */
static enum dd_status
deliver(struct unsealer *u, struct chunk *c)
{
    enum dd_status rc = c->rc;
    for (size_t i = 0; i < c->n; i++) {
        if (rc == DD_OK)
            rc = u->fn(&c->lines[i], u->ctx);
        explicit_bzero(c->lines[i].id_number, PAYFILE_SECRET_MAX);
        explicit_bzero(c->lines[i].account, PAYFILE_SECRET_MAX);
    }
    c->n = 0;
    c->rc = DD_OK;
    c->state = CHUNK_FILLING;
    return rc;
}

/* Waits until the chunk handed over is opened; its index, or -1. */
static int
wait_queued(struct unsealer *u)
{
    pthread_mutex_lock(&u->mu);
    int q = u->queued;
    while (q >= 0 && u->c[q].state != CHUNK_DONE)
        pthread_cond_wait(&u->cv, &u->mu);
    u->queued = -1;
    pthread_mutex_unlock(&u->mu);
    return q;
}

/* Hands the chunk being filled over (or opens it here without a helper)
 * and delivers the one handed over before; the caller fills the other. */
static enum dd_status
hand_over(struct unsealer *u)
{
    struct chunk *c = &u->c[u->fill];
    if (!u->threaded) {
        c->rc = open_chunk(u->pii, c);
        return deliver(u, c);
    }
    int prev = wait_queued(u);
    pthread_mutex_lock(&u->mu);
    c->state = CHUNK_QUEUED;
    u->queued = u->fill;
    pthread_cond_broadcast(&u->cv);
    pthread_mutex_unlock(&u->mu);
    u->fill = 1 - u->fill;
    return prev >= 0 ? deliver(u, &u->c[prev]) : DD_OK;
}

enum dd_status
unsealer_new(const struct pii_keys *pii, unsealed_fn fn, void *ctx,
             struct unsealer **out)
{
    struct unsealer *u = calloc(1, sizeof(*u));
    *out = NULL;
    if (!u)
        return DD_ENOMEM;
    *u = (struct unsealer){.pii = pii, .fn = fn, .ctx = ctx, .queued = -1};
    for (int i = 0; i < 2; i++) {
        u->c[i].lines = calloc(CHUNK_LINES, sizeof(*u->c[i].lines));
        if (!u->c[i].lines) {
            unsealer_free(u);
            return DD_ENOMEM;
        }
    }
    pthread_mutex_init(&u->mu, NULL);
    pthread_cond_init(&u->cv, NULL);
    u->threaded = pthread_create(&u->helper, NULL, helper_main, u) == 0;
    *out = u;
    return DD_OK;
}

enum dd_status
unsealer_push(struct unsealer *u, const struct payfile_line *l)
{
    struct chunk *c = &u->c[u->fill];
    c->lines[c->n++].l = *l;
    return c->n == CHUNK_LINES ? hand_over(u) : DD_OK;
}

enum dd_status
unsealer_finish(struct unsealer *u)
{
    enum dd_status rc = u->c[u->fill].n ? hand_over(u) : DD_OK;
    int last = u->threaded ? wait_queued(u) : -1;
    if (last >= 0) {
        if (rc != DD_OK) /* wiped, not delivered */
            u->c[last].rc = rc;
        enum dd_status drc = deliver(u, &u->c[last]);
        if (rc == DD_OK)
            rc = drc;
    }
    return rc;
}

void
unsealer_free(struct unsealer *u)
{
    if (!u)
        return;
    if (u->threaded) {
        pthread_mutex_lock(&u->mu);
        u->stop = 1;
        pthread_cond_broadcast(&u->cv);
        pthread_mutex_unlock(&u->mu);
        pthread_join(u->helper, NULL);
    }
    if (u->c[0].lines && u->c[1].lines) {
        pthread_mutex_destroy(&u->mu);
        pthread_cond_destroy(&u->cv);
    }
    for (int i = 0; i < 2; i++) {
        if (u->c[i].lines)
            explicit_bzero(u->c[i].lines, CHUNK_LINES * sizeof(*u->c[i].lines));
        free(u->c[i].lines);
    }
    free(u);
}
