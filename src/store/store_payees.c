/* SPDX-License-Identifier: MIT */
/* Payees and their bank accounts (migration 18): banks, accounts with
 * their four-eyes state, the active account, and an entitlement's payee
 * (see store_payees.h). */
#include "store/store_payees.h"

#include <string.h>

#include "core/timeutil.h"
#include "store/store_internal.h"

#define BANK_COLS "code, name, name_en, passbook_luhn"
ROW_MAPPER(row_to_bank, struct bank_row, COL(code), COL(name), COL(name_en),
           COL(passbook_luhn))

#define PERSON_COLS                                                            \
    "p.id, p.household_id, p.county_code, h.region_code, p.name, "            \
    "p.birth_date, p.relation"
ROW_MAPPER(row_to_payee_person, struct payee_person_row, COL(id),
           COL(household_id), COL(county_code), COL(region_code), COL(name),
           COL(birth_date), COL(relation))

#define ACCOUNT_COLS                                                           \
    "id, person_id, household_id, county_code, region_code, kind, "           \
    "bank_code, account_sealed, account_index, account_last4, "               \
    "account_name, state, entered_by, entered_at, confirmed_by, "             \
    "confirmed_at, reason, version"
ROW_MAPPER(row_to_account, struct payee_account_row, COL(id), COL(person_id),
           COL(household_id), COL(county_code), COL(region_code), COL(kind),
           COL(bank_code), COL(account_sealed), COL(account_index),
           COL(account_last4), COL(account_name), COL(state),
           COL(entered_by), COL(entered_at), COL(confirmed_by),
           COL(confirmed_at), COL(reason), COL(version))

static const struct stmt_text stmts[] = {
    /* a bank of data/banks/banks.csv, inserted or updated */
    {STMT_BANK_PUT,
     .sql = "INSERT INTO bank(" BANK_COLS ") VALUES (?1, ?2, ?3, ?4)"
            " ON CONFLICT(code) DO UPDATE SET name = excluded.name,"
            " name_en = excluded.name_en,"
            " passbook_luhn = excluded.passbook_luhn"},
    {STMT_BANK_GET,
     .sql = "SELECT " BANK_COLS " FROM bank WHERE code = ?1"},
    /* a person and the village of the household (the scope) */
    {STMT_PAYEE_PERSON_GET,
     .sql = "SELECT " PERSON_COLS " FROM person p"
            " JOIN household h ON h.id = p.household_id WHERE p.id = ?1"},
    {STMT_PAYEE_ACCOUNT_INSERT,
     .sql = "INSERT INTO payee_account(person_id, household_id,"
            " county_code, region_code, kind, bank_code, account_sealed,"
            " account_index, account_last4, account_name, state,"
            " entered_by, entered_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
            " ?8, ?9, ?10, ?11, ?12, ?13) RETURNING id"},
    /* the number sealed for the row's id, once it is known */
    {STMT_PAYEE_ACCOUNT_SEAL,
     .sql = "UPDATE payee_account SET account_sealed = ?2 WHERE id = ?1"
            " RETURNING id"},
    {STMT_PAYEE_ACCOUNT_GET,
     .sql = "SELECT " ACCOUNT_COLS " FROM payee_account WHERE id = ?1"},
    {STMT_PAYEE_ACCOUNT_LIST,
     .sql = "SELECT " ACCOUNT_COLS " FROM payee_account"
            " WHERE person_id = ?1 ORDER BY id DESC LIMIT ?2"},
    /* the one active account (the partial unique index) */
    {STMT_PAYEE_ACCOUNT_ACTIVE,
     .sql = "SELECT " ACCOUNT_COLS " FROM payee_account"
            " WHERE person_id = ?1 AND state = 'active'"},
    {STMT_PAYEE_ACCOUNT_SHARING,
     .sql = "SELECT count(DISTINCT person_id) FROM payee_account"
            " WHERE account_index = ?1 AND person_id <> ?2"
            " AND state IN ('pending', 'active')"},
    /* a confirmation or rejection, at the version read */
    {STMT_PAYEE_ACCOUNT_DECIDE,
     .sql = "UPDATE payee_account SET state = ?3, confirmed_by = ?4,"
            " confirmed_at = ?5, reason = ?6, version = version + 1"
            " WHERE id = ?1 AND version = ?2 RETURNING version"},
    {STMT_PAYEE_ACCOUNT_SUPERSEDE,
     .sql = "UPDATE payee_account SET state = 'superseded',"
            " version = version + 1"
            " WHERE person_id = ?1 AND state = 'active' RETURNING id"},
    {STMT_PAYEE_ACCOUNT_AFTER,
     .sql = "SELECT " ACCOUNT_COLS " FROM payee_account WHERE id > ?1"
            " ORDER BY id LIMIT ?2"},
    /* an entitlement's payee, at the version read */
    {STMT_ENTITLEMENT_PAYEE_SET,
     .sql = "UPDATE entitlement SET payee_person_id = ?3,"
            " version = version + 1"
            " WHERE id = ?1 AND version = ?2 RETURNING version"},
};

const struct stmt_family store_stmts_payees = STMT_FAMILY("payees", stmts);

enum dd_status
store_bank_put(struct store_tx *tx, const struct bank_row *b)
{
    struct store_param p[] = {P_TEXT(b->code), P_TEXT(b->name),
                              P_TEXT(b->name_en), P_INT(b->passbook_luhn)};
    return store_write(tx, STMT_BANK_PUT, p, NPARAMS(p));
}

enum dd_status
store_bank_get(struct store_tx *tx, const char *code, struct bank_row *out)
{
    return store_get_by(tx, STMT_BANK_GET, KEY_TEXT(code), row_to_bank, out);
}

enum dd_status
store_payee_person_get(struct store_tx *tx, int64_t person_id,
                       struct payee_person_row *out)
{
    return store_get_by(tx, STMT_PAYEE_PERSON_GET, KEY_INT(person_id),
                        row_to_payee_person, out);
}

enum dd_status
store_payee_account_insert(struct store_tx *tx, struct payee_account_row *a)
{
    if (a->entered_at == 0)
        a->entered_at = time_now();
    struct store_param p[] = {
        P_INT(a->person_id),        P_INT(a->household_id),
        P_TEXT(a->county_code),     P_TEXT(a->region_code),
        P_TEXT(a->kind),            P_TEXT(a->bank_code),
        P_TEXT(a->account_sealed),  P_TEXT(a->account_index),
        P_TEXT(a->account_last4),   P_TEXT(a->account_name),
        P_TEXT(a->state),           P_TEXT(a->entered_by),
        P_INT(a->entered_at)};
    enum dd_status rc = store_insert_id(tx, STMT_PAYEE_ACCOUNT_INSERT, p,
                                        NPARAMS(p), &a->id);
    if (rc == DD_OK)
        a->version = 1;
    return rc;
}

enum dd_status
store_payee_account_seal(struct store_tx *tx, int64_t id, const char *sealed)
{
    struct store_param p[] = {P_INT(id), P_TEXT(sealed)};
    return store_write_one(tx, STMT_PAYEE_ACCOUNT_SEAL, p, NPARAMS(p));
}

enum dd_status
store_payee_account_get(struct store_tx *tx, int64_t id,
                        struct payee_account_row *out)
{
    return store_get_by(tx, STMT_PAYEE_ACCOUNT_GET, KEY_INT(id),
                        row_to_account, out);
}

enum dd_status
store_payee_account_list(struct store_tx *tx, int64_t person_id,
                         struct payee_account_row *out, size_t max,
                         size_t *count)
{
    return store_list_by(tx, STMT_PAYEE_ACCOUNT_LIST, KEY_INT(person_id),
                         row_to_account, out, sizeof(*out), max, count);
}

enum dd_status
store_payee_account_active(struct store_tx *tx, int64_t person_id,
                           struct payee_account_row *out)
{
    return store_get_by(tx, STMT_PAYEE_ACCOUNT_ACTIVE, KEY_INT(person_id),
                        row_to_account, out);
}

enum dd_status
store_payee_account_sharing(struct store_tx *tx, const char *account_index,
                            int64_t person_id, int64_t *count)
{
    struct store_param p[] = {P_TEXT(account_index), P_INT(person_id)};
    return store_run_int(tx, STMT_PAYEE_ACCOUNT_SHARING, p, NPARAMS(p), count);
}

enum dd_status
store_payee_account_decide(struct store_tx *tx, struct payee_account_row *a)
{
    struct store_param p[] = {P_INT(a->id),           P_INT(a->version),
                              P_TEXT(a->state),       P_TEXT(a->confirmed_by),
                              P_INT(a->confirmed_at), P_TEXT(a->reason)};
    return store_update_versioned(tx, STMT_PAYEE_ACCOUNT_DECIDE, p,
                                  NPARAMS(p), STMT_PAYEE_ACCOUNT_GET, a->id,
                                  &a->version);
}

enum dd_status
store_payee_account_supersede(struct store_tx *tx, int64_t person_id,
                              int64_t *superseded)
{
    struct store_param p[] = {P_INT(person_id)};
    enum dd_status rc = store_need_write(tx);
    *superseded = 0;
    if (rc == DD_OK)
        rc = store_run_int(tx, STMT_PAYEE_ACCOUNT_SUPERSEDE, p, NPARAMS(p),
                           superseded);
    return rc == DD_ENOTFOUND ? DD_OK : rc;
}

enum dd_status
store_payee_account_after(struct store_tx *tx, int64_t after_id,
                          struct payee_account_row *out, size_t max,
                          size_t *count)
{
    struct store_param p[] = {P_INT(after_id), P_INT(store_limit(max))};
    return store_get_many(tx, STMT_PAYEE_ACCOUNT_AFTER, p, NPARAMS(p),
                          row_to_account, out, sizeof(*out), max, count);
}

enum dd_status
store_entitlement_payee_set(struct store_tx *tx, struct entitlement_row *e)
{
    struct store_param p[] = {P_INT(e->id), P_INT(e->version),
                              P_INT(e->payee_person_id)};
    return store_update_versioned(tx, STMT_ENTITLEMENT_PAYEE_SET, p,
                                  NPARAMS(p), STMT_ENTITLEMENT_GET, e->id,
                                  &e->version);
}
