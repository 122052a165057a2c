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

/**
 * The same schema as an answer describes it: a field with a default is always present in what the
 * server sends, so it is required there, at any depth (objects, arrays, optional and nullable wrappers).
 * Parsing is unchanged in kind; this is for the document, where an input's default would otherwise make
 * a client treat a field the server always sends as possibly missing.
 */
export function withDefaultsRequired<T extends z.ZodType>(schema: T): T {
  return requireDefaults(schema) as T;
}

/** One answer schema per input schema: a body used by many operations, or inside another, stays one component. */
const answerSchemas = new WeakMap<z.ZodType, z.ZodType>();

function requireDefaults(schema: z.ZodType): z.ZodType {
  let out = answerSchemas.get(schema);
  if (!out) {
    out = rebuildRequiringDefaults(schema);
    answerSchemas.set(schema, out);
  }
  return out;
}

function rebuildRequiringDefaults(schema: z.ZodType): z.ZodType {
  const def = schema._zod.def;
  let out: z.ZodType;
  switch (def.type) {
    case 'default':
      out = requireDefaults((schema as z.ZodDefault<z.ZodType>).unwrap());
      break;
    case 'optional':
    case 'nullable': {
      // A clone with the new inner type keeps everything else of the wrapper.
      const inner = (schema as z.ZodOptional<z.ZodType>).unwrap();
      out = schema.clone({ ...def, innerType: requireDefaults(inner) } as typeof def);
      break;
    }
    case 'array': {
      const element = (schema as z.ZodArray<z.ZodType>).element;
      out = schema.clone({ ...def, element: requireDefaults(element) } as typeof def);
      break;
    }
    case 'object': {
      const object = schema as z.ZodObject;
      const shape = Object.fromEntries(
        Object.entries(object.shape).map(([k, v]) => [k, requireDefaults(v as z.ZodType)]),
      );
      // safeExtend keeps the object's own refinements (extend refuses to rewrite a refined object's keys).
      out = object.safeExtend(shape);
      break;
    }
    default:
      return schema;
  }
  // Descriptions and examples stay with the field.
  const meta = z.globalRegistry.get(schema);
  return meta ? out.meta(meta) : out;
}
