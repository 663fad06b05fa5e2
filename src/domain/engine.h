/* SPDX-License-Identifier: MIT */
/* What the assessment engines (dibao, tekun, tempaid, disability,
 * children, lowincome) share: the range checks of their inputs and
 * parameters, and the explanation line of a count held to a limit. Pure:
 * no I/O, no allocation. */
#ifndef DD_DOMAIN_ENGINE_H
#define DD_DOMAIN_ENGINE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "domain/explain.h"
#include "domain/household.h"

/* The opening of an assessment into *out: clears it (when out is there)
 * and says whether the engine goes on, which it does when out is there
 * and inputs_ok; otherwise the engine returns DD_EINVAL. */
static inline int
engine_start(void *out, size_t size, int inputs_ok)
{
    if (out == NULL)
        return 0;
    memset(out, 0, size);
    return inputs_ok;
}

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

/* A value of an enum whose values run from 0 to count - 1. */
static inline int
engine_enum_ok(int v, int count)
{
    return engine_range_ok(v, 0, count - 1);
}

/* The index of name in an enum's table of stable names (names[0 ..
 * count - 1]), or -1 when it is none of them or NULL: what each enum's
 * _parse function answers. */
int engine_name_index(const char *const *names, int count, const char *name);

/* A standard or other amount that must be set: 1 fen to HH_MONEY_MAX. */
static inline int
engine_standard_ok(int64_t v)
{
    return v > 0 && engine_money_ok(v);
}

/* The bounds the engines' parameters share, by kind. */

/* An age in years: 0 to 200. */
static inline int
engine_age_ok(int v)
{
    return engine_range_ok(v, 0, 200);
}

/* A period in months: 0 to 1200. */
static inline int
engine_months_ok(int v)
{
    return engine_range_ok(v, 0, 1200);
}

/* A count of things allowed (vehicles, dwellings, …) or a multiple: 0 to
 * 1000. */
static inline int
engine_count_ok(int v)
{
    return engine_range_ok(v, 0, 1000);
}

/* A ratio in permille: 0 to 10000. */
static inline int
engine_permille_ok(int v)
{
    return engine_range_ok(v, 0, 10000);
}

/* A switch: 0 or 1. */
static inline int
engine_flag_ok(int v)
{
    return engine_range_ok(v, 0, 1);
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

/* A condition's result: PASS when ok, FAIL otherwise. */
static inline enum explain_result
engine_pass_fail(int ok)
{
    return ok ? EXPLAIN_PASS : EXPLAIN_FAIL;
}

/* Adds the line of a test of rule for member: a FAIL when failed, a PASS
 * otherwise, adding nothing to the amount. Returns the line (NULL when ex
 * is NULL or full). */
struct explain_line *engine_explain_test(struct explain *ex,
                                         const struct explain_rule *rule,
                                         int failed, int member);

/* Adds the line of rule for member: count against max_count, a FAIL when
 * failed, a PASS otherwise (ex NULL: a no-op). */
void engine_explain_count(struct explain *ex, const struct explain_rule *rule,
                          int failed, int member, int64_t count,
                          int64_t max_count);

#endif
