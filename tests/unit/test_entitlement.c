/* SPDX-License-Identifier: MIT */
/* The entitlement's life, worked by hand. Months are year × 12 + month
 * − 1 (M("2026-01") = 24312). The parameters are the seed values the
 * header proposes: increase, decrease, stop, suspend and death take
 * effect the month after (lag 1), a resumption in its own month (lag 0),
 * and 渐退 lasts at most 6 months (domain.md §1.6, 2022 notice §1(3)).
 * Amounts are fen: 60000 = 600 yuan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "day_fixture.h"
#include "unit_main.h"

#include "domain/entitlement.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct ent_params P = {
    .increase_lag_months = 1,
    .decrease_lag_months = 1,
    .stop_lag_months = 1,
    .suspend_lag_months = 1,
    .resume_lag_months = 0,
    .death_lag_months = 1,
    .phaseout_months = 6,
    .publicity_days = 7,
    .work_refusals = 3,
};

static void
test_names(void **state)
{
    (void)state;
    static const char *const want[ENT_STOP__COUNT] = {
        "death",        "income",    "moved_away", "aged_out",
        "refused_work", "voluntary", "fraud",      "other"};
    for (int i = 0; i < ENT_STOP__COUNT; i++) {
        enum ent_stop_reason r = ENT_STOP__COUNT;
        assert_string_equal(ent_stop_reason_name((enum ent_stop_reason)i),
                            want[i]);
        assert_int_equal(ent_stop_reason_parse(want[i], &r), 0);
        assert_int_equal(r, i);
    }
    enum ent_stop_reason r;
    assert_int_equal(ent_stop_reason_parse("Death", &r), -1); /* exact */
    assert_int_equal(ent_stop_reason_parse(NULL, &r), -1);
    assert_string_equal(ent_stop_reason_name(ENT_STOP__COUNT), "");
    assert_string_equal(ent_state_name(ENT_SUSPENDED), "suspended");
    assert_string_equal(ent_event_name(ENT_EV_PHASEOUT), "phaseout");
}

/* Every state × event: the state after it, or the named refusal. */
static void
test_state_machine(void **state)
{
    (void)state;
    static const struct {
        enum ent_state from;
        enum ent_event e;
        enum dd_status rc;
        enum ent_state to;
        const char *code;
    } cases[] = {
        {ENT_ACTIVE, ENT_EV_SUSPEND, DD_OK, ENT_SUSPENDED, NULL},
        {ENT_ACTIVE, ENT_EV_RESUME, DD_ECONFLICT, 0, "NOT_SUSPENDED"},
        {ENT_ACTIVE, ENT_EV_INCREASE, DD_OK, ENT_ACTIVE, NULL},
        {ENT_ACTIVE, ENT_EV_DECREASE, DD_OK, ENT_ACTIVE, NULL},
        {ENT_ACTIVE, ENT_EV_STOP, DD_OK, ENT_STOPPED, NULL},
        {ENT_ACTIVE, ENT_EV_PHASEOUT, DD_OK, ENT_ACTIVE, NULL},
        {ENT_SUSPENDED, ENT_EV_SUSPEND, DD_ECONFLICT, 0, "ALREADY_SUSPENDED"},
        {ENT_SUSPENDED, ENT_EV_RESUME, DD_OK, ENT_ACTIVE, NULL},
        {ENT_SUSPENDED, ENT_EV_INCREASE, DD_OK, ENT_SUSPENDED, NULL},
        {ENT_SUSPENDED, ENT_EV_DECREASE, DD_OK, ENT_SUSPENDED, NULL},
        {ENT_SUSPENDED, ENT_EV_STOP, DD_OK, ENT_STOPPED, NULL},
        {ENT_SUSPENDED, ENT_EV_PHASEOUT, DD_ECONFLICT, 0,
         "ENTITLEMENT_SUSPENDED"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        struct dd_error err = {0};
        enum ent_state to = ENT_STATE__COUNT;
        assert_int_equal(ent_next(cases[i].from, cases[i].e, &to, &err),
                         cases[i].rc);
        if (cases[i].rc == DD_OK) {
            assert_int_equal(to, cases[i].to);
        } else {
            assert_int_equal(to, ENT_STATE__COUNT); /* left alone */
            assert_string_equal(err.code, cases[i].code);
        }
    }
    /* a stopped entitlement refuses every event */
    for (int e = 0; e < ENT_EV__COUNT; e++) {
        struct dd_error err = {0};
        assert_int_equal(ent_next(ENT_STOPPED, (enum ent_event)e, NULL, &err),
                         DD_ECONFLICT);
        assert_string_equal(err.code, "ENTITLEMENT_STOPPED");
    }
    struct dd_error err = {0};
    assert_int_equal(ent_next(ENT_ACTIVE, ENT_EV__COUNT, NULL, &err),
                     DD_EINVAL);
    assert_string_equal(err.code, "INVALID_EVENT");
}

static void
test_effect_month(void **state)
{
    (void)state;
    /* decided 15 March 2026 (2026-03 = 24314) */
    int32_t day = D("2026-03-15");
    assert_int_equal(ent_effect_month(&P, ENT_EV_DECREASE, day), M("2026-04"));
    assert_int_equal(ent_effect_month(&P, ENT_EV_STOP, day), M("2026-04"));
    assert_int_equal(ent_effect_month(&P, ENT_EV_INCREASE, day), M("2026-04"));
    assert_int_equal(ent_effect_month(&P, ENT_EV_SUSPEND, day), M("2026-04"));
    assert_int_equal(ent_effect_month(&P, ENT_EV_PHASEOUT, day), M("2026-04"));
    assert_int_equal(ent_effect_month(&P, ENT_EV_RESUME, day), M("2026-03"));
    /* decided 31 December: the next month is in the next year */
    assert_int_equal(ent_effect_month(&P, ENT_EV_DECREASE, D("2025-12-31")),
                     M("2026-01"));
    /* a county whose reductions apply in the decision's month (lag 0) */
    struct ent_params p0 = P;
    p0.decrease_lag_months = 0;
    assert_int_equal(ent_effect_month(&p0, ENT_EV_DECREASE, day), M("2026-03"));
}

/* A 特困 termination publicised 7 days (domain.md §2): opened 2026-03-20,
 * the days 03-21..03-27 are the publicity, decided 03-28 at the
 * earliest, so the stop applies from April; opened 03-26, the publicity
 * runs 03-27..04-02, the decision is 04-03 and the stop from May. */
static void
test_publicity_then_stop(void **state)
{
    (void)state;
    int32_t day = ent_publicity_decision_day(&P, D("2026-03-20"));
    assert_int_equal(day, D("2026-03-28"));
    assert_int_equal(ent_effect_month(&P, ENT_EV_STOP, day), M("2026-04"));
    day = ent_publicity_decision_day(&P, D("2026-03-26"));
    assert_int_equal(day, D("2026-04-03"));
    assert_int_equal(ent_effect_month(&P, ENT_EV_STOP, day), M("2026-05"));
}

/* Art. 34: 3 refusals in a row (the seed's dibao.work_refusals). */
static void
test_work_refusals(void **state)
{
    (void)state;
    assert_false(ent_work_refusals_reached(&P, 2));
    assert_true(ent_work_refusals_reached(&P, 3));
    assert_true(ent_work_refusals_reached(&P, 4));
}

/* One life: 600 yuan from 2025-07; 减发 to 450 from 2025-10; suspended
 * 2025-12 and 2026-01; resumed 2026-02; 增发 to 500 from 2026-03; stopped
 * (income) from 2026-06. */
static const struct ent_change LIFE[] = {
    {ENT_EV_DECREASE, 24309 /* 2025-10 */, 45000, 0, 0},
    {ENT_EV_SUSPEND, 24311 /* 2025-12 */, 0, 0, 0},
    {ENT_EV_RESUME, 24313 /* 2026-02 */, 0, 0, 0},
    {ENT_EV_INCREASE, 24314 /* 2026-03 */, 50000, 0, 0},
    {ENT_EV_STOP, 24317 /* 2026-06 */, 0, 0, ENT_STOP_INCOME},
};
static const struct ent_history LIFE_H = {24306 /* 2025-07 */, 60000, LIFE,
                                          COUNT(LIFE)};

static void
test_owed_month_by_month(void **state)
{
    (void)state;
    static const struct {
        const char *month;
        enum ent_state st;
        int64_t fen;
        int not_started;
    } want[] = {
        {"2025-06", ENT_ACTIVE, 0, 1},     /* before the start: nothing */
        {"2025-07", ENT_ACTIVE, 60000, 0}, /* the start amount, 600 */
        {"2025-09", ENT_ACTIVE, 60000, 0}, /* the month before 减发 */
        {"2025-10", ENT_ACTIVE, 45000, 0}, /* 减发 to 450 */
        {"2025-11", ENT_ACTIVE, 45000, 0},
        {"2025-12", ENT_SUSPENDED, 0, 0}, /* suspended: 0 */
        {"2026-01", ENT_SUSPENDED, 0, 0},
        {"2026-02", ENT_ACTIVE, 45000, 0}, /* resumed at the 450 in force */
        {"2026-03", ENT_ACTIVE, 50000, 0}, /* 增发 to 500 */
        {"2026-05", ENT_ACTIVE, 50000, 0}, /* the last month paid */
        {"2026-06", ENT_STOPPED, 0, 0},    /* stopped from 2026-06 */
        {"2027-01", ENT_STOPPED, 0, 0},    /* and ever after */
    };
    for (size_t i = 0; i < COUNT(want); i++) {
        struct ent_due due;
        assert_int_equal(ent_owed(&P, &LIFE_H, M(want[i].month), &due, NULL),
                         DD_OK);
        assert_int_equal(due.month, M(want[i].month));
        assert_int_equal(due.state, want[i].st);
        assert_int_equal(due.amount_fen, want[i].fen);
        assert_int_equal(due.not_started, want[i].not_started);
        assert_int_equal(due.phaseout_month, 0);
    }
    struct ent_due due;
    assert_int_equal(ent_owed(&P, &LIFE_H, M("2026-06"), &due, NULL), DD_OK);
    assert_int_equal(due.reason, ENT_STOP_INCOME);
}

/* 两项补贴 are paid from the application month (domain.md §4,
 * 自递交申请当月计发): the living subsidy of 80 yuan (8000 fen, from
 * 2022-10-01) applied for in January, decided in March. */
static void
test_backpay_two_subsidies(void **state)
{
    (void)state;
    struct ent_history h = {M("2026-01"), 8000, NULL, 0};
    struct ent_due out[6];
    size_t n = 0;
    int64_t total = -1;
    /* Jan, Feb, Mar: 3 months × 8000 = 24000 */
    assert_int_equal(ent_backpay(&P, &h, M("2026-01"), M("2026-03"), out,
                                 COUNT(out), &n, &total, NULL),
                     DD_OK);
    assert_int_equal(n, 3);
    assert_int_equal(total, 24000);
    assert_int_equal(out[0].month, M("2026-01"));
    assert_int_equal(out[2].month, M("2026-03"));
    /* across a year boundary: applied 2025-11, decided 2026-02: Nov, Dec,
     * Jan, Feb = 4 months × 8000 = 32000 */
    h.start_month = M("2025-11");
    assert_int_equal(ent_backpay(&P, &h, M("2025-11"), M("2026-02"), out,
                                 COUNT(out), &n, &total, NULL),
                     DD_OK);
    assert_int_equal(n, 4);
    assert_int_equal(total, 32000);
    assert_int_equal(out[1].month, M("2025-12"));
    assert_int_equal(out[2].month, M("2026-01"));
    /* 3 places for 4 months: too small, and the 4 needed said */
    struct dd_error err = {0};
    assert_int_equal(ent_backpay(&P, &h, M("2025-11"), M("2026-02"), out, 3, &n,
                                 &total, &err),
                     DD_ETOOBIG);
    assert_int_equal(n, 4);
    assert_string_equal(err.code, "BUFFER_TOO_SMALL");
    /* through before from */
    assert_int_equal(ent_backpay(&P, &h, M("2026-02"), M("2025-11"), out,
                                 COUNT(out), &n, &total, &err),
                     DD_EINVAL);
}

/* Back pay over the life above from 2025-11 through 2026-02: 45000 (Nov)
 * + 0 + 0 (suspended Dec, Jan) + 45000 (Feb) = 90000 over 4 months. */
static void
test_backpay_over_a_suspension(void **state)
{
    (void)state;
    struct ent_due out[4];
    size_t n = 0;
    int64_t total = 0;
    assert_int_equal(ent_backpay(&P, &LIFE_H, M("2025-11"), M("2026-02"), out,
                                 COUNT(out), &n, &total, NULL),
                     DD_OK);
    assert_int_equal(n, 4);
    assert_int_equal(total, 90000);
    assert_int_equal(out[1].state, ENT_SUSPENDED);
    assert_int_equal(out[1].amount_fen, 0);
}

/* 渐退 over 6 months: 300 yuan since 2025-01; employment lifts income
 * above the standard, decided in March 2026; the amount is kept from
 * 2026-04 (the month a stop would apply) for 6 months: April to
 * September; from October the entitlement stops (reason income). */
static void
test_phaseout(void **state)
{
    (void)state;
    int32_t first = ent_effect_month(&P, ENT_EV_PHASEOUT, D("2026-03-20"));
    assert_int_equal(first, M("2026-04"));
    int32_t months[8];
    size_t n = 0;
    /* 8 asked, 6 allowed: 2026-04 .. 2026-09 */
    assert_int_equal(
        ent_phaseout_schedule(&P, first, 8, months, COUNT(months), &n, NULL),
        DD_OK);
    assert_int_equal(n, 6);
    assert_int_equal(months[0], M("2026-04"));
    assert_int_equal(months[5], M("2026-09"));
    /* 3 asked: 3 */
    assert_int_equal(
        ent_phaseout_schedule(&P, first, 3, months, COUNT(months), &n, NULL),
        DD_OK);
    assert_int_equal(n, 3);
    struct dd_error err = {0};
    assert_int_equal(
        ent_phaseout_schedule(&P, first, 0, months, COUNT(months), &n, &err),
        DD_EINVAL);
    assert_string_equal(err.code, "PHASEOUT_MONTHS");
    struct ent_params none = P;
    none.phaseout_months = 0; /* no 渐退 in force */
    assert_int_equal(
        ent_phaseout_schedule(&none, first, 6, months, COUNT(months), &n, &err),
        DD_EINVAL);

    struct ent_change ch[] = {{ENT_EV_PHASEOUT, first, 0, 6, 0}};
    struct ent_history h = {M("2025-01"), 30000, ch, COUNT(ch)};
    struct ent_due out[8];
    int64_t total = 0;
    /* 2026-03 .. 2026-10: March paid as usual, April..September 渐退 months
     * 1..6, October stopped: 7 × 30000 = 210000 */
    assert_int_equal(ent_backpay(&P, &h, M("2026-03"), M("2026-10"), out,
                                 COUNT(out), &n, &total, NULL),
                     DD_OK);
    assert_int_equal(n, 8);
    assert_int_equal(total, 210000);
    assert_int_equal(out[0].phaseout_month, 0);
    for (int i = 1; i <= 6; i++) {
        assert_int_equal(out[i].amount_fen, 30000);
        assert_int_equal(out[i].phaseout_month, i);
    }
    assert_int_equal(out[7].state, ENT_STOPPED);
    assert_int_equal(out[7].reason, ENT_STOP_INCOME);
    assert_int_equal(out[7].amount_fen, 0);
}

/* A death during the 渐退 stops it early. */
static void
test_phaseout_cut_short(void **state)
{
    (void)state;
    struct ent_change ch[] = {
        {ENT_EV_PHASEOUT, M("2026-04"), 0, 6, 0},
        {ENT_EV_STOP, M("2026-07"), 0, 0, ENT_STOP_DEATH},
    };
    struct ent_history h = {M("2025-01"), 30000, ch, COUNT(ch)};
    struct ent_due due;
    assert_int_equal(ent_owed(&P, &h, M("2026-06"), &due, NULL), DD_OK);
    assert_int_equal(due.amount_fen, 30000); /* 渐退 month 3 */
    assert_int_equal(due.phaseout_month, 3);
    assert_int_equal(ent_owed(&P, &h, M("2026-07"), &due, NULL), DD_OK);
    assert_int_equal(due.state, ENT_STOPPED);
    assert_int_equal(due.reason, ENT_STOP_DEATH);
    /* a decision after the 渐退 has run out meets a stopped entitlement */
    struct ent_change late[] = {
        {ENT_EV_PHASEOUT, M("2026-04"), 0, 2, 0},
        {ENT_EV_DECREASE, M("2026-06"), 10000, 0, 0},
    };
    struct ent_history hl = {M("2025-01"), 30000, late, COUNT(late)};
    assert_int_equal(ent_owed(&P, &hl, M("2026-05"), &due, NULL), DD_EINVAL);
}

/* Histories that are no valid life are refused, whatever month is asked. */
static void
test_invalid_histories(void **state)
{
    (void)state;
    static const struct ent_change bad[][2] = {
        /* resume while active */
        {{ENT_EV_RESUME, 24310, 0, 0, 0}, {ENT_EV_SUSPEND, 24311, 0, 0, 0}},
        /* a change after a stop */
        {{ENT_EV_STOP, 24310, 0, 0, ENT_STOP_FRAUD},
         {ENT_EV_INCREASE, 24311, 70000, 0, 0}},
        /* effect months going back */
        {{ENT_EV_SUSPEND, 24311, 0, 0, 0}, {ENT_EV_RESUME, 24310, 0, 0, 0}},
        /* an "increase" to less than the 600 in force */
        {{ENT_EV_INCREASE, 24310, 50000, 0, 0},
         {ENT_EV_SUSPEND, 24311, 0, 0, 0}},
        /* a "decrease" to the same amount */
        {{ENT_EV_DECREASE, 24310, 60000, 0, 0},
         {ENT_EV_SUSPEND, 24311, 0, 0, 0}},
        /* 渐退 of 7 months, the parameter allowing 6 */
        {{ENT_EV_PHASEOUT, 24310, 0, 7, 0}, {ENT_EV_SUSPEND, 24319, 0, 0, 0}},
        /* a change before the start month (2025-07 = 24306) */
        {{ENT_EV_DECREASE, 24305, 50000, 0, 0},
         {ENT_EV_SUSPEND, 24311, 0, 0, 0}},
        /* a stop with no valid reason */
        {{ENT_EV_STOP, 24310, 0, 0, ENT_STOP__COUNT},
         {ENT_EV_STOP, 24311, 0, 0, 0}},
    };
    for (size_t i = 0; i < COUNT(bad); i++) {
        struct ent_history h = {24306, 60000, bad[i], 2};
        struct ent_due due;
        struct dd_error err = {0};
        assert_int_equal(ent_owed(&P, &h, 24306, &due, &err), DD_EINVAL);
        assert_string_equal(err.code, "INVALID_HISTORY");
    }
    /* parameters out of bounds: a 渐退 parameter of 7 months */
    struct ent_params p7 = P;
    p7.phaseout_months = 7;
    struct ent_due due;
    assert_int_equal(ent_params_ok(&p7), 0);
    assert_int_equal(ent_owed(&p7, &LIFE_H, 24306, &due, NULL), DD_EINVAL);
}

/* A death, with January to June 2026 already paid at 450 each. */
static const struct ent_paid PAID[] = {
    {24312, 45000}, {24313, 45000}, {24314, 45000},
    {24315, 45000}, {24316, 45000}, {24317, 45000}, /* 2026-01 .. 06 */
};

/* ent_overpaid_after_death over PAID into out (cap entries). */
static enum dd_status
overpaid(const struct ent_params *p, const char *died, struct ent_paid *out,
         size_t cap, size_t *n, int64_t *total)
{
    return ent_overpaid_after_death(p, D(died), PAID, COUNT(PAID), out, cap, n,
                                    total, NULL);
}

static void
test_overpaid_after_death(void **state)
{
    (void)state;
    struct ent_paid out[6];
    size_t n = 0;
    int64_t total = 0;
    /* died 31 March: March owed; April, May, June overpaid = 3 × 45000 */
    assert_int_equal(overpaid(&P, "2026-03-31", out, 6, &n, &total), DD_OK);
    assert_int_equal(n, 3);
    assert_int_equal(total, 135000);
    assert_int_equal(out[0].month, M("2026-04"));
    assert_int_equal(out[2].month, M("2026-06"));
    /* died 1 April: April owed; May and June overpaid = 2 × 45000 */
    assert_int_equal(overpaid(&P, "2026-04-01", out, 6, &n, &total), DD_OK);
    assert_int_equal(n, 2);
    assert_int_equal(total, 90000);
    assert_int_equal(out[0].month, M("2026-05"));
    /* died 30 June: nothing paid after June */
    assert_int_equal(overpaid(&P, "2026-06-30", out, 6, &n, &total), DD_OK);
    assert_int_equal(n, 0);
    assert_int_equal(total, 0);
    /* 2 places for 3 months: too small, with the count and sum all the
     * same (3, 135000) */
    assert_int_equal(overpaid(&P, "2026-03-31", out, 2, &n, &total),
                     DD_ETOOBIG);
    assert_int_equal(n, 3);
    assert_int_equal(total, 135000);
    /* death lag 0 (a county paying nothing for the month of death): died
     * 31 March: March to June = 4 × 45000 = 180000 */
    struct ent_params p0 = P;
    p0.death_lag_months = 0;
    assert_int_equal(overpaid(&p0, "2026-03-31", out, 6, &n, &total), DD_OK);
    assert_int_equal(n, 4);
    assert_int_equal(total, 180000);
}

/* The death's own suspension matches the overpayment: suspended from the
 * month after the death, the roster owes the month of death and nothing
 * after. */
static void
test_death_suspends_next_month(void **state)
{
    (void)state;
    struct ent_change ch[] = {
        {ENT_EV_SUSPEND, ent_effect_month(&P, ENT_EV_SUSPEND, D("2026-03-31")),
         0, 0, 0}};
    struct ent_history h = {M("2025-01"), 45000, ch, COUNT(ch)};
    struct ent_due due;
    assert_int_equal(ent_owed(&P, &h, M("2026-03"), &due, NULL), DD_OK);
    assert_int_equal(due.amount_fen, 45000); /* March, the month of death */
    assert_int_equal(ent_owed(&P, &h, M("2026-04"), &due, NULL), DD_OK);
    assert_int_equal(due.state, ENT_SUSPENDED);
    assert_int_equal(due.amount_fen, 0);
}

UNIT_TESTS(NULL, NULL, cmocka_unit_test(test_names),
           cmocka_unit_test(test_state_machine),
           cmocka_unit_test(test_effect_month),
           cmocka_unit_test(test_publicity_then_stop),
           cmocka_unit_test(test_work_refusals),
           cmocka_unit_test(test_owed_month_by_month),
           cmocka_unit_test(test_backpay_two_subsidies),
           cmocka_unit_test(test_backpay_over_a_suspension),
           cmocka_unit_test(test_phaseout),
           cmocka_unit_test(test_phaseout_cut_short),
           cmocka_unit_test(test_invalid_histories),
           cmocka_unit_test(test_overpaid_after_death),
           cmocka_unit_test(test_death_suspends_next_month))
