/* SPDX-License-Identifier: MIT */
/* Importing households from CSV (docs/import.md): one row per member, the
 * rows of a household grouped by the file's own key 户编号. Each household
 * is checked with the registry's rules; a rejected one is listed with its
 * line, the CSV column and the reason, and the rest go in, in write
 * transactions of a batch of households each with an "import.batch" audit
 * row, then one "import.done". A household is known by its applicant: one
 * whose applicant is active in a stored household that holds the same is
 * skipped (a re-run changes nothing); one that differs updates it (a new
 * version with a "household.update" audit row). Streaming: the rows of at
 * most IMPORT_WINDOW open households are held at a time. */
#ifndef DD_IO_IMPORT_H
#define DD_IO_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "crypto/pii.h"
#include "io/csv.h"
#include "store/store.h"

/* Rejections listed in a result; beyond this they are only counted. */
#define IMPORT_MAX_LISTED 10000
/* The longest record (bytes) the reader accepts. */
#define IMPORT_MAX_RECORD 8192

/* The columns of docs/import-template.csv, in order (import_columns[]
 * holds the headers). A row is a member (行类型 blank or 成员), an asset
 * (资产) or a support obligor (义务人) of the household 户编号 names. The
 * income columns are the 18 kinds of src/domain/household.h in order,
 * from IMPORT_C_INCOME (wages) to IMPORT_C_INCOME + 17 (ex_local). */
enum import_col {
    IMPORT_C_KEY,
    IMPORT_C_TYPE,
    IMPORT_C_REL,
    IMPORT_C_NAME,
    IMPORT_C_ID,
    IMPORT_C_REGION,
    IMPORT_C_HUKOU,
    IMPORT_C_UR,
    IMPORT_C_ADDR,
    IMPORT_C_DCAT,
    IMPORT_C_DGRADE,
    IMPORT_C_DCARD,
    IMPORT_C_ILL,
    IMPORT_C_WORK,
    IMPORT_C_SCHOOL,
    IMPORT_C_EMP,
    IMPORT_C_SELFCARE,
    IMPORT_C_INCOME,
    IMPORT_C_OF = IMPORT_C_INCOME + 18, /* the member an asset or obligor
                                         * row belongs to, by ID number */
    IMPORT_C_OREL,
    IMPORT_C_AKIND,
    IMPORT_C_AVALUE,
    IMPORT_C_ACOUNT,
    IMPORT_C_AAREA,
    IMPORT_C_AEXEMPT,
    IMPORT_C_OBIRTH,
    IMPORT_C_OINCOME,
    IMPORT_C_OFLAGS,
    IMPORT_C_PHONE, /* the household's contact phone, optional */
    IMPORT_C_BANK,  /* the payee bank account, optional */
    IMPORT_COLUMNS
};
extern const char *const import_columns[IMPORT_COLUMNS];
/* The labels the importer reads and the exporter writes, by the enum
 * values of src/domain/household.h (relation, work capacity, schooling,
 * self-care item, asset kind) and by OBLIGOR_* bit (obligor situation). */
extern const char *const import_relation_zh[9];
extern const char *const import_work_zh[3];
extern const char *const import_school_zh[6];
extern const char *const import_selfcare_zh[6];
extern const char *const import_asset_zh[6];
extern const char *const import_obligor_flag_zh[7];

/* Households whose rows are still open (a later row may belong to them):
 * rows of one 户编号 may be anywhere in the file as long as fewer than
 * this many other households are started after the household's last row. */
#define IMPORT_WINDOW 4096

struct import_rejection {
    long line;        /* 1-based line in the file */
    char column[64];  /* the CSV column (Chinese header), "" if none */
    const char *code; /* static strings */
    const char *message, *message_zh;
};

struct import_result {
    int64_t rows;     /* member rows read (header excluded) */
    int64_t inserted; /* households */
    int64_t updated;  /* already stored, changed: a new version */
    int64_t skipped;  /* already stored, unchanged */
    int64_t rejected; /* households rejected */
    struct import_rejection *list; /* the first IMPORT_MAX_LISTED */
    size_t listed;
    int fatal; /* the file could not be read to the end (see list) */
};

/* Whether the caller may write a household in this 12-digit region. */
typedef int (*import_scope_fn)(void *ctx, const char *region);

/* Whether a household checked by the registry may follow its hukou
 * district's urban or rural standard (domain.md §7.1): DD_OK, or DD_EINVAL
 * with err filled in (other statuses stop the import). Called for every
 * household; it decides which settings it looks at. */
typedef enum dd_status (*import_area_fn)(void *ctx,
                                         const struct household_row *h,
                                         int y, int m, int d,
                                         struct dd_error *err);

struct import_opts {
    const struct pii_keys *keys;
    const char *actor;      /* the audit rows' actor */
    const char *request_id; /* or "" */
    import_scope_fn in_scope; /* NULL = any region */
    void *scope_ctx;
    import_area_fn area_ok; /* NULL = not checked */
    void *area_ctx;
    size_t batch; /* households per transaction; 0 = 1000 (the CLI uses
                   * 100,000: each commit rewrites most pages of the
                   * random blind indexes, so fewer commits) */
    int bulk; /* tune the connection for a bulk load (store_import_tune):
               * the CLI, not the server */
};

/* Reads UTF-8 CSV from src and imports it into st. DD_OK when the file
 * was read (rejections are in out, out->fatal set when reading stopped
 * early on a malformed record or a bad header); the source's own status
 * (e.g. DD_EINVAL for bytes it cannot convert), DD_ESTORE, DD_ENOMEM
 * otherwise (batches committed before stay). Free out with
 * import_result_free. */
enum dd_status import_households(struct store *st,
                                 const struct import_opts *o,
                                 csv_source_fn src, void *src_ctx,
                                 struct import_result *out) DD_WUR;
void import_result_free(struct import_result *r);

#endif
