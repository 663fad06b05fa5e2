/* SPDX-License-Identifier: MIT */
/* The recovery ledger (追缴, issue 13 §5): a debt opened with what is owed
 * (a death's overpayment, cases/deaths.c), then repayments and waivers
 * decided here, deductions from later payments written by the payment
 * build; each entry audited, the recovery settled at a balance of 0. A
 * waiver (核销) is the county's decision, as the benefit's own is
 * (data/catalog/items.csv: every paying item is decided by the county). */
#include "cases/recoveries.h"

#include <stdio.h>
#include <string.h>

#include "cases/cases_internal.h"
#include "core/str.h"
#include "json/json.h"

static enum dd_status
audit_entry(const struct cases_ctx *x, const struct recovery_row *r,
            const char *region, const struct recovery_entry_row *en,
            int64_t balance)
{
    char amount[24], bal[24], version[24];
    snprintf(amount, sizeof(amount), "%lld", (long long)en->amount_fen);
    snprintf(bal, sizeof(bal), "%lld", (long long)balance);
    snprintf(version, sizeof(version), "%lld", (long long)r->version);
    return cases_audit(
        x,
        arena_printf(x->arena, "recovery.%s",
                     strcmp(en->kind, "owed") == 0 ? "open" : en->kind),
        arena_printf(x->arena, "recovery:%lld", (long long)r->id), region,
        json_object_of_strings(
            x->arena,
            (const char *[]){"kind", en->kind, "amount_fen", amount,
                             "balance_fen", bal, "state", r->state, "version",
                             version},
            5));
}

/* An entry of kind on r by x->actor, its seq the next. */
static void
entry_of(const struct cases_ctx *x, const struct recovery_row *r,
         const char *kind, int64_t amount_fen, const char *decided_on,
         const char *reason, struct recovery_entry_row *en)
{
    memset(en, 0, sizeof(*en));
    en->recovery_id = r->id;
    str_copy(en->kind, sizeof(en->kind), kind);
    en->amount_fen = amount_fen;
    str_copy(en->decided_by, sizeof(en->decided_by),
             x->actor.name ? x->actor.name : "anonymous");
    str_copy(en->decided_on, sizeof(en->decided_on), decided_on);
    str_copy(en->reason_text, sizeof(en->reason_text), reason ? reason : "");
}

enum dd_status
cases_recovery_open(const struct cases_ctx *x, const struct entitlement_row *e,
                    int64_t person_id, const char *cause, int64_t amount_fen,
                    const char *reason, struct recovery_row *out)
{
    struct recovery_entry_row en;
    memset(out, 0, sizeof(*out));
    str_copy(out->county_code, sizeof(out->county_code), e->county_code);
    out->household_id = e->household_id;
    out->entitlement_id = e->id;
    out->person_id = person_id;
    str_copy(out->cause, sizeof(out->cause), cause);
    str_copy(out->state, sizeof(out->state), "open");
    str_copy(out->note, sizeof(out->note), reason);
    str_copy(out->created_by, sizeof(out->created_by),
             x->actor.name ? x->actor.name : "anonymous");
    out->version = 1;
    enum dd_status rc = store_recovery_insert(x->tx, out);
    entry_of(x, out, "owed", amount_fen, x->day.s, reason, &en);
    if (rc == DD_OK)
        rc = store_recovery_entry_insert(x->tx, &en);
    return rc == DD_OK ? audit_entry(x, out, e->region_code, &en, amount_fen)
                       : rc;
}

static enum dd_status
refuse(struct dd_error *err, enum dd_status rc, const char *code,
       const char *field, const char *en, const char *zh)
{
    cases_err(err, code, field, en, zh);
    return rc;
}

/* The checks of in on r with balance bal, before anything is written. */
static enum dd_status
entry_check(const struct cases_ctx *x, const struct recovery_row *r,
            const struct cases_recovery_input *in, int64_t bal,
            struct dd_error *err)
{
    int waiver = strcmp(in->kind, "waived") == 0;
    int32_t day = cases_day_of(in->decided_on);
    if (!waiver && strcmp(in->kind, "repaid") != 0)
        return refuse(err, DD_EINVAL, "INVALID_VALUE", "kind",
                      "kind is repaid or waived (deductions are the payment "
                      "build's)",
                      "kind 须为 repaid 或 waived（扣减由发放批次生成）");
    if (waiver && x->actor.role != ROLE_COUNTY_OFFICER)
        return refuse(err, DD_EDENIED, "WAIVER_COUNTY_LEVEL", NULL,
                      "a waiver is decided by the county",
                      "追缴核销须由区县民政部门决定");
    if (waiver && (!in->reason_text || !in->reason_text[0]))
        return refuse(err, DD_EINVAL, "REASON_REQUIRED", "reason_text",
                      "a waiver states its reasons", "核销须说明理由");
    if (day == INT32_MIN || day > x->day.day)
        return refuse(err, DD_EINVAL, "INVALID_VALUE", "decided_on",
                      "decided_on is a date YYYY-MM-DD, today at the latest",
                      "decided_on 须为不晚于今天的日期 YYYY-MM-DD");
    if (in->version >= 0 && in->version != r->version)
        return refuse(err, DD_ECONFLICT, "VERSION_CONFLICT", "version",
                      "the recovery was changed meanwhile; reload it",
                      "该追缴记录已被他人修改，请刷新后重试");
    if (strcmp(r->state, "settled") == 0)
        return refuse(err, DD_ECONFLICT, "RECOVERY_SETTLED", NULL,
                      "the recovery is settled", "该追缴已结清");
    if (in->amount_fen < 1 || in->amount_fen > bal)
        return refuse(
            err, DD_EINVAL, "AMOUNT_OVER_BALANCE", "amount_fen",
            arena_printf(x->arena,
                         "amount_fen is from 1 fen to the balance, %lld fen",
                         (long long)bal),
            arena_printf(x->arena, "金额须为1分至未追缴余额%lld分",
                         (long long)bal));
    return DD_OK;
}

enum dd_status
cases_recovery_entry(const struct cases_ctx *x, struct recovery_row *r,
                     const struct entitlement_row *e,
                     const struct cases_recovery_input *in,
                     struct recovery_entry_row *out, int64_t *balance,
                     struct dd_error *err)
{
    int64_t bal = 0;
    enum dd_status rc = store_recovery_balance(x->tx, r->id, &bal);
    if (rc == DD_OK)
        rc = entry_check(x, r, in, bal, err);
    if (rc != DD_OK)
        return rc;
    entry_of(x, r, in->kind, in->amount_fen, in->decided_on, in->reason_text,
             out);
    rc = store_recovery_entry_insert(x->tx, out);
    *balance = bal - in->amount_fen;
    if (*balance == 0)
        str_copy(r->state, sizeof(r->state), "settled");
    if (rc == DD_OK)
        rc = store_recovery_update(x->tx, r);
    if (rc == DD_ECONFLICT)
        cases_err(err, "VERSION_CONFLICT", "version",
                  "the recovery was changed meanwhile; reload it",
                  "该追缴记录已被他人修改，请刷新后重试");
    return rc == DD_OK ? audit_entry(x, r, e->region_code, out, *balance) : rc;
}
