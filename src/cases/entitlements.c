/* SPDX-License-Identifier: MIT */
/* The caseload after approval (在保对象, issue 13): suspension, resumption,
 * a change of amount (增发/减发), stop and 渐退 of an entitlement, each a
 * decision the domain's state machine allows (domain/entitlement.h) on
 * the entitlement's replayed history, made at the version read by the
 * level that decides the item, taking effect from the month the
 * programme's lag parameters give, recorded in entitlement_change and
 * audited with the digest of the entitlement's new state. */
#include "cases/cases_internal.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "domain/entitlement.h"
#include "domain/month.h"
#include "domain/workcal.h"
#include "json/json.h"

/* ---- the parameters ---- */

/* Each struct ent_params field and its key: per programme (prefixed with
 * the catalog item's program) or the 低保 figure every programme reads
 * (domain/entitlement.h). */
static const struct {
    const char *key;
    size_t offset;
    int per_program;
} param_keys[] = {
    {"effect.increase_lag_months",
     offsetof(struct ent_params, increase_lag_months), 1},
    {"effect.decrease_lag_months",
     offsetof(struct ent_params, decrease_lag_months), 1},
    {"effect.stop_lag_months", offsetof(struct ent_params, stop_lag_months), 1},
    {"effect.suspend_lag_months",
     offsetof(struct ent_params, suspend_lag_months), 1},
    {"effect.resume_lag_months", offsetof(struct ent_params, resume_lag_months),
     1},
    {"effect.death_lag_months", offsetof(struct ent_params, death_lag_months),
     1},
    {"dibao.phaseout.months", offsetof(struct ent_params, phaseout_months), 0},
    {"dibao.publicity_days", offsetof(struct ent_params, publicity_days), 0},
    {"dibao.work_refusals", offsetof(struct ent_params, work_refusals), 0},
};

enum dd_status
cases_entitlement_params(const struct cases_ctx *x, const char *program,
                         const char *county, struct ent_params *p,
                         struct dd_error *err)
{
    memset(p, 0, sizeof(*p));
    for (size_t i = 0; i < sizeof(param_keys) / sizeof(param_keys[0]); i++) {
        const char *key =
            param_keys[i].per_program
                ? arena_printf(x->arena, "%s.%s", program, param_keys[i].key)
                : param_keys[i].key;
        if (!key)
            return DD_ENOMEM;
        int64_t v = cases_policy_value(x, key, county, INT64_MIN);
        if (v == INT64_MIN) {
            cases_err(err, "POLICY_KEY_MISSING", "event",
                      arena_printf(x->arena, "no %s in force", key),
                      arena_printf(x->arena, "政策参数 %s 未生效", key));
            return DD_EREFUSED;
        }
        *(int *)((char *)p + param_keys[i].offset) =
            v > INT32_MAX || v < INT32_MIN ? INT32_MAX : (int)v;
    }
    if (!ent_params_ok(p)) {
        cases_err(err, "POLICY_OUT_OF_RANGE", "event",
                  "the caseload's policy values in force are out of range",
                  "在保对象管理的政策参数超出范围");
        return DD_EREFUSED;
    }
    return DD_OK;
}

/* ---- names ---- */

static int
event_parse(const char *name, enum ent_event *out)
{
    for (int i = 0; name && i < ENT_EV__COUNT; i++)
        if (strcmp(name, ent_event_name((enum ent_event)i)) == 0) {
            *out = (enum ent_event)i;
            return 0;
        }
    return -1;
}

static int
state_parse(const char *name, enum ent_state *out)
{
    for (int i = 0; i < ENT_STATE__COUNT; i++)
        if (strcmp(name, ent_state_name((enum ent_state)i)) == 0) {
            *out = (enum ent_state)i;
            return 0;
        }
    return -1;
}

enum dd_status
cases_entitlement_history(const struct entitlement_row *e,
                          const struct entitlement_change_row *rows, size_t n,
                          struct ent_change *buf, struct ent_history *h)
{
    memset(h, 0, sizeof(*h));
    if (month_parse(e->start_month, &h->start_month) != 0)
        return DD_EINTERNAL;
    h->amount_fen = e->monthly_fen;
    for (size_t i = 0; i < n; i++) {
        struct ent_change *c = &buf[i];
        memset(c, 0, sizeof(*c));
        if (event_parse(rows[i].event, &c->event) != 0 ||
            month_parse(rows[i].effect_month, &c->from_month) != 0 ||
            (c->event == ENT_EV_STOP &&
             ent_stop_reason_parse(rows[i].reason_code, &c->reason) != 0))
            return DD_EINTERNAL;
        c->amount_fen = rows[i].amount_fen;
        c->months = (int)rows[i].months;
    }
    h->changes = buf;
    h->change_count = n;
    return DD_OK;
}

/* ---- the notice ---- */

/* 低保: Art. 32 (增发/减发/停发 with a legal ground, reductions and stops
 * notified with reasons), Art. 33 (渐退), Art. 34 (the work test),
 * domain.md §1.6; 特困: termination Arts. 24–26, domain.md §2. Appeals:
 * 行政复议 within 60 days (行政复议法 Art. 20) or 行政诉讼 within 6
 * months (行政诉讼法 Art. 46), Art. 38 of 57号, domain.md §1.6. */
static void
notice_of(const char *program, struct cases_ent_notice *n)
{
    if (strcmp(program, "dibao") == 0) {
        n->ground_zh = "《社会救助暂行办法》；《最低生活保障审核确认办法》"
                       "（民发〔2021〕57号）第三十二条至第三十四条";
        n->ground_en = "Interim Measures on Social Assistance; Measures for "
                       "the Review and Confirmation of Dibao (民发〔2021〕57号)"
                       " Arts. 32-34";
    } else if (strcmp(program, "tekun") == 0) {
        n->ground_zh = "《社会救助暂行办法》；《特困人员认定办法》"
                       "第二十四条至第二十六条";
        n->ground_en = "Interim Measures on Social Assistance; Measures for "
                       "Identifying Persons in Extreme Poverty Arts. 24-26";
    } else {
        n->ground_zh = "《社会救助暂行办法》";
        n->ground_en = "Interim Measures on Social Assistance";
    }
    n->appeal_zh = "如对本决定不服，可自收到本决定之日起60日内依法申请"
                   "行政复议，或者自收到本决定之日起6个月内依法提起行政诉讼。";
    n->appeal_en = "If you disagree with this decision, you may apply for "
                   "administrative reconsideration (行政复议) within 60 days "
                   "of receiving it, or bring an administrative lawsuit "
                   "(行政诉讼) within 6 months of receiving it.";
}

/* ---- a decision ---- */

/* Whether role decides at level (the catalog's decide_level): a county
 * item by a county officer, a township item by a township reviewer, as
 * the approval itself (data/catalog/steps.csv). */
int
cases_level_fits(enum role role, const char *level)
{
    if (strcmp(level, "county") == 0)
        return role == ROLE_COUNTY_OFFICER;
    if (strcmp(level, "township") == 0)
        return role == ROLE_TOWN_REVIEWER;
    return 0;
}

static enum dd_status
invalid(struct dd_error *err, const char *code, const char *field,
        const char *en, const char *zh)
{
    cases_err(err, code, field, en, zh);
    return DD_EINVAL;
}

/* The fields event ev needs from in, with e as it stands and p the
 * parameters; fills the change's amount, months and reason. */
static enum dd_status
event_fields(enum ent_event ev, const struct cases_ent_input *in,
             const struct entitlement_row *e, const struct ent_params *p,
             struct entitlement_change_row *c, struct dd_error *err)
{
    int needs_text =
        ev == ENT_EV_SUSPEND || ev == ENT_EV_INCREASE || ev == ENT_EV_DECREASE;
    if (ev == ENT_EV_STOP) {
        enum ent_stop_reason r;
        if (!in->reason_code || ent_stop_reason_parse(in->reason_code, &r))
            return invalid(err, "INVALID_REASON", "reason_code",
                           "reason_code is one of death, income, moved_away, "
                           "aged_out, refused_work, voluntary, fraud, other",
                           "停发原因 reason_code 无效");
        str_copy(c->reason_code, sizeof(c->reason_code),
                 ent_stop_reason_name(r));
        needs_text = r == ENT_STOP_OTHER;
    }
    /* a suspension a recorded death made (cases/deaths.c), which its
     * withdrawal finds again */
    if (ev == ENT_EV_SUSPEND && in->reason_code &&
        strcmp(in->reason_code, CASES_DEATH_REASON) == 0)
        str_copy(c->reason_code, sizeof(c->reason_code), CASES_DEATH_REASON);
    if (needs_text && (!in->reason_text || !in->reason_text[0]))
        return invalid(err, "REASON_REQUIRED", "reason_text",
                       "this decision states its reasons (57号 Art. 32)",
                       "该决定须说明理由（民发〔2021〕57号第三十二条）");
    str_copy(c->reason_text, sizeof(c->reason_text),
             in->reason_text ? in->reason_text : "");
    if (ev == ENT_EV_INCREASE || ev == ENT_EV_DECREASE) {
        if (in->amount_fen < 1 ||
            (ev == ENT_EV_INCREASE && in->amount_fen <= e->amount_fen) ||
            (ev == ENT_EV_DECREASE && in->amount_fen >= e->amount_fen))
            return invalid(
                err, "INVALID_AMOUNT", "amount_fen",
                ev == ENT_EV_INCREASE
                    ? "an increase gives a monthly amount above the current"
                    : "a decrease gives a monthly amount from 1 fen to "
                      "below the current (to end it, stop it)",
                ev == ENT_EV_INCREASE ? "增发后的月金额须高于现金额"
                                      : "减发后的月金额须低于现金额且大于零");
        c->amount_fen = in->amount_fen;
    }
    if (ev == ENT_EV_PHASEOUT) {
        int64_t months = in->months ? in->months : p->phaseout_months;
        if (months < 1 || months > p->phaseout_months)
            return invalid(err, "PHASEOUT_MONTHS", "months",
                           "a phase-out lasts from 1 month to "
                           "dibao.phaseout.months (57号 Art. 33)",
                           "渐退期须为1个月至政策规定的月数"
                           "（民发〔2021〕57号第三十三条）");
        c->months = months;
    }
    return DD_OK;
}

/* The month the decision takes effect: the one given, else the decision
 * month plus the event's lag (a death's own lag for a stop on death). */
static enum dd_status
effect_month(const struct cases_ctx *x, enum ent_event ev,
             const struct cases_ent_input *in, const struct ent_params *p,
             const struct entitlement_change_row *c, int32_t *out,
             struct dd_error *err)
{
    if (in->effect_month) {
        if (month_parse(in->effect_month, out) != 0)
            return invalid(err, "INVALID_MONTH", "effect_month",
                           "effect_month is a month YYYY-MM",
                           "生效月份 effect_month 须为 YYYY-MM");
        return DD_OK;
    }
    int32_t day = workcal_day_from_ymd(x->day.y, x->day.m, x->day.d);
    *out = ent_effect_month(p, ev, day);
    if (ev == ENT_EV_STOP && strcmp(c->reason_code, "death") == 0)
        *out = month_of_day(day) + p->death_lag_months;
    return DD_OK;
}

/* Replays e's history with the new change c: an order the domain refuses
 * (an effect month before an earlier decision's, ...) is the effect
 * month's fault. A month from the lag (defaulted) is first brought up to
 * the start and the last decision's month: a resumption (lag 0) of a
 * suspension from next month applies from next month, not before it. */
static enum dd_status
replay_ok(const struct cases_ctx *x, const struct entitlement_row *e,
          const struct ent_params *p, struct entitlement_change_row *c,
          int defaulted, size_t *seq, struct dd_error *err)
{
    struct entitlement_change_row *rows =
        arena_alloc(x->arena, (CASES_ENT_HISTORY_MAX + 1) * sizeof(*rows));
    struct ent_change *buf =
        arena_alloc(x->arena, (CASES_ENT_HISTORY_MAX + 1) * sizeof(*buf));
    struct ent_history h;
    struct ent_due due;
    size_t n = 0;
    if (!rows || !buf)
        return DD_ENOMEM;
    enum dd_status rc = store_entitlement_change_list(
        x->tx, e->id, rows, CASES_ENT_HISTORY_MAX, &n);
    if (rc == DD_OK && n == CASES_ENT_HISTORY_MAX)
        rc = DD_ETOOBIG;
    if (rc != DD_OK)
        return rc;
    if (defaulted) {
        const char *least = n ? rows[n - 1].effect_month : e->start_month;
        if (strcmp(c->effect_month, least) < 0)
            str_copy(c->effect_month, sizeof(c->effect_month), least);
    }
    rows[n] = *c;
    rc = cases_entitlement_history(e, rows, n + 1, buf, &h);
    if (rc != DD_OK)
        return rc;
    if (ent_owed(p, &h, buf[n].from_month, &due, NULL) == DD_OK) {
        *seq = n + 1;
        return DD_OK;
    }
    /* a 渐退 over by that month has stopped the entitlement, though its
     * row still reads active (nothing settles it yet) */
    h.change_count = n;
    if (ent_owed(p, &h, buf[n].from_month, &due, NULL) == DD_OK &&
        due.state == ENT_STOPPED) {
        cases_err(err, "ENTITLEMENT_STOPPED", "event",
                  "the entitlement's phase-out has ended by that month",
                  "该待遇的渐退期已于该月前结束，待遇已停发");
        return DD_ECONFLICT;
    }
    return invalid(err, "EFFECT_MONTH_ORDER", "effect_month",
                   "the effect month is before the entitlement's start "
                   "or an earlier decision's",
                   "生效月份早于待遇起始月或此前决定的生效月份");
}

/* Writes e and, for a decision (c->seq set), its change c; audits
 * entitlement.<action> with the digest `doudi check` recomputes: e with
 * its latest change (c, or the last before a 公示's opening or
 * withdrawal, which adds none: seq 0). */
static enum dd_status
record(const struct cases_ctx *x, struct entitlement_row *e,
       struct entitlement_change_row *c, const char *action,
       struct dd_error *err)
{
    char digest[DIGEST_HEX_LEN + 1];
    struct entitlement_change_row last;
    const struct entitlement_change_row *latest = c;
    enum dd_status rc = store_entitlement_update(x->tx, e);
    if (rc == DD_ECONFLICT)
        cases_err(err, "VERSION_CONFLICT", "version",
                  "the entitlement was changed meanwhile; reload it",
                  "该待遇已被他人修改，请刷新后重试");
    if (rc == DD_OK && c->seq) {
        rc = store_entitlement_change_insert(x->tx, c);
    } else if (rc == DD_OK) {
        /* none before the first decision: seq 0, as cases/payees.c */
        latest = &last;
        rc = store_entitlement_change_last(x->tx, e->id, &last);
        if (rc == DD_ENOTFOUND) {
            memset(&last, 0, sizeof(last));
            rc = DD_OK;
        }
    }
    if (rc == DD_OK)
        rc = digest_entitlement(e, latest, digest);
    if (rc != DD_OK)
        return rc;
    char version[24];
    snprintf(version, sizeof(version), "%lld", (long long)e->version);
    return cases_audit(
        x, arena_printf(x->arena, "entitlement.%s", action),
        arena_printf(x->arena, "entitlement:%lld", (long long)e->id),
        e->region_code,
        json_object_of_strings(
            x->arena,
            (const char *[]){"item", e->item_code, "event", c->event,
                             "effect_month", c->effect_month, "state", e->state,
                             "version", version, "digest", digest},
            6));
}

/* ---- a stop's 公示 ---- */

/* The days program publicises a stop for reason before deciding it
 * (<program>.stop.publicity_days in force: 特困人员认定办法 Art. 26,
 * domain.md §2) into *days, 0 for none; out of ent_params_ok's range
 * (1 to 30 days) DD_EREFUSED. A death is not publicised: nobody is left
 * to object, and its stop takes the death lag (issue 13 §5). */
static enum dd_status
publicity_days(const struct cases_ctx *x, const char *program,
               const char *county, const char *reason,
               const struct ent_params *p, int64_t *days,
               struct dd_error *err)
{
    struct ent_params q = *p;
    *days = strcmp(reason, "death") == 0
                ? 0
                : cases_policy_value(x,
                                     arena_printf(x->arena,
                                                  "%s.stop.publicity_days",
                                                  program),
                                     county, 0);
    q.publicity_days = *days > 30 ? 31 : (int)*days;
    if (*days == 0 || ent_params_ok(&q))
        return DD_OK;
    cases_err(err, "POLICY_OUT_OF_RANGE", "event",
              "the stop's publicity days in force are out of range",
              "停发公示天数的政策参数超出范围");
    return DD_EREFUSED;
}

/* The first day the stop publicised on e may be decided. */
static int32_t
decision_day(const struct entitlement_row *e)
{
    struct ent_params q = {.publicity_days = (int)e->publicity_days};
    return ent_publicity_decision_day(&q, cases_day_of(e->publicity_from));
}

static void
publicity_clear(struct entitlement_row *e)
{
    e->publicity_from[0] = e->publicity_reason[0] = '\0';
    e->publicity_days = 0;
}

/* A stop of e with reason c->reason_code under a 公示 of days days (0:
 * none): DD_OK to decide it now (any 公示 cleared from e: a death's stop
 * ends one too) or, *opened set, after opening one on e (recorded); or
 * the refusal while one runs. */
static enum dd_status
publicity_gate(const struct cases_ctx *x, struct entitlement_row *e,
               int64_t days, struct entitlement_change_row *c, int *opened,
               struct dd_error *err)
{
    if (days > 0 && !e->publicity_from[0]) {
        str_copy(e->publicity_from, sizeof(e->publicity_from), x->day.s);
        e->publicity_days = days;
        str_copy(e->publicity_reason, sizeof(e->publicity_reason),
                 c->reason_code);
        str_copy(c->event, sizeof(c->event), ent_event_name(ENT_EV_STOP));
        *opened = 1;
        return record(x, e, c, "stop_publicity", err);
    }
    if (days > 0 && strcmp(c->reason_code, e->publicity_reason) != 0) {
        cases_err(err, "PUBLICITY_REASON", "reason_code",
                  arena_printf(x->arena,
                               "the stop publicised is for %s; withdraw it "
                               "(cancel_publicity) to publicise another",
                               e->publicity_reason),
                  arena_printf(x->arena,
                               "公示的停发原因为 %s；如需更改，请先撤销公示",
                               e->publicity_reason));
        return DD_ECONFLICT;
    }
    if (days > 0 && x->day.day < decision_day(e)) {
        char day[11];
        workcal_format_date(decision_day(e), day);
        cases_err(err, "PUBLICITY_RUNNING", "event",
                  arena_printf(x->arena,
                               "the stop's publicity runs; it may be "
                               "decided from %s",
                               day),
                  arena_printf(x->arena, "停发公示期间，%s 起方可作出决定",
                               day));
        return DD_ECONFLICT;
    }
    publicity_clear(e);
    return DD_OK;
}

/* Withdraws the 公示 running on e (an objection upheld, or the stop
 * dropped: Art. 26). */
static enum dd_status
publicity_cancel(const struct cases_ctx *x, struct entitlement_row *e,
                 struct entitlement_change_row *c, struct dd_error *err)
{
    if (!e->publicity_from[0]) {
        cases_err(err, "NO_PUBLICITY", "cancel_publicity",
                  "no stop's publicity is running", "该待遇没有进行中的停发公示");
        return DD_ECONFLICT;
    }
    publicity_clear(e);
    str_copy(c->event, sizeof(c->event), ent_event_name(ENT_EV_STOP));
    return record(x, e, c, "stop_publicity_cancel", err);
}

int
cases_entitlement_publicity(const struct entitlement_row *e, char until[11],
                            char decision_from[11])
{
    if (!e->publicity_from[0])
        return 0;
    workcal_format_date(decision_day(e) - 1, until);
    workcal_format_date(decision_day(e), decision_from);
    return 1;
}

enum dd_status
cases_entitlement_change(const struct cases_ctx *x, struct entitlement_row *e,
                         const struct cases_ent_input *in,
                         struct entitlement_change_row *out,
                         struct cases_ent_notice *notice, struct dd_error *err)
{
    struct catalog_item it;
    struct ent_params p;
    enum ent_event ev;
    enum ent_state from, to;
    int32_t mo;
    size_t seq = 0;
    int opened = 0;
    int64_t days = 0;
    memset(out, 0, sizeof(*out));
    enum dd_status rc = cases_item_on(x, e->item_code, NULL, &it);
    if (rc == DD_OK && state_parse(e->state, &from) != 0)
        rc = DD_EINTERNAL;
    if (rc != DD_OK)
        return rc;
    if (!cases_level_fits(x->actor.role, it.decide_level)) {
        cases_err(err, "NOT_DECIDING_LEVEL", NULL,
                  "the office that decides this item decides its changes",
                  "待遇变更须由该事项的审批层级决定");
        return DD_EDENIED;
    }
    if (in->version != e->version) {
        cases_err(err, "VERSION_CONFLICT", "version",
                  "the entitlement was changed meanwhile; reload it",
                  "该待遇已被他人修改，请刷新后重试");
        return DD_ECONFLICT;
    }
    if (event_parse(in->event, &ev) != 0)
        return invalid(err, "INVALID_EVENT", "event",
                       "event is one of suspend, resume, increase, "
                       "decrease, stop, phaseout",
                       "事件 event 无效");
    rc = ent_next(from, ev, &to, err);
    notice_of(it.program, notice);
    if (rc == DD_OK && in->cancel_publicity)
        return ev == ENT_EV_STOP
                   ? publicity_cancel(x, e, out, err)
                   : invalid(err, "INVALID_EVENT", "cancel_publicity",
                             "cancel_publicity goes with the event stop",
                             "撤销公示须与停发事件一起提交");
    if (rc == DD_OK)
        rc = cases_entitlement_params(x, it.program, e->county_code, &p, err);
    if (rc == DD_OK)
        rc = event_fields(ev, in, e, &p, out, err);
    if (rc == DD_OK && ev == ENT_EV_STOP)
        rc = publicity_days(x, it.program, e->county_code, out->reason_code,
                            &p, &days, err);
    if (rc == DD_OK && ev == ENT_EV_STOP)
        rc = publicity_gate(x, e, days, out, &opened, err);
    if (rc != DD_OK || opened)
        return rc;
    rc = effect_month(x, ev, in, &p, out, &mo, err);
    if (rc != DD_OK)
        return rc;
    out->entitlement_id = e->id;
    out->review_id = in->review_id;
    str_copy(out->county_code, sizeof(out->county_code), e->county_code);
    str_copy(out->event, sizeof(out->event), ent_event_name(ev));
    month_format(mo, out->effect_month);
    str_copy(out->decided_by, sizeof(out->decided_by),
             x->actor.name ? x->actor.name : "anonymous");
    snprintf(out->decided_on, sizeof(out->decided_on), "%04d-%02d-%02d",
             x->day.y, x->day.m, x->day.d);
    rc = replay_ok(x, e, &p, out, in->effect_month == NULL, &seq, err);
    if (rc != DD_OK)
        return rc;
    out->seq = (int64_t)seq;
    str_copy(e->state, sizeof(e->state), ent_state_name(to));
    if (ev == ENT_EV_INCREASE || ev == ENT_EV_DECREASE)
        e->amount_fen = out->amount_fen;
    if (ev == ENT_EV_STOP)
        str_copy(e->stop_reason, sizeof(e->stop_reason), out->reason_code);
    return record(x, e, out, out->event, err);
}
