/* SPDX-License-Identifier: MIT */
/* Bank payment files (惠民惠农财政补贴资金"一卡通"): a bank template read
 * from data/banks/ (data/banks/README.md describes the format), a writer
 * that streams a batch's lines to a sink in the bank's layout and
 * encoding with header and trailer control totals and the SM3 of the
 * bytes written, and a reader that parses the bank's return file line by
 * line, strictly, into a callback. Independent of the store: the caller
 * feeds lines from its own row callback and keeps what the reader gives.
 * Memory is fixed when the writer or reader is made, whatever the line
 * count. */
#ifndef DD_IO_BANKFILE_H
#define DD_IO_BANKFILE_H

#include <stddef.h>

#include "core/status.h"
#include "crypto/sm3.h"
#include "io/csv.h"

/* The longest line a template may write or a return file may hold, in
 * bytes of the file's encoding, without the line end. */
#define BANK_LINE_MAX 4096

/* What went wrong, for the caller's error reply: the 1-based line of the
 * file (0 for the template's own file-level settings, or a line fed to
 * the writer counted from 1), the field (a column's source, "line" for
 * the line as a whole), a code and the message in English and Chinese.
 * bank_error_dd points a struct dd_error at it (valid while e is). */
struct bank_error {
    long line;
    const char *code; /* static: "BANK_TEMPLATE", "BANK_LINE", ... */
    char field[32];
    char en[256];
    char zh[256];
};
enum dd_status bank_error_dd(const struct bank_error *e, struct dd_error *err);

/* A template, parsed from its text (path names it in errors). DD_EINVAL
 * with e naming the template's line; DD_ENOTFOUND when path cannot be
 * read (bank_template_load); DD_ENOMEM. bank_template_free(NULL) is
 * allowed. */
struct bank_template;
enum dd_status bank_template_parse(const char *text, size_t len,
                                   struct bank_template **out,
                                   struct bank_error *e) DD_WUR;
enum dd_status bank_template_load(const char *path, struct bank_template **out,
                                  struct bank_error *e) DD_WUR;
void bank_template_free(struct bank_template *t);
/* The template's `name` setting (UTF-8). */
const char *bank_template_name(const struct bank_template *t);

/* The batch as the header and trailer see it. count and sum_fen are the
 * batch's declared totals (the store's batch row): a header may print
 * them before any line is written, and bank_writer_finish refuses a file
 * whose lines do not add up to them. The strings are UTF-8 and must live
 * until bank_writer_finish. */
struct bank_batch {
    const char *batch_id;
    const char *county;    /* the county's 6-digit code */
    const char *programme; /* "dibao", ... as the caller names it */
    const char *month;     /* "2026-11" */
    const char *date;      /* the file's date, "2026-12-07" */
    long long count;
    long long sum_fen;
};

/* One line of the roster, UTF-8 (NULL reads as ""). The account and ID
 * number are written as given: the caller decides masked or not. */
struct bank_line {
    const char *line_id; /* the batch line's id, echoed by the bank */
    const char *payee_name;
    const char *account;
    const char *id_number;
    long long amount_fen; /* > 0 */
    const char *programme;
    const char *month;
};

/* The bytes go to the sink in chunks of up to 64 KiB; any status but
 * DD_OK stops the writer with that status. */
typedef enum dd_status (*bank_sink_fn)(void *ctx, const void *bytes,
                                       size_t len);

struct bank_result {
    long long count, sum_fen; /* the lines written */
    long long bytes;
    char sm3_hex[SM3_HEX_LEN + 1]; /* of every byte written */
};

/* A writer: bank_writer_new writes the header lines, bank_writer_line one
 * detail line, bank_writer_finish the trailer lines (with the totals of
 * the lines written), flushes and fills *res. t and b must outlive the
 * writer. DD_EINVAL with e naming the line and field (a value too wide,
 * a delimiter where the template allows no quoting, a character the
 * encoding lacks, a missing value, a line break in a value, an amount not
 * above 0, totals that differ from the batch's); after DD_EINVAL from a
 * line the writer may go on (that line was not written) but the caller
 * should drop the file. The sink's own status; DD_ENOMEM. */
struct bank_writer;
enum dd_status bank_writer_new(const struct bank_template *t,
                               const struct bank_batch *b, bank_sink_fn sink,
                               void *sink_ctx, struct bank_writer **out,
                               struct bank_error *e) DD_WUR;
enum dd_status bank_writer_line(struct bank_writer *w,
                                const struct bank_line *l,
                                struct bank_error *e) DD_WUR;
enum dd_status bank_writer_finish(struct bank_writer *w,
                                  struct bank_result *res,
                                  struct bank_error *e) DD_WUR;
void bank_writer_free(struct bank_writer *w);

/* A return file's line, UTF-8, valid during the callback. */
enum bank_paid { BANK_PAID, BANK_FAILED };
struct bank_return_line {
    long line; /* 1-based line in the file */
    const char *line_id, *account, *reason_code, *reason_text;
    long long amount_fen;
    enum bank_paid status;
};
/* Any status but DD_OK stops the reader with that status. */
typedef enum dd_status (*bank_return_fn)(void *ctx,
                                         const struct bank_return_line *l);

struct bank_return_totals {
    long long count, sum_fen;           /* every detail line */
    long long paid_count, paid_sum_fen; /* the paid ones */
};

/* Reads a return file's raw bytes from src (a csv_source_fn such as
 * csv_mem_source) by t's [return] sections, calling fn for
 * each detail line in order, and checks the header and trailer control
 * totals against the lines read. Lines before the trailer have been
 * delivered when a trailer check fails: the caller's transaction undoes
 * them. DD_EINVAL with e naming the line and field; fn's or src's own
 * status; DD_ENOMEM. A line id given twice is the caller's to refuse. */
enum dd_status bank_read_return(const struct bank_template *t,
                                csv_source_fn src, void *src_ctx,
                                bank_return_fn fn, void *ctx,
                                struct bank_return_totals *out,
                                struct bank_error *e) DD_WUR;

#endif
