/* SPDX-License-Identifier: MIT */
/* Fixed-window rate limits per key (a client address), in memory. A small
 * open table: a full table forgets the oldest windows, never blocks. */
#ifndef DD_RATELIMIT_H
#define DD_RATELIMIT_H

#include <stdint.h>

struct ratelimit;

/* At most limit events per window_s seconds per key. NULL on ENOMEM. */
struct ratelimit *ratelimit_new(int limit, int window_s);
void ratelimit_free(struct ratelimit *rl);
/* Counts one event for key at time now; 1 if allowed, 0 if over. */
int ratelimit_take(struct ratelimit *rl, const char *key, int64_t now);

#endif
