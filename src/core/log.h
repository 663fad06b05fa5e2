/* SPDX-License-Identifier: MIT */
/* Structured logging: one JSON object per line on stderr. Never pass
 * personal data, tokens or passwords to these functions. */
#ifndef DD_LOG_H
#define DD_LOG_H

#include <stddef.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level lvl);
/* Sets the request id this thread is serving (NULL when none); log lines
 * written without an explicit id carry it. */
void log_set_request_id(const char *request_id);
/* request_id may be NULL. msg is printf-style; the result is JSON-escaped. */
void log_msg(enum log_level lvl, const char *request_id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Appends s to out[pos..] as the inside of a JSON string (no quotes),
 * stopping short of cap; returns the new position. */
size_t log_json_escape(char *out, size_t pos, size_t cap, const char *s);
/* Writes an already-formed JSON object as one line (the access log). */
void log_json_line(const char *json);

#define log_info(...) log_msg(LOG_INFO, NULL, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, NULL, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, NULL, __VA_ARGS__)

#endif
