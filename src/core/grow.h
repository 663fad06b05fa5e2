/* SPDX-License-Identifier: MIT */
/* Room for one more item in a heap array that grows by doubling. */
#ifndef DD_GROW_H
#define DD_GROW_H

#include <stddef.h>

/* The heap array items of *cap items of size bytes, count of them used,
 * with room for one more: items itself while count < *cap, else items
 * reallocated to twice *cap (first when *cap is 0) with *cap updated.
 * NULL out of memory, items then left as it was (and still the caller's
 * to free). */
void *grow_room(void *items, size_t count, size_t *cap, size_t size,
                size_t first);

#endif
