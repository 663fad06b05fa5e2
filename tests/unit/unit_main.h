/* SPDX-License-Identifier: MIT */
/* The main() of a unit test: one cmocka group of the tests given. */
#ifndef DD_TEST_UNIT_MAIN_H
#define DD_TEST_UNIT_MAIN_H

#include "../test_case.h"

/* Defines main() as cmocka_run_group_tests() of the tests that follow
 * (cmocka_unit_test(...), ...), in that order, with the group's setup and
 * teardown (NULL: none). */
#define UNIT_TESTS(setup, teardown, ...)                                       \
    int main(void)                                                             \
    {                                                                          \
        const struct CMUnitTest tests[] = {__VA_ARGS__};                       \
        return cmocka_run_group_tests(tests, setup, teardown);                 \
    }

#endif
