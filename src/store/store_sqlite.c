/* SPDX-License-Identifier: MIT */
/* The SQLite backend: one sqlite3 handle per pooled connection, WAL with
 * synchronous=FULL so an acknowledged write survives a crash or power loss,
 * and each statement prepared once per connection, then reset and bound. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/log.h"
#include "store/store_internal.h"

#define BUSY_TIMEOUT_MS 5000
#define PATH_MAX_LEN 4096

/* Transaction control, prepared once per connection like every other
 * statement rather than parsed anew by sqlite3_exec on every request. */
enum tx_stmt { TX_BEGIN, TX_BEGIN_IMMEDIATE, TX_COMMIT, TX_ROLLBACK, TX__MAX };
static const char *const tx_sql[TX__MAX] = {
    [TX_BEGIN] = "BEGIN",
    [TX_BEGIN_IMMEDIATE] = "BEGIN IMMEDIATE",
    [TX_COMMIT] = "COMMIT",
    [TX_ROLLBACK] = "ROLLBACK",
};

struct store_conn {
    sqlite3 *db;
    sqlite3_stmt *stmts[STMT__MAX];
    sqlite3_stmt *tx[TX__MAX];
};

/* Maps an SQLite result code to a status, logging the engine's message
 * (never parameter values: SQLite's messages do not carry them). */
static enum dd_status
fail(struct store_conn *c, int rc, const char *what)
{
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return DD_ECONFLICT;
    if ((rc & 0xff) == SQLITE_NOMEM)
        return DD_ENOMEM;
    log_error("store: sqlite %s: %s (%d)", what,
              c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc), rc);
    return DD_ESTORE;
}

static enum dd_status
exec(struct store_conn *c, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, &err);
    if (rc == SQLITE_OK)
        return DD_OK;
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        sqlite3_free(err);
        return DD_ECONFLICT;
    }
    log_error("store: sqlite exec: %s (%d)", err ? err : sqlite3_errstr(rc),
              rc);
    sqlite3_free(err);
    return (rc & 0xff) == SQLITE_NOMEM ? DD_ENOMEM : DD_ESTORE;
}

/* Creates the directories above path (mode 0700: the database holds
 * personal data) and, when it does not exist, the file itself as 0600
 * before SQLite would create it with the umask's mode. An existing file is
 * never opened here: closing any descriptor of a file drops every POSIX
 * lock the process holds on it, the locks of the connections already open
 * included, and another process would then take the database for unused,
 * checkpoint it and delete the WAL the server still writes to (SQLite's
 * "How To Corrupt", 2.2). */
static enum dd_status
prepare_path(const char *path)
{
    char dir[PATH_MAX_LEN];
    size_t len = strlen(path);

    if (strcmp(path, ":memory:") == 0)
        return DD_OK;
    if (len >= sizeof(dir))
        return DD_EINVAL;
    memcpy(dir, path, len + 1);
    for (size_t i = 1; i < len; i++) {
        if (dir[i] != '/')
            continue;
        dir[i] = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
            log_error("store: cannot create the database directory: %s",
                      strerror(errno));
            return DD_ESTORE;
        }
        dir[i] = '/';
    }
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return DD_OK;
        log_error("store: cannot create the database file: %s",
                  strerror(errno));
        return DD_ESTORE;
    }
    close(fd);
    return DD_OK;
}

static void
conn_close(struct store_conn *c)
{
    for (int i = 0; i < STMT__MAX; i++) {
        sqlite3_finalize(c->stmts[i]);
        c->stmts[i] = NULL;
    }
    for (int i = 0; i < TX__MAX; i++) {
        sqlite3_finalize(c->tx[i]);
        c->tx[i] = NULL;
    }
    sqlite3_close(c->db);
    c->db = NULL;
}

/* Process-wide SQLite settings, before its first use: no memory-usage
 * statistics, whose global mutex every allocation would take (it showed
 * as a futex per request under load), and multi-thread mode, since a
 * connection is only ever used by the thread holding it from the pool. */
static void
configure_once(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
}

static enum dd_status
conn_open(struct store_conn *c, const char *path)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    sqlite3_stmt *jm = NULL;
    enum dd_status rc;
    int src;

    pthread_once(&once, configure_once);
    rc = prepare_path(path);
    if (rc != DD_OK)
        return rc;
    src = sqlite3_open_v2(path, &c->db,
                          SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                              SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                          NULL);
    if (src != SQLITE_OK) {
        rc = fail(c, src, "open");
        goto out;
    }
    sqlite3_extended_result_codes(c->db, 1);
    sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
    /* refuse schema tricks: no writable_schema, no functions with side
     * effects from triggers and views */
    sqlite3_db_config(c->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(c->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    rc = exec(c, "PRAGMA busy_timeout = 5000;"
                 " PRAGMA trusted_schema = OFF;"
                 " PRAGMA foreign_keys = ON;"
                 " PRAGMA synchronous = FULL;"
                 /* 32 MiB of pages (the default is 2): a bulk import's
                  * index pages stay in memory between its commits */
                 " PRAGMA cache_size = -32768;"
                 " PRAGMA mmap_size = 2147418112");
    if (rc != DD_OK)
        goto out;
    src = sqlite3_prepare_v2(c->db, "PRAGMA journal_mode = WAL", -1, &jm, NULL);
    if (src == SQLITE_OK)
        src = sqlite3_step(jm);
    if (src != SQLITE_ROW) {
        rc = fail(c, src, "journal_mode");
        goto out;
    }
    const char *mode = (const char *)sqlite3_column_text(jm, 0);
    if (!mode || (strcmp(mode, "wal") != 0 && strcmp(mode, "memory") != 0)) {
        log_error("store: sqlite refused WAL mode (%s)", mode ? mode : "?");
        rc = DD_ESTORE;
        goto out;
    }
out:
    sqlite3_finalize(jm);
    if (rc != DD_OK)
        conn_close(c);
    return rc;
}

/* Runs one transaction-control statement, preparing it on first use. */
static enum dd_status
tx_exec(struct store_conn *c, enum tx_stmt which)
{
    int src;
    if (!c->tx[which]) {
        src = sqlite3_prepare_v3(c->db, tx_sql[which], -1,
                                 SQLITE_PREPARE_PERSISTENT, &c->tx[which],
                                 NULL);
        if (src != SQLITE_OK)
            return fail(c, src, tx_sql[which]);
    }
    src = sqlite3_step(c->tx[which]);
    sqlite3_reset(c->tx[which]);
    if (src != SQLITE_DONE)
        return fail(c, src, tx_sql[which]);
    return DD_OK;
}

static enum dd_status
conn_check(struct store_conn *c)
{
    /* a transaction left open by a crash in a caller would hold the lock */
    if (!sqlite3_get_autocommit(c->db))
        return tx_exec(c, TX_ROLLBACK);
    return DD_OK;
}

static enum dd_status
begin(struct store_conn *c, enum store_mode mode)
{
    /* IMMEDIATE takes the write lock now (waiting up to the busy timeout),
     * so writers queue here instead of failing at their first write; one
     * statement reads in a transaction of its own */
    if (mode == STORE_READ_ONE)
        return DD_OK;
    return tx_exec(c, mode == STORE_WRITE ? TX_BEGIN_IMMEDIATE : TX_BEGIN);
}

static enum dd_status
commit(struct store_conn *c)
{
    return tx_exec(c, TX_COMMIT);
}

static void
rollback(struct store_conn *c)
{
    if (!sqlite3_get_autocommit(c->db))
        (void)tx_exec(c, TX_ROLLBACK);
}

/* Drops one object named name of kind ("TABLE" or "VIEW"). The name comes
 * from sqlite_schema, not from a caller, and is quoted as an identifier:
 * DDL cannot take a bound parameter. */
static enum dd_status
drop_one(struct store_conn *c, const char *kind, const char *name)
{
    struct buf q;
    enum dd_status rc;

    buf_init(&q, 1024);
    rc = buf_puts(&q, "DROP ");
    if (rc == DD_OK)
        rc = buf_puts(&q, kind);
    if (rc == DD_OK)
        rc = buf_puts(&q, " IF EXISTS \"");
    for (const char *p = name; rc == DD_OK && *p; p++) {
        rc = buf_append(&q, p, 1);
        if (rc == DD_OK && *p == '"')
            rc = buf_append(&q, p, 1);
    }
    if (rc == DD_OK)
        rc = buf_puts(&q, "\"");
    if (rc == DD_OK)
        rc = exec(c, q.data);
    buf_free(&q);
    return rc;
}

static enum dd_status
wipe(struct store_conn *c)
{
    static const char next_sql[] =
        "SELECT type, name FROM sqlite_schema"
        " WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%'"
        " ESCAPE '\\' ORDER BY type = 'view' DESC LIMIT 1";
    sqlite3_stmt *q = NULL;
    enum dd_status rc;
    char kind[8], name[256];

    /* dropping a parent before its children must not trip the keys */
    rc = exec(c, "PRAGMA foreign_keys = OFF");
    if (rc != DD_OK)
        return rc;
    rc = exec(c, "BEGIN IMMEDIATE");
    if (rc != DD_OK)
        goto out;
    int src = sqlite3_prepare_v2(c->db, next_sql, -1, &q, NULL);
    if (src != SQLITE_OK) {
        rc = fail(c, src, "prepare");
        goto out;
    }
    for (int guard = 0; guard < 10000; guard++) {
        src = sqlite3_step(q);
        if (src == SQLITE_DONE)
            break;
        if (src != SQLITE_ROW) {
            rc = fail(c, src, "wipe");
            goto out;
        }
        const char *t = (const char *)sqlite3_column_text(q, 0);
        const char *n = (const char *)sqlite3_column_text(q, 1);
        if (!t || !n || strlen(n) >= sizeof(name)) {
            rc = DD_ESTORE;
            goto out;
        }
        memcpy(kind, strcmp(t, "view") == 0 ? "VIEW" : "TABLE", 6);
        memcpy(name, n, strlen(n) + 1);
        /* the statement must be idle before the schema changes */
        sqlite3_reset(q);
        rc = drop_one(c, kind, name);
        if (rc != DD_OK)
            goto out;
    }
    sqlite3_finalize(q);
    q = NULL;
    rc = exec(c, "COMMIT");
out:
    sqlite3_finalize(q);
    if (rc != DD_OK)
        rollback(c);
    if (exec(c, "PRAGMA foreign_keys = ON") != DD_OK && rc == DD_OK)
        rc = DD_ESTORE;
    return rc;
}

static enum dd_status
query(struct store_conn *c, enum stmt id, const struct store_param *params,
      int nparams, struct store_rows *out)
{
    const char *sql = store_stmt_sql(id, 0);
    int src = SQLITE_OK;

    if (!sql) {
        out->noop = 1;
        return DD_OK;
    }
    if (!c->stmts[id]) {
        src = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                                 &c->stmts[id], NULL);
        if (src != SQLITE_OK) {
            c->stmts[id] = NULL;
            return fail(c, src, "prepare");
        }
    }
    sqlite3_stmt *s = c->stmts[id];
    for (int i = 0; i < nparams && src == SQLITE_OK; i++) {
        const struct store_param *p = &params[i];
        if (p->type == STORE_P_INT64)
            src = sqlite3_bind_int64(s, i + 1, p->i64);
        else if (p->text)
            src = sqlite3_bind_text(s, i + 1, p->text, -1, SQLITE_TRANSIENT);
        else
            src = sqlite3_bind_null(s, i + 1);
    }
    if (src != SQLITE_OK) {
        sqlite3_clear_bindings(s);
        return fail(c, src, "bind");
    }
    out->h = s;
    return DD_OK;
}

static enum dd_status
next(struct store_rows *r, int *has_row)
{
    *has_row = 0;
    if (r->noop)
        return DD_OK;
    int src = sqlite3_step(r->h);
    if (src == SQLITE_ROW) {
        *has_row = 1;
        return DD_OK;
    }
    if (src == SQLITE_DONE)
        return DD_OK;
    return fail(r->conn, src, "step");
}

static const char *
col_text(struct store_rows *r, int col)
{
    const unsigned char *s = sqlite3_column_text(r->h, col);
    return s ? (const char *)s : "";
}

static int64_t
col_int64(struct store_rows *r, int col)
{
    return sqlite3_column_int64(r->h, col);
}

static void
done(struct store_rows *r)
{
    if (r->noop || !r->h)
        return;
    sqlite3_reset(r->h);
    sqlite3_clear_bindings(r->h);
    r->h = NULL;
}

/* SQLite has no COPY: its bulk paths insert row by row through a
 * prepared statement, which costs it no round trip. */
#define COPY_IN NULL
/* ... nor announcements: one process writes a SQLite file, and whatever
 * it caches it can forget itself */
#define LISTEN_RUN NULL

const struct store_ops store_sqlite_ops =
    STORE_OPS("sqlite", store_migrations_sqlite, &store_migrations_sqlite_count);
