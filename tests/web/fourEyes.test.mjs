// SPDX-License-Identifier: MIT
// The payments' four-eyes rule as the UI offers the next step
// (web/src/fourEyes.js): the builder does not check, neither builder nor
// checker approves, any officer takes the other steps.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { mayTakeNext } from '../../web/src/fourEyes.js'

const batch = (state) => ({ state, built_by: 'a', checked_by: state === 'built' ? null : 'b' })

test('the builder does not check; another does', () => {
  assert.equal(mayTakeNext(batch('built'), 'a'), false)
  assert.equal(mayTakeNext(batch('built'), 'b'), true)
})

test('neither builder nor checker approves; a third does', () => {
  assert.equal(mayTakeNext(batch('checked'), 'a'), false)
  assert.equal(mayTakeNext(batch('checked'), 'b'), false)
  assert.equal(mayTakeNext(batch('checked'), 'c'), true)
})

test('export, return, reissue and close are anyone’s; no user, nothing', () => {
  for (const s of ['approved', 'exported', 'reconciled', 'closed']) assert.equal(mayTakeNext(batch(s), 'a'), true)
  assert.equal(mayTakeNext(batch('built'), ''), false)
  assert.equal(mayTakeNext(null, 'a'), false)
})
