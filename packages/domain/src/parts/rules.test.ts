import { describe, expect, it } from 'vitest';
import {
  BinLocation,
  MovementRequest,
  type Part,
  PartInput,
  PartNumber,
  type PartStock,
  WRITE_OFF_BIN,
} from './model.ts';
import {
  averageAfterReceipt,
  checkMovement,
  decidePartCreation,
  decidePartEdit,
  effectsOf,
  idleVerdict,
  neededPartStatus,
} from './rules.ts';

const at = '2026-12-07T08:00:00.000Z';
const cny = (amountMinor: number) => ({ amountMinor, currency: 'CNY' as const });

function part(overrides: Partial<Part> = {}): Part {
  const fields = PartInput.parse({
    partNumber: '06L 115 562 b',
    name: { zh: '机油滤清器' },
    brand: 'Audi',
    listPrice: cny(9800),
    cost: cny(5600),
  });
  return { ...decidePartCreation(fields, { id: 'prt_1', storeId: 'st_1', at }).next, ...overrides };
}

const move = (body: unknown) => MovementRequest.parse(body);
const doc = { type: 'repair_order', id: 'ro_1' } as const;

describe('part numbers and locations', () => {
  it('compares part numbers without case or spaces and refuses other characters', () => {
    expect(PartNumber.parse(' 06l 115\u3000562 b ')).toBe('06L115562B');
    expect(PartNumber.safeParse('06L#115').success).toBe(false);
  });

  it('takes a four-part location in any case and refuses anything else', () => {
    expect(BinLocation.parse('a-03-2-05')).toBe('A-03-2-05');
    for (const bad of ['A-3', 'A-03-2', 'A-03-2-05-1', 'A_03_2_05', 'AAAAA-1-1-1'])
      expect(BinLocation.safeParse(bad).success, bad).toBe(false);
  });

  it('refuses max stock below min, on create and on an edit that names only one of them', () => {
    const input = { partNumber: 'X1', name: { zh: '刹车片' }, brand: 'VW', listPrice: cny(1), cost: cny(1) };
    expect(PartInput.safeParse({ ...input, minStock: 5, maxStock: 2 }).success).toBe(false);
    const current = part({ minStock: 2, maxStock: 10 });
    expect(() => decidePartEdit(current, { minStock: 12 }, at)).toThrow(/Max stock/);
    expect(decidePartEdit(current, { maxStock: 12 }, at)?.next).toMatchObject({ maxStock: 12, version: 2 });
  });
});

describe('a movement’s effects', () => {
  it('keeps available = on hand − reserved for every kind', () => {
    const kinds = [
      { kind: 'receive', bin: 'A-1-1-1', quantity: 5, document: doc },
      { kind: 'reserve', quantity: 2, document: doc },
      { kind: 'release', quantity: 1, document: doc },
      { kind: 'issue', bin: 'A-1-1-1', quantity: 1, document: doc, fromReservation: true },
      { kind: 'issue', bin: 'A-1-1-1', quantity: 1, document: doc },
      { kind: 'return', bin: 'A-1-1-1', quantity: 1, document: doc },
      { kind: 'transfer', bin: 'A-1-1-1', toBin: 'P-00-0-01', quantity: 1 },
      { kind: 'adjust', bin: 'A-1-1-1', delta: -1, document: doc, reason: '盘亏' },
      { kind: 'write_off', bin: 'A-1-1-1', quantity: 1, document: doc, reason: '破损' },
    ];
    for (const body of kinds) {
      const e = effectsOf(move(body));
      expect(e.available, body.kind).toBe(e.onHand - e.reserved);
      // The shelves move with the book, except stock written off into custody.
      const shelves = e.bins.filter((b) => !b.custody).reduce((n, b) => n + b.delta, 0);
      expect(shelves, body.kind).toBe(e.onHand);
    }
  });

  it('puts written-off stock into custody in the write-off location', () => {
    const e = effectsOf(
      move({ kind: 'write_off', bin: 'A-1-1-1', quantity: 2, document: doc, reason: '过期' }),
    );
    expect(e).toMatchObject({ onHand: -2, custody: 2 });
    expect(e.bins).toContainEqual({ bin: WRITE_OFF_BIN, delta: 2, custody: true });
  });

  it('refuses a zero adjustment, an unexplained one, and a quantity of 0', () => {
    expect(
      MovementRequest.safeParse({ kind: 'adjust', bin: 'A-1-1-1', delta: 0, document: doc, reason: 'x' })
        .success,
    ).toBe(false);
    expect(
      MovementRequest.safeParse({ kind: 'adjust', bin: 'A-1-1-1', delta: 1, document: doc }).success,
    ).toBe(false);
    expect(
      MovementRequest.safeParse({ kind: 'issue', bin: 'A-1-1-1', quantity: 0, document: doc }).success,
    ).toBe(false);
  });
});

describe('movement rules', () => {
  it('issues a repair order’s part only once the old one is handed in (以旧换新)', () => {
    const issue = move({ kind: 'issue', bin: 'A-1-1-1', quantity: 1, document: doc, oldPartReturned: false });
    expect(() => checkMovement(issue, part())).toThrow(
      expect.objectContaining({ code: 'OLD_PART_NOT_RETURNED' }),
    );
  });

  it('keeps the write-off location for write-offs and refuses receipts of a retired part', () => {
    const into = move({ kind: 'transfer', bin: 'A-1-1-1', toBin: WRITE_OFF_BIN, quantity: 1 });
    expect(() => checkMovement(into, part())).toThrow(expect.objectContaining({ code: 'CUSTODY_BIN' }));
    const receive = move({ kind: 'receive', bin: 'A-1-1-1', quantity: 1, document: doc });
    expect(() => checkMovement(receive, part({ active: false }))).toThrow(
      expect.objectContaining({ code: 'PART_INACTIVE' }),
    );
    const same = move({ kind: 'transfer', bin: 'A-1-1-1', toBin: 'a-1-1-1', quantity: 1 });
    expect(() => checkMovement(same, part())).toThrow(expect.objectContaining({ code: 'SAME_BIN' }));
  });
});

describe('moving average', () => {
  it('weighs a receipt by quantity, to 4 decimals of a fen', () => {
    expect(averageAfterReceipt({ onHand: 10, avgCostMinor: 1000 }, 10, 1300)).toBe(1150);
    expect(averageAfterReceipt({ onHand: 2, avgCostMinor: 1000 }, 1, 1001)).toBe(1000.3333);
    expect(averageAfterReceipt({ onHand: 0, avgCostMinor: 0 }, 3, 700)).toBe(700);
  });
});

describe('a needed part’s status', () => {
  const need = { partNumber: '06L115562B', quantity: 2 };
  it('is reserved, in stock, to order with its expected date, or unknown', () => {
    const p = part();
    expect(neededPartStatus(need, p, { available: 0 }, { quantity: 2, issued: 0 }).status).toBe('reserved');
    expect(neededPartStatus(need, p, { available: 5 }, undefined).status).toBe('in_stock');
    expect(neededPartStatus(need, p, { available: 1, expectedOn: '2026-12-10' }, undefined)).toMatchObject({
      status: 'to_order',
      expectedOn: '2026-12-10',
    });
    expect(neededPartStatus(need, undefined, undefined, undefined).status).toBe('unknown_part');
  });

  it('is retired, with its replacement, for a retired part not already held', () => {
    const retired = part({ active: false, supersededBy: '06L115562C' });
    expect(neededPartStatus(need, retired, { available: 5 }, undefined)).toMatchObject({
      status: 'retired',
      supersededBy: '06L115562C',
    });
    expect(neededPartStatus(need, retired, { available: 0 }, { quantity: 2, issued: 0 }).status).toBe(
      'reserved',
    );
  });
});

describe('idle check (呆滞)', () => {
  const book = (over: Partial<PartStock>): PartStock => ({
    partId: 'prt_1',
    onHand: 4,
    reserved: 0,
    available: 4,
    custody: 0,
    avgCostMinor: 2_500,
    valueMinor: 10_000,
    lastMovedAt: '2025-03-01T08:00:00.000Z',
    ...over,
  });

  it('checks again a year after the last movement while the year has not passed', () => {
    // Act
    const verdict = idleVerdict(book({}), new Date('2026-02-28T08:00:00.000Z'));

    // Assess: 365 days after 1 March 2025
    expect(verdict).toEqual({ kind: 'not_yet', checkAt: '2026-03-01T08:00:00.000Z' });
  });

  it('finds the on-hand value obsolete on the day the year is up', () => {
    // Act
    const verdict = idleVerdict(book({}), new Date('2026-03-01T08:00:00.000Z'));

    // Assess
    expect(verdict).toEqual({ kind: 'obsolete', valueMinor: 10_000 });
  });

  it('finds nothing for an empty shelf, a book already found obsolete, or one that never moved', () => {
    // Prepare
    const late = new Date('2027-01-01T00:00:00.000Z');

    // Act
    const verdicts = [
      idleVerdict(book({ onHand: 0, available: 0, valueMinor: 0 }), late),
      idleVerdict(book({ obsoleteValueMinor: 10_000 }), late),
      idleVerdict(book({ lastMovedAt: undefined }), late),
    ];

    // Assess
    expect(verdicts).toEqual([{ kind: 'none' }, { kind: 'none' }, { kind: 'none' }]);
  });
});
