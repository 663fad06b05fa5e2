/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the import path's parsers: the CSV reader over the
 * input (fed in small refills so records cross buffer boundaries) with the
 * invariants each record must keep, and the UTF-8/GB18030 conversion of
 * the same bytes. Build with the fuzz preset (cmake --preset fuzz). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"
#include "io/encoding.h"

#include "fuzz_check.h"

/* A source handing out at most 7 bytes per call. */
static enum dd_status
trickle(void *ctx, char *buf, size_t cap, size_t *got)
{
    struct csv_mem *m = ctx;
    return csv_mem_source(m, buf, cap < 7 ? cap : 7, got);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct csv_mem m = {(const char *)data, size, 0};
    struct csv_reader *r = csv_reader_new(trickle, &m, 256);
    struct csv_record rec;
    enum dd_status rc;
    long last = 0;
    size_t newlines = 0;
    for (size_t i = 0; i < size; i++)
        newlines += data[i] == '\n' || data[i] == '\r';
    CHECK(r);
    while ((rc = csv_reader_next(r, &rec)) == DD_OK) {
        CHECK(rec.count >= 1);
        CHECK(rec.line > last && (size_t)rec.line <= newlines + 1);
        last = rec.line;
        size_t total = 0;
        for (size_t i = 0; i < rec.count; i++)
            total += strlen(rec.fields[i]) + 1;
        CHECK(total <= 256);
    }
    CHECK(rc == DD_ENOTFOUND || (rc == DD_EINVAL && csv_reader_error(r)));
    csv_reader_free(r);

    char *out = NULL;
    size_t out_len = 0;
    enum enc_kind k;
    rc = enc_to_utf8((const char *)data, size, &out, &out_len, &k);
    if (rc == DD_OK) {
        struct enc_utf8_state s = {0};
        enc_utf8_feed(&s, out, out_len);
        CHECK(enc_utf8_finish(&s));
        CHECK(out[out_len] == '\0');
        if (k == ENC_UTF8)
            CHECK(out_len == size && memcmp(out, data, size) == 0);
        free(out);
    } else {
        CHECK(rc == DD_EINVAL);
    }
    return 0;
}
