/* SPDX-License-Identifier: MIT */
/* The plan SQLite or PostgreSQL makes for a statement on the suite's own
 * database, for the suites that check an index is used (the caseload,
 * the reviews, the lists and reports). */
#ifndef DD_TEST_SQLITE_PLAN_H
#define DD_TEST_SQLITE_PLAN_H

/* The details of EXPLAIN QUERY PLAN sql on the suite's SQLite file, each
 * followed by ';' (in a static buffer); NULL when the suite runs on
 * PostgreSQL, whose planner picks by table size (not asserted). */
const char *sqlite_plan(const char *sql);

/* The generic plan PostgreSQL makes for sql (SQLite's ?N placeholders,
 * store_stmt_sql(id, 1)), its parameters typed as the store binds them
 * (types: 'i' bigint, 't' text for each, in order; NULL to let the
 * server infer them), on the suite's database with sequential scans
 * priced out (enable_seqscan off): a test database's tables are too
 * small for the planner to prefer an index, so a "Seq Scan" left in
 * this plan is a scan no index can serve. Each plan line followed by
 * ';' (in a static buffer); NULL when the suite runs on SQLite. */
const char *pg_plan(const char *sql, const char *types);

/* Fails the test, naming what and the plan, unless plan has must in it
 * and none of the further strings (a NULL-terminated list); nothing when
 * plan is NULL (the other store's suite). */
void plan_expect(const char *what, const char *plan, const char *must, ...);

#endif
