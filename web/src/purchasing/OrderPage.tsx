import { useCallback, useState } from 'preact/hooks';
import { Link } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { ConflictNotice, useVersionedRecord } from '../components/conflict.tsx';
import { TextField, useFormErrors, ValidatedForm } from '../components/forms.tsx';
import { useIdempotencyKey } from '../components/idempotency.ts';
import { useLoad } from '../components/load.ts';
import { Badge, ErrorNotice, Facts, Loading, PageHeader, Section } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import { getOrder, orderReceipts, type PurchaseOrder, recordDelivery, rescheduleOrder } from './api.ts';
import { Listed, yuan } from './shared.tsx';

/** 采购订单: its terms, its lines' received / refused / cancelled counts, and its deliveries. */
export function OrderPage({ id }: { id: string }) {
  const { t, m, date, dateTime } = useI18n();
  const { api, can, href } = useStore();
  const order = useVersionedRecord(useCallback(() => getOrder(api, id), [api, id]));
  const receipts = useLoad(useCallback(() => orderReceipts(api, id), [api, id]));
  if (order.error) return <ErrorNotice error={order.error} onRetry={() => void order.reload()} />;
  if (!order.data) return <Loading />;
  const o = order.data.data;
  return (
    <div class="page">
      <PageHeader
        title={`${t('purchase.order')} · ${o.supplier.name}`}
        subtitle={<Badge kind={o.status === 'open' ? 'info' : 'success'}>{m.orderStatuses[o.status]}</Badge>}
        back={{ href: href('purchasing'), label: t('purchase.title') }}
      />
      {order.stale && <ConflictNotice text={t('purchase.stale')} onReload={() => void order.reload()} />}
      <Section title={t('purchase.order')}>
        <Facts
          items={[
            [t('purchase.supplier'), o.supplier.name],
            [t('purchase.payment'), m.payments[o.payment]],
            [t('purchase.origin'), m.origins[o.origin]],
            [t('purchase.expectedOn'), date(o.expectedOn)],
          ]}
        />
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('purchase.part')}</th>
              <th scope="col">{t('purchase.quantity')}</th>
              <th scope="col">{t('purchase.unitCost')}</th>
              <th scope="col">{t('purchase.received')}</th>
              <th scope="col">{t('purchase.refused')}</th>
              <th scope="col">{t('purchase.cancelled')}</th>
            </tr>
          </thead>
          <tbody>
            {o.lines.map((l) => (
              <tr key={l.id}>
                <td>
                  {l.partNumber} · {l.name.zh}
                </td>
                <td>{l.quantity}</td>
                <td>{yuan(l.unitCost)}</td>
                <td>{l.received}</td>
                <td>{l.refused}</td>
                <td>{l.cancelled}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {o.status === 'open' && can('purchase:plan') && <ExpectedDateForm order={o} change={order.change} />}
      </Section>
      <Section title={t('purchase.receipts')}>
        <Listed loaded={receipts}>
          {(items) => (
            <ul>
              {items.map((r) => (
                <li key={r.id}>
                  <Link href={href(`purchasing/receipts/${r.id}`)}>
                    {r.deliveryNote} · {dateTime(r.createdAt)}
                  </Link>{' '}
                  <Badge kind="info">{m.receiptStatuses[r.status]}</Badge>
                </li>
              ))}
            </ul>
          )}
        </Listed>
      </Section>
      {o.status === 'open' && can('purchase:plan') && (
        <DeliveryForm order={o} onDone={() => void Promise.all([order.reload(), receipts.reload()])} />
      )}
    </div>
  );
}

/** 改期: the supplier moved the delivery; the parts' books, and the bookings waiting, show the new date. */
function ExpectedDateForm({
  order,
  change,
}: {
  order: PurchaseOrder;
  change: (fn: (etag: string) => Promise<unknown>) => Promise<void>;
}) {
  const { t } = useI18n();
  const { api } = useStore();
  const errors = useFormErrors();
  const [expectedOn, setExpectedOn] = useState(order.expectedOn);
  const submit = async () => {
    try {
      await change((etag) => rescheduleOrder(api, order.id, { expectedOn }, etag));
    } catch (e) {
      errors.refused(e);
    }
  };
  return (
    <ValidatedForm errors={errors} order={['expectedOn']} onSubmit={() => void submit()}>
      <h3>{t('purchase.reschedule')}</h3>
      <TextField
        label={t('purchase.newExpectedOn')}
        field="expectedOn"
        type="date"
        value={expectedOn}
        onValue={setExpectedOn}
        required
      />
      <button type="submit" class="btn" disabled={expectedOn === order.expectedOn}>
        {t('purchase.saveDate')}
      </button>
    </ValidatedForm>
  );
}

/** 第一检: the delivery note's quantities and what was counted, per outstanding line. */
function DeliveryForm({ order, onDone }: { order: PurchaseOrder; onDone: () => void }) {
  const { t } = useI18n();
  const { api } = useStore();
  const errors = useFormErrors();
  const keyFor = useIdempotencyKey();
  const open = order.lines.filter((l) => l.quantity - l.received - l.cancelled > 0);
  const [note, setNote] = useState('');
  const [counts, setCounts] = useState<Record<string, { noted: string; delivered: string }>>({});
  const count = (id: string) => counts[id] ?? { noted: '0', delivered: '0' };
  const submit = async () => {
    const lines = open
      .map((l) => ({
        orderLineId: l.id,
        noted: Number(count(l.id).noted),
        delivered: Number(count(l.id).delivered),
      }))
      .filter((l) => l.noted > 0);
    const body = { orderId: order.id, deliveryNote: note, lines };
    try {
      await recordDelivery(api, body, keyFor(body));
      setNote('');
      setCounts({});
      onDone();
    } catch (e) {
      errors.refused(e);
    }
  };
  return (
    <Section title={t('purchase.recordDelivery')}>
      <ValidatedForm errors={errors} order={['deliveryNote', 'lines']} onSubmit={() => void submit()}>
        <TextField
          label={t('purchase.deliveryNote')}
          field="deliveryNote"
          value={note}
          onValue={setNote}
          required
        />
        {open.map((l, i) => (
          <fieldset key={l.id} data-field={`lines.${i}`}>
            <legend>
              {l.partNumber} · {l.name.zh}
            </legend>
            <TextField
              label={t('purchase.noted')}
              type="number"
              min={0}
              field={`lines.${i}.noted`}
              value={count(l.id).noted}
              onValue={(v) => setCounts((c) => ({ ...c, [l.id]: { ...count(l.id), noted: v } }))}
            />
            <TextField
              label={t('purchase.delivered')}
              type="number"
              min={0}
              field={`lines.${i}.delivered`}
              value={count(l.id).delivered}
              onValue={(v) => setCounts((c) => ({ ...c, [l.id]: { ...count(l.id), delivered: v } }))}
            />
          </fieldset>
        ))}
        <button type="submit" class="btn btn-primary">
          {t('purchase.recordDelivery')}
        </button>
      </ValidatedForm>
    </Section>
  );
}
