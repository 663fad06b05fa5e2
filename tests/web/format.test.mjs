// SPDX-License-Identifier: MIT
// The UI's display rules (web/src/format.js): money in yuan from integer
// fen without floating-point digits, yuan text back to fen, instants in
// Asia/Shanghai, seconds since the epoch.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { yuan, fenOf, dateTime, day } from '../../web/src/format.js'

test('yuan from fen', () => {
  assert.equal(yuan(134000), '1,340.00')
  assert.equal(yuan(77000), '770.00')
  assert.equal(yuan(5), '0.05')
  assert.equal(yuan(0), '0.00')
  assert.equal(yuan(-1999), '-19.99')
  assert.equal(yuan(123456789012), '1,234,567,890.12')
  assert.equal(yuan(null), '—')
  assert.equal(yuan(undefined), '—')
})

test('fen from yuan text', () => {
  assert.equal(fenOf('1340'), 134000)
  assert.equal(fenOf('1,340.5'), 134050)
  assert.equal(fenOf('0.07'), 7)
  assert.equal(fenOf(' 200 元'), 20000)
  // 0.1 + 0.2 style errors cannot happen: digits are read as integers
  assert.equal(fenOf('19.99'), 1999)
  assert.equal(fenOf('1.234'), null)
  assert.equal(fenOf('-5'), null)
  assert.equal(fenOf('abc'), null)
  assert.equal(fenOf(''), null)
})

test('instants in Asia/Shanghai', () => {
  // 16:30 UTC is half past midnight the next day in Shanghai (UTC+8)
  assert.equal(dateTime('2023-09-30T16:30:00Z'), '2023/10/01 00:30')
  assert.equal(day('2023-09-30T16:30:00Z'), '2023-10-01')
  assert.equal(day('2023-09-30T15:59:59Z'), '2023-09-30')
  // a calendar day stays as it is
  assert.equal(day('2023-10-01'), '2023-10-01')
  // seconds since the epoch, as some replies carry
  assert.equal(dateTime(1696091400), '2023/10/01 00:30')
  assert.equal(dateTime(null), '—')
})
