# SPDX-License-Identifier: MIT
# The checks of `doudi gen --store` on either store, sourced by
# tests/scripts/gen_store.sh (SQLite) and tests/scripts/pg/gen_store.sh
# (PostgreSQL, where the rows go in by COPY) after DOUDI_DB is set to an
# empty database, with q (a query's answer, one value) and dump (every
# stored value of the registry as text, to look for an ID number in
# clear) defined: one gen.batch audit row per 1,000-household
# transaction and the chain intact, ID numbers sealed, no person in two
# active households even when the same seed runs twice (the store is
# asked for the batch's numbers: the second run redraws every one), and
# what is stored is what the generator drew.

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
[ "$(q 'SELECT count(*) FROM household')" = 2500 ]
[ "$(q 'SELECT count(*) FROM person')" = "$persons" ]
# 1,000 + 1,000 + 500: three batches, three rows, the last one's counts
[ "$(q "SELECT count(*) FROM audit WHERE action='gen.batch'")" = 3 ]
q "SELECT detail FROM audit WHERE action='gen.batch' ORDER BY seq DESC LIMIT 1" |
    grep -q '"serial_first":"2001","serial_last":"2500","households":"500"'
# sealed: every number is a v2: token, and the first generated number
# (from the CSV of the same seed) is nowhere in the database
[ "$(q "SELECT count(*) FROM person WHERE id_enc NOT LIKE 'v2:%'")" = 0 ]
csv=$("$doudi" gen --households 1 --seed 5)
first=$(echo "$csv" | sed -n 2p | cut -d, -f5)
[ ${#first} = 18 ]
if dump | grep -q "$first"; then
    echo "FAIL: an ID number in clear in the database"
    exit 1
fi
# the first household as drawn: its members' names, in order (one a
# line); and every third household's contact (serial 3) sealed, with its
# masked phone
names=$(echo "$csv" | sed 1d | cut -d, -f4)
[ "$(q "SELECT name FROM person WHERE household_id = 1 ORDER BY id")" = "$names" ] ||
    { echo "FAIL: household 1's members are not the generator's ($names)"; exit 1; }
[ "$(q "SELECT contact_phone_masked FROM household WHERE id = 3")" = '130****0003' ]
[ "$(q "SELECT count(*) FROM household WHERE id = 3 AND bank_account_enc LIKE 'v2:%'")" = 1 ]
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
