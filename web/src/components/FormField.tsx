/**
 * Fields bound to one key of a form's state: `<TextField {...bind('code')} label=… />` takes the key's
 * value, sets it, and answers for the key's error path (or the path given, when the schema's differs).
 * One way to wire a field, instead of the value / onValue / field triple written out at every input.
 */
export function fieldBinder<F>(form: F, set: <K extends keyof F>(key: K, value: F[K]) => void) {
  return <K extends keyof F & string>(key: K, field: string = key) => ({
    value: form[key],
    onValue: (value: F[K]) => set(key, value),
    field,
  });
}

/** A select's options from an enum's values and their names in the user's language. */
export function optionsOf<T extends string>(values: readonly T[], names: Record<T, string>) {
  return values.map((value) => ({ value, label: names[value] }));
}
