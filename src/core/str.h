/* SPDX-License-Identifier: MIT */
/* Bounded string copies into fixed buffers. */
#ifndef DD_STR_H
#define DD_STR_H

#include <stddef.h>

/* Copies src (NULL = "") into dst of cap bytes, always NUL-terminated.
 * When src does not fit, it is cut at a UTF-8 character boundary, so a
 * Chinese name is never left with half a character. */
void str_copy(char *dst, size_t cap, const char *src);

#endif
