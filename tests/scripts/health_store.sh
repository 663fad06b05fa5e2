#!/bin/sh
# SPDX-License-Identifier: MIT
# /healthz reports the store's health, not only that a read answers:
# (1) while another process holds SQLite's write lock every write fails
# (503 after the busy timeout) and /healthz turns 503 naming
# writes_failing, though reads still work; once a write commits again it
# is 200; (2) with less free disk space than health-min-free-mb (set
# absurdly high) it is 503 naming disk_low.
# usage: health_store.sh DOUDI SOURCE_DIR
set -eu
db=h.db
. "$(dirname "$0")/lib/common.sh"
port=$(free_port)
export DOUDI_LISTEN="127.0.0.1:$port" DOUDI_ADMIN_PASSWORD='Health-pass-2026'
base="http://127.0.0.1:$port"
"$doudi" init >"$dir/init.log" 2>&1 || { cat "$dir/init.log"; exit 1; }

# health: the status line and body of /healthz into $dir/health
health() {
    curl -s -o "$dir/health" -w '%{http_code}' "$base/healthz"
}
# login: the status of a sign-in, a write (the session row)
login() {
    curl -s -o "$dir/login" -w '%{http_code}' -H 'Content-Type: application/json' \
        -d '{"username":"admin","password":"Health-pass-2026"}' "$base/api/v1/session"
}

"$doudi" serve >"$dir/server.log" 2>&1 &
pid=$!
wait_healthy "$dir/server.log" "server did not start"
[ "$(health)" = 200 ] || { echo "FAIL: /healthz not 200 at start"; cat "$dir/health"; exit 1; }
grep -q '"problems":\[\]' "$dir/health" || { echo "FAIL: problems at start"; cat "$dir/health"; exit 1; }

# (1) another process takes the write lock and keeps it
locker=
trap '[ -n "$locker" ] && kill "$locker" 2>/dev/null; cleanup' EXIT
python3 -c '
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(300)
' "$dir/h.db" >"$dir/locker" &
locker=$!
i=0
until grep -q locked "$dir/locker"; do
    i=$((i + 1))
    [ $i -lt 300 ] || { echo "FAIL: could not take the lock"; exit 1; }
    sleep 0.1
done
code=$(login)
[ "$code" = 503 ] || { echo "FAIL: a write under the lock got $code"; exit 1; }
code=$(health)
kill "$locker"
wait "$locker" 2>/dev/null || true
locker=
[ "$code" = 503 ] || { echo "FAIL: /healthz $code while writes fail"; cat "$dir/health"; exit 1; }
grep -q '"writes":"failing"' "$dir/health" && grep -q '"writes_failing"' "$dir/health" &&
    grep -q '"database":"up"' "$dir/health" ||
    { echo "FAIL: /healthz does not name the failing writes"; cat "$dir/health"; exit 1; }
# the lock is gone: a write commits, and the store is healthy again
[ "$(login)" = 201 ] || { echo "FAIL: sign-in after the lock"; cat "$dir/login"; exit 1; }
[ "$(health)" = 200 ] || { echo "FAIL: /healthz not 200 after a write"; cat "$dir/health"; exit 1; }
kill "$pid"
wait "$pid" 2>/dev/null || true
pid=

# (2) more free space asked for than any disk has
DOUDI_HEALTH_MIN_FREE_MB=1073741824 "$doudi" serve >"$dir/disk.log" 2>&1 &
pid=$!
i=0
until [ "$(health)" != 000 ]; do
    i=$((i + 1))
    [ $i -lt 300 ] || { echo "FAIL: server did not start"; cat "$dir/disk.log"; exit 1; }
    sleep 0.1
done
code=$(health)
[ "$code" = 503 ] && grep -q '"disk_low"' "$dir/health" && grep -q '"disk_free_mb":' "$dir/health" ||
    { echo "FAIL: /healthz $code with the disk below the threshold"; cat "$dir/health"; exit 1; }
echo "health_store: ok"
