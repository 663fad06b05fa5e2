/* SPDX-License-Identifier: MIT */
/* Decisions: the assessment engines run on a stored household with the
 * policy in force on the day (低保 and 特困 on the household alone, the
 * other engines with the decider's facts, assess_case.h), the dry run of
 * an item's engine, and the entitlement an approval opens. */
#include <stdio.h>
#include <string.h>

#include "cases/cases_internal.h"
#include "cases/payees.h"
#include "core/str.h"
#include "json/json.h"
#include "json/json_assess.h"
#include "json/json_facts.h"

#define ENTITLEMENT_MAX 64

/* Loads the item's household, maps it for the engines and resolves the
 * policy in force on x->day for its village, with the urban or rural
 * standard of its hukou district (domain.md §7.1): the members living
 * then, member_ids (may be NULL) as registry_to_household. DD_EREFUSED
 * with err when a 低保 or 特困 key has no version in force (or the
 * district leaves the standard to a household that follows it), or the
 * household's applicant has died. */
static enum dd_status
engine_load(const struct cases_ctx *x, const struct case_item_row *c,
            struct registry_household *rh, struct household *h,
            int64_t *member_ids, struct assess_params *p,
            struct dd_error *err)
{
    const struct civil_day *day = &x->day;
    enum dd_status rc = registry_load(x->tx, x->arena, c->household_id, rh);
    if (rc == DD_OK)
        rc = registry_to_household(rh, day->s, h, member_ids);
    /* the dead stay on the file (the payments name them): the survivors'
     * file names a living applicant first */
    if (rc == DD_EREFUSED) {
        if (err)
            registry_applicant_died_error(rh, day->s, x->arena, err);
        return DD_EREFUSED;
    }
    if (rc != DD_OK)
        return rc == DD_ENOTFOUND ? DD_EINTERNAL : rc;
    enum area_setting s;
    cases_policy_lock(x);
    rc = assess_params_resolve(x->policy, rh->h.region_code, day->y, day->m,
                               day->d, p, err);
    if (rc == DD_OK)
        rc = area_setting_parse(rh->h.urban_or_rural, &s) == 0
                 ? assess_area_resolve(x->policy, rh->h.hukou_region, day->y,
                                       day->m, day->d, s, p, h, err)
                 : DD_EINVAL;
    cases_policy_unlock(x);
    if (rc == DD_ENOTFOUND && err->code)
        rc = DD_EREFUSED;
    return rc;
}

/* The work of one engine run, in the caller's arena. */
struct engine_work {
    struct registry_household rh;
    struct household h;
    struct assess_params p;
    struct assess_result r;
    struct explain ex[ASSESS__COUNT];
};

enum dd_status
cases_engine_amount(const struct cases_ctx *x, const struct case_item_row *c,
                    const struct catalog_item *it, int64_t *amount,
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
    struct engine_work *w = arena_alloc(x->arena, sizeof(*w));
    if (!w)
        return DD_ENOMEM;
    const struct civil_day *day = &x->day;
    enum dd_status rc = engine_load(x, c, &w->rh, &w->h, NULL, &w->p, err);
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
    *explanation = json_encode_assessment(x->arena, day->s,
                                          w->rh.h.region_code, &w->r, ex);
    if (!*explanation)
        return DD_ENOMEM;
    if (w->r.decision[prog] == ASSESS_NOT_ELIGIBLE) {
        cases_err(err, "ENGINE_NOT_ELIGIBLE", "action",
                  "the assessment engine finds the household not "
                  "eligible on this date; reject with reasons",
                  "测算引擎认定该家庭在此日期不符合条件，请说明理由后驳回");
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

/* What the household has now (两项补贴 reads the recognitions). */
static enum dd_status
entitlements_of(const struct cases_ctx *x, int64_t household_id,
                struct decide_work *w)
{
    size_t n = 0;
    enum dd_status rc = store_entitlement_active_of_household(
        x->tx, household_id, w->ent, ENTITLEMENT_MAX, &n);
    for (size_t i = 0; rc == DD_OK && i < n; i++)
        assess_case_entitlement_add(&w->have, w->ent[i].item_code,
                                    w->ent[i].monthly_fen);
    return rc;
}

enum dd_status
cases_decide_facts(const struct cases_ctx *x, const struct case_item_row *c,
                   enum case_engine e, const char *facts, int64_t review_fen,
                   struct case_outcome *out, const char **explanation,
                   struct dd_error *err)
{
    const struct civil_day *day = &x->day;
    const char *missing = NULL;
    struct decide_work *w = arena_alloc(x->arena, sizeof(*w));
    if (!w)
        return DD_ENOMEM;
    memset(&w->have, 0, sizeof(w->have));
    if (facts) {
        enum dd_status drc =
            json_facts_decode(x->arena, facts, strlen(facts), e, &w->f, err);
        if (drc != DD_OK)
            return drc;
    }
    enum dd_status rc = engine_load(x, c, &w->rh, &w->h, w->ids, &w->p, err);
    if (rc != DD_OK)
        return rc; /* DD_EREFUSED: not in force, or the applicant died */
    rc = entitlements_of(x, c->household_id, w);
    if (rc != DD_OK)
        return rc;
    rc = assess_case_request(e, &w->h, w->ids, w->rh.h.hukou_region, &w->p,
                             day->y, day->m, day->d, &w->have,
                             facts ? &w->f : NULL, &w->rq, &missing);
    if (rc == DD_EINVAL && missing) {
        int absent = strcmp(missing, "facts.member_id") != 0 ||
                     !(w->f.present & CASE_F_MEMBER);
        if (absent)
            cases_err(err, "REQUIRED", missing,
                      "this decision needs this fact (see docs/cases.md)",
                      "此决定须提供该事实（见 docs/cases.md）");
        else
            cases_err(err, "INVALID_VALUE", missing,
                      "no such member in the household", "该家庭没有此成员");
        return DD_EINVAL;
    }
    if (rc == DD_OK)
        rc = assess_case_run(&w->rq, &w->h, &w->p, day->y, day->m, day->d,
                             &w->o, &w->ex);
    if (rc == DD_EINVAL) {
        cases_err(err, "HOUSEHOLD_NOT_ASSESSABLE", NULL,
                  "the stored household or the facts are inconsistent on "
                  "this date (members, dates or amounts)",
                  "该家庭记录或所填事实在此日期不一致（成员、日期或金额）");
        return DD_ECONFLICT;
    }
    if (rc != DD_OK)
        return rc;
    *out = w->o;
    *explanation = json_encode_case_outcome(
        x->arena, day->s, w->rh.h.region_code, &w->o, &w->ex,
        w->o.decision == ASSESS_REVIEW && assess_case_has_amount(e)
            ? review_fen
            : -1);
    return *explanation ? DD_OK : DD_ENOMEM;
}

enum dd_status
cases_assess(const struct cases_ctx *x, const struct case_item_row *c,
             const char *facts, struct cases_assessment *out,
             struct dd_error *err)
{
    struct catalog_item it;
    enum dd_status rc =
        cases_item_version(x, c->item_code, c->catalog_version, &it);
    if (rc != DD_OK)
        return DD_EINTERNAL;
    if (!cases_role_fits(x, x->actor.role, c)) {
        cases_err(err, "NOT_YOUR_STEP", "action",
                  "this step is acted on by another role",
                  "此环节应由其他角色办理");
        return DD_EDENIED;
    }
    enum case_engine eng = assess_case_engine(it.program, it.code);
    out->program = assess_case_engine_name(eng);
    out->decision = ASSESS_NOT_ELIGIBLE;
    out->amount_fen = 0;
    out->explanation = NULL;
    if (eng == CASE_ENGINE_NONE) {
        cases_err(err, "NO_ENGINE", NULL,
                  "no assessment engine decides this item",
                  "此事项没有测算引擎");
        return DD_ECONFLICT;
    }
    if (eng == CASE_ENGINE_DIBAO || eng == CASE_ENGINE_TEKUN) {
        struct dd_error e2 = {0};
        rc = cases_engine_amount(x, c, &it, &out->amount_fen,
                                 &out->explanation, &out->decision, &e2);
        if (rc == DD_EINVAL && out->explanation)
            rc = DD_OK; /* not eligible: a dry run says so */
        if (rc != DD_OK) {
            if (err)
                *err = e2;
            return rc == DD_EINVAL ? DD_EREFUSED : rc;
        }
    } else {
        struct case_outcome o;
        if (!facts && assess_case_needs_facts(eng)) {
            cases_err(err, "REQUIRED", "facts",
                      "this item's engine needs the facts (see "
                      "docs/cases.md)",
                      "此事项的测算引擎须提供事实 facts（见 docs/cases.md）");
            return DD_EINVAL;
        }
        rc = cases_decide_facts(x, c, eng, facts, -1, &o, &out->explanation,
                                err);
        if (rc != DD_OK)
            return rc;
        out->decision = o.decision;
        out->amount_fen = o.amount_fen;
    }
    /* the household's personal data were read */
    return cases_audit(
        x, "case.assess",
        arena_printf(x->arena, "case_item:%lld", (long long)c->id),
        c->owner_region,
        json_object_of_strings(
            x->arena,
            (const char *[]){"case_no", c->case_no, "item", c->item_code,
                             "decision", assess_decision_name(out->decision)},
            3));
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

enum dd_status
cases_entitle(const struct cases_ctx *x, const struct case_item_row *c,
              const struct catalog_item *it)
{
    struct application_row app;
    enum dd_status rc = store_application_get(x->tx, c->application_id, &app);
    struct entitlement_row e = {0};
    str_copy(e.county_code, sizeof(e.county_code), c->county_code);
    e.household_id = c->household_id;
    /* the caseload's scope: the village the household was approved in */
    str_copy(e.region_code, sizeof(e.region_code), c->village_code);
    str_copy(e.item_code, sizeof(e.item_code), c->item_code);
    e.case_item_id = c->id;
    e.monthly_fen = c->amount_fen;
    str_copy(e.state, sizeof(e.state), "active");
    /* the head, or a minor's guardian (issue 13 §1; cases/payees.h) */
    if (rc == DD_OK)
        rc = cases_payee_of_household(x, c->household_id, &e.payee_person_id);
    if (rc != DD_OK)
        return rc;
    start_month(it, app.applied_on, &x->day, e.start_month);
    rc = store_entitlement_insert(x->tx, &e);
    if (rc == DD_OK) /* its first review, the cycle from the approval */
        rc = cases_review_next(
            x, &e, workcal_day_from_ymd(x->day.y, x->day.m, x->day.d), 0, "",
            NULL);
    /* a day before the schedule's keys are in force opens none: a
     * schedule run (POST /api/v1/reviews/schedule) opens it later */
    return rc == DD_EREFUSED ? DD_OK : rc;
}

enum dd_status
cases_decision_digests(const struct cases_ctx *x, const struct case_item_row *c,
                       int decided, const char *facts,
                       char digest[DIGEST_HEX_LEN + 1],
                       char facts_digest[DIGEST_HEX_LEN + 1])
{
    struct entitlement_row e;
    enum dd_status rc = DD_OK;
    facts_digest[0] = '\0';
    if (decided) {
        struct registry_household *rh = arena_alloc(x->arena, sizeof(*rh));
        char household[DIGEST_HEX_LEN + 1];
        if (!rh)
            return DD_ENOMEM;
        rc = registry_load(x->tx, x->arena, c->household_id, rh);
        if (rc == DD_OK)
            rc = digest_household(rh, household);
        if (rc == DD_OK)
            rc = digest_facts(household, facts ? facts : "", facts_digest);
    }
    if (rc == DD_OK)
        rc = store_entitlement_by_case_item(x->tx, c->id, &e);
    if (rc == DD_OK || rc == DD_ENOTFOUND)
        rc = digest_decision(c, rc == DD_OK ? &e : NULL, facts_digest, digest);
    return rc;
}
