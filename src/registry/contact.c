/* SPDX-License-Identifier: MIT */
/* A household's contact phone and payee bank account: checks, masks, the
 * phone's blind index and the seals bound to the household id (see
 * contact.h and crypto/pii.h). */
#include "registry/contact.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "accounts/citizen.h"
#include "core/str.h"

int
contact_bank_account_valid(const char *account)
{
    size_t n = strlen(account);
    return n >= CONTACT_BANK_MIN && n <= CONTACT_BANK_MAX &&
           strspn(account, "0123456789") == n;
}

static enum dd_status
bad(struct arena *a, struct dd_error *err, const char *prefix,
    const char *field, const char *en, const char *zh)
{
    err->code = "INVALID_VALUE";
    err->field = arena_printf(a, "%s%s", prefix, field);
    err->message = en;
    err->message_zh = zh;
    return DD_EINVAL;
}

enum dd_status
contact_check(struct arena *a, const char *prefix, const char *phone,
              const char *bank_account, struct dd_error *err)
{
    if (phone && *phone && !citizen_phone_valid(phone))
        return bad(a, err, prefix, "contact_phone",
                   "contact_phone is a mainland mobile number: 11 digits, "
                   "1 then 3-9",
                   "联系电话须为 11 位中国大陆手机号码（1 开头，第二位 3-9）");
    if (bank_account && *bank_account &&
        !contact_bank_account_valid(bank_account))
        return bad(a, err, prefix, "bank_account",
                   "bank_account is the payee account number: 12 to 19 digits",
                   "收款银行账号须为 12 至 19 位数字");
    return DD_OK;
}

/* 6222 0212 3456 7890 123 -> 6222***********0123: the bank's prefix and
 * the last four, which is what a clerk reads back to the holder. */
static void
bank_mask(const char *account, char *out, size_t out_len)
{
    size_t n = strlen(account);
    if (n + 1 > out_len || n < 8) {
        str_copy(out, out_len, "");
        return;
    }
    memcpy(out, account, 4);
    memset(out + 4, '*', n - 8);
    memcpy(out + n - 4, account + n - 4, 4);
    out[n] = '\0';
}

enum dd_status
contact_seal(const struct pii_keys *k, const char *phone,
             const char *bank_account, struct household_row *h, int *changed)
{
    char row[24];
    enum dd_status rc = DD_OK;
    snprintf(row, sizeof(row), "%" PRId64, h->id);
    *changed = 0;
    if (phone) {
        *changed = 1;
        h->contact_phone_hash[0] = h->contact_phone_enc[0] = '\0';
        h->contact_phone_masked[0] = '\0';
        if (*phone) {
            citizen_phone_index(k, phone, h->contact_phone_hash);
            citizen_phone_mask(phone, h->contact_phone_masked);
            rc = pii_seal(k, &PII_AD_HOUSEHOLD_PHONE(row), phone,
                          h->contact_phone_enc, sizeof(h->contact_phone_enc));
        }
    }
    if (rc == DD_OK && bank_account) {
        *changed = 1;
        h->bank_account_enc[0] = h->bank_account_masked[0] = '\0';
        if (*bank_account) {
            bank_mask(bank_account, h->bank_account_masked,
                      sizeof(h->bank_account_masked));
            rc = pii_seal(k, &PII_AD_HOUSEHOLD_BANK(row), bank_account,
                          h->bank_account_enc, sizeof(h->bank_account_enc));
        }
    }
    return rc == DD_OK ? DD_OK : DD_EINTERNAL;
}

void
contact_copy(struct household_row *to, const struct household_row *from)
{
    memcpy(to->contact_phone_hash, from->contact_phone_hash,
           sizeof(to->contact_phone_hash));
    memcpy(to->contact_phone_enc, from->contact_phone_enc,
           sizeof(to->contact_phone_enc));
    memcpy(to->contact_phone_masked, from->contact_phone_masked,
           sizeof(to->contact_phone_masked));
    memcpy(to->bank_account_enc, from->bank_account_enc,
           sizeof(to->bank_account_enc));
    memcpy(to->bank_account_masked, from->bank_account_masked,
           sizeof(to->bank_account_masked));
}
