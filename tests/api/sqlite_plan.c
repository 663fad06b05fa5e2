/* SPDX-License-Identifier: MIT */
/* The plan SQLite makes for a statement: see sqlite_plan.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

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
