import { useCallback } from 'preact/hooks';
import { Link } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { ListTable, usePagedList } from '../components/ListTable.tsx';
import { PageHeader, Section } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import { yuan } from './CataloguePage.tsx';
import { listObsoleteStock, type ObsoleteStock } from './stock-api.ts';

/**
 * 呆滞库存: parts with stock on hand and no movement for 12 months, the longest idle first, at average
 * cost — what the parts manager returns to the supplier, transfers to a sister store or writes off.
 */
export function ObsoleteStockPage() {
  const { t, locale, dateTime } = useI18n();
  const { api, href } = useStore();
  const list = usePagedList<ObsoleteStock>(
    useCallback(
      (cursor?: string) => listObsoleteStock(api, { limit: 50, ...(cursor ? { cursor } : {}) }),
      [api],
    ),
  );
  const nameOf = (s: ObsoleteStock) => (locale === 'en' && s.name.en ? s.name.en : s.name.zh);

  return (
    <div class="page page-wide">
      <PageHeader title={t('stock.obsoleteTitle')} />
      <p class="muted">{t('stock.obsoleteHint')}</p>
      <Section title={t('nav.obsoleteStock')}>
        <ListTable
          {...list}
          columns={[
            {
              label: t('stock.partNumber'),
              cell: (s) => <Link href={href(`parts/${s.partId}`)}>{s.partNumber}</Link>,
            },
            { label: t('stock.partName'), cell: nameOf },
            { label: t('stock.onHand'), cell: (s) => s.onHand },
            { label: t('stock.value'), cell: (s) => yuan({ amountMinor: s.valueMinor }) },
            { label: t('stock.lastMoved'), cell: (s) => dateTime(s.lastMovedAt) },
          ]}
          rowKey={(s) => s.partId}
          empty={t('stock.obsoleteNone')}
        />
      </Section>
    </div>
  );
}
