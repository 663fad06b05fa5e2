/* SPDX-License-Identifier: MIT */
/* Helpers the assessment engines share (engine.h). */
#include "domain/engine.h"

void
engine_explain_count(struct explain *ex, const struct explain_rule *rule,
                     int failed, int member, int64_t count, int64_t max_count)
{
    struct explain_line *l =
        explain_add(ex, rule, failed ? EXPLAIN_FAIL : EXPLAIN_PASS, member, 0);
    explain_value_add(l, EXPLAIN_N_COUNT, count);
    explain_value_add(l, EXPLAIN_N_MAX_COUNT, max_count);
}
