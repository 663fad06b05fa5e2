/* SPDX-License-Identifier: MIT */
/* The fixed-seed generator the engines' property tests share: splitmix64,
 * so a failing case is reproduced by its seed alone. Each test sets
 * rng_state, then draws with rng() and rnd(n). */
#ifndef DD_TEST_RNG_H
#define DD_TEST_RNG_H

#include <stdint.h>

static uint64_t rng_state;

static inline uint64_t
rng(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A uniform-enough draw in [0, n); 0 when n <= 0. */
static inline int64_t
rnd(int64_t n)
{
    return n > 0 ? (int64_t)(rng() % (uint64_t)n) : 0;
}

#endif
