/* SPDX-License-Identifier: MIT */
/* Names of the status codes, for logs and tests. */
#include "core/status.h"

const char *
dd_status_name(enum dd_status st)
{
    switch (st) {
    case DD_OK: return "OK";
    case DD_ENOMEM: return "ENOMEM";
    case DD_EINVAL: return "EINVAL";
    case DD_ENOTFOUND: return "ENOTFOUND";
    case DD_ECONFLICT: return "ECONFLICT";
    case DD_EDENIED: return "EDENIED";
    case DD_ESTORE: return "ESTORE";
    case DD_EINTERNAL: return "EINTERNAL";
    case DD_ETOOBIG: return "ETOOBIG";
    case DD_EUNAUTH: return "EUNAUTH";
    case DD_ELOCKED: return "ELOCKED";
    case DD_ERATE: return "ERATE";
    }
    return "UNKNOWN";
}
