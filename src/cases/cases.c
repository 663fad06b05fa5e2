/* SPDX-License-Identifier: MIT */
/* The service's common ground (cases.h): the reference data under their
 * locks, routing an item to the office that acts on its step, the
 * statutory clock, the applicant as printed, and the record (events and
 * audit rows). */
#include "cases/cases.h"

#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "cases/cases_internal.h"
#include "core/str.h"
#include "json/json.h"

int32_t
cases_day_of(const char *s)
{
    int32_t d = 0;
    return s && s[0] && workcal_parse_date(s, &d) == 0 ? d : INT32_MIN;
}

void
cases_err(struct dd_error *err, const char *code, const char *field,
          const char *en, const char *zh)
{
    if (!err)
        return;
    err->code = code;
    err->field = field;
    err->message = en;
    err->message_zh = zh;
}

void
cases_policy_lock(const struct cases_ctx *x)
{
    if (x->policy_lock)
        pthread_rwlock_rdlock(x->policy_lock);
}

void
cases_policy_unlock(const struct cases_ctx *x)
{
    if (x->policy_lock)
        pthread_rwlock_unlock(x->policy_lock);
}

enum dd_status
cases_item_version(const struct cases_ctx *x, const char *code,
                   int64_t version, struct catalog_item *out)
{
    if (x->catalog_lock)
        pthread_rwlock_rdlock(x->catalog_lock);
    const struct catalog_item *it =
        catalog_find_version(x->catalog, code, version);
    if (it)
        *out = *it;
    if (x->catalog_lock)
        pthread_rwlock_unlock(x->catalog_lock);
    return it ? DD_OK : DD_ENOTFOUND;
}

enum dd_status
cases_item_on(const struct cases_ctx *x, const char *code, const char *date,
              struct catalog_item *out)
{
    if (x->catalog_lock)
        pthread_rwlock_rdlock(x->catalog_lock);
    const struct catalog_item *it = catalog_find(x->catalog, code, date);
    if (it)
        *out = *it;
    if (x->catalog_lock)
        pthread_rwlock_unlock(x->catalog_lock);
    return it ? DD_OK : DD_ENOTFOUND;
}

const struct wf_step *
cases_step(const struct cases_ctx *x, const struct catalog_item *it,
           const char *code)
{
    return wf_step_find(wf_template_find(x->steps, it->template_code), code);
}

int64_t
cases_policy_value(const struct cases_ctx *x, const char *key,
                   const char *county, int64_t dflt)
{
    const struct policy_param *p = NULL;
    int64_t v = dflt;
    cases_policy_lock(x);
    if (policy_lookup(x->policy, key, county, x->day.y, x->day.m, x->day.d,
                      &p) == DD_OK &&
        p)
        v = p->value;
    cases_policy_unlock(x);
    return v;
}

void
cases_route(const struct cases_ctx *x, struct case_item_row *c,
            const struct catalog_item *it, const struct wf_step *s)
{
    enum wf_level lvl = s->level;
    /* 2022 notice §4: where the district delegates 审核确认, the township
     * confirms (and decides) */
    if (lvl == WF_COUNTY && (s->flags & WF_CONFIRM) &&
        cases_policy_value(x, "dibao.confirm.delegated", c->county_code, 0) ==
            1)
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

/* The law's dated limits over the catalog's clocks (57号 Arts. 15, 20-22,
 * domain.md §1.2; 刚性支出困难家庭认定办法): where one is in force for the
 * county, a catalog limit longer than it is cut to it, since a catalog
 * may promise less than the law, never more. step NULL: the item's whole
 * process. */
static const struct {
    const char *item, *step, *key;
} law_limits[] = {
    {"dibao", NULL, "dibao.limit.total"},
    {"dibao", "investigate", "dibao.limit.investigation_start"},
    {"dibao", "confirm", "dibao.limit.county_confirm"},
    {"dibao", "notify", "dibao.limit.reject_notice"},
    {"rigid_expense", NULL, "rigid.limit.total"},
};

static int
law_cap(const struct cases_ctx *x, const char *item, const char *step,
        const char *county, int days)
{
    for (size_t i = 0; i < sizeof(law_limits) / sizeof(law_limits[0]); i++) {
        if (strcmp(law_limits[i].item, item) != 0 ||
            (step == NULL) != (law_limits[i].step == NULL) ||
            (step && strcmp(step, law_limits[i].step) != 0))
            continue;
        int64_t law = cases_policy_value(x, law_limits[i].key, county, -1);
        return law >= 0 && law < days ? (int)law : days;
    }
    return days;
}

void
cases_clock(const struct cases_ctx *x, struct case_item_row *c,
            const struct catalog_item *it, const struct wf_step *s,
            const struct civil_day *day)
{
    const struct workcal *cal = x->calendar;
    int unc = 0;
    int32_t acc = cases_day_of(c->accepted_on);
    int32_t dl;
    int days = law_cap(x, it->code, NULL, c->county_code,
                       (int)it->statutory_days);
    if (strcmp(it->statutory_unit, "calendar") == 0)
        dl = acc + (int32_t)(days + c->paused_working_days);
    else
        dl = workcal_add_working_days(
            cal, acc, (int)(days + c->paused_working_days), &unc);
    workcal_format_date(dl, c->deadline);
    c->deadline_uncovered = unc;
    str_copy(c->step_started_on, sizeof(c->step_started_on), day->s);
    c->step_deadline[0] = '\0';
    /* the step's limit under the item's version (its step_limits over
     * the template's) */
    int limit = catalog_step_limit(it, s);
    if (limit > 0)
        limit = law_cap(x, it->code, s->code, c->county_code, limit);
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

void
cases_days(const struct cases_ctx *x, const struct case_item_row *c,
           int *used, int *left)
{
    int unc = 0;
    int32_t end = c->closed_on[0] ? cases_day_of(c->closed_on) : x->day.day;
    *used = workcal_working_days_between(x->calendar,
                                         cases_day_of(c->accepted_on), end,
                                         &unc) -
            (int)c->paused_working_days;
    if (c->paused_since[0])
        *used -= workcal_working_days_between(
            x->calendar, cases_day_of(c->paused_since), end, &unc);
    if (*used < 0)
        *used = 0;
    *left = c->closed_on[0] ? 0 : cases_days_left(x, c);
}

int
cases_days_left(const struct cases_ctx *x, const struct case_item_row *c)
{
    int unc = 0;
    return workcal_working_days_left(x->calendar, x->day.day,
                                     cases_day_of(c->deadline), &unc);
}

int
cases_role_fits(const struct cases_ctx *x, enum role role,
                const struct case_item_row *c)
{
    struct catalog_item it;
    if (cases_item_version(x, c->item_code, c->catalog_version, &it) != DD_OK)
        return 0;
    const struct wf_step *s = cases_step(x, &it, c->step);
    if (!s)
        return 0;
    if (c->owner_department[0])
        return s->level == WF_DEPT && wf_step_actor(s, role);
    if (strlen(c->owner_region) == 9 && s->level != WF_TOWNSHIP)
        return role == ROLE_TOWN_CLERK || role == ROLE_TOWN_REVIEWER;
    return wf_step_actor(s, role);
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

enum dd_status
cases_applicant(const struct cases_ctx *x, int64_t household_id, char *masked,
                size_t cap, int64_t *size)
{
    struct registry_household rh;
    enum dd_status rc = registry_load(x->tx, x->arena, household_id, &rh);
    if (rc != DD_OK)
        return rc;
    const char *name = rh.member_count ? rh.members[0].name : "";
    *size = 0;
    for (size_t i = 0; i < rh.member_count; i++) {
        if (rh.members[i].relation == HH_REL_APPLICANT)
            name = rh.members[i].name;
        /* the dead stay on the file but are not of the household */
        *size += !rh.members[i].died_on[0];
    }
    cases_mask_name(name, masked, cap);
    return DD_OK;
}

enum dd_status
cases_event(const struct cases_ctx *x, const struct case_item_row *c,
            const char *from, const char *action, const char *reasons,
            const char *fields_json, int visit)
{
    struct case_event_row e = {0};
    const struct cases_actor *a = &x->actor;
    e.case_item_id = c->id;
    str_copy(e.county_code, sizeof(e.county_code), c->county_code);
    str_copy(e.step_from, sizeof(e.step_from), from);
    str_copy(e.step_to, sizeof(e.step_to), c->step);
    str_copy(e.action, sizeof(e.action), action);
    str_copy(e.actor, sizeof(e.actor), a->name ? a->name : "anonymous");
    str_copy(e.role, sizeof(e.role),
             a->role != ROLE_NONE ? role_name(a->role) : "citizen");
    str_copy(e.region, sizeof(e.region), a->region ? a->region : "");
    str_copy(e.day, sizeof(e.day), x->day.s);
    str_copy(e.reasons, sizeof(e.reasons), reasons ? reasons : "");
    str_copy(e.fields, sizeof(e.fields), fields_json ? fields_json : "{}");
    e.visit = visit;
    return store_case_event_insert(x->tx, &e);
}

enum dd_status
cases_audit(const struct cases_ctx *x, const char *action, const char *object,
            const char *region, const char *detail)
{
    return audit_log(x->tx, x->actor.name, action, object, region,
                     x->request_id, detail);
}

enum dd_status
cases_verified_gate(const struct cases_ctx *x, const struct case_item_row *c,
                    const struct wf_step *from,
                    const struct wf_transition *tr, struct dd_error *err)
{
    int unverified = 0;
    /* a rejection needs no verified applicant; past the first step every
     * applicant was verified, but an approval checks anyway */
    if (tr->outcome == WF_OUT_REJECT ||
        (!(from && (from->flags & WF_FIRST)) && tr->outcome != WF_OUT_APPROVE))
        return DD_OK;
    enum dd_status rc =
        store_household_unverified(x->tx, c->household_id, &unverified);
    if (rc == DD_OK && unverified) {
        cases_err(err, "APPLICANT_UNVERIFIED", "action",
                  "the applicant declared themselves online: record the "
                  "verification of their identity and household first "
                  "(POST /api/v1/applications/{id}/verification)",
                  "申请人为网上自行申报，须先核实其身份和家庭情况并登记核实");
        return DD_ECONFLICT;
    }
    return rc;
}

enum dd_status
cases_verify(const struct cases_ctx *x, const struct case_item_row *c,
             struct dd_error *err)
{
    enum dd_status rc = store_household_verify(x->tx, c->household_id);
    if (rc == DD_ENOTFOUND)
        cases_err(err, "ALREADY_VERIFIED", NULL,
                  "the applicant's household is in the registry already",
                  "该申请人家庭已在登记库中");
    else if (rc == DD_ECONFLICT)
        cases_err(err, "PERSON_REGISTERED", NULL,
                  "the applicant is active in another household: reject "
                  "this application, and file for that household",
                  "申请人已登记在其他家庭：请驳回本申请并为该家庭受理");
    if (rc == DD_ENOTFOUND)
        rc = DD_ECONFLICT;
    if (rc == DD_OK)
        rc = cases_audit(
            x, "household.verify",
            arena_printf(x->arena, "household:%lld",
                         (long long)c->household_id),
            c->village_code,
            json_object_of_strings(x->arena,
                                   (const char *[]){"case_no", c->case_no},
                                   1));
    return rc;
}
