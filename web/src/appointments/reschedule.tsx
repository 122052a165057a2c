import { useState } from 'preact/hooks';
import { useStore } from '../app/session.tsx';
import { isVersionConflict } from '../components/conflict.tsx';
import { ErrorNotice, Notice } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import { type AppointmentView, rescheduleAppointment } from './api.ts';
import { type CapacityFull, CapacityFullNotice, capacityFullOf, etagOf, useWhoOf } from './shared.tsx';

type Outcome =
  | { kind: 'moved'; name: string; date: string; time: string }
  | { kind: 'reloaded' }
  | { kind: 'full'; booking: AppointmentView; time: string; full: CapacityFull }
  | { kind: 'failed'; error: unknown };

/**
 * 改约 from any screen (calendar drag, keyboard move, detail, day-before list): sends the move on the
 * version the booking was read at, then reloads. A stale version reloads and says so; a full day
 * offers its next days with room (each a button that moves there) and the sister stores.
 */
export function useReschedule(reload: () => Promise<void>) {
  const { t, date: dateText } = useI18n();
  const { api } = useStore();
  const whoOf = useWhoOf();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);

  const move = async (booking: AppointmentView, date: string, time: string): Promise<boolean> => {
    if (busy) return false;
    setBusy(true);
    setOutcome(null);
    try {
      await rescheduleAppointment(api, booking.id, { date, time }, etagOf(booking));
      setOutcome({ kind: 'moved', name: whoOf(booking), date, time });
      // Resolved once the screen shows the booking in its new place (where focus can follow it).
      await reload();
      return true;
    } catch (err) {
      const full = capacityFullOf(err);
      if (full) setOutcome({ kind: 'full', booking, time, full });
      else if (isVersionConflict(err)) {
        setOutcome({ kind: 'reloaded' });
        void reload();
      } else setOutcome({ kind: 'failed', error: err });
      return false;
    } finally {
      setBusy(false);
    }
  };

  const notice =
    outcome === null ? null : outcome.kind === 'moved' ? (
      <Notice kind="success">
        {t('appt.moved', { name: outcome.name, date: dateText(outcome.date), time: outcome.time })}
      </Notice>
    ) : outcome.kind === 'reloaded' ? (
      <Notice kind="warning">{t('appt.reloaded')}</Notice>
    ) : outcome.kind === 'full' ? (
      <CapacityFullNotice full={outcome.full} onDay={(d) => void move(outcome.booking, d, outcome.time)} />
    ) : (
      <ErrorNotice error={outcome.error} />
    );
  return { move, busy, notice };
}
