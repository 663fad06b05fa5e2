/* SPDX-License-Identifier: MIT */
/* The context pool: an idle context is reused before a new one is made,
 * the most recently given back first; past CTXPOOL_MAX idle contexts the
 * extra ones are freed; destroy frees every idle one. The items here are
 * counted stand-ins for OpenSSL contexts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "unit_main.h"

#include "crypto/ctxpool.h"

#define N_ITEMS (CTXPOOL_MAX + 44)

static int items[N_ITEMS];
static size_t made, freed;

static void *
make(void *arg)
{
    (void)arg;
    if (made == N_ITEMS)
        return NULL;
    return &items[made++];
}

static void
free_item(void *item)
{
    int *p = item;

    assert_int_equal(*p, 0);
    *p = 1;
    freed++;
}

static void
test_reuse_before_make(void **state)
{
    struct ctxpool p;
    void *a, *b;

    (void)state;
    made = freed = 0;
    assert_int_equal(ctxpool_init(&p), 0);
    a = ctxpool_take(&p, make, NULL);
    assert_ptr_equal(a, &items[0]);
    b = ctxpool_take(&p, make, NULL);
    assert_ptr_equal(b, &items[1]);
    ctxpool_give(&p, a, free_item);
    ctxpool_give(&p, b, free_item);
    assert_int_equal(p.count, 2);
    /* Taken again: no new item, the last given first. */
    assert_ptr_equal(ctxpool_take(&p, make, NULL), b);
    assert_ptr_equal(ctxpool_take(&p, make, NULL), a);
    assert_int_equal(made, 2);
    assert_int_equal(p.count, 0);
    ctxpool_give(&p, a, free_item);
    ctxpool_give(&p, b, free_item);
    assert_int_equal(freed, 0);
    ctxpool_destroy(&p, free_item);
    assert_int_equal(freed, 2);
    assert_int_equal(items[0] + items[1], 2);
}

/* N_ITEMS out at once (more than the pool holds), then all given back:
 * CTXPOOL_MAX stay idle and the rest are freed at once; make failing is
 * reported as NULL; destroy frees the idle ones, each exactly once (the
 * stand-in fails on a second free). */
static void
test_full_pool_frees(void **state)
{
    struct ctxpool p;
    void *out[N_ITEMS];
    size_t i;

    (void)state;
    made = freed = 0;
    for (i = 0; i < N_ITEMS; i++)
        items[i] = 0;
    assert_int_equal(ctxpool_init(&p), 0);
    for (i = 0; i < N_ITEMS; i++) {
        out[i] = ctxpool_take(&p, make, NULL);
        assert_ptr_equal(out[i], &items[i]);
    }
    assert_null(ctxpool_take(&p, make, NULL));
    for (i = 0; i < N_ITEMS; i++)
        ctxpool_give(&p, out[i], free_item);
    assert_int_equal(p.count, CTXPOOL_MAX);
    assert_int_equal(freed, N_ITEMS - CTXPOOL_MAX);
    ctxpool_destroy(&p, free_item);
    assert_int_equal(freed, N_ITEMS);
    for (i = 0; i < N_ITEMS; i++)
        assert_int_equal(items[i], 1);
}

UNIT_TESTS(NULL, NULL, cmocka_unit_test(test_reuse_before_make),
           cmocka_unit_test(test_full_pool_frees))
