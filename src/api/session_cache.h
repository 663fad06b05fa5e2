/* SPDX-License-Identifier: MIT */
/* Signed-in sessions remembered for a few seconds, so that a request's
 * session check costs no statement: on PostgreSQL only, where every
 * server hears at once of a session changed or ended or a user changed,
 * whoever wrote it (migration 30's announcements, store_listen), and
 * forgets it.
 * While the listener is not listening nothing is remembered. */
#ifndef DD_API_SESSION_CACHE_H
#define DD_API_SESSION_CACHE_H

#include <stdint.h>

#include "core/status.h"
#include "store/store.h"

/* How long a session read from the store is used without reading it
 * again: an expiry or a lock the clock brings is seen within this. */
#define SESSION_CACHE_US 5000000

struct session_cache;

/* A cache listening on st; DD_ENOTFOUND where the backend cannot
 * announce (SQLite: then nothing is cached). */
enum dd_status session_cache_new(struct store *st,
                                 struct session_cache **out) DD_WUR;
void session_cache_free(struct session_cache *c);

/* The session of token_hash and its user as read within
 * SESSION_CACHE_US (the user without its password hash); 0 when not
 * remembered. */
int session_cache_get(struct session_cache *c, const char *token_hash,
                      struct session *s, struct user *u);
/* A mark taken before the store is read, for session_cache_put: what
 * was read is remembered only if nothing was forgotten meanwhile. */
uint64_t session_cache_mark(struct session_cache *c);
void session_cache_put(struct session_cache *c, uint64_t mark,
                       const struct session *s, const struct user *u);
/* Forgets a session (a sign-out), or every session of a user. */
void session_cache_forget(struct session_cache *c, const char *token_hash);
void session_cache_forget_user(struct session_cache *c, int64_t user_id);

#endif
