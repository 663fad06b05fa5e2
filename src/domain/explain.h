/* SPDX-License-Identifier: MIT */
/* Explanations of an assessment: one line per rule tested, with the clause
 * it comes from, the numbers used and what it contributed to the amount,
 * rendered in Chinese or English. The buffer is the caller's; adding to a
 * NULL or full explanation is a no-op, so the engines compute the same
 * result with or without one. Pure: no I/O, no allocation. */
#ifndef DD_EXPLAIN_H
#define DD_EXPLAIN_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

#define EXPLAIN_MAX_LINES 128
#define EXPLAIN_MAX_VALUES 4

/* A rule as the engines declare it (static storage). */
struct explain_rule {
    const char *id;     /* e.g. "dibao.income_below_standard" */
    const char *clause; /* e.g. "社会救助暂行办法 第十二条" */
    const char *en;     /* short English title */
    const char *zh;     /* short Chinese title */
};

enum explain_result {
    EXPLAIN_PASS = 0, /* a condition met */
    EXPLAIN_FAIL,     /* a condition not met */
    EXPLAIN_INFO,     /* a fact, a figure used, a choice made */
    EXPLAIN_AMOUNT,   /* a part of the amount (amount_fen) */
    EXPLAIN_REVIEW,   /* a caseworker must decide */
};

enum explain_unit {
    EXPLAIN_UNIT_FEN = 0,
    EXPLAIN_UNIT_COUNT,
    EXPLAIN_UNIT_YEARS,
    EXPLAIN_UNIT_MONTHS,
    EXPLAIN_UNIT_DM2,
    EXPLAIN_UNIT_PERMILLE,
    EXPLAIN_UNIT_FLAG,
    EXPLAIN_UNIT_MEMBER /* a member index, rendered from 1 like lines' */
};

/* The names a value may carry; each has an English and a Chinese label and
 * a unit (see explain.c). */
enum explain_name {
    EXPLAIN_N_STANDARD = 0,
    EXPLAIN_N_MEMBERS,
    EXPLAIN_N_AGE,
    EXPLAIN_N_INCOME, /* a counted income, fen */
    EXPLAIN_N_GROSS_INCOME,
    EXPLAIN_N_DEDUCTIONS,
    EXPLAIN_N_COUNTED_TOTAL,
    EXPLAIN_N_PER_CAPITA,
    EXPLAIN_N_EXEMPT, /* an excluded income, fen */
    EXPLAIN_N_GAP_PER_CAPITA,
    EXPLAIN_N_AMOUNT,
    EXPLAIN_N_ASSETS, /* deposits + securities, fen */
    EXPLAIN_N_LIMIT,  /* a money limit, fen */
    EXPLAIN_N_MONTHS,
    EXPLAIN_N_COUNT, /* how many assets of a kind */
    EXPLAIN_N_MAX_COUNT,
    EXPLAIN_N_AREA,       /* floor area, dm² */
    EXPLAIN_N_AREA_LIMIT, /* area limit per head, dm² */
    EXPLAIN_N_MULTIPLE,
    EXPLAIN_N_RATIO, /* permille */
    EXPLAIN_N_GRADE,
    EXPLAIN_N_CATEGORY,
    EXPLAIN_N_ITEMS_UNABLE,
    EXPLAIN_N_PERIOD, /* a period in months */
    EXPLAIN_N_LAST_AMOUNT,
    EXPLAIN_N_BASE,
    EXPLAIN_N_FLAG,
    EXPLAIN_N_RURAL,         /* 1: the rural standard applies */
    EXPLAIN_N_KIND,          /* an enum hh_income_kind */
    EXPLAIN_N_GROUND,        /* a 单人保 ground (dibao.c) */
    EXPLAIN_N_MODE,          /* a parameterised mode */
    EXPLAIN_N_RELATION,      /* an enum hh_relation */
    EXPLAIN_N_INCOME_ANNUAL, /* fen a year */
    EXPLAIN_N_TIER,          /* an enum tekun_care_tier */
    EXPLAIN_N_MEMBER,        /* a member's index in the household */
    EXPLAIN_N_DISTRICT_AREA, /* dibao.area.default: 0 mixed, 1 urban,
                                2 rural (domain/area.h) */
    EXPLAIN_N__COUNT
};

struct explain_value {
    enum explain_name name;
    int64_t value;
};

struct explain_line {
    const struct explain_rule *rule;
    enum explain_result result;
    int member; /* member index, or -1 for the household */
    int value_count;
    struct explain_value values[EXPLAIN_MAX_VALUES];
    int64_t amount_fen; /* what this line adds to the total; 0 unless
                           result is EXPLAIN_AMOUNT */
};

struct explain {
    size_t count;
    int truncated; /* a line was dropped because the buffer was full */
    struct explain_line lines[EXPLAIN_MAX_LINES];
};

/* Empties ex (NULL allowed). */
void explain_init(struct explain *ex);

/* Appends a line and returns it, or NULL when ex is NULL or full (then
 * ex->truncated is set). rule must have static storage. */
struct explain_line *explain_add(struct explain *ex,
                                 const struct explain_rule *rule,
                                 enum explain_result result, int member,
                                 int64_t amount_fen);

/* Adds a named value to line (NULL allowed: a no-op); values beyond
 * EXPLAIN_MAX_VALUES are dropped. */
void explain_value_add(struct explain_line *line, enum explain_name name,
                       int64_t value);

/* The sum of amount_fen over all lines. */
int64_t explain_amount_sum(const struct explain *ex);

/* Renders ex as text, one line per rule, Chinese when zh is non-zero,
 * English otherwise; money as yuan with two decimals. out is always
 * NUL-terminated when len > 0. DD_ETOOBIG when the text did not fit (it
 * is then cut at a line boundary where possible), DD_EINVAL for NULL
 * arguments or len 0. */
DD_WUR enum dd_status explain_render(const struct explain *ex, int zh,
                                     char *out, size_t len);

/* Formats fen as yuan, e.g. -1234 → "-12.34", into out (≥ 24 bytes). */
void explain_yuan_format(int64_t fen, char *out, size_t len);

#endif
