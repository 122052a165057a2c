import { describe, expect, it } from 'vitest';
import type { BinStock } from '../parts/model.ts';
import { MAX_SHEET_LINES, type Stocktake } from './model.ts';
import {
  adjustmentsOf,
  checkNotMovedSinceCount,
  countSheet,
  decideCounts,
  decideStocktakeTransition,
  movedOn,
} from './rules.ts';

const bin = (b: string, partId: string, onHand: number, custody = false): BinStock => ({
  partId,
  partNumber: partId.toUpperCase(),
  name: { zh: '件' },
  bin: b,
  onHand,
  custody,
});
const at = '2026-12-02T08:00:00.000Z';
const by = { userId: 'u1', name: 'Keeper' };

function sheet(bins: BinStock[]): Stocktake {
  const lines = countSheet(bins);
  return {
    id: 'stk_1',
    storeId: 'st_A',
    kind: 'monthly',
    status: 'open',
    locationPrefix: 'A',
    date: '2026-12-02',
    lines,
    summary: { lines: lines.length, counted: 0, variances: 0, unexplained: 0, net: 0 },
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}

describe('count sheet', () => {
  it('lists the shelves in location order, never the write-off location, and refuses too many', () => {
    const lines = countSheet([
      bin('A-02-1-01', 'p2', 1),
      bin('BS-00-0-00', 'p1', 2, true),
      bin('A-01-1-01', 'p1', 3),
    ]);
    expect(lines.map((l) => [l.bin, l.book])).toEqual([
      ['A-01-1-01', 3],
      ['A-02-1-01', 1],
    ]);
    const many = Array.from({ length: MAX_SHEET_LINES + 1 }, (_, i) => bin(`A-01-1-${i}`, `p${i}`, 1));
    expect(() => countSheet(many)).toThrow(expect.objectContaining({ code: 'STOCKTAKE_SCOPE_TOO_LARGE' }));
    expect(() => countSheet([])).toThrow(expect.objectContaining({ code: 'STOCKTAKE_SCOPE_EMPTY' }));
  });

  it('keeps for a spot check the parts moved that store-local day', () => {
    const bins = [bin('A-01-1-01', 'p1', 1), bin('A-01-1-02', 'p2', 1), bin('A-01-1-03', 'p3', 1)];
    // 23:30 UTC on the 1st is the 2nd in Beijing
    const moved = new Map([
      ['p1', '2026-12-01T23:30:00.000Z'],
      ['p2', '2026-12-01T10:00:00.000Z'],
    ]);
    expect(movedOn(bins, moved, '2026-12-02', 'Asia/Shanghai').map((b) => b.partId)).toEqual(['p1']);
  });
});

describe('stocktake rules', () => {
  const open = sheet([bin('A-01-1-01', 'p1', 10), bin('A-01-1-02', 'p2', 5)]);

  it('computes variances; a count equal to the book needs no reason and adjusts nothing', () => {
    const counted = decideCounts(
      open,
      {
        lines: [
          { bin: 'a-01-1-01', partId: 'p1', counted: 12 },
          { bin: 'A-01-1-02', partId: 'p2', counted: 5, reason: 'none needed' },
        ],
      },
      by,
      at,
    )!.next;
    expect(counted.lines.map((l) => [l.variance, l.reason])).toEqual([
      [2, undefined],
      [0, undefined],
    ]);
    expect(counted.summary).toEqual({ lines: 2, counted: 2, variances: 1, unexplained: 1, net: 2 });
    expect(adjustmentsOf(counted).map((a) => [a.line.partId, a.delta])).toEqual([['p1', 2]]);
    // A reason alone, given at review, changes nothing of the count
    const explained = decideCounts(
      counted,
      { lines: [{ bin: 'A-01-1-01', partId: 'p1', reason: 'found' }] },
      by,
      at,
    )!;
    expect(explained.next.lines[0]).toMatchObject({ counted: 12, variance: 2, reason: 'found' });
    expect(explained.changes).toEqual([
      { field: 'lines.A-01-1-01.P1', from: { counted: 12 }, to: { counted: 12, reason: 'found' } },
    ]);
  });

  it('sets a count against the bin as counted, and names the lines moved since their count', () => {
    // 4 of p1 left its bin after the sheet opened (10 → 6); p2 counted 2 short of its 5
    const onHand = new Map([
      ['A-01-1-01#p1', 6],
      ['A-01-1-02#p2', 5],
    ]);
    const lines = [
      { bin: 'A-01-1-01', partId: 'p1', counted: 6 },
      { bin: 'A-01-1-02', partId: 'p2', counted: 3, reason: 'two broken' },
    ];
    const counted = decideCounts(open, { lines }, by, at, onHand)!.next;
    expect(counted.lines.map((l) => [l.book, l.onHandAtCount, l.variance])).toEqual([
      [10, 6, 0],
      [5, 5, -2],
    ]);
    expect(() => checkNotMovedSinceCount(counted, onHand)).not.toThrow();
    // Then 3 of p2 taken after its count, and 1 of p1 (whose count posts nothing)
    const now = new Map([
      ['A-01-1-01#p1', 5],
      ['A-01-1-02#p2', 2],
    ]);
    expect(() => checkNotMovedSinceCount(counted, now)).toThrow(
      expect.objectContaining({
        code: 'STOCK_MOVED_SINCE_COUNT',
        details: {
          lines: [{ bin: 'A-01-1-02', partId: 'p2', partNumber: 'P2', onHandAtCount: 5, onHandNow: 2 }],
        },
      }),
    );
  });

  it('moves open → counted → posted only when counted and explained; else 409 with what is missing', () => {
    expect(() => decideStocktakeTransition(open, { to: 'counted' }, at)).toThrow(
      expect.objectContaining({ code: 'STOCKTAKE_NOT_COUNTED' }),
    );
    expect(() => decideStocktakeTransition(open, { to: 'posted' }, at)).toThrow(
      expect.objectContaining({
        code: 'STOCKTAKE_TRANSITION_NOT_ALLOWED',
        details: { from: 'open', to: 'posted', allowed: ['counted', 'cancelled'] },
      }),
    );
    const lines = [
      { bin: 'A-01-1-01', partId: 'p1', counted: 9 },
      { bin: 'A-01-1-02', partId: 'p2', counted: 5 },
    ];
    const counted = decideStocktakeTransition(
      decideCounts(open, { lines }, by, at)!.next,
      { to: 'counted' },
      at,
    )!.next;
    expect(() => decideStocktakeTransition(counted, { to: 'posted' }, at)).toThrow(
      expect.objectContaining({ code: 'VARIANCE_UNEXPLAINED' }),
    );
    const explained = decideCounts(
      counted,
      { lines: [{ bin: 'A-01-1-01', partId: 'p1', reason: 'broken' }] },
      by,
      at,
    )!.next;
    const posted = decideStocktakeTransition(explained, { to: 'posted' }, at)!;
    expect(posted.next.status).toBe('posted');
    expect(posted.next.lines.map((l) => l.posted)).toEqual([true, undefined]);
    expect(posted.events).toEqual([
      expect.objectContaining({
        type: 'stocktake.posted',
        data: { stocktakeId: 'stk_1', adjustments: 1, net: -1 },
      }),
    ]);
    expect(() => decideCounts(posted.next, { lines }, by, at)).toThrow(
      expect.objectContaining({ code: 'STOCKTAKE_CLOSED' }),
    );
  });

  it('refuses a count for a line the sheet does not have, on that entry', () => {
    expect(() =>
      decideCounts(open, { lines: [{ bin: 'A-09-1-01', partId: 'p1', counted: 1 }] }, by, at),
    ).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        details: {
          fieldErrors: [expect.objectContaining({ path: 'lines.0', code: 'STOCKTAKE_LINE_NOT_FOUND' })],
        },
      }),
    );
  });
});
