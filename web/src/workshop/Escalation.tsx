import type { Schemas } from '@aftersales/api-client';
import { EscalationNoteInput } from '@aftersales/domain';
import { useState } from 'preact/hooks';
import { useStore } from '../app/session.tsx';
import { TextArea, useFormErrors, ValidatedForm } from '../components/forms.tsx';
import { Badge, Dialog } from '../components/ui.tsx';
import { schemaErrors } from '../components/validation.ts';
import { useI18n } from '../i18n/index.tsx';
import { answerEscalation, escalateLine } from './api.ts';
import { useAction } from './shared.tsx';

/**
 * 会诊 on the floor and at the desk: a hard fault put to the technical director with a note, and the
 * director's answer that returns the line to work. Shared by the technician's screen and the order's page.
 */

type LineRef = { repairOrderId: string; lineId: string };
type Escalation = NonNullable<Schemas['RepairOrder']['lines'][number]['escalations']>[number];

/** The badge a line waiting for the technical director wears. */
export function EscalatedBadge() {
  const { t } = useI18n();
  return <Badge kind="warning">{t('ws.escalated')}</Badge>;
}

/** A button opening the note dialog: the question (escalate) or the answer (the technical director). */
export function EscalationButton({
  line,
  kind,
  onDone,
}: {
  line: LineRef;
  kind: 'ask' | 'answer';
  onDone: () => unknown;
}) {
  const { t, m } = useI18n();
  const { api } = useStore();
  const action = useAction(onDone);
  const errors = useFormErrors();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const send = kind === 'ask' ? escalateLine : answerEscalation;
  return (
    <>
      <button
        type="button"
        class={kind === 'ask' ? 'btn' : 'btn btn-primary'}
        onClick={() => {
          setNote('');
          errors.set({});
          setOpen(true);
        }}
      >
        {t(kind === 'ask' ? 'ws.escalate' : 'ws.answerEscalation')}
      </button>
      {open && (
        <Dialog
          title={t(kind === 'ask' ? 'ws.escalateOf' : 'ws.answerOf', { line: line.lineId })}
          onClose={() => setOpen(false)}
        >
          <ValidatedForm
            errors={errors}
            order={['note']}
            onSubmit={() => {
              const parsed = EscalationNoteInput.safeParse({ note });
              if (!parsed.success) return errors.fail(schemaErrors(parsed.error.issues, m));
              void action.run(() => send(api, line, parsed.data)).then((ok) => ok && setOpen(false));
            }}
          >
            {action.notice}
            <TextArea
              label={t(kind === 'ask' ? 'ws.escalationNote' : 'ws.answerNote')}
              field="note"
              value={note}
              onValue={setNote}
              maxLength={500}
            />
            <button type="submit" class="btn btn-primary" disabled={action.busy}>
              {t(kind === 'ask' ? 'ws.confirmEscalate' : 'ws.confirmAnswer')}
            </button>
          </ValidatedForm>
        </Dialog>
      )}
    </>
  );
}

/** The line's questions and answers, oldest first, with who wrote them and when. */
export function EscalationNotes({ escalations }: { escalations: readonly Escalation[] }) {
  const { t, dateTime } = useI18n();
  return (
    <ul class="escalations">
      {escalations.map((e) => (
        <li key={e.by.at}>
          <p>
            <strong>{t('ws.question', { name: e.by.name, at: dateTime(e.by.at) })}</strong> {e.note}
          </p>
          {e.answer ? (
            <p>
              <strong>{t('ws.answer', { name: e.answer.by.name, at: dateTime(e.answer.by.at) })}</strong>{' '}
              {e.answer.note}
            </p>
          ) : (
            <p class="muted">{t('ws.awaitingAnswer')}</p>
          )}
        </li>
      ))}
    </ul>
  );
}
