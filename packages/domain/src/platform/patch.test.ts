import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { issuesToFieldErrors } from '../imports/model.ts';
import { CustomerPatch, OdometerInput, VehiclePatch } from '../registry/model.ts';
import { applyPatch, EMPTY_PATCH, withDefaultsRequired } from './patch.ts';

describe('patch schemas', () => {
  it('leaves every field that was not sent out of the patch (no defaults applied)', () => {
    // Act
    const patch = CustomerPatch.parse({ notes: '只改备注' });
    // Assess
    expect(patch).toEqual({ notes: '只改备注' });
  });

  it('keeps a company customer who refused calls as they were when only the notes change', () => {
    // Prepare
    const stored = {
      kind: 'company' as const,
      name: '华辰物流',
      phones: [{ number: '13800000000', label: 'work' as const }],
      consent: { calls: false, messages: true },
      preferredContactWindows: ['morning' as const],
    };
    // Act
    const next = applyPatch(stored, CustomerPatch.parse({ notes: 'x' }));
    // Assess
    expect(next).toEqual({ ...stored, notes: 'x' });
  });

  it('refuses unknown keys, naming each of them', () => {
    // Act
    const r = CustomerPatch.safeParse({ notes: 'x', nickname: 'a', Notes: 'b' });
    // Assess
    expect(r.success).toBe(false);
    expect(issuesToFieldErrors(r.error!.issues).map((e) => [e.path, e.code])).toEqual([
      ['nickname', 'unrecognized_keys'],
      ['Notes', 'unrecognized_keys'],
    ]);
  });

  it('refuses an empty patch on every aggregate with one code', () => {
    for (const schema of [CustomerPatch, VehiclePatch]) {
      const r = schema.safeParse({});
      expect(r.success).toBe(false);
      expect(issuesToFieldErrors(r.error!.issues)).toEqual([
        { path: '(body)', code: EMPTY_PATCH, message: 'Send at least one field to change.' },
      ]);
    }
  });

  it('clears optional fields with null and refuses null for required ones', () => {
    expect(VehiclePatch.parse({ plate: null })).toEqual({ plate: null });
    expect(CustomerPatch.safeParse({ name: null }).success).toBe(false);
    expect(CustomerPatch.safeParse({ consent: null }).success).toBe(false);
  });
});

describe('odometer input', () => {
  it('accepts any RFC 3339 offset and stores UTC', () => {
    expect(OdometerInput.parse({ km: 1, readAt: '2026-11-23T10:00:00+08:00' }).readAt).toBe(
      '2026-11-23T02:00:00.000Z',
    );
    expect(OdometerInput.safeParse({ km: 1, readAt: '2026-11-23 10:00' }).success).toBe(false);
  });
});

describe('withDefaultsRequired', () => {
  it('makes every defaulted field required, at any depth, and keeps the other rules', () => {
    const input = z.strictObject({
      kind: z.enum(['a', 'b']).default('a'),
      tags: z.array(z.strictObject({ label: z.string().default('x'), n: z.number() })).max(3),
      note: z.string().optional(),
    });
    const answer = withDefaultsRequired(input);
    const json = z.toJSONSchema(answer, { io: 'input' }) as unknown as {
      required: string[];
      properties: { tags: { maxItems: number; items: { required: string[] } } };
    };
    expect(json.required.sort()).toEqual(['kind', 'tags']);
    expect(json.properties.tags.maxItems).toBe(3);
    expect(json.properties.tags.items.required.sort()).toEqual(['label', 'n']);
    // The input itself is untouched: the defaults still apply when a create is parsed.
    expect(input.parse({ tags: [] })).toEqual({ kind: 'a', tags: [] });
    expect(answer.safeParse({ tags: [] }).success).toBe(false);
  });

  it('gives one answer schema per input schema, also where it sits inside another', () => {
    const item = z.object({ label: z.string().default('x') });
    const page = z.object({ items: z.array(item) });
    const pageAnswer = withDefaultsRequired(page) as unknown as z.ZodObject<{
      items: z.ZodArray<z.ZodType>;
    }>;
    // The same instance: a body documented by several operations stays one component.
    expect(withDefaultsRequired(item)).toBe(withDefaultsRequired(item));
    expect(pageAnswer.shape.items.element).toBe(withDefaultsRequired(item));
  });
});
