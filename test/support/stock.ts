import { DataAccess } from '@aftersales/data';
import { Parts, StockLedger } from '@aftersales/data/parts';
import type { Part } from '@aftersales/domain';
import { demoUserFor } from '@aftersales/seed';
import { expect } from 'vitest';
import { call, stack } from './api.ts';
import { demo, uniqueSuffix } from './demo.ts';
import { newPart } from './parts.ts';

/**
 * Stock for the suites of documents that move it (stocktakes, write-offs): a part of demo store A and
 * its receipts, made below the API (the catalogue and receiving have their own suites), and the check
 * that book, card and shelf agree (帐卡物相符).
 */
const keeper = { userId: 'keeper', name: 'Keeper', roles: ['warehouse_keeper' as const] };

export function stockOf(storeId = demo.storeA) {
  const t = new DataAccess({ tableName: stack.tableName }).forTenant({ tenantId: storeId, actor: keeper });
  return { parts: t.repo(Parts), ledger: t.repo(StockLedger) };
}

/** A warehouse code no other test uses: its bins are this test's alone. */
export function freshWarehouse(): string {
  return `W${uniqueSuffix().slice(-3)}`;
}

/** A new part with `quantity` received into `bin` at `costMinor` fen a unit. */
export async function partInBin(bin: string, quantity: number, costMinor = 1000): Promise<Part> {
  const { ledger } = stockOf();
  const part = await newPart(costMinor);
  await ledger.move(part, {
    kind: 'receive',
    bin,
    quantity,
    document: { type: 'receipt', id: `r${uniqueSuffix()}` },
  });
  return part;
}

/** Book = sum of the card's on-hand changes = sum of the shelves; returns the book. */
export async function expectAgreement(part: Part) {
  const { ledger } = stockOf();
  const [book, card, shelves] = await Promise.all([
    ledger.book(part.id),
    ledger.ledger(part.id, { limit: 100 }),
    ledger.binsOf(part.id),
  ]);
  expect(card.items.reduce((n, m) => n + m.onHandDelta, 0)).toBe(book.onHand);
  expect(shelves.filter((b) => !b.custody).reduce((n, b) => n + b.onHand, 0)).toBe(book.onHand);
  expect(shelves.filter((b) => b.custody).reduce((n, b) => n + b.onHand, 0)).toBe(book.custody);
  return { book, card: card.items, shelves };
}

/**
 * A stocktake (one counted difference) and a pending write-off (one confirmation) of demo store A,
 * made through the API: ids for the suites that call every route, until the demo data has stock.
 */
export async function stockDocuments(): Promise<{ stocktakeId: string; writeOffId: string }> {
  const base = `/v1/stores/${demo.storeA}`;
  const bin = `${freshWarehouse()}-01-1-01`;
  const part = await partInBin(bin, 4);
  const keeper = demoUserFor('warehouse_keeper', demo.storeA).username;
  const stocktake = await call<{ id: string }>(keeper, 'POST', `${base}/stocktakes`, {
    body: { kind: 'monthly', locationPrefix: bin.slice(0, 4) },
  });
  await call(keeper, 'POST', `${base}/stocktakes/${stocktake.body.id}/counts`, {
    body: { lines: [{ bin, partId: part.id, counted: 3 }] },
  });
  const writeOff = await call<{ id: string; version: number }>(keeper, 'POST', `${base}/write-offs`, {
    body: {
      partNumber: part.partNumber,
      bin,
      quantity: 1,
      condition: 'damaged',
      notRecoverable: true,
      reason: '包装破损',
    },
  });
  if (stocktake.status !== 201 || writeOff.status !== 201)
    throw new Error(
      `stock documents: ${stocktake.status} ${stocktake.text} / ${writeOff.status} ${writeOff.text}`,
    );
  await call(
    demoUserFor('parts_manager', demo.storeA).username,
    'POST',
    `${base}/write-offs/${writeOff.body.id}/approvals`,
    {
      body: { role: 'parts_manager' },
      headers: { 'if-match': `"${writeOff.body.version}"` },
    },
  );
  return { stocktakeId: stocktake.body.id, writeOffId: writeOff.body.id };
}
