/* SPDX-License-Identifier: MIT */
/* The household registry's rules between the API and the store: checking a
 * decoded household (ID numbers per GB 11643-1999 with the birth date and
 * sex derived from them, disability cards, codes, amounts), sealing ID and
 * card numbers, writing a household's members, incomes, assets and
 * obligors, loading them back, and mapping a stored household onto the
 * assessment engine's struct household (src/domain/household.h). */
#ifndef DD_REGISTRY_H
#define DD_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/status.h"
#include "crypto/pii.h"
#include "domain/household.h"
#include "store/store.h"
#include "json/json_household.h"

/* Code names, as in the API: relation ("applicant", "spouse", ...),
 * work capacity, schooling, self-care item, income kind and asset kind.
 * name_of returns NULL out of range; code_of returns -1 when unknown. */
enum registry_code {
    REG_RELATION,
    REG_WORK_CAPACITY,
    REG_SCHOOLING,
    REG_SELFCARE,
    REG_INCOME_KIND,
    REG_ASSET_KIND,
    REG__COUNT
};
const char *registry_name_of(enum registry_code c, int value);
int registry_code_of(enum registry_code c, const char *name);

/* A stored household with everything under it (arena memory). */
struct registry_household {
    struct household_row h;
    struct person_row *members;
    size_t member_count;
    struct income_row *incomes;
    size_t income_count;
    struct asset_row *assets;
    size_t asset_count;
    struct obligor_row *obligors;
    size_t obligor_count;
};

/* A checked member, ready to insert (the ID number is sealed; number is
 * kept only for the request). */
struct registry_member {
    struct person_row p;
    struct income_row incomes[HHJ_MAX_INCOMES];
    size_t income_count;
    char number[19];
};

/* A checked household body. Asset owners and obligors refer to members by
 * index (owner -1 = joint) until they are written. */
struct registry_input {
    struct household_row h; /* county, regions, address, urban_or_rural */
    struct registry_member *members;
    size_t member_count;
    struct asset_row assets[HHJ_MAX_ASSETS];
    int asset_owner[HHJ_MAX_ASSETS];
    size_t asset_count;
    struct obligor_row obligors[HHJ_MAX_OBLIGORS];
    int obligor_of[HHJ_MAX_OBLIGORS];
    size_t obligor_count;
};

/* Checks one member; prefix is its JSON path with the dot ("members[1].",
 * or "" for a lone member). today is the date a birth may not be after.
 * DD_EINVAL with err naming the field (e.g. "members[1].birth_date"). */
enum dd_status registry_check_member(const struct pii_keys *k, struct arena *a,
                                     const struct hhj_member *m,
                                     const char *prefix, int today_y,
                                     int today_m, int today_d,
                                     struct registry_member *out,
                                     struct dd_error *err) DD_WUR;
/* Checks a whole household (1..16 members, exactly one applicant, no ID
 * number twice, asset and obligor references in range). Regions are the
 * caller's to check against the reference data. */
enum dd_status registry_check_household(const struct pii_keys *k,
                                        struct arena *a,
                                        const struct hhj_household *in,
                                        int today_y, int today_m, int today_d,
                                        struct registry_input *out,
                                        struct dd_error *err) DD_WUR;

/* Inserts one member and their incomes into household h (active or not
 * as h is). A person active elsewhere is DD_ECONFLICT. */
enum dd_status registry_insert_member(struct store_tx *tx,
                                      const struct household_row *h,
                                      struct registry_member *m) DD_WUR;
/* Inserts the assets and obligors of in under h, their member references
 * turned into the members' ids (already written). */
enum dd_status registry_insert_holdings(struct store_tx *tx,
                                        const struct household_row *h,
                                        struct registry_input *in) DD_WUR;
/* Inserts every member, asset and obligor of in under h. On DD_ECONFLICT
 * *conflict_member is the index of the member refused. */
enum dd_status registry_insert_children(struct store_tx *tx,
                                        const struct household_row *h,
                                        struct registry_input *in,
                                        size_t *conflict_member) DD_WUR;
/* Writes every member, asset and obligor of in under h (written by
 * store_bulk_household) into bulk load b (store.h). */
enum dd_status registry_bulk_children(struct store_bulk *b,
                                      const struct household_row *h,
                                      struct registry_input *in) DD_WUR;
/* The index of the member of cur with this blind index, or -1. */
int registry_member_index(const struct registry_household *cur,
                          const char *id_hash);
/* Whether the replace in keeps the member with this blind index (a
 * member it does not list leaves the household). */
int registry_input_keeps(const struct registry_input *in, const char *id_hash);
/* A full replace of household h's children, cur being what is stored:
 * members are matched by ID number (the blind index), so the same person
 * keeps their member id and is rewritten in place (incomes anew), members
 * no longer listed are removed and new ones inserted; assets and
 * obligors are written anew. On DD_ECONFLICT *conflict_member is the
 * index of the new member refused (active elsewhere). */
enum dd_status registry_replace_children(struct store_tx *tx,
                                         const struct household_row *h,
                                         const struct registry_household *cur,
                                         struct registry_input *in,
                                         size_t *conflict_member) DD_WUR;

/* Loads household id and everything under it into out (arena memory).
 * DD_ENOTFOUND when there is no such household. */
enum dd_status registry_load(struct store_tx *tx, struct arena *a, int64_t id,
                             struct registry_household *out) DD_WUR;

/* Maps a stored household onto the engine's input model: the living
 * members in id order (the applicant first), incomes by kind, assets with
 * their owner's index, obligors with their member's index, the standard
 * area from an explicit urban_or_rural ("district" leaves the urban
 * standard for assess_area_resolve to decide) and hukou_county from
 * hukou_region, as on day `on` (YYYY-MM-DD); member_ids (HH_MAX_MEMBERS,
 * may be NULL) gets each engine member's person id. A member whose death
 * is recorded on or before `on` is not counted (they stay on the file:
 * the payments name them): their incomes go with them, what they owned
 * is the household's, their obligors are nobody's. The 低保 state and
 * 单人保 fields are left zero for the caller. DD_EINVAL when it does not
 * fit (over HH_MAX_* rows, a date that does not parse, no living member),
 * DD_EREFUSED when the applicant has died by then (the file must name a
 * living one: registry_applicant_died). */
enum dd_status registry_to_household(const struct registry_household *rh,
                                     const char *on, struct household *out,
                                     int64_t *member_ids) DD_WUR;

/* The day the household's applicant died, if on or before day `on`
 * (YYYY-MM-DD); "" when alive then. */
const char *registry_applicant_died(const struct registry_household *rh,
                                    const char *on);

/* err (its text in a) for registry_to_household's DD_EREFUSED:
 * APPLICANT_DECEASED on field members, with the day. */
void registry_applicant_died_error(const struct registry_household *rh,
                                   const char *on, struct arena *a,
                                   struct dd_error *err);

#endif
