/* SPDX-License-Identifier: MIT */
/* What the json module's files share: jansson values into the arena. */
#ifndef DD_JSON_INTERNAL_H
#define DD_JSON_INTERNAL_H

#include <jansson.h>

#include "core/arena.h"

/* Dumps v (compact) into the arena and drops the reference; NULL when v
 * is NULL or on ENOMEM. */
char *json_to_arena(struct arena *a, json_t *v);

struct explain;
/* An explanation's lines as a JSON array (rule, clause, result, member,
 * values, amount_fen, text_zh, text_en); one is scratch space for the
 * rendering. NULL on ENOMEM. (json_assess.c) */
json_t *json_assess_explanation(struct explain *one, const struct explain *ex);

#endif
