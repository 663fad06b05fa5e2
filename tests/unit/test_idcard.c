/* SPDX-License-Identifier: MIT */
/* Citizen ID numbers, residence permits and disability card numbers, table
 * by table, from cases worked by hand from domain.md §8 and GB 11643-1999.
 *
 * How the check characters below were worked: S = Σ dᵢ·wᵢ over the first
 * 17 digits with the weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, then
 * "10X98765432"[S mod 11]. Each case gives its S and S mod 11; two are
 * written out term by term as a pattern for the rest:
 *   11010519491231002: 1·7 + 1·9 + 0·10 + 1·5 + 0·8 + 5·4 + 1·2 + 9·1 + 4·6
 *     + 9·3 + 1·7 + 2·9 + 3·10 + 1·5 + 0·8 + 0·4 + 2·2
 *     = 7+9+5+20+2+9+24+27+7+18+30+5+4 = 167 = 15·11 + 2 → 'X'
 *     (and GB 11643-1999 Annex A gives 11010519491231002X).
 *   50010319900307123: 5·7 + 1·5 + 3·4 + 1·2 + 9·1 + 9·6 + 0·3 + 0·7 + 3·9
 *     + 0·10 + 7·5 + 1·8 + 2·4 + 3·2 = 35+5+12+2+9+54+27+35+8+8+6 = 201
 *     = 18·11 + 3 → '9'.
 * Changing only the 17th digit by one changes S by its weight, 2. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "unit_main.h"

#include "domain/idcard.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* "Today" for every parse below. */
enum { TY = 2024, TM = 6, TD = 15 };

/* A value idcard_parse never writes into err->field, so that a parse that
 * forgets to clear it is caught. */
static const char not_cleared[] = "not cleared";

struct valid_case {
    const char *text;
    const char *number; /* the normalised 18 characters */
    int y, m, d;
    char sex;
    const char *region;
    enum idcard_kind kind;
    int upgraded;
};

static const struct valid_case valid_cases[] = {
    /* GB 11643-1999 Annex A: S=167, r=2 → X; sequence 002 even → F */
    {"11010519491231002X", "11010519491231002X", 1949, 12, 31, 'F', "110105",
     IDCARD_RESIDENT, 0},
    /* the same with a lower-case x: accepted, stored upper case (§8) */
    {"11010519491231002x", "11010519491231002X", 1949, 12, 31, 'F', "110105",
     IDCARD_RESIDENT, 0},
    /* 渝中: S=156, r=2 → X; sequence 123 odd → M */
    {"50010319830101123X", "50010319830101123X", 1983, 1, 1, 'M', "500103",
     IDCARD_RESIDENT, 0},
    /* S=201, r=3 → 9 (worked above) */
    {"500103199003071239", "500103199003071239", 1990, 3, 7, 'M', "500103",
     IDCARD_RESIDENT, 0},
    /* 29 Feb 2000: 2000 is a leap year (divisible by 400). S=147, r=4 → 8 */
    {"500103200002290048", "500103200002290048", 2000, 2, 29, 'F', "500103",
     IDCARD_RESIDENT, 0},
    /* the first day allowed, 1900-01-01: S=70, r=4 → 8 */
    {"110105190001010028", "110105190001010028", 1900, 1, 1, 'F', "110105",
     IDCARD_RESIDENT, 0},
    /* born today (2024-06-15) is allowed: S=162, r=8 → 4 */
    {"110105202406150024", "110105202406150024", 2024, 6, 15, 'F', "110105",
     IDCARD_RESIDENT, 0},
    /* province boundaries: 15 (S=176, r=0 → 1), 65 (S=256, r=3 → 9),
     * 21 (S=113, r=3 → 9), 23 (S=133, r=1 → 0), 31 (S=120, r=10 → 2),
     * 37 (S=180, r=4 → 8), 41 (S=135, r=3 → 9), 46 (S=154, r=0 → 1),
     * 54 (S=155, r=1 → 0), 61 (S=133, r=1 → 0) */
    {"150102197503100031", "150102197503100031", 1975, 3, 10, 'M', "150102",
     IDCARD_RESIDENT, 0},
    {"650102198805200049", "650102198805200049", 1988, 5, 20, 'F', "650102",
     IDCARD_RESIDENT, 0},
    {"210102197001010059", "210102197001010059", 1970, 1, 1, 'M', "210102",
     IDCARD_RESIDENT, 0},
    {"230102197001010060", "230102197001010060", 1970, 1, 1, 'F', "230102",
     IDCARD_RESIDENT, 0},
    {"310101197001010072", "310101197001010072", 1970, 1, 1, 'M', "310101",
     IDCARD_RESIDENT, 0},
    {"370102197001010088", "370102197001010088", 1970, 1, 1, 'F', "370102",
     IDCARD_RESIDENT, 0},
    {"410102197001010099", "410102197001010099", 1970, 1, 1, 'M', "410102",
     IDCARD_RESIDENT, 0},
    {"460100197001010001", "460100197001010001", 1970, 1, 1, 'F', "460100",
     IDCARD_RESIDENT, 0},
    {"540102197001010020", "540102197001010020", 1970, 1, 1, 'F', "540102",
     IDCARD_RESIDENT, 0},
    {"610102197001010010", "610102197001010010", 1970, 1, 1, 'M', "610102",
     IDCARD_RESIDENT, 0},
    /* 15 digits (GB 11643-1989): insert "19" → 50010319800101123,
     * S=147, r=4 → 8; sequence 123 → M */
    {"500103800101123", "500103198001011238", 1980, 1, 1, 'M', "500103",
     IDCARD_RESIDENT, 1},
    /* 15 digits, even sequence: 11010519491231002 as above → X */
    {"110105491231002", "11010519491231002X", 1949, 12, 31, 'F', "110105",
     IDCARD_RESIDENT, 1},
    /* 港澳台居民居住证 (§8): HK S=253, r=0 → 1; MO S=103, r=4 → 8;
     * TW S=248, r=6 → 6 */
    {"810000199408230021", "810000199408230021", 1994, 8, 23, 'F', "810000",
     IDCARD_PERMIT_HK, 0},
    {"820000200101010048", "820000200101010048", 2001, 1, 1, 'F', "820000",
     IDCARD_PERMIT_MO, 0},
    {"830000198506150016", "830000198506150016", 1985, 6, 15, 'M', "830000",
     IDCARD_PERMIT_TW, 0},
};

TEST_CASE(test_parse_valid)
{
    for (size_t i = 0; i < COUNT(valid_cases); i++) {
        const struct valid_case *c = &valid_cases[i];
        struct idcard id;
        struct dd_error err = {0};
        memset(&id, 0x5a, sizeof id);
        enum dd_status st = idcard_parse(c->text, TY, TM, TD, &id, &err);
        if (st != DD_OK)
            print_error("case %s: %s\n", c->text, err.code ? err.code : "?");
        assert_int_equal(st, DD_OK);
        assert_string_equal(id.number, c->number);
        assert_int_equal(id.birth_year, c->y);
        assert_int_equal(id.birth_month, c->m);
        assert_int_equal(id.birth_day, c->d);
        assert_int_equal(id.sex, c->sex);
        assert_string_equal(id.region, c->region);
        assert_int_equal(id.kind, c->kind);
        assert_int_equal(id.upgraded_from_15, c->upgraded);
    }
}

struct reject_case {
    const char *text;
    const char *code;
};

static const struct reject_case reject_cases[] = {
    /* length: only 18 or 15; nothing is trimmed */
    {"", "INVALID_ID_LENGTH"},
    {"11010519491231002", "INVALID_ID_LENGTH"},   /* 17 */
    {"11010519491231002X1", "INVALID_ID_LENGTH"}, /* 19 */
    {"1101051949123100", "INVALID_ID_LENGTH"},    /* 16 */
    {"11010549123100", "INVALID_ID_LENGTH"},      /* 14 */
    {" 11010519491231002X", "INVALID_ID_LENGTH"}, /* leading space */
    {"11010519491231002X ", "INVALID_ID_LENGTH"}, /* trailing space */
    {"11010519491231002X11010519491231002X", "INVALID_ID_LENGTH"},
    /* a full-width first digit (3 UTF-8 bytes, octal escapes) makes 20 */
    {"\357\274\2211010519491231002X", "INVALID_ID_LENGTH"},
    /* format: digits, and X only last */
    {"1101051949123100AX", "INVALID_ID_FORMAT"},
    {"X1010519491231002X", "INVALID_ID_FORMAT"},
    {"11010519491231002Y", "INVALID_ID_FORMAT"},
    {"1101051949 231002X", "INVALID_ID_FORMAT"},
    {"11010519491231002 ", "INVALID_ID_FORMAT"}, /* 18 with a space */
    {"-1010519491231002X", "INVALID_ID_FORMAT"},
    {"50010380010112X", "INVALID_ID_FORMAT"}, /* 15 digits have no check */
    {"5001038001011 3", "INVALID_ID_FORMAT"},
    /* checksum: the Annex A number with 1 for X (S=167 → X, not 1) */
    {"110105194912310021", "INVALID_ID_CHECKSUM"},
    /* "31" transposed to "13": MOD 11-2 catches every adjacent
     * transposition, and the checksum is checked before the date */
    {"11010519491213002X", "INVALID_ID_CHECKSUM"},
    /* the 500103...1239 case with its last digit off by one */
    {"500103199003071238", "INVALID_ID_CHECKSUM"},
    /* an X where the check is 9 */
    {"50010319900307123X", "INVALID_ID_CHECKSUM"},
    /* region: first two digits not a province (all with correct checks):
     * 99 S=295 r=9 → 3; 71 S=184 r=8 → 4; 16 S=212 r=3 → 9;
     * 47 S=242 r=0 → 1; 55 S=231 r=0 → 1; 66 S=247 r=5 → 7;
     * 10 S=158 r=4 → 8; 84 S=280 r=5 → 7 */
    {"990105194912310023", "INVALID_ID_REGION"},
    {"710000194912310024", "INVALID_ID_REGION"},
    {"160105194912310029", "INVALID_ID_REGION"},
    {"470105194912310021", "INVALID_ID_REGION"},
    {"550105194912310021", "INVALID_ID_REGION"},
    {"660105194912310027", "INVALID_ID_REGION"},
    {"100105194912310028", "INVALID_ID_REGION"},
    {"840000199408230027", "INVALID_ID_REGION"},
    /* a permit prefix must be exactly 810000: 810001, S=257 r=4 → 8 */
    {"810001199408230028", "INVALID_ID_REGION"},
    /* 15-digit numbers predate the permits (2018) */
    {"810000940823002", "INVALID_ID_REGION"},
    /* birth date: 30 Feb (S=155 r=1 → 0); month 13 (S=146 r=3 → 9);
     * 29 Feb 1999 (S=220 r=0 → 1); 29 Feb 1900, not a leap year as a
     * century not divisible by 400 (S=139 r=7 → 5); month 00 (S=112 r=2
     * → X); day 00 (S=132 r=0 → 1); 31 Apr (S=178 r=2 → X) */
    {"110105194902300020", "INVALID_ID_BIRTH_DATE"},
    {"110105194913010029", "INVALID_ID_BIRTH_DATE"},
    {"110105199902290021", "INVALID_ID_BIRTH_DATE"},
    {"110105190002290025", "INVALID_ID_BIRTH_DATE"},
    {"11010519490001002X", "INVALID_ID_BIRTH_DATE"},
    {"110105194912000021", "INVALID_ID_BIRTH_DATE"},
    {"11010519490431002X", "INVALID_ID_BIRTH_DATE"},
    /* before 1900: 1899-12-31 (S=196 r=9 → 3), and Annex A's own second
     * example, born 1880 (S=195 r=8 → 4) */
    {"110105189912310023", "INVALID_ID_BIRTH_DATE"},
    {"440524188001010014", "INVALID_ID_BIRTH_DATE"},
    /* after today: 2024-06-16 (S=167 r=2 → X) */
    {"11010520240616002X", "INVALID_ID_BIRTH_DATE"},
    /* 15 digits upgrade to 1900-02-29, which does not exist */
    {"110105000229002", "INVALID_ID_BIRTH_DATE"},
    /* 15 digits with month 13 */
    {"110105491301002", "INVALID_ID_BIRTH_DATE"},
};

TEST_CASE(test_parse_rejects)
{
    for (size_t i = 0; i < COUNT(reject_cases); i++) {
        const struct reject_case *c = &reject_cases[i];
        struct idcard id;
        struct dd_error err = {.field = not_cleared};
        enum dd_status st = idcard_parse(c->text, TY, TM, TD, &id, &err);
        if (st != DD_EINVAL || !err.code || strcmp(err.code, c->code) != 0)
            print_error("case \"%s\": want %s, got %s %s\n", c->text, c->code,
                        dd_status_name(st), err.code ? err.code : "(none)");
        assert_int_equal(st, DD_EINVAL);
        assert_non_null(err.code);
        assert_string_equal(err.code, c->code);
        assert_null(err.field);
        assert_non_null(err.message);
        assert_non_null(err.message_zh);
        assert_true(strlen(err.message) > 0);
        assert_true(strlen(err.message_zh) > 0);
    }
}

/* today moves the after-today boundary; NULLs and a NULL err. */
TEST_CASE(test_parse_edges)
{
    struct idcard id;
    struct dd_error err = {0};

    /* born 2024-06-16: rejected on the 15th (above), accepted on the 16th
     * and in a later year */
    assert_int_equal(idcard_parse("11010520240616002X", 2024, 6, 16, &id, &err),
                     DD_OK);
    assert_int_equal(idcard_parse("11010520240616002X", 2025, 1, 1, &id, &err),
                     DD_OK);
    assert_int_equal(idcard_parse("11010520240616002X", 2024, 5, 31, &id, &err),
                     DD_EINVAL);
    assert_string_equal(err.code, "INVALID_ID_BIRTH_DATE");

    err.code = NULL;
    assert_int_equal(idcard_parse(NULL, TY, TM, TD, &id, &err), DD_EINVAL);
    assert_string_equal(err.code, "INVALID_ID_LENGTH");
    assert_int_equal(idcard_parse("110105194912310021", TY, TM, TD, &id, NULL),
                     DD_EINVAL);
    assert_int_equal(idcard_parse("11010519491231002X", TY, TM, TD, NULL, &err),
                     DD_EINTERNAL);
}

/* GB 11643-1999 §5.4: the 17th digit's parity gives the sex. The numbers
 * are 5001031990030712d: S = 195 + 2d (S=195 for d=0 as above minus 3·2),
 * so the checks run 4 2 0 9 7 5 3 1 X 8 (r = 8 10 1 3 5 7 9 0 2 4). */
TEST_CASE(test_sex)
{
    static const struct {
        const char *text;
        char sex;
    } cases[] = {
        {"500103199003071204", 'F'}, {"500103199003071212", 'M'},
        {"500103199003071220", 'F'}, {"500103199003071239", 'M'},
        {"500103199003071247", 'F'}, {"500103199003071255", 'M'},
        {"500103199003071263", 'F'}, {"500103199003071271", 'M'},
        {"50010319900307128X", 'F'}, {"500103199003071298", 'M'},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        struct idcard id;
        struct dd_error err = {0};
        id.sex = '?';
        assert_int_equal(idcard_parse(cases[i].text, TY, TM, TD, &id, &err),
                         DD_OK);
        assert_int_equal(id.sex, cases[i].sex);
    }
}

/* Every remainder 0-10 once, so every entry of "10X98765432" is used
 * (S and r as in the tables above). */
TEST_CASE(test_check_char)
{
    static const struct {
        const char *first17;
        int check;
    } cases[] = {
        {"50010319900307127", '1'}, /* r=0 */
        {"50010319900307122", '0'}, /* r=1 */
        {"11010519491231002", 'X'}, /* r=2 */
        {"50010319900307123", '9'}, /* r=3 */
        {"50010319900307124", '7'}, /* r=5 */
        {"50010319900307129", '8'}, /* r=4 */
        {"83000019850615001", '6'}, /* r=6 */
        {"50010319900307125", '5'}, /* r=7 */
        {"50010319900307120", '4'}, /* r=8 */
        {"50010319900307126", '3'}, /* r=9 */
        {"50010319900307121", '2'}, /* r=10 */
        /* only the first 17 are read */
        {"11010519491231002Z", 'X'},
        /* not 17 digits */
        {"1101051949123100", 0},
        {"1101051949123100A", 0},
        {"", 0},
    };
    for (size_t i = 0; i < COUNT(cases); i++)
        assert_int_equal(idcard_check_char(cases[i].first17), cases[i].check);
    assert_int_equal(idcard_check_char(NULL), 0);
}

TEST_CASE(test_mask)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"50010319830101123X", "500103********123X"},
        {"11010519491231002X", "110105********002X"},
        {"810000199408230021", "810000********0021"},
        /* not 18 characters: nothing shown */
        {"50010319830101123", "******************"},
        {"50010319830101123X1", "******************"},
        {"", "******************"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        char out[19];
        memset(out, '#', sizeof out);
        idcard_mask(cases[i].in, out);
        assert_string_equal(out, cases[i].out);
    }
    char out[19];
    idcard_mask(NULL, out);
    assert_string_equal(out, "******************");
}

TEST_CASE(test_age)
{
    static const struct {
        const char *number;
        int y, m, d, age;
    } cases[] = {
        /* born 1949-12-31 */
        {"11010519491231002X", 2024, 12, 30, 74}, /* the day before */
        {"11010519491231002X", 2024, 12, 31, 75}, /* the birthday */
        {"11010519491231002X", 2025, 1, 1, 75},   /* the day after */
        {"11010519491231002X", 1949, 12, 31, 0},
        {"11010519491231002X", 1949, 12, 30, -1}, /* before birth */
        /* born 1990-03-07 */
        {"500103199003071239", 2024, 3, 6, 33},
        {"500103199003071239", 2024, 3, 7, 34},
        {"500103199003071239", 2024, 3, 8, 34},
        {"500103199003071239", 2024, 2, 7, 33}, /* a month before */
        /* born 2000-02-29: in a non-leap year the age turns on 1 March */
        {"500103200002290048", 2023, 2, 28, 22},
        {"500103200002290048", 2023, 3, 1, 23},
        {"500103200002290048", 2024, 2, 28, 23},
        {"500103200002290048", 2024, 2, 29, 24}, /* leap year: on the day */
        {"500103200002290048", 2001, 2, 28, 0},
        {"500103200002290048", 2001, 3, 1, 1},
        {"500103200002290048", 2000, 2, 28, -1},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        struct idcard id;
        struct dd_error err = {0};
        assert_int_equal(idcard_parse(cases[i].number, TY, TM, TD, &id, &err),
                         DD_OK);
        int age = idcard_age_on(&id, cases[i].y, cases[i].m, cases[i].d);
        if (age != cases[i].age)
            print_error("case %s on %04d-%02d-%02d\n", cases[i].number,
                        cases[i].y, cases[i].m, cases[i].d);
        assert_int_equal(age, cases[i].age);
    }
}

/* domain.md §8: ID(18) + category [1-7] + grade [1-4] (+ B and a digit).
 * The holder below is 50010319830101123X (worked above). */
TEST_CASE(test_disability_card)
{
    static const char holder[] = "50010319830101123X";
    static const struct {
        const char *text;
        const char *code; /* NULL: valid */
        int category, grade;
    } cases[] = {
        {"50010319830101123X11", NULL, 1, 1},
        {"50010319830101123X74", NULL, 7, 4},
        {"50010319830101123X42", NULL, 4, 2},
        {"50010319830101123X74B1", NULL, 7, 4},
        {"50010319830101123X53B9", NULL, 5, 3},
        /* the card's own x may be lower case, as may its b */
        {"50010319830101123x24b2", NULL, 2, 4},
        /* category or grade out of range */
        {"50010319830101123X01", "DISABILITY_CARD_INVALID", 0, 0},
        {"50010319830101123X81", "DISABILITY_CARD_INVALID", 0, 0},
        {"50010319830101123X90", "DISABILITY_CARD_INVALID", 0, 0},
        {"50010319830101123X10", "DISABILITY_CARD_INVALID", 0, 0},
        {"50010319830101123X15", "DISABILITY_CARD_INVALID", 0, 0},
        {"50010319830101123XA1", "DISABILITY_CARD_INVALID", 0, 0},
        /* length: 18, 19, 21, 23 */
        {"50010319830101123X", "DISABILITY_CARD_INVALID", 0, 0},
        {"50010319830101123X1", "DISABILITY_CARD_INVALID", 0, 0},
        {"50010319830101123X11B", "DISABILITY_CARD_INVALID", 0, 0},
        {"50010319830101123X11B12", "DISABILITY_CARD_INVALID", 0, 0},
        {"", "DISABILITY_CARD_INVALID", 0, 0},
        {" 50010319830101123X11", "DISABILITY_CARD_INVALID", 0, 0},
        /* the suffix: B and 1-9 only */
        {"50010319830101123X11C1", "DISABILITY_CARD_INVALID", 0, 0},
        {"50010319830101123X11B0", "DISABILITY_CARD_INVALID", 0, 0},
        {"50010319830101123X11BX", "DISABILITY_CARD_INVALID", 0, 0},
        {"50010319830101123X111B", "DISABILITY_CARD_INVALID", 0, 0},
        /* a non-digit in the ID part */
        {"5001031983010112XX11", "DISABILITY_CARD_INVALID", 0, 0},
        {"50010319830101123Y11", "DISABILITY_CARD_INVALID", 0, 0},
        /* well formed, another person's ID number */
        {"50010319900307123911", "DISABILITY_CARD_MISMATCH", 0, 0},
        {"50010319900307123974B1", "DISABILITY_CARD_MISMATCH", 0, 0},
        {"50010319830101123011", "DISABILITY_CARD_MISMATCH", 0, 0},
        /* malformed and another's: the form is judged first */
        {"50010319900307123981", "DISABILITY_CARD_INVALID", 0, 0},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        int category = -1, grade = -1;
        struct dd_error err = {.field = not_cleared};
        enum dd_status st = idcard_disability_card_parse(
            cases[i].text, holder, &category, &grade, &err);
        if (cases[i].code == NULL) {
            if (st != DD_OK)
                print_error("case %s: %s\n", cases[i].text,
                            err.code ? err.code : "?");
            assert_int_equal(st, DD_OK);
            assert_int_equal(category, cases[i].category);
            assert_int_equal(grade, cases[i].grade);
        } else {
            if (st != DD_EINVAL || !err.code ||
                strcmp(err.code, cases[i].code) != 0)
                print_error("case \"%s\": want %s\n", cases[i].text,
                            cases[i].code);
            assert_int_equal(st, DD_EINVAL);
            assert_string_equal(err.code, cases[i].code);
            assert_null(err.field);
            assert_non_null(err.message);
            assert_non_null(err.message_zh);
            /* nothing written on failure */
            assert_int_equal(category, -1);
            assert_int_equal(grade, -1);
        }
    }

    /* a lower-case x in the holder's number still matches */
    int category = 0, grade = 0;
    struct dd_error err = {0};
    assert_int_equal(idcard_disability_card_parse("50010319830101123X32",
                                                  "50010319830101123x",
                                                  &category, &grade, &err),
                     DD_OK);
    assert_int_equal(category, 3);
    assert_int_equal(grade, 2);
    /* no holder number, or a short one: mismatch */
    assert_int_equal(idcard_disability_card_parse("50010319830101123X32", NULL,
                                                  &category, &grade, &err),
                     DD_EINVAL);
    assert_string_equal(err.code, "DISABILITY_CARD_MISMATCH");
    err.code = NULL;
    assert_int_equal(idcard_disability_card_parse("50010319830101123X32",
                                                  "50010319830101123",
                                                  &category, &grade, &err),
                     DD_EINVAL);
    assert_string_equal(err.code, "DISABILITY_CARD_MISMATCH");
    assert_int_equal(
        idcard_disability_card_parse(NULL, holder, &category, &grade, NULL),
        DD_EINVAL);
}

TEST_CASE(test_category_names)
{
    /* domain.md §8 */
    static const char *const en[] = {"visual",   "hearing",      "speech",
                                     "physical", "intellectual", "mental",
                                     "multiple"};
    static const char *const zh[] = {"视力", "听力", "言语", "肢体",
                                     "智力", "精神", "多重"};
    for (int c = 1; c <= 7; c++) {
        assert_string_equal(idcard_disability_category_name(c, 0), en[c - 1]);
        assert_string_equal(idcard_disability_category_name(c, 1), zh[c - 1]);
    }
    assert_null(idcard_disability_category_name(0, 0));
    assert_null(idcard_disability_category_name(8, 1));
    assert_null(idcard_disability_category_name(-1, 0));
}

UNIT_TESTS(NULL, NULL, cmocka_unit_test(test_parse_valid),
           cmocka_unit_test(test_parse_rejects),
           cmocka_unit_test(test_parse_edges), cmocka_unit_test(test_sex),
           cmocka_unit_test(test_check_char), cmocka_unit_test(test_mask),
           cmocka_unit_test(test_age), cmocka_unit_test(test_disability_card),
           cmocka_unit_test(test_category_names))
