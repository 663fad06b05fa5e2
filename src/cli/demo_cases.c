/* SPDX-License-Identifier: MIT */
/* The demo's cases: once `doudi demo` serves, a thread signs in as the
 * demo users and drives the real API over HTTP (a minimal HTTP/1.1 client
 * on a loopback socket), filing applications for generated households of
 * 渝中区 and 万州区 and moving them into every state: 补正, investigation,
 * the county's means check, 公示, confirmation, decided and closed
 * (approved and rejected), referrals waiting, accepted and answered,
 * 先行救助, a cross-region (异地受理) case and overdue ones. The
 * approvals of 两项补贴, 孤儿, 事实无人抚养 and 临时救助 carry the decider's
 * facts, so their engines decide and explain them (docs/cases.md). Nothing
 * here touches the store: every row comes from the API's own handlers. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/log.h"
#include "core/str.h"
#include "crypto/crypto.h"
#include "json/json_cases.h"

#define RESP_CAP (1u << 20)

/* 七星岗街道 (渝中区) and 高笋塘街道 (万州区): the demo users' townships */
const char *const cli_demo_townships[] = {"500103001", "500101001", NULL};

struct demo_ctx {
    char host[64];
    int port;
    char password[128];
};

struct demo_client {
    char user[64];
    char cookie[128];
    char csrf[128];
};

struct demo_resp {
    int status;
    char *body; /* NUL-terminated, in buf */
    char *buf;  /* calloc'd, RESP_CAP + 1 */
};

static void
resp_free(struct demo_resp *r)
{
    free(r->buf);
    r->buf = r->body = NULL;
}

/* One request on a fresh connection (Connection: close). 0 when a
 * response was read. */
static int
call(const struct demo_ctx *d, const struct demo_client *c, const char *method,
     const char *path, const char *body, struct demo_resp *r)
{
    char head[1024];
    size_t blen = body ? strlen(body) : 0;
    memset(r, 0, sizeof(*r));
    int n = snprintf(
        head, sizeof(head),
        "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n"
        "Content-Type: application/json\r\nContent-Length: %zu\r\n"
        "%s%s%s%s%s%s\r\n",
        method, path, d->host, blen,
        c && c->cookie[0] ? "Cookie: doudi_session=" : "",
        c && c->cookie[0] ? c->cookie : "", c && c->cookie[0] ? "\r\n" : "",
        c && c->csrf[0] ? "X-CSRF-Token: " : "", c && c->csrf[0] ? c->csrf : "",
        c && c->csrf[0] ? "\r\n" : "");
    if (n < 0 || (size_t)n >= sizeof(head))
        return -1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)d->port);
    if (inet_pton(AF_INET, d->host, &sa.sin_addr) != 1 ||
        connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        close(fd);
        return -1;
    }
    int ok = write(fd, head, (size_t)n) == n &&
             (blen == 0 || write(fd, body, blen) == (ssize_t)blen);
    r->buf = ok ? calloc(1, RESP_CAP + 1) : NULL;
    size_t got = 0;
    while (r->buf && got < RESP_CAP) {
        ssize_t k = read(fd, r->buf + got, RESP_CAP - got);
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    close(fd);
    if (!r->buf)
        return -1;
    r->buf[got] = '\0';
    char *sep = strstr(r->buf, "\r\n\r\n");
    if (strncmp(r->buf, "HTTP/1.", 7) != 0 || !sep) {
        resp_free(r);
        return -1;
    }
    r->status = (int)strtol(r->buf + 9, NULL, 10);
    r->body = sep + 4;
    return 0;
}

static int
sign_in(const struct demo_ctx *d, const char *user, struct demo_client *c)
{
    struct demo_resp r;
    char body[320];
    memset(c, 0, sizeof(*c));
    str_copy(c->user, sizeof(c->user), user);
    snprintf(body, sizeof(body), "{\"username\":\"%s\",\"password\":\"%s\"}",
             user, d->password);
    if (call(d, NULL, "POST", "/api/v1/session", body, &r) != 0)
        return -1;
    crypto_wipe(body, sizeof(body));
    int rc = -1;
    char *ck = strstr(r.buf, "doudi_session=");
    if (r.status == 201 && ck && ck < r.body &&
        json_cases_str_at(r.body, "csrf_token", c->csrf, sizeof(c->csrf)) ==
            0) {
        ck += 14;
        size_t len = strcspn(ck, ";\r\n");
        if (len < sizeof(c->cookie)) {
            memcpy(c->cookie, ck, len);
            rc = 0;
        }
    }
    resp_free(&r);
    return rc;
}

/* Up to max ids of households living under region whose hukou is there
 * too (so their cases stay with region's township), as c lists them. */
static size_t
households(const struct demo_ctx *d, const struct demo_client *c,
           const char *region, int64_t *out, size_t max)
{
    struct demo_resp r;
    char path[128];
    size_t n = 0;
    snprintf(path, sizeof(path), "/api/v1/households?region=%s&limit=200",
             region);
    if (call(d, c, "GET", path, NULL, &r) != 0)
        return 0;
    for (size_t i = 0; r.status == 200 && n < max; i++) {
        char key[32], hukou[16];
        snprintf(key, sizeof(key), "items.%zu.id", i);
        if (json_cases_int_at(r.body, key, &out[n]) != 0)
            break;
        snprintf(key, sizeof(key), "items.%zu.hukou_region", i);
        if (json_cases_str_at(r.body, key, hukou, sizeof(hukou)) == 0 &&
            strncmp(hukou, region, strlen(region)) == 0)
            n++;
    }
    resp_free(&r);
    return n;
}

static const char all_dibao_papers[] =
    "\"id_card\",\"hukou\",\"income_proof\",\"asset_declaration\","
    "\"check_consent\"";
/* an orphan's or an unsupported child's */
static const char all_child_papers[] =
    "\"id_card\",\"hukou\",\"guardian_id\",\"parents_status_proof\"";

/* What the progress query needs of an application (the query code is
 * shown once, in the reply that files it). */
struct demo_filed {
    char case_no[32];
    char query_code[32];
};

/* Files an application; the first item's id (0 on failure), and when
 * filed is given its case number and query code. */
static int64_t
apply(const struct demo_ctx *d, const struct demo_client *c, int64_t hh,
      const char *items, const char *materials, const char *extra,
      struct demo_filed *filed)
{
    struct demo_resp r;
    char body[1024];
    int64_t id = 0;
    snprintf(body, sizeof(body),
             "{\"household_id\":%lld,\"channel\":\"window\",\"items\":[%s],"
             "\"materials\":[%s]%s}",
             (long long)hh, items, materials, extra ? extra : "");
    if (call(d, c, "POST", "/api/v1/applications", body, &r) != 0)
        return 0;
    if (r.status == 201) {
        if (json_cases_int_at(r.body, "items.0.id", &id) != 0)
            id = 0;
        if (filed &&
            (json_cases_str_at(r.body, "case_no", filed->case_no,
                               sizeof(filed->case_no)) != 0 ||
             json_cases_str_at(r.body, "query_code", filed->query_code,
                               sizeof(filed->query_code)) != 0))
            filed->case_no[0] = filed->query_code[0] = '\0';
    } else {
        log_info("demo: application for household %lld: %d %.200s",
                 (long long)hh, r.status, r.body);
    }
    resp_free(&r);
    return id;
}

/* One action at the item's current version; 0 when it was taken. */
static int
act(const struct demo_ctx *d, const struct demo_client *c, int64_t id,
    const char *action, const char *extra)
{
    struct demo_resp r;
    char path[96], body[512];
    int64_t v = 1;
    snprintf(path, sizeof(path), "/api/v1/case-items/%lld", (long long)id);
    if (call(d, c, "GET", path, NULL, &r) == 0) {
        if (r.status != 200 || json_cases_int_at(r.body, "item.version", &v))
            v = 1;
        resp_free(&r);
    }
    snprintf(path, sizeof(path), "/api/v1/case-items/%lld/actions",
             (long long)id);
    snprintf(body, sizeof(body), "{\"action\":\"%s\",\"version\":%lld%s}",
             action, (long long)v, extra ? extra : "");
    if (call(d, c, "POST", path, body, &r) != 0)
        return -1;
    int rc = r.status == 200 ? 0 : -1;
    if (rc)
        log_info("demo: %s on case item %lld as %s: %d %.200s", action,
                 (long long)id, c->user, r.status, r.body);
    resp_free(&r);
    return rc;
}

static const char investigators[] = ",\"investigators\":[\"刘一\",\"陈二\"]";

/* What a member must be for a decision's facts. */
enum demo_member { DEMO_CHILD, DEMO_SEVERE };

/* The first of hh[from..n) with a member fitting want, taken out of the
 * list (swapped to from); its person id in *member. 0, or -1 when none. */
static int
household_with(const struct demo_ctx *d, const struct demo_client *c,
               int64_t *hh, size_t from, size_t n, enum demo_member want,
               int64_t *member)
{
    /* a child: born less than 16 years ago (under orphan.max_age) */
    char born_after[40]; /* room for any int, for -Wformat-truncation */
    time_t t = time(NULL) + 8 * 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(born_after, sizeof(born_after), "%04d-%02d-%02d",
             tm.tm_year + 1900 - 16, tm.tm_mon + 1, tm.tm_mday);
    for (size_t i = from; i < n; i++) {
        struct demo_resp r;
        char path[96];
        snprintf(path, sizeof(path), "/api/v1/households/%lld",
                 (long long)hh[i]);
        if (call(d, c, "GET", path, NULL, &r) != 0)
            continue;
        int found = 0;
        for (size_t k = 0; r.status == 200 && !found; k++) {
            char key[48], birth[16];
            int64_t id = 0, grade = 0;
            snprintf(key, sizeof(key), "members.%zu.id", k);
            if (json_cases_int_at(r.body, key, &id) != 0)
                break;
            snprintf(key, sizeof(key), "members.%zu.birth_date", k);
            if (json_cases_str_at(r.body, key, birth, sizeof(birth)) != 0)
                birth[0] = '\0';
            snprintf(key, sizeof(key), "members.%zu.disability_grade", k);
            if (json_cases_int_at(r.body, key, &grade) != 0)
                grade = 0;
            found = want == DEMO_CHILD ? strcmp(birth, born_after) > 0
                                       : grade == 1 || grade == 2;
            if (found)
                *member = id;
        }
        resp_free(&r);
        if (found) {
            int64_t tmp = hh[from];
            hh[from] = hh[i];
            hh[i] = tmp;
            return 0;
        }
    }
    return -1;
}

/* The approving action with the facts {"member_id": member, rest...}
 * (docs/cases.md): the engine decides. */
static int
approve_with(const struct demo_ctx *d, const struct demo_client *c, int64_t id,
             const char *action, int64_t member, const char *rest)
{
    char extra[400];
    snprintf(extra, sizeof(extra), ",\"facts\":{\"member_id\":%lld,%s}",
             (long long)member, rest);
    return act(d, c, id, action, extra);
}

/* The township's clerk, who investigates, and its reviewer, who gives
 * the first-review opinion (初审). */
struct demo_town {
    const struct demo_client *clerk, *reviewer;
};

/* The 低保 steps up to (and including) the first n of: investigation,
 * means check, first review (into 公示). */
static void
dibao_advance(const struct demo_ctx *d, const struct demo_town *tw,
              const struct demo_client *county, int64_t id, int n)
{
    if (n >= 1 && act(d, tw->clerk, id, "submit", investigators))
        return;
    if (n >= 2 && act(d, county, id, "submit", NULL))
        return;
    if (n >= 3)
        (void)act(d, tw->reviewer, id, "approve", NULL);
}

/* Every state in one district: tw the township's clerk and reviewer,
 * county the county officer, dept the county's medical officer (may be
 * NULL). *shown gets the case number and query code of the decided
 * 两项补贴 case, for the citizen's progress query. */
static int
district(const struct demo_ctx *d, const char *township,
         const struct demo_town *tw, const struct demo_client *county,
         const struct demo_client *dept, struct demo_filed *shown)
{
    const struct demo_client *town = tw->clerk;
    int64_t hh[64];
    size_t n = households(d, town, township, hh, 64);
    int made = 0;
    if (n < 14) {
        log_info("demo: only %zu households in %s; no cases there", n,
                 township);
        return 0;
    }
    int64_t id;
    /* 1: just filed, at 入户调查 */
    made +=
        apply(d, town, hh[0], "\"dibao\"", all_dibao_papers, NULL, NULL) != 0;
    /* 2: waiting in 补正, two papers missing, plus a referral */
    made += apply(d, town, hh[1], "\"dibao\",\"medical_aid\"",
                  "\"id_card\",\"hukou\",\"income_proof\"", NULL, NULL) != 0;
    /* 3: at the county's means check */
    id = apply(d, town, hh[2], "\"dibao\"", all_dibao_papers, NULL, NULL);
    dibao_advance(d, tw, county, id, 1);
    made += id != 0;
    /* 4: in 公示 in the village */
    id = apply(d, town, hh[3], "\"dibao\"", all_dibao_papers, NULL, NULL);
    dibao_advance(d, tw, county, id, 3);
    made += id != 0;
    /* 5: rejected at the first review and notified (closed) */
    id = apply(d, town, hh[4], "\"dibao\"", all_dibao_papers, NULL, NULL);
    dibao_advance(d, tw, county, id, 2);
    if (!act(d, tw->reviewer, id, "reject",
             ",\"reasons\":\"家庭人均收入高于低保标准\""))
        (void)act(d, town, id, "notify", NULL);
    made += id != 0;
    /* 6: terminated for refusing the investigation, still to notify */
    id = apply(d, town, hh[5], "\"tekun\"",
               "\"id_card\",\"hukou\",\"income_proof\","
               "\"asset_declaration\",\"check_consent\","
               "\"selfcare_assessment\"",
               NULL, NULL);
    (void)act(d, town, id, "terminate", ",\"reasons\":\"拒不配合入户调查\"");
    made += id != 0;
    /* 7: 先行救助 granted, paperwork done with the facts (a fire, two
     * months of living disrupted: the engine's one-off amount), closed
     * approved */
    id = apply(d, town, hh[6], "\"tempaid_urgent\"",
               "\"id_card\",\"emergency_statement\"", NULL, NULL);
    if (!act(d, town, id, "grant", ",\"amount_fen\":150000") &&
        !act(d, town, id, "complete",
             ",\"facts\":{\"cause\":\"fire\",\"months_needed\":2}"))
        (void)act(d, town, id, "notify", NULL);
    made += id != 0;
    /* 8: referrals: waiting, accepted, answered and closed */
    if (dept) {
        id = apply(d, town, hh[7], "\"medical_aid\"",
                   "\"id_card\",\"medical_bills\"", NULL, NULL);
        made += id != 0;
        id = apply(d, town, hh[8], "\"medical_aid\"",
                   "\"id_card\",\"medical_bills\"", NULL, NULL);
        (void)act(d, dept, id, "accept", NULL);
        made += id != 0;
        id = apply(d, town, hh[9], "\"medical_aid\"",
                   "\"id_card\",\"medical_bills\"", NULL, NULL);
        if (!act(d, dept, id, "accept", NULL) &&
            !act(d, dept, id, "approve",
                 ",\"result\":\"住院自付部分按 70% 救助\","
                 "\"amount_fen\":320000"))
            (void)act(d, town, id, "notify", NULL);
        made += id != 0;
    }
    /* 9: a paper application of 40 days ago never investigated: overdue,
     * shown to the county too */
    char extra[64];
    time_t t = time(NULL) + 8 * 3600 - 40 * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(extra, sizeof(extra), ",\"applied_on\":\"%Y-%m-%d\"", &tm);
    made +=
        apply(d, town, hh[10], "\"dibao\"", all_dibao_papers, extra, NULL) != 0;
    /* 10: 重度残疾人护理补贴 for a member with a grade 1–2 disability,
     * decided by the engine with the facts (paid from the application
     * month) and notified: closed with an entitlement */
    int64_t who = 0;
    if (household_with(d, town, hh, 11, n, DEMO_SEVERE, &who) == 0) {
        id = apply(d, town, hh[11], "\"disability_care\"",
                   "\"id_card\",\"hukou\",\"disability_card\"", NULL, shown);
        if (!act(d, tw->reviewer, id, "submit", NULL) &&
            !approve_with(d, county, id, "approve", who,
                          "\"card_valid\":true,\"care_months\":12"))
            (void)act(d, town, id, "notify", NULL);
        made += id != 0;
    }
    /* 11: 事实无人抚养 recognition waiting for the county (no 公示) */
    id = apply(d, town, hh[12], "\"unsupported_child\"", all_child_papers, NULL,
               NULL);
    (void)act(d, town, id, "submit", NULL);
    made += id != 0;
    /* 12: 孤儿 recognised by the engine with the facts (both parents
     * dead, with relatives: the scattered standard, from next month), the
     * township to notify */
    if (household_with(d, town, hh, 13, n, DEMO_CHILD, &who) == 0) {
        id = apply(d, town, hh[13], "\"orphan\"", all_child_papers, NULL, NULL);
        if (!act(d, town, id, "submit", NULL))
            (void)approve_with(d, county, id, "approve", who,
                               "\"placement\":\"scattered\",\"parents\":"
                               "[{\"dead\":true},{\"dead\":true}]");
        made += id != 0;
    }
    /* 13: 事实无人抚养 recognised with the facts (the father dead, the
     * mother in prison for two years) and notified: closed */
    if (household_with(d, town, hh, 14, n, DEMO_CHILD, &who) == 0) {
        id = apply(d, town, hh[14], "\"unsupported_child\"", all_child_papers,
                   NULL, NULL);
        if (!act(d, town, id, "submit", NULL) &&
            !approve_with(d, county, id, "approve", who,
                          "\"placement\":\"scattered\",\"parents\":"
                          "[{\"dead\":true},{\"custody\":\"prison\","
                          "\"custody_months\":24}]"))
            (void)act(d, town, id, "notify", NULL);
        made += id != 0;
    }
    return made;
}

static void *
demo_thread(void *arg)
{
    struct demo_ctx *d = arg;
    struct demo_client c103, c101, r103, r101, k103, k101, m103;
    struct demo_resp r;
    int up = 0;
    for (int i = 0; i < 300 && !up; i++) {
        if (call(d, NULL, "GET", "/healthz", NULL, &r) == 0) {
            up = r.status == 200;
            resp_free(&r);
        }
        if (!up)
            usleep(100000);
    }
    if (!up || sign_in(d, "clerk.500103001", &c103) ||
        sign_in(d, "clerk.500101001", &c101) ||
        sign_in(d, "reviewer.500103001", &r103) ||
        sign_in(d, "reviewer.500101001", &r101) ||
        sign_in(d, "county.500103", &k103) ||
        sign_in(d, "county.500101", &k101) ||
        sign_in(d, "medical.500103", &m103)) {
        log_error("demo: cannot sign in the demo users; no demo cases");
        goto out;
    }
    struct demo_town t103 = {&c103, &r103}, t101 = {&c101, &r101};
    struct demo_filed shown = {{0}, {0}}, other = {{0}, {0}};
    int made = district(d, cli_demo_townships[0], &t103, &k103, &m103,
                        &shown);
    made += district(d, cli_demo_townships[1], &t101, &k101, NULL, &other);
    /* 异地受理: a 万州 household taken at the 渝中 window, one the
     * township's own cases above leave alone (a household has one open
     * application per item) */
    int64_t hh[16];
    if (households(d, &c101, cli_demo_townships[1], hh, 16) == 16)
        made += apply(d, &c103, hh[15], "\"dibao\"", all_dibao_papers, NULL,
                      NULL) != 0;
    log_info("demo: %d applications in every state", made);
    printf("demo cases: %d applications across 渝中区 and 万州区\n", made);
    /* the citizen portal's progress query, on a decided case with its
     * notice: what the applicant holds on the paper receipt */
    if (shown.case_no[0])
        printf("progress query (进度查询, a decided 护理补贴 with its "
               "notice): case number %s, query code %s\n",
               shown.case_no, shown.query_code);
    fflush(stdout);
out:
    crypto_wipe(d->password, sizeof(d->password));
    free(d);
    return NULL;
}

int
cli_demo_cases_start(const struct config *cfg, const char *password)
{
    struct demo_ctx *d = calloc(1, sizeof(*d));
    if (!d)
        return -1;
    const char *colon = strrchr(cfg->listen, ':');
    if (!colon || (size_t)(colon - cfg->listen) >= sizeof(d->host)) {
        free(d);
        return -1;
    }
    memcpy(d->host, cfg->listen, (size_t)(colon - cfg->listen));
    d->port = (int)strtol(colon + 1, NULL, 10);
    if (strcmp(d->host, "0.0.0.0") == 0)
        str_copy(d->host, sizeof(d->host), "127.0.0.1");
    str_copy(d->password, sizeof(d->password), password);
    pthread_t th;
    if (pthread_create(&th, NULL, demo_thread, d) != 0) {
        crypto_wipe(d->password, sizeof(d->password));
        free(d);
        return -1;
    }
    pthread_detach(th);
    return 0;
}
