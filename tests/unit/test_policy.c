/* SPDX-License-Identifier: MIT */
/* Effective-dated policy parameters: the lookup rules on a table built by
 * hand, then the shipped seed (data/policy/params.csv) against figures
 * worked by hand from domain.md, and the seed reader's refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../policy_fill.h"
#include "../test_case.h"
#include "text_file.h"

#include "domain/policy.h"
#include "engine_fixture.h"
#include "refdata/refdata.h"

#ifndef DOUDI_SOURCE_DIR
#define DOUDI_SOURCE_DIR "."
#endif

static void
make(struct policy_param *p, const char *key, const char *region,
     const char *date, int64_t value)
{
    POLICY_FILL(p, key, region, date, value, "test");
}

static void
add(struct policy_table *t, const char *key, const char *region,
    const char *date, int64_t value)
{
    struct policy_param p;
    make(&p, key, region, date, value);
    assert_int_equal(policy_table_add(t, &p), DD_OK);
}

/* The value in force, or -1 for DD_ENOTFOUND, -2 for DD_EINVAL. */
static int64_t
value_on(const struct policy_table *t, const char *key, const char *region,
         const char *date)
{
    int y = 0, m = 0, d = 0;
    const struct policy_param *p = NULL;
    if (sscanf(date, "%d-%d-%d", &y, &m, &d) != 3)
        fail_msg("bad test date %s", date);
    enum dd_status rc = policy_lookup(t, key, region, y, m, d, &p);
    if (rc == DD_ENOTFOUND) {
        assert_null(p);
        return -1;
    }
    if (rc == DD_EINVAL)
        return -2;
    assert_int_equal(rc, DD_OK);
    assert_non_null(p);
    assert_string_equal(p->key, key);
    return p->value;
}

/* ---- the lookup, on a table made here ---- */

/* The 2021-09 and 2023-09 urban standards (渝民〔2021〕143号, 渝民发〔2023〕
 * 10号) and a made-up district override for 渝中区 from 2024-01-01. */
static struct policy_table *
small_table(void)
{
    struct policy_table *t = policy_table_new();
    assert_non_null(t);
    /* added out of order: the table keeps its own order */
    add(t, "dibao.standard.urban", "50", "2023-09-01", 73500);
    add(t, "dibao.standard.urban", "500103", "2024-01-01", 80000);
    add(t, "dibao.standard.urban", "50", "2021-09-01", 63600);
    add(t, "dibao.standard.rural", "50", "2021-09-01", 51500);
    add(t, "dibao.standard.urban", "50", "2024-09-01", 75000);
    return t;
}

TEST_CASE(test_lookup_dates)
{
    struct policy_table *t = small_table();
    /* clang-format off */
    const struct {
        const char *region, *date;
        int64_t want;
    } cases[] = {
        /* before the first version: nothing in force */
        {"50", "2021-08-31", -1},
        /* from its effective date on, inclusive */
        {"50", "2021-09-01", 63600}, {"50", "2022-08-31", 63600},
        /* the day before the next version still has the old value */
        {"50", "2023-08-31", 63600}, {"50", "2023-09-01", 73500}, {"50", "2023-10-01", 73500},
        {"50", "2024-09-01", 75000}, {"50", "2099-12-31", 75000},
        /* a county without an override gets the city default */
        {"500101", "2023-10-01", 73500}, {"500101", "2025-01-01", 75000},
        /* 渝中区 before its override: the city default in force */
        {"500103", "2023-12-31", 73500}, {"500103", "2021-09-01", 63600}, {"500103", "2021-08-31", -1},
        /* from the override on, for the county and every place in it */
        {"500103", "2024-01-01", 80000}, {"500103001", "2024-01-01", 80000}, {"500103001003", "2024-06-30", 80000},
        /* the override beats a newer city default */
        {"500103", "2024-09-01", 80000}, {"500101", "2024-09-01", 75000},
        /* outside Chongqing there is no city default */
        {"510104", "2024-01-01", -1},
        /* malformed places and dates */
        {"5001", "2024-01-01", -2}, {"50010", "2024-01-01", -2}, {"50a103", "2024-01-01", -2},
        {"50", "2023-02-29", -2}, {"50", "2023-13-01", -2}, {"50", "2023-04-31", -2},
        /* 2024 is a leap year */
        {"50", "2024-02-29", 73500},
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t got =
            value_on(t, "dibao.standard.urban", cases[i].region, cases[i].date);
        if (got != cases[i].want)
            fail_msg("case %zu: %s on %s: got %lld, want %lld", i,
                     cases[i].region, cases[i].date, (long long)got,
                     (long long)cases[i].want);
    }
    /* the version says where it came from */
    const struct policy_param *p = NULL;
    assert_int_equal(
        policy_lookup(t, "dibao.standard.urban", "500103001", 2024, 3, 1, &p),
        DD_OK);
    assert_string_equal(p->region_code, "500103");
    assert_string_equal(p->effective_from, "2024-01-01");
    assert_int_equal(
        policy_lookup(t, "dibao.standard.urban", "500101001", 2024, 3, 1, &p),
        DD_OK);
    assert_string_equal(p->region_code, "50");
    assert_string_equal(p->effective_from, "2023-09-01");
    /* a key the table does not know, or a prefix of one */
    assert_int_equal(value_on(t, "dibao.standard", "50", "2024-01-01"), -1);
    assert_int_equal(value_on(t, "dibao.standard.urbanx", "50", "2024-01-01"),
                     -1);
    assert_int_equal(value_on(t, "tekun.basic", "50", "2024-01-01"), -1);
    /* another key's versions do not leak in */
    assert_int_equal(
        value_on(t, "dibao.standard.rural", "500103", "2024-06-01"), 51500);
    policy_table_free(t);
}

TEST_CASE(test_append_only)
{
    struct policy_table *t = small_table();
    struct policy_param p;
    size_t n = policy_table_count(t);

    /* the same (key, region, date) again: refused, whatever the value,
     * and the stored version is untouched */
    make(&p, "dibao.standard.urban", "50", "2023-09-01", 99900);
    assert_int_equal(policy_table_add(t, &p), DD_ECONFLICT);
    make(&p, "dibao.standard.urban", "50", "2023-09-01", 73500);
    assert_int_equal(policy_table_add(t, &p), DD_ECONFLICT);
    assert_int_equal(policy_table_count(t), n);
    assert_int_equal(value_on(t, "dibao.standard.urban", "50", "2023-09-01"),
                     73500);

    /* a new version changes the answer from its date only */
    add(t, "dibao.standard.urban", "50", "2025-07-01", 77000);
    assert_int_equal(value_on(t, "dibao.standard.urban", "50", "2025-06-30"),
                     75000);
    assert_int_equal(value_on(t, "dibao.standard.urban", "50", "2025-07-01"),
                     77000);

    /* the order is (key, region, date) and the ranges agree */
    for (size_t i = 1; i < policy_table_count(t); i++) {
        const struct policy_param *a = policy_table_at(t, i - 1);
        const struct policy_param *b = policy_table_at(t, i);
        int c = strcmp(a->key, b->key);
        if (c == 0)
            c = strcmp(a->region_code, b->region_code);
        if (c == 0)
            c = strcmp(a->effective_from, b->effective_from);
        assert_true(c < 0);
    }
    assert_null(policy_table_at(t, policy_table_count(t)));
    size_t first = 99, count = 99;
    policy_table_key_range(t, "dibao.standard.urban", &first, &count);
    assert_int_equal(count, 5);
    assert_string_equal(policy_table_at(t, first)->key, "dibao.standard.urban");
    assert_string_equal(policy_table_at(t, first)->effective_from,
                        "2021-09-01");
    policy_table_key_range(t, "dibao.standard.rural", &first, &count);
    assert_int_equal(count, 1);
    policy_table_key_range(t, "nothing.here", &first, &count);
    assert_int_equal(count, 0);
    assert_non_null(
        policy_table_find(t, "dibao.standard.urban", "500103", "2024-01-01"));
    assert_null(
        policy_table_find(t, "dibao.standard.urban", "500103", "2024-01-02"));

    /* reserved room makes the next adds unfailing (not observable beyond
     * success, but it must not disturb the table) */
    assert_int_equal(policy_table_reserve(t, 100), DD_OK);
    assert_int_equal(policy_table_count(t), n + 1);
    policy_table_free(t);
    policy_table_free(NULL);
}

TEST_CASE(test_checks)
{
    struct policy_table *t = policy_table_new();
    struct policy_param p;
    /* clang-format off */
    const struct {
        const char *key, *region, *date;
        int64_t value;
        const char *unit, *source, *conf, *bad;
    } cases[] = {
        {"dibao.standard.urban", "50", "2023-09-01", 1, "fen/month", "s", "H", NULL}, {"a", "500103", "2023-09-01", 0, "count", "s", "NATIONAL-DEFAULT", NULL},
        {"Dibao.standard", "50", "2023-09-01", 1, "u", "s", "H", "key"}, {"dibao..standard", "50", "2023-09-01", 1, "u", "s", "H", "key"},
        {".dibao", "50", "2023-09-01", 1, "u", "s", "H", "key"}, {"dibao.", "50", "2023-09-01", 1, "u", "s", "H", "key"},
        {"dibao standard", "50", "2023-09-01", 1, "u", "s", "H", "key"}, {"", "50", "2023-09-01", 1, "u", "s", "H", "key"},
        {"k", "500", "2023-09-01", 1, "u", "s", "H", "region_code"}, {"k", "50010a", "2023-09-01", 1, "u", "s", "H", "region_code"},
        {"k", "510104", "2023-09-01", 1, "u", "s", "H", "region_code"}, {"k", "51", "2023-09-01", 1, "u", "s", "H", "region_code"},
        {"k", "50", "2023-9-01", 1, "u", "s", "H", "effective_from"}, {"k", "50", "2023-02-29", 1, "u", "s", "H", "effective_from"},
        {"k", "50", "2023-09-1x", 1, "u", "s", "H", "effective_from"}, {"k", "50", "2023-09-01", -1, "u", "s", "H", "value"},
        {"k", "50", "2023-09-01", 1, "", "s", "H", "unit"}, {"k", "50", "2023-09-01", 1, "u", "", "H", "source"},
        {"k", "50", "2023-09-01", 1, "u", "s", "h", "confidence"}, {"k", "50", "2023-09-01", 1, "u", "s", "", "confidence"},
        /* the range of a unit: a flag 0/1, a percent 0-100, a mode one
         * the engine knows (dibao.area.default: 0 mixed, 1 urban, 2
         * rural), anything else up to POLICY_VALUE_MAX */
        {"f", "50", "2023-09-01", 1, "flag", "s", "H", NULL}, {"f", "50", "2023-09-01", 2, "flag", "s", "H", "value"},
        {"p", "50", "2023-09-01", 100, "percent", "s", "H", NULL}, {"p", "50", "2023-09-01", 101, "percent", "s", "H", "value"},
        {"dibao.area.default", "500108", "2023-09-01", 2, "mode", "s", "M", NULL}, {"dibao.area.default", "500108", "2023-09-01", 3, "mode", "s", "M", "value"},
        {"tekun.care.mode", "50", "2023-09-01", 2, "mode", "s", "M", "value"}, {"no.such.mode", "50", "2023-09-01", 1, "mode", "s", "M", "value"},
        {"k", "50", "2023-09-01", POLICY_VALUE_MAX, "fen/year", "s", "H", NULL}, {"k", "50", "2023-09-01", POLICY_VALUE_MAX + 1, "fen/year", "s", "H", "value"},
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        make(&p, cases[i].key, cases[i].region, cases[i].date, cases[i].value);
        snprintf(p.unit, sizeof(p.unit), "%s", cases[i].unit);
        snprintf(p.source, sizeof(p.source), "%s", cases[i].source);
        snprintf(p.confidence, sizeof(p.confidence), "%s", cases[i].conf);
        const char *bad = policy_param_check(&p);
        if ((bad == NULL) != (cases[i].bad == NULL) ||
            (bad && strcmp(bad, cases[i].bad) != 0))
            fail_msg("case %zu: got %s, want %s", i, bad ? bad : "ok",
                     cases[i].bad ? cases[i].bad : "ok");
        assert_int_equal(policy_table_add(t, &p),
                         cases[i].bad ? DD_EINVAL : DD_OK);
    }
    assert_int_equal(policy_table_count(t), 6);

    int y, m, d;
    assert_int_equal(policy_date_parse("2000-02-29", &y, &m, &d), 0);
    assert_int_equal(y * 10000 + m * 100 + d, 20000229);
    assert_int_equal(policy_date_parse("1900-02-29", &y, &m, &d), -1);
    assert_int_equal(policy_date_parse("2023-09-01 ", &y, &m, &d), -1);
    assert_int_equal(policy_date_parse("2023/09/01", &y, &m, &d), -1);
    assert_int_equal(policy_date_parse("", &y, &m, &d), -1);
    assert_int_equal(policy_date_parse("2023-00-10", &y, &m, &d), -1);
    assert_int_equal(policy_date_parse("2023-12-00", &y, &m, &d), -1);
    policy_table_free(t);
}

/* ---- the shipped seed ---- */

/* Figures worked by hand from domain.md, each with its clause. */
TEST_CASE(test_seed_figures)
{
    /* clang-format off */
    const struct {
        const char *key, *region, *date;
        int64_t want;
        const char *why;
    } cases[] = {
        /* §7.1: 2021-09 urban 636 (渝民〔2021〕143号) until Sept 2022 */
        {"dibao.standard.urban", "50", "2022-08-31", 63600, "§7.1 2021-09"}, {"dibao.standard.urban", "50", "2022-09-01", 71700, "§7.1 2022"},
        /* §7.1: 2023-09 urban 735 (渝民发〔2023〕10号) */
        {"dibao.standard.urban", "50", "2023-08-31", 71700, "day before"}, {"dibao.standard.urban", "50", "2023-10-01", 73500, "§7.1 2023-09"},
        {"dibao.standard.urban", "50", "2024-09-01", 75000, "§7.1 2024-09"}, {"dibao.standard.urban", "50", "2025-07-01", 77000, "§7.1 2025"},
        /* §7.1: 2018-01-01 546/410, retroactive; nothing before it */
        {"dibao.standard.urban", "50", "2018-01-01", 54600, "§7.1 2018"}, {"dibao.standard.urban", "50", "2017-12-31", -1, "before 2018"},
        {"dibao.standard.rural", "50", "2018-06-30", 41000, "§7.1 2018"},
        /* §7.1: rural 630 from 2025-07-01 (渝民规〔2025〕6号), 610 before */
        {"dibao.standard.rural", "50", "2025-07-01", 63000, "§7.1 2025"}, {"dibao.standard.rural", "50", "2025-06-30", 61000, "day before"},
        {"dibao.standard.rural", "50", "2021-09-01", 51500, "§7.1 2021-09"},
        /* one citywide standard: a county and a village see it too */
        {"dibao.standard.urban", "500154", "2023-10-01", 73500, "§7.1"}, {"dibao.standard.rural", "500243001200", "2025-07-01", 63000, "§7.1"},
        /* §2: published 特困 figures are stored, not 1.3 × computed */
        {"tekun.basic", "50", "2023-09-01", 95500, "§2 955 not 955.5"}, {"tekun.basic", "50", "2025-07-01", 100100, "§2 1001"},
        {"tekun.care.full", "50", "2025-01-01", 30000, "§2 全护理 300"}, {"tekun.care.partial", "50", "2025-01-01", 20000, "§2 半护理 200"},
        {"tekun.selfcare.partial_max_failed", "50", "2024-01-01", 3, "§2"}, {"tekun.selfcare.full_min_failed", "50", "2024-01-01", 4, "§2"},
        /* §1.5: 分类施保 from 2018, unchanged through 2025 */
        {"dibao.increment.disabled", "50", "2018-01-01", 4000, "§1.5 +40"}, {"dibao.increment.elderly", "50", "2025-08-01", 6000, "§1.5 +60"},
        {"dibao.increment.elderly_min_age", "50", "2025-08-01", 70, "§1.5 70"}, {"dibao.increment.student", "50", "2020-03-01", 10000, "§1.5 +100"},
        {"dibao.increment.disabled", "50", "2017-12-31", -1, "before 2018"},
        /* §1.1: 边缘 < 1.5 × standard; §1.6: 渐退 ≤ 6 months */
        {"dibao.near_poor.income_ratio", "50", "2024-01-01", 1500, "§1.1"}, {"dibao.phaseout.months", "50", "2024-01-01", 6, "§1.6"},
        /* §1.4 template: deposits ≤ members × standard × 12 */
        {"dibao.asset.deposit_months", "50", "2024-01-01", 12, "§1.4"},
        /* §4: 两项补贴 +10 from 2022-10-01 */
        {"disability.living_subsidy", "50", "2022-09-30", 7000, "§4 70"}, {"disability.living_subsidy", "50", "2022-10-01", 8000, "§4 80"},
        {"disability.care_subsidy.grade1", "50", "2022-10-01", 9000, "§4"}, {"disability.care_subsidy.grade2", "50", "2022-10-01", 8000, "§4"},
        /* §5: orphans and 事实无人抚养 */
        {"orphan.standard.institutional", "50", "2023-09-01", 160500, "§5"}, {"orphan.standard.scattered", "50", "2024-09-01", 162500, "§5"},
        {"defacto.standard", "50", "2021-09-01", 122500, "§5 1225"}, {"defacto.standard", "50", "2021-08-31", -1, "§5 none before"},
        {"defacto.standard.institutional", "50", "2025-07-01", 185100, "§5 2025"},
        /* §6: 刚性支出 from 2025-01-01 */
        {"rigid.lookback_months", "50", "2025-01-01", 12, "§6"}, {"rigid.lookback_months", "50", "2024-12-31", -1, "§6 not before"},
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t got =
            value_on(seed, cases[i].key, cases[i].region, cases[i].date);
        if (got != cases[i].want)
            fail_msg("%s %s on %s (%s): got %lld, want %lld", cases[i].key,
                     cases[i].region, cases[i].date, cases[i].why,
                     (long long)got, (long long)cases[i].want);
    }
}

/* §2: the 特困 basic standard is ≈ 1.3 × the urban dibao standard: the
 * published figure is within one yuan of it on every date of the table,
 * and from 2024-09 the 事实无人抚养 standard equals the scattered orphan
 * standard (§5). */
TEST_CASE(test_seed_relations)
{
    size_t first, count;
    policy_table_key_range(seed, "dibao.standard.urban", &first, &count);
    assert_true(count >= 8);
    const struct policy_param *ratio = NULL;
    for (size_t i = first; i < first + count; i++) {
        const struct policy_param *u = policy_table_at(seed, i), *tk = NULL;
        int y, m, d;
        assert_int_equal(policy_date_parse(u->effective_from, &y, &m, &d), 0);
        assert_int_equal(policy_lookup(seed, "tekun.basic", "50", y, m, d, &tk),
                         DD_OK);
        assert_int_equal(
            policy_lookup(seed, "tekun.basic.min_ratio", "50", y, m, d, &ratio),
            DD_OK);
        /* in fen x 1000: |tekun x 1000 - urban x ratio| <= 100 fen x 1000 */
        int64_t diff = tk->value * 1000 - u->value * ratio->value;
        if (diff < -100000 || diff > 100000)
            fail_msg("%s: 特困 %lld vs 1.3 x %lld", u->effective_from,
                     (long long)tk->value, (long long)u->value);
    }
    const char *dates[] = {"2024-09-01", "2025-07-01", "2026-01-01"};
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(
            value_on(seed, "defacto.standard", "50", dates[i]),
            value_on(seed, "orphan.standard.scattered", "50", dates[i]));
}

/* Every version: the seed is city-wide, money keys are in fen per month,
 * a national default names its national rule, and every key is documented
 * in docs/policy.md. */
TEST_CASE(test_seed_conventions)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/docs/policy.md", DOUDI_SOURCE_DIR);
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot read %s", path);
    static char doc[1 << 17];
    size_t len = fread(doc, 1, sizeof(doc) - 1, f);
    fclose(f);
    doc[len] = '\0';
    assert_true(policy_table_count(seed) >= 80);
    for (size_t i = 0; i < policy_table_count(seed); i++) {
        const struct policy_param *p = policy_table_at(seed, i);
        /* one citywide standard (§7.1): county rows only for the
         * districts' urban/rural setting, each over a city default */
        if (strcmp(p->region_code, "50") != 0) {
            assert_string_equal(p->key, "dibao.area.default");
            assert_non_null(
                policy_table_find(seed, p->key, "50", "2018-01-01"));
        }
        assert_true(strcmp(p->effective_from, "2018-01-01") >= 0);
        if (strcmp(p->confidence, "NATIONAL-DEFAULT") == 0)
            assert_non_null(strstr(p->source, "NATIONAL"));
        char quoted[POLICY_KEY_LEN + 2];
        snprintf(quoted, sizeof(quoted), "`%s`", p->key);
        if (!strstr(doc, quoted))
            fail_msg("key %s is not in docs/policy.md", p->key);
        /* one unit per key across its versions */
        size_t first, count;
        policy_table_key_range(seed, p->key, &first, &count);
        assert_string_equal(policy_table_at(seed, first)->unit, p->unit);
    }
}

/* Writes text to a fresh temporary file; returns its path (static). */
static const char *
temp_file(const char *text)
{
    return text_temp_named("policy", text);
}

TEST_CASE(test_seed_reader_refuses)
{
#define HDR "key,region_code,effective_from,value,unit,source,confidence\n"
#define OK1 "a.b,50,2023-09-01,73500,fen/month,渝民发〔2023〕10号,H\n"
    const struct {
        const char *text;
        size_t line;
    } cases[] = {
        {"key,region,effective_from,value,unit,source,confidence\n" OK1, 1},
        {HDR OK1 "a.b,50,2023-09-01,73500,fen/month,s,H\n", 3},
        {HDR OK1 "a.c,50,2023-09-01,73500,fen/month,s\n", 3},
        {HDR OK1 "a.c,50,2023-09-01,73500,fen/month,s,H,x\n", 3},
        {HDR "a.c,50,2023-09-31,1,u,s,H\n", 2},
        {HDR "a.c,50,2023-09-01,-1,u,s,H\n", 2},
        {HDR "a.c,50,2023-09-01,1.5,u,s,H\n", 2},
        {HDR "a.c,50,2023-09-01,,u,s,H\n", 2},
        {HDR "a.c,5001,2023-09-01,1,u,s,H\n", 2},
        {HDR "a.c,50,2023-09-01,1,u,\"s, t\",H\n", 2},
        {HDR "a.c,50,2023-09-01,1,u,,H\n", 2},
        {HDR "a.c,50,2023-09-01,1,u,s,high\n", 2},
        {HDR "A.c,50,2023-09-01,1,u,s,H\n", 2},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *path = temp_file(cases[i].text);
        struct policy_table *t = policy_table_new();
        char reason[256];
        size_t line = 0;
        enum dd_status rc =
            refdata_policy_read(path, t, &line, reason, sizeof(reason));
        unlink(path);
        policy_table_free(t);
        if (rc != DD_EINVAL || line != cases[i].line || !reason[0])
            fail_msg("case %zu: %s at line %zu (%s), want EINVAL at %zu", i,
                     dd_status_name(rc), line, reason, cases[i].line);
    }
    /* a good file, with CRLF ends and a trailing blank line */
    const char *path = temp_file(
        "key,region_code,effective_from,value,unit,source,confidence\r\n"
        "a.b,50,2023-09-01,73500,fen/month,s,H\r\n"
        "a.b,500103,2024-01-01,80000,fen/month,s,M\r\n\r\n");
    struct policy_table *t = policy_table_new();
    char reason[256];
    size_t line = 0;
    assert_int_equal(
        refdata_policy_read(path, t, &line, reason, sizeof(reason)), DD_OK);
    unlink(path);
    assert_int_equal(policy_table_count(t), 2);
    assert_int_equal(value_on(t, "a.b", "500103", "2024-01-01"), 80000);
    policy_table_free(t);
    t = policy_table_new();
    assert_int_equal(refdata_policy_read("/nonexistent/params.csv", t, &line,
                                         reason, sizeof(reason)),
                     DD_ENOTFOUND);
    policy_table_free(t);
}

int
main(void)
{
    const struct CMUnitTest pure[] = {
        cmocka_unit_test(test_lookup_dates),
        cmocka_unit_test(test_append_only),
        cmocka_unit_test(test_checks),
    };
    const struct CMUnitTest seeded[] = {
        cmocka_unit_test(test_seed_figures),
        cmocka_unit_test(test_seed_relations),
        cmocka_unit_test(test_seed_conventions),
        cmocka_unit_test(test_seed_reader_refuses),
    };
    int failed = cmocka_run_group_tests_name("policy", pure, NULL, NULL);
    failed += cmocka_run_group_tests_name("policy seed", seeded, seed_setup,
                                          seed_teardown);
    return failed;
}
