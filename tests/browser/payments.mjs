// SPDX-License-Identifier: MIT
// The caseload after approval (issue 13): the county's caseload list and an
// entitlement's decisions. Set-up goes through the API as staff would, so
// each scenario stands alone.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { shot, field, staffPage, apiAs, apiAct, newHousehold, freshId, endPublicity } from './lib.mjs'

// every row of a paged list route (…&after=, its next_after), key the
// reply's array
export async function allPages(api, path, key) {
  const rows = []
  for (let after = 0; after !== null; ) {
    const r = await api.get(`${path}&limit=500${after ? `&after=${after}` : ''}`)
    rows.push(...r[key])
    after = r.next_after
  }
  return rows
}

// no list on the page waiting for its request (Element's v-loading mask
// gone)
export async function listSettled(page) {
  await page.waitForFunction(() => !document.querySelector('.el-loading-mask'))
}

// a list page's rows loaded with its "load more" button (moreTest) until
// row is there. Each look waits for the list's request to settle (Element's
// v-loading mask, put in synchronously by a search or "load more" and
// taken away after the rows are shown): a look at the rows a search is
// replacing found no row and waited for a button the one-page answer has
// not got.
export async function loadUntil(page, row, moreTest) {
  for (let i = 0; i < 100; i++) {
    await listSettled(page)
    if (await row.count()) return
    await page.locator(`[data-test=${moreTest}]`).click()
  }
  await row.waitFor()
}

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
  const entitlements = await allPages(countyApi, '/api/v1/entitlements?programme=dibao&region=500103001003', 'entitlements')
  const ent = entitlements.find((e) => e.household_id === hh.id)
  assert.ok(ent, `the approved 低保 of household ${hh.id} is in the caseload`)
  return ent
}

// a household file saved again with change(body) applied to what it
// holds now (the members' full ID numbers sent back, as the intake page
// does)
export async function putHousehold(api, id, change) {
  const h = await api.get(`/api/v1/households/${id}?unmask=true`)
  const body = {
    region_code: h.region_code, hukou_region: h.hukou_region, urban_or_rural: h.urban_or_rural,
    address: h.address || '测试路 1 号', version: h.version,
    members: h.members.map((m) => ({
      name: m.name, id_number: m.id_number, relation: m.relation, work_capacity: m.work_capacity,
      employed: m.employed, incomes: m.incomes,
    })),
  }
  change(body)
  return api.put(`/api/v1/households/${id}`, body)
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
// eyes); a payee the county cannot see is the demo's own, paid already
// (its card confirmed at build time); the entitlements
export async function dibaoWithAccounts(ctx) {
  const clerkApi = await apiAs(ctx, 'clerk.500103001')
  const countyApi = await apiAs(ctx, 'county.500103')
  const entitlements = await allPages(countyApi, '/api/v1/entitlements?programme=dibao&state=active', 'entitlements')
  for (const e of entitlements) {
    const accounts = await countyApi
      .get(`/api/v1/persons/${e.payee_person_id}/payee-accounts`)
      .then((r) => r.accounts, () => null)
    if (!accounts || accounts.some((a) => a.state === 'active')) continue
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
      await field(page, 'ent-region').fill('500103001003')
      await page.locator('[data-test=ent-search]').click()
      await page.locator('[data-test=ent-table] tbody tr').first().waitFor()
      // the newest is on the last page: no cap, "load more" until it
      const row = page.locator('[data-test=ent-table] tbody tr', { has: page.locator(`[data-test=ent-amount-${ent.id}]`) })
      await loadUntil(page, row, 'ent-more')
      await shot(ctx, page, '70-caseload')
      const items = await page.locator('[data-test=ent-table] tbody tr td:nth-child(4)').allTextContents()
      const states = await page.locator('[data-test=ent-table] tbody tr td:nth-child(6)').allTextContents()
      assert.ok(items.every((s) => s.trim() === '最低生活保障'), `only 低保 rows: ${items}`)
      assert.ok(states.every((s) => s.trim() === '发放中'), `only active rows: ${states}`)
      // the head's name masked (钱德华 → 钱*华), never in full; the review
      // the approval opened
      assert.equal((await page.locator(`[data-test=ent-name-${ent.id}]`).textContent()).trim(), '钱*华')
      assert.ok(!(await page.locator('[data-test=ent-table]').textContent()).includes('钱德华'))
      const due = (await page.locator(`[data-test=ent-review-${ent.id}]`).textContent()).trim()
      assert.match(due, /^\d{4}-\d{2}-\d{2}$/)
      // the review-due filter: due by today leaves it out (its review is
      // a period away)
      await page.locator('[data-test=ent-due]').click()
      await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: '今日前到期' }).click()
      await page.locator('[data-test=ent-search]').click()
      await listSettled(page)
      assert.equal(await page.locator(`[data-test=ent-name-${ent.id}]`).count(), 0)
      await page.locator('[data-test=ent-due]').click()
      await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: '全部' }).click()
      await page.locator('[data-test=ent-search]').click()
      await loadUntil(page, row, 'ent-more')
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
      // the payee's card: entered by the county officer, who may not
      // confirm it too (four eyes); the township clerk confirms it
      await page.locator('[data-test=ent-account-new]').click()
      await page.locator('[data-test=ent-bank]').click()
      await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: '重庆农村商业银行' }).click()
      const card = cardNumber(ent.payee_person_id)
      await field(page, 'ent-account-no').fill(card)
      await saveDialog(page, 'ent-account-save')
      const pending = page.locator('[data-test=ent-accounts] tbody tr').first()
      assert.match(await pending.textContent(), new RegExp(`待复核`))
      assert.ok(!(await page.locator('[data-test=ent-accounts]').textContent()).includes(card), 'the number is masked')
      await page.locator('[data-test^=ent-confirm-]').click()
      await page.locator('[data-test=ent-account-error]').waitFor()
      const clerk = await staffPage(ctx, 'clerk.500103001')
      await clerk.goto(`${ctx.base}/entitlements/${ent.id}`)
      await clerk.locator('[data-test^=ent-confirm-]').click()
      await clerk.waitForFunction(() => document.querySelector('[data-test^=ent-account-state-]').textContent === '已生效')
      assert.match(await clerk.locator('[data-test=ent-payee]').textContent(), new RegExp(`尾号 ${card.slice(-4)} · 已生效`))
      await shot(ctx, clerk, '72-payee-confirmed')
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
      const reviews = await allPages(clerkApi, '/api/v1/reviews?item=dibao&state=open&region=500103001003', 'reviews')
      const rv = reviews.find((r) => r.entitlement_id === ent.id)
      assert.ok(rv, 'approval opened the periodic review')
      // the wage found at the visit, in the household file
      await putHousehold(clerkApi, ent.household_id, (b) => {
        for (const m of b.members) Object.assign(m, { work_capacity: 'full', employed: true, incomes: [{ kind: 'wages', monthly_fen: 40000 }] })
      })
      const clerk = await staffPage(ctx, 'clerk.500103001')
      await clerk.locator('[data-test=menu-reviews]').click()
      await field(clerk, 'rv-region').fill('500103001003')
      await clerk.locator('[data-test=rv-search]').click()
      await clerk.locator('[data-test=rv-table] tbody tr').first().waitFor()
      await loadUntil(clerk, clerk.locator(`[data-test=rv-state-${rv.id}]`), 'rv-more')
      // ours is due months ahead: not marked overdue; one made overdue
      // (its day moved into the past through the database) is
      assert.ok(rv.due_day > new Date().toISOString().slice(0, 10))
      assert.equal(await clerk.locator(`[data-test=rv-overdue-${rv.id}]`).count(), 0)
      const dueDay = (day) =>
        execFileSync('sqlite3', ['-cmd', '.timeout 10000', ctx.dbPath,
          `UPDATE review SET due_day = '${day}' WHERE id = ${Number(rv.id)}; SELECT changes();`]).toString().trim()
      assert.equal(dueDay('2000-01-01'), '1')
      await clerk.locator('[data-test=rv-search]').click()
      await loadUntil(clerk, clerk.locator(`[data-test=rv-overdue-${rv.id}]`), 'rv-more')
      assert.equal(dueDay(rv.due_day), '1')
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
  {
    // the monthly cycle at the county: a payments officer builds the
    // January 低保 batch, a second checks it, neither may approve it (the
    // server's maker-checker message), a third approves; the first exports
    // the bank file (only after approval), the bank's return file fails
    // one line, and the failure is reissued in a batch of its own
    name: 'payments',
    async run(ctx) {
      // two one-person 低保 approved today (paid from next month): the
      // bank fails the first one's payment; the second one's payee dies
      const entA = await approvedDibao(ctx, '周秀英')
      const entB = await approvedDibao(ctx, '吴国平')
      const [pay1, pay2, pay3] = await paymentsOfficers(ctx)
      await dibaoWithAccounts(ctx)
      const month = entA.start_month
      // every line of a batch, through the page's session
      const linesOf = (page, id) =>
        page.evaluate(async (b) => {
          const rows = []
          for (let after = 0; after !== null; ) {
            const r = await (await fetch(`/api/v1/payment-batches/${b}/lines?limit=500${after ? `&after=${after}` : ''}`)).json()
            rows.push(...r.lines)
            after = r.next_after
          }
          return rows
        }, id)
      const yuan = (fen) => (fen / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
      const state = (page) => page.locator('[data-test=pb-state]').textContent()
      const waitState = (page, text) =>
        page.waitForFunction((t) => document.querySelector('[data-test=pb-state]')?.textContent.trim() === t, text)

      // built by the first officer: every 低保 of the county owed that
      // month, ours among them at their amounts
      const builder = await staffPage(ctx, pay1)
      await builder.locator('[data-test=menu-batches]').click()
      await builder.locator('[data-test=pb-new]').click()
      await builder.locator('[data-test=pb-build-item]').click()
      await builder.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: '最低生活保障' }).click()
      await field(builder, 'pb-build-month').fill(month)
      await saveDialog(builder, 'pb-build')
      await builder.locator('[data-test=pb-file]').waitFor()
      assert.equal((await state(builder)).trim(), '已生成')
      const batchUrl = builder.url()
      const batchId = batchUrl.split('/').pop()
      const lines = await linesOf(builder, batchId)
      const expected = lines.reduce((a, l) => a + l.amount_fen, 0)
      assert.equal(Number(await builder.locator('[data-test=pb-count]').textContent()), lines.length)
      assert.equal(await builder.locator('[data-test=pb-total]').textContent(), yuan(expected))
      const lineA = lines.find((l) => l.entitlement_id === entA.id && l.month === month)
      const lineB = lines.find((l) => l.entitlement_id === entB.id && l.month === month)
      assert.equal(lineA.amount_fen, entA.amount_fen)
      assert.equal(lineB.amount_fen, entB.amount_fen)
      // the check's figures add up to the batch's
      await builder.locator('[data-test=pb-townships]').waitFor()
      const urbanRural = await builder.locator('[data-test=pb-urban-rural] tbody tr td:nth-child(2)').allTextContents()
      assert.equal(urbanRural.reduce((a, x) => a + Number(x), 0), lines.length)
      await shot(ctx, builder, '80-batch-built')
      // the builder may not check it: the page offers no check, and the
      // server refuses one
      assert.equal(await builder.locator('[data-test=pb-check]').count(), 0)
      assert.match(await builder.locator('[data-test=pb-for-another]').textContent(), /须由他人办理/)
      const builderApi = await apiAs(ctx, pay1)
      const { batch: built } = await builderApi.get(`/api/v1/payment-batches/${batchId}`)
      await assert.rejects(
        builderApi.post(`/api/v1/payment-batches/${batchId}/check`, { version: built.version }),
        /: 403 .*MAKER_CHECKER/,
      )

      // the officers' dashboards: the batch waits for its check, the
      // checker's to take, for another officer in the builder's
      const checker = await staffPage(ctx, pay2)
      const nextStep = async (page) => {
        await page.goto(`${ctx.base}/`)
        const next = page.locator(`[data-test=pay-next-${batchId}]`)
        await next.waitFor()
        return (await next.textContent()).trim()
      }
      const checkerNext = await nextStep(checker)
      assert.match(checkerNext, /核对无误/)
      assert.doesNotMatch(checkerNext, /须由他人办理/)
      assert.match(await nextStep(builder), /核对无误\s*须由他人办理/)
      await shot(ctx, builder, '80b-dashboard-payments')
      await builder.goto(batchUrl)

      // checked by the second
      await checker.goto(batchUrl)
      await checker.locator('[data-test=pb-check]').click()
      await waitState(checker, '已核对')
      // no export before approval: the page offers none, the server refuses
      assert.equal(await checker.locator('[data-test=pb-export]').count(), 0)
      const early = await checker.evaluate(async (id) => (await fetch(`/api/v1/payment-batches/${id}/export`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ bank: 'plain-utf8' }),
      })).status, batchId)
      assert.ok(early >= 400 && early < 500, `export of a checked batch refused (${early})`)
      // neither the checker nor the builder is offered the approval
      assert.equal(await checker.locator('[data-test=pb-approve]').count(), 0)
      await shot(ctx, checker, '81-batch-maker-checker')
      await builder.reload()
      await waitState(builder, '已核对')
      assert.equal(await builder.locator('[data-test=pb-approve]').count(), 0)

      // approved by the third
      const approver = await staffPage(ctx, pay3)
      await approver.goto(batchUrl)
      await approver.locator('[data-test=pb-approve]').click()
      await waitState(approver, '已审批')

      // exported by the first, in the UTF-8 example template
      await builder.reload()
      await builder.locator('[data-test=pb-bank]').click()
      await builder.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: 'UTF-8' }).click()
      await builder.locator('[data-test=pb-export]').click()
      await waitState(builder, '已导出')
      await builder.locator('[data-test=pb-download]').waitFor()
      await shot(ctx, builder, '82-batch-exported')
      // the file as the bank gets it (the page's download link)
      const href = await builder.locator('[data-test=pb-download]').getAttribute('href')
      const file = await builder.evaluate(async (u) => (await fetch(u)).text(), href)
      // plain-utf8: a header of 6 fields, then line_id|name|id_number|account|amount
      const details = file.trim().split('\n').map((l) => l.split('|')).filter((f) => f.length === 5)
      assert.equal(details.length, lines.length, 'one detail line per line')
      assert.equal(details.reduce((a, f) => a + Number(f[4]), 0), expected)

      // the bank's return file: the first one's payment failed (account
      // closed), every other paid
      const failed = details.find((f) => Number(f[0]) === lineA.id)
      const ret = details.map((f) => (f === failed ? `${f[0]},${f[3]},${f[4]},失败,账户已销户` : `${f[0]},${f[3]},${f[4]},成功,`))
      ret.push(`${details.length},${expected}`)
      // the picker is ours, in Chinese, naming the file chosen
      assert.equal((await builder.locator('[data-test=pb-return-name]').textContent()).trim(), '未选择文件')
      await builder.locator('[data-test=pb-return-file]').setInputFiles({
        name: 'return.csv', mimeType: 'text/csv', buffer: Buffer.from(ret.join('\n') + '\n'),
      })
      assert.equal((await builder.locator('[data-test=pb-return-name]').textContent()).trim(), 'return.csv')
      await builder.locator('[data-test=pb-return]').click()
      await waitState(builder, '已回盘')
      // the outcome in words, counted
      assert.match(
        await builder.locator('[data-test=pb-done]').textContent(),
        new RegExp(`已到账 ${details.length - 1} 笔，失败 1 笔，待核实 0 笔`),
      )
      await builder.locator(`[data-test=pb-line-status-${failed[0]}]`).waitFor()
      assert.equal(await builder.locator(`[data-test=pb-line-status-${failed[0]}]`).textContent(), '失败')
      assert.equal(await builder.locator('[data-test=pb-lines] tbody tr').count(), 1, 'one failed line')
      // with the bank's reason (the lines reply's reason_text)
      assert.match(await builder.locator('[data-test=pb-lines] tbody tr').textContent(), /账户已销户/)
      await shot(ctx, builder, '83-batch-reconciled')

      // the failure reissued: a batch of one line, the same amount
      await builder.locator('[data-test=pb-reissue]').click()
      await builder.locator('.el-message-box__btns .el-button--primary').click()
      await builder.waitForURL((u) => !u.toString().endsWith(`/batches/${batchId}`))
      await builder.locator('[data-test=pb-file]').waitFor()
      assert.equal((await state(builder)).trim(), '已生成')
      assert.equal(Number(await builder.locator('[data-test=pb-count]').textContent()), 1)
      assert.equal(await builder.locator('[data-test=pb-total]').textContent(), yuan(Number(failed[4])))
      assert.match(await builder.locator('[data-test=pb-file]').textContent(), /补发/)
      await shot(ctx, builder, '84-batch-reissue')
      // the reconciled batch closed: no step left on it
      await builder.goto(batchUrl)
      await builder.locator('[data-test=pb-close]').click()
      await builder.locator('.el-message-box__btns .el-button--primary').click()
      await waitState(builder, '已关闭')
      // closed: no step left but a reissue, and its failure is reissued
      // already (the server's message)
      assert.equal(await builder.locator('[data-test=pb-actions] button').count(), 1)
      await builder.locator('[data-test=pb-reissue]').click()
      await builder.locator('.el-message-box__btns .el-button--primary').click()
      await builder.locator('[data-test=pb-error]').waitFor()
      assert.match(await builder.locator('[data-test=pb-error]').textContent(), /均已重新发放/)

      // a payee who was paid dies today: the month after is overpaid and
      // goes on the recovery ledger; part is repaid, the rest waived by
      // the county, and the recovery is settled
      const line = (await linesOf(builder, batchId)).find((l) => l.id === lineB.id)
      assert.equal(line.status, 'paid')
      const county = await staffPage(ctx, 'county.500103')
      await county.goto(`${ctx.base}/entitlements/${line.entitlement_id}`)
      await county.locator(`[data-test=ent-death-${line.payee_person_id}]`).click()
      // the dialog's day is today's
      await saveDialog(county, 'ent-death-save')
      await county.locator('[data-test=ent-death-done]').waitFor()
      const done = await county.locator('[data-test=ent-death-done]').textContent()
      assert.match(done, new RegExp(`${month}.*${yuan(line.amount_fen).replace('.', '\\.')}`), done)
      // the member stays on the file, marked dead, with no second death to record
      await county.waitForFunction(() => /已故（\d{4}-\d{2}-\d{2}）/.test(document.querySelector('[data-test=ent-members]').textContent))
      assert.equal(await county.locator(`[data-test=ent-death-${line.payee_person_id}]`).count(), 0)
      await shot(ctx, county, '85-death-recorded')
      await county.locator('[data-test=menu-recoveries]').click()
      const rec = county.locator('[data-test=rc-table] tbody tr', { hasText: String(line.entitlement_id) })
      await rec.first().click()
      await county.locator('[data-test=rc-file]').waitFor()
      assert.equal(await county.locator('[data-test=rc-balance]').textContent(), yuan(line.amount_fen))
      await field(county, 'rc-amount').fill('300')
      await field(county, 'rc-reason').fill('家属退回')
      await county.locator('[data-test=rc-record]').click()
      await county.waitForFunction((v) => document.querySelector('[data-test=rc-balance]').textContent === v,
        yuan(line.amount_fen - 30000))
      await county.locator('[data-test=rc-kind]').click()
      await county.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: '核销' }).click()
      await field(county, 'rc-amount').fill(yuan(line.amount_fen - 30000))
      await field(county, 'rc-reason').fill('无遗产可追，经局务会同意核销')
      await county.locator('[data-test=rc-record]').click()
      await county.waitForFunction(() => document.querySelector('[data-test=rc-state]').textContent.trim() === '已结清')
      assert.equal(await county.locator('[data-test=rc-entries] tbody tr').count(), 3, 'owed, repaid, waived')
      await shot(ctx, county, '86-recovery-settled')

      // the death was another man's: the county withdraws it. The
      // entitlement resumes, the 300 元 repaid is listed to refund, and
      // the member is a living one again, whose death can be recorded
      await county.goto(`${ctx.base}/entitlements/${line.entitlement_id}`)
      await county.locator(`[data-test=ent-withdraw-${line.payee_person_id}]`).click()
      await field(county, 'ent-withdraw-reason').fill('殡仪馆核实为同名的另一人，系误报')
      await saveDialog(county, 'ent-withdraw-save')
      await county.locator('[data-test=ent-death-done]').waitFor()
      const undone = await county.locator('[data-test=ent-death-done]').textContent()
      assert.match(undone, /已撤销死亡登记/, undone)
      assert.match(undone, /自 \d{4}-\d{2} 起恢复发放/, undone)
      assert.match(undone, /已追回 300\.00 元，须退还家庭/, undone)
      await county.locator(`[data-test=ent-death-${line.payee_person_id}]`).waitFor()
      assert.doesNotMatch(await county.locator('[data-test=ent-members]').textContent(), /已故/)
      await shot(ctx, county, '87-death-withdrawn')
    },
  },
  {
    // the city's dashboard: the caseload paid by the demo's closed batches
    // (在保户数, 在保人数, 月度资金 of the last month paid), by district and
    // over 24 months
    name: 'caseload-dashboard',
    async run(ctx) {
      const page = await staffPage(ctx, 'city')
      await page.locator('[data-test=caseload-panel]').waitFor()
      const households = Number(await page.locator('[data-test=caseload-households]').textContent())
      assert.ok(households > 0, `households paid: ${households}`)
      assert.match(await page.locator('[data-test=caseload-paid]').textContent(), /^[1-9][\d,]*\.\d\d$/)
      for (const c of ['caseload-districts', 'caseload-trend']) {
        await page.locator(`[data-test=${c}] canvas`).waitFor()
      }
      await page.locator('[data-test=caseload-panel]').scrollIntoViewIfNeeded()
      await shot(ctx, page, '87-dashboard-caseload')
    },
  },
]
