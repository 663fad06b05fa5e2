/* SPDX-License-Identifier: MIT */
/* Accounts: staff users and their sessions, partner API tokens, and
 * citizens signing in by phone (one-time codes and citizen sessions,
 * migration 6), and OpenID Connect sign-ins under way (migration 12).
 * Secrets arrive here as hashes, phones and PKCE verifiers sealed. */
#include "store/store.h"

#include <string.h>

#include "core/timeutil.h"
#include "store/store_internal.h"

/* The columns each row mapper reads, in order, each followed by its
 * mapper: the fields they fill (ROW_MAPPER). */
#define USER_COLS                                                              \
    "id, username, display_name, pw_hash, role, department, scope, "           \
    "failed_logins, locked_until, disabled, created_at, spread_alert_at"
ROW_MAPPER(row_to_user, struct user, COL(id), COL(username), COL(display_name),
           COL(pw_hash), COL(role), COL(department), COL(scope),
           COL(failed_logins), COL(locked_until), COL(disabled),
           COL(created_at), COL(spread_alert_at))

#define LOGIN_FAILURE_COLS "failures, locked_until"
ROW_MAPPER(row_to_login_failure, struct login_failure, COL(failures),
           COL(locked_until))

#define SESSION_COLS "token_hash, user_id, csrf_token, created_at, last_seen_at"
ROW_MAPPER(row_to_session, struct session, COL(token_hash), COL(user_id),
           COL(csrf_token), COL(created_at), COL(last_seen_at))

#define TOKEN_COLS                                                             \
    "id, name, token_hash, role, department, scope, created_at, revoked"
ROW_MAPPER(row_to_token, struct api_token, COL(id), COL(name), COL(token_hash),
           COL(role), COL(department), COL(scope), COL(created_at),
           COL(revoked))

#define CITIZEN_OTP_COLS                                                       \
    "phone_hash, phone_enc, code_hash, created_at, expires_at, attempts"
ROW_MAPPER(row_to_citizen_otp, struct citizen_otp_row, COL(phone_hash),
           COL(phone_enc), COL(code_hash), COL(created_at), COL(expires_at),
           COL(attempts))

#define CITIZEN_SESSION_COLS                                                   \
    "token_hash, phone_hash, phone_enc, phone_masked, csrf_token,"             \
    " created_at, expires_at, id_hash, id_masked"
ROW_MAPPER(row_to_citizen_session, struct citizen_session_row, COL(token_hash),
           COL(phone_hash), COL(phone_enc), COL(phone_masked), COL(csrf_token),
           COL(created_at), COL(expires_at), COL(id_hash),
           COL(id_masked))

#define OIDC_PENDING_COLS                                                      \
    "state_hash, nonce_hash, verifier_enc, created_at, expires_at"
ROW_MAPPER(row_to_oidc_pending, struct oidc_pending_row, COL(state_hash),
           COL(nonce_hash), COL(verifier_enc), COL(created_at),
           COL(expires_at))


static const struct stmt_text stmts[] = {
    /* a new user; returns the id */
    {STMT_USER_INSERT,
     .sql = "INSERT INTO app_user(username, display_name, pw_hash, role,"
            " department, scope, failed_logins, locked_until, disabled,"
            " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
            " RETURNING id"},
    /* one user by id */
    {STMT_USER_GET, .sql = "SELECT " USER_COLS " FROM app_user WHERE id = ?1"},
    /* one user by username */
    {STMT_USER_GET_BY_NAME,
     .sql = "SELECT " USER_COLS " FROM app_user WHERE username = ?1"},
    /* rewrites every mutable field of a user */
    {STMT_USER_UPDATE,
     .sql = "UPDATE app_user SET display_name = ?2, pw_hash = ?3,"
            " role = ?4, department = ?5, scope = ?6,"
            " failed_logins = ?7, locked_until = ?8, disabled = ?9,"
            " spread_alert_at = ?10 WHERE id = ?1 RETURNING id"},
    /* a page of users after a cursor id */
    {STMT_USER_LIST,
     .sql = "SELECT " USER_COLS " FROM app_user WHERE id > ?1"
            " ORDER BY id LIMIT ?2"},
    /* counts a failed sign-in from an address */
    {STMT_LOGIN_FAILURE_ADD,
     .sql = "INSERT INTO login_failure(user_id, client, failures,"
            " locked_until, last_at) VALUES (?1, ?2, 1, 0, ?3)"
            " ON CONFLICT(user_id, client) DO UPDATE"
            " SET failures = login_failure.failures + 1,"
            " last_at = excluded.last_at RETURNING " LOGIN_FAILURE_COLS},
    /* locks an address out of a user */
    {STMT_LOGIN_FAILURE_LOCK,
     .sql = "UPDATE login_failure SET failures = 0, locked_until = ?3"
            " WHERE user_id = ?1 AND client = ?2"},
    /* the failures of a user from an address */
    {STMT_LOGIN_FAILURE_GET,
     .sql = "SELECT " LOGIN_FAILURE_COLS " FROM login_failure"
            " WHERE user_id = ?1 AND client = ?2"},
    /* the addresses failing on a user since a time */
    {STMT_LOGIN_FAILURE_ADDRESSES,
     .sql = "SELECT count(*) FROM login_failure"
            " WHERE user_id = ?1 AND last_at >= ?2"},
    /* forgets an address's failures, or all of a user's */
    {STMT_LOGIN_FAILURE_CLEAR,
     .sql = "DELETE FROM login_failure"
            " WHERE user_id = ?1 AND (?2 IS NULL OR client = ?2)"},
    /* a new session */
    {STMT_SESSION_INSERT,
     .sql = "INSERT INTO session(" SESSION_COLS ")"
            " VALUES (?1, ?2, ?3, ?4, ?5)"},
    /* one session by token hash */
    {STMT_SESSION_GET,
     .sql = "SELECT " SESSION_COLS " FROM session WHERE token_hash = ?1"},
    /* a session with its user (SESSION_COLS, then USER_COLS), for
     * authenticating a request */
    {STMT_SESSION_AUTH,
     .sql = "SELECT s.token_hash, s.user_id, s.csrf_token, s.created_at,"
            " s.last_seen_at, u.id, u.username, u.display_name,"
            " u.pw_hash, u.role, u.department, u.scope, u.failed_logins,"
            " u.locked_until, u.disabled, u.created_at, u.spread_alert_at"
            " FROM session s JOIN app_user u ON u.id = s.user_id"
            " WHERE s.token_hash = ?1"},
    /* records activity on a session */
    {STMT_SESSION_TOUCH,
     .sql = "UPDATE session SET last_seen_at = ?2 WHERE token_hash = ?1"
            " RETURNING user_id"},
    /* ends one session */
    {STMT_SESSION_DELETE,
     .sql = "DELETE FROM session WHERE token_hash = ?1 RETURNING user_id"},
    /* ends every session of a user */
    {STMT_SESSION_DELETE_USER,
     .sql = "DELETE FROM session WHERE user_id = ?1"},
    /* a new API token; returns the id */
    {STMT_API_TOKEN_INSERT,
     .sql = "INSERT INTO api_token(name, token_hash, role, department,"
            " scope, created_at, revoked) VALUES (?1, ?2, ?3, ?4, ?5,"
            " ?6, ?7) RETURNING id"},
    /* one API token by token hash */
    {STMT_API_TOKEN_GET,
     .sql = "SELECT " TOKEN_COLS " FROM api_token WHERE token_hash = ?1"},
    /* a new one-time code for a phone, replacing the earlier one */
    {STMT_CITIZEN_OTP_PUT,
     .sql = "INSERT INTO citizen_otp(phone_hash, phone_enc, code_hash,"
            " created_at, expires_at, attempts)"
            " VALUES (?1, ?2, ?3, ?4, ?5, 0) ON CONFLICT(phone_hash)"
            " DO UPDATE SET phone_enc = excluded.phone_enc,"
            " code_hash = excluded.code_hash,"
            " created_at = excluded.created_at,"
            " expires_at = excluded.expires_at, attempts = 0"},
    /* counts one attempt and returns the row after it */
    {STMT_CITIZEN_OTP_ATTEMPT,
     .sql = "UPDATE citizen_otp SET attempts = attempts + 1"
            " WHERE phone_hash = ?1 RETURNING " CITIZEN_OTP_COLS},
    /* a used code */
    {STMT_CITIZEN_OTP_DELETE,
     .sql = "DELETE FROM citizen_otp WHERE phone_hash = ?1"},
    /* codes long expired */
    {STMT_CITIZEN_OTP_PURGE,
     .sql = "DELETE FROM citizen_otp WHERE expires_at < ?1"},
    /* a new citizen session */
    {STMT_CITIZEN_SESSION_INSERT,
     .sql = "INSERT INTO citizen_session(" CITIZEN_SESSION_COLS ")"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"},
    /* one citizen session by token hash */
    {STMT_CITIZEN_SESSION_GET,
     .sql = "SELECT " CITIZEN_SESSION_COLS " FROM citizen_session"
            " WHERE token_hash = ?1"},
    /* sign-out */
    {STMT_CITIZEN_SESSION_DELETE,
     .sql = "DELETE FROM citizen_session WHERE token_hash = ?1"
            " RETURNING created_at"},
    /* sessions past their lifetime */
    {STMT_CITIZEN_SESSION_PURGE,
     .sql = "DELETE FROM citizen_session WHERE expires_at < ?1"},
    /* an OpenID Connect sign-in under way */
    {STMT_OIDC_PENDING_PUT,
     .sql = "INSERT INTO oidc_pending(" OIDC_PENDING_COLS ")"
            " VALUES (?1, ?2, ?3, ?4, ?5)"},
    /* the sign-in of a state, used up as it is read */
    {STMT_OIDC_PENDING_TAKE,
     .sql = "DELETE FROM oidc_pending WHERE state_hash = ?1"
            " RETURNING " OIDC_PENDING_COLS},
    /* sign-ins never finished */
    {STMT_OIDC_PENDING_PURGE,
     .sql = "DELETE FROM oidc_pending WHERE expires_at < ?1"},
};

const struct stmt_family store_stmts_accounts =
    STMT_FAMILY("accounts", stmts);

/* ---- users ---- */

enum dd_status
store_user_insert(struct store_tx *tx, struct user *u)
{
    enum dd_status rc = store_need_write(tx);
    if (rc != DD_OK)
        return rc;
    if (u->created_at == 0)
        u->created_at = time_now();
    struct store_param p[] = {
        P_TEXT(u->username),        P_TEXT(u->display_name),
        P_TEXT(u->pw_hash),         P_TEXT(u->role),
        P_TEXT(u->department),      P_TEXT(u->scope),
        P_INT(u->failed_logins),    P_INT(u->locked_until),
        P_INT(u->disabled ? 1 : 0), P_INT(u->created_at)};
    return store_insert_id(tx, STMT_USER_INSERT, p, NPARAMS(p), &u->id);
}

enum dd_status
store_user_get(struct store_tx *tx, int64_t id, struct user *out)
{
    return store_get_by(tx, STMT_USER_GET, KEY_INT(id), row_to_user, out);
}

enum dd_status
store_user_get_by_name(struct store_tx *tx, const char *username,
                       struct user *out)
{
    return store_get_by(tx, STMT_USER_GET_BY_NAME, KEY_TEXT(username),
                        row_to_user, out);
}

enum dd_status
store_user_update(struct store_tx *tx, const struct user *u)
{
    struct store_param p[] = {
        P_INT(u->id),           P_TEXT(u->display_name),
        P_TEXT(u->pw_hash),     P_TEXT(u->role),
        P_TEXT(u->department),  P_TEXT(u->scope),
        P_INT(u->failed_logins), P_INT(u->locked_until),
        P_INT(u->disabled ? 1 : 0), P_INT(u->spread_alert_at)};
    return store_write_one(tx, STMT_USER_UPDATE, p, NPARAMS(p));
}

enum dd_status
store_user_list(struct store_tx *tx, int64_t after_id, struct user *out,
                size_t max, size_t *count)
{
    return store_list_by(tx, STMT_USER_LIST, KEY_INT(after_id), row_to_user,
                         out, sizeof(*out), max, count);
}

/* ---- sessions ---- */

enum dd_status
store_session_insert(struct store_tx *tx, const struct session *s)
{
    struct store_param p[] = {P_TEXT(s->token_hash), P_INT(s->user_id),
                              P_TEXT(s->csrf_token), P_INT(s->created_at),
                              P_INT(s->last_seen_at)};
    return store_write(tx, STMT_SESSION_INSERT, p, NPARAMS(p));
}

enum dd_status
store_session_get(struct store_tx *tx, const char *token_hash,
                  struct session *out)
{
    return store_get_by(tx, STMT_SESSION_GET, KEY_TEXT(token_hash),
                        row_to_session, out);
}

struct session_user {
    struct session *s;
    struct user *u;
};

static void
row_to_session_user(struct col_cursor *c, void *out)
{
    struct session_user *x = out;
    row_to_session(c, x->s);
    row_to_user(c, x->u);
}

enum dd_status
store_session_auth(struct store_tx *tx, const char *token_hash,
                   struct session *s, struct user *u)
{
    struct store_param p[] = {P_TEXT(token_hash)};
    struct session_user su = {s, u};
    return store_get_one(tx, STMT_SESSION_AUTH, p, NPARAMS(p),
                         row_to_session_user, &su);
}

enum dd_status
store_session_touch(struct store_tx *tx, const char *token_hash,
                    int64_t last_seen_at)
{
    struct store_param p[] = {P_TEXT(token_hash), P_INT(last_seen_at)};
    return store_write_one(tx, STMT_SESSION_TOUCH, p, NPARAMS(p));
}

enum dd_status
store_session_delete(struct store_tx *tx, const char *token_hash)
{
    return store_write_one_by(tx, STMT_SESSION_DELETE, KEY_TEXT(token_hash));
}

enum dd_status
store_session_delete_user(struct store_tx *tx, int64_t user_id)
{
    return store_write_by(tx, STMT_SESSION_DELETE_USER, KEY_INT(user_id));
}

/* ---- sign-in failures per address ---- */

enum dd_status
store_login_failure_add(struct store_tx *tx, int64_t user_id,
                        const char *client, int64_t now,
                        struct login_failure *out)
{
    enum dd_status rc = store_need_write(tx);
    if (rc != DD_OK)
        return rc;
    struct store_param p[] = {P_INT(user_id), P_TEXT(client), P_INT(now)};
    return store_get_one(tx, STMT_LOGIN_FAILURE_ADD, p, NPARAMS(p),
                         row_to_login_failure, out);
}

enum dd_status
store_login_failure_lock(struct store_tx *tx, int64_t user_id,
                         const char *client, int64_t until)
{
    struct store_param p[] = {P_INT(user_id), P_TEXT(client), P_INT(until)};
    return store_write(tx, STMT_LOGIN_FAILURE_LOCK, p, NPARAMS(p));
}

enum dd_status
store_login_failure_get(struct store_tx *tx, int64_t user_id,
                        const char *client, struct login_failure *out)
{
    struct store_param p[] = {P_INT(user_id), P_TEXT(client)};
    return store_get_one(tx, STMT_LOGIN_FAILURE_GET, p, NPARAMS(p),
                         row_to_login_failure, out);
}

enum dd_status
store_login_failure_addresses(struct store_tx *tx, int64_t user_id,
                              int64_t since, int64_t *count)
{
    struct store_param p[] = {P_INT(user_id), P_INT(since)};
    return store_run_int(tx, STMT_LOGIN_FAILURE_ADDRESSES, p, NPARAMS(p),
                         count);
}

enum dd_status
store_login_failure_clear(struct store_tx *tx, int64_t user_id,
                          const char *client)
{
    struct store_param p[] = {P_INT(user_id), P_TEXT(client)};
    return store_write(tx, STMT_LOGIN_FAILURE_CLEAR, p, NPARAMS(p));
}

/* ---- partner API tokens ---- */

enum dd_status
store_api_token_insert(struct store_tx *tx, struct api_token *t)
{
    enum dd_status rc = store_need_write(tx);
    if (rc != DD_OK)
        return rc;
    if (t->created_at == 0)
        t->created_at = time_now();
    struct store_param p[] = {P_TEXT(t->name),          P_TEXT(t->token_hash),
                              P_TEXT(t->role),          P_TEXT(t->department),
                              P_TEXT(t->scope),         P_INT(t->created_at),
                              P_INT(t->revoked ? 1 : 0)};
    return store_insert_id(tx, STMT_API_TOKEN_INSERT, p, NPARAMS(p), &t->id);
}

enum dd_status
store_api_token_get(struct store_tx *tx, const char *token_hash,
                    struct api_token *out)
{
    return store_get_by(tx, STMT_API_TOKEN_GET, KEY_TEXT(token_hash),
                        row_to_token, out);
}

/* ---- citizens signing in by phone ---- */

enum dd_status
store_citizen_otp_put(struct store_tx *tx, const struct citizen_otp_row *r)
{
    struct store_param p[] = {P_TEXT(r->phone_hash), P_TEXT(r->phone_enc),
                              P_TEXT(r->code_hash), P_INT(r->created_at),
                              P_INT(r->expires_at)};
    return store_write(tx, STMT_CITIZEN_OTP_PUT, p, NPARAMS(p));
}

enum dd_status
store_citizen_otp_attempt(struct store_tx *tx, const char *phone_hash,
                          struct citizen_otp_row *out)
{
    enum dd_status rc = store_need_write(tx);
    if (rc != DD_OK)
        return rc;
    return store_get_by(tx, STMT_CITIZEN_OTP_ATTEMPT, KEY_TEXT(phone_hash),
                        row_to_citizen_otp, out);
}

enum dd_status
store_citizen_otp_delete(struct store_tx *tx, const char *phone_hash)
{
    return store_write_by(tx, STMT_CITIZEN_OTP_DELETE, KEY_TEXT(phone_hash));
}

enum dd_status
store_citizen_otp_purge(struct store_tx *tx, int64_t before)
{
    return store_write_by(tx, STMT_CITIZEN_OTP_PURGE, KEY_INT(before));
}

enum dd_status
store_citizen_session_insert(struct store_tx *tx,
                             const struct citizen_session_row *r)
{
    struct store_param p[] = {
        P_TEXT(r->token_hash),   P_TEXT(r->phone_hash), P_TEXT(r->phone_enc),
        P_TEXT(r->phone_masked), P_TEXT(r->csrf_token), P_INT(r->created_at),
        P_INT(r->expires_at),    P_TEXT(r->id_hash),    P_TEXT(r->id_masked)};
    return store_write(tx, STMT_CITIZEN_SESSION_INSERT, p, NPARAMS(p));
}

enum dd_status
store_citizen_session_get(struct store_tx *tx, const char *token_hash,
                          struct citizen_session_row *out)
{
    return store_get_by(tx, STMT_CITIZEN_SESSION_GET, KEY_TEXT(token_hash),
                        row_to_citizen_session, out);
}

enum dd_status
store_citizen_session_delete(struct store_tx *tx, const char *token_hash)
{
    return store_write_one_by(tx, STMT_CITIZEN_SESSION_DELETE,
                              KEY_TEXT(token_hash));
}

enum dd_status
store_citizen_session_purge(struct store_tx *tx, int64_t before)
{
    return store_write_by(tx, STMT_CITIZEN_SESSION_PURGE, KEY_INT(before));
}

/* ---- OpenID Connect sign-ins under way ---- */

enum dd_status
store_oidc_pending_put(struct store_tx *tx, const struct oidc_pending_row *r)
{
    struct store_param p[] = {P_TEXT(r->state_hash), P_TEXT(r->nonce_hash),
                              P_TEXT(r->verifier_enc), P_INT(r->created_at),
                              P_INT(r->expires_at)};
    return store_write(tx, STMT_OIDC_PENDING_PUT, p, NPARAMS(p));
}

enum dd_status
store_oidc_pending_take(struct store_tx *tx, const char *state_hash,
                        struct oidc_pending_row *out)
{
    enum dd_status rc = store_need_write(tx);
    if (rc != DD_OK)
        return rc;
    return store_get_by(tx, STMT_OIDC_PENDING_TAKE, KEY_TEXT(state_hash),
                        row_to_oidc_pending, out);
}

enum dd_status
store_oidc_pending_purge(struct store_tx *tx, int64_t before)
{
    return store_write_by(tx, STMT_OIDC_PENDING_PURGE, KEY_INT(before));
}
