import type { Schemas } from '@aftersales/api-client';
import { useStore } from '../app/session.tsx';
import { useFieldError } from '../components/forms.tsx';
import { PickedValue, PickerSearch, PickList, usePickerSearch } from '../customers/CustomerPicker.tsx';
import { useI18n } from '../i18n/index.tsx';
import { listParts } from './api.ts';

export interface PickedPart {
  id: string;
  partNumber: string;
  name: string;
}

/**
 * Finds a part in the catalogue by the start of its number (compared without case or spaces, as the
 * catalogue's own look-up) and picks one; the same search box, list and "change" as the customer picker.
 */
export function PartPicker({
  label,
  field,
  value,
  onChange,
}: {
  label: string;
  /** The error path of the picked part's id (see `ValidatedForm`). */
  field: string;
  value: PickedPart | null;
  onChange: (p: PickedPart | null) => void;
}) {
  const error = useFieldError(field);
  const { t, locale, number } = useI18n();
  const { api } = useStore();
  const nameOf = (p: Schemas['CataloguePart']) => (locale === 'en' && p.name.en ? p.name.en : p.name.zh);

  const { found, setFound, failure, busy, search } = usePickerSearch(async (prefix) => {
    const page = await listParts(api, { number: prefix, limit: 10 });
    return page.items.filter((p) => p.active);
  });

  if (value)
    return (
      <PickedValue label={label} field={field} error={error} onClear={() => onChange(null)}>
        <strong>{value.partNumber}</strong> {value.name}
      </PickedValue>
    );
  return (
    <PickerSearch
      label={label}
      field={field}
      error={error}
      busy={busy}
      failure={failure}
      onSearch={(text) => void search(text)}
      placeholder={t('part.pickPlaceholder')}
    >
      {found && found.length === 0 && <p class="hint">{t('part.none')}</p>}
      {found && found.length > 0 && (
        <PickList
          label={t('picker.results')}
          items={found.map((p) => ({
            key: p.id,
            name: `${p.partNumber} · ${nameOf(p)}`,
            meta: `${p.brand} · ${t('part.available')} ${number(p.stock.available)}`,
            onPick: () => {
              onChange({ id: p.id, partNumber: p.partNumber, name: nameOf(p) });
              setFound(null);
            },
          }))}
        />
      )}
    </PickerSearch>
  );
}
