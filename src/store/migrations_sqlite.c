/* SPDX-License-Identifier: MIT */
/* The SQLite schema as numbered migrations, applied in order by
 * store_migrate and recorded in schema_version. Never edit an applied
 * migration: add a new one. migrations_pg.c must stay in step. */
#include "store/store_internal.h"

const struct store_migration store_migrations_sqlite[] = {
    /* 1: regions, zones, users, sessions, API tokens and the audit chain */
    {1, "reference data, accounts and audit",
     "CREATE TABLE region ("
     " code TEXT PRIMARY KEY,"
     " name TEXT NOT NULL,"
     " level TEXT NOT NULL,"
     " parent_code TEXT NOT NULL DEFAULT '');"
     "CREATE INDEX region_by_parent ON region(parent_code, code);"
     "CREATE TABLE zone_township ("
     " zone TEXT NOT NULL,"
     " zone_name TEXT NOT NULL,"
     " township_code TEXT NOT NULL,"
     " PRIMARY KEY (zone, township_code));"
     "CREATE TABLE app_user ("
     " id INTEGER PRIMARY KEY AUTOINCREMENT,"
     " username TEXT NOT NULL UNIQUE,"
     " display_name TEXT NOT NULL DEFAULT '',"
     " pw_hash TEXT NOT NULL,"
     " role TEXT NOT NULL,"
     " department TEXT NOT NULL DEFAULT '',"
     " scope TEXT NOT NULL DEFAULT '',"
     " failed_logins INTEGER NOT NULL DEFAULT 0,"
     " locked_until INTEGER NOT NULL DEFAULT 0,"
     " disabled INTEGER NOT NULL DEFAULT 0,"
     " created_at INTEGER NOT NULL);"
     "CREATE TABLE session ("
     " token_hash TEXT PRIMARY KEY,"
     " user_id INTEGER NOT NULL"
     "  REFERENCES app_user(id) ON DELETE CASCADE,"
     " csrf_token TEXT NOT NULL,"
     " created_at INTEGER NOT NULL,"
     " last_seen_at INTEGER NOT NULL);"
     "CREATE INDEX session_by_user ON session(user_id);"
     "CREATE TABLE api_token ("
     " id INTEGER PRIMARY KEY AUTOINCREMENT,"
     " name TEXT NOT NULL UNIQUE,"
     " token_hash TEXT NOT NULL UNIQUE,"
     " role TEXT NOT NULL,"
     " department TEXT NOT NULL DEFAULT '',"
     " scope TEXT NOT NULL DEFAULT '',"
     " created_at INTEGER NOT NULL,"
     " revoked INTEGER NOT NULL DEFAULT 0);"
     "CREATE TABLE audit ("
     " seq INTEGER PRIMARY KEY,"
     " at INTEGER NOT NULL,"
     " actor TEXT NOT NULL,"
     " action TEXT NOT NULL,"
     " object TEXT NOT NULL DEFAULT '',"
     " region TEXT NOT NULL DEFAULT '',"
     " request_id TEXT NOT NULL DEFAULT '',"
     " detail TEXT NOT NULL DEFAULT '',"
     " prev_hash TEXT NOT NULL,"
     " hash TEXT NOT NULL);"
     "CREATE INDEX audit_by_actor ON audit(actor, seq);"
     "CREATE INDEX audit_by_object ON audit(object, seq);"
     "CREATE INDEX audit_by_at ON audit(at);"},
    /* 2: effective-dated policy parameters, append-only: a version is
     * never updated or deleted (the triggers refuse it), only added */
    {2, "policy parameters",
     "CREATE TABLE policy_param ("
     " id INTEGER PRIMARY KEY AUTOINCREMENT,"
     " key TEXT NOT NULL,"
     " region_code TEXT NOT NULL,"
     " effective_from TEXT NOT NULL"
     "  CHECK (length(effective_from) = 10),"
     " value BIGINT NOT NULL CHECK (value >= 0),"
     " unit TEXT NOT NULL,"
     " source TEXT NOT NULL CHECK (source <> ''),"
     " confidence TEXT NOT NULL"
     "  CHECK (confidence IN ('H', 'M', 'L', 'NATIONAL-DEFAULT')),"
     " created_at INTEGER NOT NULL,"
     " created_by TEXT NOT NULL,"
     " UNIQUE (key, region_code, effective_from));"
     "CREATE TRIGGER policy_param_no_update BEFORE UPDATE ON policy_param"
     " BEGIN SELECT RAISE(ABORT, 'policy_param is append-only'); END;"
     "CREATE TRIGGER policy_param_no_delete BEFORE DELETE ON policy_param"
     " BEGIN SELECT RAISE(ABORT, 'policy_param is append-only'); END;"},
    /* 3: the household registry. A person is in at most one active
     * household: active_id_hash is the blind index while the household is
     * active and NULL once it is not, and it is UNIQUE (NULLs never
     * collide on either engine). ID and disability card numbers are
     * stored sealed (id_enc, disability_card_enc) with the blind index
     * and the masked form beside them: never in the clear. */
    {3, "household registry",
     "CREATE TABLE household ("
     " id INTEGER PRIMARY KEY AUTOINCREMENT,"
     " county_code TEXT NOT NULL CHECK (length(county_code) = 6),"
     " region_code TEXT NOT NULL CHECK (length(region_code) = 12),"
     " hukou_region TEXT NOT NULL CHECK (length(hukou_region) = 12),"
     " address TEXT NOT NULL DEFAULT '',"
     " urban_or_rural TEXT NOT NULL"
     "  CHECK (urban_or_rural IN ('urban', 'rural')),"
     " status TEXT NOT NULL CHECK (status IN ('active', 'inactive')),"
     " version INTEGER NOT NULL CHECK (version >= 1),"
     " created_at INTEGER NOT NULL,"
     " updated_at INTEGER NOT NULL);"
     "CREATE INDEX household_by_region ON household(region_code, id);"
     "CREATE INDEX household_by_county ON household(county_code, id);"
     "CREATE TABLE person ("
     " id INTEGER PRIMARY KEY AUTOINCREMENT,"
     " county_code TEXT NOT NULL CHECK (length(county_code) = 6),"
     " household_id INTEGER NOT NULL"
     "  REFERENCES household(id) ON DELETE CASCADE,"
     " id_hash TEXT NOT NULL CHECK (length(id_hash) = 64),"
     " active_id_hash TEXT UNIQUE"
     "  CHECK (active_id_hash IS NULL OR active_id_hash = id_hash),"
     " id_enc TEXT NOT NULL CHECK (id_enc LIKE 'v1:%'),"
     " id_masked TEXT NOT NULL CHECK (length(id_masked) = 18),"
     " name TEXT NOT NULL,"
     " sex TEXT NOT NULL CHECK (sex IN ('M', 'F')),"
     " birth_date TEXT NOT NULL CHECK (length(birth_date) = 10),"
     " relation INTEGER NOT NULL CHECK (relation BETWEEN 0 AND 8),"
     " disability_category INTEGER NOT NULL"
     "  CHECK (disability_category BETWEEN 0 AND 7),"
     " disability_grade INTEGER NOT NULL CHECK (disability_grade BETWEEN 0 AND 4),"
     " disability_card_enc TEXT NOT NULL DEFAULT '',"
     " major_illness INTEGER NOT NULL DEFAULT 0,"
     " work_capacity INTEGER NOT NULL DEFAULT 0,"
     " schooling INTEGER NOT NULL DEFAULT 0,"
     " employed INTEGER NOT NULL DEFAULT 0,"
     " selfcare_unable INTEGER NOT NULL DEFAULT 0"
     "  CHECK (selfcare_unable BETWEEN 0 AND 63));"
     "CREATE INDEX person_by_household ON person(household_id, id);"
     "CREATE INDEX person_by_id_hash ON person(id_hash);"
     "CREATE TABLE income ("
     " id INTEGER PRIMARY KEY AUTOINCREMENT,"
     " county_code TEXT NOT NULL CHECK (length(county_code) = 6),"
     " person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
     " kind INTEGER NOT NULL CHECK (kind >= 0),"
     " monthly_fen INTEGER NOT NULL CHECK (monthly_fen >= 0),"
     " UNIQUE (person_id, kind));"
     "CREATE TABLE asset ("
     " id INTEGER PRIMARY KEY AUTOINCREMENT,"
     " county_code TEXT NOT NULL CHECK (length(county_code) = 6),"
     " household_id INTEGER NOT NULL"
     "  REFERENCES household(id) ON DELETE CASCADE,"
     " owner_person_id INTEGER REFERENCES person(id) ON DELETE SET NULL,"
     " kind INTEGER NOT NULL CHECK (kind >= 0),"
     " value_fen INTEGER NOT NULL DEFAULT 0 CHECK (value_fen >= 0),"
     " count INTEGER NOT NULL DEFAULT 1 CHECK (count >= 0),"
     " area_dm2 INTEGER NOT NULL DEFAULT 0 CHECK (area_dm2 >= 0),"
     " exempt INTEGER NOT NULL DEFAULT 0);"
     "CREATE INDEX asset_by_household ON asset(household_id, id);"
     "CREATE TABLE obligor ("
     " id INTEGER PRIMARY KEY AUTOINCREMENT,"
     " county_code TEXT NOT NULL CHECK (length(county_code) = 6),"
     " household_id INTEGER NOT NULL"
     "  REFERENCES household(id) ON DELETE CASCADE,"
     " of_person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,"
     " relation INTEGER NOT NULL CHECK (relation BETWEEN 0 AND 8),"
     " name TEXT NOT NULL DEFAULT '',"
     " birth_date TEXT NOT NULL DEFAULT '',"
     " disability_category INTEGER NOT NULL DEFAULT 0,"
     " disability_grade INTEGER NOT NULL DEFAULT 0,"
     " flags INTEGER NOT NULL DEFAULT 0,"
     " income_monthly_fen INTEGER NOT NULL DEFAULT 0"
     "  CHECK (income_monthly_fen >= 0));"
     "CREATE INDEX obligor_by_household ON obligor(household_id, id);"},
    /* 4: the holiday calendar (data/cn-holidays.csv): days off and
     * adjusted working days; any other day is worked Monday to Friday */
    {4, "holiday calendar",
     "CREATE TABLE holiday ("
     " date TEXT PRIMARY KEY CHECK (length(date) = 10),"
     " is_off_day INTEGER NOT NULL CHECK (is_off_day IN (0, 1)),"
     " name TEXT NOT NULL,"
     " source TEXT NOT NULL DEFAULT '');"},
    /* 5: urban_or_rural may also be 'district' (follow the hukou
     * district's dibao.area.default, domain.md §7.1). SQLite cannot change
     * a CHECK in place and rebuilding household would cascade its
     * children: the column is replaced instead (added with the wider
     * CHECK, copied, the old one dropped, renamed), which moves it to the
     * end of the row; every statement names its columns. */
    {5, "urban_or_rural may follow the district",
     "ALTER TABLE household ADD COLUMN urban_or_rural_v4 TEXT NOT NULL"
     " DEFAULT 'district'"
     " CHECK (urban_or_rural_v4 IN ('urban', 'rural', 'district'));"
     "UPDATE household SET urban_or_rural_v4 = urban_or_rural;"
     "ALTER TABLE household DROP COLUMN urban_or_rural;"
     "ALTER TABLE household RENAME COLUMN urban_or_rural_v4"
     " TO urban_or_rural;"},
    /* 6: citizens signing in by phone: one-time codes (a keyed hash, an
     * expiry, the attempts) and citizen sessions; phones sealed, found by
     * their blind index */
    {6, "citizen sign-in",
     "CREATE TABLE citizen_otp ("
     " phone_hash TEXT PRIMARY KEY,"
     " phone_enc TEXT NOT NULL,"
     " code_hash TEXT NOT NULL,"
     " created_at INTEGER NOT NULL,"
     " expires_at INTEGER NOT NULL,"
     " attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0));"
     "CREATE TABLE citizen_session ("
     " token_hash TEXT PRIMARY KEY,"
     " phone_hash TEXT NOT NULL,"
     " phone_enc TEXT NOT NULL,"
     " phone_masked TEXT NOT NULL,"
     " csrf_token TEXT NOT NULL,"
     " created_at INTEGER NOT NULL,"
     " expires_at INTEGER NOT NULL);"
     "CREATE INDEX citizen_session_by_phone ON citizen_session(phone_hash);"
     "CREATE INDEX citizen_session_by_expiry ON citizen_session(expires_at);"},
};

const size_t store_migrations_sqlite_count =
    sizeof(store_migrations_sqlite) / sizeof(store_migrations_sqlite[0]);
