/* SPDX-License-Identifier: MIT */
/* What store.c shares with its two backends: the statement table, the
 * migration tables and struct store_ops, the function table each backend
 * fills in (like sqlite3_vfs). The typed operations are written once in
 * store.c on top of it; only the backends include sqlite3.h or libpq-fe.h. */
#ifndef DD_STORE_INTERNAL_H
#define DD_STORE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "store/store.h"

/* Every statement the typed operations run. The text of each is in
 * store_stmts[] (store.c), one comment per statement. */
enum stmt {
    STMT_PING,
    STMT_INTEGRITY,
    STMT_SCHEMA_EXISTS,
    STMT_SCHEMA_VERSION,
    STMT_SCHEMA_RECORD,
    STMT_MIGRATE_LOCK,
    STMT_REGION_PUT,
    STMT_REGION_GET,
    STMT_REGION_CHILDREN,
    STMT_REGION_EACH,
    STMT_ZONE_PUT,
    STMT_ZONE_EACH,
    STMT_USER_INSERT,
    STMT_USER_GET,
    STMT_USER_GET_BY_NAME,
    STMT_USER_UPDATE,
    STMT_USER_LIST,
    STMT_SESSION_INSERT,
    STMT_SESSION_GET,
    STMT_SESSION_AUTH,
    STMT_SESSION_TOUCH,
    STMT_SESSION_DELETE,
    STMT_SESSION_DELETE_USER,
    STMT_API_TOKEN_INSERT,
    STMT_API_TOKEN_GET,
    STMT_AUDIT_LOCK,
    STMT_AUDIT_TAIL,
    STMT_AUDIT_INSERT,
    STMT_AUDIT_LIST,
    STMT_AUDIT_LIST_ACTOR,
    STMT_AUDIT_LIST_OBJECT,
    STMT_POLICY_INSERT,
    STMT_POLICY_EACH,
    STMT_HOUSEHOLD_INSERT,
    STMT_HOUSEHOLD_GET,
    STMT_HOUSEHOLD_UPDATE,
    STMT_HOUSEHOLD_DEACTIVATE_MEMBERS,
    STMT_HOUSEHOLD_LIST,
    STMT_HOUSEHOLD_BY_ID_HASH,
    STMT_HOUSEHOLD_CLEAR_PERSONS,
    STMT_HOUSEHOLD_CLEAR_ASSETS,
    STMT_HOUSEHOLD_CLEAR_OBLIGORS,
    STMT_PERSON_ACTIVE_HOUSEHOLD,
    STMT_PERSON_INSERT,
    STMT_PERSON_LIST,
    STMT_PERSON_DELETE,
    STMT_INCOME_INSERT,
    STMT_INCOME_LIST,
    STMT_ASSET_INSERT,
    STMT_ASSET_LIST,
    STMT_OBLIGOR_INSERT,
    STMT_OBLIGOR_LIST,
    STMT_HOLIDAY_PUT,
    STMT_HOLIDAY_EACH,
    STMT_CITIZEN_OTP_PUT,
    STMT_CITIZEN_OTP_ATTEMPT,
    STMT_CITIZEN_OTP_DELETE,
    STMT_CITIZEN_OTP_PURGE,
    STMT_CITIZEN_SESSION_INSERT,
    STMT_CITIZEN_SESSION_GET,
    STMT_CITIZEN_SESSION_DELETE,
    STMT_CITIZEN_SESSION_PURGE,
    STMT_HOUSEHOLD_READ,
    STMT_HOUSEHOLD_LIST_IN,
    STMT_PERSON_UPDATE,
    STMT_INCOME_DELETE_PERSON,
    STMT_IMPORT_CACHE,
    STMT_IMPORT_CHECKPOINT,
    STMT_IMPORT_TEMP_STORE,
    STMT_IMPORT_PERSON_INSERT,
    STMT_IMPORT_HOUSEHOLD_DELETE,
    STMT_IMPORT_HOUSEHOLD_INSERT,
    STMT_IMPORT_INCOME_INSERT,
    STMT_IMPORT_LAST_ID,
    /* intake and case handling (migration 7) */
    STMT_CATALOG_INSERT,
    STMT_CATALOG_EACH,
    STMT_CASE_SEQ_NEXT,
    STMT_APPLICATION_INSERT,
    STMT_APPLICATION_GET,
    STMT_APPLICATION_BY_CASE_NO,
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
    STMT_ENTITLEMENT_INSERT,
    STMT_ENTITLEMENT_BY_CASE_ITEM,
    STMT_ENTITLEMENT_ACTIVE_OF_HOUSEHOLD,
    STMT_PUBLICITY_INSERT,
    STMT_PUBLICITY_GET,
    STMT_PUBLICITY_UPDATE,
    STMT_PUBLICITY_BY_VILLAGE,
    STMT_PUBLICITY_OPEN_OF_CASE,
    STMT_OBJECTION_INSERT,
    STMT_KPI_CASE_EACH,
    STMT_CASE_HISTORY_HOUSEHOLD,
    STMT_CASE_HISTORY_CITIZEN,
    STMT_CASE_HISTORY_APPLICATION,
    STMT__MAX
};

/* The text of one statement. Placeholders are ?1, ?2, ... (SQLite's
 * numbered form); the PostgreSQL backend turns them into $1, $2, ... A
 * pg text, when set, replaces the shared one on PostgreSQL. A NULL text
 * for a backend means the statement is a no-op there: it returns no rows. */
struct stmt_text {
    const char *sql;    /* both backends, unless overridden */
    const char *sqlite; /* SQLite only; NULL = use sql */
    const char *pg;     /* PostgreSQL only; NULL = use sql */
    int sqlite_noop;    /* not needed on SQLite */
};

extern const struct stmt_text store_stmts[STMT__MAX];

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
};

extern const struct store_ops store_sqlite_ops;
extern const struct store_ops store_pg_ops;

#endif
