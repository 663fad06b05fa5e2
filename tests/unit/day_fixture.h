/* SPDX-License-Identifier: MIT */
/* The dates and months the caseload tests write as text: D("2026-03-31")
 * is a workcal day number, M("2026-03") a compact month; a typo in a
 * test fails it. Include after <cmocka.h>. */
#ifndef DD_TEST_DAY_FIXTURE_H
#define DD_TEST_DAY_FIXTURE_H

#include <stdint.h>

#include "domain/month.h"
#include "domain/workcal.h"

static inline int32_t
D(const char *s)
{
    int32_t d = 0;
    if (workcal_parse_date(s, &d) != 0)
        fail_msg("bad test date %s", s);
    return d;
}

static inline int32_t
M(const char *s)
{
    int32_t mo = 0;
    if (month_parse(s, &mo) != 0)
        fail_msg("bad test month %s", s);
    return mo;
}

#endif
