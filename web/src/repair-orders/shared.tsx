import { zonedInstant } from '@aftersales/domain';
import { Badge } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import { yuan } from '../parts/CataloguePage.tsx';
import type { JobLine, RepairOrder } from './api.ts';

/** Fen as the money a quote or settlement shows: `¥1,234.50` is always to the fen. */
export const fen = (minor: number) => yuan({ amountMinor: minor });

/** Typed yuan (`12.5`) as fen; empty or not a number is NaN, which the schema refuses on its field. */
export const fenOf = (typed: string) =>
  typed.trim() === '' ? Number.NaN : Math.round(Number(typed.replace(/[,，\s]/g, '')) * 100);

/** The etag of an order read in a list: If-Match without reading it again. */
export const etagOf = (ro: { version: number }) => `"${ro.version}"`;

const STATUS_KIND: Record<RepairOrder['status'], 'neutral' | 'info' | 'warning' | 'success' | 'danger'> = {
  checked_in: 'neutral',
  diagnosing: 'info',
  quoted: 'warning',
  approved: 'info',
  in_progress: 'info',
  quality_check: 'info',
  ready: 'success',
  settled: 'success',
  delivered: 'neutral',
  cancelled: 'neutral',
};

export function StatusBadge({ status }: { status: RepairOrder['status'] }) {
  const { m } = useI18n();
  return <Badge kind={STATUS_KIND[status]}>{m.roStatuses[status]}</Badge>;
}

export function LineStatusBadge({ status }: { status: JobLine['status'] }) {
  const { m } = useI18n();
  const kind = status === 'declined' ? 'neutral' : status === 'awaiting_approval' ? 'warning' : 'info';
  return <Badge kind={kind}>{m.roLineStatuses[status]}</Badge>;
}

/** Until the car is ready its promised time is a promise still to keep: minutes past it, else 0. */
export function lateMinutes(ro: Pick<RepairOrder, 'status' | 'promisedAt'>, now = Date.now()): number {
  if (['ready', 'settled', 'delivered', 'cancelled'].includes(ro.status)) return 0;
  return Math.max(0, Math.floor((now - Date.parse(ro.promisedAt)) / 60_000));
}

/** Lateness as staff read it: `超时 1 小时 5 分` or `准时`. */
export function Lateness({ ro }: { ro: Pick<RepairOrder, 'status' | 'promisedAt'> }) {
  const { t } = useI18n();
  const late = lateMinutes(ro);
  if (late === 0) return <span class="muted">{t('ro.onTime')}</span>;
  const h = Math.floor(late / 60);
  const time = h > 0 ? t('ro.hoursMinutes', { h, m: late % 60 }) : t('ro.minutes', { m: late });
  return <Badge kind="danger">{t('ro.late', { time })}</Badge>;
}

/** A date and wall-clock time typed in the store's zone, as the instant the API takes ('' if incomplete). */
export function instantIn(date: string, time: string, timeZone: string): string {
  if (!date || !time) return '';
  const at = zonedInstant(date, time, timeZone);
  return Number.isNaN(at.getTime()) ? '' : at.toISOString();
}

/** The name of a catalogue entry in the language shown (its Chinese name where it has no English one). */
export function nameIn(locale: string, name: { zh: string; en?: string | undefined } | undefined): string {
  if (!name) return '';
  return locale === 'en' && name.en ? name.en : name.zh;
}
