import { type CheckStage, QualityCheckInput } from '@aftersales/domain';
import { useState } from 'preact/hooks';
import { useStore } from '../app/session.tsx';
import { TextField, useFormErrors, ValidatedForm } from '../components/forms.tsx';
import { Badge, Dialog, ErrorNotice } from '../components/ui.tsx';
import { schemaErrors } from '../components/validation.ts';
import { useI18n } from '../i18n/index.tsx';
import { type BoardLine, recordCheck } from './api.ts';
import type { CardLine } from './board.ts';

/** A line as staff name it: its id on the order and the complaint (`L1 刹车异响`). */
export const lineName = (l: Pick<BoardLine, 'lineId' | 'complaint'>) => `${l.lineId} ${l.complaint}`;

/** Minutes as hours with one decimal, beside flat-rate tenths (`1.5`). */
export const hoursOfMinutes = (minutes: number) => (minutes / 60).toFixed(1);
export const hoursOfTenths = (tenths: number) => (tenths / 10).toFixed(1);

const LINE_KIND: Partial<Record<BoardLine['status'], 'info' | 'warning' | 'success' | 'danger'>> = {
  in_progress: 'info',
  paused: 'warning',
  rework: 'danger',
  done: 'success',
  self_checked: 'success',
  team_checked: 'success',
  checked: 'success',
};

export function LineStatus({ line }: { line: Pick<BoardLine, 'status' | 'pauseReason'> }) {
  const { m } = useI18n();
  const reason = line.pauseReason ? ` · ${m.wsPauseReasons[line.pauseReason]}` : '';
  return (
    <Badge kind={LINE_KIND[line.status] ?? 'neutral'}>
      {m.roLineStatuses[line.status]}
      {reason}
    </Badge>
  );
}

/**
 * A time of day in the store's time zone (`14:30`), with its date when it is not today there: the
 * promised time as the floor reads it.
 */
export function useStoreTime(): (iso: string) => string {
  const { locale, dateTime } = useI18n();
  const timeZone = useStore().profile?.store.timeZone;
  return (iso) => {
    const at = Date.parse(iso);
    const day = (t: number) => new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' }).format(t);
    if (Number.isNaN(at) || day(at) !== day(Date.now())) return dateTime(iso);
    return new Intl.DateTimeFormat(locale, { timeZone, timeStyle: 'short' }).format(at);
  };
}

/** A button's call: busy while it runs, its refusal shown in the user's language, `onDone` after. */
export function useAction(onDone: () => unknown) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const run = async (call: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setFailure(null);
    try {
      await call();
      await onDone();
      return true;
    } catch (err) {
      setFailure(err);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const notice = failure === null ? null : <ErrorNotice error={failure} />;
  return { busy, run, notice };
}

/**
 * 三检 verdict buttons for one stage of one line: pass at once, or fail with the reason asked in a
 * dialog (a failure sends the line back as rework).
 */
export function CheckButtons({
  item,
  stage,
  onDone,
}: {
  item: CardLine;
  stage: CheckStage;
  onDone: () => unknown;
}) {
  const { t, m } = useI18n();
  const { api } = useStore();
  const action = useAction(onDone);
  const [failing, setFailing] = useState(false);
  const [reason, setReason] = useState('');
  const errors = useFormErrors();
  const ref = { repairOrderId: item.card.repairOrderId, lineId: item.line.lineId };
  const stageName = t('ws.checkStage', { stage: m.wsCheckStages[stage] });
  return (
    <>
      {!failing && action.notice}
      <div class="actions">
        <button
          type="button"
          class="btn btn-primary"
          disabled={action.busy}
          onClick={() => void action.run(() => recordCheck(api, ref, { stage, passed: true }))}
        >
          {`${stageName} · ${t('ws.pass')}`}
        </button>
        <button
          type="button"
          class="btn"
          disabled={action.busy}
          onClick={() => {
            setReason('');
            errors.set({});
            setFailing(true);
          }}
        >
          {`${stageName} · ${t('ws.fail')}`}
        </button>
      </div>
      {failing && (
        <Dialog title={t('ws.failOf', { line: lineName(item.line) })} onClose={() => setFailing(false)}>
          <ValidatedForm
            errors={errors}
            order={['reason']}
            onSubmit={() => {
              const parsed = QualityCheckInput.safeParse({ stage, passed: false, reason });
              if (!parsed.success) return errors.fail(schemaErrors(parsed.error.issues, m));
              void action.run(() => recordCheck(api, ref, parsed.data)).then((ok) => ok && setFailing(false));
            }}
          >
            {action.notice}
            <TextField label={t('ws.failReason')} field="reason" value={reason} onValue={setReason} />
            <button type="submit" class="btn btn-danger" disabled={action.busy}>
              {t('ws.confirmFail')}
            </button>
          </ValidatedForm>
        </Dialog>
      )}
    </>
  );
}
