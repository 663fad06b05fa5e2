/* SPDX-License-Identifier: MIT */
/* Decoding a household description for the calculator (and later the
 * registry's assessments) and encoding an assessment result. Every field
 * is declared in a table; anything else in the body is an error naming
 * the path of the value. */
#include "json/json_assess.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "json/json_internal.h"

/* ---- decoding ---- */

struct dctx {
    struct arena *a;
    struct dd_error *err;
    int y, m, d; /* the assessment date, for ages */
    int oom;
};

/* Records the first error; always returns -1. */
static int
bad(struct dctx *c, const char *code, const char *path, const char *en,
    const char *zh)
{
    if (!c->err->code) {
        c->err->code = code;
        c->err->field = path;
        c->err->message = en;
        c->err->message_zh = zh;
    }
    return -1;
}

static const char *
path_key(struct dctx *c, const char *prefix, const char *key)
{
    const char *p = prefix && *prefix ? arena_printf(c->a, "%s.%s", prefix, key)
                                      : arena_strdup(c->a, key);
    if (!p)
        c->oom = 1;
    return p;
}

static const char *
path_index(struct dctx *c, const char *prefix, size_t i)
{
    const char *p = arena_printf(c->a, "%s[%zu]", prefix, i);
    if (!p)
        c->oom = 1;
    return p;
}

enum ftype {
    FT_BOOL,  /* int */
    FT_INT,   /* int, [min, max] */
    FT_I64,   /* int64_t, [min, max] */
    FT_ENUM,  /* int, one of names[] (index = value) */
    FT_DATE,  /* three ints (y, m, d) at offset, not after the date */
    FT_AGE,   /* the same three ints, from an age in years */
    FT_OTHER, /* decoded by the caller (nested object or array) */
};

struct field {
    const char *name;
    enum ftype type;
    size_t offset;
    int64_t min, max;
    const char *const *names; /* FT_ENUM, NULL-terminated */
};

static const char *const relation_names[] = {
    "applicant",  "spouse",  "child",        "parent", "grandparent",
    "grandchild", "sibling", "child_in_law", "other",  NULL};
static const char *const sex_names[] = {"unknown", "male", "female", NULL};
static const char *const disability_names[] = {
    "none",         "visual", "hearing",  "speech", "physical",
    "intellectual", "mental", "multiple", NULL};
static const char *const work_names[] = {"full", "partial", "none", NULL};
static const char *const school_names[] = {
    "none", "preschool", "compulsory", "high", "bachelor", "above", NULL};
static const char *const absence_names[] = {
    "none", "clergy", "prison", "drug_rehab", "missing", "provincial", NULL};
static const char *const adl_names[] = {
    "eating", "dressing", "bed", "toileting", "walking", "bathing", NULL};
static const char *const asset_names[] = {
    "deposit", "security", "vehicle", "dwelling", "shop", "company", NULL};
/* enum hh_income_kind order */
static const char *const income_names[HH_INC__COUNT + 1] = {
    "wages",
    "business",
    "property",
    "transfers_in",
    "transfers_out",
    "rigid_deduction",
    "veterans",
    "family_planning",
    "scholarship",
    "heroism",
    "social_assistance",
    "basic_pension",
    "disability_subsidy",
    "unsupported_child",
    "kin_support",
    "old_age_allowance",
    "social_insurance",
    "local",
    NULL};
_Static_assert(HH_INC__COUNT == 18, "income_names follows hh_income_kind");

#define P(f) offsetof(struct hh_person, f)
static const struct field person_fields[] = {
    {"relation", FT_ENUM, P(relation), 0, 0, relation_names},
    {"birth_date", FT_DATE, P(birth_y), 0, 0, NULL},
    {"age", FT_AGE, P(birth_y), 0, 150, NULL},
    {"sex", FT_ENUM, P(sex), 0, 0, sex_names},
    {"disability_category", FT_ENUM, P(disability_category), 0, 0,
     disability_names},
    {"disability_grade", FT_INT, P(disability_grade), 0, 4, NULL},
    {"major_illness", FT_BOOL, P(major_illness), 0, 0, NULL},
    {"work_capacity", FT_ENUM, P(work_capacity), 0, 0, work_names},
    {"schooling", FT_ENUM, P(schooling), 0, 0, school_names},
    {"employed", FT_BOOL, P(employed), 0, 0, NULL},
    {"in_household_register", FT_BOOL, P(in_household_register), 0, 0, NULL},
    {"cannot_live_independently", FT_BOOL, P(cannot_live_independently), 0, 0,
     NULL},
    {"absence", FT_ENUM, P(absence), 0, 0, absence_names},
    {"single_named_by_county", FT_BOOL, P(single_named_by_county), 0, 0, NULL},
    {"tekun_receiving", FT_BOOL, P(tekun_receiving), 0, 0, NULL},
    {"chose_orphan_scheme", FT_BOOL, P(chose_orphan_scheme), 0, 0, NULL},
    {"selfcare_unable", FT_OTHER, 0, 0, 0, NULL},
    {"incomes", FT_OTHER, 0, 0, 0, NULL},
    {NULL, 0, 0, 0, 0, NULL},
};
#undef P

#define A(f) offsetof(struct hh_asset, f)
static const struct field asset_fields[] = {
    {"kind", FT_ENUM, A(kind), 0, 0, asset_names},
    {"owner_member", FT_INT, A(owner_member), 0, HH_MAX_MEMBERS - 1, NULL},
    {"value_fen", FT_I64, A(value_fen), 0, HH_MONEY_MAX, NULL},
    {"floor_area_dm2", FT_I64, A(floor_area_dm2), 0, HH_AREA_MAX_DM2, NULL},
    {"exempt", FT_BOOL, A(exempt), 0, 0, NULL},
    {NULL, 0, 0, 0, 0, NULL},
};
#undef A

#define O(f) offsetof(struct hh_obligor, f)
static const struct field obligor_fields[] = {
    {"of_member", FT_INT, O(of_member), 0, HH_MAX_MEMBERS - 1, NULL},
    {"relation", FT_ENUM, O(relation), 0, 0, relation_names},
    {"birth_date", FT_DATE, O(birth_y), 0, 0, NULL},
    {"age", FT_AGE, O(birth_y), 0, 150, NULL},
    {"disability_category", FT_ENUM, O(disability_category), 0, 0,
     disability_names},
    {"disability_grade", FT_INT, O(disability_grade), 0, 4, NULL},
    {"is_tekun", FT_BOOL, O(is_tekun), 0, 0, NULL},
    {"is_dibao_recipient", FT_BOOL, O(is_dibao_recipient), 0, 0, NULL},
    {"lacks_civil_capacity", FT_BOOL, O(lacks_civil_capacity), 0, 0, NULL},
    {"declared_missing", FT_BOOL, O(declared_missing), 0, 0, NULL},
    {"in_prison", FT_BOOL, O(in_prison), 0, 0, NULL},
    {"income_monthly_fen", FT_I64, O(income_monthly_fen), 0, HH_MONEY_MAX,
     NULL},
    {"assets_within_low_income_rule", FT_BOOL, O(assets_within_low_income_rule),
     0, 0, NULL},
    {"other_provincial_unable", FT_BOOL, O(other_provincial_unable), 0, 0,
     NULL},
    {NULL, 0, 0, 0, 0, NULL},
};
#undef O

#define S(f) offsetof(struct hh_dibao_state, f)
static const struct field state_fields[] = {
    {"receiving", FT_BOOL, S(receiving), 0, 0, NULL},
    {"months_since_exceeding", FT_INT, S(months_since_exceeding), 0, 1200,
     NULL},
    {"last_amount_fen", FT_I64, S(last_amount_fen), 0, HH_MONEY_MAX, NULL},
    {NULL, 0, 0, 0, 0, NULL},
};
#undef S

static const struct field *
field_find(const struct field *fs, const char *name)
{
    for (; fs->name; fs++)
        if (strcmp(fs->name, name) == 0)
            return fs;
    return NULL;
}

static void
put_int(void *dest, size_t offset, int v)
{
    memcpy((char *)dest + offset, &v, sizeof(v));
}

static int
wrong_type(struct dctx *c, const char *path, const char *what_en,
           const char *what_zh)
{
    return bad(c, "WRONG_TYPE", path, what_en, what_zh);
}

static int
out_of_range(struct dctx *c, const char *path)
{
    return bad(c, "OUT_OF_RANGE", path,
               "this field is outside its allowed range", "该字段超出允许范围");
}

static int
date_of(const char *s, int *y, int *m, int *d)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return -1;
    *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
         (s[3] - '0');
    *m = (s[5] - '0') * 10 + (s[6] - '0');
    *d = (s[8] - '0') * 10 + (s[9] - '0');
    return hh_date_valid(*y, *m, *d) ? 0 : -1;
}

/* One scalar field f of value v at path into dest. */
static int
scalar(struct dctx *c, const struct field *f, json_t *v, const char *path,
       void *dest)
{
    switch (f->type) {
    case FT_BOOL:
        if (!json_is_boolean(v))
            return wrong_type(c, path, "this field must be true or false",
                              "该字段必须是 true 或 false");
        put_int(dest, f->offset, json_is_true(v));
        return 0;
    case FT_INT:
    case FT_I64: {
        if (!json_is_integer(v))
            return wrong_type(c, path, "this field must be an integer",
                              "该字段必须是整数");
        int64_t n = (int64_t)json_integer_value(v);
        if (n < f->min || n > f->max)
            return out_of_range(c, path);
        if (f->type == FT_INT)
            put_int(dest, f->offset, (int)n);
        else
            memcpy((char *)dest + f->offset, &n, sizeof(n));
        return 0;
    }
    case FT_ENUM: {
        if (!json_is_string(v))
            return wrong_type(c, path, "this field must be a string",
                              "该字段必须是字符串");
        const char *s = json_string_value(v);
        for (int i = 0; f->names[i]; i++) {
            if (strcmp(f->names[i], s) == 0) {
                put_int(dest, f->offset, i);
                return 0;
            }
        }
        return bad(c, "INVALID_VALUE", path,
                   "this field is not one of its allowed values",
                   "该字段不是允许的取值");
    }
    case FT_DATE: {
        int y, m, d;
        if (!json_is_string(v))
            return wrong_type(c, path, "this field must be a date string",
                              "该字段必须是日期字符串");
        if (date_of(json_string_value(v), &y, &m, &d) != 0)
            return bad(c, "INVALID_VALUE", path,
                       "this field must be a date YYYY-MM-DD",
                       "该字段必须是日期 YYYY-MM-DD");
        if (y * 10000 + m * 100 + d > c->y * 10000 + c->m * 100 + c->d)
            return bad(c, "INVALID_VALUE", path,
                       "the birth date is after the assessment date",
                       "出生日期晚于计算日期");
        put_int(dest, f->offset, y);
        put_int(dest, f->offset + sizeof(int), m);
        put_int(dest, f->offset + 2 * sizeof(int), d);
        return 0;
    }
    case FT_AGE: {
        if (!json_is_integer(v))
            return wrong_type(c, path, "this field must be an integer",
                              "该字段必须是整数");
        int64_t n = (int64_t)json_integer_value(v);
        if (n < f->min || n > f->max || c->y - n < 1900)
            return out_of_range(c, path);
        /* the latest birth date with that age on the date: the birthday
         * is today (29 February → 28 February in a common year) */
        int y = c->y - (int)n, m = c->m, d = c->d;
        if (!hh_date_valid(y, m, d))
            d = 28;
        put_int(dest, f->offset, y);
        put_int(dest, f->offset + sizeof(int), m);
        put_int(dest, f->offset + 2 * sizeof(int), d);
        return 0;
    }
    case FT_OTHER: break;
    }
    return bad(c, "INTERNAL", path, "internal error", "服务器内部错误");
}

/* An object of scalar fields; *seen gets bit i for fields[i]. Fields of
 * type FT_OTHER are passed to other(ctx) when given. */
typedef int (*other_fn)(struct dctx *c, const char *name, json_t *v,
                        const char *path, void *dest);

static int
object(struct dctx *c, json_t *o, const char *path, const struct field *fs,
       void *dest, uint64_t *seen, other_fn other)
{
    if (!json_is_object(o))
        return wrong_type(c, path, "this field must be an object",
                          "该字段必须是对象");
    const char *key;
    json_t *v;
    *seen = 0;
    json_object_foreach(o, key, v)
    {
        const char *p = path_key(c, path, key);
        if (!p)
            return -1;
        const struct field *f = field_find(fs, key);
        if (!f)
            return bad(c, "UNKNOWN_FIELD", p, "this field is not allowed here",
                       "不允许的字段");
        *seen |= 1ull << (f - fs);
        if (json_is_null(v))
            continue; /* null = absent */
        int rc = f->type == FT_OTHER ? (other ? other(c, key, v, p, dest) : -1)
                                     : scalar(c, f, v, p, dest);
        if (rc != 0)
            return -1;
    }
    return 0;
}

static int
seen_field(const struct field *fs, uint64_t seen, const char *name)
{
    const struct field *f = field_find(fs, name);
    return f && (seen >> (f - fs) & 1);
}

static int
require(struct dctx *c, const struct field *fs, uint64_t seen, const char *path,
        const char *name)
{
    if (seen_field(fs, seen, name))
        return 0;
    return bad(c, "MISSING_FIELD", path_key(c, path, name),
               "this field is required", "缺少必填字段");
}

/* birth_date or age: exactly one. */
static int
require_birth(struct dctx *c, const struct field *fs, uint64_t seen,
              const char *path)
{
    int b = seen_field(fs, seen, "birth_date"), a = seen_field(fs, seen, "age");
    if (b && a)
        return bad(c, "INVALID_VALUE", path_key(c, path, "age"),
                   "give birth_date or age, not both",
                   "出生日期与年龄只能填写一项");
    if (!b && !a)
        return bad(c, "MISSING_FIELD", path_key(c, path, "birth_date"),
                   "birth_date or age is required", "须填写出生日期或年龄");
    return 0;
}

static int
person_other(struct dctx *c, const char *name, json_t *v, const char *path,
             void *dest)
{
    struct hh_person *p = dest;
    if (strcmp(name, "incomes") == 0) {
        if (!json_is_object(v))
            return wrong_type(c, path, "this field must be an object",
                              "该字段必须是对象");
        const char *key;
        json_t *x;
        json_object_foreach(v, key, x)
        {
            const char *kp = path_key(c, path, key);
            if (!kp)
                return -1;
            int k;
            for (k = 0; k < HH_INC__COUNT; k++)
                if (strcmp(income_names[k], key) == 0)
                    break;
            if (k == HH_INC__COUNT)
                return bad(c, "UNKNOWN_FIELD", kp,
                           "this field is not allowed here", "不允许的字段");
            if (json_is_null(x))
                continue;
            if (!json_is_integer(x))
                return wrong_type(c, kp, "this field must be an integer (fen)",
                                  "该字段必须是整数（分）");
            int64_t n = (int64_t)json_integer_value(x);
            if (n < 0 || n > HH_MONEY_MAX)
                return out_of_range(c, kp);
            p->income_fen[k] = n;
        }
        return 0;
    }
    /* selfcare_unable: the items the person cannot do */
    if (!json_is_array(v))
        return wrong_type(c, path, "this field must be an array",
                          "该字段必须是数组");
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x)
    {
        const char *ip = path_index(c, path, i);
        if (!ip)
            return -1;
        if (!json_is_string(x))
            return wrong_type(c, ip, "this field must be a string",
                              "该字段必须是字符串");
        int k;
        for (k = 0; adl_names[k]; k++)
            if (strcmp(adl_names[k], json_string_value(x)) == 0)
                break;
        if (!adl_names[k])
            return bad(c, "INVALID_VALUE", ip,
                       "this field is not one of its allowed values",
                       "该字段不是允许的取值");
        p->selfcare_unable[k] = 1;
    }
    return 0;
}

/* disability_category and disability_grade go together: none with 0,
 * a category with 1..4. */
static int
grade_check(struct dctx *c, const char *path, int category, int grade)
{
    if ((category == HH_DIS_NONE) == (grade == 0))
        return 0;
    return bad(c, "INVALID_VALUE", path_key(c, path, "disability_grade"),
               "a disability category needs a grade 1-4, and none grade 0",
               "残疾类别须有 1-4 级等级，无残疾则等级为 0");
}

static int
array_of(struct dctx *c, json_t *v, const char *path, size_t max)
{
    if (!json_is_array(v))
        return wrong_type(c, path, "this field must be an array",
                          "该字段必须是数组");
    if (json_array_size(v) > max)
        return bad(c, "OUT_OF_RANGE", path, "this list is too long",
                   "该列表过长");
    return 0;
}

static int
is_region(const char *s)
{
    size_t n = strlen(s);
    if (n != 6 && n != 9 && n != 12)
        return 0;
    if (strncmp(s, "50", 2) != 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static const char *const top_names[] = {
    "region_code", "urban_or_rural", "members",       "assets",
    "obligors",    "dibao_state",    "single_member", "county_code",
    NULL};

static int
household(struct dctx *c, json_t *root, struct household *h, char *region,
          enum area_setting *setting)
{
    const char *key;
    json_t *v;
    int have_region = 0, have_area = 0, have_members = 0, have_county = 0;
    if (!json_is_object(root))
        return bad(c, "NOT_AN_OBJECT", NULL,
                   "the request body must be an object",
                   "请求内容必须是 JSON 对象");
    json_object_foreach(root, key, v)
    {
        int k;
        for (k = 0; top_names[k]; k++)
            if (strcmp(top_names[k], key) == 0)
                break;
        const char *p = arena_strdup(c->a, key);
        if (!p) {
            c->oom = 1;
            return -1;
        }
        if (!top_names[k])
            return bad(c, "UNKNOWN_FIELD", p, "this field is not allowed here",
                       "不允许的字段");
        if (json_is_null(v))
            continue;
        if (k == 0) { /* region_code */
            if (!json_is_string(v))
                return wrong_type(c, p, "this field must be a string",
                                  "该字段必须是字符串");
            if (!is_region(json_string_value(v)))
                return bad(c, "INVALID_REGION_CODE", p,
                           "the region must be a Chongqing code of 6, 9 or "
                           "12 digits",
                           "地区须为 6、9 或 12 位重庆市行政区划代码");
            str_copy(region, JSON_ASSESS_REGION_LEN, json_string_value(v));
            if (!have_county) { /* county_code, when given, wins */
                memcpy(h->hukou_county, region, 6);
                h->hukou_county[6] = '\0';
            }
            have_region = 1;
        } else if (k == 7) { /* county_code: the hukou district (§7.1) */
            const char *s = json_is_string(v) ? json_string_value(v) : NULL;
            if (!s)
                return wrong_type(c, p, "this field must be a string",
                                  "该字段必须是字符串");
            if (strlen(s) != 6 || !is_region(s))
                return bad(c, "INVALID_REGION_CODE", p,
                           "the county must be a 6-digit Chongqing code",
                           "区县须为 6 位重庆市行政区划代码");
            memcpy(h->hukou_county, s, 7);
            have_county = 1;
        } else if (k == 1) { /* urban_or_rural */
            const char *s = json_is_string(v) ? json_string_value(v) : NULL;
            if (!s)
                return wrong_type(c, p, "this field must be a string",
                                  "该字段必须是字符串");
            if (area_setting_parse(s, setting) != 0)
                return bad(c, "INVALID_VALUE", p,
                           "urban_or_rural must be \"urban\", \"rural\" or "
                           "\"district\" (follow the county)",
                           "urban_or_rural 须为 urban、rural 或 district"
                           "（按区县）");
            /* the standard itself is decided by assess_area_resolve */
            h->standard_area = *setting == AREA_SETTING_RURAL ? HH_AREA_RURAL
                                                               : HH_AREA_URBAN;
            have_area = 1;
        } else if (k == 2) { /* members */
            if (array_of(c, v, p, HH_MAX_MEMBERS) != 0)
                return -1;
            if (json_array_size(v) == 0)
                return bad(c, "OUT_OF_RANGE", p,
                           "a household has at least one member",
                           "家庭至少有一名成员");
            size_t i;
            json_t *x;
            json_array_foreach(v, i, x)
            {
                const char *ip = path_index(c, p, i);
                uint64_t seen;
                struct hh_person *m = &h->members[i];
                if (!ip ||
                    object(c, x, ip, person_fields, m, &seen, person_other) ||
                    require(c, person_fields, seen, ip, "relation") ||
                    require_birth(c, person_fields, seen, ip) ||
                    grade_check(c, ip, m->disability_category,
                                m->disability_grade))
                    return -1;
            }
            h->member_count = (int)json_array_size(v);
            have_members = 1;
        } else if (k == 3) { /* assets */
            if (array_of(c, v, p, HH_MAX_ASSETS) != 0)
                return -1;
            size_t i;
            json_t *x;
            json_array_foreach(v, i, x)
            {
                const char *ip = path_index(c, p, i);
                uint64_t seen;
                struct hh_asset *as = &h->assets[i];
                as->owner_member = HH_ASSET_JOINT;
                if (!ip || object(c, x, ip, asset_fields, as, &seen, NULL) ||
                    require(c, asset_fields, seen, ip, "kind"))
                    return -1;
            }
            h->asset_count = (int)json_array_size(v);
        } else if (k == 4) { /* obligors */
            if (array_of(c, v, p, HH_MAX_OBLIGORS) != 0)
                return -1;
            size_t i;
            json_t *x;
            json_array_foreach(v, i, x)
            {
                const char *ip = path_index(c, p, i);
                uint64_t seen;
                struct hh_obligor *o = &h->obligors[i];
                if (!ip || object(c, x, ip, obligor_fields, o, &seen, NULL) ||
                    require(c, obligor_fields, seen, ip, "of_member") ||
                    require(c, obligor_fields, seen, ip, "relation") ||
                    require_birth(c, obligor_fields, seen, ip) ||
                    grade_check(c, ip, o->disability_category,
                                o->disability_grade))
                    return -1;
            }
            h->obligor_count = (int)json_array_size(v);
        } else if (k == 5) { /* dibao_state */
            uint64_t seen;
            if (object(c, v, p, state_fields, &h->dibao, &seen, NULL))
                return -1;
        } else { /* single_member */
            if (!json_is_integer(v))
                return wrong_type(c, p, "this field must be an integer",
                                  "该字段必须是整数");
            json_int_t n = json_integer_value(v);
            if (n < 0 || n >= HH_MAX_MEMBERS)
                return out_of_range(c, p);
            h->dibao_single = 1;
            h->dibao_single_member = (int)n;
        }
    }
    if (!have_region)
        return bad(c, "MISSING_FIELD", "region_code", "this field is required",
                   "缺少必填字段");
    if (!have_area)
        return bad(c, "MISSING_FIELD", "urban_or_rural",
                   "this field is required", "缺少必填字段");
    if (!have_members)
        return bad(c, "MISSING_FIELD", "members", "this field is required",
                   "缺少必填字段");
    /* references to members that exist */
    for (int i = 0; i < h->asset_count; i++)
        if (h->assets[i].owner_member != HH_ASSET_JOINT &&
            h->assets[i].owner_member >= h->member_count)
            return bad(c, "INVALID_VALUE",
                       arena_printf(c->a, "assets[%d].owner_member", i),
                       "no member has this index", "没有此序号的成员");
    for (int i = 0; i < h->obligor_count; i++)
        if (h->obligors[i].of_member >= h->member_count)
            return bad(c, "INVALID_VALUE",
                       arena_printf(c->a, "obligors[%d].of_member", i),
                       "no member has this index", "没有此序号的成员");
    if (h->dibao_single && h->dibao_single_member >= h->member_count)
        return bad(c, "INVALID_VALUE", "single_member",
                   "no member has this index", "没有此序号的成员");
    return 0;
}

enum dd_status
json_decode_household(struct arena *a, const char *body, size_t len, int y,
                      int m, int d, struct household *h,
                      char region[JSON_ASSESS_REGION_LEN],
                      enum area_setting *setting, struct dd_error *err)
{
    struct dctx c = {a, err, y, m, d, 0};
    json_error_t jerr;
    memset(h, 0, sizeof(*h));
    region[0] = '\0';
    *setting = AREA_SETTING_URBAN;
    memset(err, 0, sizeof(*err));
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        /* a scalar body is a parse error to json_loadb without
         * JSON_DECODE_ANY: tell it apart, as json_decode_object does */
        json_t *any = json_loadb(
            body, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
        if (any) {
            json_decref(any);
            bad(&c, "NOT_AN_OBJECT", NULL, "the request body must be an object",
                "请求内容必须是 JSON 对象");
        } else {
            bad(&c, "MALFORMED_JSON", NULL,
                "the request body is not valid JSON",
                "请求内容不是有效的 JSON");
        }
        return DD_EINVAL;
    }
    int rc = household(&c, root, h, region, setting);
    json_decref(root);
    if (c.oom)
        return DD_ENOMEM;
    if (rc != 0) {
        memset(h, 0, sizeof(*h));
        return DD_EINVAL;
    }
    return DD_OK;
}

/* ---- encoding ---- */

/* The keys of explain values in the API (enum explain_name order). */
static const char *const value_keys[EXPLAIN_N__COUNT] = {
    [EXPLAIN_N_STANDARD] = "standard_fen",
    [EXPLAIN_N_MEMBERS] = "members",
    [EXPLAIN_N_AGE] = "age_years",
    [EXPLAIN_N_INCOME] = "income_fen",
    [EXPLAIN_N_GROSS_INCOME] = "gross_income_fen",
    [EXPLAIN_N_DEDUCTIONS] = "deductions_fen",
    [EXPLAIN_N_COUNTED_TOTAL] = "counted_income_fen",
    [EXPLAIN_N_PER_CAPITA] = "per_capita_income_fen",
    [EXPLAIN_N_EXEMPT] = "excluded_fen",
    [EXPLAIN_N_GAP_PER_CAPITA] = "gap_per_person_fen",
    [EXPLAIN_N_AMOUNT] = "amount_fen",
    [EXPLAIN_N_ASSETS] = "deposits_and_securities_fen",
    [EXPLAIN_N_LIMIT] = "limit_fen",
    [EXPLAIN_N_MONTHS] = "months",
    [EXPLAIN_N_COUNT] = "count",
    [EXPLAIN_N_MAX_COUNT] = "max_count",
    [EXPLAIN_N_AREA] = "floor_area_dm2",
    [EXPLAIN_N_AREA_LIMIT] = "area_limit_per_head_dm2",
    [EXPLAIN_N_MULTIPLE] = "multiple",
    [EXPLAIN_N_RATIO] = "ratio_permille",
    [EXPLAIN_N_GRADE] = "grade",
    [EXPLAIN_N_CATEGORY] = "category",
    [EXPLAIN_N_ITEMS_UNABLE] = "items_unable",
    [EXPLAIN_N_PERIOD] = "period_months",
    [EXPLAIN_N_LAST_AMOUNT] = "last_amount_fen",
    [EXPLAIN_N_BASE] = "base_fen",
    [EXPLAIN_N_FLAG] = "flag",
    [EXPLAIN_N_RURAL] = "rural",
    [EXPLAIN_N_KIND] = "income_kind",
    [EXPLAIN_N_GROUND] = "ground",
    [EXPLAIN_N_MODE] = "mode",
    [EXPLAIN_N_RELATION] = "relation",
    [EXPLAIN_N_INCOME_ANNUAL] = "annual_income_fen",
    [EXPLAIN_N_TIER] = "tier",
    [EXPLAIN_N_MEMBER] = "member",
    [EXPLAIN_N_DISTRICT_AREA] = "district_setting",
};
_Static_assert(EXPLAIN_N__COUNT == 36, "value_keys follows explain_name");

static const char *
result_name(enum explain_result r)
{
    switch (r) {
    case EXPLAIN_PASS: return "pass";
    case EXPLAIN_FAIL: return "fail";
    case EXPLAIN_INFO: return "info";
    case EXPLAIN_AMOUNT: return "amount";
    case EXPLAIN_REVIEW: return "review";
    }
    return "?";
}

/* Sets key to a new value; 0, or -1 when v is NULL or set failed. */
static int
set(json_t *o, const char *key, json_t *v)
{
    return v && json_object_set_new(o, key, v) == 0 ? 0 : -1;
}

static json_t *
member_of(int member)
{
    return member >= 0 ? json_integer(member) : json_null();
}

/* One explanation line's text in one language, without its newline. */
static json_t *
line_text(struct explain *one, const struct explain_line *l, int zh)
{
    char text[1024];
    one->count = 1;
    one->truncated = 0;
    one->lines[0] = *l;
    if (explain_render(one, zh, text, sizeof(text)) != DD_OK)
        return NULL;
    size_t n = strlen(text);
    if (n && text[n - 1] == '\n')
        text[n - 1] = '\0';
    return json_string(text);
}

json_t *
json_assess_explanation(struct explain *one, const struct explain *ex)
{
    json_t *arr = json_array();
    if (!arr)
        return NULL;
    for (size_t i = 0; ex && i < ex->count; i++) {
        const struct explain_line *l = &ex->lines[i];
        json_t *o = json_object(), *vals = json_object();
        if (!o || !vals || json_array_append_new(arr, o) != 0) {
            json_decref(vals);
            json_decref(arr);
            return NULL;
        }
        int rc =
            set(o, "rule", json_string(l->rule ? l->rule->id : "?")) |
            set(o, "clause", json_string(l->rule ? l->rule->clause : "?")) |
            set(o, "result", json_string(result_name(l->result))) |
            set(o, "member", member_of(l->member)) | set(o, "values", vals) |
            set(o, "amount_fen", json_integer(l->amount_fen)) |
            set(o, "text_zh", line_text(one, l, 1)) |
            set(o, "text_en", line_text(one, l, 0));
        for (int k = 0; rc == 0 && k < l->value_count && k < EXPLAIN_MAX_VALUES;
             k++) {
            const struct explain_value *v = &l->values[k];
            const char *name = (unsigned)v->name < EXPLAIN_N__COUNT
                                   ? value_keys[v->name]
                                   : NULL;
            if (name)
                rc = set(vals, name, json_integer(v->value));
        }
        if (rc != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

static const char *
dibao_part_name(enum dibao_part_kind k)
{
    switch (k) {
    case DIBAO_PART_GAP: return "gap";
    case DIBAO_PART_SHARE: return "share";
    case DIBAO_PART_CATEGORY: return "category_increment";
    case DIBAO_PART_DISABLED: return "disabled_increment";
    case DIBAO_PART_PHASEOUT: return "phaseout";
    }
    return "?";
}

static const char *
dibao_category_name(enum dibao_category k)
{
    switch (k) {
    case DIBAO_CAT_SEVERE_DISABILITY: return "severe_disability";
    case DIBAO_CAT_MAJOR_ILLNESS: return "major_illness";
    case DIBAO_CAT_ELDERLY: return "elderly";
    case DIBAO_CAT_PRESCHOOL: return "preschool";
    case DIBAO_CAT_STUDENT: return "student";
    default: return NULL;
    }
}

static json_t *
part(const char *kind, const char *category, int member, int64_t fen)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    if (set(o, "kind", json_string(kind)) ||
        set(o, "category", category ? json_string(category) : json_null()) ||
        set(o, "member", member_of(member)) ||
        set(o, "amount_fen", json_integer(fen))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *
parts_of(enum assess_program prog, const struct assess_result *r)
{
    json_t *arr = json_array();
    if (!arr)
        return NULL;
    int rc = 0;
    if (prog == ASSESS_DIBAO) {
        for (size_t i = 0; rc == 0 && i < r->dibao.part_count; i++) {
            const struct dibao_part *p = &r->dibao.parts[i];
            rc = json_array_append_new(
                arr, part(dibao_part_name(p->kind),
                          p->kind == DIBAO_PART_CATEGORY
                              ? dibao_category_name(p->category)
                              : NULL,
                          p->member, p->amount_fen));
        }
    } else {
        for (int i = 0; rc == 0 && i < r->tekun_count; i++) {
            const struct tekun_result *t = &r->tekun[i];
            if (t->decision == TEKUN_NOT_ELIGIBLE)
                continue;
            static const char *const tiers[] = {"self", "partial", "full"};
            rc = json_array_append_new(arr,
                                       part("basic", NULL, i, t->basic_fen));
            if (rc == 0)
                rc = json_array_append_new(
                    arr, part("care", tiers[t->tier], i, t->care_fen));
        }
    }
    if (rc != 0) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

char *
json_encode_assessment(struct arena *a, const char *as_of,
                       const char *region_code, const struct assess_result *r,
                       struct explain *const ex[ASSESS__COUNT])
{
    json_t *root = json_object(), *progs = json_array();
    struct explain *one = arena_alloc(a, sizeof(*one));
    if (!root || !progs || !one || set(root, "as_of", json_string(as_of)) ||
        set(root, "region_code", json_string(region_code))) {
        json_decref(progs);
        json_decref(root);
        return NULL;
    }
    if (set(root, "programs", progs)) {
        json_decref(root);
        return NULL;
    }
    for (int p = 0; p < ASSESS__COUNT; p++) {
        json_t *o = json_object();
        const struct explain *e = ex ? ex[p] : NULL;
        if (!o || json_array_append_new(progs, o) != 0 ||
            set(o, "program", json_string(assess_program_name(p))) ||
            set(o, "decision",
                json_string(assess_decision_name(r->decision[p]))) ||
            set(o, "monthly_amount_fen", json_integer(r->amount_fen[p])) ||
            set(o, "parts", parts_of(p, r)) ||
            set(o, "explanation", json_assess_explanation(one, e)) ||
            set(o, "explanation_truncated", json_boolean(e && e->truncated))) {
            json_decref(root);
            return NULL;
        }
    }
    char *s = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    if (!s)
        return NULL;
    char *out = arena_strdup(a, s);
    free(s);
    return out;
}
