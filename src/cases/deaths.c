/* SPDX-License-Identifier: MIT */
/* A death stops the money (issue 13 §5): a member's death recorded once,
 * the entitlements only that member drew suspended from the month after
 * it (the death's own lag), a re-check of the household opened within 3
 * months of it for those others share (2022 notice §1(3), domain.md
 * §1.6), and what was paid for the months after it owed back (追缴). */
#include "cases/deaths.h"

#include <stdio.h>
#include <string.h>

#include "cases/cases_internal.h"
#include "cases/recoveries.h"
#include "core/str.h"
#include "domain/entitlement.h"
#include "domain/month.h"
#include "domain/review.h"
#include "json/json.h"
#include "json/json_cases.h"

/* The most members and deaths a household holds here (registry's cap). */
#define DEATHS_MAX 64
/* The events of an approved item read for its facts (a few dozen steps). */
#define EVENTS_MAX 64
/* The payments for months after a death that one recovery lists: months
 * of back pay and the batches built ahead stay far below it. */
#define PAID_MAX 120

enum dd_status
cases_death_household(const struct cases_ctx *x, int64_t person_id,
                      struct registry_household *rh)
{
    int64_t hh = 0;
    memset(rh, 0, sizeof(*rh));
    enum dd_status rc = store_person_household(x->tx, person_id, &hh);
    return rc == DD_OK ? registry_load(x->tx, x->arena, hh, rh) : rc;
}

static enum dd_status
invalid(struct dd_error *err, const char *field, const char *en,
        const char *zh)
{
    cases_err(err, "INVALID_VALUE", field, en, zh);
    return DD_EINVAL;
}

/* The household as read at version (-1: unchecked) is rh as it is. */
static enum dd_status
version_ok(int64_t version, const struct registry_household *rh,
           struct dd_error *err)
{
    if (version < 0 || version == rh->h.version)
        return DD_OK;
    cases_err(err, "VERSION_CONFLICT", "version",
              "the household was changed meanwhile; reload it",
              "该家庭已被他人修改，请刷新后重试");
    return DD_ECONFLICT;
}

/* The member in->person_id of rh, and the day of the death checked: a
 * date from the member's birth to today. */
static enum dd_status
check_input(const struct cases_ctx *x, const struct cases_death_input *in,
            const struct registry_household *rh, const struct person_row **who,
            int32_t *died, struct dd_error *err)
{
    *who = NULL;
    for (size_t i = 0; i < rh->member_count; i++)
        if (rh->members[i].id == in->person_id)
            *who = &rh->members[i];
    if (!*who)
        return DD_ENOTFOUND;
    *died = cases_day_of(in->died_on);
    if (*died == INT32_MIN || *died > x->day.day ||
        *died < cases_day_of((*who)->birth_date))
        return invalid(err, "died_on",
                       "died_on is a date YYYY-MM-DD from the person's birth "
                       "to today",
                       "死亡日期 died_on 须为出生日期至今天之间的日期");
    /* the funeral (殡葬) and 公安 feeds come with a later issue */
    if (!in->source || strcmp(in->source, "staff") != 0)
        return invalid(err, "source", "source is staff",
                       "来源 source 须为 staff（工作人员录入）");
    return version_ok(in->version, rh, err);
}

/* Whether member id of the household has a death recorded (deaths[0..n)). */
static int
is_dead(int64_t id, const struct person_death_row *deaths, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (deaths[i].person_id == id)
            return 1;
    return 0;
}

/* The member e was decided for, when its approval's facts name one (两项
 * 补贴 and the children's items: facts.member_id, assess_case.h); 0 when
 * it is the household's (低保, 特困: a 特困 person is registered as a
 * household of their own, 分散供养). */
static enum dd_status
member_of(const struct cases_ctx *x, const struct entitlement_row *e,
          int64_t *member)
{
    size_t n = 0;
    struct case_event_row *ev = arena_alloc(x->arena, EVENTS_MAX * sizeof(*ev));
    if (!ev)
        return DD_ENOMEM;
    *member = 0;
    enum dd_status rc =
        store_case_event_list(x->tx, e->case_item_id, ev, EVENTS_MAX, &n);
    for (size_t i = 0; rc == DD_OK && i < n; i++) {
        int64_t id = 0;
        if (json_cases_int_at(ev[i].fields, "facts.member_id", &id) == 0)
            *member = id;
    }
    return rc;
}

/* The reason a death's suspension states, naming the member: its
 * withdrawal finds the suspension by it (death_marker). */
static const char *
death_reason(const struct cases_ctx *x, const char *died_on, int64_t person)
{
    return arena_printf(x->arena,
                        "受助人员于%s死亡（death on %s, person %lld）", died_on,
                        died_on, (long long)person);
}

static const char *
death_marker(const struct cases_ctx *x, int64_t person)
{
    return arena_printf(x->arena, ", person %lld）", (long long)person);
}

/* Suspends e from the month after the death (the programme's
 * death_lag_months; domain/entitlement.h), or from its first month or
 * its last decision's when later (an entitlement approved after the
 * death, a decision already made for a later month), by the death's
 * decision; the change into *c, the parameters into *p. */
static enum dd_status
suspend(const struct cases_ctx *x, struct entitlement_row *e, int32_t died,
        const char *died_on, int64_t person_id,
        struct entitlement_change_row *c, struct ent_params *p,
        struct dd_error *err)
{
    struct catalog_item it;
    struct cases_ent_notice notice;
    char from[8];
    enum dd_status rc = cases_item_on(x, e->item_code, NULL, &it);
    if (rc == DD_OK)
        rc = cases_entitlement_params(x, it.program, e->county_code, p, err);
    if (rc != DD_OK)
        return rc;
    struct entitlement_change_row last;
    month_format(month_of_day(died) + p->death_lag_months, from);
    if (strcmp(from, e->start_month) < 0)
        str_copy(from, sizeof(from), e->start_month);
    rc = store_entitlement_change_last(x->tx, e->id, &last);
    if (rc == DD_OK && strcmp(from, last.effect_month) < 0)
        str_copy(from, sizeof(from), last.effect_month);
    if (rc != DD_OK && rc != DD_ENOTFOUND)
        return rc;
    struct cases_ent_input in = {
        .event = "suspend",
        .effect_month = from,
        .reason_code = CASES_DEATH_REASON,
        .reason_text = death_reason(x, died_on, person_id),
        .version = e->version};
    if (!in.reason_text)
        return DD_ENOMEM;
    return cases_entitlement_change(x, e, &in, c, &notice, err);
}

/* Takes line l (of a batch still built) out of its batch, whose totals
 * follow: the batch is rebuilt without the months the death suspends. */
static enum dd_status
unbuild(const struct cases_ctx *x, const struct paid_line_row *l)
{
    struct payment_batch_row b;
    memset(&b, 0, sizeof(b));
    enum dd_status rc = store_payment_line_delete(x->tx, l->line_id);
    if (rc == DD_OK)
        rc = store_payment_batch_get(x->tx, l->batch_id, &b);
    if (rc == DD_OK)
        rc = store_payment_batch_sum(x->tx, b.id, &b.line_count, &b.total_fen);
    if (rc != DD_OK)
        return rc;
    return store_payment_batch_update(x->tx, &b);
}

/* What e paid for months after the death on day died (ent_overpaid_after_
 * death, its own lag): lines in batches past 'built' (pending, paid or
 * unknown: a failed one paid nothing) become a recovery (cause death) of
 * their gross sum, the benefit paid whether in money or as a deduction
 * settling another debt; lines in batches still 'built' are taken out of
 * them. The recovery, if any, into out->recoveries. */
static enum dd_status
recover(const struct cases_ctx *x, const struct entitlement_row *e,
        const struct ent_params *p, int32_t died,
        struct cases_death_result *out)
{
    size_t n = 0, k = 0, over = 0;
    int64_t total = 0;
    char from[8];
    struct paid_line_row *lines = arena_alloc(x->arena, PAID_MAX * sizeof(*lines));
    struct ent_paid *paid = arena_alloc(x->arena, PAID_MAX * sizeof(*paid));
    struct ent_paid *owed = arena_alloc(x->arena, PAID_MAX * sizeof(*owed));
    if (!lines || !paid || !owed)
        return DD_ENOMEM;
    month_format(month_of_day(died) + p->death_lag_months, from);
    enum dd_status rc =
        store_paid_lines_from(x->tx, e->id, from, lines, PAID_MAX, &n);
    if (rc == DD_OK && n == PAID_MAX)
        rc = DD_ETOOBIG;
    for (size_t i = 0; rc == DD_OK && i < n; i++) {
        if (strcmp(lines[i].batch_state, "built") == 0) {
            rc = unbuild(x, &lines[i]);
            continue;
        }
        if (month_parse(lines[i].month, &paid[k].month) != 0)
            return DD_EINTERNAL;
        paid[k++].amount_fen = lines[i].gross_fen;
    }
    if (rc == DD_OK)
        rc = ent_overpaid_after_death(p, died, paid, k, owed, PAID_MAX, &over,
                                      &total, NULL);
    if (rc != DD_OK || over == 0)
        return rc;
    struct cases_death_recovery *r = &out->recoveries[out->recovery_count];
    r->entitlement_id = e->id;
    r->amount_fen = total;
    r->month_count = over;
    r->months = arena_alloc(x->arena, over * sizeof(*r->months));
    if (!r->months)
        return DD_ENOMEM;
    size_t len = 0;
    char reason[512] = "";
    for (size_t i = 0; i < over; i++) {
        month_format(owed[i].month, r->months[i]);
        len += (size_t)snprintf(reason + len, sizeof(reason) - len, "%s%s",
                                i ? "," : "", r->months[i]);
        if (len >= sizeof(reason))
            return DD_ETOOBIG;
    }
    struct recovery_row rec;
    rc = cases_recovery_open(
        x, e, out->death.person_id, "death", total,
        arena_printf(x->arena, "死亡后多发月份 months paid after death: %s",
                     reason),
        &rec);
    r->recovery_id = rec.id;
    out->recovery_count += rc == DD_OK;
    return rc;
}

/* The household's re-check within dibao.death.recheck_months of the
 * death (2022 notice §1(3), domain.md §1.6) for e, which others share. */
static enum dd_status
recheck(const struct cases_ctx *x, const struct entitlement_row *e,
        int32_t died, struct cases_death_result *out, struct dd_error *err)
{
    struct review_params rp;
    struct review_row rv;
    enum dd_status rc = cases_review_params(x, e->county_code, &rp, err);
    if (rc != DD_OK)
        return rc;
    struct review_due due = review_after_death(&rp, died);
    rc = cases_review_open(x, e, REVIEW_GROUND_DEATH, due.day, &rv, err);
    if (rc != DD_OK)
        return rc;
    struct cases_death_review *r = &out->reviews[out->review_count++];
    r->review_id = rv.id;
    r->entitlement_id = e->id;
    str_copy(r->due_day, sizeof(r->due_day), rv.due_day);
    return DD_OK;
}

/* What the death does to e: suspended when the dead member was the only
 * living one it covered (its own member, or the household's last); a
 * re-check when others share it; nothing when it is another member's. */
static enum dd_status
act_on(const struct cases_ctx *x, struct entitlement_row *e,
       const struct person_death_row *deaths, size_t death_count,
       int32_t died, struct cases_death_result *out, struct dd_error *err)
{
    const struct registry_household *rh = &out->rh;
    const struct person_death_row *d = &out->death;
    int64_t member = 0;
    enum dd_status rc = member_of(x, e, &member);
    if (rc != DD_OK || (member && member != d->person_id))
        return rc;
    size_t living = 0;
    for (size_t i = 0; !member && i < rh->member_count; i++)
        living += !is_dead(rh->members[i].id, deaths, death_count);
    if (!member && living > 0)
        return recheck(x, e, died, out, err);
    struct ent_params p;
    rc = suspend(x, e, died, d->died_on, d->person_id,
                 &out->suspended[out->suspended_count++], &p, err);
    return rc == DD_OK ? recover(x, e, &p, died, out) : rc;
}

static enum dd_status
audit_death(const struct cases_ctx *x, const struct cases_death_result *out)
{
    char hh[24], ss[24];
    snprintf(hh, sizeof(hh), "%lld", (long long)out->death.household_id);
    snprintf(ss, sizeof(ss), "%zu", out->suspended_count);
    return cases_audit(
        x, "person.death",
        arena_printf(x->arena, "person:%lld", (long long)out->death.person_id),
        out->death.region_code,
        json_object_of_strings(
            x->arena,
            (const char *[]){"household_id", hh, "died_on", out->death.died_on,
                             "source", out->death.source, "suspended", ss},
            4));
}

enum dd_status
cases_death_record(const struct cases_ctx *x,
                   const struct cases_death_input *in,
                   struct cases_death_result *out, struct dd_error *err)
{
    const struct person_row *who;
    int32_t died;
    struct person_death_row *d = &out->death;
    enum dd_status rc = check_input(x, in, &out->rh, &who, &died, err);
    if (rc != DD_OK)
        return rc;
    memset(d, 0, sizeof(*d));
    d->person_id = who->id;
    d->household_id = out->rh.h.id;
    str_copy(d->county_code, sizeof(d->county_code), out->rh.h.county_code);
    str_copy(d->region_code, sizeof(d->region_code), out->rh.h.region_code);
    str_copy(d->id_hash, sizeof(d->id_hash), who->id_hash);
    str_copy(d->died_on, sizeof(d->died_on), in->died_on);
    str_copy(d->source, sizeof(d->source), in->source);
    str_copy(d->note, sizeof(d->note), in->note ? in->note : "");
    str_copy(d->recorded_by, sizeof(d->recorded_by),
             x->actor.name ? x->actor.name : "anonymous");
    rc = store_person_death_insert(x->tx, d);
    if (rc == DD_ECONFLICT)
        cases_err(err, "ALREADY_DEAD", "person_id",
                  "this person's death is recorded already",
                  "该人员的死亡信息已登记");
    size_t nd = 0, ne = 0;
    struct person_death_row *deaths =
        arena_alloc(x->arena, DEATHS_MAX * sizeof(*deaths));
    struct entitlement_row *ents =
        arena_alloc(x->arena, DEATHS_MAX * sizeof(*ents));
    out->suspended = arena_alloc(x->arena, DEATHS_MAX * sizeof(*out->suspended));
    out->reviews = arena_alloc(x->arena, DEATHS_MAX * sizeof(*out->reviews));
    out->recoveries =
        arena_alloc(x->arena, DEATHS_MAX * sizeof(*out->recoveries));
    if (rc == DD_OK && (!deaths || !ents || !out->suspended || !out->reviews ||
                        !out->recoveries))
        rc = DD_ENOMEM;
    if (rc == DD_OK)
        rc = store_person_death_of_household(x->tx, d->household_id, deaths,
                                             DEATHS_MAX, &nd);
    if (rc == DD_OK)
        rc = store_entitlement_active_of_household(x->tx, d->household_id,
                                                   ents, DEATHS_MAX, &ne);
    for (size_t i = 0; rc == DD_OK && i < ne; i++)
        rc = act_on(x, &ents[i], deaths, nd, died, out, err);
    return rc == DD_OK ? audit_death(x, out) : rc;
}

/* ---- a death recorded in error, withdrawn ---- */

/* What the withdrawal's decisions state. */
#define WITHDRAWN_TEXT                                                         \
    "死亡登记有误，已撤销（the death was recorded in error and is withdrawn）"

static enum dd_status
withdraw_input(const struct cases_death_withdrawal *in,
               const struct registry_household *rh, struct dd_error *err)
{
    int known = 0;
    for (size_t i = 0; i < rh->member_count; i++)
        known |= rh->members[i].id == in->person_id;
    if (!known)
        return DD_ENOTFOUND;
    if (!in->reason || !in->reason[0] || strlen(in->reason) > 500)
        return invalid(err, "reason",
                       "reason says why the death was recorded in error "
                       "(1 to 500 bytes)",
                       "须说明撤销理由 reason（1至500字节）");
    return version_ok(in->version, rh, err);
}

/* Resumes e when its last decision is the suspension the death of
 * person made, from that suspension's own month: the months between are
 * owed again, and the next build pays them as back pay. */
static enum dd_status
resume(const struct cases_ctx *x, struct entitlement_row *e, int64_t person,
       struct cases_death_withdraw_result *out, struct dd_error *err)
{
    struct entitlement_change_row last;
    struct cases_ent_notice notice;
    const char *marker = death_marker(x, person);
    enum dd_status rc = store_entitlement_change_last(x->tx, e->id, &last);
    if (rc == DD_ENOTFOUND)
        return DD_OK;
    if (rc == DD_OK && !marker)
        rc = DD_ENOMEM;
    if (rc != DD_OK)
        return rc;
    if (strcmp(last.event, "suspend") != 0 ||
        strcmp(last.reason_code, CASES_DEATH_REASON) != 0 ||
        !strstr(last.reason_text, marker))
        return DD_OK;
    struct cases_ent_input in = {.event = "resume",
                                 .effect_month = last.effect_month,
                                 .reason_text = WITHDRAWN_TEXT,
                                 .version = e->version};
    return cases_entitlement_change(
        x, e, &in, &out->resumed[out->resumed_count++], &notice, err);
}

/* Waives what the death's recoveries of e still hold (a county's
 * decision, as any waiver is); what was repaid or deducted already is
 * the family's to be refunded, counted into the result. */
static enum dd_status
waive(const struct cases_ctx *x, const struct entitlement_row *e,
      int64_t person, struct cases_death_withdraw_result *out,
      struct dd_error *err)
{
    size_t n = 0;
    struct recovery_row *rs = arena_alloc(x->arena, DEATHS_MAX * sizeof(*rs));
    if (!rs)
        return DD_ENOMEM;
    enum dd_status rc =
        store_recovery_of_entitlement(x->tx, e->id, rs, DEATHS_MAX, &n);
    for (size_t i = 0; rc == DD_OK && i < n; i++) {
        struct recovery_row *r = &rs[i];
        if (strcmp(r->cause, "death") != 0 || r->person_id != person)
            continue;
        struct cases_death_waiver *w = &out->waivers[out->waiver_count++];
        w->recovery_id = r->id;
        w->entitlement_id = e->id;
        size_t ne = 0;
        struct recovery_entry_row *en =
            arena_alloc(x->arena, EVENTS_MAX * sizeof(*en));
        if (!en)
            return DD_ENOMEM;
        rc = store_recovery_entry_list(x->tx, r->id, en, EVENTS_MAX, &ne);
        for (size_t k = 0; rc == DD_OK && k < ne; k++)
            if (strcmp(en[k].kind, "repaid") == 0 ||
                strcmp(en[k].kind, "deducted") == 0)
                w->refund_fen += en[k].amount_fen;
        int64_t balance = 0;
        if (rc == DD_OK)
            rc = store_recovery_balance(x->tx, r->id, &balance);
        if (rc != DD_OK || strcmp(r->state, "open") != 0 || balance <= 0)
            continue;
        struct cases_recovery_input wi = {.kind = "waived",
                                          .amount_fen = balance,
                                          .reason_text = WITHDRAWN_TEXT,
                                          .decided_on = x->day.s,
                                          .version = -1};
        struct recovery_entry_row entry;
        int64_t after = 0;
        rc = cases_recovery_entry(x, r, e, &wi, &entry, &after, err);
        w->waived_fen = balance;
    }
    return rc;
}

/* Cancels e's re-check after a death while it is still open, when no
 * other death of the household stands. */
static enum dd_status
uncheck(const struct cases_ctx *x, const struct entitlement_row *e,
        size_t deaths_left, struct cases_death_withdraw_result *out)
{
    struct review_row rv;
    if (deaths_left > 0)
        return DD_OK;
    enum dd_status rc = store_review_open_of(x->tx, e->id, &rv);
    if (rc == DD_ENOTFOUND)
        return DD_OK;
    if (rc != DD_OK ||
        strcmp(rv.ground, review_ground_name(REVIEW_GROUND_DEATH)) ||
        strcmp(rv.state, "open"))
        return rc;
    str_copy(rv.state, sizeof(rv.state), "cancelled");
    str_copy(rv.reason_text, sizeof(rv.reason_text), WITHDRAWN_TEXT);
    rc = store_review_update(x->tx, &rv);
    if (rc == DD_OK)
        out->cancelled[out->cancelled_count++] = rv.id;
    return rc;
}

static enum dd_status
audit_withdrawal(const struct cases_ctx *x,
                 const struct cases_death_withdraw_result *out)
{
    char hh[24], resumed[24], waived[24], refund[24], cancelled[24];
    int64_t w = 0, r = 0;
    for (size_t i = 0; i < out->waiver_count; i++) {
        w += out->waivers[i].waived_fen;
        r += out->waivers[i].refund_fen;
    }
    snprintf(hh, sizeof(hh), "%lld", (long long)out->death.household_id);
    snprintf(resumed, sizeof(resumed), "%zu", out->resumed_count);
    snprintf(waived, sizeof(waived), "%lld", (long long)w);
    snprintf(refund, sizeof(refund), "%lld", (long long)r);
    snprintf(cancelled, sizeof(cancelled), "%zu", out->cancelled_count);
    return cases_audit(
        x, "person.death.withdraw",
        arena_printf(x->arena, "person:%lld", (long long)out->death.person_id),
        out->death.region_code,
        json_object_of_strings(
            x->arena,
            (const char *[]){"household_id", hh, "died_on", out->death.died_on,
                             "reason", out->death.withdrawn_reason, "resumed",
                             resumed, "waived_fen", waived, "refund_fen",
                             refund, "reviews_cancelled", cancelled},
            7));
}

enum dd_status
cases_death_withdraw(const struct cases_ctx *x,
                     const struct cases_death_withdrawal *in,
                     struct cases_death_withdraw_result *out,
                     struct dd_error *err)
{
    struct person_death_row *d = &out->death;
    enum dd_status rc = withdraw_input(in, &out->rh, err);
    if (rc == DD_OK)
        rc = store_person_death_get(x->tx, in->person_id, d);
    if (rc == DD_ENOTFOUND) {
        cases_err(err, "NOT_DEAD", "person_id",
                  "no death of this person is recorded", "该人员没有死亡登记");
        return DD_ECONFLICT;
    }
    if (rc != DD_OK)
        return rc;
    str_copy(d->withdrawn_by, sizeof(d->withdrawn_by),
             x->actor.name ? x->actor.name : "anonymous");
    d->withdrawn_at = x->now;
    str_copy(d->withdrawn_reason, sizeof(d->withdrawn_reason), in->reason);
    rc = store_person_death_withdraw(x->tx, d, d->withdrawn_by, d->withdrawn_at,
                                     d->withdrawn_reason);
    if (rc == DD_ECONFLICT)
        cases_err(err, "ID_NUMBER_ACTIVE", "person_id",
                  "another record of this ID number is active in a household "
                  "now; resolve that first",
                  "该身份证号已在其他家庭中登记为在册人员，请先处理");
    size_t nd = 0, ne = 0;
    struct person_death_row *deaths =
        arena_alloc(x->arena, DEATHS_MAX * sizeof(*deaths));
    struct entitlement_row *ents =
        arena_alloc(x->arena, DEATHS_MAX * sizeof(*ents));
    out->resumed = arena_alloc(x->arena, DEATHS_MAX * sizeof(*out->resumed));
    out->waivers =
        arena_alloc(x->arena, DEATHS_MAX * DEATHS_MAX * sizeof(*out->waivers));
    out->cancelled =
        arena_alloc(x->arena, DEATHS_MAX * sizeof(*out->cancelled));
    if (rc == DD_OK &&
        (!deaths || !ents || !out->resumed || !out->waivers || !out->cancelled))
        rc = DD_ENOMEM;
    if (rc == DD_OK) {
        memset(out->waivers, 0,
               DEATHS_MAX * DEATHS_MAX * sizeof(*out->waivers));
        rc = store_person_death_of_household(x->tx, d->household_id, deaths,
                                             DEATHS_MAX, &nd);
    }
    if (rc == DD_OK)
        rc = store_entitlement_of_household(x->tx, d->household_id, ents,
                                            DEATHS_MAX, &ne);
    for (size_t i = 0; rc == DD_OK && i < ne; i++) {
        rc = resume(x, &ents[i], d->person_id, out, err);
        if (rc == DD_OK)
            rc = waive(x, &ents[i], d->person_id, out, err);
        if (rc == DD_OK)
            rc = uncheck(x, &ents[i], nd, out);
    }
    return rc == DD_OK ? audit_withdrawal(x, out) : rc;
}
