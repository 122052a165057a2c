import { describe, expect, it } from 'vitest';
import { labelWords, NotFoundError, notFoundCode } from './errors.ts';

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
