#!/bin/sh
# SPDX-License-Identifier: MIT
# 4,000 slow connections from one address (127.0.0.2), each sending half
# a request and then nothing: those beyond connections-per-address are
# closed at once, /healthz (from 127.0.0.1) still answers 200 while the
# rest are open, and the server closes those after read-timeout seconds
# of silence (tests/scripts/lib/slow_clients.py; loopback only, bounded);
# the refusals do not flood the log.
# usage: slow_clients.sh DOUDI SOURCE_DIR
set -eu
db=c.db
. "$(dirname "$0")/lib/common.sh"
port=$(free_port)
export DOUDI_LISTEN="127.0.0.1:$port" DOUDI_ADMIN_PASSWORD='Slow-pass-2026'
export DOUDI_CONNECTIONS_PER_ADDRESS=50 DOUDI_READ_TIMEOUT=5
export DOUDI_LOG_LEVEL=warn
base="http://127.0.0.1:$port"
"$doudi" init >"$dir/init.log" 2>&1 || { cat "$dir/init.log"; exit 1; }
"$doudi" serve >"$dir/server.log" 2>&1 &
pid=$!
wait_healthy "$dir/server.log" "server did not start"
python3 "$(dirname "$0")/lib/slow_clients.py" "$port" 4000 50
kill -0 "$pid" || { echo "FAIL: the server died"; cat "$dir/server.log"; exit 1; }
# libmicrohttpd's line per refused connection is counted, not repeated
n=$(grep -c 'libmicrohttpd' "$dir/server.log" || true)
[ "$n" -lt 100 ] || { echo "FAIL: $n log lines for the refused connections"; exit 1; }
