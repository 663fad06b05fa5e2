#!/bin/sh
# SPDX-License-Identifier: MIT
# `doudi calendar load FILE` into a running installation (issue 12): the
# server runs on a copy of data/ whose holiday file lacks 2019; the 2019
# lines of the shipped data/cn-holidays.csv (real dates) are loaded by
# the CLI as the year's version 1, audited once; the running server
# serves them after SIGHUP, without a restart. A malformed file is
# refused naming its line, and stores nothing.
# usage: calendar_load.sh DOUDI SOURCE_DIR
set -eu
db=c.db
. "$(dirname "$0")/lib/common.sh"
mkdir "$dir/data"
for f in regions-chongqing.csv functional-zones.csv policy catalog passwords banks; do
    ln -s "$src/data/$f" "$dir/data/$f"
done
grep -v '^2019-' "$src/data/cn-holidays.csv" >"$dir/data/cn-holidays.csv"
{ head -n 1 "$src/data/cn-holidays.csv"; grep '^2019-' "$src/data/cn-holidays.csv"; } >"$dir/2019.csv"
days=$(($(wc -l <"$dir/2019.csv") - 1))
export DOUDI_DATA_DIR="$dir/data"
port=$(free_port)
export DOUDI_LISTEN="127.0.0.1:$port" DOUDI_DEMO_HOUSEHOLDS=0
export DOUDI_DEMO_PASSWORD='Demo-pass-2026' DOUDI_CONFIG=
base="http://127.0.0.1:$port"
"$doudi" demo >"$dir/server.log" 2>&1 &
pid=$!
wait_healthy "$dir/server.log" "FAIL: the server did not start"
curl -sf -c "$dir/jar" -H 'Content-Type: application/json' \
    -d '{"username":"clerk.500101001","password":"Demo-pass-2026"}' \
    "$base/api/v1/session" >/dev/null
# whether the served calendar covers 2019
covered() {
    curl -sf -b "$dir/jar" "$base/api/v1/calendar?from=2019-04-05&to=2019-04-05" |
        grep -q '"covered":true'
}
! covered || { echo "FAIL: 2019 covered before the load"; exit 1; }

# malformed: refused with its line, nothing stored
sed 's/^2019-04-05,1,/2019-04-05,2,/' "$dir/2019.csv" >"$dir/bad.csv"
line=$(grep -n '^2019-04-05,' "$dir/bad.csv" | cut -d: -f1)
if "$doudi" calendar load "$dir/bad.csv" >"$dir/bad.log" 2>&1; then
    echo "FAIL: a malformed file was loaded"
    exit 1
fi
grep -q "bad.csv: line $line: is_off_day" "$dir/bad.log" ||
    { echo "FAIL: the refusal does not name line $line"; cat "$dir/bad.log"; exit 1; }
[ "$(sqlite3 "$dir/c.db" "SELECT count(*) FROM holiday_version")" = 0 ] ||
    { echo "FAIL: a refused file left versions"; exit 1; }

"$doudi" calendar load "$dir/2019.csv" >"$dir/load.log" 2>&1 ||
    { echo "FAIL: calendar load"; cat "$dir/load.log"; exit 1; }
grep -q "^calendar 2019: version 1, $days days" "$dir/load.log" ||
    { echo "FAIL: the load does not report version 1 of $days days"; cat "$dir/load.log"; exit 1; }
[ "$(sqlite3 "$dir/c.db" "SELECT count(*) FROM holiday_version WHERE year = 2019 AND version = 1")" = "$days" ] ||
    { echo "FAIL: version 1 not stored whole"; exit 1; }
[ "$(sqlite3 "$dir/c.db" "SELECT count(*) FROM audit WHERE action = 'calendar.year' AND object = 'calendar:2019'")" = 1 ] ||
    { echo "FAIL: not one audit row"; exit 1; }
[ "$(sqlite3 "$dir/c.db" "SELECT count(*) FROM holiday WHERE date LIKE '2019-%'")" = "$days" ] ||
    { echo "FAIL: the holiday table lacks 2019"; exit 1; }

# the running server: the old calendar until SIGHUP, the new one after
! covered || { echo "FAIL: served before SIGHUP"; exit 1; }
kill -HUP "$pid"
poll "FAIL: 2019 not served after SIGHUP" "$dir/server.log" covered
kill -TERM "$pid"
wait "$pid" || { echo "FAIL: the server did not stop cleanly"; exit 1; }
pid=
echo "calendar load: 2019 version 1, served after SIGHUP"
