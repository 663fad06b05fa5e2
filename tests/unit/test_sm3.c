/* SPDX-License-Identifier: MIT */
/* SM3 against the GB/T 32905 vectors, streaming against one-shot, and
 * HMAC-SM3 against RFC 2104 built by hand from the SM3 primitive. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/sm3.h"

#define SM3_BLOCK_LEN 64

static void
hex_of_sm3(const void *data, size_t len, char out[SM3_HEX_LEN + 1])
{
    unsigned char d[SM3_DIGEST_LEN];

    sm3_digest(data, len, d);
    hex_encode(d, sizeof(d), out);
}

/* GB/T 32905-2016 appendix A, examples 1 and 2. */
static void
test_gbt_vectors(void **state)
{
    static const struct {
        const char *msg;
        const char *hex;
    } cases[] = {
        { "abc", "66c7f0f462eeedd9d1f2d46bdc10e4e2"
                 "4167c4875cf2f7a2297da02b8f4ba8e0" },
        { "abcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcd",
            "debe9ff92275b8a138604889c18e5a4d"
            "6fdb70e5387e5765293dcba39c0c5732" },
    };
    char hex[SM3_HEX_LEN + 1];
    size_t i;

    (void)state;
    assert_int_equal(strlen(cases[1].msg), 64);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        hex_of_sm3(cases[i].msg, strlen(cases[i].msg), hex);
        assert_string_equal(hex, cases[i].hex);
    }
}

/* Odd piece sizes cross the 64-byte block boundary at every offset. */
static void
test_streaming_equals_oneshot(void **state)
{
    static const size_t pieces[] = { 1, 3, 7, 13, 31, 63, 64, 65, 127, 0 };
    unsigned char msg[1000];
    unsigned char want[SM3_DIGEST_LEN], got[SM3_DIGEST_LEN];
    struct sm3_ctx *ctx;
    size_t i, off, k = 0;

    (void)state;
    for (i = 0; i < sizeof(msg); i++)
        msg[i] = (unsigned char)(i * 131 + 7);
    sm3_digest(msg, sizeof(msg), want);

    ctx = sm3_new();
    assert_non_null(ctx);
    for (off = 0; off < sizeof(msg); k++) {
        size_t n = pieces[k % (sizeof(pieces) / sizeof(pieces[0]))];

        if (n > sizeof(msg) - off)
            n = sizeof(msg) - off;
        sm3_update(ctx, msg + off, n);
        off += n;
    }
    sm3_final(ctx, got);
    assert_memory_equal(got, want, sizeof(want));

    /* sm3_final resets the context for the next message. */
    sm3_update(ctx, "ab", 2);
    sm3_update(ctx, "c", 1);
    sm3_final(ctx, got);
    sm3_digest("abc", 3, want);
    assert_memory_equal(got, want, sizeof(want));

    /* A context with nothing fed hashes the empty message. */
    sm3_final(ctx, got);
    sm3_digest(NULL, 0, want);
    assert_memory_equal(got, want, sizeof(want));
    sm3_free(ctx);
    sm3_free(NULL);
}

/* HMAC per RFC 2104, from the SM3 primitive alone, to check hmac_sm3
 * against something that does not go through EVP_MAC. */
static void
hmac_reference(const unsigned char *key, size_t key_len,
    const unsigned char *data, size_t len, unsigned char out[SM3_DIGEST_LEN])
{
    unsigned char k0[SM3_BLOCK_LEN] = { 0 };
    unsigned char pad[SM3_BLOCK_LEN];
    unsigned char inner[SM3_DIGEST_LEN];
    struct sm3_ctx *ctx = sm3_new();
    size_t i;

    assert_non_null(ctx);
    if (key_len > SM3_BLOCK_LEN)
        sm3_digest(key, key_len, k0);
    else if (key_len > 0)
        memcpy(k0, key, key_len);
    for (i = 0; i < SM3_BLOCK_LEN; i++)
        pad[i] = k0[i] ^ 0x36;
    sm3_update(ctx, pad, sizeof(pad));
    sm3_update(ctx, data, len);
    sm3_final(ctx, inner);
    for (i = 0; i < SM3_BLOCK_LEN; i++)
        pad[i] = k0[i] ^ 0x5c;
    sm3_update(ctx, pad, sizeof(pad));
    sm3_update(ctx, inner, sizeof(inner));
    sm3_final(ctx, out);
    sm3_free(ctx);
}

static void
test_hmac_matches_rfc2104(void **state)
{
    /* 0 (empty), short, exactly one block, and longer than a block (the
     * key is then hashed first). */
    static const size_t key_lens[] = { 0, 16, 64, 65, 200 };
    unsigned char key[200], data[300];
    unsigned char want[SM3_DIGEST_LEN], got[SM3_DIGEST_LEN];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(key); i++)
        key[i] = (unsigned char)(0xa0 + i);
    for (i = 0; i < sizeof(data); i++)
        data[i] = (unsigned char)(i * 7);
    for (i = 0; i < sizeof(key_lens) / sizeof(key_lens[0]); i++) {
        hmac_reference(key, key_lens[i], data, sizeof(data), want);
        hmac_sm3(key, key_lens[i], data, sizeof(data), got);
        assert_memory_equal(got, want, sizeof(want));
    }
    hmac_reference(key, 16, NULL, 0, want);
    hmac_sm3(key, 16, NULL, 0, got);
    assert_memory_equal(got, want, sizeof(want));
}

/* A fixed value, from `printf abc | openssl dgst -sm3 -hmac key`. */
static void
test_hmac_fixed_and_keyed(void **state)
{
    unsigned char a[SM3_DIGEST_LEN], b[SM3_DIGEST_LEN];
    char hex[SM3_HEX_LEN + 1];

    (void)state;
    hmac_sm3("key", 3, "abc", 3, a);
    hex_encode(a, sizeof(a), hex);
    assert_string_equal(hex, "28e63256e7c5a087b1f073265dc53092"
                             "163f7b82729735d06f28f10af9d52393");

    /* Deterministic. */
    hmac_sm3("key", 3, "abc", 3, b);
    assert_memory_equal(a, b, sizeof(a));
    /* A different key, or the same key one bit off, changes the MAC. */
    hmac_sm3("kez", 3, "abc", 3, b);
    assert_memory_not_equal(a, b, sizeof(a));
    hmac_sm3("other key", 9, "abc", 3, b);
    assert_memory_not_equal(a, b, sizeof(a));
    /* And the MAC is not the plain hash. */
    sm3_digest("abc", 3, b);
    assert_memory_not_equal(a, b, sizeof(a));
}

static void
test_hex_encode(void **state)
{
    static const unsigned char in[] = { 0x00, 0x01, 0x7f, 0x80, 0xab, 0xff };
    char out[2 * sizeof(in) + 1];
    char empty[1] = { 'x' };

    (void)state;
    memset(out, 'x', sizeof(out));
    hex_encode(in, sizeof(in), out);
    assert_string_equal(out, "00017f80abff");
    hex_encode(in, 0, empty);
    assert_string_equal(empty, "");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gbt_vectors),
        cmocka_unit_test(test_streaming_equals_oneshot),
        cmocka_unit_test(test_hmac_matches_rfc2104),
        cmocka_unit_test(test_hmac_fixed_and_keyed),
        cmocka_unit_test(test_hex_encode),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
