/* SPDX-License-Identifier: MIT */
/* The assessment engine's input model: one household as the caller has
 * gathered it (members, monthly incomes by kind, assets, support obligors,
 * and the household's current 低保 state). Fixed-size, no heap pointers, so
 * a whole household can live on the stack or in a flat array. Pure. */
#ifndef DD_HOUSEHOLD_H
#define DD_HOUSEHOLD_H

#include <stdint.h>

#define HH_MAX_MEMBERS 16
#define HH_MAX_ASSETS 32
#define HH_MAX_OBLIGORS 16

/* Bounds on input amounts, so sums and products of them stay far inside
 * int64_t: 10^13 fen is 100 billion yuan. Inputs outside are DD_EINVAL. */
#define HH_MONEY_MAX ((int64_t)10000000000000)
/* 10^9 dm² (10^7 m²) caps a floor area. */
#define HH_AREA_MAX_DM2 ((int64_t)1000000000)

/* A member's relation to the applicant (申请人). */
enum hh_relation {
    HH_REL_APPLICANT = 0,
    HH_REL_SPOUSE,
    HH_REL_CHILD, /* son or daughter, incl. step- and adopted */
    HH_REL_PARENT,
    HH_REL_GRANDPARENT,
    HH_REL_GRANDCHILD,
    HH_REL_SIBLING,
    HH_REL_CHILD_IN_LAW, /* 儿媳/女婿 */
    HH_REL_OTHER,
    HH_REL__COUNT
};

enum hh_sex { HH_SEX_UNKNOWN = 0, HH_SEX_MALE, HH_SEX_FEMALE };

/* Disability category as on the 残疾人证 (GB/T 26341-2010 order). Grade is
 * 1 (most severe) to 4; category NONE goes with grade 0. */
enum hh_disability {
    HH_DIS_NONE = 0,
    HH_DIS_VISUAL = 1,       /* 视力 */
    HH_DIS_HEARING = 2,      /* 听力 */
    HH_DIS_SPEECH = 3,       /* 言语 */
    HH_DIS_PHYSICAL = 4,     /* 肢体 */
    HH_DIS_INTELLECTUAL = 5, /* 智力 */
    HH_DIS_MENTAL = 6,       /* 精神 */
    HH_DIS_MULTIPLE = 7,     /* 多重 */
};

enum hh_work_capacity {
    HH_WORK_FULL = 0,
    HH_WORK_PARTIAL,
    HH_WORK_NONE, /* assessed as none (特困 Art. 5(4): other provincial cases)
                   */
};

enum hh_schooling {
    HH_SCHOOL_NONE = 0,
    HH_SCHOOL_PRESCHOOL,  /* kindergarten (学前教育) */
    HH_SCHOOL_COMPULSORY, /* 义务教育 */
    HH_SCHOOL_HIGH,       /* 普通高中 or 中职 */
    HH_SCHOOL_BACHELOR,   /* 专科 or 本科, full time */
    HH_SCHOOL_ABOVE,      /* postgraduate */
    HH_SCHOOL__COUNT
};

/* Why a person is away, for the exclusions of 民发〔2021〕57号 第七条. */
enum hh_absence {
    HH_ABSENT_NONE = 0,
    HH_ABSENT_CLERGY,     /* clergy living in a religious venue ≥3 years */
    HH_ABSENT_PRISON,     /* 服刑 */
    HH_ABSENT_DRUG_REHAB, /* 强制隔离戒毒 */
    HH_ABSENT_MISSING,    /* 宣告失踪 */
    HH_ABSENT_PROVINCIAL, /* other exclusion determined by the province */
    HH_ABSENT__COUNT
};

/* The six activities of daily living of 特困人员认定办法 第二十条. */
enum hh_adl {
    HH_ADL_EATING = 0, /* 自主吃饭 */
    HH_ADL_DRESSING,   /* 自主穿衣 */
    HH_ADL_BED,        /* 自主上下床 */
    HH_ADL_TOILETING,  /* 自主如厕 */
    HH_ADL_WALKING,    /* 室内自主行走 */
    HH_ADL_BATHING,    /* 自主洗澡 */
    HH_ADL__COUNT
};

/* Monthly income by kind, fen, all ≥ 0 (民发〔2021〕57号 第十三条). The
 * counted kinds first, then the two deductions, then each kind that is not
 * counted, kept apart so the explanation can show it excluded. Which of
 * the EX_ kinds are excluded for which scheme is decided in dibao.c and
 * tekun.c (some by a policy parameter). */
enum hh_income_kind {
    HH_INC_WAGES = 0, /* 工资性收入, net of necessary employment costs */
    HH_INC_BUSINESS,  /* 经营净收入 (incl. farming) */
    HH_INC_PROPERTY,  /* 财产净收入: interest, dividends, rent, land */
    HH_INC_TRANSFERS_IN, /* 转移性收入: maintenance received, pensions
                            (except the exempt floor below), benefits,
                            compensation, gifts */
    /* deductions (subtracted) */
    HH_INC_TRANSFERS_OUT,   /* taxes, social-insurance contributions,
                               maintenance paid out, regular transfers out */
    HH_INC_RIGID_DEDUCTION, /* 按规定适当扣减: rigid disability/illness
                               costs allowed by local rules */
    /* not counted (or counted only when a parameter says so) */
    HH_INC_EX_VETERANS,          /* 优待抚恤金 */
    HH_INC_EX_FAMILY_PLANNING,   /* 计划生育奖励与扶助金 */
    HH_INC_EX_SCHOLARSHIP,       /* 奖学金 */
    HH_INC_EX_HEROISM,           /* 见义勇为等奖励性补助 */
    HH_INC_EX_SOCIAL_ASSISTANCE, /* 政府发放的各类社会救助款物 */
    HH_INC_EX_BASIC_PENSION, /* 城乡居民基本养老保险基础养老金 */
    HH_INC_EX_DISABILITY_SUBSIDY, /* 残疾人两项补贴 */
    HH_INC_EX_UNSUPPORTED_CHILD, /* 事实无人抚养儿童 basic living subsidy */
    HH_INC_EX_KIN_SUPPORT,       /* support paid by siblings or elders ≥60
                                    to an unemployed severely disabled
                                    adult (2022 notice) */
    HH_INC_EX_OLD_AGE_ALLOWANCE, /* 高龄津贴 */
    HH_INC_EX_SOCIAL_INSURANCE,  /* 基本医疗保险等社会保险 payouts */
    HH_INC_EX_LOCAL,             /* excluded by a prefecture-level or
                                    higher government */
    HH_INC__COUNT
};

#define HH_INC_FIRST_EXEMPT HH_INC_EX_VETERANS

struct hh_person {
    enum hh_relation relation; /* to the applicant */
    enum hh_sex sex;
    int birth_y, birth_m, birth_d;
    enum hh_disability disability_category;
    int disability_grade; /* 0 none, 1..4 */
    int major_illness;    /* 重特大疾病 recognised locally */
    enum hh_work_capacity work_capacity;
    enum hh_schooling schooling;
    int employed;
    /* 民发〔2021〕57号 第七条: the engine derives membership for the
     * applicant, spouse, minor children and dependent adult children.
     * For everyone else (parents, siblings, independent adult children…)
     * this flag is the caller's finding that the person has a statutory
     * duty of support AND lives with the family long-term. */
    int in_household_register;
    int cannot_live_independently; /* adult child: 无法独立生活 */
    enum hh_absence absence;       /* an Art. 7 exclusion, if any */
    int single_named_by_county;    /* Art. 8(4): named by county 民政 */
    int tekun_receiving;           /* already supported as 特困 */
    int chose_orphan_scheme; /* 特困 Art. 9: chose 孤儿/事实无人抚养 */
    unsigned char selfcare_unable[HH_ADL__COUNT]; /* 1 = cannot */
    int64_t income_fen[HH_INC__COUNT];            /* monthly, fen */
};

enum hh_asset_kind {
    HH_ASSET_DEPOSIT = 0, /* deposits, funds, insurance cash value, claims,
                             internet-finance assets: value_fen */
    HH_ASSET_SECURITY,    /* securities and bonds: value_fen */
    HH_ASSET_VEHICLE,     /* motor vehicle, vessel, construction or large
                             farm machinery: one per entry */
    HH_ASSET_DWELLING,    /* one dwelling per entry: floor_area_dm2 */
    HH_ASSET_SHOP,        /* 门面/商铺 */
    HH_ASSET_COMPANY,     /* a registered company */
    HH_ASSET__COUNT
};

#define HH_ASSET_JOINT (-1)

struct hh_asset {
    enum hh_asset_kind kind;
    int owner_member;       /* index into members, or HH_ASSET_JOINT */
    int64_t value_fen;      /* deposits and securities */
    int64_t floor_area_dm2; /* dwellings; 1 m² = 100 dm² */
    /* Exempt (Art. 14 豁免): for a vehicle, a fuel-subsidised disabled
     * person's motor wheelchair; for others, an asset necessary for
     * production or daily life as found by the investigation. */
    int exempt;
};

/* A statutory support obligor (赡养/抚养/扶养义务人) of one member, with
 * what 特困人员认定办法 第八条 needs to decide whether they can perform. */
struct hh_obligor {
    int of_member;             /* whose obligor: index into members */
    enum hh_relation relation; /* the obligor's relation to that member */
    int birth_y, birth_m, birth_d;
    enum hh_disability disability_category;
    int disability_grade;
    int is_tekun; /* is 特困 themselves */
    int is_dibao_recipient;
    int lacks_civil_capacity; /* 无民事行为能力 */
    int declared_missing;
    int in_prison;
    int64_t income_monthly_fen;        /* own income, monthly */
    int assets_within_low_income_rule; /* meets the local 低收入家庭 asset
                                          rule (checked by the caller) */
    int other_provincial_unable;       /* Art. 8(6): other provincial case */
};

enum hh_area { HH_AREA_URBAN = 0, HH_AREA_RURAL };

/* The household's current 低保 situation, for 渐退 (57号 第三十三条). */
struct hh_dibao_state {
    int receiving;              /* receiving 低保 now */
    int months_since_exceeding; /* 0 in the first month counted income is
                                   over the standard, 1 the next, … */
    int64_t last_amount_fen;    /* the monthly amount last paid */
};

struct household {
    int member_count;
    struct hh_person members[HH_MAX_MEMBERS];
    int asset_count;
    struct hh_asset assets[HH_MAX_ASSETS];
    int obligor_count;
    struct hh_obligor obligors[HH_MAX_OBLIGORS];
    enum hh_area standard_area; /* which 低保 standard applies */
    char hukou_county[7];       /* 6-digit county code, NUL-terminated */
    struct hh_dibao_state dibao;
    /* 单人保 (57号 第八条): assess members[dibao_single_member] alone */
    int dibao_single;
    int dibao_single_member;
};

/* What a set of assets comes to, for the asset tests and the generator's
 * CSV: the sums of deposits, securities and dwelling floor area, and the
 * count of each other kind. Zero it, then add each asset that counts. */
struct hh_asset_tally {
    int64_t deposits, securities, area_dm2;
    int dwellings, vehicles, shops, companies;
};

static inline void
hh_asset_tally_add(struct hh_asset_tally *t, const struct hh_asset *a)
{
    switch (a->kind) {
    case HH_ASSET_DEPOSIT: t->deposits += a->value_fen; break;
    case HH_ASSET_SECURITY: t->securities += a->value_fen; break;
    case HH_ASSET_DWELLING:
        t->dwellings++;
        t->area_dm2 += a->floor_area_dm2;
        break;
    case HH_ASSET_VEHICLE: t->vehicles++; break;
    case HH_ASSET_SHOP: t->shops++; break;
    case HH_ASSET_COMPANY: t->companies++; break;
    default: break;
    }
}

/* 1 if y-m-d is a valid Gregorian date in 1900..2200. */
static inline int
hh_date_valid(int y, int m, int d)
{
    static const unsigned char mdays[12] = {31, 28, 31, 30, 31, 30,
                                            31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

/* Age in full years on y-m-d of someone born by-bm-bd; -1 if either date
 * is invalid or the birth is after the date. A 29 February birthday is
 * reached on 1 March in common years. */
static inline int
hh_age_years(int by, int bm, int bd, int y, int m, int d)
{
    if (!hh_date_valid(by, bm, bd) || !hh_date_valid(y, m, d))
        return -1;
    int age = y - by;
    if (m < bm || (m == bm && d < bd))
        age--;
    return age;
}

#endif
