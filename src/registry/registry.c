/* SPDX-License-Identifier: MIT */
/* The household registry's rules: checking bodies, sealing ID numbers,
 * writing and loading a household, and the mapping onto struct household
 * for the assessment engine. See registry.h. */
#include "registry/registry.h"

#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "domain/area.h"
#include "domain/idcard.h"

static const char *const relation_names[] = {
    "applicant",  "spouse",  "child",        "parent", "grandparent",
    "grandchild", "sibling", "child_in_law", "other",
};
static const char *const work_names[] = {"full", "partial", "none"};
static const char *const schooling_names[] = {
    "none", "preschool", "compulsory", "high", "bachelor", "above",
};
static const char *const selfcare_names[] = {
    "eating", "dressing", "bed", "toileting", "walking", "bathing",
};
static const char *const income_names[] = {
    "wages",
    "business",
    "property",
    "transfers_in",
    "transfers_out",
    "rigid_deduction",
    "ex_veterans",
    "ex_family_planning",
    "ex_scholarship",
    "ex_heroism",
    "ex_social_assistance",
    "ex_basic_pension",
    "ex_disability_subsidy",
    "ex_unsupported_child",
    "ex_kin_support",
    "ex_old_age_allowance",
    "ex_social_insurance",
    "ex_local",
};
static const char *const asset_names[] = {
    "deposit", "security", "vehicle", "dwelling", "shop", "company",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))
_Static_assert(N(relation_names) == HH_REL__COUNT, "relations");
_Static_assert(N(schooling_names) == HH_SCHOOL__COUNT, "schooling");
_Static_assert(N(selfcare_names) == HH_ADL__COUNT, "self-care items");
_Static_assert(N(income_names) == HH_INC__COUNT, "income kinds");
_Static_assert(N(asset_names) == HH_ASSET__COUNT, "asset kinds");

static const struct {
    const char *const *names;
    size_t count;
} tables[REG__COUNT] = {
    [REG_RELATION] = {relation_names, N(relation_names)},
    [REG_WORK_CAPACITY] = {work_names, N(work_names)},
    [REG_SCHOOLING] = {schooling_names, N(schooling_names)},
    [REG_SELFCARE] = {selfcare_names, N(selfcare_names)},
    [REG_INCOME_KIND] = {income_names, N(income_names)},
    [REG_ASSET_KIND] = {asset_names, N(asset_names)},
};

const char *
registry_name_of(enum registry_code c, int value)
{
    if (c >= REG__COUNT || value < 0 || (size_t)value >= tables[c].count)
        return NULL;
    return tables[c].names[value];
}

int
registry_code_of(enum registry_code c, const char *name)
{
    if (c >= REG__COUNT || !name)
        return -1;
    for (size_t i = 0; i < tables[c].count; i++)
        if (strcmp(tables[c].names[i], name) == 0)
            return (int)i;
    return -1;
}

static enum dd_status
bad(struct arena *a, struct dd_error *err, const char *code, const char *prefix,
    const char *name, const char *en, const char *zh)
{
    err->code = code;
    err->field = arena_printf(a, "%s%s", prefix, name);
    err->message = en;
    err->message_zh = zh;
    return DD_EINVAL;
}

/* A code field: absent takes the default, unknown is UNKNOWN_CODE. */
static enum dd_status
code_field(struct arena *a, struct dd_error *err, enum registry_code c,
           const char *value, int dflt, const char *prefix, const char *name,
           int *out)
{
    if (!value) {
        *out = dflt;
        return DD_OK;
    }
    *out = registry_code_of(c, value);
    if (*out < 0)
        return bad(a, err, "UNKNOWN_CODE", prefix, name,
                   "this value is not one of the allowed codes",
                   "该值不是允许的代码之一");
    return DD_OK;
}

static int
date_ok(const char *s, int *y, int *m, int *d)
{
    char tail;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    if (sscanf(s, "%4d-%2d-%2d%c", y, m, d, &tail) != 3)
        return 0;
    return hh_date_valid(*y, *m, *d);
}

enum dd_status
registry_check_member(const struct pii_keys *k, struct arena *a,
                      const struct hhj_member *m, const char *prefix,
                      int today_y, int today_m, int today_d,
                      struct registry_member *out, struct dd_error *err)
{
    struct idcard id;
    struct dd_error ierr = {0};
    enum dd_status rc;
    int v;

    memset(out, 0, sizeof(*out));
    struct person_row *p = &out->p;
    rc = idcard_parse(m->id_number, today_y, today_m, today_d, &id, &ierr);
    if (rc != DD_OK) {
        err->code = ierr.code ? ierr.code : "INVALID_ID_NUMBER";
        err->field = arena_printf(a, "%sid_number", prefix);
        err->message = ierr.message ? ierr.message : "invalid ID number";
        err->message_zh = ierr.message_zh ? ierr.message_zh : "身份证号无效";
        return DD_EINVAL;
    }
    str_copy(out->number, sizeof(out->number), id.number);
    /* the row key of this member's sealed values (crypto/pii.h) */
    pii_blind_index(k, id.number, p->id_hash);
    snprintf(p->birth_date, sizeof(p->birth_date), "%04d-%02d-%02d",
             id.birth_year, id.birth_month, id.birth_day);
    p->sex[0] = id.sex;
    p->sex[1] = '\0';
    /* GB 11643-1999 §5: the number fixes birth date and sex; what is
     * entered beside it must agree */
    if (m->birth_date && strcmp(m->birth_date, p->birth_date) != 0)
        return bad(a, err, "BIRTH_DATE_MISMATCH", prefix, "birth_date",
                   "the birth date does not match the ID number",
                   "出生日期与身份证号不一致");
    if (m->sex && strcmp(m->sex, p->sex) != 0)
        return bad(a, err, "SEX_MISMATCH", prefix, "sex",
                   "the sex does not match the ID number (M or F)",
                   "性别与身份证号不一致（M 或 F）");
    if (!*m->name)
        return bad(a, err, "TOO_SHORT", prefix, "name", "a member needs a name",
                   "成员姓名不能为空");
    str_copy(p->name, sizeof(p->name), m->name);
    rc = code_field(a, err, REG_RELATION, m->relation, -1, prefix, "relation",
                    &p->relation);
    if (rc == DD_OK)
        rc = code_field(a, err, REG_WORK_CAPACITY, m->work_capacity,
                        HH_WORK_FULL, prefix, "work_capacity",
                        &p->work_capacity);
    if (rc == DD_OK)
        rc = code_field(a, err, REG_SCHOOLING, m->schooling, HH_SCHOOL_NONE,
                        prefix, "schooling", &p->schooling);
    if (rc != DD_OK)
        return rc;
    for (size_t i = 0; i < m->selfcare_count; i++) {
        v = registry_code_of(REG_SELFCARE, m->selfcare_unable[i]);
        if (v < 0)
            return bad(a, err, "UNKNOWN_CODE", prefix,
                       arena_printf(a, "selfcare_unable[%zu]", i),
                       "this is not a self-care item", "该值不是生活自理项目");
        p->selfcare_unable |= 1 << v;
    }
    p->major_illness = m->major_illness;
    p->employed = m->employed;

    /* disability: category and grade go together, and a card (第二代残疾人
     * 证) is the evidence: its number embeds the ID number, the category
     * and the grade, which must agree with those entered */
    int cat = (int)m->disability_category, grade = (int)m->disability_grade;
    if (m->disability_card && *m->disability_card) {
        int ccat = 0, cgrade = 0;
        struct dd_error cerr = {0};
        rc = idcard_disability_card_parse(m->disability_card, id.number, &ccat,
                                          &cgrade, &cerr);
        if (rc != DD_OK) {
            err->code = cerr.code ? cerr.code : "DISABILITY_CARD_INVALID";
            err->field = arena_printf(a, "%sdisability_card", prefix);
            err->message =
                cerr.message ? cerr.message : "invalid disability card number";
            err->message_zh =
                cerr.message_zh ? cerr.message_zh : "残疾人证号无效";
            return DD_EINVAL;
        }
        if (cat == 0 && grade == 0) {
            cat = ccat;
            grade = cgrade;
        }
        if (cat != ccat)
            return bad(a, err, "DISABILITY_CARD_MISMATCH", prefix,
                       "disability_category",
                       "the category does not match the disability card",
                       "残疾类别与残疾人证号不一致");
        if (grade != cgrade)
            return bad(a, err, "DISABILITY_CARD_MISMATCH", prefix,
                       "disability_grade",
                       "the grade does not match the disability card",
                       "残疾等级与残疾人证号不一致");
        rc = pii_seal(k, &PII_AD_PERSON_CARD(p->id_hash), m->disability_card,
                      p->disability_card_enc, sizeof(p->disability_card_enc));
        if (rc != DD_OK)
            return rc;
    } else if (cat != 0 || grade != 0) {
        return bad(a, err, "DISABILITY_CARD_REQUIRED", prefix,
                   "disability_card",
                   "a disability needs the disability card number",
                   "登记残疾须填写残疾人证号");
    }
    if ((cat == 0) != (grade == 0))
        return bad(a, err, "DISABILITY_GRADE_INVALID", prefix,
                   "disability_grade",
                   "a category 1-7 needs a grade 1-4, and none needs none",
                   "残疾类别 1-7 须有等级 1-4，无残疾则无等级");
    p->disability_category = cat;
    p->disability_grade = grade;

    unsigned seen = 0;
    for (size_t i = 0; i < m->income_count; i++) {
        const char *ip = arena_printf(a, "%sincomes[%zu].", prefix, i);
        v = registry_code_of(REG_INCOME_KIND, m->incomes[i].kind);
        if (v < 0)
            return bad(a, err, "UNKNOWN_CODE", ip, "kind",
                       "this is not an income kind", "该值不是收入类别");
        if (seen & (1u << v))
            return bad(a, err, "DUPLICATE_INCOME_KIND", ip, "kind",
                       "each income kind once per member",
                       "每名成员每类收入只能登记一次");
        seen |= 1u << v;
        out->incomes[out->income_count].kind = v;
        out->incomes[out->income_count].monthly_fen = m->incomes[i].monthly_fen;
        out->income_count++;
    }

    rc = pii_seal(k, &PII_AD_PERSON_ID(p->id_hash), id.number, p->id_enc,
                  sizeof(p->id_enc));
    if (rc != DD_OK)
        return rc;
    idcard_mask(id.number, p->id_masked);
    return DD_OK;
}

enum dd_status
registry_check_household(const struct pii_keys *k, struct arena *a,
                         const struct hhj_household *in, int today_y,
                         int today_m, int today_d, struct registry_input *out,
                         struct dd_error *err)
{
    enum dd_status rc;
    memset(out, 0, sizeof(*out));
    struct household_row *h = &out->h;
    str_copy(h->region_code, sizeof(h->region_code), in->region_code);
    str_copy(h->hukou_region, sizeof(h->hukou_region), in->hukou_region);
    snprintf(h->county_code, sizeof(h->county_code), "%.6s", in->region_code);
    str_copy(h->address, sizeof(h->address), in->address ? in->address : "");
    /* domain.md §7.1: the household's own standard, or its district's
     * ("district": whether the district sets one is checked against the
     * policy by the caller, who holds it) */
    enum area_setting setting;
    if (!in->urban_or_rural ||
        area_setting_parse(in->urban_or_rural, &setting) != 0)
        return bad(a, err, "UNKNOWN_CODE", "", "urban_or_rural",
                   "urban_or_rural is \"urban\", \"rural\" or \"district\"",
                   "城乡类别须为 urban、rural 或 district（按区县）");
    str_copy(h->urban_or_rural, sizeof(h->urban_or_rural), in->urban_or_rural);
    str_copy(h->status, sizeof(h->status), "active");
    if (in->member_count == 0)
        return bad(a, err, "MISSING_FIELD", "", "members",
                   "a household has at least one member (the applicant)",
                   "家庭至少有一名成员（申请人）");
    out->members = arena_alloc(a, in->member_count * sizeof(*out->members));
    if (!out->members)
        return DD_ENOMEM;
    int applicants = 0;
    for (size_t i = 0; i < in->member_count; i++) {
        const char *prefix = arena_printf(a, "members[%zu].", i);
        rc = registry_check_member(k, a, &in->members[i], prefix, today_y,
                                   today_m, today_d, &out->members[i], err);
        if (rc != DD_OK)
            return rc;
        for (size_t j = 0; j < i; j++)
            if (strcmp(out->members[j].number, out->members[i].number) == 0)
                return bad(a, err, "DUPLICATE_MEMBER", prefix, "id_number",
                           "this ID number is already a member above",
                           "该身份证号已在前面的成员中");
        applicants += out->members[i].p.relation == HH_REL_APPLICANT;
        out->member_count++;
    }
    if (applicants != 1)
        return bad(a, err, "ONE_APPLICANT", "", "members",
                   "exactly one member has the relation \"applicant\"",
                   "须有且只有一名成员的关系为申请人");
    for (size_t i = 0; i < in->asset_count; i++) {
        const struct hhj_asset *s = &in->assets[i];
        const char *prefix = arena_printf(a, "assets[%zu].", i);
        int kind = registry_code_of(REG_ASSET_KIND, s->kind);
        if (kind < 0)
            return bad(a, err, "UNKNOWN_CODE", prefix, "kind",
                       "this is not an asset kind", "该值不是资产类别");
        if (s->owner_member >= (int64_t)in->member_count)
            return bad(a, err, "NO_SUCH_MEMBER", prefix, "owner_member",
                       "owner_member is the index of a member",
                       "owner_member 须为成员的序号");
        struct asset_row *r = &out->assets[out->asset_count];
        r->kind = kind;
        r->value_fen = s->value_fen;
        r->count = s->count;
        r->area_dm2 = s->area_dm2;
        r->exempt = s->exempt;
        out->asset_owner[out->asset_count++] = (int)s->owner_member;
    }
    for (size_t i = 0; i < in->obligor_count; i++) {
        const struct hhj_obligor *s = &in->obligors[i];
        const char *prefix = arena_printf(a, "obligors[%zu].", i);
        struct obligor_row *r = &out->obligors[out->obligor_count];
        int y, m, d;
        if (s->of_member >= (int64_t)in->member_count)
            return bad(a, err, "NO_SUCH_MEMBER", prefix, "of_member",
                       "of_member is the index of a member",
                       "of_member 须为成员的序号");
        rc = code_field(a, err, REG_RELATION, s->relation, -1, prefix,
                        "relation", &r->relation);
        if (rc != DD_OK)
            return rc;
        if (s->birth_date && !date_ok(s->birth_date, &y, &m, &d))
            return bad(a, err, "INVALID_DATE", prefix, "birth_date",
                       "a date is YYYY-MM-DD", "日期格式须为 YYYY-MM-DD");
        if ((s->disability_category == 0) != (s->disability_grade == 0))
            return bad(a, err, "DISABILITY_GRADE_INVALID", prefix,
                       "disability_grade",
                       "a category 1-7 needs a grade 1-4, and none needs none",
                       "残疾类别 1-7 须有等级 1-4，无残疾则无等级");
        str_copy(r->name, sizeof(r->name), s->name ? s->name : "");
        str_copy(r->birth_date, sizeof(r->birth_date),
                 s->birth_date ? s->birth_date : "");
        r->disability_category = (int)s->disability_category;
        r->disability_grade = (int)s->disability_grade;
        r->flags = (s->is_tekun ? OBLIGOR_IS_TEKUN : 0) |
                   (s->is_dibao_recipient ? OBLIGOR_IS_DIBAO : 0) |
                   (s->lacks_civil_capacity ? OBLIGOR_LACKS_CAPACITY : 0) |
                   (s->declared_missing ? OBLIGOR_MISSING : 0) |
                   (s->in_prison ? OBLIGOR_IN_PRISON : 0) |
                   (s->assets_within_low_income_rule ? OBLIGOR_ASSETS_LOW : 0) |
                   (s->other_provincial_unable ? OBLIGOR_OTHER_UNABLE : 0);
        r->income_monthly_fen = s->income_monthly_fen;
        out->obligor_of[out->obligor_count++] = (int)s->of_member;
    }
    return DD_OK;
}

/* Where a household's rows are written: the transaction's inserts, or a
 * bulk load (store_bulk_*). */
struct rows_out {
    enum dd_status (*person)(void *to, struct person_row *r);
    enum dd_status (*income)(void *to, struct income_row *r);
    enum dd_status (*asset)(void *to, struct asset_row *r);
    enum dd_status (*obligor)(void *to, struct obligor_row *r);
    void *to;
};

static enum dd_status
tx_person(void *to, struct person_row *r)
{
    return store_person_insert(to, r);
}
static enum dd_status
tx_income(void *to, struct income_row *r)
{
    return store_income_insert(to, r);
}
static enum dd_status
tx_asset(void *to, struct asset_row *r)
{
    return store_asset_insert(to, r);
}
static enum dd_status
tx_obligor(void *to, struct obligor_row *r)
{
    return store_obligor_insert(to, r);
}
static enum dd_status
bulk_person(void *to, struct person_row *r)
{
    return store_bulk_person(to, r);
}
static enum dd_status
bulk_income(void *to, struct income_row *r)
{
    return store_bulk_income(to, r);
}
static enum dd_status
bulk_asset(void *to, struct asset_row *r)
{
    return store_bulk_asset(to, r);
}
static enum dd_status
bulk_obligor(void *to, struct obligor_row *r)
{
    return store_bulk_obligor(to, r);
}

static struct rows_out
tx_out(struct store_tx *tx)
{
    return (struct rows_out){tx_person, tx_income, tx_asset, tx_obligor, tx};
}

static enum dd_status
member_write(const struct rows_out *o, const struct household_row *h,
             struct registry_member *m)
{
    m->p.household_id = h->id;
    str_copy(m->p.county_code, sizeof(m->p.county_code), h->county_code);
    m->p.active = strcmp(h->status, "active") == 0;
    enum dd_status rc = o->person(o->to, &m->p);
    for (size_t i = 0; rc == DD_OK && i < m->income_count; i++) {
        m->incomes[i].person_id = m->p.id;
        str_copy(m->incomes[i].county_code, sizeof(m->incomes[i].county_code),
                 h->county_code);
        rc = o->income(o->to, &m->incomes[i]);
    }
    return rc;
}

static enum dd_status
holdings_write(const struct rows_out *o, const struct household_row *h,
               struct registry_input *in)
{
    enum dd_status rc = DD_OK;
    for (size_t i = 0; rc == DD_OK && i < in->asset_count; i++) {
        struct asset_row *r = &in->assets[i];
        r->household_id = h->id;
        str_copy(r->county_code, sizeof(r->county_code), h->county_code);
        r->owner_person_id =
            in->asset_owner[i] >= 0 ? in->members[in->asset_owner[i]].p.id : 0;
        rc = o->asset(o->to, r);
    }
    for (size_t i = 0; rc == DD_OK && i < in->obligor_count; i++) {
        struct obligor_row *r = &in->obligors[i];
        r->household_id = h->id;
        str_copy(r->county_code, sizeof(r->county_code), h->county_code);
        r->of_person_id = in->members[in->obligor_of[i]].p.id;
        rc = o->obligor(o->to, r);
    }
    return rc;
}

static enum dd_status
children_write(const struct rows_out *o, const struct household_row *h,
               struct registry_input *in, size_t *conflict_member)
{
    enum dd_status rc = DD_OK;
    for (size_t i = 0; rc == DD_OK && i < in->member_count; i++) {
        rc = member_write(o, h, &in->members[i]);
        if (rc == DD_ECONFLICT)
            *conflict_member = i;
    }
    return rc == DD_OK ? holdings_write(o, h, in) : rc;
}

enum dd_status
registry_insert_member(struct store_tx *tx, const struct household_row *h,
                       struct registry_member *m)
{
    struct rows_out o = tx_out(tx);
    return member_write(&o, h, m);
}

enum dd_status
registry_insert_holdings(struct store_tx *tx, const struct household_row *h,
                         struct registry_input *in)
{
    struct rows_out o = tx_out(tx);
    return holdings_write(&o, h, in);
}

enum dd_status
registry_insert_children(struct store_tx *tx, const struct household_row *h,
                         struct registry_input *in, size_t *conflict_member)
{
    struct rows_out o = tx_out(tx);
    return children_write(&o, h, in, conflict_member);
}

enum dd_status
registry_bulk_children(struct store_bulk *b, const struct household_row *h,
                       struct registry_input *in)
{
    struct rows_out o = {bulk_person, bulk_income, bulk_asset, bulk_obligor, b};
    size_t conflict_member = 0;
    return children_write(&o, h, in, &conflict_member);
}

int
registry_member_index(const struct registry_household *cur,
                      const char *id_hash)
{
    for (size_t j = 0; j < cur->member_count; j++)
        if (strcmp(cur->members[j].id_hash, id_hash) == 0)
            return (int)j;
    return -1;
}

int
registry_input_keeps(const struct registry_input *in, const char *id_hash)
{
    for (size_t i = 0; i < in->member_count; i++)
        if (strcmp(in->members[i].p.id_hash, id_hash) == 0)
            return 1;
    return 0;
}

enum dd_status
registry_replace_children(struct store_tx *tx, const struct household_row *h,
                          const struct registry_household *cur,
                          struct registry_input *in, size_t *conflict_member)
{
    /* the holdings go first: they refer to members that may leave */
    enum dd_status rc = store_household_clear_holdings(tx, h->id);
    /* members no longer listed leave (their incomes with them) */
    for (size_t j = 0; rc == DD_OK && j < cur->member_count; j++)
        if (!registry_input_keeps(in, cur->members[j].id_hash))
            rc = store_person_delete(tx, h->id, cur->members[j].id);
    /* the same person (the same blind index) keeps their id and is
     * rewritten in place; anyone else is new */
    for (size_t i = 0; rc == DD_OK && i < in->member_count; i++) {
        struct registry_member *m = &in->members[i];
        int j = registry_member_index(cur, m->p.id_hash);
        if (j < 0) {
            rc = registry_insert_member(tx, h, m);
            if (rc == DD_ECONFLICT)
                *conflict_member = i;
            continue;
        }
        m->p.id = cur->members[j].id;
        m->p.household_id = h->id;
        str_copy(m->p.county_code, sizeof(m->p.county_code), h->county_code);
        m->p.active = cur->members[j].active;
        rc = store_person_update(tx, &m->p);
        for (size_t k = 0; rc == DD_OK && k < m->income_count; k++) {
            m->incomes[k].person_id = m->p.id;
            str_copy(m->incomes[k].county_code,
                     sizeof(m->incomes[k].county_code), h->county_code);
            rc = store_income_insert(tx, &m->incomes[k]);
        }
    }
    if (rc == DD_OK)
        rc = registry_insert_holdings(tx, h, in);
    return rc;
}

/* Copies count rows of size bytes into the arena; NULL only when out of
 * memory (an empty part is a valid, empty array). */
static void *
rows_dup(struct arena *a, const void *rows, size_t count, size_t size)
{
    void *p = arena_alloc(a, count ? count * size : 1);
    if (p && count)
        memcpy(p, rows, count * size);
    return p;
}

enum dd_status
registry_load(struct store_tx *tx, struct arena *a, int64_t id,
              struct registry_household *out)
{
    /* read on the stack, bounded by what a body may hold (more is a sign
     * of trouble and is cut, never overflowed), then only the rows read
     * are copied to the arena: zeroing the bounds there for every read
     * cost more than the query */
    struct {
        struct person_row members[HHJ_MAX_MEMBERS];
        struct income_row incomes[HHJ_MAX_MEMBERS * HHJ_MAX_INCOMES];
        struct asset_row assets[HHJ_MAX_ASSETS];
        struct obligor_row obligors[HHJ_MAX_OBLIGORS];
    } rows;
    struct store_household_parts parts = {
        .members = rows.members,
        .members_max = HHJ_MAX_MEMBERS,
        .incomes = rows.incomes,
        .incomes_max = HHJ_MAX_MEMBERS * HHJ_MAX_INCOMES,
        .assets = rows.assets,
        .assets_max = HHJ_MAX_ASSETS,
        .obligors = rows.obligors,
        .obligors_max = HHJ_MAX_OBLIGORS,
    };

    memset(out, 0, sizeof(*out));
    enum dd_status rc = store_household_read(tx, id, &out->h, &parts);
    if (rc != DD_OK)
        return rc;
    out->members = rows_dup(a, rows.members, parts.member_count,
                            sizeof(*rows.members));
    out->incomes = rows_dup(a, rows.incomes, parts.income_count,
                            sizeof(*rows.incomes));
    out->assets = rows_dup(a, rows.assets, parts.asset_count,
                           sizeof(*rows.assets));
    out->obligors = rows_dup(a, rows.obligors, parts.obligor_count,
                             sizeof(*rows.obligors));
    if (!out->members || !out->incomes || !out->assets || !out->obligors)
        return DD_ENOMEM;
    out->member_count = parts.member_count;
    out->income_count = parts.income_count;
    out->asset_count = parts.asset_count;
    out->obligor_count = parts.obligor_count;
    return DD_OK;
}

static int
member_index(const struct registry_household *rh, int64_t person_id)
{
    for (size_t i = 0; i < rh->member_count; i++)
        if (rh->members[i].id == person_id)
            return (int)i;
    return -1;
}

/* Whether member p had died by day on. */
static int
dead_on(const struct person_row *p, const char *on)
{
    return p->died_on[0] && strcmp(p->died_on, on) <= 0;
}

const char *
registry_applicant_died(const struct registry_household *rh, const char *on)
{
    for (size_t i = 0; i < rh->member_count; i++)
        if (rh->members[i].relation == HH_REL_APPLICANT &&
            dead_on(&rh->members[i], on))
            return rh->members[i].died_on;
    return "";
}

void
registry_applicant_died_error(const struct registry_household *rh,
                              const char *on, struct arena *a,
                              struct dd_error *err)
{
    const char *died = registry_applicant_died(rh, on);
    err->code = "APPLICANT_DECEASED";
    err->field = "members";
    err->message = arena_printf(a,
                                "the household's applicant died on %s: name a "
                                "living member as applicant in the household "
                                "file",
                                died);
    err->message_zh = arena_printf(
        a, "该户申请人已于%s死亡：请先在家庭档案中指定在世成员为申请人", died);
}

enum dd_status
registry_to_household(const struct registry_household *rh, const char *on,
                      struct household *out, int64_t *member_ids)
{
    memset(out, 0, sizeof(*out));
    if (rh->member_count > HH_MAX_MEMBERS)
        return DD_EINVAL;
    if (registry_applicant_died(rh, on)[0])
        return DD_EREFUSED;
    /* the living applicant first: the engine's members[0] is
     * conventionally the applicant, and asset/obligor indexes follow this
     * order; pos_of: a stored member's engine index, -1 for the dead */
    int order[HH_MAX_MEMBERS] = {0}, n = 0;
    for (size_t i = 0; i < rh->member_count; i++)
        if (rh->members[i].relation == HH_REL_APPLICANT)
            order[n++] = (int)i;
    for (size_t i = 0; i < rh->member_count; i++)
        if (rh->members[i].relation != HH_REL_APPLICANT &&
            !dead_on(&rh->members[i], on))
            order[n++] = (int)i;
    if (n == 0)
        return DD_EINVAL;
    int pos_of[HH_MAX_MEMBERS];
    for (size_t i = 0; i < rh->member_count; i++)
        pos_of[i] = -1;
    for (int i = 0; i < n; i++)
        pos_of[order[i]] = i;
    for (int i = 0; i < n; i++) {
        const struct person_row *p = &rh->members[order[i]];
        struct hh_person *o = &out->members[i];
        if (member_ids)
            member_ids[i] = p->id;
        if (p->relation < 0 || p->relation >= HH_REL__COUNT ||
            !date_ok(p->birth_date, &o->birth_y, &o->birth_m, &o->birth_d))
            return DD_EINVAL;
        o->relation = (enum hh_relation)p->relation;
        o->sex = p->sex[0] == 'M'   ? HH_SEX_MALE
                 : p->sex[0] == 'F' ? HH_SEX_FEMALE
                                    : HH_SEX_UNKNOWN;
        o->disability_category = (enum hh_disability)p->disability_category;
        o->disability_grade = p->disability_grade;
        o->major_illness = p->major_illness;
        o->work_capacity = (enum hh_work_capacity)p->work_capacity;
        o->schooling = (enum hh_schooling)p->schooling;
        o->employed = p->employed;
        /* registered in this household: the registry records those the
         * investigation found to belong to it (57号 第七条) */
        o->in_household_register = 1;
        for (int k = 0; k < HH_ADL__COUNT; k++)
            o->selfcare_unable[k] = (p->selfcare_unable >> k) & 1;
    }
    out->member_count = n;
    for (size_t i = 0; i < rh->income_count; i++) {
        const struct income_row *r = &rh->incomes[i];
        int m = member_index(rh, r->person_id);
        if (m < 0 || r->kind < 0 || r->kind >= HH_INC__COUNT)
            return DD_EINVAL;
        if (pos_of[m] >= 0)
            out->members[pos_of[m]].income_fen[r->kind] += r->monthly_fen;
    }
    for (size_t i = 0; i < rh->asset_count; i++) {
        const struct asset_row *r = &rh->assets[i];
        int owner =
            r->owner_person_id ? member_index(rh, r->owner_person_id) : -1;
        /* one engine entry per vehicle, dwelling, shop or company; money
         * is one entry whatever the count */
        int64_t copies =
            r->kind == HH_ASSET_DEPOSIT || r->kind == HH_ASSET_SECURITY
                ? 1
                : r->count;
        if (r->kind < 0 || r->kind >= HH_ASSET__COUNT)
            return DD_EINVAL;
        for (int64_t c = 0; c < copies; c++) {
            if (out->asset_count >= HH_MAX_ASSETS)
                return DD_EINVAL;
            struct hh_asset *o = &out->assets[out->asset_count++];
            o->kind = (enum hh_asset_kind)r->kind;
            o->owner_member =
                owner >= 0 && pos_of[owner] >= 0 ? pos_of[owner] : HH_ASSET_JOINT;
            o->value_fen = r->value_fen;
            o->floor_area_dm2 = r->area_dm2;
            o->exempt = r->exempt;
        }
    }
    for (size_t i = 0; i < rh->obligor_count; i++) {
        const struct obligor_row *r = &rh->obligors[i];
        int m = member_index(rh, r->of_person_id);
        if (m < 0 || out->obligor_count >= HH_MAX_OBLIGORS || r->relation < 0 ||
            r->relation >= HH_REL__COUNT)
            return DD_EINVAL;
        if (pos_of[m] < 0)
            continue;
        struct hh_obligor *o = &out->obligors[out->obligor_count++];
        o->of_member = pos_of[m];
        o->relation = (enum hh_relation)r->relation;
        if (r->birth_date[0] &&
            !date_ok(r->birth_date, &o->birth_y, &o->birth_m, &o->birth_d))
            return DD_EINVAL;
        o->disability_category = (enum hh_disability)r->disability_category;
        o->disability_grade = r->disability_grade;
        o->is_tekun = (r->flags & OBLIGOR_IS_TEKUN) != 0;
        o->is_dibao_recipient = (r->flags & OBLIGOR_IS_DIBAO) != 0;
        o->lacks_civil_capacity = (r->flags & OBLIGOR_LACKS_CAPACITY) != 0;
        o->declared_missing = (r->flags & OBLIGOR_MISSING) != 0;
        o->in_prison = (r->flags & OBLIGOR_IN_PRISON) != 0;
        o->assets_within_low_income_rule = (r->flags & OBLIGOR_ASSETS_LOW) != 0;
        o->other_provincial_unable = (r->flags & OBLIGOR_OTHER_UNABLE) != 0;
        o->income_monthly_fen = r->income_monthly_fen;
    }
    /* an explicit setting maps here; "district" is decided against the
     * hukou county's dibao.area.default by assess_area_resolve (until
     * then the urban standard stands in) */
    enum area_setting setting;
    if (area_setting_parse(rh->h.urban_or_rural, &setting) != 0)
        return DD_EINVAL;
    out->standard_area =
        setting == AREA_SETTING_RURAL ? HH_AREA_RURAL : HH_AREA_URBAN;
    snprintf(out->hukou_county, sizeof(out->hukou_county), "%.6s",
             rh->h.hukou_region);
    return DD_OK;
}
