/* SPDX-License-Identifier: MIT */
/* Account rules shared by the API and the CLI: what makes a username,
 * role, department and scope valid together, and creating or changing an
 * account with its password checked against the policy. */
#ifndef DD_ACCOUNTS_H
#define DD_ACCOUNTS_H

#include "core/status.h"
#include "store/store.h"

/* Checks u->username, role, department and scope (every scope entry must
 * suit the role and name an existing region or zone). */
enum dd_status accounts_validate(struct store_tx *tx, const struct user *u,
                                 struct dd_error *err) DD_WUR;
/* Checks a scope string for a role: comma-separated entries, each suiting
 * the role and naming an existing region or zone; auditors, the city
 * supervisor, the sysadmin and partner tokens have exactly one entry. */
enum dd_status accounts_scope_check(struct store_tx *tx, const char *role,
                                    const char *scope,
                                    struct dd_error *err) DD_WUR;
/* Validates u and password, hashes the password and inserts u (u->id is
 * set). A taken username is DD_ECONFLICT with err filled. */
enum dd_status accounts_create(struct store_tx *tx, struct user *u,
                               const char *password,
                               struct dd_error *err) DD_WUR;
/* Checks the policy and sets u->pw_hash (does not write). Refuses every
 * password while the common-password list is not loaded. */
enum dd_status accounts_set_password(struct user *u, const char *password,
                                     struct dd_error *err) DD_WUR;

/* Sign-in lockout (SECURITY.md). Wrong passwords lock the client address
 * that sent them, not the account, so nobody locks a user out by
 * guessing the name; failures from many addresses within a window (a
 * guessing attack spread to dodge that) lock the account and alert. */
struct lockout_rules {
    int failures;          /* in a row from one address: that address locks */
    int lock_s;            /* how long a lock lasts */
    int spread_addresses;  /* addresses failing within the window ... */
    int spread_window_s;   /* ... that lock the account and alert */
};
struct signin_failure {
    int address_locked; /* this failure locked the address */
    int spread;         /* ... and the account: alert the administrator */
    int64_t addresses;  /* addresses failing within the window */
};
/* *locked: the account is disabled or locked, or client is locked out
 * of it, at now. */
enum dd_status accounts_signin_locked(struct store_tx *tx,
                                      const struct user *u,
                                      const char *client, int64_t now,
                                      int *locked) DD_WUR;
/* Counts a wrong password for u from client at now in a write
 * transaction: u is re-read and written back. */
enum dd_status accounts_signin_failed(struct store_tx *tx, struct user *u,
                                      const char *client, int64_t now,
                                      const struct lockout_rules *r,
                                      struct signin_failure *out) DD_WUR;
/* A successful sign-in of u from client: its failures are forgotten. */
enum dd_status accounts_signin_ok(struct store_tx *tx, struct user *u,
                                  const char *client) DD_WUR;
/* An administrator's unlock: u enabled, its lock and every address's
 * lifted (u is written by the caller). */
enum dd_status accounts_unlock(struct store_tx *tx, struct user *u) DD_WUR;

#endif
