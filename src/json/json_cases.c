/* SPDX-License-Identifier: MIT */
/* Bodies with string lists for the intake and case routes. */
#include "json/json_cases.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "json/json_internal.h"

static enum dd_status
take_list(struct arena *a, json_t *root, const struct json_list_field *l,
          void *dest, struct dd_error *err)
{
    const char **items = NULL;
    size_t n = 0;
    json_t *v = json_object_get(root, l->name);
    if (!v || json_is_null(v)) {
        if (l->required)
            return json_fail(err, "MISSING_FIELD", l->name,
                             "this field is required", "缺少必填字段");
    } else {
        if (!json_is_array(v))
            return json_fail(err, "WRONG_TYPE", l->name,
                             "this field must be an array of strings",
                             "该字段必须是字符串数组");
        n = json_array_size(v);
        if (n > l->max_items)
            return json_fail(err, "TOO_LONG", l->name, "too many entries",
                             "条目过多");
        if (l->required && n == 0)
            return json_fail(err, "TOO_SHORT", l->name,
                             "at least one entry is required", "至少需要一项");
        items = arena_alloc(a, (n ? n : 1) * sizeof(*items));
        if (!items)
            return DD_ENOMEM;
        for (size_t i = 0; i < n; i++) {
            json_t *s = json_array_get(v, i);
            const char *field = arena_printf(a, "%s[%zu]", l->name, i);
            if (!json_is_string(s))
                return json_fail(err, "WRONG_TYPE", field,
                                 "this entry must be a string",
                                 "该条目必须是字符串");
            size_t len = json_string_length(s);
            if (len == 0 || len > l->max_len)
                return json_fail(err, len ? "TOO_LONG" : "TOO_SHORT", field,
                                 "this entry's length is out of range",
                                 "该条目长度超出范围");
            items[i] = arena_strndup(a, json_string_value(s), len);
            if (!items[i])
                return DD_ENOMEM;
        }
    }
    memcpy((char *)dest + l->items_offset, &items, sizeof(items));
    memcpy((char *)dest + l->count_offset, &n, sizeof(n));
    json_object_del(root, l->name);
    return DD_OK;
}

enum dd_status
json_cases_decode(struct arena *a, const char *body, size_t len,
                  const struct json_field *fields, size_t count,
                  const struct json_list_field *lists, size_t nlists,
                  void *dest, unsigned *present, struct dd_error *err)
{
    json_t *root;
    *present = 0;
    enum dd_status rc = json_load_object(body, len, &root, err);
    if (rc != DD_OK)
        return rc;
    for (size_t i = 0; rc == DD_OK && i < nlists; i++)
        rc = take_list(a, root, &lists[i], dest, err);
    char *rest = rc == DD_OK ? json_dumps(root, JSON_COMPACT) : NULL;
    json_decref(root);
    if (rc != DD_OK)
        return rc;
    if (!rest)
        return DD_ENOMEM;
    rc = json_decode_object(a, rest, strlen(rest), fields, count, dest,
                            present, err);
    free(rest);
    return rc;
}

enum dd_status
json_cases_take_object(struct arena *a, const char *body, size_t len,
                       const char *name, const char **obj, const char **rest,
                       struct dd_error *err)
{
    json_t *root;
    *obj = NULL;
    *rest = NULL;
    enum dd_status rc = json_load_object(body, len, &root, err);
    if (rc != DD_OK)
        return rc;
    char *o = NULL, *r = NULL;
    json_t *v = json_object_get(root, name);
    if (v && !json_is_null(v) && !json_is_object(v)) {
        rc = json_fail(err, "WRONG_TYPE", name, "this field must be an object",
                       "该字段必须是对象");
        goto out;
    }
    if (v && !json_is_null(v)) {
        o = json_dumps(v, JSON_COMPACT);
        if (!o || !(*obj = arena_strdup(a, o))) {
            rc = DD_ENOMEM;
            goto out;
        }
    }
    json_object_del(root, name);
    r = json_dumps(root, JSON_COMPACT);
    if (!r || !(*rest = arena_strdup(a, r)))
        rc = DD_ENOMEM;
out:
    free(o);
    free(r);
    json_decref(root);
    return rc;
}

enum dd_status
json_cases_int_map(struct arena *a, const char *obj, const char *name,
                   int64_t min, int64_t max, size_t max_pairs,
                   const char **out, struct dd_error *err)
{
    json_error_t jerr;
    json_t *root = json_loads(obj, JSON_REJECT_DUPLICATES, &jerr);
    const char *key;
    json_t *v;
    char *text = arena_strdup(a, "");
    enum dd_status rc = DD_OK;
    *out = NULL;
    if (!root || !json_is_object(root)) {
        rc = json_fail(err, "WRONG_TYPE", name, "this field must be an object",
                       "该字段必须是对象");
        goto out;
    }
    if (json_object_size(root) > max_pairs) {
        rc = json_fail(err, "TOO_MANY", name, "too many entries", "条目过多");
        goto out;
    }
    json_object_foreach(root, key, v) {
        size_t n = strlen(key);
        if (n < 2 || n > 23 || key[strspn(key, "abcdefghijklmnopqrstuvwxyz_")])
            rc = json_fail(err, "INVALID_KEY",
                           arena_printf(a, "%s.%s", name, key),
                           "a key is 2-23 of a-z and _",
                           "键须为 2 至 23 个 a-z 或 _ 字符");
        else if (!json_is_integer(v) || json_integer_value(v) < min ||
                 json_integer_value(v) > max)
            rc = json_fail(err, "OUT_OF_RANGE",
                           arena_printf(a, "%s.%s", name, key),
                           "the value is not a whole number in range",
                           "取值须为范围内的整数");
        else if (text)
            text = arena_printf(a, "%s%s%s=%lld", text, *text ? ";" : "", key,
                                (long long)json_integer_value(v));
        if (rc != DD_OK)
            goto out;
    }
    if (!text)
        rc = DD_ENOMEM;
    *out = text;
out:
    json_decref(root);
    return rc;
}

static json_t *
walk(json_t *v, const char *path)
{
    char key[64];
    while (v && *path) {
        size_t n = strcspn(path, ".");
        if (n >= sizeof(key))
            return NULL;
        memcpy(key, path, n);
        key[n] = '\0';
        if (json_is_array(v)) {
            char *end;
            long i = strtol(key, &end, 10);
            v = *end || i < 0 ? NULL : json_array_get(v, (size_t)i);
        } else {
            v = json_is_object(v) ? json_object_get(v, key) : NULL;
        }
        path += n + (path[n] == '.');
    }
    return v;
}

int
json_cases_int_at(const char *body, const char *path, int64_t *out)
{
    json_error_t e;
    json_t *root = body ? json_loads(body, JSON_DECODE_ANY, &e) : NULL;
    json_t *v = walk(root, path);
    int rc = json_is_integer(v) ? 0 : -1;
    if (rc == 0)
        *out = (int64_t)json_integer_value(v);
    json_decref(root);
    return rc;
}

int
json_cases_str_at(const char *body, const char *path, char *out, size_t cap)
{
    json_error_t e;
    json_t *root = body ? json_loads(body, JSON_DECODE_ANY, &e) : NULL;
    json_t *v = walk(root, path);
    int rc = json_is_string(v) && json_string_length(v) < cap ? 0 : -1;
    if (rc == 0)
        memcpy(out, json_string_value(v), json_string_length(v) + 1);
    json_decref(root);
    return rc;
}

int
json_cases_is_object(const char *text)
{
    json_t *v = text && *text ? json_loads(text, 0, NULL) : NULL;
    int ok = json_is_object(v);
    json_decref(v);
    return ok;
}

#define CASE(key, member, kind) JW_FIELD(struct case_item_row, key, member, kind)
/* A case item's own fields in three runs, between which stand its
 * catalog item's, its step's and the working days. */
static const struct jw_field item_head[] = {
    CASE("id", id, INT),
    CASE("application_id", application_id, INT),
    CASE("case_no", case_no, STR),
    CASE("item_code", item_code, STR),
    CASE("catalog_version", catalog_version, INT),
};
static const struct jw_field item_where[] = {
    CASE("state", state, STR),
    CASE("owner_region", owner_region, STR),
    CASE("owner_department", owner_department, STR_NULL),
    CASE("intake_region", intake_region, STR),
    CASE("village_code", village_code, STR),
    CASE("household_id", household_id, INT),
    CASE("accepted_on", accepted_on, STR),
    CASE("deadline", deadline, STR),
    CASE("deadline_uncovered", deadline_uncovered, BOOL),
    CASE("step_deadline", step_deadline, STR_NULL),
    CASE("paused_since", paused_since, STR_NULL),
    CASE("paused_working_days", paused_working_days, INT),
};
static const struct jw_field item_outcome[] = {
    CASE("decision", decision, STR_NULL),
    CASE("amount_fen", amount_fen, INT),
    CASE("reasons", reasons, STR_NULL),
    CASE("missing", missing, STR_NULL),
    CASE("closed_on", closed_on, STR_NULL),
    CASE("version", version, INT),
};
#undef CASE

void
json_cases_put_item(struct jw *w, const char *key,
                    const struct case_item_row *c,
                    const struct catalog_item *it, const struct wf_step *s,
                    int used, int left)
{
    jw_obj(w, key);
    JW_FIELDS(w, c, item_head);
    jw_str(w, "name_zh", it->name_zh);
    jw_str(w, "name_en", it->name_en);
    jw_str(w, "department", it->department);
    jw_str(w, "step", c->step);
    jw_str(w, "step_name_zh", s ? s->name_zh : c->step);
    jw_str(w, "step_name_en", s ? s->name_en : c->step);
    JW_FIELDS(w, c, item_where);
    jw_int(w, "working_days_allowed", it->statutory_days);
    jw_int(w, "working_days_used", used);
    if (c->closed_on[0])
        jw_null(w, "working_days_left");
    else
        jw_int(w, "working_days_left", left);
    jw_int(w, "visits", c->visits);
    jw_bool(w, "spot_check", c->spot_check != 0);
    jw_bool(w, "spot_check_done", c->spot_check == 2);
    JW_FIELDS(w, c, item_outcome);
    jw_end(w);
}

void
json_cases_put_event(struct jw *w, const struct case_event_row *e,
                     const char *to_name_zh)
{
    jw_obj(w, NULL);
    jw_int(w, "seq", e->seq);
    jw_str_or_null(w, "from", e->step_from);
    jw_str(w, "to", e->step_to);
    jw_str(w, "to_name_zh", to_name_zh);
    jw_str(w, "action", e->action);
    jw_str(w, "actor", e->actor);
    jw_str(w, "role", e->role);
    jw_str(w, "region", e->region);
    jw_time(w, "at", e->at);
    jw_str(w, "day", e->day);
    jw_bool(w, "visit", e->visit != 0);
    jw_str_or_null(w, "reasons", e->reasons);
    jw_raw(w, "fields", e->fields[0] ? e->fields : "{}");
    jw_end(w);
}

/* Opens an object under key for a row that is there (1), or writes null
 * (0). */
static int
obj_or_null(struct jw *w, const char *key, const void *row)
{
    if (!row) {
        jw_null(w, key);
        return 0;
    }
    jw_obj(w, key);
    return 1;
}

void
json_cases_put_referral(struct jw *w, const char *key,
                        const struct referral_row *ref)
{
    if (!obj_or_null(w, key, ref))
        return;
    jw_str(w, "department", ref->department);
    jw_str(w, "region", ref->region);
    jw_int(w, "sent_at", ref->sent_at);
    jw_int(w, "accepted_at", ref->accepted_at);
    jw_int(w, "answered_at", ref->answered_at);
    jw_str_or_null(w, "result", ref->result);
    jw_end(w);
}

void
json_cases_put_entitlement(struct jw *w, const char *key,
                           const struct entitlement_row *ent)
{
    if (!obj_or_null(w, key, ent))
        return;
    jw_int(w, "id", ent->id);
    jw_int(w, "monthly_fen", ent->monthly_fen);
    jw_str(w, "start_month", ent->start_month);
    jw_str(w, "state", ent->state);
    jw_end(w);
}
