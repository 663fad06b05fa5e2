/* SPDX-License-Identifier: MIT */
/* Citizen phone sign-in rules without a store: which numbers are mainland
 * mobile numbers, their masked form, the blind index, and which code
 * sender a setting gives in and out of demo mode. (Codes and sessions
 * are exercised through the API on both stores.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "unit_main.h"

#include "accounts/citizen.h"

TEST_CASE(test_phone_valid)
{
    const char *good[] = {"13012345678", "13912345678", "15012345678",
                          "19912345678", "16612345678"};
    const char *bad[] = {"",           "1",            "12012345678",
                         "10012345678", "23012345678", "1301234567",
                         "130123456789", "1301234567a", " 13012345678",
                         "+8613012345", "130-1234-567"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        assert_true(citizen_phone_valid(good[i]));
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(citizen_phone_valid(bad[i]));
    assert_false(citizen_phone_valid(NULL));
}

TEST_CASE(test_phone_mask)
{
    char m[CITIZEN_MASKED_LEN];
    citizen_phone_mask("13812345678", m);
    assert_string_equal(m, "138****5678");
    /* anything else is masked whole: nothing of it is shown */
    citizen_phone_mask("1381234567", m);
    assert_string_equal(m, "***********");
}

TEST_CASE(test_phone_index)
{
    unsigned char key[KEYFILE_KEY_LEN], other[KEYFILE_KEY_LEN];
    struct pii_keys *k = NULL, *k2 = NULL;
    char a[PII_BLIND_INDEX_LEN + 1], b[PII_BLIND_INDEX_LEN + 1];
    char c[PII_BLIND_INDEX_LEN + 1], plain[PII_BLIND_INDEX_LEN + 1];
    memset(key, 7, sizeof(key));
    memset(other, 8, sizeof(other));
    assert_int_equal(pii_keys_new(key, &k), DD_OK);
    assert_int_equal(pii_keys_new(other, &k2), DD_OK);
    citizen_phone_index(k, "13812345678", a);
    citizen_phone_index(k, "13812345678", b);
    assert_int_equal(strlen(a), PII_BLIND_INDEX_LEN);
    assert_string_equal(a, b); /* deterministic: lookups work */
    citizen_phone_index(k, "13812345679", b);
    assert_string_not_equal(a, b);
    citizen_phone_index(k2, "13812345678", c);
    assert_string_not_equal(a, c); /* keyed */
    pii_blind_index(k, "13812345678", plain);
    assert_string_not_equal(a, plain); /* a domain of its own */
    pii_keys_free(k);
    pii_keys_free(k2);
}

TEST_CASE(test_sender_select)
{
    const struct otp_sender *s = &citizen_otp_log_sender;
    static const struct otp_sender gw = {"sms", NULL};
    /* the default: the log in the demo, nothing outside it (503) */
    assert_int_equal(citizen_otp_sender_select("", 1, NULL, &s), DD_OK);
    assert_ptr_equal(s, &citizen_otp_log_sender);
    assert_string_equal(s->name, "log");
    assert_int_equal(citizen_otp_sender_select("", 0, NULL, &s), DD_OK);
    assert_null(s);
    /* "log" outside the demo is refused: codes would sit in a real log */
    assert_int_equal(citizen_otp_sender_select("log", 1, NULL, &s), DD_OK);
    assert_ptr_equal(s, &citizen_otp_log_sender);
    assert_int_equal(citizen_otp_sender_select("log", 0, NULL, &s),
                     DD_EINVAL);
    assert_null(s);
    assert_int_equal(citizen_otp_sender_select("none", 1, &gw, &s), DD_OK);
    assert_null(s);
    /* "sms" needs a gateway; with one it is the default, demo or not */
    assert_int_equal(citizen_otp_sender_select("sms", 1, NULL, &s),
                     DD_EINVAL);
    assert_null(s);
    assert_int_equal(citizen_otp_sender_select("sms", 0, &gw, &s), DD_OK);
    assert_ptr_equal(s, &gw);
    assert_int_equal(citizen_otp_sender_select("", 1, &gw, &s), DD_OK);
    assert_ptr_equal(s, &gw);
    assert_int_equal(citizen_otp_sender_select("", 0, &gw, &s), DD_OK);
    assert_ptr_equal(s, &gw);
    assert_int_equal(citizen_otp_sender_select("mail", 0, &gw, &s),
                     DD_EINVAL);
}

UNIT_TESTS(NULL, NULL, cmocka_unit_test(test_phone_valid),
           cmocka_unit_test(test_phone_mask),
           cmocka_unit_test(test_phone_index),
           cmocka_unit_test(test_sender_select))
