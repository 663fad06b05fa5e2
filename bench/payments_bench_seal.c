/* SPDX-License-Identifier: MIT */
/* The sealed values bench/payments_bench's generated caseload needs for a
 * bank file, which SQL cannot make: for household i of 1..N (its head is
 * person i, bench/payments_bench_gen.sql) an ID number (18 characters
 * with its check character), its blind index, masked form and token
 * sealed on that index, and the head's active payee account i, a bank
 * card number (with its Luhn digit) sealed on the account's row, its
 * blind index and last 4 digits. Written as CSV on standard output, one
 * line per household:
 *   id,id_hash,id_masked,id_enc,account_sealed,account_index,last4
 * with the key file DOUDI_KEY_FILE, as `doudi init` made it.
 * usage: payments_bench_seal N */
#include <stdio.h>
#include <stdlib.h>

#include "crypto/pii.h"
#include "domain/idcard.h"
#include "domain/payee.h"

int
main(int argc, char **argv)
{
    const char *key_file = getenv("DOUDI_KEY_FILE");
    long long n = argc == 2 ? atoll(argv[1]) : 0;
    struct pii_keys *k = NULL;
    if (n <= 0 || !key_file || pii_keys_load(key_file, &k) != DD_OK) {
        fprintf(stderr, "usage: DOUDI_KEY_FILE=KEY payments_bench_seal N\n");
        return 2;
    }
    static char obuf[1 << 16];
    setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
    for (long long i = 1; i <= n; i++) {
        char id[19], hash[PII_BLIND_INDEX_LEN + 1], masked[19], card[24],
            row[24], card_index[PII_BLIND_INDEX_LEN + 1];
        char id_enc[128], card_enc[128];
        /* born 1950-01-01 + i mod 40 years, serial i mod 1000 */
        snprintf(id, sizeof(id), "500103%04lld0101%03lld", 1950 + i % 40,
                 i % 1000);
        id[17] = (char)idcard_check_char(id);
        id[18] = '\0';
        snprintf(card, sizeof(card), "621700%012lld", i % 1000000000000LL);
        card[18] = payee_luhn_digit(card);
        card[19] = '\0';
        snprintf(row, sizeof(row), "%lld", i);
        pii_blind_index(k, id, hash);
        pii_blind_index(k, card, card_index);
        idcard_mask(id, masked);
        if (pii_seal(k, &PII_AD_PERSON_ID(hash), id, id_enc, sizeof(id_enc)) !=
                DD_OK ||
            pii_seal(k, &PII_AD_PAYEE_ACCOUNT(row), card, card_enc,
                     sizeof(card_enc)) != DD_OK) {
            fprintf(stderr, "payments_bench_seal: sealing failed\n");
            pii_keys_free(k);
            return 1;
        }
        printf("%lld,%s,%s,%s,%s,%s,%s\n", i, hash, masked, id_enc, card_enc,
               card_index, card + 15);
    }
    pii_keys_free(k);
    return fflush(stdout) == 0 ? 0 : 1;
}
