/* SPDX-License-Identifier: MIT */
/* The step templates of every catalog item, written as tables, and the
 * transition function. Step limits cite domain.md; a step with no limit
 * of its own runs against the case's statutory deadline only. */
#include "domain/workflow.h"

#include <string.h>

#define T(a, to, needs, out) {a, to, needs, out}
#define NONE WF_OUT_NONE
#define APPROVE WF_OUT_APPROVE
#define REJECT WF_OUT_REJECT

/* 补正 (一次性告知 sent): the applicant brings the papers in person;
 * the clock is paused until they arrive (民发〔2021〕57号 Art. 10). */
#define SUPPLEMENT_TO(first, withdrawn)                                         \
    {WF_SUPPLEMENT, "补正材料", "awaiting materials", WF_TOWNSHIP, 0, 0,      \
     WF_PAUSE | WF_VISIT,                                                      \
     {T("complete", first, 0, NONE),                                           \
      T("withdraw", withdrawn, WF_NEED_REASONS, REJECT)}}
#define SUPPLEMENT(first) SUPPLEMENT_TO(first, "notify")
#define NOTIFY(days)                                                           \
    {"notify", "告知", "notify the applicant", WF_TOWNSHIP, days, 0, 0,        \
     {T("notify", WF_CLOSED, 0, NONE)}}
#define CLOSED                                                                 \
    {WF_CLOSED, "办结", "closed", WF_NOBODY, 0, 0, WF_TERMINAL, {{0}}}

/* 低保, 民发〔2021〕57号 Arts. 15-22 (domain.md §1.2). */
static const struct wf_step dibao[] = {
    SUPPLEMENT("investigate"),
    /* Art. 15: started within 3 wd; Art. 16: >= 2 investigators */
    {"investigate", "入户调查", "household investigation", WF_TOWNSHIP, 3, 0, 0,
     {T("submit", "verify", WF_NEED_INVESTIGATORS, NONE),
      T("terminate", "notify", WF_NEED_REASONS, REJECT)}},
    /* Art. 17: the county starts the means check within 3 wd */
    {"verify", "信息核对", "means check", WF_COUNTY, 3, 0, 0,
     {T("submit", "review", 0, NONE),
      T("reject", "notify", WF_NEED_REASONS, REJECT)}},
    /* Art. 19: 初审 opinion */
    {"review", "初审", "first review", WF_TOWNSHIP, 0, 0, 0,
     {T("approve", "publicity", 0, NONE),
      T("reject", "notify", WF_NEED_REASONS, REJECT)}},
    /* Art. 19: 7 calendar days in the village; an objection sends the case
     * back to investigation */
    {"publicity", "公示", "publicity", WF_TOWNSHIP, 7, 1, WF_PUBLICITY,
     {T("close", "confirm", WF_NEED_PUBLICITY_OVER, NONE),
      T("object", "investigate", WF_NEED_REASONS, NONE)}},
    /* Art. 20: the county confirms within 10 wd of receiving the file */
    {"confirm", "审核确认", "confirmation", WF_COUNTY, 10, 0, WF_CONFIRM,
     {T("submit", "decide", 0, NONE),
      T("return", "investigate", WF_NEED_REASONS, NONE)}},
    /* Art. 21: approve (amount, pay from the next month) or reject */
    {"decide", "决定", "decision", WF_COUNTY, 0, 0, WF_CONFIRM,
     {T("approve", "notify", 0, APPROVE),
      T("reject", "notify", WF_NEED_REASONS, REJECT)}},
    /* Art. 21: a rejection is notified within 3 wd */
    NOTIFY(3),
    CLOSED,
};

/* 特困, 特困人员认定办法 Arts. 13-18 (domain.md §2). */
static const struct wf_step tekun[] = {
    SUPPLEMENT("investigate"),
    /* Arts. 13-14: investigation and 初审 within 15 wd */
    {"investigate", "调查核实", "investigation", WF_TOWNSHIP, 15, 0, 0,
     {T("submit", "review", WF_NEED_INVESTIGATORS, NONE),
      T("terminate", "notify", WF_NEED_REASONS, REJECT)}},
    {"review", "初审", "first review", WF_TOWNSHIP, 0, 0, 0,
     {T("approve", "publicity", 0, NONE),
      T("reject", "notify", WF_NEED_REASONS, REJECT)}},
    /* Art. 15: 7 days; objection → re-investigate */
    {"publicity", "公示", "publicity", WF_TOWNSHIP, 7, 1, WF_PUBLICITY,
     {T("close", "confirm", WF_NEED_PUBLICITY_OVER, NONE),
      T("object", "investigate", WF_NEED_REASONS, NONE)}},
    /* Art. 16: full review, spot check of >= 30 %, decision in 15 wd */
    {"confirm", "审核确认", "confirmation", WF_COUNTY, 15, 0,
     WF_CONFIRM | WF_SPOT_CHECK,
     {T("submit", "decide", 0, NONE),
      T("return", "investigate", WF_NEED_REASONS, NONE)}},
    {"decide", "决定", "decision", WF_COUNTY, 0, 0, WF_CONFIRM,
     {T("approve", "notify", 0, APPROVE),
      T("reject", "notify", WF_NEED_REASONS, REJECT)}},
    /* Art. 18: a rejection is notified within 3 wd */
    NOTIFY(3),
    CLOSED,
};

/* 孤儿 and 事实无人抚养 (domain.md §5): township 查验 15 wd, no 公示,
 * county 15 wd, the accepting township notifies within 3 wd. */
static const struct wf_step children[] = {
    SUPPLEMENT("check"),
    {"check", "查验", "verification", WF_TOWNSHIP, 15, 0, 0,
     {T("submit", "decide", 0, NONE),
      T("reject", "notify", WF_NEED_REASONS, REJECT)}},
    {"decide", "认定", "recognition", WF_COUNTY, 15, 0, WF_CONFIRM,
     {T("approve", "notify", 0, APPROVE),
      T("reject", "notify", WF_NEED_REASONS, REJECT)}},
    NOTIFY(3),
    CLOSED,
};

/* 两项补贴 (domain.md §4): pushed within 3 wd, decided within 10 wd,
 * notified within 3 wd. */
static const struct wf_step disability[] = {
    SUPPLEMENT("review"),
    {"review", "初审", "first review", WF_TOWNSHIP, 3, 0, 0,
     {T("submit", "decide", 0, NONE),
      T("reject", "notify", WF_NEED_REASONS, REJECT)}},
    {"decide", "审定", "decision", WF_COUNTY, 10, 0, WF_CONFIRM,
     {T("approve", "notify", 0, APPROVE),
      T("reject", "notify", WF_NEED_REASONS, REJECT)}},
    NOTIFY(3),
    CLOSED,
};

/* 临时救助 急难 (domain.md §3): 先行救助 first; the check and the 公示 may
 * be skipped; the paperwork is completed afterwards. */
static const struct wf_step tempaid_urgent[] = {
    SUPPLEMENT("aid_first"),
    {"aid_first", "先行救助", "assist first", WF_TOWNSHIP, 0, 0, 0,
     {T("grant", "paperwork", WF_NEED_AMOUNT, NONE),
      T("reject", "notify", WF_NEED_REASONS, REJECT)}},
    {"paperwork", "补办手续", "complete the paperwork", WF_TOWNSHIP, 0, 0,
     WF_VISIT,
     {T("complete", "notify", 0, APPROVE)}},
    NOTIFY(3),
    CLOSED,
};

/* 临时救助 支出 (domain.md §3): township review + 公示, county approval. */
static const struct wf_step tempaid_expense[] = {
    SUPPLEMENT("investigate"),
    {"investigate", "调查核实", "investigation", WF_TOWNSHIP, 0, 0, 0,
     {T("submit", "review", WF_NEED_INVESTIGATORS, NONE),
      T("terminate", "notify", WF_NEED_REASONS, REJECT)}},
    {"review", "初审", "first review", WF_TOWNSHIP, 0, 0, 0,
     {T("approve", "publicity", 0, NONE),
      T("reject", "notify", WF_NEED_REASONS, REJECT)}},
    {"publicity", "公示", "publicity", WF_TOWNSHIP, 7, 1, WF_PUBLICITY,
     {T("close", "decide", WF_NEED_PUBLICITY_OVER, NONE),
      T("object", "investigate", WF_NEED_REASONS, NONE)}},
    {"decide", "审批", "approval", WF_COUNTY, 0, 0, WF_CONFIRM,
     {T("approve", "notify", WF_NEED_AMOUNT, APPROVE),
      T("reject", "notify", WF_NEED_REASONS, REJECT)}},
    NOTIFY(3),
    CLOSED,
};

/* 低保边缘 and 刚性支出 recognition (domain.md §6): as 低保 without 公示. */
static const struct wf_step lowincome[] = {
    SUPPLEMENT("investigate"),
    {"investigate", "调查核实", "investigation", WF_TOWNSHIP, 0, 0, 0,
     {T("submit", "review", WF_NEED_INVESTIGATORS, NONE),
      T("terminate", "notify", WF_NEED_REASONS, REJECT)}},
    {"review", "初审", "first review", WF_TOWNSHIP, 0, 0, 0,
     {T("submit", "decide", 0, NONE),
      T("reject", "notify", WF_NEED_REASONS, REJECT)}},
    {"decide", "认定", "recognition", WF_COUNTY, 0, 0, WF_CONFIRM,
     {T("approve", "notify", 0, APPROVE),
      T("reject", "notify", WF_NEED_REASONS, REJECT)}},
    NOTIFY(3),
    CLOSED,
};

/* 转办 to a county department (domain.md §7.2; Chongqing's limits NOT
 * FOUND, so the cross-province pattern): accepted within 3 wd, decided
 * within 15 wd, the result fed back and the applicant told within 3 wd. */
static const struct wf_step referral[] = {
    SUPPLEMENT("referred"),
    {"referred", "转办待接收", "referred, awaiting the department", WF_DEPT, 3,
     0, 0,
     {T("accept", "handling", 0, NONE),
      T("decline", "notify", WF_NEED_REASONS, REJECT)}},
    {"handling", "部门办理", "department handling", WF_DEPT, 15, 0, 0,
     {T("approve", "notify", WF_NEED_RESULT, APPROVE),
      T("reject", "notify", WF_NEED_RESULT | WF_NEED_REASONS, REJECT)}},
    NOTIFY(3),
    CLOSED,
};

/* A filing (备案): the county records it. */
static const struct wf_step filing[] = {
    SUPPLEMENT_TO("file", WF_CLOSED),
    {"file", "备案", "filing", WF_COUNTY, 5, 0, 0,
     {T("file", WF_CLOSED, 0, APPROVE),
      T("reject", WF_CLOSED, WF_NEED_REASONS, REJECT)}},
    CLOSED,
};

#define TPL(code, zh, en, steps, first)                                        \
    {code, zh, en, steps, sizeof(steps) / sizeof(steps[0]), first}
static const struct wf_template templates[] = {
    TPL("dibao", "低保审核确认", "dibao", dibao, "investigate"),
    TPL("tekun", "特困人员认定", "tekun", tekun, "investigate"),
    TPL("children", "儿童认定", "child recognition", children, "check"),
    TPL("disability", "两项补贴", "disability subsidies", disability,
        "review"),
    TPL("tempaid_urgent", "临时救助（急难）", "emergency aid",
        tempaid_urgent, "aid_first"),
    TPL("tempaid_expense", "临时救助（支出）", "expenditure aid",
        tempaid_expense, "investigate"),
    TPL("lowincome", "低收入家庭认定", "low-income recognition", lowincome,
        "investigate"),
    TPL("referral", "转办", "referral", referral, "referred"),
    TPL("filing", "备案", "filing", filing, "file"),
};

const struct wf_template *
wf_template_find(const char *code)
{
    for (size_t i = 0; i < sizeof(templates) / sizeof(templates[0]); i++)
        if (strcmp(templates[i].code, code) == 0)
            return &templates[i];
    return NULL;
}

const struct wf_step *
wf_step_find(const struct wf_template *t, const char *code)
{
    for (size_t i = 0; t && i < t->step_count; i++)
        if (strcmp(t->steps[i].code, code) == 0)
            return &t->steps[i];
    return NULL;
}

const char *
wf_level_name(enum wf_level l)
{
    switch (l) {
    case WF_TOWNSHIP: return "township";
    case WF_COUNTY: return "county";
    case WF_DEPT: return "department";
    case WF_NOBODY: break;
    }
    return "none";
}

static enum dd_status
fail(struct dd_error *err, enum dd_status rc, const char *code,
     const char *field, const char *en, const char *zh)
{
    if (err) {
        err->code = code;
        err->field = field;
        err->message = en;
        err->message_zh = zh;
    }
    return rc;
}

enum dd_status
wf_next(const struct wf_template *t, const char *step, const char *action,
        const struct wf_fields *f, const struct wf_transition **out,
        struct dd_error *err)
{
    const struct wf_step *s = wf_step_find(t, step);
    *out = NULL;
    if (!s)
        return fail(err, DD_ENOTFOUND, "ACTION_NOT_ALLOWED", "action",
                    "the case is in no step of its template",
                    "案件不在流程的任何环节");
    const struct wf_transition *tr = NULL;
    for (int i = 0; i < WF_MAX_NEXT && s->next[i].action; i++)
        if (strcmp(s->next[i].action, action) == 0)
            tr = &s->next[i];
    if (!tr)
        return fail(err, DD_ENOTFOUND, "ACTION_NOT_ALLOWED", "action",
                    "this action is not allowed at the case's step",
                    "当前环节不允许此操作");
    /* 民发〔2021〕57号 Art. 21: a rejection states its reasons */
    if ((tr->needs & WF_NEED_REASONS) && !f->has_reasons)
        return fail(err, DD_EINVAL, "REQUIRED", "reasons",
                    "this action needs reasons", "此操作须说明理由");
    /* Art. 16: an investigation team has at least 2 persons */
    if ((tr->needs & WF_NEED_INVESTIGATORS) && f->investigators < 2)
        return fail(err, DD_EINVAL, "TOO_FEW_INVESTIGATORS", "investigators",
                    "an investigation names at least 2 investigators",
                    "入户调查须至少记录 2 名调查人员");
    if ((tr->needs & WF_NEED_AMOUNT) && f->amount_fen <= 0)
        return fail(err, DD_EINVAL, "REQUIRED", "amount_fen",
                    "this action needs a positive amount_fen",
                    "此操作须填写金额 amount_fen");
    if ((tr->needs & WF_NEED_RESULT) && !f->has_result)
        return fail(err, DD_EINVAL, "REQUIRED", "result",
                    "the department's result is required",
                    "须填写部门办理结果");
    /* Art. 19: the 公示 runs its 7 days before the case moves on */
    if ((tr->needs & WF_NEED_PUBLICITY_OVER) && !f->publicity_over)
        return fail(err, DD_EINVAL, "PUBLICITY_RUNNING", "action",
                    "the 7-day publicity has not ended",
                    "7 日公示期尚未届满");
    *out = tr;
    return DD_OK;
}

int
wf_spot_check(const char *case_no, int percent)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)case_no; *p; p++) {
        h ^= *p;
        h *= 16777619u;
    }
    return (int)(h % 100u) < percent;
}
