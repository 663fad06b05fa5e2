// SPDX-License-Identifier: MIT
// The browser scenarios, each against the same fresh demo server.
// Every scenario saves screenshots of the screens it passes through.
import assert from 'node:assert/strict'
import path from 'node:path'

async function shot(ctx, page, name) {
  await page.waitForLoadState('networkidle').catch(() => {})
  const file = path.join(ctx.shotDir, `${name}.png`)
  await page.screenshot({ path: file, fullPage: true })
}

// an Element Plus input: its attributes land on the inner <input>
function field(page, name) {
  return page.locator(`input[data-test="${name}"], textarea[data-test="${name}"], [data-test="${name}"] input`).first()
}

async function login(ctx, page, username) {
  await page.goto(`${ctx.base}/login`)
  await field(page, 'username').fill(username)
  await field(page, 'password').fill(ctx.password)
  await page.locator('[data-test=login-submit]').click()
  await page.locator('[data-test=whoami]').waitFor()
}

export const scenarios = [
  {
    name: 'login',
    async run(ctx) {
      const page = await ctx.newPage()
      await page.goto(`${ctx.base}/`)
      await page.locator('[data-test=login-submit]').waitFor()
      await shot(ctx, page, '01-login')
      // a wrong password: the server's Chinese message next to the field
      await field(page, 'username').fill('clerk.500103001')
      await field(page, 'password').fill('wrong-password')
      await page.locator('[data-test=login-submit]').click()
      await page.getByText('用户名或密码错误').waitFor()
      await login(ctx, page, 'clerk.500103001')
      await page.locator('[data-test=menu-intake]').waitFor()
      await shot(ctx, page, '02-dashboard-clerk')
    },
  },
  {
    name: 'sysadmin-sees-no-household',
    async run(ctx) {
      const page = await ctx.newPage()
      await login(ctx, page, 'admin')
      await page.locator('[data-test=menu-users]').waitFor()
      assert.equal(await page.locator('[data-test=menu-households]').count(), 0)
      // typing the address sends the sysadmin back to the dashboard
      await page.goto(`${ctx.base}/households`)
      await page.locator('[data-test=whoami]').waitFor()
      assert.equal(new URL(page.url()).pathname, '/')
      await shot(ctx, page, '90-sysadmin')
    },
  },
]
