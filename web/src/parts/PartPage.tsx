import type { Schemas } from '@aftersales/api-client';
import { PartPatch } from '@aftersales/domain';
import { useCallback, useState } from 'preact/hooks';
import { useStore } from '../app/session.tsx';
import { useEditing } from '../components/editing.ts';
import { ValidatedForm } from '../components/forms.tsx';
import { HistoryList } from '../components/HistoryList.tsx';
import { ListTable, usePagedList } from '../components/ListTable.tsx';
import { Badge, ErrorNotice, Facts, Loading, Notice, PageHeader, Section } from '../components/ui.tsx';
import { schemaErrors } from '../components/validation.ts';
import { useI18n } from '../i18n/index.tsx';
import { getPart, partHistory, partMovements, updatePart } from './api.ts';
import { yuan } from './CataloguePage.tsx';
import { MovementForm } from './MovementForm.tsx';
import { PART_FIELD_ORDER, PartFields, type PartForm, partForm, partInput } from './PartFields.tsx';

type Movement = Schemas['StockMovement'];

/** What an edit may change: every field but the part number (PartPatch). */
const PATCHABLE = Object.keys(PartPatch.shape) as (keyof Schemas['PartPatch'])[];

/** The fields the user changed, an emptied optional one as null (which clears it). */
function changesOf(before: PartForm, after: PartForm): Record<string, unknown> {
  const from = partInput(before) as Record<string, unknown>;
  const to = partInput(after) as Record<string, unknown>;
  const changes: Record<string, unknown> = {};
  for (const key of PATCHABLE) {
    if (JSON.stringify(from[key]) === JSON.stringify(to[key])) continue;
    changes[key] = to[key] === undefined ? null : to[key];
  }
  return changes;
}

const noNames = () => Promise.resolve(undefined);

/** 配件: the catalogue entry, its book (帐), its bins (物) and its ledger (卡); parts staff edit the entry. */
export function PartPage({ partId }: { partId: string }) {
  const { t, m, number, dateTime, date, locale } = useI18n();
  const { api, can, href } = useStore();
  const manage = can('part:manage');
  const { record, form, setForm, errors, conflict, loadError, retry } = useEditing({
    load: useCallback(() => getPart(api, partId), [api, partId]),
    toForm: partForm,
  });
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const movements = usePagedList<Movement>(
    useCallback((cursor?: string) => partMovements(api, partId, cursor), [api, partId]),
  );
  const loadHistory = useCallback((cursor?: string) => partHistory(api, partId, cursor), [api, partId]);

  if (loadError) return <ErrorNotice error={loadError} onRetry={retry} />;
  if (!record || !form) return <Loading />;
  const p = record.data;
  const name = locale === 'en' && p.name.en ? p.name.en : p.name.zh;
  const { stock } = p;

  const submit = async () => {
    if (busy) return;
    setSaved(false);
    const changes = changesOf(partForm(p), form);
    if (Object.keys(changes).length === 0) return;
    const parsed = PartPatch.safeParse(changes);
    if (!parsed.success) return errors.fail(schemaErrors(parsed.error.issues, m));
    errors.set({});
    setBusy(true);
    try {
      await updatePart(api, partId, parsed.data, record.etag);
      setSaved(true);
      retry();
    } catch (err) {
      errors.refused(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="page">
      <PageHeader
        back={{ href: href('parts'), label: t('nav.parts') }}
        title={`${p.partNumber} · ${name}`}
        subtitle={p.active ? p.brand : `${p.brand} · ${t('part.inactive')}`}
      />
      <Section title={t('part.book')}>
        <Facts
          items={[
            [t('part.onHand'), number(stock.onHand)],
            [t('part.reserved'), number(stock.reserved)],
            [
              t('part.available'),
              p.minStock > 0 && stock.available < p.minStock ? (
                <>
                  {number(stock.available)} <Badge kind="warning">{t('part.belowMin')}</Badge>
                </>
              ) : (
                number(stock.available)
              ),
            ],
            [t('part.minMax'), `${number(p.minStock)} / ${number(p.maxStock)}`],
            [t('part.custody'), number(stock.custody)],
            [t('part.avgCost'), yuan({ amountMinor: Math.round(stock.avgCostMinor) })],
            [t('part.value'), yuan({ amountMinor: stock.valueMinor })],
            [t('part.lastMoved'), stock.lastMovedAt ? dateTime(stock.lastMovedAt) : ''],
            [t('part.expectedOn'), stock.expectedOn ? date(stock.expectedOn) : ''],
          ]}
        />
      </Section>
      <Section title={t('part.bins')}>
        <ListTable
          rows={p.bins}
          columns={[
            { label: t('part.bin'), cell: (b) => b.bin },
            { label: t('part.onHand'), num: true, cell: (b) => number(b.onHand) },
            { label: t('part.custody'), cell: (b) => (b.custody ? m.common.yes : m.common.no) },
          ]}
          rowKey={(b) => b.bin}
          empty={t('part.noBins')}
        />
      </Section>
      {(can('stock:move') || can('stock:reserve')) && (
        <Section title={t('stock.moveTitle')}>
          <MovementForm
            partId={partId}
            onPosted={() => {
              retry();
              movements.refresh();
            }}
          />
        </Section>
      )}
      <Section title={t('part.details')}>
        {manage ? (
          <ValidatedForm
            errors={errors}
            order={PART_FIELD_ORDER}
            onSubmit={submit}
            conflict={conflict(t('conflict.part'))}
          >
            {saved && <Notice kind="success">{t('part.saved')}</Notice>}
            <PartFields value={form} onChange={(f) => setForm(() => f)} isNew={false} />
            <div class="form-actions">
              <button type="submit" class="btn btn-primary" disabled={busy}>
                {busy ? t('form.saving') : t('form.saveChanges')}
              </button>
            </div>
          </ValidatedForm>
        ) : (
          <>
            <p class="muted">{t('part.readOnly')}</p>
            <Facts
              items={[
                [t('part.number'), p.partNumber],
                [t('part.nameZh'), p.name.zh],
                [t('part.nameEn'), p.name.en ?? ''],
                [t('part.brand'), p.brand],
                [t('part.models'), p.models.join('; ')],
                [t('part.unit'), m.partUnits[p.unit]],
                [t('part.listPrice'), yuan(p.listPrice)],
                [t('part.supersedes'), p.supersedes ?? ''],
                [t('part.supersededBy'), p.supersededBy ?? ''],
                [t('part.defaultBin'), p.defaultBin ?? ''],
              ]}
            />
          </>
        )}
      </Section>
      <Section title={t('part.ledger')}>
        <ListTable
          {...movements}
          columns={[
            { label: t('part.at'), cell: (x) => dateTime(x.at) },
            { label: t('part.kind'), cell: (x) => m.movementKinds[x.kind] },
            { label: t('part.quantity'), num: true, cell: (x) => number(x.quantity) },
            { label: t('part.bin'), cell: (x) => (x.toBin ? `${x.bin ?? ''} → ${x.toBin}` : (x.bin ?? '')) },
            {
              label: t('part.document'),
              cell: (x) => (x.document ? `${m.stockDocuments[x.document.type]} ${x.document.id}` : ''),
            },
            { label: t('part.by'), cell: (x) => x.by.name },
            { label: t('part.reason'), cell: (x) => x.reason ?? '' },
          ]}
          rowKey={(x) => x.id}
          empty={t('part.noMovements')}
        />
      </Section>
      <Section title={t('tabs.history')}>
        <HistoryList load={loadHistory} nameOf={noNames} />
      </Section>
    </div>
  );
}
