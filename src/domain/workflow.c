/* SPDX-License-Identifier: MIT */
/* Step templates read from their rows (data/catalog/steps.csv, each row
 * citing its domain.md clause), the checks a template passes before the
 * server starts, and the transition function. The book is the caller's:
 * nothing here allocates. */
#include "domain/workflow.h"

#include <stdlib.h>
#include <string.h>

#include "core/str.h"

const char wf_csv_header[] =
    "template,step,name_zh,name_en,level,actors,limit,unit,flags,"
    "transitions,source";

static enum dd_status
bad(struct dd_error *err, const char *field, const char *en, const char *zh)
{
    return dd_invalid(err, "INVALID_STEP", field, en, zh);
}

int
wf_code_ok(const char *s, size_t cap)
{
    size_t n = strlen(s);
    return n >= 2 && n < cap &&
           s[strspn(s, "abcdefghijklmnopqrstuvwxyz_")] == '\0';
}

static int
code_ok(const char *s)
{
    return wf_code_ok(s, WF_CODE_MAX);
}

/* Copies the next ';'-separated word of *p into out (cap bytes); 0 at the
 * end of the list, -1 when a word is too long. */
static int
next_word(const char **p, char *out, size_t cap)
{
    const char *s = *p;
    if (!s || !*s)
        return 0;
    const char *end = strchr(s, ';');
    size_t len = end ? (size_t)(end - s) : strlen(s);
    if (len >= cap)
        return -1;
    memcpy(out, s, len);
    out[len] = '\0';
    *p = end ? end + 1 : s + len;
    return 1;
}

static const struct {
    const char *name;
    unsigned bit;
} flag_names[] = {
    {"visit", WF_VISIT},         {"pause", WF_PAUSE},
    {"publicity", WF_PUBLICITY}, {"confirm", WF_CONFIRM},
    {"terminal", WF_TERMINAL},   {"spot_check", WF_SPOT_CHECK},
    {"first", WF_FIRST},
};

static const struct {
    const char *name;
    unsigned bit;
} need_names[] = {
    {"reasons", WF_NEED_REASONS}, {"investigators", WF_NEED_INVESTIGATORS},
    {"amount", WF_NEED_AMOUNT},   {"result", WF_NEED_RESULT},
    {"publicity_over", WF_NEED_PUBLICITY_OVER},
    {"checker", WF_NEED_CHECKER},
};

static int
parse_flags(const char *s, unsigned *out)
{
    char w[32];
    int r;
    *out = 0;
    if (strcmp(s, "-") == 0)
        return 0;
    while ((r = next_word(&s, w, sizeof(w))) == 1) {
        size_t i;
        for (i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
            if (strcmp(w, flag_names[i].name) == 0)
                break;
        if (i == sizeof(flag_names) / sizeof(flag_names[0]))
            return -1;
        *out |= flag_names[i].bit;
    }
    return r;
}

static int
parse_actors(const char *s, unsigned *out)
{
    char w[32];
    int r;
    *out = 0;
    if (strcmp(s, "-") == 0)
        return 0;
    while ((r = next_word(&s, w, sizeof(w))) == 1) {
        enum role role = role_from_name(w);
        if (role == ROLE_NONE)
            return -1;
        *out |= 1u << role;
    }
    return r;
}

/* One transition: action>to, then +need for each need, then an optional
 * !approve or !reject. */
static int
parse_transition(char *w, struct wf_transition *t)
{
    char *bang = strchr(w, '!');
    memset(t, 0, sizeof(*t));
    if (bang) {
        *bang = '\0';
        if (strcmp(bang + 1, "approve") == 0)
            t->outcome = WF_OUT_APPROVE;
        else if (strcmp(bang + 1, "reject") == 0)
            t->outcome = WF_OUT_REJECT;
        else
            return -1;
    }
    char *gt = strchr(w, '>');
    if (!gt)
        return -1;
    *gt = '\0';
    char *plus = strchr(gt + 1, '+');
    if (plus)
        *plus = '\0';
    if (!code_ok(w) || !code_ok(gt + 1))
        return -1;
    str_copy(t->action, sizeof(t->action), w);
    str_copy(t->to, sizeof(t->to), gt + 1);
    while (plus) {
        char *need = plus + 1;
        plus = strchr(need, '+');
        if (plus)
            *plus = '\0';
        size_t i;
        for (i = 0; i < sizeof(need_names) / sizeof(need_names[0]); i++)
            if (strcmp(need, need_names[i].name) == 0)
                break;
        if (i == sizeof(need_names) / sizeof(need_names[0]))
            return -1;
        t->needs |= need_names[i].bit;
    }
    return 0;
}

static int
parse_transitions(const char *s, struct wf_step *st)
{
    char w[128];
    int r, n = 0;
    if (strcmp(s, "-") == 0)
        return 0;
    while ((r = next_word(&s, w, sizeof(w))) == 1) {
        if (n == WF_MAX_NEXT || parse_transition(w, &st->next[n]) != 0)
            return -1;
        for (int k = 0; k < n; k++)
            if (strcmp(st->next[k].action, st->next[n].action) == 0)
                return -1;
        n++;
    }
    return r;
}

static int
copy_text(char *dst, size_t cap, const char *src)
{
    if (!*src || strlen(src) >= cap)
        return -1;
    str_copy(dst, cap, src);
    return 0;
}

enum dd_status
wf_book_add_row(struct wf_book *b, char *const *f, size_t count, long line,
                struct dd_error *err)
{
    if (count != WF_CSV_COLUMNS)
        return bad(err, NULL, "a step row has 11 columns",
                   "流程环节每行须有 11 列");
    if (b->step_count == WF_MAX_STEPS)
        return bad(err, NULL, "too many steps", "流程环节过多");
    if (!code_ok(f[0]))
        return bad(err, "template", "template is 2-23 of a-z and _",
                   "template 须为 2 至 23 个 a-z 或 _ 字符");
    struct wf_template *t =
        b->template_count ? &b->templates[b->template_count - 1] : NULL;
    if (!t || strcmp(t->code, f[0]) != 0) {
        if (wf_template_find(b, f[0]))
            return bad(err, "template", "a template's rows are contiguous",
                       "同一流程模板的各行须相邻");
        if (b->template_count == WF_MAX_TEMPLATES)
            return bad(err, "template", "too many templates",
                       "流程模板过多");
        t = &b->templates[b->template_count++];
        memset(t, 0, sizeof(*t));
        str_copy(t->code, sizeof(t->code), f[0]);
        t->steps = &b->steps[b->step_count];
    }
    struct wf_step *s = &b->steps[b->step_count];
    memset(s, 0, sizeof(*s));
    s->line = line;
    if (!code_ok(f[1]))
        return bad(err, "step", "step is 2-23 of a-z and _",
                   "step 须为 2 至 23 个 a-z 或 _ 字符");
    if (wf_step_find(t, f[1]))
        return bad(err, "step", "the step is already in the template",
                   "该环节在模板中重复");
    str_copy(s->code, sizeof(s->code), f[1]);
    if (copy_text(s->name_zh, sizeof(s->name_zh), f[2]) != 0)
        return bad(err, "name_zh", "name_zh is 1-63 bytes",
                   "name_zh 须为 1 至 63 字节");
    if (copy_text(s->name_en, sizeof(s->name_en), f[3]) != 0)
        return bad(err, "name_en", "name_en is 1-95 bytes",
                   "name_en 须为 1 至 95 字节");
    static const char *const levels[] = {"township", "county", "department",
                                         "none"};
    size_t lv;
    for (lv = 0; lv < 4; lv++)
        if (strcmp(f[4], levels[lv]) == 0)
            break;
    if (lv == 4)
        return bad(err, "level",
                   "level is township, county, department or none",
                   "level 须为 township、county、department 或 none");
    s->level = (enum wf_level)lv;
    if (parse_actors(f[5], &s->actors) != 0)
        return bad(err, "actors", "actors are ;-separated role names",
                   "actors 须为以 ; 分隔的角色名");
    /* each level's own roles (the 2022 notice's delegation aside, which
     * the router handles) */
    unsigned allowed = 0;
    switch (s->level) {
    case WF_TOWNSHIP:
        allowed = (1u << ROLE_TOWN_CLERK) | (1u << ROLE_TOWN_REVIEWER);
        break;
    case WF_COUNTY: allowed = 1u << ROLE_COUNTY_OFFICER; break;
    case WF_DEPT: allowed = 1u << ROLE_DEPT_OFFICER; break;
    case WF_NOBODY: allowed = 0; break;
    }
    if ((s->actors & ~allowed) || (s->level != WF_NOBODY && !s->actors))
        return bad(err, "actors", "the actors do not work at the step's level",
                   "办理角色与环节层级不符");
    if (!*f[6] || strlen(f[6]) > 3 || f[6][strspn(f[6], "0123456789")])
        return bad(err, "limit", "limit is 0-365 days", "limit 须为 0 至 365 天");
    s->limit_days = (int)strtol(f[6], NULL, 10);
    if (s->limit_days > 365)
        return bad(err, "limit", "limit is 0-365 days", "limit 须为 0 至 365 天");
    if (strcmp(f[7], "wd") != 0 && strcmp(f[7], "cd") != 0)
        return bad(err, "unit", "unit is wd (working days) or cd (calendar)",
                   "unit 须为 wd（工作日）或 cd（自然日）");
    s->limit_calendar = strcmp(f[7], "cd") == 0;
    if (parse_flags(f[8], &s->flags) != 0)
        return bad(err, "flags", "unknown flag", "未知环节标志");
    if (parse_transitions(f[9], s) != 0)
        return bad(err, "transitions",
                   "transitions are action>to[+need][!approve|!reject], "
                   "at most 4, ;-separated",
                   "transitions 格式为 action>to[+需要][!approve|!reject]，"
                   "至多 4 项，以 ; 分隔");
    if (copy_text(s->source, sizeof(s->source), f[10]) != 0)
        return bad(err, "source", "every step names its source (1-255 bytes)",
                   "每个环节须注明依据（1 至 255 字节）");
    t->step_count++;
    b->step_count++;
    return DD_OK;
}

/* Marks every step reachable from index i. */
static void
reach(const struct wf_template *t, size_t i, unsigned char *seen)
{
    if (seen[i])
        return;
    seen[i] = 1;
    for (int k = 0; k < WF_MAX_NEXT && t->steps[i].next[k].action[0]; k++) {
        const struct wf_step *to = wf_step_find(t, t->steps[i].next[k].to);
        if (to)
            reach(t, (size_t)(to - t->steps), seen);
    }
}

static enum dd_status
check_template(struct wf_template *t, long *line, struct dd_error *err)
{
    const struct wf_step *closed = NULL, *supplement = NULL;
    size_t terminals = 0, firsts = 0;
    t->first = NULL;
    for (size_t i = 0; i < t->step_count; i++) {
        const struct wf_step *s = &t->steps[i];
        *line = s->line;
        if (s->flags & WF_TERMINAL) {
            terminals++;
            closed = s;
            if (strcmp(s->code, WF_CLOSED) != 0 || s->next[0].action[0] ||
                s->level != WF_NOBODY)
                return bad(err, "flags",
                           "the terminal step is named closed, at level "
                           "none, with no transitions",
                           "终结环节须名为 closed、层级 none、无后续操作");
            continue;
        }
        if (s->level == WF_NOBODY)
            return bad(err, "level", "only the terminal step is at level none",
                       "只有终结环节的层级为 none");
        if (!s->next[0].action[0])
            return bad(err, "transitions", "the step cannot be left",
                       "该环节没有后续操作");
        if (s->flags & WF_FIRST) {
            firsts++;
            t->first = s->code;
        }
        if (strcmp(s->code, WF_SUPPLEMENT) == 0)
            supplement = s;
        for (int k = 0; k < WF_MAX_NEXT && s->next[k].action[0]; k++) {
            const struct wf_transition *tr = &s->next[k];
            if (!wf_step_find(t, tr->to))
                return bad(err, "transitions",
                           "a transition leads to no step of the template",
                           "操作指向模板中不存在的环节");
            /* 民发〔2021〕57号 Art. 21: a rejection states its reasons */
            if (tr->outcome == WF_OUT_REJECT && !(tr->needs & WF_NEED_REASONS))
                return bad(err, "transitions", "a rejection needs +reasons",
                           "驳回须要求 +reasons");
        }
    }
    /* what the template lacks is told at its first row */
    *line = t->steps[0].line;
    if (terminals != 1)
        return bad(err, "flags", "a template has exactly one terminal step",
                   "每个模板须有且仅有一个终结环节");
    if (firsts != 1)
        return bad(err, "flags", "a template has exactly one first step",
                   "每个模板须有且仅有一个起始环节");
    if (!supplement || !(supplement->flags & WF_PAUSE))
        return bad(err, "step",
                   "a template has a supplement step that pauses the clock",
                   "每个模板须有暂停时限的 supplement（补正）环节");
    /* every step can still end: the closed step is reachable from each */
    for (size_t i = 0; i < t->step_count; i++) {
        unsigned char seen[WF_MAX_STEPS] = {0};
        reach(t, i, seen);
        if (!seen[closed - t->steps]) {
            *line = t->steps[i].line;
            return bad(err, "transitions", "the closed step cannot be reached",
                       "无法从该环节到达办结");
        }
    }
    return DD_OK;
}

enum dd_status
wf_book_check(struct wf_book *b, long *line, struct dd_error *err)
{
    *line = 0;
    if (b->template_count == 0)
        return bad(err, NULL, "no step templates", "没有流程模板");
    for (size_t i = 0; i < b->template_count; i++) {
        enum dd_status rc = check_template(&b->templates[i], line, err);
        if (rc != DD_OK)
            return rc;
    }
    *line = 0;
    return DD_OK;
}

const struct wf_template *
wf_template_find(const struct wf_book *b, const char *code)
{
    for (size_t i = 0; b && i < b->template_count; i++)
        if (strcmp(b->templates[i].code, code) == 0)
            return &b->templates[i];
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

const char *
wf_need_name(const struct wf_transition *t, size_t i)
{
    if (i >= sizeof(need_names) / sizeof(need_names[0]))
        return NULL;
    return (t->needs & need_names[i].bit) ? need_names[i].name : "";
}

int
wf_step_actor(const struct wf_step *s, enum role r)
{
    return s && r > ROLE_NONE && r < ROLE__COUNT && ((s->actors >> r) & 1u);
}

static enum dd_status
fail(struct dd_error *err, enum dd_status rc, const char *code,
     const char *field, const char *en, const char *zh)
{
    (void)dd_invalid(err, code, field, en, zh);
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
    for (int i = 0; i < WF_MAX_NEXT && s->next[i].action[0]; i++)
        if (strcmp(s->next[i].action, action) == 0)
            tr = &s->next[i];
    if (!tr)
        return fail(err, DD_ENOTFOUND, "ACTION_NOT_ALLOWED", "action",
                    "this action is not allowed at the case's step",
                    "当前环节不允许此操作");
    /* 特困人员认定办法 Art. 16: a case in the county's sample leaves
     * 审核确认 only once its spot check is recorded */
    if ((s->flags & WF_SPOT_CHECK) && f->spot_check_pending &&
        strcmp(tr->to, s->code) != 0)
        return fail(err, DD_ECONFLICT, "SPOT_CHECK_PENDING", "action",
                    "this case is in the spot-check sample: record the "
                    "spot_check first",
                    "该案件已被抽查，须先记录抽查结果（spot_check）");
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
                    "this action needs its result text",
                    "须填写办理结果");
    if ((tr->needs & WF_NEED_CHECKER) && !f->has_checker)
        return fail(err, DD_EINVAL, "REQUIRED", "checker",
                    "the spot check names its checker",
                    "须填写抽查人员");
    /* Art. 19: the 公示 runs its 7 days before the case moves on */
    if ((tr->needs & WF_NEED_PUBLICITY_OVER) && !f->publicity_over)
        return fail(err, DD_EINVAL, "PUBLICITY_RUNNING", "action",
                    "the 7-day publicity has not ended",
                    "7 日公示期尚未届满");
    *out = tr;
    return DD_OK;
}

int
wf_spot_check(int64_t n, int percent)
{
    /* ceil(n p / 100) > ceil((n − 1) p / 100): of the first n cases,
     * exactly ceil(n p / 100) are flagged, never fewer than p % */
    if (n < 1 || percent <= 0)
        return 0;
    int64_t p = percent > 100 ? 100 : percent;
    return (n * p + 99) / 100 > ((n - 1) * p + 99) / 100;
}
