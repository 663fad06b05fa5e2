// SPDX-License-Identifier: MIT
// The engine's explanation as lines in the current language: a list of
// {text_zh, text_en} lines, an object holding one (explanation, lines), or a
// whole assessment ({programs: [...]}, the program's own lines), as the
// assessment, the decision notice and the household history carry it.
import { pick } from './i18n.js'

export function explainLines(x, locale, program) {
  if (x === null || x === undefined || x === '') return []
  let v = x
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v)
    } catch {
      return [v]
    }
  }
  if (v && Array.isArray(v.programs)) {
    const p = v.programs.find((q) => q.program === program) || (v.programs.length === 1 ? v.programs[0] : null)
    return p ? explainLines(p.explanation, locale) : []
  }
  const list = Array.isArray(v)
    ? v
    : Array.isArray(v.explanation)
      ? v.explanation
      : Array.isArray(v.lines)
        ? v.lines
        : []
  return list.map((l) => (typeof l === 'string' ? l : pick(l.text_zh, l.text_en, locale))).filter(Boolean)
}

// an assessment program's explanation ({text_zh, text_en} lines) as one
// text in the language given ('zh' or 'en')
export function explainText(lines, locale) {
  return (lines || []).map((l) => l[`text_${locale}`]).join('\n')
}
