/* SPDX-License-Identifier: MIT */
/* What entering and leaving a step does beside the item: the village 公示
 * (opened with the engine's amount, closed or objected to when the case
 * leaves it) and the referral to a department (sent on entering, accepted
 * and answered on leaving). */
#include <string.h>

#include "cases/cases_internal.h"
#include "core/str.h"

/* 民发〔2021〕57号 Art. 19 and Art. 24: name (masked), household size and
 * amount, for the step's limit in calendar days from today (not
 * counted). */
static enum dd_status
publicity_open(const struct cases_ctx *x, const struct case_item_row *c,
               const struct catalog_item *it, const struct wf_step *s)
{
    struct publicity_row p = {0};
    struct dd_error ignored_err = {0};
    const char *ignored;
    int64_t amount = c->amount_fen;
    if (cases_engine_amount(x, c, it, &amount, &ignored, NULL,
                            &ignored_err) != DD_OK)
        amount = c->amount_fen;
    p.case_item_id = c->id;
    str_copy(p.county_code, sizeof(p.county_code), c->county_code);
    str_copy(p.village_code, sizeof(p.village_code), c->village_code);
    str_copy(p.item_code, sizeof(p.item_code), c->item_code);
    enum dd_status rc =
        cases_applicant(x, c->household_id, p.masked_name,
                        sizeof(p.masked_name), &p.household_size);
    p.amount_fen = amount;
    str_copy(p.start_day, sizeof(p.start_day), x->day.s);
    workcal_format_date(x->day.day + catalog_step_limit(it, s), p.end_day);
    str_copy(p.state, sizeof(p.state), "open");
    if (rc == DD_OK)
        rc = store_publicity_insert(x->tx, &p);
    return rc;
}

/* A department step: the referral, once per item. */
static enum dd_status
referral_open(const struct cases_ctx *x, const struct case_item_row *c,
              const struct catalog_item *it)
{
    struct referral_row r;
    if (store_referral_get(x->tx, c->id, &r) != DD_ENOTFOUND)
        return DD_OK;
    memset(&r, 0, sizeof(r));
    r.case_item_id = c->id;
    str_copy(r.county_code, sizeof(r.county_code), c->county_code);
    str_copy(r.department, sizeof(r.department), it->department);
    str_copy(r.region, sizeof(r.region), c->owner_region);
    return store_referral_insert(x->tx, &r);
}

enum dd_status
cases_enter(const struct cases_ctx *x, struct case_item_row *c,
            const struct catalog_item *it)
{
    const struct wf_step *s = cases_step(x, it, c->step);
    enum dd_status rc = DD_OK;
    if (!s)
        return DD_EINTERNAL;
    if (s->level == WF_DEPT)
        rc = referral_open(x, c, it);
    if (rc == DD_OK && (s->flags & WF_PUBLICITY))
        rc = publicity_open(x, c, it, s);
    return rc;
}

enum dd_status
cases_publicity_leave(const struct cases_ctx *x, const struct case_item_row *c,
                      struct publicity_row *pub, const char *to,
                      const char *reasons)
{
    /* an objection sends the case back to investigation (Art. 19) */
    str_copy(pub->state, sizeof(pub->state),
             strcmp(to, "investigate") == 0 ? "objected" : "closed");
    enum dd_status rc = store_publicity_update(x->tx, pub);
    if (rc == DD_OK && strcmp(pub->state, "objected") == 0) {
        struct objection_row o = {0};
        o.publicity_id = pub->id;
        str_copy(o.county_code, sizeof(o.county_code), c->county_code);
        str_copy(o.text, sizeof(o.text), reasons);
        str_copy(o.recorded_by, sizeof(o.recorded_by), x->actor.name);
        str_copy(o.day, sizeof(o.day), x->day.s);
        rc = store_objection_insert(x->tx, &o);
    }
    return rc;
}

enum dd_status
cases_referral_answer(const struct cases_ctx *x, const struct case_item_row *c,
                      const struct wf_step *from, const char *action,
                      const char *result)
{
    struct referral_row r;
    enum dd_status rc = store_referral_get(x->tx, c->id, &r);
    if (rc != DD_OK)
        return rc;
    if (strcmp(from->code, "referred") == 0 && strcmp(action, "accept") == 0)
        r.accepted_at = x->now;
    else
        r.answered_at = x->now;
    if (result)
        str_copy(r.result, sizeof(r.result), result);
    return store_referral_update(x->tx, &r);
}
