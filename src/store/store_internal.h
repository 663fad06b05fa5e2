/* SPDX-License-Identifier: MIT */
/* What store.c shares with its two backends and its family files: the
 * statement numbers and their texts, the migration tables, struct
 * store_ops (the function table each backend fills in, like sqlite3_vfs)
 * and the generic query helpers the typed operations are written with.
 * Only the backends include sqlite3.h or libpq-fe.h. */
#ifndef DD_STORE_INTERNAL_H
#define DD_STORE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/status.h"
#include "core/str.h"
#include "store/store.h"

/* Every statement the typed operations run, numbered in one enum so a
 * connection caches its prepared statements in one array. The text of
 * each, with one comment per statement, is in the family file named
 * above its group. */
enum stmt {
    /* store_schema.c: health and schema */
    STMT_PING,
    STMT_INTEGRITY,
    STMT_SCHEMA_EXISTS,
    STMT_SCHEMA_VERSION,
    STMT_SCHEMA_RECORD,
    STMT_MIGRATE_LOCK,
    /* store_refdata.c: regions, zones, policy, holidays, the catalog */
    STMT_REGION_PUT,
    STMT_REGION_GET,
    STMT_REGION_CHILDREN,
    STMT_REGION_EACH,
    STMT_ZONE_PUT,
    STMT_ZONE_EACH,
    STMT_POLICY_INSERT,
    STMT_POLICY_EACH,
    STMT_HOLIDAY_PUT,
    STMT_HOLIDAY_EACH,
    STMT_CATALOG_INSERT,
    STMT_CATALOG_EACH,
    STMT_HOLIDAY_YEAR_CLEAR,
    STMT_HOLIDAY_VERSION_NEXT,
    STMT_HOLIDAY_VERSION_INSERT,
    /* store_accounts.c: users, sessions, API tokens, citizens */
    STMT_USER_INSERT,
    STMT_USER_GET,
    STMT_USER_GET_BY_NAME,
    STMT_USER_UPDATE,
    STMT_USER_LIST,
    STMT_LOGIN_FAILURE_ADD,
    STMT_LOGIN_FAILURE_LOCK,
    STMT_LOGIN_FAILURE_GET,
    STMT_LOGIN_FAILURE_ADDRESSES,
    STMT_LOGIN_FAILURE_CLEAR,
    STMT_SESSION_INSERT,
    STMT_SESSION_GET,
    STMT_SESSION_AUTH,
    STMT_SESSION_TOUCH,
    STMT_SESSION_DELETE,
    STMT_SESSION_DELETE_USER,
    STMT_API_TOKEN_INSERT,
    STMT_API_TOKEN_GET,
    STMT_CITIZEN_OTP_PUT,
    STMT_CITIZEN_OTP_ATTEMPT,
    STMT_CITIZEN_OTP_DELETE,
    STMT_CITIZEN_OTP_PURGE,
    STMT_CITIZEN_SESSION_INSERT,
    STMT_CITIZEN_SESSION_GET,
    STMT_CITIZEN_SESSION_DELETE,
    STMT_CITIZEN_SESSION_PURGE,
    STMT_OIDC_PENDING_PUT,
    STMT_OIDC_PENDING_TAKE,
    STMT_OIDC_PENDING_PURGE,
    /* store_audit.c: the audit chain */
    STMT_AUDIT_LOCK,
    STMT_AUDIT_TAIL,
    STMT_AUDIT_INSERT,
    STMT_AUDIT_LIST,
    STMT_AUDIT_LIST_COUNTY,
    STMT_AUDIT_LIST_ACTOR,
    STMT_AUDIT_LIST_OBJECT,
    STMT_AUDIT_DIGEST_INSERT,
    STMT_AUDIT_DIGEST_EACH,
    STMT_AUDIT_SEALED_EACH,
    STMT_AUDIT_DECIDED_EACH,
    /* store_households.c: the registry and the importer's bulk path */
    STMT_HOUSEHOLD_INSERT,
    STMT_HOUSEHOLD_GET,
    STMT_HOUSEHOLD_UPDATE,
    STMT_HOUSEHOLD_CONTACT_SET,
    STMT_HOUSEHOLD_DEACTIVATE_MEMBERS,
    STMT_HOUSEHOLD_LIST,
    STMT_HOUSEHOLD_LIST_DEPT,
    STMT_HOUSEHOLD_LIST_IN,
    STMT_HOUSEHOLD_BY_ID_HASH,
    STMT_HOUSEHOLD_READ,
    STMT_HOUSEHOLD_CLEAR_PERSONS,
    STMT_HOUSEHOLD_CLEAR_ASSETS,
    STMT_HOUSEHOLD_CLEAR_OBLIGORS,
    STMT_PERSON_ACTIVE_HOUSEHOLD,
    STMT_PERSON_ACTIVE_AMONG,
    STMT_PERSON_INSERT,
    STMT_PERSON_UPDATE,
    STMT_PERSON_LIST,
    STMT_PERSON_DELETE,
    STMT_PERSON_PAYMENT_REFS,
    STMT_INCOME_INSERT,
    STMT_INCOME_LIST,
    STMT_INCOME_DELETE_PERSON,
    STMT_ASSET_INSERT,
    STMT_ASSET_LIST,
    STMT_OBLIGOR_INSERT,
    STMT_OBLIGOR_LIST,
    STMT_IMPORT_CACHE,
    STMT_IMPORT_CHECKPOINT,
    STMT_IMPORT_TEMP_STORE,
    STMT_IMPORT_PERSON_INSERT,
    STMT_IMPORT_HOUSEHOLD_DELETE,
    STMT_IMPORT_HOUSEHOLD_INSERT,
    STMT_IMPORT_INCOME_INSERT,
    STMT_IMPORT_LAST_ID,
    STMT_BULK_IDS,
    STMT_BULK_NEXT_ID,
    STMT_BULK_HOUSEHOLD_INSERT,
    /* store_cases.c: applications, case items and what hangs off them */
    STMT_CASE_SEQ_NEXT,
    STMT_APPLICATION_INSERT,
    STMT_APPLICATION_GET,
    STMT_APPLICATION_BY_CASE_NO,
    STMT_APPLICATION_CITIZEN_DAY,
    STMT_APPLICATION_CITIZEN_LOCK,
    STMT_CASE_ITEM_OPEN_OF_HOUSEHOLD,
    STMT_HOUSEHOLD_UNVERIFIED,
    STMT_HOUSEHOLD_DECLARED,
    STMT_HOUSEHOLD_VERIFY,
    STMT_PERSON_ACTIVATE,
    STMT_CASE_ITEM_INSERT,
    STMT_CASE_ITEM_GET,
    STMT_CASE_ITEM_UPDATE,
    STMT_CASE_ITEM_BY_APPLICATION,
    STMT_CASE_ITEM_INBOX,
    STMT_CASE_ITEM_EXPLANATION_SET,
    STMT_CASE_ITEM_EXPLANATION_GET,
    STMT_CASE_ITEM_STEPS,
    STMT_CASE_EVENT_INSERT,
    STMT_CASE_EVENT_LIST,
    STMT_REFERRAL_INSERT,
    STMT_REFERRAL_UPDATE,
    STMT_REFERRAL_GET,
    STMT_REFERRAL_DEPT_HOUSEHOLD,
    STMT_PUBLICITY_INSERT,
    STMT_PUBLICITY_GET,
    STMT_PUBLICITY_UPDATE,
    STMT_PUBLICITY_BY_VILLAGE,
    STMT_PUBLICITY_OPEN_OF_CASE,
    STMT_OBJECTION_INSERT,
    STMT_CASE_HISTORY_HOUSEHOLD,
    STMT_CASE_HISTORY_CITIZEN,
    STMT_CASE_HISTORY_APPLICATION,
    STMT_CASE_ITEM_CALENDAR_PAGE,
    /* store_entitlements.c: the caseload (migration 16) */
    STMT_ENTITLEMENT_INSERT,
    STMT_ENTITLEMENT_GET,
    STMT_ENTITLEMENT_BY_CASE_ITEM,
    STMT_ENTITLEMENT_ACTIVE_OF_HOUSEHOLD,
    STMT_ENTITLEMENT_OF_HOUSEHOLD,
    STMT_ENTITLEMENT_UPDATE,
    STMT_ENTITLEMENT_PAGE,
    STMT_ENTITLEMENT_CHANGE_INSERT,
    STMT_ENTITLEMENT_CHANGE_LIST,
    STMT_ENTITLEMENT_AFTER,
    STMT_ENTITLEMENT_CHANGE_LAST,
    /* store_payees.c: banks, payee accounts (migration 18) */
    STMT_BANK_PUT,
    STMT_BANK_GET,
    STMT_PAYEE_PERSON_GET,
    STMT_PAYEE_ACCOUNT_INSERT,
    STMT_PAYEE_ACCOUNT_SEAL,
    STMT_PAYEE_ACCOUNT_GET,
    STMT_PAYEE_ACCOUNT_LIST,
    STMT_PAYEE_ACCOUNT_ACTIVE,
    STMT_PAYEE_ACCOUNT_SHARING,
    STMT_PAYEE_ACCOUNT_DECIDE,
    STMT_PAYEE_ACCOUNT_SUPERSEDE,
    STMT_PAYEE_ACCOUNT_AFTER,
    STMT_ENTITLEMENT_PAYEE_SET,
    /* store_payments.c: payment batches and the recovery ledger */
    STMT_PAYMENT_BATCH_INSERT,
    STMT_PAYMENT_BATCH_GET,
    STMT_PAYMENT_BATCH_LAST,
    STMT_PAYMENT_BATCH_BEFORE,
    STMT_PAYMENT_BATCH_UPDATE,
    STMT_PAYMENT_BATCH_PAGE,
    STMT_PAYMENT_BATCH_SUM,
    STMT_PAYMENT_LINE_INSERT,
    STMT_PAYMENT_LINE_INSERT_ARRAYS,
    STMT_PAYMENT_LINE_CLEAR,
    STMT_PAYMENT_LINE_GET,
    STMT_PAYMENT_LINE_PAGE,
    STMT_PAYMENT_LINE_SET_STATUS,
    STMT_PAYMENT_PAID_MONTHS,
    STMT_RECOVERY_INSERT,
    STMT_RECOVERY_GET,
    STMT_RECOVERY_UPDATE,
    STMT_RECOVERY_OF_ENTITLEMENT,
    STMT_RECOVERY_ENTRY_INSERT,
    STMT_RECOVERY_ENTRY_LIST,
    STMT_RECOVERY_BALANCE,
    STMT_RECOVERY_BALANCE_OF_ENTITLEMENT,
    STMT_RECOVERY_BALANCES,
    STMT_PAYMENT_SCAN_PAGE,
    STMT_PAYMENT_SCAN_CHANGES,
    STMT_PAYMENT_SCAN_PAID,
    /* store_reviews.c: reviews (migration 19) */
    STMT_REVIEW_INSERT,
    STMT_REVIEW_GET,
    STMT_REVIEW_OPEN_OF,
    STMT_REVIEW_UPDATE,
    STMT_REVIEW_FACTS_SET,
    STMT_REVIEW_FACTS_GET,
    STMT_REVIEW_PAGE,
    STMT_REVIEW_UNSCHEDULED,
    /* store_recoveries.c: deaths (migration 20) */
    STMT_PERSON_DEATH_INSERT,
    STMT_PERSON_DEATH_UNMARK,
    STMT_PERSON_DEATH_GET,
    STMT_PERSON_DEATH_BY_HASH,
    STMT_PERSON_DEATH_OF_HOUSEHOLD,
    STMT_PERSON_DEATH_WITHDRAW,
    STMT_PERSON_DEATH_REMARK,
    STMT_PERSON_HOUSEHOLD,
    STMT_DEATH_PAID_FROM,
    STMT_DEATH_LINE_DELETE,
    STMT_RECOVERY_PAGE,
    /* store_reports.c: the KPI cohort */
    STMT_KPI_CASE_EACH,
    /* store_payment_reports.c: the monthly report (migration 21) */
    STMT_PAYMENT_SUMMARY_BATCH,
    STMT_PAYMENT_SUMMARY_CLEAR,
    STMT_PAYMENT_SUMMARY_FILL,
    STMT_PAYMENT_SUMMARY_EACH,
    STMT_CASELOAD_MOVE_EACH,
    STMT_PAYMENT_TREND_EACH,
    /* store_payment_files.c: a batch's bank files */
    STMT_PAYFILE_LINES,
    STMT_PAYFILE_LINES_SET,
    STMT_PAYFILE_RETURN_LINES,
    STMT_PAYFILE_FAILURES,
    STMT_PAYFILE_SAME_ACCOUNT,
    STMT_PAYFILE_REISSUE_LINES,
    STMT_PAYFILE_LINE_RESOLVE,
    STMT__MAX
};

/* The text of one statement. Placeholders are ?1, ?2, ... (SQLite's
 * numbered form); the PostgreSQL backend turns them into $1, $2, ... A
 * pg text, when set, replaces the shared one on PostgreSQL. A NULL text
 * for a backend means the statement is a no-op there: it returns no rows. */
struct stmt_text {
    enum stmt id;
    const char *sql;    /* both backends, unless overridden */
    const char *sqlite; /* SQLite only; NULL = use sql */
    const char *pg;     /* PostgreSQL only; NULL = use sql */
    int sqlite_noop;    /* not needed on SQLite */
    /* PostgreSQL plans it at each run, on the tables as they are then:
     * for a statement that reads a table its transaction is growing */
    int pg_plan_each;
    /* PostgreSQL sends its rows one at a time as they are read, never
     * the whole result at once: a result that grows with the city. Its
     * reader runs no other statement in the transaction until it is done
     * (libpq has one result in flight per connection) */
    int pg_stream;
};

/* One family file's slice of the statement table, in any order. store.c
 * indexes every family once and refuses to open a store when a statement
 * has no text or two. */
struct stmt_family {
    const char *name;
    const struct stmt_text *stmts;
    size_t count;
};
#define STMT_FAMILY(name, stmts)                                               \
    {                                                                          \
        name, stmts, sizeof(stmts) / sizeof((stmts)[0])                        \
    }

extern const struct stmt_family store_stmts_schema;
extern const struct stmt_family store_stmts_refdata;
extern const struct stmt_family store_stmts_accounts;
extern const struct stmt_family store_stmts_audit;
extern const struct stmt_family store_stmts_households;
extern const struct stmt_family store_stmts_cases;
extern const struct stmt_family store_stmts_reports;
extern const struct stmt_family store_stmts_entitlements;
extern const struct stmt_family store_stmts_payees;
extern const struct stmt_family store_stmts_payments;
extern const struct stmt_family store_stmts_reviews;
extern const struct stmt_family store_stmts_recoveries;
extern const struct stmt_family store_stmts_payment_reports;
extern const struct stmt_family store_stmts_payment_files;

/* payment_line.failed for the status written (migration 25: the column
 * is status = 'failed', and the guards check it). */
#define FAILED_OF(status) "CASE WHEN " status " = 'failed' THEN 1 ELSE 0 END"

/* The SQL a backend runs for statement id (valid once a store is open):
 * PostgreSQL's (pg) or SQLite's own text, else the shared one; NULL where the
 * statement is a no-op on that backend. */
const char *store_stmt_sql(enum stmt id, int pg);
/* Whether PostgreSQL plans statement id at each run (pg_plan_each). */
int store_stmt_plan_each(enum stmt id);
/* Whether PostgreSQL streams statement id's rows (pg_stream). */
int store_stmt_stream(enum stmt id);

/* The most parameters a statement takes. */
#define STORE_MAX_PARAMS 24

enum store_ptype {
    STORE_P_TEXT,  /* text; NULL is SQL NULL */
    STORE_P_INT64, /* int64_t, bound as a 64-bit integer */
};

struct store_param {
    enum store_ptype type;
    const char *text;
    int64_t i64;
};

/* One numbered migration: a script of DDL run in one transaction. Both
 * sets are generated from migrations.def (migrations.c). */
struct store_migration {
    int version;
    const char *comment;
    const char *sql;
};

extern const struct store_migration store_migrations_sqlite[];
extern const size_t store_migrations_sqlite_count;
extern const struct store_migration store_migrations_pg[];
extern const size_t store_migrations_pg_count;

/* One connection of a backend. Its memory (ops->conn_size bytes, zeroed)
 * belongs to the pool; the backend casts it to its own struct. */
struct store_conn;
struct store_ops;

/* A result being read. It lives on the caller's stack; h and the counters
 * belong to the backend. Only one result per connection at a time. */
struct store_rows {
    const struct store_ops *ops; /* set by store.c */
    struct store_conn *conn;
    void *h;
    int row, nrows;
    int noop;
    int stream; /* PostgreSQL: rows still to come, one at a time */
};

struct store_ops {
    const char *name; /* "sqlite" or "postgresql" */
    size_t conn_size;
    const struct store_migration *migrations;
    const size_t *migration_count;

    /* Opens c (zeroed memory) on target, the URL minus "sqlite:" for
     * SQLite, the whole URL for PostgreSQL. On error c holds nothing. */
    enum dd_status (*conn_open)(struct store_conn *c, const char *target);
    void (*conn_close)(struct store_conn *c);
    /* Called when c is taken from the pool: reconnects a connection that
     * went bad and ends a transaction left open. */
    enum dd_status (*conn_check)(struct store_conn *c);

    enum dd_status (*begin)(struct store_conn *c, enum store_mode mode);
    enum dd_status (*commit)(struct store_conn *c);
    void (*rollback)(struct store_conn *c);
    /* Runs a script of statements without parameters (migrations). */
    enum dd_status (*exec)(struct store_conn *c, const char *sql);
    /* Drops every table; c is not in a transaction. */
    enum dd_status (*wipe)(struct store_conn *c);

    /* Runs statement id (prepared once per connection) with params. A
     * constraint violation is DD_ECONFLICT, here or at the first next. On
     * DD_OK the caller reads with next and must call done. */
    enum dd_status (*query)(struct store_conn *c, enum stmt id,
                            const struct store_param *params, int nparams,
                            struct store_rows *out);
    /* Moves to the next row: *has_row is 1 with a row, 0 at the end. */
    enum dd_status (*next)(struct store_rows *r, int *has_row);
    /* Columns of the current row; NULL reads as "" and 0. */
    const char *(*col_text)(struct store_rows *r, int col);
    int64_t (*col_int64)(struct store_rows *r, int col);
    void (*done)(struct store_rows *r);
    /* Runs copy_sql, a COPY ... FROM STDIN, with data (rows in COPY's
     * text format); NULL on a backend without COPY (SQLite). */
    enum dd_status (*copy_in)(struct store_conn *c, const char *copy_sql,
                              const char *data, size_t len);
    /* Listens on channel on a connection of its own to target until
     * *stop, as store_listen says (*up while listening); NULL on a
     * backend without announcements (SQLite). */
    void (*listen_run)(const char *target, const char *channel,
                       const volatile int *stop, volatile int *up,
                       store_notify_fn fn, void *ctx);
};

/* A backend's store_ops: its name and migrations, and every function
 * member set to the static function of the same name in its file (which
 * also defines its struct store_conn); copy_in and listen_run to COPY_IN
 * and LISTEN_RUN, which the file defines as its own or NULL. */
#define STORE_OPS(name_, migrations_, migration_count_)                        \
    {                                                                          \
        .name = (name_), .conn_size = sizeof(struct store_conn),               \
        .migrations = (migrations_), .migration_count = (migration_count_),    \
        .conn_open = conn_open, .conn_close = conn_close,                      \
        .conn_check = conn_check, .begin = begin, .commit = commit,            \
        .rollback = rollback, .exec = exec, .wipe = wipe, .query = query,      \
        .next = next, .col_text = col_text, .col_int64 = col_int64,            \
        .done = done, .copy_in = COPY_IN, .listen_run = LISTEN_RUN,            \
    }

extern const struct store_ops store_sqlite_ops;
extern const struct store_ops store_pg_ops;

/* ---- what the family files are written with (store.c) ---- */

#define P_TEXT(s)                                                              \
    {                                                                          \
        .type = STORE_P_TEXT, .text = (s)                                      \
    }
#define P_INT(v)                                                               \
    {                                                                          \
        .type = STORE_P_INT64, .i64 = (v)                                      \
    }
#define NPARAMS(a) ((int)(sizeof(a) / sizeof((a)[0])))
/* One parameter as a value: the key of the *_by helpers below. */
#define KEY_TEXT(s) ((struct store_param)P_TEXT(s))
#define KEY_INT(v) ((struct store_param)P_INT(v))

/* Reads the columns of the current row in order: a mapper names each field
 * once, in the order of its statement's column list, and never a column
 * number. NULL reads as "" and 0. */
struct col_cursor {
    struct store_rows *r;
    int col;
};

static inline int64_t
cur_int(struct col_cursor *c)
{
    return c->r->ops->col_int64(c->r, c->col++);
}

/* Valid until the row moves on. */
static inline const char *
cur_text(struct col_cursor *c)
{
    return c->r->ops->col_text(c->r, c->col++);
}

static inline void
cur_copy(struct col_cursor *c, char *dst, size_t cap)
{
    str_copy(dst, cap, cur_text(c));
}

/* The next column into the char array field, cut to fit. */
#define CUR_TEXT(c, field) cur_copy((c), (field), sizeof(field))

/* A row mapper: fills out (zeroed first) from the cursor's columns. One
 * per entity, named row_to_<entity>. */
typedef void (*row_map_fn)(struct col_cursor *c, void *out);

/* Most mappers are a list of the fields their statement's columns fill,
 * one COL per column in the order of the *_COLS text beside it:
 *
 *     ROW_MAPPER(row_to_region, struct region, COL(code), COL(name),
 *                COL(level), COL(parent_code))
 *
 * defines row_to_region, which zeroes a struct region and reads the next
 * four columns into those fields. COL reads the field's kind from its
 * type: an int, an int64_t, or a char array (copied, cut to fit); any
 * other type does not compile. */
enum col_kind { COL_INT, COL_INT64, COL_TEXT };

struct col_field {
    size_t offset;
    size_t size; /* of the field: a char array's capacity */
    enum col_kind kind;
};

/* Reads the next n columns into the fields cols names in out. */
void cur_fields(struct col_cursor *c, void *out, const struct col_field *cols,
                size_t n);

#define ROW_MAPPER(name, type, ...)                                            \
    static void name(struct col_cursor *c, void *out)                          \
    {                                                                          \
        typedef type col_row;                                                  \
        col_row *col_out = out;                                                \
        static const struct col_field cols[] = {__VA_ARGS__};                  \
        memset(col_out, 0, sizeof(*col_out));                                  \
        cur_fields(c, col_out, cols, sizeof(cols) / sizeof(cols[0]));          \
    }
/* The field of ROW_MAPPER's type that the next column fills. */
#define COL(field)                                                             \
    {                                                                          \
        offsetof(col_row, field), sizeof(col_out->field),                      \
            _Generic(col_out->field, int: COL_INT, int64_t: COL_INT64,         \
                     char *: COL_TEXT)                                         \
    }

/* Sees one row; a non-zero return stops the walk. */
typedef int (*row_visit_fn)(struct col_cursor *c, void *arg);
/* Any typed callback (store_region_fn, ...), cast back by an each_call_fn
 * that knows its type. */
typedef void (*store_any_fn)(void);
typedef int (*each_call_fn)(store_any_fn fn, const void *row, void *ctx);

/* Defines name, the each_call_fn that calls fn as the typed callback
 * fn_type (store_region_fn, ...) it is. */
#define EACH_CALL(name, fn_type)                                               \
    static int name(store_any_fn fn, const void *row, void *ctx)               \
    {                                                                          \
        return ((fn_type)fn)(row, ctx);                                        \
    }

/* Defines the public walk name(tx, fn, ctx) of a statement without
 * parameters: each row of stmt, read by map into a struct type, is handed
 * to fn (of type fn_type) until it returns non-zero. */
#define STORE_EACH_FN(name, fn_type, stmt, type, map)                          \
    EACH_CALL(name##_call, fn_type)                                            \
    enum dd_status name(struct store_tx *tx, fn_type fn, void *ctx)            \
    {                                                                          \
        type row;                                                              \
        return store_each(tx, stmt, NULL, 0, map, &row, name##_call,           \
                          (store_any_fn)fn, ctx);                              \
    }

/* Whether tx's backend loads rows by COPY (store_copy_in). */
int store_tx_copies(const struct store_tx *tx);
/* Runs copy_sql (COPY t(columns) FROM STDIN) with data, rows in COPY's
 * text format, on a write transaction; a unique or foreign key refused is
 * DD_ECONFLICT, and the transaction is then aborted. DD_EINTERNAL where
 * the backend has no COPY. */
enum dd_status store_copy_in(struct store_tx *tx, const char *copy_sql,
                             const char *data, size_t len) DD_WUR;
/* Appends p[0..n) to b as one row of COPY's text format; the columns in
 * null_if_zero (a bit each) are NULL when 0, as NULLIF(?, 0) makes them
 * in an INSERT. */
struct buf;
enum dd_status store_copy_row(struct buf *b, const struct store_param *p, int n,
                              unsigned null_if_zero) DD_WUR;

/* Runs statement id; the caller reads r with next and must call done. */
enum dd_status store_query(struct store_tx *tx, enum stmt id,
                           const struct store_param *p, int n,
                           struct store_rows *r) DD_WUR;
/* Runs id and hands each row to visit until it returns non-zero. The one
 * loop over rows that the helpers below share. */
enum dd_status store_walk(struct store_tx *tx, enum stmt id,
                          const struct store_param *p, int n,
                          row_visit_fn visit, void *arg) DD_WUR;
/* Runs id, reading no rows it returns. */
enum dd_status store_run(struct store_tx *tx, enum stmt id,
                         const struct store_param *p, int n) DD_WUR;
/* Runs id and reads column 0 of its first row; DD_ENOTFOUND without one. */
enum dd_status store_run_int(struct store_tx *tx, enum stmt id,
                             const struct store_param *p, int n,
                             int64_t *out) DD_WUR;
/* DD_EINTERNAL (logged) on a read transaction: a write there is a
 * caller's bug, and would fail late and differently on each backend. */
enum dd_status store_need_write(struct store_tx *tx) DD_WUR;
/* store_run on a write transaction. */
enum dd_status store_write(struct store_tx *tx, enum stmt id,
                           const struct store_param *p, int n) DD_WUR;
/* A write whose RETURNING row says it found its row: DD_ENOTFOUND when
 * it gives none. */
enum dd_status store_write_one(struct store_tx *tx, enum stmt id,
                               const struct store_param *p, int n) DD_WUR;
/* An INSERT ... RETURNING id on a write transaction; no row returned is
 * DD_ESTORE. */
enum dd_status store_insert_id(struct store_tx *tx, enum stmt id,
                               const struct store_param *p, int n,
                               int64_t *out) DD_WUR;
/* An optimistic update: id's RETURNING row gives the new *version. No
 * row is DD_ECONFLICT when statement get (by row_id) finds the row at
 * another version, DD_ENOTFOUND when it finds none. */
enum dd_status store_update_versioned(struct store_tx *tx, enum stmt id,
                                      const struct store_param *p, int n,
                                      enum stmt get, int64_t row_id,
                                      int64_t *version) DD_WUR;
/* Maps the first row into out; DD_ENOTFOUND when there is none. */
enum dd_status store_get_one(struct store_tx *tx, enum stmt id,
                             const struct store_param *p, int n,
                             row_map_fn map, void *out) DD_WUR;
/* Maps at most max rows into out, elem_size bytes apart; sets *count. */
enum dd_status store_get_many(struct store_tx *tx, enum stmt id,
                              const struct store_param *p, int n,
                              row_map_fn map, void *out, size_t elem_size,
                              size_t max, size_t *count) DD_WUR;
/* Maps each row into row and calls call(fn, row, ctx), stopping at its
 * first non-zero return: the shape of every store_*_each walk. */
enum dd_status store_each(struct store_tx *tx, enum stmt id,
                          const struct store_param *p, int n,
                          row_map_fn map, void *row, each_call_fn call,
                          store_any_fn fn, void *ctx) DD_WUR;
/* The shapes of most typed operations, for a statement whose one
 * parameter is key: store_get_one, store_write and store_write_one with
 * it, and store_get_many with it and then the LIMIT max (?1, ?2). */
enum dd_status store_get_by(struct store_tx *tx, enum stmt id,
                            struct store_param key, row_map_fn map,
                            void *out) DD_WUR;
enum dd_status store_write_by(struct store_tx *tx, enum stmt id,
                              struct store_param key) DD_WUR;
enum dd_status store_write_one_by(struct store_tx *tx, enum stmt id,
                                  struct store_param key) DD_WUR;
enum dd_status store_list_by(struct store_tx *tx, enum stmt id,
                             struct store_param key, row_map_fn map, void *out,
                             size_t elem_size, size_t max,
                             size_t *count) DD_WUR;
/* A LIMIT from a size_t, clamped to what SQL takes. */
int64_t store_limit(size_t max);
/* Whether tx may write. */
int store_tx_writes(const struct store_tx *tx);
/* Runs a script of DDL on tx's connection (migrations). */
enum dd_status store_tx_exec(struct store_tx *tx, const char *sql) DD_WUR;
/* The backend st runs on. */
const struct store_ops *store_ops_of(const struct store *st);

#endif
