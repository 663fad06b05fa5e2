/* SPDX-License-Identifier: MIT */
/* The plan SQLite makes for a statement on the suite's own database, for
 * the suites that check an index is used (the caseload, the reviews). */
#ifndef DD_TEST_SQLITE_PLAN_H
#define DD_TEST_SQLITE_PLAN_H

/* The details of EXPLAIN QUERY PLAN sql on the suite's SQLite file, each
 * followed by ';' (in a static buffer); NULL when the suite runs on
 * PostgreSQL, whose planner picks by table size (not asserted). */
const char *sqlite_plan(const char *sql);

#endif
