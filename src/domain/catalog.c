/* SPDX-License-Identifier: MIT */
/* Parsing and checking service-catalog rows (data/catalog/items.csv and
 * the versions the city supervisor adds), the material names of the
 * one-time notice (一次性告知), and the in-memory set of versions. */
#include "domain/catalog.h"

#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "domain/policy.h"
#include "domain/workflow.h"

const char catalog_csv_header[] =
    "code,name_zh,name_en,department,decide_level,template,statutory_days,"
    "statutory_unit,promised_days,visits_required,fully_online,"
    "cross_region_mode,program,start_rule,materials,source";

/* The materials an item may ask for (一次性告知 lists them by name). */
static const struct {
    const char *code, *zh, *en;
} materials[] = {
    {"id_card", "申请人居民身份证", "the applicant's resident ID card"},
    {"hukou", "户口簿", "the household register (hukou booklet)"},
    {"income_proof", "家庭收入情况声明及证明", "the household's income declaration and proof"},
    {"asset_declaration", "家庭财产状况申报", "the household's asset declaration"},
    {"check_consent", "家庭经济状况核对授权书", "consent to the means check"},
    {"selfcare_assessment", "生活自理能力评估表", "the self-care assessment form"},
    {"emergency_statement", "急难情况说明", "a statement of the emergency"},
    {"expense_receipts", "刚性支出票据", "receipts of the necessary expenditure"},
    {"disability_card", "第二代残疾人证", "the 2nd-generation disability card"},
    {"guardian_id", "监护人身份证明", "the guardian's identity document"},
    {"parents_status_proof", "父母死亡、失踪、重残、服刑等证明", "proof of the parents' death, disappearance, disability or detention"},
    {"medical_bills", "医疗费用票据及诊断证明", "medical bills and the diagnosis"},
    {"school_enrolment", "学籍证明", "proof of school enrolment"},
    {"housing_proof", "住房状况证明", "proof of the housing situation"},
    {"unemployment_registration", "失业登记证明", "the unemployment registration"},
    {"disaster_statement", "受灾情况证明", "proof of the disaster damage"},
    {"operator_licence", "举办者登记证书", "the operator's registration certificate"},
    {"premises_proof", "服务场所证明", "proof of the premises"},
    {"fire_safety", "消防验收材料", "the fire-safety acceptance papers"},
};

const char *
catalog_material_name(const char *code, int zh)
{
    for (size_t i = 0; i < sizeof(materials) / sizeof(materials[0]); i++)
        if (strcmp(materials[i].code, code) == 0)
            return zh ? materials[i].zh : materials[i].en;
    return NULL;
}

size_t
catalog_materials_split(const struct catalog_item *it, char *buf,
                        size_t buf_len, const char **codes, size_t max)
{
    size_t n = 0;
    str_copy(buf, buf_len, it->materials);
    char *p = buf;
    while (*p && n < max) {
        char *end = strchr(p, ';');
        if (end)
            *end = '\0';
        if (*p)
            codes[n++] = p;
        if (!end)
            break;
        p = end + 1;
    }
    return n;
}

int
catalog_list_has(const char *list, const char *code)
{
    size_t n = strlen(code);
    const char *p = list;
    while (n && p && *p) {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && memcmp(p, code, n) == 0)
            return 1;
        p = end ? end + 1 : NULL;
    }
    return 0;
}

/* Walks "step=days;..." : the next entry's step (into code) and days;
 * 1 for an entry, 0 at the end, -1 when malformed. */
static int
next_limit(const char **p, char *code, size_t cap, int64_t *days)
{
    const char *s = *p;
    if (!*s)
        return 0;
    const char *eq = strchr(s, '=');
    const char *end = strchr(s, ';');
    if (!end)
        end = s + strlen(s);
    if (!eq || eq > end || (size_t)(eq - s) >= cap || eq == s)
        return -1;
    memcpy(code, s, (size_t)(eq - s));
    code[eq - s] = '\0';
    size_t digits = (size_t)(end - eq - 1);
    if (digits < 1 || digits > 3 || strspn(eq + 1, "0123456789") < digits)
        return -1;
    if (*end && !end[1])
        return -1; /* a trailing ';' */
    *days = strtoll(eq + 1, NULL, 10);
    *p = *end ? end + 1 : end;
    return 1;
}

int
catalog_step_limit(const struct catalog_item *it, const struct wf_step *s)
{
    const char *p = it->step_limits;
    char code[WF_CODE_MAX];
    int64_t days;
    while (next_limit(&p, code, sizeof(code), &days) == 1)
        if (strcmp(code, s->code) == 0)
            return (int)days;
    return s->limit_days;
}

/* The version's step limits name steps of its template that run on a
 * clock (not 补正, not closed), each once, 1..365 days. */
static int
step_limits_ok(const struct catalog_item *it, const struct wf_template *t)
{
    const char *p = it->step_limits;
    char code[WF_CODE_MAX];
    unsigned char seen[WF_MAX_STEPS] = {0};
    int64_t days;
    int r;
    while ((r = next_limit(&p, code, sizeof(code), &days)) == 1) {
        const struct wf_step *s = wf_step_find(t, code);
        if (!s || (s->flags & (WF_PAUSE | WF_TERMINAL)) || days < 1 ||
            days > 365 || seen[s - t->steps]++)
            return 0;
    }
    return r == 0;
}

static int
one_of(const char *v, const char *const *set)
{
    for (; *set; set++)
        if (strcmp(v, *set) == 0)
            return 1;
    return 0;
}

static enum dd_status
bad(struct dd_error *err, const char *field, const char *en, const char *zh)
{
    return dd_invalid(err, "INVALID_CATALOG_ITEM", field, en, zh);
}

enum dd_status
catalog_item_check(const struct catalog_item *it, const struct wf_book *book,
                   struct dd_error *err)
{
    static const char *const depts[] = {"civil", "medical", "education",
                                        "housing", "hrss", "emergency",
                                        "disabled", NULL};
    static const char *const levels[] = {"township", "county", NULL};
    static const char *const units[] = {"working", "calendar", NULL};
    static const char *const modes[] = {"none", "online", "proxy", "joint",
                                        NULL};
    static const char *const programs[] = {
        "none", "dibao", "tekun", "disability_living", "disability_care",
        "orphan", "unsupported_child", NULL};
    static const char *const starts[] = {"next_month", "application_month",
                                         "none", NULL};
    int y, m, d;

    if (!wf_code_ok(it->code, sizeof it->code))
        return bad(err, "code", "code is 2-31 of a-z and _",
                   "code 为 2 至 31 个 a-z 或 _ 字符");
    if (it->version < 1)
        return bad(err, "version", "version starts at 1", "版本号从 1 开始");
    if (strlen(it->effective_from) != 10 ||
        policy_date_parse(it->effective_from, &y, &m, &d) != 0)
        return bad(err, "effective_from", "effective_from is YYYY-MM-DD",
                   "effective_from 须为 YYYY-MM-DD");
    if (!it->name_zh[0] || !it->name_en[0])
        return bad(err, it->name_zh[0] ? "name_en" : "name_zh",
                   "the item needs both names", "事项须有中英文名称");
    if (!one_of(it->department, depts))
        return bad(err, "department", "unknown department", "未知部门");
    if (!one_of(it->decide_level, levels))
        return bad(err, "decide_level", "decide_level is township or county",
                   "decide_level 须为 township 或 county");
    const struct wf_template *t = wf_template_find(book, it->template_code);
    if (!t)
        return bad(err, "template", "unknown step template", "未知流程模板");
    if (!step_limits_ok(it, t))
        return bad(err, "step_limits",
                   "step_limits name steps of the template with a clock, "
                   "once each, 1-365 days",
                   "step_limits 须为该模板中计时环节的时限（各一次，1 至 365 天）");
    if (it->statutory_days < 1 || it->statutory_days > 365)
        return bad(err, "statutory_days", "statutory_days is 1-365",
                   "statutory_days 须在 1 至 365 之间");
    if (!one_of(it->statutory_unit, units))
        return bad(err, "statutory_unit",
                   "statutory_unit is working or calendar",
                   "statutory_unit 须为 working 或 calendar");
    if (it->promised_days < 1 || it->promised_days > it->statutory_days)
        return bad(err, "promised_days",
                   "promised_days is 1 up to statutory_days",
                   "承诺时限须在 1 至法定时限之间");
    if (it->visits_required < 0 || it->visits_required > 9)
        return bad(err, "visits_required", "visits_required is 0-9",
                   "visits_required 须在 0 至 9 之间");
    if (it->fully_online != 0 && it->fully_online != 1)
        return bad(err, "fully_online", "fully_online is 0 or 1",
                   "fully_online 须为 0 或 1");
    if (!one_of(it->cross_region_mode, modes))
        return bad(err, "cross_region_mode",
                   "cross_region_mode is none, online, proxy or joint",
                   "cross_region_mode 须为 none、online、proxy 或 joint");
    if (!one_of(it->program, programs))
        return bad(err, "program", "unknown program", "未知救助项目");
    if (!one_of(it->start_rule, starts))
        return bad(err, "start_rule",
                   "start_rule is next_month, application_month or none",
                   "start_rule 须为 next_month、application_month 或 none");
    if (strcmp(it->program, "none") != 0 && strcmp(it->start_rule, "none") == 0)
        return bad(err, "start_rule", "an item with an amount needs a start",
                   "有金额的事项须指定起始月份");
    char buf[sizeof(it->materials)];
    const char *codes[CATALOG_MAX_MATERIALS + 1];
    size_t n = catalog_materials_split(it, buf, sizeof(buf), codes,
                                       CATALOG_MAX_MATERIALS + 1);
    if (n > CATALOG_MAX_MATERIALS)
        return bad(err, "materials", "at most 12 materials",
                   "材料清单最多 12 项");
    for (size_t i = 0; i < n; i++)
        if (!catalog_material_name(codes[i], 1))
            return bad(err, "materials", "unknown material code",
                       "未知材料代码");
    if (!it->source[0])
        return bad(err, "source", "every item names its source",
                   "每个事项须注明依据");
    return DD_OK;
}

static int
int_field(const char *s, int64_t *out)
{
    char *end;
    if (!*s || strlen(s) > 6 || s[strspn(s, "0123456789")] != '\0')
        return -1;
    *out = strtoll(s, &end, 10);
    return 0;
}

enum dd_status
catalog_item_from_fields(char *const *f, size_t count,
                         const struct wf_book *book, struct catalog_item *out,
                         struct dd_error *err)
{
    static const char *const names[CATALOG_CSV_COLUMNS] = {
        "code", "name_zh", "name_en", "department", "decide_level",
        "template", "statutory_days", "statutory_unit", "promised_days",
        "visits_required", "fully_online", "cross_region_mode", "program",
        "start_rule", "materials", "source"};
    memset(out, 0, sizeof(*out));
    if (count != CATALOG_CSV_COLUMNS)
        return bad(err, NULL, "a catalog row has 16 columns",
                   "事项目录每行须有 16 列");
    struct {
        char *dst;
        size_t cap;
    } text[CATALOG_CSV_COLUMNS] = {
        {out->code, sizeof(out->code)},
        {out->name_zh, sizeof(out->name_zh)},
        {out->name_en, sizeof(out->name_en)},
        {out->department, sizeof(out->department)},
        {out->decide_level, sizeof(out->decide_level)},
        {out->template_code, sizeof(out->template_code)},
        {NULL, 0},
        {out->statutory_unit, sizeof(out->statutory_unit)},
        {NULL, 0},
        {NULL, 0},
        {NULL, 0},
        {out->cross_region_mode, sizeof(out->cross_region_mode)},
        {out->program, sizeof(out->program)},
        {out->start_rule, sizeof(out->start_rule)},
        {out->materials, sizeof(out->materials)},
        {out->source, sizeof(out->source)},
    };
    int64_t *ints[CATALOG_CSV_COLUMNS] = {
        [6] = &out->statutory_days, [8] = &out->promised_days,
        [9] = &out->visits_required, [10] = &out->fully_online};
    for (size_t i = 0; i < CATALOG_CSV_COLUMNS; i++) {
        if (text[i].dst) {
            if (strlen(f[i]) >= text[i].cap)
                return bad(err, names[i], "too long", "过长");
            str_copy(text[i].dst, text[i].cap, f[i]);
        } else if (int_field(f[i], ints[i]) != 0) {
            return bad(err, names[i], "not a whole number", "不是整数");
        }
    }
    out->version = 1;
    str_copy(out->effective_from, sizeof(out->effective_from), "2018-01-01");
    return catalog_item_check(out, book, err);
}

enum dd_status
catalog_add(struct catalog *c, const struct catalog_item *it)
{
    if (catalog_find_version(c, it->code, it->version))
        return DD_ECONFLICT;
    if (c->count == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 32;
        struct catalog_item *n = realloc(c->items, cap * sizeof(*n));
        if (!n)
            return DD_ENOMEM;
        c->items = n;
        c->cap = cap;
    }
    c->items[c->count++] = *it;
    return DD_OK;
}

void
catalog_clear(struct catalog *c)
{
    free(c->items);
    c->items = NULL;
    c->count = c->cap = 0;
}

const struct catalog_item *
catalog_find(const struct catalog *c, const char *code, const char *date)
{
    const struct catalog_item *best = NULL;
    for (size_t i = 0; i < c->count; i++) {
        const struct catalog_item *it = &c->items[i];
        if (strcmp(it->code, code) != 0)
            continue;
        if (date && strcmp(it->effective_from, date) > 0)
            continue;
        if (!best || strcmp(it->effective_from, best->effective_from) > 0 ||
            (strcmp(it->effective_from, best->effective_from) == 0 &&
             it->version > best->version))
            best = it;
    }
    return best;
}

const struct catalog_item *
catalog_find_version(const struct catalog *c, const char *code,
                     int64_t version)
{
    for (size_t i = 0; i < c->count; i++)
        if (c->items[i].version == version &&
            strcmp(c->items[i].code, code) == 0)
            return &c->items[i];
    return NULL;
}
