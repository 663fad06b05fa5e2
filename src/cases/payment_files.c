/* SPDX-License-Identifier: MIT */
/* A payment batch's bank files (payment_files.h): the export streamed
 * from the store's row walk through the bank file writer
 * (io/bankfile.h) to the caller's sink, the same bytes again, the bank's
 * return file reconciled by a merge of its lines sorted by line id with
 * the batch's lines in id order (memory of a few words per line; the
 * accounts compared by blind index, none unsealed; the exceptions
 * written by id lists; a line left pending is one the bank paid), the
 * reissue of failed lines and an unknown line resolved. The export's
 * account and ID numbers are opened on a helper thread (payfile_unseal.h)
 * into buffers wiped once each line is written, and never logged; the
 * return file is read on one beside the batch's lines. */
#include "cases/payment_files.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases_internal.h"
#include "cases/payfile_unseal.h"
#include "core/grow.h"
#include "core/str.h"
#include "crypto/sm3.h"
#include "io/csv.h"
#include "json/jw.h"

static enum dd_status
conflict(struct dd_error *err, const char *code, const char *field,
         const char *en, const char *zh)
{
    cases_err(err, code, field, en, zh);
    return DD_ECONFLICT;
}

static enum dd_status
state_conflict(const struct cases_ctx *x, struct dd_error *err,
               const struct payment_batch_row *b, const char *want)
{
    return conflict(err, "BATCH_STATE", NULL,
                    arena_printf(x->arena, "the batch is %s; this needs it %s",
                                 b->state, want),
                    arena_printf(x->arena,
                                 "该批次状态为 %s，此操作要求状态为 %s",
                                 b->state, want));
}

static enum dd_status
version_conflict(struct dd_error *err)
{
    return conflict(err, "VERSION_CONFLICT", "version",
                    "the batch was changed meanwhile; reload it",
                    "该批次已被他人修改，请刷新后重试");
}

/* A bank file error as the client's, copied out of be (which dies with
 * the caller's frame) into the arena. */
static enum dd_status
bank_err(const struct cases_ctx *x, const struct bank_error *be,
         struct dd_error *err, enum dd_status rc)
{
    if (err) {
        err->code = be->code;
        err->field = arena_strdup(x->arena, be->field);
        err->message = arena_strdup(x->arena, be->en);
        err->message_zh = arena_strdup(x->arena, be->zh);
    }
    return rc;
}

static void
audit_batch(struct jw *w, const struct payment_batch_row *b)
{
    jw_obj(w, NULL);
    jw_str(w, "county", b->county_code);
    jw_str(w, "item", b->item_code);
    jw_str(w, "month", b->month);
    jw_str(w, "kind", b->kind);
    jw_int(w, "seq", b->seq);
    jw_int(w, "version", b->version);
}

static enum dd_status
audit(const struct cases_ctx *x, const char *action, const char *object,
      const struct payment_batch_row *b, struct jw *w)
{
    jw_end(w);
    const char *detail = jw_finish_arena(w, x->arena);
    if (!detail)
        return w->rc == DD_OK ? DD_ENOMEM : w->rc;
    return cases_audit(x, action, object, b->county_code, detail);
}

static const char *
batch_object(const struct cases_ctx *x, int64_t id)
{
    return arena_printf(x->arena, "payment_batch:%" PRId64, id);
}

/* ---- the export ---- */

struct write_ctx {
    const struct cases_ctx *x;
    const struct payment_batch_row *b;
    struct bank_writer *w;
    struct unsealer *u;
    struct bank_error be;
    enum dd_status rc;
    int64_t missing; /* lines whose payee has no account */
};

/* A line opened: written out (on the reading thread, in line order). */
static enum dd_status
write_line(const struct unsealed_line *u, void *arg)
{
    struct write_ctx *c = arg;
    char line_id[24];
    snprintf(line_id, sizeof(line_id), "%" PRId64, u->l.id);
    struct bank_line bl = {.line_id = line_id,
                           .payee_name = u->l.name,
                           .account = u->account,
                           .id_number = u->id_number,
                           .amount_fen = u->l.amount_fen,
                           .programme = c->b->item_code,
                           .month = u->l.month};
    return bank_writer_line(c->w, &bl, &c->be);
}

/* A line read: counted when its payee has no account (the file is then
 * refused), else handed to the unsealer. */
static int
read_line_out(const struct payfile_line *l, void *arg)
{
    struct write_ctx *c = arg;
    if (!l->account_enc[0]) {
        c->missing++;
        return 0;
    }
    if (c->missing) /* the file is refused: count the others */
        return 0;
    c->rc = unsealer_push(c->u, l);
    return c->rc != DD_OK;
}

/* Writes b in t, dated date, to sink. */
static enum dd_status
write_file(const struct cases_ctx *x, const struct payment_batch_row *b,
           const struct bank_template *t, const char *date, bank_sink_fn sink,
           void *sink_ctx, struct bank_result *res, struct dd_error *err)
{
    char batch_id[24];
    snprintf(batch_id, sizeof(batch_id), "%" PRId64, b->id);
    struct bank_batch bb = {.batch_id = batch_id,
                            .county = b->county_code,
                            .programme = b->item_code,
                            .month = b->month,
                            .date = date,
                            .count = b->line_count,
                            .sum_fen = b->total_fen};
    struct write_ctx c = {.x = x, .b = b};
    enum dd_status rc = bank_writer_new(t, &bb, sink, sink_ctx, &c.w, &c.be);
    if (rc == DD_OK)
        rc = unsealer_new(x->pii, write_line, &c, &c.u);
    if (rc == DD_OK)
        rc = store_payfile_lines_each(x->tx, b->id, read_line_out, &c);
    if (rc == DD_OK)
        rc = c.rc;
    if (rc == DD_OK && !c.missing)
        rc = unsealer_finish(c.u);
    unsealer_free(c.u);
    if (rc == DD_OK && c.missing)
        rc = conflict(
            err, "PAYEE_ACCOUNT_MISSING", NULL,
            arena_printf(x->arena,
                         "%" PRId64 " lines of the batch have no payee "
                         "account: enter and confirm them first",
                         c.missing),
            arena_printf(x->arena,
                         "该批次有 %" PRId64 " 条明细的领款人没有银行账户，"
                         "请先录入并确认账户",
                         c.missing));
    else if (rc == DD_OK)
        rc = bank_writer_finish(c.w, res, &c.be);
    bank_writer_free(c.w);
    /* a line or the totals the template cannot write: the rules of the
     * bank's layout refuse this batch, not the client's request */
    return rc == DD_EINVAL ? bank_err(x, &c.be, err, DD_EREFUSED) : rc;
}

static void
audit_file(struct jw *w, const struct payment_batch_row *b,
           const struct bank_result *res)
{
    audit_batch(w, b);
    jw_str(w, "bank", b->bank_code);
    jw_int(w, "lines", res->count);
    jw_int(w, "sum_fen", res->sum_fen);
    jw_int(w, "bytes", res->bytes);
    jw_str(w, "sm3", res->sm3_hex);
    /* a read of personal data: names, ID and account numbers */
    jw_str(w, "personal_data", "name,id_number,account");
}

enum dd_status
cases_payfile_export(const struct cases_ctx *x, struct payment_batch_row *b,
                     const struct bank_template *t, const char *bank_code,
                     int64_t version, bank_sink_fn sink, void *sink_ctx,
                     struct bank_result *res, struct dd_error *err)
{
    if (strcmp(b->state, "approved") != 0)
        return state_conflict(x, err, b, "approved");
    if (version >= 0 && version != b->version)
        return version_conflict(err);
    enum dd_status rc = write_file(x, b, t, x->day.s, sink, sink_ctx, res, err);
    if (rc != DD_OK)
        return rc;
    str_copy(b->state, sizeof(b->state), "exported");
    str_copy(b->exported_by, sizeof(b->exported_by), x->actor.name);
    b->exported_at = x->now;
    str_copy(b->file_sm3, sizeof(b->file_sm3), res->sm3_hex);
    str_copy(b->bank_code, sizeof(b->bank_code), bank_code);
    rc = store_payment_batch_update(x->tx, b);
    if (rc == DD_ECONFLICT)
        return version_conflict(err);
    if (rc != DD_OK)
        return rc;
    struct jw w;
    jw_init(&w, 4096);
    audit_file(&w, b, res);
    return audit(x, "payment_batch.export", batch_object(x, b->id), b, &w);
}

enum dd_status
cases_payfile_again(const struct cases_ctx *x,
                    const struct payment_batch_row *b,
                    const struct bank_template *t, bank_sink_fn sink,
                    void *sink_ctx, struct bank_result *res,
                    struct dd_error *err)
{
    struct civil_day day;
    if (!b->file_sm3[0])
        return state_conflict(x, err, b, "exported");
    civil_day_of(b->exported_at, &day);
    enum dd_status rc = write_file(x, b, t, day.s, sink, sink_ctx, res, err);
    if (rc != DD_OK)
        return rc;
    if (strcmp(res->sm3_hex, b->file_sm3) != 0)
        return conflict(err, "FILE_CHANGED", NULL,
                        "the file would differ from the one exported (its "
                        "template or a payee's data changed): not served",
                        "重新生成的文件与导出时的文件不一致（模板或领款人信息"
                        "已变更），不予下载");
    struct jw w;
    jw_init(&w, 4096);
    audit_file(&w, b, res);
    return audit(x, "payment_batch.file", batch_object(x, b->id), b, &w);
}

/* ---- the return file ---- */

/* A return line as the merge needs it: the account as the first 64
 * bits of its blind index (the check is one line's account against the
 * one exported for it, so 64 bits make a false match negligible; no
 * number is kept in memory, and none stored is unsealed to compare). */
struct ret_entry {
    int64_t line_id, amount_fen;
    uint64_t account_key;
    int32_t file_line;
    int32_t failed; /* 0: paid; else 1 + its reason's index */
};

/* A failed line's reason as the bank gave it (malloc'd: the file is
 * read on a helper thread, beside the request's arena). */
struct reason {
    char *code, *text;
};

/* A batch line as the merge needs it: its amount and the first 64 bits
 * of the blind index of the account it was exported to. */
struct batch_line {
    int64_t id, amount_fen;
    uint64_t account_key;
    int has_account;
};

struct ids {
    int64_t *v;
    size_t n, cap;
};

struct ret_ctx {
    const struct cases_ctx *x;
    /* the file's lines, sorted by line id, and the failures' reasons */
    struct ret_entry *e;
    size_t n, cap;
    struct reason *r;
    size_t nr, rcap;
    struct bank_error be;
    char sm3[SM3_HEX_LEN + 1];
    /* the batch's lines in id order */
    struct batch_line *lines;
    size_t nl, lcap;
    /* the merge */
    struct ids not_in_file, duplicate, mismatch;
    struct ids failed; /* line ids; failed_reason[i] is theirs */
    int32_t *failed_reason;
    size_t failed_cap;
    struct payfile_outcome *out;
    enum dd_status rc;
};

/* The first 64 bits of a blind index in hex; 0 for none. */
static uint64_t
index_key(const char *hex)
{
    uint64_t k = 0;
    for (int i = 0; i < 16 && hex[i]; i++) {
        char c = hex[i];
        k = k << 4 | (uint64_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return k;
}

/* An account number's key as its payee account's row has it. */
static uint64_t
account_key(const struct cases_ctx *x, const char *account)
{
    char hex[PII_BLIND_INDEX_LEN + 1];
    if (!*account)
        return 0;
    pii_blind_index(x->pii, account, hex);
    return index_key(hex);
}

static int
ids_push(struct ids *l, int64_t id)
{
    int64_t *v = grow_room(l->v, l->n, &l->cap, sizeof(*v), 1024);
    if (!v)
        return -1;
    l->v = v;
    v[l->n++] = id;
    return 0;
}

static enum dd_status
bad_line(struct ret_ctx *c, long line, const char *en, const char *zh)
{
    c->be.line = line;
    c->be.code = "BANK_RETURN";
    str_copy(c->be.field, sizeof(c->be.field), "line_id");
    snprintf(c->be.en, sizeof(c->be.en), "line %ld, field line_id: %s", line,
             en);
    snprintf(c->be.zh, sizeof(c->be.zh), "第%ld行，明细编号（line_id）：%s",
             line, zh);
    return DD_EINVAL;
}

static enum dd_status
read_line(void *arg, const struct bank_return_line *l)
{
    struct ret_ctx *c = arg;
    char *end;
    long long id = strtoll(l->line_id, &end, 10);
    if (!*l->line_id || *end || id <= 0 || l->line > INT32_MAX)
        return bad_line(c, l->line, "not a line id of this batch",
                        "不是本批次的明细编号");
    struct ret_entry *e = grow_room(c->e, c->n, &c->cap, sizeof(*e), 4096);
    if (!e)
        return DD_ENOMEM;
    c->e = e;
    e = &c->e[c->n++];
    *e = (struct ret_entry){.line_id = id,
                            .amount_fen = l->amount_fen,
                            .account_key = account_key(c->x, l->account),
                            .file_line = (int32_t)l->line};
    if (l->status == BANK_PAID)
        return DD_OK;
    struct reason *r = grow_room(c->r, c->nr, &c->rcap, sizeof(*r), 64);
    if (!r)
        return DD_ENOMEM;
    c->r = r;
    c->r[c->nr] =
        (struct reason){strdup(l->reason_code), strdup(l->reason_text)};
    if (!c->r[c->nr].code || !c->r[c->nr].text) {
        free(c->r[c->nr].code);
        free(c->r[c->nr].text);
        return DD_ENOMEM;
    }
    e->failed = (int32_t)++c->nr;
    return DD_OK;
}

static int
by_line_id(const void *a, const void *b)
{
    const struct ret_entry *x = a, *y = b;
    if (x->line_id != y->line_id)
        return x->line_id < y->line_id ? -1 : 1;
    return (x->file_line > y->file_line) - (x->file_line < y->file_line);
}

static void
tally(struct payfile_tally *t, int64_t fen)
{
    t->count++;
    t->sum_fen += fen;
}

/* Where batch line l goes, given the return lines e[0..k) of its id. */
static enum dd_status
classify(struct ret_ctx *c, const struct batch_line *l,
         const struct ret_entry *e, size_t k)
{
    struct payfile_outcome *o = c->out;
    if (k != 1) {
        tally(&o->unknown, l->amount_fen);
        tally(k ? &o->duplicate : &o->not_in_file, l->amount_fen);
        return ids_push(k ? &c->duplicate : &c->not_in_file, l->id) ? DD_ENOMEM
                                                                    : DD_OK;
    }
    /* a line exported with no account cannot have been paid into it */
    if (e->amount_fen != l->amount_fen || !l->has_account ||
        e->account_key != l->account_key) {
        tally(&o->unknown, l->amount_fen);
        tally(&o->mismatch, l->amount_fen);
        return ids_push(&c->mismatch, l->id) ? DD_ENOMEM : DD_OK;
    }
    if (!e->failed) {
        tally(&o->paid, l->amount_fen); /* written last, all at once */
        return DD_OK;
    }
    tally(&o->failed, l->amount_fen);
    int32_t *fr = grow_room(c->failed_reason, c->failed.n, &c->failed_cap,
                            sizeof(*fr), 64);
    if (!fr)
        return DD_ENOMEM;
    c->failed_reason = fr;
    fr[c->failed.n] = e->failed - 1;
    return ids_push(&c->failed, l->id) ? DD_ENOMEM : DD_OK;
}

/* Keeps batch line l for the merge. */
static int
keep_line(const struct payfile_return_line *l, void *arg)
{
    struct ret_ctx *c = arg;
    struct batch_line *v =
        grow_room(c->lines, c->nl, &c->lcap, sizeof(*v), 4096);
    if (!v) {
        c->rc = DD_ENOMEM;
        return 1;
    }
    c->lines = v;
    v[c->nl++] =
        (struct batch_line){l->id, l->amount_fen, index_key(l->account_index),
                            l->account_index[0] != 0};
    return 0;
}

/* Walks the batch's lines and the file's, both in line id order: every
 * file line must be a batch line's, and each batch line is classified by
 * the file lines of its id. */
static enum dd_status
merge(struct ret_ctx *c)
{
    size_t j = 0;
    for (size_t i = 0; i < c->nl; i++) {
        const struct batch_line *l = &c->lines[i];
        if (j < c->n && c->e[j].line_id < l->id)
            break;
        size_t k = 0;
        while (j + k < c->n && c->e[j + k].line_id == l->id)
            k++;
        enum dd_status rc = classify(c, l, &c->e[j], k);
        if (rc != DD_OK)
            return rc;
        j += k;
    }
    if (j < c->n)
        return bad_line(c, c->e[j].file_line, "not a line id of this batch",
                        "不是本批次的明细编号");
    return DD_OK;
}

/* Writes the exceptions: id lists of one status and reason a statement
 * each, the failed lines one by one with the bank's reason. The paid
 * lines are not written: once the batch is reconciled a line still
 * 'pending' is one the bank paid (store_payments.c LINE_STATUS), and
 * rewriting a county's every line cost most of the return (a 0.1-scale
 * city's 0.88 s; on PostgreSQL a new row version per line). */
static enum dd_status
write_ids(const struct cases_ctx *x, int64_t batch, const char *status,
          const char *reason, const struct ids *l)
{
    enum dd_status rc = DD_OK;
    for (size_t i = 0; rc == DD_OK && i < l->n; i += STORE_PAYFILE_IDS_MAX) {
        size_t n = l->n - i;
        rc = store_payfile_lines_set(
            x->tx, batch, status, reason, l->v + i,
            n < STORE_PAYFILE_IDS_MAX ? n : STORE_PAYFILE_IDS_MAX);
    }
    return rc;
}

static enum dd_status
write_outcomes(struct ret_ctx *c, int64_t batch)
{
    const struct cases_ctx *x = c->x;
    enum dd_status rc =
        write_ids(x, batch, "unknown", "NOT_IN_FILE", &c->not_in_file);
    if (rc == DD_OK)
        rc = write_ids(x, batch, "unknown", "DUPLICATE", &c->duplicate);
    if (rc == DD_OK)
        rc = write_ids(x, batch, "unknown", "MISMATCH", &c->mismatch);
    for (size_t i = 0; rc == DD_OK && i < c->failed.n; i++) {
        const struct reason *r = &c->r[c->failed_reason[i]];
        rc = store_payment_line_set_status(x->tx, c->failed.v[i], "failed",
                                           r->code, r->text);
    }
    return rc;
}

static void
put_tally(struct jw *w, const char *key, const struct payfile_tally *t)
{
    jw_obj(w, key);
    jw_int(w, "lines", t->count);
    jw_int(w, "sum_fen", t->sum_fen);
    jw_end(w);
}

void
cases_payfile_outcome_put(struct jw *w, const char *key,
                          const struct payfile_outcome *o)
{
    jw_obj(w, key);
    put_tally(w, "paid", &o->paid);
    put_tally(w, "failed", &o->failed);
    put_tally(w, "unknown", &o->unknown);
    put_tally(w, "not_in_file", &o->not_in_file);
    put_tally(w, "duplicate", &o->duplicate);
    put_tally(w, "mismatch", &o->mismatch);
    jw_end(w);
}

/* The bank's file, read on a helper thread: parsed strictly, each
 * account's blind index (a keyed SM3 each) and the file's SM3 for the
 * audit, the lines sorted by id. */
struct file_job {
    struct ret_ctx *c;
    const struct bank_template *t;
    const char *bytes;
    size_t len;
    enum dd_status rc;
};

static void *
read_file(void *arg)
{
    struct file_job *j = arg;
    struct ret_ctx *c = j->c;
    struct csv_mem src = {j->bytes, j->len, 0};
    struct bank_return_totals totals;
    j->rc = bank_read_return(j->t, csv_mem_source, &src, read_line, c, &totals,
                             &c->be);
    if (j->rc == DD_OK && c->n > 0)
        qsort(c->e, c->n, sizeof(*c->e), by_line_id);
    if (j->rc == DD_OK)
        sm3_hex(j->bytes, j->len, c->sm3);
    return NULL;
}

/* Reads the file (on a helper thread when one starts, else here) while
 * this thread reads the batch's lines from the store: the two halves
 * cost about the same, and neither needs the other until the merge. */
static enum dd_status
read_both(struct ret_ctx *c, int64_t batch, const struct bank_template *t,
          const char *bytes, size_t len)
{
    struct file_job job = {c, t, bytes, len, DD_OK};
    pthread_t helper;
    int threaded = pthread_create(&helper, NULL, read_file, &job) == 0;
    enum dd_status rc =
        store_payfile_return_lines_each(c->x->tx, batch, keep_line, c);
    if (rc == DD_OK)
        rc = c->rc;
    if (threaded)
        pthread_join(helper, NULL);
    else
        read_file(&job);
    /* a malformed file is the answer whatever the store said */
    return job.rc != DD_OK ? job.rc : rc;
}

static enum dd_status
reconcile(struct ret_ctx *c, struct payment_batch_row *b,
          const struct bank_template *t, const char *bytes, size_t len,
          struct dd_error *err)
{
    const struct cases_ctx *x = c->x;
    enum dd_status rc = read_both(c, b->id, t, bytes, len);
    if (rc == DD_OK)
        rc = merge(c);
    if (rc == DD_EINVAL)
        return bank_err(x, &c->be, err, DD_EINVAL);
    if (rc == DD_OK)
        rc = write_outcomes(c, b->id);
    if (rc == DD_OK) {
        str_copy(b->state, sizeof(b->state), "reconciled");
        rc = store_payment_batch_update(x->tx, b);
    }
    if (rc == DD_ECONFLICT)
        return version_conflict(err);
    if (rc != DD_OK)
        return rc;
    struct jw w;
    jw_init(&w, 4096);
    audit_batch(&w, b);
    jw_str(&w, "bank", b->bank_code);
    jw_str(&w, "return_sm3", c->sm3);
    cases_payfile_outcome_put(&w, "outcome", c->out);
    return audit(x, "payment_batch.reconcile", batch_object(x, b->id), b, &w);
}

enum dd_status
cases_payfile_reconcile(const struct cases_ctx *x, struct payment_batch_row *b,
                        const struct bank_template *t, const char *bytes,
                        size_t len, int64_t version,
                        struct payfile_outcome *out, struct dd_error *err)
{
    memset(out, 0, sizeof(*out));
    if (strcmp(b->state, "exported") != 0)
        return state_conflict(x, err, b, "exported");
    if (version >= 0 && version != b->version)
        return version_conflict(err);
    struct ret_ctx c = {.x = x, .out = out};
    enum dd_status rc = reconcile(&c, b, t, bytes, len, err);
    free(c.e);
    for (size_t i = 0; i < c.nr; i++) {
        free(c.r[i].code);
        free(c.r[i].text);
    }
    free(c.r);
    free(c.lines);
    free(c.not_in_file.v);
    free(c.duplicate.v);
    free(c.mismatch.v);
    free(c.failed.v);
    free(c.failed_reason);
    return rc;
}

/* ---- reissue and resolve ---- */

/* The reissue batch: the next seq of b's county, item and month, its
 * lines and its totals. */
static enum dd_status
reissue_batch(const struct cases_ctx *x, const struct payment_batch_row *b,
              struct payment_batch_row *out)
{
    struct payment_batch_row last;
    enum dd_status rc = store_payment_batch_last(
        x->tx, b->county_code, b->item_code, b->month, "reissue", &last);
    if (rc != DD_OK && rc != DD_ENOTFOUND)
        return rc;
    memset(out, 0, sizeof(*out));
    str_copy(out->county_code, sizeof(out->county_code), b->county_code);
    str_copy(out->item_code, sizeof(out->item_code), b->item_code);
    str_copy(out->month, sizeof(out->month), b->month);
    str_copy(out->kind, sizeof(out->kind), "reissue");
    str_copy(out->state, sizeof(out->state), "built");
    str_copy(out->built_by, sizeof(out->built_by), x->actor.name);
    out->seq = rc == DD_OK ? last.seq + 1 : 1;
    out->built_at = x->now;
    rc = store_payment_batch_insert(x->tx, out);
    if (rc == DD_OK)
        rc = store_payfile_reissue_lines(x->tx, out->id, b->id);
    if (rc == DD_OK)
        rc = store_payment_batch_sum(x->tx, out->id, &out->line_count,
                                     &out->total_fen);
    return rc == DD_OK ? store_payment_batch_update(x->tx, out) : rc;
}

enum dd_status
cases_payfile_reissue(const struct cases_ctx *x,
                      const struct payment_batch_row *b,
                      struct payment_batch_row *out,
                      struct payfile_reissue_notes *notes,
                      struct dd_error *err)
{
    struct payfile_failures f;
    memset(notes, 0, sizeof(*notes));
    if (strcmp(b->state, "reconciled") != 0 && strcmp(b->state, "closed") != 0)
        return state_conflict(x, err, b, "reconciled");
    enum dd_status rc = store_payfile_failures(x->tx, b->id, &f);
    if (rc != DD_OK)
        return rc;
    notes->unknown_waiting = f.unknown;
    if (f.open == 0 && f.failed > 0)
        return conflict(err, "ALREADY_REISSUED", NULL,
                        "every failed line of the batch is reissued already",
                        "该批次的失败明细均已重新发放");
    if (f.open == 0)
        return conflict(err, "NOTHING_TO_REISSUE", NULL,
                        "the batch has no failed line to reissue",
                        "该批次没有需要重新发放的失败明细");
    rc = reissue_batch(x, b, out);
    if (rc == DD_ECONFLICT) /* the index: a line of one of them is paid */
        return conflict(err, "ALREADY_PAID", NULL,
                        "a failed line's entitlement and month is paid or "
                        "pending in another batch",
                        "失败明细对应的待遇月份已在其他批次中发放或待发放");
    if (rc == DD_OK)
        rc = store_payfile_same_account(x->tx, out->id, &notes->same_account);
    if (rc != DD_OK)
        return rc;
    struct jw w;
    jw_init(&w, 4096);
    audit_batch(&w, out);
    jw_int(&w, "reissue_of_batch", b->id);
    jw_int(&w, "lines", out->line_count);
    jw_int(&w, "sum_fen", out->total_fen);
    jw_int(&w, "unknown_waiting", f.unknown);
    jw_int(&w, "same_account", notes->same_account);
    return audit(x, "payment_batch.reissue", batch_object(x, out->id), out, &w);
}

enum dd_status
cases_payfile_resolve(const struct cases_ctx *x,
                      const struct payment_batch_row *b,
                      struct payment_line_row *l, const char *status,
                      const char *reason, struct dd_error *err)
{
    if (strcmp(status, "paid") != 0 && strcmp(status, "failed") != 0)
        return dd_invalid(err, "INVALID_STATUS", "status",
                          "status is paid or failed",
                          "status 须为 paid 或 failed");
    if (!reason || !*reason)
        return dd_invalid(err, "REASON_REQUIRED", "reason",
                          "say why: what the bank confirmed",
                          "请填写原因（银行确认的情况）");
    if (strcmp(b->state, "reconciled") != 0)
        return state_conflict(x, err, b, "reconciled");
    enum dd_status rc =
        strcmp(l->status, "unknown") == 0
            ? store_payfile_line_resolve(x->tx, l->id, status, reason)
            : DD_ECONFLICT;
    if (rc == DD_ECONFLICT)
        return conflict(err, "LINE_NOT_UNKNOWN", "status",
                        "only a line whose outcome is unknown is resolved",
                        "只有结果不明的明细才能人工确认");
    if (rc != DD_OK)
        return rc;
    str_copy(l->status, sizeof(l->status), status);
    str_copy(l->reason_code, sizeof(l->reason_code), "RESOLVED");
    struct jw w;
    jw_init(&w, 4096);
    audit_batch(&w, b);
    jw_int(&w, "line", l->id);
    jw_str(&w, "status", status);
    jw_str(&w, "reason", reason);
    return audit(x, "payment_line.resolve",
                 arena_printf(x->arena, "payment_line:%" PRId64, l->id), b, &w);
}
