/* SPDX-License-Identifier: MIT */
/* Helpers the assessment engines share (engine.h). */
#include "domain/engine.h"

#include <string.h>

struct explain_line *
engine_explain_test(struct explain *ex, const struct explain_rule *rule,
                    int failed, int member)
{
    return explain_add(ex, rule, engine_pass_fail(!failed), member, 0);
}

void
engine_explain_count(struct explain *ex, const struct explain_rule *rule,
                     int failed, int member, int64_t count, int64_t max_count)
{
    struct explain_line *l = engine_explain_test(ex, rule, failed, member);
    explain_value_add(l, EXPLAIN_N_COUNT, count);
    explain_value_add(l, EXPLAIN_N_MAX_COUNT, max_count);
}

int
engine_name_index(const char *const *names, int count, const char *name)
{
    for (int i = 0; name != NULL && i < count; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}
