/* SPDX-License-Identifier: MIT */
/* The request pipeline shared by every route, and the helpers the
 * resource modules use to reply. */
#include "api/api_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accounts/oidc.h"
#include "accounts/sms_gateway.h"
#include "audit/audit.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "crypto/password.h"
#include "crypto/pii.h"
#include "crypto/sm3.h"
#include "domain/household.h"
#include "http/metrics.h"
#include "json/jw.h"

/* The order of this list is the matching order. */
const struct route_table *const api_route_tables[] = {
    &api_system_routes, &api_session_routes, &api_region_routes,
    &api_user_routes,   &api_audit_routes,  &api_policy_routes,
    &api_household_routes,
    &api_assess_routes,
    &api_import_routes,
    &api_calendar_routes,
    &api_citizen_routes,
    &api_oidc_routes,
    &api_catalog_routes,
    &api_kpi_routes,
    &api_report_routes,
    &api_application_routes,
    &api_case_routes,
    &api_history_routes,
    &api_entitlement_routes,
    &api_payee_routes,
    &api_payment_routes,
    &api_review_routes,
    &api_death_routes,
    &api_recovery_routes,
    &api_payment_file_routes,
};
#define NTABLES (sizeof(api_route_tables) / sizeof(api_route_tables[0]))

const size_t api_route_table_count = NTABLES;
static int slot_base[NTABLES];

void
api_error(struct http_request *req, int status, const char *code,
          const char *field, const char *en, const char *zh)
{
    struct dd_error err = {code, field, en, zh};
    http_reply_error(req, status, &err);
}

void
api_fail(struct http_request *req, enum dd_status st,
         const struct dd_error *err)
{
    if (st == DD_OK) /* a caller's bug: nothing failed */
        st = DD_EINTERNAL;
    const struct dd_status_info *si = dd_status_info(st);
    if (err && err->code) {
        http_reply_error(req, si->http, err);
        return;
    }
    if (st == DD_EINTERNAL)
        log_msg(LOG_ERROR, req->request_id, "internal error: %s", si->name);
    api_error(req, si->http, si->code, NULL, si->message_en, si->message_zh);
}

void
api_reply(struct http_request *req, int status, const char *body)
{
    if (!body)
        api_fail(req, DD_ENOMEM, NULL);
    else
        http_reply_json(req, status, body);
}

void
api_reply_jw(struct http_request *req, int status, struct jw *w)
{
    const char *body = jw_finish_arena(w, req->arena);
    if (!body) {
        api_fail(req, w->rc == DD_ETOOBIG || w->rc == DD_ENOMEM ? w->rc
                                                                : DD_EINTERNAL,
                 NULL);
        return;
    }
    http_reply_json(req, status, body);
}

int64_t
api_path_id(struct http_request *req, size_t n)
{
    return strtoll(router_path_param(req, n), NULL, 10);
}

/* The export's audit row, committed before a byte is served: the SM3 is
 * of exactly the bytes replied, the n of file f, read back in chunks. */
static enum dd_status
export_audit(struct http_request *req, FILE *f, size_t n, int xlsx,
             const struct api_export_audit *au, void *ctx)
{
    const struct principal *p = PRINCIPAL(req);
    unsigned char digest[SM3_DIGEST_LEN], chunk[65536];
    char hex[SM3_HEX_LEN + 1];
    struct sm3_ctx *sm3 = sm3_new();
    size_t left = n, got;
    if (!sm3)
        return DD_ENOMEM;
    while (left > 0 &&
           (got = fread(chunk, 1, left < sizeof(chunk) ? left : sizeof(chunk),
                        f)) > 0) {
        sm3_update(sm3, chunk, got);
        left -= got;
    }
    sm3_final(sm3, digest);
    sm3_free(sm3);
    if (left > 0 || fseek(f, 0, SEEK_SET) != 0)
        return DD_EINTERNAL;
    for (size_t i = 0; i < SM3_DIGEST_LEN; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    struct store_tx *tx;
    struct jw w;
    jw_init(&w, 16384); /* a zone's scope is many townships */
    jw_obj(&w, NULL);
    au->fields(ctx, &w);
    jw_arr(&w, "scope");
    for (size_t i = 0; i < p->prefix_count; i++)
        jw_str(&w, NULL, p->prefixes[i]);
    jw_end(&w);
    jw_str(&w, "format", xlsx ? "xlsx" : "csv");
    jw_int(&w, "bytes", (int64_t)n);
    jw_str(&w, "sm3", hex);
    jw_end(&w);
    const char *detail = jw_finish_arena(&w, req->arena);
    if (!detail)
        return w.rc == DD_OK ? DD_ENOMEM : w.rc;
    enum dd_status rc = api_tx_begin(req, STORE_WRITE, &tx);
    if (rc == DD_OK)
        rc = api_audit(req, tx, au->action, "export", au->region, detail);
    return rc == DD_OK ? api_tx_commit(req, tx) : rc;
}

static void
file_close(void *f)
{
    fclose(f);
}

int
api_close_at_end(struct http_request *req, FILE *f)
{
    if (arena_cleanup_add(req->arena, file_close, f) == 0)
        return 0;
    fclose(f);
    return -1;
}

/* Replies 200 with the whole of file f as a download once its audit row
 * is written, sent from the file as the client reads: memory stays flat
 * whatever the export's size. f is closed when the request ends. */
static enum dd_status
reply_download(struct http_request *req, FILE *f, int xlsx, const char *name,
               const struct api_export_audit *audit, void *ctx)
{
    long n;
    if (api_close_at_end(req, f) != 0)
        return DD_ENOMEM;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0)
        return DD_EINTERNAL;
    enum dd_status rc = export_audit(req, f, (size_t)n, xlsx, audit, ctx);
    if (rc != DD_OK)
        return rc;
    const char *disposition =
        arena_printf(req->arena, "attachment; filename=\"%s.%s\"", name,
                     xlsx ? "xlsx" : "csv");
    if (!disposition ||
        http_set_header(req, "Content-Disposition", disposition) != DD_OK)
        return DD_ENOMEM;
    http_reply_file(req, 200,
                    xlsx ? "application/vnd.openxmlformats-officedocument."
                           "spreadsheetml.sheet"
                         : "text/csv; charset=utf-8",
                    fileno(f), (size_t)n);
    return DD_OK;
}

/* Writes the export to an unlinked temporary file, then replies with it
 * (reply_download). */
enum dd_status
api_reply_export(struct http_request *req, int xlsx, const char *name,
                 enum dd_status (*to_xlsx)(void *ctx, const char *path),
                 enum dd_status (*to_csv)(void *ctx, FILE *f), void *ctx,
                 const struct api_export_audit *audit)
{
    char path[64];
    snprintf(path, sizeof(path), "/tmp/doudi-%s-XXXXXX", name);
    int fd = mkstemp(path);
    enum dd_status rc = DD_EINTERNAL;
    FILE *f = NULL;
    if (fd < 0)
        return DD_EINTERNAL;
    if (xlsx) {
        close(fd);
        rc = to_xlsx(ctx, path);
        if (rc == DD_OK && !(f = fopen(path, "rb")))
            rc = DD_EINTERNAL;
    } else if (!(f = fdopen(fd, "w+b"))) {
        close(fd);
    } else {
        rc = to_csv(ctx, f);
        if (fflush(f) != 0 && rc == DD_OK)
            rc = DD_EINTERNAL;
    }
    unlink(path);
    if (rc == DD_OK)
        return reply_download(req, f, xlsx, name, audit, ctx);
    if (f)
        fclose(f);
    return rc;
}

int
api_content_type(struct http_request *req, const char *type)
{
    const char *ct = http_header(req, "Content-Type");
    if (ct && strncmp(ct, type, strlen(type)) == 0)
        return 0;
    const char *en = arena_printf(req->arena, "the body must be %s", type);
    const char *zh = arena_printf(req->arena, "请求内容类型必须是 %s", type);
    if (en && zh)
        api_error(req, 415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type", en, zh);
    else
        api_fail(req, DD_ENOMEM, NULL);
    return -1;
}

int
api_assess_date(struct http_request *req, struct civil_day *td,
                const char **as_of, int *y, int *m, int *d)
{
    *as_of = http_query(req, "as_of");
    if (!*as_of) {
        civil_today(td);
        *as_of = td->s;
    }
    if (policy_date_parse(*as_of, y, m, d) == 0 && hh_date_valid(*y, *m, *d))
        return 0;
    api_error(req, 400, "INVALID_PARAMETER", "as_of",
              "as_of must be a date YYYY-MM-DD", "as_of 必须是日期 YYYY-MM-DD");
    return -1;
}

int
api_decode(struct http_request *req, const struct json_field *fields,
           size_t count, void *dest, unsigned *present)
{
    if (api_content_type(req, "application/json"))
        return -1;
    struct dd_error err = {0};
    enum dd_status rc =
        json_decode_object(req->arena, req->body.data ? req->body.data : "",
                           req->body.len, fields, count, dest, present, &err);
    return api_check(req, rc, &err);
}

/* The request's one transaction, on st. */
static enum dd_status
tx_begin_on(struct http_request *req, struct store *st, enum store_mode mode,
            struct store_tx **tx)
{
    if (req->app_tx) {
        /* one transaction at a time: a handler that needs a second one
         * ends the first with api_end */
        log_msg(LOG_ERROR, req->request_id,
                "a transaction was begun while one is open");
        return DD_EINTERNAL;
    }
    enum dd_status rc = store_tx_begin(st, mode, tx);
    if (rc == DD_OK)
        req->app_tx = *tx;
    return rc;
}

enum dd_status
api_tx_begin(struct http_request *req, enum store_mode mode,
             struct store_tx **tx)
{
    return tx_begin_on(req, API(req)->store, mode, tx);
}

int
api_begin(struct http_request *req, enum store_mode mode, struct store_tx **tx)
{
    enum dd_status rc = api_tx_begin(req, mode, tx);
    return api_check(req, rc, NULL);
}

int
api_begin_report(struct http_request *req, struct store_tx **tx)
{
    struct api *a = API(req);
    return api_check(req,
                     tx_begin_on(req, a->replica ? a->replica : a->store,
                                 STORE_READ, tx),
                     NULL);
}

enum dd_status
api_tx_commit(struct http_request *req, struct store_tx *tx)
{
    if (tx == req->app_tx)
        req->app_tx = NULL;
    return store_tx_commit(tx);
}

int
api_commit(struct http_request *req, struct store_tx *tx)
{
    return api_check(req, api_tx_commit(req, tx), NULL);
}

const struct param_spec api_id_param[1] = {
    {"id", PARAM_DIGITS, 1, 18, 0, 0},
};
const struct param_spec api_no_query[1] = {{NULL, 0, 0, 0, 0, 0}};

void *
api_alloc(struct http_request *req, size_t size)
{
    void *p = arena_alloc(req->arena, size);
    if (!p)
        api_fail(req, DD_ENOMEM, NULL);
    return p;
}

int
api_finish(struct http_request *req, struct store_tx *tx, enum dd_status rc,
           const struct dd_error *err)
{
    return api_check(req, rc, err) ? -1 : api_commit(req, tx);
}

int
api_signin_limit(struct http_request *req, int64_t now, const char *action,
                 const char *object)
{
    struct store_tx *tx;
    if (ratelimit_take(API(req)->login_limit, req->client_addr, now))
        return 0;
    /* SECURITY.md: every sign-in attempt leaves an audit row, a refused
     * one too; the body is not read (it holds the password) */
    if (!req->actor)
        req->actor = "anonymous";
    if (api_begin(req, STORE_WRITE, &tx))
        return -1;
    enum dd_status rc = api_audit(
        req, tx, action, object, NULL,
        json_object_of_strings(req->arena,
                               (const char *[]){"result", "rate limited",
                                                "client", req->client_addr},
                               2));
    if (api_finish(req, tx, rc, NULL))
        return -1;
    api_error(req, 429, "TOO_MANY_ATTEMPTS", NULL,
              "too many sign-in attempts from this address; wait a "
              "minute",
              "此地址登录尝试过多，请一分钟后再试");
    return -1;
}

/* Sets the session cookie to value for max_age_s seconds (0: cleared):
 * 0, or -1 when out of memory. */
static int
set_cookie(struct http_request *req, const char *value, int max_age_s)
{
    const char *cookie = arena_printf(
        req->arena,
        API_COOKIE_NAME "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s",
        value, max_age_s, API(req)->cookie_secure ? "; Secure" : "");
    return !cookie || http_set_header(req, "Set-Cookie", cookie) ? -1 : 0;
}

void
api_reply_signed_in(struct http_request *req, const char *token, int max_age_s,
                    const char *body)
{
    if (!body || set_cookie(req, token, max_age_s)) {
        api_fail(req, DD_ENOMEM, NULL);
        return;
    }
    http_reply_json(req, 201, body);
}

int
api_set_session_cookie(struct http_request *req, const char *token,
                       int max_age_s)
{
    if (set_cookie(req, token, max_age_s)) {
        api_fail(req, DD_ENOMEM, NULL);
        return -1;
    }
    return 0;
}

void
api_reply_signed_out(struct http_request *req)
{
    if (set_cookie(req, "", 0)) {
        api_fail(req, DD_ENOMEM, NULL);
        return;
    }
    http_reply(req, 204, NULL, "", 0);
}

void
api_end(struct http_request *req)
{
    if (req->app_tx) {
        store_tx_rollback(req->app_tx);
        req->app_tx = NULL;
    }
}

int
api_authorise(struct http_request *req, enum authz_action action,
              const char *region, const char *department)
{
    enum dd_status rc =
        authz_decide(PRINCIPAL(req), action, region, department);
    if (rc == DD_OK)
        return 0;
    api_refuse(req, rc != DD_ENOTFOUND);
    return -1;
}

void
api_refuse(struct http_request *req, int denied)
{
    if (denied)
        api_error(req, 403, "FORBIDDEN", NULL, "your role may not do this",
                  "您的角色无权执行此操作");
    else
        api_error(req, 404, "NOT_FOUND", NULL, "no such record in your scope",
                  "您的管辖范围内没有此记录");
}

enum dd_status
api_audit(struct http_request *req, struct store_tx *tx, const char *action,
          const char *object, const char *region, const char *detail)
{
    return audit_log(tx, req->actor, action, object, region, req->request_id,
                     detail);
}

const char *
api_user_object(struct http_request *req, int64_t id)
{
    return arena_printf(req->arena, "user:%lld", (long long)id);
}

void
api_sign_out(struct http_request *req, struct store_tx *tx, enum dd_status rc,
             const char *action, const char *object)
{
    if (rc == DD_OK)
        rc = api_audit(req, tx, action, object, NULL, NULL);
    if (api_finish(req, tx, rc, NULL) == 0)
        api_reply_signed_out(req);
}

enum dd_status
api_scope_expand(const struct api *a, const char *scope, struct principal *p)
{
    const char *s = scope;
    p->prefix_count = 0;
    while (*s) {
        size_t n = strcspn(s, ",");
        if (n > 5 && strncmp(s, "zone:", 5) == 0) {
            int found = 0;
            for (size_t i = 0; i < a->zone_count; i++) {
                const struct zone_township *z = &a->zones[i];
                if (strlen(z->zone) != n - 5 ||
                    memcmp(z->zone, s + 5, n - 5) != 0)
                    continue;
                found = 1;
                if (z->township_code[0] && p->prefix_count < AUTHZ_MAX_PREFIXES)
                    memcpy(p->prefixes[p->prefix_count++], z->township_code,
                           sizeof(z->township_code));
            }
            if (!found)
                return DD_EINVAL;
        } else if (n > 0 && n < sizeof(p->prefixes[0]) &&
                   p->prefix_count < AUTHZ_MAX_PREFIXES) {
            memcpy(p->prefixes[p->prefix_count], s, n);
            p->prefixes[p->prefix_count++][n] = '\0';
        } else if (n > 0) {
            return DD_EINVAL;
        }
        s += n;
        if (*s == ',')
            s++;
    }
    return DD_OK;
}

/* Appends the size bytes at item to the array at *(T **)array of *count
 * items, grown by doubling (room runs out when *count is 0 or a power of
 * two); 0, or 1 out of memory with the array as it was. */
static int
append(void *array, size_t *count, const void *item, size_t size)
{
    unsigned char *items;
    memcpy(&items, array, sizeof(items));
    if ((*count & (*count - 1)) == 0) {
        unsigned char *n = realloc(items, (*count ? 2 * *count : 1) * size);
        if (!n)
            return 1;
        items = n;
        memcpy(array, &items, sizeof(items));
    }
    memcpy(items + *count * size, item, size);
    (*count)++;
    return 0;
}

static int
collect_zone(const struct zone_township *z, void *ctx)
{
    struct api *a = ctx;
    return append(&a->zones, &a->zone_count, z, sizeof(*z));
}

static int
collect_region(const struct region *r, void *ctx)
{
    struct api *a = ctx;
    return append(&a->regions, &a->region_count, r, sizeof(*r));
}

static int
region_cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const struct region *)elem)->code);
}

long
api_region_find(const struct api *a, const char *code)
{
    const struct region *r = bsearch(code, a->regions, a->region_count,
                                     sizeof(struct region), region_cmp);
    return r ? (long)(r - a->regions) : -1;
}

/* Renders every region's reply once: reference data does not change while
 * serving, so a region read is a lookup, not an encoding. A township lists
 * the functional zones it belongs to. */
static enum dd_status
render_regions(struct api *a)
{
    a->reference = arena_new(64u << 20);
    a->region_json =
        calloc(a->region_count ? a->region_count : 1, sizeof(*a->region_json));
    if (!a->reference || !a->region_json)
        return DD_ENOMEM;
    for (size_t i = 0; i < a->region_count; i++) {
        const struct region *r = &a->regions[i];
        const char *zones = NULL;
        for (size_t z = 0; z < a->zone_count; z++)
            if (strcmp(a->zones[z].township_code, r->code) == 0)
                zones = zones ? arena_printf(a->reference, "%s,%s", zones,
                                             a->zones[z].zone)
                              : a->zones[z].zone;
        a->region_json[i] = json_encode_region(a->reference, r, zones);
        if (!a->region_json[i])
            return DD_ENOMEM;
    }
    return DD_OK;
}

enum dd_status
api_new(struct store *st, const struct config *cfg, struct api **out)
{
    struct store_tx *tx;
    enum dd_status rc;
    struct api *a = calloc(1, sizeof(*a));
    if (!a)
        return DD_ENOMEM;
    a->store = st;
    a->cfg = cfg;
    a->login_limit = ratelimit_new(cfg->login_rate_per_min, 60);
    a->calculator_limit = ratelimit_new(cfg->calculator_rate_per_min, 60);
    a->otp_phone_limit = ratelimit_new(cfg->otp_phone_rate_per_hour, 3600);
    a->otp_address_limit =
        ratelimit_new(cfg->otp_address_rate_per_hour, 3600);
    a->filing_address_limit =
        ratelimit_new(cfg->citizen_filing_address_per_day, 86400);
    if (!a->login_limit || !a->calculator_limit || !a->otp_phone_limit ||
        !a->otp_address_limit || !a->filing_address_limit) {
        rc = DD_ENOMEM;
        goto fail;
    }
    struct dd_error err = {0};
    rc = sms_gateway_new(cfg, &a->sms, &err);
    if (rc == DD_OK)
        rc = oidc_new(cfg, &a->oidc, &err);
    if (rc != DD_OK) {
        log_error("%s: %s", err.field ? err.field : "citizen sign-in",
                  err.message ? err.message : dd_status_name(rc));
        goto fail;
    }
    rc = citizen_otp_sender_select(cfg->otp_sender, cfg->demo_mode,
                                   sms_gateway_sender(a->sms),
                                   &a->otp_sender);
    if (rc != DD_OK) {
        log_error("otp-sender '%s' is not usable here: 'sms' needs sms-url, "
                  "'log' is for doudi demo only; use 'none' or leave it "
                  "empty",
                  cfg->otp_sender);
        goto fail;
    }
    /* doudi demo serves plain HTTP on loopback, where a browser would not
     * send a Secure cookie back */
    if (!cfg->cookie_secure[0])
        a->cookie_secure = !cfg->demo_mode;
    else if (strcmp(cfg->cookie_secure, "on") == 0)
        a->cookie_secure = 1;
    else if (strcmp(cfg->cookie_secure, "off") != 0) {
        log_error("cookie-secure is on, off or empty, not '%s'",
                  cfg->cookie_secure);
        rc = DD_EINVAL;
        goto fail;
    }
    rc = password_blocklist_load(cfg->data_dir);
    if (rc != DD_OK) {
        log_error("cannot read the common-password list %s/%s: %s",
                  cfg->data_dir, PASSWORD_BLOCKLIST_FILE, dd_status_name(rc));
        goto fail;
    }
    rc = api_citizen_portal_check(a);
    if (rc != DD_OK)
        goto fail;
    rc = password_hash("not a real password, only for timing", a->dummy_hash);
    if (rc != DD_OK)
        goto fail;
    /* a standby for the reports: PostgreSQL's streaming replication */
    if (cfg->db_replica[0]) {
        if (strncmp(cfg->db_replica, "postgresql://", 13) != 0 ||
            strncmp(cfg->db, "postgresql://", 13) != 0) {
            log_error("db-replica is a PostgreSQL standby's "
                      "postgresql:// URL, of a PostgreSQL database");
            rc = DD_EINVAL;
            goto fail;
        }
        rc = store_open(cfg->db_replica,
                        cfg->db_pool ? cfg->db_pool
                                     : cfg->threads + cfg->heavy_workers,
                        &a->replica);
        if (rc != DD_OK) {
            log_error("cannot open the standby of db-replica: %s",
                      dd_status_name(rc));
            goto fail;
        }
    }
    /* sessions remembered for a few seconds where every server hears of
     * one ended (PostgreSQL; none on SQLite) */
    rc = session_cache_new(st, &a->sessions);
    if (rc == DD_ENOTFOUND)
        rc = DD_OK;
    if (rc != DD_OK)
        goto fail;
    /* the data key seals ID numbers and keys their blind index */
    rc = pii_keys_load(cfg->key_file, &a->pii);
    if (rc != DD_OK) {
        log_error("cannot load the data key file %s: %s", cfg->key_file,
                  dd_status_name(rc));
        goto fail;
    }
    rc = store_tx_begin(st, STORE_READ, &tx);
    if (rc != DD_OK)
        goto fail;
    /* Reference data does not change while serving (init loads it), so
     * reads of single regions are served from memory. */
    rc = store_zone_each(tx, collect_zone, a);
    if (rc == DD_OK)
        rc = store_region_each(tx, collect_region, a);
    /* policy versions: from here on the server adds its own POSTs */
    if (rc == DD_OK)
        rc = refdata_policy_table(tx, &a->policy);
    /* the holiday calendar, for every statutory clock */
    if (rc == DD_OK)
        rc = refdata_workcal(tx, &a->calendar);
    /* the service catalog's versions (api_catalog.c) */
    if (rc == DD_OK)
        rc = api_catalog_load(a, tx);
    store_tx_rollback(tx);
    if (rc == DD_OK && pthread_rwlock_init(&a->policy_lock, NULL) != 0)
        rc = DD_ENOMEM;
    if (rc == DD_OK)
        a->policy_lock_ready = 1;
    if (rc == DD_OK)
        rc = render_regions(a);
    if (rc != DD_OK)
        goto fail;
    for (size_t t = 0; t < NTABLES; t++) {
        for (size_t i = 0; i < api_route_tables[t]->count; i++) {
            const struct route *r = &api_route_tables[t]->routes[i];
            char name[160];
            snprintf(name, sizeof(name), "%s %s", r->method, r->pattern);
            int slot = metrics_route_slot(name);
            if (i == 0)
                slot_base[t] = slot;
        }
    }
    *out = a;
    return DD_OK;
fail:
    api_free(a);
    return rc;
}

void
api_free(struct api *a)
{
    if (!a)
        return;
    ratelimit_free(a->login_limit);
    session_cache_free(a->sessions);
    if (a->replica)
        store_close(a->replica);
    pii_keys_free(a->pii);
    ratelimit_free(a->calculator_limit);
    ratelimit_free(a->otp_phone_limit);
    ratelimit_free(a->otp_address_limit);
    sms_gateway_free(a->sms);
    oidc_free(a->oidc);
    ratelimit_free(a->filing_address_limit);
    if (a->policy_lock_ready)
        pthread_rwlock_destroy(&a->policy_lock);
    policy_table_free(a->policy);
    api_calendar_free(a);
    api_catalog_free(a);
    free(a->zones);
    free(a->regions);
    free(a->region_json);
    arena_free(a->reference);
    free(a);
}

static int
is_write(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/* Matches, validates, authenticates and authorises: 0 when the route's
 * handler may run, or -1 after replying. */
static int
dispatch(struct http_request *req)
{
    struct dd_error err = {0};
    size_t t;
    enum router_result m = ROUTER_NOT_FOUND;
    int path_known = 0;
    for (t = 0; t < NTABLES; t++) {
        m = router_match(api_route_tables[t], 1, req);
        if (m == ROUTER_FOUND)
            break;
        path_known |= m == ROUTER_BAD_METHOD;
    }
    if (m != ROUTER_FOUND && path_known)
        m = ROUTER_BAD_METHOD;
    if (m == ROUTER_NOT_FOUND) {
        api_error(req, 404, "NO_SUCH_ROUTE", NULL, "no such resource",
                  "没有此资源");
        return -1;
    }
    if (m == ROUTER_BAD_METHOD) {
        api_error(req, 405, "METHOD_NOT_ALLOWED", NULL,
                  "this method is not allowed on this resource",
                  "此资源不支持该请求方法");
        return -1;
    }
    const struct route *r = req->route;
    req->metrics_slot = slot_base[t] + (int)(r - api_route_tables[t]->routes);
    if (router_validate(req, &err) != DD_OK) {
        api_fail(req, DD_EINVAL, &err);
        return -1;
    }
    if (!(r->flags & ROUTE_BODY) && req->body.len > 0) {
        api_error(req, 400, "UNEXPECTED_BODY", NULL,
                  "this request takes no body", "此请求不接受请求内容");
        return -1;
    }
    if (!(r->flags & ROUTE_PUBLIC)) {
        if (api_authenticate(req) != 0)
            return -1;
        if (is_write(req->method) && !api_csrf_ok(req)) {
            api_error(req, 403, "CSRF_TOKEN_INVALID", "X-CSRF-Token",
                      "a write needs the session's X-CSRF-Token header",
                      "写操作需要携带会话的 X-CSRF-Token 请求头");
            return -1;
        }
        if (api_authorise(req, (enum authz_action)r->action, NULL, NULL))
            return -1;
    }
    return 0;
}

/* The route's handler; whatever it left open is then rolled back: an
 * error path replies and returns, and never ends a transaction by hand. */
static void
run_route(struct http_request *req)
{
    req->route->handler(req);
    api_end(req);
}

int
api_takes_upload(struct http_request *req, void *ctx)
{
    (void)ctx;
    for (size_t t = 0; t < NTABLES; t++)
        if (router_match(api_route_tables[t], 1, req) == ROUTER_FOUND)
            return (req->route->flags & ROUTE_UPLOAD) != 0;
    return 0;
}

void
api_handle(struct http_request *req, void *ctx)
{
    req->app = ctx;
    if (dispatch(req) != 0)
        api_end(req);
    else if (req->route->flags & ROUTE_HEAVY)
        http_defer(req, run_route); /* on a heavy worker, or 503 */
    else
        run_route(req);
}
