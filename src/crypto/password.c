/* SPDX-License-Identifier: MIT */
/* argon2id password hashes through libsodium's crypto_pwhash_str, and the
 * password policy (length in code points, character classes, username,
 * the common-password list of data/passwords/common.txt). */
#include "crypto/password.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/buf.h"
#include "crypto/crypto.h"

_Static_assert(PASSWORD_HASH_LEN == crypto_pwhash_STRBYTES,
               "PASSWORD_HASH_LEN must match libsodium");

static _Atomic unsigned long long cost_ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
static _Atomic size_t cost_mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;

void
password_set_cost(unsigned long long ops, size_t mem)
{
    if (ops < crypto_pwhash_OPSLIMIT_MIN)
        ops = crypto_pwhash_OPSLIMIT_MIN;
    if (ops > crypto_pwhash_OPSLIMIT_MAX)
        ops = crypto_pwhash_OPSLIMIT_MAX;
    if (mem < crypto_pwhash_MEMLIMIT_MIN)
        mem = crypto_pwhash_MEMLIMIT_MIN;
    if (mem > crypto_pwhash_MEMLIMIT_MAX)
        mem = crypto_pwhash_MEMLIMIT_MAX;
    atomic_store(&cost_ops, ops);
    atomic_store(&cost_mem, mem);
}

enum dd_status
password_hash(const char *password, char out[PASSWORD_HASH_LEN])
{
    enum dd_status rc = DD_OK;

    crypto_ready();
    out[0] = '\0';
    if (password == NULL) {
        rc = DD_EINVAL;
        goto out;
    }
    /* The only failure left once the arguments are in range is argon2
     * failing to allocate its memory (mem bytes). */
    if (crypto_pwhash_str_alg(out, password, strlen(password),
                              atomic_load(&cost_ops), atomic_load(&cost_mem),
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        out[0] = '\0';
        rc = DD_ENOMEM;
        goto out;
    }
out:
    return rc;
}

/* A stored hash longer than libsodium's buffer is not one of ours. */
static int
hash_plausible(const char *hash)
{
    return hash != NULL && strnlen(hash, PASSWORD_HASH_LEN) < PASSWORD_HASH_LEN;
}

int
password_verify(const char *hash, const char *password)
{
    crypto_ready();
    if (!hash_plausible(hash) || password == NULL)
        return 0;
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

int
password_needs_rehash(const char *hash)
{
    crypto_ready();
    if (!hash_plausible(hash))
        return 1;
    /* The argon2id variant returns -1 for argon2i and other strings, so an
     * old algorithm is upgraded too. */
    return crypto_pwhash_argon2id_str_needs_rehash(hash, atomic_load(&cost_ops),
                                                   atomic_load(&cost_mem)) != 0;
}

/* Policy --------------------------------------------------------------- */

enum {
    CLASS_LOWER = 1 << 0,
    CLASS_UPPER = 1 << 1,
    CLASS_DIGIT = 1 << 2,
    CLASS_OTHER = 1 << 3,
};

static void
error_set(struct dd_error *err, const char *code, const char *message,
          const char *message_zh)
{
    if (err == NULL)
        return;
    err->field = "password";
    err->code = code;
    err->message = message;
    err->message_zh = message_zh;
}

static int
ascii_lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

/* Does hay contain needle, folding ASCII letters only? Not locale-aware on
 * purpose: the result must not depend on the server's environment. */
static int
contains_fold(const char *hay, const char *needle)
{
    size_t hay_len = strlen(hay);
    size_t needle_len = strlen(needle);
    size_t i, j;

    if (needle_len > hay_len)
        return 0;
    for (i = 0; i + needle_len <= hay_len; i++) {
        for (j = 0; j < needle_len; j++) {
            if (ascii_lower((unsigned char)hay[i + j]) !=
                ascii_lower((unsigned char)needle[j]))
                break;
        }
        if (j == needle_len)
            return 1;
    }
    return 0;
}

/* The common-password list: the file's bytes, lower-cased, split into
 * sorted entries. Set before threads, read-only after. */
static char *list_text;
static char **list;
static size_t list_count;

static int
entry_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

enum dd_status
password_blocklist_load(const char *data_dir)
{
    char path[1024], *text, *line, *next;
    size_t len, n = 0;
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", data_dir,
                         PASSWORD_BLOCKLIST_FILE) >= sizeof(path))
        return DD_EINVAL;
    enum dd_status rc = buf_file_read(path, 4u << 20, &text, &len);
    if (rc != DD_OK)
        return rc;
    for (size_t i = 0; i < len; i++)
        n += text[i] == '\n';
    char **l = calloc(n + 1, sizeof(*l));
    if (!l) {
        free(text);
        return DD_ENOMEM;
    }
    n = 0;
    for (line = text; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        line[strcspn(line, "\r")] = '\0';
        if (line[0] == '\0' || line[0] == '#')
            continue;
        for (char *c = line; *c; c++)
            *c = (char)ascii_lower((unsigned char)*c);
        l[n++] = line;
    }
    if (n == 0) {
        free(l);
        free(text);
        return DD_EINVAL;
    }
    qsort(l, n, sizeof(*l), entry_cmp);
    free(list);
    free(list_text);
    list = l;
    list_text = text;
    list_count = n;
    return DD_OK;
}

int
password_blocklist_loaded(void)
{
    return list_count > 0;
}

static int
listed(const char *s)
{
    return list_count &&
           bsearch(&s, list, list_count, sizeof(*list), entry_cmp) != NULL;
}

/* Whether s is an entry, as it is or read with the common substitutions
 * (@, 0, $ and 3 for a, o, s and e); s is changed. */
static int
listed_or_leet(char *s)
{
    static const char from[] = "@0$3", to[] = "aose";
    if (listed(s))
        return 1;
    int changed = 0;
    for (char *c = s; *c; c++) {
        const char *f = strchr(from, *c);
        if (f) {
            *c = to[f - from];
            changed = 1;
        }
    }
    return changed && listed(s);
}

/* Is password, lower-cased, an entry, or an entry of 4 or more
 * characters with digits or punctuation added at the end, read with the
 * common substitutions? Cheap variants only (two look-ups per trailing
 * character at most): a list of every variant would be enormous, and
 * these are the ones people use to pass a class rule. */
static int
too_common(const char *password)
{
    char s[PASSWORD_MAX_BYTES + 1], t[PASSWORD_MAX_BYTES + 1];
    size_t n = 0;
    for (; n < PASSWORD_MAX_BYTES && password[n]; n++)
        s[n] = (char)ascii_lower((unsigned char)password[n]);
    s[n] = '\0';
    for (size_t k = n; k >= 4; k--) {
        memcpy(t, s, k);
        t[k] = '\0';
        if (listed_or_leet(t))
            return 1;
        /* ASCII digits and punctuation, whatever the locale */
        if (!strchr("0123456789!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
                    s[k - 1]))
            return 0;
    }
    return 0;
}

enum dd_status
password_policy_check(const char *username, const char *password,
                      struct dd_error *err)
{
    const unsigned char *p;
    size_t len, chars = 0;
    unsigned classes = 0;
    int nclasses;
    enum dd_status rc = DD_OK;

    if (password == NULL)
        password = "";
    /* Bounded, so an enormous input costs no more than 129 bytes' work. */
    len = strnlen(password, PASSWORD_MAX_BYTES + 1);
    if (len > PASSWORD_MAX_BYTES) {
        error_set(err, "PASSWORD_TOO_LONG",
                  "The password must be at most 128 bytes.",
                  "密码不能超过128字节");
        rc = DD_EINVAL;
        goto out;
    }
    for (p = (const unsigned char *)password; *p != '\0'; p++) {
        /* A code point starts at every byte that is not 10xxxxxx. */
        if ((*p & 0xc0) == 0x80)
            continue;
        chars++;
        if (*p >= 'a' && *p <= 'z')
            classes |= CLASS_LOWER;
        else if (*p >= 'A' && *p <= 'Z')
            classes |= CLASS_UPPER;
        else if (*p >= '0' && *p <= '9')
            classes |= CLASS_DIGIT;
        else
            classes |= CLASS_OTHER;
    }
    if (chars < PASSWORD_MIN_CHARS) {
        error_set(err, "PASSWORD_TOO_SHORT",
                  "The password must be at least 10 characters long.",
                  "密码至少10个字符");
        rc = DD_EINVAL;
        goto out;
    }
    nclasses = __builtin_popcount(classes);
    if (nclasses < PASSWORD_MIN_CLASSES) {
        error_set(err, "PASSWORD_TOO_WEAK",
                  "The password must contain at least 3 of: lowercase letters, "
                  "uppercase letters, digits, symbols.",
                  "密码须包含小写字母、大写字母、数字、符号中的至少3类");
        rc = DD_EINVAL;
        goto out;
    }
    if (username != NULL && username[0] != '\0' &&
        contains_fold(password, username)) {
        error_set(err, "PASSWORD_CONTAINS_USERNAME",
                  "The password must not contain the username.",
                  "密码不能包含用户名");
        rc = DD_EINVAL;
        goto out;
    }
    if (too_common(password)) {
        error_set(err, "PASSWORD_TOO_COMMON",
                  "The password is a commonly used one, or one with digits "
                  "or symbols added; choose another.",
                  "密码过于常见（或仅在常见密码后加了数字或符号），请另选");
        rc = DD_EINVAL;
        goto out;
    }
out:
    return rc;
}
