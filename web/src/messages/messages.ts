import { defineMessages } from '../i18n/messages.ts';

/** The message outbox (消息记录): English and 简体中文, the same keys in both (typecheck). */
export const outboxMessages = defineMessages({
  en: {
    'nav.messages': 'Messages',
    'outbox.title': 'Messages to customers (消息记录)',
    'outbox.localTitle': 'Local outbox: what would have been sent',
    'outbox.localNote':
      'This environment sends no texts: each message is recorded as sent by the local outbox, exactly as it would have gone out.',
    'outbox.none': 'No messages yet.',
    'outbox.filter': 'Status',
    'outbox.all': 'All',
    'outbox.time': 'Queued',
    'outbox.to': 'To',
    'outbox.template': 'Message',
    'outbox.text': 'Text',
    'outbox.status': 'Status',
    'outbox.deferred': 'held for quiet hours until {time}',
    messageStatuses: { queued: 'Queued', sent: 'Sent', failed: 'Failed', suppressed: 'Not sent' },
    messageReasons: {
      no_consent: 'no consent to messages',
      too_late: 'too late to be useful',
      cancelled: 'cancelled',
    },
    messageTemplates: {
      'appointment.confirmed': 'Booking confirmed',
      'appointment.reminderDay': 'Reminder, day before',
      'appointment.reminderHour': 'Reminder, hour before',
      'appointment.requested': 'Booking request received',
      'booking.code': 'Booking code',
    },
  },
  'zh-CN': {
    'nav.messages': '消息',
    'outbox.title': '消息记录',
    'outbox.localTitle': '本地发件箱：本应发送的消息',
    'outbox.localNote': '本环境不发送短信：每条消息由本地发件箱记为已发送，内容与实际发送时完全一致。',
    'outbox.none': '还没有消息。',
    'outbox.filter': '状态',
    'outbox.all': '全部',
    'outbox.time': '排队时间',
    'outbox.to': '收件人',
    'outbox.template': '消息类型',
    'outbox.text': '内容',
    'outbox.status': '状态',
    'outbox.deferred': '免打扰时段，推迟至 {time}',
    messageStatuses: { queued: '待发送', sent: '已发送', failed: '发送失败', suppressed: '未发送' },
    messageReasons: { no_consent: '客户未同意接收短信', too_late: '已过时效', cancelled: '已取消' },
    messageTemplates: {
      'appointment.confirmed': '预约确认',
      'appointment.reminderDay': '预约提醒（提前一天）',
      'appointment.reminderHour': '预约提醒（提前一小时）',
      'appointment.requested': '预约申请回执',
      'booking.code': '预约验证码',
    },
  },
});
