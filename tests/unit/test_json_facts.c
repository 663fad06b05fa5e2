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

#include "unit_main.h"

#include "json/json_facts.h"

static struct arena *ar;

static int
setup(void **state)
{
    (void)state;
    ar = arena_new(1u << 20);
    return ar ? 0 : -1;
}

static int
teardown(void **state)
{
    (void)state;
    arena_free(ar);
    return 0;
}

static enum dd_status
decode(const char *text, enum case_engine e, struct case_facts *f,
       struct dd_error *err)
{
    memset(err, 0, sizeof(*err));
    return json_facts_decode(ar, text, strlen(text), e, f, err);
}

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

    /* paths name the value; a grade needs its category */
    assert_int_equal(decode("{\"parents\":[{},{\"disability_grade\":2}]}",
                            CASE_ENGINE_ORPHAN, &f, &err),
                     DD_EINVAL);
    assert_string_equal(err.code, "INVALID_VALUE");
    assert_string_equal(err.field, "facts.parents[1].disability_grade");
    assert_int_equal(decode("{\"parents\":[{\"alive\":true}]}",
                            CASE_ENGINE_ORPHAN, &f, &err),
                     DD_EINVAL);
    assert_string_equal(err.code, "UNKNOWN_FIELD");
    assert_string_equal(err.field, "facts.parents[0].alive");
    assert_int_equal(
        decode("{\"parents\":[{},{},{}]}", CASE_ENGINE_ORPHAN, &f, &err),
        DD_EINVAL);
    assert_string_equal(err.code, "TOO_LONG");
    assert_int_equal(decode("{\"parents\":[]}", CASE_ENGINE_ORPHAN, &f, &err),
                     DD_EINVAL);
    assert_string_equal(err.code, "TOO_SHORT");
    assert_int_equal(
        decode("{\"placement\":\"home\"}", CASE_ENGINE_ORPHAN, &f, &err),
        DD_EINVAL);
    assert_string_equal(err.field, "facts.placement");
    assert_int_equal(decode("{\"member_id\":0}", CASE_ENGINE_ORPHAN, &f, &err),
                     DD_EINVAL);
    assert_string_equal(err.code, "OUT_OF_RANGE");
}

TEST_CASE(test_fields_per_engine)
{
    struct case_facts f;
    struct dd_error err;
    /* a field of another engine is unknown here */
    assert_int_equal(
        decode("{\"care_months\":6}", CASE_ENGINE_TEMPAID_URGENT, &f, &err),
        DD_EINVAL);
    assert_string_equal(err.field, "facts.care_months");
    assert_int_equal(
        decode("{\"expense_fen\":1}", CASE_ENGINE_TEMPAID_URGENT, &f, &err),
        DD_EINVAL);
    assert_string_equal(err.field, "facts.expense_fen");
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
    /* 低保边缘 takes none */
    assert_int_equal(
        decode("{\"medical_fen\":1}", CASE_ENGINE_NEAR_POOR, &f, &err),
        DD_EINVAL);
    assert_int_equal(
        decode("{\"card_valid\":1}", CASE_ENGINE_DISABILITY_CARE, &f, &err),
        DD_EINVAL);
    assert_string_equal(err.code, "WRONG_TYPE");
    assert_string_equal(err.field, "facts.card_valid");
    assert_int_equal(decode("[1]", CASE_ENGINE_DISABILITY_CARE, &f, &err),
                     DD_EINVAL);
    assert_string_equal(err.code, "NOT_AN_OBJECT");
    assert_int_equal(decode("{\"cause\":\"fire\",\"cause\":\"fire\"}",
                            CASE_ENGINE_TEMPAID_URGENT, &f, &err),
                     DD_EINVAL);
    assert_string_equal(err.code, "MALFORMED_JSON");
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
