/* SPDX-License-Identifier: MIT */
/* Rate limits per key (a client address, a phone's hash), in memory: a
 * token bucket per key. A small open table: a full table forgets the
 * least recently used keys, never blocks. */
#ifndef DD_RATELIMIT_H
#define DD_RATELIMIT_H

#include <stdint.h>

struct ratelimit;

/* A burst of at most limit events per key, refilled evenly at limit per
 * window_s seconds: limit events in a row are allowed, then one more each
 * window_s / limit seconds. Unlike a fixed window there is no boundary at
 * which a fresh allowance appears at once, so limit + 1 events within a
 * few seconds are refused whatever the clock shows. Over any span of
 * window_s seconds at most 2 × limit events pass (a full bucket and its
 * refill). NULL on ENOMEM or a limit or window below 1. */
struct ratelimit *ratelimit_new(int limit, int window_s);
void ratelimit_free(struct ratelimit *rl);
/* Counts one event for key at time now (epoch seconds, non-decreasing per
 * key; an earlier time refills nothing); 1 if allowed, 0 if over. A key
 * forgotten for room in the table comes back with a full bucket. */
int ratelimit_take(struct ratelimit *rl, const char *key, int64_t now);

#endif
