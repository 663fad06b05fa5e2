/* SPDX-License-Identifier: MIT */
/* The API test harness: the server as a child process, and a small libcurl
 * client. See harness.h. */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../pg_test_db.h"
#include "core/config.h"
#include "domain/idcard.h"

#define START_TIMEOUT_S 60 /* ASan builds start slowly */
#define STOP_TIMEOUT_S 60

static char doudi_path[PATH_MAX];
static char log_dir[PATH_MAX]; /* the test binary's directory: the build */
static char data_dir[PATH_MAX];
static char tmp_dir[64];
static char main_url[1024];
static CURL *easy;

unsigned long harness_responses;
unsigned long harness_bad_headers;
char harness_bad_header_what[512];

/* ---- setup ---- */

/* A database of our own in the throwaway cluster, so that the store suite
 * (which wipes the cluster's database) may run at the same time. Falls back
 * to the cluster's database. DOUDI_TEST_PG_DBNAME names it (default
 * doudi_api), so that two API test programs may run at the same time. */
static void
pg_own_database(const char *url, char *out, size_t cap)
{
    const char *name = getenv("DOUDI_TEST_PG_DBNAME");
    if (!name || !*name || strspn(name, "abcdefghijklmnopqrstuvwxyz_") !=
                               strlen(name) || strlen(name) > 40)
        name = "doudi_api";
    pg_test_own_database("harness", url, name, out, cap);
}

int
harness_init(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s PATH_TO_DOUDI\n", argv[0]);
        return -1;
    }
    if (!realpath(argv[1], doudi_path)) {
        fprintf(stderr, "harness: %s: %s\n", argv[1], strerror(errno));
        return -1;
    }
    ssize_t n = readlink("/proc/self/exe", log_dir, sizeof(log_dir) - 1);
    if (n <= 0) {
        snprintf(log_dir, sizeof(log_dir), ".");
    } else {
        log_dir[n] = '\0';
        char *slash = strrchr(log_dir, '/');
        if (slash)
            *slash = '\0';
    }
    const char *data = getenv("DOUDI_TEST_DATA");
    if (!data || !*data || !realpath(data, data_dir)) {
        fprintf(stderr, "harness: set DOUDI_TEST_DATA to the repository's "
                        "data directory\n");
        return -1;
    }
    snprintf(tmp_dir, sizeof(tmp_dir), "/tmp/doudi-api-XXXXXX");
    if (!mkdtemp(tmp_dir)) {
        perror("harness: mkdtemp");
        return -1;
    }
    const char *db = getenv("DOUDI_TEST_DB");
    const char *pgdir = getenv("DOUDI_TEST_PG_DIR");
    if (db && *db) {
        snprintf(main_url, sizeof(main_url), "%s", db);
    } else if (pgdir && *pgdir) {
        char path[1100], url[1024];
        snprintf(path, sizeof(path), "%s/url", pgdir);
        if (pg_test_first_line(path, url, sizeof(url)) != 0) {
            fprintf(stderr, "harness: cannot read %s\n", path);
            return -1;
        }
        pg_own_database(url, main_url, sizeof(main_url));
    } else {
        snprintf(main_url, sizeof(main_url), "sqlite:%s/api.db", tmp_dir);
    }
    if (curl_global_init(CURL_GLOBAL_ALL) != CURLE_OK)
        return -1;
    easy = curl_easy_init();
    return easy ? 0 : -1;
}

static void
remove_tree(const char *dir)
{
    char cmd[200];
    if (strncmp(dir, "/tmp/doudi-api-", 15) != 0)
        return;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "harness: could not remove %s\n", dir);
}

void
harness_cleanup(void)
{
    if (easy)
        curl_easy_cleanup(easy);
    easy = NULL;
    curl_global_cleanup();
    if (tmp_dir[0])
        remove_tree(tmp_dir);
}

/* The suite harness_main() runs: its name, and the server and store its
 * teardown stops. */
static const char *suite_name = "";
static struct server *suite_srv;
static struct store **suite_st;
static void (*suite_on_stop)(void);

void
harness_on_stop(void (*fn)(void))
{
    suite_on_stop = fn;
}

static int
suite_teardown(void **state)
{
    (void)state;
    if (suite_on_stop)
        suite_on_stop();
    return suite_stop(suite_srv, suite_st);
}

int
harness_main(int argc, char **argv, const char *name,
             const struct CMUnitTest *tests, size_t count,
             int (*setup)(void **), struct server *s, struct store **st)
{
    if (harness_init(argc, argv) != 0)
        return 2;
    suite_name = name;
    suite_srv = s;
    suite_st = st;
    int failed =
        _cmocka_run_group_tests(name, tests, count, setup, suite_teardown);
    harness_cleanup();
    return failed ? 1 : 0;
}

const char *
harness_suite(void)
{
    return suite_name;
}

const char *
harness_doudi(void)
{
    return doudi_path;
}

const char *
harness_db_url(void)
{
    return main_url;
}

void
harness_tmp_path(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", tmp_dir, name);
}

/* ---- the server ---- */

static int
free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {0};
    socklen_t len = sizeof(sa);
    if (fd < 0)
        return -1;
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = 0;
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
        close(fd);
        return -1;
    }
    close(fd);
    return ntohs(sa.sin_port);
}

static void
child(const struct server *s, const char *const *extra_env)
{
    int fd = open(s->log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        _exit(126);
    dup2(fd, 1);
    dup2(fd, 2);
    close(fd);
    /* dies with the test process, whatever happens to it */
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    /* nothing from the caller's environment may change the settings */
    for (size_t i = 0; i < config_settings_count; i++)
        unsetenv(config_settings[i].env);
    char listen[64];
    snprintf(listen, sizeof(listen), "127.0.0.1:%d", s->port);
    setenv("DOUDI_DB", s->db_url, 1);
    setenv("DOUDI_LISTEN", listen, 1);
    setenv("DOUDI_DATA_DIR", data_dir, 1);
    setenv("DOUDI_KEY_FILE", s->key_path, 1);
    setenv("DOUDI_DEMO_PASSWORD", TEST_PASSWORD, 1);
    setenv("DOUDI_LOGIN_RATE", "100000", 1);
    setenv("DOUDI_CALCULATOR_RATE", "100000", 1);
    setenv("DOUDI_OTP_ADDRESS_RATE", "100000", 1);
    setenv("DOUDI_THREADS", "2", 1);
    /* the suite makes its own households; the demo's 20,000 would only
     * slow every start */
    setenv("DOUDI_DEMO_HOUSEHOLDS", "0", 1);
    for (const char *const *e = extra_env; e && *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq)
            continue;
        char name[128];
        snprintf(name, sizeof(name), "%.*s", (int)(eq - *e), *e);
        setenv(name, eq + 1, 1);
    }
    execl(doudi_path, doudi_path, "demo", (char *)NULL);
    fprintf(stderr, "harness: exec %s: %s\n", doudi_path, strerror(errno));
    _exit(127);
}

static size_t
discard(char *p, size_t size, size_t n, void *ctx)
{
    (void)p;
    (void)ctx;
    return size * n;
}

static long
healthz(const struct server *s)
{
    CURL *c = curl_easy_init();
    char url[128];
    long code = 0;
    if (!c)
        return 0;
    snprintf(url, sizeof(url), "%s/healthz", s->base);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 2L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_cleanup(c);
    return code;
}

void
server_log_tail(const struct server *s, int lines)
{
    static char buf[1 << 16];
    FILE *f = fopen(s->log_path, "r");
    fprintf(stderr, "---- last %d lines of %s ----\n", lines, s->log_path);
    if (!f) {
        fprintf(stderr, "(cannot open the log)\n");
        return;
    }
    /* the last 64 KiB is plenty */
    long start = 0;
    if (fseek(f, 0, SEEK_END) == 0) {
        long size = ftell(f);
        start = size > (long)sizeof(buf) - 1 ? size - (long)sizeof(buf) + 1
                                             : 0;
    }
    fseek(f, start, SEEK_SET);
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *p = buf + n;
    for (int seen = 0; p > buf; p--)
        if (p[-1] == '\n' && p != buf + n && ++seen > lines)
            break;
    fprintf(stderr, "%s----\n", p);
}

int
server_start(struct server *s, const char *db_url, const char *log_name,
             const char *const *extra_env)
{
    memset(s, 0, sizeof(*s));
    s->pid = -1;
    s->port = free_port();
    if (s->port <= 0) {
        fprintf(stderr, "harness: no free port\n");
        return -1;
    }
    snprintf(s->base, sizeof(s->base), "http://127.0.0.1:%d", s->port);
    snprintf(s->db_url, sizeof(s->db_url), "%s", db_url);
    snprintf(s->log_path, sizeof(s->log_path), "%s/%s", log_dir, log_name);
    snprintf(s->key_path, sizeof(s->key_path), "%s/%s.key", tmp_dir,
             log_name);
    unlink(s->key_path);

    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("harness: fork");
        return -1;
    }
    if (pid == 0)
        child(s, extra_env);
    s->pid = pid;

    struct timespec t0, now, nap = {0, 100 * 1000 * 1000};
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            fprintf(stderr, "harness: doudi demo exited early (status %d)\n",
                    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
            s->pid = -1;
            server_log_tail(s, 30);
            return -1;
        }
        if (healthz(s) == 200)
            break;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - t0.tv_sec > START_TIMEOUT_S) {
            fprintf(stderr, "harness: /healthz not 200 after %d s\n",
                    START_TIMEOUT_S);
            server_log_tail(s, 30);
            server_stop(s);
            return -1;
        }
        nanosleep(&nap, NULL);
    }
    struct stat sb;
    if (stat(s->key_path, &sb) != 0 || (sb.st_mode & 0777) != 0600) {
        fprintf(stderr, "harness: the key file %s is missing or not 0600\n",
                s->key_path);
        server_stop(s);
        return -1;
    }
    return 0;
}

int
server_stop(struct server *s)
{
    int status = 0;
    if (s->pid <= 0)
        return -1;
    kill(s->pid, SIGTERM);
    for (int i = 0; i < STOP_TIMEOUT_S * 10; i++) {
        pid_t r = waitpid(s->pid, &status, WNOHANG);
        if (r == s->pid) {
            s->pid = -1;
            if (WIFEXITED(status))
                return WEXITSTATUS(status);
            fprintf(stderr, "harness: doudi died of signal %d\n",
                    WIFSIGNALED(status) ? WTERMSIG(status) : -1);
            return -1;
        }
        struct timespec nap = {0, 100 * 1000 * 1000};
        nanosleep(&nap, NULL);
    }
    fprintf(stderr, "harness: doudi did not stop within %d s; killing it\n",
            STOP_TIMEOUT_S);
    kill(s->pid, SIGKILL);
    waitpid(s->pid, &status, 0);
    s->pid = -1;
    return -1;
}

int
suite_start(struct server *s, const char *prefix, const char *const *extra_env,
            struct store **st)
{
    const char *url = harness_db_url();
    char log_name[256];
    snprintf(log_name, sizeof(log_name), "%s-%s.log", prefix,
             strncmp(url, "sqlite:", 7) == 0 ? "sqlite" : "postgresql");
    if (server_start(s, url, log_name, extra_env) != 0)
        return -1;
    *st = harness_store_open(s->db_url);
    if (!*st) {
        fprintf(stderr, "harness: cannot open the store %s\n", s->db_url);
        return -1;
    }
    return 0;
}

int
suite_stop(struct server *s, struct store **st)
{
    if (*st)
        store_close(*st);
    *st = NULL;
    if (s->pid <= 0)
        return -1; /* the setup failed and said why */
    int status = server_stop(s);
    if (status != 0) {
        fprintf(stderr, "doudi did not shut down gracefully (status %d)\n",
                status);
        server_log_tail(s, 20);
        return -1;
    }
    /* nothing the tests did is worth an error in the server's log */
    FILE *f = fopen(s->log_path, "r");
    char line[4096];
    int errors = 0;
    while (f && fgets(line, sizeof(line), f))
        if (strstr(line, "\"level\":\"error\"") ||
            strstr(line, "AddressSanitizer") || strstr(line, "runtime error"))
            fprintf(stderr, "server log: %s", line), errors++;
    if (f)
        fclose(f);
    /* every reply of the suite carried the security headers */
    if (harness_bad_headers) {
        fprintf(stderr,
                "%lu of %lu replies lacked a security header; the first: "
                "%s\n",
                harness_bad_headers, harness_responses,
                harness_bad_header_what);
        errors++;
    }
    return errors ? -1 : 0;
}

/* ---- the client ---- */

struct sink {
    char *data;
    size_t len, cap;
};

static size_t
on_body(char *p, size_t size, size_t n, void *ctx)
{
    struct sink *b = ctx;
    size_t add = size * n;
    if (b->len + add + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + add + 1)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d)
            return 0;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, add);
    b->len += add;
    b->data[b->len] = '\0';
    return add;
}

static void
headers_clear(struct response *r)
{
    for (size_t i = 0; i < r->nheaders; i++) {
        free(r->headers[i].name);
        free(r->headers[i].value);
    }
    free(r->headers);
    r->headers = NULL;
    r->nheaders = 0;
}

static size_t
on_header(char *p, size_t size, size_t n, void *ctx)
{
    struct response *r = ctx;
    size_t len = size * n;
    if (len >= 5 && memcmp(p, "HTTP/", 5) == 0) {
        headers_clear(r); /* a new response (after 100 Continue) */
        return len;
    }
    const char *colon = memchr(p, ':', len);
    if (!colon)
        return len;
    size_t nl = (size_t)(colon - p);
    const char *v = colon + 1, *end = p + len;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    struct header *h = realloc(r->headers, (r->nheaders + 1) * sizeof(*h));
    if (!h)
        return 0;
    r->headers = h;
    h[r->nheaders].name = strndup(p, nl);
    h[r->nheaders].value = strndup(v, (size_t)(end - v));
    r->nheaders++;
    return len;
}

void
response_free(struct response *r)
{
    headers_clear(r);
    free(r->body);
    if (r->json)
        json_decref(r->json);
    memset(r, 0, sizeof(*r));
}

const char *
resp_header(const struct response *r, const char *name)
{
    for (size_t i = 0; i < r->nheaders; i++)
        if (strcasecmp(r->headers[i].name, name) == 0)
            return r->headers[i].value;
    return NULL;
}

json_t *
resp_get(const struct response *r, const char *path)
{
    json_t *v = r->json;
    char key[128];
    while (v && *path) {
        size_t n = strcspn(path, ".");
        if (n >= sizeof(key))
            return NULL;
        memcpy(key, path, n);
        key[n] = '\0';
        if (json_is_array(v) && n > 0 && strspn(key, "0123456789") == n)
            v = json_array_get(v, (size_t)strtoul(key, NULL, 10));
        else
            v = json_is_object(v) ? json_object_get(v, key) : NULL;
        path += n + (path[n] == '.');
    }
    return v;
}

const char *
resp_str(const struct response *r, const char *path)
{
    return json_string_value(resp_get(r, path));
}

const char *
security_headers_missing(const struct response *r)
{
    const char *v;
    v = resp_header(r, "X-Request-Id");
    if (!v || !*v)
        return "X-Request-Id";
    v = resp_header(r, "X-Content-Type-Options");
    if (!v || strcmp(v, "nosniff") != 0)
        return "X-Content-Type-Options: nosniff";
    v = resp_header(r, "X-Frame-Options");
    if (!v || strcmp(v, "DENY") != 0)
        return "X-Frame-Options: DENY";
    v = resp_header(r, "Content-Security-Policy");
    if (!v || !strstr(v, "default-src") ||
        !strstr(v, "frame-ancestors 'none'"))
        return "Content-Security-Policy";
    v = resp_header(r, "Cache-Control");
    if (!v || strcmp(v, "no-store") != 0)
        return "Cache-Control: no-store";
    return NULL;
}

void
http_do(const struct server *s, const struct request *rq,
        struct response *out)
{
    char url[2048], hdr[512];
    struct curl_slist *hl = NULL;
    struct sink body = {0};
    const char *method = rq->method ? rq->method : "GET";
    const struct client *ss = rq->sess;

    response_free(out);
    snprintf(out->what, sizeof(out->what), "%s %s%s%s", method, rq->path,
             ss && ss->user[0] ? " as " : "", ss ? ss->user : "");
    snprintf(url, sizeof(url), "%s%s", s->base, rq->path);

    curl_easy_reset(easy);
    curl_easy_setopt(easy, CURLOPT_URL, url);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, out);
    if (rq->source) {
        snprintf(hdr, sizeof(hdr), "host!%s", rq->source);
        curl_easy_setopt(easy, CURLOPT_INTERFACE, hdr);
    }
    hl = curl_slist_append(hl, "Expect:");
    hl = curl_slist_append(hl, "Accept: application/json");
    if (rq->body) {
        size_t len = rq->body_len ? rq->body_len : strlen(rq->body);
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, rq->body);
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
        curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method);
        if (!rq->content_type) {
            hl = curl_slist_append(hl, "Content-Type: application/json");
        } else if (!*rq->content_type) {
            hl = curl_slist_append(hl, "Content-Type:");
        } else {
            snprintf(hdr, sizeof(hdr), "Content-Type: %s", rq->content_type);
            hl = curl_slist_append(hl, hdr);
        }
    } else if (strcmp(method, "GET") == 0) {
        curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method);
    }
    if (ss && ss->bearer[0]) {
        snprintf(hdr, sizeof(hdr), "Authorization: Bearer %s", ss->bearer);
        hl = curl_slist_append(hl, hdr);
    } else if (ss && ss->token[0]) {
        snprintf(hdr, sizeof(hdr), "Cookie: doudi_session=%s", ss->token);
        hl = curl_slist_append(hl, hdr);
    }
    if (rq->csrf) {
        snprintf(hdr, sizeof(hdr), "X-CSRF-Token: %s", rq->csrf);
        hl = curl_slist_append(hl, hdr);
    } else if (ss && ss->csrf[0] && !rq->no_csrf &&
               strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        snprintf(hdr, sizeof(hdr), "X-CSRF-Token: %s", ss->csrf);
        hl = curl_slist_append(hl, hdr);
    }
    for (const char *const *h = rq->headers; h && *h; h++)
        hl = curl_slist_append(hl, *h);
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, hl);

    CURLcode cc = curl_easy_perform(easy);
    curl_slist_free_all(hl);
    if (cc != CURLE_OK) {
        print_error("%s: %s\n", out->what, curl_easy_strerror(cc));
        free(body.data);
        out->status = -1;
        return;
    }
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &out->status);
    out->body = body.data ? body.data : strdup("");
    out->body_len = body.len;
    const char *ct = resp_header(out, "Content-Type");
    if (ct && strncmp(ct, "application/json", 16) == 0)
        out->json = json_loadb(out->body, out->body_len, 0, NULL);

    harness_responses++;
    const char *missing = security_headers_missing(out);
    if (missing) {
        if (!harness_bad_headers)
            snprintf(harness_bad_header_what,
                     sizeof(harness_bad_header_what), "%s (status %ld): %s",
                     out->what, out->status, missing);
        harness_bad_headers++;
    }
}

void
api_call(const struct server *s, const struct client *sess,
         const char *method, const char *path, const char *body,
         struct response *out)
{
    struct request rq = {.method = method, .path = path, .body = body,
                         .sess = sess};
    http_do(s, &rq, out);
}

static void
cookie_value(const char *set_cookie, char *out, size_t cap)
{
    out[0] = '\0';
    if (!set_cookie || strncmp(set_cookie, "doudi_session=", 14) != 0)
        return;
    const char *v = set_cookie + 14;
    size_t n = strcspn(v, ";");
    if (n < cap) {
        memcpy(out, v, n);
        out[n] = '\0';
    }
}

void
session_from_login(const struct response *r, const char *user,
                   struct client *sess)
{
    memset(sess, 0, sizeof(*sess));
    snprintf(sess->user, sizeof(sess->user), "%s", user);
    cookie_value(resp_header(r, "Set-Cookie"), sess->token,
                 sizeof(sess->token));
    const char *csrf = resp_str(r, "csrf_token");
    const char *role = resp_str(r, "user.role");
    snprintf(sess->csrf, sizeof(sess->csrf), "%s", csrf ? csrf : "");
    snprintf(sess->role, sizeof(sess->role), "%s", role ? role : "");
    sess->user_id = (int64_t)json_integer_value(resp_get(r, "user.id"));
}

long
login(const struct server *s, const char *user, const char *password,
      struct client *sess)
{
    struct response r = {0};
    json_t *body = json_pack("{s:s, s:s}", "username", user, "password",
                             password);
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    api_call(s, NULL, "POST", "/api/v1/session", text, &r);
    free(text);
    long status = r.status;
    if (status == 201 && sess)
        session_from_login(&r, user, sess);
    response_free(&r);
    return status;
}

void
login_ok(const struct server *s, const char *user, const char *password,
         struct client *sess)
{
    long st = login(s, user, password, sess);
    if (st != 201 || !sess->token[0] || !sess->csrf[0]) {
        print_error("login as %s: status %ld (want 201 with a cookie and "
                    "a CSRF token)\n",
                    user, st);
        fail();
    }
}

void
logins_ok(const struct server *s, ...)
{
    va_list ap;
    va_start(ap, s);
    for (const char *user; (user = va_arg(ap, const char *)) != NULL;)
        login_ok(s, user, TEST_PASSWORD, va_arg(ap, struct client *));
    va_end(ap);
}

void
staff_user(const struct server *s, const struct client *admin, const char *name,
           const char *role, const char *dept, const char *scope,
           struct client *sess)
{
    struct response r = {0};
    api_call(s, admin, "POST", "/api/v1/users",
             fmt("{\"username\":\"%s\",\"role\":\"%s\"%s%s%s,"
                 "\"scope\":\"%s\",\"password\":\"%s\"}",
                 name, role, dept[0] ? ",\"department\":\"" : "", dept,
                 dept[0] ? "\"" : "", scope, TEST_PASSWORD),
             &r);
    expect_status(&r, 201);
    response_free(&r);
    login_ok(s, name, TEST_PASSWORD, sess);
}

int
otp_from_log(const struct server *s, const char *masked, char *code)
{
    FILE *f = fopen(s->log_path, "r");
    char line[2048], want[64];
    int found = -1;
    if (!f)
        return -1;
    snprintf(want, sizeof(want), " for %s ", masked);
    while (fgets(line, sizeof(line), f)) {
        const char *at = strstr(line, "one-time code ");
        if (!at || !strstr(line, want))
            continue;
        at += strlen("one-time code ");
        if (strspn(at, "0123456789") == 6) {
            memcpy(code, at, 6);
            code[6] = '\0';
            found = 0;
        }
    }
    fclose(f);
    return found;
}

void
otp_for(const struct server *s, const char *phone, char *code)
{
    struct response r = {0};
    char masked[16];
    api_call(s, NULL, "POST", "/api/v1/citizen/otp",
             fmt("{\"phone\":\"%s\"}", phone), &r);
    expect_status(&r, 202);
    snprintf(masked, sizeof(masked), "%.3s****%s", phone, phone + 7);
    assert_string_equal(resp_str(&r, "phone_masked"), masked);
    response_free(&r);
    if (otp_from_log(s, masked, code) != 0)
        fail_msg("no one-time code for %s in %s", masked, s->log_path);
}

void
citizen_login(const struct server *s, const char *phone, struct client *sess)
{
    struct response r = {0};
    char code[8];
    otp_for(s, phone, code);
    api_call(s, NULL, "POST", "/api/v1/citizen/session",
             fmt("{\"phone\":\"%s\",\"code\":\"%s\"}", phone, code), &r);
    expect_status(&r, 201);
    session_from_login(&r, "citizen", sess);
    response_free(&r);
}

/* ---- assertions ---- */

static void
show(const struct response *r)
{
    print_error("  %s -> %ld\n  body: %.600s\n", r->what, r->status,
                r->body ? r->body : "(none)");
}

void
expect_status_(const struct response *r, long status, const char *file,
               int line)
{
    if (r->status == status)
        return;
    print_error("%s:%d: want status %ld\n", file, line, status);
    show(r);
    _fail(file, line);
}

const char *
error_mismatch(const struct response *r, long status, const char *code,
               const char *field)
{
    const char *got_code = resp_str(r, "error.code");
    json_t *f = resp_get(r, "error.field");
    const char *rid = resp_str(r, "request_id");
    const char *hrid = resp_header(r, "X-Request-Id");
    const char *msg = resp_str(r, "error.message");
    const char *msg_zh = resp_str(r, "error.message_zh");

    if (r->status != status)
        return "status";
    if (!r->json)
        return "a JSON body";
    if (!got_code || strcmp(got_code, code) != 0)
        return "error.code";
    if (!msg || !*msg)
        return "a non-empty error.message";
    if (!msg_zh || !*msg_zh)
        return "a non-empty error.message_zh";
    if (!rid || !hrid || !*rid || strcmp(rid, hrid) != 0)
        return "request_id equal to the X-Request-Id header";
    if (field && strcmp(field, "*") == 0)
        return NULL;
    if (field &&
        (!json_is_string(f) || strcmp(json_string_value(f), field) != 0))
        return "error.field";
    if (!field && f && !json_is_null(f))
        return "error.field null";
    return NULL;
}

void
expect_error_(const struct response *r, long status, const char *code,
              const char *field, const char *file, int line)
{
    const char *why = error_mismatch(r, status, code, field);
    if (!why)
        return;
    print_error("%s:%d: want %s: %ld %s field %s\n", file, line, why, status,
                code, field ? field : "(null)");
    show(r);
    _fail(file, line);
}

void
calls_expect_(const struct server *s, const struct call_want *t, size_t n,
              const char *file, int line)
{
    for (size_t i = 0; i < n; i++) {
        struct response r = {0};
        api_call(s, t[i].sess, t[i].method, t[i].path, t[i].body, &r);
        const char *why = t[i].code ? error_mismatch(&r, t[i].status,
                                                     t[i].code, t[i].field)
                                    : (r.status != t[i].status ? "status"
                                                               : NULL);
        if (why) {
            print_error("%s:%d: call %zu, %s %s: want %s: %ld %s field %s\n",
                        file, line, i, t[i].method, t[i].path, why,
                        t[i].status, t[i].code ? t[i].code : "(none)",
                        t[i].field ? t[i].field : "(null)");
            show(&r);
            response_free(&r);
            _fail(file, line);
        }
        response_free(&r);
    }
}

/* ---- the store ---- */

struct store *
harness_store_open(const char *url)
{
    struct store *st = NULL;
    if (store_open(url, 2, &st) != DD_OK)
        return NULL;
    return st;
}

const char *
fmt(const char *f, ...)
{
    static char bufs[8][8192];
    static int next;
    char *b = bufs[next++ % 8];
    va_list ap;
    va_start(ap, f);
    vsnprintf(b, sizeof(bufs[0]), f, ap);
    va_end(ap);
    return b;
}

const char *
idnum_in(const char *county, const char *birth, int seq)
{
    char first17[24];
    snprintf(first17, sizeof(first17), "%.6s%.8s%03d", county, birth,
             (seq % 1000 + 1000) % 1000);
    return fmt("%s%c", first17, idcard_check_char(first17));
}

void
idnums_in(const char *county, ...)
{
    va_list ap;
    va_start(ap, county);
    for (char *out; (out = va_arg(ap, char *)) != NULL;) {
        const char *birth = va_arg(ap, const char *);
        int seq = va_arg(ap, int);
        snprintf(out, 19, "%s", idnum_in(county, birth, seq));
    }
    va_end(ap);
}

const char *
jstr(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

long long
jint(json_t *o, const char *key)
{
    return (long long)json_integer_value(json_object_get(o, key));
}

json_t *
item_at(const struct response *r, const char *path, size_t i)
{
    json_t *a = resp_get(r, path);
    assert_true(json_is_array(a));
    return json_array_get(a, i);
}
