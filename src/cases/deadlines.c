/* SPDX-License-Identifier: MIT */
/* A calendar year's new version moves the clocks that reach into it: the
 * open items' statutory and step deadlines recomputed by the very
 * function that set them at intake and at each step's entry
 * (cases_clock), each change audited and logged. */
#include "cases/cases.h"

#include <stdio.h>
#include <string.h>

#include "cases/cases_internal.h"
#include "core/log.h"
#include "json/jw.h"

#define PAGE 100

/* The change of c (was before) as an audit detail into out. */
static enum dd_status
change_detail(const struct case_item_row *was, const struct case_item_row *c,
              const char *cause, char *out, size_t cap)
{
    struct jw w;
    jw_init(&w, cap);
    jw_obj(&w, NULL);
    jw_str(&w, "cause", cause);
    jw_str(&w, "deadline_was", was->deadline);
    jw_str(&w, "deadline", c->deadline);
    jw_str(&w, "step_deadline_was", was->step_deadline);
    jw_str(&w, "step_deadline", c->step_deadline);
    jw_bool(&w, "uncovered_was", was->deadline_uncovered != 0);
    jw_bool(&w, "uncovered", c->deadline_uncovered != 0);
    jw_end(&w);
    return jw_finish_into(&w, out, cap);
}

/* c's clocks anew on x->calendar from its acceptance and its step's
 * start; written, audited and logged when they moved. */
static enum dd_status
recompute_one(const struct cases_ctx *x, struct case_item_row *c,
              const char *cause, size_t *changed)
{
    struct catalog_item it;
    struct civil_day started;
    char detail[512];
    enum dd_status rc =
        cases_item_version(x, c->item_code, c->catalog_version, &it);
    if (rc != DD_OK)
        return rc;
    const struct wf_step *s = cases_step(x, &it, c->step);
    started.day = cases_day_of(c->step_started_on);
    if (!s || started.day == INT32_MIN)
        return DD_OK; /* no clock to recompute (start-up checks steps) */
    workcal_ymd_from_day(started.day, &started.y, &started.m, &started.d);
    workcal_format_date(started.day, started.s);
    struct case_item_row was = *c;
    cases_clock(x, c, &it, s, &started);
    if (strcmp(was.deadline, c->deadline) == 0 &&
        strcmp(was.step_deadline, c->step_deadline) == 0 &&
        was.deadline_uncovered == c->deadline_uncovered)
        return DD_OK;
    rc = store_case_item_update(x->tx, c, c->version);
    if (rc == DD_OK)
        rc = change_detail(&was, c, cause, detail, sizeof(detail));
    if (rc == DD_OK)
        rc = cases_audit(
            x, "case.deadline",
            arena_printf(x->arena, "case_item:%lld", (long long)c->id),
            c->owner_region, detail);
    if (rc != DD_OK)
        return rc;
    /* ids and days only: no applicant in the log */
    log_info("%s: case item %lld deadline %s -> %s, step deadline %s -> %s%s",
             cause, (long long)c->id, was.deadline, c->deadline,
             was.step_deadline[0] ? was.step_deadline : "none",
             c->step_deadline[0] ? c->step_deadline : "none",
             c->deadline_uncovered ? " (still uncovered)" : "");
    (*changed)++;
    return DD_OK;
}

enum dd_status
cases_deadlines_recompute(const struct cases_ctx *x, int year,
                          const char *cause, size_t *changed)
{
    char from[16], to[16];
    int64_t after = 0;
    size_t n = 0;
    *changed = 0;
    snprintf(from, sizeof(from), "%04d-01-01", year);
    snprintf(to, sizeof(to), "%04d-12-31", year);
    struct case_item_row *page =
        arena_alloc(x->arena, PAGE * sizeof(*page));
    if (!page)
        return DD_ENOMEM;
    enum dd_status rc;
    do {
        rc = store_case_item_calendar_page(x->tx, from, to, after, page, PAGE,
                                           &n);
        for (size_t i = 0; rc == DD_OK && i < n; i++) {
            after = page[i].id;
            rc = recompute_one(x, &page[i], cause, changed);
        }
    } while (rc == DD_OK && n == PAGE);
    return rc;
}
