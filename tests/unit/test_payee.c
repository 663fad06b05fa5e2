/* SPDX-License-Identifier: MIT */
/* Payee accounts, worked by hand.
 *
 * Luhn (mod 10): reading from the right, the check digit is kept, the
 * digit before it doubled, and so on alternately; a doubled digit over 9
 * has 9 taken off; the number is valid when the sum is a multiple of 10.
 *
 * The known answer 79927398713 (ISO/IEC 7812-1's example): from the
 * right 3 1 7 8 9 3 7 2 9 9 7;
 *   doubled 1→2, 8→16→7, 3→6, 2→4, 9→18→9           = 28
 *   kept    3, 7, 9, 7, 9, 7                         = 42
 *   28 + 42 = 70: valid. With the last digit 0 the sum is 67, with 4
 *   it is 71: invalid.
 *
 * A UnionPay-format debit card, payload 622202123456789012 (18 digits):
 * from the right 2 1 0 9 8 7 6 5 4 3 2 1 2 0 2 2 2 6, the payload's last
 * digit doubled (it sits before the check digit);
 *   doubled 2→4, 0→0, 8→16→7, 6→12→3, 4→8, 2→4, 2→4, 2→4, 2→4 = 38
 *   kept    1, 9, 7, 5, 3, 1, 0, 2, 6                        = 34
 *   38 + 34 = 72; check (10 − 2) mod 10 = 8: 6222021234567890128.
 * The same with 01 swapped to 10 (…9021 + 8): doubled 1→2, 0, 8→7,
 * 6→3, 4→8, 2→4, 2→4, 2→4, 2→4 = 36; kept 2, 9, 7, 5, 3, 1, 0, 2, 6 =
 * 35; with the check 8: 36 + 35 + 8 = 79: invalid.
 * A 16-digit card, payload 622202123456789: from the right
 * 9 8 7 6 5 4 3 2 1 2 0 2 2 2 6;
 *   doubled 9→18→9, 7→14→5, 5→10→1, 3→6, 1→2, 0→0, 2→4, 6→12→3 = 30
 *   kept    8, 6, 4, 2, 2, 2, 2                                = 26
 *   56; check (10 − 6) = 4: 6222021234567894. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "unit_main.h"

#include "domain/household.h"
#include "domain/payee.h"

static void
test_luhn_known_answers(void **state)
{
    (void)state;
    assert_true(payee_luhn_ok("79927398713"));
    assert_false(payee_luhn_ok("79927398710")); /* sum 67 */
    assert_false(payee_luhn_ok("79927398714")); /* sum 71 */
    assert_int_equal(payee_luhn_digit("7992739871"), '3');
    assert_int_equal(payee_luhn_digit("622202123456789012"), '8');
    assert_true(payee_luhn_ok("6222021234567890128"));
    assert_false(payee_luhn_ok("6222021234567890127"));
    assert_int_equal(payee_luhn_digit("622202123456789"), '4');
    assert_true(payee_luhn_ok("6222021234567894"));
    /* two adjacent digits swapped (…9012 → …9021): sum 79 */
    assert_false(payee_luhn_ok("6222021234567890218"));
    /* not digits, or too short */
    assert_int_equal(payee_luhn_digit("62220a"), 0);
    assert_int_equal(payee_luhn_digit(""), 0);
    assert_false(payee_luhn_ok("0"));
    assert_false(payee_luhn_ok("7992 7398 713"));
}

static void
test_account_check(void **state)
{
    (void)state;
    static const struct {
        enum payee_kind kind;
        const char *number;
        int luhn;
        const char *code; /* NULL: DD_OK */
    } cases[] = {
        {PAYEE_BANK_CARD, "6222021234567890128", 1, NULL}, /* 19, valid */
        {PAYEE_BANK_CARD, "6222021234567894", 1, NULL},    /* 16, valid */
        {PAYEE_BANK_CARD, "6222021234567890127", 1, "ACCOUNT_CHECK_DIGIT"},
        {PAYEE_BANK_CARD, "6222021234567890127", 0, NULL},         /* no Luhn */
        {PAYEE_BANK_CARD, "622202123456789", 0, "ACCOUNT_LENGTH"}, /* 15 */
        {PAYEE_BANK_CARD, "62220212345678901280", 0, "ACCOUNT_LENGTH"}, /* 20 */
        {PAYEE_BANK_CARD, "6222 0212 3456 7894", 1, "ACCOUNT_NOT_DIGITS"},
        {PAYEE_BANK_CARD, "", 0, "ACCOUNT_NOT_DIGITS"},
        {PAYEE_PASSBOOK, "500103000012", 0, NULL},                    /* 12 */
        {PAYEE_PASSBOOK, "500103000012345678", 0, NULL},              /* 18 */
        {PAYEE_PASSBOOK, "50010300001", 0, "ACCOUNT_LENGTH"},         /* 11 */
        {PAYEE_PASSBOOK, "5001030000123456789", 0, "ACCOUNT_LENGTH"}, /* 19 */
        {PAYEE_PASSBOOK, "79927398713", 1, "ACCOUNT_LENGTH"}, /* 11 first */
        {PAYEE_PASSBOOK, "000079927398713", 1, NULL}, /* leading 0s: Luhn
                                                         sum unchanged */
        {PAYEE_SSCARD, "6222021234567890128", 1, NULL},
        {PAYEE_SSCARD, "50010319900307123X", 0, "ACCOUNT_NOT_DIGITS"},
        {PAYEE_SSCARD, "A12345678", 0, "ACCOUNT_NOT_DIGITS"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct dd_error err = {0};
        enum dd_status rc = payee_account_check(cases[i].kind, cases[i].number,
                                                cases[i].luhn, &err);
        if (cases[i].code == NULL) {
            assert_int_equal(rc, DD_OK);
        } else {
            assert_int_equal(rc, DD_EINVAL);
            assert_string_equal(err.code, cases[i].code);
            assert_string_equal(err.field, "account_number");
        }
    }
    struct dd_error err = {0};
    assert_int_equal(
        payee_account_check(PAYEE_KIND__COUNT, "6222021234567894", 0, &err),
        DD_EINVAL);
    assert_string_equal(err.code, "INVALID_ACCOUNT_KIND");
    assert_int_equal(payee_account_check(PAYEE_BANK_CARD, NULL, 0, &err),
                     DD_EINVAL);
}

static void
test_kind_names(void **state)
{
    (void)state;
    enum payee_kind k = PAYEE_KIND__COUNT;
    assert_string_equal(payee_kind_name(PAYEE_SSCARD), "sscard");
    assert_int_equal(payee_kind_parse("passbook", &k), 0);
    assert_int_equal(k, PAYEE_PASSBOOK);
    assert_int_equal(payee_kind_parse("Passbook", &k), -1);
    assert_string_equal(payee_kind_name(PAYEE_KIND__COUNT), "");
}

static void
test_name_normalise(void **state)
{
    (void)state;
    char out[PAYEE_NAME_MAX + 1];
    /* the middle dot U+00B7 dropped */
    assert_int_equal(
        payee_name_normalise("阿依古丽·买买提", out, sizeof(out), NULL), DD_OK);
    assert_string_equal(out, "阿依古丽买买提");
    /* a full-width space U+3000 and a half-width one dropped */
    assert_int_equal(payee_name_normalise("王　小 明", out, sizeof(out), NULL),
                     DD_OK);
    assert_string_equal(out, "王小明");
    /* full-width letters to half-width, upper case */
    assert_int_equal(
        payee_name_normalise("ｊｏｈｎ smith", out, sizeof(out), NULL), DD_OK);
    assert_string_equal(out, "JOHNSMITH");
    /* "王小明" is 9 bytes: 10 fit, 9 do not (the NUL) */
    assert_int_equal(payee_name_normalise("王小明", out, 10, NULL), DD_OK);
    assert_int_equal(payee_name_normalise("王小明", out, 9, NULL), DD_ETOOBIG);
    /* invalid UTF-8: a lone continuation byte, an overlong '/' */
    struct dd_error err = {0};
    assert_int_equal(payee_name_normalise("\x80", out, sizeof(out), &err),
                     DD_EINVAL);
    assert_string_equal(err.code, "INVALID_NAME");
    assert_int_equal(payee_name_normalise("\xC0\xAF", out, sizeof(out), NULL),
                     DD_EINVAL);
    /* a truncated 3-byte sequence (the first two bytes of 王) */
    assert_int_equal(payee_name_normalise("\xE7\x8E", out, sizeof(out), NULL),
                     DD_EINVAL);
}

static void
test_name_match(void **state)
{
    (void)state;
    /* the same minority name with the dot written five ways */
    static const char *const same[] = {
        "阿依古丽·买买提",  /* U+00B7 */
        "阿依古丽•买买提",  /* U+2022 */
        "阿依古丽・买买提", /* U+30FB */
        "阿依古丽．买买提", /* U+FF0E */
        "阿依古丽.买买提",  /* '.' */
        "阿依古丽买买提",   /* none */
        "阿依古丽 · 买买提",
    };
    for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++)
        assert_int_equal(payee_name_match(same[i], "阿依古丽·买买提", NULL),
                         DD_OK);
    struct dd_error err = {0};
    assert_int_equal(payee_name_match("王小明", "王晓明", &err), DD_EINVAL);
    assert_string_equal(err.code, "ACCOUNT_NAME_MISMATCH");
    assert_string_equal(err.field, "account_name");
    /* exact after normalising: no partial match */
    assert_int_equal(payee_name_match("王小", "王小明", NULL), DD_EINVAL);
    /* an empty name (or only spaces) matches nothing */
    assert_int_equal(payee_name_match("　", " ", &err), DD_EINVAL);
    assert_string_equal(err.code, "ACCOUNT_NAME_MISMATCH");
}

static void
test_mask(void **state)
{
    (void)state;
    char out[PAYEE_MASK_LEN];
    /* 19 digits: 4 shown, 11 '*', 4 shown */
    payee_mask("6222021234567890128", out);
    assert_string_equal(out, "6222***********0128");
    /* 16 digits: 4, 8 '*', 4 */
    payee_mask("6222021234567894", out);
    assert_string_equal(out, "6222********7894");
    /* 9 digits: one '*' */
    payee_mask("123456789", out);
    assert_string_equal(out, "1234*6789");
    /* 8 digits would show all: hidden */
    payee_mask("12345678", out);
    assert_string_equal(out, "****");
    payee_mask("6222 0212 3456 7894", out);
    assert_string_equal(out, "****");
    payee_mask("62220212345678901234", out); /* 20: over the maximum */
    assert_string_equal(out, "****");
    payee_mask(NULL, out);
    assert_string_equal(out, "****");
}

/* Who is paid: the adult applicant; for a minor applicant the guardian
 * in 民法典 Art. 27's order, each row worked from that order. */
static void
test_member_index(void **state)
{
    (void)state;
    enum { A = HH_REL_APPLICANT, P = HH_REL_PARENT, G = HH_REL_GRANDPARENT,
           S = HH_REL_SIBLING, O = HH_REL_OTHER, SP = HH_REL_SPOUSE };
    /* an adult applicant is paid, whoever else lives there */
    const struct payee_member adult[] = {{G, 70}, {A, 45}, {SP, 44}};
    assert_int_equal(payee_member_index(adult, 3), 1);
    /* 18 is full age (Art. 17): paid */
    const struct payee_member eighteen[] = {{A, 18}, {G, 66}};
    assert_int_equal(payee_member_index(eighteen, 2), 0);
    /* an orphan of 10 with a grandmother of 67 and an adult sister of
     * 20: the grandparent ranks first (Art. 27(1)) */
    const struct payee_member orphan[] = {{A, 10}, {S, 20}, {G, 67}};
    assert_int_equal(payee_member_index(orphan, 3), 2);
    /* a parent ranks before a grandparent (Art. 27: 父母) */
    const struct payee_member parent[] = {{A, 9}, {G, 60}, {P, 35}};
    assert_int_equal(payee_member_index(parent, 3), 2);
    /* a sibling of 17 is no guardian; an adult other member is (27(3)) */
    const struct payee_member other[] = {{A, 8}, {S, 17}, {O, 50}};
    assert_int_equal(payee_member_index(other, 3), 2);
    /* a grandparent of unknown age does not count as an adult */
    const struct payee_member unknown[] = {{A, 8}, {G, -1}, {S, 19}};
    assert_int_equal(payee_member_index(unknown, 3), 2);
    /* within a rank the first listed */
    const struct payee_member two[] = {{A, 8}, {G, 70}, {G, 65}};
    assert_int_equal(payee_member_index(two, 3), 1);
    /* no adult at all: the applicant, for staff to name a guardian */
    const struct payee_member alone[] = {{A, 16}, {S, 12}};
    assert_int_equal(payee_member_index(alone, 2), 0);
    /* no applicant: nobody */
    const struct payee_member none[] = {{SP, 40}};
    assert_int_equal(payee_member_index(none, 1), -1);
    assert_int_equal(payee_member_index(NULL, 0), -1);
}

UNIT_TESTS(NULL, NULL, cmocka_unit_test(test_luhn_known_answers),
           cmocka_unit_test(test_member_index),
           cmocka_unit_test(test_account_check),
           cmocka_unit_test(test_kind_names),
           cmocka_unit_test(test_name_normalise),
           cmocka_unit_test(test_name_match), cmocka_unit_test(test_mask))
