/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the calculator's body: json_decode_household on the
 * input, then, for a household it accepts and dibao_household_validate
 * passes, assess_household with Chongqing-like parameters and the
 * encoding of the result, checking that each program's parts and
 * explanation add up to its amount. Build with the fuzz preset. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/assess.h"
#include "core/arena.h"
#include "json/json_assess.h"

#include "fuzz_check.h"

/* The seed's figures in force on 2024-10-01 (data/policy/params.csv). */
static void
params_2024(struct assess_params *p)
{
    memset(p, 0, sizeof(*p));
    p->dibao = (struct dibao_params){.standard_urban_fen = 75000,
                                     .standard_rural_fen = 61000,
                                     .exempt_basic_pension = 1,
                                     .exempt_disability_subsidy = 1,
                                     .exempt_kin_support = 1,
                                     .asset_deposit_months = 12,
                                     .asset_dwelling_min_count = 2,
                                     .asset_housing_area_dm2 = 1300,
                                     .asset_housing_area_multiple = 3,
                                     .increment_disabled_fen = 4000,
                                     .increment_severe_disability_fen = 6000,
                                     .increment_major_illness_fen = 6000,
                                     .increment_elderly_fen = 6000,
                                     .increment_elderly_min_age = 70,
                                     .increment_preschool_fen = 10000,
                                     .increment_preschool_max_age = 6,
                                     .increment_student_fen = 10000,
                                     .near_poor_ratio_permille = 1500,
                                     .single_share_permille = 1000,
                                     .phaseout_months = 6};
    p->tekun =
        (struct tekun_params){.dibao_standard_urban_fen = 75000,
                              .dibao_standard_rural_fen = 61000,
                              .basic_fen = 97500,
                              .care_partial_fen = 20000,
                              .care_full_fen = 30000,
                              .care_full_min_items = 4,
                              .care_partial_max_items = 3,
                              .care_items = 6,
                              .work_elderly_min_age = 60,
                              .work_minor_max_age = 16,
                              .minor_support_until_age = 18,
                              .exempt_disability_subsidy = 1,
                              .exempt_kin_support = 1,
                              .asset_deposit_months = 12,
                              .asset_dwelling_max = 1,
                              .obligor_dibao_min_age = 60,
                              .obligor_elderly_min_age = 70,
                              .obligor_income_limit_urban_annual_fen = 4743500,
                              .obligor_income_limit_rural_annual_fen = 2082000};
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct household h;
    static struct assess_params p;
    static struct assess_result r;
    static struct explain ex[ASSESS__COUNT];
    struct explain *exs[ASSESS__COUNT] = {&ex[0], &ex[1]};
    struct dd_error err;
    char region[JSON_ASSESS_REGION_LEN];
    enum area_setting setting;
    struct arena *a = arena_new(16u << 20);
    CHECK(a != NULL);
    params_2024(&p);
    enum dd_status rc = json_decode_household(
        a, (const char *)data, size, 2024, 10, 1, &h, region, &setting, &err);
    if (rc == DD_EINVAL) {
        CHECK(err.code != NULL && err.message && err.message_zh);
    } else if (rc == DD_OK) {
        CHECK(h.member_count >= 1 && h.member_count <= HH_MAX_MEMBERS);
        CHECK(strlen(region) == 6 || strlen(region) == 9 ||
              strlen(region) == 12);
        if (dibao_household_validate(&h, 2024, 10, 1) == DD_OK &&
            assess_household(&h, &p, 2024, 10, 1, &r, exs) == DD_OK) {
            for (int i = 0; i < ASSESS__COUNT; i++) {
                CHECK(r.amount_fen[i] >= 0);
                if (!ex[i].truncated)
                    CHECK(explain_amount_sum(&ex[i]) == r.amount_fen[i]);
            }
            int64_t parts = 0;
            for (size_t i = 0; i < r.dibao.part_count; i++)
                parts += r.dibao.parts[i].amount_fen;
            CHECK(parts == r.amount_fen[ASSESS_DIBAO]);
            CHECK(json_encode_assessment(a, "2024-10-01", region, &r, exs) !=
                  NULL);
        }
    }
    arena_free(a);
    return 0;
}
