#!/bin/sh
# SPDX-License-Identifier: MIT
# `doudi check` on PostgreSQL reads every table, the registry's included:
# a database whose data file for one of them is lost is found NOT
# consistent, table by table, while the intact one is ok. Runs against the
# throwaway cluster of the ctest fixture (tests/scripts/lib/pg.sh).
# usage: check.sh DOUDI SOURCE_DIR
set -eu
dbs="doudi_check doudi_check_copy"
. "$(dirname "$0")/../lib/pg.sh"

fresh_db doudi_check
DOUDI_DB="$base/doudi_check" "$doudi" init >/dev/null
out=$(DOUDI_DB="$base/doudi_check" "$doudi" check)
echo "$out"
echo "$out" | grep -q '^database: ok (postgresql)$'

for t in household person income asset obligor policy_param; do
    fresh_db doudi_check_copy doudi_check
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
