/* SPDX-License-Identifier: MIT */
/* One transition, in five jobs: check (the actor's role, what the action
 * carries, the engine's verdict where it decides on facts, the template's
 * step machine), leave the step (the 补正 pause, the 公示, a department's
 * answer), decide (approved with the engine's or the decider's amount, or
 * rejected with reasons), enter the next step (owner, clock, state; the
 * item written at the version read; a referral or a 公示), and record
 * (the explanation, an entitlement, the event, the audit row). */
#include <string.h>

#include "cases/cases_internal.h"
#include "core/str.h"
#include "json/json.h"

/* One transition's working state. */
struct move {
    struct catalog_item it;
    const struct wf_template *t;
    const struct wf_step *from, *to;
    const struct wf_transition *tr;
    struct publicity_row pub;
    int has_pub;
    enum case_engine eng;
    int by_engine; /* an approval the facts engine decides */
    struct case_outcome out;
    const char *engine_expl, *explanation;
    int64_t expected;
    char prev[24];
    int visit, stays;
};

static int
blank(const char *s)
{
    return !s || !s[strspn(s, " \t\r\n")];
}

/* An approval by an engine that needs the decider's facts is decided
 * before the transition's needs are checked, so the engine's amount
 * stands for amount_fen (docs/cases.md). */
static enum dd_status
check_engine(const struct cases_ctx *x, const struct case_item_row *c,
             const struct cases_input *in, struct move *m, struct wf_fields *f,
             struct dd_error *err)
{
    m->eng = assess_case_engine(m->it.program, m->it.code);
    for (int i = 0; m->from && i < WF_MAX_NEXT && m->from->next[i].action[0];
         i++)
        if (strcmp(m->from->next[i].action, in->action) == 0)
            m->by_engine = m->from->next[i].outcome == WF_OUT_APPROVE &&
                           assess_case_decides(m->eng);
    if (!m->by_engine)
        return DD_OK;
    if (!in->facts && assess_case_needs_facts(m->eng)) {
        cases_err(err, "REQUIRED", "facts",
                  "this approval needs the facts the engine decides on "
                  "(see docs/cases.md)",
                  "此审批须提供测算引擎所需的事实 facts（见 docs/cases.md）");
        return DD_EINVAL;
    }
    enum dd_status rc = cases_decide_facts(x, c, m->eng, in->facts,
                                           in->amount_fen, &m->out,
                                           &m->engine_expl, err);
    if (rc != DD_OK)
        return rc;
    if (m->out.decision == ASSESS_NOT_ELIGIBLE) {
        cases_err(err, "ENGINE_NOT_ELIGIBLE", "action",
                  "the assessment engine finds the applicant not "
                  "eligible on this date; reject with reasons",
                  "测算引擎认定申请人在此日期不符合条件，请说明理由后驳回");
        return DD_EREFUSED;
    }
    if (m->out.decision == ASSESS_REVIEW && assess_case_has_amount(m->eng) &&
        in->amount_fen <= 0) {
        cases_err(err, "REQUIRED", "amount_fen",
                  "the engine asks for a caseworker's review: this "
                  "approval needs the decider's amount_fen",
                  "测算引擎要求人工审核：此审批须由决定人填写金额 "
                  "amount_fen");
        return DD_EINVAL;
    }
    if (m->out.decision == ASSESS_ELIGIBLE && m->out.amount_fen > 0)
        f->amount_fen = m->out.amount_fen;
    return DD_OK;
}

static enum dd_status
check(const struct cases_ctx *x, const struct case_item_row *c,
      const struct cases_input *in, int check_role, struct move *m,
      struct dd_error *err)
{
    if (cases_item_version(x, c->item_code, c->catalog_version, &m->it) !=
        DD_OK)
        return DD_EINTERNAL;
    m->t = wf_template_find(x->steps, m->it.template_code);
    m->from = wf_step_find(m->t, c->step);
    if (check_role && !cases_role_fits(x, x->actor.role, c)) {
        cases_err(err, "NOT_YOUR_STEP", "action",
                  "this step is acted on by another role",
                  "此环节应由其他角色办理");
        return DD_EDENIED;
    }
    struct wf_fields f = {0};
    f.has_reasons = !blank(in->reasons);
    f.investigators = (int)in->investigator_count;
    f.amount_fen = in->amount_fen;
    f.has_result = !blank(in->result);
    f.has_checker = !blank(in->checker);
    /* 特困 Art. 16: in the sample (1) and not yet checked */
    f.spot_check_pending = c->spot_check == 1;
    if (m->from && (m->from->flags & WF_PUBLICITY)) {
        enum dd_status rc = store_publicity_open_of_case(x->tx, c->id, &m->pub);
        if (rc == DD_OK) {
            m->has_pub = 1;
            /* the 7 days run to the end of end_day */
            f.publicity_over = x->day.day > cases_day_of(m->pub.end_day);
        } else if (rc != DD_ENOTFOUND) {
            return rc;
        }
    }
    enum dd_status rc = check_engine(x, c, in, m, &f, err);
    if (rc != DD_OK)
        return rc;
    rc = wf_next(m->t, c->step, in->action, &f, &m->tr, err);
    if (rc == DD_ENOTFOUND)
        return DD_ECONFLICT; /* no such action here: 409 as a conflict */
    if (rc != DD_OK)
        return rc;
    m->to = wf_step_find(m->t, m->tr->to);
    m->expected = c->version;
    str_copy(m->prev, sizeof(m->prev), c->step);
    m->visit = m->from && (m->from->flags & WF_VISIT);
    /* an action that stays in its step (the spot check) records itself
     * and leaves the step's clock and owner as they are */
    m->stays = m->to == m->from;
    return DD_OK;
}

static enum dd_status
leave(const struct cases_ctx *x, struct case_item_row *c,
      const struct cases_input *in, struct move *m)
{
    enum dd_status rc = DD_OK;
    /* leaving 补正: the pause ends today (its working days move the
     * deadline) */
    if (m->from && (m->from->flags & WF_PAUSE) && c->paused_since[0]) {
        int unc = 0;
        c->paused_working_days += workcal_working_days_between(
            x->calendar, cases_day_of(c->paused_since), x->day.day, &unc);
        c->paused_since[0] = '\0';
    }
    if (m->has_pub)
        rc = cases_publicity_leave(x, c, &m->pub, m->tr->to, in->reasons);
    if (rc == DD_OK && m->from && m->from->level == WF_DEPT)
        rc = cases_referral_answer(x, c, m->from, in->action, in->result);
    return rc;
}

/* An approval: the engine's amount (低保, 特困), the facts engine's, or,
 * with no engine program, the decider's (or the grant's). */
static enum dd_status
approve(const struct cases_ctx *x, struct case_item_row *c,
        const struct cases_input *in, struct move *m, struct dd_error *err)
{
    str_copy(c->decision, sizeof(c->decision), "approved");
    if (m->by_engine) {
        /* ELIGIBLE: the engine's amount; REVIEW: the decider's (the
         * notice shows the engine's explanation with the review note);
         * a recognition has none */
        c->amount_fen = !assess_case_has_amount(m->eng) ? 0
                        : m->out.decision == ASSESS_ELIGIBLE
                            ? m->out.amount_fen
                            : in->amount_fen;
        m->explanation = m->engine_expl;
        return DD_OK;
    }
    int64_t amount = 0;
    enum dd_status rc = cases_engine_amount(x, c, &m->it, &amount,
                                            &m->explanation, NULL, err);
    if (rc == DD_OK) {
        c->amount_fen = amount;
    } else if (rc == DD_ENOTFOUND) {
        /* no engine program: the decider's amount (or the grant's) */
        m->explanation = NULL;
        if (in->amount_fen > 0)
            c->amount_fen = in->amount_fen;
        if (strcmp(m->it.program, "none") != 0 && c->amount_fen <= 0) {
            cases_err(err, "REQUIRED", "amount_fen",
                      "this approval needs the monthly amount_fen",
                      "此审批须填写月发放金额 amount_fen");
            return DD_EINVAL;
        }
        rc = DD_OK;
    } else if (rc == DD_EINVAL) {
        rc = DD_EREFUSED; /* the engine refuses */
    }
    return rc;
}

static enum dd_status
decide(const struct cases_ctx *x, struct case_item_row *c,
       const struct cases_input *in, struct move *m, struct dd_error *err)
{
    if (m->tr->needs & WF_NEED_AMOUNT)
        c->amount_fen = in->amount_fen;
    if (m->tr->outcome == WF_OUT_APPROVE)
        return approve(x, c, in, m, err);
    if (m->tr->outcome == WF_OUT_REJECT) {
        str_copy(c->decision, sizeof(c->decision), "rejected");
        str_copy(c->reasons, sizeof(c->reasons), in->reasons);
    }
    return DD_OK;
}

static enum dd_status
enter(const struct cases_ctx *x, struct case_item_row *c, struct move *m,
      struct dd_error *err)
{
    const struct wf_step *to = m->to;
    if (m->tr->needs & WF_NEED_CHECKER)
        c->spot_check = 2; /* checked (特困 Art. 16) */
    str_copy(c->step, sizeof(c->step), m->tr->to);
    if (!m->stays && (to->flags & WF_TERMINAL)) {
        str_copy(c->state, sizeof(c->state), "closed");
        str_copy(c->closed_on, sizeof(c->closed_on), x->day.s);
        c->step_deadline[0] = '\0';
    } else if (!m->stays) {
        str_copy(c->state, sizeof(c->state),
                 (to->flags & WF_PAUSE) ? "paused" : "open");
        if (to->flags & WF_PAUSE)
            str_copy(c->paused_since, sizeof(c->paused_since), x->day.s);
        cases_route(x, c, &m->it, to);
        cases_clock(x, c, &m->it, to, &x->day);
    }
    c->visits += m->visit;
    enum dd_status rc = store_case_item_update(x->tx, c, m->expected);
    if (rc == DD_ECONFLICT)
        cases_err(err, "VERSION_CONFLICT", "version",
                  "the case item was changed meanwhile; reload it",
                  "该事项已被他人修改，请刷新后重试");
    if (rc == DD_OK && !m->stays && !(to->flags & WF_TERMINAL))
        rc = cases_enter(x, c, &m->it);
    return rc;
}

static enum dd_status
record(const struct cases_ctx *x, const struct case_item_row *c,
       const struct cases_input *in, const struct move *m)
{
    enum dd_status rc = DD_OK;
    if (m->explanation)
        rc = store_case_item_explanation_set(x->tx, c->id, m->explanation);
    /* an entitlement: a monthly program's, or a recognition's (低保边缘,
     * 刚性支出: no amount, but what the household is now, which 两项补贴
     * reads); 临时救助 is a one-off grant on the item */
    if (rc == DD_OK && m->tr->outcome == WF_OUT_APPROVE &&
        (strcmp(m->it.program, "none") != 0 ||
         (m->by_engine && !assess_case_has_amount(m->eng))))
        rc = cases_entitle(x, c, &m->it);
    if (rc == DD_OK)
        rc = cases_event(x, c, m->prev, in->action, in->reasons,
                         in->fields_json, m->visit);
    /* the outcome and what it was decided on, for `doudi check` */
    char digest[DIGEST_HEX_LEN + 1], facts[DIGEST_HEX_LEN + 1];
    if (rc == DD_OK)
        rc = cases_decision_digests(x, c, m->tr->outcome != WF_OUT_NONE,
                                    in->facts, digest, facts);
    if (rc == DD_OK)
        rc = cases_audit(
            x, "case.transition",
            arena_printf(x->arena, "case_item:%lld", (long long)c->id),
            c->owner_region,
            json_object_of_strings(
                x->arena,
                (const char *[]){"case_no", c->case_no, "item", c->item_code,
                                 "from", m->prev, "to", c->step, "action",
                                 in->action, "digest", digest, "facts_digest",
                                 facts},
                7));
    return rc;
}

enum dd_status
cases_transition(const struct cases_ctx *x, struct case_item_row *c,
                 const struct cases_input *in, int check_role,
                 struct dd_error *err)
{
    struct move m;
    memset(&m, 0, sizeof(m));
    enum dd_status rc = check(x, c, in, check_role, &m, err);
    if (rc == DD_OK)
        rc = cases_verified_gate(x, c, m.from, m.tr, err);
    if (rc == DD_OK)
        rc = leave(x, c, in, &m);
    if (rc == DD_OK)
        rc = decide(x, c, in, &m, err);
    if (rc == DD_OK)
        rc = enter(x, c, &m, err);
    if (rc == DD_OK)
        rc = record(x, c, in, &m);
    return rc;
}
