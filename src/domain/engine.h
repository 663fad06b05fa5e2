/* SPDX-License-Identifier: MIT */
/* What the assessment engines (dibao, tekun, tempaid, disability,
 * children, lowincome) share: the range checks of their inputs and
 * parameters, and the explanation line of a count held to a limit. Pure:
 * no I/O, no allocation. */
#ifndef DD_DOMAIN_ENGINE_H
#define DD_DOMAIN_ENGINE_H

#include <stdint.h>

#include "domain/explain.h"
#include "domain/household.h"

/* lo <= v <= hi. */
static inline int
engine_range_ok(int v, int lo, int hi)
{
    return v >= lo && v <= hi;
}

/* An amount in fen within [0, HH_MONEY_MAX]. */
static inline int
engine_money_ok(int64_t v)
{
    return v >= 0 && v <= HH_MONEY_MAX;
}

/* A disability category (enum hh_disability) with its grade: none with
 * grade 0, any other with grade 1 to 4. */
static inline int
engine_disability_ok(int category, int grade)
{
    if (!engine_range_ok(category, HH_DIS_NONE, HH_DIS_MULTIPLE))
        return 0;
    return category == HH_DIS_NONE ? grade == 0 : engine_range_ok(grade, 1, 4);
}

/* Adds the line of rule for member: count against max_count, a FAIL when
 * failed, a PASS otherwise (ex NULL: a no-op). */
void engine_explain_count(struct explain *ex, const struct explain_rule *rule,
                          int failed, int member, int64_t count,
                          int64_t max_count);

#endif
