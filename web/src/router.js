// SPDX-License-Identifier: MIT
// Routes: staff screens under the layout (signed in), the sign-in page and
// the citizen portal under /citizen (anonymous or phone-signed).
import { createRouter, createWebHistory } from 'vue-router'
import { useSession } from './stores/session.js'
import { setUnauthorisedHandler } from './api.js'

const Layout = () => import('./views/Layout.vue')
// a staff screen of the menu: its route named as its menu entry
const screen = (path, component, meta) => ({ path, name: path, component, meta: { menu: path, ...meta } })

const routes = [
  { path: '/login', name: 'login', component: () => import('./views/Login.vue'), meta: { public: true } },
  {
    path: '/',
    component: Layout,
    children: [
      { path: '', name: 'dashboard', component: () => import('./views/Dashboard.vue') },
      screen('households', () => import('./views/Households.vue')),
      {
        path: 'households/:id',
        name: 'household',
        component: () => import('./views/HouseholdFile.vue'),
        meta: { menu: 'households' },
      },
      screen('intake', () => import('./views/Intake.vue')),
      screen('tasks', () => import('./views/Tasks.vue')),
      screen('referrals', () => import('./views/Tasks.vue'), { referrals: true }),
      { path: 'cases/:id', name: 'case', component: () => import('./views/CaseItem.vue') },
      { path: 'cases/:id/notice', name: 'notice', component: () => import('./views/NoticePrint.vue') },
      screen('caseload', () => import('./views/Caseload.vue')),
      {
        path: 'entitlements/:id',
        name: 'entitlement',
        component: () => import('./views/Entitlement.vue'),
        meta: { menu: 'caseload' },
      },
      screen('batches', () => import('./views/Batches.vue')),
      { path: 'batches/:id', name: 'batch', component: () => import('./views/Batch.vue'), meta: { menu: 'batches' } },
      screen('reviews', () => import('./views/Reviews.vue')),
      { path: 'reviews/:id', name: 'review', component: () => import('./views/Review.vue'), meta: { menu: 'reviews' } },
      screen('recoveries', () => import('./views/Recoveries.vue')),
      {
        path: 'recoveries/:id',
        name: 'recovery',
        component: () => import('./views/Recovery.vue'),
        meta: { menu: 'recoveries' },
      },
      screen('publicity', () => import('./views/Publicity.vue')),
      screen('policy', () => import('./views/Policy.vue')),
      screen('users', () => import('./views/Users.vue')),
      screen('audit', () => import('./views/Audit.vue')),
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
