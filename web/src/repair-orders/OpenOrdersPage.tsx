import { RepairOrderStatus } from '@aftersales/domain';
import { useCallback } from 'preact/hooks';
import { Link, navigate, useLocation } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { SelectField } from '../components/forms.tsx';
import { ListTable, usePagedList } from '../components/ListTable.tsx';
import { PageHeader, Plate, Section } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import { listOpenRepairOrders, type OpenStatus, type RepairOrder } from './api.ts';
import { Lateness, lateMinutes, StatusBadge } from './shared.tsx';

const OPEN_STATUSES = RepairOrderStatus.options.filter(
  (s): s is OpenStatus => s !== 'delivered' && s !== 'cancelled',
);

/** 在修工单: the store's open orders by status then promised time, late ones marked; filtered by status. */
export function OpenOrdersPage() {
  const { t, m, dateTime } = useI18n();
  const { api, href, canOpen } = useStore();
  const { query } = useLocation();
  const chosen = query.get('status');
  const status = OPEN_STATUSES.find((s) => s === chosen);
  const list = usePagedList(
    useCallback(
      (cursor?: string) =>
        listOpenRepairOrders(api, { ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) }),
      [api, status],
    ),
  );

  return (
    <div class="page">
      <PageHeader
        title={t('ro.title')}
        actions={
          canOpen('repair-orders/new') && (
            <Link class="btn btn-primary" href={href('repair-orders/new')}>
              {t('ro.new')}
            </Link>
          )
        }
      />
      <Section title={t('nav.repairOrders')}>
        <div class="grid-3">
          <SelectField<OpenStatus | ''>
            label={t('ro.filterStatus')}
            value={status ?? ''}
            options={[
              { value: '', label: t('ro.allStatuses') },
              ...OPEN_STATUSES.map((s) => ({ value: s, label: m.roStatuses[s] })),
            ]}
            onValue={(s) =>
              navigate(href(s ? `repair-orders?status=${s}` : 'repair-orders'), { replace: true })
            }
          />
        </div>
        <ListTable<RepairOrder>
          {...list}
          empty={t('ro.none')}
          rowKey={(ro) => ro.id}
          rowClass={(ro) => (lateMinutes(ro) > 0 ? 'row-warning' : undefined)}
          columns={[
            {
              label: t('ro.plate'),
              cell: (ro) => (
                <Link href={href(`repair-orders/${ro.id}`)}>
                  <Plate plate={ro.plate} />
                </Link>
              ),
            },
            { label: t('ro.customer'), cell: (ro) => ro.customerName },
            { label: t('ro.status'), cell: (ro) => <StatusBadge status={ro.status} /> },
            { label: t('ro.promised'), cell: (ro) => dateTime(ro.promisedAt) },
            { label: t('ro.lateness'), cell: (ro) => <Lateness ro={ro} /> },
          ]}
        />
      </Section>
    </div>
  );
}
