// SPDX-License-Identifier: MIT
// Names of the server's codes in both languages (relations, incomes,
// assets, decisions, actions). Unknown codes are shown as they are.
import { i18n } from './i18n.js'

const L = {
  relation: {
    applicant: ['申请人', 'Applicant'],
    spouse: ['配偶', 'Spouse'],
    child: ['子女', 'Child'],
    parent: ['父母', 'Parent'],
    grandparent: ['祖父母', 'Grandparent'],
    grandchild: ['孙子女', 'Grandchild'],
    sibling: ['兄弟姐妹', 'Sibling'],
    child_in_law: ['儿媳/女婿', 'Child-in-law'],
    other: ['其他', 'Other'],
  },
  income: {
    wages: ['工资性收入', 'Wages'],
    business: ['经营净收入', 'Business'],
    property: ['财产净收入', 'Property'],
    transfers_in: ['转移净收入', 'Transfers in'],
    transfers_out: ['赡养费支出', 'Transfers out'],
    rigid_deduction: ['刚性支出扣减', 'Rigid deduction'],
    ex_basic_pension: ['基础养老金（不计入）', 'Basic pension (exempt)'],
    ex_disability_subsidy: ['残疾人补贴（不计入）', 'Disability subsidy (exempt)'],
    ex_social_assistance: ['社会救助金（不计入）', 'Assistance (exempt)'],
  },
  asset: {
    deposit: ['存款', 'Deposits'],
    security: ['有价证券', 'Securities'],
    vehicle: ['机动车', 'Vehicle'],
    dwelling: ['住房', 'Dwelling'],
    shop: ['商铺', 'Shop'],
    company: ['企业', 'Company'],
  },
  decision: {
    eligible: ['符合', 'Eligible'],
    not_eligible: ['不符合', 'Not eligible'],
    ineligible: ['不符合', 'Not eligible'],
    review: ['需审核', 'To review'],
    approved: ['批准', 'Approved'],
    rejected: ['不予批准', 'Rejected'],
    approve: ['批准', 'Approved'],
    reject: ['不予批准', 'Rejected'],
    not_applicable: ['不适用', 'Not applicable'],
  },
  action: {
    accept: ['受理', 'Accept'],
    submit: ['提交', 'Submit'],
    approve: ['同意', 'Approve'],
    reject: ['不同意', 'Reject'],
    close: ['公示结束', 'Close publicity'],
    object: ['公示异议', 'Objection'],
    return: ['退回重新调查', 'Return'],
    notify: ['告知申请人', 'Notify'],
    terminate: ['终止', 'Terminate'],
    complete: ['材料补齐', 'Materials complete'],
    withdraw: ['撤回', 'Withdraw'],
    grant: ['先行救助', 'Grant first'],
    receive: ['接收', 'Accept referral'],
    answer: ['反馈结果', 'Send the result'],
    materials: ['补交材料', 'Materials'],
    decline: ['退回转办', 'Decline'],
    spot_check: ['记录抽查结果', 'Record the spot check'],
  },
  program: {
    dibao: ['最低生活保障', 'Dibao'],
    tekun: ['特困人员供养', 'Tekun'],
    tempaid: ['临时救助', 'Temporary aid'],
    disability: ['残疾人两项补贴', 'Disability subsidies'],
    children: ['困境儿童', 'Children'],
    lowincome: ['低收入认定', 'Low income'],
  },
  channel: { window: ['窗口', 'Window'], assistant: ['协理员代办', 'Assistant'], online: ['网上申请', 'Online'] },
  state: { open: ['办理中', 'Open'], paused: ['补正中', 'Paused'], closed: ['已办结', 'Closed'] },
  entitlement: {
    active: ['发放中', 'Active'],
    suspended: ['暂停发放', 'Suspended'],
    ended: ['已停发', 'Ended'],
    terminated: ['已停发', 'Terminated'],
    pending: ['待发放', 'Pending'],
  },
}

export function label(kind, code) {
  if (code === null || code === undefined || code === '') return '—'
  const row = (L[kind] || {})[code]
  if (!row) return String(code)
  return i18n.global.locale.value === 'en' ? row[1] : row[0]
}

// an action as the step names it: a department accepts a referral
// (接收), a window accepts an application (受理)
export function actionLabel(action, step) {
  if (action === 'accept' && (step === 'referred' || step === 'handling')) {
    return i18n.global.locale.value === 'en' ? 'Accept the referral' : '接收转办'
  }
  return label('action', action)
}

export function options(kind) {
  return Object.keys(L[kind] || {}).map((value) => ({ value, label: label(kind, value) }))
}

// the zh or en name of a record with name_zh/name_en
export function nameOf(o, base = 'name') {
  if (!o) return '—'
  return i18n.global.locale.value === 'en' ? o[`${base}_en`] || o[`${base}_zh`] : o[`${base}_zh`] || o[`${base}_en`]
}
