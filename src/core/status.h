/* SPDX-License-Identifier: MIT */
/* The one status enum every fallible function returns, and the validation
 * detail (field, code, bilingual message) that travels with a DD_EINVAL. */
#ifndef DD_STATUS_H
#define DD_STATUS_H

#define DD_WUR __attribute__((warn_unused_result))

enum dd_status {
    DD_OK = 0,
    DD_ENOMEM,     /* allocation or a size cap failed */
    DD_EINVAL,     /* input is invalid; see struct dd_error */
    DD_ENOTFOUND,  /* no such record */
    DD_ECONFLICT,  /* uniqueness or version conflict */
    DD_EDENIED,    /* not allowed */
    DD_ESTORE,     /* the database failed */
    DD_EINTERNAL,  /* a bug */
    DD_ETOOBIG,    /* a body or a value is over its limit */
    DD_EUNAUTH,    /* no valid session or token */
    DD_ELOCKED,    /* account locked */
    DD_ERATE,      /* too many requests */
    DD_EREFUSED,   /* valid, but the rules refuse it on that day (422) */
};

/* What went wrong with an input, for the error envelope. All strings are
 * static or owned by the request arena. */
struct dd_error {
    const char *code;       /* machine code, e.g. "INVALID_JSON" */
    const char *field;      /* the offending field, or NULL */
    const char *message;    /* English */
    const char *message_zh; /* Chinese */
};

/* How a status reaches a client: the HTTP status, and the error envelope
 * used when the failing layer gave no detail of its own. One table maps
 * every status (status.c); the HTTP layer and the API read it. */
struct dd_status_info {
    enum dd_status status;
    const char *name; /* "ENOTFOUND", for logs and tests */
    int http;         /* 404 */
    const char *code; /* "NOT_FOUND" */
    const char *message_en, *message_zh;
};

const struct dd_status_info *dd_status_info(enum dd_status st);
const char *dd_status_name(enum dd_status st);

/* Fills *err (NULL allowed) with a validation failure and returns
 * DD_EINVAL. field may be NULL. */
enum dd_status dd_invalid(struct dd_error *err, const char *code,
                          const char *field, const char *en, const char *zh);

#endif
