import { defineMessages } from '../i18n/messages.ts';

/** The front desk's look-up (前台查询): English and 简体中文, the same keys in both (typecheck). */
export const searchMessages = defineMessages({
  en: {
    'search.label': 'Plate, VIN, phone or customer name',
    'search.placeholder': 'e.g. 京A12345 · last 6 of VIN · 13800138000 · 王',
    'search.submit': 'Search',
    'search.help': 'Type a plate (车牌号), a VIN (17 characters or its last 6), a phone number or a name.',
    'search.detected': 'Will search by {kind}',
    'search.searchAs': 'Search as',
    'search.results': 'Results',
    'search.searching': 'Searching…',
    'search.count': '{n} found',
    'search.none': 'Nothing found for “{q}”.',
    'search.invalid': 'That is not a valid search: {kind}',
    'search.hint.plate': 'give the whole plate, e.g. 京A12345.',
    'search.hint.vin': 'give all 17 characters of the VIN or its last 6.',
    'search.hint.phone': 'give at least 5 digits of the phone number.',
    'search.hint.name': 'give the start of the name.',
    'search.phoneNotAllowed':
      'Your role sees phone numbers masked, so it cannot look customers up by phone: search by name, plate or VIN.',
    'search.registerWithPlate': 'Register a vehicle with this plate',
    'search.registerWithVin': 'Register a vehicle with this VIN',
    'search.recent': 'Recently served',
    'search.recentNone': 'No vehicles served recently.',

    searchKinds: { plate: 'plate', vin: 'VIN', phone: 'phone', name: 'name' },
  },
  'zh-CN': {
    'search.label': '车牌号、车架号/VIN、电话或客户姓名',
    'search.placeholder': '例如 京A12345 · 车架号后6位 · 13800138000 · 王',
    'search.submit': '查询',
    'search.help': '可输入车牌号、车架号（17位或后6位）、电话号码或客户姓名。',
    'search.detected': '将按{kind}查询',
    'search.searchAs': '查询方式',
    'search.results': '查询结果',
    'search.searching': '查询中…',
    'search.count': '共 {n} 条',
    'search.none': '未找到“{q}”的相关记录。',
    'search.invalid': '查询条件无效：{kind}',
    'search.hint.plate': '请输入完整车牌号，如 京A12345。',
    'search.hint.vin': '请输入完整的17位车架号或其后6位。',
    'search.hint.phone': '请至少输入5位电话号码。',
    'search.hint.name': '请输入姓名的开头。',
    'search.phoneNotAllowed':
      '您的角色只能看到部分电话号码，不能按电话查询客户：请按姓名、车牌号或车架号查询。',
    'search.registerWithPlate': '用此车牌号登记车辆',
    'search.registerWithVin': '用此车架号登记车辆',
    'search.recent': '最近服务车辆',
    'search.recentNone': '暂无最近服务的车辆。',

    searchKinds: { plate: '车牌号', vin: '车架号', phone: '电话', name: '客户姓名' },
  },
});
