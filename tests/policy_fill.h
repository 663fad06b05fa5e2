/* SPDX-License-Identifier: MIT */
/* A policy version for the tests, in the store's struct policy_row or the
 * policy table's struct policy_param alike (the same named fields). */
#ifndef DD_TEST_POLICY_FILL_H
#define DD_TEST_POLICY_FILL_H

#include <stdio.h>
#include <string.h>

/* Zeroes *p and sets key, region, effective_from date and value, the unit
 * fen/month, source src and confidence H. */
#define POLICY_FILL(p, key_, region_, date_, value_, src)                      \
    do {                                                                       \
        memset((p), 0, sizeof(*(p)));                                          \
        snprintf((p)->key, sizeof((p)->key), "%s", (key_));                    \
        snprintf((p)->region_code, sizeof((p)->region_code), "%s", (region_)); \
        snprintf((p)->effective_from, sizeof((p)->effective_from), "%s",       \
                 (date_));                                                     \
        (p)->value = (value_);                                                 \
        snprintf((p)->unit, sizeof((p)->unit), "fen/month");                   \
        snprintf((p)->source, sizeof((p)->source), "%s", (src));               \
        snprintf((p)->confidence, sizeof((p)->confidence), "H");               \
    } while (0)

#endif
