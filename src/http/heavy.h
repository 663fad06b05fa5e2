/* SPDX-License-Identifier: MIT */
/* The heavy-request pool: a fixed number of worker threads and a bounded
 * number of admissions, so exports, KPI reports and imports never run on
 * the threads that serve every other request and /healthz. */
#ifndef DD_HTTP_HEAVY_H
#define DD_HTTP_HEAVY_H

#include "core/status.h"

typedef void (*heavy_job_fn)(void *arg);

struct heavy_pool;

/* workers threads; workers + queue requests admitted at once. */
enum dd_status heavy_pool_new(int workers, int queue,
                              struct heavy_pool **out) DD_WUR;
/* Takes an admission: 0, or -1 when workers + queue are taken. */
int heavy_pool_admit(struct heavy_pool *p);
/* Runs fn(arg) on a worker, after heavy_pool_admit said 0. */
void heavy_pool_push(struct heavy_pool *p, heavy_job_fn fn, void *arg);
/* Gives an admission back, once the request's reply has been sent. */
void heavy_pool_release(struct heavy_pool *p);
/* Runs the jobs already pushed, then stops the workers and frees p. */
void heavy_pool_free(struct heavy_pool *p);

#endif
