/* SPDX-License-Identifier: MIT */
/* A long command's progress on standard error (`doudi gen --store`,
 * `doudi import`): how far it is, its rate and the time left, a line at
 * most every PROGRESS_EVERY_US, so that a short run prints none. */
#include <stdio.h>

#include "cli/cli.h"
#include "core/timeutil.h"

#define PROGRESS_EVERY_US 5000000u

void
cli_progress_start(struct cli_progress *p, const char *command,
                   const char *unit, uint64_t total)
{
    p->command = command;
    p->unit = unit;
    p->total = total;
    p->out = stderr;
    p->t0_us = p->last_us = time_mono_us();
}

/* "2 h 5 min", "3 min 20 s", "12 s". */
static void
duration(double s, char *out, size_t cap)
{
    unsigned long long t = s > 0 ? (unsigned long long)(s + 0.5) : 0;
    if (t >= 3600)
        snprintf(out, cap, "%llu h %llu min", t / 3600, t % 3600 / 60);
    else if (t >= 60)
        snprintf(out, cap, "%llu min %llu s", t / 60, t % 60);
    else
        snprintf(out, cap, "%llu s", t);
}

void
cli_progress_tick(struct cli_progress *p, uint64_t done, double fraction)
{
    uint64_t now = time_mono_us();
    if (now - p->last_us < PROGRESS_EVERY_US)
        return;
    p->last_us = now;
    double elapsed = (double)(now - p->t0_us) / 1e6;
    if (fraction < 0)
        fraction = p->total ? (double)done / (double)p->total : 0;
    char left[32] = "?";
    if (fraction > 0 && fraction <= 1)
        duration(elapsed * (1 - fraction) / fraction, left, sizeof(left));
    if (p->total)
        fprintf(p->out, "%s: %llu of %llu %s (%.0f%%), %.0f/s, %s left\n",
                p->command, (unsigned long long)done,
                (unsigned long long)p->total, p->unit, 100 * fraction,
                (double)done / elapsed, left);
    else
        fprintf(p->out, "%s: %llu %s (%.0f%%), %.0f/s, %s left\n", p->command,
                (unsigned long long)done, p->unit, 100 * fraction,
                (double)done / elapsed, left);
}
