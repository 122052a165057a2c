import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { filledText, Kilometres, trimmedText } from './fields.ts';

describe('trimmedText', () => {
  const Name = trimmedText(5, 1, 'Name is required.');

  it('trims before it measures', () => {
    expect(Name.parse('  Li  ')).toBe('Li');
    expect(Name.safeParse('  abcdef ').success).toBe(false);
  });

  it('answers a blank value with the message a form shows, and nothing else', () => {
    const issues = Name.safeParse('   ').error?.issues ?? [];
    expect(issues.map((i) => [i.code, i.message])).toEqual([['too_small', 'Name is required.']]);
  });

  it('without a minimum, takes empty text', () => {
    expect(trimmedText(3).parse('  ')).toBe('');
  });

  it('documents as the chained form does', () => {
    expect(z.toJSONSchema(trimmedText(40, 1))).toEqual(z.toJSONSchema(z.string().trim().min(1).max(40)));
  });
});

describe('filledText', () => {
  it('validates as trimmedText(max, 1) and documents that blank text is refused', () => {
    // Prepare
    const Filled = filledText(5, 'Name is required.');
    // Act
    const blank = Filled.safeParse(' \u3000 ').error?.issues ?? [];
    const schema = z.toJSONSchema(Filled) as { pattern: string; minLength: number; maxLength: number };
    // Assess
    expect(Filled.parse('  Li  ')).toBe('Li');
    expect(blank.map((i) => [i.code, i.message])).toEqual([['too_small', 'Name is required.']]);
    expect(schema).toMatchObject({ minLength: 1, maxLength: 5 });
    expect(new RegExp(schema.pattern).test(' \u3000 ')).toBe(false);
    expect(new RegExp(schema.pattern).test(' Li ')).toBe(true);
  });
});

describe('Kilometres', () => {
  it('takes whole kilometres from 0 to 2,000,000', () => {
    expect(Kilometres.safeParse(0).success).toBe(true);
    expect(Kilometres.safeParse(2_000_000).success).toBe(true);
    expect(Kilometres.safeParse(2_000_001).success).toBe(false);
    expect(Kilometres.safeParse(-1).success).toBe(false);
    expect(Kilometres.safeParse(1.5).success).toBe(false);
  });
});
