/* SPDX-License-Identifier: MIT */
/* Health and schema: the ping and the engine's consistency check, the
 * schema version, and store_migrate, which applies the numbered
 * migrations of migrations.def in one transaction. */
#include "store/store.h"

#include "core/log.h"
#include "core/timeutil.h"
#include "store/store_internal.h"

static const struct stmt_text stmts[] = {
    /* the health check */
    {STMT_PING, .sql = "SELECT 1"},
    /* the engine's own consistency check: "ok", or the first problem.
     * PostgreSQL checks pages itself as it reads them (and checksums when
     * the cluster has them); there it reads every row of every table in
     * the schema once, as SQLite's quick_check does (the registry's and
     * any table a later migration adds), one query per table through
     * query_to_xml since a table name cannot be a parameter */
    {STMT_INTEGRITY,
     .sqlite = "PRAGMA quick_check(1)",
     .pg = "SELECT CASE WHEN count(*) > 0 AND bool_and(query_to_xml("
           "format('SELECT count(t.*) FROM %I.%I t', schemaname,"
           " tablename), false, true, '') IS NOT NULL) THEN 'ok' END"
           " FROM pg_catalog.pg_tables"
           " WHERE schemaname = current_schema()"},
    /* 1 when the schema_version table exists */
    {STMT_SCHEMA_EXISTS,
     .sqlite = "SELECT count(*) FROM sqlite_schema"
               " WHERE type = 'table' AND name = 'schema_version'",
     .pg = "SELECT count(*) FROM pg_catalog.pg_tables"
           " WHERE schemaname = current_schema()"
           " AND tablename = 'schema_version'"},
    /* the newest applied migration */
    {STMT_SCHEMA_VERSION,
     .sql = "SELECT coalesce(max(version), 0) FROM schema_version"},
    /* records one applied migration */
    {STMT_SCHEMA_RECORD,
     .sql = "INSERT INTO schema_version(version, applied_at)"
            " VALUES (?1, ?2)"},
    /* serialises migrators (SQLite: BEGIN IMMEDIATE already does) */
    {STMT_MIGRATE_LOCK, .pg = "SELECT pg_advisory_xact_lock(4470831001)",
     .sqlite_noop = 1},
};

const struct stmt_family store_stmts_schema = STMT_FAMILY("schema", stmts);

static const char schema_version_ddl[] =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " version INTEGER PRIMARY KEY,"
    " applied_at BIGINT NOT NULL)";

enum dd_status
store_ping(struct store_tx *tx)
{
    int64_t v = 0;
    enum dd_status rc = store_run_int(tx, STMT_PING, NULL, 0, &v);
    if (rc == DD_OK && v != 1)
        rc = DD_ESTORE;
    return rc;
}

static void
row_to_verdict(struct col_cursor *c, void *out)
{
    cur_copy(c, out, 256);
}

enum dd_status
store_integrity_check(struct store_tx *tx, char verdict[256])
{
    return store_get_one(tx, STMT_INTEGRITY, NULL, 0, row_to_verdict,
                         verdict);
}

static enum dd_status
version_read(struct store_tx *tx, int *out)
{
    int64_t v = 0;
    enum dd_status rc;

    *out = 0;
    rc = store_run_int(tx, STMT_SCHEMA_EXISTS, NULL, 0, &v);
    if (rc != DD_OK || v == 0)
        return rc;
    rc = store_run_int(tx, STMT_SCHEMA_VERSION, NULL, 0, &v);
    if (rc == DD_OK)
        *out = (int)v;
    return rc;
}

enum dd_status
store_schema_version(struct store *st, int *out)
{
    struct store_tx *tx = NULL;
    enum dd_status rc;

    *out = 0;
    rc = store_tx_begin(st, STORE_READ, &tx);
    if (rc != DD_OK)
        return rc;
    rc = version_read(tx, out);
    if (rc != DD_OK)
        goto out;
    rc = store_tx_commit(tx);
    tx = NULL;
out:
    store_tx_rollback(tx);
    return rc;
}

enum dd_status
store_migrate(struct store *st, int *from, int *to)
{
    const struct store_ops *ops = store_ops_of(st);
    const struct store_migration *m = ops->migrations;
    size_t count = *ops->migration_count;
    struct store_tx *tx = NULL;
    enum dd_status rc;
    int cur = 0;

    *from = *to = 0;
    rc = store_tx_begin(st, STORE_WRITE, &tx);
    if (rc != DD_OK)
        return rc;
    /* one migrator at a time, then everything in one transaction */
    rc = store_run(tx, STMT_MIGRATE_LOCK, NULL, 0);
    if (rc != DD_OK)
        goto out;
    rc = store_tx_exec(tx, schema_version_ddl);
    if (rc != DD_OK)
        goto out;
    rc = version_read(tx, &cur);
    if (rc != DD_OK)
        goto out;
    *from = *to = cur;
    for (size_t i = 0; i < count; i++) {
        if (m[i].version <= cur)
            continue;
        rc = store_tx_exec(tx, m[i].sql);
        if (rc != DD_OK) {
            log_error("store: migration %d failed", m[i].version);
            goto out;
        }
        struct store_param p[] = {P_INT(m[i].version), P_INT(time_now())};
        rc = store_run(tx, STMT_SCHEMA_RECORD, p, NPARAMS(p));
        if (rc != DD_OK)
            goto out;
        cur = m[i].version;
    }
    rc = store_tx_commit(tx);
    tx = NULL;
    if (rc != DD_OK)
        goto out;
    if (cur != *from)
        log_info("store: migrated %s schema from %d to %d", ops->name, *from,
                 cur);
    *to = cur;
out:
    store_tx_rollback(tx);
    return rc;
}
