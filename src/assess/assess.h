/* SPDX-License-Identifier: MIT */
/* The assessment service: resolves every engine's policy parameters from
 * the effective-dated policy table for a date and a place, and runs every
 * program (低保, 特困) on one household. Shared by the anonymous calculator
 * and the household registry. No SQL, no HTTP: the caller owns the table
 * (and its lock) and the household. */
#ifndef DD_ASSESS_H
#define DD_ASSESS_H

#include <stdint.h>

#include "core/status.h"
#include "domain/area.h"
#include "domain/children.h"
#include "domain/dibao.h"
#include "domain/disability.h"
#include "domain/explain.h"
#include "domain/household.h"
#include "domain/lowincome.h"
#include "domain/policy.h"
#include "domain/tekun.h"
#include "domain/tempaid.h"

/* Programs whose parameters are resolved here but which assess_household
 * does not run: they need facts a household description does not carry
 * (a disability card, its holder's 户籍 and care need; a case of
 * hardship; a child's parents' circumstances; rigid spending). Callers
 * that gather those facts run the engine with these parameters. */
enum assess_extra {
    ASSESS_X_DISABILITY = 0, /* 残疾人两项补贴 (disability.h) */
    ASSESS_X_TEMPAID,        /* 临时救助 (tempaid.h) */
    ASSESS_X_CHILDREN,       /* 孤儿, 事实无人抚养儿童 (children.h) */
    ASSESS_X_LOWINCOME,      /* 低保边缘, 刚性支出 (lowincome.h) */
    ASSESS_X__COUNT
};

/* Every engine's parameters, resolved for one date and region. */
struct assess_params {
    struct dibao_params dibao;
    struct tekun_params tekun;
    struct disability_params disability;
    struct tempaid_params tempaid;
    struct children_params children;
    struct lowincome_params lowincome; /* .dibao is a copy of dibao */
    /* per extra program: NULL when its parameters are resolved, else the
     * first key with no version in force (static storage) */
    const char *unresolved_key[ASSESS_X__COUNT];
    /* the urban or rural standard (assess_area_resolve, after this
     * struct is resolved); area.resolved 0 when not decided here */
    struct area_decision area;
};

/* The programs, in the order of assess_result and ex_per_program[]. */
enum assess_program { ASSESS_DIBAO = 0, ASSESS_TEKUN, ASSESS__COUNT };

/* A program's overall decision. */
enum assess_decision {
    ASSESS_NOT_ELIGIBLE = 0,
    ASSESS_ELIGIBLE,
    ASSESS_REVIEW, /* a caseworker must decide; the amount is indicative */
};

struct assess_result {
    struct dibao_result dibao;
    /* 特困 is a person's status: every member is assessed. */
    int tekun_count; /* == the household's member_count */
    struct tekun_result tekun[HH_MAX_MEMBERS];
    /* per program: decision and monthly amount (特困: eligible when a
     * member is, else review when a member is; the amount is the sum over
     * the members eligible or in review, the latter indicative) */
    enum assess_decision decision[ASSESS__COUNT];
    int64_t amount_fen[ASSESS__COUNT];
};

/* The program's name as the API shows it ("dibao", "tekun"). */
const char *assess_program_name(enum assess_program prog);
/* "eligible", "not_eligible", "review". */
const char *assess_decision_name(enum assess_decision d);

/* Fills *out with the version of every key the engines read that is in
 * force on y-m-d for region_code ("50" or a 6/9/12-digit code; county
 * overrides apply). The caller holds whatever lock guards t. The ratio
 * keys of the 特困 care subsidy (tekun.care.base, *_ratio) are read only
 * when tekun.care.mode is 1 (else 0). dibao.asset.housing_area_multiple is
 * stored in permille and must be a whole multiple (3000 → 3). Keys that
 * their engine documents as "0 = not set" (rigid.expense_ratio,
 * rigid.income_limit.*, tempaid.expense.income_limit.*: REVIEW;
 * defacto.standard.institutional: use defacto.standard) are 0 when no
 * version is in force. A key of an extra program with no version in force
 * only sets out->unresolved_key[] for that program.
 * DD_ENOTFOUND with err->field = the key when a 低保 or 特困 key has no
 * version in force (err->code POLICY_NOT_IN_FORCE); DD_EINVAL with err->field =
 * the key when a value does not fit its field, or (field "region" / "as_of")
 * for a malformed region or date. err's strings are static. */
DD_WUR enum dd_status assess_params_resolve(const struct policy_table *t,
                                            const char *region_code, int y,
                                            int m, int d,
                                            struct assess_params *out,
                                            struct dd_error *err);

/* Decides which standard, urban or rural, applies on y-m-d to a household
 * whose own setting is setting and whose hukou is in county (the first 6
 * digits of a 6-, 9- or 12-digit code): dibao.area.default in force for
 * that county (no version: 0, each household decides), then area_resolve
 * (domain.md §7.1). On success sets p->area and h->standard_area (either
 * may be NULL: a check only); call it after assess_params_resolve, which
 * clears p. Errors with err's strings static: DD_ENOTFOUND, code
 * DISTRICT_AREA_MIXED and field urban_or_rural, when the household follows
 * a district that leaves the standard to each household; DD_EINVAL
 * (field "region" or the key) for a malformed county or date, or a value
 * out of 0..2. The caller holds whatever lock guards t. */
DD_WUR enum dd_status assess_area_resolve(const struct policy_table *t,
                                          const char *county, int y, int m,
                                          int d, enum area_setting setting,
                                          struct assess_params *p,
                                          struct household *h,
                                          struct dd_error *err);

/* Runs every program on h on y-m-d with p (resolved for that date and
 * h's region). Writes *out (zeroed first). ex_per_program may be NULL, or
 * hold ASSESS__COUNT explanations (each may be NULL); given ones are
 * explain_init'ed here. The 特困 explanation has the lines of every
 * member (each line names its member). When p->area is resolved, both
 * explanations open with the line saying which standard applied and why,
 * and h->standard_area must be the one decided (else DD_EINVAL). DD_EINVAL
 * for NULL arguments, an
 * invalid date, or a household or parameter out of range (the engines'
 * checks). */
DD_WUR enum dd_status assess_household(const struct household *h,
                                       const struct assess_params *p, int y,
                                       int m, int d, struct assess_result *out,
                                       struct explain *ex_per_program[]);

#endif
