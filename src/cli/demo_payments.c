/* SPDX-License-Identifier: MIT */
/* The demo's caseload after approval (issue 13 §7), built before `doudi
 * demo` serves, in process, through the case service with the day pinned
 * (struct cases_ctx's day), so that every row is what the system would
 * have written on that day: households of the two demo townships apply
 * for 低保, 特困, 两项补贴 and 孤儿 from May 2024 on and go through every
 * step of their item (investigation, means check, first review, 公示,
 * confirmation, decision by the engines, notice) as the demo users of
 * their township and county. Two in three applications come before
 * 2025, the rest month by month to last month, so the caseload grows and
 * the first month of a new case brings its back pay. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cases/cases.h"
#include "cli/cli.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "domain/household.h"
#include "refdata/refdata.h"
#include "refdata/refdata_catalog.h"
#include "refdata/refdata_steps.h"

/* households generated in each demo township for the caseload */
#define CASELOAD_HOUSEHOLDS 1500
/* the first households of a township (by id) are left to the demo's
 * cases (demo_cases.c lists 200 and applies for some) */
#define CASES_RESERVED 200
#define PAGE 256
#define ARENA_CAP (1u << 20)

/* The service's reference data, loaded as the server loads it. */
struct env {
    const struct config *cfg;
    struct store *st;
    struct pii_keys *keys;
    struct policy_table *policy;
    struct workcal *calendar;
    struct wf_book *steps;
    struct catalog catalog;
    struct arena *arena;
};

static void
env_free(struct env *e)
{
    pii_keys_free(e->keys);
    policy_table_free(e->policy);
    workcal_free(e->calendar);
    free(e->steps);
    catalog_clear(&e->catalog);
    arena_free(e->arena);
}

static enum dd_status
env_load(struct env *e, const struct config *cfg, struct store *st)
{
    struct store_tx *tx = NULL;
    long bad = 0;
    char why[256];
    memset(e, 0, sizeof(*e));
    e->cfg = cfg;
    e->st = st;
    e->steps = calloc(1, sizeof(*e->steps));
    e->arena = arena_new(ARENA_CAP);
    if (!e->steps || !e->arena)
        return DD_ENOMEM;
    enum dd_status rc = pii_keys_load(cfg->key_file, &e->keys);
    if (rc == DD_OK)
        rc = refdata_steps_read(cfg->data_dir, e->steps, &bad, why,
                                sizeof(why));
    if (rc == DD_OK)
        rc = store_tx_begin(st, STORE_READ, &tx);
    if (rc != DD_OK)
        return rc;
    rc = refdata_policy_table(tx, &e->policy);
    if (rc == DD_OK)
        rc = refdata_workcal(tx, &e->calendar);
    if (rc == DD_OK)
        rc = refdata_catalog_read(tx, &e->catalog);
    store_tx_rollback(tx);
    return rc;
}

/* The day y-m-d + plus days. */
static void
day_at(int y, int m, int d, int plus, struct civil_day *out)
{
    struct tm t = {0};
    t.tm_year = y - 1900;
    t.tm_mon = m - 1;
    t.tm_mday = d + plus;
    t.tm_hour = 4; /* noon in Asia/Shanghai */
    civil_day_of((int64_t)timegm(&t), out);
}

/* Who acts: a demo user of the township or its county. */
enum who { CLERK, REVIEWER, COUNTY };

struct town {
    const char *township, *county;
    char names[3][40];
};

/* A service context in tx as w of t on day. */
static void
ctx(const struct env *e, struct store_tx *tx, const struct town *t,
    enum who w, const struct civil_day *day, struct cases_ctx *x)
{
    static const enum role roles[] = {ROLE_TOWN_CLERK, ROLE_TOWN_REVIEWER,
                                      ROLE_COUNTY_OFFICER};
    memset(x, 0, sizeof(*x));
    x->tx = tx;
    x->arena = e->arena;
    x->catalog = &e->catalog;
    x->policy = e->policy;
    x->steps = e->steps;
    x->calendar = e->calendar;
    x->pii = e->keys;
    x->actor.name = t->names[w];
    x->actor.role = roles[w];
    x->actor.region = w == COUNTY ? t->county : t->township;
    x->request_id = "demo";
    x->day = *day;
    x->now = (int64_t)day->day * 86400 - 8 * 3600 + 10 * 3600;
}

/* What an item needs filed with it. */
static const char *const dibao_papers[] = {
    "id_card", "hukou", "income_proof", "asset_declaration", "check_consent"};
static const char *const tekun_papers[] = {
    "id_card",         "hukou",         "income_proof", "asset_declaration",
    "check_consent",   "selfcare_assessment"};
static const char *const disability_papers[] = {"id_card", "hukou",
                                                "disability_card"};
static const char *const child_papers[] = {"id_card", "hukou", "guardian_id",
                                           "parents_status_proof"};

/* One step's action: who takes it, how many days after the filing;
 * template NULL = any. */
struct step_act {
    const char *template_code, *step, *action;
    enum who who;
    int day;
};

/* The steps of the four templates (data/catalog/steps.csv), each taken
 * in its time: the 公示 runs 7 calendar days from the first review on
 * day 4, so it closes on day 12 */
static const struct step_act acts[] = {
    {"disability", "review", "submit", REVIEWER, 2},
    {NULL, "investigate", "submit", CLERK, 1},
    {NULL, "verify", "submit", COUNTY, 3},
    {NULL, "review", "approve", REVIEWER, 4},
    {NULL, "publicity", "close", CLERK, 12},
    {NULL, "confirm", "submit", COUNTY, 13},
    {NULL, "check", "submit", CLERK, 5},
    {NULL, "decide", "approve", COUNTY, 14},
    {NULL, "notify", "notify", CLERK, 15},
};

/* Files item for household hh on day0 and takes it through every step
 * to its notice; facts (JSON) for the engines that need the decider's.
 * DD_EREFUSED when the engine finds the household not eligible. The
 * caller commits or rolls back tx. */
static enum dd_status
grant(const struct env *e, struct store_tx *tx, const struct town *t,
      const struct registry_household *rh, const char *item,
      const char *const *papers, size_t paper_count, const char *facts,
      const struct civil_day *day0)
{
    struct cases_ctx x;
    struct cases_intake in;
    struct application_row app;
    struct case_item_row c;
    struct dd_error err = {0};
    char code[CASES_QUERY_CODE_LEN + 1];
    struct cases_filing f = {.channel = "window",
                             .applied_on = day0->s,
                             .items = &item,
                             .item_count = 1,
                             .materials = (const char **)papers,
                             .material_count = paper_count};
    ctx(e, tx, t, CLERK, day0, &x);
    enum dd_status rc = cases_intake_check(&x, &f, 0, &in, &err);
    if (rc == DD_OK)
        rc = cases_duplicate_check(&x, &in, rh->h.id, &err);
    if (rc == DD_OK)
        rc = cases_file(&x, &in, rh, t->township, "", &app, &c, code);
    while (rc == DD_OK && strcmp(c.state, "closed") != 0) {
        const struct step_act *a = NULL;
        for (size_t i = 0; !a && i < sizeof(acts) / sizeof(acts[0]); i++)
            if (strcmp(acts[i].step, c.step) == 0 &&
                (!acts[i].template_code ||
                 strcmp(acts[i].template_code, in.items[0].template_code) ==
                     0))
                a = &acts[i];
        if (!a) {
            log_error("demo: %s case item %lld at step %s", item,
                      (long long)c.id, c.step);
            return DD_EINTERNAL;
        }
        struct civil_day day;
        day_at(day0->y, day0->m, day0->d, a->day, &day);
        ctx(e, tx, t, a->who, &day, &x);
        static const char *investigators[] = {"刘一", "陈二"};
        struct cases_input ci = {.action = a->action};
        if (strcmp(a->step, "investigate") == 0) {
            ci.investigators = investigators;
            ci.investigator_count = 2;
        }
        if (strcmp(a->step, "decide") == 0)
            ci.facts = facts;
        if (strcmp(a->step, "confirm") == 0 && c.spot_check == 1) {
            /* 特困 Art. 16: the county's spot check of the sample first */
            ci.action = "spot_check";
            ci.result = "入户抽查，情况属实";
            ci.checker = "张核查";
        }
        rc = cases_transition(&x, &c, &ci, 1, &err);
    }
    if (rc != DD_OK && rc != DD_EREFUSED)
        log_info("demo: %s for household %lld: %s %s", item,
                 (long long)rh->h.id, dd_status_name(rc),
                 err.code ? err.code : "");
    return rc;
}

/* One household's applications, chosen by who lives there and by the
 * engines' view of it on the day (cases_preview, as the intake shows):
 * 特困 for one living alone whom the engine finds eligible, else 低保
 * when it does, the care subsidy for a grade 1–2 disability, the living
 * subsidy for a disability in a 低保 household, now and then 孤儿 for a
 * child. Each item in its own transaction. *made counts entitlements. */
static enum dd_status
household(struct env *e, const struct town *t, int64_t id,
          const struct civil_day *day0, int serial, size_t *made)
{
    struct registry_household rh;
    struct store_tx *tx = NULL;
    struct cases_ctx x;
    struct cases_intake in;
    struct assess_result r;
    char facts[256];
    const char *dibao_item = "dibao";
    struct cases_filing f = {.channel = "window",
                             .applied_on = day0->s,
                             .items = &dibao_item,
                             .item_count = 1};
    /* a fresh arena per household: bounded however many there are */
    arena_free(e->arena);
    e->arena = arena_new(ARENA_CAP);
    if (!e->arena)
        return DD_ENOMEM;
    enum dd_status rc = store_tx_begin(e->st, STORE_READ, &tx);
    ctx(e, tx, t, CLERK, day0, &x);
    if (rc == DD_OK)
        rc = registry_load(tx, e->arena, id, &rh);
    if (rc == DD_OK)
        rc = cases_intake_check(&x, &f, 0, &in, NULL);
    if (rc == DD_OK && cases_preview(&x, &in, &rh, &r) != DD_OK)
        memset(&r, 0, sizeof(r)); /* not assessed: neither item */
    store_tx_rollback(tx);
    if (rc != DD_OK)
        return rc;
    const struct person_row *dis = NULL, *child = NULL;
    for (size_t i = 0; i < rh.member_count; i++) {
        const struct person_row *p = &rh.members[i];
        if (p->disability_grade >= 1 && !dis)
            dis = p;
        if (atoi(p->birth_date) > day0->y - 16 && !child)
            child = p;
    }
    int tekun = rh.member_count == 1 &&
                r.decision[ASSESS_TEKUN] == ASSESS_ELIGIBLE;
    int dibao = !tekun && r.decision[ASSESS_DIBAO] == ASSESS_ELIGIBLE;
    enum { IT_TEKUN, IT_DIBAO, IT_CARE, IT_LIVING, IT_ORPHAN, IT__COUNT };
    for (int k = 0; k < IT__COUNT; k++) {
        rc = DD_ENOTFOUND; /* not this item */
        if (store_tx_begin(e->st, STORE_WRITE, &tx) != DD_OK)
            return DD_ESTORE;
        if (k == IT_TEKUN && tekun)
            rc = grant(e, tx, t, &rh, "tekun", tekun_papers, 6, NULL, day0);
        else if (k == IT_DIBAO && dibao)
            rc = grant(e, tx, t, &rh, "dibao", dibao_papers, 5, NULL, day0);
        else if (k == IT_CARE && dis && dis->disability_grade <= 2) {
            snprintf(facts, sizeof(facts),
                     "{\"member_id\":%lld,\"card_valid\":true,"
                     "\"care_months\":12}",
                     (long long)dis->id);
            rc = grant(e, tx, t, &rh, "disability_care", disability_papers, 3,
                       facts, day0);
        } else if (k == IT_LIVING && dis && dibao) {
            snprintf(facts, sizeof(facts),
                     "{\"member_id\":%lld,\"card_valid\":true}",
                     (long long)dis->id);
            rc = grant(e, tx, t, &rh, "disability_living", disability_papers,
                       3, facts, day0);
        } else if (k == IT_ORPHAN && child && serial % 24 == 0) {
            snprintf(facts, sizeof(facts),
                     "{\"member_id\":%lld,\"placement\":\"scattered\","
                     "\"parents\":[{\"dead\":true},{\"dead\":true}]}",
                     (long long)child->id);
            rc = grant(e, tx, t, &rh, "orphan", child_papers, 4, facts, day0);
        }
        if (rc == DD_OK) {
            rc = store_tx_commit(tx);
            if (rc != DD_OK)
                return rc;
            (*made)++;
        } else {
            store_tx_rollback(tx);
            dibao &= k != IT_DIBAO; /* refused after all */
        }
    }
    return DD_OK;
}

/* The filing day of the n-th caseload household of a township: two in
 * three from 2024-05-01 over 200 days (paid from January 2025 on), the
 * rest from 2025-01-01 to 2026-10-22 (decided by 2026-11-06). */
static void
filing_day(int n, struct civil_day *out)
{
    if (n % 3 != 2)
        day_at(2024, 5, 1, (n * 7) % 200, out);
    else
        day_at(2025, 1, 1, (n * 13) % 660, out);
}

/* The caseload of one township: its households past the reserved ones. */
static enum dd_status
township(struct env *e, const struct town *t, size_t *made)
{
    struct household_row *page = calloc(PAGE, sizeof(*page));
    struct store_tx *tx = NULL;
    int64_t after = 0;
    int serial = 0;
    size_t n = 0;
    enum dd_status rc = page ? DD_OK : DD_ENOMEM;
    while (rc == DD_OK) {
        rc = store_tx_begin(e->st, STORE_READ, &tx);
        if (rc == DD_OK)
            rc = store_household_list(tx, t->township, after, page, PAGE, &n);
        store_tx_rollback(tx);
        if (rc != DD_OK || n == 0)
            break;
        after = page[n - 1].id;
        for (size_t i = 0; rc == DD_OK && i < n; i++, serial++) {
            if (serial < CASES_RESERVED)
                continue;
            struct civil_day day0;
            filing_day(serial, &day0);
            rc = household(e, t, page[i].id, &day0, serial, made);
        }
    }
    free(page);
    return rc;
}

int
cli_demo_payments(const struct config *cfg, struct store *st)
{
    struct env e;
    double t0 = (double)time_mono_us();
    size_t made = 0;
    enum dd_status rc = env_load(&e, cfg, st);
    if (rc == DD_OK &&
        cli_gen_store(cfg, st, CASELOAD_HOUSEHOLDS * 2, 3, cli_demo_townships,
                      2025, 7, 1, NULL, NULL) != 0)
        rc = DD_EINTERNAL;
    for (size_t i = 0; rc == DD_OK && cli_demo_townships[i]; i++) {
        struct town t = {cli_demo_townships[i], NULL, {{0}}};
        char county[7];
        snprintf(county, sizeof(county), "%.6s", t.township);
        t.county = county;
        snprintf(t.names[CLERK], sizeof(t.names[CLERK]), "clerk.%s",
                 t.township);
        snprintf(t.names[REVIEWER], sizeof(t.names[REVIEWER]), "reviewer.%s",
                 t.township);
        snprintf(t.names[COUNTY], sizeof(t.names[COUNTY]), "county.%s",
                 county);
        rc = township(&e, &t, &made);
    }
    env_free(&e);
    if (rc != DD_OK) {
        fprintf(stderr, "doudi demo: the caseload stopped: %s\n",
                dd_status_name(rc));
        return -1;
    }
    printf("demo caseload: %zu entitlements in %.1f s\n", made,
           ((double)time_mono_us() - t0) / 1e6);
    return 0;
}
