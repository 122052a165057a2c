import { useCallback } from 'preact/hooks';
import { navigate, useLocation } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { TextField } from '../components/forms.tsx';
import { ListTable, usePagedList } from '../components/ListTable.tsx';
import { Badge, PageHeader, Section } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import { type BinStock, listBins } from './stock-api.ts';

/**
 * 货位: every bin of the store in location order with what it holds, narrowed to a warehouse, rack or
 * shelf by the start of its location (`A-03`). The filter lives in the address, so a list can be shared.
 */
export function StockPage() {
  const { t, locale } = useI18n();
  const { api, href } = useStore();
  const { query } = useLocation();
  const location = (query.get('location') ?? '').toUpperCase();
  const list = usePagedList<BinStock>(
    useCallback(
      (cursor?: string) =>
        listBins(api, { limit: 50, ...(location ? { location } : {}), ...(cursor ? { cursor } : {}) }),
      [api, location],
    ),
  );
  const nameOf = (b: BinStock) => (locale === 'en' && b.name.en ? b.name.en : b.name.zh);

  return (
    <div class="page page-wide">
      <PageHeader title={t('stock.title')} />
      <div class="grid-3">
        <TextField
          label={t('stock.filter')}
          hint={t('stock.filterHint')}
          value={location}
          maxLength={19}
          onValue={(v) => {
            const next = v.trim().toUpperCase();
            navigate(href(next ? `stock?location=${encodeURIComponent(next)}` : 'stock'), { replace: true });
          }}
        />
      </div>
      <Section title={t('nav.stock')}>
        <ListTable
          {...list}
          columns={[
            { label: t('stock.bin'), cell: (b) => <code>{b.bin}</code> },
            { label: t('stock.partNumber'), cell: (b) => b.partNumber },
            { label: t('stock.partName'), cell: nameOf },
            {
              label: t('stock.onHand'),
              cell: (b) => (
                <>
                  {b.onHand}
                  {b.custody && <Badge kind="warning">{t('stock.custody')}</Badge>}
                </>
              ),
            },
          ]}
          rowKey={(b) => `${b.bin}|${b.partId}`}
          empty={t('stock.none')}
        />
      </Section>
    </div>
  );
}
