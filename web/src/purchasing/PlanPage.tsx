import { useCallback, useState } from 'preact/hooks';
import { useStore } from '../app/session.tsx';
import { ConflictNotice, useVersionedRecord } from '../components/conflict.tsx';
import { Checkbox, SelectField, TextField, useFormErrors, ValidatedForm } from '../components/forms.tsx';
import { useIdempotencyKey } from '../components/idempotency.ts';
import { Badge, ErrorNotice, Loading, PageHeader, Section } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import { PartPicker, type PickedPart } from '../parts/PartPicker.tsx';
import { addPlanLine, approvePlan, collectShortages, getPlan, type PurchasePlan, placeOrder } from './api.ts';
import { ActionButton, Signed } from './shared.tsx';

/**
 * 采购计划: its lines (collected from shortages or added by hand), its two signatures in order — the
 * parts manager's, then the after-sales manager's — and, once approved, orders per supplier.
 */
export function PlanPage({ id }: { id: string }) {
  const { t, m } = useI18n();
  const { api, can, href } = useStore();
  const plan = useVersionedRecord(useCallback(() => getPlan(api, id), [api, id]));
  const [reason, setReason] = useState('');
  if (plan.error) return <ErrorNotice error={plan.error} onRetry={() => void plan.reload()} />;
  if (!plan.data) return <Loading />;
  const p = plan.data.data;
  const draft = p.status === 'draft';
  const step = draft ? 'parts' : p.status === 'parts_approved' ? 'final' : undefined;
  const mayApprove =
    step === 'parts' ? can('purchase:approve') : step === 'final' && can('purchase:authorize');
  return (
    <div class="page">
      <PageHeader
        title={t('purchase.plan')}
        subtitle={<Badge kind="info">{m.planStatuses[p.status]}</Badge>}
        back={{ href: href('purchasing'), label: t('purchase.title') }}
      />
      {plan.stale && <ConflictNotice text={t('purchase.stale')} onReload={() => void plan.reload()} />}
      <Section
        title={t('purchase.lines')}
        actions={
          draft &&
          can('purchase:plan') && (
            <ActionButton
              label={t('purchase.collect')}
              run={() => plan.change((etag) => collectShortages(api, id, etag))}
            />
          )
        }
      >
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('purchase.part')}</th>
              <th scope="col">{t('purchase.quantity')}</th>
              <th scope="col">{t('purchase.source')}</th>
              <th scope="col">{t('purchase.ordered')}</th>
            </tr>
          </thead>
          <tbody>
            {p.lines.map((l) => (
              <tr key={l.id}>
                <td>
                  {l.partNumber} · {l.name.zh}
                </td>
                <td>{l.quantity}</td>
                <td>{m.sources[l.source]}</td>
                <td>{l.orderId ? <a href={href(`purchasing/orders/${l.orderId}`)}>{l.orderId}</a> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {draft && can('purchase:plan') && <AddLine plan={p} change={plan.change} />}
      </Section>
      <Section title={t('purchase.signedParts')}>
        <Signed by={p.partsApproval} />
      </Section>
      <Section title={t('purchase.signedFinal')}>
        <Signed by={p.finalApproval} />
      </Section>
      {p.rejection && (
        <Section title={t('purchase.rejected')}>
          <p>
            {p.rejection.name}: {p.rejection.reason}
          </p>
        </Section>
      )}
      {step && mayApprove && (
        <Section title={step === 'parts' ? t('purchase.approveParts') : t('purchase.approveFinal')}>
          <ActionButton
            kind="btn btn-primary"
            label={step === 'parts' ? t('purchase.approveParts') : t('purchase.approveFinal')}
            run={() => plan.change((etag) => approvePlan(api, step, id, { verdict: 'approve' }, etag))}
          />
          <TextField label={t('purchase.reason')} value={reason} onValue={setReason} maxLength={300} />
          <ActionButton
            kind="btn btn-danger"
            label={t('purchase.reject')}
            run={() => plan.change((etag) => approvePlan(api, step, id, { verdict: 'reject', reason }, etag))}
          />
        </Section>
      )}
      {p.status === 'approved' && can('purchase:plan') && p.lines.some((l) => !l.orderId) && (
        <OrderForm plan={p} onDone={() => void plan.reload()} />
      )}
    </div>
  );
}

function AddLine({
  plan,
  change,
}: {
  plan: PurchasePlan;
  change: (fn: (etag: string) => Promise<unknown>) => Promise<void>;
}) {
  const { t } = useI18n();
  const { api } = useStore();
  const errors = useFormErrors();
  const [part, setPart] = useState<PickedPart | null>(null);
  const [quantity, setQuantity] = useState('1');
  const submit = async () => {
    try {
      const body = { partId: part?.id ?? '', quantity: Number(quantity) };
      await change((etag) => addPlanLine(api, plan.id, body, etag));
      setPart(null);
    } catch (e) {
      errors.refused(e);
    }
  };
  return (
    <ValidatedForm
      errors={errors}
      order={['body.partId', 'partId', 'quantity']}
      onSubmit={() => void submit()}
    >
      <h3>{t('purchase.addLine')}</h3>
      <PartPicker label={t('purchase.part')} field="partId" value={part} onChange={setPart} />
      <TextField
        label={t('purchase.quantity')}
        field="quantity"
        type="number"
        min={1}
        value={quantity}
        onValue={setQuantity}
      />
      <button type="submit" class="btn">
        {t('purchase.add')}
      </button>
    </ValidatedForm>
  );
}

/** 下单: one supplier, its terms and date, and the approved lines it takes. */
function OrderForm({ plan, onDone }: { plan: PurchasePlan; onDone: () => void }) {
  const { t, m } = useI18n();
  const { api } = useStore();
  const errors = useFormErrors();
  const keyFor = useIdempotencyKey();
  const open = plan.lines.filter((l) => !l.orderId);
  const [supplier, setSupplier] = useState('');
  const [payment, setPayment] = useState<'cash' | 'credit'>('credit');
  const [origin, setOrigin] = useState<'local' | 'out_of_town'>('local');
  const [expectedOn, setExpectedOn] = useState('');
  const [chosen, setChosen] = useState<string[]>(open.map((l) => l.id));
  const submit = async () => {
    const body = {
      planId: plan.id,
      supplier: { name: supplier },
      payment,
      origin,
      expectedOn,
      lines: chosen.map((planLineId) => ({ planLineId })),
    };
    try {
      await placeOrder(api, body, keyFor(body));
      onDone();
    } catch (e) {
      errors.refused(e);
    }
  };
  return (
    <Section title={t('purchase.placeOrder')}>
      <ValidatedForm
        errors={errors}
        order={['supplier.name', 'payment', 'origin', 'expectedOn', 'lines']}
        onSubmit={() => void submit()}
      >
        <TextField
          label={t('purchase.supplier')}
          field="supplier.name"
          value={supplier}
          onValue={setSupplier}
          required
        />
        <SelectField
          label={t('purchase.payment')}
          field="payment"
          value={payment}
          options={(['cash', 'credit'] as const).map((v) => ({ value: v, label: m.payments[v] }))}
          onValue={setPayment}
        />
        <SelectField
          label={t('purchase.origin')}
          field="origin"
          value={origin}
          options={(['local', 'out_of_town'] as const).map((v) => ({ value: v, label: m.origins[v] }))}
          onValue={setOrigin}
        />
        <TextField
          label={t('purchase.expectedOn')}
          field="expectedOn"
          type="date"
          value={expectedOn}
          onValue={setExpectedOn}
          required
        />
        <fieldset data-field="lines">
          <legend>{t('purchase.chooseLines')}</legend>
          {open.map((l) => (
            <Checkbox
              key={l.id}
              label={`${l.partNumber} × ${l.quantity}`}
              checked={chosen.includes(l.id)}
              onValue={(on) => setChosen((c) => (on ? [...c, l.id] : c.filter((x) => x !== l.id)))}
            />
          ))}
        </fieldset>
        <button type="submit" class="btn btn-primary">
          {t('purchase.placeOrder')}
        </button>
      </ValidatedForm>
    </Section>
  );
}
