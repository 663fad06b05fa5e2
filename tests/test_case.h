/* SPDX-License-Identifier: MIT */
/* The head of a cmocka test that does not use its state, for the unit,
 * store and API tests alike. */
#ifndef DD_TEST_CASE_H
#define DD_TEST_CASE_H

/* TEST_CASE(test_x) { ... } defines static void test_x(void **state),
 * the state unused, for cmocka_unit_test(test_x). */
#define TEST_CASE(name) static void name(void **state __attribute__((unused)))

#endif
