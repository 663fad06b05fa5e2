/* SPDX-License-Identifier: MIT */
/* The API test harness: starts `doudi demo` as a child process on a free
 * loopback port against a fresh database, talks to it with libcurl, and
 * stops it with SIGTERM. Responses are parsed with jansson; sessions carry
 * their cookie and CSRF token by hand (no cookie engine), so each test says
 * exactly what it sends. */
#ifndef DD_TEST_HARNESS_H
#define DD_TEST_HARNESS_H

#include "../test_case.h"

#include <jansson.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "store/store.h"

/* The password of every demo user: 16 characters, four classes. */
#define TEST_PASSWORD "Doudi-Test-2024!"

struct server {
    pid_t pid;
    int port;
    char base[64];      /* http://127.0.0.1:PORT */
    char db_url[1024];
    char log_path[PATH_MAX + 256];
    char key_path[1024];
};

struct header {
    char *name;
    char *value;
};

struct response {
    long status;
    char *body;
    size_t body_len;
    struct header *headers;
    size_t nheaders;
    json_t *json;   /* the parsed body when it is JSON, else NULL */
    char what[320]; /* "METHOD PATH", for failure messages */
};

struct client {
    char user[64];      /* username, or "" */
    char token[128];    /* the doudi_session cookie value */
    char csrf[128];     /* the X-CSRF-Token value */
    char bearer[128];   /* a partner API token instead of a cookie */
    int64_t user_id;
    char role[32];
};

/* One request. Unset fields take the usual defaults. */
struct request {
    const char *method;
    const char *path;        /* with its query string */
    const char *body;        /* NULL: no body */
    size_t body_len;         /* 0: strlen(body) */
    const struct client *sess;
    const char *content_type; /* NULL: application/json when there is a
                                 body; "" sends no Content-Type at all */
    int no_csrf;              /* do not send the session's CSRF token */
    const char *csrf;         /* send this X-CSRF-Token instead */
    const char *const *headers; /* more header lines ("If-Match: \"3\""),
                                   NULL-terminated; NULL: none */
    const char *source;         /* the client's address, another loopback
                                   one ("127.0.0.7": Linux routes all of
                                   127/8 to lo); NULL: the default */
};

/* Reads argv[1] (the doudi binary) and the environment; 0 or -1. */
int harness_init(int argc, char **argv);
void harness_cleanup(void);

struct CMUnitTest;
/* An API suite's main(): harness_init(argc, argv); the cmocka group name
 * of count tests with setup, whose teardown is suite_stop(s, st) (the
 * server and store that setup started); harness_cleanup(). The exit
 * status: 2 when the harness cannot start, 1 when a test failed. */
int harness_main(int argc, char **argv, const char *name,
                 const struct CMUnitTest *tests, size_t count,
                 int (*setup)(void **), struct server *s, struct store **st);
/* Defines main() as harness_main() of the tests that follow
 * (cmocka_unit_test(...), ...), in that order. */
#define API_SUITE(name, setup, s, st, ...)                                     \
    int main(int argc, char **argv)                                            \
    {                                                                          \
        static const struct CMUnitTest tests_[] = {__VA_ARGS__};               \
        return harness_main(argc, argv, name, tests_,                          \
                            sizeof(tests_) / sizeof(tests_[0]), setup, s,      \
                            st);                                               \
    }
/* The name of the suite harness_main() runs ("" before). */
const char *harness_suite(void);
/* A function the suite's teardown calls before it stops the server
 * (one; the last one given). */
void harness_on_stop(void (*fn)(void));
const char *harness_doudi(void);
/* The database URL for the main server: DOUDI_TEST_DB, or a database of
 * its own in the cluster named by DOUDI_TEST_PG_DIR/url, or a temp file. */
const char *harness_db_url(void);
/* A path in the harness's temp directory. */
void harness_tmp_path(char *out, size_t cap, const char *name);

/* A suite's server on harness_db_url(), with extra_env (may be NULL),
 * logging to PREFIX-sqlite.log or PREFIX-postgresql.log in the build
 * tree, and its store opened directly into *st. 0, or -1 having said why
 * on stderr. */
int suite_start(struct server *s, const char *prefix,
                const char *const *extra_env, struct store **st);
/* Closes *st (NULL after) and stops s: 0 when it shut down gracefully and
 * its log holds no error, sanitizer report or runtime error (each is
 * printed); else -1, also when the server never started. */
int suite_stop(struct server *s, struct store **st);

/* Starts `doudi demo` on db_url (wiped) with the harness settings plus
 * extra_env ("NAME=value", NULL-terminated; may be NULL), logging to
 * log_name in the test binary's directory (the build tree). 0 once
 * /healthz answers 200. */
int server_start(struct server *s, const char *db_url, const char *log_name,
                 const char *const *extra_env);
/* SIGTERM and wait: the exit status (0 = graceful), or -1 if it was killed
 * or did not stop within 60 s. */
int server_stop(struct server *s);
/* The last lines of the server's log on stderr. */
void server_log_tail(const struct server *s, int lines);

/* Sends rq; out is reset first (so it may be reused; zero it once). */
void http_do(const struct server *s, const struct request *rq,
             struct response *out);
/* Shorthand: method, path and optional body with the session. */
void api_call(const struct server *s, const struct client *sess,
              const char *method, const char *path, const char *body,
              struct response *out);
void response_free(struct response *r);
/* The first header of that name (case-insensitive), or NULL. */
const char *resp_header(const struct response *r, const char *name);
/* The value at a dotted path of the JSON body, where a number indexes an
 * array ("explanation.programs.0.decision"), or NULL. */
json_t *resp_get(const struct response *r, const char *path);
/* The string at such a path ("error.code"), or NULL. */
const char *resp_str(const struct response *r, const char *path);

/* Small helpers every API suite uses. */
/* printf into one of 8 rotating 8 KiB buffers (valid for 8 more calls). */
const char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
/* A valid ID number: county (6 digits), birth (YYYYMMDD), sequence
 * (mod 1000), and its check character (in a fmt buffer). */
const char *idnum_in(const char *county, const char *birth, int seq);
/* Copies idnum_in(county, birth, seq) into the out (19 bytes) of each
 * triple (char *out, const char *birth, int seq) that follows, a NULL out
 * after the last. */
void idnums_in(const char *county, ...);
/* o's member key as a string (NULL if absent or not one) and as an
 * integer (0 if absent). */
const char *jstr(json_t *o, const char *key);
long long jint(json_t *o, const char *key);
/* The i-th element of the array at path in r's body (asserts an array). */
json_t *item_at(const struct response *r, const char *path, size_t i);

/* POST /api/v1/session; fills sess on 201. Returns the HTTP status. */
long login(const struct server *s, const char *user, const char *password,
           struct client *sess);
/* login() that must succeed. */
void login_ok(const struct server *s, const char *user, const char *password,
              struct client *sess);
/* login_ok() with TEST_PASSWORD for each pair of a username and the
 * session to fill (const char *, struct client *), NULL after the last. */
void logins_ok(const struct server *s, ...);
/* A staff user created by admin (department "" for none) and signed in
 * as sess. */
void staff_user(const struct server *s, const struct client *admin,
                const char *name, const char *role, const char *dept,
                const char *scope, struct client *sess);

/* The last one-time code s logged for a masked phone ("138****0001"),
 * into code (7 bytes); 0, or -1 when there is none. */
int otp_from_log(const struct server *s, const char *masked, char *code);
/* POST /api/v1/citizen/otp for phone (202, the masked phone echoed), then
 * the code it logged into code (7 bytes). */
void otp_for(const struct server *s, const char *phone, char *code);
/* A citizen signed in by phone with the code the server logged. */
void citizen_login(const struct server *s, const char *phone,
                   struct client *sess);

/* Security headers: every response is checked as it arrives; these count
 * the responses and those that lacked one, and name the first offender. */
extern unsigned long harness_responses;
extern unsigned long harness_bad_headers;
extern char harness_bad_header_what[512];
/* 0 when r carries X-Request-Id, nosniff, X-Frame-Options DENY, a CSP and
 * Cache-Control: no-store; else the name of the missing header. */
const char *security_headers_missing(const struct response *r);

/* Why r is not that error (a phrase), or NULL when it is: the status, the
 * error envelope (code, message, message_zh non-empty, request_id equal to
 * X-Request-Id), the code, and the field (NULL: the field must be null;
 * "*": any). */
const char *error_mismatch(const struct response *r, long status,
                           const char *code, const char *field);
/* Fills sess from a 201 reply to POST /api/v1/session. */
void session_from_login(const struct response *r, const char *user,
                        struct client *sess);

/* Assertions that name the request and show the body when they fail. */
void expect_status_(const struct response *r, long status, const char *file,
                    int line);
/* The status, the error envelope (code, message, message_zh non-empty,
 * request_id equal to X-Request-Id), the code, and the field (NULL: the
 * field must be null). */
void expect_error_(const struct response *r, long status, const char *code,
                   const char *field, const char *file, int line);
#define expect_status(r, st) expect_status_((r), (st), __FILE__, __LINE__)
#define expect_error(r, st, code, field) \
    expect_error_((r), (st), (code), (field), __FILE__, __LINE__)

/* One request as sess (NULL: none) and what it must answer: the status
 * and, for an error, its code and field as expect_error has them (code
 * NULL: the status alone). */
struct call_want {
    const struct client *sess;
    const char *method, *path, *body;
    long status;
    const char *code, *field;
};
/* Makes each call of t[0 .. n) in turn and checks its answer; a failure
 * names the row (its index, method and path) and shows the body. */
void calls_expect_(const struct server *s, const struct call_want *t,
                   size_t n, const char *file, int line);
#define calls_expect(s, t)                                                     \
    calls_expect_((s), (t), sizeof(t) / sizeof((t)[0]), __FILE__, __LINE__)
/* One such call, the answer freed. */
#define call_expect(s, sess, method, path, body, st, code, field)              \
    calls_expect_((s),                                                         \
                  &(const struct call_want){(sess), (method), (path), (body),  \
                                            (st), (code), (field)},            \
                  1, __FILE__, __LINE__)

/* The store, opened directly (for what the API cannot do: time travel). */
struct store *harness_store_open(const char *url);

#endif
