import { useCallback, useState } from 'preact/hooks';
import { Link } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { useIdempotencyKey } from '../components/idempotency.ts';
import { useLoad } from '../components/load.ts';
import { Badge, ErrorNotice, Loading, Notice, Section } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import { getAppointmentParts, type NeededPartStatus, reserveAppointmentParts } from '../parts/stock-api.ts';

const KIND = {
  in_stock: 'info',
  reserved: 'success',
  to_order: 'warning',
  unknown_part: 'danger',
  retired: 'danger',
} as const;

/** Each needed part's state: in stock, reserved, or to order with its expected date (what the customer is told). */
export function PartStatusList({ statuses }: { statuses: readonly NeededPartStatus[] }) {
  const { t, date } = useI18n();
  if (statuses.length === 0) return <>{t('appt.noParts')}</>;
  return (
    <ul class="plain-list">
      {statuses.map((s, i) => (
        <li key={`${s.partNumber}-${i}`}>
          {s.partNumber} ×{s.quantity} <Badge kind={KIND[s.status]}>{t(`parts.status.${s.status}`)}</Badge>
          {s.status === 'to_order' && s.expectedOn && (
            <> {t('parts.expected', { date: date(s.expectedOn) })}</>
          )}
          {s.status === 'retired' && s.supersededBy && (
            <> {t('parts.replacedBy', { partNumber: s.supersededBy })}</>
          )}
        </li>
      ))}
    </ul>
  );
}

/** Whether reserving would hold anything more: a part on the shelf not yet held, or one short. */
const wantsReserving = (statuses: readonly NeededPartStatus[]) =>
  statuses.some((p) => p.status === 'in_stock' || p.status === 'to_order');

/**
 * "Reserve parts" (备件) for a booking that still stands, shown only to roles that hold stock
 * (`stock:reserve`); a retry or a second press reserves nothing more.
 */
export function ReserveButton({
  appointmentId,
  label,
  onDone,
}: {
  appointmentId: string;
  /** Names the booking in a list, where many buttons share one text. */
  label?: string;
  onDone: () => void | Promise<void>;
}) {
  const { t } = useI18n();
  const { api, can } = useStore();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: true } | { error: unknown }>();
  const idempotencyKey = useIdempotencyKey();
  if (!can('stock:reserve')) return null;
  const reserve = async () => {
    setBusy(true);
    setOutcome(undefined);
    try {
      await reserveAppointmentParts(api, appointmentId, idempotencyKey({ appointmentId }));
      setOutcome({ ok: true });
      await onDone();
    } catch (error) {
      setOutcome({ error });
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button
        type="button"
        class="btn btn-small"
        disabled={busy}
        aria-label={label}
        onClick={() => void reserve()}
      >
        {t('parts.reserve')}
      </button>
      {outcome && 'ok' in outcome && <Notice kind="success">{t('parts.reserved')}</Notice>}
      {outcome && 'error' in outcome && <ErrorNotice error={outcome.error} />}
    </>
  );
}

/** 备件 on a booking: its parts' states, the reserve button while it stands, and its pick list. */
export function BookingParts({ appointmentId, open }: { appointmentId: string; open: boolean }) {
  const { t } = useI18n();
  const { api, can, href } = useStore();
  const parts = useLoad(useCallback(() => getAppointmentParts(api, appointmentId), [api, appointmentId]));

  return (
    <Section title={t('parts.statusTitle')}>
      {parts.error ? (
        <ErrorNotice error={parts.error} onRetry={() => void parts.reload()} />
      ) : !parts.data ? (
        <Loading />
      ) : (
        <>
          <PartStatusList statuses={parts.data.parts} />
          <div class="actions">
            {open && wantsReserving(parts.data.parts) && (
              <ReserveButton appointmentId={appointmentId} onDone={parts.reload} />
            )}
            {can('part:read') && parts.data.parts.length > 0 && (
              <Link
                class="btn btn-small"
                href={href(`stock/pick-lists/appointment/${encodeURIComponent(appointmentId)}`)}
              >
                {t('parts.pickList')}
              </Link>
            )}
          </div>
        </>
      )}
    </Section>
  );
}

/** The day-before list's parts cell: the states, and the reserve button for a booking still short of them. */
export function DayBeforeParts({
  booking,
  onDone,
}: {
  booking: { id: string; status: string; partStatuses: readonly NeededPartStatus[] };
  onDone: () => void;
}) {
  const { t } = useI18n();
  return (
    <>
      <PartStatusList statuses={booking.partStatuses} />
      {(booking.status === 'requested' || booking.status === 'confirmed') &&
        wantsReserving(booking.partStatuses) && (
          <ReserveButton
            appointmentId={booking.id}
            label={`${t('parts.reserve')} (${booking.partStatuses.map((p) => p.partNumber).join(', ')})`}
            onDone={onDone}
          />
        )}
    </>
  );
}
