/* SPDX-License-Identifier: MIT */
/* libmicrohttpd glue. The access handler never queues a response on the
 * first call for a request: on 0.9.75 that closes keep-alive connections
 * (measured, architecture.md). It reads the body on the following calls
 * and replies on the last.
 *
 * Heavy requests (exports, KPI reports, imports: ROUTE_HEAVY) must not
 * run on libmicrohttpd's threads: each thread serves every connection
 * epoll gave it, so one export of a city stalls /healthz and every other
 * request that landed on its thread (four parallel exports took health
 * probes from 3 ms to 1.8 s). http_defer suspends the connection and
 * hands the handler to the heavy pool (heavy.c), which has its own
 * threads and a bound on admissions; a worker replies and resumes the
 * connection, and libmicrohttpd's thread sends the reply. A semaphore
 * around handlers run on libmicrohttpd's threads would bound the work
 * but still stall the connections sharing the thread of each one. */
#include "http/server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/config.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "http/heavy.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/static.h"

struct http_server {
    struct MHD_Daemon *daemon;
    struct http_server_config cfg;
    struct http_static *web; /* the built UI, or NULL */
    struct heavy_pool *heavy;
    unsigned char proxies[CONFIG_MAX_PROXIES][16]; /* trusted-proxy */
    int nproxies;
    _Atomic int in_flight;
    int port;
};

/* Seconds a client is told to wait when the heavy pool is full: about
 * what a county's export takes. */
#define HEAVY_RETRY_AFTER "5"

static _Atomic uint64_t request_seq;
static unsigned request_prefix;

static const char *csp =
    "default-src 'self'; img-src 'self' data:; style-src 'self' "
    "'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'";

/* addr (IPv4, or IPv6) as 16 bytes, IPv4 as IPv4-mapped IPv6 as
 * config_addresses gives them; 0, or -1 for another family. */
static int
addr_bytes(const struct sockaddr *sa, unsigned char out[16])
{
    if (sa->sa_family == AF_INET) {
        memset(out, 0, 10);
        memset(out + 10, 0xff, 2);
        memcpy(out + 12,
               &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
        return 0;
    }
    if (sa->sa_family == AF_INET6) {
        memcpy(out, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
               16);
        return 0;
    }
    return -1;
}

static int
trusted(const struct http_server *srv, const unsigned char a[16])
{
    for (int i = 0; i < srv->nproxies; i++)
        if (memcmp(srv->proxies[i], a, 16) == 0)
            return 1;
    return 0;
}

/* a (16 bytes) as text: dotted IPv4 for IPv4-mapped ones. */
static void
addr_text(const unsigned char a[16], char *out, size_t len)
{
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0,    0,
                                             0, 0, 0, 0, 0xff, 0xff};
    if (memcmp(a, mapped, 12) == 0)
        inet_ntop(AF_INET, a + 12, out, (socklen_t)len);
    else
        inet_ntop(AF_INET6, a, out, (socklen_t)len);
}

/* The address in the right-most entry of X-Forwarded-For that is not a
 * trusted proxy into out; 0, or -1 when an entry met before it is no
 * address. Each proxy appends the address it received from, so entries
 * left of the last trusted one were written by the client and prove
 * nothing. */
static int
forwarded_for(const struct http_server *srv, const char *xff,
              unsigned char out[16])
{
    size_t end = strlen(xff);
    while (end > 0) {
        size_t start = end;
        while (start > 0 && xff[start - 1] != ',')
            start--;
        char item[INET6_ADDRSTRLEN + 8]; /* spaces around it */
        if (end - start >= sizeof(item))
            return -1;
        memcpy(item, xff + start, end - start);
        item[end - start] = '\0';
        if (config_addresses(item, (unsigned char(*)[16])out, 1) != 1)
            return -1;
        if (!trusted(srv, out))
            return 0;
        end = start > 0 ? start - 1 : 0;
    }
    return -1;
}

/* The client's address: the peer's, or when the peer is a trusted proxy
 * the one its X-Forwarded-For names (forwarded_for). No one else's
 * X-Forwarded-For is believed: anyone can send one. */
static void
client_address(const struct http_server *srv, struct MHD_Connection *conn,
               char *out, size_t len)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    unsigned char a[16], fwd[16];
    out[0] = '\0';
    if (!ci || !ci->client_addr || addr_bytes(ci->client_addr, a) != 0)
        return;
    if (trusted(srv, a)) {
        const char *xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                      "X-Forwarded-For");
        if (xff && forwarded_for(srv, xff, fwd) == 0)
            memcpy(a, fwd, sizeof(a));
    }
    addr_text(a, out, len);
}

static struct http_request *
request_new(struct http_server *srv, struct MHD_Connection *conn,
            const char *url, const char *method)
{
    struct arena *a = arena_new(srv->cfg.arena_cap);
    if (!a)
        return NULL;
    struct http_request *req = arena_alloc(a, sizeof(*req));
    if (!req) {
        arena_free(a);
        return NULL;
    }
    req->arena = a;
    req->conn = conn;
    req->server = srv;
    req->method = arena_strdup(a, method);
    req->path = arena_strdup(a, url);
    req->start_us = time_mono_us();
    req->metrics_slot = -1;
    req->resp_fd = -1;
    buf_init(&req->body, srv->cfg.body_limit);
    snprintf(req->request_id, sizeof(req->request_id), "%08x-%012llx",
             request_prefix,
             (unsigned long long)atomic_fetch_add(&request_seq, 1) + 1);
    client_address(srv, conn, req->client_addr, sizeof(req->client_addr));
    return req;
}

static void
too_big(struct http_request *req)
{
    struct dd_error err = {"BODY_TOO_LARGE", NULL,
                           "the request body is larger than the limit",
                           "请求内容超过大小限制"};
    http_reply_error(req, 413, &err);
}

/* A 500 for a handler that made no reply. */
static void
no_reply(struct http_request *req)
{
    if (req->replied)
        return;
    struct dd_error err = {"INTERNAL", NULL, "the server made no reply",
                           "服务器没有生成响应"};
    http_reply_error(req, 500, &err);
}

static enum MHD_Result
send_reply(struct MHD_Connection *conn, struct http_request *req)
{
    /* a file reply: libmicrohttpd closes the copy it is given when the
     * response is destroyed; the request's own fd is its owner's */
    int fd = req->resp_fd >= 0 ? dup(req->resp_fd) : -1;
    struct MHD_Response *resp =
        req->resp_fd >= 0
            ? (fd < 0 ? NULL
                      : MHD_create_response_from_fd64(req->resp_len, fd))
            : MHD_create_response_from_buffer(
                  req->resp_len, (void *)(uintptr_t)req->resp_body,
                  MHD_RESPMEM_PERSISTENT);
    if (!resp && fd >= 0)
        close(fd);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type",
                            req->content_type ? req->content_type
                                              : "text/plain; charset=utf-8");
    MHD_add_response_header(resp, "X-Request-Id", req->request_id);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Content-Security-Policy", csp);
    int has_cache = 0;
    for (size_t i = 0; i < req->resp_header_count; i++) {
        MHD_add_response_header(resp, req->resp_headers[i][0],
                                req->resp_headers[i][1]);
        if (strcasecmp(req->resp_headers[i][0], "Cache-Control") == 0)
            has_cache = 1;
    }
    if (!has_cache)
        MHD_add_response_header(resp, "Cache-Control", "no-store");
    enum MHD_Result ret =
        MHD_queue_response(conn, (unsigned)req->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result
access_handler(void *cls, struct MHD_Connection *conn, const char *url,
               const char *method, const char *version,
               const char *upload_data, size_t *upload_data_size,
               void **con_cls)
{
    struct http_server *srv = cls;
    struct http_request *req = *con_cls;
    (void)version;

    if (!req) {
        req = request_new(srv, conn, url, method);
        if (!req)
            return MHD_NO;
        *con_cls = req;
        atomic_fetch_add(&srv->in_flight, 1);
        size_t limit = srv->cfg.body_limit;
        if (srv->cfg.takes_upload && srv->cfg.takes_upload(req, srv->cfg.ctx))
            limit = srv->cfg.upload_limit;
        buf_init(&req->body, limit);
        const char *cl =
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                        "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > limit)
            req->body_too_big = 1;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!req->body_too_big &&
            buf_append(&req->body, upload_data, *upload_data_size) != DD_OK)
            req->body_too_big = 1;
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (req->deferred) /* resumed: a heavy worker has replied */
        return send_reply(conn, req);
    log_set_request_id(req->request_id);
    if (req->body_too_big)
        too_big(req);
    else if (srv->web && http_static_wants(req))
        http_static_serve(srv->web, req);
    else
        srv->cfg.handler(req, srv->cfg.ctx);
    log_set_request_id(NULL);
    if (req->deferred) /* suspended; the worker may be replying now */
        return MHD_YES;
    no_reply(req);
    return send_reply(conn, req);
}

static void
run_deferred(void *arg)
{
    struct http_request *req = arg;
    log_set_request_id(req->request_id);
    req->deferred(req);
    log_set_request_id(NULL);
    no_reply(req);
    MHD_resume_connection(req->conn);
}

void
http_defer(struct http_request *req, void (*fn)(struct http_request *req))
{
    struct http_server *srv = req->server;
    if (heavy_pool_admit(srv->heavy) != 0) {
        struct dd_error err = {
            "SERVER_BUSY", NULL,
            "the server is busy with other exports, reports or imports; "
            "try again in a few seconds",
            "服务器正忙于其他导出、统计或导入，请稍后重试"};
        /* a fresh request's header table has room */
        enum dd_status hrc =
            http_set_header(req, "Retry-After", HEAVY_RETRY_AFTER);
        (void)hrc;
        metrics_heavy(0);
        http_reply_error(req, 503, &err);
        return;
    }
    metrics_heavy(1);
    req->deferred = fn;
    /* before the push: a worker could resume it first, and a resume
     * before the suspend is lost */
    MHD_suspend_connection(req->conn);
    heavy_pool_push(srv->heavy, run_deferred, req);
}

/* Appends ,"name":"value" (or null) to line. */
static size_t
field(char *line, size_t pos, size_t cap, const char *name, const char *value)
{
    pos += (size_t)snprintf(line + pos, cap - pos, ",\"%s\":", name);
    if (pos >= cap - 8)
        return cap - 8;
    if (!value)
        return pos + (size_t)snprintf(line + pos, cap - pos, "null");
    line[pos++] = '"';
    pos = log_json_escape(line, pos, cap - 8, value);
    line[pos++] = '"';
    return pos;
}

/* One JSON line per request. The path, never the query string: queries
 * may carry personal data. */
static void
access_log(struct http_request *req, uint64_t dur_us, int completed_ok)
{
    static _Thread_local int64_t ts_second = -1;
    static _Thread_local char ts[32];
    char line[2048];
    int64_t now = time_now();
    if (now != ts_second) {
        time_iso8601(now, ts, sizeof(ts));
        ts_second = now;
    }
    size_t pos = (size_t)snprintf(
        line, sizeof(line),
        "{\"ts\":\"%s\",\"level\":\"info\",\"type\":\"access\","
        "\"request_id\":\"%s\",\"status\":%d,\"bytes\":%zu,"
        "\"duration_us\":%llu,\"completed\":%s",
        ts, req->request_id, req->status, req->resp_len,
        (unsigned long long)dur_us, completed_ok ? "true" : "false");
    pos = field(line, pos, sizeof(line), "method", req->method);
    pos = field(line, pos, sizeof(line), "path", req->path);
    pos = field(line, pos, sizeof(line), "route",
                req->route ? req->route->pattern : NULL);
    pos = field(line, pos, sizeof(line), "actor", req->actor);
    pos = field(line, pos, sizeof(line), "client", req->client_addr);
    line[pos++] = '}';
    line[pos] = '\0';
    log_json_line(line);
}

static void
completed(void *cls, struct MHD_Connection *conn, void **con_cls,
          enum MHD_RequestTerminationCode toe)
{
    struct http_server *srv = cls;
    struct http_request *req = *con_cls;
    (void)conn;
    if (!req)
        return;
    uint64_t dur = time_mono_us() - req->start_us;
    metrics_observe(req->metrics_slot, req->status, dur);
    access_log(req, dur, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK);
    if (req->deferred) {
        heavy_pool_release(srv->heavy);
        metrics_heavy(-1);
    }
    buf_free(&req->body);
    arena_free(req->arena);
    *con_cls = NULL;
    atomic_fetch_sub(&srv->in_flight, 1);
}

static enum dd_status
parse_listen(const char *listen, struct sockaddr_in *sa)
{
    const char *colon = strrchr(listen, ':');
    if (!colon)
        return DD_EINVAL;
    char host[64];
    size_t n = (size_t)(colon - listen);
    if (n >= sizeof(host))
        return DD_EINVAL;
    memcpy(host, listen, n);
    host[n] = '\0';
    if (strcmp(host, "localhost") == 0)
        memcpy(host, "127.0.0.1", 10);
    memset(sa, 0, sizeof(*sa));
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)strtoul(colon + 1, NULL, 10));
    if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
        return DD_EINVAL;
    return DD_OK;
}

/* libmicrohttpd's messages as warnings. It writes one for every refused
 * connection, so a flood of connections would flood the log: a message
 * repeated within the same second is counted, and the count written with
 * the next message that differs or comes later. */
static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
    static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    static char last[512];
    static uint64_t last_s;
    static unsigned repeats;
    char msg[512];
    (void)cls;
    vsnprintf(msg, sizeof(msg), fmt, ap);
    size_t n = strlen(msg);
    if (n && msg[n - 1] == '\n')
        msg[n - 1] = '\0';
    uint64_t now_s = time_mono_us() / 1000000;
    pthread_mutex_lock(&mu);
    if (now_s == last_s && strcmp(msg, last) == 0) {
        repeats++;
        pthread_mutex_unlock(&mu);
        return;
    }
    unsigned skipped = repeats;
    repeats = 0;
    last_s = now_s;
    memcpy(last, msg, sizeof(last));
    pthread_mutex_unlock(&mu);
    if (skipped)
        log_warn("libmicrohttpd: the message before came %u more times",
                 skipped);
    log_warn("libmicrohttpd: %s", msg);
}

enum dd_status
http_server_start(const struct http_server_config *cfg,
                  struct http_server **out)
{
    struct sockaddr_in sa;
    if (parse_listen(cfg->listen, &sa) != DD_OK)
        return DD_EINVAL;
    struct http_server *srv = calloc(1, sizeof(*srv));
    if (!srv)
        return DD_ENOMEM;
    srv->cfg = *cfg;
    if (cfg->web_dir && *cfg->web_dir) {
        enum dd_status wrc = http_static_open(cfg->web_dir, &srv->web);
        if (wrc == DD_OK)
            log_info("serving the web UI from %s", http_static_dir(srv->web));
        else if (wrc == DD_ENOTFOUND)
            log_warn("no web UI at %s (run make to build web/dist)",
                     cfg->web_dir);
        else {
            free(srv);
            return wrc;
        }
    }
    request_prefix = (unsigned)getpid() ^ (unsigned)time(NULL);
    srv->nproxies =
        config_addresses(cfg->trusted_proxy ? cfg->trusted_proxy : "",
                         srv->proxies, CONFIG_MAX_PROXIES);
    enum dd_status rc = srv->nproxies < 0 ? DD_EINVAL : DD_OK;
    if (rc == DD_OK)
        rc = heavy_pool_new(cfg->heavy_workers, cfg->heavy_queue, &srv->heavy);
    /* epoll, not select(): thousands of connections pass FD_SETSIZE
     * (1024). The per-address cap counts peers: behind a proxy, its own
     * address (operations.md). */
    if (rc == DD_OK)
        srv->daemon = MHD_start_daemon(
            MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG |
                MHD_ALLOW_SUSPEND_RESUME,
            0, NULL, NULL, access_handler, srv,
            MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
            MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
            MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
            MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->connection_limit,
            MHD_OPTION_PER_IP_CONNECTION_LIMIT,
            (unsigned)cfg->connections_per_address,
            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->read_timeout_s,
            MHD_OPTION_NOTIFY_COMPLETED, completed, srv,
            MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
            MHD_OPTION_END);
    if (rc != DD_OK || !srv->daemon) {
        heavy_pool_free(srv->heavy);
        http_static_free(srv->web);
        free(srv);
        return rc != DD_OK ? rc : DD_EINVAL;
    }
    const union MHD_DaemonInfo *di =
        MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = di ? di->port : ntohs(sa.sin_port);
    *out = srv;
    return DD_OK;
}

int
http_server_port(const struct http_server *srv)
{
    return srv->port;
}

void
http_server_stop(struct http_server *srv, int timeout_ms)
{
    if (!srv)
        return;
    /* no new connections; the listening socket stays open until the
     * daemon is stopped: its threads take it out of their epoll sets
     * only later, and closing it first had one of them abort ("Failed
     * to remove listen FD from epoll set"; the MHD manual: not closed
     * until after MHD_stop_daemon) */
    MHD_socket s = MHD_quiesce_daemon(srv->daemon);
    for (int waited = 0; atomic_load(&srv->in_flight) > 0 &&
                         waited < timeout_ms;
         waited += 10) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    /* the workers finish what they hold and resume its connections;
     * then the daemon closes every connection */
    heavy_pool_free(srv->heavy);
    MHD_stop_daemon(srv->daemon);
    if (s != MHD_INVALID_SOCKET)
        close(s);
    http_static_free(srv->web);
    free(srv);
}
