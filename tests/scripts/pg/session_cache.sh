#!/bin/sh
# SPDX-License-Identifier: MIT
# Sessions remembered for a few seconds on PostgreSQL (api/session_cache.c)
# and forgotten at once when ended, whoever ends them: a session deleted
# with the announcing trigger switched off is still taken (it was
# remembered) until SESSION_CACHE_US (5 s) has passed, then refused; one
# deleted by plain SQL, one locked out by `doudi user lock` in another
# process and one signed out are refused on the very next request. Runs
# against the throwaway cluster of the ctest fixture.
# usage: session_cache.sh DOUDI SOURCE_DIR
set -eu
dbs=doudi_session_cache
. "$(dirname "$0")/../lib/pg.sh"
fresh_db doudi_session_cache
export DOUDI_DB="$base/doudi_session_cache" DOUDI_USER_PASSWORD='User-pass-2026'
"$doudi" init >/dev/null 2>&1
"$doudi" user add clerk --role town_clerk --scope 500103001 >/dev/null
. "$(dirname "$0")/../lib/server.sh"
port=$(free_port)
server="http://127.0.0.1:$port"
DOUDI_LISTEN="127.0.0.1:$port" "$doudi" serve >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; cleanup' EXIT
wait_healthy "$dir/server.log" "FAIL: the server did not start"
signin() { session_cookie clerk User-pass-2026; }
# status COOKIE: the status of GET /api/v1/session with it
status() { curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $1" "$server/api/v1/session"; }

# remembered: deleted without the announcement, still taken, then not
c=$(signin)
[ "$(status "$c")" = 200 ]
sql doudi_session_cache -c "SET session_replication_role = replica;
    DELETE FROM session;" >/dev/null
[ "$(status "$c")" = 200 ] || { echo "FAIL: the session was not remembered"; exit 1; }
sleep 5.5
[ "$(status "$c")" = 401 ] || { echo "FAIL: a deleted session taken after 5 s"; exit 1; }

# deleted by plain SQL: refused at once (the listener heard it)
c=$(signin)
[ "$(status "$c")" = 200 ]
sql doudi_session_cache -c "DELETE FROM session" >/dev/null
sleep 0.3 # the announcement travels from the commit to the listener
[ "$(status "$c")" = 401 ] || { echo "FAIL: a session deleted by SQL still taken"; exit 1; }

# locked by the CLI, another process
c=$(signin)
[ "$(status "$c")" = 200 ]
"$doudi" user lock clerk >/dev/null
sleep 0.3
[ "$(status "$c")" = 401 ] || { echo "FAIL: a locked user's session still taken"; exit 1; }
"$doudi" user unlock clerk >/dev/null

# signed out: refused on the next request, with no wait
c=$(signin)
[ "$(status "$c")" = 200 ]
csrf=$(curl -s -H "Cookie: $c" "$server/api/v1/session" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["csrf_token"])')
[ "$(curl -s -o /dev/null -w '%{http_code}' -X DELETE -H "Cookie: $c" \
    -H "X-CSRF-Token: $csrf" "$server/api/v1/session")" = 204 ]
[ "$(status "$c")" = 401 ] || { echo "FAIL: a signed-out session still taken"; exit 1; }
echo "session_cache_pg: ok"
