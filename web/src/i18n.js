// SPDX-License-Identifier: MIT
// Chinese by default, English by the switch (kept in localStorage).
import { createI18n } from 'vue-i18n'

const zh = {
  app: { name: '兜底', title: '社会救助信息系统', lang: 'English', signout: '退出登录', citizen: '群众服务' },
  login: {
    title: '工作人员登录', username: '用户名', password: '密码', submit: '登录',
    expired: '登录已过期，请重新登录。', signin: '请先登录。', citizen: '群众自助服务（低保测算、在线申请、进度查询）',
  },
  menu: {
    dashboard: '工作台', households: '家庭档案', intake: '一门受理', tasks: '待办', referrals: '转办',
    publicity: '公示', policy: '政策参数', users: '用户管理', audit: '审计日志',
  },
  role: {
    village_assistant: '村（社区）协理员', town_clerk: '乡镇（街道）受理员', town_reviewer: '乡镇（街道）审核员',
    county_officer: '区县民政局', dept_officer: '部门经办', city_supervisor: '市民政局', auditor: '审计', sysadmin: '系统管理员',
  },
  common: {
    search: '查询', reset: '重置', save: '保存', cancel: '取消', submit: '提交', next: '下一步', prev: '上一步',
    add: '添加', remove: '删除', open: '打开', print: '打印', refresh: '刷新', none: '暂无数据', yuan: '元',
    loading: '加载中…', actions: '操作', status: '状态', date: '日期', region: '地区', amount: '金额', saved: '已保存',
    yes: '是', no: '否', back: '返回', close: '关闭', detail: '详情',
  },
  dash: {
    mytasks: '我的待办（按期限）', overdue: '已逾期', warning: '即将到期', today: '今日受理', kpi: '运行指标',
    applications: '申请数', approvals: '批准数', ontime: '按时办结率', online: '网上申请率', visits: '平均跑动次数',
    bydistrict: '各区县申请与批准', trend: '月度趋势', noKpi: '指标暂不可用', period: '统计期', welcome: '欢迎',
    sysadmin: '系统管理员只管理账号与系统，不接触家庭与个人数据（三权分立）。',
  },
  hh: {
    search: '按身份证号或地区查询', idNumber: '身份证号', regionPrefix: '地区代码前缀', id: '档案号', address: '地址',
    region: '居住地', hukou: '户籍地', members: '家庭成员', incomes: '收入', assets: '财产', assessments: '救助测算',
    entitlements: '救助待遇', cases: '办件', name: '姓名', relation: '与申请人关系', sex: '性别', birth: '出生日期',
    assess: '按日期测算', asOf: '测算日期', urbanRural: '城乡标准', status: '状态', version: '版本', kind: '类别',
    monthly: '月收入（元）', value: '价值（元）', owner: '所有人', joint: '共有', program: '项目', eligible: '是否符合',
    explanation: '测算说明',
    closedOn: '办结日期', endMonth: '终止月份', decided: '历次核定', noExplanation: '该决定未保存测算说明',
  },
  intake: {
    title: '一门受理', s1: '查找或新建家庭', s2: '家庭成员', s3: '收入与财产', s4: '选择事项', s5: '材料告知', s6: '提交与回执',
    find: '查找', found: '已找到家庭档案', notFound: '未找到，请新建家庭', create: '新建家庭', addMember: '添加成员',
    addIncome: '添加收入', addAsset: '添加财产', saveHousehold: '保存家庭', items: '申请事项', channel: '受理渠道',
    window: '窗口受理', assistant: '协理员代办', materials: '已收材料', preview: '预审', proposals: '系统发现可能符合的事项',
    missing: '一次性告知：尚缺材料', noMissing: '材料齐全', submit: '提交受理', receipt: '受理回执', caseNo: '受理编号',
    queryCode: '查询码', printReceipt: '打印回执', assessed: '预测算结果', newIntake: '受理下一件',
    queryCodeOnce: '查询码只显示这一次，请告知申请人。',
  },
  task: {
    title: '待办', refTitle: '转办', caseNo: '受理编号', item: '事项', step: '当前环节', deadline: '期限', left: '剩余工作日',
    overdue: '已逾期', warn: '即将到期', supervising: '督办', open: '办理', days: '{n} 个工作日', all: '全部', accepted: '受理日期', picked: '已选 {n} 件', batchRun: '批量办理', batchConfirm: '对所选 {n} 件办件执行“{action}”？每件单独办理并记录。', batchDone: '办理完成 {ok} 件，未完成 {failed} 件',
  },
  cs: {
    title: '办件', timeline: '办理过程', used: '已用工作日', allowed: '法定工作日', left: '剩余工作日', actor: '经办人',
    when: '时间', action: '动作', from: '从', to: '到', reasons: '理由', investigators: '调查人员（至少两人，逗号分隔）',
    opinion: '意见', note: '备注', result: '办理结果', amount: '金额（元）', decision: '决定', notice: '决定通知书',
    referral: '转办', entitlement: '救助待遇', act: '提交', version: '版本', engineAmount: '核定金额（月）', visits: '跑动次数', spotResult: '抽查结果', checker: '抽查人员', spotPending: '本件为抽查对象（特困人员认定办法第十六条）：须先记录抽查结果，方可提交决定。',
    dept: '承办部门', sent: '转出', acceptedAt: '接收', answered: '反馈', startMonth: '起始月份',
    conflict: '该办件已被他人先行处理，请刷新后重试。', objection: '公示异议',
  },
  pub: { title: '公示', village: '村（社区）代码', name: '姓名', size: '家庭人口', amount: '月救助金额（元）', pending: '待审批确定', days: '公示期', print: '打印公示' },
  pol: {
    title: '政策参数', asOf: '生效日期', key: '参数', value: '数值', region: '地区', from: '生效起', source: '依据',
    addVersion: '新增版本', history: '历史版本', unit: '单位',
  },
  users: {
    title: '用户管理', username: '用户名', display: '姓名', role: '角色', scope: '管辖范围', department: '部门',
    locked: '锁定', disabled: '停用', create: '新建用户', password: '初始密码', unlock: '解锁',
  },
  audit: { title: '审计日志', actor: '操作人', action: '操作', object: '对象', at: '时间', detail: '内容', verify: '哈希链' },
  cz: {
    portal: '群众自助服务', selfcheck: '低保自助测算', apply: '在线申请', progress: '进度查询', staff: '工作人员入口',
    members: '家庭人口', memberAge: '年龄', income: '家庭月收入（元）', deposit: '存款（元）', county: '户籍区县',
    area: '城乡', urban: '城镇', rural: '农村', calc: '测算', result: '测算结果', likely: '可能符合', unlikely: '可能不符合',
    monthly: '预计每月救助金额', disclaimer: '测算结果仅供参考，以审核审批为准。', phone: '手机号', code: '验证码',
    sendCode: '获取验证码', signin: '验证登录', idNumber: '申请人身份证号', items: '申请事项', submit: '提交申请',
    caseNo: '受理编号', queryCode: '查询码', query: '查询', signedAs: '已登录', codeSent: '验证码已发送',
    demoCode: '演示环境：验证码见服务器日志', applied: '申请已提交',
    notice: '决定通知', monthlyAmount: '每月救助金额', mine: '我的申请', mineNone: '暂无申请记录',
  },
}

const en = {
  app: { name: 'Doudi', title: 'Social assistance information system', lang: '中文', signout: 'Sign out', citizen: 'Citizens' },
  login: {
    title: 'Staff sign-in', username: 'Username', password: 'Password', submit: 'Sign in',
    expired: 'Your session has expired. Please sign in again.', signin: 'Please sign in.', citizen: 'Citizen self-service (self-check, apply online, progress)',
  },
  menu: {
    dashboard: 'Dashboard', households: 'Households', intake: 'One-door intake', tasks: 'Tasks', referrals: 'Referrals',
    publicity: 'Publicity', policy: 'Policy parameters', users: 'Users', audit: 'Audit log',
  },
  role: {
    village_assistant: 'Village assistant', town_clerk: 'Township clerk', town_reviewer: 'Township reviewer',
    county_officer: 'County officer', dept_officer: 'Department officer', city_supervisor: 'City bureau', auditor: 'Auditor', sysadmin: 'System administrator',
  },
  common: {
    search: 'Search', reset: 'Reset', save: 'Save', cancel: 'Cancel', submit: 'Submit', next: 'Next', prev: 'Back',
    add: 'Add', remove: 'Remove', open: 'Open', print: 'Print', refresh: 'Refresh', none: 'No data', yuan: 'yuan',
    loading: 'Loading…', actions: 'Actions', status: 'Status', date: 'Date', region: 'Region', amount: 'Amount', saved: 'Saved',
    yes: 'Yes', no: 'No', back: 'Back', close: 'Close', detail: 'Detail',
  },
  dash: {
    mytasks: 'My tasks by deadline', overdue: 'Overdue', warning: 'Due soon', today: "Today's intake", kpi: 'Indicators',
    applications: 'Applications', approvals: 'Approvals', ontime: 'On-time rate', online: 'Online rate', visits: 'Visits per case',
    bydistrict: 'Applications and approvals by district', trend: 'Monthly trend', noKpi: 'Indicators unavailable', period: 'Period', welcome: 'Welcome',
    sysadmin: 'The system administrator manages accounts only and sees no household or personal data.',
  },
  hh: {
    search: 'Search by ID number or region', idNumber: 'ID number', regionPrefix: 'Region code prefix', id: 'File no.', address: 'Address',
    region: 'Residence', hukou: 'Hukou', members: 'Members', incomes: 'Incomes', assets: 'Assets', assessments: 'Assessments',
    entitlements: 'Entitlements', cases: 'Cases', name: 'Name', relation: 'Relation', sex: 'Sex', birth: 'Birth date',
    assess: 'Assess on a date', asOf: 'As of', urbanRural: 'Standard', status: 'Status', version: 'Version', kind: 'Kind',
    monthly: 'Monthly (yuan)', value: 'Value (yuan)', owner: 'Owner', joint: 'Joint', program: 'Program', eligible: 'Eligible',
    explanation: 'Explanation',
    closedOn: 'Closed on', endMonth: 'End month', decided: 'Decisions', noExplanation: 'No explanation kept for this decision',
  },
  intake: {
    title: 'One-door intake', s1: 'Find or create', s2: 'Members', s3: 'Incomes and assets', s4: 'Items', s5: 'Missing materials', s6: 'Submit and receipt',
    find: 'Find', found: 'Household found', notFound: 'Not found: create the household', create: 'New household', addMember: 'Add member',
    addIncome: 'Add income', addAsset: 'Add asset', saveHousehold: 'Save household', items: 'Items applied for', channel: 'Channel',
    window: 'Window', assistant: 'Assistant', materials: 'Materials received', preview: 'Pre-assess', proposals: 'Items the system finds likely',
    missing: 'One-time notice: missing materials', noMissing: 'Materials complete', submit: 'File the application', receipt: 'Receipt', caseNo: 'Case number',
    queryCode: 'Query code', printReceipt: 'Print receipt', assessed: 'Pre-assessment', newIntake: 'Next intake',
    queryCodeOnce: 'The query code is shown only once: give it to the applicant.',
  },
  task: {
    title: 'Tasks', refTitle: 'Referrals', caseNo: 'Case number', item: 'Item', step: 'Step', deadline: 'Deadline', left: 'Working days left',
    overdue: 'Overdue', warn: 'Due soon', supervising: 'Supervising', open: 'Open', days: '{n} working days', all: 'All', accepted: 'Accepted', picked: '{n} selected', batchRun: 'Act on the selected', batchConfirm: 'Take “{action}” on the {n} selected cases? Each is acted on and recorded on its own.', batchDone: '{ok} done, {failed} not done',
  },
  cs: {
    title: 'Case', timeline: 'Timeline', used: 'Working days used', allowed: 'Working days allowed', left: 'Working days left', actor: 'Actor',
    when: 'When', action: 'Action', from: 'From', to: 'To', reasons: 'Reasons', investigators: 'Investigators (two or more, comma-separated)',
    opinion: 'Opinion', note: 'Note', result: 'Result', amount: 'Amount (yuan)', decision: 'Decision', notice: 'Decision notice',
    referral: 'Referral', entitlement: 'Entitlement', act: 'Submit', version: 'Version', engineAmount: 'Monthly amount', visits: 'In-person visits', spotResult: 'Spot-check finding', checker: 'Checked by', spotPending: 'This case is in the spot-check sample (tekun rules Art. 16): record the spot check before submitting it for decision.',
    dept: 'Department', sent: 'Sent', acceptedAt: 'Accepted', answered: 'Answered', startMonth: 'From',
    conflict: 'Someone else changed this case first. Reload and try again.', objection: 'Objection',
  },
  pub: { title: 'Publicity', village: 'Village code', name: 'Name', size: 'Household size', amount: 'Monthly amount (yuan)', pending: 'Set on approval', days: 'Period', print: 'Print' },
  pol: {
    title: 'Policy parameters', asOf: 'As of', key: 'Key', value: 'Value', region: 'Region', from: 'Effective from', source: 'Source',
    addVersion: 'Add a version', history: 'History', unit: 'Unit',
  },
  users: {
    title: 'Users', username: 'Username', display: 'Name', role: 'Role', scope: 'Scope', department: 'Department',
    locked: 'Locked', disabled: 'Disabled', create: 'New user', password: 'Initial password', unlock: 'Unlock',
  },
  audit: { title: 'Audit log', actor: 'Actor', action: 'Action', object: 'Object', at: 'When', detail: 'Detail', verify: 'Hash chain' },
  cz: {
    portal: 'Citizen self-service', selfcheck: 'Self-check', apply: 'Apply online', progress: 'Progress', staff: 'Staff',
    members: 'Household size', memberAge: 'Age', income: 'Monthly income (yuan)', deposit: 'Savings (yuan)', county: 'Hukou county',
    area: 'Urban or rural', urban: 'Urban', rural: 'Rural', calc: 'Check', result: 'Result', likely: 'Likely eligible', unlikely: 'Likely not eligible',
    monthly: 'Indicative monthly amount', disclaimer: 'Indicative only; the review decides.', phone: 'Mobile number', code: 'Code',
    sendCode: 'Send code', signin: 'Verify', idNumber: "Applicant's ID number", items: 'Items', submit: 'Apply',
    caseNo: 'Case number', queryCode: 'Query code', query: 'Query', signedAs: 'Signed in', codeSent: 'Code sent',
    demoCode: 'Demo: the code is in the server log', applied: 'Application filed',
    notice: 'Decision notice', monthlyAmount: 'Monthly amount', mine: 'My applications', mineNone: 'No applications yet',
  },
}

const saved = typeof localStorage !== 'undefined' ? localStorage.getItem('doudi.lang') : null

export const i18n = createI18n({
  legacy: false,
  locale: saved === 'en' ? 'en' : 'zh',
  fallbackLocale: 'zh',
  messages: { zh, en },
})

export function toggleLocale() {
  const l = i18n.global.locale.value === 'en' ? 'zh' : 'en'
  i18n.global.locale.value = l
  localStorage.setItem('doudi.lang', l)
  document.documentElement.lang = l === 'en' ? 'en' : 'zh-CN'
}
