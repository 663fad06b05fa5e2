#!/bin/sh
# SPDX-License-Identifier: MIT
# `doudi import households`: the template in UTF-8 and GB18030, broken rows
# each reported with its line and column, duplicates, an idempotent re-run
# that leaves the tables as they were, and a generated 100,000-row file.
# usage: import.sh DOUDI SOURCE_DIR
set -eu
doudi=$1 src=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export DOUDI_DB="sqlite:$dir/t.db" DOUDI_KEY_FILE="$dir/key"
export DOUDI_DATA_DIR="$src/data" DOUDI_ADMIN_PASSWORD='Chief-pass-2026'
"$doudi" init >/dev/null 2>&1

counts() {
    sqlite3 "$dir/t.db" "SELECT (SELECT count(*) FROM household) || ' ' ||
        (SELECT count(*) FROM person) || ' ' || (SELECT count(*) FROM income)"
}
expect() { # expect PATTERN TEXT
    if ! printf '%s\n' "$2" | grep -qF -- "$1"; then
        printf 'FAIL: expected "%s" in:\n%s\n' "$1" "$2"
        exit 1
    fi
}

# the template, converted to GB18030 (Excel's "CSV" on Chinese Windows)
iconv -f UTF-8 -t GB18030 "$src/docs/import-template.csv" >"$dir/gb.csv"
if cmp -s "$dir/gb.csv" "$src/docs/import-template.csv"; then
    echo "FAIL: iconv did not change the file"; exit 1
fi
out=$("$doudi" import households "$dir/gb.csv")
echo "$out"
expect "(GB18030), 5 rows" "$out"
expect "inserted 2, skipped 0, rejected 0" "$out"
[ "$(counts)" = "2 5 5" ] || { echo "FAIL: counts $(counts)"; exit 1; }
# names came through the conversion intact
[ "$(sqlite3 "$dir/t.db" "SELECT count(*) FROM person WHERE name='王秀英'")" = 1 ]

# a re-run, in either encoding, changes nothing
before=$(sqlite3 "$dir/t.db" "SELECT * FROM household; SELECT * FROM person; SELECT * FROM income")
out=$("$doudi" import households "$src/docs/import-template.csv")
echo "$out"
expect "(UTF-8), 5 rows" "$out"
expect "inserted 0, skipped 2, rejected 0" "$out"
out=$("$doudi" import households "$dir/gb.csv")
expect "inserted 0, skipped 2, rejected 0" "$out"
after=$(sqlite3 "$dir/t.db" "SELECT * FROM household; SELECT * FROM person; SELECT * FROM income")
[ "$before" = "$after" ] || { echo "FAIL: a re-run changed the tables"; exit 1; }

# export: masked by default; --unmask writes full numbers, leaves an audit
# row, and reads back with import into a fresh database
out=$("$doudi" export households 2>/dev/null)
expect "1,申请人,张伟,500103********1230,500103001003" "$out"
[ "$(printf '%s\n' "$out" | wc -l)" = 6 ] || { echo "FAIL: export rows"; exit 1; }
"$doudi" export households --region 500101 --unmask --out "$dir/u.csv" 2>/dev/null
expect "王秀英,500221195604154566,500101017200" "$(cat "$dir/u.csv")"
expect "50022119560415456642" "$(cat "$dir/u.csv")"
[ "$(wc -l <"$dir/u.csv")" = 3 ] || { echo "FAIL: region filter"; exit 1; }
[ "$(sqlite3 "$dir/t.db" "SELECT count(*) FROM audit WHERE action='export.unmask'")" = 1 ]
"$doudi" export households --unmask --out "$dir/all.csv" 2>/dev/null
DOUDI_DB="sqlite:$dir/t2.db" "$doudi" init >/dev/null 2>&1
out=$(DOUDI_DB="sqlite:$dir/t2.db" "$doudi" import households "$dir/all.csv")
expect "inserted 2, skipped 0, rejected 0" "$out"
"$doudi" export households --format xlsx --out "$dir/x.xlsx" 2>/dev/null
[ "$(head -c2 "$dir/x.xlsx")" = PK ] || { echo "FAIL: not an xlsx"; exit 1; }
if command -v python3 >/dev/null; then
    python3 -c 'import sys, zipfile
s = zipfile.ZipFile(sys.argv[1]).read("xl/worksheets/sheet1.xml").decode()
assert "王秀英" in s and "500221********4566" in s and "500221195604154566" not in s' "$dir/x.xlsx"
fi
if "$doudi" export households --format xlsx >/dev/null 2>&1; then
    echo "FAIL: xlsx without --out"; exit 1
fi

# broken rows, each named by line and column; the good households go in
head -1 "$src/docs/import-template.csv" >"$dir/bad.csv"
v=500103001003
cat >>"$dir/bad.csv" <<ROWS
B001,申请人,赵一,50010319900101111X,$v,$v,城镇,,,,,否,完全,高中,是,1500.00,,,,,
B002,申请人,钱二,500103199001012228,$v,$v,城镇,,,,,否,完全,高中,是,,,,,,
B003,申请人,孙三,500103199001012227,500103999999,$v,城镇,,,,,否,完全,高中,是,,,,,,
B004,申请人,李四
B005,申请人,周五,500103199001013334,$v,$v,城镇,,,,,否,完全,高中,是,12.345,,,,,
B006,申请人,吴六,500103199001012227,$v,$v,城镇,,,,,否,完全,高中,是,,,,,,
B006,子女,吴六,500103199001012227,$v,$v,城镇,,,,,否,无,学前,否,,,,,,
B007,申请人,郑七,500103199001013334,$v,$v,村里,,,,,否,完全,高中,是,,,,,,
B008,申请人,赵一,50010319900101111X,$v,$v,城镇,,,,,否,完全,高中,是,1500.00,,,,,
B009,配偶,冯九,500103199001013334,$v,$v,城镇,,,,,否,完全,高中,是,,,,,,
ROWS
out=$("$doudi" import households "$dir/bad.csv")
echo "$out"
expect "inserted 1, skipped 0, rejected 8" "$out"
expect "line 3, 公民身份号码: INVALID_ID_CHECKSUM" "$out"       # bad check character
expect "line 4, 现居住地区划代码: UNKNOWN_REGION" "$out" # no such village
expect "line 5, 公民身份号码: MISSING_COLUMN" "$out"    # a short row
expect "line 6, 工资性收入（元/月）: BAD_AMOUNT" "$out"  # three decimals
expect "line 8, 公民身份号码: DUPLICATE_MEMBER" "$out"  # the same person twice
expect "line 9, 城乡: UNKNOWN_CODE" "$out"
expect "line 10, 公民身份号码: DUPLICATE_IN_FILE" "$out" # B001 again
expect "line 11, 与申请人关系: ONE_APPLICANT" "$out"
[ "$(counts)" = "3 6 6" ] || { echo "FAIL: counts $(counts)"; exit 1; }
# a person already in another household is refused
sed -n '1p;3p' "$src/docs/import-template.csv" | sed 's/^H001,配偶/X001,申请人/' >"$dir/other.csv"
out=$("$doudi" import households "$dir/other.csv")
expect "line 2, 公民身份号码: PERSON_CONFLICT" "$out"
# out of the --scope prefix
out=$("$doudi" import households "$dir/bad.csv" --scope 500104)
expect "line 2, 现居住地区划代码: OUT_OF_SCOPE" "$out"
# neither UTF-8 nor GB18030
printf '户编号\n\200\377\n' >"$dir/bin.csv"
if "$doudi" import households "$dir/bin.csv" 2>"$dir/err"; then
    echo "FAIL: a binary file was accepted"; exit 1
fi
expect "neither UTF-8 nor GB18030" "$(cat "$dir/err")"
# a header without a required column
printf '户编号,姓名\nA,张三\n' >"$dir/hdr.csv"
if out=$("$doudi" import households "$dir/hdr.csv"); then
    echo "FAIL: a header without 公民身份号码 was accepted"; exit 1
fi
expect "line 1, 与申请人关系: MISSING_COLUMN" "$out"
# the audit chain holds, with one import.batch per committed batch
"$doudi" check | grep -q '^audit chain: intact'

# 100,000 rows (50,000 households of two)
awk -v n=50000 -f "$src/bench/import_gen.awk" >"$dir/big.csv"
start=$(date +%s)
out=$("$doudi" import households "$dir/big.csv")
secs=$(($(date +%s) - start))
echo "$out"
expect "100000 rows" "$out"
expect "inserted 50000, skipped 0, rejected 0" "$out"
[ "$(counts)" = "50003 100006 100006" ] || { echo "FAIL: counts $(counts)"; exit 1; }
[ "$(sqlite3 "$dir/t.db" "SELECT count(*) FROM audit WHERE action='import.batch'")" -ge 7 ]
echo "import: 100,000 rows in ${secs}s"
echo "import: ok"
