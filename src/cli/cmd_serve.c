/* SPDX-License-Identifier: MIT */
/* `doudi serve` and `doudi demo`. The server blocks SIGTERM, SIGINT and
 * SIGHUP in every thread and waits for them in the main one; on SIGHUP it
 * reads the holiday calendar anew, on either of the others it stops
 * accepting, lets in-flight requests finish, and exits. */
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "accounts/accounts.h"
#include "api/api.h"
#include "audit/audit.h"
#include "cli/cli.h"
#include "core/log.h"
#include "core/str.h"
#include "http/server.h"

#define ARENA_CAP_EXTRA (8u << 20) /* per-request memory beyond the body */
#define DRAIN_TIMEOUT_MS 30000

int
cli_serve_store(const struct config *cfg, struct store *st)
{
    struct api *api;
    struct http_server *srv;
    sigset_t set;
    int sig, version;

    if (store_schema_version(st, &version) != DD_OK || version == 0) {
        fprintf(stderr, "doudi: the database has no schema; run `doudi "
                        "init` first\n");
        return 1;
    }
    enum dd_status rc = api_new(st, cfg, &api);
    if (rc != DD_OK) {
        fprintf(stderr, "doudi: cannot start the API: %s\n",
                dd_status_name(rc));
        return 1;
    }
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct http_server_config hc = {
        .listen = cfg->listen,
        .threads = cfg->threads,
        .body_limit = (size_t)cfg->body_limit,
        .upload_limit = (size_t)cfg->upload_limit,
        .connection_limit = cfg->connection_limit,
        .connections_per_address = cfg->connections_per_address,
        .read_timeout_s = cfg->read_timeout_s,
        .heavy_workers = cfg->heavy_workers,
        .heavy_queue = cfg->heavy_queue,
        .trusted_proxy = cfg->trusted_proxy,
        .arena_cap = (size_t)cfg->body_limit + ARENA_CAP_EXTRA,
        .web_dir = cfg->web_dir,
        .handler = api_handle,
        .ctx = api,
        .takes_upload = api_takes_upload,
    };
    rc = http_server_start(&hc, &srv);
    if (rc != DD_OK) {
        fprintf(stderr,
                "doudi: cannot listen on %s (in use, or not an "
                "IPv4 address:port)\n",
                cfg->listen);
        api_free(api);
        return 1;
    }
    log_info("serving on %s with %d threads (%s store)", cfg->listen,
             cfg->threads, store_backend(st));
    printf("Doudi is serving on http://%s/\n", cfg->listen);
    fflush(stdout);
    /* SIGHUP: the holiday calendar read anew (`doudi calendar load` by
     * another process; systemctl reload) */
    while (sigwait(&set, &sig) == 0 && sig == SIGHUP) {
        rc = api_calendar_reload(api);
        if (rc == DD_OK)
            log_info("SIGHUP: the holiday calendar read anew");
        else
            log_error("SIGHUP: cannot read the holiday calendar (%s); the "
                      "one served stays",
                      dd_status_name(rc));
    }
    log_info("signal %d: finishing in-flight requests", sig);
    http_server_stop(srv, DRAIN_TIMEOUT_MS);
    api_free(api);
    log_info("stopped");
    return 0;
}

int
cli_serve(int argc, char **argv)
{
    struct config cfg;
    struct store *st;
    int check_only = 0;
    int go = cli_settings(
        &argc, argv,
        "usage: doudi serve [--check-config] [settings]\n\n"
        "Serves the JSON API under /api/v1, /healthz and /metrics.\n"
        "--check-config validates the settings, prints them and "
        "exits.\n\n",
        &cfg);
    if (go != CLI_GO)
        return go;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--check-config") == 0) {
            check_only = 1;
        } else {
            fprintf(stderr, "doudi serve: unknown option '%s'\n", argv[i]);
            return 2;
        }
    }
    if (check_only) {
        config_print(&cfg, stdout);
        printf("configuration: ok\n");
        return 0;
    }
    if (cli_open(&cfg, &st))
        return 1;
    int rc = cli_serve_store(&cfg, st);
    store_close(st);
    return rc;
}

/* The demo accounts of the issue: one of each role around 渝中区 and
 * 万州区. */
static const struct {
    const char *username, *display_name, *role, *department, *scope;
} demo_users[] = {
    {"city", "市民政局 督导", "city_supervisor", "", "50"},
    {"auditor", "市纪检审计", "auditor", "", "50"},
    {"county.500103", "渝中区民政局", "county_officer", "", "500103"},
    {"county.500101", "万州区民政局", "county_officer", "", "500101"},
    {"clerk.500103001", "七星岗街道 窗口", "town_clerk", "", "500103001"},
    {"reviewer.500103001", "七星岗街道 审核", "town_reviewer", "", "500103001"},
    {"clerk.500101001", "高笋塘街道 窗口", "town_clerk", "", "500101001"},
    {"reviewer.500101001", "高笋塘街道 审核", "town_reviewer", "", "500101001"},
    {"assistant.500103001003", "华一坡社区 协理员", "village_assistant", "",
     "500103001003"},
    {"medical.500103", "渝中区医保局", "dept_officer", "medical", "500103"},
    {"payments.500103", "渝中区民政局 资金发放", "payments_officer", "", "500103"},
    /* the other two of a batch's three people (cases/payments.h: the
     * builder, a checker, an approver who is neither), and 万州区's */
    {"checker.500103", "渝中区民政局 发放复核", "payments_officer", "", "500103"},
    {"approver.500103", "渝中区民政局 发放审批", "payments_officer", "",
     "500103"},
    {"payments.500101", "万州区民政局 资金发放", "payments_officer", "", "500101"},
    {"checker.500101", "万州区民政局 发放复核", "payments_officer", "", "500101"},
    {"approver.500101", "万州区民政局 发放审批", "payments_officer", "",
     "500101"},
};

static int
create_demo_users(struct store *st, const char *password)
{
    struct store_tx *tx = NULL;
    struct dd_error err = {0};
    enum dd_status rc = store_tx_begin(st, STORE_WRITE, &tx);
    for (size_t i = 0;
         rc == DD_OK && i < sizeof(demo_users) / sizeof(demo_users[0]); i++) {
        struct user u = {0};
        str_copy(u.username, sizeof(u.username), demo_users[i].username);
        str_copy(u.display_name, sizeof(u.display_name),
                 demo_users[i].display_name);
        str_copy(u.role, sizeof(u.role), demo_users[i].role);
        str_copy(u.department, sizeof(u.department), demo_users[i].department);
        str_copy(u.scope, sizeof(u.scope), demo_users[i].scope);
        rc = cli_user_create(tx, &u, password, "{\"source\":\"demo\"}", &err);
    }
    rc = store_tx_end(tx, rc);
    if (rc != DD_OK) {
        fprintf(stderr, "doudi demo: cannot create the demo users: %s\n",
                err.message ? err.message : dd_status_name(rc));
        return -1;
    }
    return 0;
}

int
cli_demo(int argc, char **argv)
{
    struct config cfg;
    struct store *st;
    char pw[128];
    int go = cli_settings(
        &argc, argv,
        "usage: doudi demo [settings]\n\n"
        "Creates a FRESH database (erasing the one named by --db), "
        "loads the\nreference data, creates the demo users with one "
        "password\n(DOUDI_DEMO_PASSWORD, or a random one it prints), "
        "generates demo-households\nsynthetic households (default "
        "20,000), then serves.\n\n",
        &cfg);
    if (go != CLI_GO)
        return go;
    if (argc > 1) {
        fprintf(stderr, "doudi demo: unknown option '%s'\n", argv[1]);
        return 2;
    }
    if (strncmp(cfg.db, "sqlite:", 7) == 0) {
        const char *path = cfg.db + 7;
        char p[600];
        unlink(path);
        if (snprintf(p, sizeof(p), "%s-wal", path) < (int)sizeof(p))
            unlink(p);
        if (snprintf(p, sizeof(p), "%s-shm", path) < (int)sizeof(p))
            unlink(p);
    }
    if (cli_open(&cfg, &st))
        return 1;
    if (store_wipe(st) != DD_OK) {
        fprintf(stderr, "doudi demo: cannot empty the database\n");
        store_close(st);
        return 1;
    }
    if (cfg.demo_password[0])
        str_copy(pw, sizeof(pw), cfg.demo_password);
    else
        cli_random_password(pw);
    if (cli_setup(&cfg, st, pw, 1) || create_demo_users(st, pw)) {
        store_close(st);
        return 1;
    }
    if (cfg.demo_households > 0) {
        /* seed 1, ages on the generator's default date: the same demo
         * population every time; batched commits keep this to seconds */
        uint64_t persons = 0;
        double secs = 0;
        printf("generating %d demo households ...\n", cfg.demo_households);
        fflush(stdout);
        /* and, seed 2, those the demo's cases apply for in its two
         * townships: spread over all of Chongqing's villages, a small
         * population leaves them too few (issue 12) */
        if (cli_gen_store(&cfg, st, (uint64_t)cfg.demo_households, 1, NULL,
                          2025, 7, 1, &persons, &secs) ||
            cli_gen_store(&cfg, st, CLI_DEMO_TOWN_HOUSEHOLDS, 2,
                          cli_demo_townships, 2025, 7, 1, NULL, NULL)) {
            store_close(st);
            return 1;
        }
        printf("%d households, %llu persons in %.1f s; %d more in the demo "
               "cases' townships\n",
               cfg.demo_households, (unsigned long long)persons, secs,
               CLI_DEMO_TOWN_HOUSEHOLDS);
        if (cli_demo_payments(&cfg, st)) {
            store_close(st);
            return 1;
        }
    }
    printf("\n兜底 Doudi demo: http://%s/\n\n"
           "Demo logins (all with password %s):\n"
           "  %-24s %s\n",
           cfg.listen, pw, "admin", "sysadmin (系统管理员)");
    for (size_t i = 0; i < sizeof(demo_users) / sizeof(demo_users[0]); i++)
        printf("  %-24s %s (%s)\n", demo_users[i].username, demo_users[i].role,
               demo_users[i].display_name);
    printf("\n");
    /* the cases need households to apply for: none with none generated */
    if (cfg.demo_households > 0 && cli_demo_cases_start(&cfg, pw) != 0)
        fprintf(stderr, "doudi demo: cannot start the demo cases\n");
    sodium_memzero(pw, sizeof(pw));
    /* demo mode: citizens' one-time codes may go to the log */
    cfg.demo_mode = 1;
    int rc = cli_serve_store(&cfg, st);
    store_close(st);
    return rc;
}
