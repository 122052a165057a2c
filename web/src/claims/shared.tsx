import { type Label, wallClock } from '@aftersales/domain';
import { useStore } from '../app/session.tsx';
import { Badge } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import type { ClaimStatus } from './api.ts';

export { fen } from '../repair-orders/shared.tsx';

const STATUS_KIND: Record<ClaimStatus, 'neutral' | 'info' | 'warning' | 'success' | 'danger'> = {
  draft: 'neutral',
  submitted: 'info',
  returned: 'warning',
  accepted: 'success',
  partly_accepted: 'warning',
  rejected: 'danger',
  appealed: 'info',
  paid: 'success',
  withdrawn: 'neutral',
};

export function ClaimStatusBadge({ status }: { status: ClaimStatus }) {
  const { t } = useI18n();
  return <Badge kind={STATUS_KIND[status]}>{t(`clm.statuses.${status}`)}</Badge>;
}

/** The store's today (its own time zone): what a due date or a submission deadline is compared with. */
export function useStoreToday(): string {
  const { profile } = useStore();
  return wallClock(new Date(), profile?.store.timeZone ?? 'Asia/Shanghai').date;
}

/** A due day past: flagged, in words as well as colour. */
export function DueDate({ due, today }: { due: string; today: string }) {
  const { t, date } = useI18n();
  return (
    <>
      {date(due)} {due < today && <Badge kind="danger">{t('clm.overdue')}</Badge>}
    </>
  );
}

/** A code list's or a finding's label in the language shown. */
export function labelIn(locale: string, label: Label): string {
  return locale === 'en' ? label.en : label['zh-CN'];
}

/** Tenths of an hour as hours (`15` → `1.5`). */
export const hours = (tenths: number) => (tenths / 10).toFixed(1);
