/* SPDX-License-Identifier: MIT */
/* JSON for assessments: a household as described to the calculator (no
 * identity: relations, dates or ages, circumstances, incomes in fen,
 * assets, obligors) decoded into struct household, and an assessment
 * result encoded with its parts and bilingual explanation. Part of the
 * json module (the only one that calls jansson). */
#ifndef DD_JSON_ASSESS_H
#define DD_JSON_ASSESS_H

#include <stddef.h>

#include "assess/assess.h"
#include "core/arena.h"
#include "core/status.h"
#include "domain/household.h"

/* The longest region code a description may carry, + NUL. */
#define JSON_ASSESS_REGION_LEN 13

/* Decodes body (len bytes) into *h for an assessment on y-m-d (an age is
 * turned into the latest birth date giving that age on that date),
 * region (the description's region_code, 6, 9 or 12 digits) and *setting
 * (urban_or_rural: "urban", "rural" or "district"; h->standard_area is
 * the explicit one, "district" is left to assess_area_resolve). The
 * optional county_code (6 digits) is the hukou county a "district"
 * household follows, in h->hukou_county (else region_code's first 6
 * digits). Unknown
 * fields, wrong types, values out of range, and references to members
 * that do not exist are DD_EINVAL with err->field the path of the value
 * ("members[1].incomes.wages"; strings in the arena) and err->code one of
 * MALFORMED_JSON, NOT_AN_OBJECT, UNKNOWN_FIELD, WRONG_TYPE, MISSING_FIELD,
 * OUT_OF_RANGE, INVALID_VALUE. DD_ENOMEM when the arena is full. */
DD_WUR enum dd_status json_decode_household(struct arena *a, const char *body,
                                            size_t len, int y, int m, int d,
                                            struct household *h,
                                            char region[JSON_ASSESS_REGION_LEN],
                                            enum area_setting *setting,
                                            struct dd_error *err);

/* {"as_of","region_code","programs":[{program, decision,
 * monthly_amount_fen, parts:[...], explanation:[{rule, clause, result,
 * member, values:{...}, amount_fen, text_zh, text_en}],
 * explanation_truncated}]}; ex as given to assess_household (entries may
 * be NULL: no explanation). NULL on ENOMEM. */
char *json_encode_assessment(struct arena *a, const char *as_of,
                             const char *region_code,
                             const struct assess_result *r,
                             struct explain *const ex[ASSESS__COUNT]);

#endif
