/* SPDX-License-Identifier: MIT */
/* The demo's caseload after approval (issue 13 §7), built before `doudi
 * demo` serves, in process, through the case and payment services with
 * the day pinned (struct cases_ctx's day), so that every row is what the
 * system would have written on that day. Households of the two demo
 * townships apply for 低保, 特困, 两项补贴 and 孤儿 and go through every step
 * of their item (investigation, means check, first review, 公示, confirmation,
 * decision by the engines, notice) as the demo users of their township and
 * county; each payee's card is entered by the clerk and confirmed by the
 * reviewer. Two in three apply in the two months before the first batch, the
 * rest month by month after, so the caseload grows and a new case's first batch
 * brings its back pay. For the 24 months to this one, each county's
 * batch of each programme is built, checked and approved by three
 * payments officers, exported in the plain UTF-8 template, reconciled
 * with a return file in which one line in 97 fails, the failures reissued
 * and paid, and closed; this month's batches wait for approval. Last
 * month the death of a 特困 person two months before was recorded: the
 * money stops and the two months paid since are owed back, one repaid.
 * The batches need the payments officers cmd_serve.c creates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cases/cases.h"
#include "cases/deaths.h"
#include "cases/payees.h"
#include "cases/payment_files.h"
#include "cases/payments.h"
#include "cases/recoveries.h"
#include "cli/cli.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "crypto/crypto.h"
#include "domain/household.h"
#include "domain/payee.h"
#include "io/bankfile.h"
#include "refdata/refdata.h"
#include "refdata/refdata_catalog.h"
#include "refdata/refdata_steps.h"
#include "json/jw.h"

/* the first households of a township (by id) are left to the demo's
 * cases (demo_cases.c lists 200 and applies for some) */
#define CASES_RESERVED 200
#define PAGE 256
#define ARENA_CAP (1u << 20)

/* The service's reference data, loaded as the server loads it. */
struct env {
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
    e->st = st;
    e->steps = calloc(1, sizeof(*e->steps));
    e->arena = arena_new(ARENA_CAP);
    if (!e->steps || !e->arena)
        return DD_ENOMEM;
    enum dd_status rc = pii_keys_load(cfg->key_file, &e->keys);
    if (rc == DD_OK)
        rc =
            refdata_steps_read(cfg->data_dir, e->steps, &bad, why, sizeof(why));
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
enum who { CLERK, REVIEWER, COUNTY, MAKER, CHECKER, APPROVER, WHO__COUNT };

struct town {
    const char *township, *county;
    char names[WHO__COUNT][40];
};

/* A service context in tx as w of t on day. */
static void
ctx(const struct env *e, struct store_tx *tx, const struct town *t, enum who w,
    const struct civil_day *day, struct cases_ctx *x)
{
    static const enum role roles[] = {
        ROLE_TOWN_CLERK,       ROLE_TOWN_REVIEWER,    ROLE_COUNTY_OFFICER,
        ROLE_PAYMENTS_OFFICER, ROLE_PAYMENTS_OFFICER, ROLE_PAYMENTS_OFFICER};
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
    x->actor.region = w >= COUNTY ? t->county : t->township;
    x->request_id = "demo";
    x->day = *day;
    x->now = (int64_t)day->day * 86400 - 8 * 3600 + 10 * 3600;
}

/* What an item needs filed with it. */
static const char *const dibao_papers[] = {
    "id_card", "hukou", "income_proof", "asset_declaration", "check_consent"};
static const char *const tekun_papers[] = {
    "id_card",           "hukou",         "income_proof",
    "asset_declaration", "check_consent", "selfcare_assessment"};
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
      const struct civil_day *day0, int64_t *item_id)
{
    struct cases_ctx x;
    struct cases_intake in;
    struct application_row app;
    struct case_item_row c = {0};
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
                 strcmp(acts[i].template_code, in.items[0].template_code) == 0))
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
    *item_id = c.id;
    if (rc != DD_OK && rc != DD_EREFUSED)
        log_info("demo: %s for household %lld: %s %s", item,
                 (long long)rh->h.id, dd_status_name(rc),
                 err.code ? err.code : "");
    return rc;
}

/* An entitlement granted, as the batches need to know of it. */
struct granted {
    int town;
    const char *item;
    int32_t start; /* its first month, year * 12 + month - 1 */
    int64_t entitlement_id, person_id;
};

/* A household waiting for its applications, on its filing day. */
struct pending {
    int town;
    int64_t id;
    int serial;
    struct civil_day day;
};

struct demo {
    struct env e;
    struct town towns[2];
    char counties[2][7];
    const struct bank_template *tpl;
    struct granted *g;
    size_t g_count, g_cap;
    size_t accounts, batches, lines, failed, reissued;
    int64_t recovery_fen, repaid_fen;
};

static const char *const programmes[] = {"dibao", "tekun", "disability_living",
                                         "disability_care", "orphan"};

#define MONTH_IX(y, m) ((y)*12 + (m)-1)

/* A bank card number for person, when the household declared none: the
 * 621700 of cmd_gen.c's cards, the id in 12 digits and the Luhn digit
 * (valid in form, not anyone's). */
static void
card_number(int64_t person, char out[PAYEE_NUMBER_MAX + 1])
{
    snprintf(out, PAYEE_NUMBER_MAX + 1, "621700%012lld",
             (long long)(person % 1000000000000LL));
    out[18] = payee_luhn_digit(out);
    out[19] = '\0';
}

/* The payee's account: the bank card the household declared at intake
 * (migration 10's bank account, sealed on its row) or else one of its
 * own, entered by the clerk the day after the decision and confirmed by
 * the reviewer (four eyes), unless one is active. */
static enum dd_status
account(struct demo *d, struct store_tx *tx, const struct town *t,
        const struct household_row *h, int64_t person,
        const struct civil_day *day)
{
    struct payee_account_row a;
    struct payee_person_row p;
    struct cases_ctx x;
    struct dd_error err = {0};
    char number[PAYEE_NUMBER_MAX + 1], row[24];
    int64_t sharing = 0, superseded = 0;
    enum dd_status rc =
        cases_payee_account_active(tx, d->e.keys, person, &a, number);
    crypto_wipe(number, sizeof(number));
    if (rc != DD_ENOTFOUND)
        return rc;
    snprintf(row, sizeof(row), "%lld", (long long)h->id);
    if (h->bank_account_enc[0])
        rc = pii_open(d->e.keys, &PII_AD_HOUSEHOLD_BANK(row),
                      h->bank_account_enc, number, sizeof(number));
    else
        card_number(person, number), rc = DD_OK;
    if (rc == DD_OK)
        rc = store_payee_person_get(tx, person, &p);
    struct cases_payee_input in = {"bank_card", "CQRCB", number, p.name};
    ctx(&d->e, tx, t, CLERK, day, &x);
    if (rc == DD_OK)
        rc = cases_payee_account_enter(&x, &p, &in, &a, &sharing, &err);
    ctx(&d->e, tx, t, REVIEWER, day, &x);
    if (rc == DD_OK)
        rc = cases_payee_account_confirm(&x, &a, a.version, &superseded, &err);
    crypto_wipe(number, sizeof(number));
    if (rc != DD_OK)
        log_info("demo: payee account of person %lld: %s %s", (long long)person,
                 dd_status_name(rc), err.code ? err.code : "");
    d->accounts += rc == DD_OK;
    return rc;
}

/* Remembers e, granted in town ti. */
static enum dd_status
remember(struct demo *d, int ti, const struct entitlement_row *e)
{
    if (d->g_count == d->g_cap) {
        size_t cap = d->g_cap ? d->g_cap * 2 : 1024;
        struct granted *g = realloc(d->g, cap * sizeof(*g));
        if (!g)
            return DD_ENOMEM;
        d->g = g;
        d->g_cap = cap;
    }
    struct granted *g = &d->g[d->g_count++];
    g->town = ti;
    g->item = "";
    for (size_t i = 0; i < sizeof(programmes) / sizeof(programmes[0]); i++)
        if (strcmp(programmes[i], e->item_code) == 0)
            g->item = programmes[i];
    g->start = MONTH_IX((int)strtol(e->start_month, NULL, 10),
                        (int)strtol(e->start_month + 5, NULL, 10));
    g->entitlement_id = e->id;
    g->person_id = e->payee_person_id;
    return DD_OK;
}

/* The decider's facts (docs/cases.md) for member: the care subsidy's (a
 * valid card, 12 months of care), the living subsidy's (a valid card),
 * an orphan's (both parents dead, with relatives); into buf. */
enum facts_kind { FACTS_CARE, FACTS_LIVING, FACTS_ORPHAN };

static const char *
facts_of(int64_t member, enum facts_kind k, char *buf, size_t cap)
{
    struct jw w;
    jw_init(&w, cap);
    jw_obj(&w, NULL);
    jw_int(&w, "member_id", member);
    if (k == FACTS_ORPHAN) {
        jw_str(&w, "placement", "scattered");
        jw_arr(&w, "parents");
        for (int i = 0; i < 2; i++) {
            jw_obj(&w, NULL);
            jw_bool(&w, "dead", 1);
            jw_end(&w);
        }
        jw_end(&w);
    } else {
        jw_bool(&w, "card_valid", 1);
        if (k == FACTS_CARE)
            jw_int(&w, "care_months", 12);
    }
    jw_end(&w);
    return jw_finish_into(&w, buf, cap) == DD_OK ? buf : NULL;
}

/* One household's applications, chosen by who lives there and by the
 * engines' view of it on the day (cases_preview, as the intake shows):
 * 特困 for one living alone whom the engine finds eligible, else 低保
 * when it does, the care subsidy for a grade 1–2 disability, the living
 * subsidy for a disability in a 低保 household, now and then 孤儿 for a
 * child. Each item, with its payee's account, in its own transaction. */
static enum dd_status
household(struct demo *d, const struct pending *h)
{
    struct env *e = &d->e;
    const struct town *t = &d->towns[h->town];
    const struct civil_day *day0 = &h->day;
    struct registry_household rh;
    struct store_tx *tx = NULL;
    struct cases_ctx x;
    struct cases_intake in;
    struct assess_result r;
    struct entitlement_row ent;
    struct civil_day after;
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
        rc = registry_load(tx, e->arena, h->id, &rh);
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
        if (strtol(p->birth_date, NULL, 10) > day0->y - 16 && !child)
            child = p;
    }
    int tekun =
        rh.member_count == 1 && r.decision[ASSESS_TEKUN] == ASSESS_ELIGIBLE;
    int dibao = !tekun && r.decision[ASSESS_DIBAO] == ASSESS_ELIGIBLE;
    day_at(day0->y, day0->m, day0->d, 16, &after);
    enum { IT_TEKUN, IT_DIBAO, IT_CARE, IT_LIVING, IT_ORPHAN, IT__COUNT };
    for (int k = 0; k < IT__COUNT; k++) {
        int64_t item_id = 0;
        rc = DD_ENOTFOUND; /* not this item */
        if (store_tx_begin(e->st, STORE_WRITE, &tx) != DD_OK)
            return DD_ESTORE;
        if (k == IT_TEKUN && tekun)
            rc = grant(e, tx, t, &rh, "tekun", tekun_papers, 6, NULL, day0,
                       &item_id);
        else if (k == IT_DIBAO && dibao)
            rc = grant(e, tx, t, &rh, "dibao", dibao_papers, 5, NULL, day0,
                       &item_id);
        else if (k == IT_CARE && dis && dis->disability_grade <= 2)
            rc = grant(e, tx, t, &rh, "disability_care", disability_papers, 3,
                       facts_of(dis->id, FACTS_CARE, facts, sizeof(facts)),
                       day0, &item_id);
        else if (k == IT_LIVING && dis && dibao)
            rc = grant(e, tx, t, &rh, "disability_living", disability_papers, 3,
                       facts_of(dis->id, FACTS_LIVING, facts, sizeof(facts)),
                       day0, &item_id);
        else if (k == IT_ORPHAN && child && h->serial % 24 == 0)
            rc = grant(e, tx, t, &rh, "orphan", child_papers, 4,
                       facts_of(child->id, FACTS_ORPHAN, facts, sizeof(facts)),
                       day0, &item_id);
        if (rc == DD_OK)
            rc = store_entitlement_by_case_item(tx, item_id, &ent);
        if (rc == DD_OK && ent.payee_person_id)
            rc = account(d, tx, t, &rh.h, ent.payee_person_id, &after);
        if (rc == DD_OK)
            rc = store_tx_commit(tx);
        else
            store_tx_rollback(tx);
        if (rc == DD_OK)
            rc = remember(d, h->town, &ent);
        else if (rc != DD_ENOTFOUND && rc != DD_EREFUSED &&
                 rc != DD_ECONFLICT && rc != DD_EINVAL)
            return rc;
        dibao &= k != IT_DIBAO || rc == DD_OK; /* refused after all */
    }
    return DD_OK;
}

/* An export's bytes, kept for the return file. */
struct bytes {
    char *p;
    size_t len, cap;
};

static enum dd_status
buf_sink(void *ctx, const void *bytes, size_t len)
{
    struct bytes *b = ctx;
    if (b->len + len + 1 > b->cap) {
        size_t cap = (b->len + len + 1) * 2;
        char *p = realloc(b->p, cap);
        if (!p)
            return DD_ENOMEM;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, bytes, len);
    b->len += len;
    b->p[b->len] = '\0';
    return DD_OK;
}

/* The bank's return file for an export in the plain UTF-8 template
 * (data/banks/plain-utf8.tpl: a header line, then line_id|name|
 * id_number|account|amount): every line paid but, when fail, each whose
 * line id is a multiple of 97 (the account closed); the trailer counts
 * every line. *failed counts the failures. */
static enum dd_status
return_file(const struct bytes *exp, int fail, struct bytes *out,
            size_t *failed)
{
    long long count = 0, sum = 0;
    char line[256];
    const char *p = strchr(exp->p, '\n');
    *failed = 0;
    while (p && p[1]) {
        const char *s = p + 1;
        p = strchr(s, '\n');
        char row[512];
        size_t n = p ? (size_t)(p - s) : strlen(s);
        if (n >= sizeof(row))
            return DD_EINVAL;
        memcpy(row, s, n);
        row[n] = '\0';
        char *f[5], *save = NULL;
        int k = 0;
        for (char *tok = strtok_r(row, "|", &save); tok && k < 5;
             tok = strtok_r(NULL, "|", &save))
            f[k++] = tok;
        if (k != 5)
            return DD_EINVAL;
        long long id = atoll(f[0]), amount = atoll(f[4]);
        int bad = fail && id % 97 == 0;
        snprintf(line, sizeof(line), "%lld,%s,%lld,%s,%s\n", id, f[3], amount,
                 bad ? "失败" : "成功", bad ? "账户已销户" : "");
        enum dd_status rc = buf_sink(out, line, strlen(line));
        if (rc != DD_OK)
            return rc;
        count++;
        sum += amount;
        *failed += (size_t)bad;
    }
    snprintf(line, sizeof(line), "%lld,%lld\n", count, sum);
    return buf_sink(out, line, strlen(line));
}

/* A step of a batch after its build. */
enum pay_step {
    STEP_CHECK,
    STEP_APPROVE,
    STEP_CLOSE,
    STEP_EXPORT,
    STEP_RETURN,
    STEP_REISSUE
};

/* Takes step s of batch b in its own write transaction as w of t on day
 * y-m-dd (the export into io, the return file from io, the reissue batch
 * into reissue); b is read again after it. */
static enum dd_status
step(struct demo *d, const struct town *t, enum who w, int y, int m, int dd,
     struct payment_batch_row *b, enum pay_step s, struct bytes *io,
     struct payment_batch_row *reissue)
{
    static const enum cases_pay_step steps[] = {
        CASES_PAY_CHECK, CASES_PAY_APPROVE, CASES_PAY_CLOSE};
    struct store_tx *tx = NULL;
    struct cases_ctx x;
    struct civil_day day;
    struct dd_error err = {0};
    struct bank_result res;
    struct payfile_outcome out;
    struct payfile_reissue_notes notes;
    day_at(y, m, dd, 0, &day);
    enum dd_status rc = store_tx_begin(d->e.st, STORE_WRITE, &tx);
    if (rc != DD_OK)
        return rc;
    ctx(&d->e, tx, t, w, &day, &x);
    if (s <= STEP_CLOSE)
        rc = cases_payment_step(&x, b, steps[s], b->version, &err);
    else if (s == STEP_EXPORT)
        rc = cases_payfile_export(&x, b, d->tpl, "plain-utf8", b->version,
                                  buf_sink, io, &res, &err);
    else if (s == STEP_RETURN)
        rc = cases_payfile_reconcile(&x, b, d->tpl, io->p, io->len, b->version,
                                     &out, &err);
    else
        rc = cases_payfile_reissue(&x, b, reissue, &notes, &err);
    if (rc == DD_OK)
        rc = store_payment_batch_get(tx, b->id, b);
    rc = store_tx_end(tx, rc);
    if (rc != DD_OK)
        log_error("demo: batch %lld (%s %s %s) step %d: %s %s",
                  (long long)b->id, b->county_code, b->item_code, b->month,
                  (int)s, dd_status_name(rc), err.code ? err.code : "");
    return rc;
}

/* Exports b, loads the bank's answer (with failures when fail), and for
 * the failures a reissue batch checked, approved, paid and closed; then
 * b closed. Days from dd on in month y-m. */
static enum dd_status
pay_out(struct demo *d, const struct town *t, int y, int m, int dd,
        struct payment_batch_row *b, int fail)
{
    struct bytes exp = {0}, ret = {0};
    struct payment_batch_row r;
    size_t failed = 0;
    enum dd_status rc = step(d, t, MAKER, y, m, dd, b, STEP_EXPORT, &exp, NULL);
    if (rc == DD_OK)
        rc = return_file(&exp, fail, &ret, &failed);
    if (rc == DD_OK)
        rc = step(d, t, MAKER, y, m, dd + 4, b, STEP_RETURN, &ret, NULL);
    free(exp.p);
    free(ret.p);
    d->lines += (size_t)b->line_count;
    d->failed += failed;
    if (rc == DD_OK && failed) {
        rc = step(d, t, MAKER, y, m, dd + 6, b, STEP_REISSUE, NULL, &r);
        if (rc == DD_OK)
            rc = step(d, t, CHECKER, y, m, dd + 6, &r, STEP_CHECK, NULL, NULL);
        if (rc == DD_OK)
            rc = step(d, t, APPROVER, y, m, dd + 7, &r, STEP_APPROVE, NULL,
                      NULL);
        if (rc == DD_OK)
            rc = pay_out(d, t, y, m, dd + 7, &r, 0);
        d->reissued += rc == DD_OK;
    }
    if (rc == DD_OK)
        rc = step(d, t, MAKER, y, m, 25, b, STEP_CLOSE, NULL, NULL);
    d->batches += rc == DD_OK;
    return rc;
}

/* Month y-m of town ti: each programme with an entitlement started by
 * then built on the 3rd, checked on the 4th, approved on the 5th and paid
 * out; this month's wait for approval. */
static enum dd_status
month(struct demo *d, int ti, int y, int m, int now)
{
    const struct town *t = &d->towns[ti];
    char mon[16];
    snprintf(mon, sizeof(mon), "%04d-%02d", y, m);
    for (size_t i = 0; i < sizeof(programmes) / sizeof(programmes[0]); i++) {
        int any = 0;
        for (size_t k = 0; k < d->g_count && !any; k++)
            any = d->g[k].town == ti && d->g[k].item == programmes[i] &&
                  d->g[k].start <= MONTH_IX(y, m);
        if (!any)
            continue;
        struct store_tx *tx = NULL;
        struct cases_ctx x;
        struct civil_day day;
        struct payment_batch_row b;
        struct dd_error err = {0};
        int created = 0;
        struct cases_pay_build in = {t->county, programmes[i], mon, NULL};
        day_at(y, m, 3, 0, &day);
        enum dd_status rc = store_tx_begin(d->e.st, STORE_WRITE, &tx);
        if (rc != DD_OK)
            return rc;
        ctx(&d->e, tx, t, MAKER, &day, &x);
        rc = store_tx_end(tx, cases_payment_build(&x, &in, &b, &created, &err));
        if (rc != DD_OK) {
            log_error("demo: build %s %s %s: %s %s", t->county, programmes[i],
                      mon, dd_status_name(rc), err.code ? err.code : "");
            return rc;
        }
        if (b.line_count == 0)
            continue;
        rc = step(d, t, CHECKER, y, m, 4, &b, STEP_CHECK, NULL, NULL);
        if (rc == DD_OK && !now)
            rc = step(d, t, APPROVER, y, m, 5, &b, STEP_APPROVE, NULL, NULL);
        if (rc == DD_OK && !now)
            rc = pay_out(d, t, y, m, 6, &b, 1);
        if (rc != DD_OK)
            return rc;
    }
    return DD_OK;
}

/* The death on the 28th of month now - 3 of the first 特困 person of the
 * first township paid since before then, recorded by the county on the
 * 20th of last month (now - 1): the entitlement suspended from the month
 * after the death, that month's and the next's payments owed back; the
 * first of them repaid on the 28th. */
static enum dd_status
death(struct demo *d, int now)
{
    const struct town *t = &d->towns[0];
    const struct granted *g = NULL;
    int died = now - 3, recorded = now - 1;
    for (size_t k = 0; k < d->g_count && !g; k++)
        if (d->g[k].town == 0 && d->g[k].item == programmes[1] &&
            d->g[k].start <= died)
            g = &d->g[k];
    if (!g)
        return DD_OK;
    struct store_tx *tx = NULL;
    struct cases_ctx x;
    struct civil_day day, died_on, repaid_on;
    struct cases_death_result res;
    struct dd_error err = {0};
    day_at(died / 12, died % 12 + 1, 28, 0, &died_on);
    day_at(recorded / 12, recorded % 12 + 1, 28, 0, &repaid_on);
    struct cases_death_input in = {g->person_id, died_on.s, "staff",
                                   "家属报告，火化证明已核", -1};
    day_at(recorded / 12, recorded % 12 + 1, 20, 0, &day);
    enum dd_status rc = store_tx_begin(d->e.st, STORE_WRITE, &tx);
    if (rc != DD_OK)
        return rc;
    ctx(&d->e, tx, t, COUNTY, &day, &x);
    memset(&res, 0, sizeof(res));
    rc = cases_death_household(&x, g->person_id, &res.rh);
    if (rc == DD_OK)
        rc = cases_death_record(&x, &in, &res, &err);
    ctx(&d->e, tx, t, COUNTY, &repaid_on, &x);
    for (size_t i = 0; rc == DD_OK && i < res.recovery_count; i++) {
        struct recovery_row r;
        struct recovery_entry_row out;
        struct entitlement_row e;
        int64_t balance = 0;
        const struct cases_death_recovery *dr = &res.recoveries[i];
        /* the first month back, the rest still owed */
        struct cases_recovery_input ri = {
            "repaid",
            dr->month_count ? dr->amount_fen / (int64_t)dr->month_count : 0,
            NULL, repaid_on.s, -1};
        rc = store_recovery_get(tx, dr->recovery_id, &r);
        if (rc == DD_OK)
            rc = store_entitlement_get(tx, dr->entitlement_id, &e);
        if (rc == DD_OK && dr->month_count > 1)
            rc = cases_recovery_entry(&x, &r, &e, &ri, &out, &balance, &err);
        d->recovery_fen += dr->amount_fen;
        d->repaid_fen += dr->month_count > 1 ? ri.amount_fen : 0;
    }
    rc = store_tx_end(tx, rc);
    if (rc != DD_OK)
        log_error("demo: the death of person %lld: %s %s",
                  (long long)g->person_id, dd_status_name(rc),
                  err.code ? err.code : "");
    return rc;
}

/* The filing day of the n-th caseload household of a township, given
 * the first month of batches (first, year * 12 + month - 1) and today:
 * two in three over the 45 days from the 1st of month first - 2
 * (decided in time to be paid from month first; 两项补贴, paid from the
 * application month, bring back pay for the two months before), the
 * rest from the 1st of month first to 45 days before today (decided
 * before this month's batches). */
static void
filing_day(int n, int first, const struct civil_day *today,
           struct civil_day *out)
{
    struct civil_day from;
    if (n % 3 != 2) {
        day_at((first - 2) / 12, (first - 2) % 12 + 1, 1, (n * 7) % 45, out);
        return;
    }
    day_at(first / 12, first % 12 + 1, 1, 0, &from);
    int span = today->day - 45 - from.day;
    day_at(first / 12, first % 12 + 1, 1, span > 0 ? (n * 13) % span : 0, out);
}

static int
by_day(const void *a, const void *b)
{
    const struct pending *x = a, *y = b;
    if (x->day.day != y->day.day)
        return x->day.day < y->day.day ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

/* The caseload households of town ti (past the reserved ones) onto *p. */
static enum dd_status
households_of(struct demo *d, int ti, int first, const struct civil_day *today,
              struct pending **p, size_t *n, size_t *cap)
{
    struct household_row *page = calloc(PAGE, sizeof(*page));
    struct store_tx *tx = NULL;
    int64_t after = 0;
    int serial = 0;
    size_t got = 0;
    enum dd_status rc = page ? DD_OK : DD_ENOMEM;
    while (rc == DD_OK) {
        rc = store_tx_begin(d->e.st, STORE_READ, &tx);
        if (rc == DD_OK)
            rc = store_household_list(tx, d->towns[ti].township, after, page,
                                      PAGE, &got);
        store_tx_rollback(tx);
        if (rc != DD_OK || got == 0)
            break;
        after = page[got - 1].id;
        for (size_t i = 0; rc == DD_OK && i < got; i++, serial++) {
            if (serial < CASES_RESERVED)
                continue;
            if (*n == *cap) {
                size_t c = *cap ? *cap * 2 : 1024;
                struct pending *np = realloc(*p, c * sizeof(*np));
                if (!np) {
                    rc = DD_ENOMEM;
                    break;
                }
                *p = np;
                *cap = c;
            }
            struct pending *h = &(*p)[(*n)++];
            h->town = ti;
            h->id = page[i].id;
            h->serial = serial;
            filing_day(serial, first, today, &h->day);
        }
    }
    free(page);
    return rc;
}

/* Month by month over the 24 months to this one (and the two before,
 * for the first applications): the applications decided before the 3rd,
 * then each township's batches; last month, the death. */
static enum dd_status
run(struct demo *d, size_t *granted)
{
    struct pending *p = NULL;
    size_t n = 0, cap = 0, next = 0;
    struct civil_day today;
    enum dd_status rc = DD_OK;
    civil_today(&today);
    int now = MONTH_IX(today.y, today.m), first = now - 23;
    for (int ti = 0; rc == DD_OK && ti < 2; ti++)
        rc = households_of(d, ti, first, &today, &p, &n, &cap);
    if (rc == DD_OK && n)
        qsort(p, n, sizeof(*p), by_day);
    for (int mi = first - 2; rc == DD_OK && mi <= now; mi++) {
        int y = mi / 12, m = mi % 12 + 1;
        struct civil_day build;
        /* decided (16 days after the filing) before the 3rd */
        day_at(y, m, 3, -16, &build);
        while (rc == DD_OK && next < n && p[next].day.day < build.day)
            rc = household(d, &p[next++]);
        for (int ti = 0; rc == DD_OK && mi >= first && ti < 2; ti++)
            rc = month(d, ti, y, m, mi == now);
        if (rc == DD_OK && mi == now - 1)
            rc = death(d, now);
    }
    *granted = d->g_count;
    free(p);
    return rc;
}

int
cli_demo_payments(const struct config *cfg, struct store *st)
{
    struct demo d;
    struct bank_template *tpl = NULL;
    struct bank_error be;
    char path[1024];
    double t0 = (double)time_mono_us();
    size_t made = 0;
    if (cfg->demo_caseload == 0)
        return 0;
    memset(&d, 0, sizeof(d));
    enum dd_status rc = env_load(&d.e, cfg, st);
    if (rc == DD_OK && snprintf(path, sizeof(path), "%s/banks/plain-utf8.tpl",
                                cfg->data_dir) < (int)sizeof(path))
        rc = bank_template_load(path, &tpl, &be);
    d.tpl = tpl;
    if (rc == DD_OK &&
        cli_gen_store(cfg, st, (uint64_t)cfg->demo_caseload * 2, 3,
                      cli_demo_townships, 2025, 7, 1, NULL, NULL) != 0)
        rc = DD_EINTERNAL;
    for (int i = 0; i < 2; i++) {
        struct town *t = &d.towns[i];
        t->township = cli_demo_townships[i];
        snprintf(d.counties[i], sizeof(d.counties[i]), "%.6s", t->township);
        t->county = d.counties[i];
        /* the demo users (cmd_serve.c) */
        static const char *const who[WHO__COUNT] = {
            "clerk", "reviewer", "county", "payments", "checker", "approver"};
        for (int w = 0; w < WHO__COUNT; w++)
            snprintf(t->names[w], sizeof(t->names[w]), "%s.%s", who[w],
                     w <= REVIEWER ? t->township : t->county);
    }
    if (rc == DD_OK)
        rc = run(&d, &made);
    bank_template_free(tpl);
    free(d.g);
    env_free(&d.e);
    if (rc != DD_OK) {
        fprintf(stderr, "doudi demo: the caseload stopped: %s\n",
                dd_status_name(rc));
        return -1;
    }
    printf("demo caseload: %zu entitlements, %zu payee accounts, %zu "
           "batches closed (%zu lines, %zu failed and reissued in %zu "
           "batches), a death owing %.2f yuan (%.2f repaid), in %.1f s\n",
           made, d.accounts, d.batches, d.lines, d.failed, d.reissued,
           (double)d.recovery_fen / 100, (double)d.repaid_fen / 100,
           ((double)time_mono_us() - t0) / 1e6);
    return 0;
}
