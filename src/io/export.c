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

static const char *
label(const char *const *t, size_t n, int v)
{
    return v >= 0 && (size_t)v < n ? t[v] : "";
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* fen (or dm²) as "1234.50" */
static void
money(char *out, size_t cap, int64_t v)
{
    snprintf(out, cap, "%lld.%02lld", (long long)(v / 100),
             (long long)(v % 100));
}

static void
append(char *out, size_t cap, const char *s)
{
    size_t n = strlen(out);
    if (n < cap)
        str_copy(out + n, cap - n, s);
}

/* Joins the labels of the set bits of bits into out with 、. */
static void
join_bits(char *out, size_t cap, int bits, const char *const *t, size_t n)
{
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        if (bits & (1 << i)) {
            if (out[0])
                append(out, cap, "、");
            append(out, cap, t[i]);
        }
}

/* The ID number written for person pid of rh ("" when not a member). */
static const char *
member_id(const struct registry_household *rh,
          const char (*ids)[STORE_SEALED_LEN], int64_t pid)
{
    for (size_t k = 0; k < rh->member_count; k++)
        if (rh->members[k].id == pid)
            return ids[k];
    return "";
}

/* Writes one household: its member rows, then an asset row per asset and
 * an obligor row per obligor, each member named by ID number. */
/* Empties every cell of a row. */
static void
cells_clear(const char **cells)
{
    for (size_t c = 0; c < IMPORT_COLUMNS; c++)
        cells[c] = "";
}

/* Writes one row and counts it. */
static enum dd_status
put_row(export_row_fn row, void *ctx, const char *const *cells, int64_t *rows)
{
    if (row(ctx, cells) != 0)
        return DD_EINTERNAL;
    (*rows)++;
    return DD_OK;
}

static enum dd_status
put_household(const struct export_opts *o, const struct registry_household *rh, export_row_fn row,
              void *ctx, int64_t *rows)
{
    const char *cells[IMPORT_COLUMNS];
    char key[24], dcat[4], dgrade[4], selfcare[128], flags[256];
    char amounts[HH_INC__COUNT][24], value[24], area[24], count[24],
        income[24];
    char(*ids)[STORE_SEALED_LEN];
    char card[STORE_SEALED_LEN];
    const struct household_row *h = &rh->h;
    enum dd_status rc = DD_OK;
    ids = calloc(rh->member_count ? rh->member_count : 1, sizeof(*ids));
    if (!ids)
        return DD_ENOMEM;
    snprintf(key, sizeof(key), "%lld", (long long)h->id);
    for (size_t i = 0; i < rh->member_count; i++) {
        const struct person_row *p = &rh->members[i];
        str_copy(ids[i], sizeof(ids[i]), p->id_masked);
        if (o->unmask && pii_open(o->keys, &PII_AD_PERSON_ID(p->id_hash),
                                  p->id_enc, ids[i], sizeof(ids[i])) != DD_OK) {
            free(ids);
            return DD_EINTERNAL;
        }
    }
    for (size_t i = 0; rc == DD_OK && i < rh->member_count; i++) {
        const struct person_row *p = &rh->members[i];
        cells_clear(cells);
        memset(amounts, 0, sizeof(amounts));
        for (size_t j = 0; j < rh->income_count; j++) {
            const struct income_row *r = &rh->incomes[j];
            if (r->person_id != p->id || r->kind < 0 ||
                r->kind >= HH_INC__COUNT)
                continue;
            money(amounts[r->kind], sizeof(amounts[0]), r->monthly_fen);
        }
        card[0] = '\0';
        if (o->unmask && *p->disability_card_enc &&
            pii_open(o->keys, &PII_AD_PERSON_CARD(p->id_hash),
                     p->disability_card_enc, card, sizeof(card)) != DD_OK) {
            rc = DD_EINTERNAL;
            break;
        }
        snprintf(dcat, sizeof(dcat), "%d", p->disability_category);
        snprintf(dgrade, sizeof(dgrade), "%d", p->disability_grade);
        join_bits(selfcare, sizeof(selfcare), p->selfcare_unable,
                  import_selfcare_zh, N(import_selfcare_zh));
        cells[IMPORT_C_KEY] = key;
        cells[IMPORT_C_TYPE] = "成员";
        cells[IMPORT_C_REL] = label(import_relation_zh,
                                    N(import_relation_zh), p->relation);
        cells[IMPORT_C_NAME] = p->name;
        cells[IMPORT_C_ID] = ids[i];
        cells[IMPORT_C_REGION] = h->region_code;
        cells[IMPORT_C_HUKOU] = h->hukou_region;
        cells[IMPORT_C_UR] = strcmp(h->urban_or_rural, "rural") == 0   ? "农村"
                             : strcmp(h->urban_or_rural, "urban") == 0 ? "城镇"
                                                                       : "按区县";
        cells[IMPORT_C_ADDR] = i == 0 ? h->address : "";
        cells[IMPORT_C_DCAT] = p->disability_category ? dcat : "";
        cells[IMPORT_C_DGRADE] = p->disability_grade ? dgrade : "";
        cells[IMPORT_C_DCARD] = card;
        cells[IMPORT_C_ILL] = p->major_illness ? "是" : "否";
        cells[IMPORT_C_WORK] =
            label(import_work_zh, N(import_work_zh), p->work_capacity);
        cells[IMPORT_C_SCHOOL] =
            label(import_school_zh, N(import_school_zh), p->schooling);
        cells[IMPORT_C_EMP] = p->employed ? "是" : "否";
        cells[IMPORT_C_SELFCARE] = selfcare;
        for (int k = 0; k < HH_INC__COUNT; k++)
            cells[IMPORT_C_INCOME + k] = amounts[k];
        rc = put_row(row, ctx, cells, rows);
    }
    for (size_t i = 0; rc == DD_OK && i < rh->asset_count; i++) {
        const struct asset_row *r = &rh->assets[i];
        cells_clear(cells);
        money(value, sizeof(value), r->value_fen);
        money(area, sizeof(area), r->area_dm2);
        snprintf(count, sizeof(count), "%lld", (long long)r->count);
        cells[IMPORT_C_KEY] = key;
        cells[IMPORT_C_TYPE] = "资产";
        if (r->owner_person_id)
            cells[IMPORT_C_OF] = member_id(rh, ids, r->owner_person_id);
        cells[IMPORT_C_AKIND] =
            label(import_asset_zh, N(import_asset_zh), r->kind);
        cells[IMPORT_C_AVALUE] = value;
        cells[IMPORT_C_ACOUNT] = count;
        cells[IMPORT_C_AAREA] = r->area_dm2 ? area : "";
        cells[IMPORT_C_AEXEMPT] = r->exempt ? "是" : "否";
        rc = put_row(row, ctx, cells, rows);
    }
    for (size_t i = 0; rc == DD_OK && i < rh->obligor_count; i++) {
        const struct obligor_row *r = &rh->obligors[i];
        cells_clear(cells);
        money(income, sizeof(income), r->income_monthly_fen);
        snprintf(dcat, sizeof(dcat), "%d", r->disability_category);
        snprintf(dgrade, sizeof(dgrade), "%d", r->disability_grade);
        join_bits(flags, sizeof(flags), r->flags, import_obligor_flag_zh,
                  N(import_obligor_flag_zh));
        cells[IMPORT_C_KEY] = key;
        cells[IMPORT_C_TYPE] = "义务人";
        cells[IMPORT_C_NAME] = r->name;
        cells[IMPORT_C_OF] = member_id(rh, ids, r->of_person_id);
        cells[IMPORT_C_OREL] = label(import_relation_zh,
                                     N(import_relation_zh), r->relation);
        cells[IMPORT_C_DCAT] = r->disability_category ? dcat : "";
        cells[IMPORT_C_DGRADE] = r->disability_grade ? dgrade : "";
        cells[IMPORT_C_OBIRTH] = r->birth_date;
        cells[IMPORT_C_OINCOME] = r->income_monthly_fen ? income : "";
        cells[IMPORT_C_OFLAGS] = flags;
        rc = put_row(row, ctx, cells, rows);
    }
    free(ids);
    return rc;
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
    return csv_write_row(ctx, cells, IMPORT_COLUMNS);
}

struct export_xlsx {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_row_t row;
    size_t columns, numbers_from;
};

struct export_xlsx *
export_xlsx_open_sheet(const char *path, const char *sheet, size_t columns,
                       size_t numbers_from)
{
    struct export_xlsx *x = calloc(1, sizeof(*x));
    /* rows are written in order, so the workbook need not hold them */
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE};
    if (!x)
        return NULL;
    x->columns = columns;
    x->numbers_from = numbers_from;
    x->wb = workbook_new_opt(path, &opt);
    x->ws = x->wb ? workbook_add_worksheet(x->wb, sheet) : NULL;
    if (!x->ws) {
        if (x->wb)
            workbook_close(x->wb);
        free(x);
        return NULL;
    }
    return x;
}

struct export_xlsx *
export_xlsx_open(const char *path)
{
    return export_xlsx_open_sheet(path, "households", IMPORT_COLUMNS,
                                  IMPORT_COLUMNS);
}

int
export_xlsx_row(void *ctx, const char *const *cells)
{
    struct export_xlsx *x = ctx;
    if (x->row >= LXW_ROW_MAX)
        return -1;
    /* as text unless asked: ID numbers must not become numbers, and money
     * never becomes a float */
    for (lxw_col_t c = 0; c < x->columns; c++) {
        char *end;
        lxw_error e = LXW_NO_ERROR;
        if (!*cells[c])
            continue;
        double d = strtod(cells[c], &end);
        if (x->row > 0 && c >= x->numbers_from && *end == '\0')
            e = worksheet_write_number(x->ws, x->row, c, d, NULL);
        else
            e = worksheet_write_string(x->ws, x->row, c, cells[c], NULL);
        if (e != LXW_NO_ERROR)
            return -1;
    }
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
