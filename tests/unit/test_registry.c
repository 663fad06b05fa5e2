/* SPDX-License-Identifier: MIT */
/* The household registry's rules (src/registry): code tables, member and
 * household checks with the field each error names, sealing, and the
 * mapping of a stored household onto the engine's struct household. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "unit_main.h"

#include "crypto/crypto.h"
#include "crypto/pii.h"
#include "domain/idcard.h"
#include "registry/registry.h"
#include "json/json_household.h"

static struct pii_keys *keys;
static struct arena *ar;

/* A valid number born on birth (YYYYMMDD) with sequence seq. */
static void
make_id(char out[19], const char *birth, int seq)
{
    char first17[24];
    snprintf(first17, sizeof(first17), "500103%.8s%03d", birth, seq % 1000);
    snprintf(out, 19, "%.17s%c", first17, idcard_check_char(first17));
}

static int
setup(void **state)
{
    (void)state;
    unsigned char k[KEYFILE_KEY_LEN];
    for (size_t i = 0; i < sizeof(k); i++)
        k[i] = (unsigned char)(i * 7 + 1);
    crypto_ready();
    if (pii_keys_new(k, &keys) != DD_OK)
        return -1;
    ar = arena_new(1 << 22);
    return ar ? 0 : -1;
}

static int
teardown(void **state)
{
    (void)state;
    pii_keys_free(keys);
    arena_free(ar);
    return 0;
}

TEST_CASE(test_codes_round_trip)
{
    static const int counts[REG__COUNT] = {
        [REG_RELATION] = HH_REL__COUNT,     [REG_WORK_CAPACITY] = 3,
        [REG_SCHOOLING] = HH_SCHOOL__COUNT, [REG_SELFCARE] = HH_ADL__COUNT,
        [REG_INCOME_KIND] = HH_INC__COUNT,  [REG_ASSET_KIND] = HH_ASSET__COUNT};
    for (int c = 0; c < REG__COUNT; c++) {
        for (int v = 0; v < counts[c]; v++) {
            const char *n = registry_name_of((enum registry_code)c, v);
            assert_non_null(n);
            assert_int_equal(registry_code_of((enum registry_code)c, n), v);
        }
        assert_null(registry_name_of((enum registry_code)c, counts[c]));
        assert_null(registry_name_of((enum registry_code)c, -1));
        assert_int_equal(registry_code_of((enum registry_code)c, "nope"), -1);
    }
    /* the engine's numbering, spot-checked */
    assert_int_equal(registry_code_of(REG_INCOME_KIND, "ex_veterans"),
                     HH_INC_EX_VETERANS);
    assert_int_equal(registry_code_of(REG_RELATION, "child_in_law"),
                     HH_REL_CHILD_IN_LAW);
    assert_int_equal(registry_code_of(REG_ASSET_KIND, "company"),
                     HH_ASSET_COMPANY);
}

/* One bad member per row: the code and the field it names. */
TEST_CASE(test_member_checks)
{
    char id[19], card[32], other[19];
    make_id(id, "19800229", 35); /* odd sequence: male, a leap day */
    make_id(other, "19800229", 36);
    snprintf(card, sizeof(card), "%s43", id);
    struct {
        const char *what;
        struct hhj_member m;
        const char *code, *field;
    } rows[] = {
        /* clang-format off */
        {"ok", {.id_number = id, .name = "甲", .relation = "applicant", .birth_date = "1980-02-29", .sex = "M"},
         NULL, NULL},
        {"birth date", {.id_number = id, .name = "甲", .relation = "spouse", .birth_date = "1980-03-01"},
         "BIRTH_DATE_MISMATCH", "members[2].birth_date"},
        {"sex", {.id_number = id, .name = "甲", .relation = "spouse", .sex = "F"},
         "SEX_MISMATCH", "members[2].sex"},
        {"checksum", {.id_number = "500103198002290350", .name = "甲", .relation = "spouse"},
         "INVALID_ID_CHECKSUM", "members[2].id_number"},
        {"relation", {.id_number = id, .name = "甲", .relation = "cousin"},
         "UNKNOWN_CODE", "members[2].relation"},
        {"schooling", {.id_number = id, .name = "甲", .relation = "child", .schooling = "phd"},
         "UNKNOWN_CODE", "members[2].schooling"},
        {"card needed", {.id_number = id, .name = "甲", .relation = "child", .disability_category = 4, .disability_grade = 3},
         "DISABILITY_CARD_REQUIRED", "members[2].disability_card"},
        {"card category", {.id_number = id, .name = "甲", .relation = "child", .disability_category = 5, .disability_grade = 3, .disability_card = card},
         "DISABILITY_CARD_MISMATCH", "members[2].disability_category"},
        {"card of another", {.id_number = other, .name = "甲", .relation = "child", .disability_card = card},
         "DISABILITY_CARD_MISMATCH", "members[2].disability_card"},
        {"empty name", {.id_number = id, .name = "", .relation = "child"},
         "TOO_SHORT", "members[2].name"},
        {"self-care", {.id_number = id, .name = "甲", .relation = "child", .selfcare_unable = {"eating", "flying"}, .selfcare_count = 2},
         "UNKNOWN_CODE", "members[2].selfcare_unable[1]"},
        {"income twice", {.id_number = id, .name = "甲", .relation = "child", .incomes = {{"wages", 1}, {"wages", 2}}, .income_count = 2},
         "DUPLICATE_INCOME_KIND", "members[2].incomes[1].kind"},
        {"income kind", {.id_number = id, .name = "甲", .relation = "child", .incomes = {{"salary", 1}}, .income_count = 1},
         "UNKNOWN_CODE", "members[2].incomes[0].kind"},
        /* clang-format on */
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct registry_member out;
        struct dd_error err = {0};
        enum dd_status rc = registry_check_member(
            keys, ar, &rows[i].m, "members[2].", 2026, 1, 1, &out, &err);
        if (!rows[i].code) {
            assert_int_equal(rc, DD_OK);
            continue;
        }
        if (rc != DD_EINVAL || !err.code || strcmp(err.code, rows[i].code) ||
            !err.field || strcmp(err.field, rows[i].field))
            fail_msg("%s: got %s %s, want %s %s", rows[i].what,
                     err.code ? err.code : "-", err.field ? err.field : "-",
                     rows[i].code, rows[i].field);
        assert_non_null(err.message);
        assert_non_null(err.message_zh);
    }
}

/* A card alone gives the category and grade; the number is sealed, its
 * blind index is stable and keyed, the masked form is what idcard_mask
 * gives, and nothing stored holds the number. */
TEST_CASE(test_member_sealed)
{
    char id[19], card[32], masked[19], opened[64];
    make_id(id, "20100704", 42);
    snprintf(card, sizeof(card), "%s51B2", id);
    struct hhj_member m = {.id_number = id,
                           .name = "乙",
                           .relation = "child",
                           .disability_card = card};
    struct registry_member a, b;
    struct dd_error err = {0};
    assert_int_equal(
        registry_check_member(keys, ar, &m, "", 2026, 1, 1, &a, &err), DD_OK);
    assert_int_equal(
        registry_check_member(keys, ar, &m, "", 2026, 1, 1, &b, &err), DD_OK);
    assert_int_equal(a.p.disability_category, 5);
    assert_int_equal(a.p.disability_grade, 1);
    assert_string_equal(a.p.sex, "F");
    assert_string_equal(a.p.birth_date, "2010-07-04");
    idcard_mask(id, masked);
    assert_string_equal(a.p.id_masked, masked);
    assert_null(strstr(a.p.id_enc, id));
    assert_null(strstr(a.p.disability_card_enc, id));
    assert_string_not_equal(a.p.id_enc, b.p.id_enc); /* random IV */
    assert_string_equal(a.p.id_hash, b.p.id_hash);
    char want[PII_BLIND_INDEX_LEN + 1];
    pii_blind_index(keys, id, want);
    assert_string_equal(a.p.id_hash, want);
    assert_int_equal(pii_open(keys, &PII_AD_PERSON_ID(a.p.id_hash), a.p.id_enc,
                              opened, sizeof(opened)),
                     DD_OK);
    assert_string_equal(opened, id);
    assert_int_equal(pii_open(keys, &PII_AD_PERSON_CARD(a.p.id_hash),
                              a.p.disability_card_enc, opened, sizeof(opened)),
                     DD_OK);
    assert_string_equal(opened, card);
    /* a lower-case x and a 15-digit number normalise to one index */
    char x15[16] = "500103800229035";
    struct hhj_member m15 = {
        .id_number = x15, .name = "丙", .relation = "other"};
    assert_int_equal(
        registry_check_member(keys, ar, &m15, "", 2026, 1, 1, &a, &err), DD_OK);
    assert_int_equal(strlen(a.number), 18);
    pii_blind_index(keys, a.number, want);
    assert_string_equal(a.p.id_hash, want);
}

TEST_CASE(test_household_checks)
{
    char id1[19], id2[19];
    make_id(id1, "19700101", 1);
    make_id(id2, "19720101", 2);
    struct hhj_member ms[2] = {
        {.id_number = id1, .name = "甲", .relation = "applicant"},
        {.id_number = id2, .name = "乙", .relation = "spouse"},
    };
    struct hhj_asset as[1] = {
        {.kind = "vehicle", .owner_member = 1, .count = 1}};
    struct hhj_obligor ob[1] = {
        {.of_member = 0, .relation = "child", .birth_date = "2001-02-03"}};
    /* clang-format off */
    struct hhj_household in = {
        .region_code = "500103001003", .hukou_region = "500103001003",
        .urban_or_rural = "rural", .version = -1,
        .members = ms, .member_count = 2, .assets = as, .asset_count = 1,
        .obligors = ob, .obligor_count = 1};
    /* clang-format on */
    struct registry_input out;
    struct dd_error err = {0};
    assert_int_equal(
        registry_check_household(keys, ar, &in, 2026, 1, 1, &out, &err), DD_OK);
    assert_string_equal(out.h.county_code, "500103");
    assert_string_equal(out.h.urban_or_rural, "rural");
    /* §7.1: "district" (follow the hukou county) is a stored value too */
    in.urban_or_rural = "district";
    assert_int_equal(
        registry_check_household(keys, ar, &in, 2026, 1, 1, &out, &err), DD_OK);
    assert_string_equal(out.h.urban_or_rural, "district");
    in.urban_or_rural = "rural";
    assert_int_equal(
        registry_check_household(keys, ar, &in, 2026, 1, 1, &out, &err), DD_OK);
    assert_int_equal(out.asset_owner[0], 1);
    assert_int_equal(out.obligor_of[0], 0);

    struct {
        const char *what, *code, *field;
        void (*breakit)(struct hhj_household *);
    } rows[] = {
        {"two applicants", "ONE_APPLICANT", "members", NULL},
        {"duplicate", "DUPLICATE_MEMBER", "members[1].id_number", NULL},
        {"owner", "NO_SUCH_MEMBER", "assets[0].owner_member", NULL},
        {"obligor date", "INVALID_DATE", "obligors[0].birth_date", NULL},
        {"area", "UNKNOWN_CODE", "urban_or_rural", NULL},
        {"no area", "UNKNOWN_CODE", "urban_or_rural", NULL}};
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct hhj_member m2[2] = {ms[0], ms[1]};
        struct hhj_asset a2 = as[0];
        struct hhj_obligor o2 = ob[0];
        struct hhj_household h = in;
        h.members = m2;
        h.assets = &a2;
        h.obligors = &o2;
        switch (i) {
        case 0: m2[1].relation = "applicant"; break;
        case 1: m2[1].id_number = id1; break;
        case 2: a2.owner_member = 2; break;
        case 3: o2.birth_date = "2001-02-30"; break;
        case 4: h.urban_or_rural = "suburban"; break;
        case 5: h.urban_or_rural = NULL; break; /* the JSON defaults it */
        }
        memset(&err, 0, sizeof(err));
        enum dd_status rc =
            registry_check_household(keys, ar, &h, 2026, 1, 1, &out, &err);
        if (rc != DD_EINVAL || strcmp(err.code, rows[i].code) ||
            strcmp(err.field, rows[i].field))
            fail_msg("%s: got %s %s", rows[i].what, err.code ? err.code : "-",
                     err.field ? err.field : "-");
    }
}

/* The mapping onto struct household: the applicant first whatever the
 * stored order, incomes summed per member and kind, one engine entry per
 * vehicle, owners and obligors re-indexed, the area and hukou county. */
TEST_CASE(test_to_household)
{
    /* clang-format off */
    struct person_row ms[2] = {
        {.id = 7, .relation = HH_REL_CHILD, .sex = "F",
         .birth_date = "2012-05-06", .disability_category = 6,
         .disability_grade = 1, .selfcare_unable = 1 << HH_ADL_BATHING,
         .schooling = HH_SCHOOL_COMPULSORY},
        {.id = 5, .relation = HH_REL_APPLICANT, .sex = "M",
         .birth_date = "1975-01-31", .employed = 1, .major_illness = 1,
         .work_capacity = HH_WORK_PARTIAL},
    };
    /* clang-format on */
    struct income_row incs[3] = {
        {.person_id = 5, .kind = HH_INC_WAGES, .monthly_fen = 200000},
        {.person_id = 7, .kind = HH_INC_EX_SCHOLARSHIP, .monthly_fen = 5000},
        {.person_id = 5, .kind = HH_INC_RIGID_DEDUCTION, .monthly_fen = 300},
    };
    struct asset_row as[2] = {
        {.kind = HH_ASSET_VEHICLE, .owner_person_id = 7, .count = 2},
        {.kind = HH_ASSET_DEPOSIT, .value_fen = 123456, .count = 3},
    };
    struct obligor_row ob[1] = {{.of_person_id = 7,
                                 .relation = HH_REL_GRANDPARENT,
                                 .birth_date = "1950-10-10",
                                 .flags = OBLIGOR_IS_DIBAO | OBLIGOR_ASSETS_LOW,
                                 .income_monthly_fen = 70000}};
    /* clang-format off */
    struct registry_household rh = {
        .h = {.urban_or_rural = "rural", .hukou_region = "500230101001"},
        .members = ms, .member_count = 2, .incomes = incs, .income_count = 3,
        .assets = as, .asset_count = 2, .obligors = ob, .obligor_count = 1};
    /* clang-format on */
    struct household hh;
    int64_t ids[HH_MAX_MEMBERS] = {0};
    assert_int_equal(registry_to_household(&rh, "2026-12-01", &hh, ids), DD_OK);
    assert_int_equal(hh.member_count, 2);
    assert_int_equal(ids[0], 5); /* the applicant first */
    assert_int_equal(ids[1], 7);
    assert_int_equal(hh.members[0].relation, HH_REL_APPLICANT);
    assert_int_equal(hh.members[0].sex, HH_SEX_MALE);
    assert_int_equal(hh.members[0].income_fen[HH_INC_WAGES], 200000);
    assert_int_equal(hh.members[0].income_fen[HH_INC_RIGID_DEDUCTION], 300);
    assert_int_equal(hh.members[0].work_capacity, HH_WORK_PARTIAL);
    assert_int_equal(hh.members[0].major_illness, 1);
    assert_int_equal(hh.members[1].sex, HH_SEX_FEMALE);
    assert_int_equal(hh.members[1].birth_y, 2012);
    assert_int_equal(hh.members[1].birth_m, 5);
    assert_int_equal(hh.members[1].birth_d, 6);
    assert_int_equal(hh.members[1].income_fen[HH_INC_EX_SCHOLARSHIP], 5000);
    assert_int_equal(hh.members[1].selfcare_unable[HH_ADL_BATHING], 1);
    assert_int_equal(hh.members[1].selfcare_unable[HH_ADL_EATING], 0);
    assert_int_equal(hh.members[1].in_household_register, 1);
    assert_int_equal(hh.asset_count, 3); /* two vehicles, one deposit */
    assert_int_equal(hh.assets[0].owner_member, 1);
    assert_int_equal(hh.assets[1].owner_member, 1);
    assert_int_equal(hh.assets[2].owner_member, HH_ASSET_JOINT);
    assert_int_equal(hh.assets[2].value_fen, 123456);
    assert_int_equal(hh.obligor_count, 1);
    assert_int_equal(hh.obligors[0].of_member, 1);
    assert_int_equal(hh.obligors[0].is_dibao_recipient, 1);
    assert_int_equal(hh.obligors[0].assets_within_low_income_rule, 1);
    assert_int_equal(hh.obligors[0].in_prison, 0);
    assert_int_equal(hh.obligors[0].birth_y, 1950);
    assert_int_equal(hh.standard_area, HH_AREA_RURAL);
    assert_string_equal(hh.hukou_county, "500230");
    /* §7.1: "district" stands in as urban until assess_area_resolve
     * decides; a stored value outside the three does not fit */
    memcpy(rh.h.urban_or_rural, "district", 9);
    assert_int_equal(registry_to_household(&rh, "2026-12-01", &hh, NULL), DD_OK);
    assert_int_equal(hh.standard_area, HH_AREA_URBAN);
    memcpy(rh.h.urban_or_rural, "urban", 6);
    assert_int_equal(registry_to_household(&rh, "2026-12-01", &hh, NULL), DD_OK);
    assert_int_equal(hh.standard_area, HH_AREA_URBAN);
    memcpy(rh.h.urban_or_rural, "town", 5);
    assert_int_equal(registry_to_household(&rh, "2026-12-01", &hh, NULL), DD_EINVAL);
    memcpy(rh.h.urban_or_rural, "rural", 6);
    /* an income of someone not in the household does not fit */
    incs[1].person_id = 99;
    assert_int_equal(registry_to_household(&rh, "2026-12-01", &hh, NULL), DD_EINVAL);
    incs[1].person_id = 7;
    /* the child's death recorded: the household is the applicant alone,
     * with his own incomes; the vehicles the child owned are the
     * household's; the child's obligor is nobody's */
    memcpy(ms[0].died_on, "2026-10-03", 11);
    assert_string_equal(registry_applicant_died(&rh, "2026-12-01"), "");
    memset(ids, 0, sizeof(ids));
    assert_int_equal(registry_to_household(&rh, "2026-12-01", &hh, ids), DD_OK);
    assert_int_equal(hh.member_count, 1);
    assert_int_equal(ids[0], 5);
    assert_int_equal(ids[1], 0);
    assert_int_equal(hh.members[0].relation, HH_REL_APPLICANT);
    assert_int_equal(hh.members[0].income_fen[HH_INC_WAGES], 200000);
    assert_int_equal(hh.members[0].income_fen[HH_INC_EX_SCHOLARSHIP], 0);
    assert_int_equal(hh.asset_count, 3);
    assert_int_equal(hh.assets[0].owner_member, HH_ASSET_JOINT);
    assert_int_equal(hh.assets[1].owner_member, HH_ASSET_JOINT);
    assert_int_equal(hh.obligor_count, 0);
    /* the applicant's death recorded: refused until the file names a
     * living applicant, with the day in the error */
    ms[0].died_on[0] = '\0';
    memcpy(ms[1].died_on, "2026-11-20", 11);
    assert_string_equal(registry_applicant_died(&rh, "2026-12-01"), "2026-11-20");
    assert_int_equal(registry_to_household(&rh, "2026-12-01", &hh, NULL), DD_EREFUSED);
    struct dd_error err = {0};
    registry_applicant_died_error(&rh, "2026-12-01", ar, &err);
    assert_string_equal(err.code, "APPLICANT_DECEASED");
    assert_string_equal(err.field, "members");
    assert_non_null(strstr(err.message_zh, "2026-11-20"));
    /* as on a day before his death: both counted */
    assert_string_equal(registry_applicant_died(&rh, "2026-11-19"), "");
    assert_int_equal(registry_to_household(&rh, "2026-11-19", &hh, NULL), DD_OK);
    assert_int_equal(hh.member_count, 2);
}

/* The body decoder: structure errors name the full JSON path. */
TEST_CASE(test_decode_paths)
{
    struct {
        const char *body, *code, *field;
    } rows[] = {
        {"{\"region_code\":\"500103001003\",\"hukou_region\":\"500103001003\","
         "\"urban_or_rural\":\"urban\",\"members\":[{\"id_number\":\"x\","
         "\"name\":\"a\",\"relation\":\"applicant\",\"nick\":1}]}",
         "UNKNOWN_FIELD", "members[0].nick"},
        {"{\"region_code\":\"500103001003\",\"hukou_region\":\"500103001003\","
         "\"urban_or_rural\":\"urban\",\"members\":[{\"id_number\":\"x\","
         "\"name\":\"a\"}]}",
         "MISSING_FIELD", "members[0].relation"},
        {"{\"region_code\":\"500103001003\",\"hukou_region\":\"500103001003\","
         "\"urban_or_rural\":\"urban\",\"assets\":[{\"kind\":\"deposit\","
         "\"value_fen\":\"12\"}]}",
         "WRONG_TYPE", "assets[0].value_fen"},
        {"{\"region_code\":\"500103001003\",\"hukou_region\":\"500103001003\","
         "\"urban_or_rural\":\"urban\",\"obligors\":[{\"of_member\":0,"
         "\"relation\":\"child\",\"income_monthly_fen\":-1}]}",
         "OUT_OF_RANGE", "obligors[0].income_monthly_fen"},
        {"{\"region_code\":\"500103001003\",\"hukou_region\":\"500103001003\","
         "\"urban_or_rural\":\"urban\",\"members\":[{\"id_number\":\"x\","
         "\"name\":\"a\",\"relation\":\"applicant\",\"incomes\":[{\"kind\":"
         "\"wages\"}]}]}",
         "MISSING_FIELD", "members[0].incomes[0].monthly_fen"},
        {"{\"region_code\":\"500103001003\",\"urban_or_rural\":\"urban\"}",
         "MISSING_FIELD", "hukou_region"},
        {"{\"region_code\":\"500103001003\",\"hukou_region\":\"500103001003\","
         "\"urban_or_rural\":\"urban\",\"members\":{}}",
         "WRONG_TYPE", "members"},
        {"[1]", "NOT_AN_OBJECT", NULL},
        {"{\"a\":1,\"a\":2}", "MALFORMED_JSON", NULL},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct hhj_household h;
        struct dd_error err = {0};
        enum dd_status rc = json_registry_decode_household(
            ar, rows[i].body, strlen(rows[i].body), &h, &err);
        if (rc != DD_EINVAL || !err.code || strcmp(err.code, rows[i].code) ||
            (rows[i].field ? !err.field || strcmp(err.field, rows[i].field)
                           : err.field != NULL))
            fail_msg("row %zu: got %s %s, want %s %s", i,
                     err.code ? err.code : "-", err.field ? err.field : "-",
                     rows[i].code, rows[i].field ? rows[i].field : "null");
    }
    /* 17 members are too many */
    char big[8192];
    size_t n = (size_t)snprintf(big, sizeof(big),
                                "{\"region_code\":\"1\",\"hukou_region\":"
                                "\"1\",\"urban_or_rural\":\"u\","
                                "\"members\":[");
    for (int i = 0; i < 17; i++)
        n += (size_t)snprintf(big + n, sizeof(big) - n,
                              "%s{\"id_number\":\"x\",\"name\":\"a\","
                              "\"relation\":\"other\"}",
                              i ? "," : "");
    snprintf(big + n, sizeof(big) - n, "]}");
    struct hhj_household h;
    struct dd_error err = {0};
    assert_int_equal(
        json_registry_decode_household(ar, big, strlen(big), &h, &err),
        DD_EINVAL);
    assert_string_equal(err.code, "TOO_MANY");
    assert_string_equal(err.field, "members");
    /* a GET reply's read-only fields may be sent back */
    const char *ok =
        "{\"id\":3,\"status\":\"active\",\"version\":2,\"region_code\":"
        "\"500103001003\",\"hukou_region\":\"500103001003\","
        "\"urban_or_rural\":\"urban\",\"members\":[{\"id\":9,\"active\":true,"
        "\"id_number\":\"x\",\"name\":\"a\",\"relation\":\"applicant\","
        "\"selfcare_unable\":[\"bed\"],\"incomes\":[{\"kind\":\"wages\","
        "\"monthly_fen\":5}]}],\"assets\":[{\"id\":1,\"kind\":\"shop\","
        "\"owner_member\":null}]}";
    assert_int_equal(
        json_registry_decode_household(ar, ok, strlen(ok), &h, &err), DD_OK);
    assert_int_equal(h.version, 2);
    assert_int_equal(h.member_count, 1);
    assert_int_equal(h.members[0].selfcare_count, 1);
    assert_int_equal(h.members[0].income_count, 1);
    assert_int_equal(h.members[0].incomes[0].monthly_fen, 5);
    assert_int_equal(h.asset_count, 1);
    assert_int_equal(h.assets[0].owner_member, -1);
    assert_int_equal(h.assets[0].count, 1);
    assert_string_equal(h.urban_or_rural, "urban");
    /* omitted (or null), urban_or_rural follows the district (§7.1) */
    static const char *const bodies[] = {
        "{\"region_code\":\"500103001003\",\"hukou_region\":"
        "\"500103001003\",\"members\":[]}",
        "{\"region_code\":\"500103001003\",\"hukou_region\":"
        "\"500103001003\",\"urban_or_rural\":null,\"members\":[]}"};
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(json_registry_decode_household(
                             ar, bodies[i], strlen(bodies[i]), &h, &err),
                         DD_OK);
        assert_string_equal(h.urban_or_rural, "district");
    }
}

UNIT_TESTS(setup, teardown, cmocka_unit_test(test_codes_round_trip),
           cmocka_unit_test(test_member_checks),
           cmocka_unit_test(test_member_sealed),
           cmocka_unit_test(test_household_checks),
           cmocka_unit_test(test_to_household),
           cmocka_unit_test(test_decode_paths))
