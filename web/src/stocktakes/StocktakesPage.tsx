import { StocktakeInput, StocktakeKind } from '@aftersales/domain';
import { useCallback, useState } from 'preact/hooks';
import { Link, navigate } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { SelectField, TextField, useFormErrors, ValidatedForm } from '../components/forms.tsx';
import { useIdempotencyKey } from '../components/idempotency.ts';
import { ListTable, usePagedList } from '../components/ListTable.tsx';
import { Notice, PageHeader, Section } from '../components/ui.tsx';
import { optional, schemaErrors } from '../components/validation.ts';
import { useI18n } from '../i18n/index.tsx';
import { listStocktakes, openStocktake, type Stocktake } from './api.ts';
import { StocktakeStatusBadge } from './StocktakeStatus.tsx';

/** 盘点: the store's stocktakes, newest first; the warehouse opens a count sheet by location. */
export function StocktakesPage() {
  const { t, m, date } = useI18n();
  const { api, can, href } = useStore();
  const count = can('stocktake:count');
  const list = usePagedList<Stocktake>(
    useCallback((cursor?: string) => listStocktakes(api, cursor ? { cursor } : {}), [api]),
  );
  const errors = useFormErrors();
  const [form, setForm] = useState({ kind: 'monthly' as StocktakeKind, locationPrefix: '', date: '' });
  const [busy, setBusy] = useState(false);
  const idempotencyKey = useIdempotencyKey();

  const submit = async () => {
    if (busy) return;
    const day = optional(form.date);
    const parsed = StocktakeInput.safeParse({
      kind: form.kind,
      locationPrefix: form.locationPrefix,
      ...(day ? { date: day } : {}),
    });
    if (!parsed.success) return errors.fail(schemaErrors(parsed.error.issues, m));
    setBusy(true);
    try {
      const opened = await openStocktake(api, parsed.data, idempotencyKey(parsed.data));
      navigate(href(`stocktakes/${encodeURIComponent(opened.data.id)}`));
    } catch (err) {
      errors.refused(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="page page-wide">
      <PageHeader title={t('stk.title')} />
      {!count && <Notice kind="info">{t('stk.readOnly')}</Notice>}
      <Section title={t('nav.stocktakes')}>
        <ListTable
          {...list}
          columns={[
            {
              label: t('stk.date'),
              cell: (s) => <Link href={href(`stocktakes/${encodeURIComponent(s.id)}`)}>{date(s.date)}</Link>,
            },
            { label: t('stk.kind'), cell: (s) => t(`stk.kinds.${s.kind}`) },
            { label: t('stk.scope'), cell: (s) => s.locationPrefix || t('stk.wholeStore') },
            { label: t('stk.status'), cell: (s) => <StocktakeStatusBadge status={s.status} /> },
            {
              label: t('stk.progress'),
              num: true,
              cell: (s) => t('stk.progressOf', { counted: s.summary.counted, lines: s.summary.lines }),
            },
            { label: t('stk.variances'), num: true, cell: (s) => s.summary.variances },
          ]}
          rowKey={(s) => s.id}
          empty={t('stk.none')}
        />
      </Section>
      {count && (
        <Section title={t('stk.open')}>
          <ValidatedForm errors={errors} order={['kind', 'locationPrefix', 'date']} onSubmit={submit}>
            <div class="grid-3">
              <SelectField
                label={t('stk.kind')}
                field="kind"
                value={form.kind}
                options={StocktakeKind.options.map((k) => ({ value: k, label: t(`stk.kinds.${k}`) }))}
                onValue={(kind) => setForm((f) => ({ ...f, kind }))}
              />
              <TextField
                label={t('stk.scope')}
                field="locationPrefix"
                value={form.locationPrefix}
                hint={t('stk.scopeHint')}
                maxLength={19}
                onValue={(locationPrefix) => setForm((f) => ({ ...f, locationPrefix }))}
              />
              <TextField
                label={t('stk.date')}
                field="date"
                type="date"
                value={form.date}
                onValue={(d) => setForm((f) => ({ ...f, date: d }))}
              />
            </div>
            <div class="form-actions">
              <button type="submit" class="btn btn-primary" disabled={busy}>
                {busy ? t('form.saving') : t('stk.openButton')}
              </button>
            </div>
          </ValidatedForm>
        </Section>
      )}
    </div>
  );
}
