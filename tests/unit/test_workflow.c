/* SPDX-License-Identifier: MIT */
/* The step templates and the transition function: every template is
 * well formed (each action leads to a step of the same template, every
 * step but the closed one can be left, the closed one is reachable), and
 * the 低保 procedure of 民发〔2021〕57号 walks as domain.md §1.2 says,
 * with the needs of each action enforced. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "domain/workflow.h"

static const char *const codes[] = {
    "dibao",     "tekun",    "children", "disability", "tempaid_urgent",
    "tempaid_expense", "lowincome", "referral", "filing",
};

static void
test_templates_well_formed(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        const struct wf_template *t = wf_template_find(codes[i]);
        assert_non_null(t);
        assert_non_null(wf_step_find(t, t->first));
        assert_non_null(wf_step_find(t, WF_SUPPLEMENT));
        const struct wf_step *closed = wf_step_find(t, WF_CLOSED);
        assert_non_null(closed);
        assert_true(closed->flags & WF_TERMINAL);
        int reaches_closed = 0;
        for (size_t s = 0; s < t->step_count; s++) {
            const struct wf_step *st = &t->steps[s];
            if (st->flags & WF_TERMINAL)
                continue;
            assert_non_null(st->next[0].action); /* it can be left */
            for (int k = 0; k < WF_MAX_NEXT && st->next[k].action; k++) {
                assert_non_null(wf_step_find(t, st->next[k].to));
                reaches_closed |= strcmp(st->next[k].to, WF_CLOSED) == 0;
                /* every rejection states its reasons (Art. 21) */
                if (st->next[k].outcome == WF_OUT_REJECT)
                    assert_true(st->next[k].needs & WF_NEED_REASONS);
            }
        }
        assert_true(reaches_closed);
    }
    assert_null(wf_template_find("nosuch"));
}

static const struct wf_transition *
go(const struct wf_template *t, const char *step, const char *action,
   const struct wf_fields *f, enum dd_status want)
{
    const struct wf_transition *tr = NULL;
    struct dd_error err = {0};
    assert_int_equal(wf_next(t, step, action, f, &tr, &err), want);
    return tr;
}

/* 民发〔2021〕57号 Arts. 15-22: 入户调查 (>= 2 investigators) → 信息核对 →
 * 初审 → 公示 (7 calendar days; an objection goes back to 入户调查) →
 * 审核确认 → 决定 → 告知 (3 wd) → closed. */
static void
test_dibao_walk(void **state)
{
    (void)state;
    const struct wf_template *t = wf_template_find("dibao");
    struct wf_fields f = {0};
    struct dd_error err = {0};
    const struct wf_transition *tr;

    assert_string_equal(t->first, "investigate");
    /* one investigator is not a team (Art. 16) */
    f.investigators = 1;
    assert_int_equal(wf_next(t, "investigate", "submit", &f, &tr, &err),
                     DD_EINVAL);
    assert_string_equal(err.field, "investigators");
    f.investigators = 2;
    tr = go(t, "investigate", "submit", &f, DD_OK);
    assert_string_equal(tr->to, "verify");
    assert_string_equal(go(t, "verify", "submit", &f, DD_OK)->to, "review");
    assert_string_equal(go(t, "review", "approve", &f, DD_OK)->to,
                        "publicity");
    const struct wf_step *pub = wf_step_find(t, "publicity");
    assert_int_equal(pub->limit_days, 7);
    assert_int_equal(pub->limit_calendar, 1);
    assert_true(pub->flags & WF_PUBLICITY);
    /* the 公示 runs its 7 days first */
    assert_int_equal(wf_next(t, "publicity", "close", &f, &tr, &err),
                     DD_EINVAL);
    assert_string_equal(err.code, "PUBLICITY_RUNNING");
    /* an objection (with its text) goes back to the investigation */
    assert_int_equal(wf_next(t, "publicity", "object", &f, &tr, &err),
                     DD_EINVAL);
    assert_string_equal(err.field, "reasons");
    f.has_reasons = 1;
    assert_string_equal(go(t, "publicity", "object", &f, DD_OK)->to,
                        "investigate");
    f.has_reasons = 0;
    f.publicity_over = 1;
    assert_string_equal(go(t, "publicity", "close", &f, DD_OK)->to,
                        "confirm");
    const struct wf_step *confirm = wf_step_find(t, "confirm");
    assert_int_equal(confirm->level, WF_COUNTY);
    assert_int_equal(confirm->limit_days, 10); /* Art. 20 */
    assert_true(confirm->flags & WF_CONFIRM);
    assert_string_equal(go(t, "confirm", "submit", &f, DD_OK)->to, "decide");
    /* a rejection needs reasons; an approval does not */
    assert_int_equal(wf_next(t, "decide", "reject", &f, &tr, &err),
                     DD_EINVAL);
    tr = go(t, "decide", "approve", &f, DD_OK);
    assert_int_equal(tr->outcome, WF_OUT_APPROVE);
    assert_string_equal(tr->to, "notify");
    assert_int_equal(wf_step_find(t, "notify")->limit_days, 3); /* Art. 21 */
    assert_string_equal(go(t, "notify", "notify", &f, DD_OK)->to, WF_CLOSED);
    /* nothing leaves the closed step; unknown actions are named */
    assert_int_equal(wf_next(t, WF_CLOSED, "notify", &f, &tr, &err),
                     DD_ENOTFOUND);
    assert_string_equal(err.code, "ACTION_NOT_ALLOWED");
    assert_int_equal(wf_next(t, "review", "fly", &f, &tr, &err),
                     DD_ENOTFOUND);
    assert_int_equal(wf_next(t, "nosuch", "submit", &f, &tr, &err),
                     DD_ENOTFOUND);
}

/* 补正 pauses the clock and needs the applicant in person. */
static void
test_supplement(void **state)
{
    (void)state;
    struct wf_fields f = {0};
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        const struct wf_template *t = wf_template_find(codes[i]);
        const struct wf_step *s = wf_step_find(t, WF_SUPPLEMENT);
        assert_true(s->flags & WF_PAUSE);
        assert_true(s->flags & WF_VISIT);
        assert_string_equal(go(t, WF_SUPPLEMENT, "complete", &f, DD_OK)->to,
                            t->first);
    }
}

/* 事实无人抚养 and 孤儿 (domain.md §5): no 公示, township 15 wd + county
 * 15 wd; 特困 (§2): 15 wd, 7-day 公示, county 15 wd with a spot check. */
static void
test_other_templates(void **state)
{
    (void)state;
    struct wf_fields f = {.investigators = 2};
    const struct wf_template *c = wf_template_find("children");
    for (size_t s = 0; s < c->step_count; s++)
        assert_false(c->steps[s].flags & WF_PUBLICITY);
    assert_int_equal(wf_step_find(c, "check")->limit_days, 15);
    assert_int_equal(wf_step_find(c, "decide")->limit_days, 15);
    assert_string_equal(go(c, "check", "submit", &f, DD_OK)->to, "decide");

    const struct wf_template *k = wf_template_find("tekun");
    assert_int_equal(wf_step_find(k, "investigate")->limit_days, 15);
    assert_true(wf_step_find(k, "confirm")->flags & WF_SPOT_CHECK);
    assert_int_equal(wf_step_find(k, "confirm")->limit_days, 15);

    /* 急难: 先行救助 with an amount first, the paperwork after */
    const struct wf_template *u = wf_template_find("tempaid_urgent");
    assert_string_equal(u->first, "aid_first");
    struct dd_error err = {0};
    const struct wf_transition *tr;
    assert_int_equal(wf_next(u, "aid_first", "grant", &f, &tr, &err),
                     DD_EINVAL);
    assert_string_equal(err.field, "amount_fen");
    f.amount_fen = 50000;
    assert_string_equal(go(u, "aid_first", "grant", &f, DD_OK)->to,
                        "paperwork");
    assert_int_equal(go(u, "paperwork", "complete", &f, DD_OK)->outcome,
                     WF_OUT_APPROVE);

    /* a referral: the department accepts, then answers with a result */
    const struct wf_template *r = wf_template_find("referral");
    assert_int_equal(wf_step_find(r, "referred")->level, WF_DEPT);
    assert_string_equal(go(r, "referred", "accept", &f, DD_OK)->to,
                        "handling");
    assert_int_equal(wf_next(r, "handling", "approve", &f, &tr, &err),
                     DD_EINVAL);
    assert_string_equal(err.field, "result");
    f.has_result = 1;
    assert_string_equal(go(r, "handling", "approve", &f, DD_OK)->to,
                        "notify");
}

/* The spot-check sample is a fixed function of the case number, and
 * about the share asked for. */
static void
test_spot_check(void **state)
{
    (void)state;
    char no[32];
    int hits = 0;
    for (int i = 1; i <= 1000; i++) {
        snprintf(no, sizeof(no), "5001012023%06d", i);
        int a = wf_spot_check(no, 30);
        assert_int_equal(a, wf_spot_check(no, 30));
        assert_true(wf_spot_check(no, 100));
        assert_false(wf_spot_check(no, 0));
        hits += a;
    }
    /* FNV-1a mod 100 over 1,000 numbers: 30 % ± 5 points */
    assert_in_range(hits, 250, 350);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_templates_well_formed),
        cmocka_unit_test(test_dibao_walk),
        cmocka_unit_test(test_supplement),
        cmocka_unit_test(test_other_templates),
        cmocka_unit_test(test_spot_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
