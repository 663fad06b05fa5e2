/* SPDX-License-Identifier: MIT */
/* Building and rendering assessment explanations. Lines live in the
 * caller's fixed buffer; rendering writes into the caller's text buffer
 * with snprintf only. */
#include "domain/explain.h"

#include <stdarg.h>
#include <stdio.h>

struct name_info {
    const char *en;
    const char *zh;
    enum explain_unit unit;
};

/* clang-format off */
static const struct name_info names[EXPLAIN_N__COUNT] = {
    [EXPLAIN_N_STANDARD] = {"standard", "保障标准", EXPLAIN_UNIT_FEN},
    [EXPLAIN_N_MEMBERS] = {"members", "人数", EXPLAIN_UNIT_COUNT},
    [EXPLAIN_N_AGE] = {"age", "年龄", EXPLAIN_UNIT_YEARS},
    [EXPLAIN_N_INCOME] = {"income", "收入", EXPLAIN_UNIT_FEN},
    [EXPLAIN_N_GROSS_INCOME] = {"gross income", "收入合计", EXPLAIN_UNIT_FEN},
    [EXPLAIN_N_DEDUCTIONS] = {"deductions", "扣减", EXPLAIN_UNIT_FEN},
    [EXPLAIN_N_COUNTED_TOTAL] = {"counted income", "计算收入", EXPLAIN_UNIT_FEN},
    [EXPLAIN_N_PER_CAPITA] = {"per-capita income", "人均收入", EXPLAIN_UNIT_FEN},
    [EXPLAIN_N_EXEMPT] = {"excluded", "不计入", EXPLAIN_UNIT_FEN},
    [EXPLAIN_N_GAP_PER_CAPITA] = {"gap per person", "人均差额", EXPLAIN_UNIT_FEN},
    [EXPLAIN_N_AMOUNT] = {"amount", "金额", EXPLAIN_UNIT_FEN},
    [EXPLAIN_N_ASSETS] = {"deposits and securities", "存款及有价证券", EXPLAIN_UNIT_FEN},
    [EXPLAIN_N_LIMIT] = {"limit", "上限", EXPLAIN_UNIT_FEN},
    [EXPLAIN_N_MONTHS] = {"months", "月数", EXPLAIN_UNIT_MONTHS},
    [EXPLAIN_N_COUNT] = {"count", "数量", EXPLAIN_UNIT_COUNT},
    [EXPLAIN_N_MAX_COUNT] = {"allowed", "允许数量", EXPLAIN_UNIT_COUNT},
    [EXPLAIN_N_AREA] = {"floor area", "建筑面积", EXPLAIN_UNIT_DM2},
    [EXPLAIN_N_AREA_LIMIT] = {"area limit per head", "人均面积上限", EXPLAIN_UNIT_DM2},
    [EXPLAIN_N_MULTIPLE] = {"multiple", "倍数", EXPLAIN_UNIT_COUNT},
    [EXPLAIN_N_RATIO] = {"ratio", "比例", EXPLAIN_UNIT_PERMILLE},
    [EXPLAIN_N_GRADE] = {"grade", "等级", EXPLAIN_UNIT_COUNT},
    [EXPLAIN_N_CATEGORY] = {"category", "类别", EXPLAIN_UNIT_COUNT},
    [EXPLAIN_N_ITEMS_UNABLE] = {"items unable", "不能完成项数", EXPLAIN_UNIT_COUNT},
    [EXPLAIN_N_PERIOD] = {"period", "期限", EXPLAIN_UNIT_MONTHS},
    [EXPLAIN_N_LAST_AMOUNT] = {"last amount", "上月金额", EXPLAIN_UNIT_FEN},
    [EXPLAIN_N_BASE] = {"base", "基数", EXPLAIN_UNIT_FEN},
    [EXPLAIN_N_FLAG] = {"flag", "标志", EXPLAIN_UNIT_FLAG},
    [EXPLAIN_N_RURAL] = {"rural standard", "农村标准", EXPLAIN_UNIT_FLAG},
    [EXPLAIN_N_KIND] = {"income kind", "收入类别", EXPLAIN_UNIT_COUNT},
    [EXPLAIN_N_GROUND] = {"ground", "情形", EXPLAIN_UNIT_COUNT},
    [EXPLAIN_N_MODE] = {"mode", "方式", EXPLAIN_UNIT_COUNT},
    [EXPLAIN_N_RELATION] = {"relation", "关系", EXPLAIN_UNIT_COUNT},
    [EXPLAIN_N_INCOME_ANNUAL] = {"annual income", "年收入", EXPLAIN_UNIT_FEN},
    [EXPLAIN_N_TIER] = {"tier", "档次", EXPLAIN_UNIT_COUNT},
    [EXPLAIN_N_MEMBER] = {"member", "成员", EXPLAIN_UNIT_MEMBER},
    [EXPLAIN_N_DISTRICT_AREA] = {"district setting (0 mixed, 1 urban, 2 rural)", "区县设置（0城乡分设，1城市，2农村）", EXPLAIN_UNIT_COUNT},
};
/* clang-format on */

void
explain_init(struct explain *ex)
{
    if (ex == NULL)
        return;
    ex->count = 0;
    ex->truncated = 0;
}

struct explain_line *
explain_add(struct explain *ex, const struct explain_rule *rule,
            enum explain_result result, int member, int64_t amount_fen)
{
    if (ex == NULL)
        return NULL;
    if (ex->count >= EXPLAIN_MAX_LINES) {
        ex->truncated = 1;
        return NULL;
    }
    struct explain_line *l = &ex->lines[ex->count++];
    l->rule = rule;
    l->result = result;
    l->member = member;
    l->value_count = 0;
    l->amount_fen = amount_fen;
    return l;
}

void
explain_value_add(struct explain_line *line, enum explain_name name,
                  int64_t value)
{
    if (line == NULL || line->value_count >= EXPLAIN_MAX_VALUES)
        return;
    line->values[line->value_count].name = name;
    line->values[line->value_count].value = value;
    line->value_count++;
}

int64_t
explain_amount_sum(const struct explain *ex)
{
    int64_t sum = 0;
    if (ex == NULL)
        return 0;
    for (size_t i = 0; i < ex->count; i++)
        sum += ex->lines[i].amount_fen;
    return sum;
}

void
explain_yuan_format(int64_t fen, char *out, size_t len)
{
    /* unsigned magnitude so INT64_MIN is safe */
    uint64_t mag = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    snprintf(out, len, "%s%llu.%02llu", fen < 0 ? "-" : "",
             (unsigned long long)(mag / 100), (unsigned long long)(mag % 100));
}

/* Appends to out at *pos; returns 0 when it did not fit. */
static int put(char *out, size_t len, size_t *pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
put(char *out, size_t len, size_t *pos, const char *fmt, ...)
{
    if (*pos >= len)
        return 0;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out + *pos, len - *pos, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= len - *pos) {
        *pos = len;
        return 0;
    }
    *pos += (size_t)n;
    return 1;
}

static const char *
result_label(enum explain_result r, int zh)
{
    switch (r) {
    case EXPLAIN_PASS: return zh ? "符合" : "PASS";
    case EXPLAIN_FAIL: return zh ? "不符合" : "FAIL";
    case EXPLAIN_INFO: return zh ? "说明" : "INFO";
    case EXPLAIN_AMOUNT: return zh ? "金额" : "AMOUNT";
    case EXPLAIN_REVIEW: return zh ? "需人工审核" : "REVIEW";
    }
    return "?";
}

static int
put_value(char *out, size_t len, size_t *pos, const struct explain_value *v,
          int zh)
{
    const struct name_info *ni =
        (unsigned)v->name < EXPLAIN_N__COUNT ? &names[v->name] : NULL;
    const char *label = ni ? (zh ? ni->zh : ni->en) : "?";
    enum explain_unit unit = ni ? ni->unit : EXPLAIN_UNIT_COUNT;
    char num[32];
    switch (unit) {
    case EXPLAIN_UNIT_FEN:
        explain_yuan_format(v->value, num, sizeof(num));
        return put(out, len, pos, zh ? "%s %s元" : "%s %s yuan", label, num);
    case EXPLAIN_UNIT_DM2:
        /* 100 dm² = 1 m², shown with two decimals like money */
        explain_yuan_format(v->value, num, sizeof(num));
        return put(out, len, pos, zh ? "%s %s平方米" : "%s %s m²", label, num);
    case EXPLAIN_UNIT_YEARS:
        return put(out, len, pos, zh ? "%s %lld岁" : "%s %lld years", label,
                   (long long)v->value);
    case EXPLAIN_UNIT_MONTHS:
        return put(out, len, pos, zh ? "%s %lld个月" : "%s %lld months", label,
                   (long long)v->value);
    case EXPLAIN_UNIT_PERMILLE:
        return put(out, len, pos, "%s %lld‰", label, (long long)v->value);
    case EXPLAIN_UNIT_FLAG:
        return put(out, len, pos, "%s %s", label,
                   v->value ? (zh ? "是" : "yes") : (zh ? "否" : "no"));
    case EXPLAIN_UNIT_MEMBER:
        return put(out, len, pos, "%s %lld", label, (long long)v->value + 1);
    case EXPLAIN_UNIT_COUNT:
    default: return put(out, len, pos, "%s %lld", label, (long long)v->value);
    }
}

static int
put_line(char *out, size_t len, size_t *pos, const struct explain_line *l,
         int zh)
{
    const struct explain_rule *r = l->rule;
    int ok = put(out, len, pos, zh ? "【%s】%s " : "[%s] %s ",
                 result_label(l->result, zh), r ? r->id : "?");
    if (ok && l->member >= 0)
        ok = put(out, len, pos, zh ? "成员%d " : "member %d ", l->member + 1);
    if (ok)
        ok = put(out, len, pos, zh ? "%s（%s）" : "%s (%s)",
                 r ? (zh ? r->zh : r->en) : "?", r ? r->clause : "?");
    for (int i = 0; ok && i < l->value_count && i < EXPLAIN_MAX_VALUES; i++) {
        ok = put(out, len, pos,
                 i == 0 ? (zh ? "：" : ": ") : (zh ? "；" : "; "));
        if (ok)
            ok = put_value(out, len, pos, &l->values[i], zh);
    }
    if (ok && l->result == EXPLAIN_AMOUNT) {
        char num[32];
        explain_yuan_format(l->amount_fen, num, sizeof(num));
        ok = put(out, len, pos, zh ? " → 计入 %s元" : " → adds %s yuan", num);
    }
    if (ok)
        ok = put(out, len, pos, "\n");
    return ok;
}

enum dd_status
explain_render(const struct explain *ex, int zh, char *out, size_t len)
{
    if (ex == NULL || out == NULL || len == 0)
        return DD_EINVAL;
    size_t pos = 0;
    out[0] = '\0';
    for (size_t i = 0; i < ex->count && i < EXPLAIN_MAX_LINES; i++) {
        size_t before = pos;
        if (!put_line(out, len, &pos, &ex->lines[i], zh)) {
            /* cut at the last whole line */
            out[before < len ? before : len - 1] = '\0';
            return DD_ETOOBIG;
        }
    }
    if (ex->truncated) {
        size_t before = pos;
        if (!put(out, len, &pos,
                 zh ? "（说明已截断）\n" : "(explanation truncated)\n")) {
            out[before < len ? before : len - 1] = '\0';
            return DD_ETOOBIG;
        }
    }
    return DD_OK;
}
