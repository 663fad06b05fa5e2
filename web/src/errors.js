// SPDX-License-Identifier: MIT
// Every API error shown next to its field: a form keeps a map from the
// envelope's field (a JSON path such as members[1].id_number, or a query
// parameter) to the message in the current language; an error naming no
// field known to the form is shown in the form's general line.
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
  return { fields, general, clear, show, of }
}
