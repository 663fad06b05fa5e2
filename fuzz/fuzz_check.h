/* SPDX-License-Identifier: MIT */
/* What every libFuzzer target here shares: its entry point's prototype
 * and CHECK, an assertion that assert()'s NDEBUG never compiles out: it
 * names the target (its source file), the line and the condition, and
 * aborts so that libFuzzer keeps the input. */
#ifndef DD_FUZZ_CHECK_H
#define DD_FUZZ_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #cond);         \
            abort();                                                           \
        }                                                                      \
    } while (0)

#endif
