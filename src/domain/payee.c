/* SPDX-License-Identifier: MIT */
/* Account numbers, the Luhn digit, name normalisation and masking. */
#include "domain/payee.h"

#include <stdint.h>
#include <string.h>

#include "domain/engine.h"
#include "domain/household.h"

static const char *const kind_names[PAYEE_KIND__COUNT] = {"bank_card",
                                                          "passbook", "sscard"};

/* Accepted lengths by kind (sources in the header). */
static const struct {
    size_t min, max;
} lengths[PAYEE_KIND__COUNT] = {
    [PAYEE_BANK_CARD] = {16, 19},
    [PAYEE_PASSBOOK] = {12, 18},
    [PAYEE_SSCARD] = {16, 19},
};

const char *
payee_kind_name(enum payee_kind k)
{
    return (int)k >= 0 && k < PAYEE_KIND__COUNT ? kind_names[k] : "";
}

int
payee_kind_parse(const char *name, enum payee_kind *out)
{
    int i = engine_name_index(kind_names, PAYEE_KIND__COUNT, name);
    if (i < 0)
        return -1;
    *out = (enum payee_kind)i;
    return 0;
}

/* The length of s when it is all digits, else 0. */
static size_t
digits_len(const char *s)
{
    size_t n = 0;
    while (s[n] >= '0' && s[n] <= '9')
        n++;
    return s[n] == '\0' ? n : 0;
}

/* The Luhn sum of the n digits at s, the last of them doubled when
 * double_last. */
static unsigned
luhn_sum(const char *s, size_t n, int double_last)
{
    unsigned sum = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned)(s[n - 1 - i] - '0');
        if ((i % 2 == 0) == (double_last != 0))
            d = d * 2 > 9 ? d * 2 - 9 : d * 2;
        sum += d;
    }
    return sum;
}

char
payee_luhn_digit(const char *payload)
{
    size_t n = payload ? digits_len(payload) : 0;
    if (n == 0)
        return 0;
    return (char)('0' + (10 - luhn_sum(payload, n, 1) % 10) % 10);
}

int
payee_luhn_ok(const char *digits)
{
    size_t n = digits ? digits_len(digits) : 0;
    return n >= 2 && luhn_sum(digits, n, 0) % 10 == 0;
}

enum dd_status
payee_account_check(enum payee_kind kind, const char *number, int luhn,
                    struct dd_error *err)
{
    if ((int)kind < 0 || kind >= PAYEE_KIND__COUNT)
        return dd_invalid(err, "INVALID_ACCOUNT_KIND", "kind",
                          "unknown account kind", "未知的账户类型");
    size_t n = number ? digits_len(number) : 0;
    if (n == 0)
        return dd_invalid(err, "ACCOUNT_NOT_DIGITS", "account_number",
                          "an account number is digits only",
                          "账号只能由数字组成");
    if (n < lengths[kind].min || n > lengths[kind].max)
        return dd_invalid(err, "ACCOUNT_LENGTH", "account_number",
                          "the account number has the wrong length",
                          "账号位数不正确");
    if (luhn && !payee_luhn_ok(number))
        return dd_invalid(err, "ACCOUNT_CHECK_DIGIT", "account_number",
                          "the account number's check digit is wrong",
                          "账号校验位不正确");
    return DD_OK;
}

/* ---- names ---- */

/* Decodes one UTF-8 code point at s into *cp: its length in bytes, or 0
 * for an invalid sequence (overlong, surrogate, over U+10FFFF). */
static size_t
utf8_decode(const unsigned char *s, uint32_t *cp)
{
    static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
    size_t len = s[0] < 0x80             ? 1
                 : (s[0] & 0xE0) == 0xC0 ? 2
                 : (s[0] & 0xF0) == 0xE0 ? 3
                 : (s[0] & 0xF8) == 0xF0 ? 4
                                         : 0;
    if (len == 0)
        return 0;
    uint32_t c = len == 1 ? s[0] : s[0] & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

static size_t
utf8_encode(uint32_t c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* A space or a name's separator dot: dropped. */
static int
dropped(uint32_t c)
{
    static const uint32_t set[] = {0x20,   0x09,   0xA0,   0x3000, 0x2E,  0xB7,
                                   0x2022, 0x2027, 0x30FB, 0xFF0E, 0xFF65};
    for (size_t i = 0; i < sizeof(set) / sizeof(set[0]); i++)
        if (c == set[i])
            return 1;
    return 0;
}

static uint32_t
folded(uint32_t c)
{
    if (c >= 0xFF01 && c <= 0xFF5E)
        c -= 0xFF01 - 0x21; /* full-width ASCII to half-width */
    if (c >= 'a' && c <= 'z')
        c -= 'a' - 'A';
    return c;
}

enum dd_status
payee_name_normalise(const char *in, char *out, size_t cap,
                     struct dd_error *err)
{
    if (in == NULL || out == NULL || strlen(in) > PAYEE_NAME_MAX)
        return dd_invalid(err, "INVALID_NAME", "account_name",
                          "the name is missing or too long", "姓名缺失或过长");
    const unsigned char *s = (const unsigned char *)in;
    size_t w = 0;
    while (*s) {
        uint32_t c;
        size_t len = utf8_decode(s, &c);
        if (len == 0)
            return dd_invalid(err, "INVALID_NAME", "account_name",
                              "the name is not valid UTF-8",
                              "姓名不是有效的 UTF-8 文本");
        s += len;
        if (dropped(c))
            continue;
        char buf[4];
        size_t k = utf8_encode(folded(c), buf);
        if (w + k >= cap) {
            (void)dd_invalid(err, "BUFFER_TOO_SMALL", NULL,
                             "the result does not fit the buffer given",
                             "结果超出所给缓冲区");
            return DD_ETOOBIG;
        }
        memcpy(out + w, buf, k);
        w += k;
    }
    if (cap > 0)
        out[w] = '\0';
    return DD_OK;
}

enum dd_status
payee_name_match(const char *account_name, const char *payee_name,
                 struct dd_error *err)
{
    char a[PAYEE_NAME_MAX + 1], b[PAYEE_NAME_MAX + 1];
    enum dd_status rc = payee_name_normalise(account_name, a, sizeof(a), err);
    if (rc == DD_OK)
        rc = payee_name_normalise(payee_name, b, sizeof(b), err);
    if (rc != DD_OK)
        return rc;
    if (a[0] == '\0' || strcmp(a, b) != 0)
        return dd_invalid(err, "ACCOUNT_NAME_MISMATCH", "account_name",
                          "the account name is not the payee's name",
                          "账户名与领款人姓名不一致");
    return DD_OK;
}

void
payee_mask(const char *number, char out[PAYEE_MASK_LEN])
{
    size_t n = number ? digits_len(number) : 0;
    if (n < 9 || n > PAYEE_NUMBER_MAX) {
        memcpy(out, "****", 5);
        return;
    }
    memcpy(out, number, 4);
    memset(out + 4, '*', n - 8);
    memcpy(out + n - 4, number + n - 4, 4);
    out[n] = '\0';
}

int
payee_member_index(const struct payee_member *m, size_t n)
{
    /* 民法典 Art. 27's order, relations to the (minor) applicant */
    static const int order[] = {HH_REL_PARENT, HH_REL_GRANDPARENT,
                                HH_REL_SIBLING, HH_REL_OTHER};
    int applicant = -1;
    for (size_t i = 0; i < n && applicant < 0; i++)
        if (m[i].relation == HH_REL_APPLICANT)
            applicant = (int)i;
    if (applicant < 0 || m[applicant].age >= PAYEE_ADULT_AGE)
        return applicant;
    for (size_t r = 0; r < sizeof(order) / sizeof(order[0]); r++)
        for (size_t i = 0; i < n; i++)
            if (m[i].relation == order[r] && m[i].age >= PAYEE_ADULT_AGE)
                return (int)i;
    return applicant;
}
