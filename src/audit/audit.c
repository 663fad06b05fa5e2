/* SPDX-License-Identifier: MIT */
/* Appending to and verifying the SM3 hash chain of the audit log. */
#include "audit/audit.h"

#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/timeutil.h"
#include "crypto/sm3.h"
#include "json/json.h"

static int
hex_decode32(const char *hex, unsigned char out[32])
{
    for (int i = 0; i < 32; i++) {
        unsigned v = 0;
        for (int j = 0; j < 2; j++) {
            char c = hex[2 * i + j];
            v <<= 4;
            if (c >= '0' && c <= '9')
                v |= (unsigned)(c - '0');
            else if (c >= 'a' && c <= 'f')
                v |= (unsigned)(c - 'a' + 10);
            else
                return -1;
        }
        out[i] = (unsigned char)v;
    }
    return hex[64] == '\0' ? 0 : -1;
}

enum dd_status
audit_row_hash(const struct audit_row *row, char out[STORE_HASH_LEN])
{
    unsigned char prev[32], digest[32];
    if (hex_decode32(row->prev_hash, prev) != 0)
        return DD_EINVAL;
    char *canon = json_audit_canonical(row);
    if (!canon)
        return DD_ENOMEM;
    struct sm3_ctx *ctx = sm3_new();
    if (!ctx) {
        free(canon);
        return DD_ENOMEM;
    }
    sm3_update(ctx, prev, sizeof(prev));
    sm3_update(ctx, canon, strlen(canon));
    sm3_final(ctx, digest);
    sm3_free(ctx);
    free(canon);
    hex_encode(digest, sizeof(digest), out);
    return DD_OK;
}

enum dd_status
audit_append(struct store_tx *tx, struct audit_row *row)
{
    int64_t seq;
    enum dd_status rc = store_audit_tail(tx, &seq, row->prev_hash);
    if (rc != DD_OK)
        return rc;
    row->seq = seq + 1;
    row->at = time_now();
    if (!row->detail[0])
        str_copy(row->detail, sizeof(row->detail), "{}");
    rc = audit_row_hash(row, row->hash);
    if (rc != DD_OK)
        return rc;
    return store_audit_insert(tx, row);
}

enum dd_status
audit_log(struct store_tx *tx, const char *actor, const char *action,
          const char *object, const char *region, const char *request_id,
          const char *detail)
{
    int64_t seq;
    return audit_log_seq(tx, actor, action, object, region, request_id, detail,
                         &seq);
}

enum dd_status
audit_log_seq(struct store_tx *tx, const char *actor, const char *action,
              const char *object, const char *region, const char *request_id,
              const char *detail, int64_t *seq)
{
    struct audit_row *row = calloc(1, sizeof(*row));
    if (!row)
        return DD_ENOMEM;
    str_copy(row->actor, sizeof(row->actor), actor ? actor : "anonymous");
    str_copy(row->action, sizeof(row->action), action);
    str_copy(row->object, sizeof(row->object), object);
    str_copy(row->region, sizeof(row->region), region);
    str_copy(row->request_id, sizeof(row->request_id), request_id);
    str_copy(row->detail, sizeof(row->detail), detail ? detail : "{}");
    enum dd_status rc = audit_append(tx, row);
    *seq = row->seq;
    free(row);
    return rc;
}

enum dd_status
audit_log_commit(struct store *st, const char *actor, const char *action,
                 const char *object, const char *region, const char *request_id,
                 const char *detail)
{
    struct store_tx *tx;
    enum dd_status rc = store_tx_begin(st, STORE_WRITE, &tx);
    if (rc != DD_OK)
        return rc;
    rc = audit_log(tx, actor, action, object, region, request_id, detail);
    if (rc == DD_OK)
        rc = store_tx_commit(tx);
    else
        store_tx_rollback(tx);
    return rc;
}

#define VERIFY_BATCH 1000

enum dd_status
audit_verify(struct store *st, struct audit_verdict *out)
{
    enum dd_status rc;
    struct audit_row *rows = calloc(VERIFY_BATCH, sizeof(*rows));
    char prev[STORE_HASH_LEN], want[STORE_HASH_LEN];
    int64_t expect_seq = 1;
    memset(out, 0, sizeof(*out));
    memset(prev, '0', 64);
    prev[64] = '\0';
    if (!rows)
        return DD_ENOMEM;
    for (;;) {
        struct store_tx *tx;
        size_t n = 0;
        struct audit_filter f = {.after_seq = expect_seq - 1};
        rc = store_tx_begin(st, STORE_READ, &tx);
        if (rc != DD_OK)
            goto out;
        rc = store_audit_list(tx, &f, rows, VERIFY_BATCH, &n);
        store_tx_rollback(tx);
        if (rc != DD_OK || n == 0)
            goto out;
        for (size_t i = 0; i < n; i++) {
            const struct audit_row *r = &rows[i];
            if (r->seq != expect_seq) {
                out->bad_seq = expect_seq;
                out->reason = "a row is missing (the sequence has a gap)";
                goto out;
            }
            if (strcmp(r->prev_hash, prev) != 0) {
                out->bad_seq = r->seq;
                out->reason = "prev_hash does not match the previous row";
                goto out;
            }
            rc = audit_row_hash(r, want);
            if (rc == DD_EINVAL || (rc == DD_OK && strcmp(want, r->hash))) {
                rc = DD_OK;
                out->bad_seq = r->seq;
                out->reason = "the row's content does not match its hash";
                goto out;
            }
            if (rc != DD_OK)
                goto out;
            memcpy(prev, r->hash, sizeof(prev));
            out->rows++;
            expect_seq++;
        }
    }
out:
    free(rows);
    return rc;
}
