#!/bin/sh
# SPDX-License-Identifier: MIT
# `doudi import households`: the template (members, assets, an obligor) in
# UTF-8 and GB18030, broken rows each reported with its line and column,
# duplicates, an idempotent re-run that leaves the tables as they were, a
# household's rows apart in the file, a changed household updated with a
# new version, the export read back (round trip), and a generated
# 100,000-row file.
# usage: import.sh DOUDI SOURCE_DIR
set -eu
db=t.db
. "$(dirname "$0")/lib/common.sh"
export DOUDI_ADMIN_PASSWORD='Chief-pass-2026'
"$doudi" init >/dev/null 2>&1

counts() { # households persons incomes assets obligors [DB]
    sqlite3 "${1:-$dir/t.db}" "SELECT (SELECT count(*) FROM household) || ' ' ||
        (SELECT count(*) FROM person) || ' ' || (SELECT count(*) FROM income)
        || ' ' || (SELECT count(*) FROM asset) || ' ' ||
        (SELECT count(*) FROM obligor)"
}
# mkrow COLUMN=VALUE...: a row in the template's columns
mkrow() {
    printf '%s\n' "$@" | awk -v hdr="$(head -1 "$src/docs/import-template.csv")" '
        BEGIN { n = split(hdr, h, ",") }
        { i = index($0, "="); val[substr($0, 1, i - 1)] = substr($0, i + 1) }
        END { for (i = 1; i <= n; i++) printf "%s%s", (i > 1 ? "," : ""), val[h[i]]; print "" }'
}
snapshot() {
    sqlite3 "$dir/t.db" "SELECT * FROM household; SELECT * FROM person;
        SELECT * FROM income; SELECT * FROM asset; SELECT * FROM obligor"
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
expect "(GB18030), 8 rows" "$out"
expect "inserted 2, updated 0, skipped 0, rejected 0" "$out"
[ "$(counts)" = "2 5 7 2 1" ] || { echo "FAIL: counts $(counts)"; exit 1; }
# the contact phone and bank account: sealed (never in clear), masked
[ "$(sqlite3 "$dir/t.db" "SELECT contact_phone_masked || ' ' ||
    bank_account_masked FROM household WHERE bank_account_enc LIKE 'v2:%'
    AND contact_phone_enc LIKE 'v2:%' AND length(contact_phone_hash) = 64")" = \
  "138****5678 6222***********0123" ] || { echo "FAIL: contact"; exit 1; }
if grep -q 6222021234567890123 "$dir/t.db"; then
    echo "FAIL: a bank account in clear in the database"; exit 1
fi
# names came through the conversion intact
[ "$(sqlite3 "$dir/t.db" "SELECT count(*) FROM person WHERE name='王秀英'")" = 1 ]
# the asset and obligor rows, the exempt incomes and the self-care items
[ "$(sqlite3 "$dir/t.db" "SELECT kind, value_fen, count, area_dm2, exempt,
    owner_person_id FROM asset ORDER BY id" | tr '\n' ' ')" = \
  "0|1200000|1|0|0| 3|42000000|1|7850|0|1 " ] || { echo "FAIL: assets"; exit 1; }
[ "$(sqlite3 "$dir/t.db" "SELECT o.relation, o.name, o.birth_date, o.flags,
    o.income_monthly_fen, p.name FROM obligor o JOIN person p
    ON p.id = o.of_person_id")" = "2|刘小红|1985-03-02|2|150000|王秀英" ] ||
    { echo "FAIL: obligor"; exit 1; }
[ "$(sqlite3 "$dir/t.db" "SELECT p.name || ':' || i.kind || ':' ||
    i.monthly_fen FROM income i JOIN person p ON p.id = i.person_id
    WHERE i.kind >= 6 ORDER BY i.kind")" = "$(printf '刘建国:11:15000\n王秀英:12:10000')" ] ||
    { echo "FAIL: exempt incomes"; exit 1; }
[ "$(sqlite3 "$dir/t.db" "SELECT selfcare_unable FROM person WHERE name='王秀英'")" = 48 ]

# a re-run, in either encoding, changes nothing
before=$(snapshot)
out=$("$doudi" import households "$src/docs/import-template.csv")
echo "$out"
expect "(UTF-8), 8 rows" "$out"
expect "inserted 0, updated 0, skipped 2, rejected 0" "$out"
out=$("$doudi" import households "$dir/gb.csv")
expect "inserted 0, updated 0, skipped 2, rejected 0" "$out"
[ "$before" = "$(snapshot)" ] || { echo "FAIL: a re-run changed the tables"; exit 1; }

# export: masked by default; --unmask writes full numbers, leaves an audit
# row, and reads back with import: into a fresh database it gives the same
# export (the round trip), into this one it changes nothing
out=$("$doudi" export households 2>/dev/null)
expect "1,成员,申请人,张伟,500103********1230,500103001003" "$out"
expect ",500103********1230,,住房,420000.00,1,78.50,否," "$out"
[ "$(printf '%s\n' "$out" | wc -l)" = 9 ] || { echo "FAIL: export rows"; exit 1; }
"$doudi" export households --region 500101 --unmask --out "$dir/u.csv" 2>/dev/null
expect "王秀英,500221195604154566,500101017200" "$(cat "$dir/u.csv")"
expect "50022119560415456642" "$(cat "$dir/u.csv")"
expect "2,义务人,,刘小红," "$(cat "$dir/u.csv")"
expect ",500221195604154566,子女,,,,,,1985-03-02,1500.00,低保对象" "$(cat "$dir/u.csv")"
[ "$(wc -l <"$dir/u.csv")" = 4 ] || { echo "FAIL: region filter"; exit 1; }
[ "$(sqlite3 "$dir/t.db" "SELECT count(*) FROM audit WHERE action='export.unmask'")" = 1 ]
# every export leaves exactly one audit row with its counts and the SM3
# of the bytes written, to standard output or to the file
audit_of() { sqlite3 "$dir/t.db" "SELECT detail FROM audit WHERE action='$1' ORDER BY seq DESC LIMIT 1"; }
sm3_of() { openssl dgst -sm3 -r "$1" | cut -d' ' -f1; }
[ "$(sqlite3 "$dir/t.db" "SELECT count(*) FROM audit WHERE action='export.households'")" = 1 ] ||
    { echo "FAIL: the masked export is not audited"; exit 1; }
expect "\"sm3\":\"$(sm3_of "$dir/u.csv")\"" "$(audit_of export.unmask)"
expect '"region":"500101","unmask":true,"households":1,"rows":3' "$(audit_of export.unmask)"
"$doudi" export households --region 500103 >"$dir/m.csv" 2>/dev/null
expect "\"sm3\":\"$(sm3_of "$dir/m.csv")\"" "$(audit_of export.households)"
expect '"region":"500103","unmask":false' "$(audit_of export.households)"
[ "$(sqlite3 "$dir/t.db" "SELECT actor || ' ' || object || ' ' || region FROM audit WHERE action='export.households' ORDER BY seq DESC LIMIT 1")" = "cli export 500103" ] ||
    { echo "FAIL: the export's audit row"; exit 1; }
"$doudi" export households --unmask --out "$dir/all.csv" 2>/dev/null
DOUDI_DB="sqlite:$dir/t2.db" "$doudi" init >/dev/null 2>&1
out=$(DOUDI_DB="sqlite:$dir/t2.db" "$doudi" import households "$dir/all.csv")
expect "inserted 2, updated 0, skipped 0, rejected 0" "$out"
[ "$(counts "$dir/t2.db")" = "2 5 7 2 1" ] || { echo "FAIL: round trip counts"; exit 1; }
DOUDI_DB="sqlite:$dir/t2.db" "$doudi" export households --unmask --out "$dir/all2.csv" 2>/dev/null
# the same rows in the same order; the household numbers (ids, new in the
# fresh database) compared as the order each first appears in
renumber() {
    awk -F, -v OFS=, 'NR > 1 { if (!($1 in n)) n[$1] = ++k; $1 = n[$1] } 1' "$1"
}
[ "$(renumber "$dir/all.csv")" = "$(renumber "$dir/all2.csv")" ] ||
    { echo "FAIL: export -> import -> export differs"; exit 1; }
out=$("$doudi" import households "$dir/all.csv")
expect "inserted 0, updated 0, skipped 2, rejected 0" "$out"
[ "$before" = "$(snapshot)" ] || { echo "FAIL: re-importing the export changed the tables"; exit 1; }
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

# a changed household is updated (a new version, an audit row); the
# changed file again changes nothing. H001's wages rise, H002 gains a
# child, loses its obligor and adds a vehicle
v=500103001003 w=500101017200
sed -e 's/,2100.00,/,2300.00,/' -e '/^H002,义务人/d' \
    "$src/docs/import-template.csv" >"$dir/changed.csv"
{
    mkrow 户编号=H002 与申请人关系=子女 姓名=刘小军 公民身份号码=500103199001013334 \
        "工资性收入（元/月）=1900.00"
    mkrow 户编号=H002 行类型=资产 资产类别=车辆 "资产价值（元）=30000"
} >>"$dir/changed.csv"
out=$("$doudi" import households "$dir/changed.csv")
echo "$out"
expect "inserted 0, updated 2, skipped 0, rejected 0" "$out"
[ "$(counts)" = "2 6 8 3 0" ] || { echo "FAIL: counts $(counts)"; exit 1; }
[ "$(sqlite3 "$dir/t.db" "SELECT group_concat(version) FROM household")" = "2,2" ]
[ "$(sqlite3 "$dir/t.db" "SELECT i.monthly_fen FROM income i JOIN person p
    ON p.id = i.person_id WHERE p.name='张伟'")" = 230000 ]
[ "$(sqlite3 "$dir/t.db" "SELECT count(*) FROM audit
    WHERE action='household.update' AND object IN ('household:1', 'household:2')")" = 2 ]
before=$(snapshot)
out=$("$doudi" import households "$dir/changed.csv")
expect "inserted 0, updated 0, skipped 2, rejected 0" "$out"
[ "$before" = "$(snapshot)" ] || { echo "FAIL: an unchanged re-run changed the tables"; exit 1; }
# back to the template: updated again
out=$("$doudi" import households "$src/docs/import-template.csv")
expect "inserted 0, updated 2, skipped 0, rejected 0" "$out"
[ "$(counts)" = "2 5 7 2 1" ] || { echo "FAIL: counts $(counts)"; exit 1; }

# moving H001 into a scope that does not hold it: refused, not updated
sed '/^H001/s/500103001003/500101017200/g' "$src/docs/import-template.csv" >"$dir/moved.csv"
out=$("$doudi" import households "$dir/moved.csv" --scope 500101)
expect "inserted 0, updated 0, skipped 1, rejected 1" "$out"
expect "line 2, 公民身份号码: PERSON_CONFLICT" "$out"

# 城乡 按区县 (or blank): the household follows its hukou district
# (domain.md §7.1), accepted where the district sets one standard for all
# residents (南岸 500108, urban from 2023-09) and refused where each
# household decides (渝中 500103)
n=500108001002
{
    head -1 "$src/docs/import-template.csv"
    mkrow 户编号=Q001 与申请人关系=申请人 姓名=区一 公民身份号码=500108199001011234 \
        现居住地区划代码=$n 户籍地区划代码=$n
    mkrow 户编号=Q002 与申请人关系=申请人 姓名=区二 公民身份号码=500108199001012173 \
        现居住地区划代码=$n 户籍地区划代码=$n 城乡=按区县
    mkrow 户编号=Q003 与申请人关系=申请人 姓名=区三 公民身份号码=500103199001013123 \
        现居住地区划代码=$v 户籍地区划代码=$v 城乡=district
} >"$dir/district.csv"
DOUDI_DB="sqlite:$dir/t5.db" "$doudi" init >/dev/null 2>&1
out=$(DOUDI_DB="sqlite:$dir/t5.db" "$doudi" import households "$dir/district.csv")
echo "$out"
expect "inserted 2, updated 0, skipped 0, rejected 1" "$out"
expect "line 4, 城乡: DISTRICT_AREA_MIXED" "$out"
[ "$(sqlite3 "$dir/t5.db" "SELECT group_concat(urban_or_rural) FROM household")" = "district,district" ]
out=$(DOUDI_DB="sqlite:$dir/t5.db" "$doudi" export households 2>/dev/null)
expect ",500108001002,500108001002,按区县," "$out"

# a household's rows need not be consecutive: N001's spouse and deposit
# come after N002; asset and obligor rows that name no member, or lack a
# kind or a relation, are rejected on their line and column
{
    head -1 "$src/docs/import-template.csv"
    mkrow 户编号=N001 与申请人关系=申请人 姓名=陈一 公民身份号码=110101199003074477 \
        现居住地区划代码=$v 户籍地区划代码=$v 城乡=城镇
    mkrow 户编号=N002 与申请人关系=申请人 姓名=陈二 公民身份号码=110101199003072631 \
        现居住地区划代码=$v 户籍地区划代码=$v 城乡=城镇
    mkrow 户编号=N001 行类型=资产 资产类别=存款 "资产价值（元）=5000.00"
    mkrow 户编号=N001 与申请人关系=配偶 姓名=陈一妻 公民身份号码=110101199103071521 \
        "工资性收入（元/月）=800.00"
    mkrow 户编号=N003 与申请人关系=申请人 姓名=陈三 公民身份号码=110101199003079518 \
        现居住地区划代码=$v 户籍地区划代码=$v 城乡=城镇
    mkrow 户编号=N003 行类型=资产 资产类别=车辆 所属成员身份号码=110101199003070003
    mkrow 户编号=N004 与申请人关系=申请人 姓名=陈四 公民身份号码=110101199003076050 \
        现居住地区划代码=$v 户籍地区划代码=$v 城乡=城镇
    mkrow 户编号=N004 行类型=义务人 姓名=陈父 所属成员身份号码=110101199003076050
    mkrow 户编号=N005 与申请人关系=申请人 姓名=陈五 公民身份号码=110101199003077598 \
        现居住地区划代码=$v 户籍地区划代码=$v 城乡=城镇
    mkrow 户编号=N005 行类型=资产 资产类别=金条
} >"$dir/apart.csv"
out=$("$doudi" import households "$dir/apart.csv")
echo "$out"
expect "inserted 2, updated 0, skipped 0, rejected 3" "$out"
expect "line 7, 所属成员身份号码: NO_SUCH_MEMBER" "$out"
expect "line 9, 与所属成员关系: MISSING_FIELD" "$out"
expect "line 11, 资产类别: UNKNOWN_CODE" "$out"
[ "$(sqlite3 "$dir/t.db" "SELECT count(*) FROM person p JOIN household h
    ON h.id = p.household_id JOIN asset a ON a.household_id = h.id
    WHERE p.name IN ('陈一', '陈一妻') AND a.value_fen = 500000")" = 2 ]
# rows further apart than the window: the household was written without
# them, and the late row is NON_CONSECUTIVE
{
    awk -v n=4100 -f "$src/bench/import_gen.awk" | sed -n 1p
    echo "Z001,申请人,远一,110101199003074450,$v,$v,城镇,,,,,,,,,,,,,,"
    awk -v n=4100 -f "$src/bench/import_gen.awk" | sed 1d
    echo "Z001,配偶,远二,110101199103074423,$v,$v,城镇,,,,,,,,,,,,,,"
} >"$dir/far.csv"
DOUDI_DB="sqlite:$dir/t3.db" "$doudi" init >/dev/null 2>&1
out=$(DOUDI_DB="sqlite:$dir/t3.db" "$doudi" import households "$dir/far.csv")
expect "inserted 4101, updated 0, skipped 0, rejected 1" "$out"
expect "line 8203, 户编号: NON_CONSECUTIVE" "$out"

# broken rows (in the first layout: members only, six incomes), each named
# by line and column; the good households go in
echo "户编号,与申请人关系,姓名,公民身份号码,现居住地区划代码,户籍地区划代码,城乡,现居住地址,残疾类别,残疾等级,残疾证号,重病,劳动能力,就学,就业,工资性收入（元/月）,经营净收入（元/月）,财产净收入（元/月）,转移性收入（元/月）,转移性支出（元/月）,刚性支出（元/月）" >"$dir/bad.csv"
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
expect "inserted 1, updated 0, skipped 0, rejected 8" "$out"
expect "line 3, 公民身份号码: INVALID_ID_CHECKSUM" "$out"       # bad check character
expect "line 4, 现居住地区划代码: UNKNOWN_REGION" "$out" # no such village
expect "line 5, 公民身份号码: MISSING_COLUMN" "$out"    # a short row
expect "line 6, 工资性收入（元/月）: BAD_AMOUNT" "$out"  # three decimals
expect "line 8, 公民身份号码: DUPLICATE_MEMBER" "$out"  # the same person twice
expect "line 9, 城乡: UNKNOWN_CODE" "$out"
expect "line 10, 公民身份号码: DUPLICATE_IN_FILE" "$out" # B001 again
expect "line 11, 与申请人关系: ONE_APPLICANT" "$out"
[ "$(counts)" = "5 9 9 3 1" ] || { echo "FAIL: counts $(counts)"; exit 1; }
# a person already in another household is refused, also as an applicant
sed -n '1p;3p' "$src/docs/import-template.csv" |
    sed 's/^H001,成员,配偶/X001,成员,申请人/' >"$dir/other.csv"
out=$("$doudi" import households "$dir/other.csv")
expect "line 2, 公民身份号码: PERSON_CONFLICT" "$out"
# out of the --scope prefix
out=$("$doudi" import households "$dir/bad.csv" --scope 500104)
expect "line 2, 现居住地区划代码: OUT_OF_SCOPE" "$out"
# a contact phone or bank account not in form, naming its column
sed -n '1p;2p' "$src/docs/import-template.csv" |
    sed 's/^H001/P001/; s/,13812345678,/,12345678901,/' >"$dir/phone.csv"
out=$("$doudi" import households "$dir/phone.csv")
expect "line 2, 联系电话: INVALID_VALUE" "$out"
sed -n '1p;2p' "$src/docs/import-template.csv" |
    sed 's/^H001/P001/; s/,6222021234567890123$/,62220212345/' >"$dir/bank.csv"
out=$("$doudi" import households "$dir/bank.csv")
expect "line 2, 收款银行账号: INVALID_VALUE" "$out"
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
out=$("$doudi" check)
expect "audit chain: intact" "$out"
expect "rows: as audited" "$out"

# 100,000 rows (50,000 households of two), into a database of their own
awk -v n=50000 -f "$src/bench/import_gen.awk" >"$dir/big.csv"
DOUDI_DB="sqlite:$dir/t4.db" "$doudi" init >/dev/null 2>&1
start=$(date +%s)
out=$(DOUDI_DB="sqlite:$dir/t4.db" "$doudi" import households "$dir/big.csv")
secs=$(($(date +%s) - start))
echo "$out"
expect "100000 rows" "$out"
expect "inserted 50000, updated 0, skipped 0, rejected 0" "$out"
[ "$(counts "$dir/t4.db")" = "50000 100000 100000 0 0" ] || { echo "FAIL: counts"; exit 1; }
[ "$(sqlite3 "$dir/t4.db" "SELECT count(*) FROM audit WHERE action='import.batch'")" -ge 1 ]
echo "import: 100,000 rows in ${secs}s"
echo "import: ok"
