-- SPDX-License-Identifier: MIT
-- A city caseload for bench/payments_bench: @N@ active entitlements, one
-- per household, written straight into a database made by `doudi init`
-- (SQLite or PostgreSQL: the SQL is the subset both run; the bench
-- substitutes @N@, @NOW@, @FIRST@ and @LAST@). Spread over every
-- village of the 38 districts (village k = 1 + i*7919 mod villages);
-- programme shares
-- roughly those of a city (illustrative, not statistics): 低保 75 %, 特困
-- 13 %, 困难残疾人生活补贴 6 %, 重度残疾人护理补贴 4 %, 孤儿 1 %,
-- 事实无人抚养 1 %; amounts from data/policy/params.csv in force on
-- 2025-07-01 (低保: a gap of 20–99 % of the standard, urban 770 or rural
-- 630 yuan, per person; 特困 basic 1,001; 生活补贴 80; 护理补贴 grade 1
-- 90 or grade 2 80; 孤儿 and 事实无人抚养 scattered 1,651); 1–3 persons
-- for 低保, one otherwise; start months spread from @FIRST@ to @LAST@
-- (months as year * 12 + month - 1: the bench starts them all in the
-- month it builds, as a build pays back every month owed since the
-- start that has no line yet). Each entitlement has its
-- approved case item and application, and its payee is the household's
-- head (relation 0). ID numbers are placeholders (the hash and the
-- masked form only): nothing here reads them.
BEGIN;
CREATE TEMP TABLE v (k INTEGER PRIMARY KEY, code TEXT NOT NULL,
    urban INTEGER NOT NULL);
INSERT INTO v SELECT row_number() OVER (ORDER BY code), code,
    CASE WHEN name LIKE '%村民委员会%' THEN 0 ELSE 1 END
FROM region WHERE level = 'village';
CREATE TEMP TABLE g (i INTEGER PRIMARY KEY, village TEXT NOT NULL,
    urban INTEGER NOT NULL, item TEXT NOT NULL, persons INTEGER NOT NULL,
    amount INTEGER NOT NULL, start_idx INTEGER NOT NULL);
INSERT INTO g
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @N@),
c AS (SELECT count(*) AS c FROM v),
p AS (SELECT n.i, v.code, v.urban,
        CASE WHEN n.i % 100 < 75 THEN 'dibao'
             WHEN n.i % 100 < 88 THEN 'tekun'
             WHEN n.i % 100 < 94 THEN 'disability_living'
             WHEN n.i % 100 < 98 THEN 'disability_care'
             WHEN n.i % 100 = 98 THEN 'orphan'
             ELSE 'unsupported_child' END AS item,
        CASE WHEN n.i % 100 < 75 THEN 1 + n.i % 3 ELSE 1 END AS persons
    FROM n CROSS JOIN c JOIN v ON v.k = 1 + (CAST(n.i AS BIGINT) * 7919) % c.c)
SELECT i, code, urban, item, persons,
    CASE item
        WHEN 'dibao' THEN persons * ((CASE WHEN urban = 1 THEN 77000
            ELSE 63000 END) * (20 + (i * 13) % 80) / 10000 * 100)
        WHEN 'tekun' THEN 100100
        WHEN 'disability_living' THEN 8000
        WHEN 'disability_care' THEN CASE WHEN i % 2 = 0 THEN 9000
            ELSE 8000 END
        ELSE 165100 END,
    @LAST@ - (i * 31) % (@LAST@ - @FIRST@ + 1)
FROM p;
INSERT INTO household(id, county_code, region_code, hukou_region, address,
    status, version, created_at, updated_at, urban_or_rural)
SELECT i, substr(village, 1, 6), village, village, '', 'active', 1, @NOW@,
    @NOW@, CASE WHEN urban = 1 THEN 'urban' ELSE 'rural' END
FROM g;
-- members: the head (id i, relation 0), then a second (N + i, spouse)
-- and a third (2N + i, child) for the larger 低保 households
INSERT INTO person(id, county_code, household_id, id_hash, id_masked, name,
    sex, birth_date, relation, disability_category, disability_grade, id_enc)
SELECT i + m.k * @N@, substr(village, 1, 6), i,
    '000000000000000000000000000000000000000000000000000000'
        || CAST(1000000000 + i + m.k * @N@ AS TEXT),
    substr(village, 1, 6) || '********000' || CAST(m.k AS TEXT),
    CASE m.k WHEN 0 THEN '王' WHEN 1 THEN '李' ELSE '张' END
        || CAST(i AS TEXT),
    CASE WHEN (i + m.k) % 2 = 0 THEN 'M' ELSE 'F' END,
    CAST(CASE WHEN m.k = 2 THEN 2010 + i % 10
              WHEN item IN ('orphan', 'unsupported_child') THEN 2011 + i % 10
              WHEN item = 'tekun' THEN 1936 + i % 30
              ELSE 1946 + i % 40 END AS TEXT)
        || '-0' || CAST(1 + i % 9 AS TEXT) || '-1' || CAST(i % 10 AS TEXT),
    CASE m.k WHEN 0 THEN 0 WHEN 1 THEN 1 ELSE 2 END,
    CASE WHEN item IN ('disability_living', 'disability_care') AND m.k = 0
        THEN 4 ELSE 0 END,
    CASE WHEN item = 'disability_care' AND m.k = 0 THEN 1 + i % 2
         WHEN item = 'disability_living' AND m.k = 0 THEN 3 ELSE 0 END,
    'v2:'
FROM g JOIN (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2) m
    ON m.k < g.persons;
INSERT INTO application(id, case_no, county_code, household_id, channel,
    intake_region, intake_user, query_code_hash, applied_on, created_at)
SELECT i, 'G' || CAST(100000000000000 + i AS TEXT), substr(village, 1, 6),
    i, 'window', substr(village, 1, 9), 'gen',
    '000000000000000000000000000000000000000000000000000000'
        || CAST(1000000000 + i AS TEXT),
    CAST((start_idx - 1) / 12 AS TEXT) || '-'
        || substr(CAST(101 + (start_idx - 1) % 12 AS TEXT), 2) || '-05',
    @NOW@
FROM g;
INSERT INTO case_item(id, application_id, county_code, household_id,
    village_code, intake_region, item_code, catalog_version, owner_region,
    owner_department, step, state, accepted_on, deadline, step_started_on,
    step_deadline, version, decision, amount_fen, closed_on, created_at,
    updated_at)
SELECT g.i, g.i, a.county_code, g.i, g.village, a.intake_region, g.item, 1,
    a.intake_region, 'civil', 'closed', 'closed', a.applied_on,
    a.applied_on, a.applied_on, a.applied_on, 1, 'approved', g.amount,
    a.applied_on, @NOW@, @NOW@
FROM g JOIN application a ON a.id = g.i;
INSERT INTO entitlement(id, county_code, household_id, item_code,
    case_item_id, monthly_fen, start_month, end_month, created_at, state,
    version, amount_fen, region_code, payee_person_id, stop_reason)
SELECT i, substr(village, 1, 6), i, item, i, amount,
    CAST(start_idx / 12 AS TEXT) || '-'
        || substr(CAST(101 + start_idx % 12 AS TEXT), 2),
    '', @NOW@, 'active', 1, amount, village, i, ''
FROM g;
COMMIT;
