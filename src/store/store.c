/* SPDX-License-Identifier: MIT */
/* The store's front: opening a URL, the connection pool, transactions,
 * the statement registry that dispatches to a backend (struct store_ops),
 * and the generic query helpers the family files (store_*.c) write their
 * typed operations with, so both backends behave alike. */
#include "store/store.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "store/store_internal.h"

#define POOL_MAX 256

/* How long store_tx_begin waits for a free connection. Every connection
 * busy that long means a transaction was left open (a missed rollback) or
 * the server is far behind: the request fails (503) rather than hanging
 * its thread for good. Longer than SQLite's busy timeout (5 s), which a
 * writer waiting for the lock spends holding its connection. */
#define POOL_TIMEOUT_MS 10000

/* How long a write failure or a pool timeout keeps store_health
 * reporting it when nothing has succeeded since: a load balancer that
 * takes the server out sends no more writes to clear it. */
#define HEALTH_WINDOW_US (60 * 1000000LL)

/* ---- the statement registry ---- */

static const struct stmt_family *const families[] = {
    &store_stmts_schema,     &store_stmts_refdata, &store_stmts_accounts,
    &store_stmts_audit,      &store_stmts_households, &store_stmts_cases,
    &store_stmts_reports,    &store_stmts_entitlements,
    &store_stmts_payees,
    &store_stmts_payments,
    &store_stmts_reviews,
    &store_stmts_recoveries,
    &store_stmts_payment_reports,
    &store_stmts_payment_files,
};

static const struct stmt_text *by_id[STMT__MAX];
static enum dd_status index_rc;

/* Files every family's statements by number, once per process; a number
 * outside the enum, or with no text or two, is a build mistake that
 * store_open refuses. */
static void
index_stmts(void)
{
    index_rc = DD_OK;
    for (size_t f = 0; f < sizeof(families) / sizeof(families[0]); f++) {
        for (size_t i = 0; i < families[f]->count; i++) {
            const struct stmt_text *t = &families[f]->stmts[i];
            if ((int)t->id < 0 || t->id >= STMT__MAX || by_id[t->id]) {
                log_error("store: statement %d of %s defined twice",
                          (int)t->id, families[f]->name);
                index_rc = DD_EINTERNAL;
                continue;
            }
            by_id[t->id] = t;
        }
    }
    for (int id = 0; id < STMT__MAX; id++) {
        if (!by_id[id]) {
            log_error("store: statement %d has no text", id);
            index_rc = DD_EINTERNAL;
        }
    }
}

const char *
store_stmt_sql(enum stmt id, int pg)
{
    const struct stmt_text *t = by_id[id];
    if (pg)
        return t->pg ? t->pg : t->sql;
    if (t->sqlite_noop)
        return NULL;
    return t->sqlite ? t->sqlite : t->sql;
}

int
store_stmt_plan_each(enum stmt id)
{
    return by_id[id]->pg_plan_each;
}

int
store_stmt_stream(enum stmt id)
{
    return by_id[id]->pg_stream;
}

/* ---- the pool ---- */

/* One pooled connection, with the transaction that borrows it. */
struct store_slot {
    struct store_conn *conn; /* ops->conn_size bytes */
    int is_open;
    struct store_tx *tx;
};

struct store_tx {
    struct store *st;
    struct store_slot *slot;
    struct store_conn *conn;
    enum store_mode mode;
    int statements; /* run so far (STORE_READ_ONE runs one) */
};

struct store {
    const struct store_ops *ops;
    char *target;
    struct arena *mem; /* everything above, allocated once at open */
    pthread_mutex_t mu;
    pthread_cond_t cv; /* on CLOCK_MONOTONIC */
    struct store_slot *slots;
    struct store_slot **idle; /* a stack of free slots */
    int nidle;
    int size;   /* pool_size */
    int opened; /* connections open now */
    int in_use;
    uint64_t waits;
    int64_t timeout_ms; /* how long pool_take waits */
    /* for store_health: monotonic µs of the last write that failed with
     * DD_ESTORE, of the last committed write, of the last pool timeout */
    _Atomic int64_t write_failed_us, write_ok_us, pool_timeout_us;
};

static void
pool_give(struct store *st, struct store_slot *s)
{
    pthread_mutex_lock(&st->mu);
    st->idle[st->nidle++] = s;
    st->in_use--;
    pthread_cond_signal(&st->cv);
    pthread_mutex_unlock(&st->mu);
}

/* The instant timeout_ms from now on the pool's clock. */
static void
deadline_after(int64_t timeout_ms, struct timespec *out)
{
    clock_gettime(CLOCK_MONOTONIC, out);
    out->tv_sec += (time_t)(timeout_ms / 1000);
    out->tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (out->tv_nsec >= 1000000000L) {
        out->tv_sec++;
        out->tv_nsec -= 1000000000L;
    }
}

/* Takes a free slot, waiting up to timeout_ms when every connection is
 * busy, and opens (or checks) its connection outside the lock. timeout_ms
 * 0 is the pool's timeout, then DD_ESTORE, logged and remembered for
 * store_health; the health probe's own short wait ends in DD_ENOTFOUND,
 * quietly. */
static enum dd_status
pool_take(struct store *st, int64_t timeout_ms, struct store_slot **out)
{
    struct timespec deadline;
    enum dd_status rc;
    int waited = 0;

    pthread_mutex_lock(&st->mu);
    int64_t wait_ms = timeout_ms > 0 ? timeout_ms : st->timeout_ms;
    while (st->nidle == 0) {
        if (!waited) {
            st->waits++;
            waited = 1;
            deadline_after(wait_ms, &deadline);
        }
        int e = pthread_cond_timedwait(&st->cv, &st->mu, &deadline);
        if (e == ETIMEDOUT && st->nidle == 0) {
            int in_use = st->in_use;
            pthread_mutex_unlock(&st->mu);
            if (timeout_ms > 0)
                return DD_ENOTFOUND; /* no connection, the database untried */
            atomic_store(&st->pool_timeout_us, (int64_t)time_mono_us());
            log_error("store: no free %s connection after %lld ms (%d of %d"
                      " in use): a transaction left open?",
                      st->ops->name, (long long)wait_ms, in_use, st->size);
            return DD_ESTORE;
        }
    }
    struct store_slot *s = st->idle[--st->nidle];
    st->in_use++;
    pthread_mutex_unlock(&st->mu);

    if (s->is_open) {
        rc = st->ops->conn_check(s->conn);
    } else {
        memset(s->conn, 0, st->ops->conn_size);
        rc = st->ops->conn_open(s->conn, st->target);
        if (rc == DD_OK) {
            s->is_open = 1;
            pthread_mutex_lock(&st->mu);
            st->opened++;
            pthread_mutex_unlock(&st->mu);
        }
    }
    if (rc != DD_OK) {
        pool_give(st, s);
        return rc;
    }
    *out = s;
    return DD_OK;
}

/* The mutex and a condition variable on the monotonic clock, so a wait's
 * deadline does not move with the wall clock. */
static enum dd_status
pool_sync_init(struct store *st)
{
    pthread_condattr_t ca;
    int ok;

    if (pthread_mutex_init(&st->mu, NULL) != 0)
        return DD_ENOMEM;
    ok = pthread_condattr_init(&ca) == 0;
    if (ok) {
        ok = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0 &&
             pthread_cond_init(&st->cv, &ca) == 0;
        pthread_condattr_destroy(&ca);
    }
    if (!ok) {
        pthread_mutex_destroy(&st->mu);
        return DD_ENOMEM;
    }
    return DD_OK;
}

/* ---- opening and closing ---- */

/* The backend of url and what its conn_open takes; DD_EINVAL for any
 * other URL. */
static enum dd_status
parse_url(const char *url, const struct store_ops **ops, const char **target)
{
    if (strncmp(url, "sqlite:", 7) == 0) {
        *ops = &store_sqlite_ops;
        *target = url + 7;
        if (strncmp(*target, "//", 2) == 0) /* sqlite:///abs/path */
            *target += 2;
        return **target == '\0' ? DD_EINVAL : DD_OK;
    }
    if (strncmp(url, "postgresql://", 13) == 0 ||
        strncmp(url, "postgres://", 11) == 0) {
        *ops = &store_pg_ops;
        *target = url;
        return DD_OK;
    }
    return DD_EINVAL;
}

enum dd_status
store_open(const char *url, int pool_size, struct store **out)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    enum dd_status rc = DD_OK;
    const struct store_ops *ops;
    const char *target;
    struct store *st = NULL;
    struct arena *mem = NULL;

    *out = NULL;
    pthread_once(&once, index_stmts);
    if (index_rc != DD_OK)
        return index_rc;
    if (!url || pool_size < 1 || pool_size > POOL_MAX)
        return DD_EINVAL;
    rc = parse_url(url, &ops, &target);
    if (rc != DD_OK)
        return rc;

    size_t n = (size_t)pool_size;
    size_t need = sizeof(*st) + strlen(target) + 1 +
                  n * (sizeof(struct store_slot) + sizeof(struct store_slot *) +
                       sizeof(struct store_tx) + ops->conn_size + 64) +
                  4096;
    /* the arena allocates in blocks of 8 KiB or more: leave room */
    mem = arena_new(2 * need + 16384);
    if (!mem)
        return DD_ENOMEM;
    st = arena_alloc(mem, sizeof(*st));
    if (!st) {
        rc = DD_ENOMEM;
        goto out;
    }
    st->ops = ops;
    st->mem = mem;
    st->size = pool_size;
    st->timeout_ms = POOL_TIMEOUT_MS;
    st->target = arena_strdup(mem, target);
    st->slots = arena_alloc(mem, n * sizeof(*st->slots));
    st->idle = arena_alloc(mem, n * sizeof(*st->idle));
    if (!st->target || !st->slots || !st->idle) {
        rc = DD_ENOMEM;
        goto out;
    }
    /* the stack pops from the end: slot 0 is used first */
    for (int i = pool_size - 1; i >= 0; i--) {
        struct store_slot *s = &st->slots[i];
        s->conn = arena_alloc(mem, ops->conn_size);
        s->tx = arena_alloc(mem, sizeof(*s->tx));
        if (!s->conn || !s->tx) {
            rc = DD_ENOMEM;
            goto out;
        }
        st->idle[st->nidle++] = s;
    }
    rc = pool_sync_init(st);
    if (rc != DD_OK)
        goto out;
    *out = st;
    mem = NULL;
out:
    arena_free(mem);
    return rc;
}

void
store_close(struct store *st)
{
    if (!st)
        return;
    for (int i = 0; i < st->size; i++) {
        if (st->slots[i].is_open)
            st->ops->conn_close(st->slots[i].conn);
    }
    pthread_cond_destroy(&st->cv);
    pthread_mutex_destroy(&st->mu);
    /* the target may hold a password */
    memset(st->target, 0, strlen(st->target));
    arena_free(st->mem);
}

struct store_listener {
    const struct store_ops *ops;
    char *target, *channel;
    store_notify_fn fn;
    void *ctx;
    pthread_t thread;
    volatile int stop, up;
};

static void *
listener_main(void *arg)
{
    struct store_listener *l = arg;
    l->ops->listen_run(l->target, l->channel, &l->stop, &l->up, l->fn, l->ctx);
    return NULL;
}

static void
listener_free(struct store_listener *l)
{
    if (l->target)
        memset(l->target, 0, strlen(l->target)); /* it may hold a password */
    free(l->target);
    free(l->channel);
    free(l);
}

enum dd_status
store_listen(struct store *st, const char *channel, store_notify_fn fn,
             void *ctx, struct store_listener **out)
{
    *out = NULL;
    if (!st->ops->listen_run)
        return DD_ENOTFOUND;
    struct store_listener *l = calloc(1, sizeof(*l));
    if (!l)
        return DD_ENOMEM;
    *l = (struct store_listener){.ops = st->ops,
                                 .target = strdup(st->target),
                                 .channel = strdup(channel),
                                 .fn = fn,
                                 .ctx = ctx};
    if (!l->target || !l->channel ||
        pthread_create(&l->thread, NULL, listener_main, l) != 0) {
        listener_free(l);
        return DD_ENOMEM;
    }
    *out = l;
    return DD_OK;
}

int
store_listener_up(const struct store_listener *l)
{
    return l && __atomic_load_n(&l->up, __ATOMIC_ACQUIRE);
}

void
store_listen_stop(struct store_listener *l)
{
    if (!l)
        return;
    __atomic_store_n(&l->stop, 1, __ATOMIC_RELEASE);
    pthread_join(l->thread, NULL);
    listener_free(l);
}

const char *
store_backend(const struct store *st)
{
    return st->ops->name;
}

const struct store_ops *
store_ops_of(const struct store *st)
{
    return st->ops;
}

void
store_pool_stats(struct store *st, struct store_pool_stats *out)
{
    pthread_mutex_lock(&st->mu);
    out->size = st->opened;
    out->in_use = st->in_use;
    out->waits = st->waits;
    pthread_mutex_unlock(&st->mu);
}

void
store_pool_timeout_set(struct store *st, int64_t timeout_ms)
{
    pthread_mutex_lock(&st->mu);
    st->timeout_ms = timeout_ms > 0 ? timeout_ms : POOL_TIMEOUT_MS;
    pthread_mutex_unlock(&st->mu);
}

enum dd_status
store_wipe(struct store *st)
{
    struct store_slot *s;
    enum dd_status rc = pool_take(st, 0, &s);
    if (rc != DD_OK)
        return rc;
    rc = st->ops->wipe(s->conn);
    pool_give(st, s);
    if (rc == DD_OK)
        log_info("store: wiped the %s database", st->ops->name);
    return rc;
}

/* ---- transactions ---- */

/* Remembers how a write ended, for store_health: a commit, or a failure
 * of the database (disk full, I/O error, lock held elsewhere). */
static void
note_write(struct store *st, enum dd_status rc)
{
    if (rc == DD_OK)
        atomic_store(&st->write_ok_us, (int64_t)time_mono_us());
    else if (rc == DD_ESTORE)
        atomic_store(&st->write_failed_us, (int64_t)time_mono_us());
}

static enum dd_status
tx_begin(struct store *st, enum store_mode mode, int64_t timeout_ms,
         struct store_tx **out)
{
    struct store_slot *s;
    enum dd_status rc;

    *out = NULL;
    rc = pool_take(st, timeout_ms, &s);
    if (rc != DD_OK)
        return rc;
    rc = st->ops->begin(s->conn, mode);
    if (rc != DD_OK) {
        if (mode == STORE_WRITE)
            note_write(st, rc);
        pool_give(st, s);
        return rc;
    }
    s->tx->st = st;
    s->tx->slot = s;
    s->tx->conn = s->conn;
    s->tx->mode = mode;
    s->tx->statements = 0;
    *out = s->tx;
    return DD_OK;
}

enum dd_status
store_tx_begin(struct store *st, enum store_mode mode, struct store_tx **out)
{
    return tx_begin(st, mode, 0, out);
}

enum dd_status
store_tx_commit(struct store_tx *tx)
{
    struct store *st = tx->st;
    /* a one-statement read has no transaction to end */
    enum dd_status rc =
        tx->mode == STORE_READ_ONE ? DD_OK : st->ops->commit(tx->conn);
    if (tx->mode == STORE_WRITE)
        note_write(st, rc);
    if (rc != DD_OK)
        st->ops->rollback(tx->conn);
    pool_give(st, tx->slot);
    return rc;
}

void
store_tx_rollback(struct store_tx *tx)
{
    if (!tx)
        return;
    struct store *st = tx->st;
    if (tx->mode != STORE_READ_ONE)
        st->ops->rollback(tx->conn);
    pool_give(st, tx->slot);
}

enum dd_status
store_tx_end(struct store_tx *tx, enum dd_status rc)
{
    if (rc == DD_OK)
        return store_tx_commit(tx);
    store_tx_rollback(tx);
    return rc;
}

/* The directory holding the SQLite file target (the current one for a
 * bare name) into dir. */
static void
sqlite_dir(const char *target, char *dir, size_t cap)
{
    const char *slash = strrchr(target, '/');
    size_t n = slash ? (size_t)(slash - target) : 0;
    if (slash && n == 0)
        n = 1; /* "/db": the root */
    if (!slash || n >= cap)
        snprintf(dir, cap, ".");
    else
        snprintf(dir, cap, "%.*s", (int)n, target);
}

void
store_health(struct store *st, int64_t wait_ms, struct store_health *out)
{
    struct store_tx *tx;
    struct statvfs vfs;
    int64_t now = (int64_t)time_mono_us();
    int64_t failed = atomic_load(&st->write_failed_us);
    int64_t pool_timeout = atomic_load(&st->pool_timeout_us);

    memset(out, 0, sizeof(*out));
    out->writes_failing = failed > atomic_load(&st->write_ok_us) &&
                          now - failed < HEALTH_WINDOW_US;
    out->pool_timed_out =
        pool_timeout > 0 && now - pool_timeout < HEALTH_WINDOW_US;
    enum dd_status rc = tx_begin(st, STORE_READ, wait_ms, &tx);
    if (rc == DD_OK) {
        rc = store_ping(tx);
        store_tx_rollback(tx);
    }
    out->database = rc == DD_OK          ? STORE_UP
                    : rc == DD_ENOTFOUND ? STORE_BUSY
                                         : STORE_DOWN;
    store_pool_stats(st, &out->pool);
    out->free_bytes = -1;
    if (st->ops == &store_sqlite_ops && strcmp(st->target, ":memory:") != 0) {
        char dir[512];
        sqlite_dir(st->target, dir, sizeof(dir));
        if (statvfs(dir, &vfs) == 0)
            out->free_bytes = (int64_t)vfs.f_bavail * (int64_t)vfs.f_frsize;
    }
}

int
store_tx_writes(const struct store_tx *tx)
{
    return tx->mode == STORE_WRITE;
}

enum dd_status
store_tx_exec(struct store_tx *tx, const char *sql)
{
    enum dd_status rc = tx->st->ops->exec(tx->conn, sql);
    if (rc == DD_ESTORE && tx->mode == STORE_WRITE)
        note_write(tx->st, rc);
    return rc;
}

int
store_tx_copies(const struct store_tx *tx)
{
    return tx->st->ops->copy_in != NULL;
}

enum dd_status
store_copy_in(struct store_tx *tx, const char *copy_sql, const char *data,
              size_t len)
{
    enum dd_status rc = store_need_write(tx);
    if (rc != DD_OK)
        return rc;
    if (!tx->st->ops->copy_in)
        return DD_EINTERNAL;
    rc = tx->st->ops->copy_in(tx->conn, copy_sql, data, len);
    if (rc == DD_ESTORE)
        note_write(tx->st, rc);
    tx->statements++;
    return rc;
}

/* Appends a text value in COPY's text format: NULL as \N, the escapes of
 * a backslash, a tab and the line ends. */
static enum dd_status
copy_text(struct buf *b, const char *s)
{
    if (!s)
        return buf_append(b, "\\N", 2);
    enum dd_status rc = DD_OK;
    const char *run = s;
    for (const char *c = s; rc == DD_OK && *c; c++) {
        const char *esc = *c == '\\'   ? "\\\\"
                          : *c == '\t' ? "\\t"
                          : *c == '\n' ? "\\n"
                          : *c == '\r' ? "\\r"
                                       : NULL;
        if (!esc)
            continue;
        rc = buf_append(b, run, (size_t)(c - run));
        if (rc == DD_OK)
            rc = buf_append(b, esc, 2);
        run = c + 1;
    }
    return rc == DD_OK ? buf_puts(b, run) : rc;
}

enum dd_status
store_copy_row(struct buf *b, const struct store_param *p, int n,
               unsigned null_if_zero)
{
    char num[24];
    enum dd_status rc = DD_OK;
    for (int i = 0; rc == DD_OK && i < n; i++) {
        if (i)
            rc = buf_append(b, "\t", 1);
        if (rc != DD_OK)
            break;
        if (p[i].type == STORE_P_TEXT) {
            rc = copy_text(b, p[i].text);
        } else if (p[i].i64 == 0 && (null_if_zero >> i & 1u)) {
            rc = buf_append(b, "\\N", 2);
        } else {
            snprintf(num, sizeof(num), "%" PRId64, p[i].i64);
            rc = buf_puts(b, num);
        }
    }
    return rc == DD_OK ? buf_append(b, "\n", 1) : rc;
}

/* ---- the generic query helpers ---- */

void
cur_fields(struct col_cursor *c, void *out, const struct col_field *cols,
           size_t n)
{
    char *base = out;
    for (size_t i = 0; i < n; i++) {
        char *field = base + cols[i].offset;
        switch (cols[i].kind) {
        case COL_INT: {
            int v = (int)cur_int(c);
            memcpy(field, &v, sizeof(v));
            break;
        }
        case COL_INT64: {
            int64_t v = cur_int(c);
            memcpy(field, &v, sizeof(v));
            break;
        }
        case COL_TEXT:
            cur_copy(c, field, cols[i].size);
            break;
        }
    }
}

enum dd_status
store_query(struct store_tx *tx, enum stmt id, const struct store_param *p,
            int n, struct store_rows *r)
{
    memset(r, 0, sizeof(*r));
    r->ops = tx->st->ops;
    r->conn = tx->conn;
    if (tx->mode == STORE_READ_ONE && tx->statements++ > 0) {
        log_error("store: a second statement in a one-statement read");
        return DD_EINTERNAL;
    }
    return tx->st->ops->query(tx->conn, id, p, n, r);
}

enum dd_status
store_walk(struct store_tx *tx, enum stmt id, const struct store_param *p,
           int n, row_visit_fn visit, void *arg)
{
    struct store_rows r;
    int has_row = 0;
    enum dd_status rc = store_query(tx, id, p, n, &r);
    if (rc == DD_OK) {
        for (;;) {
            rc = r.ops->next(&r, &has_row);
            if (rc != DD_OK || !has_row)
                break;
            struct col_cursor c = {&r, 0};
            if (visit(&c, arg) != 0)
                break;
        }
        r.ops->done(&r);
    }
    if (rc == DD_ESTORE && tx->mode == STORE_WRITE)
        note_write(tx->st, rc);
    return rc;
}

static int
visit_none(struct col_cursor *c, void *arg)
{
    (void)c;
    (void)arg;
    return 0;
}

enum dd_status
store_run(struct store_tx *tx, enum stmt id, const struct store_param *p,
          int n)
{
    return store_walk(tx, id, p, n, visit_none, NULL);
}

/* The first row, mapped; found says there was one. */
struct first_row {
    row_map_fn map;
    void *out;
    int found;
};

static int
visit_first(struct col_cursor *c, void *arg)
{
    struct first_row *f = arg;
    f->map(c, f->out);
    f->found = 1;
    return 1;
}

enum dd_status
store_get_one(struct store_tx *tx, enum stmt id, const struct store_param *p,
              int n, row_map_fn map, void *out)
{
    struct first_row f = {.map = map};
    f.out = out;
    enum dd_status rc = store_walk(tx, id, p, n, visit_first, &f);
    if (rc == DD_OK && !f.found)
        rc = DD_ENOTFOUND;
    return rc;
}

static void
row_to_int(struct col_cursor *c, void *out)
{
    *(int64_t *)out = cur_int(c);
}

enum dd_status
store_run_int(struct store_tx *tx, enum stmt id, const struct store_param *p,
              int n, int64_t *out)
{
    return store_get_one(tx, id, p, n, row_to_int, out);
}

enum dd_status
store_need_write(struct store_tx *tx)
{
    if (tx->mode != STORE_WRITE) {
        log_error("store: write attempted in a read transaction");
        return DD_EINTERNAL;
    }
    return DD_OK;
}

enum dd_status
store_write(struct store_tx *tx, enum stmt id, const struct store_param *p,
            int n)
{
    enum dd_status rc = store_need_write(tx);
    if (rc == DD_OK)
        rc = store_run(tx, id, p, n);
    return rc;
}

enum dd_status
store_write_one(struct store_tx *tx, enum stmt id, const struct store_param *p,
                int n)
{
    int64_t unused = 0;
    enum dd_status rc = store_need_write(tx);
    if (rc == DD_OK)
        rc = store_run_int(tx, id, p, n, &unused);
    return rc;
}

enum dd_status
store_insert_id(struct store_tx *tx, enum stmt id, const struct store_param *p,
                int n, int64_t *out)
{
    enum dd_status rc = store_need_write(tx);
    if (rc == DD_OK)
        rc = store_run_int(tx, id, p, n, out);
    if (rc == DD_ENOTFOUND) /* RETURNING gave no row */
        rc = DD_ESTORE;
    return rc;
}

enum dd_status
store_update_versioned(struct store_tx *tx, enum stmt id,
                       const struct store_param *p, int n, enum stmt get,
                       int64_t row_id, int64_t *version)
{
    int64_t found = 0;
    enum dd_status rc = store_run_int(tx, id, p, n, version);
    if (rc != DD_ENOTFOUND)
        return rc;
    /* no such row, or another version of it */
    struct store_param q[] = {P_INT(row_id)};
    rc = store_run_int(tx, get, q, NPARAMS(q), &found);
    return rc == DD_OK ? DD_ECONFLICT : rc;
}

/* Rows mapped into consecutive elements of an array. */
struct many_rows {
    row_map_fn map;
    char *out;
    size_t elem_size, max, *count;
};

static int
visit_many(struct col_cursor *c, void *arg)
{
    struct many_rows *m = arg;
    m->map(c, m->out + *m->count * m->elem_size);
    return ++*m->count >= m->max;
}

enum dd_status
store_get_many(struct store_tx *tx, enum stmt id, const struct store_param *p,
               int n, row_map_fn map, void *out, size_t elem_size, size_t max,
               size_t *count)
{
    struct many_rows m = {.map = map, .elem_size = elem_size, .max = max};
    m.out = out;
    m.count = count;
    *count = 0;
    if (max == 0)
        return DD_OK;
    return store_walk(tx, id, p, n, visit_many, &m);
}

/* One row at a time into a caller's buffer, handed to a typed callback. */
struct each_row {
    row_map_fn map;
    void *row;
    each_call_fn call;
    store_any_fn fn;
    void *ctx;
};

static int
visit_each(struct col_cursor *c, void *arg)
{
    struct each_row *e = arg;
    e->map(c, e->row);
    return e->call(e->fn, e->row, e->ctx);
}

enum dd_status
store_each(struct store_tx *tx, enum stmt id, const struct store_param *p,
           int n, row_map_fn map, void *row, each_call_fn call,
           store_any_fn fn, void *ctx)
{
    struct each_row e = {.map = map, .call = call, .fn = fn, .ctx = ctx};
    e.row = row;
    return store_walk(tx, id, p, n, visit_each, &e);
}

enum dd_status
store_get_by(struct store_tx *tx, enum stmt id, struct store_param key,
             row_map_fn map, void *out)
{
    return store_get_one(tx, id, &key, 1, map, out);
}

enum dd_status
store_write_by(struct store_tx *tx, enum stmt id, struct store_param key)
{
    return store_write(tx, id, &key, 1);
}

enum dd_status
store_write_one_by(struct store_tx *tx, enum stmt id, struct store_param key)
{
    return store_write_one(tx, id, &key, 1);
}

enum dd_status
store_list_by(struct store_tx *tx, enum stmt id, struct store_param key,
              row_map_fn map, void *out, size_t elem_size, size_t max,
              size_t *count)
{
    struct store_param p[] = {key, P_INT(store_limit(max))};
    return store_get_many(tx, id, p, NPARAMS(p), map, out, elem_size, max,
                          count);
}

int64_t
store_limit(size_t max)
{
    return max > (size_t)INT64_MAX ? INT64_MAX : (int64_t)max;
}
