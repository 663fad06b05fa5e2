#!/bin/sh
# SPDX-License-Identifier: MIT
# A file body (a household CSV import, a bank's return file) may reach
# upload-limit; every other request stops at body-limit. With body-limit
# 2 KiB and upload-limit 16 KiB, an 8 KiB body is 413 on the sign-in
# route and passes the size check on the two file routes (the session is
# checked next: 401), and a 32 KiB file body is 413.
# usage: upload_limit.sh DOUDI SOURCE_DIR
set -eu
db=u.db
. "$(dirname "$0")/lib/common.sh"
port=$(free_port)
export DOUDI_LISTEN="127.0.0.1:$port" DOUDI_ADMIN_PASSWORD='Upload-pass-2026'
export DOUDI_BODY_LIMIT=2048 DOUDI_UPLOAD_LIMIT=16384
base="http://127.0.0.1:$port"
"$doudi" init >"$dir/init.log" 2>&1 || { cat "$dir/init.log"; exit 1; }
"$doudi" serve >"$dir/serve.log" 2>&1 &
pid=$!
wait_healthy "$dir/serve.log" "server did not start"

head -c 8192 /dev/zero | tr '\0' 'a' >"$dir/8k"
head -c 32768 /dev/zero | tr '\0' 'a' >"$dir/32k"
# post PATH FILE: the status of a POST of FILE's bytes to PATH
post() {
    curl -s -o "$dir/reply" -w '%{http_code}' -H 'Content-Type: text/csv' \
        --data-binary "@$dir/$2" "$base$1"
}
expect() {
    got=$(post "$2" "$3")
    [ "$got" = "$1" ] || { echo "FAIL: POST $2 with $3 got $got, not $1"; cat "$dir/reply"; exit 1; }
}
expect 413 /api/v1/session 8k
grep -q BODY_TOO_LARGE "$dir/reply" || { echo "FAIL: no BODY_TOO_LARGE"; exit 1; }
expect 401 /api/v1/imports 8k
expect 401 '/api/v1/payment-batches/1/return?bank=yikatong-csv' 8k
expect 413 /api/v1/imports 32k
expect 413 '/api/v1/payment-batches/1/return?bank=yikatong-csv' 32k
echo "upload_limit: ok"
