// SPDX-License-Identifier: MIT
// The browser tests: starts the real `doudi demo` on a free port with a
// fresh database in a temporary directory, drives Debian's chromium
// headless through playwright-core (never a downloaded browser), runs the
// scenarios in scenarios.mjs, saves a screenshot of each main screen, fails
// on any browser console error, and stops the server.
//
// usage: node run.mjs DOUDI_BINARY SOURCE_DIR SCREENSHOT_DIR [SCENARIO...]
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { scenarios } from './scenarios.mjs'

const [doudi, srcDir, shotDir, ...only] = process.argv.slice(2)
if (!doudi || !srcDir || !shotDir) {
  console.error('usage: node run.mjs DOUDI_BINARY SOURCE_DIR SCREENSHOT_DIR [SCENARIO...]')
  process.exit(2)
}
const require = createRequire(path.join(srcDir, 'web', 'package.json'))
const { chromium } = require('playwright-core')
const CHROMIUM = process.env.DOUDI_CHROMIUM || '/usr/bin/chromium'
const PASSWORD = 'Demo-Browser-2024!'
const HOUSEHOLDS = process.env.DOUDI_BROWSER_HOUSEHOLDS || '500'

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.on('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

async function waitHealthy(base, child, log) {
  for (let i = 0; i < 1200; i++) {
    if (child.exitCode !== null) throw new Error(`doudi demo exited (${child.exitCode}):\n${log.join('')}`)
    try {
      const r = await fetch(`${base}/healthz`)
      if (r.ok && log.join('').includes('serving on')) return
    } catch {
      /* not yet listening */
    }
    await sleep(250)
  }
  throw new Error('doudi demo did not answer /healthz in 5 minutes')
}

async function main() {
  if (!fs.existsSync(path.join(srcDir, 'web', 'dist', 'index.html'))) {
    throw new Error('web/dist is not built (make build)')
  }
  fs.mkdirSync(shotDir, { recursive: true })
  for (const f of fs.readdirSync(shotDir)) if (f.startsWith('FAILED-')) fs.rmSync(path.join(shotDir, f))
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'doudi-browser-'))
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const log = []
  const child = spawn(doudi, ['demo'], {
    env: {
      ...process.env,
      DOUDI_DB: `sqlite:${path.join(tmp, 'demo.db')}`,
      DOUDI_KEY_FILE: path.join(tmp, 'doudi.key'),
      DOUDI_DATA_DIR: process.env.DOUDI_BROWSER_DATA_DIR || path.join(srcDir, 'data'),
      DOUDI_WEB_DIR: path.join(srcDir, 'web', 'dist'),
      DOUDI_LISTEN: `127.0.0.1:${port}`,
      DOUDI_DEMO_PASSWORD: PASSWORD,
      DOUDI_DEMO_HOUSEHOLDS: HOUSEHOLDS,
      DOUDI_LOG_LEVEL: 'info',
      DOUDI_CONFIG: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout.on('data', (d) => log.push(d.toString()))
  child.stderr.on('data', (d) => log.push(d.toString()))
  let browser
  let failed = 0
  let passed = 0
  try {
    await waitHealthy(base, child, log)
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
    })
    const ctx = { base, password: PASSWORD, shotDir, log, browser, dbPath: path.join(tmp, 'demo.db') }
    for (const sc of scenarios) {
      if (only.length && !only.includes(sc.name)) continue
      const t0 = Date.now()
      const errors = []
      const contexts = []
      const watch = (page) => {
        page.on('console', (msg) => {
          if (msg.type() !== 'error') return
          const loc = msg.location() || {}
          // the API's 4xx replies are answers the page shows next to their
          // fields (a wrong ID number, a refused route); chromium logs each
          // fetch that gets one. Anything else (script errors, CSP
          // violations, 5xx, a missing asset) fails the scenario.
          if (/status of 4\d\d/.test(msg.text()) && /\/api\/v1\//.test(loc.url || '')) return
          errors.push(`console: ${msg.text()} ${loc.url || ''}`)
        })
        page.on('pageerror', (e) => errors.push(`page error: ${e.message}`))
        page.on('response', (r) => {
          if (r.status() >= 500) errors.push(`HTTP ${r.status()} ${r.url()}`)
        })
      }
      // every page in a browser context of its own: each user its own
      // cookie jar, as on separate machines
      const newPage = async () => {
        const c = await browser.newContext({
          viewport: sc.viewport || { width: 1366, height: 768 },
          locale: 'zh-CN',
          timezoneId: 'Asia/Shanghai',
        })
        contexts.push(c)
        c.on('page', watch)
        return c.newPage()
      }
      try {
        await sc.run({ ...ctx, newPage })
        if (errors.length) throw new Error(`browser console errors:\n  ${errors.join('\n  ')}`)
        passed++
        console.log(`ok   ${sc.name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`)
      } catch (e) {
        failed++
        console.log(`FAIL ${sc.name}: ${e.stack || e}`)
        let n = 0
        for (const c of contexts) {
          for (const p of c.pages()) {
            n += 1
            await p.screenshot({ path: path.join(shotDir, `FAILED-${sc.name}-${n}.png`), fullPage: true }).catch(() => {})
          }
        }
      } finally {
        for (const c of contexts) await c.close().catch(() => {})
      }
    }
  } finally {
    if (browser) await browser.close().catch(() => {})
    child.kill('SIGTERM')
    for (let i = 0; i < 100 && child.exitCode === null; i++) await sleep(100)
    if (child.exitCode === null) child.kill('SIGKILL')
    fs.rmSync(tmp, { recursive: true, force: true })
  }
  console.log(`screenshots: ${path.resolve(shotDir)}`)
  if (failed) {
    console.log('--- doudi demo output (last 60 lines) ---')
    console.log(log.join('').split('\n').slice(-60).join('\n'))
  }
  console.log(`${passed} passed, ${failed} failed`)
  process.exit(failed ? 1 : 0)
}

main().catch((e) => {
  console.error(e.stack || String(e))
  process.exit(1)
})
