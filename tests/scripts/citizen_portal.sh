#!/bin/sh
# SPDX-License-Identifier: MIT
# How `doudi serve` opens the citizen portal: with citizen-portal=on and
# neither an SMS gateway nor OpenID Connect configured it refuses to
# start, saying what to configure; with the default (auto) it serves,
# logs at start that citizens cannot sign in, and their sign-in routes
# answer 503 naming what is missing; with a gateway, on starts. OpenID
# Connect settings that do not hold together are refused by name.
# usage: citizen_portal.sh DOUDI SOURCE_DIR
set -eu
db=portal.db
. "$(dirname "$0")/lib/common.sh"
port=$(free_port)
export DOUDI_LISTEN="127.0.0.1:$port" DOUDI_CONFIG=
base="http://127.0.0.1:$port"
DOUDI_ADMIN_PASSWORD='Init-pass-2026' "$doudi" init >"$dir/init.log" 2>&1

if timeout 60 "$doudi" serve --citizen-portal=on >"$dir/on.log" 2>&1; then
    echo "FAIL: serve started with citizen-portal=on and no sign-in"; exit 1
fi
grep -q 'citizen-portal is on but citizens have no way to sign in: configure an SMS gateway (sms-url, sms-key) or OpenID Connect (oidc-issuer, oidc-client-id, oidc-redirect-uri)' "$dir/on.log" ||
    { echo "FAIL: the refusal does not say what to configure"; cat "$dir/on.log"; exit 1; }

"$doudi" serve >"$dir/auto.log" 2>&1 &
pid=$!
wait_healthy "$dir/auto.log" "FAIL: serve (auto) did not start"
grep -q 'citizen portal: no sign-in configured' "$dir/auto.log" ||
    { echo "FAIL: the start does not log the portal's state"; cat "$dir/auto.log"; exit 1; }
status=$(curl -s -o "$dir/reply" -w '%{http_code}' -H 'Content-Type: application/json' \
    -d '{"phone":"13812345678"}' "$base/api/v1/citizen/otp")
[ "$status" = 503 ] && grep -q '"OTP_SENDER_UNAVAILABLE"' "$dir/reply" ||
    { echo "FAIL: otp without a sender ($status)"; cat "$dir/reply"; exit 1; }
status=$(curl -s -o "$dir/reply" -w '%{http_code}' "$base/api/v1/citizen/oidc/start")
[ "$status" = 503 ] && grep -q '"OIDC_NOT_CONFIGURED"' "$dir/reply" ||
    { echo "FAIL: oidc start without a provider ($status)"; cat "$dir/reply"; exit 1; }
kill -TERM "$pid"
wait "$pid"
pid=

"$doudi" serve --citizen-portal=on --sms-url=http://127.0.0.1:9/sms >"$dir/sms.log" 2>&1 &
pid=$!
wait_healthy "$dir/sms.log" "FAIL: serve with a gateway and citizen-portal=on did not start"
kill -TERM "$pid"
wait "$pid"
pid=

if timeout 60 "$doudi" serve --oidc-issuer=http://127.0.0.1:9 \
    --oidc-redirect-uri="$base/api/v1/citizen/oidc/callback" >"$dir/oidc.log" 2>&1; then
    echo "FAIL: serve started with OpenID Connect and no client id"; exit 1
fi
grep -q 'oidc-client-id: oidc-client-id is needed with oidc-issuer' "$dir/oidc.log" ||
    { echo "FAIL: the refusal does not name oidc-client-id"; cat "$dir/oidc.log"; exit 1; }
echo "citizen_portal: on without a sign-in refused; auto served with 503s and said so; a gateway started on"
