import { AppError } from '../platform/errors.ts';
import { maskPhone } from '../platform/text.ts';
import type {
  MessageLocale,
  MessageParams,
  MessagePurpose,
  MessageTemplate,
  MessageView,
  OutboundMessage,
  SuppressionReason,
} from './model.ts';

/** The store as a text names it: its name, and its zone for the times in it. */
export interface MessageStore {
  name: string;
  timeZone: string;
}

type Render = (p: Readonly<Record<string, string>>, store: string) => string;

interface TemplateDeclaration {
  purpose: MessagePurpose;
  /** Parameters the text needs; those named `at` are instants, rendered store-local. */
  params: readonly string[];
  text: Record<MessageLocale, Render>;
}

/**
 * 短信模板: short texts (one SMS segment where the store name allows), the store's name first as
 * Chinese carriers require (【签名】). A Chinese provider's registered template ids would map from these keys.
 */
export const MESSAGE_TEMPLATES: Record<MessageTemplate, TemplateDeclaration> = {
  'appointment.confirmed': {
    purpose: 'service',
    params: ['at'],
    text: {
      'zh-CN': (p, s) => `【${s}】您的预约已确认：${p.at}。如需改期请致电门店。`,
      en: (p, s) => `${s}: your service appointment is confirmed for ${p.at}. Call us to reschedule.`,
    },
  },
  'appointment.reminderDay': {
    purpose: 'service',
    params: ['at'],
    text: {
      'zh-CN': (p, s) => `【${s}】温馨提醒：您预约了明天 ${p.at} 到店保养，请携带行驶证。`,
      en: (p, s) => `${s}: a reminder of your appointment tomorrow, ${p.at}. Please bring your registration.`,
    },
  },
  'appointment.reminderHour': {
    purpose: 'service',
    params: ['at'],
    text: {
      'zh-CN': (p, s) => `【${s}】提醒：您的预约时间为 ${p.at}，期待您准时到店。`,
      en: (p, s) => `${s}: your appointment is at ${p.at}. See you soon.`,
    },
  },
  'appointment.requested': {
    purpose: 'service',
    params: ['at'],
    text: {
      'zh-CN': (p, s) => `【${s}】已收到您 ${p.at} 的预约申请，门店确认后将短信通知您。`,
      en: (p, s) => `${s}: we have your booking request for ${p.at} and will text you once it is confirmed.`,
    },
  },
  'booking.code': {
    purpose: 'transactional',
    params: ['code'],
    text: {
      'zh-CN': (p, s) => `【${s}】您的预约验证码为 ${p.code}，10 分钟内有效。如非本人操作请忽略。`,
      en: (p, s) => `${s}: your booking code is ${p.code}. It expires in 10 minutes.`,
    },
  },
  // Transactional: the customer waits for it at the counter or on the phone with their advisor.
  'repairOrder.approvalLink': {
    purpose: 'transactional',
    params: ['plate', 'link'],
    text: {
      'zh-CN': (p, s) =>
        `【${s}】您的车辆 ${p.plate} 维修报价待确认，请打开 ${p.link} 逐项确认，24 小时内有效。`,
      en: (p, s) => `${s}: the quote for ${p.plate} awaits your approval. Open ${p.link} (valid 24 hours).`,
    },
  },
};

/** A template rendered without a parameter it needs: a caller's mistake, caught where it queues. */
export class MessageTemplateError extends AppError {
  override readonly name = 'MessageTemplateError';
  constructor(template: MessageTemplate, missing: string) {
    super(400, 'MESSAGE_PARAM_MISSING', `Template ${template} needs the parameter "${missing}".`, {
      template,
      missing,
    });
  }
}

/** The text of a message, in its locale, with times store-local. */
export function renderMessage(
  template: MessageTemplate,
  locale: MessageLocale,
  params: MessageParams,
  store: MessageStore,
): string {
  const declared = MESSAGE_TEMPLATES[template];
  const values: Record<string, string> = { ...params };
  for (const name of declared.params) {
    const value = params[name];
    if (value === undefined || value === '') throw new MessageTemplateError(template, name);
    if (name === 'at') values[name] = storeLocalTime(value, locale, store.timeZone);
  }
  return declared.text[locale](values, store.name);
}

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const EN_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const ZH_DAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/**
 * `12月8日（周二）09:30` / `Tue 8 Dec, 09:30`: built from the parts, not `Intl`'s whole format, so a
 * text is the same on every runtime (and in the tests).
 */
export function storeLocalTime(instant: string, locale: MessageLocale, timeZone: string): string {
  const t = localParts(new Date(instant), timeZone);
  const weekday = new Date(Date.UTC(t.year, t.month - 1, t.day)).getUTCDay();
  const hhmm = `${pad(t.hour)}:${pad(t.minute)}`;
  return locale === 'zh-CN'
    ? `${t.month}月${t.day}日（${ZH_DAYS[weekday]}）${hhmm}`
    : `${EN_DAYS[weekday]} ${t.day} ${EN_MONTHS[t.month - 1]}, ${hhmm}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** One formatter per zone: building one costs far more than using it. */
const partFormats = new Map<string, Intl.DateTimeFormat>();

function localParts(at: Date, timeZone: string): LocalParts {
  let format = partFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    });
    partFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return {
    year: part('year'),
    month: part('month'),
    day: part('day'),
    hour: part('hour'),
    minute: part('minute'),
  };
}

/** The instant a store-local wall time falls on (a time a DST change skips moves on by the gap). */
function zonedInstant(
  day: Pick<LocalParts, 'year' | 'month' | 'day'>,
  minutes: number,
  timeZone: string,
): Date {
  const wall = Date.UTC(day.year, day.month - 1, day.day, 0, minutes);
  // The zone's offset at a first guess, then at the answer (they differ only across a DST change).
  let at = wall - offsetAt(new Date(wall), timeZone);
  at = wall - offsetAt(new Date(at), timeZone);
  return new Date(at);
}

function offsetAt(at: Date, timeZone: string): number {
  const t = localParts(at, timeZone);
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute);
  return asUtc - Math.floor(at.getTime() / 60_000) * 60_000;
}

/** 免打扰时段: store-local, `from` to `to` the next morning. */
export interface QuietHours {
  from: string;
  to: string;
}

/** No service texts from 21:00 to 08:00 store-local. */
export const DEFAULT_QUIET_HOURS: QuietHours = { from: '21:00', to: '08:00' };

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * When quiet hours that `at` falls in end (the next `to`, store-local), or undefined outside them. A
 * span across midnight (21:00–08:00) holds a 22:00 message to the next morning and a 06:00 one to the
 * same morning.
 */
export function quietHoursEnd(
  at: Date,
  timeZone: string,
  quiet: QuietHours = DEFAULT_QUIET_HOURS,
): Date | undefined {
  const local = localParts(at, timeZone);
  const now = local.hour * 60 + local.minute;
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  const acrossMidnight = from > to;
  const quietNow = acrossMidnight ? now >= from || now < to : now >= from && now < to;
  if (!quietNow) return undefined;
  const endsTomorrow = acrossMidnight && now >= from;
  const day = endsTomorrow ? nextDay(local) : local;
  return zonedInstant(day, to, timeZone);
}

function nextDay(t: LocalParts): Pick<LocalParts, 'year' | 'month' | 'day'> {
  const d = new Date(Date.UTC(t.year, t.month - 1, t.day + 1));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** What the sender does with a queued message now. */
export type DeliveryDecision =
  | { kind: 'send' }
  | { kind: 'defer'; until: string }
  | { kind: 'suppress'; reason: SuppressionReason };

/** What a decision needs beside the message: the time, and the customer's consent if there is one. */
export interface DeliveryContext {
  now: Date;
  /** The customer's message consent (营销/服务短信); undefined: no customer record, so none given. */
  consentToMessages: boolean | undefined;
  quietHours?: QuietHours;
}

/**
 * The sender's rule, in order: a service text needs consent; nothing goes after `notAfter`; a service
 * text in quiet hours waits for their end, unless that is after `notAfter`. A one-time code goes at once.
 */
export function decideDelivery(
  message: Pick<OutboundMessage, 'purpose' | 'notAfter' | 'timeZone'>,
  ctx: DeliveryContext,
): DeliveryDecision {
  if (message.purpose === 'service' && ctx.consentToMessages !== true)
    return { kind: 'suppress', reason: 'no_consent' };
  const notAfter = message.notAfter ? Date.parse(message.notAfter) : Number.POSITIVE_INFINITY;
  if (ctx.now.getTime() > notAfter) return { kind: 'suppress', reason: 'too_late' };
  if (message.purpose === 'transactional') return { kind: 'send' };
  const end = quietHoursEnd(ctx.now, message.timeZone, ctx.quietHours);
  if (!end) return { kind: 'send' };
  if (end.getTime() > notAfter) return { kind: 'suppress', reason: 'too_late' };
  return { kind: 'defer', until: end.toISOString() };
}

/** The purpose of a template's messages: declared with its text, never chosen by a caller. */
export function purposeOf(template: MessageTemplate): MessagePurpose {
  return MESSAGE_TEMPLATES[template].purpose;
}

/**
 * A message as a role reads it: the number masked for roles without `customer:contact`, and a
 * one-time code never shown to anyone (it proves the phone's holder asked, so staff must not hold it).
 */
export function messageView(message: OutboundMessage, canContact: boolean): MessageView {
  const { code, ...params } = message.params;
  const text = code === undefined ? message.text : message.text.replaceAll(code, '•'.repeat(code.length));
  const hidden = { ...message, params: code === undefined ? message.params : params, text };
  if (canContact) return { ...hidden, toMasked: false };
  return { ...hidden, to: maskPhone(message.to), toMasked: true };
}
