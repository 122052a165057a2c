import { applyPatch, VehiclePatch, validateVehicle } from '@aftersales/domain';
import { useCallback, useState } from 'preact/hooks';
import { navigate } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import { useEditing } from '../components/editing.ts';
import { type FieldErrors, hasErrors, ValidatedForm } from '../components/forms.tsx';
import { ErrorNotice, Facts, Loading, PageHeader, Section, Vin } from '../components/ui.tsx';
import { localizeFieldError, schemaErrors } from '../components/validation.ts';
import { useI18n } from '../i18n/index.tsx';
import { getVehicle, updateVehicle, type VehicleChanges } from './api.ts';
import { DESCRIPTION_FIELDS, DescriptionFields, describedInput, descriptionOf } from './VehicleFields.tsx';

/** 编辑车辆: the description; the VIN never changes, owners and mileage have their own actions. */
export function VehicleEditPage({ vehicleId }: { vehicleId: string }) {
  const { t, m } = useI18n();
  const { api, href, vinPolicy } = useStore();
  const {
    record,
    form: desc,
    setForm,
    errors,
    conflict,
    loadError,
    retry,
  } = useEditing({
    load: useCallback(() => getVehicle(api, vehicleId), [api, vehicleId]),
    toForm: descriptionOf,
  });
  const [busy, setBusy] = useState(false);

  if (loadError) return <ErrorNotice error={loadError} onRetry={retry} />;
  if (!record || !desc) return <Loading />;
  const v = record.data;
  const back = href(`vehicles/${vehicleId}`);

  const submit = async () => {
    if (busy) return;
    const before = describedInput(descriptionOf(v)) as Record<string, unknown>;
    const after = describedInput(desc) as Record<string, unknown>;
    const changes: Record<string, unknown> = {};
    const errs: FieldErrors = {};
    for (const key of DESCRIPTION_FIELDS) {
      if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
      // An emptied field is sent as null, which clears it.
      changes[key] = after[key] === undefined ? null : after[key];
    }
    if (Object.keys(errs).length === 0 && Object.keys(changes).length > 0) {
      const parsed = VehiclePatch.safeParse(changes);
      if (!parsed.success) Object.assign(errs, schemaErrors(parsed.error.issues, m));
      else {
        const check = validateVehicle(applyPatch(v, parsed.data), vinPolicy);
        if (!check.ok) errs[check.path] = localizeFieldError(check, m);
      }
    }
    if (hasErrors(errs)) return errors.fail(errs);
    errors.set({});
    if (Object.keys(changes).length === 0) {
      navigate(back);
      return;
    }
    setBusy(true);
    try {
      await updateVehicle(api, vehicleId, changes as VehicleChanges, record.etag);
      navigate(back);
    } catch (err) {
      errors.refused(err);
      setBusy(false);
    }
  };

  return (
    <div class="page">
      <PageHeader back={{ href: back, label: v.plate ?? v.vin }} title={t('vehicle.editTitle')} />
      <ValidatedForm
        errors={errors}
        order={DESCRIPTION_FIELDS}
        onSubmit={submit}
        conflict={conflict(t('conflict.vehicle'))}
      >
        <Section title={t('vehicle.identity')}>
          <Facts items={[[t('vehicle.vin'), <Vin key="vin" vin={v.vin} />]]} />
          <DescriptionFields value={desc} onChange={(d) => setForm(() => d)} />
        </Section>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? t('form.saving') : t('form.saveChanges')}
          </button>
          <button type="button" class="btn btn-quiet" onClick={() => navigate(back)}>
            {t('action.cancel')}
          </button>
        </div>
      </ValidatedForm>
    </div>
  );
}
