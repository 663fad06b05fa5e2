#!/bin/sh
# SPDX-License-Identifier: MIT
# `cmake --install` of this build tree into a temporary prefix: the binary,
# the reference data, the web UI when the tree builds it, the systemd unit
# and its user. The installed doudi, run from a folder that is neither the
# source tree nor the prefix, with no data-dir or web-dir setting, finds
# its data and UI beside itself: `init` loads the reference data and
# `serve` answers /healthz and / (the UI's index.html when installed, the
# API's landing page otherwise). An explicit data-dir is still obeyed.
# usage: install.sh DOUDI SOURCE_DIR
set -eu
db=s.db
. "$(dirname "$0")/lib/common.sh"
unset DOUDI_DATA_DIR DOUDI_WEB_DIR DOUDI_CONFIG
prefix="$dir/prefix"
cmake --install "$(dirname "$doudi")" --prefix "$prefix" >"$dir/install.log" ||
    { echo "FAIL: cmake --install"; cat "$dir/install.log"; exit 1; }
for f in bin/doudi share/doudi/data/cn-holidays.csv \
    share/doudi/data/regions-chongqing.csv share/doudi/data/catalog/steps.csv \
    share/doudi/data/policy/params.csv lib/systemd/system/doudi.service \
    lib/sysusers.d/doudi.conf; do
    [ -f "$prefix/$f" ] || { echo "FAIL: $f not installed"; cat "$dir/install.log"; exit 1; }
done
[ -x "$prefix/bin/doudi" ] || { echo "FAIL: bin/doudi not executable"; exit 1; }
grep -q "^ExecStart=.*/bin/doudi serve$" "$prefix/lib/systemd/system/doudi.service" ||
    { echo "FAIL: the unit does not start doudi serve"; exit 1; }
for opt in User=doudi StateDirectory=doudi NoNewPrivileges=yes ProtectSystem=strict; do
    grep -q "^$opt$" "$prefix/lib/systemd/system/doudi.service" ||
        { echo "FAIL: the unit lacks $opt"; exit 1; }
done

mkdir "$dir/elsewhere"
cd "$dir/elsewhere"
export DOUDI_ADMIN_PASSWORD='Install-pass-2026'
"$prefix/bin/doudi" init >"$dir/init.log" 2>&1 ||
    { echo "FAIL: init from another folder"; cat "$dir/init.log"; exit 1; }
grep -q '^calendar: [1-9][0-9]* holiday' "$dir/init.log" ||
    { echo "FAIL: init loaded no calendar"; cat "$dir/init.log"; exit 1; }
"$prefix/bin/doudi" serve --check-config >"$dir/check.log"
grep -q "$prefix/bin/../share/doudi/data" "$dir/check.log" ||
    { echo "FAIL: data-dir is not the installed one"; cat "$dir/check.log"; exit 1; }

port=$(free_port)
export DOUDI_LISTEN="127.0.0.1:$port"
base="http://127.0.0.1:$port"
"$prefix/bin/doudi" serve >"$dir/serve.log" 2>&1 &
pid=$!
wait_healthy "$dir/serve.log" "FAIL: the installed server does not answer"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/healthz")" = 200 ] ||
    { echo "FAIL: /healthz"; exit 1; }
[ "$(curl -s -o "$dir/index" -w '%{http_code}' "$base/")" = 200 ] ||
    { echo "FAIL: / is not 200"; cat "$dir/serve.log"; exit 1; }
if [ -f "$prefix/share/doudi/web/index.html" ]; then
    cmp -s "$dir/index" "$prefix/share/doudi/web/index.html" ||
        { echo "FAIL: / is not the installed UI"; cat "$dir/serve.log"; exit 1; }
else
    grep -q '/api/v1' "$dir/index" || { echo "FAIL: / is not the landing page"; exit 1; }
fi
kill -TERM "$pid"
wait "$pid" || { echo "FAIL: the server did not stop cleanly"; exit 1; }
pid=

# an explicit setting wins over the installed folder
mkdir "$dir/empty"
if DOUDI_DATA_DIR="$dir/empty" DOUDI_DB="sqlite:$dir/other.db" \
    "$prefix/bin/doudi" init >"$dir/explicit.log" 2>&1; then
    echo "FAIL: init ignored an explicit data-dir"
    exit 1
fi
grep -q "$dir/empty" "$dir/explicit.log" ||
    { echo "FAIL: the error does not name the data-dir"; cat "$dir/explicit.log"; exit 1; }
echo "install: ok"
