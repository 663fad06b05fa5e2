/* SPDX-License-Identifier: MIT */
/* The principals of the API suites that test the staff-facing API as a
 * whole (test_api.c, test_accounts.c, test_households.c,
 * test_assessments.c):
 * one server per suite, one signed-in session per role (and a partner
 * token), the users and the household the authorisation matrix reads and
 * changes, and the small helpers those suites share (a user made by the
 * admin, a household body, the store opened for what the API cannot do). */
#ifndef DD_TEST_PRINCIPALS_H
#define DD_TEST_PRINCIPALS_H

#include <stddef.h>
#include <stdint.h>

#include "harness.h"
#include "store/store.h"

enum princ {
    P_ADMIN,      /* sysadmin, 50 */
    P_CITY,       /* city_supervisor, 50 */
    P_AUDITOR,    /* auditor, 50 */
    P_COUNTY103,  /* county_officer, 500103 渝中区 */
    P_COUNTY101,  /* county_officer, 500101 万州区 */
    P_CLERK103,   /* town_clerk, 500103001 */
    P_REVIEWER103,/* town_reviewer, 500103001 */
    P_CLERK101,   /* town_clerk, 500101001 */
    P_ASSISTANT,  /* village_assistant, 500103001003 */
    P_MEDICAL,    /* dept_officer medical, 500103 */
    P_AUDITOR103, /* auditor, 500103: made by the admin in the setup */
    P_PARTNER,    /* a partner API token, scope 500103 */
    P_ANON,       /* no credentials */
    NPRINC
};

extern const char *const princ_name[NPRINC];
extern const char *const princ_role[NPRINC];

/* The suite's server, its store opened directly, and the server's log
 * name in the build tree (PREFIX-sqlite.log or PREFIX-postgresql.log). */
extern struct server srv;
extern struct store *st;
extern char log_name[256];

/* The principals' sessions (the partner's holds its bearer token; the
 * anonymous one is empty), and the second sessions that the matrix's login
 * row opens and its logout row ends. */
extern struct client sess[NPRINC];
extern struct client spare[NPRINC];
extern int64_t target_id; /* matrix.target, whom the matrix reads/patches */
extern int64_t hh_id;     /* the matrix's household, in 500103001003 */

/* The group setup (API_SUITE(name, principals_setup, &srv, &st, ...)):
 * starts the suite's server (logging to NAME-sqlite.log or
 * NAME-postgresql.log), signs every principal in, and makes
 * auditor.500103, matrix.target, the household hh_id and the partner
 * token; 0 or -1. */
int principals_setup(void **state);

/* A JSON object from NULL-terminated key/value string pairs (values NULL
 * are left out); malloc'd. */
char *obj(const char *k, ...);
/* {"username":user,"password":pw}; malloc'd. */
char *login_body(const char *user, const char *pw);
/* POST /api/v1/users as admin; and the same that must answer 201 (the
 * new user's id) with the password TEST_PASSWORD. */
void create_user(const char *username, const char *role, const char *dept,
                 const char *scope, const char *password, struct response *r);
int64_t create_user_ok(const char *username, const char *role,
                       const char *dept, const char *scope);
/* Whether r's body has a value at path. */
int has_key(const struct response *r, const char *path);

/* The store, for what the API cannot do: a transaction that must begin,
 * a user by name, a session by its cookie, the audit log's last seq, and
 * how many audit rows name object. */
struct store_tx *begin(enum store_mode mode);
void user_by_name(const char *name, struct user *u);
void session_row(const char *cookie, struct session *out);
int64_t audit_tail_seq(void);
size_t audit_rows_of(const char *object);

/* Starts s, a server of its own with env (NULL-terminated), on the SQLite
 * database NAME.db in the harness's temporary directory, its log
 * LOG_NAME.NAME.log. */
void small_start(struct server *s, const char *name, const char *const *env);
/* Whether the file holds the text. */
int file_has(const char *path, const char *text);

/* Every audit row matching query (paged, as s), as a new JSON array;
 * and how many of rows have the actor, action and object given (NULL:
 * any). */
json_t *audit_rows(const struct client *s, const char *query);
size_t count_rows(json_t *rows, const char *actor, const char *action,
                  const char *object);

/* A household body in village with one applicant (number) and, when
 * child is set, a child with a disability card. version < 0: none. */
char *household_body(const char *village, const char *number,
                     const char *child, long long version);
/* POST /api/v1/households as s that must answer 201; the id. */
int64_t create_household_ok(const struct client *s, const char *village,
                            const char *number, const char *child);
/* The household's version, read by the 渝中区 county officer. */
long long household_version(int64_t id);

/* The household of tests/unit/test_assess.c, described to the calculator
 * (urban, 渝中区): applicant wages 600.00; spouse 肢体 grade 2 with the
 * 两项补贴 80.00 (not counted); a child in compulsory school; deposits
 * 5,000.00; one 60 m² dwelling; the applicant is the others' obligor. */
#define CALC_HOUSEHOLD                                                        \
    "{\"region_code\":\"500103\",\"urban_or_rural\":\"urban\","               \
    "\"members\":["                                                           \
    "{\"relation\":\"applicant\",\"birth_date\":\"1980-03-15\","               \
    "\"sex\":\"male\",\"employed\":true,\"incomes\":{\"wages\":60000}},"       \
    "{\"relation\":\"spouse\",\"birth_date\":\"1982-06-01\","                  \
    "\"disability_category\":\"physical\",\"disability_grade\":2,"            \
    "\"work_capacity\":\"none\",\"incomes\":{\"disability_subsidy\":8000}},"   \
    "{\"relation\":\"child\",\"birth_date\":\"2012-09-01\","                   \
    "\"schooling\":\"compulsory\"}],"                                         \
    "\"assets\":[{\"kind\":\"deposit\",\"value_fen\":500000},"                 \
    "{\"kind\":\"dwelling\",\"floor_area_dm2\":6000}],"                        \
    "\"obligors\":[{\"of_member\":1,\"relation\":\"spouse\","                  \
    "\"birth_date\":\"1980-03-15\",\"income_monthly_fen\":60000},"             \
    "{\"of_member\":2,\"relation\":\"parent\",\"birth_date\":\"1980-03-15\","  \
    "\"income_monthly_fen\":60000}]}"
/* The smallest valid description. */
#define CALC_MINIMAL                                                          \
    "{\"region_code\":\"500103\",\"urban_or_rural\":\"urban\","               \
    "\"members\":[{\"relation\":\"applicant\",\"age\":40}]}"

#endif
