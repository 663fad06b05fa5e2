/* SPDX-License-Identifier: MIT */
/* The household registry (migration 3): households, their members with
 * incomes, assets and support obligors, the one-pass read of a household
 * with everything under it, listings by region, the full replace, the
 * importer's row-by-row path (src/io/import.c) and the bulk load of the
 * generator and the importer (COPY on PostgreSQL, store_bulk_*). ID and
 * card numbers arrive
 * sealed with their blind index: the store never sees them in clear. */
#include "store/store.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/timeutil.h"
#include "store/store_internal.h"

/* The columns each row mapper reads, in order, each followed by its
 * mapper: the fields they fill (ROW_MAPPER). */
#define HOUSEHOLD_COLS                                                         \
    "id, county_code, region_code, hukou_region, address, urban_or_rural, "   \
    "status, coalesce(contact_phone_hash, ''), contact_phone_enc, "           \
    "contact_phone_masked, bank_account_enc, bank_account_masked, version, "  \
    "created_at, updated_at"
ROW_MAPPER(row_to_household, struct household_row, COL(id), COL(county_code),
           COL(region_code), COL(hukou_region), COL(address),
           COL(urban_or_rural), COL(status), COL(contact_phone_hash),
           COL(contact_phone_enc), COL(contact_phone_masked),
           COL(bank_account_enc), COL(bank_account_masked), COL(version),
           COL(created_at), COL(updated_at))

/* A member's death recorded, '' if none (person_death_current: one
 * probe; a death withdrawn is no death) */
#define DIED_ON(person)                                                        \
    "coalesce((SELECT d.died_on FROM person_death d"                           \
    " WHERE d.person_id = " person ".id AND d.withdrawn_at = 0), '')"
#define PERSON_COLS                                                            \
    "id, household_id, county_code, id_hash, id_enc, id_masked, "              \
    "CASE WHEN active_id_hash IS NULL THEN 0 ELSE 1 END, name, sex, "          \
    "birth_date, relation, disability_category, disability_grade, "            \
    "disability_card_enc, major_illness, work_capacity, schooling, "           \
    "employed, selfcare_unable, " DIED_ON("person")
ROW_MAPPER(row_to_person, struct person_row, COL(id), COL(household_id),
           COL(county_code), COL(id_hash), COL(id_enc), COL(id_masked),
           COL(active), COL(name), COL(sex), COL(birth_date), COL(relation),
           COL(disability_category), COL(disability_grade),
           COL(disability_card_enc), COL(major_illness), COL(work_capacity),
           COL(schooling), COL(employed), COL(selfcare_unable),
           COL(died_on))

#define INCOME_COLS                                                            \
    "i.id, i.person_id, i.county_code, i.kind, i.monthly_fen"
ROW_MAPPER(row_to_income, struct income_row, COL(id), COL(person_id),
           COL(county_code), COL(kind), COL(monthly_fen))

#define ASSET_COLS                                                             \
    "id, household_id, county_code, coalesce(owner_person_id, 0), kind, "     \
    "value_fen, count, area_dm2, exempt"
ROW_MAPPER(row_to_asset, struct asset_row, COL(id), COL(household_id),
           COL(county_code), COL(owner_person_id), COL(kind), COL(value_fen),
           COL(count), COL(area_dm2), COL(exempt))

#define OBLIGOR_COLS                                                           \
    "id, household_id, county_code, of_person_id, relation, name, "           \
    "birth_date, disability_category, disability_grade, flags, "              \
    "income_monthly_fen"
ROW_MAPPER(row_to_obligor, struct obligor_row, COL(id), COL(household_id),
           COL(county_code), COL(of_person_id), COL(relation), COL(name),
           COL(birth_date), COL(disability_category), COL(disability_grade),
           COL(flags), COL(income_monthly_fen))


/* The inserts the typed and the importer's paths share (each adds its own
 * tail); household_params, person_params and income_params bind them. */
#define HOUSEHOLD_INSERT                                                       \
    "INSERT INTO household(county_code, region_code, hukou_region,"           \
    " address, urban_or_rural, status, contact_phone_hash,"                  \
    " contact_phone_enc, contact_phone_masked, bank_account_enc,"            \
    " bank_account_masked, version, created_at, updated_at)"                  \
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 1, ?12, ?13)"
/* The columns each insert writes, in the order its parameters come: the
 * row-by-row INSERTs and the bulk load's COPYs (after the id) share them */
#define PERSON_WRITE_COLS                                                      \
    "household_id, county_code, id_hash, active_id_hash, id_enc,"              \
    " id_masked, name, sex, birth_date, relation, disability_category,"        \
    " disability_grade, disability_card_enc, major_illness, work_capacity,"    \
    " schooling, employed, selfcare_unable"
#define INCOME_WRITE_COLS "person_id, county_code, kind, monthly_fen"
#define ASSET_WRITE_COLS                                                       \
    "household_id, county_code, owner_person_id, kind, value_fen, count,"      \
    " area_dm2, exempt"
#define OBLIGOR_WRITE_COLS                                                     \
    "household_id, county_code, of_person_id, relation, name, birth_date,"     \
    " disability_category, disability_grade, flags, income_monthly_fen"
#define PERSON_INSERT                                                          \
    "INSERT INTO person(" PERSON_WRITE_COLS ") VALUES (?1, ?2, ?3, ?4, ?5,"    \
    " ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"
#define INCOME_INSERT                                                          \
    "INSERT INTO income(" INCOME_WRITE_COLS ") VALUES (?1, ?2, ?3, ?4)"
/* The bulk load's households, each with its id first (store_bulk_*) */
#define HOUSEHOLD_BULK_COLS                                                    \
    "id, county_code, region_code, hukou_region, address, urban_or_rural,"     \
    " status, contact_phone_hash, contact_phone_enc, contact_phone_masked,"    \
    " bank_account_enc, bank_account_masked, version, created_at, updated_at"

static const struct stmt_text stmts[] = {
    /* a new household; returns the id */
    {STMT_HOUSEHOLD_INSERT, .sql = HOUSEHOLD_INSERT " RETURNING id"},
    /* one household by id */
    {STMT_HOUSEHOLD_GET,
     .sql = "SELECT " HOUSEHOLD_COLS " FROM household WHERE id = ?1"},
    /* rewrites a household if its version is still ?2; returns the new one */
    {STMT_HOUSEHOLD_UPDATE,
     .sql = "UPDATE household SET county_code = ?3, region_code = ?4,"
            " hukou_region = ?5, address = ?6, urban_or_rural = ?7,"
            " status = ?8, contact_phone_hash = ?9, contact_phone_enc = ?10,"
            " contact_phone_masked = ?11, bank_account_enc = ?12,"
            " bank_account_masked = ?13, updated_at = ?14,"
            " version = version + 1"
            " WHERE id = ?1 AND version = ?2 RETURNING version"},
    /* seals a new household's contact values, which are bound to its id
     * (crypto/pii.h): the insert's second half, not a new version */
    {STMT_HOUSEHOLD_CONTACT_SET,
     .sql = "UPDATE household SET contact_phone_hash = ?2,"
            " contact_phone_enc = ?3, contact_phone_masked = ?4,"
            " bank_account_enc = ?5, bank_account_masked = ?6"
            " WHERE id = ?1 RETURNING id"},
    /* frees the members of a household that is no longer active */
    {STMT_HOUSEHOLD_DEACTIVATE_MEMBERS,
     .sql = "UPDATE person SET active_id_hash = NULL"
            " WHERE household_id = ?1"},
    /* a page of households under a region prefix, in household_by_region's
     * order from the cursor household's key (?2, 0 for the first page):
     * the prefix is a range of the index ('9' < ';'; codes sort bytewise,
     * COLLATE "C" on PostgreSQL), so a village's page reads the village's
     * rows and no others, whatever the city's size */
    {STMT_HOUSEHOLD_LIST,
     .sql = "SELECT " HOUSEHOLD_COLS " FROM household"
            " WHERE region_code >= ?1 AND region_code < CAST(?1 AS TEXT) || ';'"
            " AND (region_code, id) > (coalesce((SELECT c.region_code"
            " FROM household c WHERE c.id = ?2), ''), ?2)"
            " ORDER BY region_code, id LIMIT ?3"},
    /* the same page for a department's officer: only the households
     * with an item referred to the department (?4), read from its
     * referrals (referral_by_department) and probed by id */
    {STMT_HOUSEHOLD_LIST_DEPT,
     .sql = "SELECT " HOUSEHOLD_COLS " FROM household"
            " WHERE id IN (SELECT c.household_id FROM referral r"
            " JOIN case_item c ON c.id = r.case_item_id"
            " WHERE r.department = ?4)"
            " AND region_code >= ?1 AND region_code < CAST(?1 AS TEXT) || ';'"
            " AND (region_code, id) > (coalesce((SELECT c.region_code"
            " FROM household c WHERE c.id = ?2), ''), ?2)"
            " ORDER BY region_code, id LIMIT ?3"},
    /* a page of households under any of a list of prefixes (?1, a JSON
     * array of digit strings) and a region prefix ?4, after a cursor id:
     * each prefix is a range of the region index ('9' < ';'; codes sort
     * bytewise, COLLATE "C" on PostgreSQL), the ids found are then read
     * in id order */
    {STMT_HOUSEHOLD_LIST_IN,
     .sqlite = "SELECT " HOUSEHOLD_COLS " FROM household WHERE id IN"
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
    /* the households that ever held a person with this blind index */
    {STMT_HOUSEHOLD_BY_ID_HASH,
     .sql = "SELECT DISTINCT household_id FROM person WHERE id_hash = ?1"
            " ORDER BY household_id DESC LIMIT ?2"},
    /* a household and everything under it in one pass: column 0 tags the
     * part (0 household, 1 member, 2 income, 3 asset, 4 obligor), then
     * HR_INTS integer and 11 text columns (the part_to_* mappers). No
     * ORDER BY: the reader files each row by its tag and puts each part
     * in id order itself, so neither engine sorts (the arms walk their
     * indexes) */
    {STMT_HOUSEHOLD_READ,
     .sql = "SELECT 0, id, version, created_at, updated_at, NULL, NULL,"
            " NULL, NULL, NULL, NULL, NULL, county_code, region_code,"
            " hukou_region, address, urban_or_rural, status,"
            " contact_phone_masked, bank_account_masked,"
            " coalesce(contact_phone_hash, ''), contact_phone_enc,"
            " bank_account_enc"
            " FROM household WHERE id = ?1"
            " UNION ALL SELECT 1, id, household_id,"
            " CASE WHEN active_id_hash IS NULL THEN 0 ELSE 1 END,"
            " relation, disability_category, disability_grade,"
            " major_illness, work_capacity, schooling, employed,"
            " selfcare_unable, county_code, id_hash, id_enc, id_masked,"
            " name, sex, birth_date, disability_card_enc, " DIED_ON("person")
            ", NULL, NULL FROM person WHERE household_id = ?1"
            " UNION ALL SELECT 2, i.id, i.person_id, i.kind,"
            " i.monthly_fen, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
            " i.county_code, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
            " NULL, NULL, NULL"
            " FROM person p JOIN income i ON i.person_id = p.id"
            " WHERE p.household_id = ?1"
            " UNION ALL SELECT 3, id, household_id,"
            " coalesce(owner_person_id, 0), kind, value_fen, count,"
            " area_dm2, exempt, NULL, NULL, NULL, county_code, NULL,"
            " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL"
            " FROM asset WHERE household_id = ?1"
            " UNION ALL SELECT 4, id, household_id, of_person_id,"
            " relation, disability_category, disability_grade, flags,"
            " income_monthly_fen, NULL, NULL, NULL, county_code, name,"
            " birth_date, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL"
            " FROM obligor WHERE household_id = ?1"},
    /* a full replace starts by removing members (incomes cascade), ... */
    {STMT_HOUSEHOLD_CLEAR_PERSONS,
     .sql = "DELETE FROM person WHERE household_id = ?1"},
    /* ... assets ... */
    {STMT_HOUSEHOLD_CLEAR_ASSETS,
     .sql = "DELETE FROM asset WHERE household_id = ?1"},
    /* ... and obligors */
    {STMT_HOUSEHOLD_CLEAR_OBLIGORS,
     .sql = "DELETE FROM obligor WHERE household_id = ?1"},
    /* the household where this person is active (at most one: unique) */
    {STMT_PERSON_ACTIVE_HOUSEHOLD,
     .sql = "SELECT household_id FROM person WHERE active_id_hash = ?1"},
    /* the active among blind indexes ?1 ("a,b,c"), by the unique index */
    {STMT_PERSON_ACTIVE_AMONG,
     .sqlite = "SELECT active_id_hash FROM person WHERE active_id_hash IN"
               " (SELECT value FROM json_each('[\"' || replace(?1, ',',"
               " '\",\"') || '\"]'))",
     .pg = "SELECT active_id_hash FROM person WHERE active_id_hash ="
           " ANY (string_to_array(?1, ','))"},
    /* a new member; ?4 is the blind index again while active, else NULL */
    {STMT_PERSON_INSERT, .sql = PERSON_INSERT " RETURNING id"},
    /* rewrites a member in place (a full replace keeps member ids) */
    {STMT_PERSON_UPDATE,
     .sql = "UPDATE person SET county_code = ?3, id_enc = ?4,"
            " id_masked = ?5, name = ?6, sex = ?7, birth_date = ?8,"
            " relation = ?9, disability_category = ?10,"
            " disability_grade = ?11, disability_card_enc = ?12,"
            " major_illness = ?13, work_capacity = ?14, schooling = ?15,"
            " employed = ?16, selfcare_unable = ?17"
            " WHERE household_id = ?1 AND id = ?2 RETURNING id"},
    /* the members of a household */
    {STMT_PERSON_LIST,
     .sql = "SELECT " PERSON_COLS " FROM person"
            " WHERE household_id = ?1 ORDER BY id LIMIT ?2"},
    /* removes one member (incomes cascade) */
    {STMT_PERSON_DELETE,
     .sql = "DELETE FROM person WHERE household_id = ?1 AND id = ?2"
            " RETURNING id"},
    {STMT_PERSON_PAYMENT_REFS,
     .sql = "SELECT (SELECT count(*) FROM entitlement"
            " WHERE payee_person_id = ?1),"
            " (SELECT count(*) FROM payee_account WHERE person_id = ?1),"
            " (SELECT count(*) FROM person_death WHERE person_id = ?1)"
            " + (SELECT count(*) FROM recovery WHERE person_id = ?1)"},
    /* a member's monthly income of one kind */
    {STMT_INCOME_INSERT, .sql = INCOME_INSERT " RETURNING id"},
    /* the incomes of a household's members */
    {STMT_INCOME_LIST,
     .sql = "SELECT " INCOME_COLS " FROM income i JOIN person p"
            " ON p.id = i.person_id WHERE p.household_id = ?1"
            " ORDER BY i.id LIMIT ?2"},
    /* a member's incomes, before they are written anew */
    {STMT_INCOME_DELETE_PERSON,
     .sql = "DELETE FROM income WHERE person_id = ?1"},
    /* an asset of a household; owner ?3 = 0 is joint (NULL) */
    {STMT_ASSET_INSERT,
     .sql = "INSERT INTO asset(" ASSET_WRITE_COLS ") VALUES (?1, ?2,"
            " NULLIF(?3, 0), ?4, ?5, ?6, ?7, ?8) RETURNING id"},
    /* the assets of a household */
    {STMT_ASSET_LIST,
     .sql = "SELECT " ASSET_COLS " FROM asset"
            " WHERE household_id = ?1 ORDER BY id LIMIT ?2"},
    /* a support obligor of a member */
    {STMT_OBLIGOR_INSERT,
     .sql = "INSERT INTO obligor(" OBLIGOR_WRITE_COLS ") VALUES (?1, ?2,"
            " ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id"},
    /* the obligors of a household */
    {STMT_OBLIGOR_LIST,
     .sql = "SELECT " OBLIGOR_COLS " FROM obligor"
            " WHERE household_id = ?1 ORDER BY id LIMIT ?2"},
    /* the importer's bulk load (src/io/import.c): 1 GiB of pages, so the
     * blind indexes' random pages stay cached between batches */
    {STMT_IMPORT_CACHE, .sqlite = "PRAGMA cache_size = -1048576"},
    /* ... and the WAL checkpointed every 64k pages rather than 1,000 */
    {STMT_IMPORT_CHECKPOINT, .sqlite = "PRAGMA wal_autocheckpoint = 65536"},
    /* ... and statement journals in memory: once one outgrows 64 KiB it
     * goes to a temporary file, and every later statement of the
     * transaction then writes each page it touches there */
    {STMT_IMPORT_TEMP_STORE, .sqlite = "PRAGMA temp_store = MEMORY"},
    /* a new member unless the person is active already (the unique index
     * on active_id_hash decides: no row is written, and nothing fails).
     * The importer's inserts return their id on PostgreSQL; on SQLite,
     * where RETURNING builds a temporary table per row, STMT_IMPORT_LAST_ID
     * reads it after */
    {STMT_IMPORT_PERSON_INSERT,
     .sql = PERSON_INSERT " ON CONFLICT DO NOTHING",
     .pg = PERSON_INSERT " ON CONFLICT DO NOTHING RETURNING id"},
    /* undoes a household this transaction inserted (children cascade) */
    {STMT_IMPORT_HOUSEHOLD_DELETE,
     .sql = "DELETE FROM household WHERE id = ?1"},
    /* a new household (see STMT_IMPORT_PERSON_INSERT for the id) */
    {STMT_IMPORT_HOUSEHOLD_INSERT,
     .sql = HOUSEHOLD_INSERT,
     .pg = HOUSEHOLD_INSERT " RETURNING id"},
    /* a member's monthly income of one kind; its id is not needed */
    {STMT_IMPORT_INCOME_INSERT, .sql = INCOME_INSERT},
    /* SQLite: the row the last insert wrote, none when it wrote none */
    {STMT_IMPORT_LAST_ID,
     .sqlite = "SELECT last_insert_rowid() WHERE changes() > 0"},
    /* the bulk load: PostgreSQL's next ?2 ids of table ?1
     * (its identity's sequence: never given twice, whatever rolls back) */
    {STMT_BULK_IDS,
     .pg = "SELECT nextval(pg_get_serial_sequence(?1, 'id'))"
           " FROM generate_series(1, ?2)"},
    /* ... SQLite's next id of table ?1 (AUTOINCREMENT's: past any ever
     * used); the writer is alone in its transaction */
    {STMT_BULK_NEXT_ID,
     .sqlite = "SELECT coalesce((SELECT seq FROM sqlite_sequence"
               " WHERE name = ?1), 0) + 1"},
    /* ... and SQLite's household under that id */
    {STMT_BULK_HOUSEHOLD_INSERT,
     .sqlite = "INSERT INTO household(" HOUSEHOLD_BULK_COLS ") VALUES (?1,"
               " ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
               " ?15)"},
};

const struct stmt_family store_stmts_households =
    STMT_FAMILY("households", stmts);

/* ---- row mappers that are not a table ---- */

static void
row_to_id(struct col_cursor *c, void *out)
{
    *(int64_t *)out = cur_int(c);
}

/* ---- parameters the typed and the importer's paths share ---- */

#define HOUSEHOLD_NFIELDS 11
#define HOUSEHOLD_NPARAMS (HOUSEHOLD_NFIELDS + 2)

/* A household's fields from county_code on, in the order HOUSEHOLD_INSERT
 * (?1..?11) and STMT_HOUSEHOLD_UPDATE (?3..?13) both take them; an absent
 * contact phone is NULL, so its index holds only real ones. */
static void
household_fields(const struct household_row *h,
                 struct store_param p[HOUSEHOLD_NFIELDS])
{
    const char *phone_hash =
        h->contact_phone_hash[0] ? h->contact_phone_hash : NULL;
    struct store_param v[] = {
        P_TEXT(h->county_code),       P_TEXT(h->region_code),
        P_TEXT(h->hukou_region),      P_TEXT(h->address),
        P_TEXT(h->urban_or_rural),    P_TEXT(h->status),
        P_TEXT(phone_hash),           P_TEXT(h->contact_phone_enc),
        P_TEXT(h->contact_phone_masked), P_TEXT(h->bank_account_enc),
        P_TEXT(h->bank_account_masked)};
    _Static_assert(NPARAMS(v) == HOUSEHOLD_NFIELDS, "household fields");
    memcpy(p, v, sizeof(v));
}

/* HOUSEHOLD_INSERT's ?1..?13, with the times defaulted (0 = now). */
static void
household_params(struct household_row *h,
                 struct store_param p[HOUSEHOLD_NPARAMS])
{
    if (h->created_at == 0)
        h->created_at = time_now();
    if (h->updated_at == 0)
        h->updated_at = h->created_at;
    household_fields(h, p);
    p[HOUSEHOLD_NFIELDS] = (struct store_param)P_INT(h->created_at);
    p[HOUSEHOLD_NFIELDS + 1] = (struct store_param)P_INT(h->updated_at);
}

#define PERSON_NFIELDS 14
#define PERSON_NPARAMS (4 + PERSON_NFIELDS)

/* A member's fields from id_enc on, in the order PERSON_INSERT (?5..?18)
 * and STMT_PERSON_UPDATE (?4..?17) both take them. */
static void
person_fields(const struct person_row *r, struct store_param p[PERSON_NFIELDS])
{
    struct store_param v[] = {P_TEXT(r->id_enc),
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
    _Static_assert(NPARAMS(v) == PERSON_NFIELDS, "person fields");
    memcpy(p, v, sizeof(v));
}

/* PERSON_INSERT's ?1..?18: the active mark is the blind index again. */
static void
person_params(const struct person_row *r,
              struct store_param p[PERSON_NPARAMS])
{
    struct store_param v[] = {P_INT(r->household_id), P_TEXT(r->county_code),
                              P_TEXT(r->id_hash),
                              P_TEXT(r->active ? r->id_hash : NULL)};
    memcpy(p, v, sizeof(v));
    person_fields(r, p + NPARAMS(v));
}

/* ---- households ---- */

enum dd_status
store_household_insert(struct store_tx *tx, struct household_row *h)
{
    struct store_param p[HOUSEHOLD_NPARAMS];
    household_params(h, p);
    enum dd_status rc =
        store_insert_id(tx, STMT_HOUSEHOLD_INSERT, p, NPARAMS(p), &h->id);
    if (rc == DD_OK)
        h->version = 1;
    return rc;
}

enum dd_status
store_household_get(struct store_tx *tx, int64_t id,
                    struct household_row *out)
{
    return store_get_by(tx, STMT_HOUSEHOLD_GET, KEY_INT(id), row_to_household,
                        out);
}

enum dd_status
store_household_update(struct store_tx *tx, struct household_row *h,
                       int64_t expected_version)
{
    enum dd_status rc = store_need_write(tx);
    if (rc != DD_OK)
        return rc;
    h->updated_at = time_now();
    struct store_param p[HOUSEHOLD_NFIELDS + 3] = {P_INT(h->id),
                                                  P_INT(expected_version)};
    household_fields(h, p + 2);
    p[HOUSEHOLD_NFIELDS + 2] = (struct store_param)P_INT(h->updated_at);
    rc = store_update_versioned(tx, STMT_HOUSEHOLD_UPDATE, p, NPARAMS(p),
                                STMT_HOUSEHOLD_GET, h->id, &h->version);
    if (rc != DD_OK)
        return rc;
    if (strcmp(h->status, "active") != 0) {
        struct store_param q[] = {P_INT(h->id)};
        rc = store_run(tx, STMT_HOUSEHOLD_DEACTIVATE_MEMBERS, q, NPARAMS(q));
    }
    return rc;
}

enum dd_status
store_household_contact_set(struct store_tx *tx, const struct household_row *h)
{
    struct store_param p[] = {
        P_INT(h->id),
        P_TEXT(h->contact_phone_hash[0] ? h->contact_phone_hash : NULL),
        P_TEXT(h->contact_phone_enc), P_TEXT(h->contact_phone_masked),
        P_TEXT(h->bank_account_enc), P_TEXT(h->bank_account_masked)};
    return store_write_one(tx, STMT_HOUSEHOLD_CONTACT_SET, p, NPARAMS(p));
}

enum dd_status
store_household_list(struct store_tx *tx, const char *region_prefix,
                     int64_t after_id, struct household_row *out, size_t max,
                     size_t *count)
{
    struct store_param p[] = {P_TEXT(region_prefix ? region_prefix : ""),
                              P_INT(after_id), P_INT(store_limit(max))};
    return store_get_many(tx, STMT_HOUSEHOLD_LIST, p, NPARAMS(p),
                          row_to_household, out, sizeof(*out), max, count);
}

enum dd_status
store_household_list_dept(struct store_tx *tx, const char *department,
                          const char *region_prefix, int64_t after_id,
                          struct household_row *out, size_t max,
                          size_t *count)
{
    struct store_param p[] = {P_TEXT(region_prefix ? region_prefix : ""),
                              P_INT(after_id), P_INT(store_limit(max)),
                              P_TEXT(department)};
    return store_get_many(tx, STMT_HOUSEHOLD_LIST_DEPT, p, NPARAMS(p),
                          row_to_household, out, sizeof(*out), max, count);
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
                              P_INT(store_limit(max)),
                              P_TEXT(region_prefix ? region_prefix : "")};
    return store_get_many(tx, STMT_HOUSEHOLD_LIST_IN, p, NPARAMS(p),
                          row_to_household, out, sizeof(*out), max, count);
}

enum dd_status
store_household_by_id_hash(struct store_tx *tx, const char *id_hash,
                           int64_t *out, size_t max, size_t *count)
{
    return store_list_by(tx, STMT_HOUSEHOLD_BY_ID_HASH, KEY_TEXT(id_hash),
                         row_to_id, out, sizeof(*out), max, count);
}

enum dd_status
store_person_active_household(struct store_tx *tx, const char *id_hash,
                              int64_t *household_id)
{
    struct store_param p[] = {P_TEXT(id_hash)};
    return store_run_int(tx, STMT_PERSON_ACTIVE_HOUSEHOLD, p, NPARAMS(p),
                         household_id);
}

struct hash_row {
    char h[STORE_HASH_LEN];
};
ROW_MAPPER(row_to_hash, struct hash_row, COL(h))
EACH_CALL(hash_call, store_text_fn)

enum dd_status
store_person_active_among(struct store_tx *tx, const char *id_hashes,
                          store_text_fn fn, void *ctx)
{
    struct hash_row row;
    return store_each(tx, STMT_PERSON_ACTIVE_AMONG, &KEY_TEXT(id_hashes), 1,
                      row_to_hash, &row, hash_call, (store_any_fn)fn, ctx);
}

/* Runs the clearing statements of order on one household. */
static enum dd_status
clear(struct store_tx *tx, int64_t household_id, const enum stmt *order,
      size_t n)
{
    enum dd_status rc = store_need_write(tx);
    struct store_param p[] = {P_INT(household_id)};
    for (size_t i = 0; rc == DD_OK && i < n; i++)
        rc = store_run(tx, order[i], p, NPARAMS(p));
    return rc;
}

enum dd_status
store_household_clear(struct store_tx *tx, int64_t household_id)
{
    static const enum stmt order[] = {STMT_HOUSEHOLD_CLEAR_OBLIGORS,
                                      STMT_HOUSEHOLD_CLEAR_ASSETS,
                                      STMT_HOUSEHOLD_CLEAR_PERSONS};
    return clear(tx, household_id, order, sizeof(order) / sizeof(order[0]));
}

enum dd_status
store_household_clear_holdings(struct store_tx *tx, int64_t household_id)
{
    static const enum stmt order[] = {STMT_HOUSEHOLD_CLEAR_OBLIGORS,
                                      STMT_HOUSEHOLD_CLEAR_ASSETS};
    return clear(tx, household_id, order, sizeof(order) / sizeof(order[0]));
}

/* ---- the one-pass read ---- */

/* STMT_HOUSEHOLD_READ's integer columns after the tag; its text columns
 * follow them. Each part_to_* mapper reads one arm: i walks the integers,
 * s the texts. */
#define HR_INTS 11

static void
part_to_household(struct col_cursor *i, struct col_cursor *s,
                  struct household_row *x)
{
    memset(x, 0, sizeof(*x));
    x->id = cur_int(i);
    x->version = cur_int(i);
    x->created_at = cur_int(i);
    x->updated_at = cur_int(i);
    CUR_TEXT(s, x->county_code);
    CUR_TEXT(s, x->region_code);
    CUR_TEXT(s, x->hukou_region);
    CUR_TEXT(s, x->address);
    CUR_TEXT(s, x->urban_or_rural);
    CUR_TEXT(s, x->status);
    CUR_TEXT(s, x->contact_phone_masked);
    CUR_TEXT(s, x->bank_account_masked);
    CUR_TEXT(s, x->contact_phone_hash);
    CUR_TEXT(s, x->contact_phone_enc);
    CUR_TEXT(s, x->bank_account_enc);
}

static void
part_to_person(struct col_cursor *i, struct col_cursor *s,
               struct person_row *x)
{
    memset(x, 0, sizeof(*x));
    x->id = cur_int(i);
    x->household_id = cur_int(i);
    x->active = (int)cur_int(i);
    x->relation = (int)cur_int(i);
    x->disability_category = (int)cur_int(i);
    x->disability_grade = (int)cur_int(i);
    x->major_illness = (int)cur_int(i);
    x->work_capacity = (int)cur_int(i);
    x->schooling = (int)cur_int(i);
    x->employed = (int)cur_int(i);
    x->selfcare_unable = (int)cur_int(i);
    CUR_TEXT(s, x->county_code);
    CUR_TEXT(s, x->id_hash);
    CUR_TEXT(s, x->id_enc);
    CUR_TEXT(s, x->id_masked);
    CUR_TEXT(s, x->name);
    CUR_TEXT(s, x->sex);
    CUR_TEXT(s, x->birth_date);
    CUR_TEXT(s, x->disability_card_enc);
    CUR_TEXT(s, x->died_on);
}

static void
part_to_income(struct col_cursor *i, struct col_cursor *s,
               struct income_row *x)
{
    memset(x, 0, sizeof(*x));
    x->id = cur_int(i);
    x->person_id = cur_int(i);
    x->kind = (int)cur_int(i);
    x->monthly_fen = cur_int(i);
    CUR_TEXT(s, x->county_code);
}

static void
part_to_asset(struct col_cursor *i, struct col_cursor *s, struct asset_row *x)
{
    memset(x, 0, sizeof(*x));
    x->id = cur_int(i);
    x->household_id = cur_int(i);
    x->owner_person_id = cur_int(i);
    x->kind = (int)cur_int(i);
    x->value_fen = cur_int(i);
    x->count = cur_int(i);
    x->area_dm2 = cur_int(i);
    x->exempt = (int)cur_int(i);
    CUR_TEXT(s, x->county_code);
}

static void
part_to_obligor(struct col_cursor *i, struct col_cursor *s,
                struct obligor_row *x)
{
    memset(x, 0, sizeof(*x));
    x->id = cur_int(i);
    x->household_id = cur_int(i);
    x->of_person_id = cur_int(i);
    x->relation = (int)cur_int(i);
    x->disability_category = (int)cur_int(i);
    x->disability_grade = (int)cur_int(i);
    x->flags = (int)cur_int(i);
    x->income_monthly_fen = cur_int(i);
    CUR_TEXT(s, x->county_code);
    CUR_TEXT(s, x->name);
    CUR_TEXT(s, x->birth_date);
}

/* What store_household_read fills. */
struct household_read {
    struct household_row *h;
    struct store_household_parts *out;
    int found;
};

/* Files one row of the one-pass read by its tag; parts beyond their
 * array are cut. */
static int
visit_household_part(struct col_cursor *c, void *arg)
{
    struct household_read *rd = arg;
    struct store_household_parts *out = rd->out;
    int64_t tag = cur_int(c);
    struct col_cursor s = {c->r, c->col + HR_INTS};

    switch (tag) {
    case 0:
        part_to_household(c, &s, rd->h);
        rd->found = 1;
        break;
    case 1:
        if (out->member_count < out->members_max)
            part_to_person(c, &s, &out->members[out->member_count++]);
        break;
    case 2:
        if (out->income_count < out->incomes_max)
            part_to_income(c, &s, &out->incomes[out->income_count++]);
        break;
    case 3:
        if (out->asset_count < out->assets_max)
            part_to_asset(c, &s, &out->assets[out->asset_count++]);
        break;
    case 4:
        if (out->obligor_count < out->obligors_max)
            part_to_obligor(c, &s, &out->obligors[out->obligor_count++]);
        break;
    default:
        break;
    }
    return 0;
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
    struct household_read rd = {h, out, 0};
    enum dd_status rc;

    out->member_count = out->income_count = 0;
    out->asset_count = out->obligor_count = 0;
    rc = store_walk(tx, STMT_HOUSEHOLD_READ, p, NPARAMS(p),
                    visit_household_part, &rd);
    if (rc != DD_OK)
        return rc;
    if (!rd.found)
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

/* ---- members, incomes, assets, obligors ---- */

enum dd_status
store_person_insert(struct store_tx *tx, struct person_row *r)
{
    struct store_param p[PERSON_NPARAMS];
    person_params(r, p);
    return store_insert_id(tx, STMT_PERSON_INSERT, p, NPARAMS(p), &r->id);
}

enum dd_status
store_person_update(struct store_tx *tx, const struct person_row *r)
{
    struct store_param p[3 + PERSON_NFIELDS] = {
        P_INT(r->household_id), P_INT(r->id), P_TEXT(r->county_code)};
    person_fields(r, p + 3);
    enum dd_status rc = store_write_one(tx, STMT_PERSON_UPDATE, p, NPARAMS(p));
    if (rc != DD_OK)
        return rc;
    struct store_param q[] = {P_INT(r->id)};
    return store_run(tx, STMT_INCOME_DELETE_PERSON, q, NPARAMS(q));
}

enum dd_status
store_person_list(struct store_tx *tx, int64_t household_id,
                  struct person_row *out, size_t max, size_t *count)
{
    return store_list_by(tx, STMT_PERSON_LIST, KEY_INT(household_id),
                         row_to_person, out, sizeof(*out), max, count);
}

static void
row_to_refs(struct col_cursor *c, void *out)
{
    struct person_payment_refs *r = out;
    r->entitlements = cur_int(c);
    r->accounts = cur_int(c);
    r->others = cur_int(c);
}

enum dd_status
store_person_payment_refs(struct store_tx *tx, int64_t person_id,
                          struct person_payment_refs *out)
{
    memset(out, 0, sizeof(*out));
    return store_get_by(tx, STMT_PERSON_PAYMENT_REFS, KEY_INT(person_id),
                        row_to_refs, out);
}

enum dd_status
store_person_delete(struct store_tx *tx, int64_t household_id,
                    int64_t person_id)
{
    struct store_param p[] = {P_INT(household_id), P_INT(person_id)};
    return store_write_one(tx, STMT_PERSON_DELETE, p, NPARAMS(p));
}

enum dd_status
store_income_insert(struct store_tx *tx, struct income_row *r)
{
    struct store_param p[] = {P_INT(r->person_id), P_TEXT(r->county_code),
                              P_INT(r->kind), P_INT(r->monthly_fen)};
    return store_insert_id(tx, STMT_INCOME_INSERT, p, NPARAMS(p), &r->id);
}

enum dd_status
store_income_list(struct store_tx *tx, int64_t household_id,
                  struct income_row *out, size_t max, size_t *count)
{
    return store_list_by(tx, STMT_INCOME_LIST, KEY_INT(household_id),
                         row_to_income, out, sizeof(*out), max, count);
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
    return store_insert_id(tx, STMT_ASSET_INSERT, p, NPARAMS(p), &r->id);
}

enum dd_status
store_asset_list(struct store_tx *tx, int64_t household_id,
                 struct asset_row *out, size_t max, size_t *count)
{
    return store_list_by(tx, STMT_ASSET_LIST, KEY_INT(household_id),
                         row_to_asset, out, sizeof(*out), max, count);
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
    return store_insert_id(tx, STMT_OBLIGOR_INSERT, p, NPARAMS(p), &r->id);
}

enum dd_status
store_obligor_list(struct store_tx *tx, int64_t household_id,
                   struct obligor_row *out, size_t max, size_t *count)
{
    return store_list_by(tx, STMT_OBLIGOR_LIST, KEY_INT(household_id),
                         row_to_obligor, out, sizeof(*out), max, count);
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
    enum dd_status rc = store_run_int(tx, id, p, n, out);
    if (rc == DD_ENOTFOUND)
        rc = store_run_int(tx, STMT_IMPORT_LAST_ID, NULL, 0, out);
    return rc;
}

enum dd_status
store_import_tune(struct store_tx *tx)
{
    enum dd_status rc = store_write(tx, STMT_IMPORT_CACHE, NULL, 0);
    if (rc == DD_OK)
        rc = store_run(tx, STMT_IMPORT_CHECKPOINT, NULL, 0);
    if (rc == DD_OK)
        rc = store_run(tx, STMT_IMPORT_TEMP_STORE, NULL, 0);
    return rc;
}

enum dd_status
store_import_person_insert(struct store_tx *tx, struct person_row *r)
{
    struct store_param p[PERSON_NPARAMS];
    enum dd_status rc = store_need_write(tx);
    if (rc != DD_OK)
        return rc;
    person_params(r, p);
    rc = import_insert(tx, STMT_IMPORT_PERSON_INSERT, p, NPARAMS(p), &r->id);
    return rc == DD_ENOTFOUND ? DD_ECONFLICT : rc;
}

enum dd_status
store_import_household_insert(struct store_tx *tx, struct household_row *h)
{
    struct store_param p[HOUSEHOLD_NPARAMS];
    enum dd_status rc = store_need_write(tx);
    if (rc != DD_OK)
        return rc;
    household_params(h, p);
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
    struct store_param p[] = {P_INT(r->person_id), P_TEXT(r->county_code),
                              P_INT(r->kind), P_INT(r->monthly_fen)};
    return store_write(tx, STMT_IMPORT_INCOME_INSERT, p, NPARAMS(p));
}

enum dd_status
store_import_household_delete(struct store_tx *tx, int64_t id)
{
    return store_write_by(tx, STMT_IMPORT_HOUSEHOLD_DELETE, KEY_INT(id));
}

/* ---- the bulk load (the generator's and the importer's) ---- */

enum bulk_table {
    BULK_HOUSEHOLD,
    BULK_PERSON,
    BULK_INCOME,
    BULK_ASSET,
    BULK_OBLIGOR,
    BULK__COUNT
};

/* Each table's COPY, in the order a flush runs them (a row's parents
 * first: the foreign keys are checked row by row). */
static const struct {
    const char *name;
    const char *copy;
} bulk_tables[BULK__COUNT] = {
    {"household", "COPY household(" HOUSEHOLD_BULK_COLS ") FROM STDIN"},
    {"person", "COPY person(id, " PERSON_WRITE_COLS ") FROM STDIN"},
    {"income", "COPY income(id, " INCOME_WRITE_COLS ") FROM STDIN"},
    {"asset", "COPY asset(id, " ASSET_WRITE_COLS ") FROM STDIN"},
    {"obligor", "COPY obligor(id, " OBLIGOR_WRITE_COLS ") FROM STDIN"},
};

/* Ids reserved a table at a time on PostgreSQL, 16 first and twice as
 * many at each refill up to BULK_IDS (a small import leaves few unused
 * ids behind), and the rows held before a flush (sent sooner once they
 * pass BULK_HELD). */
#define BULK_IDS_FIRST 16
#define BULK_IDS 1024
#define BULK_HELD (16u << 20)
#define BULK_CAP (1u << 30)

struct store_bulk {
    struct store_tx *tx;
    struct buf rows[BULK__COUNT];
    int64_t ids[BULK__COUNT][BULK_IDS];
    size_t id_count[BULK__COUNT], id_next[BULK__COUNT];
    size_t id_block[BULK__COUNT]; /* the next reservation's size */
    int64_t household_id;         /* store_bulk_household_id's last */
    int64_t next_household;       /* SQLite's, read once a flush (0: not yet) */
};

int
store_bulk_holds(const struct store_tx *tx)
{
    return store_tx_copies(tx);
}

enum dd_status
store_bulk_new(struct store_bulk **out)
{
    struct store_bulk *b = calloc(1, sizeof(*b));
    if (!b)
        return DD_ENOMEM;
    for (int t = 0; t < BULK__COUNT; t++)
        buf_init(&b->rows[t], BULK_CAP);
    *out = b;
    return DD_OK;
}

void
store_bulk_free(struct store_bulk *b)
{
    if (!b)
        return;
    for (int t = 0; t < BULK__COUNT; t++)
        buf_free(&b->rows[t]);
    free(b);
}

void
store_bulk_begin(struct store_bulk *b, struct store_tx *tx)
{
    b->tx = tx;
    b->household_id = b->next_household = 0;
    for (int t = 0; t < BULK__COUNT; t++)
        buf_reset(&b->rows[t]);
}

/* The next id of table t from the block reserved on PostgreSQL. */
static enum dd_status
bulk_next_id(struct store_bulk *b, enum bulk_table t, int64_t *id)
{
    if (b->id_next[t] == b->id_count[t]) {
        size_t n = 0, want = b->id_block[t] ? b->id_block[t] : BULK_IDS_FIRST;
        enum dd_status rc =
            store_list_by(b->tx, STMT_BULK_IDS, KEY_TEXT(bulk_tables[t].name),
                          row_to_id, b->ids[t], sizeof(b->ids[t][0]), want, &n);
        if (rc != DD_OK)
            return rc;
        if (n == 0)
            return DD_ESTORE;
        b->id_count[t] = n;
        b->id_next[t] = 0;
        b->id_block[t] = want * 2 < BULK_IDS ? want * 2 : BULK_IDS;
    }
    *id = b->ids[t][b->id_next[t]++];
    return DD_OK;
}

enum dd_status
store_bulk_flush(struct store_bulk *b)
{
    enum dd_status rc = DD_OK;
    b->next_household = 0;
    for (int t = 0; rc == DD_OK && t < BULK__COUNT; t++) {
        if (b->rows[t].len)
            rc = store_copy_in(b->tx, bulk_tables[t].copy, b->rows[t].data,
                               b->rows[t].len);
        buf_reset(&b->rows[t]);
    }
    return rc;
}

/* Gives a row of table t its id and holds it for the flush (flushing
 * once the rows held pass BULK_HELD). */
static enum dd_status
bulk_hold(struct store_bulk *b, enum bulk_table t, struct store_param *p, int n,
          unsigned null_if_zero, int64_t *id)
{
    enum dd_status rc = bulk_next_id(b, t, id);
    if (rc != DD_OK)
        return rc;
    p[0] = (struct store_param)P_INT(*id);
    rc = store_copy_row(&b->rows[t], p, n, null_if_zero);
    size_t held = 0;
    for (int k = 0; k < BULK__COUNT; k++)
        held += b->rows[k].len;
    return rc == DD_OK && held > BULK_HELD ? store_bulk_flush(b) : rc;
}

enum dd_status
store_bulk_household_id(struct store_bulk *b, int64_t *id)
{
    enum dd_status rc = DD_OK;
    if (store_tx_copies(b->tx)) {
        rc = bulk_next_id(b, BULK_HOUSEHOLD, id);
    } else {
        /* SQLite's next, counted on from the one read: no other household
         * is written before the next flush (store.h) */
        if (b->next_household == 0)
            rc = store_run_int(b->tx, STMT_BULK_NEXT_ID,
                               &KEY_TEXT(bulk_tables[BULK_HOUSEHOLD].name), 1,
                               &b->next_household);
        *id = b->next_household++;
    }
    b->household_id = rc == DD_OK ? *id : 0;
    return rc;
}

enum dd_status
store_bulk_household(struct store_bulk *b, struct household_row *h)
{
    if (b->household_id == 0)
        return DD_EINTERNAL; /* no store_bulk_household_id first */
    struct store_param p[HOUSEHOLD_NPARAMS + 2]; /* the id, the version */
    struct store_param v[HOUSEHOLD_NPARAMS];
    household_params(h, v);
    p[0] = (struct store_param)P_INT(b->household_id);
    memcpy(p + 1, v, HOUSEHOLD_NFIELDS * sizeof(*v));
    p[1 + HOUSEHOLD_NFIELDS] = (struct store_param)P_INT(1);
    p[2 + HOUSEHOLD_NFIELDS] = v[HOUSEHOLD_NFIELDS];
    p[3 + HOUSEHOLD_NFIELDS] = v[HOUSEHOLD_NFIELDS + 1];
    int n = NPARAMS(p);
    enum dd_status rc;
    h->id = b->household_id;
    b->household_id = 0;
    if (store_tx_copies(b->tx)) {
        rc = store_copy_row(&b->rows[BULK_HOUSEHOLD], p, n, 0);
    } else {
        rc = store_write(b->tx, STMT_BULK_HOUSEHOLD_INSERT, p, n);
    }
    if (rc == DD_OK)
        h->version = 1;
    return rc;
}

enum dd_status
store_bulk_person(struct store_bulk *b, struct person_row *r)
{
    if (!store_tx_copies(b->tx)) /* the importer's: no RETURNING */
        return store_import_person_insert(b->tx, r);
    struct store_param p[1 + PERSON_NPARAMS];
    person_params(r, p + 1);
    return bulk_hold(b, BULK_PERSON, p, NPARAMS(p), 0, &r->id);
}

enum dd_status
store_bulk_income(struct store_bulk *b, struct income_row *r)
{
    struct store_param p[] = {P_INT(0), P_INT(r->person_id),
                              P_TEXT(r->county_code), P_INT(r->kind),
                              P_INT(r->monthly_fen)};
    if (!store_tx_copies(b->tx)) /* the importer's: no RETURNING */
        return import_insert(b->tx, STMT_IMPORT_INCOME_INSERT, p + 1,
                             NPARAMS(p) - 1, &r->id);
    return bulk_hold(b, BULK_INCOME, p, NPARAMS(p), 0, &r->id);
}

enum dd_status
store_bulk_asset(struct store_bulk *b, struct asset_row *r)
{
    if (!store_tx_copies(b->tx))
        return store_asset_insert(b->tx, r);
    struct store_param p[] = {P_INT(0),
                              P_INT(r->household_id),
                              P_TEXT(r->county_code),
                              P_INT(r->owner_person_id),
                              P_INT(r->kind),
                              P_INT(r->value_fen),
                              P_INT(r->count),
                              P_INT(r->area_dm2),
                              P_INT(r->exempt ? 1 : 0)};
    /* no owner (jointly held) is NULL, as STMT_ASSET_INSERT writes it */
    return bulk_hold(b, BULK_ASSET, p, NPARAMS(p), 1u << 3, &r->id);
}

enum dd_status
store_bulk_obligor(struct store_bulk *b, struct obligor_row *r)
{
    if (!store_tx_copies(b->tx))
        return store_obligor_insert(b->tx, r);
    struct store_param p[] = {P_INT(0),
                              P_INT(r->household_id),
                              P_TEXT(r->county_code),
                              P_INT(r->of_person_id),
                              P_INT(r->relation),
                              P_TEXT(r->name),
                              P_TEXT(r->birth_date),
                              P_INT(r->disability_category),
                              P_INT(r->disability_grade),
                              P_INT(r->flags),
                              P_INT(r->income_monthly_fen)};
    return bulk_hold(b, BULK_OBLIGOR, p, NPARAMS(p), 0, &r->id);
}
