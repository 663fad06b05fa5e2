#!/bin/sh
# SPDX-License-Identifier: MIT
# A citizen's OpenID Connect sign-in against a real provider on loopback
# (tests/oidc: oidc-provider, installed by scripts/install-deps), driven by
# tests/oidc/signin.mjs through login and consent, with the refusals it
# checks. Then: every callback is in the audit log (signed in, or refused
# with the reason), and the server log holds neither the client secret
# nor the full ID number.
# usage: oidc.sh DOUDI SOURCE_DIR
set -eu
db=oidc.db
. "$(dirname "$0")/lib/common.sh"
[ -d "$src/tests/oidc/node_modules/oidc-provider" ] ||
    { echo "FAIL: tests/oidc has no node_modules: run scripts/install-deps"; exit 1; }
port=$(free_port)
export DOUDI_LISTEN="127.0.0.1:$port" DOUDI_LOGIN_RATE=100000
base="http://127.0.0.1:$port"
redirect="$base/api/v1/citizen/oidc/callback"
secret='Client-Secret-5Rw8tLm2'
ppid_=

node "$src/tests/oidc/provider.mjs" "$dir/provider.port" "$redirect" >"$dir/provider.log" 2>&1 &
ppid_=$!
# the server the driver's restart started is no child of this shell: its
# pid is in $dir/pid
trap 'kill "$ppid_" 2>/dev/null || true
[ -f "$dir/pid" ] && kill -9 "$(cat "$dir/pid")" 2>/dev/null || true
cleanup' EXIT
i=0
until [ -f "$dir/provider.port" ]; do
    i=$((i + 1))
    [ $i -lt 300 ] || { echo "FAIL: the provider did not start"; cat "$dir/provider.log"; exit 1; }
    sleep 0.1
done
issuer="http://127.0.0.1:$(cat "$dir/provider.port")"
DOUDI_ADMIN_PASSWORD='Init-pass-2026' "$doudi" init >"$dir/init.log" 2>&1
cat >"$dir/doudi.conf" <<CONF
citizen-portal = on
oidc-issuer = $issuer
oidc-client-id = doudi
oidc-client-secret = $secret
oidc-redirect-uri = $redirect
oidc-scopes = openid id_number
oidc-id-claim = id_number
CONF
export DOUDI_CONFIG="$dir/doudi.conf"

"$doudi" serve >>"$dir/server.log" 2>&1 &
pid=$!
wait_healthy "$dir/server.log" "FAIL: serve did not start"
grep -q "citizen portal: sign-in by phone off (503), by OpenID Connect $issuer" "$dir/server.log" ||
    { echo "FAIL: the start does not log the OpenID Connect sign-in"; cat "$dir/server.log"; exit 1; }
# the driver restarts doudi once, a sign-in under way
cat >"$dir/restart" <<SH
kill -TERM \$(cat "$dir/pid") && while kill -0 \$(cat "$dir/pid") 2>/dev/null; do sleep 0.1; done
"$doudi" serve >>"$dir/server.log" 2>&1 &
echo \$! >"$dir/pid"
until curl -sf "$base/healthz" >/dev/null; do sleep 0.1; done
SH
echo "$pid" >"$dir/pid"
node "$src/tests/oidc/signin.mjs" "$base" "$issuer" "sh $dir/restart" ||
    { echo "FAIL: the sign-in flow"; tail -30 "$dir/server.log"; tail -30 "$dir/provider.log"; exit 1; }
pid=$(cat "$dir/pid")
kill -TERM "$pid"
while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
pid=
rm "$dir/pid"

# every callback audited: 4 sign-ins, the refusals with their reasons
count() {
    sqlite3 "$dir/$db" "SELECT count(*) FROM audit WHERE action = '$1' AND detail LIKE '%\"method\":\"oidc\"%' AND detail LIKE '%$2%'"
}
[ "$(count citizen.session.create '"result":"ok"')" -eq 4 ] ||
    { echo "FAIL: signed-in callbacks audited: $(count citizen.session.create '')"; exit 1; }
for reason in 'unknown state' 'state of another browser' 'another issuer in the callback' 'ID token invalid' 'nonce mismatch' 'invalid ID number claim'; do
    [ "$(count citizen.session.failed "\"result\":\"$reason\"")" -ge 1 ] ||
        { echo "FAIL: no audit row of a refusal: $reason"; exit 1; }
done
if grep -qF -e "$secret" -e '11010519491231002X' "$dir/server.log"; then
    echo "FAIL: the client secret or the full ID number is in the server log"; exit 1
fi
grep -q 'oidc: citizen 110105\*\*\*\*\*\*\*\*002X signed in' "$dir/server.log" ||
    { echo "FAIL: no log line of the sign-in"; exit 1; }
grep -q 'oidc: sign-in refused: the nonce is not this sign-in' "$dir/server.log" ||
    { echo "FAIL: no log line of the nonce refusal"; exit 1; }
echo "oidc: signed in through a real provider; refusals named and audited; no secret in the log"
