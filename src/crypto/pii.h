/* SPDX-License-Identifier: MIT */
/* Personal data protection: sealing personal fields (ID, disability card,
 * phone and bank account numbers) at rest with SM4-CTR + HMAC-SM3 under
 * keys derived from the data key file, each token bound to the table,
 * column and row it is stored in, and a keyed blind index for exact
 * lookup. */
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
#define PII_PREFIX "v2:"
/* The longest part of the associated data (struct pii_ad), in bytes. */
#define PII_AD_PART_MAX 255
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

/* Where a sealed value is stored: its table, its column and its row's
 * key, each 1 to PII_AD_PART_MAX bytes. The tag covers them, so a token
 * opens only where it was sealed: copied onto another row or into another
 * column (issue 12: one person's ID number moved onto another's row) it
 * fails to open, as an altered one does. The row key must be known when
 * sealing (a person's value is sealed before its row has an id) and must
 * differ between any two rows a value could be moved between; a value
 * moved together with its row key (id_enc with id_hash) changes the
 * household's facts, which its audited digest catches (audit/digest.h):
 *
 *   person.id_enc               the person's id_hash: the value's own
 *                               blind index, so an ID number opens only on
 *                               the row indexed under it
 *   person.disability_card_enc  the holder's id_hash (the card belongs to
 *                               that ID number, and embeds it)
 *   household.contact_phone_enc the household id in decimal: the phone's
 *   household.bank_account_enc  blind index would let a phone move with
 *                               its index, and a bank account has none;
 *                               moving the payee account to another
 *                               household is the diversion to stop. The
 *                               id is known once the row is inserted, so
 *                               these are sealed just after the insert
 *                               (registry/contact.h).
 *   payee_account.account_sealed  the account's id in decimal: bound
 *                               to the row, so no sealed number moves
 *                               onto another account (a pending or
 *                               rejected one) unseen; sealed just after
 *                               the insert (cases/payees.c).
 *   citizen_otp.phone_enc,      the phone's blind index (phone_hash)
 *   citizen_session.phone_enc
 *
 * `doudi check` opens every sealed value with its row's key. */
struct pii_ad {
    const char *table;
    const char *column;
    const char *row;
};

/* The associated data of each sealed column, given its row key. */
#define PII_AD_PERSON_ID(id_hash) ((struct pii_ad){"person", "id_enc", id_hash})
#define PII_AD_PERSON_CARD(id_hash)                                            \
    ((struct pii_ad){"person", "disability_card_enc", id_hash})
#define PII_AD_HOUSEHOLD_PHONE(id_text)                                        \
    ((struct pii_ad){"household", "contact_phone_enc", id_text})
#define PII_AD_HOUSEHOLD_BANK(id_text)                                         \
    ((struct pii_ad){"household", "bank_account_enc", id_text})
#define PII_AD_PAYEE_ACCOUNT(id_text)                                          \
    ((struct pii_ad){"payee_account", "account_sealed", id_text})
#define PII_AD_OTP_PHONE(phone_hash)                                           \
    ((struct pii_ad){"citizen_otp", "phone_enc", phone_hash})
#define PII_AD_SESSION_PHONE(phone_hash)                                       \
    ((struct pii_ad){"citizen_session", "phone_enc", phone_hash})
#define PII_AD_OIDC_VERIFIER(state_hash)                                       \
    ((struct pii_ad){"oidc_pending", "verifier_enc", state_hash})

/* Seals the NUL-terminated plaintext into out as a text token bound to
 * ad:
 *
 *   "v2:" base64url-no-padding( IV ‖ C ‖ T )
 *
 * where IV is 16 random bytes, C = SM4-CTR(enc_key, IV, plaintext) (the
 * whole IV is the initial 128-bit counter block), and
 *
 *   T = HMAC-SM3(mac_key, "v2" ‖ AD ‖ IV ‖ C), 32 bytes, with
 *   AD = len(table) ‖ table ‖ len(column) ‖ column ‖ len(row) ‖ row
 *
 * each len one byte. The token is ASCII, safe in URLs and SQL text, and
 * its length reveals the plaintext length (the AD is not in it). Tokens of
 * the unbound format "v1:" are not opened any more: no release stored
 * them, and a token that opens on any row would undo the binding.
 * DD_ETOOBIG if the plaintext is over PII_PLAINTEXT_MAX or out_len is
 * below pii_sealed_len (out is then ""); DD_EINVAL if a part of ad is
 * missing, empty or too long; DD_EINTERNAL if the cipher fails. */
enum dd_status pii_seal(const struct pii_keys *k, const struct pii_ad *ad,
                        const char *plaintext, char *out,
                        size_t out_len) DD_WUR;

/* Opens a token made by pii_seal with the same ad into out,
 * NUL-terminated. The tag is checked in constant time before anything is
 * decrypted. DD_EINVAL if the token is malformed, has another version,
 * was sealed under another key or for another table, column or row, or
 * was altered in any way; DD_ETOOBIG if out_len cannot hold the plaintext
 * and its NUL. On any error out is "" (when out_len > 0). */
enum dd_status pii_open(const struct pii_keys *k, const struct pii_ad *ad,
                        const char *sealed, char *out, size_t out_len) DD_WUR;

/* out = hex(HMAC-SM3(blind_key, normalised_value)), 64 lowercase hex digits
 * and a NUL: a deterministic, keyed index for exact lookup (the person's
 * id_hash). The caller normalises first (e.g. an ID number in upper case),
 * since different spellings give unrelated indexes. Without the data key
 * the index cannot be recomputed from a guessed ID number. */
void pii_blind_index(const struct pii_keys *k, const char *normalised_value,
                     char out[PII_BLIND_INDEX_LEN + 1]);

#endif
