/* SPDX-License-Identifier: MIT */
/* Personal data protection: the SM4 known answers of GB/T 32907, the sealed
 * token format rebuilt independently from pii.h, round trips, tampering,
 * wrong keys and malformed tokens, buffer limits, the blind index, known
 * answers of subkeys, blind indexes and sealed tokens, one pii_keys shared
 * by threads, and loading keys from the key file. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <sodium.h>

#include "crypto/keyfile.h"
#include "crypto/pii.h"
#include "crypto/sm3.h"

#define B64 sodium_base64_VARIANT_URLSAFE_NO_PADDING
#define RAW_MAX (PII_IV_LEN + PII_PLAINTEXT_MAX + PII_TAG_LEN)

/* Where the tests' tokens are stored (pii.h's associated data), and the
 * bytes pii.h says the tag covers before the IV: "v2", then each part
 * after its length byte. */
static const struct pii_ad AD = {"person", "id_enc", "row-a"};
static const char ad_bytes[] = "v2\x06person\x06id_enc\x05"
                               "row-a";
#define AD_LEN (sizeof(ad_bytes) - 1)

/* Two fixed data keys, so failures reproduce. */
static const unsigned char key_a[KEYFILE_KEY_LEN] = {
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a,
    0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15,
    0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
};
static const unsigned char key_b[KEYFILE_KEY_LEN] = {
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a,
    0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15,
    0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1e,
};

static const char chinese[] = "重庆市渝中区解放碑街道 张三 "
                              "500103199001011234";

/* libsodium's random bytes, pinned on demand: while iv_pinned, every
 * request of n bytes is iv_first, iv_first + 1, ... (so a seal's IV is
 * known and its token can be compared byte for byte); otherwise the system
 * generator. Installed in main, before anything starts libsodium. */
static int iv_pinned;
static unsigned char iv_first;

static const char *
rng_name(void)
{
    return "test_pii pinned";
}

static uint32_t
rng_random(void)
{
    return randombytes_sysrandom_implementation.random();
}

static void
rng_stir(void)
{
    randombytes_sysrandom_implementation.stir();
}

static void
rng_buf(void *buf, size_t n)
{
    size_t i;

    if (!iv_pinned) {
        randombytes_sysrandom_implementation.buf(buf, n);
        return;
    }
    for (i = 0; i < n; i++)
        ((unsigned char *)buf)[i] = (unsigned char)(iv_first + i);
}

static int
rng_close(void)
{
    return randombytes_sysrandom_implementation.close();
}

static randombytes_implementation rng_pinnable = {
    rng_name, rng_random, rng_stir, NULL, rng_buf, rng_close,
};

static struct pii_keys *
keys_from(const unsigned char dk[KEYFILE_KEY_LEN])
{
    struct pii_keys *k = NULL;

    assert_int_equal(pii_keys_new(dk, &k), DD_OK);
    assert_non_null(k);
    return k;
}

static void
unhex(const char *hex, unsigned char *out, size_t len)
{
    size_t n = 0;

    assert_int_equal(sodium_hex2bin(out, len, hex, strlen(hex), NULL, &n, NULL),
                     0);
    assert_int_equal(n, len);
}

/* One SM4 block operation through OpenSSL's raw block cipher. */
static void
sm4_ecb(const unsigned char key[16], const unsigned char *in,
        unsigned char *out, size_t len, int iterations)
{
    EVP_CIPHER *ecb = EVP_CIPHER_fetch(NULL, "SM4-ECB", NULL);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int n = 0, i;

    assert_non_null(ecb);
    assert_non_null(ctx);
    assert_int_equal(EVP_EncryptInit_ex2(ctx, ecb, key, NULL, NULL), 1);
    assert_int_equal(EVP_CIPHER_CTX_set_padding(ctx, 0), 1);
    memcpy(out, in, len);
    for (i = 0; i < iterations; i++) {
        assert_int_equal(EVP_EncryptUpdate(ctx, out, &n, out, (int)len), 1);
        assert_int_equal(n, (int)len);
    }
    assert_int_equal(EVP_EncryptFinal_ex(ctx, out + len, &n), 1);
    assert_int_equal(n, 0);
    EVP_CIPHER_CTX_free(ctx);
    EVP_CIPHER_free(ecb);
}

static void
test_sm4_known_answer(void **state)
{
    unsigned char key[16], pt[16], want[16], ct[32];

    (void)state;
    /* GB/T 32907-2016 附录 A 示例 1: one encryption. */
    unhex("0123456789abcdeffedcba9876543210", key, 16);
    unhex("0123456789abcdeffedcba9876543210", pt, 16);
    unhex("681edf34d206965e86b3e94f536e4246", want, 16);
    sm4_ecb(key, pt, ct, 16, 1);
    assert_memory_equal(ct, want, 16);
    /* 示例 2: the same block encrypted 1,000,000 times. */
    unhex("595298c7c6fd271f0402f804c33d3f66", want, 16);
    sm4_ecb(key, pt, ct, 16, 1000000);
    assert_memory_equal(ct, want, 16);
}

/* Decodes a token's body into raw (IV ‖ C ‖ T), returning its length. */
static size_t
token_decode(const char *tok, unsigned char *raw)
{
    size_t n = 0;

    assert_memory_equal(tok, "v2:", 3);
    assert_int_equal(sodium_base642bin(raw, RAW_MAX, tok + 3, strlen(tok + 3),
                                       NULL, &n, NULL, B64),
                     0);
    return n;
}

static void
token_encode(const unsigned char *raw, size_t len, char *tok, size_t tok_len)
{
    assert_true(tok_len >= 3 + sodium_base64_ENCODED_LEN(len, B64));
    memcpy(tok, "v2:", 3);
    sodium_bin2base64(tok + 3, tok_len - 3, raw, len, B64);
}

/* The format of pii.h rebuilt from the data key with nothing of pii.c:
 * subkeys by HMAC-SM3 over the labels, the tag over "v2" ‖ AD ‖ IV ‖ C, and
 * SM4-CTR under the first 16 bytes of the encryption subkey. */
static void
test_token_format(void **state)
{
    static const char pt[] = "500103199001011234";
    struct pii_keys *k = keys_from(key_a);
    unsigned char enc[32], mac[32], raw[RAW_MAX], tag[32];
    unsigned char mac_in[AD_LEN + RAW_MAX], dec[sizeof(pt)];
    char tok[256];
    size_t n, ct_len;
    EVP_CIPHER *ctr;
    EVP_CIPHER_CTX *ctx;
    int outl = 0;

    (void)state;
    assert_int_equal(pii_seal(k, &AD, pt, tok, sizeof(tok)), DD_OK);
    assert_int_equal(strlen(tok) + 1, pii_sealed_len(strlen(pt)));
    assert_true(strspn(tok + 3, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                "abcdefghijklmnopqrstuvwxyz0123456789-_") ==
                strlen(tok + 3));
    n = token_decode(tok, raw);
    ct_len = strlen(pt);
    assert_int_equal(n, 16 + ct_len + 32);

    hmac_sm3(key_a, 32, "doudi/v1/sm4-enc", 16, enc);
    hmac_sm3(key_a, 32, "doudi/v1/mac", 12, mac);
    memcpy(mac_in, ad_bytes, AD_LEN);
    memcpy(mac_in + AD_LEN, raw, 16 + ct_len);
    hmac_sm3(mac, 32, mac_in, AD_LEN + 16 + ct_len, tag);
    assert_memory_equal(tag, raw + 16 + ct_len, 32);

    ctr = EVP_CIPHER_fetch(NULL, "SM4-CTR", NULL);
    ctx = EVP_CIPHER_CTX_new();
    assert_non_null(ctr);
    assert_non_null(ctx);
    assert_int_equal(EVP_DecryptInit_ex2(ctx, ctr, enc, raw, NULL), 1);
    assert_int_equal(EVP_DecryptUpdate(ctx, dec, &outl, raw + 16, (int)ct_len),
                     1);
    assert_int_equal(outl, (int)ct_len);
    assert_memory_equal(dec, pt, ct_len);
    /* The ciphertext is not the plaintext. */
    assert_memory_not_equal(raw + 16, pt, ct_len);
    EVP_CIPHER_CTX_free(ctx);
    EVP_CIPHER_free(ctr);
    pii_keys_free(k);
}

/* Seals pt[0..len) as pii.h describes, with nothing of pii.c, under the
 * data key dk and a fixed IV: a token only the key holder could make. */
static void
forge(const unsigned char dk[KEYFILE_KEY_LEN], const void *pt, size_t len,
      char *tok, size_t tok_len)
{
    unsigned char enc[32], mac[32], buf[AD_LEN + RAW_MAX];
    unsigned char *iv = buf + AD_LEN, *ct = iv + 16;
    EVP_CIPHER *ctr = EVP_CIPHER_fetch(NULL, "SM4-CTR", NULL);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int outl = 0;

    assert_non_null(ctr);
    assert_non_null(ctx);
    hmac_sm3(dk, 32, "doudi/v1/sm4-enc", 16, enc);
    hmac_sm3(dk, 32, "doudi/v1/mac", 12, mac);
    memcpy(buf, ad_bytes, AD_LEN);
    memset(iv, 0xa5, 16);
    assert_int_equal(EVP_EncryptInit_ex2(ctx, ctr, enc, iv, NULL), 1);
    assert_int_equal(EVP_EncryptUpdate(ctx, ct, &outl, pt, (int)len), 1);
    assert_int_equal(outl, (int)len);
    hmac_sm3(mac, 32, buf, AD_LEN + 16 + len, ct + len);
    token_encode(iv, 16 + len + 32, tok, tok_len);
    EVP_CIPHER_CTX_free(ctx);
    EVP_CIPHER_free(ctr);
}

/* An authentic token whose plaintext holds a NUL (pii_seal cannot make
 * one) is refused rather than silently truncated, and nothing of the
 * decrypted bytes is left in out. */
static void
test_embedded_nul(void **state)
{
    struct pii_keys *k = keys_from(key_a);
    char tok[256], back[64];

    (void)state;
    /* The forger is right: without a NUL its token opens. */
    forge(key_a, "abcde", 5, tok, sizeof(tok));
    assert_int_equal(pii_open(k, &AD, tok, back, sizeof(back)), DD_OK);
    assert_string_equal(back, "abcde");
    forge(key_a, "ab\0de", 5, tok, sizeof(tok));
    memset(back, 'x', sizeof(back));
    assert_int_equal(pii_open(k, &AD, tok, back, sizeof(back)), DD_EINVAL);
    assert_memory_equal(back, "\0\0\0\0\0\0", 6);
    pii_keys_free(k);
}

static void
round_trip(const struct pii_keys *k, const char *pt)
{
    size_t len = strlen(pt);
    size_t cap = pii_sealed_len(len);
    char *tok = calloc(1, cap);
    char *back = calloc(1, len + 1);

    assert_non_null(tok);
    assert_non_null(back);
    assert_int_equal(pii_seal(k, &AD, pt, tok, cap), DD_OK);
    assert_int_equal(strlen(tok) + 1, cap);
    assert_memory_equal(tok, "v2:", 3);
    memset(back, 'x', len + 1);
    assert_int_equal(pii_open(k, &AD, tok, back, len + 1), DD_OK);
    assert_string_equal(back, pt);
    free(tok);
    free(back);
}

static void
test_round_trip(void **state)
{
    struct pii_keys *k = keys_from(key_a);
    char big[PII_PLAINTEXT_MAX + 1];
    size_t i;

    (void)state;
    round_trip(k, "");
    round_trip(k, "a");
    round_trip(k, "500103199001011234");
    round_trip(k, "Zhang San, 1 Jiefangbei Rd, Yuzhong, Chongqing");
    round_trip(k, chinese);
    for (i = 0; i < PII_PLAINTEXT_MAX; i++)
        big[i] = (char)(' ' + i % 95);
    big[PII_PLAINTEXT_MAX] = '\0';
    round_trip(k, big);
    /* Every length around the CTR block and base64 group boundaries. */
    for (i = 0; i <= 40; i++) {
        char s[41];
        memset(s, 'q', i);
        s[i] = '\0';
        round_trip(k, s);
    }
    pii_keys_free(k);
}

static void
test_random_iv(void **state)
{
    struct pii_keys *k = keys_from(key_a);
    char t1[256], t2[256], back[64];
    unsigned char r1[RAW_MAX], r2[RAW_MAX];

    (void)state;
    assert_int_equal(pii_seal(k, &AD, chinese, t1, sizeof(t1)), DD_OK);
    assert_int_equal(pii_seal(k, &AD, chinese, t2, sizeof(t2)), DD_OK);
    assert_string_not_equal(t1, t2);
    /* The IVs themselves differ, not just the encoding. */
    token_decode(t1, r1);
    token_decode(t2, r2);
    assert_memory_not_equal(r1, r2, PII_IV_LEN);
    assert_int_equal(pii_open(k, &AD, t1, back, sizeof(back)), DD_OK);
    assert_string_equal(back, chinese);
    assert_int_equal(pii_open(k, &AD, t2, back, sizeof(back)), DD_OK);
    assert_string_equal(back, chinese);
    pii_keys_free(k);
}

/* Every byte of IV, ciphertext and tag, each flipped in its low bit and
 * its high bit, re-encoded: every one is refused, and out is left empty. */
static void
test_tamper(void **state)
{
    struct pii_keys *k = keys_from(key_a);
    unsigned char raw[RAW_MAX];
    char tok[256], bad[256], back[64];
    size_t n, i;
    int bit;

    (void)state;
    assert_int_equal(pii_seal(k, &AD, chinese, tok, sizeof(tok)), DD_OK);
    n = token_decode(tok, raw);
    assert_int_equal(n, 16 + strlen(chinese) + 32);
    /* The untouched re-encoding still opens, so the loop below tests the
     * flips and not the re-encoding. */
    token_encode(raw, n, bad, sizeof(bad));
    assert_string_equal(bad, tok);
    assert_int_equal(pii_open(k, &AD, bad, back, sizeof(back)), DD_OK);
    for (i = 0; i < n; i++) {
        for (bit = 0; bit < 8; bit += 7) {
            raw[i] ^= (unsigned char)(1u << bit);
            token_encode(raw, n, bad, sizeof(bad));
            memset(back, 'x', sizeof(back));
            assert_int_equal(pii_open(k, &AD, bad, back, sizeof(back)),
                             DD_EINVAL);
            assert_string_equal(back, "");
            raw[i] ^= (unsigned char)(1u << bit);
        }
    }
    /* Appending or dropping bytes of the raw token is refused too. */
    token_encode(raw, n - 1, bad, sizeof(bad));
    assert_int_equal(pii_open(k, &AD, bad, back, sizeof(back)), DD_EINVAL);
    raw[n] = 0;
    token_encode(raw, n + 1, bad, sizeof(bad));
    assert_int_equal(pii_open(k, &AD, bad, back, sizeof(back)), DD_EINVAL);
    /* Swapping in another token's tag is refused. */
    {
        unsigned char other[RAW_MAX];
        char tok2[256];
        assert_int_equal(pii_seal(k, &AD, chinese, tok2, sizeof(tok2)), DD_OK);
        token_decode(tok2, other);
        memcpy(raw + n - 32, other + n - 32, 32);
        token_encode(raw, n, bad, sizeof(bad));
        assert_int_equal(pii_open(k, &AD, bad, back, sizeof(back)), DD_EINVAL);
    }
    pii_keys_free(k);
}

static void
test_wrong_key(void **state)
{
    struct pii_keys *a = keys_from(key_a);
    struct pii_keys *b = keys_from(key_b);
    char tok[256], back[64];

    (void)state;
    assert_int_equal(pii_seal(a, &AD, "500103199001011234", tok, sizeof(tok)),
                     DD_OK);
    assert_int_equal(pii_open(a, &AD, tok, back, sizeof(back)), DD_OK);
    memset(back, 'x', sizeof(back));
    assert_int_equal(pii_open(b, &AD, tok, back, sizeof(back)), DD_EINVAL);
    assert_string_equal(back, "");
    /* And the empty plaintext: the tag alone decides. */
    assert_int_equal(pii_seal(a, &AD, "", tok, sizeof(tok)), DD_OK);
    assert_int_equal(pii_open(a, &AD, tok, back, sizeof(back)), DD_OK);
    assert_int_equal(pii_open(b, &AD, tok, back, sizeof(back)), DD_EINVAL);
    pii_keys_free(a);
    pii_keys_free(b);
}

/* A token opens only with the table, column and row it was sealed for:
 * moved onto another person's row (issue 12's tampering), into another
 * column or table, it fails as an altered token does. A part that is
 * missing, empty or too long is refused, on sealing and on opening. */
static void
test_bound_to_row(void **state)
{
    static const struct pii_ad other_row = {"person", "id_enc", "row-b"};
    static const struct pii_ad other_column = {"person", "disability_card_enc",
                                               "row-a"};
    static const struct pii_ad other_table = {"household", "id_enc", "row-a"};
    /* the same bytes split otherwise: the length bytes tell them apart */
    static const struct pii_ad shifted = {"person", "id_en", "crow-a"};
    static const struct pii_ad empty_row = {"person", "id_enc", ""};
    static const struct pii_ad no_row = {"person", "id_enc", NULL};
    struct pii_ad long_row = {"person", "id_enc", NULL};
    struct pii_keys *k = keys_from(key_a);
    char tok[256], back[64], big[PII_AD_PART_MAX + 2];

    (void)state;
    assert_int_equal(pii_seal(k, &AD, "500103199001011234", tok, sizeof(tok)),
                     DD_OK);
    assert_int_equal(pii_open(k, &AD, tok, back, sizeof(back)), DD_OK);
    assert_string_equal(back, "500103199001011234");
    memset(back, 'x', sizeof(back));
    assert_int_equal(pii_open(k, &other_row, tok, back, sizeof(back)),
                     DD_EINVAL);
    assert_string_equal(back, "");
    assert_int_equal(pii_open(k, &other_column, tok, back, sizeof(back)),
                     DD_EINVAL);
    assert_int_equal(pii_open(k, &other_table, tok, back, sizeof(back)),
                     DD_EINVAL);
    assert_int_equal(pii_open(k, &shifted, tok, back, sizeof(back)), DD_EINVAL);
    assert_int_equal(pii_open(k, &empty_row, tok, back, sizeof(back)),
                     DD_EINVAL);
    assert_int_equal(pii_seal(k, &empty_row, "1", tok, sizeof(tok)), DD_EINVAL);
    assert_string_equal(tok, "");
    assert_int_equal(pii_seal(k, &no_row, "1", tok, sizeof(tok)), DD_EINVAL);
    memset(big, 'r', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    long_row.row = big; /* one byte over */
    assert_int_equal(pii_seal(k, &long_row, "1", tok, sizeof(tok)), DD_EINVAL);
    big[PII_AD_PART_MAX] = '\0'; /* the longest part */
    assert_int_equal(pii_seal(k, &long_row, "1", tok, sizeof(tok)), DD_OK);
    assert_int_equal(pii_open(k, &long_row, tok, back, sizeof(back)), DD_OK);
    assert_string_equal(back, "1");
    pii_keys_free(k);
}

static void
test_malformed(void **state)
{
    struct pii_keys *k = keys_from(key_a);
    char tok[256], bad[300], back[64];
    size_t len;

    (void)state;
    assert_int_equal(pii_seal(k, &AD, "张三", tok, sizeof(tok)), DD_OK);
    assert_int_equal(pii_open(k, &AD, tok, back, sizeof(back)), DD_OK);
    len = strlen(tok);

    /* Truncated by one character, by one base64 group, down to nothing. */
    memcpy(bad, tok, len - 1);
    bad[len - 1] = '\0';
    assert_int_equal(pii_open(k, &AD, bad, back, sizeof(back)), DD_EINVAL);
    memcpy(bad, tok, len - 4);
    bad[len - 4] = '\0';
    assert_int_equal(pii_open(k, &AD, bad, back, sizeof(back)), DD_EINVAL);
    assert_int_equal(pii_open(k, &AD, "v2:", back, sizeof(back)), DD_EINVAL);
    assert_int_equal(pii_open(k, &AD, "", back, sizeof(back)), DD_EINVAL);
    assert_int_equal(pii_open(k, &AD, "v1", back, sizeof(back)), DD_EINVAL);

    /* Another version (the unbound v1 is not opened any more), or none. */
    snprintf(bad, sizeof(bad), "v1:%s", tok + 3);
    assert_int_equal(pii_open(k, &AD, bad, back, sizeof(back)), DD_EINVAL);
    snprintf(bad, sizeof(bad), "V2:%s", tok + 3);
    assert_int_equal(pii_open(k, &AD, bad, back, sizeof(back)), DD_EINVAL);
    assert_int_equal(pii_open(k, &AD, tok + 3, back, sizeof(back)), DD_EINVAL);

    /* Bad base64: a character outside the URL alphabet, padding, the
     * standard alphabet, a space, a trailing newline. */
    snprintf(bad, sizeof(bad), "%s", tok);
    bad[10] = '*';
    assert_int_equal(pii_open(k, &AD, bad, back, sizeof(back)), DD_EINVAL);
    snprintf(bad, sizeof(bad), "%s=", tok);
    assert_int_equal(pii_open(k, &AD, bad, back, sizeof(back)), DD_EINVAL);
    snprintf(bad, sizeof(bad), "%s", tok);
    bad[10] = bad[10] == '+' ? '/' : '+';
    assert_int_equal(pii_open(k, &AD, bad, back, sizeof(back)), DD_EINVAL);
    snprintf(bad, sizeof(bad), "%.10s %s", tok, tok + 10);
    assert_int_equal(pii_open(k, &AD, bad, back, sizeof(back)), DD_EINVAL);
    snprintf(bad, sizeof(bad), "%s\n", tok);
    assert_int_equal(pii_open(k, &AD, bad, back, sizeof(back)), DD_EINVAL);
    /* The sanity check: the untouched token still opens. */
    assert_int_equal(pii_open(k, &AD, tok, back, sizeof(back)), DD_OK);
    assert_string_equal(back, "张三");
    /* One spelling per token: for plaintexts of every length mod 3 (so
     * tokens end in groups of 2, 3 and 4 digits), a last digit carrying
     * stray low bits would decode to the same bytes, and is refused; a
     * token one digit longer than a group is refused too */
    static const char digits[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    int tails[4] = {0};
    for (int n = 1; n <= 12; n++) {
        char plain[16];
        memset(plain, '7', (size_t)n);
        plain[n] = '\0';
        assert_int_equal(pii_seal(k, &AD, plain, tok, sizeof(tok)), DD_OK);
        len = strlen(tok);
        size_t digits_len = len - 3; /* after "v2:" */
        tails[digits_len % 4]++;
        assert_int_equal(pii_open(k, &AD, tok, back, sizeof(back)), DD_OK);
        assert_string_equal(back, plain);
        if (digits_len % 4 == 2 || digits_len % 4 == 3) {
            snprintf(bad, sizeof(bad), "%s", tok);
            const char *at = strchr(digits, bad[len - 1]);
            assert_non_null(at);
            bad[len - 1] = digits[(at - digits) + 1]; /* a low bit set */
            assert_int_equal(pii_open(k, &AD, bad, back, sizeof(back)),
                             DD_EINVAL);
        }
        snprintf(bad, sizeof(bad), "%sA", tok);
        if ((digits_len + 1) % 4 == 1)
            assert_int_equal(pii_open(k, &AD, bad, back, sizeof(back)),
                             DD_EINVAL);
    }
    assert_true(tails[0] && tails[2] && tails[3]);
    pii_keys_free(k);
}

static void
test_too_small(void **state)
{
    struct pii_keys *k = keys_from(key_a);
    static char big[PII_PLAINTEXT_MAX + 2];
    static char tok[PII_PLAINTEXT_MAX * 2];
    char small[256], back[64];
    size_t need = pii_sealed_len(strlen(chinese));

    (void)state;
    assert_true(need <= sizeof(small));
    memset(small, 'x', sizeof(small));
    assert_int_equal(pii_seal(k, &AD, chinese, small, need - 1), DD_ETOOBIG);
    assert_string_equal(small, "");
    assert_int_equal(pii_seal(k, &AD, chinese, small, 0), DD_ETOOBIG);
    assert_int_equal(pii_seal(k, &AD, chinese, small, need), DD_OK);
    assert_int_equal(strlen(small), need - 1);

    /* The opened plaintext needs strlen + 1 bytes. */
    memset(back, 'x', sizeof(back));
    assert_int_equal(pii_open(k, &AD, small, back, strlen(chinese)),
                     DD_ETOOBIG);
    assert_string_equal(back, "");
    assert_int_equal(pii_open(k, &AD, small, back, strlen(chinese) + 1), DD_OK);
    assert_string_equal(back, chinese);

    /* A plaintext over the limit, however large the buffer. */
    memset(big, 'a', PII_PLAINTEXT_MAX + 1);
    big[PII_PLAINTEXT_MAX + 1] = '\0';
    assert_int_equal(pii_seal(k, &AD, big, tok, sizeof(tok)), DD_ETOOBIG);
    big[PII_PLAINTEXT_MAX] = '\0';
    assert_int_equal(pii_seal(k, &AD, big, tok, sizeof(tok)), DD_OK);
    pii_keys_free(k);
}

static int
is_lower_hex(const char *s)
{
    return strlen(s) == PII_BLIND_INDEX_LEN &&
           strspn(s, "0123456789abcdef") == PII_BLIND_INDEX_LEN;
}

static void
test_blind_index(void **state)
{
    static const char id[] = "500103199001011234";
    struct pii_keys *a = keys_from(key_a);
    struct pii_keys *a2 = keys_from(key_a);
    struct pii_keys *b = keys_from(key_b);
    char i1[65], i2[65], i3[65], plain[65];
    unsigned char blind[32], mac[32], d[32];

    (void)state;
    pii_blind_index(a, id, i1);
    pii_blind_index(a2, id, i2);
    assert_true(is_lower_hex(i1));
    assert_string_equal(i1, i2);
    pii_blind_index(b, id, i3);
    assert_true(is_lower_hex(i3));
    assert_string_not_equal(i1, i3);
    pii_blind_index(a, "50010319900101123X", i2);
    assert_string_not_equal(i1, i2);
    pii_blind_index(a, "", i2);
    assert_true(is_lower_hex(i2));
    assert_string_not_equal(i1, i2);

    /* Exactly HMAC-SM3 under the blind-index subkey ... */
    hmac_sm3(key_a, 32, "doudi/v1/blind-index", 20, blind);
    hmac_sm3(blind, 32, id, strlen(id), d);
    hex_encode(d, 32, plain);
    assert_string_equal(i1, plain);
    /* ... and not under the data key itself, nor the MAC subkey, nor an
     * unkeyed SM3 of the value. */
    hmac_sm3(key_a, 32, id, strlen(id), d);
    hex_encode(d, 32, plain);
    assert_string_not_equal(i1, plain);
    hmac_sm3(key_a, 32, "doudi/v1/mac", 12, mac);
    hmac_sm3(mac, 32, id, strlen(id), d);
    hex_encode(d, 32, plain);
    assert_string_not_equal(i1, plain);
    sm3_digest(id, strlen(id), d);
    hex_encode(d, 32, plain);
    assert_string_not_equal(i1, plain);
    /* The three subkeys differ from one another. */
    hmac_sm3(key_a, 32, "doudi/v1/sm4-enc", 16, d);
    assert_memory_not_equal(d, blind, 32);
    assert_memory_not_equal(d, mac, 32);
    assert_memory_not_equal(mac, blind, 32);
    pii_keys_free(a);
    pii_keys_free(a2);
    pii_keys_free(b);
}

/* Known answers: the subkeys and blind indexes as recorded from the build
 * before the pre-keyed contexts (main at 32fe6c6), so that stored indexes
 * still match, and the v2 tokens bound to AD, computed with the OpenSSL
 * CLI alone. All under key_a. Cross-checked with the OpenSSL CLI (hex keys
 * abbreviated here: key_a is 000102...1f, the subkeys are below): printf
 * doudi/v1/blind-index | openssl mac -digest SM3 -macopt hexkey:<key_a> HMAC ->
 * blind printf 500103199001011234 | openssl mac -digest SM3 -macopt
 * hexkey:<blind> HMAC      -> its index
 *   printf 500103199001011234 | openssl enc -sm4-ctr \
 *       -K <first 16 bytes of enc> -iv 202122232425262728292a2b2c2d2e2f |
 *       xxd -p                          -> the C of its token (IV 0x20...)
 *   printf v2, then the AD bytes 06 "person" 06 "id_enc" 05 "row-a",
 *       then that token's IV and C | openssl mac -digest SM3 \
 *       -macopt hexkey:<mac> HMAC       -> the token's tag T
 * The v2 tokens (bound to AD) keep v1's C: only the tag changed. */
static const char kat_enc[] =
    "d359ecdeea10cdde7e0b7873da589496698ea9872f3255afd851a7a74d91dd5a";
static const char kat_mac[] =
    "81d8471af55c8efcb6f7a4220efb445d8cd1cec5d1c5029526de4ac1b4ce2301";
static const char kat_blind[] =
    "430580891f46e0d286e66f033b3cfba6a2dfec780e393eb8305d2f5a256b8ae1";

/* Each plaintext's blind index, and its token sealed with the IV pinned to
 * iv, iv + 1, ..., iv + 15. */
static const struct {
    const char *plaintext;
    const char *index;
    unsigned char iv;
    const char *token;
} pii_kats[] = {
    {"", "2e851b965ea42263bbf0dfe4ba77091926524bf5ee466187edd68efb4fb958c6",
     0x00,
     "v2:AAECAwQFBgcICQoLDA0ODx4OV_F6aiXNecEsRGPAjC51PaUb4ru9zOyv7M2tGKI"
     "b"},
    {"a", "55eb883535cbd325a0c8c3eadefa865ec1d8aaf08bdf657856549657de67e7cc",
     0x10,
     "v2:EBESExQVFhcYGRobHB0eH2sjRh5BuuZ_bJbIiUNK_ZfuSryh9TV7OojUAbaa-Ag"
     "Jfw"},
    {"500103199001011234",
     "d10e3867e97f88b881d2e9a62742f6839b93f9d551b979631309788e68c7239c", 0x20,
     "v2:ICEiIyQlJicoKSorLC0uL8B8sqIKo61B9f9SPYWApshNyh7QgIp4XcbcMyK3HfV"
     "uncTvvCQa6ZTH5M_jLnqpa4c9"},
    {"50010319900101123X",
     "d9516764115c2c7a83a19012632089ad3305bc09560c2de502a8b11a756cefd3", 0x30,
     "v2:MDEyMzQ1Njc4OTo7PD0-P5K7z9Uzbcm263ibNddHwZ5A17ju2CAeGzGsWUVCV0Q"
     "wqlxoCaxpkBLnlMxHee8t0iLb"},
    {"重庆市渝中区解放碑街道 张三 500103199001011234",
     "16ca6895f032f44e36234c7e0c9649a9ccc50b5c23f3c2bd5144d55958d03cd9", 0x40,
     "v2:QEFCQ0RFRkdISUpLTE1OT-Okv9YtiePf9SPxpDtT7BWcyQsdzu1RzgxPxKB2RN7"
     "c19d02iWB4r_mO8I-0fmWuqhl8C0FgRXhugi_z24gacENAF2y7na_s6ivLOr-LLqmY"
     "gMEKI248gZbCTc"},
    /* a mobile number: the citizen's phone is sealed and indexed too */
    {"13800138000",
     "ce8ee498c7d0bb8c524a17dd6c71054a7d8a739a93c87b40dfe5ddcb94772568", 0x50,
     "v2:UFFSU1RVVldYWVpbXF1eX_xFLSQo6FSH8M4zvNXkWMKfI-9jKQiBVp3vZWEuQhq"
     "KMwT1Knuh7sLKz6o"},
    /* 33 bytes: two whole CTR blocks and one byte of a third */
    {"0123456789abcdef0123456789abcdef!",
     "97656802546de1b4ad957b854bf97f53ef6f457a5bdc3cd5be257ae6fe644564", 0x60,
     "v2:YGFiY2RlZmdoaWprbG1ub_YjBoY6aJVvIE8GAb-pJ8peJnf6-d4zRxWJPKwJUtd"
     "pcZyU6H56YCbZ_y4Nq8jCMZgrC5HrNGYepwPoVkp1bKpg"},
};
#define N_PII_KATS (sizeof(pii_kats) / sizeof(pii_kats[0]))

static void
assert_hmac_hex(const void *key, const char *label, const char *want)
{
    unsigned char d[32];
    char hex[65];

    hmac_sm3(key, 32, label, strlen(label), d);
    hex_encode(d, sizeof(d), hex);
    assert_string_equal(hex, want);
}

/* The subkeys, each blind index, and each token twice: sealing with the
 * pinned IV gives the recorded token byte for byte, and the recorded token
 * opens to its plaintext. Twice over, so that the second round runs on
 * contexts the first left in the pool. */
static void
test_known_answers(void **state)
{
    struct pii_keys *k = keys_from(key_a);
    char tok[256], back[64], idx[PII_BLIND_INDEX_LEN + 1];
    size_t i;
    int round;

    (void)state;
    assert_hmac_hex(key_a, "doudi/v1/sm4-enc", kat_enc);
    assert_hmac_hex(key_a, "doudi/v1/mac", kat_mac);
    assert_hmac_hex(key_a, "doudi/v1/blind-index", kat_blind);
    for (round = 0; round < 2; round++) {
        for (i = 0; i < N_PII_KATS; i++) {
            pii_blind_index(k, pii_kats[i].plaintext, idx);
            assert_string_equal(idx, pii_kats[i].index);

            iv_pinned = 1;
            iv_first = pii_kats[i].iv;
            assert_int_equal(
                pii_seal(k, &AD, pii_kats[i].plaintext, tok, sizeof(tok)),
                DD_OK);
            iv_pinned = 0;
            assert_string_equal(tok, pii_kats[i].token);

            memset(back, 'x', sizeof(back));
            assert_int_equal(
                pii_open(k, &AD, pii_kats[i].token, back, sizeof(back)), DD_OK);
            assert_string_equal(back, pii_kats[i].plaintext);
        }
    }
    /* Unpinned again: two seals of one value differ. */
    assert_int_equal(pii_seal(k, &AD, pii_kats[2].plaintext, tok, sizeof(tok)),
                     DD_OK);
    assert_string_not_equal(tok, pii_kats[2].token);
    pii_keys_free(k);
}

#define N_THREADS 4
#define N_ROUNDS 1000

struct pii_job {
    const struct pii_keys *k;
    int thread;
    int wrong;
};

static void *
pii_worker(void *arg)
{
    struct pii_job *job = arg;
    char tok[256], back[64], idx[PII_BLIND_INDEX_LEN + 1];
    int i;

    for (i = 0; i < N_ROUNDS; i++) {
        size_t n = (size_t)(i + job->thread) % N_PII_KATS;

        pii_blind_index(job->k, pii_kats[n].plaintext, idx);
        if (strcmp(idx, pii_kats[n].index) != 0)
            job->wrong++;
        if (pii_open(job->k, &AD, pii_kats[n].token, back, sizeof(back)) !=
                DD_OK ||
            strcmp(back, pii_kats[n].plaintext) != 0)
            job->wrong++;
        if (pii_seal(job->k, &AD, pii_kats[n].plaintext, tok, sizeof(tok)) !=
                DD_OK ||
            pii_open(job->k, &AD, tok, back, sizeof(back)) != DD_OK ||
            strcmp(back, pii_kats[n].plaintext) != 0)
            job->wrong++;
    }
    return NULL;
}

/* One pii_keys shared by threads at once, as the server's threads share
 * it: every index, opening and round trip is the single-threaded one. */
static void
test_threads(void **state)
{
    struct pii_keys *k = keys_from(key_a);
    struct pii_job jobs[N_THREADS];
    pthread_t th[N_THREADS];
    int t;

    (void)state;
    for (t = 0; t < N_THREADS; t++) {
        jobs[t] = (struct pii_job){k, t, 0};
        assert_int_equal(pthread_create(&th[t], NULL, pii_worker, &jobs[t]), 0);
    }
    for (t = 0; t < N_THREADS; t++) {
        assert_int_equal(pthread_join(th[t], NULL), 0);
        assert_int_equal(jobs[t].wrong, 0);
    }
    pii_keys_free(k);
}

static void
test_keys_load(void **state)
{
    char dir[] = "/tmp/doudi-pii-XXXXXX";
    char path[64], tok[256], back[64], missing[80];
    struct pii_keys *k = NULL, *k2 = NULL;
    int created = 0;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/data.key", dir);
    snprintf(missing, sizeof(missing), "%s/absent.key", dir);
    assert_int_equal(keyfile_ensure(path, &created), DD_OK);
    assert_int_equal(created, 1);

    assert_int_equal(pii_keys_load(path, &k), DD_OK);
    assert_non_null(k);
    assert_int_equal(pii_seal(k, &AD, chinese, tok, sizeof(tok)), DD_OK);
    pii_keys_free(k);
    /* Loading again derives the same keys: the token still opens. */
    assert_int_equal(pii_keys_load(path, &k2), DD_OK);
    assert_int_equal(pii_open(k2, &AD, tok, back, sizeof(back)), DD_OK);
    assert_string_equal(back, chinese);
    pii_keys_free(k2);

    /* A key file others may read is refused. */
    assert_int_equal(chmod(path, 0644), 0);
    k = (struct pii_keys *)&created; /* must be reset to NULL */
    assert_int_equal(pii_keys_load(path, &k), DD_EINVAL);
    assert_null(k);
    assert_int_equal(pii_keys_load(missing, &k), DD_ENOTFOUND);
    assert_null(k);

    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(dir), 0);
    pii_keys_free(NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sm4_known_answer),
        cmocka_unit_test(test_token_format),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_random_iv),
        cmocka_unit_test(test_tamper),
        cmocka_unit_test(test_wrong_key),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_bound_to_row),
        cmocka_unit_test(test_embedded_nul),
        cmocka_unit_test(test_too_small),
        cmocka_unit_test(test_blind_index),
        cmocka_unit_test(test_known_answers),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_keys_load),
    };

    /* Before libsodium starts (randombytes_set_implementation's rule). */
    if (randombytes_set_implementation(&rng_pinnable) != 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
