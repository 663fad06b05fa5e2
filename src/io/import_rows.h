/* SPDX-License-Identifier: MIT */
/* The importer's rows (internal to src/io): the header mapped to columns,
 * a member, asset or obligor record parsed by its labels into an open
 * household group, the group assembled as the registry's decoded form,
 * and a registry error's field mapped back to a line and a CSV column. No
 * store access: import.c writes what these give. */
#ifndef DD_IO_IMPORT_ROWS_H
#define DD_IO_IMPORT_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/status.h"
#include "io/csv.h"
#include "io/import.h"
#include "json/json_household.h"

/* The longest 户编号 (bytes, with the NUL). */
#define IMPORT_KEY_MAX 64

struct import_mrow {
    struct hhj_member m;
    long line;
    int inc_col[HHJ_MAX_INCOMES]; /* the column of each income */
};
struct import_arow {
    struct hhj_asset a;
    const char *of; /* the owner's ID number as written, "" = joint */
    long line;
};
struct import_orow {
    struct hhj_obligor o;
    const char *of;
    long line;
};

/* One open household: its rows so far (strings in its arena). The link
 * fields belong to the window (import_window.h). */
struct import_group {
    struct import_group *hnext;       /* bucket chain */
    struct import_group *prev, *next; /* open groups, least recent first */
    uint64_t hash;
    struct arena *a;
    char key[IMPORT_KEY_MAX];
    size_t count, nassets, nobligors;
    struct import_mrow *rows[HHJ_MAX_MEMBERS];
    struct import_arow *assets[HHJ_MAX_ASSETS];
    struct import_orow *obligors[HHJ_MAX_OBLIGORS];
    const char *hh[IMPORT_COLUMNS]; /* household cells, first filled in */
    long first_line, last_line;
    int bad;
    struct import_rejection err; /* the first error when bad */
};

/* The decoded household's arrays (assemble's output storage). */
struct import_decoded {
    struct hhj_member members[HHJ_MAX_MEMBERS];
    struct hhj_asset assets[HHJ_MAX_ASSETS];
    struct hhj_obligor obligors[HHJ_MAX_OBLIGORS];
};

/* Trims each header cell in place (fields[i] may move forward) and gives
 * each column its first position in colidx (-1 when absent). */
void import_header_map(char **fields, size_t n, int colidx[IMPORT_COLUMNS]);

/* The first required column the header lacks, or -1. */
int import_header_missing(const int colidx[IMPORT_COLUMNS]);

/* The cell of column c in rec ("" when absent or the row is short). */
const char *import_cell(const int colidx[IMPORT_COLUMNS],
                        const struct csv_record *rec, int c);

/* Marks g bad with its first error. */
void import_group_bad(struct import_group *g, long line, int c,
                      const char *code, const char *en, const char *zh);

/* Adds record rec to its group g: the household cells, then a member,
 * asset or obligor by its 行类型. A bad cell marks g bad; DD_ENOMEM when
 * the group's arena is full. */
DD_WUR enum dd_status import_row_add(struct import_group *g,
                                     const int colidx[IMPORT_COLUMNS],
                                     const struct csv_record *rec);

/* Assembles g as the registry's decoded household in in, with its arrays
 * in buf; 0, or -1 after a rejection was recorded in g. */
int import_assemble(struct import_group *g, struct import_decoded *buf,
                    struct hhj_household *in);

/* A registry error's field ("members[1].incomes[0].kind",
 * "assets[2].kind") in group g as a line and a CSV column. */
void import_map_field(const struct import_group *g, const char *field,
                      long *line, const char **column);

#endif
