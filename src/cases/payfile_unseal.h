/* SPDX-License-Identifier: MIT */
/* A bank file's lines unsealed on a helper thread while the caller reads
 * the next ones (the export's pipeline): the caller pushes the store's
 * lines in order; they come back in the same order, with their ID and
 * account numbers opened, to a function called on the caller's thread.
 * Two chunks of lines in memory at most (flat, whatever the batch), the
 * opened numbers wiped once delivered. */
#ifndef DD_CASES_PAYFILE_UNSEAL_H
#define DD_CASES_PAYFILE_UNSEAL_H

#include "core/status.h"
#include "crypto/pii.h"
#include "store/store_payment_files.h"

/* The longest account or ID number unsealed, with its NUL. */
#define PAYFILE_SECRET_MAX 64

/* A line with its numbers opened. */
struct unsealed_line {
    struct payfile_line l;
    char id_number[PAYFILE_SECRET_MAX];
    char account[PAYFILE_SECRET_MAX];
};

/* Called for each line in the order pushed; non-DD_OK stops the walk
 * and is what unsealer_push or unsealer_finish return. */
typedef enum dd_status (*unsealed_fn)(const struct unsealed_line *u,
                                      void *ctx);

struct unsealer;

/* A pipeline delivering to fn(…, ctx). Without a helper thread (none
 * could be started) the caller's thread opens the lines itself. */
enum dd_status unsealer_new(const struct pii_keys *pii, unsealed_fn fn,
                            void *ctx, struct unsealer **out) DD_WUR;

/* Takes a copy of l; delivers the lines of an earlier chunk when one is
 * done. DD_EINVAL when a number could not be opened (a sealed value
 * altered or bound to another row), or fn's status. */
enum dd_status unsealer_push(struct unsealer *u,
                             const struct payfile_line *l) DD_WUR;

/* Delivers every line pushed and not yet delivered. */
enum dd_status unsealer_finish(struct unsealer *u) DD_WUR;

/* Stops the helper and wipes the buffers (NULL is fine). */
void unsealer_free(struct unsealer *u);

#endif
