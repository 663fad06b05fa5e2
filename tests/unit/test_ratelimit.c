/* SPDX-License-Identifier: MIT */
/* The token-bucket rate limit: a burst of limit, then one more each
 * window / limit seconds; no fresh allowance at a minute boundary; keys
 * apart; a full table forgets the least recently used key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "unit_main.h"

#include "core/ratelimit.h"

/* 3 a minute: three pass, the fourth is refused; one token comes back
 * every 20 s (60 / 3), worked out second by second. */
TEST_CASE(test_burst_then_refill)
{
    struct ratelimit *rl = ratelimit_new(3, 60);
    assert_non_null(rl);
    int64_t t = 1000;
    assert_int_equal(ratelimit_take(rl, "10.0.0.1", t), 1);
    assert_int_equal(ratelimit_take(rl, "10.0.0.1", t), 1);
    assert_int_equal(ratelimit_take(rl, "10.0.0.1", t), 1);
    assert_int_equal(ratelimit_take(rl, "10.0.0.1", t), 0);
    /* 19 s later: not yet a whole event back (one per 20 s) */
    assert_int_equal(ratelimit_take(rl, "10.0.0.1", t + 19), 0);
    /* 20 s: one event, then none */
    assert_int_equal(ratelimit_take(rl, "10.0.0.1", t + 20), 1);
    assert_int_equal(ratelimit_take(rl, "10.0.0.1", t + 20), 0);
    /* idle for a whole window: a full bucket again, never more */
    assert_int_equal(ratelimit_take(rl, "10.0.0.1", t + 500), 1);
    assert_int_equal(ratelimit_take(rl, "10.0.0.1", t + 500), 1);
    assert_int_equal(ratelimit_take(rl, "10.0.0.1", t + 500), 1);
    assert_int_equal(ratelimit_take(rl, "10.0.0.1", t + 500), 0);
    ratelimit_free(rl);
}

/* The flaw of a fixed window: events at 59 s and at 60 s fall in two
 * windows, so limit + 1 of them passed within a second. Here they do
 * not, wherever the minute turns. */
TEST_CASE(test_no_boundary)
{
    for (int64_t start = 0; start < 120; start++) {
        struct ratelimit *rl = ratelimit_new(3, 60);
        assert_non_null(rl);
        int passed = 0;
        for (int i = 0; i < 4; i++)
            passed += ratelimit_take(rl, "k", start + (i == 3));
        assert_int_equal(passed, 3);
        ratelimit_free(rl);
    }
}

TEST_CASE(test_keys_apart)
{
    struct ratelimit *rl = ratelimit_new(1, 3600);
    assert_non_null(rl);
    assert_int_equal(ratelimit_take(rl, "a", 5), 1);
    assert_int_equal(ratelimit_take(rl, "a", 5), 0);
    assert_int_equal(ratelimit_take(rl, "b", 5), 1);
    /* one an hour: 3,599 s later still refused, 3,600 s allowed */
    assert_int_equal(ratelimit_take(rl, "a", 3604), 0);
    assert_int_equal(ratelimit_take(rl, "a", 3605), 1);
    /* a clock that goes back refills nothing */
    assert_int_equal(ratelimit_take(rl, "b", 1), 0);
    ratelimit_free(rl);
}

/* 10,000 keys in a 4,096-slot table: the table never blocks, and a key
 * forgotten for room starts with a full bucket (a forgiving failure),
 * while the key just used is still limited. */
TEST_CASE(test_full_table)
{
    struct ratelimit *rl = ratelimit_new(1, 60);
    assert_non_null(rl);
    char key[32];
    for (int i = 0; i < 10000; i++) {
        snprintf(key, sizeof(key), "10.1.%d.%d", i / 256, i % 256);
        assert_int_equal(ratelimit_take(rl, key, 100 + i), 1);
    }
    assert_int_equal(ratelimit_take(rl, key, 100 + 9999), 0);
    ratelimit_free(rl);
}

TEST_CASE(test_bad_arguments)
{
    assert_null(ratelimit_new(0, 60));
    assert_null(ratelimit_new(3, 0));
    ratelimit_free(NULL);
}

UNIT_TESTS(NULL, NULL, cmocka_unit_test(test_burst_then_refill),
           cmocka_unit_test(test_no_boundary),
           cmocka_unit_test(test_keys_apart), cmocka_unit_test(test_full_table),
           cmocka_unit_test(test_bad_arguments))
