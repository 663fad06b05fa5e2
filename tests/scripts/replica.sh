#!/bin/sh
# SPDX-License-Identifier: MIT
# Reports read from a streaming-replication standby (db-replica, issue
# 14 §5). A primary and its standby (pg-throwaway start and standby:
# Debian's PostgreSQL as the postgres user, loopback only); the server
# writes to the primary and reads the monthly report, the caseload
# dashboard and the KPI report from the standby. The proof that the
# report is the standby's: with the standby's replay paused, a change
# committed on the primary is not in the report; once replay resumes it
# is. With the standby gone the reports answer 503 and nothing else
# fails. A db-replica beside a SQLite database is refused at start.
# usage: replica.sh DOUDI SOURCE_DIR
set -eu
db=unused.db
. "$(dirname "$0")/lib/common.sh"
pg="$src/scripts/pg-throwaway"
trap '"$pg" stop "$dir/standby" >/dev/null 2>&1; "$pg" stop "$dir/primary" >/dev/null 2>&1; cleanup' EXIT
"$pg" start "$dir/primary" >/dev/null
"$pg" standby "$dir/standby" "$dir/primary" >/dev/null
primary=$(cat "$dir/primary/url") standby=$(cat "$dir/standby/url")
port=$(free_port)
base="http://127.0.0.1:$port"
pw='Replica-pass-2026'
export DOUDI_LISTEN="127.0.0.1:$port" DOUDI_ADMIN_PASSWORD="$pw"
export DOUDI_USER_PASSWORD="$pw"

# a db-replica needs a PostgreSQL database to be the standby of
"$doudi" init >"$dir/init.log" 2>&1 || { cat "$dir/init.log"; exit 1; }
if DOUDI_DB_REPLICA="$standby" "$doudi" serve >"$dir/refused.log" 2>&1; then
    echo "FAIL: a standby beside a SQLite database was accepted"; exit 1
fi
grep -q 'db-replica' "$dir/refused.log" ||
    { echo "FAIL: the refusal does not name db-replica"; cat "$dir/refused.log"; exit 1; }

export DOUDI_DB="$primary"
"$doudi" init >"$dir/init.log" 2>&1 || { cat "$dir/init.log"; exit 1; }
"$doudi" user add city --role city_supervisor --scope 50 >/dev/null
# the month's figures for a township of 渝中区 as a closed batch leaves
# them (payment_summary, migration 21)
psql -qAtX -v ON_ERROR_STOP=1 "$primary" -c "INSERT INTO payment_summary
    VALUES ('2027-01', '500103001', 'dibao', 'urban', 7, 12, 3, 2, 1, 7, 560000)"

# caught_up: the standby has replayed everything the primary wrote
caught_up() {
    lsn=$(psql -qAtX "$primary" -c "SELECT pg_current_wal_lsn()")
    [ "$(psql -qAtX "$standby" -c "SELECT pg_last_wal_replay_lsn() >= '$lsn'")" = t ]
}
poll "FAIL: the standby never caught up" "$dir/standby/cluster" caught_up

DOUDI_DB_REPLICA="$standby" "$doudi" serve >"$dir/server.log" 2>&1 &
pid=$!
wait_healthy "$dir/server.log" "server did not start"
cookie=$(session_cookie city "$pw")
# households: the monthly report's households for 渝中区, 2027-01
households() {
    curl -sf -H "Cookie: $cookie" "$base/api/v1/reports/monthly?region=500103&month=2027-01" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["all"]["households"])'
}
[ "$(households)" = 7 ] || { echo "FAIL: the report has $(households) households, not 7"; exit 1; }

# replay paused: the primary's change is not in the report
psql -qAtX "$standby" -c "SELECT pg_wal_replay_pause()" >/dev/null
paused() {
    [ "$(psql -qAtX "$standby" -c "SELECT pg_get_wal_replay_pause_state()")" = paused ]
}
poll "FAIL: the standby's replay did not pause" "$dir/server.log" paused
psql -qAtX -v ON_ERROR_STOP=1 "$primary" -c "UPDATE payment_summary
    SET households = 9 WHERE month = '2027-01' AND township_code = '500103001'"
[ "$(psql -qAtX "$primary" -c "SELECT households FROM payment_summary WHERE month = '2027-01'")" = 9 ] ||
    { echo "FAIL: the primary did not take the change"; exit 1; }
[ "$(households)" = 7 ] ||
    { echo "FAIL: with replay paused the report has $(households) households: not the standby's"; exit 1; }
# the other reports answer from the standby too
for path in '/api/v1/reports/caseload?region=50&to=2027-01' \
    '/api/v1/kpis?region=500000&from=2026-01-01&to=2026-06-30'; do
    code=$(curl -s -o "$dir/body" -w '%{http_code}' -H "Cookie: $cookie" "$base$path")
    [ "$code" = 200 ] || { echo "FAIL: $path from the standby: $code"; cat "$dir/body"; exit 1; }
done
curl -s "$base/metrics" | grep -q '^doudi_db_replica_pool_connections{state="size"} [1-9]' ||
    { echo "FAIL: /metrics shows no standby pool"; exit 1; }
# writes still go to the primary: a sign-in writes its session
session_cookie city "$pw" >/dev/null

# replay resumed: the report catches up
psql -qAtX "$standby" -c "SELECT pg_wal_replay_resume()" >/dev/null
poll "FAIL: the standby never caught up after the resume" "$dir/server.log" caught_up
[ "$(households)" = 9 ] || { echo "FAIL: after the resume the report has $(households) households, not 9"; exit 1; }
# the standby gone: the reports fail, nothing else does
"$pg" stop "$dir/standby" >/dev/null
code=$(curl -s -o "$dir/body" -w '%{http_code}' -H "Cookie: $cookie" \
    "$base/api/v1/reports/monthly?region=500103&month=2027-01")
[ "$code" = 503 ] || { echo "FAIL: a report without its standby got $code, not 503"; cat "$dir/body"; exit 1; }
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/healthz")" = 200 ] ||
    { echo "FAIL: /healthz is not 200 without the standby"; exit 1; }
session_cookie city "$pw" >/dev/null
echo "replica: ok"
