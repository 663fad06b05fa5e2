/* SPDX-License-Identifier: MIT */
/* The household registry: households with their members, incomes, assets
 * and support obligors. Writes are one transaction with their audit row
 * and carry a version (If-Match or "version"; stale → 409). ID numbers
 * are masked in every reply unless a role that may read personal data
 * asks with ?unmask=true, and each unmasked member is audited in the same
 * request ("person.unmask"). Records outside the caller's scope are 404. */
#include "api/api_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assess/assess.h"
#include "audit/digest.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "crypto/crypto.h"
#include "domain/idcard.h"
#include "registry/contact.h"
#include "registry/registry.h"
#include "json/json_assess.h"
#include "json/jw.h"

#define PAGE_MAX 200
#define REPLY_CAP (1u << 20)

/* ---- replies ---- */

/* Replies are written with the JSON writer (json/jw.h) straight into one
 * growable buffer: no printf, no jansson value per string, and the buffer
 * itself becomes the body (freed with the request's arena), so a
 * household read costs one allocation for its reply. */

/* The card number shown: the holder's ID part masked, the category,
 * grade and reissue suffix kept (they are what the card is read for).
 * Only a member with a card is unsealed. */
static void
put_card(struct http_request *req, struct jw *w, const struct person_row *p,
         int unmask)
{
    char card[64], masked[19];
    if (!p->disability_card_enc[0] ||
        pii_open(API(req)->pii, &PII_AD_PERSON_CARD(p->id_hash),
                 p->disability_card_enc, card, sizeof(card)) != DD_OK ||
        strlen(card) < 18) {
        jw_null(w, "disability_card");
        return;
    }
    if (unmask) {
        jw_str(w, "disability_card", card);
    } else {
        char shown[64];
        memcpy(shown, card, 18);
        shown[18] = '\0';
        idcard_mask(shown, masked);
        memcpy(shown, masked, 18);
        str_copy(shown + 18, sizeof(shown) - 18, card + 18);
        jw_str(w, "disability_card", shown);
    }
    crypto_wipe(card, sizeof(card));
}

static enum dd_status
put_member(struct http_request *req, struct jw *w,
           const struct registry_household *rh, const struct person_row *p,
           int unmask)
{
    char number[32] = "";
    /* the masked form is stored: only an unmasked read unseals */
    const char *shown = p->id_masked;
    if (unmask) {
        if (pii_open(API(req)->pii, &PII_AD_PERSON_ID(p->id_hash), p->id_enc,
                     number, sizeof(number)) != DD_OK)
            return DD_EINTERNAL;
        shown = number;
    }
    jw_obj(w, NULL);
    jw_int(w, "id", p->id);
    jw_str(w, "id_number", shown);
    crypto_wipe(number, sizeof(number));
    jw_str(w, "name", p->name);
    jw_str(w, "relation", registry_name_of(REG_RELATION, p->relation));
    jw_str(w, "sex", p->sex);
    jw_str(w, "birth_date", p->birth_date);
    jw_int(w, "disability_category", p->disability_category);
    jw_int(w, "disability_grade", p->disability_grade);
    put_card(req, w, p, unmask);
    jw_bool(w, "major_illness", p->major_illness);
    jw_str(w, "work_capacity",
           registry_name_of(REG_WORK_CAPACITY, p->work_capacity));
    jw_str(w, "schooling", registry_name_of(REG_SCHOOLING, p->schooling));
    jw_bool(w, "employed", p->employed);
    jw_bool(w, "active", p->active);
    jw_str_or_null(w, "died_on", p->died_on);
    jw_arr(w, "selfcare_unable");
    for (int k = 0; k < HH_ADL__COUNT; k++)
        if (p->selfcare_unable & (1 << k))
            jw_str(w, NULL, registry_name_of(REG_SELFCARE, k));
    jw_end(w);
    jw_arr(w, "incomes");
    for (size_t i = 0; i < rh->income_count; i++) {
        const struct income_row *r = &rh->incomes[i];
        if (r->person_id != p->id)
            continue;
        jw_obj(w, NULL);
        jw_str(w, "kind", registry_name_of(REG_INCOME_KIND, r->kind));
        jw_int(w, "monthly_fen", r->monthly_fen);
        jw_end(w);
    }
    jw_end(w);
    jw_end(w);
    return w->rc;
}

static int
index_of(const struct registry_household *rh, int64_t person_id)
{
    for (size_t i = 0; i < rh->member_count; i++)
        if (rh->members[i].id == person_id)
            return (int)i;
    return -1;
}

/* The household's own fields, its object left open. */
static void
put_summary(struct jw *w, const struct household_row *h)
{
    jw_obj(w, NULL);
    jw_int(w, "id", h->id);
    jw_str(w, "county_code", h->county_code);
    jw_str(w, "region_code", h->region_code);
    jw_str(w, "hukou_region", h->hukou_region);
    jw_str(w, "address", h->address);
    jw_str(w, "urban_or_rural", h->urban_or_rural);
    jw_str(w, "status", h->status);
    /* sensitive data (PIPL art. 28): only ever the masked forms */
    jw_str_or_null(w, "contact_phone", h->contact_phone_masked);
    jw_str_or_null(w, "bank_account", h->bank_account_masked);
    jw_int(w, "version", h->version);
    jw_time(w, "created_at", h->created_at);
    jw_time(w, "updated_at", h->updated_at);
}

/* The whole household into w, masked unless unmask. */
static void
put_household(struct http_request *req, struct jw *w,
              const struct registry_household *rh, int unmask)
{
    put_summary(w, &rh->h);
    jw_bool(w, "unmasked", unmask);
    jw_arr(w, "members");
    for (size_t i = 0; w->rc == DD_OK && i < rh->member_count; i++)
        if (put_member(req, w, rh, &rh->members[i], unmask) != DD_OK &&
            w->rc == DD_OK)
            w->rc = DD_EINTERNAL;
    jw_end(w);
    jw_arr(w, "assets");
    for (size_t i = 0; i < rh->asset_count; i++) {
        const struct asset_row *r = &rh->assets[i];
        int owner = r->owner_person_id ? index_of(rh, r->owner_person_id) : -1;
        jw_obj(w, NULL);
        jw_int(w, "id", r->id);
        jw_str(w, "kind", registry_name_of(REG_ASSET_KIND, r->kind));
        if (owner >= 0)
            jw_int(w, "owner_member", owner);
        else
            jw_null(w, "owner_member");
        jw_int(w, "value_fen", r->value_fen);
        jw_int(w, "count", r->count);
        jw_int(w, "area_dm2", r->area_dm2);
        jw_bool(w, "exempt", r->exempt);
        jw_end(w);
    }
    jw_end(w);
    jw_arr(w, "obligors");
    for (size_t i = 0; i < rh->obligor_count; i++) {
        const struct obligor_row *r = &rh->obligors[i];
        jw_obj(w, NULL);
        jw_int(w, "id", r->id);
        jw_int(w, "of_member", index_of(rh, r->of_person_id));
        jw_str(w, "relation", registry_name_of(REG_RELATION, r->relation));
        jw_str(w, "name", r->name);
        jw_str_or_null(w, "birth_date", r->birth_date);
        jw_int(w, "disability_category", r->disability_category);
        jw_int(w, "disability_grade", r->disability_grade);
        jw_bool(w, "is_tekun", r->flags & OBLIGOR_IS_TEKUN);
        jw_bool(w, "is_dibao_recipient", r->flags & OBLIGOR_IS_DIBAO);
        jw_bool(w, "lacks_civil_capacity", r->flags & OBLIGOR_LACKS_CAPACITY);
        jw_bool(w, "declared_missing", r->flags & OBLIGOR_MISSING);
        jw_bool(w, "in_prison", r->flags & OBLIGOR_IN_PRISON);
        jw_bool(w, "assets_within_low_income_rule",
                r->flags & OBLIGOR_ASSETS_LOW);
        jw_bool(w, "other_provincial_unable",
                r->flags & OBLIGOR_OTHER_UNABLE);
        jw_int(w, "income_monthly_fen", r->income_monthly_fen);
        jw_end(w);
    }
    jw_end(w);
    jw_end(w);
}

/* The whole household as JSON in the request's arena, masked unless unmask;
 * NULL when out of memory or over the reply cap. */
static const char *
encode_household(struct http_request *req, const struct registry_household *rh,
                 int unmask)
{
    struct jw w;
    jw_init(&w, REPLY_CAP);
    put_household(req, &w, rh, unmask);
    return jw_finish_arena(&w, req->arena);
}

static void
reply_household(struct http_request *req, int status,
                const struct registry_household *rh, const char *body)
{
    const char *etag =
        arena_printf(req->arena, "\"%lld\"", (long long)rh->h.version);
    /* the header table has room; a full one only loses the ETag */
    if (etag && http_set_header(req, "ETag", etag) != DD_OK)
        etag = NULL;
    api_reply(req, status, body);
}

/* ---- checks shared by the writes ---- */

/* A 12-digit village code present in the reference data. */
static int
village_ok(struct http_request *req, const char *code, const char *field)
{
    long i = -1;
    if (code && strlen(code) == 12 && !code[strspn(code, "0123456789")])
        i = api_region_find(API(req), code);
    if (i < 0 || strcmp(API(req)->regions[i].level, "village") != 0) {
        api_error(req, 400, "UNKNOWN_REGION", field,
                  "this is not the 12-digit code of a village in Chongqing",
                  "该代码不是重庆市村（社区）的 12 位行政区划代码");
        return -1;
    }
    return 0;
}

int
api_expected_version(struct http_request *req, int64_t body_version,
                     int64_t *out)
{
    const char *im = http_header(req, "If-Match");
    *out = body_version;
    if (!im)
        return 0;
    if (strncmp(im, "W/", 2) == 0)
        im += 2;
    char digits[24];
    size_t n = strlen(im);
    if (n >= 2 && im[0] == '"' && im[n - 1] == '"') {
        im++;
        n -= 2;
    }
    if (n == 0 || n >= sizeof(digits) || strspn(im, "0123456789") < n) {
        api_error(req, 400, "INVALID_IF_MATCH", "If-Match",
                  "If-Match is the record's version number",
                  "If-Match 须为记录的版本号");
        return -1;
    }
    memcpy(digits, im, n);
    digits[n] = '\0';
    *out = strtoll(digits, NULL, 10);
    return 0;
}

int
api_version_required(struct http_request *req, int64_t body_version,
                     int64_t *out)
{
    if (api_expected_version(req, body_version, out))
        return -1;
    if (*out >= 0)
        return 0;
    api_error(req, 428, "VERSION_REQUIRED", "version",
              "a decision needs the version read (If-Match or version)",
              "变更须提供读取时的版本号（If-Match 或 version）");
    return -1;
}

static void
version_conflict(struct http_request *req)
{
    api_error(req, 409, "VERSION_CONFLICT", "version",
              "the household was changed since you read it; read it again",
              "该家庭记录已被他人修改，请重新读取");
}

/* Replies 409 for member i, active in household other_id; names it only
 * when it lies in the caller's scope. */
static void
person_conflict(struct http_request *req, struct store_tx *tx,
                const char *field, int64_t other_id)
{
    struct household_row other;
    int named = other_id > 0 &&
                store_household_get(tx, other_id, &other) == DD_OK &&
                authz_decide(PRINCIPAL(req), AUTHZ_HOUSEHOLD_READ,
                             other.region_code, NULL) == DD_OK;
    struct dd_error err = {
        "PERSON_IN_ANOTHER_HOUSEHOLD", field,
        named ? arena_printf(req->arena,
                             "this person is already a member of active "
                             "household %lld",
                             (long long)other_id)
              : "this person is already a member of another active "
                "household",
        named ? arena_printf(req->arena, "此人已是在册家庭 %lld 的成员",
                             (long long)other_id)
              : "此人已是另一在册家庭的成员"};
    api_fail(req, DD_ECONFLICT, &err);
}

/* Replies 409 for member field, whose death is recorded: a person who
 * died joins no household (their death leaves the one they were in, and
 * the rule that holds a person to one active household with it). */
static void
person_died(struct http_request *req, const char *field,
            const struct person_death_row *d)
{
    struct dd_error err = {
        "PERSON_DECEASED", field,
        arena_printf(req->arena,
                     "this person's death is recorded (died on %s): they "
                     "cannot join a household",
                     d->died_on),
        arena_printf(req->arena, "此人已登记死亡（%s），不能加入家庭",
                     d->died_on)};
    api_fail(req, DD_ECONFLICT, &err);
}

/* Checks that no member is active in a household, nor dead; replies 409
 * when one is. Members of keep (a household being replaced, or NULL) are
 * there already and are not checked. Returns DD_OK, DD_ECONFLICT
 * (replied) or a store error. */
static enum dd_status
members_free(struct http_request *req, struct store_tx *tx,
             const struct registry_member *ms, size_t n, const char *prefix,
             const struct registry_household *keep)
{
    for (size_t i = 0; i < n; i++) {
        int64_t other = 0;
        if (keep && registry_member_index(keep, ms[i].p.id_hash) >= 0)
            continue;
        const char *field =
            n == 1 && !*prefix
                ? "id_number"
                : arena_printf(req->arena, "%s[%zu].id_number", prefix, i);
        struct person_death_row d;
        enum dd_status rc = store_person_death_by_hash(tx, ms[i].p.id_hash, &d);
        if (rc == DD_OK) {
            person_died(req, field, &d);
            return DD_ECONFLICT;
        }
        if (rc != DD_ENOTFOUND)
            return rc;
        rc = store_person_active_household(tx, ms[i].p.id_hash, &other);
        if (rc == DD_ENOTFOUND)
            continue;
        if (rc != DD_OK)
            return rc;
        person_conflict(req, tx, field, other);
        return DD_ECONFLICT;
    }
    return DD_OK;
}

static const char *
object_of(struct http_request *req, int64_t id)
{
    return arena_printf(req->arena, "household:%lld", (long long)id);
}

/* A household write's audit detail, with the digest of the household's
 * facts as written (audit/digest.h), which `doudi check` compares with
 * the rows; NULL when out of memory. */
static const char *
audit_detail(struct http_request *req, const struct registry_household *rh)
{
    char digest[DIGEST_HEX_LEN + 1];
    if (digest_household(rh, digest) != DD_OK)
        return NULL;
    return json_object_of_strings(
        req->arena,
        (const char *[]){
            "version",
            arena_printf(req->arena, "%lld", (long long)rh->h.version),
            "members", arena_printf(req->arena, "%zu", rh->member_count),
            "status", rh->h.status, "digest", digest},
        4);
}

/* The household's audit row of a write. */
static enum dd_status
audit_write(struct http_request *req, struct store_tx *tx, const char *action,
            const struct registry_household *rh)
{
    const char *detail = audit_detail(req, rh);
    if (!detail)
        return DD_ENOMEM;
    return api_audit(req, tx, action, object_of(req, rh->h.id),
                     rh->h.region_code, detail);
}

/* Seals the given contact values into h (its id set) and, for a new
 * household, writes them (store_household_contact_set); a replace writes
 * them with the rest of h. */
static enum dd_status
contact_write(struct http_request *req, struct store_tx *tx, const char *phone,
              const char *bank_account, struct household_row *h, int is_new)
{
    int changed = 0;
    enum dd_status rc =
        contact_seal(API(req)->pii, phone, bank_account, h, &changed);
    if (rc == DD_OK && changed && is_new)
        rc = store_household_contact_set(tx, h);
    return rc;
}

/* A value a replace sends: NULL (keep) when it is the masked form a read
 * showed. */
static const char *
unless_masked(const char *given, const char *masked)
{
    return given && *masked && strcmp(given, masked) == 0 ? NULL : given;
}

/* domain.md §7.1: a household may follow its hukou district only where
 * the district sets one standard for all residents today; 0, or -1 after
 * replying 400 naming urban_or_rural. */
static int
area_ok(struct http_request *req, const struct household_row *h, int y, int m,
        int d)
{
    enum area_setting s;
    if (area_setting_parse(h->urban_or_rural, &s) != 0 ||
        s != AREA_SETTING_DISTRICT)
        return 0;
    struct dd_error err = {0};
    pthread_rwlock_rdlock(&API(req)->policy_lock);
    enum dd_status rc = assess_area_resolve(API(req)->policy, h->hukou_region,
                                            y, m, d, s, NULL, NULL, &err);
    pthread_rwlock_unlock(&API(req)->policy_lock);
    if (rc == DD_OK)
        return 0;
    api_error(req, 400, err.code, err.field, err.message, err.message_zh);
    return -1;
}

/* ---- handlers ---- */

int
api_household_insert_json(struct http_request *req, struct store_tx *tx,
                          const char *body, size_t len,
                          struct registry_household *rh)
{
    struct hhj_household in;
    struct registry_input chk;
    struct dd_error err = {0};
    size_t bad_member = 0;
    struct civil_day td;
    enum dd_status rc;

    rc = json_registry_decode_household(req->arena, body, len, &in, &err);
    if (api_check(req, rc, &err))
        return -1;
    if (in.version != -1) {
        api_error(req, 400, "FIELD_READ_ONLY", "version",
                  "a new household has no version yet", "新家庭尚无版本号");
        return -1;
    }
    if (village_ok(req, in.region_code, "region_code") ||
        village_ok(req, in.hukou_region, "hukou_region"))
        return -1;
    if (api_authorise(req, AUTHZ_HOUSEHOLD_WRITE, in.region_code, NULL))
        return -1;
    rc = contact_check(req->arena, "", in.contact_phone, in.bank_account, &err);
    if (api_check(req, rc, &err))
        return -1;
    civil_today(&td);
    rc = registry_check_household(API(req)->pii, req->arena, &in, td.y, td.m, td.d, &chk,
                                  &err);
    if (api_check(req, rc, &err))
        return -1;
    if (area_ok(req, &chk.h, td.y, td.m, td.d))
        return -1;
    rc = members_free(req, tx, chk.members, chk.member_count, "members",
                      NULL);
    if (rc == DD_ECONFLICT)
        return -1;
    if (rc == DD_OK)
        rc = store_household_insert(tx, &chk.h);
    if (rc == DD_OK)
        rc = contact_write(req, tx, in.contact_phone, in.bank_account, &chk.h,
                           1);
    if (rc == DD_OK) {
        rc = registry_insert_children(tx, &chk.h, &chk, &bad_member);
        if (rc == DD_ECONFLICT) { /* a concurrent insert won the race */
            person_conflict(
                req, tx,
                arena_printf(req->arena, "members[%zu].id_number", bad_member),
                0);
            return -1;
        }
    }
    if (rc == DD_OK)
        rc = registry_load(tx, req->arena, chk.h.id, rh);
    if (rc == DD_OK)
        rc = audit_write(req, tx, "household.create", rh);
    return api_check(req, rc, NULL);
}

static void
household_create(struct http_request *req)
{
    struct registry_household rh;
    struct store_tx *tx;

    if (api_begin(req, STORE_WRITE, &tx))
        return;
    if (api_household_insert_json(req, tx,
                                  req->body.data ? req->body.data : "",
                                  req->body.len, &rh)) {
        return;
    }
    if (api_commit(req, tx))
        return;
    reply_household(req, 201, &rh, encode_household(req, &rh, 0));
}

int
api_want_unmask(struct http_request *req, int *out)
{
    const char *v = http_query(req, "unmask");
    *out = 0;
    if (!v || strcmp(v, "false") == 0)
        return 0;
    if (strcmp(v, "true") == 0) {
        *out = 1;
        return 0;
    }
    api_error(req, 400, "INVALID_PARAMETER", "unmask",
              "unmask is true or false", "unmask 须为 true 或 false");
    return -1;
}

static void
household_get(struct http_request *req)
{
    struct registry_household rh;
    struct store_tx *tx;
    int unmask;
    if (api_want_unmask(req, &unmask))
        return;
    /* an unmasked read writes its audit rows in the same transaction */
    if (api_begin(req, unmask ? STORE_WRITE : STORE_READ, &tx))
        return;
    enum dd_status rc = registry_load(tx, req->arena, api_path_id(req, 0), &rh);
    if (api_check(req, rc, NULL))
        return;
    if (api_authorise(req, AUTHZ_HOUSEHOLD_READ, rh.h.region_code, NULL) ||
        (unmask &&
         api_authorise(req, AUTHZ_PERSONAL_READ, rh.h.region_code, NULL)) ||
        api_household_dept_check(req, tx, rh.h.id)) {
        return;
    }
    const char *body = encode_household(req, &rh, unmask);
    if (!body) {
        /* nothing is audited as read that was not sent */
        api_fail(req, DD_ENOMEM, NULL);
        return;
    }
    for (size_t i = 0; unmask && rc == DD_OK && i < rh.member_count; i++)
        rc = api_audit(
            req, tx, "person.unmask",
            arena_printf(req->arena, "person:%lld",
                         (long long)rh.members[i].id),
            rh.h.region_code,
            json_object_of_strings(
                req->arena,
                (const char *[]){"household", arena_printf(req->arena, "%lld",
                                                           (long long)rh.h.id)},
                1));
    if (api_check(req, rc, NULL))
        return;
    if (unmask) {
        if (api_commit(req, tx))
            return;
    } else {
    }
    reply_household(req, 200, &rh, body);
}

/* Whether h is listed: in the caller's scope and the region asked for,
 * and for a department's officer referred to the department (checked
 * here unless the store's list read only those: dept_read). */
static int
in_list(struct http_request *req, struct store_tx *tx,
        const struct household_row *h, const char *region, int dept_read)
{
    return authz_in_scope(PRINCIPAL(req), h->region_code) &&
           (!region || strncmp(h->region_code, region, strlen(region)) == 0) &&
           (dept_read || api_household_dept_visible(req, tx, h->id) == 1);
}

static void
household_list(struct http_request *req)
{
    const char *cursor = http_query(req, "cursor");
    const char *limit_s = http_query(req, "limit");
    const char *region = http_query(req, "region");
    const char *number = http_query(req, "id_number");
    size_t limit = limit_s ? (size_t)strtoul(limit_s, NULL, 10) : 50;
    int64_t after = cursor ? strtoll(cursor, NULL, 10) : 0;
    const struct principal *p = PRINCIPAL(req);
    struct household_row *page, *out;
    size_t n = 0, got = 0;
    struct store_tx *tx;
    enum dd_status rc = DD_OK;
    int more = 0;

    page = arena_alloc(req->arena, (limit + 1) * sizeof(*page));
    out = arena_alloc(req->arena, (limit + 1) * sizeof(*out));
    if (!page || !out) {
        api_fail(req, DD_ENOMEM, NULL);
        return;
    }
    if (number) {
        /* exact lookup by the blind index of the normalised number */
        struct idcard id;
        struct dd_error err = {0};
        char hash[PII_BLIND_INDEX_LEN + 1];
        struct civil_day td;
        civil_today(&td);
        if (idcard_parse(number, td.y, td.m, td.d, &id, &err) != DD_OK) {
            err.field = "id_number";
            api_fail(req, DD_EINVAL, &err);
            return;
        }
        pii_blind_index(API(req)->pii, id.number, hash);
        int64_t ids[HHJ_MAX_MEMBERS];
        if (api_begin(req, STORE_READ, &tx))
            return;
        rc = store_household_by_id_hash(tx, hash, ids, HHJ_MAX_MEMBERS, &n);
        for (size_t i = 0; rc == DD_OK && i < n && got < limit; i++) {
            rc = store_household_get(tx, ids[i], &out[got]);
            if (rc == DD_OK && in_list(req, tx, &out[got], region, 0))
                got++;
        }
    } else if (p->prefix_count > 1) {
        /* a multi-prefix scope (a functional zone's townships): the
         * database filters by every prefix and the region, so a page is
         * limit + 1 rows read in id order, the extra one saying there is
         * more */
        const char *pre[AUTHZ_MAX_PREFIXES];
        for (size_t i = 0; i < p->prefix_count; i++)
            pre[i] = p->prefixes[i];
        if (api_begin(req, STORE_READ, &tx))
            return;
        rc = store_household_list_in(tx, pre, p->prefix_count,
                                     region ? region : "", after, out,
                                     limit + 1, &n);
        more = rc == DD_OK && n > limit;
        got = more ? limit : n;
    } else {
        /* one prefix narrows the scan (the region, else the scope); a
         * department's officer's from the department's referrals. Read
         * limit + 1 rows at a time, the extra one saying there is more:
         * a page costs its own size, not the village's (a read of 200
         * rows for a page of 20 made a big village's page twice a small
         * one's) */
        const char *scope = p->prefix_count == 1 ? p->prefixes[0] : "";
        const char *prefix = region ? region : scope;
        size_t rl = region ? strlen(region) : 0, sl = strlen(scope);
        /* the narrower of the region and the scope, the one inside the
         * other; none when they are apart */
        int apart = region && strncmp(region, scope, rl < sl ? rl : sl) != 0;
        if (region && sl > rl)
            prefix = scope;
        int dept = p->role == ROLE_DEPT_OFFICER;
        size_t batch = limit + 1;
        if (api_begin(req, STORE_READ, &tx))
            return;
        while (!apart) {
            rc = dept ? store_household_list_dept(tx, p->department, prefix,
                                                  after, page, batch, &n)
                      : store_household_list(tx, prefix, after, page, batch,
                                             &n);
            if (rc != DD_OK)
                break;
            for (size_t i = 0; i < n; i++) {
                after = page[i].id;
                if (!in_list(req, tx, &page[i], region, dept))
                    continue;
                if (got == limit) {
                    more = 1;
                    break;
                }
                out[got++] = page[i];
            }
            if (more || n < batch)
                break;
        }
    }
    if (api_check(req, rc, NULL))
        return;
    struct jw w;
    jw_init(&w, REPLY_CAP);
    jw_obj(&w, NULL);
    jw_arr(&w, "items");
    for (size_t i = 0; i < got; i++) {
        put_summary(&w, &out[i]);
        jw_end(&w);
    }
    jw_end(&w);
    if (more)
        jw_int(&w, "next_cursor", out[got - 1].id);
    else
        jw_null(&w, "next_cursor");
    jw_end(&w);
    api_reply_jw(req, 200, &w);
}

/* Loads the household of a write and checks scope, status and version.
 * 0, or -1 after replying (and rolling back). */
static int
load_for_write(struct http_request *req, struct store_tx *tx, int64_t id,
               int64_t want_version, struct registry_household *rh)
{
    enum dd_status rc = registry_load(tx, req->arena, id, rh);
    if (api_check(req, rc, NULL))
        return -1;
    if (api_authorise(req, AUTHZ_HOUSEHOLD_WRITE, rh->h.region_code, NULL)) {
        return -1;
    }
    if (strcmp(rh->h.status, "active") != 0) {
        api_error(req, 409, "HOUSEHOLD_INACTIVE", NULL,
                  "the household is inactive and cannot be changed",
                  "该家庭已注销，不能修改");
        return -1;
    }
    if (want_version != -1 && want_version != rh->h.version) {
        version_conflict(req);
        return -1;
    }
    return 0;
}

/* Begins the write and loads household id at version want into cur: 0,
 * or -1 after replying. */
static int
begin_write(struct http_request *req, int64_t id, int64_t want,
            struct store_tx **tx, struct registry_household *cur)
{
    if (api_begin(req, STORE_WRITE, tx))
        return -1;
    return load_for_write(req, *tx, id, want, cur);
}

/* Ends a write: audit, reload, commit, reply. */
static void
finish_write(struct http_request *req, struct store_tx *tx, int64_t id,
             const char *action, int status)
{
    struct registry_household rh;
    enum dd_status rc = registry_load(tx, req->arena, id, &rh);
    if (rc == DD_OK)
        rc = audit_write(req, tx, action, &rh);
    if (api_finish(req, tx, rc, NULL))
        return;
    reply_household(req, status, &rh, encode_household(req, &rh, 0));
}

/* Bumps the version (a write to any part is a new version of the
 * household). 0, or -1 after replying. */
static int
bump(struct http_request *req, struct store_tx *tx, struct household_row *h)
{
    enum dd_status rc = store_household_update(tx, h, h->version);
    if (rc == DD_OK)
        return 0;
    if (rc == DD_ECONFLICT)
        version_conflict(req);
    else
        api_fail(req, rc, NULL);
    return -1;
}

/* Whether member pid is named in the payments, replying 409 naming
 * field if so (its rows would refuse the delete; a generic conflict
 * would not tell the clerk what to do). */
static int
member_in_payments(struct http_request *req, struct store_tx *tx, int64_t pid,
                   const char *field)
{
    struct person_payment_refs refs;
    enum dd_status rc = store_person_payment_refs(tx, pid, &refs);
    if (api_check(req, rc, NULL))
        return 1;
    if (refs.entitlements + refs.accounts + refs.others == 0)
        return 0;
    api_error(req, 409, "MEMBER_IN_PAYMENTS", field,
              "the member is named in the payments (an entitlement's "
              "payee, a payee account, a death or a recovery) and stays on "
              "record: change the entitlement's payee, or record the death",
              "该成员已关联发放记录（待遇领取人、收款账户、死亡或追缴），"
              "须保留：请变更待遇领取人，或登记死亡");
    return 1;
}

/* Whether a member the update leaves out is named in the payments. */
static int
leaving_in_payments(struct http_request *req, struct store_tx *tx,
                    const struct registry_household *cur,
                    const struct registry_input *in)
{
    for (size_t j = 0; j < cur->member_count; j++)
        if (!registry_input_keeps(in, cur->members[j].id_hash) &&
            member_in_payments(req, tx, cur->members[j].id, "members"))
            return 1;
    return 0;
}

static void
household_put(struct http_request *req)
{
    struct hhj_household in;
    struct registry_input chk;
    struct registry_household cur;
    struct dd_error err = {0};
    struct store_tx *tx;
    int64_t id = api_path_id(req, 0), want;
    size_t bad_member = 0;
    struct civil_day td;

    enum dd_status rc = json_registry_decode_household(
        req->arena, req->body.data ? req->body.data : "", req->body.len, &in,
        &err);
    if (api_check(req, rc, &err))
        return;
    if (api_expected_version(req, in.version, &want))
        return;
    if (want == -1) {
        api_error(req, 428, "VERSION_REQUIRED", "version",
                  "a full replace needs the version read (If-Match or "
                  "\"version\")",
                  "整体更新须提供读取时的版本号（If-Match 或 version）");
        return;
    }
    if (village_ok(req, in.region_code, "region_code") ||
        village_ok(req, in.hukou_region, "hukou_region"))
        return;
    civil_today(&td);
    rc = registry_check_household(API(req)->pii, req->arena, &in, td.y, td.m, td.d, &chk,
                                  &err);
    if (api_check(req, rc, &err))
        return;
    if (area_ok(req, &chk.h, td.y, td.m, td.d))
        return;
    if (begin_write(req, id, want, &tx, &cur))
        return;
    /* moving a household: the new place must be in scope too */
    if (api_authorise(req, AUTHZ_HOUSEHOLD_WRITE, chk.h.region_code, NULL)) {
        return;
    }
    chk.h.id = id;
    chk.h.version = want;
    chk.h.created_at = cur.h.created_at;
    /* the contact values not given (or given back masked) are kept */
    const char *phone =
        unless_masked(in.contact_phone, cur.h.contact_phone_masked);
    const char *bank =
        unless_masked(in.bank_account, cur.h.bank_account_masked);
    rc = contact_check(req->arena, "", phone, bank, &err);
    if (api_check(req, rc, &err))
        return;
    contact_copy(&chk.h, &cur.h);
    rc = contact_write(req, tx, phone, bank, &chk.h, 0);
    if (api_check(req, rc, NULL) || bump(req, tx, &chk.h))
        return;
    /* members are matched by ID number and keep their ids; only the new
     * ones must be free of another active household */
    rc = members_free(req, tx, chk.members, chk.member_count, "members", &cur);
    if (rc == DD_ECONFLICT) {
        return;
    }
    if (rc == DD_OK && leaving_in_payments(req, tx, &cur, &chk))
        return;
    if (rc == DD_OK) {
        rc = registry_replace_children(tx, &chk.h, &cur, &chk, &bad_member);
        if (rc == DD_ECONFLICT) {
            person_conflict(
                req, tx,
                arena_printf(req->arena, "members[%zu].id_number", bad_member),
                0);
            return;
        }
    }
    if (api_check(req, rc, NULL))
        return;
    finish_write(req, tx, id, "household.update", 200);
}

static void
member_add(struct http_request *req)
{
    struct hhj_member in;
    struct registry_member mem;
    struct registry_household cur;
    struct dd_error err = {0};
    struct store_tx *tx;
    int64_t id = api_path_id(req, 0), body_version, want;
    struct civil_day td;

    enum dd_status rc = json_registry_decode_member(
        req->arena, req->body.data ? req->body.data : "", req->body.len, &in,
        &body_version, &err);
    if (api_check(req, rc, &err))
        return;
    if (api_expected_version(req, body_version, &want))
        return;
    civil_today(&td);
    rc = registry_check_member(API(req)->pii, req->arena, &in, "", td.y, td.m, td.d,
                               &mem, &err);
    if (api_check(req, rc, &err))
        return;
    if (begin_write(req, id, want, &tx, &cur))
        return;
    if (cur.member_count >= HHJ_MAX_MEMBERS) {
        api_error(req, 409, "TOO_MANY_MEMBERS", NULL,
                  "a household has at most 16 members",
                  "一个家庭最多 16 名成员");
        return;
    }
    if (mem.p.relation == HH_REL_APPLICANT) {
        api_error(req, 409, "ONE_APPLICANT", "relation",
                  "the household already has its applicant",
                  "该家庭已有申请人");
        return;
    }
    rc = members_free(req, tx, &mem, 1, "", NULL);
    if (rc == DD_ECONFLICT) {
        return;
    }
    if (rc == DD_OK && bump(req, tx, &cur.h))
        return;
    if (rc == DD_OK)
        rc = registry_insert_member(tx, &cur.h, &mem);
    if (rc == DD_ECONFLICT) {
        person_conflict(req, tx, "id_number", 0);
        return;
    }
    if (api_check(req, rc, NULL))
        return;
    finish_write(req, tx, id, "household.member.add", 201);
}

static void
member_remove(struct http_request *req)
{
    struct registry_household cur;
    struct store_tx *tx;
    int64_t id = api_path_id(req, 0), pid = api_path_id(req, 1), want;
    if (api_expected_version(req, -1, &want) ||
        begin_write(req, id, want, &tx, &cur))
        return;
    int i = index_of(&cur, pid);
    if (i < 0) {
        api_fail(req, DD_ENOTFOUND, NULL);
        return;
    }
    if (cur.members[i].relation == HH_REL_APPLICANT) {
        api_error(req, 409, "APPLICANT_REQUIRED", NULL,
                  "the applicant cannot be removed; replace the household "
                  "(PUT) or deactivate it",
                  "申请人不能移除；请整体更新（PUT）或注销该家庭");
        return;
    }
    if (member_in_payments(req, tx, pid, "member") || bump(req, tx, &cur.h))
        return;
    enum dd_status rc = store_person_delete(tx, id, pid);
    if (api_check(req, rc, NULL))
        return;
    finish_write(req, tx, id, "household.member.remove", 200);
}

static void
household_deactivate(struct http_request *req)
{
    struct registry_household cur;
    struct store_tx *tx;
    int64_t id = api_path_id(req, 0), want;
    if (api_expected_version(req, -1, &want) ||
        begin_write(req, id, want, &tx, &cur))
        return;
    /* inactive: the members' active mark is cleared in the same update,
     * so they may join another household */
    str_copy(cur.h.status, sizeof(cur.h.status), "inactive");
    if (bump(req, tx, &cur.h))
        return;
    finish_write(req, tx, id, "household.deactivate", 200);
}

/* The work of one assessment, in the request's arena (a household and
 * its explanations are tens of KiB). */
struct assess_work {
    struct registry_household rh;
    struct household h;
    struct assess_params p;
    struct assess_result r;
    struct explain ex[ASSESS__COUNT];
};

/* POST /api/v1/households/{id}/assessment?as_of=YYYY-MM-DD: every program
 * on the stored household with the policy in force on as_of (default
 * today in Asia/Shanghai) for its village, the calculator's reply. It
 * reads personal data, so it is audited ("household.assess") in the same
 * transaction, which commits only once the reply is encoded. */
static void
household_assess(struct http_request *req)
{
    struct api *a = API(req);
    struct dd_error err = {0};
    struct store_tx *tx;
    struct civil_day td;
    int y, m, d;

    const char *as_of;
    if (api_assess_date(req, &td, &as_of, &y, &m, &d))
        return;
    struct assess_work *w = api_alloc(req, sizeof(*w));
    if (!w)
        return;
    if (api_begin(req, STORE_WRITE, &tx))
        return;
    enum dd_status rc = registry_load(tx, req->arena, api_path_id(req, 0), &w->rh);
    if (api_check(req, rc, NULL))
        return;
    if (api_authorise(req, AUTHZ_HOUSEHOLD_READ, w->rh.h.region_code, NULL) ||
        api_household_dept_check(req, tx, w->rh.h.id)) {
        return;
    }
    rc = registry_to_household(&w->rh, as_of, &w->h, NULL);
    if (rc == DD_EREFUSED) {
        registry_applicant_died_error(&w->rh, as_of, req->arena, &err);
        api_error(req, 409, err.code, err.field, err.message, err.message_zh);
        return;
    }
    if (rc == DD_OK) {
        pthread_rwlock_rdlock(&a->policy_lock);
        rc = assess_params_resolve(a->policy, w->rh.h.region_code, y, m, d,
                                   &w->p, &err);
        /* urban or rural: the household's or its hukou district's (§7.1) */
        enum area_setting s;
        if (rc == DD_OK)
            rc = area_setting_parse(w->rh.h.urban_or_rural, &s) == 0
                     ? assess_area_resolve(a->policy, w->rh.h.hukou_region, y,
                                           m, d, s, &w->p, &w->h, &err)
                     : DD_EINVAL;
        pthread_rwlock_unlock(&a->policy_lock);
        if (rc == DD_ENOTFOUND) {
            /* a date before the policy table covers, or a key not set */
            api_error(req, 422, err.code, err.field, err.message,
                      err.message_zh);
            return;
        }
    }
    struct explain *ex[ASSESS__COUNT];
    for (int i = 0; i < ASSESS__COUNT; i++)
        ex[i] = &w->ex[i];
    if (rc == DD_OK)
        rc = assess_household(&w->h, &w->p, y, m, d, &w->r, ex);
    if (rc == DD_EINVAL) {
        api_error(req, 409, "HOUSEHOLD_NOT_ASSESSABLE", NULL,
                  "the stored household is inconsistent on this date "
                  "(members, relations, dates or amounts)",
                  "该家庭记录在此日期前后不一致（成员、关系、日期或金额）");
        return;
    }
    const char *body =
        rc == DD_OK ? json_encode_assessment(req->arena, as_of,
                                             w->rh.h.region_code, &w->r, ex)
                    : NULL;
    if (rc == DD_OK && !body)
        rc = DD_ENOMEM; /* nothing is audited as read that was not sent */
    if (rc == DD_OK)
        rc = api_audit(
            req, tx, "household.assess", object_of(req, w->rh.h.id),
            w->rh.h.region_code,
            json_object_of_strings(
                req->arena,
                (const char *[]){
                    "as_of", as_of, "version",
                    arena_printf(req->arena, "%lld",
                                 (long long)w->rh.h.version),
                    "dibao", assess_decision_name(w->r.decision[ASSESS_DIBAO]),
                    "tekun", assess_decision_name(w->r.decision[ASSESS_TEKUN])},
                4));
    if (api_finish(req, tx, rc, NULL))
        return;
    api_reply(req, 200, body);
}

/* ---- routes ---- */

static const struct param_spec member_params[] = {
    {"id", PARAM_DIGITS, 1, 18, 0, 0},
    {"member_id", PARAM_DIGITS, 1, 18, 0, 0},
};
static const struct param_spec list_query[] = {
    {"cursor", PARAM_INT, 0, 19, 0, INT64_MAX},
    {"limit", PARAM_INT, 0, 4, 1, PAGE_MAX},
    {"region", PARAM_REGION, 0, 12, 0, 0},
    {"id_number", PARAM_STRING, 0, 18, 0, 0},
    {NULL, 0, 0, 0, 0, 0},
};
static const struct param_spec get_query[] = {
    {"unmask", PARAM_STRING, 0, 5, 0, 0},
    {NULL, 0, 0, 0, 0, 0},
};
static const struct param_spec assess_query[] = {
    {"as_of", PARAM_DATE, 0, 10, 0, 0},
    {NULL, 0, 0, 0, 0, 0},
};

/* clang-format off: one route per line */
static const struct route routes[] = {
    {"GET", "/api/v1/households", NULL, list_query, AUTHZ_HOUSEHOLD_READ, 0, household_list, "households in scope, by cursor; filter by region prefix or ID number"},
    {"POST", "/api/v1/households", NULL, api_no_query, AUTHZ_HOUSEHOLD_WRITE, ROUTE_BODY, household_create, "register a household with its members, incomes, assets, obligors"},
    {"GET", "/api/v1/households/{id}", api_id_param, get_query, AUTHZ_HOUSEHOLD_READ, 0, household_get, "one household; ?unmask=true shows ID numbers (audited)"},
    {"PUT", "/api/v1/households/{id}", api_id_param, api_no_query, AUTHZ_HOUSEHOLD_WRITE, ROUTE_BODY, household_put, "replace a household whole (If-Match or \"version\")"},
    {"DELETE", "/api/v1/households/{id}", api_id_param, api_no_query, AUTHZ_HOUSEHOLD_WRITE, 0, household_deactivate, "deactivate a household, freeing its members"},
    {"POST", "/api/v1/households/{id}/members", api_id_param, api_no_query, AUTHZ_HOUSEHOLD_WRITE, ROUTE_BODY, member_add, "add a member"},
    {"DELETE", "/api/v1/households/{id}/members/{member_id}", member_params, api_no_query, AUTHZ_HOUSEHOLD_WRITE, 0, member_remove, "remove a member"},
    {"POST", "/api/v1/households/{id}/assessment", api_id_param, assess_query, AUTHZ_HOUSEHOLD_READ, 0, household_assess, "assess a stored household for every program on as_of (audited)"},
};
/* clang-format on */

const struct route_table api_household_routes = {
    "households", routes, sizeof(routes) / sizeof(routes[0])};
