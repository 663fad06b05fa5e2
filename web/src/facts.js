// SPDX-License-Identifier: MIT
// The items whose engine decides on the decider's facts (docs/cases.md):
// the facts form's kind and the step and action that approve with them.
// The dry run is POST /api/v1/case-items/{id}/assessment, the approval
// carries the facts; 低保边缘 reads the household alone (no facts).
const FACTS_ITEMS = {
  disability_living: ['disability', 'decide', 'approve'], disability_care: ['disability', 'decide', 'approve'],
  orphan: ['children', 'decide', 'approve'], unsupported_child: ['children', 'decide', 'approve'],
  tempaid_expense: ['tempaid_expense', 'decide', 'approve'], tempaid_urgent: ['tempaid_urgent', 'paperwork', 'complete'],
  rigid_expense: ['rigid', 'decide', 'approve'], lowincome_edge: ['household', 'decide', 'approve'],
}

// { kind, action } when the item's current step approves on facts, else null
export function factsAt(item) {
  const r = item && FACTS_ITEMS[item.item_code]
  return r && item.step === r[1] ? { kind: r[0], action: r[2] } : null
}
