#!/bin/sh
# SPDX-License-Identifier: MIT
# `doudi demo` with a small population (demo-households 2000, spread over
# all of Chongqing's villages) still files its 28 applications in every
# state: it generates the households its cases need in its two
# townships (issue 12; it used to file 1, silently).
# usage: demo_households.sh DOUDI SOURCE_DIR
set -eu
db=s.db
. "$(dirname "$0")/lib/common.sh"
port=$(free_port)
export DOUDI_LISTEN="127.0.0.1:$port" DOUDI_DEMO_HOUSEHOLDS=2000
export DOUDI_DEMO_PASSWORD='Demo-pass-2026' DOUDI_CONFIG=
demo_until_cases
grep -q '^demo cases: 28 applications' "$dir/demo.log" ||
    { echo "FAIL: not 28 demo applications"; grep '^demo cases:' "$dir/demo.log"; exit 1; }
# the demo cases' applications (today's, and one of 40 days ago); the
# caseload's (demo_payments.c) were filed 45 days ago or earlier
n=$(sqlite3 "$dir/s.db" "SELECT count(*) FROM application
    WHERE applied_on >= date('now', '+8 hours', '-42 days')")
[ "$n" = 28 ] || { echo "FAIL: $n applications stored, not 28"; exit 1; }
echo "demo with 2000 households: 28 applications"
