/* SPDX-License-Identifier: MIT */
/* The settings table and its loaders (file, environment, flags). */
#include "core/config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OFF(f) offsetof(struct config, f), sizeof(((struct config *)0)->f)

const struct config_setting config_settings[] = {
    {"db", "DOUDI_DB", CONFIG_STRING, "sqlite:./data/doudi.db", 0, 511,
     OFF(db), "database: sqlite:PATH or postgresql://USER@HOST:PORT/DB"},
    {"db-replica", "DOUDI_DB_REPLICA", CONFIG_STRING, "", 0, 511,
     OFF(db_replica),
     "a streaming-replication standby of the PostgreSQL database "
     "(postgresql://...) the reports are read from; empty: none"},
    {"listen", "DOUDI_LISTEN", CONFIG_STRING, "127.0.0.1:8080", 0, 127,
     OFF(listen), "address and port the HTTP server listens on"},
    {"threads", "DOUDI_THREADS", CONFIG_INT, "2", 1, 256, OFF(threads),
     "HTTP worker threads (epoll thread pool)"},
    {"db-pool", "DOUDI_DB_POOL", CONFIG_INT, "0", 0, 256, OFF(db_pool),
     "database connections (0: threads + heavy-workers, one for each)"},
    {"body-limit", "DOUDI_BODY_LIMIT", CONFIG_INT, "1048576", 1024,
     268435456, OFF(body_limit), "largest request body in bytes (413 above)"},
    {"upload-limit", "DOUDI_UPLOAD_LIMIT", CONFIG_INT, "268435456", 1024,
     1073741824, OFF(upload_limit),
     "largest file body in bytes (a household CSV import, a bank's return "
     "file; 413 above)"},
    {"key-file", "DOUDI_KEY_FILE", CONFIG_STRING, "./data/doudi.key", 0, 511,
     OFF(key_file), "the data key file (created 0600 by init)"},
    {"data-dir", "DOUDI_DATA_DIR", CONFIG_STRING, "./data", 0, 511,
     OFF(data_dir), "reference data: regions, holidays, catalog, steps"},
    {"web-dir", "DOUDI_WEB_DIR", CONFIG_STRING, "./web/dist", 0, 511,
     OFF(web_dir), "the built web UI served under /"},
    {"log-level", "DOUDI_LOG_LEVEL", CONFIG_STRING, "info", 0, 7,
     OFF(log_level), "debug, info, warn or error"},
    {"session-idle", "DOUDI_SESSION_IDLE", CONFIG_INT, "1800", 60, 86400,
     OFF(session_idle_s), "seconds of inactivity that end a session"},
    {"session-max", "DOUDI_SESSION_MAX", CONFIG_INT, "43200", 300, 604800,
     OFF(session_max_s), "absolute session lifetime in seconds"},
    {"lockout-failures", "DOUDI_LOCKOUT_FAILURES", CONFIG_INT, "5", 1, 100,
     OFF(lockout_failures), "failed logins that lock an account"},
    {"lockout-seconds", "DOUDI_LOCKOUT_SECONDS", CONFIG_INT, "900", 1, 86400,
     OFF(lockout_s), "how long a lock from failed logins lasts"},
    {"lockout-spread-addresses", "DOUDI_LOCKOUT_SPREAD_ADDRESSES", CONFIG_INT,
     "10", 2, 100000, OFF(lockout_spread_addresses),
     "client addresses failing on one account within the spread window "
     "that alert the administrator and lock the account"},
    {"lockout-spread-window", "DOUDI_LOCKOUT_SPREAD_WINDOW", CONFIG_INT,
     "3600", 60, 604800, OFF(lockout_spread_window_s),
     "seconds over which failing client addresses are counted"},
    {"connection-limit", "DOUDI_CONNECTION_LIMIT", CONFIG_INT, "4096", 16,
     65536, OFF(connection_limit), "concurrent HTTP connections"},
    {"connections-per-address", "DOUDI_CONNECTIONS_PER_ADDRESS", CONFIG_INT,
     "512", 0, 65536, OFF(connections_per_address),
     "concurrent HTTP connections from one peer address (0: no cap)"},
    {"read-timeout", "DOUDI_READ_TIMEOUT", CONFIG_INT, "15", 1, 3600,
     OFF(read_timeout_s),
     "seconds a connection may send nothing (headers, body, or idle "
     "between requests) before it is closed"},
    {"heavy-workers", "DOUDI_HEAVY_WORKERS", CONFIG_INT, "2", 1, 64,
     OFF(heavy_workers),
     "threads running heavy requests (exports, KPI reports, imports)"},
    {"heavy-queue", "DOUDI_HEAVY_QUEUE", CONFIG_INT, "2", 0, 1024,
     OFF(heavy_queue),
     "heavy requests admitted beyond heavy-workers (waiting, or sending "
     "their reply); more get 503 with Retry-After"},
    {"trusted-proxy", "DOUDI_TRUSTED_PROXY", CONFIG_STRING, "", 0, 255,
     OFF(trusted_proxy),
     "comma-separated peer addresses whose X-Forwarded-For is believed"},
    {"health-min-free-mb", "DOUDI_HEALTH_MIN_FREE_MB", CONFIG_INT, "256", 0,
     1073741824, OFF(health_min_free_mb),
     "/healthz answers 503 below this much free disk space (MiB) for the "
     "SQLite database (0: no check)"},
    {"login-rate", "DOUDI_LOGIN_RATE", CONFIG_INT, "60", 1, 100000,
     OFF(login_rate_per_min), "login attempts per minute per client address"},
    {"calculator-rate", "DOUDI_CALCULATOR_RATE", CONFIG_INT, "30", 1, 100000,
     OFF(calculator_rate_per_min),
     "anonymous calculator requests per minute per client address"},
    {"demo-password", "DOUDI_DEMO_PASSWORD", CONFIG_STRING, "", 0, 127,
     OFF(demo_password), "password of the demo users (random when empty)"},
    {"demo-households", "DOUDI_DEMO_HOUSEHOLDS", CONFIG_INT, "20000", 0,
     1000000, OFF(demo_households),
     "synthetic households `doudi demo` generates (0: none)"},
    {"demo-caseload", "DOUDI_DEMO_CASELOAD", CONFIG_INT, "4000", 0, 100000,
     OFF(demo_caseload),
     "households `doudi demo` grants a paid caseload in each demo township "
     "(0: none)"},
    {"otp-ttl", "DOUDI_OTP_TTL", CONFIG_INT, "300", 60, 3600, OFF(otp_ttl_s),
     "seconds a citizen's one-time sign-in code stays valid"},
    {"otp-attempts", "DOUDI_OTP_ATTEMPTS", CONFIG_INT, "5", 1, 20,
     OFF(otp_attempts), "tries allowed on one one-time code"},
    {"otp-phone-rate", "DOUDI_OTP_PHONE_RATE", CONFIG_INT, "5", 1, 100000,
     OFF(otp_phone_rate_per_hour), "one-time codes per hour per phone number"},
    {"otp-address-rate", "DOUDI_OTP_ADDRESS_RATE", CONFIG_INT, "30", 1,
     100000, OFF(otp_address_rate_per_hour),
     "one-time codes per hour per client address"},
    {"otp-sender", "DOUDI_OTP_SENDER", CONFIG_STRING, "", 0, 15,
     OFF(otp_sender),
     "how one-time codes reach citizens: sms (the gateway of sms-url), log "
     "(doudi demo only) or none; empty: sms when sms-url is set, else log "
     "under doudi demo, else none (503)"},
    {"citizen-filings", "DOUDI_CITIZEN_FILINGS", CONFIG_INT, "3", 1, 1000,
     OFF(citizen_filings_per_day),
     "online applications per citizen per civil day (counted in the store)"},
    {"citizen-filing-address-rate", "DOUDI_CITIZEN_FILING_ADDRESS_RATE",
     CONFIG_INT, "10", 1, 100000, OFF(citizen_filing_address_per_day),
     "online applications per client address per day"},
    {"citizen-session", "DOUDI_CITIZEN_SESSION", CONFIG_INT, "1800", 300,
     86400, OFF(citizen_session_s),
     "lifetime of a citizen's session in seconds"},
    {"cookie-secure", "DOUDI_COOKIE_SECURE", CONFIG_STRING, "", 0, 3,
     OFF(cookie_secure),
     "on or off: the session cookie's Secure attribute; empty: off under "
     "doudi demo (plain HTTP on loopback), on otherwise"},
    {"citizen-portal", "DOUDI_CITIZEN_PORTAL", CONFIG_STRING, "auto", 0, 7,
     OFF(citizen_portal),
     "on: serve refuses to start unless citizens can sign in (an SMS "
     "gateway or OpenID Connect); auto: serve, and log at start which "
     "sign-ins answer 503"},
    {"sms-url", "DOUDI_SMS_URL", CONFIG_STRING, "", 0, 511, OFF(sms_url),
     "the SMS gateway's http(s) URL one-time codes are POSTed to (empty: "
     "none)"},
    {"sms-template", "DOUDI_SMS_TEMPLATE", CONFIG_STRING,
     "您的验证码是{code}，{minutes}分钟内有效。", 0, 255, OFF(sms_template),
     "the text message: {code} the code, {minutes} its lifetime"},
    {"sms-key-header", "DOUDI_SMS_KEY_HEADER", CONFIG_STRING, "X-Api-Key", 0,
     63, OFF(sms_key_header), "the request header that carries sms-key"},
    {"sms-key", "DOUDI_SMS_KEY", CONFIG_STRING, "", 0, 255, OFF(sms_key),
     "the SMS gateway's API key (config file only; never logged)"},
    {"sms-timeout", "DOUDI_SMS_TIMEOUT", CONFIG_INT, "5000", 100, 30000,
     OFF(sms_timeout_ms), "milliseconds a call to the SMS gateway may take"},
    {"oidc-issuer", "DOUDI_OIDC_ISSUER", CONFIG_STRING, "", 0, 511,
     OFF(oidc_issuer),
     "the OpenID Connect provider's issuer URL (empty: no OIDC sign-in)"},
    {"oidc-client-id", "DOUDI_OIDC_CLIENT_ID", CONFIG_STRING, "", 0, 255,
     OFF(oidc_client_id), "Doudi's client id at the provider"},
    {"oidc-client-secret", "DOUDI_OIDC_CLIENT_SECRET", CONFIG_STRING, "", 0,
     255, OFF(oidc_client_secret),
     "Doudi's client secret at the provider (config file only; never "
     "logged)"},
    {"oidc-redirect-uri", "DOUDI_OIDC_REDIRECT_URI", CONFIG_STRING, "", 0,
     511, OFF(oidc_redirect_uri),
     "the callback URL registered at the provider: "
     "https://HOST/api/v1/citizen/oidc/callback"},
    {"oidc-scopes", "DOUDI_OIDC_SCOPES", CONFIG_STRING, "openid", 0, 255,
     OFF(oidc_scopes), "scopes asked for, space-separated (openid first)"},
    {"oidc-id-claim", "DOUDI_OIDC_ID_CLAIM", CONFIG_STRING, "id_number", 0,
     63, OFF(oidc_id_claim),
     "the ID token claim holding the verified resident ID number"},
    {"oidc-return-to", "DOUDI_OIDC_RETURN_TO", CONFIG_STRING, "/citizen", 0,
     255, OFF(oidc_return_to),
     "the local page a citizen is sent back to after signing in"},
    {"oidc-timeout", "DOUDI_OIDC_TIMEOUT", CONFIG_INT, "5000", 100, 30000,
     OFF(oidc_timeout_ms),
     "milliseconds a call to the OpenID Connect provider may take"},
    {"config", "DOUDI_CONFIG", CONFIG_STRING, "", 0, 511, OFF(config_file),
     "optional config file of name = value lines"},
};
const size_t config_settings_count =
    sizeof(config_settings) / sizeof(config_settings[0]);

static const struct config_setting *
find(const char *name, size_t len)
{
    for (size_t i = 0; i < config_settings_count; i++) {
        const char *n = config_settings[i].name;
        if (strlen(n) == len && memcmp(n, name, len) == 0)
            return &config_settings[i];
    }
    return NULL;
}

static enum dd_status
set_one(struct config *cfg, const struct config_setting *s, const char *value,
        struct dd_error *err)
{
    char *base = (char *)cfg + s->offset;
    err->field = s->name;
    if (s->type == CONFIG_STRING) {
        size_t n = strlen(value);
        if (n > (size_t)s->max || n >= s->size) {
            err->code = "SETTING_TOO_LONG";
            err->message = "the value is too long";
            err->message_zh = "设置值过长";
            return DD_EINVAL;
        }
        memcpy(base, value, n + 1);
        return DD_OK;
    }
    char *end;
    errno = 0;
    long long v = strtoll(value, &end, 10);
    if (errno || end == value || *end != '\0') {
        err->code = "SETTING_NOT_INTEGER";
        err->message = "the value must be an integer";
        err->message_zh = "设置值必须是整数";
        return DD_EINVAL;
    }
    if (v < s->min || v > s->max) {
        err->code = "SETTING_OUT_OF_RANGE";
        err->message = "the value is outside its allowed range";
        err->message_zh = "设置值超出允许范围";
        return DD_EINVAL;
    }
    if (s->size == sizeof(int))
        *(int *)(void *)base = (int)v;
    else
        *(int64_t *)(void *)base = (int64_t)v;
    return DD_OK;
}

enum dd_status
config_set(struct config *cfg, const char *name, const char *value,
           struct dd_error *err)
{
    const struct config_setting *s = find(name, strlen(name));
    if (!s) {
        err->field = name;
        err->code = "UNKNOWN_SETTING";
        err->message = "no such setting";
        err->message_zh = "没有这个设置项";
        return DD_EINVAL;
    }
    return set_one(cfg, s, value, err);
}

static char *
trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
                     e[-1] == '\r'))
        *--e = '\0';
    return s;
}

/* name = value lines; '#' starts a comment. Keys already set by the
 * environment or flags are applied later and so win. */
static enum dd_status
load_file(struct config *cfg, const char *path, struct dd_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        err->field = "config";
        err->code = "CONFIG_FILE_UNREADABLE";
        err->message = "the config file cannot be read";
        err->message_zh = "无法读取配置文件";
        return DD_EINVAL;
    }
    char line[1024];
    enum dd_status rc = DD_OK;
    while (fgets(line, sizeof(line), f)) {
        char *p = trim(line);
        if (*p == '#' || *p == '\0')
            continue;
        char *eq = strchr(p, '=');
        if (!eq) {
            err->field = "config";
            err->code = "CONFIG_FILE_SYNTAX";
            err->message = "a config line is not name = value";
            err->message_zh = "配置文件的一行不是 名称 = 值 的格式";
            rc = DD_EINVAL;
            break;
        }
        *eq = '\0';
        char *name = trim(p), *value = trim(eq + 1);
        if (strcmp(name, "config") == 0)
            continue;
        rc = config_set(cfg, name, value, err);
        if (rc != DD_OK)
            break;
    }
    fclose(f);
    return rc;
}

int
config_is_secret(const char *name)
{
    return strcmp(name, "demo-password") == 0 || strcmp(name, "sms-key") == 0 ||
           strcmp(name, "oidc-client-secret") == 0;
}

/* Secrets only a config file may set (config_is_secret). */
static int
file_only(const char *name)
{
    return config_is_secret(name) && strcmp(name, "demo-password") != 0;
}

/* Refuses a file-only secret given by flag or environment: DD_EINVAL. */
static enum dd_status
secret_elsewhere(const struct config_setting *s, struct dd_error *err)
{
    err->field = s->name;
    err->code = "SETTING_FILE_ONLY";
    err->message = "this secret is read from the config file only, not "
                   "from a flag or the environment";
    err->message_zh = "此密钥只能写在配置文件中，不能通过命令行参数或环境变量设置";
    return DD_EINVAL;
}

/* Finds --name=value or --name value for setting s in argv; removes it. */
static const char *
take_flag(const struct config_setting *s, int *argc, char **argv)
{
    size_t n = strlen(s->name);
    for (int i = 1; i < *argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0 || strncmp(a + 2, s->name, n) != 0)
            continue;
        const char *v = NULL;
        int used = 0;
        if (a[2 + n] == '=') {
            v = a + 3 + n;
            used = 1;
        } else if (a[2 + n] == '\0' && i + 1 < *argc &&
                   strncmp(argv[i + 1], "--", 2) != 0) {
            v = argv[i + 1];
            used = 2;
        } else {
            continue;
        }
        for (int j = i; j + used < *argc; j++)
            argv[j] = argv[j + used];
        *argc -= used;
        return v;
    }
    return NULL;
}

enum dd_status
config_load(struct config *cfg, int *argc, char **argv, struct dd_error *err)
{
    enum dd_status rc;
    const char *flags[sizeof(config_settings) / sizeof(config_settings[0])];

    memset(cfg, 0, sizeof(*cfg));
    for (size_t i = 0; i < config_settings_count; i++) {
        rc = set_one(cfg, &config_settings[i], config_settings[i].def, err);
        if (rc != DD_OK)
            return rc;
    }
    for (size_t i = 0; i < config_settings_count; i++)
        flags[i] = argc ? take_flag(&config_settings[i], argc, argv) : NULL;

    /* the config file itself is found by flag, then environment */
    const char *file = NULL;
    for (size_t i = 0; i < config_settings_count; i++)
        if (strcmp(config_settings[i].name, "config") == 0)
            file = flags[i] ? flags[i] : getenv(config_settings[i].env);
    if (file && *file) {
        rc = load_file(cfg, file, err);
        if (rc != DD_OK)
            return rc;
    }
    for (size_t i = 0; i < config_settings_count; i++) {
        const char *v = getenv(config_settings[i].env);
        if ((v || flags[i]) && file_only(config_settings[i].name))
            return secret_elsewhere(&config_settings[i], err);
        if (v) {
            rc = set_one(cfg, &config_settings[i], v, err);
            if (rc != DD_OK)
                return rc;
        }
    }
    for (size_t i = 0; i < config_settings_count; i++) {
        if (flags[i]) {
            rc = set_one(cfg, &config_settings[i], flags[i], err);
            if (rc != DD_OK)
                return rc;
        }
    }
    if (strcmp(cfg->log_level, "debug") && strcmp(cfg->log_level, "info") &&
        strcmp(cfg->log_level, "warn") && strcmp(cfg->log_level, "error")) {
        err->field = "log-level";
        err->code = "SETTING_NOT_ALLOWED";
        err->message = "log-level must be debug, info, warn or error";
        err->message_zh = "日志级别必须是 debug、info、warn 或 error";
        return DD_EINVAL;
    }
    if (strncmp(cfg->db, "sqlite:", 7) != 0 &&
        strncmp(cfg->db, "postgresql://", 13) != 0 &&
        strncmp(cfg->db, "postgres://", 11) != 0) {
        err->field = "db";
        err->code = "SETTING_NOT_ALLOWED";
        err->message = "db must start with sqlite: or postgresql://";
        err->message_zh = "数据库地址必须以 sqlite: 或 postgresql:// 开头";
        return DD_EINVAL;
    }
    if (strcmp(cfg->citizen_portal, "auto") &&
        strcmp(cfg->citizen_portal, "on")) {
        err->field = "citizen-portal";
        err->code = "SETTING_NOT_ALLOWED";
        err->message = "citizen-portal must be auto or on";
        err->message_zh = "citizen-portal 必须是 auto 或 on";
        return DD_EINVAL;
    }
    const char *colon = strrchr(cfg->listen, ':');
    char *end;
    long port = colon ? strtol(colon + 1, &end, 10) : -1;
    if (!colon || colon == cfg->listen || port < 1 || port > 65535 ||
        *end != '\0') {
        err->field = "listen";
        err->code = "SETTING_NOT_ALLOWED";
        err->message = "listen must be HOST:PORT with a port of 1-65535";
        err->message_zh = "监听地址必须是 主机:端口，端口为 1-65535";
        return DD_EINVAL;
    }
    unsigned char proxies[CONFIG_MAX_PROXIES][16];
    if (config_addresses(cfg->trusted_proxy, proxies, CONFIG_MAX_PROXIES) < 0) {
        err->field = "trusted-proxy";
        err->code = "SETTING_NOT_ALLOWED";
        err->message = "trusted-proxy must be up to 16 IP addresses, comma-"
                       "separated";
        err->message_zh = "受信代理必须是不超过 16 个以逗号分隔的 IP 地址";
        return DD_EINVAL;
    }
    return DD_OK;
}

int
config_addresses(const char *list, unsigned char (*out)[16], size_t max)
{
    size_t count = 0;
    while (*list) {
        char item[INET6_ADDRSTRLEN];
        size_t n = strcspn(list, ",");
        struct in_addr v4;
        if (n >= sizeof(item) || count == max)
            return -1;
        memcpy(item, list, n);
        item[n] = '\0';
        char *one = item + strspn(item, " ");
        one[strcspn(one, " ")] = '\0';
        if (inet_pton(AF_INET, one, &v4) == 1) {
            /* as IPv4-mapped IPv6 (::ffff:a.b.c.d), one form to compare */
            memset(out[count], 0, 10);
            memset(out[count] + 10, 0xff, 2);
            memcpy(out[count] + 12, &v4, 4);
        } else if (inet_pton(AF_INET6, one, out[count]) != 1) {
            return -1;
        }
        count++;
        list += n;
        if (*list == ',')
            list++;
    }
    return (int)count;
}

void
config_print_help(void *stream)
{
    FILE *f = stream;
    fprintf(f, "Settings (flag, environment, default):\n");
    for (size_t i = 0; i < config_settings_count; i++) {
        const struct config_setting *s = &config_settings[i];
        fprintf(f, "  --%-18s %-24s [%s]\n      %s\n", s->name, s->env,
                s->def, s->doc);
    }
}

void
config_print(const struct config *cfg, void *stream)
{
    FILE *f = stream;
    for (size_t i = 0; i < config_settings_count; i++) {
        const struct config_setting *s = &config_settings[i];
        const char *base = (const char *)cfg + s->offset;
        if (config_is_secret(s->name))
            fprintf(f, "%s = %s\n", s->name, *base ? "(set)" : "");
        else if (strcmp(s->name, "db") == 0 && strncmp(base, "sqlite:", 7))
            fprintf(f, "%s = %s\n", s->name,
                    "(a PostgreSQL URL; not shown: it may hold a password)");
        else if (s->type == CONFIG_STRING)
            fprintf(f, "%s = %s\n", s->name, base);
        else if (s->size == sizeof(int))
            fprintf(f, "%s = %d\n", s->name, *(const int *)(const void *)base);
        else
            fprintf(f, "%s = %lld\n", s->name,
                    (long long)*(const int64_t *)(const void *)base);
    }
}
