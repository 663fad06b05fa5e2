/* SPDX-License-Identifier: MIT */
/* The household importer (see import.h and docs/import.md): header
 * mapping, row parsing into the registry's decoded form, grouping by
 * 户编号, the registry's checks with their fields mapped back to CSV
 * columns, the re-run rule and batched inserts with audit rows. */
#include "io/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "core/arena.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "registry/registry.h"

enum col {
    C_KEY,
    C_REL,
    C_NAME,
    C_ID,
    C_REGION,
    C_HUKOU,
    C_UR,
    C_ADDR,
    C_DCAT,
    C_DGRADE,
    C_DCARD,
    C_ILL,
    C_WORK,
    C_SCHOOL,
    C_EMP,
    C_INC0,
    C__COUNT = C_INC0 + 6
};

_Static_assert(C__COUNT == IMPORT_COLUMNS, "columns");
/* The header (docs/import-template.csv); the first seven are required. */
const char *const import_columns[IMPORT_COLUMNS] = {
    "户编号",       "与申请人关系", "姓名",         "公民身份号码",
    "现居住地区划代码", "户籍地区划代码", "城乡",     "现居住地址",
    "残疾类别",     "残疾等级",     "残疾证号",     "重病",
    "劳动能力",     "就学",         "就业",         "工资性收入（元/月）",
    "经营净收入（元/月）", "财产净收入（元/月）", "转移性收入（元/月）",
    "转移性支出（元/月）", "刚性支出（元/月）",
};
#define REQUIRED_COLS 7
/* The registry's income kind for each income column, in order. */
static const char *const income_kinds[6] = {
    "wages", "business", "property", "transfers_in", "transfers_out",
    "rigid_deduction",
};

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
static const struct label ur_labels[] = {
    {"城镇", "urban"}, {"城市", "urban"}, {"农村", "rural"}, {NULL, NULL},
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

#define LISTED_CHUNK 256

struct row_info {
    long line;
    int inc_col[HHJ_MAX_INCOMES]; /* the column of each income */
};

struct group {
    struct arena *a;
    char key[64];
    int open;
    size_t count;
    struct hhj_member members[HHJ_MAX_MEMBERS];
    struct row_info rows[HHJ_MAX_MEMBERS];
    const char *hh[C_ADDR + 1]; /* household cells from the first row */
    long first_line;
    int bad;
    struct import_rejection err;
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
    struct person_row others[HHJ_MAX_MEMBERS + 1];
    struct group g;
};

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

/* Marks the open group bad with its first error. */
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

/* Yuan with at most two decimals into fen (blank = 0); -1 when not. */
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
 * back when nothing was inserted in it). */
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

/* A registry error's field ("members[1].incomes[0].kind") as a line and
 * a CSV column. */
static void
map_field(const struct importer *im, const char *field, long *line,
          const char **column)
{
    static const struct {
        const char *field;
        enum col c;
    } fields[] = {
        {"id_number", C_ID},          {"birth_date", C_ID},
        {"sex", C_ID},                {"name", C_NAME},
        {"relation", C_REL},          {"disability_category", C_DCAT},
        {"disability_grade", C_DGRADE}, {"disability_card", C_DCARD},
        {"work_capacity", C_WORK},    {"schooling", C_SCHOOL},
        {"region_code", C_REGION},    {"hukou_region", C_HUKOU},
        {"urban_or_rural", C_UR},     {"members", C_REL},
    };
    const struct group *g = &im->g;
    const char *rest = field ? field : "";
    size_t m = 0;
    *line = g->first_line;
    *column = "";
    if (strncmp(rest, "members[", 8) == 0) {
        char *end;
        m = strtoul(rest + 8, &end, 10);
        if (m < g->count && end[0] == ']' && end[1] == '.') {
            *line = g->rows[m].line;
            rest = end + 2;
        }
    }
    if (strncmp(rest, "incomes[", 8) == 0) {
        size_t j = strtoul(rest + 8, NULL, 10);
        if (j < HHJ_MAX_INCOMES)
            *column = import_columns[g->rows[m].inc_col[j]];
        return;
    }
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        if (strcmp(rest, fields[i].field) == 0)
            *column = import_columns[fields[i].c];
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

/* Checks and writes the open group. */
static enum dd_status
flush(struct importer *im)
{
    struct group *g = &im->g;
    struct hhj_household in;
    struct registry_input chk;
    struct dd_error err = {0};
    enum dd_status rc = DD_OK;
    int ok;

    if (!g->open)
        return DD_OK;
    g->open = 0;
    if (g->bad)
        return add_rejection(im, g->err.line, g->err.column, g->err.code,
                             g->err.message, g->err.message_zh);
    memset(&in, 0, sizeof(in));
    in.region_code = g->hh[C_REGION];
    in.hukou_region = g->hh[C_HUKOU];
    in.address = g->hh[C_ADDR];
    in.urban_or_rural = label_code(ur_labels, g->hh[C_UR]);
    in.version = -1;
    in.members = g->members;
    in.member_count = g->count;
    if ((rc = begin(im)) != DD_OK)
        return rc;
    static const enum col region_cols[2] = {C_REGION, C_HUKOU};
    for (int i = 0; i < 2; i++) {
        if ((rc = village(im, g->hh[region_cols[i]], &ok)) != DD_OK)
            return rc;
        if (!ok)
            return add_rejection(
                im, g->first_line, import_columns[region_cols[i]], "UNKNOWN_REGION",
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

    /* the re-run rule: members already exactly one active household are
     * skipped; a person active in another household is rejected */
    int64_t first_hid = 0;
    size_t active = 0;
    for (size_t i = 0; i < chk.member_count; i++) {
        int64_t hid = 0;
        rc = store_person_active_household(im->tx, chk.members[i].p.id_hash,
                                           &hid);
        if (rc == DD_ENOTFOUND)
            continue;
        if (rc != DD_OK)
            return rc;
        if (active == 0)
            first_hid = hid;
        if (active > 0 && hid != first_hid)
            first_hid = -1;
        active++;
    }
    if (active > 0) {
        size_t stored = 0;
        if (first_hid > 0 && active == chk.member_count) {
            rc = store_person_list(im->tx, first_hid, im->others,
                                   HHJ_MAX_MEMBERS + 1, &stored);
            if (rc != DD_OK)
                return rc;
        }
        if (first_hid > 0 && active == chk.member_count &&
            stored == chk.member_count) {
            if (im->run_first_id > 0 && first_hid >= im->run_first_id)
                return add_rejection(
                    im, g->first_line, import_columns[C_ID], "DUPLICATE_IN_FILE",
                    "this household is already in the file above",
                    "该家庭在文件前面已出现");
            im->res->skipped++;
            return DD_OK;
        }
        for (size_t i = 0; i < chk.member_count; i++) {
            int64_t hid;
            if (store_person_active_household(im->tx, chk.members[i].p.id_hash,
                                              &hid) == DD_OK)
                return add_rejection(
                    im, g->rows[i].line, import_columns[C_ID], "PERSON_CONFLICT",
                    "this person is already a member of another active "
                    "household",
                    "此人已是另一有效家庭的成员");
        }
    }
    size_t bad_member = 0;
    rc = store_household_insert(im->tx, &chk.h);
    if (rc == DD_OK)
        rc = registry_insert_children(im->tx, &chk.h, &chk, &bad_member);
    if (rc != DD_OK)
        return rc;
    if (im->run_first_id == 0)
        im->run_first_id = chk.h.id;
    im->res->inserted++;
    if (im->in_tx++ == 0)
        im->batch_first = g->first_line;
    im->batch_last = g->rows[g->count - 1].line;
    if (im->in_tx >= (im->o->batch ? im->o->batch : 1000))
        return commit_batch(im);
    return DD_OK;
}

static enum dd_status
group_open(struct importer *im, const char *key, long line)
{
    struct group *g = &im->g;
    arena_free(g->a);
    memset(g, 0, sizeof(*g));
    g->a = arena_new(1u << 20);
    if (!g->a)
        return DD_ENOMEM;
    str_copy(g->key, sizeof(g->key), key);
    g->open = 1;
    g->first_line = line;
    return DD_OK;
}

/* A code cell: blank gives NULL (the registry's default) unless required. */
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

/* Adds one member row to the open group. */
static enum dd_status
add_row(struct importer *im, const struct csv_record *rec)
{
    struct group *g = &im->g;
    long line = rec->line;
    if (g->count == HHJ_MAX_MEMBERS) {
        group_bad(g, line, C_KEY, "TOO_MANY_MEMBERS",
                  "a household has at most 16 members",
                  "一户最多 16 名成员");
        return DD_OK;
    }
    struct hhj_member *m = &g->members[g->count];
    struct row_info *ri = &g->rows[g->count];
    memset(m, 0, sizeof(*m));
    ri->line = line;
    g->count++;

    /* the household's cells: the first row's, and later rows agree */
    for (int c = C_REGION; c <= C_ADDR; c++) {
        const char *v = cell(im, rec, (enum col)c);
        if (g->count == 1) {
            g->hh[c] = arena_strdup(g->a, v);
            if (!g->hh[c])
                return DD_ENOMEM;
        } else if (*v && strcmp(v, g->hh[c]) != 0) {
            group_bad(g, line, (enum col)c, "HOUSEHOLD_MISMATCH",
                      "this differs from the household's first row",
                      "与本户第一行不一致");
        }
    }
    if (g->count == 1) {
        for (int c = C_REGION; c <= C_UR; c++)
            if (!*g->hh[c])
                group_bad(g, line, (enum col)c, "MISSING_FIELD",
                          "this column is required", "此列为必填");
        if (*g->hh[C_UR]) {
            if (!label_code(ur_labels, g->hh[C_UR]))
                group_bad(g, line, C_UR, "UNKNOWN_CODE",
                          "城乡 is 城镇 or 农村", "城乡须为 城镇 或 农村");
        }
    }
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
    for (int i = 0; i < 6; i++) {
        int64_t fen = yuan_fen(cell(im, rec, (enum col)(C_INC0 + i)));
        if (fen < 0) {
            group_bad(g, line, (enum col)(C_INC0 + i), "BAD_AMOUNT",
                      "an amount is yuan with at most two decimals",
                      "金额须为非负的元数，最多两位小数");
            continue;
        }
        if (fen == 0)
            continue;
        ri->inc_col[m->income_count] = C_INC0 + i;
        m->incomes[m->income_count].kind = income_kinds[i];
        m->incomes[m->income_count].monthly_fen = fen;
        m->income_count++;
    }
    return DD_OK;
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
    for (int c = 0; c < REQUIRED_COLS; c++)
        if (im->colidx[c] < 0)
            return add_rejection(im, rec.line, import_columns[c], "MISSING_COLUMN",
                                 "the header lacks this required column",
                                 "表头缺少此必填列");
    *ok = 1;
    return DD_OK;
}

enum dd_status
import_households(struct store *st, const struct import_opts *o,
                  csv_source_fn src, void *src_ctx, struct import_result *out)
{
    struct importer *im = calloc(1, sizeof(*im));
    struct csv_reader *r = NULL;
    struct csv_record rec;
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

    r = csv_reader_new(src, src_ctx, IMPORT_MAX_RECORD);
    rc = r ? read_header(im, r, &ok) : DD_ENOMEM;
    if (rc == DD_OK && !ok)
        out->fatal = 1;
    while (rc == DD_OK && ok) {
        rc = csv_reader_next(r, &rec);
        if (rc == DD_ENOTFOUND) {
            rc = DD_OK;
            break;
        }
        if (rc == DD_EINVAL && csv_reader_error(r)) {
            out->fatal = 1;
            rc = flush(im);
            if (rc == DD_OK)
                rc = add_rejection(im, rec.line, "", "MALFORMED_CSV",
                                   csv_reader_error(r), "CSV 格式错误，读取中止");
            break;
        }
        if (rc != DD_OK)
            break;
        out->rows++;
        if (rec.count != im->ncols) {
            /* too short: name the first missing column */
            const char *col = rec.count < im->ncols ? im->header[rec.count] : "";
            rc = flush(im);
            if (rc == DD_OK)
                rc = add_rejection(
                    im, rec.line, col,
                    rec.count < im->ncols ? "MISSING_COLUMN" : "EXTRA_COLUMN",
                    rec.count < im->ncols
                        ? "the row has fewer fields than the header"
                        : "the row has more fields than the header",
                    rec.count < im->ncols ? "该行字段数少于表头"
                                          : "该行字段数多于表头");
            continue;
        }
        const char *key = cell(im, &rec, C_KEY);
        if (!*key || strlen(key) >= sizeof(im->g.key)) {
            rc = flush(im);
            if (rc == DD_OK)
                rc = add_rejection(im, rec.line, import_columns[C_KEY],
                                   *key ? "TOO_LONG" : "MISSING_FIELD",
                                   "户编号 is required (at most 63 bytes)",
                                   "户编号为必填（最多 63 字节）");
            continue;
        }
        if (!im->g.open || strcmp(key, im->g.key) != 0) {
            rc = flush(im);
            if (rc == DD_OK)
                rc = group_open(im, key, rec.line);
        }
        if (rc == DD_OK)
            rc = add_row(im, &rec);
    }
    if (rc == DD_OK)
        rc = flush(im);
    if (rc == DD_OK)
        rc = commit_batch(im);
    if (rc != DD_OK && im->tx)
        store_tx_rollback(im->tx);
    im->tx = NULL;
    if (rc == DD_OK) {
        char detail[200];
        struct store_tx *tx;
        snprintf(detail, sizeof(detail),
                 "{\"rows\":%lld,\"inserted\":%lld,\"skipped\":%lld,"
                 "\"rejected\":%lld}",
                 (long long)out->rows, (long long)out->inserted,
                 (long long)out->skipped, (long long)out->rejected);
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
    arena_free(im->g.a);
    for (size_t i = 0; im->header && i < im->ncols; i++)
        free(im->header[i]);
    free(im->header);
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
