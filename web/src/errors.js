// SPDX-License-Identifier: MIT
// Every API error shown next to its field: a form keeps a map from the
// envelope's field (a JSON path such as members[1].id_number, or a query
// parameter) to the message in the current language; an error naming no
// field known to the form is shown in the form's general line. attempt()
// runs a request with that done for it.
import { reactive, ref } from 'vue'
import { i18n } from './i18n.js'
import { ApiError } from './api.js'

export function useErrors() {
  const fields = reactive({})
  const general = ref('')
  function clear() {
    for (const k of Object.keys(fields)) delete fields[k]
    general.value = ''
  }
  function show(err, known) {
    clear()
    const loc = i18n.global.locale.value
    const text = err instanceof ApiError ? err.text(loc) : String(err && err.message ? err.message : err)
    if (
      err instanceof ApiError &&
      err.field &&
      (!known || known.some((k) => err.field === k || err.field.startsWith(k)))
    ) {
      fields[err.field] = text
      // also under the bare last segment, for simple forms
      const bare = err.field.replace(/^.*[.\]]/, '')
      if (bare && !fields[bare]) fields[bare] = text
      if (!known) general.value = text
    } else {
      general.value = text
    }
  }
  function of(name) {
    return fields[name] || ''
  }
  // clear, run fn (busy, a ref, true meanwhile) and give its value; an
  // error is shown (by its field among known) and gives undefined
  async function attempt(fn, known, busy) {
    clear()
    if (busy) busy.value = true
    try {
      return await fn()
    } catch (e) {
      show(e, known)
    } finally {
      if (busy) busy.value = false
    }
  }
  return { fields, general, clear, show, of, attempt }
}

// an error as the text to show in the current language
export function errorText(e) {
  return e && e.text ? e.text(i18n.global.locale.value) : String(e)
}

// a page's load: loading true while run(fn) runs, its error's text in error
export function useLoad() {
  const loading = ref(false)
  const error = ref('')
  async function run(fn) {
    loading.value = true
    error.value = ''
    try {
      return await fn()
    } catch (e) {
      error.value = errorText(e)
    } finally {
      loading.value = false
    }
  }
  return { loading, error, run }
}

// a list paged by cursor: page(true) loads the first page, page(false) adds
// the next one to rows; next is the cursor of the page after (none: null)
export function useCursor(fetch) {
  const rows = ref([])
  const next = ref(null)
  async function page(fresh) {
    const r = await fetch(fresh ? null : next.value)
    rows.value = fresh ? r.items : rows.value.concat(r.items)
    next.value = r.next_cursor
  }
  return { rows, next, page }
}
