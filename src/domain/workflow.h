/* SPDX-License-Identifier: MIT */
/* Step templates as data (data/catalog/steps.csv, domain.md §1.2, §2-§5,
 * §7.2), their checks, and the one transition function. A template is
 * the steps of an item's procedure: each step has its actor level and
 * roles, its time limit in working or calendar days, whether the
 * applicant comes in person (a visit), whether the statutory clock is
 * paused (补正), and the actions that leave it, each naming the next
 * step, what it needs (reasons, investigators, an amount, a result, a
 * checker) and the outcome it sets. Pure: no I/O, no allocation (the
 * caller owns the book, filled row by row at start). */
#ifndef DD_WORKFLOW_H
#define DD_WORKFLOW_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "domain/authz.h"

enum wf_level {
    WF_TOWNSHIP = 0, /* the hukou township's civil-affairs office */
    WF_COUNTY,       /* the county civil-affairs bureau */
    WF_DEPT,         /* the county department a referral goes to */
    WF_NOBODY,       /* a closed case */
};

/* wf_step.flags */
#define WF_VISIT (1u << 0)     /* the applicant comes in person */
#define WF_PAUSE (1u << 1)     /* 补正: the statutory clock stops */
#define WF_PUBLICITY (1u << 2) /* 公示 in the village */
#define WF_CONFIRM (1u << 3)   /* county's, the township's when delegated */
#define WF_TERMINAL (1u << 4)  /* the case is closed */
#define WF_SPOT_CHECK (1u << 5) /* the county spot-checks flagged cases */
#define WF_FIRST (1u << 6)     /* a complete application starts here */

/* wf_transition.needs */
#define WF_NEED_REASONS (1u << 0)       /* a non-empty "reasons" */
#define WF_NEED_INVESTIGATORS (1u << 1) /* >= 2 named investigators */
#define WF_NEED_AMOUNT (1u << 2)        /* "amount_fen" > 0 */
#define WF_NEED_RESULT (1u << 3)        /* a "result" text */
#define WF_NEED_PUBLICITY_OVER (1u << 4) /* the 7 days have passed */
#define WF_NEED_CHECKER (1u << 5)       /* the spot checker's name */

enum wf_outcome { WF_OUT_NONE = 0, WF_OUT_APPROVE, WF_OUT_REJECT };

#define WF_CODE_MAX 24
#define WF_MAX_NEXT 4
#define WF_MAX_STEPS 160
#define WF_MAX_TEMPLATES 24

/* Whether s is a code: 2 or more lowercase letters and '_', shorter than
 * cap bytes (a step, template or catalog item code). */
int wf_code_ok(const char *s, size_t cap);

struct wf_transition {
    char action[WF_CODE_MAX]; /* "" ends the list */
    char to[WF_CODE_MAX];
    unsigned needs;
    enum wf_outcome outcome;
};

struct wf_step {
    char code[WF_CODE_MAX], name_zh[64], name_en[96];
    enum wf_level level;
    unsigned actors;    /* 1u << enum role, for each role that may act */
    int limit_days;     /* 0 = only the case's own deadline */
    int limit_calendar; /* 1 = calendar days, 0 = working days */
    unsigned flags;
    struct wf_transition next[WF_MAX_NEXT];
    char source[256];
    long line; /* its line in steps.csv */
};

struct wf_template {
    char code[WF_CODE_MAX];
    const struct wf_step *steps; /* into the book */
    size_t step_count;
    const char *first; /* the step a complete application starts in */
};

/* Every template, filled by wf_book_add_row and closed by wf_book_check.
 * About 90 KiB: allocate it once. */
struct wf_book {
    struct wf_template templates[WF_MAX_TEMPLATES];
    size_t template_count;
    struct wf_step steps[WF_MAX_STEPS];
    size_t step_count;
};

/* The CSV header of data/catalog/steps.csv, comma-separated. */
extern const char wf_csv_header[];
#define WF_CSV_COLUMNS 11

/* Parses one row (the 11 fields of steps.csv) into the book. A
 * template's rows are contiguous. DD_EINVAL with the column in
 * err->field (code INVALID_STEP). */
enum dd_status wf_book_add_row(struct wf_book *b, char *const *fields,
                               size_t count, long line,
                               struct dd_error *err) DD_WUR;
/* Checks every template once all rows are in: each has one first step,
 * one 补正 (supplement) step that pauses the clock, exactly one terminal
 * step, named closed, with no actions, which every other step can reach;
 * every action leads to a step of the same template; every rejection
 * needs reasons. DD_EINVAL with *line the faulty step's line. */
enum dd_status wf_book_check(struct wf_book *b, long *line,
                             struct dd_error *err) DD_WUR;

/* What an action brought with it. */
struct wf_fields {
    int investigators;   /* named investigators */
    int has_reasons;
    int64_t amount_fen;
    int has_result;
    int has_checker;
    int spot_check_pending; /* in the sample, not yet checked */
    int publicity_over;  /* the caller checked the 公示's end day */
};

/* The step every template starts in when materials are missing. */
#define WF_SUPPLEMENT "supplement"
#define WF_CLOSED "closed"

const struct wf_template *wf_template_find(const struct wf_book *b,
                                           const char *code);
const struct wf_step *wf_step_find(const struct wf_template *t,
                                   const char *code);
const char *wf_level_name(enum wf_level l);
/* The i-th need a transition of t can have, as steps.csv spells it
 * (reasons, investigators, ...), when t's needs include it; NULL past
 * the last need. For i = 0, 1, ... while the name is not NULL, skipping
 * "" (a need t does not have). */
const char *wf_need_name(const struct wf_transition *t, size_t i);
/* Whether role r is among the step's actors. */
int wf_step_actor(const struct wf_step *s, enum role r);

/* The transition for action at step. DD_ENOTFOUND (err code
 * ACTION_NOT_ALLOWED) when the step has no such action or the step is
 * unknown; DD_EINVAL naming the missing field (reasons, investigators,
 * amount_fen, result, checker, or PUBLICITY_RUNNING) when the action's
 * needs are not met; DD_ECONFLICT (SPOT_CHECK_PENDING) when a case in the
 * spot-check sample would leave its spot-check step unchecked. */
enum dd_status wf_next(const struct wf_template *t, const char *step,
                       const char *action, const struct wf_fields *f,
                       const struct wf_transition **out,
                       struct dd_error *err) DD_WUR;

/* The spot-check sample (特困人员认定办法 Art. 16): whether the n-th
 * (1-based) spot-checkable case of a county and year is flagged, so
 * that of the first n cases ceil(n × percent / 100) are: the 1st, and
 * then each case that brings the flagged share back to percent. */
int wf_spot_check(int64_t n, int percent);

#endif
