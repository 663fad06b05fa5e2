#!/bin/sh
# SPDX-License-Identifier: MIT
# Tampering outside the audit table is found by `doudi check` (issue 12),
# which names the row: on copies of a demo database (its households from
# `doudi gen`, its cases decided through the API), a raised approved
# amount names the case item, incomes set to 0 name their household, and
# one person's sealed ID number copied onto another person's row names
# that row, and an entitlement's amount raised names the entitlement;
# the untouched copy passes.
# usage: row_tamper.sh DOUDI SOURCE_DIR
set -eu
db=d.db
. "$(dirname "$0")/lib/common.sh"
export DOUDI_DEMO_PASSWORD='Demo-pass-2026'
port=$(free_port)
export DOUDI_LISTEN="127.0.0.1:$port"
demo_until_cases

q() { sqlite3 "$dir/$1" "$2"; }
# Copies the database into $1 and runs check on the copy, which must fail
# naming $2 after the edit $3.
tampered() {
    rm -f "$dir/$1"
    q d.db ".backup '$dir/$1'"
    q "$1" "$3"
    if out=$(DOUDI_DB="sqlite:$dir/$1" "$doudi" check); then
        echo "FAIL: check passed after: $3"
        echo "$out"
        exit 1
    fi
    echo "$out"
    echo "$out" | grep -q "^audit chain: intact"
    echo "$out" | grep -q "^rows: DIFFER at $2: " ||
        { echo "FAIL: check did not name $2"; exit 1; }
}

q d.db ".backup '$dir/clean.db'"
out=$(DOUDI_DB="sqlite:$dir/clean.db" "$doudi" check)
echo "$out"
households=$(q d.db "SELECT count(*) FROM household")
echo "$out" | grep -q "^rows: as audited, $households households, [1-9][0-9]* case items"

# (a) a raised approved amount
item=$(q d.db "SELECT min(id) FROM case_item
    WHERE decision = 'approved' AND amount_fen > 0")
[ -n "$item" ]
tampered a.db "case_item $item" \
    "UPDATE case_item SET amount_fen = amount_fen + 50000 WHERE id = $item"

# (b) a household's incomes set to 0
hh=$(q d.db "SELECT min(p.household_id) FROM income i
    JOIN person p ON p.id = i.person_id WHERE i.monthly_fen > 0")
tampered b.db "household $hh" \
    "UPDATE income SET monthly_fen = 0 WHERE person_id IN
        (SELECT id FROM person WHERE household_id = $hh)"

# (c) one person's sealed ID number onto another person's row
from=$(q d.db "SELECT min(id) FROM person")
to=$(q d.db "SELECT min(id) FROM person WHERE id > $from")
tampered c.db "person $to" \
    "UPDATE person SET id_enc = (SELECT id_enc FROM person WHERE id = $from)
        WHERE id = $to"
# (d) an entitlement's amount raised, one no decision changed since its
# approval
ent=$(q d.db "SELECT min(id) FROM entitlement")
[ -n "$ent" ]
tampered e.db "entitlement $ent" \
    "UPDATE entitlement SET amount_fen = amount_fen + 50000 WHERE id = $ent"
echo "row_tamper: ok"
