/* SPDX-License-Identifier: MIT */
/* Per-request memory: a bump allocator with a hard byte cap and cleanup
 * handlers, freed in one go when the request completes (nginx's pool). */
#ifndef DD_ARENA_H
#define DD_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;
typedef void (*arena_cleanup_fn)(void *data);

/* A new arena that refuses to hold more than cap_bytes. NULL on ENOMEM. */
struct arena *arena_new(size_t cap_bytes);
/* Runs the cleanups in reverse order, then frees everything. NULL is fine. */
void arena_free(struct arena *a);

/* Zeroed memory aligned for any type; NULL when the cap is reached. */
void *arena_alloc(struct arena *a, size_t len);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t len);
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);
/* Registers fn(data) to run at arena_free. Returns 0, or -1 on ENOMEM (and
 * then runs fn(data) at once so nothing leaks). */
int arena_cleanup_add(struct arena *a, arena_cleanup_fn fn, void *data);
size_t arena_used(const struct arena *a);

#endif
