import fc from 'fast-check';
import { validVin } from './demo.ts';

/**
 * fast-check values from the JSON Schemas of our OpenAPI document, so property tests reach every route
 * the document describes without a hand-kept list of fields. Covers what our schemas use: objects,
 * arrays, enums, strings (length, pattern, date, email, VIN), integers, booleans, null.
 */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  multipleOf?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  /** Two properties whose values must increase (a time span): the document states it, JSON Schema cannot. */
  'x-ordered'?: [string, string];
}

export type Resolve = (schema: JsonSchema) => JsonSchema;

/** Resolves `#/components/schemas/X` references against a document. */
export function resolverFor(doc: { components?: { schemas?: Record<string, JsonSchema> } }): Resolve {
  const resolve: Resolve = (schema) => {
    if (!schema.$ref) return schema;
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = doc.components?.schemas?.[name];
    if (!target) throw new Error(`unresolved ${schema.$ref}`);
    return resolve(target);
  };
  return resolve;
}

// Letters that survive trimming and normalisation unchanged: generated text is never blank.
const TEXT_CHARS = [...'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ0123456789王李张刘陈杨黄赵周吴'];

function text(min: number, max: number): fc.Arbitrary<string> {
  return fc
    .array(fc.constantFrom(...TEXT_CHARS), { minLength: Math.max(min, 1), maxLength: Math.min(max, 24) })
    .map((cs) => cs.join(''));
}

const isoDate = fc
  .date({ min: new Date('2005-01-01T00:00:00Z'), max: new Date('2026-06-30T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

function stringArbitrary(s: JsonSchema): fc.Arbitrary<string> {
  if (s.format === 'vin') return fc.constant(null).map(() => validVin());
  if (s.format === 'date') return isoDate;
  if (s.format === 'date-time') return isoDate.map((d) => `${d}T08:00:00.000Z`);
  // `format: email` is an ASCII mailbox (RFC 5321): names like 王@李.cn are `idn-email`, refused here.
  if (s.format === 'email') return fc.stringMatching(/^[a-z0-9]{1,10}@[a-z0-9]{1,10}\.cn$/);
  if (s.pattern)
    return fc
      .stringMatching(new RegExp(s.pattern))
      .filter((v) => v.length >= (s.minLength ?? 0) && v.length <= (s.maxLength ?? Number.POSITIVE_INFINITY));
  return text(s.minLength ?? 1, s.maxLength ?? 24);
}

export function arbitraryOf(schema: JsonSchema, resolve: Resolve): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((a) => arbitraryOf(a, resolve)));
  const types = Array.isArray(s.type) ? s.type : [s.type ?? 'object'];
  if (types.length > 1)
    return fc.oneof(...types.map((type) => arbitraryOf({ ...s, type } as JsonSchema, resolve)));
  switch (types[0]) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: s.minimum ?? 0, max: s.maximum ?? 1_000_000 });
    case 'number': {
      const step = s.multipleOf;
      if (!step) return fc.double({ min: s.minimum ?? 0, max: s.maximum ?? 1_000_000, noNaN: true });
      // Whole steps, printed to the step's decimals: 3 × 0.1 is 0.3, not 0.30000000000000004.
      const decimals = String(step).split('.')[1]?.length ?? 0;
      return fc
        .integer({
          min: Math.ceil((s.minimum ?? 0) / step),
          max: Math.floor((s.maximum ?? 1_000_000) / step),
        })
        .map((n) => Number((n * step).toFixed(decimals)));
    }
    case 'string':
      return stringArbitrary(s);
    case 'array':
      return fc.array(arbitraryOf(s.items ?? {}, resolve), {
        minLength: s.minItems ?? 0,
        maxLength: Math.min(s.maxItems ?? 3, 3),
      });
    default:
      return objectArbitrary(s, resolve);
  }
}

/** An object with every required property and any subset of the optional ones. */
export function objectArbitrary(
  schema: JsonSchema,
  resolve: Resolve,
  opts: { atLeastOne?: boolean } = {},
): fc.Arbitrary<Record<string, unknown>> {
  const s = resolve(schema);
  const props = s.properties ?? {};
  const required = new Set(s.required ?? []);
  const model = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, arbitraryOf(v, resolve)]));
  const requiredKeys = Object.keys(props).filter((k) => required.has(k));
  const ordered = s['x-ordered'];
  return fc
    .record(model, { requiredKeys })
    .filter((o) => !opts.atLeastOne || Object.keys(o).length > 0)
    .filter(
      (o) =>
        !ordered ||
        o[ordered[0]] === undefined ||
        o[ordered[1]] === undefined ||
        String(o[ordered[0]]) < String(o[ordered[1]]),
    ) as fc.Arbitrary<Record<string, unknown>>;
}
