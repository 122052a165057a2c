import type { Schemas } from '@aftersales/api-client';
import { useCallback, useState } from 'preact/hooks';
import { Link } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { TextField } from '../components/forms.tsx';
import { ListTable, usePagedList } from '../components/ListTable.tsx';
import { Badge, PageHeader, Section } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import { listParts } from './api.ts';

type CataloguePart = Schemas['CataloguePart'];

/** ¥ with two decimals, from fen. */
export const yuan = (m: { amountMinor: number }) => `¥${(m.amountMinor / 100).toFixed(2)}`;

/** 配件目录: the catalogue by number prefix with each part's book (one Query and one BatchGet a page). */
export function CataloguePage() {
  const { t, m, number, locale } = useI18n();
  const { api, can, href } = useStore();
  const manage = can('part:manage');
  const [prefix, setPrefix] = useState('');
  const parts = usePagedList<CataloguePart>(
    useCallback(
      (cursor?: string) =>
        listParts(api, { number: prefix.trim(), limit: 50, ...(cursor ? { cursor } : {}) }),
      [api, prefix],
    ),
  );
  const name = (p: CataloguePart) => (locale === 'en' && p.name.en ? p.name.en : p.name.zh);
  const belowMin = (p: CataloguePart) => p.minStock > 0 && p.stock.available < p.minStock;

  return (
    <div class="page">
      <PageHeader
        title={t('part.title')}
        actions={
          manage && (
            <>
              <Link class="btn btn-primary" href={href('parts/new')}>
                {t('part.new')}
              </Link>
              <Link class="btn" href={href('parts/imports')}>
                {t('part.import')}
              </Link>
            </>
          )
        }
      />
      <Section title={t('nav.parts')}>
        <TextField label={t('part.find')} value={prefix} maxLength={40} onValue={setPrefix} />
        <ListTable
          {...parts}
          columns={[
            {
              label: t('part.number'),
              cell: (p) => <Link href={href(`parts/${p.id}`)}>{p.partNumber}</Link>,
            },
            {
              label: t('part.name'),
              cell: (p) => (p.active ? name(p) : `${name(p)} (${t('part.inactive')})`),
            },
            { label: t('part.brand'), cell: (p) => p.brand },
            { label: t('part.unit'), cell: (p) => m.partUnits[p.unit] },
            { label: t('part.listPrice'), num: true, cell: (p) => yuan(p.listPrice) },
            { label: t('part.onHand'), num: true, cell: (p) => number(p.stock.onHand) },
            { label: t('part.reserved'), num: true, cell: (p) => number(p.stock.reserved) },
            {
              label: t('part.available'),
              num: true,
              cell: (p) =>
                belowMin(p) ? (
                  <>
                    <Badge kind="warning">{t('part.belowMin')}</Badge> {number(p.stock.available)}
                  </>
                ) : (
                  number(p.stock.available)
                ),
            },
            {
              label: t('part.minMax'),
              num: true,
              cell: (p) => `${number(p.minStock)} / ${number(p.maxStock)}`,
            },
          ]}
          rowKey={(p) => p.id}
          rowClass={(p) => (belowMin(p) ? 'row-warning' : undefined)}
          empty={t('part.none')}
        />
      </Section>
    </div>
  );
}
