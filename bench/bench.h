/* SPDX-License-Identifier: MIT */
/* What the in-process benches share: a clock in seconds and the ordering
 * of doubles their medians sort by. */
#ifndef DD_BENCH_H
#define DD_BENCH_H

#include <time.h>

/* clk's time in seconds (CLOCK_MONOTONIC: wall time; a thread's CPU time:
 * what the loops cost, not how long a shared machine made them wait). */
static inline double
bench_seconds(clockid_t clk)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* qsort's comparison of two doubles, ascending. */
static inline int
bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#endif
