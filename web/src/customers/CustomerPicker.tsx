import type { Customer } from '@aftersales/domain';
import { useId, useState } from 'preact/hooks';
import { useStore } from '../app/session.tsx';
import { useFieldError } from '../components/forms.tsx';
import { ErrorNotice } from '../components/ui.tsx';
import { useI18n } from '../i18n/index.tsx';
import { detectSearch } from '../search/detect.ts';
import { rememberName, searchCustomers } from './api.ts';

export interface PickedCustomer {
  id: string;
  name: string;
}

/** Finds a customer by name or phone and picks one (owner, new owner, driver). */
export function CustomerPicker({
  label,
  field,
  value,
  onChange,
  exclude = [],
}: {
  label: string;
  /** The error path of the picked customer's id (see `ValidatedForm`). */
  field: string;
  value: PickedCustomer | null;
  onChange: (c: PickedCustomer | null) => void;
  exclude?: string[];
}) {
  const error = useFieldError(field);
  const { t, m } = useI18n();
  const { api, can } = useStore();
  const [text, setText] = useState('');
  const [found, setFound] = useState<Customer[] | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const inputId = useId();

  const search = async () => {
    const q = text.trim();
    if (!q) return;
    setBusy(true);
    setFailure(null);
    try {
      // Roles that see phones masked may not look up by phone: their digits are searched as a name.
      const byPhone = detectSearch(q) === 'phone' && can('customer:contact');
      const page = await searchCustomers(api, byPhone ? { phone: q, limit: 10 } : { name: q, limit: 10 });
      setFound(page.items.filter((c) => !exclude.includes(c.id)));
    } catch (e) {
      setFailure(e);
      setFound(null);
    } finally {
      setBusy(false);
    }
  };

  if (value) {
    return (
      <div class={`field picker${error ? ' has-error' : ''}`}>
        <span class="label-like">{label}</span>
        <div class="picked">
          <strong>{value.name}</strong>
          <button type="button" class="btn btn-small" onClick={() => onChange(null)} data-field={field}>
            {t('picker.change')}
          </button>
        </div>
        {error && <div class="field-error">{error}</div>}
      </div>
    );
  }
  return (
    <div class={`field picker${error ? ' has-error' : ''}`}>
      <label for={inputId}>{label}</label>
      <div class="search-row">
        <input
          id={inputId}
          data-field={field}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${inputId}-error` : undefined}
          type="search"
          value={text}
          placeholder={t('picker.placeholder')}
          autoComplete="off"
          onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void search();
            }
          }}
        />
        <button type="button" class="btn" onClick={search} disabled={busy}>
          {t('picker.find')}
        </button>
      </div>
      {error && (
        <div class="field-error" id={`${inputId}-error`}>
          {error}
        </div>
      )}
      {failure !== null && <ErrorNotice error={failure} />}
      {found && found.length === 0 && <p class="hint">{t('picker.none')}</p>}
      {found && found.length > 0 && (
        <ul class="pick-list" aria-label={t('picker.results')}>
          {found.map((c) => (
            <li key={c.id} class="pick-item">
              <button
                type="button"
                class="pick"
                onClick={() => {
                  rememberName(api, c.id, c.name);
                  onChange({ id: c.id, name: c.name });
                  setFound(null);
                }}
              >
                <span class="pick-name">{c.name}</span>
                <span class="muted">
                  {m.customerKinds[c.kind]} · {c.phones.map((p) => p.number).join(' / ')}
                </span>
                <span class="pick-cta">{t('picker.choose')}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
