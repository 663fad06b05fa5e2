// SPDX-License-Identifier: MIT
// Display helpers: money in yuan from integer fen (never through floats
// for the digits), instants in Asia/Shanghai, working-day countdowns.
const TZ = 'Asia/Shanghai'

export function yuan(fen) {
  if (fen === null || fen === undefined || fen === '') return '—'
  const n = BigInt(Math.trunc(Number(fen)))
  const neg = n < 0n
  const a = neg ? -n : n
  const y = (a / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  const f = (a % 100n).toString().padStart(2, '0')
  return `${neg ? '-' : ''}${y}.${f}`
}

// "1,540.00" → 154000; null when not a valid amount
export function fenOf(yuanText) {
  if (yuanText === null || yuanText === undefined) return null
  const s = String(yuanText).replace(/[,\s元]/g, '')
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s)
  if (!m) return null
  return Number(m[1]) * 100 + Number((m[2] || '0').padEnd(2, '0'))
}

// an ISO instant, or seconds since the epoch (as some replies carry)
export function dateTime(iso) {
  if (iso === null || iso === undefined || iso === '') return '—'
  const d = typeof iso === 'number' ? new Date(iso < 1e12 ? iso * 1000 : iso) : new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone: TZ,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(d)
}

// a YYYY-MM-DD date is a calendar day, shown as it is
export function day(s) {
  if (!s) return '—'
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return s
  const d = typeof s === 'number' ? new Date(s < 1e12 ? s * 1000 : s) : new Date(s)
  if (Number.isNaN(d.getTime())) return String(s)
  return new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d)
}

// today in Asia/Shanghai as YYYY-MM-DD
export function today() {
  const p = new Intl.DateTimeFormat('en-CA', {
    timeZone: TZ,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date())
  return p
}
