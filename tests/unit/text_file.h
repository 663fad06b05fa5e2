/* SPDX-License-Identifier: MIT */
/* Files of text for the unit tests that read files (configuration,
 * policy, holidays, steps, static assets). Include after <cmocka.h>. */
#ifndef DD_TEST_TEXT_FILE_H
#define DD_TEST_TEXT_FILE_H

#include <stdio.h>
#include <stdlib.h>

/* Writes text to path (created or truncated), asserting every step. */
static inline void
text_put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
}

/* Writes text to a new file made from tmpl ("/tmp/NAME-XXXXXX", which
 * mkstemp turns into its path), asserting every step. */
static inline void
text_temp(char *tmpl, const char *text)
{
    int fd = mkstemp(tmpl);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
}

/* Writes text to a new file /tmp/doudi-NAME-XXXXXX; returns its path (a
 * static buffer, the next call's). */
static inline const char *
text_temp_named(const char *name, const char *text)
{
    static char path[64];
    snprintf(path, sizeof(path), "/tmp/doudi-%s-XXXXXX", name);
    text_temp(path, text);
    return path;
}

#endif
