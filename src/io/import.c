/* SPDX-License-Identifier: MIT */
/* The household importer (see import.h and docs/import.md): header
 * mapping; member, asset and obligor rows parsed into the registry's
 * decoded form; grouping by 户编号 within a window of open households;
 * the registry's checks with their fields mapped back to CSV lines and
 * columns; and the write: a household of new people inserted with no
 * lookup first (the unique index on active people decides), one whose
 * applicant is already active compared with what is stored and skipped
 * when the same or updated with a new version, in batches with audit
 * rows. */
#include "io/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "audit/audit.h"
#include "core/arena.h"
#include "core/str.h"
#include "core/timeutil.h"
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

#define LISTED_CHUNK 256
/* pending households' hash buckets (a power of two, > IMPORT_WINDOW) */
#define BUCKETS 8192

struct mrow {
    struct hhj_member m;
    long line;
    int inc_col[HHJ_MAX_INCOMES]; /* the column of each income */
};
struct arow {
    struct hhj_asset a;
    const char *of; /* the owner's ID number as written, "" = joint */
    long line;
};
struct orow {
    struct hhj_obligor o;
    const char *of;
    long line;
};

/* One open household: its rows so far (strings in its arena). */
struct group {
    struct group *hnext;       /* bucket chain */
    struct group *prev, *next; /* open groups, least recently used first */
    uint64_t hash;
    struct arena *a;
    char key[64];
    size_t count, nassets, nobligors;
    struct mrow *rows[HHJ_MAX_MEMBERS];
    struct arow *assets[HHJ_MAX_ASSETS];
    struct orow *obligors[HHJ_MAX_OBLIGORS];
    const char *hh[C_ADDR + 1]; /* household cells, the first filled in */
    long first_line, last_line;
    int bad;
    struct import_rejection err;
};

/* A set of 64-bit values (0 stands for 0 and 1 alike): keys of written
 * households, ids of households updated by this run. */
struct set {
    uint64_t *v;
    size_t cap, n;
};

struct importer {
    struct store *st;
    const struct import_opts *o;
    struct import_result *res;
    struct store_tx *tx;
    size_t in_tx;
    long batch_first, batch_last;
    int64_t run_first_id; /* the first household inserted by this run */
    int ty, tm, td;
    int colidx[C__COUNT]; /* header position of each column, -1 absent */
    char **header;
    size_t ncols;
    char last_village[13];
    struct group *buckets[BUCKETS];
    struct group *lru_head, *lru_tail;
    size_t open;
    struct set written, updated;
    /* the flushed household as the registry takes it */
    struct hhj_member members[HHJ_MAX_MEMBERS];
    struct hhj_asset assets[HHJ_MAX_ASSETS];
    struct hhj_obligor obligors[HHJ_MAX_OBLIGORS];
    struct group *g; /* the group being flushed */
};

static uint64_t
hash_key(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h ? h : 1;
}

static int
set_has(const struct set *s, uint64_t v)
{
    if (!s->cap)
        return 0;
    v = v ? v : 1;
    for (size_t i = (size_t)(v * 0x9E3779B97F4A7C15ull) & (s->cap - 1);
         s->v[i]; i = (i + 1) & (s->cap - 1))
        if (s->v[i] == v)
            return 1;
    return 0;
}

static enum dd_status
set_add(struct set *s, uint64_t v)
{
    v = v ? v : 1;
    if ((s->n + 1) * 2 > s->cap) {
        struct set t = {.cap = s->cap ? s->cap * 2 : 1024};
        t.v = calloc(t.cap, sizeof(*t.v));
        if (!t.v)
            return DD_ENOMEM;
        for (size_t i = 0; i < s->cap; i++)
            if (s->v[i] && set_add(&t, s->v[i]) != DD_OK)
                return DD_ENOMEM;
        free(s->v);
        *s = t;
    }
    size_t i = (size_t)(v * 0x9E3779B97F4A7C15ull) & (s->cap - 1);
    for (; s->v[i]; i = (i + 1) & (s->cap - 1))
        if (s->v[i] == v)
            return DD_OK;
    s->v[i] = v;
    s->n++;
    return DD_OK;
}

static enum dd_status
add_rejection(struct importer *im, long line, const char *column,
              const char *code, const char *en, const char *zh)
{
    struct import_result *r = im->res;
    r->rejected++;
    if (r->listed >= IMPORT_MAX_LISTED)
        return DD_OK;
    if (r->listed % LISTED_CHUNK == 0) {
        struct import_rejection *p =
            realloc(r->list, (r->listed + LISTED_CHUNK) * sizeof(*p));
        if (!p)
            return DD_ENOMEM;
        r->list = p;
    }
    struct import_rejection *j = &r->list[r->listed++];
    j->line = line;
    str_copy(j->column, sizeof(j->column), column ? column : "");
    j->code = code;
    j->message = en;
    j->message_zh = zh;
    return DD_OK;
}

/* Marks a group bad with its first error. */
static void
group_bad(struct group *g, long line, enum col c, const char *code,
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

static const char *
cell(const struct importer *im, const struct csv_record *rec, enum col c)
{
    int i = im->colidx[c];
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
split_list(const char *v, char *buf, size_t cap, const char **items,
           int max)
{
    static const char *const seps[] = {"、", "，", "；", ",", ";", "/",
                                       "|", " ", "\t"};
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

/* ---- transactions ---- */

static enum dd_status
begin(struct importer *im)
{
    if (im->tx)
        return DD_OK;
    im->in_tx = 0;
    im->batch_first = im->batch_last = 0;
    return store_tx_begin(im->st, STORE_WRITE, &im->tx);
}

/* Commits the open transaction with its "import.batch" row (or rolls it
 * back when nothing was written in it). */
static enum dd_status
commit_batch(struct importer *im)
{
    enum dd_status rc;
    char detail[160];
    if (!im->tx)
        return DD_OK;
    if (im->in_tx == 0) {
        store_tx_rollback(im->tx);
        im->tx = NULL;
        return DD_OK;
    }
    snprintf(detail, sizeof(detail),
             "{\"households\":%zu,\"first_line\":%ld,\"last_line\":%ld}",
             im->in_tx, im->batch_first, im->batch_last);
    rc = audit_log(im->tx, im->o->actor, "import.batch", "import", NULL,
                   im->o->request_id ? im->o->request_id : "", detail);
    if (rc == DD_OK)
        rc = store_tx_commit(im->tx);
    else
        store_tx_rollback(im->tx);
    im->tx = NULL;
    return rc;
}

/* ---- checking a household ---- */

/* A registry error's field ("members[1].incomes[0].kind",
 * "assets[2].kind") as a line and a CSV column. */
static void
map_field(const struct importer *im, const char *field, long *line,
          const char **column)
{
    static const struct {
        const char *field;
        enum col c;
    } member_fields[] = {
        {"id_number", C_ID},          {"birth_date", C_ID},
        {"sex", C_ID},                {"name", C_NAME},
        {"relation", C_REL},          {"disability_category", C_DCAT},
        {"disability_grade", C_DGRADE}, {"disability_card", C_DCARD},
        {"work_capacity", C_WORK},    {"schooling", C_SCHOOL},
        {"region_code", C_REGION},    {"hukou_region", C_HUKOU},
        {"urban_or_rural", C_UR},     {"members", C_REL},
    },
      other_fields[] = {
          {"kind", C_AKIND},          {"owner_member", C_OF},
          {"of_member", C_OF},        {"relation", C_OREL},
          {"name", C_NAME},           {"birth_date", C_OBIRTH},
          {"disability_category", C_DCAT},
          {"disability_grade", C_DGRADE},
      };
    const struct group *g = im->g;
    const char *rest = field ? field : "";
    size_t m = 0;
    char *end;
    *line = g->first_line;
    *column = "";
    if (strncmp(rest, "assets[", 7) == 0 || strncmp(rest, "obligors[", 9) == 0) {
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

/* A 12-digit village code in the reference data. The last village found
 * is remembered: a file's households come village by village. */
static enum dd_status
village(struct importer *im, const char *code, int *ok)
{
    struct region r;
    *ok = 0;
    if (strlen(code) != 12 || code[strspn(code, "0123456789")])
        return DD_OK;
    if (strcmp(code, im->last_village) == 0) {
        *ok = 1;
        return DD_OK;
    }
    enum dd_status rc = store_region_get(im->tx, code, &r);
    if (rc == DD_ENOTFOUND)
        return DD_OK;
    if (rc == DD_OK)
        *ok = strcmp(r.level, "village") == 0;
    if (*ok)
        str_copy(im->last_village, sizeof(im->last_village), code);
    return rc;
}

/* The member whose ID number is written as of (upper and lower case x
 * alike); -1 when none. */
static int
member_of(const struct group *g, const char *of)
{
    for (size_t i = 0; i < g->count; i++)
        if (strcasecmp(g->rows[i]->m.id_number, of) == 0)
            return (int)i;
    return -1;
}

/* Assembles the group as the registry's decoded household; 0, or -1
 * after a rejection was recorded in the group. */
static int
assemble(struct importer *im, struct group *g, struct hhj_household *in)
{
    memset(in, 0, sizeof(*in));
    for (int c = C_REGION; c <= C_HUKOU; c++)
        if (!g->hh[c] || !*g->hh[c]) {
            group_bad(g, g->first_line, (enum col)c, "MISSING_FIELD",
                      "this column is required", "此列为必填");
            return -1;
        }
    if (g->count == 0) {
        group_bad(g, g->first_line, C_TYPE, "NO_MEMBERS",
                  "the household has asset or obligor rows but no member "
                  "rows",
                  "该户只有资产或义务人行，没有成员行");
        return -1;
    }
    in->region_code = g->hh[C_REGION];
    in->hukou_region = g->hh[C_HUKOU];
    in->address = g->hh[C_ADDR] ? g->hh[C_ADDR] : "";
    /* blank: the household follows its district (domain.md §7.1) */
    in->urban_or_rural =
        g->hh[C_UR] ? label_code(ur_labels, g->hh[C_UR]) : "district";
    in->version = -1;
    for (size_t i = 0; i < g->count; i++)
        im->members[i] = g->rows[i]->m;
    in->members = im->members;
    in->member_count = g->count;
    for (size_t i = 0; i < g->nassets; i++) {
        const struct arow *r = g->assets[i];
        im->assets[i] = r->a;
        im->assets[i].owner_member = -1;
        if (*r->of) {
            int m = member_of(g, r->of);
            if (m < 0) {
                group_bad(g, r->line, C_OF, "NO_SUCH_MEMBER",
                          "this is not the ID number of a member of the "
                          "household (blank: held jointly)",
                          "该号码不是本户成员的身份证号（共有财产请留空）");
                return -1;
            }
            im->assets[i].owner_member = m;
        }
    }
    in->assets = im->assets;
    in->asset_count = g->nassets;
    for (size_t i = 0; i < g->nobligors; i++) {
        const struct orow *r = g->obligors[i];
        int m = member_of(g, r->of);
        if (m < 0) {
            group_bad(g, r->line, C_OF, "NO_SUCH_MEMBER",
                      "this is not the ID number of a member of the "
                      "household",
                      "该号码不是本户成员的身份证号");
            return -1;
        }
        im->obligors[i] = r->o;
        im->obligors[i].of_member = m;
    }
    in->obligors = im->obligors;
    in->obligor_count = g->nobligors;
    return 0;
}

/* ---- writing ---- */

/* Counts a household written into the open batch, and commits the
 * batch when it is full. */
static enum dd_status
written(struct importer *im, const struct group *g)
{
    if (im->in_tx++ == 0 || g->first_line < im->batch_first)
        im->batch_first = g->first_line;
    if (g->last_line > im->batch_last)
        im->batch_last = g->last_line;
    if (im->in_tx >= (im->o->batch ? im->o->batch : 1000))
        return commit_batch(im);
    return DD_OK;
}

/* Inserts the members (the unique index on active people refusing one
 * already active, with no lookup first: then *taken is set and the rest
 * is left), their incomes, the assets and the obligors under h. */
static enum dd_status
insert_children(struct importer *im, struct registry_input *in, int *taken)
{
    const struct household_row *h = &in->h;
    enum dd_status rc = DD_OK;
    *taken = 0;
    for (size_t i = 0; rc == DD_OK && i < in->member_count; i++) {
        struct registry_member *m = &in->members[i];
        m->p.household_id = h->id;
        str_copy(m->p.county_code, sizeof(m->p.county_code), h->county_code);
        m->p.active = 1;
        rc = store_import_person_insert(im->tx, &m->p);
        if (rc == DD_ECONFLICT) {
            *taken = 1;
            return DD_OK;
        }
        for (size_t j = 0; rc == DD_OK && j < m->income_count; j++) {
            m->incomes[j].person_id = m->p.id;
            str_copy(m->incomes[j].county_code,
                     sizeof(m->incomes[j].county_code), h->county_code);
            rc = store_import_income_insert(im->tx, &m->incomes[j]);
        }
    }
    for (size_t i = 0; rc == DD_OK && i < in->asset_count; i++) {
        struct asset_row *r = &in->assets[i];
        r->household_id = h->id;
        str_copy(r->county_code, sizeof(r->county_code), h->county_code);
        r->owner_person_id =
            in->asset_owner[i] >= 0 ? in->members[in->asset_owner[i]].p.id : 0;
        rc = store_asset_insert(im->tx, r);
    }
    for (size_t i = 0; rc == DD_OK && i < in->obligor_count; i++) {
        struct obligor_row *r = &in->obligors[i];
        r->household_id = h->id;
        str_copy(r->county_code, sizeof(r->county_code), h->county_code);
        r->of_person_id = in->members[in->obligor_of[i]].p.id;
        rc = store_obligor_insert(im->tx, r);
    }
    return rc;
}

/* Whether the stored household cur holds exactly what the file gives
 * (in, with the card numbers as written in g). */
static enum dd_status
same_household(struct importer *im, const struct group *g,
               const struct registry_input *in,
               const struct registry_household *cur, int *same)
{
    const struct household_row *a = &in->h, *b = &cur->h;
    char card[STORE_SEALED_LEN];
    *same = 0;
    if (strcmp(a->region_code, b->region_code) != 0 ||
        strcmp(a->hukou_region, b->hukou_region) != 0 ||
        strcmp(a->address, b->address) != 0 ||
        strcmp(a->urban_or_rural, b->urban_or_rural) != 0 ||
        in->member_count != cur->member_count ||
        in->asset_count != cur->asset_count ||
        in->obligor_count != cur->obligor_count)
        return DD_OK;
    size_t incomes = 0;
    int stored_of[HHJ_MAX_MEMBERS]; /* file member -> stored member */
    for (size_t i = 0; i < in->member_count; i++) {
        const struct person_row *p = &in->members[i].p, *q = NULL;
        for (size_t j = 0; j < cur->member_count && !q; j++)
            if (strcmp(cur->members[j].id_hash, p->id_hash) == 0) {
                q = &cur->members[j];
                stored_of[i] = (int)j;
            }
        if (!q || strcmp(p->name, q->name) != 0 ||
            strcmp(p->sex, q->sex) != 0 ||
            strcmp(p->birth_date, q->birth_date) != 0 ||
            p->relation != q->relation ||
            p->disability_category != q->disability_category ||
            p->disability_grade != q->disability_grade ||
            !p->major_illness != !q->major_illness ||
            p->work_capacity != q->work_capacity ||
            p->schooling != q->schooling || !p->employed != !q->employed ||
            p->selfcare_unable != q->selfcare_unable)
            return DD_OK;
        const char *want = g->rows[i]->m.disability_card;
        card[0] = '\0';
        if (*q->disability_card_enc) {
            enum dd_status rc = pii_open(im->o->keys, q->disability_card_enc,
                                         card, sizeof(card));
            if (rc != DD_OK)
                return rc;
        }
        if (strcmp(card, want ? want : "") != 0)
            return DD_OK;
        for (size_t k = 0; k < in->members[i].income_count; k++) {
            const struct income_row *r = &in->members[i].incomes[k];
            int found = 0;
            for (size_t j = 0; j < cur->income_count && !found; j++)
                found = cur->incomes[j].person_id == q->id &&
                        cur->incomes[j].kind == r->kind &&
                        cur->incomes[j].monthly_fen == r->monthly_fen;
            if (!found)
                return DD_OK;
            incomes++;
        }
    }
    if (incomes != cur->income_count)
        return DD_OK;
    /* assets and obligors in the file's order, owners by person */
    for (size_t i = 0; i < in->asset_count; i++) {
        const struct asset_row *r = &in->assets[i], *s = &cur->assets[i];
        int64_t owner = in->asset_owner[i] >= 0
                            ? cur->members[stored_of[in->asset_owner[i]]].id
                            : 0;
        if (r->kind != s->kind || r->value_fen != s->value_fen ||
            r->count != s->count || r->area_dm2 != s->area_dm2 ||
            !r->exempt != !s->exempt || owner != s->owner_person_id)
            return DD_OK;
    }
    for (size_t i = 0; i < in->obligor_count; i++) {
        const struct obligor_row *r = &in->obligors[i], *s = &cur->obligors[i];
        if (r->relation != s->relation || strcmp(r->name, s->name) != 0 ||
            strcmp(r->birth_date, s->birth_date) != 0 ||
            r->disability_category != s->disability_category ||
            r->disability_grade != s->disability_grade ||
            r->flags != s->flags ||
            r->income_monthly_fen != s->income_monthly_fen ||
            cur->members[stored_of[in->obligor_of[i]]].id != s->of_person_id)
            return DD_OK;
    }
    *same = 1;
    return DD_OK;
}

/* Rewrites stored household cur with what the file gives: a new version
 * and the children replaced (as PUT /api/v1/households/{id} does), with a
 * "household.update" audit row in the batch. */
static enum dd_status
update_household(struct importer *im, const struct group *g,
                 struct registry_input *in,
                 const struct registry_household *cur)
{
    char object[40], detail[120];
    size_t refused = 0;
    in->h.id = cur->h.id;
    in->h.created_at = cur->h.created_at;
    enum dd_status rc = store_household_update(im->tx, &in->h, cur->h.version);
    /* members kept by ID number keep their member id, as in PUT */
    if (rc == DD_OK)
        rc = registry_replace_children(im->tx, &in->h, cur, in, &refused);
    if (rc == DD_ECONFLICT)
        rc = DD_EINTERNAL; /* every member was free or in this household */
    if (rc != DD_OK)
        return rc;
    snprintf(object, sizeof(object), "household:%lld",
             (long long)cur->h.id);
    snprintf(detail, sizeof(detail),
             "{\"via\":\"import\",\"line\":%ld,\"version\":%lld}",
             g->first_line, (long long)in->h.version);
    rc = audit_log(im->tx, im->o->actor, "household.update", object,
                   in->h.region_code,
                   im->o->request_id ? im->o->request_id : "", detail);
    if (rc == DD_OK)
        rc = set_add(&im->updated, (uint64_t)cur->h.id);
    if (rc != DD_OK)
        return rc;
    im->res->updated++;
    return written(im, g);
}

/* A household some of whose people are active already. It is known by
 * its applicant: when the applicant is the applicant of a stored active
 * household (not written by this run), that household is compared and
 * skipped or updated; the applicant active as another member, or any
 * other member active elsewhere, is PERSON_CONFLICT. */
static enum dd_status
rerun(struct importer *im, struct group *g, struct registry_input *chk)
{
    int64_t app_hid = 0;
    enum dd_status rc;
    size_t app = 0;
    for (size_t i = 0; i < chk->member_count; i++)
        if (chk->members[i].p.relation == HH_REL_APPLICANT)
            app = i;
    rc = store_person_active_household(im->tx, chk->members[app].p.id_hash,
                                       &app_hid);
    if (rc == DD_ENOTFOUND)
        app_hid = 0;
    else if (rc != DD_OK)
        return rc;
    for (size_t i = 0; i < chk->member_count; i++) {
        int64_t hid = 0;
        if (i == app)
            continue;
        rc = store_person_active_household(im->tx, chk->members[i].p.id_hash,
                                           &hid);
        if (rc == DD_ENOTFOUND)
            continue;
        if (rc != DD_OK)
            return rc;
        if (hid != app_hid)
            return add_rejection(
                im, g->rows[i]->line, import_columns[C_ID], "PERSON_CONFLICT",
                "this person is already a member of another active household",
                "此人已是另一有效家庭的成员");
    }
    if (app_hid == 0)
        return DD_EINTERNAL; /* someone was active: the loop found them */
    if ((im->run_first_id > 0 && app_hid >= im->run_first_id) ||
        set_has(&im->updated, (uint64_t)app_hid))
        return add_rejection(im, g->rows[app]->line, import_columns[C_ID],
                             "DUPLICATE_IN_FILE",
                             "this household is already in the file above",
                             "该家庭在文件前面已出现");
    struct registry_household cur;
    int same = 0;
    rc = registry_load(im->tx, g->a, app_hid, &cur);
    if (rc != DD_OK)
        return rc;
    /* the stored household outside the caller's scope, or the applicant
     * there someone else: this person belongs to another household (not
     * named) */
    if (im->o->in_scope && !im->o->in_scope(im->o->scope_ctx, cur.h.region_code))
        return add_rejection(
            im, g->rows[app]->line, import_columns[C_ID], "PERSON_CONFLICT",
            "this person is already a member of another active household",
            "此人已是另一有效家庭的成员");
    for (size_t j = 0; j < cur.member_count; j++)
        if (strcmp(cur.members[j].id_hash, chk->members[app].p.id_hash) == 0 &&
            cur.members[j].relation != HH_REL_APPLICANT)
            return add_rejection(
                im, g->rows[app]->line, import_columns[C_ID], "PERSON_CONFLICT",
                "this person is already a member of another active household",
                "此人已是另一有效家庭的成员");
    rc = same_household(im, g, chk, &cur, &same);
    if (rc != DD_OK)
        return rc;
    if (same) {
        im->res->skipped++;
        return DD_OK;
    }
    return update_household(im, g, chk, &cur);
}

/* Checks and writes one group. */
static enum dd_status
flush_group(struct importer *im, struct group *g)
{
    struct hhj_household in;
    struct registry_input chk;
    struct dd_error err = {0};
    enum dd_status rc = DD_OK;
    int ok;

    im->g = g;
    if (!g->bad)
        assemble(im, g, &in);
    if (g->bad)
        return add_rejection(im, g->err.line, g->err.column, g->err.code,
                             g->err.message, g->err.message_zh);
    if ((rc = begin(im)) != DD_OK)
        return rc;
    static const enum col region_cols[2] = {C_REGION, C_HUKOU};
    for (int i = 0; i < 2; i++) {
        if ((rc = village(im, g->hh[region_cols[i]], &ok)) != DD_OK)
            return rc;
        if (!ok)
            return add_rejection(
                im, g->first_line, import_columns[region_cols[i]],
                "UNKNOWN_REGION",
                "this is not the 12-digit code of a village in Chongqing",
                "该代码不是重庆市村（社区）的 12 位行政区划代码");
    }
    if (im->o->in_scope && !im->o->in_scope(im->o->scope_ctx, in.region_code))
        return add_rejection(im, g->first_line, import_columns[C_REGION],
                             "OUT_OF_SCOPE",
                             "this region is outside your scope",
                             "该区划不在您的管辖范围内");
    rc = registry_check_household(im->o->keys, g->a, &in, im->ty, im->tm,
                                  im->td, &chk, &err);
    if (rc == DD_EINVAL) {
        long line;
        const char *column;
        map_field(im, err.field, &line, &column);
        return add_rejection(im, line, column, err.code, err.message,
                             err.message_zh);
    }
    if (rc != DD_OK)
        return rc;
    if (im->o->area_ok) {
        rc = im->o->area_ok(im->o->area_ctx, &chk.h, im->ty, im->tm, im->td,
                            &err);
        if (rc == DD_EINVAL)
            return add_rejection(im, g->first_line, import_columns[C_UR],
                                 err.code, err.message, err.message_zh);
        if (rc != DD_OK)
            return rc;
    }

    /* new people, the bulk of a first import: inserted straight away */
    int taken = 0;
    rc = store_import_household_insert(im->tx, &chk.h);
    if (rc == DD_OK)
        rc = insert_children(im, &chk, &taken);
    if (rc != DD_OK)
        return rc;
    if (!taken) {
        if (im->run_first_id == 0)
            im->run_first_id = chk.h.id;
        im->res->inserted++;
        return written(im, g);
    }
    /* someone is active already: undo (the rows cascade), then the
     * re-run rule */
    rc = store_import_household_delete(im->tx, chk.h.id);
    if (rc != DD_OK)
        return rc;
    return rerun(im, g, &chk);
}

/* ---- open groups ---- */

static void
lru_unlink(struct importer *im, struct group *g)
{
    if (g->prev)
        g->prev->next = g->next;
    else
        im->lru_head = g->next;
    if (g->next)
        g->next->prev = g->prev;
    else
        im->lru_tail = g->prev;
    g->prev = g->next = NULL;
}

static void
lru_append(struct importer *im, struct group *g)
{
    g->prev = im->lru_tail;
    g->next = NULL;
    if (im->lru_tail)
        im->lru_tail->next = g;
    else
        im->lru_head = g;
    im->lru_tail = g;
}

/* Flushes and frees group g (its key is remembered as written). */
static enum dd_status
close_group(struct importer *im, struct group *g)
{
    struct group **pp = &im->buckets[g->hash & (BUCKETS - 1)];
    while (*pp != g)
        pp = &(*pp)->hnext;
    *pp = g->hnext;
    lru_unlink(im, g);
    im->open--;
    enum dd_status rc = set_add(&im->written, g->hash);
    if (rc == DD_OK)
        rc = flush_group(im, g);
    im->g = NULL;
    arena_free(g->a);
    free(g);
    return rc;
}

/* The open group for key, opened when new (closing the least recently
 * used one when IMPORT_WINDOW are open); NULL in *out when the key's
 * household was already written (its rows are too far apart). */
static enum dd_status
group_for(struct importer *im, const char *key, long line, struct group **out)
{
    uint64_t h = hash_key(key);
    struct group *g = im->buckets[h & (BUCKETS - 1)];
    *out = NULL;
    for (; g; g = g->hnext)
        if (g->hash == h && strcmp(g->key, key) == 0) {
            lru_unlink(im, g);
            lru_append(im, g);
            *out = g;
            return DD_OK;
        }
    if (set_has(&im->written, h))
        return DD_OK;
    if (im->open >= IMPORT_WINDOW) {
        enum dd_status rc = close_group(im, im->lru_head);
        if (rc != DD_OK)
            return rc;
    }
    g = calloc(1, sizeof(*g));
    if (!g)
        return DD_ENOMEM;
    g->a = arena_new(4u << 20);
    if (!g->a) {
        free(g);
        return DD_ENOMEM;
    }
    g->hash = h;
    str_copy(g->key, sizeof(g->key), key);
    g->first_line = line;
    g->hnext = im->buckets[h & (BUCKETS - 1)];
    im->buckets[h & (BUCKETS - 1)] = g;
    lru_append(im, g);
    im->open++;
    *out = g;
    return DD_OK;
}

/* ---- rows ---- */

/* A code cell: blank gives NULL (the registry's default). */
static const char *
code_cell(struct group *g, long line, enum col c, const char *v,
          const struct label *t)
{
    if (!*v)
        return NULL;
    const char *code = label_code(t, v);
    if (!code)
        group_bad(g, line, c, "UNKNOWN_CODE",
                  "this value is not one of the allowed values (docs/import.md)",
                  "该值不是允许的取值之一（见 docs/import.md）");
    return code;
}

static void
bad_amount(struct group *g, long line, enum col c)
{
    group_bad(g, line, c, "BAD_AMOUNT",
              "an amount is yuan (or square metres) with at most two decimals",
              "金额（或面积）须为非负数，最多两位小数");
}

static enum dd_status
add_member(struct importer *im, struct group *g, const struct csv_record *rec)
{
    long line = rec->line;
    if (g->count == HHJ_MAX_MEMBERS) {
        group_bad(g, line, C_KEY, "TOO_MANY_MEMBERS",
                  "a household has at most 16 members",
                  "一户最多 16 名成员");
        return DD_OK;
    }
    struct mrow *r = arena_alloc(g->a, sizeof(*r));
    if (!r)
        return DD_ENOMEM;
    struct hhj_member *m = &r->m;
    r->line = line;
    g->rows[g->count++] = r;
    for (int c = C_REL; c <= C_ID; c++)
        if (!*cell(im, rec, (enum col)c))
            group_bad(g, line, (enum col)c, "MISSING_FIELD",
                      "this column is required", "此列为必填");
    m->id_number = arena_strdup(g->a, cell(im, rec, C_ID));
    m->name = arena_strdup(g->a, cell(im, rec, C_NAME));
    m->disability_card = arena_strdup(g->a, cell(im, rec, C_DCARD));
    if (!m->id_number || !m->name || !m->disability_card)
        return DD_ENOMEM;
    if (!*m->disability_card)
        m->disability_card = NULL;
    const char *rel = cell(im, rec, C_REL);
    m->relation = code_cell(g, line, C_REL, rel, relation_labels);
    if (!m->relation && !*rel)
        m->relation = ""; /* reported as missing above */
    m->work_capacity =
        code_cell(g, line, C_WORK, cell(im, rec, C_WORK), work_labels);
    m->schooling =
        code_cell(g, line, C_SCHOOL, cell(im, rec, C_SCHOOL), school_labels);
    int v = small_int(cell(im, rec, C_DCAT), 7);
    if (v < 0)
        group_bad(g, line, C_DCAT, "UNKNOWN_CODE",
                  "残疾类别 is 1-7 or blank", "残疾类别须为 1-7 或留空");
    m->disability_category = v < 0 ? 0 : v;
    v = small_int(cell(im, rec, C_DGRADE), 4);
    if (v < 0)
        group_bad(g, line, C_DGRADE, "UNKNOWN_CODE",
                  "残疾等级 is 1-4 or blank", "残疾等级须为 1-4 或留空");
    m->disability_grade = v < 0 ? 0 : v;
    static const enum col flags[2] = {C_ILL, C_EMP};
    for (int i = 0; i < 2; i++) {
        v = yes_no(cell(im, rec, flags[i]));
        if (v < 0)
            group_bad(g, line, flags[i], "UNKNOWN_CODE", "this is 是 or 否",
                      "须为 是 或 否");
        if (flags[i] == C_ILL)
            m->major_illness = v > 0;
        else
            m->employed = v > 0;
    }
    char buf[IMPORT_MAX_RECORD];
    const char *items[HHJ_MAX_SELFCARE];
    int n = split_list(cell(im, rec, C_SELFCARE), buf, sizeof(buf), items,
                       HHJ_MAX_SELFCARE);
    for (int i = 0; i < n; i++) {
        const char *code = code_cell(g, line, C_SELFCARE, items[i],
                                     selfcare_labels);
        if (code)
            m->selfcare_unable[m->selfcare_count++] = code;
    }
    if (n < 0)
        group_bad(g, line, C_SELFCARE, "UNKNOWN_CODE",
                  "at most the six self-care items",
                  "最多六项生活自理项目");
    for (int k = 0; k < N_INCOME; k++) {
        int64_t fen = yuan_fen(cell(im, rec, (enum col)(C_INC0 + k)));
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
add_asset(struct importer *im, struct group *g, const struct csv_record *rec)
{
    long line = rec->line;
    if (g->nassets == HHJ_MAX_ASSETS) {
        group_bad(g, line, C_TYPE, "TOO_MANY_ASSETS",
                  "a household has at most 32 asset rows",
                  "一户最多 32 行资产");
        return DD_OK;
    }
    struct arow *r = arena_alloc(g->a, sizeof(*r));
    if (!r)
        return DD_ENOMEM;
    g->assets[g->nassets++] = r;
    r->line = line;
    r->of = arena_strdup(g->a, cell(im, rec, C_OF));
    if (!r->of)
        return DD_ENOMEM;
    const char *kind = cell(im, rec, C_AKIND);
    if (!*kind)
        group_bad(g, line, C_AKIND, "MISSING_FIELD",
                  "an asset row needs its kind", "资产行须填写资产类别");
    r->a.kind = code_cell(g, line, C_AKIND, kind, asset_labels);
    r->a.value_fen = yuan_fen(cell(im, rec, C_AVALUE));
    if (r->a.value_fen < 0)
        bad_amount(g, line, C_AVALUE);
    r->a.count = whole(cell(im, rec, C_ACOUNT), 1, 1000);
    if (r->a.count < 0)
        group_bad(g, line, C_ACOUNT, "BAD_NUMBER",
                  "a count is a whole number 0-1000 (blank = 1)",
                  "数量须为 0-1000 的整数（留空为 1）");
    r->a.area_dm2 = yuan_fen(cell(im, rec, C_AAREA));
    if (r->a.area_dm2 < 0 || r->a.area_dm2 > 1000000000)
        bad_amount(g, line, C_AAREA);
    int v = yes_no(cell(im, rec, C_AEXEMPT));
    if (v < 0)
        group_bad(g, line, C_AEXEMPT, "UNKNOWN_CODE", "this is 是 or 否",
                  "须为 是 或 否");
    r->a.exempt = v > 0;
    return DD_OK;
}

static enum dd_status
add_obligor(struct importer *im, struct group *g, const struct csv_record *rec)
{
    long line = rec->line;
    if (g->nobligors == HHJ_MAX_OBLIGORS) {
        group_bad(g, line, C_TYPE, "TOO_MANY_OBLIGORS",
                  "a household has at most 16 obligor rows",
                  "一户最多 16 行赡养（抚养、扶养）义务人");
        return DD_OK;
    }
    struct orow *r = arena_alloc(g->a, sizeof(*r));
    if (!r)
        return DD_ENOMEM;
    g->obligors[g->nobligors++] = r;
    struct hhj_obligor *o = &r->o;
    r->line = line;
    r->of = arena_strdup(g->a, cell(im, rec, C_OF));
    o->name = arena_strdup(g->a, cell(im, rec, C_NAME));
    const char *birth = cell(im, rec, C_OBIRTH);
    o->birth_date = *birth ? arena_strdup(g->a, birth) : NULL;
    if (!r->of || !o->name || (*birth && !o->birth_date))
        return DD_ENOMEM;
    static const enum col req[2] = {C_OF, C_OREL};
    for (int i = 0; i < 2; i++)
        if (!*cell(im, rec, req[i]))
            group_bad(g, line, req[i], "MISSING_FIELD",
                      "an obligor row needs the member supported and the "
                      "relation to them",
                      "义务人行须填写所属成员身份号码及与其关系");
    o->relation = code_cell(g, line, C_OREL, cell(im, rec, C_OREL),
                            relation_labels);
    int v = small_int(cell(im, rec, C_DCAT), 7);
    if (v < 0)
        group_bad(g, line, C_DCAT, "UNKNOWN_CODE",
                  "残疾类别 is 1-7 or blank", "残疾类别须为 1-7 或留空");
    o->disability_category = v < 0 ? 0 : v;
    v = small_int(cell(im, rec, C_DGRADE), 4);
    if (v < 0)
        group_bad(g, line, C_DGRADE, "UNKNOWN_CODE",
                  "残疾等级 is 1-4 or blank", "残疾等级须为 1-4 或留空");
    o->disability_grade = v < 0 ? 0 : v;
    o->income_monthly_fen = yuan_fen(cell(im, rec, C_OINCOME));
    if (o->income_monthly_fen < 0)
        bad_amount(g, line, C_OINCOME);
    char buf[IMPORT_MAX_RECORD];
    const char *items[7];
    int n = split_list(cell(im, rec, C_OFLAGS), buf, sizeof(buf), items, 7);
    if (n < 0)
        group_bad(g, line, C_OFLAGS, "UNKNOWN_CODE",
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
static enum dd_status
add_row(struct importer *im, struct group *g, const struct csv_record *rec)
{
    long line = rec->line;
    if (line > g->last_line)
        g->last_line = line;
    /* the household's cells: the first row filling one in gives it, and
     * later rows filling it in agree */
    for (int c = C_REGION; c <= C_ADDR; c++) {
        const char *v = cell(im, rec, (enum col)c);
        if (!*v)
            continue;
        if (!g->hh[c]) {
            g->hh[c] = arena_strdup(g->a, v);
            if (!g->hh[c])
                return DD_ENOMEM;
            if (c == C_UR && !label_code(ur_labels, v))
                group_bad(g, line, C_UR, "UNKNOWN_CODE",
                          "城乡 is 城镇, 农村 or 按区县 (blank: 按区县)",
                          "城乡须为 城镇、农村 或 按区县（留空即按区县）");
        } else if (strcmp(v, g->hh[c]) != 0) {
            group_bad(g, line, (enum col)c, "HOUSEHOLD_MISMATCH",
                      "this differs from the household's other rows",
                      "与本户其他行不一致");
        }
    }
    const char *type = cell(im, rec, C_TYPE);
    const char *code = *type ? label_code(type_labels, type) : "member";
    if (!code) {
        group_bad(g, line, C_TYPE, "UNKNOWN_CODE",
                  "行类型 is 成员 (or blank), 资产 or 义务人",
                  "行类型须为 成员（或留空）、资产 或 义务人");
        return DD_OK;
    }
    if (strcmp(code, "asset") == 0)
        return add_asset(im, g, rec);
    if (strcmp(code, "obligor") == 0)
        return add_obligor(im, g, rec);
    return add_member(im, g, rec);
}

static enum dd_status
read_header(struct importer *im, struct csv_reader *r, int *ok)
{
    struct csv_record rec;
    enum dd_status rc = csv_reader_next(r, &rec);
    *ok = 0;
    if (rc == DD_ENOTFOUND)
        return add_rejection(im, 1, "", "EMPTY_FILE", "the file is empty",
                             "文件为空");
    if (rc == DD_EINVAL && csv_reader_error(r))
        return add_rejection(im, rec.line, "", "MALFORMED_CSV",
                             csv_reader_error(r), "CSV 格式错误");
    if (rc != DD_OK)
        return rc;
    im->header = calloc(rec.count, sizeof(*im->header));
    if (!im->header)
        return DD_ENOMEM;
    im->ncols = rec.count;
    for (int c = 0; c < C__COUNT; c++)
        im->colidx[c] = -1;
    for (size_t i = 0; i < rec.count; i++) {
        char *h = rec.fields[i];
        size_t len = strlen(h);
        while (len && (h[len - 1] == ' ' || h[len - 1] == '\t'))
            h[--len] = '\0';
        while (*h == ' ' || *h == '\t')
            h++;
        im->header[i] = strdup(h);
        if (!im->header[i])
            return DD_ENOMEM;
        for (int c = 0; c < C__COUNT; c++)
            if (strcmp(h, import_columns[c]) == 0 && im->colidx[c] < 0)
                im->colidx[c] = (int)i;
    }
    for (size_t c = 0; c < sizeof(required_cols) / sizeof(required_cols[0]);
         c++)
        if (im->colidx[required_cols[c]] < 0)
            return add_rejection(im, rec.line, import_columns[required_cols[c]],
                                 "MISSING_COLUMN",
                                 "the header lacks this required column",
                                 "表头缺少此必填列");
    *ok = 1;
    return DD_OK;
}

/* Reads the records after the header into their groups. */
static enum dd_status
read_rows(struct importer *im, struct csv_reader *r)
{
    struct import_result *out = im->res;
    struct csv_record rec;
    enum dd_status rc = DD_OK;
    while (rc == DD_OK) {
        rc = csv_reader_next(r, &rec);
        if (rc == DD_ENOTFOUND)
            return DD_OK;
        if (rc == DD_EINVAL && csv_reader_error(r)) {
            out->fatal = 1;
            return add_rejection(im, rec.line, "", "MALFORMED_CSV",
                                 csv_reader_error(r),
                                 "CSV 格式错误，读取中止");
        }
        if (rc != DD_OK)
            return rc;
        out->rows++;
        if (rec.count != im->ncols) {
            /* too short: name the first missing column */
            int short_row = rec.count < im->ncols;
            rc = add_rejection(
                im, rec.line, short_row ? im->header[rec.count] : "",
                short_row ? "MISSING_COLUMN" : "EXTRA_COLUMN",
                short_row ? "the row has fewer fields than the header"
                          : "the row has more fields than the header",
                short_row ? "该行字段数少于表头" : "该行字段数多于表头");
            continue;
        }
        const char *key = cell(im, &rec, C_KEY);
        if (!*key || strlen(key) >= sizeof(((struct group *)0)->key)) {
            rc = add_rejection(im, rec.line, import_columns[C_KEY],
                               *key ? "TOO_LONG" : "MISSING_FIELD",
                               "户编号 is required (at most 63 bytes)",
                               "户编号为必填（最多 63 字节）");
            continue;
        }
        struct group *g;
        rc = group_for(im, key, rec.line, &g);
        if (rc == DD_OK && !g)
            rc = add_rejection(
                im, rec.line, import_columns[C_KEY], "NON_CONSECUTIVE",
                "this household was already taken from its rows above "
                "(imported, or rejected on their lines): its rows are too "
                "far apart (docs/import.md); put them together and import "
                "again",
                "该户已按前面的行处理（已导入，或已在其所在行被拒绝）："
                "同一户的行相隔过远（见 docs/import.md），请将其放在一起后重新导入");
        else if (rc == DD_OK)
            rc = add_row(im, g, &rec);
    }
    return rc;
}

static int
by_line(const void *a, const void *b)
{
    const struct import_rejection *x = a, *y = b;
    return (x->line > y->line) - (x->line < y->line);
}

enum dd_status
import_households(struct store *st, const struct import_opts *o,
                  csv_source_fn src, void *src_ctx, struct import_result *out)
{
    struct importer *im = calloc(1, sizeof(*im));
    struct csv_reader *r = NULL;
    enum dd_status rc;
    int ok = 0;

    memset(out, 0, sizeof(*out));
    if (!im)
        return DD_ENOMEM;
    im->st = st;
    im->o = o;
    im->res = out;
    /* "today" for birth dates is Asia/Shanghai's (UTC+8 all year) */
    time_t t = (time_t)(time_now() + 8 * 3600);
    struct tm tm;
    gmtime_r(&t, &tm);
    im->ty = tm.tm_year + 1900;
    im->tm = tm.tm_mon + 1;
    im->td = tm.tm_mday;

    if (o->bulk) {
        /* in a transaction of its own: the settings take effect from the
         * next one */
        struct store_tx *tx;
        rc = store_tx_begin(st, STORE_WRITE, &tx);
        if (rc == DD_OK) {
            rc = store_import_tune(tx);
            store_tx_rollback(tx);
        }
        if (rc != DD_OK) {
            free(im);
            return rc;
        }
    }
    r = csv_reader_new(src, src_ctx, IMPORT_MAX_RECORD);
    rc = r ? read_header(im, r, &ok) : DD_ENOMEM;
    if (rc == DD_OK && !ok)
        out->fatal = 1;
    if (rc == DD_OK && ok)
        rc = read_rows(im, r);
    /* the households still open, oldest first (after an error too, to
     * free them; only written while all is well) */
    while (im->lru_head) {
        struct group *g = im->lru_head;
        if (rc == DD_OK) {
            rc = close_group(im, g);
            continue;
        }
        struct group **pp = &im->buckets[g->hash & (BUCKETS - 1)];
        while (*pp != g)
            pp = &(*pp)->hnext;
        *pp = g->hnext;
        lru_unlink(im, g);
        arena_free(g->a);
        free(g);
    }
    if (rc == DD_OK)
        rc = commit_batch(im);
    if (rc != DD_OK && im->tx)
        store_tx_rollback(im->tx);
    im->tx = NULL;
    if (rc == DD_OK) {
        char detail[240];
        struct store_tx *tx;
        snprintf(detail, sizeof(detail),
                 "{\"rows\":%lld,\"inserted\":%lld,\"updated\":%lld,"
                 "\"skipped\":%lld,\"rejected\":%lld}",
                 (long long)out->rows, (long long)out->inserted,
                 (long long)out->updated, (long long)out->skipped,
                 (long long)out->rejected);
        rc = store_tx_begin(st, STORE_WRITE, &tx);
        if (rc == DD_OK) {
            rc = audit_log(tx, o->actor, "import.done", "import", NULL,
                           o->request_id ? o->request_id : "", detail);
            if (rc == DD_OK)
                rc = store_tx_commit(tx);
            else
                store_tx_rollback(tx);
        }
    }
    /* households are written as their rows close, not in file order:
     * the list reads in line order */
    if (out->listed > 1)
        qsort(out->list, out->listed, sizeof(*out->list), by_line);
    for (size_t i = 0; im->header && i < im->ncols; i++)
        free(im->header[i]);
    free(im->header);
    free(im->written.v);
    free(im->updated.v);
    free(im);
    csv_reader_free(r);
    return rc;
}

void
import_result_free(struct import_result *r)
{
    if (!r)
        return;
    free(r->list);
    r->list = NULL;
    r->listed = 0;
}
