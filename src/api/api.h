/* SPDX-License-Identifier: MIT */
/* The application: the route tables of every resource, and the one entry
 * point the HTTP server calls for each request (match → validate →
 * authenticate → CSRF → authorise → handler). */
#ifndef DD_API_H
#define DD_API_H

#include <stddef.h>
#include <stdio.h>

#include "core/config.h"
#include "core/status.h"
#include "http/request.h"
#include "http/router.h"
#include "store/store.h"

struct api;

/* Loads what the API keeps in memory (zones) from st. */
enum dd_status api_new(struct store *st, const struct config *cfg,
                       struct api **out) DD_WUR;
void api_free(struct api *a);
/* A new version of one year's holiday calendar from f (`doudi calendar
 * load`, POST /api/v1/calendar/years): checked, stored, versioned and
 * audited by refdata_calendar_year_load, the deadlines of the open cases
 * that reach into the year recomputed (cases_deadlines_recompute), all in
 * one transaction by actor; then served at once. file labels the source
 * in the audit row. *recomputed: the items whose deadlines moved. A bad
 * file: DD_EINVAL with y->bad_line and y->reason. */
struct refdata_year;
enum dd_status api_calendar_load(struct api *a, FILE *f, const char *file,
                                 const char *actor, const char *request_id,
                                 struct refdata_year *y,
                                 size_t *recomputed) DD_WUR;
/* Reads the holiday table anew and serves it (a year loaded by another
 * process: `doudi serve` on SIGHUP). */
enum dd_status api_calendar_reload(struct api *a) DD_WUR;

/* The http_handler_fn: ctx is the struct api. */
void api_handle(struct http_request *req, void *ctx);
/* The server's takes_upload: whether req's method and path match a route
 * flagged ROUTE_UPLOAD (its body may reach upload-limit). */
int api_takes_upload(struct http_request *req, void *ctx);

/* Every route table, for the OpenAPI agreement test and the listing. */
extern const struct route_table *const api_route_tables[];
extern const size_t api_route_table_count;

#endif
