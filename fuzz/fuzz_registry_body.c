/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the household registry's body decoders
 * (json_registry_decode_household and json_registry_decode_member): any
 * input either decodes within the documented bounds or fails with a named
 * error, and never reads or writes out of bounds. Build with the fuzz
 * preset (cmake --preset fuzz); `make fuzz` runs it. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/arena.h"
#include "json/json_household.h"

#include "fuzz_check.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new(8u << 20);
    struct hhj_household h;
    struct hhj_member m;
    struct dd_error err = {0};
    int64_t version = 0;
    if (!a)
        return 0;
    enum dd_status rc =
        json_registry_decode_household(a, (const char *)data, size, &h, &err);
    if (rc == DD_OK) {
        CHECK(h.region_code && h.hukou_region && h.urban_or_rural);
        CHECK(h.member_count <= HHJ_MAX_MEMBERS);
        CHECK(h.asset_count <= HHJ_MAX_ASSETS);
        CHECK(h.obligor_count <= HHJ_MAX_OBLIGORS);
        for (size_t i = 0; i < h.member_count; i++) {
            CHECK(h.members[i].id_number && h.members[i].name &&
                  h.members[i].relation);
            CHECK(h.members[i].income_count <= HHJ_MAX_INCOMES);
            CHECK(h.members[i].selfcare_count <= HHJ_MAX_SELFCARE);
            CHECK(h.members[i].disability_category >= 0 &&
                  h.members[i].disability_category <= 7);
        }
        for (size_t i = 0; i < h.asset_count; i++)
            CHECK(h.assets[i].owner_member >= -1 &&
                  h.assets[i].owner_member < HHJ_MAX_MEMBERS);
    } else if (rc == DD_EINVAL) {
        CHECK(err.code && err.message && err.message_zh);
    }
    err = (struct dd_error){0};
    rc = json_registry_decode_member(a, (const char *)data, size, &m,
                                     &version, &err);
    if (rc == DD_OK)
        CHECK(m.id_number && m.name && m.relation &&
              (version == -1 || version >= 1));
    else if (rc == DD_EINVAL)
        CHECK(err.code && err.message && err.message_zh);
    arena_free(a);
    return 0;
}
