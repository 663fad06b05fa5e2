/* SPDX-License-Identifier: MIT */
/* What the in-process benches that time on CPU share (crypto_bench.c,
 * json_bench.c): the thread's CPU clock and the median of their rounds. */
#ifndef DD_BENCH_CPU_H
#define DD_BENCH_CPU_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_ROUNDS 15

/* The thread's CPU time: what the loops cost, not how long the shared
 * machine made them wait. */
static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of v[0..n), n <= MAX_ROUNDS; v is left as it was. */
static double
median(const double *v, int n)
{
    double s[MAX_ROUNDS];
    memcpy(s, v, (size_t)n * sizeof(*v));
    qsort(s, (size_t)n, sizeof(*s), cmp_double);
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* The rounds' figures as "F F F " for the report. */
static void
rounds_text(const double *v, int rounds, char *out, size_t cap)
{
    size_t off = 0;
    out[0] = '\0';
    for (int r = 0; r < rounds && off < cap; r++)
        off += (size_t)snprintf(out + off, cap - off, "%.0f ", v[r]);
}

#endif
