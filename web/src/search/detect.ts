import { normalizePlate } from '@aftersales/domain';
import type { CustomerQuery } from '../customers/api.ts';
import type { VehicleQuery } from '../vehicles/api.ts';

/** What the front desk typed: a plate, a VIN (full or last 6), a phone number, or a customer's name. */
export type SearchKind = 'plate' | 'vin' | 'phone' | 'name';
export const SEARCH_KINDS: readonly SearchKind[] = ['plate', 'vin', 'phone', 'name'];

const VIN17 = /^[A-HJ-NPR-Z0-9]{17}$/;
const VIN6 = /^[A-HJ-NPR-Z0-9]{6}$/;
/** 京A12345, 粤B·D12345 (new energy), 沪A1234学: province, letter, 4–6 more, optional suffix character. */
const CN_PLATE = /^[\u4e00-\u9fff][A-Z][A-Z0-9]{4,6}[\u4e00-\u9fff]?$/;

export function detectSearch(raw: string): SearchKind | undefined {
  const text = raw.trim();
  if (!text) return undefined;
  const compact = normalizePlate(text);
  if (VIN17.test(compact)) return 'vin';
  if (CN_PLATE.test(compact)) return 'plate';
  const digits = text.normalize('NFKC').replace(/[\s()-]/g, '');
  // Six characters are the VIN's last six (what staff read off the windscreen), even when all digits.
  if (VIN6.test(compact) && /\d/.test(compact)) return 'vin';
  if (/^\+?\d{5,}$/.test(digits)) return 'phone';
  // Plates elsewhere (8ABC123, B-AB 1234): letters and digits together, no Chinese; names rarely have digits.
  if (/^[A-Z0-9]{2,12}$/.test(compact) && /\d/.test(compact) && /[A-Z]/.test(compact)) return 'plate';
  return 'name';
}

export type SearchRequest =
  | { target: 'vehicles'; query: VehicleQuery }
  | { target: 'customers'; query: CustomerQuery };

export function searchRequest(kind: SearchKind, raw: string): SearchRequest {
  const text = raw.trim();
  switch (kind) {
    case 'plate':
      return { target: 'vehicles', query: { plate: normalizePlate(text) } };
    case 'vin':
      return { target: 'vehicles', query: { vin: normalizePlate(text) } };
    case 'phone':
      return { target: 'customers', query: { phone: text } };
    case 'name':
      return { target: 'customers', query: { name: text } };
  }
}
