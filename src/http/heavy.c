/* SPDX-License-Identifier: MIT */
/* The heavy-request pool (heavy.h). An admission lasts from the request's
 * arrival until its reply is sent, not only while its handler runs: an
 * export's reply is held whole in the request's memory until the client
 * has read it, so admissions bound that memory as well as the CPU. The
 * jobs wait in a ring as long as the admissions, so a push never fails. */
#include "http/heavy.h"

#include <pthread.h>
#include <stdlib.h>

struct heavy_job {
    heavy_job_fn fn;
    void *arg;
};

struct heavy_pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct heavy_job *ring; /* cap jobs */
    int cap, head, count;
    int admitted;
    int stopping;
    int nthreads;
    pthread_t *threads;
};

static void *
worker(void *arg)
{
    struct heavy_pool *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->count == 0 && !p->stopping)
            pthread_cond_wait(&p->cv, &p->mu);
        if (p->count == 0)
            break;
        struct heavy_job job = p->ring[p->head];
        p->head = (p->head + 1) % p->cap;
        p->count--;
        pthread_mutex_unlock(&p->mu);
        job.fn(job.arg);
        pthread_mutex_lock(&p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

enum dd_status
heavy_pool_new(int workers, int queue, struct heavy_pool **out)
{
    struct heavy_pool *p = calloc(1, sizeof(*p));
    *out = NULL;
    if (!p)
        return DD_ENOMEM;
    p->cap = workers + queue;
    p->ring = calloc((size_t)p->cap, sizeof(*p->ring));
    p->threads = calloc((size_t)workers, sizeof(*p->threads));
    if (!p->ring || !p->threads || pthread_mutex_init(&p->mu, NULL) != 0) {
        free(p->ring);
        free(p->threads);
        free(p);
        return DD_ENOMEM;
    }
    pthread_cond_init(&p->cv, NULL);
    for (; p->nthreads < workers; p->nthreads++)
        if (pthread_create(&p->threads[p->nthreads], NULL, worker, p) != 0)
            break;
    if (p->nthreads < workers) {
        heavy_pool_free(p);
        return DD_ENOMEM;
    }
    *out = p;
    return DD_OK;
}

int
heavy_pool_admit(struct heavy_pool *p)
{
    int ok;
    pthread_mutex_lock(&p->mu);
    ok = p->admitted < p->cap;
    if (ok)
        p->admitted++;
    pthread_mutex_unlock(&p->mu);
    return ok ? 0 : -1;
}

void
heavy_pool_push(struct heavy_pool *p, heavy_job_fn fn, void *arg)
{
    pthread_mutex_lock(&p->mu);
    p->ring[(p->head + p->count) % p->cap] = (struct heavy_job){fn, arg};
    p->count++;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

void
heavy_pool_release(struct heavy_pool *p)
{
    pthread_mutex_lock(&p->mu);
    p->admitted--;
    pthread_mutex_unlock(&p->mu);
}

void
heavy_pool_free(struct heavy_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stopping = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->nthreads; i++)
        pthread_join(p->threads[i], NULL);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p->ring);
    free(p->threads);
    free(p);
}
