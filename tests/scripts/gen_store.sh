#!/bin/sh
# SPDX-License-Identifier: MIT
# `doudi gen --store` writes generated households into the registry: one
# gen.batch audit row per 1,000-household transaction and the chain
# intact, ID numbers sealed (no plain number in the file), no person in
# two active households even when the same seed runs twice (the blind
# index is the claim function: the second run redraws every number).
# usage: gen_store.sh DOUDI SOURCE_DIR
set -eu
db=g.db
. "$(dirname "$0")/lib/common.sh"
export DOUDI_ADMIN_PASSWORD='Chief-pass-2026'

# without a schema it refuses
if "$doudi" gen --households 10 --seed 1 --store 2>"$dir/err"; then
    echo "FAIL: gen --store ran without init"
    exit 1
fi
grep -q 'doudi init' "$dir/err"
"$doudi" init >/dev/null
out=$("$doudi" gen --households 2500 --seed 5 --store)
echo "$out"
echo "$out" | grep -q '^stored 2500 households, [0-9]* persons in .* households/s'
persons=$(echo "$out" | sed 's/^stored 2500 households, \([0-9]*\) persons.*/\1/')
q() { sqlite3 "$dir/g.db" "$1"; }
[ "$(q 'SELECT count(*) FROM household')" = 2500 ]
[ "$(q 'SELECT count(*) FROM person')" = "$persons" ]
# 1,000 + 1,000 + 500: three batches, three rows, the last one's counts
[ "$(q "SELECT count(*) FROM audit WHERE action='gen.batch'")" = 3 ]
q "SELECT detail FROM audit WHERE action='gen.batch' ORDER BY seq DESC LIMIT 1" |
    grep -q '"serial_first":"2001","serial_last":"2500","households":"500"'
# sealed: every number is a v2: token, and the first generated number
# (from the CSV of the same seed) is nowhere in the file
[ "$(q "SELECT count(*) FROM person WHERE id_enc NOT LIKE 'v2:%'")" = 0 ]
first=$("$doudi" gen --households 1 --seed 5 | sed -n 2p | cut -d, -f5)
[ ${#first} = 18 ]
if grep -q "$first" "$dir/g.db"; then
    echo "FAIL: an ID number in clear in the database"
    exit 1
fi
# the same seed again: every number is taken, so all are redrawn
"$doudi" gen --households 1000 --seed 5 --store >/dev/null
[ "$(q 'SELECT count(*) FROM household')" = 3500 ]
[ "$(q 'SELECT count(*) FROM person WHERE active_id_hash IS NOT NULL')" = \
  "$(q 'SELECT count(DISTINCT id_hash) FROM person')" ]
out=$("$doudi" check)
echo "$out"
echo "$out" | grep -q '^audit chain: intact'
# --format and --store do not mix
if "$doudi" gen --households 1 --seed 1 --store --format csv 2>/dev/null; then
    echo "FAIL: --store with --format accepted"
    exit 1
fi
echo "gen_store: ok"
