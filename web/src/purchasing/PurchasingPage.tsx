import { useCallback } from 'preact/hooks';
import { Link, navigate } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { useIdempotencyKey } from '../components/idempotency.ts';
import { ListTable, usePagedList } from '../components/ListTable.tsx';
import { Badge, PageHeader, Section } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import { createPlan, listOrders, listPlans } from './api.ts';
import { ActionButton } from './shared.tsx';

/** 采购: the plans (newest first) and the orders, a page at a time, with a new draft plan for the parts desk. */
export function PurchasingPage() {
  const { t, m, dateTime, date } = useI18n();
  const { api, can, href } = useStore();
  const keyFor = useIdempotencyKey();
  const plans = usePagedList(
    useCallback((cursor?: string) => listPlans(api, { limit: 25, ...(cursor ? { cursor } : {}) }), [api]),
  );
  const orders = usePagedList(
    useCallback((cursor?: string) => listOrders(api, { limit: 25, ...(cursor ? { cursor } : {}) }), [api]),
  );
  const newPlan = async () => {
    const body = { lines: [] };
    const plan = await createPlan(api, body, keyFor(body));
    navigate(href(`purchasing/plans/${plan.data.id}`));
  };
  return (
    <div class="page">
      <PageHeader
        title={t('purchase.title')}
        actions={
          <>
            <Link class="btn" href={href('purchasing/discrepancies')}>
              {t('purchase.discrepancies')}
            </Link>
            {can('purchase:plan') && (
              <ActionButton kind="btn btn-primary" label={t('purchase.newPlan')} run={newPlan} />
            )}
          </>
        }
      />
      <Section title={t('purchase.plans')}>
        <ListTable
          {...plans}
          columns={[
            {
              label: t('purchase.created'),
              cell: (p) => (
                <>
                  <Link href={href(`purchasing/plans/${p.id}`)}>{dateTime(p.createdAt)}</Link>
                  {p.note && <span class="muted"> · {p.note}</span>}
                </>
              ),
            },
            { label: t('purchase.lines'), cell: (p) => p.lines.length, num: true },
            {
              label: t('purchase.status'),
              cell: (p) => (
                <Badge
                  kind={p.status === 'approved' ? 'success' : p.status === 'rejected' ? 'danger' : 'info'}
                >
                  {m.planStatuses[p.status]}
                </Badge>
              ),
            },
          ]}
          rowKey={(p) => p.id}
          empty={t('purchase.none')}
        />
      </Section>
      <Section title={t('purchase.orders')}>
        <ListTable
          {...orders}
          columns={[
            {
              label: t('purchase.supplier'),
              cell: (o) => <Link href={href(`purchasing/orders/${o.id}`)}>{o.supplier.name}</Link>,
            },
            { label: t('purchase.expectedOn'), cell: (o) => date(o.expectedOn) },
            {
              label: t('purchase.payment'),
              cell: (o) => `${m.payments[o.payment]} · ${m.origins[o.origin]}`,
            },
            {
              label: t('purchase.status'),
              cell: (o) => (
                <Badge kind={o.status === 'open' ? 'info' : 'success'}>{m.orderStatuses[o.status]}</Badge>
              ),
            },
          ]}
          rowKey={(o) => o.id}
          empty={t('purchase.none')}
        />
      </Section>
    </div>
  );
}
