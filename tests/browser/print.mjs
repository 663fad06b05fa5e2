// SPDX-License-Identifier: MIT
// Print pages and screen sizes: a page under `media: print` (the chrome,
// every button and form hidden, the content there) and a page with no
// horizontal overflow at the viewport it is tested in.
import assert from 'node:assert/strict'
import { shot } from './lib.mjs'

// the page as printed: the menu, the header, the wizard's steps and every
// button are hidden; each of `texts` is visible; a screenshot as printed
export async function printed(ctx, page, name, texts) {
  await page.emulateMedia({ media: 'print' })
  try {
    for (const sel of ['.el-aside', '.el-header', '[data-test=menu]', '.el-steps', '.no-print', 'button', '.toolbar', 'input']) {
      const shown = await page.locator(sel).evaluateAll((els) => els.filter((e) => e.offsetParent !== null || getComputedStyle(e).position === 'fixed' && getComputedStyle(e).display !== 'none').length)
      assert.equal(shown, 0, `${name}: "${sel}" hidden in print`)
    }
    for (const text of texts) {
      assert.ok(await page.getByText(text, { exact: false }).first().isVisible(), `${name}: "${text}" printed`)
    }
    await shot(ctx, page, name)
  } finally {
    await page.emulateMedia({ media: 'screen' })
  }
}

// nothing wider than the viewport: the page does not scroll sideways
// (tables scroll inside their own box)
export async function fits(page, what) {
  const over = await page.evaluate(() => {
    const w = document.documentElement.clientWidth
    const main = document.querySelector('.el-main')
    return {
      page: document.documentElement.scrollWidth - w,
      main: main ? main.scrollWidth - main.clientWidth : 0,
    }
  })
  assert.ok(over.page <= 0, `${what}: the page is ${over.page}px wider than the viewport`)
  assert.ok(over.main <= 0, `${what}: the content is ${over.main}px wider than its frame`)
}
