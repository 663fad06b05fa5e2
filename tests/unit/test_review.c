/* SPDX-License-Identifier: MIT */
/* The review schedule, worked by hand with the seed parameters:
 * 低保 yearly when stable and every 6 months with irregular income and a
 * member able to work (57号 Art. 31), 特困 yearly, a minor's support to
 * 18, orphans to 18 or the end of 中学/中职, 刚性支出 valid 12 months, a
 * re-check within 3 months of a death. Adding months keeps the day of
 * the month, or takes the month's last day when it has none. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "day_fixture.h"
#include "unit_main.h"

#include "domain/review.h"

static const struct review_params P = {
    .dibao_stable_months = 12,
    .dibao_irregular_months = 6,
    .tekun_months = 12,
    .tekun_minor_max_age = 18,
    .orphan_max_age = 18,
    .orphan_student_extension = 1,
    .rigid_validity_months = 12,
    .death_recheck_months = 3,
};

static struct review_subject
subject(enum review_programme prog, const char *last)
{
    return (struct review_subject){
        .programme = prog,
        .last_day = last ? D(last) : REVIEW_NO_DATE,
        .card_expiry = REVIEW_NO_DATE,
        .birth = REVIEW_NO_DATE,
        .school_end = REVIEW_NO_DATE,
    };
}

static struct review_due
next_ok(const struct review_subject *s)
{
    struct review_due d = {0, REVIEW_GROUND__COUNT};
    assert_int_equal(review_next(&P, s, &d, NULL), DD_OK);
    return d;
}

/* The next review of s falls on day for ground. */
static void
expect_due(const struct review_subject *s, int32_t day,
           enum review_ground ground)
{
    struct review_due d = next_ok(s);
    assert_int_equal(d.day, day);
    assert_int_equal(d.ground, ground);
}

static void
test_dibao_cycles(void **state)
{
    (void)state;
    struct review_subject s = subject(REVIEW_DIBAO, "2025-08-31");
    /* stable: 2025-08-31 + 12 months = 2026-08-31 */
    expect_due(&s, D("2026-08-31"), REVIEW_GROUND_PERIOD);
    /* irregular income but nobody able to work: still stable, yearly */
    s.irregular_income = 1;
    expect_due(&s, D("2026-08-31"), REVIEW_GROUND_PERIOD);
    /* irregular income and a member able to work: 6 months; February
     * 2026 has no 31st, so its last day, 2026-02-28 */
    s.member_able_to_work = 1;
    expect_due(&s, D("2026-02-28"), REVIEW_GROUND_PERIOD);
    /* able to work but stable income: yearly */
    s.irregular_income = 0;
    expect_due(&s, D("2026-08-31"), REVIEW_GROUND_PERIOD);
    /* approved 2025-11-15, irregular: 2026-05-15 across the year */
    s = subject(REVIEW_DIBAO, "2025-11-15");
    s.irregular_income = 1;
    s.member_able_to_work = 1;
    expect_due(&s, D("2026-05-15"), REVIEW_GROUND_PERIOD);
}

static void
test_tekun(void **state)
{
    (void)state;
    /* an adult: yearly, 2025-03-10 → 2026-03-10 */
    struct review_subject s = subject(REVIEW_TEKUN, "2025-03-10");
    s.birth = D("1950-06-01");
    expect_due(&s, D("2026-03-10"), REVIEW_GROUND_PERIOD);
    /* a minor born 2008-02-29 turns 18 on 2026-03-01 (a common year),
     * before the yearly date 2026-03-10: the birthday comes first */
    s.birth = D("2008-02-29");
    expect_due(&s, D("2026-03-01"), REVIEW_GROUND_AGE);
    /* born 2008-05-01: 18 on 2026-05-01, after the yearly 2026-03-10 */
    s.birth = D("2008-05-01");
    expect_due(&s, D("2026-03-10"), REVIEW_GROUND_PERIOD);
    /* no birth day given: the yearly cycle */
    s.birth = REVIEW_NO_DATE;
    expect_due(&s, D("2026-03-10"), REVIEW_GROUND_PERIOD);
}

static void
test_disability_card(void **state)
{
    (void)state;
    struct review_subject s = subject(REVIEW_DISABILITY, "2024-01-05");
    s.card_expiry = D("2027-09-30");
    /* the card's expiry */
    expect_due(&s, D("2027-09-30"), REVIEW_GROUND_CARD_EXPIRY);
    /* 长期: valid for life */
    s.card_expiry = REVIEW_NO_DATE;
    expect_due(&s, REVIEW_NO_DATE, REVIEW_GROUND_NONE);
}

static void
test_children(void **state)
{
    (void)state;
    /* an orphan born 2010-07-20: 18 on 2028-07-20 */
    struct review_subject s = subject(REVIEW_ORPHAN, "2025-01-01");
    s.birth = D("2010-07-20");
    expect_due(&s, D("2028-07-20"), REVIEW_GROUND_AGE);
    /* in 中职 until 2029-06-30, after the birthday: covered to then */
    s.school_end = D("2029-06-30");
    expect_due(&s, D("2029-06-30"), REVIEW_GROUND_SCHOOL_END);
    /* school ending before 18: the birthday stays */
    s.school_end = D("2027-06-30");
    expect_due(&s, D("2028-07-20"), REVIEW_GROUND_AGE);
    /* no student extension in force: the birthday */
    struct review_params p = P;
    struct review_due d;
    p.orphan_student_extension = 0;
    s.school_end = D("2029-06-30");
    assert_int_equal(review_next(&p, &s, &d, NULL), DD_OK);
    assert_int_equal(d.day, D("2028-07-20"));
    /* 事实无人抚养: the birthday, school or not */
    s.programme = REVIEW_DEFACTO;
    expect_due(&s, D("2028-07-20"), REVIEW_GROUND_AGE);
}

static void
test_rigid_and_death(void **state)
{
    (void)state;
    /* recognised 2025-02-28: valid 12 months, 2026-02-28 */
    struct review_subject s = subject(REVIEW_RIGID, "2025-02-28");
    expect_due(&s, D("2026-02-28"), REVIEW_GROUND_PERIOD);
    /* a death on 2026-03-31: the re-check due 3 months on; June has no
     * 31st: 2026-06-30 */
    struct review_due d = review_after_death(&P, D("2026-03-31"));
    assert_int_equal(d.day, D("2026-06-30"));
    assert_int_equal(d.ground, REVIEW_GROUND_DEATH);
    /* on 2025-11-30: 2026-02-28 */
    assert_int_equal(review_after_death(&P, D("2025-11-30")).day,
                     D("2026-02-28"));
    assert_string_equal(review_ground_name(REVIEW_GROUND_DEATH), "death");
    assert_string_equal(review_ground_name(REVIEW_GROUND__COUNT), "");
}

static void
test_refusals(void **state)
{
    (void)state;
    struct review_due d;
    struct dd_error err = {0};
    struct review_subject s = subject(REVIEW_DIBAO, NULL);
    assert_int_equal(review_next(&P, &s, &d, &err), DD_EINVAL);
    assert_string_equal(err.code, "INVALID_REVIEW");
    assert_string_equal(err.field, "last_day");
    s = subject(REVIEW_ORPHAN, "2025-01-01");
    assert_int_equal(review_next(&P, &s, &d, &err), DD_EINVAL);
    assert_string_equal(err.field, "birth");
    s.programme = REVIEW__COUNT;
    s.birth = D("2010-01-01");
    assert_int_equal(review_next(&P, &s, &d, &err), DD_EINVAL);
    assert_string_equal(err.field, "programme");
    struct review_params p = P;
    p.dibao_irregular_months = 0;
    s = subject(REVIEW_DIBAO, "2025-01-01");
    assert_int_equal(review_next(&p, &s, &d, &err), DD_EINVAL);
    assert_string_equal(err.field, "params");
}

UNIT_TESTS(NULL, NULL, cmocka_unit_test(test_dibao_cycles),
           cmocka_unit_test(test_tekun), cmocka_unit_test(test_disability_card),
           cmocka_unit_test(test_children),
           cmocka_unit_test(test_rigid_and_death),
           cmocka_unit_test(test_refusals))
