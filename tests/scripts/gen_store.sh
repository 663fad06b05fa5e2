#!/bin/sh
# SPDX-License-Identifier: MIT
# `doudi gen --store` into SQLite: the checks of lib/gen_store_checks.sh.
# usage: gen_store.sh DOUDI SOURCE_DIR
set -eu
db=g.db
. "$(dirname "$0")/lib/common.sh"
export DOUDI_ADMIN_PASSWORD='Chief-pass-2026'
q() { sqlite3 "$dir/g.db" "$1"; }
dump() { cat "$dir"/g.db*; }
. "$(dirname "$0")/lib/gen_store_checks.sh"
echo "gen_store: ok"
