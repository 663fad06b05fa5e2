#!/bin/sh
# SPDX-License-Identifier: MIT
# A city's household export is sent from its temporary file as the
# client reads (issue 14 §3): a CSV of 30,000 households, over twice
# the request's memory cap (the body limit, 1 KiB here, plus
# 8 MiB), is served whole, row for row what `doudi export` writes; read
# slowly, while it is sent the server's heap holds far less than the
# file; the audit row's SM3 is the file's, and the xlsx is served too.
# usage: export_stream.sh DOUDI SOURCE_DIR
set -eu
db=x.db
. "$(dirname "$0")/lib/common.sh"
port=$(free_port)
export DOUDI_LISTEN="127.0.0.1:$port" DOUDI_ADMIN_PASSWORD='Stream-pass-2026'
export DOUDI_USER_PASSWORD='Stream-pass-2026' DOUDI_BODY_LIMIT=1024
base="http://127.0.0.1:$port"

"$doudi" init >"$dir/init.log" 2>&1 || { cat "$dir/init.log"; exit 1; }
"$doudi" gen --households 30000 --seed 7 --store >/dev/null
"$doudi" user add city --role city_supervisor --scope 50 >/dev/null
"$doudi" export households --region 50 --out "$dir/cli.csv" >/dev/null
"$doudi" serve >"$dir/server.log" 2>&1 &
pid=$!
wait_healthy "$dir/server.log" "server did not start"
cookie=$(session_cookie city 'Stream-pass-2026')
# the server's heap now (RssAnon, KiB)
heap() { awk '/^RssAnon:/ { print $2 }' "/proc/$pid/status"; }

# the export read slowly (4 MB/s): while it is sent, the server holds the
# rest of the file on disk, not in its heap
before=$(heap)
curl -s -o "$dir/api.csv" -w '%{http_code}' --limit-rate 4M -H "Cookie: $cookie" \
    "$base/api/v1/exports/households?region=50" >"$dir/code" &
reader=$!
# once the client has 4 MB of it, the rest is being sent
i=0
until [ "$(wc -c <"$dir/api.csv" 2>/dev/null || echo 0)" -gt 4000000 ]; do
    i=$((i + 1))
    [ $i -lt 600 ] || { echo "FAIL: the export never started"; exit 1; }
    sleep 0.1
done
during=$(heap)
wait "$reader"
code=$(cat "$dir/code")
[ "$code" = 200 ] || { echo "FAIL: the export got $code"; head -c 300 "$dir/api.csv"; exit 1; }
bytes=$(wc -c <"$dir/api.csv")
[ "$bytes" -gt $((16 * 1024 * 1024)) ] ||
    { echo "FAIL: the export is only $bytes bytes: not past the old cap"; exit 1; }
cmp -s "$dir/api.csv" "$dir/cli.csv" ||
    { echo "FAIL: the API's file is not doudi export's"; exit 1; }
grew=$(((during - before) * 1024))
[ "$grew" -lt $((bytes / 4)) ] ||
    { echo "FAIL: the heap grew by $grew bytes while sending a file of $bytes"; exit 1; }
code=$(curl -s -o "$dir/api.xlsx" -w '%{http_code}' -H "Cookie: $cookie" \
    "$base/api/v1/exports/households?region=50&format=xlsx")
[ "$code" = 200 ] && [ "$(head -c 2 "$dir/api.xlsx")" = PK ] &&
    [ "$(wc -c <"$dir/api.xlsx")" -gt $((1024 * 1024)) ] ||
    { echo "FAIL: the xlsx export got $code"; exit 1; }
kill "$pid"
wait "$pid" 2>/dev/null || true
pid=
# the audit row holds the bytes and the SM3 of exactly what was served
sm3=$(openssl dgst -sm3 -r "$dir/api.csv" | cut -d' ' -f1)
sqlite3 "$dir/$db" "SELECT detail FROM audit WHERE action = 'export.households'
    AND detail LIKE '%\"format\":\"csv\"%'" >"$dir/audit"
grep -q "\"bytes\":$bytes," "$dir/audit" && grep -q "\"sm3\":\"$sm3\"" "$dir/audit" ||
    { echo "FAIL: the audit row is not the file's"; cat "$dir/audit"; exit 1; }
echo "export_stream: ok ($bytes bytes, heap +$((grew / 1024)) KiB while sent)"
