import type { Schemas } from '@aftersales/api-client';
import { type PartInput, PartUnit, toMinor } from '@aftersales/domain';
import { fieldBinder, optionsOf } from '../components/FormField.tsx';
import { Checkbox, SelectField, TextField } from '../components/forms.tsx';
import { optional } from '../components/validation.ts';
import { useI18n } from '../i18n/index.tsx';

/** The catalogue entry as typed: amounts in yuan, levels and models as text. */
export interface PartForm {
  partNumber: string;
  zh: string;
  en: string;
  brand: string;
  models: string;
  unit: PartUnit;
  listPrice: string;
  cost: string;
  minStock: string;
  maxStock: string;
  supersedes: string;
  supersededBy: string;
  defaultBin: string;
  active: boolean;
}

export const EMPTY_PART: PartForm = {
  partNumber: '',
  zh: '',
  en: '',
  brand: '',
  models: '',
  unit: 'piece',
  listPrice: '',
  cost: '',
  minStock: '0',
  maxStock: '0',
  supersedes: '',
  supersededBy: '',
  defaultBin: '',
  active: true,
};

/** The error paths of the form's inputs, in the order a reader meets them (`ValidatedForm`). */
export const PART_FIELD_ORDER = [
  'partNumber',
  'name.zh',
  'name.en',
  'brand',
  'models',
  'listPrice.amountMinor',
  'cost.amountMinor',
  'minStock',
  'maxStock',
  'supersedes',
  'supersededBy',
  'defaultBin',
];

const yuanOf = (m: Schemas['Part']['listPrice']) => (m.amountMinor / 100).toFixed(2);

export function partForm(p: Schemas['Part']): PartForm {
  return {
    partNumber: p.partNumber,
    zh: p.name.zh,
    en: p.name.en ?? '',
    brand: p.brand,
    models: p.models.join('; '),
    unit: p.unit,
    listPrice: yuanOf(p.listPrice),
    cost: yuanOf(p.cost),
    minStock: String(p.minStock),
    maxStock: String(p.maxStock),
    supersedes: p.supersedes ?? '',
    supersededBy: p.supersededBy ?? '',
    defaultBin: p.defaultBin ?? '',
    active: p.active,
  };
}

/** Typed numbers → numbers; empty is NaN, which the schema refuses with the field's own message. */
const numberOf = (typed: string) => (typed.trim() === '' ? Number.NaN : Number(typed));
const money = (typed: string) => ({ amountMinor: toMinor(numberOf(typed)), currency: 'CNY' as const });

/** The form as a create body; optional fields left empty are left out. */
export function partInput(f: PartForm): PartInput {
  const en = optional(f.en);
  return {
    partNumber: f.partNumber,
    name: { zh: f.zh, ...(en ? { en } : {}) },
    brand: f.brand,
    models: f.models
      .split(/[;；]/)
      .map((m) => m.trim())
      .filter(Boolean),
    unit: f.unit,
    listPrice: money(f.listPrice),
    cost: money(f.cost),
    minStock: numberOf(f.minStock),
    maxStock: numberOf(f.maxStock),
    ...Object.fromEntries(
      (['supersedes', 'supersededBy', 'defaultBin'] as const).flatMap((k) => {
        const v = optional(f[k]);
        return v ? [[k, v]] : [];
      }),
    ),
    active: f.active,
  };
}

/** The catalogue entry's inputs; the part number only on a new part (it never changes). */
export function PartFields({
  value,
  onChange,
  isNew,
}: {
  value: PartForm;
  onChange: (next: PartForm) => void;
  isNew: boolean;
}) {
  const { t, m } = useI18n();
  const bind = fieldBinder(value, (key, v) => onChange({ ...value, [key]: v }));
  return (
    <div class="grid-2">
      {isNew && <TextField {...bind('partNumber')} label={t('part.number')} required maxLength={40} />}
      <TextField {...bind('brand')} label={t('part.brand')} required maxLength={40} />
      <TextField {...bind('zh', 'name.zh')} label={t('part.nameZh')} required maxLength={80} />
      <TextField {...bind('en', 'name.en')} label={t('part.nameEn')} maxLength={80} />
      <TextField {...bind('models')} label={t('part.models')} hint={t('part.modelsHint')} />
      <SelectField
        {...bind('unit')}
        label={t('part.unit')}
        options={optionsOf(PartUnit.options, m.partUnits)}
      />
      <TextField
        {...bind('listPrice', 'listPrice.amountMinor')}
        label={t('part.listPrice')}
        inputMode="decimal"
        required
      />
      <TextField {...bind('cost', 'cost.amountMinor')} label={t('part.cost')} inputMode="decimal" required />
      <TextField {...bind('minStock')} label={t('part.minStock')} inputMode="numeric" required />
      <TextField {...bind('maxStock')} label={t('part.maxStock')} inputMode="numeric" required />
      <TextField {...bind('supersedes')} label={t('part.supersedes')} maxLength={40} />
      <TextField {...bind('supersededBy')} label={t('part.supersededBy')} maxLength={40} />
      <TextField
        {...bind('defaultBin')}
        label={t('part.defaultBin')}
        hint={t('part.binHint')}
        maxLength={19}
      />
      {!isNew && (
        <Checkbox
          label={t('part.active')}
          checked={value.active}
          onValue={(active) => onChange({ ...value, active })}
        />
      )}
    </div>
  );
}
