/* SPDX-License-Identifier: MIT */
/* JSON for case decisions: the decider's "facts" object decoded field by
 * field for the item's engine (struct case_facts), and an engine outcome
 * encoded as the assessment explanation the notice and the dry run show.
 * Part of the json module (the only one that calls jansson). */
#ifndef DD_JSON_FACTS_H
#define DD_JSON_FACTS_H

#include <stddef.h>

#include "assess/assess_case.h"
#include "core/arena.h"
#include "core/status.h"

/* Decodes the object text (len bytes) into *out (zeroed first) for engine
 * e: the fields of that engine only (docs/cases.md), each checked for its
 * type, range and allowed values. DD_EINVAL with err->field the path of
 * the value ("facts.member_id", "facts.parents[1].custody"; strings in the
 * arena) and err->code one of MALFORMED_JSON, NOT_AN_OBJECT,
 * UNKNOWN_FIELD, WRONG_TYPE, OUT_OF_RANGE, INVALID_VALUE, TOO_SHORT,
 * TOO_LONG; DD_ENOMEM. Missing fields are the mapping's to name
 * (assess_case_request). */
DD_WUR enum dd_status json_facts_decode(struct arena *a, const char *text,
                                        size_t len, enum case_engine e,
                                        struct case_facts *out,
                                        struct dd_error *err);

/* The explanation of an engine outcome, in the shape of
 * json_encode_assessment: {"as_of","region_code","programs":[{program,
 * decision, monthly_amount_fen, one_off, parts:[{kind, amount_fen}],
 * explanation:[...], explanation_truncated, unresolved_key}]}. When
 * decided_fen >= 0 the decision was REVIEW and the decider set that
 * amount: the program gets "review":{"decided_amount_fen","note_zh",
 * "note_en"}. NULL on ENOMEM. */
char *json_encode_case_outcome(struct arena *a, const char *as_of,
                               const char *region_code,
                               const struct case_outcome *o,
                               const struct explain *ex, int64_t decided_fen);

#endif
