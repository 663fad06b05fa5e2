/* SPDX-License-Identifier: MIT */
/* Decoding request bodies against field tables, and encoding entities. */
#include "json/json.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "json/json_internal.h"

static void
fail(struct dd_error *err, const char *code, const char *field,
     const char *en, const char *zh)
{
    err->code = code;
    err->field = field;
    err->message = en;
    err->message_zh = zh;
}

char *
json_to_arena(struct arena *a, json_t *v)
{
    if (!v)
        return NULL;
    char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(v);
    if (!s)
        return NULL;
    char *out = arena_strdup(a, s);
    free(s);
    return out;
}

static size_t
utf8_length(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

enum dd_status
json_decode_object(struct arena *a, const char *body, size_t len,
                   const struct json_field *fields, size_t count, void *dest,
                   unsigned *present, struct dd_error *err)
{
    json_error_t jerr;
    enum dd_status rc = DD_EINVAL;
    *present = 0;
    json_t *root = json_loadb(body, len,
                              JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    if (!root) {
        fail(err, "MALFORMED_JSON", NULL, "the request body is not valid JSON",
             "请求内容不是有效的 JSON");
        return DD_EINVAL;
    }
    if (!json_is_object(root)) {
        fail(err, "NOT_AN_OBJECT", NULL, "the request body must be an object",
             "请求内容必须是 JSON 对象");
        goto out;
    }
    const char *key;
    json_t *val;
    json_object_foreach(root, key, val)
    {
        size_t i;
        for (i = 0; i < count; i++)
            if (strcmp(fields[i].name, key) == 0)
                break;
        if (i == count) {
            fail(err, "UNKNOWN_FIELD", arena_strdup(a, key),
                 "this field is not allowed here", "不允许的字段");
            goto out;
        }
        const struct json_field *f = &fields[i];
        char *d = (char *)dest + f->offset;
        if (json_is_null(val) && !f->required)
            continue;
        switch (f->type) {
        case JSON_T_STRING: {
            if (!json_is_string(val)) {
                fail(err, "WRONG_TYPE", f->name, "this field must be a string",
                     "该字段必须是字符串");
                goto out;
            }
            const char *s = json_string_value(val);
            size_t n = json_string_length(val);
            if (f->max && (int64_t)n > f->max) {
                fail(err, "TOO_LONG", f->name, "this field is too long",
                     "该字段过长");
                goto out;
            }
            if ((int64_t)utf8_length(s) < f->min) {
                fail(err, "TOO_SHORT", f->name, "this field is too short",
                     "该字段过短");
                goto out;
            }
            char *copy = arena_strndup(a, s, n);
            if (!copy) {
                rc = DD_ENOMEM;
                goto out;
            }
            memcpy(d, &copy, sizeof(copy));
            break;
        }
        case JSON_T_INT: {
            if (!json_is_integer(val)) {
                fail(err, "WRONG_TYPE", f->name,
                     "this field must be an integer", "该字段必须是整数");
                goto out;
            }
            int64_t v = (int64_t)json_integer_value(val);
            if (v < f->min || v > f->max) {
                fail(err, "OUT_OF_RANGE", f->name,
                     "this field is outside its allowed range",
                     "该字段超出允许范围");
                goto out;
            }
            memcpy(d, &v, sizeof(v));
            break;
        }
        case JSON_T_BOOL: {
            if (!json_is_boolean(val)) {
                fail(err, "WRONG_TYPE", f->name,
                     "this field must be true or false",
                     "该字段必须是 true 或 false");
                goto out;
            }
            int v = json_is_true(val);
            memcpy(d, &v, sizeof(v));
            break;
        }
        }
        *present |= 1u << i;
    }
    for (size_t i = 0; i < count; i++) {
        if (fields[i].required && !(*present & (1u << i))) {
            fail(err, "MISSING_FIELD", fields[i].name,
                 "this field is required", "缺少必填字段");
            goto out;
        }
    }
    rc = DD_OK;
out:
    json_decref(root);
    return rc;
}

char *
json_error_envelope(struct arena *a, const struct dd_error *err,
                    const char *request_id)
{
    json_t *e = json_pack("{s:s, s:s, s:s, s:s?}", "code",
                          err->code ? err->code : "ERROR", "message",
                          err->message ? err->message : "",
                          "message_zh", err->message_zh ? err->message_zh : "",
                          "field", err->field);
    if (!e)
        return NULL;
    return json_to_arena(a, json_pack("{s:o, s:s}", "error", e, "request_id",
                             request_id ? request_id : ""));
}

char *
json_quote(struct arena *a, const char *s)
{
    return json_to_arena(a, json_string(s));
}

static json_t *
region_obj(const struct region *r)
{
    return json_pack("{s:s, s:s, s:s, s:s?}", "code", r->code, "name", r->name,
                     "level", r->level, "parent_code",
                     r->parent_code[0] ? r->parent_code : NULL);
}

char *
json_encode_region(struct arena *a, const struct region *r,
                   const char *zone_names)
{
    json_t *o = region_obj(r);
    if (o && zone_names)
        json_object_set_new(o, "zones", json_string(zone_names));
    return json_to_arena(a, o);
}

char *
json_encode_region_list(struct arena *a, const struct region *rs, size_t count,
                        const char *next_cursor)
{
    json_t *items = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(items, region_obj(&rs[i]));
    return json_to_arena(a, json_pack("{s:o, s:s?}", "items", items, "next_cursor",
                             next_cursor));
}

char *
json_encode_zone_list(struct arena *a, const struct zone_township *z,
                      size_t count)
{
    json_t *items = json_array(), *cur = NULL, *towns = NULL;
    for (size_t i = 0; i < count; i++) {
        if (!cur || strcmp(z[i].zone, z[i - 1].zone) != 0) {
            towns = json_array();
            cur = json_pack("{s:s, s:s, s:o}", "code", z[i].zone, "name",
                            z[i].zone_name, "townships", towns);
            json_array_append_new(items, cur);
        }
        if (z[i].township_code[0])
            json_array_append_new(towns, json_string(z[i].township_code));
    }
    return json_to_arena(a, json_pack("{s:o}", "items", items));
}

static json_t *
user_obj(const struct user *u, int64_t now)
{
    char created[32], locked[32];
    time_iso8601(u->created_at, created, sizeof(created));
    time_iso8601(u->locked_until, locked, sizeof(locked));
    return json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s, s:b, s:b, s:s?, s:i, "
                     "s:s}",
                     "id", (json_int_t)u->id, "username", u->username,
                     "display_name", u->display_name, "role", u->role,
                     "department", u->department[0] ? u->department : NULL,
                     "scope", u->scope, "disabled", u->disabled,
                     "locked", u->disabled || u->locked_until > now,
                     "locked_until", u->locked_until > now ? locked : NULL,
                     "failed_logins", u->failed_logins, "created_at", created);
}

char *
json_encode_user(struct arena *a, const struct user *u, int64_t now)
{
    return json_to_arena(a, user_obj(u, now));
}

char *
json_encode_user_list(struct arena *a, const struct user *us, size_t count,
                      int64_t now, int64_t next_cursor)
{
    json_t *items = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(items, user_obj(&us[i], now));
    json_t *o = json_pack("{s:o}", "items", items);
    json_object_set_new(o, "next_cursor",
                        next_cursor ? json_integer(next_cursor) : json_null());
    return json_to_arena(a, o);
}

static json_t *
audit_obj(const struct audit_row *r)
{
    char at[32];
    time_iso8601(r->at, at, sizeof(at));
    json_t *detail = json_loads(r->detail, JSON_DECODE_ANY, NULL);
    if (!detail)
        detail = json_string(r->detail);
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:s, s:o, s:s, s:s}",
                     "seq", (json_int_t)r->seq, "at", at, "actor", r->actor,
                     "action", r->action, "object", r->object, "region",
                     r->region[0] ? r->region : NULL, "request_id",
                     r->request_id, "detail", detail, "prev_hash",
                     r->prev_hash, "hash", r->hash);
}

char *
json_encode_audit_list(struct arena *a, const struct audit_row *rows,
                       size_t count, int64_t next_cursor)
{
    json_t *items = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(items, audit_obj(&rows[i]));
    json_t *o = json_pack("{s:o}", "items", items);
    json_object_set_new(o, "next_cursor",
                        next_cursor ? json_integer(next_cursor) : json_null());
    return json_to_arena(a, o);
}

char *
json_audit_canonical(const struct audit_row *r)
{
    /* An array, not an object: its order is fixed by construction. */
    json_t *v = json_pack("[I, I, s, s, s, s, s, s]", (json_int_t)r->seq,
                          (json_int_t)r->at, r->actor, r->action, r->object,
                          r->region, r->request_id, r->detail);
    if (!v)
        return NULL;
    char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(v);
    return s;
}

char *
json_object_of_strings(struct arena *a, const char *const *kv, size_t pairs)
{
    json_t *o = json_object();
    for (size_t i = 0; i < pairs; i++)
        json_object_set_new(o, kv[2 * i],
                            kv[2 * i + 1] ? json_string(kv[2 * i + 1])
                                          : json_null());
    return json_to_arena(a, o);
}
