/* SPDX-License-Identifier: MIT */
/* JSON-lines logging to stderr. One write(2) per line so lines from
 * different threads never interleave. */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/timeutil.h"

static enum log_level min_level = LOG_INFO;
static _Thread_local const char *thread_request_id;
static const char *level_names[] = {"debug", "info", "warn", "error"};

void
log_set_level(enum log_level lvl)
{
    min_level = lvl;
}

size_t
log_json_escape(char *out, size_t pos, size_t cap, const char *s)
{
    for (; *s && pos + 7 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            out[pos++] = '\\';
            out[pos++] = (char)c;
        } else if (c < 0x20) {
            pos += (size_t)snprintf(out + pos, cap - pos, "\\u%04x", c);
        } else {
            out[pos++] = (char)c;
        }
    }
    return pos;
}

void
log_set_request_id(const char *request_id)
{
    thread_request_id = request_id;
}

void
log_msg(enum log_level lvl, const char *request_id, const char *fmt, ...)
{
    if (lvl < min_level)
        return;
    char msg[2048], line[4608], ts[32];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    time_iso8601(time_now(), ts, sizeof(ts));
    if (!request_id)
        request_id = thread_request_id;
    size_t pos = (size_t)snprintf(line, sizeof(line),
                                  "{\"ts\":\"%s\",\"level\":\"%s\",", ts,
                                  level_names[lvl]);
    if (request_id) {
        pos += (size_t)snprintf(line + pos, sizeof(line) - pos,
                                "\"request_id\":\"");
        pos = log_json_escape(line, pos, sizeof(line) - 8, request_id);
        line[pos++] = '"';
        line[pos++] = ',';
    }
    memcpy(line + pos, "\"msg\":\"", 7);
    pos += 7;
    pos = log_json_escape(line, pos, sizeof(line) - 4, msg);
    memcpy(line + pos, "\"}\n", 3);
    pos += 3;
    if (write(STDERR_FILENO, line, pos) < 0) {
        /* nowhere left to report it */
    }
}

void
log_json_line(const char *json)
{
    size_t n = strlen(json);
    char line[8192];
    if (n + 2 > sizeof(line))
        n = sizeof(line) - 2;
    memcpy(line, json, n);
    line[n++] = '\n';
    if (write(STDERR_FILENO, line, n) < 0) {
        /* nowhere left to report it */
    }
}
