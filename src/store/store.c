/* SPDX-License-Identifier: MIT */
/* The store's front: opening a URL, the connection pool, transactions, the
 * statement table and the typed operations, written once over the backend
 * function table (struct store_ops) so both backends behave alike. */
#include "store/store.h"

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "domain/catalog.h"
#include "store/store_internal.h"

#define POOL_MAX 256

/* The columns each row mapper reads, in order. */
#define REGION_COLS "code, name, level, parent_code"
#define USER_COLS                                                              \
    "id, username, display_name, pw_hash, role, department, scope, "           \
    "failed_logins, locked_until, disabled, created_at"
#define SESSION_COLS "token_hash, user_id, csrf_token, created_at, last_seen_at"
#define TOKEN_COLS                                                             \
    "id, name, token_hash, role, department, scope, created_at, revoked"
#define AUDIT_COLS                                                             \
    "seq, at, actor, action, object, region, request_id, detail, "             \
    "prev_hash, hash"
#define POLICY_COLS                                                            \
    "id, key, region_code, effective_from, value, unit, source, "             \
    "confidence, created_at, created_by"
#define HOUSEHOLD_COLS                                                         \
    "id, county_code, region_code, hukou_region, address, urban_or_rural, "   \
    "status, version, created_at, updated_at"
#define PERSON_COLS                                                            \
    "id, household_id, county_code, id_hash, id_enc, id_masked, "             \
    "CASE WHEN active_id_hash IS NULL THEN 0 ELSE 1 END, name, sex, "         \
    "birth_date, relation, disability_category, disability_grade, "           \
    "disability_card_enc, major_illness, work_capacity, schooling, "          \
    "employed, selfcare_unable"
#define ASSET_COLS                                                             \
    "id, household_id, county_code, coalesce(owner_person_id, 0), kind, "     \
    "value_fen, count, area_dm2, exempt"
#define OBLIGOR_COLS                                                           \
    "id, household_id, county_code, of_person_id, relation, name, "           \
    "birth_date, disability_category, disability_grade, flags, "              \
    "income_monthly_fen"
#define CATALOG_COLS                                                           \
    "code, version, effective_from, name_zh, name_en, department, "           \
    "decide_level, template, statutory_days, statutory_unit, "                \
    "promised_days, visits_required, fully_online, cross_region_mode, "       \
    "program, start_rule, materials, source, created_by, created_at, "        \
    "step_limits"
#define APPLICATION_COLS                                                       \
    "id, case_no, county_code, household_id, channel, intake_region, "        \
    "intake_user, query_code_hash, applied_on, missing, created_at, "         \
    "coalesce(citizen_hash, '')"
#define CASE_ITEM_COLS                                                         \
    "c.id, c.application_id, c.county_code, c.household_id, c.village_code, " \
    "c.intake_region, c.item_code, c.catalog_version, c.owner_region, "       \
    "c.owner_department, c.step, c.state, c.accepted_on, c.deadline, "        \
    "c.deadline_uncovered, c.step_started_on, c.step_deadline, "              \
    "c.paused_since, c.paused_working_days, c.version, c.decision, "          \
    "c.amount_fen, c.reasons, c.missing, c.visits, c.spot_check, "            \
    "c.closed_on, c.created_at, c.updated_at, a.case_no"
#define CASE_EVENT_COLS                                                        \
    "id, case_item_id, county_code, seq, step_from, step_to, action, actor, " \
    "role, region, at, day, reasons, fields, visit"
#define REFERRAL_COLS                                                          \
    "id, case_item_id, county_code, department, region, sent_at, "            \
    "accepted_at, answered_at, result"
#define ENTITLEMENT_COLS                                                       \
    "id, county_code, household_id, item_code, case_item_id, monthly_fen, "   \
    "start_month, end_month, state, created_at"
#define PUBLICITY_COLS                                                         \
    "id, case_item_id, county_code, village_code, item_code, masked_name, "   \
    "household_size, amount_fen, start_day, end_day, state, created_at"
/* A case item with its application's channel and day, its decision day,
 * its entitlement (zeros when none) and its explanation (columns 30-39
 * after CASE_ITEM_COLS; read by case_history_each) */
#define CASE_HISTORY_SELECT                                                    \
    "SELECT " CASE_ITEM_COLS ", a.channel, a.applied_on,"                     \
    " CASE WHEN c.decision = '' THEN '' ELSE coalesce((SELECT max(e.day)"     \
    " FROM case_event e WHERE e.case_item_id = c.id AND (e.step_to ="         \
    " 'notify' OR (e.step_to = 'closed' AND e.step_from <> 'notify'))),"      \
    " c.closed_on) END, coalesce(n.id, 0), coalesce(n.monthly_fen, 0),"       \
    " coalesce(n.start_month, ''), coalesce(n.end_month, ''),"                \
    " coalesce(n.state, ''), coalesce(n.created_at, 0), c.explanation"        \
    " FROM case_item c JOIN application a ON a.id = c.application_id"         \
    " LEFT JOIN entitlement n ON n.case_item_id = c.id"
#define AUDIT_LIST_TAIL                                                        \
    " AND (?4 = 0 OR at >= ?4) AND (?5 = 0 OR at <= ?5)"                       \
    " AND (?7 IS NULL OR substr(region, 1, length(?7)) = ?7)"                  \
    " ORDER BY seq LIMIT ?6"

#define CITIZEN_OTP_COLS                                                       \
    "phone_hash, phone_enc, code_hash, created_at, expires_at, attempts"
#define CITIZEN_SESSION_COLS                                                   \
    "token_hash, phone_hash, phone_enc, phone_masked, csrf_token,"             \
    " created_at, expires_at"

const struct stmt_text store_stmts[STMT__MAX] = {
    /* the health check */
    [STMT_PING] = {.sql = "SELECT 1"},
    /* the engine's own consistency check: "ok", or the first problem.
     * PostgreSQL checks pages itself as it reads them (and checksums when
     * the cluster has them); there it reads every row of every table in
     * the schema once, as SQLite's quick_check does (the registry's and
     * any table a later migration adds), one query per table through
     * query_to_xml since a table name cannot be a parameter */
    [STMT_INTEGRITY] =
        {.sqlite = "PRAGMA quick_check(1)",
         .pg = "SELECT CASE WHEN count(*) > 0 AND bool_and(query_to_xml("
               "format('SELECT count(t.*) FROM %I.%I t', schemaname,"
               " tablename), false, true, '') IS NOT NULL) THEN 'ok' END"
               " FROM pg_catalog.pg_tables"
               " WHERE schemaname = current_schema()"},
    /* 1 when the schema_version table exists */
    [STMT_SCHEMA_EXISTS] =
        {.sqlite = "SELECT count(*) FROM sqlite_schema"
                   " WHERE type = 'table' AND name = 'schema_version'",
         .pg = "SELECT count(*) FROM pg_catalog.pg_tables"
               " WHERE schemaname = current_schema()"
               " AND tablename = 'schema_version'"},
    /* the newest applied migration */
    [STMT_SCHEMA_VERSION] =
        {.sql = "SELECT coalesce(max(version), 0) FROM schema_version"},
    /* records one applied migration */
    [STMT_SCHEMA_RECORD] =
        {.sql = "INSERT INTO schema_version(version, applied_at)"
                " VALUES (?1, ?2)"},
    /* serialises migrators (SQLite: BEGIN IMMEDIATE already does) */
    [STMT_MIGRATE_LOCK] = {.pg = "SELECT pg_advisory_xact_lock(4470831001)",
                           .sqlite_noop = 1},
    /* upserts a region */
    [STMT_REGION_PUT] =
        {.sql = "INSERT INTO region(" REGION_COLS ") VALUES (?1, ?2, ?3, ?4)"
                " ON CONFLICT(code) DO UPDATE SET name = excluded.name,"
                " level = excluded.level,"
                " parent_code = excluded.parent_code"},
    /* one region by code */
    [STMT_REGION_GET] = {.sql = "SELECT " REGION_COLS
                                " FROM region WHERE code = ?1"},
    /* a page of children of a region, after a cursor code */
    [STMT_REGION_CHILDREN] = {.sql = "SELECT " REGION_COLS " FROM region"
                                     " WHERE parent_code = ?1 AND code > ?2"
                                     " ORDER BY code LIMIT ?3"},
    /* every region in code order */
    [STMT_REGION_EACH] = {.sql = "SELECT " REGION_COLS
                                 " FROM region ORDER BY code"},
    /* upserts a zone's township */
    [STMT_ZONE_PUT] =
        {.sql = "INSERT INTO zone_township(zone, zone_name, township_code)"
                " VALUES (?1, ?2, ?3) ON CONFLICT(zone, township_code)"
                " DO UPDATE SET zone_name = excluded.zone_name"},
    /* every zone township, by zone then township */
    [STMT_ZONE_EACH] =
        {.sql = "SELECT zone, zone_name, township_code FROM zone_township"
                " ORDER BY zone, township_code"},
    /* a new user; returns the id */
    [STMT_USER_INSERT] =
        {.sql = "INSERT INTO app_user(username, display_name, pw_hash, role,"
                " department, scope, failed_logins, locked_until, disabled,"
                " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                " RETURNING id"},
    /* one user by id */
    [STMT_USER_GET] = {.sql =
                           "SELECT " USER_COLS " FROM app_user WHERE id = ?1"},
    /* one user by username */
    [STMT_USER_GET_BY_NAME] = {.sql = "SELECT " USER_COLS
                                      " FROM app_user WHERE username = ?1"},
    /* rewrites every mutable field of a user */
    [STMT_USER_UPDATE] =
        {.sql = "UPDATE app_user SET display_name = ?2, pw_hash = ?3,"
                " role = ?4, department = ?5, scope = ?6,"
                " failed_logins = ?7, locked_until = ?8, disabled = ?9"
                " WHERE id = ?1 RETURNING id"},
    /* a page of users after a cursor id */
    [STMT_USER_LIST] = {.sql =
                            "SELECT " USER_COLS " FROM app_user WHERE id > ?1"
                            " ORDER BY id LIMIT ?2"},
    /* a new session */
    [STMT_SESSION_INSERT] = {.sql = "INSERT INTO session(" SESSION_COLS ")"
                                    " VALUES (?1, ?2, ?3, ?4, ?5)"},
    /* one session by token hash */
    [STMT_SESSION_GET] = {.sql = "SELECT " SESSION_COLS
                                 " FROM session WHERE token_hash = ?1"},
    /* a session with its user, for authenticating a request */
    [STMT_SESSION_AUTH] =
        {.sql = "SELECT s.token_hash, s.user_id, s.csrf_token, s.created_at,"
                " s.last_seen_at, u.id, u.username, u.display_name,"
                " u.pw_hash, u.role, u.department, u.scope, u.failed_logins,"
                " u.locked_until, u.disabled, u.created_at"
                " FROM session s JOIN app_user u ON u.id = s.user_id"
                " WHERE s.token_hash = ?1"},
    /* records activity on a session */
    [STMT_SESSION_TOUCH] =
        {.sql = "UPDATE session SET last_seen_at = ?2 WHERE token_hash = ?1"
                " RETURNING user_id"},
    /* ends one session */
    [STMT_SESSION_DELETE] = {.sql = "DELETE FROM session WHERE token_hash = ?1"
                                    " RETURNING user_id"},
    /* ends every session of a user */
    [STMT_SESSION_DELETE_USER] = {.sql =
                                      "DELETE FROM session WHERE user_id = ?1"},
    /* a new API token; returns the id */
    [STMT_API_TOKEN_INSERT] =
        {.sql = "INSERT INTO api_token(name, token_hash, role, department,"
                " scope, created_at, revoked) VALUES (?1, ?2, ?3, ?4, ?5,"
                " ?6, ?7) RETURNING id"},
    /* one API token by token hash */
    [STMT_API_TOKEN_GET] = {.sql = "SELECT " TOKEN_COLS
                                   " FROM api_token WHERE token_hash = ?1"},
    /* serialises audit appends (SQLite: BEGIN IMMEDIATE already does) */
    [STMT_AUDIT_LOCK] = {.pg = "SELECT pg_advisory_xact_lock(4470831002)",
                         .sqlite_noop = 1},
    /* the last audit row */
    [STMT_AUDIT_TAIL] =
        {.sql = "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"},
    /* appends an audit row */
    [STMT_AUDIT_INSERT] = {.sql = "INSERT INTO audit(" AUDIT_COLS
                                  ") VALUES (?1, ?2, ?3, ?4,"
                                  " ?5, ?6, ?7, ?8, ?9, ?10)"},
    /* audit rows after a cursor, any actor and object (?2, ?3 NULL) */
    [STMT_AUDIT_LIST] =
        {.sql = "SELECT " AUDIT_COLS " FROM audit WHERE seq > ?1"
                " AND (?2 IS NULL OR actor = ?2)"
                " AND (?3 IS NULL OR object = ?3)" AUDIT_LIST_TAIL},
    /* audit rows of one actor (uses the (actor, seq) index) */
    [STMT_AUDIT_LIST_ACTOR] =
        {.sql =
             "SELECT " AUDIT_COLS " FROM audit WHERE actor = ?2"
             " AND seq > ?1 AND (?3 IS NULL OR object = ?3)" AUDIT_LIST_TAIL},
    /* audit rows of one object (uses the (object, seq) index) */
    [STMT_AUDIT_LIST_OBJECT] =
        {.sql = "SELECT " AUDIT_COLS " FROM audit WHERE object = ?3"
                " AND seq > ?1 AND (?2 IS NULL OR actor = ?2)" AUDIT_LIST_TAIL},
    /* a new version of a policy parameter; returns the id. There is no
     * UPDATE or DELETE for policy_param: versions are append-only */
    [STMT_POLICY_INSERT] =
        {.sql = "INSERT INTO policy_param(key, region_code, effective_from,"
                " value, unit, source, confidence, created_at, created_by)"
                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id"},
    /* every policy version, by key, region and date */
    [STMT_POLICY_EACH] = {.sql = "SELECT " POLICY_COLS " FROM policy_param"
                                 " ORDER BY key, region_code, effective_from"},
    /* a new household; returns the id */
    [STMT_HOUSEHOLD_INSERT] =
        {.sql = "INSERT INTO household(county_code, region_code, hukou_region,"
                " address, urban_or_rural, status, version, created_at,"
                " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?8)"
                " RETURNING id"},
    /* one household by id */
    [STMT_HOUSEHOLD_GET] = {.sql = "SELECT " HOUSEHOLD_COLS
                                   " FROM household WHERE id = ?1"},
    /* rewrites a household if its version is still ?2; returns the new one */
    [STMT_HOUSEHOLD_UPDATE] =
        {.sql = "UPDATE household SET county_code = ?3, region_code = ?4,"
                " hukou_region = ?5, address = ?6, urban_or_rural = ?7,"
                " status = ?8, updated_at = ?9, version = version + 1"
                " WHERE id = ?1 AND version = ?2 RETURNING version"},
    /* frees the members of a household that is no longer active */
    [STMT_HOUSEHOLD_DEACTIVATE_MEMBERS] =
        {.sql = "UPDATE person SET active_id_hash = NULL"
                " WHERE household_id = ?1"},
    /* a page of households under a region prefix, after a cursor id */
    [STMT_HOUSEHOLD_LIST] =
        {.sql = "SELECT " HOUSEHOLD_COLS " FROM household WHERE id > ?2"
                " AND substr(region_code, 1, length(?1)) = ?1"
                " ORDER BY id LIMIT ?3"},
    /* the households that ever held a person with this blind index */
    [STMT_HOUSEHOLD_BY_ID_HASH] =
        {.sql = "SELECT DISTINCT household_id FROM person WHERE id_hash = ?1"
                " ORDER BY household_id DESC LIMIT ?2"},
    /* a full replace starts by removing members (incomes cascade), ... */
    [STMT_HOUSEHOLD_CLEAR_PERSONS] =
        {.sql = "DELETE FROM person WHERE household_id = ?1"},
    /* ... assets ... */
    [STMT_HOUSEHOLD_CLEAR_ASSETS] =
        {.sql = "DELETE FROM asset WHERE household_id = ?1"},
    /* ... and obligors */
    [STMT_HOUSEHOLD_CLEAR_OBLIGORS] =
        {.sql = "DELETE FROM obligor WHERE household_id = ?1"},
    /* the household where this person is active (at most one: unique) */
    [STMT_PERSON_ACTIVE_HOUSEHOLD] =
        {.sql = "SELECT household_id FROM person WHERE active_id_hash = ?1"},
    /* a new member; ?4 is the blind index again while active, else NULL */
    [STMT_PERSON_INSERT] =
        {.sql = "INSERT INTO person(household_id, county_code, id_hash,"
                " active_id_hash, id_enc, id_masked, name, sex, birth_date,"
                " relation, disability_category, disability_grade,"
                " disability_card_enc, major_illness, work_capacity,"
                " schooling, employed, selfcare_unable) VALUES (?1, ?2, ?3,"
                " ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
                " ?17, ?18) RETURNING id"},
    /* the members of a household */
    [STMT_PERSON_LIST] = {.sql = "SELECT " PERSON_COLS " FROM person"
                                 " WHERE household_id = ?1 ORDER BY id"
                                 " LIMIT ?2"},
    /* removes one member (incomes cascade) */
    [STMT_PERSON_DELETE] =
        {.sql = "DELETE FROM person WHERE household_id = ?1 AND id = ?2"
                " RETURNING id"},
    /* a member's monthly income of one kind */
    [STMT_INCOME_INSERT] =
        {.sql = "INSERT INTO income(person_id, county_code, kind, monthly_fen)"
                " VALUES (?1, ?2, ?3, ?4) RETURNING id"},
    /* the incomes of a household's members */
    [STMT_INCOME_LIST] =
        {.sql = "SELECT i.id, i.person_id, i.county_code, i.kind,"
                " i.monthly_fen FROM income i JOIN person p"
                " ON p.id = i.person_id WHERE p.household_id = ?1"
                " ORDER BY i.id LIMIT ?2"},
    /* an asset of a household; owner ?3 = 0 is joint (NULL) */
    [STMT_ASSET_INSERT] =
        {.sql = "INSERT INTO asset(household_id, county_code, owner_person_id,"
                " kind, value_fen, count, area_dm2, exempt) VALUES (?1, ?2,"
                " NULLIF(?3, 0), ?4, ?5, ?6, ?7, ?8) RETURNING id"},
    /* the assets of a household */
    [STMT_ASSET_LIST] = {.sql = "SELECT " ASSET_COLS " FROM asset"
                                " WHERE household_id = ?1 ORDER BY id"
                                " LIMIT ?2"},
    /* a support obligor of a member */
    [STMT_OBLIGOR_INSERT] =
        {.sql = "INSERT INTO obligor(household_id, county_code, of_person_id,"
                " relation, name, birth_date, disability_category,"
                " disability_grade, flags, income_monthly_fen) VALUES (?1,"
                " ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id"},
    /* the obligors of a household */
    [STMT_OBLIGOR_LIST] = {.sql = "SELECT " OBLIGOR_COLS " FROM obligor"
                                  " WHERE household_id = ?1 ORDER BY id"
                                  " LIMIT ?2"},
    /* upserts one day of the holiday calendar */
    [STMT_HOLIDAY_PUT] =
        {.sql = "INSERT INTO holiday(date, is_off_day, name, source)"
                " VALUES (?1, ?2, ?3, ?4) ON CONFLICT(date) DO UPDATE SET"
                " is_off_day = excluded.is_off_day, name = excluded.name,"
                " source = excluded.source"},
    /* every marked day, in date order */
    [STMT_HOLIDAY_EACH] = {.sql = "SELECT date, is_off_day, name, source"
                                  " FROM holiday ORDER BY date"},
    /* a new one-time code for a phone, replacing the earlier one */
    [STMT_CITIZEN_OTP_PUT] =
        {.sql = "INSERT INTO citizen_otp(phone_hash, phone_enc, code_hash,"
                " created_at, expires_at, attempts)"
                " VALUES (?1, ?2, ?3, ?4, ?5, 0) ON CONFLICT(phone_hash)"
                " DO UPDATE SET phone_enc = excluded.phone_enc,"
                " code_hash = excluded.code_hash,"
                " created_at = excluded.created_at,"
                " expires_at = excluded.expires_at, attempts = 0"},
    /* counts one attempt and returns the row after it */
    [STMT_CITIZEN_OTP_ATTEMPT] =
        {.sql = "UPDATE citizen_otp SET attempts = attempts + 1"
                " WHERE phone_hash = ?1 RETURNING " CITIZEN_OTP_COLS},
    /* a used code */
    [STMT_CITIZEN_OTP_DELETE] = {.sql = "DELETE FROM citizen_otp"
                                        " WHERE phone_hash = ?1"},
    /* codes long expired */
    [STMT_CITIZEN_OTP_PURGE] = {.sql = "DELETE FROM citizen_otp"
                                       " WHERE expires_at < ?1"},
    /* a new citizen session */
    [STMT_CITIZEN_SESSION_INSERT] =
        {.sql = "INSERT INTO citizen_session(" CITIZEN_SESSION_COLS ")"
                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"},
    /* one citizen session by token hash */
    [STMT_CITIZEN_SESSION_GET] = {.sql = "SELECT " CITIZEN_SESSION_COLS
                                         " FROM citizen_session"
                                         " WHERE token_hash = ?1"},
    /* sign-out */
    [STMT_CITIZEN_SESSION_DELETE] =
        {.sql = "DELETE FROM citizen_session WHERE token_hash = ?1"
                " RETURNING created_at"},
    /* sessions past their lifetime */
    [STMT_CITIZEN_SESSION_PURGE] = {.sql = "DELETE FROM citizen_session"
                                           " WHERE expires_at < ?1"},
    /* a household and everything under it in one pass: column 0 tags the
     * part (0 household, 1 member, 2 income, 3 asset, 4 obligor), then 11
     * integer and 8 text columns (HOUSEHOLD_READ_* below). No ORDER BY:
     * the reader files each row by its tag and puts each part in id order
     * itself, so neither engine sorts (the arms walk their indexes) */
    [STMT_HOUSEHOLD_READ] =
        {.sql = "SELECT 0, id, version, created_at, updated_at, NULL, NULL,"
                " NULL, NULL, NULL, NULL, NULL, county_code, region_code,"
                " hukou_region, address, urban_or_rural, status, NULL, NULL"
                " FROM household WHERE id = ?1"
                " UNION ALL SELECT 1, id, household_id,"
                " CASE WHEN active_id_hash IS NULL THEN 0 ELSE 1 END,"
                " relation, disability_category, disability_grade,"
                " major_illness, work_capacity, schooling, employed,"
                " selfcare_unable, county_code, id_hash, id_enc, id_masked,"
                " name, sex, birth_date, disability_card_enc"
                " FROM person WHERE household_id = ?1"
                " UNION ALL SELECT 2, i.id, i.person_id, i.kind,"
                " i.monthly_fen, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
                " i.county_code, NULL, NULL, NULL, NULL, NULL, NULL, NULL"
                " FROM person p JOIN income i ON i.person_id = p.id"
                " WHERE p.household_id = ?1"
                " UNION ALL SELECT 3, id, household_id,"
                " coalesce(owner_person_id, 0), kind, value_fen, count,"
                " area_dm2, exempt, NULL, NULL, NULL, county_code, NULL,"
                " NULL, NULL, NULL, NULL, NULL, NULL"
                " FROM asset WHERE household_id = ?1"
                " UNION ALL SELECT 4, id, household_id, of_person_id,"
                " relation, disability_category, disability_grade, flags,"
                " income_monthly_fen, NULL, NULL, NULL, county_code, name,"
                " birth_date, NULL, NULL, NULL, NULL, NULL"
                " FROM obligor WHERE household_id = ?1"},
    /* a page of households under any of a list of prefixes (?1, a JSON
     * array of digit strings) and a region prefix ?4, after a cursor id:
     * each prefix is a range of the region index ('9' < ';'; codes sort
     * bytewise, COLLATE "C" on PostgreSQL), the ids found are then read
     * in id order */
    [STMT_HOUSEHOLD_LIST_IN] =
        {.sqlite = "SELECT " HOUSEHOLD_COLS " FROM household WHERE id IN"
                   " (SELECT h.id FROM json_each(?1) AS p JOIN household h"
                   " ON h.region_code >= p.value"
                   " AND h.region_code < p.value || ';' WHERE h.id > ?2)"
                   " AND substr(region_code, 1, length(?4)) = ?4"
                   " ORDER BY id LIMIT ?3",
         .pg = "SELECT " HOUSEHOLD_COLS " FROM household WHERE id IN"
               " (SELECT h.id FROM json_array_elements_text(CAST(?1 AS json))"
               " AS p(v) JOIN household h"
               " ON h.region_code >= p.v COLLATE \"C\""
               " AND h.region_code < (p.v || ';') COLLATE \"C\""
               " WHERE h.id > ?2)"
               " AND substr(region_code, 1, length(?4)) = ?4"
               " ORDER BY id LIMIT ?3"},
    /* rewrites a member in place (a full replace keeps member ids) */
    [STMT_PERSON_UPDATE] =
        {.sql = "UPDATE person SET county_code = ?3, id_enc = ?4,"
                " id_masked = ?5, name = ?6, sex = ?7, birth_date = ?8,"
                " relation = ?9, disability_category = ?10,"
                " disability_grade = ?11, disability_card_enc = ?12,"
                " major_illness = ?13, work_capacity = ?14, schooling = ?15,"
                " employed = ?16, selfcare_unable = ?17"
                " WHERE household_id = ?1 AND id = ?2 RETURNING id"},
    /* a member's incomes, before they are written anew */
    [STMT_INCOME_DELETE_PERSON] = {.sql =
                                       "DELETE FROM income WHERE person_id = ?1"},
    /* the importer's bulk load (src/io/import.c): 1 GiB of pages, so the
     * blind indexes' random pages stay cached between batches */
    [STMT_IMPORT_CACHE] = {.sqlite = "PRAGMA cache_size = -1048576"},
    /* ... and the WAL checkpointed every 64k pages rather than 1,000 */
    [STMT_IMPORT_CHECKPOINT] = {.sqlite = "PRAGMA wal_autocheckpoint = 65536"},
    /* ... and statement journals in memory: once one outgrows 64 KiB it
     * goes to a temporary file, and every later statement of the
     * transaction then writes each page it touches there */
    [STMT_IMPORT_TEMP_STORE] = {.sqlite = "PRAGMA temp_store = MEMORY"},
    /* a new member unless the person is active already (the unique index
     * on active_id_hash decides: no row is written, and nothing fails).
     * The importer's inserts return their id on PostgreSQL; on SQLite,
     * where RETURNING builds a temporary table per row, STMT_IMPORT_LAST_ID
     * reads it after */
    [STMT_IMPORT_PERSON_INSERT] =
        {.sql = "INSERT INTO person(household_id, county_code, id_hash,"
                " active_id_hash, id_enc, id_masked, name, sex, birth_date,"
                " relation, disability_category, disability_grade,"
                " disability_card_enc, major_illness, work_capacity,"
                " schooling, employed, selfcare_unable) VALUES (?1, ?2, ?3,"
                " ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
                " ?17, ?18) ON CONFLICT DO NOTHING",
         .pg = "INSERT INTO person(household_id, county_code, id_hash,"
               " active_id_hash, id_enc, id_masked, name, sex, birth_date,"
               " relation, disability_category, disability_grade,"
               " disability_card_enc, major_illness, work_capacity,"
               " schooling, employed, selfcare_unable) VALUES (?1, ?2, ?3,"
               " ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
               " ?17, ?18) ON CONFLICT DO NOTHING RETURNING id"},
    /* undoes a household this transaction inserted (children cascade) */
    [STMT_IMPORT_HOUSEHOLD_DELETE] =
        {.sql = "DELETE FROM household WHERE id = ?1"},
    /* a new household (see STMT_IMPORT_PERSON_INSERT for the id) */
    [STMT_IMPORT_HOUSEHOLD_INSERT] =
        {.sql = "INSERT INTO household(county_code, region_code, hukou_region,"
                " address, urban_or_rural, status, version, created_at,"
                " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?8)",
         .pg = "INSERT INTO household(county_code, region_code, hukou_region,"
               " address, urban_or_rural, status, version, created_at,"
               " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?8)"
               " RETURNING id"},
    /* a member's monthly income of one kind; its id is not needed */
    [STMT_IMPORT_INCOME_INSERT] =
        {.sql = "INSERT INTO income(person_id, county_code, kind, monthly_fen)"
                " VALUES (?1, ?2, ?3, ?4)"},
    /* SQLite: the row the last insert wrote, none when it wrote none */
    [STMT_IMPORT_LAST_ID] = {.sqlite = "SELECT last_insert_rowid()"
                                       " WHERE changes() > 0"},

    /* ---- intake and case handling (migration 7) ---- */
    /* one catalog version (append-only) */
    [STMT_CATALOG_INSERT] =
        {.sql = "INSERT INTO catalog_item(" CATALOG_COLS ") VALUES (?1, ?2,"
                " ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
                " ?16, ?17, ?18, ?19, ?20, ?21)"},
    /* every catalog version */
    [STMT_CATALOG_EACH] = {.sql = "SELECT " CATALOG_COLS " FROM catalog_item"
                                  " ORDER BY code, version"},
    /* the next case number of a county and year, allocated in the
     * caller's transaction */
    [STMT_CASE_SEQ_NEXT] =
        {.sql = "INSERT INTO case_seq(county_code, year, last_no)"
                " VALUES (?1, ?2, 1) ON CONFLICT (county_code, year)"
                " DO UPDATE SET last_no = case_seq.last_no + 1"
                " RETURNING last_no"},
    /* a new application */
    [STMT_APPLICATION_INSERT] =
        {.sql = "INSERT INTO application(case_no, county_code, household_id,"
                " channel, intake_region, intake_user, query_code_hash,"
                " applied_on, missing, created_at, citizen_hash) VALUES (?1,"
                " ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, NULLIF(?11, ''))"
                " RETURNING id"},
    /* one application by id */
    [STMT_APPLICATION_GET] = {.sql = "SELECT " APPLICATION_COLS
                                     " FROM application WHERE id = ?1"},
    /* one application by case number */
    [STMT_APPLICATION_BY_CASE_NO] =
        {.sql = "SELECT " APPLICATION_COLS
                " FROM application WHERE case_no = ?1"},
    /* a new case item */
    [STMT_CASE_ITEM_INSERT] =
        {.sql = "INSERT INTO case_item(application_id, county_code,"
                " household_id, village_code, intake_region, item_code,"
                " catalog_version, owner_region, owner_department, step,"
                " state, accepted_on, deadline, deadline_uncovered,"
                " step_started_on, step_deadline, paused_since,"
                " paused_working_days, missing, visits, spot_check,"
                " created_at, updated_at, version) VALUES (?1, ?2, ?3, ?4,"
                " ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
                " ?18, ?19, ?20, ?21, ?22, ?22, 1) RETURNING id"},
    /* one case item with its case number */
    [STMT_CASE_ITEM_GET] = {.sql = "SELECT " CASE_ITEM_COLS " FROM case_item c"
                                   " JOIN application a"
                                   " ON a.id = c.application_id"
                                   " WHERE c.id = ?1"},
    /* rewrites a case item if its version is still ?2 */
    [STMT_CASE_ITEM_UPDATE] =
        {.sql = "UPDATE case_item SET owner_region = ?3,"
                " owner_department = ?4, step = ?5, state = ?6,"
                " deadline = ?7, deadline_uncovered = ?8,"
                " step_started_on = ?9, step_deadline = ?10,"
                " paused_since = ?11, paused_working_days = ?12,"
                " decision = ?13, amount_fen = ?14, reasons = ?15,"
                " missing = ?16, visits = ?17, spot_check = ?18,"
                " closed_on = ?19, updated_at = ?20, accepted_on = ?21,"
                " version = version + 1"
                " WHERE id = ?1 AND version = ?2 RETURNING version"},
    /* the items of one application */
    [STMT_CASE_ITEM_BY_APPLICATION] =
        {.sql = "SELECT " CASE_ITEM_COLS " FROM case_item c"
                " JOIN application a ON a.id = c.application_id"
                " WHERE c.application_id = ?1 ORDER BY c.id"},
    /* an inbox: items not closed of a department ('' = civil affairs)
     * owned by the office ?1 itself, or under it and past their deadline
     * (before the day ?4), soonest deadline first */
    [STMT_CASE_ITEM_INBOX] =
        {.sql = "SELECT " CASE_ITEM_COLS " FROM case_item c"
                " JOIN application a ON a.id = c.application_id"
                " WHERE c.state <> 'closed'"
                " AND substr(c.owner_region, 1, length(?1)) = ?1"
                " AND c.owner_department = ?2"
                " AND (c.owner_region = ?1 OR c.deadline < ?4)"
                " ORDER BY c.deadline, c.id LIMIT ?3"},
    /* the engine's explanation of a decision */
    [STMT_CASE_ITEM_EXPLANATION_SET] =
        {.sql = "UPDATE case_item SET explanation = ?2 WHERE id = ?1"},
    [STMT_CASE_ITEM_EXPLANATION_GET] =
        {.sql = "SELECT explanation FROM case_item WHERE id = ?1"},
    /* where the items not closed stand (start-up's template check) */
    [STMT_CASE_ITEM_STEPS] =
        {.sql = "SELECT item_code, catalog_version, step, count(*)"
                " FROM case_item WHERE state <> 'closed'"
                " GROUP BY item_code, catalog_version, step"
                " ORDER BY item_code, catalog_version, step"},
    /* one transition; seq is the next of the item's */
    [STMT_CASE_EVENT_INSERT] =
        {.sql = "INSERT INTO case_event(case_item_id, county_code, seq,"
                " step_from, step_to, action, actor, role, region, at, day,"
                " reasons, fields, visit) VALUES (?1, ?2,"
                " (SELECT coalesce(max(seq), 0) + 1 FROM case_event"
                "  WHERE case_item_id = ?1), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
                " ?11, ?12, ?13) RETURNING id"},
    /* the timeline of an item */
    [STMT_CASE_EVENT_LIST] =
        {.sql = "SELECT " CASE_EVENT_COLS " FROM case_event"
                " WHERE case_item_id = ?1 ORDER BY seq LIMIT ?2"},
    /* a referral to a department */
    [STMT_REFERRAL_INSERT] =
        {.sql = "INSERT INTO referral(case_item_id, county_code, department,"
                " region, sent_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id"},
    [STMT_REFERRAL_UPDATE] =
        {.sql = "UPDATE referral SET accepted_at = ?2, answered_at = ?3,"
                " result = ?4 WHERE case_item_id = ?1"},
    [STMT_REFERRAL_GET] = {.sql = "SELECT " REFERRAL_COLS
                                  " FROM referral WHERE case_item_id = ?1"},
    /* whether a household has a referral to a department */
    [STMT_REFERRAL_DEPT_HOUSEHOLD] =
        {.sql = "SELECT count(*) FROM referral r"
                " JOIN case_item c ON c.id = r.case_item_id"
                " WHERE c.household_id = ?1 AND r.department = ?2"},
    /* an entitlement from an approval */
    [STMT_ENTITLEMENT_INSERT] =
        {.sql = "INSERT INTO entitlement(county_code, household_id,"
                " item_code, case_item_id, monthly_fen, start_month,"
                " end_month, state, created_at) VALUES (?1, ?2, ?3, ?4, ?5,"
                " ?6, ?7, ?8, ?9) RETURNING id"},
    [STMT_ENTITLEMENT_BY_CASE_ITEM] =
        {.sql = "SELECT " ENTITLEMENT_COLS " FROM entitlement"
                " WHERE case_item_id = ?1"},
    [STMT_ENTITLEMENT_ACTIVE_OF_HOUSEHOLD] =
        {.sql = "SELECT " ENTITLEMENT_COLS " FROM entitlement"
                " WHERE household_id = ?1 AND state = 'active'"
                " ORDER BY id LIMIT ?2"},
    /* a 公示 row */
    [STMT_PUBLICITY_INSERT] =
        {.sql = "INSERT INTO publicity(case_item_id, county_code,"
                " village_code, item_code, masked_name, household_size,"
                " amount_fen, start_day, end_day, state, created_at)"
                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
                " RETURNING id"},
    [STMT_PUBLICITY_GET] = {.sql = "SELECT " PUBLICITY_COLS
                                   " FROM publicity WHERE id = ?1"},
    [STMT_PUBLICITY_UPDATE] =
        {.sql = "UPDATE publicity SET start_day = ?2, end_day = ?3,"
                " state = ?4 WHERE id = ?1"},
    /* the open 公示 of a village */
    [STMT_PUBLICITY_BY_VILLAGE] =
        {.sql = "SELECT " PUBLICITY_COLS " FROM publicity"
                " WHERE village_code = ?1 AND state = 'open'"
                " ORDER BY id LIMIT ?2"},
    [STMT_PUBLICITY_OPEN_OF_CASE] =
        {.sql = "SELECT " PUBLICITY_COLS " FROM publicity"
                " WHERE case_item_id = ?1 AND state = 'open'"},
    [STMT_OBJECTION_INSERT] =
        {.sql = "INSERT INTO objection(publicity_id, county_code, text,"
                " recorded_by, at, day) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                " RETURNING id"},
    /* the KPI cohort: case items accepted in [?2, ?3] whose household's
     * village starts with ?1 ('' = all), with the application's channel
     * and the referral's times (KPIs stream these through domain/kpi.c) */
    [STMT_KPI_CASE_EACH] =
        {.sql = "SELECT c.item_code, c.village_code, c.state, c.accepted_on,"
                " c.deadline, c.closed_on, c.paused_working_days,"
                " c.decision, c.amount_fen, c.visits, a.channel,"
                " COALESCE(r.sent_at, 0), COALESCE(r.answered_at, 0)"
                " FROM case_item c JOIN application a ON a.id = c.application_id"
                " LEFT JOIN referral r ON r.case_item_id = c.id"
                " WHERE c.accepted_on BETWEEN ?2 AND ?3"
                " AND substr(c.village_code, 1, length(?1)) = ?1"},
    /* a household's items over time, newest application first, each
     * with its channel, the day it was decided (the transition into 告知,
     * or straight to 办结 for a filing), its entitlement and the engine's
     * explanation */
    [STMT_CASE_HISTORY_HOUSEHOLD] = {.sql = CASE_HISTORY_SELECT
                                     " WHERE c.household_id = ?1"
                                     " ORDER BY c.application_id DESC, c.id"
                                     " LIMIT ?2"},
    /* the same for the applications a citizen filed online */
    [STMT_CASE_HISTORY_CITIZEN] = {.sql = CASE_HISTORY_SELECT
                                   " WHERE a.citizen_hash = ?1"
                                   " ORDER BY c.application_id DESC, c.id"
                                   " LIMIT ?2"},
    /* the same for one application */
    [STMT_CASE_HISTORY_APPLICATION] = {.sql = CASE_HISTORY_SELECT
                                       " WHERE c.application_id = ?1"
                                       " ORDER BY c.id LIMIT ?2"},
};

/* One pooled connection, with the transaction that borrows it. */
struct store_slot {
    struct store_conn *conn; /* ops->conn_size bytes */
    int is_open;
    struct store_tx *tx;
};

struct store_tx {
    struct store *st;
    struct store_slot *slot;
    struct store_conn *conn;
    enum store_mode mode;
};

struct store {
    const struct store_ops *ops;
    char *target;
    struct arena *mem; /* everything above, allocated once at open */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct store_slot *slots;
    struct store_slot **idle; /* a stack of free slots */
    int nidle;
    int size;   /* pool_size */
    int opened; /* connections open now */
    int in_use;
    uint64_t waits;
};

#define P_TEXT(s)                                                              \
    {                                                                          \
        .type = STORE_P_TEXT, .text = (s)                                      \
    }
#define P_INT(v)                                                               \
    {                                                                          \
        .type = STORE_P_INT64, .i64 = (v)                                      \
    }
#define NPARAMS(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- the pool ---- */

static void
pool_give(struct store *st, struct store_slot *s)
{
    pthread_mutex_lock(&st->mu);
    st->idle[st->nidle++] = s;
    st->in_use--;
    pthread_cond_signal(&st->cv);
    pthread_mutex_unlock(&st->mu);
}

/* Takes a free slot, waiting when every connection is busy, and opens
 * (or checks) its connection outside the lock. */
static enum dd_status
pool_take(struct store *st, struct store_slot **out)
{
    enum dd_status rc;
    int waited = 0;

    pthread_mutex_lock(&st->mu);
    while (st->nidle == 0) {
        if (!waited) {
            st->waits++;
            waited = 1;
        }
        pthread_cond_wait(&st->cv, &st->mu);
    }
    struct store_slot *s = st->idle[--st->nidle];
    st->in_use++;
    pthread_mutex_unlock(&st->mu);

    if (s->is_open) {
        rc = st->ops->conn_check(s->conn);
    } else {
        memset(s->conn, 0, st->ops->conn_size);
        rc = st->ops->conn_open(s->conn, st->target);
        if (rc == DD_OK) {
            s->is_open = 1;
            pthread_mutex_lock(&st->mu);
            st->opened++;
            pthread_mutex_unlock(&st->mu);
        }
    }
    if (rc != DD_OK) {
        pool_give(st, s);
        return rc;
    }
    *out = s;
    return DD_OK;
}

/* ---- opening and closing ---- */

enum dd_status
store_open(const char *url, int pool_size, struct store **out)
{
    enum dd_status rc = DD_OK;
    const struct store_ops *ops;
    const char *target;
    struct store *st = NULL;
    struct arena *mem = NULL;

    *out = NULL;
    if (!url || pool_size < 1 || pool_size > POOL_MAX)
        return DD_EINVAL;
    if (strncmp(url, "sqlite:", 7) == 0) {
        ops = &store_sqlite_ops;
        target = url + 7;
        if (strncmp(target, "//", 2) == 0) /* sqlite:///abs/path */
            target += 2;
        if (*target == '\0')
            return DD_EINVAL;
    } else if (strncmp(url, "postgresql://", 13) == 0 ||
               strncmp(url, "postgres://", 11) == 0) {
        ops = &store_pg_ops;
        target = url;
    } else {
        return DD_EINVAL;
    }

    size_t n = (size_t)pool_size;
    size_t need = sizeof(*st) + strlen(target) + 1 +
                  n * (sizeof(struct store_slot) + sizeof(struct store_slot *) +
                       sizeof(struct store_tx) + ops->conn_size + 64) +
                  4096;
    /* the arena allocates in blocks of 8 KiB or more: leave room */
    mem = arena_new(2 * need + 16384);
    if (!mem)
        return DD_ENOMEM;
    st = arena_alloc(mem, sizeof(*st));
    if (!st) {
        rc = DD_ENOMEM;
        goto out;
    }
    st->ops = ops;
    st->mem = mem;
    st->size = pool_size;
    st->target = arena_strdup(mem, target);
    st->slots = arena_alloc(mem, n * sizeof(*st->slots));
    st->idle = arena_alloc(mem, n * sizeof(*st->idle));
    if (!st->target || !st->slots || !st->idle) {
        rc = DD_ENOMEM;
        goto out;
    }
    /* the stack pops from the end: slot 0 is used first */
    for (int i = pool_size - 1; i >= 0; i--) {
        struct store_slot *s = &st->slots[i];
        s->conn = arena_alloc(mem, ops->conn_size);
        s->tx = arena_alloc(mem, sizeof(*s->tx));
        if (!s->conn || !s->tx) {
            rc = DD_ENOMEM;
            goto out;
        }
        st->idle[st->nidle++] = s;
    }
    if (pthread_mutex_init(&st->mu, NULL) != 0) {
        rc = DD_ENOMEM;
        goto out;
    }
    if (pthread_cond_init(&st->cv, NULL) != 0) {
        pthread_mutex_destroy(&st->mu);
        rc = DD_ENOMEM;
        goto out;
    }
    *out = st;
    mem = NULL;
out:
    arena_free(mem);
    return rc;
}

void
store_close(struct store *st)
{
    if (!st)
        return;
    for (int i = 0; i < st->size; i++) {
        if (st->slots[i].is_open)
            st->ops->conn_close(st->slots[i].conn);
    }
    pthread_cond_destroy(&st->cv);
    pthread_mutex_destroy(&st->mu);
    /* the target may hold a password */
    memset(st->target, 0, strlen(st->target));
    arena_free(st->mem);
}

const char *
store_backend(const struct store *st)
{
    return st->ops->name;
}

void
store_pool_stats(struct store *st, struct store_pool_stats *out)
{
    pthread_mutex_lock(&st->mu);
    out->size = st->opened;
    out->in_use = st->in_use;
    out->waits = st->waits;
    pthread_mutex_unlock(&st->mu);
}

/* ---- transactions ---- */

enum dd_status
store_tx_begin(struct store *st, enum store_mode mode, struct store_tx **out)
{
    struct store_slot *s;
    enum dd_status rc;

    *out = NULL;
    rc = pool_take(st, &s);
    if (rc != DD_OK)
        return rc;
    rc = st->ops->begin(s->conn, mode);
    if (rc != DD_OK) {
        pool_give(st, s);
        return rc;
    }
    s->tx->st = st;
    s->tx->slot = s;
    s->tx->conn = s->conn;
    s->tx->mode = mode;
    *out = s->tx;
    return DD_OK;
}

enum dd_status
store_tx_commit(struct store_tx *tx)
{
    struct store *st = tx->st;
    enum dd_status rc = st->ops->commit(tx->conn);
    if (rc != DD_OK)
        st->ops->rollback(tx->conn);
    pool_give(st, tx->slot);
    return rc;
}

void
store_tx_rollback(struct store_tx *tx)
{
    if (!tx)
        return;
    struct store *st = tx->st;
    st->ops->rollback(tx->conn);
    pool_give(st, tx->slot);
}

/* ---- running statements ---- */

static enum dd_status
query(struct store_tx *tx, enum stmt id, const struct store_param *p, int n,
      struct store_rows *r)
{
    memset(r, 0, sizeof(*r));
    r->ops = tx->st->ops;
    r->conn = tx->conn;
    return tx->st->ops->query(tx->conn, id, p, n, r);
}

/* Runs a statement whose rows (if any) are not wanted. */
static enum dd_status
run(struct store_tx *tx, enum stmt id, const struct store_param *p, int n)
{
    const struct store_ops *ops = tx->st->ops;
    struct store_rows r;
    int has_row;
    enum dd_status rc = query(tx, id, p, n, &r);
    if (rc != DD_OK)
        return rc;
    do {
        rc = ops->next(&r, &has_row);
    } while (rc == DD_OK && has_row);
    ops->done(&r);
    return rc;
}

/* Runs a statement and reads column 0 of its first row as an integer;
 * DD_ENOTFOUND when there is no row. */
static enum dd_status
run_int(struct store_tx *tx, enum stmt id, const struct store_param *p, int n,
        int64_t *out)
{
    const struct store_ops *ops = tx->st->ops;
    struct store_rows r;
    int has_row = 0;
    enum dd_status rc = query(tx, id, p, n, &r);
    if (rc != DD_OK)
        return rc;
    rc = ops->next(&r, &has_row);
    if (rc == DD_OK && !has_row)
        rc = DD_ENOTFOUND;
    if (rc == DD_OK)
        *out = ops->col_int64(&r, 0);
    ops->done(&r);
    return rc;
}

/* Writes on a read transaction are a caller's bug, and would fail late and
 * differently on each backend. */
static enum dd_status
need_write(struct store_tx *tx)
{
    if (tx->mode != STORE_WRITE) {
        log_error("store: write attempted in a read transaction");
        return DD_EINTERNAL;
    }
    return DD_OK;
}

/* ---- row mappers ---- */

static void
col_copy(struct store_rows *r, int col, char *dst, size_t cap)
{
    str_copy(dst, cap, r->ops->col_text(r, col));
}

static int64_t
col_int(struct store_rows *r, int col)
{
    return r->ops->col_int64(r, col);
}

static void
region_from_row(struct store_rows *r, struct region *out)
{
    memset(out, 0, sizeof(*out));
    col_copy(r, 0, out->code, sizeof(out->code));
    col_copy(r, 1, out->name, sizeof(out->name));
    col_copy(r, 2, out->level, sizeof(out->level));
    col_copy(r, 3, out->parent_code, sizeof(out->parent_code));
}

static void
zone_from_row(struct store_rows *r, struct zone_township *out)
{
    memset(out, 0, sizeof(*out));
    col_copy(r, 0, out->zone, sizeof(out->zone));
    col_copy(r, 1, out->zone_name, sizeof(out->zone_name));
    col_copy(r, 2, out->township_code, sizeof(out->township_code));
}

/* Maps USER_COLS starting at column base (after a join's other columns). */
static void
user_from_cols(struct store_rows *r, int base, struct user *out)
{
    memset(out, 0, sizeof(*out));
    out->id = col_int(r, base + 0);
    col_copy(r, base + 1, out->username, sizeof(out->username));
    col_copy(r, base + 2, out->display_name, sizeof(out->display_name));
    col_copy(r, base + 3, out->pw_hash, sizeof(out->pw_hash));
    col_copy(r, base + 4, out->role, sizeof(out->role));
    col_copy(r, base + 5, out->department, sizeof(out->department));
    col_copy(r, base + 6, out->scope, sizeof(out->scope));
    out->failed_logins = (int)col_int(r, base + 7);
    out->locked_until = col_int(r, base + 8);
    out->disabled = (int)col_int(r, base + 9);
    out->created_at = col_int(r, base + 10);
}

static void
user_from_row(struct store_rows *r, struct user *out)
{
    user_from_cols(r, 0, out);
}

static void
session_from_row(struct store_rows *r, struct session *out)
{
    memset(out, 0, sizeof(*out));
    col_copy(r, 0, out->token_hash, sizeof(out->token_hash));
    out->user_id = col_int(r, 1);
    col_copy(r, 2, out->csrf_token, sizeof(out->csrf_token));
    out->created_at = col_int(r, 3);
    out->last_seen_at = col_int(r, 4);
}

static void
token_from_row(struct store_rows *r, struct api_token *out)
{
    memset(out, 0, sizeof(*out));
    out->id = col_int(r, 0);
    col_copy(r, 1, out->name, sizeof(out->name));
    col_copy(r, 2, out->token_hash, sizeof(out->token_hash));
    col_copy(r, 3, out->role, sizeof(out->role));
    col_copy(r, 4, out->department, sizeof(out->department));
    col_copy(r, 5, out->scope, sizeof(out->scope));
    out->created_at = col_int(r, 6);
    out->revoked = (int)col_int(r, 7);
}

static void
audit_from_row(struct store_rows *r, struct audit_row *out)
{
    memset(out, 0, sizeof(*out));
    out->seq = col_int(r, 0);
    out->at = col_int(r, 1);
    col_copy(r, 2, out->actor, sizeof(out->actor));
    col_copy(r, 3, out->action, sizeof(out->action));
    col_copy(r, 4, out->object, sizeof(out->object));
    col_copy(r, 5, out->region, sizeof(out->region));
    col_copy(r, 6, out->request_id, sizeof(out->request_id));
    col_copy(r, 7, out->detail, sizeof(out->detail));
    col_copy(r, 8, out->prev_hash, sizeof(out->prev_hash));
    col_copy(r, 9, out->hash, sizeof(out->hash));
}

static void
policy_from_row(struct store_rows *r, struct policy_row *out)
{
    memset(out, 0, sizeof(*out));
    out->id = col_int(r, 0);
    col_copy(r, 1, out->key, sizeof(out->key));
    col_copy(r, 2, out->region_code, sizeof(out->region_code));
    col_copy(r, 3, out->effective_from, sizeof(out->effective_from));
    out->value = col_int(r, 4);
    col_copy(r, 5, out->unit, sizeof(out->unit));
    col_copy(r, 6, out->source, sizeof(out->source));
    col_copy(r, 7, out->confidence, sizeof(out->confidence));
    out->created_at = col_int(r, 8);
    col_copy(r, 9, out->created_by, sizeof(out->created_by));
}

/* The mappers share one shape so one reader serves every query. */
typedef void (*row_map_fn)(struct store_rows *r, void *out);

/* Reads the first row into out; DD_ENOTFOUND when there is none. */
static enum dd_status
get_one(struct store_tx *tx, enum stmt id, const struct store_param *p, int n,
        row_map_fn map, void *out)
{
    struct store_rows r;
    int has_row = 0;
    enum dd_status rc = query(tx, id, p, n, &r);
    if (rc != DD_OK)
        return rc;
    rc = r.ops->next(&r, &has_row);
    if (rc == DD_OK && !has_row)
        rc = DD_ENOTFOUND;
    if (rc == DD_OK)
        map(&r, out);
    r.ops->done(&r);
    return rc;
}

/* Reads at most max rows of elem_size bytes each into out. */
static enum dd_status
get_many(struct store_tx *tx, enum stmt id, const struct store_param *p, int n,
         row_map_fn map, void *out, size_t elem_size, size_t max, size_t *count)
{
    struct store_rows r;
    int has_row = 0;
    enum dd_status rc;

    *count = 0;
    if (max == 0)
        return DD_OK;
    rc = query(tx, id, p, n, &r);
    if (rc != DD_OK)
        return rc;
    while (*count < max) {
        rc = r.ops->next(&r, &has_row);
        if (rc != DD_OK || !has_row)
            break;
        map(&r, (char *)out + *count * elem_size);
        (*count)++;
    }
    r.ops->done(&r);
    return rc;
}

static void
map_region(struct store_rows *r, void *out)
{
    region_from_row(r, out);
}

static void
map_user(struct store_rows *r, void *out)
{
    user_from_row(r, out);
}

static void
map_session(struct store_rows *r, void *out)
{
    session_from_row(r, out);
}

static void
map_token(struct store_rows *r, void *out)
{
    token_from_row(r, out);
}

static void
map_audit(struct store_rows *r, void *out)
{
    audit_from_row(r, out);
}

/* A LIMIT from a size_t, clamped to what SQL takes. */
static int64_t
limit_of(size_t max)
{
    return max > (size_t)INT64_MAX ? INT64_MAX : (int64_t)max;
}

/* ---- schema ---- */

static const char schema_version_ddl[] =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " version INTEGER PRIMARY KEY,"
    " applied_at BIGINT NOT NULL)";

static enum dd_status
version_read(struct store_tx *tx, int *out)
{
    int64_t v = 0;
    enum dd_status rc;

    *out = 0;
    rc = run_int(tx, STMT_SCHEMA_EXISTS, NULL, 0, &v);
    if (rc != DD_OK || v == 0)
        return rc;
    rc = run_int(tx, STMT_SCHEMA_VERSION, NULL, 0, &v);
    if (rc == DD_OK)
        *out = (int)v;
    return rc;
}

enum dd_status
store_schema_version(struct store *st, int *out)
{
    struct store_tx *tx = NULL;
    enum dd_status rc;

    *out = 0;
    rc = store_tx_begin(st, STORE_READ, &tx);
    if (rc != DD_OK)
        return rc;
    rc = version_read(tx, out);
    if (rc != DD_OK)
        goto out;
    rc = store_tx_commit(tx);
    tx = NULL;
out:
    store_tx_rollback(tx);
    return rc;
}

enum dd_status
store_migrate(struct store *st, int *from, int *to)
{
    const struct store_ops *ops = st->ops;
    const struct store_migration *m = ops->migrations;
    size_t count = *ops->migration_count;
    struct store_tx *tx = NULL;
    enum dd_status rc;
    int cur = 0;

    *from = *to = 0;
    rc = store_tx_begin(st, STORE_WRITE, &tx);
    if (rc != DD_OK)
        return rc;
    /* one migrator at a time, then everything in one transaction */
    rc = run(tx, STMT_MIGRATE_LOCK, NULL, 0);
    if (rc != DD_OK)
        goto out;
    rc = ops->exec(tx->conn, schema_version_ddl);
    if (rc != DD_OK)
        goto out;
    rc = version_read(tx, &cur);
    if (rc != DD_OK)
        goto out;
    *from = *to = cur;
    for (size_t i = 0; i < count; i++) {
        if (m[i].version <= cur)
            continue;
        rc = ops->exec(tx->conn, m[i].sql);
        if (rc != DD_OK) {
            log_error("store: migration %d failed", m[i].version);
            goto out;
        }
        struct store_param p[] = {P_INT(m[i].version), P_INT(time_now())};
        rc = run(tx, STMT_SCHEMA_RECORD, p, NPARAMS(p));
        if (rc != DD_OK)
            goto out;
        cur = m[i].version;
    }
    rc = store_tx_commit(tx);
    tx = NULL;
    if (rc != DD_OK)
        goto out;
    if (cur != *from)
        log_info("store: migrated %s schema from %d to %d", ops->name, *from,
                 cur);
    *to = cur;
out:
    store_tx_rollback(tx);
    return rc;
}

enum dd_status
store_wipe(struct store *st)
{
    struct store_slot *s;
    enum dd_status rc = pool_take(st, &s);
    if (rc != DD_OK)
        return rc;
    rc = st->ops->wipe(s->conn);
    pool_give(st, s);
    if (rc == DD_OK)
        log_info("store: wiped the %s database", st->ops->name);
    return rc;
}

/* ---- typed operations ---- */

enum dd_status
store_ping(struct store_tx *tx)
{
    int64_t v = 0;
    enum dd_status rc = run_int(tx, STMT_PING, NULL, 0, &v);
    if (rc == DD_OK && v != 1)
        rc = DD_ESTORE;
    return rc;
}

static void
map_text(struct store_rows *r, void *out)
{
    col_copy(r, 0, out, 256);
}

enum dd_status
store_integrity_check(struct store_tx *tx, char verdict[256])
{
    return get_one(tx, STMT_INTEGRITY, NULL, 0, map_text, verdict);
}

enum dd_status
store_region_put(struct store_tx *tx, const struct region *r)
{
    enum dd_status rc = need_write(tx);
    if (rc != DD_OK)
        return rc;
    struct store_param p[] = {P_TEXT(r->code), P_TEXT(r->name),
                              P_TEXT(r->level), P_TEXT(r->parent_code)};
    return run(tx, STMT_REGION_PUT, p, NPARAMS(p));
}

enum dd_status
store_region_get(struct store_tx *tx, const char *code, struct region *out)
{
    struct store_param p[] = {P_TEXT(code)};
    return get_one(tx, STMT_REGION_GET, p, NPARAMS(p), map_region, out);
}

enum dd_status
store_region_children(struct store_tx *tx, const char *parent,
                      const char *after_code, struct region *out, size_t max,
                      size_t *count)
{
    struct store_param p[] = {P_TEXT(parent),
                              P_TEXT(after_code ? after_code : ""),
                              P_INT(limit_of(max))};
    return get_many(tx, STMT_REGION_CHILDREN, p, NPARAMS(p), map_region, out,
                    sizeof(*out), max, count);
}

enum dd_status
store_region_each(struct store_tx *tx, store_region_fn fn, void *ctx)
{
    struct store_rows r;
    struct region reg;
    int has_row = 0;
    enum dd_status rc = query(tx, STMT_REGION_EACH, NULL, 0, &r);
    if (rc != DD_OK)
        return rc;
    for (;;) {
        rc = r.ops->next(&r, &has_row);
        if (rc != DD_OK || !has_row)
            break;
        region_from_row(&r, &reg);
        if (fn(&reg, ctx) != 0)
            break;
    }
    r.ops->done(&r);
    return rc;
}

enum dd_status
store_zone_put(struct store_tx *tx, const struct zone_township *z)
{
    enum dd_status rc = need_write(tx);
    if (rc != DD_OK)
        return rc;
    struct store_param p[] = {P_TEXT(z->zone), P_TEXT(z->zone_name),
                              P_TEXT(z->township_code)};
    return run(tx, STMT_ZONE_PUT, p, NPARAMS(p));
}

enum dd_status
store_zone_each(struct store_tx *tx, store_zone_fn fn, void *ctx)
{
    struct store_rows r;
    struct zone_township z;
    int has_row = 0;
    enum dd_status rc = query(tx, STMT_ZONE_EACH, NULL, 0, &r);
    if (rc != DD_OK)
        return rc;
    for (;;) {
        rc = r.ops->next(&r, &has_row);
        if (rc != DD_OK || !has_row)
            break;
        zone_from_row(&r, &z);
        if (fn(&z, ctx) != 0)
            break;
    }
    r.ops->done(&r);
    return rc;
}

enum dd_status
store_user_insert(struct store_tx *tx, struct user *u)
{
    int64_t id = 0;
    enum dd_status rc = need_write(tx);
    if (rc != DD_OK)
        return rc;
    if (u->created_at == 0)
        u->created_at = time_now();
    struct store_param p[] = {
        P_TEXT(u->username),        P_TEXT(u->display_name),
        P_TEXT(u->pw_hash),         P_TEXT(u->role),
        P_TEXT(u->department),      P_TEXT(u->scope),
        P_INT(u->failed_logins),    P_INT(u->locked_until),
        P_INT(u->disabled ? 1 : 0), P_INT(u->created_at)};
    rc = run_int(tx, STMT_USER_INSERT, p, NPARAMS(p), &id);
    if (rc == DD_ENOTFOUND) /* RETURNING gave no row */
        rc = DD_ESTORE;
    if (rc == DD_OK)
        u->id = id;
    return rc;
}

enum dd_status
store_user_get(struct store_tx *tx, int64_t id, struct user *out)
{
    struct store_param p[] = {P_INT(id)};
    return get_one(tx, STMT_USER_GET, p, NPARAMS(p), map_user, out);
}

enum dd_status
store_user_get_by_name(struct store_tx *tx, const char *username,
                       struct user *out)
{
    struct store_param p[] = {P_TEXT(username)};
    return get_one(tx, STMT_USER_GET_BY_NAME, p, NPARAMS(p), map_user, out);
}

enum dd_status
store_user_update(struct store_tx *tx, const struct user *u)
{
    int64_t id = 0;
    enum dd_status rc = need_write(tx);
    if (rc != DD_OK)
        return rc;
    struct store_param p[] = {P_INT(u->id),
                              P_TEXT(u->display_name),
                              P_TEXT(u->pw_hash),
                              P_TEXT(u->role),
                              P_TEXT(u->department),
                              P_TEXT(u->scope),
                              P_INT(u->failed_logins),
                              P_INT(u->locked_until),
                              P_INT(u->disabled ? 1 : 0)};
    return run_int(tx, STMT_USER_UPDATE, p, NPARAMS(p), &id);
}

enum dd_status
store_user_list(struct store_tx *tx, int64_t after_id, struct user *out,
                size_t max, size_t *count)
{
    struct store_param p[] = {P_INT(after_id), P_INT(limit_of(max))};
    return get_many(tx, STMT_USER_LIST, p, NPARAMS(p), map_user, out,
                    sizeof(*out), max, count);
}

enum dd_status
store_session_insert(struct store_tx *tx, const struct session *s)
{
    enum dd_status rc = need_write(tx);
    if (rc != DD_OK)
        return rc;
    struct store_param p[] = {P_TEXT(s->token_hash), P_INT(s->user_id),
                              P_TEXT(s->csrf_token), P_INT(s->created_at),
                              P_INT(s->last_seen_at)};
    return run(tx, STMT_SESSION_INSERT, p, NPARAMS(p));
}

enum dd_status
store_session_get(struct store_tx *tx, const char *token_hash,
                  struct session *out)
{
    struct store_param p[] = {P_TEXT(token_hash)};
    return get_one(tx, STMT_SESSION_GET, p, NPARAMS(p), map_session, out);
}

struct session_user {
    struct session *s;
    struct user *u;
};

static void
map_session_user(struct store_rows *r, void *out)
{
    struct session_user *su = out;
    session_from_row(r, su->s);
    user_from_cols(r, 5, su->u);
}

enum dd_status
store_session_auth(struct store_tx *tx, const char *token_hash,
                   struct session *s, struct user *u)
{
    struct store_param p[] = {P_TEXT(token_hash)};
    struct session_user su = {s, u};
    return get_one(tx, STMT_SESSION_AUTH, p, NPARAMS(p), map_session_user, &su);
}

enum dd_status
store_session_touch(struct store_tx *tx, const char *token_hash,
                    int64_t last_seen_at)
{
    int64_t uid = 0;
    enum dd_status rc = need_write(tx);
    if (rc != DD_OK)
        return rc;
    struct store_param p[] = {P_TEXT(token_hash), P_INT(last_seen_at)};
    return run_int(tx, STMT_SESSION_TOUCH, p, NPARAMS(p), &uid);
}

enum dd_status
store_session_delete(struct store_tx *tx, const char *token_hash)
{
    int64_t uid = 0;
    enum dd_status rc = need_write(tx);
    if (rc != DD_OK)
        return rc;
    struct store_param p[] = {P_TEXT(token_hash)};
    return run_int(tx, STMT_SESSION_DELETE, p, NPARAMS(p), &uid);
}

enum dd_status
store_session_delete_user(struct store_tx *tx, int64_t user_id)
{
    enum dd_status rc = need_write(tx);
    if (rc != DD_OK)
        return rc;
    struct store_param p[] = {P_INT(user_id)};
    return run(tx, STMT_SESSION_DELETE_USER, p, NPARAMS(p));
}

enum dd_status
store_api_token_insert(struct store_tx *tx, struct api_token *t)
{
    int64_t id = 0;
    enum dd_status rc = need_write(tx);
    if (rc != DD_OK)
        return rc;
    if (t->created_at == 0)
        t->created_at = time_now();
    struct store_param p[] = {P_TEXT(t->name),          P_TEXT(t->token_hash),
                              P_TEXT(t->role),          P_TEXT(t->department),
                              P_TEXT(t->scope),         P_INT(t->created_at),
                              P_INT(t->revoked ? 1 : 0)};
    rc = run_int(tx, STMT_API_TOKEN_INSERT, p, NPARAMS(p), &id);
    if (rc == DD_ENOTFOUND)
        rc = DD_ESTORE;
    if (rc == DD_OK)
        t->id = id;
    return rc;
}

enum dd_status
store_api_token_get(struct store_tx *tx, const char *token_hash,
                    struct api_token *out)
{
    struct store_param p[] = {P_TEXT(token_hash)};
    return get_one(tx, STMT_API_TOKEN_GET, p, NPARAMS(p), map_token, out);
}

enum dd_status
store_audit_tail(struct store_tx *tx, int64_t *seq,
                 char prev_hash[STORE_HASH_LEN])
{
    struct store_rows r;
    int has_row = 0;
    enum dd_status rc;

    *seq = 0;
    memset(prev_hash, '0', STORE_HASH_LEN - 1);
    prev_hash[STORE_HASH_LEN - 1] = '\0';
    if (tx->mode == STORE_WRITE) {
        /* held until the transaction ends, so the next appender reads the
         * tail only after this one's row is committed */
        rc = run(tx, STMT_AUDIT_LOCK, NULL, 0);
        if (rc != DD_OK)
            return rc;
    }
    rc = query(tx, STMT_AUDIT_TAIL, NULL, 0, &r);
    if (rc != DD_OK)
        return rc;
    rc = r.ops->next(&r, &has_row);
    if (rc == DD_OK && has_row) {
        *seq = col_int(&r, 0);
        col_copy(&r, 1, prev_hash, STORE_HASH_LEN);
    }
    r.ops->done(&r);
    return rc;
}

enum dd_status
store_audit_insert(struct store_tx *tx, const struct audit_row *a)
{
    enum dd_status rc = need_write(tx);
    if (rc != DD_OK)
        return rc;
    struct store_param p[] = {P_INT(a->seq),         P_INT(a->at),
                              P_TEXT(a->actor),      P_TEXT(a->action),
                              P_TEXT(a->object),     P_TEXT(a->region),
                              P_TEXT(a->request_id), P_TEXT(a->detail),
                              P_TEXT(a->prev_hash),  P_TEXT(a->hash)};
    return run(tx, STMT_AUDIT_INSERT, p, NPARAMS(p));
}

enum dd_status
store_audit_list(struct store_tx *tx, const struct audit_filter *f,
                 struct audit_row *out, size_t max, size_t *count)
{
    enum stmt id = STMT_AUDIT_LIST;
    if (f->actor)
        id = STMT_AUDIT_LIST_ACTOR;
    else if (f->object)
        id = STMT_AUDIT_LIST_OBJECT;
    struct store_param p[] = {
        P_INT(f->after_seq),     P_TEXT(f->actor), P_TEXT(f->object),
        P_INT(f->from),          P_INT(f->to),     P_INT(limit_of(max)),
        P_TEXT(f->region_prefix)};
    return get_many(tx, id, p, NPARAMS(p), map_audit, out, sizeof(*out), max,
                    count);
}

enum dd_status
store_policy_insert(struct store_tx *tx, struct policy_row *p)
{
    int64_t id = 0;
    enum dd_status rc = need_write(tx);
    if (rc != DD_OK)
        return rc;
    if (p->created_at == 0)
        p->created_at = time_now();
    struct store_param prm[] = {
        P_TEXT(p->key),        P_TEXT(p->region_code), P_TEXT(p->effective_from),
        P_INT(p->value),       P_TEXT(p->unit),        P_TEXT(p->source),
        P_TEXT(p->confidence), P_INT(p->created_at),   P_TEXT(p->created_by)};
    rc = run_int(tx, STMT_POLICY_INSERT, prm, NPARAMS(prm), &id);
    if (rc == DD_ENOTFOUND) /* RETURNING gave no row */
        rc = DD_ESTORE;
    if (rc == DD_OK)
        p->id = id;
    return rc;
}

enum dd_status
store_policy_each(struct store_tx *tx, store_policy_fn fn, void *ctx)
{
    struct store_rows r;
    struct policy_row p;
    int has_row = 0;
    enum dd_status rc = query(tx, STMT_POLICY_EACH, NULL, 0, &r);
    if (rc != DD_OK)
        return rc;
    for (;;) {
        rc = r.ops->next(&r, &has_row);
        if (rc != DD_OK || !has_row)
            break;
        policy_from_row(&r, &p);
        if (fn(&p, ctx) != 0)
            break;
    }
    r.ops->done(&r);
    return rc;
}

/* ---- the household registry ---- */

static void
household_from_row(struct store_rows *r, struct household_row *out)
{
    memset(out, 0, sizeof(*out));
    out->id = col_int(r, 0);
    col_copy(r, 1, out->county_code, sizeof(out->county_code));
    col_copy(r, 2, out->region_code, sizeof(out->region_code));
    col_copy(r, 3, out->hukou_region, sizeof(out->hukou_region));
    col_copy(r, 4, out->address, sizeof(out->address));
    col_copy(r, 5, out->urban_or_rural, sizeof(out->urban_or_rural));
    col_copy(r, 6, out->status, sizeof(out->status));
    out->version = col_int(r, 7);
    out->created_at = col_int(r, 8);
    out->updated_at = col_int(r, 9);
}

static void
map_household(struct store_rows *r, void *out)
{
    household_from_row(r, out);
}

static void
map_person(struct store_rows *r, void *o)
{
    struct person_row *out = o;
    memset(out, 0, sizeof(*out));
    out->id = col_int(r, 0);
    out->household_id = col_int(r, 1);
    col_copy(r, 2, out->county_code, sizeof(out->county_code));
    col_copy(r, 3, out->id_hash, sizeof(out->id_hash));
    col_copy(r, 4, out->id_enc, sizeof(out->id_enc));
    col_copy(r, 5, out->id_masked, sizeof(out->id_masked));
    out->active = (int)col_int(r, 6);
    col_copy(r, 7, out->name, sizeof(out->name));
    col_copy(r, 8, out->sex, sizeof(out->sex));
    col_copy(r, 9, out->birth_date, sizeof(out->birth_date));
    out->relation = (int)col_int(r, 10);
    out->disability_category = (int)col_int(r, 11);
    out->disability_grade = (int)col_int(r, 12);
    col_copy(r, 13, out->disability_card_enc,
             sizeof(out->disability_card_enc));
    out->major_illness = (int)col_int(r, 14);
    out->work_capacity = (int)col_int(r, 15);
    out->schooling = (int)col_int(r, 16);
    out->employed = (int)col_int(r, 17);
    out->selfcare_unable = (int)col_int(r, 18);
}

static void
map_income(struct store_rows *r, void *o)
{
    struct income_row *out = o;
    memset(out, 0, sizeof(*out));
    out->id = col_int(r, 0);
    out->person_id = col_int(r, 1);
    col_copy(r, 2, out->county_code, sizeof(out->county_code));
    out->kind = (int)col_int(r, 3);
    out->monthly_fen = col_int(r, 4);
}

static void
map_asset(struct store_rows *r, void *o)
{
    struct asset_row *out = o;
    memset(out, 0, sizeof(*out));
    out->id = col_int(r, 0);
    out->household_id = col_int(r, 1);
    col_copy(r, 2, out->county_code, sizeof(out->county_code));
    out->owner_person_id = col_int(r, 3);
    out->kind = (int)col_int(r, 4);
    out->value_fen = col_int(r, 5);
    out->count = col_int(r, 6);
    out->area_dm2 = col_int(r, 7);
    out->exempt = (int)col_int(r, 8);
}

static void
map_obligor(struct store_rows *r, void *o)
{
    struct obligor_row *out = o;
    memset(out, 0, sizeof(*out));
    out->id = col_int(r, 0);
    out->household_id = col_int(r, 1);
    col_copy(r, 2, out->county_code, sizeof(out->county_code));
    out->of_person_id = col_int(r, 3);
    out->relation = (int)col_int(r, 4);
    col_copy(r, 5, out->name, sizeof(out->name));
    col_copy(r, 6, out->birth_date, sizeof(out->birth_date));
    out->disability_category = (int)col_int(r, 7);
    out->disability_grade = (int)col_int(r, 8);
    out->flags = (int)col_int(r, 9);
    out->income_monthly_fen = col_int(r, 10);
}

/* Runs an INSERT ... RETURNING id on a write transaction. */
static enum dd_status
insert_id(struct store_tx *tx, enum stmt id, const struct store_param *p,
          int n, int64_t *out)
{
    enum dd_status rc = need_write(tx);
    if (rc != DD_OK)
        return rc;
    rc = run_int(tx, id, p, n, out);
    if (rc == DD_ENOTFOUND) /* RETURNING gave no row */
        rc = DD_ESTORE;
    return rc;
}

enum dd_status
store_household_insert(struct store_tx *tx, struct household_row *h)
{
    int64_t now = time_now();
    if (h->created_at == 0)
        h->created_at = now;
    if (h->updated_at == 0)
        h->updated_at = h->created_at;
    struct store_param p[] = {
        P_TEXT(h->county_code),    P_TEXT(h->region_code),
        P_TEXT(h->hukou_region),   P_TEXT(h->address),
        P_TEXT(h->urban_or_rural), P_TEXT(h->status),
        P_INT(h->created_at),      P_INT(h->updated_at)};
    enum dd_status rc =
        insert_id(tx, STMT_HOUSEHOLD_INSERT, p, NPARAMS(p), &h->id);
    if (rc == DD_OK)
        h->version = 1;
    return rc;
}

enum dd_status
store_household_get(struct store_tx *tx, int64_t id,
                    struct household_row *out)
{
    struct store_param p[] = {P_INT(id)};
    return get_one(tx, STMT_HOUSEHOLD_GET, p, NPARAMS(p), map_household, out);
}

enum dd_status
store_household_update(struct store_tx *tx, struct household_row *h,
                       int64_t expected_version)
{
    int64_t version = 0;
    struct household_row cur;
    enum dd_status rc = need_write(tx);
    if (rc != DD_OK)
        return rc;
    h->updated_at = time_now();
    struct store_param p[] = {
        P_INT(h->id),              P_INT(expected_version),
        P_TEXT(h->county_code),    P_TEXT(h->region_code),
        P_TEXT(h->hukou_region),   P_TEXT(h->address),
        P_TEXT(h->urban_or_rural), P_TEXT(h->status),
        P_INT(h->updated_at)};
    rc = run_int(tx, STMT_HOUSEHOLD_UPDATE, p, NPARAMS(p), &version);
    if (rc == DD_ENOTFOUND) {
        /* no such household, or another version of it */
        rc = store_household_get(tx, h->id, &cur);
        return rc == DD_OK ? DD_ECONFLICT : rc;
    }
    if (rc != DD_OK)
        return rc;
    h->version = version;
    if (strcmp(h->status, "active") != 0) {
        struct store_param q[] = {P_INT(h->id)};
        rc = run(tx, STMT_HOUSEHOLD_DEACTIVATE_MEMBERS, q, NPARAMS(q));
    }
    return rc;
}

enum dd_status
store_household_list(struct store_tx *tx, const char *region_prefix,
                     int64_t after_id, struct household_row *out, size_t max,
                     size_t *count)
{
    struct store_param p[] = {P_TEXT(region_prefix ? region_prefix : ""),
                              P_INT(after_id), P_INT(limit_of(max))};
    return get_many(tx, STMT_HOUSEHOLD_LIST, p, NPARAMS(p), map_household, out,
                    sizeof(*out), max, count);
}

static void
map_id(struct store_rows *r, void *out)
{
    *(int64_t *)out = col_int(r, 0);
}

enum dd_status
store_household_by_id_hash(struct store_tx *tx, const char *id_hash,
                           int64_t *out, size_t max, size_t *count)
{
    struct store_param p[] = {P_TEXT(id_hash), P_INT(limit_of(max))};
    return get_many(tx, STMT_HOUSEHOLD_BY_ID_HASH, p, NPARAMS(p), map_id, out,
                    sizeof(*out), max, count);
}

enum dd_status
store_person_active_household(struct store_tx *tx, const char *id_hash,
                              int64_t *household_id)
{
    struct store_param p[] = {P_TEXT(id_hash)};
    return run_int(tx, STMT_PERSON_ACTIVE_HOUSEHOLD, p, NPARAMS(p),
                   household_id);
}

enum dd_status
store_household_clear(struct store_tx *tx, int64_t household_id)
{
    static const enum stmt order[] = {STMT_HOUSEHOLD_CLEAR_OBLIGORS,
                                      STMT_HOUSEHOLD_CLEAR_ASSETS,
                                      STMT_HOUSEHOLD_CLEAR_PERSONS};
    enum dd_status rc = need_write(tx);
    struct store_param p[] = {P_INT(household_id)};
    for (size_t i = 0; rc == DD_OK && i < sizeof(order) / sizeof(order[0]);
         i++)
        rc = run(tx, order[i], p, NPARAMS(p));
    return rc;
}

enum dd_status
store_person_insert(struct store_tx *tx, struct person_row *r)
{
    struct store_param p[] = {
        P_INT(r->household_id),
        P_TEXT(r->county_code),
        P_TEXT(r->id_hash),
        P_TEXT(r->active ? r->id_hash : NULL),
        P_TEXT(r->id_enc),
        P_TEXT(r->id_masked),
        P_TEXT(r->name),
        P_TEXT(r->sex),
        P_TEXT(r->birth_date),
        P_INT(r->relation),
        P_INT(r->disability_category),
        P_INT(r->disability_grade),
        P_TEXT(r->disability_card_enc),
        P_INT(r->major_illness ? 1 : 0),
        P_INT(r->work_capacity),
        P_INT(r->schooling),
        P_INT(r->employed ? 1 : 0),
        P_INT(r->selfcare_unable)};
    return insert_id(tx, STMT_PERSON_INSERT, p, NPARAMS(p), &r->id);
}

enum dd_status
store_person_list(struct store_tx *tx, int64_t household_id,
                  struct person_row *out, size_t max, size_t *count)
{
    struct store_param p[] = {P_INT(household_id), P_INT(limit_of(max))};
    return get_many(tx, STMT_PERSON_LIST, p, NPARAMS(p), map_person, out,
                    sizeof(*out), max, count);
}

enum dd_status
store_person_delete(struct store_tx *tx, int64_t household_id,
                    int64_t person_id)
{
    int64_t id = 0;
    enum dd_status rc = need_write(tx);
    if (rc != DD_OK)
        return rc;
    struct store_param p[] = {P_INT(household_id), P_INT(person_id)};
    return run_int(tx, STMT_PERSON_DELETE, p, NPARAMS(p), &id);
}

enum dd_status
store_income_insert(struct store_tx *tx, struct income_row *r)
{
    struct store_param p[] = {P_INT(r->person_id), P_TEXT(r->county_code),
                              P_INT(r->kind), P_INT(r->monthly_fen)};
    return insert_id(tx, STMT_INCOME_INSERT, p, NPARAMS(p), &r->id);
}

enum dd_status
store_income_list(struct store_tx *tx, int64_t household_id,
                  struct income_row *out, size_t max, size_t *count)
{
    struct store_param p[] = {P_INT(household_id), P_INT(limit_of(max))};
    return get_many(tx, STMT_INCOME_LIST, p, NPARAMS(p), map_income, out,
                    sizeof(*out), max, count);
}

enum dd_status
store_asset_insert(struct store_tx *tx, struct asset_row *r)
{
    /* the owner is always bound as an integer (PostgreSQL prepares the
     * statement with the types of its first use); 0 becomes NULL in SQL */
    struct store_param p[] = {P_INT(r->household_id), P_TEXT(r->county_code),
                              P_INT(r->owner_person_id), P_INT(r->kind),
                              P_INT(r->value_fen), P_INT(r->count),
                              P_INT(r->area_dm2),  P_INT(r->exempt ? 1 : 0)};
    return insert_id(tx, STMT_ASSET_INSERT, p, NPARAMS(p), &r->id);
}

enum dd_status
store_asset_list(struct store_tx *tx, int64_t household_id,
                 struct asset_row *out, size_t max, size_t *count)
{
    struct store_param p[] = {P_INT(household_id), P_INT(limit_of(max))};
    return get_many(tx, STMT_ASSET_LIST, p, NPARAMS(p), map_asset, out,
                    sizeof(*out), max, count);
}

enum dd_status
store_obligor_insert(struct store_tx *tx, struct obligor_row *r)
{
    struct store_param p[] = {
        P_INT(r->household_id),        P_TEXT(r->county_code),
        P_INT(r->of_person_id),        P_INT(r->relation),
        P_TEXT(r->name),               P_TEXT(r->birth_date),
        P_INT(r->disability_category), P_INT(r->disability_grade),
        P_INT(r->flags),               P_INT(r->income_monthly_fen)};
    return insert_id(tx, STMT_OBLIGOR_INSERT, p, NPARAMS(p), &r->id);
}

enum dd_status
store_obligor_list(struct store_tx *tx, int64_t household_id,
                   struct obligor_row *out, size_t max, size_t *count)
{
    struct store_param p[] = {P_INT(household_id), P_INT(limit_of(max))};
    return get_many(tx, STMT_OBLIGOR_LIST, p, NPARAMS(p), map_obligor, out,
                    sizeof(*out), max, count);
}

/* ---- the holiday calendar ---- */

enum dd_status
store_holiday_put(struct store_tx *tx, const struct holiday_row *h)
{
    enum dd_status rc = need_write(tx);
    if (rc != DD_OK)
        return rc;
    struct store_param p[] = {P_TEXT(h->date), P_INT(h->is_off_day),
                              P_TEXT(h->name), P_TEXT(h->source)};
    return run(tx, STMT_HOLIDAY_PUT, p, NPARAMS(p));
}

enum dd_status
store_holiday_each(struct store_tx *tx, store_holiday_fn fn, void *ctx)
{
    struct store_rows r;
    struct holiday_row h;
    int has_row = 0;
    enum dd_status rc = query(tx, STMT_HOLIDAY_EACH, NULL, 0, &r);
    if (rc != DD_OK)
        return rc;
    for (;;) {
        rc = r.ops->next(&r, &has_row);
        if (rc != DD_OK || !has_row)
            break;
        memset(&h, 0, sizeof(h));
        col_copy(&r, 0, h.date, sizeof(h.date));
        h.is_off_day = (int)col_int(&r, 1);
        col_copy(&r, 2, h.name, sizeof(h.name));
        col_copy(&r, 3, h.source, sizeof(h.source));
        if (fn(&h, ctx) != 0)
            break;
    }
    r.ops->done(&r);
    return rc;
}

/* ---- citizens signing in by phone ---- */

enum dd_status
store_citizen_otp_put(struct store_tx *tx, const struct citizen_otp_row *r)
{
    enum dd_status rc = need_write(tx);
    if (rc != DD_OK)
        return rc;
    struct store_param p[] = {P_TEXT(r->phone_hash), P_TEXT(r->phone_enc),
                              P_TEXT(r->code_hash), P_INT(r->created_at),
                              P_INT(r->expires_at)};
    return run(tx, STMT_CITIZEN_OTP_PUT, p, NPARAMS(p));
}

static void
map_citizen_otp(struct store_rows *r, void *out)
{
    struct citizen_otp_row *o = out;
    memset(o, 0, sizeof(*o));
    col_copy(r, 0, o->phone_hash, sizeof(o->phone_hash));
    col_copy(r, 1, o->phone_enc, sizeof(o->phone_enc));
    col_copy(r, 2, o->code_hash, sizeof(o->code_hash));
    o->created_at = col_int(r, 3);
    o->expires_at = col_int(r, 4);
    o->attempts = (int)col_int(r, 5);
}

enum dd_status
store_citizen_otp_attempt(struct store_tx *tx, const char *phone_hash,
                          struct citizen_otp_row *out)
{
    enum dd_status rc = need_write(tx);
    if (rc != DD_OK)
        return rc;
    struct store_param p[] = {P_TEXT(phone_hash)};
    return get_one(tx, STMT_CITIZEN_OTP_ATTEMPT, p, NPARAMS(p),
                   map_citizen_otp, out);
}

enum dd_status
store_citizen_otp_delete(struct store_tx *tx, const char *phone_hash)
{
    enum dd_status rc = need_write(tx);
    if (rc != DD_OK)
        return rc;
    struct store_param p[] = {P_TEXT(phone_hash)};
    return run(tx, STMT_CITIZEN_OTP_DELETE, p, NPARAMS(p));
}

enum dd_status
store_citizen_otp_purge(struct store_tx *tx, int64_t before)
{
    enum dd_status rc = need_write(tx);
    if (rc != DD_OK)
        return rc;
    struct store_param p[] = {P_INT(before)};
    return run(tx, STMT_CITIZEN_OTP_PURGE, p, NPARAMS(p));
}

enum dd_status
store_citizen_session_insert(struct store_tx *tx,
                             const struct citizen_session_row *r)
{
    enum dd_status rc = need_write(tx);
    if (rc != DD_OK)
        return rc;
    struct store_param p[] = {
        P_TEXT(r->token_hash),   P_TEXT(r->phone_hash), P_TEXT(r->phone_enc),
        P_TEXT(r->phone_masked), P_TEXT(r->csrf_token), P_INT(r->created_at),
        P_INT(r->expires_at)};
    return run(tx, STMT_CITIZEN_SESSION_INSERT, p, NPARAMS(p));
}

static void
map_citizen_session(struct store_rows *r, void *out)
{
    struct citizen_session_row *o = out;
    memset(o, 0, sizeof(*o));
    col_copy(r, 0, o->token_hash, sizeof(o->token_hash));
    col_copy(r, 1, o->phone_hash, sizeof(o->phone_hash));
    col_copy(r, 2, o->phone_enc, sizeof(o->phone_enc));
    col_copy(r, 3, o->phone_masked, sizeof(o->phone_masked));
    col_copy(r, 4, o->csrf_token, sizeof(o->csrf_token));
    o->created_at = col_int(r, 5);
    o->expires_at = col_int(r, 6);
}

enum dd_status
store_citizen_session_get(struct store_tx *tx, const char *token_hash,
                          struct citizen_session_row *out)
{
    struct store_param p[] = {P_TEXT(token_hash)};
    return get_one(tx, STMT_CITIZEN_SESSION_GET, p, NPARAMS(p),
                   map_citizen_session, out);
}

enum dd_status
store_citizen_session_delete(struct store_tx *tx, const char *token_hash)
{
    int64_t created = 0;
    enum dd_status rc = need_write(tx);
    if (rc != DD_OK)
        return rc;
    struct store_param p[] = {P_TEXT(token_hash)};
    return run_int(tx, STMT_CITIZEN_SESSION_DELETE, p, NPARAMS(p), &created);
}

enum dd_status
store_citizen_session_purge(struct store_tx *tx, int64_t before)
{
    enum dd_status rc = need_write(tx);
    if (rc != DD_OK)
        return rc;
    struct store_param p[] = {P_INT(before)};
    return run(tx, STMT_CITIZEN_SESSION_PURGE, p, NPARAMS(p));
}

/* ---- the household registry: one-pass reads, replace, zone lists ---- */

/* STMT_HOUSEHOLD_READ's columns: the tag, then integers, then texts. */
#define HR_TAG 0
#define HR_I(n) (1 + (n))
#define HR_S(n) (12 + (n))

static void
read_household(struct store_rows *r, struct household_row *out)
{
    memset(out, 0, sizeof(*out));
    out->id = col_int(r, HR_I(0));
    out->version = col_int(r, HR_I(1));
    out->created_at = col_int(r, HR_I(2));
    out->updated_at = col_int(r, HR_I(3));
    col_copy(r, HR_S(0), out->county_code, sizeof(out->county_code));
    col_copy(r, HR_S(1), out->region_code, sizeof(out->region_code));
    col_copy(r, HR_S(2), out->hukou_region, sizeof(out->hukou_region));
    col_copy(r, HR_S(3), out->address, sizeof(out->address));
    col_copy(r, HR_S(4), out->urban_or_rural, sizeof(out->urban_or_rural));
    col_copy(r, HR_S(5), out->status, sizeof(out->status));
}

static void
read_person(struct store_rows *r, struct person_row *out)
{
    memset(out, 0, sizeof(*out));
    out->id = col_int(r, HR_I(0));
    out->household_id = col_int(r, HR_I(1));
    out->active = (int)col_int(r, HR_I(2));
    out->relation = (int)col_int(r, HR_I(3));
    out->disability_category = (int)col_int(r, HR_I(4));
    out->disability_grade = (int)col_int(r, HR_I(5));
    out->major_illness = (int)col_int(r, HR_I(6));
    out->work_capacity = (int)col_int(r, HR_I(7));
    out->schooling = (int)col_int(r, HR_I(8));
    out->employed = (int)col_int(r, HR_I(9));
    out->selfcare_unable = (int)col_int(r, HR_I(10));
    col_copy(r, HR_S(0), out->county_code, sizeof(out->county_code));
    col_copy(r, HR_S(1), out->id_hash, sizeof(out->id_hash));
    col_copy(r, HR_S(2), out->id_enc, sizeof(out->id_enc));
    col_copy(r, HR_S(3), out->id_masked, sizeof(out->id_masked));
    col_copy(r, HR_S(4), out->name, sizeof(out->name));
    col_copy(r, HR_S(5), out->sex, sizeof(out->sex));
    col_copy(r, HR_S(6), out->birth_date, sizeof(out->birth_date));
    col_copy(r, HR_S(7), out->disability_card_enc,
             sizeof(out->disability_card_enc));
}

static void
read_income(struct store_rows *r, struct income_row *out)
{
    memset(out, 0, sizeof(*out));
    out->id = col_int(r, HR_I(0));
    out->person_id = col_int(r, HR_I(1));
    out->kind = (int)col_int(r, HR_I(2));
    out->monthly_fen = col_int(r, HR_I(3));
    col_copy(r, HR_S(0), out->county_code, sizeof(out->county_code));
}

static void
read_asset(struct store_rows *r, struct asset_row *out)
{
    memset(out, 0, sizeof(*out));
    out->id = col_int(r, HR_I(0));
    out->household_id = col_int(r, HR_I(1));
    out->owner_person_id = col_int(r, HR_I(2));
    out->kind = (int)col_int(r, HR_I(3));
    out->value_fen = col_int(r, HR_I(4));
    out->count = col_int(r, HR_I(5));
    out->area_dm2 = col_int(r, HR_I(6));
    out->exempt = (int)col_int(r, HR_I(7));
    col_copy(r, HR_S(0), out->county_code, sizeof(out->county_code));
}

static void
read_obligor(struct store_rows *r, struct obligor_row *out)
{
    memset(out, 0, sizeof(*out));
    out->id = col_int(r, HR_I(0));
    out->household_id = col_int(r, HR_I(1));
    out->of_person_id = col_int(r, HR_I(2));
    out->relation = (int)col_int(r, HR_I(3));
    out->disability_category = (int)col_int(r, HR_I(4));
    out->disability_grade = (int)col_int(r, HR_I(5));
    out->flags = (int)col_int(r, HR_I(6));
    out->income_monthly_fen = col_int(r, HR_I(7));
    col_copy(r, HR_S(0), out->county_code, sizeof(out->county_code));
    col_copy(r, HR_S(1), out->name, sizeof(out->name));
    col_copy(r, HR_S(2), out->birth_date, sizeof(out->birth_date));
}

_Static_assert(offsetof(struct person_row, id) == 0 &&
                   offsetof(struct income_row, id) == 0 &&
                   offsetof(struct asset_row, id) == 0 &&
                   offsetof(struct obligor_row, id) == 0,
               "sort_by_id reads the id at the start of each row");

/* Puts count rows of size bytes, each starting with its int64_t id, in id
 * order: an insertion sort, which does no work on rows already in order
 * (the usual case: each arm walks an index in id order). tmp holds one
 * row. */
static void
sort_by_id(void *rows, size_t count, size_t size, void *tmp)
{
    char *base = rows;
    for (size_t i = 1; i < count; i++) {
        int64_t id, prev;
        memcpy(&id, base + i * size, sizeof(id));
        memcpy(&prev, base + (i - 1) * size, sizeof(prev));
        if (prev <= id)
            continue;
        size_t j = i;
        memcpy(tmp, base + i * size, size);
        for (; j > 0; j--) {
            memcpy(&prev, base + (j - 1) * size, sizeof(prev));
            if (prev <= id)
                break;
        }
        memmove(base + (j + 1) * size, base + j * size, (i - j) * size);
        memcpy(base + j * size, tmp, size);
    }
}

enum dd_status
store_household_read(struct store_tx *tx, int64_t id, struct household_row *h,
                     struct store_household_parts *out)
{
    struct store_param p[] = {P_INT(id)};
    struct store_rows r;
    int has_row = 0, found = 0;
    enum dd_status rc;

    out->member_count = out->income_count = 0;
    out->asset_count = out->obligor_count = 0;
    rc = query(tx, STMT_HOUSEHOLD_READ, p, NPARAMS(p), &r);
    if (rc != DD_OK)
        return rc;
    for (;;) {
        rc = r.ops->next(&r, &has_row);
        if (rc != DD_OK || !has_row)
            break;
        switch (col_int(&r, HR_TAG)) {
        case 0:
            read_household(&r, h);
            found = 1;
            break;
        case 1:
            if (out->member_count < out->members_max)
                read_person(&r, &out->members[out->member_count++]);
            break;
        case 2:
            if (out->income_count < out->incomes_max)
                read_income(&r, &out->incomes[out->income_count++]);
            break;
        case 3:
            if (out->asset_count < out->assets_max)
                read_asset(&r, &out->assets[out->asset_count++]);
            break;
        case 4:
            if (out->obligor_count < out->obligors_max)
                read_obligor(&r, &out->obligors[out->obligor_count++]);
            break;
        default:
            break;
        }
    }
    r.ops->done(&r);
    if (rc != DD_OK)
        return rc;
    if (!found)
        return DD_ENOTFOUND;
    union {
        struct person_row p;
        struct income_row i;
        struct asset_row a;
        struct obligor_row o;
    } tmp;
    sort_by_id(out->members, out->member_count, sizeof(*out->members), &tmp);
    sort_by_id(out->incomes, out->income_count, sizeof(*out->incomes), &tmp);
    sort_by_id(out->assets, out->asset_count, sizeof(*out->assets), &tmp);
    sort_by_id(out->obligors, out->obligor_count, sizeof(*out->obligors),
               &tmp);
    return DD_OK;
}

enum dd_status
store_household_list_in(struct store_tx *tx, const char *const *prefixes,
                        size_t prefix_count, const char *region_prefix,
                        int64_t after_id, struct household_row *out,
                        size_t max, size_t *count)
{
    /* ["p1","p2",...]: at most 64 prefixes of 12 digits in practice; the
     * buffer is checked, never overrun */
    char list[64 * 16 + 4];
    size_t len = 0;

    *count = 0;
    list[len++] = '[';
    for (size_t i = 0; i < prefix_count; i++) {
        size_t n = strlen(prefixes[i]);
        if (n == 0 || n > 12 || strspn(prefixes[i], "0123456789") != n ||
            len + n + 4 >= sizeof(list))
            return DD_EINVAL;
        if (i)
            list[len++] = ',';
        list[len++] = '"';
        memcpy(list + len, prefixes[i], n);
        len += n;
        list[len++] = '"';
    }
    list[len++] = ']';
    list[len] = '\0';
    struct store_param p[] = {P_TEXT(list), P_INT(after_id),
                              P_INT(limit_of(max)),
                              P_TEXT(region_prefix ? region_prefix : "")};
    return get_many(tx, STMT_HOUSEHOLD_LIST_IN, p, NPARAMS(p), map_household,
                    out, sizeof(*out), max, count);
}

enum dd_status
store_household_clear_holdings(struct store_tx *tx, int64_t household_id)
{
    enum dd_status rc = need_write(tx);
    struct store_param p[] = {P_INT(household_id)};
    if (rc == DD_OK)
        rc = run(tx, STMT_HOUSEHOLD_CLEAR_OBLIGORS, p, NPARAMS(p));
    if (rc == DD_OK)
        rc = run(tx, STMT_HOUSEHOLD_CLEAR_ASSETS, p, NPARAMS(p));
    return rc;
}

enum dd_status
store_person_update(struct store_tx *tx, const struct person_row *r)
{
    int64_t id = 0;
    enum dd_status rc = need_write(tx);
    if (rc != DD_OK)
        return rc;
    struct store_param p[] = {
        P_INT(r->household_id),
        P_INT(r->id),
        P_TEXT(r->county_code),
        P_TEXT(r->id_enc),
        P_TEXT(r->id_masked),
        P_TEXT(r->name),
        P_TEXT(r->sex),
        P_TEXT(r->birth_date),
        P_INT(r->relation),
        P_INT(r->disability_category),
        P_INT(r->disability_grade),
        P_TEXT(r->disability_card_enc),
        P_INT(r->major_illness ? 1 : 0),
        P_INT(r->work_capacity),
        P_INT(r->schooling),
        P_INT(r->employed ? 1 : 0),
        P_INT(r->selfcare_unable)};
    rc = run_int(tx, STMT_PERSON_UPDATE, p, NPARAMS(p), &id);
    if (rc != DD_OK)
        return rc;
    struct store_param q[] = {P_INT(r->id)};
    return run(tx, STMT_INCOME_DELETE_PERSON, q, NPARAMS(q));
}

/* ---- the importer's bulk path ---- */

/* Runs one of the importer's inserts and reads the new row's id: from its
 * RETURNING row (PostgreSQL) or, when it gives none, from
 * STMT_IMPORT_LAST_ID (SQLite; a no-op on PostgreSQL). DD_ENOTFOUND when
 * nothing was written (ON CONFLICT DO NOTHING). */
static enum dd_status
import_insert(struct store_tx *tx, enum stmt id, const struct store_param *p,
              int n, int64_t *out)
{
    enum dd_status rc = run_int(tx, id, p, n, out);
    if (rc == DD_ENOTFOUND)
        rc = run_int(tx, STMT_IMPORT_LAST_ID, NULL, 0, out);
    return rc;
}

enum dd_status
store_import_tune(struct store_tx *tx)
{
    enum dd_status rc = need_write(tx);
    if (rc == DD_OK)
        rc = run(tx, STMT_IMPORT_CACHE, NULL, 0);
    if (rc == DD_OK)
        rc = run(tx, STMT_IMPORT_CHECKPOINT, NULL, 0);
    if (rc == DD_OK)
        rc = run(tx, STMT_IMPORT_TEMP_STORE, NULL, 0);
    return rc;
}

enum dd_status
store_import_person_insert(struct store_tx *tx, struct person_row *r)
{
    enum dd_status rc = need_write(tx);
    if (rc != DD_OK)
        return rc;
    struct store_param p[] = {
        P_INT(r->household_id),
        P_TEXT(r->county_code),
        P_TEXT(r->id_hash),
        P_TEXT(r->active ? r->id_hash : NULL),
        P_TEXT(r->id_enc),
        P_TEXT(r->id_masked),
        P_TEXT(r->name),
        P_TEXT(r->sex),
        P_TEXT(r->birth_date),
        P_INT(r->relation),
        P_INT(r->disability_category),
        P_INT(r->disability_grade),
        P_TEXT(r->disability_card_enc),
        P_INT(r->major_illness ? 1 : 0),
        P_INT(r->work_capacity),
        P_INT(r->schooling),
        P_INT(r->employed ? 1 : 0),
        P_INT(r->selfcare_unable)};
    rc = import_insert(tx, STMT_IMPORT_PERSON_INSERT, p, NPARAMS(p), &r->id);
    return rc == DD_ENOTFOUND ? DD_ECONFLICT : rc;
}

enum dd_status
store_import_household_insert(struct store_tx *tx, struct household_row *h)
{
    int64_t now = time_now();
    enum dd_status rc = need_write(tx);
    if (rc != DD_OK)
        return rc;
    if (h->created_at == 0)
        h->created_at = now;
    if (h->updated_at == 0)
        h->updated_at = h->created_at;
    struct store_param p[] = {
        P_TEXT(h->county_code),    P_TEXT(h->region_code),
        P_TEXT(h->hukou_region),   P_TEXT(h->address),
        P_TEXT(h->urban_or_rural), P_TEXT(h->status),
        P_INT(h->created_at),      P_INT(h->updated_at)};
    rc = import_insert(tx, STMT_IMPORT_HOUSEHOLD_INSERT, p, NPARAMS(p), &h->id);
    if (rc == DD_ENOTFOUND)
        rc = DD_ESTORE;
    if (rc == DD_OK)
        h->version = 1;
    return rc;
}

enum dd_status
store_import_income_insert(struct store_tx *tx, const struct income_row *r)
{
    enum dd_status rc = need_write(tx);
    struct store_param p[] = {P_INT(r->person_id), P_TEXT(r->county_code),
                              P_INT(r->kind), P_INT(r->monthly_fen)};
    if (rc == DD_OK)
        rc = run(tx, STMT_IMPORT_INCOME_INSERT, p, NPARAMS(p));
    return rc;
}

enum dd_status
store_import_household_delete(struct store_tx *tx, int64_t id)
{
    enum dd_status rc = need_write(tx);
    struct store_param p[] = {P_INT(id)};
    if (rc == DD_OK)
        rc = run(tx, STMT_IMPORT_HOUSEHOLD_DELETE, p, NPARAMS(p));
    return rc;
}

/* ---- intake and case handling (migration 7) ---- */

static void
map_catalog(struct store_rows *r, void *o)
{
    struct catalog_item *it = o;
    memset(it, 0, sizeof(*it));
    col_copy(r, 0, it->code, sizeof(it->code));
    it->version = col_int(r, 1);
    col_copy(r, 2, it->effective_from, sizeof(it->effective_from));
    col_copy(r, 3, it->name_zh, sizeof(it->name_zh));
    col_copy(r, 4, it->name_en, sizeof(it->name_en));
    col_copy(r, 5, it->department, sizeof(it->department));
    col_copy(r, 6, it->decide_level, sizeof(it->decide_level));
    col_copy(r, 7, it->template_code, sizeof(it->template_code));
    it->statutory_days = col_int(r, 8);
    col_copy(r, 9, it->statutory_unit, sizeof(it->statutory_unit));
    it->promised_days = col_int(r, 10);
    it->visits_required = col_int(r, 11);
    it->fully_online = col_int(r, 12);
    col_copy(r, 13, it->cross_region_mode, sizeof(it->cross_region_mode));
    col_copy(r, 14, it->program, sizeof(it->program));
    col_copy(r, 15, it->start_rule, sizeof(it->start_rule));
    col_copy(r, 16, it->materials, sizeof(it->materials));
    col_copy(r, 17, it->source, sizeof(it->source));
    col_copy(r, 18, it->created_by, sizeof(it->created_by));
    it->created_at = col_int(r, 19);
    col_copy(r, 20, it->step_limits, sizeof(it->step_limits));
}

enum dd_status
store_catalog_insert(struct store_tx *tx, struct catalog_item *it)
{
    enum dd_status rc = need_write(tx);
    if (rc != DD_OK)
        return rc;
    if (it->created_at == 0)
        it->created_at = time_now();
    struct store_param p[] = {
        P_TEXT(it->code),           P_INT(it->version),
        P_TEXT(it->effective_from), P_TEXT(it->name_zh),
        P_TEXT(it->name_en),        P_TEXT(it->department),
        P_TEXT(it->decide_level),   P_TEXT(it->template_code),
        P_INT(it->statutory_days),  P_TEXT(it->statutory_unit),
        P_INT(it->promised_days),   P_INT(it->visits_required),
        P_INT(it->fully_online),    P_TEXT(it->cross_region_mode),
        P_TEXT(it->program),        P_TEXT(it->start_rule),
        P_TEXT(it->materials),      P_TEXT(it->source),
        P_TEXT(it->created_by),     P_INT(it->created_at),
        P_TEXT(it->step_limits)};
    return run(tx, STMT_CATALOG_INSERT, p, NPARAMS(p));
}

enum dd_status
store_catalog_each(struct store_tx *tx, store_catalog_fn fn, void *ctx)
{
    struct store_rows r;
    struct catalog_item it;
    int has_row = 0;
    enum dd_status rc = query(tx, STMT_CATALOG_EACH, NULL, 0, &r);
    if (rc != DD_OK)
        return rc;
    for (;;) {
        rc = r.ops->next(&r, &has_row);
        if (rc != DD_OK || !has_row)
            break;
        map_catalog(&r, &it);
        if (fn(&it, ctx) != 0)
            break;
    }
    r.ops->done(&r);
    return rc;
}

enum dd_status
store_case_seq_next(struct store_tx *tx, const char *county, int year,
                    int64_t *out)
{
    struct store_param p[] = {P_TEXT(county), P_INT(year)};
    return insert_id(tx, STMT_CASE_SEQ_NEXT, p, NPARAMS(p), out);
}

static void
map_application(struct store_rows *r, void *o)
{
    struct application_row *a = o;
    memset(a, 0, sizeof(*a));
    a->id = col_int(r, 0);
    col_copy(r, 1, a->case_no, sizeof(a->case_no));
    col_copy(r, 2, a->county_code, sizeof(a->county_code));
    a->household_id = col_int(r, 3);
    col_copy(r, 4, a->channel, sizeof(a->channel));
    col_copy(r, 5, a->intake_region, sizeof(a->intake_region));
    col_copy(r, 6, a->intake_user, sizeof(a->intake_user));
    col_copy(r, 7, a->query_code_hash, sizeof(a->query_code_hash));
    col_copy(r, 8, a->applied_on, sizeof(a->applied_on));
    col_copy(r, 9, a->missing, sizeof(a->missing));
    a->created_at = col_int(r, 10);
    col_copy(r, 11, a->citizen_hash, sizeof(a->citizen_hash));
}

enum dd_status
store_application_insert(struct store_tx *tx, struct application_row *a)
{
    if (a->created_at == 0)
        a->created_at = time_now();
    struct store_param p[] = {
        P_TEXT(a->case_no),         P_TEXT(a->county_code),
        P_INT(a->household_id),     P_TEXT(a->channel),
        P_TEXT(a->intake_region),   P_TEXT(a->intake_user),
        P_TEXT(a->query_code_hash), P_TEXT(a->applied_on),
        P_TEXT(a->missing),         P_INT(a->created_at),
        P_TEXT(a->citizen_hash)};
    return insert_id(tx, STMT_APPLICATION_INSERT, p, NPARAMS(p), &a->id);
}

enum dd_status
store_application_get(struct store_tx *tx, int64_t id,
                      struct application_row *out)
{
    struct store_param p[] = {P_INT(id)};
    return get_one(tx, STMT_APPLICATION_GET, p, NPARAMS(p), map_application,
                   out);
}

enum dd_status
store_application_by_case_no(struct store_tx *tx, const char *case_no,
                             struct application_row *out)
{
    struct store_param p[] = {P_TEXT(case_no)};
    return get_one(tx, STMT_APPLICATION_BY_CASE_NO, p, NPARAMS(p),
                   map_application, out);
}

static void
map_case_item(struct store_rows *r, void *o)
{
    struct case_item_row *c = o;
    memset(c, 0, sizeof(*c));
    c->id = col_int(r, 0);
    c->application_id = col_int(r, 1);
    col_copy(r, 2, c->county_code, sizeof(c->county_code));
    c->household_id = col_int(r, 3);
    col_copy(r, 4, c->village_code, sizeof(c->village_code));
    col_copy(r, 5, c->intake_region, sizeof(c->intake_region));
    col_copy(r, 6, c->item_code, sizeof(c->item_code));
    c->catalog_version = col_int(r, 7);
    col_copy(r, 8, c->owner_region, sizeof(c->owner_region));
    col_copy(r, 9, c->owner_department, sizeof(c->owner_department));
    col_copy(r, 10, c->step, sizeof(c->step));
    col_copy(r, 11, c->state, sizeof(c->state));
    col_copy(r, 12, c->accepted_on, sizeof(c->accepted_on));
    col_copy(r, 13, c->deadline, sizeof(c->deadline));
    c->deadline_uncovered = col_int(r, 14);
    col_copy(r, 15, c->step_started_on, sizeof(c->step_started_on));
    col_copy(r, 16, c->step_deadline, sizeof(c->step_deadline));
    col_copy(r, 17, c->paused_since, sizeof(c->paused_since));
    c->paused_working_days = col_int(r, 18);
    c->version = col_int(r, 19);
    col_copy(r, 20, c->decision, sizeof(c->decision));
    c->amount_fen = col_int(r, 21);
    col_copy(r, 22, c->reasons, sizeof(c->reasons));
    col_copy(r, 23, c->missing, sizeof(c->missing));
    c->visits = col_int(r, 24);
    c->spot_check = col_int(r, 25);
    col_copy(r, 26, c->closed_on, sizeof(c->closed_on));
    c->created_at = col_int(r, 27);
    c->updated_at = col_int(r, 28);
    col_copy(r, 29, c->case_no, sizeof(c->case_no));
}

enum dd_status
store_case_item_insert(struct store_tx *tx, struct case_item_row *c)
{
    c->created_at = c->updated_at = time_now();
    struct store_param p[] = {
        P_INT(c->application_id),      P_TEXT(c->county_code),
        P_INT(c->household_id),        P_TEXT(c->village_code),
        P_TEXT(c->intake_region),      P_TEXT(c->item_code),
        P_INT(c->catalog_version),     P_TEXT(c->owner_region),
        P_TEXT(c->owner_department),   P_TEXT(c->step),
        P_TEXT(c->state),              P_TEXT(c->accepted_on),
        P_TEXT(c->deadline),           P_INT(c->deadline_uncovered),
        P_TEXT(c->step_started_on),    P_TEXT(c->step_deadline),
        P_TEXT(c->paused_since),       P_INT(c->paused_working_days),
        P_TEXT(c->missing),            P_INT(c->visits),
        P_INT(c->spot_check),          P_INT(c->created_at)};
    enum dd_status rc =
        insert_id(tx, STMT_CASE_ITEM_INSERT, p, NPARAMS(p), &c->id);
    if (rc == DD_OK)
        c->version = 1;
    return rc;
}

enum dd_status
store_case_item_get(struct store_tx *tx, int64_t id, struct case_item_row *out)
{
    struct store_param p[] = {P_INT(id)};
    return get_one(tx, STMT_CASE_ITEM_GET, p, NPARAMS(p), map_case_item, out);
}

enum dd_status
store_case_item_update(struct store_tx *tx, struct case_item_row *c,
                       int64_t expected_version)
{
    int64_t version = 0;
    struct case_item_row cur;
    enum dd_status rc = need_write(tx);
    if (rc != DD_OK)
        return rc;
    c->updated_at = time_now();
    struct store_param p[] = {
        P_INT(c->id),                  P_INT(expected_version),
        P_TEXT(c->owner_region),       P_TEXT(c->owner_department),
        P_TEXT(c->step),               P_TEXT(c->state),
        P_TEXT(c->deadline),           P_INT(c->deadline_uncovered),
        P_TEXT(c->step_started_on),    P_TEXT(c->step_deadline),
        P_TEXT(c->paused_since),       P_INT(c->paused_working_days),
        P_TEXT(c->decision),           P_INT(c->amount_fen),
        P_TEXT(c->reasons),            P_TEXT(c->missing),
        P_INT(c->visits),              P_INT(c->spot_check),
        P_TEXT(c->closed_on),          P_INT(c->updated_at),
        P_TEXT(c->accepted_on)};
    rc = run_int(tx, STMT_CASE_ITEM_UPDATE, p, NPARAMS(p), &version);
    if (rc == DD_ENOTFOUND) {
        rc = store_case_item_get(tx, c->id, &cur);
        return rc == DD_OK ? DD_ECONFLICT : rc;
    }
    if (rc == DD_OK)
        c->version = version;
    return rc;
}

enum dd_status
store_case_item_by_application(struct store_tx *tx, int64_t application_id,
                               struct case_item_row *out, size_t max,
                               size_t *count)
{
    struct store_param p[] = {P_INT(application_id)};
    return get_many(tx, STMT_CASE_ITEM_BY_APPLICATION, p, NPARAMS(p),
                    map_case_item, out, sizeof(*out), max, count);
}

enum dd_status
store_case_item_inbox(struct store_tx *tx, const char *region_prefix,
                      const char *department, const char *today,
                      struct case_item_row *out, size_t max, size_t *count)
{
    struct store_param p[] = {P_TEXT(region_prefix), P_TEXT(department),
                              P_INT(limit_of(max)), P_TEXT(today)};
    return get_many(tx, STMT_CASE_ITEM_INBOX, p, NPARAMS(p), map_case_item,
                    out, sizeof(*out), max, count);
}

enum dd_status
store_case_item_explanation_set(struct store_tx *tx, int64_t id,
                                const char *json)
{
    enum dd_status rc = need_write(tx);
    if (rc != DD_OK)
        return rc;
    struct store_param p[] = {P_INT(id), P_TEXT(json)};
    return run(tx, STMT_CASE_ITEM_EXPLANATION_SET, p, NPARAMS(p));
}

enum dd_status
store_case_item_explanation_get(struct store_tx *tx, int64_t id, char *out,
                                size_t cap)
{
    struct store_rows r;
    int has_row = 0;
    struct store_param p[] = {P_INT(id)};
    enum dd_status rc =
        query(tx, STMT_CASE_ITEM_EXPLANATION_GET, p, NPARAMS(p), &r);
    if (rc != DD_OK)
        return rc;
    rc = r.ops->next(&r, &has_row);
    if (rc == DD_OK && !has_row)
        rc = DD_ENOTFOUND;
    if (rc == DD_OK)
        col_copy(&r, 0, out, cap);
    r.ops->done(&r);
    return rc;
}

enum dd_status
store_case_item_steps_each(struct store_tx *tx, store_case_step_fn fn,
                           void *ctx)
{
    struct store_rows r;
    struct case_step_count c;
    int has_row = 0;
    enum dd_status rc = query(tx, STMT_CASE_ITEM_STEPS, NULL, 0, &r);
    if (rc != DD_OK)
        return rc;
    for (;;) {
        rc = r.ops->next(&r, &has_row);
        if (rc != DD_OK || !has_row)
            break;
        memset(&c, 0, sizeof(c));
        col_copy(&r, 0, c.item_code, sizeof(c.item_code));
        c.catalog_version = col_int(&r, 1);
        col_copy(&r, 2, c.step, sizeof(c.step));
        c.count = col_int(&r, 3);
        if (fn(&c, ctx) != 0)
            break;
    }
    r.ops->done(&r);
    return rc;
}

static void
map_case_event(struct store_rows *r, void *o)
{
    struct case_event_row *e = o;
    memset(e, 0, sizeof(*e));
    e->id = col_int(r, 0);
    e->case_item_id = col_int(r, 1);
    col_copy(r, 2, e->county_code, sizeof(e->county_code));
    e->seq = col_int(r, 3);
    col_copy(r, 4, e->step_from, sizeof(e->step_from));
    col_copy(r, 5, e->step_to, sizeof(e->step_to));
    col_copy(r, 6, e->action, sizeof(e->action));
    col_copy(r, 7, e->actor, sizeof(e->actor));
    col_copy(r, 8, e->role, sizeof(e->role));
    col_copy(r, 9, e->region, sizeof(e->region));
    e->at = col_int(r, 10);
    col_copy(r, 11, e->day, sizeof(e->day));
    col_copy(r, 12, e->reasons, sizeof(e->reasons));
    col_copy(r, 13, e->fields, sizeof(e->fields));
    e->visit = col_int(r, 14);
}

enum dd_status
store_case_event_insert(struct store_tx *tx, struct case_event_row *e)
{
    if (e->at == 0)
        e->at = time_now();
    struct store_param p[] = {
        P_INT(e->case_item_id), P_TEXT(e->county_code), P_TEXT(e->step_from),
        P_TEXT(e->step_to),     P_TEXT(e->action),      P_TEXT(e->actor),
        P_TEXT(e->role),        P_TEXT(e->region),      P_INT(e->at),
        P_TEXT(e->day),         P_TEXT(e->reasons),
        P_TEXT(e->fields[0] ? e->fields : "{}"),        P_INT(e->visit)};
    return insert_id(tx, STMT_CASE_EVENT_INSERT, p, NPARAMS(p), &e->id);
}

enum dd_status
store_case_event_list(struct store_tx *tx, int64_t case_item_id,
                      struct case_event_row *out, size_t max, size_t *count)
{
    struct store_param p[] = {P_INT(case_item_id), P_INT(limit_of(max))};
    return get_many(tx, STMT_CASE_EVENT_LIST, p, NPARAMS(p), map_case_event,
                    out, sizeof(*out), max, count);
}

static void
map_referral(struct store_rows *r, void *o)
{
    struct referral_row *f = o;
    memset(f, 0, sizeof(*f));
    f->id = col_int(r, 0);
    f->case_item_id = col_int(r, 1);
    col_copy(r, 2, f->county_code, sizeof(f->county_code));
    col_copy(r, 3, f->department, sizeof(f->department));
    col_copy(r, 4, f->region, sizeof(f->region));
    f->sent_at = col_int(r, 5);
    f->accepted_at = col_int(r, 6);
    f->answered_at = col_int(r, 7);
    col_copy(r, 8, f->result, sizeof(f->result));
}

enum dd_status
store_referral_insert(struct store_tx *tx, struct referral_row *f)
{
    if (f->sent_at == 0)
        f->sent_at = time_now();
    struct store_param p[] = {P_INT(f->case_item_id), P_TEXT(f->county_code),
                              P_TEXT(f->department), P_TEXT(f->region),
                              P_INT(f->sent_at)};
    return insert_id(tx, STMT_REFERRAL_INSERT, p, NPARAMS(p), &f->id);
}

enum dd_status
store_referral_update(struct store_tx *tx, const struct referral_row *f)
{
    enum dd_status rc = need_write(tx);
    if (rc != DD_OK)
        return rc;
    struct store_param p[] = {P_INT(f->case_item_id), P_INT(f->accepted_at),
                              P_INT(f->answered_at), P_TEXT(f->result)};
    return run(tx, STMT_REFERRAL_UPDATE, p, NPARAMS(p));
}

enum dd_status
store_referral_get(struct store_tx *tx, int64_t case_item_id,
                   struct referral_row *out)
{
    struct store_param p[] = {P_INT(case_item_id)};
    return get_one(tx, STMT_REFERRAL_GET, p, NPARAMS(p), map_referral, out);
}

enum dd_status
store_referral_dept_household(struct store_tx *tx, int64_t household_id,
                              const char *dept, int *has)
{
    int64_t n = 0;
    struct store_param p[] = {P_INT(household_id), P_TEXT(dept)};
    enum dd_status rc =
        run_int(tx, STMT_REFERRAL_DEPT_HOUSEHOLD, p, NPARAMS(p), &n);
    *has = rc == DD_OK && n > 0;
    return rc == DD_ENOTFOUND ? DD_OK : rc;
}

static void
map_entitlement(struct store_rows *r, void *o)
{
    struct entitlement_row *e = o;
    memset(e, 0, sizeof(*e));
    e->id = col_int(r, 0);
    col_copy(r, 1, e->county_code, sizeof(e->county_code));
    e->household_id = col_int(r, 2);
    col_copy(r, 3, e->item_code, sizeof(e->item_code));
    e->case_item_id = col_int(r, 4);
    e->monthly_fen = col_int(r, 5);
    col_copy(r, 6, e->start_month, sizeof(e->start_month));
    col_copy(r, 7, e->end_month, sizeof(e->end_month));
    col_copy(r, 8, e->state, sizeof(e->state));
    e->created_at = col_int(r, 9);
}

enum dd_status
store_entitlement_insert(struct store_tx *tx, struct entitlement_row *e)
{
    if (e->created_at == 0)
        e->created_at = time_now();
    struct store_param p[] = {
        P_TEXT(e->county_code), P_INT(e->household_id), P_TEXT(e->item_code),
        P_INT(e->case_item_id), P_INT(e->monthly_fen),  P_TEXT(e->start_month),
        P_TEXT(e->end_month),   P_TEXT(e->state),       P_INT(e->created_at)};
    return insert_id(tx, STMT_ENTITLEMENT_INSERT, p, NPARAMS(p), &e->id);
}

enum dd_status
store_entitlement_by_case_item(struct store_tx *tx, int64_t case_item_id,
                               struct entitlement_row *out)
{
    struct store_param p[] = {P_INT(case_item_id)};
    return get_one(tx, STMT_ENTITLEMENT_BY_CASE_ITEM, p, NPARAMS(p),
                   map_entitlement, out);
}

enum dd_status
store_entitlement_active_of_household(struct store_tx *tx,
                                      int64_t household_id,
                                      struct entitlement_row *out, size_t max,
                                      size_t *count)
{
    struct store_param p[] = {P_INT(household_id), P_INT(limit_of(max))};
    return get_many(tx, STMT_ENTITLEMENT_ACTIVE_OF_HOUSEHOLD, p, NPARAMS(p),
                    map_entitlement, out, sizeof(*out), max, count);
}

static void
map_publicity(struct store_rows *r, void *o)
{
    struct publicity_row *p = o;
    memset(p, 0, sizeof(*p));
    p->id = col_int(r, 0);
    p->case_item_id = col_int(r, 1);
    col_copy(r, 2, p->county_code, sizeof(p->county_code));
    col_copy(r, 3, p->village_code, sizeof(p->village_code));
    col_copy(r, 4, p->item_code, sizeof(p->item_code));
    col_copy(r, 5, p->masked_name, sizeof(p->masked_name));
    p->household_size = col_int(r, 6);
    p->amount_fen = col_int(r, 7);
    col_copy(r, 8, p->start_day, sizeof(p->start_day));
    col_copy(r, 9, p->end_day, sizeof(p->end_day));
    col_copy(r, 10, p->state, sizeof(p->state));
    p->created_at = col_int(r, 11);
}

enum dd_status
store_publicity_insert(struct store_tx *tx, struct publicity_row *u)
{
    if (u->created_at == 0)
        u->created_at = time_now();
    struct store_param p[] = {
        P_INT(u->case_item_id), P_TEXT(u->county_code),
        P_TEXT(u->village_code), P_TEXT(u->item_code),
        P_TEXT(u->masked_name), P_INT(u->household_size),
        P_INT(u->amount_fen),   P_TEXT(u->start_day),
        P_TEXT(u->end_day),     P_TEXT(u->state),
        P_INT(u->created_at)};
    return insert_id(tx, STMT_PUBLICITY_INSERT, p, NPARAMS(p), &u->id);
}

enum dd_status
store_publicity_get(struct store_tx *tx, int64_t id, struct publicity_row *out)
{
    struct store_param p[] = {P_INT(id)};
    return get_one(tx, STMT_PUBLICITY_GET, p, NPARAMS(p), map_publicity, out);
}

enum dd_status
store_publicity_update(struct store_tx *tx, const struct publicity_row *u)
{
    enum dd_status rc = need_write(tx);
    if (rc != DD_OK)
        return rc;
    struct store_param p[] = {P_INT(u->id), P_TEXT(u->start_day),
                              P_TEXT(u->end_day), P_TEXT(u->state)};
    return run(tx, STMT_PUBLICITY_UPDATE, p, NPARAMS(p));
}

enum dd_status
store_publicity_by_village(struct store_tx *tx, const char *village,
                           struct publicity_row *out, size_t max,
                           size_t *count)
{
    struct store_param p[] = {P_TEXT(village), P_INT(limit_of(max))};
    return get_many(tx, STMT_PUBLICITY_BY_VILLAGE, p, NPARAMS(p),
                    map_publicity, out, sizeof(*out), max, count);
}

enum dd_status
store_publicity_open_of_case(struct store_tx *tx, int64_t case_item_id,
                             struct publicity_row *out)
{
    struct store_param p[] = {P_INT(case_item_id)};
    return get_one(tx, STMT_PUBLICITY_OPEN_OF_CASE, p, NPARAMS(p),
                   map_publicity, out);
}

enum dd_status
store_objection_insert(struct store_tx *tx, struct objection_row *o)
{
    if (o->at == 0)
        o->at = time_now();
    struct store_param p[] = {P_INT(o->publicity_id), P_TEXT(o->county_code),
                              P_TEXT(o->text), P_TEXT(o->recorded_by),
                              P_INT(o->at), P_TEXT(o->day)};
    return insert_id(tx, STMT_OBJECTION_INSERT, p, NPARAMS(p), &o->id);
}

/* ---- KPIs ---- */

enum dd_status
store_kpi_case_each(struct store_tx *tx, const char *region_prefix,
                    const char *from, const char *to, store_kpi_case_fn fn,
                    void *ctx)
{
    struct store_rows r;
    struct kpi_case_row k;
    int has_row = 0;
    struct store_param p[] = {P_TEXT(region_prefix), P_TEXT(from), P_TEXT(to)};
    enum dd_status rc = query(tx, STMT_KPI_CASE_EACH, p, NPARAMS(p), &r);
    if (rc != DD_OK)
        return rc;
    for (;;) {
        rc = r.ops->next(&r, &has_row);
        if (rc != DD_OK || !has_row)
            break;
        memset(&k, 0, sizeof(k));
        col_copy(&r, 0, k.item_code, sizeof(k.item_code));
        col_copy(&r, 1, k.village_code, sizeof(k.village_code));
        col_copy(&r, 2, k.state, sizeof(k.state));
        col_copy(&r, 3, k.accepted_on, sizeof(k.accepted_on));
        col_copy(&r, 4, k.deadline, sizeof(k.deadline));
        col_copy(&r, 5, k.closed_on, sizeof(k.closed_on));
        k.paused_working_days = col_int(&r, 6);
        col_copy(&r, 7, k.decision, sizeof(k.decision));
        k.amount_fen = col_int(&r, 8);
        k.visits = col_int(&r, 9);
        col_copy(&r, 10, k.channel, sizeof(k.channel));
        k.referral_sent_at = col_int(&r, 11);
        k.referral_answered_at = col_int(&r, 12);
        if (fn(&k, ctx) != 0)
            break;
    }
    r.ops->done(&r);
    return rc;
}

/* ---- a household's file and a citizen's applications (migration 8) ---- */

static enum dd_status
case_history_each(struct store_tx *tx, enum stmt id, struct store_param *key,
                  size_t max, store_case_history_fn fn, void *ctx)
{
    struct store_rows r;
    struct case_history_row h;
    int has_row = 0;
    struct store_param p[] = {*key, P_INT(limit_of(max))};
    if (max == 0)
        return DD_OK;
    enum dd_status rc = query(tx, id, p, NPARAMS(p), &r);
    if (rc != DD_OK)
        return rc;
    for (;;) {
        rc = r.ops->next(&r, &has_row);
        if (rc != DD_OK || !has_row)
            break;
        map_case_item(&r, &h.c);
        col_copy(&r, 30, h.channel, sizeof(h.channel));
        col_copy(&r, 31, h.applied_on, sizeof(h.applied_on));
        col_copy(&r, 32, h.decided_on, sizeof(h.decided_on));
        memset(&h.ent, 0, sizeof(h.ent));
        h.ent.id = col_int(&r, 33);
        if (h.ent.id) {
            str_copy(h.ent.county_code, sizeof(h.ent.county_code),
                     h.c.county_code);
            h.ent.household_id = h.c.household_id;
            str_copy(h.ent.item_code, sizeof(h.ent.item_code),
                     h.c.item_code);
            h.ent.case_item_id = h.c.id;
            h.ent.monthly_fen = col_int(&r, 34);
            col_copy(&r, 35, h.ent.start_month, sizeof(h.ent.start_month));
            col_copy(&r, 36, h.ent.end_month, sizeof(h.ent.end_month));
            col_copy(&r, 37, h.ent.state, sizeof(h.ent.state));
            h.ent.created_at = col_int(&r, 38);
        }
        h.explanation = r.ops->col_text(&r, 39);
        if (fn(&h, ctx) != 0)
            break;
    }
    r.ops->done(&r);
    return rc;
}

enum dd_status
store_case_history_household(struct store_tx *tx, int64_t household_id,
                             size_t max, store_case_history_fn fn, void *ctx)
{
    struct store_param key = P_INT(household_id);
    return case_history_each(tx, STMT_CASE_HISTORY_HOUSEHOLD, &key, max, fn,
                             ctx);
}

enum dd_status
store_case_history_citizen(struct store_tx *tx, const char *citizen_hash,
                           size_t max, store_case_history_fn fn, void *ctx)
{
    struct store_param key = P_TEXT(citizen_hash);
    return case_history_each(tx, STMT_CASE_HISTORY_CITIZEN, &key, max, fn,
                             ctx);
}

enum dd_status
store_case_history_application(struct store_tx *tx, int64_t application_id,
                               size_t max, store_case_history_fn fn,
                               void *ctx)
{
    struct store_param key = P_INT(application_id);
    return case_history_each(tx, STMT_CASE_HISTORY_APPLICATION, &key, max,
                             fn, ctx);
}
