// SPDX-License-Identifier: MIT
// The text of the printed documents (the decision notice, the 公示 sheet):
// Chinese whatever the switch, so zh.js and en.js both take it from here.
export const doc = {
  publicityTitle: '{village} 社会救助公示',
  publicityObjection: '公示期内如有异议，请向乡镇（街道）或区县民政部门反映。',
  noticeTitle: '{item}决定通知书',
  caseNo: '受理编号',
  applicant: '申请人',
  householdSize: '（家庭人口 {n} 人）',
  item: '事项',
  decision: '决定',
  approved: '批准',
  rejected: '不予批准',
  monthly: '月发放金额',
  oneOff: '发放金额（一次性）',
  yuan: '元',
  startMonth: '起始月份',
  reasons: '理由',
  explanation: '核定说明',
  appeal: '如对本决定不服，可依法申请行政复议或提起行政诉讼。',
}
