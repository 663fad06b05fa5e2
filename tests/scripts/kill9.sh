#!/bin/sh
# SPDX-License-Identifier: MIT
# kill -9 the server in the middle of a stream of writes; after a restart
# every write the server acknowledged (201) is there, and the audit chain
# is intact.
# usage: kill9.sh DOUDI SOURCE_DIR
set -eu
db=k.db
. "$(dirname "$0")/lib/common.sh"
port=$(free_port)
export DOUDI_LISTEN="127.0.0.1:$port"
export DOUDI_DEMO_PASSWORD='Demo-pass-2026'
# the writes under test are accounts; generated households only slow the start
export DOUDI_DEMO_HOUSEHOLDS=0
base="http://127.0.0.1:$port"

"$doudi" demo >"$dir/server.log" 2>&1 &
pid=$!
wait_healthy "$dir/server.log" "server did not start"
csrf=$(curl -sf -c "$dir/jar" -H 'Content-Type: application/json' \
    -d '{"username":"admin","password":"Demo-pass-2026"}' \
    "$base/api/v1/session" | sed 's/.*"csrf_token":"\([^"]*\)".*/\1/')

# The writer: one account per request, recording each acknowledged one.
(
    n=0
    while :; do
        n=$((n + 1))
        name="k9.user$n"
        code=$(curl -s -o /dev/null -w '%{http_code}' -b "$dir/jar" \
            -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
            -d "{\"username\":\"$name\",\"role\":\"town_clerk\",\"scope\":\"500103001\",\"password\":\"Clerk-pass-2026\"}" \
            "$base/api/v1/users") || code=000
        [ "$code" = 201 ] && echo "$name" >>"$dir/acked"
        [ "$code" = 000 ] && break
    done
) &
writer=$!
# kill in mid-stream once 10 writes are acknowledged (however loaded the
# machine: each one hashes a password), with more on the way
touch "$dir/acked"
i=0
while [ "$(wc -l <"$dir/acked")" -lt 10 ]; do
    i=$((i + 1))
    [ $i -lt 1200 ] || { echo "FAIL: 10 writes not acknowledged in 2 minutes"; exit 1; }
    sleep 0.1
done
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
pid=
wait "$writer" 2>/dev/null || true

acked=$(wc -l <"$dir/acked")
[ "$acked" -ge 10 ] || { echo "FAIL: only $acked writes acknowledged"; exit 1; }
"$doudi" user list >"$dir/users"
missing=0
while read -r name; do
    grep -q "^[0-9]* *$name " "$dir/users" || { echo "LOST: $name"; missing=$((missing + 1)); }
done <"$dir/acked"
echo "kill9: $acked acknowledged writes, $missing lost"
[ "$missing" -eq 0 ]
"$doudi" check
echo "kill9: ok"
