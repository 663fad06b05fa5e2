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
/* Checks the policy and sets u->pw_hash (does not write). */
enum dd_status accounts_set_password(struct user *u, const char *password,
                                     struct dd_error *err) DD_WUR;

#endif
