/* SPDX-License-Identifier: MIT */
/* Service KPIs (domain.md §9) recomputed by hand for a small fixed set of
 * case items around the 2023 National Day (2023-09-29..10-06 off,
 * Saturday 10-07 and Sunday 10-08 worked: 国办发明电〔2022〕16号). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "unit_main.h"

#include "domain/kpi.h"

static int32_t
day(int y, int m, int d)
{
    return workcal_day_from_ymd(y, m, d);
}

static struct workcal *
national_day_2023(void)
{
    struct workcal *c = workcal_new();
    assert_non_null(c);
    for (int d = 29; d <= 30; d++)
        assert_int_equal(workcal_mark(c, day(2023, 9, d), 1), DD_OK);
    for (int d = 1; d <= 6; d++)
        assert_int_equal(workcal_mark(c, day(2023, 10, d), 1), DD_OK);
    assert_int_equal(workcal_mark(c, day(2023, 10, 7), 0), DD_OK);
    assert_int_equal(workcal_mark(c, day(2023, 10, 8), 0), DD_OK);
    return c;
}

/* 0 低保 30/20 wd, 1 visit, online; 1 医疗救助 referral 20/10, no visit,
 * online; 2 特困 30/30, 2 visits, not online. */
static const struct kpi_item items[] = {
    {"dibao", 30, 20, 1, 1},
    {"medical", 20, 10, 0, 1},
    {"tekun", 30, 30, 2, 0},
};

static struct kpi_case
base(int item, int region, int32_t accepted, int32_t deadline)
{
    struct kpi_case c;
    memset(&c, 0, sizeof(c));
    c.item = item;
    c.region = region;
    c.accepted_day = accepted;
    c.deadline_day = deadline;
    c.closed_day = -1;
    c.referred_day = -1;
    c.answered_day = -1;
    return c;
}

/* c closed on closed, approved at monthly_fen a month. */
static void
approved(struct kpi_case *c, int32_t closed, int64_t monthly_fen)
{
    c->closed_day = closed;
    c->outcome = KPI_APPROVED;
    c->monthly_fen = monthly_fen;
}

/* kpi_begin of r for the period from .. to as of as_of: 0. */
static void
period(struct kpi_result *r, int32_t from, int32_t to, int32_t as_of)
{
    assert_int_equal(kpi_begin(r, from, to, as_of), 0);
}

TEST_CASE(test_catalog_means)
{
    /* (30 − 20) / 30 = 1/3; (20 − 10) / 20 = 1/2; 0; mean 0.277778 */
    assert_int_equal(kpi_item_compression_ppm(&items[0]), 333333);
    assert_int_equal(kpi_item_compression_ppm(&items[1]), 500000);
    assert_int_equal(kpi_item_compression_ppm(&items[2]), 0);
    assert_int_equal(kpi_mean_compression_ppm(items, 3), 277778);
    /* 2 of 3 items fully online; (1 + 0 + 2) / 3 visits per item */
    assert_int_equal(kpi_item_online_ppm(items, 3), 666667);
    assert_int_equal(kpi_item_visits_ppm(items, 3), 1000000);
    assert_int_equal(kpi_ppm(1, 0), 0);
}

TEST_CASE(test_cohort_by_hand)
{
    struct workcal *cal = national_day_2023();
    struct kpi_result r;
    period(&r, day(2023, 9, 1), day(2023, 9, 30), day(2023, 10, 31));

    /* c1 低保, Mon 09-04; 20 working days later is Sun 10-08 (09-05..28
     * give 18, 09-29..10-06 are off, 10-07 and 10-08 are worked).
     * Approved 10-07: 19 working days used, on time, one visit. */
    struct kpi_case c1 = base(0, 0, day(2023, 9, 4), day(2023, 10, 8));
    assert_int_equal(workcal_add_working_days(cal, c1.accepted_day, 20, NULL),
                     c1.deadline_day);
    approved(&c1, day(2023, 10, 7), 150000);
    c1.visits = 1;
    kpi_add(&r, cal, &c1, 3, 2);

    /* c2 低保 online, Fri 09-15, 3 days in 补正; rejected 10-25 after its
     * deadline 10-20: (09-15, 10-25] holds 24 working days (5 + 4 + 2 + 5
     * + 5 + 3), less 3 paused = 21. Closed online with no visit. */
    struct kpi_case c2 = base(0, 1, day(2023, 9, 15), day(2023, 10, 20));
    c2.paused_working_days = 3;
    c2.closed_day = day(2023, 10, 25);
    c2.outcome = KPI_REJECTED;
    c2.online = 1;
    kpi_add(&r, cal, &c2, 3, 2);

    /* c3 医疗救助 referral online, Wed 09-20, answered and closed Thu 09-28:
     * 6 working days (21, 22, 25, 26, 27, 28). */
    struct kpi_case c3 = base(1, 0, day(2023, 9, 20), day(2023, 10, 12));
    c3.referred_day = c3.accepted_day;
    c3.answered_day = day(2023, 9, 28);
    c3.closed_day = day(2023, 9, 28);
    c3.outcome = KPI_DONE;
    c3.online = 1;
    kpi_add(&r, cal, &c3, 3, 2);

    /* c4 特困, open past its 10-20 deadline on 10-31: overdue. */
    struct kpi_case c4 = base(2, 1, day(2023, 9, 28), day(2023, 10, 20));
    c4.visits = 2;
    kpi_add(&r, cal, &c4, 3, 2);

    /* c5 低保 approved 11-02, after as_of: still open, not yet due. */
    struct kpi_case c5 = base(0, 0, day(2023, 9, 25), day(2023, 11, 15));
    approved(&c5, day(2023, 11, 2), 99900);
    c5.visits = 1;
    kpi_add(&r, cal, &c5, 3, 2);

    /* c6 accepted 08-31: outside the period. c8 names a 4th item. */
    struct kpi_case c6 = base(0, 0, day(2023, 8, 31), day(2023, 10, 20));
    kpi_add(&r, cal, &c6, 3, 2);
    struct kpi_case c8 = base(3, 0, day(2023, 9, 5), day(2023, 10, 20));
    kpi_add(&r, cal, &c8, 3, 2);

    /* c7 医疗救助 referral, 09-26, unanswered, due 10-16: overdue. */
    struct kpi_case c7 = base(1, 0, day(2023, 9, 26), day(2023, 10, 16));
    c7.referred_day = c7.accepted_day;
    kpi_add(&r, cal, &c7, 3, 2);

    assert_int_equal(r.skipped, 2);
    assert_int_equal(r.uncovered, 0);
    const struct kpi_counts *t = &r.total;
    assert_int_equal(t->items, 6);
    assert_int_equal(t->approved, 1);
    assert_int_equal(t->rejected, 1);
    assert_int_equal(t->closed, 3);
    assert_int_equal(t->on_time, 2);
    assert_int_equal(t->overdue, 3);               /* c2 late, c4, c7 */
    assert_int_equal(t->handling_days, 19 + 21 + 6);
    assert_int_equal(t->online_applied, 2);
    assert_int_equal(t->online_full, 2);
    assert_int_equal(t->visits, 4);
    assert_int_equal(t->referrals, 2);
    assert_int_equal(t->referrals_answered, 1);
    assert_int_equal(t->referral_days, 6);
    assert_int_equal(t->money_fen, 150000);
    /* on time 2/3, online (case) 2/6, visits per case 4/6 */
    assert_int_equal(kpi_ppm(t->on_time, t->closed), 666667);
    assert_int_equal(kpi_ppm(t->online_full, t->items), 333333);
    assert_int_equal(kpi_ppm(t->visits, t->items), 666667);

    const struct kpi_counts *dibao = &r.by_item[0];
    assert_int_equal(dibao->items, 3);
    assert_int_equal(dibao->closed, 2);
    assert_int_equal(dibao->handling_days, 40);
    assert_int_equal(dibao->overdue, 1);
    assert_int_equal(r.by_item[1].referrals, 2);
    assert_int_equal(r.by_item[2].overdue, 1);
    assert_int_equal(r.by_region[1].items, 2);     /* c2, c4 */
    assert_int_equal(r.by_region[1].overdue, 2);
    assert_int_equal(r.by_region[0].money_fen, 150000);
    workcal_free(cal);
}

TEST_CASE(test_uncovered_year_is_flagged)
{
    struct workcal *cal = national_day_2023();
    struct kpi_result r;
    period(&r, day(2027, 1, 1), day(2027, 1, 31), day(2027, 3, 1));
    struct kpi_case c = base(0, 0, day(2027, 1, 4), day(2027, 2, 1));
    approved(&c, day(2027, 1, 29), 0);
    kpi_add(&r, cal, &c, 3, 1);
    assert_int_equal(r.uncovered, 1);
    /* weekdays only: (01-04 Mon, 01-29 Fri] = 19 */
    assert_int_equal(r.total.handling_days, 19);
    workcal_free(cal);
}

TEST_CASE(test_bad_periods)
{
    struct kpi_result r;
    assert_int_equal(kpi_begin(&r, 10, 9, 20), -1);  /* from > to */
    assert_int_equal(kpi_begin(&r, 1, 9, 8), -1);    /* as_of < to */
    assert_int_equal(kpi_begin(&r, 9, 9, 9), 0);
}

UNIT_TESTS(NULL, NULL, cmocka_unit_test(test_catalog_means),
           cmocka_unit_test(test_cohort_by_hand),
           cmocka_unit_test(test_uncovered_year_is_flagged),
           cmocka_unit_test(test_bad_periods))
