/* SPDX-License-Identifier: MIT */
/* The urban or rural 低保 standard of a household: its own setting or its
 * hukou district's (domain.md §7.1), and the explanation line saying
 * which. */
#include "domain/area.h"

#include <string.h>

#include "domain/engine.h"

static const struct explain_rule R_BY_HOUSEHOLD = {
    "area.household", "domain.md §7.1 (城乡标准：按户设置)",
    "Standard: the household's own setting (urban or rural)",
    "适用标准：按本户城乡类别"};
static const struct explain_rule R_BY_DISTRICT = {
    "area.district",
    "domain.md §7.1 (区县设置：中心城区城乡居民统一按城市标准)",
    "Standard: the hukou district's setting for all its residents",
    "适用标准：按户籍所在区县对辖区居民的统一设置"};

static const char *const setting_names[AREA_SETTING__COUNT] = {
    [AREA_SETTING_URBAN] = "urban",
    [AREA_SETTING_RURAL] = "rural",
    [AREA_SETTING_DISTRICT] = "district",
};

int
area_setting_parse(const char *s, enum area_setting *out)
{
    int i = engine_name_index(setting_names, AREA_SETTING__COUNT, s);
    if (i < 0 || out == NULL)
        return -1;
    *out = (enum area_setting)i;
    return 0;
}

const char *
area_setting_name(enum area_setting s)
{
    return (unsigned)s < AREA_SETTING__COUNT ? setting_names[s] : "?";
}

enum dd_status
area_resolve(enum area_setting setting, int64_t district,
             struct area_decision *out)
{
    if (out == NULL)
        return DD_EINVAL;
    memset(out, 0, sizeof(*out));
    if ((unsigned)setting >= AREA_SETTING__COUNT ||
        district < AREA_DISTRICT_MIXED || district > AREA_DISTRICT_RURAL)
        return DD_EINVAL;
    out->setting = setting;
    out->district = district;
    if (setting == AREA_SETTING_URBAN || setting == AREA_SETTING_RURAL) {
        /* the household's explicit setting wins */
        out->applied =
            setting == AREA_SETTING_RURAL ? HH_AREA_RURAL : HH_AREA_URBAN;
        out->basis = AREA_BASIS_HOUSEHOLD;
    } else if (district == AREA_DISTRICT_MIXED) {
        return DD_ENOTFOUND; /* nothing to follow */
    } else {
        out->applied =
            district == AREA_DISTRICT_RURAL ? HH_AREA_RURAL : HH_AREA_URBAN;
        out->basis = AREA_BASIS_DISTRICT;
    }
    out->resolved = 1;
    return DD_OK;
}

void
area_explain(const struct area_decision *d, struct explain *ex)
{
    if (d == NULL || !d->resolved)
        return;
    struct explain_line *l =
        explain_add(ex,
                    d->basis == AREA_BASIS_DISTRICT ? &R_BY_DISTRICT
                                                    : &R_BY_HOUSEHOLD,
                    EXPLAIN_INFO, -1, 0);
    explain_value_add(l, EXPLAIN_N_RURAL, d->applied == HH_AREA_RURAL);
    explain_value_add(l, EXPLAIN_N_DISTRICT_AREA, d->district);
}
