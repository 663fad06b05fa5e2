# SPDX-License-Identifier: MIT
# What every script test starts with, sourced after `set -eu` with the
# script's own arguments (DOUDI SOURCE_DIR) and db set to the database
# file's name: doudi and src; dir, a temporary directory removed at exit
# (a server the script started as pid is killed first); a SQLite store in
# dir with its key, on the shipped data; free_port, a free loopback
# port; wait_healthy, waiting for a started server to answer;
# session_cookie, a user's signed-in cookie; poll, a
# command retried until it succeeds; and demo_until_cases, a demo run
# until it has filed its cases.
doudi=$1 src=$2
dir=$(mktemp -d)
pid=
cleanup() {
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
    rm -rf "$dir"
}
trap cleanup EXIT
export DOUDI_DB="sqlite:$dir/$db" DOUDI_KEY_FILE="$dir/key"
export DOUDI_DATA_DIR="$src/data"
. "$(dirname "$0")/lib/server.sh"
# Runs the command $3... every 0.1 s until it succeeds (120 s at the
# most); else says $1, shows the log $2 and exits 1.
poll() {
    msg=$1 log=$2
    shift 2
    i=0
    until "$@"; do
        i=$((i + 1))
        [ $i -lt 1200 ] || { echo "$msg"; cat "$log"; exit 1; }
        sleep 0.1
    done
}
# Runs `doudi demo` (its log in $dir/demo.log) until it has filed its
# demo cases, then stops it: exits 1 unless it filed them and stopped
# cleanly.
demo_until_cases() {
    "$doudi" demo >"$dir/demo.log" 2>&1 &
    pid=$!
    poll "FAIL: no demo cases" "$dir/demo.log" grep -q '^demo cases:' "$dir/demo.log"
    kill -TERM "$pid"
    wait "$pid" || { echo "FAIL: the demo server did not stop cleanly"; exit 1; }
    pid=
}
