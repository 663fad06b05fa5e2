/* SPDX-License-Identifier: MIT */
/* The role × action table and the scope test. Separation of duties
 * (三权分立, 等保 level 3): the sysadmin manages accounts and never reads
 * households, cases or personal data; the auditor reads but never writes;
 * the city supervisor is read-only on cases. */
#include "domain/authz.h"

#include <string.h>

static const char *const role_names[ROLE__COUNT] = {
    [ROLE_NONE] = "none",
    [ROLE_VILLAGE_ASSISTANT] = "village_assistant",
    [ROLE_TOWN_CLERK] = "town_clerk",
    [ROLE_TOWN_REVIEWER] = "town_reviewer",
    [ROLE_COUNTY_OFFICER] = "county_officer",
    [ROLE_DEPT_OFFICER] = "dept_officer",
    [ROLE_CITY_SUPERVISOR] = "city_supervisor",
    [ROLE_AUDITOR] = "auditor",
    [ROLE_SYSADMIN] = "sysadmin",
    [ROLE_PARTNER] = "partner",
    [ROLE_CITIZEN] = "citizen",
    [ROLE_PAYMENTS_OFFICER] = "payments_officer",
};

static const char *const action_names[AUTHZ__COUNT] = {
    [AUTHZ_PUBLIC] = "public",
    [AUTHZ_SELF] = "self",
    [AUTHZ_REGION_READ] = "region.read",
    [AUTHZ_USER_MANAGE] = "user.manage",
    [AUTHZ_AUDIT_READ] = "audit.read",
    [AUTHZ_HOUSEHOLD_READ] = "household.read",
    [AUTHZ_HOUSEHOLD_WRITE] = "household.write",
    [AUTHZ_PERSONAL_READ] = "personal.read",
    [AUTHZ_CASE_READ] = "case.read",
    [AUTHZ_CASE_WRITE] = "case.write",
    [AUTHZ_REFERRAL_HANDLE] = "referral.handle",
    [AUTHZ_POLICY_READ] = "policy.read",
    [AUTHZ_POLICY_WRITE] = "policy.write",
    [AUTHZ_KPI_READ] = "kpi.read",
    [AUTHZ_FEED_WRITE] = "feed.write",
    [AUTHZ_CITIZEN_SELF] = "citizen.self",
    [AUTHZ_PAYMENT_READ] = "payment.read",
    [AUTHZ_PAYMENT_WRITE] = "payment.write",
};

/* How a permitted action is limited. */
enum grant {
    NO = 0,     /* never */
    ANY,        /* regardless of region */
    SCOPED,     /* only records inside the principal's scope */
    DEPT,       /* in scope and of the principal's own department */
};

/* What every staff role may do: the public routes, its own session, the
 * region tree. */
#define STAFF                                                                  \
    [AUTHZ_PUBLIC] = ANY, [AUTHZ_SELF] = ANY, [AUTHZ_REGION_READ] = ANY
/* The caseworkers' rights within their region (town and county). */
#define CASEWORK                                                               \
    STAFF, [AUTHZ_HOUSEHOLD_READ] = SCOPED, [AUTHZ_HOUSEHOLD_WRITE] = SCOPED,  \
           [AUTHZ_PERSONAL_READ] = SCOPED, [AUTHZ_CASE_READ] = SCOPED,         \
           [AUTHZ_CASE_WRITE] = SCOPED, [AUTHZ_POLICY_READ] = ANY,             \
           [AUTHZ_KPI_READ] = SCOPED
/* The payment batches are read by the county office and by those who
 * read everything in their scope (the city supervisor, the auditor). */
#define PAY_READ [AUTHZ_PAYMENT_READ] = SCOPED

/* rows: roles; columns: actions. */
static const unsigned char grants[ROLE__COUNT][AUTHZ__COUNT] = {
    [ROLE_VILLAGE_ASSISTANT] =
        {STAFF, [AUTHZ_HOUSEHOLD_READ] = SCOPED,
         [AUTHZ_HOUSEHOLD_WRITE] = SCOPED, [AUTHZ_CASE_READ] = SCOPED,
         [AUTHZ_CASE_WRITE] = SCOPED, [AUTHZ_POLICY_READ] = ANY},
    [ROLE_TOWN_CLERK] = {CASEWORK},
    [ROLE_TOWN_REVIEWER] = {CASEWORK},
    [ROLE_COUNTY_OFFICER] = {CASEWORK, PAY_READ},
    [ROLE_DEPT_OFFICER] =
        {STAFF, [AUTHZ_HOUSEHOLD_READ] = DEPT, [AUTHZ_CASE_READ] = DEPT,
         [AUTHZ_REFERRAL_HANDLE] = DEPT, [AUTHZ_POLICY_READ] = ANY},
    [ROLE_CITY_SUPERVISOR] =
        {STAFF, [AUTHZ_HOUSEHOLD_READ] = SCOPED, [AUTHZ_CASE_READ] = SCOPED,
         [AUTHZ_POLICY_READ] = ANY, [AUTHZ_POLICY_WRITE] = ANY,
         [AUTHZ_KPI_READ] = SCOPED, PAY_READ},
    [ROLE_AUDITOR] =
        {STAFF, [AUTHZ_AUDIT_READ] = SCOPED, [AUTHZ_HOUSEHOLD_READ] = SCOPED,
         [AUTHZ_PERSONAL_READ] = SCOPED, [AUTHZ_CASE_READ] = SCOPED,
         [AUTHZ_POLICY_READ] = ANY, [AUTHZ_KPI_READ] = SCOPED, PAY_READ},
    [ROLE_SYSADMIN] = {STAFF, [AUTHZ_USER_MANAGE] = ANY},
    [ROLE_PARTNER] = {STAFF, [AUTHZ_FEED_WRITE] = SCOPED},
    /* a citizen (phone sign-in): public routes and its own session; no
     * staff action, not even region.read */
    [ROLE_CITIZEN] = {[AUTHZ_PUBLIC] = ANY, [AUTHZ_CITIZEN_SELF] = ANY},
    /* the county's payments (发放, issue 13 §3): builds, checks,
     * approves (another person: cases/payments.c) and closes the
     * county's batches; reads the policy, nothing of the casework */
    [ROLE_PAYMENTS_OFFICER] = {STAFF, [AUTHZ_POLICY_READ] = ANY,
                               [AUTHZ_PAYMENT_READ] = SCOPED,
                               [AUTHZ_PAYMENT_WRITE] = SCOPED},
};

#undef PAY_READ
#undef CASEWORK
#undef STAFF

const char *
role_name(enum role r)
{
    return r > ROLE_NONE && r < ROLE__COUNT ? role_names[r] : "none";
}

enum role
role_from_name(const char *name)
{
    for (int r = ROLE_NONE + 1; r < ROLE__COUNT; r++)
        if (strcmp(role_names[r], name) == 0)
            return (enum role)r;
    return ROLE_NONE;
}

const char *
authz_action_name(enum authz_action a)
{
    return a < AUTHZ__COUNT ? action_names[a] : "unknown";
}

int
authz_in_scope(const struct principal *p, const char *region)
{
    size_t rlen = strlen(region);
    for (size_t i = 0; i < p->prefix_count; i++) {
        size_t n = strlen(p->prefixes[i]);
        if (n && n <= rlen && memcmp(p->prefixes[i], region, n) == 0)
            return 1;
    }
    return 0;
}

enum dd_status
authz_decide(const struct principal *p, enum authz_action action,
             const char *record_region, const char *record_department)
{
    if (action == AUTHZ_PUBLIC)
        return DD_OK;
    if (!p || p->role <= ROLE_NONE || p->role >= ROLE__COUNT ||
        action >= AUTHZ__COUNT)
        return DD_EDENIED;
    enum grant g = (enum grant)grants[p->role][action];
    switch (g) {
    case NO:
        return DD_EDENIED;
    case ANY:
        return DD_OK;
    case DEPT:
        if (record_department && strcmp(record_department, p->department))
            return DD_ENOTFOUND;
        /* fall through */
    case SCOPED:
        if (record_region && !authz_in_scope(p, record_region))
            return DD_ENOTFOUND;
        return DD_OK;
    }
    return DD_EDENIED;
}

static const char *const departments[] = {
    "medical",   /* 医保局 */
    "education", /* 教委 */
    "housing",   /* 住建委 */
    "hrss",      /* 人社局 */
    "emergency", /* 应急局 */
    "disabled",  /* 残联 */
    NULL,
};

int
authz_department_valid(const char *dept)
{
    for (const char *const *d = departments; *d; d++)
        if (strcmp(*d, dept) == 0)
            return 1;
    return 0;
}

enum dd_status
authz_scope_entry_check(enum role r, const char *e, struct dd_error *err)
{
    size_t n = strlen(e);
    int digits = n > 0 && e[strspn(e, "0123456789")] == '\0';
    int zone = strncmp(e, "zone:", 5) == 0 && n > 5;
    int ok = 0;
    switch (r) {
    case ROLE_VILLAGE_ASSISTANT: ok = digits && n == 12; break;
    case ROLE_TOWN_CLERK:
    case ROLE_TOWN_REVIEWER: ok = (digits && n == 9) || zone; break;
    case ROLE_COUNTY_OFFICER: ok = (digits && n == 6) || zone; break;
    case ROLE_DEPT_OFFICER:
    case ROLE_PAYMENTS_OFFICER: ok = digits && n == 6; break;
    case ROLE_CITY_SUPERVISOR:
    case ROLE_SYSADMIN: ok = digits && n == 2; break;
    case ROLE_AUDITOR: ok = digits && (n == 2 || n == 6); break;
    case ROLE_PARTNER: ok = digits && (n == 2 || n == 6); break;
    default: ok = 0;
    }
    if (!ok) {
        err->code = "SCOPE_NOT_FOR_ROLE";
        err->field = "scope";
        err->message = "the scope does not suit the role (village 12 digits, "
                       "township 9, county 6, city 2, or zone:NAME)";
        err->message_zh = "管辖范围与角色不符（村12位、乡镇9位、区县6位、"
                          "全市2位，或 zone:名称）";
        return DD_EINVAL;
    }
    return DD_OK;
}
