// SPDX-License-Identifier: MIT
// The API client: same-origin fetch with the session cookie, the CSRF token
// on every write, and errors turned into ApiError (status, code, field and
// the Chinese and English messages of the server's envelope).
import { ref } from 'vue'

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
    if (
      (this.status === 409 && this.code === 'VERSION_CONFLICT') ||
      (this.code === 'CONFLICT' && this.status === 409)
    ) {
      return locale === 'en'
        ? 'Someone else changed this record first. Reload it and try again.'
        : '该记录已被他人先行修改，请刷新后重试。'
    }
    if (this.status === 0) {
      return locale === 'en' ? 'The server cannot be reached.' : '无法连接服务器。'
    }
    return locale === 'en' ? this.messageEn || this.messageZh : this.messageZh || this.messageEn
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

export async function request(method, path, { body, params, headers, raw, quiet401 } = {}) {
  const h = { Accept: 'application/json', ...(headers || {}) }
  if (body !== undefined) h['Content-Type'] = 'application/json'
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) h['X-CSRF-Token'] = csrfToken
  let resp
  try {
    resp = await fetch(path + query(params), {
      method,
      headers: h,
      credentials: 'same-origin',
      body: body !== undefined ? JSON.stringify(body) : undefined,
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

export const api = {
  get: (path, params, opts) => request('GET', path, { params, ...(opts || {}) }),
  post: (path, body, opts) => request('POST', path, { body, ...(opts || {}) }),
  put: (path, body, opts) => request('PUT', path, { body, ...(opts || {}) }),
  patch: (path, body, opts) => request('PATCH', path, { body, ...(opts || {}) }),
  del: (path, opts) => request('DELETE', path, opts || {}),
}
