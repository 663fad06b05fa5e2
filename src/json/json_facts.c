/* SPDX-License-Identifier: MIT */
/* The decider's facts of a case decision, decoded against one table per
 * engine (anything else is an error naming its path), and an engine
 * outcome encoded with its explanation. */
#include "json/json_facts.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json/json_internal.h"

enum ftype { F_BOOL, F_INT, F_I64, F_ENUM, F_PARENTS };

/* Which engines a field belongs to (bit = 1 << enum case_engine). */
#define E(x) (1u << CASE_ENGINE_##x)
#define DIS (E(DISABILITY_LIVING) | E(DISABILITY_CARE))
#define CHI (E(ORPHAN) | E(DEFACTO))
#define TMP (E(TEMPAID_URGENT) | E(TEMPAID_EXPENSE))

struct ffield {
    const char *name;
    enum ftype type;
    unsigned engines;
    size_t offset;
    int64_t min, max;
    const char *const *names; /* F_ENUM: index = value */
    unsigned present;         /* CASE_F_* set when given */
};

static const char *const placement_names[] = {"scattered", "institutional",
                                              NULL};
static const char *const cause_names[] = {
    "fire",           "traffic", "accident",
    "sudden_illness", "medical", "education",
    "other_expense",  "other",   NULL};
_Static_assert(TEMPAID_CAUSE__COUNT == 8, "cause_names follows the enum");
static const char *const custody_names[] = {"none",       "prison", "detention",
                                            "drug_rehab", "other",  NULL};
_Static_assert(CHILD_CUSTODY__COUNT == 5, "custody_names follows the enum");
static const char *const disability_names[] = {
    "none",         "visual", "hearing",  "speech", "physical",
    "intellectual", "mental", "multiple", NULL};

#define CF(f) offsetof(struct case_facts, f)
#define MONEY_MAX ((int64_t)100000000000) /* 10^9 yuan */

static const struct ffield facts_fields[] = {
    {"member_id", F_I64, DIS | CHI, CF(member_id), 1, INT64_MAX, NULL,
     CASE_F_MEMBER},
    {"card_valid", F_BOOL, DIS, CF(card_valid), 0, 1, NULL, CASE_F_CARD_VALID},
    {"care_months", F_INT, DIS, CF(care_months), 0, 1200, NULL,
     CASE_F_CARE_MONTHS},
    {"orphan_protected", F_BOOL, DIS, CF(orphan_protected), 0, 1, NULL, 0},
    {"defacto_full_subsidy", F_BOOL, DIS, CF(defacto_full_subsidy), 0, 1, NULL,
     0},
    {"work_injury_care_fen", F_I64, DIS, CF(work_injury_care_fen), 0, MONEY_MAX,
     NULL, 0},
    {"placement", F_ENUM, CHI, CF(placement), 0, 0, placement_names,
     CASE_F_PLACEMENT},
    {"parents", F_PARENTS, CHI, 0, 1, 2, NULL, CASE_F_PARENTS},
    {"cause", F_ENUM, TMP, CF(cause), 0, 0, cause_names, CASE_F_CAUSE},
    {"persons", F_INT, TMP, CF(persons), 1, HH_MAX_MEMBERS, NULL,
     CASE_F_PERSONS},
    {"months_needed", F_INT, E(TEMPAID_URGENT), CF(months_needed), 1, 120, NULL,
     CASE_F_MONTHS_NEEDED},
    {"expense_fen", F_I64, E(TEMPAID_EXPENSE), CF(expense_fen), 0, MONEY_MAX,
     NULL, CASE_F_EXPENSE},
    {"assets_within_rules", F_BOOL, E(TEMPAID_EXPENSE), CF(assets_within_rules),
     0, 1, NULL, CASE_F_ASSETS},
    {"basic_living_fen", F_I64, E(RIGID), CF(rigid.basic_living_fen), 0,
     MONEY_MAX, NULL, 0},
    {"medical_fen", F_I64, E(RIGID), CF(rigid.medical_fen), 0, MONEY_MAX, NULL,
     0},
    {"education_fen", F_I64, E(RIGID), CF(rigid.education_fen), 0, MONEY_MAX,
     NULL, 0},
    {"rehabilitation_fen", F_I64, E(RIGID), CF(rigid.rehabilitation_fen), 0,
     MONEY_MAX, NULL, 0},
    {"other_fen", F_I64, E(RIGID), CF(rigid.other_fen), 0, MONEY_MAX, NULL, 0},
};

#define PF(f) offsetof(struct child_parent, f)
static const struct ffield parent_fields[] = {
    {"dead", F_BOOL, ~0u, PF(dead), 0, 1, NULL, 0},
    {"declared_missing", F_BOOL, ~0u, PF(declared_missing), 0, 1, NULL, 0},
    {"disability_category", F_ENUM, ~0u, PF(disability_category), 0, 0,
     disability_names, 0},
    {"disability_grade", F_INT, ~0u, PF(disability_grade), 0, 4, NULL, 0},
    {"serious_illness", F_BOOL, ~0u, PF(serious_illness), 0, 1, NULL, 0},
    {"custody", F_ENUM, ~0u, PF(custody), 0, 0, custody_names, 0},
    {"custody_months", F_INT, ~0u, PF(custody_months), 0, 1200, NULL, 0},
    {"lost_contact_months", F_INT, ~0u, PF(lost_contact_months), 0, 1200, NULL,
     0},
};

struct fctx {
    struct arena *a;
    struct dd_error *err;
    int oom;
};

static enum dd_status
bad(struct fctx *c, const char *code, const char *path, const char *en,
    const char *zh)
{
    c->err->code = code;
    c->err->field = path;
    c->err->message = en;
    c->err->message_zh = zh;
    return c->oom ? DD_ENOMEM : DD_EINVAL;
}

static const char *
path_of(struct fctx *c, const char *prefix, const char *key)
{
    const char *p = arena_printf(c->a, "%s.%s", prefix, key);
    if (!p)
        c->oom = 1;
    return p ? p : prefix;
}

static enum dd_status object_into(struct fctx *c, json_t *o, const char *path,
                                  const struct ffield *fs, size_t n,
                                  unsigned engine_bit, void *dest,
                                  unsigned *present);

static enum dd_status
parents(struct fctx *c, json_t *v, const char *path, struct case_facts *out)
{
    if (!json_is_array(v))
        return bad(c, "WRONG_TYPE", path, "this field must be an array",
                   "该字段必须是数组");
    size_t n = json_array_size(v);
    if (n < 1)
        return bad(c, "TOO_SHORT", path, "give one or two parents",
                   "须填写一至两名父母");
    if (n > 2)
        return bad(c, "TOO_LONG", path, "give one or two parents",
                   "须填写一至两名父母");
    for (size_t i = 0; i < n; i++) {
        const char *p = arena_printf(c->a, "%s[%zu]", path, i);
        if (!p)
            return DD_ENOMEM;
        unsigned ignored = 0;
        enum dd_status rc =
            object_into(c, json_array_get(v, i), p, parent_fields,
                        sizeof(parent_fields) / sizeof(parent_fields[0]), ~0u,
                        &out->parents[i], &ignored);
        if (rc != DD_OK)
            return rc;
        const struct child_parent *pa = &out->parents[i];
        /* a grade needs a category and the other way round */
        if ((pa->disability_category == HH_DIS_NONE) !=
            (pa->disability_grade == 0))
            return bad(c, "INVALID_VALUE", path_of(c, p, "disability_grade"),
                       "a disability grade goes with a category (both or "
                       "neither)",
                       "残疾等级与残疾类别须同时填写或同时不填");
    }
    out->parent_count = (int)n;
    return DD_OK;
}

static enum dd_status
object_into(struct fctx *c, json_t *o, const char *path,
            const struct ffield *fs, size_t n, unsigned engine_bit, void *dest,
            unsigned *present)
{
    if (!json_is_object(o))
        return bad(c, "NOT_AN_OBJECT", path, "this must be a JSON object",
                   "此处必须是 JSON 对象");
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        const char *p = path_of(c, path, key);
        const struct ffield *f = NULL;
        for (size_t i = 0; i < n; i++)
            if (strcmp(fs[i].name, key) == 0 && (fs[i].engines & engine_bit))
                f = &fs[i];
        if (!f)
            return bad(c, "UNKNOWN_FIELD", p,
                       "this field is not allowed here for this item",
                       "此事项不允许此字段");
        char *dst = (char *)dest + f->offset;
        switch (f->type) {
        case F_BOOL: {
            if (!json_is_boolean(v))
                return bad(c, "WRONG_TYPE", p,
                           "this field must be true or false",
                           "该字段必须是 true 或 false");
            int b = json_is_true(v);
            memcpy(dst, &b, sizeof(b));
            break;
        }
        case F_INT:
        case F_I64: {
            if (!json_is_integer(v))
                return bad(c, "WRONG_TYPE", p, "this field must be an integer",
                           "该字段必须是整数");
            json_int_t x = json_integer_value(v);
            if (x < f->min || x > f->max)
                return bad(c, "OUT_OF_RANGE", p,
                           "this field is outside its allowed range",
                           "该字段超出允许范围");
            if (f->type == F_INT) {
                int iv = (int)x;
                memcpy(dst, &iv, sizeof(iv));
            } else {
                int64_t lv = (int64_t)x;
                memcpy(dst, &lv, sizeof(lv));
            }
            break;
        }
        case F_ENUM: {
            if (!json_is_string(v))
                return bad(c, "WRONG_TYPE", p, "this field must be a string",
                           "该字段必须是字符串");
            int found = -1;
            for (int i = 0; f->names[i]; i++)
                if (strcmp(f->names[i], json_string_value(v)) == 0)
                    found = i;
            if (found < 0)
                return bad(c, "INVALID_VALUE", p,
                           "this field is not one of its allowed values",
                           "该字段不是允许的取值");
            memcpy(dst, &found, sizeof(found));
            break;
        }
        case F_PARENTS: {
            enum dd_status rc = parents(c, v, p, dest);
            if (rc != DD_OK)
                return rc;
            break;
        }
        }
        *present |= f->present;
    }
    return c->oom ? DD_ENOMEM : DD_OK;
}

enum dd_status
json_facts_decode(struct arena *a, const char *text, size_t len,
                  enum case_engine e, struct case_facts *out,
                  struct dd_error *err)
{
    if (!a || !out || !err)
        return DD_EINVAL;
    memset(out, 0, sizeof(*out));
    struct fctx c = {a, err, 0};
    json_error_t je;
    json_t *root =
        json_loadb(text ? text : "", len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return bad(&c, "MALFORMED_JSON", "facts", "facts is not valid JSON",
                   "facts 不是有效的 JSON");
    enum dd_status rc =
        object_into(&c, root, "facts", facts_fields,
                    sizeof(facts_fields) / sizeof(facts_fields[0]),
                    (unsigned)e < 32 ? 1u << e : 0, out, &out->present);
    json_decref(root);
    if (rc != DD_OK)
        memset(out, 0, sizeof(*out));
    return rc;
}

/* Sets key to a new value; 0, or -1 when v is NULL or set failed. */
static int
set(json_t *o, const char *key, json_t *v)
{
    return v && json_object_set_new(o, key, v) == 0 ? 0 : -1;
}

char *
json_encode_case_outcome(struct arena *a, const char *as_of,
                         const char *region_code, const struct case_outcome *o,
                         const struct explain *ex, int64_t decided_fen)
{
    struct explain *one = arena_alloc(a, sizeof(*one));
    json_t *root = json_object(), *progs = json_array(), *prog = json_object(),
           *parts = json_array();
    if (!one || !root || !progs || !prog || !parts) {
        json_decref(root);
        json_decref(progs);
        json_decref(prog);
        json_decref(parts);
        return NULL;
    }
    int rc = set(root, "as_of", json_string(as_of)) |
             set(root, "region_code", json_string(region_code)) |
             set(root, "programs", progs);
    if (rc || json_array_append_new(progs, prog) != 0) {
        json_decref(prog);
        json_decref(parts);
        json_decref(root);
        return NULL;
    }
    rc = set(prog, "parts", parts);
    for (int i = 0; rc == 0 && i < o->part_count; i++) {
        json_t *p = json_object();
        rc = !p || json_array_append_new(parts, p) != 0 ||
             set(p, "kind", json_string(o->parts[i].kind)) ||
             set(p, "amount_fen", json_integer(o->parts[i].amount_fen));
    }
    rc =
        rc ||
        set(prog, "program", json_string(assess_case_engine_name(o->engine))) ||
        set(prog, "decision", json_string(assess_decision_name(o->decision))) ||
        set(prog, "monthly_amount_fen",
            json_integer(assess_case_one_off(o->engine) ? 0 : o->amount_fen)) ||
        set(prog, "one_off_amount_fen",
            assess_case_one_off(o->engine) ? json_integer(o->amount_fen)
                                           : json_null()) ||
        set(prog, "explanation", json_assess_explanation(one, ex)) ||
        set(prog, "explanation_truncated", json_boolean(ex && ex->truncated)) ||
        set(prog, "unresolved_key",
            o->unresolved_key ? json_string(o->unresolved_key) : json_null());
    if (rc == 0 && decided_fen >= 0) {
        json_t *r = json_object();
        rc = set(prog, "review", r) ||
             set(r, "decided_amount_fen", json_integer(decided_fen)) ||
             set(r, "note_zh",
                 json_string(
                     o->unresolved_key
                         ? "引擎缺少生效的政策参数，无法决定；金额由经办"
                           "人员审核确定"
                         : "引擎要求人工审核；金额由经办人员审核确定")) ||
             set(r, "note_en",
                 json_string(o->unresolved_key
                                 ? "the engine lacks a policy parameter in "
                                   "force and cannot decide; the amount is "
                                   "the caseworker's"
                                 : "the engine asks for a caseworker's "
                                   "review; the amount is the caseworker's"));
    }
    if (rc) {
        json_decref(root);
        return NULL;
    }
    return json_to_arena(a, root);
}
