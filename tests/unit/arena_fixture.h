/* SPDX-License-Identifier: MIT */
/* A group's arena, ar (1 MiB): setup and teardown, given to UNIT_TESTS,
 * make and free it. */
#ifndef DD_TEST_ARENA_FIXTURE_H
#define DD_TEST_ARENA_FIXTURE_H

#include "core/arena.h"

static struct arena *ar;

static int
setup(void **state)
{
    (void)state;
    ar = arena_new(1u << 20);
    return ar ? 0 : -1;
}

static int
teardown(void **state)
{
    (void)state;
    arena_free(ar);
    return 0;
}

#endif
