import { DataAccess } from '@aftersales/data';
import { Parts, StockLedger } from '@aftersales/data/parts';
import type { Part } from '@aftersales/domain';
import { beforeAll, describe, expect, it } from 'vitest';
import { stack, useStackEnv } from '../support/api.ts';
import { demo, uniqueSuffix } from '../support/demo.ts';
import { newPart } from '../support/parts.ts';

/**
 * The stock ledger's guarantees below the API: book, card and shelf agree after every movement, and
 * concurrent takes of the last units never both succeed.
 */
beforeAll(() => useStackEnv());

const actor = { userId: 'keeper', name: 'Keeper', roles: ['warehouse_keeper' as const] };

function tenant() {
  const data = new DataAccess({ tableName: stack.tableName });
  const t = data.forTenant({ tenantId: demo.storeA, actor });
  return { parts: t.repo(Parts), ledger: t.repo(StockLedger) };
}

/** Book = sum of the card's on-hand changes = sum of the shelves. */
async function expectAgreement(part: Part) {
  const { ledger } = tenant();
  const book = await ledger.book(part.id);
  const card = (await ledger.ledger(part.id, { limit: 100 })).items;
  const shelves = await ledger.binsOf(part.id);
  const onShelves = shelves.filter((b) => !b.custody).reduce((n, b) => n + b.onHand, 0);
  expect(card.reduce((n, m) => n + m.onHandDelta, 0)).toBe(book.onHand);
  expect(onShelves).toBe(book.onHand);
  expect(book.available).toBe(book.onHand - book.reserved);
  return book;
}

describe('StockLedger', () => {
  it('receives, reserves for a booking, issues from the reservation and takes a return', async () => {
    // Prepare
    const part = await newPart(1000);
    const { ledger } = tenant();
    const booking = { type: 'appointment' as const, id: `appt_${uniqueSuffix()}` };
    // Act
    await ledger.move(part, {
      kind: 'receive',
      bin: 'a-01-1-01',
      quantity: 10,
      document: { type: 'receipt', id: 'r1' },
    });
    await ledger.move(part, {
      kind: 'receive',
      bin: 'A-01-1-01',
      quantity: 10,
      unitCost: { amountMinor: 1300, currency: 'CNY' },
      document: { type: 'receipt', id: 'r2' },
    });
    await ledger.move(part, { kind: 'reserve', quantity: 4, document: booking });
    const issued = await ledger.move(part, {
      kind: 'issue',
      bin: 'A-01-1-01',
      quantity: 3,
      document: booking,
      fromReservation: true,
    });
    await ledger.move(part, { kind: 'return', bin: 'A-01-1-01', quantity: 1, document: booking });
    // Assess
    expect(issued.valueMinor).toBe(-3450); // 3 at the moving average 1150
    const book = await expectAgreement(part);
    expect(book).toMatchObject({ onHand: 18, reserved: 1, available: 17, avgCostMinor: 1150 });
    const [held] = await ledger.reservationsOf(booking);
    expect(held).toMatchObject({ quantity: 1, issued: 3, released: 0 });
  });

  it('refuses to take more than there is, and leaves nothing written', async () => {
    // Prepare
    const part = await newPart();
    const { ledger } = tenant();
    await ledger.move(part, {
      kind: 'receive',
      bin: 'A-01-1-02',
      quantity: 2,
      document: { type: 'receipt', id: 'r' },
    });
    // Act
    const refused = ledger.move(part, {
      kind: 'issue',
      bin: 'A-01-1-02',
      quantity: 3,
      document: { type: 'requisition', id: 'q' },
    });
    // Assess
    await expect(refused).rejects.toMatchObject({ code: 'INSUFFICIENT_STOCK', status: 409 });
    expect((await expectAgreement(part)).onHand).toBe(2);
  });

  it('gives exactly 3 of 24 concurrent issues of the last 3 units', async () => {
    // Prepare
    const part = await newPart();
    const { ledger } = tenant();
    await ledger.move(part, {
      kind: 'receive',
      bin: 'A-01-1-03',
      quantity: 3,
      document: { type: 'receipt', id: 'r' },
    });
    // Act
    const results = await Promise.allSettled(
      Array.from({ length: 24 }, (_, i) =>
        tenant().ledger.move(part, {
          kind: 'issue',
          bin: 'A-01-1-03',
          quantity: 1,
          document: { type: 'requisition', id: `q${i}` },
        }),
      ),
    );
    // Assess
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    for (const r of results.filter((r) => r.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'INSUFFICIENT_STOCK' });
    const book = await expectAgreement(part);
    expect(book.onHand).toBe(0);
  });

  it('keeps an expected date on a book that never moved, and averages its first receipt from zero', async () => {
    // Prepare
    const part = await newPart(800);
    const data = new DataAccess({ tableName: stack.tableName });
    const t = data.forTenant({ tenantId: demo.storeA, actor });
    const ledger = t.repo(StockLedger);
    await t.table.transact([ledger.expectedOp(part.id, '2026-12-20', undefined)]);
    // Act
    await ledger.move(part, {
      kind: 'receive',
      bin: 'A-01-1-04',
      quantity: 2,
      document: { type: 'receipt', id: 'r' },
    });
    await t.table.transact([ledger.expectedOp(part.id, undefined, '2026-12-20')]);
    // Assess
    const book = await expectAgreement(part);
    expect(book).toMatchObject({ onHand: 2, avgCostMinor: 800, valueMinor: 1600 });
    expect(book.expectedOn).toBeUndefined();
  });

  it('lists books idle since a time, the longest idle first, from one index range', async () => {
    // Prepare: a part moved now; the range up to just before now leaves it out, up to now includes it
    const part = await newPart();
    const { ledger } = tenant();
    const moved = await ledger.move(part, {
      kind: 'receive',
      bin: 'A-01-1-05',
      quantity: 1,
      document: { type: 'receipt', id: 'r' },
    });
    // Act
    const before = await ledger.idleSince(moved.at, { limit: 1000 });
    const after = await ledger.idleSince(`${moved.at}~`, { limit: 1000 });
    // Assess
    expect(before.items.map((b) => b.partId)).not.toContain(part.id);
    expect(after.items.find((b) => b.partId === part.id)).toMatchObject({ onHand: 1, lastMovedAt: moved.at });
    const times = after.items.map((b) => b.lastMovedAt ?? '');
    expect(times).toEqual([...times].sort());
  });
});
