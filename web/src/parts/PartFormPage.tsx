import { PartInput } from '@aftersales/domain';
import { useState } from 'preact/hooks';
import { navigate } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { useFormErrors, ValidatedForm } from '../components/forms.tsx';
import { useIdempotencyKey } from '../components/idempotency.ts';
import { PageHeader, Section } from '../components/ui.tsx';
import { schemaErrors } from '../components/validation.ts';
import { useI18n } from '../i18n/index.tsx';
import { createPart } from './api.ts';
import { EMPTY_PART, PART_FIELD_ORDER, PartFields, type PartForm, partInput } from './PartFields.tsx';

/** 新建配件: a catalogue entry; its stock arrives by receipt, never typed here. */
export function PartFormPage() {
  const { t, m } = useI18n();
  const { api, href } = useStore();
  const errors = useFormErrors();
  const [form, setForm] = useState<PartForm>(EMPTY_PART);
  const [busy, setBusy] = useState(false);
  const idempotencyKey = useIdempotencyKey();

  const submit = async () => {
    if (busy) return;
    const parsed = PartInput.safeParse(partInput(form));
    if (!parsed.success) return errors.fail(schemaErrors(parsed.error.issues, m));
    errors.set({});
    setBusy(true);
    try {
      const created = await createPart(api, parsed.data, idempotencyKey(parsed.data));
      navigate(href(`parts/${created.data.id}`));
    } catch (err) {
      errors.refused(err);
      setBusy(false);
    }
  };

  return (
    <div class="page">
      <PageHeader back={{ href: href('parts'), label: t('nav.parts') }} title={t('part.new')} />
      <ValidatedForm errors={errors} order={PART_FIELD_ORDER} onSubmit={submit}>
        <Section title={t('part.details')}>
          <PartFields value={form} onChange={setForm} isNew />
        </Section>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? t('form.saving') : t('part.create')}
          </button>
        </div>
      </ValidatedForm>
    </div>
  );
}
