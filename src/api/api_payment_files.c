/* SPDX-License-Identifier: MIT */
/* A payment batch's bank files over HTTP (issue 13 §3,
 * docs/payments.md, "Bank files and templates"): POST …/export writes
 * the approved batch in a bank's template and replies the file, GET
 * …/file the same bytes again (409 when they would differ), POST …/return reconciles the
 * bank's return file (the body), POST …/reissue makes a batch of the
 * failed lines, POST …/lines/{line}/resolve settles an unknown line. The
 * file goes from the store's row walk through the bank file writer into
 * an unlinked temporary file and is sent from there once its audit row
 * is committed: no reply buffer holds it and no reply cap bounds it. */
#include "api/api_cases.h"

#include <stdio.h>
#include <string.h>

#include "cases/payment_files.h"
#include "core/log.h"
#include "core/str.h"

#define REPLY_CAP (64u * 1024)
/* a template's code: its file name in data/banks without ".tpl" */
#define BANK_CODE_MAX 31

static void
template_free(void *t)
{
    bank_template_free(t);
}

/* The template of code from data-dir/banks: 0, or -1 after replying
 * (400 naming field for a code no template has; a template that does
 * not parse is the server's configuration, 500 naming its line). */
static int
template_load(struct http_request *req, const char *code, const char *field,
              struct bank_template **t)
{
    struct bank_error be;
    const char *path = NULL;
    if (strlen(code) <= BANK_CODE_MAX &&
        strspn(code, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(code))
        path = arena_printf(req->arena, "%s/banks/%s.tpl",
                            API(req)->cfg->data_dir, code);
    enum dd_status rc = path ? bank_template_load(path, t, &be) : DD_ENOTFOUND;
    if (rc == DD_ENOTFOUND) {
        api_error(req, 400, "UNKNOWN_BANK", field,
                  "no bank template has this code (data/banks/CODE.tpl)",
                  "没有该代码的银行模板（data/banks/代码.tpl）");
        return -1;
    }
    if (rc == DD_EINVAL) {
        log_error("bank template %s: %s", code, be.en);
        api_error(req, 500, "BANK_TEMPLATE", field,
                  "the bank template does not parse: see the server's log",
                  "银行模板格式有误，请查看服务器日志");
        return -1;
    }
    if (rc == DD_OK && arena_cleanup_add(req->arena, template_free, *t) != 0) {
        bank_template_free(*t);
        rc = DD_ENOMEM;
    }
    return api_check(req, rc, NULL);
}

/* The path's batch in tx, which the caller may act on by action in its
 * county: 0, or -1 after replying (out of scope: 404). */
static int
load(struct http_request *req, struct store_tx *tx, enum authz_action action,
     struct payment_batch_row *b)
{
    enum dd_status rc = store_payment_batch_get(tx, api_path_id(req, 0), b);
    return api_check(req, rc, NULL)
               ? -1
               : api_authorise(req, action, b->county_code, "");
}

static enum dd_status
file_sink(void *ctx, const void *bytes, size_t len)
{
    return fwrite(bytes, 1, len, ctx) == len ? DD_OK : DD_EINTERNAL;
}

/* An unlinked temporary file, closed when the request ends: 0, or -1
 * after replying 503. */
static int
temp_file(struct http_request *req, FILE **f)
{
    *f = tmpfile();
    if (*f && api_close_at_end(req, *f) == 0)
        return 0;
    return api_check(req, DD_ENOMEM, NULL);
}

/* Replies 200 with the file written (and flushed) to f, named after the
 * batch and its template, its SM3 in X-File-SM3. */
static void
reply_file(struct http_request *req, const struct payment_batch_row *b, FILE *f,
           const struct bank_result *res)
{
    const char *cd =
        arena_printf(req->arena, "attachment; filename=\"payment-%lld-%s.txt\"",
                     (long long)b->id, b->bank_code);
    const char *sm3 = arena_strdup(req->arena, res->sm3_hex);
    if (!cd || !sm3 ||
        http_set_header(req, "Content-Disposition", cd) != DD_OK ||
        http_set_header(req, "X-File-SM3", sm3) != DD_OK) {
        api_fail(req, DD_ENOMEM, NULL);
        return;
    }
    http_reply_file(req, 200, "application/octet-stream", fileno(f),
                    (size_t)res->bytes);
}

struct export_body {
    const char *bank;
    int64_t version;
};

#define EB(f) offsetof(struct export_body, f)
static const struct json_field export_fields[] = {
    {"bank", JSON_T_STRING, 1, 1, BANK_CODE_MAX, EB(bank)},
    {"version", JSON_T_INT, 0, 1, INT32_MAX, EB(version)},
};

/* POST /api/v1/payment-batches/{id}/export {bank, version}: the approved
 * batch in the bank's template; the batch is then exported with the
 * file's SM3, audited as a read of personal data, and the file is the
 * reply. */
static void
batch_export(struct http_request *req)
{
    struct export_body in = {.version = -1};
    struct payment_batch_row b;
    struct bank_template *t;
    struct bank_result res;
    struct dd_error err = {0};
    struct cases_ctx x;
    struct store_tx *tx;
    unsigned present = 0;
    int64_t want = -1;
    FILE *f;
    if (api_begin(req, STORE_WRITE, &tx) ||
        load(req, tx, AUTHZ_PAYMENT_WRITE, &b) ||
        api_decode(req, export_fields,
                   sizeof(export_fields) / sizeof(export_fields[0]), &in,
                   &present) ||
        api_expected_version(req, in.version, &want) ||
        template_load(req, in.bank, "bank", &t) || temp_file(req, &f))
        return;
    api_case_ctx(req, tx, &x);
    enum dd_status rc = cases_payfile_export(&x, &b, t, in.bank, want,
                                             file_sink, f, &res, &err);
    if (rc == DD_OK && fflush(f) != 0) /* on disk before the commit */
        rc = DD_EINTERNAL;
    if (!api_finish(req, tx, rc, &err))
        reply_file(req, &b, f, &res);
}

/* GET /api/v1/payment-batches/{id}/file: the exported file again, byte
 * for byte, audited; 409 FILE_CHANGED rather than other bytes. */
static void
batch_file(struct http_request *req)
{
    struct payment_batch_row b;
    struct bank_template *t;
    struct bank_result res;
    struct dd_error err = {0};
    struct cases_ctx x;
    struct store_tx *tx;
    FILE *f;
    if (api_begin(req, STORE_WRITE, &tx) ||
        load(req, tx, AUTHZ_PAYMENT_WRITE, &b))
        return;
    if (!b.bank_code[0]) {
        api_error(req, 409, "BATCH_STATE", NULL,
                  "the batch has not been exported", "该批次尚未导出");
        return;
    }
    if (template_load(req, b.bank_code, NULL, &t) || temp_file(req, &f))
        return;
    api_case_ctx(req, tx, &x);
    enum dd_status rc =
        cases_payfile_again(&x, &b, t, file_sink, f, &res, &err);
    if (rc == DD_OK && fflush(f) != 0)
        rc = DD_EINTERNAL;
    if (!api_finish(req, tx, rc, &err))
        reply_file(req, &b, f, &res);
}

/* POST /api/v1/payment-batches/{id}/return?bank=CODE, the body the
 * bank's return file: the exported batch reconciled, in one
 * transaction; a malformed file is 400 naming its line and field and
 * changes nothing. */
static void
batch_return(struct http_request *req)
{
    const char *bank = http_query(req, "bank");
    struct payment_batch_row b;
    struct bank_template *t;
    struct payfile_outcome o;
    struct dd_error err = {0};
    struct cases_ctx x;
    struct store_tx *tx;
    int64_t want = -1;
    if (api_begin(req, STORE_WRITE, &tx) ||
        load(req, tx, AUTHZ_PAYMENT_WRITE, &b) ||
        api_expected_version(req, -1, &want))
        return;
    if (bank && strcmp(bank, b.bank_code) != 0) {
        api_error(req, 409, "BANK_MISMATCH", "bank",
                  "the batch was exported in another bank's template",
                  "该批次导出时使用的是另一银行模板");
        return;
    }
    if (!b.bank_code[0]) {
        api_error(req, 409, "BATCH_STATE", NULL,
                  "the batch has not been exported", "该批次尚未导出");
        return;
    }
    if (template_load(req, b.bank_code, "bank", &t))
        return;
    api_case_ctx(req, tx, &x);
    enum dd_status rc = cases_payfile_reconcile(&x, &b, t, req->body.data,
                                                req->body.len, want, &o, &err);
    if (api_finish(req, tx, rc, &err))
        return;
    struct jw w;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    api_put_payment_batch(&w, "batch", &b);
    cases_payfile_outcome_put(&w, "outcome", &o);
    jw_end(&w);
    api_reply_jw(req, 200, &w);
}

/* POST /api/v1/payment-batches/{id}/reissue: a batch of kind 'reissue'
 * of the reconciled batch's failed lines (201). */
static void
batch_reissue(struct http_request *req)
{
    struct payment_batch_row b, nb;
    struct dd_error err = {0};
    struct cases_ctx x;
    struct store_tx *tx;
    struct payfile_reissue_notes notes;
    if (api_begin(req, STORE_WRITE, &tx) ||
        load(req, tx, AUTHZ_PAYMENT_WRITE, &b))
        return;
    api_case_ctx(req, tx, &x);
    enum dd_status rc = cases_payfile_reissue(&x, &b, &nb, &notes, &err);
    if (api_finish(req, tx, rc, &err))
        return;
    struct jw w;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    api_put_payment_batch(&w, "batch", &nb);
    jw_int(&w, "reissue_of_batch", b.id);
    jw_int(&w, "unknown_waiting", notes.unknown_waiting);
    jw_int(&w, "same_account", notes.same_account);
    jw_end(&w);
    api_reply_jw(req, 201, &w);
}

struct resolve_body {
    const char *status, *reason;
};

#define RB(f) offsetof(struct resolve_body, f)
static const struct json_field resolve_fields[] = {
    {"status", JSON_T_STRING, 1, 1, 8, RB(status)},
    {"reason", JSON_T_STRING, 1, 1, 500, RB(reason)},
};

/* POST /api/v1/payment-batches/{id}/lines/{line}/resolve {status,
 * reason}: staff settle a line whose outcome is unknown. */
static void
line_resolve(struct http_request *req)
{
    struct resolve_body in = {0};
    struct payment_batch_row b;
    struct payment_line_row l;
    struct dd_error err = {0};
    struct cases_ctx x;
    struct store_tx *tx;
    unsigned present = 0;
    if (api_begin(req, STORE_WRITE, &tx) ||
        load(req, tx, AUTHZ_PAYMENT_WRITE, &b) ||
        api_decode(req, resolve_fields,
                   sizeof(resolve_fields) / sizeof(resolve_fields[0]), &in,
                   &present))
        return;
    enum dd_status rc = store_payment_line_get(tx, api_path_id(req, 1), &l);
    if (rc == DD_OK && l.batch_id != b.id)
        rc = DD_ENOTFOUND;
    if (api_check(req, rc, NULL))
        return;
    api_case_ctx(req, tx, &x);
    rc = cases_payfile_resolve(&x, &b, &l, in.status, in.reason, &err);
    if (api_finish(req, tx, rc, &err))
        return;
    struct jw w;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    jw_obj(&w, "line");
    jw_int(&w, "id", l.id);
    jw_int(&w, "batch_id", l.batch_id);
    jw_str(&w, "status", l.status);
    jw_str(&w, "reason_code", l.reason_code);
    jw_str(&w, "reason_text", in.reason);
    jw_int(&w, "amount_fen", l.amount_fen);
    jw_end(&w);
    jw_end(&w);
    api_reply_jw(req, 200, &w);
}

static const struct param_spec line_params[] = {
    {"id", PARAM_DIGITS, 1, 18, 0, 0},
    {"line", PARAM_DIGITS, 1, 18, 0, 0},
};

static const struct param_spec return_query[] = {
    {"bank", PARAM_NAME, 0, BANK_CODE_MAX, 0, 0},
    {NULL, 0, 0, 0, 0, 0},
};

/* clang-format off: one route per line */
static const struct route routes[] = {
    {"POST", "/api/v1/payment-batches/{id}/export", api_id_param, api_no_query, AUTHZ_PAYMENT_WRITE, ROUTE_BODY | ROUTE_HEAVY, batch_export, "the approved batch as the bank's file (audited personal-data read; the batch becomes exported)"},
    {"GET", "/api/v1/payment-batches/{id}/file", api_id_param, api_no_query, AUTHZ_PAYMENT_WRITE, ROUTE_HEAVY, batch_file, "the exported bank file again, byte for byte (409 when it would differ)"},
    {"POST", "/api/v1/payment-batches/{id}/return", api_id_param, return_query, AUTHZ_PAYMENT_WRITE, ROUTE_BODY | ROUTE_HEAVY | ROUTE_UPLOAD, batch_return, "reconcile the bank's return file (the body) with the exported batch"},
    {"POST", "/api/v1/payment-batches/{id}/reissue", api_id_param, api_no_query, AUTHZ_PAYMENT_WRITE, 0, batch_reissue, "a reissue batch of the reconciled batch's failed lines"},
    {"POST", "/api/v1/payment-batches/{id}/lines/{line}/resolve", line_params, api_no_query, AUTHZ_PAYMENT_WRITE, ROUTE_BODY, line_resolve, "settle a line whose outcome is unknown as paid or failed"},
};
/* clang-format on */

const struct route_table api_payment_file_routes = {
    "payment-files", routes, sizeof(routes) / sizeof(routes[0])};
