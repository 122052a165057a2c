import { type AppointmentStatus, canMove, TransitionInput } from '@aftersales/domain';
import { useState } from 'preact/hooks';
import { useStore } from '../app/session.tsx';
import { isVersionConflict } from '../components/conflict.tsx';
import { TextField, useFormErrors, ValidatedForm } from '../components/forms.tsx';
import { Dialog, ErrorNotice, Notice } from '../components/ui.tsx';
import { schemaErrors } from '../components/validation.ts';
import { useI18n } from '../i18n/index.tsx';
import { type AppointmentView, transitionAppointment } from './api.ts';
import { etagOf, useWhoOf } from './shared.tsx';

type Target = Exclude<AppointmentStatus, 'requested'>;
const TARGETS: readonly Target[] = ['confirmed', 'checked_in', 'no_show', 'cancelled'];
/** Moves that owe a reason (取消 / 爽约原因): asked for in a dialog. */
const WITH_REASON: readonly Target[] = ['no_show', 'cancelled'];

/**
 * The status moves a booking allows now (the domain's state machine decides which), as buttons: confirm
 * and check in at once, a no-show or a cancellation with its reason. `only` narrows them (the
 * day-before list offers confirm and no-show). A stale version reloads and says so.
 */
export function TransitionButtons({
  booking,
  onDone,
  only = TARGETS,
  named = false,
}: {
  booking: AppointmentView;
  onDone: () => void;
  only?: readonly Target[];
  /** Name the booking in each button (a list of many: each button says whose it is). */
  named?: boolean;
}) {
  const { t, m } = useI18n();
  const { api } = useStore();
  const whoOf = useWhoOf();
  const [asking, setAsking] = useState<Target | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [stale, setStale] = useState(false);
  const [busy, setBusy] = useState(false);
  const errors = useFormErrors();
  const [reason, setReason] = useState('');

  const send = async (move: TransitionInput) => {
    setBusy(true);
    setFailure(null);
    setStale(false);
    try {
      await transitionAppointment(api, booking.id, move, etagOf(booking));
      setAsking(null);
      onDone();
    } catch (err) {
      if (isVersionConflict(err)) {
        setAsking(null);
        setStale(true);
        onDone();
      } else if (asking) errors.refused(err);
      else setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const label = (to: Target) => {
    const plain = {
      confirmed: t('appt.confirm'),
      checked_in: t('appt.checkIn'),
      no_show: t('appt.noShow'),
      cancelled: t('appt.cancel'),
    }[to];
    if (!named) return plain;
    const name = whoOf(booking);
    return to === 'confirmed'
      ? t('dayBefore.confirmOf', { name })
      : to === 'no_show'
        ? t('dayBefore.noShowOf', { name })
        : `${plain} · ${name}`;
  };

  const moves = only.filter((to) => canMove(booking.status, to));
  return (
    <>
      {stale && <Notice kind="warning">{t('appt.reloaded')}</Notice>}
      {failure !== null && <ErrorNotice error={failure} />}
      {moves.length > 0 && (
        <div class="actions">
          {moves.map((to) => (
            <button
              key={to}
              type="button"
              class={`btn btn-small${to === 'confirmed' || to === 'checked_in' ? ' btn-primary' : ''}`}
              disabled={busy}
              onClick={() => {
                if (!WITH_REASON.includes(to)) return void send(TransitionInput.parse({ to }));
                setReason('');
                errors.set({});
                setAsking(to);
              }}
            >
              {label(to)}
            </button>
          ))}
        </div>
      )}
      {asking && (
        <Dialog title={label(asking)} onClose={() => setAsking(null)}>
          <ValidatedForm
            errors={errors}
            order={['reason']}
            onSubmit={() => {
              const parsed = TransitionInput.safeParse(
                reason.trim() || asking === 'cancelled' ? { to: asking, reason } : { to: asking },
              );
              if (!parsed.success) return errors.fail(schemaErrors(parsed.error.issues, m));
              void send(parsed.data);
            }}
          >
            <TextField
              label={asking === 'cancelled' ? t('appt.cancelReason') : t('appt.noShowReason')}
              value={reason}
              onValue={setReason}
              field="reason"
              required={asking === 'cancelled'}
              maxLength={300}
            />
            <div class="form-actions">
              <button type="submit" class="btn btn-primary" disabled={busy}>
                {label(asking)}
              </button>
            </div>
          </ValidatedForm>
        </Dialog>
      )}
    </>
  );
}
