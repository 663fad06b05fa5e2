/* SPDX-License-Identifier: MIT */
/* Bounded string copies. */
#include "core/str.h"

#include <string.h>

void
str_copy(char *dst, size_t cap, const char *src)
{
    size_t n = src ? strlen(src) : 0;
    if (cap == 0)
        return;
    if (n >= cap) {
        n = cap - 1;
        /* back off over continuation bytes to a lead byte, and drop it */
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    if (n)
        memcpy(dst, src, n);
    dst[n] = '\0';
}
