/* SPDX-License-Identifier: MIT */
/* The importer's window of open households (internal to src/io): groups
 * found by 户编号 through hash buckets, ordered least recently used first,
 * at most IMPORT_WINDOW open; the keys of closed ones remembered, so a
 * household whose rows are too far apart is told apart from a new one. */
#ifndef DD_IO_IMPORT_WINDOW_H
#define DD_IO_IMPORT_WINDOW_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "io/import_rows.h"

/* pending households' hash buckets (a power of two, > IMPORT_WINDOW) */
#define IMPORT_BUCKETS 8192

/* A set of 64-bit values (0 stands for 0 and 1 alike). */
struct import_set {
    uint64_t *v;
    size_t cap, n;
};

int import_set_has(const struct import_set *s, uint64_t v);
DD_WUR enum dd_status import_set_add(struct import_set *s, uint64_t v);
void import_set_free(struct import_set *s);

struct import_window {
    struct import_group *buckets[IMPORT_BUCKETS];
    struct import_group *lru_head, *lru_tail; /* the oldest is lru_head */
    size_t open;
    struct import_set closed; /* hashes of the keys of closed groups */
};

/* The open group for key, made the most recently used; NULL when none. */
struct import_group *import_window_find(struct import_window *w,
                                        const char *key);

/* Whether a group for key was opened and closed before. */
int import_window_was_closed(const struct import_window *w, const char *key);

/* Opens a new group for key first seen on line (the caller closes the
 * oldest first when IMPORT_WINDOW are open). */
DD_WUR enum dd_status import_window_open(struct import_window *w,
                                         const char *key, long line,
                                         struct import_group **out);

/* Takes g out of the window and remembers its key as closed; the caller
 * then frees it with import_group_free. */
DD_WUR enum dd_status import_window_close(struct import_window *w,
                                          struct import_group *g);

/* Takes g out of the window without remembering it (after an error). */
void import_window_drop(struct import_window *w, struct import_group *g);

void import_group_free(struct import_group *g);

#endif
