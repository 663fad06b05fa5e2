/* SPDX-License-Identifier: MIT */
/* The audit log for auditors, filtered by actor, object, action, region
 * and time (session.spread_attack: the sign-in alerts).
 * A district auditor sees only rows of their district; reading the log is
 * itself audited. */
#include "api/api_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"

#define PAGE_MAX 500

static void
audit_list(struct http_request *req)
{
    struct principal *p = PRINCIPAL(req);
    struct store_tx *tx;
    struct audit_filter f = {0};
    const char *limit_s = http_query(req, "limit");
    const char *cursor = http_query(req, "cursor");
    const char *from = http_query(req, "from");
    const char *to = http_query(req, "to");
    const char *region = http_query(req, "region");
    size_t limit = limit_s ? (size_t)strtoul(limit_s, NULL, 10) : 100, n = 0;

    f.actor = http_query(req, "actor");
    f.object = http_query(req, "object");
    f.action = http_query(req, "action");
    f.after_seq = cursor ? strtoll(cursor, NULL, 10) : 0;
    if (from && time_parse_iso8601(from, &f.from) != 0)
        return; /* validated by the router */
    if (to && time_parse_iso8601(to, &f.to) != 0)
        return;
    if (to && strlen(to) == 10)
        f.to += 86399; /* a date means the whole day */
    /* A scope narrower than the city sees only its own rows; a region
     * filter must lie inside the scope. */
    if (region) {
        if (api_authorise(req, AUTHZ_AUDIT_READ, region, NULL))
            return;
        f.region_prefix = region;
    } else if (p->prefix_count != 1) {
        /* accounts_validate gives an auditor exactly one scope entry */
        api_error(req, 403, "SCOPE_UNSUPPORTED", "scope",
                  "an auditor's scope must be one region",
                  "审计人员的管辖范围必须是一个区域");
        return;
    } else if (strcmp(p->prefixes[0], "50") != 0) {
        f.region_prefix = p->prefixes[0];
    }
    struct audit_row *rows = api_alloc(req, (limit + 1) * sizeof(*rows));
    if (!rows)
        return;
    if (api_begin(req, STORE_WRITE, &tx))
        return;
    enum dd_status rc = store_audit_list(tx, &f, rows, limit + 1, &n);
    if (rc == DD_OK)
        rc = api_audit(
            req, tx, "audit.read", "audit", NULL,
            json_object_of_strings(req->arena,
                                   (const char *[]){"actor", f.actor, "object",
                                                    f.object, "action", f.action,
                                                    "region", region},
                                   4));
    if (api_finish(req, tx, rc, NULL))
        return;
    int64_t next = 0;
    if (n > limit) {
        n = limit;
        next = rows[n - 1].seq;
    }
    const char *body = json_encode_audit_list(req->arena, rows, n, next);
    api_reply(req, 200, body);
}

static const struct param_spec list_query[] = {
    {"actor", PARAM_STRING, 0, 63, 0, 0},
    {"object", PARAM_STRING, 0, 127, 0, 0},
    {"action", PARAM_STRING, 0, 63, 0, 0},
    {"region", PARAM_REGION, 0, 12, 0, 0},
    {"from", PARAM_DATE, 0, 20, 0, 0},
    {"to", PARAM_DATE, 0, 20, 0, 0},
    {"cursor", PARAM_INT, 0, 19, 0, INT64_MAX},
    {"limit", PARAM_INT, 0, 4, 1, PAGE_MAX},
    {NULL, 0, 0, 0, 0, 0},
};

/* clang-format off: one route per line */
static const struct route routes[] = {
    {"GET", "/api/v1/audit", NULL, list_query, AUTHZ_AUDIT_READ, 0, audit_list, "audit log rows, filtered; oldest first"},
};
/* clang-format on */

const struct route_table api_audit_routes = {
    "audit", routes, sizeof(routes) / sizeof(routes[0])};
