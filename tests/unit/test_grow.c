/* SPDX-License-Identifier: MIT */
/* grow_room: the first allocation, room left alone, doubling that keeps
 * the items. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "unit_main.h"

#include "core/grow.h"

static void
test_grow(void **state)
{
    (void)state;
    int *items = NULL;
    size_t count = 0, cap = 0;
    for (int i = 0; i < 9; i++) {
        size_t had = cap;
        int *room = grow_room(items, count, &cap, sizeof(*items), 4);
        assert_non_null(room);
        if (count < had) /* room left: the same array */
            assert_ptr_equal(room, items);
        items = room;
        items[count++] = i;
        assert_true(count <= cap);
    }
    assert_int_equal(cap, 16); /* 4, then 8 at the 5th, 16 at the 9th */
    for (int i = 0; i < 9; i++)
        assert_int_equal(items[i], i);
    free(items);
}

UNIT_TESTS(NULL, NULL, cmocka_unit_test(test_grow))
