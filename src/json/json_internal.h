/* SPDX-License-Identifier: MIT */
/* What the json module's files share: jansson values into the arena. */
#ifndef DD_JSON_INTERNAL_H
#define DD_JSON_INTERNAL_H

#include <jansson.h>

#include "core/arena.h"

/* Dumps v (compact) into the arena and drops the reference; NULL when v
 * is NULL or on ENOMEM. */
char *json_to_arena(struct arena *a, json_t *v);

#endif
