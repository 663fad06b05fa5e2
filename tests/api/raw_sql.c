/* SPDX-License-Identifier: MIT */
/* SQL run on the suite's own database past the store: see raw_sql.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "raw_sql.h"

static char message[512];

static const char *
sqlite_run(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    char *err = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
                     SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK)
        snprintf(message, sizeof(message), "%s", err ? err : "error");
    sqlite3_free(err);
    sqlite3_close(db);
    return rc == SQLITE_OK ? NULL : message;
}

static const char *
pg_run(const char *url, const char *sql)
{
    PGconn *c = PQconnectdb(url);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    PGresult *r = PQexec(c, sql);
    ExecStatusType s = PQresultStatus(r);
    int ok = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
    if (!ok)
        snprintf(message, sizeof(message), "%s", PQresultErrorMessage(r));
    PQclear(r);
    PQfinish(c);
    return ok ? NULL : message;
}

const char *
raw_sql(const char *sql)
{
    const char *url = harness_db_url();
    return strncmp(url, "sqlite:", 7) == 0 ? sqlite_run(url + 7, sql)
                                           : pg_run(url, sql);
}
