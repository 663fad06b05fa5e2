/* SPDX-License-Identifier: MIT */
/* The error envelope, on its own so that the HTTP layer sees no entity
 * type of the store through json.h. */
#ifndef DD_JSON_ERROR_H
#define DD_JSON_ERROR_H

#include "core/arena.h"
#include "core/status.h"

/* {"error":{"code","message","message_zh","field"},"request_id"} */
char *json_error_envelope(struct arena *a, const struct dd_error *err,
                          const char *request_id);

#endif
