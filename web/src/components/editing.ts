import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Versioned } from '../api/client.ts';
import type { EditConflict } from './conflict.tsx';
import { type FormErrors, useFormErrors } from './forms.tsx';
import { useLoad } from './load.ts';

export interface Editing<T, F> {
  /** The record as loaded, with its ETag for the save; null while it loads, and on a create form. */
  record: Versioned<T> | null;
  loadError: unknown;
  retry: () => void;
  /** What the user has entered; null while the record loads. */
  form: F | null;
  setForm: (next: (form: F) => F) => void;
  errors: FormErrors;
  /** For `ValidatedForm`: what to offer when a save meets a newer version (`text`: the feature's words). */
  conflict: (text: string) => EditConflict;
  /**
   * Saves with `fn` at the loaded version (its ETag), then reloads the record: `saving` meanwhile (a
   * second click does nothing), `saved` after, a refusal shown on the form.
   */
  save: (fn: (etag: string) => Promise<unknown>) => Promise<void>;
  saving: boolean;
  saved: boolean;
}

const NO_RECORD = () => Promise.resolve(null);

/**
 * The state of an edit form over a versioned record: the record, the user's input, the save's problems,
 * and the one way a version conflict is resolved. "Keep my changes" reloads the record and puts back
 * each field the user changed, taking every other field from the new version (so another person's
 * change to a field this user left alone is not undone by the next save); "discard" reloads the form
 * from the new version.
 *
 * `load` is memoised on the record (useCallback); undefined for a form that creates one, from `initial`.
 */
export function useEditing<T, F extends object>({
  load,
  toForm,
  initial,
}: {
  load: (() => Promise<Versioned<T>>) | undefined;
  toForm: (record: T) => F;
  initial?: () => F;
}): Editing<T, F> {
  const errors = useFormErrors();
  const loaded = useLoad<Versioned<T> | null>(load ?? NO_RECORD);
  const [form, setFormState] = useState<F | null>(() => (load ? null : (initial?.() ?? null)));
  /** The form as the loaded version had it: what the user's changes are measured against. */
  const base = useRef<F | null>(null);
  const keep = useRef(false);
  const [kept, setKept] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);

  const record = loaded.data;
  // A new version of the record (first load, or a reload after a conflict) resets or rebases the form.
  useEffect(() => {
    if (!record) return;
    const theirs = toForm(record.data);
    const from = base.current;
    const rebase = keep.current && from !== null;
    base.current = theirs;
    keep.current = false;
    setFormState((mine) => (rebase && mine ? keepChanged(from, mine, theirs) : theirs));
    if (!rebase) errors.set({});
  }, [record]);

  const reload = (keepMine: boolean) => {
    keep.current = keepMine;
    setKept(keepMine);
    errors.set({});
    void loaded.reload();
  };
  const setForm = useCallback((next: (form: F) => F) => setFormState((f) => (f ? next(f) : f)), []);

  const save = async (fn: (etag: string) => Promise<unknown>) => {
    if (saving || !record) return;
    errors.set({});
    setSaving(true);
    setSaved(false);
    try {
      await fn(record.etag);
      setSaved(true);
      void loaded.reload();
    } catch (err) {
      errors.refused(err);
    } finally {
      setSaving(false);
    }
  };

  return {
    record,
    loadError: loaded.error,
    save,
    saving,
    saved,
    retry: () => void loaded.reload(),
    form,
    setForm,
    errors,
    conflict: (text) => ({
      text,
      keepMine: () => reload(true),
      discardMine: () => reload(false),
      kept,
    }),
  };
}

/** Per field of the form: the user's value where they changed it since `base`, else the new version's. */
function keepChanged<F extends object>(base: F, mine: F, theirs: F): F {
  const merged = { ...theirs };
  for (const key of Object.keys(mine) as (keyof F)[]) {
    if (JSON.stringify(mine[key]) !== JSON.stringify(base[key])) merged[key] = mine[key];
  }
  return merged;
}
