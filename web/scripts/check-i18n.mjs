// SPDX-License-Identifier: MIT
// Every message key of one language is in the other (npm run lint).
import { zh } from '../src/locales/zh.js'
import { en } from '../src/locales/en.js'

const keys = (o, p = '') =>
  Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, `${p}${k}.`) : [`${p}${k}`]))
const a = new Set(keys(zh))
const b = new Set(keys(en))
const onlyZh = [...a].filter((k) => !b.has(k))
const onlyEn = [...b].filter((k) => !a.has(k))
for (const k of onlyZh) console.error(`i18n: ${k} is in zh.js, not in en.js`)
for (const k of onlyEn) console.error(`i18n: ${k} is in en.js, not in zh.js`)
if (onlyZh.length || onlyEn.length) process.exit(1)
