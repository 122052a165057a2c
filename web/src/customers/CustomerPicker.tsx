import type { ComponentChildren } from 'preact';
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
  const { found, setFound, failure, busy, search } = usePickerSearch(async (q) => {
    // Roles that see phones masked may not look up by phone: their digits are searched as a name.
    const byPhone = detectSearch(q) === 'phone' && can('customer:contact');
    const page = await searchCustomers(api, byPhone ? { phone: q, limit: 10 } : { name: q, limit: 10 });
    return page.items.filter((c) => !exclude.includes(c.id));
  });

  if (value)
    return (
      <PickedValue label={label} field={field} error={error} onClear={() => onChange(null)}>
        <strong>{value.name}</strong>
      </PickedValue>
    );
  return (
    <PickerSearch label={label} field={field} error={error} busy={busy} failure={failure} onSearch={search}>
      {found && found.length === 0 && <p class="hint">{t('picker.none')}</p>}
      {found && found.length > 0 && (
        <PickList
          label={t('picker.results')}
          items={found.map((c) => ({
            key: c.id,
            name: c.name,
            meta: `${m.customerKinds[c.kind]} · ${c.phones.map((p) => p.number).join(' / ')}`,
            onPick: () => {
              rememberName(api, c.id, c.name);
              onChange({ id: c.id, name: c.name });
              setFound(null);
            },
          }))}
        />
      )}
    </PickerSearch>
  );
}

/** A picker's search: what it found (null before a search or after a pick), a failure, and busy. */
export function usePickerSearch<T>(find: (text: string) => Promise<T[]>) {
  const [found, setFound] = useState<T[] | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const search = async (text: string) => {
    const q = text.trim();
    if (!q) return;
    setBusy(true);
    setFailure(null);
    try {
      setFound(await find(q));
    } catch (e) {
      setFailure(e);
      setFound(null);
    } finally {
      setBusy(false);
    }
  };
  return { found, setFound, failure, busy, search };
}

/** What a picker holds, with the button that lets the user pick again (where its error leads). */
export function PickedValue({
  label,
  field,
  error,
  onClear,
  children,
}: {
  label: string;
  field: string;
  error: string | undefined;
  onClear: () => void;
  children: ComponentChildren;
}) {
  const { t } = useI18n();
  return (
    <div class={`field picker${error ? ' has-error' : ''}`}>
      <span class="label-like">{label}</span>
      <div class="picked">
        {children}
        <button type="button" class="btn btn-small" onClick={onClear} data-field={field}>
          {t('picker.change')}
        </button>
      </div>
      {error && <div class="field-error">{error}</div>}
    </div>
  );
}

/** A picker's search box (Enter or the button searches), its error, a failed search, and what it found. */
export function PickerSearch({
  label,
  field,
  error,
  busy,
  failure,
  onSearch,
  placeholder,
  children,
}: {
  label: string;
  field: string;
  error: string | undefined;
  busy: boolean;
  failure: unknown;
  onSearch: (text: string) => void;
  /** What may be typed; a customer's name or phone unless said otherwise. */
  placeholder?: string;
  children: ComponentChildren;
}) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const inputId = useId();
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
          placeholder={placeholder ?? t('picker.placeholder')}
          autoComplete="off"
          onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              onSearch(text);
            }
          }}
        />
        <button type="button" class="btn" onClick={() => onSearch(text)} disabled={busy}>
          {t('picker.find')}
        </button>
      </div>
      {error && (
        <div class="field-error" id={`${inputId}-error`}>
          {error}
        </div>
      )}
      {failure !== null && <ErrorNotice error={failure} />}
      {children}
    </div>
  );
}

/** Found records, each a button that picks it. */
export function PickList({
  label,
  items,
}: {
  label: string;
  items: { key: string; name: ComponentChildren; meta: string; onPick: () => void }[];
}) {
  const { t } = useI18n();
  return (
    <ul class="pick-list" aria-label={label}>
      {items.map((c) => (
        <li key={c.key} class="pick-item">
          <button type="button" class="pick" onClick={c.onPick}>
            <span class="pick-name">{c.name}</span>
            <span class="muted">{c.meta}</span>
            <span class="pick-cta">{t('picker.choose')}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
