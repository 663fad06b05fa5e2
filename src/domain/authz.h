/* SPDX-License-Identifier: MIT */
/* Roles, scopes and the one authorisation function. Every request is
 * decided by authz_decide from (role, department, scope, action, the
 * record's region and department). Pure: no I/O. */
#ifndef DD_AUTHZ_H
#define DD_AUTHZ_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

enum role {
    ROLE_NONE = 0,
    ROLE_VILLAGE_ASSISTANT,
    ROLE_TOWN_CLERK,
    ROLE_TOWN_REVIEWER,
    ROLE_COUNTY_OFFICER,
    ROLE_DEPT_OFFICER,
    ROLE_CITY_SUPERVISOR,
    ROLE_AUDITOR,
    ROLE_SYSADMIN,
    ROLE_PARTNER, /* a partner system's API token */
    ROLE_CITIZEN, /* a citizen signed in by phone: no staff grant at all */
    ROLE_PAYMENTS_OFFICER, /* a county's payments (发放): builds batches */
    ROLE__COUNT
};

enum authz_action {
    AUTHZ_PUBLIC = 0,     /* anyone, no session */
    AUTHZ_SELF,           /* any signed-in principal, on itself */
    AUTHZ_REGION_READ,    /* reference data: regions, zones */
    AUTHZ_USER_MANAGE,    /* accounts and API tokens */
    AUTHZ_AUDIT_READ,     /* the audit log */
    AUTHZ_HOUSEHOLD_READ, /* households and members, masked */
    AUTHZ_HOUSEHOLD_WRITE,
    AUTHZ_PERSONAL_READ,  /* unmasked personal data (full ID numbers) */
    AUTHZ_CASE_READ,
    AUTHZ_CASE_WRITE,
    AUTHZ_REFERRAL_HANDLE, /* a department's referred items */
    AUTHZ_POLICY_READ,
    AUTHZ_POLICY_WRITE,
    AUTHZ_KPI_READ,
    AUTHZ_FEED_WRITE,      /* partner data feeds */
    AUTHZ_CITIZEN_SELF,    /* a citizen's own session */
    AUTHZ_PAYMENT_READ,    /* payment batches and their lines */
    AUTHZ_PAYMENT_WRITE,   /* build, check, approve, close a batch */
    AUTHZ__COUNT
};

#define AUTHZ_MAX_PREFIXES 64

/* Who is asking. prefixes are region-code prefixes with functional zones
 * already expanded to their township codes. */
struct principal {
    enum role role;
    int64_t user_id;      /* 0 for tokens */
    char name[64];        /* username or "token:NAME" */
    char department[24];  /* dept_officer and partner only */
    char prefixes[AUTHZ_MAX_PREFIXES][13];
    size_t prefix_count;
};

const char *role_name(enum role r);
/* ROLE_NONE for an unknown name. */
enum role role_from_name(const char *name);
const char *authz_action_name(enum authz_action a);

/* Whether region (a 6/9/12-digit code) lies inside the principal's scope. */
int authz_in_scope(const struct principal *p, const char *region);

/* The decision. record_region is the record's region code, or NULL for a
 * route-level check (lists filter by scope themselves). record_department
 * is the owning department of a referred item, or NULL.
 * DD_OK, DD_EDENIED (role may never), or DD_ENOTFOUND (out of scope: the
 * record is not revealed to exist). */
enum dd_status authz_decide(const struct principal *p,
                            enum authz_action action,
                            const char *record_region,
                            const char *record_department) DD_WUR;

/* Checks that one scope entry suits a role: village_assistant 12 digits,
 * town roles 9 digits, county and dept 6 digits, city roles "50" (auditor
 * also 6 digits), sysadmin "50". Zones ("zone:NAME") suit town and
 * county roles. Fills err on failure. */
enum dd_status authz_scope_entry_check(enum role r, const char *entry,
                                       struct dd_error *err) DD_WUR;
/* Departments a dept_officer may belong to. */
int authz_department_valid(const char *dept);

#endif
