/* SPDX-License-Identifier: MIT */
/* Decoding the OpenID Connect provider's documents with jansson: the
 * members Doudi reads, the others ignored. */
#include "json/json_oidc.h"

#include <jansson.h>
#include <string.h>

/* The document as an object, or NULL with *bad set. */
static json_t *
load(const char *text, size_t len, const char **bad)
{
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_object(root)) {
        json_decref(root);
        *bad = "(document)";
        return NULL;
    }
    return root;
}

/* The string member name of o copied into a ("" when absent and not
 * required); 0, or -1 with *bad = name when required and absent, or not a
 * string, or out of memory. */
static int
member(struct arena *a, const json_t *o, const char *name, int required,
       const char **out, const char **bad)
{
    const json_t *v = json_object_get(o, name);
    *out = "";
    if (!v && !required)
        return 0;
    if (!json_is_string(v) || !(*out = arena_strdup(a, json_string_value(v)))) {
        *bad = name;
        return -1;
    }
    return 0;
}

enum dd_status
json_oidc_discovery(struct arena *a, const char *text, size_t len,
                    struct json_oidc_discovery *out, const char **bad)
{
    json_t *root = load(text, len, bad);
    int bad_member =
        !root || member(a, root, "issuer", 1, &out->issuer, bad) ||
        member(a, root, "authorization_endpoint", 1,
               &out->authorization_endpoint, bad) ||
        member(a, root, "token_endpoint", 1, &out->token_endpoint, bad) ||
        member(a, root, "jwks_uri", 1, &out->jwks_uri, bad);
    json_decref(root);
    return bad_member ? DD_EINVAL : DD_OK;
}

enum dd_status
json_oidc_jwks(struct arena *a, const char *text, size_t len,
               struct json_jwk **keys, size_t *count, const char **bad)
{
    json_t *root = load(text, len, bad);
    *keys = NULL;
    *count = 0;
    if (!root)
        return DD_EINVAL;
    const json_t *arr = json_object_get(root, "keys");
    size_t n = json_array_size(arr);
    enum dd_status rc = DD_OK;
    if (!json_is_array(arr)) {
        *bad = "keys";
        rc = DD_EINVAL;
    } else if (!(*keys = arena_alloc(a, (n ? n : 1) * sizeof(**keys)))) {
        rc = DD_ENOMEM;
    }
    for (size_t i = 0; rc == DD_OK && i < n; i++) {
        const json_t *k = json_array_get(arr, i);
        struct json_jwk *o = &(*keys)[i];
        *bad = "keys"; /* unless a member is named */
        if (!json_is_object(k) || member(a, k, "kty", 1, &o->kty, bad) ||
            member(a, k, "kid", 0, &o->kid, bad) ||
            member(a, k, "alg", 0, &o->alg, bad) ||
            member(a, k, "use", 0, &o->use, bad) ||
            member(a, k, "crv", 0, &o->crv, bad) ||
            member(a, k, "n", 0, &o->n, bad) ||
            member(a, k, "e", 0, &o->e, bad) ||
            member(a, k, "x", 0, &o->x, bad) ||
            member(a, k, "y", 0, &o->y, bad)) {
            rc = DD_EINVAL;
        }
    }
    json_decref(root);
    if (rc == DD_OK)
        *count = n;
    return rc;
}

enum dd_status
json_oidc_token_reply(struct arena *a, const char *text, size_t len,
                      const char **id_token, const char **bad)
{
    json_t *root = load(text, len, bad);
    int fail = !root || member(a, root, "id_token", 1, id_token, bad);
    json_decref(root);
    return fail ? DD_EINVAL : DD_OK;
}

enum dd_status
json_oidc_jose_header(struct arena *a, const char *text, size_t len,
                      const char **alg, const char **kid, const char **bad)
{
    json_t *root = load(text, len, bad);
    int fail = !root || member(a, root, "alg", 1, alg, bad) ||
               member(a, root, "kid", 0, kid, bad);
    json_decref(root);
    return fail ? DD_EINVAL : DD_OK;
}

/* Names the bad member: 1. */
static int
named(const char **bad, const char *name)
{
    *bad = name;
    return 1;
}

/* The integer member name (seconds since the epoch); 0 when present,
 * 1 when absent, -1 when not an integer. */
static int
int_member(const json_t *o, const char *name, int64_t *out)
{
    const json_t *v = json_object_get(o, name);
    if (!v)
        return 1;
    if (!json_is_integer(v))
        return -1;
    *out = (int64_t)json_integer_value(v);
    return 0;
}

enum dd_status
json_oidc_claims(struct arena *a, const char *text, size_t len,
                 const char *client_id, const char *id_claim,
                 struct json_oidc_claims *out, const char **bad)
{
    memset(out, 0, sizeof(*out));
    json_t *root = load(text, len, bad);
    if (!root)
        return DD_EINVAL;
    int fail = member(a, root, "iss", 1, &out->iss, bad) ||
               member(a, root, "sub", 1, &out->sub, bad) ||
               member(a, root, "nonce", 0, &out->nonce, bad) ||
               member(a, root, "azp", 0, &out->azp, bad);
    if (!fail && int_member(root, "exp", &out->exp) != 0)
        fail = named(bad, "exp");
    if (!fail && int_member(root, "iat", &out->iat) != 0)
        fail = named(bad, "iat");
    int nbf = fail ? 1 : int_member(root, "nbf", &out->nbf);
    if (nbf < 0)
        fail = named(bad, "nbf");
    out->has_nbf = nbf == 0;
    const json_t *aud = json_object_get(root, "aud");
    if (!fail && json_is_string(aud)) {
        out->aud_count = 1;
        out->aud_ok = strcmp(json_string_value(aud), client_id) == 0;
    } else if (!fail && json_is_array(aud) && json_array_size(aud) > 0) {
        out->aud_count = (int)json_array_size(aud);
        for (size_t i = 0; i < json_array_size(aud); i++) {
            const json_t *v = json_array_get(aud, i);
            if (!json_is_string(v)) {
                fail = named(bad, "aud");
                break;
            }
            out->aud_ok |= strcmp(json_string_value(v), client_id) == 0;
        }
    } else if (!fail) {
        fail = named(bad, "aud");
    }
    if (!fail) {
        const json_t *v = json_object_get(root, id_claim);
        out->id_value = "";
        if (v && (!json_is_string(v) ||
                  !(out->id_value = arena_strdup(a, json_string_value(v)))))
            fail = named(bad, id_claim);
    }
    json_decref(root);
    return fail ? DD_EINVAL : DD_OK;
}
