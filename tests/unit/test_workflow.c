/* SPDX-License-Identifier: MIT */
/* The step templates and the transition function: the shipped
 * data/catalog/steps.csv loads and every template is well formed (each
 * action leads to a step of the same template, every step but the closed
 * one can be left, the closed one is reachable), broken files are
 * refused with their line, the actors follow the levels (the township's
 * 初审 by its reviewer only), the 低保
 * procedure of 民发〔2021〕57号 walks as domain.md §1.2 says with the needs
 * of each action enforced, and the 特困 spot-check sample holds its share
 * from the first case on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "text_file.h"

#include "unit_main.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain/workflow.h"
#include "refdata/refdata_steps.h"

#ifndef DOUDI_SOURCE_DIR
#define DOUDI_SOURCE_DIR "."
#endif

static const char *const codes[] = {
    "dibao",           "tekun",     "children", "disability", "tempaid_urgent",
    "tempaid_expense", "lowincome", "referral", "filing",
};

static struct wf_book book;

static const struct wf_template *
find(const char *code)
{
    return wf_template_find(&book, code);
}

static int
load_book(void **state)
{
    (void)state;
    char path[1024], why[256];
    long bad = 0;
    snprintf(path, sizeof(path), "%s/data",
             getenv("DOUDI_SOURCE_DIR") ? getenv("DOUDI_SOURCE_DIR")
                                        : DOUDI_SOURCE_DIR);
    if (refdata_steps_read(path, &book, &bad, why, sizeof(why)) != DD_OK) {
        fprintf(stderr, "steps.csv line %ld: %s\n", bad, why);
        return -1;
    }
    return 0;
}

TEST_CASE(test_templates_well_formed)
{
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        const struct wf_template *t = find(codes[i]);
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
            assert_true(st->next[0].action[0]); /* it can be left */
            for (int k = 0; k < WF_MAX_NEXT && st->next[k].action[0]; k++) {
                assert_non_null(wf_step_find(t, st->next[k].to));
                reaches_closed |= strcmp(st->next[k].to, WF_CLOSED) == 0;
                /* every rejection states its reasons (Art. 21) */
                if (st->next[k].outcome == WF_OUT_REJECT)
                    assert_true(st->next[k].needs & WF_NEED_REASONS);
            }
        }
        assert_true(reaches_closed);
    }
    assert_null(find("nosuch"));
    assert_int_equal(book.template_count, sizeof(codes) / sizeof(codes[0]));
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

/* action from step of t with f is refused with rc, the error's code and
 * field as given (NULL: not checked); else fails naming step and action. */
static void
refused(const struct wf_template *t, const char *step, const char *action,
        const struct wf_fields *f, enum dd_status rc, const char *code,
        const char *field)
{
    const struct wf_transition *tr = NULL;
    struct dd_error err = {0};
    enum dd_status got = wf_next(t, step, action, f, &tr, &err);
    if (got != rc || (code && (!err.code || strcmp(err.code, code) != 0)) ||
        (field && (!err.field || strcmp(err.field, field) != 0)))
        fail_msg("%s --%s-->: %s %s %s, want %s %s %s", step, action,
                 dd_status_name(got), err.code ? err.code : "NULL",
                 err.field ? err.field : "NULL", dd_status_name(rc),
                 code ? code : "-", field ? field : "-");
}

/* 民发〔2021〕57号 Arts. 15-22: 入户调查 (>= 2 investigators) → 信息核对 →
 * 初审 → 公示 (7 calendar days; an objection goes back to 入户调查) →
 * 审核确认 → 决定 → 告知 (3 wd) → closed. */
TEST_CASE(test_dibao_walk)
{
    const struct wf_template *t = find("dibao");
    struct wf_fields f = {0};
    const struct wf_transition *tr;

    assert_string_equal(t->first, "investigate");
    /* one investigator is not a team (Art. 16) */
    f.investigators = 1;
    refused(t, "investigate", "submit", &f, DD_EINVAL, NULL, "investigators");
    f.investigators = 2;
    tr = go(t, "investigate", "submit", &f, DD_OK);
    assert_string_equal(tr->to, "verify");
    assert_string_equal(go(t, "verify", "submit", &f, DD_OK)->to, "review");
    assert_string_equal(go(t, "review", "approve", &f, DD_OK)->to, "publicity");
    const struct wf_step *pub = wf_step_find(t, "publicity");
    assert_int_equal(pub->limit_days, 7);
    assert_int_equal(pub->limit_calendar, 1);
    assert_true(pub->flags & WF_PUBLICITY);
    /* the 公示 runs its 7 days first */
    refused(t, "publicity", "close", &f, DD_EINVAL, "PUBLICITY_RUNNING", NULL);
    /* an objection (with its text) goes back to the investigation */
    refused(t, "publicity", "object", &f, DD_EINVAL, NULL, "reasons");
    f.has_reasons = 1;
    assert_string_equal(go(t, "publicity", "object", &f, DD_OK)->to,
                        "investigate");
    f.has_reasons = 0;
    f.publicity_over = 1;
    assert_string_equal(go(t, "publicity", "close", &f, DD_OK)->to, "confirm");
    const struct wf_step *confirm = wf_step_find(t, "confirm");
    assert_int_equal(confirm->level, WF_COUNTY);
    assert_int_equal(confirm->limit_days, 10); /* Art. 20 */
    assert_true(confirm->flags & WF_CONFIRM);
    assert_string_equal(go(t, "confirm", "submit", &f, DD_OK)->to, "decide");
    /* a rejection needs reasons; an approval does not */
    refused(t, "decide", "reject", &f, DD_EINVAL, NULL, NULL);
    tr = go(t, "decide", "approve", &f, DD_OK);
    assert_int_equal(tr->outcome, WF_OUT_APPROVE);
    assert_string_equal(tr->to, "notify");
    assert_int_equal(wf_step_find(t, "notify")->limit_days, 3); /* Art. 21 */
    assert_string_equal(go(t, "notify", "notify", &f, DD_OK)->to, WF_CLOSED);
    /* nothing leaves the closed step; unknown actions are named */
    refused(t, WF_CLOSED, "notify", &f, DD_ENOTFOUND, "ACTION_NOT_ALLOWED",
            NULL);
    refused(t, "review", "fly", &f, DD_ENOTFOUND, NULL, NULL);
    refused(t, "nosuch", "submit", &f, DD_ENOTFOUND, NULL, NULL);
}

/* 补正 pauses the clock and needs the applicant in person. */
TEST_CASE(test_supplement)
{
    struct wf_fields f = {0};
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        const struct wf_template *t = find(codes[i]);
        const struct wf_step *s = wf_step_find(t, WF_SUPPLEMENT);
        assert_true(s->flags & WF_PAUSE);
        assert_true(s->flags & WF_VISIT);
        assert_string_equal(go(t, WF_SUPPLEMENT, "complete", &f, DD_OK)->to,
                            t->first);
    }
}

/* 事实无人抚养 and 孤儿 (domain.md §5): no 公示, township 15 wd + county
 * 15 wd; 特困 (§2): 15 wd, 7-day 公示, county 15 wd with a spot check. */
TEST_CASE(test_other_templates)
{
    struct wf_fields f = {.investigators = 2};
    const struct wf_template *c = find("children");
    for (size_t s = 0; s < c->step_count; s++)
        assert_false(c->steps[s].flags & WF_PUBLICITY);
    assert_int_equal(wf_step_find(c, "check")->limit_days, 15);
    assert_int_equal(wf_step_find(c, "decide")->limit_days, 15);
    assert_string_equal(go(c, "check", "submit", &f, DD_OK)->to, "decide");

    const struct wf_template *k = find("tekun");
    assert_int_equal(wf_step_find(k, "investigate")->limit_days, 15);
    assert_true(wf_step_find(k, "confirm")->flags & WF_SPOT_CHECK);
    assert_int_equal(wf_step_find(k, "confirm")->limit_days, 15);

    /* 急难: 先行救助 with an amount first, the paperwork after */
    const struct wf_template *u = find("tempaid_urgent");
    assert_string_equal(u->first, "aid_first");
    refused(u, "aid_first", "grant", &f, DD_EINVAL, NULL, "amount_fen");
    f.amount_fen = 50000;
    assert_string_equal(go(u, "aid_first", "grant", &f, DD_OK)->to,
                        "paperwork");
    assert_int_equal(go(u, "paperwork", "complete", &f, DD_OK)->outcome,
                     WF_OUT_APPROVE);

    /* a referral: the department accepts, then answers with a result */
    const struct wf_template *r = find("referral");
    assert_int_equal(wf_step_find(r, "referred")->level, WF_DEPT);
    assert_string_equal(go(r, "referred", "accept", &f, DD_OK)->to, "handling");
    refused(r, "handling", "approve", &f, DD_EINVAL, NULL, "result");
    f.has_result = 1;
    assert_string_equal(go(r, "handling", "approve", &f, DD_OK)->to, "notify");
}

/* 特困人员认定办法 Art. 16: the county spot-checks at least 30 % of its
 * cases. Worked by hand for 30 %: of the first n cases ceil(0.3 n) are
 * flagged, which grows at n = 1 (1), 4 (ceil 1.2 = 2), 7 (ceil 2.1 = 3),
 * 11 (ceil 3.3 = 4), 14 (ceil 4.2 = 5), 17 (ceil 5.1 = 6) and 21 (ceil
 * 6.3 = 7); at n = 10 it stays 3 (exactly 30 %). */
TEST_CASE(test_spot_check)
{
    static const int want[] = {1, 4, 7, 11, 14, 17, 21};
    size_t w = 0;
    int flagged = 0;
    for (int64_t n = 1; n <= 21; n++) {
        int f = wf_spot_check(n, 30);
        assert_int_equal(f, w < 7 && n == want[w]);
        if (f)
            w++;
    }
    assert_int_equal(w, 7);
    /* never below the share, at every count, for several shares */
    static const int shares[] = {1, 30, 33, 50, 99, 100};
    for (size_t k = 0; k < sizeof(shares) / sizeof(shares[0]); k++) {
        flagged = 0;
        for (int64_t n = 1; n <= 1000; n++) {
            flagged += wf_spot_check(n, shares[k]);
            assert_true(flagged * 100 >= n * shares[k]);
            assert_true((flagged - 1) * 100 < n * shares[k]);
        }
    }
    assert_false(wf_spot_check(1, 0));
    assert_false(wf_spot_check(0, 30));
    /* a flagged case cannot leave 审核确认 before its spot check, which
     * needs its result and its checker and stays in the step */
    const struct wf_template *k = find("tekun");
    struct wf_fields f = {.spot_check_pending = 1};
    refused(k, "confirm", "submit", &f, DD_ECONFLICT, "SPOT_CHECK_PENDING",
            NULL);
    f.has_reasons = 1;
    refused(k, "confirm", "return", &f, DD_ECONFLICT, NULL, NULL);
    refused(k, "confirm", "spot_check", &f, DD_EINVAL, NULL, "result");
    f.has_result = 1;
    refused(k, "confirm", "spot_check", &f, DD_EINVAL, NULL, "checker");
    f.has_checker = 1;
    assert_string_equal(go(k, "confirm", "spot_check", &f, DD_OK)->to,
                        "confirm");
    f.spot_check_pending = 0;
    assert_string_equal(go(k, "confirm", "submit", &f, DD_OK)->to, "decide");
    /* 低保 has no spot check */
    refused(find("dibao"), "confirm", "spot_check", &f, DD_ENOTFOUND, NULL,
            NULL);
}

/* The actors come from the data: the township's 初审 by its reviewer
 * only (the clerk who investigated does not also give the first-review
 * opinion), other township steps by its clerk or reviewer, county steps
 * by the county officer, a referral by the department's officer. */
TEST_CASE(test_actors)
{
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        const struct wf_template *t = find(codes[i]);
        for (size_t s = 0; s < t->step_count; s++) {
            const struct wf_step *st = &t->steps[s];
            int clerk = wf_step_actor(st, ROLE_TOWN_CLERK);
            int reviewer = wf_step_actor(st, ROLE_TOWN_REVIEWER);
            int county = wf_step_actor(st, ROLE_COUNTY_OFFICER);
            int dept = wf_step_actor(st, ROLE_DEPT_OFFICER);
            assert_false(wf_step_actor(st, ROLE_CITY_SUPERVISOR));
            switch (st->level) {
            case WF_TOWNSHIP:
                assert_true(reviewer);
                assert_int_equal(clerk, strcmp(st->name_zh, "初审") != 0);
                assert_false(county || dept);
                break;
            case WF_COUNTY:
                assert_true(county);
                assert_false(clerk || reviewer || dept);
                break;
            case WF_DEPT:
                assert_true(dept);
                assert_false(clerk || reviewer || county);
                break;
            case WF_NOBODY: assert_int_equal(st->actors, 0); break;
            }
        }
    }
    assert_true(wf_step_actor(wf_step_find(find("dibao"), "investigate"),
                              ROLE_TOWN_CLERK));
    assert_false(
        wf_step_actor(wf_step_find(find("dibao"), "review"), ROLE_TOWN_CLERK));
}

/* Writes text as dir/catalog/steps.csv; returns dir. */
static const char *
write_steps(const char *text)
{
    static char dir[256];
    char path[300];
    snprintf(dir, sizeof(dir), "/tmp/doudi-steps-%ld", (long)getpid());
    mkdir(dir, 0700);
    snprintf(path, sizeof(path), "%s/catalog", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof(path), "%s/catalog/steps.csv", dir);
    text_put(path, text);
    return dir;
}

static void
remove_steps(void)
{
    char path[300];
    snprintf(path, sizeof(path), "/tmp/doudi-steps-%ld/catalog/steps.csv",
             (long)getpid());
    unlink(path);
    snprintf(path, sizeof(path), "/tmp/doudi-steps-%ld/catalog",
             (long)getpid());
    rmdir(path);
    snprintf(path, sizeof(path), "/tmp/doudi-steps-%ld", (long)getpid());
    rmdir(path);
}

#define HDR                                                                    \
    "template,step,name_zh,name_en,level,actors,limit,unit,flags,"             \
    "transitions,source\n"
#define SUP                                                                    \
    "tt,supplement,补正,materials,township,town_clerk,0,wd,pause;visit,"     \
    "complete>work,src\n"
#define WORK                                                                   \
    "tt,work,办理,work,county,county_officer,5,wd,first,"                    \
    "approve>closed!approve;reject>closed+reasons!reject,src\n"
#define CLOSED_ROW "tt,closed,办结,closed,none,-,0,wd,terminal,-,src\n"

/* A broken file stops the load and names its line (the header is 1). */
TEST_CASE(test_broken_files)
{
    static const struct {
        const char *text;
        long line;
        const char *why; /* the start of the reason */
    } cases[] = {
        {HDR SUP WORK CLOSED_ROW, 0, ""},
        {"template,step\n" SUP WORK CLOSED_ROW, 1, "the header"},
        /* a transition to a step the template does not have */
        {HDR SUP "tt,work,办理,work,county,county_officer,5,wd,first,"
                 "approve>nowhere!approve,src\n" CLOSED_ROW,
         3, "transitions"},
        /* a rejection without reasons */
        {HDR SUP "tt,work,办理,work,county,county_officer,5,wd,first,"
                 "reject>closed!reject,src\n" CLOSED_ROW,
         3, "transitions"},
        /* no terminal step */
        {HDR SUP WORK
         "tt,closed,办结,closed,county,county_officer,0,wd,-,reopen>work,s\n",
         2, "flags"},
        /* two terminal steps */
        {HDR SUP WORK CLOSED_ROW
         "tt,done,办结,done,none,-,0,wd,terminal,-,src\n",
         5, "flags"},
        /* a terminal step not named closed */
        {HDR SUP "tt,work,办理,work,county,county_officer,5,wd,first,"
                 "approve>done!approve;reject>done+reasons!reject,src\n"
                 "tt,done,办结,done,none,-,0,wd,terminal,-,src\n",
         4, "flags"},
        /* a county step acted on by a township clerk */
        {HDR SUP "tt,work,办理,work,county,town_clerk,5,wd,first,"
                 "approve>closed!approve,src\n" CLOSED_ROW,
         3, "actors"},
        /* an unknown role, unit, flag, need */
        {HDR "tt,supplement,补正,m,township,mayor,0,wd,pause,complete>work,s\n",
         2, "actors"},
        {HDR "tt,supplement,补正,m,township,town_clerk,0,days,pause,"
             "complete>work,s\n",
         2, "unit"},
        {HDR "tt,supplement,补正,m,township,town_clerk,0,wd,pause;fast,"
             "complete>work,s\n",
         2, "flags"},
        {HDR "tt,supplement,补正,m,township,town_clerk,0,wd,pause,"
             "complete>work+luck,s\n",
         2, "transitions"},
        /* no source */
        {HDR "tt,supplement,补正,m,township,town_clerk,0,wd,pause,"
             "complete>work,\n",
         2, "source"},
        /* a step that cannot reach closed */
        {HDR SUP WORK CLOSED_ROW
         "tt,loop,循环,loop,county,county_officer,0,wd,-,again>loop,src\n",
         5, "transitions"},
        /* no first step */
        {HDR SUP "tt,work,办理,work,county,county_officer,5,wd,-,"
                 "approve>closed!approve,src\n" CLOSED_ROW,
         2, "flags"},
        /* a template's rows apart */
        {HDR SUP WORK
         "uu,xx,x,x,county,county_officer,0,wd,-,go>xx,s\n" CLOSED_ROW,
         5, "template"},
        /* a wrong column count */
        {HDR "tt,supplement,补正\n", 2, "row"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct wf_book *b = calloc(1, sizeof(*b));
        char why[256];
        long line = -1;
        assert_non_null(b);
        enum dd_status rc = refdata_steps_read(write_steps(cases[i].text), b,
                                               &line, why, sizeof(why));
        if (cases[i].why[0] == '\0') {
            if (rc != DD_OK)
                fail_msg("case %zu: rc %d, line %ld: %s", i, (int)rc, line,
                         why);
        } else {
            if (rc != DD_EINVAL ||
                strncmp(why, cases[i].why, strlen(cases[i].why)) != 0)
                fail_msg("case %zu: rc %d, line %ld: %s", i, (int)rc, line,
                         why);
            assert_int_equal(line, cases[i].line);
        }
        free(b);
    }
    remove_steps();
}

UNIT_TESTS(load_book, NULL, cmocka_unit_test(test_templates_well_formed),
           cmocka_unit_test(test_dibao_walk), cmocka_unit_test(test_supplement),
           cmocka_unit_test(test_other_templates),
           cmocka_unit_test(test_spot_check), cmocka_unit_test(test_actors),
           cmocka_unit_test(test_broken_files))
