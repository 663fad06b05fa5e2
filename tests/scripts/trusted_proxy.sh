#!/bin/sh
# SPDX-License-Identifier: MIT
# X-Forwarded-For is believed from a trusted-proxy peer only. The client
# address it gives is what the per-address rate limits count (the
# calculator's, at 1 a minute here) and what the access log (and audit
# rows) name; its right-most entry is the one the proxy wrote, and
# entries left of it are the client's own claims. From any other peer
# the header is ignored and the peer's address counts.
# usage: trusted_proxy.sh DOUDI SOURCE_DIR
set -eu
db=p.db
. "$(dirname "$0")/lib/common.sh"
port=$(free_port)
export DOUDI_LISTEN="127.0.0.1:$port" DOUDI_ADMIN_PASSWORD='Proxy-pass-2026'
export DOUDI_CALCULATOR_RATE=1
base="http://127.0.0.1:$port"
"$doudi" init >"$dir/init.log" 2>&1 || { cat "$dir/init.log"; exit 1; }

# calc XFF: the status of one calculator request sent with that
# X-Forwarded-For (the body is not valid: every request counts)
calc() {
    curl -s -o /dev/null -w '%{http_code}' -H "X-Forwarded-For: $1" \
        -H 'Content-Type: application/json' -d '{}' "$base/api/v1/calculator"
}
expect() {
    got=$(calc "$2")
    if [ "$1" = limited ]; then
        [ "$got" = 429 ] || { echo "FAIL: $3: X-Forwarded-For $2 got $got, not 429"; exit 1; }
    else
        [ "$got" != 429 ] || { echo "FAIL: $3: X-Forwarded-For $2 was rate limited"; exit 1; }
    fi
}
serve() {
    DOUDI_TRUSTED_PROXY=$1 "$doudi" serve >"$dir/$2.log" 2>&1 &
    pid=$!
    wait_healthy "$dir/$2.log" "server did not start ($2)"
}
stop() {
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    pid=
}

# 1. the peer (127.0.0.1) is the trusted proxy: each forwarded address
# has its own allowance
serve '::1, 127.0.0.1' trusted
expect free 198.51.100.1 trusted
expect free 198.51.100.2 trusted
expect limited 198.51.100.1 trusted
# the client claims 203.0.113.9; the proxy appended what it saw
expect free '203.0.113.9, 198.51.100.3' trusted
expect limited 198.51.100.3 trusted
expect free 203.0.113.9 trusted
# not an address: the proxy's own address counts
expect free 'unknown' trusted
expect limited 'garbage' trusted
stop
grep -q '"client":"198.51.100.2"' "$dir/trusted.log" ||
    { echo "FAIL: the access log does not name the forwarded client"; exit 1; }

# 2. another proxy is trusted, not this peer: the header is ignored
serve 127.0.0.9 untrusted
expect free 198.51.100.1 untrusted
expect limited 198.51.100.2 untrusted
stop
if grep -q '"client":"198.51.100' "$dir/untrusted.log"; then
    echo "FAIL: a forwarded address from an untrusted peer was believed"
    exit 1
fi
grep -q '"client":"127.0.0.1"' "$dir/untrusted.log" ||
    { echo "FAIL: the access log does not name the peer"; exit 1; }
# 3. anything but addresses is refused before serving, naming the setting
if "$doudi" serve --check-config --trusted-proxy '127.0.0.1, nginx' >"$dir/bad.log" 2>&1; then
    echo "FAIL: a host name was accepted as a trusted proxy"
    exit 1
fi
grep -q 'setting trusted-proxy' "$dir/bad.log" ||
    { echo "FAIL: the refusal does not name trusted-proxy"; cat "$dir/bad.log"; exit 1; }
echo "trusted_proxy: ok"
