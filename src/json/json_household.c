/* SPDX-License-Identifier: MIT */
/* Household bodies from JSON: a small field-table walker like
 * json_decode_object, but over nested objects and arrays, so every error
 * names the full path of the offending field. */
#include "json/json_household.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "json/json.h"
#include "json/json_internal.h"

/* the types of json.h's field tables, checked as json.c checks them */
enum ftype { F_STR = JSON_T_STRING, F_INT = JSON_T_INT, F_BOOL = JSON_T_BOOL };

struct fdesc {
    const char *name;
    enum ftype type;
    int required;
    int64_t min, max; /* ints: bounds; strings: max bytes */
    size_t offset;
};

#define MONEY_MAX ((int64_t)10000000000000)

static enum dd_status
fail(struct arena *a, struct dd_error *err, const char *code,
     const char *prefix, const char *name, const char *en, const char *zh)
{
    err->code = code;
    err->field = name ? arena_printf(a, "%s%s", prefix, name)
                      : (*prefix ? arena_strdup(a, prefix) : NULL);
    err->message = en;
    err->message_zh = zh;
    return DD_EINVAL;
}

/* Decodes the scalar fields of obj into dest; keys listed in nested are
 * skipped (the caller handles them). prefix is the path with a trailing
 * dot ("" at the top). */
static enum dd_status
decode_fields(struct arena *a, json_t *obj, const char *prefix,
              const struct fdesc *f, size_t n, const char *const *nested,
              void *dest, struct dd_error *err)
{
    const char *key;
    json_t *val;
    if (!json_is_object(obj))
        return fail(a, err, "NOT_AN_OBJECT", prefix, NULL,
                    "this must be a JSON object", "此处必须是 JSON 对象");
    json_object_foreach(obj, key, val)
    {
        size_t i;
        int skip = 0;
        for (const char *const *s = nested; s && *s; s++)
            skip |= strcmp(*s, key) == 0;
        if (skip)
            continue;
        for (i = 0; i < n; i++)
            if (strcmp(f[i].name, key) == 0)
                break;
        if (i == n)
            return fail(a, err, "UNKNOWN_FIELD", prefix, key,
                        "this field is not allowed here", "不允许的字段");
        char *d = (char *)dest + f[i].offset;
        if (json_is_null(val) && !f[i].required)
            continue;
        const char *en, *zh;
        if (!json_type_ok(val, (int)f[i].type, &en, &zh))
            return fail(a, err, "WRONG_TYPE", prefix, key, en, zh);
        switch (f[i].type) {
        case F_STR: {
            size_t len = json_string_length(val);
            if ((f[i].max && (int64_t)len > f[i].max) ||
                strlen(json_string_value(val)) != len)
                return fail(a, err, "TOO_LONG", prefix, key,
                            "this field is too long or holds a NUL",
                            "该字段过长或含有空字符");
            char *copy = arena_strdup(a, json_string_value(val));
            if (!copy)
                return DD_ENOMEM;
            memcpy(d, &copy, sizeof(copy));
            break;
        }
        case F_INT: {
            int64_t v = (int64_t)json_integer_value(val);
            if (v < f[i].min || v > f[i].max)
                return fail(a, err, "OUT_OF_RANGE", prefix, key,
                            "this field is outside its allowed range",
                            "该字段超出允许范围");
            memcpy(d, &v, sizeof(v));
            break;
        }
        case F_BOOL: {
            int v = json_is_true(val);
            memcpy(d, &v, sizeof(v));
            break;
        }
        }
    }
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_object_get(obj, f[i].name);
        if (f[i].required && (!v || json_is_null(v)))
            return fail(a, err, "MISSING_FIELD", prefix, f[i].name,
                        "this field is required", "该字段为必填项");
    }
    return DD_OK;
}

/* The array at obj.key (absent or null: count 0), at most max items. */
static enum dd_status
get_array(struct arena *a, json_t *obj, const char *prefix, const char *key,
          size_t max, json_t **out, struct dd_error *err)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return DD_OK;
    if (!json_is_array(v))
        return fail(a, err, "WRONG_TYPE", prefix, key,
                    "this field must be an array", "该字段必须是数组");
    if (json_array_size(v) > max)
        return fail(a, err, "TOO_MANY", prefix, key,
                    "this array has too many items", "该数组的元素过多");
    *out = v;
    return DD_OK;
}

#define OFF(t, m) offsetof(struct t, m)

static const struct fdesc income_fields[] = {
    {"kind", F_STR, 1, 0, 40, OFF(hhj_income, kind)},
    {"monthly_fen", F_INT, 1, 0, MONEY_MAX, OFF(hhj_income, monthly_fen)},
};

static const struct fdesc member_fields[] = {
    {"id_number", F_STR, 1, 0, 32, OFF(hhj_member, id_number)},
    {"name", F_STR, 1, 0, 120, OFF(hhj_member, name)},
    {"relation", F_STR, 1, 0, 40, OFF(hhj_member, relation)},
    {"sex", F_STR, 0, 0, 8, OFF(hhj_member, sex)},
    {"birth_date", F_STR, 0, 0, 16, OFF(hhj_member, birth_date)},
    {"disability_category", F_INT, 0, 0, 7,
     OFF(hhj_member, disability_category)},
    {"disability_grade", F_INT, 0, 0, 4, OFF(hhj_member, disability_grade)},
    {"disability_card", F_STR, 0, 0, 32, OFF(hhj_member, disability_card)},
    {"major_illness", F_BOOL, 0, 0, 0, OFF(hhj_member, major_illness)},
    {"work_capacity", F_STR, 0, 0, 40, OFF(hhj_member, work_capacity)},
    {"schooling", F_STR, 0, 0, 40, OFF(hhj_member, schooling)},
    {"employed", F_BOOL, 0, 0, 0, OFF(hhj_member, employed)},
};
/* skipped: handled apart, or read-only fields a client may send back
 * from a GET */
static const char *const member_nested[] = {"selfcare_unable", "incomes", "id",
                                            "version",         "active",  NULL};
static const char *const read_only[] = {"id", NULL};

static enum dd_status
decode_member(struct arena *a, json_t *m, const char *prefix,
              struct hhj_member *out, struct dd_error *err)
{
    json_t *arr, *v;
    size_t i;
    memset(out, 0, sizeof(*out));
    enum dd_status rc =
        decode_fields(a, m, prefix, member_fields,
                      sizeof(member_fields) / sizeof(member_fields[0]),
                      member_nested, out, err);
    if (rc != DD_OK)
        return rc;
    /* a member's id is read-only: members are replaced wholesale */
    json_t *idv = json_object_get(m, "id");
    if (idv && !json_is_integer(idv) && !json_is_null(idv))
        return fail(a, err, "WRONG_TYPE", prefix, "id",
                    "this field must be an integer", "该字段必须是整数");
    rc =
        get_array(a, m, prefix, "selfcare_unable", HHJ_MAX_SELFCARE, &arr, err);
    if (rc != DD_OK)
        return rc;
    json_array_foreach(arr, i, v)
    {
        if (!json_is_string(v))
            return fail(a, err, "WRONG_TYPE",
                        arena_printf(a, "%sselfcare_unable[%zu]", prefix, i),
                        NULL, "this item must be a string",
                        "该元素必须是字符串");
        out->selfcare_unable[out->selfcare_count++] =
            arena_strdup(a, json_string_value(v));
    }
    rc = get_array(a, m, prefix, "incomes", HHJ_MAX_INCOMES, &arr, err);
    if (rc != DD_OK)
        return rc;
    json_array_foreach(arr, i, v)
    {
        const char *p = arena_printf(a, "%sincomes[%zu].", prefix, i);
        if (!p)
            return DD_ENOMEM;
        rc = decode_fields(a, v, p, income_fields, 2, NULL,
                           &out->incomes[out->income_count], err);
        if (rc != DD_OK)
            return rc;
        out->income_count++;
    }
    return DD_OK;
}

static const struct fdesc asset_fields[] = {
    {"kind", F_STR, 1, 0, 40, OFF(hhj_asset, kind)},
    {"owner_member", F_INT, 0, 0, HHJ_MAX_MEMBERS - 1,
     OFF(hhj_asset, owner_member)},
    {"value_fen", F_INT, 0, 0, MONEY_MAX, OFF(hhj_asset, value_fen)},
    {"count", F_INT, 0, 0, 1000, OFF(hhj_asset, count)},
    {"area_dm2", F_INT, 0, 0, 1000000000, OFF(hhj_asset, area_dm2)},
    {"exempt", F_BOOL, 0, 0, 0, OFF(hhj_asset, exempt)},
};

static const struct fdesc obligor_fields[] = {
    {"of_member", F_INT, 1, 0, HHJ_MAX_MEMBERS - 1,
     OFF(hhj_obligor, of_member)},
    {"relation", F_STR, 1, 0, 40, OFF(hhj_obligor, relation)},
    {"name", F_STR, 0, 0, 120, OFF(hhj_obligor, name)},
    {"birth_date", F_STR, 0, 0, 16, OFF(hhj_obligor, birth_date)},
    {"disability_category", F_INT, 0, 0, 7,
     OFF(hhj_obligor, disability_category)},
    {"disability_grade", F_INT, 0, 0, 4, OFF(hhj_obligor, disability_grade)},
    {"is_tekun", F_BOOL, 0, 0, 0, OFF(hhj_obligor, is_tekun)},
    {"is_dibao_recipient", F_BOOL, 0, 0, 0,
     OFF(hhj_obligor, is_dibao_recipient)},
    {"lacks_civil_capacity", F_BOOL, 0, 0, 0,
     OFF(hhj_obligor, lacks_civil_capacity)},
    {"declared_missing", F_BOOL, 0, 0, 0, OFF(hhj_obligor, declared_missing)},
    {"in_prison", F_BOOL, 0, 0, 0, OFF(hhj_obligor, in_prison)},
    {"assets_within_low_income_rule", F_BOOL, 0, 0, 0,
     OFF(hhj_obligor, assets_within_low_income_rule)},
    {"other_provincial_unable", F_BOOL, 0, 0, 0,
     OFF(hhj_obligor, other_provincial_unable)},
    {"income_monthly_fen", F_INT, 0, 0, MONEY_MAX,
     OFF(hhj_obligor, income_monthly_fen)},
};

static const struct fdesc household_fields[] = {
    {"region_code", F_STR, 1, 0, 12, OFF(hhj_household, region_code)},
    {"hukou_region", F_STR, 1, 0, 12, OFF(hhj_household, hukou_region)},
    {"address", F_STR, 0, 0, 500, OFF(hhj_household, address)},
    {"urban_or_rural", F_STR, 0, 0, 8, OFF(hhj_household, urban_or_rural)},
    {"contact_phone", F_STR, 0, 0, 32, OFF(hhj_household, contact_phone)},
    {"bank_account", F_STR, 0, 0, 32, OFF(hhj_household, bank_account)},
    {"version", F_INT, 0, 1, INT64_MAX, OFF(hhj_household, version)},
};
/* read-only fields a client may send back from a GET */
static const char *const household_nested[] = {
    "members", "assets",     "obligors",   "id",       "county_code",
    "status",  "created_at", "updated_at", "unmasked", NULL};

/* An asset and an obligor before their fields are decoded. */
static const struct hhj_asset blank_asset = {.owner_member = -1, .count = 1};
static const struct hhj_obligor blank_obligor;

/* Decodes the array key of root (at most max objects) into rows of size
 * bytes, each starting as blank, against the fields f; *count counts
 * those decoded. */
static enum dd_status
decode_rows(struct arena *a, json_t *root, const char *key, size_t max,
            const struct fdesc *f, size_t nf, const void *blank, size_t size,
            void *rows, size_t *count, struct dd_error *err)
{
    json_t *arr, *v;
    size_t i;
    enum dd_status rc = get_array(a, root, "", key, max, &arr, err);
    if (rc != DD_OK)
        return rc;
    json_array_foreach(arr, i, v)
    {
        void *row = (char *)rows + *count * size;
        memcpy(row, blank, size);
        rc = decode_fields(a, v, arena_printf(a, "%s[%zu].", key, i), f, nf,
                           read_only, row, err);
        if (rc != DD_OK)
            return rc;
        (*count)++;
    }
    return DD_OK;
}

static json_t *
load(struct arena *a, const char *body, size_t len, struct dd_error *err)
{
    json_error_t jerr;
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        fail(a, err, "MALFORMED_JSON", "", NULL,
             "the request body is not valid JSON (or not an object)",
             "请求内容不是有效的 JSON 对象");
    return root;
}

enum dd_status
json_registry_decode_household(struct arena *a, const char *body, size_t len,
                               struct hhj_household *out, struct dd_error *err)
{
    json_t *root = load(a, body, len, err), *arr, *v;
    size_t i;
    enum dd_status rc;
    if (!root)
        return DD_EINVAL;
    memset(out, 0, sizeof(*out));
    out->version = -1;
    rc = decode_fields(a, root, "", household_fields,
                       sizeof(household_fields) / sizeof(household_fields[0]),
                       household_nested, out, err);
    if (rc != DD_OK)
        goto done;
    /* domain.md §7.1: omitted, the household follows its district */
    if (!out->urban_or_rural)
        out->urban_or_rural = "district";
    rc = get_array(a, root, "", "members", HHJ_MAX_MEMBERS, &arr, err);
    if (rc != DD_OK)
        goto done;
    out->members = arena_alloc(a, HHJ_MAX_MEMBERS * sizeof(*out->members));
    out->assets = arena_alloc(a, HHJ_MAX_ASSETS * sizeof(*out->assets));
    out->obligors = arena_alloc(a, HHJ_MAX_OBLIGORS * sizeof(*out->obligors));
    if (!out->members || !out->assets || !out->obligors) {
        rc = DD_ENOMEM;
        goto done;
    }
    json_array_foreach(arr, i, v)
    {
        rc = decode_member(a, v, arena_printf(a, "members[%zu].", i),
                           &out->members[out->member_count], err);
        if (rc != DD_OK)
            goto done;
        out->member_count++;
    }
    rc = decode_rows(a, root, "assets", HHJ_MAX_ASSETS, asset_fields,
                     sizeof(asset_fields) / sizeof(asset_fields[0]),
                     &blank_asset, sizeof(*out->assets), out->assets,
                     &out->asset_count, err);
    if (rc == DD_OK)
        rc = decode_rows(a, root, "obligors", HHJ_MAX_OBLIGORS, obligor_fields,
                         sizeof(obligor_fields) / sizeof(obligor_fields[0]),
                         &blank_obligor, sizeof(*out->obligors), out->obligors,
                         &out->obligor_count, err);
done:
    json_decref(root);
    return rc;
}

enum dd_status
json_registry_decode_member(struct arena *a, const char *body, size_t len,
                            struct hhj_member *out, int64_t *version,
                            struct dd_error *err)
{
    json_t *root = load(a, body, len, err);
    if (!root)
        return DD_EINVAL;
    *version = -1;
    enum dd_status rc = decode_member(a, root, "", out, err);
    json_t *v = json_object_get(root, "version");
    if (rc == DD_OK && v && !json_is_null(v)) {
        if (!json_is_integer(v) || json_integer_value(v) < 1)
            rc = fail(a, err, "WRONG_TYPE", "", "version",
                      "the version must be a positive integer",
                      "版本号必须是正整数");
        else
            *version = (int64_t)json_integer_value(v);
    }
    json_decref(root);
    return rc;
}
