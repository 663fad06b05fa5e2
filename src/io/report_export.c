/* SPDX-License-Identifier: MIT */
/* Writes the monthly statistics return as CSV or xlsx (see
 * report_export.h). */
#include "io/report_export.h"

#include <inttypes.h>
#include <string.h>

#include "io/csv.h"
#include "io/export.h"

enum {
    COL_REGION,
    COL_REGION_NAME,
    COL_MONTH,
    COL_ITEM,
    COL_ITEM_NAME,
    COL_AREA,
    COL_HOUSEHOLDS,
    COL_PERSONS,
    COL_ELDERLY,
    COL_MINORS,
    COL_DISABLED,
    COL_LINES,
    COL_YUAN,
    COL_NEW,
    COL_STOPPED,
    COL_CHANGED,
    COLS
};

/* Header cells: the return's Chinese label and its English gloss. */
static const char *const header[COLS] = {"地区代码 region",
                                         "地区 region name",
                                         "月份 month",
                                         "项目代码 programme",
                                         "项目 programme name",
                                         "城乡 area",
                                         "户数 households",
                                         "人数 persons",
                                         "其中老年人 of whom elderly",
                                         "其中未成年人 of whom minors",
                                         "其中残疾人 of whom disabled",
                                         "发放笔数 payments",
                                         "发放金额(元) paid (yuan)",
                                         "新增 new cases",
                                         "停发 stopped cases",
                                         "变更 changed cases"};

typedef int (*row_fn)(void *ctx, const char *const *cells);

struct cells {
    char buf[COLS][32];
    const char *p[COLS];
};

/* The row's labels, and its figures; the case counts when moves. */
static void
cells_fill(struct cells *c, const struct report_table *t, const char *item,
           const char *item_name, const char *area,
           const struct report_figures *f, const struct report_item *moves)
{
    const int64_t n[] = {f->households, f->persons,  f->elderly,
                         f->minors,     f->disabled, f->lines};
    memset(c->buf, 0, sizeof(c->buf));
    for (int i = 0; i < COLS; i++)
        c->p[i] = c->buf[i];
    c->p[COL_REGION] = t->r->region;
    c->p[COL_REGION_NAME] = t->region_name;
    c->p[COL_MONTH] = t->r->month;
    c->p[COL_ITEM] = item;
    c->p[COL_ITEM_NAME] = item_name;
    c->p[COL_AREA] = area;
    for (int i = 0; i < 6; i++)
        snprintf(c->buf[COL_HOUSEHOLDS + i], 32, "%" PRId64, n[i]);
    snprintf(c->buf[COL_YUAN], 32, "%" PRId64 ".%02" PRId64,
             f->amount_fen / 100, f->amount_fen % 100);
    if (moves) {
        snprintf(c->buf[COL_NEW], 32, "%" PRId64, moves->new_cases);
        snprintf(c->buf[COL_STOPPED], 32, "%" PRId64, moves->stopped_cases);
        snprintf(c->buf[COL_CHANGED], 32, "%" PRId64, moves->changed_cases);
    }
}

static int
write_table(const struct report_table *t, row_fn row, void *ctx)
{
    struct cells c;
    if (row(ctx, header) != 0)
        return -1;
    for (size_t i = 0; i < t->r->n_items; i++) {
        const struct report_item *it = &t->r->items[i];
        const char *name = t->item_names[i];
        cells_fill(&c, t, it->code, name, "城镇 urban", &it->urban, NULL);
        if (row(ctx, c.p) != 0)
            return -1;
        cells_fill(&c, t, it->code, name, "农村 rural", &it->rural, NULL);
        if (row(ctx, c.p) != 0)
            return -1;
        cells_fill(&c, t, it->code, name, "小计 total", &it->total, it);
        if (row(ctx, c.p) != 0)
            return -1;
    }
    cells_fill(&c, t, "all", "合计(户次、人次) all programmes", "合计 total",
               &t->r->all, NULL);
    return row(ctx, c.p);
}

static int
csv_row(void *ctx, const char *const *cells)
{
    return csv_write_row(ctx, cells, COLS);
}

enum dd_status
report_export_csv(const struct report_table *t, FILE *f)
{
    if (fputs("\xEF\xBB\xBF", f) == EOF)
        return DD_EINTERNAL;
    return write_table(t, csv_row, f) == 0 ? DD_OK : DD_EINTERNAL;
}

enum dd_status
report_export_xlsx(const struct report_table *t, const char *path)
{
    struct export_xlsx *x =
        export_xlsx_open_sheet(path, "monthly", COLS, COL_HOUSEHOLDS);
    if (!x)
        return DD_EINTERNAL;
    int bad = write_table(t, export_xlsx_row, x) != 0;
    return export_xlsx_close(x) != DD_OK || bad ? DD_EINTERNAL : DD_OK;
}
