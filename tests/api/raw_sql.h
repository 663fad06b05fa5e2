/* SPDX-License-Identifier: MIT */
/* SQL run on the suite's own database past the store, for the suites that
 * check the database itself refuses what the code never writes. */
#ifndef DD_TEST_RAW_SQL_H
#define DD_TEST_RAW_SQL_H

/* Runs sql (one or more statements) on harness_db_url()'s database, on
 * SQLite or PostgreSQL: NULL when it ran, else the database's error
 * message (in a static buffer). */
const char *raw_sql(const char *sql);

#endif
