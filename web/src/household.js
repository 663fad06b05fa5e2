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

export function calculatorFacts(h) {
  // the dead stay on the file (the payments name them) but are no longer
  // of the household the means test counts (registry_to_household)
  const members = h.members.filter((m) => m.active !== false && !m.died_on)
  // an asset's owner by its index among the members kept
  const index = (i) => (i === null || i === undefined ? -1 : members.indexOf(h.members[i]))
  return {
    region_code: h.region_code,
    urban_or_rural: h.urban_or_rural,
    members: members.map(member),
    assets: (h.assets || []).map((a) => {
      const o = { kind: a.kind, value_fen: a.value_fen, exempt: a.exempt }
      if (index(a.owner_member) >= 0) o.owner_member = index(a.owner_member)
      return o
    }),
  }
}
