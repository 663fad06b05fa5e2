/* SPDX-License-Identifier: MIT */
/* Wall-clock and monotonic time, and ISO-8601 formatting in UTC. */
#ifndef DD_TIMEUTIL_H
#define DD_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

/* Seconds since the epoch, UTC. */
int64_t time_now(void);
uint64_t time_mono_us(void);
/* "2026-11-29T02:01:06Z" into out (at least 21 bytes). */
void time_iso8601(int64_t t, char *out, size_t len);
/* Parses "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ"; returns 0 or -1. */
int time_parse_iso8601(const char *s, int64_t *out);

#endif
