/* SPDX-License-Identifier: MIT */
/* The synthetic population generator (see gen.h). One household at a time:
 * pick a hukou village, a family structure and the ages it implies, then
 * each person's names, ID number, health, schooling and incomes, then the
 * household's assets and obligors. Every number below is ILLUSTRATIVE: a
 * plausible shape for Chongqing, not an estimate, and nothing here may be
 * quoted as a statistic. */
#include "domain/gen.h"

#include <math.h>
#include <string.h>

#include "domain/idcard.h"

/* ---- PRNG: splitmix64 seeds xoshiro256** (Blackman & Vigna, 2018) ---- */

static uint64_t
splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t
rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t
gen_next_u64(struct gen *g)
{
    uint64_t *s = g->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint32_t
gen_below(struct gen *g, uint32_t n)
{
    /* Lemire's multiply-shift; the bias (< n / 2^32) does not matter for
     * a synthetic population */
    return (uint32_t)(((gen_next_u64(g) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in [0, 1). */
static double
uniform(struct gen *g)
{
    return (double)(gen_next_u64(g) >> 11) * 0x1.0p-53;
}

/* 1 with probability permille / 1000. */
static int
chance(struct gen *g, int permille)
{
    return (int)gen_below(g, 1000) < permille;
}

/* Uniform integer in [lo, hi]. */
static int
between(struct gen *g, int lo, int hi)
{
    if (hi <= lo)
        return lo;
    return lo + (int)gen_below(g, (uint32_t)(hi - lo + 1));
}

/* Standard normal by Box–Muller, the second value kept for the next call. */
static double
normal(struct gen *g)
{
    if (g->has_spare) {
        g->has_spare = 0;
        return g->spare_normal;
    }
    double u1 = ((double)(gen_next_u64(g) >> 11) + 1.0) * 0x1.0p-53; /* (0,1] */
    double u2 = uniform(g);
    double r = sqrt(-2.0 * log(u1));
    double a = 6.283185307179586 * u2;
    g->spare_normal = r * sin(a);
    g->has_spare = 1;
    return r * cos(a);
}

/* Money cap for generated amounts, far inside HH_MONEY_MAX. */
#define GEN_MONEY_CAP ((int64_t)100000000000) /* 10^9 yuan */

/* A lognormal amount in fen with the given median and log-sd. */
static int64_t
lognormal_fen(struct gen *g, double median_fen, double sigma)
{
    double v = median_fen * exp(sigma * normal(g));
    if (!(v < (double)GEN_MONEY_CAP))
        return GEN_MONEY_CAP;
    return (int64_t)(v + 0.5);
}

/* Index into weights[0..n) with probability weights[i] / sum. */
static int
weighted(struct gen *g, const int *weights, int n)
{
    int total = 0;
    for (int i = 0; i < n; i++)
        total += weights[i];
    int r = (int)gen_below(g, (uint32_t)total);
    for (int i = 0; i < n; i++) {
        if (r < weights[i])
            return i;
        r -= weights[i];
    }
    return n - 1;
}

/* ---- names ---- */

/* Common surnames with weights in 1/10000 of the population: roughly the
 * national order published by the Ministry of Public Security (2019–2020
 * lists), plus a few frequent in Chongqing (谭, 冉, 向, 秦, 熊). */
static const struct {
    const char *s;
    int w;
} surnames[] = {
    {"王", 710}, {"李", 700}, {"张", 670}, {"刘", 540}, {"陈", 450},
    {"杨", 310}, {"黄", 220}, {"赵", 200}, {"吴", 200}, {"周", 190},
    {"徐", 150}, {"孙", 150}, {"马", 130}, {"朱", 130}, {"胡", 120},
    {"郭", 110}, {"何", 110}, {"高", 100}, {"林", 100}, {"罗", 90},
    {"郑", 90},  {"梁", 80},  {"谢", 80},  {"宋", 70},  {"唐", 70},
    {"许", 70},  {"韩", 60},  {"冯", 60},  {"邓", 60},  {"曹", 60},
    {"彭", 50},  {"曾", 50},  {"肖", 50},  {"田", 50},  {"董", 50},
    {"袁", 50},  {"潘", 40},  {"于", 40},  {"蒋", 40},  {"蔡", 40},
    {"余", 40},  {"杜", 40},  {"叶", 40},  {"程", 40},  {"苏", 30},
    {"魏", 30},  {"吕", 30},  {"丁", 30},  {"任", 30},  {"沈", 30},
    {"谭", 30},  {"冉", 20},  {"向", 20},  {"秦", 20},  {"熊", 20},
};
#define SURNAME_COUNT ((int)(sizeof(surnames) / sizeof(surnames[0])))

static const char *const given_male[] = {
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明",
    "刚", "平", "辉", "鹏", "华", "飞", "鑫", "波", "宇", "浩",
    "凯", "健", "俊", "帆", "帅", "旭", "宁", "龙", "林", "洋",
    "峰", "建", "国", "文", "志", "成", "东", "亮", "兵", "海",
};
static const char *const given_female[] = {
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀", "玲",
    "桂", "英", "萍", "红", "燕", "琳", "雪", "婷", "倩", "洁",
    "兰", "梅", "琴", "云", "莉", "慧", "颖", "欣", "怡", "佳",
    "丹", "玉", "凤", "春", "月", "蓉", "瑶", "璐", "晶", "薇",
};
#define GIVEN_COUNT 40

static const char *
surname_pick(struct gen *g)
{
    int total = 0;
    for (int i = 0; i < SURNAME_COUNT; i++)
        total += surnames[i].w;
    int r = (int)gen_below(g, (uint32_t)total);
    for (int i = 0; i < SURNAME_COUNT; i++) {
        if (r < surnames[i].w)
            return surnames[i].s;
        r -= surnames[i].w;
    }
    return surnames[0].s;
}

/* surname + one (40%) or two (60%) given characters. At most 3 × 3 bytes
 * of UTF-8 + NUL, well within GEN_NAME_LEN. */
static void
name_make(struct gen *g, char out[GEN_NAME_LEN], const char *surname,
          enum hh_sex sex)
{
    const char *const *pool = sex == HH_SEX_MALE ? given_male : given_female;
    size_t len = strlen(surname);
    memcpy(out, surname, len);
    int n = chance(g, 400) ? 1 : 2;
    for (int i = 0; i < n; i++) {
        const char *c = pool[gen_below(g, GIVEN_COUNT)];
        size_t cl = strlen(c);
        memcpy(out + len, c, cl);
        len += cl;
    }
    out[len] = '\0';
}

/* ---- dates and ID numbers ---- */

static int
days_in_month(int y, int m)
{
    static const unsigned char md[12] = {31, 28, 31, 30, 31, 30,
                                         31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return md[m - 1] + (m == 2 && leap);
}

/* A birth date at which the person is exactly `age` on the as-of date. */
static void
birth_for_age(struct gen *g, int age, int *by, int *bm, int *bd)
{
    int m = between(g, 1, 12);
    int d = between(g, 1, m == 2 ? 28 : days_in_month(2001, m));
    /* birthday later in the year than as-of: not yet reached this year */
    int later = m > g->as_of_m || (m == g->as_of_m && d > g->as_of_d);
    *by = g->as_of_y - age - later;
    *bm = m;
    *bd = d;
}

/* Writes v as exactly `width` decimal digits, zero-padded. */
static void
put_digits(char *out, int v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

/* GB 11643-1999: address code (the hukou county), birth date, sequence
 * (odd for men, even for women), ISO 7064 MOD 11-2 check character. With
 * a claim function, a number it reports taken is not used: 32 random
 * sequences are tried, then every sequence of the sex in order; only
 * when all ~500 for that county, date and sex are taken does a repeat
 * come out (the claim function then sees it refused). */
static void
id_make(struct gen *g, char out[19], const char *county6,
        const struct hh_person *pp)
{
    int male = pp->sex == HH_SEX_MALE;
    int count = male ? 500 : 499; /* 001..999 odd, 002..998 even */
    char buf[18];
    memcpy(buf, county6, 6);
    put_digits(buf + 6, pp->birth_y, 4);
    put_digits(buf + 10, pp->birth_m, 2);
    put_digits(buf + 12, pp->birth_d, 2);
    buf[17] = '\0';
    int k = (int)gen_below(g, (uint32_t)count);
    for (int attempt = 0;; attempt++) {
        put_digits(buf + 14, male ? 1 + 2 * k : 2 + 2 * k, 3);
        memcpy(out, buf, 17);
        out[17] = (char)idcard_check_char(buf);
        out[18] = '\0';
        if (g->id_claim == NULL || g->id_claim(g->id_claim_ctx, out) ||
            attempt >= 32 + count)
            return;
        if (attempt < 32)
            k = (int)gen_below(g, (uint32_t)count);
        else
            k = (k + 1) % count;
    }
}

/* ---- regions ---- */

static int
code_ok(const char *c)
{
    if (c[0] != '5' || c[1] != '0')
        return 0;
    for (int i = 0; i < 12; i++)
        if (c[i] < '0' || c[i] > '9')
            return 0;
    return c[12] == '\0';
}

/* Urban share of households (Chongqing's urbanisation rate is about 70%
 * of residents); villages are uniform within urban and within rural, so
 * every village can be drawn. */
#define GEN_URBAN_PERMILLE 700

/* A village drawn with weight GEN_URBAN_PERMILLE / urban_count for each
 * urban one and the rest / rural_count for each rural one: uniform over
 * the list, then kept with probability weight / the larger weight
 * (rejection sampling: about 2.4 draws on Chongqing's list, no table). */
static const struct gen_village *
village_pick(struct gen *g)
{
    const struct gen_regions *r = g->regions;
    for (;;) {
        const struct gen_village *v =
            &r->villages[gen_below(g, (uint32_t)r->count)];
        double keep = v->urban ? g->keep_urban : g->keep_rural;
        if (keep >= 1.0 || uniform(g) < keep)
            return v;
    }
}

enum dd_status
gen_init(struct gen *g, uint64_t seed, const struct gen_regions *regions,
         int as_of_y, int as_of_m, int as_of_d)
{
    if (g == NULL || regions == NULL || regions->villages == NULL ||
        regions->count == 0 || regions->count > UINT32_MAX ||
        !hh_date_valid(as_of_y, as_of_m, as_of_d) || as_of_y < 2011)
        return DD_EINVAL;
    memset(g, 0, sizeof(*g));
    for (size_t i = 0; i < regions->count; i++) {
        if (!code_ok(regions->villages[i].code))
            return DD_EINVAL;
        if (regions->villages[i].urban)
            g->urban_count++;
        else
            g->rural_count++;
    }
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        g->s[i] = splitmix64(&x);
    g->regions = regions;
    if (g->urban_count == 0 || g->rural_count == 0) {
        g->keep_urban = g->keep_rural = 1.0;
    } else {
        double wu = GEN_URBAN_PERMILLE / (double)g->urban_count;
        double wr = (1000 - GEN_URBAN_PERMILLE) / (double)g->rural_count;
        double top = wu > wr ? wu : wr;
        g->keep_urban = wu / top;
        g->keep_rural = wr / top;
    }
    g->as_of_y = as_of_y;
    g->as_of_m = as_of_m;
    g->as_of_d = as_of_d;
    return DD_OK;
}

/* ---- family structures and the age pyramid ---- */

/* Shares of family structures in ‰, in enum gen_family order. Mean size
 * comes out near 2.8 persons (Chongqing's 2020 census: about 2.5). */
static const int family_weights[GEN_FAM__COUNT] = {150, 80, 230, 310, 150, 80};

/* Ages are drawn per role so the population's pyramid resembles
 * Chongqing's (2020 census: 0–14 about 16%, 15–59 about 62%, 60+ about
 * 22%); `doudi gen --format summary` prints the result. */
static int
elderly_age(struct gen *g, int from)
{
    /* exponential tail, mean about 11 years above `from` */
    int a = from + (int)(-log(1.0 - uniform(g)) * 11.0);
    return a > 105 ? 105 : a;
}

static int
clamp_age(int a, int lo, int hi)
{
    return a < lo ? lo : a > hi ? hi : a;
}

struct builder {
    struct gen *g;
    struct gen_household *out;
    const char *county; /* hukou county, 6 digits */
};

static int
person_add(struct builder *b, enum hh_relation rel, enum hh_sex sex, int age,
           const char *surname)
{
    struct household *h = &b->out->hh;
    int i = h->member_count++;
    struct hh_person *pp = &h->members[i];
    pp->relation = rel;
    pp->sex = sex;
    birth_for_age(b->g, clamp_age(age, 0, 110), &pp->birth_y, &pp->birth_m,
                  &pp->birth_d);
    name_make(b->g, b->out->people[i].name, surname, sex);
    id_make(b->g, b->out->people[i].id_number, b->county, pp);
    return i;
}

static enum hh_sex
other_sex(enum hh_sex s)
{
    return s == HH_SEX_MALE ? HH_SEX_FEMALE : HH_SEX_MALE;
}

static enum hh_sex
random_sex(struct gen *g, int male_permille)
{
    return chance(g, male_permille) ? HH_SEX_MALE : HH_SEX_FEMALE;
}

/* Spouse's age: husbands about 2 years older, sd about 3. */
static int
spouse_age(struct gen *g, int age, enum hh_sex applicant_sex)
{
    double shift = applicant_sex == HH_SEX_MALE ? -2.0 : 2.0;
    int a = (int)lround(age + shift + 3.0 * normal(g));
    return clamp_age(a, 20, 105);
}

/* Children: the first born when the younger parent was 22–36 (0–3 if the
 * parent is younger than that), each next one 1–5 years later while that
 * is not in the future; those over 26 have left home, so they are 0–26. */
static void
children_add(struct builder *b, int count, int youngest_parent_age,
             const char *surname)
{
    int age = youngest_parent_age - between(b->g, 22, 36);
    if (age < 0)
        age = between(b->g, 0, 3);
    if (age > 26)
        age = between(b->g, 18, 26);
    for (int i = 0; i < count && age >= 0; i++) {
        person_add(b, HH_REL_CHILD, random_sex(b->g, 515), age, surname);
        age -= between(b->g, 1, 5);
    }
}

/* The applicant (aged lo to hi, 60% men) and a spouse: *younger is the
 * younger one's age, *child_sur the surname their children take (the
 * father's). Returns the applicant's age. */
static int
couple_add(struct builder *b, const char *sur, int lo, int hi, int *younger,
           const char **child_sur)
{
    enum hh_sex sex = random_sex(b->g, 600);
    int age = between(b->g, lo, hi);
    int sage = spouse_age(b->g, age, sex);
    const char *spouse_sur = surname_pick(b->g);
    person_add(b, HH_REL_APPLICANT, sex, age, sur);
    person_add(b, HH_REL_SPOUSE, other_sex(sex), sage, spouse_sur);
    *younger = age < sage ? age : sage;
    *child_sur = sex == HH_SEX_MALE ? sur : spouse_sur;
    return age;
}

static void
family_build(struct builder *b)
{
    struct gen *g = b->g;
    const char *sur = surname_pick(g);
    enum gen_family f =
        (enum gen_family)weighted(g, family_weights, GEN_FAM__COUNT);
    b->out->family = f;
    int age, younger;
    enum hh_sex sex;
    const char *child_sur;
    static const int children_w[3] = {500, 380, 120}; /* 1, 2, 3 */
    switch (f) {
    case GEN_FAM_SINGLE_ELDERLY:
        /* women outlive men: 60% of elderly singles are women */
        person_add(b, HH_REL_APPLICANT, random_sex(g, 400), elderly_age(g, 60),
                   sur);
        break;
    case GEN_FAM_SINGLE_ADULT:
        person_add(b, HH_REL_APPLICANT, random_sex(g, 580), between(g, 18, 59),
                   sur);
        break;
    case GEN_FAM_COUPLE:
        sex = random_sex(g, 600);
        age = chance(g, 400) ? between(g, 22, 54) : elderly_age(g, 55);
        person_add(b, HH_REL_APPLICANT, sex, age, sur);
        person_add(b, HH_REL_SPOUSE, other_sex(sex), spouse_age(g, age, sex),
                   surname_pick(g));
        break;
    case GEN_FAM_COUPLE_CHILDREN:
        couple_add(b, sur, 25, 58, &younger, &child_sur);
        children_add(b, 1 + weighted(g, children_w, 3), younger, child_sur);
        break;
    case GEN_FAM_THREE_GENERATIONS: {
        age = couple_add(b, sur, 28, 56, &younger, &child_sur);
        children_add(b, 1 + (int)gen_below(g, 2), younger, child_sur);
        /* the applicant's parents; the father shares the surname */
        int father_age = clamp_age(age + between(g, 22, 34), 0, 105);
        int mother_age = clamp_age(father_age - between(g, 0, 4), 0, 105);
        int which =
            (int)gen_below(g, 10); /* 0-4 both, 5-7 mother, 8-9 father */
        int pi = -1, mi = -1;
        if (which < 5 || which >= 8)
            pi = person_add(b, HH_REL_PARENT, HH_SEX_MALE, father_age, sur);
        if (which < 8)
            mi = person_add(b, HH_REL_PARENT, HH_SEX_FEMALE, mother_age,
                            surname_pick(g));
        if (pi >= 0)
            b->out->hh.members[pi].in_household_register = 1;
        if (mi >= 0)
            b->out->hh.members[mi].in_household_register = 1;
        break;
    }
    case GEN_FAM_SINGLE_PARENT:
    default:
        sex = random_sex(g, 300);
        age = between(g, 22, 55);
        person_add(b, HH_REL_APPLICANT, sex, age, sur);
        /* children take the father's surname: the absent father's when the
         * applicant is the mother */
        children_add(b, 1 + (int)gen_below(g, 2), age,
                     sex == HH_SEX_MALE ? sur : surname_pick(g));
        break;
    }
}

/* ---- health: disability (~8% of persons) and major illness ---- */

/* Prevalence of disability by age band, ‰ (illustrative; the 2006 national
 * sample survey found 6.3% overall, rising steeply with age). */
static int
disability_permille(int age)
{
    return age < 18 ? 25 : age < 60 ? 70 : age < 80 ? 180 : 280;
}

/* Categories in enum hh_disability order from VISUAL, ‰ of the disabled
 * (2006 national sample survey shares, rounded). */
static const int category_w[7] = {149, 242, 15, 291, 67, 74, 162};
/* Grades 1..4, ‰ (illustrative: about 30% severe, grades 1–2). */
static const int grade_w[4] = {120, 180, 300, 400};

/* The Katz order in which daily activities are usually lost. */
static const enum hh_adl adl_order[HH_ADL__COUNT] = {
    HH_ADL_BATHING, HH_ADL_DRESSING, HH_ADL_TOILETING,
    HH_ADL_BED,     HH_ADL_WALKING,  HH_ADL_EATING,
};

static void
adl_lose(struct hh_person *pp, int items)
{
    for (int i = 0; i < items && i < HH_ADL__COUNT; i++)
        pp->selfcare_unable[adl_order[i]] = 1;
}

static void
health_make(struct gen *g, struct hh_person *pp, int age)
{
    if (chance(g, disability_permille(age))) {
        pp->disability_category =
            (enum hh_disability)(1 + weighted(g, category_w, 7));
        pp->disability_grade = 1 + weighted(g, grade_w, 4);
        switch (pp->disability_grade) {
        case 1:
            pp->work_capacity = HH_WORK_NONE;
            adl_lose(pp, between(g, 2, 6));
            break;
        case 2:
            pp->work_capacity = chance(g, 600) ? HH_WORK_NONE : HH_WORK_PARTIAL;
            if (chance(g, 400))
                adl_lose(pp, between(g, 1, 3));
            break;
        default:
            pp->work_capacity = chance(g, 500) ? HH_WORK_PARTIAL : HH_WORK_FULL;
            break;
        }
    }
    /* 重特大疾病, ‰ by age (illustrative) */
    int ill = age < 18 ? 3 : age < 60 ? 10 : 30;
    if (chance(g, ill)) {
        pp->major_illness = 1;
        int r = (int)gen_below(g, 10);
        if (r < 3)
            pp->work_capacity = HH_WORK_NONE;
        else if (r < 8 && pp->work_capacity == HH_WORK_FULL)
            pp->work_capacity = HH_WORK_PARTIAL;
        if (chance(g, 200))
            adl_lose(pp, between(g, 1, 4));
    }
    /* frailty of the very old */
    if (age >= 85 && chance(g, 300))
        adl_lose(pp, between(g, 1, 6));
}

/* ---- schooling ---- */

static enum hh_schooling
schooling_make(struct gen *g, int age, int urban)
{
    if (age >= 3 && age <= 5)
        return chance(g, 900) ? HH_SCHOOL_PRESCHOOL : HH_SCHOOL_NONE;
    if (age >= 6 && age <= 14)
        return HH_SCHOOL_COMPULSORY;
    if (age >= 15 && age <= 17)
        return chance(g, 920) ? HH_SCHOOL_HIGH : HH_SCHOOL_NONE;
    if (age >= 18 && age <= 22)
        return chance(g, urban ? 600 : 400) ? HH_SCHOOL_BACHELOR
                                            : HH_SCHOOL_NONE;
    if (age >= 23 && age <= 26)
        return chance(g, 50) ? HH_SCHOOL_ABOVE : HH_SCHOOL_NONE;
    return HH_SCHOOL_NONE;
}

/* ---- incomes (monthly, fen; ILLUSTRATIVE parameters) ----
 *
 * Lognormal X = median × exp(σ Z), Z standard normal by Box–Muller:
 *   urban wages            median 4,200 yuan, σ 0.60 (× 0.6 if partial)
 *   urban odd jobs         median 1,500 yuan, σ 0.80 (30% of the jobless)
 *   rural farming          median 1,200 yuan, σ 0.70 (business income)
 *   rural migrant wages    median 3,800 yuan, σ 0.50 (45% of workers)
 *   employee pension       median 2,800 yuan, σ 0.40 (65% of urban 60+)
 *   resident pension       basic part 185 yuan (exempt), personal account
 *                          part median 60 yuan, σ 0.5 (counted)
 *   elderly farming        median 600 yuan, σ 0.80 (rural 60–74, able)
 *   property (rent)        median 1,000 yuan, σ 1.0 (12% urban, 4% rural
 *                          applicants)
 *   rigid medical costs    median 800 yuan, σ 0.7 (major illness)
 * Deductions: employees pay 10.5% of wages in social insurance (8%
 * pension, 2% medical, 0.5% unemployment). Exempt kinds: 80+ get a 高龄津贴
 * of 50 yuan; 70% of grade 1–2 disabled get a 护理补贴 of 90 yuan. */
static void
income_make(struct gen *g, struct hh_person *pp, int age, int urban)
{
    int64_t *inc = pp->income_fen;
    int student = pp->schooling != HH_SCHOOL_NONE;
    int able = pp->work_capacity != HH_WORK_NONE;
    double partial = pp->work_capacity == HH_WORK_PARTIAL ? 0.6 : 1.0;
    if (age >= 16 && age < 60 && !student && able) {
        if (urban) {
            if (chance(g, pp->work_capacity == HH_WORK_FULL ? 800 : 400)) {
                pp->employed = 1;
                inc[HH_INC_WAGES] = lognormal_fen(g, 420000.0 * partial, 0.6);
                inc[HH_INC_TRANSFERS_OUT] = inc[HH_INC_WAGES] * 105 / 1000;
            } else if (chance(g, 300)) {
                inc[HH_INC_BUSINESS] = lognormal_fen(g, 150000.0, 0.8);
            }
        } else {
            inc[HH_INC_BUSINESS] = lognormal_fen(g, 120000.0 * partial, 0.7);
            if (pp->work_capacity == HH_WORK_FULL && chance(g, 450)) {
                pp->employed = 1;
                inc[HH_INC_WAGES] = lognormal_fen(g, 380000.0, 0.5);
                inc[HH_INC_TRANSFERS_OUT] = inc[HH_INC_WAGES] * 105 / 1000;
            }
        }
    }
    if (age >= 60) {
        if (urban && chance(g, 650)) {
            inc[HH_INC_TRANSFERS_IN] = lognormal_fen(g, 280000.0, 0.4);
        } else {
            inc[HH_INC_EX_BASIC_PENSION] = 18500;
            inc[HH_INC_TRANSFERS_IN] = lognormal_fen(g, 6000.0, 0.5);
        }
        if (!urban && age < 75 && pp->work_capacity == HH_WORK_FULL)
            inc[HH_INC_BUSINESS] = lognormal_fen(g, 60000.0, 0.8);
        if (age >= 80)
            inc[HH_INC_EX_OLD_AGE_ALLOWANCE] = 5000;
    }
    if (pp->disability_grade >= 1 && pp->disability_grade <= 2 &&
        chance(g, 700))
        inc[HH_INC_EX_DISABILITY_SUBSIDY] = 9000;
    if (pp->major_illness)
        inc[HH_INC_RIGID_DEDUCTION] = lognormal_fen(g, 80000.0, 0.7);
}

/* ---- assets (ILLUSTRATIVE) ----
 *   deposits (joint)  92% have some: lognormal, median max(0.8 × annual
 *                     household gross income, 5,000 yuan), σ 1.1
 *   securities        8% urban, 2% rural: median 50,000 yuan, σ 1.2
 *   dwellings         6% none, else one; a second for 14% urban / 8%
 *                     rural; area lognormal, median 85 m² urban / 120 m²
 *                     rural, σ 0.3
 *   vehicle           30% urban / 18% rural, a third of that where gross
 *                     income is under 1,500 yuan a head; 10% of physically
 *                     disabled have an exempt motor wheelchair
 *   shop              4% urban / 1.5% rural;  company 1.5% / 0.5% */
static void
asset_add(struct household *h, enum hh_asset_kind kind, int owner,
          int64_t value_fen, int64_t area_dm2, int exempt)
{
    if (h->asset_count >= HH_MAX_ASSETS)
        return;
    h->assets[h->asset_count++] = (struct hh_asset){.kind = kind,
                                                    .owner_member = owner,
                                                    .value_fen = value_fen,
                                                    .floor_area_dm2 = area_dm2,
                                                    .exempt = exempt};
}

static void
assets_make(struct gen *g, struct household *h, int urban)
{
    int64_t gross = 0;
    for (int i = 0; i < h->member_count; i++)
        for (int k = HH_INC_WAGES; k <= HH_INC_TRANSFERS_IN; k++)
            gross += h->members[i].income_fen[k];
    int64_t per_head = gross / h->member_count;
    if (chance(g, 920)) {
        double median = 0.8 * 12.0 * (double)gross;
        if (median < 500000.0)
            median = 500000.0;
        asset_add(h, HH_ASSET_DEPOSIT, HH_ASSET_JOINT,
                  lognormal_fen(g, median, 1.1), 0, 0);
    }
    if (chance(g, urban ? 80 : 20))
        asset_add(h, HH_ASSET_SECURITY, 0, lognormal_fen(g, 5000000.0, 1.2), 0,
                  0);
    if (chance(g, 940)) {
        int n = chance(g, urban ? 140 : 80) ? 2 : 1;
        for (int i = 0; i < n; i++)
            asset_add(h, HH_ASSET_DWELLING, HH_ASSET_JOINT, 0,
                      lognormal_fen(g, urban ? 8500.0 : 12000.0, 0.3), 0);
    }
    int vehicle = urban ? 300 : 180;
    if (per_head < 150000)
        vehicle /= 3;
    if (chance(g, vehicle))
        asset_add(h, HH_ASSET_VEHICLE, 0, 0, 0, 0);
    for (int i = 0; i < h->member_count; i++)
        if (h->members[i].disability_category == HH_DIS_PHYSICAL &&
            chance(g, 100))
            asset_add(h, HH_ASSET_VEHICLE, i, 0, 0, 1);
    if (chance(g, urban ? 40 : 15))
        asset_add(h, HH_ASSET_SHOP, 0, 0, 0, 0);
    if (chance(g, urban ? 15 : 5))
        asset_add(h, HH_ASSET_COMPANY, 0, 0, 0, 0);
}

/* Children living elsewhere are the support obligors of an elderly person
 * who lives alone (80% have 1–3). */
static void
obligors_make(struct gen *g, struct household *h, int applicant_age)
{
    if (!chance(g, 800))
        return;
    int n = between(g, 1, 3);
    for (int i = 0; i < n && h->obligor_count < HH_MAX_OBLIGORS; i++) {
        int age = applicant_age - between(g, 22, 35);
        if (age < 18)
            continue;
        struct hh_obligor *o = &h->obligors[h->obligor_count++];
        o->of_member = 0;
        o->relation = HH_REL_CHILD;
        int y, m, d;
        birth_for_age(g, age, &y, &m, &d);
        o->birth_y = y;
        o->birth_m = m;
        o->birth_d = d;
        if (chance(g, 40)) {
            o->disability_category =
                (enum hh_disability)(1 + weighted(g, category_w, 7));
            o->disability_grade = 1 + weighted(g, grade_w, 4);
        }
        o->is_dibao_recipient = chance(g, 30);
        o->income_monthly_fen =
            chance(g, 100) ? 0 : lognormal_fen(g, 400000.0, 0.7);
        o->assets_within_low_income_rule = chance(g, 150);
    }
}

/* ---- one household ---- */

void
gen_household(struct gen *g, struct gen_household *out)
{
    memset(out, 0, sizeof(*out));
    out->serial = ++g->serial;
    const struct gen_village *hv = village_pick(g);
    memcpy(out->hukou_village, hv->code, GEN_VILLAGE_CODE_LEN);
    /* 12% live away from their hukou village */
    const struct gen_village *rv = chance(g, 120) ? village_pick(g) : hv;
    memcpy(out->residence_village, rv->code, GEN_VILLAGE_CODE_LEN);
    struct household *h = &out->hh;
    memcpy(h->hukou_county, hv->code, 6);
    h->hukou_county[6] = '\0';
    h->standard_area = hv->urban ? HH_AREA_URBAN : HH_AREA_RURAL;

    struct builder b = {g, out, h->hukou_county};
    family_build(&b);

    for (int i = 0; i < h->member_count; i++) {
        struct hh_person *pp = &h->members[i];
        int age = hh_age_years(pp->birth_y, pp->birth_m, pp->birth_d,
                               g->as_of_y, g->as_of_m, g->as_of_d);
        health_make(g, pp, age);
        pp->schooling = schooling_make(g, age, hv->urban);
        if (pp->relation == HH_REL_CHILD && age >= 18) {
            if (pp->disability_grade >= 1 && pp->disability_grade <= 2)
                pp->cannot_live_independently = 1;
            /* an adult child at home who is not a student: whether they
             * count is the investigation's finding (Art. 7(4)) */
            else if (pp->schooling == HH_SCHOOL_NONE)
                pp->in_household_register = chance(g, 500);
        }
        income_make(g, pp, age, hv->urban);
    }
    assets_make(g, h, hv->urban);
    if (out->family == GEN_FAM_SINGLE_ELDERLY) {
        int age = hh_age_years(h->members[0].birth_y, h->members[0].birth_m,
                               h->members[0].birth_d, g->as_of_y, g->as_of_m,
                               g->as_of_d);
        obligors_make(g, h, age);
    }
    /* 2.5% already receive 低保 (illustrative), some over the standard
     * now, so the 渐退 path is exercised */
    if (chance(g, 25)) {
        h->dibao.receiving = 1;
        h->dibao.months_since_exceeding = between(g, 0, 8);
        h->dibao.last_amount_fen = 100 * between(g, 200, 2000);
    }
}

void
gen_id_claim_set(struct gen *g, gen_id_claim_fn *fn, void *ctx)
{
    g->id_claim = fn;
    g->id_claim_ctx = ctx;
}

const char *
gen_family_name(enum gen_family f)
{
    static const char *const names[GEN_FAM__COUNT] = {
        "single_elderly",  "single_adult",      "couple",
        "couple_children", "three_generations", "single_parent",
    };
    return (int)f >= 0 && f < GEN_FAM__COUNT ? names[f] : "?";
}

const char *
gen_relation_name(enum hh_relation r)
{
    static const char *const names[HH_REL__COUNT] = {
        "applicant",  "spouse",  "child",        "parent", "grandparent",
        "grandchild", "sibling", "child_in_law", "other",
    };
    return (int)r >= 0 && r < HH_REL__COUNT ? names[r] : "?";
}
