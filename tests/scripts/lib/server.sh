# SPDX-License-Identifier: MIT
# A test's running server, sourced by common.sh and by the PostgreSQL
# scripts that start one: free_port, a free loopback port; wait_healthy,
# waiting for it to answer; session_cookie, a user's signed-in cookie.
# The server is at $server, else at $base (common.sh's scripts).
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
        echo $((20000 + $$ % 20000))
}
# Waits (30 s at the most) for the server to answer /healthz;
# else says $2, shows the server's log $1 and exits 1.
wait_healthy() {
    i=0
    until curl -sf "${server:-$base}/healthz" >/dev/null; do
        i=$((i + 1))
        [ $i -lt 300 ] || { echo "$2"; cat "$1"; exit 1; }
        sleep 0.1
    done
}
# Signs USER in with PASSWORD: its session cookie on standard
# output ("doudi_session=..."); exits 1 when the sign-in fails.
session_cookie() {
    c=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
        -d "{\"username\":\"$1\",\"password\":\"$2\"}" "${server:-$base}/api/v1/session" |
        sed -n 's/^Set-Cookie: \(doudi_session=[^;]*\).*/\1/p')
    [ -n "$c" ] || { echo "FAIL: sign-in of $1" >&2; exit 1; }
    echo "$c"
}
