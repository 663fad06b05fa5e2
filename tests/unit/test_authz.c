/* SPDX-License-Identifier: MIT */
/* Authorisation: every role × every action against a grant table written
 * out here from product.md's role descriptions (not copied from authz.c),
 * then scope (prefixes, zones, departments), the separation of duties for
 * sysadmin, the scope-entry rules per role, and the name tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "unit_main.h"

#include "domain/authz.h"

/* A bounded copy into a char array (strcpy is banned). */
#define SET(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

/* N never, A any region, S in scope, D in scope and own department. */
enum { N, A, S, D };

/* Columns in enum authz_action order:
 * public self region user audit hh.r hh.w pers case.r case.w referral
 * pol.r pol.w kpi feed citizen.self pay.r pay.w */
static const unsigned char expected[ROLE__COUNT][AUTHZ__COUNT] = {
    /* none: nothing but public routes */
    [ROLE_NONE] = {A, N, N, N, N, N, N, N, N, N, N, N, N, N, N},
    /* 协理员: helps families apply (household and case writes), joins
     * visits; no unmasked IDs, no KPIs */
    [ROLE_VILLAGE_ASSISTANT] = {A, A, A, N, N, S, S, N, S, S, N, A, N, N, N},
    /* 乡镇窗口: intake, referrals; sees full IDs for intake */
    [ROLE_TOWN_CLERK] = {A, A, A, N, N, S, S, S, S, S, N, A, N, S, N},
    /* 乡镇审核: investigation, first review, 公示 */
    [ROLE_TOWN_REVIEWER] = {A, A, A, N, N, S, S, S, S, S, N, A, N, S, N},
    /* 区县民政局: confirmation, entitlements, rosters */
    [ROLE_COUNTY_OFFICER] = {A, A, A, N, N, S, S, S, S, S, N, A, N, S, N, N,
                             S},
    /* department officer: only its own department's referred items */
    [ROLE_DEPT_OFFICER] = {A, A, A, N, N, D, N, N, D, N, D, A, N, N, N},
    /* 市民政局: policy parameters and KPIs; read-only on cases */
    [ROLE_CITY_SUPERVISOR] = {A, A, A, N, N, S, N, N, S, N, N, A, A, S, N, N,
                              S},
    /* 纪检/审计: read-only, audit log, integrity findings */
    [ROLE_AUDITOR] = {A, A, A, N, S, S, N, S, S, N, N, A, N, S, N, N, S},
    /* 三权分立: accounts and settings, never case or personal data */
    [ROLE_SYSADMIN] = {A, A, A, A, N, N, N, N, N, N, N, N, N, N, N},
    /* partner system: data feeds in its scope; no session of its own */
    [ROLE_PARTNER] = {A, A, A, N, N, N, N, N, N, N, N, N, N, N, S},
    /* citizen (phone sign-in): public routes and its own session only */
    [ROLE_CITIZEN] = {A, N, N, N, N, N, N, N, N, N, N, N, N, N, N, A},
    /* 资金发放: a county's payment batches, and the policy they read */
    [ROLE_PAYMENTS_OFFICER] = {A, A, A, N, N, N, N, N, N, N, N, A, N, N, N, N,
                               S, S},
};

#define IN_SCOPE "500103001003"  /* a village of 渝中区 七星岗街道 */
#define OUT_SCOPE "510104001002" /* a village of 成都 */

static struct principal
principal_for(enum role r)
{
    struct principal p;
    memset(&p, 0, sizeof(p));
    p.role = r;
    p.user_id = 1;
    const char *prefix = "50";
    switch (r) {
    case ROLE_VILLAGE_ASSISTANT: prefix = "500103001003"; break;
    case ROLE_TOWN_CLERK:
    case ROLE_TOWN_REVIEWER: prefix = "500103001"; break;
    case ROLE_COUNTY_OFFICER:
    case ROLE_PAYMENTS_OFFICER:
    case ROLE_PARTNER: prefix = "500103"; break;
    case ROLE_DEPT_OFFICER:
        prefix = "500103";
        SET(p.department, "medical");
        break;
    default: break;
    }
    SET(p.prefixes[0], prefix);
    p.prefix_count = 1;
    return p;
}

static const char *
grant_name(int g)
{
    return g == N ? "never" : g == A ? "any" : g == S ? "scoped" : "dept";
}

static void
want(const struct principal *p, enum authz_action a, const char *region,
     const char *dept, enum dd_status expect, int g)
{
    enum dd_status got = authz_decide(p, a, region, dept);
    if (got != expect)
        fail_msg("%s × %s (grant %s) region=%s dept=%s: got %s, want %s",
                 role_name(p->role), authz_action_name(a), grant_name(g),
                 region ? region : "NULL", dept ? dept : "NULL",
                 dd_status_name(got), dd_status_name(expect));
}

/* authz_decide of p for action on a record of region and department is
 * rc. */
static void
decides(const struct principal *p, enum authz_action action, const char *region,
        const char *department, enum dd_status rc)
{
    enum dd_status got = authz_decide(p, action, region, department);
    if (got != rc)
        fail_msg("%s × %s region=%s dept=%s: got %s, want %s",
                 role_name(p->role), authz_action_name(action),
                 region ? region : "NULL", department ? department : "NULL",
                 dd_status_name(got), dd_status_name(rc));
}

/* Every role × every action, at route level, in scope, out of scope, and
 * with another department's record. */
TEST_CASE(test_role_action_matrix)
{
    size_t checked = 0;
    for (int r = ROLE_NONE; r < ROLE__COUNT; r++) {
        struct principal p = principal_for((enum role)r);
        for (int a = 0; a < AUTHZ__COUNT; a++) {
            int g = expected[r][a];
            enum authz_action act = (enum authz_action)a;
            enum dd_status allow = g == N ? DD_EDENIED : DD_OK;
            want(&p, act, NULL, NULL, allow, g);
            want(&p, act, IN_SCOPE, NULL, allow, g);
            want(&p, act, OUT_SCOPE, NULL,
                 g == N   ? DD_EDENIED
                 : g == A ? DD_OK
                          : DD_ENOTFOUND,
                 g);
            want(&p, act, IN_SCOPE, "medical", allow, g);
            want(&p, act, IN_SCOPE, "education",
                 g == N   ? DD_EDENIED
                 : g == D ? DD_ENOTFOUND
                          : DD_OK,
                 g);
            checked++;
        }
    }
    assert_int_equal(checked, (size_t)ROLE__COUNT * AUTHZ__COUNT);
}

TEST_CASE(test_decide_edges)
{
    struct principal p = principal_for(ROLE_COUNTY_OFFICER);
    /* no principal: only public */
    assert_int_equal(authz_decide(NULL, AUTHZ_PUBLIC, NULL, NULL), DD_OK);
    assert_int_equal(authz_decide(NULL, AUTHZ_SELF, NULL, NULL), DD_EDENIED);
    assert_int_equal(authz_decide(NULL, AUTHZ_REGION_READ, NULL, NULL),
                     DD_EDENIED);
    /* actions and roles out of range */
    decides(&p, AUTHZ__COUNT, NULL, NULL, DD_EDENIED);
    assert_int_equal(authz_decide(&p, (enum authz_action)99, NULL, NULL),
                     DD_EDENIED);
    p.role = ROLE__COUNT;
    decides(&p, AUTHZ_SELF, NULL, NULL, DD_EDENIED);
    p.role = (enum role) - 1;
    decides(&p, AUTHZ_SELF, NULL, NULL, DD_EDENIED);
    /* a scoped role with an empty scope sees nothing */
    p = principal_for(ROLE_COUNTY_OFFICER);
    p.prefix_count = 0;
    decides(&p, AUTHZ_CASE_READ, IN_SCOPE, NULL, DD_ENOTFOUND);
    decides(&p, AUTHZ_CASE_READ, NULL, NULL, DD_OK);
}

TEST_CASE(test_in_scope)
{
    struct principal p;
    memset(&p, 0, sizeof(p));
    SET(p.prefixes[0], "500103");
    SET(p.prefixes[1], "500101001");
    p.prefix_count = 2;
    assert_true(authz_in_scope(&p, "500103"));
    assert_true(authz_in_scope(&p, "500103001"));
    assert_true(authz_in_scope(&p, "500103001003"));
    assert_true(authz_in_scope(&p, "500101001"));
    assert_true(authz_in_scope(&p, "500101001204"));
    assert_false(authz_in_scope(&p, "500101"));    /* the county above */
    assert_false(authz_in_scope(&p, "500101002")); /* a sibling township */
    assert_false(authz_in_scope(&p, "500104"));
    assert_false(authz_in_scope(&p, "50")); /* the whole city */
    assert_false(authz_in_scope(&p, "5001"));
    assert_false(authz_in_scope(&p, ""));
    /* the city-wide prefix */
    SET(p.prefixes[0], "50");
    p.prefix_count = 1;
    assert_true(authz_in_scope(&p, "500103"));
    assert_true(authz_in_scope(&p, "50"));
    assert_false(authz_in_scope(&p, "510104"));
    /* an empty prefix matches nothing */
    p.prefixes[0][0] = '\0';
    assert_false(authz_in_scope(&p, "500103"));
    p.prefix_count = 0;
    assert_false(authz_in_scope(&p, "500103"));
}

/* A zone scope arrives expanded to its townships (api_scope_expand): the
 * principal sees those townships and nothing around them. */
TEST_CASE(test_zone_prefixes)
{
    struct principal p = principal_for(ROLE_TOWN_CLERK);
    SET(p.prefixes[0], "500110004"); /* 万盛经开区: 万盛街道 */
    SET(p.prefixes[1], "500110005"); /* 东林街道 */
    SET(p.prefixes[2], "500110100"); /* 万东镇 */
    p.prefix_count = 3;
    decides(&p, AUTHZ_CASE_WRITE, "500110004001", NULL, DD_OK);
    decides(&p, AUTHZ_CASE_WRITE, "500110100203", NULL, DD_OK);
    decides(&p, AUTHZ_CASE_WRITE, "500110005", NULL, DD_OK);
    decides(&p, AUTHZ_CASE_WRITE, "500110006001", NULL, DD_ENOTFOUND);
    decides(&p, AUTHZ_CASE_WRITE, "500110", NULL, DD_ENOTFOUND);
    decides(&p, AUTHZ_HOUSEHOLD_READ, "500103001003", NULL, DD_ENOTFOUND);
}

TEST_CASE(test_dept_officer)
{
    struct principal p = principal_for(ROLE_DEPT_OFFICER); /* medical */
    decides(&p, AUTHZ_REFERRAL_HANDLE, IN_SCOPE, "medical", DD_OK);
    decides(&p, AUTHZ_REFERRAL_HANDLE, IN_SCOPE, "housing", DD_ENOTFOUND);
    decides(&p, AUTHZ_REFERRAL_HANDLE, IN_SCOPE, "", DD_ENOTFOUND);
    decides(&p, AUTHZ_REFERRAL_HANDLE, OUT_SCOPE, "medical", DD_ENOTFOUND);
    decides(&p, AUTHZ_CASE_READ, "500104001001", "medical", DD_ENOTFOUND);
    decides(&p, AUTHZ_CASE_READ, IN_SCOPE, "Medical", DD_ENOTFOUND);
    /* never writes cases or households, never sees full IDs */
    decides(&p, AUTHZ_CASE_WRITE, IN_SCOPE, "medical", DD_EDENIED);
    decides(&p, AUTHZ_HOUSEHOLD_WRITE, IN_SCOPE, "medical", DD_EDENIED);
    decides(&p, AUTHZ_PERSONAL_READ, IN_SCOPE, "medical", DD_EDENIED);
    /* a department officer without a department owns nothing */
    p.department[0] = '\0';
    decides(&p, AUTHZ_REFERRAL_HANDLE, IN_SCOPE, "medical", DD_ENOTFOUND);
}

/* 三权分立: whatever the region or scope, the sysadmin is refused (403,
 * not 404) household, personal, case and audit data. */
TEST_CASE(test_sysadmin_separation)
{
    static const enum authz_action refused[] = {
        AUTHZ_HOUSEHOLD_READ,  AUTHZ_HOUSEHOLD_WRITE, AUTHZ_PERSONAL_READ,
        AUTHZ_CASE_READ,       AUTHZ_CASE_WRITE,      AUTHZ_AUDIT_READ,
        AUTHZ_REFERRAL_HANDLE, AUTHZ_KPI_READ,        AUTHZ_FEED_WRITE,
        AUTHZ_POLICY_WRITE,
    };
    static const char *const regions[] = {NULL, "50", "500103", "500103001003",
                                          "510104"};
    struct principal p = principal_for(ROLE_SYSADMIN);
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
        for (size_t j = 0; j < sizeof(regions) / sizeof(regions[0]); j++)
            want(&p, refused[i], regions[j], NULL, DD_EDENIED, N);
    decides(&p, AUTHZ_USER_MANAGE, NULL, NULL, DD_OK);
    decides(&p, AUTHZ_USER_MANAGE, "510104", NULL, DD_OK);
}

/* The auditor and the city supervisor read but never write. */
TEST_CASE(test_read_only_roles)
{
    static const enum authz_action writes[] = {
        AUTHZ_HOUSEHOLD_WRITE, AUTHZ_CASE_WRITE,  AUTHZ_REFERRAL_HANDLE,
        AUTHZ_FEED_WRITE,      AUTHZ_USER_MANAGE,
    };
    struct principal au = principal_for(ROLE_AUDITOR);
    struct principal city = principal_for(ROLE_CITY_SUPERVISOR);
    for (size_t i = 0; i < sizeof(writes) / sizeof(writes[0]); i++) {
        want(&au, writes[i], IN_SCOPE, NULL, DD_EDENIED, N);
        want(&city, writes[i], IN_SCOPE, NULL, DD_EDENIED, N);
    }
    decides(&au, AUTHZ_POLICY_WRITE, NULL, NULL, DD_EDENIED);
    /* a district auditor: its own district's audit rows only */
    SET(au.prefixes[0], "500103");
    decides(&au, AUTHZ_AUDIT_READ, "500103001", NULL, DD_OK);
    decides(&au, AUTHZ_AUDIT_READ, "500101001", NULL, DD_ENOTFOUND);
    decides(&au, AUTHZ_AUDIT_READ, "50", NULL, DD_ENOTFOUND);
}

struct entry_case {
    enum role role;
    const char *entry;
    int ok;
};

TEST_CASE(test_scope_entry_check)
{
    static const struct entry_case cases[] = {
        {ROLE_VILLAGE_ASSISTANT, "500103001003", 1},
        {ROLE_VILLAGE_ASSISTANT, "500103001", 0},
        {ROLE_VILLAGE_ASSISTANT, "zone:wansheng", 0},
        {ROLE_VILLAGE_ASSISTANT, "50010300100a", 0},
        {ROLE_TOWN_CLERK, "500103001", 1},
        {ROLE_TOWN_CLERK, "zone:wansheng", 1},
        {ROLE_TOWN_CLERK, "500103", 0},
        {ROLE_TOWN_CLERK, "500103001003", 0},
        {ROLE_TOWN_CLERK, "zone:", 0},
        {ROLE_TOWN_REVIEWER, "500103001", 1},
        {ROLE_TOWN_REVIEWER, "zone:wansheng", 1},
        {ROLE_TOWN_REVIEWER, "50", 0},
        {ROLE_COUNTY_OFFICER, "500103", 1},
        {ROLE_COUNTY_OFFICER, "zone:wansheng", 1},
        {ROLE_COUNTY_OFFICER, "500103001", 0},
        {ROLE_COUNTY_OFFICER, "50", 0},
        {ROLE_DEPT_OFFICER, "500103", 1},
        {ROLE_DEPT_OFFICER, "zone:wansheng", 0},
        {ROLE_DEPT_OFFICER, "500103001", 0},
        {ROLE_CITY_SUPERVISOR, "50", 1},
        {ROLE_CITY_SUPERVISOR, "500103", 0},
        {ROLE_CITY_SUPERVISOR, "zone:wansheng", 0},
        {ROLE_AUDITOR, "50", 1},
        {ROLE_AUDITOR, "500103", 1},
        {ROLE_AUDITOR, "500103001", 0},
        {ROLE_AUDITOR, "zone:wansheng", 0},
        {ROLE_SYSADMIN, "50", 1},
        {ROLE_SYSADMIN, "500103", 0},
        {ROLE_PARTNER, "50", 1},
        {ROLE_PARTNER, "500103", 1},
        {ROLE_PARTNER, "500103001", 0},
        {ROLE_PARTNER, "zone:wansheng", 0},
        {ROLE_PARTNER, "", 0},
        {ROLE_PAYMENTS_OFFICER, "500103", 1},
        {ROLE_PAYMENTS_OFFICER, "500103001", 0},
        {ROLE_PAYMENTS_OFFICER, "zone:wansheng", 0},
        {ROLE_CITIZEN, "50", 0},
        {ROLE_CITIZEN, "500103001003", 0},
        {ROLE_NONE, "50", 0},
        {ROLE_NONE, "500103", 0},
        {ROLE_COUNTY_OFFICER, "", 0},
        {ROLE_COUNTY_OFFICER, "5001-3", 0},
        {ROLE_COUNTY_OFFICER, " 500103", 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct dd_error err = {0};
        enum dd_status rc =
            authz_scope_entry_check(cases[i].role, cases[i].entry, &err);
        if ((rc == DD_OK) != cases[i].ok)
            fail_msg("%s scope '%s': got %s, want %s", role_name(cases[i].role),
                     cases[i].entry, dd_status_name(rc),
                     cases[i].ok ? "OK" : "EINVAL");
        if (!cases[i].ok) {
            assert_int_equal(rc, DD_EINVAL);
            assert_string_equal(err.code, "SCOPE_NOT_FOR_ROLE");
            assert_string_equal(err.field, "scope");
            assert_non_null(err.message_zh);
        }
    }
}

TEST_CASE(test_names)
{
    static const char *const names[ROLE__COUNT] = {
        "none",
        "village_assistant",
        "town_clerk",
        "town_reviewer",
        "county_officer",
        "dept_officer",
        "city_supervisor",
        "auditor",
        "sysadmin",
        "partner",
        "citizen",
        "payments_officer",
    };
    for (int r = ROLE_NONE + 1; r < ROLE__COUNT; r++) {
        assert_string_equal(role_name((enum role)r), names[r]);
        assert_int_equal(role_from_name(names[r]), r);
        assert_int_equal(role_from_name(role_name((enum role)r)), r);
    }
    assert_string_equal(role_name(ROLE_NONE), "none");
    assert_string_equal(role_name(ROLE__COUNT), "none");
    assert_string_equal(role_name((enum role) - 1), "none");
    assert_int_equal(role_from_name("none"), ROLE_NONE);
    assert_int_equal(role_from_name(""), ROLE_NONE);
    assert_int_equal(role_from_name("Sysadmin"), ROLE_NONE);
    assert_int_equal(role_from_name("sysadmin "), ROLE_NONE);
    assert_int_equal(role_from_name("admin"), ROLE_NONE);

    static const char *const actions[AUTHZ__COUNT] = {
        "public",       "self",           "region.read",     "user.manage",
        "audit.read",   "household.read", "household.write", "personal.read",
        "case.read",    "case.write",     "referral.handle", "policy.read",
        "policy.write", "kpi.read",       "feed.write",      "citizen.self",
        "payment.read", "payment.write",
    };
    for (int a = 0; a < AUTHZ__COUNT; a++)
        assert_string_equal(authz_action_name((enum authz_action)a),
                            actions[a]);
    assert_string_equal(authz_action_name(AUTHZ__COUNT), "unknown");

    static const char *const depts[] = {"medical", "education", "housing",
                                        "hrss",    "emergency", "disabled"};
    for (size_t i = 0; i < sizeof(depts) / sizeof(depts[0]); i++)
        assert_true(authz_department_valid(depts[i]));
    assert_false(authz_department_valid(""));
    assert_false(authz_department_valid("Medical"));
    assert_false(authz_department_valid("civil"));
}

UNIT_TESTS(NULL, NULL, cmocka_unit_test(test_role_action_matrix),
           cmocka_unit_test(test_decide_edges), cmocka_unit_test(test_in_scope),
           cmocka_unit_test(test_zone_prefixes),
           cmocka_unit_test(test_dept_officer),
           cmocka_unit_test(test_sysadmin_separation),
           cmocka_unit_test(test_read_only_roles),
           cmocka_unit_test(test_scope_entry_check),
           cmocka_unit_test(test_names))
