import { useCallback, useState } from 'preact/hooks';
import { useStore } from '../app/session.tsx';
import { ConflictNotice, useVersionedRecord } from '../components/conflict.tsx';
import { TextField, useFormErrors, ValidatedForm } from '../components/forms.tsx';
import { Badge, ErrorNotice, Loading, PageHeader, Section } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import { getReceipt, inspectReceipt, putAwayReceipt, type Receipt, settleClaim } from './api.ts';
import { ActionButton, Signed, yuan } from './shared.tsx';

type Change = (fn: (etag: string) => Promise<unknown>) => Promise<void>;

/**
 * 入库 · 三检: a delivery through its three inspections in order — against the delivery note, on
 * receipt (quantity and quality, refusals), at put-away into bins — and its discrepancy report.
 */
export function ReceiptPage({ id }: { id: string }) {
  const { t, m } = useI18n();
  const { api, can, href } = useStore();
  const receipt = useVersionedRecord(useCallback(() => getReceipt(api, id), [api, id]));
  if (receipt.error) return <ErrorNotice error={receipt.error} onRetry={() => void receipt.reload()} />;
  if (!receipt.data) return <Loading />;
  const r = receipt.data.data;
  return (
    <div class="page">
      <PageHeader
        title={`${t('purchase.receipt')} · ${r.deliveryNote}`}
        subtitle={<Badge kind="info">{m.receiptStatuses[r.status]}</Badge>}
        back={{ href: href(`purchasing/orders/${r.orderId}`), label: t('purchase.order') }}
      />
      {receipt.stale && <ConflictNotice text={t('purchase.stale')} onReload={() => void receipt.reload()} />}
      <Section title={t('purchase.step1')}>
        <Signed by={r.checked} />
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('purchase.part')}</th>
              <th scope="col">{t('purchase.noted')}</th>
              <th scope="col">{t('purchase.delivered')}</th>
              <th scope="col">{t('purchase.accepted')}</th>
              <th scope="col">{t('purchase.bin')}</th>
            </tr>
          </thead>
          <tbody>
            {r.lines.map((l) => (
              <tr key={l.orderLineId}>
                <td>
                  {l.partNumber} · {l.name.zh}
                </td>
                <td>{l.noted}</td>
                <td>{l.delivered}</td>
                <td>{l.accepted ?? '—'}</td>
                <td>{l.bin ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Section title={t('purchase.step2')}>
        {r.status === 'delivered' && can('purchase:receive') ? (
          <InspectionForm receipt={r} change={receipt.change} />
        ) : (
          <Signed by={r.inspected} />
        )}
      </Section>
      <Section title={t('purchase.step3')}>
        {r.status === 'inspected' && can('purchase:receive') ? (
          <PutAwayForm receipt={r} change={receipt.change} />
        ) : (
          <Signed by={r.putAway} />
        )}
      </Section>
      {r.discrepancy && (
        <Section title={t('purchase.discrepancy')}>
          <ul>
            {r.discrepancy.lines.map((l) => (
              <li key={`${l.orderLineId}-${l.reason}`}>
                {l.partNumber} × {l.quantity} · {m.refusals[l.reason]} · {yuan(l.amount)}
              </li>
            ))}
          </ul>
          <p>
            {t('purchase.claim')}: {m.parties[r.discrepancy.claim.against]} {r.discrepancy.claim.party} ·{' '}
            {yuan(r.discrepancy.claim.amount)} · {m.claimStatuses[r.discrepancy.claim.status]}
          </p>
          {r.discrepancy.claim.status === 'open' && can('purchase:plan') && (
            <ActionButton
              label={t('purchase.settle')}
              run={() => receipt.change((etag) => settleClaim(api, id, {}, etag))}
            />
          )}
        </Section>
      )}
    </div>
  );
}

/** 第二检: per line, what is accepted and what is refused as damaged or the wrong part. */
function InspectionForm({ receipt, change }: { receipt: Receipt; change: Change }) {
  const { t } = useI18n();
  const { api } = useStore();
  const errors = useFormErrors();
  type Counts = { accepted: string; damaged: string; wrong: string };
  const [counts, setCounts] = useState<Record<string, Counts>>({});
  const [carrier, setCarrier] = useState('');
  const count = (l: Receipt['lines'][number]): Counts =>
    counts[l.orderLineId] ?? { accepted: String(l.delivered), damaged: '0', wrong: '0' };
  const set = (l: Receipt['lines'][number], k: keyof Counts, v: string) =>
    setCounts((c) => ({ ...c, [l.orderLineId]: { ...count(l), [k]: v } }));
  const submit = async () => {
    const lines = receipt.lines.map((l) => {
      const c = count(l);
      const refused = [
        { quantity: Number(c.damaged), reason: 'damaged' as const },
        { quantity: Number(c.wrong), reason: 'wrong_part' as const },
      ].filter((x) => x.quantity > 0);
      return { orderLineId: l.orderLineId, accepted: Number(c.accepted), refused };
    });
    try {
      await change((etag) =>
        inspectReceipt(api, receipt.id, { lines, ...(carrier ? { carrier } : {}) }, etag),
      );
    } catch (e) {
      errors.refused(e);
    }
  };
  return (
    <ValidatedForm errors={errors} order={['lines']} onSubmit={() => void submit()}>
      {receipt.lines.map((l, i) => (
        <fieldset key={l.orderLineId} data-field={`lines.${i}`}>
          <legend>
            {l.partNumber} · {l.name.zh} ({t('purchase.delivered')} {l.delivered})
          </legend>
          <TextField
            label={t('purchase.accepted')}
            type="number"
            min={0}
            field={`lines.${i}.accepted`}
            value={count(l).accepted}
            onValue={(v) => set(l, 'accepted', v)}
          />
          <TextField
            label={t('purchase.damaged')}
            type="number"
            min={0}
            value={count(l).damaged}
            onValue={(v) => set(l, 'damaged', v)}
          />
          <TextField
            label={t('purchase.wrongPart')}
            type="number"
            min={0}
            value={count(l).wrong}
            onValue={(v) => set(l, 'wrong', v)}
          />
        </fieldset>
      ))}
      <TextField
        label={t('purchase.carrier')}
        field="carrier"
        value={carrier}
        onValue={setCarrier}
        maxLength={80}
      />
      <button type="submit" class="btn btn-primary">
        {t('purchase.inspect')}
      </button>
    </ValidatedForm>
  );
}

/** 第三检 · 上架: a bin per accepted line (empty: the part's default bin). */
function PutAwayForm({ receipt, change }: { receipt: Receipt; change: Change }) {
  const { t } = useI18n();
  const { api } = useStore();
  const errors = useFormErrors();
  const [bins, setBins] = useState<Record<string, string>>({});
  const accepted = receipt.lines.filter((l) => (l.accepted ?? 0) > 0);
  const submit = async () => {
    const lines = accepted
      .filter((l) => bins[l.orderLineId])
      .map((l) => ({ orderLineId: l.orderLineId, bin: bins[l.orderLineId] ?? '' }));
    try {
      await change((etag) => putAwayReceipt(api, receipt.id, { lines }, etag));
    } catch (e) {
      errors.refused(e);
    }
  };
  return (
    <ValidatedForm
      errors={errors}
      order={accepted.map((_, i) => `lines.${i}.bin`)}
      onSubmit={() => void submit()}
    >
      {accepted.map((l, i) => (
        <TextField
          key={l.orderLineId}
          label={`${t('purchase.bin')} · ${l.partNumber} × ${l.accepted}`}
          field={`lines.${i}.bin`}
          placeholder={t('purchase.defaultBin')}
          value={bins[l.orderLineId] ?? ''}
          onValue={(v) => setBins((b) => ({ ...b, [l.orderLineId]: v }))}
        />
      ))}
      <button type="submit" class="btn btn-primary">
        {t('purchase.putAway')}
      </button>
    </ValidatedForm>
  );
}
