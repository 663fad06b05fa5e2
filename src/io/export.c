/* SPDX-License-Identifier: MIT */
/* The household exporter (see export.h): pages of households in id order,
 * each loaded through the registry and written member by member with
 * the labels the importer reads. */
#include "io/export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "io/csv.h"

#include "core/arena.h"
#include "core/str.h"
#include "domain/household.h"
#include "registry/registry.h"

#define PAGE 200

/* The importer's labels, by enum value (src/domain/household.h). */
static const char *const relation_zh[HH_REL__COUNT] = {
    "申请人", "配偶", "子女", "父母", "祖父母",
    "孙子女", "兄弟姐妹", "儿媳女婿", "其他",
};
static const char *const work_zh[] = {"完全", "部分", "无"};
static const char *const school_zh[HH_SCHOOL__COUNT] = {
    "未就学", "学前", "义务教育", "高中", "本科", "研究生",
};

static const char *
label(const char *const *t, size_t n, int v)
{
    return v >= 0 && (size_t)v < n ? t[v] : "";
}

/* Writes one household's member rows. */
static enum dd_status
put_household(const struct export_opts *o, const struct registry_household *rh, export_row_fn row,
              void *ctx, int64_t *rows)
{
    const char *cells[IMPORT_COLUMNS];
    char key[24], dcat[4], dgrade[4];
    char amounts[6][24];
    char id[STORE_SEALED_LEN], card[STORE_SEALED_LEN];
    const struct household_row *h = &rh->h;
    snprintf(key, sizeof(key), "%lld", (long long)h->id);
    for (size_t i = 0; i < rh->member_count; i++) {
        const struct person_row *p = &rh->members[i];
        memset(amounts, 0, sizeof(amounts));
        for (size_t j = 0; j < rh->income_count; j++) {
            const struct income_row *r = &rh->incomes[j];
            if (r->person_id != p->id || r->kind < 0 || r->kind >= 6)
                continue;
            snprintf(amounts[r->kind], sizeof(amounts[0]), "%lld.%02lld",
                     (long long)(r->monthly_fen / 100),
                     (long long)(r->monthly_fen % 100));
        }
        str_copy(id, sizeof(id), p->id_masked);
        card[0] = '\0';
        if (o->unmask) {
            if (pii_open(o->keys, p->id_enc, id, sizeof(id)) != DD_OK)
                return DD_EINTERNAL;
            if (*p->disability_card_enc &&
                pii_open(o->keys, p->disability_card_enc, card,
                         sizeof(card)) != DD_OK)
                return DD_EINTERNAL;
        }
        snprintf(dcat, sizeof(dcat), "%d", p->disability_category);
        snprintf(dgrade, sizeof(dgrade), "%d", p->disability_grade);
        cells[0] = key;
        cells[1] = label(relation_zh, HH_REL__COUNT, p->relation);
        cells[2] = p->name;
        cells[3] = id;
        cells[4] = h->region_code;
        cells[5] = h->hukou_region;
        cells[6] = strcmp(h->urban_or_rural, "rural") == 0 ? "农村" : "城镇";
        cells[7] = i == 0 ? h->address : "";
        cells[8] = p->disability_category ? dcat : "";
        cells[9] = p->disability_grade ? dgrade : "";
        cells[10] = card;
        cells[11] = p->major_illness ? "是" : "否";
        cells[12] = label(work_zh, 3, p->work_capacity);
        cells[13] = label(school_zh, HH_SCHOOL__COUNT, p->schooling);
        cells[14] = p->employed ? "是" : "否";
        for (int k = 0; k < 6; k++)
            cells[IMPORT_COL_FIRST_INCOME + k] = amounts[k];
        if (row(ctx, cells) != 0)
            return DD_EINTERNAL;
        (*rows)++;
    }
    return DD_OK;
}

enum dd_status
export_households(struct store *st, const struct export_opts *o,
                  export_row_fn row, void *ctx, int64_t *households,
                  int64_t *rows)
{
    struct household_row page[PAGE];
    struct store_tx *tx;
    enum dd_status rc;
    int64_t after = 0;
    size_t n;

    *households = *rows = 0;
    if (row(ctx, import_columns) != 0)
        return DD_EINTERNAL;
    rc = store_tx_begin(st, STORE_READ, &tx);
    if (rc != DD_OK)
        return rc;
    do {
        rc = store_household_list(tx, o->region_prefix ? o->region_prefix : "",
                                  after, page, PAGE, &n);
        for (size_t i = 0; rc == DD_OK && i < n; i++) {
            after = page[i].id;
            if (strcmp(page[i].status, "active") != 0 ||
                (o->in_scope && !o->in_scope(o->scope_ctx, page[i].region_code)))
                continue;
            struct arena *a = arena_new(4u << 20);
            struct registry_household rh;
            rc = a ? registry_load(tx, a, page[i].id, &rh) : DD_ENOMEM;
            if (rc == DD_OK)
                rc = put_household(o, &rh, row, ctx, rows);
            if (rc == DD_OK)
                (*households)++;
            arena_free(a);
        }
    } while (rc == DD_OK && n == PAGE);
    store_tx_rollback(tx);
    return rc;
}

int
export_csv_row(void *ctx, const char *const *cells)
{
    FILE *f = ctx;
    for (size_t i = 0; i < IMPORT_COLUMNS; i++)
        if (csv_write_field(f, cells[i], i + 1 == IMPORT_COLUMNS) != 0)
            return -1;
    return 0;
}

struct export_xlsx {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_row_t row;
};

struct export_xlsx *
export_xlsx_open(const char *path)
{
    struct export_xlsx *x = calloc(1, sizeof(*x));
    /* rows are written in order, so the workbook need not hold them */
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE};
    if (!x)
        return NULL;
    x->wb = workbook_new_opt(path, &opt);
    x->ws = x->wb ? workbook_add_worksheet(x->wb, "households") : NULL;
    if (!x->ws) {
        if (x->wb)
            workbook_close(x->wb);
        free(x);
        return NULL;
    }
    return x;
}

int
export_xlsx_row(void *ctx, const char *const *cells)
{
    struct export_xlsx *x = ctx;
    if (x->row >= LXW_ROW_MAX)
        return -1;
    /* every cell as text: ID numbers must not become numbers, and money
     * never becomes a float */
    for (lxw_col_t c = 0; c < IMPORT_COLUMNS; c++)
        if (*cells[c] &&
            worksheet_write_string(x->ws, x->row, c, cells[c], NULL) !=
                LXW_NO_ERROR)
            return -1;
    x->row++;
    return 0;
}

enum dd_status
export_xlsx_close(struct export_xlsx *x)
{
    if (!x)
        return DD_OK;
    lxw_error e = workbook_close(x->wb);
    free(x);
    return e == LXW_NO_ERROR ? DD_OK : DD_EINTERNAL;
}
