/* SPDX-License-Identifier: MIT */
/* The application: the route tables of every resource, and the one entry
 * point the HTTP server calls for each request (match → validate →
 * authenticate → CSRF → authorise → handler). */
#ifndef DD_API_H
#define DD_API_H

#include <stddef.h>

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
/* The http_handler_fn: ctx is the struct api. */
void api_handle(struct http_request *req, void *ctx);

/* Every route table, for the OpenAPI agreement test and the listing. */
extern const struct route_table *const api_route_tables[];
extern const size_t api_route_table_count;

#endif
