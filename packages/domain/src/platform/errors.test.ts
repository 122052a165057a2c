import { describe, expect, it } from 'vitest';
import { NotFoundError, notFoundCode } from './errors.ts';

describe('not-found codes', () => {
  it('follow from a record’s label, word by word', () => {
    expect(notFoundCode('Customer')).toBe('CUSTOMER_NOT_FOUND');
    expect(notFoundCode('RepairOrder')).toBe('REPAIR_ORDER_NOT_FOUND');
    expect(new NotFoundError('WarrantyClaim', 'wc_1').code).toBe('WARRANTY_CLAIM_NOT_FOUND');
  });
});
