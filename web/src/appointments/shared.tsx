import { type AppointmentStatus, type BayLoad, entriesOf, wallClock } from '@aftersales/domain';
import { useCallback } from 'preact/hooks';
import { ApiError } from '../api/client.ts';
import { useStore } from '../app/session.tsx';
import { useLoad } from '../components/load.ts';
import { Badge, Notice } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import { getStoreSetup } from '../setup/api.ts';
import type { AppointmentView } from './api.ts';

/** Tenths of an hour (how capacity counts, exactly) as the hours people read: 15 → "1.5". */
export const hoursText = (tenths: number) => (tenths / 10).toFixed(1);

/** Today in the store's time zone (the browser's may differ: a head office in another zone). */
export function useToday(): string {
  const { profile } = useStore();
  return wallClock(new Date(), profile?.store.timeZone ?? 'Asia/Shanghai').date;
}

/** The etag a booking read in a list was at: If-Match without reading it again. */
export const etagOf = (a: { version: number }) => `"${a.version}"`;

/** Bookings whose slot and status may still change (the domain's open statuses). */
export const isOpen = (s: AppointmentStatus) => s === 'requested' || s === 'confirmed';

const STATUS_KIND = {
  requested: 'warning',
  confirmed: 'info',
  checked_in: 'success',
  no_show: 'danger',
  cancelled: 'neutral',
} as const;

export function StatusBadge({ status }: { status: AppointmentStatus }) {
  const { m } = useI18n();
  return <Badge kind={STATUS_KIND[status]}>{m.appointmentStatuses[status]}</Badge>;
}

/** Who a booking is for: the registry's name, or a public request's contact until it is linked. */
export function useWhoOf(): (a: AppointmentView) => string {
  const { t } = useI18n();
  return (a) => a.customerName ?? a.contact?.name ?? t('appt.unknownCustomer');
}

/** What is booked, in a line: the operations' names, else the customer's words. */
export function useWorkOf(): (a: AppointmentView) => string {
  const { locale } = useI18n();
  return (a) => {
    const ops = a.lines.map((l) => (locale === 'en' && l.name.en ? l.name.en : l.name.zh));
    return [...ops, ...(a.concern ? [a.concern] : [])].join(' · ');
  };
}

/**
 * The papers a booking asks for, by the names the store's set-up gives them (its codes until the set-up
 * has loaded, or for a paper the set-up no longer lists).
 */
export function usePapersOf(): (a: Pick<AppointmentView, 'papers'>) => string {
  const { api } = useStore();
  const { locale } = useI18n();
  const setup = useLoad(useCallback(() => getStoreSetup(api), [api]));
  const names = new Map((setup.data?.data.papers ?? []).map((p) => [p.code, p.name]));
  return (a) =>
    a.papers
      .map((code) => {
        const name = names.get(code);
        return name ? (locale === 'en' && name.en ? name.en : name.zh) : code;
      })
      .join('、');
}

/** The 409 `CAPACITY_FULL` answer's details: what is short, and where there is room instead. */
export interface CapacityFull {
  date: string;
  shortTenths: BayLoad;
  nextDays: string[];
  sisterStores: { storeId: string; name: string }[];
}

export function capacityFullOf(err: unknown): CapacityFull | undefined {
  if (!(err instanceof ApiError) || err.code !== 'CAPACITY_FULL') return undefined;
  const x = err.extra;
  return {
    date: typeof x.date === 'string' ? x.date : '',
    shortTenths: (x.shortTenths ?? {}) as BayLoad,
    nextDays: Array.isArray(x.nextDays) ? x.nextDays.filter((d): d is string => typeof d === 'string') : [],
    sisterStores: Array.isArray(x.sisterStores) ? (x.sisterStores as CapacityFull['sisterStores']) : [],
  };
}

/** A full day, and the days (as buttons that take that day) and sister stores that have room. */
export function CapacityFullNotice({ full, onDay }: { full: CapacityFull; onDay: (date: string) => void }) {
  const { t, date } = useI18n();
  const short = entriesOf(full.shortTenths).reduce((sum, [, tenths]) => sum + tenths, 0);
  return (
    <Notice kind="warning">
      <p>{t('appt.capacityFull', { date: date(full.date), hours: hoursText(short) })}</p>
      {full.nextDays.length > 0 && (
        <div class="offer">
          <span>{t('appt.nextDays')}</span>
          <ul class="inline-list">
            {full.nextDays.slice(0, 5).map((d) => (
              <li key={d}>
                <button type="button" class="btn btn-small" onClick={() => onDay(d)}>
                  {t('appt.useDay', { date: date(d) })}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {full.sisterStores.length > 0 && (
        <p>{t('appt.sisterStores', { names: full.sisterStores.map((s) => s.name).join('、') })}</p>
      )}
    </Notice>
  );
}

/** The parts a booking needs, in a line: "90915-YZZD1 机油滤清器 ×1; …". */
export const partsText = (a: Pick<AppointmentView, 'parts'>) =>
  a.parts.map((p) => `${p.partNumber}${p.name ? ` ${p.name}` : ''} ×${p.quantity}`).join('; ');
