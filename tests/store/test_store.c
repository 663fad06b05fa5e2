/* SPDX-License-Identifier: MIT */
/* The store conformance suite: one set of tests run unchanged against
 * SQLite and PostgreSQL. The URL comes from DOUDI_TEST_DB, or from
 * $DOUDI_TEST_PG_DIR/url (scripts/pg-throwaway); the database is wiped and
 * migrated first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../policy_fill.h"
#include "../test_case.h"
#include "store/store.h"

#define POOL_SIZE 6
#define WRITERS 4
#define WRITES_EACH 50

static struct store *st;
static char url[1024];
static char tmpdir[64];

/* ---- helpers ---- */

static void
read_url(void)
{
    const char *db = getenv("DOUDI_TEST_DB");
    const char *pgdir = getenv("DOUDI_TEST_PG_DIR");

    if (db && *db) {
        snprintf(url, sizeof(url), "%s", db);
        return;
    }
    if (pgdir && *pgdir) {
        char path[512];
        snprintf(path, sizeof(path), "%s/url", pgdir);
        FILE *f = fopen(path, "r");
        if (!f) {
            fprintf(stderr, "test_store: cannot read %s\n", path);
            exit(1);
        }
        if (!fgets(url, sizeof(url), f))
            url[0] = '\0';
        fclose(f);
        url[strcspn(url, "\r\n")] = '\0';
        return;
    }
    /* run by hand: a fresh SQLite file (in a directory that does not exist
     * yet, which store_open must create) */
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/doudi-store-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        exit(1);
    }
    snprintf(url, sizeof(url), "sqlite:%s/sub/dir/store.db", tmpdir);
}

static struct store_tx *
begin(enum store_mode mode)
{
    struct store_tx *tx = NULL;
    assert_int_equal(store_tx_begin(st, mode, &tx), DD_OK);
    assert_non_null(tx);
    return tx;
}

static void
commit(struct store_tx *tx)
{
    assert_int_equal(store_tx_commit(tx), DD_OK);
}

static void
make_region(struct region *r, const char *code, const char *name,
            const char *level, const char *parent)
{
    memset(r, 0, sizeof(*r));
    snprintf(r->code, sizeof(r->code), "%s", code);
    snprintf(r->name, sizeof(r->name), "%s", name);
    snprintf(r->level, sizeof(r->level), "%s", level);
    snprintf(r->parent_code, sizeof(r->parent_code), "%s", parent);
}

static void
make_user(struct user *u, const char *username)
{
    memset(u, 0, sizeof(*u));
    snprintf(u->username, sizeof(u->username), "%s", username);
    snprintf(u->display_name, sizeof(u->display_name), "张三 %s", username);
    snprintf(u->pw_hash, sizeof(u->pw_hash), "$argon2id$v=19$m=65536$x");
    snprintf(u->role, sizeof(u->role), "caseworker");
    snprintf(u->scope, sizeof(u->scope), "500101,zone:wansheng");
    u->created_at = 1764381666;
}

/* A 64-hex-digit string made of one repeated digit. */
static void
fill_hash(char out[STORE_HASH_LEN], char c)
{
    memset(out, c, STORE_HASH_LEN - 1);
    out[STORE_HASH_LEN - 1] = '\0';
}

static void
make_audit(struct audit_row *a, int64_t seq, int64_t at, const char *actor,
           const char *object)
{
    memset(a, 0, sizeof(*a));
    a->seq = seq;
    a->at = at;
    snprintf(a->actor, sizeof(a->actor), "%s", actor);
    snprintf(a->action, sizeof(a->action), "user.update");
    snprintf(a->object, sizeof(a->object), "%s", object);
    snprintf(a->region, sizeof(a->region), "%s",
             seq >= 4 && seq <= 6 ? "500102001000" : "500101001000");
    snprintf(a->request_id, sizeof(a->request_id), "req-%lld", (long long)seq);
    snprintf(a->detail, sizeof(a->detail), "{\"seq\":%lld}", (long long)seq);
    fill_hash(a->prev_hash, (char)('0' + (seq - 1) % 10));
    fill_hash(a->hash, (char)('0' + seq % 10));
}

static void
audit_clear(void)
{
    /* the audit table has no delete operation: start from a fresh schema */
    int from, to;
    assert_int_equal(store_wipe(st), DD_OK);
    assert_int_equal(store_migrate(st, &from, &to), DD_OK);
}

/* ---- setup ---- */

static int
group_setup(void **state)
{
    int from = -1, to = -1, v = -1;
    (void)state;
    read_url();
    if (store_open(url, POOL_SIZE, &st) != DD_OK) {
        fprintf(stderr, "test_store: cannot open the store\n");
        return -1;
    }
    if (store_wipe(st) != DD_OK || store_schema_version(st, &v) != DD_OK ||
        v != 0 || store_migrate(st, &from, &to) != DD_OK || from != 0 ||
        to < 1) {
        fprintf(stderr, "test_store: wipe/migrate failed\n");
        return -1;
    }
    fprintf(stderr, "test_store: backend %s, schema %d\n", store_backend(st),
            to);
    return 0;
}

static int
group_teardown(void **state)
{
    (void)state;
    store_close(st);
    st = NULL;
    return 0;
}

/* ---- schema ---- */

static void
test_open_rejects_bad_urls(void **state)
{
    struct store *s = (struct store *)1;
    (void)state;
    assert_int_equal(store_open("mysql://x", 1, &s), DD_EINVAL);
    assert_null(s);
    assert_int_equal(store_open("sqlite:", 1, &s), DD_EINVAL);
    assert_int_equal(store_open(url, 0, &s), DD_EINVAL);
}

static void
test_migrate_idempotent(void **state)
{
    int from = -1, to = -1, v = -1;
    (void)state;
    assert_int_equal(store_schema_version(st, &v), DD_OK);
    assert_true(v >= 1);
    assert_int_equal(store_migrate(st, &from, &to), DD_OK);
    assert_int_equal(from, v);
    assert_int_equal(to, v);
    assert_int_equal(store_schema_version(st, &v), DD_OK);
    assert_int_equal(v, to);
    assert_string_equal(store_backend(st), strncmp(url, "sqlite:", 7) == 0
                                               ? "sqlite"
                                               : "postgresql");
}

TEST_CASE(test_ping)
{
    struct store_tx *tx = begin(STORE_READ);
    assert_int_equal(store_ping(tx), DD_OK);
    char verdict[256] = "";
    assert_int_equal(store_integrity_check(tx, verdict), DD_OK);
    assert_string_equal(verdict, "ok");
    commit(tx);
}

/* ---- regions and zones ---- */

static void
test_region_put_get(void **state)
{
    struct region r, got;
    (void)state;
    struct store_tx *tx = begin(STORE_WRITE);
    make_region(&r, "500000000000", "重庆市", "province", "");
    assert_int_equal(store_region_put(tx, &r), DD_OK);
    make_region(&r, "500101000000", "万州区", "county", "500000000000");
    assert_int_equal(store_region_put(tx, &r), DD_OK);
    commit(tx);

    tx = begin(STORE_READ);
    assert_int_equal(store_region_get(tx, "500101000000", &got), DD_OK);
    assert_string_equal(got.code, "500101000000");
    assert_string_equal(got.name, "万州区");
    assert_string_equal(got.level, "county");
    assert_string_equal(got.parent_code, "500000000000");
    assert_int_equal(store_region_get(tx, "500000000000", &got), DD_OK);
    assert_string_equal(got.parent_code, "");
    assert_int_equal(store_region_get(tx, "999999999999", &got), DD_ENOTFOUND);
    commit(tx);

    /* put is an upsert */
    tx = begin(STORE_WRITE);
    make_region(&r, "500101000000", "万州", "county", "500000000000");
    assert_int_equal(store_region_put(tx, &r), DD_OK);
    assert_int_equal(store_region_get(tx, "500101000000", &got), DD_OK);
    assert_string_equal(got.name, "万州");
    commit(tx);
}

static void
test_region_children_paged(void **state)
{
    static const char *codes[] = {"500101005000", "500101001000",
                                  "500101004000", "500101002000",
                                  "500101003000"};
    struct region r, page[2];
    size_t count = 99;
    (void)state;

    struct store_tx *tx = begin(STORE_WRITE);
    for (size_t i = 0; i < 5; i++) {
        make_region(&r, codes[i], "镇", "township", "500101000000");
        assert_int_equal(store_region_put(tx, &r), DD_OK);
    }
    /* a grandchild must not appear among the children */
    make_region(&r, "500101001001", "村", "village", "500101001000");
    assert_int_equal(store_region_put(tx, &r), DD_OK);
    commit(tx);

    tx = begin(STORE_READ);
    char after[STORE_CODE_LEN] = "";
    char seen[5][STORE_CODE_LEN];
    size_t total = 0;
    for (int pages = 0; pages < 10; pages++) {
        assert_int_equal(
            store_region_children(tx, "500101000000", after, page, 2, &count),
            DD_OK);
        assert_true(count <= 2);
        if (count == 0)
            break;
        for (size_t i = 0; i < count; i++) {
            assert_true(total < 5);
            assert_string_equal(page[i].parent_code, "500101000000");
            snprintf(seen[total++], STORE_CODE_LEN, "%s", page[i].code);
        }
        snprintf(after, sizeof(after), "%s", page[count - 1].code);
    }
    assert_int_equal(total, 5);
    assert_string_equal(seen[0], "500101001000");
    assert_string_equal(seen[1], "500101002000");
    assert_string_equal(seen[2], "500101003000");
    assert_string_equal(seen[3], "500101004000");
    assert_string_equal(seen[4], "500101005000");

    /* max 0 reads nothing; an unknown parent has no children */
    assert_int_equal(
        store_region_children(tx, "500101000000", "", page, 0, &count), DD_OK);
    assert_int_equal(count, 0);
    assert_int_equal(store_region_children(tx, "123", NULL, page, 2, &count),
                     DD_OK);
    assert_int_equal(count, 0);
    commit(tx);
}

struct walk {
    int n;
    int stop_at;
    char last[STORE_CODE_LEN];
    int ordered;
};

static int
walk_region(const struct region *r, void *ctx)
{
    struct walk *w = ctx;
    if (w->n > 0 && strcmp(w->last, r->code) >= 0)
        w->ordered = 0;
    snprintf(w->last, sizeof(w->last), "%s", r->code);
    w->n++;
    return w->stop_at && w->n >= w->stop_at;
}

static void
test_region_each(void **state)
{
    struct walk w = {.ordered = 1};
    (void)state;
    struct store_tx *tx = begin(STORE_READ);
    assert_int_equal(store_region_each(tx, walk_region, &w), DD_OK);
    /* 2 from put_get, 6 from children_paged */
    assert_int_equal(w.n, 8);
    assert_true(w.ordered);
    assert_string_equal(w.last, "500101005000");
    struct walk w2 = {.ordered = 1, .stop_at = 3};
    assert_int_equal(store_region_each(tx, walk_region, &w2), DD_OK);
    assert_int_equal(w2.n, 3);
    /* the connection is usable after a stopped walk */
    assert_int_equal(store_ping(tx), DD_OK);
    commit(tx);
}

struct zone_walk {
    int n;
    struct zone_township seen[8];
};

/* A walk callback fn over rows of row_type keeping the first rows it is
 * shown in walk_type's seen[] and counting all of them in n. */
#define WALK_KEEPING(fn, walk_type, row_type)                                  \
    static int fn(const row_type *row, void *ctx)                              \
    {                                                                          \
        struct walk_type *w = ctx;                                             \
        if ((size_t)w->n < sizeof(w->seen) / sizeof(w->seen[0]))               \
            w->seen[w->n] = *row;                                              \
        w->n++;                                                                \
        return 0;                                                              \
    }
WALK_KEEPING(walk_zone, zone_walk, struct zone_township)

static void
test_zone_put_each(void **state)
{
    struct zone_township z;
    struct zone_walk w = {0};
    (void)state;
    struct store_tx *tx = begin(STORE_WRITE);
    memset(&z, 0, sizeof(z));
    snprintf(z.zone, sizeof(z.zone), "wansheng");
    snprintf(z.zone_name, sizeof(z.zone_name), "万盛经开区");
    snprintf(z.township_code, sizeof(z.township_code), "500110002000");
    assert_int_equal(store_zone_put(tx, &z), DD_OK);
    snprintf(z.township_code, sizeof(z.township_code), "500110001000");
    assert_int_equal(store_zone_put(tx, &z), DD_OK);
    /* an upsert of an existing pair renames, not duplicates */
    snprintf(z.zone_name, sizeof(z.zone_name), "万盛");
    assert_int_equal(store_zone_put(tx, &z), DD_OK);
    commit(tx);

    tx = begin(STORE_READ);
    assert_int_equal(store_zone_each(tx, walk_zone, &w), DD_OK);
    commit(tx);
    assert_int_equal(w.n, 2);
    assert_string_equal(w.seen[0].zone, "wansheng");
    assert_string_equal(w.seen[0].township_code, "500110001000");
    assert_string_equal(w.seen[0].zone_name, "万盛");
    assert_string_equal(w.seen[1].township_code, "500110002000");
    assert_string_equal(w.seen[1].zone_name, "万盛经开区");
}

/* ---- the holiday calendar ---- */

struct holiday_walk {
    struct holiday_row seen[4];
    int n;
};

WALK_KEEPING(walk_holiday, holiday_walk, struct holiday_row)

static void
put_holiday(struct store_tx *tx, const char *date, int is_off,
            const char *name)
{
    struct holiday_row h;
    memset(&h, 0, sizeof(h));
    snprintf(h.date, sizeof(h.date), "%s", date);
    h.is_off_day = is_off;
    snprintf(h.name, sizeof(h.name), "%s", name);
    snprintf(h.source, sizeof(h.source), "http://www.gov.cn/notice.htm");
    assert_int_equal(store_holiday_put(tx, &h), DD_OK);
}

static void
test_holiday_put_each(void **state)
{
    struct holiday_walk w = {0};
    (void)state;
    struct store_tx *tx = begin(STORE_WRITE);
    put_holiday(tx, "2022-01-31", 1, "春节");
    put_holiday(tx, "2022-01-29", 0, "春节");
    /* an upsert of a date replaces its row */
    put_holiday(tx, "2022-01-31", 0, "改");
    put_holiday(tx, "2022-01-31", 1, "春节");
    commit(tx);
    /* the schema refuses a mark that is not 0 or 1 */
    tx = begin(STORE_WRITE);
    struct holiday_row bad = {.date = "2022-02-01", .is_off_day = 2};
    assert_int_not_equal(store_holiday_put(tx, &bad), DD_OK);
    store_tx_rollback(tx);

    tx = begin(STORE_READ);
    assert_int_equal(store_holiday_each(tx, walk_holiday, &w), DD_OK);
    commit(tx);
    assert_int_equal(w.n, 2);
    assert_string_equal(w.seen[0].date, "2022-01-29");
    assert_int_equal(w.seen[0].is_off_day, 0);
    assert_string_equal(w.seen[1].date, "2022-01-31");
    assert_int_equal(w.seen[1].is_off_day, 1);
    assert_string_equal(w.seen[1].name, "春节");
    assert_string_equal(w.seen[1].source, "http://www.gov.cn/notice.htm");
}

/* ---- citizens signing in by phone ---- */

/* A citizen session with token hash number token, CSRF token "csrf",
 * live from 1000 to 2800: the caller fills in who it is. */
static void
session_row(struct citizen_session_row *cs, int token)
{
    memset(cs, 0, sizeof(*cs));
    snprintf(cs->token_hash, sizeof(cs->token_hash), "%064d", token);
    snprintf(cs->csrf_token, sizeof(cs->csrf_token), "csrf");
    cs->created_at = 1000;
    cs->expires_at = 2800;
}

static void
test_citizen_otp_and_session(void **state)
{
    struct citizen_otp_row o, got;
    struct citizen_session_row cs, cs_got;
    (void)state;
    memset(&o, 0, sizeof(o));
    snprintf(o.phone_hash, sizeof(o.phone_hash), "%064d", 1);
    snprintf(o.phone_enc, sizeof(o.phone_enc), "v2:sealed");
    snprintf(o.code_hash, sizeof(o.code_hash), "%064d", 2);
    o.created_at = 1000;
    o.expires_at = 1300;
    struct store_tx *tx = begin(STORE_WRITE);
    assert_int_equal(store_citizen_otp_put(tx, &o), DD_OK);
    /* each attempt counts, and the row after it comes back */
    assert_int_equal(store_citizen_otp_attempt(tx, o.phone_hash, &got), DD_OK);
    assert_int_equal(got.attempts, 1);
    assert_int_equal(store_citizen_otp_attempt(tx, o.phone_hash, &got), DD_OK);
    assert_int_equal(got.attempts, 2);
    assert_string_equal(got.code_hash, o.code_hash);
    assert_string_equal(got.phone_enc, "v2:sealed");
    assert_int_equal(got.expires_at, 1300);
    /* a new code replaces the old one and its attempts */
    snprintf(o.code_hash, sizeof(o.code_hash), "%064d", 3);
    o.expires_at = 1600;
    assert_int_equal(store_citizen_otp_put(tx, &o), DD_OK);
    assert_int_equal(store_citizen_otp_attempt(tx, o.phone_hash, &got), DD_OK);
    assert_int_equal(got.attempts, 1);
    assert_int_equal(got.expires_at, 1600);
    /* purged only once expired before the instant given */
    assert_int_equal(store_citizen_otp_purge(tx, 1600), DD_OK);
    assert_int_equal(store_citizen_otp_attempt(tx, o.phone_hash, &got), DD_OK);
    assert_int_equal(store_citizen_otp_purge(tx, 1601), DD_OK);
    assert_int_equal(store_citizen_otp_attempt(tx, o.phone_hash, &got),
                     DD_ENOTFOUND);
    assert_int_equal(store_citizen_otp_put(tx, &o), DD_OK);
    assert_int_equal(store_citizen_otp_delete(tx, o.phone_hash), DD_OK);
    assert_int_equal(store_citizen_otp_attempt(tx, o.phone_hash, &got),
                     DD_ENOTFOUND);

    session_row(&cs, 4);
    snprintf(cs.phone_hash, sizeof(cs.phone_hash), "%064d", 1);
    snprintf(cs.phone_enc, sizeof(cs.phone_enc), "v2:sealed");
    snprintf(cs.phone_masked, sizeof(cs.phone_masked), "138****5678");
    assert_int_equal(store_citizen_session_insert(tx, &cs), DD_OK);
    commit(tx);
    /* a token hash is unique (PostgreSQL aborts the transaction) */
    tx = begin(STORE_WRITE);
    assert_int_equal(store_citizen_session_insert(tx, &cs), DD_ECONFLICT);
    store_tx_rollback(tx);

    tx = begin(STORE_WRITE);
    assert_int_equal(store_citizen_session_get(tx, cs.token_hash, &cs_got),
                     DD_OK);
    assert_string_equal(cs_got.phone_masked, "138****5678");
    assert_string_equal(cs_got.csrf_token, "csrf");
    assert_int_equal(cs_got.expires_at, 2800);
    assert_int_equal(store_citizen_session_purge(tx, 2800), DD_OK);
    assert_int_equal(store_citizen_session_get(tx, cs.token_hash, &cs_got),
                     DD_OK);
    assert_int_equal(store_citizen_session_delete(tx, cs.token_hash), DD_OK);
    assert_int_equal(store_citizen_session_delete(tx, cs.token_hash),
                     DD_ENOTFOUND);
    assert_int_equal(store_citizen_session_get(tx, cs.token_hash, &cs_got),
                     DD_ENOTFOUND);
    commit(tx);
}

/* An OpenID Connect sign-in under way serves once; expired ones are
 * purged; a session proved by an ID number keeps its index and masked
 * form with no phone. */
static void
test_oidc_pending_and_id_session(void **state)
{
    struct oidc_pending_row p, got;
    struct citizen_session_row cs, cs_got;
    (void)state;
    memset(&p, 0, sizeof(p));
    snprintf(p.state_hash, sizeof(p.state_hash), "%064d", 7);
    snprintf(p.nonce_hash, sizeof(p.nonce_hash), "%064d", 8);
    snprintf(p.verifier_enc, sizeof(p.verifier_enc), "v1:verifier");
    p.created_at = 1000;
    p.expires_at = 1600;
    struct store_tx *tx = begin(STORE_WRITE);
    assert_int_equal(store_oidc_pending_put(tx, &p), DD_OK);
    assert_int_equal(store_oidc_pending_take(tx, p.state_hash, &got), DD_OK);
    assert_string_equal(got.nonce_hash, p.nonce_hash);
    assert_string_equal(got.verifier_enc, "v1:verifier");
    assert_int_equal(got.created_at, 1000);
    assert_int_equal(got.expires_at, 1600);
    assert_int_equal(store_oidc_pending_take(tx, p.state_hash, &got),
                     DD_ENOTFOUND);
    assert_int_equal(store_oidc_pending_put(tx, &p), DD_OK);
    assert_int_equal(store_oidc_pending_purge(tx, 1600), DD_OK);
    assert_int_equal(store_oidc_pending_purge(tx, 1601), DD_OK);
    assert_int_equal(store_oidc_pending_take(tx, p.state_hash, &got),
                     DD_ENOTFOUND);

    session_row(&cs, 9);
    snprintf(cs.id_hash, sizeof(cs.id_hash), "%064d", 10);
    snprintf(cs.id_masked, sizeof(cs.id_masked), "110105********002X");
    assert_int_equal(store_citizen_session_insert(tx, &cs), DD_OK);
    assert_int_equal(store_citizen_session_get(tx, cs.token_hash, &cs_got),
                     DD_OK);
    assert_string_equal(cs_got.id_hash, cs.id_hash);
    assert_string_equal(cs_got.id_masked, "110105********002X");
    assert_string_equal(cs_got.phone_hash, "");
    assert_string_equal(cs_got.phone_masked, "");
    commit(tx);
}

/* ---- users ---- */

static void
test_user_crud(void **state)
{
    struct user u, v, got;
    (void)state;
    struct store_tx *tx = begin(STORE_WRITE);
    make_user(&u, "alice");
    assert_int_equal(store_user_insert(tx, &u), DD_OK);
    assert_true(u.id > 0);
    make_user(&v, "bob");
    v.created_at = 0; /* filled in by the store */
    assert_int_equal(store_user_insert(tx, &v), DD_OK);
    assert_true(v.id > u.id);
    assert_true(v.created_at > 0);
    commit(tx);

    tx = begin(STORE_READ);
    assert_int_equal(store_user_get(tx, u.id, &got), DD_OK);
    assert_int_equal(got.id, u.id);
    assert_string_equal(got.username, "alice");
    assert_string_equal(got.display_name, "张三 alice");
    assert_string_equal(got.pw_hash, u.pw_hash);
    assert_string_equal(got.role, "caseworker");
    assert_string_equal(got.department, "");
    assert_string_equal(got.scope, "500101,zone:wansheng");
    assert_int_equal(got.failed_logins, 0);
    assert_int_equal(got.locked_until, 0);
    assert_int_equal(got.disabled, 0);
    assert_int_equal(got.created_at, 1764381666);
    assert_int_equal(store_user_get_by_name(tx, "bob", &got), DD_OK);
    assert_int_equal(got.id, v.id);
    assert_int_equal(store_user_get(tx, v.id + 1000, &got), DD_ENOTFOUND);
    assert_int_equal(store_user_get_by_name(tx, "carol", &got), DD_ENOTFOUND);
    commit(tx);

    /* update writes every mutable field, but not username or created_at */
    tx = begin(STORE_WRITE);
    u.failed_logins = 3;
    u.locked_until = INT64_C(4102444800); /* beyond 2^31 */
    u.disabled = 1;
    snprintf(u.department, sizeof(u.department), "medical");
    snprintf(u.role, sizeof(u.role), "reviewer");
    snprintf(u.display_name, sizeof(u.display_name), "李四");
    snprintf(u.username, sizeof(u.username), "mallory");
    u.created_at = 1;
    assert_int_equal(store_user_update(tx, &u), DD_OK);
    commit(tx);

    tx = begin(STORE_READ);
    assert_int_equal(store_user_get(tx, u.id, &got), DD_OK);
    assert_string_equal(got.username, "alice");
    assert_int_equal(got.created_at, 1764381666);
    assert_int_equal(got.failed_logins, 3);
    assert_int_equal(got.locked_until, INT64_C(4102444800));
    assert_int_equal(got.disabled, 1);
    assert_string_equal(got.department, "medical");
    assert_string_equal(got.role, "reviewer");
    assert_string_equal(got.display_name, "李四");
    commit(tx);

    /* updating a missing user */
    tx = begin(STORE_WRITE);
    u.id = v.id + 1000;
    assert_int_equal(store_user_update(tx, &u), DD_ENOTFOUND);
    store_tx_rollback(tx);
}

static void
test_user_duplicate(void **state)
{
    struct user u;
    (void)state;
    struct store_tx *tx = begin(STORE_WRITE);
    make_user(&u, "alice");
    assert_int_equal(store_user_insert(tx, &u), DD_ECONFLICT);
    /* after an error the transaction can only be rolled back */
    store_tx_rollback(tx);

    /* the pool is intact and alice is still one user */
    struct user list[8];
    size_t count = 0;
    tx = begin(STORE_READ);
    assert_int_equal(store_user_list(tx, 0, list, 8, &count), DD_OK);
    commit(tx);
    assert_int_equal(count, 2);
}

static void
test_user_list_paged(void **state)
{
    struct user u, list[3];
    size_t count = 0;
    char name[32];
    (void)state;
    struct store_tx *tx = begin(STORE_WRITE);
    for (int i = 0; i < 5; i++) {
        snprintf(name, sizeof(name), "list%d", i);
        make_user(&u, name);
        assert_int_equal(store_user_insert(tx, &u), DD_OK);
    }
    commit(tx);

    tx = begin(STORE_READ);
    int64_t after = 0, prev = 0;
    size_t total = 0;
    for (int pages = 0; pages < 10; pages++) {
        assert_int_equal(store_user_list(tx, after, list, 3, &count), DD_OK);
        if (count == 0)
            break;
        assert_true(count <= 3);
        for (size_t i = 0; i < count; i++) {
            assert_true(list[i].id > prev);
            prev = list[i].id;
            total++;
        }
        after = list[count - 1].id;
    }
    commit(tx);
    assert_int_equal(total, 7); /* alice, bob, list0..4 */
}

static void
test_long_strings_truncate_safely(void **state)
{
    struct user u, got;
    (void)state;
    make_user(&u, "");
    /* a username of exactly 63 bytes round-trips */
    memset(u.username, 'x', sizeof(u.username) - 1);
    u.username[sizeof(u.username) - 1] = '\0';
    /* a display name that fills its array with 3-byte characters */
    size_t n = 0;
    while (n + 3 < sizeof(u.display_name)) {
        memcpy(u.display_name + n, "民", 3);
        n += 3;
    }
    u.display_name[n] = '\0';
    struct store_tx *tx = begin(STORE_WRITE);
    assert_int_equal(store_user_insert(tx, &u), DD_OK);
    assert_int_equal(store_user_get(tx, u.id, &got), DD_OK);
    assert_string_equal(got.username, u.username);
    assert_string_equal(got.display_name, u.display_name);
    store_tx_rollback(tx);
}

/* ---- sessions and tokens ---- */

static void
test_session_lifecycle(void **state)
{
    struct user u;
    struct session s, got;
    (void)state;
    struct store_tx *tx = begin(STORE_WRITE);
    make_user(&u, "sess");
    assert_int_equal(store_user_insert(tx, &u), DD_OK);
    memset(&s, 0, sizeof(s));
    fill_hash(s.token_hash, 'a');
    fill_hash(s.csrf_token, 'c');
    s.user_id = u.id;
    s.created_at = 1000;
    s.last_seen_at = 1000;
    assert_int_equal(store_session_insert(tx, &s), DD_OK);
    fill_hash(s.token_hash, 'b');
    assert_int_equal(store_session_insert(tx, &s), DD_OK);
    fill_hash(s.token_hash, 'd');
    assert_int_equal(store_session_insert(tx, &s), DD_OK);
    commit(tx);

    char ha[STORE_HASH_LEN], hb[STORE_HASH_LEN], hd[STORE_HASH_LEN];
    fill_hash(ha, 'a');
    fill_hash(hb, 'b');
    fill_hash(hd, 'd');
    tx = begin(STORE_WRITE);
    assert_int_equal(store_session_get(tx, ha, &got), DD_OK);
    assert_string_equal(got.token_hash, ha);
    assert_int_equal(got.user_id, u.id);
    assert_string_equal(got.csrf_token, s.csrf_token);
    assert_int_equal(got.created_at, 1000);
    assert_int_equal(got.last_seen_at, 1000);
    assert_int_equal(store_session_touch(tx, ha, 2000), DD_OK);
    assert_int_equal(store_session_get(tx, ha, &got), DD_OK);
    assert_int_equal(got.last_seen_at, 2000);
    assert_int_equal(got.created_at, 1000);
    /* the joined lookup every authenticated request makes */
    struct session joined;
    struct user owner;
    assert_int_equal(store_session_auth(tx, ha, &joined, &owner), DD_OK);
    assert_string_equal(joined.csrf_token, s.csrf_token);
    assert_int_equal(joined.last_seen_at, 2000);
    assert_int_equal(owner.id, u.id);
    assert_string_equal(owner.username, u.username);
    assert_string_equal(owner.scope, u.scope);
    assert_string_equal(owner.pw_hash, u.pw_hash);
    assert_int_equal(owner.created_at, u.created_at);
    assert_int_equal(store_session_delete(tx, hd), DD_OK);
    assert_int_equal(store_session_get(tx, hd, &got), DD_ENOTFOUND);
    assert_int_equal(store_session_auth(tx, hd, &joined, &owner),
                     DD_ENOTFOUND);
    commit(tx);

    tx = begin(STORE_WRITE);
    char missing[STORE_HASH_LEN];
    fill_hash(missing, 'f');
    assert_int_equal(store_session_touch(tx, missing, 3000), DD_ENOTFOUND);
    assert_int_equal(store_session_delete(tx, missing), DD_ENOTFOUND);
    assert_int_equal(store_session_delete_user(tx, u.id), DD_OK);
    assert_int_equal(store_session_get(tx, ha, &got), DD_ENOTFOUND);
    assert_int_equal(store_session_get(tx, hb, &got), DD_ENOTFOUND);
    commit(tx);
}

static void
test_session_needs_user(void **state)
{
    struct session s;
    (void)state;
    memset(&s, 0, sizeof(s));
    fill_hash(s.token_hash, 'e');
    fill_hash(s.csrf_token, 'e');
    s.user_id = 999999;
    struct store_tx *tx = begin(STORE_WRITE);
    /* the foreign key holds */
    assert_int_equal(store_session_insert(tx, &s), DD_ECONFLICT);
    store_tx_rollback(tx);
}

static void
test_api_token(void **state)
{
    struct api_token t, got;
    (void)state;
    memset(&t, 0, sizeof(t));
    snprintf(t.name, sizeof(t.name), "hospital-feed");
    fill_hash(t.token_hash, '7');
    snprintf(t.role, sizeof(t.role), "partner");
    snprintf(t.department, sizeof(t.department), "medical");
    snprintf(t.scope, sizeof(t.scope), "500101");
    t.created_at = 1234;
    struct store_tx *tx = begin(STORE_WRITE);
    assert_int_equal(store_api_token_insert(tx, &t), DD_OK);
    assert_true(t.id > 0);
    commit(tx);

    tx = begin(STORE_READ);
    assert_int_equal(store_api_token_get(tx, t.token_hash, &got), DD_OK);
    assert_int_equal(got.id, t.id);
    assert_string_equal(got.name, "hospital-feed");
    assert_string_equal(got.role, "partner");
    assert_string_equal(got.department, "medical");
    assert_string_equal(got.scope, "500101");
    assert_int_equal(got.created_at, 1234);
    assert_int_equal(got.revoked, 0);
    char other[STORE_HASH_LEN];
    fill_hash(other, '8');
    assert_int_equal(store_api_token_get(tx, other, &got), DD_ENOTFOUND);
    commit(tx);

    /* a second token with the same name conflicts */
    tx = begin(STORE_WRITE);
    fill_hash(t.token_hash, '9');
    assert_int_equal(store_api_token_insert(tx, &t), DD_ECONFLICT);
    store_tx_rollback(tx);
}

/* ---- audit ---- */

/* A page of store_audit_list: the filter, the page size, how many rows it
 * must give and the seq of those checked (index, seq; seq 0 ends the
 * list). */
struct audit_page {
    struct audit_filter f;
    size_t max, count;
    struct {
        size_t index;
        int64_t seq;
    } want[4];
};

/* Lists each page of t[0 .. n) in tx and checks it; a failure names the
 * row. */
static void
audit_pages(struct store_tx *tx, const struct audit_page *t, size_t n)
{
    struct audit_row out[16];
    for (size_t i = 0; i < n; i++) {
        size_t count = 0;
        enum dd_status rc =
            store_audit_list(tx, &t[i].f, out, t[i].max, &count);
        if (rc != DD_OK || count != t[i].count)
            fail_msg("audit page %zu: status %d and %zu rows, want DD_OK and "
                     "%zu",
                     i, (int)rc, count, t[i].count);
        for (size_t k = 0; k < 4 && t[i].want[k].seq; k++)
            if (out[t[i].want[k].index].seq != t[i].want[k].seq)
                fail_msg("audit page %zu: row %zu has seq %lld, want %lld", i,
                         t[i].want[k].index,
                         (long long)out[t[i].want[k].index].seq,
                         (long long)t[i].want[k].seq);
    }
}

static void
test_audit_tail_and_list(void **state)
{
    int64_t seq = -1;
    char h[STORE_HASH_LEN], zeros[STORE_HASH_LEN];
    struct audit_row a, out[16];
    size_t count = 0;
    (void)state;

    audit_clear();
    fill_hash(zeros, '0');
    struct store_tx *tx = begin(STORE_READ);
    memset(h, 'x', sizeof(h));
    assert_int_equal(store_audit_tail(tx, &seq, h), DD_OK);
    assert_int_equal(seq, 0);
    assert_int_equal(strlen(h), 64);
    assert_string_equal(h, zeros);
    commit(tx);

    /* seq 1..6: actors alternate, objects in threes, at = 100 * seq */
    tx = begin(STORE_WRITE);
    for (int64_t i = 1; i <= 6; i++) {
        assert_int_equal(store_audit_tail(tx, &seq, h), DD_OK);
        assert_int_equal(seq, i - 1);
        make_audit(&a, i, 100 * i, i % 2 ? "alice" : "token:feed",
                   i <= 3 ? "user:1" : "user:2");
        assert_int_equal(store_audit_insert(tx, &a), DD_OK);
    }
    assert_int_equal(store_audit_tail(tx, &seq, h), DD_OK);
    assert_int_equal(seq, 6);
    assert_string_equal(h, a.hash);
    /* a duplicate seq conflicts */
    assert_int_equal(store_audit_insert(tx, &a), DD_ECONFLICT);
    store_tx_rollback(tx);

    /* the rollback took the six rows with it: write them again */
    tx = begin(STORE_READ);
    assert_int_equal(store_audit_tail(tx, &seq, h), DD_OK);
    assert_int_equal(seq, 0);
    commit(tx);
    tx = begin(STORE_WRITE);
    for (int64_t i = 1; i <= 6; i++) {
        make_audit(&a, i, 100 * i, i % 2 ? "alice" : "token:feed",
                   i <= 3 ? "user:1" : "user:2");
        assert_int_equal(store_audit_insert(tx, &a), DD_OK);
    }
    commit(tx);

    tx = begin(STORE_READ);
    assert_int_equal(store_audit_tail(tx, &seq, h), DD_OK);
    assert_int_equal(seq, 6);
    fill_hash(zeros, '6');
    assert_string_equal(h, zeros);

    struct audit_filter f = {0};
    assert_int_equal(store_audit_list(tx, &f, out, 16, &count), DD_OK);
    assert_int_equal(count, 6);
    for (size_t i = 0; i < count; i++)
        assert_int_equal(out[i].seq, (int64_t)i + 1);
    /* every field round-trips */
    make_audit(&a, 4, 400, "token:feed", "user:2");
    assert_int_equal(out[3].at, 400);
    assert_string_equal(out[3].actor, a.actor);
    assert_string_equal(out[3].action, a.action);
    assert_string_equal(out[3].object, a.object);
    assert_string_equal(out[3].region, a.region);
    assert_string_equal(out[3].request_id, a.request_id);
    assert_string_equal(out[3].detail, a.detail);
    assert_string_equal(out[3].prev_hash, a.prev_hash);
    assert_string_equal(out[3].hash, a.hash);

    /* the filters, each row a page: the filter, the page size, how many
     * rows come back and the seq of those checked (index, seq) */
    const struct audit_page pages[] = {
        /* actor */
        {{.actor = "alice"}, 16, 3, {{0, 1}, {1, 3}, {2, 5}}},
        /* object */
        {{.object = "user:2"}, 16, 3, {{0, 4}, {2, 6}}},
        /* actor and object */
        {{.actor = "alice", .object = "user:2"}, 16, 1, {{0, 5}}},
        /* time range, inclusive at both ends */
        {{.from = 200, .to = 400}, 16, 3, {{0, 2}, {2, 4}}},
        {{.from = 500}, 16, 2, {{0, 5}}},
        {{.to = 100}, 16, 1, {{0, 1}}},
        /* cursor and max page through */
        {{.after_seq = 2}, 3, 3, {{0, 3}, {2, 5}}},
        {{.after_seq = 5}, 3, 1, {{0, 6}}}, /* after the page before's last */
        {{.after_seq = 6}, 3, 0, {{0}}},
        /* cursor with an actor */
        {{.actor = "token:feed", .after_seq = 2}, 16, 2, {{0, 4}, {1, 6}}},
        /* region prefix: rows 1-3 are in 500101001000, 4-6 in 500102001000 */
        {{.region_prefix = "500102"}, 16, 3, {{0, 4}, {2, 6}}},
        {{.region_prefix = "5001", .actor = "alice"}, 16, 3, {{0}}},
        {{.region_prefix = "500101001000", .object = "user:1", .after_seq = 1},
         16,
         2,
         {{0, 2}}},
        {{.region_prefix = "51"}, 16, 0, {{0}}},
        /* no match */
        {{.actor = "nobody"}, 16, 0, {{0}}},
    };
    audit_pages(tx, pages, sizeof(pages) / sizeof(pages[0]));
    commit(tx);
}

/* ---- transactions ---- */

static void
test_rollback_discards(void **state)
{
    struct region r, got;
    struct user u;
    (void)state;
    struct store_tx *tx = begin(STORE_WRITE);
    make_region(&r, "510000000000", "四川省", "province", "");
    assert_int_equal(store_region_put(tx, &r), DD_OK);
    make_user(&u, "ghost");
    assert_int_equal(store_user_insert(tx, &u), DD_OK);
    /* visible inside its own transaction */
    assert_int_equal(store_region_get(tx, "510000000000", &got), DD_OK);
    store_tx_rollback(tx);
    store_tx_rollback(NULL);

    tx = begin(STORE_READ);
    assert_int_equal(store_region_get(tx, "510000000000", &got), DD_ENOTFOUND);
    assert_int_equal(store_user_get_by_name(tx, "ghost", &u), DD_ENOTFOUND);
    commit(tx);
}

static void
test_commit_visible(void **state)
{
    struct region r, got;
    (void)state;
    /* a read transaction opened before the write commits */
    struct store_tx *rd = begin(STORE_READ);
    assert_int_equal(store_region_get(rd, "520000000000", &got), DD_ENOTFOUND);

    struct store_tx *tx = begin(STORE_WRITE);
    make_region(&r, "520000000000", "贵州省", "province", "");
    assert_int_equal(store_region_put(tx, &r), DD_OK);
    commit(tx);

    /* the old snapshot does not see it; a new transaction does */
    assert_int_equal(store_region_get(rd, "520000000000", &got), DD_ENOTFOUND);
    commit(rd);
    tx = begin(STORE_READ);
    assert_int_equal(store_region_get(tx, "520000000000", &got), DD_OK);
    assert_string_equal(got.name, "贵州省");
    commit(tx);
}

static void
test_write_in_read_tx_refused(void **state)
{
    struct region r;
    (void)state;
    struct store_tx *tx = begin(STORE_READ);
    make_region(&r, "530000000000", "云南省", "province", "");
    assert_int_equal(store_region_put(tx, &r), DD_EINTERNAL);
    store_tx_rollback(tx);
}

struct writer {
    int id;
    int ok;
    int failures;
    enum dd_status last;
};

static void *
writer_main(void *arg)
{
    struct writer *w = arg;
    for (int i = 0; i < WRITES_EACH; i++) {
        struct store_tx *tx = NULL;
        struct audit_row a;
        int64_t seq;
        char prev[STORE_HASH_LEN];
        enum dd_status rc = store_tx_begin(st, STORE_WRITE, &tx);
        if (rc == DD_OK)
            rc = store_audit_tail(tx, &seq, prev);
        if (rc == DD_OK) {
            char actor[16];
            snprintf(actor, sizeof(actor), "writer%d", w->id);
            make_audit(&a, seq + 1, seq + 1, actor, "audit:test");
            memcpy(a.prev_hash, prev, STORE_HASH_LEN);
            rc = store_audit_insert(tx, &a);
        }
        if (rc == DD_OK) {
            rc = store_tx_commit(tx);
            tx = NULL;
        }
        store_tx_rollback(tx);
        if (rc == DD_OK) {
            w->ok++;
        } else {
            w->failures++;
            w->last = rc;
        }
    }
    return NULL;
}

static void
test_concurrent_audit_appends(void **state)
{
    pthread_t th[WRITERS];
    struct writer w[WRITERS];
    static struct audit_row rows[WRITERS * WRITES_EACH + 10];
    size_t count = 0;
    (void)state;

    audit_clear();
    for (int i = 0; i < WRITERS; i++) {
        w[i] = (struct writer){.id = i};
        assert_int_equal(pthread_create(&th[i], NULL, writer_main, &w[i]), 0);
    }
    for (int i = 0; i < WRITERS; i++)
        assert_int_equal(pthread_join(th[i], NULL), 0);
    for (int i = 0; i < WRITERS; i++) {
        if (w[i].failures)
            fprintf(stderr, "writer %d: %d failures, last %s\n", i,
                    w[i].failures, dd_status_name(w[i].last));
        assert_int_equal(w[i].ok, WRITES_EACH);
    }

    size_t n = WRITERS * WRITES_EACH;
    struct store_tx *tx = begin(STORE_READ);
    struct audit_filter f = {0};
    assert_int_equal(store_audit_list(tx, &f, rows, n + 10, &count), DD_OK);
    commit(tx);
    assert_int_equal(count, n);
    /* seq 1..200 with no gap or duplicate, and each row chained to the
     * hash of the row before it */
    for (size_t i = 0; i < count; i++) {
        assert_int_equal(rows[i].seq, (int64_t)i + 1);
        if (i > 0)
            assert_string_equal(rows[i].prev_hash, rows[i - 1].hash);
    }
}

/* ---- the pool ---- */

static void *
late_reader(void *arg)
{
    struct store *s = arg;
    struct store_tx *tx = NULL;
    if (store_tx_begin(s, STORE_READ, &tx) != DD_OK)
        return (void *)1;
    if (store_ping(tx) != DD_OK) {
        store_tx_rollback(tx);
        return (void *)1;
    }
    return store_tx_commit(tx) == DD_OK ? NULL : (void *)1;
}

static void
test_pool_stats(void **state)
{
    struct store_pool_stats ps;
    struct store *one = NULL;
    (void)state;

    store_pool_stats(st, &ps);
    assert_int_equal(ps.in_use, 0);
    assert_true(ps.size >= 1 && ps.size <= POOL_SIZE);
    struct store_tx *a = begin(STORE_READ);
    struct store_tx *b = begin(STORE_WRITE);
    store_pool_stats(st, &ps);
    assert_int_equal(ps.in_use, 2);
    assert_true(ps.size >= 2);
    commit(b);
    store_pool_stats(st, &ps);
    assert_int_equal(ps.in_use, 1);
    store_tx_rollback(a);
    store_pool_stats(st, &ps);
    assert_int_equal(ps.in_use, 0);

    /* a pool of one: opened lazily, and a second taker waits */
    assert_int_equal(store_open(url, 1, &one), DD_OK);
    store_pool_stats(one, &ps);
    assert_int_equal(ps.size, 0);
    assert_int_equal(ps.in_use, 0);
    assert_int_equal(ps.waits, 0);
    struct store_tx *tx = NULL;
    assert_int_equal(store_tx_begin(one, STORE_READ, &tx), DD_OK);
    store_pool_stats(one, &ps);
    assert_int_equal(ps.size, 1);
    assert_int_equal(ps.in_use, 1);

    pthread_t th;
    void *res = (void *)2;
    assert_int_equal(pthread_create(&th, NULL, late_reader, one), 0);
    for (int i = 0; i < 200; i++) { /* up to 2 s for it to block */
        store_pool_stats(one, &ps);
        if (ps.waits > 0)
            break;
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    assert_int_equal(ps.waits, 1);
    assert_int_equal(store_tx_commit(tx), DD_OK);
    assert_int_equal(pthread_join(th, &res), 0);
    assert_null(res);
    store_pool_stats(one, &ps);
    assert_int_equal(ps.size, 1);
    assert_int_equal(ps.in_use, 0);
    assert_int_equal(ps.waits, 1);
    store_close(one);
}

/* Every connection taken (a missed rollback, say): the next begin fails
 * with DD_ESTORE once the pool's timeout passes instead of hanging for
 * good, and the pool serves again as soon as one is given back. */
static void
test_pool_timeout(void **state)
{
    struct store *two = NULL;
    struct store_tx *a = NULL, *b = NULL, *tx = NULL;
    struct store_pool_stats ps;
    struct timespec t0, t1;
    (void)state;

    assert_int_equal(store_open(url, 2, &two), DD_OK);
    store_pool_timeout_set(two, 100);
    assert_int_equal(store_tx_begin(two, STORE_READ, &a), DD_OK);
    assert_int_equal(store_tx_begin(two, STORE_WRITE, &b), DD_OK);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(store_tx_begin(two, STORE_READ, &tx), DD_ESTORE);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_null(tx);
    int64_t ms = (int64_t)(t1.tv_sec - t0.tv_sec) * 1000 +
                 (t1.tv_nsec - t0.tv_nsec) / 1000000;
    assert_true(ms >= 99);
    assert_true(ms < 5000);
    store_pool_stats(two, &ps);
    assert_int_equal(ps.in_use, 2);
    assert_int_equal(ps.waits, 1);
    /* store_wipe takes from the same pool, and gives up the same way */
    assert_int_equal(store_wipe(two), DD_ESTORE);

    store_tx_rollback(b);
    assert_int_equal(store_tx_begin(two, STORE_READ, &tx), DD_OK);
    assert_int_equal(store_ping(tx), DD_OK);
    assert_int_equal(store_tx_commit(tx), DD_OK);
    store_tx_rollback(a);
    store_pool_stats(two, &ps);
    assert_int_equal(ps.in_use, 0);
    store_close(two);
}

/* SQLite: a writer that cannot get the lock gives up after the busy
 * timeout (5 s) with DD_ESTORE instead of hanging or failing at once. */
static void
test_sqlite_busy_times_out(void **state)
{
    struct store *other = NULL;
    struct store_tx *held, *tx = NULL;
    (void)state;
    if (strncmp(url, "sqlite:", 7) != 0) {
        skip();
        return;
    }
    assert_int_equal(store_open(url, 1, &other), DD_OK);
    held = begin(STORE_WRITE);
    time_t t0 = time(NULL);
    assert_int_equal(store_tx_begin(other, STORE_WRITE, &tx), DD_ESTORE);
    assert_null(tx);
    assert_true(time(NULL) - t0 >= 4);
    /* readers are not blocked by the writer (WAL) */
    assert_int_equal(store_tx_begin(other, STORE_READ, &tx), DD_OK);
    assert_int_equal(store_ping(tx), DD_OK);
    assert_int_equal(store_tx_commit(tx), DD_OK);
    store_tx_rollback(held);
    /* and the lock is free again */
    assert_int_equal(store_tx_begin(other, STORE_WRITE, &tx), DD_OK);
    assert_int_equal(store_tx_commit(tx), DD_OK);
    store_close(other);
}

/* The sqlite3 CLI (another process, as an operator's or a backup's) reads
 * one region's name from the database file; "" when there is none. */
static void
cli_region_name(const char *code, char *out, size_t size)
{
    char cmd[1400];
    snprintf(cmd, sizeof(cmd),
             "sqlite3 -cmd '.timeout 5000' '%s' "
             "\"SELECT name FROM region WHERE code = '%s'\"",
             url + 7, code);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    out[0] = '\0';
    if (!fgets(out, (int)size, p))
        out[0] = '\0';
    out[strcspn(out, "\n")] = '\0';
    assert_int_equal(pclose(p), 0);
}

/* SQLite: writes stay visible to other processes however the pool grows.
 * POSIX drops every lock a process holds on a file when it closes any
 * descriptor of that file, so a connection opened by touching the file
 * with open() and close() once took away the locks of the connections
 * already open. Another process then found the database unused when it
 * closed, checkpointed it and deleted its WAL: the server went on
 * committing into the deleted file, and no other process, nor the server
 * after a restart, ever saw those writes. */
static void
test_sqlite_other_process_sees_writes(void **state)
{
    struct store *other = NULL;
    struct store_tx *a, *b;
    struct region r;
    char name[128];
    (void)state;
    if (strncmp(url, "sqlite:", 7) != 0) {
        skip();
        return;
    }
    /* st's connections are open and in WAL mode; a second store opens
     * more, two at once */
    struct store_tx *tx = begin(STORE_READ);
    assert_int_equal(store_ping(tx), DD_OK);
    commit(tx);
    assert_int_equal(store_open(url, 2, &other), DD_OK);
    assert_int_equal(store_tx_begin(other, STORE_READ, &a), DD_OK);
    assert_int_equal(store_tx_begin(other, STORE_READ, &b), DD_OK);
    assert_int_equal(store_ping(a), DD_OK);
    assert_int_equal(store_ping(b), DD_OK);
    assert_int_equal(store_tx_commit(a), DD_OK);
    assert_int_equal(store_tx_commit(b), DD_OK);

    tx = begin(STORE_WRITE);
    make_region(&r, "540000000000", "西藏自治区", "province", "");
    assert_int_equal(store_region_put(tx, &r), DD_OK);
    commit(tx);
    cli_region_name("540000000000", name, sizeof(name));
    assert_string_equal(name, "西藏自治区");
    /* the other process has closed the file: a later commit of ours is
     * still in the database it sees */
    tx = begin(STORE_WRITE);
    make_region(&r, "650000000000", "新疆维吾尔自治区", "province", "");
    assert_int_equal(store_region_put(tx, &r), DD_OK);
    commit(tx);
    cli_region_name("650000000000", name, sizeof(name));
    assert_string_equal(name, "新疆维吾尔自治区");
    store_close(other);
}

/* A one-statement read (a session's check) runs its statement on its
 * own: it reads what is committed, a second statement is refused, and it
 * cannot write; ending it either way gives the connection back clean. */
TEST_CASE(test_read_one)
{
    struct region r;
    make_region(&r, "509901", "单读区", "county", "500000");
    struct store_tx *w = begin(STORE_WRITE);
    assert_int_equal(store_region_put(w, &r), DD_OK);
    commit(w);
    struct store_tx *tx = begin(STORE_READ_ONE);
    struct region got;
    assert_int_equal(store_region_get(tx, "509901", &got), DD_OK);
    assert_string_equal(got.name, "单读区");
    assert_int_equal(store_region_get(tx, "509901", &got), DD_EINTERNAL);
    commit(tx);
    tx = begin(STORE_READ_ONE);
    assert_int_equal(store_region_put(tx, &r), DD_EINTERNAL);
    store_tx_rollback(tx);
    /* the pool's connections are as good as before: every one in turn */
    for (int i = 0; i < POOL_SIZE + 1; i++) {
        tx = begin(i % 2 ? STORE_READ_ONE : STORE_READ);
        assert_int_equal(store_ping(tx), DD_OK);
        if (i % 3)
            commit(tx);
        else
            store_tx_rollback(tx);
    }
}

/* PostgreSQL: connections killed by the server (a restart, a failover)
 * are reconnected when next taken from the pool. */
TEST_CASE(test_pg_reconnects)
{
    if (strncmp(url, "sqlite:", 7) == 0) {
        skip();
        return;
    }
    /* every pooled connection has been used at least once by now */
    PGconn *admin = PQconnectdb(url);
    assert_int_equal(PQstatus(admin), CONNECTION_OK);
    PGresult *res = PQexec(admin, "SELECT count(pg_terminate_backend(pid))"
                                  " FROM pg_stat_activity"
                                  " WHERE datname = current_database()"
                                  " AND pid <> pg_backend_pid()");
    assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
    assert_true(strtol(PQgetvalue(res, 0, 0), NULL, 10) >= 1);
    PQclear(res);
    PQfinish(admin);

    for (int i = 0; i < POOL_SIZE + 1; i++) {
        struct store_tx *txs[POOL_SIZE];
        int n = i % POOL_SIZE + 1;
        for (int j = 0; j < n; j++) {
            txs[j] = begin(j % 2 ? STORE_WRITE : STORE_READ);
            assert_int_equal(store_ping(txs[j]), DD_OK);
        }
        for (int j = 0; j < n; j++)
            commit(txs[j]);
    }
    int v = 0;
    assert_int_equal(store_schema_version(st, &v), DD_OK);
    assert_true(v >= 1);
}

/* ---- policy parameters ---- */

static void
make_policy(struct policy_row *p, const char *key, const char *region,
            const char *date, int64_t value)
{
    POLICY_FILL(p, key, region, date, value, "渝民发〔2023〕10号 (test)");
    snprintf(p->created_by, sizeof(p->created_by), "test");
}

struct policy_seen {
    struct policy_row rows[16];
    size_t n;
    size_t stop_after; /* 0 = never stop */
};

static int
collect_policy(const struct policy_row *p, void *ctx)
{
    struct policy_seen *s = ctx;
    if (strncmp(p->key, "test.", 5) != 0)
        return 0; /* versions other tests (or a seed) left */
    if (s->n < 16)
        s->rows[s->n] = *p;
    s->n++;
    return s->stop_after && s->n >= s->stop_after;
}

/* Runs one SQL text on the database behind the store, outside it; returns
 * 0 when the database accepted it. */
static int
raw_exec(const char *sql)
{
    if (strncmp(url, "sqlite:", 7) == 0) {
        sqlite3 *db = NULL;
        int src = sqlite3_open(url + 7, &db);
        if (src == SQLITE_OK)
            src = sqlite3_exec(db, sql, NULL, NULL, NULL);
        sqlite3_close(db);
        return src == SQLITE_OK ? 0 : -1;
    }
    PGconn *c = PQconnectdb(url);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    PGresult *res = PQexec(c, sql);
    int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
    PQfinish(c);
    return ok ? 0 : -1;
}

static void
test_policy_insert_each(void **state)
{
    struct policy_row p;
    struct policy_seen seen = {0};
    (void)state;
    /* inserted out of order: the walk is by key, region, date */
    const struct {
        const char *key, *region, *date;
        int64_t value;
    } in[] = {
        {"test.b", "50", "2023-09-01", 73500},
        {"test.a", "500103", "2024-01-01", 80000},
        {"test.a", "50", "2023-09-01", 73500},
        {"test.a", "50", "2021-09-01", 63600},
        {"test.b", "50", "2018-01-01", 0},
    };
    struct store_tx *tx = begin(STORE_WRITE);
    int64_t last_id = 0;
    for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
        make_policy(&p, in[i].key, in[i].region, in[i].date, in[i].value);
        p.created_at = i == 0 ? 1700000000 : 0;
        assert_int_equal(store_policy_insert(tx, &p), DD_OK);
        assert_true(p.id > last_id);
        last_id = p.id;
        if (i == 0)
            assert_int_equal(p.created_at, 1700000000);
        else
            assert_true(p.created_at > 1700000000);
    }
    commit(tx);

    tx = begin(STORE_READ);
    assert_int_equal(store_policy_each(tx, collect_policy, &seen), DD_OK);
    commit(tx);
    assert_int_equal(seen.n, 5);
    const char *order[][3] = {
        {"test.a", "50", "2021-09-01"},     {"test.a", "50", "2023-09-01"},
        {"test.a", "500103", "2024-01-01"}, {"test.b", "50", "2018-01-01"},
        {"test.b", "50", "2023-09-01"},
    };
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(seen.rows[i].key, order[i][0]);
        assert_string_equal(seen.rows[i].region_code, order[i][1]);
        assert_string_equal(seen.rows[i].effective_from, order[i][2]);
    }
    /* every column comes back */
    assert_int_equal(seen.rows[0].value, 63600);
    assert_int_equal(seen.rows[2].value, 80000);
    assert_int_equal(seen.rows[3].value, 0);
    assert_string_equal(seen.rows[4].unit, "fen/month");
    assert_string_equal(seen.rows[4].source, "渝民发〔2023〕10号 (test)");
    assert_string_equal(seen.rows[4].confidence, "H");
    assert_string_equal(seen.rows[4].created_by, "test");
    assert_int_equal(seen.rows[4].created_at, 1700000000);
    assert_true(seen.rows[4].id > 0);

    /* a non-zero return stops the walk */
    memset(&seen, 0, sizeof(seen));
    seen.stop_after = 2;
    tx = begin(STORE_READ);
    assert_int_equal(store_policy_each(tx, collect_policy, &seen), DD_OK);
    commit(tx);
    assert_int_equal(seen.n, 2);
}

static void
test_policy_append_only(void **state)
{
    struct policy_row p;
    struct policy_seen seen = {0};
    (void)state;
    /* the same version again, even with the same value: a conflict, and
     * the transaction is rolled back as store.h asks */
    struct store_tx *tx = begin(STORE_WRITE);
    make_policy(&p, "test.a", "50", "2023-09-01", 99999);
    assert_int_equal(store_policy_insert(tx, &p), DD_ECONFLICT);
    store_tx_rollback(tx);
    tx = begin(STORE_WRITE);
    make_policy(&p, "test.a", "50", "2023-09-01", 73500);
    assert_int_equal(store_policy_insert(tx, &p), DD_ECONFLICT);
    store_tx_rollback(tx);
    /* a negative value and an unknown confidence are refused by the
     * schema too, not only by the callers */
    tx = begin(STORE_WRITE);
    make_policy(&p, "test.c", "50", "2023-09-01", -1);
    assert_int_equal(store_policy_insert(tx, &p), DD_ECONFLICT);
    store_tx_rollback(tx);
    tx = begin(STORE_WRITE);
    make_policy(&p, "test.c", "50", "2023-09-01", 1);
    snprintf(p.confidence, sizeof(p.confidence), "X");
    assert_int_equal(store_policy_insert(tx, &p), DD_ECONFLICT);
    store_tx_rollback(tx);
    /* a write on a read transaction is the caller's bug */
    tx = begin(STORE_READ);
    make_policy(&p, "test.c", "50", "2023-09-01", 1);
    assert_int_equal(store_policy_insert(tx, &p), DD_EINTERNAL);
    store_tx_rollback(tx);

    /* the database itself refuses to edit or remove a version */
    assert_int_not_equal(raw_exec("UPDATE policy_param SET value = 1"
                                  " WHERE key = 'test.a'"),
                         0);
    assert_int_not_equal(raw_exec("DELETE FROM policy_param"
                                  " WHERE key = 'test.a'"),
                         0);
    tx = begin(STORE_READ);
    assert_int_equal(store_policy_each(tx, collect_policy, &seen), DD_OK);
    commit(tx);
    assert_int_equal(seen.n, 5);
    assert_int_equal(seen.rows[0].value, 63600);
    assert_int_equal(seen.rows[1].value, 73500);

    /* a new version for a new date is fine: history grows */
    tx = begin(STORE_WRITE);
    make_policy(&p, "test.a", "50", "2024-09-01", 75000);
    assert_int_equal(store_policy_insert(tx, &p), DD_OK);
    commit(tx);
    memset(&seen, 0, sizeof(seen));
    tx = begin(STORE_READ);
    assert_int_equal(store_policy_each(tx, collect_policy, &seen), DD_OK);
    commit(tx);
    assert_int_equal(seen.n, 6);
    assert_string_equal(seen.rows[2].effective_from, "2024-09-01");
    assert_int_equal(seen.rows[2].value, 75000);
}

/* ---- the household registry (migration 3) ---- */

static void
hh_fill(struct household_row *h, const char *village)
{
    memset(h, 0, sizeof(*h));
    snprintf(h->county_code, sizeof(h->county_code), "%.6s", village);
    snprintf(h->region_code, sizeof(h->region_code), "%s", village);
    snprintf(h->hukou_region, sizeof(h->hukou_region), "%s", village);
    snprintf(h->address, sizeof(h->address), "解放碑 1 号");
    snprintf(h->urban_or_rural, sizeof(h->urban_or_rural), "urban");
    snprintf(h->status, sizeof(h->status), "active");
}

static void
person_fill(struct person_row *p, int64_t hh, const char *hash_char)
{
    memset(p, 0, sizeof(*p));
    p->household_id = hh;
    snprintf(p->county_code, sizeof(p->county_code), "500103");
    memset(p->id_hash, hash_char[0], 64);
    p->id_hash[64] = '\0';
    snprintf(p->id_enc, sizeof(p->id_enc), "v2:sealed-%c", hash_char[0]);
    snprintf(p->id_masked, sizeof(p->id_masked), "500103********123X");
    p->active = 1;
    snprintf(p->name, sizeof(p->name), "张三");
    snprintf(p->sex, sizeof(p->sex), "M");
    snprintf(p->birth_date, sizeof(p->birth_date), "1980-01-02");
    p->relation = 2;
    p->disability_category = 4;
    p->disability_grade = 2;
    snprintf(p->disability_card_enc, sizeof(p->disability_card_enc), "v2:card");
    p->major_illness = 1;
    p->work_capacity = 1;
    p->schooling = 2;
    p->employed = 1;
    p->selfcare_unable = 0x21;
}

/* A death recorded in error is withdrawn once (migration 29): the row
 * stays, the person is active again and a second death can be recorded;
 * the database refuses a second withdrawal, any other change to the row,
 * and its removal. */
TEST_CASE(test_death_withdrawal)
{
    struct household_row h;
    struct person_row p;
    struct person_death_row d = {0}, again, got;
    struct store_tx *tx = begin(STORE_WRITE);
    hh_fill(&h, "500103001003");
    assert_int_equal(store_household_insert(tx, &h), DD_OK);
    person_fill(&p, h.id, "dw");
    assert_int_equal(store_person_insert(tx, &p), DD_OK);
    d.person_id = p.id;
    d.household_id = h.id;
    snprintf(d.county_code, sizeof(d.county_code), "500103");
    snprintf(d.region_code, sizeof(d.region_code), "500103001003");
    snprintf(d.id_hash, sizeof(d.id_hash), "%s", p.id_hash);
    snprintf(d.died_on, sizeof(d.died_on), "2026-10-20");
    snprintf(d.source, sizeof(d.source), "staff");
    snprintf(d.recorded_by, sizeof(d.recorded_by), "t");
    assert_int_equal(store_person_death_insert(tx, &d), DD_OK);
    again = d;
    assert_int_equal(store_person_death_insert(tx, &again), DD_ECONFLICT);
    store_tx_rollback(tx);
    tx = begin(STORE_WRITE);
    assert_int_equal(store_household_insert(tx, &h), DD_OK);
    person_fill(&p, h.id, "dw");
    assert_int_equal(store_person_insert(tx, &p), DD_OK);
    d.person_id = p.id;
    d.household_id = h.id;
    assert_int_equal(store_person_death_insert(tx, &d), DD_OK);
    assert_int_equal(store_person_death_withdraw(tx, &d, "c", 1000, "误报"),
                     DD_OK);
    assert_int_equal(store_person_death_get(tx, p.id, &got), DD_ENOTFOUND);
    assert_int_equal(store_person_death_withdraw(tx, &d, "c", 1001, "again"),
                     DD_ENOTFOUND);
    again = d;
    snprintf(again.died_on, sizeof(again.died_on), "2026-12-03");
    assert_int_equal(store_person_death_insert(tx, &again), DD_OK);
    assert_int_equal(store_person_death_get(tx, p.id, &got), DD_OK);
    assert_string_equal(got.died_on, "2026-12-03");
    commit(tx);
    /* the database itself: no other change, no second withdrawal, no
     * removal */
    const char *const refused[] = {
        "UPDATE person_death SET died_on = '2026-10-21'"
        " WHERE withdrawn_at <> 0",
        "UPDATE person_death SET withdrawn_at = 2000 WHERE withdrawn_at <> 0",
        "UPDATE person_death SET withdrawn_at = 3000, note = 'x'"
        " WHERE withdrawn_at = 0",
        "DELETE FROM person_death"};
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
        if (raw_exec(refused[i]) == 0)
            fail_msg("accepted: %s", refused[i]);
}

TEST_CASE(test_household_crud)
{
    struct household_row h, got;
    struct person_row p, ps[4];
    struct income_row inc, incs[4];
    struct asset_row as, ass[4];
    struct obligor_row ob, obs[4];
    size_t n = 0;

    struct store_tx *tx = begin(STORE_WRITE);
    hh_fill(&h, "500103001003");
    assert_int_equal(store_household_insert(tx, &h), DD_OK);
    assert_true(h.id > 0);
    assert_int_equal(h.version, 1);
    person_fill(&p, h.id, "a");
    assert_int_equal(store_person_insert(tx, &p), DD_OK);
    assert_true(p.id > 0);
    inc = (struct income_row){.person_id = p.id, .county_code = "500103",
                              .kind = 0, .monthly_fen = 150000};
    assert_int_equal(store_income_insert(tx, &inc), DD_OK);
    inc.kind = 6;
    inc.monthly_fen = 2000;
    assert_int_equal(store_income_insert(tx, &inc), DD_OK);
    as = (struct asset_row){.household_id = h.id, .county_code = "500103",
                            .kind = 3, .count = 1, .area_dm2 = 6000};
    assert_int_equal(store_asset_insert(tx, &as), DD_OK);
    as = (struct asset_row){.household_id = h.id, .county_code = "500103",
                            .owner_person_id = p.id, .kind = 0,
                            .value_fen = 500000, .count = 1, .exempt = 1};
    assert_int_equal(store_asset_insert(tx, &as), DD_OK);
    ob = (struct obligor_row){.household_id = h.id, .county_code = "500103",
                              .of_person_id = p.id, .relation = 2,
                              .name = "李四", .birth_date = "2000-03-04",
                              .flags = OBLIGOR_IN_PRISON,
                              .income_monthly_fen = 9900};
    assert_int_equal(store_obligor_insert(tx, &ob), DD_OK);
    commit(tx);

    tx = begin(STORE_READ);
    assert_int_equal(store_household_get(tx, h.id, &got), DD_OK);
    assert_string_equal(got.region_code, "500103001003");
    assert_string_equal(got.county_code, "500103");
    assert_string_equal(got.address, "解放碑 1 号");
    assert_string_equal(got.status, "active");
    assert_int_equal(got.version, 1);
    assert_true(got.created_at > 0);
    assert_int_equal(store_person_list(tx, h.id, ps, 4, &n), DD_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ps[0].id, p.id);
    assert_int_equal(ps[0].active, 1);
    assert_string_equal(ps[0].id_hash, p.id_hash);
    assert_string_equal(ps[0].id_enc, "v2:sealed-a");
    assert_string_equal(ps[0].name, "张三");
    assert_string_equal(ps[0].birth_date, "1980-01-02");
    assert_int_equal(ps[0].relation, 2);
    assert_int_equal(ps[0].disability_category, 4);
    assert_int_equal(ps[0].disability_grade, 2);
    assert_string_equal(ps[0].disability_card_enc, "v2:card");
    assert_int_equal(ps[0].selfcare_unable, 0x21);
    assert_int_equal(ps[0].employed, 1);
    assert_int_equal(store_income_list(tx, h.id, incs, 4, &n), DD_OK);
    assert_int_equal(n, 2);
    assert_int_equal(incs[0].monthly_fen, 150000);
    assert_int_equal(incs[1].kind, 6);
    assert_int_equal(store_asset_list(tx, h.id, ass, 4, &n), DD_OK);
    assert_int_equal(n, 2);
    assert_int_equal(ass[0].owner_person_id, 0); /* joint */
    assert_int_equal(ass[0].area_dm2, 6000);
    assert_int_equal(ass[1].owner_person_id, p.id);
    assert_int_equal(ass[1].exempt, 1);
    assert_int_equal(store_obligor_list(tx, h.id, obs, 4, &n), DD_OK);
    assert_int_equal(n, 1);
    assert_string_equal(obs[0].name, "李四");
    assert_int_equal(obs[0].flags, OBLIGOR_IN_PRISON);
    assert_int_equal(obs[0].income_monthly_fen, 9900);
    int64_t hid = 0;
    assert_int_equal(store_person_active_household(tx, p.id_hash, &hid),
                     DD_OK);
    assert_int_equal(hid, h.id);
    commit(tx);

    /* optimistic concurrency: a stale version is a conflict, a missing
     * household is not found */
    tx = begin(STORE_WRITE);
    snprintf(got.address, sizeof(got.address), "新地址");
    assert_int_equal(store_household_update(tx, &got, 1), DD_OK);
    assert_int_equal(got.version, 2);
    assert_int_equal(store_household_update(tx, &got, 1), DD_ECONFLICT);
    store_tx_rollback(tx);
    tx = begin(STORE_WRITE);
    got.id = 99999999;
    assert_int_equal(store_household_update(tx, &got, 1), DD_ENOTFOUND);
    store_tx_rollback(tx);

    /* a duplicate income kind is a conflict */
    tx = begin(STORE_WRITE);
    inc.kind = 0;
    assert_int_equal(store_income_insert(tx, &inc), DD_ECONFLICT);
    store_tx_rollback(tx);

    /* clearing removes members, incomes, assets and obligors */
    tx = begin(STORE_WRITE);
    assert_int_equal(store_household_clear(tx, h.id), DD_OK);
    assert_int_equal(store_person_list(tx, h.id, ps, 4, &n), DD_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_income_list(tx, h.id, incs, 4, &n), DD_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_asset_list(tx, h.id, ass, 4, &n), DD_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_obligor_list(tx, h.id, obs, 4, &n), DD_OK);
    assert_int_equal(n, 0);
    store_tx_rollback(tx);
}

/* A person is active in at most one household, enforced by the database;
 * an inactive household frees its members. */
TEST_CASE(test_household_person_unique)
{
    struct household_row h1, h2;
    struct person_row p, ps[4];
    size_t n = 0;
    int64_t ids[4], hid = 0;

    struct store_tx *tx = begin(STORE_WRITE);
    hh_fill(&h1, "500103001003");
    hh_fill(&h2, "500103001004");
    assert_int_equal(store_household_insert(tx, &h1), DD_OK);
    assert_int_equal(store_household_insert(tx, &h2), DD_OK);
    person_fill(&p, h1.id, "b");
    assert_int_equal(store_person_insert(tx, &p), DD_OK);
    commit(tx);

    tx = begin(STORE_WRITE);
    person_fill(&p, h2.id, "b");
    assert_int_equal(store_person_insert(tx, &p), DD_ECONFLICT);
    store_tx_rollback(tx);

    /* twice in the same household is refused too */
    tx = begin(STORE_WRITE);
    person_fill(&p, h1.id, "b");
    assert_int_equal(store_person_insert(tx, &p), DD_ECONFLICT);
    store_tx_rollback(tx);

    /* inactive, the first household frees the person */
    tx = begin(STORE_WRITE);
    snprintf(h1.status, sizeof(h1.status), "inactive");
    assert_int_equal(store_household_update(tx, &h1, 1), DD_OK);
    assert_int_equal(store_person_active_household(tx, p.id_hash, &hid),
                     DD_ENOTFOUND);
    person_fill(&p, h2.id, "b");
    assert_int_equal(store_person_insert(tx, &p), DD_OK);
    commit(tx);

    tx = begin(STORE_READ);
    assert_int_equal(store_person_list(tx, h1.id, ps, 4, &n), DD_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ps[0].active, 0);
    assert_int_equal(store_person_active_household(tx, p.id_hash, &hid),
                     DD_OK);
    assert_int_equal(hid, h2.id);
    assert_int_equal(store_household_by_id_hash(tx, p.id_hash, ids, 4, &n),
                     DD_OK);
    assert_int_equal(n, 2);
    assert_int_equal(ids[0], h2.id);
    assert_int_equal(ids[1], h1.id);
    commit(tx);

    /* deleting a member: only from its own household */
    tx = begin(STORE_WRITE);
    assert_int_equal(store_person_delete(tx, h1.id, p.id), DD_ENOTFOUND);
    assert_int_equal(store_person_delete(tx, h2.id, p.id), DD_OK);
    assert_int_equal(store_person_active_household(tx, p.id_hash, &hid),
                     DD_ENOTFOUND);
    commit(tx);
}

TEST_CASE(test_household_list_by_prefix)
{
    struct household_row h, out[8];
    size_t n = 0;
    int64_t first = 0;
    struct store_tx *tx = begin(STORE_WRITE);
    static const char *const villages[] = {"500105001001", "500105001002",
                                           "500105002001", "500106001001"};
    for (size_t i = 0; i < 4; i++) {
        hh_fill(&h, villages[i]);
        assert_int_equal(store_household_insert(tx, &h), DD_OK);
        if (i == 0)
            first = h.id;
    }
    commit(tx);
    tx = begin(STORE_READ);
    assert_int_equal(store_household_list(tx, "500105", 0, out, 8, &n),
                     DD_OK);
    assert_int_equal(n, 3);
    assert_int_equal(store_household_list(tx, "500105001", 0, out, 8, &n),
                     DD_OK);
    assert_int_equal(n, 2);
    /* pages after a cursor */
    assert_int_equal(store_household_list(tx, "500105", first, out, 1, &n),
                     DD_OK);
    assert_int_equal(n, 1);
    assert_string_equal(out[0].region_code, "500105001002");
    assert_int_equal(store_household_list(tx, "500106", 0, out, 8, &n),
                     DD_OK);
    assert_int_equal(n, 1);
    commit(tx);
}

/* store_household_read: a household and every part in one statement,
 * each part in id order whatever order the engine returns it in (the
 * incomes go in kind 6 before kind 0, so an index on (person, kind) walks
 * them the other way), nothing of another household, cut at the bounds
 * given, not found when there is no household. */
/* Where household_read_one_pass writes: the typed inserts of tx, or a
 * bulk load into it (store_bulk_*, flushed before the commit). */
struct rows_to {
    struct store_tx *tx;
    struct store_bulk *bulk;
};

static void
put_household(struct rows_to *w, struct household_row *h)
{
    int64_t id = 0;
    if (!w->bulk) {
        assert_int_equal(store_household_insert(w->tx, h), DD_OK);
        return;
    }
    assert_int_equal(store_bulk_household_id(w->bulk, &id), DD_OK);
    assert_int_equal(store_bulk_household(w->bulk, h), DD_OK);
    assert_int_equal(h->id, id);
}

static void
put_person(struct rows_to *w, struct person_row *p)
{
    assert_int_equal(w->bulk ? store_bulk_person(w->bulk, p)
                             : store_person_insert(w->tx, p),
                     DD_OK);
}

static void
put_income(struct rows_to *w, struct income_row *r)
{
    assert_int_equal(w->bulk ? store_bulk_income(w->bulk, r)
                             : store_income_insert(w->tx, r),
                     DD_OK);
}

static void
put_asset(struct rows_to *w, struct asset_row *r)
{
    assert_int_equal(w->bulk ? store_bulk_asset(w->bulk, r)
                             : store_asset_insert(w->tx, r),
                     DD_OK);
}

static void
put_obligor(struct rows_to *w, struct obligor_row *r)
{
    assert_int_equal(w->bulk ? store_bulk_obligor(w->bulk, r)
                             : store_obligor_insert(w->tx, r),
                     DD_OK);
}

static void
household_read_one_pass(int bulk, const char *hashes)
{
    struct household_row h, other, got;
    struct person_row p[3], ms[4];
    struct income_row inc, incs[8];
    struct asset_row as, ass[4];
    struct obligor_row ob, obs[4];
    int64_t inc_ids[3], as_ids[2], ob_ids[2];

    struct store_tx *tx = begin(STORE_WRITE);
    struct rows_to w = {tx, NULL};
    if (bulk) {
        assert_int_equal(store_bulk_new(&w.bulk), DD_OK);
        store_bulk_begin(w.bulk, tx);
    }
    hh_fill(&h, "500107001001");
    /* what COPY's text format escapes, written and read back as is */
    snprintf(h.address, sizeof(h.address), "解放碑 1 号\\ \t\r\n");
    put_household(&w, &h);
    hh_fill(&other, "500107001002");
    put_household(&w, &other);
    for (int i = 0; i < 3; i++) {
        person_fill(&p[i], h.id, hashes + i);
        p[i].relation = i;
        put_person(&w, &p[i]);
    }
    const int kinds[3] = {6, 0, 3};
    const int64_t owners[3] = {p[0].id, p[0].id, p[2].id};
    for (int i = 0; i < 3; i++) {
        inc = (struct income_row){.person_id = owners[i],
                                  .county_code = "500107",
                                  .kind = kinds[i],
                                  .monthly_fen = 1000 * (i + 1)};
        put_income(&w, &inc);
        inc_ids[i] = inc.id;
    }
    for (int i = 0; i < 2; i++) {
        as = (struct asset_row){.household_id = h.id,
                                .county_code = "500107",
                                .owner_person_id = i ? p[1].id : 0,
                                .kind = 3 - i, .value_fen = 100 + i,
                                .count = 1, .area_dm2 = 10 * i,
                                .exempt = i};
        put_asset(&w, &as);
        as_ids[i] = as.id;
        ob = (struct obligor_row){.household_id = h.id,
                                  .county_code = "500107",
                                  .of_person_id = p[2 - i].id,
                                  .relation = 1 + i, .name = "王五",
                                  .disability_category = i,
                                  .disability_grade = i,
                                  .flags = OBLIGOR_MISSING << i,
                                  .income_monthly_fen = 77 + i};
        if (!i)
            snprintf(ob.birth_date, sizeof(ob.birth_date), "1970-01-01");
        put_obligor(&w, &ob);
        ob_ids[i] = ob.id;
    }
    /* another household's member and income are not read */
    struct person_row q;
    person_fill(&q, other.id, hashes + 3);
    put_person(&w, &q);
    inc = (struct income_row){.person_id = q.id, .county_code = "500107",
                              .kind = 1, .monthly_fen = 5};
    put_income(&w, &inc);
    if (bulk) {
        assert_int_equal(store_bulk_flush(w.bulk), DD_OK);
        store_bulk_free(w.bulk);
    }
    commit(tx);

    struct store_household_parts parts = {
        .members = ms, .members_max = 4, .incomes = incs, .incomes_max = 8,
        .assets = ass, .assets_max = 4, .obligors = obs, .obligors_max = 4};
    tx = begin(STORE_READ);
    assert_int_equal(store_household_read(tx, h.id, &got, &parts), DD_OK);
    assert_int_equal(got.id, h.id);
    assert_string_equal(got.region_code, "500107001001");
    assert_string_equal(got.hukou_region, "500107001001");
    assert_string_equal(got.county_code, "500107");
    assert_string_equal(got.address, h.address);
    assert_string_equal(got.urban_or_rural, "urban");
    assert_string_equal(got.status, "active");
    assert_int_equal(got.version, 1);
    assert_int_equal(got.created_at, h.created_at);
    assert_int_equal(got.updated_at, h.updated_at);
    assert_int_equal(parts.member_count, 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(ms[i].id, p[i].id);
        assert_int_equal(ms[i].household_id, h.id);
        assert_int_equal(ms[i].relation, i);
        assert_int_equal(ms[i].active, 1);
        assert_string_equal(ms[i].id_hash, p[i].id_hash);
        assert_string_equal(ms[i].id_enc, p[i].id_enc);
        assert_string_equal(ms[i].id_masked, "500103********123X");
        assert_string_equal(ms[i].name, "张三");
        assert_string_equal(ms[i].sex, "M");
        assert_string_equal(ms[i].birth_date, "1980-01-02");
        assert_string_equal(ms[i].county_code, "500103");
        assert_int_equal(ms[i].disability_category, 4);
        assert_int_equal(ms[i].disability_grade, 2);
        assert_string_equal(ms[i].disability_card_enc, "v2:card");
        assert_int_equal(ms[i].major_illness, 1);
        assert_int_equal(ms[i].work_capacity, 1);
        assert_int_equal(ms[i].schooling, 2);
        assert_int_equal(ms[i].employed, 1);
        assert_int_equal(ms[i].selfcare_unable, 0x21);
    }
    assert_int_equal(parts.income_count, 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(incs[i].id, inc_ids[i]);
        assert_int_equal(incs[i].person_id, owners[i]);
        assert_int_equal(incs[i].kind, kinds[i]);
        assert_int_equal(incs[i].monthly_fen, 1000 * (i + 1));
        assert_string_equal(incs[i].county_code, "500107");
    }
    assert_int_equal(parts.asset_count, 2);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(ass[i].id, as_ids[i]);
        assert_int_equal(ass[i].household_id, h.id);
        assert_int_equal(ass[i].owner_person_id, i ? p[1].id : 0);
        assert_int_equal(ass[i].kind, 3 - i);
        assert_int_equal(ass[i].value_fen, 100 + i);
        assert_int_equal(ass[i].count, 1);
        assert_int_equal(ass[i].area_dm2, 10 * i);
        assert_int_equal(ass[i].exempt, i);
    }
    assert_int_equal(parts.obligor_count, 2);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(obs[i].id, ob_ids[i]);
        assert_int_equal(obs[i].household_id, h.id);
        assert_int_equal(obs[i].of_person_id, p[2 - i].id);
        assert_int_equal(obs[i].relation, 1 + i);
        assert_string_equal(obs[i].name, "王五");
        assert_string_equal(obs[i].birth_date, i ? "" : "1970-01-01");
        assert_int_equal(obs[i].disability_category, i);
        assert_int_equal(obs[i].disability_grade, i);
        assert_int_equal(obs[i].flags, OBLIGOR_MISSING << i);
        assert_int_equal(obs[i].income_monthly_fen, 77 + i);
    }
    /* the bounds cut, never overflow */
    parts.members_max = 2;
    parts.incomes_max = 1;
    parts.assets_max = 0;
    parts.obligors_max = 1;
    assert_int_equal(store_household_read(tx, h.id, &got, &parts), DD_OK);
    assert_int_equal(parts.member_count, 2);
    assert_int_equal(parts.income_count, 1);
    assert_int_equal(parts.asset_count, 0);
    assert_int_equal(parts.obligor_count, 1);
    /* a household with nothing under it yet; no household at all */
    struct household_row bare;
    hh_fill(&bare, "500107001003");
    commit(tx);
    tx = begin(STORE_WRITE);
    assert_int_equal(store_household_insert(tx, &bare), DD_OK);
    commit(tx);
    tx = begin(STORE_READ);
    parts.members_max = 4;
    assert_int_equal(store_household_read(tx, bare.id, &got, &parts), DD_OK);
    assert_int_equal(got.id, bare.id);
    assert_int_equal(parts.member_count + parts.income_count +
                         parts.asset_count + parts.obligor_count,
                     0);
    assert_int_equal(store_household_read(tx, 99999999, &got, &parts),
                     DD_ENOTFOUND);
    commit(tx);
}

TEST_CASE(test_household_read_one_pass)
{
    household_read_one_pass(0, "rstu");
}

/* The generator's bulk load (store_bulk_*: COPY on PostgreSQL, row by row
 * on SQLite) writes what the typed inserts write, read back the same way;
 * a person already active is refused (at the person on SQLite, at the
 * flush on PostgreSQL) and the transaction keeps nothing. */
TEST_CASE(test_household_bulk_load)
{
    household_read_one_pass(1, "RSTU");

    struct store_bulk *b = NULL;
    struct household_row h;
    struct person_row p;
    int64_t id = 0;
    assert_int_equal(store_bulk_new(&b), DD_OK);
    struct store_tx *tx = begin(STORE_WRITE);
    store_bulk_begin(b, tx);
    hh_fill(&h, "500107001003");
    assert_int_equal(store_bulk_household_id(b, &id), DD_OK);
    assert_int_equal(store_bulk_household(b, &h), DD_OK);
    person_fill(&p, h.id, "R"); /* active in household_read_one_pass's */
    enum dd_status rc = store_bulk_person(b, &p);
    if (rc == DD_OK)
        rc = store_bulk_flush(b);
    assert_int_equal(rc, DD_ECONFLICT);
    store_tx_rollback(tx);
    store_bulk_free(b);
    tx = begin(STORE_READ);
    assert_int_equal(store_household_get(tx, id, &h), DD_ENOTFOUND);
    commit(tx);
}

/* A member rewritten in place keeps its id, active mark and blind index,
 * and loses its incomes (the caller writes them anew); the holdings of a
 * household are cleared without touching its members. */
TEST_CASE(test_household_member_update)
{
    struct household_row h;
    struct person_row p, ps[4];
    struct income_row inc, incs[4];
    struct asset_row as, ass[4];
    struct obligor_row ob, obs[4];
    size_t n = 0;

    struct store_tx *tx = begin(STORE_WRITE);
    hh_fill(&h, "500107002001");
    assert_int_equal(store_household_insert(tx, &h), DD_OK);
    person_fill(&p, h.id, "v");
    assert_int_equal(store_person_insert(tx, &p), DD_OK);
    inc = (struct income_row){.person_id = p.id, .county_code = "500107",
                              .kind = 0, .monthly_fen = 100};
    assert_int_equal(store_income_insert(tx, &inc), DD_OK);
    as = (struct asset_row){.household_id = h.id, .county_code = "500107",
                            .owner_person_id = p.id, .kind = 0,
                            .value_fen = 1, .count = 1};
    assert_int_equal(store_asset_insert(tx, &as), DD_OK);
    ob = (struct obligor_row){.household_id = h.id, .county_code = "500107",
                              .of_person_id = p.id, .relation = 2};
    assert_int_equal(store_obligor_insert(tx, &ob), DD_OK);
    commit(tx);

    tx = begin(STORE_WRITE);
    struct person_row u = p;
    snprintf(u.name, sizeof(u.name), "张三丰");
    snprintf(u.id_enc, sizeof(u.id_enc), "v2:resealed");
    snprintf(u.county_code, sizeof(u.county_code), "500107");
    u.relation = 1;
    u.disability_category = u.disability_grade = 0;
    u.disability_card_enc[0] = '\0';
    u.major_illness = u.employed = 0;
    u.work_capacity = 2;
    u.schooling = 3;
    u.selfcare_unable = 0;
    assert_int_equal(store_person_update(tx, &u), DD_OK);
    /* the incomes went with the update: the same kind goes in again */
    inc.monthly_fen = 200;
    assert_int_equal(store_income_insert(tx, &inc), DD_OK);
    assert_int_equal(store_household_clear_holdings(tx, h.id), DD_OK);
    /* only a member of that household */
    u.household_id = h.id + 1000000;
    assert_int_equal(store_person_update(tx, &u), DD_ENOTFOUND);
    commit(tx);

    tx = begin(STORE_READ);
    assert_int_equal(store_person_list(tx, h.id, ps, 4, &n), DD_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ps[0].id, p.id);
    assert_int_equal(ps[0].active, 1);
    assert_string_equal(ps[0].id_hash, p.id_hash);
    assert_string_equal(ps[0].id_enc, "v2:resealed");
    assert_string_equal(ps[0].name, "张三丰");
    assert_string_equal(ps[0].county_code, "500107");
    assert_int_equal(ps[0].relation, 1);
    assert_int_equal(ps[0].disability_category, 0);
    assert_string_equal(ps[0].disability_card_enc, "");
    assert_int_equal(ps[0].major_illness, 0);
    assert_int_equal(ps[0].employed, 0);
    assert_int_equal(ps[0].work_capacity, 2);
    assert_int_equal(ps[0].schooling, 3);
    assert_int_equal(ps[0].selfcare_unable, 0);
    assert_int_equal(store_income_list(tx, h.id, incs, 4, &n), DD_OK);
    assert_int_equal(n, 1);
    assert_int_equal(incs[0].monthly_fen, 200);
    assert_int_equal(store_asset_list(tx, h.id, ass, 4, &n), DD_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_obligor_list(tx, h.id, obs, 4, &n), DD_OK);
    assert_int_equal(n, 0);
    int64_t hid = 0;
    assert_int_equal(store_person_active_household(tx, p.id_hash, &hid),
                     DD_OK);
    assert_int_equal(hid, h.id);
    commit(tx);
}

/* Households under any of several prefixes (a zone's townships), with a
 * region within them, in id order after a cursor; prefixes that overlap
 * give a household once; a prefix that is not digits is refused. */
TEST_CASE(test_household_list_in)
{
    struct household_row h, out[8];
    size_t n = 0;
    int64_t ids[6];
    static const char *const villages[] = {
        "500108001001", "500108002001", "500108003001",
        "500108001002", "500108009001", "500108002002"};
    struct store_tx *tx = begin(STORE_WRITE);
    for (size_t i = 0; i < 6; i++) {
        hh_fill(&h, villages[i]);
        assert_int_equal(store_household_insert(tx, &h), DD_OK);
        ids[i] = h.id;
    }
    commit(tx);

    const char *zone[] = {"500108002", "500108001"};
    tx = begin(STORE_READ);
    assert_int_equal(
        store_household_list_in(tx, zone, 2, "", 0, out, 8, &n), DD_OK);
    assert_int_equal(n, 4);
    assert_int_equal(out[0].id, ids[0]);
    assert_int_equal(out[1].id, ids[1]);
    assert_int_equal(out[2].id, ids[3]);
    assert_int_equal(out[3].id, ids[5]);
    assert_string_equal(out[2].region_code, "500108001002");
    /* pages after a cursor */
    assert_int_equal(
        store_household_list_in(tx, zone, 2, "", ids[1], out, 1, &n), DD_OK);
    assert_int_equal(n, 1);
    assert_int_equal(out[0].id, ids[3]);
    assert_int_equal(
        store_household_list_in(tx, zone, 2, "", ids[5], out, 8, &n), DD_OK);
    assert_int_equal(n, 0);
    /* a region within the prefixes */
    assert_int_equal(
        store_household_list_in(tx, zone, 2, "500108002", 0, out, 8, &n),
        DD_OK);
    assert_int_equal(n, 2);
    assert_int_equal(out[0].id, ids[1]);
    assert_int_equal(out[1].id, ids[5]);
    assert_int_equal(
        store_household_list_in(tx, zone, 2, "500108003", 0, out, 8, &n),
        DD_OK);
    assert_int_equal(n, 0);
    /* overlapping prefixes: each household once */
    const char *overlap[] = {"500108", "500108001", "500108001002"};
    assert_int_equal(
        store_household_list_in(tx, overlap, 3, "", 0, out, 8, &n), DD_OK);
    assert_int_equal(n, 6);
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(out[i].id, ids[i]);
    const char *bad[] = {"500108001", "5001'08"};
    assert_int_equal(store_household_list_in(tx, bad, 2, "", 0, out, 8, &n),
                     DD_EINVAL);
    commit(tx);
}

/* ---- wipe ---- */

static void
test_wipe_then_migrate(void **state)
{
    int v = -1, from = -1, to = -1;
    struct region got;
    (void)state;
    assert_int_equal(store_wipe(st), DD_OK);
    assert_int_equal(store_schema_version(st, &v), DD_OK);
    assert_int_equal(v, 0);
    assert_int_equal(store_migrate(st, &from, &to), DD_OK);
    assert_int_equal(from, 0);
    assert_true(to >= 1);
    struct store_tx *tx = begin(STORE_READ);
    assert_int_equal(store_region_get(tx, "500000000000", &got), DD_ENOTFOUND);
    commit(tx);
}

/* Intake and case handling (migration 7): the case-number sequence per
 * county and year, an application with a case item, the version check on
 * the item, the timeline's sequence, and the catalog's versions. */
TEST_CASE(test_case_tables)
{
    struct household_row h;
    int64_t a = 0, b = 0, c = 0;
    struct store_tx *tx = begin(STORE_WRITE);
    hh_fill(&h, "500101001001");
    assert_int_equal(store_household_insert(tx, &h), DD_OK);
    assert_int_equal(store_case_seq_next(tx, "500101", 2026, &a), DD_OK);
    assert_int_equal(store_case_seq_next(tx, "500101", 2026, &b), DD_OK);
    assert_int_equal(store_case_seq_next(tx, "500103", 2026, &c), DD_OK);
    assert_int_equal(b, a + 1);
    assert_int_equal(c, 1);

    struct application_row app = {0}, app2;
    snprintf(app.case_no, sizeof(app.case_no), "5001012026%06lld",
             (long long)a);
    snprintf(app.county_code, sizeof(app.county_code), "500101");
    app.household_id = h.id;
    snprintf(app.channel, sizeof(app.channel), "window");
    snprintf(app.intake_region, sizeof(app.intake_region), "500103001");
    snprintf(app.intake_user, sizeof(app.intake_user), "clerk");
    fill_hash(app.query_code_hash, 'a');
    snprintf(app.applied_on, sizeof(app.applied_on), "2026-11-02");
    assert_int_equal(store_application_insert(tx, &app), DD_OK);
    commit(tx);
    /* one case number once (PostgreSQL aborts the transaction) */
    tx = begin(STORE_WRITE);
    app2 = app;
    assert_int_equal(store_application_insert(tx, &app2), DD_ECONFLICT);
    store_tx_rollback(tx);

    tx = begin(STORE_WRITE);
    struct case_item_row ci = {0}, got;
    ci.application_id = app.id;
    snprintf(ci.county_code, sizeof(ci.county_code), "500101");
    ci.household_id = h.id;
    snprintf(ci.village_code, sizeof(ci.village_code), "500101001001");
    snprintf(ci.intake_region, sizeof(ci.intake_region), "500103001");
    snprintf(ci.item_code, sizeof(ci.item_code), "dibao");
    ci.catalog_version = 1;
    snprintf(ci.owner_region, sizeof(ci.owner_region), "500101001");
    snprintf(ci.step, sizeof(ci.step), "investigate");
    snprintf(ci.state, sizeof(ci.state), "open");
    snprintf(ci.accepted_on, sizeof(ci.accepted_on), "2026-11-02");
    snprintf(ci.deadline, sizeof(ci.deadline), "2026-12-14");
    snprintf(ci.step_started_on, sizeof(ci.step_started_on), "2026-11-02");
    assert_int_equal(store_case_item_insert(tx, &ci), DD_OK);
    assert_int_equal(ci.version, 1);
    assert_int_equal(store_case_item_get(tx, ci.id, &got), DD_OK);
    assert_string_equal(got.case_no, app.case_no);
    assert_string_equal(got.deadline, "2026-12-14");
    snprintf(got.step, sizeof(got.step), "verify");
    assert_int_equal(store_case_item_update(tx, &got, 1), DD_OK);
    assert_int_equal(got.version, 2);
    /* a stale version */
    assert_int_equal(store_case_item_update(tx, &got, 1), DD_ECONFLICT);
    struct case_event_row e = {0}, ev[4];
    size_t n = 0;
    e.case_item_id = ci.id;
    snprintf(e.county_code, sizeof(e.county_code), "500101");
    snprintf(e.step_to, sizeof(e.step_to), "investigate");
    snprintf(e.action, sizeof(e.action), "accept");
    snprintf(e.day, sizeof(e.day), "2026-11-02");
    e.visit = 1;
    assert_int_equal(store_case_event_insert(tx, &e), DD_OK);
    snprintf(e.step_to, sizeof(e.step_to), "verify");
    snprintf(e.action, sizeof(e.action), "submit");
    e.visit = 0;
    assert_int_equal(store_case_event_insert(tx, &e), DD_OK);
    assert_int_equal(store_case_event_list(tx, ci.id, ev, 4, &n), DD_OK);
    assert_int_equal(n, 2);
    assert_int_equal(ev[0].seq, 1);
    assert_int_equal(ev[1].seq, 2);
    assert_int_equal(ev[0].visit, 1);
    /* the inbox: under the owner's prefix, civil affairs */
    struct case_item_row box[4];
    assert_int_equal(store_case_item_inbox(tx, "500101001", "", "2026-11-03",
                                           box, 4, &n),
                     DD_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_case_item_inbox(tx, "500101001", "medical",
                                           "2026-11-03", box, 4, &n),
                     DD_OK);
    assert_int_equal(n, 0);
    /* the county sees the township's item once it is overdue */
    assert_int_equal(store_case_item_inbox(tx, "500101", "", "2026-12-14",
                                           box, 4, &n),
                     DD_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_case_item_inbox(tx, "500101", "", "2026-12-15",
                                           box, 4, &n),
                     DD_OK);
    assert_int_equal(n, 1);
    commit(tx);
}

/* A household's file and a citizen's applications (migration 8): one
 * statement each, newest application first, the decision day from the
 * transition into 告知 (not the day the item closed), the entitlement and
 * the explanation beside the item, the filing citizen's blind index. */
struct history_seen {
    int64_t ids[8];
    char decided_on[8][11];
    int64_t ent_fen[8];
    char explanation[8][64];
    char channel[8][12];
    size_t n;
};

static int
history_collect(const struct case_history_row *h, void *ctx)
{
    struct history_seen *s = ctx;
    if (s->n == 8)
        return 1;
    s->ids[s->n] = h->c.id;
    snprintf(s->decided_on[s->n], 11, "%s", h->decided_on);
    s->ent_fen[s->n] = h->ent.id ? h->ent.monthly_fen : -1;
    snprintf(s->explanation[s->n], 64, "%s", h->explanation);
    snprintf(s->channel[s->n], 12, "%s", h->channel);
    s->n++;
    return 0;
}

/* Counts KPI rows, stopping at stop_at (0: never). */
struct kpi_count {
    int n, stop_at;
};

static int
kpi_count(const struct kpi_case_row *k, void *ctx)
{
    struct kpi_count *c = ctx;
    (void)k;
    return ++c->n == c->stop_at;
}

static void
history_item(struct store_tx *tx, const struct application_row *app,
             const char *decision, struct case_item_row *ci)
{
    memset(ci, 0, sizeof(*ci));
    ci->application_id = app->id;
    snprintf(ci->county_code, sizeof(ci->county_code), "500101");
    ci->household_id = app->household_id;
    snprintf(ci->village_code, sizeof(ci->village_code), "500101001001");
    snprintf(ci->intake_region, sizeof(ci->intake_region), "500101001");
    snprintf(ci->item_code, sizeof(ci->item_code), "dibao");
    ci->catalog_version = 1;
    snprintf(ci->owner_region, sizeof(ci->owner_region), "500101001");
    snprintf(ci->step, sizeof(ci->step), "investigate");
    snprintf(ci->state, sizeof(ci->state), "open");
    snprintf(ci->accepted_on, sizeof(ci->accepted_on), "%s", app->applied_on);
    snprintf(ci->deadline, sizeof(ci->deadline), "2027-01-29");
    assert_int_equal(store_case_item_insert(tx, ci), DD_OK);
    if (!decision)
        return;
    struct case_event_row e = {0};
    e.case_item_id = ci->id;
    snprintf(e.county_code, sizeof(e.county_code), "500101");
    snprintf(e.step_from, sizeof(e.step_from), "decide");
    snprintf(e.step_to, sizeof(e.step_to), "notify");
    snprintf(e.action, sizeof(e.action), "%s",
             strcmp(decision, "approved") == 0 ? "approve" : "reject");
    snprintf(e.day, sizeof(e.day), "2026-12-10");
    assert_int_equal(store_case_event_insert(tx, &e), DD_OK);
    snprintf(e.step_from, sizeof(e.step_from), "notify");
    snprintf(e.step_to, sizeof(e.step_to), "closed");
    snprintf(e.action, sizeof(e.action), "notify");
    snprintf(e.day, sizeof(e.day), "2026-12-14");
    assert_int_equal(store_case_event_insert(tx, &e), DD_OK);
    snprintf(ci->step, sizeof(ci->step), "closed");
    snprintf(ci->state, sizeof(ci->state), "closed");
    snprintf(ci->decision, sizeof(ci->decision), "%s", decision);
    snprintf(ci->closed_on, sizeof(ci->closed_on), "2026-12-14");
    assert_int_equal(store_case_item_update(tx, ci, 1), DD_OK);
}

TEST_CASE(test_case_history)
{
    struct household_row h;
    struct application_row app[2], got;
    struct case_item_row rej, ok, open;
    struct history_seen seen;
    char citizen[STORE_HASH_LEN];
    struct store_tx *tx = begin(STORE_WRITE);
    hh_fill(&h, "500101001001");
    assert_int_equal(store_household_insert(tx, &h), DD_OK);
    fill_hash(citizen, 'c');
    for (int i = 0; i < 2; i++) {
        memset(&app[i], 0, sizeof(app[i]));
        snprintf(app[i].case_no, sizeof(app[i].case_no), "50010120269%05d",
                 i + 1);
        snprintf(app[i].county_code, sizeof(app[i].county_code), "500101");
        app[i].household_id = h.id;
        snprintf(app[i].channel, sizeof(app[i].channel), "%s",
                 i ? "online" : "window");
        snprintf(app[i].intake_region, sizeof(app[i].intake_region),
                 "500101001");
        snprintf(app[i].intake_user, sizeof(app[i].intake_user), "x");
        fill_hash(app[i].query_code_hash, 'q');
        snprintf(app[i].applied_on, sizeof(app[i].applied_on), "2026-11-0%d",
                 i + 2);
        /* the second is a citizen's */
        if (i)
            snprintf(app[i].citizen_hash, sizeof(app[i].citizen_hash), "%s",
                     citizen);
        assert_int_equal(store_application_insert(tx, &app[i]), DD_OK);
    }
    assert_int_equal(store_application_get(tx, app[1].id, &got), DD_OK);
    assert_string_equal(got.citizen_hash, citizen);
    assert_int_equal(store_application_get(tx, app[0].id, &got), DD_OK);
    assert_string_equal(got.citizen_hash, "");
    history_item(tx, &app[0], "rejected", &rej);
    history_item(tx, &app[1], "approved", &ok);
    history_item(tx, &app[1], NULL, &open);
    struct entitlement_row e = {0};
    snprintf(e.county_code, sizeof(e.county_code), "500101");
    e.household_id = h.id;
    snprintf(e.item_code, sizeof(e.item_code), "dibao");
    e.case_item_id = ok.id;
    e.monthly_fen = 154000;
    snprintf(e.start_month, sizeof(e.start_month), "2027-01");
    snprintf(e.state, sizeof(e.state), "active");
    assert_int_equal(store_entitlement_insert(tx, &e), DD_OK);
    assert_int_equal(
        store_case_item_explanation_set(tx, ok.id, "{\"programs\":[]}"),
        DD_OK);
    commit(tx);

    tx = begin(STORE_READ);
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(store_case_history_household(tx, h.id, 10,
                                                  history_collect, &seen),
                     DD_OK);
    /* newest application first, its items in id order */
    assert_int_equal(seen.n, 3);
    assert_int_equal(seen.ids[0], ok.id);
    assert_int_equal(seen.ids[1], open.id);
    assert_int_equal(seen.ids[2], rej.id);
    /* decided on the day it entered 告知, not the day it closed */
    assert_string_equal(seen.decided_on[0], "2026-12-10");
    assert_string_equal(seen.decided_on[1], "");
    assert_string_equal(seen.decided_on[2], "2026-12-10");
    assert_int_equal(seen.ent_fen[0], 154000);
    assert_int_equal(seen.ent_fen[1], -1);
    assert_int_equal(seen.ent_fen[2], -1);
    assert_string_equal(seen.explanation[0], "{\"programs\":[]}");
    assert_string_equal(seen.explanation[2], "");
    assert_string_equal(seen.channel[0], "online");
    assert_string_equal(seen.channel[2], "window");
    /* a streamed statement (PostgreSQL's single-row mode): stopped after
     * its first row, the rest is dropped, so that the next statement, a
     * streamed one too, runs and reads all */
    struct kpi_count kc = {.stop_at = 1};
    assert_int_equal(store_kpi_case_each(tx, "500101", "2026-11-01",
                                         "2026-11-30", kpi_count, &kc),
                     DD_OK);
    assert_int_equal(kc.n, 1);
    kc = (struct kpi_count){0};
    assert_int_equal(store_kpi_case_each(tx, "500101", "2026-11-01",
                                         "2026-11-30", kpi_count, &kc),
                     DD_OK);
    assert_true(kc.n >= 3); /* these three and an earlier test's */
    /* bounded */
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(store_case_history_household(tx, h.id, 1,
                                                  history_collect, &seen),
                     DD_OK);
    assert_int_equal(seen.n, 1);
    /* the citizen's: only the application filed under the index */
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(store_case_history_citizen(tx, citizen, 10,
                                                history_collect, &seen),
                     DD_OK);
    assert_int_equal(seen.n, 2);
    assert_int_equal(seen.ids[0], ok.id);
    assert_int_equal(seen.ids[1], open.id);
    fill_hash(citizen, 'd');
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(store_case_history_citizen(tx, citizen, 10,
                                                history_collect, &seen),
                     DD_OK);
    assert_int_equal(seen.n, 0);
    /* one application's */
    memset(&seen, 0, sizeof(seen));
    assert_int_equal(store_case_history_application(tx, app[0].id, 10,
                                                    history_collect, &seen),
                     DD_OK);
    assert_int_equal(seen.n, 1);
    assert_int_equal(seen.ids[0], rej.id);
    store_tx_rollback(tx);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_rejects_bad_urls),
        cmocka_unit_test(test_migrate_idempotent),
        cmocka_unit_test(test_ping),
        cmocka_unit_test(test_region_put_get),
        cmocka_unit_test(test_region_children_paged),
        cmocka_unit_test(test_region_each),
        cmocka_unit_test(test_zone_put_each),
        cmocka_unit_test(test_holiday_put_each),
        cmocka_unit_test(test_citizen_otp_and_session),
        cmocka_unit_test(test_oidc_pending_and_id_session),
        cmocka_unit_test(test_user_crud),
        cmocka_unit_test(test_user_duplicate),
        cmocka_unit_test(test_user_list_paged),
        cmocka_unit_test(test_long_strings_truncate_safely),
        cmocka_unit_test(test_session_lifecycle),
        cmocka_unit_test(test_session_needs_user),
        cmocka_unit_test(test_api_token),
        cmocka_unit_test(test_audit_tail_and_list),
        cmocka_unit_test(test_rollback_discards),
        cmocka_unit_test(test_commit_visible),
        cmocka_unit_test(test_write_in_read_tx_refused),
        cmocka_unit_test(test_concurrent_audit_appends),
        cmocka_unit_test(test_pool_stats),
        cmocka_unit_test(test_pool_timeout),
        cmocka_unit_test(test_sqlite_busy_times_out),
        cmocka_unit_test(test_sqlite_other_process_sees_writes),
        cmocka_unit_test(test_read_one),
        cmocka_unit_test(test_pg_reconnects),
        cmocka_unit_test(test_policy_insert_each),
        cmocka_unit_test(test_policy_append_only),
        cmocka_unit_test(test_household_crud),
        cmocka_unit_test(test_death_withdrawal),
        cmocka_unit_test(test_household_person_unique),
        cmocka_unit_test(test_household_list_by_prefix),
        cmocka_unit_test(test_household_read_one_pass),
        cmocka_unit_test(test_household_bulk_load),
        cmocka_unit_test(test_household_member_update),
        cmocka_unit_test(test_household_list_in),
        cmocka_unit_test(test_case_tables),
        cmocka_unit_test(test_case_history),
        cmocka_unit_test(test_wipe_then_migrate),
    };
    int failed = cmocka_run_group_tests(tests, group_setup, group_teardown);
    if (tmpdir[0]) {
        char path[256];
        static const char *files[] = {"store.db", "store.db-wal",
                                      "store.db-shm"};
        for (size_t i = 0; i < 3; i++) {
            snprintf(path, sizeof(path), "%s/sub/dir/%s", tmpdir, files[i]);
            unlink(path);
        }
        snprintf(path, sizeof(path), "%s/sub/dir", tmpdir);
        rmdir(path);
        snprintf(path, sizeof(path), "%s/sub", tmpdir);
        rmdir(path);
        rmdir(tmpdir);
    }
    return failed;
}
