import { useCallback } from 'preact/hooks';
import { Link, navigate } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { useIdempotencyKey } from '../components/idempotency.ts';
import { useLoad } from '../components/load.ts';
import { Badge, PageHeader, Section } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import { createPlan, listOrders, listPlans } from './api.ts';
import { ActionButton, Listed } from './shared.tsx';

/** 采购: the plans (newest first) and the orders, with a new draft plan for the parts desk. */
export function PurchasingPage() {
  const { t, m, dateTime, date } = useI18n();
  const { api, can, href } = useStore();
  const keyFor = useIdempotencyKey();
  const plans = useLoad(useCallback(() => listPlans(api, { limit: 25 }), [api]));
  const orders = useLoad(useCallback(() => listOrders(api, { limit: 25 }), [api]));
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
        <Listed loaded={plans}>
          {(items) => (
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{t('purchase.created')}</th>
                  <th scope="col">{t('purchase.lines')}</th>
                  <th scope="col">{t('purchase.status')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((p) => (
                  <tr key={p.id}>
                    <td>
                      <Link href={href(`purchasing/plans/${p.id}`)}>{dateTime(p.createdAt)}</Link>
                      {p.note && <span class="muted"> · {p.note}</span>}
                    </td>
                    <td>{p.lines.length}</td>
                    <td>
                      <Badge
                        kind={
                          p.status === 'approved' ? 'success' : p.status === 'rejected' ? 'danger' : 'info'
                        }
                      >
                        {m.planStatuses[p.status]}
                      </Badge>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Listed>
      </Section>
      <Section title={t('purchase.orders')}>
        <Listed loaded={orders}>
          {(items) => (
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{t('purchase.supplier')}</th>
                  <th scope="col">{t('purchase.expectedOn')}</th>
                  <th scope="col">{t('purchase.payment')}</th>
                  <th scope="col">{t('purchase.status')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((o) => (
                  <tr key={o.id}>
                    <td>
                      <Link href={href(`purchasing/orders/${o.id}`)}>{o.supplier.name}</Link>
                    </td>
                    <td>{date(o.expectedOn)}</td>
                    <td>
                      {m.payments[o.payment]} · {m.origins[o.origin]}
                    </td>
                    <td>
                      <Badge kind={o.status === 'open' ? 'info' : 'success'}>
                        {m.orderStatuses[o.status]}
                      </Badge>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Listed>
      </Section>
    </div>
  );
}
