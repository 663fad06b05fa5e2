/* SPDX-License-Identifier: MIT */
/* The importer's rows (import_rows.h): the header, the label tables, cell
 * parsing, member/asset/obligor records into a household group, the group
 * assembled for the registry and registry errors mapped back to cells. */
#include "io/import_rows.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/str.h"
#include "domain/household.h"
#include "registry/registry.h"

enum col {
    C_KEY = IMPORT_C_KEY,
    C_TYPE = IMPORT_C_TYPE,
    C_REL = IMPORT_C_REL,
    C_NAME = IMPORT_C_NAME,
    C_ID = IMPORT_C_ID,
    C_REGION = IMPORT_C_REGION,
    C_HUKOU = IMPORT_C_HUKOU,
    C_UR = IMPORT_C_UR,
    C_ADDR = IMPORT_C_ADDR,
    C_DCAT = IMPORT_C_DCAT,
    C_DGRADE = IMPORT_C_DGRADE,
    C_DCARD = IMPORT_C_DCARD,
    C_ILL = IMPORT_C_ILL,
    C_WORK = IMPORT_C_WORK,
    C_SCHOOL = IMPORT_C_SCHOOL,
    C_EMP = IMPORT_C_EMP,
    C_SELFCARE = IMPORT_C_SELFCARE,
    C_INC0 = IMPORT_C_INCOME,
    C_OF = IMPORT_C_OF,
    C_OREL = IMPORT_C_OREL,
    C_AKIND = IMPORT_C_AKIND,
    C_AVALUE = IMPORT_C_AVALUE,
    C_ACOUNT = IMPORT_C_ACOUNT,
    C_AAREA = IMPORT_C_AAREA,
    C_AEXEMPT = IMPORT_C_AEXEMPT,
    C_OBIRTH = IMPORT_C_OBIRTH,
    C_OINCOME = IMPORT_C_OINCOME,
    C_OFLAGS = IMPORT_C_OFLAGS,
    C_PHONE = IMPORT_C_PHONE,
    C_BANK = IMPORT_C_BANK,
    C__COUNT = IMPORT_COLUMNS
};

#define N_INCOME 18
_Static_assert(N_INCOME == HH_INC__COUNT, "one column per income kind");
_Static_assert(C_INC0 + N_INCOME == C_OF, "income columns");

/* The header (docs/import-template.csv). */
const char *const import_columns[IMPORT_COLUMNS] = {
    "户编号",
    "行类型",
    "与申请人关系",
    "姓名",
    "公民身份号码",
    "现居住地区划代码",
    "户籍地区划代码",
    "城乡",
    "现居住地址",
    "残疾类别",
    "残疾等级",
    "残疾证号",
    "重病",
    "劳动能力",
    "就学",
    "就业",
    "生活不能自理项目",
    /* the income kinds of src/domain/household.h, in order */
    "工资性收入（元/月）",
    "经营净收入（元/月）",
    "财产净收入（元/月）",
    "转移性收入（元/月）",
    "转移性支出（元/月）",
    "刚性支出（元/月）",
    "优待抚恤金（元/月）",
    "计划生育奖励扶助金（元/月）",
    "奖学金（元/月）",
    "见义勇为奖励（元/月）",
    "社会救助款物（元/月）",
    "基础养老金（元/月）",
    "残疾人两项补贴（元/月）",
    "事实无人抚养儿童生活补贴（元/月）",
    "亲属扶养费（元/月）",
    "高龄津贴（元/月）",
    "社会保险待遇（元/月）",
    "其他不计收入（元/月）",
    "所属成员身份号码",
    "与所属成员关系",
    "资产类别",
    "资产价值（元）",
    "资产数量",
    "住房面积（平方米）",
    "免计资产",
    "义务人出生日期",
    "义务人月收入（元/月）",
    "义务人情形",
    "联系电话",
    "收款银行账号",
};
/* Required in the header (城乡 may be left out: 按区县); a file of the
 * first layout (members only, six
 * incomes) still reads. */
static const enum col required_cols[] = {C_KEY,    C_REL,  C_NAME,
                                         C_ID,     C_REGION, C_HUKOU};

const char *const import_relation_zh[9] = {
    "申请人", "配偶", "子女", "父母", "祖父母",
    "孙子女", "兄弟姐妹", "儿媳女婿", "其他",
};
const char *const import_work_zh[3] = {"完全", "部分", "无"};
const char *const import_school_zh[6] = {
    "未就学", "学前", "义务教育", "高中", "本科", "研究生",
};
const char *const import_selfcare_zh[6] = {
    "进食", "穿衣", "上下床", "如厕", "室内行走", "洗澡",
};
const char *const import_asset_zh[6] = {
    "存款", "有价证券", "车辆", "住房", "商铺", "企业",
};
const char *const import_obligor_flag_zh[7] = {
    "特困人员", "低保对象",         "无民事行为能力", "宣告失踪",
    "服刑",     "财产符合低收入条件", "其他无力履行",
};
_Static_assert(HH_REL__COUNT == 9 && HH_SCHOOL__COUNT == 6 &&
                   HH_ADL__COUNT == 6 && HH_ASSET__COUNT == 6,
               "label tables");

/* A cell's label and the registry code it stands for; the code itself is
 * accepted too. */
struct label {
    const char *zh, *code;
};
static const struct label relation_labels[] = {
    {"申请人", "applicant"},      {"本人", "applicant"},
    {"配偶", "spouse"},           {"子女", "child"},
    {"父母", "parent"},           {"祖父母", "grandparent"},
    {"外祖父母", "grandparent"},  {"孙子女", "grandchild"},
    {"外孙子女", "grandchild"},   {"兄弟姐妹", "sibling"},
    {"儿媳女婿", "child_in_law"}, {"儿媳", "child_in_law"},
    {"女婿", "child_in_law"},     {"其他", "other"},
    {NULL, NULL},
};
/* domain.md §7.1: a household's own standard, or its district's */
static const struct label ur_labels[] = {
    {"城镇", "urban"},     {"城市", "urban"}, {"农村", "rural"},
    {"按区县", "district"}, {NULL, NULL},
};
static const struct label work_labels[] = {
    {"完全", "full"}, {"完全劳动能力", "full"},
    {"部分", "partial"}, {"部分劳动能力", "partial"},
    {"无", "none"}, {"无劳动能力", "none"},
    {NULL, NULL},
};
static const struct label school_labels[] = {
    {"未就学", "none"},       {"无", "none"},
    {"学前", "preschool"},    {"义务教育", "compulsory"},
    {"高中", "high"},         {"中职", "high"},
    {"大专", "bachelor"},     {"本科", "bachelor"},
    {"研究生", "above"},      {NULL, NULL},
};
static const struct label selfcare_labels[] = {
    {"进食", "eating"},     {"吃饭", "eating"},   {"穿衣", "dressing"},
    {"上下床", "bed"},      {"如厕", "toileting"}, {"室内行走", "walking"},
    {"行走", "walking"},    {"洗澡", "bathing"},  {NULL, NULL},
};
static const struct label asset_labels[] = {
    {"存款", "deposit"}, {"有价证券", "security"}, {"证券", "security"},
    {"车辆", "vehicle"}, {"住房", "dwelling"},     {"房屋", "dwelling"},
    {"商铺", "shop"},    {"门面", "shop"},         {"企业", "company"},
    {NULL, NULL},
};
/* obligor situations: code is the OBLIGOR_* bit number as text */
static const struct label flag_labels[] = {
    {"特困人员", "is_tekun"},
    {"特困", "is_tekun"},
    {"低保对象", "is_dibao_recipient"},
    {"低保", "is_dibao_recipient"},
    {"无民事行为能力", "lacks_civil_capacity"},
    {"宣告失踪", "declared_missing"},
    {"失踪", "declared_missing"},
    {"服刑", "in_prison"},
    {"财产符合低收入条件", "assets_within_low_income_rule"},
    {"其他无力履行", "other_provincial_unable"},
    {NULL, NULL},
};
static const char *const flag_codes[7] = {
    "is_tekun",  "is_dibao_recipient",           "lacks_civil_capacity",
    "declared_missing", "in_prison", "assets_within_low_income_rule",
    "other_provincial_unable",
};
enum row_type { ROW_MEMBER, ROW_ASSET, ROW_OBLIGOR };
static const struct label type_labels[] = {
    {"成员", "member"},         {"资产", "asset"},
    {"义务人", "obligor"},      {"赡养义务人", "obligor"},
    {"抚养义务人", "obligor"},  {"扶养义务人", "obligor"},
    {NULL, NULL},
};

void
import_header_map(char **fields, size_t n, int colidx[IMPORT_COLUMNS])
{
    for (int c = 0; c < C__COUNT; c++)
        colidx[c] = -1;
    for (size_t i = 0; i < n; i++) {
        char *h = fields[i];
        size_t len = strlen(h);
        while (len && (h[len - 1] == ' ' || h[len - 1] == '\t'))
            h[--len] = '\0';
        while (*h == ' ' || *h == '\t')
            h++;
        fields[i] = h;
        for (int c = 0; c < C__COUNT; c++)
            if (strcmp(h, import_columns[c]) == 0 && colidx[c] < 0)
                colidx[c] = (int)i;
    }
}

int
import_header_missing(const int colidx[IMPORT_COLUMNS])
{
    for (size_t c = 0; c < sizeof(required_cols) / sizeof(required_cols[0]);
         c++)
        if (colidx[required_cols[c]] < 0)
            return (int)required_cols[c];
    return -1;
}

/* Marks a group bad with its first error. */
void
import_group_bad(struct import_group *g, long line, int c, const char *code,
                 const char *en, const char *zh)
{
    if (g->bad)
        return;
    g->bad = 1;
    g->err.line = line;
    str_copy(g->err.column, sizeof(g->err.column), import_columns[c]);
    g->err.code = code;
    g->err.message = en;
    g->err.message_zh = zh;
}

const char *
import_cell(const int colidx[IMPORT_COLUMNS], const struct csv_record *rec,
            int c)
{
    int i = colidx[c];
    if (i < 0 || (size_t)i >= rec->count)
        return "";
    return rec->fields[i];
}

/* The code for a cell by label or code; NULL when neither. */
static const char *
label_code(const struct label *t, const char *v)
{
    for (size_t i = 0; t[i].zh; i++)
        if (strcmp(t[i].zh, v) == 0 || strcmp(t[i].code, v) == 0)
            return t[i].code;
    return NULL;
}

/* 是/否 (or 1/0, blank = no); -1 when neither. */
static int
yes_no(const char *v)
{
    if (!*v || strcmp(v, "否") == 0 || strcmp(v, "0") == 0)
        return 0;
    if (strcmp(v, "是") == 0 || strcmp(v, "1") == 0)
        return 1;
    return -1;
}

/* A small integer cell 0..max (blank = 0); -1 when not. */
static int
small_int(const char *v, int max)
{
    if (!*v)
        return 0;
    if (strlen(v) > 1 || *v < '0' || *v - '0' > max)
        return -1;
    return *v - '0';
}

/* A whole number 0..max (blank = dflt); -1 when not. */
static int64_t
whole(const char *v, int64_t dflt, int64_t max)
{
    int64_t n = 0;
    if (!*v)
        return dflt;
    for (size_t i = 0; v[i]; i++) {
        if (v[i] < '0' || v[i] > '9' || i >= 12)
            return -1;
        n = n * 10 + (v[i] - '0');
    }
    return n <= max ? n : -1;
}

/* Yuan with at most two decimals into fen (blank = 0); -1 when not. Also
 * square metres into dm² (×100). */
static int64_t
yuan_fen(const char *v)
{
    int64_t yuan = 0, fen = 0;
    size_t i = 0, digits = 0;
    if (!*v)
        return 0;
    for (; v[i] >= '0' && v[i] <= '9'; i++, digits++) {
        if (digits >= 10)
            return -1;
        yuan = yuan * 10 + (v[i] - '0');
    }
    if (digits == 0)
        return -1;
    if (v[i] == '.') {
        i++;
        size_t d = 0;
        for (; v[i] >= '0' && v[i] <= '9'; i++, d++) {
            if (d >= 2)
                return -1;
            fen = fen * 10 + (v[i] - '0');
        }
        if (d == 0)
            return -1;
        if (d == 1)
            fen *= 10;
    }
    if (v[i])
        return -1;
    return yuan * 100 + fen;
}

/* Splits a list cell ("进食、穿衣", also separated by ，,；; / | or
 * spaces) into up to max items in buf; returns the count, -1 when more. */
static int
split_list(const char *v, char *buf, size_t cap, const char **items, int max)
{
    static const char *const seps[] = {"、", "，", "；", ",", ";",
                                       "/",  "|",  " ",  "\t"};
    int n = 0;
    str_copy(buf, cap, v);
    char *p = buf, *start = buf;
    while (1) {
        size_t len = 0;
        if (*p)
            for (size_t i = 0; i < sizeof(seps) / sizeof(seps[0]); i++)
                if (strncmp(p, seps[i], strlen(seps[i])) == 0) {
                    len = strlen(seps[i]);
                    break;
                }
        if (*p && !len) {
            p++;
            continue;
        }
        int end = !*p;
        *p = '\0';
        if (*start) {
            if (n == max)
                return -1;
            items[n++] = start;
        }
        if (end)
            return n;
        p += len;
        start = p;
    }
}

/* ---- checking a household ---- */

/* A registry error's field ("members[1].incomes[0].kind",
 * "assets[2].kind") as a line and a CSV column. */
void
import_map_field(const struct import_group *g, const char *field, long *line,
                 const char **column)
{
    static const struct {
        const char *field;
        enum col c;
    } member_fields[] =
        {
            {"id_number", C_ID},
            {"birth_date", C_ID},
            {"sex", C_ID},
            {"name", C_NAME},
            {"relation", C_REL},
            {"disability_category", C_DCAT},
            {"disability_grade", C_DGRADE},
            {"disability_card", C_DCARD},
            {"work_capacity", C_WORK},
            {"schooling", C_SCHOOL},
            {"region_code", C_REGION},
            {"hukou_region", C_HUKOU},
            {"urban_or_rural", C_UR},
            {"members", C_REL},
        },
      other_fields[] = {
          {"kind", C_AKIND},
          {"owner_member", C_OF},
          {"of_member", C_OF},
          {"relation", C_OREL},
          {"name", C_NAME},
          {"birth_date", C_OBIRTH},
          {"disability_category", C_DCAT},
          {"disability_grade", C_DGRADE},
      };
    const char *rest = field ? field : "";
    size_t m = 0;
    char *end;
    *line = g->first_line;
    *column = "";
    if (strncmp(rest, "assets[", 7) == 0 ||
        strncmp(rest, "obligors[", 9) == 0) {
        int asset = rest[0] == 'a';
        size_t i = strtoul(rest + (asset ? 7 : 9), &end, 10);
        if (end[0] != ']' || end[1] != '.')
            return;
        if (asset && i < g->nassets)
            *line = g->assets[i]->line;
        else if (!asset && i < g->nobligors)
            *line = g->obligors[i]->line;
        for (size_t k = 0; k < sizeof(other_fields) / sizeof(other_fields[0]);
             k++)
            if (strcmp(end + 2, other_fields[k].field) == 0)
                *column = import_columns[other_fields[k].c];
        return;
    }
    if (strncmp(rest, "members[", 8) == 0) {
        m = strtoul(rest + 8, &end, 10);
        if (m < g->count && end[0] == ']' && end[1] == '.') {
            *line = g->rows[m]->line;
            rest = end + 2;
        }
    }
    if (m >= g->count)
        return;
    if (strncmp(rest, "incomes[", 8) == 0) {
        size_t j = strtoul(rest + 8, NULL, 10);
        if (j < HHJ_MAX_INCOMES)
            *column = import_columns[g->rows[m]->inc_col[j]];
        return;
    }
    if (strncmp(rest, "selfcare_unable[", 16) == 0) {
        *column = import_columns[C_SELFCARE];
        return;
    }
    for (size_t i = 0; i < sizeof(member_fields) / sizeof(member_fields[0]);
         i++)
        if (strcmp(rest, member_fields[i].field) == 0)
            *column = import_columns[member_fields[i].c];
}

/* The member whose ID number is written as of (upper and lower case x
 * alike); -1 when none. */
static int
member_of(const struct import_group *g, const char *of)
{
    for (size_t i = 0; i < g->count; i++)
        if (strcasecmp(g->rows[i]->m.id_number, of) == 0)
            return (int)i;
    return -1;
}

/* Assembles the group as the registry's decoded household; 0, or -1
 * after a rejection was recorded in the group. */
int
import_assemble(struct import_group *g, struct import_decoded *buf,
                struct hhj_household *in)
{
    memset(in, 0, sizeof(*in));
    for (int c = C_REGION; c <= C_HUKOU; c++)
        if (!g->hh[c] || !*g->hh[c]) {
            import_group_bad(g, g->first_line, (enum col)c, "MISSING_FIELD",
                             "this column is required", "此列为必填");
            return -1;
        }
    if (g->count == 0) {
        import_group_bad(
            g, g->first_line, C_TYPE, "NO_MEMBERS",
            "the household has asset or obligor rows but no member "
            "rows",
            "该户只有资产或义务人行，没有成员行");
        return -1;
    }
    in->region_code = g->hh[C_REGION];
    in->hukou_region = g->hh[C_HUKOU];
    in->address = g->hh[C_ADDR] ? g->hh[C_ADDR] : "";
    /* blank: none for a new household, the stored one kept on an update */
    in->contact_phone = g->hh[C_PHONE];
    in->bank_account = g->hh[C_BANK];
    /* blank: the household follows its district (domain.md §7.1) */
    in->urban_or_rural =
        g->hh[C_UR] ? label_code(ur_labels, g->hh[C_UR]) : "district";
    in->version = -1;
    for (size_t i = 0; i < g->count; i++)
        buf->members[i] = g->rows[i]->m;
    in->members = buf->members;
    in->member_count = g->count;
    for (size_t i = 0; i < g->nassets; i++) {
        const struct import_arow *r = g->assets[i];
        buf->assets[i] = r->a;
        buf->assets[i].owner_member = -1;
        if (*r->of) {
            int m = member_of(g, r->of);
            if (m < 0) {
                import_group_bad(
                    g, r->line, C_OF, "NO_SUCH_MEMBER",
                    "this is not the ID number of a member of the "
                    "household (blank: held jointly)",
                    "该号码不是本户成员的身份证号（共有财产请留空）");
                return -1;
            }
            buf->assets[i].owner_member = m;
        }
    }
    in->assets = buf->assets;
    in->asset_count = g->nassets;
    for (size_t i = 0; i < g->nobligors; i++) {
        const struct import_orow *r = g->obligors[i];
        int m = member_of(g, r->of);
        if (m < 0) {
            import_group_bad(g, r->line, C_OF, "NO_SUCH_MEMBER",
                             "this is not the ID number of a member of the "
                             "household",
                             "该号码不是本户成员的身份证号");
            return -1;
        }
        buf->obligors[i] = r->o;
        buf->obligors[i].of_member = m;
    }
    in->obligors = buf->obligors;
    in->obligor_count = g->nobligors;
    return 0;
}

/* ---- rows ---- */

/* A code cell: blank gives NULL (the registry's default). */
static const char *
code_cell(struct import_group *g, long line, enum col c, const char *v,
          const struct label *t)
{
    if (!*v)
        return NULL;
    const char *code = label_code(t, v);
    if (!code)
        import_group_bad(
            g, line, c, "UNKNOWN_CODE",
            "this value is not one of the allowed values (docs/import.md)",
            "该值不是允许的取值之一（见 docs/import.md）");
    return code;
}

static void
bad_amount(struct import_group *g, long line, enum col c)
{
    import_group_bad(
        g, line, c, "BAD_AMOUNT",
        "an amount is yuan (or square metres) with at most two decimals",
        "金额（或面积）须为非负数，最多两位小数");
}

/* The 残疾类别 and 残疾等级 cells of a member or obligor row (blank: 0). */
static void
disability_cells(struct import_group *g, const int *cols,
                 const struct csv_record *rec, int64_t *category,
                 int64_t *grade)
{
    int v = small_int(import_cell(cols, rec, C_DCAT), 7);
    if (v < 0)
        import_group_bad(g, rec->line, C_DCAT, "UNKNOWN_CODE",
                         "残疾类别 is 1-7 or blank", "残疾类别须为 1-7 或留空");
    *category = v < 0 ? 0 : v;
    v = small_int(import_cell(cols, rec, C_DGRADE), 4);
    if (v < 0)
        import_group_bad(g, rec->line, C_DGRADE, "UNKNOWN_CODE",
                         "残疾等级 is 1-4 or blank", "残疾等级须为 1-4 或留空");
    *grade = v < 0 ? 0 : v;
}

static enum dd_status
add_member(struct import_group *g, const int *cols,
           const struct csv_record *rec)
{
    long line = rec->line;
    if (g->count == HHJ_MAX_MEMBERS) {
        import_group_bad(g, line, C_KEY, "TOO_MANY_MEMBERS",
                         "a household has at most 16 members",
                         "一户最多 16 名成员");
        return DD_OK;
    }
    struct import_mrow *r = arena_alloc(g->a, sizeof(*r));
    if (!r)
        return DD_ENOMEM;
    struct hhj_member *m = &r->m;
    r->line = line;
    g->rows[g->count++] = r;
    for (int c = C_REL; c <= C_ID; c++)
        if (!*import_cell(cols, rec, (enum col)c))
            import_group_bad(g, line, (enum col)c, "MISSING_FIELD",
                             "this column is required", "此列为必填");
    m->id_number = arena_strdup(g->a, import_cell(cols, rec, C_ID));
    m->name = arena_strdup(g->a, import_cell(cols, rec, C_NAME));
    m->disability_card = arena_strdup(g->a, import_cell(cols, rec, C_DCARD));
    if (!m->id_number || !m->name || !m->disability_card)
        return DD_ENOMEM;
    if (!*m->disability_card)
        m->disability_card = NULL;
    const char *rel = import_cell(cols, rec, C_REL);
    m->relation = code_cell(g, line, C_REL, rel, relation_labels);
    if (!m->relation && !*rel)
        m->relation = ""; /* reported as missing above */
    m->work_capacity =
        code_cell(g, line, C_WORK, import_cell(cols, rec, C_WORK), work_labels);
    m->schooling = code_cell(g, line, C_SCHOOL,
                             import_cell(cols, rec, C_SCHOOL), school_labels);
    disability_cells(g, cols, rec, &m->disability_category,
                     &m->disability_grade);
    static const enum col flags[2] = {C_ILL, C_EMP};
    for (int i = 0; i < 2; i++) {
        int v = yes_no(import_cell(cols, rec, flags[i]));
        if (v < 0)
            import_group_bad(g, line, flags[i], "UNKNOWN_CODE",
                             "this is 是 or 否", "须为 是 或 否");
        if (flags[i] == C_ILL)
            m->major_illness = v > 0;
        else
            m->employed = v > 0;
    }
    char buf[IMPORT_MAX_RECORD];
    const char *items[HHJ_MAX_SELFCARE];
    int n = split_list(import_cell(cols, rec, C_SELFCARE), buf, sizeof(buf),
                       items, HHJ_MAX_SELFCARE);
    for (int i = 0; i < n; i++) {
        const char *code =
            code_cell(g, line, C_SELFCARE, items[i], selfcare_labels);
        if (code)
            m->selfcare_unable[m->selfcare_count++] = code;
    }
    if (n < 0)
        import_group_bad(g, line, C_SELFCARE, "UNKNOWN_CODE",
                         "at most the six self-care items",
                         "最多六项生活自理项目");
    for (int k = 0; k < N_INCOME; k++) {
        int64_t fen = yuan_fen(import_cell(cols, rec, (enum col)(C_INC0 + k)));
        if (fen < 0) {
            bad_amount(g, line, (enum col)(C_INC0 + k));
            continue;
        }
        if (fen == 0)
            continue;
        r->inc_col[m->income_count] = C_INC0 + k;
        m->incomes[m->income_count].kind = registry_name_of(REG_INCOME_KIND, k);
        m->incomes[m->income_count].monthly_fen = fen;
        m->income_count++;
    }
    return DD_OK;
}

static enum dd_status
add_asset(struct import_group *g, const int *cols, const struct csv_record *rec)
{
    long line = rec->line;
    if (g->nassets == HHJ_MAX_ASSETS) {
        import_group_bad(g, line, C_TYPE, "TOO_MANY_ASSETS",
                         "a household has at most 32 asset rows",
                         "一户最多 32 行资产");
        return DD_OK;
    }
    struct import_arow *r = arena_alloc(g->a, sizeof(*r));
    if (!r)
        return DD_ENOMEM;
    g->assets[g->nassets++] = r;
    r->line = line;
    r->of = arena_strdup(g->a, import_cell(cols, rec, C_OF));
    if (!r->of)
        return DD_ENOMEM;
    const char *kind = import_cell(cols, rec, C_AKIND);
    if (!*kind)
        import_group_bad(g, line, C_AKIND, "MISSING_FIELD",
                         "an asset row needs its kind", "资产行须填写资产类别");
    r->a.kind = code_cell(g, line, C_AKIND, kind, asset_labels);
    r->a.value_fen = yuan_fen(import_cell(cols, rec, C_AVALUE));
    if (r->a.value_fen < 0)
        bad_amount(g, line, C_AVALUE);
    r->a.count = whole(import_cell(cols, rec, C_ACOUNT), 1, 1000);
    if (r->a.count < 0)
        import_group_bad(g, line, C_ACOUNT, "BAD_NUMBER",
                         "a count is a whole number 0-1000 (blank = 1)",
                         "数量须为 0-1000 的整数（留空为 1）");
    r->a.area_dm2 = yuan_fen(import_cell(cols, rec, C_AAREA));
    if (r->a.area_dm2 < 0 || r->a.area_dm2 > 1000000000)
        bad_amount(g, line, C_AAREA);
    int v = yes_no(import_cell(cols, rec, C_AEXEMPT));
    if (v < 0)
        import_group_bad(g, line, C_AEXEMPT, "UNKNOWN_CODE", "this is 是 or 否",
                         "须为 是 或 否");
    r->a.exempt = v > 0;
    return DD_OK;
}

static enum dd_status
add_obligor(struct import_group *g, const int *cols,
            const struct csv_record *rec)
{
    long line = rec->line;
    if (g->nobligors == HHJ_MAX_OBLIGORS) {
        import_group_bad(g, line, C_TYPE, "TOO_MANY_OBLIGORS",
                         "a household has at most 16 obligor rows",
                         "一户最多 16 行赡养（抚养、扶养）义务人");
        return DD_OK;
    }
    struct import_orow *r = arena_alloc(g->a, sizeof(*r));
    if (!r)
        return DD_ENOMEM;
    g->obligors[g->nobligors++] = r;
    struct hhj_obligor *o = &r->o;
    r->line = line;
    r->of = arena_strdup(g->a, import_cell(cols, rec, C_OF));
    o->name = arena_strdup(g->a, import_cell(cols, rec, C_NAME));
    const char *birth = import_cell(cols, rec, C_OBIRTH);
    o->birth_date = *birth ? arena_strdup(g->a, birth) : NULL;
    if (!r->of || !o->name || (*birth && !o->birth_date))
        return DD_ENOMEM;
    static const enum col req[2] = {C_OF, C_OREL};
    for (int i = 0; i < 2; i++)
        if (!*import_cell(cols, rec, req[i]))
            import_group_bad(
                g, line, req[i], "MISSING_FIELD",
                "an obligor row needs the member supported and the "
                "relation to them",
                "义务人行须填写所属成员身份号码及与其关系");
    o->relation = code_cell(g, line, C_OREL, import_cell(cols, rec, C_OREL),
                            relation_labels);
    disability_cells(g, cols, rec, &o->disability_category,
                     &o->disability_grade);
    o->income_monthly_fen = yuan_fen(import_cell(cols, rec, C_OINCOME));
    if (o->income_monthly_fen < 0)
        bad_amount(g, line, C_OINCOME);
    char buf[IMPORT_MAX_RECORD];
    const char *items[7];
    int n = split_list(import_cell(cols, rec, C_OFLAGS), buf, sizeof(buf),
                       items, 7);
    if (n < 0)
        import_group_bad(g, line, C_OFLAGS, "UNKNOWN_CODE",
                         "at most the seven situations", "最多七种情形");
    int *flag[7] = {&o->is_tekun,
                    &o->is_dibao_recipient,
                    &o->lacks_civil_capacity,
                    &o->declared_missing,
                    &o->in_prison,
                    &o->assets_within_low_income_rule,
                    &o->other_provincial_unable};
    for (int i = 0; i < n; i++) {
        const char *code = code_cell(g, line, C_OFLAGS, items[i], flag_labels);
        for (int k = 0; code && k < 7; k++)
            if (strcmp(code, flag_codes[k]) == 0)
                *flag[k] = 1;
    }
    return DD_OK;
}

/* Adds one row to its group. */
enum dd_status
import_row_add(struct import_group *g, const int cols[IMPORT_COLUMNS],
               const struct csv_record *rec)
{
    long line = rec->line;
    if (line > g->last_line)
        g->last_line = line;
    /* the household's cells: the first row filling one in gives it, and
     * later rows filling it in agree */
    static const enum col household_cols[] = {C_REGION, C_HUKOU, C_UR,
                                              C_ADDR,   C_PHONE, C_BANK};
    for (size_t i = 0; i < sizeof(household_cols) / sizeof(*household_cols);
         i++) {
        enum col c = household_cols[i];
        const char *v = import_cell(cols, rec, c);
        if (!*v)
            continue;
        if (!g->hh[c]) {
            g->hh[c] = arena_strdup(g->a, v);
            if (!g->hh[c])
                return DD_ENOMEM;
            if (c == C_UR && !label_code(ur_labels, v))
                import_group_bad(
                    g, line, C_UR, "UNKNOWN_CODE",
                    "城乡 is 城镇, 农村 or 按区县 (blank: 按区县)",
                    "城乡须为 城镇、农村 或 按区县（留空即按区县）");
        } else if (strcmp(v, g->hh[c]) != 0) {
            import_group_bad(g, line, c, "HOUSEHOLD_MISMATCH",
                             "this differs from the household's other rows",
                             "与本户其他行不一致");
        }
    }
    const char *type = import_cell(cols, rec, C_TYPE);
    const char *code = *type ? label_code(type_labels, type) : "member";
    if (!code) {
        import_group_bad(g, line, C_TYPE, "UNKNOWN_CODE",
                         "行类型 is 成员 (or blank), 资产 or 义务人",
                         "行类型须为 成员（或留空）、资产 或 义务人");
        return DD_OK;
    }
    if (strcmp(code, "asset") == 0)
        return add_asset(g, cols, rec);
    if (strcmp(code, "obligor") == 0)
        return add_obligor(g, cols, rec);
    return add_member(g, cols, rec);
}
