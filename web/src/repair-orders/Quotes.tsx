import { type ApprovalLinkIssued, QuoteApprovalInput } from '@aftersales/domain';
import { useState } from 'preact/hooks';
import { useStore } from '../app/session.tsx';
import { Checkbox, TextField, useFormErrors, ValidatedForm } from '../components/forms.tsx';
import { Badge, Notice, Section } from '../components/ui.tsx';
import { schemaErrors } from '../components/validation.ts';
import { useI18n } from '../i18n/index.tsx';
import { type Quote, type RepairOrder, recordApproval, sendApprovalLink } from './api.ts';
import { SignaturePad, type SignedPng, sealSignature } from './SignaturePad.tsx';
import { fen, instantIn } from './shared.tsx';

type Payer = Quote['byPayer'][number]['payer'];
/** What the table says, in the screen's language or a printed document's. */
interface Words {
  t: (key: 'ro.payer' | 'ro.net' | 'ro.tax' | 'ro.total') => string;
  m: { payers: Record<Payer, string> };
}

/** One payer per row: net, VAT and total in fen, as a quote or a settlement splits them. */
export function PayerTotalsTable({
  rows,
  caption,
  words,
}: {
  rows: readonly { payer: Payer; net: number; tax: number; total: number }[];
  caption: string;
  /** The words of a printed document in its own language; the screen's by default. */
  words?: Words;
}) {
  const ui = useI18n();
  const { t, m } = words ?? ui;
  return (
    <div class="table-wrap">
      <table class="table">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('ro.payer')}</th>
            <th scope="col" class="num">
              {t('ro.net')}
            </th>
            <th scope="col" class="num">
              {t('ro.tax')}
            </th>
            <th scope="col" class="num">
              {t('ro.total')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.payer}>
              <th scope="row">{m.payers[r.payer]}</th>
              <td class="num">{fen(r.net)}</td>
              <td class="num">{fen(r.tax)}</td>
              <td class="num">{fen(r.total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The quote versions, newest first, each with its per-payer totals and the lines it put to the customer. */
export function QuoteVersions({ ro }: { ro: RepairOrder }) {
  const { t, dateTime } = useI18n();
  if (ro.quotes.length === 0) return <p class="muted">{t('ro.noQuotes')}</p>;
  return (
    <>
      {[...ro.quotes].reverse().map((q) => {
        const title = t('ro.quoteVersion', { n: q.version });
        return (
          <div key={q.version} class="quote-version">
            <h3>
              {title} · {fen(q.total)}
            </h3>
            <p class="muted">
              {q.issuedBy.name} · {dateTime(q.issuedBy.at)} ·{' '}
              {q.lines
                .filter((l) => l.offered)
                .map((l) => l.lineId)
                .join('、')}{' '}
              {t('ro.offered')}
            </p>
            <PayerTotalsTable rows={q.byPayer} caption={title} />
          </div>
        );
      })}
    </>
  );
}

/** The latest quote and its offered lines still waiting for the customer's answer. */
function awaitingAnswer(ro: RepairOrder) {
  const quote = ro.quotes.at(-1);
  const waiting = ro.lines.filter(
    (l) => l.status === 'awaiting_approval' && quote?.lines.some((q) => q.lineId === l.id && q.offered),
  );
  return { quote, waiting };
}

type WallTime = { date: string; time: string };

/** 增修后预计交车时间: the promised time an approved add-on sets, typed in the store's zone. */
function NewPromisedTime({ value, onValue }: { value: WallTime; onValue: (next: WallTime) => void }) {
  const { t } = useI18n();
  return (
    <div class="grid-2">
      <TextField
        label={`${t('ro.newPromised')} · ${t('ro.promisedDate')}`}
        field="promisedAt"
        type="date"
        value={value.date}
        onValue={(date) => onValue({ ...value, date })}
        required
      />
      <TextField
        label={`${t('ro.newPromised')} · ${t('ro.promisedTime')}`}
        type="time"
        step={900}
        value={value.time}
        onValue={(time) => onValue({ ...value, time })}
        required
      />
    </div>
  );
}

/** A well-formed signature ref standing in while the form is checked, before the image is uploaded. */
const UNSENT_SIGNATURE = 'photo:pho_00000000000000000000000000';

/**
 * 客户确认 at the counter: the latest quote's offered lines, each approved or declined, the customer's
 * name and drawn signature; approved add-on work takes the new promised time. The signature's PNG is
 * sealed on the order before the approval is sent, which names it.
 */
export function CounterApproval({ ro, onDone }: { ro: RepairOrder; onDone: () => Promise<void> }) {
  const { t, m } = useI18n();
  const { api, profile } = useStore();
  const timeZone = profile?.store.timeZone ?? 'Asia/Shanghai';
  const { quote, waiting } = awaitingAnswer(ro);
  const errors = useFormErrors();
  const [approved, setApproved] = useState<Record<string, boolean>>({});
  const [name, setName] = useState(ro.customerName ?? '');
  const [png, setPng] = useState<SignedPng | null>(null);
  const [promised, setPromised] = useState({ date: '', time: '' });
  const [busy, setBusy] = useState(false);
  if (!quote || waiting.length === 0) return null;
  const isApproved = (id: string) => approved[id] ?? true;
  const addOnApproved = waiting.some((l) => l.origin === 'add_on' && isApproved(l.id));

  const submit = async () => {
    if (busy) return;
    const promisedAt = instantIn(promised.date, promised.time, timeZone);
    const input = {
      quoteVersion: quote.version,
      method: 'counter_signature' as const,
      approverName: name,
      from: 'counter',
      // Checked with a stand-in first: the signature is uploaded only for a form that can be sent.
      ...(png ? { signatureRef: UNSENT_SIGNATURE } : {}),
      decisions: waiting.map((l) => ({ lineId: l.id, approved: isApproved(l.id) })),
      ...(addOnApproved ? { promisedAt } : {}),
    };
    const parsed = QuoteApprovalInput.safeParse(input);
    if (!parsed.success || !png) {
      const found = parsed.success ? {} : schemaErrors(parsed.error.issues, m);
      if (found.signatureRef || !png) found.signatureRef = t('ro.signatureMissing');
      return errors.fail(found);
    }
    errors.set({});
    setBusy(true);
    try {
      const signatureRef = await sealSignature(api, ro.id, await png());
      await recordApproval(api, ro.id, { ...parsed.data, signatureRef });
      await onDone();
    } catch (err) {
      errors.refused(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section title={t('ro.approval')}>
      <ValidatedForm
        errors={errors}
        order={['decisions', 'approverName', 'signatureRef', 'promisedAt']}
        onSubmit={() => void submit()}
      >
        <p>
          {t('ro.quoteVersion', { n: quote.version })} · {fen(quote.total)}
        </p>
        <div data-field="decisions">
          {waiting.map((l) => (
            <div key={l.id} class={l.origin === 'add_on' ? 'add-on' : undefined}>
              <Checkbox
                label={t('ro.approveLine', { id: l.id, complaint: l.complaint })}
                checked={isApproved(l.id)}
                onValue={(v) => setApproved({ ...approved, [l.id]: v })}
              />
              {l.origin === 'add_on' && <Badge kind="warning">{t('ro.addOn')}</Badge>}
            </div>
          ))}
        </div>
        {addOnApproved && <NewPromisedTime value={promised} onValue={setPromised} />}
        <TextField
          label={t('ro.approverName')}
          field="approverName"
          value={name}
          onValue={setName}
          required
        />
        <div data-field="signatureRef" tabIndex={-1}>
          <SignaturePad onSigned={(signed) => setPng(() => signed)} />
        </div>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {t('ro.recordApproval')}
          </button>
        </div>
      </ValidatedForm>
    </Section>
  );
}

/**
 * 远程确认: the latest quote texted to the customer's mobile as a one-time link (through the message
 * outbox), for the customer to answer on their phone; offered add-on work takes the new promised time
 * with it. Each send is a new link; the receipt says until when it works.
 */
export function RemoteApproval({ ro }: { ro: RepairOrder }) {
  const { t, dateTime } = useI18n();
  const { api, profile } = useStore();
  const timeZone = profile?.store.timeZone ?? 'Asia/Shanghai';
  const { quote, waiting } = awaitingAnswer(ro);
  const errors = useFormErrors();
  const [promised, setPromised] = useState<WallTime>({ date: '', time: '' });
  const [sent, setSent] = useState<ApprovalLinkIssued | null>(null);
  const [busy, setBusy] = useState(false);
  if (!quote || waiting.length === 0) return null;
  const addOn = waiting.some((l) => l.origin === 'add_on');

  const submit = async () => {
    if (busy) return;
    const promisedAt = instantIn(promised.date, promised.time, timeZone);
    errors.set({});
    setBusy(true);
    try {
      setSent(await sendApprovalLink(api, ro.id, addOn && promisedAt ? { promisedAt } : {}));
    } catch (err) {
      errors.refused(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section title={t('ro.remoteApproval')}>
      <ValidatedForm errors={errors} order={['promisedAt']} onSubmit={() => void submit()}>
        <p class="hint">{t('ro.remoteHint')}</p>
        {sent && (
          <Notice kind="success">
            {t('ro.linkSent', { n: sent.quoteVersion, at: dateTime(sent.expiresAt) })}
          </Notice>
        )}
        {addOn && <NewPromisedTime value={promised} onValue={setPromised} />}
        <div class="form-actions">
          <button type="submit" class="btn" disabled={busy}>
            {t('ro.sendLink')}
          </button>
        </div>
      </ValidatedForm>
    </Section>
  );
}
