/* SPDX-License-Identifier: MIT */
/* The plan SQLite or PostgreSQL makes for a statement: see sqlite_plan.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ctype.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "sqlite_plan.h"

const char *
sqlite_plan(const char *sql)
{
    static char plan[2048];
    const char *url = harness_db_url();
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    if (strncmp(url, "sqlite:", 7) != 0)
        return NULL;
    plan[0] = '\0';
    assert_int_equal(sqlite3_open_v2(url + 7, &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    assert_int_equal(
        sqlite3_prepare_v2(db, fmt("EXPLAIN QUERY PLAN %s", sql), -1, &q, NULL),
        SQLITE_OK);
    while (sqlite3_step(q) == SQLITE_ROW) {
        size_t len = strlen(plan);
        snprintf(plan + len, sizeof(plan) - len, "%s;",
                 (const char *)sqlite3_column_text(q, 3));
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    return plan;
}

/* sql with ?N as $N, and the highest N in *nparams (the statements the
 * plans are asked for have no '?' inside a literal). */
static const char *
dollars(const char *sql, int *nparams)
{
    static char out[16384];
    size_t o = 0;
    *nparams = 0;
    for (const char *p = sql; *p && o + 2 < sizeof(out); p++) {
        if (*p == '?' && isdigit((unsigned char)p[1])) {
            int n = 0;
            out[o++] = '$';
            while (isdigit((unsigned char)p[1]) && o + 2 < sizeof(out)) {
                n = n * 10 + (p[1] - '0');
                out[o++] = *++p;
            }
            if (n > *nparams)
                *nparams = n;
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
    return out;
}

static PGresult *
pg_exec(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    ExecStatusType s = PQresultStatus(r);
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
        fail_msg("%s: %s", sql, PQresultErrorMessage(r));
    return r;
}

const char *
pg_plan(const char *sql, const char *types)
{
    static char plan[8192];
    const char *url = harness_db_url();
    int n = 0;
    if (strncmp(url, "sqlite:", 7) == 0)
        return NULL;
    PGconn *c = PQconnectdb(url);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    PQclear(pg_exec(c, "SET enable_seqscan = off"));
    PQclear(pg_exec(c, "SET plan_cache_mode = force_generic_plan"));
    const char *text = dollars(sql, &n);
    char decl[512] = "";
    for (size_t i = 0; types && types[i]; i++)
        snprintf(decl + strlen(decl), sizeof(decl) - strlen(decl), "%s%s",
                 i ? ", " : "(", types[i] == 'i' ? "bigint" : "text");
    if (types && *types)
        snprintf(decl + strlen(decl), sizeof(decl) - strlen(decl), ")");
    PQclear(pg_exec(c, fmt("PREPARE q%s AS %s", decl, text)));
    char args[512] = "";
    for (int i = 0; i < n; i++)
        snprintf(args + strlen(args), sizeof(args) - strlen(args), "%sNULL",
                 i ? ", " : "");
    PGresult *r = pg_exec(c, n ? fmt("EXPLAIN EXECUTE q(%s)", args)
                               : "EXPLAIN EXECUTE q");
    plan[0] = '\0';
    for (int i = 0; i < PQntuples(r); i++) {
        size_t len = strlen(plan);
        snprintf(plan + len, sizeof(plan) - len, "%s;", PQgetvalue(r, i, 0));
    }
    PQclear(r);
    PQfinish(c);
    return plan;
}

void
plan_expect(const char *what, const char *plan, const char *must, ...)
{
    va_list ap;
    if (!plan)
        return;
    if (!strstr(plan, must))
        fail_msg("%s: no \"%s\" in %s", what, must, plan);
    va_start(ap, must);
    for (const char *bad; (bad = va_arg(ap, const char *)) != NULL;)
        if (strstr(plan, bad)) {
            va_end(ap);
            fail_msg("%s: \"%s\" in %s", what, bad, plan);
        }
    va_end(ap);
}
