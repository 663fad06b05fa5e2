/* SPDX-License-Identifier: MIT */
/* 孤儿 and 事实无人抚养儿童 engine: cases worked by hand from domain.md §5
 * with Chongqing's standards (2024-09: institutional 1825, scattered and
 * 事实无人抚养 1625; 2025-07-01: 1851 and 1651, institutional 事实无人抚养
 * 1851), each with its rule in a comment; then a property test over
 * generated children (fixed seed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "unit_main.h"

#include "domain/children.h"
#include "engine_fixture.h"
#include "test_rng.h"

static struct children_params
cq_params(int y, int m)
{
    struct children_params p;
    memset(&p, 0, sizeof(p));
    int from2025 = y * 100 + m >= 202507;
    p.orphan_standard_institutional_fen = from2025 ? 185100 : 182500;
    p.orphan_standard_scattered_fen = from2025 ? 165100 : 162500;
    p.orphan_max_age = 18;
    p.orphan_student_extension = 1; /* Qianjiang guide 2024 */
    p.defacto_standard_fen = from2025 ? 165100 : 162500;
    /* defacto.standard.institutional only from 2025-07-01 */
    p.defacto_standard_institutional_fen = from2025 ? 185100 : 0;
    p.defacto_condition_min_months = 6;
    return p;
}

/* A child born on by-bm-bd, scattered, Chongqing 户籍, parents as given
 * later by the test. */
static struct child_applicant
child(int by, int bm, int bd)
{
    struct child_applicant c;
    memset(&c, 0, sizeof(c));
    c.birth_y = by;
    c.birth_m = bm;
    c.birth_d = bd;
    c.hukou_local = 1;
    c.schooling = HH_SCHOOL_COMPULSORY;
    return c;
}

static struct children_result
assess(const struct child_applicant *c, int y, int m, int d)
{
    struct children_params p = cq_params(y, m);
    struct children_result a, b;
    explain_init(&ex_buf);
    assert_int_equal(children_assess(c, &p, y, m, d, 0, &a, NULL), DD_OK);
    assert_int_equal(children_assess(c, &p, y, m, d, 0, &b, &ex_buf), DD_OK);
    results_agree(&a, &b, sizeof(a), a.amount_fen, PARTS_SUM(&a));
    return a;
}

/* r has decision and amount_fen. */
static void
decided(const struct children_result *r, enum children_decision decision,
        int64_t amount_fen)
{
    assert_int_equal(r->decision, decision);
    assert_int_equal(r->amount_fen, amount_fen);
}

/* r is of kind and amount_fen. */
static void
kind_paid(const struct children_result *r, enum children_kind kind,
          int64_t amount_fen)
{
    assert_int_equal(r->kind, kind);
    assert_int_equal(r->amount_fen, amount_fen);
}

/* A child born y-m-d whose first parent is dead. */
static struct child_applicant
one_dead(int y, int m, int d)
{
    struct child_applicant c = child(y, m, d);
    c.parents[0].dead = 1;
    return c;
}

/* pa held in custody for months. */
static void
held(struct child_parent *pa, enum child_custody custody, int months)
{
    pa->custody = custody;
    pa->custody_months = months;
}

/* Both of c's parents dead. */
static void
both_dead(struct child_applicant *c)
{
    c->parents[0].dead = 1;
    c->parents[1].dead = 1;
}

/* 孤儿 (国办发〔2010〕54号): both parents dead, age 10, scattered, on
 * 2025-08-01 → the scattered standard 1651 in full; in an institution →
 * 1851 (集中供养 > 散居). */
TEST_CASE(test_orphan_scattered_and_institutional)
{
    struct child_applicant c = child(2015, 3, 1);
    both_dead(&c);
    struct children_result r = assess(&c, 2025, 8, 1);
    assert_int_equal(r.decision, CHILDREN_ELIGIBLE);
    assert_int_equal(r.kind, CHILDREN_ORPHAN);
    assert_int_equal(r.age, 10);
    assert_int_equal(r.amount_fen, 165100);
    assert_false(r.top_up);
    c.placement = CHILD_INSTITUTIONAL;
    r = assess(&c, 2025, 8, 1);
    assert_int_equal(r.amount_fen, 185100);
    assert_true(
        has_rule("children.standard.orphan_institutional", EXPLAIN_INFO));
}

/* One parent dead, the other declared missing by a court → orphan
 * ("lost both parents or cannot be found"); 2024-10 scattered → 1625. One
 * dead and the other merely out of contact for 12 months is 失联, not
 * missing → 事实无人抚养 (one gone, the other meets a condition), 1625. */
TEST_CASE(test_missing_vs_lost_contact)
{
    struct child_applicant c = one_dead(2012, 6, 1);
    c.parents[1].declared_missing = 1;
    struct children_result r = assess(&c, 2024, 10, 1);
    kind_paid(&r, CHILDREN_ORPHAN, 162500);
    c.parents[1].declared_missing = 0;
    c.parents[1].lost_contact_months = 12;
    r = assess(&c, 2024, 10, 1);
    kind_paid(&r, CHILDREN_DEFACTO, 162500);
}

/* Age (under orphan.max_age 18): born 2007-08-01 is 17 on 2025-07-31 →
 * eligible; 18 on 2025-08-01 → not, unless still in 中学/中职 (Chongqing
 * extension) → eligible again at 1651. The extension is for orphans only:
 * a de-facto unsupported child of 18 in high school is not eligible. */
TEST_CASE(test_age_boundary_and_extension)
{
    struct child_applicant c = child(2007, 8, 1);
    both_dead(&c);
    c.schooling = HH_SCHOOL_NONE;
    struct children_result r = assess(&c, 2025, 7, 31);
    assert_int_equal(r.age, 17);
    assert_int_equal(r.decision, CHILDREN_ELIGIBLE);
    r = assess(&c, 2025, 8, 1);
    assert_int_equal(r.age, 18);
    decided(&r, CHILDREN_NOT_ELIGIBLE, 0);
    assert_true(has_rule("children.age", EXPLAIN_FAIL));
    c.schooling = HH_SCHOOL_HIGH;
    r = assess(&c, 2025, 8, 1);
    decided(&r, CHILDREN_ELIGIBLE, 165100);
    assert_true(has_rule("children.age.student_extension", EXPLAIN_PASS));
    c.parents[1].dead = 0;
    held(&c.parents[1], CHILD_CUSTODY_PRISON, 60);
    r = assess(&c, 2025, 8, 1);
    assert_int_equal(r.kind, CHILDREN_DEFACTO);
    assert_int_equal(r.decision, CHILDREN_NOT_ELIGIBLE);
}

/* 事实无人抚养 (民发〔2019〕62号): both parents meet a condition — father in
 * prison 24 months, mother grade-1 physical (重残) — child 8, no other
 * benefit → the 事实无人抚养 standard 1651 in full (2025-09). */
TEST_CASE(test_defacto_both_conditions_full)
{
    struct child_applicant c = child(2017, 1, 15);
    held(&c.parents[0], CHILD_CUSTODY_PRISON, 24);
    c.parents[1].disability_category = HH_DIS_PHYSICAL;
    c.parents[1].disability_grade = 1;
    struct children_result r = assess(&c, 2025, 9, 1);
    assert_int_equal(r.kind, CHILDREN_DEFACTO);
    decided(&r, CHILDREN_ELIGIBLE, 165100);
    assert_false(r.top_up);
    assert_true(has_rule("children.full", EXPLAIN_AMOUNT));
}

/* 补差 (§5): a 事实无人抚养 child in a 低保 family whose per-head share is
 * 750 and who also gets the disability living subsidy 80 (no longer once
 * on the full subsidy, but here it is received now): 1651 − (750 + 80) =
 * 821 yuan top-up. */
TEST_CASE(test_defacto_top_up)
{
    struct child_applicant c = one_dead(2016, 5, 5);
    c.parents[1].serious_illness = 1;
    c.dibao_share_fen = 75000;
    c.disability_living_fen = 8000;
    struct children_result r = assess(&c, 2025, 9, 1);
    assert_int_equal(r.decision, CHILDREN_ELIGIBLE);
    assert_true(r.top_up);
    assert_int_equal(r.other_benefits_fen, 83000);
    assert_int_equal(r.amount_fen, 82100);
    assert_int_equal(r.parts[0].kind, CHILDREN_PART_TOP_UP);
    assert_true(has_rule("children.defacto.has_dibao", EXPLAIN_INFO));
    assert_true(has_rule("children.defacto.top_up", EXPLAIN_AMOUNT));
}

/* 补差 against 特困: a child supported as 特困 at 975 (2024-09 basic) with
 * both parents in compulsory drug rehab 12 months: 1625 − 975 = 650.
 * Other benefits equal to the standard (1625) → recognised, 0 to pay. */
TEST_CASE(test_defacto_top_up_tekun_and_zero)
{
    struct child_applicant c = child(2014, 2, 2);
    held(&c.parents[0], CHILD_CUSTODY_DRUG_REHAB, 12);
    held(&c.parents[1], CHILD_CUSTODY_DRUG_REHAB, 12);
    c.tekun_fen = 97500;
    struct children_result r = assess(&c, 2024, 10, 1);
    assert_int_equal(r.amount_fen, 65000);
    c.tekun_fen = 162500;
    r = assess(&c, 2024, 10, 1);
    decided(&r, CHILDREN_ELIGIBLE, 0);
    assert_int_equal(r.part_count, 0);
}

/* The ≥6-month rule for 失联 and custody (62号): 5 months is not enough
 * (neither kind); 6 is. Parent grade-3 mental counts as 重残 (grade 3–4
 * mental/intellectual); grade-3 physical does not. */
TEST_CASE(test_condition_thresholds)
{
    struct child_applicant c = one_dead(2015, 1, 1);
    c.parents[1].lost_contact_months = 5;
    struct children_result r = assess(&c, 2025, 9, 1);
    assert_int_equal(r.kind, CHILDREN_NONE);
    assert_int_equal(r.decision, CHILDREN_NOT_ELIGIBLE);
    assert_true(has_rule("children.neither", EXPLAIN_FAIL));
    c.parents[1].lost_contact_months = 6;
    r = assess(&c, 2025, 9, 1);
    assert_int_equal(r.kind, CHILDREN_DEFACTO);
    c.parents[1].lost_contact_months = 0;
    held(&c.parents[1], CHILD_CUSTODY_DETENTION, 5);
    r = assess(&c, 2025, 9, 1);
    assert_int_equal(r.kind, CHILDREN_NONE);
    c.parents[1].custody = CHILD_CUSTODY_NONE;
    c.parents[1].disability_category = HH_DIS_MENTAL;
    c.parents[1].disability_grade = 3;
    r = assess(&c, 2025, 9, 1);
    assert_int_equal(r.kind, CHILDREN_DEFACTO);
    c.parents[1].disability_category = HH_DIS_PHYSICAL;
    r = assess(&c, 2025, 9, 1);
    assert_int_equal(r.kind, CHILDREN_NONE);
}

/* 事实无人抚养 in an institution: from 2025-07-01 the institutional orphan
 * standard 1851 (渝民规〔2025〕6号); in 2024-10 no such key → the 事实无人
 * 抚养 standard 1625. */
TEST_CASE(test_defacto_institutional)
{
    struct child_applicant c = child(2013, 4, 4);
    c.placement = CHILD_INSTITUTIONAL;
    c.parents[0].serious_illness = 1;
    c.parents[1].serious_illness = 1;
    struct children_result r = assess(&c, 2025, 7, 1);
    assert_int_equal(r.amount_fen, 185100);
    assert_true(
        has_rule("children.standard.defacto_institutional", EXPLAIN_INFO));
    r = assess(&c, 2024, 10, 1);
    assert_int_equal(r.amount_fen, 162500);
}

/* An orphan also supported as 特困 must choose (特困人员认定办法 第九条):
 * REVIEW with the full orphan standard 1651 as an indication; no 补差 for
 * orphans. Not Chongqing 户籍 → not eligible. */
TEST_CASE(test_orphan_tekun_review_and_hukou)
{
    struct child_applicant c = child(2012, 12, 12);
    both_dead(&c);
    c.tekun_fen = 100100;
    struct children_result r = assess(&c, 2025, 9, 1);
    decided(&r, CHILDREN_REVIEW, 165100);
    assert_true(has_rule("children.orphan.tekun_choice", EXPLAIN_REVIEW));
    c.tekun_fen = 0;
    c.hukou_local = 0;
    r = assess(&c, 2025, 9, 1);
    decided(&r, CHILDREN_NOT_ELIGIBLE, 0);
    assert_true(has_rule("children.hukou", EXPLAIN_FAIL));
}

TEST_CASE(test_invalid)
{
    struct children_params p = cq_params(2025, 9);
    struct child_applicant c = child(2015, 1, 1);
    struct children_result r;
    assert_int_equal(children_assess(NULL, &p, 2025, 9, 1, 0, &r, NULL),
                     DD_EINVAL);
    assert_int_equal(children_assess(&c, &p, 2025, 9, 1, 0, NULL, NULL),
                     DD_EINVAL);
    assert_int_equal(children_assess(&c, &p, 2025, 2, 30, 0, &r, NULL),
                     DD_EINVAL);
    assert_int_equal(children_assess(&c, &p, 2014, 9, 1, 0, &r, NULL),
                     DD_EINVAL);       /* born after the date */
    c.parents[0].disability_grade = 2; /* without a category */
    assert_int_equal(children_assess(&c, &p, 2025, 9, 1, 0, &r, NULL),
                     DD_EINVAL);
    c.parents[0].disability_grade = 0;
    c.dibao_share_fen = -1;
    assert_int_equal(children_assess(&c, &p, 2025, 9, 1, 0, &r, NULL),
                     DD_EINVAL);
    c.dibao_share_fen = 0;
    p.defacto_standard_fen = 0;
    assert_int_equal(children_assess(&c, &p, 2025, 9, 1, 0, &r, NULL),
                     DD_EINVAL);
}

TEST_CASE(test_render)
{
    struct child_applicant c = one_dead(2016, 5, 5);
    c.parents[1].serious_illness = 1;
    c.dibao_share_fen = 75000;
    (void)assess(&c, 2025, 9, 1);
    render_has(0, 8192, "Top-up", "901.00 yuan", NULL);
    render_has(1, 8192, "补差", "901.00元", NULL);
}

/* ---- property test ---- */

static void
parent_gen(struct child_parent *pa)
{
    memset(pa, 0, sizeof(*pa));
    switch (rnd(8)) {
    case 0: pa->dead = 1; break;
    case 1: pa->declared_missing = 1; break;
    case 2:
        pa->disability_category = (enum hh_disability)(1 + rnd(7));
        pa->disability_grade = 1 + (int)rnd(4);
        break;
    case 3: pa->serious_illness = 1; break;
    case 4:
        pa->custody = (enum child_custody)(1 + rnd(4));
        pa->custody_months = (int)rnd(24);
        break;
    case 5: pa->lost_contact_months = (int)rnd(24); break;
    default: break;
    }
}

/* 5000 generated children on dates 2024-09..2026-06: amount ≥ 0 and ≤ the
 * standard; for 事实无人抚养 exactly max(0, standard − other benefits);
 * parts and explanation sum to it; identical with and without
 * explanation (in assess). */
TEST_CASE(test_properties)
{
    rng_state = 20250701;
    int paid = 0, top_ups = 0;
    for (int it = 0; it < 5000; it++) {
        int y = 2024 + (int)rnd(3), m = 1 + (int)rnd(12);
        if (y == 2024 && m < 9)
            m = 9;
        if (y == 2026 && m > 6)
            m = 6;
        struct child_applicant c =
            child(y - (int)rnd(21), 1 + (int)rnd(12), 1 + (int)rnd(28));
        c.schooling = (enum hh_schooling)rnd(HH_SCHOOL__COUNT);
        c.hukou_local = rnd(10) != 0;
        c.placement = rnd(3) == 0 ? CHILD_INSTITUTIONAL : CHILD_SCATTERED;
        parent_gen(&c.parents[0]);
        parent_gen(&c.parents[1]);
        if (rnd(3) == 0)
            c.dibao_share_fen = rnd(120000);
        if (rnd(6) == 0)
            c.tekun_fen = rnd(200000);
        if (rnd(6) == 0)
            c.disability_living_fen = 8000;
        int d = 1 + (int)rnd(28);
        if (hh_age_years(c.birth_y, c.birth_m, c.birth_d, y, m, d) < 0)
            continue;
        struct children_result r = assess(&c, y, m, d);
        assert_true(r.amount_fen <= r.standard_fen);
        if (r.decision == CHILDREN_NOT_ELIGIBLE) {
            assert_int_equal(r.amount_fen, 0);
            continue;
        }
        paid++;
        if (r.kind == CHILDREN_DEFACTO) {
            int64_t other =
                c.dibao_share_fen + c.tekun_fen + c.disability_living_fen;
            int64_t want = other < r.standard_fen ? r.standard_fen - other : 0;
            assert_int_equal(r.amount_fen, want);
            top_ups += r.top_up;
        } else {
            assert_int_equal(r.amount_fen, r.standard_fen);
        }
    }
    assert_true(paid > 300);
    assert_true(top_ups > 50);
}

UNIT_TESTS(NULL, NULL,
           cmocka_unit_test(test_orphan_scattered_and_institutional),
           cmocka_unit_test(test_missing_vs_lost_contact),
           cmocka_unit_test(test_age_boundary_and_extension),
           cmocka_unit_test(test_defacto_both_conditions_full),
           cmocka_unit_test(test_defacto_top_up),
           cmocka_unit_test(test_defacto_top_up_tekun_and_zero),
           cmocka_unit_test(test_condition_thresholds),
           cmocka_unit_test(test_defacto_institutional),
           cmocka_unit_test(test_orphan_tekun_review_and_hukou),
           cmocka_unit_test(test_invalid), cmocka_unit_test(test_render),
           cmocka_unit_test(test_properties))
