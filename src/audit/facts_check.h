/* SPDX-License-Identifier: MIT */
/* `doudi check` beyond the hash chain (issue 12): every sealed value is
 * opened where it is stored (crypto/pii.h binds it to its row), and each
 * household's, each decided case item's, each entitlement's and each
 * payee account's current rows are digested
 * (audit/digest.h) and compared with the latest digest an audit row (or a
 * batch's audit_digest row, itself vouched for by its audit row) carries
 * for them. The first row that does not hold is named. */
#ifndef DD_FACTS_CHECK_H
#define DD_FACTS_CHECK_H

#include <stdint.h>

#include "core/status.h"
#include "crypto/pii.h"
#include "store/store.h"

struct facts_verdict {
    int64_t households, case_items, entitlements, sealed; /* checked */
    char bad[256]; /* the first row that does not hold, "" when all do */
};

/* Runs the checks in one read transaction of st with the data keys k.
 * An error only when the rows cannot be read. */
enum dd_status facts_check(struct store *st, const struct pii_keys *k,
                           struct facts_verdict *out) DD_WUR;

#endif
