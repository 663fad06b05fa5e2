/* SPDX-License-Identifier: MIT */
/* Prometheus counters. The table is fixed-size and filled before serving,
 * so observing is lock-free. */
#include "http/metrics.h"

#include <stdatomic.h>
#include <string.h>

#define MAX_ROUTES 128
#define MAX_STATUS 16

static const int statuses[MAX_STATUS] = {200, 201, 204, 304, 400, 401,
                                         403, 404, 405, 409, 413, 422,
                                         429, 500, 503, 0 /* other */};
/* Latency bucket upper bounds in microseconds. */
static const uint64_t bounds_us[] = {250,   500,    1000,   2500,  5000,
                                     10000, 25000,  50000,  100000, 250000,
                                     500000, 1000000, 2500000};
#define NBOUNDS (sizeof(bounds_us) / sizeof(bounds_us[0]))

struct route_stats {
    char name[96];
    char method[8];
    _Atomic uint64_t count[MAX_STATUS];
};

static struct route_stats routes[MAX_ROUTES];
static int nroutes;
static _Atomic uint64_t buckets[NBOUNDS + 1];
static _Atomic uint64_t sum_us, total;
static _Atomic int64_t heavy_admitted;
static _Atomic uint64_t heavy_refused;

int
metrics_route_slot(const char *name)
{
    for (int i = 0; i < nroutes; i++)
        if (strcmp(routes[i].name, name) == 0)
            return i;
    if (nroutes == MAX_ROUTES - 1)
        return MAX_ROUTES - 1;
    size_t n = strlen(name);
    if (n >= sizeof(routes[0].name))
        n = sizeof(routes[0].name) - 1;
    memcpy(routes[nroutes].name, name, n);
    routes[nroutes].name[n] = '\0';
    return nroutes++;
}

void
metrics_observe(int slot, int status, uint64_t dur_us)
{
    if (slot < 0 || slot >= MAX_ROUTES)
        slot = MAX_ROUTES - 1;
    int s = MAX_STATUS - 1;
    for (int i = 0; i < MAX_STATUS - 1; i++)
        if (statuses[i] == status)
            s = i;
    atomic_fetch_add_explicit(&routes[slot].count[s], 1, memory_order_relaxed);
    size_t b = 0;
    while (b < NBOUNDS && dur_us > bounds_us[b])
        b++;
    atomic_fetch_add_explicit(&buckets[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&sum_us, dur_us, memory_order_relaxed);
    atomic_fetch_add_explicit(&total, 1, memory_order_relaxed);
}

void
metrics_heavy(int delta)
{
    if (delta)
        atomic_fetch_add(&heavy_admitted, delta);
    else
        atomic_fetch_add(&heavy_refused, 1);
}

enum dd_status
metrics_render(struct buf *out)
{
    enum dd_status rc =
        buf_printf(out,
                   "# HELP doudi_heavy_requests Heavy requests (exports, "
                   "KPI reports, imports) admitted now.\n"
                   "# TYPE doudi_heavy_requests gauge\n"
                   "doudi_heavy_requests %lld\n"
                   "# HELP doudi_heavy_refused_total Heavy requests refused "
                   "with 503: the heavy pool was full.\n"
                   "# TYPE doudi_heavy_refused_total counter\n"
                   "doudi_heavy_refused_total %llu\n",
                   (long long)atomic_load(&heavy_admitted),
                   (unsigned long long)atomic_load(&heavy_refused));
    if (rc == DD_OK)
        rc = buf_puts(out, "# HELP doudi_http_requests_total HTTP requests by "
                           "route and status.\n"
                           "# TYPE doudi_http_requests_total counter\n");
    for (int r = 0; r < MAX_ROUTES && rc == DD_OK; r++) {
        const char *name = r == MAX_ROUTES - 1 ? "other" : routes[r].name;
        if (r >= nroutes && r != MAX_ROUTES - 1)
            continue;
        for (int s = 0; s < MAX_STATUS && rc == DD_OK; s++) {
            uint64_t c = atomic_load(&routes[r].count[s]);
            if (!c)
                continue;
            if (statuses[s])
                rc = buf_printf(out,
                                "doudi_http_requests_total{route=\"%s\","
                                "status=\"%d\"} %llu\n",
                                name, statuses[s], (unsigned long long)c);
            else
                rc = buf_printf(out,
                                "doudi_http_requests_total{route=\"%s\","
                                "status=\"other\"} %llu\n",
                                name, (unsigned long long)c);
        }
    }
    if (rc != DD_OK)
        return rc;
    rc = buf_puts(out, "# HELP doudi_http_request_duration_seconds Request "
                       "latency.\n"
                       "# TYPE doudi_http_request_duration_seconds "
                       "histogram\n");
    uint64_t cum = 0;
    for (size_t b = 0; b < NBOUNDS && rc == DD_OK; b++) {
        cum += atomic_load(&buckets[b]);
        rc = buf_printf(out,
                        "doudi_http_request_duration_seconds_bucket{le=\""
                        "%g\"} %llu\n",
                        (double)bounds_us[b] / 1e6, (unsigned long long)cum);
    }
    if (rc != DD_OK)
        return rc;
    cum += atomic_load(&buckets[NBOUNDS]);
    return buf_printf(out,
                      "doudi_http_request_duration_seconds_bucket{le=\"+Inf\"}"
                      " %llu\n"
                      "doudi_http_request_duration_seconds_sum %.6f\n"
                      "doudi_http_request_duration_seconds_count %llu\n",
                      (unsigned long long)cum,
                      (double)atomic_load(&sum_us) / 1e6,
                      (unsigned long long)atomic_load(&total));
}

void
metrics_reset(void)
{
    for (int r = 0; r < MAX_ROUTES; r++)
        for (int s = 0; s < MAX_STATUS; s++)
            atomic_store(&routes[r].count[s], 0);
    for (size_t b = 0; b <= NBOUNDS; b++)
        atomic_store(&buckets[b], 0);
    atomic_store(&sum_us, 0);
    atomic_store(&total, 0);
    atomic_store(&heavy_refused, 0);
}
