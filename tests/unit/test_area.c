/* SPDX-License-Identifier: MIT */
/* The urban/rural standard of a household (domain.md §7.1): the
 * household's explicit setting wins, "district" follows the district's
 * dibao.area.default, and "district" in a mixed district has no answer;
 * the explanation line says which and why. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "unit_main.h"

#include "domain/area.h"

TEST_CASE(test_setting_names)
{
    enum area_setting s = AREA_SETTING__COUNT;
    assert_int_equal(area_setting_parse("urban", &s), 0);
    assert_int_equal(s, AREA_SETTING_URBAN);
    assert_int_equal(area_setting_parse("rural", &s), 0);
    assert_int_equal(s, AREA_SETTING_RURAL);
    assert_int_equal(area_setting_parse("district", &s), 0);
    assert_int_equal(s, AREA_SETTING_DISTRICT);
    assert_int_equal(area_setting_parse("town", &s), -1);
    assert_int_equal(area_setting_parse("Urban", &s), -1);
    assert_int_equal(area_setting_parse("", &s), -1);
    assert_int_equal(area_setting_parse(NULL, &s), -1);
    for (int i = 0; i < AREA_SETTING__COUNT; i++) {
        assert_int_equal(area_setting_parse(area_setting_name(i), &s), 0);
        assert_int_equal(s, i);
    }
    assert_string_equal(area_setting_name(AREA_SETTING__COUNT), "?");
}

/* §7.1, every combination of the household's setting (urban, rural,
 * district) and the district's value (0 mixed, 1 urban, 2 rural):
 *   explicit urban/rural → itself, whatever the district says;
 *   district + 1 → urban, district + 2 → rural (by the district);
 *   district + 0 → no standard (DD_ENOTFOUND). */
TEST_CASE(test_resolution_table)
{
    static const struct {
        enum area_setting s;
        int64_t district;
        enum dd_status rc;
        enum hh_area applied;
        enum area_basis basis;
    } rows[] = {
        {AREA_SETTING_URBAN, 0, DD_OK, HH_AREA_URBAN, AREA_BASIS_HOUSEHOLD},
        {AREA_SETTING_URBAN, 1, DD_OK, HH_AREA_URBAN, AREA_BASIS_HOUSEHOLD},
        {AREA_SETTING_URBAN, 2, DD_OK, HH_AREA_URBAN, AREA_BASIS_HOUSEHOLD},
        {AREA_SETTING_RURAL, 0, DD_OK, HH_AREA_RURAL, AREA_BASIS_HOUSEHOLD},
        /* 南岸 (1: urban for all) with an explicit rural household: rural */
        {AREA_SETTING_RURAL, 1, DD_OK, HH_AREA_RURAL, AREA_BASIS_HOUSEHOLD},
        {AREA_SETTING_RURAL, 2, DD_OK, HH_AREA_RURAL, AREA_BASIS_HOUSEHOLD},
        {AREA_SETTING_DISTRICT, 0, DD_ENOTFOUND, HH_AREA_URBAN,
         AREA_BASIS_HOUSEHOLD},
        /* 南岸 with a household following its district: urban */
        {AREA_SETTING_DISTRICT, 1, DD_OK, HH_AREA_URBAN, AREA_BASIS_DISTRICT},
        {AREA_SETTING_DISTRICT, 2, DD_OK, HH_AREA_RURAL, AREA_BASIS_DISTRICT},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct area_decision d;
        assert_int_equal(area_resolve(rows[i].s, rows[i].district, &d),
                         rows[i].rc);
        assert_int_equal(d.resolved, rows[i].rc == DD_OK);
        if (rows[i].rc != DD_OK)
            continue;
        assert_int_equal(d.applied, rows[i].applied);
        assert_int_equal(d.basis, rows[i].basis);
        assert_int_equal(d.setting, rows[i].s);
        assert_int_equal(d.district, rows[i].district);
    }
}

TEST_CASE(test_out_of_range)
{
    struct area_decision d;
    assert_int_equal(area_resolve(AREA_SETTING_URBAN, 3, &d), DD_EINVAL);
    assert_int_equal(area_resolve(AREA_SETTING_DISTRICT, -1, &d), DD_EINVAL);
    assert_int_equal(area_resolve(AREA_SETTING__COUNT, 1, &d), DD_EINVAL);
    assert_false(d.resolved);
    assert_int_equal(area_resolve(AREA_SETTING_URBAN, 1, NULL), DD_EINVAL);
}

/* The explanation: one household-level INFO line, by district or by
 * household, with the standard applied and the district's value; rendered
 * in both languages with the §7.1 clause. */
TEST_CASE(test_explanation)
{
    static struct explain ex;
    struct area_decision d;
    char text[1024];

    explain_init(&ex);
    assert_int_equal(area_resolve(AREA_SETTING_DISTRICT, 1, &d), DD_OK);
    area_explain(&d, &ex);
    assert_int_equal(ex.count, 1);
    const struct explain_line *l = &ex.lines[0];
    assert_string_equal(l->rule->id, "area.district");
    assert_non_null(strstr(l->rule->clause, "§7.1"));
    assert_int_equal(l->result, EXPLAIN_INFO);
    assert_int_equal(l->member, -1);
    assert_int_equal(l->amount_fen, 0);
    assert_int_equal(l->value_count, 2);
    assert_int_equal(l->values[0].name, EXPLAIN_N_RURAL);
    assert_int_equal(l->values[0].value, 0);
    assert_int_equal(l->values[1].name, EXPLAIN_N_DISTRICT_AREA);
    assert_int_equal(l->values[1].value, 1);
    assert_int_equal(explain_render(&ex, 1, text, sizeof(text)), DD_OK);
    assert_non_null(strstr(text, "户籍所在区县"));
    assert_non_null(strstr(text, "农村标准 否"));
    assert_int_equal(explain_render(&ex, 0, text, sizeof(text)), DD_OK);
    assert_non_null(strstr(text, "hukou district"));

    explain_init(&ex);
    assert_int_equal(area_resolve(AREA_SETTING_RURAL, 1, &d), DD_OK);
    area_explain(&d, &ex);
    assert_string_equal(ex.lines[0].rule->id, "area.household");
    assert_int_equal(ex.lines[0].values[0].value, 1);
    assert_int_equal(explain_render(&ex, 0, text, sizeof(text)), DD_OK);
    assert_non_null(strstr(text, "household's own setting"));
    assert_non_null(strstr(text, "rural standard yes"));

    /* unresolved: nothing added */
    explain_init(&ex);
    assert_int_equal(area_resolve(AREA_SETTING_DISTRICT, 0, &d), DD_ENOTFOUND);
    area_explain(&d, &ex);
    area_explain(NULL, &ex);
    assert_int_equal(ex.count, 0);
}

UNIT_TESTS(NULL, NULL, cmocka_unit_test(test_setting_names),
           cmocka_unit_test(test_resolution_table),
           cmocka_unit_test(test_out_of_range),
           cmocka_unit_test(test_explanation))
