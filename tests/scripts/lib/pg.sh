# SPDX-License-Identifier: MIT
# What every PostgreSQL script test (tests/scripts/pg/) starts with,
# sourced after `set -eu` with the script's own arguments (DOUDI
# SOURCE_DIR) and dbs set to the databases it makes: doudi and src; base,
# the throwaway cluster of the ctest fixture (DOUDI_TEST_PG_DIR/url)
# without a database name; dir, a temporary directory with the key; sql,
# psql on one database; fresh_db, a database made anew. Databases are made
# and dropped from the maintenance database postgres: the store suite,
# running at the same time, ends every session on the cluster's own
# database. The databases in dbs and dir are removed at exit.
doudi=$1 src=$2
url=$(cat "$DOUDI_TEST_PG_DIR/url")
base=${url%/*}
dir=$(mktemp -d)
sql() { # DATABASE SQL...
    db=$1
    shift
    psql -X -q -A -t -v ON_ERROR_STOP=1 "$base/$db" "$@"
}
# Drops the database $1 if it is there and creates it anew, a copy of the
# database $2 when given. A copy is made file by file (STRATEGY FILE_COPY,
# after a checkpoint), not page by page through the shared buffers (the
# default, WAL_LOG): check.sh deletes a copy's data file, and a file
# deleted under pages still waiting for their fsync makes the next
# checkpoint PANIC and restart the cluster every test shares.
fresh_db() {
    sql postgres -c "DROP DATABASE IF EXISTS $1" \
        -c "CREATE DATABASE $1${2:+ TEMPLATE $2 STRATEGY FILE_COPY}"
}
cleanup() {
    for d in $dbs; do
        sql postgres -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1 || true
    done
    rm -rf "$dir"
}
trap cleanup EXIT
export DOUDI_KEY_FILE="$dir/key" DOUDI_DATA_DIR="$src/data"
export DOUDI_ADMIN_PASSWORD='Chief-pass-2026'
export PGOPTIONS="-c client_min_messages=warning"
