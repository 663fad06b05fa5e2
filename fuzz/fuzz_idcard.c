/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the ID number parsers: idcard_parse on the whole
 * input (and on its first 18 bytes), idcard_disability_card_parse against
 * both, with the invariants a DD_OK result must keep. Build with the fuzz
 * preset (cmake --preset fuzz); `make fuzz` runs it. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/idcard.h"

#include "fuzz_check.h"

/* A second, independent ISO 7064 MOD 11-2: the weights as 2^(18-i) mod 11
 * and the check as (12 - S mod 11) mod 11, 10 written X. */
static int
reference_check(const char *s)
{
    int sum = 0, w = 1;
    for (int i = 16; i >= 0; i--) {
        w = (w * 2) % 11; /* position i+1 from the left: 2^(17-i) mod 11 */
        sum += (s[i] - '0') * w;
    }
    int c = (12 - sum % 11) % 11;
    return c == 10 ? 'X' : '0' + c;
}

static int
all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* Today for the fuzz run: a leap day, so the after-today check meets
 * 29 February. */
enum { TY = 2024, TM = 2, TD = 29 };

static void
check_parsed(const char *text, enum dd_status st, const struct idcard *id,
             const struct dd_error *err)
{
    size_t len = strlen(text);
    if (st != DD_OK) {
        CHECK(st == DD_EINVAL);
        CHECK(err->code != NULL && err->message != NULL &&
              err->message_zh != NULL && err->field == NULL);
        return;
    }
    CHECK(len == 18 || len == 15);
    CHECK(strlen(id->number) == 18);
    CHECK(all_digits(id->number, 17));
    CHECK(id->number[17] == idcard_check_char(id->number));
    CHECK(id->number[17] == reference_check(id->number));
    if (len == 18) {
        CHECK(memcmp(id->number, text, 17) == 0);
        CHECK(id->number[17] == text[17] ||
              (text[17] == 'x' && id->number[17] == 'X'));
        CHECK(!id->upgraded_from_15);
    } else {
        CHECK(memcmp(id->number, text, 6) == 0);
        CHECK(id->number[6] == '1' && id->number[7] == '9');
        CHECK(memcmp(id->number + 8, text + 6, 9) == 0);
        CHECK(id->upgraded_from_15);
    }
    CHECK(memcmp(id->region, id->number, 6) == 0 && id->region[6] == '\0');
    CHECK(id->sex == ((id->number[16] - '0') % 2 ? 'M' : 'F'));
    CHECK(id->birth_year >= 1900 && id->birth_year <= TY);
    CHECK(id->birth_month >= 1 && id->birth_month <= 12);
    CHECK(id->birth_day >= 1 && id->birth_day <= 31);
    switch (id->kind) {
    case IDCARD_RESIDENT: CHECK(id->number[0] <= '6'); break;
    case IDCARD_PERMIT_HK: CHECK(memcmp(id->number, "810000", 6) == 0); break;
    case IDCARD_PERMIT_MO: CHECK(memcmp(id->number, "820000", 6) == 0); break;
    case IDCARD_PERMIT_TW: CHECK(memcmp(id->number, "830000", 6) == 0); break;
    default: CHECK(!"a kind outside the enum");
    }

    char mask[19];
    idcard_mask(id->number, mask);
    CHECK(strlen(mask) == 18);
    CHECK(memcmp(mask, id->number, 6) == 0);
    CHECK(memcmp(mask + 14, id->number + 14, 4) == 0);
    CHECK(memcmp(mask + 6, "********", 8) == 0);

    CHECK(idcard_age_on(id, TY, TM, TD) >= 0);
    CHECK(idcard_age_on(id, id->birth_year, id->birth_month, id->birth_day) ==
          0);
    CHECK(idcard_age_on(id, id->birth_year + 1, 12, 31) == 1);
    CHECK(idcard_age_on(id, id->birth_year - 1, 12, 31) == -1);
}

static void
check_card(const char *text, const char *holder)
{
    int category = -1, grade = -1;
    struct dd_error err = {.field = "unset"};
    enum dd_status st =
        idcard_disability_card_parse(text, holder, &category, &grade, &err);
    if (st != DD_OK) {
        CHECK(st == DD_EINVAL);
        CHECK(err.code != NULL && err.message != NULL &&
              err.message_zh != NULL && err.field == NULL);
        CHECK(category == -1 && grade == -1);
        return;
    }
    size_t len = strlen(text);
    CHECK(len == 20 || len == 22);
    CHECK(category >= 1 && category <= 7 && grade >= 1 && grade <= 4);
    CHECK(text[18] - '0' == category && text[19] - '0' == grade);
    CHECK(idcard_disability_category_name(category, 0) != NULL);
    CHECK(idcard_disability_category_name(category, 1) != NULL);
    for (int i = 0; i < 18; i++)
        CHECK(text[i] == holder[i] || (i == 17 && (text[i] | 0x20) == 'x' &&
                                       (holder[i] | 0x20) == 'x'));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    struct idcard id;
    struct dd_error err = {.field = "unset"};
    enum dd_status st = idcard_parse(text, TY, TM, TD, &id, &err);
    check_parsed(text, st, &id, &err);

    /* The input as a disability card whose first 18 bytes, parsed as an ID
     * number, are the holder's; and against its own first 18 bytes raw. */
    if (strlen(text) >= 18) {
        char head[19];
        memcpy(head, text, 18);
        head[18] = '\0';
        struct idcard holder;
        struct dd_error herr = {.field = "unset"};
        enum dd_status hst = idcard_parse(head, TY, TM, TD, &holder, &herr);
        check_parsed(head, hst, &holder, &herr);
        if (hst == DD_OK)
            check_card(text, holder.number);
        check_card(text, head);
    }
    if (st == DD_OK)
        check_card(text, id.number);
    /* and against someone else, so that a mismatch can happen */
    check_card(text, "50010319830101123X");

    /* The helpers on raw input: the check of 17 digits or 0, and a mask
     * that shows 6 + 4 characters of an 18-character string, else none. */
    size_t len = strlen(text);
    int check = idcard_check_char(text);
    if (len >= 17 && all_digits(text, 17))
        CHECK(check == reference_check(text));
    else
        CHECK(check == 0);
    char mask[19];
    idcard_mask(text, mask);
    CHECK(strlen(mask) == 18);
    if (len == 18)
        CHECK(memcmp(mask, text, 6) == 0 &&
              memcmp(mask + 14, text + 14, 4) == 0 &&
              memcmp(mask + 6, "********", 8) == 0);
    else
        CHECK(memcmp(mask, "******************", 18) == 0);

    free(text);
    return 0;
}
