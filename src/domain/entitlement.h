/* SPDX-License-Identifier: MIT */
/* The life of an entitlement after approval (在保对象, domain.md §1.6, §2,
 * §4, §5) as a pure state machine: active, suspended (暂停), stopped
 * (停发/终止); the month each decision takes effect; the amount owed for a
 * month from the entitlement's history (what a payment roster asks);
 * back pay (补发); the 渐退 schedule; the months overpaid after a death.
 * Pure: no I/O, no allocation; every number is a policy parameter the
 * caller resolves for the date and region (struct ent_params). Months
 * are domain/month.h's compact integers. */
#ifndef DD_ENTITLEMENT_H
#define DD_ENTITLEMENT_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

enum ent_state {
    ENT_ACTIVE = 0, /* paid each month (also during 渐退) */
    ENT_SUSPENDED,  /* 暂停: nothing owed until resumed */
    ENT_STOPPED,    /* 停发/终止: final; a new application starts anew */
    ENT_STATE__COUNT
};

enum ent_event {
    ENT_EV_SUSPEND = 0, /* 暂停, with a reason */
    ENT_EV_RESUME,      /* 恢复 */
    ENT_EV_INCREASE,    /* 增发: a new, higher amount from a month */
    ENT_EV_DECREASE,    /* 减发: a new, lower amount from a month */
    ENT_EV_STOP,        /* 停发/终止, with an enum ent_stop_reason */
    ENT_EV_PHASEOUT,    /* 渐退: the amount kept for N months, then stop */
    ENT_EV__COUNT
};

/* Why an entitlement stops (domain.md §1.6: Arts. 30–34 and the 2022
 * notice; §2: 特困 Arts. 24–26). The names are the API's, stable. */
enum ent_stop_reason {
    ENT_STOP_DEATH = 0,    /* "death": death, declared death or missing */
    ENT_STOP_INCOME,       /* "income": income or assets no longer qualify */
    ENT_STOP_MOVED_AWAY,   /* "moved_away": 户籍 moved out of the area */
    ENT_STOP_AGED_OUT,     /* "aged_out": a child's item at 18 or school end */
    ENT_STOP_REFUSED_WORK, /* "refused_work": dibao.work_refusals in a row */
    ENT_STOP_VOLUNTARY,    /* "voluntary": the person asks to leave */
    ENT_STOP_FRAUD,        /* "fraud": 2022 notice §5(5), with recovery */
    ENT_STOP_OTHER,        /* "other": with the decision's own text */
    ENT_STOP__COUNT
};

const char *ent_state_name(enum ent_state s);             /* "active", ... */
const char *ent_event_name(enum ent_event e);             /* "suspend", ... */
const char *ent_stop_reason_name(enum ent_stop_reason r); /* "death", ... */
/* The reason named name into *out: 0, or -1 for an unknown name. */
int ent_stop_reason_parse(const char *name, enum ent_stop_reason *out);

/* The parameters, resolved by the caller for the programme, date and
 * region. The keys are <programme>.effect.*; not yet in
 * data/policy/params.csv (the seed rows to add are in brackets).
 *
 *   *.effect.increase_lag_months  months after the decision's month
 *       [1: 低保 pays "from the month after the approval date", 57号
 *       Art. 21, domain.md §1.2; 特困 Art. 17 the same, §2]
 *   *.effect.decrease_lag_months  [1: a reduction is notified with
 *       reasons before it applies, Art. 32, domain.md §1.6; the month is
 *       not stated there, so the next month, as 特困 stops, §2]
 *   *.effect.stop_lag_months      [1: 特困 "stop from next month" after
 *       the 7-day 公示, Arts. 24–26, domain.md §2]
 *   *.effect.suspend_lag_months   [1: issue 13 §5, "from the month after
 *       death"; domain.md is silent]
 *   *.effect.resume_lag_months    [0: the month of the resumption]
 *   *.effect.death_lag_months     [1: the month of death is owed, later
 *       months are not (issue 13 §5); domain.md is silent]
 *   dibao.phaseout.months         [6: Art. 33 渐退期, in principle ≤ 6
 *       months, 2022 notice §1(3), domain.md §1.6]
 *   dibao.publicity_days          [7: the 公示 in days; 特困 termination
 *       is publicised 7 days before it is decided, Arts. 24–26,
 *       domain.md §2 (that stop's own days are the programme's
 *       <program>.stop.publicity_days, tekun 7: cases/entitlements.c)]
 *   dibao.work_refusals           [3: suitable jobs refused in a row
 *       before that member's benefit is reduced or stopped, Art. 34,
 *       domain.md §1.6]
 */
struct ent_params {
    int increase_lag_months; /* *.effect.increase_lag_months */
    int decrease_lag_months; /* *.effect.decrease_lag_months */
    int stop_lag_months;     /* *.effect.stop_lag_months */
    int suspend_lag_months;  /* *.effect.suspend_lag_months */
    int resume_lag_months;   /* *.effect.resume_lag_months */
    int death_lag_months;    /* *.effect.death_lag_months */
    int phaseout_months;     /* dibao.phaseout.months */
    int publicity_days;      /* dibao.publicity_days */
    int work_refusals;       /* dibao.work_refusals */
};

/* The lags are 0 to 12 months; the publicity 1 to 30 days; the
 * refusals 1 to 12; dibao.phaseout.months 0 to 6 (the 2022
 * notice's "原则上不超过6个月": a longer period is a policy change to be
 * made here, not a parameter). */
int ent_params_ok(const struct ent_params *p);

/* Whether event e may happen in state from; on DD_OK *to is the state
 * after it (to may be NULL). Otherwise DD_ECONFLICT with err->code:
 *   ENTITLEMENT_STOPPED   nothing happens to a stopped entitlement
 *   ALREADY_SUSPENDED     suspend while suspended
 *   NOT_SUSPENDED         resume while not suspended
 *   ENTITLEMENT_SUSPENDED 渐退 while suspended (resume first)
 * and DD_EINVAL (INVALID_EVENT) for a state or event out of range.
 * A change of amount while suspended is allowed: it applies on
 * resumption (a review may run during a suspension). */
enum dd_status ent_next(enum ent_state from, enum ent_event e,
                        enum ent_state *to, struct dd_error *err) DD_WUR;

/* The first month a decision of kind e made on day decided takes effect:
 * the decision's month plus the event's lag. */
int32_t ent_effect_month(const struct ent_params *p, enum ent_event e,
                         int32_t decided);

/* The first day a decision publicised from day start (公示, e.g. a 特困
 * termination, domain.md §2) may be made: the publicity runs
 * publicity_days calendar days after start (the start not counted, as
 * cases/publicity.c opens it) and the decision comes the day after its
 * end. Give the result to ent_effect_month for the month it applies. */
int32_t ent_publicity_decision_day(const struct ent_params *p, int32_t start);

/* Whether refusals (suitable jobs refused in a row without good reason)
 * reach dibao.work_refusals, so that the member's own benefit is reduced
 * or stopped, reason refused_work (57号 Art. 34, domain.md §1.6). */
int ent_work_refusals_reached(const struct ent_params *p, int refusals);

/* One decision in an entitlement's history, by its effect month. */
struct ent_change {
    enum ent_event event;
    int32_t from_month; /* the first month it applies to */
    int64_t amount_fen; /* INCREASE, DECREASE: the new monthly amount */
    int months;         /* PHASEOUT: the 渐退 months (1..phaseout) */
    enum ent_stop_reason reason; /* STOP */
};

/* An entitlement: the first month owed and its amount, and its
 * decisions in the order made, their from_month never decreasing. */
struct ent_history {
    int32_t start_month;
    int64_t amount_fen;
    const struct ent_change *changes;
    size_t change_count;
};

/* What one month is owed. */
struct ent_due {
    int32_t month;
    int not_started;             /* 1 before the start month (owed 0) */
    enum ent_state state;        /* in that month */
    int64_t amount_fen;          /* owed; 0 unless active */
    int phaseout_month;          /* 1..N in a 渐退 month, else 0 */
    enum ent_stop_reason reason; /* STOPPED: why (渐退's end: income) */
};

/* The amount owed for month mo: 0 before the start month, the latest
 * amount from the decisions in force, 0 while suspended or stopped. A
 * 渐退 of N months from month F keeps the amount for F..F+N−1 and stops
 * the entitlement (reason income) from F+N. DD_EINVAL with err->code
 * INVALID_HISTORY when the history is not a valid life (a decision its
 * state forbids, effect months going back, an amount out of range, a
 * 渐退 longer than p->phaseout_months) or mo or p is out of range. */
enum dd_status ent_owed(const struct ent_params *p, const struct ent_history *h,
                        int32_t mo, struct ent_due *out,
                        struct dd_error *err) DD_WUR;

/* Back pay (补发): each month from `from` through `through` (the decision
 * month, say), as ent_owed gives it, into out (cap entries), with the
 * number of months in *count and their sum in *total_fen. Months owed
 * nothing are listed too (amount 0), so the roster can say why. A
 * 两项补贴 decided in 2026-03, owed from the application month 2026-01
 * (domain.md §4), gives 2026-01, 2026-02, 2026-03. DD_ETOOBIG when cap is
 * too small (*count says how many are needed); DD_EINVAL as ent_owed, or
 * through before from. */
enum dd_status ent_backpay(const struct ent_params *p,
                           const struct ent_history *h, int32_t from,
                           int32_t through, struct ent_due *out, size_t cap,
                           size_t *count, int64_t *total_fen,
                           struct dd_error *err) DD_WUR;

/* The 渐退 months (Art. 33, domain.md §1.6) from first: min(requested,
 * p->phaseout_months) months into out (cap entries), their number in
 * *count. DD_EINVAL (PHASEOUT_MONTHS) when requested < 1 or the
 * parameter is 0 (no 渐退 in force); DD_ETOOBIG when cap is too small. */
enum dd_status ent_phaseout_schedule(const struct ent_params *p, int32_t first,
                                     int requested, int32_t *out, size_t cap,
                                     size_t *count,
                                     struct dd_error *err) DD_WUR;

/* A month already paid, and its amount. */
struct ent_paid {
    int32_t month;
    int64_t amount_fen;
};

/* The payments made for months after a death on day died: those for
 * months from month_of(died) + p->death_lag_months on (lag 1: a death
 * on 31 March leaves March owed and April onward overpaid; on 1 April,
 * April is owed and May onward overpaid), copied
 * into out (cap entries) in the order given, their number in *count and
 * sum in *total_fen: the overpayment to recover (追缴). DD_ETOOBIG when
 * cap is too small; DD_EINVAL for a NULL argument or bad parameters. */
enum dd_status
ent_overpaid_after_death(const struct ent_params *p, int32_t died,
                         const struct ent_paid *paid, size_t paid_count,
                         struct ent_paid *out, size_t cap, size_t *count,
                         int64_t *total_fen, struct dd_error *err) DD_WUR;

#endif
