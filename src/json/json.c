/* SPDX-License-Identifier: MIT */
/* Decoding request bodies against field tables, and encoding entities. */
#include "json/json.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "json/json_internal.h"
#include "json/jw.h"

/* Bytes of one encoded entity, and of one page of a list. */
#define ENCODE_CAP (64u << 10)
#define LIST_CAP (8u << 20)

enum dd_status
json_fail(struct dd_error *err, const char *code, const char *field,
          const char *en, const char *zh)
{
    err->code = code;
    err->field = field;
    err->message = en;
    err->message_zh = zh;
    return DD_EINVAL;
}

int
json_type_ok(const json_t *v, int t, const char **en, const char **zh)
{
    switch (t) {
    case JSON_T_STRING:
        *en = "this field must be a string";
        *zh = "该字段必须是字符串";
        return json_is_string(v);
    case JSON_T_INT:
        *en = "this field must be an integer";
        *zh = "该字段必须是整数";
        return json_is_integer(v);
    default:
        *en = "this field must be true or false";
        *zh = "该字段必须是 true 或 false";
        return json_is_boolean(v);
    }
}

enum dd_status
json_load_object(const char *body, size_t len, json_t **root,
                 struct dd_error *err)
{
    json_error_t jerr;
    *root =
        json_loadb(body, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    if (!*root)
        return json_fail(err, "MALFORMED_JSON", NULL,
                         "the request body is not valid JSON",
                         "请求内容不是有效的 JSON");
    if (json_is_object(*root))
        return DD_OK;
    json_decref(*root);
    *root = NULL;
    return json_fail(err, "NOT_AN_OBJECT", NULL,
                     "the request body must be an object",
                     "请求内容必须是 JSON 对象");
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
    json_t *root;
    *present = 0;
    enum dd_status rc = json_load_object(body, len, &root, err);
    if (rc != DD_OK)
        return rc;
    rc = DD_EINVAL;
    const char *key;
    json_t *val;
    json_object_foreach(root, key, val)
    {
        size_t i;
        for (i = 0; i < count; i++)
            if (strcmp(fields[i].name, key) == 0)
                break;
        if (i == count) {
            json_fail(err, "UNKNOWN_FIELD", arena_strdup(a, key),
                      "this field is not allowed here", "不允许的字段");
            goto out;
        }
        const struct json_field *f = &fields[i];
        char *d = (char *)dest + f->offset;
        if (json_is_null(val) && !f->required)
            continue;
        const char *en, *zh;
        if (!json_type_ok(val, f->type, &en, &zh)) {
            json_fail(err, "WRONG_TYPE", f->name, en, zh);
            goto out;
        }
        switch (f->type) {
        case JSON_T_STRING: {
            const char *s = json_string_value(val);
            size_t n = json_string_length(val);
            if (f->max && (int64_t)n > f->max) {
                json_fail(err, "TOO_LONG", f->name, "this field is too long",
                          "该字段过长");
                goto out;
            }
            if ((int64_t)utf8_length(s) < f->min) {
                json_fail(err, "TOO_SHORT", f->name, "this field is too short",
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
            int64_t v = (int64_t)json_integer_value(val);
            if (v < f->min || v > f->max) {
                json_fail(err, "OUT_OF_RANGE", f->name,
                          "this field is outside its allowed range",
                          "该字段超出允许范围");
                goto out;
            }
            memcpy(d, &v, sizeof(v));
            break;
        }
        case JSON_T_BOOL: {
            int v = json_is_true(val);
            memcpy(d, &v, sizeof(v));
            break;
        }
        }
        *present |= 1u << i;
    }
    for (size_t i = 0; i < count; i++) {
        if (fields[i].required && !(*present & (1u << i))) {
            json_fail(err, "MISSING_FIELD", fields[i].name,
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
    struct jw w;
    jw_init(&w, ENCODE_CAP);
    jw_obj(&w, NULL);
    jw_obj(&w, "error");
    jw_str(&w, "code", err->code ? err->code : "ERROR");
    jw_str(&w, "message", err->message ? err->message : "");
    jw_str(&w, "message_zh", err->message_zh ? err->message_zh : "");
    jw_str(&w, "field", err->field);
    jw_end(&w);
    jw_str(&w, "request_id", request_id ? request_id : "");
    jw_end(&w);
    return jw_finish_arena(&w, a);
}

void
json_put_region(struct jw *w, const char *key, const struct region *r)
{
    jw_obj(w, key);
    jw_str(w, "code", r->code);
    jw_str(w, "name", r->name);
    jw_str(w, "level", r->level);
    jw_str_or_null(w, "parent_code", r->parent_code);
}

char *
json_encode_region(struct arena *a, const struct region *r,
                   const char *zone_names)
{
    struct jw w;
    jw_init(&w, ENCODE_CAP);
    json_put_region(&w, NULL, r);
    if (zone_names)
        jw_str(&w, "zones", zone_names);
    jw_end(&w);
    return jw_finish_arena(&w, a);
}

char *
json_encode_region_list(struct arena *a, const struct region *rs, size_t count,
                        const char *next_cursor)
{
    struct jw w;
    jw_init(&w, ENCODE_CAP);
    jw_obj(&w, NULL);
    jw_arr(&w, "items");
    for (size_t i = 0; i < count; i++) {
        json_put_region(&w, NULL, &rs[i]);
        jw_end(&w);
    }
    jw_end(&w);
    jw_str(&w, "next_cursor", next_cursor);
    jw_end(&w);
    return jw_finish_arena(&w, a);
}

char *
json_encode_zone_list(struct arena *a, const struct zone_township *z,
                      size_t count)
{
    struct jw w;
    jw_init(&w, ENCODE_CAP);
    jw_obj(&w, NULL);
    jw_arr(&w, "items");
    for (size_t i = 0; i < count; i++) {
        if (i == 0 || strcmp(z[i].zone, z[i - 1].zone) != 0) {
            if (i > 0) {
                jw_end(&w); /* townships */
                jw_end(&w); /* the zone */
            }
            jw_obj(&w, NULL);
            jw_str(&w, "code", z[i].zone);
            jw_str(&w, "name", z[i].zone_name);
            jw_arr(&w, "townships");
        }
        if (z[i].township_code[0])
            jw_str(&w, NULL, z[i].township_code);
    }
    if (count > 0) {
        jw_end(&w);
        jw_end(&w);
    }
    jw_end(&w);
    jw_end(&w);
    return jw_finish_arena(&w, a);
}

/* Closes a list's items and the list with its "next_cursor" (0: null). */
static char *
end_list(struct jw *w, struct arena *a, int64_t next_cursor)
{
    jw_end(w);
    if (next_cursor)
        jw_int(w, "next_cursor", next_cursor);
    else
        jw_null(w, "next_cursor");
    jw_end(w);
    return jw_finish_arena(w, a);
}

void
json_put_user(struct jw *w, const char *key, const struct user *u,
              int64_t now)
{
    jw_obj(w, key);
    jw_int(w, "id", u->id);
    jw_str(w, "username", u->username);
    jw_str(w, "display_name", u->display_name);
    jw_str(w, "role", u->role);
    jw_str_or_null(w, "department", u->department);
    jw_str(w, "scope", u->scope);
    jw_bool(w, "disabled", u->disabled);
    jw_bool(w, "locked", u->disabled || u->locked_until > now);
    if (u->locked_until > now)
        jw_time(w, "locked_until", u->locked_until);
    else
        jw_null(w, "locked_until");
    jw_int(w, "failed_logins", u->failed_logins);
    if (u->spread_alert_at)
        jw_time(w, "spread_alert_at", u->spread_alert_at);
    else
        jw_null(w, "spread_alert_at");
    jw_time(w, "created_at", u->created_at);
    jw_end(w);
}

char *
json_encode_user(struct arena *a, const struct user *u, int64_t now)
{
    struct jw w;
    jw_init(&w, ENCODE_CAP);
    json_put_user(&w, NULL, u, now);
    return jw_finish_arena(&w, a);
}

char *
json_encode_user_list(struct arena *a, const struct user *us, size_t count,
                      int64_t now, int64_t next_cursor)
{
    struct jw w;
    jw_init(&w, LIST_CAP);
    jw_obj(&w, NULL);
    jw_arr(&w, "items");
    for (size_t i = 0; i < count; i++)
        json_put_user(&w, NULL, &us[i], now);
    return end_list(&w, a, next_cursor);
}

/* An audit row's detail as it was shown: the stored JSON text parsed and
 * written again compactly (jansson, as before: the stored text is a JSON
 * document to read), or the text as a string when it is not JSON. */
static void
put_detail(struct jw *w, const char *detail)
{
    json_t *v = json_loads(detail, JSON_DECODE_ANY, NULL);
    if (!v) {
        jw_str(w, "detail", detail);
        return;
    }
    char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(v);
    if (!text && w->rc == DD_OK)
        w->rc = DD_ENOMEM;
    else
        jw_raw(w, "detail", text);
    free(text);
}

char *
json_encode_audit_list(struct arena *a, const struct audit_row *rows,
                       size_t count, int64_t next_cursor)
{
    struct jw w;
    jw_init(&w, LIST_CAP);
    jw_obj(&w, NULL);
    jw_arr(&w, "items");
    for (size_t i = 0; i < count; i++) {
        const struct audit_row *r = &rows[i];
        jw_obj(&w, NULL);
        jw_int(&w, "seq", r->seq);
        jw_time(&w, "at", r->at);
        jw_str(&w, "actor", r->actor);
        jw_str(&w, "action", r->action);
        jw_str(&w, "object", r->object);
        jw_str_or_null(&w, "region", r->region);
        jw_str(&w, "request_id", r->request_id);
        put_detail(&w, r->detail);
        jw_str(&w, "prev_hash", r->prev_hash);
        jw_str(&w, "hash", r->hash);
        jw_end(&w);
    }
    return end_list(&w, a, next_cursor);
}

char *
json_audit_canonical(const struct audit_row *r)
{
    /* An array, not an object: its order is fixed by construction. Kept on
     * jansson on purpose: these bytes are hashed into the audit chain, and
     * jansson also refuses text that is not UTF-8 here (NULL) where jw would
     * write it through, so jw is not byte-for-byte the same on every
     * input; existing chains must keep verifying. */
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
    struct jw w;
    jw_init(&w, ENCODE_CAP);
    jw_obj(&w, NULL);
    for (size_t i = 0; i < pairs; i++)
        jw_str(&w, kv[2 * i], kv[2 * i + 1]);
    jw_end(&w);
    return jw_finish_arena(&w, a);
}
