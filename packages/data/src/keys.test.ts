import { describe, expect, it } from 'vitest';
import { KEY_PREFIXES, SORT_KEY_PREFIXES } from './keys.ts';

describe('key prefixes', () => {
  it('are unique and plain upper-case, so `<tenant>#<PREFIX>#` keys cannot collide', () => {
    const prefixes = Object.values(KEY_PREFIXES);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const p of prefixes) expect(p).toMatch(/^[A-Z][A-Z0-9]*$/);
  });

  it('keep audit and event items after everything a record read reaches', () => {
    for (const p of Object.values(SORT_KEY_PREFIXES)) expect(p > '~').toBe(true);
  });
});
