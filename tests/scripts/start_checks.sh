#!/bin/sh
# SPDX-License-Identifier: MIT
# What `doudi serve` checks of the stored data at start, and refuses to
# serve on: (1) a step template edited under open cases: when
# data/catalog/steps.csv no longer has the step where open cases stand
# (dibao's 入户调查 renamed), it names the item, the step and the count;
# (2) a policy version out of its unit's range written around the API
# (dibao.area.default = 3), named by key, region and date. With the
# shipped file and the bad version gone, the same database serves.
# usage: start_checks.sh DOUDI SOURCE_DIR
set -eu
db=s.db
. "$(dirname "$0")/lib/common.sh"
port=$(free_port)
export DOUDI_LISTEN="127.0.0.1:$port"
export DOUDI_DEMO_PASSWORD='Demo-pass-2026' DOUDI_CONFIG=
base="http://127.0.0.1:$port"

# the demo's cases in every state, 低保 ones at 入户调查 among them
demo_until_cases

open_at=$(sqlite3 "$dir/s.db" "SELECT count(*) FROM case_item WHERE item_code = 'dibao' AND step = 'investigate' AND state <> 'closed'")
[ "$open_at" -gt 0 ] || { echo "FAIL: no open 低保 case at investigate"; exit 1; }

# the 低保 template with 入户调查 renamed: a valid file on its own
cp -r "$src/data" "$dir/data"
sed -i '/^dibao,/s/investigate/inquiry/g' "$dir/data/catalog/steps.csv"
grep -q '^dibao,inquiry,' "$dir/data/catalog/steps.csv"
if DOUDI_DATA_DIR="$dir/data" timeout 60 "$doudi" serve >"$dir/bad.log" 2>&1; then
    echo "FAIL: serve started with cases stranded at a removed step"
    exit 1
fi
grep -q "$open_at open cases of dibao (catalog version 1) stand at step investigate, which template dibao does not have" "$dir/bad.log" ||
    { echo "FAIL: the refusal does not name the step"; cat "$dir/bad.log"; exit 1; }
grep -q "restore those steps" "$dir/bad.log" ||
    { echo "FAIL: no advice"; cat "$dir/bad.log"; exit 1; }

# a version written around the API, out of its unit's range
sqlite3 "$dir/s.db" ".backup '$dir/before-policy.db'"
sqlite3 "$dir/s.db" "INSERT INTO policy_param(key, region_code, effective_from, value, unit, source, confidence, created_at, created_by) VALUES ('dibao.area.default', '500103', '2026-01-01', 3, 'mode', 'written around the API', 'M', 0, 'sqlite3')"
if timeout 60 "$doudi" serve >"$dir/policy.log" 2>&1; then
    echo "FAIL: serve started with dibao.area.default = 3 stored"
    exit 1
fi
grep -q "the stored version dibao.area.default/500103 from 2026-01-01 has a bad value" "$dir/policy.log" ||
    { echo "FAIL: the refusal does not name the version"; cat "$dir/policy.log"; exit 1; }
sqlite3 "$dir/s.db" ".restore '$dir/before-policy.db'"

# the shipped templates and a sound policy table: the same database serves
"$doudi" serve >"$dir/good.log" 2>&1 &
pid=$!
wait_healthy "$dir/good.log" "FAIL: serve did not start"
echo "start_checks: $open_at open 低保 cases at a renamed step and a stored dibao.area.default of 3 refused; the sound database served"
