/* SPDX-License-Identifier: MIT */
/* The PostgreSQL backend on libpq: one PGconn per pooled connection, each
 * statement prepared once per connection with typed parameters (64-bit
 * integers sent in binary) unless its text asks to be planned at each
 * run, and a bad connection reconnected when it is taken from the pool. */
#include <endian.h>
#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "store/store_internal.h"

/* Type OIDs from pg_type.h, which is a server header. */
#define INT8OID 20
#define TEXTOID 25

#define SQL_MAX_LEN 4096

struct store_conn {
    PGconn *pg;
    unsigned char prepared[STMT__MAX];
    /* the transaction's BEGIN, not sent yet: it goes with the first
     * statement, in one round trip; NULL when none is waiting */
    const char *begin_sql;
    /* a ROLLBACK sent whose answer is read before the next command: a
     * request does not wait for the end of its reads */
    int rollback_sent;
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

/* Reads the answer to a ROLLBACK sent without waiting, if any. */
static void
settle(struct store_conn *c)
{
    PGresult *res;
    if (!c->rollback_sent)
        return;
    c->rollback_sent = 0;
    while ((res = PQgetResult(c->pg)) != NULL)
        PQclear(res);
}

static enum dd_status
exec_now(struct store_conn *c, const char *sql)
{
    enum dd_status rc = DD_OK;
    PGresult *res = PQexec(c->pg, sql);
    ExecStatusType s = PQresultStatus(res);
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
        rc = result_fail(c, res, "exec");
    PQclear(res);
    return rc;
}

/* Runs a script of statements, after the transaction's BEGIN if it is
 * still waiting. */
static enum dd_status
exec(struct store_conn *c, const char *sql)
{
    enum dd_status rc = DD_OK;
    settle(c);
    if (c->begin_sql) {
        rc = exec_now(c, c->begin_sql);
        c->begin_sql = NULL;
    }
    return rc == DD_OK ? exec_now(c, sql) : rc;
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
    c->begin_sql = NULL;
    c->rollback_sent = 0;
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
    settle(c);
    c->begin_sql = NULL;
    if (PQstatus(c->pg) != CONNECTION_OK)
        return reconnect(c);
    if (PQtransactionStatus(c->pg) != PQTRANS_IDLE)
        return exec_now(c, "ROLLBACK");
    return DD_OK;
}

/* Nothing is sent yet: the BEGIN waits for the first statement (query);
 * one statement reads with none (autocommit). */
static enum dd_status
begin(struct store_conn *c, enum store_mode mode)
{
    settle(c);
    c->begin_sql = mode == STORE_WRITE     ? "BEGIN"
                   : mode == STORE_READ_ONE ? NULL
                       : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
    return DD_OK;
}

static enum dd_status
commit(struct store_conn *c)
{
    enum dd_status rc = DD_OK;

    if (c->begin_sql) { /* no statement ran: nothing to commit */
        c->begin_sql = NULL;
        return DD_OK;
    }
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

/* Sent without waiting for the answer (settle reads it): the server
 * ends the transaction and frees its locks as it reads the command. */
static void
rollback(struct store_conn *c)
{
    if (c->begin_sql) { /* nothing was sent */
        c->begin_sql = NULL;
        return;
    }
    settle(c);
    if (PQstatus(c->pg) == CONNECTION_OK &&
        PQtransactionStatus(c->pg) != PQTRANS_IDLE)
        c->rollback_sent = PQsendQuery(c->pg, "ROLLBACK");
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

/* One statement's parameters as libpq sends them: 64-bit integers in
 * binary (big-endian), texts as they are. */
struct wire {
    const char *values[STORE_MAX_PARAMS];
    int lengths[STORE_MAX_PARAMS], formats[STORE_MAX_PARAMS];
    Oid types[STORE_MAX_PARAMS];
    uint64_t be[STORE_MAX_PARAMS];
    char sql[SQL_MAX_LEN]; /* planned at each run: the text sent */
    char name[16];         /* else the prepared statement's name */
};

/* Sends the statement; with begin_sql, in one pipeline after it (one
 * round trip for both). */
static int
send_statement(struct store_conn *c, const struct wire *w, int nparams,
               const char *begin_sql)
{
    if (begin_sql &&
        (!PQenterPipelineMode(c->pg) ||
         !PQsendQueryParams(c->pg, begin_sql, 0, NULL, NULL, NULL, NULL, 0)))
        return 0;
    int sent = w->sql[0] ? PQsendQueryParams(c->pg, w->sql, nparams, w->types,
                                             w->values, w->lengths, w->formats,
                                             0)
                         : PQsendQueryPrepared(c->pg, w->name, nparams,
                                               w->values, w->lengths,
                                               w->formats, 0);
    return sent && (!begin_sql || PQpipelineSync(c->pg));
}

/* The statement's result: its own, or BEGIN's failure when that comes
 * first. In a pipeline each command's results end with a NULL, and the
 * sync with its own result, after which the pipeline is left. */
static PGresult *
receive(struct store_conn *c)
{
    PGresult *res = NULL, *r;
    int nulls = 0;
    while (nulls < 2 && PQstatus(c->pg) == CONNECTION_OK) {
        r = PQgetResult(c->pg);
        if (!r) {
            nulls++;
            continue;
        }
        nulls = 0;
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            break;
        }
        /* the first failure (BEGIN's), else the statement's result */
        if (st == PGRES_PIPELINE_ABORTED ||
            (res && PQresultStatus(res) == PGRES_FATAL_ERROR)) {
            PQclear(r);
            continue;
        }
        PQclear(res);
        res = r;
    }
    (void)PQexitPipelineMode(c->pg);
    return res;
}

/* Reads and drops what is left of a streamed statement's results. */
static void
stream_end(struct store_rows *r)
{
    PGresult *res;
    while ((res = PQgetResult(r->conn->pg)) != NULL)
        PQclear(res);
    r->stream = 0;
}

/* The next row of a streamed statement into r->h (row 0): *has_row 0 at
 * its end. */
static enum dd_status
stream_next(struct store_rows *r, int *has_row)
{
    PQclear(r->h);
    r->h = PQgetResult(r->conn->pg);
    r->row = 0;
    *has_row = 0;
    switch (PQresultStatus(r->h)) {
    case PGRES_SINGLE_TUPLE:
        *has_row = 1;
        return DD_OK;
    case PGRES_TUPLES_OK: /* the end: no rows in it */
    case PGRES_COMMAND_OK:
        stream_end(r);
        return DD_OK;
    default: {
        enum dd_status rc = result_fail(r->conn, r->h, "query");
        PQclear(r->h);
        r->h = NULL;
        stream_end(r);
        return rc;
    }
    }
}

/* Sends the statement in single-row mode; its first row (or its end, or
 * its failure) is read by the first next. */
static enum dd_status
stream_start(struct store_conn *c, const struct wire *w, int nparams,
             struct store_rows *out)
{
    if (!send_statement(c, w, nparams, NULL))
        return result_fail(c, NULL, "query");
    if (!PQsetSingleRowMode(c->pg)) {
        PGresult *res;
        while ((res = PQgetResult(c->pg)) != NULL)
            PQclear(res);
        log_error("store: postgresql refused single-row mode");
        return DD_ESTORE;
    }
    out->h = NULL;
    out->row = -1;
    out->nrows = 0;
    out->stream = 1;
    return DD_OK;
}

static enum dd_status
run(struct store_conn *c, enum stmt id, const char *text,
    const struct store_param *params, int nparams, struct store_rows *out)
{
    struct wire w;
    enum dd_status rc;

    w.sql[0] = '\0';
    if (store_stmt_plan_each(id)) {
        rc = translate(text, w.sql, sizeof(w.sql));
        if (rc != DD_OK)
            return rc;
        param_types(params, nparams, w.types);
    } else if (!c->prepared[id]) {
        rc = prepare(c, id, text, params, nparams);
        if (rc != DD_OK)
            return rc;
    }
    snprintf(w.name, sizeof(w.name), "dd%d", (int)id);
    for (int i = 0; i < nparams; i++) {
        if (params[i].type == STORE_P_INT64) {
            w.be[i] = htobe64((uint64_t)params[i].i64);
            w.values[i] = (const char *)&w.be[i];
            w.lengths[i] = 8;
            w.formats[i] = 1;
        } else {
            w.values[i] = params[i].text;
            w.lengths[i] = 0;
            w.formats[i] = 0;
        }
    }
    const char *begin_sql = c->begin_sql;
    c->begin_sql = NULL;
    if (store_stmt_stream(id)) {
        rc = begin_sql ? exec_now(c, begin_sql) : DD_OK;
        return rc == DD_OK ? stream_start(c, &w, nparams, out) : rc;
    }
    PGresult *res;
    if (!begin_sql)
        res = w.sql[0] ? PQexecParams(c->pg, w.sql, nparams, w.types,
                                      w.values, w.lengths, w.formats, 0)
                       : PQexecPrepared(c->pg, w.name, nparams, w.values,
                                        w.lengths, w.formats, 0);
    else
        res = send_statement(c, &w, nparams, begin_sql) ? receive(c) : NULL;
    ExecStatusType s = PQresultStatus(res);
    if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
        rc = result_fail(c, res, "query");
        PQclear(res);
        if (begin_sql && PQpipelineStatus(c->pg) != PQ_PIPELINE_OFF)
            (void)PQexitPipelineMode(c->pg);
        return rc;
    }
    out->h = res;
    out->row = -1;
    out->nrows = PQntuples(res);
    return DD_OK;
}

/* Runs statement id, prepared once per connection (unless planned at
 * each run), its transaction's BEGIN sent with it when it is the first.
 * A server restart is noticed only there: then the connection is made
 * again and the statement tried once more, nothing of the transaction
 * having been done. */
static enum dd_status
query(struct store_conn *c, enum stmt id, const struct store_param *params,
      int nparams, struct store_rows *out)
{
    const char *text = store_stmt_sql(id, 1);
    if (!text) {
        out->noop = 1;
        return DD_OK;
    }
    if (nparams > STORE_MAX_PARAMS)
        return DD_EINTERNAL;
    settle(c);
    const char *begin_sql = c->begin_sql;
    enum dd_status rc = run(c, id, text, params, nparams, out);
    if (rc == DD_ESTORE && begin_sql && PQstatus(c->pg) != CONNECTION_OK) {
        rc = reconnect(c);
        c->begin_sql = begin_sql;
        if (rc == DD_OK)
            rc = run(c, id, text, params, nparams, out);
    }
    return rc;
}

static enum dd_status
next(struct store_rows *r, int *has_row)
{
    *has_row = 0;
    if (r->noop)
        return DD_OK;
    if (r->stream)
        return stream_next(r, has_row);
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
    if (r->stream) /* the reader stopped early: the rest is read and dropped */
        stream_end(r);
}

/* COPY's data goes in pieces of at most this many bytes (libpq takes an
 * int length). */
#define COPY_PIECE (1 << 20)

/* Runs copy_sql (COPY ... FROM STDIN) with data, after the transaction's
 * BEGIN if it is still waiting. */
static enum dd_status
copy_in(struct store_conn *c, const char *copy_sql, const char *data,
        size_t len)
{
    enum dd_status rc = DD_OK;
    settle(c);
    if (c->begin_sql) {
        rc = exec_now(c, c->begin_sql);
        c->begin_sql = NULL;
        if (rc != DD_OK)
            return rc;
    }
    PGresult *res = PQexec(c->pg, copy_sql);
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        rc = result_fail(c, res, "copy");
        PQclear(res);
        return rc;
    }
    PQclear(res);
    int sent = 1;
    for (size_t off = 0; sent && off < len; off += COPY_PIECE) {
        size_t n = len - off < COPY_PIECE ? len - off : COPY_PIECE;
        sent = PQputCopyData(c->pg, data + off, (int)n) == 1;
    }
    /* a failed send ends the COPY with an error: nothing of it is kept */
    if (PQputCopyEnd(c->pg, sent ? NULL : "the client stopped") != 1)
        sent = 0;
    res = PQgetResult(c->pg);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        rc = result_fail(c, res, "copy");
    else if (!sent)
        rc = result_fail(c, NULL, "copy");
    PQclear(res);
    while ((res = PQgetResult(c->pg)) != NULL)
        PQclear(res);
    return rc;
}
#define COPY_IN copy_in

/* The listener's connection: LISTEN channel on it; NULL when either
 * fails (logged once a run of failures). */
static PGconn *
listen_open(const char *url, const char *channel, int *logged)
{
    char sql[128];
    PGconn *pg = PQconnectdb(url);
    if (PQstatus(pg) == CONNECTION_OK) {
        PQsetNoticeProcessor(pg, quiet, NULL);
        /* the channel is ours, a plain identifier */
        snprintf(sql, sizeof(sql), "LISTEN %s", channel);
        PGresult *res = PQexec(pg, sql);
        int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
        PQclear(res);
        if (ok) {
            *logged = 0;
            return pg;
        }
    }
    if (!*logged)
        log_warn("store: postgresql listener on %s: %.*s", channel,
                 (int)strcspn(PQerrorMessage(pg), "\n"), PQerrorMessage(pg));
    *logged = 1;
    PQfinish(pg);
    return NULL;
}

/* Waits up to ms for something to read on pg; 0 when it went bad. */
static int
listen_wait(PGconn *pg, int ms)
{
    struct pollfd p = {.fd = PQsocket(pg), .events = POLLIN};
    if (p.fd < 0)
        return 0;
    if (poll(&p, 1, ms) > 0 && !PQconsumeInput(pg))
        return 0;
    return PQstatus(pg) == CONNECTION_OK;
}

static void
listen_run(const char *url, const char *channel, const volatile int *stop,
           volatile int *up, store_notify_fn fn, void *ctx)
{
    PGconn *pg = NULL;
    int logged = 0;
    while (!__atomic_load_n(stop, __ATOMIC_ACQUIRE)) {
        if (!pg) {
            pg = listen_open(url, channel, &logged);
            if (!pg) {
                sleep(1);
                continue;
            }
            fn(ctx, NULL); /* nothing was heard before this */
            __atomic_store_n(up, 1, __ATOMIC_RELEASE);
        }
        int alive = listen_wait(pg, 250);
        PGnotify *n;
        while ((n = PQnotifies(pg)) != NULL) {
            fn(ctx, n->extra);
            PQfreemem(n);
        }
        if (!alive) {
            __atomic_store_n(up, 0, __ATOMIC_RELEASE);
            fn(ctx, NULL); /* what comes until the next LISTEN is lost */
            PQfinish(pg);
            pg = NULL;
        }
    }
    __atomic_store_n(up, 0, __ATOMIC_RELEASE);
    PQfinish(pg);
}
#define LISTEN_RUN listen_run

const struct store_ops store_pg_ops =
    STORE_OPS("postgresql", store_migrations_pg, &store_migrations_pg_count);
