import type { Vehicle, VehicleInput } from '@aftersales/domain';
import { useId } from 'preact/hooks';
import { useStore } from '../app/session.tsx';
import { fieldBinder } from '../components/FormField.tsx';
import { SelectField, TextField } from '../components/forms.tsx';
import { optional, optionalNumber } from '../components/validation.ts';
import { useI18n } from '../i18n/index.tsx';

export type Powertrain = NonNullable<VehicleInput['powertrain']>;
const POWERTRAINS: Powertrain[] = ['petrol', 'diesel', 'hybrid', 'phev', 'bev'];

/** The editable description of a vehicle (everything but VIN, owner and odometer). */
export interface DescriptionState {
  plate: string;
  brand: string;
  model: string;
  modelYear: string;
  colour: string;
  powertrain: Powertrain | '';
  invoiceDate: string;
  deliveryDate: string;
  warrantyStart: string;
}

export const DESCRIPTION_FIELDS = [
  'plate',
  'brand',
  'model',
  'modelYear',
  'colour',
  'powertrain',
  'invoiceDate',
  'deliveryDate',
  'warrantyStart',
] as const;

export function emptyDescription(plate = ''): DescriptionState {
  return {
    plate,
    brand: '',
    model: '',
    modelYear: '',
    colour: '',
    powertrain: '',
    invoiceDate: '',
    deliveryDate: '',
    warrantyStart: '',
  };
}

export function descriptionOf(v: Vehicle): DescriptionState {
  return {
    plate: v.plate ?? '',
    brand: v.brand,
    model: v.model,
    modelYear: v.modelYear === undefined ? '' : String(v.modelYear),
    colour: v.colour ?? '',
    powertrain: v.powertrain ?? '',
    invoiceDate: v.invoiceDate ?? '',
    deliveryDate: v.deliveryDate ?? '',
    warrantyStart: v.warrantyStart ?? '',
  };
}

/** The description as VehicleInput fields; empty optional fields are left out. */
export function describedInput(d: DescriptionState): Omit<VehicleInput, 'vin'> {
  const out: Omit<VehicleInput, 'vin'> = { brand: d.brand, model: d.model };
  const plate = optional(d.plate);
  if (plate) out.plate = plate;
  const year = optionalNumber(d.modelYear);
  if (year !== undefined) out.modelYear = year;
  const colour = optional(d.colour);
  if (colour) out.colour = colour;
  if (d.powertrain) out.powertrain = d.powertrain;
  if (d.invoiceDate) out.invoiceDate = d.invoiceDate;
  if (d.deliveryDate) out.deliveryDate = d.deliveryDate;
  if (d.warrantyStart) out.warrantyStart = d.warrantyStart;
  return out;
}

/** The description's inputs; their errors come from the surrounding `ValidatedForm`. */
export function DescriptionFields({
  value,
  onChange,
}: {
  value: DescriptionState;
  onChange: (next: DescriptionState) => void;
}) {
  const { t, m } = useI18n();
  const { profile } = useStore();
  const brandsId = useId();
  const set = <K extends keyof DescriptionState>(k: K, v: DescriptionState[K]) =>
    onChange({ ...value, [k]: v });
  const bind = fieldBinder(value, set);
  return (
    <>
      <div class="grid-3">
        <TextField
          label={t('vehicle.plate')}
          {...bind('plate')}
          autoCapitalize="characters"
          autoComplete="off"
          spellcheck={false}
          maxLength={12}
          placeholder={t('vehicle.plateExample')}
        />
        <TextField
          label={t('vehicle.brand')}
          {...bind('brand')}
          required
          list={brandsId}
          autoComplete="off"
          maxLength={40}
        />
        <datalist id={brandsId}>
          {(profile?.store.brands ?? []).map((b) => (
            <option key={b} value={b} />
          ))}
        </datalist>
        <TextField label={t('vehicle.model')} {...bind('model')} required maxLength={60} />
        <TextField
          label={t('vehicle.modelYear')}
          {...bind('modelYear')}
          inputMode="numeric"
          maxLength={4}
          placeholder={t('vehicle.modelYearExample')}
        />
        <TextField label={t('vehicle.colour')} {...bind('colour')} maxLength={30} />
        <SelectField<Powertrain | ''>
          label={t('vehicle.powertrain')}
          value={value.powertrain}
          options={[
            { value: '', label: t('common.notGiven') },
            ...POWERTRAINS.map((p) => ({ value: p, label: m.powertrains[p] })),
          ]}
          onValue={(v) => set('powertrain', v)}
          field="powertrain"
        />
      </div>
      <div class="grid-3">
        <TextField label={t('vehicle.invoiceDate')} type="date" {...bind('invoiceDate')} />
        <TextField label={t('vehicle.deliveryDate')} type="date" {...bind('deliveryDate')} />
        <TextField
          label={t('vehicle.warrantyStart')}
          type="date"
          {...bind('warrantyStart')}
          hint={t('vehicle.warrantyStartHint')}
        />
      </div>
    </>
  );
}
