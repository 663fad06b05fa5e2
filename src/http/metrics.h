/* SPDX-License-Identifier: MIT */
/* Request counters by route and status and a latency histogram, kept in
 * atomics and rendered as Prometheus text. */
#ifndef DD_HTTP_METRICS_H
#define DD_HTTP_METRICS_H

#include <stdint.h>

#include "core/buf.h"
#include "core/status.h"

/* Registers a route name (its pattern) before serving; returns its slot,
 * or the slot of "other" when the table is full. */
int metrics_route_slot(const char *name);
/* Records one finished request. slot -1 means unmatched. */
void metrics_observe(int slot, int status, uint64_t duration_us);
/* A heavy request admitted (+1), its reply sent (-1), or refused (0)
 * because the heavy pool was full. */
void metrics_heavy(int delta);
enum dd_status metrics_render(struct buf *out) DD_WUR;
void metrics_reset(void);

#endif
