// SPDX-License-Identifier: MIT
// Routes: staff screens under the layout (signed in), the sign-in page and
// the citizen portal under /citizen (anonymous or phone-signed).
import { createRouter, createWebHistory } from 'vue-router'
import { useSession } from './stores/session.js'
import { setUnauthorisedHandler } from './api.js'

const Layout = () => import('./views/Layout.vue')

const routes = [
  { path: '/login', name: 'login', component: () => import('./views/Login.vue'), meta: { public: true } },
  {
    path: '/',
    component: Layout,
    children: [
      { path: '', name: 'dashboard', component: () => import('./views/Dashboard.vue') },
      {
        path: 'households',
        name: 'households',
        component: () => import('./views/Households.vue'),
        meta: { menu: 'households' },
      },
      {
        path: 'households/:id',
        name: 'household',
        component: () => import('./views/HouseholdFile.vue'),
        meta: { menu: 'households' },
      },
      { path: 'intake', name: 'intake', component: () => import('./views/Intake.vue'), meta: { menu: 'intake' } },
      { path: 'tasks', name: 'tasks', component: () => import('./views/Tasks.vue'), meta: { menu: 'tasks' } },
      {
        path: 'referrals',
        name: 'referrals',
        component: () => import('./views/Tasks.vue'),
        meta: { menu: 'referrals', referrals: true },
      },
      { path: 'cases/:id', name: 'case', component: () => import('./views/CaseItem.vue') },
      { path: 'cases/:id/notice', name: 'notice', component: () => import('./views/NoticePrint.vue') },
      {
        path: 'publicity',
        name: 'publicity',
        component: () => import('./views/Publicity.vue'),
        meta: { menu: 'publicity' },
      },
      { path: 'policy', name: 'policy', component: () => import('./views/Policy.vue'), meta: { menu: 'policy' } },
      { path: 'users', name: 'users', component: () => import('./views/Users.vue'), meta: { menu: 'users' } },
      { path: 'audit', name: 'audit', component: () => import('./views/Audit.vue'), meta: { menu: 'audit' } },
    ],
  },
  {
    path: '/citizen',
    component: () => import('./citizen/CitizenLayout.vue'),
    meta: { public: true },
    children: [
      { path: '', name: 'selfcheck', component: () => import('./citizen/SelfCheck.vue'), meta: { public: true } },
      { path: 'apply', name: 'apply', component: () => import('./citizen/Apply.vue'), meta: { public: true } },
      { path: 'progress', name: 'progress', component: () => import('./citizen/Progress.vue'), meta: { public: true } },
    ],
  },
  { path: '/:rest(.*)*', redirect: '/' },
]

export const router = createRouter({ history: createWebHistory(), routes })

router.beforeEach(async (to) => {
  if (to.meta.public) return true
  const s = useSession()
  if (!s.loaded || !s.user) await s.load()
  if (!s.user) return { name: 'login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
  if (to.meta.menu && !s.can(to.meta.menu)) return { name: 'dashboard' }
  return true
})

// a 401 on any staff request: back to sign-in with the reason
setUnauthorisedHandler((err) => {
  const s = useSession()
  const cur = router.currentRoute.value
  if (cur.meta.public) return
  s.clear(err.code === 'SESSION_EXPIRED' ? 'expired' : 'signin')
  router.push({ name: 'login', query: { next: cur.fullPath } })
})
