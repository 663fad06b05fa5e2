/* SPDX-License-Identifier: MIT */
/* Which 低保 standard, urban or rural, applies to a household: its own
 * setting, or the setting of the district (区县) of its hukou, a dated
 * policy parameter (domain.md §7.1: one citywide pair of standards, and
 * each district maps its residents to urban, rural or both). Pure: no
 * I/O, no allocation. */
#ifndef DD_AREA_H
#define DD_AREA_H

#include <stdint.h>

#include "core/status.h"
#include "domain/explain.h"
#include "domain/household.h"

/* The policy key of a district's setting (unit enum, values below). */
#define AREA_POLICY_KEY "dibao.area.default"

/* A household's own setting, as stored ("urban", "rural", "district"). */
enum area_setting {
    AREA_SETTING_URBAN = 0,
    AREA_SETTING_RURAL,
    AREA_SETTING_DISTRICT, /* follow the hukou district's setting */
    AREA_SETTING__COUNT
};

/* The values of dibao.area.default. */
enum area_district {
    AREA_DISTRICT_MIXED = 0, /* both: each household's own setting decides */
    AREA_DISTRICT_URBAN = 1, /* the urban standard for all residents */
    AREA_DISTRICT_RURAL = 2, /* the rural standard for all residents */
};

/* Why the standard applies. */
enum area_basis {
    AREA_BASIS_HOUSEHOLD = 0, /* the household's explicit urban or rural */
    AREA_BASIS_DISTRICT,      /* "district": the district's 1 or 2 */
};

struct area_decision {
    int resolved;              /* 1 once area_resolve succeeded */
    enum area_setting setting; /* the household's */
    int64_t district;          /* dibao.area.default in force (0..2) */
    enum hh_area applied;      /* the standard that applies */
    enum area_basis basis;
};

/* "urban", "rural" or "district" → *out; 0, or -1 for anything else. */
int area_setting_parse(const char *s, enum area_setting *out);
/* The stored name of s ("urban", "rural", "district"), or "?". */
const char *area_setting_name(enum area_setting s);

/* Decides the standard (domain.md §7.1): an explicit household setting
 * wins; "district" takes the district's urban (1) or rural (2). Writes
 * *out (zeroed first; resolved = 1 on success). DD_ENOTFOUND when the
 * household follows a district that leaves it to each household (0):
 * there is no standard to follow. DD_EINVAL for a setting or a district
 * value out of range, or out NULL. */
DD_WUR enum dd_status area_resolve(enum area_setting setting, int64_t district,
                                   struct area_decision *out);

/* Adds one line to ex (NULL allowed) saying which standard applied and
 * why: the household's setting or the district's, with both values. */
void area_explain(const struct area_decision *d, struct explain *ex);

#endif
