#!/bin/sh
# SPDX-License-Identifier: MIT
# One-time codes through an SMS gateway (the sms-* settings): a real HTTP
# server on loopback (lib/record_server.py) records what doudi sends. It
# gets the full phone and the code in the template, and the key in its
# header; the code it got signs the citizen in. The server's log has the
# masked phone only: never the code, the key or the full phone. A gateway
# answering 500, or too slowly for sms-timeout, is 503 OTP_SEND_FAILED
# with a log line naming the masked phone and why, and no secret. The key
# is taken from the config file only.
# usage: sms_gateway.sh DOUDI SOURCE_DIR
set -eu
db=sms.db
. "$(dirname "$0")/lib/common.sh"
port=$(free_port)
export DOUDI_LISTEN="127.0.0.1:$port"
base="http://127.0.0.1:$port"
key='Gw-Key-9f3Kq7Zx'
phone=13812345678
gwpid=

python3 "$src/tests/scripts/lib/record_server.py" "$dir/gw.port" "$dir/gw.log" &
gwpid=$!
trap 'kill "$gwpid" 2>/dev/null || true; cleanup' EXIT
i=0
until [ -f "$dir/gw.port" ]; do
    i=$((i + 1))
    [ $i -lt 100 ] || { echo "FAIL: the gateway did not start"; exit 1; }
    sleep 0.1
done
gw="http://127.0.0.1:$(cat "$dir/gw.port")"
DOUDI_ADMIN_PASSWORD='Init-pass-2026' "$doudi" init >"$dir/init.log" 2>&1

# serve PATH TIMEOUT_MS LOG: doudi serve with the gateway at $gw/PATH
serve() {
    cat >"$dir/doudi.conf" <<CONF
sms-url = $gw/$1
sms-key = $key
sms-key-header = X-Api-Key
sms-timeout = $2
CONF
    DOUDI_CONFIG="$dir/doudi.conf" "$doudi" serve >"$3" 2>&1 &
    pid=$!
    wait_healthy "$3" "FAIL: serve did not start"
}
stop() {
    kill -TERM "$pid"
    wait "$pid" || true
    pid=
}
otp() {
    curl -s -o "$dir/reply" -w '%{http_code}' -H 'Content-Type: application/json' \
        -d "{\"phone\":\"$phone\"}" "$base/api/v1/citizen/otp"
}

serve ok 5000 "$dir/ok.log"
grep -q 'citizen portal: sign-in by phone sms' "$dir/ok.log" ||
    { echo "FAIL: the start does not say the phone sign-in is on"; cat "$dir/ok.log"; exit 1; }
[ "$(otp)" = 202 ] || { echo "FAIL: otp"; cat "$dir/reply"; exit 1; }
# what the gateway received
code=$(python3 - "$dir/gw.log" "$phone" "$key" <<'PY'
import json, re, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert len(lines) == 1, lines
r = json.loads(lines[0])
assert r["path"] == "/ok", r["path"]
h = {k.lower(): v for k, v in r["headers"].items()}
assert h["x-api-key"] == sys.argv[3], "the key header"
assert h["content-type"].startswith("application/json"), h["content-type"]
b = json.loads(r["body"])
assert b["phone"] == sys.argv[2], b
m = re.fullmatch("您的验证码是([0-9]{6})，5分钟内有效。", b["message"])
assert m, b["message"]
print(m.group(1))
PY
) || { echo "FAIL: the gateway's request"; cat "$dir/gw.log"; exit 1; }
# the code it got is the one that signs in
status=$(curl -s -o "$dir/reply" -w '%{http_code}' -H 'Content-Type: application/json' \
    -d "{\"phone\":\"$phone\",\"code\":\"$code\"}" "$base/api/v1/citizen/session")
[ "$status" = 201 ] || { echo "FAIL: the gateway's code does not sign in ($status)"; cat "$dir/reply"; exit 1; }
grep -q '"phone_masked":"138\*\*\*\*5678"' "$dir/reply" || { echo "FAIL: session"; cat "$dir/reply"; exit 1; }
stop
grep -q 'sms gateway: a code was sent to 138\*\*\*\*5678' "$dir/ok.log" ||
    { echo "FAIL: no log line of the code sent"; cat "$dir/ok.log"; exit 1; }

# refused PATH TIMEOUT_MS WHAT LOGGED: a gateway at $gw/PATH that fails
# (WHAT) makes the code's request 503 OTP_SEND_FAILED and the server log
# the masked phone with LOGGED
refused() {
    serve "$1" "$2" "$dir/$1.log"
    [ "$(otp)" = 503 ] || { echo "FAIL: $3 is not 503"; cat "$dir/reply"; exit 1; }
    grep -q '"OTP_SEND_FAILED"' "$dir/reply" || { echo "FAIL: reply"; cat "$dir/reply"; exit 1; }
    stop
    grep -q "sms gateway: the code for 138\\*\\*\\*\\*5678 $4" "$dir/$1.log" ||
        { echo "FAIL: no log line of $3"; cat "$dir/$1.log"; exit 1; }
}
# a gateway answering 500, then one slower than sms-timeout
refused fail 5000 "a 500 from the gateway" "was not accepted: HTTP 500"
refused slow 500 "a gateway past sms-timeout" "was not sent: Timeout"

# no log holds a code the gateway got, the key or the full phone
[ "$(wc -l <"$dir/gw.log")" -eq 3 ] || { echo "FAIL: the gateway got $(wc -l <"$dir/gw.log") requests, not 3"; exit 1; }
for c in $(python3 -c 'import json,re,sys
for l in open(sys.argv[1], encoding="utf-8"):
    print(re.search("[0-9]{6}", json.loads(json.loads(l)["body"])["message"]).group(0))' "$dir/gw.log"); do
    if grep -q "$c" "$dir/ok.log" "$dir/fail.log" "$dir/slow.log"; then
        echo "FAIL: a code is in the server log"; exit 1
    fi
done
if grep -qF -e "$key" -e "$phone" "$dir/ok.log" "$dir/fail.log" "$dir/slow.log"; then
    echo "FAIL: the key or the full phone is in the server log"; exit 1
fi

# the key from the environment or a flag is refused, by name
if DOUDI_SMS_KEY=x "$doudi" serve --check-config >"$dir/env.log" 2>&1; then
    echo "FAIL: sms-key taken from the environment"; exit 1
fi
grep -q 'setting sms-key: this secret is read from the config file only' "$dir/env.log" ||
    { echo "FAIL: the refusal does not name sms-key"; cat "$dir/env.log"; exit 1; }
echo "sms_gateway: the code reached the gateway in the template with the key header and signed in; 500 and a timeout were 503; no secret in the logs"
