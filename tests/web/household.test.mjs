// SPDX-License-Identifier: MIT
// The household file as the calculator's facts (web/src/household.js),
// what a 低保 or 特困 review records: members who died are left out, as
// the server's own engine input leaves them (registry_to_household).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { calculatorFacts } from '../../web/src/household.js'

const person = (over) => ({
  relation: 'applicant',
  birth_date: '1980-03-03',
  sex: 'M',
  disability_category: 0,
  disability_grade: 0,
  major_illness: false,
  work_capacity: 'full',
  schooling: 'none',
  employed: false,
  selfcare_unable: [],
  incomes: [],
  active: true,
  died_on: null,
  ...over,
})

test('a member who died is not counted, and what they owned is joint', () => {
  const h = {
    region_code: '500101001001',
    urban_or_rural: 'urban',
    members: [
      person({ incomes: [{ kind: 'wages', monthly_fen: 120000 }] }),
      person({
        relation: 'spouse',
        sex: 'F',
        died_on: '2026-10-03',
        incomes: [{ kind: 'pension', monthly_fen: 90000 }],
      }),
      person({ relation: 'child', birth_date: '2012-05-06', incomes: [{ kind: 'ex_scholarship', monthly_fen: 5000 }] }),
    ],
    assets: [
      { kind: 'vehicle', value_fen: 3000000, count: 1, area_dm2: 0, exempt: false, owner_member: 1 },
      { kind: 'deposit', value_fen: 500000, count: 1, area_dm2: 0, exempt: false, owner_member: 2 },
    ],
  }
  const f = calculatorFacts(h)
  assert.deepEqual(
    f.members.map((m) => m.relation),
    ['applicant', 'child'],
  )
  assert.deepEqual(f.members[0].incomes, { wages: 120000 })
  assert.deepEqual(f.members[1].incomes, { scholarship: 5000 })
  // the dead wife's car is the household's; the child's deposit follows
  // the child to index 1
  assert.equal(f.assets[0].owner_member, undefined)
  assert.equal(f.assets[1].owner_member, 1)
})

test('a household no longer active counts nobody', () => {
  const f = calculatorFacts({ region_code: '500101001001', members: [person({ active: false })], assets: [] })
  assert.equal(f.members.length, 0)
})

test('assets one entry per vehicle or dwelling, money one whatever its count; obligors of the members kept', () => {
  const h = {
    region_code: '500101001001',
    urban_or_rural: 'rural',
    members: [
      person(),
      person({ relation: 'spouse', sex: 'F', died_on: '2026-10-03' }),
      person({ relation: 'child', birth_date: '2012-05-06' }),
    ],
    assets: [
      { kind: 'vehicle', value_fen: 2000000, count: 2, area_dm2: 0, exempt: false, owner_member: 0 },
      { kind: 'dwelling', value_fen: 0, count: 1, area_dm2: 12000, exempt: false, owner_member: null },
      { kind: 'deposit', value_fen: 900000, count: 3, area_dm2: 0, exempt: false, owner_member: null },
      { kind: 'shop', value_fen: 100, count: 0, area_dm2: 0, exempt: false, owner_member: null },
    ],
    obligors: [
      {
        of_member: 1,
        relation: 'parent',
        birth_date: '1940-01-01',
        disability_category: 0,
        disability_grade: 0,
        income_monthly_fen: 0,
      },
      {
        of_member: 2,
        relation: 'grandparent',
        birth_date: null,
        disability_category: 4,
        disability_grade: 2,
        is_dibao_recipient: true,
        in_prison: false,
        income_monthly_fen: 50000,
      },
    ],
  }
  const f = calculatorFacts(h)
  // two vehicles, one dwelling of 120 m², one deposit, no shop
  assert.deepEqual(
    f.assets.map((a) => [a.kind, a.owner_member, a.floor_area_dm2]),
    [
      ['vehicle', 0, 0],
      ['vehicle', 0, 0],
      ['dwelling', undefined, 12000],
      ['deposit', undefined, 0],
    ],
  )
  // the dead wife's parent is nobody's obligor; the child's grandparent
  // follows the child to index 1, with no birth date the oldest age
  assert.equal(f.obligors.length, 1)
  assert.equal(f.obligors[0].of_member, 1)
  assert.equal(f.obligors[0].disability_category, 'physical')
  assert.equal(f.obligors[0].is_dibao_recipient, true)
  assert.equal(f.obligors[0].in_prison, false)
  assert.equal(f.obligors[0].age, 150)
  assert.equal(f.obligors[0].birth_date, undefined)
})
