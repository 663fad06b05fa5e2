/* SPDX-License-Identifier: MIT */
/* Case items (协同办理): routing each item to the office that acts on its
 * step, the statutory clock on the working-day calendar, the transition
 * function (atomic, version-checked, one event and one audit row per
 * transition), the item with its timeline, decision notices, the inbox
 * (GET /api/v1/tasks) and the village 公示 with its objections.
 *
 * Clock convention (domain/workcal.h): the day a period starts on is not
 * counted; N working days from an acceptance on day D end on the N-th
 * working day after D. A 补正 pause moves the deadline by exactly the
 * working days it lasted. A deadline computed over a year the holiday
 * calendar does not cover is flagged (deadline_uncovered). */
#include "api/api_cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assess/assess.h"
#include "assess/assess_case.h"
#include "core/buf.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "json/json_assess.h"
#include "json/json_cases.h"
#include "json/json_facts.h"
#include "registry/registry.h"

#define REPLY_CAP (1u << 20)
#define EXPLANATION_CAP (256u * 1024u)
#define TIMELINE_MAX 200
#define INBOX_MAX 200
#define ENTITLEMENT_MAX 64

const struct workcal *
cases_calendar(struct api *a)
{
    return a->calendar;
}

static int32_t
day_of(const char *s)
{
    int32_t d = 0;
    return s && s[0] && workcal_parse_date(s, &d) == 0 ? d : INT32_MIN;
}

/* A flag policy parameter in force on day for a county (0 when unset). */
static int64_t
policy_flag(struct api *a, const char *key, const char *county,
            const struct civil_day *day)
{
    const struct policy_param *p = NULL;
    int64_t v = 0;
    pthread_rwlock_rdlock(&a->policy_lock);
    if (policy_lookup(a->policy, key, county, day->y, day->m, day->d, &p) ==
            DD_OK &&
        p)
        v = p->value;
    pthread_rwlock_unlock(&a->policy_lock);
    return v;
}

void
cases_route(struct api *a, struct case_item_row *c,
            const struct catalog_item *it, const struct wf_step *s,
            const struct civil_day *day)
{
    enum wf_level lvl = s->level;
    /* 2022 notice §4: where the district delegates 审核确认, the township
     * confirms (and decides) */
    if (lvl == WF_COUNTY && (s->flags & WF_CONFIRM) &&
        policy_flag(a, "dibao.confirm.delegated", c->county_code, day) == 1)
        lvl = WF_TOWNSHIP;
    switch (lvl) {
    case WF_TOWNSHIP:
        snprintf(c->owner_region, sizeof(c->owner_region), "%.9s",
                 c->village_code);
        c->owner_department[0] = '\0';
        break;
    case WF_COUNTY:
        snprintf(c->owner_region, sizeof(c->owner_region), "%s",
                 c->county_code);
        c->owner_department[0] = '\0';
        break;
    case WF_DEPT:
        snprintf(c->owner_region, sizeof(c->owner_region), "%s",
                 c->county_code);
        str_copy(c->owner_department, sizeof(c->owner_department),
                 it->department);
        break;
    case WF_NOBODY:
        break;
    }
}

void
cases_clock(struct api *a, struct case_item_row *c,
            const struct catalog_item *it, const struct wf_step *s,
            const struct civil_day *day)
{
    const struct workcal *cal = cases_calendar(a);
    int unc = 0;
    int32_t acc = day_of(c->accepted_on);
    int32_t dl;
    if (strcmp(it->statutory_unit, "calendar") == 0)
        dl = acc + (int32_t)(it->statutory_days + c->paused_working_days);
    else
        dl = workcal_add_working_days(
            cal, acc, (int)(it->statutory_days + c->paused_working_days), &unc);
    workcal_format_date(dl, c->deadline);
    c->deadline_uncovered = unc;
    str_copy(c->step_started_on, sizeof(c->step_started_on), day->s);
    c->step_deadline[0] = '\0';
    /* the step's limit under the item's version (its step_limits over
     * the template's) */
    int limit = catalog_step_limit(it, s);
    if (limit > 0) {
        int32_t sd = s->limit_calendar
                         ? day->day + limit
                         : workcal_add_working_days(cal, day->day, limit,
                                                    &unc);
        workcal_format_date(sd, c->step_deadline);
        if (unc)
            c->deadline_uncovered = 1;
    }
}

enum dd_status
cases_event(struct http_request *req, struct store_tx *tx,
            const struct case_item_row *c, const char *from,
            const char *action, const char *reasons, const char *fields_json,
            int visit, const struct civil_day *day)
{
    struct case_event_row e = {0};
    const struct principal *p = PRINCIPAL(req);
    e.case_item_id = c->id;
    str_copy(e.county_code, sizeof(e.county_code), c->county_code);
    str_copy(e.step_from, sizeof(e.step_from), from);
    str_copy(e.step_to, sizeof(e.step_to), c->step);
    str_copy(e.action, sizeof(e.action), action);
    str_copy(e.actor, sizeof(e.actor), req->actor ? req->actor : "anonymous");
    str_copy(e.role, sizeof(e.role), p ? role_name(p->role) : "citizen");
    str_copy(e.region, sizeof(e.region),
             p && p->prefix_count ? p->prefixes[0] : "");
    str_copy(e.day, sizeof(e.day), day->s);
    str_copy(e.reasons, sizeof(e.reasons), reasons ? reasons : "");
    str_copy(e.fields, sizeof(e.fields), fields_json ? fields_json : "{}");
    e.visit = visit;
    return store_case_event_insert(tx, &e);
}

void
cases_mask_name(const char *name, char *out, size_t cap)
{
    /* keep the first and the last character (UTF-8), mask the middle:
     * 张三丰 → 张*丰, 李四 → 李* */
    size_t n = strlen(name), first = 0, last = n;
    if (n == 0) {
        str_copy(out, cap, "*");
        return;
    }
    first = 1;
    while (first < n && ((unsigned char)name[first] & 0xC0) == 0x80)
        first++;
    if (first >= n) {
        snprintf(out, cap, "%.*s", (int)first, name);
        return;
    }
    last = n - 1;
    while (last > first && ((unsigned char)name[last] & 0xC0) == 0x80)
        last--;
    size_t chars = 0;
    for (size_t i = 0; i < n; i++)
        chars += ((unsigned char)name[i] & 0xC0) != 0x80;
    if (chars == 2)
        snprintf(out, cap, "%.*s*", (int)first, name);
    else
        snprintf(out, cap, "%.*s*%s", (int)first, name, name + last);
}

const char *
cases_html(struct http_request *req, const char *s)
{
    struct buf b;
    buf_init(&b, 1u << 20);
    enum dd_status rc = DD_OK;
    for (const char *p = s ? s : ""; rc == DD_OK && *p; p++) {
        switch (*p) {
        case '<': rc = buf_puts(&b, "&lt;"); break;
        case '>': rc = buf_puts(&b, "&gt;"); break;
        case '&': rc = buf_puts(&b, "&amp;"); break;
        case '"': rc = buf_puts(&b, "&quot;"); break;
        case '\'': rc = buf_puts(&b, "&#39;"); break;
        default: rc = buf_append(&b, p, 1); break;
        }
    }
    const char *out =
        rc == DD_OK ? arena_strndup(req->arena, b.data ? b.data : "", b.len)
                    : "";
    buf_free(&b);
    return out ? out : "";
}

/* The applicant's masked name and the household size. */
static enum dd_status
applicant_of(struct http_request *req, struct store_tx *tx, int64_t hh,
             char *masked, size_t cap, int64_t *size)
{
    struct registry_household rh;
    enum dd_status rc = registry_load(tx, req->arena, hh, &rh);
    if (rc != DD_OK)
        return rc;
    const char *name = rh.member_count ? rh.members[0].name : "";
    for (size_t i = 0; i < rh.member_count; i++)
        if (rh.members[i].relation == HH_REL_APPLICANT)
            name = rh.members[i].name;
    cases_mask_name(name, masked, cap);
    *size = (int64_t)rh.member_count;
    return DD_OK;
}

/* The work of one engine run, in the request's arena. */
struct engine_work {
    struct registry_household rh;
    struct household h;
    struct assess_params p;
    struct assess_result r;
    struct explain ex[ASSESS__COUNT];
};

/* Loads the item's household, maps it for the engines and resolves the
 * policy in force on day for its village, with the urban or rural
 * standard of its hukou district (domain.md §7.1). DD_ENOTFOUND with err
 * when a 低保 or 特困 key has no version in force (or the district leaves
 * the standard to a household that follows it). */
static enum dd_status
engine_load(struct http_request *req, struct store_tx *tx,
            const struct case_item_row *c, const struct civil_day *day,
            struct registry_household *rh, struct household *h,
            struct assess_params *p, struct dd_error *err)
{
    struct api *a = API(req);
    enum dd_status rc = registry_load(tx, req->arena, c->household_id, rh);
    if (rc == DD_OK)
        rc = registry_to_household(rh, h);
    if (rc != DD_OK)
        return rc == DD_ENOTFOUND ? DD_EINTERNAL : rc;
    enum area_setting s;
    pthread_rwlock_rdlock(&a->policy_lock);
    rc = assess_params_resolve(a->policy, rh->h.region_code, day->y, day->m,
                               day->d, p, err);
    if (rc == DD_OK)
        rc = area_setting_parse(rh->h.urban_or_rural, &s) == 0
                 ? assess_area_resolve(a->policy, rh->h.hukou_region, day->y,
                                       day->m, day->d, s, p, h, err)
                 : DD_EINVAL;
    pthread_rwlock_unlock(&a->policy_lock);
    return rc;
}

/* The engine's monthly amount for the item's program on day (低保 and 特困;
 * other programs: DD_ENOTFOUND) and its explanation as JSON; *decision
 * (may be NULL) gets the engine's decision. DD_EINVAL with err when the
 * engine finds the household not eligible (the explanation is set). */
static enum dd_status
engine_amount(struct http_request *req, struct store_tx *tx,
              const struct case_item_row *c, const struct catalog_item *it,
              const struct civil_day *day, int64_t *amount,
              const char **explanation, enum assess_decision *decision,
              struct dd_error *err)
{
    enum assess_program prog;
    if (strcmp(it->program, "dibao") == 0)
        prog = ASSESS_DIBAO;
    else if (strcmp(it->program, "tekun") == 0)
        prog = ASSESS_TEKUN;
    else
        return DD_ENOTFOUND;
    struct engine_work *w = arena_alloc(req->arena, sizeof(*w));
    if (!w)
        return DD_ENOMEM;
    enum dd_status rc =
        engine_load(req, tx, c, day, &w->rh, &w->h, &w->p, err);
    struct explain *ex[ASSESS__COUNT];
    for (int i = 0; i < ASSESS__COUNT; i++)
        ex[i] = &w->ex[i];
    if (rc == DD_OK)
        rc = assess_household(&w->h, &w->p, day->y, day->m, day->d, &w->r, ex);
    if (rc != DD_OK)
        return rc == DD_ENOTFOUND ? DD_EINTERNAL : rc;
    if (decision)
        *decision = w->r.decision[prog];
    *amount = w->r.amount_fen[prog];
    *explanation = json_encode_assessment(req->arena, day->s,
                                          w->rh.h.region_code, &w->r, ex);
    if (!*explanation)
        return DD_ENOMEM;
    if (w->r.decision[prog] == ASSESS_NOT_ELIGIBLE) {
        err->code = "ENGINE_NOT_ELIGIBLE";
        err->field = "action";
        err->message = "the assessment engine finds the household not "
                       "eligible on this date; reject with reasons";
        err->message_zh = "测算引擎认定该家庭在此日期不符合条件，请说明理由后驳回";
        return DD_EINVAL;
    }
    return DD_OK;
}

/* The work of one decision by an engine that needs facts. */
struct decide_work {
    struct registry_household rh;
    struct household h;
    struct assess_params p;
    int64_t ids[HH_MAX_MEMBERS];
    struct entitlement_row ent[ENTITLEMENT_MAX];
    struct case_entitlements have;
    struct case_facts f;
    struct case_request rq;
    struct case_outcome o;
    struct explain ex;
};

/* Runs the engine of an item whose engine needs more than the household
 * (assess_case.h) with the decider's facts (JSON text, NULL when absent)
 * on day: out gets the outcome and its explanation as JSON, with the
 * decider's review_fen when the engine asks for review (-1: none, a dry
 * run). 0, or -1 after replying: 400 naming facts or the first missing or
 * bad facts field, 422 when a 低保 or 特困 key is not in force. */
static int
case_decide(struct http_request *req, struct store_tx *tx,
            const struct case_item_row *c, enum case_engine e,
            const struct civil_day *day, const char *facts,
            int64_t review_fen, struct case_outcome *out,
            const char **explanation)
{
    struct dd_error err = {0};
    const char *missing = NULL;
    struct decide_work *w = arena_alloc(req->arena, sizeof(*w));
    if (!w) {
        api_fail(req, DD_ENOMEM, NULL);
        return -1;
    }
    memset(&w->have, 0, sizeof(w->have));
    if (facts) {
        enum dd_status drc =
            json_facts_decode(req->arena, facts, strlen(facts), e, &w->f, &err);
        if (drc != DD_OK) {
            api_fail(req, drc, &err);
            return -1;
        }
    }
    enum dd_status rc = engine_load(req, tx, c, day, &w->rh, &w->h, &w->p, &err);
    if (rc == DD_ENOTFOUND) {
        api_error(req, 422, err.code, err.field, err.message, err.message_zh);
        return -1;
    }
    for (size_t i = 0; rc == DD_OK && i < w->rh.member_count &&
                       i < HH_MAX_MEMBERS;
         i++)
        w->ids[i] = w->rh.members[i].id;
    size_t n = 0;
    if (rc == DD_OK)
        rc = store_entitlement_active_of_household(tx, c->household_id, w->ent,
                                                   ENTITLEMENT_MAX, &n);
    for (size_t i = 0; rc == DD_OK && i < n; i++)
        assess_case_entitlement_add(&w->have, w->ent[i].item_code,
                                    w->ent[i].monthly_fen);
    if (rc != DD_OK) {
        api_fail(req, rc, &err);
        return -1;
    }
    rc = assess_case_request(e, &w->h, w->ids, w->rh.h.hukou_region, &w->p,
                             day->y, day->m, day->d, &w->have,
                             facts ? &w->f : NULL, &w->rq, &missing);
    if (rc == DD_EINVAL && missing) {
        int absent = strcmp(missing, "facts.member_id") != 0 ||
                     !(w->f.present & CASE_F_MEMBER);
        if (absent)
            api_error(req, 400, "REQUIRED", missing,
                      "this decision needs this fact (see docs/cases.md)",
                      "此决定须提供该事实（见 docs/cases.md）");
        else
            api_error(req, 400, "INVALID_VALUE", missing,
                      "no such member in the household",
                      "该家庭没有此成员");
        return -1;
    }
    if (rc == DD_OK)
        rc = assess_case_run(&w->rq, &w->h, &w->p, day->y, day->m, day->d,
                             &w->o, &w->ex);
    if (rc == DD_EINVAL) {
        api_error(req, 409, "HOUSEHOLD_NOT_ASSESSABLE", NULL,
                  "the stored household or the facts are inconsistent on "
                  "this date (members, dates or amounts)",
                  "该家庭记录或所填事实在此日期不一致（成员、日期或金额）");
        return -1;
    }
    if (rc != DD_OK) {
        api_fail(req, rc, NULL);
        return -1;
    }
    *out = w->o;
    *explanation = json_encode_case_outcome(
        req->arena, day->s, w->rh.h.region_code, &w->o, &w->ex,
        w->o.decision == ASSESS_REVIEW && assess_case_has_amount(e)
            ? review_fen
            : -1);
    if (!*explanation) {
        api_fail(req, DD_ENOMEM, NULL);
        return -1;
    }
    return 0;
}

enum dd_status
cases_enter(struct http_request *req, struct store_tx *tx,
            struct case_item_row *c, const struct catalog_item *it,
            const struct civil_day *day)
{
    const struct wf_template *t =
        wf_template_find(API(req)->steps, it->template_code);
    const struct wf_step *s = wf_step_find(t, c->step);
    enum dd_status rc = DD_OK;
    if (!s)
        return DD_EINTERNAL;
    if (s->level == WF_DEPT) {
        struct referral_row r;
        if (store_referral_get(tx, c->id, &r) == DD_ENOTFOUND) {
            memset(&r, 0, sizeof(r));
            r.case_item_id = c->id;
            str_copy(r.county_code, sizeof(r.county_code), c->county_code);
            str_copy(r.department, sizeof(r.department), it->department);
            str_copy(r.region, sizeof(r.region), c->owner_region);
            rc = store_referral_insert(tx, &r);
        }
    }
    if (rc == DD_OK && (s->flags & WF_PUBLICITY)) {
        /* 民发〔2021〕57号 Art. 19 and Art. 24: name (masked), household
         * size and amount, 7 calendar days from today (not counted) */
        struct publicity_row p = {0};
        struct dd_error err = {0};
        const char *ignored;
        int64_t amount = c->amount_fen;
        if (engine_amount(req, tx, c, it, day, &amount, &ignored, NULL,
                          &err) != DD_OK)
            amount = c->amount_fen;
        p.case_item_id = c->id;
        str_copy(p.county_code, sizeof(p.county_code), c->county_code);
        str_copy(p.village_code, sizeof(p.village_code), c->village_code);
        str_copy(p.item_code, sizeof(p.item_code), c->item_code);
        rc = applicant_of(req, tx, c->household_id, p.masked_name,
                          sizeof(p.masked_name), &p.household_size);
        p.amount_fen = amount;
        str_copy(p.start_day, sizeof(p.start_day), day->s);
        workcal_format_date(day->day + catalog_step_limit(it, s), p.end_day);
        str_copy(p.state, sizeof(p.state), "open");
        if (rc == DD_OK)
            rc = store_publicity_insert(tx, &p);
    }
    return rc;
}

/* Whether the caller's role acts on the case's step: the step's actors
 * in data/catalog/steps.csv (the township's 初审 by its town_reviewer, so
 * the clerk who investigated does not also give the first-review opinion;
 * other township steps by its clerk or reviewer; county steps by the
 * county officer; a referral by the department's officer). A county step
 * the district delegates to the township (2022 notice §4) is acted on by
 * the township's clerk or reviewer. */
static int
role_fits(struct api *a, const struct principal *p,
          const struct case_item_row *c)
{
    struct catalog_item it;
    if (api_catalog_copy_version(a, c->item_code, c->catalog_version, &it))
        return 0;
    const struct wf_step *s =
        wf_step_find(wf_template_find(a->steps, it.template_code), c->step);
    if (!s)
        return 0;
    if (c->owner_department[0])
        return s->level == WF_DEPT && wf_step_actor(s, p->role);
    if (strlen(c->owner_region) == 9 && s->level != WF_TOWNSHIP)
        return p->role == ROLE_TOWN_CLERK || p->role == ROLE_TOWN_REVIEWER;
    return wf_step_actor(s, p->role);
}

/* The first month an approved entitlement pays: 民发〔2021〕57号 Art. 21
 * and 特困 Art. 17 (the month after the decision), domain.md §5 (the
 * children's items, the month after), §4 (两项补贴, the application
 * month). */
static void
start_month(const struct catalog_item *it, const char *applied_on,
            const struct civil_day *day, char out[8])
{
    if (strcmp(it->start_rule, "application_month") == 0) {
        snprintf(out, 8, "%.7s", applied_on);
        return;
    }
    int y = day->y, m = day->m + 1;
    if (m > 12) {
        m = 1;
        y++;
    }
    char buf[24];
    snprintf(buf, sizeof(buf), "%04d-%02d", y, m);
    str_copy(out, 8, buf);
}

int
cases_transition(struct http_request *req, struct store_tx *tx,
                 struct case_item_row *c, const struct cases_input *in,
                 int check_role)
{
    struct api *a = API(req);
    struct catalog_item it;
    struct dd_error err = {0};
    struct civil_day day;
    const struct wf_transition *tr;
    struct publicity_row pub;
    int has_pub = 0;
    enum dd_status rc;

    civil_today(&day);
    if (api_catalog_copy_version(a, c->item_code, c->catalog_version, &it)) {
        api_fail(req, DD_EINTERNAL, NULL);
        return -1;
    }
    const struct wf_template *t = wf_template_find(a->steps, it.template_code);
    const struct wf_step *from = wf_step_find(t, c->step);
    if (check_role && !role_fits(a, PRINCIPAL(req), c)) {
        api_error(req, 403, "NOT_YOUR_STEP", "action",
                  "this step is acted on by another role",
                  "此环节应由其他角色办理");
        return -1;
    }
    struct wf_fields f = {0};
    f.has_reasons = in->reasons && in->reasons[strspn(in->reasons, " \t\r\n")];
    f.investigators = (int)in->investigator_count;
    f.amount_fen = in->amount_fen;
    f.has_result = in->result && in->result[strspn(in->result, " \t\r\n")];
    f.has_checker =
        in->checker && in->checker[strspn(in->checker, " \t\r\n")];
    /* 特困 Art. 16: in the sample (1) and not yet checked */
    f.spot_check_pending = c->spot_check == 1;
    if (from && (from->flags & WF_PUBLICITY)) {
        rc = store_publicity_open_of_case(tx, c->id, &pub);
        if (rc == DD_OK) {
            has_pub = 1;
            /* the 7 days run to the end of end_day */
            f.publicity_over = day.day > day_of(pub.end_day);
        } else if (rc != DD_ENOTFOUND) {
            api_fail(req, rc, NULL);
            return -1;
        }
    }
    /* an approval by an engine that needs the decider's facts: decided
     * before the transition's needs are checked, so the engine's amount
     * stands for amount_fen (docs/cases.md) */
    enum case_engine eng = assess_case_engine(it.program, it.code);
    struct case_outcome out = {0};
    const char *engine_expl = NULL;
    int by_engine = 0;
    for (int i = 0; from && i < WF_MAX_NEXT && from->next[i].action[0]; i++)
        if (strcmp(from->next[i].action, in->action) == 0)
            by_engine = from->next[i].outcome == WF_OUT_APPROVE &&
                        assess_case_decides(eng);
    if (by_engine) {
        if (!in->facts && assess_case_needs_facts(eng)) {
            api_error(req, 400, "REQUIRED", "facts",
                      "this approval needs the facts the engine decides on "
                      "(see docs/cases.md)",
                      "此审批须提供测算引擎所需的事实 facts（见 docs/cases.md）");
            return -1;
        }
        if (case_decide(req, tx, c, eng, &day, in->facts, in->amount_fen, &out,
                        &engine_expl))
            return -1;
        if (out.decision == ASSESS_NOT_ELIGIBLE) {
            api_error(req, 422, "ENGINE_NOT_ELIGIBLE", "action",
                      "the assessment engine finds the applicant not "
                      "eligible on this date; reject with reasons",
                      "测算引擎认定申请人在此日期不符合条件，请说明理由后驳回");
            return -1;
        }
        if (out.decision == ASSESS_REVIEW && assess_case_has_amount(eng) &&
            in->amount_fen <= 0) {
            api_error(req, 400, "REQUIRED", "amount_fen",
                      "the engine asks for a caseworker's review: this "
                      "approval needs the decider's amount_fen",
                      "测算引擎要求人工审核：此审批须由决定人填写金额 "
                      "amount_fen");
            return -1;
        }
        if (out.decision == ASSESS_ELIGIBLE && out.amount_fen > 0)
            f.amount_fen = out.amount_fen;
    }
    rc = wf_next(t, c->step, in->action, &f, &tr, &err);
    if (rc != DD_OK) {
        if (rc == DD_ENOTFOUND || rc == DD_ECONFLICT)
            api_error(req, 409, err.code, err.field, err.message,
                      err.message_zh);
        else
            api_fail(req, rc, &err);
        return -1;
    }
    const struct wf_step *to = wf_step_find(t, tr->to);
    int64_t expected = c->version;
    char prev[24];
    str_copy(prev, sizeof(prev), c->step);
    int visit = from && (from->flags & WF_VISIT);

    /* leaving 补正: the pause ends today (its working days move the
     * deadline) */
    if (from && (from->flags & WF_PAUSE) && c->paused_since[0]) {
        int unc = 0;
        c->paused_working_days += workcal_working_days_between(
            cases_calendar(a), day_of(c->paused_since), day.day, &unc);
        c->paused_since[0] = '\0';
    }
    /* leaving the 公示 */
    if (has_pub) {
        str_copy(pub.state, sizeof(pub.state),
                 strcmp(tr->to, "investigate") == 0 ? "objected" : "closed");
        rc = store_publicity_update(tx, &pub);
        if (rc == DD_OK && strcmp(pub.state, "objected") == 0) {
            struct objection_row o = {0};
            o.publicity_id = pub.id;
            str_copy(o.county_code, sizeof(o.county_code), c->county_code);
            str_copy(o.text, sizeof(o.text), in->reasons);
            str_copy(o.recorded_by, sizeof(o.recorded_by), req->actor);
            str_copy(o.day, sizeof(o.day), day.s);
            rc = store_objection_insert(tx, &o);
        }
        if (rc != DD_OK) {
            api_fail(req, rc, NULL);
            return -1;
        }
    }
    /* a department's answer */
    if (from && from->level == WF_DEPT) {
        struct referral_row r;
        rc = store_referral_get(tx, c->id, &r);
        if (rc == DD_OK) {
            if (strcmp(from->code, "referred") == 0 &&
                strcmp(in->action, "accept") == 0)
                r.accepted_at = time_now();
            else
                r.answered_at = time_now();
            if (in->result)
                str_copy(r.result, sizeof(r.result), in->result);
            rc = store_referral_update(tx, &r);
        }
        if (rc != DD_OK) {
            api_fail(req, rc, NULL);
            return -1;
        }
    }
    if (tr->needs & WF_NEED_AMOUNT)
        c->amount_fen = in->amount_fen;
    const char *explanation = NULL;
    if (tr->outcome == WF_OUT_APPROVE) {
        str_copy(c->decision, sizeof(c->decision), "approved");
        int64_t amount = 0;
        rc = by_engine ? DD_OK
                       : engine_amount(req, tx, c, &it, &day, &amount,
                                       &explanation, NULL, &err);
        if (by_engine) {
            /* ELIGIBLE: the engine's amount; REVIEW: the decider's (the
             * notice shows the engine's explanation with the review note);
             * a recognition has none */
            c->amount_fen = !assess_case_has_amount(eng) ? 0
                            : out.decision == ASSESS_ELIGIBLE
                                ? out.amount_fen
                                : in->amount_fen;
            explanation = engine_expl;
        } else if (rc == DD_OK) {
            c->amount_fen = amount;
        } else if (rc == DD_ENOTFOUND) {
            /* no engine program: the decider's amount (or the grant's) */
            if (in->amount_fen > 0)
                c->amount_fen = in->amount_fen;
            if (strcmp(it.program, "none") != 0 && c->amount_fen <= 0) {
                api_error(req, 400, "REQUIRED", "amount_fen",
                          "this approval needs the monthly amount_fen",
                          "此审批须填写月发放金额 amount_fen");
                return -1;
            }
        } else if (rc == DD_EINVAL) {
            api_error(req, 422, err.code, err.field, err.message,
                      err.message_zh);
            return -1;
        } else {
            api_fail(req, rc, &err);
            return -1;
        }
    } else if (tr->outcome == WF_OUT_REJECT) {
        str_copy(c->decision, sizeof(c->decision), "rejected");
        str_copy(c->reasons, sizeof(c->reasons), in->reasons);
    }
    /* an action that stays in its step (the spot check) records itself
     * and leaves the step's clock and owner as they are */
    int stays = to == from;
    if (tr->needs & WF_NEED_CHECKER)
        c->spot_check = 2; /* checked (特困 Art. 16) */
    str_copy(c->step, sizeof(c->step), tr->to);
    if (!stays && (to->flags & WF_TERMINAL)) {
        str_copy(c->state, sizeof(c->state), "closed");
        str_copy(c->closed_on, sizeof(c->closed_on), day.s);
        c->step_deadline[0] = '\0';
    } else if (!stays) {
        str_copy(c->state, sizeof(c->state),
                 (to->flags & WF_PAUSE) ? "paused" : "open");
        if (to->flags & WF_PAUSE)
            str_copy(c->paused_since, sizeof(c->paused_since), day.s);
        cases_route(a, c, &it, to, &day);
        cases_clock(a, c, &it, to, &day);
    }
    c->visits += visit;
    rc = store_case_item_update(tx, c, expected);
    if (rc == DD_ECONFLICT) {
        api_error(req, 409, "VERSION_CONFLICT", "version",
                  "the case item was changed meanwhile; reload it",
                  "该事项已被他人修改，请刷新后重试");
        return -1;
    }
    if (rc == DD_OK && explanation)
        rc = store_case_item_explanation_set(tx, c->id, explanation);
    /* an entitlement: a monthly program's, or a recognition's (低保边缘,
     * 刚性支出: no amount, but what the household is now, which 两项补贴
     * reads); 临时救助 is a one-off grant on the item, as before */
    if (rc == DD_OK && tr->outcome == WF_OUT_APPROVE &&
        (strcmp(it.program, "none") != 0 ||
         (by_engine && !assess_case_has_amount(eng)))) {
        struct application_row app;
        rc = store_application_get(tx, c->application_id, &app);
        struct entitlement_row e = {0};
        str_copy(e.county_code, sizeof(e.county_code), c->county_code);
        e.household_id = c->household_id;
        str_copy(e.item_code, sizeof(e.item_code), c->item_code);
        e.case_item_id = c->id;
        e.monthly_fen = c->amount_fen;
        start_month(&it, app.applied_on, &day, e.start_month);
        str_copy(e.state, sizeof(e.state), "active");
        if (rc == DD_OK)
            rc = store_entitlement_insert(tx, &e);
    }
    if (rc == DD_OK && !stays && !(to->flags & WF_TERMINAL))
        rc = cases_enter(req, tx, c, &it, &day);
    if (rc == DD_OK)
        rc = cases_event(req, tx, c, prev, in->action, in->reasons,
                         in->fields_json, visit, &day);
    if (rc == DD_OK)
        rc = api_audit(
            req, tx, "case.transition",
            arena_printf(req->arena, "case_item:%lld", (long long)c->id),
            c->owner_region,
            json_object_of_strings(
                req->arena,
                (const char *[]){"case_no", c->case_no, "item", c->item_code,
                                 "from", prev, "to", c->step, "action",
                                 in->action},
                5));
    if (rc != DD_OK) {
        api_fail(req, rc, NULL);
        return -1;
    }
    return 0;
}

int
cases_may_read(struct http_request *req, const struct case_item_row *c,
               const struct catalog_item *it)
{
    const struct principal *p = PRINCIPAL(req);
    const char *regions[] = {c->owner_region, c->intake_region,
                             c->village_code};
    int denied = 0;
    for (size_t i = 0; i < 3; i++) {
        enum dd_status rc =
            authz_decide(p, AUTHZ_CASE_READ, regions[i], it->department);
        if (rc == DD_OK)
            return 0;
        denied |= rc == DD_EDENIED;
    }
    if (denied)
        api_error(req, 403, "FORBIDDEN", NULL, "your role may not do this",
                  "您的角色无权执行此操作");
    else
        api_error(req, 404, "NOT_FOUND", NULL, "no such record in your scope",
                  "您的管辖范围内没有此记录");
    return -1;
}

const char *
cases_item_json(struct http_request *req, const struct case_item_row *c,
                const struct civil_day *day)
{
    struct api *a = API(req);
    struct arena *ar = req->arena;
    struct catalog_item it;
    if (api_catalog_copy_version(a, c->item_code, c->catalog_version, &it))
        return NULL;
    const struct wf_template *t = wf_template_find(a->steps, it.template_code);
    const struct wf_step *s = wf_step_find(t, c->step);
    int unc = 0;
    int left = 0, used = 0;
    int32_t end = c->closed_on[0] ? day_of(c->closed_on) : day->day;
    used = workcal_working_days_between(cases_calendar(a),
                                        day_of(c->accepted_on), end, &unc) -
           (int)c->paused_working_days;
    if (c->paused_since[0])
        used -= workcal_working_days_between(
            cases_calendar(a), day_of(c->paused_since), end, &unc);
    if (used < 0)
        used = 0;
    if (!c->closed_on[0])
        left = workcal_working_days_left(cases_calendar(a), day->day,
                                         day_of(c->deadline), &unc);
    return arena_printf(
        ar,
        "{\"id\":%lld,\"application_id\":%lld,\"case_no\":\"%s\","
        "\"item_code\":\"%s\",\"catalog_version\":%lld,\"name_zh\":%s,"
        "\"name_en\":%s,\"department\":\"%s\",\"step\":\"%s\","
        "\"step_name_zh\":%s,\"step_name_en\":%s,\"state\":\"%s\","
        "\"owner_region\":\"%s\",\"owner_department\":%s,"
        "\"intake_region\":\"%s\",\"village_code\":\"%s\","
        "\"household_id\":%lld,\"accepted_on\":\"%s\",\"deadline\":\"%s\","
        "\"deadline_uncovered\":%s,\"step_deadline\":%s,"
        "\"paused_since\":%s,\"paused_working_days\":%lld,"
        "\"working_days_allowed\":%lld,\"working_days_used\":%d,"
        "\"working_days_left\":%s,\"visits\":%lld,\"spot_check\":%s,"
        "\"spot_check_done\":%s,"
        "\"decision\":%s,\"amount_fen\":%lld,\"reasons\":%s,"
        "\"missing\":%s,\"closed_on\":%s,\"version\":%lld}",
        (long long)c->id, (long long)c->application_id, c->case_no,
        c->item_code, (long long)c->catalog_version, json_quote(ar, it.name_zh),
        json_quote(ar, it.name_en), it.department, c->step,
        json_quote(ar, s ? s->name_zh : c->step),
        json_quote(ar, s ? s->name_en : c->step), c->state, c->owner_region,
        c->owner_department[0] ? json_quote(ar, c->owner_department) : "null",
        c->intake_region, c->village_code, (long long)c->household_id,
        c->accepted_on, c->deadline, c->deadline_uncovered ? "true" : "false",
        c->step_deadline[0] ? json_quote(ar, c->step_deadline) : "null",
        c->paused_since[0] ? json_quote(ar, c->paused_since) : "null",
        (long long)c->paused_working_days, (long long)it.statutory_days, used,
        c->closed_on[0] ? "null" : arena_printf(ar, "%d", left),
        (long long)c->visits, c->spot_check ? "true" : "false",
        c->spot_check == 2 ? "true" : "false",
        c->decision[0] ? json_quote(ar, c->decision) : "null",
        (long long)c->amount_fen,
        c->reasons[0] ? json_quote(ar, c->reasons) : "null",
        c->missing[0] ? json_quote(ar, c->missing) : "null",
        c->closed_on[0] ? json_quote(ar, c->closed_on) : "null",
        (long long)c->version);
}

int
api_household_dept_visible(struct http_request *req, struct store_tx *tx,
                           int64_t household_id)
{
    const struct principal *p = PRINCIPAL(req);
    int has = 0;
    if (!p || p->role != ROLE_DEPT_OFFICER)
        return 1;
    if (store_referral_dept_household(tx, household_id, p->department,
                                      &has) != DD_OK)
        return 0;
    return has;
}

int
api_household_dept_check(struct http_request *req, struct store_tx *tx,
                         int64_t household_id)
{
    const struct principal *p = PRINCIPAL(req);
    int has = 0;
    if (!p || p->role != ROLE_DEPT_OFFICER)
        return 0;
    enum dd_status rc =
        store_referral_dept_household(tx, household_id, p->department, &has);
    if (rc != DD_OK) {
        api_fail(req, rc, NULL);
        return -1;
    }
    if (!has) {
        api_error(req, 404, "NOT_FOUND", NULL, "no such record in your scope",
                  "您的管辖范围内没有此记录");
        return -1;
    }
    return 0;
}

/* Loads the item and its catalog version and checks the caller may read
 * it; 0, or -1 after replying. */
static int
load_item(struct http_request *req, struct store_tx *tx,
          struct case_item_row *c, struct catalog_item *it)
{
    enum dd_status rc = store_case_item_get(tx, api_path_id(req, 0), c);
    if (rc != DD_OK) {
        api_fail(req, rc, NULL);
        return -1;
    }
    if (api_catalog_copy_version(API(req), c->item_code, c->catalog_version,
                                 it)) {
        api_fail(req, DD_EINTERNAL, NULL);
        return -1;
    }
    return cases_may_read(req, c, it);
}

/* GET /api/v1/case-items/{id}: the item, its timeline, its referral,
 * entitlement and 公示. */
static void
case_item_get(struct http_request *req)
{
    struct case_item_row c;
    struct catalog_item it;
    struct store_tx *tx;
    struct civil_day day;
    struct arena *ar = req->arena;
    civil_today(&day);
    if (api_begin(req, STORE_READ, &tx))
        return;
    if (load_item(req, tx, &c, &it)) {
        return;
    }
    struct case_event_row *ev = arena_alloc(ar, TIMELINE_MAX * sizeof(*ev));
    size_t n = 0;
    enum dd_status rc = ev ? store_case_event_list(tx, c.id, ev, TIMELINE_MAX,
                                                   &n)
                           : DD_ENOMEM;
    struct referral_row ref;
    int has_ref = 0, has_ent = 0;
    struct entitlement_row ent;
    if (rc == DD_OK) {
        rc = store_referral_get(tx, c.id, &ref);
        has_ref = rc == DD_OK;
        if (rc == DD_ENOTFOUND)
            rc = DD_OK;
    }
    if (rc == DD_OK) {
        rc = store_entitlement_by_case_item(tx, c.id, &ent);
        has_ent = rc == DD_OK;
        if (rc == DD_ENOTFOUND)
            rc = DD_OK;
    }
    if (rc != DD_OK) {
        api_fail(req, rc, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, REPLY_CAP);
    const char *item = cases_item_json(req, &c, &day);
    rc = item ? buf_printf(&b, "{\"item\":%s,\"timeline\":[", item)
              : DD_ENOMEM;
    const struct wf_template *t =
        wf_template_find(API(req)->steps, it.template_code);
    for (size_t i = 0; rc == DD_OK && i < n; i++) {
        const struct wf_step *s = wf_step_find(t, ev[i].step_to);
        char at[32];
        time_iso8601(ev[i].at, at, sizeof(at));
        rc = buf_printf(
            &b,
            "%s{\"seq\":%lld,\"from\":%s,\"to\":\"%s\",\"to_name_zh\":%s,"
            "\"action\":\"%s\",\"actor\":%s,\"role\":\"%s\",\"region\":\"%s\","
            "\"at\":\"%s\",\"day\":\"%s\",\"visit\":%s,\"reasons\":%s,"
            "\"fields\":%s}",
            i ? "," : "", (long long)ev[i].seq,
            ev[i].step_from[0] ? json_quote(ar, ev[i].step_from) : "null",
            ev[i].step_to, json_quote(ar, s ? s->name_zh : ev[i].step_to),
            ev[i].action, json_quote(ar, ev[i].actor), ev[i].role,
            ev[i].region, at, ev[i].day, ev[i].visit ? "true" : "false",
            ev[i].reasons[0] ? json_quote(ar, ev[i].reasons) : "null",
            ev[i].fields[0] ? ev[i].fields : "{}");
    }
    if (rc == DD_OK)
        rc = buf_puts(&b, "],\"referral\":");
    if (rc == DD_OK && has_ref)
        rc = buf_printf(&b,
                        "{\"department\":\"%s\",\"region\":\"%s\","
                        "\"sent_at\":%lld,\"accepted_at\":%lld,"
                        "\"answered_at\":%lld,\"result\":%s}",
                        ref.department, ref.region, (long long)ref.sent_at,
                        (long long)ref.accepted_at,
                        (long long)ref.answered_at,
                        ref.result[0] ? json_quote(ar, ref.result) : "null");
    else if (rc == DD_OK)
        rc = buf_puts(&b, "null");
    if (rc == DD_OK)
        rc = buf_puts(&b, ",\"entitlement\":");
    if (rc == DD_OK && has_ent)
        rc = buf_printf(&b,
                        "{\"id\":%lld,\"monthly_fen\":%lld,"
                        "\"start_month\":\"%s\",\"state\":\"%s\"}",
                        (long long)ent.id, (long long)ent.monthly_fen,
                        ent.start_month, ent.state);
    else if (rc == DD_OK)
        rc = buf_puts(&b, "null");
    if (rc == DD_OK)
        rc = buf_puts(&b, "}");
    const char *body =
        rc == DD_OK ? arena_strndup(ar, b.data ? b.data : "", b.len) : NULL;
    buf_free(&b);
    if (!body) {
        api_fail(req, rc == DD_OK ? DD_ENOMEM : rc, NULL);
        return;
    }
    api_reply(req, 200, body);
}

struct action_body {
    const char *action, *reasons, *result, *note, *checker;
    int64_t version, amount_fen;
    const char **investigators;
    size_t investigator_count;
};

#define AB(f) offsetof(struct action_body, f)
static const struct json_field action_fields[] = {
    {"action", JSON_T_STRING, 1, 1, 23, AB(action)},
    {"version", JSON_T_INT, 1, 1, INT32_MAX, AB(version)},
    {"reasons", JSON_T_STRING, 0, 0, 500, AB(reasons)},
    {"result", JSON_T_STRING, 0, 0, 500, AB(result)},
    {"note", JSON_T_STRING, 0, 0, 500, AB(note)},
    {"amount_fen", JSON_T_INT, 0, 0, 100000000, AB(amount_fen)},
    {"checker", JSON_T_STRING, 0, 0, 60, AB(checker)},
};
static const struct json_list_field action_lists[] = {
    {"investigators", 0, 8, 60, AB(investigators), AB(investigator_count)},
};

/* POST /api/v1/case-items/{id}/actions: one transition by the step's
 * actor, at the version the caller read (stale → 409). */
static void
case_item_action(struct http_request *req)
{
    struct action_body b = {0};
    unsigned present = 0;
    struct dd_error err = {0};
    struct case_item_row c;
    struct catalog_item it;
    struct store_tx *tx;
    const char *facts = NULL, *rest = NULL;
    /* the decider's facts are an object: taken out here, decoded for the
     * item's engine by the transition */
    enum dd_status rc = json_cases_take_object(
        req->arena, req->body.data ? req->body.data : "", req->body.len,
        "facts", &facts, &rest, &err);
    if (rc == DD_OK)
        rc = json_cases_decode(req->arena, rest, strlen(rest), action_fields,
                               sizeof(action_fields) / sizeof(action_fields[0]),
                               action_lists, 1, &b, &present, &err);
    if (rc != DD_OK) {
        api_fail(req, rc, &err);
        return;
    }
    if (api_begin(req, STORE_WRITE, &tx))
        return;
    rc = store_case_item_get(tx, api_path_id(req, 0), &c);
    if (rc != DD_OK) {
        api_fail(req, rc, NULL);
        return;
    }
    if (api_catalog_copy_version(API(req), c.item_code, c.catalog_version,
                                 &it)) {
        api_fail(req, DD_EINTERNAL, NULL);
        return;
    }
    /* the owner's scope: department steps need the department's officer */
    if (c.owner_department[0]
            ? api_authorise(req, AUTHZ_REFERRAL_HANDLE, c.owner_region,
                            c.owner_department)
            : api_authorise(req, AUTHZ_CASE_WRITE, c.owner_region, NULL)) {
        return;
    }
    if (b.version != c.version) {
        api_error(req, 409, "VERSION_CONFLICT", "version",
                  "the case item was changed meanwhile; reload it",
                  "该事项已被他人修改，请刷新后重试");
        return;
    }
    const char *kv[10];
    size_t pairs = 0;
    const char *inv = b.investigator_count
                          ? json_cases_string_array(
                                req->arena, b.investigators,
                                b.investigator_count)
                          : NULL;
    if (b.result) {
        kv[2 * pairs] = "result";
        kv[2 * pairs++ + 1] = b.result;
    }
    if (b.note) {
        kv[2 * pairs] = "note";
        kv[2 * pairs++ + 1] = b.note;
    }
    if (b.checker) {
        kv[2 * pairs] = "checker";
        kv[2 * pairs++ + 1] = b.checker;
    }
    if (b.amount_fen) {
        kv[2 * pairs] = "amount_fen";
        kv[2 * pairs++ + 1] =
            arena_printf(req->arena, "%lld", (long long)b.amount_fen);
    }
    const char *fields = json_object_of_strings(req->arena, kv, pairs);
    if (inv && fields && strlen(fields) > 1)
        fields = arena_printf(req->arena, "{\"investigators\":%s%s%s", inv,
                              pairs ? "," : "", fields + 1);
    /* the facts a decision was based on, on its event (the timeline) */
    const char *facts_c = facts; /* compact: json_cases_take_object's */
    if (facts_c && fields && strlen(fields) > 2) {
        const char *both = arena_printf(req->arena, "{\"facts\":%s,%s",
                                        facts_c, fields + 1);
        if (both && strlen(both) < sizeof(((struct case_event_row *)0)->fields))
            fields = both;
        else
            fields = arena_printf(req->arena, "{\"facts\":%s}", facts_c);
    } else if (facts_c) {
        fields = arena_printf(req->arena, "{\"facts\":%s}", facts_c);
    }
    struct cases_input in = {.action = b.action,
                             .reasons = b.reasons,
                             .investigators = b.investigators,
                             .investigator_count = b.investigator_count,
                             .amount_fen = b.amount_fen,
                             .result = b.result,
                             .checker = b.checker,
                             .fields_json = fields,
                             .facts = facts};
    if (cases_transition(req, tx, &c, &in, 1)) {
        return;
    }
    if (api_commit(req, tx))
        return;
    struct civil_day day;
    civil_today(&day);
    const char *body = cases_item_json(req, &c, &day);
    if (!body)
        api_fail(req, DD_ENOMEM, NULL);
    else
        api_reply(req, 200, body);
}

/* POST /api/v1/case-items/{id}/assessment {"facts":{...}}: a dry run of
 * the item's engine with the facts, for the caller who may act on the
 * item now (as the actions route checks): {"program","decision",
 * "amount_fen","explanation"}. Nothing changes but one "case.assess"
 * audit row, since the household's personal data are read. 低保 and 特困
 * ignore the facts. 409 NO_ENGINE for an item no engine decides. */
static void
case_item_assess(struct http_request *req)
{
    struct dd_error err = {0};
    struct case_item_row c;
    struct catalog_item it;
    struct store_tx *tx;
    const char *facts = NULL, *rest = NULL;
    struct { int unused; } none;
    unsigned present = 0;
    enum dd_status rc = json_cases_take_object(
        req->arena, req->body.len ? req->body.data : "{}",
        req->body.len ? req->body.len : 2, "facts", &facts, &rest, &err);
    if (rc == DD_OK)
        rc = json_decode_object(req->arena, rest, strlen(rest), NULL, 0, &none,
                                &present, &err);
    if (rc != DD_OK) {
        api_fail(req, rc, &err);
        return;
    }
    if (api_begin(req, STORE_WRITE, &tx))
        return;
    rc = store_case_item_get(tx, api_path_id(req, 0), &c);
    if (rc == DD_OK &&
        api_catalog_copy_version(API(req), c.item_code, c.catalog_version, &it))
        rc = DD_EINTERNAL;
    if (rc != DD_OK) {
        api_fail(req, rc, NULL);
        return;
    }
    if (c.owner_department[0]
            ? api_authorise(req, AUTHZ_REFERRAL_HANDLE, c.owner_region,
                            c.owner_department)
            : api_authorise(req, AUTHZ_CASE_WRITE, c.owner_region, NULL)) {
        return;
    }
    if (!role_fits(API(req), PRINCIPAL(req), &c)) {
        api_error(req, 403, "NOT_YOUR_STEP", "action",
                  "this step is acted on by another role",
                  "此环节应由其他角色办理");
        return;
    }
    struct civil_day day;
    civil_today(&day);
    enum case_engine eng = assess_case_engine(it.program, it.code);
    enum assess_decision decision = ASSESS_NOT_ELIGIBLE;
    int64_t amount = 0;
    const char *expl = NULL;
    if (eng == CASE_ENGINE_NONE) {
        api_error(req, 409, "NO_ENGINE", NULL,
                  "no assessment engine decides this item",
                  "此事项没有测算引擎");
        return;
    }
    if (eng == CASE_ENGINE_DIBAO || eng == CASE_ENGINE_TEKUN) {
        rc = engine_amount(req, tx, &c, &it, &day, &amount, &expl, &decision,
                           &err);
        if (rc == DD_EINVAL && expl)
            rc = DD_OK; /* not eligible: a dry run says so */
        if (rc != DD_OK) {
            if (rc == DD_EINVAL)
                api_error(req, 422, err.code, err.field, err.message,
                          err.message_zh);
            else
                api_fail(req, rc, &err);
            return;
        }
    } else {
        struct case_outcome out;
        if (!facts && assess_case_needs_facts(eng)) {
            api_error(req, 400, "REQUIRED", "facts",
                      "this item's engine needs the facts (see docs/cases.md)",
                      "此事项的测算引擎须提供事实 facts（见 docs/cases.md）");
            return;
        }
        if (case_decide(req, tx, &c, eng, &day, facts, -1, &out, &expl)) {
            return;
        }
        decision = out.decision;
        amount = out.amount_fen;
    }
    const char *body = arena_printf(
        req->arena,
        "{\"program\":\"%s\",\"decision\":\"%s\",\"amount_fen\":%lld,"
        "\"explanation\":%s}",
        assess_case_engine_name(eng), assess_decision_name(decision),
        (long long)amount, expl);
    rc = body ? api_audit(
                    req, tx, "case.assess",
                    arena_printf(req->arena, "case_item:%lld", (long long)c.id),
                    c.owner_region,
                    json_object_of_strings(
                        req->arena,
                        (const char *[]){"case_no", c.case_no, "item",
                                         c.item_code, "decision",
                                         assess_decision_name(decision)},
                        3))
              : DD_ENOMEM;
    if (rc != DD_OK) {
        api_fail(req, rc, NULL);
        return;
    }
    if (api_commit(req, tx))
        return;
    api_reply(req, 200, body);
}

/* GET /api/v1/case-items/{id}/notice(?format=html): the decision notice
 * with the engine's explanation. 409 NO_DECISION before a decision. */
static void
case_item_notice(struct http_request *req)
{
    struct case_item_row c;
    struct catalog_item it;
    struct store_tx *tx;
    struct arena *ar = req->arena;
    const char *format = http_query(req, "format");
    if (format && strcmp(format, "html") != 0 && strcmp(format, "json") != 0) {
        api_error(req, 400, "INVALID_PARAMETER", "format",
                  "format is json or html", "format 须为 json 或 html");
        return;
    }
    if (api_begin(req, STORE_READ, &tx))
        return;
    if (load_item(req, tx, &c, &it)) {
        return;
    }
    char *expl = arena_alloc(ar, EXPLANATION_CAP);
    struct entitlement_row ent;
    int has_ent = 0;
    char masked[64] = "";
    int64_t size = 0;
    enum dd_status rc =
        expl ? store_case_item_explanation_get(tx, c.id, expl, EXPLANATION_CAP)
             : DD_ENOMEM;
    if (rc == DD_OK) {
        rc = store_entitlement_by_case_item(tx, c.id, &ent);
        has_ent = rc == DD_OK;
        if (rc == DD_ENOTFOUND)
            rc = DD_OK;
    }
    if (rc == DD_OK)
        rc = applicant_of(req, tx, c.household_id, masked, sizeof(masked),
                          &size);
    if (rc != DD_OK) {
        api_fail(req, rc, NULL);
        return;
    }
    if (!c.decision[0]) {
        api_error(req, 409, "NO_DECISION", NULL,
                  "the item has no decision yet", "该事项尚未作出决定");
        return;
    }
    int approved = strcmp(c.decision, "approved") == 0;
    if (format && strcmp(format, "html") == 0) {
        const char *html = arena_printf(
            ar,
            "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<title>%s</title><style>body{font-family:serif;max-width:40em;"
            "margin:2em auto}td{padding:.2em 1em}</style></head><body>"
            "<h1>%s决定通知书</h1><table>"
            "<tr><td>案件编号</td><td>%s</td></tr>"
            "<tr><td>申请人</td><td>%s</td></tr>"
            "<tr><td>事项</td><td>%s (%s)</td></tr>"
            "<tr><td>决定</td><td>%s</td></tr>"
            "<tr><td>%s</td><td>%lld.%02lld 元</td></tr>"
            "<tr><td>起始月份</td><td>%s</td></tr>"
            "<tr><td>理由</td><td>%s</td></tr>"
            "<tr><td>决定日期</td><td>%s</td></tr></table>"
            "<p>如对本决定不服，可依法申请行政复议或提起行政诉讼。</p>"
            "</body></html>",
            cases_html(req, c.case_no), cases_html(req, it.name_zh),
            cases_html(req, c.case_no), cases_html(req, masked),
            cases_html(req, it.name_zh), cases_html(req, it.name_en),
            approved ? "批准 (approved)" : "不予批准 (rejected)",
            /* an entitlement pays monthly; an approval without one (临时救助,
             * a department's grant) is paid once */
            has_ent || !approved ? "月发放金额" : "发放金额（一次性）",
            (long long)(c.amount_fen / 100), (long long)(c.amount_fen % 100),
            has_ent ? ent.start_month : "—", cases_html(req, c.reasons),
            cases_html(req, c.closed_on[0] ? c.closed_on : c.step_started_on));
        http_reply(req, 200, "text/html; charset=utf-8", html, strlen(html));
        return;
    }
    const char *body = arena_printf(
        ar,
        "{\"case_no\":\"%s\",\"item_code\":\"%s\",\"name_zh\":%s,"
        "\"name_en\":%s,\"applicant\":%s,\"household_size\":%lld,"
        "\"decision\":\"%s\",\"amount_fen\":%lld,\"start_month\":%s,"
        "\"reasons\":%s,\"explanation\":%s}",
        c.case_no, c.item_code, json_quote(ar, it.name_zh),
        json_quote(ar, it.name_en), json_quote(ar, masked), (long long)size,
        c.decision, (long long)c.amount_fen,
        has_ent ? json_quote(ar, ent.start_month) : "null",
        c.reasons[0] ? json_quote(ar, c.reasons) : "null",
        expl[0] ? expl : "null");
    api_reply(req, 200, body);
}

/* GET /api/v1/tasks: the caller's inbox. Items at the caller's own level
 * (the township's for town roles, the county's for county officers, the
 * department's for its officers) in scope, soonest deadline first, with
 * working days left (warning at 1); items past their deadline owned
 * below the caller's level also show (the supervising level). */
static void
tasks_list(struct http_request *req)
{
    const struct principal *p = PRINCIPAL(req);
    struct arena *ar = req->arena;
    struct store_tx *tx;
    struct civil_day day;
    civil_today(&day);
    struct case_item_row *rows = arena_alloc(ar, INBOX_MAX * sizeof(*rows));
    if (!rows) {
        api_fail(req, DD_ENOMEM, NULL);
        return;
    }
    const char *dept = p->role == ROLE_DEPT_OFFICER ? p->department : "";
    if (api_begin(req, STORE_READ, &tx))
        return;
    struct buf b;
    buf_init(&b, REPLY_CAP);
    enum dd_status rc = buf_puts(&b, "{\"today\":");
    if (rc == DD_OK)
        rc = buf_printf(&b, "\"%s\",\"items\":[", day.s);
    int first = 1;
    for (size_t i = 0; rc == DD_OK && i < p->prefix_count; i++) {
        size_t n = 0;
        rc = store_case_item_inbox(tx, p->prefixes[i], dept, day.s, rows,
                                   INBOX_MAX, &n);
        for (size_t k = 0; rc == DD_OK && k < n; k++) {
            const struct case_item_row *c = &rows[k];
            int own = strcmp(c->owner_region, p->prefixes[i]) == 0 &&
                      (dept[0] || role_fits(API(req), p, c));
            int unc = 0;
            int left = workcal_working_days_left(
                cases_calendar(API(req)), day.day, day_of(c->deadline), &unc);
            if (!own && left >= 0)
                continue;
            const char *item = cases_item_json(req, c, &day);
            if (!item) {
                rc = DD_ENOMEM;
                break;
            }
            rc = buf_printf(&b,
                            "%s{\"warning\":%s,\"overdue\":%s,"
                            "\"supervising\":%s,\"item\":%s}",
                            first ? "" : ",",
                            left >= 0 && left <= 1 ? "true" : "false",
                            left < 0 ? "true" : "false", own ? "false" : "true",
                            item);
            first = 0;
        }
    }
    if (rc == DD_OK)
        rc = buf_puts(&b, "]}");
    const char *body =
        rc == DD_OK ? arena_strndup(ar, b.data ? b.data : "", b.len) : NULL;
    buf_free(&b);
    if (!body)
        api_fail(req, rc == DD_OK ? DD_ENOMEM : rc, NULL);
    else
        api_reply(req, 200, body);
}

/* GET /api/v1/publicity?village=CODE(&format=html): the village's open
 * 公示: masked name, household size, amount, the days; no ID numbers. */
static void
publicity_list(struct http_request *req)
{
    struct arena *ar = req->arena;
    const char *village = http_query(req, "village");
    const char *format = http_query(req, "format");
    struct store_tx *tx;
    if (strlen(village) != 12) {
        api_error(req, 400, "INVALID_PARAMETER", "village",
                  "village is a 12-digit village code",
                  "village 须为 12 位村（社区）代码");
        return;
    }
    if (format && strcmp(format, "html") != 0 && strcmp(format, "json") != 0) {
        api_error(req, 400, "INVALID_PARAMETER", "format",
                  "format is json or html", "format 须为 json 或 html");
        return;
    }
    if (api_authorise(req, AUTHZ_CASE_READ, village, NULL))
        return;
    struct publicity_row *rows = arena_alloc(ar, INBOX_MAX * sizeof(*rows));
    size_t n = 0;
    if (!rows) {
        api_fail(req, DD_ENOMEM, NULL);
        return;
    }
    if (api_begin(req, STORE_READ, &tx))
        return;
    enum dd_status rc =
        store_publicity_by_village(tx, village, rows, INBOX_MAX, &n);
    if (rc != DD_OK) {
        api_fail(req, rc, NULL);
        return;
    }
    int html = format && strcmp(format, "html") == 0;
    struct buf b;
    buf_init(&b, REPLY_CAP);
    long ri = api_region_find(API(req), village);
    const char *vname = ri >= 0 ? API(req)->regions[ri].name : village;
    rc = html ? buf_printf(&b,
                           "<!doctype html><html lang=\"zh-CN\"><head>"
                           "<meta charset=\"utf-8\"><title>公示</title>"
                           "</head><body><h1>%s 社会救助公示</h1><table>"
                           "<tr><th>编号</th><th>事项</th><th>姓名</th>"
                           "<th>家庭人口</th><th>金额（元）</th>"
                           "<th>公示期</th></tr>",
                           cases_html(req, vname))
              : buf_printf(&b, "{\"village\":\"%s\",\"items\":[", village);
    for (size_t i = 0; rc == DD_OK && i < n; i++) {
        struct catalog_item it;
        const char *name = rows[i].item_code;
        if (api_catalog_copy(API(req), rows[i].item_code, NULL, &it) == 0)
            name = arena_strdup(ar, it.name_zh);
        /* a monthly amount, or none yet: 临时救助 支出's is set by the
         * county's approval on the facts, after the 公示 */
        const char *amount =
            rows[i].amount_fen > 0
                ? arena_printf(ar, "%lld.%02lld（月）",
                               (long long)(rows[i].amount_fen / 100),
                               (long long)(rows[i].amount_fen % 100))
                : "待审批确定";
        if (html)
            rc = buf_printf(&b,
                            "<tr><td>%lld</td><td>%s</td><td>%s</td>"
                            "<td>%lld</td><td>%s</td>"
                            "<td>%s 至 %s</td></tr>",
                            (long long)rows[i].id, cases_html(req, name),
                            cases_html(req, rows[i].masked_name),
                            (long long)rows[i].household_size,
                            amount ? amount : "", rows[i].start_day,
                            rows[i].end_day);
        else
            rc = buf_printf(
                &b,
                "%s{\"id\":%lld,\"item_code\":\"%s\",\"item_name_zh\":%s,"
                "\"name\":%s,\"household_size\":%lld,\"amount_fen\":%lld,"
                "\"start_day\":\"%s\",\"end_day\":\"%s\"}",
                i ? "," : "", (long long)rows[i].id, rows[i].item_code,
                json_quote(ar, name), json_quote(ar, rows[i].masked_name),
                (long long)rows[i].household_size,
                (long long)rows[i].amount_fen, rows[i].start_day,
                rows[i].end_day);
    }
    if (rc == DD_OK)
        rc = buf_puts(&b, html ? "</table><p>公示期内如有异议，请向乡镇（街道）"
                                 "反映。</p></body></html>"
                               : "]}");
    const char *body =
        rc == DD_OK ? arena_strndup(ar, b.data ? b.data : "", b.len) : NULL;
    buf_free(&b);
    if (!body)
        api_fail(req, rc == DD_OK ? DD_ENOMEM : rc, NULL);
    else if (html)
        http_reply(req, 200, "text/html; charset=utf-8", body, strlen(body));
    else
        api_reply(req, 200, body);
}

struct objection_body {
    const char *text;
};
static const struct json_field objection_fields[] = {
    {"text", JSON_T_STRING, 1, 1, 500, offsetof(struct objection_body, text)},
};

/* POST /api/v1/publicity/{id}/objections: records an objection during the
 * 公示; the case goes back to investigation (民发〔2021〕57号 Art. 19). */
static void
objection_create(struct http_request *req)
{
    struct objection_body b = {0};
    unsigned present = 0;
    struct publicity_row pub;
    struct case_item_row c;
    struct store_tx *tx;
    if (api_decode(req, objection_fields, 1, &b, &present))
        return;
    if (api_begin(req, STORE_WRITE, &tx))
        return;
    enum dd_status rc = store_publicity_get(tx, api_path_id(req, 0), &pub);
    if (rc == DD_OK &&
        api_authorise(req, AUTHZ_CASE_WRITE, pub.village_code, NULL)) {
        return;
    }
    if (rc == DD_OK && strcmp(pub.state, "open") != 0) {
        api_error(req, 409, "PUBLICITY_CLOSED", NULL,
                  "this publicity has ended", "该公示已结束");
        return;
    }
    if (rc == DD_OK)
        rc = store_case_item_get(tx, pub.case_item_id, &c);
    if (rc != DD_OK) {
        api_fail(req, rc, NULL);
        return;
    }
    struct cases_input in = {.action = "object", .reasons = b.text};
    if (cases_transition(req, tx, &c, &in, 0)) {
        return;
    }
    if (api_commit(req, tx))
        return;
    struct civil_day day;
    civil_today(&day);
    const char *item = cases_item_json(req, &c, &day);
    api_reply(req, 201,
              item ? arena_printf(req->arena,
                                  "{\"publicity_id\":%lld,\"item\":%s}",
                                  (long long)pub.id, item)
                   : NULL);
}

static const struct param_spec id_param[] = {
    {"id", PARAM_DIGITS, 1, 18, 0, 0},
};
static const struct param_spec no_query[] = {{NULL, 0, 0, 0, 0, 0}};
static const struct param_spec notice_query[] = {
    {"format", PARAM_NAME, 0, 4, 0, 0},
    {NULL, 0, 0, 0, 0, 0},
};
static const struct param_spec publicity_query[] = {
    {"village", PARAM_REGION, 1, 12, 0, 0},
    {"format", PARAM_NAME, 0, 4, 0, 0},
    {NULL, 0, 0, 0, 0, 0},
};

static const struct route routes[] = {
    {"GET", "/api/v1/case-items/{id}", id_param, no_query, AUTHZ_CASE_READ, 0,
     case_item_get, "one case item with its timeline"},
    {"POST", "/api/v1/case-items/{id}/actions", id_param, no_query,
     AUTHZ_CASE_READ, ROUTE_BODY, case_item_action,
     "act on a case item's step (version-checked, audited)"},
    {"POST", "/api/v1/case-items/{id}/assessment", id_param, no_query,
     AUTHZ_CASE_READ, ROUTE_BODY, case_item_assess,
     "a dry run of the item's engine with the decider's facts (audited)"},
    {"GET", "/api/v1/case-items/{id}/notice", id_param, notice_query,
     AUTHZ_CASE_READ, 0, case_item_notice,
     "the decision notice with the engine's explanation"},
    {"GET", "/api/v1/tasks", NULL, no_query, AUTHZ_CASE_READ, 0, tasks_list,
     "the caller's inbox, soonest deadline first"},
    {"GET", "/api/v1/publicity", NULL, publicity_query, AUTHZ_CASE_READ, 0,
     publicity_list, "a village's open 公示 (JSON or a print page)"},
    {"POST", "/api/v1/publicity/{id}/objections", id_param, no_query,
     AUTHZ_CASE_WRITE, ROUTE_BODY, objection_create,
     "record an objection; the case goes back to investigation"},
};

const struct route_table api_case_routes = {
    "cases", routes, sizeof(routes) / sizeof(routes[0])};
