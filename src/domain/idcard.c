/* SPDX-License-Identifier: MIT */
/* Citizen ID numbers (GB 11643-1999): the ISO 7064 MOD 11-2 check, the
 * 15-digit upgrade, address, birth date and sex, masking and age; and the
 * 2nd-generation disability card number. The rules are domain.md §8. Pure:
 * no I/O, no allocation. */
#include "domain/idcard.h"

#include <stddef.h>

#include "core/timeutil.h"

/* GB 11643-1999 §5.5 (ISO 7064:1983 MOD 11-2): the weight of position i
 * (1-based, from the left) is 2^(18-i) mod 11. */
static const int weights[17] = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                3, 7, 9,  10, 5, 8, 4, 2};

/* ...and the check character is this string at S mod 11, S = Σ dᵢ·wᵢ. */
static const char check_chars[] = "10X98765432";

/* Fills *err, if any, with a validation failure; returns DD_EINVAL. */
static enum dd_status
fail(struct dd_error *err, const char *code, const char *en, const char *zh)
{
    return dd_invalid(err, code, NULL, en, zh);
}

static int
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The value of n digits at s; the caller has checked they are digits. */
static int
digits_value(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* The length of s, counting no further than cap (s need not be terminated
 * beyond that). */
static size_t
bounded_len(const char *s, size_t cap)
{
    size_t n = 0;
    while (n < cap && s[n] != '\0')
        n++;
    return n;
}

/* Negative, zero or positive as y1-m1-d1 is before, on or after y2-m2-d2. */
static int
date_cmp(int y1, int m1, int d1, int y2, int m2, int d2)
{
    if (y1 != y2)
        return y1 < y2 ? -1 : 1;
    if (m1 != m2)
        return m1 < m2 ? -1 : 1;
    if (d1 != d2)
        return d1 < d2 ? -1 : 1;
    return 0;
}

int
idcard_check_char(const char *first17)
{
    int sum = 0;
    if (!first17)
        return 0;
    for (int i = 0; i < 17; i++) {
        if (!is_digit(first17[i]))
            return 0; /* also stops at a NUL */
        sum += (first17[i] - '0') * weights[i];
    }
    return check_chars[sum % 11];
}

/* GB/T 2260 province-level codes (first two digits of the address code)
 * that mainland ID numbers carry: 11-15 华北, 21-23 东北, 31-37 华东,
 * 41-46 中南, 50-54 西南, 61-65 西北. 71 (台湾) is a GB/T 2260 code but no
 * ID number is issued under it; Taiwan residents hold 830000 permits. */
static int
is_province(int p)
{
    return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) ||
           (p >= 31 && p <= 37) || (p >= 41 && p <= 46) ||
           (p >= 50 && p <= 54) || (p >= 61 && p <= 65);
}

/* The kind of number for a 6-digit address code, or -1 if implausible.
 * 港澳台居民居住证 use exactly 810000/820000/830000 (domain.md §8). */
static int
region_kind(const char *code6)
{
    int province = digits_value(code6, 2);
    if (is_province(province))
        return IDCARD_RESIDENT;
    if (province >= 81 && province <= 83 && digits_value(code6 + 2, 4) == 0)
        return province == 81   ? IDCARD_PERMIT_HK
               : province == 82 ? IDCARD_PERMIT_MO
                                : IDCARD_PERMIT_TW;
    return -1;
}

enum dd_status
idcard_parse(const char *text, int today_y, int today_m, int today_d,
             struct idcard *out, struct dd_error *err)
{
    char num[19];
    size_t len;
    int kind;

    if (!out)
        return DD_EINTERNAL;
    if (!text)
        return fail(err, "INVALID_ID_LENGTH", "The ID number is missing.",
                    "身份证号码为空。");
    /* 19 is enough to tell "too long" from 18 without reading further. */
    len = bounded_len(text, 19);
    if (len != 18 && len != 15)
        return fail(err, "INVALID_ID_LENGTH",
                    "An ID number has 18 characters (or 15 digits for an "
                    "old number).",
                    "身份证号码应为18位（旧号码为15位数字）。");

    if (len == 18) {
        for (int i = 0; i < 17; i++)
            if (!is_digit(text[i]))
                return fail(err, "INVALID_ID_FORMAT",
                            "The first 17 characters of an ID number are "
                            "digits.",
                            "身份证号码前17位应为数字。");
        if (!is_digit(text[17]) && text[17] != 'X' && text[17] != 'x')
            return fail(err, "INVALID_ID_FORMAT",
                        "The last character of an ID number is a digit "
                        "or X.",
                        "身份证号码最后一位应为数字或X。");
        for (int i = 0; i < 17; i++)
            num[i] = text[i];
        /* domain.md §8: accept a lower-case x, store it upper case. */
        num[17] = text[17] == 'x' ? 'X' : text[17];
        num[18] = '\0';
        /* GB 11643-1999 §5.5: the check character of the 17 digits. */
        if (num[17] != idcard_check_char(num))
            return fail(err, "INVALID_ID_CHECKSUM",
                        "The ID number's check character is wrong; please "
                        "check it for a typing error.",
                        "身份证号码校验位不正确，请检查是否输入有误。");
    } else {
        for (int i = 0; i < 15; i++)
            if (!is_digit(text[i]))
                return fail(err, "INVALID_ID_FORMAT",
                            "A 15-character ID number is all digits.",
                            "15位身份证号码应全部为数字。");
        /* GB 11643-1989 → 1999 (domain.md §8): 6 address digits, then "19"
         * before the 2-digit year, the rest, and a computed check. */
        for (int i = 0; i < 6; i++)
            num[i] = text[i];
        num[6] = '1';
        num[7] = '9';
        for (int i = 6; i < 15; i++)
            num[i + 2] = text[i];
        num[17] = (char)idcard_check_char(num);
        num[18] = '\0';
    }

    /* GB 11643-1999 §5.2: the address code follows GB/T 2260. */
    kind = region_kind(num);
    if (kind < 0 || (len == 15 && kind != IDCARD_RESIDENT))
        return fail(err, "INVALID_ID_REGION",
                    "The ID number does not start with a valid region "
                    "code.",
                    "身份证号码的地址码（前6位）无效。");

    /* GB 11643-1999 §5.3: YYYYMMDD per GB/T 7408. */
    int y = digits_value(num + 6, 4);
    int m = digits_value(num + 10, 2);
    int d = digits_value(num + 12, 2);
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > time_days_in_month(y, m) ||
        date_cmp(y, m, d, today_y, today_m, today_d) > 0)
        return fail(err, "INVALID_ID_BIRTH_DATE",
                    "The birth date in the ID number is not a valid date "
                    "between 1900 and today.",
                    "身份证号码中的出生日期无效（须为1900年至今的真实日期）。");

    for (int i = 0; i < 19; i++)
        out->number[i] = num[i];
    out->birth_year = y;
    out->birth_month = m;
    out->birth_day = d;
    /* GB 11643-1999 §5.4: an odd sequence code is a man, even a woman. */
    out->sex = (num[16] - '0') % 2 ? 'M' : 'F';
    for (int i = 0; i < 6; i++)
        out->region[i] = num[i];
    out->region[6] = '\0';
    out->kind = (enum idcard_kind)kind;
    out->upgraded_from_15 = len == 15;
    return DD_OK;
}

void
idcard_mask(const char *number18, char out[19])
{
    int whole = number18 && bounded_len(number18, 19) == 18;
    for (int i = 0; i < 18; i++)
        out[i] = whole && (i < 6 || i >= 14) ? number18[i] : '*';
    out[18] = '\0';
}

int
idcard_age_on(const struct idcard *id, int y, int m, int d)
{
    int age;
    if (date_cmp(y, m, d, id->birth_year, id->birth_month, id->birth_day) < 0)
        return -1;
    age = y - id->birth_year;
    /* Not yet had this year's birthday. A 29 February birthday compares
     * after 28 February and before 1 March, so in a non-leap year the
     * year turns on 1 March. */
    if (date_cmp(0, m, d, 0, id->birth_month, id->birth_day) < 0)
        age--;
    return age;
}

enum dd_status
idcard_disability_card_parse(const char *text, const char *id_number18,
                             int *category, int *grade, struct dd_error *err)
{
    static const char bad_code[] = "DISABILITY_CARD_INVALID";
    static const char bad_en[] =
        "A disability card number is the 18-character ID number, the "
        "category 1-7 and the grade 1-4, optionally followed by B and a "
        "reissue digit.";
    static const char bad_zh[] =
        "残疾人证号应为18位身份证号码加残疾类别（1-7）和等级（1-4），"
        "补发证可再加B和一位数字。";
    size_t len;
    int cat, grd;

    if (!text)
        return fail(err, bad_code, bad_en, bad_zh);
    len = bounded_len(text, 23);
    /* domain.md §8: ID(18) + category [1-7] + grade [1-4] (+ "B" digit). */
    if (len != 20 && len != 22)
        return fail(err, bad_code, bad_en, bad_zh);
    for (int i = 0; i < 17; i++)
        if (!is_digit(text[i]))
            return fail(err, bad_code, bad_en, bad_zh);
    if (!is_digit(text[17]) && text[17] != 'X' && text[17] != 'x')
        return fail(err, bad_code, bad_en, bad_zh);
    if (text[18] < '1' || text[18] > '7' || text[19] < '1' || text[19] > '4')
        return fail(err, bad_code, bad_en, bad_zh);
    /* The reissue suffix: [bB][1-9], as the reference regex has it. */
    if (len == 22 && ((text[20] != 'B' && text[20] != 'b') || text[21] < '1' ||
                      text[21] > '9'))
        return fail(err, bad_code, bad_en, bad_zh);
    cat = text[18] - '0';
    grd = text[19] - '0';

    int same = id_number18 && bounded_len(id_number18, 19) == 18;
    for (int i = 0; same && i < 18; i++) {
        char c = text[i] == 'x' ? 'X' : text[i];
        char want = id_number18[i] == 'x' ? 'X' : id_number18[i];
        same = c == want;
    }
    if (!same)
        return fail(err, "DISABILITY_CARD_MISMATCH",
                    "The disability card number does not belong to this "
                    "ID number.",
                    "残疾人证号与身份证号码不一致。");
    if (category)
        *category = cat;
    if (grade)
        *grade = grd;
    return DD_OK;
}

const char *
idcard_disability_category_name(int category, int zh)
{
    /* domain.md §8: category codes of the 2nd-generation card. */
    static const char *const names[7][2] = {
        {"visual", "视力"},   {"hearing", "听力"},      {"speech", "言语"},
        {"physical", "肢体"}, {"intellectual", "智力"}, {"mental", "精神"},
        {"multiple", "多重"},
    };
    if (category < 1 || category > 7)
        return NULL;
    return names[category - 1][zh ? 1 : 0];
}
