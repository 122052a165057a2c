import type { ComponentChildren, JSX } from 'preact';
import { useId } from 'preact/hooks';

/**
 * Form controls: every input has a visible <label>, errors are tied to it with aria-describedby,
 * and all targets are at least 44 px tall (styles.css).
 */
interface FieldShellProps {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: ComponentChildren;
  required?: boolean | undefined;
  children: ComponentChildren;
  class?: string;
}

function FieldShell({ id, label, error, hint, required, children, class: cls }: FieldShellProps) {
  return (
    <div class={`field${error ? ' has-error' : ''}${cls ? ` ${cls}` : ''}`}>
      <div class="label-row">
        <label for={id}>{label}</label>
        {required && (
          <span class="required" aria-hidden="true">
            *
          </span>
        )}
      </div>
      {children}
      {hint && (
        <div class="hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      {error && (
        <div class="field-error" id={`${id}-error`}>
          {error}
        </div>
      )}
    </div>
  );
}

function describedBy(id: string, error?: string, hint?: ComponentChildren): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

type InputAttrs = Omit<
  JSX.InputHTMLAttributes<HTMLInputElement>,
  'value' | 'onInput' | 'label' | 'id' | 'class' | 'required'
>;

export interface TextFieldProps extends InputAttrs {
  label: string;
  required?: boolean;
  value: string;
  onValue: (value: string) => void;
  error?: string | undefined;
  hint?: ComponentChildren;
  class?: string;
}

export function TextField({
  label,
  value,
  onValue,
  error,
  hint,
  required,
  class: cls,
  ...rest
}: TextFieldProps) {
  const id = useId();
  return (
    <FieldShell id={id} label={label} error={error} hint={hint} required={required} class={cls ?? ''}>
      <input
        required={required}
        id={id}
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
        aria-required={required ? true : undefined}
        {...rest}
      />
    </FieldShell>
  );
}

export interface TextAreaProps {
  label: string;
  value: string;
  onValue: (value: string) => void;
  error?: string | undefined;
  hint?: ComponentChildren;
  rows?: number;
  maxLength?: number;
}

export function TextArea({ label, value, onValue, error, hint, rows = 3, maxLength }: TextAreaProps) {
  const id = useId();
  return (
    <FieldShell id={id} label={label} error={error} hint={hint}>
      <textarea
        id={id}
        rows={rows}
        maxLength={maxLength}
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
      />
    </FieldShell>
  );
}

export interface SelectFieldProps<T extends string> {
  label: string;
  value: T;
  options: { value: T; label: string }[];
  onValue: (value: T) => void;
  error?: string | undefined;
  hint?: ComponentChildren;
  required?: boolean;
  class?: string;
}

export function SelectField<T extends string>({
  label,
  value,
  options,
  onValue,
  error,
  hint,
  required,
  class: cls,
}: SelectFieldProps<T>) {
  const id = useId();
  return (
    <FieldShell id={id} label={label} error={error} hint={hint} required={required} class={cls ?? ''}>
      <select
        id={id}
        value={value}
        onChange={(e) => onValue(e.currentTarget.value as T)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

export function Checkbox({
  label,
  checked,
  onValue,
}: {
  label: string;
  checked: boolean;
  onValue: (v: boolean) => void;
}) {
  return (
    <label class="check">
      <input type="checkbox" checked={checked} onChange={(e) => onValue(e.currentTarget.checked)} />
      <span>{label}</span>
    </label>
  );
}

export function ChoiceGroup<T extends string>({
  legend,
  value,
  options,
  onValue,
  error,
}: {
  legend: string;
  value: T;
  options: { value: T; label: string }[];
  onValue: (v: T) => void;
  error?: string | undefined;
}) {
  const name = useId();
  return (
    <fieldset class={`field choice-group${error ? ' has-error' : ''}`}>
      <legend>{legend}</legend>
      <div class="choices">
        {options.map((o) => (
          <label key={o.value} class={`choice${o.value === value ? ' selected' : ''}`}>
            <input
              type="radio"
              name={name}
              value={o.value}
              checked={o.value === value}
              onChange={() => onValue(o.value)}
            />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
      {error && <div class="field-error">{error}</div>}
    </fieldset>
  );
}

/** Errors by field path, shown next to the fields; anything without a visible field goes to the summary. */
export type FieldErrors = Record<string, string>;

export function ErrorSummary({
  title,
  errors,
  shown,
}: {
  title: string;
  errors: FieldErrors;
  shown: readonly string[];
}) {
  const rest = Object.entries(errors).filter(([path]) => !shown.includes(path));
  const count = Object.keys(errors).length;
  if (count === 0) return null;
  return (
    <div class="notice notice-error" role="alert">
      <p>{title}</p>
      {rest.length > 0 && (
        <ul>
          {rest.map(([path, message]) => (
            <li key={path}>{message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
