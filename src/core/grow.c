/* SPDX-License-Identifier: MIT */
/* Room for one more item in a heap array that grows by doubling. */
#include "core/grow.h"

#include <stdlib.h>

void *
grow_room(void *items, size_t count, size_t *cap, size_t size, size_t first)
{
    if (count < *cap)
        return items;
    size_t n = *cap ? 2 * *cap : first;
    void *grown = realloc(items, n * size);
    if (grown)
        *cap = n;
    return grown;
}
