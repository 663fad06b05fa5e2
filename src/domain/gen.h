/* SPDX-License-Identifier: MIT */
/* A deterministic synthetic population of Chongqing households for demos,
 * tests and benchmarks: family structures, an age pyramid, Chinese names,
 * valid ID numbers with real county codes, lognormal incomes, disability,
 * major illness and assets. The same seed and village list give the same
 * households, byte for byte, on every run (xoshiro256** seeded through
 * splitmix64; no libc rand). Every distribution is illustrative: chosen to
 * look like Chongqing, not fitted to data. Pure: no I/O, no allocation;
 * the village list is the caller's (see cli/cmd_gen.c). */
#ifndef DD_GEN_H
#define DD_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "domain/household.h"

#define GEN_VILLAGE_CODE_LEN 13 /* 12 digits + NUL */
#define GEN_NAME_LEN 16         /* up to 2 + 3 CJK characters in UTF-8 */

/* One village-level unit (村/社区) of data/regions-chongqing.csv. */
struct gen_village {
    char code[GEN_VILLAGE_CODE_LEN]; /* 12 digits; county = first 6 */
    int urban;                       /* 1: 社区 (residents' committee) */
};

/* The villages households are spread over; borrowed, never copied: it must
 * outlive the generator. Needs at least one village. */
struct gen_regions {
    const struct gen_village *villages;
    size_t count;
};

/* Family structures, in the order of the weights in gen.c. */
enum gen_family {
    GEN_FAM_SINGLE_ELDERLY = 0, /* one person 60+ */
    GEN_FAM_SINGLE_ADULT,       /* one person 18–59 */
    GEN_FAM_COUPLE,             /* a couple, no children at home */
    GEN_FAM_COUPLE_CHILDREN,    /* a couple and 1–3 children */
    GEN_FAM_THREE_GENERATIONS,  /* a couple, 1–2 children, 1–2 parents */
    GEN_FAM_SINGLE_PARENT,      /* one parent and 1–2 children */
    GEN_FAM__COUNT
};

/* What the registry needs about a person besides the engine's model. */
struct gen_person {
    char name[GEN_NAME_LEN]; /* UTF-8: surname + 1 or 2 given characters */
    char id_number[19];      /* 18 characters, valid GB 11643-1999 */
};

/* One generated household: the engine's input plus identity. people[i]
 * belongs to hh.members[i]; members[0] is always the applicant. */
struct gen_household {
    uint64_t serial; /* 1, 2, ... in generation order: the household key */
    enum gen_family family;
    char hukou_village[GEN_VILLAGE_CODE_LEN];     /* 户籍地 */
    char residence_village[GEN_VILLAGE_CODE_LEN]; /* 居住地 */
    struct gen_person people[HH_MAX_MEMBERS];
    struct household hh;
};

/* Claims an 18-character ID number for a new person: 1 if it was free
 * (and is now taken), 0 if someone already has it. The caller's, e.g. a
 * hash set or the registry's blind index. */
typedef int gen_id_claim_fn(void *ctx, const char *id_number18);

/* The generator's state; a plain struct the caller owns (stack is fine). */
struct gen {
    uint64_t s[4]; /* xoshiro256** */
    double spare_normal;
    int has_spare;
    const struct gen_regions *regions;
    size_t urban_count, rural_count; /* villages of each kind */
    double keep_urban, keep_rural;   /* village acceptance (gen.c) */
    int as_of_y, as_of_m, as_of_d;   /* ages are ages on this date */
    uint64_t serial;
    gen_id_claim_fn *id_claim; /* NULL: numbers may repeat (see below) */
    void *id_claim_ctx;
};

/* Starts g from seed over regions, with ages taken on as_of (birth dates
 * are never after it). DD_EINVAL for NULL, an empty village list, a
 * village code that is not 12 digits starting "50", or a bad date. */
DD_WUR enum dd_status gen_init(struct gen *g, uint64_t seed,
                               const struct gen_regions *regions, int as_of_y,
                               int as_of_m, int as_of_d);

/* Fills *out with the next household (all of it: zeroed first). The
 * household passes dibao_household_validate on the as_of date. */
void gen_household(struct gen *g, struct gen_household *out);

/* Makes ID numbers unique through fn (NULL: off, the default). Without
 * it, numbers are drawn at random and repeat now and then: about 1 person
 * in 2,500 at 200,000 households on Chongqing's 38 counties. With it, a
 * number fn refuses is redrawn (a repeat only if all ~500 sequences of a
 * county, birth date and sex are taken). Output stays deterministic as
 * long as fn answers the same way for the same calls. */
void gen_id_claim_set(struct gen *g, gen_id_claim_fn *fn, void *ctx);

/* The PRNG, exposed for tests and benchmarks: the next 64 bits, and a
 * uniform integer in [0, n) (n ≥ 1). */
uint64_t gen_next_u64(struct gen *g);
uint32_t gen_below(struct gen *g, uint32_t n);

/* Short English names ("single_elderly", ...) and relation names
 * ("applicant", "spouse", ...) for output; "?" when out of range. */
const char *gen_family_name(enum gen_family f);
const char *gen_relation_name(enum hh_relation r);

#endif
