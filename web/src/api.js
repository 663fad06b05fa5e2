// SPDX-License-Identifier: MIT
// The API client: same-origin fetch with the session cookie, the CSRF token
// on every write, and errors turned into ApiError (status, code, field and
// the Chinese and English messages of the server's envelope).
import { ref } from 'vue'
import { i18n, pick } from './i18n.js'

let csrfToken = ''
// set by the session store: called on a 401 so the app returns to sign-in
let onUnauthorised = null

export const lastRequestId = ref('')

export function setCsrfToken(t) {
  csrfToken = t || ''
}

export function setUnauthorisedHandler(fn) {
  onUnauthorised = fn
}

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {}
    super(e.message_zh || e.message || `HTTP ${status}`)
    this.status = status
    this.code = e.code || `HTTP_${status}`
    this.field = e.field || null
    this.messageZh = e.message_zh || ''
    this.messageEn = e.message || ''
    this.requestId = (body && body.request_id) || ''
  }
  // the message to show for the current language; 409 on a versioned
  // record says plainly that someone else changed it first
  text(locale) {
    if (this.status === 409 && (this.code === 'VERSION_CONFLICT' || this.code === 'CONFLICT')) {
      return i18n.global.t('error.conflict', {}, { locale })
    }
    if (this.status === 0) return i18n.global.t('error.unreachable', {}, { locale })
    return pick(this.messageZh, this.messageEn, locale)
  }
}

function query(params) {
  if (!params) return ''
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v))
  }
  const s = q.toString()
  return s ? `?${s}` : ''
}

// body is sent as JSON, rawBody (a file, a Blob) as its bytes
async function request(method, path, { body, rawBody, params, headers, raw, quiet401 } = {}) {
  const h = { Accept: 'application/json', ...(headers || {}) }
  if (body !== undefined) h['Content-Type'] = 'application/json'
  if (rawBody !== undefined) h['Content-Type'] = 'application/octet-stream'
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) h['X-CSRF-Token'] = csrfToken
  let resp
  try {
    resp = await fetch(path + query(params), {
      method,
      headers: h,
      credentials: 'same-origin',
      body: body !== undefined ? JSON.stringify(body) : rawBody,
    })
  } catch {
    throw new ApiError(0, null)
  }
  lastRequestId.value = resp.headers.get('X-Request-Id') || ''
  if (resp.status === 204) return null
  const type = resp.headers.get('Content-Type') || ''
  if (raw && resp.ok) return resp.text()
  let data = null
  if (type.includes('json')) {
    data = await resp.json().catch(() => null)
  } else {
    data = await resp.text()
  }
  if (!resp.ok) {
    const err = new ApiError(resp.status, typeof data === 'object' ? data : null)
    if (resp.status === 401 && onUnauthorised && !quiet401) onUnauthorised(err)
    throw err
  }
  return data
}

const get = (path, params, opts) => request('GET', path, { params, ...opts })
const post = (path, body, opts) => request('POST', path, { body, ...opts })
const quiet = { quiet401: true } // a 401 here is an answer, not a lost session

// Every route the UI calls, by resource; the paths are nowhere else.
const V1 = '/api/v1'
const seg = (x) => encodeURIComponent(x)

export const session = {
  get: () => get(`${V1}/session`, null, quiet),
  create: (username, password) => post(`${V1}/session`, { username, password }, quiet),
  remove: () => request('DELETE', `${V1}/session`, quiet),
}

export const households = {
  list: (params) => get(`${V1}/households`, params),
  // unmasked: true gives the members' full ID numbers (sent back on save)
  get: (id, { unmasked } = {}) => get(`${V1}/households/${seg(id)}`, unmasked ? { unmask: 'true' } : null),
  create: (body) => post(`${V1}/households`, body),
  update: (id, body) => request('PUT', `${V1}/households/${seg(id)}`, { body }),
  history: (id) => get(`${V1}/households/${seg(id)}/history`),
  // the engine on the household file, today or as of a date
  assess: (id, asOf) => request('POST', `${V1}/households/${seg(id)}/assessment`, { params: { as_of: asOf } }),
}

export const catalog = {
  list: () => get(`${V1}/catalog`),
  // the item with its versions; .current is the one in force, with its steps
  get: (code) => get(`${V1}/catalog/${seg(code)}`),
}

export const applications = {
  preview: (body) => post(`${V1}/applications/preview`, body),
  create: (body) => post(`${V1}/applications`, body),
  // the server's printable receipt (opened as a page, not fetched)
  receiptUrl: (id) => `${V1}/applications/${seg(id)}/receipt`,
}

export const caseItems = {
  get: (id) => get(`${V1}/case-items/${seg(id)}`),
  act: (id, body) => post(`${V1}/case-items/${seg(id)}/actions`, body),
  // the engine's dry run on the decider's facts
  assess: (id, facts) => post(`${V1}/case-items/${seg(id)}/assessment`, { facts }),
  notice: (id) => get(`${V1}/case-items/${seg(id)}/notice`),
}

export const tasks = { list: () => get(`${V1}/tasks`) }

export const kpis = { get: (params) => get(`${V1}/kpis`, params) }

export const publicity = {
  list: (params) => get(`${V1}/publicity`, params),
  object: (id, text) => post(`${V1}/publicity/${seg(id)}/objections`, { text }),
}

export const regions = {
  get: (code) => get(`${V1}/regions/${seg(code)}`),
  // a region's children in code order, at most limit
  children: (parent, limit) => get(`${V1}/regions`, { parent, limit }),
}

export const policy = {
  list: (params) => get(`${V1}/policy`, params),
  history: (key) => get(`${V1}/policy/history`, { key }),
  create: (body) => post(`${V1}/policy`, body),
}

export const users = {
  list: (params) => get(`${V1}/users`, params),
  create: (body) => post(`${V1}/users`, body),
  update: (id, body) => request('PATCH', `${V1}/users/${seg(id)}`, { body }),
}

export const audit = { list: (params) => get(`${V1}/audit`, params) }

// the caseload after approval (issue 13): entitlements and decisions on them
export const entitlements = {
  list: (params) => get(`${V1}/entitlements`, params),
  get: (id) => get(`${V1}/entitlements/${seg(id)}`),
  change: (id, body) => post(`${V1}/entitlements/${seg(id)}/changes`, body),
}

// a person's bank accounts (masked) and a death recorded on a person
export const persons = {
  payeeAccounts: (id) => get(`${V1}/persons/${seg(id)}/payee-accounts`),
  // a bank account entered, pending until another person confirms it
  enterAccount: (id, body) => post(`${V1}/persons/${seg(id)}/payee-accounts`, body),
  death: (id, body) => post(`${V1}/persons/${seg(id)}/death`, body),
  // a death recorded in error withdrawn (the county)
  withdrawDeath: (id, body) => post(`${V1}/persons/${seg(id)}/death/withdraw`, body),
}

// a pending account confirmed or rejected by a second person (four eyes)
export const payeeAccounts = {
  decide: (id, decision, body) => post(`${V1}/payee-accounts/${seg(id)}/${decision}`, body),
}

// the monthly payment batches (发放): build, check, approve, the bank file
// and its return, reissue, close
export const batches = {
  list: (params) => get(`${V1}/payment-batches`, params),
  get: (id) => get(`${V1}/payment-batches/${seg(id)}`),
  build: (body) => post(`${V1}/payment-batches`, body),
  checkView: (id) => get(`${V1}/payment-batches/${seg(id)}/check`),
  lines: (id, params) => get(`${V1}/payment-batches/${seg(id)}/lines`, params),
  // the state-changing steps, at the batch's version
  step: (id, step, version, body) =>
    post(`${V1}/payment-batches/${seg(id)}/${step}`, body || {}, { headers: { 'If-Match': String(version) } }),
  // the bank file of an exported batch (a download, not fetched)
  fileUrl: (id) => `${V1}/payment-batches/${seg(id)}/file`,
  // the bank's return file (a File) as the request body, byte for byte
  loadReturn: (id, bank, file) =>
    request('POST', `${V1}/payment-batches/${seg(id)}/return`, {
      params: { bank },
      rawBody: file,
    }),
  // the failed lines of a reconciled batch in a new batch (no body)
  reissue: (id) => request('POST', `${V1}/payment-batches/${seg(id)}/reissue`),
  resolve: (id, lineId, body) => post(`${V1}/payment-batches/${seg(id)}/lines/${seg(lineId)}/resolve`, body),
}

// reviews (复核) of entitlements: the township inbox, facts, proposal, decision
export const reviews = {
  list: (params) => get(`${V1}/reviews`, params),
  get: (id) => get(`${V1}/reviews/${seg(id)}`),
  facts: (id, body) => post(`${V1}/reviews/${seg(id)}/facts`, body),
  propose: (id, body) => post(`${V1}/reviews/${seg(id)}/propose`, body),
  decide: (id, body) => post(`${V1}/reviews/${seg(id)}/decide`, body),
}

// the recovery ledger (追缴)
export const recoveries = {
  list: (params) => get(`${V1}/recoveries`, params),
  get: (id) => get(`${V1}/recoveries/${seg(id)}`),
  entry: (id, body) => post(`${V1}/recoveries/${seg(id)}/entries`, body),
}

// the city's figures: the caseload by district over months
export const reports = { caseload: (params) => get(`${V1}/reports/caseload`, params) }

// the citizen portal: anonymous, or signed in by a phone code
export const citizen = {
  calculate: (body) => post(`${V1}/calculator`, body),
  progress: (caseNo, queryCode) => get(`${V1}/progress`, { case_no: caseNo, query_code: queryCode }),
  sendCode: (phone) => post(`${V1}/citizen/otp`, { phone }),
  signIn: (phone, code) => post(`${V1}/citizen/session`, { phone, code }, quiet),
  applications: () => get(`${V1}/citizen/applications`, null, quiet),
  apply: (body) => post(`${V1}/citizen/applications`, body, quiet),
}
