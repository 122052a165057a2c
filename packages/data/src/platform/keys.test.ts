import { describe, expect, it } from 'vitest';
import { CUSTOMER } from '../registry/customers.ts';
import { VEHICLE } from '../registry/vehicles.ts';
import { KEY_PREFIXES, registeredKeyPrefixes, registerKeyPrefix, SORT_KEY_PREFIXES } from './keys.ts';

describe('key prefixes', () => {
  it('are unique and plain upper-case, so `<tenant>#<PREFIX>#` keys cannot collide', () => {
    const prefixes = Object.values(KEY_PREFIXES);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const p of prefixes) expect(p).toMatch(/^[A-Z][A-Z0-9]*$/);
  });

  it('are claimed by each declared aggregate, and a taken or malformed prefix is refused at declaration', () => {
    expect(registeredKeyPrefixes().get(CUSTOMER.prefix)).toBe('customer');
    expect(registeredKeyPrefixes().get(VEHICLE.prefix)).toBe('vehicle');
    // …and every prefix of its indexes and look-ups, under the aggregate's name.
    expect(registeredKeyPrefixes().get('PLATE')).toBe('vehicle.byPlate');
    expect(registeredKeyPrefixes().get('VIN')).toBe('vehicle.vin');
    expect(registeredKeyPrefixes().get('PHONE')).toBe('customer.phone');
    expect(() => registerKeyPrefix(VEHICLE.prefix, 'repair_order')).toThrow(/already used by vehicle/);
    expect(() => registerKeyPrefix('ro', 'repair_order')).toThrow(/upper-case/);
    // The owner may declare its own prefix again (a module loaded twice by a test runner).
    expect(() => registerKeyPrefix(VEHICLE.prefix, 'vehicle')).not.toThrow();
  });

  it('keep audit and event items after everything a record read reaches', () => {
    for (const p of Object.values(SORT_KEY_PREFIXES)) expect(p > '~').toBe(true);
  });
});
