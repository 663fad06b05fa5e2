/* SPDX-License-Identifier: MIT */
/* Reviews (定期核查 and 复核, issue 13 §4; 57号 Arts. 30-34, domain.md
 * §1.6, §2, §4, §5): the review an entitlement is due on its schedule
 * (domain/review.h with the policy in force), the facts the township
 * records and the engine's answer on them, the proposal derived from it
 * (unchanged, increase, decrease, 渐退 or stop), confirmed or overridden
 * with a reason by the township, and the decision applied through
 * cases_entitlement_change by the level that decides the item. Each step
 * is version-checked and audited in the caller's transaction. */
#include "cases/cases_internal.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "domain/dibao.h"
#include "domain/entitlement.h"
#include "domain/month.h"
#include "domain/review.h"
#include "json/json.h"
#include "json/json_assess.h"

/* ---- the parameters ---- */

/* Each struct review_params field and its key (domain/review.h). */
static const struct {
    const char *key;
    size_t offset;
} review_keys[] = {
    {"dibao.review.stable_months",
     offsetof(struct review_params, dibao_stable_months)},
    {"dibao.review.irregular_months",
     offsetof(struct review_params, dibao_irregular_months)},
    {"tekun.review.months", offsetof(struct review_params, tekun_months)},
    {"tekun.minor.max_age",
     offsetof(struct review_params, tekun_minor_max_age)},
    {"orphan.max_age", offsetof(struct review_params, orphan_max_age)},
    {"orphan.student_extension",
     offsetof(struct review_params, orphan_student_extension)},
    {"rigid.validity_months",
     offsetof(struct review_params, rigid_validity_months)},
    {"dibao.death.recheck_months",
     offsetof(struct review_params, death_recheck_months)},
};

enum dd_status
cases_review_params(const struct cases_ctx *x, const char *county,
                    struct review_params *p, struct dd_error *err)
{
    memset(p, 0, sizeof(*p));
    for (size_t i = 0; i < sizeof(review_keys) / sizeof(review_keys[0]); i++) {
        int64_t v = cases_policy_value(x, review_keys[i].key, county, -1);
        if (v < 0 || v > 1200) {
            cases_err(
                err, "POLICY_KEY_MISSING", NULL,
                arena_printf(x->arena, "no %s in force", review_keys[i].key),
                arena_printf(x->arena, "政策参数 %s 未生效",
                             review_keys[i].key));
            return DD_EREFUSED;
        }
        *(int *)((char *)p + review_keys[i].offset) = (int)v;
    }
    return DD_OK;
}

/* ---- names ---- */

/* The schedule of the catalog item's program; -1 for a program without
 * one (its entitlements are not reviewed on a cycle). */
static int
programme_of(const char *program)
{
    static const struct {
        const char *program;
        enum review_programme p;
    } map[] = {
        {"dibao", REVIEW_DIBAO},
        {"tekun", REVIEW_TEKUN},
        {"disability_living", REVIEW_DISABILITY},
        {"disability_care", REVIEW_DISABILITY},
        {"orphan", REVIEW_ORPHAN},
        {"unsupported_child", REVIEW_DEFACTO},
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(program, map[i].program) == 0)
            return (int)map[i].p;
    return -1;
}

static const char *const proposals[] = {"unchanged", "increase", "decrease",
                                        "phaseout", "stop"};

static int
proposal_known(const char *s)
{
    for (size_t i = 0; s && i < sizeof(proposals) / sizeof(proposals[0]); i++)
        if (strcmp(s, proposals[i]) == 0)
            return 1;
    return 0;
}

static enum dd_status
fail(struct dd_error *err, enum dd_status rc, const char *code,
     const char *field, const char *en, const char *zh)
{
    cases_err(err, code, field, en, zh);
    return rc;
}

static void
day_text(int32_t day, char out[STORE_DAY_LEN])
{
    workcal_format_date(day, out);
}

static int32_t
today(const struct cases_ctx *x)
{
    return workcal_day_from_ymd(x->day.y, x->day.m, x->day.d);
}

static enum dd_status
audit(const struct cases_ctx *x, const char *action, const struct review_row *r)
{
    char id[24], version[24];
    snprintf(id, sizeof(id), "%lld", (long long)r->entitlement_id);
    snprintf(version, sizeof(version), "%lld", (long long)r->version);
    return cases_audit(
        x, action, arena_printf(x->arena, "review:%lld", (long long)r->id),
        r->region_code,
        json_object_of_strings(
            x->arena,
            (const char *[]){"entitlement", id, "ground", r->ground, "due_day",
                             r->due_day, "state", r->state, "proposal",
                             r->proposal, "version", version},
            6));
}

/* ---- opening ---- */

enum dd_status
cases_review_open(const struct cases_ctx *x, const struct entitlement_row *e,
                  int ground, int32_t due, struct review_row *out,
                  struct dd_error *err)
{
    if (ground < 0 || ground >= REVIEW_GROUND__COUNT ||
        ground == REVIEW_GROUND_NONE || strcmp(e->state, "stopped") == 0)
        return fail(err, DD_EINVAL, "INVALID_REVIEW", "ground",
                    "a review is opened on a ground with a day, for an "
                    "entitlement not stopped",
                    "复核须有依据和日期，且待遇未停发");
    char day[STORE_DAY_LEN];
    day_text(due, day);
    const char *g = review_ground_name((enum review_ground)ground);
    enum dd_status rc = store_review_open_of(x->tx, e->id, out);
    if (rc == DD_OK) {
        /* one review at a time: an earlier due day overtakes */
        if (strcmp(day, out->due_day) >= 0)
            return DD_OK;
        str_copy(out->due_day, sizeof(out->due_day), day);
        str_copy(out->ground, sizeof(out->ground), g);
        rc = store_review_update(x->tx, out);
        return rc == DD_OK ? audit(x, "review.due", out) : rc;
    }
    if (rc != DD_ENOTFOUND)
        return rc;
    memset(out, 0, sizeof(*out));
    out->entitlement_id = e->id;
    out->household_id = e->household_id;
    str_copy(out->county_code, sizeof(out->county_code), e->county_code);
    snprintf(out->township_code, sizeof(out->township_code), "%.9s",
             e->region_code);
    str_copy(out->region_code, sizeof(out->region_code), e->region_code);
    str_copy(out->item_code, sizeof(out->item_code), e->item_code);
    str_copy(out->ground, sizeof(out->ground), g);
    str_copy(out->due_day, sizeof(out->due_day), day);
    rc = store_review_insert(x->tx, out);
    return rc == DD_OK ? audit(x, "review.open", out) : rc;
}

/* The earliest birth among the household's members under max_age on day
 * last: the first to reach the age limit (特困 minors, 孤儿, 事实无人抚养;
 * the entitlement does not name its child, so the household's first to
 * age out brings the review), REVIEW_NO_DATE when none. */
static enum dd_status
first_to_age_out(const struct cases_ctx *x, int64_t household_id, int max_age,
                 int32_t last, int32_t *out)
{
    struct registry_household *rh = arena_alloc(x->arena, sizeof(*rh));
    *out = REVIEW_NO_DATE;
    if (!rh)
        return DD_ENOMEM;
    enum dd_status rc = registry_load(x->tx, x->arena, household_id, rh);
    for (size_t i = 0; rc == DD_OK && i < rh->member_count; i++) {
        int32_t b = cases_day_of(rh->members[i].birth_date);
        if (b != INT32_MIN && month_birthday(b, max_age) > last &&
            (*out == REVIEW_NO_DATE || b < *out))
            *out = b;
    }
    return rc;
}

/* Opens e's next review after day last (the approval, or the review just
 * decided), by its program's schedule: irregular says 低保's short cycle
 * applies (Art. 31), card_expiry is 两项补贴's card ("" = valid for
 * life: no review). Nothing for a program without a schedule. */
enum dd_status
cases_review_next(const struct cases_ctx *x, const struct entitlement_row *e,
                  int32_t last, int irregular, const char *card_expiry,
                  struct dd_error *err)
{
    struct catalog_item it;
    struct review_params p;
    struct review_row r;
    struct review_due due;
    enum dd_status rc = cases_item_on(x, e->item_code, NULL, &it);
    if (rc != DD_OK)
        return rc;
    int prog = programme_of(it.program);
    if (prog < 0)
        return DD_OK;
    rc = cases_review_params(x, e->county_code, &p, err);
    if (rc != DD_OK)
        return rc;
    struct review_subject s = {
        .programme = (enum review_programme)prog,
        .last_day = last,
        .irregular_income = irregular,
        .member_able_to_work = irregular,
        .card_expiry = card_expiry && card_expiry[0] ? cases_day_of(card_expiry)
                                                     : REVIEW_NO_DATE,
        .birth = REVIEW_NO_DATE,
        .school_end = REVIEW_NO_DATE,
    };
    if (prog == REVIEW_TEKUN || prog == REVIEW_ORPHAN || prog == REVIEW_DEFACTO)
        rc = first_to_age_out(x, e->household_id,
                              prog == REVIEW_TEKUN ? p.tekun_minor_max_age
                                                   : p.orphan_max_age,
                              last, &s.birth);
    if (rc != DD_OK)
        return rc;
    /* a child's item with no child under the limit: review it now */
    if (s.birth == REVIEW_NO_DATE &&
        (prog == REVIEW_ORPHAN || prog == REVIEW_DEFACTO))
        due = (struct review_due){last, REVIEW_GROUND_AGE};
    else if (review_next(&p, &s, &due, err) != DD_OK)
        return DD_EINVAL;
    if (due.ground == REVIEW_GROUND_NONE)
        return DD_OK;
    return cases_review_open(x, e, (int)due.ground, due.day, &r, err);
}

enum dd_status
cases_review_schedule(const struct cases_ctx *x, const char *county,
                      int64_t after_id, size_t max, size_t *opened,
                      int64_t *next_after, struct dd_error *err)
{
    int64_t *ids = arena_alloc(x->arena, (max ? max : 1) * sizeof(*ids));
    size_t n = 0;
    *opened = 0;
    *next_after = 0;
    if (!ids)
        return DD_ENOMEM;
    enum dd_status rc =
        store_review_unscheduled(x->tx, county, after_id, ids, max, &n);
    for (size_t i = 0; rc == DD_OK && i < n; i++) {
        struct entitlement_row e;
        struct entitlement_change_row last;
        struct review_row r;
        rc = store_entitlement_get(x->tx, ids[i], &e);
        if (rc != DD_OK)
            break;
        /* the cycle runs from the last decision, else the first month
         * paid: a migrated caseload's overdue reviews come due now */
        int32_t from = INT32_MIN, mo;
        rc = store_entitlement_change_last(x->tx, e.id, &last);
        if (rc == DD_OK)
            from = cases_day_of(last.decided_on);
        else if (rc == DD_ENOTFOUND && month_parse(e.start_month, &mo) == 0)
            from = month_first_day(mo);
        if (rc != DD_OK && rc != DD_ENOTFOUND)
            break;
        rc = cases_review_next(x, &e, from, 0, "", err);
        if (rc == DD_OK && store_review_open_of(x->tx, e.id, &r) == DD_OK)
            ++*opened;
    }
    if (rc == DD_OK && n == max && n > 0)
        *next_after = ids[n - 1];
    return rc;
}

/* ---- the facts and the engine ---- */

/* What an engine answers on the facts recorded. */
struct answer {
    int eligible;
    int64_t amount_fen;
    int phaseout_left; /* 低保 in its 渐退 period: the months left */
    int able;          /* a member able to work (Art. 31) */
    const char *explanation;
};

struct household_work {
    struct household h;
    struct assess_params p;
    struct assess_result r;
    struct explain ex[ASSESS__COUNT];
};

/* Whether a counted member can work: not assessed as without capacity,
 * and of working age by 特困人员认定办法 Art. 5's limits (under 16 and 60
 * or over count as without capacity, domain.md §2). */
static int
able_to_work(const struct household_work *w, const struct civil_day *d)
{
    for (int i = 0; i < w->h.member_count; i++) {
        const struct hh_person *m = &w->h.members[i];
        int age =
            hh_age_years(m->birth_y, m->birth_m, m->birth_d, d->y, d->m, d->d);
        if (m->work_capacity != HH_WORK_NONE &&
            age >= w->p.tekun.work_minor_max_age &&
            age < w->p.tekun.work_elderly_min_age)
            return 1;
    }
    return 0;
}

/* 低保 and 特困: the facts are the household as the calculator takes it
 * (json_assess.h: no identity), assessed for e's village with the
 * policy in force today. A 低保 household is receiving e's amount: the
 * engine keeps it through 渐退 (57号 Art. 33). */
static enum dd_status
run_household(const struct cases_ctx *x, const struct entitlement_row *e,
              enum assess_program prog, const char *facts, struct answer *a,
              struct dd_error *err)
{
    const struct civil_day *d = &x->day;
    struct household_work *w = arena_alloc(x->arena, sizeof(*w));
    char region[JSON_ASSESS_REGION_LEN];
    enum area_setting setting;
    if (!w)
        return DD_ENOMEM;
    enum dd_status rc =
        json_decode_household(x->arena, facts, strlen(facts), d->y, d->m, d->d,
                              &w->h, region, &setting, err);
    if (rc != DD_OK)
        return rc;
    if (prog == ASSESS_DIBAO) {
        w->h.dibao.receiving = 1;
        w->h.dibao.last_amount_fen = e->amount_fen;
    }
    cases_policy_lock(x);
    rc = assess_params_resolve(x->policy, e->region_code, d->y, d->m, d->d,
                               &w->p, err);
    if (rc == DD_OK)
        rc = assess_area_resolve(x->policy, w->h.hukou_county, d->y, d->m, d->d,
                                 setting, &w->p, &w->h, err);
    cases_policy_unlock(x);
    if (rc == DD_ENOTFOUND)
        return DD_EREFUSED;
    if (rc == DD_OK &&
        dibao_household_validate(&w->h, d->y, d->m, d->d) != DD_OK)
        rc = fail(err, DD_EINVAL, "INVALID_HOUSEHOLD", "facts",
                  "the household is inconsistent (members, relations, dates "
                  "or amounts)",
                  "家庭情况前后不一致（成员、关系、日期或金额）");
    if (rc != DD_OK)
        return rc;
    struct explain *ex[ASSESS__COUNT];
    for (int i = 0; i < ASSESS__COUNT; i++)
        ex[i] = &w->ex[i];
    rc = assess_household(&w->h, &w->p, d->y, d->m, d->d, &w->r, ex);
    if (rc != DD_OK)
        return rc;
    a->eligible = w->r.decision[prog] != ASSESS_NOT_ELIGIBLE;
    a->amount_fen = w->r.amount_fen[prog];
    a->phaseout_left = prog == ASSESS_DIBAO && w->r.dibao.phaseout
                           ? w->r.dibao.phaseout_months_left
                           : 0;
    a->able = able_to_work(w, d);
    a->explanation =
        json_encode_assessment(x->arena, d->s, e->region_code, &w->r, ex);
    return a->explanation ? DD_OK : DD_ENOMEM;
}

/* The other programs: the item's own engine on the stored household with
 * the facts it takes (assess_case.h, docs/cases.md), as at approval. */
static enum dd_status
run_case(const struct cases_ctx *x, const struct entitlement_row *e,
         const struct catalog_item *it, const char *facts, struct answer *a,
         struct dd_error *err)
{
    struct case_item_row c;
    struct case_outcome o;
    enum case_engine eng = assess_case_engine(it->program, it->code);
    enum dd_status rc = store_case_item_get(x->tx, e->case_item_id, &c);
    if (rc != DD_OK)
        return rc == DD_ENOTFOUND ? DD_EINTERNAL : rc;
    rc = cases_decide_facts(x, &c, eng, facts, -1, &o, &a->explanation, err);
    if (rc != DD_OK)
        return rc;
    a->eligible = o.decision != ASSESS_NOT_ELIGIBLE;
    a->amount_fen = o.amount_fen;
    return DD_OK;
}

/* The proposal the engine's answer gives (Arts. 31-33, domain.md §1.6):
 * not eligible → stop (income); in the 渐退 period → phaseout for the
 * months left, at most dibao.phaseout.months; else the amount compared
 * with the one now paid. */
static void
derive(const struct answer *a, const struct entitlement_row *e,
       const struct ent_params *ep, struct review_row *r)
{
    r->proposed_amount_fen = 0;
    r->proposed_months = 0;
    r->stop_reason[0] = '\0';
    const char *p;
    if (!a->eligible || (a->amount_fen <= 0 && !a->phaseout_left)) {
        p = "stop";
        str_copy(r->stop_reason, sizeof(r->stop_reason),
                 ent_stop_reason_name(ENT_STOP_INCOME));
    } else if (a->phaseout_left) {
        p = "phaseout";
        r->proposed_months = a->phaseout_left < ep->phaseout_months
                                 ? a->phaseout_left
                                 : ep->phaseout_months;
    } else if (a->amount_fen == e->amount_fen) {
        p = "unchanged";
    } else {
        p = a->amount_fen > e->amount_fen ? "increase" : "decrease";
        r->proposed_amount_fen = a->amount_fen;
    }
    str_copy(r->proposal, sizeof(r->proposal), p);
}

static enum dd_status
check_step(const struct cases_ctx *x, const struct review_row *r,
           const char *state, int64_t version, int reviewer_only,
           struct dd_error *err)
{
    enum role role = x->actor.role;
    if (role != ROLE_TOWN_REVIEWER &&
        (reviewer_only || role != ROLE_TOWN_CLERK))
        return fail(err, DD_EDENIED, "NOT_YOUR_STEP", NULL,
                    reviewer_only
                        ? "the township reviewer proposes a review's outcome"
                        : "the township records a review's facts",
                    reviewer_only ? "复核结论由乡镇审核人员提出"
                                  : "复核事实由乡镇工作人员录入");
    if (version != r->version)
        return fail(err, DD_ECONFLICT, "VERSION_CONFLICT", "version",
                    "the review was changed meanwhile; reload it",
                    "该复核已被他人修改，请刷新后重试");
    if (strcmp(r->state, state) != 0)
        return fail(
            err, DD_ECONFLICT, "REVIEW_STATE", "state",
            arena_printf(x->arena, "the review is %s, not %s", r->state, state),
            arena_printf(x->arena, "该复核状态为 %s，不是 %s", r->state,
                         state));
    return DD_OK;
}

/* The entitlement and its item, with the lag parameters in force. */
static enum dd_status
load_entitlement(const struct cases_ctx *x, const struct review_row *r,
                 struct entitlement_row *e, struct catalog_item *it,
                 struct ent_params *ep, struct dd_error *err)
{
    enum dd_status rc = store_entitlement_get(x->tx, r->entitlement_id, e);
    if (rc == DD_OK)
        rc = cases_item_on(x, e->item_code, NULL, it);
    if (rc == DD_OK)
        rc = cases_entitlement_params(x, it->program, e->county_code, ep, err);
    return rc;
}

enum dd_status
cases_review_facts(const struct cases_ctx *x, struct review_row *r,
                   const struct cases_review_facts *in, struct dd_error *err)
{
    struct entitlement_row e;
    struct catalog_item it;
    struct ent_params ep;
    struct answer a = {0};
    enum dd_status rc = check_step(x, r, "open", in->version, 0, err);
    if (rc == DD_OK && in->card_expiry && in->card_expiry[0] &&
        cases_day_of(in->card_expiry) == INT32_MIN)
        rc = fail(err, DD_EINVAL, "INVALID_DATE", "card_expiry",
                  "card_expiry is a date YYYY-MM-DD",
                  "残疾人证有效期 card_expiry 须为 YYYY-MM-DD");
    if (rc == DD_OK)
        rc = load_entitlement(x, r, &e, &it, &ep, err);
    if (rc != DD_OK)
        return rc;
    if (strcmp(it.program, "dibao") == 0 || strcmp(it.program, "tekun") == 0) {
        if (!in->facts)
            return fail(err, DD_EINVAL, "REQUIRED", "facts",
                        "a review records the household's facts",
                        "复核须录入家庭情况 facts");
        rc = run_household(x, &e,
                           strcmp(it.program, "dibao") == 0 ? ASSESS_DIBAO
                                                            : ASSESS_TEKUN,
                           in->facts, &a, err);
    } else {
        rc = run_case(x, &e, &it, in->facts, &a, err);
    }
    if (rc != DD_OK)
        return rc;
    derive(&a, &e, &ep, r);
    r->eligible = a.eligible;
    r->computed_fen = a.amount_fen;
    r->irregular = in->irregular_income && a.able;
    str_copy(r->card_expiry, sizeof(r->card_expiry),
             in->card_expiry ? in->card_expiry : "");
    r->facts_at = x->now;
    rc = store_review_update(x->tx, r);
    if (rc == DD_OK)
        rc = store_review_facts_set(x->tx, r->id, in->facts ? in->facts : "",
                                    a.explanation);
    return rc == DD_OK ? audit(x, "review.facts", r) : rc;
}

/* ---- the proposal and the decision ---- */

/* Closes r as decided by the actor now and opens the entitlement's next
 * review from today (none once it is stopped). */
static enum dd_status
close_review(const struct cases_ctx *x, struct review_row *r,
             const struct entitlement_row *e, const char *action,
             struct dd_error *err)
{
    str_copy(r->state, sizeof(r->state), "decided");
    str_copy(r->decided_by, sizeof(r->decided_by),
             x->actor.name ? x->actor.name : "anonymous");
    r->decided_at = x->now;
    enum dd_status rc = store_review_update(x->tx, r);
    if (rc == DD_OK)
        rc = audit(x, action, r);
    if (rc == DD_OK && strcmp(e->state, "stopped") != 0)
        rc = cases_review_next(x, e, today(x), (int)r->irregular,
                               r->card_expiry, err);
    return rc;
}

/* The fields proposal p needs, from in or the engine's figures in r. */
static enum dd_status
proposal_fields(const struct cases_review_proposal *in,
                const struct entitlement_row *e, const struct ent_params *ep,
                struct review_row *r, struct dd_error *err)
{
    const char *p = r->proposal;
    if (in->amount_fen)
        r->proposed_amount_fen = in->amount_fen;
    if (in->months)
        r->proposed_months = in->months;
    if (in->stop_reason)
        str_copy(r->stop_reason, sizeof(r->stop_reason), in->stop_reason);
    if ((strcmp(p, "increase") == 0 &&
         r->proposed_amount_fen <= e->amount_fen) ||
        (strcmp(p, "decrease") == 0 &&
         (r->proposed_amount_fen < 1 ||
          r->proposed_amount_fen >= e->amount_fen)))
        return fail(err, DD_EINVAL, "INVALID_AMOUNT", "amount_fen",
                    "an increase is above the amount now paid, a decrease "
                    "from 1 fen to below it",
                    "增发金额须高于现金额，减发金额须低于现金额且大于零");
    if (strcmp(p, "phaseout") == 0 &&
        (r->proposed_months < 1 || r->proposed_months > ep->phaseout_months))
        return fail(
            err, DD_EINVAL, "PHASEOUT_MONTHS", "months",
            "a phase-out lasts from 1 month to dibao.phaseout.months "
            "(57号 Art. 33)",
            "渐退期须为1个月至政策规定的月数（民发〔2021〕57号第三十三条）");
    enum ent_stop_reason why;
    if (strcmp(p, "stop") == 0 &&
        ent_stop_reason_parse(r->stop_reason, &why) != 0)
        return fail(err, DD_EINVAL, "INVALID_REASON", "stop_reason",
                    "stop_reason is one of death, income, moved_away, "
                    "aged_out, refused_work, voluntary, fraud, other",
                    "停发原因 stop_reason 无效");
    if (strcmp(p, "increase") != 0 && strcmp(p, "decrease") != 0)
        r->proposed_amount_fen = 0;
    if (strcmp(p, "phaseout") != 0)
        r->proposed_months = 0;
    if (strcmp(p, "stop") != 0)
        r->stop_reason[0] = '\0';
    return DD_OK;
}

enum dd_status
cases_review_propose(const struct cases_ctx *x, struct review_row *r,
                     const struct cases_review_proposal *in,
                     struct dd_error *err)
{
    struct entitlement_row e;
    struct catalog_item it;
    struct ent_params ep;
    enum dd_status rc = check_step(x, r, "open", in->version, 1, err);
    if (rc == DD_OK && r->facts_at == 0)
        rc = fail(err, DD_ECONFLICT, "FACTS_REQUIRED", "facts",
                  "record the review's facts first", "请先录入复核事实");
    if (rc == DD_OK && in->proposal && !proposal_known(in->proposal))
        rc = fail(err, DD_EINVAL, "INVALID_PROPOSAL", "proposal",
                  "proposal is one of unchanged, increase, decrease, "
                  "phaseout, stop",
                  "复核结论 proposal 无效");
    int overridden = in->proposal && strcmp(in->proposal, r->proposal) != 0;
    overridden = overridden || in->amount_fen || in->months || in->stop_reason;
    if (rc == DD_OK && overridden && (!in->reason_text || !in->reason_text[0]))
        rc = fail(err, DD_EINVAL, "REASON_REQUIRED", "reason_text",
                  "a proposal other than the engine's states its reasons",
                  "与测算结果不同的复核结论须说明理由");
    if (rc == DD_OK)
        rc = load_entitlement(x, r, &e, &it, &ep, err);
    if (rc != DD_OK)
        return rc;
    if (in->proposal)
        str_copy(r->proposal, sizeof(r->proposal), in->proposal);
    rc = proposal_fields(in, &e, &ep, r, err);
    if (rc != DD_OK)
        return rc;
    str_copy(r->reason_text, sizeof(r->reason_text),
             in->reason_text ? in->reason_text : "");
    str_copy(r->proposed_by, sizeof(r->proposed_by),
             x->actor.name ? x->actor.name : "anonymous");
    r->proposed_at = x->now;
    /* "Shorter approval where the rules allow": no material change keeps
     * the amount (57号 Art. 31, domain.md §1.6), which is no 增发, 减发
     * or 停发 needing a decision with its legal ground (Art. 32): the
     * township that reviewed closes it, and the next review is opened. */
    if (strcmp(r->proposal, "unchanged") == 0)
        return close_review(x, r, &e, "review.close", err);
    str_copy(r->state, sizeof(r->state), "proposed");
    rc = store_review_update(x->tx, r);
    return rc == DD_OK ? audit(x, "review.propose", r) : rc;
}

enum dd_status
cases_review_decide(const struct cases_ctx *x, struct review_row *r,
                    int64_t version, struct entitlement_change_row *ch,
                    struct cases_ent_notice *notice, struct dd_error *err)
{
    struct entitlement_row e;
    if (version != r->version)
        return fail(err, DD_ECONFLICT, "VERSION_CONFLICT", "version",
                    "the review was changed meanwhile; reload it",
                    "该复核已被他人修改，请刷新后重试");
    if (strcmp(r->state, "proposed") != 0)
        return fail(err, DD_ECONFLICT, "REVIEW_STATE", "state",
                    "only a proposed review is decided",
                    "只有已提出结论的复核可以决定");
    enum dd_status rc = store_entitlement_get(x->tx, r->entitlement_id, &e);
    if (rc != DD_OK)
        return rc;
    const char *why =
        r->reason_text[0]
            ? r->reason_text
            : arena_printf(x->arena,
                           "复核 %lld：按核查事实测算月金额 %lld 分 / review "
                           "%lld: the engine's monthly amount on the facts "
                           "recorded is %lld fen",
                           (long long)r->id, (long long)r->computed_fen,
                           (long long)r->id, (long long)r->computed_fen);
    struct cases_ent_input in = {.event = r->proposal,
                                 .amount_fen = r->proposed_amount_fen,
                                 .months = r->proposed_months,
                                 .reason_code = r->stop_reason,
                                 .reason_text = why,
                                 .version = e.version,
                                 .review_id = r->id};
    rc = cases_entitlement_change(x, &e, &in, ch, notice, err);
    if (rc != DD_OK)
        return rc;
    r->change_id = ch->id;
    return close_review(x, r, &e, "review.decide", err);
}
