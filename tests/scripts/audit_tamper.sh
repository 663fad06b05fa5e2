#!/bin/sh
# SPDX-License-Identifier: MIT
# Tampering with an audit row in the database file is found by
# `doudi check`, which names the first broken row; so is a deleted row.
# usage: audit_tamper.sh DOUDI SOURCE_DIR
set -eu
db=t.db
. "$(dirname "$0")/lib/common.sh"
export DOUDI_ADMIN_PASSWORD='Chief-pass-2026'
export DOUDI_USER_PASSWORD='Clerk-pass-2026'

"$doudi" init >/dev/null
for t in 001 003 004; do
    "$doudi" user add "clerk.500103$t" --role town_clerk \
        --scope "500103$t" >/dev/null
done
out=$("$doudi" check)
echo "$out"
echo "$out" | grep -q '^database: ok (sqlite)$'
# init writes refdata.load, policy.load, calendar.load, catalog.load and
# the admin's user.create
echo "$out" | grep -q '^audit chain: intact, 8 rows$'

sqlite3 "$dir/t.db" "UPDATE audit SET detail='{\"forged\":true}' WHERE seq=3"
if out=$("$doudi" check); then
    echo "FAIL: check passed a tampered row: $out"
    exit 1
fi
echo "$out"
echo "$out" | grep -q 'BROKEN at row 3:'

# restore by re-initialising, then delete a row in the middle
rm -f "$dir/t.db" "$dir/t.db-wal" "$dir/t.db-shm"
"$doudi" init >/dev/null
"$doudi" user add clerk.500103001 --role town_clerk --scope 500103001 \
    >/dev/null
"$doudi" user add clerk.500103003 --role town_clerk --scope 500103003 \
    >/dev/null
sqlite3 "$dir/t.db" "DELETE FROM audit WHERE seq=2"
if out=$("$doudi" check); then
    echo "FAIL: check passed a chain with a deleted row: $out"
    exit 1
fi
echo "$out"
echo "$out" | grep -q 'BROKEN at row 2: a row is missing'
echo "audit_tamper: ok"
