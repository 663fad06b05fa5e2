/* SPDX-License-Identifier: MIT */
/* Step templates as data, and the one transition function. A template is
 * the ordered steps of an item's procedure (domain.md §1.2, §2-§5, §7.2):
 * each step has its actor level, its time limit in working or calendar
 * days, whether the applicant comes in person (a visit), whether the
 * statutory clock is paused (补正), and the actions that leave it, each
 * naming the next step, what it needs (reasons, investigators, an amount,
 * a result) and the outcome it sets. Pure: no I/O, no allocation. */
#ifndef DD_WORKFLOW_H
#define DD_WORKFLOW_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

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

/* wf_transition.needs */
#define WF_NEED_REASONS (1u << 0)       /* a non-empty "reasons" */
#define WF_NEED_INVESTIGATORS (1u << 1) /* >= 2 named investigators */
#define WF_NEED_AMOUNT (1u << 2)        /* "amount_fen" > 0 */
#define WF_NEED_RESULT (1u << 3)        /* a department's "result" text */
#define WF_NEED_PUBLICITY_OVER (1u << 4) /* the 7 days have passed */

enum wf_outcome { WF_OUT_NONE = 0, WF_OUT_APPROVE, WF_OUT_REJECT };

#define WF_MAX_NEXT 4

struct wf_transition {
    const char *action;
    const char *to;
    unsigned needs;
    enum wf_outcome outcome;
};

struct wf_step {
    const char *code, *name_zh, *name_en;
    enum wf_level level;
    int limit_days;    /* 0 = only the case's own deadline */
    int limit_calendar; /* 1 = calendar days, 0 = working days */
    unsigned flags;
    struct wf_transition next[WF_MAX_NEXT];
};

struct wf_template {
    const char *code;
    const char *name_zh, *name_en;
    const struct wf_step *steps;
    size_t step_count;
    const char *first; /* the step a complete application starts in */
};

/* What an action brought with it. */
struct wf_fields {
    int investigators;   /* named investigators */
    int has_reasons;
    int64_t amount_fen;
    int has_result;
    int publicity_over;  /* the caller checked the 公示's end day */
};

/* The step every template starts in when materials are missing. */
#define WF_SUPPLEMENT "supplement"
#define WF_CLOSED "closed"

const struct wf_template *wf_template_find(const char *code);
const struct wf_step *wf_step_find(const struct wf_template *t,
                                   const char *code);
const char *wf_level_name(enum wf_level l);

/* The transition for action at step. DD_ENOTFOUND (err code
 * ACTION_NOT_ALLOWED) when the step has no such action or the step is
 * unknown; DD_EINVAL naming the missing field (reasons, investigators,
 * amount_fen, result, or PUBLICITY_RUNNING) when the action's needs are
 * not met. */
enum dd_status wf_next(const struct wf_template *t, const char *step,
                       const char *action, const struct wf_fields *f,
                       const struct wf_transition **out,
                       struct dd_error *err) DD_WUR;

/* Whether the case with this number is in the spot-check sample: a
 * deterministic FNV-1a hash of the case number, mod 100, below percent. */
int wf_spot_check(const char *case_no, int percent);

#endif
