/* SPDX-License-Identifier: MIT */
/* The service catalog: the seed data/catalog/items.csv parses and checks
 * row by row, holds the 16 items with their departments and the
 * 川渝通办 modes of domain.md §7.3, and the checks name the field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "unit_main.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/catalog.h"
#include "io/csv.h"
#include "refdata/refdata_steps.h"

#ifndef DOUDI_SOURCE_DIR
#define DOUDI_SOURCE_DIR "."
#endif

static struct catalog seed;
static struct wf_book book; /* the shipped data/catalog/steps.csv */

static int
load_seed(void **state)
{
    (void)state;
    char path[1024], *data = calloc(1, 1 << 18), why[256];
    const char *root = getenv("DOUDI_SOURCE_DIR") ? getenv("DOUDI_SOURCE_DIR")
                                                  : DOUDI_SOURCE_DIR;
    long bad = 0;
    snprintf(path, sizeof(path), "%s/data", root);
    if (refdata_steps_read(path, &book, &bad, why, sizeof(why)) != DD_OK) {
        fprintf(stderr, "steps.csv line %ld: %s\n", bad, why);
        return -1;
    }
    snprintf(path, sizeof(path), "%s/data/catalog/items.csv", root);
    FILE *f = fopen(path, "rb");
    if (!f || !data)
        return -1;
    size_t n = fread(data, 1, (1 << 18) - 1, f);
    fclose(f);
    struct csv_mem mem = {data, n, 0};
    struct csv_reader *rd = csv_reader_new(csv_mem_source, &mem, 8192);
    struct csv_record rec;
    struct dd_error err = {0};
    int line = 0;
    while (csv_reader_next(rd, &rec) == DD_OK) {
        if (line++ == 0) {
            /* the header is the one the loader expects */
            char hdr[512] = "";
            size_t used = 0;
            for (size_t i = 0; i < rec.count && used < sizeof(hdr); i++)
                used += (size_t)snprintf(hdr + used, sizeof(hdr) - used,
                                         "%s%s", i ? "," : "",
                                         rec.fields[i]);
            if (strcmp(hdr, catalog_csv_header) != 0)
                return -1;
            continue;
        }
        struct catalog_item it;
        if (catalog_item_from_fields(rec.fields, rec.count, &book, &it,
                                     &err) !=
            DD_OK) {
            fprintf(stderr, "line %ld: %s: %s\n", rec.line, err.field,
                    err.message);
            return -1;
        }
        if (catalog_add(&seed, &it) != DD_OK)
            return -1;
    }
    csv_reader_free(rd);
    free(data);
    return 0;
}

static int
free_seed(void **state)
{
    (void)state;
    catalog_clear(&seed);
    return 0;
}

TEST_CASE(test_seed_items)
{
    static const struct {
        const char *code, *dept, *mode;
    } want[] = {
        {"dibao", "civil", "none"},
        {"tekun", "civil", "none"},
        {"tempaid_urgent", "civil", "none"},
        {"tempaid_expense", "civil", "none"},
        /* the 川渝通办 items (domain.md §7.3) */
        {"disability_living", "civil", "proxy"},
        {"disability_care", "civil", "proxy"},
        {"orphan", "civil", "proxy"},
        {"unsupported_child", "civil", "proxy"},
        {"care_home_filing", "civil", "online"},
        {"lowincome_edge", "civil", "none"},
        {"rigid_expense", "civil", "none"},
        /* referrals (domain.md §7.2) */
        {"medical_aid", "medical", "none"},
        {"education_aid", "education", "none"},
        {"housing_aid", "housing", "none"},
        {"employment_aid", "hrss", "none"},
        {"disaster_aid", "emergency", "none"},
    };
    assert_int_equal(seed.count, sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        const struct catalog_item *it = catalog_find(&seed, want[i].code, NULL);
        assert_non_null(it);
        assert_string_equal(it->department, want[i].dept);
        assert_string_equal(it->cross_region_mode, want[i].mode);
        assert_int_equal(it->version, 1);
    }
    /* 低保: 30 wd statutory (Art. 22), 20 promised (domain.md §9) */
    const struct catalog_item *d = catalog_find(&seed, "dibao", NULL);
    assert_int_equal(d->statutory_days, 30);
    assert_int_equal(d->promised_days, 20);
    assert_string_equal(d->statutory_unit, "working");
    assert_string_equal(d->start_rule, "next_month");
    assert_true(catalog_list_has(d->materials, "income_proof"));
    assert_false(catalog_list_has(d->materials, "income"));
    /* 两项补贴 start in the application month (domain.md §4) */
    assert_string_equal(catalog_find(&seed, "disability_living", NULL)
                            ->start_rule,
                        "application_month");
}

TEST_CASE(test_checks_and_versions)
{
    struct dd_error err = {0};
    struct catalog c = {0};
    struct catalog_item it = *catalog_find(&seed, "dibao", NULL);
    it.promised_days = 31; /* above the statutory 30 */
    assert_int_equal(catalog_item_check(&it, &book, &err), DD_EINVAL);
    assert_string_equal(err.field, "promised_days");
    it.promised_days = 20;
    snprintf(it.template_code, sizeof(it.template_code), "nosuch");
    assert_int_equal(catalog_item_check(&it, &book, &err), DD_EINVAL);
    assert_string_equal(err.field, "template");
    snprintf(it.template_code, sizeof(it.template_code), "dibao");
    snprintf(it.materials, sizeof(it.materials), "id_card;passport");
    assert_int_equal(catalog_item_check(&it, &book, &err), DD_EINVAL);
    assert_string_equal(err.field, "materials");
    snprintf(it.materials, sizeof(it.materials), "id_card");
    assert_int_equal(catalog_item_check(&it, &book, &err), DD_OK);

    /* a version's own step limits: steps of its template with a clock,
     * once each, 1..365 days; the others keep the template's */
    static const char *const bad_limits[] = {
        "supplement=3", "closed=3", "nosuch=3", "investigate=0",
        "investigate=366", "investigate=3;investigate=4", "investigate",
        "investigate=", "=3", "investigate=3;", "investigate=3x"};
    for (size_t i = 0; i < sizeof(bad_limits) / sizeof(bad_limits[0]); i++) {
        snprintf(it.step_limits, sizeof(it.step_limits), "%s", bad_limits[i]);
        if (catalog_item_check(&it, &book, &err) != DD_EINVAL)
            fail_msg("step_limits \"%s\" passed", bad_limits[i]);
        assert_string_equal(err.field, "step_limits");
    }
    const struct wf_template *t = wf_template_find(&book, "dibao");
    snprintf(it.step_limits, sizeof(it.step_limits), "investigate=2;confirm=8");
    assert_int_equal(catalog_item_check(&it, &book, &err), DD_OK);
    assert_int_equal(catalog_step_limit(&it, wf_step_find(t, "investigate")), 2);
    assert_int_equal(catalog_step_limit(&it, wf_step_find(t, "confirm")), 8);
    /* 民发〔2021〕57号 Art. 17: the template's 3 wd for the means check */
    assert_int_equal(catalog_step_limit(&it, wf_step_find(t, "verify")), 3);
    it.step_limits[0] = '\0';
    assert_int_equal(catalog_step_limit(&it, wf_step_find(t, "confirm")), 10);

    /* the version in force on a date; a second (code, version) conflicts */
    assert_int_equal(catalog_add(&c, &it), DD_OK);
    assert_int_equal(catalog_add(&c, &it), DD_ECONFLICT);
    it.version = 2;
    snprintf(it.effective_from, sizeof(it.effective_from), "2024-01-01");
    it.promised_days = 15;
    assert_int_equal(catalog_add(&c, &it), DD_OK);
    assert_int_equal(catalog_find(&c, "dibao", "2023-12-31")->version, 1);
    assert_int_equal(catalog_find(&c, "dibao", "2024-01-01")->version, 2);
    assert_int_equal(catalog_find(&c, "dibao", NULL)->promised_days, 15);
    assert_null(catalog_find(&c, "dibao", "2017-12-31"));
    assert_null(catalog_find_version(&c, "dibao", 3));
    catalog_clear(&c);
}

UNIT_TESTS(load_seed, free_seed, cmocka_unit_test(test_seed_items),
           cmocka_unit_test(test_checks_and_versions))
