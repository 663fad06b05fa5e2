/* SPDX-License-Identifier: MIT */
/* `doudi gen`: a synthetic population from domain/gen.c, written as CSV
 * (one row per member) or summarised (counties, age pyramid, disability,
 * incomes) or written into the household registry (--store, and `doudi
 * demo`), and the reading of the village list the generator needs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/digest.h"
#include "cli/cli.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/grow.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "crypto/pii.h"
#include "domain/gen.h"
#include "domain/idcard.h"
#include "domain/payee.h"
#include "domain/policy.h"
#include "registry/contact.h"
#include "registry/registry.h"
#include "json/jw.h"

#define REGIONS_FILE "regions-chongqing.csv"
#define MAX_COUNTIES 64

struct county_name {
    char code[7];
    char name[64];
};

/* Reads villages (12-digit rows) and, when names is not NULL, county rows
 * (6-digit) from a regions CSV (code,name,level,parent_code). */
static enum dd_status
regions_read(const char *path, struct gen_village **out, size_t *count,
             struct county_name *names, size_t *name_count)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return DD_ENOTFOUND;
    enum dd_status rc = DD_OK;
    struct gen_village *v = NULL;
    size_t n = 0, cap = 0, nn = 0;
    char line[512];
    int first = 1;
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (first) { /* header */
            first = 0;
            continue;
        }
        char *comma = strchr(line, ',');
        if (comma == NULL)
            continue;
        size_t code_len = (size_t)(comma - line);
        char *name = comma + 1;
        char *name_end = strchr(name, ',');
        if (name_end != NULL)
            *name_end = '\0';
        if (code_len == 6 && names != NULL && nn < MAX_COUNTIES &&
            memcmp(line, "500000", 6) != 0) {
            memcpy(names[nn].code, line, 6);
            names[nn].code[6] = '\0';
            str_copy(names[nn].name, sizeof(names[nn].name), name);
            nn++;
        }
        if (code_len != 12)
            continue;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 16384;
            struct gen_village *nv = realloc(v, ncap * sizeof(*v));
            if (nv == NULL) {
                rc = DD_ENOMEM;
                goto out;
            }
            v = nv;
            cap = ncap;
        }
        memcpy(v[n].code, line, 12);
        v[n].code[12] = '\0';
        /* 村民委员会 is rural; 社区居民委员会 and 社区工作站 are urban */
        v[n].urban = strstr(name, "村民委员会") == NULL;
        n++;
    }
    if (n == 0)
        rc = DD_EINVAL;
out:
    fclose(f);
    if (rc != DD_OK) {
        free(v);
        return rc;
    }
    *out = v;
    *count = n;
    if (name_count != NULL)
        *name_count = nn;
    return DD_OK;
}

enum dd_status
gen_villages_from_csv(const char *path, struct gen_village **out, size_t *count)
{
    if (path == NULL || out == NULL || count == NULL)
        return DD_EINVAL;
    return regions_read(path, out, count, NULL, NULL);
}

static void
usage(FILE *f)
{
    fprintf(f,
            "usage: doudi gen --households N --seed S [--format csv|summary]\n"
            "                 [--as-of YYYY-MM-DD] [--data-dir DIR]\n"
            "       doudi gen --households N --seed S --store [--as-of DATE] "
            "[settings]\n\n"
            "Generates N synthetic households, the same ones for the same "
            "seed, spread over\nevery village of Chongqing (DIR/" REGIONS_FILE
            ", DIR from --data-dir,\nDOUDI_DATA_DIR or ./data). Ages are on "
            "--as-of (default 2025-07-01).\n\n"
            "  --format csv      one row per member, with the household key "
            "(default)\n"
            "  --format summary  counts by county, age pyramid, disability, "
            "income quantiles\n\n"
            "ID numbers are unique within a run. All distributions are "
            "illustrative,\nnot statistics (see "
            "src/domain/gen.c).\n\n"
            "  --store           write the households into the registry of "
            "DOUDI_DB\n"
            "                    (after `doudi init`): ID numbers sealed with "
            "the key file,\n"
            "                    no person in two active households (the "
            "blind index),\n"
            "                    1,000 households per transaction, each "
            "audited by one\n"
            "                    gen.batch row with its counts (bulk "
            "generation is audited\n"
            "                    per batch, not per household)\n");
}

/* ---- unique ID numbers: a growing open-addressing set ---- */

/* The first 17 digits as a number (below 10^17, never 0 for "50..."),
 * the check character following from them. */
struct id_set {
    uint64_t *slot; /* 0 = empty */
    size_t cap;     /* a power of two */
    size_t count;
    int failed; /* out of memory: uniqueness no longer guaranteed */
};

static size_t
id_slot(const struct id_set *s, uint64_t key)
{
    return (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 20) & (s->cap - 1);
}

static int
id_set_grow(struct id_set *s)
{
    size_t ncap = s->cap ? s->cap * 2 : (size_t)1 << 16;
    uint64_t *ns = calloc(ncap, sizeof(*ns));
    if (ns == NULL)
        return -1;
    struct id_set n = {ns, ncap, s->count, 0};
    for (size_t i = 0; i < s->cap; i++) {
        if (s->slot[i] == 0)
            continue;
        size_t j = id_slot(&n, s->slot[i]);
        while (ns[j] != 0)
            j = (j + 1) & (ncap - 1);
        ns[j] = s->slot[i];
    }
    free(s->slot);
    s->slot = ns;
    s->cap = ncap;
    return 0;
}

static uint64_t
id_key(const char *id)
{
    uint64_t key = 0;
    for (int i = 0; i < 17; i++)
        key = key * 10 + (uint64_t)(id[i] - '0');
    return key;
}

/* Adds key unless present: 1 when added, 0 when present (or, with
 * s->failed set, when the set could not grow). */
static int
id_set_add(struct id_set *s, uint64_t key)
{
    if ((s->count + 1) * 2 > s->cap && id_set_grow(s) != 0) {
        s->failed = 1;
        return 0;
    }
    size_t j = id_slot(s, key);
    while (s->slot[j] != 0) {
        if (s->slot[j] == key)
            return 0;
        j = (j + 1) & (s->cap - 1);
    }
    s->slot[j] = key;
    s->count++;
    return 1;
}

static int
id_set_has(const struct id_set *s, uint64_t key)
{
    if (s->cap == 0)
        return 0;
    for (size_t j = id_slot(s, key); s->slot[j] != 0;
         j = (j + 1) & (s->cap - 1))
        if (s->slot[j] == key)
            return 1;
    return 0;
}

static void
id_set_clear(struct id_set *s)
{
    if (s->cap)
        memset(s->slot, 0, s->cap * sizeof(*s->slot));
    s->count = 0;
}

/* gen_id_claim_fn over an id_set */
static int
id_claim(void *ctx, const char *id)
{
    struct id_set *s = ctx;
    return id_set_add(s, id_key(id)) || s->failed;
}

/* ---- CSV ---- */

static const char *const csv_header =
    "户号/household,成员序号/member,与申请人关系/relation,姓名/name,"
    "身份证号/id_number,性别/sex,出生日期/birth_date,年龄/age,"
    "户籍村社区/hukou_village,居住村社区/residence_village,"
    "城乡/area,家庭结构/family,残疾类别/disability_category,"
    "残疾等级/disability_grade,重大疾病/major_illness,"
    "劳动能力/work_capacity,在学/schooling,就业/employed,"
    "工资性收入/wages_fen,经营净收入/business_fen,"
    "财产净收入/property_fen,转移性收入/transfers_in_fen,"
    "转移支出/transfers_out_fen,刚性扣减/rigid_deduction_fen,"
    "不计入收入/exempt_income_fen,存款/deposits_fen,"
    "有价证券/securities_fen,住房套数/dwellings,住房面积/floor_area_dm2,"
    "车辆/vehicles,商铺/shops,公司/companies,"
    "正在享受低保/dibao_receiving\n";

static int
age_of(const struct hh_person *pp, int y, int m, int d)
{
    return hh_age_years(pp->birth_y, pp->birth_m, pp->birth_d, y, m, d);
}

static void
csv_write(FILE *f, const struct gen_household *gh, int y, int m, int d)
{
    static const char *const work[] = {"full", "partial", "none"};
    static const char *const school[HH_SCHOOL__COUNT] = {
        "none", "preschool", "compulsory", "high", "bachelor", "above"};
    const struct household *h = &gh->hh;
    struct hh_asset_tally t = {0};
    for (int i = 0; i < h->asset_count; i++)
        hh_asset_tally_add(&t, &h->assets[i]);
    for (int i = 0; i < h->member_count; i++) {
        const struct hh_person *pp = &h->members[i];
        int64_t exempt = 0;
        for (int k = HH_INC_FIRST_EXEMPT; k < HH_INC__COUNT; k++)
            exempt += pp->income_fen[k];
        fprintf(f,
                "%llu,%d,%s,%s,%s,%s,%04d-%02d-%02d,%d,%s,%s,%s,%s,%d,%d,%d,"
                "%s,%s,%d,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%d,"
                "%lld,%d,%d,%d,%d\n",
                (unsigned long long)gh->serial, i + 1,
                gen_relation_name(pp->relation), gh->people[i].name,
                gh->people[i].id_number, pp->sex == HH_SEX_MALE ? "M" : "F",
                pp->birth_y, pp->birth_m, pp->birth_d, age_of(pp, y, m, d),
                gh->hukou_village, gh->residence_village,
                h->standard_area == HH_AREA_URBAN ? "urban" : "rural",
                gen_family_name(gh->family), (int)pp->disability_category,
                pp->disability_grade, pp->major_illness,
                work[pp->work_capacity], school[pp->schooling], pp->employed,
                (long long)pp->income_fen[HH_INC_WAGES],
                (long long)pp->income_fen[HH_INC_BUSINESS],
                (long long)pp->income_fen[HH_INC_PROPERTY],
                (long long)pp->income_fen[HH_INC_TRANSFERS_IN],
                (long long)pp->income_fen[HH_INC_TRANSFERS_OUT],
                (long long)pp->income_fen[HH_INC_RIGID_DEDUCTION],
                (long long)exempt, (long long)t.deposits,
                (long long)t.securities, t.dwellings, (long long)t.area_dm2,
                t.vehicles, t.shops, t.companies, h->dibao.receiving);
    }
}

/* ---- summary ---- */

#define AGE_BANDS 19 /* 0-4 ... 85-89, 90+ */

struct summary {
    uint64_t households, persons;
    uint64_t family[GEN_FAM__COUNT];
    uint64_t urban;
    uint64_t by_county[MAX_COUNTIES];
    uint64_t other_county;
    uint64_t pyramid[AGE_BANDS][2];
    uint64_t disabled, by_category[8], by_grade[5], ill;
    uint64_t vehicle, shop, company, receiving;
    int64_t *pc_income[2]; /* per-capita net monthly income, by area */
    size_t pc_count[2];
    int64_t *deposits;
    size_t deposit_count;
    char (*ids)[19];
    size_t id_count;
};

static int
cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int
cmp_id(const void *a, const void *b)
{
    return memcmp(a, b, 18);
}

static void
summary_add(struct summary *s, const struct gen_household *gh,
            const struct county_name *counties, size_t county_count, int y,
            int m, int d)
{
    const struct household *h = &gh->hh;
    s->households++;
    s->family[gh->family]++;
    int urban = h->standard_area == HH_AREA_URBAN;
    s->urban += urban;
    size_t c = 0;
    while (c < county_count && strcmp(counties[c].code, h->hukou_county) != 0)
        c++;
    if (c < county_count)
        s->by_county[c]++;
    else
        s->other_county++;
    int64_t net = 0;
    for (int i = 0; i < h->member_count; i++) {
        const struct hh_person *pp = &h->members[i];
        s->persons++;
        int age = age_of(pp, y, m, d);
        int band = age / 5 < AGE_BANDS ? age / 5 : AGE_BANDS - 1;
        s->pyramid[band][pp->sex == HH_SEX_FEMALE]++;
        if (pp->disability_category != HH_DIS_NONE) {
            s->disabled++;
            s->by_category[pp->disability_category]++;
            s->by_grade[pp->disability_grade]++;
        }
        s->ill += pp->major_illness != 0;
        for (int k = HH_INC_WAGES; k <= HH_INC_TRANSFERS_IN; k++)
            net += pp->income_fen[k];
        net -= pp->income_fen[HH_INC_TRANSFERS_OUT];
        if (s->ids != NULL)
            memcpy(s->ids[s->id_count++], gh->people[i].id_number, 19);
    }
    s->pc_income[!urban][s->pc_count[!urban]++] = net / h->member_count;
    int vehicle = 0, shop = 0, company = 0;
    int64_t dep = 0;
    for (int i = 0; i < h->asset_count; i++) {
        const struct hh_asset *a = &h->assets[i];
        vehicle |= a->kind == HH_ASSET_VEHICLE && !a->exempt;
        shop |= a->kind == HH_ASSET_SHOP;
        company |= a->kind == HH_ASSET_COMPANY;
        if (a->kind == HH_ASSET_DEPOSIT)
            dep += a->value_fen;
    }
    s->deposits[s->deposit_count++] = dep;
    s->vehicle += vehicle;
    s->shop += shop;
    s->company += company;
    s->receiving += h->dibao.receiving != 0;
}

static double
pct(uint64_t part, uint64_t whole)
{
    return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

static void
quantiles_print(const char *label, int64_t *v, size_t n)
{
    static const int q[] = {10, 25, 50, 75, 90, 99};
    printf("  %-30s", label);
    if (n == 0) {
        printf(" (none)\n");
        return;
    }
    qsort(v, n, sizeof(*v), cmp_i64);
    for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++)
        printf(" p%d %.0f", q[i],
               (double)v[(n - 1) * (size_t)q[i] / 100] / 100);
    printf("\n");
}

static void
summary_print(struct summary *s, const struct county_name *counties,
              size_t county_count, uint64_t seed)
{
    static const char *const fam_zh[GEN_FAM__COUNT] = {
        "独居老人", "单身成年人", "夫妻", "夫妻与子女", "三代同堂", "单亲"};
    static const char *const cat_zh[8] = {"",     "视力", "听力", "言语",
                                          "肢体", "智力", "精神", "多重"};
    printf("synthetic population, seed %llu: %llu households, %llu persons "
           "(%.2f per household), %.1f%% urban\n\n",
           (unsigned long long)seed, (unsigned long long)s->households,
           (unsigned long long)s->persons,
           s->households ? (double)s->persons / (double)s->households : 0.0,
           pct(s->urban, s->households));
    printf("family structure 家庭结构\n");
    for (int f = 0; f < GEN_FAM__COUNT; f++)
        printf("  %-18s %-12s %9llu  %5.1f%%\n",
               gen_family_name((enum gen_family)f), fam_zh[f],
               (unsigned long long)s->family[f],
               pct(s->family[f], s->households));
    printf("\nhouseholds by hukou county 按户籍区县\n");
    for (size_t c = 0; c < county_count; c++)
        printf("  %s %-16s %9llu  %5.2f%%\n", counties[c].code,
               counties[c].name, (unsigned long long)s->by_county[c],
               pct(s->by_county[c], s->households));
    if (s->other_county)
        printf("  (other)                 %9llu\n",
               (unsigned long long)s->other_county);
    printf("\nage pyramid 年龄金字塔 (%% of persons; # = 0.5%%)\n");
    for (int b = AGE_BANDS - 1; b >= 0; b--) {
        char label[16];
        if (b == AGE_BANDS - 1)
            snprintf(label, sizeof(label), "%d+", b * 5);
        else
            snprintf(label, sizeof(label), "%d-%d", b * 5, b * 5 + 4);
        double mp = pct(s->pyramid[b][0], s->persons);
        double fp = pct(s->pyramid[b][1], s->persons);
        char mbar[64] = "", fbar[64] = "";
        int mn = (int)(mp * 2), fn = (int)(fp * 2);
        for (int i = 0; i < mn && i < 60; i++)
            mbar[i] = '#';
        for (int i = 0; i < fn && i < 60; i++)
            fbar[i] = '#';
        printf("  %6s  M %5.2f%% %20s|%-20s F %5.2f%%\n", label, mp, mbar, fbar,
               fp);
    }
    uint64_t young = 0, old = 0;
    for (int b = 0; b < 3; b++)
        young += s->pyramid[b][0] + s->pyramid[b][1];
    for (int b = 12; b < AGE_BANDS; b++)
        old += s->pyramid[b][0] + s->pyramid[b][1];
    printf("  0-14: %.1f%%   15-59: %.1f%%   60+: %.1f%%\n",
           pct(young, s->persons), pct(s->persons - young - old, s->persons),
           pct(old, s->persons));
    printf("\ndisability 残疾: %llu persons, %.2f%%; major illness 重大疾病: "
           "%.2f%%\n",
           (unsigned long long)s->disabled, pct(s->disabled, s->persons),
           pct(s->ill, s->persons));
    for (int c = 1; c <= 7; c++)
        printf("  %d %-12s %s %5.1f%%\n", c,
               idcard_disability_category_name(c, 0), cat_zh[c],
               pct(s->by_category[c], s->disabled));
    for (int g = 1; g <= 4; g++)
        printf("  grade %d %5.1f%%\n", g, pct(s->by_grade[g], s->disabled));
    printf("\nper-capita net monthly income 人均月收入 (yuan)\n");
    quantiles_print("urban 城镇", s->pc_income[0], s->pc_count[0]);
    quantiles_print("rural 农村", s->pc_income[1], s->pc_count[1]);
    printf("\nassets 财产 (%% of households)\n");
    quantiles_print("deposits 存款 (yuan)", s->deposits, s->deposit_count);
    printf("  vehicle %.1f%%  shop %.1f%%  company %.1f%%  already receiving "
           "低保 %.1f%%\n",
           pct(s->vehicle, s->households), pct(s->shop, s->households),
           pct(s->company, s->households), pct(s->receiving, s->households));
    if (s->ids != NULL) {
        qsort(s->ids, s->id_count, sizeof(*s->ids), cmp_id);
        uint64_t dup = 0;
        for (size_t i = 1; i < s->id_count; i++)
            dup += memcmp(s->ids[i - 1], s->ids[i], 18) == 0;
        printf("\nID numbers: %llu, of which %llu repeat an earlier one\n",
               (unsigned long long)s->id_count, (unsigned long long)dup);
    }
}

/* ---- the command ---- */

static int
parse_u64(const char *s, uint64_t *out)
{
    if (s == NULL || *s == '\0' || *s == '-')
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    *out = v;
    return 0;
}

/* ---- into the household registry ---- */

#define STORE_BATCH 1000 /* households per write transaction */
#define STORE_ARENA_CAP (1u << 20)

/* The claim function of a store run. A batch is generated twice: first
 * to collect its numbers' blind indexes, which the store is asked about
 * in one statement (batch_claim), then for good. A number is free when
 * the batch has not claimed it yet and the store did not hold it active
 * when asked (taken): the second pass then draws exactly what the first
 * did, none of it active in the store. */
struct claimed {
    uint64_t key;
    char hash[PII_BLIND_INDEX_LEN + 1];
};

struct store_claim {
    const struct pii_keys *keys;
    struct id_set batch;  /* the numbers the batch claimed */
    struct id_set taken;  /* the numbers found active in the store */
    int collect;          /* the first pass: list the claims */
    struct claimed *list; /* its claims, in order */
    size_t count, cap;
    struct buf hashes;     /* their blind indexes, joined by commas */
    enum dd_status failed; /* out of memory while claiming */
};

static int
store_claim(void *ctx, const char *id)
{
    struct store_claim *c = ctx;
    uint64_t key = id_key(id);
    if (id_set_has(&c->taken, key) || !id_set_add(&c->batch, key)) {
        if (c->batch.failed)
            c->failed = DD_ENOMEM;
        return c->batch.failed;
    }
    if (!c->collect)
        return 1;
    struct claimed *e = grow_room(c->list, c->count, &c->cap, sizeof(*e), 4096);
    char number[19];
    if (!e) {
        c->failed = DD_ENOMEM;
        return 1;
    }
    c->list = e;
    e = &c->list[c->count++];
    e->key = key;
    memcpy(number, id, 18);
    number[18] = '\0';
    pii_blind_index(c->keys, number, e->hash);
    if ((c->hashes.len && buf_append(&c->hashes, ",", 1) != DD_OK) ||
        buf_puts(&c->hashes, e->hash) != DD_OK)
        c->failed = DD_ENOMEM;
    return 1;
}

/* A blind index the store holds active: its number is taken. */
static int
claim_taken(const char *hash, void *ctx)
{
    struct store_claim *c = ctx;
    for (size_t i = 0; i < c->count; i++)
        if (strcmp(c->list[i].hash, hash) == 0 &&
            !id_set_add(&c->taken, c->list[i].key) && c->taken.failed) {
            c->failed = DD_ENOMEM;
            return 1;
        }
    return 0;
}

/* The first pass over the next count households of g (left where it
 * was): their numbers asked of the store in one statement, and the batch
 * drawn again while any of them is taken there. */
static enum dd_status
batch_claim(struct gen *g, struct gen_household *gh, struct store_claim *c,
            struct store_tx *tx, uint64_t count)
{
    const struct gen start = *g;
    size_t known;
    enum dd_status rc;
    do {
        known = c->taken.count;
        id_set_clear(&c->batch);
        c->count = 0;
        buf_reset(&c->hashes);
        c->collect = 1;
        for (uint64_t i = 0; i < count; i++)
            gen_household(g, gh);
        *g = start;
        rc = c->failed;
        if (rc == DD_OK && c->hashes.len)
            rc = store_person_active_among(tx, c->hashes.data, claim_taken, c);
        if (rc == DD_OK)
            rc = c->failed;
    } while (rc == DD_OK && c->taken.count > known);
    id_set_clear(&c->batch);
    c->collect = 0;
    return rc;
}

/* The registry's body form of a generated household (strings in a). */
static enum dd_status
to_body(struct arena *a, const struct gen_household *gh,
        struct hhj_household *out)
{
    const struct household *h = &gh->hh;
    memset(out, 0, sizeof(*out));
    out->region_code = gh->residence_village;
    out->hukou_region = gh->hukou_village;
    out->urban_or_rural = h->standard_area == HH_AREA_URBAN ? "urban" : "rural";
    out->version = -1;
    out->members =
        arena_alloc(a, (size_t)h->member_count * sizeof(*out->members));
    out->assets =
        arena_alloc(a, (size_t)(h->asset_count + 1) * sizeof(*out->assets));
    out->obligors =
        arena_alloc(a, (size_t)(h->obligor_count + 1) * sizeof(*out->obligors));
    if (!out->members || !out->assets || !out->obligors)
        return DD_ENOMEM;
    for (int i = 0; i < h->member_count; i++) {
        const struct hh_person *pp = &h->members[i];
        struct hhj_member *m = &out->members[i];
        memset(m, 0, sizeof(*m));
        m->id_number = gh->people[i].id_number;
        m->name = gh->people[i].name;
        m->relation = registry_name_of(REG_RELATION, pp->relation);
        m->disability_category = pp->disability_category;
        m->disability_grade = pp->disability_grade;
        if (pp->disability_category != HH_DIS_NONE)
            /* 第二代残疾人证: the holder's number, category, grade */
            m->disability_card = arena_printf(
                a, "%s%d%d", gh->people[i].id_number,
                (int)pp->disability_category, pp->disability_grade);
        m->major_illness = pp->major_illness;
        m->work_capacity =
            registry_name_of(REG_WORK_CAPACITY, pp->work_capacity);
        m->schooling = registry_name_of(REG_SCHOOLING, pp->schooling);
        m->employed = pp->employed;
        for (int k = 0;
             k < HH_ADL__COUNT && m->selfcare_count < HHJ_MAX_SELFCARE; k++)
            if (pp->selfcare_unable[k])
                m->selfcare_unable[m->selfcare_count++] =
                    registry_name_of(REG_SELFCARE, k);
        for (int k = 0; k < HH_INC__COUNT && m->income_count < HHJ_MAX_INCOMES;
             k++)
            if (pp->income_fen[k] > 0) {
                m->incomes[m->income_count].kind =
                    registry_name_of(REG_INCOME_KIND, k);
                m->incomes[m->income_count++].monthly_fen = pp->income_fen[k];
            }
        if (!m->relation || !m->work_capacity || !m->schooling)
            return DD_EINVAL;
    }
    out->member_count = (size_t)h->member_count;
    for (int i = 0; i < h->asset_count && i < HHJ_MAX_ASSETS; i++) {
        const struct hh_asset *s = &h->assets[i];
        struct hhj_asset *r = &out->assets[out->asset_count++];
        r->kind = registry_name_of(REG_ASSET_KIND, s->kind);
        r->owner_member =
            s->owner_member == HH_ASSET_JOINT ? -1 : s->owner_member;
        r->value_fen = s->value_fen;
        r->count = 0;
        r->area_dm2 = s->floor_area_dm2;
        r->exempt = s->exempt;
        if (!r->kind)
            return DD_EINVAL;
    }
    for (int i = 0; i < h->obligor_count && i < HHJ_MAX_OBLIGORS; i++) {
        const struct hh_obligor *s = &h->obligors[i];
        struct hhj_obligor *r = &out->obligors[out->obligor_count++];
        r->of_member = s->of_member;
        r->relation = registry_name_of(REG_RELATION, s->relation);
        r->birth_date = s->birth_y
                            ? arena_printf(a, "%04d-%02d-%02d", s->birth_y,
                                           s->birth_m, s->birth_d)
                            : NULL;
        r->disability_category = s->disability_category;
        r->disability_grade = s->disability_grade;
        r->is_tekun = s->is_tekun;
        r->is_dibao_recipient = s->is_dibao_recipient;
        r->lacks_civil_capacity = s->lacks_civil_capacity;
        r->declared_missing = s->declared_missing;
        r->in_prison = s->in_prison;
        r->assets_within_low_income_rule = s->assets_within_low_income_rule;
        r->other_provincial_unable = s->other_provincial_unable;
        r->income_monthly_fen = s->income_monthly_fen;
        if (!r->relation)
            return DD_EINVAL;
    }
    return DD_OK;
}

/* Every third household registers a contact phone and a payee bank
 * account, made from its serial (valid in form, the card's Luhn digit
 * included, so it can be entered as a payee's bank card; not anyone's),
 * sealed bound to the household's id (given before it is written). */
static enum dd_status
gen_contact(const struct pii_keys *keys, uint64_t serial,
            struct household_row *h)
{
    char phone[16], bank[24];
    int changed = 0;
    if (serial % 3 != 0)
        return DD_OK;
    snprintf(phone, sizeof(phone), "13%09llu",
             (unsigned long long)(serial % 1000000000u));
    snprintf(bank, sizeof(bank), "6217%014llu",
             (unsigned long long)(serial % 100000000000000u));
    bank[18] = payee_luhn_digit(bank);
    bank[19] = '\0';
    return contact_seal(keys, phone, bank, h, &changed);
}

/* Commits the open batch, its bulk rows flushed, with its one
 * "gen.batch" audit row, which carries the digests of the batch's
 * households (audit/digest.h). */
static enum dd_status
batch_commit(struct store_tx *tx, struct store_bulk *bulk, uint64_t seed,
             uint64_t first, uint64_t last, uint64_t persons,
             struct digest_batch *batch)
{
    static const char *const keys[] = {"seed", "serial_first", "serial_last",
                                       "households", "persons"};
    const uint64_t values[] = {seed, first, last, last - first + 1, persons};
    char object[64], detail[384], v[24];
    snprintf(object, sizeof(object), "gen:%llu", (unsigned long long)seed);
    struct jw w;
    jw_init(&w, sizeof(detail));
    jw_obj(&w, NULL);
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        snprintf(v, sizeof(v), "%llu", (unsigned long long)values[i]);
        jw_str(&w, keys[i], v); /* as strings: past int64 */
    }
    digest_batch_detail(batch, &w);
    jw_end(&w);
    enum dd_status rc = jw_finish_into(&w, detail, sizeof(detail));
    if (rc == DD_OK)
        rc = store_bulk_flush(bulk);
    if (rc == DD_OK)
        rc =
            digest_batch_log(tx, batch, "cli", "gen.batch", object, "", detail);
    if (rc == DD_OK)
        return store_tx_commit(tx);
    store_tx_rollback(tx);
    return rc;
}

/* Keeps the villages under one of the region codes in within (NULL-ended);
 * DD_EINVAL when none is left. */
static enum dd_status
villages_within(struct gen_village *v, size_t *count,
                const char *const *within)
{
    size_t kept = 0;
    for (size_t i = 0; i < *count; i++)
        for (const char *const *w = within; *w; w++)
            if (strncmp(v[i].code, *w, strlen(*w)) == 0) {
                v[kept++] = v[i];
                break;
            }
    *count = kept;
    return kept ? DD_OK : DD_EINVAL;
}

int
cli_gen_store(const struct config *cfg, struct store *st, uint64_t n,
              uint64_t seed, const char *const *within, int y, int m, int d,
              uint64_t *persons_out, double *seconds_out)
{
    char path[1024];
    struct gen_village *villages = NULL;
    size_t village_count = 0;
    struct pii_keys *keys = NULL;
    struct gen_household *gh = calloc(1, sizeof(*gh));
    struct store_tx *tx = NULL;
    struct arena *a = NULL;
    struct hhj_household body;
    struct registry_input chk;
    struct dd_error err = {0};
    struct digest_batch batch = {0};
    struct store_claim claim = {0};
    struct store_bulk *bulk = NULL;
    char digest[DIGEST_HEX_LEN + 1];
    uint64_t persons = 0, batch_persons = 0, done = 0;
    enum dd_status rc = DD_ENOMEM;
    uint64_t t0 = time_mono_us();

    if (!gh || store_bulk_new(&bulk) != DD_OK)
        goto out;
    if (snprintf(path, sizeof(path), "%s/%s", cfg->data_dir, REGIONS_FILE) >=
        (int)sizeof(path)) {
        rc = DD_EINVAL;
        goto out;
    }
    rc = regions_read(path, &villages, &village_count, NULL, NULL);
    if (rc == DD_OK && within)
        rc = villages_within(villages, &village_count, within);
    if (rc != DD_OK) {
        fprintf(stderr, "doudi: cannot read the villages in %s: %s\n", path,
                dd_status_name(rc));
        goto out;
    }
    rc = pii_keys_load(cfg->key_file, &keys);
    if (rc != DD_OK) {
        fprintf(stderr,
                "doudi: cannot load the data key file %s (run "
                "`doudi init`): %s\n",
                cfg->key_file, dd_status_name(rc));
        goto out;
    }
    struct gen_regions regions = {villages, village_count};
    struct gen g;
    rc = gen_init(&g, seed, &regions, y, m, d);
    if (rc != DD_OK)
        goto out;
    struct cli_progress progress;
    cli_progress_start(&progress, "doudi gen", "households", n);
    claim.keys = keys;
    buf_init(&claim.hashes, (size_t)1 << 30);
    gen_id_claim_set(&g, store_claim, &claim);
    int ty, tm, td;
    {
        /* today in Asia/Shanghai: no birth after it */
        time_t t = (time_t)(time_now() + 8 * 3600);
        struct tm tmv;
        gmtime_r(&t, &tmv);
        ty = tmv.tm_year + 1900;
        tm = tmv.tm_mon + 1;
        td = tmv.tm_mday;
    }
    for (uint64_t first = 0; first < n; first += STORE_BATCH) {
        uint64_t count = n - first < STORE_BATCH ? n - first : STORE_BATCH;
        batch_persons = 0;
        rc = store_tx_begin(st, STORE_WRITE, &tx);
        if (rc == DD_OK)
            rc = batch_claim(&g, gh, &claim, tx, count);
        if (rc != DD_OK)
            goto out;
        store_bulk_begin(bulk, tx);
        for (uint64_t i = first; i < first + count; i++) {
            /* one arena per household: bounded memory however large n is */
            arena_free(a);
            a = arena_new(STORE_ARENA_CAP);
            if (!a) {
                rc = DD_ENOMEM;
                goto out;
            }
            gen_household(&g, gh);
            rc = claim.failed;
            if (rc == DD_OK)
                rc = to_body(a, gh, &body);
            if (rc == DD_OK)
                rc = registry_check_household(keys, a, &body, ty, tm, td, &chk,
                                              &err);
            if (rc == DD_OK)
                rc = store_bulk_household_id(bulk, &chk.h.id);
            if (rc == DD_OK)
                rc = gen_contact(keys, gh->serial, &chk.h);
            if (rc == DD_OK)
                rc = store_bulk_household(bulk, &chk.h);
            if (rc == DD_OK)
                rc = registry_bulk_children(bulk, &chk.h, &chk);
            if (rc == DD_OK)
                rc = digest_household_input(&chk, digest);
            if (rc == DD_OK)
                rc = digest_batch_add(&batch, chk.h.id, digest);
            if (rc != DD_OK) {
                fprintf(stderr, "doudi: household %llu: %s%s%s%s\n",
                        (unsigned long long)gh->serial, dd_status_name(rc),
                        err.field ? " at " : "", err.field ? err.field : "",
                        err.message ? arena_printf(a, " (%s)", err.message)
                                    : "");
                goto out;
            }
            persons += chk.member_count;
            batch_persons += chk.member_count;
        }
        rc = batch_commit(tx, bulk, seed, first + 1, first + count,
                          batch_persons, &batch);
        tx = NULL;
        if (rc != DD_OK)
            goto out;
        done = first + count;
        cli_progress_tick(&progress, done, -1);
    }
    rc = DD_OK;
out:
    if (tx)
        store_tx_rollback(tx);
    if (rc != DD_OK)
        fprintf(stderr,
                "doudi: generating households stopped after %llu "
                "committed: %s\n",
                (unsigned long long)done, dd_status_name(rc));
    if (persons_out)
        *persons_out = persons;
    if (seconds_out)
        *seconds_out = (double)(time_mono_us() - t0) / 1e6;
    arena_free(a);
    digest_batch_free(&batch);
    free(claim.batch.slot);
    free(claim.taken.slot);
    free(claim.list);
    buf_free(&claim.hashes);
    store_bulk_free(bulk);
    pii_keys_free(keys);
    free(villages);
    free(gh);
    return rc == DD_OK ? 0 : -1;
}

static int
gen_store(struct config *cfg, const char *dir, uint64_t n, uint64_t seed, int y,
          int m, int d)
{
    struct store *st;
    uint64_t persons = 0;
    double secs = 0;
    if (dir)
        str_copy(cfg->data_dir, sizeof(cfg->data_dir), dir);
    if (cli_open(cfg, &st))
        return 1;
    int version = 0;
    if (store_schema_version(st, &version) != DD_OK || version == 0) {
        fprintf(stderr, "doudi gen: the database has no schema; run `doudi "
                        "init` first\n");
        store_close(st);
        return 1;
    }
    /* a bulk load on a connection of its own: the import's page cache,
     * checkpoints and statement journals (store_import_tune), set in a
     * transaction of their own (they take effect from the next) */
    struct store_tx *tx;
    enum dd_status trc = store_tx_begin(st, STORE_WRITE, &tx);
    if (trc == DD_OK) {
        trc = store_import_tune(tx);
        store_tx_rollback(tx);
    }
    if (trc != DD_OK) {
        fprintf(stderr, "doudi gen: cannot set the bulk load's settings: %s\n",
                dd_status_name(trc));
        store_close(st);
        return 1;
    }
    int rc = cli_gen_store(cfg, st, n, seed, NULL, y, m, d, &persons, &secs);
    printf("stored %llu households, %llu persons in %.2f s: %.0f "
           "households/s (%s; %d households and one gen.batch audit row "
           "per transaction)\n",
           rc ? 0ULL : (unsigned long long)n, (unsigned long long)persons, secs,
           !rc && secs > 0 ? (double)n / secs : 0.0, store_backend(st),
           STORE_BATCH);
    store_close(st);
    return rc ? 1 : 0;
}

int
cli_gen(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        usage(stdout);
        return 0;
    }
    /* --store takes no value; the settings (--db, --key-file, ...) are
     * consumed by cli_config in that mode only */
    int store_mode = 0;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--store") == 0) {
            store_mode = 1;
            for (int j = i; j + 1 < argc; j++)
                argv[j] = argv[j + 1];
            argc--;
            i--;
        }
    struct config cfg;
    if (store_mode && cli_config(&cfg, &argc, argv))
        return 2;
    for (int i = 1; i < argc; i += 2) {
        static const char *const known[] = {
            "--households", "--seed", "--format", "--as-of", "--data-dir"};
        int ok = 0;
        for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++)
            ok |= strcmp(argv[i], known[k]) == 0;
        if (!ok || i + 1 >= argc) {
            fprintf(stderr, "doudi gen: unknown or incomplete option '%s'\n\n",
                    argv[i]);
            usage(stderr);
            return 2;
        }
    }
    uint64_t n, seed;
    if (parse_u64(cli_flag(argc, argv, "--households"), &n) || n == 0 ||
        n > 1000000000ULL || parse_u64(cli_flag(argc, argv, "--seed"), &seed)) {
        fprintf(stderr, "doudi gen: --households N (1..10^9) and --seed S "
                        "(0..2^64-1) are required\n\n");
        usage(stderr);
        return 2;
    }
    const char *format = cli_flag(argc, argv, "--format");
    int summary = 0;
    if (format != NULL && strcmp(format, "summary") == 0)
        summary = 1;
    else if (format != NULL && strcmp(format, "csv") != 0) {
        fprintf(stderr, "doudi gen: --format is csv or summary\n");
        return 2;
    }
    int y = 2025, m = 7, d = 1;
    const char *as_of = cli_flag(argc, argv, "--as-of");
    if (as_of != NULL && policy_date_parse(as_of, &y, &m, &d) != 0) {
        fprintf(stderr, "doudi gen: --as-of must be a date YYYY-MM-DD\n");
        return 2;
    }
    if (store_mode) {
        if (format != NULL) {
            fprintf(stderr, "doudi gen: --store writes to the database; "
                            "--format is for output\n");
            return 2;
        }
        return gen_store(&cfg, cli_flag(argc, argv, "--data-dir"), n, seed, y,
                         m, d);
    }
    const char *dir = cli_flag(argc, argv, "--data-dir");
    if (dir == NULL)
        dir = getenv("DOUDI_DATA_DIR");
    if (dir == NULL)
        dir = "./data";
    char path[1024];
    if (snprintf(path, sizeof(path), "%s/%s", dir, REGIONS_FILE) >=
        (int)sizeof(path)) {
        fprintf(stderr, "doudi gen: --data-dir is too long\n");
        return 2;
    }

    struct county_name counties[MAX_COUNTIES];
    size_t county_count = 0, village_count = 0;
    struct gen_village *villages = NULL;
    enum dd_status rc =
        regions_read(path, &villages, &village_count, counties, &county_count);
    if (rc != DD_OK) {
        fprintf(stderr, "doudi gen: cannot read the villages in %s: %s\n", path,
                dd_status_name(rc));
        return 1;
    }
    struct gen_regions regions = {villages, village_count};
    struct gen g;
    if (gen_init(&g, seed, &regions, y, m, d) != DD_OK) {
        fprintf(stderr, "doudi gen: bad village list or --as-of date (from "
                        "2011 on)\n");
        free(villages);
        return 1;
    }
    struct id_set ids = {0};
    gen_id_claim_set(&g, id_claim, &ids);
    struct gen_household *gh = calloc(1, sizeof(*gh));
    struct summary s;
    memset(&s, 0, sizeof(s));
    int status = 0;
    if (gh == NULL)
        goto nomem;
    if (summary) {
        s.pc_income[0] = calloc(n, sizeof(int64_t));
        s.pc_income[1] = calloc(n, sizeof(int64_t));
        s.deposits = calloc(n, sizeof(int64_t));
        if (!s.pc_income[0] || !s.pc_income[1] || !s.deposits)
            goto nomem;
        /* duplicate ID numbers are counted only up to 2M households */
        if (n <= 2000000)
            s.ids = calloc(n * HH_MAX_MEMBERS, sizeof(*s.ids));
        for (uint64_t i = 0; i < n; i++) {
            gen_household(&g, gh);
            summary_add(&s, gh, counties, county_count, y, m, d);
        }
        summary_print(&s, counties, county_count, seed);
    } else {
        static char obuf[1 << 16];
        setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
        fputs(csv_header, stdout);
        for (uint64_t i = 0; i < n; i++) {
            gen_household(&g, gh);
            csv_write(stdout, gh, y, m, d);
        }
    }
    if (ids.failed) {
        fprintf(stderr, "doudi gen: out of memory for the ID set: some ID "
                        "numbers may repeat\n");
        status = 1;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "doudi gen: write error: %s\n", strerror(errno));
        status = 1;
    }
    goto out;
nomem:
    fprintf(stderr, "doudi gen: out of memory\n");
    status = 1;
out:
    free(s.pc_income[0]);
    free(s.pc_income[1]);
    free(s.deposits);
    free(s.ids);
    free(ids.slot);
    free(gh);
    free(villages);
    return status;
}
