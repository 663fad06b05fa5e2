/* SPDX-License-Identifier: MIT */
/* What the json module's files share: jansson values into the arena. */
#ifndef DD_JSON_INTERNAL_H
#define DD_JSON_INTERNAL_H

#include <jansson.h>

#include "core/arena.h"
#include "core/status.h"

/* Fills err (its strings are static) and returns DD_EINVAL. */
enum dd_status json_fail(struct dd_error *err, const char *code,
                         const char *field, const char *en, const char *zh);
/* Whether v has the type t of a field table's field (enum json_type of
 * json.h); else 0 with the WRONG_TYPE message in *en and *zh. */
int json_type_ok(const json_t *v, int t, const char **en, const char **zh);
/* Parses body as one JSON object (duplicate keys refused) into *root, a
 * reference the caller drops: DD_OK, or DD_EINVAL with err
 * MALFORMED_JSON or NOT_AN_OBJECT. */
enum dd_status json_load_object(const char *body, size_t len, json_t **root,
                                struct dd_error *err);

/* Dumps v (compact) into the arena and drops the reference; NULL when v
 * is NULL or on ENOMEM. */
char *json_to_arena(struct arena *a, json_t *v);

struct explain;
/* An explanation's lines as a JSON array (rule, clause, result, member,
 * values, amount_fen, text_zh, text_en); one is scratch space for the
 * rendering. NULL on ENOMEM. (json_assess.c) */
json_t *json_assess_explanation(struct explain *one, const struct explain *ex);

#endif
