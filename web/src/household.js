// SPDX-License-Identifier: MIT
// The household file (households.get) as the calculator describes a
// household (src/json/json_assess.c: no identity; incomes by kind in fen,
// the excluded ones without their "ex_" prefix; sex and disability by
// name): the facts a 复核 of 低保 or 特困 records, as the file has them
// today. Members no longer in the household are left out.
const SEX = { M: 'male', F: 'female' }
const DISABILITY = ['none', 'visual', 'hearing', 'speech', 'physical', 'intellectual', 'mental', 'multiple']

function member(m) {
  const incomes = {}
  for (const i of m.incomes || []) {
    const kind = i.kind.replace(/^ex_/, '')
    incomes[kind] = (incomes[kind] || 0) + i.monthly_fen
  }
  return {
    relation: m.relation,
    birth_date: m.birth_date,
    sex: SEX[m.sex] || 'unknown',
    disability_category: DISABILITY[m.disability_category] || 'none',
    disability_grade: m.disability_grade,
    major_illness: m.major_illness,
    work_capacity: m.work_capacity,
    schooling: m.schooling,
    employed: m.employed,
    selfcare_unable: m.selfcare_unable || [],
    incomes,
  }
}

// The obligor's flags the calculator reads, as the file has them.
const OBLIGOR_FLAGS = [
  'is_tekun',
  'is_dibao_recipient',
  'lacks_civil_capacity',
  'declared_missing',
  'in_prison',
  'assets_within_low_income_rule',
  'other_provincial_unable',
]

export function calculatorFacts(h) {
  // the dead stay on the file (the payments name them) but are no longer
  // of the household the means test counts (registry_to_household)
  const members = h.members.filter((m) => m.active !== false && !m.died_on)
  // a member's index among those kept; -1 for none or one left out
  const index = (i) => (i === null || i === undefined ? -1 : members.indexOf(h.members[i]))
  const assets = []
  for (const a of h.assets || []) {
    // as the server's engine input has them (registry_to_household): one
    // entry per vehicle, dwelling, shop or company, money one entry
    // whatever its count; what a member left out owned is the household's
    const copies = a.kind === 'deposit' || a.kind === 'security' ? 1 : a.count
    for (let c = 0; c < copies; c++) {
      const o = { kind: a.kind, value_fen: a.value_fen, floor_area_dm2: a.area_dm2 || 0, exempt: a.exempt }
      if (index(a.owner_member) >= 0) o.owner_member = index(a.owner_member)
      assets.push(o)
    }
  }
  // the support obligors of the members kept (a dead member's: nobody's)
  const obligors = (h.obligors || [])
    .filter((o) => index(o.of_member) >= 0)
    .map((o) => {
      const f = {
        of_member: index(o.of_member),
        relation: o.relation,
        disability_category: DISABILITY[o.disability_category] || 'none',
        disability_grade: o.disability_grade,
        income_monthly_fen: o.income_monthly_fen,
      }
      // a birth date the file lacks: the server's engine reads no year,
      // an age past every limit; the calculator takes that as its oldest
      if (o.birth_date) f.birth_date = o.birth_date
      else f.age = 150
      for (const k of OBLIGOR_FLAGS) f[k] = !!o[k]
      return f
    })
  return {
    region_code: h.region_code,
    urban_or_rural: h.urban_or_rural,
    members: members.map(member),
    assets,
    obligors,
  }
}
