/* SPDX-License-Identifier: MIT */
/* docs/api/openapi.yaml against the route tables: the same (method, path)
 * pairs both ways, the same query parameters with the same types and
 * bounds, the same path parameters, bodies, public routes and authz
 * actions. The YAML is read line by line, relying on the layout the file
 * promises in its header; the reader is itself tested on a small text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "unit_main.h"

#include "api/api.h"
#include "domain/authz.h"
#include "http/router.h"

#ifndef DOUDI_SOURCE_DIR
#define DOUDI_SOURCE_DIR "."
#endif

#define MAX_OPS 256
#define MAX_PARAMS 24

struct doc_param {
    char name[64];
    char in[16];
    int required;
    char type[16];
    int has_min, has_max, has_max_len;
    long long min, max, max_len;
};

struct doc_op {
    char method[8]; /* upper case */
    char path[160];
    int has_body;
    int is_public; /* security: [] */
    char action[32];
    struct doc_param params[MAX_PARAMS];
    size_t nparams;
};

struct doc {
    struct doc_op ops[MAX_OPS];
    size_t nops;
};

static size_t
indent_of(const char *s)
{
    return strspn(s, " ");
}

static void
copy(char *dst, size_t cap, const char *src, size_t n)
{
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* "key: value" after the indent; returns the value or NULL. */
static const char *
value_of(const char *body, const char *key)
{
    size_t n = strlen(key);
    if (strncmp(body, key, n) != 0 || body[n] != ':')
        return NULL;
    body += n + 1;
    return body + strspn(body, " ");
}

/* Parses the paths section of an OpenAPI text into d. Returns 0, or -1 on
 * a table overflow. */
static int
doc_parse(const char *text, struct doc *d)
{
    static const char *const methods[] = {"get",    "put",  "post",
                                          "patch",  "delete", "head",
                                          "options", NULL};
    char path[160] = "";
    int in_paths = 0;
    struct doc_op *op = NULL;
    struct doc_param *prm = NULL;
    memset(d, 0, sizeof(*d));
    for (const char *p = text; *p;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        char line[512];
        copy(line, sizeof(line), p, len);
        p += len + (eol ? 1 : 0);
        while (len && (line[len - 1] == '\r' || line[len - 1] == ' '))
            line[--len] = '\0';
        size_t ind = indent_of(line);
        const char *body = line + ind;
        if (!*body || *body == '#')
            continue;
        if (ind == 0) {
            in_paths = strcmp(line, "paths:") == 0;
            op = NULL;
            prm = NULL;
            continue;
        }
        if (!in_paths)
            continue;
        if (ind == 2 && *body == '/' && line[len - 1] == ':') {
            copy(path, sizeof(path), body, strlen(body) - 1);
            op = NULL;
            prm = NULL;
            continue;
        }
        if (ind == 4) {
            op = NULL;
            prm = NULL;
            for (size_t i = 0; methods[i]; i++) {
                size_t n = strlen(methods[i]);
                if (strncmp(body, methods[i], n) == 0 && body[n] == ':' &&
                    body[n + 1] == '\0') {
                    if (d->nops == MAX_OPS)
                        return -1;
                    op = &d->ops[d->nops++];
                    for (size_t k = 0; k < n; k++)
                        op->method[k] = (char)(methods[i][k] - 'a' + 'A');
                    op->method[n] = '\0';
                    copy(op->path, sizeof(op->path), path, strlen(path));
                }
            }
            continue;
        }
        if (!op)
            continue;
        const char *v;
        if (ind == 6) {
            prm = NULL;
            if (strcmp(body, "requestBody:") == 0)
                op->has_body = 1;
            else if (strcmp(body, "security: []") == 0)
                op->is_public = 1;
            else if ((v = value_of(body, "x-doudi-action")))
                copy(op->action, sizeof(op->action), v, strlen(v));
            continue;
        }
        if (ind == 8 && strncmp(body, "- name: ", 8) == 0) {
            if (op->nparams == MAX_PARAMS)
                return -1;
            prm = &op->params[op->nparams++];
            copy(prm->name, sizeof(prm->name), body + 8, strlen(body + 8));
            continue;
        }
        if (!prm || ind < 10)
            continue;
        if ((v = value_of(body, "in")))
            copy(prm->in, sizeof(prm->in), v, strlen(v));
        else if ((v = value_of(body, "required")))
            prm->required = strcmp(v, "true") == 0;
        else if (ind == 12 && (v = value_of(body, "type")))
            copy(prm->type, sizeof(prm->type), v, strlen(v));
        else if (ind == 12 && (v = value_of(body, "minimum")))
            prm->has_min = 1, prm->min = strtoll(v, NULL, 10);
        else if (ind == 12 && (v = value_of(body, "maximum")))
            prm->has_max = 1, prm->max = strtoll(v, NULL, 10);
        else if (ind == 12 && (v = value_of(body, "maxLength")))
            prm->has_max_len = 1, prm->max_len = strtoll(v, NULL, 10);
    }
    return 0;
}

static const struct doc_op *
doc_find(const struct doc *d, const char *method, const char *path)
{
    for (size_t i = 0; i < d->nops; i++)
        if (strcasecmp(d->ops[i].method, method) == 0 &&
            strcmp(d->ops[i].path, path) == 0)
            return &d->ops[i];
    return NULL;
}

static const struct doc_param *
doc_param_find(const struct doc_op *op, const char *in, const char *name)
{
    const struct doc_param *p = op->params, *end = op->params + op->nparams;
    while (p < end && (strcmp(p->in, in) != 0 || strcmp(p->name, name) != 0))
        p++;
    return p < end ? p : NULL;
}

static int
route_exists(const struct route_table *const *tables, size_t ntables,
             const char *method, const char *path)
{
    for (size_t t = 0; t < ntables; t++)
        for (size_t i = 0; i < tables[t]->count; i++)
            if (strcasecmp(tables[t]->routes[i].method, method) == 0 &&
                strcmp(tables[t]->routes[i].pattern, path) == 0)
                return 1;
    return 0;
}

/* Checks one spec against its documentation; counts and prints problems. */
static int
compare_param(const char *where, const struct param_spec *s,
              const struct doc_param *dp, FILE *report)
{
    int bad = 0;
    const char *want_type = s->type == PARAM_INT ? "integer" : "string";
    if (dp->required != (s->required != 0)) {
        fprintf(report, "%s: parameter %s: required is %d in the table, %d "
                        "in the document\n", where, s->name, s->required,
                dp->required);
        bad++;
    }
    if (strcmp(dp->type, want_type) != 0) {
        fprintf(report, "%s: parameter %s: type %s, documented %s\n", where,
                s->name, want_type, dp->type);
        bad++;
    }
    if (s->type == PARAM_INT) {
        if (!dp->has_min || dp->min != s->min || !dp->has_max ||
            dp->max != s->max) {
            fprintf(report, "%s: parameter %s: range [%lld, %lld], "
                            "documented [%lld, %lld]\n", where, s->name,
                    (long long)s->min, (long long)s->max, dp->min, dp->max);
            bad++;
        }
    } else if (s->max_len &&
               (!dp->has_max_len || dp->max_len != (long long)s->max_len)) {
        fprintf(report, "%s: parameter %s: maxLength %zu, documented %lld\n",
                where, s->name, s->max_len, dp->max_len);
        bad++;
    }
    return bad;
}

/* The whole agreement; returns the number of problems, each printed. */
static int
compare(const struct doc *d, const struct route_table *const *tables,
        size_t ntables, FILE *report)
{
    int bad = 0;
    for (size_t t = 0; t < ntables; t++) {
        for (size_t i = 0; i < tables[t]->count; i++) {
            const struct route *r = &tables[t]->routes[i];
            char where[200];
            snprintf(where, sizeof(where), "%s %s", r->method, r->pattern);
            const struct doc_op *op = doc_find(d, r->method, r->pattern);
            if (!op) {
                fprintf(report, "route missing from openapi.yaml: %s\n",
                        where);
                bad++;
                continue;
            }
            /* query parameters, both ways */
            for (const struct param_spec *q = r->query; q && q->name; q++) {
                const struct doc_param *dp = doc_param_find(op, "query",
                                                            q->name);
                if (!dp) {
                    fprintf(report, "%s: query parameter %s undocumented\n",
                            where, q->name);
                    bad++;
                } else {
                    bad += compare_param(where, q, dp, report);
                }
            }
            for (size_t k = 0; k < op->nparams; k++) {
                const struct doc_param *dp = &op->params[k];
                if (strcmp(dp->in, "query") != 0)
                    continue;
                int found = 0;
                for (const struct param_spec *q = r->query; q && q->name;
                     q++)
                    found |= strcmp(q->name, dp->name) == 0;
                if (!found) {
                    fprintf(report, "%s: documented query parameter %s is "
                                    "not in the route's table\n",
                            where, dp->name);
                    bad++;
                }
            }
            /* path parameters: {name} in the pattern, the spec, the doc */
            size_t np = 0, ndoc = 0;
            for (const char *b = strchr(r->pattern, '{'); b;
                 b = strchr(b + 1, '{')) {
                const char *e = strchr(b, '}');
                char name[64];
                if (!e) {
                    fprintf(report, "%s: unclosed {\n", where);
                    bad++;
                    break;
                }
                copy(name, sizeof(name), b + 1, (size_t)(e - b - 1));
                if (!r->path || strcmp(r->path[np].name, name) != 0) {
                    fprintf(report, "%s: path parameter %zu is {%s} but the "
                                    "spec names %s\n",
                            where, np, name,
                            r->path ? r->path[np].name : "nothing");
                    bad++;
                } else {
                    const struct doc_param *dp = doc_param_find(op, "path",
                                                                name);
                    if (!dp) {
                        fprintf(report, "%s: path parameter %s "
                                        "undocumented\n", where, name);
                        bad++;
                    } else {
                        bad += compare_param(where, &r->path[np], dp,
                                             report);
                    }
                }
                np++;
            }
            for (size_t k = 0; k < op->nparams; k++)
                ndoc += strcmp(op->params[k].in, "path") == 0;
            if (ndoc != np) {
                fprintf(report, "%s: %zu path parameters, %zu documented\n",
                        where, np, ndoc);
                bad++;
            }
            if (op->has_body != ((r->flags & ROUTE_BODY) != 0)) {
                fprintf(report, "%s: ROUTE_BODY is %d, requestBody %s\n",
                        where, (r->flags & ROUTE_BODY) != 0,
                        op->has_body ? "documented" : "missing");
                bad++;
            }
            if (op->is_public != ((r->flags & ROUTE_PUBLIC) != 0)) {
                fprintf(report, "%s: ROUTE_PUBLIC is %d, security: [] %s\n",
                        where, (r->flags & ROUTE_PUBLIC) != 0,
                        op->is_public ? "documented" : "missing");
                bad++;
            }
            const char *act = authz_action_name((enum authz_action)r->action);
            if (strcmp(op->action, act) != 0) {
                fprintf(report, "%s: action %s, x-doudi-action '%s'\n",
                        where, act, op->action);
                bad++;
            }
        }
    }
    for (size_t i = 0; i < d->nops; i++) {
        if (!route_exists(tables, ntables, d->ops[i].method,
                          d->ops[i].path)) {
            fprintf(report, "documented operation has no route: %s %s\n",
                    d->ops[i].method, d->ops[i].path);
            bad++;
        }
    }
    return bad;
}

static char *
read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, len = 0;
    char *buf = calloc(1, cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len - 1 == 0) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[len] = '\0';
    return buf;
}

static struct doc *
load_doc(void)
{
    const char *dir = getenv("DOUDI_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof(path), "%s/docs/api/openapi.yaml",
             dir && *dir ? dir : DOUDI_SOURCE_DIR);
    char *text = read_all(path);
    if (!text)
        fail_msg("cannot read %s", path);
    struct doc *d = calloc(1, sizeof(*d));
    assert_non_null(d);
    assert_int_equal(doc_parse(text, d), 0);
    free(text);
    return d;
}

/* The path parameter id of both operations of /a/{id} below. */
#define ID_PARAM                                                               \
    "        - name: id\n"                                                     \
    "          in: path\n"                                                     \
    "          required: true\n"                                               \
    "          schema:\n"                                                      \
    "            type: string\n"                                               \
    "            maxLength: 18\n"

/* The reader on a small text: paths, methods, parameters, flags. */
/* clang-format off */
static const char sample[] =
    "openapi: 3.0.3\n"
    "info:\n"
    "  title: t\n"
    "paths:\n"
    "  /a/{id}:\n"
    "    get:\n"
    "      x-doudi-action: self\n"
    "      parameters:\n"
    ID_PARAM
    "        - name: limit\n"
    "          in: query\n"
    "          required: false\n"
    "          schema:\n"
    "            type: integer\n"
    "            minimum: 1\n"
    "            maximum: 50\n"
    "      responses:\n"
    "        '200':\n"
    "          description: ok\n"
    "    patch:\n"
    "      security: []\n"
    "      x-doudi-action: public\n"
    "      requestBody:\n"
    "        required: true\n"
    "      parameters:\n"
    ID_PARAM
    "  /b:\n"
    "    delete:\n"
    "      x-doudi-action: self\n"
    "components:\n"
    "  /not-a-path:\n"
    "    get:\n";
/* clang-format on */

TEST_CASE(test_reader)
{
    struct doc *d = calloc(1, sizeof(*d));
    assert_non_null(d);
    assert_int_equal(doc_parse(sample, d), 0);
    assert_int_equal(d->nops, 3);
    assert_string_equal(d->ops[0].method, "GET");
    assert_string_equal(d->ops[0].path, "/a/{id}");
    assert_int_equal(d->ops[0].has_body, 0);
    assert_int_equal(d->ops[0].is_public, 0);
    assert_string_equal(d->ops[0].action, "self");
    assert_int_equal(d->ops[0].nparams, 2);
    assert_string_equal(d->ops[0].params[1].name, "limit");
    assert_string_equal(d->ops[0].params[1].in, "query");
    assert_string_equal(d->ops[0].params[1].type, "integer");
    assert_int_equal(d->ops[0].params[1].min, 1);
    assert_int_equal(d->ops[0].params[1].max, 50);
    assert_int_equal(d->ops[0].params[0].required, 1);
    assert_int_equal(d->ops[0].params[0].max_len, 18);
    assert_string_equal(d->ops[1].method, "PATCH");
    assert_int_equal(d->ops[1].has_body, 1);
    assert_int_equal(d->ops[1].is_public, 1);
    assert_string_equal(d->ops[2].method, "DELETE");
    assert_string_equal(d->ops[2].path, "/b");
    free(d);
}

static void dummy_handler(struct http_request *req) { (void)req; }

/* The comparison finds each kind of disagreement, so that the real check
 * below can fail. */
TEST_CASE(test_compare_detects_drift)
{
    static const struct param_spec id[] = {{"id", PARAM_DIGITS, 1, 18, 0, 0}};
    static const struct param_spec q_ok[] = {
        {"limit", PARAM_INT, 0, 4, 1, 50}, {NULL, 0, 0, 0, 0, 0}};
    static const struct param_spec q_more[] = {
        {"limit", PARAM_INT, 0, 4, 1, 50},
        {"cursor", PARAM_INT, 0, 19, 0, 9}, {NULL, 0, 0, 0, 0, 0}};
    static const struct param_spec q_range[] = {
        {"limit", PARAM_INT, 0, 4, 1, 500}, {NULL, 0, 0, 0, 0, 0}};
    struct route good[] = {
        {"GET", "/a/{id}", id, q_ok, AUTHZ_SELF, 0, dummy_handler, ""},
        {"PATCH", "/a/{id}", id, NULL, AUTHZ_PUBLIC,
         ROUTE_PUBLIC | ROUTE_BODY, dummy_handler, ""},
        {"DELETE", "/b", NULL, NULL, AUTHZ_SELF, 0, dummy_handler, ""},
    };
    struct route_table t = {"t", good, 3};
    const struct route_table *tables[] = {&t};
    struct doc *d = calloc(1, sizeof(*d));
    assert_non_null(d);
    assert_int_equal(doc_parse(sample, d), 0);
    FILE *devnull = fopen("/dev/null", "w");
    assert_non_null(devnull);

    assert_int_equal(compare(d, tables, 1, devnull), 0);

    good[0].query = q_more; /* undocumented query parameter */
    assert_int_equal(compare(d, tables, 1, devnull), 1);
    good[0].query = NULL; /* documented parameter not in the table */
    assert_int_equal(compare(d, tables, 1, devnull), 1);
    good[0].query = q_range; /* a bound differs */
    assert_int_equal(compare(d, tables, 1, devnull), 1);
    good[0].query = q_ok;

    good[1].flags = ROUTE_PUBLIC; /* the body flag differs */
    assert_int_equal(compare(d, tables, 1, devnull), 1);
    good[1].flags = ROUTE_PUBLIC | ROUTE_BODY;

    good[2].action = AUTHZ_AUDIT_READ; /* the action differs */
    assert_int_equal(compare(d, tables, 1, devnull), 1);
    good[2].action = AUTHZ_SELF;

    good[2].pattern = "/c"; /* /c undocumented and /b without a route */
    assert_int_equal(compare(d, tables, 1, devnull), 2);
    good[2].pattern = "/b";

    t.count = 2; /* a documented operation without a route */
    assert_int_equal(compare(d, tables, 1, devnull), 1);
    fclose(devnull);
    free(d);
}

/* The real file against the real tables. */
TEST_CASE(test_openapi_matches_routes)
{
    struct doc *d = load_doc();
    size_t nroutes = 0;
    for (size_t t = 0; t < api_route_table_count; t++)
        nroutes += api_route_tables[t]->count;
    int bad = compare(d, api_route_tables, api_route_table_count, stderr);
    if (bad)
        fail_msg("openapi.yaml and the route tables disagree in %d places "
                 "(listed above)", bad);
    assert_int_equal(d->nops, nroutes);
    free(d);
}

/* No two routes share method and pattern (the router would never reach
 * the second), and no operation is documented twice. */
TEST_CASE(test_no_duplicates)
{
    struct doc *d = load_doc();
    for (size_t i = 0; i < d->nops; i++)
        for (size_t j = i + 1; j < d->nops; j++)
            if (strcmp(d->ops[i].method, d->ops[j].method) == 0 &&
                strcmp(d->ops[i].path, d->ops[j].path) == 0)
                fail_msg("documented twice: %s %s", d->ops[i].method,
                         d->ops[i].path);
    const struct route *all[MAX_OPS];
    size_t n = 0;
    for (size_t t = 0; t < api_route_table_count; t++)
        for (size_t i = 0; i < api_route_tables[t]->count && n < MAX_OPS; i++)
            all[n++] = &api_route_tables[t]->routes[i];
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (strcmp(all[i]->method, all[j]->method) == 0 &&
                strcmp(all[i]->pattern, all[j]->pattern) == 0)
                fail_msg("two routes for %s %s", all[i]->method,
                         all[i]->pattern);
    free(d);
}

UNIT_TESTS(NULL, NULL, cmocka_unit_test(test_reader),
           cmocka_unit_test(test_compare_detects_drift),
           cmocka_unit_test(test_openapi_matches_routes),
           cmocka_unit_test(test_no_duplicates))
