/* SPDX-License-Identifier: MIT */
/* The digests an audit row's detail carries (audit/digest.h), read for
 * `doudi check`: other fields are left alone. */
#ifndef DD_JSON_DIGEST_H
#define DD_JSON_DIGEST_H

#include <stdint.h>

#include "core/status.h"

#define JSON_DIGEST_HEX 64

struct json_digests {
    char digest[JSON_DIGEST_HEX + 1];       /* "" when absent */
    char facts_digest[JSON_DIGEST_HEX + 1]; /* "" when absent */
    int64_t digests; /* a batch's count, -1 when absent */
};

/* Reads detail's "digest", "facts_digest" and "digests". A detail that is
 * not an object, or a digest that is not 64 hex digits, reads as absent:
 * `doudi check` then finds nothing vouching for the rows. */
void json_audit_digests(const char *detail, struct json_digests *out);

#endif
