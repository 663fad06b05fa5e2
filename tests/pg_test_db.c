/* SPDX-License-Identifier: MIT */
/* See pg_test_db.h. */
#include "pg_test_db.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <string.h>

int
pg_test_first_line(const char *path, char *out, size_t cap)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    if (!fgets(out, (int)cap, f))
        out[0] = '\0';
    fclose(f);
    out[strcspn(out, "\r\n")] = '\0';
    return out[0] ? 0 : -1;
}

void
pg_test_own_database(const char *who, const char *url, const char *name,
                     char *out, size_t cap)
{
    char sql[128];
    snprintf(out, cap, "%s", url);
    const char *slash = strrchr(url, '/');
    if (!slash || strchr(slash, '?'))
        return;
    PGconn *c = PQconnectdb(url);
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "%s: cannot connect to %s: %s", who, url,
                PQerrorMessage(c));
        PQfinish(c);
        return;
    }
    snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
    PGresult *r = PQexec(c, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (ok) {
        snprintf(sql, sizeof(sql), "CREATE DATABASE %s", name);
        r = PQexec(c, sql);
        ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        PQclear(r);
    }
    if (ok)
        snprintf(out, cap, "%.*s%s", (int)(slash + 1 - url), url, name);
    else
        fprintf(stderr, "%s: cannot create %s (%s); using %s\n", who, name,
                PQerrorMessage(c), url);
    PQfinish(c);
}
