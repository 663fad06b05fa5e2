#!/bin/sh
# SPDX-License-Identifier: MIT
# `doudi demo`'s caseload after approval (issue 13 §7, cli/demo_payments.c):
# entitlements in both demo counties with their payees' accounts, the 23
# months before this one paid in closed batches (built, checked, approved,
# exported, reconciled, the failures reissued and paid), this month's
# batches waiting for approval, a death with its overpayment owed and part
# repaid, reviews due this month, the payments officers among the logins,
# and `doudi check` finding it all as audited.
# usage: demo_payments.sh DOUDI SOURCE_DIR
set -eu
db=s.db
. "$(dirname "$0")/lib/common.sh"
port=$(free_port)
export DOUDI_LISTEN="127.0.0.1:$port" DOUDI_DEMO_HOUSEHOLDS=2000
# 1,000 caseload households a township (4,000 by default): a quicker run
export DOUDI_DEMO_CASELOAD=1000
export DOUDI_DEMO_PASSWORD='Demo-pass-2026' DOUDI_CONFIG=
demo_until_cases
fail() { echo "FAIL: $*"; grep '^demo caseload:' "$dir/demo.log" || true; exit 1; }
q() { sqlite3 "$dir/s.db" "$1"; }
grep -q '^demo caseload: [0-9]* entitlements' "$dir/demo.log" ||
    fail "no caseload line"
for u in payments.500103 checker.500103 approver.500103 payments.500101 \
    checker.500101 approver.500101; do
    grep -q "^  $u  *payments_officer" "$dir/demo.log" || fail "no login $u"
done
month=$(q "SELECT strftime('%Y-%m', 'now', '+8 hours')")
ents=$(q "SELECT count(*) FROM entitlement e
    WHERE e.region_code LIKE '500103001%' OR e.region_code LIKE '500101001%'")
[ "$ents" -ge 200 ] || fail "$ents entitlements in the demo townships"
items=$(q "SELECT count(DISTINCT item_code) FROM entitlement")
[ "$items" -ge 4 ] || fail "$items programmes"
# every month before this one closed in both counties, 23 months
for c in 500103 500101; do
    m=$(q "SELECT count(DISTINCT month) FROM payment_batch
        WHERE county_code = '$c' AND kind = 'regular' AND state = 'closed'")
    [ "$m" = 23 ] || fail "$c: $m months of closed batches, not 23"
done
open=$(q "SELECT count(*) FROM payment_batch WHERE month < '$month'
    AND state <> 'closed'")
[ "$open" = 0 ] || fail "$open batches of past months not closed"
# this month's: checked, waiting for approval
waiting=$(q "SELECT count(*) FROM payment_batch WHERE month = '$month'
    AND state = 'checked'")
other=$(q "SELECT count(*) FROM payment_batch WHERE month = '$month'
    AND state <> 'checked'")
[ "$waiting" -ge 1 ] && [ "$other" = 0 ] ||
    fail "this month: $waiting batches checked, $other in another state"
# the failures reissued once each and paid (the return writes only its
# exceptions: a closed batch's line still 'pending' was paid); nothing
# paid twice
failed=$(q "SELECT count(*) FROM payment_line WHERE status = 'failed'")
repaid=$(q "SELECT count(*) FROM payment_line r
    JOIN payment_line f ON f.id = r.reissue_of
    JOIN payment_batch b ON b.id = r.batch_id
    WHERE f.status = 'failed' AND r.status IN ('paid', 'pending')
    AND b.kind = 'reissue'
    AND b.state = 'closed'")
[ "$failed" -ge 1 ] && [ "$repaid" = "$failed" ] ||
    fail "$failed lines failed, $repaid reissued and paid"
twice=$(q "SELECT count(*) FROM (SELECT entitlement_id, month
    FROM payment_line WHERE status <> 'failed'
    GROUP BY entitlement_id, month HAVING count(*) > 1)")
[ "$twice" = 0 ] || fail "$twice (entitlement, month) paid twice"
bad=$(q "SELECT count(*) FROM payment_batch b WHERE b.total_fen <>
    (SELECT coalesce(sum(amount_fen), 0) FROM payment_line l
     WHERE l.batch_id = b.id)")
[ "$bad" = 0 ] || fail "$bad batches whose total is not their lines' sum"
# the death: the entitlement suspended, its two months after owed, one
# repaid
[ "$(q "SELECT count(*) FROM person_death")" = 1 ] || fail "no death"
[ "$(q "SELECT count(*) FROM entitlement WHERE state = 'suspended'")" = 1 ] ||
    fail "no suspended entitlement"
set -- $(q "SELECT sum(CASE kind WHEN 'owed' THEN amount_fen ELSE 0 END),
    sum(CASE kind WHEN 'repaid' THEN amount_fen ELSE 0 END)
    FROM recovery_entry e JOIN recovery r ON r.id = e.recovery_id
    WHERE r.cause = 'death'" | tr '|' ' ')
[ "${1:-0}" -gt 0 ] && [ "$2" -gt 0 ] && [ $(($1 - $2)) -gt 0 ] ||
    fail "recovery owed ${1:-0}, repaid ${2:-0}"
# reviews due this month
due=$(q "SELECT count(*) FROM review WHERE state = 'open'
    AND substr(due_day, 1, 7) = '$month'")
[ "$due" -ge 1 ] || fail "no review due in $month"
"$doudi" check >"$dir/check.out" 2>&1 ||
    { cat "$dir/check.out"; fail "doudi check"; }
echo "demo caseload: $ents entitlements, $failed failures reissued, $waiting batches waiting, $due reviews due"
