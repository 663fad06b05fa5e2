/* SPDX-License-Identifier: MIT */
/* Digests of the facts an audit row vouches for, so that `doudi check`
 * can recompute them from the current rows and name the row that no
 * longer matches (issue 12: amounts, incomes and sealed values edited in
 * the database passed the check). A digest is SM3 over a canonical
 * encoding: its kind ("household/v1", ...), then each record (household,
 * person, income, ...) as its tag and its fields in a fixed order, each
 * value as length ':' value ';', so no two field lists encode alike. A
 * household's carries its fields, its members' (sealed values as
 * stored, but for the ID number, bound to the blind index digested),
 * incomes, assets and obligors; a decision's carries the case
 * item's outcome, its entitlement and the digest of the facts decided on.
 * A payment is to use digest_begin / digest_str / digest_int / digest_end
 * the same way, with a kind of its own. */
#ifndef DD_DIGEST_H
#define DD_DIGEST_H

#include <stdint.h>

#include "core/status.h"
#include "registry/registry.h"
#include "store/store.h"
#include "json/jw.h"

#define DIGEST_HEX_LEN 64 /* without the NUL */

/* The encoding is gathered in buf and hashed a buffer at a time: one
 * hash update per household rather than three per field keeps the bulk
 * writers' pace (bench/import_bench). */
#define DIGEST_BUF 4096
struct digest {
    struct sm3_ctx *ctx;
    size_t len;
    char buf[DIGEST_BUF];
};

/* Starts a digest of kind. DD_ENOMEM when no hash context can be had. */
enum dd_status digest_begin(struct digest *d, const char *kind) DD_WUR;
/* The next field (or a record's tag), in the kind's fixed order. */
void digest_str(struct digest *d, const char *value);
void digest_int(struct digest *d, int64_t value);
/* out = the digest in lower-case hex; frees d's context. */
void digest_end(struct digest *d, char out[DIGEST_HEX_LEN + 1]);

/* A household as loaded (registry_load): members in id order, each with
 * its incomes in id order, then assets and obligors in id order. */
enum dd_status digest_household(const struct registry_household *rh,
                                char out[DIGEST_HEX_LEN + 1]) DD_WUR;
/* The same digest of a household just inserted from in (every id set by
 * the inserts), without reading it back: the bulk writers' form. */
enum dd_status digest_household_input(const struct registry_input *in,
                                      char out[DIGEST_HEX_LEN + 1]) DD_WUR;
/* What a decision decided on: the household's digest and the decider's
 * facts (JSON as given, "" when none). */
enum dd_status digest_facts(const char *household_digest, const char *facts,
                            char out[DIGEST_HEX_LEN + 1]) DD_WUR;
/* A case item's outcome: its decision and amount, the entitlement it
 * opened (NULL when none) and facts_digest ("" when the audit row carries
 * none). */
enum dd_status digest_decision(const struct case_item_row *c,
                               const struct entitlement_row *e,
                               const char *facts_digest,
                               char out[DIGEST_HEX_LEN + 1]) DD_WUR;
/* An entitlement's state after a decision on it (suspend, resume, a new
 * amount, stop, 渐退) and the change that made it: what that decision's
 * audit row vouches for (cases/entitlements.c). */
enum dd_status digest_entitlement(const struct entitlement_row *e,
                                  const struct entitlement_change_row *c,
                                  char out[DIGEST_HEX_LEN + 1]) DD_WUR;

/* The households a batch wrote (`doudi gen`, an import): one audit row
 * for them all, which carries the count and the SM3 of their digests,
 * with each household's digest in audit_digest under the row's seq. */
struct digest_batch {
    struct audit_digest_row *rows;
    size_t count, cap;
};

/* Adds household id's digest to b. DD_ENOMEM. */
enum dd_status digest_batch_add(struct digest_batch *b, int64_t household_id,
                                const char digest[DIGEST_HEX_LEN + 1]) DD_WUR;
/* out = SM3 over b's rows, each n ':' object '=' digest ';', in order:
 * what the batch's audit row carries and `doudi check` recomputes from
 * audit_digest. */
enum dd_status digest_batch_sum(const struct audit_digest_row *rows,
                                size_t count,
                                char out[DIGEST_HEX_LEN + 1]) DD_WUR;
/* Appends the batch's audit row (audit_log's parts; detail holds
 * "digests": b->count and "digest": digest_batch_sum, see
 * digest_batch_detail) and b's rows under its seq, then empties b. */
enum dd_status digest_batch_log(struct store_tx *tx, struct digest_batch *b,
                                const char *actor, const char *action,
                                const char *object, const char *request_id,
                                const char *detail) DD_WUR;
void digest_batch_free(struct digest_batch *b);
/* Adds "digests" and "digest" of b to the open object of w. */
void digest_batch_detail(const struct digest_batch *b, struct jw *w);

#endif
