import { defineMessages } from '../i18n/messages.ts';

/** The group overview (集团看板): English and 简体中文, the same keys in both (typecheck). */
export const hqMessages = defineMessages({
  en: {
    'nav.hqHome': 'Group overview',

    'hq.title': 'Group overview',
    'hq.subtitle': '{group} · figures per store, served in the 30 days to {day}',
    'hq.storesTitle': 'Stores',
    'hq.store': 'Store',
    'hq.total': 'Group total',
    'hq.note':
      'Updated as stores work (within about a minute). “Served” counts vehicle services on each of the last 30 days; failed rows are CSV rows an import could not take. The no-show rate is no-shows over bookings kept and missed in those 30 days (— when there were none); the group’s is from its summed bookings.',
    'hq.noStores': 'This group has no stores yet.',
    'hq.showByRole': 'Show {group} by role',
    'hq.hideByRole': 'Hide {group} by role',
    'hq.download': 'Download every figure (CSV)',
    'hq.notAllowed': 'You cannot open this group’s overview.',
  },
  'zh-CN': {
    'nav.hqHome': '集团看板',

    'hq.title': '集团看板',
    'hq.subtitle': '{group} · 各门店数据，进厂台次统计至 {day} 的近 30 天',
    'hq.storesTitle': '门店',
    'hq.store': '门店',
    'hq.total': '集团合计',
    'hq.note':
      '随门店业务自动更新（约一分钟内）。“近 30 天进厂”为近 30 天每天的车辆进厂台次之和；导入错误行为导入时未能导入的 CSV 行。爽约率为近 30 天爽约数占到店与爽约预约之和的比例（无预约时显示“—”），集团合计按各店预约数之和计算。',
    'hq.noStores': '该集团尚无门店。',
    'hq.showByRole': '按岗位展开{group}',
    'hq.hideByRole': '收起按岗位的{group}',
    'hq.download': '下载全部数据（CSV）',
    'hq.notAllowed': '您无权查看该集团看板。',
  },
});
