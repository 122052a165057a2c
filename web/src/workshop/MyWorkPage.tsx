import { ClockOffInput, ESCALATABLE, LineWorkRequest, PauseReason, Payer } from '@aftersales/domain';
import { useCallback, useState } from 'preact/hooks';
import { useSession, useStore } from '../app/session.tsx';
import { optionsOf } from '../components/FormField.tsx';
import {
  ChoiceGroup,
  SelectField,
  TextArea,
  TextField,
  useFormErrors,
  ValidatedForm,
} from '../components/forms.tsx';
import { useLoad } from '../components/load.ts';
import { Dialog, ErrorNotice, Loading, Notice, PageHeader, Plate, Section } from '../components/ui.tsx';
import { schemaErrors } from '../components/validation.ts';
import { useI18n } from '../i18n/index.tsx';
import { listLabourOps } from '../setup/api.ts';
import { type BoardCard, clockOff, clockOn, reportAddOn } from './api.ts';
import { type CardLine, linesWhere, useBoard, useNow } from './board.ts';
import { EscalatedBadge, EscalationButton } from './Escalation.tsx';
import { CheckButtons, hoursOfTenths, LineStatus, lineName, useAction } from './shared.tsx';

/** A line the technician can clock on: given, paused, or sent back by a check. */
const STARTABLE = new Set(['dispatched', 'paused', 'rework']);
/** Where the order may take add-on work (增修): the car is in the workshop. */
const IN_WORKSHOP = new Set(['in_progress', 'quality_check', 'ready']);

/**
 * 我的工作: the technician's phone. The lines given to them (from the board, one request), each with
 * its clock — on, done, or paused with the reason — the running time, the self check of a done line,
 * and add-on work found on the car reported to the advisor; and colleagues' work to team-check.
 */
export function MyWorkPage() {
  const { t } = useI18n();
  const { me } = useSession();
  const live = useBoard();
  const mine = linesWhere(live.board, (l) => l.technicianId === me.user.id && l.status !== 'checked');
  const cards = [...new Map(mine.map((x) => [x.card.repairOrderId, x.card])).values()];
  // 互检: a colleague's self-checked work is checked by another technician.
  const toTeamCheck = linesWhere(
    live.board,
    (l) => l.status === 'self_checked' && l.technicianId !== me.user.id,
  );

  return (
    <div class="page ws-my-work">
      <PageHeader title={t('ws.myWorkTitle')} />
      {live.error !== null && <ErrorNotice error={live.error} onRetry={() => void live.reload()} />}
      {!live.board && live.error === null && <Loading />}
      {live.board && cards.length === 0 && <Notice>{t('ws.noWork')}</Notice>}
      {cards.map((card) => (
        <section key={card.repairOrderId} class="card ws-job" aria-label={card.plate ?? card.repairOrderId}>
          <div class="card-head">
            <h2>
              <Plate plate={card.plate} /> {card.customerName}
            </h2>
          </div>
          {mine
            .filter((x) => x.card === card)
            .map((x) => (
              <MyLine key={x.line.lineId} item={x} onDone={live.reload} />
            ))}
          {IN_WORKSHOP.has(card.status) && <AddOn card={card} onDone={live.reload} />}
        </section>
      ))}
      {toTeamCheck.length > 0 && (
        <Section title={t('ws.teamCheck')}>
          {toTeamCheck.map((x) => (
            // Named by plate and line, as the dispatch page names each line it checks.
            <section
              key={`${x.card.repairOrderId}/${x.line.lineId}`}
              class="ws-my-line"
              aria-label={`${x.card.plate ?? x.card.repairOrderId} ${lineName(x.line)}`}
            >
              <h3>
                <Plate plate={x.card.plate} /> {lineName(x.line)}
              </h3>
              <CheckButtons item={x} stage="team" onDone={live.reload} />
            </section>
          ))}
        </Section>
      )}
    </div>
  );
}

/** Seconds as `h:mm:ss`, how a running clock reads. */
function elapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const two = (n: number) => String(n).padStart(2, '0');
  return `${Math.floor(s / 3600)}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}

function RunningClock({ since }: { since: string }) {
  const { t } = useI18n();
  const now = useNow();
  return <p class="ws-running">{t('ws.running', { time: elapsed(now - Date.parse(since)) })}</p>;
}

function MyLine({ item, onDone }: { item: CardLine; onDone: () => unknown }) {
  const { t, m } = useI18n();
  const { api } = useStore();
  const action = useAction(onDone);
  const [pausing, setPausing] = useState(false);
  const { line } = item;
  const ref = { repairOrderId: item.card.repairOrderId, lineId: line.lineId };
  const on = line.clockedOnSince !== undefined;
  return (
    <div class="ws-my-line">
      <h3>{lineName(line)}</h3>
      <div class="actions">
        <LineStatus line={line} />
        <span class="muted">
          {t('ws.totalClocked', { minutes: line.clockedMinutes, flat: hoursOfTenths(line.flatRateTenths) })}
        </span>
      </div>
      {line.escalatedAt && <EscalatedBadge />}
      {line.clockedOnSince && <RunningClock since={line.clockedOnSince} />}
      {!pausing && action.notice}
      <div class="actions ws-big-actions">
        {!on && !line.escalatedAt && STARTABLE.has(line.status) && (
          <button
            type="button"
            class="btn btn-primary"
            disabled={action.busy}
            onClick={() => void action.run(() => clockOn(api, ref))}
          >
            {t('ws.clockOn')}
          </button>
        )}
        {on && (
          <>
            <button
              type="button"
              class="btn btn-primary"
              disabled={action.busy}
              onClick={() => void action.run(() => clockOff(api, ref, { outcome: 'done' }))}
            >
              {t('ws.done')}
            </button>
            <button type="button" class="btn" disabled={action.busy} onClick={() => setPausing(true)}>
              {t('ws.pause')}
            </button>
          </>
        )}
      </div>
      {!line.escalatedAt && ESCALATABLE.has(line.status) && (
        <EscalationButton line={ref} kind="ask" onDone={onDone} />
      )}
      {line.status === 'done' && <CheckButtons item={item} stage="self" onDone={onDone} />}
      {(line.status === 'self_checked' || line.status === 'team_checked') && (
        <p class="muted">
          {t('ws.waitingCheck', {
            stage: m.wsCheckStages[line.status === 'self_checked' ? 'team' : 'final'],
          })}
        </p>
      )}
      {pausing && (
        <PauseDialog
          item={item}
          action={action}
          onClose={() => setPausing(false)}
          send={(input) => clockOff(api, ref, input)}
        />
      )}
    </div>
  );
}

/** 暂停: why the clock stops (waiting for parts, approval, diagnosis, a break…), with a note. */
function PauseDialog({
  item,
  action,
  onClose,
  send,
}: {
  item: CardLine;
  action: ReturnType<typeof useAction>;
  onClose: () => void;
  send: (input: ClockOffInput) => Promise<unknown>;
}) {
  const { t, m } = useI18n();
  const errors = useFormErrors();
  const [reason, setReason] = useState<PauseReason>('waiting_parts');
  const [note, setNote] = useState('');
  return (
    <Dialog title={t('ws.pauseOf', { line: lineName(item.line) })} onClose={onClose}>
      <ValidatedForm
        errors={errors}
        order={['pauseReason', 'note']}
        onSubmit={() => {
          const parsed = ClockOffInput.safeParse({
            outcome: 'paused',
            pauseReason: reason,
            ...(note.trim() ? { note } : {}),
          });
          if (!parsed.success) return errors.fail(schemaErrors(parsed.error.issues, m));
          void action.run(() => send(parsed.data)).then((ok) => ok && onClose());
        }}
      >
        {action.notice}
        <ChoiceGroup
          legend={t('ws.pauseReason')}
          field="pauseReason"
          value={reason}
          options={optionsOf(PauseReason.options, m.wsPauseReasons)}
          onValue={setReason}
        />
        <TextField label={t('ws.pauseNote')} field="note" value={note} onValue={setNote} maxLength={200} />
        <button type="submit" class="btn btn-primary" disabled={action.busy}>
          {t('ws.confirmPause')}
        </button>
      </ValidatedForm>
    </Dialog>
  );
}

/** 增修: the technician reports work found on the car; the advisor quotes it to the customer. */
function AddOn({ card, onDone }: { card: BoardCard; onDone: () => unknown }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [reported, setReported] = useState(false);
  return (
    <>
      {reported && <Notice kind="success">{t('ws.reported')}</Notice>}
      <button
        type="button"
        class="btn"
        onClick={() => {
          setReported(false);
          setOpen(true);
        }}
      >
        {t('ws.addOn')}
      </button>
      {open && (
        <AddOnDialog
          card={card}
          onClose={() => setOpen(false)}
          onReported={() => {
            setOpen(false);
            setReported(true);
            return onDone();
          }}
        />
      )}
    </>
  );
}

function AddOnDialog({
  card,
  onClose,
  onReported,
}: {
  card: BoardCard;
  onClose: () => void;
  onReported: () => unknown;
}) {
  const { t, m, locale } = useI18n();
  const { api } = useStore();
  const ops = useLoad(useCallback(() => listLabourOps(api, { limit: 100 }), [api]));
  const errors = useFormErrors();
  const action = useAction(onReported);
  const [complaint, setComplaint] = useState('');
  const [payer, setPayer] = useState<Payer>('customer');
  const [labourOpId, setLabourOpId] = useState('');
  const opOptions = [
    { value: '', label: t('ws.noLabourOp') },
    ...(ops.data?.items ?? [])
      .filter((op) => op.active)
      .map((op) => ({
        value: op.id,
        label: `${op.code} ${locale === 'en' && op.name.en ? op.name.en : op.name.zh}`,
      })),
  ];
  return (
    <Dialog title={t('ws.addOnOf', { plate: card.plate ?? card.repairOrderId })} onClose={onClose}>
      <ValidatedForm
        errors={errors}
        order={['complaint', 'payer', 'labour.0.labourOpId']}
        onSubmit={() => {
          const parsed = LineWorkRequest.safeParse({
            complaint,
            payer,
            labour: labourOpId ? [{ labourOpId }] : [],
          });
          if (!parsed.success) return errors.fail(schemaErrors(parsed.error.issues, m));
          void action.run(() => reportAddOn(api, card.repairOrderId, parsed.data));
        }}
      >
        {action.notice}
        {ops.error !== null && <ErrorNotice error={ops.error} />}
        <TextArea label={t('ws.complaint')} field="complaint" value={complaint} onValue={setComplaint} />
        <SelectField
          label={t('ws.payer')}
          field="payer"
          value={payer}
          options={optionsOf(Payer.options, m.payers)}
          onValue={setPayer}
        />
        <SelectField
          label={t('ws.labourOp')}
          field="labour.0.labourOpId"
          value={labourOpId}
          options={opOptions}
          onValue={setLabourOpId}
        />
        <button type="submit" class="btn btn-primary" disabled={action.busy}>
          {t('ws.report')}
        </button>
      </ValidatedForm>
    </Dialog>
  );
}
