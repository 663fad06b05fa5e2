/* SPDX-License-Identifier: MIT */
/* Reference data: regions and functional zones, effective-dated policy
 * parameters (migration 2, append-only), the holiday calendar (migration
 * 4) and the catalog's versions (migration 7, append-only). */
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#include "core/timeutil.h"
#include "domain/catalog.h"
#include "store/store_internal.h"

/* The columns each row mapper reads, in order, each followed by its
 * mapper: the fields they fill (ROW_MAPPER). */
#define REGION_COLS "code, name, level, parent_code"
ROW_MAPPER(row_to_region, struct region, COL(code), COL(name), COL(level),
           COL(parent_code))

#define ZONE_COLS "zone, zone_name, township_code"
ROW_MAPPER(row_to_zone, struct zone_township, COL(zone), COL(zone_name),
           COL(township_code))

#define POLICY_COLS                                                            \
    "id, key, region_code, effective_from, value, unit, source, "             \
    "confidence, created_at, created_by"
ROW_MAPPER(row_to_policy, struct policy_row, COL(id), COL(key),
           COL(region_code), COL(effective_from), COL(value), COL(unit),
           COL(source), COL(confidence), COL(created_at), COL(created_by))

#define HOLIDAY_COLS "date, is_off_day, name, source"
ROW_MAPPER(row_to_holiday, struct holiday_row, COL(date), COL(is_off_day),
           COL(name), COL(source))

#define CATALOG_COLS                                                           \
    "code, version, effective_from, name_zh, name_en, department, "           \
    "decide_level, template, statutory_days, statutory_unit, "                \
    "promised_days, visits_required, fully_online, cross_region_mode, "       \
    "program, start_rule, materials, source, created_by, created_at, "        \
    "step_limits"
ROW_MAPPER(row_to_catalog, struct catalog_item, COL(code), COL(version),
           COL(effective_from), COL(name_zh), COL(name_en), COL(department),
           COL(decide_level), COL(template_code), COL(statutory_days),
           COL(statutory_unit), COL(promised_days), COL(visits_required),
           COL(fully_online), COL(cross_region_mode), COL(program),
           COL(start_rule), COL(materials), COL(source), COL(created_by),
           COL(created_at), COL(step_limits))


static const struct stmt_text stmts[] = {
    /* upserts a region */
    {STMT_REGION_PUT,
     .sql = "INSERT INTO region(" REGION_COLS ") VALUES (?1, ?2, ?3, ?4)"
            " ON CONFLICT(code) DO UPDATE SET name = excluded.name,"
            " level = excluded.level,"
            " parent_code = excluded.parent_code"},
    /* one region by code */
    {STMT_REGION_GET,
     .sql = "SELECT " REGION_COLS " FROM region WHERE code = ?1"},
    /* a page of children of a region, after a cursor code */
    {STMT_REGION_CHILDREN,
     .sql = "SELECT " REGION_COLS " FROM region"
            " WHERE parent_code = ?1 AND code > ?2"
            " ORDER BY code LIMIT ?3"},
    /* every region in code order */
    {STMT_REGION_EACH,
     .sql = "SELECT " REGION_COLS " FROM region ORDER BY code"},
    /* upserts a zone's township */
    {STMT_ZONE_PUT,
     .sql = "INSERT INTO zone_township(" ZONE_COLS ")"
            " VALUES (?1, ?2, ?3) ON CONFLICT(zone, township_code)"
            " DO UPDATE SET zone_name = excluded.zone_name"},
    /* every zone township, by zone then township */
    {STMT_ZONE_EACH,
     .sql = "SELECT " ZONE_COLS " FROM zone_township"
            " ORDER BY zone, township_code"},
    /* a new version of a policy parameter; returns the id. There is no
     * UPDATE or DELETE for policy_param: versions are append-only */
    {STMT_POLICY_INSERT,
     .sql = "INSERT INTO policy_param(key, region_code, effective_from,"
            " value, unit, source, confidence, created_at, created_by)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id"},
    /* every policy version, by key, region and date */
    {STMT_POLICY_EACH,
     .sql = "SELECT " POLICY_COLS " FROM policy_param"
            " ORDER BY key, region_code, effective_from"},
    /* upserts one day of the holiday calendar */
    {STMT_HOLIDAY_PUT,
     .sql = "INSERT INTO holiday(" HOLIDAY_COLS ")"
            " VALUES (?1, ?2, ?3, ?4) ON CONFLICT(date) DO UPDATE SET"
            " is_off_day = excluded.is_off_day, name = excluded.name,"
            " source = excluded.source"},
    /* every marked day, in date order */
    {STMT_HOLIDAY_EACH,
     .sql = "SELECT " HOLIDAY_COLS " FROM holiday ORDER BY date"},
    /* one catalog version (append-only) */
    {STMT_CATALOG_INSERT,
     .sql = "INSERT INTO catalog_item(" CATALOG_COLS ") VALUES (?1, ?2,"
            " ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
            " ?16, ?17, ?18, ?19, ?20, ?21)"},
    /* every catalog version */
    {STMT_CATALOG_EACH,
     .sql = "SELECT " CATALOG_COLS " FROM catalog_item"
            " ORDER BY code, version"},
    /* the marked days of one year (?1, ?2: its first and last day), before
     * its new version is put */
    {STMT_HOLIDAY_YEAR_CLEAR,
     .sql = "DELETE FROM holiday WHERE date >= ?1 AND date <= ?2"},
    /* the number of a year's next calendar version */
    {STMT_HOLIDAY_VERSION_NEXT,
     .sql = "SELECT coalesce(max(version), 0) + 1 FROM holiday_version"
            " WHERE year = ?1"},
    /* one day of a year's calendar version (append-only) */
    {STMT_HOLIDAY_VERSION_INSERT,
     .sql = "INSERT INTO holiday_version(year, version, date, is_off_day,"
            " name, source, loaded_at, loaded_by)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"},
};

const struct stmt_family store_stmts_refdata = STMT_FAMILY("refdata", stmts);

/* ---- regions and zones ---- */

enum dd_status
store_region_put(struct store_tx *tx, const struct region *r)
{
    struct store_param p[] = {P_TEXT(r->code), P_TEXT(r->name),
                              P_TEXT(r->level), P_TEXT(r->parent_code)};
    return store_write(tx, STMT_REGION_PUT, p, NPARAMS(p));
}

enum dd_status
store_region_get(struct store_tx *tx, const char *code, struct region *out)
{
    return store_get_by(tx, STMT_REGION_GET, KEY_TEXT(code), row_to_region,
                        out);
}

enum dd_status
store_region_children(struct store_tx *tx, const char *parent,
                      const char *after_code, struct region *out, size_t max,
                      size_t *count)
{
    struct store_param p[] = {P_TEXT(parent),
                              P_TEXT(after_code ? after_code : ""),
                              P_INT(store_limit(max))};
    return store_get_many(tx, STMT_REGION_CHILDREN, p, NPARAMS(p),
                          row_to_region, out, sizeof(*out), max, count);
}

STORE_EACH_FN(store_region_each, store_region_fn, STMT_REGION_EACH,
              struct region, row_to_region)

enum dd_status
store_zone_put(struct store_tx *tx, const struct zone_township *z)
{
    struct store_param p[] = {P_TEXT(z->zone), P_TEXT(z->zone_name),
                              P_TEXT(z->township_code)};
    return store_write(tx, STMT_ZONE_PUT, p, NPARAMS(p));
}

STORE_EACH_FN(store_zone_each, store_zone_fn, STMT_ZONE_EACH,
              struct zone_township, row_to_zone)

/* ---- policy parameters ---- */

enum dd_status
store_policy_insert(struct store_tx *tx, struct policy_row *x)
{
    enum dd_status rc = store_need_write(tx);
    if (rc != DD_OK)
        return rc;
    if (x->created_at == 0)
        x->created_at = time_now();
    struct store_param p[] = {
        P_TEXT(x->key),        P_TEXT(x->region_code), P_TEXT(x->effective_from),
        P_INT(x->value),       P_TEXT(x->unit),        P_TEXT(x->source),
        P_TEXT(x->confidence), P_INT(x->created_at),   P_TEXT(x->created_by)};
    return store_insert_id(tx, STMT_POLICY_INSERT, p, NPARAMS(p), &x->id);
}

STORE_EACH_FN(store_policy_each, store_policy_fn, STMT_POLICY_EACH,
              struct policy_row, row_to_policy)

/* ---- the holiday calendar ---- */

enum dd_status
store_holiday_put(struct store_tx *tx, const struct holiday_row *h)
{
    struct store_param p[] = {P_TEXT(h->date), P_INT(h->is_off_day),
                              P_TEXT(h->name), P_TEXT(h->source)};
    return store_write(tx, STMT_HOLIDAY_PUT, p, NPARAMS(p));
}

STORE_EACH_FN(store_holiday_each, store_holiday_fn, STMT_HOLIDAY_EACH,
              struct holiday_row, row_to_holiday)

enum dd_status
store_holiday_year_clear(struct store_tx *tx, int year)
{
    char from[16], to[16];
    snprintf(from, sizeof(from), "%04d-01-01", year);
    snprintf(to, sizeof(to), "%04d-12-31", year);
    struct store_param p[] = {P_TEXT(from), P_TEXT(to)};
    return store_write(tx, STMT_HOLIDAY_YEAR_CLEAR, p, NPARAMS(p));
}

enum dd_status
store_holiday_version_next(struct store_tx *tx, int year, int64_t *version)
{
    struct store_param p[] = {P_INT(year)};
    return store_run_int(tx, STMT_HOLIDAY_VERSION_NEXT, p, NPARAMS(p),
                         version);
}

enum dd_status
store_holiday_version_put(struct store_tx *tx, int year, int64_t version,
                          const struct holiday_row *h, int64_t loaded_at,
                          const char *loaded_by)
{
    struct store_param p[] = {P_INT(year),          P_INT(version),
                              P_TEXT(h->date),      P_INT(h->is_off_day),
                              P_TEXT(h->name),      P_TEXT(h->source),
                              P_INT(loaded_at),     P_TEXT(loaded_by)};
    return store_write(tx, STMT_HOLIDAY_VERSION_INSERT, p, NPARAMS(p));
}

/* ---- the catalog's versions ---- */

enum dd_status
store_catalog_insert(struct store_tx *tx, struct catalog_item *it)
{
    enum dd_status rc = store_need_write(tx);
    if (rc != DD_OK)
        return rc;
    if (it->created_at == 0)
        it->created_at = time_now();
    struct store_param p[] = {
        P_TEXT(it->code),           P_INT(it->version),
        P_TEXT(it->effective_from), P_TEXT(it->name_zh),
        P_TEXT(it->name_en),        P_TEXT(it->department),
        P_TEXT(it->decide_level),   P_TEXT(it->template_code),
        P_INT(it->statutory_days),  P_TEXT(it->statutory_unit),
        P_INT(it->promised_days),   P_INT(it->visits_required),
        P_INT(it->fully_online),    P_TEXT(it->cross_region_mode),
        P_TEXT(it->program),        P_TEXT(it->start_rule),
        P_TEXT(it->materials),      P_TEXT(it->source),
        P_TEXT(it->created_by),     P_INT(it->created_at),
        P_TEXT(it->step_limits)};
    return store_run(tx, STMT_CATALOG_INSERT, p, NPARAMS(p));
}

STORE_EACH_FN(store_catalog_each, store_catalog_fn, STMT_CATALOG_EACH,
              struct catalog_item, row_to_catalog)
