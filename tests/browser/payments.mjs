// SPDX-License-Identifier: MIT
// The caseload after approval (issue 13): the county's caseload list and an
// entitlement's decisions. Set-up goes through the API as staff would, so
// each scenario stands alone.
import assert from 'node:assert/strict'
import { shot, field, staffPage, apiAs, apiAct, newHousehold, freshId, endPublicity } from './lib.mjs'

// a one-person 低保 household in the clerk's township taken through the
// whole approval by the API (as cases.mjs's batch-approve does): its
// entitlement
export async function approvedDibao(ctx, name) {
  const clerkApi = await apiAs(ctx, 'clerk.500103001')
  const reviewerApi = await apiAs(ctx, 'reviewer.500103001')
  const countyApi = await apiAs(ctx, 'county.500103')
  const hh = await newHousehold(clerkApi, '500103001003', [{ name, id: freshId('500103', '1950', 'M') }])
  const app = await clerkApi.post('/api/v1/applications', {
    household_id: hh.id, channel: 'window', items: ['dibao'],
    materials: ['id_card', 'hukou', 'income_proof', 'asset_declaration', 'check_consent'],
  })
  const id = app.items.find((i) => i.item_code === 'dibao').id
  await apiAct(clerkApi, id, 'submit', { investigators: ['周明', '王芳'] })
  await apiAct(countyApi, id, 'submit')
  await apiAct(reviewerApi, id, 'approve')
  endPublicity(ctx, id)
  await apiAct(clerkApi, id, 'close')
  await apiAct(countyApi, id, 'submit')
  await apiAct(countyApi, id, 'approve')
  const { entitlements } = await countyApi.get('/api/v1/entitlements?programme=dibao&limit=500')
  const ent = entitlements.find((e) => e.household_id === hh.id)
  assert.ok(ent, `the approved 低保 of household ${hh.id} is in the caseload`)
  return ent
}

// a UnionPay card number (62…, 19 digits) passing the Luhn check, from n
export function cardNumber(n) {
  const body = `622202${String(n).padStart(12, '0')}`
  const sum = [...body].reverse().reduce((a, c, i) => {
    const d = Number(c) * (i % 2 === 0 ? 2 : 1)
    return a + (d > 9 ? d - 9 : d)
  }, 0)
  return body + ((10 - (sum % 10)) % 10)
}

// three payments officers of the county (a batch is built, checked and
// approved by three different people), made by the system administrator
export async function paymentsOfficers(ctx) {
  const admin = await apiAs(ctx, 'admin')
  const names = ['pay1.500103', 'pay2.500103', 'pay3.500103']
  for (const [i, username] of names.entries()) {
    await admin.post('/api/v1/users', {
      username, display_name: `渝中区资金发放 ${i + 1}`, role: 'payments_officer', scope: '500103', password: ctx.password,
    })
  }
  return names
}

// every active 低保 of the county paid into a confirmed account: the
// clerk enters the payee's card, the county officer confirms it (four
// eyes); the entitlements
export async function dibaoWithAccounts(ctx) {
  const clerkApi = await apiAs(ctx, 'clerk.500103001')
  const countyApi = await apiAs(ctx, 'county.500103')
  const { entitlements } = await countyApi.get('/api/v1/entitlements?programme=dibao&state=active&limit=500')
  for (const e of entitlements) {
    const { accounts } = await countyApi.get(`/api/v1/persons/${e.payee_person_id}/payee-accounts`)
    if (accounts.some((a) => a.state === 'active')) continue
    const h = await countyApi.get(`/api/v1/households/${e.household_id}`)
    const payee = h.members.find((m) => m.id === e.payee_person_id)
    const acc = await clerkApi.post(`/api/v1/persons/${e.payee_person_id}/payee-accounts`, {
      kind: 'bank_card', bank_code: 'CQRCB', account: cardNumber(e.payee_person_id), account_name: payee.name,
    })
    await countyApi.post(`/api/v1/payee-accounts/${acc.account.id}/confirm`, { version: acc.account.version })
  }
  return entitlements
}

// an Element Plus dialog's save, then wait until it has closed or shows an
// error; fails with the error's text
async function saveDialog(page, test) {
  await page.locator(`[data-test=${test}]`).click()
  const dialog = page.locator('.el-dialog:visible')
  await page.waitForFunction(() => {
    const d = [...document.querySelectorAll('.el-dialog')].find((x) => x.offsetParent !== null)
    return !d || d.querySelector('.field-error, .el-form-item__error')
  })
  if (await dialog.count()) assert.fail(`${test}: ${await dialog.locator('.field-error, .el-form-item__error').first().textContent()}`)
}

export const paymentScenarios = [
  {
    // the county officer finds an active entitlement in the caseload,
    // suspends it (the notice gives the legal ground and the appeal
    // route) and resumes it: two decisions in its history
    name: 'caseload',
    async run(ctx) {
      const ent = await approvedDibao(ctx, '钱德华')
      const page = await staffPage(ctx, 'county.500103')
      await page.locator('[data-test=menu-caseload]').click()
      await page.locator('[data-test=ent-table] tbody tr').first().waitFor()
      // the 低保 ones, active
      await page.locator('[data-test=ent-programme]').click()
      await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: '最低生活保障' }).click()
      await page.locator('[data-test=ent-state]').click()
      await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: '发放中' }).click()
      await page.locator('[data-test=ent-search]').click()
      const row = page.locator('[data-test=ent-table] tbody tr', { has: page.locator(`[data-test=ent-amount-${ent.id}]`) })
      await row.waitFor()
      await shot(ctx, page, '70-caseload')
      const items = await page.locator('[data-test=ent-table] tbody tr td:nth-child(3)').allTextContents()
      const states = await page.locator('[data-test=ent-table] tbody tr td:nth-child(5)').allTextContents()
      assert.ok(items.every((s) => s.trim() === '最低生活保障'), `only 低保 rows: ${items}`)
      assert.ok(states.every((s) => s.trim() === '发放中'), `only active rows: ${states}`)
      await row.click()
      await page.locator('[data-test=ent-file]').waitFor()
      assert.equal((await page.locator('[data-test=ent-state]').textContent()).trim(), '发放中')
      await page.locator('[data-test=ent-ev-suspend]').click()
      await field(page, 'ent-reason').fill('外出务工失联，暂停核实')
      await saveDialog(page, 'ent-decide')
      await page.locator('[data-test=ent-notice]').waitFor()
      assert.equal((await page.locator('[data-test=ent-state]').textContent()).trim(), '暂停发放')
      assert.match(await page.locator('[data-test=ent-notice]').textContent(), /法律依据.+救济途径/s)
      await page.locator('[data-test=ent-ev-resume]').click()
      await saveDialog(page, 'ent-decide')
      await page.waitForFunction(() => document.querySelector('[data-test=ent-state]').textContent.trim() === '发放中')
      const events = await page.locator('[data-test=ent-history] tbody tr td:nth-child(2)').allTextContents()
      assert.deepEqual(events.map((s) => s.trim()), ['暂停', '恢复'])
      await shot(ctx, page, '71-entitlement')
    },
  },
  {
    // a township reviews a 低保 household whose wage rose: the clerk
    // records today's facts from the household file, the engine lowers the
    // amount and the proposal is a decrease, which the county decides.
    // Worked from data/policy/params.csv: urban standard 770 元
    // (dibao.standard.urban) − wage 400 元 = 370 元, plus the elderly
    // increment of 60 元 for a member over 60 = 430 元 a month, down from
    // the 830 元 approved on no income (770 + 60).
    name: 'review-lowers-amount',
    async run(ctx) {
      const ent = await approvedDibao(ctx, '孙建华')
      assert.equal(ent.amount_fen, 83000, '770 + 60 元 approved on no income')
      const clerkApi = await apiAs(ctx, 'clerk.500103001')
      const { reviews } = await clerkApi.get('/api/v1/reviews?item=dibao&state=open&limit=500')
      const rv = reviews.find((r) => r.entitlement_id === ent.id)
      assert.ok(rv, 'approval opened the periodic review')
      // the wage found at the visit, in the household file
      const h = await clerkApi.get(`/api/v1/households/${ent.household_id}?unmask=true`)
      await clerkApi.put(`/api/v1/households/${h.id}`, {
        region_code: h.region_code, hukou_region: h.hukou_region, urban_or_rural: h.urban_or_rural,
        address: h.address || '测试路 1 号', version: h.version,
        members: h.members.map((m) => ({
          name: m.name, id_number: m.id_number, relation: m.relation, work_capacity: 'full', employed: true,
          incomes: [{ kind: 'wages', monthly_fen: 40000 }],
        })),
      })
      const clerk = await staffPage(ctx, 'clerk.500103001')
      await clerk.locator('[data-test=menu-reviews]').click()
      await clerk.locator(`[data-test=rv-state-${rv.id}]`).click()
      await clerk.locator('[data-test=rv-run]').click()
      await clerk.locator('[data-test=rv-computed]').waitFor()
      assert.equal(await clerk.locator('[data-test=rv-computed]').textContent(), '430.00')
      assert.match(await clerk.locator('[data-test=rv-proposal]').textContent(), /减发.*430\.00/)
      // the township's reviewer confirms the engine's proposal
      const reviewer = await staffPage(ctx, 'reviewer.500103001')
      await reviewer.goto(`${ctx.base}/reviews/${rv.id}`)
      await field(reviewer, 'rv-reason').fill('入户核查：本人务工月收入 400 元')
      await reviewer.locator('[data-test=rv-propose]').click()
      await reviewer.waitForFunction(() => document.querySelector('[data-test=rv-state]').textContent.trim() === '待审批')
      await shot(ctx, reviewer, '75-review-proposed')
      // the township cannot decide a 低保 (the county's level)
      await reviewer.locator('[data-test=rv-decide]').click()
      await reviewer.locator('[data-test=rv-decide-error]').waitFor()
      const county = await staffPage(ctx, 'county.500103')
      await county.goto(`${ctx.base}/reviews/${rv.id}`)
      await county.locator('[data-test=rv-decide]').click()
      await county.locator('[data-test=rv-decided]').waitFor()
      await county.goto(`${ctx.base}/entitlements/${ent.id}`)
      await county.locator('[data-test=ent-amount]').waitFor()
      assert.equal(await county.locator('[data-test=ent-amount]').textContent(), '430.00')
      const events = await county.locator('[data-test=ent-history] tbody tr td:nth-child(2)').allTextContents()
      assert.deepEqual(events.map((x) => x.trim()), ['减发'])
      await shot(ctx, county, '76-entitlement-decreased')
    },
  },
]
