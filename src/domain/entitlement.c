/* SPDX-License-Identifier: MIT */
/* The entitlement state machine and its month arithmetic. A history is
 * replayed decision by decision (each checked by ent_next), so the
 * amount owed for any month is the state the decisions in force leave,
 * and an impossible history is refused rather than paid. */
#include "domain/entitlement.h"

#include <string.h>

#include "domain/engine.h"
#include "domain/month.h"

static const char *const state_names[ENT_STATE__COUNT] = {"active", "suspended",
                                                          "stopped"};
static const char *const event_names[ENT_EV__COUNT] = {
    "suspend", "resume", "increase", "decrease", "stop", "phaseout"};
static const char *const reason_names[ENT_STOP__COUNT] = {
    "death",        "income",    "moved_away", "aged_out",
    "refused_work", "voluntary", "fraud",      "other"};

const char *
ent_state_name(enum ent_state s)
{
    return engine_enum_ok((int)s, ENT_STATE__COUNT) ? state_names[s] : "";
}

const char *
ent_event_name(enum ent_event e)
{
    return engine_enum_ok((int)e, ENT_EV__COUNT) ? event_names[e] : "";
}

const char *
ent_stop_reason_name(enum ent_stop_reason r)
{
    return engine_enum_ok((int)r, ENT_STOP__COUNT) ? reason_names[r] : "";
}

int
ent_stop_reason_parse(const char *name, enum ent_stop_reason *out)
{
    int i = engine_name_index(reason_names, ENT_STOP__COUNT, name);
    if (i < 0)
        return -1;
    *out = (enum ent_stop_reason)i;
    return 0;
}

int
ent_params_ok(const struct ent_params *p)
{
    return p != NULL && engine_range_ok(p->increase_lag_months, 0, 12) &&
           engine_range_ok(p->decrease_lag_months, 0, 12) &&
           engine_range_ok(p->stop_lag_months, 0, 12) &&
           engine_range_ok(p->suspend_lag_months, 0, 12) &&
           engine_range_ok(p->resume_lag_months, 0, 12) &&
           engine_range_ok(p->death_lag_months, 0, 12) &&
           engine_range_ok(p->phaseout_months, 0, 6) &&
           engine_range_ok(p->publicity_days, 1, 30) &&
           engine_range_ok(p->work_refusals, 1, 12);
}

/* ---- the state machine ---- */

enum dd_status
ent_next(enum ent_state from, enum ent_event e, enum ent_state *to,
         struct dd_error *err)
{
    if (!engine_enum_ok((int)from, ENT_STATE__COUNT) ||
        !engine_enum_ok((int)e, ENT_EV__COUNT))
        return dd_invalid(err, "INVALID_EVENT", "event",
                          "unknown entitlement state or event",
                          "未知的待遇状态或事件");
    const char *code = NULL, *en = NULL, *zh = NULL;
    enum ent_state next = from;
    if (from == ENT_STOPPED) {
        code = "ENTITLEMENT_STOPPED";
        en = "the entitlement has stopped";
        zh = "该待遇已停发";
    } else if (e == ENT_EV_SUSPEND && from == ENT_SUSPENDED) {
        code = "ALREADY_SUSPENDED";
        en = "the entitlement is already suspended";
        zh = "该待遇已暂停";
    } else if (e == ENT_EV_RESUME && from != ENT_SUSPENDED) {
        code = "NOT_SUSPENDED";
        en = "the entitlement is not suspended";
        zh = "该待遇未暂停";
    } else if (e == ENT_EV_PHASEOUT && from == ENT_SUSPENDED) {
        code = "ENTITLEMENT_SUSPENDED";
        en = "resume the entitlement before a phase-out";
        zh = "待遇暂停中，须先恢复才能渐退";
    } else if (e == ENT_EV_SUSPEND) {
        next = ENT_SUSPENDED;
    } else if (e == ENT_EV_RESUME) {
        next = ENT_ACTIVE;
    } else if (e == ENT_EV_STOP) {
        next = ENT_STOPPED;
    }
    if (code != NULL) {
        (void)dd_invalid(err, code, "event", en, zh);
        return DD_ECONFLICT;
    }
    if (to != NULL)
        *to = next;
    return DD_OK;
}

int32_t
ent_effect_month(const struct ent_params *p, enum ent_event e, int32_t decided)
{
    int lag = 0;
    switch (e) {
    case ENT_EV_SUSPEND: lag = p->suspend_lag_months; break;
    case ENT_EV_RESUME: lag = p->resume_lag_months; break;
    case ENT_EV_INCREASE: lag = p->increase_lag_months; break;
    case ENT_EV_DECREASE: lag = p->decrease_lag_months; break;
    /* 渐退 keeps the amount from when the stop would have applied */
    case ENT_EV_STOP:
    case ENT_EV_PHASEOUT: lag = p->stop_lag_months; break;
    default: break;
    }
    return month_of_day(decided) + lag;
}

int32_t
ent_publicity_decision_day(const struct ent_params *p, int32_t start)
{
    return start + p->publicity_days + 1;
}

int
ent_work_refusals_reached(const struct ent_params *p, int refusals)
{
    return refusals >= p->work_refusals;
}

/* ---- replaying a history ---- */

struct replay {
    enum ent_state state;
    int64_t amount_fen;
    int32_t phase_from; /* the 渐退's first month, when phase_months > 0 */
    int phase_months;
    enum ent_stop_reason reason;
};

/* A 渐退 over by month mo stops the entitlement (the rise in income is
 * what it was granted for: reason income). */
static void
settle(struct replay *r, int32_t mo)
{
    if (r->state != ENT_STOPPED && r->phase_months > 0 &&
        mo >= r->phase_from + r->phase_months) {
        r->state = ENT_STOPPED;
        r->reason = ENT_STOP_INCOME;
    }
}

/* Applies c to r: 0, or -1 when c is not a valid next decision. */
static int
apply(const struct ent_params *p, struct replay *r, const struct ent_change *c)
{
    settle(r, c->from_month);
    if (ent_next(r->state, c->event, &r->state, NULL) != DD_OK)
        return -1;
    switch (c->event) {
    case ENT_EV_INCREASE:
    case ENT_EV_DECREASE:
        if (!engine_standard_ok(c->amount_fen) ||
            (c->event == ENT_EV_INCREASE) != (c->amount_fen > r->amount_fen) ||
            c->amount_fen == r->amount_fen)
            return -1;
        r->amount_fen = c->amount_fen;
        return 0;
    case ENT_EV_STOP:
        if (!engine_enum_ok((int)c->reason, ENT_STOP__COUNT))
            return -1;
        r->reason = c->reason;
        return 0;
    case ENT_EV_PHASEOUT:
        if (r->phase_months > 0 ||
            !engine_range_ok(c->months, 1, p->phaseout_months))
            return -1;
        r->phase_from = c->from_month;
        r->phase_months = c->months;
        return 0;
    default: return 0;
    }
}

static enum dd_status
history_invalid(struct dd_error *err)
{
    return dd_invalid(err, "INVALID_HISTORY", "history",
                      "the entitlement's history is not a valid sequence",
                      "待遇变更记录不是有效的顺序");
}

/* Checks all of h, decision by decision, and leaves in *r the state the
 * decisions in force in month mo give. 0, or -1 when h is invalid. */
static int
replay(const struct ent_params *p, const struct ent_history *h, int32_t mo,
       struct replay *r)
{
    if (!ent_params_ok(p) || h == NULL || !month_ok(h->start_month) ||
        !engine_standard_ok(h->amount_fen) ||
        (h->change_count > 0 && h->changes == NULL))
        return -1;
    struct replay all = {ENT_ACTIVE, h->amount_fen, 0, 0, ENT_STOP_OTHER};
    int32_t last = h->start_month;
    int taken = 0;
    for (size_t i = 0; i < h->change_count; i++) {
        const struct ent_change *c = &h->changes[i];
        if (!month_ok(c->from_month) || c->from_month < last)
            return -1;
        last = c->from_month;
        if (!taken && c->from_month > mo) {
            *r = all; /* the state mo sees: before c */
            taken = 1;
        }
        if (apply(p, &all, c) != 0)
            return -1;
    }
    if (!taken)
        *r = all;
    settle(r, mo);
    return 0;
}

enum dd_status
ent_owed(const struct ent_params *p, const struct ent_history *h, int32_t mo,
         struct ent_due *out, struct dd_error *err)
{
    struct replay r = {ENT_ACTIVE, 0, 0, 0, ENT_STOP_OTHER};
    if (!engine_start(out, sizeof(*out), month_ok(mo)) ||
        replay(p, h, mo, &r) != 0)
        return history_invalid(err);
    out->month = mo;
    out->state = r.state;
    out->reason = r.reason;
    if (mo < h->start_month) {
        out->not_started = 1;
        return DD_OK;
    }
    if (r.state == ENT_ACTIVE) {
        out->amount_fen = r.amount_fen;
        if (r.phase_months > 0 && mo >= r.phase_from)
            out->phaseout_month = (int)(mo - r.phase_from) + 1;
    }
    return DD_OK;
}

/* ---- back pay, 渐退, overpayment ---- */

/* A result list's size against its buffer: DD_ETOOBIG when n > cap. */
static enum dd_status
list_fits(size_t n, size_t cap, struct dd_error *err)
{
    if (n <= cap)
        return DD_OK;
    (void)dd_invalid(err, "BUFFER_TOO_SMALL", NULL,
                     "the result does not fit the buffer given",
                     "结果超出所给缓冲区");
    return DD_ETOOBIG;
}

enum dd_status
ent_backpay(const struct ent_params *p, const struct ent_history *h,
            int32_t from, int32_t through, struct ent_due *out, size_t cap,
            size_t *count, int64_t *total_fen, struct dd_error *err)
{
    if (count == NULL || total_fen == NULL || !month_ok(from) ||
        !month_ok(through) || through < from || (cap > 0 && out == NULL))
        return history_invalid(err);
    *count = (size_t)(through - from) + 1;
    *total_fen = 0;
    enum dd_status rc = list_fits(*count, cap, err);
    for (size_t i = 0; rc == DD_OK && i < *count; i++) {
        rc = ent_owed(p, h, from + (int32_t)i, &out[i], err);
        *total_fen += out[i].amount_fen;
    }
    return rc;
}

enum dd_status
ent_phaseout_schedule(const struct ent_params *p, int32_t first, int requested,
                      int32_t *out, size_t cap, size_t *count,
                      struct dd_error *err)
{
    if (!ent_params_ok(p) || count == NULL || !month_ok(first) ||
        (cap > 0 && out == NULL))
        return history_invalid(err);
    if (requested < 1 || p->phaseout_months < 1)
        return dd_invalid(err, "PHASEOUT_MONTHS", "months",
                          "no phase-out months requested or in force",
                          "未申请渐退期或渐退期未施行");
    *count = (size_t)(requested < p->phaseout_months ? requested
                                                     : p->phaseout_months);
    enum dd_status rc = list_fits(*count, cap, err);
    for (size_t i = 0; rc == DD_OK && i < *count; i++)
        out[i] = first + (int32_t)i;
    return rc;
}

enum dd_status
ent_overpaid_after_death(const struct ent_params *p, int32_t died,
                         const struct ent_paid *paid, size_t paid_count,
                         struct ent_paid *out, size_t cap, size_t *count,
                         int64_t *total_fen, struct dd_error *err)
{
    if (!ent_params_ok(p) || count == NULL || total_fen == NULL ||
        (paid_count > 0 && paid == NULL) || (cap > 0 && out == NULL))
        return history_invalid(err);
    /* domain.md §1.6 (2022 notice §1(3)): the household is re-checked
     * after a death; the month of death itself is owed (lag 1) */
    int32_t first_overpaid = month_of_day(died) + p->death_lag_months;
    *count = 0;
    *total_fen = 0;
    for (size_t i = 0; i < paid_count; i++) {
        if (paid[i].month < first_overpaid)
            continue;
        if (*count < cap)
            out[*count] = paid[i];
        (*count)++;
        *total_fen += paid[i].amount_fen;
    }
    return list_fits(*count, cap, err);
}
