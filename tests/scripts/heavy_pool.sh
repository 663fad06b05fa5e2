#!/bin/sh
# SPDX-License-Identifier: MIT
# Heavy requests (exports, KPI reports, imports) run on a pool of their
# own with a bound on admissions. With one worker and no queue
# (heavy-workers=1, heavy-queue=0), a city-wide xlsx export whose client
# does not read its reply holds the one admission: the next heavy request
# (an export, the KPI report) gets 503 SERVER_BUSY with Retry-After, while
# /healthz and ordinary requests answer 200. Once that client goes, the
# next export is served. All of it on one database connection (db-pool=1,
# where threads + heavy-workers would be 3): the setting bounds the pool,
# and requests take turns on what it holds.
# usage: heavy_pool.sh DOUDI SOURCE_DIR
set -eu
db=e.db
. "$(dirname "$0")/lib/common.sh"
port=$(free_port)
export DOUDI_LISTEN="127.0.0.1:$port" DOUDI_ADMIN_PASSWORD='Heavy-pass-2026'
export DOUDI_USER_PASSWORD='Heavy-pass-2026'
# a city-wide xlsx of 20,000 households (about 6 MB) fills any socket
# buffers; the held reply is timed out only after two minutes of silence
export DOUDI_HEAVY_WORKERS=1 DOUDI_HEAVY_QUEUE=0 DOUDI_READ_TIMEOUT=120
export DOUDI_DB_POOL=1
base="http://127.0.0.1:$port"
export_path='/api/v1/exports/households?region=50&format=xlsx'
reader=

"$doudi" init >"$dir/init.log" 2>&1 || { cat "$dir/init.log"; exit 1; }
"$doudi" gen --households 20000 --seed 1 --store >/dev/null
"$doudi" user add city --role city_supervisor --scope 50 >/dev/null
"$doudi" serve >"$dir/server.log" 2>&1 &
pid=$!
wait_healthy "$dir/server.log" "server did not start"
cookie=$(session_cookie city 'Heavy-pass-2026')

# heavy N: waits (60 s at the most) until /metrics shows N admitted
heavy() {
    i=0
    until curl -s "$base/metrics" | grep -q "^doudi_heavy_requests $1\$"; do
        i=$((i + 1))
        [ $i -lt 600 ] || { echo "FAIL: never $1 heavy requests admitted"; exit 1; }
        sleep 0.1
    done
}
# get PATH: the status of a GET, headers into $dir/headers
get() {
    curl -s -o "$dir/body" -D "$dir/headers" -w '%{http_code}' -H "Cookie: $cookie" "$base$1"
}

trap '[ -n "$reader" ] && kill "$reader" 2>/dev/null; cleanup' EXIT
python3 "$(dirname "$0")/lib/slow_reader.py" "$port" "$export_path" "$cookie" >"$dir/reader" &
reader=$!
heavy 1
code=$(get "$export_path")
[ "$code" = 503 ] || { echo "FAIL: a second export got $code, not 503"; exit 1; }
grep -qi '^Retry-After: [0-9]' "$dir/headers" && grep -q '"SERVER_BUSY"' "$dir/body" ||
    { echo "FAIL: the 503 has no Retry-After or code"; cat "$dir/headers" "$dir/body"; exit 1; }
code=$(get '/api/v1/kpis?region=500000&from=2026-01-01&to=2026-06-30')
[ "$code" = 503 ] || { echo "FAIL: the KPI report got $code, not 503"; exit 1; }
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/healthz")" = 200 ] ||
    { echo "FAIL: /healthz not 200 with the heavy pool full"; exit 1; }
[ "$(get /api/v1/regions/500103001)" = 200 ] ||
    { echo "FAIL: an ordinary request not 200 with the heavy pool full"; exit 1; }
curl -s "$base/metrics" | grep -q '^doudi_heavy_refused_total 2$' ||
    { echo "FAIL: the refusals are not counted"; exit 1; }
heavy 1

# the client goes; its admission comes back and the next export is served
kill "$reader"
wait "$reader" 2>/dev/null || true
reader=
heavy 0
[ "$(get "$export_path")" = 200 ] || { echo "FAIL: the export after the slow client"; exit 1; }
# twenty at once, on the one connection
i=0
while [ $i -lt 20 ]; do
    echo "url = \"$base/api/v1/households?region=500103&limit=50\""
    echo "output = /dev/null"
    i=$((i + 1))
done >"$dir/many.cfg"
curl -s -Z --parallel-max 20 -H "Cookie: $cookie" -K "$dir/many.cfg" ||
    { echo "FAIL: twenty requests at once"; exit 1; }
curl -s "$base/metrics" | grep -q '^doudi_db_pool_connections{state="size"} 1$' ||
    { echo "FAIL: more database connections than db-pool"; curl -s "$base/metrics" | grep pool; exit 1; }
echo "heavy_pool: ok"
