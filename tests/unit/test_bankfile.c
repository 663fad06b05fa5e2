/* SPDX-License-Identifier: MIT */
/* Bank payment files: the shipped templates (data/banks/) written byte for
 * byte for a hand-worked 3-line roster (GB18030 names, control count and
 * sum), a million lines streamed in fixed memory, return files read and
 * refused line by line, and template errors. */
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "unit_main.h"

#include "crypto/sm3.h"
#include "io/bankfile.h"

/* data/banks/NAME in this source tree. */
static const char *
tpl_path(const char *name)
{
    static char path[512];
    snprintf(path, sizeof(path), "%s/data/banks/%s", DOUDI_SOURCE_DIR, name);
    return path;
}

static struct bank_template *
load(const char *name)
{
    struct bank_template *t = NULL;
    struct bank_error e = {0};
    enum dd_status rc = bank_template_load(tpl_path(name), &t, &e);
    if (rc != DD_OK)
        fail_msg("%s: %s", name, e.en);
    return t;
}

/* A sink into a fixed buffer. */
struct mem_sink {
    char data[8192];
    size_t len;
};

static enum dd_status
mem_put(void *ctx, const void *bytes, size_t len)
{
    struct mem_sink *m = ctx;
    assert_true(m->len + len <= sizeof(m->data));
    memcpy(m->data + m->len, bytes, len);
    m->len += len;
    return DD_OK;
}

static const struct bank_batch batch = {.batch_id = "B202611-500101",
                                        .county = "500101",
                                        .programme = "dibao",
                                        .month = "2026-11",
                                        .date = "2026-12-07",
                                        .count = 3,
                                        .sum_fen = 106057};

/* 张三, 李四 and 王五 (the last one's numbers masked by the caller);
 * 610.00 + 450.50 + 0.07 = 1060.57 yuan. */
static const struct bank_line roster[3] = {
    {"L1", "张三", "6217000000000000001", "500101199001011234", 61000, "dibao",
     "2026-11"},
    {"L2", "李四", "6217000000000000002", "50010119850202234X", 45050, "dibao",
     "2026-11"},
    {"L3", "王五", "6217********0003", "500101********3456", 7, "dibao",
     "2026-11"},
};
#define ZHANG "\xD5\xC5\xC8\xFD" /* 张三 in GB18030 */
#define LI "\xC0\xEE\xCB\xC4"    /* 李四 */
#define WANG "\xCD\xF5\xCE\xE5"  /* 王五 */

/* Writes roster with template name into m; checks the result's totals
 * and that its SM3 is the SM3 of the bytes the sink got. */
static void
write_roster(const char *name, struct mem_sink *m)
{
    struct bank_template *t = load(name);
    struct bank_writer *w;
    struct bank_error e = {0};
    struct bank_result res;
    assert_int_equal(bank_writer_new(t, &batch, mem_put, m, &w, &e), DD_OK);
    for (int i = 0; i < 3; i++)
        assert_int_equal(bank_writer_line(w, &roster[i], &e), DD_OK);
    assert_int_equal(bank_writer_finish(w, &res, &e), DD_OK);
    bank_writer_free(w);
    bank_template_free(t);
    assert_int_equal(res.count, 3);
    assert_int_equal(res.sum_fen, 106057);
    assert_int_equal(res.bytes, (long long)m->len);
    char hex[SM3_HEX_LEN + 1];
    sm3_hex(m->data, m->len, hex);
    assert_string_equal(res.sm3_hex, hex);
}

static void
assert_bytes(const struct mem_sink *m, const char *want)
{
    if (m->len != strlen(want) || memcmp(m->data, want, m->len) != 0)
        fail_msg("got %zu bytes:\n%.*s\nwanted %zu:\n%s", m->len, (int)m->len,
                 m->data, strlen(want), want);
}

TEST_CASE(test_write_yikatong_csv)
{
    static struct mem_sink m;
    m.len = 0;
    write_roster("yikatong-csv.tpl", &m);
    assert_bytes(
        &m,
        "H,B202611-500101,500101,202611,3,1060.57\r\n"
        /* 序号,明细编号,姓名,身份证号码,账号,金额,项目,发放月份 */
        "\xD0\xF2\xBA\xC5,\xC3\xF7\xCF\xB8\xB1\xE0\xBA\xC5,\xD0\xD5\xC3\xFB,"
        "\xC9\xED\xB7\xDD\xD6\xA4\xBA\xC5\xC2\xEB,\xD5\xCB\xBA\xC5,"
        "\xBD\xF0\xB6\xEE,\xCF\xEE\xC4\xBF,\xB7\xA2\xB7\xC5\xD4\xC2\xB7\xDD"
        "\r\n"
        "1,L1," ZHANG ",500101199001011234,6217000000000000001,610.00,"
        "dibao,202611\r\n"
        "2,L2," LI ",50010119850202234X,6217000000000000002,450.50,"
        "dibao,202611\r\n"
        "3,L3," WANG ",500101********3456,6217********0003,0.07,"
        "dibao,202611\r\n"
        "T,3,1060.57\r\n");
}

TEST_CASE(test_write_rcc_fixed)
{
    static struct mem_sink m;
    char want[2048];
    m.len = 0;
    write_roster("rcc-fixed.tpl", &m);
    /* widths in GB18030 bytes: a two-character name is 4 of its 40 */
    snprintf(want, sizeof(want),
             "H%-20s500101"
             "202611"
             "20261207"
             "00000003"
             "000000000106057"
             "\r\n"
             "D00000001%-32s%-40s500101199001011234000000061000%-32s\r\n"
             "D00000002%-32s%-40s50010119850202234X000000045050%-32s\r\n"
             "D00000003%-32s%-40s500101********3456000000000007%-32s\r\n"
             "T00000003000000000106057\r\n",
             "B202611-500101", "6217000000000000001", ZHANG, "L1",
             "6217000000000000002", LI, "L2", "6217********0003", WANG, "L3");
    assert_bytes(&m, want);
    /* the header is 64 bytes and CRLF; a detail line 1+8+32+40+18+12+32 */
    assert_int_equal(strchr(m.data + 66, '\n') - (m.data + 66), 143 + 1);
}

TEST_CASE(test_write_plain_utf8)
{
    static struct mem_sink m;
    m.len = 0;
    write_roster("plain-utf8.tpl", &m);
    assert_bytes(&m, "B202611-500101|500101|dibao|2026-11|3|106057\n"
                     "L1|张三|500101199001011234|6217000000000000001|61000\n"
                     "L2|李四|50010119850202234X|6217000000000000002|45050\n"
                     "L3|王五|500101********3456|6217********0003|7\n");
}

/* Writes one line of l with template text; returns the status, e and the
 * sink's bytes in m. */
static enum dd_status
write_one(const char *text, const struct bank_line *l, struct mem_sink *m,
          struct bank_error *e)
{
    struct bank_template *t = NULL;
    struct bank_writer *w;
    struct bank_result res;
    struct bank_batch b = batch;
    b.count = 1;
    b.sum_fen = l->amount_fen;
    m->len = 0;
    assert_int_equal(bank_template_parse(text, strlen(text), &t, e), DD_OK);
    assert_int_equal(bank_writer_new(t, &b, mem_put, m, &w, e), DD_OK);
    enum dd_status rc = bank_writer_line(w, l, e);
    if (rc == DD_OK)
        rc = bank_writer_finish(w, &res, e);
    bank_writer_free(w);
    bank_template_free(t);
    return rc;
}

static void
assert_error(const struct bank_error *e, long line, const char *field)
{
    char en[32], zh[32];
    assert_int_equal(e->line, line);
    assert_string_equal(e->field, field);
    snprintf(en, sizeof(en), "line %ld, field %s", line, field);
    snprintf(zh, sizeof(zh), "第%ld行", line);
    assert_non_null(strstr(e->en, en));
    assert_non_null(strstr(e->zh, zh));
    struct dd_error d;
    assert_int_equal(bank_error_dd(e, &d), DD_EINVAL);
    assert_string_equal(d.field, field);
}

static const char csv_min[] =
    "[file]\nencoding = UTF-8\nformat = csv\ndelimiter = ,\n"
    "quote = minimal\neol = LF\n[header]\ncount\n[detail]\nname\n"
    "account\namount fmt=yuan\n";

TEST_CASE(test_write_quoting_and_refusals)
{
    struct mem_sink *m = calloc(1, sizeof(*m));
    struct bank_error e = {0};
    struct bank_line l = {"L1", "A \"B\", C", "6217", "", 150, "", ""};
    assert_int_equal(write_one(csv_min, &l, m, &e), DD_OK);
    assert_bytes(m, "1\n\"A \"\"B\"\", C\",6217,1.50\n");

    /* no quoting allowed: a '|' in a name is refused, not mangled */
    char none[256];
    snprintf(none, sizeof(none), "%s", csv_min);
    memcpy(strstr(none, "minimal"), "none   ", 7);
    assert_int_equal(write_one(none, &l, m, &e), DD_EINVAL);
    assert_error(&e, 2, "name");

    l.payee_name = "two\nlines";
    assert_int_equal(write_one(csv_min, &l, m, &e), DD_EINVAL);
    assert_error(&e, 2, "name");
    l.payee_name = "张三";
    l.account = "";
    assert_int_equal(write_one(csv_min, &l, m, &e), DD_EINVAL);
    assert_error(&e, 2, "account");
    l.account = "6217";
    l.amount_fen = 0;
    assert_int_equal(write_one(csv_min, &l, m, &e), DD_EINVAL);
    assert_error(&e, 2, "amount");

    /* a name wider than its column in GB18030 bytes (6 > 5) */
    static const char fixed[] =
        "[file]\nencoding = GB18030\nformat = fixed\neol = CRLF\n"
        "[detail]\nname width=5\namount fmt=fen width=4 align=right "
        "pad=zero\n";
    l.amount_fen = 12;
    l.payee_name = "张三";
    assert_int_equal(write_one(fixed, &l, m, &e), DD_OK);
    assert_bytes(m, ZHANG " 0012\r\n");
    l.payee_name = "欧阳娜";
    assert_int_equal(write_one(fixed, &l, m, &e), DD_EINVAL);
    assert_error(&e, 1, "name");
    assert_non_null(strstr(e.en, "6 bytes, wider than its 5"));
    free(m);
}

TEST_CASE(test_write_totals_must_match_batch)
{
    struct bank_template *t = load("plain-utf8.tpl");
    struct mem_sink *m = calloc(1, sizeof(*m));
    struct bank_writer *w;
    struct bank_error e = {0};
    struct bank_result res;
    assert_int_equal(bank_writer_new(t, &batch, mem_put, m, &w, &e), DD_OK);
    for (int i = 0; i < 2; i++)
        assert_int_equal(bank_writer_line(w, &roster[i], &e), DD_OK);
    assert_int_equal(bank_writer_finish(w, &res, &e), DD_EINVAL);
    assert_string_equal(e.code, "BANK_TOTALS");
    assert_string_equal(e.field, "count");
    bank_writer_free(w);
    bank_template_free(t);
    free(m);
}

/* A sink that keeps nothing but the byte count and the last bytes. */
struct tail_sink {
    long long bytes;
    char tail[64];
    size_t tail_len;
};

static enum dd_status
tail_put(void *ctx, const void *bytes, size_t len)
{
    struct tail_sink *s = ctx;
    s->bytes += (long long)len;
    size_t keep = len < sizeof(s->tail) ? len : sizeof(s->tail);
    memcpy(s->tail, (const char *)bytes + len - keep, keep);
    s->tail_len = keep;
    return DD_OK;
}

static size_t
heap_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

/* A million lines through the GB18030 fixed-width template: the heap in
 * use is the same after the millionth line as after the thousandth (the
 * writer allocates once, in bank_writer_new), and the trailer carries the
 * count and sum. */
TEST_CASE(test_write_million_lines_flat)
{
    enum { N = 1000000 };
    struct bank_template *t = load("rcc-fixed.tpl");
    struct tail_sink s = {0};
    struct bank_writer *w;
    struct bank_error e = {0};
    struct bank_result res;
    struct bank_batch b = batch;
    b.count = N;
    b.sum_fen = 0;
    for (long long i = 1; i <= N; i++)
        b.sum_fen += 30000 + i % 1000;
    assert_int_equal(bank_writer_new(t, &b, tail_put, &s, &w, &e), DD_OK);
    struct bank_line l = roster[0];
    char id[32];
    size_t heap = 0;
    for (long long i = 1; i <= N; i++) {
        snprintf(id, sizeof(id), "L%lld", i);
        l.line_id = id;
        l.amount_fen = 30000 + i % 1000;
        assert_int_equal(bank_writer_line(w, &l, &e), DD_OK);
        if (i == 1000)
            heap = heap_in_use();
    }
    assert_int_equal(heap_in_use(), heap);
    assert_int_equal(bank_writer_finish(w, &res, &e), DD_OK);
    bank_writer_free(w);
    bank_template_free(t);
    assert_int_equal(res.count, N);
    assert_int_equal(res.sum_fen, b.sum_fen);
    /* header 64 + CRLF, N detail lines of 143 + CRLF, trailer 24 + CRLF */
    assert_int_equal(res.bytes, 66 + 145LL * N + 26);
    assert_int_equal(s.bytes, res.bytes);
    char trailer[64];
    snprintf(trailer, sizeof(trailer), "T01000000%015lld\r\n", b.sum_fen);
    assert_true(s.tail_len >= strlen(trailer));
    assert_memory_equal(s.tail + s.tail_len - strlen(trailer), trailer,
                        strlen(trailer));
}

/* ---- return files ---- */

/* What the callback saw, one "line:id:account:amount:P|F:code:text;" per
 * line. */
struct seen {
    char text[2048];
    size_t len;
    int stop_at; /* a line number whose callback fails, or 0 */
};

static enum dd_status
see(void *ctx, const struct bank_return_line *l)
{
    struct seen *s = ctx;
    if (l->line == s->stop_at)
        return DD_ECONFLICT;
    s->len += (size_t)snprintf(
        s->text + s->len, sizeof(s->text) - s->len, "%ld:%s:%s:%lld:%c:%s:%s;",
        l->line, l->line_id, l->account, l->amount_fen,
        l->status == BANK_PAID ? 'P' : 'F', l->reason_code, l->reason_text);
    return DD_OK;
}

/* Reads return file bytes with template name. */
static enum dd_status
read_ret(const char *name, const char *bytes, size_t len, struct seen *s,
         struct bank_return_totals *tot, struct bank_error *e)
{
    struct bank_template *t = load(name);
    struct csv_mem src = {bytes, len, 0};
    memset(s->text, 0, sizeof(s->text));
    s->len = 0;
    enum dd_status rc =
        bank_read_return(t, csv_mem_source, &src, see, s, tot, e);
    bank_template_free(t);
    return rc;
}

/* yikatong-csv.tpl's return title line in GB18030:
 * 明细编号,账号,金额,状态,失败原因代码,失败原因 */
#define RET_TITLE                                                              \
    "\xC3\xF7\xCF\xB8\xB1\xE0\xBA\xC5,\xD5\xCB\xBA\xC5,\xBD\xF0\xB6\xEE,"      \
    "\xD7\xB4\xCC\xAC,\xCA\xA7\xB0\xDC\xD4\xAD\xD2\xF2\xB4\xFA\xC2\xEB,"       \
    "\xCA\xA7\xB0\xDC\xD4\xAD\xD2\xF2\r\n"

TEST_CASE(test_return_yikatong_gb18030)
{
    /* L2 failed: E001 账户已销户 (account closed) */
    static const char file[] =
        RET_TITLE "L1,6217000000000000001,610.00,S,,\r\n"
                  "L2,6217000000000000002,450.50,F,E001,"
                  "\xD5\xCB\xBB\xA7\xD2\xD1\xCF\xFA\xBB\xA7\r\n"
                  "L3,6217000000000000003,0.07,S,,\r\n"
                  "T,3,1060.57,2,610.07\r\n";
    struct seen s = {0};
    struct bank_return_totals tot;
    struct bank_error e = {0};
    assert_int_equal(
        read_ret("yikatong-csv.tpl", file, strlen(file), &s, &tot, &e), DD_OK);
    assert_string_equal(s.text,
                        "2:L1:6217000000000000001:61000:P::;"
                        "3:L2:6217000000000000002:45050:F:E001:账户已销户;"
                        "4:L3:6217000000000000003:7:P::;");
    assert_int_equal(tot.count, 3);
    assert_int_equal(tot.sum_fen, 106057);
    assert_int_equal(tot.paid_count, 2);
    assert_int_equal(tot.paid_sum_fen, 61007);

    /* the bank's paid sum one fen off: named on the trailer's line */
    static const char off[] = RET_TITLE "L1,6217000000000000001,610.00,S,,\r\n"
                                        "T,1,610.00,1,610.01\r\n";
    assert_int_equal(
        read_ret("yikatong-csv.tpl", off, strlen(off), &s, &tot, &e),
        DD_EINVAL);
    assert_error(&e, 3, "paid_sum");
    assert_non_null(strstr(e.en, "610.01 differs from the lines' 610.00"));

    /* a title line that is not the template's */
    assert_int_equal(
        read_ret("yikatong-csv.tpl", file + 1, strlen(file) - 1, &s, &tot, &e),
        DD_EINVAL);
    assert_error(&e, 1, "line");
}

/* One fixed-width return line of rcc-fixed.tpl's detail. */
static size_t
rcc_line(char *out, size_t cap, const char *rec, const char *id,
         const char *acct, const char *fen, const char *st, const char *code,
         const char *text)
{
    return (size_t)snprintf(out, cap, "%s%-32s%-32s%12s%s%-4s%-60s\r\n", rec,
                            id, acct, fen, st, code, text);
}

TEST_CASE(test_return_rcc_fixed)
{
    char file[1024];
    size_t n = 0;
    n += (size_t)snprintf(file + n, sizeof(file) - n, "H%-20s%-8s%-15s\r\n",
                          "B202611-500101", "2", "61007");
    n += rcc_line(file + n, sizeof(file) - n, "D", "L1", "6217000000000000001",
                  "000000061000", "0", "", "");
    /* 账户已销户 in GB18030: 10 bytes of the 60 */
    n += rcc_line(file + n, sizeof(file) - n, "D", "L3", "6217000000000000003",
                  "000000000007", "1", "E001",
                  "\xD5\xCB\xBB\xA7\xD2\xD1\xCF\xFA\xBB\xA7");
    n += (size_t)snprintf(file + n, sizeof(file) - n, "T%08d%015d\r\n", 1,
                          61000);
    struct seen s = {0};
    struct bank_return_totals tot;
    struct bank_error e = {0};
    assert_int_equal(read_ret("rcc-fixed.tpl", file, n, &s, &tot, &e), DD_OK);
    assert_string_equal(s.text, "2:L1:6217000000000000001:61000:P::;"
                                "3:L3:6217000000000000003:7:F:E001:"
                                "账户已销户;");
    assert_int_equal(tot.count, 2);
    assert_int_equal(tot.paid_sum_fen, 61000);

    /* a detail line one byte short */
    char bad[1024];
    memcpy(bad, file, n);
    char *d2 = strstr(bad, "DL3");
    memmove(d2 + 1, d2 + 2, n - (size_t)(d2 + 2 - bad));
    assert_int_equal(read_ret("rcc-fixed.tpl", bad, n - 1, &s, &tot, &e),
                     DD_EINVAL);
    assert_error(&e, 3, "line");
    assert_non_null(strstr(e.en, "141 bytes, the template's lines are 142"));

    /* a record type that is not D */
    memcpy(bad, file, n);
    strstr(bad, "DL3")[0] = 'X';
    assert_int_equal(read_ret("rcc-fixed.tpl", bad, n, &s, &tot, &e),
                     DD_EINVAL);
    assert_error(&e, 3, "const");

    /* a status neither 0 nor 1 */
    memcpy(bad, file, n);
    strstr(bad, "000000000007")[12] = '9';
    assert_int_equal(read_ret("rcc-fixed.tpl", bad, n, &s, &tot, &e),
                     DD_EINVAL);
    assert_error(&e, 3, "status");

    /* half a GB18030 character at the end of the reason code's column */
    memcpy(bad, file, n);
    memcpy(strstr(bad, "E001"), "E0\xD5\xCB", 4);
    assert_int_equal(read_ret("rcc-fixed.tpl", bad, n, &s, &tot, &e),
                     DD_OK); /* 账 is whole: 2 bytes in the 4 */
    memcpy(strstr(bad, "E0\xD5\xCB"), "E01\xD5", 4);
    assert_int_equal(read_ret("rcc-fixed.tpl", bad, n, &s, &tot, &e),
                     DD_EINVAL);
    assert_error(&e, 3, "reason_code");
}

/* Each bad plain-utf8 return file, the line and field its error names. */
static const struct {
    const char *file;
    long line;
    const char *field;
} bad_returns[] = {
    /* an amount in yuan where the template wants whole fen */
    {"L1,6217,610.00,成功,\nL2,6217,45050,成功,\n2,106050\n", 1, "amount"},
    {"L1,6217,61000,成功,\nL2,6217,45050,待定,\n2,106050\n", 2, "status"},
    {"L1,6217,61000,成功,\n,6217,45050,成功,\n2,106050\n", 2, "line_id"},
    {"L1,6217,61000,成功,\nL2,,45050,成功,\n2,106050\n", 2, "account"},
    {"L1,6217,61000,成功,\nL2,6217,-45050,成功,\n2,106050\n", 2, "amount"},
    {"L1,6217,61000,成功,\nL2,6217,0,成功,\n2,61000\n", 2, "amount"},
    {"L1,6217,61000,成功\nL2,6217,45050,成功,\n2,106050\n", 1, "line"},
    {"L1,6217,61000,成功,,\n2,61000\n", 1, "line"},
    {"L1,6217,61000,失败,\n1,61000\n", 1, "status"},
    {"L1,6217,61000,成功,\"open\n1,61000\n", 1, "reason_text"},
    {"L1,6217,61000,成功,a\"b\n1,61000\n", 1, "reason_text"},
    {"L1,6217,61000,成功,\n\nL2,6217,45050,成功,\n2,106050\n", 2, "line"},
    {"L1,6217,61000,成功,\nL2,6217,45050,成功,\n3,106050\n", 3, "count"},
    {"L1,6217,61000,成功,\nL2,6217,45050,成功,\n2,106049\n", 3, "sum"},
    {"L1,6217,61000,成功,\nL2,6217,45050,成功,\n2,1060.50\n", 3, "sum"},
    {"L1,6217,61000,\xB3\xC9,\n1,61000\n", 1, "line"}, /* not UTF-8 */
    {"", 0, "line"},
};

TEST_CASE(test_return_plain_good_and_bad)
{
    static const char good[] =
        "\xEF\xBB\xBFL1,6217000000000000001,61000,成功,\r\n"
        "L2,6217000000000000002,45050,失败,\"户名不符, 请核对\"\n"
        "2,106050\n\n";
    struct seen s = {0};
    struct bank_return_totals tot;
    struct bank_error e = {0};
    assert_int_equal(
        read_ret("plain-utf8.tpl", good, strlen(good), &s, &tot, &e), DD_OK);
    assert_string_equal(s.text, "1:L1:6217000000000000001:61000:P::;"
                                "2:L2:6217000000000000002:45050:F::"
                                "户名不符, 请核对;");
    assert_int_equal(tot.count, 2);
    assert_int_equal(tot.paid_count, 1);

    s.stop_at = 2; /* the caller's own refusal stops the reader */
    assert_int_equal(
        read_ret("plain-utf8.tpl", good, strlen(good), &s, &tot, &e),
        DD_ECONFLICT);
    s.stop_at = 0;

    static const char nul[] = "L1,6217,61000,成功,\0\n1,61000\n";
    assert_int_equal(
        read_ret("plain-utf8.tpl", nul, sizeof(nul) - 1, &s, &tot, &e),
        DD_EINVAL);
    assert_error(&e, 1, "line");
    assert_non_null(strstr(e.en, "NUL"));

    for (size_t i = 0; i < sizeof(bad_returns) / sizeof(bad_returns[0]); i++) {
        memset(&e, 0, sizeof(e));
        enum dd_status rc = read_ret("plain-utf8.tpl", bad_returns[i].file,
                                     strlen(bad_returns[i].file), &s, &tot, &e);
        if (rc != DD_EINVAL || e.line != bad_returns[i].line ||
            strcmp(e.field, bad_returns[i].field) != 0)
            fail_msg("case %zu: status %d, line %ld field %s (%s)", i, (int)rc,
                     e.line, e.field, e.en);
        assert_error(&e, bad_returns[i].line, bad_returns[i].field);
    }
}

/* A return file of n paid lines of 1.00 yuan and its trailer, made as
 * the reader asks for bytes (a csv_source_fn). */
struct gen {
    long long i, n;
    char line[64];
    size_t len, pos;
};

static enum dd_status
gen_read(void *ctx, char *buf, size_t cap, size_t *got)
{
    struct gen *g = ctx;
    *got = 0;
    while (*got < cap) {
        if (g->pos == g->len) {
            if (g->i > g->n)
                break;
            g->len = (size_t)(g->i < g->n
                                  ? snprintf(g->line, sizeof(g->line),
                                             "L%lld,6217,100,成功,\n", g->i + 1)
                                  : snprintf(g->line, sizeof(g->line),
                                             "%lld,%lld\n", g->n, 100 * g->n));
            g->pos = 0;
            g->i++;
        }
        size_t k = g->len - g->pos < cap - *got ? g->len - g->pos : cap - *got;
        memcpy(buf + *got, g->line + g->pos, k);
        g->pos += k;
        *got += k;
    }
    return DD_OK;
}

/* Counts the lines; the heap in use at the last is what it was at the
 * thousandth. */
struct flat {
    long long lines, last;
    size_t heap;
};

static enum dd_status
flat_line(void *ctx, const struct bank_return_line *l)
{
    struct flat *f = ctx;
    f->lines++;
    assert_int_equal(l->line, f->lines);
    if (f->lines == 1000)
        f->heap = heap_in_use();
    if (f->lines == f->last)
        assert_int_equal(heap_in_use(), f->heap);
    return DD_OK;
}

TEST_CASE(test_return_million_lines_flat)
{
    enum { N = 1000000 };
    struct bank_template *t = load("plain-utf8.tpl");
    struct gen g = {.n = N};
    struct flat f = {.last = N};
    struct bank_return_totals tot;
    struct bank_error e = {0};
    assert_int_equal(bank_read_return(t, gen_read, &g, flat_line, &f, &tot, &e),
                     DD_OK);
    bank_template_free(t);
    assert_int_equal(f.lines, N);
    assert_int_equal(tot.count, N);
    assert_int_equal(tot.sum_fen, 100LL * N);
    assert_int_equal(tot.paid_count, N);
}

/* Templates with a fault, and the template line each error names. */
static const struct {
    const char *text;
    long line;
} bad_templates[] = {
    {"[file]\nencoding = UTF-8\nformat = csv\ndelimiter = ,\nquote = all\n"
     "eol = LF\n[detail]\npayee\n",
     8},
    {"[file]\nencoding = UTF-8\nformat = fixed\neol = LF\n[detail]\n"
     "name\n",
     5},
    {"[file]\nencoding = UTF-8\nformat = csv\ndelimiter = ,\nquote = all\n"
     "eol = LF\n[detail]\namount\n",
     8},
    {"[file]\nencoding = Big5\n", 2},
    {"[file]\nencoding = UTF-8\nformat = csv\neol = LF\n[detail]\nname\n", 1},
    {"[file]\nencoding = UTF-8\nformat = csv\ndelimiter = ,\nquote = all\n"
     "eol = LF\n[detail]\nname\n[header]\nstatus\n",
     10},
    {"name = x\n", 1},
    {"[file]\n[detail]\nconst=0123456789012345678901234567890123456789"
     "012345678901234567890123\n",
     3},
    {"[file]\nencoding = UTF-8\nformat = csv\ndelimiter = ,\nquote = all\n"
     "eol = LF\n[detail]\nname\n[return]\nencoding = UTF-8\nformat = csv\n"
     "delimiter = ,\nquote = all\neol = LF\n[return.detail]\nline_id\n",
     15},
};

TEST_CASE(test_template_errors)
{
    for (size_t i = 0; i < sizeof(bad_templates) / sizeof(bad_templates[0]);
         i++) {
        struct bank_template *t = NULL;
        struct bank_error e = {0};
        const char *text = bad_templates[i].text;
        if (bank_template_parse(text, strlen(text), &t, &e) != DD_EINVAL ||
            e.line != bad_templates[i].line)
            fail_msg("case %zu: line %ld (%s)", i, e.line, e.en);
        assert_null(t);
        assert_string_equal(e.code, "BANK_TEMPLATE");
    }
    /* a template without [return] refuses to read a return file */
    struct bank_template *t = NULL;
    struct bank_error e = {0};
    assert_int_equal(bank_template_parse(csv_min, strlen(csv_min), &t, &e),
                     DD_OK);
    struct csv_mem src = {"", 0, 0};
    struct seen s = {0};
    struct bank_return_totals tot;
    assert_int_equal(
        bank_read_return(t, csv_mem_source, &src, see, &s, &tot, &e),
        DD_EINVAL);
    bank_template_free(t);
    struct bank_template *names = load("yikatong-csv.tpl");
    assert_string_equal(bank_template_name(names),
                        "一卡通通用 CSV（GB18030，示例模板）");
    bank_template_free(names);
}

UNIT_TESTS(NULL, NULL, cmocka_unit_test(test_write_yikatong_csv),
           cmocka_unit_test(test_write_rcc_fixed),
           cmocka_unit_test(test_write_plain_utf8),
           cmocka_unit_test(test_write_quoting_and_refusals),
           cmocka_unit_test(test_write_totals_must_match_batch),
           cmocka_unit_test(test_write_million_lines_flat),
           cmocka_unit_test(test_return_yikatong_gb18030),
           cmocka_unit_test(test_return_rcc_fixed),
           cmocka_unit_test(test_return_plain_good_and_bad),
           cmocka_unit_test(test_return_million_lines_flat),
           cmocka_unit_test(test_template_errors))
