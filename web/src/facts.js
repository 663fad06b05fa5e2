// SPDX-License-Identifier: MIT
// The facts form of each engine that decides an approval on the decider's
// facts (docs/cases.md). Which item has such an engine, and which action
// of which step it decides, come from the catalog: the
// item's catalog (catalog.get in api.js) gives approval_engine and each action's outcome.
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
