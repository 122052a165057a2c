import { checkVin, normalizeVin, VehicleInput, validateVehicle } from '@aftersales/domain';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client.ts';
import { Link, navigate, useLocation } from '../app/router.tsx';
import { useStore } from '../app/session.tsx';
import {
  type FieldErrors,
  hasErrors,
  TextField,
  useFormErrors,
  ValidatedForm,
} from '../components/forms.tsx';
import { useIdempotencyKey } from '../components/idempotency.ts';
import { Notice, PageHeader, Section } from '../components/ui.tsx';
import { localizeFieldError, optionalNumber, schemaErrors } from '../components/validation.ts';
import { customerName } from '../customers/api.ts';
import { CustomerPicker, type PickedCustomer } from '../customers/CustomerPicker.tsx';
import { useI18n } from '../i18n/index.tsx';
import { createVehicle } from './api.ts';
import {
  DESCRIPTION_FIELDS,
  DescriptionFields,
  type DescriptionState,
  describedInput,
  emptyDescription,
} from './VehicleFields.tsx';

/** 登记车辆: VIN checked as it is typed, owner found by name or phone. */
export function VehicleFormPage() {
  const { t, m } = useI18n();
  const { api, href, vinPolicy } = useStore();
  const { query } = useLocation();
  const [vin, setVin] = useState(query.get('vin') ?? '');
  const [desc, setDesc] = useState<DescriptionState>(() => emptyDescription(query.get('plate') ?? ''));
  const [odometer, setOdometer] = useState('');
  const [owner, setOwner] = useState<PickedCustomer | null>(null);
  const errors = useFormErrors();
  const [existing, setExisting] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const idempotencyKey = useIdempotencyKey();

  const ownerParam = query.get('owner');
  useEffect(() => {
    if (!ownerParam) return;
    customerName(api, ownerParam).then((name) => {
      if (name) setOwner({ id: ownerParam, name });
    });
  }, [ownerParam, api]);

  const normalized = normalizeVin(vin);
  const live = normalized.length === 0 ? null : checkVin(normalized, vinPolicy);
  // Live: progress while typing, the check digit's verdict at 17 characters.
  let vinStatus: { text: string; ok: boolean } | null = null;
  let vinLiveError: string | undefined;
  if (live && normalized.length < 17)
    vinStatus = { text: t('vehicle.vinProgress', { n: normalized.length }), ok: false };
  else if (live && !live.ok)
    vinLiveError = localizeFieldError({ path: 'vin', code: live.code, message: live.message }, m);
  else if (live?.ok && live.warning) vinStatus = { text: t('vehicle.vinWarn'), ok: true };
  else if (live?.ok) vinStatus = { text: t('vehicle.vinOk'), ok: true };

  const submit = async () => {
    if (busy) return;
    setExisting(null);
    const input: VehicleInput = { vin, ...describedInput(desc) };
    const km = optionalNumber(odometer);
    if (km !== undefined) input.odometerKm = km;
    if (owner) input.ownerCustomerId = owner.id;
    const parsed = VehicleInput.safeParse(input);
    const errs: FieldErrors = parsed.success ? {} : schemaErrors(parsed.error.issues, m);
    // The VIN's own rules (an empty VIN included) and the cross-field ones are reported together with
    // every other problem, so that one failed save shows all there is to fix.
    const vinCheck = checkVin(normalized, vinPolicy);
    if (!vinCheck.ok)
      errs.vin = localizeFieldError({ path: 'vin', code: vinCheck.code, message: vinCheck.message }, m);
    if (parsed.success) {
      const rest = validateVehicle(parsed.data, 'warn');
      if (!rest.ok && rest.path !== 'vin') errs[rest.path] = localizeFieldError(rest, m);
    }
    if (hasErrors(errs)) return errors.fail(errs);
    errors.set({});
    setBusy(true);
    try {
      const created = await createVehicle(api, input, idempotencyKey(input));
      navigate(href(`vehicles/${created.data.id}`));
    } catch (err) {
      // A VIN registered before is no error to fix here: the notice leads to that vehicle.
      if (
        err instanceof ApiError &&
        err.code === 'VEHICLE_VIN_EXISTS' &&
        typeof err.extra.existingVehicleId === 'string'
      ) {
        setExisting(err.extra.existingVehicleId);
        errors.fail({});
      } else errors.refused(err);
      setBusy(false);
    }
  };

  const order = ['vin', ...DESCRIPTION_FIELDS, 'odometerKm', 'ownerCustomerId'];
  return (
    <div class="page">
      <PageHeader back={{ href: href(), label: t('nav.frontDesk') }} title={t('vehicle.newTitle')} />
      <ValidatedForm
        errors={errors}
        order={order}
        onSubmit={submit}
        notices={
          existing && (
            <Notice kind="warning">
              <span>{t('vehicle.vinExists')}</span>
              <Link class="btn btn-small" href={href(`vehicles/${existing}`)}>
                {t('vehicle.openExisting')}
              </Link>
            </Notice>
          )
        }
      >
        <Section title={t('vehicle.identity')}>
          <TextField
            class="vin-field"
            label={t('vehicle.vin')}
            value={vin}
            field="vin"
            onValue={(v) => {
              setVin(v);
              // The typed VIN is checked live from here on; the last save's verdict on it is stale.
              if (errors.errors.vin) errors.set(({ vin: _drop, ...rest }) => rest);
            }}
            error={vinLiveError}
            hint={vinStatus && <span class={vinStatus.ok ? 'vin-ok' : 'vin-pending'}>{vinStatus.text}</span>}
            required
            autoCapitalize="characters"
            autoComplete="off"
            spellcheck={false}
            maxLength={24}
          />
          <DescriptionFields value={desc} onChange={setDesc} />
          <div class="grid-3">
            <TextField
              label={t('vehicle.odometerKm')}
              value={odometer}
              onValue={setOdometer}
              field="odometerKm"
              inputMode="numeric"
              autoComplete="off"
            />
          </div>
        </Section>
        <Section title={t('vehicle.owner')}>
          <CustomerPicker
            label={t('vehicle.findOwner')}
            value={owner}
            onChange={setOwner}
            field="ownerCustomerId"
          />
          {!owner && (
            <p class="hint">
              {t('vehicle.ownerHint')} <Link href={href('customers/new')}>{t('nav.newCustomer')}</Link>
            </p>
          )}
        </Section>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? t('form.saving') : t('vehicle.register')}
          </button>
          <button type="button" class="btn btn-quiet" onClick={() => history.back()}>
            {t('action.cancel')}
          </button>
        </div>
      </ValidatedForm>
    </div>
  );
}
