/* SPDX-License-Identifier: MIT */
/* Tokens: shape and alphabet, uniqueness, the SM3 storage hash, the
 * constant-time comparison and random digit strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "unit_main.h"

#include "crypto/sm3.h"
#include "crypto/token.h"

static const char url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static void
test_token_shape(void **state)
{
    char t[TOKEN_LEN + 1];
    int i;

    (void)state;
    /* Enough draws that '-' and '_' and every position get exercised. */
    for (i = 0; i < 200; i++) {
        memset(t, '=', sizeof(t));
        assert_int_equal(token_new(t), DD_OK);
        assert_int_equal(strlen(t), 43);
        assert_int_equal(strspn(t, url_alphabet), 43);
    }
}

static void
test_token_unique(void **state)
{
    char a[TOKEN_LEN + 1], b[TOKEN_LEN + 1];

    (void)state;
    assert_int_equal(token_new(a), DD_OK);
    assert_int_equal(token_new(b), DD_OK);
    assert_string_not_equal(a, b);
}

static void
test_token_hash(void **state)
{
    char h1[TOKEN_HASH_LEN + 1], h2[TOKEN_HASH_LEN + 1];
    char t[TOKEN_LEN + 1];

    (void)state;
    /* The hash is SM3 of the token text: SM3("abc") from GB/T 32905. */
    token_hash("abc", h1);
    assert_string_equal(h1, "66c7f0f462eeedd9d1f2d46bdc10e4e2"
                            "4167c4875cf2f7a2297da02b8f4ba8e0");

    assert_int_equal(token_new(t), DD_OK);
    token_hash(t, h1);
    token_hash(t, h2);
    assert_int_equal(strlen(h1), 64);
    assert_int_equal(strspn(h1, "0123456789abcdef"), 64);
    assert_string_equal(h1, h2);
    t[0] = (char)(t[0] == 'A' ? 'B' : 'A');
    token_hash(t, h2);
    assert_string_not_equal(h1, h2);
}

static void
test_token_equal(void **state)
{
    char a[TOKEN_LEN + 1], b[TOKEN_LEN + 1];

    (void)state;
    assert_int_equal(token_new(a), DD_OK);
    memcpy(b, a, sizeof(a));
    assert_true(token_equal(a, b));
    /* Last byte differs. */
    b[TOKEN_LEN - 1] = (char)(b[TOKEN_LEN - 1] == 'A' ? 'B' : 'A');
    assert_false(token_equal(a, b));
    /* A prefix is not equal. */
    memcpy(b, a, sizeof(a));
    b[TOKEN_LEN - 1] = '\0';
    assert_false(token_equal(a, b));
    assert_false(token_equal(b, a));
    assert_true(token_equal("abc", "abc"));
    assert_false(token_equal("abc", "abd"));
    /* Nothing matches a missing token, not even another missing one. */
    assert_false(token_equal("", ""));
    assert_false(token_equal(a, ""));
    assert_false(token_equal(NULL, NULL));
    assert_false(token_equal(a, NULL));
}

static void
test_token_digits(void **state)
{
    char d[65];
    int seen[10] = { 0 };
    size_t i;
    int round;

    (void)state;
    for (round = 0; round < 50; round++) {
        memset(d, 'x', sizeof(d));
        assert_int_equal(token_digits(d, 64), DD_OK);
        assert_int_equal(strlen(d), 64);
        assert_int_equal(strspn(d, "0123456789"), 64);
        for (i = 0; i < 64; i++)
            seen[d[i] - '0']++;
    }
    /* 3200 uniform digits: every one appears (p of a miss ~ 1e-145). */
    for (i = 0; i < 10; i++)
        assert_true(seen[i] > 0);

    memset(d, 'x', sizeof(d));
    assert_int_equal(token_digits(d, 6), DD_OK);
    assert_int_equal(strlen(d), 6);
    assert_int_equal(token_digits(d, 0), DD_EINVAL);
    assert_int_equal(token_digits(NULL, 6), DD_EINVAL);
}

UNIT_TESTS(NULL, NULL, cmocka_unit_test(test_token_shape),
           cmocka_unit_test(test_token_unique),
           cmocka_unit_test(test_token_hash),
           cmocka_unit_test(test_token_equal),
           cmocka_unit_test(test_token_digits))
