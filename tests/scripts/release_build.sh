#!/bin/sh
# SPDX-License-Identifier: MIT
# A plain Release build (-O3, GCC's format-truncation and other warnings
# that only optimisation finds) of the binary, with warnings as errors:
# the build a packager runs must be warning-free, not merely pass with
# -Werror off. In a tree of its own, in a temporary folder.
# usage: release_build.sh DOUDI SOURCE_DIR
set -eu
db=s.db
. "$(dirname "$0")/lib/common.sh"
cmake -S "$src" -B "$dir/release" -DCMAKE_BUILD_TYPE=Release \
    -DDOUDI_WERROR=ON -DDOUDI_WEB=OFF >"$dir/configure.log" 2>&1 ||
    { echo "FAIL: configure"; cat "$dir/configure.log"; exit 1; }
cmake --build "$dir/release" --target doudi -j2 >"$dir/build.log" 2>&1 ||
    { echo "FAIL: the Release build has warnings or errors"; grep -A8 -E 'warning|error' "$dir/build.log"; exit 1; }
"$dir/release/doudi" --version
