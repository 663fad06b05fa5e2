/* SPDX-License-Identifier: MIT */
/* The service catalog (事项目录): one item per service a household can
 * apply for, with its deciding department and level, its step template,
 * its statutory and promised time limits, visits, online capability,
 * cross-region mode and required materials. Pure: parsing and checking
 * rows; the seed is data/catalog/items.csv. Versions are append-only. */
#ifndef DD_CATALOG_H
#define DD_CATALOG_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "domain/workflow.h"

#define CATALOG_MAX_MATERIALS 12

struct catalog_item {
    char code[32];
    int64_t version;         /* 1, 2, ... */
    char effective_from[11]; /* YYYY-MM-DD */
    char name_zh[128];
    char name_en[128];
    char department[24];   /* "civil" or a dept_officer department */
    char decide_level[12]; /* "township" or "county" */
    char template_code[24];
    int64_t statutory_days;
    char statutory_unit[12]; /* "working" or "calendar" */
    int64_t promised_days;
    int64_t visits_required;
    int64_t fully_online;
    char cross_region_mode[12]; /* none, online, proxy, joint */
    char program[24];           /* the engine's program, or "none" */
    char start_rule[20];        /* next_month, application_month, none */
    char materials[256];        /* ';'-separated material codes */
    char source[512];
    /* this version's own step limits over its template's, as
     * "step=days;..." (days in the step's own unit); "" for none */
    char step_limits[256];
    char created_by[64];
    int64_t created_at; /* epoch s */
};

/* The CSV header of data/catalog/items.csv, comma-separated. */
extern const char catalog_csv_header[];
#define CATALOG_CSV_COLUMNS 16

/* Fills out (version 1, effective_from 2018-01-01) from the 16 fields of
 * one CSV record and checks it. DD_EINVAL with the column in err->field. */
enum dd_status catalog_item_from_fields(char *const *fields, size_t count,
                                        const struct wf_book *book,
                                        struct catalog_item *out,
                                        struct dd_error *err) DD_WUR;
/* Checks an item: codes, names, a template of book, department and level,
 * limits 1..365, statutory_unit, modes, program, start rule, materials
 * (known codes), step_limits (steps of the template, 1..365 days).
 * DD_EINVAL with the field named. */
enum dd_status catalog_item_check(const struct catalog_item *it,
                                  const struct wf_book *book,
                                  struct dd_error *err) DD_WUR;

/* The limit of step s under item it: its own step_limits entry, else the
 * template's (0 = none). */
int catalog_step_limit(const struct catalog_item *it, const struct wf_step *s);

/* A material code's names; NULL when unknown. */
const char *catalog_material_name(const char *code, int zh);
/* Splits it->materials into codes (pointers into buf, which holds a copy);
 * returns the count (at most max). */
size_t catalog_materials_split(const struct catalog_item *it, char *buf,
                               size_t buf_len, const char **codes, size_t max);
/* Whether code is among the ';'-separated list. */
int catalog_list_has(const char *list, const char *code);

/* A set of catalog versions in memory (every version of every item). */
struct catalog {
    struct catalog_item *items;
    size_t count, cap;
};

/* Adds a copy (DD_ENOMEM; DD_ECONFLICT for the same code and version). */
enum dd_status catalog_add(struct catalog *c,
                           const struct catalog_item *it) DD_WUR;
void catalog_clear(struct catalog *c);
/* The version of code in force on date (the newest version whose
 * effective_from <= date; among equal dates the highest version); NULL
 * when none. date NULL means the newest version. */
const struct catalog_item *catalog_find(const struct catalog *c,
                                        const char *code, const char *date);
/* A given version; NULL when none. */
const struct catalog_item *catalog_find_version(const struct catalog *c,
                                                const char *code,
                                                int64_t version);

#endif
