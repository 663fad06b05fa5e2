/* SPDX-License-Identifier: MIT */
/* An engine's explanation rules, read from its data file (domain/
 * <engine>_rules.def): one row a rule,
 *     RULE(NAME, "key", "clause", "English title", "中文标题")
 * Include this header once in the engine's .c, after defining ENGINE_RULES
 * as the data file's name (and any clause prefix macro its rows use):
 *     #define ENGINE_RULES "domain/dibao_rules.def"
 *     #include "domain/rule_table.h"
 * It declares enum rule_id { R_NAME, ..., R__COUNT } and
 * static const struct explain_rule rules[R__COUNT] in the rows' order, so
 * a rule is &rules[R_NAME]. No include guard on purpose: one use per
 * translation unit. */
#ifndef ENGINE_RULES
#error "define ENGINE_RULES before including domain/rule_table.h"
#endif

#include "domain/explain.h"

enum rule_id {
#define RULE(name, key, clause, en, zh) R_##name,
#include ENGINE_RULES
#undef RULE
    R__COUNT
};

static const struct explain_rule rules[R__COUNT] = {
#define RULE(name, key, clause, en, zh) {key, clause, en, zh},
#include ENGINE_RULES
#undef RULE
};

#undef ENGINE_RULES
