import { useCallback } from 'preact/hooks';
import { Link } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { ListTable, usePagedList } from '../components/ListTable.tsx';
import { Badge, PageHeader, Section } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import { listDiscrepancies } from './api.ts';
import { yuan } from './shared.tsx';

/** 差损单: what arrived short, damaged or wrong, and the claims against suppliers and carriers, newest first. */
export function DiscrepanciesPage() {
  const { t, m, dateTime } = useI18n();
  const { api, href } = useStore();
  const reports = usePagedList(
    useCallback(
      (cursor?: string) => listDiscrepancies(api, { limit: 50, ...(cursor ? { cursor } : {}) }),
      [api],
    ),
  );
  return (
    <div class="page">
      <PageHeader
        title={t('purchase.discrepancies')}
        back={{ href: href('purchasing'), label: t('purchase.title') }}
      />
      <Section title={t('purchase.discrepancies')}>
        <ListTable
          {...reports}
          columns={[
            {
              label: t('purchase.receipt'),
              cell: (r) => (
                <>
                  <Link href={href(`purchasing/receipts/${r.receiptId}`)}>
                    {r.supplier} · {r.deliveryNote}
                  </Link>
                  <span class="muted"> · {dateTime(r.reportedAt)}</span>
                </>
              ),
            },
            {
              label: t('purchase.lines'),
              cell: (r) =>
                r.lines.map((l) => `${l.partNumber} × ${l.quantity} (${m.refusals[l.reason]})`).join('; '),
            },
            {
              label: t('purchase.claim'),
              cell: (r) => `${m.parties[r.claim.against]} ${r.claim.party} · ${yuan(r.claim.amount)}`,
            },
            {
              label: t('purchase.status'),
              cell: (r) => (
                <Badge kind={r.claim.status === 'open' ? 'warning' : 'success'}>
                  {m.claimStatuses[r.claim.status]}
                </Badge>
              ),
            },
          ]}
          rowKey={(r) => r.receiptId}
          empty={t('purchase.none')}
        />
      </Section>
    </div>
  );
}
