/* SPDX-License-Identifier: MIT */
/* The decider's facts (json/json_facts.c): each engine's fields decoded,
 * anything else named by its path, and an outcome encoded in the shape of
 * the assessment explanation with its review note. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arena_fixture.h"
#include "unit_main.h"

#include "json/json_facts.h"

static enum dd_status
decode(const char *text, enum case_engine e, struct case_facts *f,
       struct dd_error *err)
{
    memset(err, 0, sizeof(*err));
    return json_facts_decode(ar, text, strlen(text), e, f, err);
}

/* A facts document decode refuses for engine e, with its error's code
 * and field (NULL: not checked). */
struct refusal {
    const char *text;
    enum case_engine e;
    const char *code, *field;
};

/* Each of rows[0 .. n) refused as it says; a difference fails naming the
 * document. */
static void
refusals_walk(const struct refusal *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct refusal *w = &rows[i];
        struct case_facts f;
        struct dd_error err;
        enum dd_status rc = decode(w->text, w->e, &f, &err);
        if (rc != DD_EINVAL ||
            (w->code && (!err.code || strcmp(err.code, w->code) != 0)) ||
            (w->field && (!err.field || strcmp(err.field, w->field) != 0)))
            fail_msg("%s: %s %s %s, want EINVAL %s %s", w->text,
                     dd_status_name(rc), err.code ? err.code : "NULL",
                     err.field ? err.field : "NULL", w->code ? w->code : "-",
                     w->field ? w->field : "-");
    }
}
#define REFUSALS_WALK(t) refusals_walk((t), sizeof(t) / sizeof((t)[0]))

/* paths name the value; a grade needs its category */
/* clang-format off */
static const struct refusal children_refusals[] = {
    {"{\"parents\":[{},{\"disability_grade\":2}]}", CASE_ENGINE_ORPHAN, "INVALID_VALUE", "facts.parents[1].disability_grade"},
    {"{\"parents\":[{\"alive\":true}]}", CASE_ENGINE_ORPHAN, "UNKNOWN_FIELD", "facts.parents[0].alive"},
    {"{\"parents\":[{},{},{}]}", CASE_ENGINE_ORPHAN, "TOO_LONG", NULL},
    {"{\"parents\":[]}", CASE_ENGINE_ORPHAN, "TOO_SHORT", NULL},
    {"{\"placement\":\"home\"}", CASE_ENGINE_ORPHAN, NULL, "facts.placement"},
    {"{\"member_id\":0}", CASE_ENGINE_ORPHAN, "OUT_OF_RANGE", NULL},
};

/* a field of another engine is unknown here; 低保边缘 takes none */
static const struct refusal engine_refusals[] = {
    {"{\"care_months\":6}", CASE_ENGINE_TEMPAID_URGENT, NULL, "facts.care_months"},
    {"{\"expense_fen\":1}", CASE_ENGINE_TEMPAID_URGENT, NULL, "facts.expense_fen"},
    {"{\"medical_fen\":1}", CASE_ENGINE_NEAR_POOR, NULL, NULL},
    {"{\"card_valid\":1}", CASE_ENGINE_DISABILITY_CARE, "WRONG_TYPE", "facts.card_valid"},
    {"[1]", CASE_ENGINE_DISABILITY_CARE, "NOT_AN_OBJECT", NULL},
    {"{\"cause\":\"fire\",\"cause\":\"fire\"}", CASE_ENGINE_TEMPAID_URGENT, "MALFORMED_JSON", NULL},
};
/* clang-format on */

TEST_CASE(test_children_facts)
{
    struct case_facts f;
    struct dd_error err;
    assert_int_equal(
        decode("{\"member_id\":7,\"placement\":\"institutional\","
               "\"parents\":[{\"dead\":true},{\"custody\":\"drug_rehab\","
               "\"custody_months\":8,\"disability_category\":\"mental\","
               "\"disability_grade\":2}]}",
               CASE_ENGINE_DEFACTO, &f, &err),
        DD_OK);
    assert_int_equal(f.present,
                     CASE_F_MEMBER | CASE_F_PLACEMENT | CASE_F_PARENTS);
    assert_int_equal(f.member_id, 7);
    assert_int_equal(f.placement, CHILD_INSTITUTIONAL);
    assert_int_equal(f.parent_count, 2);
    assert_true(f.parents[0].dead);
    assert_int_equal(f.parents[1].custody, CHILD_CUSTODY_DRUG_REHAB);
    assert_int_equal(f.parents[1].custody_months, 8);
    assert_int_equal(f.parents[1].disability_category, HH_DIS_MENTAL);
    assert_int_equal(f.parents[1].disability_grade, 2);

    REFUSALS_WALK(children_refusals);
}

TEST_CASE(test_fields_per_engine)
{
    struct case_facts f;
    struct dd_error err;
    assert_int_equal(decode("{\"cause\":\"education\",\"expense_fen\":300,"
                            "\"assets_within_rules\":false,\"persons\":2}",
                            CASE_ENGINE_TEMPAID_EXPENSE, &f, &err),
                     DD_OK);
    assert_int_equal(f.cause, TEMPAID_CAUSE_EDUCATION);
    assert_int_equal(f.expense_fen, 300);
    assert_int_equal(f.persons, 2);
    assert_true(f.present & CASE_F_ASSETS);
    assert_false(f.assets_within_rules);
    assert_int_equal(decode("{\"medical_fen\":120000,\"other_fen\":5}",
                            CASE_ENGINE_RIGID, &f, &err),
                     DD_OK);
    assert_int_equal(f.rigid.medical_fen, 120000);
    assert_int_equal(f.rigid.other_fen, 5);
    REFUSALS_WALK(engine_refusals);
}

TEST_CASE(test_outcome_encoding)
{
    struct case_outcome o = {0};
    struct explain ex;
    explain_init(&ex);
    o.engine = CASE_ENGINE_TEMPAID_EXPENSE;
    o.decision = ASSESS_REVIEW;
    o.amount_fen = 693000;
    o.part_count = 1;
    o.parts[0].kind = "band";
    o.parts[0].amount_fen = 693000;
    char *s = json_encode_case_outcome(ar, "2025-08-01", "500101001001", &o,
                                       &ex, 150000);
    assert_non_null(s);
    assert_non_null(strstr(s, "\"program\":\"tempaid_expense\""));
    assert_non_null(strstr(s, "\"decision\":\"review\""));
    /* a one-off: no monthly amount */
    assert_non_null(strstr(s, "\"monthly_amount_fen\":0"));
    assert_non_null(strstr(s, "\"one_off_amount_fen\":693000"));
    assert_non_null(strstr(s, "\"decided_amount_fen\":150000"));
    assert_non_null(strstr(s, "\"unresolved_key\":null"));
    /* no review block for a dry run (-1) */
    o.unresolved_key = "tempaid.expense.min_months";
    s = json_encode_case_outcome(ar, "2025-08-01", "500101001001", &o, &ex, -1);
    assert_non_null(s);
    assert_null(strstr(s, "decided_amount_fen"));
    assert_non_null(
        strstr(s, "\"unresolved_key\":\"tempaid.expense.min_months\""));
}

UNIT_TESTS(setup, teardown, cmocka_unit_test(test_children_facts),
           cmocka_unit_test(test_fields_per_engine),
           cmocka_unit_test(test_outcome_encoding))
