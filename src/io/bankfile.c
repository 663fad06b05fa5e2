/* SPDX-License-Identifier: MIT */
/* Bank payment files: templates, the streamed writer and the return-file
 * reader (bankfile.h; the template format is data/banks/README.md). */
#include "io/bankfile.h"

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "io/encoding.h"

#define MAX_COLS 32
#define MAX_HT 4        /* header or trailer lines of a layout */
#define OUT_CHUNK 65536 /* the writer's buffer, and the reader's input */
#define VALUE_MAX 1024  /* a value, UTF-8 or encoded */
#define TEMPLATE_MAX (256 * 1024)

/* Where a column's value comes from. */
enum src {
    S_CONST,
    S_SKIP,
    S_SEQ,
    S_LINE_ID,
    S_NAME,
    S_ACCOUNT,
    S_ID_NUMBER,
    S_AMOUNT,
    S_PROGRAMME,
    S_MONTH,
    S_BATCH_ID,
    S_COUNTY,
    S_DATE,
    S_COUNT,
    S_SUM,
    S_STATUS,
    S_REASON_CODE,
    S_REASON_TEXT,
    S_PAID_COUNT,
    S_PAID_SUM
};

/* Which records a source may appear in. */
enum {
    IN_DETAIL = 1,     /* a written detail line */
    IN_HT = 2,         /* a written header or trailer line */
    IN_RET_DETAIL = 4, /* a return file's detail line */
    IN_RET_HT = 8,     /* a return file's header or trailer line */
};

enum kind { K_TEXT, K_MONEY, K_INT };

static const struct {
    const char *name, *zh;
    unsigned in;
    enum kind kind;
} sources[] = {
    [S_CONST] = {"const", "固定值",
                 IN_DETAIL | IN_HT | IN_RET_DETAIL | IN_RET_HT, K_TEXT},
    [S_SKIP] = {"skip", "忽略列", IN_RET_DETAIL | IN_RET_HT, K_TEXT},
    [S_SEQ] = {"seq", "序号", IN_DETAIL, K_INT},
    [S_LINE_ID] = {"line_id", "明细编号", IN_DETAIL | IN_RET_DETAIL, K_TEXT},
    [S_NAME] = {"name", "收款人姓名", IN_DETAIL, K_TEXT},
    [S_ACCOUNT] = {"account", "账号", IN_DETAIL | IN_RET_DETAIL, K_TEXT},
    [S_ID_NUMBER] = {"id_number", "身份证号码", IN_DETAIL, K_TEXT},
    [S_AMOUNT] = {"amount", "金额", IN_DETAIL | IN_RET_DETAIL, K_MONEY},
    [S_PROGRAMME] = {"programme", "项目", IN_DETAIL | IN_HT, K_TEXT},
    [S_MONTH] = {"month", "发放月份", IN_DETAIL | IN_HT, K_TEXT},
    [S_BATCH_ID] = {"batch_id", "批次号", IN_DETAIL | IN_HT, K_TEXT},
    [S_COUNTY] = {"county", "区县代码", IN_DETAIL | IN_HT, K_TEXT},
    [S_DATE] = {"date", "文件日期", IN_DETAIL | IN_HT, K_TEXT},
    [S_COUNT] = {"count", "总笔数", IN_HT | IN_RET_HT, K_INT},
    [S_SUM] = {"sum", "总金额", IN_HT | IN_RET_HT, K_MONEY},
    [S_STATUS] = {"status", "处理状态", IN_RET_DETAIL, K_TEXT},
    [S_REASON_CODE] = {"reason_code", "失败原因代码", IN_RET_DETAIL, K_TEXT},
    [S_REASON_TEXT] = {"reason_text", "失败原因", IN_RET_DETAIL, K_TEXT},
    [S_PAID_COUNT] = {"paid_count", "成功笔数", IN_RET_HT, K_INT},
    [S_PAID_SUM] = {"paid_sum", "成功金额", IN_RET_HT, K_MONEY},
};
#define N_SOURCES (sizeof(sources) / sizeof(sources[0]))

enum fmt { F_TEXT, F_FEN, F_YUAN, F_DIGITS };
enum quote { Q_MINIMAL, Q_ALL, Q_NONE };

struct col {
    enum src src;
    enum fmt fmt;
    int width;  /* fixed width: bytes of the file's encoding */
    char align; /* 'l' or 'r' */
    char pad;   /* ' ' or '0' */
    int optional;
    char text[64]; /* a const's value, UTF-8 */
};

struct rec {
    struct col cols[MAX_COLS];
    int n;
    long ln; /* the template line of its section */
};

#define CODES_MAX 8
struct layout {
    int set; /* its section was given */
    long ln; /* the template line of its first section */
    int enc_set, format_set, eol_set, delim_set, quote_set;
    enum enc_kind enc;
    int fixed;
    char delim;
    enum quote quote;
    int crlf;
    struct rec head[MAX_HT], detail, tail[MAX_HT];
    int nhead, ntail;
    char paid[CODES_MAX][32], failed[CODES_MAX][32];
    int npaid, nfailed;
};

struct bank_template {
    char name[128];
    struct layout file, ret;
};

/* ---- errors ---- */

static const char *
field_zh(const char *field)
{
    for (size_t i = 0; i < N_SOURCES; i++)
        if (strcmp(sources[i].name, field) == 0)
            return sources[i].zh;
    return strcmp(field, "line") == 0 ? "整行" : "模板";
}

/* Fills e for line and field with what (English) and what_zh, and
 * returns DD_EINVAL. */
static enum dd_status
bad(struct bank_error *e, const char *code, long line, const char *field,
    const char *what, const char *what_zh)
{
    e->line = line;
    e->code = code;
    str_copy(e->field, sizeof(e->field), field);
    snprintf(e->en, sizeof(e->en), "line %ld, field %s: %s", line, field, what);
    snprintf(e->zh, sizeof(e->zh), "第%ld行，%s（%s）：%s", line,
             field_zh(field), field, what_zh);
    return DD_EINVAL;
}

enum dd_status
bank_error_dd(const struct bank_error *e, struct dd_error *err)
{
    return dd_invalid(err, e->code, e->field, e->en, e->zh);
}

/* ---- templates ---- */

static char *
trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

static enum dd_status
tpl_bad(struct bank_error *e, long line, const char *what, const char *zh)
{
    return bad(e, "BANK_TEMPLATE", line, "template", what, zh);
}

/* Parses "name=value" options after a column's source. */
static enum dd_status
parse_option(struct col *c, char *tok, long ln, struct bank_error *e)
{
    char *eq = strchr(tok, '=');
    if (strcmp(tok, "optional") == 0) {
        c->optional = 1;
        return DD_OK;
    }
    if (!eq)
        return tpl_bad(e, ln, "an option is name=value", "选项须写成 名称=值");
    *eq = '\0';
    const char *k = tok, *v = eq + 1;
    if (strcmp(k, "width") == 0) {
        char *end;
        long w = strtol(v, &end, 10);
        if (*end || w < 1 || w > 512)
            return tpl_bad(e, ln, "width is a number from 1 to 512",
                           "width 须为 1 至 512 的整数");
        c->width = (int)w;
    } else if (strcmp(k, "align") == 0 &&
               (!strcmp(v, "left") || !strcmp(v, "right"))) {
        c->align = v[0];
    } else if (strcmp(k, "pad") == 0 &&
               (!strcmp(v, "space") || !strcmp(v, "zero"))) {
        c->pad = v[0] == 's' ? ' ' : '0';
    } else if (strcmp(k, "fmt") == 0 &&
               (!strcmp(v, "fen") || !strcmp(v, "yuan") ||
                !strcmp(v, "digits"))) {
        c->fmt = v[0] == 'f' ? F_FEN : v[0] == 'y' ? F_YUAN : F_DIGITS;
    } else {
        return tpl_bad(e, ln, "unknown option or value", "未知的选项或取值");
    }
    return DD_OK;
}

/* A column line: SOURCE [width=N] [align=..] [pad=..] [fmt=..] [optional]
 * or const=TEXT. in says which record it belongs to. */
static enum dd_status
parse_col(struct rec *r, char *s, unsigned in, long ln, struct bank_error *e)
{
    if (r->n == MAX_COLS)
        return tpl_bad(e, ln, "more than 32 columns", "列数超过 32");
    struct col *c = &r->cols[r->n++];
    memset(c, 0, sizeof(*c));
    c->align = 'l';
    c->pad = ' ';
    char *save = NULL, *tok = strtok_r(s, " \t", &save);
    size_t i;
    if (strncmp(tok, "const=", 6) == 0) {
        c->src = S_CONST;
        if (strlen(tok + 6) >= sizeof(c->text))
            return tpl_bad(e, ln, "a const is at most 63 bytes",
                           "固定值不超过 63 字节");
        str_copy(c->text, sizeof(c->text), tok + 6);
    } else {
        for (i = 0; i < N_SOURCES; i++)
            if (i != S_CONST && strcmp(tok, sources[i].name) == 0)
                break;
        if (i == N_SOURCES || !(sources[i].in & in))
            return tpl_bad(e, ln, "not a source this line may hold",
                           "该行不能使用此数据来源");
        c->src = (enum src)i;
    }
    while ((tok = strtok_r(NULL, " \t", &save)) != NULL) {
        enum dd_status rc = parse_option(c, tok, ln, e);
        if (rc != DD_OK)
            return rc;
    }
    if (sources[c->src].kind == K_MONEY && c->fmt != F_FEN && c->fmt != F_YUAN)
        return tpl_bad(e, ln, "an amount needs fmt=fen or fmt=yuan",
                       "金额列须写明 fmt=fen 或 fmt=yuan");
    if (sources[c->src].kind != K_MONEY &&
        (c->fmt == F_FEN || c->fmt == F_YUAN))
        return tpl_bad(e, ln, "fmt=fen and fmt=yuan are for amounts",
                       "fmt=fen 与 fmt=yuan 只用于金额列");
    return DD_OK;
}

static enum dd_status
parse_codes(char (*codes)[32], int *n, char *v, long ln, struct bank_error *e)
{
    char *save = NULL;
    for (char *t = strtok_r(v, " \t", &save); t;
         t = strtok_r(NULL, " \t", &save)) {
        if (*n == CODES_MAX || strlen(t) >= 32)
            return tpl_bad(e, ln, "at most 8 status codes of 31 bytes",
                           "状态代码最多 8 个，每个不超过 31 字节");
        str_copy(codes[(*n)++], 32, t);
    }
    return DD_OK;
}

static enum dd_status
parse_setting(struct bank_template *t, struct layout *L, char *k, char *v,
              long ln, struct bank_error *e)
{
    if (strcmp(k, "name") == 0 && L == &t->file) {
        str_copy(t->name, sizeof(t->name), v);
    } else if (strcmp(k, "encoding") == 0 &&
               (!strcmp(v, "UTF-8") || !strcmp(v, "GB18030"))) {
        L->enc = v[0] == 'U' ? ENC_UTF8 : ENC_GB18030;
        L->enc_set = 1;
    } else if (strcmp(k, "format") == 0 &&
               (!strcmp(v, "csv") || !strcmp(v, "fixed"))) {
        L->fixed = v[0] == 'f';
        L->format_set = 1;
    } else if (strcmp(k, "eol") == 0 &&
               (!strcmp(v, "CRLF") || !strcmp(v, "LF"))) {
        L->crlf = v[0] == 'C';
        L->eol_set = 1;
    } else if (strcmp(k, "delimiter") == 0 &&
               (!strcmp(v, "tab") || (strlen(v) == 1 && strchr(",|;", *v)))) {
        L->delim = *v == 't' ? '\t' : *v;
        L->delim_set = 1;
    } else if (strcmp(k, "quote") == 0 &&
               (!strcmp(v, "minimal") || !strcmp(v, "all") ||
                !strcmp(v, "none"))) {
        L->quote = v[0] == 'm' ? Q_MINIMAL : v[0] == 'a' ? Q_ALL : Q_NONE;
        L->quote_set = 1;
    } else if (strcmp(k, "paid") == 0 && L == &t->ret) {
        return parse_codes(L->paid, &L->npaid, v, ln, e);
    } else if (strcmp(k, "failed") == 0 && L == &t->ret) {
        return parse_codes(L->failed, &L->nfailed, v, ln, e);
    } else {
        return tpl_bad(e, ln, "unknown setting or value", "未知的设置项或取值");
    }
    return DD_OK;
}

static int
rec_has(const struct rec *r, enum src s)
{
    for (int i = 0; i < r->n; i++)
        if (r->cols[i].src == s)
            return 1;
    return 0;
}

/* A record's columns agree with its layout's format. */
static enum dd_status
check_rec(const struct layout *L, const struct rec *r, const char *what,
          struct bank_error *e)
{
    long ln = r->ln ? r->ln : L->ln;
    char en[128], zh[128];
    if (r->n == 0) {
        snprintf(en, sizeof(en), "[%s] has no columns", what);
        snprintf(zh, sizeof(zh), "[%s] 没有列", what);
        return tpl_bad(e, ln, en, zh);
    }
    for (int i = 0; i < r->n; i++)
        if (L->fixed != (r->cols[i].width > 0)) {
            snprintf(en, sizeof(en),
                     "[%s] column %d: width= is required "
                     "in fixed width and refused in CSV",
                     what, i + 1);
            snprintf(zh, sizeof(zh),
                     "[%s] 第%d列：定长格式必须、CSV "
                     "格式不得写 width=",
                     what, i + 1);
            return tpl_bad(e, ln, en, zh);
        }
    return DD_OK;
}

static enum dd_status
check_layout(const struct layout *L, int ret, struct bank_error *e)
{
    long ln = L->ln;
    const char *sec = ret ? "return" : "file";
    char en[128], zh[128];
    if (!L->enc_set || !L->format_set || !L->eol_set ||
        (!L->fixed && (!L->delim_set || !L->quote_set))) {
        snprintf(en, sizeof(en),
                 "[%s] needs encoding, format, eol and, "
                 "for CSV, delimiter and quote",
                 sec);
        snprintf(zh, sizeof(zh),
                 "[%s] 须写明 encoding、format、eol，CSV "
                 "还须写明 delimiter 与 quote",
                 sec);
        return tpl_bad(e, ln, en, zh);
    }
    enum dd_status rc;
    for (int i = 0; i < L->nhead; i++)
        if ((rc = check_rec(L, &L->head[i], "header", e)) != DD_OK)
            return rc;
    for (int i = 0; i < L->ntail; i++)
        if ((rc = check_rec(L, &L->tail[i], "trailer", e)) != DD_OK)
            return rc;
    if ((rc = check_rec(L, &L->detail, "detail", e)) != DD_OK)
        return rc;
    if (ret &&
        (!rec_has(&L->detail, S_LINE_ID) || !rec_has(&L->detail, S_AMOUNT) ||
         !rec_has(&L->detail, S_STATUS) || !L->npaid || !L->nfailed))
        return tpl_bad(e, L->detail.ln ? L->detail.ln : ln,
                       "[return.detail] needs line_id, amount and "
                       "status, and [return] paid and failed codes",
                       "[return.detail] 须有 line_id、amount、status 列，"
                       "[return] 须写明 paid 与 failed 代码");
    return DD_OK;
}

/* Which record a section header names: *L, and *r (NULL for the settings
 * sections) with the sources it may hold in *in. */
static int
section(struct bank_template *t, const char *s, struct layout **L,
        struct rec **r, unsigned *in)
{
    int ret = strncmp(s, "return", 6) == 0;
    *L = ret ? &t->ret : &t->file;
    const char *rest = ret ? s + 6 : s;
    if (ret && *rest == '.')
        rest++;
    *r = NULL;
    if ((ret && *rest == '\0') || (!ret && strcmp(s, "file") == 0))
        return 1;
    if (strcmp(rest, "detail") == 0) {
        *r = &(*L)->detail;
        *in = ret ? IN_RET_DETAIL : IN_DETAIL;
        return 1;
    }
    int head = strcmp(rest, "header") == 0;
    if (!head && strcmp(rest, "trailer") != 0)
        return 0;
    int *n = head ? &(*L)->nhead : &(*L)->ntail;
    if (*n == MAX_HT)
        return 0;
    *r = head ? &(*L)->head[(*n)++] : &(*L)->tail[(*n)++];
    *in = ret ? IN_RET_HT : IN_HT;
    return 1;
}

static enum dd_status
parse_text(struct bank_template *t, char *text, struct bank_error *e)
{
    struct layout *L = NULL;
    struct rec *r = NULL;
    unsigned in = 0;
    long ln = 0;
    enum dd_status rc = DD_OK;
    for (char *line = text, *next; line && rc == DD_OK; line = next) {
        ln++;
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        char *s = trim(line);
        if (*s == '\0' || *s == '#')
            continue;
        size_t n = strlen(s);
        if (*s == '[') {
            if (s[n - 1] != ']')
                return tpl_bad(e, ln, "a section is [name]",
                               "节名须写成 [名称]");
            s[n - 1] = '\0';
            if (!section(t, s + 1, &L, &r, &in))
                return tpl_bad(
                    e, ln,
                    "unknown section, or too many header or trailer lines",
                    "未知的节，或表头、表尾行过多");
            L->set = 1;
            if (r)
                r->ln = ln;
            if (!L->ln)
                L->ln = ln;
        } else if (!L) {
            return tpl_bad(e, ln, "text before the first section",
                           "第一个节之前不得有内容");
        } else if (r) {
            rc = parse_col(r, s, in, ln, e);
        } else {
            char *eq = strchr(s, '=');
            if (!eq)
                return tpl_bad(e, ln, "a setting is name = value",
                               "设置项须写成 名称 = 值");
            *eq = '\0';
            rc = parse_setting(t, L, trim(s), trim(eq + 1), ln, e);
        }
    }
    if (rc != DD_OK)
        return rc;
    if (!t->file.set || (rc = check_layout(&t->file, 0, e)) != DD_OK)
        return rc != DD_OK
                   ? rc
                   : tpl_bad(e, ln, "no [file] section", "缺少 [file] 节");
    if (t->ret.set)
        rc = check_layout(&t->ret, 1, e);
    return rc;
}

enum dd_status
bank_template_parse(const char *text, size_t len, struct bank_template **out,
                    struct bank_error *e)
{
    *out = NULL;
    if (len > TEMPLATE_MAX || memchr(text, '\0', len))
        return tpl_bad(e, 0, "over 256 KiB or holds a NUL byte",
                       "超过 256 KiB 或含有 NUL 字节");
    struct enc_utf8_state u = {0};
    enc_utf8_feed(&u, text, len);
    if (!enc_utf8_finish(&u))
        return tpl_bad(e, 0, "a template is UTF-8", "模板须为 UTF-8 编码");
    struct bank_template *t = calloc(1, sizeof(*t));
    char *copy = calloc(1, len + 1);
    if (!t || !copy) {
        free(t);
        free(copy);
        return DD_ENOMEM;
    }
    memcpy(copy, text, len);
    enum dd_status rc = parse_text(t, copy, e);
    free(copy);
    if (rc != DD_OK) {
        free(t);
        return rc;
    }
    *out = t;
    return DD_OK;
}

enum dd_status
bank_template_load(const char *path, struct bank_template **out,
                   struct bank_error *e)
{
    char *text;
    size_t len;
    *out = NULL;
    enum dd_status rc = buf_file_read(path, TEMPLATE_MAX, &text, &len);
    if (rc == DD_ENOTFOUND || rc == DD_EINVAL) {
        bad(e, "BANK_TEMPLATE", 0, "template", "cannot be read",
            "无法读取模板文件");
        return rc;
    }
    if (rc != DD_OK)
        return rc;
    rc = bank_template_parse(text, len, out, e);
    free(text);
    return rc;
}

void
bank_template_free(struct bank_template *t)
{
    free(t);
}

const char *
bank_template_name(const struct bank_template *t)
{
    return t->name;
}

/* ---- values ---- */

/* Converts in[0..len) through cd (or, when cd is (iconv_t)-1, checks it
 * is UTF-8 and copies it) into out of cap bytes, NUL-terminated, its
 * length in *olen. -1 when the bytes are invalid or do not fit. */
static int
convert(iconv_t cd, const char *in, size_t len, char *out, size_t cap,
        size_t *olen)
{
    if (cd == (iconv_t)-1) {
        struct enc_utf8_state u = {0};
        enc_utf8_feed(&u, in, len);
        if (!enc_utf8_finish(&u) || len >= cap)
            return -1;
        memcpy(out, in, len);
        out[len] = '\0';
        *olen = len;
        return 0;
    }
    char *ip = (char *)in, *op = out;
    size_t il = len, ol = cap - 1;
    iconv(cd, NULL, NULL, NULL, NULL);
    if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1)
        return -1;
    *op = '\0';
    *olen = (size_t)(op - out);
    return 0;
}

static iconv_t
open_cd(enum enc_kind k, int to_file)
{
    if (k == ENC_UTF8)
        return (iconv_t)-1;
    return to_file ? iconv_open("GB18030", "UTF-8")
                   : iconv_open("UTF-8", "GB18030");
}

/* Money as its column writes it: fen "12345" or yuan "123.45". */
static void
money_str(long long fen, enum fmt f, char *out, size_t cap)
{
    if (f == F_FEN)
        snprintf(out, cap, "%lld", fen);
    else
        snprintf(out, cap, "%lld.%02lld", fen / 100, fen % 100);
}

/* ---- the writer ---- */

struct bank_writer {
    const struct layout *L;
    const struct bank_batch *b;
    bank_sink_fn sink;
    void *sink_ctx;
    iconv_t cd;
    struct sm3_ctx *sm3;
    long long count, sum, bytes;
    long line; /* lines of the file written */
    size_t out_len, line_len;
    char val[VALUE_MAX], enc[VALUE_MAX];
    char line_buf[BANK_LINE_MAX + 2];
    char out[OUT_CHUNK];
};

static enum dd_status
flush(struct bank_writer *w)
{
    if (w->out_len == 0)
        return DD_OK;
    sm3_update(w->sm3, w->out, w->out_len);
    w->bytes += (long long)w->out_len;
    enum dd_status rc = w->sink(w->sink_ctx, w->out, w->out_len);
    w->out_len = 0;
    return rc;
}

/* The UTF-8 value of column c into w->val; l is NULL for a header or
 * trailer line, which prints count and sum. */
static void
col_value(struct bank_writer *w, const struct col *c, const struct bank_line *l,
          long long count, long long sum)
{
    const struct bank_batch *b = w->b;
    const char *s = NULL;
    switch (c->src) {
    case S_CONST: s = c->text; break;
    case S_SEQ: snprintf(w->val, sizeof(w->val), "%lld", w->count + 1); break;
    case S_LINE_ID: s = l->line_id; break;
    case S_NAME: s = l->payee_name; break;
    case S_ACCOUNT: s = l->account; break;
    case S_ID_NUMBER: s = l->id_number; break;
    case S_AMOUNT:
        money_str(l->amount_fen, c->fmt, w->val, sizeof(w->val));
        break;
    case S_PROGRAMME: s = l ? l->programme : b->programme; break;
    case S_MONTH: s = l ? l->month : b->month; break;
    case S_BATCH_ID: s = b->batch_id; break;
    case S_COUNTY: s = b->county; break;
    case S_DATE: s = b->date; break;
    case S_COUNT: snprintf(w->val, sizeof(w->val), "%lld", count); break;
    case S_SUM: money_str(sum, c->fmt, w->val, sizeof(w->val)); break;
    default: w->val[0] = '\0'; break; /* the return's sources: not here */
    }
    if (s)
        str_copy(w->val, sizeof(w->val), s);
    if (c->fmt == F_DIGITS) {
        size_t j = 0;
        for (size_t i = 0; w->val[i]; i++)
            if (w->val[i] >= '0' && w->val[i] <= '9')
                w->val[j++] = w->val[i];
        w->val[j] = '\0';
    }
}

static enum dd_status
line_bad(struct bank_writer *w, const struct col *c, const char *en,
         const char *zh, struct bank_error *e)
{
    return bad(e, "BANK_LINE", w->line + 1, sources[c->src].name, en, zh);
}

/* Appends column c (its value in w->val) to the line being built. */
static enum dd_status
put_col(struct bank_writer *w, const struct col *c, int first,
        struct bank_error *e)
{
    const struct layout *L = w->L;
    const char *v = w->val;
    if (*v == '\0' && c->src != S_CONST && !c->optional)
        return line_bad(w, c, "missing", "缺少取值", e);
    for (const char *p = v; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7F)
            return line_bad(w, c, "holds a line break or a control character",
                            "含有换行或控制字符", e);
    int quote = 0;
    if (!L->fixed) {
        quote = L->quote == Q_ALL || (strchr(v, L->delim) || strchr(v, '"'));
        if (quote && L->quote == Q_NONE)
            return line_bad(w, c,
                            "holds the delimiter or a quote, and the template "
                            "allows no quoting",
                            "含有分隔符或引号，而模板不允许加引号", e);
    }
    size_t n;
    if (convert(w->cd, v, strlen(v), w->enc, sizeof(w->enc), &n) != 0)
        return line_bad(w, c, "not valid UTF-8, or too long",
                        "不是有效的 UTF-8 文本，或过长", e);
    size_t room = BANK_LINE_MAX - w->line_len;
    char *o = w->line_buf + w->line_len;
    size_t k = 0;
    if (L->fixed) {
        size_t width = (size_t)c->width;
        if (n > width) {
            char en[96], zh[96];
            snprintf(en, sizeof(en), "%zu bytes, wider than its %zu", n, width);
            snprintf(zh, sizeof(zh), "%zu 字节，超过列宽 %zu 字节", n, width);
            return line_bad(w, c, en, zh, e);
        }
        if (width > room)
            return line_bad(w, c, "the line is too long", "该行过长", e);
        size_t fill = width - n;
        size_t at = c->align == 'r' ? fill : 0;
        memset(o, c->pad, width);
        memcpy(o + at, w->enc, n);
        k = width;
    } else {
        /* the worst case: a delimiter, quotes, every byte doubled */
        if (2 * n + 3 > room)
            return line_bad(w, c, "the line is too long", "该行过长", e);
        if (!first)
            o[k++] = L->delim;
        if (quote)
            o[k++] = '"';
        for (size_t i = 0; i < n; i++) {
            if (quote && w->enc[i] == '"')
                o[k++] = '"';
            o[k++] = w->enc[i];
        }
        if (quote)
            o[k++] = '"';
    }
    w->line_len += k;
    return DD_OK;
}

/* Builds one line of r and hands it to the buffer. */
static enum dd_status
put_rec(struct bank_writer *w, const struct rec *r, const struct bank_line *l,
        long long count, long long sum, struct bank_error *e)
{
    w->line_len = 0;
    for (int i = 0; i < r->n; i++) {
        col_value(w, &r->cols[i], l, count, sum);
        enum dd_status rc = put_col(w, &r->cols[i], i == 0, e);
        if (rc != DD_OK)
            return rc;
    }
    if (w->L->crlf)
        w->line_buf[w->line_len++] = '\r';
    w->line_buf[w->line_len++] = '\n';
    if (w->out_len + w->line_len > sizeof(w->out)) {
        enum dd_status rc = flush(w);
        if (rc != DD_OK)
            return rc;
    }
    memcpy(w->out + w->out_len, w->line_buf, w->line_len);
    w->out_len += w->line_len;
    w->line++;
    return DD_OK;
}

void
bank_writer_free(struct bank_writer *w)
{
    if (!w)
        return;
    if (w->cd != (iconv_t)-1)
        iconv_close(w->cd);
    sm3_free(w->sm3);
    free(w);
}

enum dd_status
bank_writer_new(const struct bank_template *t, const struct bank_batch *b,
                bank_sink_fn sink, void *sink_ctx, struct bank_writer **out,
                struct bank_error *e)
{
    *out = NULL;
    struct bank_writer *w = calloc(1, sizeof(*w));
    if (!w)
        return DD_ENOMEM;
    w->L = &t->file;
    w->b = b;
    w->sink = sink;
    w->sink_ctx = sink_ctx;
    w->cd = open_cd(w->L->enc, 1);
    w->sm3 = sm3_new();
    if (!w->sm3 || (w->L->enc != ENC_UTF8 && w->cd == (iconv_t)-1)) {
        bank_writer_free(w);
        return DD_ENOMEM;
    }
    for (int i = 0; i < w->L->nhead; i++) {
        enum dd_status rc =
            put_rec(w, &w->L->head[i], NULL, b->count, b->sum_fen, e);
        if (rc != DD_OK) {
            bank_writer_free(w);
            return rc;
        }
    }
    *out = w;
    return DD_OK;
}

enum dd_status
bank_writer_line(struct bank_writer *w, const struct bank_line *l,
                 struct bank_error *e)
{
    const struct col amount = {.src = S_AMOUNT};
    if (l->amount_fen <= 0)
        return line_bad(w, &amount, "not above 0", "须大于 0", e);
    if (l->amount_fen > (long long)9e17 - w->sum)
        return line_bad(w, &amount, "the batch total is too large",
                        "批次总金额过大", e);
    enum dd_status rc = put_rec(w, &w->L->detail, l, 0, 0, e);
    if (rc != DD_OK)
        return rc;
    w->count++;
    w->sum += l->amount_fen;
    return DD_OK;
}

enum dd_status
bank_writer_finish(struct bank_writer *w, struct bank_result *res,
                   struct bank_error *e)
{
    if (w->count != w->b->count || w->sum != w->b->sum_fen)
        return bad(e, "BANK_TOTALS", w->line,
                   w->count != w->b->count ? "count" : "sum",
                   "the lines written differ from the batch's total",
                   "写出的明细与批次总数不符");
    for (int i = 0; i < w->L->ntail; i++) {
        enum dd_status rc =
            put_rec(w, &w->L->tail[i], NULL, w->count, w->sum, e);
        if (rc != DD_OK)
            return rc;
    }
    enum dd_status rc = flush(w);
    if (rc != DD_OK)
        return rc;
    unsigned char d[SM3_DIGEST_LEN];
    sm3_final(w->sm3, d);
    hex_encode(d, sizeof(d), res->sm3_hex);
    res->count = w->count;
    res->sum_fen = w->sum;
    res->bytes = w->bytes;
    return DD_OK;
}

/* ---- the return-file reader ---- */

struct pending {
    long line;
    size_t len;
    char text[BANK_LINE_MAX + 1];
};

struct reader {
    const struct layout *L;
    csv_source_fn src;
    void *src_ctx;
    iconv_t cd;
    int eof;
    size_t in_len, in_pos;
    long line;
    /* the header's and trailer's control totals, -1 when not given */
    long long want[4]; /* count, sum, paid_count, paid_sum */
    long want_line[4];
    const struct col *want_col[4];
    struct bank_return_totals got;
    char *vals[MAX_COLS];
    long long nums[MAX_COLS];
    struct pending ring[MAX_HT + 1], cur;
    char conv[2 * BANK_LINE_MAX + 1];
    char in[OUT_CHUNK];
};

/* The next raw line into r->cur (its line end dropped): 1, or 0 at the
 * end of the input. */
static enum dd_status
next_line(struct reader *r, int *got, struct bank_error *e)
{
    struct pending *p = &r->cur;
    p->len = 0;
    *got = 0;
    int any = 0;
    for (;;) {
        if (r->in_pos == r->in_len) {
            if (r->eof)
                break;
            size_t n = 0;
            enum dd_status rc = r->src(r->src_ctx, r->in, sizeof(r->in), &n);
            if (rc != DD_OK)
                return rc;
            r->in_len = n, r->in_pos = 0;
            if (n == 0) {
                r->eof = 1;
                break;
            }
        }
        any = 1;
        const char *s = r->in + r->in_pos;
        size_t avail = r->in_len - r->in_pos;
        const char *nl = memchr(s, '\n', avail);
        size_t take = nl ? (size_t)(nl - s) : avail;
        if (p->len + take > BANK_LINE_MAX)
            return bad(e, "BANK_RETURN", r->line + 1, "line",
                       "longer than 4096 bytes", "超过 4096 字节");
        memcpy(p->text + p->len, s, take);
        p->len += take;
        r->in_pos += take + (nl ? 1 : 0);
        if (nl)
            break;
    }
    if (!any)
        return DD_OK;
    if (p->len && p->text[p->len - 1] == '\r')
        p->len--;
    p->text[p->len] = '\0';
    p->line = ++r->line;
    if (memchr(p->text, '\0', p->len))
        return bad(e, "BANK_RETURN", p->line, "line", "holds a NUL byte",
                   "含有 NUL 字节");
    *got = 1;
    return DD_OK;
}

static enum dd_status
ret_bad(const struct pending *p, const struct col *c, const char *en,
        const char *zh, struct bank_error *e)
{
    return bad(e, "BANK_RETURN", p->line, c ? sources[c->src].name : "line", en,
               zh);
}

/* Splits p's line into r->vals (UTF-8 in r->conv) by rec's columns. */
static enum dd_status
split_fixed(struct reader *r, const struct pending *p, const struct rec *rec,
            struct bank_error *e)
{
    size_t total = 0, off = 0, at = 0;
    for (int i = 0; i < rec->n; i++)
        total += (size_t)rec->cols[i].width;
    if (p->len != total) {
        char en[96], zh[96];
        snprintf(en, sizeof(en), "%zu bytes, the template's lines are %zu",
                 p->len, total);
        snprintf(zh, sizeof(zh), "长 %zu 字节，模板规定为 %zu 字节", p->len,
                 total);
        return ret_bad(p, NULL, en, zh, e);
    }
    for (int i = 0; i < rec->n; i++) {
        size_t w = (size_t)rec->cols[i].width, n;
        if (convert(r->cd, p->text + off, w, r->conv + at, sizeof(r->conv) - at,
                    &n) != 0)
            return ret_bad(p, &rec->cols[i], "not valid in the file's encoding",
                           "不符合文件的字符编码", e);
        r->vals[i] = trim(r->conv + at);
        off += w;
        at += n + 1;
    }
    return DD_OK;
}

static enum dd_status
split_csv(struct reader *r, const struct pending *p, const struct rec *rec,
          struct bank_error *e)
{
    size_t n;
    if (convert(r->cd, p->text, p->len, r->conv, sizeof(r->conv), &n) != 0)
        return ret_bad(p, NULL, "not valid in the file's encoding",
                       "不符合文件的字符编码", e);
    char *s = r->conv, *o = r->conv;
    if (p->line == 1 && r->cd == (iconv_t)-1 &&
        strncmp(s, "\xEF\xBB\xBF", 3) == 0)
        s += 3, o += 3;
    int k = 0, more = 0;
    for (;;) {
        if (k == rec->n) { /* a delimiter after the last value */
            more = 1;
            break;
        }
        char *start = o;
        if (*s == '"') {
            for (s++;; s++) {
                if (*s == '\0')
                    return ret_bad(p, &rec->cols[k], "an unclosed quote",
                                   "引号未闭合", e);
                if (*s == '"' && s[1] != '"')
                    break;
                if (*s == '"')
                    s++;
                *o++ = *s;
            }
            s++;
            if (*s && *s != r->L->delim)
                return ret_bad(p, &rec->cols[k], "text after a closing quote",
                               "闭合引号后还有文字", e);
        } else {
            for (; *s && *s != r->L->delim; s++) {
                if (*s == '"')
                    return ret_bad(p, &rec->cols[k],
                                   "a quote inside an unquoted value",
                                   "未加引号的值中有引号", e);
                *o++ = *s;
            }
        }
        char end = *s;
        *o++ = '\0';
        r->vals[k++] = start;
        if (end == '\0')
            break;
        s++;
    }
    if (k != rec->n || more) {
        char en[96], zh[96];
        snprintf(en, sizeof(en), "the template's lines have %d values", rec->n);
        snprintf(zh, sizeof(zh), "列数不符，模板规定为 %d 列", rec->n);
        return ret_bad(p, NULL, en, zh, e);
    }
    return DD_OK;
}

/* Parses an amount ("12345" fen, or "123.45" yuan) or a count. -1 when
 * malformed. */
static long long
parse_num(const char *s, enum fmt f)
{
    long long v = 0;
    int digits = 0;
    for (; *s >= '0' && *s <= '9'; s++, digits++) {
        if (digits == 15)
            return -1;
        v = v * 10 + (*s - '0');
    }
    if (!digits)
        return -1;
    if (f == F_YUAN) {
        if (s[0] != '.' || s[1] < '0' || s[1] > '9' || s[2] < '0' || s[2] > '9')
            return -1;
        v = v * 100 + (s[1] - '0') * 10 + (s[2] - '0');
        s += 3;
    }
    return *s ? -1 : v;
}

/* Splits and checks p's line against rec: consts, numbers, required
 * values. */
static enum dd_status
parse_rec(struct reader *r, const struct pending *p, const struct rec *rec,
          struct bank_error *e)
{
    enum dd_status rc =
        r->L->fixed ? split_fixed(r, p, rec, e) : split_csv(r, p, rec, e);
    if (rc != DD_OK)
        return rc;
    for (int i = 0; i < rec->n; i++) {
        const struct col *c = &rec->cols[i];
        const char *v = r->vals[i];
        if (c->src == S_CONST && strcmp(v, c->text) != 0) {
            char en[128], zh[128];
            snprintf(en, sizeof(en), "must be \"%s\"", c->text);
            snprintf(zh, sizeof(zh), "须为“%s”", c->text);
            return ret_bad(p, c, en, zh, e);
        }
        if (sources[c->src].kind != K_TEXT &&
            (r->nums[i] = parse_num(v, c->fmt)) < 0)
            return ret_bad(p, c,
                           c->fmt == F_YUAN
                               ? "not an amount in yuan with two decimals"
                           : c->fmt == F_FEN ? "not an amount in whole fen"
                                             : "not a whole number",
                           c->fmt == F_YUAN ? "不是两位小数的元金额"
                           : c->fmt == F_FEN ? "不是以分为单位的整数金额"
                                             : "不是整数",
                           e);
        if ((c->src == S_LINE_ID || c->src == S_ACCOUNT ||
             c->src == S_STATUS) &&
            *v == '\0')
            return ret_bad(p, c, "missing", "缺少取值", e);
    }
    return DD_OK;
}

static int
code_in(const char (*codes)[32], int n, const char *v)
{
    for (int i = 0; i < n; i++)
        if (strcmp(codes[i], v) == 0)
            return 1;
    return 0;
}

static enum dd_status
ret_detail(struct reader *r, const struct pending *p, bank_return_fn fn,
           void *ctx, struct bank_error *e)
{
    const struct rec *rec = &r->L->detail;
    enum dd_status rc = parse_rec(r, p, rec, e);
    if (rc != DD_OK)
        return rc;
    struct bank_return_line l = {.line = p->line,
                                 .line_id = "",
                                 .account = "",
                                 .reason_code = "",
                                 .reason_text = ""};
    const struct col *status = NULL;
    int has_reason = 0;
    for (int i = 0; i < rec->n; i++) {
        const struct col *c = &rec->cols[i];
        const char *v = r->vals[i];
        switch (c->src) {
        case S_LINE_ID: l.line_id = v; break;
        case S_ACCOUNT: l.account = v; break;
        case S_REASON_CODE:
            l.reason_code = v;
            has_reason = 1;
            break;
        case S_REASON_TEXT:
            l.reason_text = v;
            has_reason = 1;
            break;
        case S_AMOUNT:
            l.amount_fen = r->nums[i];
            if (l.amount_fen == 0)
                return ret_bad(p, c, "not above 0", "须大于 0", e);
            break;
        case S_STATUS:
            status = c;
            if (code_in(r->L->paid, r->L->npaid, v))
                l.status = BANK_PAID;
            else if (code_in(r->L->failed, r->L->nfailed, v))
                l.status = BANK_FAILED;
            else
                return ret_bad(p, c, "neither a paid nor a failed code",
                               "既不是成功代码也不是失败代码", e);
            break;
        default: break;
        }
    }
    if (l.status == BANK_FAILED && has_reason && !*l.reason_code &&
        !*l.reason_text)
        return ret_bad(p, status, "failed without a reason", "失败但未给出原因",
                       e);
    r->got.count++;
    r->got.sum_fen += l.amount_fen;
    if (l.status == BANK_PAID) {
        r->got.paid_count++;
        r->got.paid_sum_fen += l.amount_fen;
    }
    return fn(ctx, &l);
}

/* A header or trailer line: its control totals into r->want, checked at
 * the end (a header's come before the lines). */
static enum dd_status
ret_control(struct reader *r, const struct pending *p, const struct rec *rec,
            struct bank_error *e)
{
    enum dd_status rc = parse_rec(r, p, rec, e);
    for (int i = 0; rc == DD_OK && i < rec->n; i++) {
        int k = rec->cols[i].src == S_COUNT        ? 0
                : rec->cols[i].src == S_SUM        ? 1
                : rec->cols[i].src == S_PAID_COUNT ? 2
                : rec->cols[i].src == S_PAID_SUM   ? 3
                                                   : -1;
        if (k < 0)
            continue;
        if (r->want[k] >= 0 && r->want[k] != r->nums[i])
            return ret_bad(p, &rec->cols[i], "differs from the header's",
                           "与表头的控制数不符", e);
        r->want[k] = r->nums[i];
        r->want_line[k] = p->line;
        r->want_col[k] = &rec->cols[i];
    }
    return rc;
}

/* The control totals given against the lines read. */
static enum dd_status
check_totals(const struct reader *r, struct bank_error *e)
{
    const long long got[4] = {r->got.count, r->got.sum_fen, r->got.paid_count,
                              r->got.paid_sum_fen};
    for (int k = 0; k < 4; k++)
        if (r->want[k] >= 0 && r->want[k] != got[k]) {
            const struct col *c = r->want_col[k];
            char en[160], zh[160], a[32], b[32];
            if (sources[c->src].kind == K_MONEY) {
                money_str(r->want[k], F_YUAN, a, sizeof(a));
                money_str(got[k], F_YUAN, b, sizeof(b));
            } else {
                snprintf(a, sizeof(a), "%lld", r->want[k]);
                snprintf(b, sizeof(b), "%lld", got[k]);
            }
            snprintf(en, sizeof(en),
                     "the control total %s differs from the lines' %s", a, b);
            snprintf(zh, sizeof(zh), "控制数 %s 与明细合计 %s 不符", a, b);
            return bad(e, "BANK_RETURN", r->want_line[k], sources[c->src].name,
                       en, zh);
        }
    return DD_OK;
}

static enum dd_status
read_lines(struct reader *r, bank_return_fn fn, void *ctx, struct bank_error *e)
{
    const struct layout *L = r->L;
    int got, held = 0; /* lines in the ring, the oldest at first */
    size_t first = 0, ring = (size_t)L->ntail + 1;
    long blank = 0; /* an empty line, refused unless only more follow */
    enum dd_status rc;
    while ((rc = next_line(r, &got, e)) == DD_OK && got) {
        const struct pending *p = &r->cur;
        if (p->len == 0) {
            blank = blank ? blank : p->line;
            continue;
        }
        if (blank)
            return bad(e, "BANK_RETURN", blank, "line", "an empty line",
                       "空行");
        if (p->line <= L->nhead) {
            rc = ret_control(r, p, &L->head[p->line - 1], e);
            if (rc != DD_OK)
                return rc;
            continue;
        }
        r->ring[(first + (size_t)held) % ring] = *p;
        if ((size_t)++held == ring) {
            rc = ret_detail(r, &r->ring[first], fn, ctx, e);
            if (rc != DD_OK)
                return rc;
            first = (first + 1) % ring;
            held--;
        }
    }
    if (rc != DD_OK)
        return rc;
    if ((blank ? blank - 1 : r->line) < L->nhead || held < L->ntail)
        return bad(e, "BANK_RETURN", r->line, "line",
                   "the file ends before its header or trailer lines",
                   "文件在表头或表尾行之前结束");
    for (int i = 0; i < L->ntail; i++) {
        rc = ret_control(r, &r->ring[(first + (size_t)i) % ring], &L->tail[i],
                         e);
        if (rc != DD_OK)
            return rc;
    }
    return check_totals(r, e);
}

enum dd_status
bank_read_return(const struct bank_template *t, csv_source_fn src,
                 void *src_ctx, bank_return_fn fn, void *ctx,
                 struct bank_return_totals *out, struct bank_error *e)
{
    if (!t->ret.set)
        return bad(e, "BANK_TEMPLATE", 0, "template",
                   "the template has no [return] format",
                   "模板没有回盘文件格式（[return]）");
    struct reader *r = calloc(1, sizeof(*r));
    if (!r)
        return DD_ENOMEM;
    r->L = &t->ret;
    r->src = src;
    r->src_ctx = src_ctx;
    r->cd = open_cd(r->L->enc, 0);
    for (int k = 0; k < 4; k++)
        r->want[k] = -1;
    enum dd_status rc = DD_ENOMEM;
    if (r->L->enc == ENC_UTF8 || r->cd != (iconv_t)-1)
        rc = read_lines(r, fn, ctx, e);
    if (rc == DD_OK)
        *out = r->got;
    if (r->cd != (iconv_t)-1)
        iconv_close(r->cd);
    free(r);
    return rc;
}
