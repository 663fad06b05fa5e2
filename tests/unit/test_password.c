/* SPDX-License-Identifier: MIT */
/* The password policy, case by case, the common-password list, and
 * argon2id hashing: verify, salts, the string format and rehash
 * detection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "crypto/password.h"

/* "Aa1" then 'x' up to the length: three classes, so only length counts. */
static char pw_128[PASSWORD_MAX_BYTES + 1];
static char pw_129[PASSWORD_MAX_BYTES + 2];

static void
fill_long(char *out, size_t len)
{
    memset(out, 'x', len);
    memcpy(out, "Aa1", 3);
    out[len] = '\0';
}

static void
test_policy_table(void **state)
{
    static const struct {
        const char *username;
        const char *password;
        enum dd_status want;
        const char *code; /* NULL when want is DD_OK */
    } cases[] = {
        /* 8 code points: under 10. */
        { "", "short1A!", DD_EINVAL, "PASSWORD_TOO_SHORT" },
        /* 9 code points, 3 classes: one short of the minimum. */
        { "", "Abcdefg1!", DD_EINVAL, "PASSWORD_TOO_SHORT" },
        /* 10 code points, 4 classes: exactly the minimum. */
        { "", "Abcdefgh1!", DD_OK, NULL },
        /* lower + digit: 2 classes. */
        { "", "alllowercase1", DD_EINVAL, "PASSWORD_TOO_WEAK" },
        /* upper + digit: 2 classes. */
        { "", "ABCDEFGHIJ1", DD_EINVAL, "PASSWORD_TOO_WEAK" },
        /* upper + lower + digit. */
        { "", "Abcdefghij1", DD_OK, NULL },
        /* lower + symbol + digit. */
        { "", "abc!defgh12", DD_OK, NULL },
        /* Contains "zhangsan" with other letter case. */
        { "zhangsan", "xxZhangSan99!", DD_EINVAL,
            "PASSWORD_CONTAINS_USERNAME" },
        /* The same password is fine for another user, or with none. */
        { "lisi", "xxZhangSan99!", DD_OK, NULL },
        { NULL, "xxZhangSan99!", DD_OK, NULL },
        /* Folding goes both ways: an upper-case username matches too. */
        { "ZHANGSAN", "99!zhangsanxx", DD_EINVAL,
            "PASSWORD_CONTAINS_USERNAME" },
        /* 10 CJK code points (30 bytes) + "a1": other, lower, digit. */
        { "", "一二三四五六七八九十a1", DD_OK, NULL },
        /* 7 CJK + "a1" is 23 bytes but 9 code points: too short, which
         * fails if bytes are counted instead of code points. */
        { "", "一二三四五六七a1", DD_EINVAL, "PASSWORD_TOO_SHORT" },
        /* 128 bytes is the maximum, 129 is over. */
        { "", pw_128, DD_OK, NULL },
        { "", pw_129, DD_EINVAL, "PASSWORD_TOO_LONG" },
        /* Empty and NULL are too short. */
        { "", "", DD_EINVAL, "PASSWORD_TOO_SHORT" },
        { "", NULL, DD_EINVAL, "PASSWORD_TOO_SHORT" },
    };
    size_t i;

    (void)state;
    fill_long(pw_128, PASSWORD_MAX_BYTES);
    fill_long(pw_129, PASSWORD_MAX_BYTES + 1);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct dd_error err = { 0 };
        enum dd_status rc = password_policy_check(cases[i].username,
            cases[i].password, &err);

        print_message("case %zu\n", i);
        assert_int_equal(rc, cases[i].want);
        if (cases[i].want == DD_OK) {
            assert_null(err.code);
            continue;
        }
        assert_non_null(err.code);
        assert_string_equal(err.code, cases[i].code);
        assert_non_null(err.field);
        assert_string_equal(err.field, "password");
        assert_non_null(err.message);
        assert_true(strlen(err.message) > 0);
        assert_non_null(err.message_zh);
        assert_true(strlen(err.message_zh) > 0);
    }
}

static void
test_policy_messages(void **state)
{
    struct dd_error err = { 0 };

    (void)state;
    assert_int_equal(password_policy_check("", "short1A!", &err),
        DD_EINVAL);
    assert_string_equal(err.message_zh, "密码至少10个字符");
    /* err is optional. */
    assert_int_equal(password_policy_check("", "short1A!", NULL),
        DD_EINVAL);
    assert_int_equal(password_policy_check("", "Abcdefghij1", NULL), DD_OK);
}

static void
test_hash_verify(void **state)
{
    char hash[PASSWORD_HASH_LEN];

    (void)state;
    assert_int_equal(password_hash("Correct horse 1", hash), DD_OK);
    assert_memory_equal(hash, "$argon2id$", strlen("$argon2id$"));
    assert_true(password_verify(hash, "Correct horse 1"));
    assert_false(password_verify(hash, "Correct horse 2"));
    assert_false(password_verify(hash, "correct horse 1"));
    assert_false(password_verify(hash, ""));
    assert_false(password_verify(hash, NULL));
    assert_false(password_verify(NULL, "Correct horse 1"));
    assert_false(password_verify("$argon2id$garbage", "Correct horse 1"));
    assert_false(password_verify("", "Correct horse 1"));
    assert_int_equal(password_hash(NULL, hash), DD_EINVAL);
}

static void
test_hash_salted(void **state)
{
    char a[PASSWORD_HASH_LEN], b[PASSWORD_HASH_LEN];

    (void)state;
    assert_int_equal(password_hash("Same password 1", a), DD_OK);
    assert_int_equal(password_hash("Same password 1", b), DD_OK);
    assert_string_not_equal(a, b);
    assert_true(password_verify(a, "Same password 1"));
    assert_true(password_verify(b, "Same password 1"));
}

static void
test_needs_rehash(void **state)
{
    char hash[PASSWORD_HASH_LEN];
    char old[crypto_pwhash_STRBYTES];

    (void)state;
    assert_int_equal(password_hash("Rehash me 123", hash), DD_OK);
    assert_false(password_needs_rehash(hash));
    /* A higher cost makes the old hash stale. */
    password_set_cost(crypto_pwhash_OPSLIMIT_MIN + 1,
        crypto_pwhash_MEMLIMIT_MIN);
    assert_true(password_needs_rehash(hash));
    password_set_cost(crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN);
    assert_false(password_needs_rehash(hash));
    /* argon2i is the wrong algorithm, whatever its cost. */
    assert_int_equal(crypto_pwhash_str_alg(old, "Rehash me 123", 13,
                         crypto_pwhash_argon2i_OPSLIMIT_MIN,
                         crypto_pwhash_argon2i_MEMLIMIT_MIN,
                         crypto_pwhash_ALG_ARGON2I13),
        0);
    assert_memory_equal(old, "$argon2i$", strlen("$argon2i$"));
    assert_true(password_needs_rehash(old));
    assert_true(password_needs_rehash("not a hash"));
    assert_true(password_needs_rehash(NULL));
}

/* Writes DIR/passwords/common.txt holding text under a fresh temporary
 * DIR (into dir, 64 bytes). */
static void
list_dir(char *dir, const char *text)
{
    char path[128];
    snprintf(dir, 64, "/tmp/doudi-pwlist-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/passwords", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof(path), "%s/%s", dir, PASSWORD_BLOCKLIST_FILE);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static void
list_dir_remove(const char *dir)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%s", dir, PASSWORD_BLOCKLIST_FILE);
    unlink(path);
    snprintf(path, sizeof(path), "%s/passwords", dir);
    rmdir(path);
    rmdir(dir);
}

/* Runs last: the list, once loaded, stays loaded. */
static void
test_common_list(void **state)
{
    (void)state;
    struct dd_error err = {0};
    char dir[64];
    assert_false(password_blocklist_loaded());
    assert_int_equal(password_blocklist_load("/nonexistent"), DD_ENOTFOUND);
    list_dir(dir, "# comments only\r\n\n");
    assert_int_equal(password_blocklist_load(dir), DD_EINVAL);
    list_dir_remove(dir);
    assert_false(password_blocklist_loaded());
    /* CRLF, comments, any case in the file */
    list_dir(dir, "# common\r\nPassword\r\nwoaini1314\nqq123456\nabcd\n");
    assert_int_equal(password_blocklist_load(dir), DD_OK);
    list_dir_remove(dir);
    assert_true(password_blocklist_loaded());
    static const char *const refused[] = {
        "Password12",     /* the base + digits, any case */
        "PASSWORD!2024",  /* + punctuation and digits */
        "P@ssw0rd99",     /* with substitutions */
        "Woaini1314",     /* an entry as it is */
        "Woaini1314!!",   /* an entry + punctuation */
        "Qq123456789",    /* an entry + digits */
        "Abcd12345!",     /* a 4-character entry + digits */
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        if (password_policy_check("", refused[i], &err) != DD_EINVAL ||
            strcmp(err.code, "PASSWORD_TOO_COMMON") != 0)
            fail_msg("%s is not refused as common", refused[i]);
        assert_string_equal(err.field, "password");
        assert_true(strlen(err.message_zh) > 0);
    }
    static const char *const accepted[] = {
        "Password-Lantern-7", /* the entry is not the whole base */
        "MyPassword12",       /* nor at the start */
        "Qq1234-Tree",        /* an entry's prefix, then letters */
        "Abc12345678",        /* shorter than any entry before the digits */
    };
    for (size_t i = 0; i < sizeof(accepted) / sizeof(accepted[0]); i++)
        if (password_policy_check("", accepted[i], &err) != DD_OK)
            fail_msg("%s is refused: %s", accepted[i], err.code);
    /* the earlier rules are named first */
    assert_int_equal(password_policy_check("", "password", &err), DD_EINVAL);
    assert_string_equal(err.code, "PASSWORD_TOO_SHORT");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policy_table),
        cmocka_unit_test(test_policy_messages),
        cmocka_unit_test(test_hash_verify),
        cmocka_unit_test(test_hash_salted),
        cmocka_unit_test(test_needs_rehash),
        cmocka_unit_test(test_common_list),
    };

    password_set_cost(crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
