/* SPDX-License-Identifier: MIT */
/* The typed storage interface. Callers never see SQL: they open a
 * transaction, call typed operations on it, and commit or roll back. Two
 * backends implement it (store_sqlite.c, store_pg.c) behind one table of
 * function pointers; only they include sqlite3.h or libpq-fe.h. */
#ifndef DD_STORE_H
#define DD_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

struct store;
struct store_tx;

enum store_mode {
    STORE_READ,  /* a read-only transaction (a consistent snapshot) */
    STORE_WRITE, /* a write transaction; writers are serialised */
    /* one read statement on its own, outside any transaction: nothing
     * is sent to begin or end it (a session's check); a second statement
     * is DD_EINTERNAL */
    STORE_READ_ONE,
};

#define STORE_CODE_LEN 13   /* 12-digit region code + NUL */
#define STORE_HASH_LEN 65   /* 64 hex digits + NUL */
#define STORE_NAME_LEN 192  /* Chinese names, UTF-8 */
#define STORE_SCOPE_LEN 256 /* comma-separated prefixes and zone:NAME */

struct region {
    char code[STORE_CODE_LEN];
    char name[STORE_NAME_LEN];
    char level[12]; /* province, county, township, village, zone */
    char parent_code[STORE_CODE_LEN]; /* "" for the city */
};

struct zone_township {
    char zone[32];             /* e.g. "wansheng" */
    char zone_name[STORE_NAME_LEN];
    char township_code[STORE_CODE_LEN];
};

struct user {
    int64_t id;
    char username[64];
    char display_name[STORE_NAME_LEN];
    char pw_hash[128]; /* argon2id encoded string */
    char role[24];
    char department[24]; /* "" or e.g. "medical" */
    char scope[STORE_SCOPE_LEN];
    int failed_logins;
    int64_t locked_until; /* epoch s; 0 = not locked by failures */
    int disabled;         /* locked by an administrator */
    int64_t created_at;
    int64_t spread_alert_at; /* the last alert of failures from many
                                addresses (migration 11); 0 = never */
};

/* Failed sign-ins of one user from one client address (migration 11). */
struct login_failure {
    int failures;         /* since the last lock or success */
    int64_t locked_until; /* epoch s; 0 = never locked */
};

struct session {
    char token_hash[STORE_HASH_LEN];
    int64_t user_id;
    char csrf_token[STORE_HASH_LEN];
    int64_t created_at;
    int64_t last_seen_at;
};

struct api_token {
    int64_t id;
    char name[64];
    char token_hash[STORE_HASH_LEN];
    char role[24];
    char department[24];
    char scope[STORE_SCOPE_LEN];
    int64_t created_at;
    int revoked;
};

struct audit_row {
    int64_t seq; /* 1, 2, 3, ... assigned by the caller from the tail */
    int64_t at;  /* epoch s */
    char actor[64];     /* username, "token:NAME", or "anonymous" */
    char action[64];    /* e.g. "session.create", "user.update" */
    char object[128];   /* e.g. "user:12" */
    char region[STORE_CODE_LEN]; /* the record's region, "" if none */
    char request_id[40];
    char detail[2048];  /* JSON, never personal data in the clear */
    char prev_hash[STORE_HASH_LEN];
    char hash[STORE_HASH_LEN];
};

struct audit_filter {
    const char *actor;  /* NULL = any */
    const char *object; /* NULL = any; exact match */
    int64_t from, to;   /* epoch s, inclusive; 0 = open */
    int64_t after_seq;  /* cursor: rows with seq > after_seq */
    const char *region_prefix; /* NULL = any; else rows whose region
                                  starts with it */
    const char *action; /* NULL = any; exact match */
};

/* One version of a policy parameter (migration 2). Append-only: there is
 * an insert and a walk, and no update or delete. */
struct policy_row {
    int64_t id;
    char key[64];
    char region_code[STORE_CODE_LEN]; /* "50" or a 6-digit county */
    char effective_from[11];          /* YYYY-MM-DD */
    int64_t value;
    char unit[24];
    char source[512];
    char confidence[20];
    int64_t created_at; /* epoch s */
    char created_by[64];
};

struct store_pool_stats {
    int size;   /* connections open now (opened lazily, <= pool_size) */
    int in_use; /* of those, lent to a transaction */
    uint64_t waits; /* acquisitions that had to wait */
};

/* Opens a store from a URL: "sqlite:PATH" or "postgresql://...". pool_size
 * connections are opened lazily up to that number. */
enum dd_status store_open(const char *url, int pool_size,
                          struct store **out) DD_WUR;
void store_close(struct store *st);
/* "sqlite" or "postgresql". */
const char *store_backend(const struct store *st);
void store_pool_stats(struct store *st, struct store_pool_stats *out);
/* How long store_tx_begin (and store_wipe) wait for a free connection
 * when every one is busy before failing with DD_ESTORE, logged; 10 s
 * unless set (timeout_ms <= 0 restores that). */
void store_pool_timeout_set(struct store *st, int64_t timeout_ms);

/* Applies every migration not yet applied; from/to report the versions. */
enum dd_status store_migrate(struct store *st, int *from, int *to) DD_WUR;
/* The current schema version, 0 when the schema is empty. */
enum dd_status store_schema_version(struct store *st, int *out) DD_WUR;
/* Drops every table (used by `doudi demo` for a fresh database). */
enum dd_status store_wipe(struct store *st) DD_WUR;

/* Takes a connection from the pool and starts a transaction; DD_ESTORE
 * when none frees up within the pool's timeout. Commit and rollback both
 * end the transaction and give the connection back; after either, tx is
 * invalid. rollback(NULL) is fine. After an operation fails
 * with anything but DD_ENOTFOUND, roll back: PostgreSQL has already aborted
 * the transaction, and commit then fails with DD_ESTORE. A write operation
 * on a STORE_READ transaction is DD_EINTERNAL. */
enum dd_status store_tx_begin(struct store *st, enum store_mode mode,
                              struct store_tx **out) DD_WUR;
enum dd_status store_tx_commit(struct store_tx *tx) DD_WUR;
void store_tx_rollback(struct store_tx *tx);
/* Ends tx by what rc says of its work: commits when rc is DD_OK (and
 * returns the commit's status), otherwise rolls back (tx may then be NULL)
 * and returns rc. */
enum dd_status store_tx_end(struct store_tx *tx, enum dd_status rc) DD_WUR;

/* A trivial query, for /healthz. */
enum dd_status store_ping(struct store_tx *tx) DD_WUR;

/* What /healthz reports of the store, cheaply: store_health waits at most
 * wait_ms for a connection, reads one row on it, and looks up the rest in
 * what the pool and the transactions have remembered. */
struct store_health {
    /* the trivial read: answered, failed, or not tried because no
     * connection freed up within the wait */
    enum { STORE_UP, STORE_DOWN, STORE_BUSY } database;
    /* the last write failed in the database (disk full, I/O error, the
     * lock held elsewhere) within the last minute, and none committed
     * since */
    int writes_failing;
    /* a request waited the pool's whole timeout for a connection within
     * the last minute */
    int pool_timed_out;
    int64_t free_bytes; /* on the SQLite file's filesystem; -1 unknown */
    struct store_pool_stats pool;
};
void store_health(struct store *st, int64_t wait_ms, struct store_health *out);

/* The database's own consistency check; verdict is "ok" or the first
 * problem the engine reports. */
enum dd_status store_integrity_check(struct store_tx *tx,
                                     char verdict[256]) DD_WUR;

/* Regions and zones (reference data). put is an upsert. */
enum dd_status store_region_put(struct store_tx *tx,
                                const struct region *r) DD_WUR;
enum dd_status store_region_get(struct store_tx *tx, const char *code,
                                struct region *out) DD_WUR;
/* Children of parent ordered by code, after the code after_code (""
 * = from the start), at most max rows into out; *count is set. */
enum dd_status store_region_children(struct store_tx *tx, const char *parent,
                                     const char *after_code,
                                     struct region *out, size_t max,
                                     size_t *count) DD_WUR;
/* Every region, in code order, through a callback (used to fill the cache
 * and for counts). A non-zero return from fn stops the walk. */
typedef int (*store_region_fn)(const struct region *r, void *ctx);
enum dd_status store_region_each(struct store_tx *tx, store_region_fn fn,
                                 void *ctx) DD_WUR;
enum dd_status store_zone_put(struct store_tx *tx,
                              const struct zone_township *z) DD_WUR;
typedef int (*store_zone_fn)(const struct zone_township *z, void *ctx);
enum dd_status store_zone_each(struct store_tx *tx, store_zone_fn fn,
                               void *ctx) DD_WUR;

/* Users. insert sets u->id; a duplicate username is DD_ECONFLICT. update
 * writes every mutable field (all but id, username, created_at); a missing
 * id is DD_ENOTFOUND. A created_at of 0 is set to now on insert. */
enum dd_status store_user_insert(struct store_tx *tx, struct user *u) DD_WUR;
enum dd_status store_user_get(struct store_tx *tx, int64_t id,
                              struct user *out) DD_WUR;
enum dd_status store_user_get_by_name(struct store_tx *tx,
                                      const char *username,
                                      struct user *out) DD_WUR;
enum dd_status store_user_update(struct store_tx *tx,
                                 const struct user *u) DD_WUR;
/* Users with id > after_id in id order, at most max. */
enum dd_status store_user_list(struct store_tx *tx, int64_t after_id,
                               struct user *out, size_t max,
                               size_t *count) DD_WUR;

/* Sessions, keyed by the hash of the cookie token. touch and delete are
 * DD_ENOTFOUND when there is no such session; a missing user_id on insert
 * is DD_ECONFLICT (the foreign key). */
enum dd_status store_session_insert(struct store_tx *tx,
                                    const struct session *s) DD_WUR;
enum dd_status store_session_get(struct store_tx *tx, const char *token_hash,
                                 struct session *out) DD_WUR;
/* The session and its user in one lookup (every authenticated request). */
enum dd_status store_session_auth(struct store_tx *tx, const char *token_hash,
                                  struct session *s,
                                  struct user *u) DD_WUR;
enum dd_status store_session_touch(struct store_tx *tx,
                                   const char *token_hash,
                                   int64_t last_seen_at) DD_WUR;
enum dd_status store_session_delete(struct store_tx *tx,
                                    const char *token_hash) DD_WUR;
/* Ends every session of a user (password change, lock). */
enum dd_status store_session_delete_user(struct store_tx *tx,
                                         int64_t user_id) DD_WUR;

/* Sign-in failures per (user, client address). add counts one failure at
 * now and returns the row after it (atomically: concurrent failures add
 * up); lock zeroes the count and locks until `until`; get reads it
 * (DD_ENOTFOUND: no failure recorded); addresses counts the addresses
 * with a failure at or after since; clear forgets the address (NULL:
 * every address of the user). */
enum dd_status store_login_failure_add(struct store_tx *tx, int64_t user_id,
                                       const char *client, int64_t now,
                                       struct login_failure *out) DD_WUR;
enum dd_status store_login_failure_lock(struct store_tx *tx, int64_t user_id,
                                        const char *client,
                                        int64_t until) DD_WUR;
enum dd_status store_login_failure_get(struct store_tx *tx, int64_t user_id,
                                       const char *client,
                                       struct login_failure *out) DD_WUR;
enum dd_status store_login_failure_addresses(struct store_tx *tx,
                                             int64_t user_id, int64_t since,
                                             int64_t *count) DD_WUR;
enum dd_status store_login_failure_clear(struct store_tx *tx, int64_t user_id,
                                         const char *client) DD_WUR;

/* Partner API tokens, keyed by the hash of the bearer token. */
enum dd_status store_api_token_insert(struct store_tx *tx,
                                      struct api_token *t) DD_WUR;
enum dd_status store_api_token_get(struct store_tx *tx,
                                   const char *token_hash,
                                   struct api_token *out) DD_WUR;

/* The audit chain. tail returns the last row's seq and hash (0 and 64 '0's
 * when empty) and, in a write transaction, holds the lock that serialises
 * appends until the transaction ends. */
enum dd_status store_audit_tail(struct store_tx *tx, int64_t *seq,
                                char prev_hash[STORE_HASH_LEN]) DD_WUR;
enum dd_status store_audit_insert(struct store_tx *tx,
                                  const struct audit_row *row) DD_WUR;
/* Rows matching f in seq order, at most max. */
enum dd_status store_audit_list(struct store_tx *tx,
                                const struct audit_filter *f,
                                struct audit_row *out, size_t max,
                                size_t *count) DD_WUR;

/* The digests a batch's audit row covers (migration 15): the n-th of
 * audit row seq vouches that object (e.g. "household:12") had digest.
 * Append-only. insert_many writes n rows (by one COPY on PostgreSQL);
 * each walks every row in (seq, n) order; a non-zero return from fn
 * stops the walk. */
struct audit_digest_row {
    int64_t seq, n;
    char object[64];
    char digest[STORE_HASH_LEN];
};
enum dd_status store_audit_digest_insert_many(
    struct store_tx *tx, const struct audit_digest_row *rows, size_t n) DD_WUR;
typedef int (*store_audit_digest_fn)(const struct audit_digest_row *r,
                                     void *ctx);
enum dd_status store_audit_digest_each(struct store_tx *tx,
                                       store_audit_digest_fn fn,
                                       void *ctx) DD_WUR;
/* For `doudi check`: every sealed value outside the household registry
 * (the citizens' one-time codes and sessions) with its table and row key
 * (crypto/pii.h), and the id of every case item with a decision. */
struct store_sealed_row {
    char table[24];
    char row_key[STORE_HASH_LEN];
    char sealed[160]; /* STORE_SEALED_LEN, defined below */
};
typedef int (*store_sealed_fn)(const struct store_sealed_row *r, void *ctx);
enum dd_status store_sealed_each(struct store_tx *tx, store_sealed_fn fn,
                                 void *ctx) DD_WUR;
typedef int (*store_id_fn)(const int64_t *id, void *ctx);
enum dd_status store_decided_case_items_each(struct store_tx *tx,
                                             store_id_fn fn, void *ctx) DD_WUR;

/* Policy parameters. insert sets p->id (and created_at when 0); a second
 * version for the same (key, region_code, effective_from) is DD_ECONFLICT.
 * each walks every version ordered by key, region_code, effective_from
 * (bytewise); a non-zero return from fn stops the walk. */
enum dd_status store_policy_insert(struct store_tx *tx,
                                   struct policy_row *p) DD_WUR;
typedef int (*store_policy_fn)(const struct policy_row *p, void *ctx);
enum dd_status store_policy_each(struct store_tx *tx, store_policy_fn fn,
                                 void *ctx) DD_WUR;

/* The household registry (migration 3). Every row carries county_code
 * (the first 6 digits of the household's residence village). ID and
 * disability card numbers arrive here already sealed (pii_seal) with the
 * blind index and masked form: the store never sees them in the clear. */
#define STORE_SEALED_LEN 160 /* a sealed ID or card number and its NUL */

struct household_row {
    int64_t id;
    char county_code[7];
    char region_code[STORE_CODE_LEN];  /* residence: 12-digit village */
    char hukou_region[STORE_CODE_LEN]; /* 户籍: 12-digit village */
    char address[512];
    char urban_or_rural[12]; /* "urban", "rural" or "district" (follow
                                the hukou district, migration 5) */
    char status[12];        /* "active" or "inactive" */
    /* the registered contact's phone and the payee bank account, sealed
     * (pii_seal) with their masked forms; the phone's blind index finds
     * the households a citizen signed in by phone is the contact of.
     * All "" when not given. */
    char contact_phone_hash[STORE_HASH_LEN];
    char contact_phone_enc[STORE_SEALED_LEN];
    char contact_phone_masked[16];   /* 138****5678 */
    char bank_account_enc[STORE_SEALED_LEN];
    char bank_account_masked[32];    /* 6222**********1234 */
    int64_t version;        /* 1 on insert, +1 on every update */
    int64_t created_at, updated_at; /* epoch s */
};

struct person_row {
    int64_t id;
    int64_t household_id;
    char county_code[7];
    char id_hash[STORE_HASH_LEN];     /* pii_blind_index of the number */
    char id_enc[STORE_SEALED_LEN];    /* pii_seal of the number */
    char id_masked[19];               /* idcard_mask */
    int active; /* in an active household: holds the one-active rule */
    char name[STORE_NAME_LEN];
    char sex[2];         /* "M" or "F" */
    char birth_date[11]; /* YYYY-MM-DD */
    int relation;        /* enum hh_relation */
    int disability_category, disability_grade;
    char disability_card_enc[STORE_SEALED_LEN]; /* sealed, "" if none */
    int major_illness;
    int work_capacity; /* enum hh_work_capacity */
    int schooling;     /* enum hh_schooling */
    int employed;
    int selfcare_unable; /* bit i: cannot do enum hh_adl i */
    char died_on[11];    /* the death recorded (person_death), "" if none */
};

struct income_row {
    int64_t id;
    int64_t person_id;
    char county_code[7];
    int kind; /* enum hh_income_kind */
    int64_t monthly_fen;
};

struct asset_row {
    int64_t id;
    int64_t household_id;
    char county_code[7];
    int64_t owner_person_id; /* 0 = held jointly */
    int kind;                /* enum hh_asset_kind */
    int64_t value_fen;
    int64_t count;
    int64_t area_dm2;
    int exempt;
};

/* obligor_row.flags */
#define OBLIGOR_IS_TEKUN (1 << 0)
#define OBLIGOR_IS_DIBAO (1 << 1)
#define OBLIGOR_LACKS_CAPACITY (1 << 2)
#define OBLIGOR_MISSING (1 << 3)
#define OBLIGOR_IN_PRISON (1 << 4)
#define OBLIGOR_ASSETS_LOW (1 << 5)
#define OBLIGOR_OTHER_UNABLE (1 << 6)

struct obligor_row {
    int64_t id;
    int64_t household_id;
    char county_code[7];
    int64_t of_person_id; /* whose obligor */
    int relation;         /* enum hh_relation, to that member */
    char name[STORE_NAME_LEN];
    char birth_date[11]; /* "" if unknown */
    int disability_category, disability_grade;
    int flags; /* OBLIGOR_* */
    int64_t income_monthly_fen;
};

/* Households. insert sets h->id, version 1 and the times (0 = now).
 * update writes every mutable field of h when the stored version is
 * expected_version, and sets h->version to expected_version + 1;
 * DD_ECONFLICT when the version differs, DD_ENOTFOUND when there is no
 * such household. Setting status "inactive" also clears the active mark
 * of its members (frees them for another household). */
enum dd_status store_household_insert(struct store_tx *tx,
                                      struct household_row *h) DD_WUR;
enum dd_status store_household_get(struct store_tx *tx, int64_t id,
                                   struct household_row *out) DD_WUR;
enum dd_status store_household_update(struct store_tx *tx,
                                      struct household_row *h,
                                      int64_t expected_version) DD_WUR;
/* Writes h's contact phone (hash, sealed, masked) and bank account
 * (sealed, masked) into household h->id as they are, keeping its version:
 * they are sealed bound to the id, so a new household gets them just
 * after its insert. DD_ENOTFOUND when there is no such household. */
enum dd_status
store_household_contact_set(struct store_tx *tx,
                            const struct household_row *h) DD_WUR;
/* Households whose region_code starts with region_prefix ("" = any), in
 * (region_code, id) order after household after_id (0: from the first),
 * at most max: a range of the region index, as cheap for a village at
 * city scale as in a small registry. */
enum dd_status store_household_list(struct store_tx *tx,
                                    const char *region_prefix,
                                    int64_t after_id,
                                    struct household_row *out, size_t max,
                                    size_t *count) DD_WUR;
/* The same for a department's officer: only the households with an item
 * referred to department, read from its referrals. */
enum dd_status store_household_list_dept(struct store_tx *tx,
                                         const char *department,
                                         const char *region_prefix,
                                         int64_t after_id,
                                         struct household_row *out,
                                         size_t max, size_t *count) DD_WUR;
/* Households holding a person with this blind index (active or not),
 * newest first, at most max ids. */
enum dd_status store_household_by_id_hash(struct store_tx *tx,
                                          const char *id_hash, int64_t *out,
                                          size_t max, size_t *count) DD_WUR;
/* The household in which a person with this blind index is active;
 * DD_ENOTFOUND when there is none. */
enum dd_status store_person_active_household(struct store_tx *tx,
                                             const char *id_hash,
                                             int64_t *household_id) DD_WUR;
/* Calls fn with each blind index among id_hashes (blind indexes joined
 * by commas) that an active person holds, until fn returns non-zero. */
typedef int (*store_text_fn)(const char *text, void *ctx);
enum dd_status store_person_active_among(struct store_tx *tx,
                                         const char *id_hashes,
                                         store_text_fn fn, void *ctx) DD_WUR;
/* Deletes every member (with their incomes), asset and obligor of a
 * household: the first half of a full replace. */
enum dd_status store_household_clear(struct store_tx *tx,
                                     int64_t household_id) DD_WUR;

/* Members. insert sets p->id; a person already active in a household is
 * DD_ECONFLICT (the database's unique index). list is in id order. delete
 * removes the member and their incomes; DD_ENOTFOUND when the member is
 * not in that household. */
enum dd_status store_person_insert(struct store_tx *tx,
                                   struct person_row *p) DD_WUR;
enum dd_status store_person_list(struct store_tx *tx, int64_t household_id,
                                 struct person_row *out, size_t max,
                                 size_t *count) DD_WUR;
enum dd_status store_person_delete(struct store_tx *tx, int64_t household_id,
                                   int64_t person_id) DD_WUR;
/* What of the payments names person_id and keeps it from being deleted
 * (its rows refer to the person): entitlements paid to it, its payee
 * accounts (any state: the four-eyes history), and its death record or
 * recoveries, each by its index (entitlement_by_payee, ...). */
struct person_payment_refs {
    int64_t entitlements, accounts, others;
};
enum dd_status store_person_payment_refs(struct store_tx *tx,
                                         int64_t person_id,
                                         struct person_payment_refs *out)
    DD_WUR;

/* Incomes, assets and obligors. insert sets the id; a second income of
 * the same kind for one person is DD_ECONFLICT. The lists return a
 * household's rows in id order (incomes: of all its members). */
enum dd_status store_income_insert(struct store_tx *tx,
                                   struct income_row *r) DD_WUR;
enum dd_status store_income_list(struct store_tx *tx, int64_t household_id,
                                 struct income_row *out, size_t max,
                                 size_t *count) DD_WUR;
enum dd_status store_asset_insert(struct store_tx *tx,
                                  struct asset_row *r) DD_WUR;
enum dd_status store_asset_list(struct store_tx *tx, int64_t household_id,
                                struct asset_row *out, size_t max,
                                size_t *count) DD_WUR;
enum dd_status store_obligor_insert(struct store_tx *tx,
                                    struct obligor_row *r) DD_WUR;
enum dd_status store_obligor_list(struct store_tx *tx, int64_t household_id,
                                  struct obligor_row *out, size_t max,
                                  size_t *count) DD_WUR;

/* A household with everything under it, read by store_household_read
 * into the caller's arrays: each part in id order (incomes of all its
 * members), at most *_max rows of each (more is cut). */
struct store_household_parts {
    struct person_row *members;
    size_t members_max, member_count;
    struct income_row *incomes;
    size_t incomes_max, income_count;
    struct asset_row *assets;
    size_t assets_max, asset_count;
    struct obligor_row *obligors;
    size_t obligors_max, obligor_count;
};
/* Reads household id and its members, incomes, assets and obligors in
 * one statement (one round trip, one pass). DD_ENOTFOUND when there is no
 * such household. */
enum dd_status store_household_read(struct store_tx *tx, int64_t id,
                                    struct household_row *h,
                                    struct store_household_parts *out) DD_WUR;
/* Households with id > after_id whose region_code starts with one of
 * prefixes[0..prefix_count) (a multi-prefix scope such as a functional
 * zone's townships; each 1-12 digits) and with region_prefix ("" = any),
 * in id order, at most max. The database walks each prefix's range of
 * the region index, so a page costs the scope's households, not the
 * table's. DD_EINVAL for a prefix that is not digits. */
enum dd_status store_household_list_in(struct store_tx *tx,
                                       const char *const *prefixes,
                                       size_t prefix_count,
                                       const char *region_prefix,
                                       int64_t after_id,
                                       struct household_row *out, size_t max,
                                       size_t *count) DD_WUR;
/* Deletes a household's assets and obligors (a full replace rewrites
 * them; its members are matched and kept, see store_person_update). */
enum dd_status store_household_clear_holdings(struct store_tx *tx,
                                              int64_t household_id) DD_WUR;
/* Rewrites member p->id of household p->household_id in place (every
 * field but the blind index and the active mark) and deletes their
 * incomes, for the caller to insert anew. DD_ENOTFOUND when the member is
 * not in that household. */
enum dd_status store_person_update(struct store_tx *tx,
                                   const struct person_row *p) DD_WUR;

/* The holiday calendar (migration 4): one row per day the State Council's
 * notices mark off (is_off_day 1) or worked (调休, 0). put is an upsert
 * on the date; each walks them in date order. */
struct holiday_row {
    char date[11]; /* YYYY-MM-DD */
    int is_off_day;
    char name[64];
    char source[512]; /* the notice's address */
};
enum dd_status store_holiday_put(struct store_tx *tx,
                                 const struct holiday_row *h) DD_WUR;
typedef int (*store_holiday_fn)(const struct holiday_row *h, void *ctx);
enum dd_status store_holiday_each(struct store_tx *tx, store_holiday_fn fn,
                                  void *ctx) DD_WUR;
/* One year's calendar replaced by a new version (migration 13):
 * year_clear deletes the holiday rows of year; version_next is the
 * number the year's next version takes (1 for the first); version_put
 * appends a day of version (holiday_version is append-only). */
enum dd_status store_holiday_year_clear(struct store_tx *tx,
                                        int year) DD_WUR;
enum dd_status store_holiday_version_next(struct store_tx *tx, int year,
                                          int64_t *version) DD_WUR;
enum dd_status store_holiday_version_put(struct store_tx *tx, int year,
                                         int64_t version,
                                         const struct holiday_row *h,
                                         int64_t loaded_at,
                                         const char *loaded_by) DD_WUR;

/* Citizens signing in by phone (migration 6). Phones arrive sealed with
 * their blind index (pii_seal); codes and tokens as hashes. */
struct citizen_otp_row {
    char phone_hash[STORE_HASH_LEN]; /* blind index of the phone */
    char phone_enc[STORE_SEALED_LEN];
    char code_hash[STORE_HASH_LEN];  /* keyed hash of the code */
    int64_t created_at, expires_at;  /* epoch s */
    int attempts;
};
/* put: a new code for the phone, replacing any earlier one, attempts 0. */
enum dd_status store_citizen_otp_put(struct store_tx *tx,
                                     const struct citizen_otp_row *r) DD_WUR;
/* Counts one attempt on the phone's code (atomically) and reads the row
 * as it is after; DD_ENOTFOUND when the phone has no code. */
enum dd_status store_citizen_otp_attempt(struct store_tx *tx,
                                         const char *phone_hash,
                                         struct citizen_otp_row *out) DD_WUR;
enum dd_status store_citizen_otp_delete(struct store_tx *tx,
                                        const char *phone_hash) DD_WUR;
/* Deletes the codes that expired before the instant before. */
enum dd_status store_citizen_otp_purge(struct store_tx *tx,
                                       int64_t before) DD_WUR;

struct citizen_session_row {
    char token_hash[STORE_HASH_LEN];
    char phone_hash[STORE_HASH_LEN];
    char phone_enc[STORE_SEALED_LEN];
    char phone_masked[16]; /* 138****5678 */
    char csrf_token[STORE_HASH_LEN];
    int64_t created_at, expires_at;
    /* the blind index of the ID number the session proved through OpenID
     * Connect; "" for a session proved by phone alone */
    char id_hash[STORE_HASH_LEN];
    char id_masked[19]; /* 500103********123X, or "" (migration 12) */
};
enum dd_status store_citizen_session_insert(
    struct store_tx *tx, const struct citizen_session_row *r) DD_WUR;
enum dd_status store_citizen_session_get(struct store_tx *tx,
                                         const char *token_hash,
                                         struct citizen_session_row *out) DD_WUR;
/* DD_ENOTFOUND when there is no such session. */
enum dd_status store_citizen_session_delete(struct store_tx *tx,
                                            const char *token_hash) DD_WUR;
/* Deletes the sessions that expired before the instant before. */
enum dd_status store_citizen_session_purge(struct store_tx *tx,
                                           int64_t before) DD_WUR;
/* OpenID Connect sign-ins under way (migration 12): the state and nonce
 * as token hashes, the PKCE verifier sealed. */
struct oidc_pending_row {
    char state_hash[STORE_HASH_LEN];
    char nonce_hash[STORE_HASH_LEN];
    char verifier_enc[STORE_SEALED_LEN];
    int64_t created_at, expires_at; /* epoch s */
};
enum dd_status store_oidc_pending_put(struct store_tx *tx,
                                      const struct oidc_pending_row *r) DD_WUR;
/* Deletes the sign-in of this state and reads it, so a state serves once;
 * DD_ENOTFOUND when there is none. */
enum dd_status store_oidc_pending_take(struct store_tx *tx,
                                       const char *state_hash,
                                       struct oidc_pending_row *out) DD_WUR;
/* Deletes the sign-ins that expired before the instant before. */
enum dd_status store_oidc_pending_purge(struct store_tx *tx,
                                        int64_t before) DD_WUR;
/* ---- intake and case handling (migration 7) ----
 * The catalog (append-only versions), applications, their case items,
 * every transition of an item (case_event), referrals, entitlements,
 * 公示 rows and objections. Days are YYYY-MM-DD ("" = none). */
struct catalog_item; /* domain/catalog.h */

#define STORE_DAY_LEN 11
#define STORE_CASE_NO_LEN 32

struct application_row {
    int64_t id;
    char case_no[STORE_CASE_NO_LEN]; /* county + year + sequence */
    char county_code[7];
    int64_t household_id;
    char channel[12];                   /* window, assistant, online */
    char intake_region[STORE_CODE_LEN]; /* the office that took it */
    char intake_user[64];
    char query_code_hash[STORE_HASH_LEN];
    char applied_on[STORE_DAY_LEN];
    char missing[512]; /* the one-time notice: item:material;... */
    int64_t created_at;
    /* the filing citizen's phone blind index ("" = a staff channel;
     * migration 8) */
    char citizen_hash[STORE_HASH_LEN];
};

struct case_item_row {
    int64_t id;
    int64_t application_id;
    char county_code[7];
    int64_t household_id;
    char village_code[STORE_CODE_LEN]; /* the household's hukou village */
    char intake_region[STORE_CODE_LEN];
    char item_code[32];
    int64_t catalog_version;
    char owner_region[STORE_CODE_LEN]; /* the office that acts now */
    char owner_department[24];         /* "" = civil affairs */
    char step[24];
    char state[8]; /* open, paused (补正), closed */
    char accepted_on[STORE_DAY_LEN];
    char deadline[STORE_DAY_LEN]; /* statutory, moved by pauses */
    int64_t deadline_uncovered;   /* computed over an uncovered year */
    char step_started_on[STORE_DAY_LEN];
    char step_deadline[STORE_DAY_LEN]; /* "" when the step has no limit */
    char paused_since[STORE_DAY_LEN];
    int64_t paused_working_days;
    int64_t version;
    char decision[12]; /* "", approved, rejected */
    int64_t amount_fen;
    char reasons[512];
    char missing[256]; /* ';'-separated material codes still missing */
    int64_t visits;
    int64_t spot_check;
    char closed_on[STORE_DAY_LEN];
    int64_t created_at, updated_at;
    char case_no[STORE_CASE_NO_LEN]; /* the application's, read only */
};

struct case_event_row {
    int64_t id;
    int64_t case_item_id;
    char county_code[7];
    int64_t seq;
    char step_from[24], step_to[24], action[24];
    char actor[64], role[24];
    char region[STORE_CODE_LEN]; /* where the actor works */
    int64_t at;                  /* epoch s */
    char day[STORE_DAY_LEN];     /* Asia/Shanghai */
    char reasons[512];
    char fields[1024]; /* JSON */
    int64_t visit;     /* the applicant came in person */
};

struct referral_row {
    int64_t id;
    int64_t case_item_id;
    char county_code[7];
    char department[24];
    char region[STORE_CODE_LEN];
    int64_t sent_at, accepted_at, answered_at; /* epoch s, 0 = not yet */
    char result[512];
};

struct entitlement_row {
    int64_t id;
    char county_code[7];
    int64_t household_id;
    char item_code[32];
    int64_t case_item_id;
    int64_t monthly_fen;
    char start_month[8], end_month[8]; /* YYYY-MM, end "" = open */
    char state[12];                    /* active, suspended, stopped */
    int64_t created_at;
    /* its life (migration 16): the optimistic version, the amount now
     * decided (monthly_fen is the amount approved), the village it was
     * approved in (the caseload's scope), the payee (0 = not known) and
     * why it stopped (ent_stop_reason_name, "" while not stopped) */
    int64_t version;
    int64_t amount_fen;
    char region_code[STORE_CODE_LEN];
    int64_t payee_person_id;
    char stop_reason[16];
    /* a stop's 公示 running (migration 23): the day it opened
     * (YYYY-MM-DD, "" = none), its days and the reason publicised */
    char publicity_from[11];
    int64_t publicity_days;
    char publicity_reason[16];
};

struct publicity_row {
    int64_t id;
    int64_t case_item_id;
    char county_code[7];
    char village_code[STORE_CODE_LEN];
    char item_code[32];
    char masked_name[64]; /* 张*三 */
    int64_t household_size;
    int64_t amount_fen;
    char start_day[STORE_DAY_LEN], end_day[STORE_DAY_LEN];
    char state[12]; /* open, closed, objected */
    int64_t created_at;
};

struct objection_row {
    int64_t id;
    int64_t publicity_id;
    char county_code[7];
    char text[512];
    char recorded_by[64];
    int64_t at;
    char day[STORE_DAY_LEN];
};

/* Catalog versions: insert (a second (code, version) is DD_ECONFLICT;
 * created_at 0 = now) and a walk in (code, version) order. */
enum dd_status store_catalog_insert(struct store_tx *tx,
                                    struct catalog_item *it) DD_WUR;
typedef int (*store_catalog_fn)(const struct catalog_item *it, void *ctx);
enum dd_status store_catalog_each(struct store_tx *tx, store_catalog_fn fn,
                                  void *ctx) DD_WUR;
/* The next number of (county, year), 1 first, in the caller's write
 * transaction. The case numbers use the county code; the spot-check
 * sample counts an item's cases under "county/item" (api_applications.c). */
enum dd_status store_case_seq_next(struct store_tx *tx, const char *county,
                                   int year, int64_t *out) DD_WUR;

/* Applications: insert sets id (and created_at when 0); a duplicate case
 * number is DD_ECONFLICT. */
enum dd_status store_application_insert(struct store_tx *tx,
                                        struct application_row *a) DD_WUR;
enum dd_status store_application_get(struct store_tx *tx, int64_t id,
                                     struct application_row *out) DD_WUR;
enum dd_status store_application_by_case_no(struct store_tx *tx,
                                            const char *case_no,
                                            struct application_row *out) DD_WUR;

/* How many applications the citizen with this index filed on day
 * (YYYY-MM-DD): the daily limit's count, durable across restarts. A
 * write transaction: it first takes the citizen's lock until tx ends, so
 * a concurrent filing by the same citizen waits and then counts this
 * one. */
enum dd_status store_application_citizen_day(struct store_tx *tx,
                                             const char *citizen_hash,
                                             const char *day,
                                             int64_t *count) DD_WUR;
/* How many items of item_code the household has not closed. */
enum dd_status store_case_item_open_of_household(struct store_tx *tx,
                                                 int64_t household_id,
                                                 const char *item_code,
                                                 int64_t *count) DD_WUR;

/* Self-declared households (migration 14): a citizen's declaration is
 * inserted inactive (its members inactive) and marked unverified
 * (declared); verify makes it an active household of the registry, its
 * members active (DD_ECONFLICT when one is active elsewhere; DD_ENOTFOUND
 * when it is not an unverified household). unverified: DD_ENOTFOUND for
 * no such household. */
enum dd_status store_household_unverified(struct store_tx *tx, int64_t id,
                                          int *unverified) DD_WUR;
enum dd_status store_household_declared(struct store_tx *tx,
                                        int64_t id) DD_WUR;
enum dd_status store_household_verify(struct store_tx *tx, int64_t id) DD_WUR;

/* Case items. insert sets id, version 1 and the times. update writes the
 * mutable fields when the stored version is expected_version and sets
 * c->version; DD_ECONFLICT for another version, DD_ENOTFOUND for none. */
enum dd_status store_case_item_insert(struct store_tx *tx,
                                      struct case_item_row *c) DD_WUR;
enum dd_status store_case_item_get(struct store_tx *tx, int64_t id,
                                   struct case_item_row *out) DD_WUR;
enum dd_status store_case_item_update(struct store_tx *tx,
                                      struct case_item_row *c,
                                      int64_t expected_version) DD_WUR;
enum dd_status store_case_item_by_application(struct store_tx *tx,
                                              int64_t application_id,
                                              struct case_item_row *out,
                                              size_t max,
                                              size_t *count) DD_WUR;
/* Items not closed of department ("" = civil affairs) owned by the
 * office region_prefix itself, or under it with a deadline before today
 * (YYYY-MM-DD), soonest deadline first, at most max. */
enum dd_status store_case_item_inbox(struct store_tx *tx,
                                     const char *region_prefix,
                                     const char *department,
                                     const char *today,
                                     struct case_item_row *out, size_t max,
                                     size_t *count) DD_WUR;
/* The engine's explanation (JSON) of an item's decision; get copies at
 * most cap - 1 bytes ("" when none). */
enum dd_status store_case_item_explanation_set(struct store_tx *tx,
                                               int64_t id,
                                               const char *json) DD_WUR;
enum dd_status store_case_item_explanation_get(struct store_tx *tx,
                                               int64_t id, char *out,
                                               size_t cap) DD_WUR;
/* Items not closed whose clock reaches into the days from..to
 * (YYYY-MM-DD; accepted on or before to, and a deadline or step deadline
 * on or after from): a page of at most max with ids after after_id, by
 * id. A calendar year's new version recomputes their deadlines. */
enum dd_status store_case_item_calendar_page(struct store_tx *tx,
                                             const char *from, const char *to,
                                             int64_t after_id,
                                             struct case_item_row *out,
                                             size_t max,
                                             size_t *count) DD_WUR;
/* Where the case items not closed stand: one call per (item, catalog
 * version, step), in that order, with how many; fn returning non-zero
 * stops the walk. Start-up checks each step against the templates. */
struct case_step_count {
    char item_code[32];
    int64_t catalog_version;
    char step[24];
    int64_t count;
};
typedef int (*store_case_step_fn)(const struct case_step_count *s, void *ctx);
enum dd_status store_case_item_steps_each(struct store_tx *tx,
                                          store_case_step_fn fn,
                                          void *ctx) DD_WUR;

/* Transitions: insert sets id and seq (the item's next). list is in seq
 * order. */
enum dd_status store_case_event_insert(struct store_tx *tx,
                                       struct case_event_row *e) DD_WUR;
enum dd_status store_case_event_list(struct store_tx *tx, int64_t case_item_id,
                                     struct case_event_row *out, size_t max,
                                     size_t *count) DD_WUR;

/* Referrals: one per referred case item. update writes the times and the
 * result. dept_household: whether a household has any referral to dept. */
enum dd_status store_referral_insert(struct store_tx *tx,
                                     struct referral_row *r) DD_WUR;
enum dd_status store_referral_update(struct store_tx *tx,
                                     const struct referral_row *r) DD_WUR;
enum dd_status store_referral_get(struct store_tx *tx, int64_t case_item_id,
                                  struct referral_row *out) DD_WUR;
enum dd_status store_referral_dept_household(struct store_tx *tx,
                                             int64_t household_id,
                                             const char *dept,
                                             int *has) DD_WUR;

/* Entitlements: one per approved case item (store_entitlements.c). insert
 * sets e->id, its version 1 and its amount the approved one; its payee
 * is e->payee_person_id (0 = nobody yet: NULL). */
enum dd_status store_entitlement_insert(struct store_tx *tx,
                                        struct entitlement_row *e) DD_WUR;
enum dd_status store_entitlement_by_case_item(struct store_tx *tx,
                                              int64_t case_item_id,
                                              struct entitlement_row *out)
    DD_WUR;
/* A household's active entitlements (state "active"), in id order, at
 * most max: what the household receives now, for the engines that depend
 * on it (两项补贴, the children's 补差, 临时救助). */
enum dd_status store_entitlement_active_of_household(
    struct store_tx *tx, int64_t household_id, struct entitlement_row *out,
    size_t max, size_t *count) DD_WUR;

/* A household's entitlements in every state, in id order, at most max. */
enum dd_status store_entitlement_of_household(struct store_tx *tx,
                                              int64_t household_id,
                                              struct entitlement_row *out,
                                              size_t max,
                                              size_t *count) DD_WUR;

/* 公示 rows and objections. update writes the days and the state. */
enum dd_status store_publicity_insert(struct store_tx *tx,
                                      struct publicity_row *p) DD_WUR;
enum dd_status store_publicity_get(struct store_tx *tx, int64_t id,
                                   struct publicity_row *out) DD_WUR;
enum dd_status store_publicity_update(struct store_tx *tx,
                                      const struct publicity_row *p) DD_WUR;
enum dd_status store_publicity_by_village(struct store_tx *tx,
                                          const char *village,
                                          struct publicity_row *out,
                                          size_t max, size_t *count) DD_WUR;
enum dd_status store_publicity_open_of_case(struct store_tx *tx,
                                            int64_t case_item_id,
                                            struct publicity_row *out) DD_WUR;
enum dd_status store_objection_insert(struct store_tx *tx,
                                      struct objection_row *o) DD_WUR;

/* The household importer's bulk path (src/io/import.c).
 * import_tune readies this connection for a bulk load: on SQLite 1 GiB of
 * page cache, a WAL checkpoint every 64k pages and statement journals in
 * memory, from the next transaction on (synchronous and the journal stay
 * as they are); nothing on PostgreSQL. import_person_insert
 * inserts a member unless a person with its blind index is active
 * already, which the unique index decides without a lookup first: then
 * DD_ECONFLICT, nothing written and the transaction still usable on both
 * backends. import_household_delete removes a household with everything
 * under it (cascade): undoing one inserted in this transaction.
 * import_household_insert and import_income_insert write as
 * store_household_insert and store_income_insert do, without a RETURNING
 * on SQLite (the income's id is not read back). */
enum dd_status store_import_tune(struct store_tx *tx) DD_WUR;
enum dd_status store_import_person_insert(struct store_tx *tx,
                                          struct person_row *p) DD_WUR;
enum dd_status store_import_household_delete(struct store_tx *tx,
                                             int64_t id) DD_WUR;
enum dd_status store_import_household_insert(struct store_tx *tx,
                                             struct household_row *h) DD_WUR;
enum dd_status store_import_income_insert(struct store_tx *tx,
                                          const struct income_row *r) DD_WUR;

/* Announcements of what other connections changed (PostgreSQL's LISTEN
 * on channel: NOTIFY, here sent by triggers), heard on a thread and a
 * connection of their own: fn(ctx, payload) for each, and fn(ctx, NULL)
 * whenever the listener starts listening or loses its connection (what
 * was announced meanwhile is not heard: a cache must forget everything).
 * store_listener_up says whether it is listening now; it reconnects
 * every second while it is not. DD_ENOTFOUND on a backend without
 * announcements (SQLite). */
typedef void (*store_notify_fn)(void *ctx, const char *payload);
struct store_listener;
enum dd_status store_listen(struct store *st, const char *channel,
                            store_notify_fn fn, void *ctx,
                            struct store_listener **out) DD_WUR;
int store_listener_up(const struct store_listener *l);
void store_listen_stop(struct store_listener *l);

/* The registry's bulk load (doudi gen --store, and doudi import on
 * PostgreSQL): households with their members, incomes, assets and
 * obligors, each given its id before it is written. On PostgreSQL the
 * rows are held and go in by one COPY a table at store_bulk_flush, their
 * ids taken from the tables' identities a block at a time; on SQLite each
 * is inserted at once. A bulk is used by one transaction after another:
 * store_bulk_begin names the one the next rows go into, and
 * store_bulk_flush must run before it commits; between store_bulk_begin
 * or a flush and the next flush no household is written but through the
 * bulk load. A unique key a flush runs into (a person already active) is
 * DD_ECONFLICT, and the transaction is then aborted on PostgreSQL: the
 * caller claims ID numbers before it writes them. The rows' ids are set
 * (household_id, person_id and the like are the caller's). */
struct store_bulk;
/* Whether tx's bulk loads hold rows for COPY (PostgreSQL), rather than
 * insert each at once (SQLite). */
int store_bulk_holds(const struct store_tx *tx);
enum dd_status store_bulk_new(struct store_bulk **out) DD_WUR;
void store_bulk_free(struct store_bulk *b);
void store_bulk_begin(struct store_bulk *b, struct store_tx *tx);
/* The id the next store_bulk_household writes, for what is sealed bound
 * to it (a household's contact) before it is written. */
enum dd_status store_bulk_household_id(struct store_bulk *b,
                                       int64_t *id) DD_WUR;
/* Writes h under the id store_bulk_household_id gave last. */
enum dd_status store_bulk_household(struct store_bulk *b,
                                    struct household_row *h) DD_WUR;
enum dd_status store_bulk_person(struct store_bulk *b,
                                 struct person_row *p) DD_WUR;
enum dd_status store_bulk_income(struct store_bulk *b,
                                 struct income_row *r) DD_WUR;
enum dd_status store_bulk_asset(struct store_bulk *b,
                                struct asset_row *r) DD_WUR;
enum dd_status store_bulk_obligor(struct store_bulk *b,
                                  struct obligor_row *r) DD_WUR;
enum dd_status store_bulk_flush(struct store_bulk *b) DD_WUR;

/* KPIs: one case item of the cohort, with its application's channel and
 * its referral's times (epoch s; 0 = none). Days are YYYY-MM-DD or "". */
struct kpi_case_row {
    char item_code[32];
    char village_code[STORE_CODE_LEN];
    char state[12];
    char accepted_on[11], deadline[11], closed_on[11];
    int64_t paused_working_days;
    char decision[12];
    int64_t amount_fen;
    int64_t visits;
    char channel[12];
    int64_t referral_sent_at, referral_answered_at;
};
typedef int (*store_kpi_case_fn)(const struct kpi_case_row *k, void *ctx);
/* Calls fn for every case item accepted in [from, to] (YYYY-MM-DD) whose
 * village starts with region_prefix ("" = all), in no particular order;
 * fn returns non-zero to stop. */
enum dd_status store_kpi_case_each(struct store_tx *tx,
                                   const char *region_prefix, const char *from,
                                   const char *to, store_kpi_case_fn fn,
                                   void *ctx) DD_WUR;

/* The monthly report (migration 21, store_payment_reports.c): what the
 * closed batches of a month paid, per programme and urban/rural, from
 * payment_summary. Households are distinct within a township, programme
 * and month; persons and of whom are each household's (its largest line
 * figure that month). */
struct payment_summary_row {
    char item_code[32];
    char urban_rural[8]; /* "urban", "rural" */
    int64_t households, persons, elderly, minors, disabled;
    int64_t lines, amount_fen;
};
typedef int (*store_payment_summary_fn)(const struct payment_summary_row *r,
                                        void *ctx);
/* Brings payment_summary up to date with batch_id's county, programme and
 * month: recomputed from the paid lines of that county's closed batches
 * of the programme and month, batch_id counted as closed (call it in the
 * transaction that closes the batch, before or after its state changes).
 * DD_ENOTFOUND without the batch; DD_ESTORE. */
enum dd_status store_payment_summary_add_batch(struct store_tx *tx,
                                               int64_t batch_id) DD_WUR;
/* Calls fn for each programme × urban/rural of month ("YYYY-MM") whose
 * townships start with region_prefix ("50" the city, a county, a
 * township), in programme then urban/rural order. */
enum dd_status store_payment_summary_each(struct store_tx *tx,
                                          const char *region_prefix,
                                          const char *month,
                                          store_payment_summary_fn fn,
                                          void *ctx) DD_WUR;
/* The month's new (the entitlement starts), stopped (停发 in effect) and
 * changed (增发, 减发, 渐退 in effect) cases of a programme in a region. */
struct caseload_move_row {
    char kind[8]; /* "new", "stopped", "changed" */
    char item_code[32];
    int64_t cases;
};
typedef int (*store_caseload_move_fn)(const struct caseload_move_row *r,
                                      void *ctx);
enum dd_status store_caseload_move_each(struct store_tx *tx,
                                        const char *region_prefix,
                                        const char *month,
                                        store_caseload_move_fn fn,
                                        void *ctx) DD_WUR;
/* The dashboard's trend: per month in [from, to] and county under
 * region_prefix, the closed batches' households, persons and fen of one
 * programme (item_code "" = all programmes, summed), month then county
 * order. */
struct payment_trend_row {
    char month[8];
    char county_code[STORE_CODE_LEN];
    int64_t households, persons, amount_fen;
};
typedef int (*store_payment_trend_fn)(const struct payment_trend_row *r,
                                      void *ctx);
enum dd_status store_payment_trend_each(struct store_tx *tx,
                                        const char *region_prefix,
                                        const char *from, const char *to,
                                        const char *item_code,
                                        store_payment_trend_fn fn,
                                        void *ctx) DD_WUR;

/* A case item as a household's file or a citizen's own applications show
 * it (migration 8): the item, its application's channel and day, the day
 * of its decision ("" before one: the day of the transition that decided
 * it, into 告知 or straight to 办结), its entitlement (ent.id 0 when
 * none) and the engine's explanation recorded with the decision (JSON
 * text, "" when none; valid only during the callback). */
struct case_history_row {
    struct case_item_row c;
    char channel[12];
    char applied_on[STORE_DAY_LEN];
    char decided_on[STORE_DAY_LEN];
    struct entitlement_row ent;
    const char *explanation;
};
typedef int (*store_case_history_fn)(const struct case_history_row *h,
                                     void *ctx);
/* One statement each, at most max rows, newest application first and
 * items in id order within one; fn returns non-zero to stop. By
 * household: its items. By citizen: the items of the applications the
 * citizen with this phone blind index filed. By application: its items. */
enum dd_status store_case_history_household(struct store_tx *tx,
                                            int64_t household_id, size_t max,
                                            store_case_history_fn fn,
                                            void *ctx) DD_WUR;
enum dd_status store_case_history_citizen(struct store_tx *tx,
                                          const char *citizen_hash,
                                          size_t max,
                                          store_case_history_fn fn,
                                          void *ctx) DD_WUR;
enum dd_status store_case_history_application(struct store_tx *tx,
                                              int64_t application_id,
                                              size_t max,
                                              store_case_history_fn fn,
                                              void *ctx) DD_WUR;

/* ---- the caseload (migration 16, store_entitlements.c) ---- */

/* One decision in an entitlement's life (entitlement_change): months are
 * YYYY-MM, days YYYY-MM-DD; case_item_id and review_id 0 = none. */
struct entitlement_change_row {
    int64_t id;
    int64_t entitlement_id;
    char county_code[7];
    int64_t seq; /* 1, 2, ... per entitlement */
    char event[12];          /* ent_event_name */
    char effect_month[8];    /* the first month it applies to */
    int64_t amount_fen;      /* increase, decrease: the new amount */
    int64_t months;          /* phaseout: the 渐退 months */
    char reason_code[16];    /* stop: ent_stop_reason_name */
    char reason_text[512];
    char decided_by[64];
    char decided_on[STORE_DAY_LEN];
    int64_t case_item_id;
    int64_t review_id;
    int64_t created_at;
};

/* What the caseload list filters on: the region prefix (its index
 * range; "" = all), the state and item ("" = any), the amount now
 * decided from min_fen to max_fen, the open review due on or before
 * review_due_before (YYYY-MM-DD; NULL = any, with or without one),
 * after the cursor id. */
struct entitlement_filter {
    const char *region_prefix;
    const char *state;
    const char *item_code;
    int64_t min_fen, max_fen;
    const char *review_due_before;
    int64_t after_id;
};

/* A row of the caseload's page: the entitlement, its open review's due
 * day ("" = none open), the household head (the applicant, else the
 * first member; 0 = no member) with the name, and the payee's name
 * ("" = none). The names are personal data in full: the API masks them
 * (cases_mask_name) and never replies with them. */
struct entitlement_list_row {
    struct entitlement_row e;
    char next_review_day[11];
    int64_t head_person_id;
    char head_name[64];
    char payee_name[64];
};

enum dd_status store_entitlement_get(struct store_tx *tx, int64_t id,
                                     struct entitlement_row *out) DD_WUR;
/* Writes e's state, amount_fen, stop_reason and stop publicity at
 * e->version, which becomes the new one: DD_ECONFLICT when the row is at
 * another version, DD_ENOTFOUND when there is none. */
enum dd_status store_entitlement_update(struct store_tx *tx,
                                        struct entitlement_row *e) DD_WUR;
/* A page of the caseload in id order, at most max rows. */
enum dd_status store_entitlement_page(struct store_tx *tx,
                                      const struct entitlement_filter *f,
                                      struct entitlement_list_row *out,
                                      size_t max, size_t *count) DD_WUR;
/* Appends c at c->seq (the next of its entitlement's; one taken
 * meanwhile is DD_ECONFLICT); sets c->id. */
enum dd_status
store_entitlement_change_insert(struct store_tx *tx,
                                struct entitlement_change_row *c) DD_WUR;
/* Every entitlement with an id above after_id, in id order, at most
 * max (a walk of the whole table: `doudi check`). */
enum dd_status store_entitlement_after(struct store_tx *tx, int64_t after_id,
                                       struct entitlement_row *out,
                                       size_t max, size_t *count) DD_WUR;
/* An entitlement's latest change: DD_ENOTFOUND when it has none. */
enum dd_status
store_entitlement_change_last(struct store_tx *tx, int64_t entitlement_id,
                              struct entitlement_change_row *out) DD_WUR;
/* An entitlement's changes in seq order, at most max. */
enum dd_status store_entitlement_change_list(
    struct store_tx *tx, int64_t entitlement_id,
    struct entitlement_change_row *out, size_t max, size_t *count) DD_WUR;

/* ---- payment batches (发放, migration 17, store_payments.c) ---- */

/* A county's batch of one item for one month (docs/payments.md): its
 * kind ("regular", "reissue", "correction") and seq (1.. per county,
 * item, month and kind), its state ("built", "checked", "approved",
 * "exported", "reconciled", "closed"), its totals, who moved it on and
 * when (epoch s; "" and 0 = not yet), the bank file's SM3 and template
 * code ("" until exported). */
struct payment_batch_row {
    int64_t id;
    char county_code[7];
    char item_code[32];
    char month[8]; /* YYYY-MM, the month paid */
    char kind[12];
    int64_t seq;
    char state[12];
    int64_t line_count;
    int64_t total_fen;
    char built_by[64];
    int64_t built_at;
    char checked_by[64];
    int64_t checked_at;
    char approved_by[64];
    int64_t approved_at;
    char exported_by[64];
    int64_t exported_at;
    char file_sm3[65];
    char bank_code[32];
    char closed_by[64];
    int64_t closed_at;
    int64_t version;
};

/* One payment: an entitlement's money for one month (month: the month it
 * is FOR; a back-pay line carries an earlier month than its batch's),
 * gross less the recovery deduction, the people it covers counted at
 * build time, and the bank's answer ("pending", "paid", "failed",
 * "unknown"). The return writes only the exceptions: a line stored
 * 'pending' in a reconciled or closed batch was paid, and is read as
 * "paid". payee_person_id, payee_account_id and reissue_of 0 = NULL. */
struct payment_line_row {
    int64_t id;
    int64_t batch_id;
    char county_code[7];
    char township_code[10];
    char region_code[STORE_CODE_LEN];
    int64_t entitlement_id;
    int64_t household_id;
    int64_t payee_person_id;
    int64_t payee_account_id;
    char month[8];
    int64_t gross_fen, deduction_fen, amount_fen;
    char urban_rural[8];
    int64_t persons, elderly, minors, disabled;
    char status[8];
    char reason_code[32];
    char reason_text[256];
    int64_t reissue_of;
};

/* What the batch list filters on ("" = any), after the cursor id, in id
 * order; county "" = every county (a city user). */
struct payment_batch_filter {
    const char *county_code;
    const char *item_code;
    const char *month;
    const char *state;
    int64_t after_id;
};

/* What a batch's line pages filter on ("" = any), after the cursor id. */
struct payment_line_filter {
    int64_t batch_id;
    const char *status;
    const char *township_code;
    int64_t after_id;
};

/* Inserts b (state, totals and version as given: a new batch is "built",
 * 0, 0, 1); sets b->id. Its (county, item, month, kind, seq) taken is
 * DD_ECONFLICT. */
enum dd_status store_payment_batch_insert(struct store_tx *tx,
                                          struct payment_batch_row *b) DD_WUR;
enum dd_status store_payment_batch_get(struct store_tx *tx, int64_t id,
                                       struct payment_batch_row *out) DD_WUR;
/* The batch of (county, item, month, kind) with the highest seq:
 * DD_ENOTFOUND when there is none. */
enum dd_status store_payment_batch_last(struct store_tx *tx,
                                        const char *county_code,
                                        const char *item_code,
                                        const char *month, const char *kind,
                                        struct payment_batch_row *out) DD_WUR;
/* The batch of (county, item, kind) for the latest month before month:
 * DD_ENOTFOUND when there is none. */
enum dd_status store_payment_batch_before(struct store_tx *tx,
                                          const char *county_code,
                                          const char *item_code,
                                          const char *month, const char *kind,
                                          struct payment_batch_row *out) DD_WUR;
/* Writes every field of b but its key and kind at b->version, which
 * becomes the new one: DD_ECONFLICT at another version (or when the
 * database's guards refuse it: totals that differ from the lines, a
 * fixed batch), DD_ENOTFOUND when there is none. */
enum dd_status store_payment_batch_update(struct store_tx *tx,
                                          struct payment_batch_row *b) DD_WUR;
/* A page of batches in id order, at most max. */
enum dd_status store_payment_batch_page(struct store_tx *tx,
                                        const struct payment_batch_filter *f,
                                        struct payment_batch_row *out,
                                        size_t max, size_t *count) DD_WUR;
/* The count and sum of a batch's lines, as the database has them. */
enum dd_status store_payment_batch_sum(struct store_tx *tx, int64_t batch_id,
                                       int64_t *line_count,
                                       int64_t *total_fen) DD_WUR;

/* Inserts n lines (their batch_id set) in multi-row statements; sets no
 * ids. A second line for an (entitlement, month) not failed is
 * DD_ECONFLICT (payment_line_once), a batch past "built" too. */
enum dd_status store_payment_line_insert_many(struct store_tx *tx,
                                              const struct payment_line_row *l,
                                              size_t n) DD_WUR;
/* Removes a built batch's lines after line id after_id (0: all; a
 * rebuild keeps the lines before the first that changed). */
enum dd_status store_payment_line_clear(struct store_tx *tx, int64_t batch_id,
                                        int64_t after_id) DD_WUR;
enum dd_status store_payment_line_get(struct store_tx *tx, int64_t id,
                                      struct payment_line_row *out) DD_WUR;
/* A page of a batch's lines in id order, at most max. */
enum dd_status store_payment_line_page(struct store_tx *tx,
                                       const struct payment_line_filter *f,
                                       struct payment_line_row *out,
                                       size_t max, size_t *count) DD_WUR;
/* The bank's answer for line id: status, reason code and text (only
 * while its batch is "exported"; the database refuses it otherwise,
 * DD_ECONFLICT). DD_ENOTFOUND when there is no such line. */
enum dd_status store_payment_line_set_status(struct store_tx *tx, int64_t id,
                                             const char *status,
                                             const char *reason_code,
                                             const char *reason_text) DD_WUR;
/* The months, YYYY-MM from `from` up to and not including `to`, for
 * which entitlements lo..hi have a line that has not failed, in
 * (entitlement, month) order, to fn until it returns non-zero. */
typedef int (*store_paid_month_fn)(int64_t entitlement_id, const char *month,
                                   void *ctx);
enum dd_status store_payment_paid_months(struct store_tx *tx, int64_t lo,
                                         int64_t hi, const char *from,
                                         const char *to,
                                         store_paid_month_fn fn,
                                         void *ctx) DD_WUR;

/* ---- the recovery ledger (追缴, migration 17, store_payments.c) ---- */

/* A debt to recover from an entitlement's payments: its cause ("death",
 * "fraud", "income", "other"), state ("open", "settled"); person_id 0 =
 * none. */
struct recovery_row {
    int64_t id;
    char county_code[7];
    int64_t household_id;
    int64_t entitlement_id;
    int64_t person_id;
    char cause[12];
    char state[12];
    char note[512];
    char created_by[64];
    int64_t created_at;
    int64_t version;
};

/* One append-only entry: kind "owed", "repaid", "deducted" (from a
 * payment line, payment_line_id; 0 = none), "waived"; amount > 0. */
struct recovery_entry_row {
    int64_t id;
    int64_t recovery_id;
    int64_t seq; /* 1, 2, ... per recovery */
    char kind[12];
    int64_t amount_fen;
    int64_t payment_line_id;
    char decided_by[64];
    char decided_on[STORE_DAY_LEN];
    char reason_text[512];
    int64_t created_at;
};

/* Inserts r (state "open", version 1 unless given); sets r->id. */
enum dd_status store_recovery_insert(struct store_tx *tx,
                                     struct recovery_row *r) DD_WUR;
enum dd_status store_recovery_get(struct store_tx *tx, int64_t id,
                                  struct recovery_row *out) DD_WUR;
/* Writes r's state and note at r->version, which becomes the new one
 * (DD_ECONFLICT at another version, DD_ENOTFOUND without the row). */
enum dd_status store_recovery_update(struct store_tx *tx,
                                     struct recovery_row *r) DD_WUR;
/* An entitlement's recoveries in id order, at most max. */
enum dd_status store_recovery_of_entitlement(struct store_tx *tx,
                                             int64_t entitlement_id,
                                             struct recovery_row *out,
                                             size_t max,
                                             size_t *count) DD_WUR;
/* Appends e at the next seq of its recovery (taken meanwhile:
 * DD_ECONFLICT); sets e->id and e->seq. */
enum dd_status store_recovery_entry_insert(struct store_tx *tx,
                                           struct recovery_entry_row *e) DD_WUR;
/* A recovery's entries in seq order, at most max. */
enum dd_status store_recovery_entry_list(struct store_tx *tx,
                                         int64_t recovery_id,
                                         struct recovery_entry_row *out,
                                         size_t max, size_t *count) DD_WUR;
/* One recovery's balance: owed - repaid - deducted - waived. */
enum dd_status store_recovery_balance(struct store_tx *tx, int64_t recovery_id,
                                      int64_t *balance_fen) DD_WUR;
/* The balance of an entitlement's open recoveries together. */
enum dd_status
store_recovery_balance_of_entitlement(struct store_tx *tx,
                                      int64_t entitlement_id,
                                      int64_t *balance_fen) DD_WUR;

/* ---- deaths (migration 20, store_recoveries.c) ---- */

/* A member's recorded death: one per person, append-only. */
struct person_death_row {
    int64_t id;
    int64_t person_id;
    int64_t household_id;
    char county_code[7];
    char region_code[STORE_CODE_LEN]; /* the household's, when recorded */
    char id_hash[STORE_HASH_LEN];     /* the person's blind index */
    char died_on[STORE_DAY_LEN];
    char source[12]; /* staff, funeral, police */
    char note[512];
    char recorded_by[64];
    int64_t recorded_at;
    /* recorded in error: withdrawn (0 = it stands), by whom and why */
    int64_t withdrawn_at;
    char withdrawn_by[64];
    char withdrawn_reason[512];
};

/* Records d (sets d->id) and clears the person's active mark: a dead
 * member no longer holds the one-active-household rule. A second death
 * of one person is DD_ECONFLICT (the unique key of the deaths not
 * withdrawn). */
enum dd_status store_person_death_insert(struct store_tx *tx,
                                         struct person_death_row *d) DD_WUR;
/* Withdraws death d recorded in error (by, at epoch s, reason) and gives
 * the person back the active mark while their household is active:
 * DD_ENOTFOUND when d is withdrawn already, DD_ECONFLICT when another
 * record of the number is active. */
enum dd_status store_person_death_withdraw(struct store_tx *tx,
                                           const struct person_death_row *d,
                                           const char *by, int64_t at,
                                           const char *reason) DD_WUR;
/* The death of person_id: DD_ENOTFOUND when none is recorded (or it was
 * withdrawn). */
enum dd_status store_person_death_get(struct store_tx *tx, int64_t person_id,
                                      struct person_death_row *out) DD_WUR;
/* A death recorded of the person whose ID number has blind index id_hash
 * (person_death_by_id_hash), any household: DD_ENOTFOUND when none. */
enum dd_status store_person_death_by_hash(struct store_tx *tx,
                                          const char *id_hash,
                                          struct person_death_row *out) DD_WUR;
/* The deaths recorded in a household, in person id order, at most max. */
enum dd_status store_person_death_of_household(struct store_tx *tx,
                                               int64_t household_id,
                                               struct person_death_row *out,
                                               size_t max,
                                               size_t *count) DD_WUR;
/* The household person_id is a member of: DD_ENOTFOUND when none. */
enum dd_status store_person_household(struct store_tx *tx, int64_t person_id,
                                      int64_t *household_id) DD_WUR;

/* A payment made or under way for a month: its line, the line's month,
 * gross and status, and its batch's state. */
struct paid_line_row {
    int64_t line_id;
    int64_t batch_id;
    char month[8];
    int64_t gross_fen;
    char status[8];
    char batch_state[12];
};
/* The lines of entitlement_id for months from `from` on that have not
 * failed, in month order, at most max (payment_line_once's range). */
enum dd_status store_paid_lines_from(struct store_tx *tx,
                                     int64_t entitlement_id, const char *from,
                                     struct paid_line_row *out, size_t max,
                                     size_t *count) DD_WUR;
/* Deletes line id of a batch still "built" (the database refuses it
 * for any other). */
enum dd_status store_payment_line_delete(struct store_tx *tx,
                                         int64_t id) DD_WUR;

/* The recovery ledger's list: the recoveries of entitlements under
 * region_prefix ("" = all; a county's walks recovery_by_county) in a
 * state ("" = any) with an id above after_id, in id order: at most max
 * ids. */
enum dd_status store_recovery_page(struct store_tx *tx,
                                   const char *region_prefix,
                                   const char *state, int64_t after_id,
                                   int64_t *ids, size_t max,
                                   size_t *count) DD_WUR;

/* ---- a build's scan (store_payments.c) ---- */

/* An entitlement a build considers, with what its line records: the
 * household's urban/rural and its members at the month's end (elderly:
 * 60 or over; minors: under 18; disabled: a disability category). */
struct payment_scan_row {
    struct entitlement_row e;
    char urban_rural[8];
    int64_t persons, elderly, minors, disabled;
    int64_t payee_account_id; /* the payee's active account, 0 = none */
    char check_from[8]; /* the first month to check ("" = its start) */
};

/* Where a scan is: the last entitlement read, by entitlement_scope's
 * order (region, state, item, id); before the first, the county's code
 * and nothing else. */
struct payment_scan_key {
    char region_code[STORE_CODE_LEN];
    char state[12];
    char item_code[32];
    int64_t id;
};

/* What a build scans: the county's entitlements of one item, each
 * state, the household's members counted (those not dead before the
 * month's first day: the dead stay on the file) with the month's end's
 * elderly and minor birth-date bounds (YYYY-MM-DD: born on or before
 * elderly_born_by is 60; born after minor_born_after is under 18). */
struct payment_scan {
    const char *county_code;
    const char *item_code;
    const char *elderly_born_by;
    const char *minor_born_after;
    const char *month; /* the batch's month: paid months up to it */
    int64_t batch_id;  /* the batch built: its own lines are not paid */
    /* the last regular batch before: built at since (epoch s; 0 = none),
     * it covered every month owed before since_month ("" = none); an
     * entitlement made or decided on since then, or with a failed line,
     * is checked from its start, any other from since_month */
    int64_t since;
    const char *since_month;
};

/* The next page after *after, at most max, in entitlement_scope order. */
enum dd_status store_payment_scan_page(struct store_tx *tx,
                                       const struct payment_scan *s,
                                       const struct payment_scan_key *after,
                                       struct payment_scan_row *out,
                                       size_t max, size_t *count) DD_WUR;
/* The changes of a page's entitlements rows[0..n), in the page's order
 * and then seq, to fn until it returns non-zero. */
typedef int (*store_scan_change_fn)(const struct entitlement_change_row *c,
                                    void *ctx);
enum dd_status
store_payment_scan_changes(struct store_tx *tx, const struct payment_scan *s,
                           const struct payment_scan_row *rows, size_t n,
                           store_scan_change_fn fn, void *ctx) DD_WUR;
/* The months from each entitlement's check_from up to s->month already
 * paid (a line not failed, of a batch other than s->batch_id) to a
 * page's entitlements, in the page's order and then month. */
enum dd_status
store_payment_scan_paid(struct store_tx *tx, const struct payment_scan *s,
                        const struct payment_scan_row *rows, size_t n,
                        store_paid_month_fn fn, void *ctx) DD_WUR;
/* What each entitlement of the county and item with an open recovery
 * still owes: the balance less the deductions of the lines of batches
 * not yet approved other than batch_id (not yet in the ledger), in
 * entitlement id order, to fn until it returns non-zero (few: a build
 * reads them all first). */
typedef int (*store_balance_fn)(int64_t entitlement_id, int64_t balance_fen,
                                void *ctx);
enum dd_status store_recovery_balances(struct store_tx *tx,
                                       const char *county_code,
                                       const char *item_code, int64_t batch_id,
                                       store_balance_fn fn, void *ctx) DD_WUR;
/* ---- reviews (migration 19, store_reviews.c) ---- */

/* A review (定期核查/复核) of one entitlement: days YYYY-MM-DD, times
 * epoch seconds (0 = not yet), change_id 0 = none. ground is
 * review_ground_name's; proposal "" until proposed. */
struct review_row {
    int64_t id;
    int64_t entitlement_id;
    int64_t household_id;
    char county_code[7];
    char township_code[10];
    char region_code[STORE_CODE_LEN];
    char item_code[32];
    char ground[16];
    char due_day[STORE_DAY_LEN];
    char state[12]; /* open, proposed, decided, cancelled */
    /* the facts recorded (their JSON: store_review_facts_get) */
    int64_t facts_at;
    int64_t eligible;     /* the engine's verdict on the facts */
    int64_t computed_fen; /* the engine's monthly amount */
    int64_t irregular;    /* irregular income and a member able to work */
    char card_expiry[STORE_DAY_LEN]; /* 两项补贴: the card's, "" = for life */
    char proposal[12]; /* unchanged, increase, decrease, phaseout, stop */
    int64_t proposed_amount_fen;
    int64_t proposed_months;
    char stop_reason[16];
    char reason_text[512];
    char proposed_by[64];
    int64_t proposed_at;
    char decided_by[64];
    int64_t decided_at;
    int64_t change_id;
    int64_t version;
    int64_t created_at;
};

/* The inbox: the region prefix (a range of review_scope; "" = all), the
 * state and item ("" = any), due on or before due_before ("" = any day),
 * after the cursor id. */
struct review_filter {
    const char *region_prefix;
    const char *state;
    const char *item_code;
    const char *due_before;
    int64_t after_id;
};

/* Sets r->id, r->version 1 (and created_at when 0). An entitlement with
 * a review already open or proposed is DD_ECONFLICT. */
enum dd_status store_review_insert(struct store_tx *tx,
                                   struct review_row *r) DD_WUR;
enum dd_status store_review_get(struct store_tx *tx, int64_t id,
                                struct review_row *out) DD_WUR;
/* The entitlement's review open or proposed: DD_ENOTFOUND when none. */
enum dd_status store_review_open_of(struct store_tx *tx,
                                    int64_t entitlement_id,
                                    struct review_row *out) DD_WUR;
/* Writes r's mutable fields at r->version, which becomes the new one:
 * DD_ECONFLICT at another version, DD_ENOTFOUND when none. */
enum dd_status store_review_update(struct store_tx *tx,
                                   struct review_row *r) DD_WUR;
/* The facts recorded and the engine's explanation (JSON) of review id:
 * set writes both, get copies at most cap - 1 bytes of each ("" when
 * none). */
enum dd_status store_review_facts_set(struct store_tx *tx, int64_t id,
                                      const char *facts_json,
                                      const char *explanation_json) DD_WUR;
enum dd_status store_review_facts_get(struct store_tx *tx, int64_t id,
                                      char *facts, size_t facts_cap,
                                      char *explanation,
                                      size_t explanation_cap) DD_WUR;
/* A page of the inbox in id order, at most max rows. */
enum dd_status store_review_page(struct store_tx *tx,
                                 const struct review_filter *f,
                                 struct review_row *out, size_t max,
                                 size_t *count) DD_WUR;
/* The ids of the entitlements of county (a region prefix) not stopped
 * with no review open or proposed, above after_id, in id order, at most
 * max: those a schedule run gives their next review. */
enum dd_status store_review_unscheduled(struct store_tx *tx,
                                        const char *county, int64_t after_id,
                                        int64_t *out, size_t max,
                                        size_t *count) DD_WUR;

#endif
