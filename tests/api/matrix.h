/* SPDX-License-Identifier: MIT */
/* The authorisation matrix: every route of every route table, with what
 * each principal (principals.h) gets from it. test_api.c walks it for
 * every principal; test_accounts.c checks that a citizen is refused every
 * staff route in it. */
#ifndef DD_TEST_MATRIX_H
#define DD_TEST_MATRIX_H

#include <stddef.h>

#include "principals.h"

struct route;

enum mbody {
    B_NONE,
    B_LOGIN,      /* the principal's own credentials (anon, partner: city) */
    B_USER_NEW,   /* a new town_clerk with a unique username */
    B_USER_PATCH, /* a new display name for matrix.target */
    B_TOKEN_NEW,  /* a new partner token with a unique name */
    B_POLICY_NEW, /* a new policy version with a date unique to the row */
    B_HH_NEW,     /* a new household, its applicant unique to the cell */
    B_HH_PUT,     /* {hh} replaced at its current version */
    B_HH_MEMBER,  /* a new member of {hh}, unique to the cell */
    B_CALC,       /* a household for the calculator */
    B_CSV,        /* an import CSV (text/csv), its applicant unique */
    B_OTP,        /* a citizen's phone, unique to the cell */
    B_SIGNIN,     /* a citizen's phone and the code just sent to it */
    B_CATALOG_NEW, /* a new version of care_home_filing */
    B_APP_NEW,     /* an application for 医疗救助, papers complete, of a
                      new household of 渝中区 unique to the cell (one open
                      application per item and household) */
    B_PREVIEW,     /* the same of {hh}, for the pre-assessment */
    B_CASE_ACTION, /* {"action":"submit","version":1} */
    B_MATERIALS,   /* {"materials":["id_card"]} */
    B_OBJECTION,   /* {"text":"..."} */
    B_FACTS,       /* {"facts":{}}: a decision's dry run */
    B_CALENDAR,    /* a calendar year's CSV (text/csv): 2199, a fixture */
};

struct mrow {
    const char *method;
    const char *pattern; /* the route, exactly as in its route table */
    const char *path;    /* what is sent; {target} = matrix.target's id */
    enum mbody body;
    int spare;           /* use the session that the login row opened */
    short want[NPRINC];
};


extern const struct mrow matrix[];
extern const size_t matrix_rows;
#define NROWS matrix_rows

/* The row's path with {hh} and {target} filled in (in a fmt buffer). */
const char *row_path(const struct mrow *m);
/* Which route the server's router picks for method and path. */
const struct route *route_of(const char *method, const char *path);

#endif
