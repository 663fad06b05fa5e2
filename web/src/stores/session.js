// SPDX-License-Identifier: MIT
// The signed-in staff user and the CSRF token; the menu each role sees.
import { defineStore } from 'pinia'
import { regions, session as sessionApi, setCsrfToken } from '../api.js'

// menu entries by role (the server decides; this only hides what a role
// could never open: 三权分立 keeps households from the sysadmin)
const MENUS = {
  village_assistant: ['dashboard', 'households', 'intake', 'tasks', 'caseload', 'publicity'],
  town_clerk: ['dashboard', 'households', 'intake', 'tasks', 'reviews', 'caseload', 'recoveries', 'publicity'],
  town_reviewer: ['dashboard', 'households', 'intake', 'tasks', 'reviews', 'caseload', 'recoveries', 'publicity'],
  county_officer: [
    'dashboard',
    'households',
    'intake',
    'tasks',
    'reviews',
    'caseload',
    'batches',
    'recoveries',
    'publicity',
  ],
  // the payments officer holds payment.read and payment.write only
  payments_officer: ['dashboard', 'batches'],
  dept_officer: ['dashboard', 'referrals'],
  city_supervisor: ['dashboard', 'households', 'caseload', 'batches', 'publicity', 'policy'],
  auditor: ['dashboard', 'households', 'caseload', 'batches', 'audit', 'policy'],
  sysadmin: ['dashboard', 'users'],
}

export const useSession = defineStore('session', {
  state: () => ({ user: null, expiresAt: null, loaded: false, notice: '', townVillage: '' }),
  getters: {
    role: (s) => (s.user ? s.user.role : ''),
    menu: (s) => (s.user ? MENUS[s.user.role] || ['dashboard'] : []),
    // the village a form starts on: the user's own, or a town's first
    // (looked up at sign-in: a town's codes need not start at 001)
    village: (s) => {
      const scope = (s.user && s.user.scope) || ''
      return /^\d{12}$/.test(scope) ? scope : /^\d{9}$/.test(scope) ? s.townVillage : ''
    },
  },
  actions: {
    set(data) {
      this.user = data.user || null
      this.expiresAt = data.expires_at || null
      setCsrfToken(data.csrf_token)
      this.loaded = true
      sessionStorage.setItem('doudi.signed', '1')
    },
    // a town user's first village (reference data; none when it fails)
    async findTownVillage() {
      const scope = (this.user && this.user.scope) || ''
      this.townVillage = ''
      if (!/^\d{9}$/.test(scope)) return
      const r = await regions.children(scope, 1).catch(() => null)
      this.townVillage = (r && r.items && r.items[0] && r.items[0].code) || ''
    },
    clear(notice) {
      this.user = null
      this.expiresAt = null
      setCsrfToken('')
      this.loaded = true
      sessionStorage.removeItem('doudi.signed')
      if (notice) this.notice = notice
    },
    async load() {
      // ask the server only when this tab signed in: an anonymous first
      // visit goes straight to the sign-in page without a 401
      if (!sessionStorage.getItem('doudi.signed')) {
        this.clear()
        return null
      }
      try {
        this.set(await sessionApi.get())
      } catch {
        this.clear()
      }
      await this.findTownVillage()
      return this.user
    },
    async login(username, password) {
      const data = await sessionApi.create(username, password)
      this.notice = ''
      this.set(data)
      await this.findTownVillage()
    },
    async logout() {
      try {
        await sessionApi.remove()
      } finally {
        this.clear()
      }
    },
    can(entry) {
      return this.menu.includes(entry)
    },
  },
})
