// SPDX-License-Identifier: MIT
// Chinese by default, English by the switch (kept in localStorage). Every
// text of the UI is a vue-i18n message (locales/zh.js, locales/en.js); the
// helpers below name the server's codes from those messages (code.*) and
// pick the zh or en half of what the server sends in both languages.
import { createI18n } from 'vue-i18n'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import elEn from 'element-plus/es/locale/lang/en'
import { zh } from './locales/zh.js'
import { en } from './locales/en.js'

const saved = typeof localStorage !== 'undefined' ? localStorage.getItem('doudi.lang') : null

export const i18n = createI18n({
  legacy: false,
  locale: saved === 'en' ? 'en' : 'zh',
  fallbackLocale: 'zh',
  messages: { zh, en },
})

// the messages and the language, for scripts and templates alike (what a
// component's useI18n() gives: these components have no messages of their own)
export const { t, locale } = i18n.global
const { te } = i18n.global
const current = () => i18n.global.locale.value

// Element Plus's own texts (date pickers, tables) in the same language
export const elementLocales = { zh: zhCn, en: elEn }

export function toggleLocale() {
  const l = current() === 'en' ? 'zh' : 'en'
  i18n.global.locale.value = l
  localStorage.setItem('doudi.lang', l)
  document.documentElement.lang = l === 'en' ? 'en' : 'zh-CN'
}

// A server's code by its name (code.<kind>.<code>): relations, incomes,
// assets, decisions, actions, programs, channels, states, levels …;
// an unknown code is shown as it is, none as a dash.
export function label(kind, code) {
  if (code === null || code === undefined || code === '') return '—'
  const key = `code.${kind}.${code}`
  return te(key) ? t(key) : String(code)
}

// the codes of a kind with their names, for a select
export function options(kind) {
  return Object.keys(i18n.global.getLocaleMessage(current()).code[kind] || {}).map((value) => ({
    value,
    label: label(kind, value),
  }))
}

// an action as the step names it: a department accepts a referral
// (接收转办), a window accepts an application (受理)
export function actionLabel(action, step) {
  if (action === 'accept' && (step === 'referred' || step === 'handling')) return t('cs.acceptReferral')
  return label('action', action)
}

// the half of a zh/en pair for the current language (or the one given),
// the other half when this one is empty
export function pick(zhText, enText, locale = current()) {
  return locale === 'en' ? enText || zhText : zhText || enText
}

// the zh or en name of a record with name_zh/name_en (or base_zh/base_en)
export function nameOf(o, base = 'name') {
  if (!o) return '—'
  return pick(o[`${base}_zh`], o[`${base}_en`])
}
