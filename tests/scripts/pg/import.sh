#!/bin/sh
# SPDX-License-Identifier: MIT
# `doudi import households` into PostgreSQL, where a batch's households of
# new people go in by COPY and the rest row by row: the same files are
# imported into SQLite and into PostgreSQL, and each import must say the
# same and leave the same rows. The files: the template (members,
# incomes, assets, an obligor, contact values), then one whose batch
# mixes new households with a household repeating an applicant above it
# (DUPLICATE_IN_FILE) and one sharing a member with another
# (PERSON_CONFLICT), each file twice (the re-run skips what is stored).
# Runs against the throwaway cluster of the ctest fixture.
# usage: import.sh DOUDI SOURCE_DIR
set -eu
dbs=doudi_import
. "$(dirname "$0")/../lib/pg.sh"
fresh_db doudi_import
pg="$base/doudi_import" lite="sqlite:$dir/t.db"
DOUDI_DB=$pg "$doudi" init >/dev/null
DOUDI_DB=$lite "$doudi" init >/dev/null 2>&1

v=500103001003
head -1 "$src/docs/import-template.csv" | cut -d, -f1-9 >"$dir/mixed.csv"
cat >>"$dir/mixed.csv" <<ROWS
M001,成员,申请人,赵一,50010319900101111X,$v,$v,城镇,
M002,成员,申请人,孙三,500103199001012227,$v,$v,农村,
M003,成员,申请人,赵一,50010319900101111X,$v,$v,城镇,
M004,成员,申请人,周五,500103199001013334,$v,$v,城镇,
M004,成员,配偶,孙三,500103199001012227,$v,$v,城镇,
ROWS

# the rows as stored, without what is sealed (a fresh nonce each time)
# and without the ids (PostgreSQL's are taken in blocks): each row named
# by its household's first member and its own, the references by name
rows() { # STORE
    q="SELECT p.id_hash, h.region_code, h.address, h.urban_or_rural,
        h.status, h.version, h.contact_phone_masked, h.bank_account_masked
        FROM household h JOIN person p ON p.household_id = h.id
        AND p.id = (SELECT min(id) FROM person WHERE household_id = h.id)
        ORDER BY 1;
    SELECT p.id_hash, coalesce(p.active_id_hash, ''), p.id_masked, p.name,
        p.sex, p.birth_date, p.relation, p.disability_category,
        p.disability_grade, p.major_illness, p.work_capacity, p.schooling,
        p.employed, p.selfcare_unable, f.id_hash
        FROM person p JOIN person f ON f.household_id = p.household_id
        AND f.id = (SELECT min(id) FROM person WHERE household_id = p.household_id)
        ORDER BY 1, 15;
    SELECT p.id_hash, i.kind, i.monthly_fen FROM income i
        JOIN person p ON p.id = i.person_id ORDER BY 1, 2;
    SELECT f.id_hash, coalesce(o.name, ''), a.kind, a.value_fen, a.count,
        a.area_dm2, a.exempt FROM asset a
        JOIN person f ON f.household_id = a.household_id
        AND f.id = (SELECT min(id) FROM person WHERE household_id = a.household_id)
        LEFT JOIN person o ON o.id = a.owner_person_id ORDER BY 1, 3;
    SELECT p.id_hash, o.relation, o.name, o.birth_date, o.flags,
        o.income_monthly_fen FROM obligor o
        JOIN person p ON p.id = o.of_person_id ORDER BY 1, 3"
    if [ "$1" = pg ]; then
        sql doudi_import -c "$q" -F'|'
    else
        sqlite3 "$dir/t.db" "$q"
    fi
}

for f in "$src/docs/import-template.csv" "$src/docs/import-template.csv" \
    "$dir/mixed.csv" "$dir/mixed.csv"; do
    a=$(DOUDI_DB=$lite "$doudi" import households "$f" 2>/dev/null | grep -v '^doudi import:')
    b=$(DOUDI_DB=$pg "$doudi" import households "$f" 2>/dev/null | grep -v '^doudi import:')
    echo "$b"
    [ "$a" = "$b" ] || { printf 'FAIL: SQLite said\n%s\n' "$a"; exit 1; }
    rows pg >"$dir/b"
    [ "$(wc -l <"$dir/b")" -ge 17 ] || { echo "FAIL: rows read"; exit 1; }
    [ "$(rows sqlite)" = "$(cat "$dir/b")" ] || {
        echo "FAIL: the stored rows differ"
        rows sqlite >"$dir/a"
        diff "$dir/a" "$dir/b"
        exit 1
    }
done
# the mixed file's first run, then its re-run
out=$(DOUDI_DB=$pg "$doudi" import households "$dir/mixed.csv" 2>/dev/null)
echo "$out" | grep -qF 'inserted 0, updated 0, skipped 3, rejected 1'
echo "$out" | grep -qF 'line 6, 公民身份号码: PERSON_CONFLICT'
[ "$(sql doudi_import -c "SELECT count(*) FROM household")" = 4 ]
[ "$(sql doudi_import -c "SELECT count(*) FROM person")" = 7 ]
out=$(DOUDI_DB=$pg "$doudi" check)
echo "$out"
echo "$out" | grep -q '^audit chain: intact'
echo "import_pg: ok"
