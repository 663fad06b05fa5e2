#!/bin/sh
# SPDX-License-Identifier: MIT
# `doudi check` on PostgreSQL compares the rows with their audited digests
# and opens every sealed value on its row (issue 12): generated households
# (with sealed phones and bank accounts) pass, and on copies a household's
# incomes set to 0 name the household, one person's sealed ID number
# copied onto another's row names that row. Runs against the throwaway
# cluster of the ctest fixture (tests/scripts/lib/pg.sh).
# usage: row_tamper.sh DOUDI SOURCE_DIR
set -eu
dbs="doudi_rows doudi_rows_copy"
. "$(dirname "$0")/../lib/pg.sh"

fresh_db doudi_rows
DOUDI_DB="$base/doudi_rows" "$doudi" init >/dev/null
DOUDI_DB="$base/doudi_rows" "$doudi" gen --households 30 --seed 3 --store \
    >/dev/null
[ "$(sql doudi_rows -c "SELECT count(*) FROM household
    WHERE bank_account_enc LIKE 'v2:%'")" = 10 ]
out=$(DOUDI_DB="$base/doudi_rows" "$doudi" check)
echo "$out"
echo "$out" | grep -q '^rows: as audited, 30 households'

# Copies doudi_rows, applies $2 to the copy and expects check to name $1.
tampered() {
    fresh_db doudi_rows_copy doudi_rows
    sql doudi_rows_copy -c "$2"
    if out=$(DOUDI_DB="$base/doudi_rows_copy" "$doudi" check); then
        echo "FAIL: check passed after: $2"
        exit 1
    fi
    echo "$out"
    echo "$out" | grep -q "^rows: DIFFER at $1: " ||
        { echo "FAIL: check did not name $1"; exit 1; }
}
hh=$(sql doudi_rows -c "SELECT min(p.household_id) FROM income i
    JOIN person p ON p.id = i.person_id WHERE i.monthly_fen > 0")
tampered "household $hh" "UPDATE income SET monthly_fen = 0 WHERE person_id
    IN (SELECT id FROM person WHERE household_id = $hh)"
tampered "person 2" "UPDATE person SET id_enc =
    (SELECT id_enc FROM person WHERE id = 1) WHERE id = 2"
tampered "household 3" "UPDATE household SET bank_account_enc =
    (SELECT bank_account_enc FROM household WHERE id = 6) WHERE id = 3"
echo "row_tamper_pg: ok"
