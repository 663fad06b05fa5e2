/* SPDX-License-Identifier: MIT */
/* The review schedule: one case per programme, each citing its clause. */
#include "domain/review.h"

#include "domain/engine.h"
#include "domain/month.h"

static const char *const ground_names[REVIEW_GROUND__COUNT] = {
    "period", "card_expiry", "age", "school_end", "death", "none"};

const char *
review_ground_name(enum review_ground g)
{
    return engine_enum_ok((int)g, REVIEW_GROUND__COUNT) ? ground_names[g] : "";
}

static int
params_ok(const struct review_params *p)
{
    return engine_range_ok(p->dibao_stable_months, 1, 120) &&
           engine_range_ok(p->dibao_irregular_months, 1, 120) &&
           engine_range_ok(p->tekun_months, 1, 120) &&
           engine_age_ok(p->tekun_minor_max_age) &&
           engine_age_ok(p->orphan_max_age) &&
           engine_flag_ok(p->orphan_student_extension) &&
           engine_range_ok(p->rigid_validity_months, 1, 120) &&
           engine_range_ok(p->death_recheck_months, 1, 120);
}

static enum dd_status
invalid(struct dd_error *err, const char *field)
{
    return dd_invalid(err, "INVALID_REVIEW", field,
                      "a review needs this date or parameter",
                      "复核缺少该日期或参数");
}

static struct review_due
due(int32_t day, enum review_ground g)
{
    return (struct review_due){day, g};
}

enum dd_status
review_next(const struct review_params *p, const struct review_subject *s,
            struct review_due *out, struct dd_error *err)
{
    if (p == NULL || s == NULL || out == NULL || !params_ok(p))
        return invalid(err, "params");
    if (s->last_day == REVIEW_NO_DATE &&
        (s->programme == REVIEW_DIBAO || s->programme == REVIEW_TEKUN ||
         s->programme == REVIEW_RIGID))
        return invalid(err, "last_day");
    if (s->birth == REVIEW_NO_DATE &&
        (s->programme == REVIEW_ORPHAN || s->programme == REVIEW_DEFACTO))
        return invalid(err, "birth");
    switch (s->programme) {
    case REVIEW_DIBAO: /* 57号 Art. 31 */
        *out = due(month_add_to_day(s->last_day, s->irregular_income &&
                                                         s->member_able_to_work
                                                     ? p->dibao_irregular_months
                                                     : p->dibao_stable_months),
                   REVIEW_GROUND_PERIOD);
        return DD_OK;
    case REVIEW_TEKUN: { /* yearly; a minor at 18 (Arts. 24–26) */
        *out = due(month_add_to_day(s->last_day, p->tekun_months),
                   REVIEW_GROUND_PERIOD);
        if (s->birth != REVIEW_NO_DATE) {
            int32_t adult = month_birthday(s->birth, p->tekun_minor_max_age);
            if (adult > s->last_day && adult < out->day)
                *out = due(adult, REVIEW_GROUND_AGE);
        }
        return DD_OK;
    }
    case REVIEW_DISABILITY: /* the 残疾人证 is required valid (§4) */
        *out = s->card_expiry == REVIEW_NO_DATE
                   ? due(REVIEW_NO_DATE, REVIEW_GROUND_NONE)
                   : due(s->card_expiry, REVIEW_GROUND_CARD_EXPIRY);
        return DD_OK;
    case REVIEW_ORPHAN:  /* under 18, or 18+ in 中学/中职 (§5) */
    case REVIEW_DEFACTO: /* under 18 (§5) */
        *out =
            due(month_birthday(s->birth, p->orphan_max_age), REVIEW_GROUND_AGE);
        if (s->programme == REVIEW_ORPHAN && p->orphan_student_extension &&
            s->school_end != REVIEW_NO_DATE && s->school_end > out->day)
            *out = due(s->school_end, REVIEW_GROUND_SCHOOL_END);
        return DD_OK;
    case REVIEW_RIGID: /* a recognition lasts at most the validity */
        *out = due(month_add_to_day(s->last_day, p->rigid_validity_months),
                   REVIEW_GROUND_PERIOD);
        return DD_OK;
    default: return invalid(err, "programme");
    }
}

struct review_due
review_after_death(const struct review_params *p, int32_t died)
{
    return due(month_add_to_day(died, p->death_recheck_months),
               REVIEW_GROUND_DEATH);
}
