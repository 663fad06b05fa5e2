/* SPDX-License-Identifier: MIT */
/* Personal data protection: sealing personal fields (ID numbers, names,
 * addresses) at rest with SM4-CTR + HMAC-SM3 under keys derived from the
 * data key file, and a keyed blind index for exact lookup of ID numbers. */
#ifndef DD_PII_H
#define DD_PII_H

#include <stddef.h>

#include "core/status.h"
#include "crypto/keyfile.h"

/* The longest plaintext pii_seal takes, in bytes (without the NUL). */
#define PII_PLAINTEXT_MAX 4096
/* The parts of a sealed token, in bytes before base64. */
#define PII_IV_LEN 16
#define PII_TAG_LEN 32
/* The token's version prefix; the tag covers it without the colon. */
#define PII_PREFIX "v1:"
#define PII_BLIND_INDEX_LEN 64 /* hex, without the NUL */

/* Three subkeys derived from the 32-byte data key, each 32 bytes:
 *
 *   enc_key   = HMAC-SM3(data_key, "doudi/v1/sm4-enc"), of which the first
 *               16 bytes are the SM4 key
 *   mac_key   = HMAC-SM3(data_key, "doudi/v1/mac")
 *   blind_key = HMAC-SM3(data_key, "doudi/v1/blind-index")
 *
 * (HMAC as a PRF with distinct labels, so no subkey tells anything about
 * another or about the data key.) The subkeys are derived in sodium_malloc'd
 * memory and wiped as soon as each has keyed its OpenSSL context (the SM4
 * key schedule; HMAC's inner and outer states), once per pii_keys rather
 * than once per call; pii_keys_free frees those contexts, which OpenSSL
 * cleanses. A pii_keys is fixed after setup and its calls take keyed
 * contexts from a locked pool (crypto/ctxpool.h), so one may be shared by
 * any number of threads. */
struct pii_keys;

/* Derives the subkeys from data_key into a new *out, which the caller frees
 * with pii_keys_free. The caller still owns (and should wipe) data_key.
 * DD_ENOMEM if secure memory cannot be had; DD_EINTERNAL if OpenSSL has no
 * SM4-CTR. */
enum dd_status pii_keys_new(const unsigned char data_key[KEYFILE_KEY_LEN],
                            struct pii_keys **out) DD_WUR;
/* Reads the data key file (see keyfile_read) and derives the keys from it;
 * the raw key is wiped before returning. DD_ENOTFOUND if the file is
 * missing, DD_EINVAL if it is not a key or is readable by others, or an
 * error of pii_keys_new. */
enum dd_status pii_keys_load(const char *key_file,
                             struct pii_keys **out) DD_WUR;
/* Wipes and frees k; NULL is fine. */
void pii_keys_free(struct pii_keys *k);

/* The size of the buffer pii_seal needs for a plaintext of plaintext_len
 * bytes, including the NUL. */
size_t pii_sealed_len(size_t plaintext_len);

/* Seals the NUL-terminated plaintext into out as a text token:
 *
 *   "v1:" base64url-no-padding( IV ‖ C ‖ T )
 *
 * where IV is 16 random bytes, C = SM4-CTR(enc_key, IV, plaintext) (the
 * whole IV is the initial 128-bit counter block), and
 * T = HMAC-SM3(mac_key, "v1" ‖ IV ‖ C), 32 bytes. The token is ASCII,
 * safe in URLs and SQL text, and its length reveals the plaintext length.
 * DD_ETOOBIG if the plaintext is over PII_PLAINTEXT_MAX or out_len is
 * below pii_sealed_len (out is then ""); DD_EINTERNAL if the cipher fails. */
enum dd_status pii_seal(const struct pii_keys *k, const char *plaintext,
                        char *out, size_t out_len) DD_WUR;

/* Opens a token made by pii_seal into out, NUL-terminated. The tag is
 * checked in constant time before anything is decrypted. DD_EINVAL if the
 * token is malformed, has another version, was sealed under another key or
 * was altered in any way; DD_ETOOBIG if out_len cannot hold the plaintext
 * and its NUL. On any error out is "" (when out_len > 0). */
enum dd_status pii_open(const struct pii_keys *k, const char *sealed, char *out,
                        size_t out_len) DD_WUR;

/* out = hex(HMAC-SM3(blind_key, normalised_value)), 64 lowercase hex digits
 * and a NUL: a deterministic, keyed index for exact lookup (the person's
 * id_hash). The caller normalises first (e.g. an ID number in upper case),
 * since different spellings give unrelated indexes. Without the data key
 * the index cannot be recomputed from a guessed ID number. */
void pii_blind_index(const struct pii_keys *k, const char *normalised_value,
                     char out[PII_BLIND_INDEX_LEN + 1]);

#endif
