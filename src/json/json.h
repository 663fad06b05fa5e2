/* SPDX-License-Identifier: MIT */
/* The only module that calls jansson. Request bodies are decoded against a
 * field table (name, type, bounds, destination) that rejects unknown
 * fields and wrong types, naming the field; entities are encoded to JSON
 * text allocated in the request arena. */
#ifndef DD_JSON_H
#define DD_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/status.h"
#include "json/json_error.h"
#include "store/store.h"

enum json_type {
    JSON_T_STRING, /* dest: const char * (arena) */
    JSON_T_INT,    /* dest: int64_t */
    JSON_T_BOOL,   /* dest: int */
};

struct json_field {
    const char *name;
    enum json_type type;
    int required;
    int64_t min, max; /* ints: bounds; strings: at least min characters
                         (code points) and at most max bytes (0 = any) */
    size_t offset;    /* into the destination struct */
};

/* Decodes body (len bytes) into dest by fields[0..count). *present gets bit
 * i set for each field present. Errors: DD_EINVAL with err filled. */
enum dd_status json_decode_object(struct arena *a, const char *body,
                                  size_t len, const struct json_field *fields,
                                  size_t count, void *dest, unsigned *present,
                                  struct dd_error *err) DD_WUR;


struct jw;
/* A region's fields into w, its object left open (under key in an object,
 * NULL in an array). */
void json_put_region(struct jw *w, const char *key, const struct region *r);
/* A user into w, as json_encode_user (under key; NULL in an array). */
void json_put_user(struct jw *w, const char *key, const struct user *u,
                   int64_t now);

char *json_encode_region(struct arena *a, const struct region *r,
                         const char *zone_names);
/* {"items":[...],"next_cursor":CODE|null} */
char *json_encode_region_list(struct arena *a, const struct region *rs,
                              size_t count, const char *next_cursor);
/* zones: z sorted by zone; {"items":[{code,name,townships:[...]}]} */
char *json_encode_zone_list(struct arena *a, const struct zone_township *z,
                            size_t count);
char *json_encode_user(struct arena *a, const struct user *u, int64_t now);
char *json_encode_user_list(struct arena *a, const struct user *us,
                            size_t count, int64_t now, int64_t next_cursor);
char *json_encode_audit_list(struct arena *a, const struct audit_row *rows,
                             size_t count, int64_t next_cursor);

/* Canonical form of an audit row for the hash chain: compact JSON with the
 * fields in fixed order (seq, at, actor, action, object, region,
 * request_id, detail), detail embedded as a string. Caller frees. */
char *json_audit_canonical(const struct audit_row *row);

/* Builds a JSON object text from (key, value) string pairs, NULL values
 * becoming null; keys and values are copied. For small audit details. */
char *json_object_of_strings(struct arena *a, const char *const *kv,
                             size_t pairs);

#endif
