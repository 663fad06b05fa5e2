// SPDX-License-Identifier: MIT
// What the screens take from the catalog (catalog.list and catalog.get in
// api.js): the items one applies for and their materials, each item's
// steps (data/catalog/steps.csv: who acts, each action's needs and
// outcome) and the engine that decides its approval, instead of copies of
// them in the UI.
import { computed, ref } from 'vue'
import { catalog as catalogApi } from './api.js'
import { nameOf } from './i18n.js'

// the items one applies for (a filing is not applied for)
export function applicable(items) {
  return (items || []).filter((i) => i.template !== 'filing')
}

// the materials the chosen items ask for, each once
export function materialsOf(items, chosen) {
  const seen = new Map()
  for (const c of items) if (chosen.includes(c.code)) for (const m of c.materials || []) seen.set(m.code, m)
  return [...seen.values()]
}

// the step of the item's template (its version in force) a case is at
export function stepOf(catalogItem, code) {
  return ((catalogItem && catalogItem.steps) || []).find((s) => s.code === code)
}

// the actions of the case's step that role takes: none once the case is
// closed or when the role is not one of the step's actors (初审 is the
// township reviewer's, not the clerk's who investigated: 民发〔2021〕57号
// Art. 19); the server decides in the end
export function actionsFor(step, caseItem, role) {
  if (!step || !caseItem || caseItem.state === 'closed' || !(step.actors || []).includes(role)) return []
  return step.actions || []
}

// The household engine's assessment is shown where the decider weighs it:
// for an item with a program of its own that no engine decides on the
// decider's facts (低保, 特困), at the steps that approve (an action whose
// outcome is approve, or the 初审 opinion "approve") or hand the case to
// one that does (审核确认 before 决定).
export function weighsAssessment(catalogItem, step) {
  if (!catalogItem || !step || !catalogItem.program || catalogItem.program === 'none') return false
  if (catalogItem.approval_engine) return false
  const approving = (s) => !!s && (s.actions || []).some((a) => a.outcome === 'approve')
  return (step.actions || []).some(
    (a) => a.outcome === 'approve' || a.action === 'approve' || approving(stepOf(catalogItem, a.to)),
  )
}

// The facts form of each engine that decides an approval on the decider's
// facts (docs/cases.md); which item has such an engine, and which action
// of which step it decides, the catalog says (approval_engine and each
// action's outcome).
const FORMS = {
  disability_living: 'disability',
  disability_care: 'disability',
  orphan: 'children',
  unsupported_child: 'children',
  tempaid_urgent: 'tempaid_urgent',
  tempaid_expense: 'tempaid_expense',
  rigid_expense: 'rigid',
  lowincome_edge: 'household',
}

// { kind, action, pays } when step (of the catalog item's template) has
// an approving action that the item's engine decides, else null; pays is
// false for a recognition (no amount, even on review)
export function factsAt(catalogItem, step) {
  const eng = catalogItem && catalogItem.approval_engine
  const a = eng && step && (step.actions || []).find((x) => x.outcome === 'approve')
  return a && FORMS[eng.name] ? { kind: FORMS[eng.name], action: a.action, pays: eng.amount } : null
}

// the catalog's items paid monthly (program set: the caseload's and the
// batches' items), loaded once per page: options for a select and the
// name of a code (an unknown code as it is)
export function useItemNames() {
  const items = ref([])
  catalogApi
    .list()
    .then((r) => (items.value = (r.items || []).filter((i) => i.program && i.program !== 'none')))
    .catch(() => {})
  const name = (code) => {
    const i = items.value.find((x) => x.code === code)
    return i ? nameOf(i) : code || '—'
  }
  const itemOptions = computed(() => items.value.map((i) => ({ value: i.code, label: nameOf(i) })))
  return { name, itemOptions }
}

// the facts form of a review (复核) of an item: its engine's, or the
// household file's for an item decided on the household (低保, 特困)
export function factsFormOf(catalogItem) {
  const eng = catalogItem && catalogItem.approval_engine
  return (eng && FORMS[eng.name]) || 'household'
}
