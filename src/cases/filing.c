/* SPDX-License-Identifier: MIT */
/* Filing (一门受理、一表登记): one application per household with one or
 * more catalog items, checked against the catalog in force on the
 * application day; ONE missing-materials notice lists everything missing
 * (一次性告知) and items with missing papers wait in 补正 with their clock
 * paused. The case number is county + year + a per-county-per-year
 * sequence allocated in the same transaction; the query code is random,
 * stored hashed, shown once. Also the materials that complete 补正 and
 * the pre-assessment (主动发现). */
#include <stdio.h>
#include <string.h>

#include "cases/cases_internal.h"
#include "core/str.h"
#include "crypto/token.h"
#include "json/json.h"

/* no 0/O, 1/I/L: read aloud and typed from a receipt */
static const char query_alphabet[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

static int
listed(const char *const *list, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], code) == 0)
            return 1;
    return 0;
}

/* The codes of the ';'-list have not in the list got, into out. */
static void
still_missing(const char *have, const char *const *got, size_t n, char *out,
              size_t cap)
{
    struct catalog_item tmp;
    char buf[256];
    const char *codes[CATALOG_MAX_MATERIALS];
    size_t used = 0;
    str_copy(tmp.materials, sizeof(tmp.materials), have);
    size_t m = catalog_materials_split(&tmp, buf, sizeof(buf), codes,
                                       CATALOG_MAX_MATERIALS);
    out[0] = '\0';
    for (size_t k = 0; k < m; k++)
        if (!listed(got, n, codes[k]) && used < cap)
            used += (size_t)snprintf(out + used, cap - used, "%s%s",
                                     used ? ";" : "", codes[k]);
}

enum dd_status
cases_materials_check(const struct cases_ctx *x, const char *const *materials,
                      size_t count, struct dd_error *err)
{
    for (size_t k = 0; k < count; k++)
        if (!catalog_material_name(materials[k], 1)) {
            cases_err(err, "UNKNOWN_MATERIAL",
                      arena_printf(x->arena, "materials[%zu]", k),
                      "no such material code", "无此材料代码");
            return DD_EINVAL;
        }
    return DD_OK;
}

/* The application day: today, or a paper application's own day. */
static enum dd_status
applied_day(const struct cases_ctx *x, const char *applied_on,
            struct civil_day *out, struct dd_error *err)
{
    *out = x->day;
    if (!applied_on)
        return DD_OK;
    int32_t d;
    if (workcal_parse_date(applied_on, &d) != 0 || d > x->day.day ||
        d < workcal_day_from_ymd(2018, 1, 1)) {
        cases_err(err, "INVALID_VALUE", "applied_on",
                  "applied_on is a date from 2018-01-01 to today",
                  "applied_on 须为 2018-01-01 至今天之间的日期");
        return DD_EINVAL;
    }
    out->day = d;
    workcal_ymd_from_day(d, &out->y, &out->m, &out->d);
    workcal_format_date(d, out->s);
    return DD_OK;
}

enum dd_status
cases_intake_check(const struct cases_ctx *x, const struct cases_filing *f,
                   int online, struct cases_intake *out, struct dd_error *err)
{
    const char *ch = f->channel;
    memset(out, 0, sizeof(*out));
    if (strcmp(ch, "window") != 0 && strcmp(ch, "assistant") != 0 &&
        strcmp(ch, "online") != 0) {
        cases_err(err, "INVALID_VALUE", "channel",
                  "channel is window, assistant or online",
                  "channel 须为 window、assistant 或 online");
        return DD_EINVAL;
    }
    if ((strcmp(ch, "online") == 0) != online) {
        cases_err(err, "INVALID_VALUE", "channel",
                  "online applications come from the citizen's own session",
                  "网上申请须由申请人本人登录提交");
        return DD_EINVAL;
    }
    out->channel = ch;
    enum dd_status rc = applied_day(x, f->applied_on, &out->applied, err);
    if (rc != DD_OK)
        return rc;
    if (f->item_count > CASES_MAX_ITEMS)
        return DD_ETOOBIG;
    out->item_count = f->item_count;
    for (size_t i = 0; i < f->item_count; i++) {
        const char *field = arena_printf(x->arena, "items[%zu]", i);
        if (listed(f->items, i, f->items[i])) {
            cases_err(err, "DUPLICATE_ITEM", field, "an item is named twice",
                      "事项重复");
            return DD_EINVAL;
        }
        if (cases_item_on(x, f->items[i], out->applied.s, &out->items[i]) !=
            DD_OK) {
            cases_err(err, "UNKNOWN_ITEM", field,
                      "no such catalog item in force on the application day",
                      "申请日无此事项");
            return DD_EINVAL;
        }
        /* 一次性告知: everything the item needs that was not brought */
        still_missing(out->items[i].materials, f->materials,
                      f->material_count, out->missing[i],
                      sizeof(out->missing[i]));
    }
    return cases_materials_check(x, f->materials, f->material_count, err);
}

/* A query code of CASES_QUERY_CODE_LEN characters from the alphabet: each
 * is one base64url character of a fresh token (64 symbols) mod 31 would
 * be biased, so characters of 62+ are skipped. */
static void
query_code_new(char out[CASES_QUERY_CODE_LEN + 1])
{
    static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    size_t n = 0;
    while (n < CASES_QUERY_CODE_LEN) {
        char tok[TOKEN_LEN + 1];
        if (token_new(tok) != DD_OK)
            continue;
        for (size_t i = 0; i < TOKEN_LEN && n < CASES_QUERY_CODE_LEN; i++) {
            const char *p = strchr(b64, tok[i]);
            size_t v = p ? (size_t)(p - b64) : 63;
            if (v < 62)
                out[n++] = query_alphabet[v % 31];
        }
    }
    out[n] = '\0';
}

/* The application row: the case number, the office, the query code and
 * the one notice (item:material;...|...). */
static enum dd_status
application_new(const struct cases_ctx *x, const struct cases_intake *in,
                const struct registry_household *rh, const char *county,
                const char *intake_region, const char *citizen_hash,
                struct application_row *app,
                char query_code[CASES_QUERY_CODE_LEN + 1])
{
    int64_t seq = 0;
    enum dd_status rc =
        store_case_seq_next(x->tx, county, in->applied.y, &seq);
    memset(app, 0, sizeof(*app));
    snprintf(app->case_no, sizeof(app->case_no), "%s%04d%06lld", county,
             in->applied.y % 10000, (long long)(seq % 1000000));
    str_copy(app->county_code, sizeof(app->county_code), county);
    app->household_id = rh->h.id;
    str_copy(app->channel, sizeof(app->channel), in->channel);
    /* online: the hukou township is where it is taken */
    if (strcmp(in->channel, "online") == 0)
        snprintf(app->intake_region, sizeof(app->intake_region), "%.9s",
                 rh->h.hukou_region);
    else
        str_copy(app->intake_region, sizeof(app->intake_region),
                 intake_region);
    str_copy(app->intake_user, sizeof(app->intake_user), x->actor.name);
    str_copy(app->citizen_hash, sizeof(app->citizen_hash),
             citizen_hash ? citizen_hash : "");
    query_code_new(query_code);
    token_hash(query_code, app->query_code_hash);
    str_copy(app->applied_on, sizeof(app->applied_on), in->applied.s);
    size_t used = 0;
    for (size_t i = 0; i < in->item_count; i++)
        if (in->missing[i][0] && used < sizeof(app->missing))
            used += (size_t)snprintf(app->missing + used,
                                     sizeof(app->missing) - used, "%s%s:%s",
                                     used ? "|" : "", in->items[i].code,
                                     in->missing[i]);
    if (rc == DD_OK)
        rc = store_application_insert(x->tx, app);
    return rc;
}

/* 特困人员认定办法 Art. 16 (domain.md §2): the county spot-checks at least
 * <item>.spot_check.percent of the item's cases: the n-th of the county's
 * year (a counter beside the case numbers, under the key county/item) is
 * flagged when it brings the flagged share back to the percent
 * (docs/cases.md). */
static enum dd_status
spot_check(const struct cases_ctx *x, const struct cases_intake *in,
           const struct catalog_item *it, const struct wf_template *t,
           const char *county, struct case_item_row *c)
{
    enum dd_status rc = DD_OK;
    for (size_t k = 0; rc == DD_OK && k < t->step_count; k++) {
        if (!(t->steps[k].flags & WF_SPOT_CHECK))
            continue;
        int64_t n = 0;
        const char *key =
            arena_printf(x->arena, "%s.spot_check.percent", it->code);
        const char *counter = arena_printf(x->arena, "%s/%s", county, it->code);
        if (!key || !counter)
            return DD_ENOMEM;
        /* no parameter in force: every case is checked */
        int64_t pct = cases_policy_value(x, key, county, 100);
        rc = store_case_seq_next(x->tx, counter, in->applied.y, &n);
        c->spot_check = wf_spot_check(n, (int)pct);
    }
    return rc;
}

/* One item of the application, on its first step or in 补正. */
static enum dd_status
item_file(const struct cases_ctx *x, const struct cases_intake *in, size_t i,
          const struct registry_household *rh, const struct application_row *app,
          struct case_item_row *c)
{
    const struct catalog_item *it = &in->items[i];
    const struct wf_template *t = wf_template_find(x->steps, it->template_code);
    int paused = in->missing[i][0] != '\0';
    const struct wf_step *s = t ? wf_step_find(t, paused ? WF_SUPPLEMENT
                                                         : t->first)
                                : NULL;
    if (!s)
        return DD_EINTERNAL;
    memset(c, 0, sizeof(*c));
    c->application_id = app->id;
    str_copy(c->county_code, sizeof(c->county_code), app->county_code);
    c->household_id = rh->h.id;
    str_copy(c->village_code, sizeof(c->village_code), rh->h.hukou_region);
    str_copy(c->intake_region, sizeof(c->intake_region), app->intake_region);
    str_copy(c->item_code, sizeof(c->item_code), it->code);
    c->catalog_version = it->version;
    str_copy(c->step, sizeof(c->step), s->code);
    str_copy(c->state, sizeof(c->state), paused ? "paused" : "open");
    str_copy(c->accepted_on, sizeof(c->accepted_on), in->applied.s);
    if (paused)
        str_copy(c->paused_since, sizeof(c->paused_since), in->applied.s);
    str_copy(c->missing, sizeof(c->missing), in->missing[i]);
    str_copy(c->case_no, sizeof(c->case_no), app->case_no);
    enum dd_status rc = spot_check(x, in, it, t, app->county_code, c);
    if (rc != DD_OK)
        return rc;
    /* the applicant at a window is one visit (到现场次数) */
    int visit = strcmp(in->channel, "window") == 0;
    c->visits = visit;
    cases_route(x, c, it, s);
    cases_clock(x, c, it, s, &in->applied);
    /* the step's own clock starts today, when it was registered */
    if (catalog_step_limit(it, s) > 0 && in->applied.day != x->day.day) {
        struct case_item_row tmp = *c;
        cases_clock(x, &tmp, it, s, &x->day);
        str_copy(c->step_deadline, sizeof(c->step_deadline),
                 tmp.step_deadline);
        str_copy(c->step_started_on, sizeof(c->step_started_on), x->day.s);
    }
    rc = store_case_item_insert(x->tx, c);
    if (rc == DD_OK)
        rc = cases_enter(x, c, it);
    if (rc == DD_OK)
        rc = cases_event(x, c, "", "accept", NULL,
                         json_object_of_strings(
                             x->arena, (const char *[]){"channel", in->channel},
                             1),
                         visit);
    return rc;
}

enum dd_status
cases_file(const struct cases_ctx *x, const struct cases_intake *in,
           const struct registry_household *rh, const char *intake_region,
           const char *citizen_hash, struct application_row *app,
           struct case_item_row *rows,
           char query_code[CASES_QUERY_CODE_LEN + 1])
{
    /* the owning county is the hukou county (户籍地) */
    char county[7];
    snprintf(county, sizeof(county), "%.6s", rh->h.hukou_region);
    enum dd_status rc = application_new(x, in, rh, county, intake_region,
                                        citizen_hash, app, query_code);
    for (size_t i = 0; rc == DD_OK && i < in->item_count; i++)
        rc = item_file(x, in, i, rh, app, &rows[i]);
    if (rc == DD_OK)
        rc = cases_audit(
            x, "application.create",
            arena_printf(x->arena, "application:%lld", (long long)app->id),
            rh->h.hukou_region,
            json_object_of_strings(
                x->arena,
                (const char *[]){"case_no", app->case_no, "channel",
                                 app->channel, "intake_region",
                                 app->intake_region},
                3));
    return rc;
}

enum dd_status
cases_citizen_household(const struct cases_ctx *x, const char *phone_hash,
                        const char *id_hash, const char *named_hash,
                        int64_t *household_id)
{
    int64_t hh = 0, own = 0;
    struct household_row h;
    int proved = id_hash && id_hash[0];
    *household_id = 0;
    /* The same reads whether or not the person named is registered (an
     * absent household is read as id 0), so that neither the reply nor
     * the work behind it tells a registered stranger from an unknown
     * one. */
    enum dd_status rc = store_person_active_household(x->tx, named_hash, &hh);
    if (rc == DD_OK || rc == DD_ENOTFOUND)
        rc = store_household_get(x->tx, hh, &h);
    if (rc == DD_ENOTFOUND) {
        memset(&h, 0, sizeof(h));
        rc = DD_OK;
    }
    if (rc == DD_OK && proved)
        rc = store_person_active_household(x->tx, id_hash, &own);
    if (rc == DD_ENOTFOUND)
        rc = DD_OK;
    if (rc != DD_OK || hh == 0)
        return rc; /* hh == 0: a new applicant */
    if ((proved && strcmp(id_hash, named_hash) == 0) || /* themselves */
        (phone_hash && phone_hash[0] &&                 /* the contact */
         strcmp(h.contact_phone_hash, phone_hash) == 0) ||
        (proved && own == hh)) /* a member, proved */
        *household_id = hh;
    return DD_OK;
}

enum dd_status
cases_declare(const struct cases_ctx *x, const struct cases_declared *d,
              struct registry_household *rh, struct dd_error *err)
{
    struct hhj_member m = {.id_number = d->id_number,
                           .name = d->name,
                           .relation = "applicant"};
    struct registry_member *rm = arena_alloc(x->arena, sizeof(*rm));
    struct household_row h = {0};
    if (!rm)
        return DD_ENOMEM;
    enum dd_status rc = registry_check_member(
        x->pii, x->arena, &m, "", x->day.y, x->day.m, x->day.d, rm, err);
    if (rc != DD_OK)
        return rc;
    snprintf(h.county_code, sizeof(h.county_code), "%.6s", d->region);
    str_copy(h.region_code, sizeof(h.region_code), d->region);
    /* the hukou is what the township verifies; until then, where the
     * applicant lives (the township that investigates) */
    str_copy(h.hukou_region, sizeof(h.hukou_region), d->region);
    str_copy(h.address, sizeof(h.address), d->address);
    str_copy(h.urban_or_rural, sizeof(h.urban_or_rural), "district");
    /* inactive, its member too: not in the registry until verified */
    str_copy(h.status, sizeof(h.status), "inactive");
    rc = store_household_insert(x->tx, &h);
    if (rc == DD_OK)
        rc = registry_insert_member(x->tx, &h, rm);
    if (rc == DD_OK)
        rc = store_household_declared(x->tx, h.id);
    if (rc == DD_OK)
        rc = registry_load(x->tx, x->arena, h.id, rh);
    return rc;
}

enum dd_status
cases_citizen_quota(const struct cases_ctx *x, const char *citizen_hash,
                    int limit, struct dd_error *err)
{
    int64_t n = 0;
    enum dd_status rc =
        store_application_citizen_day(x->tx, citizen_hash, x->day.s, &n);
    if (rc == DD_OK && n >= limit) {
        cases_err(err, "TOO_MANY_APPLICATIONS", NULL,
                  "you have filed as many applications today as one "
                  "citizen may; apply again tomorrow or at a window",
                  "您今天的网上申请已达上限，请明天再申请或到窗口办理");
        rc = DD_ERATE;
    }
    return rc;
}

enum dd_status
cases_duplicate_check(const struct cases_ctx *x, const struct cases_intake *in,
                      int64_t household_id, struct dd_error *err)
{
    enum dd_status rc = DD_OK;
    for (size_t i = 0; rc == DD_OK && i < in->item_count; i++) {
        int64_t n = 0;
        rc = store_case_item_open_of_household(x->tx, household_id,
                                               in->items[i].code, &n);
        if (rc == DD_OK && n > 0) {
            cases_err(err, "DUPLICATE_APPLICATION",
                      arena_printf(x->arena, "items[%zu]", i),
                      "the household has an open application for this "
                      "item; follow that one",
                      "该家庭此事项已有在办申请，请查询原申请进度");
            rc = DD_ECONFLICT;
        }
    }
    return rc;
}

enum dd_status
cases_materials_add(const struct cases_ctx *x, struct case_item_row *rows,
                    size_t n, const char *const *materials, size_t count,
                    struct dd_error *err)
{
    enum dd_status rc = cases_materials_check(x, materials, count, err);
    for (size_t i = 0; rc == DD_OK && i < n; i++) {
        struct case_item_row *c = &rows[i];
        if (strcmp(c->step, WF_SUPPLEMENT) != 0)
            continue;
        char left[256];
        still_missing(c->missing, materials, count, left, sizeof(left));
        str_copy(c->missing, sizeof(c->missing), left);
        if (left[0]) {
            rc = store_case_item_update(x->tx, c, c->version);
            continue;
        }
        struct cases_input in = {
            .action = "complete",
            .fields_json = json_object_of_strings(
                x->arena, (const char *[]){"materials", "complete"}, 1)};
        rc = cases_transition(x, c, &in, 0, err);
    }
    return rc;
}

enum dd_status
cases_preview(const struct cases_ctx *x, const struct cases_intake *in,
              const struct registry_household *rh, struct assess_result *r)
{
    struct household *h = arena_alloc(x->arena, sizeof(*h));
    struct assess_params *p = arena_alloc(x->arena, sizeof(*p));
    struct explain *exs = arena_alloc(x->arena, ASSESS__COUNT * sizeof(*exs));
    struct dd_error err = {0};
    if (!h || !p || !exs)
        return DD_ENOMEM;
    enum dd_status rc = registry_to_household(rh, in->applied.s, h, NULL);
    if (rc == DD_OK) {
        cases_policy_lock(x);
        rc = assess_params_resolve(x->policy, rh->h.region_code,
                                   in->applied.y, in->applied.m,
                                   in->applied.d, p, &err);
        cases_policy_unlock(x);
    }
    struct explain *ex[ASSESS__COUNT];
    for (int i = 0; i < ASSESS__COUNT; i++)
        ex[i] = &exs[i];
    if (rc == DD_OK)
        rc = assess_household(h, p, in->applied.y, in->applied.m,
                              in->applied.d, r, ex);
    return rc;
}
