/* SPDX-License-Identifier: MIT */
/* A reply from an open file (http_reply_file, the bank files): it takes
 * the file's descriptor and length in place of a body, and any reply
 * made after it (an error found after the file was written) replaces it
 * whole, so the file is never sent under an error's status. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "unit_main.h"

#include "http/request.h"

TEST_CASE(test_file_then_error)
{
    struct http_request req = {.resp_fd = -1};
    http_reply_file(&req, 200, "application/octet-stream", 7, 4096);
    assert_true(req.replied);
    assert_int_equal(req.status, 200);
    assert_int_equal(req.resp_fd, 7);
    assert_int_equal(req.resp_len, 4096);
    assert_null(req.resp_body);
    http_reply_json(&req, 503, "{}");
    assert_int_equal(req.status, 503);
    assert_int_equal(req.resp_fd, -1);
    assert_int_equal(req.resp_len, 2);
    assert_string_equal(req.resp_body, "{}");
}

UNIT_TESTS(NULL, NULL, cmocka_unit_test(test_file_then_error))
