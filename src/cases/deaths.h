/* SPDX-License-Identifier: MIT */
/* A death stops the money (issue 13 §5; 2022 notice §1(3), domain.md
 * §1.6): recording a member's death suspends the entitlements only that
 * member drew, opens the household's re-check for those others share,
 * and opens a recovery (追缴) of what was paid for months after it. */
#ifndef DD_CASES_DEATHS_H
#define DD_CASES_DEATHS_H

#include "cases/cases.h"

/* What a death is recorded with. */
struct cases_death_input {
    int64_t person_id;
    const char *died_on; /* YYYY-MM-DD, on or before x->day */
    const char *source;  /* "staff" (the funeral and 公安 feeds: later) */
    const char *note;    /* NULL = none */
    int64_t version;     /* the household's version read; -1 = unchecked */
};

/* A recovery the death opened: its entitlement, the months paid after
 * the death and their sum. */
struct cases_death_recovery {
    int64_t recovery_id;
    int64_t entitlement_id;
    char (*months)[8];
    size_t month_count;
    int64_t amount_fen;
};

/* A re-check the death opened for an entitlement others share. */
struct cases_death_review {
    int64_t review_id;
    int64_t entitlement_id;
    char due_day[11];
};

/* What the death did, in the caller's arena. */
struct cases_death_result {
    struct person_death_row death;
    struct registry_household rh; /* the household, as loaded */
    struct entitlement_change_row *suspended; /* one per entitlement */
    size_t suspended_count;
    struct cases_death_review *reviews;
    size_t review_count;
    struct cases_death_recovery *recoveries;
    size_t recovery_count;
};

/* The household person_id belongs to, as the caller's scope check needs
 * it (into rh, the result's for a death or its withdrawal): DD_ENOTFOUND
 * for no such person. */
enum dd_status cases_death_household(const struct cases_ctx *x,
                                     int64_t person_id,
                                     struct registry_household *rh) DD_WUR;

/* Records in's death in the household cases_death_household loaded into
 * out->rh (the rest of *out zeroed), by x->actor on x->day, in x->tx: the person_death row (the
 * member's active mark cleared), then for each active entitlement of the
 * household: one only that member drew is suspended from the month
 * <program>.effect.death_lag_months after the death's (through
 * cases_entitlement_change, so by the item's deciding level: DD_EDENIED
 * NOT_DECIDING_LEVEL otherwise) and what was paid for months from then
 * on becomes a recovery (cause death) owed; one other living members
 * share gets a re-check due within dibao.death.recheck_months. The
 * person.death audit row. DD_EINVAL naming died_on, source or note;
 * DD_ECONFLICT ALREADY_DEAD, VERSION_CONFLICT. On failure the caller
 * rolls x->tx back. */
enum dd_status cases_death_record(const struct cases_ctx *x,
                                  const struct cases_death_input *in,
                                  struct cases_death_result *out,
                                  struct dd_error *err) DD_WUR;

/* A death recorded in error, withdrawn (撤销死亡登记). */
struct cases_death_withdrawal {
    int64_t person_id;
    const char *reason;  /* why it was in error, 1 to 500 bytes */
    int64_t version;     /* the household's version read; -1 = unchecked */
};

/* A recovery the death opened, as the withdrawal leaves it: its balance
 * waived, and what had been repaid or deducted already, which is the
 * family's to be refunded. */
struct cases_death_waiver {
    int64_t recovery_id;
    int64_t entitlement_id;
    int64_t waived_fen;
    int64_t refund_fen;
};

/* What the withdrawal did, in the caller's arena. */
struct cases_death_withdraw_result {
    struct person_death_row death; /* as withdrawn */
    struct registry_household rh;  /* the household, as loaded */
    struct entitlement_change_row *resumed;
    size_t resumed_count;
    struct cases_death_waiver *waivers;
    size_t waiver_count;
    int64_t *cancelled; /* the re-checks cancelled, by id */
    size_t cancelled_count;
};

/* Withdraws in's death, recorded in error, in the household
 * cases_death_household loaded (into the result's rh, the same layout):
 * the person_death row is marked withdrawn (kept, as every reader now
 * passes it by) and the person is active again; each entitlement whose
 * last decision is the suspension this death made is resumed from that
 * suspension's month (by the item's deciding level: DD_EDENIED
 * NOT_DECIDING_LEVEL otherwise), so that the next build pays the months
 * between; the recoveries the death opened have their balance waived (a
 * county's decision: DD_EDENIED WAIVER_COUNTY_LEVEL otherwise), what was
 * recovered already counted as to be refunded; an open re-check after a
 * death is cancelled when no other death of the household stands. The
 * person.death.withdraw audit row. DD_EINVAL naming reason; DD_ECONFLICT
 * NOT_DEAD, ID_NUMBER_ACTIVE, VERSION_CONFLICT. On failure the caller
 * rolls x->tx back. */
enum dd_status
cases_death_withdraw(const struct cases_ctx *x,
                     const struct cases_death_withdrawal *in,
                     struct cases_death_withdraw_result *out,
                     struct dd_error *err) DD_WUR;

#endif
