/* SPDX-License-Identifier: MIT */
/* Payee accounts with four-eyes confirmation, the active account for the
 * bank file, and an entitlement's payee (see payees.h). */
#include "cases/payees.h"

#include <stdio.h>
#include <string.h>

#include "cases/cases_internal.h"
#include "core/str.h"
#include "crypto/crypto.h"
#include "crypto/pii.h"
#include "domain/household.h"
#include "json/json.h"

/* Who enters and confirms accounts: the township's and the county's
 * caseworkers, not a village assistant (an account decides where the
 * money goes; issue 13 §2). */
static int
payee_officer(enum role r)
{
    return r == ROLE_TOWN_CLERK || r == ROLE_TOWN_REVIEWER ||
           r == ROLE_COUNTY_OFFICER;
}

static enum dd_status
not_officer(struct dd_error *err)
{
    cases_err(err, "NOT_PAYEE_OFFICER", NULL,
              "payee accounts are entered and confirmed by township or "
              "county caseworkers",
              "领款账户须由乡镇或区县经办人员录入和确认");
    return DD_EDENIED;
}

/* A write at a version the row no longer has. */
static enum dd_status
stale(struct dd_error *err, int account)
{
    if (account)
        cases_err(err, "VERSION_CONFLICT", "version",
                  "the account was changed meanwhile; reload it",
                  "该账户已被他人修改，请刷新后重试");
    else
        cases_err(err, "VERSION_CONFLICT", "version",
                  "the entitlement was changed meanwhile; reload it",
                  "该待遇已被他人修改，请刷新后重试");
    return DD_ECONFLICT;
}

static const char *
actor_name(const struct cases_ctx *x)
{
    return x->actor.name ? x->actor.name : "anonymous";
}

static const char *
id_text(const struct cases_ctx *x, int64_t id)
{
    return arena_printf(x->arena, "%lld", (long long)id);
}

enum dd_status
cases_payee_account_digest(const struct payee_account_row *a,
                           char out[DIGEST_HEX_LEN + 1])
{
    struct digest d;
    enum dd_status rc = digest_begin(&d, "payee_account/v1");
    if (rc != DD_OK)
        return rc;
    digest_int(&d, a->id);
    digest_int(&d, a->person_id);
    digest_int(&d, a->household_id);
    digest_str(&d, a->county_code);
    digest_str(&d, a->region_code);
    digest_str(&d, a->kind);
    digest_str(&d, a->bank_code);
    digest_str(&d, a->account_index);
    digest_str(&d, a->account_last4);
    digest_str(&d, a->account_name);
    digest_str(&d, a->state);
    digest_str(&d, a->entered_by);
    digest_str(&d, a->confirmed_by);
    digest_str(&d, a->reason);
    digest_int(&d, a->version);
    digest_end(&d, out);
    return DD_OK;
}

/* The audit row of a write on a: action, the person, the state and
 * version written and the row's digest. */
static enum dd_status
audit_account(const struct cases_ctx *x, const char *action,
              const struct payee_account_row *a)
{
    char digest[DIGEST_HEX_LEN + 1];
    enum dd_status rc = cases_payee_account_digest(a, digest);
    if (rc != DD_OK)
        return rc;
    const char *object =
        arena_printf(x->arena, "payee_account:%lld", (long long)a->id);
    const char *detail = json_object_of_strings(
        x->arena,
        (const char *[]){"person", id_text(x, a->person_id), "kind", a->kind,
                         "bank", a->bank_code, "state", a->state, "version",
                         id_text(x, a->version), "digest", digest},
        6);
    if (!object || !detail)
        return DD_ENOMEM;
    return cases_audit(x, action, object, a->region_code, detail);
}

/* ---- entering ---- */

/* The number without the grouping spaces people write it with, into out
 * (the domain check refuses anything else that is not a digit). */
static void
strip_spaces(const char *in, char *out, size_t cap)
{
    size_t w = 0;
    for (; *in && w + 1 < cap; in++)
        if (*in != ' ')
            out[w++] = *in;
    out[w] = '\0';
}

/* Checks in for p: the kind, the bank, the number (Luhn where the card
 * or the bank's row says) and the name; the kind parsed into *kind. */
static enum dd_status
check_input(const struct cases_ctx *x, const struct payee_person_row *p,
            const struct cases_payee_input *in, const char *number,
            enum payee_kind *kind, struct dd_error *err)
{
    struct bank_row bank;
    if (!in->kind || payee_kind_parse(in->kind, kind) != 0) {
        cases_err(err, "INVALID_ACCOUNT_KIND", "kind",
                  "kind is one of bank_card, passbook, sscard",
                  "账户类型 kind 须为 bank_card、passbook 或 sscard");
        return DD_EINVAL;
    }
    enum dd_status rc =
        in->bank_code ? store_bank_get(x->tx, in->bank_code, &bank)
                      : DD_ENOTFOUND;
    if (rc == DD_ENOTFOUND) {
        cases_err(err, "UNKNOWN_BANK", "bank_code",
                  "bank_code is not a bank of data/banks/banks.csv",
                  "开户银行代码 bank_code 不在银行列表中");
        return DD_EINVAL;
    }
    if (rc != DD_OK)
        return rc;
    /* ISO/IEC 7812-1 card numbers always end in their Luhn digit */
    int luhn = *kind != PAYEE_PASSBOOK || bank.passbook_luhn;
    rc = payee_account_check(*kind, number, luhn, err);
    if (rc != DD_OK) {
        err->field = "account"; /* the body's name for the number */
        return rc;
    }
    return payee_name_match(in->account_name ? in->account_name : "",
                            p->name, err);
}

enum dd_status
cases_payee_account_enter(const struct cases_ctx *x,
                          const struct payee_person_row *p,
                          const struct cases_payee_input *in,
                          struct payee_account_row *out, int64_t *sharing,
                          struct dd_error *err)
{
    char number[PAYEE_NUMBER_MAX + 2];
    char sealed[STORE_SEALED_LEN];
    enum payee_kind kind;
    memset(out, 0, sizeof(*out));
    *sharing = 0;
    if (!payee_officer(x->actor.role))
        return not_officer(err);
    strip_spaces(in->account ? in->account : "", number, sizeof(number));
    enum dd_status rc = check_input(x, p, in, number, &kind, err);
    if (rc != DD_OK) {
        crypto_wipe(number, sizeof(number));
        return rc;
    }
    out->person_id = p->id;
    out->household_id = p->household_id;
    str_copy(out->county_code, sizeof(out->county_code), p->county_code);
    str_copy(out->region_code, sizeof(out->region_code), p->region_code);
    str_copy(out->kind, sizeof(out->kind), payee_kind_name(kind));
    str_copy(out->bank_code, sizeof(out->bank_code), in->bank_code);
    str_copy(out->account_sealed, sizeof(out->account_sealed), PII_PREFIX);
    pii_blind_index(x->pii, number, out->account_index);
    str_copy(out->account_last4, sizeof(out->account_last4),
             number + strlen(number) - 4);
    str_copy(out->account_name, sizeof(out->account_name), in->account_name);
    str_copy(out->state, sizeof(out->state), "pending");
    str_copy(out->entered_by, sizeof(out->entered_by), actor_name(x));
    rc = store_payee_account_insert(x->tx, out);
    /* bound to the row's id, known now (crypto/pii.h) */
    if (rc == DD_OK)
        rc = pii_seal(x->pii, &PII_AD_PAYEE_ACCOUNT(id_text(x, out->id)),
                      number, sealed, sizeof(sealed));
    crypto_wipe(number, sizeof(number));
    if (rc == DD_OK)
        rc = store_payee_account_seal(x->tx, out->id, sealed);
    if (rc == DD_OK)
        str_copy(out->account_sealed, sizeof(out->account_sealed), sealed);
    if (rc == DD_OK)
        rc = store_payee_account_sharing(x->tx, out->account_index, p->id,
                                         sharing);
    if (rc == DD_OK)
        rc = audit_account(x, "payee_account.enter", out);
    return rc;
}

/* ---- the second pair of eyes ---- */

/* What confirming and rejecting both check. */
static enum dd_status
decidable(const struct cases_ctx *x, const struct payee_account_row *a,
          int64_t version, struct dd_error *err)
{
    if (!payee_officer(x->actor.role))
        return not_officer(err);
    if (strcmp(a->entered_by, actor_name(x)) == 0) {
        cases_err(err, "SAME_PERSON", NULL,
                  "an account is confirmed or rejected by someone other "
                  "than who entered it (four eyes)",
                  "领款账户须由录入人以外的人员确认或退回（双人复核）");
        return DD_ECONFLICT;
    }
    if (version != a->version)
        return stale(err, 1);
    if (strcmp(a->state, "pending") != 0) {
        cases_err(err, "NOT_PENDING", NULL,
                  "only a pending account is confirmed or rejected",
                  "只有待确认的账户可以确认或退回");
        return DD_ECONFLICT;
    }
    return DD_OK;
}

static enum dd_status
decide(const struct cases_ctx *x, struct payee_account_row *a,
       const char *state, const char *action, struct dd_error *err)
{
    str_copy(a->state, sizeof(a->state), state);
    str_copy(a->confirmed_by, sizeof(a->confirmed_by), actor_name(x));
    a->confirmed_at = x->now;
    enum dd_status rc = store_payee_account_decide(x->tx, a);
    if (rc == DD_ECONFLICT)
        return stale(err, 1);
    if (rc == DD_OK)
        rc = audit_account(x, action, a);
    return rc;
}

enum dd_status
cases_payee_account_confirm(const struct cases_ctx *x,
                            struct payee_account_row *a, int64_t version,
                            int64_t *superseded, struct dd_error *err)
{
    struct payee_account_row old;
    *superseded = 0;
    enum dd_status rc = decidable(x, a, version, err);
    if (rc == DD_OK)
        rc = store_payee_account_active(x->tx, a->person_id, &old);
    if (rc == DD_OK) {
        /* first the old one, so the one-active index never sees two */
        rc = store_payee_account_supersede(x->tx, a->person_id, superseded);
        if (rc == DD_OK)
            rc = store_payee_account_get(x->tx, old.id, &old);
        if (rc == DD_OK)
            rc = audit_account(x, "payee_account.supersede", &old);
    } else if (rc == DD_ENOTFOUND) {
        rc = DD_OK;
    }
    if (rc == DD_OK)
        rc = decide(x, a, "active", "payee_account.confirm", err);
    return rc;
}

enum dd_status
cases_payee_account_reject(const struct cases_ctx *x,
                           struct payee_account_row *a, int64_t version,
                           const char *reason, struct dd_error *err)
{
    enum dd_status rc = decidable(x, a, version, err);
    if (rc != DD_OK)
        return rc;
    if (!reason || !reason[0]) {
        cases_err(err, "REASON_REQUIRED", "reason",
                  "a rejection states its reason",
                  "退回须说明理由");
        return DD_EINVAL;
    }
    str_copy(a->reason, sizeof(a->reason), reason);
    return decide(x, a, "rejected", "payee_account.reject", err);
}

/* ---- the bank file ---- */

enum dd_status
cases_payee_account_number(const struct pii_keys *k,
                           const struct payee_account_row *a,
                           char number[PAYEE_NUMBER_MAX + 1])
{
    char row[24];
    snprintf(row, sizeof(row), "%lld", (long long)a->id);
    return pii_open(k, &PII_AD_PAYEE_ACCOUNT(row), a->account_sealed, number,
                    PAYEE_NUMBER_MAX + 1) == DD_OK
               ? DD_OK
               : DD_EINTERNAL;
}

enum dd_status
cases_payee_account_active(struct store_tx *tx, const struct pii_keys *k,
                           int64_t person_id, struct payee_account_row *a,
                           char number[PAYEE_NUMBER_MAX + 1])
{
    number[0] = '\0';
    enum dd_status rc = store_payee_account_active(tx, person_id, a);
    return rc == DD_OK ? cases_payee_account_number(k, a, number) : rc;
}

/* ---- who is paid ---- */

enum dd_status
cases_payee_of_household(const struct cases_ctx *x, int64_t household_id,
                         int64_t *person_id)
{
    struct person_row *rows =
        arena_alloc(x->arena, HH_MAX_MEMBERS * sizeof(*rows));
    struct payee_member m[HH_MAX_MEMBERS];
    size_t n = 0;
    *person_id = 0;
    if (!rows)
        return DD_ENOMEM;
    enum dd_status rc =
        store_person_list(x->tx, household_id, rows, HH_MAX_MEMBERS, &n);
    if (rc != DD_OK)
        return rc;
    for (size_t i = 0; i < n; i++) {
        int by = 0, bm = 0, bd = 0;
        m[i].relation = rows[i].relation;
        m[i].age = sscanf(rows[i].birth_date, "%d-%d-%d", &by, &bm, &bd) == 3
                       ? hh_age_years(by, bm, bd, x->day.y, x->day.m,
                                      x->day.d)
                       : -1;
    }
    int i = payee_member_index(m, n);
    if (i >= 0)
        *person_id = rows[i].id;
    return DD_OK;
}

enum dd_status
cases_entitlement_payee(const struct cases_ctx *x, struct entitlement_row *e,
                        const struct payee_person_row *p, int64_t version,
                        struct dd_error *err)
{
    struct catalog_item it;
    struct entitlement_change_row last;
    char digest[DIGEST_HEX_LEN + 1];
    enum dd_status rc = cases_item_on(x, e->item_code, NULL, &it);
    if (rc != DD_OK)
        return rc;
    if (!cases_level_fits(x->actor.role, it.decide_level)) {
        cases_err(err, "NOT_DECIDING_LEVEL", NULL,
                  "the office that decides this item names its payee",
                  "领款人须由该事项的审批层级确定");
        return DD_EDENIED;
    }
    if (version != e->version)
        return stale(err, 0);
    if (p->id == e->payee_person_id) {
        cases_err(err, "SAME_PAYEE", "person_id",
                  "this person is the payee already", "该人员已是领款人");
        return DD_EINVAL;
    }
    e->payee_person_id = p->id;
    rc = store_entitlement_payee_set(x->tx, e);
    if (rc == DD_ECONFLICT)
        return stale(err, 0);
    if (rc != DD_OK)
        return rc;
    /* the digest `doudi check` recomputes: the state with its latest
     * change, none (seq 0) before the first */
    rc = store_entitlement_change_last(x->tx, e->id, &last);
    if (rc == DD_ENOTFOUND) {
        memset(&last, 0, sizeof(last));
        rc = DD_OK;
    }
    if (rc == DD_OK)
        rc = digest_entitlement(e, &last, digest);
    if (rc != DD_OK)
        return rc;
    return cases_audit(
        x, "entitlement.payee",
        arena_printf(x->arena, "entitlement:%lld", (long long)e->id),
        e->region_code,
        json_object_of_strings(
            x->arena,
            (const char *[]){"item", e->item_code, "payee",
                             id_text(x, p->id), "version",
                             id_text(x, e->version), "digest", digest},
            4));
}
