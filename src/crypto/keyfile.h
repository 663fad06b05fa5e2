/* SPDX-License-Identifier: MIT */
/* The data key file: 32 random bytes, hex-encoded, mode 0600, created once
 * by `doudi init` and never stored in the database. */
#ifndef DD_KEYFILE_H
#define DD_KEYFILE_H

#include "core/status.h"

#define KEYFILE_KEY_LEN 32

/* Creates path with a fresh key unless it exists; *created says which. A
 * file that exists but is not a valid key, or is readable by others, is
 * DD_EINVAL. */
enum dd_status keyfile_ensure(const char *path, int *created) DD_WUR;
/* Reads the key into key (a sodium_malloc'd buffer is best). */
enum dd_status keyfile_read(const char *path,
                            unsigned char key[KEYFILE_KEY_LEN]) DD_WUR;

#endif
