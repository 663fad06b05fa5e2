// SPDX-License-Identifier: MIT
// Helpers of the browser scenarios: screenshots, Element Plus fields,
// sign-in, valid ID numbers, an API client for set-up, case actions.
import assert from 'node:assert/strict'
import path from 'node:path'
import { execFileSync } from 'node:child_process'

export async function shot(ctx, page, name) {
  // pending fetches settle; after a client-side redirect chromium may
  // never report idle again, so this is only a short grace
  await page.waitForLoadState('networkidle', { timeout: 3000 }).catch(() => {})
  await page.evaluate(() => document.fonts.ready)
  const file = path.join(ctx.shotDir, `${name}.png`)
  await page.screenshot({ path: file, fullPage: true })
}

// an Element Plus input: its attributes land on the inner <input>
export function field(page, name) {
  return page.locator(`input[data-test="${name}"], textarea[data-test="${name}"], [data-test="${name}"] input, [data-test="${name}"] textarea`).first()
}

export async function login(ctx, page, username) {
  await page.goto(`${ctx.base}/login`)
  await field(page, 'username').fill(username)
  await field(page, 'password').fill(ctx.password)
  await page.locator('[data-test=login-submit]').click()
  await page.locator('[data-test=whoami]').waitFor()
}

export async function staffPage(ctx, username) {
  const page = await ctx.newPage()
  await login(ctx, page, username)
  return page
}

// GB 11643-1999: the 18th character from the ISO 7064 MOD 11-2 check
export function idNumber(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const s = [...first17].reduce((a, c, i) => a + Number(c) * w[i], 0)
  return first17 + '10X98765432'[s % 11]
}

// distinct, valid ID numbers per run (the registry keeps one active
// household per person)
let seq = 0
export function freshId(county, year, sex) {
  seq += 1
  // birth day from the run's clock and a sequence; the 17th digit is odd
  // for a man and even for a woman
  const n = (Math.floor(Date.now() / 1000) + seq * 7) % 9000
  const month = String((n % 12) + 1).padStart(2, '0')
  const dayOfMonth = String((Math.floor(n / 12) % 28) + 1).padStart(2, '0')
  const order = String(Math.floor(n / 336) % 100).padStart(2, '0')
  const sexDigit = (seq % 5) * 2 + (sex === 'F' ? 0 : 1)
  return idNumber(`${county}${year}${month}${dayOfMonth}${order}${sexDigit}`)
}

// a small API client with a staff session (cookie + CSRF), for set-up
export async function apiAs(ctx, username) {
  const r = await fetch(`${ctx.base}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: ctx.password }),
  })
  assert.equal(r.status, 201, `sign-in of ${username}`)
  const cookie = r.headers.get('set-cookie').split(';')[0]
  const { csrf_token: csrf } = await r.json()
  const call = async (method, p, body) => {
    const q = await fetch(`${ctx.base}${p}`, {
      method, headers: { Cookie: cookie, 'X-CSRF-Token': csrf, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    })
    const text = await q.text()
    if (!q.ok) throw new Error(`${method} ${p}: ${q.status} ${text}`)
    return text ? JSON.parse(text) : null
  }
  return { get: (p) => call('GET', p), post: (p, b) => call('POST', p, b), put: (p, b) => call('PUT', p, b) }
}

// one action on a case item through the API at its current version (the
// set-up of a scenario, as the step's actor's own screen would do it)
export async function apiAct(api, id, action, extra) {
  const { item } = await api.get(`/api/v1/case-items/${id}`)
  return api.post(`/api/v1/case-items/${id}/actions`, { action, version: item.version, ...(extra || {}) })
}

export async function newHousehold(api, village, members, extra = {}) {
  return api.post('/api/v1/households', {
    region_code: village, hukou_region: village, urban_or_rural: 'urban', address: '测试路 1 号', ...extra,
    members: members.map((m, i) => ({ name: m.name, id_number: m.id, relation: i ? 'spouse' : 'applicant', work_capacity: 'none' })),
  })
}

export async function act(page, action, fill) {
  await page.locator(`[data-test="action-${action}"]`).click()
  if (fill) await fill()
  const before = await page.locator('[data-test=case-step]').textContent()
  await page.locator('[data-test=act]').click()
  await page.waitForFunction((b) => {
    const el = document.querySelector('[data-test=case-step]')
    const err = document.querySelector('[data-test=act-error]')
    return (el && el.textContent !== b) || (err && err.textContent.trim())
  }, before)
  const err = await page.locator('[data-test=act-error]').count()
  if (err) assert.fail(`action ${action}: ${await page.locator('[data-test=act-error]').textContent()}`)
}

export async function openCase(ctx, page, id) {
  await page.goto(`${ctx.base}/cases/${id}`)
  await page.locator('[data-test=case-step]').waitFor()
}

export function yuanText(s) {
  return String(s).replace(/[^\d.,-]/g, '')
}


// The 7 days of a case's open 公示 pass at once: its end day moved into the
// past in the demo database (Debian's sqlite3, waiting up to 10 s for the
// server's write lock). Exactly one open row must change, and reads back.
export function endPublicity(ctx, itemId) {
  const id = Number(itemId)
  const out = execFileSync('sqlite3', ['-cmd', '.timeout 10000', ctx.dbPath,
    `UPDATE publicity SET end_day = '2000-01-01' WHERE case_item_id = ${id} AND state = 'open'; SELECT changes();`]).toString().trim()
  if (out !== '1') {
    const rows = execFileSync('sqlite3', ['-cmd', '.timeout 10000', ctx.dbPath,
      `SELECT 'publicity', id, case_item_id, state, start_day, end_day FROM publicity; SELECT 'item', id, item_code, step, state, version FROM case_item`]).toString()
    assert.fail(`one open publicity row of case item ${id} to move; sqlite3 changed ${out}:\n${rows}`)
  }
  const back = execFileSync('sqlite3', ['-cmd', '.timeout 10000', ctx.dbPath,
    `SELECT end_day FROM publicity WHERE case_item_id = ${id} AND state = 'open'`]).toString().trim()
  assert.equal(back, '2000-01-01', `the open publicity row of case item ${id} reads back`)
}
