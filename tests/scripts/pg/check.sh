#!/bin/sh
# SPDX-License-Identifier: MIT
# `doudi check` on PostgreSQL reads every table, the registry's included:
# a database whose data file for one of them is lost is found NOT
# consistent, table by table, while the intact one is ok. Runs against the
# throwaway cluster of the ctest fixture (DOUDI_TEST_PG_DIR/url). Databases
# are made and dropped from the maintenance database postgres: the store
# suite, running at the same time, ends every session on the cluster's
# own database.
# usage: check.sh DOUDI SOURCE_DIR
set -eu
doudi=$1 src=$2
url=$(cat "$DOUDI_TEST_PG_DIR/url")
base=${url%/*}
dir=$(mktemp -d)
sql() { # DATABASE SQL...
    db=$1
    shift
    psql -X -q -A -t -v ON_ERROR_STOP=1 "$base/$db" "$@"
}
cleanup() {
    for d in doudi_check doudi_check_copy; do
        sql postgres -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1 || true
    done
    rm -rf "$dir"
}
trap cleanup EXIT
export DOUDI_KEY_FILE="$dir/key" DOUDI_DATA_DIR="$src/data"
export DOUDI_ADMIN_PASSWORD='Chief-pass-2026'
export PGOPTIONS="-c client_min_messages=warning"

sql postgres -c "DROP DATABASE IF EXISTS doudi_check" \
    -c "CREATE DATABASE doudi_check"
DOUDI_DB="$base/doudi_check" "$doudi" init >/dev/null
out=$(DOUDI_DB="$base/doudi_check" "$doudi" check)
echo "$out"
echo "$out" | grep -q '^database: ok (postgresql)$'

for t in household person income asset obligor policy_param; do
    sql postgres -c "DROP DATABASE IF EXISTS doudi_check_copy" \
        -c "CREATE DATABASE doudi_check_copy TEMPLATE doudi_check"
    file=$(sql doudi_check_copy -c "SELECT current_setting('data_directory')
        || '/' || pg_relation_filepath('$t')")
    [ -f "$file" ] || { echo "FAIL: no data file for $t ($file)"; exit 1; }
    rm -f "$file"
    if out=$(DOUDI_DB="$base/doudi_check_copy" "$doudi" check 2>"$dir/err"); then
        echo "FAIL: check passed with the data file of $t lost: $out"
        exit 1
    fi
    echo "$t lost: $out"
    echo "$out" | grep -q '^database: NOT consistent'
done
echo "check_pg: ok"
