import { PICK_SHELF_BIN, StockDocumentType } from '@aftersales/domain';
import { useCallback } from 'preact/hooks';
import { useStore } from '../app/session.tsx';
import { useLoad } from '../components/load.ts';
import { ErrorNotice, Loading, Notice, PageHeader } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import { getPickList } from './stock-api.ts';

/**
 * 拣货单: what to pick for one booking or repair order, part by part, with the bins that hold it
 * (fullest first). Printed on A4 for the keeper (`@media print` in styles.css keeps only the sheet).
 */
export function PickListPage({ documentType, documentId }: { documentType: string; documentId: string }) {
  const { t, locale } = useI18n();
  const { api } = useStore();
  const type = StockDocumentType.safeParse(documentType);
  const pick = useLoad(
    useCallback(
      () => getPickList(api, type.success ? type.data : 'appointment', documentId),
      [api, type.success, type.data, documentId],
    ),
  );
  const title = t('stock.pickFor', {
    document: type.success ? t(`stock.doc.${type.data}`) : documentType,
    id: documentId,
  });

  return (
    <div class="page pick-list">
      <PageHeader title={t('stock.pickTitle')} subtitle={title} />
      <div class="actions no-print">
        <button type="button" class="btn" onClick={() => window.print()}>
          {t('stock.print')}
        </button>
      </div>
      {pick.error ? (
        <ErrorNotice error={pick.error} onRetry={() => void pick.reload()} />
      ) : !pick.data ? (
        <Loading />
      ) : pick.data.lines.length === 0 ? (
        <Notice kind="info">{t('stock.pickNone')}</Notice>
      ) : (
        <>
          <p>{t('stock.pickShelf', { bin: PICK_SHELF_BIN })}</p>
          <div class="table-wrap">
            <table class="table">
              <caption class="visually-hidden">{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('stock.partNumber')}</th>
                  <th scope="col">{t('stock.partName')}</th>
                  <th scope="col">{t('stock.pickQuantity')}</th>
                  <th scope="col">{t('stock.pickBins')}</th>
                  <th scope="col">{t('stock.picked')}</th>
                </tr>
              </thead>
              <tbody>
                {pick.data.lines.map((l) => (
                  <tr key={l.partId}>
                    <td>{l.partNumber}</td>
                    <td>{locale === 'en' && l.name.en ? l.name.en : l.name.zh}</td>
                    <td>{l.quantity}</td>
                    <td>{l.bins.map((b) => `${b.bin} (${b.onHand})`).join(', ')}</td>
                    <td class="sign-cell" />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
