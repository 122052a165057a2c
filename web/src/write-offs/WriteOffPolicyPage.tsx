import { LossParty, type LossSplit, WriteOffPolicyInput } from '@aftersales/domain';
import { useMemo } from 'preact/hooks';
import { useStore } from '../app/session.tsx';
import { useEditing } from '../components/editing.ts';
import { TextField, ValidatedForm } from '../components/forms.tsx';
import { ErrorNotice, Facts, Loading, Notice, PageHeader, Section } from '../components/ui.tsx';
import { schemaErrors } from '../components/validation.ts';
import { useI18n } from '../i18n/index.tsx';
import { getWriteOffPolicy, saveWriteOffPolicy } from './api.ts';

/** Shares as the manager types them: percentages (70, 12.5), stored as basis points. */
type Form = Record<LossParty, string>;

const toForm = (p: { split: LossSplit }): Form =>
  Object.fromEntries(LossParty.options.map((party) => [party, String(p.split[party] / 100)])) as Form;
const toSplit = (f: Form) =>
  Object.fromEntries(LossParty.options.map((party) => [party, Math.round(Number(f[party]) * 100)]));
const ORDER = LossParty.options.map((party) => `split.${party}`);

/**
 * 损失分摊政策: who bears what share of a written-off loss in this store. The service manager sets it;
 * everyone who reads write-offs sees it. A write-off keeps the split it was asked with.
 */
export function WriteOffPolicyPage() {
  const { t, m, dateTime } = useI18n();
  const { api, can, href } = useStore();
  const manage = can('write_off:configure');
  const edit = useEditing({ load: useMemo(() => () => getWriteOffPolicy(api), [api]), toForm });
  const { record, form, errors, setForm } = edit;

  if (edit.loadError) return <ErrorNotice error={edit.loadError} onRetry={edit.retry} />;
  if (!form || !record) return <Loading />;
  const policy = record.data;
  const totalBp = Object.values(toSplit(form)).reduce((n, bp) => n + (Number.isFinite(bp) ? bp : 0), 0);

  const submit = async () => {
    if (!manage) return;
    const parsed = WriteOffPolicyInput.safeParse({ split: toSplit(form) });
    if (!parsed.success) {
      const found = schemaErrors(parsed.error.issues, m);
      // The sum rule in the staff's words, with the total they typed.
      const sumWrong = totalBp !== 10_000;
      return errors.fail(
        sumWrong ? { ...found, 'split.store': t('wof.policy.sumRule', { pct: totalBp / 100 }) } : found,
      );
    }
    await edit.save((etag) => saveWriteOffPolicy(api, parsed.data, etag));
  };

  return (
    <div class="page">
      <PageHeader title={t('wof.policy.title')} back={{ href: href('write-offs'), label: t('wof.title') }} />
      <p class="hint">{t('wof.policy.intro')}</p>
      {!manage && <Notice kind="info">{t('wof.policy.readOnly')}</Notice>}
      <Facts
        items={[
          [
            t('wof.policy.source'),
            policy.version === 0
              ? t('wof.policy.default')
              : `${policy.updatedBy?.name ?? ''} ${policy.updatedAt ? dateTime(policy.updatedAt) : ''}`,
          ],
        ]}
      />
      <Section title={t('wof.split')}>
        <ValidatedForm
          errors={errors}
          order={ORDER}
          onSubmit={submit}
          conflict={edit.conflict(t('wof.policy.conflict'))}
        >
          {edit.saved && <Notice kind="success">{t('wof.policy.saved')}</Notice>}
          <div class="grid-3">
            {LossParty.options.map((party) => (
              <TextField
                key={party}
                label={`${t(`wof.parties.${party}`)} (%)`}
                field={`split.${party}`}
                type="number"
                min={0}
                max={100}
                step="0.01"
                value={form[party]}
                onValue={(v) => setForm((f) => ({ ...f, [party]: v }))}
                disabled={!manage}
                required
              />
            ))}
          </div>
          <p class="hint" aria-live="polite">
            {t('wof.policy.total', { pct: totalBp / 100 })}
          </p>
          {manage && (
            <div class="form-actions">
              <button type="submit" class="btn btn-primary" disabled={edit.saving}>
                {edit.saving ? t('form.saving') : t('wof.policy.save')}
              </button>
            </div>
          )}
        </ValidatedForm>
      </Section>
    </div>
  );
}
