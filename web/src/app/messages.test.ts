import { describe, expect, it } from 'vitest';
import type { MessageTree } from '../i18n/messages.ts';
import { DICTIONARIES, MESSAGE_PARTS } from './messages.ts';

/** Every key of a part, groups as `group.value`. */
function keysOf(tree: MessageTree): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [k] : Object.keys(v).map((value) => `${k}.${value}`),
  );
}

describe('the composed dictionaries', () => {
  it('take each key from exactly one part (a feature cannot silently replace another’s string)', () => {
    const owner = new Map<string, string>();
    const twice: string[] = [];
    for (const part of MESSAGE_PARTS) {
      for (const key of Object.keys(part.messages.en)) {
        const first = owner.get(key);
        if (first) twice.push(`${key}: ${first} and ${part.name}`);
        owner.set(key, part.name);
      }
    }
    expect(twice).toEqual([]);
  });

  it('have the same keys in English and zh-CN, and no empty string', () => {
    const en = keysOf(DICTIONARIES.en).sort();
    expect(keysOf(DICTIONARIES['zh-CN']).sort()).toEqual(en);
    for (const dict of Object.values(DICTIONARIES)) {
      const empty = Object.entries(dict).filter(
        ([, v]) => v === '' || (typeof v === 'object' && Object.values(v).includes('')),
      );
      expect(empty).toEqual([]);
    }
  });
});
