/* SPDX-License-Identifier: MIT */
/* The settings table and config_load: defaults, then the config file, the
 * DOUDI_* environment and the flags, each overriding the one before;
 * bounds, types and the cross-checks (db scheme, listen, log level); and
 * flags being consumed from argv. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "text_file.h"

#include "unit_main.h"

#include "core/config.h"

static void
clear_env(void)
{
    for (size_t i = 0; i < config_settings_count; i++)
        unsetenv(config_settings[i].env);
}

static int
setup(void **state)
{
    (void)state;
    clear_env();
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    clear_env();
    return 0;
}

/* Writes text to a fresh temporary file; returns its path (static). */
static const char *
temp_file(const char *text)
{
    return text_temp_named("config", text);
}

/* config_load with argv given as a NULL-terminated list (copied, so that
 * the caller can inspect what is left). */
struct args {
    int argc;
    char *argv[16];
};

static enum dd_status
load(struct config *cfg, struct args *a, struct dd_error *err,
     const char *const *argv)
{
    a->argc = 0;
    for (; *argv && a->argc < 15; argv++)
        a->argv[a->argc++] = (char *)*argv;
    a->argv[a->argc] = NULL;
    memset(err, 0, sizeof(*err));
    return config_load(cfg, &a->argc, a->argv, err);
}

#define ARGV(...) ((const char *const[]){"doudi", __VA_ARGS__, NULL})
#define NOARGS ((const char *const[]){"doudi", NULL})

TEST_CASE(test_defaults)
{
    struct config c;
    struct args a;
    struct dd_error e;
    assert_int_equal(load(&c, &a, &e, NOARGS), DD_OK);
    assert_string_equal(c.db, "sqlite:./data/doudi.db");
    assert_string_equal(c.listen, "127.0.0.1:8080");
    assert_int_equal(c.threads, 2);
    assert_int_equal(c.db_pool, 0); /* threads + heavy-workers */
    assert_int_equal(c.body_limit, 1048576);
    assert_string_equal(c.key_file, "./data/doudi.key");
    assert_string_equal(c.data_dir, "./data");
    assert_string_equal(c.web_dir, "./web/dist");
    assert_string_equal(c.log_level, "info");
    assert_int_equal(c.session_idle_s, 1800);
    assert_int_equal(c.session_max_s, 43200);
    assert_int_equal(c.lockout_failures, 5);
    assert_int_equal(c.lockout_s, 900);
    assert_int_equal(c.connection_limit, 4096);
    assert_int_equal(c.login_rate_per_min, 60);
    assert_int_equal(c.calculator_rate_per_min, 30);
    assert_string_equal(c.demo_password, "");
    assert_int_equal(c.otp_ttl_s, 300);
    assert_int_equal(c.otp_attempts, 5);
    assert_int_equal(c.otp_phone_rate_per_hour, 5);
    assert_int_equal(c.otp_address_rate_per_hour, 30);
    assert_string_equal(c.otp_sender, "");
    assert_int_equal(c.citizen_session_s, 1800);
    assert_int_equal(c.demo_mode, 0); /* only `doudi demo` sets it */
    assert_string_equal(c.config_file, "");
    assert_int_equal(a.argc, 1);

    /* argc NULL: no flags at all */
    assert_int_equal(config_load(&c, NULL, NULL, &e), DD_OK);
    assert_int_equal(c.threads, 2);
}

/* Every row: a unique name, env = DOUDI_ + NAME with '-' as '_', a
 * default within its own bounds, and a line of documentation. */
TEST_CASE(test_table_rows)
{
    assert_int_equal(config_settings_count, 53);
    for (size_t i = 0; i < config_settings_count; i++) {
        const struct config_setting *s = &config_settings[i];
        char want[64] = "DOUDI_";
        size_t n = strlen(s->name);
        assert_true(n < sizeof(want) - 7);
        for (size_t k = 0; k < n; k++)
            want[6 + k] = s->name[k] == '-' ? '_'
                                            : (char)(s->name[k] - 'a' + 'A');
        want[6 + n] = '\0';
        assert_string_equal(s->env, want);
        assert_non_null(s->doc);
        assert_true(strlen(s->doc) > 0);
        for (size_t j = i + 1; j < config_settings_count; j++)
            assert_string_not_equal(s->name, config_settings[j].name);
        if (s->type == CONFIG_INT) {
            long long d = strtoll(s->def, NULL, 10);
            assert_true(d >= s->min && d <= s->max);
        } else {
            assert_true((int64_t)s->size > s->max);
        }
    }
}

/* setenv of each "NAME=value" that follows, NULL after the last. */
static void
envs_set(const char *first, ...)
{
    va_list ap;
    va_start(ap, first);
    for (const char *nv = first; nv != NULL; nv = va_arg(ap, const char *)) {
        char name[64];
        const char *eq = strchr(nv, '=');
        assert_non_null(eq);
        snprintf(name, sizeof(name), "%.*s", (int)(eq - nv), nv);
        assert_int_equal(setenv(name, eq + 1, 1), 0);
    }
    va_end(ap);
}

TEST_CASE(test_env_overrides_default)
{
    struct config c;
    struct args a;
    struct dd_error e;
    envs_set("DOUDI_THREADS=4", "DOUDI_DB=postgresql://doudi@db:5432/doudi",
             "DOUDI_BODY_LIMIT=2048", "DOUDI_LOG_LEVEL=warn", NULL);
    assert_int_equal(load(&c, &a, &e, NOARGS), DD_OK);
    assert_int_equal(c.threads, 4);
    assert_string_equal(c.db, "postgresql://doudi@db:5432/doudi");
    assert_int_equal(c.body_limit, 2048);
    assert_string_equal(c.log_level, "warn");
    assert_string_equal(c.listen, "127.0.0.1:8080"); /* untouched */
}

TEST_CASE(test_flags_override_env)
{
    struct config c;
    struct args a;
    struct dd_error e;
    envs_set("DOUDI_THREADS=4", "DOUDI_LISTEN=127.0.0.1:9000", NULL);
    assert_int_equal(load(&c, &a, &e, ARGV("--threads=8")), DD_OK);
    assert_int_equal(c.threads, 8);
    assert_string_equal(c.listen, "127.0.0.1:9000");
    assert_int_equal(a.argc, 1);

    assert_int_equal(load(&c, &a, &e, ARGV("--threads", "16", "--listen",
                                           "0.0.0.0:81")),
                     DD_OK);
    assert_int_equal(c.threads, 16);
    assert_string_equal(c.listen, "0.0.0.0:81");
    assert_int_equal(a.argc, 1);
}

/* Recognised flags leave argv; everything else stays, in order. */
TEST_CASE(test_flags_consumed)
{
    struct config c;
    struct args a;
    struct dd_error e;
    assert_int_equal(load(&c, &a, &e,
                          ARGV("add", "--threads", "3", "alice",
                               "--db=sqlite:/tmp/x.db", "--role", "auditor",
                               "--check-config")),
                     DD_OK);
    assert_int_equal(c.threads, 3);
    assert_string_equal(c.db, "sqlite:/tmp/x.db");
    assert_int_equal(a.argc, 6);
    assert_string_equal(a.argv[0], "doudi");
    assert_string_equal(a.argv[1], "add");
    assert_string_equal(a.argv[2], "alice");
    assert_string_equal(a.argv[3], "--role");
    assert_string_equal(a.argv[4], "auditor");
    assert_string_equal(a.argv[5], "--check-config");

    /* a flag with no value left is not consumed */
    assert_int_equal(load(&c, &a, &e, ARGV("--threads")), DD_OK);
    assert_int_equal(c.threads, 2);
    assert_int_equal(a.argc, 2);
    assert_string_equal(a.argv[1], "--threads");

    /* a longer flag sharing the prefix is not the setting */
    assert_int_equal(load(&c, &a, &e, ARGV("--threadsx=9")), DD_OK);
    assert_int_equal(c.threads, 2);
    assert_int_equal(a.argc, 2);
}

static const char file_text[] =
    "# a Doudi config file\n"
    "\n"
    "threads = 3\n"
    "  listen=0.0.0.0:9000  \n"
    "log-level = debug\r\n"
    "session-idle = 600\n"
    "config = /nonexistent/ignored\n";

TEST_CASE(test_file_under_env_and_flags)
{
    struct config c;
    struct args a;
    struct dd_error e;
    const char *path = temp_file(file_text);

    setenv("DOUDI_CONFIG", path, 1);
    assert_int_equal(load(&c, &a, &e, NOARGS), DD_OK);
    assert_int_equal(c.threads, 3);
    assert_string_equal(c.listen, "0.0.0.0:9000");
    assert_string_equal(c.log_level, "debug");
    assert_int_equal(c.session_idle_s, 600);
    assert_string_equal(c.config_file, path);

    setenv("DOUDI_THREADS", "5", 1);
    assert_int_equal(load(&c, &a, &e, NOARGS), DD_OK);
    assert_int_equal(c.threads, 5);                  /* env over file */
    assert_string_equal(c.listen, "0.0.0.0:9000");   /* file over default */

    assert_int_equal(load(&c, &a, &e, ARGV("--threads=7", "--session-idle",
                                           "120")),
                     DD_OK);
    assert_int_equal(c.threads, 7);                  /* flag over env */
    assert_int_equal(c.session_idle_s, 120);         /* flag over file */
    assert_string_equal(c.log_level, "debug");

    /* --config names the file without the environment */
    unsetenv("DOUDI_CONFIG");
    unsetenv("DOUDI_THREADS");
    assert_int_equal(load(&c, &a, &e, ARGV("--config", path)), DD_OK);
    assert_int_equal(c.threads, 3);
    assert_int_equal(a.argc, 1);

    /* and the flag wins over DOUDI_CONFIG */
    setenv("DOUDI_CONFIG", "/nonexistent/doudi.conf", 1);
    assert_int_equal(load(&c, &a, &e, ARGV("--config=" "/dev/null")), DD_OK);
    assert_int_equal(c.threads, 2);
    char flag[96];
    snprintf(flag, sizeof(flag), "--config=%s", path);
    assert_int_equal(load(&c, &a, &e, ARGV(flag)), DD_OK);
    assert_int_equal(c.threads, 3);
    unlink(path);
}

TEST_CASE(test_file_errors)
{
    struct config c;
    struct args a;
    struct dd_error e;

    setenv("DOUDI_CONFIG", "/nonexistent/doudi.conf", 1);
    assert_int_equal(load(&c, &a, &e, NOARGS), DD_EINVAL);
    assert_string_equal(e.field, "config");
    assert_string_equal(e.code, "CONFIG_FILE_UNREADABLE");

    const char *path = temp_file("threads = 3\nthis line has no equals\n");
    setenv("DOUDI_CONFIG", path, 1);
    assert_int_equal(load(&c, &a, &e, NOARGS), DD_EINVAL);
    assert_string_equal(e.field, "config");
    assert_string_equal(e.code, "CONFIG_FILE_SYNTAX");
    unlink(path);

    path = temp_file("no-such-setting = 1\n");
    setenv("DOUDI_CONFIG", path, 1);
    assert_int_equal(load(&c, &a, &e, NOARGS), DD_EINVAL);
    assert_string_equal(e.code, "UNKNOWN_SETTING");
    unlink(path);

    path = temp_file("threads = 0\n");
    setenv("DOUDI_CONFIG", path, 1);
    assert_int_equal(load(&c, &a, &e, NOARGS), DD_EINVAL);
    assert_string_equal(e.field, "threads");
    assert_string_equal(e.code, "SETTING_OUT_OF_RANGE");
    unlink(path);
}

struct bad_case {
    const char *flag;
    const char *field;
    const char *code;
};

TEST_CASE(test_bad_values)
{
    static const struct bad_case cases[] = {
        {"--threads=0", "threads", "SETTING_OUT_OF_RANGE"},
        {"--threads=257", "threads", "SETTING_OUT_OF_RANGE"},
        {"--threads=-1", "threads", "SETTING_OUT_OF_RANGE"},
        {"--threads=two", "threads", "SETTING_NOT_INTEGER"},
        {"--threads=4x", "threads", "SETTING_NOT_INTEGER"},
        {"--threads=", "threads", "SETTING_NOT_INTEGER"},
        {"--threads=99999999999999999999", "threads", "SETTING_NOT_INTEGER"},
        {"--body-limit=1023", "body-limit", "SETTING_OUT_OF_RANGE"},
        {"--body-limit=268435457", "body-limit", "SETTING_OUT_OF_RANGE"},
        {"--session-idle=59", "session-idle", "SETTING_OUT_OF_RANGE"},
        {"--session-max=604801", "session-max", "SETTING_OUT_OF_RANGE"},
        {"--lockout-failures=0", "lockout-failures", "SETTING_OUT_OF_RANGE"},
        {"--connection-limit=15", "connection-limit",
         "SETTING_OUT_OF_RANGE"},
        {"--login-rate=100001", "login-rate", "SETTING_OUT_OF_RANGE"},
        {"--db=mysql://localhost/doudi", "db", "SETTING_NOT_ALLOWED"},
        {"--db=./data/doudi.db", "db", "SETTING_NOT_ALLOWED"},
        {"--db=", "db", "SETTING_NOT_ALLOWED"},
        {"--listen=8080", "listen", "SETTING_NOT_ALLOWED"},
        {"--listen=:8080", "listen", "SETTING_NOT_ALLOWED"},
        {"--listen=127.0.0.1:0", "listen", "SETTING_NOT_ALLOWED"},
        {"--listen=127.0.0.1:65536", "listen", "SETTING_NOT_ALLOWED"},
        {"--listen=127.0.0.1:80x", "listen", "SETTING_NOT_ALLOWED"},
        {"--listen=127.0.0.1:", "listen", "SETTING_NOT_ALLOWED"},
        {"--log-level=verbose", "log-level", "SETTING_NOT_ALLOWED"},
        {"--log-level=infoinfo", "log-level", "SETTING_TOO_LONG"},
    };
    struct config c;
    struct args a;
    struct dd_error e;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        enum dd_status rc = load(&c, &a, &e, ARGV(cases[i].flag));
        if (rc != DD_EINVAL || !e.field || !e.code ||
            strcmp(e.field, cases[i].field) != 0 ||
            strcmp(e.code, cases[i].code) != 0)
            fail_msg("%s: got %s field=%s code=%s, want EINVAL %s %s",
                     cases[i].flag, dd_status_name(rc),
                     e.field ? e.field : "(null)", e.code ? e.code : "(null)",
                     cases[i].field, cases[i].code);
        assert_non_null(e.message);
        assert_non_null(e.message_zh);
    }

    /* the same bound through the environment */
    setenv("DOUDI_THREADS", "0", 1);
    assert_int_equal(load(&c, &a, &e, NOARGS), DD_EINVAL);
    assert_string_equal(e.field, "threads");
    unsetenv("DOUDI_THREADS");

    /* a string one byte over its buffer */
    char longdb[600] = "--db=sqlite:";
    memset(longdb + 12, 'a', 520);
    longdb[532] = '\0';
    assert_int_equal(load(&c, &a, &e, ARGV(longdb)), DD_EINVAL);
    assert_string_equal(e.field, "db");
    assert_string_equal(e.code, "SETTING_TOO_LONG");
}

TEST_CASE(test_edges_accepted)
{
    struct config c;
    struct args a;
    struct dd_error e;
    assert_int_equal(load(&c, &a, &e, ARGV("--threads=1", "--body-limit=1024",
                                           "--listen=localhost:65535",
                                           "--db=postgres://h/d")),
                     DD_OK);
    assert_int_equal(c.threads, 1);
    assert_int_equal(c.body_limit, 1024);
    assert_string_equal(c.listen, "localhost:65535");
    assert_int_equal(load(&c, &a, &e, ARGV("--threads=256",
                                           "--body-limit=268435456",
                                           "--listen=h:1")),
                     DD_OK);
    assert_int_equal(c.threads, 256);
    assert_int_equal(c.body_limit, 268435456);
}

TEST_CASE(test_config_set)
{
    struct config c;
    struct dd_error e = {0};
    assert_int_equal(config_load(&c, NULL, NULL, &e), DD_OK);
    assert_int_equal(config_set(&c, "lockout-seconds", "60", &e), DD_OK);
    assert_int_equal(c.lockout_s, 60);
    assert_int_equal(config_set(&c, "lockout-secondsx", "60", &e), DD_EINVAL);
    assert_string_equal(e.code, "UNKNOWN_SETTING");
    assert_string_equal(e.field, "lockout-secondsx");
    assert_int_equal(config_set(&c, "lockout-seconds", "86401", &e),
                     DD_EINVAL);
    assert_int_equal(c.lockout_s, 60); /* unchanged on failure */
}

/* What config_print prints for c (free() it). */
static char *
printed(const struct config *c)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    assert_non_null(f);
    config_print(c, f);
    fclose(f);
    return out;
}

/* config_print hides the demo password and PostgreSQL URLs with a user. */
TEST_CASE(test_print_hides_secrets)
{
    struct config c;
    struct args a;
    struct dd_error e;
    assert_int_equal(load(&c, &a, &e,
                          ARGV("--demo-password=Secret-Pass-1",
                               "--db=postgresql://u:pw@h/d", "--threads=9")),
                     DD_OK);
    char *out = printed(&c);
    assert_non_null(strstr(out, "demo-password = (set)\n"));
    assert_non_null(strstr(
        out, "db = (a PostgreSQL URL; not shown: it may hold a password)\n"));
    assert_non_null(strstr(out, "threads = 9\n"));
    assert_non_null(strstr(out, "body-limit = 1048576\n"));
    assert_null(strstr(out, "Secret-Pass-1"));
    assert_null(strstr(out, "pw@"));
    free(out);

    /* a password in the query string is hidden as well */
    assert_int_equal(load(&c, &a, &e,
                          ARGV("--db=postgresql://h/d?password=Hidden-1")),
                     DD_OK);
    out = printed(&c);
    assert_null(strstr(out, "Hidden-1"));
    free(out);
}

/* The SMS gateway's key and the OpenID Connect client secret come from
 * the config file alone (a flag shows in ps, the environment in /proc),
 * and are printed as "(set)"; citizen-portal takes auto or on. */
TEST_CASE(test_secrets_file_only)
{
    struct config c;
    struct args a;
    struct dd_error e;
    const char *path = temp_file("sms-key = Gateway-Key-1\n"
                                 "oidc-client-secret = Client-Secret-1\n");
    setenv("DOUDI_CONFIG", path, 1);
    assert_int_equal(load(&c, &a, &e, NOARGS), DD_OK);
    assert_string_equal(c.sms_key, "Gateway-Key-1");
    assert_string_equal(c.oidc_client_secret, "Client-Secret-1");
    char *out = printed(&c);
    assert_non_null(strstr(out, "sms-key = (set)\n"));
    assert_non_null(strstr(out, "oidc-client-secret = (set)\n"));
    assert_null(strstr(out, "Gateway-Key-1"));
    assert_null(strstr(out, "Client-Secret-1"));
    free(out);

    assert_int_equal(load(&c, &a, &e, ARGV("--sms-key=Flag-Key")), DD_EINVAL);
    assert_string_equal(e.field, "sms-key");
    assert_string_equal(e.code, "SETTING_FILE_ONLY");
    envs_set("DOUDI_OIDC_CLIENT_SECRET=Env-Secret", NULL);
    assert_int_equal(load(&c, &a, &e, NOARGS), DD_EINVAL);
    assert_string_equal(e.field, "oidc-client-secret");
    assert_string_equal(e.code, "SETTING_FILE_ONLY");
    unsetenv("DOUDI_OIDC_CLIENT_SECRET");
    unsetenv("DOUDI_CONFIG");
    unlink(path);

    assert_int_equal(load(&c, &a, &e, ARGV("--citizen-portal=on")), DD_OK);
    assert_string_equal(c.citizen_portal, "on");
    assert_int_equal(load(&c, &a, &e, ARGV("--citizen-portal=yes")),
                     DD_EINVAL);
    assert_string_equal(e.field, "citizen-portal");
}

UNIT_TESTS(
    NULL, NULL, cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
    cmocka_unit_test_setup_teardown(test_table_rows, setup, teardown),
    cmocka_unit_test_setup_teardown(test_env_overrides_default, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_flags_override_env, setup, teardown),
    cmocka_unit_test_setup_teardown(test_flags_consumed, setup, teardown),
    cmocka_unit_test_setup_teardown(test_file_under_env_and_flags, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_file_errors, setup, teardown),
    cmocka_unit_test_setup_teardown(test_bad_values, setup, teardown),
    cmocka_unit_test_setup_teardown(test_edges_accepted, setup, teardown),
    cmocka_unit_test_setup_teardown(test_config_set, setup, teardown),
    cmocka_unit_test_setup_teardown(test_print_hides_secrets, setup, teardown),
    cmocka_unit_test_setup_teardown(test_secrets_file_only, setup, teardown))
