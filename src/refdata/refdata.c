/* SPDX-License-Identifier: MIT */
/* CSV readers for the region and zone files. These files are ours (copied
 * from ../shared/data, sources in data/README.md): plain comma-separated
 * UTF-8 without quoting, which the reader checks rather than assumes. */
#include "refdata/refdata.h"

#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "core/str.h"

#define MAX_FIELDS 6

/* Splits line in place at commas; returns the field count or -1. */
static int
split(char *line, char **fields)
{
    int n = 0;
    size_t len = strlen(line);
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        line[--len] = '\0';
    if (strchr(line, '"'))
        return -1;
    char *s = line;
    for (;;) {
        if (n == MAX_FIELDS)
            return -1;
        fields[n++] = s;
        char *c = strchr(s, ',');
        if (!c)
            break;
        *c = '\0';
        s = c + 1;
    }
    return n;
}

static int
digits(const char *s, size_t n)
{
    return strlen(s) == n && s[strspn(s, "0123456789")] == '\0';
}

static enum dd_status
load_regions(struct store_tx *tx, const char *path, struct refdata_counts *c,
             size_t *bad_line)
{
    FILE *f = fopen(path, "r");
    char line[1024], *fl[MAX_FIELDS];
    size_t lineno = 0;
    enum dd_status rc = DD_OK;
    if (!f)
        return DD_ENOTFOUND;
    while (rc == DD_OK && fgets(line, sizeof(line), f)) {
        lineno++;
        if (lineno == 1)
            continue; /* header: code,name,level,parent_code */
        int n = split(line, fl);
        struct region r = {0};
        if (n != 4) {
            rc = DD_EINVAL;
            break;
        }
        str_copy(r.code, sizeof(r.code), fl[0]);
        str_copy(r.name, sizeof(r.name), fl[1]);
        str_copy(r.level, sizeof(r.level), fl[2]);
        str_copy(r.parent_code, sizeof(r.parent_code), fl[3]);
        int ok = 0;
        if (strcmp(r.level, "province") == 0)
            ok = digits(r.code, 6) && !r.parent_code[0] && ++c->province;
        else if (strcmp(r.level, "county") == 0)
            ok = digits(r.code, 6) && digits(r.parent_code, 6) && ++c->county;
        else if (strcmp(r.level, "township") == 0)
            ok = digits(r.code, 9) && digits(r.parent_code, 6) && ++c->township;
        else if (strcmp(r.level, "village") == 0)
            ok = digits(r.code, 12) && digits(r.parent_code, 9) && ++c->village;
        if (!ok || !r.name[0]) {
            rc = DD_EINVAL;
            break;
        }
        rc = store_region_put(tx, &r);
    }
    if (rc == DD_EINVAL)
        *bad_line = lineno;
    fclose(f);
    return rc;
}

static enum dd_status
load_zones(struct store_tx *tx, const char *path, struct refdata_counts *c,
           size_t *bad_line)
{
    FILE *f = fopen(path, "r");
    char line[1024], *fl[MAX_FIELDS];
    size_t lineno = 0;
    enum dd_status rc = DD_OK;
    if (!f)
        return DD_ENOTFOUND;
    while (rc == DD_OK && fgets(line, sizeof(line), f)) {
        lineno++;
        if (lineno == 1)
            continue; /* zone,zone_name,township_code,township_name */
        int n = split(line, fl);
        struct zone_township z = {0};
        struct region r;
        if (n != 4 || !fl[0][0] || !digits(fl[2], 9)) {
            rc = DD_EINVAL;
            break;
        }
        str_copy(z.zone, sizeof(z.zone), fl[0]);
        str_copy(z.zone_name, sizeof(z.zone_name), fl[1]);
        str_copy(z.township_code, sizeof(z.township_code), fl[2]);
        rc = store_region_get(tx, z.township_code, &r);
        if (rc == DD_ENOTFOUND)
            rc = DD_EINVAL; /* a zone names a township we do not have */
        if (rc == DD_OK)
            rc = store_zone_put(tx, &z);
        if (rc == DD_OK)
            c->zone_rows++;
    }
    if (rc == DD_EINVAL)
        *bad_line = lineno;
    fclose(f);
    return rc;
}

enum dd_status
refdata_load(struct store *st, const char *data_dir,
             struct refdata_counts *counts, size_t *bad_line)
{
    char path[1024];
    struct store_tx *tx;
    memset(counts, 0, sizeof(*counts));
    *bad_line = 0;
    enum dd_status rc = store_tx_begin(st, STORE_WRITE, &tx);
    if (rc != DD_OK)
        return rc;
    snprintf(path, sizeof(path), "%s/regions-chongqing.csv", data_dir);
    rc = load_regions(tx, path, counts, bad_line);
    if (rc == DD_OK) {
        snprintf(path, sizeof(path), "%s/functional-zones.csv", data_dir);
        rc = load_zones(tx, path, counts, bad_line);
    }
    if (rc == DD_OK) {
        char detail[160];
        snprintf(detail, sizeof(detail),
                 "{\"counties\":%zu,\"townships\":%zu,\"villages\":%zu,"
                 "\"zone_rows\":%zu}",
                 counts->county, counts->township, counts->village,
                 counts->zone_rows);
        rc = audit_log(tx, "cli", "refdata.load", "region", NULL, "", detail);
    }
    if (rc != DD_OK) {
        store_tx_rollback(tx);
        return rc;
    }
    return store_tx_commit(tx);
}
