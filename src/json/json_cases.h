/* SPDX-License-Identifier: MIT */
/* Request bodies with lists of strings (item codes, materials,
 * investigators): the lists are taken out and checked here, and the rest
 * of the object is decoded against a field table by json_decode_object. */
#ifndef DD_JSON_CASES_H
#define DD_JSON_CASES_H

#include <stddef.h>

#include "domain/catalog.h"
#include "domain/workflow.h"
#include "json/json.h"
#include "json/jw.h"
#include "store/store.h"

/* A list field: an array of 0..max_items strings, each 1..max_len bytes,
 * stored as const char ** (arena) at items_offset and its length as a
 * size_t at count_offset. required: the array must be present and
 * non-empty. */
struct json_list_field {
    const char *name;
    int required;
    size_t max_items, max_len;
    size_t items_offset, count_offset;
};

/* Decodes body as json_decode_object does, with the list fields taken
 * first. Errors: DD_EINVAL with err naming the field (a list item as
 * name[i]); DD_ENOMEM. */
enum dd_status json_cases_decode(struct arena *a, const char *body, size_t len,
                                 const struct json_field *fields, size_t count,
                                 const struct json_list_field *lists,
                                 size_t nlists, void *dest, unsigned *present,
                                 struct dd_error *err) DD_WUR;

/* Takes the object field name out of the JSON object body: *obj gets its
 * text (NULL when absent or null) and *rest the body without it (arena).
 * DD_EINVAL with err (MALFORMED_JSON, NOT_AN_OBJECT, WRONG_TYPE naming
 * the field); DD_ENOMEM. */
enum dd_status json_cases_take_object(struct arena *a, const char *body,
                                      size_t len, const char *name,
                                      const char **obj, const char **rest,
                                      struct dd_error *err) DD_WUR;

/* The object text obj (from json_cases_take_object) of at most max_pairs
 * names ([a-z_], 2..23 bytes) to whole numbers in min..max, as
 * "name=value;..." in its order (arena) into *out. DD_EINVAL with err
 * naming the field name (or name.key); DD_ENOMEM. */
enum dd_status json_cases_int_map(struct arena *a, const char *obj,
                                  const char *name, int64_t min, int64_t max,
                                  size_t max_pairs, const char **out,
                                  struct dd_error *err) DD_WUR;

/* Reads a value from a JSON text by a dotted path ("items.0.id": object
 * keys and array indexes): 0, or -1 when the text does not parse or the
 * path leads nowhere or to another type. For the demo's own client. */
int json_cases_int_at(const char *body, const char *path, int64_t *out);
int json_cases_str_at(const char *body, const char *path, char *out,
                      size_t cap);

/* Whether text is one JSON object (a stored explanation embedded as it is
 * in a reply): 1 or 0. */
int json_cases_is_object(const char *text);

/* One case item as the API shows it, under key: its catalog names (it),
 * its step's names (s, NULL: the code), the days used and left (left is
 * null once the item is closed). */
void json_cases_put_item(struct jw *w, const char *key,
                         const struct case_item_row *c,
                         const struct catalog_item *it,
                         const struct wf_step *s, int used, int left);
/* One event of an item's timeline; to_name_zh is its step's name. */
void json_cases_put_event(struct jw *w, const struct case_event_row *e,
                          const char *to_name_zh);
/* An item's referral and its entitlement under key; NULL: null. */
void json_cases_put_referral(struct jw *w, const char *key,
                             const struct referral_row *ref);
void json_cases_put_entitlement(struct jw *w, const char *key,
                                const struct entitlement_row *ent);

#endif
