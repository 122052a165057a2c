import * as z from 'zod';

/**
 * Partial edits (PATCH) derived from a create schema, so that every aggregate's edit follows one rule:
 * a field that is not sent is not touched.
 *
 * - Defaults are dropped: a create's default (consent, kind, contact windows) must never be applied to a
 *   patch, or an edit of the notes would silently reset them.
 * - Optional fields may be sent as `null` to clear them; required ones may not.
 * - Unknown keys are refused, not ignored: a misspelt field is a 400 naming it, not a silent no-op.
 * - An empty patch is refused.
 */
type PatchField<F> =
  F extends z.ZodDefault<infer I>
    ? z.ZodOptional<I>
    : F extends z.ZodOptional<infer I>
      ? z.ZodOptional<z.ZodNullable<I>>
      : z.ZodOptional<F & z.ZodType>;

export type PatchShape<S extends z.ZodRawShape> = { [K in keyof S]: PatchField<S[K]> };

/** Field-error code of a patch that names no field. */
export const EMPTY_PATCH = 'EMPTY_PATCH';

export function patchSchema<S extends z.ZodRawShape>(shape: S) {
  const fields: Record<string, z.ZodType> = {};
  for (const [name, field] of Object.entries(shape)) {
    if (field instanceof z.ZodDefault) fields[name] = (field.unwrap() as z.ZodType).optional();
    else if (field instanceof z.ZodOptional)
      fields[name] = (field.unwrap() as z.ZodType).nullable().optional();
    else fields[name] = (field as z.ZodType).optional();
  }
  return z
    .strictObject(fields as PatchShape<S>)
    .refine((p) => Object.keys(p).length > 0, {
      message: 'Send at least one field to change.',
      params: { code: EMPTY_PATCH },
      // Unknown keys alone already explain the refusal.
      when: (payload) => payload.issues.length === 0,
    })
    .meta({ minProperties: 1 });
}

/** A record with a patch applied: `null` removes a field, `undefined` leaves it as it was. */
export function applyPatch<T extends object>(current: T, patch: Record<string, unknown>): T {
  const next: Record<string, unknown> = { ...(current as Record<string, unknown>) };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else if (value !== undefined) next[key] = value;
  }
  return next as T;
}
