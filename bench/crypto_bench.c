/* SPDX-License-Identifier: MIT */
/* In-process crypto bench: N 18-byte ID numbers (default 200,000) through
 * (a) the blind index and (b) seal then open, each two ways on one thread:
 * the old way, a fresh OpenSSL context fetched, keyed and freed per call
 * (pii.c before the pre-keyed contexts, rebuilt here from pii.h's format
 * with hmac_sm3 and a new EVP_CIPHER_CTX), and the library's pii_* calls
 * on their keyed, pooled contexts. Before any clock starts it checks that
 * both ways agree byte for byte (the same indexes; each opens the other's
 * tokens), and fails otherwise. The machines are shared and noisy, so the
 * clock is the thread's CPU time, the four loops alternate every 1,000 ID
 * numbers, and of ROUNDS rounds the median of each is reported, with the
 * ratio keyed/fresh (per second = per CPU second).
 * usage: crypto_bench [--count N] [--rounds R] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <sodium.h>

#include "crypto/crypto.h"
#include "crypto/keyfile.h"
#include "crypto/pii.h"
#include "crypto/sm3.h"

#include "bench.h"

#define ID_LEN 18
#define CHUNK 1000
#define TOKEN_MAX 128
#define B64 sodium_base64_VARIANT_URLSAFE_NO_PADDING

/* ---- the old way: a fresh context per call, as pii.c was ---- */

struct old_keys {
    unsigned char enc[32], mac[32], blind[32];
};

static void
old_keys_derive(const unsigned char dk[KEYFILE_KEY_LEN], struct old_keys *o)
{
    hmac_sm3(dk, KEYFILE_KEY_LEN, "doudi/v1/sm4-enc", 16, o->enc);
    hmac_sm3(dk, KEYFILE_KEY_LEN, "doudi/v1/mac", 12, o->mac);
    hmac_sm3(dk, KEYFILE_KEY_LEN, "doudi/v1/blind-index", 20, o->blind);
}

static void
old_blind_index(const struct old_keys *o, const char *v, char out[65])
{
    unsigned char d[SM3_DIGEST_LEN];

    hmac_sm3(o->blind, 32, v, strlen(v), d);
    hex_encode(d, sizeof(d), out);
}

static EVP_CIPHER *sm4_ctr;

static int
old_ctr(const struct old_keys *o, const unsigned char *iv,
        const unsigned char *in, size_t len, unsigned char *out)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int n = 0, fin = 0, ok;

    ok = ctx != NULL &&
         EVP_EncryptInit_ex2(ctx, sm4_ctr, o->enc, iv, NULL) == 1 &&
         EVP_EncryptUpdate(ctx, out, &n, in, (int)len) == 1 &&
         EVP_EncryptFinal_ex(ctx, out + n, &fin) == 1 &&
         (size_t)(n + fin) == len;
    EVP_CIPHER_CTX_free(ctx);
    return ok ? 0 : -1;
}

/* Every bench token is bound to one row (pii.h's associated data). */
#define BENCH_AD ((struct pii_ad){"person", "id_enc", "bench"})
/* "v2" ‖ len ‖ "person" ‖ len ‖ "id_enc" ‖ len ‖ "bench", as pii.h writes
 * BENCH_AD before the IV */
static const char old_ad[] = "v2\x06person\x06id_enc\x05"
                             "bench";
#define AD_LEN (sizeof(old_ad) - 1)

/* "v2:" base64url("IV ‖ C ‖ T"), T = HMAC-SM3(mac, "v2" ‖ AD ‖ IV ‖ C). */
static int
old_seal(const struct old_keys *o, const char *pt, char *tok, size_t tok_len)
{
    unsigned char w[AD_LEN + 16 + ID_LEN + 32];
    unsigned char *iv = w + AD_LEN, *ct = iv + 16;
    size_t len = strlen(pt);

    if (len > ID_LEN)
        return -1;
    memcpy(w, old_ad, AD_LEN);
    randombytes_buf(iv, 16);
    if (old_ctr(o, iv, (const unsigned char *)pt, len, ct) != 0)
        return -1;
    hmac_sm3(o->mac, 32, w, AD_LEN + 16 + len, ct + len);
    memcpy(tok, "v2:", 3);
    sodium_bin2base64(tok + 3, tok_len - 3, iv, 16 + len + 32, B64);
    return 0;
}

static int
old_open(const struct old_keys *o, const char *tok, char *out, size_t out_len)
{
    unsigned char w[AD_LEN + 16 + ID_LEN + 32], tag[32];
    unsigned char *iv = w + AD_LEN, *ct = iv + 16;
    size_t raw = 0, len;

    if (strncmp(tok, "v2:", 3) != 0 ||
        sodium_base642bin(iv, sizeof(w) - AD_LEN, tok + 3, strlen(tok + 3),
                          NULL, &raw, NULL, B64) != 0 ||
        raw < 48 || raw - 48 + 1 > out_len)
        return -1;
    len = raw - 48;
    memcpy(w, old_ad, AD_LEN);
    hmac_sm3(o->mac, 32, w, AD_LEN + 16 + len, tag);
    if (sodium_memcmp(tag, ct + len, 32) != 0 ||
        old_ctr(o, iv, ct, len, (unsigned char *)out) != 0)
        return -1;
    out[len] = '\0';
    return 0;
}

/* ---- the four timed loops; each returns the CPU seconds it took ---- */

static volatile unsigned sink;

/* One way to index, seal and open an ID number (0 or DD_OK: done). */
struct way {
    const void *keys;
    void (*index)(const void *keys, const char *id, char out[65]);
    int (*seal)(const void *keys, const char *id, char *tok, size_t cap);
    int (*open)(const void *keys, const char *tok, char *out, size_t cap);
};

static void
old_index_w(const void *keys, const char *id, char out[65])
{
    old_blind_index(keys, id, out);
}

static int
old_seal_w(const void *keys, const char *id, char *tok, size_t cap)
{
    return old_seal(keys, id, tok, cap);
}

static int
old_open_w(const void *keys, const char *tok, char *out, size_t cap)
{
    return old_open(keys, tok, out, cap);
}

static void
new_index_w(const void *keys, const char *id, char out[65])
{
    pii_blind_index(keys, id, out);
}

static int
new_seal_w(const void *keys, const char *id, char *tok, size_t cap)
{
    return (int)pii_seal(keys, &BENCH_AD, id, tok, cap);
}

static int
new_open_w(const void *keys, const char *tok, char *out, size_t cap)
{
    return (int)pii_open(keys, &BENCH_AD, tok, out, cap);
}

static double
run_index(const struct way *w, const char (*ids)[ID_LEN + 1], size_t n)
{
    char idx[65];
    double t0 = bench_cpu_s();

    for (size_t i = 0; i < n; i++) {
        w->index(w->keys, ids[i], idx);
        sink += (unsigned char)idx[0];
    }
    return bench_cpu_s() - t0;
}

/* Seal then open each ID number; any failure or mismatch counts in *bad. */
static double
run_seal_open(const struct way *w, const char (*ids)[ID_LEN + 1], size_t n,
              size_t *bad)
{
    char tok[TOKEN_MAX], back[ID_LEN + 1];
    double t0 = bench_cpu_s();

    for (size_t i = 0; i < n; i++) {
        if (w->seal(w->keys, ids[i], tok, sizeof(tok)) != 0 ||
            w->open(w->keys, tok, back, sizeof(back)) != 0 ||
            memcmp(back, ids[i], ID_LEN) != 0)
            (*bad)++;
    }
    return bench_cpu_s() - t0;
}

/* Both ways give the same index, and each opens the other's token. */
static size_t
cross_check(const struct old_keys *o, const struct pii_keys *k,
            const char (*ids)[ID_LEN + 1], size_t n)
{
    char a[65], b[65], tok[TOKEN_MAX], back[ID_LEN + 1];
    size_t bad = 0;

    for (size_t i = 0; i < n; i++) {
        old_blind_index(o, ids[i], a);
        pii_blind_index(k, ids[i], b);
        bad += strcmp(a, b) != 0;
        bad += old_seal(o, ids[i], tok, sizeof(tok)) != 0 ||
               pii_open(k, &BENCH_AD, tok, back, sizeof(back)) != DD_OK ||
               strcmp(back, ids[i]) != 0;
        bad += pii_seal(k, &BENCH_AD, ids[i], tok, sizeof(tok)) != DD_OK ||
               old_open(o, tok, back, sizeof(back)) != 0 ||
               strcmp(back, ids[i]) != 0;
    }
    return bad;
}

int
main(int argc, char **argv)
{
    size_t n = 200000, bad = 0, checked;
    int rounds = 5;
    unsigned char dk[KEYFILE_KEY_LEN];
    struct old_keys o;
    struct pii_keys *k = NULL;
    char(*ids)[ID_LEN + 1];
    double t[4][BENCH_MAX_ROUNDS], m[4], ratio[2][BENCH_MAX_ROUNDS];
    char txt[4][256];

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--count") == 0 && i + 1 < argc)
            n = (size_t)strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
            rounds = (int)strtol(argv[++i], NULL, 10);
        else {
            fprintf(stderr, "usage: crypto_bench [--count N] [--rounds R]\n");
            return 2;
        }
    }
    if (n == 0 || rounds < 1 || rounds > BENCH_MAX_ROUNDS) {
        fprintf(stderr, "crypto_bench: need N >= 1 and 1 <= R <= %d\n",
                BENCH_MAX_ROUNDS);
        return 2;
    }
    crypto_ready();
    sm4_ctr = EVP_CIPHER_fetch(NULL, "SM4-CTR", NULL);
    ids = calloc(n, sizeof(*ids));
    if (sm4_ctr == NULL || ids == NULL) {
        fprintf(stderr, "crypto_bench: no SM4-CTR or no memory\n");
        return 1;
    }
    /* The cost does not depend on the digits: any 18 bytes will do. */
    for (size_t i = 0; i < n; i++)
        snprintf(ids[i], sizeof(ids[i]), "5001031990%08zu", i % 100000000);
    randombytes_buf(dk, sizeof(dk));
    old_keys_derive(dk, &o);
    if (pii_keys_new(dk, &k) != DD_OK) {
        fprintf(stderr, "crypto_bench: pii_keys_new failed\n");
        return 1;
    }
    const struct way fresh = {&o, old_index_w, old_seal_w, old_open_w};
    const struct way keyed = {k, new_index_w, new_seal_w, new_open_w};
    checked = n < 1000 ? n : 1000;
    bad = cross_check(&o, k, ids, checked);
    printf("Doudi crypto bench: %zu 18-byte ID numbers, 1 thread, CPU time, %d "
           "alternating rounds, median reported; fresh = a new OpenSSL "
           "context per call (the old way), keyed = pii.c's pooled keyed "
           "contexts\n",
           n, rounds);
    printf("cross-check (%zu ID numbers): %s\n", checked,
           bad ? "the two ways DIFFER"
               : "identical indexes, tokens open both ways");
    for (int r = 0; r < rounds && bad == 0; r++) {
        double sec[4] = {0, 0, 0, 0};

        /* The ways alternate every CHUNK ID numbers, so that both see the
         * same caches and the same neighbours. */
        for (size_t at = 0; at < n; at += CHUNK) {
            size_t len = n - at < CHUNK ? n - at : CHUNK;

            sec[0] += run_index(&fresh, ids + at, len);
            sec[1] += run_index(&keyed, ids + at, len);
            sec[2] += run_seal_open(&fresh, ids + at, len, &bad);
            sec[3] += run_seal_open(&keyed, ids + at, len, &bad);
        }
        for (int j = 0; j < 4; j++)
            t[j][r] = (double)n / sec[j];
    }
    if (bad == 0) {
        for (int j = 0; j < 4; j++) {
            m[j] = bench_median(t[j], rounds);
            bench_rounds_text(t[j], rounds, txt[j], sizeof(txt[j]));
        }
        printf("%-30s %12s %12s %8s\n", "(median round, per CPU second)",
               "fresh", "keyed", "ratio");
        printf("%-30s %12.0f %12.0f %8.2f\n", "blind index", m[0], m[1],
               m[1] / m[0]);
        printf("%-30s %12.0f %12.0f %8.2f\n", "seal + open", m[2], m[3],
               m[3] / m[2]);
        /* Within a round the two ways ran back to back, so a round's
         * ratio is less shaken by the neighbours' load than the ratio of
         * the medians. */
        for (int r = 0; r < rounds; r++) {
            ratio[0][r] = t[1][r] / t[0][r];
            ratio[1][r] = t[3][r] / t[2][r];
        }
        printf("median of the rounds' ratios: blind index %.2f, seal + open "
               "%.2f\n",
               bench_median(ratio[0], rounds), bench_median(ratio[1], rounds));
        printf("rounds: index fresh %s/ keyed %s\n", txt[0], txt[1]);
        printf("rounds: seal+open fresh %s/ keyed %s\n", txt[2], txt[3]);
    } else {
        printf("crypto_bench: %zu failures\n", bad);
    }
    sodium_memzero(dk, sizeof(dk));
    sodium_memzero(&o, sizeof(o));
    pii_keys_free(k);
    EVP_CIPHER_free(sm4_ctr);
    free(ids);
    return bad ? 1 : 0;
}
