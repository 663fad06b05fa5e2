/* SPDX-License-Identifier: MIT */
/* Reading the step templates (data/catalog/steps.csv) into a book and
 * checking them, at init and when the server starts. */
#ifndef DD_REFDATA_STEPS_H
#define DD_REFDATA_STEPS_H

#include <stddef.h>

#include "core/status.h"
#include "domain/workflow.h"

#define REFDATA_STEPS_FILE "catalog/steps.csv"

/* Reads data_dir/catalog/steps.csv into b (cleared first) and checks
 * every template (wf_book_check). DD_ENOTFOUND when the file is missing;
 * DD_EINVAL with *bad_line (1-based) and why set for a malformed or
 * inconsistent file. */
enum dd_status refdata_steps_read(const char *data_dir, struct wf_book *b,
                                  long *bad_line, char *why,
                                  size_t why_len) DD_WUR;

#endif
