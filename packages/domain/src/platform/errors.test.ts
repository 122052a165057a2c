import { describe, expect, it } from 'vitest';
import { labelWords, NotFoundError, notFoundCode, oneSearchAtATime, ValidationError } from './errors.ts';

describe('not-found codes', () => {
  it('follow from a record’s label, word by word', () => {
    expect(notFoundCode('Customer')).toBe('CUSTOMER_NOT_FOUND');
    expect(notFoundCode('RepairOrder')).toBe('REPAIR_ORDER_NOT_FOUND');
    expect(new NotFoundError('WarrantyClaim', 'wc_1').code).toBe('WARRANTY_CLAIM_NOT_FOUND');
  });
});

describe('a record label', () => {
  it('splits into words at each capital, digits staying with their word', () => {
    expect(labelWords('WarrantyClaim')).toEqual(['Warranty', 'Claim']);
    expect(labelWords('Customer')).toEqual(['Customer']);
    expect(labelWords('Step3Check')).toEqual(['Step3', 'Check']);
  });
});

describe('a search by one filter at a time', () => {
  it('takes none or one, and names every filter given when more than one is', () => {
    const filters = ['status', 'storeId', 'changedSince'] as const;
    expect(() => oneSearchAtATime({}, filters)).not.toThrow();
    const oneWithPaging = { status: 'submitted', limit: 25 };
    expect(() => oneSearchAtATime(oneWithPaging, filters)).not.toThrow();
    let thrown: unknown;
    try {
      oneSearchAtATime({ status: 'submitted', changedSince: '2026-12-01T00:00:00Z' }, filters);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).fieldErrors.map((f) => [f.path, f.code])).toEqual([
      ['query.status', 'ONE_SEARCH_AT_A_TIME'],
      ['query.changedSince', 'ONE_SEARCH_AT_A_TIME'],
    ]);
  });
});
