/* SPDX-License-Identifier: MIT */
/* The throwaway PostgreSQL cluster's URL and a database of one's own in
 * it, for the API harness and the case-service suite alike. */
#ifndef DD_PG_TEST_DB_H
#define DD_PG_TEST_DB_H

#include <stddef.h>

/* The first line of the file at path, without its line end, into out (cap
 * bytes): 0, or -1 when the file cannot be read or the line is empty. */
int pg_test_first_line(const char *path, char *out, size_t cap);

/* out (cap bytes) becomes url with its database replaced by name, a
 * database dropped (if there) and created anew in the same cluster, so
 * that suites wiping the cluster's database may run at the same time; or
 * url itself when that cannot be done (a URL without a database, or one
 * with parameters; a failure to connect or create is said on stderr,
 * prefixed by who). */
void pg_test_own_database(const char *who, const char *url, const char *name,
                          char *out, size_t cap);

#endif
