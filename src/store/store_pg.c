/* SPDX-License-Identifier: MIT */
/* The PostgreSQL backend on libpq: one PGconn per pooled connection, each
 * statement prepared once per connection with typed parameters (64-bit
 * integers sent in binary) unless its text asks to be planned at each
 * run, and a bad connection reconnected when it is taken from the pool. */
#include <endian.h>
#include <errno.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "store/store_internal.h"

/* Type OIDs from pg_type.h, which is a server header. */
#define INT8OID 20
#define TEXTOID 25

#define SQL_MAX_LEN 4096

struct store_conn {
    PGconn *pg;
    unsigned char prepared[STMT__MAX];
};

/* libpq prints NOTICEs ("relation already exists, skipping") to stderr by
 * default; they are not errors and would break the JSON log. */
static void
quiet(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

/* Logs the server's primary message only: DETAIL may quote row values,
 * e.g. "Key (username)=(...) already exists". */
static enum dd_status
result_fail(struct store_conn *c, PGresult *res, const char *what)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg =
        res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;

    /* class 23: integrity constraint violations (23505 unique) */
    if (state && strncmp(state, "23", 2) == 0)
        return DD_ECONFLICT;
    if (!msg)
        msg = PQerrorMessage(c->pg);
    log_error("store: postgresql %s: %.*s (%s)", what, (int)strcspn(msg, "\n"),
              msg, state ? state : "no sqlstate");
    return DD_ESTORE;
}

static enum dd_status
exec(struct store_conn *c, const char *sql)
{
    enum dd_status rc = DD_OK;
    PGresult *res = PQexec(c->pg, sql);
    ExecStatusType s = PQresultStatus(res);
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
        rc = result_fail(c, res, "exec");
    PQclear(res);
    return rc;
}

static void
conn_close(struct store_conn *c)
{
    PQfinish(c->pg);
    c->pg = NULL;
}

/* Settings every fresh or reset connection gets. No JIT: Doudi's
 * statements are short and prepared, and a plan whose estimate passes
 * jit_above_cost (a per-line lookup over a county's batch does) was
 * compiled again at each execution, 15 ms against the 23 ms of the
 * query itself. */
static enum dd_status
conn_setup(struct store_conn *c)
{
    memset(c->prepared, 0, sizeof(c->prepared));
    PQsetNoticeProcessor(c->pg, quiet, NULL);
    PQsetErrorVerbosity(c->pg, PQERRORS_TERSE);
    if (PQsetClientEncoding(c->pg, "UTF8") != 0)
        return result_fail(c, NULL, "client encoding");
    return exec(c, "SET jit = off");
}

static enum dd_status
conn_open(struct store_conn *c, const char *url)
{
    c->pg = PQconnectdb(url);
    if (!c->pg)
        return DD_ENOMEM;
    if (PQstatus(c->pg) != CONNECTION_OK) {
        (void)result_fail(c, NULL, "connect");
        conn_close(c);
        return DD_ESTORE;
    }
    enum dd_status rc = conn_setup(c);
    if (rc != DD_OK)
        conn_close(c);
    return rc;
}

/* Reconnects a connection that went bad. Prepared statements die with the
 * server session, so they are prepared again on next use. */
static enum dd_status
reconnect(struct store_conn *c)
{
    log_warn("store: postgresql connection lost, reconnecting");
    PQreset(c->pg);
    if (PQstatus(c->pg) != CONNECTION_OK) {
        (void)result_fail(c, NULL, "reconnect");
        return DD_ESTORE;
    }
    return conn_setup(c);
}

static enum dd_status
conn_check(struct store_conn *c)
{
    if (PQstatus(c->pg) != CONNECTION_OK)
        return reconnect(c);
    if (PQtransactionStatus(c->pg) != PQTRANS_IDLE)
        return exec(c, "ROLLBACK");
    return DD_OK;
}

static enum dd_status
begin(struct store_conn *c, enum store_mode mode)
{
    const char *sql = mode == STORE_WRITE
                          ? "BEGIN"
                          : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
    enum dd_status rc = exec(c, sql);
    /* a server restart is only noticed at the first use: retry once */
    if (rc == DD_ESTORE && PQstatus(c->pg) != CONNECTION_OK) {
        rc = reconnect(c);
        if (rc == DD_OK)
            rc = exec(c, sql);
    }
    return rc;
}

static enum dd_status
commit(struct store_conn *c)
{
    enum dd_status rc = DD_OK;

    /* COMMIT of a failed transaction "succeeds" as a ROLLBACK */
    if (PQtransactionStatus(c->pg) != PQTRANS_INTRANS) {
        log_error("store: postgresql commit of a failed transaction");
        return DD_ESTORE;
    }
    PGresult *res = PQexec(c->pg, "COMMIT");
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        rc = result_fail(c, res, "commit");
    else if (strcmp(PQcmdStatus(res), "COMMIT") != 0)
        rc = DD_ESTORE;
    PQclear(res);
    return rc;
}

static void
rollback(struct store_conn *c)
{
    if (PQstatus(c->pg) == CONNECTION_OK &&
        PQtransactionStatus(c->pg) != PQTRANS_IDLE)
        (void)exec(c, "ROLLBACK");
}

static enum dd_status
wipe(struct store_conn *c)
{
    /* identifiers come from the catalog and are quoted by format('%I');
     * a transaction left open elsewhere must not hang the wipe for good */
    static const char sql[] =
        "BEGIN;\n"
        "SET LOCAL lock_timeout = '30s';\n"
        "DO $$\n"
        "DECLARE r record;\n"
        "BEGIN\n"
        "  FOR r IN SELECT tablename FROM pg_catalog.pg_tables\n"
        "           WHERE schemaname = current_schema() LOOP\n"
        "    EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', r.tablename);\n"
        "  END LOOP;\n"
        "END $$;\n"
        "COMMIT";
    enum dd_status rc = exec(c, sql);
    if (rc != DD_OK)
        rollback(c);
    return rc;
}

/* Copies sql into out, turning SQLite's ?N placeholders into $N outside
 * string literals and quoted identifiers. */
static enum dd_status
translate(const char *sql, char *out, size_t cap)
{
    char quote = 0;
    size_t n = 0;

    for (const char *p = sql; *p; p++) {
        char ch = *p;
        if (quote) {
            if (ch == quote)
                quote = 0;
        } else if (ch == '\'' || ch == '"') {
            quote = ch;
        } else if (ch == '?' && p[1] >= '0' && p[1] <= '9') {
            ch = '$';
        }
        if (n + 1 >= cap)
            return DD_EINTERNAL;
        out[n++] = ch;
    }
    out[n] = '\0';
    return DD_OK;
}

static void
param_types(const struct store_param *params, int nparams, Oid *types)
{
    for (int i = 0; i < nparams; i++)
        types[i] = params[i].type == STORE_P_INT64 ? INT8OID : TEXTOID;
}

static enum dd_status
prepare(struct store_conn *c, enum stmt id, const char *text,
        const struct store_param *params, int nparams)
{
    char sql[SQL_MAX_LEN], name[16];
    Oid types[STORE_MAX_PARAMS];
    enum dd_status rc;

    rc = translate(text, sql, sizeof(sql));
    if (rc != DD_OK)
        return rc;
    param_types(params, nparams, types);
    snprintf(name, sizeof(name), "dd%d", (int)id);
    PGresult *res = PQprepare(c->pg, name, sql, nparams, types);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        rc = result_fail(c, res, "prepare");
    else
        c->prepared[id] = 1;
    PQclear(res);
    return rc;
}

static enum dd_status
query(struct store_conn *c, enum stmt id, const struct store_param *params,
      int nparams, struct store_rows *out)
{
    const char *text = store_stmt_sql(id, 1);
    const char *values[STORE_MAX_PARAMS];
    int lengths[STORE_MAX_PARAMS], formats[STORE_MAX_PARAMS];
    uint64_t be[STORE_MAX_PARAMS];
    char name[16];
    enum dd_status rc;

    if (!text) {
        out->noop = 1;
        return DD_OK;
    }
    if (nparams > STORE_MAX_PARAMS)
        return DD_EINTERNAL;
    int each = store_stmt_plan_each(id);
    if (!each && !c->prepared[id]) {
        rc = prepare(c, id, text, params, nparams);
        if (rc != DD_OK)
            return rc;
    }
    for (int i = 0; i < nparams; i++) {
        if (params[i].type == STORE_P_INT64) {
            be[i] = htobe64((uint64_t)params[i].i64);
            values[i] = (const char *)&be[i];
            lengths[i] = 8;
            formats[i] = 1;
        } else {
            values[i] = params[i].text;
            lengths[i] = 0;
            formats[i] = 0;
        }
    }
    PGresult *res;
    if (each) {
        char sql[SQL_MAX_LEN];
        Oid types[STORE_MAX_PARAMS];
        rc = translate(text, sql, sizeof(sql));
        if (rc != DD_OK)
            return rc;
        param_types(params, nparams, types);
        res = PQexecParams(c->pg, sql, nparams, types, values, lengths,
                           formats, 0);
    } else {
        snprintf(name, sizeof(name), "dd%d", (int)id);
        res = PQexecPrepared(c->pg, name, nparams, values, lengths, formats,
                             0);
    }
    ExecStatusType s = PQresultStatus(res);
    if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
        rc = result_fail(c, res, "query");
        PQclear(res);
        return rc;
    }
    out->h = res;
    out->row = -1;
    out->nrows = PQntuples(res);
    return DD_OK;
}

static enum dd_status
next(struct store_rows *r, int *has_row)
{
    *has_row = 0;
    if (r->noop)
        return DD_OK;
    if (r->row + 1 < r->nrows) {
        r->row++;
        *has_row = 1;
    }
    return DD_OK;
}

static const char *
col_text(struct store_rows *r, int col)
{
    return PQgetvalue(r->h, r->row, col);
}

static int64_t
col_int64(struct store_rows *r, int col)
{
    const char *s = PQgetvalue(r->h, r->row, col);
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0')
        return 0;
    return (int64_t)v;
}

static void
done(struct store_rows *r)
{
    if (r->h)
        PQclear(r->h);
    r->h = NULL;
}

const struct store_ops store_pg_ops =
    STORE_OPS("postgresql", store_migrations_pg, &store_migrations_pg_count);
