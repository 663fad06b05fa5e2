// SPDX-License-Identifier: MIT
// The browser scenarios, each in browser contexts of its own (one
// per user) against the same fresh demo server (run.mjs). Every scenario
// saves screenshots of the screens it passes through.
import assert from 'node:assert/strict'
import { caseScenarios } from './cases.mjs'
import { paymentScenarios } from './payments.mjs'
import { shot, field, login, staffPage, apiAs, newHousehold, freshId } from './lib.mjs'
import { fits } from './print.mjs'

export const scenarios = [
  {
    name: 'login',
    async run(ctx) {
      const page = await ctx.newPage()
      await page.goto(`${ctx.base}/`)
      await page.locator('[data-test=login-submit]').waitFor()
      await shot(ctx, page, '01-login')
      // a wrong password: the server's Chinese message next to the field
      await field(page, 'username').fill('clerk.500101001')
      await field(page, 'password').fill('wrong-password')
      await page.locator('[data-test=login-submit]').click()
      await page.getByText('用户名或密码错误').waitFor()
      await login(ctx, page, 'clerk.500101001')
      await page.locator('[data-test=menu-intake]').waitFor()
      // English and back
      await page.locator('[data-test=lang]').click()
      await page.getByText('One-door intake').first().waitFor()
      await page.locator('[data-test=lang]').click()
      await page.getByText('一门受理').first().waitFor()
      // the session ends (cookie gone): the next request returns to sign-in
      await page.context().clearCookies()
      await page.locator('[data-test=menu-households]').click()
      await page.locator('[data-test=login-notice]').waitFor()
      await shot(ctx, page, '01-login-expired')
      // repeated wrong passwords lock the account: the lockout message
      // under the username
      for (let i = 0; i < 6; i++) {
        await field(page, 'username').fill('clerk.500101001')
        await field(page, 'password').fill(`wrong-${i}`)
        await page.locator('[data-test=login-submit]').click()
        await page.locator('.el-form-item__error, [data-test=login-error]').first().waitFor()
        if ((await page.getByText('锁定').count()) > 0) break
      }
      await page.getByText('账号已被锁定').waitFor()
      await shot(ctx, page, '01-login-locked')
    },
  },
  {
    name: 'screens',
    async run(ctx) {
      // a household in the clerk's township (the demo's generated ones are
      // spread over the whole city)
      const clerkApi = await apiAs(ctx, 'clerk.500103001')
      await newHousehold(clerkApi, '500103001003', [
        { name: '黄志强', id: freshId('500103', '1975', 'M') },
        { name: '林小燕', id: freshId('500103', '1978', 'F') },
      ])
      const clerk = await staffPage(ctx, 'clerk.500103001')
      await clerk.locator('[data-test=menu-households]').click()
      await clerk.locator('[data-test=hh-table]').waitFor()
      await shot(ctx, clerk, '50-households')
      await clerk.locator('[data-test=hh-table] tbody tr').first().click()
      await clerk.locator('[data-test=hh-file]').waitFor()
      await shot(ctx, clerk, '51-household-file')
      const auditor = await staffPage(ctx, 'auditor')
      await auditor.locator('[data-test=menu-audit]').click()
      await auditor.locator('[data-test=audit] tbody tr').first().waitFor()
      await shot(ctx, auditor, '53-audit')
    },
  },
  {
    // (5) role limits: the sysadmin sees no household
    name: 'sysadmin-sees-no-household',
    async run(ctx) {
      const page = await staffPage(ctx, 'admin')
      await page.locator('[data-test=menu-users]').waitFor()
      assert.equal(await page.locator('[data-test=menu-households]').count(), 0)
      assert.equal(await page.locator('[data-test=menu-intake]').count(), 0)
      // typing the address sends the sysadmin back to the dashboard
      await page.goto(`${ctx.base}/households`)
      await page.locator('[data-test=whoami]').waitFor()
      assert.equal(new URL(page.url()).pathname, '/')
      // and the server refuses the household list outright
      const status = await page.evaluate(async () => (await fetch('/api/v1/households')).status)
      assert.equal(status, 403)
      await shot(ctx, page, '90-sysadmin')
      await page.locator('[data-test=menu-users]').click()
      await page.locator('[data-test=users] tbody tr').first().waitFor()
      await shot(ctx, page, '91-users')
    },
  },
  {
    // every staff screen of every role at 1366×768: the page does not
    // scroll sideways, no console error (run.mjs), a screenshot each
    name: 'staff-screens-1366',
    async run(ctx) {
      const users = ['clerk.500103001', 'reviewer.500103001', 'assistant.500103001003', 'county.500103', 'medical.500103', 'city', 'auditor', 'admin']
      for (const u of users) {
        const page = await staffPage(ctx, u)
        const role = u.split('.')[0]
        const menus = await page.locator('[data-test=menu] [data-test^=menu-]').evaluateAll((els) => els.map((e) => e.getAttribute('data-test')))
        assert.ok(menus.length > 0, `${u} has a menu`)
        for (const m of menus) {
          await page.locator(`[data-test=${m}]`).click()
          await page.waitForLoadState('networkidle', { timeout: 3000 }).catch(() => {})
          await fits(page, `${u} ${m}`)
          await shot(ctx, page, `60-${role}-${m.replace('menu-', '')}`)
        }
        await page.context().close()
      }
    },
  },
  {
    // the citizen portal at a phone's 390×844: each page fits the screen
    name: 'citizen-screens-phone',
    viewport: { width: 390, height: 844 },
    async run(ctx) {
      const page = await ctx.newPage()
      for (const [p, probe, name] of [['/citizen', 'cz-calc', 'selfcheck'], ['/citizen/apply', 'cz-phone', 'apply'], ['/citizen/progress', 'pg-query', 'progress']]) {
        await page.goto(`${ctx.base}${p}`)
        await page.locator(`[data-test=${probe}]`).first().waitFor()
        await fits(page, p)
        await shot(ctx, page, `65-citizen-${name}-390`)
      }
      // the county list is the reference data's 38 county-level units,
      // built into the page (no regions file, no staff route)
      await page.goto(`${ctx.base}/citizen`)
      await page.locator('[data-test=cz-county]').click()
      const options = page.locator('.el-select-dropdown:visible .el-select-dropdown__item')
      await options.first().waitFor()
      const n = await options.count()
      assert.equal(n, 38, 'the 38 county-level units of Chongqing')
      await page.getByText('万州区').first().waitFor()
    },
  },
  ...caseScenarios,
  ...paymentScenarios,
]
