/* SPDX-License-Identifier: MIT */
/* The engine decision of a case item: mapping a registry household, its
 * active entitlements and the decider's facts onto the request of the
 * item's engine, and running it. Pure: no I/O, no allocation. */
#include "assess/assess_case.h"

#include <string.h>

static const struct {
    const char *program, *code, *name;
    enum case_engine e;
} engines[] = {
    {"dibao", NULL, "dibao", CASE_ENGINE_DIBAO},
    {"tekun", NULL, "tekun", CASE_ENGINE_TEKUN},
    {"disability_living", NULL, "disability_living",
     CASE_ENGINE_DISABILITY_LIVING},
    {"disability_care", NULL, "disability_care", CASE_ENGINE_DISABILITY_CARE},
    {"orphan", NULL, "orphan", CASE_ENGINE_ORPHAN},
    {"unsupported_child", NULL, "unsupported_child", CASE_ENGINE_DEFACTO},
    /* program "none": no monthly entitlement, decided by the code */
    {NULL, "tempaid_urgent", "tempaid_urgent", CASE_ENGINE_TEMPAID_URGENT},
    {NULL, "tempaid_expense", "tempaid_expense", CASE_ENGINE_TEMPAID_EXPENSE},
    {NULL, "lowincome_edge", "lowincome_edge", CASE_ENGINE_NEAR_POOR},
    {NULL, "rigid_expense", "rigid_expense", CASE_ENGINE_RIGID},
};
#define ENGINE_COUNT (sizeof(engines) / sizeof(engines[0]))

enum case_engine
assess_case_engine(const char *program, const char *code)
{
    for (size_t i = 0; i < ENGINE_COUNT; i++) {
        if (engines[i].program && program &&
            strcmp(engines[i].program, program) == 0)
            return engines[i].e;
        if (engines[i].code && code && strcmp(engines[i].code, code) == 0 &&
            (!program || strcmp(program, "none") == 0))
            return engines[i].e;
    }
    return CASE_ENGINE_NONE;
}

const char *
assess_case_engine_name(enum case_engine e)
{
    for (size_t i = 0; i < ENGINE_COUNT; i++)
        if (engines[i].e == e)
            return engines[i].name;
    return "none";
}

int
assess_case_decides(enum case_engine e)
{
    return e >= CASE_ENGINE_DISABILITY_LIVING && e < CASE_ENGINE__COUNT;
}

int
assess_case_needs_facts(enum case_engine e)
{
    return e == CASE_ENGINE_DISABILITY_LIVING ||
           e == CASE_ENGINE_DISABILITY_CARE || e == CASE_ENGINE_ORPHAN ||
           e == CASE_ENGINE_DEFACTO || e == CASE_ENGINE_TEMPAID_URGENT ||
           e == CASE_ENGINE_TEMPAID_EXPENSE || e == CASE_ENGINE_RIGID;
}

int
assess_case_has_amount(enum case_engine e)
{
    return e != CASE_ENGINE_NONE && e != CASE_ENGINE_NEAR_POOR &&
           e != CASE_ENGINE_RIGID;
}

int
assess_case_one_off(enum case_engine e)
{
    return e == CASE_ENGINE_TEMPAID_URGENT || e == CASE_ENGINE_TEMPAID_EXPENSE;
}

int
assess_case_extra(enum case_engine e)
{
    switch (e) {
    case CASE_ENGINE_DISABILITY_LIVING:
    case CASE_ENGINE_DISABILITY_CARE: return ASSESS_X_DISABILITY;
    case CASE_ENGINE_ORPHAN:
    case CASE_ENGINE_DEFACTO: return ASSESS_X_CHILDREN;
    case CASE_ENGINE_TEMPAID_URGENT:
    case CASE_ENGINE_TEMPAID_EXPENSE: return ASSESS_X_TEMPAID;
    case CASE_ENGINE_NEAR_POOR:
    case CASE_ENGINE_RIGID: return ASSESS_X_LOWINCOME;
    default: return -1;
    }
}

void
assess_case_entitlement_add(struct case_entitlements *e, const char *item_code,
                            int64_t monthly_fen)
{
    if (!e || !item_code)
        return;
    if (strcmp(item_code, "dibao") == 0) {
        e->dibao = 1;
        e->dibao_fen += monthly_fen;
    } else if (strcmp(item_code, "tekun") == 0) {
        e->tekun = 1;
        e->tekun_fen += monthly_fen;
    } else if (strcmp(item_code, "lowincome_edge") == 0) {
        e->near_poor = 1;
    } else if (strcmp(item_code, "disability_living") == 0) {
        e->disability_living_fen += monthly_fen;
    }
}

/* The member index of person id, or -1. */
static int
member_index(const struct household *h, const int64_t *ids, int64_t id)
{
    for (int i = 0; i < h->member_count; i++)
        if (ids[i] == id)
            return i;
    return -1;
}

static enum dd_status
need(const char **missing, const char *path)
{
    *missing = path;
    return DD_EINVAL;
}

enum dd_status
assess_case_request(enum case_engine e, const struct household *h,
                    const int64_t *member_ids, const char *hukou_region,
                    const struct assess_params *p, int y, int m, int d,
                    const struct case_entitlements *ent,
                    const struct case_facts *f, struct case_request *out,
                    const char **missing)
{
    const char *ignored;
    if (!missing)
        missing = &ignored;
    *missing = NULL;
    if (!out)
        return DD_EINVAL;
    memset(out, 0, sizeof(*out));
    out->engine = e;
    out->member = -1;
    if (!h || !member_ids || !hukou_region || !p || !ent ||
        h->member_count < 1 || h->member_count > HH_MAX_MEMBERS ||
        (!assess_case_needs_facts(e) && e != CASE_ENGINE_NEAR_POOR))
        return DD_EINVAL;
    if (!f && assess_case_needs_facts(e))
        return need(missing, "facts");
    /* Chongqing 户籍: the household's hukou region is a Chongqing code */
    int hukou_local = strncmp(hukou_region, "50", 2) == 0;

    switch (e) {
    case CASE_ENGINE_DISABILITY_LIVING:
    case CASE_ENGINE_DISABILITY_CARE: {
        if (!(f->present & CASE_F_MEMBER))
            return need(missing, "facts.member_id");
        if (!(f->present & CASE_F_CARD_VALID))
            return need(missing, "facts.card_valid");
        if (e == CASE_ENGINE_DISABILITY_CARE &&
            !(f->present & CASE_F_CARE_MONTHS))
            return need(missing, "facts.care_months");
        int i = member_index(h, member_ids, f->member_id);
        if (i < 0)
            return need(missing, "facts.member_id");
        const struct hh_person *pe = &h->members[i];
        struct disability_applicant *a = &out->disability;
        out->member = i;
        /* category and grade as registered (the 残疾人证's) */
        a->category = pe->disability_category;
        a->grade = pe->disability_grade;
        a->card_valid = f->card_valid;
        a->hukou_local = hukou_local;
        /* domain.md §4: the household situation is what the household
         * receives now, never typed: 低保 first, then 特困, then 边缘 */
        a->household = ent->dibao       ? DISABILITY_HH_DIBAO
                       : ent->tekun     ? DISABILITY_HH_TEKUN
                       : ent->near_poor ? DISABILITY_HH_NEAR_POOR
                                        : DISABILITY_HH_OTHER;
        a->care_months = f->care_months;
        a->orphan_protected = f->orphan_protected;
        a->defacto_full_subsidy = f->defacto_full_subsidy;
        a->work_injury_care_fen = f->work_injury_care_fen;
        return DD_OK;
    }
    case CASE_ENGINE_ORPHAN:
    case CASE_ENGINE_DEFACTO: {
        if (!(f->present & CASE_F_MEMBER))
            return need(missing, "facts.member_id");
        if (!(f->present & CASE_F_PLACEMENT))
            return need(missing, "facts.placement");
        if (!(f->present & CASE_F_PARENTS) || f->parent_count < 1)
            return need(missing, "facts.parents");
        int i = member_index(h, member_ids, f->member_id);
        if (i < 0)
            return need(missing, "facts.member_id");
        const struct hh_person *pe = &h->members[i];
        struct child_applicant *c = &out->child;
        out->member = i;
        c->birth_y = pe->birth_y;
        c->birth_m = pe->birth_m;
        c->birth_d = pe->birth_d;
        c->schooling = pe->schooling;
        c->hukou_local = hukou_local;
        c->placement = f->placement;
        for (int k = 0; k < f->parent_count && k < 2; k++)
            c->parents[k] = f->parents[k];
        /* domain.md §5 补差: the child's 低保 share is the household's
         * 低保 entitlement divided by its member count (per head, floored;
         * the entitlement names the household, not the person). 特困 and
         * the living subsidy are counted in full: an entitlement does not
         * say which member it pays, and the explanation lists each. */
        c->dibao_share_fen = ent->dibao ? ent->dibao_fen / h->member_count : 0;
        c->tekun_fen = ent->tekun ? ent->tekun_fen : 0;
        c->disability_living_fen = ent->disability_living_fen;
        return DD_OK;
    }
    case CASE_ENGINE_TEMPAID_URGENT:
    case CASE_ENGINE_TEMPAID_EXPENSE: {
        int urgent = e == CASE_ENGINE_TEMPAID_URGENT;
        if (!(f->present & CASE_F_CAUSE))
            return need(missing, "facts.cause");
        if (urgent && !(f->present & CASE_F_MONTHS_NEEDED))
            return need(missing, "facts.months_needed");
        if (!urgent && !(f->present & CASE_F_EXPENSE))
            return need(missing, "facts.expense_fen");
        if (!urgent && !(f->present & CASE_F_ASSETS))
            return need(missing, "facts.assets_within_rules");
        struct tempaid_request *t = &out->tempaid;
        t->type = urgent ? TEMPAID_EMERGENCY : TEMPAID_EXPENSE;
        t->cause = f->cause;
        t->standard_area = h->standard_area; /* assess_area_resolve's */
        t->persons =
            (f->present & CASE_F_PERSONS) ? f->persons : h->member_count;
        t->dibao_family = ent->dibao;
        t->months_needed = urgent ? f->months_needed : 0;
        if (!urgent) {
            /* the 低保 engine's counted income, not re-derived: monthly
             * per capita × 12 for the annual test (tempaid.h) */
            struct dibao_result dr;
            if (dibao_assess(h, &p->dibao, y, m, d, &dr, NULL) != DD_OK)
                return DD_EINVAL;
            t->income_per_capita_annual_fen = dr.income_per_capita_fen * 12;
            t->expense_fen = f->expense_fen;
            t->assets_within_rules = f->assets_within_rules;
        }
        return DD_OK;
    }
    case CASE_ENGINE_RIGID: out->rigid = f->rigid; return DD_OK;
    case CASE_ENGINE_NEAR_POOR: return DD_OK;
    default: return DD_EINVAL;
    }
}

static const struct explain_rule R_UNRESOLVED = {
    "case.policy_unresolved", "docs/policy.md (effective-dated parameters)",
    "a policy parameter this program needs has no version in force on the "
    "date: the engine cannot decide, a caseworker does",
    "本项目所需的政策参数在该日期没有生效版本：引擎无法决定，由经办人员决定"};

static enum assess_decision
of_disability(enum disability_decision d)
{
    return d == DISABILITY_ELIGIBLE ? ASSESS_ELIGIBLE
           : d == DISABILITY_REVIEW ? ASSESS_REVIEW
                                    : ASSESS_NOT_ELIGIBLE;
}

static void
part(struct case_outcome *o, const char *kind, int64_t fen)
{
    if (o->part_count < 2) {
        o->parts[o->part_count].kind = kind;
        o->parts[o->part_count].amount_fen = fen;
        o->part_count++;
    }
}

enum dd_status
assess_case_run(const struct case_request *rq, const struct household *h,
                const struct assess_params *p, int y, int m, int d,
                struct case_outcome *out, struct explain *ex)
{
    if (!out)
        return DD_EINVAL;
    memset(out, 0, sizeof(*out));
    if (!rq || !p)
        return DD_EINVAL;
    explain_init(ex);
    out->engine = rq->engine;
    int g = assess_case_extra(rq->engine);
    if (g < 0)
        return DD_EINVAL;
    if (p->unresolved_key[g]) {
        out->decision = ASSESS_REVIEW;
        out->unresolved_key = p->unresolved_key[g];
        explain_add(ex, &R_UNRESOLVED, EXPLAIN_REVIEW, rq->member, 0);
        return DD_OK;
    }
    if (p->area.resolved && assess_case_one_off(rq->engine))
        area_explain(&p->area, ex); /* domain.md §7.1: which standard */
    enum dd_status rc = DD_EINVAL;
    switch (rq->engine) {
    case CASE_ENGINE_DISABILITY_LIVING:
    case CASE_ENGINE_DISABILITY_CARE: {
        struct disability_result r;
        rc = disability_assess(&rq->disability, &p->disability, rq->member, &r,
                               ex);
        if (rc != DD_OK)
            break;
        if (rq->engine == CASE_ENGINE_DISABILITY_LIVING) {
            out->decision = of_disability(r.living);
            out->amount_fen = r.living_fen;
            if (r.living != DISABILITY_NOT_ELIGIBLE)
                part(out, "living", r.living_fen);
        } else {
            out->decision = of_disability(r.care);
            out->amount_fen = r.care_fen;
            if (r.care != DISABILITY_NOT_ELIGIBLE)
                part(out, "care", r.care_fen);
        }
        break;
    }
    case CASE_ENGINE_ORPHAN:
    case CASE_ENGINE_DEFACTO: {
        struct children_result r;
        rc = children_assess(&rq->child, &p->children, y, m, d, rq->member, &r,
                             ex);
        if (rc != DD_OK)
            break;
        enum children_kind want = rq->engine == CASE_ENGINE_ORPHAN
                                      ? CHILDREN_ORPHAN
                                      : CHILDREN_DEFACTO;
        if (r.kind != want || r.decision == CHILDREN_NOT_ELIGIBLE) {
            out->decision = ASSESS_NOT_ELIGIBLE;
            break;
        }
        out->decision =
            r.decision == CHILDREN_ELIGIBLE ? ASSESS_ELIGIBLE : ASSESS_REVIEW;
        out->amount_fen = r.amount_fen;
        if (r.part_count)
            part(out, r.top_up ? "top_up" : "full", r.amount_fen);
        break;
    }
    case CASE_ENGINE_TEMPAID_URGENT:
    case CASE_ENGINE_TEMPAID_EXPENSE: {
        struct tempaid_result r;
        rc = tempaid_assess(&rq->tempaid, &p->tempaid, &r, ex);
        if (rc != DD_OK)
            break;
        out->decision = r.decision == TEMPAID_ELIGIBLE ? ASSESS_ELIGIBLE
                        : r.decision == TEMPAID_REVIEW ? ASSESS_REVIEW
                                                       : ASSESS_NOT_ELIGIBLE;
        out->amount_fen = r.amount_fen;
        if (r.part_count)
            part(out, "band", r.amount_fen);
        break;
    }
    case CASE_ENGINE_NEAR_POOR:
    case CASE_ENGINE_RIGID: {
        struct lowincome_result r;
        if (!h)
            return DD_EINVAL;
        rc = lowincome_assess(h, &p->lowincome,
                              rq->engine == CASE_ENGINE_RIGID ? &rq->rigid
                                                              : NULL,
                              y, m, d, &r, ex);
        if (rc != DD_OK)
            break;
        enum lowincome_status want = rq->engine == CASE_ENGINE_RIGID
                                         ? LOWINCOME_RIGID
                                         : LOWINCOME_NEAR_POOR;
        out->lowincome_status = (int)r.status;
        out->decision = r.status == want               ? ASSESS_ELIGIBLE
                        : r.status == LOWINCOME_REVIEW ? ASSESS_REVIEW
                                                       : ASSESS_NOT_ELIGIBLE;
        break;
    }
    default: break;
    }
    if (rc != DD_OK) {
        memset(out, 0, sizeof(*out));
        return rc;
    }
    return DD_OK;
}
