/* SPDX-License-Identifier: MIT */
/* Filing and walking cases through the API, for every suite that needs a
 * household, an application and its steps: each helper takes the server
 * and the session it acts as, so the suites differ only in who they send
 * and what they expect. Where the API has no clock to turn (the 7 days of
 * a 公示), the helper writes to the store the suite opened. */
#ifndef DD_TEST_CASES_HELPERS_H
#define DD_TEST_CASES_HELPERS_H

#include <stdint.h>

#include "harness.h"

/* Every paper a 低保 application asks for (data/catalog/items.csv). */
#define DIBAO_PAPERS                                                           \
    "\"id_card\",\"hukou\",\"income_proof\",\"asset_declaration\","            \
    "\"check_consent\""

/* Today in Asia/Shanghai: as a calendar day (workcal), as YYYY-MM-DD,
 * and the month add_months after this one as YYYY-MM (the last two in fmt
 * buffers). */
int32_t today_day(void);
const char *today_date(void);
const char *today_month(int add_months);

/* POST /api/v1/households as sess with body (JSON text). Must answer 201;
 * the household's id. */
int64_t household_create(const struct server *s, const struct client *sess,
                         const char *body);
/* POST /api/v1/households as sess: an urban household registered and
 * living in village, at address, with members (the text of the JSON
 * array's elements). Must answer 201; the household's id. */
int64_t household_post(const struct server *s, const struct client *sess,
                       const char *village, const char *address,
                       const char *members);
/* The members (JSON text, in a fmt buffer) of a couple with ID numbers of
 * 万州区 (500101): the applicant and the spouse, born on the days given
 * (YYYYMMDD), with sequences 2 seq + 1 and 2 seq + 2. */
const char *couple(const char *applicant, const char *born, const char *spouse,
                   const char *spouse_born, int seq);
/* household_post of a two-person urban household in 万州区 高笋塘街道
 * 东方广场社区 (500101001001) at address, with no income and no assets
 * (低保 pays the urban standard for each member): couple() of the names,
 * birthdays and seq given. */
int64_t couple_post(const struct server *s, const struct client *sess,
                    const char *address, const char *applicant,
                    const char *born, const char *spouse,
                    const char *spouse_born, int seq);
/* The person id of the member named name in household hh, read as sess
 * (asserts there is one). */
long long member_id(const struct server *s, const struct client *sess,
                    int64_t hh, const char *name);

/* POST /api/v1/applications as sess at the window: items and materials
 * are the text of JSON arrays' elements ("\"dibao\""), extra more members
 * of the body (",\"applied_on\":\"2023-09-27\"", or NULL). The reply in
 * r (the caller frees). */
void apply(const struct server *s, const struct client *sess, int64_t hh,
           const char *items, const char *materials, const char *extra,
           struct response *r);
/* apply() that must answer 201: the first case item's id; its case
 * number and query code into no and code unless NULL. */
long long apply_ok(const struct server *s, const struct client *sess,
                   int64_t hh, const char *items, const char *materials,
                   char no[32], char code[16]);

/* GET the case item as sess into r (must answer 200); its version. */
long long item_get(const struct server *s, const struct client *sess,
                   long long id, struct response *r);
/* The item's step, read as sess (in a buffer the next call reuses). */
const char *step_of(const struct server *s, const struct client *sess,
                    long long id);

/* One action as sess at the item's current version (version 1, what a
 * caller who cannot read the item would send, when sess cannot), with
 * extra more members of the body or NULL; the reply in r. */
void act_r(const struct server *s, const struct client *sess, long long id,
           const char *action, const char *extra, struct response *r);
/* act_r() that must answer status; fails naming the action otherwise. */
void act(const struct server *s, const struct client *sess, long long id,
         const char *action, const char *extra, long status);

/* GET /api/v1/tasks as sess (must answer 200) into r: the inbox row
 * ({item, overdue, supervising}) whose item has the case number case_no,
 * or when case_no is NULL the id id; NULL if there is none. */
json_t *inbox_task(const struct server *s, const struct client *sess,
                   const char *case_no, long long id, struct response *r);
/* GET /api/v1/progress with no session for a case number and query code;
 * the reply in r. */
void progress_get(const struct server *s, const char *case_no,
                  const char *query_code, struct response *r);

/* The 7 days of the item's open 公示 pass: its row is moved to have
 * started 8 days ago and ended yesterday, in st. */
void publicity_elapse(struct store *st, long long case_item_id);

/* A case from 入户调查 through its 公示 (for 低保, 民发〔2021〕57号 Arts.
 * 15-19, domain.md §1.2): the clerk investigates with two investigators,
 * the county checks the means (county NULL: the item has no such step, as
 * 临时救助 支出型), the township's reviewer gives the 初审 opinion, the 公示
 * runs its 7 days (in st) and the clerk closes it. Each must answer 200. */
void walk_past_publicity(const struct server *s, struct store *st,
                         const struct client *clerk,
                         const struct client *county,
                         const struct client *reviewer, long long id);

/* Makes the signed-in citizen cit the registered contact of household hh
 * (the household's contact phone index set to the session's phone index,
 * written in st, as the household API does when it takes a contact
 * phone). */
void contact_set(struct store *st, const struct client *cit, int64_t hh);

/* Runs `doudi check` on s's database with its key file: the exit status,
 * its output in out (cap bytes). */
int doudi_check_run(const struct server *s, char *out, size_t cap);

/* A couple's household (couple_post, seq unique) through every 低保 step
 * to the notification by the clerk, county officer and reviewer of
 * 500101: the entitlement's id, its monthly amount in *amount. */
long long approved_dibao(const struct server *s, struct store *st,
                         const struct client *clerk,
                         const struct client *county,
                         const struct client *reviewer, int seq,
                         const char *applicant, long long *amount);

#endif
