// SPDX-License-Identifier: MIT
// The payments' four-eyes rule as the UI shows it (the server enforces it,
// cases/payments.h): a batch's builder does not check it, and neither its
// builder nor its checker approves it; every other step is anyone's.

// whether user (a username) may take batch b's next step
export function mayTakeNext(b, user) {
  if (!b || !user) return false
  if (b.state === 'built') return b.built_by !== user
  if (b.state === 'checked') return b.built_by !== user && b.checked_by !== user
  return true
}
