#!/bin/sh
# SPDX-License-Identifier: MIT
# `doudi gen --store` into PostgreSQL, where the registry's rows go in by
# COPY: the checks of ../lib/gen_store_checks.sh, on the throwaway
# cluster of the ctest fixture.
# usage: gen_store.sh DOUDI SOURCE_DIR
set -eu
dbs=doudi_gen_store
. "$(dirname "$0")/../lib/pg.sh"
fresh_db doudi_gen_store
export DOUDI_DB="$base/doudi_gen_store"
q() { sql doudi_gen_store -c "$1"; }
dump() {
    for t in household person income asset obligor audit; do
        sql doudi_gen_store -c "SELECT $t::text FROM $t"
    done
}
. "$(dirname "$0")/../lib/gen_store_checks.sh"
echo "gen_store_pg: ok"
