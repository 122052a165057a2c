import { useCallback } from 'preact/hooks';
import { Link } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { useLoad } from '../components/load.ts';
import { Badge, PageHeader, Section } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import { listDiscrepancies } from './api.ts';
import { Listed, yuan } from './shared.tsx';

/** 差损单: what arrived short, damaged or wrong, and the claims against suppliers and carriers. */
export function DiscrepanciesPage() {
  const { t, m, dateTime } = useI18n();
  const { api, href } = useStore();
  const reports = useLoad(useCallback(() => listDiscrepancies(api, { limit: 50 }), [api]));
  return (
    <div class="page">
      <PageHeader
        title={t('purchase.discrepancies')}
        back={{ href: href('purchasing'), label: t('purchase.title') }}
      />
      <Section title={t('purchase.discrepancies')}>
        <Listed loaded={reports}>
          {(items) => (
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{t('purchase.receipt')}</th>
                  <th scope="col">{t('purchase.lines')}</th>
                  <th scope="col">{t('purchase.claim')}</th>
                  <th scope="col">{t('purchase.status')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((r) => (
                  <tr key={r.receiptId}>
                    <td>
                      <Link href={href(`purchasing/receipts/${r.receiptId}`)}>
                        {r.supplier} · {r.deliveryNote}
                      </Link>
                      <span class="muted"> · {dateTime(r.reportedAt)}</span>
                    </td>
                    <td>
                      {r.lines
                        .map((l) => `${l.partNumber} × ${l.quantity} (${m.refusals[l.reason]})`)
                        .join('; ')}
                    </td>
                    <td>
                      {m.parties[r.claim.against]} {r.claim.party} · {yuan(r.claim.amount)}
                    </td>
                    <td>
                      <Badge kind={r.claim.status === 'open' ? 'warning' : 'success'}>
                        {m.claimStatuses[r.claim.status]}
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
