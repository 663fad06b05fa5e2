/* SPDX-License-Identifier: MIT */
/* The SM3 audit chain on a temporary SQLite store: rows appended with
 * audit_log link up (the first to 64 zeros, each next to the one before),
 * audit_verify counts them and finds no break, a rolled-back row leaves no
 * trace, and the row hash follows the documented formula and changes with
 * any field. Tampering is simulated on rows in memory: tests do not reach
 * under the store's typed interface. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "unit_main.h"

#include "audit/audit.h"
#include "crypto/sm3.h"
#include "json/json.h"
#include "store/store.h"

/* A bounded copy into a char array (strcpy is banned). */
#define SET(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

#define ZEROS "0000000000000000000000000000000000000000000000000000000000000000"

struct fixture {
    char dir[64];
    char path[128];
    struct store *st;
};

static int
setup(void **state)
{
    struct fixture *f = test_calloc(1, sizeof(*f));
    char url[160];
    int from, to;
    snprintf(f->dir, sizeof(f->dir), "/tmp/doudi-audit-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof(f->path), "%s/audit.db", f->dir);
    snprintf(url, sizeof(url), "sqlite:%s", f->path);
    if (store_open(url, 2, &f->st) != DD_OK)
        return -1;
    if (store_migrate(f->st, &from, &to) != DD_OK || to <= from)
        return -1;
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;
    char p[200];
    store_close(f->st);
    unlink(f->path);
    snprintf(p, sizeof(p), "%s-wal", f->path);
    unlink(p);
    snprintf(p, sizeof(p), "%s-shm", f->path);
    unlink(p);
    rmdir(f->dir);
    test_free(f);
    return 0;
}

/* One committed write transaction holding one audit row. */
static void
append(struct store *st, const char *actor, const char *action,
       const char *object, const char *region, const char *detail)
{
    struct store_tx *tx;
    assert_int_equal(store_tx_begin(st, STORE_WRITE, &tx), DD_OK);
    assert_int_equal(audit_log(tx, actor, action, object, region, "req-test",
                               detail),
                     DD_OK);
    assert_int_equal(store_tx_commit(tx), DD_OK);
}

static size_t
read_all(struct store *st, struct audit_row *rows, size_t max)
{
    struct store_tx *tx;
    struct audit_filter flt = {0};
    size_t n = 0;
    assert_int_equal(store_tx_begin(st, STORE_READ, &tx), DD_OK);
    assert_int_equal(store_audit_list(tx, &flt, rows, max, &n), DD_OK);
    store_tx_rollback(tx);
    return n;
}

/* hash = SM3(prev_hash as 32 bytes ‖ canonical row), computed here from
 * the primitives rather than through audit_row_hash. */
static void
expected_hash(const struct audit_row *r, char out[STORE_HASH_LEN])
{
    unsigned char prev[32], digest[SM3_DIGEST_LEN];
    for (int i = 0; i < 32; i++) {
        unsigned v;
        assert_int_equal(sscanf(r->prev_hash + 2 * i, "%2x", &v), 1);
        prev[i] = (unsigned char)v;
    }
    char *canon = json_audit_canonical(r);
    assert_non_null(canon);
    struct sm3_ctx *c = sm3_new();
    assert_non_null(c);
    sm3_update(c, prev, sizeof(prev));
    sm3_update(c, canon, strlen(canon));
    sm3_final(c, digest);
    sm3_free(c);
    free(canon);
    hex_encode(digest, sizeof(digest), out);
    out[64] = '\0';
}

static void
test_empty_chain(void **state)
{
    struct fixture *f = *state;
    struct audit_verdict v;
    struct store_tx *tx;
    int64_t seq = -1;
    char tail[STORE_HASH_LEN];
    assert_int_equal(audit_verify(f->st, &v), DD_OK);
    assert_int_equal(v.rows, 0);
    assert_int_equal(v.bad_seq, 0);
    assert_int_equal(store_tx_begin(f->st, STORE_READ, &tx), DD_OK);
    assert_int_equal(store_audit_tail(tx, &seq, tail), DD_OK);
    store_tx_rollback(tx);
    assert_int_equal(seq, 0);
    assert_string_equal(tail, ZEROS);
}

static void
test_chain_links_and_verifies(void **state)
{
    struct fixture *f = *state;
    struct audit_row rows[8];
    struct audit_verdict v;
    append(f->st, "admin", "user.create", "user:2", NULL,
           "{\"username\":\"alice\"}");
    append(f->st, "alice", "session.create", "user:2", NULL, NULL);
    append(f->st, "token:feed", "feed.push", "feed:1", "500103001003",
           "{\"n\":3}");
    append(f->st, NULL, "session.create.failed", "user:unknown", NULL,
           "{\"result\":\"unknown user\"}");

    assert_int_equal(audit_verify(f->st, &v), DD_OK);
    assert_int_equal(v.rows, 4);
    assert_int_equal(v.bad_seq, 0);
    assert_null(v.reason);

    size_t n = read_all(f->st, rows, 8);
    assert_int_equal(n, 4);
    assert_string_equal(rows[0].prev_hash, ZEROS);
    for (size_t i = 0; i < n; i++) {
        char want[STORE_HASH_LEN], got[STORE_HASH_LEN];
        assert_int_equal(rows[i].seq, (int64_t)i + 1);
        assert_int_equal(strlen(rows[i].hash), 64);
        assert_int_equal(strspn(rows[i].hash, "0123456789abcdef"), 64);
        if (i > 0)
            assert_string_equal(rows[i].prev_hash, rows[i - 1].hash);
        expected_hash(&rows[i], want);
        assert_string_equal(rows[i].hash, want);
        assert_int_equal(audit_row_hash(&rows[i], got), DD_OK);
        assert_string_equal(got, want);
    }
    /* what audit_log filled in */
    assert_string_equal(rows[0].actor, "admin");
    assert_string_equal(rows[0].detail, "{\"username\":\"alice\"}");
    assert_string_equal(rows[1].detail, "{}");       /* NULL detail */
    assert_string_equal(rows[2].region, "500103001003");
    assert_string_equal(rows[3].actor, "anonymous"); /* NULL actor */
    assert_string_equal(rows[0].request_id, "req-test");
    assert_true(rows[0].at > 1600000000);
}

/* An action rolled back takes its audit row with it, and the next row
 * chains to the last committed one. */
static void
test_rollback_leaves_no_row(void **state)
{
    struct fixture *f = *state;
    struct store_tx *tx;
    struct audit_row rows[4];
    struct audit_verdict v;
    append(f->st, "admin", "user.create", "user:2", NULL, NULL);
    assert_int_equal(store_tx_begin(f->st, STORE_WRITE, &tx), DD_OK);
    assert_int_equal(audit_log(tx, "admin", "user.update", "user:2", NULL,
                               "r", NULL),
                     DD_OK);
    store_tx_rollback(tx);
    append(f->st, "admin", "user.lock", "user:2", NULL, NULL);
    assert_int_equal(read_all(f->st, rows, 4), 2);
    assert_string_equal(rows[1].action, "user.lock");
    assert_int_equal(rows[1].seq, 2);
    assert_string_equal(rows[1].prev_hash, rows[0].hash);
    assert_int_equal(audit_verify(f->st, &v), DD_OK);
    assert_int_equal(v.rows, 2);
    assert_int_equal(v.bad_seq, 0);
}

/* Any change to a row's content or to its link changes its hash. */
static void
test_tamper_changes_hash(void **state)
{
    struct fixture *f = *state;
    struct audit_row rows[2], t;
    char h[STORE_HASH_LEN];
    append(f->st, "admin", "user.create", "user:2", "500103",
           "{\"role\":\"auditor\"}");
    append(f->st, "admin", "user.update", "user:2", NULL, NULL);
    assert_int_equal(read_all(f->st, rows, 2), 2);

#define TAMPER(stmt)                                                         \
    do {                                                                     \
        t = rows[1];                                                         \
        stmt;                                                                \
        assert_int_equal(audit_row_hash(&t, h), DD_OK);                      \
        assert_string_not_equal(h, rows[1].hash);                            \
    } while (0)

    assert_int_equal(audit_row_hash(&rows[1], h), DD_OK);
    assert_string_equal(h, rows[1].hash);
    TAMPER(t.seq = 3);
    TAMPER(t.at += 1);
    TAMPER(SET(t.actor, "mallory"));
    TAMPER(SET(t.action, "user.delete"));
    TAMPER(SET(t.object, "user:3"));
    TAMPER(SET(t.region, "500103"));
    TAMPER(SET(t.request_id, "req-other"));
    TAMPER(SET(t.detail, "{\"x\":1}"));
    TAMPER(SET(t.prev_hash, ZEROS));
    TAMPER(t.prev_hash[63] = t.prev_hash[63] == 'a' ? 'b' : 'a');
#undef TAMPER

    /* the stored hash is not an input */
    t = rows[1];
    memset(t.hash, 'f', 64);
    assert_int_equal(audit_row_hash(&t, h), DD_OK);
    assert_string_equal(h, rows[1].hash);

    /* a prev_hash that is not 64 lowercase hex digits is refused */
    t = rows[1];
    t.prev_hash[10] = 'A';
    assert_int_equal(audit_row_hash(&t, h), DD_EINVAL);
    t = rows[1];
    t.prev_hash[10] = 'g';
    assert_int_equal(audit_row_hash(&t, h), DD_EINVAL);
    t = rows[1];
    t.prev_hash[63] = '\0';
    assert_int_equal(audit_row_hash(&t, h), DD_EINVAL);
}

/* A row appended by hand (audit_append) gets seq, time and links. */
static void
test_append_fills_row(void **state)
{
    struct fixture *f = *state;
    struct store_tx *tx;
    struct audit_row r, back[2];
    append(f->st, "admin", "user.create", "user:2", NULL, NULL);
    memset(&r, 0, sizeof(r));
    SET(r.actor, "admin");
    SET(r.action, "user.lock");
    SET(r.object, "user:2");
    SET(r.request_id, "req-2");
    r.seq = 99;                   /* ignored: taken from the tail */
    memset(r.prev_hash, '1', 64); /* ignored: taken from the tail */
    assert_int_equal(store_tx_begin(f->st, STORE_WRITE, &tx), DD_OK);
    assert_int_equal(audit_append(tx, &r), DD_OK);
    assert_int_equal(store_tx_commit(tx), DD_OK);
    assert_int_equal(r.seq, 2);
    assert_string_equal(r.detail, "{}");
    assert_int_equal(read_all(f->st, back, 2), 2);
    assert_string_equal(r.prev_hash, back[0].hash);
    assert_string_equal(r.hash, back[1].hash);
}

UNIT_TESTS(NULL, NULL,
           cmocka_unit_test_setup_teardown(test_empty_chain, setup, teardown),
           cmocka_unit_test_setup_teardown(test_chain_links_and_verifies, setup,
                                           teardown),
           cmocka_unit_test_setup_teardown(test_rollback_leaves_no_row, setup,
                                           teardown),
           cmocka_unit_test_setup_teardown(test_tamper_changes_hash, setup,
                                           teardown),
           cmocka_unit_test_setup_teardown(test_append_fills_row, setup,
                                           teardown))
