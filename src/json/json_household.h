/* SPDX-License-Identifier: MIT */
/* Decoding household bodies (POST/PUT /api/v1/households, POST .../members):
 * the structure only (types, unknown fields, sizes), naming each field by
 * its JSON path ("members[1].birth_date"). Codes such as relations and
 * income kinds stay strings here; src/registry checks their meaning. */
#ifndef DD_JSON_HOUSEHOLD_H
#define DD_JSON_HOUSEHOLD_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/status.h"

#define HHJ_MAX_MEMBERS 16
#define HHJ_MAX_INCOMES 24
#define HHJ_MAX_ASSETS 32
#define HHJ_MAX_OBLIGORS 16
#define HHJ_MAX_SELFCARE 6

/* Absent optional strings are NULL; absent integers are -1 where noted. */
struct hhj_income {
    const char *kind;
    int64_t monthly_fen;
};

struct hhj_member {
    const char *id_number;
    const char *name;
    const char *relation;
    const char *sex;             /* "M"/"F" or NULL */
    const char *birth_date;      /* or NULL */
    int64_t disability_category; /* 0 when absent */
    int64_t disability_grade;
    const char *disability_card; /* or NULL */
    int major_illness;
    const char *work_capacity; /* or NULL = "full" */
    const char *schooling;     /* or NULL = "none" */
    int employed;
    const char *selfcare_unable[HHJ_MAX_SELFCARE];
    size_t selfcare_count;
    struct hhj_income incomes[HHJ_MAX_INCOMES];
    size_t income_count;
};

struct hhj_asset {
    const char *kind;
    int64_t owner_member; /* index into members; -1 = joint (absent) */
    int64_t value_fen, count, area_dm2;
    int exempt;
};

struct hhj_obligor {
    int64_t of_member;
    const char *relation;
    const char *name;       /* or NULL */
    const char *birth_date; /* or NULL */
    int64_t disability_category, disability_grade;
    int is_tekun, is_dibao_recipient, lacks_civil_capacity, declared_missing,
        in_prison, assets_within_low_income_rule, other_provincial_unable;
    int64_t income_monthly_fen;
};

struct hhj_household {
    const char *region_code;
    const char *hukou_region;
    const char *address; /* or NULL */
    const char *urban_or_rural; /* "district" when omitted */
    /* the contact's mobile number and the payee bank account: NULL when
     * absent (a replace keeps the stored one, as it does when the masked
     * form a read showed comes back), "" to clear */
    const char *contact_phone;
    const char *bank_account;
    int64_t version; /* -1 when absent */
    struct hhj_member *members;
    size_t member_count;
    struct hhj_asset *assets;
    size_t asset_count;
    struct hhj_obligor *obligors;
    size_t obligor_count;
};

/* Decodes a whole household. Errors: DD_EINVAL with err naming the path
 * (strings in the arena); DD_ENOMEM. */
enum dd_status json_registry_decode_household(struct arena *a, const char *body,
                                              size_t len,
                                              struct hhj_household *out,
                                              struct dd_error *err) DD_WUR;
/* Decodes one member (POST .../members), with an optional "version". */
enum dd_status json_registry_decode_member(struct arena *a, const char *body,
                                           size_t len, struct hhj_member *out,
                                           int64_t *version,
                                           struct dd_error *err) DD_WUR;

#endif
