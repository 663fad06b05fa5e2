/* SPDX-License-Identifier: MIT */
/* cli_progress: no line before five seconds; then what is done of the
 * total, the rate and the time left from them (a run 10 s old a quarter
 * through has 30 s left), and by the fraction given when the total is
 * not known (an import's place in its file). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "unit_main.h"

#include "cli/cli.h"

/* What p wrote to its file since the last call. */
static const char *
written(struct cli_progress *p)
{
    static char text[256];
    long n = ftell(p->out);
    rewind(p->out);
    size_t got = fread(text, 1, n > 0 ? (size_t)n : 0, p->out);
    text[got] = '\0';
    rewind(p->out);
    assert_int_equal(ftruncate(fileno(p->out), 0), 0);
    return text;
}

static void
test_progress(void **state)
{
    (void)state;
    struct cli_progress p;
    cli_progress_start(&p, "doudi gen", "households", 1000000);
    assert_ptr_equal(p.out, stderr);
    p.out = tmpfile();
    assert_non_null(p.out);
    /* under five seconds in: nothing */
    cli_progress_tick(&p, 1000, -1);
    assert_string_equal(written(&p), "");
    /* 10 s in, 250,000 done: 25,000/s, 30 s left */
    p.t0_us -= 10000000;
    p.last_us -= 10000000;
    cli_progress_tick(&p, 250000, -1);
    assert_string_equal(written(&p), "doudi gen: 250000 of 1000000 households "
                                     "(25%), 25000/s, 30 s left\n");
    /* the next tick at once: nothing */
    cli_progress_tick(&p, 250001, -1);
    assert_string_equal(written(&p), "");
    /* no total: an import 40 s in, 20% of the file read, 8,000 lines */
    FILE *out = p.out;
    cli_progress_start(&p, "doudi import", "lines", 0);
    p.out = out;
    p.t0_us -= 40000000;
    p.last_us -= 40000000;
    cli_progress_tick(&p, 8000, 0.2);
    assert_string_equal(written(&p), "doudi import: 8000 lines (20%), 200/s, "
                                     "2 min 40 s left\n");
    fclose(out);
}

UNIT_TESTS(NULL, NULL, cmocka_unit_test(test_progress))
