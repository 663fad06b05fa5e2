/* SPDX-License-Identifier: MIT */
/* The synthetic population generator: determinism by seed, valid ID
 * numbers that agree with the member (birth date, sex, hukou county),
 * region codes from the list passed in, the disabled share, ages,
 * incomes, family shapes, and households the 低保 engine accepts. Also the
 * CSV reader of cmd_gen.c on the shipped village list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "unit_main.h"

#include "cli/cli.h"
#include "domain/dibao.h"
#include "domain/gen.h"
#include "domain/idcard.h"

#define AS_OF_Y 2025
#define AS_OF_M 7
#define AS_OF_D 1

/* Real villages of data/regions-chongqing.csv, urban and rural, from
 * central, suburban and remote counties. */
static const struct gen_village small_list[] = {
    {"500101001001", 1}, /* 万州区 东方广场社区 */
    {"500103001003", 1}, /* 渝中区 华一坡社区 */
    {"500103013009", 1}, /* 渝中区 化龙桥社区工作站 */
    {"500112016009", 1}, /* 渝北区 */
    {"500108006008", 1}, /* 南岸区 */
    {"500154104003", 1}, /* 开州区 */
    {"500243105200", 0}, /* 彭水 */
    {"500110110213", 0}, /* 綦江区 */
    {"500229210210", 0}, /* 城口县 柳河村 */
    {"500242221200", 0}, /* 酉阳 庙溪村 */
    {"500116001200", 0}, /* 江津区 五举村 */
};
static const struct gen_regions small = {small_list, sizeof(small_list) /
                                                         sizeof(small_list[0])};

static struct gen_household gh_a, gh_b; /* 6 KB each: off the stack */

static void
init_or_fail(struct gen *g, uint64_t seed, const struct gen_regions *r)
{
    assert_int_equal(gen_init(g, seed, r, AS_OF_Y, AS_OF_M, AS_OF_D), DD_OK);
}

TEST_CASE(test_init_rejects_bad_input)
{
    struct gen g;
    struct gen_regions empty = {small_list, 0};
    assert_int_equal(gen_init(&g, 1, &empty, 2025, 7, 1), DD_EINVAL);
    assert_int_equal(gen_init(&g, 1, NULL, 2025, 7, 1), DD_EINVAL);
    assert_int_equal(gen_init(&g, 1, &small, 2025, 2, 30), DD_EINVAL);
    assert_int_equal(gen_init(&g, 1, &small, 2005, 1, 1), DD_EINVAL);
    static const struct gen_village bad[] = {{"51010100100", 0}};
    struct gen_regions badr = {bad, 1};
    assert_int_equal(gen_init(&g, 1, &badr, 2025, 7, 1), DD_EINVAL);
    static const struct gen_village other[] = {{"110101001001", 0}};
    struct gen_regions otherr = {other, 1};
    assert_int_equal(gen_init(&g, 1, &otherr, 2025, 7, 1), DD_EINVAL);
}

/* Same seed: the same households byte for byte; another seed: others. */
TEST_CASE(test_deterministic)
{
    struct gen a, b, c;
    init_or_fail(&a, 20260101, &small);
    init_or_fail(&b, 20260101, &small);
    init_or_fail(&c, 20260102, &small);
    int differ = 0;
    for (int i = 0; i < 3000; i++) {
        gen_household(&a, &gh_a);
        gen_household(&b, &gh_b);
        assert_memory_equal(&gh_a, &gh_b, sizeof(gh_a));
        gen_household(&c, &gh_b);
        differ += memcmp(&gh_a, &gh_b, sizeof(gh_a)) != 0;
    }
    assert_true(differ > 2900);
    assert_int_equal(gh_a.serial, 3000);
}

static int
in_list(const struct gen_regions *r, const char *code)
{
    for (size_t i = 0; i < r->count; i++)
        if (strcmp(r->villages[i].code, code) == 0)
            return r->villages[i].urban ? 2 : 1;
    return 0;
}

static int
age_of(const struct hh_person *pp)
{
    return hh_age_years(pp->birth_y, pp->birth_m, pp->birth_d, AS_OF_Y, AS_OF_M,
                        AS_OF_D);
}

/* Every ID number parses, and its birth date, sex and county are the
 * member's; region codes come from the list; the household is well-formed
 * for the engine. */
TEST_CASE(test_ids_regions_and_shape)
{
    struct gen g;
    init_or_fail(&g, 7, &small);
    int urban = 0;
    for (int i = 0; i < 5000; i++) {
        gen_household(&g, &gh_a);
        const struct household *h = &gh_a.hh;
        int kind = in_list(&small, gh_a.hukou_village);
        assert_true(kind != 0);
        assert_true(in_list(&small, gh_a.residence_village) != 0);
        assert_memory_equal(h->hukou_county, gh_a.hukou_village, 6);
        assert_int_equal(h->hukou_county[6], '\0');
        assert_int_equal(h->standard_area,
                         kind == 2 ? HH_AREA_URBAN : HH_AREA_RURAL);
        urban += kind == 2;
        assert_int_equal(dibao_household_validate(h, AS_OF_Y, AS_OF_M, AS_OF_D),
                         DD_OK);
        assert_true(h->member_count >= 1 && h->member_count <= 8);
        for (int m = 0; m < h->member_count; m++) {
            const struct hh_person *pp = &h->members[m];
            struct idcard id;
            struct dd_error err = {0};
            assert_int_equal(idcard_parse(gh_a.people[m].id_number, AS_OF_Y,
                                          AS_OF_M, AS_OF_D, &id, &err),
                             DD_OK);
            assert_int_equal(id.birth_year, pp->birth_y);
            assert_int_equal(id.birth_month, pp->birth_m);
            assert_int_equal(id.birth_day, pp->birth_d);
            assert_int_equal(id.sex, pp->sex == HH_SEX_MALE ? 'M' : 'F');
            assert_string_equal(id.region, h->hukou_county);
            size_t nl = strlen(gh_a.people[m].name);
            /* 2 or 3 CJK characters, 3 bytes each in UTF-8 */
            assert_true(nl == 6 || nl == 9);
            assert_true((unsigned char)gh_a.people[m].name[0] >= 0xe4);
        }
    }
    /* about 70% urban by household (weighted; see gen.c) */
    assert_true(urban > 3200 && urban < 3800);
}

/* Applicant first and alone; ages 0..110; non-negative money; spouses of
 * the other sex; children younger than their parents; parents older. */
TEST_CASE(test_family_ages_money)
{
    struct gen g;
    init_or_fail(&g, 99, &small);
    int families[GEN_FAM__COUNT] = {0};
    for (int i = 0; i < 20000; i++) {
        gen_household(&g, &gh_a);
        const struct household *h = &gh_a.hh;
        families[gh_a.family]++;
        assert_int_equal(h->members[0].relation, HH_REL_APPLICANT);
        int app_age = age_of(&h->members[0]);
        for (int m = 0; m < h->member_count; m++) {
            const struct hh_person *pp = &h->members[m];
            int age = age_of(pp);
            assert_true(age >= 0 && age <= 110);
            if (m > 0)
                assert_int_not_equal(pp->relation, HH_REL_APPLICANT);
            if (pp->relation == HH_REL_SPOUSE) {
                assert_int_not_equal(pp->sex, h->members[0].sex);
                assert_true(age >= 20);
            }
            if (pp->relation == HH_REL_CHILD)
                assert_true(age <= app_age - 15);
            if (pp->relation == HH_REL_PARENT)
                assert_true(age >= app_age + 15);
            for (int k = 0; k < HH_INC__COUNT; k++)
                assert_true(pp->income_fen[k] >= 0);
            assert_true(pp->disability_category == HH_DIS_NONE
                            ? pp->disability_grade == 0
                            : pp->disability_grade >= 1 &&
                                  pp->disability_grade <= 4);
        }
        if (gh_a.family == GEN_FAM_SINGLE_ELDERLY) {
            assert_int_equal(h->member_count, 1);
            assert_true(app_age >= 60);
        }
        for (int k = 0; k < h->asset_count; k++) {
            assert_true(h->assets[k].value_fen >= 0);
            assert_true(h->assets[k].floor_area_dm2 >= 0);
        }
    }
    for (int f = 0; f < GEN_FAM__COUNT; f++)
        assert_true(families[f] > 1000); /* every structure occurs */
}

/* About 8% of persons are disabled: within 6–10% over 20,000 households,
 * every category and grade occurs, and some have a major illness. */
TEST_CASE(test_disabled_share)
{
    struct gen g;
    init_or_fail(&g, 12345, &small);
    long persons = 0, disabled = 0, ill = 0;
    long cats[8] = {0}, grades[5] = {0};
    for (int i = 0; i < 20000; i++) {
        gen_household(&g, &gh_a);
        for (int m = 0; m < gh_a.hh.member_count; m++) {
            const struct hh_person *pp = &gh_a.hh.members[m];
            persons++;
            if (pp->disability_category != HH_DIS_NONE) {
                disabled++;
                cats[pp->disability_category]++;
                grades[pp->disability_grade]++;
            }
            ill += pp->major_illness != 0;
        }
    }
    double share = (double)disabled / (double)persons;
    assert_true(share >= 0.06 && share <= 0.10);
    for (int c = 1; c <= 7; c++)
        assert_true(cats[c] > 0);
    for (int gr = 1; gr <= 4; gr++)
        assert_true(grades[gr] > 0);
    assert_true(ill > 0 && (double)ill / (double)persons < 0.05);
}

/* A claim function over a small open-addressing table, for the test. */
#define CLAIM_SLOTS (1u << 18)
static char claimed[CLAIM_SLOTS][19];
static int claim_calls, claim_refused;

static int
claim(void *ctx, const char *id)
{
    (void)ctx;
    claim_calls++;
    uint32_t h = 2166136261u;
    for (int i = 0; i < 18; i++)
        h = (h ^ (unsigned char)id[i]) * 16777619u;
    for (uint32_t j = h & (CLAIM_SLOTS - 1);; j = (j + 1) & (CLAIM_SLOTS - 1)) {
        if (claimed[j][0] == '\0') {
            memcpy(claimed[j], id, 19);
            return 1;
        }
        if (memcmp(claimed[j], id, 18) == 0) {
            claim_refused++;
            return 0;
        }
    }
}

static int
cmp_id(const void *a, const void *b)
{
    return memcmp(a, b, 18);
}

/* With a claim function no ID number repeats, on a list of 11 villages in
 * 9 counties where random numbers do repeat; every number is still valid
 * and the run is deterministic. */
TEST_CASE(test_unique_ids)
{
    static char ids[2][80000][19];
    size_t counts[2] = {0, 0};
    long repeats_without = 0;
    for (int pass = 0; pass < 2; pass++) {
        struct gen g;
        init_or_fail(&g, 4242, &small);
        memset(claimed, 0, sizeof(claimed));
        claim_calls = claim_refused = 0;
        if (pass == 1)
            gen_id_claim_set(&g, claim, NULL);
        for (int i = 0; i < 25000; i++) {
            gen_household(&g, &gh_a);
            for (int m = 0; m < gh_a.hh.member_count; m++) {
                struct idcard id;
                assert_int_equal(idcard_parse(gh_a.people[m].id_number, AS_OF_Y,
                                              AS_OF_M, AS_OF_D, &id, NULL),
                                 DD_OK);
                assert_true(counts[pass] < 80000);
                memcpy(ids[pass][counts[pass]++], gh_a.people[m].id_number, 19);
            }
        }
        qsort(ids[pass], counts[pass], 19, cmp_id);
        long repeats = 0;
        for (size_t i = 1; i < counts[pass]; i++)
            repeats += memcmp(ids[pass][i - 1], ids[pass][i], 18) == 0;
        if (pass == 0) {
            repeats_without = repeats;
            assert_int_equal(claim_calls, 0);
        } else {
            assert_int_equal(repeats, 0);
            assert_true(claim_refused > 0);
            assert_true((size_t)claim_calls ==
                        counts[1] + (size_t)claim_refused);
        }
    }
    assert_true(repeats_without > 0); /* the test would notice a repeat */
}

/* The PRNG helpers: gen_below stays in range and reaches every value. */
TEST_CASE(test_below)
{
    struct gen g;
    init_or_fail(&g, 0, &small);
    int seen[7] = {0};
    for (int i = 0; i < 7000; i++) {
        uint32_t v = gen_below(&g, 7);
        assert_true(v < 7);
        seen[v]++;
    }
    for (int i = 0; i < 7; i++)
        assert_true(seen[i] > 800 && seen[i] < 1200);
    assert_int_equal(gen_below(&g, 1), 0);
}

/* The shipped list through gen_villages_from_csv: every village, both
 * kinds, and generated codes all from it. Found from this file's path. */
static int
cmp_code(const void *a, const void *b)
{
    return strcmp(((const struct gen_village *)a)->code,
                  ((const struct gen_village *)b)->code);
}

TEST_CASE(test_csv_villages)
{
    char path[1024];
    const char *here = __FILE__;
    const char *cut = strstr(here, "tests/unit/test_gen.c");
    if (cut == NULL)
        skip();
    snprintf(path, sizeof(path), "%.*sdata/regions-chongqing.csv",
             (int)(cut - here), here);
    struct gen_village *v = NULL;
    size_t n = 0;
    assert_int_equal(gen_villages_from_csv("/nonexistent/x.csv", &v, &n),
                     DD_ENOTFOUND);
    assert_int_equal(gen_villages_from_csv(path, &v, &n), DD_OK);
    assert_int_equal(n, 11270);
    size_t urban = 0;
    for (size_t i = 0; i < n; i++)
        urban += v[i].urban != 0;
    assert_true(urban > 3000 && urban < 4000);
    qsort(v, n, sizeof(*v), cmp_code);
    struct gen_regions r = {v, n};
    struct gen g;
    init_or_fail(&g, 3, &r);
    for (int i = 0; i < 20000; i++) {
        gen_household(&g, &gh_a);
        struct gen_village key;
        memcpy(key.code, gh_a.hukou_village, sizeof(key.code));
        assert_non_null(bsearch(&key, v, n, sizeof(*v), cmp_code));
        memcpy(key.code, gh_a.residence_village, sizeof(key.code));
        assert_non_null(bsearch(&key, v, n, sizeof(*v), cmp_code));
    }
    free(v);
}

UNIT_TESTS(NULL, NULL, cmocka_unit_test(test_init_rejects_bad_input),
           cmocka_unit_test(test_deterministic),
           cmocka_unit_test(test_ids_regions_and_shape),
           cmocka_unit_test(test_family_ages_money),
           cmocka_unit_test(test_disabled_share),
           cmocka_unit_test(test_unique_ids), cmocka_unit_test(test_below),
           cmocka_unit_test(test_csv_villages))
