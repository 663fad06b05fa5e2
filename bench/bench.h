/* SPDX-License-Identifier: MIT */
/* What the in-process benches share: a clock in seconds and the ordering
 * of doubles their medians sort by. */
#ifndef DD_BENCH_H
#define DD_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BENCH_MAX_ROUNDS 15

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

/* The thread's CPU time in seconds. */
static inline double
bench_cpu_s(void)
{
    return bench_seconds(CLOCK_THREAD_CPUTIME_ID);
}

/* The median of v[0..n), n <= BENCH_MAX_ROUNDS; v is left as it was. */
static inline double
bench_median(const double *v, int n)
{
    double s[BENCH_MAX_ROUNDS];
    memcpy(s, v, (size_t)n * sizeof(*v));
    qsort(s, (size_t)n, sizeof(*s), bench_cmp_double);
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* The rounds' figures as "F F F " for the report. */
static inline void
bench_rounds_text(const double *v, int rounds, char *out, size_t cap)
{
    size_t off = 0;
    out[0] = '\0';
    for (int r = 0; r < rounds && off < cap; r++)
        off += (size_t)snprintf(out + off, cap - off, "%.0f ", v[r]);
}

#endif
