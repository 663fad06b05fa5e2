/* SPDX-License-Identifier: MIT */
/* The SQLite schema as numbered migrations, applied in order by
 * store_migrate and recorded in schema_version. Never edit an applied
 * migration: add a new one. migrations_pg.c must stay in step. */
#include "store/store_internal.h"

const struct store_migration store_migrations_sqlite[] = {
    /* 1: regions, zones, users, sessions, API tokens and the audit chain */
    {1, "reference data, accounts and audit",
     "CREATE TABLE region ("
     " code TEXT PRIMARY KEY,"
     " name TEXT NOT NULL,"
     " level TEXT NOT NULL,"
     " parent_code TEXT NOT NULL DEFAULT '');"
     "CREATE INDEX region_by_parent ON region(parent_code, code);"
     "CREATE TABLE zone_township ("
     " zone TEXT NOT NULL,"
     " zone_name TEXT NOT NULL,"
     " township_code TEXT NOT NULL,"
     " PRIMARY KEY (zone, township_code));"
     "CREATE TABLE app_user ("
     " id INTEGER PRIMARY KEY AUTOINCREMENT,"
     " username TEXT NOT NULL UNIQUE,"
     " display_name TEXT NOT NULL DEFAULT '',"
     " pw_hash TEXT NOT NULL,"
     " role TEXT NOT NULL,"
     " department TEXT NOT NULL DEFAULT '',"
     " scope TEXT NOT NULL DEFAULT '',"
     " failed_logins INTEGER NOT NULL DEFAULT 0,"
     " locked_until INTEGER NOT NULL DEFAULT 0,"
     " disabled INTEGER NOT NULL DEFAULT 0,"
     " created_at INTEGER NOT NULL);"
     "CREATE TABLE session ("
     " token_hash TEXT PRIMARY KEY,"
     " user_id INTEGER NOT NULL"
     "  REFERENCES app_user(id) ON DELETE CASCADE,"
     " csrf_token TEXT NOT NULL,"
     " created_at INTEGER NOT NULL,"
     " last_seen_at INTEGER NOT NULL);"
     "CREATE INDEX session_by_user ON session(user_id);"
     "CREATE TABLE api_token ("
     " id INTEGER PRIMARY KEY AUTOINCREMENT,"
     " name TEXT NOT NULL UNIQUE,"
     " token_hash TEXT NOT NULL UNIQUE,"
     " role TEXT NOT NULL,"
     " department TEXT NOT NULL DEFAULT '',"
     " scope TEXT NOT NULL DEFAULT '',"
     " created_at INTEGER NOT NULL,"
     " revoked INTEGER NOT NULL DEFAULT 0);"
     "CREATE TABLE audit ("
     " seq INTEGER PRIMARY KEY,"
     " at INTEGER NOT NULL,"
     " actor TEXT NOT NULL,"
     " action TEXT NOT NULL,"
     " object TEXT NOT NULL DEFAULT '',"
     " region TEXT NOT NULL DEFAULT '',"
     " request_id TEXT NOT NULL DEFAULT '',"
     " detail TEXT NOT NULL DEFAULT '',"
     " prev_hash TEXT NOT NULL,"
     " hash TEXT NOT NULL);"
     "CREATE INDEX audit_by_actor ON audit(actor, seq);"
     "CREATE INDEX audit_by_object ON audit(object, seq);"
     "CREATE INDEX audit_by_at ON audit(at);"},
    /* 2: effective-dated policy parameters, append-only: a version is
     * never updated or deleted (the triggers refuse it), only added */
    {2, "policy parameters",
     "CREATE TABLE policy_param ("
     " id INTEGER PRIMARY KEY AUTOINCREMENT,"
     " key TEXT NOT NULL,"
     " region_code TEXT NOT NULL,"
     " effective_from TEXT NOT NULL"
     "  CHECK (length(effective_from) = 10),"
     " value BIGINT NOT NULL CHECK (value >= 0),"
     " unit TEXT NOT NULL,"
     " source TEXT NOT NULL CHECK (source <> ''),"
     " confidence TEXT NOT NULL"
     "  CHECK (confidence IN ('H', 'M', 'L', 'NATIONAL-DEFAULT')),"
     " created_at INTEGER NOT NULL,"
     " created_by TEXT NOT NULL,"
     " UNIQUE (key, region_code, effective_from));"
     "CREATE TRIGGER policy_param_no_update BEFORE UPDATE ON policy_param"
     " BEGIN SELECT RAISE(ABORT, 'policy_param is append-only'); END;"
     "CREATE TRIGGER policy_param_no_delete BEFORE DELETE ON policy_param"
     " BEGIN SELECT RAISE(ABORT, 'policy_param is append-only'); END;"},
};

const size_t store_migrations_sqlite_count =
    sizeof(store_migrations_sqlite) / sizeof(store_migrations_sqlite[0]);
