/* SPDX-License-Identifier: MIT */
/* Loading the reference data that ships in data/: the regions of
 * Chongqing, the functional zones and the policy parameters. Idempotent:
 * regions and zones are upserts; policy versions already stored are
 * skipped, and a stored version is never changed. */
#ifndef DD_REFDATA_H
#define DD_REFDATA_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/status.h"
#include "domain/policy.h"
#include "domain/workcal.h"
#include "io/csv.h"
#include "store/store.h"

/* The seed of policy versions, relative to the data directory. */
#define REFDATA_POLICY_FILE "policy/params.csv"
/* The holiday calendar, relative to the data directory. */
#define REFDATA_HOLIDAY_FILE "cn-holidays.csv"
/* the banks payee accounts are held at (an example list) */
#define REFDATA_BANKS_FILE "banks/banks.csv"

struct refdata_counts {
    size_t province, county, township, village, zone_rows;
    size_t policy_added;     /* versions new to the store */
    size_t policy_unchanged; /* versions the store already had, identical */
    size_t holidays;         /* calendar rows (days off and worked) */
    size_t banks;            /* banks.csv rows */
    /* on DD_EINVAL: the file (relative to the data directory) and why */
    const char *bad_file;
    char bad_reason[256];
};

/* Loads data_dir/regions-chongqing.csv, data_dir/functional-zones.csv,
 * data_dir/banks/banks.csv, data_dir/policy/params.csv and
 * data_dir/cn-holidays.csv in one write
 * transaction with one audit row per kind. On a malformed line, or a policy line whose (key, region,
 * date) the store already holds with different content: DD_EINVAL with
 * *bad_line, counts->bad_file and counts->bad_reason set. */
/* Appends the audit row of a load: {"file":FILE,"KEY":N,...} (file left
 * out when NULL), in tx; _row with the region (may be NULL) and the
 * request id, _counts with none. */
enum dd_status refdata_audit_row(struct store_tx *tx, const char *actor,
                                 const char *action, const char *object,
                                 const char *region, const char *request_id,
                                 const char *file, const char *const *keys,
                                 const size_t *values, size_t n) DD_WUR;
enum dd_status refdata_audit_counts(struct store_tx *tx, const char *actor,
                                    const char *action, const char *object,
                                    const char *file, const char *const *keys,
                                    const size_t *values, size_t n) DD_WUR;

enum dd_status refdata_load(struct store *st, const char *data_dir,
                            struct refdata_counts *counts,
                            size_t *bad_line) DD_WUR;

/* Converting between the store's row and the domain's version. */
void refdata_policy_from_row(const struct policy_row *r,
                             struct policy_param *out);
void refdata_policy_to_row(const struct policy_param *p,
                           struct policy_row *out);
/* Every stored policy version, in a new table (the caller frees it). */
enum dd_status refdata_policy_table(struct store_tx *tx,
                                    struct policy_table **out) DD_WUR;

/* Reads a policy CSV (header key,region_code,effective_from,value,unit,
 * source,confidence) into t, without a store (checks, tests). A malformed
 * line or a second line for one (key, region, date): DD_EINVAL with
 * *bad_line and reason (reason_len bytes) set. DD_ENOTFOUND when the file
 * cannot be opened. */
enum dd_status refdata_policy_read(const char *path, struct policy_table *t,
                                   size_t *bad_line, char *reason,
                                   size_t reason_len) DD_WUR;

/* Reads a holiday calendar CSV (header date,is_off_day,name,notice_url;
 * dates YYYY-MM-DD, is_off_day 0 or 1, a name, each date once) and marks
 * every day in c. A malformed line: DD_EINVAL with *bad_line and reason
 * set. DD_ENOTFOUND when the file cannot be opened. */
enum dd_status refdata_holidays_read(const char *path, struct workcal *c,
                                     size_t *bad_line, char *reason,
                                     size_t reason_len) DD_WUR;
/* One year's calendar version as loaded (refdata_calendar_year_load). */
struct refdata_year {
    int year;
    int64_t version;          /* 1 for the year's first */
    size_t days, off, worked; /* lines: all, days off, worked days */
    /* on DD_EINVAL: the line (counting the header as 1) and why */
    size_t bad_line;
    char reason[256];
};
/* Loads a new version of one year's calendar (a State Council notice)
 * from f, a holiday CSV like data/cn-holidays.csv, in tx. Each line is
 * checked as the seed file's are (refdata_holidays_read), and more: every
 * date in the year of the first, a worked day (is_off_day 0) only on a
 * Saturday or Sunday, at least one day. The year's rows of the holiday
 * table are replaced by the file's, the version is appended to
 * holiday_version, and one "calendar.year" audit row (object
 * calendar:YEAR, region 50; detail the file label, version and counts) is
 * written by actor. *out: the whole calendar as now stored (the caller
 * frees it). A bad line: DD_EINVAL with y->bad_line and y->reason. */
enum dd_status refdata_calendar_year_load(struct store_tx *tx, FILE *f,
                                          const char *file, const char *actor,
                                          const char *request_id,
                                          struct workcal **out,
                                          struct refdata_year *y) DD_WUR;
/* A new calendar from the holiday table (the caller frees it). A stored
 * row that is not a valid mark is DD_ESTORE. */
enum dd_status refdata_workcal(struct store_tx *tx,
                               struct workcal **out) DD_WUR;

/* A reference CSV file (at most 256 KiB) read whole, and a reader over
 * it: refdata_csv_open reads data_dir/file (DD_ENOTFOUND when missing),
 * refdata_csv_close frees both (c zeroed: a no-op). */
struct refdata_csv {
    char *data;
    struct csv_mem mem;
    struct csv_reader *rd;
};
enum dd_status refdata_csv_open(struct refdata_csv *c, const char *data_dir,
                                const char *file) DD_WUR;
/* The next record (csv_reader_next); for an error other than
 * DD_ENOTFOUND (the end), why says what the reader found. */
enum dd_status refdata_csv_next(struct refdata_csv *c, struct csv_record *rec,
                                char *why, size_t why_len) DD_WUR;
void refdata_csv_close(struct refdata_csv *c);

#endif
