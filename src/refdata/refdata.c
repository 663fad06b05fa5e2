/* SPDX-License-Identifier: MIT */
/* CSV readers for the region, zone, policy and holiday files. These files
 * are ours (sources in data/README.md and data/policy/README.md): plain
 * comma-separated UTF-8 without quoting, which the reader checks rather
 * than assumes. */
#include "refdata/refdata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "json/jw.h"
#include "store/store_payees.h"

#define MAX_FIELDS 8
#define POLICY_HEADER                                                          \
    "key,region_code,effective_from,value,unit,source,confidence"
/* Who the seed's versions are created by (the audit actor of init). */
#define SEED_ACTOR "cli"

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

/* One row of a four-field file: stored, or DD_EINVAL when it is bad. */
typedef enum dd_status (*row_fn)(struct store_tx *tx, char **fl,
                                 struct refdata_counts *c);

/* Walks the rows of a four-field CSV file after its header line, storing
 * each with row; *bad_line is the line of a DD_EINVAL. */
static enum dd_status
load_rows(struct store_tx *tx, const char *path, row_fn row,
          struct refdata_counts *c, size_t *bad_line)
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
            continue; /* the header */
        rc = split(line, fl) == 4 ? row(tx, fl, c) : DD_EINVAL;
    }
    if (rc == DD_EINVAL)
        *bad_line = lineno;
    fclose(f);
    return rc;
}

/* code,name,level,parent_code */
static enum dd_status
region_row(struct store_tx *tx, char **fl, struct refdata_counts *c)
{
    struct region r = {0};
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
    if (!ok || !r.name[0])
        return DD_EINVAL;
    return store_region_put(tx, &r);
}

/* zone,zone_name,township_code,township_name */
static enum dd_status
zone_row(struct store_tx *tx, char **fl, struct refdata_counts *c)
{
    struct zone_township z = {0};
    struct region r;
    if (!fl[0][0] || !digits(fl[2], 9))
        return DD_EINVAL;
    str_copy(z.zone, sizeof(z.zone), fl[0]);
    str_copy(z.zone_name, sizeof(z.zone_name), fl[1]);
    str_copy(z.township_code, sizeof(z.township_code), fl[2]);
    enum dd_status rc = store_region_get(tx, z.township_code, &r);
    if (rc == DD_ENOTFOUND)
        rc = DD_EINVAL; /* a zone names a township we do not have */
    if (rc == DD_OK)
        rc = store_zone_put(tx, &z);
    if (rc == DD_OK)
        c->zone_rows++;
    return rc;
}

/* code,name,name_en,passbook_luhn (data/banks/banks.csv) */
static enum dd_status
bank_row(struct store_tx *tx, char **fl, struct refdata_counts *c)
{
    struct bank_row b = {0};
    size_t len = strlen(fl[0]);
    if (len == 0 || len >= sizeof(b.code) ||
        fl[0][strspn(fl[0], "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")] ||
        !fl[1][0] || !fl[2][0] ||
        (strcmp(fl[3], "0") != 0 && strcmp(fl[3], "1") != 0))
        return DD_EINVAL;
    str_copy(b.code, sizeof(b.code), fl[0]);
    str_copy(b.name, sizeof(b.name), fl[1]);
    str_copy(b.name_en, sizeof(b.name_en), fl[2]);
    b.passbook_luhn = fl[3][0] == '1';
    c->banks++;
    return store_bank_put(tx, &b);
}

/* ---- policy parameters ---- */

/* The store's row and the domain's parameter carry the same fields: one
 * copy serves both directions. */
#define POLICY_COPY(out, in)                                                   \
    do {                                                                       \
        memset((out), 0, sizeof(*(out)));                                      \
        str_copy((out)->key, sizeof((out)->key), (in)->key);                   \
        str_copy((out)->region_code, sizeof((out)->region_code),               \
                 (in)->region_code);                                           \
        str_copy((out)->effective_from, sizeof((out)->effective_from),         \
                 (in)->effective_from);                                        \
        (out)->value = (in)->value;                                            \
        str_copy((out)->unit, sizeof((out)->unit), (in)->unit);                \
        str_copy((out)->source, sizeof((out)->source), (in)->source);          \
        str_copy((out)->confidence, sizeof((out)->confidence),                 \
                 (in)->confidence);                                            \
        (out)->created_at = (in)->created_at;                                  \
        str_copy((out)->created_by, sizeof((out)->created_by),                 \
                 (in)->created_by);                                            \
    } while (0)

void
refdata_policy_from_row(const struct policy_row *r, struct policy_param *out)
{
    POLICY_COPY(out, r);
}

void
refdata_policy_to_row(const struct policy_param *p, struct policy_row *out)
{
    POLICY_COPY(out, p);
}

#undef POLICY_COPY

struct table_fill {
    struct policy_table *t;
    enum dd_status rc;
};

static int
fill_one(const struct policy_row *r, void *ctx)
{
    struct table_fill *f = ctx;
    struct policy_param p;
    refdata_policy_from_row(r, &p);
    f->rc = policy_table_add(f->t, &p);
    if (f->rc == DD_EINVAL)
        log_error("policy: the stored version %s/%s from %s has a bad %s "
                  "(docs/policy.md gives each unit's range)",
                  p.key, p.region_code, p.effective_from,
                  policy_param_check(&p) ? policy_param_check(&p) : "row");
    return f->rc != DD_OK;
}

enum dd_status
refdata_policy_table(struct store_tx *tx, struct policy_table **out)
{
    struct table_fill f = {policy_table_new(), DD_OK};
    *out = NULL;
    if (!f.t)
        return DD_ENOMEM;
    enum dd_status rc = store_policy_each(tx, fill_one, &f);
    if (rc == DD_OK && f.rc != DD_OK) {
        /* the schema's checks are narrower than policy_param_check: a row
         * someone wrote around the store is not silently ignored */
        rc = f.rc == DD_ENOMEM ? DD_ENOMEM : DD_ESTORE;
    }
    if (rc != DD_OK) {
        policy_table_free(f.t);
        return rc;
    }
    *out = f.t;
    return DD_OK;
}

/* Copies a field that must fit whole; 0, or -1 when it would be cut. */
static int
fit(char *dst, size_t cap, const char *src)
{
    if (strlen(src) >= cap)
        return -1;
    str_copy(dst, cap, src);
    return 0;
}

/* Parses one data line into p (zeroed first); NULL, or why it is bad. */
static const char *
policy_line(char *line, struct policy_param *p, char *why, size_t why_len)
{
    char *fl[MAX_FIELDS];
    int n = split(line, fl);
    memset(p, 0, sizeof(*p));
    if (n != 7)
        return "a line has 7 comma-separated fields and no quotes";
    if (fit(p->key, sizeof(p->key), fl[0]) ||
        fit(p->region_code, sizeof(p->region_code), fl[1]) ||
        fit(p->effective_from, sizeof(p->effective_from), fl[2]) ||
        fit(p->unit, sizeof(p->unit), fl[4]) ||
        fit(p->source, sizeof(p->source), fl[5]) ||
        fit(p->confidence, sizeof(p->confidence), fl[6]))
        return "a field is too long";
    /* value: plain decimal digits, no sign, at most 15 of them */
    size_t vl = strlen(fl[3]);
    if (vl == 0 || vl > 15 || fl[3][strspn(fl[3], "0123456789")] != '\0')
        return "value must be a non-negative integer (fen, permille, ...)";
    p->value = strtoll(fl[3], NULL, 10);
    const char *bad = policy_param_check(p);
    if (bad) {
        snprintf(why, why_len, "the field %s is invalid", bad);
        return why;
    }
    return NULL;
}

/* Reads the next line of f into line (cap bytes) without its end; 1 with a
 * line, 0 at the end, -1 when a line does not fit. */
static int
read_line(FILE *f, char *line, size_t cap)
{
    if (!fgets(line, (int)cap, f))
        return 0;
    size_t len = strlen(line);
    if (len && line[len - 1] != '\n' && !feof(f))
        return -1;
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        line[--len] = '\0';
    return 1;
}

/* The versions differ in content (the key, region and date being equal);
 * names the first difference in why. */
static int
policy_differs(const struct policy_param *a, const struct policy_param *b,
               char *why, size_t why_len)
{
    if (a->value != b->value)
        snprintf(why, why_len, "value %lld, stored %lld", (long long)a->value,
                 (long long)b->value);
    else if (strcmp(a->unit, b->unit) != 0)
        snprintf(why, why_len, "unit %s, stored %s", a->unit, b->unit);
    else if (strcmp(a->source, b->source) != 0)
        snprintf(why, why_len, "source differs from the stored one");
    else if (strcmp(a->confidence, b->confidence) != 0)
        snprintf(why, why_len, "confidence %s, stored %s", a->confidence,
                 b->confidence);
    else
        return 0;
    return 1;
}

/* Walks the policy file: each good line goes to fn; stops at the first bad
 * one with *bad_line and reason set (DD_EINVAL), or at fn's first error. */
typedef enum dd_status (*policy_line_fn)(const struct policy_param *p,
                                         size_t lineno, char *reason,
                                         size_t reason_len, void *ctx);

static enum dd_status
policy_walk(const char *path, policy_line_fn fn, void *ctx, size_t *bad_line,
            char *reason, size_t reason_len)
{
    FILE *f = fopen(path, "r");
    char line[4096], why[160];
    size_t lineno = 0;
    enum dd_status rc = DD_OK;
    struct policy_param p;
    if (!f)
        return DD_ENOTFOUND;
    for (;;) {
        int got = read_line(f, line, sizeof(line));
        if (got == 0)
            break;
        lineno++;
        if (got < 0) {
            snprintf(reason, reason_len, "the line is too long");
            rc = DD_EINVAL;
            break;
        }
        if (lineno == 1) {
            if (strcmp(line, POLICY_HEADER) != 0) {
                snprintf(reason, reason_len, "the header must be %s",
                         POLICY_HEADER);
                rc = DD_EINVAL;
                break;
            }
            continue;
        }
        if (!line[0])
            continue; /* a blank line */
        const char *bad = policy_line(line, &p, why, sizeof(why));
        if (bad) {
            snprintf(reason, reason_len, "%s", bad);
            rc = DD_EINVAL;
            break;
        }
        rc = fn(&p, lineno, reason, reason_len, ctx);
        if (rc != DD_OK)
            break;
    }
    if (rc == DD_EINVAL)
        *bad_line = lineno;
    fclose(f);
    return rc;
}

struct read_ctx {
    struct policy_table *t;
};

static enum dd_status
read_one(const struct policy_param *p, size_t lineno, char *reason,
         size_t reason_len, void *ctx)
{
    struct read_ctx *c = ctx;
    (void)lineno;
    enum dd_status rc = policy_table_add(c->t, p);
    if (rc == DD_ECONFLICT) {
        snprintf(reason, reason_len,
                 "a second line for %s %s %s (one version per key, region "
                 "and date)",
                 p->key, p->region_code, p->effective_from);
        rc = DD_EINVAL;
    }
    return rc;
}

enum dd_status
refdata_policy_read(const char *path, struct policy_table *t,
                    size_t *bad_line, char *reason, size_t reason_len)
{
    struct read_ctx c = {t};
    *bad_line = 0;
    reason[0] = '\0';
    return policy_walk(path, read_one, &c, bad_line, reason, reason_len);
}

struct load_ctx {
    struct store_tx *tx;
    struct policy_table *stored; /* what the store had before this load */
    struct policy_table *file;   /* the lines read so far */
    struct refdata_counts *c;
    int64_t now;
};

static enum dd_status
load_one(const struct policy_param *p, size_t lineno, char *reason,
         size_t reason_len, void *ctx)
{
    struct load_ctx *l = ctx;
    /* policy_differs' longest (two 20-character values, two units or two
     * confidences) fits in 64 bytes, and then the whole reason below fits
     * in refdata_counts.bad_reason's 256 */
    char why[64];
    (void)lineno;
    enum dd_status rc = read_one(p, lineno, reason, reason_len,
                                 &(struct read_ctx){l->file});
    if (rc != DD_OK)
        return rc;
    const struct policy_param *had =
        policy_table_find(l->stored, p->key, p->region_code,
                          p->effective_from);
    if (had) {
        /* history is never edited: a changed version needs a new date */
        if (policy_differs(p, had, why, sizeof(why))) {
            snprintf(reason, reason_len,
                     "%s %s %s is already stored and versions are never "
                     "changed (%s); add a version with a new "
                     "effective_from instead",
                     p->key, p->region_code, p->effective_from, why);
            return DD_EINVAL;
        }
        l->c->policy_unchanged++;
        return DD_OK;
    }
    struct policy_row row;
    refdata_policy_to_row(p, &row);
    row.created_at = l->now;
    str_copy(row.created_by, sizeof(row.created_by), SEED_ACTOR);
    rc = store_policy_insert(l->tx, &row);
    if (rc == DD_OK)
        l->c->policy_added++;
    return rc;
}

static enum dd_status
load_policy(struct store_tx *tx, const char *path, struct refdata_counts *c,
            size_t *bad_line)
{
    struct load_ctx l = {tx, NULL, policy_table_new(), c, time_now()};
    enum dd_status rc = l.file ? refdata_policy_table(tx, &l.stored)
                               : DD_ENOMEM;
    if (rc == DD_OK)
        rc = policy_walk(path, load_one, &l, bad_line, c->bad_reason,
                         sizeof(c->bad_reason));
    policy_table_free(l.stored);
    policy_table_free(l.file);
    return rc;
}

/* ---- the holiday calendar ---- */

#define HOLIDAY_HEADER "date,is_off_day,name,notice_url"

/* Called with each good line of the holiday file (its mark already in the
 * walker's calendar). */
typedef enum dd_status (*holiday_line_fn)(const struct holiday_row *h,
                                          void *ctx);

/* Walks a holiday file: each line checked strictly, marked in c (a date
 * given twice, even alike, is refused), then given to fn (may be NULL),
 * which may set reason when it refuses the line with DD_EINVAL. */
static enum dd_status
holiday_walk_file(FILE *f, struct workcal *c, holiday_line_fn fn, void *ctx,
                  size_t *bad_line, char *reason, size_t reason_len)
{
    char line[1024], *fl[MAX_FIELDS];
    size_t lineno = 0;
    enum dd_status rc = DD_OK;
    struct holiday_row h;
    *bad_line = 0;
    reason[0] = '\0';
    for (;;) {
        int got = read_line(f, line, sizeof(line));
        if (got == 0)
            break;
        lineno++;
        rc = DD_EINVAL;
        if (got < 0) {
            snprintf(reason, reason_len, "the line is too long");
            break;
        }
        if (lineno == 1) {
            if (strcmp(line, HOLIDAY_HEADER) != 0) {
                snprintf(reason, reason_len, "the header must be %s",
                         HOLIDAY_HEADER);
                break;
            }
            rc = DD_OK;
            continue;
        }
        if (!line[0]) {
            rc = DD_OK;
            continue; /* a blank line */
        }
        int32_t day;
        if (split(line, fl) != 4) {
            snprintf(reason, reason_len,
                     "a line has 4 comma-separated fields and no quotes");
            break;
        }
        memset(&h, 0, sizeof(h));
        if (workcal_parse_date(fl[0], &day) != 0 ||
            fit(h.date, sizeof(h.date), fl[0])) {
            snprintf(reason, reason_len,
                     "the date must be a real day as YYYY-MM-DD");
            break;
        }
        if (strcmp(fl[1], "0") != 0 && strcmp(fl[1], "1") != 0) {
            snprintf(reason, reason_len,
                     "is_off_day must be 1 (a day off) or 0 (a worked day)");
            break;
        }
        h.is_off_day = fl[1][0] - '0';
        if (!fl[2][0] || fit(h.name, sizeof(h.name), fl[2])) {
            snprintf(reason, reason_len,
                     "the name must be given, at most %zu bytes",
                     sizeof(h.name) - 1);
            break;
        }
        if (fit(h.source, sizeof(h.source), fl[3])) {
            snprintf(reason, reason_len, "the notice_url is too long");
            break;
        }
        if (workcal_marked(c, day, NULL)) {
            snprintf(reason, reason_len, "the date %s is given twice",
                     h.date);
            break;
        }
        rc = workcal_mark_named(c, day, h.is_off_day, h.name);
        if (rc == DD_EINVAL)
            snprintf(reason, reason_len,
                     "the date must lie in the years %d to %d",
                     WORKCAL_YEAR_MIN, WORKCAL_YEAR_MAX);
        if (rc == DD_OK && fn)
            rc = fn(&h, ctx);
        if (rc != DD_OK)
            break;
    }
    if (rc == DD_OK && lineno == 0) {
        snprintf(reason, reason_len, "the file is empty");
        rc = DD_EINVAL;
    }
    if (rc == DD_EINVAL)
        *bad_line = lineno;
    return rc;
}

static enum dd_status
holiday_walk(const char *path, struct workcal *c, holiday_line_fn fn,
             void *ctx, size_t *bad_line, char *reason, size_t reason_len)
{
    FILE *f = fopen(path, "r");
    *bad_line = 0;
    reason[0] = '\0';
    if (!f)
        return DD_ENOTFOUND;
    enum dd_status rc =
        holiday_walk_file(f, c, fn, ctx, bad_line, reason, reason_len);
    fclose(f);
    return rc;
}

enum dd_status
refdata_holidays_read(const char *path, struct workcal *c, size_t *bad_line,
                      char *reason, size_t reason_len)
{
    return holiday_walk(path, c, NULL, NULL, bad_line, reason, reason_len);
}

struct holiday_load {
    struct store_tx *tx;
    struct refdata_counts *c;
};

static enum dd_status
holiday_put(const struct holiday_row *h, void *ctx)
{
    struct holiday_load *l = ctx;
    enum dd_status rc = store_holiday_put(l->tx, h);
    if (rc == DD_OK)
        l->c->holidays++;
    return rc;
}

static enum dd_status
load_holidays(struct store_tx *tx, const char *path, struct refdata_counts *c,
              size_t *bad_line)
{
    struct holiday_load l = {tx, c};
    struct workcal *cal = workcal_new();
    if (!cal)
        return DD_ENOMEM;
    enum dd_status rc = holiday_walk(path, cal, holiday_put, &l, bad_line,
                                     c->bad_reason, sizeof(c->bad_reason));
    workcal_free(cal);
    return rc;
}

struct workcal_fill {
    struct workcal *c;
    enum dd_status rc;
};

static int
mark_one(const struct holiday_row *h, void *ctx)
{
    struct workcal_fill *f = ctx;
    int32_t day;
    if (workcal_parse_date(h->date, &day) != 0)
        f->rc = DD_ESTORE;
    else
        f->rc = workcal_mark_named(f->c, day, h->is_off_day, h->name);
    if (f->rc == DD_EINVAL || f->rc == DD_ECONFLICT)
        f->rc = DD_ESTORE; /* a row written around the loader */
    return f->rc != DD_OK;
}

enum dd_status
refdata_workcal(struct store_tx *tx, struct workcal **out)
{
    struct workcal_fill f = {workcal_new(), DD_OK};
    *out = NULL;
    if (!f.c)
        return DD_ENOMEM;
    enum dd_status rc = store_holiday_each(tx, mark_one, &f);
    if (rc == DD_OK)
        rc = f.rc;
    if (rc != DD_OK) {
        workcal_free(f.c);
        return rc;
    }
    *out = f.c;
    return DD_OK;
}

/* ---- a new version of one year's calendar ---- */

#define YEAR_DAYS_MAX 366

struct year_load {
    struct refdata_year *y;
    struct holiday_row *rows; /* YEAR_DAYS_MAX */
};

/* One line of a year's file: in the year of the first line, a worked day
 * only on a weekend (a 调休 makes a Saturday or Sunday a working day; a
 * weekday is one already), kept for the store. */
static enum dd_status
year_line(const struct holiday_row *h, void *ctx)
{
    struct year_load *l = ctx;
    struct refdata_year *y = l->y;
    int32_t day;
    int yy, m, d;
    if (workcal_parse_date(h->date, &day) != 0)
        return DD_EINVAL; /* the walker checked it */
    workcal_ymd_from_day(day, &yy, &m, &d);
    if (y->days == 0)
        y->year = yy;
    if (yy != y->year) {
        snprintf(y->reason, sizeof(y->reason),
                 "the date %s is not in %d, the year of the first line (one "
                 "year per file)",
                 h->date, y->year);
        return DD_EINVAL;
    }
    if (!h->is_off_day && workcal_weekday(day) < 5) {
        snprintf(y->reason, sizeof(y->reason),
                 "is_off_day 0 (a worked day, 调休) on %s, a weekday: only a "
                 "Saturday or Sunday is made a working day",
                 h->date);
        return DD_EINVAL;
    }
    l->rows[y->days++] = *h;
    if (h->is_off_day)
        y->off++;
    else
        y->worked++;
    return DD_OK;
}

enum dd_status
refdata_calendar_year_load(struct store_tx *tx, FILE *f, const char *file,
                           const char *actor, const char *request_id,
                           struct workcal **out, struct refdata_year *y)
{
    struct year_load l = {y, calloc(YEAR_DAYS_MAX, sizeof(*l.rows))};
    struct workcal *check = workcal_new();
    int64_t now = time_now();
    memset(y, 0, sizeof(*y));
    *out = NULL;
    enum dd_status rc = l.rows && check ? DD_OK : DD_ENOMEM;
    if (rc == DD_OK)
        rc = holiday_walk_file(f, check, year_line, &l, &y->bad_line,
                               y->reason, sizeof(y->reason));
    if (rc == DD_OK && y->days == 0) {
        snprintf(y->reason, sizeof(y->reason),
                 "the file names no day after its header (one line per "
                 "day)");
        y->bad_line = 1;
        rc = DD_EINVAL;
    }
    if (rc == DD_OK)
        rc = store_holiday_version_next(tx, y->year, &y->version);
    if (rc == DD_OK)
        rc = store_holiday_year_clear(tx, y->year);
    for (size_t i = 0; rc == DD_OK && i < y->days; i++) {
        rc = store_holiday_put(tx, &l.rows[i]);
        if (rc == DD_OK)
            rc = store_holiday_version_put(tx, y->year, y->version,
                                           &l.rows[i], now, actor);
    }
    if (rc == DD_OK) {
        char object[32];
        snprintf(object, sizeof(object), "calendar:%d", y->year);
        const char *keys[] = {"version", "days", "off_days", "worked_days"};
        size_t values[] = {(size_t)y->version, y->days, y->off, y->worked};
        rc = refdata_audit_row(tx, actor, "calendar.year", object, "50",
                               request_id, file, keys, values, 4);
    }
    if (rc == DD_OK)
        rc = refdata_workcal(tx, out);
    workcal_free(check);
    free(l.rows);
    return rc;
}

enum dd_status
refdata_audit_row(struct store_tx *tx, const char *actor, const char *action,
                  const char *object, const char *region,
                  const char *request_id, const char *file,
                  const char *const *keys, const size_t *values, size_t n)
{
    char detail[1024];
    struct jw w;
    jw_init(&w, sizeof(detail));
    jw_obj(&w, NULL);
    if (file)
        jw_str(&w, "file", file);
    for (size_t i = 0; i < n; i++)
        jw_int(&w, keys[i], (int64_t)values[i]);
    jw_end(&w);
    enum dd_status rc = jw_finish_into(&w, detail, sizeof(detail));
    if (rc == DD_OK)
        rc = audit_log(tx, actor, action, object, region, request_id,
                       detail);
    return rc;
}

enum dd_status
refdata_audit_counts(struct store_tx *tx, const char *actor,
                     const char *action, const char *object, const char *file,
                     const char *const *keys, const size_t *values, size_t n)
{
    return refdata_audit_row(tx, actor, action, object, NULL, "", file, keys,
                             values, n);
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
    counts->bad_file = "regions-chongqing.csv";
    snprintf(path, sizeof(path), "%s/%s", data_dir, counts->bad_file);
    rc = load_rows(tx, path, region_row, counts, bad_line);
    if (rc == DD_OK) {
        counts->bad_file = "functional-zones.csv";
        snprintf(path, sizeof(path), "%s/%s", data_dir, counts->bad_file);
        rc = load_rows(tx, path, zone_row, counts, bad_line);
    }
    if (rc == DD_OK) {
        counts->bad_file = REFDATA_BANKS_FILE;
        snprintf(path, sizeof(path), "%s/%s", data_dir, counts->bad_file);
        rc = load_rows(tx, path, bank_row, counts, bad_line);
    }
    if (rc == DD_OK) {
        const char *keys[] = {"counties", "townships", "villages",
                              "zone_rows", "banks"};
        size_t values[] = {counts->county, counts->township,
                           counts->village, counts->zone_rows, counts->banks};
        rc = refdata_audit_counts(tx, SEED_ACTOR, "refdata.load", "region", NULL, keys, values,
                          5);
    }
    if (rc == DD_OK) {
        counts->bad_file = REFDATA_POLICY_FILE;
        snprintf(path, sizeof(path), "%s/%s", data_dir, counts->bad_file);
        rc = load_policy(tx, path, counts, bad_line);
    }
    if (rc == DD_OK) {
        const char *keys[] = {"added", "unchanged"};
        size_t values[] = {counts->policy_added, counts->policy_unchanged};
        rc = refdata_audit_counts(tx, SEED_ACTOR, "policy.load", "policy", REFDATA_POLICY_FILE,
                          keys, values, 2);
    }
    if (rc == DD_OK) {
        counts->bad_file = REFDATA_HOLIDAY_FILE;
        snprintf(path, sizeof(path), "%s/%s", data_dir, counts->bad_file);
        rc = load_holidays(tx, path, counts, bad_line);
    }
    if (rc == DD_OK) {
        const char *keys[] = {"days"};
        size_t values[] = {counts->holidays};
        rc = refdata_audit_counts(tx, SEED_ACTOR, "calendar.load", "holiday", REFDATA_HOLIDAY_FILE,
                          keys, values, 1);
    }
    if (rc == DD_OK)
        counts->bad_file = NULL;
    if (rc != DD_OK) {
        store_tx_rollback(tx);
        return rc;
    }
    return store_tx_commit(tx);
}

enum dd_status
refdata_csv_open(struct refdata_csv *c, const char *data_dir, const char *file)
{
    char path[1024];
    size_t len = 0;
    memset(c, 0, sizeof(*c));
    snprintf(path, sizeof(path), "%s/%s", data_dir, file);
    enum dd_status rc = buf_file_read(path, 256u * 1024u, &c->data, &len);
    if (rc != DD_OK)
        return rc;
    c->mem.data = c->data;
    c->mem.len = len;
    c->rd = csv_reader_new(csv_mem_source, &c->mem, 8192);
    if (!c->rd) {
        refdata_csv_close(c);
        return DD_ENOMEM;
    }
    return DD_OK;
}

enum dd_status
refdata_csv_next(struct refdata_csv *c, struct csv_record *rec, char *why,
                 size_t why_len)
{
    enum dd_status rc = csv_reader_next(c->rd, rec);
    if (rc != DD_OK && rc != DD_ENOTFOUND)
        snprintf(why, why_len, "%s",
                 csv_reader_error(c->rd) ? csv_reader_error(c->rd) : "read");
    return rc;
}

void
refdata_csv_close(struct refdata_csv *c)
{
    csv_reader_free(c->rd);
    free(c->data);
    memset(c, 0, sizeof(*c));
}
