import type { ComponentChildren, JSX } from 'preact';
import { createContext } from 'preact';
import { useContext, useEffect, useId, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client.ts';
import { useI18n } from '../i18n/index.tsx';
import { ConflictNotice, type EditConflict, isVersionConflict } from './conflict.tsx';
import { ErrorNotice, Notice } from './ui.tsx';
import { fieldLabel, serverErrors } from './validation.ts';

/**
 * Form controls: every input has a visible <label>, errors are tied to it with aria-describedby,
 * and all targets are at least 44 px tall (styles.css).
 *
 * A control named with `field` (the error path, e.g. `phones.0.number`) shows that path's error from
 * the surrounding `ValidatedForm`, and is where the error summary's link for that path leads.
 */

/** Errors by field path; `FORM_ERROR` is a problem with the save as a whole, not with one field. */
export type FieldErrors = Record<string, string>;
export const FORM_ERROR = '';

const FieldErrorsContext = createContext<FieldErrors>({});

/** The form's error for `field`, else `extra` (a live check, or a group's error shown on its first control). */
export function useFieldError(field: string | undefined, extra?: string): string | undefined {
  const errors = useContext(FieldErrorsContext);
  return (field === undefined ? undefined : errors[field]) ?? extra;
}

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

/** The attributes every control shares: its id, its error state, and what describes it. */
function controlProps(id: string, field: string | undefined, error?: string, hint?: ComponentChildren) {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return {
    id,
    'data-field': field,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': ids.length ? ids.join(' ') : undefined,
  };
}

type InputAttrs = Omit<
  JSX.InputHTMLAttributes<HTMLInputElement>,
  'value' | 'onInput' | 'label' | 'id' | 'class' | 'required'
>;

export interface TextFieldProps extends InputAttrs {
  label: string;
  /** The error path this input answers for (see `ValidatedForm`). */
  field?: string;
  required?: boolean;
  value: string;
  onValue: (value: string) => void;
  error?: string | undefined;
  hint?: ComponentChildren;
  class?: string;
}

export function TextField({
  label,
  field,
  value,
  onValue,
  error: extra,
  hint,
  required,
  class: cls,
  ...rest
}: TextFieldProps) {
  const id = useId();
  const error = useFieldError(field, extra);
  return (
    <FieldShell id={id} label={label} error={error} hint={hint} required={required} class={cls ?? ''}>
      <input
        required={required}
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
        aria-required={required ? true : undefined}
        {...controlProps(id, field, error, hint)}
        {...rest}
      />
    </FieldShell>
  );
}

export interface TextAreaProps {
  label: string;
  field?: string;
  value: string;
  onValue: (value: string) => void;
  hint?: ComponentChildren;
  rows?: number;
  maxLength?: number;
}

export function TextArea({ label, field, value, onValue, hint, rows = 3, maxLength }: TextAreaProps) {
  const id = useId();
  const error = useFieldError(field);
  return (
    <FieldShell id={id} label={label} error={error} hint={hint}>
      <textarea
        rows={rows}
        maxLength={maxLength}
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
        {...controlProps(id, field, error, hint)}
      />
    </FieldShell>
  );
}

export interface SelectFieldProps<T extends string> {
  label: string;
  field?: string;
  value: T;
  options: { value: T; label: string }[];
  onValue: (value: T) => void;
  hint?: ComponentChildren;
  required?: boolean;
  class?: string;
}

export function SelectField<T extends string>({
  label,
  field,
  value,
  options,
  onValue,
  hint,
  required,
  class: cls,
}: SelectFieldProps<T>) {
  const id = useId();
  const error = useFieldError(field);
  return (
    <FieldShell id={id} label={label} error={error} hint={hint} required={required} class={cls ?? ''}>
      <select
        value={value}
        onChange={(e) => onValue(e.currentTarget.value as T)}
        {...controlProps(id, field, error, hint)}
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
  field,
  value,
  options,
  onValue,
}: {
  legend: string;
  field?: string;
  value: T;
  options: { value: T; label: string }[];
  onValue: (v: T) => void;
}) {
  const name = useId();
  const error = useFieldError(field);
  return (
    <fieldset class={`field choice-group${error ? ' has-error' : ''}`}>
      <legend>{legend}</legend>
      <div class="choices">
        {options.map((o, i) => (
          <label key={o.value} class={`choice${o.value === value ? ' selected' : ''}`}>
            <input
              type="radio"
              name={name}
              value={o.value}
              checked={o.value === value}
              onChange={() => onValue(o.value)}
              data-field={i === 0 ? field : undefined}
            />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
      {error && <div class="field-error">{error}</div>}
    </fieldset>
  );
}

interface SaveProblems {
  errors: FieldErrors;
  /** Someone else changed the record since it was loaded (409 VERSION_CONFLICT). */
  conflict: boolean;
  /** A failure that is about no field (network, server): shown as a notice. */
  failure: unknown;
}

/** A form's problems, and how many saves have failed (each failure moves focus to them). */
export interface FormErrors extends SaveProblems {
  failures: number;
  /** The form's own check failed: show these errors and take the user there. */
  fail: (errors: FieldErrors) => void;
  /** The server refused the save: its field errors by field, a stale version as a conflict, else a notice. */
  refused: (err: unknown) => void;
  /** Show these errors without moving focus (one field fixed); clears any conflict or failure. */
  set: (errors: FieldErrors | ((current: FieldErrors) => FieldErrors)) => void;
}

const NO_PROBLEMS: SaveProblems = { errors: {}, conflict: false, failure: null };

export function useFormErrors(): FormErrors {
  const { m } = useI18n();
  const [state, setState] = useState({ ...NO_PROBLEMS, failures: 0 });
  const failWith = (problems: Partial<SaveProblems>) =>
    setState((s) => ({ ...NO_PROBLEMS, ...problems, failures: s.failures + 1 }));
  return {
    ...state,
    fail: (errors) => failWith({ errors }),
    refused: (err) => {
      const errors = err instanceof ApiError ? serverErrors(err, m) : {};
      if (isVersionConflict(err)) failWith({ errors, conflict: true });
      else if (hasErrors(errors)) failWith({ errors });
      else failWith({ failure: err });
    },
    set: (next) =>
      setState((s) => ({ ...s, ...NO_PROBLEMS, errors: typeof next === 'function' ? next(s.errors) : next })),
  };
}

export function hasErrors(errors: FieldErrors): boolean {
  return Object.keys(errors).length > 0;
}

/** The control a field path leads to: its own, or for a group (`phones`) the group's first one. */
function controlFor(form: Element | null, path: string): HTMLElement | null {
  if (!form) return null;
  const key = CSS.escape(path);
  return (
    form.querySelector<HTMLElement>(`[data-field="${key}"]`) ??
    form.querySelector<HTMLElement>(`[data-field^="${key}."]`)
  );
}

function goToField(from: Element, path: string): void {
  const control = controlFor(from.closest('form'), path);
  if (!control) return;
  // Centred, so that the field's label above it is on screen too.
  control.scrollIntoView({ block: 'center' });
  control.focus({ preventScroll: true });
}

/**
 * Every problem of the last save, in the order of the form's fields; each field's problem is a link
 * that puts the cursor in that field. (GOV.UK's error summary pattern.)
 */
function ErrorSummary({ errors, order }: { errors: FieldErrors; order: readonly string[] }) {
  const { t, m } = useI18n();
  // The save's own problem first, then the fields top to bottom, then paths without a field.
  const rank = (path: string) => {
    if (path === FORM_ERROR) return -1;
    const i = order.indexOf(path);
    return i === -1 ? order.length : i;
  };
  const entries = Object.entries(errors).sort(([a], [b]) => rank(a) - rank(b));
  if (entries.length === 0) return null;
  const fieldProblems = entries.some(([path]) => path !== FORM_ERROR);
  return (
    <div class="notice notice-error error-summary" role="alert">
      {fieldProblems && <p>{t('form.fixErrors')}</p>}
      <ul>
        {entries.map(([path, message]) => {
          if (path === FORM_ERROR) return <li key={path}>{message}</li>;
          const text = t('form.fieldProblem', { field: fieldLabel(path, m), problem: message });
          return (
            <li key={path}>
              {order.includes(path) ? (
                <button type="button" class="link-button" onClick={(e) => goToField(e.currentTarget, path)}>
                  {text}
                </button>
              ) : (
                text
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/**
 * A form whose failed saves are hard to miss: the notices and the error summary sit on top, and each
 * failure (`errors.fail`) scrolls them into view and moves focus there, so a screen reader reads them
 * and a tablet user sees them even when the save button was far below. Controls named with `field`
 * show their error inline as well.
 */
export function ValidatedForm({
  errors,
  order,
  conflict,
  notices,
  onSubmit,
  children,
}: {
  errors: FormErrors;
  /** The fields' paths in the order they appear: the summary lists problems in that order. */
  order: readonly string[];
  /** What to say, and offer, when the record changed under the user (edit forms, from `useEditing`). */
  conflict?: EditConflict;
  /** What else a failed save may show: focused with the summary. */
  notices?: ComponentChildren;
  onSubmit: () => void;
  children: ComponentChildren;
}) {
  const { t } = useI18n();
  const problems = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (errors.failures === 0) return;
    problems.current?.scrollIntoView({ block: 'start' });
    problems.current?.focus({ preventScroll: true });
  }, [errors.failures]);
  return (
    <form
      class="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <div class="form-problems" ref={problems} tabIndex={-1}>
        {conflict && errors.conflict && <ConflictNotice text={conflict.text} choices={conflict} />}
        {conflict?.kept && !errors.conflict && <Notice kind="info">{t('conflict.kept')}</Notice>}
        {errors.failure !== null && <ErrorNotice error={errors.failure} />}
        {notices}
        <ErrorSummary errors={errors.errors} order={order} />
      </div>
      <FieldErrorsContext.Provider value={errors.errors}>{children}</FieldErrorsContext.Provider>
    </form>
  );
}
