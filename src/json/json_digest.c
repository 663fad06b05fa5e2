/* SPDX-License-Identifier: MIT */
/* The digests in an audit row's detail (see json_digest.h). */
#include "json/json_digest.h"

#include <jansson.h>
#include <string.h>

#include "core/str.h"

static void
hex_field(json_t *root, const char *key, char out[JSON_DIGEST_HEX + 1])
{
    const char *v = json_string_value(json_object_get(root, key));
    out[0] = '\0';
    if (v && strlen(v) == JSON_DIGEST_HEX &&
        strspn(v, "0123456789abcdef") == JSON_DIGEST_HEX)
        str_copy(out, JSON_DIGEST_HEX + 1, v);
}

void
json_audit_digests(const char *detail, struct json_digests *out)
{
    json_t *root = json_loads(detail, 0, NULL);
    out->digest[0] = out->facts_digest[0] = '\0';
    out->digests = -1;
    if (!json_is_object(root)) {
        json_decref(root);
        return;
    }
    hex_field(root, "digest", out->digest);
    hex_field(root, "facts_digest", out->facts_digest);
    json_t *n = json_object_get(root, "digests");
    if (json_is_integer(n))
        out->digests = (int64_t)json_integer_value(n);
    json_decref(root);
}
